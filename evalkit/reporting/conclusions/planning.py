"""Worded results of planning: training needs (where to train) and the budget planner.

:func:`needs_conclusion` names the lowest-rated behaviours by unit and position type
(:func:`evalkit.needs_ranking`) and the groups that found the training least relevant
(:func:`evalkit.relevance_needs`); :func:`field_needs_quotes` and
:func:`field_needs_conclusion` give the comments that ask for training closer to the
field; :func:`plan_table`, :func:`plan_conclusion` and :func:`plan_note` word
:func:`evalkit.budget_plan`, planned on the pre/post gain or on the Level 3 transfer index
(``measure`` ``"transfer"``). :func:`needs_estimates`, :func:`plan_estimates`,
:func:`effect_estimates` and :func:`transfer_estimates` give their rows of the results
ledger. Every sentence is written in Indonesian and English;
groups of fewer than 5 people are never named.

Examples
--------
>>> import pandas as pd
>>> plan = pd.DataFrame({"measure": ["d_z"], "comparable": [True]}, index=["P"])
>>> print(plan_note(plan, "en"))  # doctest: +ELLIPSIS
Programs took different tests; they are compared here on d_z ...
"""

from __future__ import annotations

import pandas as pd

from evalkit import constants as C
from evalkit.errors import ParameterError
from evalkit.reporting.comments import Html, classify, example_quotes, quotes_html, respondents
from evalkit.reporting.disclosure import group_is_small, is_small, withheld_note
from evalkit.reporting.formats import fmt_ci, fmt_idr, fmt_int, fmt_num
from evalkit.reporting.tables import format_table
from evalkit.reporting.terms import Text, check_lang, term

__all__ = [
    "effect_estimates",
    "field_needs",
    "field_needs_conclusion",
    "field_needs_quotes",
    "needs_conclusion",
    "needs_estimates",
    "needs_table",
    "plan_conclusion",
    "plan_estimates",
    "plan_note",
    "plan_table",
    "planning_note",
    "transfer_estimates",
]

#: The comment theme of field-specific needs (:data:`evalkit.reporting.comments.THEMES`).
NEEDS_THEME = "relevance"

_MEASURES = {
    "d_z": ("d_z", "d_z"),
    "pomp_gain": ("poin POMP", "POMP points"),
    "mean_diff": ("poin tes", "test points"),
    "transfer": ("poin indeks transfer", "transfer index points"),
}


def _lower(text: str) -> str:
    """``text`` with a lower-case first letter (a label inside a sentence)."""
    return text[:1].lower() + text[1:]


def _who(characteristic: str, group: object, lang: str) -> str:
    return f"{_lower(term(characteristic, lang))} {term(str(group), lang)}"


