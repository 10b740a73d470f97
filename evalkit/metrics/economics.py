"""Level 5, return on investment (Phillips): was the training worth the money?

Costs per cohort (fully loaded, including participant time), monetised benefits
discounted for attribution and confidence, the benefit-cost ratio and ROI %, scenarios
that vary one stated assumption at a time around the adjusted estimate
(:func:`roi_scenarios`), and the unit costs an evaluator compares across cohorts: per
participant, per JP and per point of learning gain. The bootstrap intervals of the BCR
and ROI % are in :mod:`evalkit.metrics.roi_uncertainty`, the cost items (cash,
participant time, other) in :mod:`evalkit.metrics.cost_items`.

Examples
--------
>>> from evalkit.metrics.economics import roi
>>> roi(120_000_000, 40_000_000).tolist()
[3.0, 200.0, 80000000.0]
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from evalkit import constants as C
from evalkit.errors import ParameterError
from evalkit.metrics._grouped import as_result, by_list
from evalkit.metrics._validate import require_columns, require_numeric, warn

__all__ = [
    "SCENARIOS",
    "adjusted_benefit",
    "cost_summary",
    "phillips_benefit",
    "roi",
    "roi_scenarios",
    "roi_sensitivity",
]


_SCENARIOS = ("low", "base", "high")  # of roi_sensitivity


#: Checks of the input tables and their money and count columns (booleans refused).
_require_table = partial(require_columns, what="a DataFrame", show_type=False)


_numeric = partial(require_numeric, bools=False, example=None)


def _as_array(func: str, value: Any, name: str) -> tuple[np.ndarray, pd.Index | None]:
    """Float array of a scalar, array-like or Series (with its index, if any)."""
    index = value.index if isinstance(value, pd.Series) else None
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ParameterError(f"{func}: parameter {name!r} must be numeric, got {value!r}") from None
    if isinstance(value, bool) or (
        isinstance(value, pd.Series) and pd.api.types.is_bool_dtype(value)
    ):
        raise ParameterError(f"{func}: parameter {name!r} must be numeric, got booleans")
    return arr, index


def _aligned(func: str, benefits: Any, costs: Any) -> tuple[Any, Any]:
    """Two Series restricted to the labels they share (in the order of ``benefits``).

    A label in only one of them has no ROI: costs without a benefit estimate are not
    a loss of 100 %, and a benefit without costs has no denominator. They are named in
    an :class:`~evalkit.errors.EvalkitWarning`, never dropped silently.
    """
    if not (isinstance(benefits, pd.Series) and isinstance(costs, pd.Series)):
        return benefits, costs
    if benefits.index.equals(costs.index):
        return benefits, costs
    for name, series in (("benefits", benefits), ("costs", costs)):
        if not series.index.is_unique:
            raise ParameterError(
                f"{func}: the index of {name!r} has repeated labels "
                f"({', '.join(map(str, series.index[series.index.duplicated()].unique()[:3]))}); "
                "sum it per group first (e.g. groupby('cohort_id').sum())"
            )
    both = benefits.index.intersection(costs.index, sort=False)
    if not len(both):
        raise ParameterError(
            f"{func}: benefits and costs must share an index: no label is in both "
            f"(benefits: {', '.join(map(str, benefits.index[:3]))}; "
            f"costs: {', '.join(map(str, costs.index[:3]))})"
        )
    for name, series in (("costs but no benefits", costs), ("benefits but no costs", benefits)):
        only = series.index.difference(both, sort=False)
        if len(only):
            shown = ", ".join(map(str, only[:5])) + (
                f" and {len(only) - 5} more" if len(only) > 5 else ""
            )
            warn(func, f"{len(only)} group(s) with {name} have no ROI: {shown}", stacklevel=3)
    return benefits.loc[both], costs.loc[both]


def roi(
    benefits: float | Sequence[float] | pd.Series,
    costs: float | Sequence[float] | pd.Series,
) -> pd.Series | pd.DataFrame:
    """Benefit-cost ratio, ROI % and net benefit.

    Parameters
    ----------
    benefits : float, array-like or Series
        Monetised programme benefits (already adjusted, see :func:`adjusted_benefit`),
        in rupiah.
    costs : float, array-like or Series
        Fully loaded programme costs, in rupiah; must be positive.

    Returns
    -------
    Series or DataFrame
        ``bcr`` (benefits / costs), ``roi_pct`` ((benefits - costs) / costs x 100) and
        ``net_benefit`` (benefits - costs). For scalar inputs a Series; for array
        inputs a DataFrame, one row per element (indexed like a Series input). Two
        Series with different indexes (say, benefits summed per cohort and costs
        summed per cohort) are aligned: one row per label in both, in the order of
        ``benefits``.

    Raises
    ------
    ParameterError
        Non-numeric or non-finite values, costs <= 0, inputs of different lengths,
        two Series without a label in common, or with repeated labels (when their
        indexes differ).

    Warns
    -----
    EvalkitWarning
        Labels in only one of two Series (costs without benefits, benefits without
        costs): they have no ROI and are left out, by name.

    Notes
    -----
    ``BCR = B / C``; ``ROI% = (B - C) / C x 100`` (Phillips 2003). A BCR of 1 (ROI 0 %)
    is break-even. Validated by hand on the Phillips worked example (benefits
    Rp 120 million, costs Rp 40 million: BCR 3, ROI 200 %).

    References
    ----------
    Phillips, J. J. (2003). *Return on Investment in Training and Performance
    Improvement Programs* (2nd ed.). Butterworth-Heinemann.

    Examples
    --------
    >>> roi(50_000_000, 40_000_000)["roi_pct"]
    np.float64(25.0)
    >>> roi([30e6, 80e6], 40e6)["bcr"].tolist()
    [0.75, 2.0]

    Per cohort, from tables with different cohorts (C has costs but no estimate yet):

    >>> import pandas as pd
    >>> b = pd.Series({"A": 6e6, "B": 4e6})
    >>> c = pd.Series({"A": 4e6, "B": 2e6, "C": 9e6})
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     out = roi(b, c)
    >>> out["roi_pct"].to_dict(), str(caught[0].message)
    ({'A': 50.0, 'B': 100.0}, 'roi: 1 group(s) with costs but no benefits have no ROI: C')
    """
    func = "roi"
    benefits, costs = _aligned(func, benefits, costs)
    b, b_index = _as_array(func, benefits, "benefits")
    c, c_index = _as_array(func, costs, "costs")
    if b.ndim > 1 or c.ndim > 1:
        raise ParameterError(f"{func}: benefits and costs must be scalars or one-dimensional")
    if b.ndim == 1 and c.ndim == 1 and len(b) != len(c):
        raise ParameterError(
            f"{func}: benefits and costs must have the same length, got {len(b)} and {len(c)}"
        )
    if not np.isfinite(b).all():
        raise ParameterError(f"{func}: parameter 'benefits' must be finite, got {benefits!r}")
    if not np.isfinite(c).all() or (c <= 0).any():
        bad = c[~np.isfinite(c) | (c <= 0)].ravel()[0]
        raise ParameterError(f"{func}: parameter 'costs' must be positive, got {float(bad)!r}")
    bb, cc = np.broadcast_arrays(b, c)
    out = {
        "bcr": bb / cc,
        "roi_pct": (bb - cc) / cc * 100.0,
        "net_benefit": bb - cc,
    }
    if bb.ndim == 0:
        return pd.Series({k: float(v) for k, v in out.items()})
    return pd.DataFrame(out, index=b_index if b_index is not None else c_index)


def adjusted_benefit(
    benefit: float | Sequence[float] | pd.Series,
    attribution: float | Sequence[float] | pd.Series = 1.0,
    confidence: float | Sequence[float] | pd.Series = 1.0,
) -> float | pd.Series:
    """Phillips-adjusted benefit: ``benefit x attribution x confidence``.

    Parameters
    ----------
    benefit : float, array-like or Series
        Estimated monetary benefit (e.g. annual value of time saved), rupiah.
    attribution : float or array-like, default 1.0
        Share of the improvement attributed to the training (isolation), in [0, 1].
    confidence : float or array-like, default 1.0
        Estimator's confidence in the estimate, in [0, 1] (the error discount).

    Returns
    -------
    float or Series
        The adjusted benefit, with the shape (and index) of the input.

    Raises
    ------
    ParameterError
        Non-numeric or non-finite values, attribution or confidence outside [0, 1],
        Series with different indexes.

    Notes
    -----
    Phillips' conservative rule: each participant's estimate is multiplied by the share
    they attribute to the training and by their confidence in the estimate, so that an
    unsure estimate counts less.

    References
    ----------
    Phillips, J. J., & Phillips, P. P. (2016). *Handbook of Training Evaluation and
    Measurement Methods* (4th ed.), ch. 8-9.

    Examples
    --------
    >>> adjusted_benefit(10_000_000, attribution=0.6, confidence=0.8)
    4800000.0
    """
    func = "adjusted_benefit"
    b, index = _as_array(func, benefit, "benefit")
    a, a_index = _as_array(func, attribution, "attribution")
    c, c_index = _as_array(func, confidence, "confidence")
    for name, other in (("attribution", a_index), ("confidence", c_index)):
        if index is not None and other is not None and not index.equals(other):
            raise ParameterError(f"{func}: benefit and {name} must share an index")
    for name, arr in (("benefit", b), ("attribution", a), ("confidence", c)):
        if not np.isfinite(arr).all():
            raise ParameterError(f"{func}: parameter {name!r} must be finite numbers")
    for name, arr in (("attribution", a), ("confidence", c)):
        if ((arr < 0) | (arr > 1)).any():
            bad = arr[(arr < 0) | (arr > 1)].ravel()[0]
            raise ParameterError(
                f"{func}: parameter {name!r} must be a share in [0, 1], got {float(bad)!r}"
            )
    try:
        out = b * a * c
    except ValueError:
        raise ParameterError(
            f"{func}: benefit, attribution and confidence have incompatible lengths"
        ) from None
    if np.ndim(out) == 0:
        return float(out)
    return pd.Series(out, index=index, name="adjusted_benefit")


def phillips_benefit(
    estimates: pd.DataFrame,
    *,
    benefit: str = "benefit_idr",
    attribution: str = "attribution",
    confidence: str = "confidence",
    by: str | Sequence[str] | None = None,
) -> pd.Series | pd.DataFrame:
    """Total Phillips-adjusted benefit from participants' estimates.

    Parameters
    ----------
    estimates : DataFrame
        One row per participant estimate: monetary benefit, attribution share and
        confidence share (both 0-1).
    benefit, attribution, confidence : str
        Column names.
    by : column name(s) or None
        Groups (e.g. ``"cohort_id"``).

    Returns
    -------
    Series or DataFrame
        ``n`` estimates, ``benefit_raw`` (sum of the estimates), ``benefit_adjusted``
        (sum of benefit x attribution x confidence) and ``discount`` (adjusted / raw).

    Raises
    ------
    ParameterError
        As :func:`adjusted_benefit`; missing columns; no rows.

    Examples
    --------
    >>> import pandas as pd
    >>> est = pd.DataFrame({"benefit_idr": [10e6, 5e6], "attribution": [0.5, 0.8],
    ...                     "confidence": [0.8, 0.5]})
    >>> phillips_benefit(est)["benefit_adjusted"]
    np.float64(6000000.0)
    """
    func = "phillips_benefit"
    keys = by_list(by)
    _require_table(func, estimates, [*keys, benefit, attribution, confidence], "estimates")
    if estimates.empty:
        raise ParameterError(f"{func}: parameter 'estimates' has no rows")
    adj = adjusted_benefit(estimates[benefit], estimates[attribution], estimates[confidence])
    frame = pd.DataFrame(
        {"_raw": estimates[benefit].astype(float), "_adj": adj}, index=estimates.index
    )
    if keys:
        g = frame.groupby([estimates[k] for k in keys], sort=True, dropna=False)
        n, raw, adjusted = g.size(), g["_raw"].sum(), g["_adj"].sum()
    else:
        n = pd.Series([len(frame)])
        raw, adjusted = pd.Series([frame["_raw"].sum()]), pd.Series([frame["_adj"].sum()])
    with np.errstate(invalid="ignore", divide="ignore"):
        out = pd.DataFrame(
            {
                "n": n.to_numpy(),
                "benefit_raw": raw.to_numpy(),
                "benefit_adjusted": adjusted.to_numpy(),
                "discount": adjusted.to_numpy() / raw.to_numpy(),
            },
            index=n.index,
        )
    return as_result(out, bool(keys))


def roi_sensitivity(
    benefits: float | Sequence[float],
    costs: float | Sequence[float],
) -> pd.DataFrame:
    """ROI under a pessimistic, base and optimistic scenario of given amounts.

    The arithmetic only: the three benefit amounts should all be Phillips-adjusted
    (never an unadjusted total as the optimistic case). For the reports' scenarios, one
    stated assumption varied at a time around the adjusted estimate, see
    :func:`roi_scenarios`; for the sampling uncertainty, :func:`evalkit.roi_bootstrap`.

    Parameters
    ----------
    benefits : float or (low, base, high)
        Adjusted benefits: one value (used in every scenario) or three, in increasing
        order (e.g. from low/base/high attribution).
    costs : float or (low, base, high)
        Costs: one value or three in increasing order.

    Returns
    -------
    DataFrame
        Indexed ``low, base, high``; columns ``benefits, costs, bcr, roi_pct,
        net_benefit``. The ``low`` scenario pairs the lowest benefits with the highest
        costs, ``high`` the highest benefits with the lowest costs, so the rows bound
        the ROI.

    Raises
    ------
    ParameterError
        Not one or three values, values not in increasing order, costs <= 0.

    Examples
    --------
    >>> roi_sensitivity((30e6, 60e6, 90e6), (45e6, 50e6, 60e6))["roi_pct"].tolist()
    [-50.0, 20.0, 100.0]
    """
    func = "roi_sensitivity"

    def triple(value: Any, name: str) -> np.ndarray:
        arr, _ = _as_array(func, value, name)
        if arr.ndim == 0:
            arr = np.repeat(arr, 3)
        if arr.shape != (3,):
            raise ParameterError(
                f"{func}: parameter {name!r} must be one value or three (low, base, high), "
                f"got {arr.size}"
            )
        if not (arr[0] <= arr[1] <= arr[2]):
            raise ParameterError(
                f"{func}: parameter {name!r} must be in increasing order (low, base, high), "
                f"got {arr.tolist()}"
            )
        return arr

    b = triple(benefits, "benefits")
    c = triple(costs, "costs")[::-1]
    out = roi(b, c)
    out.index = pd.Index(_SCENARIOS, name="scenario")
    out.insert(0, "costs", c)
    out.insert(0, "benefits", b)
    return out


def check_share(func: str, value: Any, name: str) -> None:
    """ParameterError unless ``value`` is a number in [0, 1]."""
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float, np.number))
        or not 0 <= float(value) <= 1
    ):
        raise ParameterError(f"{func}: parameter {name!r} must be a share in [0, 1], got {value!r}")


#: The scenarios of :func:`roi_scenarios`, in order (``respondents_extrapolated`` needs
#: the participants table).
SCENARIOS = (
    "base",
    "attribution_low",
    "confidence_min",
    "duration_short",
    "duration_long",
    "respondents_extrapolated",
)


def roi_scenarios(
    estimates: pd.DataFrame,
    costs: pd.DataFrame,
    participants: pd.DataFrame | None = None,
    *,
    by: str | Sequence[str] | None = None,
    attribution_factor: float = 0.5,
    min_confidence: float = 0.7,
    durations: tuple[float, float] = (0.5, 2.0),
    amount: str = C.AMOUNT,
    benefit: str = C.BENEFIT,
    attribution: str = C.ATTRIBUTION,
    confidence: str = C.CONFIDENCE,
    cohort: str = C.COHORT_ID,
    participant: str = C.PARTICIPANT_ID,
) -> pd.DataFrame:
    """Phillips ROI under stated assumptions, each varied around the adjusted estimate.

    Every scenario keeps Phillips' adjustments (each estimate x its attribution x its
    confidence) and changes one stated assumption; none uses unadjusted estimates.

    - ``base``: the estimator's own attribution and confidence, benefits for one year,
      non-respondents count 0 (Phillips: no data, no improvement);
    - ``attribution_low``: every attribution x ``attribution_factor`` (estimators
      credit the training with too much);
    - ``confidence_min``: estimates with confidence below ``min_confidence`` count 0
      (unsupported claims left out);
    - ``duration_short`` / ``duration_long``: the benefits last ``durations`` years
      instead of one (no discounting);
    - ``respondents_extrapolated`` (only with ``participants``): each cohort's
      non-respondents are given the respondents' mean adjusted benefit per person,
      which Phillips' rule does not allow; shown to say how much the rule matters.

    Parameters
    ----------
    estimates : DataFrame
        The ``benefits`` table: one row per estimate.
    costs : DataFrame
        The ``costs`` table (``amount_idr`` per cost line).
    participants : DataFrame, optional
        The ``participants`` table, for the ``respondents_extrapolated`` scenario.
    by : column name(s) or None
        Groups present in both tables (e.g. ``"cohort_id"``). ``None`` pools all rows,
        as for one cohort's tables.
    attribution_factor : float, default 0.5
        Factor on every attribution in ``attribution_low``, in [0, 1].
    min_confidence : float, default 0.7
        Lowest confidence kept in ``confidence_min``, in [0, 1].
    durations : (float, float), default (0.5, 2.0)
        Years the benefits last in ``duration_short`` and ``duration_long`` (> 0).
    amount, benefit, attribution, confidence, cohort, participant : str
        Column names.

    Returns
    -------
    DataFrame
        Without ``by``: indexed ``scenario`` (:data:`SCENARIOS`), columns ``benefits,
        costs, bcr, roi_pct, net_benefit``. With ``by``: one row per group that has both
        estimates and costs (a group without estimates has no ROI, rather than
        -100 %), columns ``bcr, roi_pct, net_benefit`` of the base scenario,
        ``roi_low_pct`` and ``roi_high_pct`` (the lowest and highest ROI over the
        scenarios), ``n_estimates`` (rows), ``benefits`` (adjusted), ``costs``,
        ``n_respondents`` (people with an estimate) and ``n_unit_rows`` (estimates
        without a participant).

    Raises
    ------
    ParameterError
        As :func:`phillips_benefit` and :func:`roi`; a negative benefit estimate;
        missing or non-numeric cost columns; factors outside their range.

    Notes
    -----
    With row estimates :math:`b_i`, attributions :math:`a_i`, confidences :math:`c_i`
    and costs :math:`C`: base :math:`B = \\sum b_i a_i c_i`; attribution_low
    :math:`\\sum b_i \\min(1, f a_i) c_i`; confidence_min :math:`\\sum_{c_i \\ge m} b_i
    a_i c_i`; durations :math:`d B`; extrapolated, per cohort, :math:`B_{unit} +
    B_{person} N / n_r` with :math:`N` enrolled and :math:`n_r` responding people. Each
    gives ``ROI% = (B - C) / C x 100``. The interval of the base BCR is
    :func:`evalkit.roi_bootstrap`'s. Validated against R (``tests/reference/level5.R``).

    Examples
    --------
    >>> import pandas as pd
    >>> est = pd.DataFrame({"cohort_id": ["A", "A", "B"], "participant_id": ["p1", "p2", "q1"],
    ...                     "benefit_idr": [10e6, 5e6, 8e6],
    ...                     "attribution": [0.5, 0.8, 1.0], "confidence": [0.8, 0.5, 0.5]})
    >>> cost = pd.DataFrame({"cohort_id": ["A", "B", "C"], "amount_idr": [4e6, 2e6, 9e6]})
    >>> one = roi_scenarios(est[est["cohort_id"] == "A"], cost[cost["cohort_id"] == "A"])
    >>> one["benefits"].to_dict()
    {'base': 6000000.0, 'attribution_low': 3000000.0, 'confidence_min': 4000000.0, 'duration_short': 3000000.0, 'duration_long': 12000000.0}
    >>> each = roi_scenarios(est, cost, by="cohort_id")  # C: costs but no estimates
    >>> each.index.tolist(), each["roi_pct"].tolist(), each["roi_low_pct"].tolist()
    (['A', 'B'], [50.0, 100.0], [-25.0, -100.0])
    """
    func = "roi_scenarios"
    keys = by_list(by)
    check_share(func, attribution_factor, "attribution_factor")
    check_share(func, min_confidence, "min_confidence")
    short, long = _durations(func, durations)
    _require_table(func, costs, [*keys, amount], "costs")
    _numeric(func, costs[amount], amount, of="costs")
    found = phillips_benefit(
        estimates, benefit=benefit, attribution=attribution, confidence=confidence, by=by
    )
    negative = estimates[benefit] < 0
    if negative.any():
        raise ParameterError(
            f"{func}: column {benefit!r} of estimates must be >= 0, got "
            f"{float(estimates.loc[negative, benefit].iloc[0])!r} (benefits are never negative)"
        )
    b, a, c = (estimates[k].astype(float) for k in (benefit, attribution, confidence))
    rows = pd.DataFrame(
        {
            "base": b * a * c,
            "attribution_low": b * (a * attribution_factor).clip(upper=1.0) * c,
            "confidence_min": (b * a * c).where(c >= min_confidence, 0.0),
        },
        index=estimates.index,
    )
    if participants is not None:
        rows["respondents_extrapolated"] = _extrapolated(
            func, estimates, participants, rows["base"], cohort=cohort, participant=participant
        )
    groups = [estimates[k] for k in keys] if keys else np.zeros(len(rows), dtype=int)
    sums = rows.groupby(groups, sort=True, dropna=False).sum()
    sums.insert(3, "duration_short", short * sums["base"])
    sums.insert(4, "duration_long", long * sums["base"])
    if not keys:
        total = costs[amount].sum()
        out = roi(sums.iloc[0].to_numpy(), total)
        out.index = pd.Index(sums.columns, name="scenario")
        out.insert(0, "costs", float(total))
        out.insert(0, "benefits", sums.iloc[0].to_numpy())
        return out
    total = costs.groupby(keys)[amount].sum()
    both = found.index.intersection(total.index)  # no estimates: no ROI (not -100 %)
    cost = total.loc[both]
    each = pd.DataFrame({k: roi(sums.loc[both, k], cost)["roi_pct"] for k in sums.columns})
    counts = _respondent_counts(estimates, keys, participant).reindex(both)
    return roi(sums.loc[both, "base"], cost).assign(
        roi_low_pct=each.min(axis=1),
        roi_high_pct=each.max(axis=1),
        n_estimates=found.loc[both, "n"],
        benefits=sums.loc[both, "base"],
        costs=cost,
        n_respondents=counts["n_respondents"],
        n_unit_rows=counts["n_unit_rows"],
    )


def _durations(func: str, durations: Any) -> tuple[float, float]:
    """The two benefit durations (years), each a positive finite number."""
    try:
        short, long = (float(d) for d in durations)
    except (TypeError, ValueError):
        raise ParameterError(
            f"{func}: parameter 'durations' must be two numbers of years, got {durations!r}"
        ) from None
    if not (np.isfinite([short, long]).all() and short > 0 and long > 0):
        raise ParameterError(f"{func}: parameter 'durations' must be positive, got {durations!r}")
    return short, long


def _respondent_counts(estimates: pd.DataFrame, keys: list[str], participant: str) -> pd.DataFrame:
    """People with an estimate and unit-level rows per group (NaN without the column)."""
    if participant not in estimates:
        index = estimates.groupby(keys).size().index
        return pd.DataFrame({"n_respondents": np.nan, "n_unit_rows": np.nan}, index=index)
    unit = estimates[participant].isna()
    people = estimates.loc[~unit].drop_duplicates([*keys, participant]).groupby(keys).size()
    units = unit.groupby([estimates[k] for k in keys]).sum()
    return pd.DataFrame({"n_respondents": people, "n_unit_rows": units}).fillna(0).astype(int)


def _extrapolated(
    func: str,
    estimates: pd.DataFrame,
    participants: pd.DataFrame,
    adjusted: pd.Series,
    *,
    cohort: str,
    participant: str,
) -> pd.Series:
    """Row values of the extrapolation scenario: a person's row x enrolled / respondents."""
    _require_table(func, estimates, [cohort, participant], "estimates")
    _require_table(func, participants, [cohort, participant], "participants")
    person = estimates[participant].notna()
    responding = estimates[person].drop_duplicates([cohort, participant])
    enrolled = pd.concat(
        [participants[[cohort, participant]].dropna(), responding[[cohort, participant]]]
    ).drop_duplicates()
    factor = estimates[cohort].map(
        enrolled.groupby(cohort).size() / responding.groupby(cohort).size()
    )
    return adjusted.where(~person, adjusted * factor)


