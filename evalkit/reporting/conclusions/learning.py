"""Level 2 conclusions: pre/post change, the normalised gain, detectable effects, test items.

:func:`learning_conclusion` words :func:`evalkit.paired_change` (direction only when
the CI excludes zero, Cohen's label of Hedges' g, the Hake band of the class gain by
:func:`evalkit.hake_band`'s rule); :func:`mde_conclusion` the minimum detectable
effect of the design; :func:`knowledge_test_conclusion` the KR-20 and weak items of
:func:`evalkit.test_item_analysis`.

Examples
--------
>>> print(learning_conclusion({"n": 1}, "en"))
There are not enough paired pre-test and post-test scores to analyse.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from evalkit import constants as C
from evalkit.errors import ParameterError
from evalkit.reporting.conclusions.compare import person_level
from evalkit.reporting.formats import fmt_ci, fmt_int, fmt_num, fmt_p, fmt_pct
from evalkit.reporting.sections import result_value
from evalkit.reporting.terms import (
    Text,
    check_lang,
    effect_size_label,
    hake_band_label,
    is_missing,
    term,
)


def learning_conclusion(
    change: Mapping[str, Any] | pd.Series,
    lang: str = "id",
    *,
    unit: str | None = None,
    decimals: int = 1,
    n_clusters: Any = None,
) -> Text:
    """Word the result of :func:`evalkit.paired_change` as one or two sentences.

    With ``n_clusters`` (a row of :func:`evalkit.clustered_change`, people of several
    cohorts pooled) the sentence names the unit of analysis: participants, with a
    cluster-robust SE by cohort.

    Parameters
    ----------
    change : Series or mapping
        One row of ``paired_change``: ``n, mean_diff, ci_low, ci_high, d_z, t, df, p``
        and optionally ``hake_g``.
    lang : {"id", "en"}
    unit : str, optional
        The unit of the scores (default "poin"/"points").
    decimals : int
        Decimals of the score difference and its CI.

    Returns
    -------
    Text
        "rose"/"fell" when the CI excludes zero, otherwise "did not change
        significantly", followed by the test and the class-average Hake gain.

    Examples
    --------
    >>> flat = {"n": 20, "mean_diff": 1.2, "ci_low": -2.0, "ci_high": 4.4, "d_z": 0.15,
    ...         "t": 0.67, "df": 19, "p": 0.511}
    >>> print(learning_conclusion(flat, "en"))
    Post-test scores did not differ significantly from pre-test scores: the mean change was +1.2 points (95% CI −2.0 to 4.4; d_z = 0.15, n = 20); t(19) = 0.67, p = .511.
    >>> print(learning_conclusion({**flat, "mean_diff": 5.2, "ci_low": 2.5, "ci_high": 8.0,
    ...     "hedges_g": 0.38, "hedges_g_ci_low": 0.16, "hedges_g_ci_high": 0.60}, "en"))
    Post-test scores rose by 5.2 points (95% CI 2.5 to 8.0; d_z = 0.15, n = 20); t(19) = 0.67, p = .511. Relative to the spread of scores this is a small effect (Hedges' g = 0.38, 95% CI 0.16 to 0.60).
    >>> print(learning_conclusion({**flat, "design_effect": 6.76}, "en", n_clusters=15))
    ... # doctest: +ELLIPSIS
    Post-test scores did not differ ... Design effect 6.8: a CI treating participants as independent would be 2.6 times too narrow. Unit of analysis: participants, with cluster-robust SEs by cohort (15 cohorts; t with 14 df).
    """
    i = check_lang(lang, "learning_conclusion")
    n = result_value(change, "n")
    if is_missing(n) or int(n) < 2:
        return Text(
            "Data pre-test dan post-test berpasangan belum cukup untuk dianalisis."
            if i == 0
            else "There are not enough paired pre-test and post-test scores to analyse."
        )
    diff, lo, hi = (
        result_value(change, "mean_diff"),
        result_value(change, "ci_low"),
        result_value(change, "ci_high"),
    )
    d_z, t, df, p = (
        result_value(change, "d_z"),
        result_value(change, "t"),
        result_value(change, "df"),
        result_value(change, "p"),
    )
    unit = unit or ("poin" if i == 0 else "points")
    sep = "; " if i == 0 else ", "
    stats = f"{fmt_ci(lo, hi, decimals, lang)}; d_z = {fmt_num(d_z, 2, lang)}{sep}n = {fmt_int(n, lang)}"
    df_text = fmt_num(df, 0 if float(df).is_integer() else 1, lang)
    test = f"t({df_text}) = {fmt_num(t, 2, lang)}{sep}{fmt_p(p, lang)}"
    significant = not (is_missing(lo) or is_missing(hi)) and (float(lo) > 0 or float(hi) < 0)
    size = fmt_num(abs(float(diff)), decimals, lang)
    if significant and i == 1:
        verb = "rose" if float(diff) > 0 else "fell"
        text = f"Post-test scores {verb} by {size} {unit} ({stats}); {test}."
    elif significant:
        verb = "naik" if float(diff) > 0 else "turun"
        text = f"Nilai post-test {verb} {size} {unit} ({stats}); {test}."
    elif i == 1:
        text = (
            "Post-test scores did not differ significantly from pre-test scores: the mean "
            f"change was {fmt_num(diff, decimals, lang, sign=True)} {unit} ({stats}); {test}."
        )
    else:
        text = (
            "Nilai post-test tidak berbeda bermakna dari nilai pre-test: rerata perubahan "
            f"{fmt_num(diff, decimals, lang, sign=True)} {unit} ({stats}); {test}."
        )
    # Cohen's benchmarks describe differences relative to the spread of the scores
    # (d_av, Hedges' g); d_z also depends on the pre/post correlation (Lakens 2013).
    hedges = result_value(change, "hedges_g")
    if not is_missing(hedges):
        ci_g = fmt_ci(
            result_value(change, "hedges_g_ci_low"),
            result_value(change, "hedges_g_ci_high"),
            2,
            lang,
        )
        label = effect_size_label(hedges, lang)
        text += (
            f" Dibandingkan sebaran nilai, efek ini {label} (g Hedges = "
            f"{fmt_num(hedges, 2, lang)}; {ci_g})."
            if i == 0
            else f" Relative to the spread of scores this is a {label} effect (Hedges' g = "
            f"{fmt_num(hedges, 2, lang)}, {ci_g})."
        )
    elif significant:
        label = effect_size_label(d_z, lang)
        text += f" Efek {label} (d_z)." if i == 0 else f" A {label} effect (d_z)."
    g = result_value(change, "hake_g")
    if not is_missing(g):
        band = term(hake_band_label(g), lang)
        g_text = fmt_num(g, 2, lang, leading_zero=(i == 0))
        text += (
            f" Rata-rata gain ternormalisasi kelas ⟨g⟩ = {g_text} ({band})."
            if i == 0
            else f" The class-average normalised gain was ⟨g⟩ = {g_text} ({band})."
        )
    deff = result_value(change, "design_effect") if "design_effect" in change else None
    if n_clusters is not None and deff is not None and not is_missing(deff):
        ratio = fmt_num(math.sqrt(float(deff)), 1, lang)
        d_text = fmt_num(deff, 1, lang)
        text += (
            f" Efek desain {d_text}: IK yang menganggap peserta saling bebas akan {ratio} kali "
            "terlalu sempit."
            if i == 0
            else f" Design effect {d_text}: a CI treating participants as independent would be "
            f"{ratio} times too narrow."
        )
    return Text(text + person_level(n_clusters, lang))


def mde_conclusion(
    mde: Any,
    n: Any,
    lang: str = "id",
    *,
    power: float = 0.8,
    alpha: float = 0.05,
    design: str = "paired",
) -> Text:
    """Say what effect the study's n could detect (from ``minimum_detectable_effect``).

    ``design="paired"``: n pairs (pre/post); ``design="two-sample"``: n per group.

    Examples
    --------
    >>> print(mde_conclusion(0.55, 28, "en"))
    With n = 28, a paired design detects with 80% power (two-sided α = .05) only effects of d_z ≥ 0.55 (medium); smaller true effects may go unnoticed.
    >>> print(mde_conclusion(1.2, 5, "en", design="two-sample"))
    With n = 5 per group, a two-group comparison detects with 80% power (two-sided α = .05) only effects of d ≥ 1.20 (large); smaller true effects may go unnoticed.
    """
    i = check_lang(lang, "mde_conclusion")
    if design not in ("paired", "two-sample"):
        raise ParameterError(
            f"mde_conclusion: parameter 'design' must be 'paired' or 'two-sample', got {design!r}"
        )
    d = fmt_num(mde, 2, lang)
    label = effect_size_label(mde, lang)
    pw = fmt_pct(power * 100, 0, lang)
    a = fmt_num(alpha, 2, lang, leading_zero=(i == 0))
    paired = design == "paired"
    symbol = "d_z" if paired else "d"
    if i == 0:
        what = "desain berpasangan" if paired else "perbandingan dua kelompok"
        per = "" if paired else " per kelompok"
        return Text(
            f"Dengan n = {fmt_int(n, lang)}{per}, {what} dengan power {pw} (α = {a}, "
            f"dua sisi) hanya dapat mendeteksi efek {symbol} ≥ {d} ({label}); efek sebenarnya "
            "yang lebih kecil mungkin tidak terdeteksi."
        )
    what = "a paired design" if paired else "a two-group comparison"
    per = "" if paired else " per group"
    return Text(
        f"With n = {fmt_int(n, lang)}{per}, {what} detects with {pw} power (two-sided "
        f"α = {a}) only effects of {symbol} ≥ {d} ({label}); smaller true effects may go "
        "unnoticed."
    )


def knowledge_test_conclusion(
    items: pd.DataFrame, lang: str = "id", *, pooled: Mapping[str, Any] | None = None
) -> Text:
    """Word a test item analysis (:func:`evalkit.test_item_analysis`): KR-20 and weak items.

    With the interval columns of ``test_item_analysis`` (``kr20_ci_low``,
    ``discrimination_flag``), KR-20 is given with its CI and an item is called weak only
    where its interval supports it: "drop" when the whole interval of D lies below .20,
    "revise" when it lies below .30; items whose interval spans .30 are counted as not
    judgeable at this n. Without them (an older result), the point bands are used.

    Parameters
    ----------
    items : DataFrame
        One test's rows of ``test_item_analysis`` (one cohort, or one pooled test form),
        indexed by item.
    lang : {"id", "en"}
    pooled : mapping, optional
        ``{"n_cohorts": ..., "n": ..., "cohorts": ...}`` (``cohorts`` optional: their
        ids as text) when ``items`` pools the cohorts that sat the test
        (:func:`evalkit.pooled_item_analysis`): the sentence says so. An empty
        ``items`` then says that no test was sat by two or more cohorts.

    Examples
    --------
    >>> res = pd.DataFrame({"kr20": [0.71, 0.71], "discrimination_band": ["good", "drop"],
    ...                     "difficulty_band": ["ideal", "easy"]}, index=["s1", "s2"])
    >>> print(knowledge_test_conclusion(res, "en"))
    Test reliability KR-20 = .71. 1 of 2 items discriminate poorly (D < .20) and should be dropped or rewritten: s2.
    >>> print(knowledge_test_conclusion(res.assign(kr20=0.52), "id"))  # doctest: +ELLIPSIS
    **Perhatian:** reliabilitas tes di bawah 0,70 (KR-20 = 0,52): ...
    >>> low = res.assign(kr20=0.56, kr20_ci_low=0.42, kr20_ci_high=0.68, n=87.0)
    >>> print(knowledge_test_conclusion(low, "en", pooled={"n_cohorts": 3, "n": 87}))
    ... # doctest: +ELLIPSIS
    **Caution:** test reliability over the 3 cohorts that sat the same test (n = 87) is below .70 (KR-20 = .56; 95% CI .42 to .68; n = 87): ...
    >>> print(knowledge_test_conclusion(res.iloc[:0], "en", pooled={}))  # doctest: +ELLIPSIS
    No test with item-level answers was sat by two or more cohorts, ...
    >>> ci = res.assign(kr20_ci_low=0.55, kr20_ci_high=0.83, n=30.0,
    ...                 discrimination_flag=["uncertain", "drop"])
    >>> print(knowledge_test_conclusion(ci, "en"))
    Test reliability KR-20 = .71 (95% CI .55 to .83; n = 30). 1 of 2 items discriminates poorly: the whole 95% CI of D lies below .20, so it should be dropped or rewritten: s2. 1 item cannot be judged at this n: the 95% CI of its D spans .30; judge it on the cohorts pooled in the program overview.
    """
    i = check_lang(lang, "knowledge_test_conclusion")
    lz = i == 0
    if pooled is not None and len(items) == 0:
        return Text(
            "Tidak ada tes yang dikerjakan oleh dua angkatan atau lebih dengan jawaban per "
            "butir, sehingga butir hanya dinilai di laporan tiap angkatan."
            if i == 0
            else "No test with item-level answers was sat by two or more cohorts, so items "
            "are judged only in each cohort's report."
        )
    kr20 = items["kr20"].iloc[0] if len(items) else float("nan")
    value = fmt_num(kr20, 2, lang, leading_zero=lz)
    inner = ""  # the CI and n of KR-20, when the result has them
    if "kr20_ci_low" in items.columns and len(items) and not is_missing(kr20):
        inner = fmt_ci(items["kr20_ci_low"].iloc[0], items["kr20_ci_high"].iloc[0], 2, lang,
                       leading_zero=lz)  # fmt: skip
        if "n" in items.columns:
            inner += f"; n = {fmt_int(items['n'].iloc[0], lang)}"
    where = ""
    if pooled is not None:
        k, n_all = fmt_int(pooled.get("n_cohorts"), lang), fmt_int(pooled.get("n"), lang)
        names = f"{pooled['cohorts']}; " if pooled.get("cohorts") else ""
        where = (
            f" atas {k} angkatan yang mengerjakan tes yang sama ({names}n = {n_all})"
            if i == 0
            else f" over the {k} cohorts that sat the same test ({names}n = {n_all})"
        )
    detail = f" ({inner})" if inner else ""
    text = (
        f"Reliabilitas tes{where} KR-20 = {value}{detail}."
        if i == 0
        else f"Test reliability{where} KR-20 = {value}{detail}."
    )
    if not is_missing(kr20) and float(kr20) < C.ALPHA_ACCEPTABLE:
        floor = fmt_num(C.ALPHA_ACCEPTABLE, 2, lang, leading_zero=lz)
        stats = f"KR-20 = {value}" + (f"; {inner}" if inner else "")
        text = (
            f"**Perhatian:** reliabilitas tes{where} di bawah {floor} ({stats}): skor tes "
            "mengandung banyak galat ukur, sehingga nilai dan kenaikan nilai sebaiknya "
            "ditafsirkan dengan hati-hati."
            if i == 0
            else f"**Caution:** test reliability{where} is below {floor} ({stats}): the "
            "scores carry much measurement error, so interpret scores and score gains with care."
        )
    finite = [b for b, _ in C.DISCRIMINATION_BANDS if math.isfinite(b)]
    low = fmt_num(min(finite), 2, lang, leading_zero=lz)
    if "discrimination_flag" not in items.columns:  # point bands only (no intervals)
        weak = [str(k) for k, band in items["discrimination_band"].items() if band == "drop"]
        if weak:
            text += (
                f" {len(weak)} dari {len(items)} butir berdaya beda rendah (D < {low}) dan perlu "
                f"dibuang atau ditulis ulang: {', '.join(weak)}."
                if i == 0
                else f" {len(weak)} of {len(items)} items discriminate poorly (D < {low}) and "
                f"should be dropped or rewritten: {', '.join(weak)}."
            )
        else:
            text += (
                " Tidak ada butir dengan daya beda rendah."
                if i == 0
                else " No item discriminates poorly."
            )
        return Text(text)
    keep = fmt_num(sorted(finite)[1], 2, lang, leading_zero=lz)
    flags = items["discrimination_flag"]
    drop = [str(k) for k, f in flags.items() if f == "drop"]
    revise = [str(k) for k, f in flags.items() if f == "revise"]
    unsure = int((flags == "uncertain").sum())
    if drop:
        text += (
            f" {len(drop)} dari {len(items)} butir berdaya beda rendah: seluruh IK 95% D di "
            f"bawah {low}, sehingga perlu dibuang atau ditulis ulang: {', '.join(drop)}."
            if i == 0
            else f" {len(drop)} of {len(items)} items "
            + ("discriminates" if len(drop) == 1 else "discriminate")
            + f" poorly: the whole 95% CI of D lies below {low}, so "
            + ("it" if len(drop) == 1 else "they")
            + f" should be dropped or rewritten: {', '.join(drop)}."
        )
    if revise:
        text += (
            f" {len(revise)} butir perlu direvisi (seluruh IK 95% D di bawah {keep}): "
            f"{', '.join(revise)}."
            if i == 0
            else f" {len(revise)} item{'' if len(revise) == 1 else 's'} should be revised (the "
            f"whole 95% CI of D lies below {keep}): {', '.join(revise)}."
        )
    if not drop and not revise:
        text += (
            " Tidak ada butir yang terbukti berdaya beda rendah."
            if i == 0
            else " No item is shown to discriminate poorly."
        )
    if unsure:
        later = (
            "; nilailah pada gabungan angkatan di ikhtisar program"
            if pooled is None
            else "; dibutuhkan lebih banyak peserta"
        ) if i == 0 else (
            "; judge it on the cohorts pooled in the program overview"
            if pooled is None
            else "; more examinees are needed"
        )  # fmt: skip
        if i == 0:
            text += (
                f" {unsure} butir belum dapat dinilai pada n ini: IK 95% D-nya melewati "
                f"{keep}{later}."
            )
        else:
            one = unsure == 1
            text += (
                f" {unsure} item{'' if one else 's'} cannot be judged at this n: the 95% CI "
                f"of {'its' if one else 'their'} D spans {keep}"
                + (later if one else later.replace(" it ", " them "))
                + "."
            )
    return Text(text)
