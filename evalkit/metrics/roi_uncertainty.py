"""Level 5 uncertainty: bootstrap intervals for the benefit-cost ratio and ROI %.

The benefits of a Phillips ROI are the participants' own estimates, so the BCR of a
cohort is a sample statistic: another set of respondents would have given another
total. :func:`roi_bootstrap` resamples *people* (with replacement, within each cohort)
and gives a percentile or BCa interval for the BCR and the ROI %, for cohorts, programs
or the whole portfolio. The stated rule for non-respondents is Phillips' guiding
principle "no data, no improvement": an enrolled participant who returned no estimate
counts as a benefit of 0 (and is resampled as such), never as the respondents' mean.
Unit-level estimates (rows without a participant) are resampled among themselves, in a
stratum of their own. Costs are the cohorts' recorded, fully loaded costs (not
resampled).

:func:`break_even` turns an interval into the break-even statement of the reports:
``"above"`` only when the lower bound of the BCR is above 1, ``"below"`` only when the
upper bound is below 1, otherwise ``"indistinguishable"``. :func:`bootstrap_interval`
is the interval arithmetic of R's ``boot.ci`` (``type = "perc"`` and ``"bca"``) on given
replicates.

Examples
--------
>>> import pandas as pd
>>> est = pd.DataFrame({"cohort_id": "A", "participant_id": ["p1", "p2", "p3"],
...                     "benefit_idr": [4e6, 2e6, 6e6], "attribution": 0.5,
...                     "confidence": 1.0})
>>> enrolled = pd.DataFrame({"cohort_id": "A", "participant_id": ["p1", "p2", "p3", "p4"]})
>>> cost = pd.DataFrame({"cohort_id": ["A"], "amount_idr": [5e6]})
>>> out = roi_bootstrap(est, cost, enrolled)
>>> int(out["n_participants"]), int(out["n_respondents"]), float(out["bcr"])
(4, 3, 1.2)
>>> bool(out["bcr_ci_low"] < 1.2 < out["bcr_ci_high"]), out["break_even"]
(True, 'indistinguishable')
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from functools import partial

import numpy as np
import pandas as pd
from scipy import stats

from evalkit import constants as C
from evalkit.errors import ParameterError
from evalkit.metrics._grouped import as_result, by_list
from evalkit.metrics._validate import check_choice, check_ci, require_columns, warn

__all__ = [
    "BREAK_EVEN",
    "DEFAULT_SEED",
    "bca_acceleration",
    "bootstrap_interval",
    "break_even",
    "person_benefits",
    "roi_bootstrap",
]

#: Seed of :func:`roi_bootstrap` unless one is given.
DEFAULT_SEED = 20240501

#: The break-even statements of :func:`break_even`.
BREAK_EVEN = ("above", "below", "indistinguishable")

_table = partial(require_columns, what="a DataFrame", show_type=False)

#: Code of a resampling stratum's kind in the seed of its generator.
_KINDS = {"person": 1, "unit": 2}


def break_even(ci_low: float | np.ndarray, ci_high: float | np.ndarray) -> str | np.ndarray:
    """The break-even statement of a BCR interval.

    Parameters
    ----------
    ci_low, ci_high : float or array
        Bounds of the BCR's confidence interval.

    Returns
    -------
    str or array of str
        ``"above"`` when ``ci_low > 1``, ``"below"`` when ``ci_high < 1``, otherwise
        (the interval holds 1, or a bound is missing) ``"indistinguishable"``.

    Examples
    --------
    >>> break_even(1.05, 1.9), break_even(0.4, 0.95), break_even(0.66, 1.55)
    ('above', 'below', 'indistinguishable')
    """
    low, high = np.asarray(ci_low, dtype=float), np.asarray(ci_high, dtype=float)
    out = np.where(low > 1, "above", np.where(high < 1, "below", "indistinguishable"))
    return str(out) if out.ndim == 0 else out.astype(object)


def _norm_inter(t_sorted: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """R ``boot:::norm.inter``: quantiles of sorted replicates on the normal scale.

    ``t_sorted`` is (R, G), sorted along axis 0; ``alpha`` is (K, G). Returns (K, G).
    """
    r = t_sorted.shape[0]
    rk = (r + 1) * alpha
    k = np.trunc(rk).astype(int)
    cols = np.broadcast_to(np.arange(t_sorted.shape[1]), k.shape)
    lower = t_sorted[np.clip(k - 1, 0, r - 1), cols]
    upper = t_sorted[np.clip(k, 0, r - 1), cols]
    with np.errstate(invalid="ignore", divide="ignore"):
        z, zk, zk1 = (
            stats.norm.ppf(alpha),
            stats.norm.ppf(k / (r + 1)),
            stats.norm.ppf((k + 1) / (r + 1)),
        )
        out = lower + (z - zk) / (zk1 - zk) * (upper - lower)
    out = np.where(k == rk, lower, out)
    out = np.where(k <= 0, t_sorted[0, cols], out)
    return np.where(k >= r, t_sorted[r - 1, cols], out)


def bootstrap_interval(
    replicates: np.ndarray,
    estimate: float | np.ndarray,
    *,
    level: float = 0.95,
    method: str = "percentile",
    influence: Sequence[np.ndarray] | None = None,
    acceleration: float | np.ndarray | None = None,
) -> np.ndarray:
    """Percentile or BCa interval from bootstrap replicates, as R's ``boot.ci``.

    Parameters
    ----------
    replicates : array (R,) or (R, G)
        Bootstrap replicates of G statistics (non-finite replicates are not allowed).
    estimate : float or array (G,)
        The statistics on the original data (used by BCa only).
    level : float, default 0.95
        Confidence level.
    method : {"percentile", "bca"}
        ``"percentile"`` is ``boot.ci(type = "perc")``; ``"bca"`` is ``boot.ci(type =
        "bca", L = influence)``.
    influence : sequence of G arrays, optional
        Empirical influence values of each statistic: the BCa acceleration is
        ``a = sum(L^3) / (6 sum(L^2)^1.5)``.
    acceleration : float or array (G,), optional
        The BCa acceleration itself, instead of ``influence`` (one of the two is
        required for BCa).

    Returns
    -------
    array (2,) or (2, G)
        Lower and upper bounds. A BCa bound is NaN when every replicate lies on one
        side of the estimate (R stops there) or the acceleration is undefined.

    Notes
    -----
    The order statistics are interpolated on the normal quantile scale exactly as in
    ``boot:::norm.inter`` (Davison & Hinkley 1997, eq. 5.8): with R replicates the
    bound for tail ``alpha`` uses order statistics ``k = floor((R + 1) alpha)`` and
    ``k + 1``. BCa (Efron 1987): ``z0 = qnorm(mean(t* < t))``, adjusted tails
    ``pnorm(z0 + (z0 + z) / (1 - a (z0 + z)))``. Validated against R ``boot.ci`` on
    R's own replicates (``tests/reference/level5.R``) to 1e-12.

    References
    ----------
    Davison, A. C., & Hinkley, D. V. (1997). *Bootstrap Methods and Their Application*.
    Cambridge University Press, ch. 5.

    Examples
    --------
    >>> t = np.arange(1.0, 1000.0)
    >>> bootstrap_interval(t, 500.0).round(9).tolist()
    [25.0, 975.0]
    """
    level = check_ci("bootstrap_interval", level, "level")
    check_choice("bootstrap_interval", method, "method", ("percentile", "bca"))
    t = np.asarray(replicates, dtype=float)
    one = t.ndim == 1
    t = t.reshape(len(t), -1)
    if not np.isfinite(t).all():
        raise ParameterError("bootstrap_interval: parameter 'replicates' must be finite")
    g = t.shape[1]
    tails = np.repeat([[(1 - level) / 2], [(1 + level) / 2]], g, axis=1)
    if method == "bca":
        if acceleration is None and (influence is None or len(influence) != g):
            raise ParameterError(
                "bootstrap_interval: method 'bca' needs the influence values of every "
                "statistic (or the acceleration)"
            )
        t0 = np.broadcast_to(np.asarray(estimate, dtype=float), (g,))
        with np.errstate(invalid="ignore", divide="ignore"):
            z0 = stats.norm.ppf((t < t0).mean(axis=0))
            a = (
                np.broadcast_to(np.asarray(acceleration, dtype=float), (g,))
                if acceleration is not None
                else bca_acceleration(influence)
            )
            z = stats.norm.ppf(tails)
            tails = stats.norm.cdf(z0 + (z0 + z) / (1 - a * (z0 + z)))
        bad = ~(np.isfinite(z0) & np.isfinite(a))
        tails = np.where(bad, 0.5, tails)
    out = _norm_inter(np.sort(t, axis=0), tails)
    if method == "bca":
        out = np.where(bad, np.nan, out)
    return out[:, 0] if one else out


def bca_acceleration(influence: Sequence[np.ndarray]) -> np.ndarray:
    """BCa acceleration of each statistic from its empirical influence values.

    ``a = sum(L^3) / (6 sum(L^2)^1.5)`` (R ``boot:::bca.ci``); NaN when every value is 0.

    Examples
    --------
    >>> bca_acceleration([np.array([-1.0, -1.0, 2.0])]).round(6).tolist()
    [0.068041]
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.array(
            [np.sum(np.asarray(v, dtype=float) ** 3)
             / (6 * np.sum(np.asarray(v, dtype=float) ** 2) ** 1.5) for v in influence]
        )  # fmt: skip


