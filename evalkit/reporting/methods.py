"""The introduction and methods chapters of a report: what was evaluated, and how.

A reviewer (BKPSDM, LAN, a journal referee) reads first what was evaluated and how:

- :func:`introduction`: the program, cohort(s), dates, delivery and the evaluation
  questions, from the ``cohorts`` table;
- :func:`design_text`: the design (pre/post within person; the DiD with its trained and
  comparison units, and why they are so called);
- :func:`instruments`: the instruments with their items (the reaction items with their
  texts, the Level 3 behaviour items, the test length), as a table;
- :func:`response_rates` and :func:`response_text`: who answered each instrument, as a
  percentage with its counts (supervisor ratings 21/32 = 66%), with small counts
  suppressed;
- :func:`cleaning_summary`: the study's quality log in words (entries per action and
  reason code, rows quarantined);
- :func:`analysis_methods`: the analysis methods, from the ``method`` column of the
  report's own ledger rows, de-duplicated, by Kirkpatrick level.

Every number in these sentences is computed here from the tables given, so the tests
check them; the notebooks only call these functions.

Examples
--------
>>> log = pd.DataFrame({"reason": ["duplicate: x", "duplicate: y", "out_of_range: z"],
...                     "action": ["dropped", "dropped", "quarantined"]})
>>> print(cleaning_summary(log, "en"))  # doctest: +NORMALIZE_WHITESPACE
Cleaning logged 3 entries in the study's raw exports: 2 rows dropped (duplicate
submissions, the latest kept: 2); 1 row quarantined, left out of every table (numbers out
of their range: 1).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from evalkit import constants as C
from evalkit.reporting.disclosure import SUPPRESSED_NOTE
from evalkit.reporting.formats import fmt_date, fmt_int, fmt_num
from evalkit.reporting.method_terms import method_text, outcome_text
from evalkit.reporting.sections import derived_cohort, section_note
from evalkit.reporting.summary import ledger_rows
from evalkit.reporting.terms import Text, check_lang, term

__all__ = [
    "RESPONSE_LOW",
    "analysis_methods",
    "cleaning_summary",
    "design_text",
    "followup_waves",
    "instruments",
    "introduction",
    "response_rates",
    "response_text",
]

#: A response rate below this share (0-1) is called low (and is a limitation).
RESPONSE_LOW = 0.70

#: The four questions every report answers as far as its data allow: (id, en).
QUESTIONS = (
    ("apakah pelatihan berhasil (reaksi, pembelajaran, hasil)", "did the training work (reaction, learning, results)"),
    ("untuk siapa", "for whom"),
    ("berapa biayanya dan sebandingkah manfaatnya", "at what cost, and was it worth it"),
    ("apakah perubahannya bertahan di tempat kerja", "did the change last at work"),
)  # fmt: skip


def _join(items: list[str], lang: str) -> str:
    """``a, b dan c`` / ``a, b and c``."""
    items = [x for x in items if x]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + (" dan ", " and ")[check_lang(lang, "_join")] + items[-1]


def followup_waves(followup: pd.DataFrame | None) -> list[int]:
    """The follow-up waves of a ``followup`` table (months after the training), sorted.

    Examples
    --------
    >>> followup_waves(pd.DataFrame({"months_after": [6, 3, 3]})), followup_waves(None)
    ([3, 6], [])
    """
    if followup is None or not len(followup):
        return []
    return sorted({int(m) for m in followup["months_after"].dropna()})


def introduction(
    cohorts: pd.DataFrame,
    lang: str = "id",
    *,
    report: str,
    participants: pd.DataFrame | None = None,
    study_title: str = "",
    waves: Iterable[int] = (),
    design: pd.DataFrame | None = None,
) -> Text:
    """What was evaluated: program(s), cohort(s), dates, delivery, people, the questions.

    Parameters
    ----------
    cohorts : DataFrame
        Rows of the ``cohorts`` table the report covers (one row for a cohort report).
    report : {"cohort", "overview", "impact"}
    participants : DataFrame, optional
        The ``participants`` rows of those cohorts: the number of people
        (``participant_id``) and of participations (rows) are told apart.
    study_title : str
        The study's title in ``lang`` (:func:`evalkit.data.processed.study_info`).
    waves : iterable of int
        The follow-up waves (months after the training) of the data
        (:func:`followup_waves`).
    design : DataFrame, optional
        For the impact study: ``unit``, ``period``, ``period_index``, ``post`` and
        ``treated`` per unit and period; the introduction then counts units and periods.

    Examples
    --------
    >>> cohorts = pd.DataFrame({"cohort_id": ["K1"], "program_name": ["Pelayanan Prima"],
    ...     "batch": [2], "start_date": ["2024-03-04"], "end_date": ["2024-03-08"],
    ...     "delivery": ["klasikal"], "jp": [40]})
    >>> people = pd.DataFrame({"cohort_id": ["K1"] * 3, "participant_id": ["a", "b", "c"]})
    >>> print(introduction(cohorts, "en", report="cohort", participants=people, waves=[3]))
    ... # doctest: +NORMALIZE_WHITESPACE
    This report evaluates Pelayanan Prima, cohort 2 (K1): 4 March 2024 to 8 March 2024,
    Classroom, 40 JP, 3 participants, followed up 3 months after the training. It answers,
    as far as its data allow, four questions: (1) did the training work (reaction, learning,
    results); (2) for whom; (3) at what cost, and was it worth it; (4) did the change last at
    work.
    """
    i = check_lang(lang, "introduction")
    study = (
        (f" dalam studi *{study_title}*", f" in the study *{study_title}*")[i]
        if study_title
        else ""
    )
    waves = sorted({int(w) for w in waves})
    follow = ""
    if waves:
        months = _join([str(w) for w in waves], lang)
        follow = (f", dipantau {months} bulan setelah pelatihan",
                  f", followed up {months} months after the training")[i]  # fmt: skip
    people = ""
    if participants is not None and len(participants):
        n_people = participants["participant_id"].nunique()
        n_rows = len(participants)
        if report == "cohort" or n_people == n_rows:
            people = (
                f"{fmt_int(n_people, lang)} peserta",
                f"{fmt_int(n_people, lang)} participants",
            )[i]
        else:
            people = (
                f"{fmt_int(n_people, lang)} orang dalam {fmt_int(n_rows, lang)} keikutsertaan "
                "(satu orang dapat mengikuti beberapa angkatan)",
                f"{fmt_int(n_people, lang)} people in {fmt_int(n_rows, lang)} participations "
                "(one person may attend several cohorts)",
            )[i]
    if report == "impact" and design is not None and len(design):
        units = design.drop_duplicates("unit").groupby("treated")["unit"].count()
        order = design.sort_values("period_index")["period"].drop_duplicates().tolist()
        treated, comparison = int(units.get(True, 0)), int(units.get(False, 0))
        what = (
            f"Laporan ini mengevaluasi kinerja {treated + comparison} unit kerja{study} "
            f"({treated} terlatih, {comparison} pembanding) dalam {len(order)} periode, "
            f"{order[0]} s.d. {order[-1]}: kepuasan masyarakat (IKM) dan, bila ada, waktu "
            "layanan dan pengaduan.",
            f"This report evaluates the performance of {treated + comparison} units{study} "
            f"({treated} trained, {comparison} comparison) over {len(order)} periods, "
            f"{order[0]} to {order[-1]}: public satisfaction (IKM) and, where recorded, "
            "service time and complaints.",
        )[i]
    elif report == "cohort" and len(cohorts) and derived_cohort(cohorts.iloc[:1]):
        cid = cohorts.iloc[0][C.COHORT_ID]  # no cohort list: cohort_title says what is unknown
        what = (f"Laporan ini mengevaluasi angkatan {cid}{study}: {people}{follow}.",
                f"This report evaluates cohort {cid}{study}: {people}{follow}.")[i]  # fmt: skip
    elif report == "cohort" and len(cohorts):
        row = cohorts.iloc[0]
        facts = [
            f"{fmt_date(row.get('start_date'), lang)} {('s.d.', 'to')[i]} "
            f"{fmt_date(row.get('end_date'), lang)}",
            term(str(row.get("delivery", "")), lang),
            f"{fmt_int(row.get('jp'), lang)} JP" if pd.notna(row.get("jp")) else "",
            people,
        ]
        what = (
            f"Laporan ini mengevaluasi {row.get('program_name', '')}, angkatan {row.get('batch', '')} "
            f"({row.get('cohort_id', '')}){study}: "
            + ", ".join(f for f in facts if f)
            + follow
            + ".",
            f"This report evaluates {row.get('program_name', '')}, cohort {row.get('batch', '')} "
            f"({row.get('cohort_id', '')}){study}: "
            + ", ".join(f for f in facts if f)
            + follow
            + ".",
        )[i]
    elif report == "overview" and derived_cohort(cohorts):  # no cohort list: codes only
        n_cohorts, unknown = len(cohorts), section_note("no_cohort_list_study", lang).strip("*")
        what = (f"Laporan ini mengevaluasi {fmt_int(n_cohorts, 'id')} angkatan{study}"
                + (f"; {people}" if people else "") + f"{follow}. {unknown}",
                f"This report evaluates {fmt_int(n_cohorts, 'en')} cohort"
                f"{'s' if n_cohorts != 1 else ''}{study}" + (f"; {people}" if people else "")
                + f"{follow}. {unknown}")[i]  # fmt: skip
    else:
        programs = list(dict.fromkeys(cohorts["program_name"].astype(str))) if len(cohorts) else []
        start = pd.to_datetime(cohorts["start_date"]).min() if len(cohorts) else None
        end = (
            pd.to_datetime(cohorts["end_date"]).max()
            if "end_date" in cohorts and len(cohorts)
            else None
        )
        deliveries = (
            cohorts["delivery"].value_counts() if "delivery" in cohorts else pd.Series(dtype=int)
        )
        methods = _join(
            [f"{term(str(k), lang).lower()} ({fmt_int(v, lang)})" for k, v in deliveries.items()],
            lang,
        )
        n_cohorts = len(cohorts)
        span = (
            f"{fmt_date(start, lang)} {('s.d.', 'to')[i]} {fmt_date(end, lang)}"
            if start is not None and pd.notna(start)
            else ""
        )
        subject = (
            ("unit kerja yang stafnya mengikuti", "the units whose staff attended")[i]
            if report == "impact"
            else ""
        )
        what = (
            f"Laporan ini mengevaluasi {subject + ' ' if subject else ''}{fmt_int(n_cohorts, 'id')} "
            f"angkatan dari {fmt_int(len(programs), 'id')} program ({', '.join(programs)}){study}"
            + (f", {span}" if span else "")
            + (f"; metode: {methods}" if methods else "")
            + (f"; {people}" if people else "")
            + follow
            + ".",
            f"This report evaluates {subject + ' ' if subject else ''}{fmt_int(n_cohorts, 'en')} "
            f"cohort{'s' if n_cohorts != 1 else ''} of {fmt_int(len(programs), 'en')} "
            f"program{'s' if len(programs) != 1 else ''} ({', '.join(programs)}){study}"
            + (f", {span}" if span else "")
            + (f"; delivery: {methods}" if methods else "")
            + (f"; {people}" if people else "")
            + follow
            + ".",
        )[i]
    questions = "; ".join(f"({k}) {q[i]}" for k, q in enumerate(QUESTIONS, 1))
    ask = (
        f" Laporan ini menjawab, sejauh datanya memungkinkan, empat pertanyaan: {questions}.",
        f" It answers, as far as its data allow, four questions: {questions}.",
    )[i]
    return Text(what + ask)


def design_text(
    report: str,
    lang: str = "id",
    *,
    tables: Mapping[str, pd.DataFrame] | None = None,
    design: pd.DataFrame | None = None,
) -> Text:
    """The evaluation design, in words: who is compared with whom, when, and why.

    Parameters
    ----------
    report : {"cohort", "overview", "impact"}
    tables : mapping of DataFrame, optional
        The tables the report reads (``learning``, ``followup``, ``projects``): which
        comparisons the design has.
    design : DataFrame, optional
        For the impact study: one row per unit and period with ``unit``, ``period``,
        ``period_index``, ``post`` and ``treated``.

    Examples
    --------
    >>> design = pd.DataFrame({"unit": ["A", "A", "B", "B"], "period": ["S1", "S2"] * 2,
    ...     "period_index": [0, 1] * 2, "post": [False, True] * 2,
    ...     "treated": [True, True, False, False]})
    >>> print(design_text("impact", "en", design=design))  # doctest: +ELLIPSIS
    Difference-in-differences: 1 trained unit against 1 comparison unit, ...
    """
    i = check_lang(lang, "design_text")
    tables = tables or {}
    parts = []
    if report == "impact" and design is not None and len(design):
        units = design.drop_duplicates("unit").groupby("treated")["unit"].count()
        treated, comparison = int(units.get(True, 0)), int(units.get(False, 0))
        order = design.sort_values("period_index")
        before = order.loc[~order["post"], "period"].drop_duplicates().tolist()
        after = order.loc[order["post"], "period"].drop_duplicates().tolist()
        word = (("unit", "unit"), ("unit", "units"))[i]
        parts.append(
            (
                f"Selisih-dari-selisih: {treated} unit terlatih dibandingkan dengan {comparison} "
                f"unit pembanding, {len(before)} periode sebelum ({before[0] if before else ''} s.d. "
                f"{before[-1] if before else ''}) dan {len(after)} periode sesudah pelatihan "
                f"({after[0] if after else ''} s.d. {after[-1] if after else ''}). Unit **terlatih** "
                "adalah unit yang stafnya mengikuti angkatan program yang dievaluasi; unit "
                "**pembanding** adalah unit studi yang stafnya tidak mengikutinya, sehingga "
                "perubahan di unit pembanding memperkirakan apa yang terjadi tanpa pelatihan "
                "(asumsi tren paralel, diuji dengan studi peristiwa). Unit tidak dipilih secara "
                "acak: perbedaan tetap antarunit dihapus oleh desain, perbedaan tren tidak.",
                f"Difference-in-differences: {treated} trained {word[1] if treated != 1 else 'unit'} "
                f"against {comparison} comparison {word[1] if comparison != 1 else 'unit'}, "
                f"{len(before)} period{'s' if len(before) != 1 else ''} before "
                f"({before[0] if before else ''} to {before[-1] if before else ''}) and {len(after)} "
                f"period{'s' if len(after) != 1 else ''} after the training "
                f"({after[0] if after else ''} to {after[-1] if after else ''}). **Trained** units "
                "are those whose staff attended the evaluated program's cohort; **comparison** "
                "units are the study's units whose staff did not, so the change in the comparison "
                "units estimates what would have happened without the training (parallel trends, "
                "checked with an event study). Units were not randomised: stable differences "
                "between units are removed by the design, differences in trends are not.",
            )[i]
        )
    else:
        scope = (("satu angkatan", "one cohort"), ("semua angkatan", "all cohorts"))[
            report != "cohort"
        ][i]
        parts.append(
            (
                f"Desain pra-pasca tanpa kelompok pembanding ({scope}): peserta yang sama diukur "
                "sebelum dan sesudah pelatihan, sehingga setiap orang menjadi pembanding dirinya "
                "sendiri. Tanpa kelompok pembanding, perubahan tidak dapat dipisahkan sepenuhnya "
                "dari hal lain yang terjadi pada waktu yang sama (misalnya terbiasa dengan soal tes).",
                f"Pre/post design without a comparison group ({scope}): the same participants are "
                "measured before and after the training, so that each person is their own "
                "comparison. Without a comparison group the change cannot be fully separated "
                "from other things happening at the same time (such as familiarity with the test).",
            )[i]
        )
        if report == "overview":
            parts.append(
                (
                    "Angkatan dianalisis per peserta dengan SE robust-klaster menurut angkatan; "
                    "perbedaan metode, narasumber dan tahun adalah perbandingan antarangkatan yang "
                    "tidak diacak.",
                    "Cohorts are analysed per participant with cluster-robust SEs by cohort; "
                    "differences by delivery, facilitator and year compare cohorts that were not "
                    "randomised.",
                )[i]
            )
    followup = tables.get("followup") if report != "impact" else None
    if followup is not None and len(followup):
        waves = _join(
            [str(int(m)) for m in sorted(followup["months_after"].dropna().unique())], lang
        )
        raters = _join(
            [term(str(r), lang).lower() for r in sorted(followup["rater"].dropna().unique())], lang
        )
        parts.append(
            (
                f"Tindak lanjut Level 3: {waves} bulan setelah pelatihan, dinilai oleh {raters}.",
                f"Level 3 follow-up: {waves} months after the training, rated by {raters}.",
            )[i]
        )
    return Text(" ".join(parts))


def instruments(
    tables: Mapping[str, pd.DataFrame],
    lang: str = "id",
    *,
    reaction_items: pd.DataFrame | None = None,
    followup_items: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The instruments and their items, one row per item (or per instrument without items).

    Parameters
    ----------
    tables : mapping of DataFrame
        The tables the report reads: ``reaction_items`` (item texts), ``reaction``,
        ``learning``, ``test_items``, ``followup``, ``projects``, ``costs``, ``benefits``,
        ``ikm``, ``unit_kpi``; absent ones are left out.
    reaction_items : DataFrame, optional
        The questionnaire (default: ``tables["reaction_items"]``), when ``tables`` holds
        only one cohort's rows.
    followup_items : DataFrame, optional
        The Level 3 behaviour items as asked (default: ``tables["followup_items"]``):
        ``rater, item, scale_max, text``. An item asked of both raters in the same words
        is one row (its scale names both raters); otherwise one row per rater.

    Returns
    -------
    DataFrame
        Indexed by instrument and item (empty for an instrument without items), with
        the columns scale and the question as asked (the export's or the codebook's
        text; a Level 3 item whose text neither holds says so); labels in ``lang``.

    Examples
    --------
    >>> items = pd.DataFrame({"item": ["c1"], "dimension": ["content"], "scale_max": [5],
    ...                       "reverse": [False], "text": ["Materi sesuai"]})
    >>> table = instruments({"reaction_items": items}, "en")
    >>> table.index.tolist(), table.iloc[0].tolist()
    ([('Reaction survey (Level 1)', 'c1')], ['1-5 (Content)', 'Materi sesuai'])
    """
    i = check_lang(lang, "instruments")
    names = {
        "reaction": ("Survei reaksi (Level 1)", "Reaction survey (Level 1)"),
        "learning": ("Pre-test dan post-test (Level 2)", "Pre-test and post-test (Level 2)"),
        "followup": ("Tindak lanjut perilaku (Level 3)", "Behaviour follow-up (Level 3)"),
        "projects": ("Status aksi perubahan (Level 3)", "Change-project status (Level 3)"),
        "costs": ("Rincian biaya (Level 5)", "Cost records (Level 5)"),
        "benefits": ("Estimasi manfaat (Level 5)", "Benefit estimates (Level 5)"),
        "ikm": ("Survei kepuasan masyarakat, IKM (Level 4)", "Public satisfaction survey, IKM (Level 4)"),
        "unit_kpi": ("Kinerja unit (Level 4)", "Unit performance (Level 4)"),
    }  # fmt: skip
    rows: list[tuple[str, str, str, str]] = []
    items = reaction_items if reaction_items is not None else tables.get("reaction_items")
    if items is not None and len(items):
        reaction = tables.get("reaction")
        used = (
            set(reaction["item"]) if reaction is not None and len(reaction) else set(items["item"])
        )
        for _, item in items[items["item"].isin(used)].iterrows():
            scale = f"1-{int(item['scale_max'])} ({term(str(item['dimension']), lang)})"
            reverse = (" (dibalik)", " (reversed)")[i] if bool(item.get("reverse")) else ""
            rows.append(
                (names["reaction"][i], str(item["item"]), scale + reverse, str(item["text"]))
            )
    elif tables.get("reaction") is not None and len(tables["reaction"]):
        reaction = tables["reaction"]
        scale = f"1-{int(reaction['scale_max'].max())}"
        rows.append((names["reaction"][i], f"{reaction['item'].nunique()}", scale, ""))
    learning = tables.get("learning")
    if learning is not None and len(learning):
        test_items = tables.get("test_items")
        n_items = (
            int(test_items["item"].nunique()) if test_items is not None and len(test_items) else 0
        )
        top = _join(
            [fmt_int(m, lang) for m in sorted(learning["max_score"].dropna().unique())], lang
        )
        text = (
            (f"{n_items} butir benar/salah; skor 0-{top}", f"{n_items} right/wrong items; score 0-{top}")
            if n_items
            else (f"skor 0-{top}; jawaban per butir tidak ada di data",
                  f"score 0-{top}; answers per item not in the data")
        )[i]  # fmt: skip
        rows.append((names["learning"][i], "", f"0-{top}", text))
    followup = tables.get("followup")
    if followup is not None and len(followup):
        asked = followup_items if followup_items is not None else tables.get("followup_items")
        rows += _followup_rows(followup, asked, names["followup"][i], lang)
    for key in ("projects", "costs", "benefits", "ikm", "unit_kpi"):
        table = tables.get(key)
        if table is None or not len(table):
            continue
        text, scale = {
            "projects": (_join([term(s, lang) for s in C.PROJECT_STATUSES], lang), ""),
            "costs": (("per kategori biaya, termasuk waktu peserta", "per cost category, incl. participant time")[i], ""),
            "benefits": (("rupiah per tahun × atribusi × keyakinan", "rupiah a year × attribution × confidence")[i], ""),
            "ikm": (("9 unsur PermenPANRB 14/2017", "9 elements of PermenPANRB 14/2017")[i], "1-4"),
            "unit_kpi": (("waktu layanan (hari), pengaduan (jumlah)", "service time (days), complaints (count)")[i], ""),
        }[key]  # fmt: skip
        rows.append((names[key][i], "", scale, text))
    columns = [
        ("Instrumen", "Instrument"),
        ("Butir", "Item"),
        ("Skala", "Scale"),
        ("Pertanyaan atau isi", "Question or content"),
    ]
    names_ = [c[i] for c in columns]
    return pd.DataFrame(rows, columns=names_).set_index(names_[:2])


