"""The executive summary of a report, written from the report's own results-ledger rows.

An evaluator hands a report over with a summary on its first page that answers four
questions as far as the data allow: **did it work** (the primary outcomes: the score
gain, the reaction index, the DiD of the impact study), **for whom** (the subgroup
tests of the program overview), **at what cost** (cost per participant, the BCR and its
break-even verdict) and **did it last** (the transfer index at follow-up, its change
from month 3 to month 6, the change projects sustained, the last period of the event
study). Every number comes with its 95% CI and its n, and a question the report's data
cannot answer gets one sentence saying so.

The sentences are written from ledger rows (:data:`evalkit.reporting.ledger.LEDGER_COLUMNS`),
as a notebook records them (:func:`evalkit.reporting.record.session_estimates` gives
them back inside the kernel). A notebook shows a placeholder at the top
(:func:`summary_placeholder`, displayed with ``display_id="executive-summary"``) and
replaces it with :func:`executive_summary` at the end (``update_display``), when every
estimate has been recorded.

Disclosure: a proportion of people is given as a percentage only when it describes at
least :data:`evalkit.constants.MIN_CELL_SIZE` people on each side (:func:`share_text`, by
the rule of :func:`evalkit.reporting.disclosure.share_is_small`);
the ledger already drops the estimates of rows with fewer people.

Examples
--------
>>> rows = [{"level": 2, "outcome": "test score", "estimand": "mean_change", "group": "",
...          "estimate": 11.03, "ci_low": 7.82, "ci_high": 14.24, "n": 17, "primary": True}]
>>> print(executive_summary(rows, "en", report="cohort"))  # doctest: +ELLIPSIS
Test scores rose by 11.0 points (95% CI 7.8 to 14.2; n = 17): a clear gain. ...
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from evalkit import constants as C
from evalkit.errors import ParameterError
from evalkit.reporting.conclusions.compare import holm_family, holm_verdict
from evalkit.reporting.disclosure import WITHHELD, small_share_side, withheld_note
from evalkit.reporting.formats import fmt_ci, fmt_idr, fmt_int, fmt_num, fmt_p
from evalkit.reporting.ledger import ledger_frame
from evalkit.reporting.terms import Text, check_lang, is_missing, term

__all__ = [
    "REPORT_KINDS",
    "executive_summary",
    "find_estimate",
    "find_estimates",
    "holm_text",
    "ledger_rows",
    "share_text",
    "summary_placeholder",
]

#: The report kinds a summary is written for (the notebooks' names).
REPORT_KINDS = ("cohort", "overview", "impact")


def ledger_rows(rows: Iterable[Mapping[str, Any]] | pd.DataFrame | None) -> pd.DataFrame:
    """Recorded ledger rows (dicts or a frame) as a typed ledger frame; None gives none.

    Examples
    --------
    >>> ledger_rows([{"level": 1, "estimand": "mean", "estimate": 3.2}])["estimate"].tolist()
    [3.2]
    >>> len(ledger_rows(None))
    0
    """
    if rows is None:
        rows = []
    if not isinstance(rows, pd.DataFrame):
        rows = list(rows)
    return ledger_frame(rows)


def find_estimates(
    frame: pd.DataFrame,
    *,
    level: int | None = None,
    estimand: str | Iterable[str] | None = None,
    outcome: str | None = None,
    outcome_startswith: str | None = None,
    group: str | Iterable[str] | None = None,
    primary: bool | None = None,
    shown: bool = True,
) -> pd.DataFrame:
    """The ledger rows matching every condition given, in recorded order.

    ``shown=True`` keeps only rows with an estimate (a suppressed row has none).

    Examples
    --------
    >>> frame = ledger_rows([{"level": 2, "estimand": "d_z", "estimate": 0.8},
    ...                      {"level": 2, "estimand": "d_z", "estimate": None}])
    >>> len(find_estimates(frame, estimand="d_z")), len(find_estimates(frame, shown=False))
    (1, 2)
    """
    keep = pd.Series(True, index=frame.index)
    if level is not None:
        keep &= frame["level"] == level
    if estimand is not None:
        names = [estimand] if isinstance(estimand, str) else list(estimand)
        keep &= frame["estimand"].isin(names)
    if outcome is not None:
        keep &= frame["outcome"] == outcome
    if outcome_startswith is not None:
        keep &= frame["outcome"].str.startswith(outcome_startswith)
    if group is not None:
        groups = [group] if isinstance(group, str) else list(group)
        keep &= frame["group"].isin(groups)
    if primary is not None:
        keep &= frame["primary"] == primary
    if shown:
        keep &= frame["estimate"].notna()
    return frame[keep.fillna(False).astype(bool)]


def find_estimate(frame: pd.DataFrame, **conditions: Any) -> pd.Series | None:
    """The first ledger row matching ``conditions`` (:func:`find_estimates`), else None.

    Examples
    --------
    >>> frame = ledger_rows([{"level": 0, "estimand": "mde", "estimate": 0.7, "n": 17}])
    >>> float(find_estimate(frame, estimand="mde")["n"]), find_estimate(frame, level=3)
    (17.0, None)
    """
    found = find_estimates(frame, **conditions)
    return None if found.empty else found.iloc[0]


def holm_text(p: Any, lang: str = "id") -> str:
    """A Holm-adjusted p value: ``p Holm = 0,002`` / ``Holm p = .002``.

    Examples
    --------
    >>> holm_text(0.00155, "id"), holm_text(0.00002, "en")
    ('p Holm = 0,002', 'Holm p < .001')
    """
    i = check_lang(lang, "holm_text")
    return ("p Holm", "Holm p")[i] + fmt_p(p, lang)[1:]


def _n(row: pd.Series, lang: str) -> str:
    """``n = 17`` (people), with the clusters when the row has them."""
    text = f"n = {fmt_int(row['n'], lang)}" if not is_missing(row["n"]) else ""
    g = row.get("n_clusters")
    if not is_missing(g) and float(g) >= 2:
        text += (", " if text else "") + (
            f"{fmt_int(g, lang)} {'angkatan' if lang == 'id' else 'cohorts'}"
        )
    return text


def _interval(row: pd.Series, decimals: int, lang: str, *, n: str | None = None) -> str:
    """``(95% CI 7.8 to 14.2; n = 17)``, without the CI when the row has none."""
    parts = []
    if not (is_missing(row["ci_low"]) or is_missing(row["ci_high"])):
        parts.append(fmt_ci(row["ci_low"], row["ci_high"], decimals, lang))
    count = _n(row, lang) if n is None else n
    if count:
        parts.append(count)
    return f" ({'; '.join(parts)})" if parts else ""


def _verdict(row: pd.Series, lang: str, *, null: float = 0.0) -> str:
    """Whether the CI of ``row`` lies above, below or around ``null``, in words."""
    i = check_lang(lang, "_verdict")
    low, high = row["ci_low"], row["ci_high"]
    if is_missing(low) or is_missing(high):
        return ("tanpa IK", "no CI")[i]
    if low > null:
        return ("jelas di atas", "clearly above")[i]
    if high < null:
        return ("jelas di bawah", "clearly below")[i]
    return ("tidak dapat dibedakan dari", "not distinguishable from")[i]


def _reversion_note(frame: pd.DataFrame, outcome: str, lang: str) -> str:
    """``"; possibly partly regression to the mean"`` when the ledger records its sign.

    Examples
    --------
    >>> rows = pd.DataFrame({"level": [4], "outcome": ["complaints"],
    ...                      "estimand": ["mean_reversion"], "estimate": [0.74]})
    >>> _reversion_note(rows, "complaints", "en"), _reversion_note(rows, "ikm", "en")
    ('; possibly in part regression to the mean (see the limitations)', '')
    """
    i = check_lang(lang, "executive_summary")
    if find_estimate(frame, level=4, estimand="mean_reversion", outcome=outcome) is None:
        return ""
    return (
        "; sebagian mungkin regresi ke rerata (lihat keterbatasan)",
        "; possibly in part regression to the mean (see the limitations)",
    )[i]


def _secondary_verdict(row: pd.Series, lang: str, *, null: float, n_tests: int) -> str:
    """A secondary outcome's verdict on its Holm p (:func:`holm_verdict`), as the overview's.

    Without a Holm p the interval's verdict (:func:`_verdict`). With it: clearly above
    or below ``null`` when the Holm p is below .05 (also after the adjustment), above or
    below it at the unadjusted level only when only the unadjusted p is, else not
    distinguishable from it; the interval is quoted beside it, not judged.

    Examples
    --------
    >>> row = pd.Series({"estimate": 0.42, "ci_low": 0.29, "ci_high": 0.63, "p_value": 0.02,
    ...                  "p_adjusted": 0.06})
    >>> _secondary_verdict(row, "en", null=1.0, n_tests=2)
    'below 1 at the unadjusted level only, not after the Holm adjustment for the 2 secondary tests'
    """
    i = check_lang(lang, "_secondary_verdict")
    if is_missing(row["p_adjusted"]) or is_missing(row["p_value"]):
        return f"{_verdict(row, lang, null=null)} {fmt_num(null, 0, lang)}"
    at = fmt_num(null, 0, lang)
    family = holm_family(n_tests, lang)
    above = float(row["estimate"]) > null
    side = (("di atas", "above") if above else ("di bawah", "below"))[i]
    return {
        "holds_after_holm": (
            f"jelas {side} {at}, juga setelah {family}",
            f"clearly {side} {at}, also after {family}",
        ),
        "unadjusted_only": (
            f"{side} {at} hanya pada p tanpa koreksi, tidak setelah {family}",
            f"{side} {at} at the unadjusted level only, not after {family}",
        ),
        "not_significant": (f"tidak dapat dibedakan dari {at}", f"not distinguishable from {at}"),
    }[holm_verdict(row["p_value"], row["p_adjusted"])][i]


def share_text(row: pd.Series, lang: str, *, min_cell: int = C.MIN_CELL_SIZE) -> str:
    """A proportion of people as ``50% (95% CI 29% to 71%; n = 18)``, or its safe form.

    When the people it counts, or the people it does not, are fewer than ``min_cell``
    (``round(p × n)`` or ``n − round(p × n)``: the rule of
    :func:`evalkit.reporting.disclosure.share_is_small`, whose side
    :func:`~evalkit.reporting.disclosure.small_share_side` tells), no percentage is given:
    "fewer than 5 of 18" (or "all but fewer than 5 of 18"), so no small group is described
    by a number.

    Examples
    --------
    >>> row = pd.Series({"estimate": 0.5, "ci_low": 0.29, "ci_high": 0.71, "n": 18})
    >>> share_text(row, "en")
    '50% (95% CI 29% to 71%; n = 18)'
    >>> share_text(pd.Series({"estimate": 1 / 18, "ci_low": 0.01, "ci_high": 0.26, "n": 18}), "id")
    'kurang dari 5 dari 18'
    """
    i = check_lang(lang, "share_text")
    n = float(row["n"])
    side = small_share_side(float(row["estimate"]), n, min_cell=min_cell)
    if side == "count":
        return (f"kurang dari {min_cell} dari {fmt_int(n, lang)}", f"fewer than {min_cell} of "
                f"{fmt_int(n, lang)}")[i]  # fmt: skip
    if side == "rest":
        return (
            f"semua kecuali kurang dari {min_cell} dari {fmt_int(n, lang)}",
            f"all but fewer than {min_cell} of {fmt_int(n, lang)}",
        )[i]
    pct = fmt_num(100 * float(row["estimate"]), 0, lang) + "%"
    ci = ""
    if not (is_missing(row["ci_low"]) or is_missing(row["ci_high"])):
        low = fmt_num(100 * float(row["ci_low"]), 0, lang) + "%"
        high = fmt_num(100 * float(row["ci_high"]), 0, lang) + "%"
        ci = (f"IK 95% {low} s.d. {high}; ", f"95% CI {low} to {high}; ")[i]
    return f"{pct} ({ci}n = {fmt_int(n, lang)})"


# --- the four questions ----------------------------------------------------------------


def _worked(frame: pd.DataFrame, report: str, lang: str) -> list[str]:
    """Did it work: the primary outcome(s), with their verdicts."""
    i = check_lang(lang, "executive_summary")
    out = []
    if report == "impact":
        did = find_estimate(frame, level=4, estimand="did", primary=True)
        if did is not None:
            units = f"{fmt_int(did['n_clusters'], lang)} {('unit', 'units')[i]}"
            what = term(did["outcome"], lang)
            p = fmt_p(did["p_value"], lang) if not is_missing(did["p_value"]) else ""
            verdict = _verdict(did, lang)
            out.append(
                (
                    f"{what} unit terlatih berubah {fmt_num(did['estimate'], 1, lang, sign=True)} "
                    f"poin dibandingkan unit pembanding{_interval(did, 1, lang, n=units)}, "
                    f"{verdict} nol ({p}, inferensi randomisasi; hasil utama).",
                    f"{what} of the trained units changed by "
                    f"{fmt_num(did['estimate'], 1, lang, sign=True)} points against the comparison "
                    f"units{_interval(did, 1, lang, n=units)}, {verdict} zero ({p}, randomisation "
                    "inference; primary outcome).",
                )[i][:-1]
                + _reversion_note(frame, did["outcome"], lang)
                + "."
            )
        secondary = []
        rows = [
            (row, outcome, estimand, null)
            for outcome, estimand, null in (
                ("service_days", "did", 0.0),
                ("complaints", "rate_ratio", 1.0),
            )
            if (row := find_estimate(frame, level=4, estimand=estimand, outcome=outcome,
                                     group="")) is not None
        ]  # fmt: skip
        family = sum(not is_missing(r["p_adjusted"]) for r, *_ in rows)  # the Holm family
        for row, outcome, estimand, null in rows:
            units = f"{fmt_int(row['n_clusters'], lang)} {('unit', 'units')[i]}"
            holm = (
                "" if is_missing(row["p_adjusted"]) else ", " + holm_text(row["p_adjusted"], lang)
            )
            value = fmt_num(row["estimate"], 2, lang, sign=(estimand == "did"))
            secondary.append(
                f"{term(outcome, lang).lower()} "
                f"{value}{_interval(row, 2, lang, n=units)[:-1]}{holm}), "
                + _secondary_verdict(row, lang, null=null, n_tests=family)
                + _reversion_note(frame, outcome, lang)
            )
        if secondary:
            out.append(
                (
                    "Hasil sekunder (waktu layanan: selisih-dari-selisih dalam hari; pengaduan: "
                    "rasio laju): " + "; ".join(secondary) + ".",
                    "Secondary outcomes (service time: difference-in-differences in days; "
                    "complaints: rate ratio): " + "; ".join(secondary) + ".",
                )[i]
            )
        return out
    gain = find_estimate(
        frame, level=2, estimand="mean_change", outcome="test score", group=["", "all"],
        primary=True,
    )  # fmt: skip
    if gain is not None:
        g = find_estimate(frame, level=2, estimand="hedges_g", group=gain["group"], primary=True)
        size = ""
        if g is not None and not is_missing(g["ci_low"]):
            size = (
                f"; g Hedges {fmt_num(g['estimate'], 2, lang)}, "
                f"{fmt_ci(g['ci_low'], g['ci_high'], 2, lang)}",
                f"; Hedges' g {fmt_num(g['estimate'], 2, lang)}, "
                f"{fmt_ci(g['ci_low'], g['ci_high'], 2, lang)}",
            )[i]
        verdict = _verdict(gain, lang)
        clear = gain["ci_low"] > 0 if not is_missing(gain["ci_low"]) else False
        words = (
            ("kenaikan yang jelas", "a clear gain")
            if clear
            else (f"{verdict} nol", f"{verdict} zero")
        )[i]
        interval = _interval(gain, 1, lang)[:-1] + size + ")"
        out.append(
            (
                f"Nilai tes naik {fmt_num(gain['estimate'], 1, lang)} poin{interval}: {words}.",
                f"Test scores rose by {fmt_num(gain['estimate'], 1, lang)} points{interval}: {words}.",
            )[i]
        )
    reaction = find_estimate(frame, level=1, estimand="pomp", outcome="reaction", group="all")
    pooled = find_estimate(
        frame, level=1, estimand="mean", outcome="reaction index (POMP 0-100)", group="all"
    )
    if reaction is None and pooled is not None:  # the overview: cohorts of 4- and 5-point scales
        out.append(
            (
                f"Peserta menilai pelatihan {fmt_num(pooled['estimate'], 1, lang)} dari 100 "
                "(indeks reaksi Level 1, POMP"
                f"{_interval(pooled, 1, lang).replace(' (', '; ', 1)}.",
                f"Participants rated the training {fmt_num(pooled['estimate'], 1, lang)} of 100 "
                "(Level 1 reaction index, POMP"
                f"{_interval(pooled, 1, lang).replace(' (', '; ', 1)}.",
            )[i]
        )
    if reaction is not None:
        out.append(
            (
                f"Peserta menilai pelatihan {fmt_num(reaction['estimate'], 1, lang)} dari 100 "
                f"(POMP, reaksi Level 1{_interval(reaction, 1, lang).replace(' (', '; ', 1)}.",
                f"Participants rated the training {fmt_num(reaction['estimate'], 1, lang)} of 100 "
                f"(POMP, Level 1 reaction{_interval(reaction, 1, lang).replace(' (', '; ', 1)}.",
            )[i]
        )
    return out


def _for_whom(frame: pd.DataFrame, lang: str) -> str | None:
    """For whom: the subgroup interaction tests (Holm-adjusted), by characteristic."""
    i = check_lang(lang, "executive_summary")
    tests = find_estimates(frame, estimand="interaction", shown=False)
    tests = tests[tests["p_value"].notna()]
    if tests.empty:
        return None
    p = tests["p_adjusted"].where(tests["p_adjusted"].notna(), tests["p_value"])
    found = tests[p < 0.05]
    n = int(tests["n"].max())
    if found.empty:
        names = ", ".join(dict.fromkeys(term(g, lang) for g in tests["group"]))
        smallest = holm_text(p.min(), lang)
        return (
            f"Untuk siapa: kenaikan nilai dan transfer tidak berbeda menurut {names} "
            f"(uji interaksi, terkecil {smallest}; n = {fmt_int(n, lang)}).",
            f"For whom: score gains and transfer did not differ by {names} (interaction "
            f"tests, smallest {smallest}; n = {fmt_int(n, lang)}).",
        )[i]
    what = {2: ("kenaikan nilai", "score gain"), 3: ("transfer", "transfer")}
    parts = [
        f"{term(row['group'], lang)} ({what.get(int(row['level']), ('', ''))[i]}, "
        f"{holm_text(pv, lang)})"
        for (_, row), pv in zip(found.iterrows(), p[found.index], strict=True)
    ]
    return (
        f"Untuk siapa: hasil berbeda menurut {', '.join(parts)}; n = {fmt_int(n, lang)}.",
        f"For whom: results differed by {', '.join(parts)}; n = {fmt_int(n, lang)}.",
    )[i]


def _cost(frame: pd.DataFrame, report: str, lang: str) -> str | None:
    """At what cost: cost per participant and the BCR with its break-even verdict."""
    i = check_lang(lang, "executive_summary")
    group = "portfolio" if report == "overview" else ""
    bcr = find_estimate(frame, level=5, estimand="bcr", group=group)
    per_head = find_estimate(
        frame, level=5, estimand="cost", outcome="cost per participant (IDR)", group=""
    )
    parts = []
    if per_head is not None:
        parts.append(
            (
                f"biaya penuh {fmt_idr(per_head['estimate'], lang)} per peserta "
                f"(n = {fmt_int(per_head['n'], lang)})",
                f"the fully loaded cost was {fmt_idr(per_head['estimate'], lang)} per participant "
                f"(n = {fmt_int(per_head['n'], lang)})",
            )[i]
        )
    if bcr is not None:
        if is_missing(bcr["ci_low"]):
            verdict = ""
        elif bcr["ci_low"] > 1:
            verdict = term("break_even_above", lang)
        elif bcr["ci_high"] < 1:
            verdict = term("break_even_below", lang)
        else:
            verdict = term("break_even_indistinguishable", lang)
        whole = ("seluruh program: ", "all programs: ")[i] if group else ""
        people = "n = " + fmt_int(bcr["n"], lang)
        parts.append(
            f"{whole}BCR {fmt_num(bcr['estimate'], 2, lang)}{_interval(bcr, 2, lang, n=people)}"
            + (f", {verdict}" if verdict else "")
        )
    if not parts:
        return None
    text = "; ".join(parts)
    return (f"Biaya: {text}.", f"Cost: {text}.")[i]


def _lasted(frame: pd.DataFrame, report: str, lang: str) -> str | None:
    """Did it last: transfer at follow-up, its 3 -> 6 month change, projects sustained."""
    i = check_lang(lang, "executive_summary")
    if report == "impact":
        primary = find_estimate(frame, level=4, estimand="did", primary=True)
        if primary is None:
            return None
        events = find_estimates(frame, level=4, estimand="difference", outcome=primary["outcome"])
        if events.empty:
            return None
        last = events.iloc[-1]
        units = f"{fmt_int(last['n_clusters'], lang)} {('unit', 'units')[i]}"
        return (
            f"Bertahan: pada periode terakhir ({last['group']}) selisih {term(primary['outcome'], lang)} "
            f"masih {fmt_num(last['estimate'], 1, lang, sign=True)} poin"
            f"{_interval(last, 1, lang, n=units)}, {_verdict(last, lang)} nol.",
            f"Did it last: in the last period ({last['group']}) the {term(primary['outcome'], lang)} "
            f"difference was {fmt_num(last['estimate'], 1, lang, sign=True)} points"
            f"{_interval(last, 1, lang, n=units)}, {_verdict(last, lang)} zero.",
        )[i]
    waves = find_estimates(frame, level=3, estimand="pomp", outcome_startswith="transfer index")
    waves = waves[waves["group"].str.endswith("months")]
    if waves.empty:
        return None
    parts = []
    first = waves.iloc[0]
    months = first["group"].split()[0]
    parts.append(
        (
            f"{months} bulan setelah pelatihan indeks transfer (POMP 0-100, diri dan atasan) "
            f"{fmt_num(first['estimate'], 1, lang)}{_interval(first, 1, lang)}",
            f"{months} months after the training the transfer index (POMP 0-100, self and "
            f"supervisor) was {fmt_num(first['estimate'], 1, lang)}{_interval(first, 1, lang)}",
        )[i]
    )
    change = find_estimate(frame, level=3, estimand="change")
    if change is not None:
        parts.append(
            (
                f"dari bulan ke-3 ke ke-6, pada alumni yang sama, berubah "
                f"{fmt_num(change['estimate'], 1, lang, sign=True)} poin{_interval(change, 1, lang)}, "
                f"{_verdict(change, lang)} nol",
                f"from month 3 to month 6, in the same alumni, it changed by "
                f"{fmt_num(change['estimate'], 1, lang, sign=True)} points"
                f"{_interval(change, 1, lang)}, {_verdict(change, lang)} zero",
            )[i]
        )
    sustained = find_estimates(
        frame, level=3, estimand="proportion", outcome="change project sustainment"
    )
    if not sustained.empty:
        last = sustained.iloc[-1]
        months = last["group"].split()[0]
        parts.append(
            (
                f"aksi perubahan berkelanjutan pada bulan ke-{months}: {share_text(last, lang)}",
                f"change projects sustained at {months} months: {share_text(last, lang)}",
            )[i]
        )
    text = "; ".join(parts)
    return (f"Bertahan: {text}.", f"Did it last: {text}.")[i]


#: Why a question has no answer, per report kind: question -> (id, en).
_UNANSWERED: dict[str, dict[str, tuple[str, str]]] = {
    "cohort": {
        "worked": ("apakah berhasil (tidak ada data reaksi atau tes)", "whether it worked (no reaction or test data)"),
        "for_whom": ("untuk siapa (satu angkatan terlalu kecil; lihat ikhtisar program)",
                     "for whom (one cohort is too small; see the program overview)"),
        "cost": ("berapa biayanya (tidak ada data biaya)", "at what cost (no cost data)"),
        "lasted": ("apakah bertahan (tidak ada tindak lanjut Level 3)", "whether it lasted (no Level 3 follow-up)"),
    },
    "overview": {
        "worked": ("apakah berhasil (tidak ada data tes)", "whether it worked (no test data)"),
        "for_whom": ("untuk siapa (tidak ada data peserta atau uji kelompok)",
                     "for whom (no participant data or subgroup tests)"),
        "cost": ("berapa biayanya (tidak ada estimasi manfaat dan biaya)",
                 "at what cost (no benefit estimates and costs)"),
        "lasted": ("apakah bertahan (tidak ada tindak lanjut Level 3)", "whether it lasted (no Level 3 follow-up)"),
    },
    "impact": {
        "worked": ("apakah unit membaik (tidak ada hasil utama)", "whether the units improved (no primary outcome)"),
        "for_whom": ("untuk siapa (studi dampak membandingkan unit, bukan kelompok peserta)",
                     "for whom (the impact study compares units, not groups of participants)"),
        "cost": ("berapa biayanya (biaya dan ROI ada di laporan angkatan dan ikhtisar)",
                 "at what cost (costs and ROI are in the cohort reports and the overview)"),
        "lasted": ("apakah bertahan (tidak ada periode sesudah pelatihan)", "whether it lasted (no period after the training)"),
    },
}  # fmt: skip


#: Why a cohort report cannot say whether it worked when its reaction results are withheld.
_UNANSWERED_WITHHELD = (
    "apakah berhasil (tidak ada data tes, dan hasil reaksinya tidak ditampilkan)",
    "whether it worked (no test data, and its reaction results are withheld)",
)


def executive_summary(
    rows: Iterable[Mapping[str, Any]] | pd.DataFrame | None,
    lang: str = "id",
    *,
    report: str,
    withheld: Iterable[str] = (),
) -> Text:
    """The executive summary of a report, from the ledger rows it recorded.

    Parameters
    ----------
    rows : list of dict or DataFrame
        The report's ledger rows (:func:`evalkit.reporting.record.session_estimates`).
    lang : {"id", "en"}
    report : {"cohort", "overview", "impact"}
        The kind of report: which rows answer which question.
    withheld : iterable of str
        Results the group-level rule withheld (keys of
        :data:`evalkit.reporting.disclosure.WITHHELD`: ``"reaction"`` for a cohort with
        fewer than 5 reaction respondents, :func:`evalkit.reporting.disclosure.
        reaction_withheld`). Each gets its sentence
        (:func:`evalkit.reporting.disclosure.withheld_note`) after the answer to "did it
        work", and the summary names none of their numbers (the ledger holds none).

    Returns
    -------
    Text
        Four to eight sentences: did it work, for whom, at what cost, did it last, and
        one sentence naming the questions the data cannot answer, with why.

    Raises
    ------
    ParameterError
        ``report`` is not one of :data:`REPORT_KINDS`, or ``lang`` is unknown.

    Examples
    --------
    >>> rows = [{"level": 5, "outcome": "Phillips ROI", "estimand": "bcr", "group": "",
    ...          "estimate": 0.07, "ci_low": 0.03, "ci_high": 0.11, "n": 18}]
    >>> print(executive_summary(rows, "en", report="cohort"))  # doctest: +NORMALIZE_WHITESPACE
    Cost: BCR 0.07 (95% CI 0.03 to 0.11; n = 18), below break-even. This report's data
    cannot answer whether it worked (no reaction or test data); for whom (one cohort is too
    small; see the program overview); whether it lasted (no Level 3 follow-up).
    >>> print(executive_summary(rows, "en", report="cohort", withheld=["reaction"]))
    ... # doctest: +ELLIPSIS
    Fewer than 5 participants answered the reaction survey, so ... are not shown: ... Cost: ...
    """
    i = check_lang(lang, "executive_summary")
    if report not in REPORT_KINDS:
        raise ParameterError(
            f"executive_summary: parameter 'report' must be one of {REPORT_KINDS}, got {report!r}"
        )
    withheld = tuple(withheld)
    unknown = [w for w in withheld if w not in WITHHELD]
    if unknown:
        raise ParameterError(
            f"executive_summary: parameter 'withheld' must hold keys of {tuple(WITHHELD)}, "
            f"got {unknown!r}"
        )
    frame = ledger_rows(rows)
    answers = {
        "worked": _worked(frame, report, lang),
        "for_whom": [_for_whom(frame, lang)] if report == "overview" else [],
        "cost": [_cost(frame, report, lang)] if report != "impact" else [],
        "lasted": [_lasted(frame, report, lang)],
    }
    sentences = []
    missing = []
    for question, texts in answers.items():
        texts = [t for t in texts if t]
        if texts:
            sentences += texts
        elif question == "worked" and "reaction" in withheld and report == "cohort":
            missing.append(_UNANSWERED_WITHHELD[i])
        else:
            missing.append(_UNANSWERED[report][question][i])
        if question == "worked":  # the results withheld, in their place
            sentences += [str(withheld_note(lang, what=w)) for w in dict.fromkeys(withheld)]
    if missing:
        sentences.append(
            (
                "Data laporan ini tidak dapat menjawab " + "; ".join(missing) + ".",
                "This report's data cannot answer " + "; ".join(missing) + ".",
            )[i]
        )
    return Text(" ".join(sentences))


def summary_placeholder(lang: str = "id") -> Text:
    """What a report shows until a part written from its results replaces it.

    The executive summary and the list of analysis methods sit before the results
    they are written from; a notebook displays this placeholder under a ``display_id``
    and replaces it at the end (``update_display``).

    Examples
    --------
    >>> print(summary_placeholder("en"))
    *This part is written once every result of this report has been computed.*
    """
    i = check_lang(lang, "summary_placeholder")
    return Text(
        (
            "*Bagian ini ditulis setelah semua hasil laporan ini dihitung.*",
            "*This part is written once every result of this report has been computed.*",
        )[i]
    )