def person_benefits(
    estimates: pd.DataFrame,
    participants: pd.DataFrame,
    *,
    cohort: str = C.COHORT_ID,
    participant: str = C.PARTICIPANT_ID,
    benefit: str = C.BENEFIT,
    attribution: str = C.ATTRIBUTION,
    confidence: str = C.CONFIDENCE,
) -> pd.DataFrame:
    """The resampling units of a Phillips ROI: one row per person or unit-level estimate.

    Parameters
    ----------
    estimates : DataFrame
        The ``benefits`` table (one row per estimate; ``participant_id`` missing for an
        estimate of a whole unit).
    participants : DataFrame
        The ``participants`` table: who was enrolled in which cohort.
    cohort, participant, benefit, attribution, confidence : str
        Column names.

    Returns
    -------
    DataFrame
        Columns ``cohort_id``, ``participant_id`` (missing for a unit-level row),
        ``kind`` (``"person"`` or ``"unit"``), ``responded`` (bool), ``n_estimates``
        (rows), ``benefit_raw`` and ``benefit_adjusted`` (sums over the person's
        rows; 0 for a participant without an estimate). Only the cohorts with at least
        one estimate, sorted by cohort, kind and participant.

    Raises
    ------
    ParameterError
        Missing columns, benefits negative or not finite, shares outside [0, 1].

    Warns
    -----
    EvalkitWarning
        Respondents who are not in ``participants`` (they are kept, as people).

    Examples
    --------
    >>> est = pd.DataFrame({"cohort_id": "A", "participant_id": ["p1", "p1", None],
    ...     "benefit_idr": [2e6, 1e6, 5e6], "attribution": 0.5, "confidence": 1.0})
    >>> enrolled = pd.DataFrame({"cohort_id": "A", "participant_id": ["p1", "p2"]})
    >>> person_benefits(est, enrolled)[["kind", "responded", "benefit_adjusted"]].values.tolist()
    [['person', True, 1500000.0], ['person', False, 0.0], ['unit', True, 2500000.0]]
    """
    func = "person_benefits"
    _table(func, estimates, [cohort, participant, benefit, attribution, confidence], "estimates")
    _table(func, participants, [cohort, participant], "participants")
    values = {}
    for name in (benefit, attribution, confidence):
        try:
            values[name] = pd.to_numeric(estimates[name]).to_numpy(dtype=float)
        except (TypeError, ValueError):
            raise ParameterError(f"{func}: column {name!r} of estimates must be numeric") from None
        if not np.isfinite(values[name]).all():
            raise ParameterError(f"{func}: column {name!r} of estimates must be finite numbers")
    if (values[benefit] < 0).any():
        raise ParameterError(f"{func}: column {benefit!r} of estimates must be >= 0")
    for name in (attribution, confidence):
        if ((values[name] < 0) | (values[name] > 1)).any():
            raise ParameterError(f"{func}: column {name!r} of estimates must be a share in [0, 1]")
    rows = pd.DataFrame(
        {
            cohort: estimates[cohort].to_numpy(),
            participant: estimates[participant].to_numpy(),
            "benefit_raw": values[benefit],
            "benefit_adjusted": values[benefit] * values[attribution] * values[confidence],
        }
    )
    unit = rows[participant].isna()
    people = (
        rows[~unit]
        .groupby([cohort, participant], sort=True)
        .agg(
            n_estimates=("benefit_raw", "size"),
            benefit_raw=("benefit_raw", "sum"),
            benefit_adjusted=("benefit_adjusted", "sum"),
        )
        .reset_index()
    )
    cohorts = pd.unique(rows[cohort])
    enrolled = participants.loc[participants[cohort].isin(cohorts), [cohort, participant]]
    enrolled = enrolled.dropna().drop_duplicates()
    stray = people.merge(enrolled, how="left", indicator=True)["_merge"] == "left_only"
    if stray.any():
        warn(func, f"{int(stray.sum())} respondent(s) not in participants are counted as people")
    people = people.merge(enrolled, how="outer").assign(
        responded=lambda d: d["n_estimates"].notna()
    )
    people = people.fillna({"n_estimates": 0, "benefit_raw": 0.0, "benefit_adjusted": 0.0})
    units = rows[unit].assign(n_estimates=1, responded=True)
    out = pd.concat([people.assign(kind="person"), units.assign(kind="unit")], ignore_index=True)
    out["n_estimates"] = out["n_estimates"].astype(int)
    out = out.sort_values([cohort, "kind", participant], kind="stable", na_position="last")
    cols = [cohort, participant, "kind", "responded", "n_estimates", "benefit_raw",
            "benefit_adjusted"]  # fmt: skip
    return out[cols].reset_index(drop=True)