def _followup_rows(
    followup: pd.DataFrame, asked: pd.DataFrame | None, name: str, lang: str
) -> list[tuple[str, str, str, str]]:
    """Rows of :func:`instruments` for the Level 3 items answered in ``followup``.

    Examples
    --------
    >>> follow = pd.DataFrame({"item": ["b1", "b1", "b2"], "rater": ["self", "supervisor", "self"],
    ...                        "scale_max": [5, 5, 5]})
    >>> asked = pd.DataFrame({"rater": ["self", "supervisor", "self"], "item": ["b1", "b1", "b2"],
    ...                       "scale_max": [5, 5, 5], "text": ["Menerapkan", "Menerapkan", "Berbagi"]})
    >>> _followup_rows(follow, asked, "L3", "en")
    [('L3', 'b1', '1-5 (Self, Supervisor)', 'Menerapkan'), ('L3', 'b2', '1-5 (Self)', 'Berbagi')]
    """
    i = check_lang(lang, "instruments")
    none = ("(teks butir tidak ada di ekspor data)", "(item text not in the data exports)")[i]
    answered = followup.dropna(subset=["item"]).drop_duplicates(["item", "rater"])
    texts: dict[tuple[str, str], str] = {}
    scales: dict[tuple[str, str], Any] = {}
    if asked is not None and len(asked):
        for row in asked.itertuples(index=False):
            rater = "" if pd.isna(row.rater) else str(row.rater)
            texts[(str(row.item), rater)] = str(row.text)
            scales[(str(row.item), rater)] = row.scale_max
    top = int(followup["scale_max"].max())
    # item -> text -> raters asked in those words (raters in the order of C.RATERS)
    grouped: dict[str, dict[str, list[str]]] = {}
    for item in sorted(answered["item"].astype(str).unique()):
        raters = answered.loc[answered["item"].astype(str) == item, "rater"]
        order = sorted({"" if pd.isna(r) else str(r) for r in raters},
                       key=lambda r: (C.RATERS.index(r) if r in C.RATERS else 9, r))  # fmt: skip
        for rater in order:
            text = texts.get((item, rater), texts.get((item, ""), none))
            grouped.setdefault(item, {}).setdefault(text, []).append(rater)
    rows = []
    for item, by_text in grouped.items():
        for text, raters in by_text.items():
            maxima = [scales.get((item, r)) for r in raters]
            known = [int(m) for m in maxima if m is not None and not pd.isna(m)]
            scale = f"1-{max(known) if known else top}"
            who = ", ".join(term(r, lang) for r in raters if r) if texts else ""
            rows.append((name, item, f"{scale} ({who})" if who else scale, text))
    return rows