def _checked_cost_inputs(
    func: str,
    costs: pd.DataFrame,
    participants: pd.DataFrame,
    cohorts: pd.DataFrame,
    learning: pd.DataFrame | None,
    keys: list[str],
    *,
    cohort: str,
    participant: str,
    amount: str,
    jp: str,
    pre: str,
    post: str,
) -> tuple[pd.Series, pd.Series]:
    """Check the tables of :func:`cost_summary`; return the cost amounts and cohort JP."""
    for name, frame, cols in (
        ("costs", costs, [cohort, amount]),
        ("participants", participants, [cohort, participant]),
        ("cohorts", cohorts, [cohort, jp, *keys]),
        ("learning", learning, [cohort, participant, pre, post]),
    ):
        if frame is not None:
            _require_table(func, frame, list(dict.fromkeys(cols)), name)
    if cohorts[cohort].duplicated().any():
        raise ParameterError(
            f"{func}: cohorts lists cohort {cohorts.loc[cohorts[cohort].duplicated(), cohort].iloc[0]!r} twice"
        )
    amounts = _numeric(func, costs[amount], amount, of="costs")
    if (amounts < 0).any():
        raise ParameterError(
            f"{func}: column {amount!r} of costs must be >= 0, got {float(amounts[amounts < 0].iloc[0])!r}"
        )
    jps = _numeric(func, cohorts[jp], jp, of="cohorts")
    known = set(cohorts[cohort])
    for name, frame in (("costs", costs), ("participants", participants)):
        unknown = ~frame[cohort].isin(known)
        if unknown.any():
            raise ParameterError(
                f"{func}: cohort {frame.loc[unknown, cohort].iloc[0]!r} of {name} is not in cohorts"
            )
    return amounts, jps