def needs_conclusion(
    ranking: pd.DataFrame,
    relevance: pd.DataFrame | None = None,
    lang: str = "id",
    *,
    min_cell: int = C.MIN_CELL_SIZE,
) -> Text:
    """Where supervisors rate behaviour lowest, and who found the training least relevant.

    Parameters
    ----------
    ranking : DataFrame
        :func:`evalkit.needs_ranking` (already without groups under ``min_cell``).
    relevance : DataFrame, optional
        :func:`evalkit.relevance_needs`; its groups under ``min_cell`` are not named.
    lang : {"id", "en"}

    Examples
    --------
    >>> rank = pd.DataFrame({"characteristic": ["unit"], "rank": [1], "group": ["Bappeda"],
    ...     "item": ["b2"], "n": [12.0], "mean": [36.25], "ci_low": [23.0], "ci_high": [49.5],
    ...     "overall_mean": [41.0], "below_overall": [False]})
    >>> print(needs_conclusion(rank, lang="en"))  # doctest: +NORMALIZE_WHITESPACE
    Supervisors rated behaviour b2 lowest in unit (OPD) Bappeda: 36.2 on POMP 0-100 (95% CI
    23.0 to 49.5, n = 12), against 41.0 for all alumni. This is a screening list, not a test:
    an interval that overlaps the mean of all does not show a gap.
    """
    i = check_lang(lang, "needs_conclusion")
    parts = []
    for char, rows in ranking.groupby("characteristic", sort=False):
        top = rows.sort_values("rank", kind="stable").iloc[0]
        ci = fmt_ci(top["ci_low"], top["ci_high"], 1, lang)
        n = fmt_int(top["n"], lang)
        mean, overall = fmt_num(top["mean"], 1, lang), fmt_num(top["overall_mean"], 1, lang)
        who = _who(str(char), top["group"], lang)
        if i == 0:
            parts.append(
                f"Menurut atasan, perilaku {top['item']} paling rendah di {who}: {mean} pada "
                f"POMP 0-100 ({ci}, n = {n}), dibanding {overall} untuk semua alumni."
            )
        else:
            parts.append(
                f"Supervisors rated behaviour {top['item']} lowest in {who}: {mean} on POMP "
                f"0-100 ({ci}, n = {n}), against {overall} for all alumni."
            )
    if not parts:
        parts.append(
            f"Tidak ada kelompok dengan sedikitnya {min_cell} alumni yang dinilai atasan."
            if i == 0
            else f"No group has at least {min_cell} alumni rated by a supervisor."
        )
    if relevance is not None and len(relevance):
        shown = relevance[~is_small(relevance["n"], min_cell=min_cell)].reset_index()
        shown["characteristic"] = shown["characteristic"].astype(str)
        lowest = []
        for char, rows in shown.groupby("characteristic", sort=False):
            low = rows.sort_values("mean", kind="stable").iloc[0]
            ci = fmt_ci(low["ci_low"], low["ci_high"], 1, lang)
            lowest.append(
                f"{_who(str(char), low['group'], lang)} ({fmt_num(low['mean'], 1, lang)}, {ci})"
            )
        if lowest:
            joined = "; ".join(lowest)
            parts.append(
                f"Relevansi pelatihan (POMP 0-100) terendah: {joined}."
                if i == 0
                else f"Lowest relevance of the training (POMP 0-100): {joined}."
            )
    parts.append(
        "Ini daftar penyaringan, bukan uji: IK yang tumpang tindih dengan rerata semua tidak "
        "menunjukkan kesenjangan."
        if i == 0
        else "This is a screening list, not a test: an interval that overlaps the mean of all "
        "does not show a gap."
    )
    return Text(" ".join(parts))


def needs_table(
    needs: pd.DataFrame, lang: str = "id", *, min_cell: int = C.MIN_CELL_SIZE
) -> pd.DataFrame:
    """A display table of :func:`evalkit.needs_ranking` or :func:`evalkit.relevance_needs`.

    Rows about fewer than ``min_cell`` people are left out (the disclosure rule of
    :func:`evalkit.reporting.disclosure.is_small`); the row label is the group with its
    characteristic (and the item, for behaviours), the inference is named in words.

    Examples
    --------
    >>> idx = pd.MultiIndex.from_tuples([("unit", "Bappeda"), ("unit", "Dinsos")],
    ...                                 names=["characteristic", "group"])
    >>> rel = pd.DataFrame({"n": [12.0, 3.0], "n_clusters": [2.0, 1.0], "mean": [60.0, 50.0],
    ...     "ci_low": [50.0, 40.0], "ci_high": [70.0, 60.0], "inference": ["cluster", "t"]},
    ...     index=idx)
    >>> needs_table(rel, "en").index.tolist()
    ['Unit (OPD): Bappeda']
    """
    check_lang(lang, "needs_table")
    frame = needs.reset_index() if "characteristic" not in needs.columns else needs.copy()
    frame["characteristic"] = frame["characteristic"].astype(str)
    frame = frame[~is_small(frame["n"], min_cell=min_cell)]
    labels = [
        f"{term(str(c), lang)}: {term(str(g), lang)}" + (f" / {it}" if "item" in frame else "")
        for c, g, it in zip(
            frame["characteristic"],
            frame["group"],
            frame["item"] if "item" in frame else [""] * len(frame),
            strict=True,
        )
    ]
    frame = frame.assign(inference=[term(str(v), lang) for v in frame["inference"]])
    frame.index = pd.Index(labels, name=term("group", lang))
    columns = [c for c in ("rank", "n", "n_clusters", "mean", "ci_low", "ci_high", "overall_mean",
                           "inference") if c in frame.columns]  # fmt: skip
    return format_table(frame, lang, columns=columns, decimals=1,
                        integer=["rank", "n", "n_clusters"])  # fmt: skip


