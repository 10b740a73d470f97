"""ROI conclusions (Phillips Level 5): one cohort's return, cohorts, programs, portfolio.

:func:`roi_conclusion` words a cohort's adjusted BCR and ROI % with its bootstrap
interval (:func:`evalkit.roi_bootstrap`), the break-even statement the interval allows
and the range of the stated-assumption scenarios (:func:`evalkit.roi_scenarios`);
:func:`roi_cohorts_conclusion` counts the cohorts above, below and not distinguishable
from break-even; :func:`roi_groups_conclusion` words programs and the whole portfolio.
All say that the benefits are the participants' own estimates, and how those who gave
none are counted.

:func:`roi_estimates` and :func:`roi_scenario_estimates` give their ledger rows.

The break-even rule: "above break-even" only when the lower bound of the BCR's 95% CI
is above 1, "below" only when its upper bound is below 1, otherwise "not
distinguishable from break-even" (:func:`evalkit.break_even`).

Examples
--------
>>> print(roi_cohorts_conclusion(pd.DataFrame({"roi_pct": []}), "en"))
No cohort has benefit estimates yet.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import pandas as pd

from evalkit.metrics.roi_uncertainty import break_even
from evalkit.reporting.formats import fmt_idr, fmt_int, fmt_num, fmt_pct
from evalkit.reporting.sections import result_value
from evalkit.reporting.terms import Text, check_lang, term

_INDICATIVE = (
    "Manfaat adalah perkiraan peserta sendiri: perlakukan ROI ini sebagai indikatif.",
    "The benefits are estimates by the participants themselves: treat the ROI as indicative.",
)


def _statement(row: Mapping[str, Any] | pd.Series, lang: str) -> str:
    """The break-even words of a row with ``bcr_ci_low`` and ``bcr_ci_high``."""
    return term(f"break_even_{break_even(row['bcr_ci_low'], row['bcr_ci_high'])}", lang)


def _interval(row: Mapping[str, Any] | pd.Series, lang: str) -> dict[str, str]:
    """BCR and ROI with their intervals as text."""
    to = " s.d. " if lang == "id" else " to "
    return dict(
        bcr=fmt_num(row["bcr"], 2, lang),
        bcr_ci=fmt_num(row["bcr_ci_low"], 2, lang) + to + fmt_num(row["bcr_ci_high"], 2, lang),
        roi=fmt_pct(row["roi_pct"], 0, lang),
        roi_ci=fmt_pct(row["roi_ci_low"], 0, lang) + to + fmt_pct(row["roi_ci_high"], 0, lang),
        statement=_statement(row, lang),
    )


def roi_conclusion(
    benefit: Mapping[str, Any] | pd.Series,
    scenarios: pd.DataFrame,
    lang: str = "id",
    *,
    interval: Mapping[str, Any] | pd.Series | None = None,
) -> Text:
    """Word the Phillips ROI of a cohort: benefits, costs, BCR and ROI % with their CI.

    Parameters
    ----------
    benefit : Series
        :func:`evalkit.phillips_benefit` result (``n``, ``benefit_raw``,
        ``benefit_adjusted``).
    scenarios : DataFrame
        :func:`evalkit.roi_scenarios` (or :func:`evalkit.roi_sensitivity`) result: a
        ``base`` row and the scenarios whose ROI range is given.
    interval : Series, optional
        :func:`evalkit.roi_bootstrap` of the cohort: with it, the people and unit-level
        rows are counted separately, and BCR and ROI get their 95% CI and the
        break-even statement.

    Examples
    --------
    >>> from evalkit.metrics.economics import roi_sensitivity
    >>> b = {"n": 12, "benefit_raw": 90e6, "benefit_adjusted": 60e6}
    >>> print(roi_conclusion(b, roi_sensitivity((30e6, 60e6, 90e6), 50e6), "en"))
    From 12 participants' estimates, discounted for attribution and confidence, the training yields benefits of IDR 60,000,000 a year against costs of IDR 50,000,000: BCR = 1.20, ROI = 20% (range −40% to 80%). The benefits are estimates by the participants themselves: treat the ROI as indicative.
    >>> ci = {"n_participants": 20, "n_respondents": 12, "n_unit_rows": 0, "bcr": 1.2,
    ...       "bcr_ci_low": 0.8, "bcr_ci_high": 1.7, "roi_pct": 20.0, "roi_ci_low": -20.0,
    ...       "roi_ci_high": 70.0}
    >>> print(roi_conclusion(b, roi_sensitivity((30e6, 60e6, 90e6), 50e6), "en", interval=ci))
    From the estimates of 12 of the cohort's 20 participants (the 8 who gave none count as no benefit), discounted for attribution and confidence, the training yields benefits of IDR 60,000,000 a year against costs of IDR 50,000,000: BCR = 1.20 (95% CI 0.80 to 1.70), ROI = 20% (95% CI −20% to 70%), not distinguishable from break-even. With one stated assumption changed at a time, ROI ranges from −40% to 80%. The benefits are estimates by the participants themselves: treat the ROI as indicative.
    """
    i = check_lang(lang, "roi_conclusion")
    base = scenarios.loc["base"]
    others = scenarios.drop(index="base")["roi_pct"]
    values = dict(
        benefit=fmt_idr(base["benefits"], lang),
        cost=fmt_idr(base["costs"], lang),
        bcr=fmt_num(base["bcr"], 2, lang),
        roi=fmt_pct(base["roi_pct"], 0, lang),
        low=fmt_pct(min(others.min(), base["roi_pct"]), 0, lang),
        high=fmt_pct(max(others.max(), base["roi_pct"]), 0, lang),
    )
    if interval is None:
        values["n"] = fmt_int(result_value(benefit, "n"), lang)
        text = (
            "Dari estimasi {n} peserta, setelah dikoreksi atribusi dan tingkat keyakinan, "
            "pelatihan ini menghasilkan manfaat {benefit} per tahun terhadap biaya {cost}: "
            "BCR = {bcr}, ROI = {roi} (rentang {low} s.d. {high}). ",
            "From {n} participants' estimates, discounted for attribution and confidence, the "
            "training yields benefits of {benefit} a year against costs of {cost}: BCR = {bcr}, "
            "ROI = {roi} (range {low} to {high}). ",
        )[i]
        return Text(text.format(**values) + _INDICATIVE[i])
    g = functools.partial(result_value, interval)
    values.update(_interval(interval, lang))
    values.update(
        resp=fmt_int(g("n_respondents"), lang),
        people=fmt_int(g("n_participants"), lang),
        none=fmt_int(g("n_participants") - g("n_respondents"), lang),
        units=fmt_int(g("n_unit_rows"), lang),
    )
    unit = ""
    if g("n_unit_rows") > 0:
        unit = (" dan {units} estimasi tingkat unit", " and {units} unit-level estimates")[i]
    text = (
        "Dari estimasi {resp} dari {people} peserta angkatan ini ({none} yang tidak mengisi "
        "dihitung tanpa manfaat)" + unit + ", setelah dikoreksi atribusi dan tingkat "
        "keyakinan, pelatihan ini menghasilkan manfaat {benefit} per tahun terhadap biaya "
        "{cost}: BCR = {bcr} (IK 95% {bcr_ci}), ROI = {roi} (IK 95% {roi_ci}), {statement}. "
        "Bila satu asumsi diubah satu per satu, ROI berkisar {low} s.d. {high}. ",
        "From the estimates of {resp} of the cohort's {people} participants (the {none} who "
        "gave none count as no benefit)" + unit + ", discounted for attribution and "
        "confidence, the training yields benefits of {benefit} a year against costs of "
        "{cost}: BCR = {bcr} (95% CI {bcr_ci}), ROI = {roi} (95% CI {roi_ci}), {statement}. "
        "With one stated assumption changed at a time, ROI ranges from {low} to {high}. ",
    )[i]
    return Text(text.format(**values) + _INDICATIVE[i])


def roi_cohorts_conclusion(returns: pd.DataFrame, lang: str = "id") -> Text:
    """Word the Phillips ROI of several cohorts: how many are above break-even.

    Parameters
    ----------
    returns : DataFrame
        One row per cohort with ``roi_pct``. With ``bcr_ci_low`` and ``bcr_ci_high``
        (:func:`evalkit.roi_bootstrap`), cohorts are counted by the break-even rule of
        the interval; without them (an older table of :func:`evalkit.roi_scenarios`)
        by the point estimate, with ``roi_low_pct`` giving the lowest scenario.

    Examples
    --------
    >>> r = pd.DataFrame({"roi_pct": [120.0, 15.0, -30.0], "bcr": [2.2, 1.15, 0.7],
    ...                   "bcr_ci_low": [1.4, 0.7, 0.5], "bcr_ci_high": [3.1, 1.6, 0.9]},
    ...                  index=["A", "B", "C"])
    >>> print(roi_cohorts_conclusion(r, "en"))
    Of 3 cohorts with benefit estimates, 1 is above break-even (the lower bound of its BCR's 95% CI is above 1), 1 below it and 1 not distinguishable from it; ROI ranges from −30% to 120%. The benefits are estimates by the participants themselves: treat the ROI as indicative.
    """
    i = check_lang(lang, "roi_cohorts_conclusion")
    valid = returns.dropna(subset=["roi_pct"])
    n = fmt_int(len(valid), lang)
    if valid.empty:
        return Text(
            "Belum ada angkatan dengan estimasi manfaat."
            if i == 0
            else "No cohort has benefit estimates yet."
        )
    lo, hi = fmt_pct(valid["roi_pct"].min(), 0, lang), fmt_pct(valid["roi_pct"].max(), 0, lang)
    if {"bcr_ci_low", "bcr_ci_high"} <= set(valid.columns):
        verdict = pd.Series(break_even(valid["bcr_ci_low"], valid["bcr_ci_high"]))
        k = {v: fmt_int(int((verdict == v).sum()), lang) for v in ("above", "below",
                                                                     "indistinguishable")}  # fmt: skip
        if i == 0:
            return Text(
                f"Dari {n} angkatan yang memiliki estimasi manfaat, {k['above']} berada di atas "
                "titik impas (batas bawah IK 95% BCR-nya di atas 1), "
                f"{k['below']} di bawahnya dan {k['indistinguishable']} tidak dapat dibedakan "
                f"darinya; ROI berkisar {lo} s.d. {hi}. " + _INDICATIVE[i]
            )
        one = int((verdict == "above").sum()) == 1
        return Text(
            f"Of {n} cohorts with benefit estimates, {k['above']} {'is' if one else 'are'} "
            f"above break-even (the lower bound of {'its' if one else 'their'} BCR's 95% CI is "
            f"above 1), {k['below']} below it and {k['indistinguishable']} not "
            f"distinguishable from it; ROI ranges from {lo} to {hi}. " + _INDICATIVE[i]
        )
    above = fmt_int(int((valid["roi_pct"] > 0).sum()), lang)
    low = ""
    if "roi_low_pct" in valid and (valid["roi_pct"] > 0).any():
        k = fmt_int(int((valid["roi_low_pct"] > 0).sum()), lang)
        low = (
            f" dan {k} bahkan pada skenario pesimis"
            if i == 0
            else f" and {k} even in the pessimistic one"
        )
    zero = fmt_pct(0, 0, lang)
    if i == 0:
        return Text(
            f"Dari {n} angkatan yang memiliki estimasi manfaat, {above} berada di atas titik "
            f"impas (ROI > {zero}) pada skenario dasar{low}; ROI berkisar {lo} s.d. {hi}. "
            "Manfaat adalah perkiraan peserta sendiri: perlakukan ROI ini sebagai indikatif."
        )
    return Text(
        f"Of {n} cohorts with benefit estimates, {above} are above break-even (ROI > {zero}) in "
        f"the base scenario{low}; ROI ranges from {lo} to {hi}. The benefits are the "
        "participants' own estimates: treat these ROIs as indicative."
    )


def roi_groups_conclusion(
    programs: pd.DataFrame, portfolio: Mapping[str, Any] | pd.Series, lang: str = "id"
) -> Text:
    """Word the ROI of each program and of the whole portfolio, with their 95% CIs.

    Parameters
    ----------
    programs : DataFrame
        :func:`evalkit.roi_bootstrap` with ``by="program_id"`` (or any group of
        cohorts), one row per group.
    portfolio : Series
        :func:`evalkit.roi_bootstrap` without ``by``: every cohort with estimates.

    Examples
    --------
    >>> row = {"bcr": 0.9, "bcr_ci_low": 0.7, "bcr_ci_high": 1.1, "roi_pct": -10.0,
    ...        "roi_ci_low": -30.0, "roi_ci_high": 10.0, "n_cohorts": 2, "benefits": 9e7,
    ...        "costs": 1e8, "n_respondents": 30, "n_participants": 50}
    >>> progs = pd.DataFrame([row, {**row, "bcr": 1.5, "bcr_ci_low": 1.2, "bcr_ci_high": 1.9,
    ...                       "roi_pct": 50.0, "roi_ci_low": 20.0, "roi_ci_high": 90.0}],
    ...                      index=pd.Index(["P", "Q"], name="program_id"))
    >>> print(roi_groups_conclusion(progs, row, "en"))
    All programs together (2 cohorts with estimates from 30 of their 50 participants): benefits of IDR 90,000,000 a year against costs of IDR 100,000,000, BCR = 0.90 (95% CI 0.70 to 1.10), ROI = −10% (95% CI −30% to 10%), not distinguishable from break-even. By program: P BCR = 0.90 (95% CI 0.70 to 1.10), not distinguishable from break-even; Q BCR = 1.50 (95% CI 1.20 to 1.90), above break-even. The benefits are estimates by the participants themselves: treat the ROI as indicative.
    """
    i = check_lang(lang, "roi_groups_conclusion")
    g = functools.partial(result_value, portfolio)
    v = _interval(portfolio, lang)
    head = (
        f"Seluruh program ({fmt_int(g('n_cohorts'), lang)} angkatan dengan estimasi dari "
        f"{fmt_int(g('n_respondents'), lang)} dari {fmt_int(g('n_participants'), lang)} "
        f"pesertanya): manfaat {fmt_idr(g('benefits'), lang)} per tahun terhadap biaya "
        f"{fmt_idr(g('costs'), lang)}, BCR = {v['bcr']} (IK 95% {v['bcr_ci']}), ROI = "
        f"{v['roi']} (IK 95% {v['roi_ci']}), {v['statement']}.",
        f"All programs together ({fmt_int(g('n_cohorts'), lang)} cohorts with estimates from "
        f"{fmt_int(g('n_respondents'), lang)} of their {fmt_int(g('n_participants'), lang)} "
        f"participants): benefits of {fmt_idr(g('benefits'), lang)} a year against costs of "
        f"{fmt_idr(g('costs'), lang)}, BCR = {v['bcr']} (95% CI {v['bcr_ci']}), ROI = "
        f"{v['roi']} (95% CI {v['roi_ci']}), {v['statement']}.",
    )[i]
    parts = []
    for name, row in programs.iterrows():
        w = _interval(row, lang)
        ci = ("IK 95% ", "95% CI ")[i]
        parts.append(f"{name} BCR = {w['bcr']} ({ci}{w['bcr_ci']}), {w['statement']}")
    by = (" Per program: ", " By program: ")[i] + "; ".join(parts) + ". " if parts else " "
    return Text(head + by + _INDICATIVE[i])


def _frame(result: pd.DataFrame | pd.Series, group: str | None) -> tuple[pd.DataFrame, Any]:
    """A result as a frame, and the ``group`` of its ledger rows (its index if None)."""
    if isinstance(result, pd.Series):
        return result.to_frame().T.reset_index(drop=True), "" if group is None else group
    return result, group


def roi_estimates(
    interval: pd.DataFrame | pd.Series,
    *,
    group: str | None = None,
    primary: bool = False,
    costs: bool = False,
) -> pd.DataFrame:
    """Ledger rows of the BCR, ROI % and adjusted benefits of :func:`evalkit.roi_bootstrap`.

    Estimands ``bcr``, ``roi_pct`` and ``benefit`` (level 5), each with its bootstrap
    95% CI (the benefits' CI is the BCR's times the fixed costs) and ``n`` the people
    resampled (respondents and non-respondents); ``n_clusters`` the cohorts. With
    ``costs=True`` also the fully loaded costs the BCR divides by (estimand ``cost``, no
    interval), which :func:`roi_groups_conclusion` states for programs and the portfolio
    (a cohort's costs are :func:`cost_estimates` rows already).

    Examples
    --------
    >>> row = pd.Series({"bcr": 1.2, "bcr_ci_low": 0.8, "bcr_ci_high": 1.7, "roi_pct": 20.0,
    ...     "roi_ci_low": -20.0, "roi_ci_high": 70.0, "benefits": 6e7, "costs": 5e7,
    ...     "n_participants": 20, "n_cohorts": 1, "n_boot": 2000})
    >>> rows = roi_estimates(row, group="C1")
    >>> rows[["estimand", "estimate", "ci_low", "ci_high"]].values.tolist()
    [['bcr', 1.2, 0.8, 1.7], ['roi_pct', 20.0, -20.0, 70.0], ['benefit', 60000000.0, 40000000.0, 85000000.0]]
    """
    from evalkit.reporting.ledger import estimates

    frame, group = _frame(interval, group)
    frame = frame.assign(
        _b_low=frame["bcr_ci_low"] * frame["costs"], _b_high=frame["bcr_ci_high"] * frame["costs"]
    )
    n_boot = int(frame["n_boot"].iloc[0]) if len(frame) else 0
    method = (
        "Phillips adjusted benefit (estimate x attribution x confidence), first year; "
        f"percentile bootstrap over people within cohorts ({n_boot:,} resamples), "
        "non-respondents count 0; costs fully loaded, not resampled"
    )
    common = dict(level=5, method=method, n="n_participants", n_clusters="n_cohorts",
                  group=group, primary=primary)  # fmt: skip
    rows = [
        estimates(frame, outcome="Phillips ROI", estimand="bcr", estimate="bcr",
                  ci=("bcr_ci_low", "bcr_ci_high"), **common),
        estimates(frame, outcome="Phillips ROI", estimand="roi_pct", estimate="roi_pct",
                  ci=("roi_ci_low", "roi_ci_high"), **common),
        estimates(frame, outcome="adjusted benefits (IDR a year)", estimand="benefit",
                  estimate="benefits", ci=("_b_low", "_b_high"), **common),
    ]  # fmt: skip
    if costs:
        rows.append(estimates(
            frame, outcome="total cost (IDR)", estimand="cost", estimate="costs", ci=None,
            level=5, method="recorded costs, fully loaded (incl. participant time); no "
            "sampling error", n="n_participants", n_clusters="n_cohorts", group=group,
            min_n=None,
        ))  # fmt: skip
    return pd.concat(rows, ignore_index=True)


def roi_scenario_estimates(scenarios: pd.DataFrame, *, group: str | None = None) -> pd.DataFrame:
    """Ledger rows of the ROI % of each stated-assumption scenario (:func:`evalkit.roi_scenarios`).

    One ``roi_pct`` row (level 5, no interval: a scenario is a changed assumption, not a
    sample) per scenario of a cohort's :func:`evalkit.roi_scenarios` (its index
    ``scenario``), labelled ``scenario: <name>`` (with ``group``: ``<group>, scenario:
    <name>``): the range :func:`roi_conclusion` states ("ROI ranges from ... to ...").

    Examples
    --------
    >>> from evalkit.metrics.economics import roi_sensitivity
    >>> rows = roi_scenario_estimates(roi_sensitivity((30e6, 60e6, 90e6), 50e6))
    >>> rows[["group", "estimate"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['scenario: low', -40.0], ['scenario: base', 20.0], ['scenario: high', 80.0]]
    """
    from evalkit.reporting.ledger import estimates

    prefix = "" if group is None else f"{group}, "
    frame = scenarios[["roi_pct"]].copy()
    frame.index = [f"{prefix}scenario: {name}" for name in scenarios.index]
    return estimates(
        frame, level=5, outcome="Phillips ROI", estimand="roi_pct", estimate="roi_pct",
        ci=None, n=None, min_n=None, method="Phillips ROI with one stated assumption changed "
        "(sensitivity scenario); point estimate, no interval",
    )  # fmt: skip


def cost_estimates(
    costs: pd.DataFrame | pd.Series,
    items: pd.DataFrame | pd.Series | None = None,
    *,
    group: str | None = None,
) -> pd.DataFrame:
    """Ledger rows of the costs: total, per participant, and by kind (estimand ``cost``).

    ``costs`` is :func:`evalkit.cost_summary`, ``items`` :func:`evalkit.cost_items`
    (same groups). Costs are recorded amounts, without an interval; ``n`` is the
    participants.

    Examples
    --------
    >>> c = pd.Series({"total_cost": 9e6, "cost_per_participant": 3e5, "n_participants": 30})
    >>> cost_estimates(c)[["outcome", "estimate"]].values.tolist()
    [['total cost (IDR)', 9000000.0], ['cost per participant (IDR)', 300000.0]]
    """
    from evalkit.reporting.ledger import estimates

    frame, group = _frame(costs, group)
    method = "recorded costs, fully loaded (incl. participant time); no sampling error"
    common = dict(level=5, estimand="cost", method=method, ci=None, n="n_participants",
                  group=group, min_n=None)  # fmt: skip
    rows = [
        estimates(frame, outcome="total cost (IDR)", estimate="total_cost", **common),
        estimates(frame, outcome="cost per participant (IDR)", estimate="cost_per_participant",
                  **common),
    ]  # fmt: skip
    if items is not None:
        kinds, kgroup = _frame(items, group)
        n = frame["n_participants"].to_numpy() if len(frame) == len(kinds) else None
        for kind in ("cash", "participant_time", "other"):
            rows.append(
                estimates(kinds, outcome=f"cost: {kind.replace('_', ' ')} (IDR)", estimate=kind,
                          level=5, estimand="cost", method=method, ci=None, n=None, group=kgroup,
                          min_n=None).assign(n=n)
            )  # fmt: skip
    return pd.concat(rows, ignore_index=True)