def response_rates(
    tables: Mapping[str, pd.DataFrame], *, participants: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Who answered each instrument, of the participants of the cohorts it covers.

    Parameters
    ----------
    tables : mapping of DataFrame
        ``reaction``, ``learning``, ``followup``, ``projects``, ``benefits`` (absent
        ones give no row).
    participants : DataFrame, optional
        The ``participants`` rows (default: ``tables["participants"]``): the
        denominator, restricted to the cohorts that used the instrument (the 6-month
        wave counts only the cohorts followed up at 6 months).

    Returns
    -------
    DataFrame
        Indexed by ``instrument`` (``reaction``, ``pre``, ``post``, ``pre_post``,
        ``self_<m>``, ``supervisor_<m>``, ``projects_<m>``, ``benefits``): ``n``
        (people who answered), ``of`` (participants) and ``rate`` (n / of, 0-1).

    Examples
    --------
    >>> people = pd.DataFrame({"cohort_id": ["A"] * 4, "participant_id": list("abcd")})
    >>> follow = pd.DataFrame({"cohort_id": ["A"] * 3, "participant_id": list("abc"),
    ...                        "rater": ["self", "self", "supervisor"], "months_after": 3})
    >>> response_rates({"followup": follow}, participants=people)["rate"].tolist()
    [0.5, 0.25]
    """
    people = participants if participants is not None else tables.get("participants")
    if people is None or not len(people):
        return pd.DataFrame(columns=["n", "of", "rate"], index=pd.Index([], name="instrument"))
    key = ["cohort_id", "participant_id"]
    size = people.drop_duplicates(key).groupby("cohort_id").size()
    out: dict[str, tuple[int, int]] = {}

    def add(name: str, answered: pd.DataFrame) -> None:
        answered = answered.dropna(subset=["participant_id"]).drop_duplicates(key)
        answered = answered[answered["cohort_id"].isin(size.index)]
        cohorts = answered["cohort_id"].unique()
        if len(cohorts):
            out[name] = (len(answered), int(size[cohorts].sum()))

    if tables.get("reaction") is not None and len(tables["reaction"]):
        add("reaction", tables["reaction"])
    learning = tables.get("learning")
    if learning is not None and len(learning):
        every = learning["cohort_id"].unique()
        for name, rows in (
            ("pre", learning[learning["pre"].notna()]),
            ("post", learning[learning["post"].notna()]),
            ("pre_post", learning[learning["pre"].notna() & learning["post"].notna()]),
        ):
            n = len(rows.drop_duplicates(key))
            out[name] = (n, int(size[size.index.isin(every)].sum()))
    followup = tables.get("followup")
    if followup is not None and len(followup):
        for months in sorted(followup["months_after"].dropna().unique()):
            wave = followup[followup["months_after"] == months]
            for rater in ("self", "supervisor"):
                rated = wave[wave["rater"] == rater]
                if len(rated):
                    answered = rated.drop_duplicates(key)
                    answered = answered[answered["cohort_id"].isin(size.index)]
                    covered = wave["cohort_id"].unique()
                    out[f"{rater}_{int(months)}"] = (
                        len(answered),
                        int(size[size.index.isin(covered)].sum()),
                    )
    projects = tables.get("projects")
    if projects is not None and len(projects):
        for months in sorted(projects["months_after"].dropna().unique()):
            add(f"projects_{int(months)}", projects[projects["months_after"] == months])
    benefits = tables.get("benefits")
    if benefits is not None and len(benefits):
        add("benefits", benefits)
    frame = pd.DataFrame.from_dict(out, orient="index", columns=["n", "of"])
    frame.index.name = "instrument"
    frame["rate"] = frame["n"] / frame["of"]
    return frame


def _instrument_label(name: str, lang: str) -> str:
    """``supervisor_6`` -> "supervisor ratings, 6 months" in ``lang``."""
    i = check_lang(lang, "_instrument_label")
    fixed = {
        "reaction": ("survei reaksi", "reaction survey"),
        "pre": ("pre-test", "pre-test"),
        "post": ("post-test", "post-test"),
        "pre_post": ("pre-test dan post-test", "both pre-test and post-test"),
        "benefits": ("estimasi manfaat", "benefit estimates"),
    }
    if name in fixed:
        return fixed[name][i]
    kind, _, months = name.rpartition("_")
    what = {
        "self": ("penilaian diri", "self-ratings"),
        "supervisor": ("penilaian atasan", "supervisor ratings"),
        "projects": ("status aksi perubahan", "change-project status"),
    }[kind][i]
    return f"{what}, {months} {('bulan', 'months')[i]}"


def response_text(
    rates: pd.DataFrame, lang: str = "id", *, min_cell: int = C.MIN_CELL_SIZE
) -> Text:
    """Response rates in one sentence: ``supervisor ratings, 6 months 21/32 = 66%``.

    A count of fewer than ``min_cell`` people is written "< 5" without a percentage.
    Rates below :data:`RESPONSE_LOW` are named again at the end.

    Examples
    --------
    >>> rates = pd.DataFrame({"n": [30, 21, 3], "of": [32, 32, 32]},
    ...                      index=["reaction", "supervisor_6", "benefits"])
    >>> print(response_text(rates.assign(rate=rates["n"] / rates["of"]), "en"))
    ... # doctest: +NORMALIZE_WHITESPACE
    Response: reaction survey 30/32 = 94%; supervisor ratings, 6 months 21/32 = 66%;
    benefit estimates < 5 of 32. Below 70%: supervisor ratings, 6 months; benefit estimates.
    """
    i = check_lang(lang, "response_text")
    if rates is None or rates.empty:
        return Text(("Tidak ada data peserta untuk menghitung tingkat respons.",
                     "There are no participant data to compute response rates.")[i])  # fmt: skip
    parts, low = [], []
    for name, row in rates.iterrows():
        label = _instrument_label(str(name), lang)
        of = fmt_int(row["of"], lang)
        if row["n"] < min_cell:
            parts.append(f"{label} < {min_cell} {('dari', 'of')[i]} {of}")
        else:
            pct = fmt_num(100 * row["rate"], 0, lang)
            parts.append(f"{label} {fmt_int(row['n'], lang)}/{of} = {pct}%")
        if row["rate"] < RESPONSE_LOW:
            low.append(label)
    text = ("Respons: ", "Response: ")[i] + "; ".join(parts) + "."
    if low:
        limit = fmt_num(100 * RESPONSE_LOW, 0, lang)
        text += (f" Di bawah {limit}%: ", f" Below {limit}%: ")[i] + "; ".join(low) + "."
    return Text(text)


#: Reason codes of the quality log (:mod:`evalkit.data.clean`) in words: (id, en).
REASONS: dict[str, tuple[str, str]] = {
    "duplicate": ("kiriman ganda, yang terbaru dipakai", "duplicate submissions, the latest kept"),
    "empty_row": ("baris kosong", "empty rows"),
    "empty_response": ("jawaban tanpa isi", "responses without an answer"),
    "likert_unknown_label": ("jawaban di luar label skala", "answers that are no label of the scale"),
    "likert_out_of_range": ("jawaban di luar skala", "answers outside the scale"),
    "unknown_category": ("kategori tak dikenal", "unknown categories"),
    "unknown_unit": ("unit kerja tak dikenal", "unknown units"),
    "unknown_cohort": ("kode angkatan tak dikenal", "unknown cohort codes"),
    "out_of_range": ("angka di luar rentangnya", "numbers out of their range"),
    "not_a_number": ("bukan angka", "cells that are not numbers"),
    "not_an_integer": ("bukan bilangan bulat", "cells that are not integers"),
    "not_a_bool": ("bukan ya/tidak", "cells that are not yes/no"),
    "not_a_share": ("bukan persentase", "cells that are not shares"),
    "not_a_test_answer": ("jawaban tes bukan benar/salah", "test answers that are not right/wrong"),
    "bad_date": ("tanggal tidak sah", "impossible dates"),
    "bad_date_order": ("angkatan berakhir sebelum mulai", "cohorts ending before they start"),
    "future_date": ("tanggal setelah hari pembersihan", "dates after the day of cleaning"),
    "missing_required": ("isian wajib kosong", "required values missing"),
    "nip_conflict": ("NIP yang bertentangan", "conflicting NIPs"),
    "short_row": ("baris terpotong", "truncated rows"),
    "no_identifier": ("baris tanpa NIP dan nama", "rows without NIP and name"),
    "nip_reformatted": ("NIP dirapikan", "NIPs reformatted"),
    "unit_variant": ("ejaan lain nama unit", "variant spellings of unit names"),
    "unit_typo": ("salah ketik nama unit", "mistyped unit names"),
    "merged_cell": ("sel gabungan XLSX", "merged XLSX cells"),
    "post_without_pre": ("post-test tanpa pre-test", "post-tests without a pre-test"),
    "long_cohort": ("angkatan lebih dari setahun", "cohorts longer than a year"),
    "not_on_roster": ("peserta tidak ada di daftar", "participants on no roster"),
    "empty_file": ("berkas tanpa baris data", "files without data rows"),
}  # fmt: skip

#: How each action of the quality log reads: (id, en), with {n} the count of entries.
ACTIONS = {
    "dropped": ("{n} baris dibuang", "{n} row{s} dropped"),
    "quarantined": ("{n} baris dikarantina, tidak masuk tabel mana pun",
                    "{n} row{s} quarantined, left out of every table"),
    "repaired": ("{n} sel diperbaiki", "{n} cell{s} repaired"),
    "flagged": ("{n} baris ditandai dan tetap dipakai", "{n} row{s} flagged and kept"),
}  # fmt: skip


def _reason_words(code: str, lang: str) -> str:
    """The words of a reason code; NIP codes without their own words read as NIP repairs."""
    i = check_lang(lang, "_reason_words")
    if code in REASONS:
        return REASONS[code][i]
    if code.startswith("nip_"):
        return ("NIP rusak, dikenali dari nama", "damaged NIPs, matched by name")[i]
    return code


def cleaning_summary(log: pd.DataFrame | None, lang: str = "id") -> Text:
    """The study's quality log in words: entries per action, with the reasons of each.

    Parameters
    ----------
    log : DataFrame or None
        ``quality_log.csv`` (:func:`evalkit.data.processed.quality_log`): columns
        ``reason`` (``code: details``) and ``action``. Empty: a sentence saying that
        cleaning logged nothing; None (no log in the processed folder): one saying so.

    Examples
    --------
    >>> print(cleaning_summary(pd.DataFrame(columns=["reason", "action"]), "en"))
    Cleaning logged no entry: every row of the raw exports was taken as it was.
    """
    i = check_lang(lang, "cleaning_summary")
    if log is None:
        return Text(("Data olahan studi ini tidak memuat log mutu (quality_log.csv), sehingga "
                     "pembersihannya tidak dapat diringkas.",
                     "The study's processed data hold no quality log (quality_log.csv), so its "
                     "cleaning cannot be summarised.")[i])  # fmt: skip
    if log.empty:
        return Text(("Pembersihan data tidak mencatat apa pun: setiap baris ekspor mentah "
                     "dipakai apa adanya.",
                     "Cleaning logged no entry: every row of the raw exports was taken as it "
                     "was.")[i])  # fmt: skip
    codes = log["reason"].astype(str).str.split(":", n=1).str[0].str.strip()
    frame = pd.DataFrame({"code": codes, "action": log["action"].astype(str)})
    parts = []
    for action in [a for a in ACTIONS if a in set(frame["action"])] + sorted(
        set(frame["action"]) - set(ACTIONS)
    ):
        rows = frame[frame["action"] == action]
        n = len(rows)
        head = ACTIONS.get(action, ("{n} " + action, "{n} " + action))[i]
        head = head.format(n=fmt_int(n, lang), s="" if n == 1 else "s")
        words: dict[str, int] = {}
        for code, count in rows["code"].value_counts(sort=False).items():
            label = _reason_words(str(code), lang)
            words[label] = words.get(label, 0) + int(count)
        detail = ", ".join(
            f"{w}: {fmt_int(c, lang)}"
            for w, c in sorted(words.items(), key=lambda kv: (-kv[1], kv[0]))
        )
        parts.append(f"{head} ({detail})")
    total = fmt_int(len(frame), lang)
    return Text(
        (
            f"Pembersihan data mencatat {total} entri pada ekspor mentah studi: "
            + "; ".join(parts)
            + ".",
            f"Cleaning logged {total} entries in the study's raw exports: "
            + "; ".join(parts)
            + ".",
        )[i]
    )


#: Kirkpatrick level -> its name in the methods list: (id, en).
LEVELS = {
    0: ("Desain studi (power)", "Study design (power)"),
    1: ("Level 1, reaksi", "Level 1, reaction"),
    2: ("Level 2, pembelajaran", "Level 2, learning"),
    3: ("Level 3, perilaku", "Level 3, behaviour"),
    4: ("Level 4, hasil", "Level 4, results"),
    5: ("Level 5, biaya dan ROI", "Level 5, costs and ROI"),
}


def analysis_methods(rows: Any, lang: str = "id") -> Text:
    """The analysis methods of a report, from its ledger rows, by level, each once.

    The ``method`` column of the ledger is written in English (it is the ledger's
    vocabulary, shared by every report); the list gives it in ``lang``
    (:func:`evalkit.reporting.method_terms.method_text`), without the disclosure note
    ("suppressed: n < 5") of suppressed rows.

    Examples
    --------
    >>> rows = [{"level": 2, "outcome": "test score", "method": "paired t"},
    ...         {"level": 2, "outcome": "test score", "method": "paired t; suppressed: n < 5"}]
    >>> print(analysis_methods(rows, "en"))
    The methods behind this report's estimates, as the results ledger (results.csv) records them:
    <BLANKLINE>
    - **Level 2, learning** (test score): paired t
    """
    i = check_lang(lang, "analysis_methods")
    frame = ledger_rows(rows)
    if frame.empty:
        return Text(("Laporan ini tidak mencatat estimasi.", "This report records no estimate.")[i])
    method = frame["method"].str.replace(SUPPRESSED_NOTE, "", regex=True).str.strip()
    frame = frame.assign(method=method)
    lines = []
    for level in sorted(frame["level"].dropna().unique()):
        at = frame[frame["level"] == level]
        for name, group in at.groupby("method", sort=False):
            if not name:
                continue
            outcomes = ", ".join(
                dict.fromkeys(outcome_text(str(o), lang) for o in group["outcome"])
            )
            lines.append(
                f"- **{LEVELS.get(int(level), (str(level),) * 2)[i]}** ({outcomes}): "
                f"{method_text(str(name), lang)}"
            )
    head = (
        "Metode di balik setiap estimasi laporan ini, sebagaimana dicatat di ledger hasil "
        "(results.csv):",
        "The methods behind this report's estimates, as the results ledger (results.csv) "
        "records them:",
    )[i]
    return Text(head + "\n\n" + "\n".join(lines))