def field_needs(comments: pd.DataFrame, *, text: str = C.TEXT) -> pd.DataFrame:
    """The comments that ask for training closer to the field: relevance, and not praise.

    The theme ``relevance`` of :data:`evalkit.reporting.comments.THEMES` ("relevance to
    the job and field needs") also catches thanks for a relevant course ("bisa langsung
    diterapkan, terima kasih"); a need is a relevance comment that is not praise.

    Examples
    --------
    >>> c = pd.DataFrame({"text": ["Perlu studi kasus dari pelayanan di daerah.",
    ...                            "Terima kasih, bisa langsung diterapkan.", "Jadwal padat"]})
    >>> field_needs(c)["text"].tolist()
    ['Perlu studi kasus dari pelayanan di daerah.']
    """
    hits = classify(comments, text=text)
    keep = hits[NEEDS_THEME] & ~hits["praise"]
    return comments.loc[keep[keep].index]


def field_needs_conclusion(comments: pd.DataFrame, lang: str = "id") -> Text:
    """How many people asked for training closer to their field.

    The comments' group-level rule (:mod:`evalkit.reporting.disclosure`): when fewer
    than 5 people wrote a comment with content (:func:`evalkit.reporting.comments.
    respondents`), the sentence of :func:`evalkit.reporting.disclosure.withheld_note`
    instead; else the count as it is.

    Examples
    --------
    >>> c = pd.DataFrame({"participant_id": list("abcdef"),
    ...                   "text": ["Perlu contoh sesuai kondisi di daerah kami."] * 6})
    >>> print(field_needs_conclusion(c, "en"))
    6 people asked for training closer to their field or region (comments on relevance that are not praise).
    """
    i = check_lang(lang, "field_needs_conclusion")
    if group_is_small(respondents(comments)):
        return withheld_note(lang)
    count = fmt_int(respondents(field_needs(comments)), lang)
    if i == 0:
        return Text(
            f"{count} orang meminta pelatihan yang lebih sesuai dengan bidang atau daerahnya "
            "(komentar tentang relevansi yang bukan pujian)."
        )
    return Text(
        f"{count} people asked for training closer to their field or region (comments on "
        "relevance that are not praise)."
    )


def field_needs_quotes(comments: pd.DataFrame, lang: str = "id", *, k: int = 3) -> Html:
    """Up to ``k`` quotes of field-specific needs, escaped; none when fewer than 5 wrote a comment.

    The comments' group-level rule (:mod:`evalkit.reporting.disclosure`) is checked on
    all ``comments`` (the group: the study), and the quotes are
    :func:`evalkit.reporting.comments.example_quotes` of :func:`field_needs` (so comments
    with a masked phone number, e-mail address or NIP, and long ones, are never quoted).
    A group too small gives an empty block (:func:`field_needs_conclusion` says why).

    Examples
    --------
    >>> c = pd.DataFrame({"participant_id": list("abcde"),
    ...                   "text": ["Perlu contoh di daerah."] + ["Jadwal padat"] * 4})
    >>> print(field_needs_quotes(c, "en"))  # doctest: +NORMALIZE_WHITESPACE
    <div class="ek-quotes"><p><strong>Relevance to the job and field needs</strong></p><ul>
    <li>&ldquo;Perlu contoh di daerah.&rdquo;</li></ul></div>
    >>> field_needs_quotes(c.iloc[1:], "en")
    ''
    """
    check_lang(lang, "field_needs_quotes")
    if group_is_small(respondents(comments)):
        return Html("")
    quotes = example_quotes(field_needs(comments), k=k, min_respondents=1)
    return quotes_html(quotes[quotes["theme"] == NEEDS_THEME], lang)


def _with_ci(value: float, low: float, high: float, decimals: int, lang: str) -> str:
    """``1.05 (−0.04 to 2.13)``: an estimate with its interval, for a table cell."""
    interval = fmt_ci(low, high, decimals, lang).split(" ", 2)[2]
    return f"{fmt_num(value, decimals, lang)} ({interval})"


