"""Budget planner: what a budget buys, what it is expected to gain, and what a study could show.

Given a budget in rupiah, :func:`budget_plan` answers for each program, from the study's
own costs and effects: how many participants and cohorts the budget buys (at the
program's observed cost per participant, with the range over its cohorts), the gain
expected per million rupiah (the program's observed effect with its confidence interval,
divided by the cost range), and the minimum detectable effect (MDE) of a paired pre/post
study of that many participants (:func:`evalkit.metrics.power.minimum_detectable_effect`),
flagged when it exceeds the observed effect: a study of that size would likely show
nothing. :func:`program_effects` gives the observed effects: the person-level pre/post
gain per program, cluster-robust by cohort (CR1, or with ``vcov="CR2"`` the small-sample
CR2 with Satterthwaite df that a program's few cohorts call for; a t interval for a
program of one cohort), as test points, POMP points and d_z; :func:`program_transfer` gives the Level 3 outcome the
planner can plan on instead: the mean follow-up transfer index per program (POMP 0-100,
:func:`evalkit.behavior_scores` with ``scale_min=1``), with the same inference.

Programs take different tests, so their raw gains are not comparable: the planner ranks
them on a standardised effect (d_z, the gain in SDs of the change) or on POMP points (the
gain as a percentage of the test's maximum), and says so (``comparable``).

Examples
--------
>>> from evalkit.metrics.planner import participants_for
>>> participants_for(250_000_000, 2_600_000.0)
96
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
import pandas as pd

from evalkit import constants as C
from evalkit.errors import ParameterError
from evalkit.metrics._validate import (
    check_choice,
    check_ci,
    numeric_column,
    require_columns,
    warn,
)
from evalkit.metrics.behavior import behavior_scores
from evalkit.metrics.needs import group_means
from evalkit.metrics.power import design_effect, minimum_detectable_effect

__all__ = [
    "EFFECT_MEASURES",
    "budget_plan",
    "participants_for",
    "program_effects",
    "program_transfer",
]

#: Effect measures :func:`budget_plan` can plan on: column of :func:`program_effects` (or,
#: for ``"transfer"``, of :func:`program_transfer`) -> whether programs with different
#: tests (or answer scales) are comparable on it.
EFFECT_MEASURES = {"d_z": True, "pomp_gain": True, "mean_diff": False, "transfer": True}


def participants_for(budget: float, cost_per_participant: float) -> int:
    """Whole participants a budget pays for: ``floor(budget / cost per participant)``.

    A decision rule (nobody is trained in part), not presentation rounding.

    Examples
    --------
    >>> participants_for(10_000_000, 3_000_000.0), participants_for(9e6, 3e6)
    (3, 3)
    """
    if not (cost_per_participant > 0):
        return 0
    return int(math.floor(budget / cost_per_participant + 1e-9))


def program_effects(
    learning: pd.DataFrame,
    cohorts: pd.DataFrame,
    *,
    by: str = C.PROGRAM_ID,
    ci: float = 0.95,
    cohort: str = C.COHORT_ID,
    pre: str = C.PRE,
    post: str = C.POST,
    max_score: str = C.MAX_SCORE,
    vcov: Literal["CR1", "CR2"] = "CR1",
) -> pd.DataFrame:
    """Each program's observed pre/post gain: test points, POMP points and d_z, with CIs.

    Parameters
    ----------
    learning : DataFrame
        The ``learning`` table (``cohort_id, pre, post``; ``max_score`` optional).
    cohorts : DataFrame
        The ``cohorts`` table, with ``by``.
    by : str, default ``"program_id"``
        Column of ``cohorts`` naming the program (cohorts of one program take one test).
    ci : float, default 0.95
    cohort, pre, post, max_score : str
        Column names.
    vcov : {"CR1", "CR2"}, default "CR1"
        The cluster-robust variance of a program's mean gain (as
        :func:`evalkit.metrics.needs.group_means`): CR1 with t on cohorts - 1 df, or the
        Bell-McCaffrey CR2 variance with Satterthwaite df, the choice for the two or three
        cohorts a program has. A program of one cohort gets the paired t either way.

    Returns
    -------
    DataFrame
        Indexed by ``by``: ``n`` (people with both scores), ``n_clusters`` (cohorts),
        ``mean_diff`` (mean of post - pre), ``sd_diff``, ``se``, ``df``, ``ci_low``,
        ``ci_high`` and ``inference`` (as :func:`evalkit.metrics.needs.group_means`:
        ``"cluster"``, ``vcov`` by cohort, or ``"t"``, the paired t for a single cohort),
        ``d_z`` = mean_diff / sd_diff with ``d_z_ci_low, d_z_ci_high`` (the interval of
        the mean over sd_diff), ``max_score`` (NaN when a program's cohorts mix maxima)
        and ``pomp_gain`` = 100 mean_diff / max_score with ``pomp_gain_ci_low,
        pomp_gain_ci_high``.

    Raises
    ------
    ParameterError
        Missing columns, a cohort of ``learning`` absent from ``cohorts``.

    Notes
    -----
    The interval of d_z treats the SD of the changes as known, as
    :func:`evalkit.metrics.learning.clustered_change` does for Hedges' g. Validated
    against R 4 ``coeftest(lm(gain ~ 1), vcovCL(fit, cluster = ~cohort_id), df = G -
    1)`` and ``t.test(post, pre, paired = TRUE)`` (``tests/reference/planner.R``) and,
    with CR2, ``clubSandwich::coef_test(fit, vcov = vcovCR(fit, cluster = cohort_id,
    type = "CR2"), test = "Satterthwaite")`` (``tests/reference/cr2means.R``).

    Examples
    --------
    >>> lrn = pd.DataFrame({"cohort_id": list("aabbcc"), "pre": [50.0, 60, 55, 40, 65, 70],
    ...                     "post": [60.0, 65, 70, 50, 70, 80], "max_score": 100})
    >>> cohs = pd.DataFrame({"cohort_id": list("abc"), "program_id": "P"})
    >>> out = program_effects(lrn, cohs)
    >>> round(float(out.loc["P", "mean_diff"]), 4), int(out.loc["P", "df"])
    (9.1667, 2)
    """
    func = "program_effects"
    check_ci(func, ci, say_number=True)
    check_choice(func, vcov, "vcov", ("CR1", "CR2"))
    require_columns(func, learning, [cohort, pre, post], "learning")
    require_columns(func, cohorts, [cohort, by], "cohorts")
    table = cohorts.drop_duplicates(cohort).set_index(cohort)[by]
    unknown = ~learning[cohort].isin(table.index)
    if unknown.any():
        raise ParameterError(
            f"{func}: cohort {learning.loc[unknown, cohort].iloc[0]!r} of learning is not in cohorts"
        )
    gain = numeric_column(func, post, learning[post]) - numeric_column(func, pre, learning[pre])
    frame = pd.DataFrame({cohort: learning[cohort].to_numpy(), "_gain": gain})
    frame[by] = frame[cohort].map(table).to_numpy()
    if max_score in learning.columns:
        frame["_max"] = numeric_column(func, max_score, learning[max_score])
    else:
        frame["_max"] = np.nan
    frame = frame.dropna(subset=["_gain"])
    if frame.empty:
        raise ParameterError(f"{func}: learning has no participant with both {pre!r} and {post!r}")
    out = group_means(frame, "_gain", by=by, cluster=cohort, ci=ci, vcov=vcov)
    out = out.rename(columns={"mean": "mean_diff", "sd": "sd_diff"})
    top = frame.groupby(by)["_max"].agg(lambda s: s.iloc[0] if s.nunique() == 1 else np.nan)
    sd = out["sd_diff"].where(out["sd_diff"] > 0)
    for col, src in (("d_z", "mean_diff"), ("d_z_ci_low", "ci_low"), ("d_z_ci_high", "ci_high")):
        out[col] = out[src] / sd
    out["max_score"] = top.reindex(out.index).astype(float)
    for col, src in (("pomp_gain", "mean_diff"), ("pomp_gain_ci_low", "ci_low"),
                     ("pomp_gain_ci_high", "ci_high")):  # fmt: skip
        out[col] = 100 * out[src] / out["max_score"]
    return out


def program_transfer(
    followup: pd.DataFrame,
    cohorts: pd.DataFrame,
    *,
    by: str = C.PROGRAM_ID,
    months: float | None = None,
    ci: float = 0.95,
    scale_min: float | str | None = 1,
    cohort: str = C.COHORT_ID,
    participant: str = C.PARTICIPANT_ID,
    months_after: str = C.MONTHS_AFTER,
    vcov: Literal["CR1", "CR2"] = "CR1",
) -> pd.DataFrame:
    """Each program's observed Level 3 transfer: the mean follow-up transfer index, with CI.

    Parameters
    ----------
    followup : DataFrame
        The long ``followup`` table (participant x rater x item; ``months_after`` when it
        holds several waves).
    cohorts : DataFrame
        The ``cohorts`` table, with ``by``.
    by : str, default ``"program_id"``
        Column of ``cohorts`` naming the program.
    months : number or None, default None
        The follow-up wave to use (``months_after``); None: the earliest wave.
    ci : float, default 0.95
    scale_min : number, column name or None, default 1
        As :func:`evalkit.behavior_scores`: with 1 (the lowest answer of the 1-5 and 1-4
        scales) the index is POMP 0-100, comparable across answer scales.
    cohort, participant, months_after : str
        Column names.
    vcov : {"CR1", "CR2"}, default "CR1"
        As :func:`program_effects`: CR1 with t on cohorts - 1 df, or CR2 with
        Satterthwaite df.

    Returns
    -------
    DataFrame
        Indexed by ``by``: ``months_after`` (the wave), ``n`` (alumni with an index),
        ``n_clusters``, ``mean``, ``sd``, ``se``, ``df``, ``ci_low``, ``ci_high`` and
        ``inference`` (as :func:`evalkit.metrics.needs.group_means`: ``"cluster"``,
        ``vcov`` by cohort, or ``"t"``, the t interval for a single cohort), and the planner's names of
        the same numbers: ``transfer`` (= mean), ``transfer_ci_low``, ``transfer_ci_high``
        and ``sd_transfer`` (the SD of the alumni's indices, which turns the MDE in SDs
        into index points).

    Raises
    ------
    ParameterError
        Missing columns, an unknown wave, a cohort of ``followup`` absent from
        ``cohorts``, or as :func:`evalkit.behavior_scores`.

    Notes
    -----
    A person's index is the mean over raters (self, supervisor) of the rater's mean
    answer as POMP, as in :func:`evalkit.transfer_index` and
    :func:`evalkit.persistence_curve`. The transfer index is a level, not a change: it
    has no pre-training baseline, so unlike the gain it says how far alumni apply the
    training, not how much the training moved them. Validated against R 4
    ``coeftest(lm(index ~ 1), vcovCL(fit, cluster = ~cohort_id), df = G - 1)`` and
    ``t.test(index)`` per program (``tests/reference/planner.R``) and, with CR2,
    ``clubSandwich::coef_test(fit, vcov = vcovCR(fit, cluster = cohort_id, type =
    "CR2"), test = "Satterthwaite")`` (``tests/reference/cr2means.R``).

    Examples
    --------
    >>> fu = pd.DataFrame({"cohort_id": list("aabbcc"), "participant_id": list("pqrstu"),
    ...     "rater": "self", "item": "b1", "score": [4, 3, 5, 4, 2, 3], "scale_max": 5})
    >>> cohs = pd.DataFrame({"cohort_id": list("abc"), "program_id": "P"})
    >>> out = program_transfer(fu, cohs)
    >>> float(out.loc["P", "transfer"]), int(out.loc["P", "n_clusters"])
    (62.5, 3)
    """
    func = "program_transfer"
    check_ci(func, ci, say_number=True)
    check_choice(func, vcov, "vcov", ("CR1", "CR2"))
    require_columns(func, followup, [cohort, participant], "followup")
    require_columns(func, cohorts, [cohort, by], "cohorts")
    data = followup
    wave = np.nan
    if months_after in followup.columns:
        waves = pd.to_numeric(followup[months_after], errors="coerce")
        found = sorted(waves.dropna().unique())
        if months is None:
            if not found:
                raise ParameterError(f"{func}: column {months_after!r} holds no wave")
            wave = float(found[0])
        elif months in found:
            wave = float(months)
        else:
            raise ParameterError(
                f"{func}: parameter 'months' = {months!r} is not a wave of column "
                f"{months_after!r} (waves: {found})"
            )
        data = followup[waves == wave]
    elif months is not None:
        raise ParameterError(
            f"{func}: parameter 'months' needs column {months_after!r} in followup"
        )
    table = cohorts.drop_duplicates(cohort).set_index(cohort)[by]
    unknown = ~data[cohort].isin(table.index)
    if unknown.any():
        raise ParameterError(
            f"{func}: cohort {data.loc[unknown, cohort].iloc[0]!r} of followup is not in cohorts"
        )
    people = behavior_scores(data, by=cohort, participant=participant, scale_min=scale_min)
    people = people.dropna(subset=["index"])
    if people.empty:
        raise ParameterError(f"{func}: followup has no rated participant")
    people[by] = people[cohort].map(table).to_numpy()
    out = group_means(people, "index", by=by, cluster=cohort, ci=ci, vcov=vcov)
    out.insert(0, months_after, wave)
    out["transfer"] = out["mean"]
    out["transfer_ci_low"] = out["ci_low"]
    out["transfer_ci_high"] = out["ci_high"]
    out["sd_transfer"] = out["sd"]
    return out


def _cost_frame(
    func: str,
    costs: pd.DataFrame,
    participants: pd.DataFrame,
    cohorts: pd.DataFrame,
    by: str,
    cohort: str,
    participant: str,
    amount: str,
) -> pd.DataFrame:
    """One row per cohort with costs and participants: program, total cost, n, cost per head."""
    require_columns(func, costs, [cohort, amount], "costs")
    require_columns(func, participants, [cohort, participant], "participants")
    require_columns(func, cohorts, [cohort, by], "cohorts")
    money = numeric_column(func, amount, costs[amount])
    if (money < 0).any() or not np.isfinite(money[~np.isnan(money)]).all():
        raise ParameterError(f"{func}: column {amount!r} of costs must be finite and >= 0")
    total = pd.Series(money, index=costs.index).groupby(costs[cohort]).sum()
    n = participants.drop_duplicates([cohort, participant]).groupby(cohort).size()
    per = pd.DataFrame({"total_cost": total, "n": n.reindex(total.index)})
    per[by] = cohorts.drop_duplicates(cohort).set_index(cohort)[by].reindex(per.index)
    unknown = per[by].isna()
    if unknown.any():
        raise ParameterError(
            f"{func}: cohort {per.index[unknown.to_numpy()][0]!r} of costs is not in cohorts"
        )
    empty = per["n"].isna() | (per["n"] == 0) | (per["total_cost"] <= 0)
    if empty.any():
        warn(
            func,
            f"{int(empty.sum())} cohort(s) without participants or costs left out "
            f"({list(per.index[empty.to_numpy()])[:5]})",
            stacklevel=3,
        )
        per = per[~empty]
    if per.empty:
        raise ParameterError(f"{func}: no cohort has both costs and participants")
    per["cost_per_participant"] = per["total_cost"] / per["n"]
    return per


def budget_plan(
    costs: pd.DataFrame,
    participants: pd.DataFrame,
    cohorts: pd.DataFrame,
    effects: pd.DataFrame,
    *,
    budget: float,
    cohort_size: float | None = None,
    effect: str = "d_z",
    by: str = C.PROGRAM_ID,
    alpha: float = 0.05,
    power: float = 0.8,
    icc: float = 0.0,
    cohort: str = C.COHORT_ID,
    participant: str = C.PARTICIPANT_ID,
    amount: str = C.AMOUNT,
) -> pd.DataFrame:
    """What a budget buys per program, the gain it is expected to bring, and the study's MDE.

    Parameters
    ----------
    costs, participants, cohorts : DataFrame
        The processed tables (``costs``: ``cohort_id, category, amount_idr``).
    effects : DataFrame
        :func:`program_effects` (indexed by program), or :func:`program_transfer` with
        ``effect="transfer"``.
    budget : float
        The budget in rupiah (> 0).
    cohort_size : float or None
        Participants per cohort; None: each program's observed median cohort size.
    effect : {"d_z", "pomp_gain", "mean_diff", "transfer"}, default "d_z"
        The effect to plan on: the standardised gain (comparable across tests), the gain
        in POMP points (percent of the test's maximum), raw test points (comparable
        only within one test), or the Level 3 transfer index (POMP 0-100, from
        :func:`program_transfer`). The MDE of ``"transfer"`` is that of a one-sample t
        test of the alumni's mean index (against a benchmark or a target), in SDs
        (``mde_d_z``) and in index points (``mde``); a transfer level has no
        standardised change to set against it, so ``d_z`` and ``underpowered`` are NaN.
    by : str, default ``"program_id"``
        Column of ``cohorts`` naming the program.
    alpha, power : float, default .05 and .80
        Of the MDE: a two-sided paired t test.
    icc : float, default 0
        Intraclass correlation of the gain within cohorts: the MDE uses the design
        effect ``1 + (cohort_size - 1) icc`` (0: people as independent, a paired design).
    cohort, participant, amount : str
        Column names.

    Returns
    -------
    DataFrame
        Indexed by program, sorted by ``effect_per_million`` (highest first; ties by program):
        ``budget``; ``n_cohorts_observed``; ``cost_per_participant`` (total cost / people
        over the program's cohorts) with ``cost_min, cost_max`` (the range of its
        cohorts' costs per participant); ``cohort_size``; ``n_participants`` (whole
        participants the budget pays for) with ``n_participants_low,
        n_participants_high`` (at cost_max and cost_min); ``n_cohorts`` (whole cohorts of
        ``cohort_size``); ``measure``, ``effect``, ``effect_ci_low``, ``effect_ci_high``
        (from ``effects``); ``effect_per_million`` (effect per participant per Rp
        1,000,000) with ``effect_per_million_ci_low, effect_per_million_ci_high``;
        ``deff``; ``mde_d_z`` (MDE of a paired study of ``n_participants``, in d_z) and
        ``mde`` (in the units of ``measure``: mde_d_z x sd of the changes, in points or
        POMP points; for ``"transfer"`` mde_d_z x ``sd_transfer``, in index points, and
        ``sd_transfer`` itself); ``d_z`` (observed) with ``d_z_ci_low, d_z_ci_high`` (NaN when
        ``effects`` lacks them); ``underpowered`` (mde_d_z > observed d_z: a
        study of this size would likely show nothing; NaN where either is missing);
        ``comparable`` (the measure compares programs with different tests).

    Raises
    ------
    ParameterError
        A budget that is not a positive number, an unknown ``effect``, a bad
        ``cohort_size`` or ``icc``, missing columns, no program with both costs and an
        effect.

    Warns
    -----
    EvalkitWarning
        Cohorts without participants or costs (left out); programs with costs but no
        effect, or an effect but no costs (left out).

    Notes
    -----
    ``n_participants = floor(budget / cost_per_participant)``; ``n_cohorts =
    floor(budget / (cost_per_participant x cohort_size))``. The gain per million rupiah
    carries both uncertainties by interval arithmetic: ``[effect_ci_low,
    effect_ci_high] / [cost_min, cost_max] x 10^6`` (the smallest and largest quotient),
    a conservative interval that needs no distributional assumption about the costs
    (a program of one cohort has no cost range, only the effect's interval). The MDE
    solves the noncentral-t power equation (R ``power.t.test(n, power = .8, type =
    "paired", strict = TRUE)$delta``). Validated against R 4 (``tests/reference/planner.R``).

    Examples
    --------
    >>> costs = pd.DataFrame({"cohort_id": ["a", "b"], "category": "x",
    ...                       "amount_idr": [50e6, 60e6]})
    >>> parts = pd.DataFrame({"cohort_id": ["a"] * 20 + ["b"] * 20,
    ...                       "participant_id": [f"p{i}" for i in range(40)]})
    >>> cohs = pd.DataFrame({"cohort_id": ["a", "b"], "program_id": "P"})
    >>> eff = pd.DataFrame({"d_z": [0.6], "d_z_ci_low": [0.3], "d_z_ci_high": [0.9],
    ...     "sd_diff": [10.0], "n": [40.0]}, index=pd.Index(["P"], name="program_id"))
    >>> plan = budget_plan(costs, parts, cohs, eff, budget=110e6)
    >>> [int(plan.loc["P", c]) for c in ("n_participants", "n_cohorts")], plan.loc["P", "underpowered"]
    ([40, 2], False)
    """
    func = "budget_plan"
    if isinstance(budget, bool) or not isinstance(budget, (int, float, np.integer, np.floating)):
        raise ParameterError(
            f"{func}: parameter 'budget' must be a number of rupiah, got {budget!r}"
        )
    if not math.isfinite(budget) or budget <= 0:
        raise ParameterError(
            f"{func}: parameter 'budget' must be a positive amount of rupiah, got {budget!r}"
        )
    if effect not in EFFECT_MEASURES:
        raise ParameterError(
            f"{func}: parameter 'effect' must be one of {tuple(EFFECT_MEASURES)}, got {effect!r}"
        )
    if cohort_size is not None and (
        isinstance(cohort_size, bool)
        or not isinstance(cohort_size, (int, float, np.integer, np.floating))
        or not cohort_size >= 1
        or not math.isfinite(cohort_size)
    ):
        raise ParameterError(
            f"{func}: parameter 'cohort_size' must be a number >= 1 (participants per cohort), "
            f"got {cohort_size!r}"
        )
    if not (isinstance(icc, (int, float)) and 0 <= icc <= 1):
        raise ParameterError(f"{func}: parameter 'icc' must be in [0, 1], got {icc!r}")
    check_ci(func, alpha, "alpha")
    check_ci(func, power, "power")
    bounds = (
        ("ci_low", "ci_high")
        if effect == "mean_diff"
        else (f"{effect}_ci_low", f"{effect}_ci_high")
    )
    spread = "sd_transfer" if effect == "transfer" else "sd_diff"
    columns = [effect, *bounds, spread]
    if effect not in ("d_z", "transfer"):
        columns.append("d_z")
    require_columns(func, effects, columns, "effects")
    per = _cost_frame(func, costs, participants, cohorts, by, cohort, participant, amount)
    grouped = per.groupby(by)
    table = pd.DataFrame(
        {
            "n_cohorts_observed": grouped.size().astype(int),
            "cost_per_participant": grouped["total_cost"].sum() / grouped["n"].sum(),
            "cost_min": grouped["cost_per_participant"].min(),
            "cost_max": grouped["cost_per_participant"].max(),
            "median_size": grouped["n"].median().astype(float),
        }
    )
    both = table.index.intersection(effects.index)
    lost = sorted(map(str, set(table.index).symmetric_difference(effects.index)))
    if lost:
        warn(func, f"program(s) without both costs and an effect left out: {lost[:5]}")
    if len(both) == 0:
        raise ParameterError(
            f"{func}: no program has both costs and an effect (costs: "
            f"{sorted(map(str, table.index))[:5]}; effects: {sorted(map(str, effects.index))[:5]})"
        )
    table = table.loc[both]
    eff = effects.loc[both]
    size = table["median_size"] if cohort_size is None else pd.Series(float(cohort_size), both)
    cpp = table["cost_per_participant"]
    n_buy = [participants_for(budget, c) for c in cpp]
    out = pd.DataFrame(index=both)
    out.index.name = by
    out["budget"] = float(budget)
    out["n_cohorts_observed"] = table["n_cohorts_observed"]
    out["cost_per_participant"] = cpp
    out["cost_min"] = table["cost_min"]
    out["cost_max"] = table["cost_max"]
    out["cohort_size"] = size.astype(float)
    out["n_participants"] = n_buy
    out["n_participants_low"] = [participants_for(budget, c) for c in table["cost_max"]]
    out["n_participants_high"] = [participants_for(budget, c) for c in table["cost_min"]]
    out["n_cohorts"] = [participants_for(budget, c * m) for c, m in zip(cpp, size, strict=True)]
    out["measure"] = effect
    est = eff[effect].astype(float)
    low, high = (eff[b].astype(float) for b in bounds)
    out["effect"], out["effect_ci_low"], out["effect_ci_high"] = est, low, high
    million = 1e6
    out["effect_per_million"] = est / cpp * million
    c_lo, c_hi = table["cost_min"], table["cost_max"]
    out["effect_per_million_ci_low"] = np.minimum(low / c_lo, low / c_hi) * million
    out["effect_per_million_ci_high"] = np.maximum(high / c_lo, high / c_hi) * million
    deff = [design_effect(float(m), float(icc)) for m in size]
    out["deff"] = deff
    mde = []
    for n, d in zip(n_buy, deff, strict=True):
        try:
            mde.append(minimum_detectable_effect(n, alpha, power, "paired", d))
        except ParameterError:  # fewer than 2 (effective) participants: no test at all
            mde.append(np.nan)
    out["mde_d_z"] = mde
    sd = eff[spread].astype(float)
    if effect == "d_z":
        scale = pd.Series(1.0, index=both)
    elif effect in ("mean_diff", "transfer"):
        scale = sd
    else:
        scale = 100 * sd / eff["max_score"].astype(float) if "max_score" in eff else np.nan
    out["mde"] = out["mde_d_z"] * scale
    if effect == "transfer":
        out["sd_transfer"] = sd
    observed = eff["d_z"].astype(float) if "d_z" in eff else pd.Series(np.nan, index=both)
    out["d_z"] = observed
    for col in ("d_z_ci_low", "d_z_ci_high"):
        out[col] = eff[col].astype(float) if col in eff else np.nan
    flag = out["mde_d_z"] > observed
    out["underpowered"] = flag.astype(object).where(out["mde_d_z"].notna() & observed.notna())
    out["comparable"] = EFFECT_MEASURES[effect] or len(both) == 1
    return out.sort_values("effect_per_million", ascending=False, kind="stable")
