"""Conclusions that compare: several groups, two groups, and one outcome over time.

:func:`comparison_conclusion` words :func:`evalkit.compare_groups` (Welch's F and
eta squared, the highest and lowest group), :func:`difference_conclusion`
:func:`evalkit.group_difference` (Hedges' g with Cohen's label) and
:func:`trend_conclusion` an estimate per period. With ``n_cohorts`` the sentence says
the test was run on cohort means.

Examples
--------
>>> d = {"mean_diff": -0.2, "ci_low": -0.5, "ci_high": 0.1, "t": -1.3, "df": 20.0,
...      "p": 0.21, "hedges_g": -0.1}
>>> print(difference_conclusion(d, ("academic", "practitioner"), ("skor", "scores"), "en"))
Scores were 0.20 lower with Academic than with Practitioner facilitators (95% CI −0.50 to 0.10; Hedges' g = −0.10, negligible); t(20.0) = −1.30, p = .210.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import pandas as pd

from evalkit.errors import ParameterError
from evalkit.reporting.formats import fmt_ci, fmt_int, fmt_num, fmt_p
from evalkit.reporting.sections import result_value
from evalkit.reporting.terms import Text, check_lang, effect_size_label, is_missing, term


def comparison_conclusion(
    tests: pd.DataFrame,
    groups: pd.DataFrame,
    what: tuple[str, str],
    lang: str = "id",
    *,
    unit: tuple[str, str] = ("poin", "points"),
    n_cohorts: Any = None,
) -> Text:
    """Word a comparison of several groups (:func:`evalkit.compare_groups`).

    With ``n_cohorts`` the test was run on cohort means (one value per cohort), and the
    sentence says so.

    Parameters
    ----------
    tests : DataFrame
        ``compare_groups`` result (rows ``anova, welch, kruskal``).
    groups : DataFrame
        One row per group with ``mean_diff`` (or ``mean``), ``ci_low``, ``ci_high``,
        e.g. ``paired_change(..., by=group)``.
    what : (str, str)
        What is compared, in Indonesian and English (e.g. ``("kenaikan nilai",
        "score gains")``) and by what, joined with " menurut " / " by ".
    unit : (str, str)
        Unit of the means.

    Examples
    --------
    >>> tests = pd.DataFrame({"stat": [29.0, 27.48, 86.0], "df1": [4, 4.0, 4],
    ...     "df2": [374, 179.5, float("nan")], "p": [1e-21, 1e-18, 1e-18],
    ...     "eta_sq": [0.2368, float("nan"), float("nan")]}, index=["anova", "welch", "kruskal"])
    >>> groups = pd.DataFrame({"mean_diff": [16.22, 5.04], "ci_low": [14.55, 3.4],
    ...     "ci_high": [17.89, 6.68]}, index=["project-based", "e-learning"])
    >>> print(comparison_conclusion(tests, groups, ("kenaikan nilai menurut metode",
    ...       "score gains by delivery method"), "en"))
    Score gains by delivery method differed: Welch's F(4, 179.5) = 27.48, p < .001; η² = .24. Highest: Project-based (16.2 points, 95% CI 14.6 to 17.9); lowest: E-learning (5.0 points, 95% CI 3.4 to 6.7).
    """
    i = check_lang(lang, "comparison_conclusion")
    welch, anova = tests.loc["welch"], tests.loc["anova"]
    lz = i == 0
    sep = "; " if i == 0 else ", "
    test = (
        f"F Welch({fmt_num(welch['df1'], 0, lang)}{sep}{fmt_num(welch['df2'], 1, lang)}) = "
        if i == 0
        else f"Welch's F({fmt_num(welch['df1'], 0, lang)}, {fmt_num(welch['df2'], 1, lang)}) = "
    )
    test += f"{fmt_num(welch['stat'], 2, lang)}{sep}{fmt_p(welch['p'], lang)}; "
    test += f"η² = {fmt_num(anova['eta_sq'], 2, lang, leading_zero=lz)}"
    significant = float(welch["p"]) < 0.05
    subject = what[i][0].upper() + what[i][1:]
    if i == 0:
        head = f"{subject} {'berbeda bermakna' if significant else 'tidak berbeda bermakna'}"
    else:
        head = f"{subject} {'differed' if significant else 'did not differ significantly'}"
    col = "mean_diff" if "mean_diff" in groups else "mean"
    ordered = groups.dropna(subset=[col]).sort_values(col, ascending=False, kind="stable")
    text = f"{head}: {test}."
    if len(ordered) >= 2:
        u = unit[i]

        def describe(key: Any) -> str:
            row = ordered.loc[key]
            ci = fmt_ci(row["ci_low"], row["ci_high"], 1, lang)
            return f"{term(str(key), lang)} ({fmt_num(row[col], 1, lang)} {u}{sep}{ci})"

        top, bottom = ordered.index[0], ordered.index[-1]
        text += (
            f" Tertinggi: {describe(top)}; terendah: {describe(bottom)}."
            if i == 0
            else f" Highest: {describe(top)}; lowest: {describe(bottom)}."
        )
    return Text(text + _cohort_level(n_cohorts, lang))


def _cohort_level(n_cohorts: Any, lang: str) -> str:
    if n_cohorts is None:
        return ""
    n = fmt_int(n_cohorts, lang)
    return (
        f" Uji atas rerata angkatan (n = {n} angkatan)."
        if lang == "id"
        else f" Tested on cohort means (n = {n} cohorts)."
    )


def person_level(n_clusters: Any, lang: str = "id", *, vcov: str = "CR1") -> str:
    """The unit-of-analysis sentence of a person-level, cluster-robust estimate.

    Empty when ``n_clusters`` is None. ``vcov="CR2"``: the Bell-McCaffrey CR2 SEs with
    Satterthwaite df (:func:`evalkit.clustered_comparison` and its kin with
    ``vcov="CR2"``), the few-cluster inference the sentence then names.

    Examples
    --------
    >>> person_level(15, "en")
    ' Unit of analysis: participants, with cluster-robust SEs by cohort (15 cohorts; t with 14 df).'
    >>> person_level(15, "en", vcov="CR2")  # doctest: +NORMALIZE_WHITESPACE
    ' Unit of analysis: participants, with small-sample (CR2) cluster-robust SEs by cohort
    and Satterthwaite df (15 cohorts).'
    """
    if n_clusters is None or is_missing(n_clusters):
        return ""
    g = int(n_clusters)
    if vcov == "CR2":
        if check_lang(lang, "person_level") == 0:
            return (
                " Unit analisis: peserta, dengan SE robust-klaster sampel kecil (CR2) menurut "
                f"angkatan dan db Satterthwaite ({fmt_int(g, lang)} angkatan)."
            )
        return (
            " Unit of analysis: participants, with small-sample (CR2) cluster-robust SEs by "
            f"cohort and Satterthwaite df ({fmt_int(g, lang)} cohorts)."
        )
    if check_lang(lang, "person_level") == 0:
        return (
            f" Unit analisis: peserta, dengan SE robust-klaster menurut angkatan "
            f"({fmt_int(g, lang)} angkatan; uji t dengan {fmt_int(g - 1, lang)} db)."
        )
    return (
        f" Unit of analysis: participants, with cluster-robust SEs by cohort "
        f"({fmt_int(g, lang)} cohorts; t with {fmt_int(g - 1, lang)} df)."
    )


def _adjusted(p_adjusted: Any, lang: str, method: str = "Holm") -> str:
    if p_adjusted is None or is_missing(p_adjusted):
        return ""
    text = fmt_p(p_adjusted, lang)
    return f" ({text.replace('p', f'p {method}', 1)})"


#: The verdicts of :func:`holm_verdict`.
VERDICTS = ("significant", "holds_after_holm", "unadjusted_only", "not_significant")


def holm_verdict(p: Any, p_adjusted: Any = None, *, alpha: float = 0.05) -> str:
    """The verdict a test's sentence words: a primary outcome's own p, a secondary's Holm p.

    Without ``p_adjusted`` (a primary outcome, judged at its own p): ``"significant"``
    or ``"not_significant"``. With it (a secondary test, one of a Holm family):
    ``"holds_after_holm"`` when the adjusted p is below ``alpha``, ``"unadjusted_only"``
    when only the unadjusted p is, else ``"not_significant"``.

    Examples
    --------
    >>> holm_verdict(0.028), holm_verdict(0.028, 0.311), holm_verdict(0.001, 0.008)
    ('significant', 'unadjusted_only', 'holds_after_holm')
    """
    below = float(p) < alpha
    if p_adjusted is None or is_missing(p_adjusted):
        return "significant" if below else "not_significant"
    if float(p_adjusted) < alpha:
        return "holds_after_holm"
    return "unadjusted_only" if below else "not_significant"


def holm_family(n_tests: Any, lang: str) -> str:
    """``"the Holm adjustment for the 8 secondary tests"`` (or its Indonesian words).

    Examples
    --------
    >>> holm_family(8, "en"), holm_family(None, "id")
    ('the Holm adjustment for the 8 secondary tests', 'koreksi Holm untuk uji-uji sekunder')
    """
    i = check_lang(lang, "holm_family")
    if n_tests is None or is_missing(n_tests):
        return (
            "koreksi Holm untuk uji-uji sekunder"
            if i == 0
            else ("the Holm adjustment for the secondary tests")
        )
    k = fmt_int(n_tests, lang)
    return (
        f"koreksi Holm untuk {k} uji sekunder"
        if i == 0
        else (f"the Holm adjustment for the {k} secondary tests")
    )


def difference_conclusion(
    diff: Mapping[str, Any] | pd.Series,
    groups: tuple[str, str],
    what: tuple[str, str],
    lang: str = "id",
    *,
    decimals: int = 2,
    n_cohorts: Any = None,
    n_clusters: Any = None,
    p_adjusted: Any = None,
    vcov: str = "CR1",
    n_tests: Any = None,
) -> Text:
    """Word a two-group comparison (:func:`evalkit.group_difference`, x minus y).

    With ``n_cohorts`` the samples were cohort means, and the sentence says so; its g
    is then a between-cohort g (cohort means over their SD), labelled as such and
    without Cohen's person-level benchmark. With ``n_clusters`` the comparison is of
    people with a cluster-robust SE by cohort (a row of
    :func:`evalkit.clustered_comparison`), and the sentence says so. ``p_adjusted``
    (Holm, a secondary test of a family of ``n_tests``) is quoted after the p-value, and
    a sentence gives the verdict it supports (:func:`holm_verdict`). ``vcov="CR2"``: the row came with CR2 SEs
    and Satterthwaite df (``clustered_comparison(..., vcov="CR2")``); the df is shown to
    one decimal and the unit sentence names the small-sample correction.

    Parameters
    ----------
    diff : mapping or Series
        ``mean_diff, t, df, p, ci_low, ci_high, hedges_g``.
    groups : (str, str)
        Keys of the two groups (x, y), translated with :func:`term`.
    what : (str, str)
        The outcome in Indonesian and English (e.g. ``("skor relevansi",
        "relevance scores")``).

    Examples
    --------
    >>> d = {"mean_diff": 0.49, "ci_low": 0.33, "ci_high": 0.65, "t": 6.1, "df": 370.2,
    ...      "p": 1e-8, "hedges_g": 0.63}
    >>> print(difference_conclusion(d, ("practitioner", "academic"),
    ...       ("skor relevansi", "relevance scores"), "en"))
    Relevance scores were 0.49 higher with Practitioner than with Academic facilitators (95% CI 0.33 to 0.65; Hedges' g = 0.63, medium); t(370.2) = 6.10, p < .001.
    """
    i = check_lang(lang, "difference_conclusion")
    g = functools.partial(result_value, diff)
    x, y = term(groups[0], lang), term(groups[1], lang)
    sep = "; " if i == 0 else ", "
    ci = fmt_ci(g("ci_low"), g("ci_high"), decimals, lang)
    hedges = fmt_num(g("hedges_g"), 2, lang)
    label = effect_size_label(g("hedges_g"), lang)
    if n_cohorts is not None:
        label = "atas rerata angkatan" if i == 0 else "on cohort means"
    df_key = "df2" if "df2" in diff and "df" not in diff else "df"
    df_text = fmt_num(g(df_key), 1 if n_clusters is None or vcov == "CR2" else 0, lang)
    test = f"t({df_text}) = {fmt_num(g('t'), 2, lang)}{sep}{fmt_p(g('p'), lang)}"
    test += _adjusted(p_adjusted, lang)
    value = fmt_num(abs(float(g("mean_diff"))), decimals, lang)
    higher = float(g("mean_diff")) >= 0
    verdict = ""
    if p_adjusted is not None and not is_missing(p_adjusted):
        family = holm_family(n_tests, lang)
        verdict = {
            "holds_after_holm": (
                f" Selisih ini bermakna, juga setelah {family}.",
                f" The difference is significant, also after {family}.",
            ),
            "unadjusted_only": (
                f" Ini perbedaan pada p tanpa koreksi yang tidak bertahan setelah {family}.",
                f" This is a difference at the unadjusted level that does not survive {family}.",
            ),
            "not_significant": (
                " Selisih ini tidak bermakna.",
                " The difference is not significant.",
            ),
        }[holm_verdict(g("p"), p_adjusted)][i]
    if i == 0:
        word = "lebih tinggi" if higher else "lebih rendah"
        return Text(
            f"{what[0][0].upper() + what[0][1:]} pada narasumber {x.lower()} {value} {word} "
            f"daripada narasumber {y.lower()} ({ci}; g Hedges = {hedges}, {label}); {test}."
            + verdict
            + _cohort_level(n_cohorts, lang)
            + person_level(n_clusters, lang, vcov=vcov)
        )
    word = "higher" if higher else "lower"
    return Text(
        f"{what[1][0].upper() + what[1][1:]} were {value} {word} with {x} than with {y} "
        f"facilitators ({ci}; Hedges' g = {hedges}, {label}); {test}."
        + verdict
        + _cohort_level(n_cohorts, lang)
        + person_level(n_clusters, lang, vcov=vcov)
    )


def trend_conclusion(
    estimates: pd.DataFrame,
    what: tuple[str, str],
    lang: str = "id",
    *,
    estimate: str = "mean_diff",
    tests: pd.DataFrame | None = None,
    unit: tuple[str, str] = ("poin", "points"),
    decimals: int = 1,
    slope: Mapping[str, Any] | pd.Series | None = None,
    p_adjusted: Any = None,
    vcov: str = "CR1",
    n_tests: Any = None,
) -> Text:
    """Word an outcome over time: each period's estimate, then whether it changed.

    With ``slope`` (:func:`evalkit.clustered_trend`: the linear trend of people's
    outcomes, cluster-robust by cohort) the change is judged by the trend's test,
    which counts cohorts rather than people; ``tests`` is then ignored. ``p_adjusted``
    (Holm, a secondary test of a family of ``n_tests``) is quoted after its p-value, and
    the trend's verdict rests on it (:func:`holm_verdict`); without it the verdict rests
    on the trend's own p. ``vcov="CR2"``: the slope came with the CR2 SE
    and Satterthwaite df (``clustered_trend(..., vcov="CR2")``), and the sentence says so.

    Parameters
    ----------
    estimates : DataFrame
        One row per period (e.g. year), in time order, with ``n``, the ``estimate``
        column, ``ci_low`` and ``ci_high`` (e.g. ``paired_change(..., by=year)``).
    what : (str, str)
        The outcome over time in Indonesian and English (e.g. ``("kenaikan nilai per
        tahun", "score gains by year")``).
    estimate : str
        Column of the estimate.
    tests : DataFrame, optional
        :func:`evalkit.compare_groups` of the same outcome across the periods. With it
        the sentence says whether the periods differ (Welch's ANOVA, with η²); without
        it, a change from the first to the last period is claimed only when their 95%
        CIs do not overlap.
    unit : (str, str)
        Unit of the estimate ("" for none).

    Examples
    --------
    >>> est = pd.DataFrame({"n": [130, 140], "mean_diff": [8.2, 11.9], "ci_low": [7.0, 10.6],
    ...                     "ci_high": [9.4, 13.2]}, index=[2023, 2024])
    >>> print(trend_conclusion(est, ("kenaikan nilai per tahun", "score gains by year"), "en"))
    Score gains by year: 2023 8.2 points (95% CI 7.0 to 9.4; n = 130), 2024 11.9 points (95% CI 10.6 to 13.2; n = 140). The estimate was higher in 2024 than in 2023 (their 95% CIs do not overlap).
    >>> tests = pd.DataFrame({"stat": [12.0, 11.5, 20.0], "df1": [1, 1, 1],
    ...     "df2": [268, 265.2, float("nan")], "p": [0.0006, 0.0008, 0.0001],
    ...     "eta_sq": [0.043, float("nan"), float("nan")]}, index=["anova", "welch", "kruskal"])
    >>> print(trend_conclusion(est, ("kenaikan nilai per tahun", "score gains by year"), "id",
    ...                        tests=tests))
    Kenaikan nilai per tahun: 2023 8,2 poin (IK 95% 7,0 s.d. 9,4; n = 130), 2024 11,9 poin (IK 95% 10,6 s.d. 13,2; n = 140). Perbedaan antartahun bermakna: F Welch(1; 265,2) = 11,50; p < 0,001; η² = 0,04; tertinggi pada 2024, terendah pada 2023.
    """
    i = check_lang(lang, "trend_conclusion")
    missing = [c for c in ("n", estimate, "ci_low", "ci_high") if c not in estimates.columns]
    if missing:
        raise ParameterError(
            f"trend_conclusion: column(s) {missing} not in estimates; columns are "
            f"{list(estimates.columns)}"
        )
    valid = estimates.dropna(subset=[estimate])
    subject = what[i][0].upper() + what[i][1:]
    if valid.empty:
        return Text(f"{subject}: belum ada data." if i == 0 else f"{subject}: no data yet.")
    u = f" {unit[i]}" if unit[i] else ""

    def one(key: Any, row: pd.Series) -> str:
        ci = fmt_ci(row["ci_low"], row["ci_high"], decimals, lang)
        return f"{key} {fmt_num(row[estimate], decimals, lang)}{u} ({ci}; n = {fmt_int(row['n'], lang)})"

    text = f"{subject}: " + ", ".join(one(k, r) for k, r in valid.iterrows()) + "."
    if len(valid) < 2:
        return Text(text)
    first, last = valid.index[0], valid.index[-1]
    a, b = valid.loc[first], valid.loc[last]
    if slope is not None:
        return Text(text + _slope_sentence(slope, unit, decimals, lang, p_adjusted, vcov, n_tests))
    if tests is not None:
        welch, anova = tests.loc["welch"], tests.loc["anova"]
        sep = "; " if i == 0 else ", "
        stat = (
            f"F Welch({fmt_num(welch['df1'], 0, lang)}{sep}{fmt_num(welch['df2'], 1, lang)}) = "
            if i == 0
            else f"Welch's F({fmt_num(welch['df1'], 0, lang)}, {fmt_num(welch['df2'], 1, lang)}) = "
        )
        stat += f"{fmt_num(welch['stat'], 2, lang)}{sep}{fmt_p(welch['p'], lang)}; "
        stat += f"η² = {fmt_num(anova['eta_sq'], 2, lang, leading_zero=(i == 0))}"
        ordered = valid.sort_values(estimate, ascending=False, kind="stable")
        top, bottom = ordered.index[0], ordered.index[-1]
        if float(welch["p"]) < 0.05:
            text += (
                f" Perbedaan antarperiode bermakna: {stat}; tertinggi pada {top}, terendah "
                f"pada {bottom}."
                if i == 0
                else f" The periods differed: {stat}; highest in {top}, lowest in {bottom}."
            )
        else:
            text += (
                f" Perbedaan antarperiode tidak bermakna ({stat}): belum tampak perubahan "
                "dari waktu ke waktu."
                if i == 0
                else f" The periods did not differ significantly ({stat}): no change over "
                "time can be claimed."
            )
        if i == 0 and "tahun" in what[0]:
            text = text.replace("antarperiode", "antartahun")
        elif i == 1 and "year" in what[1]:
            text = text.replace("The periods", "The years")
        return Text(text)
    apart = float(b["ci_low"]) > float(a["ci_high"]) or float(b["ci_high"]) < float(a["ci_low"])
    if apart:
        higher = float(b[estimate]) > float(a[estimate])
        word = ("lebih tinggi", "higher") if higher else ("lebih rendah", "lower")
        text += (
            f" Estimasinya {word[0]} pada {last} daripada {first} (IK 95% keduanya tidak "
            "bertumpang tindih)."
            if i == 0
            else f" The estimate was {word[1]} in {last} than in {first} (their 95% CIs do "
            "not overlap)."
        )
    else:
        text += (
            f" IK 95% {first} dan {last} bertumpang tindih: belum dapat disimpulkan ada perubahan."
            if i == 0
            else f" The 95% CIs of {first} and {last} overlap: no change can be claimed."
        )
    return Text(text)


def _slope_sentence(
    slope: Mapping[str, Any] | pd.Series, unit: tuple[str, str], decimals: int, lang: str,
    p_adjusted: Any, vcov: str = "CR1", n_tests: Any = None,
) -> str:  # fmt: skip
    i = check_lang(lang, "trend_conclusion")
    g = functools.partial(result_value, slope)
    u = f" {unit[i]}" if unit[i] else ""
    ci = fmt_ci(g("ci_low"), g("ci_high"), decimals + 1, lang)
    sep = "; " if i == 0 else ", "
    df_text = fmt_num(g("df"), 1 if vcov == "CR2" else 0, lang)
    test = f"t({df_text}) = {fmt_num(g('t'), 2, lang)}{sep}{fmt_p(g('p'), lang)}"
    test += _adjusted(p_adjusted, lang)
    value = fmt_num(g("slope"), decimals + 1, lang, sign=True)
    naive = fmt_p(g("p_naive"), lang)
    family = holm_family(n_tests, lang)
    verdict = {
        "significant": ("bermakna", "significant"),
        "holds_after_holm": (
            f"bermakna, juga setelah {family}",
            f"significant, also after {family}",
        ),
        "unadjusted_only": (
            f"tren pada p tanpa koreksi yang tidak bertahan setelah {family}, jadi belum "
            "tampak perubahan",
            f"a trend at the unadjusted level that does not survive {family}, so no change "
            "can be claimed",
        ),
        "not_significant": (
            "tidak bermakna: belum tampak perubahan",
            "not significant: no change can be claimed",
        ),
    }[holm_verdict(g("p"), p_adjusted)][i]
    if i == 0:
        return (
            f" Tren linear {value}{u} per tahun ({ci}); {test}: {verdict}. Bila peserta "
            f"dianggap saling bebas, {naive}, terlalu kecil karena peserta satu angkatan "
            f"mirip." + person_level(g("n_clusters"), lang, vcov=vcov)
        )
    return (
        f" Linear trend {value}{u} per year ({ci}); {test}: {verdict}. Treating participants "
        f"as independent gives {naive}, too small because participants of one cohort are "
        f"alike." + person_level(g("n_clusters"), lang, vcov=vcov)
    )


def clustered_conclusion(
    comparison: pd.DataFrame,
    means: pd.DataFrame,
    what: tuple[str, str],
    lang: str = "id",
    *,
    unit: tuple[str, str] = ("poin", "points"),
    decimals: int = 1,
    p_adjusted: Any = None,
    vcov: str = "CR1",
    n_tests: Any = None,
) -> Text:
    """Word a person-level comparison of several groups, cluster-robust by cohort.

    The verdict rests on the Holm-adjusted p when ``p_adjusted`` is given (a secondary
    test): "differed" only when it is below .05, and a difference at the unadjusted level
    only is called one that does not survive the adjustment (:func:`holm_verdict`).
    Without it (a primary outcome) the verdict rests on the test's own p.

    Parameters
    ----------
    comparison : DataFrame
        :func:`evalkit.clustered_comparison` (its ``overall`` row is the Wald F test).
    means : DataFrame
        :func:`evalkit.clustered_means` with ``by=`` the same groups: the numbers the
        figure shows, so that text and figure quote the same intervals.
    what : (str, str)
        The outcome by groups, in Indonesian and English.
    unit : (str, str)
        Unit of the means.
    p_adjusted : float, optional
        The Holm-adjusted p of the Wald test, quoted after it; the verdict rests on it.
    n_tests : int, optional
        The number of secondary tests in the Holm family, named in the verdict.
    vcov : {"CR1", "CR2"}
        The covariance of ``comparison`` (and of ``means``). With CR2 the Wald test is
        the HTZ F, its denominator df shown to one decimal; where that df is not
        positive, the sentence says that too few cohorts per group leave no test.

    Examples
    --------
    >>> cmp = pd.DataFrame({"t": [float("nan"), 4.1], "df1": [1.0, 2.0], "df2": [14.0, 14.0],
    ...     "p": [0.01, 0.04], "n_clusters": [15.0, 15.0]}, index=["b - a", "overall"])
    >>> means = pd.DataFrame({"mean": [16.2, 5.0], "ci_low": [12.0, 3.4],
    ...     "ci_high": [20.4, 6.6]}, index=["project-based", "e-learning"])
    >>> print(clustered_conclusion(cmp, means, ("Kenaikan nilai menurut metode",
    ...     "Score gains by delivery method"), "en", p_adjusted=0.12, n_tests=3))  # doctest: +ELLIPSIS
    Score gains by delivery method showed a difference at the unadjusted level that does not survive the Holm adjustment for the 3 secondary tests: Wald F(2, 14) = 4.10, p = .040 (p Holm = .120). Highest: Project-based (16.2 points, 95% CI 12.0 to 20.4); lowest: E-learning (5.0 points, 95% CI 3.4 to 6.6). Unit of analysis: participants, ...
    """
    i = check_lang(lang, "clustered_conclusion")
    overall = comparison.loc["overall"]
    sep = "; " if i == 0 else ", "
    df1 = fmt_num(overall["df1"], 0, lang)
    df2 = fmt_num(overall["df2"], 1 if vcov == "CR2" else 0, lang)
    subject = what[i][0].upper() + what[i][1:]
    if is_missing(overall["p"]) and vcov == "CR2" and not is_missing(overall["df2"]):
        head = (
            f"{subject}: uji keseluruhan tidak dapat dihitung (terlalu sedikit angkatan per "
            "kelompok untuk uji F HTZ)."
            if i == 0
            else f"{subject}: no overall test (too few cohorts per group for the HTZ F test)."
        )
    elif is_missing(overall["p"]):
        head = (
            f"{subject}: uji keseluruhan tidak dapat dihitung (lebih banyak kelompok daripada "
            "angkatan)."
            if i == 0
            else f"{subject}: no overall test (more groups than cohorts)."
        )
    else:
        name = "HTZ Wald F" if vcov == "CR2" else "Wald F"
        test = f"{name}({df1}{sep}{df2}) = {fmt_num(overall['t'], 2, lang)}{sep}"
        test += fmt_p(overall["p"], lang) + _adjusted(p_adjusted, lang)
        family = holm_family(n_tests, lang)
        word = {
            "significant": ("berbeda bermakna", "differed"),
            "holds_after_holm": (
                f"berbeda bermakna, juga setelah {family}",
                f"differed, also after {family}",
            ),
            "unadjusted_only": (
                f"menunjukkan perbedaan pada p tanpa koreksi yang tidak bertahan setelah {family}",
                f"showed a difference at the unadjusted level that does not survive {family}",
            ),
            "not_significant": ("tidak berbeda bermakna", "did not differ significantly"),
        }[holm_verdict(overall["p"], p_adjusted)][i]
        head = f"{subject} {word}: {test}."
    ordered = means.dropna(subset=["mean"]).sort_values("mean", ascending=False, kind="stable")
    text = head
    if len(ordered) >= 2:

        def describe(key: Any) -> str:
            row = ordered.loc[key]
            ci = fmt_ci(row["ci_low"], row["ci_high"], decimals, lang)
            return f"{term(str(key), lang)} ({fmt_num(row['mean'], decimals, lang)} {unit[i]}{sep}{ci})"

        top, bottom = ordered.index[0], ordered.index[-1]
        text += (
            f" Tertinggi: {describe(top)}; terendah: {describe(bottom)}."
            if i == 0
            else f" Highest: {describe(top)}; lowest: {describe(bottom)}."
        )
    return Text(text + person_level(overall["n_clusters"], lang, vcov=vcov))


def subgroup_conclusion(
    tests: pd.DataFrame,
    what: tuple[str, str],
    lang: str = "id",
    *,
    p_adjusted: pd.Series | None = None,
    n_tests: Any = None,
) -> Text:
    """Word the interaction tests of :func:`evalkit.subgroup_tests`, with the caution.

    With ``p_adjusted`` (secondary tests of a Holm family of ``n_tests``) a characteristic
    differs only when its adjusted p is below .05; those below .05 at the unadjusted
    level only are named as differences that do not survive the adjustment.

    Parameters
    ----------
    tests : DataFrame
        ``subgroup_tests`` result, indexed by characteristic.
    what : (str, str)
        The outcome, in Indonesian and English (e.g. ``("kenaikan nilai", "score
        gain")``).
    p_adjusted : Series, optional
        Holm-adjusted p per characteristic (same index); a difference is called real
        only when its adjusted p is below .05.

    Examples
    --------
    >>> t = pd.DataFrame({"f": [0.4, 3.9], "df1": [1.0, 2.0], "df2": [14.0, 14.0],
    ...     "p": [0.54, 0.045], "n_suppressed": [0.0, 1.0]}, index=["sex", "golongan"])
    >>> print(subgroup_conclusion(t, ("kenaikan nilai", "score gain"), "en",
    ...       p_adjusted=pd.Series([0.54, 0.09], index=["sex", "golongan"])))  # doctest: +ELLIPSIS
    Does the score gain differ between subgroups? Sex: F(1, 14) = 0.40, p = .540 (p Holm = .540); Grade (golongan): F(2, 14) = 3.90, p = .045 (p Holm = .090). No characteristic shows a difference after the Holm correction. ...
    """
    i = check_lang(lang, "subgroup_conclusion")
    sep = "; " if i == 0 else ", "
    parts, real, lost = [], [], []
    for var, row in tests.iterrows():
        name = term(str(var), lang)
        if is_missing(row["p"]):
            parts.append(f"{name}: " + ("tanpa uji" if i == 0 else "no test"))
            continue
        adj = None if p_adjusted is None else p_adjusted.get(var)
        parts.append(
            f"{name}: F({fmt_num(row['df1'], 0, lang)}{sep}{fmt_num(row['df2'], 0, lang)}) = "
            f"{fmt_num(row['f'], 2, lang)}{sep}{fmt_p(row['p'], lang)}{_adjusted(adj, lang)}"
        )
        verdict = holm_verdict(row["p"], adj)
        if verdict in ("significant", "holds_after_holm"):
            real.append(name)
        elif verdict == "unadjusted_only":
            lost.append(name)
    subject = what[i]
    head = (
        f"Apakah {subject} berbeda antarkelompok peserta? "
        if i == 0
        else f"Does the {subject} differ between subgroups? "
    )
    text = head + "; ".join(parts) + "."
    after = (
        ""
        if p_adjusted is None
        else (" setelah koreksi Holm" if i == 0 else " after the Holm correction")
    )
    if real:
        text += (
            f" Berbeda{after}: {', '.join(real)}."
            if i == 0
            else f" Differing{after}: {', '.join(real)}."
        )
    else:
        text += (
            f" Tidak ada karakteristik yang menunjukkan perbedaan{after}."
            if i == 0
            else f" No characteristic shows a difference{after}."
        )
    if lost:
        family = holm_family(n_tests, lang)
        text += (
            f" Perbedaan pada p tanpa koreksi yang tidak bertahan setelah {family}: "
            f"{', '.join(lost)}."
            if i == 0
            else f" A difference at the unadjusted level that does not survive {family}: "
            f"{', '.join(lost)}."
        )
    text += (
        " Dengan banyak kelompok kecil, beberapa selisih akan tampak besar karena kebetulan "
        "saja: bacalah uji per karakteristik, bukan selisih terbesar, dan jangan menyimpulkan "
        "perbedaan dari satu kelompok. Kelompok dengan kurang dari 5 orang tidak ditampilkan "
        "dan tidak diuji."
        if i == 0
        else " With many small subgroups some differences look large by chance alone: read "
        "the test of each characteristic, not the largest difference, and draw no conclusion "
        "from a single subgroup. Subgroups of fewer than 5 people are neither shown nor tested."
    )
    return Text(text)


def secondary_tests_conclusion(tests: pd.DataFrame, primary: Any, lang: str = "id") -> Text:
    """Say which outcomes are primary and which secondary tests survive the Holm correction.

    Parameters
    ----------
    tests : DataFrame
        One row per secondary test, indexed by a term key or label, with ``p`` and
        ``p_adjusted`` (Holm, :func:`evalkit.adjust_p`).
    primary : sequence of (str, str)
        The primary outcomes, each in Indonesian and English.

    Examples
    --------
    >>> t = pd.DataFrame({"p": [0.01, 0.2], "p_adjusted": [0.02, 0.2]},
    ...                  index=["delivery", "year"])
    >>> print(secondary_tests_conclusion(t, [("kenaikan nilai", "score gain")], "en"))
    Primary outcome: score gain; it is judged at p < .05 without adjustment. The 2 secondary tests carry Holm-adjusted p-values; significant after adjustment: Delivery method (p Holm = .020).
    """
    i = check_lang(lang, "secondary_tests_conclusion")
    names = [p[i] for p in primary]
    joined = ", ".join(names)
    k = fmt_int(len(tests), lang)
    held = tests[tests["p_adjusted"] < 0.05]
    found = ", ".join(
        f"{term(str(key), lang)} ({fmt_p(row['p_adjusted'], lang).replace('p', 'p Holm', 1)})"
        for key, row in held.iterrows()
    )
    if i == 0:
        text = (
            f"Hasil utama: {joined}; dinilai pada p < 0,05 tanpa koreksi. {k} uji sekunder "
            "memakai p terkoreksi Holm; "
        )
        text += (
            f"bermakna setelah koreksi: {found}."
            if found
            else "tidak ada yang bermakna setelah koreksi."
        )
        return Text(
            text.replace("Hasil utama:", "Hasil utama:" if len(names) == 1 else "Hasil utama:")
        )
    head = "Primary outcome" if len(names) == 1 else "Primary outcomes"
    verb = "it is" if len(names) == 1 else "they are"
    text = (
        f"{head}: {joined}; {verb} judged at p < .05 without adjustment. The {k} secondary "
        "tests carry Holm-adjusted p-values; "
    )
    text += (
        f"significant after adjustment: {found}."
        if found
        else "none is significant after adjustment."
    )
    return Text(text)