def plan_table(plan: pd.DataFrame, lang: str = "id") -> pd.DataFrame:
    """The budget plan as a display table: rupiah, counts with their range, estimates with CIs.

    Examples
    --------
    >>> plan = pd.DataFrame({"cost_per_participant": [2.6e6], "cost_min": [2.5e6],
    ...     "cost_max": [2.8e6], "n_participants": [95], "n_participants_low": [90],
    ...     "n_participants_high": [99], "n_cohorts": [5], "cohort_size": [18.0],
    ...     "measure": ["d_z"], "effect": [1.405], "effect_ci_low": [0.81],
    ...     "effect_ci_high": [2.0], "effect_per_million": [0.535],
    ...     "effect_per_million_ci_low": [0.30], "effect_per_million_ci_high": [0.80],
    ...     "mde_d_z": [0.29], "d_z": [1.4], "underpowered": [False]},
    ...     index=pd.Index(["A"], name="program_id"))
    >>> plan_table(plan, "en").loc["A"].tolist()  # doctest: +NORMALIZE_WHITESPACE
    ['IDR 2,600,000', 'IDR 2,500,000–2,800,000', '95', '90–99', '5 × 18', '1.41 (0.81 to 2.00)',
     '0.535 (0.300 to 0.800)', '0.29', 'no']
    """
    i = check_lang(lang, "plan_table")
    unit = _MEASURES[str(plan["measure"].iloc[0])][i] if len(plan) else "d_z"
    transfer = bool(len(plan)) and str(plan["measure"].iloc[0]) == "transfer"
    yes, no = ("ya", "tidak") if i == 0 else ("yes", "no")
    labels = {
        "cost": ("Biaya/peserta", "Cost/participant"),
        "range": ("Rentang antarangkatan", "Range over cohorts"),
        "n": ("Peserta", "Participants"),
        "n_range": ("Rentang peserta", "Participants, range"),
        "cohorts": ("Angkatan penuh × peserta", "Full cohorts × size"),
        "effect": (f"Efek teramati, {unit} (IK 95%)", f"Observed effect, {unit} (95% CI)"),
        "per": (f"{unit} per Rp1 juta per peserta (IK 95%)",
                f"{unit} per IDR 1 million per participant (95% CI)"),
        "mde": ("MDE (poin indeks)", "MDE (index points)") if transfer else ("MDE (d_z)", "MDE (d_z)"),
        "small": ("MDE > efek teramati", "MDE > observed effect"),
    }  # fmt: skip
    rows = {}
    for program, row in plan.iterrows():
        low = fmt_idr(row["cost_min"], lang)
        high = fmt_idr(row["cost_max"], lang).replace("Rp", "").replace("IDR ", "")
        rows[program] = {
            labels["cost"][i]: fmt_idr(row["cost_per_participant"], lang),
            labels["range"][i]: f"{low}–{high}",
            labels["n"][i]: fmt_int(row["n_participants"], lang),
            labels["n_range"][i]: f"{fmt_int(row['n_participants_low'], lang)}–"
            f"{fmt_int(row['n_participants_high'], lang)}",
            labels["cohorts"][i]: f"{fmt_int(row['n_cohorts'], lang)} × "
            f"{fmt_num(row['cohort_size'], 0, lang)}",
            labels["effect"][i]: _with_ci(row["effect"], row["effect_ci_low"],
                                          row["effect_ci_high"], 2, lang),
            labels["per"][i]: _with_ci(row["effect_per_million"], row["effect_per_million_ci_low"],
                                       row["effect_per_million_ci_high"], 3, lang),
            labels["mde"][i]: fmt_num(row["mde"] if transfer else row["mde_d_z"], 1 if transfer
                                      else 2, lang),
            labels["small"][i]: "–" if pd.isna(row["underpowered"])
            else (yes if row["underpowered"] else no),
        }  # fmt: skip
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = term(str(plan.index.name or "program_id"), lang)
    return out