def _stratum_rng(seed: int, cohort: object, kind: str) -> np.random.Generator:
    """The generator of one stratum: the same draws whichever other strata are present."""
    return np.random.default_rng([seed, zlib.crc32(str(cohort).encode()), _KINDS[kind]])


def roi_bootstrap(
    estimates: pd.DataFrame,
    costs: pd.DataFrame,
    participants: pd.DataFrame,
    cohorts: pd.DataFrame | None = None,
    *,
    by: str | Sequence[str] | None = None,
    n_boot: int = 2000,
    level: float = 0.95,
    method: str = "percentile",
    seed: int = DEFAULT_SEED,
    cohort: str = C.COHORT_ID,
    participant: str = C.PARTICIPANT_ID,
    amount: str = C.AMOUNT,
    benefit: str = C.BENEFIT,
    attribution: str = C.ATTRIBUTION,
    confidence: str = C.CONFIDENCE,
) -> pd.Series | pd.DataFrame:
    """BCR and ROI % with bootstrap confidence intervals, resampling people.

    Parameters
    ----------
    estimates : DataFrame
        The ``benefits`` table (one row per estimate).
    costs : DataFrame
        The ``costs`` table (``cohort_id``, ``amount_idr``).
    participants : DataFrame
        The ``participants`` table: the enrolled, whose missing estimates count as 0.
    cohorts : DataFrame, optional
        The ``cohorts`` table, needed when ``by`` names a cohort attribute (e.g.
        ``"program_id"``).
    by : column name(s) or None
        ``None``: one result for all cohorts with estimates (a cohort's own tables, or
        the portfolio); ``"cohort_id"``: per cohort; a column of ``cohorts``: per
        program (or any other group of cohorts).
    n_boot : int, default 2000
        Bootstrap resamples.
    level : float, default 0.95
        Confidence level.
    method : {"percentile", "bca"}
        Interval of :func:`bootstrap_interval`.
    seed : int
        Seed. Each cohort's people are resampled by a generator seeded with ``seed``
        and the cohort's name, so a cohort's interval is the same alone, in the
        overview and inside its program.
    cohort, participant, amount, benefit, attribution, confidence : str
        Column names.

    Returns
    -------
    Series or DataFrame
        ``n_cohorts``; ``n_participants`` (people resampled: enrolled and respondents),
        ``n_respondents`` (people with at least one estimate), ``n_unit_rows``
        (unit-level estimates) and ``n_estimates`` (rows); ``benefits`` (adjusted, the
        sum of benefit x attribution x confidence), ``costs``, ``bcr`` with
        ``bcr_ci_low``/``bcr_ci_high``, ``roi_pct`` with ``roi_ci_low``/``roi_ci_high``,
        ``net_benefit``, ``bcr_se`` (standard deviation of the replicates),
        ``acceleration`` (the BCa acceleration from the jackknife, a measure of skew),
        ``break_even`` (:func:`break_even`) and ``n_boot``. With ``by``, one row per
        group of cohorts that have both estimates and costs.

    Raises
    ------
    ParameterError
        Missing columns; no cohort with both estimates and costs; costs <= 0;
        benefits or shares out of range (:func:`person_benefits`); ``n_boot`` < 100.

    Warns
    -----
    EvalkitWarning
        Cohorts with estimates but no costs (left out).

    Notes
    -----
    Within each cohort the people (enrolled participants and respondents) are one
    stratum and the unit-level rows another; each stratum is resampled with
    replacement to its own size, so the replicate of a group's benefit is
    :math:`B^* = \\sum_s \\sum_{i=1}^{n_s} x^*_{si}` and :math:`BCR^* = B^*/C`, with
    :math:`C` the group's recorded costs. ``ROI% = 100 (BCR - 1)``, so its interval is
    the BCR's, transformed. BCa takes the jackknife influence values of the
    stratified statistic, :math:`L_{si} = n_s (x_{si} - \\bar x_s) / C` (R
    ``empinf(type = "jack")``). Only the cohorts with at least one estimate count in a
    group: a cohort whose follow-up has not been collected has no benefits yet, not
    zero benefits. Validated against R ``boot`` 1.3 (``tests/reference/level5.R``):
    point estimates and influence values exactly, intervals on a large number of
    resamples within Monte-Carlo error.

    References
    ----------
    Phillips, J. J., & Phillips, P. P. (2016). *Handbook of Training Evaluation and
    Measurement Methods* (4th ed.): guiding principle 6, no data means no improvement.
    Davison, A. C., & Hinkley, D. V. (1997). *Bootstrap Methods and Their
    Application*, ch. 3.2 (stratified resampling) and 5.

    Examples
    --------
    >>> est = pd.DataFrame({"cohort_id": ["A", "A", "B"], "participant_id": ["p1", "p2", "q1"],
    ...     "benefit_idr": [6e6, 2e6, 3e6], "attribution": 1.0, "confidence": 0.5})
    >>> who = pd.DataFrame({"cohort_id": ["A", "A", "B", "B"],
    ...                     "participant_id": ["p1", "p2", "q1", "q2"]})
    >>> cost = pd.DataFrame({"cohort_id": ["A", "B"], "amount_idr": [2e6, 3e6]})
    >>> each = roi_bootstrap(est, cost, who, by="cohort_id")
    >>> each["bcr"].tolist(), each["n_participants"].tolist()
    ([2.0, 0.5], [2, 2])
    >>> whole = roi_bootstrap(est, cost, who)
    >>> float(whole["bcr"]), int(whole["n_cohorts"]), whole["break_even"]
    (1.1, 2, 'indistinguishable')
    """
    func = "roi_bootstrap"
    keys = by_list(by)
    level = check_ci(func, level, "level")
    check_choice(func, method, "method", ("percentile", "bca"))
    if isinstance(n_boot, bool) or not isinstance(n_boot, int | np.integer) or n_boot < 100:
        raise ParameterError(
            f"{func}: parameter 'n_boot' must be an integer >= 100, got {n_boot!r}"
        )
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ParameterError(
            f"{func}: parameter 'seed' must be a non-negative integer, got {seed!r}"
        )
    _table(func, costs, [cohort, amount], "costs")
    attrs = [k for k in keys if k != cohort]
    if attrs:
        if cohorts is None:
            raise ParameterError(f"{func}: by={by!r} needs the cohorts table (parameter 'cohorts')")
        _table(func, cohorts, [cohort, *attrs], "cohorts")
    units = person_benefits(
        estimates, participants, cohort=cohort, participant=participant, benefit=benefit,
        attribution=attribution, confidence=confidence,
    )  # fmt: skip
    try:
        cost = pd.to_numeric(costs[amount]).groupby(costs[cohort]).sum()
    except (TypeError, ValueError):
        raise ParameterError(f"{func}: column {amount!r} of costs must be numeric") from None
    have = pd.Index(pd.unique(units[cohort]))
    missing = have.difference(cost.index)
    if len(missing):
        warn(func, f"{len(missing)} cohort(s) with estimates but no costs have no ROI: "
             f"{', '.join(map(str, missing[:5]))}")  # fmt: skip
    both = have.intersection(cost.index)
    if not len(both):
        raise ParameterError(f"{func}: no cohort has both benefit estimates and costs")
    if (cost.loc[both] <= 0).any() or not np.isfinite(cost.loc[both]).all():
        raise ParameterError(f"{func}: the costs of every cohort must be positive")
    units = units[units[cohort].isin(both)]
    # each stratum (cohort x kind), its group and its resampled sums
    strata = units.groupby([cohort, "kind"], sort=True)
    names = list(strata.groups)
    group_of = _groups([c for c, _ in names], keys, cohorts, cohort)
    labels = pd.Index(pd.unique(pd.Series(group_of, dtype=object)))
    member = np.zeros((len(names), len(labels)))
    member[np.arange(len(names)), labels.get_indexer(group_of)] = 1.0
    sums = np.empty((n_boot, len(names)))
    influence_parts = []
    for j, ((coh, kind), frame) in enumerate(strata):
        x = frame["benefit_adjusted"].to_numpy()
        idx = _stratum_rng(int(seed), coh, kind).integers(0, len(x), size=(n_boot, len(x)))
        sums[:, j] = x[idx].sum(axis=1)
        influence_parts.append(len(x) * (x - x.mean()))
    label_of = dict(zip((c for c, _ in names), group_of, strict=True))
    units = units.assign(_group=labels.get_indexer(units[cohort].map(label_of)))
    costs_of = cost.loc[both].groupby(labels.get_indexer(both.map(label_of))).sum()
    group_cost = costs_of.reindex(range(len(labels))).to_numpy()
    replicates = (sums @ member) / group_cost
    point = units.groupby("_group")["benefit_adjusted"].sum().reindex(range(len(labels)))
    point = point.to_numpy()
    bcr = point / group_cost
    influence = [
        np.concatenate([influence_parts[j] for j in np.flatnonzero(member[:, g])]) / group_cost[g]
        for g in range(len(labels))
    ]
    ci = bootstrap_interval(replicates, bcr, level=level, method=method, influence=influence)
    out = _counts(units, len(labels), cohort, participant).assign(
        benefits=point,
        costs=group_cost,
        bcr=bcr,
        bcr_ci_low=ci[0],
        bcr_ci_high=ci[1],
        roi_pct=(point - group_cost) / group_cost * 100.0,
        roi_ci_low=(ci[0] - 1.0) * 100.0,
        roi_ci_high=(ci[1] - 1.0) * 100.0,
        net_benefit=point - group_cost,
        bcr_se=replicates.std(axis=0, ddof=1),
        acceleration=bca_acceleration(influence),
        break_even=break_even(ci[0], ci[1]),
        n_boot=int(n_boot),
    )
    if keys:
        out.index = (
            pd.MultiIndex.from_tuples(labels, names=keys) if len(keys) > 1
            else pd.Index(labels, name=keys[0])
        )  # fmt: skip
        return out.sort_index()
    return as_result(out, False)


