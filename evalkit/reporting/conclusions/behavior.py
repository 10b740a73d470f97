"""Level 3 conclusions: the transfer index, rater agreement, change projects, the unit ICC.

Sentences for :func:`evalkit.transfer_index` (with self-supervisor agreement from
:func:`evalkit.rater_agreement`), :func:`evalkit.project_rates` and the ICC of
:func:`evalkit.multilevel`, plus :func:`transfer_note`, which says how the index is
built and banded (:data:`evalkit.constants.IMPACT_BANDS`).

Examples
--------
>>> print(transfer_note("en").split(";")[0])
Each alumnus's index is the mean of the self and the supervisor rating (each 0-100)
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from evalkit import constants as C
from evalkit.reporting.conclusions.compare import holm_family, holm_verdict
from evalkit.reporting.formats import fmt_ci, fmt_int, fmt_num, fmt_p, fmt_pct
from evalkit.reporting.sections import result_value
from evalkit.reporting.terms import Text, check_lang, is_missing, term


def transfer_conclusion(
    transfer: Mapping[str, Any] | pd.Series,
    agreement: Mapping[str, Any] | pd.Series | None = None,
    lang: str = "id",
    *,
    months: Any = None,
) -> Text:
    """Word the transfer index (Level 3) and, optionally, self-supervisor agreement.

    Parameters
    ----------
    transfer : mapping or Series
        A row of :func:`evalkit.transfer_index`: ``n, index, ci_low, ci_high, band``,
        ``index_self``, ``index_supervisor``.
    agreement : mapping or Series, optional
        A row of :func:`evalkit.rater_agreement`: ``icc``, ``icc_ci_low``,
        ``icc_ci_high``, ``bias``, ``loa_low``, ``loa_high``.
    months : optional
        Months after training of the follow-up.

    Examples
    --------
    >>> ti = {"n": 20, "index": 71.25, "ci_low": 66.0, "ci_high": 76.5, "band": "Berdampak",
    ...       "index_self": 75.0, "index_supervisor": 67.5}
    >>> print(transfer_conclusion(ti, lang="en", months=6))
    Six months after training the transfer index was 71.2 of 100 (95% CI 66.0 to 76.5; n = 20): Impactful. Alumni rated themselves 75.0 and their supervisors rated them 67.5.
    """
    i = check_lang(lang, "transfer_conclusion")
    g = functools.partial(result_value, transfer)
    when = ""
    if months is not None and not is_missing(months):
        words_en = {3: "Three", 6: "Six", 12: "Twelve"}
        m = int(months)
        when = (
            f"{m} bulan setelah pelatihan, i"
            if i == 0
            else f"{words_en.get(m, str(m))} months after training the t"
        )
    sep = "; " if i == 0 else "; "
    ci = fmt_ci(g("ci_low"), g("ci_high"), 1, lang)
    if i == 0:
        text = (
            f"{when or 'I'}ndeks transfer {fmt_num(g('index'), 1, lang)} dari 100 ({ci}{sep}"
            f"n = {fmt_int(g('n'), lang)}): {g('band')}. Alumni menilai diri {fmt_num(g('index_self'), 1, lang)}, "
            f"atasan menilai {fmt_num(g('index_supervisor'), 1, lang)}."
        )
    else:
        text = (
            f"{when or 'T'}ransfer index was {fmt_num(g('index'), 1, lang)} of 100 ({ci}{sep}"
            f"n = {fmt_int(g('n'), lang)}): {term(g('band'), lang)}. Alumni rated themselves "
            f"{fmt_num(g('index_self'), 1, lang)} and their supervisors rated them "
            f"{fmt_num(g('index_supervisor'), 1, lang)}."
        )
    if agreement is not None:
        a = functools.partial(result_value, agreement)
        lz = i == 0
        icc = fmt_num(a("icc"), 2, lang, leading_zero=lz)
        icc_ci = fmt_ci(a("icc_ci_low"), a("icc_ci_high"), 2, lang, leading_zero=lz)
        bias = fmt_num(a("bias"), 1, lang, sign=True)
        loa = f"{fmt_num(a('loa_low'), 1, lang)}{' s.d. ' if i == 0 else ' to '}{fmt_num(a('loa_high'), 1, lang)}"
        pairs = fmt_int(a("n"), lang)
        text += (
            f" Kesepakatan alumni dan atasan (n = {pairs} pasang): ICC(2,1) = {icc} ({icc_ci}); "
            f"selisih rerata (alumni − atasan) {bias} poin, batas kesepakatan {loa}."
            if i == 0
            else f" Agreement of alumni and supervisors (n = {pairs} pairs): ICC(2,1) = {icc} "
            f"({icc_ci}); mean difference (alumni − supervisor) {bias} points, limits of "
            f"agreement {loa}."
        )
    return Text(text)


def project_conclusion(rates: Mapping[str, Any] | pd.Series, lang: str = "id") -> Text:
    """Word change-project rates (a row of :func:`evalkit.project_rates`).

    Examples
    --------
    >>> rates = {"n": 20, "implementation_rate": 0.65, "implementation_ci_low": 0.43,
    ...          "implementation_ci_high": 0.82, "sustainment_rate": 0.3,
    ...          "sustainment_ci_low": 0.15, "sustainment_ci_high": 0.52}
    >>> print(project_conclusion(rates, "en"))
    Of 20 change projects, 65% were implemented (95% CI 43% to 82%) and 30% are sustained (95% CI 15% to 52%).
    >>> print(project_conclusion({**rates, "sustainment_rate": float("nan")}, "en"))
    Of 20 change projects, 65% implemented (95% CI 43% to 82%) and the share sustained not shown, as the numbers concern fewer than 5 people.
    """
    i = check_lang(lang, "project_conclusion")
    g = functools.partial(result_value, rates)

    def pct_ci(lo: Any, hi: Any) -> str:
        to = " s.d. " if i == 0 else " to "
        head = "IK 95% " if i == 0 else "95% CI "
        return f"{head}{fmt_pct(100 * float(lo), 0, lang)}{to}{fmt_pct(100 * float(hi), 0, lang)}"

    hidden = ("tidak ditampilkan", "not shown")[i]  # suppressed: disclosure.safe_table
    if is_missing(g("implementation_rate")) or is_missing(g("sustainment_rate")):
        shown = [
            (f"{fmt_pct(100 * float(g(f'{k}_rate')), 0, lang)} {w[i]} "
             f"({pct_ci(g(f'{k}_ci_low'), g(f'{k}_ci_high'))})")
            if not is_missing(g(f"{k}_rate")) else f"{('porsi', 'the share')[i]} {w[i]} {hidden}"
            for k, w in (("implementation", ("terlaksana", "implemented")),
                         ("sustainment", ("berkelanjutan", "sustained")))
        ]  # fmt: skip
        if all(is_missing(g(f"{k}_rate")) for k in ("implementation", "sustainment")):
            shown = [("porsi yang terlaksana", "the shares implemented")[i],
                     (f"yang berkelanjutan {hidden}", f"sustained are {hidden}")[i]]  # fmt: skip
        return Text(
            (f"Dari {fmt_int(g('n'), lang)} aksi perubahan, {shown[0]} dan {shown[1]}, karena "
             f"angkanya menyangkut kurang dari {C.MIN_CELL_SIZE} orang.",
             f"Of {fmt_int(g('n'), lang)} change projects, {shown[0]} and {shown[1]}, as "
             f"the numbers concern fewer than {C.MIN_CELL_SIZE} people.")[i]
        )  # fmt: skip
    impl = fmt_pct(100 * float(g("implementation_rate")), 0, lang)
    sus = fmt_pct(100 * float(g("sustainment_rate")), 0, lang)
    ci1 = pct_ci(g("implementation_ci_low"), g("implementation_ci_high"))
    ci2 = pct_ci(g("sustainment_ci_low"), g("sustainment_ci_high"))
    if i == 0:
        return Text(
            f"Dari {fmt_int(g('n'), lang)} aksi perubahan, {impl} telah terlaksana ({ci1}) dan "
            f"{sus} berkelanjutan ({ci2})."
        )
    return Text(
        f"Of {fmt_int(g('n'), lang)} change projects, {impl} were implemented ({ci1}) and "
        f"{sus} are sustained ({ci2})."
    )


def icc_conclusion(result: Any, what: tuple[str, str], lang: str = "id") -> Text:
    """Word the ICC of a random-intercept model (:func:`evalkit.multilevel`), with its CI.

    The interval (``icc_ci_low, icc_ci_high``, the F interval of ICC(1)) is printed when
    the result has one.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> res = SimpleNamespace(icc=0.07, n_groups=18, n_obs=379)
    >>> print(icc_conclusion(res, ("kenaikan nilai", "score gains"), "en"))
    7% of the variation in score gains lies between units (ICC = .07; 18 units, 379 people).
    >>> res = SimpleNamespace(icc=0.07, icc_ci_low=0.02, icc_ci_high=0.18, n_groups=18,
    ...                       n_obs=379)
    >>> print(icc_conclusion(res, ("kenaikan nilai", "score gains"), "en"))
    7% of the variation in score gains lies between units (ICC = .07, 95% CI .02 to .18; 18 units, 379 people).
    """
    i = check_lang(lang, "icc_conclusion")
    icc = float(result.icc)
    pct = fmt_pct(100 * icc, 0, lang)
    value = fmt_num(icc, 2, lang, leading_zero=(i == 0))
    low, high = getattr(result, "icc_ci_low", None), getattr(result, "icc_ci_high", None)
    if low is not None and high is not None and not (is_missing(low) or is_missing(high)):
        level = float(getattr(result, "ci", 0.95))
        value += ", " + fmt_ci(low, high, 2, lang, level=level, leading_zero=(i == 0))
    groups, n = fmt_int(result.n_groups, lang), fmt_int(result.n_obs, lang)
    if i == 0:
        return Text(
            f"{pct} variasi {what[0]} terletak antarunit (ICC = {value}; {groups} unit, {n} orang)."
        )
    return Text(
        f"{pct} of the variation in {what[1]} lies between units (ICC = {value}; {groups} "
        f"units, {n} people)."
    )


def transfer_note(lang: str = "id") -> Text:
    """How the transfer index is built and banded (:data:`evalkit.constants.IMPACT_BANDS`).

    Examples
    --------
    >>> print(transfer_note("en"))  # doctest: +ELLIPSIS
    Each alumnus's index is the mean of the self and the supervisor rating (each 0-100); ... Bands: Very high impact ≥ 80, Impactful ≥ 60, Moderate impact ≥ 40, Low impact below 40.
    """
    i = check_lang(lang, "transfer_note")
    cuts = [(lo, name) for lo, name in C.IMPACT_BANDS if math.isfinite(lo)]
    parts = [f"{term(name, lang)} ≥ {fmt_num(lo, 0, lang)}" for lo, name in cuts]
    last = C.IMPACT_BANDS[-1][1]
    below = fmt_num(cuts[-1][0], 0, lang)
    parts.append(f"{term(last, lang)} {'di bawah' if i == 0 else 'below'} {below}")
    if i == 0:
        return Text(
            "Indeks tiap alumni adalah rerata penilaian diri dan penilaian atasan (masing-masing "
            "0-100); bila salah satu tidak menilai, indeksnya adalah penilaian yang ada saja. "
            "n adalah alumni dengan sedikitnya satu penilaian; n (diri) dan n (atasan) adalah "
            "jumlah penilaian tiap penilai. Kategori: " + ", ".join(parts) + "."
        )
    return Text(
        "Each alumnus's index is the mean of the self and the supervisor rating (each 0-100); "
        "where one of them did not rate, the index is the available rating alone. n counts "
        "alumni with at least one rating; n (self) and n (supervisor) count each rater's "
        "ratings. Bands: " + ", ".join(parts) + "."
    )


def _person_level(n_clusters: Any, lang: str, vcov: str = "CR1") -> str:
    if n_clusters is None or is_missing(n_clusters) or int(n_clusters) < 2:
        return ""  # one cohort: people are the unit, there is nothing to cluster over
    g = int(n_clusters)
    if vcov == "CR2":
        if lang == "id":
            return (
                " Unit analisis: alumni, dengan SE robust-klaster sampel kecil (CR2) menurut "
                f"angkatan dan db Satterthwaite ({fmt_int(g, lang)} angkatan)."
            )
        return (
            " Unit of analysis: alumni, with small-sample (CR2) cluster-robust SEs by cohort "
            f"and Satterthwaite df ({fmt_int(g, lang)} cohorts)."
        )
    if lang == "id":
        return (
            f" Unit analisis: alumni, dengan SE robust-klaster menurut angkatan "
            f"({fmt_int(g, lang)} angkatan; uji t dengan {fmt_int(g - 1, lang)} db)."
        )
    return (
        f" Unit of analysis: alumni, with cluster-robust SEs by cohort "
        f"({fmt_int(g, lang)} cohorts; t with {fmt_int(g - 1, lang)} df)."
    )


def _holm(p_adjusted: Any, lang: str) -> str:
    if p_adjusted is None or is_missing(p_adjusted):
        return ""
    return f" ({fmt_p(p_adjusted, lang).replace('p', 'p Holm', 1)})"


def link_conclusion(
    link: Mapping[str, Any] | pd.Series,
    lang: str = "id",
    *,
    months: Any = 3,
    p_adjusted: Any = None,
    n_tests: Any = None,
    vcov: str = "CR1",
) -> Text:
    """Word the L2 -> L3 slope (a row of :func:`evalkit.gain_behavior_link`).

    With ``p_adjusted`` (a secondary test of a Holm family of ``n_tests``) the Holm p is
    quoted after the p-value and the verdict rests on it
    (:func:`evalkit.reporting.conclusions.compare.holm_verdict`): a slope whose interval
    excludes zero but whose adjusted p is not below .05 is an association at the
    unadjusted level that does not survive the adjustment. ``vcov="CR2"``: the slope came
    with the CR2 SE and Satterthwaite df (``gain_behavior_link(..., cluster=,
    vcov="CR2")``); the df is shown to one decimal and the unit sentence says so.

    Examples
    --------
    >>> link = {"n": 366, "slope": 0.858, "ci_low": 0.723, "ci_high": 0.992, "t": 13.7,
    ...         "df": 14.0, "p": 1e-9, "n_clusters": 15}
    >>> print(link_conclusion(link, "en"))  # doctest: +ELLIPSIS
    Alumni who gained more on the test also applied more at work: each extra point of score gain went with +0.86 points of the 3-month transfer index (95% CI 0.72 to 0.99; n = 366); t(14) = 13.70, p < .001. This is an association, not proof that learning caused the transfer. Unit of analysis: alumni, ...
    """
    i = check_lang(lang, "link_conclusion")
    g = functools.partial(result_value, link)
    ci = fmt_ci(g("ci_low"), g("ci_high"), 2, lang)
    sep = "; " if i == 0 else ", "
    clustered = not is_missing(g("n_clusters")) and int(g("n_clusters")) > 1
    decimals = 1 if vcov == "CR2" and clustered else 0
    df = fmt_num(g("df"), decimals, lang)
    test = f"t({df}) = {fmt_num(g('t'), 2, lang)}{sep}{fmt_p(g('p'), lang)}"
    test += _holm(p_adjusted, lang)
    value = fmt_num(g("slope"), 2, lang, sign=True)
    m = fmt_int(months, lang)
    positive = float(g("ci_low")) > 0
    negative = float(g("ci_high")) < 0
    verdict = holm_verdict(g("p"), p_adjusted)
    family = holm_family(n_tests, lang)
    lost = verdict == "unadjusted_only" and (positive or negative)
    held = verdict == "holds_after_holm" and (positive or negative)
    if i == 0:
        head = (
            "Kenaikan nilai berkaitan dengan penerapan di tempat kerja pada p tanpa koreksi, "
            f"hubungan yang tidak bertahan setelah {family}"
            if lost
            else "Alumni yang nilainya naik lebih banyak juga lebih banyak menerapkannya di "
            "tempat kerja"
            if positive
            else "Alumni yang nilainya naik lebih banyak justru lebih sedikit menerapkannya"
            if negative
            else "Kenaikan nilai tidak terbukti berkaitan dengan penerapan di tempat kerja"
        )
        if held:
            head += f", juga setelah {family}"
        text = (
            f"{head}: setiap tambahan satu poin kenaikan nilai berkaitan dengan {value} poin "
            f"indeks transfer {m} bulan ({ci}; n = {fmt_int(g('n'), lang)}); {test}. Ini "
            "hubungan, bukan bukti bahwa belajar menyebabkan penerapan."
        )
    else:
        head = (
            "Score gain went with applying the training at work at the unadjusted level, an "
            f"association that does not survive {family}"
            if lost
            else "Alumni who gained more on the test also applied more at work"
            if positive
            else "Alumni who gained more on the test applied less at work"
            if negative
            else "Score gain was not shown to go with applying the training at work"
        )
        if held:
            head += f", also after {family}"
        text = (
            f"{head}: each extra point of score gain went with {value} points of the "
            f"{m}-month transfer index ({ci}; n = {fmt_int(g('n'), lang)}); {test}. This is "
            "an association, not proof that learning caused the transfer."
        )
    return Text(text + _person_level(g("n_clusters"), lang, vcov))


def change_conclusion(
    change: Mapping[str, Any] | pd.Series,
    lang: str = "id",
    *,
    baseline: Any = 3,
    later: Any = 6,
    p_adjusted: Any = None,
    n_tests: Any = None,
    vcov: str = "CR1",
) -> Text:
    """Word the within-person change between waves (:func:`evalkit.behavior_change`).

    With ``p_adjusted`` (a secondary test of a Holm family of ``n_tests``) the Holm p is
    quoted after the p-value and the verdict rests on it
    (:func:`evalkit.reporting.conclusions.compare.holm_verdict`). ``vcov="CR2"``: the
    change came with the CR2 SE and Satterthwaite df (``behavior_change(...,
    vcov="CR2")``); the df is shown to one decimal and the unit sentence says so.

    Examples
    --------
    >>> ch = {"n": 118, "mean_baseline": 67.3, "mean_later": 69.6, "mean_change": 2.32,
    ...       "ci_low": -3.15, "ci_high": 7.78, "t": 1.18, "df": 4.0, "p": 0.304,
    ...       "n_clusters": 5}
    >>> print(change_conclusion(ch, "en"))  # doctest: +ELLIPSIS
    Among the 118 alumni rated at both 3 and 6 months, the transfer index went from 67.3 to 69.6: a change of +2.3 points (95% CI −3.1 to 7.8); t(4) = 1.18, p = .304. It has not been shown to change: ...
    """
    i = check_lang(lang, "change_conclusion")
    g = functools.partial(result_value, change)
    ci = fmt_ci(g("ci_low"), g("ci_high"), 1, lang)
    sep = "; " if i == 0 else ", "
    decimals = 1 if vcov == "CR2" and int(g("n_clusters")) > 1 else 0
    test = f"t({fmt_num(g('df'), decimals, lang)}) = {fmt_num(g('t'), 2, lang)}{sep}"
    test += fmt_p(g("p"), lang) + _holm(p_adjusted, lang)
    n, a, b = fmt_int(g("n"), lang), fmt_int(baseline, lang), fmt_int(later, lang)
    frm, to = fmt_num(g("mean_baseline"), 1, lang), fmt_num(g("mean_later"), 1, lang)
    value = fmt_num(g("mean_change"), 1, lang, sign=True)
    up, down = float(g("ci_low")) > 0, float(g("ci_high")) < 0
    judged = holm_verdict(g("p"), p_adjusted)
    family = holm_family(n_tests, lang)
    lost = judged == "unadjusted_only" and (up or down)
    held = judged == "holds_after_holm" and (up or down)
    if i == 0:
        verdict = (
            f"perubahan pada p tanpa koreksi yang tidak bertahan setelah {family}, jadi "
            "penerapan belum terbukti berubah" if lost
            else "penerapan meningkat" if up else "penerapan menurun" if down
            else "belum terbukti berubah: IK mencakup nol, jadi penerapan bisa bertahan, naik "
            "atau turun sedikit"
        )  # fmt: skip
        if held:
            verdict += f", juga setelah {family}"
        text = (
            f"Di antara {n} alumni yang dinilai pada bulan ke-{a} dan ke-{b}, indeks transfer "
            f"berubah dari {frm} menjadi {to}: {value} poin ({ci}); {test}. Hasilnya: {verdict}."
        )
    else:
        verdict = (
            f"A change at the unadjusted level that does not survive {family}, so "
            "application has not been shown to change." if lost
            else "Application increased." if up else "Application decreased." if down
            else "It has not been shown to change: the CI includes zero, so application may "
            "have held, risen or fallen a little."
        )  # fmt: skip
        if held:
            verdict = verdict[:-1] + f", also after {family}."
        text = (
            f"Among the {n} alumni rated at both {a} and {b} months, the transfer index went "
            f"from {frm} to {to}: a change of {value} points ({ci}); {test}. {verdict}"
        )
    return Text(text + _person_level(g("n_clusters"), lang, vcov))


def change_means_estimates(
    change: Mapping[str, Any] | pd.Series,
    *,
    baseline: Any = 3,
    later: Any = 6,
    outcome: str = "transfer index (POMP 0-100)",
    level: int = 3,
) -> pd.DataFrame:
    """Ledger rows of the two means a change is between (:func:`evalkit.behavior_change`).

    :func:`change_conclusion` says the index "went from" the baseline mean "to" the later
    one, over the alumni rated at both waves: two ``pomp`` rows (no interval; the change
    itself, with its interval, is the ``change`` row), grouped ``<baseline> months,
    alumni rated at both`` and ``<later> months, ...``, with ``n`` those alumni.

    Examples
    --------
    >>> ch = {"n": 118, "n_clusters": 5, "mean_baseline": 67.3, "mean_later": 69.6}
    >>> change_means_estimates(ch)[["group", "estimate", "n"]].values.tolist()
    [['3 months, alumni rated at both', 67.3, 118.0], ['6 months, alumni rated at both', 69.6, 118.0]]
    """
    from evalkit.reporting.ledger import estimates

    g = functools.partial(result_value, change)
    frame = pd.DataFrame(
        {"mean": [float(g("mean_baseline")), float(g("mean_later"))],
         "n": [float(g("n"))] * 2,
         "n_clusters": [float(change.get("n_clusters", float("nan")))] * 2},
        index=[f"{baseline} months, alumni rated at both", f"{later} months, alumni rated at both"],
    )  # fmt: skip
    return estimates(
        frame, level=level, outcome=outcome, estimand="pomp", estimate="mean", ci=None,
        n="n", n_clusters="n_clusters", method="mean of the alumni rated at both waves (the "
        "means the change is between)",
    )  # fmt: skip


def attrition_conclusion(
    attrition: pd.DataFrame, lang: str = "id", *, baseline: Any = 3, later: Any = 6
) -> Text:
    """Word attrition between waves (:func:`evalkit.wave_attrition`), small cells hidden.

    Fewer than ``constants.MIN_CELL_SIZE`` drop-outs are reported as "< 5" without their
    share and means (the small-cell rule: the share would give the count away).

    Examples
    --------
    >>> att = pd.DataFrame({"estimate": [0.2, 1.3, 2.6], "ci_low": [0.14, -6.4, -1.6],
    ...     "ci_high": [0.34, 9.1, 6.9], "p": [float("nan"), 0.72, 0.22],
    ...     "n": [66.0, 66, 66], "n_dropped": [15.0, 15, 15]},
    ...     index=["dropped_out", "index_baseline", "gain"])
    >>> print(attrition_conclusion(att, "en"))  # doctest: +ELLIPSIS
    Of 66 alumni rated at 3 months in cohorts followed up at 6 months, 15 were not rated at 6 months (20%, 95% CI 14% to 34%). Compared with those who stayed, their 3-month index differed by +1.3 points (95% CI −6.4 to 9.1; p = .720) and their score gain by +2.6 points (95% CI −1.6 to 6.9; p = .220)...
    >>> few = att.assign(n_dropped=4.0, estimate=[0.06, 1.3, 2.6])
    >>> print(attrition_conclusion(few, "en"))
    Of 66 alumni rated at 3 months in cohorts followed up at 6 months, < 5 were not rated at 6 months. Those who dropped out are too few to compare with those who stayed.
    """
    i = check_lang(lang, "attrition_conclusion")
    row = attrition.loc["dropped_out"]
    n, k = int(row["n"]), int(row["n_dropped"])
    a, b = fmt_int(baseline, lang), fmt_int(later, lang)
    lo, hi = (
        fmt_pct(100 * float(row["ci_low"]), 0, lang),
        fmt_pct(100 * float(row["ci_high"]), 0, lang),
    )
    share = fmt_pct(100 * float(row["estimate"]), 0, lang)
    to = " s.d. " if i == 0 else " to "
    ci = f"{'IK 95%' if i == 0 else '95% CI'} {lo}{to}{hi}"
    small = 0 < k < C.MIN_CELL_SIZE  # the share would tell the count: neither is shown
    count = "< 5" if small else fmt_int(k, lang)
    rate = "" if small else f" ({share}, {ci})"
    if i == 0:
        text = (
            f"Dari {fmt_int(n, lang)} alumni yang dinilai pada bulan ke-{a} di angkatan yang "
            f"dipantau sampai bulan ke-{b}, {count} tidak dinilai lagi pada bulan ke-{b}{rate}."
        )
    else:
        text = (
            f"Of {fmt_int(n, lang)} alumni rated at {a} months in cohorts followed up at {b} "
            f"months, {count} were not rated at {b} months{rate}."
        )
    if small:
        return Text(
            text
            + (
                " Kelompok yang keluar terlalu kecil untuk dibandingkan dengan yang bertahan."
                if i == 0
                else " Those who dropped out are too few to compare with those who stayed."
            )
        )
    what = {"index_baseline": (f"indeks bulan ke-{a}", f"{a}-month index"),
            "gain": ("kenaikan nilai", "score gain")}  # fmt: skip
    parts = []
    for key, (w_id, w_en) in what.items():
        if key not in attrition.index or is_missing(attrition.loc[key, "estimate"]):
            continue
        r = attrition.loc[key]
        diff = fmt_num(r["estimate"], 1, lang, sign=True)
        c = fmt_ci(r["ci_low"], r["ci_high"], 1, lang)
        parts.append(
            f"{w_id} {diff} poin ({c}; {fmt_p(r['p'], lang)})"
            if i == 0
            else f"{w_en} by {diff} points ({c}; {fmt_p(r['p'], lang)})"
        )
    if parts:
        text += (
            " Dibandingkan yang bertahan, selisih mereka: " + " dan ".join(parts) + "."
            if i == 0
            else " Compared with those who stayed, their "
            + " and their ".join(parts).replace(" by ", " differed by ", 1)
            + "."
        )
        text += (
            " Bila yang keluar berbeda, perubahan antargelombang hanya berlaku bagi yang bertahan."
            if i == 0
            else " If those who left differ, the change between waves describes the stayers only."
        )
    return Text(text)


def wave_transfer_conclusion(per_wave: pd.DataFrame, lang: str = "id") -> Text:
    """Word the transfer index of each follow-up wave on its own.

    Parameters
    ----------
    per_wave : DataFrame
        Indexed by months after training: ``n, n_clusters, mean, ci_low, ci_high``
        (:func:`evalkit.clustered_means` of the alumni's POMP index by wave).

    Examples
    --------
    >>> pw = pd.DataFrame({"n": [394.0, 122.0], "n_clusters": [15.0, 5.0],
    ...     "mean": [56.77, 62.12], "ci_low": [54.1, 58.0], "ci_high": [59.4, 66.3]},
    ...     index=pd.Index([3, 6], name="months_after"))
    >>> print(wave_transfer_conclusion(pw, "en"))  # doctest: +ELLIPSIS
    Transfer index (POMP 0-100): 3 months 56.8 (95% CI 54.1 to 59.4; n = 394 alumni in 15 cohorts); 6 months 62.1 (95% CI 58.0 to 66.3; n = 122 alumni in 5 cohorts). The waves cover different cohorts, ...
    """
    i = check_lang(lang, "wave_transfer_conclusion")
    parts = []
    for wave, row in per_wave.iterrows():
        ci = fmt_ci(row["ci_low"], row["ci_high"], 1, lang)
        n, g = fmt_int(row["n"], lang), fmt_int(row["n_clusters"], lang)
        m = fmt_int(wave, lang)
        parts.append(
            f"{m} bulan {fmt_num(row['mean'], 1, lang)} ({ci}; n = {n} alumni dari {g} angkatan)"
            if i == 0
            else f"{m} months {fmt_num(row['mean'], 1, lang)} ({ci}; n = {n} alumni in {g} cohorts)"
        )
    head = ("Indeks transfer" if i == 0 else "Transfer index") + " (POMP 0-100): "
    head += "; ".join(parts) + "."
    if len(per_wave) < 2:
        return Text(head)
    return Text(
        head
        + (
            " Gelombang-gelombang itu mencakup angkatan yang berbeda, jadi selisih reratanya "
            "mencampur perubahan dengan perbedaan angkatan; perubahan pada alumni yang sama "
            "ada di bawah."
            if i == 0
            else " The waves cover different cohorts, so the difference of their means mixes "
            "change with differences between cohorts; the change in the same alumni is below."
        )
    )