def plan_conclusion(plan: pd.DataFrame, lang: str = "id") -> Text:
    """What the budget buys per program, the gain per million rupiah, and the MDE, in words.

    Examples
    --------
    >>> plan = pd.DataFrame({"budget": [250e6], "n_participants": [95],
    ...     "n_participants_low": [90], "n_participants_high": [99], "n_cohorts": [5],
    ...     "cohort_size": [18.0], "measure": ["d_z"], "effect": [1.405],
    ...     "effect_per_million": [0.535], "effect_per_million_ci_low": [0.296],
    ...     "effect_per_million_ci_high": [0.797], "mde_d_z": [0.29], "d_z": [1.405],
    ...     "underpowered": [False]}, index=pd.Index(["A"], name="program_id"))
    >>> print(plan_conclusion(plan, "en"))  # doctest: +NORMALIZE_WHITESPACE
    A budget of IDR 250,000,000 buys, at each program's observed cost per participant, A:
    95 participants (90–99 over its cohorts' costs), 5 full cohorts of 18; d_z 0.535 per IDR 1
    million per participant (95% CI 0.296 to 0.797); a pre/post study of 95 participants
    detects d_z ≥ 0.29 (observed 1.41).
    """
    i = check_lang(lang, "plan_conclusion")
    if plan.empty:
        return Text(
            "Tidak ada program yang memiliki biaya dan efek teramati."
            if i == 0
            else "No program has both costs and an observed effect."
        )
    budget = fmt_idr(plan["budget"].iloc[0], lang)
    parts = []
    small = []
    for program, row in plan.iterrows():
        unit = _MEASURES[str(row["measure"])][i]
        n = fmt_int(row["n_participants"], lang)
        span = f"{fmt_int(row['n_participants_low'], lang)}–{fmt_int(row['n_participants_high'], lang)}"
        ci = fmt_ci(row["effect_per_million_ci_low"], row["effect_per_million_ci_high"], 3, lang)
        per = fmt_num(row["effect_per_million"], 3, lang)
        mde = fmt_num(row["mde_d_z"], 2, lang)
        dz = fmt_num(row["d_z"], 2, lang)
        size = fmt_num(row["cohort_size"], 0, lang)
        cohorts = fmt_int(row["n_cohorts"], lang)
        if str(row["measure"]) == "transfer":
            points = fmt_num(row["mde"], 1, lang)
            study = (
                f"tindak lanjut {n} alumni mendeteksi selisih rerata indeks transfer ≥ {points} "
                f"poin (d ≥ {mde}) terhadap suatu patokan"
                if i == 0
                else f"a follow-up of {n} alumni detects a difference of ≥ {points} points in "
                f"the mean transfer index (d ≥ {mde}) from a benchmark"
            )
        elif i == 0:
            study = f"studi pre/post dengan {n} peserta mendeteksi d_z ≥ {mde} (teramati {dz})"
        else:
            study = f"a pre/post study of {n} participants detects d_z ≥ {mde} (observed {dz})"
        if i == 0:
            parts.append(
                f"{program}: {n} peserta ({span} menurut biaya angkatannya), {cohorts} angkatan "
                f"penuh @ {size}; {unit} {per} per Rp1 juta per peserta ({ci}); {study}"
            )
        else:
            parts.append(
                f"{program}: {n} participants ({span} over its cohorts' costs), {cohorts} full "
                f"cohort{'' if row['n_cohorts'] == 1 else 's'} of {size}; {unit} {per} per IDR 1 "
                f"million per participant ({ci}); {study}"
            )
        if row["underpowered"] is True:
            small.append(str(program))
    head = (
        f"Anggaran {budget} membeli, dengan biaya per peserta teramati tiap program, "
        if i == 0
        else f"A budget of {budget} buys, at each program's observed cost per participant, "
    )
    text = head + " ".join(f"{part}." for part in parts)
    if small:
        names = ", ".join(small)
        text += (
            f" Untuk {names}, MDE melebihi efek teramati: studi sebesar ini kemungkinan besar "
            "tidak akan menunjukkan apa-apa."
            if i == 0
            else f" For {names} the MDE exceeds the observed effect: a study of this size "
            "would likely show nothing."
        )
    return Text(text)


