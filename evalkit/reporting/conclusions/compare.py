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
from evalkit.reporting.terms import Text, check_lang, effect_size_label, term


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


def difference_conclusion(
    diff: Mapping[str, Any] | pd.Series,
    groups: tuple[str, str],
    what: tuple[str, str],
    lang: str = "id",
    *,
    decimals: int = 2,
    n_cohorts: Any = None,
) -> Text:
    """Word a two-group comparison (:func:`evalkit.group_difference`, x minus y).

    With ``n_cohorts`` the samples were cohort means, and the sentence says so.

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
    test = f"t({fmt_num(g('df'), 1, lang)}) = {fmt_num(g('t'), 2, lang)}{sep}{fmt_p(g('p'), lang)}"
    value = fmt_num(abs(float(g("mean_diff"))), decimals, lang)
    higher = float(g("mean_diff")) >= 0
    if i == 0:
        word = "lebih tinggi" if higher else "lebih rendah"
        return Text(
            f"{what[0][0].upper() + what[0][1:]} pada narasumber {x.lower()} {value} {word} "
            f"daripada narasumber {y.lower()} ({ci}; g Hedges = {hedges}, {label}); {test}."
            + _cohort_level(n_cohorts, lang)
        )
    word = "higher" if higher else "lower"
    return Text(
        f"{what[1][0].upper() + what[1][1:]} were {value} {word} with {x} than with {y} "
        f"facilitators ({ci}; Hedges' g = {hedges}, {label}); {test}."
        + _cohort_level(n_cohorts, lang)
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
) -> Text:
    """Word an outcome over time: each period's estimate, then whether it changed.

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