def _groups(
    names: list[object], keys: list[str], cohorts: pd.DataFrame | None, cohort: str
) -> list[object]:
    """The group label of each cohort in ``names`` under ``by``."""
    if not keys:
        return ["all"] * len(names)
    if keys == [cohort]:
        return list(names)
    table = cohorts.drop_duplicates(cohort).set_index(cohort)
    unknown = [c for c in names if c not in table.index]
    if unknown:
        raise ParameterError(f"roi_bootstrap: cohort {unknown[0]!r} is not in cohorts")
    values = [tuple(c if k == cohort else table.at[c, k] for k in keys) for c in names]
    return [v[0] for v in values] if len(keys) == 1 else values


def _counts(units: pd.DataFrame, n_groups: int, cohort: str, participant: str) -> pd.DataFrame:
    """Cohorts, people (each once per group), respondents, unit-level rows and estimate rows."""
    g = units.groupby("_group")
    person = units[units["kind"] == "person"]
    people = person.drop_duplicates(["_group", participant])
    responded = person[person["responded"]].drop_duplicates(["_group", participant])
    counts = {
        "n_cohorts": g[cohort].nunique(),
        "n_participants": people.groupby("_group").size(),
        "n_respondents": responded.groupby("_group").size(),
        "n_unit_rows": units[units["kind"] == "unit"].groupby("_group").size(),
        "n_estimates": g["n_estimates"].sum(),
    }
    return pd.DataFrame(
        {
            k: v.reindex(range(n_groups), fill_value=0).astype(int).to_numpy()
            for k, v in counts.items()
        }
    )