def plan_note(plan: pd.DataFrame, lang: str = "id") -> Text:
    """Whether the programs can be compared on the plan's measure (they took different tests).

    Examples
    --------
    >>> plan = pd.DataFrame({"measure": ["mean_diff"] * 2, "comparable": [False] * 2},
    ...                     index=["A", "B"])
    >>> print(plan_note(plan, "en"))  # doctest: +ELLIPSIS
    Programs took different tests, so their gains in test points are not comparable: ...
    """
    i = check_lang(lang, "plan_note")
    measure = str(plan["measure"].iloc[0]) if len(plan) else "d_z"
    if len(plan) and not bool(plan["comparable"].all()):
        return Text(
            "Program memakai tes yang berbeda, sehingga kenaikan dalam poin tes tidak dapat "
            "dibandingkan: pakai d_z atau poin POMP."
            if i == 0
            else "Programs took different tests, so their gains in test points are not "
            "comparable: use d_z or POMP points."
        )
    unit = _MEASURES.get(measure, _MEASURES["d_z"])[i]
    if measure == "transfer":
        return Text(
            "Program dibandingkan pada indeks transfer (POMP 0-100) dari tindak lanjut, yang "
            "menyamakan skala jawaban 4 dan 5 poin. Indeks transfer adalah tingkat penerapan "
            "tanpa nilai awal: ia menunjukkan sejauh mana alumni menerapkan pelatihan, bukan "
            "berapa besar perubahan karena program, dan MDE-nya mengandaikan setiap peserta "
            "dinilai saat tindak lanjut. Proyeksi membawa IK indeks teramati dan rentang biaya; "
            "itu bukan janji hasil."
            if i == 0
            else "Programs are compared on the follow-up transfer index (POMP 0-100), which "
            "puts 4- and 5-point answer scales on one scale. The transfer index is a level of "
            "application with no baseline: it shows how far alumni apply the training, not how "
            "much the program changed them, and its MDE assumes every participant is rated at "
            "follow-up. The projections carry the CI of the observed index and the range of "
            "costs; they are not a promise of results."
        )
    if i == 0:
        return Text(
            f"Program memakai tes yang berbeda; perbandingan di sini memakai {unit} (kenaikan "
            "baku), yang menyamakan skala tetapi tidak menyamakan keterampilan yang diukur. "
            "Proyeksi membawa IK efek teramati dan rentang biaya; itu bukan janji hasil."
        )
    return Text(
        f"Programs took different tests; they are compared here on {unit} (a standardised "
        "gain), which puts them on one scale but does not make the skills measured the same. "
        "The projections carry the CI of the observed effects and the range of costs; they "
        "are not a promise of results."
    )


def needs_estimates(
    needs: pd.DataFrame, *, level: int, outcome: str, vcov: str = "CR1"
) -> pd.DataFrame:
    """Ledger rows (estimand ``pomp``) of :func:`evalkit.behavior_needs` or ``relevance_needs``.

    Also takes :func:`evalkit.needs_ranking` (its rows labelled characteristic / group /
    item), and then adds one row per item ranked with the item's mean over all alumni
    rated (``overall_mean``, group ``all alumni / <item>``, no interval), the value
    :func:`needs_conclusion` sets each group against. Rows about fewer than 5 people keep
    their ``n`` only (the ledger's rule); the method names the inference of each row,
    with ``vcov`` the cluster-robust variance the means were computed with
    (``behavior_needs(..., vcov=)``).

    Examples
    --------
    >>> idx = pd.MultiIndex.from_tuples([("unit", "A")], names=["characteristic", "group"])
    >>> res = pd.DataFrame({"n": [9.0], "n_clusters": [1.0], "mean": [60.0], "ci_low": [50.0],
    ...                     "ci_high": [70.0], "inference": ["t"]}, index=idx)
    >>> needs_estimates(res, level=1, outcome="relevance")[["group", "estimate"]].values.tolist()
    [['unit / A', 60.0]]
    """
    from evalkit.reporting.ledger import estimates

    overall = None
    if "characteristic" in needs.columns:  # a ranking: label rows by group and item
        if "overall_mean" in needs.columns and len(needs):
            overall = needs.drop_duplicates("item").set_index("item")[["overall_mean"]]
            overall.index = "all alumni / " + overall.index.astype(str)
        needs = needs.set_index(["characteristic", "group", "item"])
    methods = {
        "cluster": "person-level mean of POMP 0-100; "
        + (
            "CR2 cluster-robust SE by cohort, t with Satterthwaite df"
            if vcov == "CR2"
            else "cluster-robust SE by cohort (CR1, t on cohorts - 1 df)"
        ),
        "t": "person-level mean of POMP 0-100; t interval (one cohort)",
    }
    parts = [
        estimates(needs[needs["inference"] == kind], level=level, outcome=outcome,
                  estimand="pomp", method=method, estimate="mean", n_clusters="n_clusters")
        for kind, method in methods.items()
    ]  # fmt: skip
    if overall is not None:
        parts.append(estimates(
            overall, level=level, outcome=outcome, estimand="pomp", estimate="overall_mean",
            ci=None, n=None, min_n=None, method="person-level mean of POMP 0-100 over all "
            "alumni rated on the item (what each group is set against)",
        ))  # fmt: skip
    return pd.concat(parts, ignore_index=True)