def cost_summary(
    costs: pd.DataFrame,
    participants: pd.DataFrame,
    cohorts: pd.DataFrame,
    learning: pd.DataFrame | None = None,
    *,
    by: str | Sequence[str] | None = C.COHORT_ID,
    cohort: str = C.COHORT_ID,
    participant: str = C.PARTICIPANT_ID,
    amount: str = C.AMOUNT,
    jp: str = C.JP,
    pre: str = C.PRE,
    post: str = C.POST,
) -> pd.Series | pd.DataFrame:
    """Unit costs: per participant, per JP and per point of learning gain.

    Parameters
    ----------
    costs : DataFrame
        The ``costs`` table (``cohort_id, category, amount_idr``).
    participants : DataFrame
        The ``participants`` table (one row per participant per cohort).
    cohorts : DataFrame
        The ``cohorts`` table (``cohort_id, jp`` and any attribute to group by).
    learning : DataFrame, optional
        The ``learning`` table (``pre``, ``post``); without it the gain columns are NaN.
    by : column name(s) of ``cohorts`` or None, default ``"cohort_id"``
        Groups of cohorts (e.g. ``"delivery"``, ``"program_id"``); ``None`` pools all.
    cohort, participant, amount, jp, pre, post : str
        Column names.

    Returns
    -------
    Series or DataFrame
        ``total_cost``, ``n_cohorts``, ``n_participants``, ``jp`` (sum of cohort JP),
        ``cost_per_participant``, ``cost_per_jp`` (total / JP delivered),
        ``cost_per_participant_jp`` (total / (participants x JP)), ``n_gain``,
        ``mean_gain`` (mean of post - pre over participants with both), and
        ``cost_per_gain_point`` (cost per participant / mean gain, both over the cohorts
        whose gain is known). With ``by=``, a DataFrame indexed by group (a missing group
        value is a group of its own). A ratio whose denominator is 0 (no participants,
        no JP) is NaN, never infinite.

    Raises
    ------
    ParameterError
        Missing or non-numeric columns, negative amounts, costs or participants of a
        cohort absent from ``cohorts``, duplicate cohorts.

    Warns
    -----
    EvalkitWarning
        A mean gain <= 0 (cost per gain point is NaN: no gain to buy); cohorts without
        cost rows (counted as 0).

    Notes
    -----
    Ratios of totals, so a pooled group weighs cohorts by size:
    ``cost_per_participant = sum(cost) / sum(n)``; ``cost_per_jp = sum(cost) /
    sum(jp)``; ``cost_per_participant_jp = sum(cost) / sum(n_c x jp_c)``;
    ``cost_per_gain_point = cost_per_participant / mean(post - pre)``, where a group that
    mixes cohorts with and without learning data takes the cost per participant of the
    cohorts with it (the cost of an unmeasured cohort buys no measured gain). Validated against
    R ``aggregate`` (``tests/reference/level345.R``) to 1e-12.

    References
    ----------
    Phillips, J. J. (2003). *Return on Investment in Training and Performance
    Improvement Programs* (2nd ed.), ch. 6 (fully loaded costs).

    Examples
    --------
    >>> import pandas as pd
    >>> costs = pd.DataFrame({"cohort_id": ["A", "A"], "category": ["venue", "facilitator"],
    ...                       "amount_idr": [6e6, 4e6]})
    >>> parts = pd.DataFrame({"cohort_id": "A", "participant_id": ["p1", "p2"]})
    >>> cohs = pd.DataFrame({"cohort_id": ["A"], "jp": [20]})
    >>> lrn = pd.DataFrame({"cohort_id": "A", "participant_id": ["p1", "p2"],
    ...                     "pre": [50, 60], "post": [70, 70]})
    >>> cost_summary(costs, parts, cohs, lrn).loc["A", ["cost_per_participant",
    ...                                                "cost_per_jp", "cost_per_gain_point"]].tolist()
    [5000000.0, 500000.0, 333333.3333333333]
    """
    func = "cost_summary"
    keys = by_list(by)
    amounts, jps = _checked_cost_inputs(
        func, costs, participants, cohorts, learning, keys,
        cohort=cohort, participant=participant, amount=amount, jp=jp, pre=pre, post=post,
    )  # fmt: skip
    per = pd.DataFrame({cohort: cohorts[cohort].to_numpy(), "_jp": jps.to_numpy()})
    for k in keys:
        if k != cohort:
            per[k] = cohorts[k].to_numpy()
    per["_cost"] = per[cohort].map(amounts.groupby(costs[cohort]).sum())
    no_cost = per["_cost"].isna()
    if no_cost.any():
        warn(
            func,
            f"{int(no_cost.sum())} cohort(s) without cost rows counted at 0 "
            f"({per.loc[no_cost, cohort].tolist()[:5]})",
        )
        per["_cost"] = per["_cost"].fillna(0.0)
    enrolled = participants.drop_duplicates([cohort, participant])
    per["_n"] = per[cohort].map(enrolled.groupby(cohort).size()).fillna(0).astype(int)
    per["_njp"] = per["_n"] * per["_jp"]
    if learning is not None:
        gain = _numeric(func, learning[post], post, of="learning") - _numeric(
            func, learning[pre], pre, of="learning"
        )
        gsum = gain.groupby(learning[cohort]).sum(min_count=1)
        gcount = gain.groupby(learning[cohort]).count()
        per["_gsum"] = per[cohort].map(gsum).fillna(0.0)
        per["_gn"] = per[cohort].map(gcount).fillna(0).astype(int)
    else:
        per["_gsum"], per["_gn"] = np.nan, 0
    measured = per["_gn"] > 0  # cost per gain point: only the cohorts whose gain is known
    per["_gcost"] = per["_cost"].where(measured, 0.0)
    per["_gpart"] = per["_n"].where(measured, 0)
    cols = ["_cost", "_n", "_jp", "_njp", "_gsum", "_gn", "_gcost", "_gpart"]
    if keys:
        g = per.groupby(keys, sort=True, dropna=False)
        tot = g[cols].sum(min_count=1)
        tot["_cohorts"] = g.size()
    else:
        tot = per[cols].sum(min_count=1).to_frame().T
        tot["_cohorts"] = len(per)
    with np.errstate(invalid="ignore", divide="ignore"):
        cpp = (tot["_cost"] / tot["_n"]).where(tot["_n"] > 0)
        cpp_measured = (tot["_gcost"] / tot["_gpart"]).where(tot["_gpart"] > 0)
        mean_gain = (tot["_gsum"] / tot["_gn"]).where(tot["_gn"] > 0)
        bad_gain = mean_gain <= 0
        if bad_gain.any():
            warn(
                func,
                f"{int(bad_gain.sum())} group(s) with mean gain <= 0; cost per gain point is NaN",
            )
        out = pd.DataFrame(
            {
                "total_cost": tot["_cost"].astype(float),
                "n_cohorts": tot["_cohorts"].astype(int),
                "n_participants": tot["_n"].astype(int),
                "jp": tot["_jp"].astype(float),
                "cost_per_participant": cpp.astype(float),
                "cost_per_jp": (tot["_cost"] / tot["_jp"]).where(tot["_jp"] > 0).astype(float),
                "cost_per_participant_jp": (tot["_cost"] / tot["_njp"])
                .where(tot["_njp"] > 0)
                .astype(float),
                "n_gain": tot["_gn"].astype(int),
                "mean_gain": mean_gain.astype(float),
                "cost_per_gain_point": (cpp_measured / mean_gain.where(mean_gain > 0)).astype(
                    float
                ),
            }
        )
    return as_result(out, bool(keys))