def plan_estimates(plan: pd.DataFrame) -> pd.DataFrame:
    """Ledger rows of :func:`evalkit.budget_plan`: effect per million rupiah, and the MDE.

    ``effect_per_cost`` (level 5) with its interval (the effect's CI over the cost range)
    and ``mde`` (level 0, in d_z) of a paired study of the participants the budget buys;
    ``n`` is that number of participants.

    Examples
    --------
    >>> plan = pd.DataFrame({"budget": [250e6], "n_participants": [95], "measure": ["d_z"],
    ...     "effect_per_million": [0.535], "effect_per_million_ci_low": [0.296],
    ...     "effect_per_million_ci_high": [0.797], "mde_d_z": [0.29], "deff": [1.0]},
    ...     index=pd.Index(["A"], name="program_id"))
    >>> plan_estimates(plan)[["estimand", "estimate", "n"]].values.tolist()
    [['effect_per_cost', 0.535, 95], ['mde', 0.29, 95]]
    """
    from evalkit.reporting.ledger import estimates

    measure = str(plan["measure"].iloc[0]) if len(plan) else "d_z"
    budget = f"{plan['budget'].iloc[0]:,.0f}" if len(plan) else ""
    deff = float(plan["deff"].max()) if len(plan) else 1.0
    if measure == "transfer":
        return pd.concat(
            [
                estimates(plan, level=5, outcome="transfer index points per IDR 1 million per "
                          "participant", estimand="effect_per_cost", method="observed mean "
                          "transfer index (POMP 0-100) / observed cost per participant; interval: "
                          "the index's 95% CI over the range of the program's cohort costs "
                          "(interval arithmetic)", estimate="effect_per_million",
                          ci=("effect_per_million_ci_low", "effect_per_million_ci_high"),
                          n="n_participants", min_n=None),
                estimates(plan, level=0, outcome=f"follow-up of the participants IDR {budget} "
                          "buys (transfer index points)", estimand="mde", method="one-sample "
                          "t of the mean transfer index, two-sided, alpha .05, power .80 "
                          "(noncentral t), in index points (d x SD of the alumni's indices); "
                          f"design effect {deff:g}", estimate="mde", ci=None,
                          n="n_participants", min_n=None),
            ],
            ignore_index=True,
        )  # fmt: skip
    return pd.concat(
        [
            estimates(plan, level=5, outcome=f"{measure} per IDR 1 million per participant",
                      estimand="effect_per_cost", method="observed effect / observed cost per "
                      "participant; interval: the effect's 95% CI over the range of the "
                      "program's cohort costs (interval arithmetic)", estimate="effect_per_million",
                      ci=("effect_per_million_ci_low", "effect_per_million_ci_high"),
                      n="n_participants", min_n=None),
            estimates(plan, level=0, outcome=f"pre/post study of the participants IDR {budget} buys",
                      estimand="mde", method="paired t, two-sided, alpha .05, power .80 "
                      f"(noncentral t); design effect {deff:g}", estimate="mde_d_z", ci=None,
                      n="n_participants", min_n=None),
        ],
        ignore_index=True,
    )  # fmt: skip


def effect_estimates(effects: pd.DataFrame, *, vcov: str = "CR1") -> pd.DataFrame:
    """Ledger rows (``d_z``, level 2) of :func:`evalkit.program_effects`, the planner's effects.

    ``vcov`` is the cluster-robust variance the effects were computed with
    (``program_effects(..., vcov=)``); the method of each row names it.

    Examples
    --------
    >>> eff = pd.DataFrame({"n": [55.0], "n_clusters": [3.0], "d_z": [1.4], "d_z_ci_low": [0.8],
    ...     "d_z_ci_high": [2.0], "inference": ["cluster"]}, index=pd.Index(["A"], name="program_id"))
    >>> effect_estimates(eff)[["group", "estimand", "estimate"]].values.tolist()
    [['A', 'd_z', 1.4]]
    """
    from evalkit.reporting.ledger import estimates

    methods = {
        "cluster": "mean gain / SD of the gains, person level; interval: "
        + (
            "CR2 cluster-robust CI of the mean gain by cohort (t with Satterthwaite df)"
            if vcov == "CR2"
            else "cluster-robust CI of the mean gain by cohort (CR1, t on cohorts - 1 df)"
        )
        + " over that SD",
        "t": "mean gain / SD of the gains, person level; interval: paired t CI (one cohort) "
        "over that SD",
    }
    parts = [
        estimates(effects[effects["inference"] == kind], level=2,
                  outcome="test score gain per program (planner)", estimand="d_z", method=method,
                  estimate="d_z", ci=("d_z_ci_low", "d_z_ci_high"), n_clusters="n_clusters")
        for kind, method in methods.items()
    ]  # fmt: skip
    return pd.concat(parts, ignore_index=True)


def transfer_estimates(transfer: pd.DataFrame, *, vcov: str = "CR1") -> pd.DataFrame:
    """Ledger rows (``pomp``, level 3) of :func:`evalkit.program_transfer`, the planner's transfer.

    ``vcov`` is the cluster-robust variance of the means (``program_transfer(...,
    vcov=)``); the method of each row names it.

    Examples
    --------
    >>> tr = pd.DataFrame({"months_after": [3.0], "n": [55.0], "n_clusters": [3.0],
    ...     "mean": [59.4], "ci_low": [51.3], "ci_high": [67.5], "inference": ["cluster"]},
    ...     index=pd.Index(["A"], name="program_id"))
    >>> transfer_estimates(tr)[["group", "estimand", "estimate"]].values.tolist()
    [['A', 'pomp', 59.4]]
    """
    from evalkit.reporting.ledger import estimates

    wave = transfer["months_after"].dropna()
    when = f", {wave.iloc[0]:g} months" if len(wave) else ""
    methods = {
        "cluster": "mean of the alumni's transfer index (POMP 0-100; mean over self and "
        "supervisor); "
        + (
            "CR2 cluster-robust SE by cohort, t with Satterthwaite df"
            if vcov == "CR2"
            else "cluster-robust SE by cohort (CR1, t on cohorts - 1 df)"
        ),
        "t": "mean of the alumni's transfer index (POMP 0-100; mean over self and supervisor); "
        "t interval (one cohort)",
    }
    parts = [
        estimates(transfer[transfer["inference"] == kind], level=3,
                  outcome=f"transfer index per program (planner){when}", estimand="pomp",
                  method=method, estimate="mean", n_clusters="n_clusters")
        for kind, method in methods.items()
    ]  # fmt: skip
    return pd.concat(parts, ignore_index=True)


def planning_note(section: str, lang: str = "id") -> Text:
    """The one sentence shown when a study lacks the tables of a planning section.

    ``section`` is ``"needs"`` (supervisors' follow-up ratings and the reaction survey,
    with participants), ``"plan"`` (costs, pre/post scores and participants) or
    ``"plan_transfer"`` (costs, participants and follow-up ratings).

    Examples
    --------
    >>> print(planning_note("plan", "en"))
    The budget planner needs costs, pre/post scores and participants; this study lacks at least one of them.
    """
    i = check_lang(lang, "planning_note")
    notes = {
        "needs": (
            "Analisis kebutuhan memerlukan penilaian atasan (tindak lanjut) atau survei reaksi, "
            "beserta data peserta; studi ini belum memilikinya.",
            "The needs analysis needs supervisors' follow-up ratings or the reaction survey, "
            "with participants; this study has none of them yet.",
        ),
        "plan": (
            "Perencana anggaran memerlukan biaya, nilai pre/post dan data peserta; studi ini "
            "belum memiliki salah satunya.",
            "The budget planner needs costs, pre/post scores and participants; this study "
            "lacks at least one of them.",
        ),
        "plan_transfer": (
            "Perencanaan pada transfer (Level 3) memerlukan biaya, data peserta dan penilaian "
            "tindak lanjut (indeks transfer); studi ini belum memiliki salah satunya.",
            "Planning on transfer (Level 3) needs costs, participants and follow-up ratings "
            "(the transfer index); this study lacks at least one of them.",
        ),
    }
    if section not in notes:
        raise ParameterError(
            "planning_note: parameter 'section' must be 'needs', 'plan' or 'plan_transfer', "
            f"got {section!r}"
        )
    return Text(notes[section][i])
