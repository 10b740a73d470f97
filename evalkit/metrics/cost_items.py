"""Level 5 cost items: the fully loaded cost of a cohort split into cash, time and other.

Phillips' fully loaded costs hold what was paid (facilitators, meals, lodging, venue,
materials) and what the training cost without a payment, above all the participants'
working time. :func:`cost_items` sums a ``costs`` table by kind, so a report can show
how much of a cohort's cost is cash and how much is participant time.

Examples
--------
>>> import pandas as pd
>>> costs = pd.DataFrame({"cohort_id": ["A", "A", "A"],
...     "category": ["konsumsi", "waktu_peserta", "evaluasi"], "amount_idr": [6e6, 4e6, 1e6]})
>>> cost_items(costs).loc["A"].tolist()
[6000000.0, 4000000.0, 1000000.0, 11000000.0, 0.36363636363636365]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from evalkit import constants as C
from evalkit.errors import ParameterError
from evalkit.metrics._grouped import as_result, by_list
from evalkit.metrics._validate import require_columns

__all__ = ["COST_KINDS", "KINDS", "cost_effectiveness", "cost_items"]

#: The kinds of cost, in the order of :func:`cost_items`' columns.
KINDS = ("cash", "participant_time", "other")

#: Default kind of the cost categories of the demo's codebook (``cost_category``).
#: A category not listed here is ``"other"``: pass ``kinds=`` to classify a study's own.
COST_KINDS: dict[str, str] = {
    "honor_narasumber": "cash",
    "konsumsi": "cash",
    "akomodasi": "cash",
    "atk_bahan": "cash",
    "sewa_tempat": "cash",
    "transport": "cash",
    "waktu_peserta": "participant_time",
}


def cost_items(
    costs: pd.DataFrame,
    cohorts: pd.DataFrame | None = None,
    *,
    by: str | Sequence[str] | None = C.COHORT_ID,
    kinds: Mapping[str, str] | None = None,
    cohort: str = C.COHORT_ID,
    category: str = C.CATEGORY,
    amount: str = C.AMOUNT,
) -> pd.Series | pd.DataFrame:
    """Costs by kind: cash, participant time and other, per cohort or group of cohorts.

    Parameters
    ----------
    costs : DataFrame
        The ``costs`` table (``cohort_id, category, amount_idr``).
    cohorts : DataFrame, optional
        The ``cohorts`` table, needed when ``by`` names a cohort attribute (e.g.
        ``"program_id"``).
    by : column name(s) or None, default ``"cohort_id"``
        Groups; ``None`` pools every row.
    kinds : mapping, optional
        Category -> kind (one of :data:`KINDS`); default :data:`COST_KINDS`. A
        category it does not name is ``"other"``.
    cohort, category, amount : str
        Column names.

    Returns
    -------
    Series or DataFrame
        ``cash``, ``participant_time``, ``other`` (rupiah), ``total_cost`` and
        ``share_participant_time`` (participant time / total; NaN for a total of 0).

    Raises
    ------
    ParameterError
        Missing columns, non-numeric or negative amounts, a kind not in :data:`KINDS`,
        a cohort of ``costs`` absent from ``cohorts``.

    Notes
    -----
    Validated against R ``tapply(amount_idr, list(cohort_id, kind), sum)``
    (``tests/reference/level5.R``).

    References
    ----------
    Phillips, J. J. (2003). *Return on Investment in Training and Performance
    Improvement Programs* (2nd ed.), ch. 6 (fully loaded costs).

    Examples
    --------
    >>> costs = pd.DataFrame({"cohort_id": ["A", "B"], "category": ["x", "y"],
    ...                       "amount_idr": [2e6, 3e6]})
    >>> cost_items(costs, by=None, kinds={"x": "cash", "y": "participant_time"}).tolist()
    [2000000.0, 3000000.0, 0.0, 5000000.0, 0.6]
    """
    func = "cost_items"
    keys = by_list(by)
    mapping = dict(COST_KINDS if kinds is None else kinds)
    bad = sorted(set(mapping.values()) - set(KINDS))
    if bad:
        raise ParameterError(f"{func}: parameter 'kinds' maps to {bad[0]!r}; kinds are {KINDS}")
    require_columns(func, costs, [cohort, category, amount], "costs")
    try:
        money = pd.to_numeric(costs[amount]).astype(float)
    except (TypeError, ValueError):
        raise ParameterError(f"{func}: column {amount!r} of costs must be numeric") from None
    if (money < 0).any() or not np.isfinite(money).all():
        raise ParameterError(f"{func}: column {amount!r} of costs must be finite and >= 0")
    frame = pd.DataFrame({cohort: costs[cohort].to_numpy(), "_amount": money.to_numpy()})
    frame["_kind"] = costs[category].map(mapping).fillna("other").to_numpy()
    attrs = [k for k in keys if k != cohort]
    if attrs:
        if cohorts is None:
            raise ParameterError(f"{func}: by={by!r} needs the cohorts table (parameter 'cohorts')")
        require_columns(func, cohorts, [cohort, *attrs], "cohorts")
        table = cohorts.drop_duplicates(cohort).set_index(cohort)
        unknown = ~frame[cohort].isin(table.index)
        if unknown.any():
            raise ParameterError(
                f"{func}: cohort {frame.loc[unknown, cohort].iloc[0]!r} of costs is not in cohorts"
            )
        for k in attrs:
            frame[k] = frame[cohort].map(table[k]).to_numpy()
    groups = [frame[k] for k in keys] if keys else np.zeros(len(frame), dtype=int)
    if len(frame):
        out = frame.pivot_table(index=groups, columns="_kind", values="_amount", aggfunc="sum")
    elif keys:  # no cost lines: no group (not one group labelled 0)
        index = pd.MultiIndex.from_arrays([[]] * len(keys))  # named below
        out = pd.DataFrame(index=index if len(keys) > 1 else index.get_level_values(0))
    else:  # pooled: nothing paid, every kind 0
        out = pd.DataFrame(index=pd.Index([0]))
    out = out.reindex(columns=list(KINDS)).fillna(0.0).astype(float)
    out.columns.name = None
    out["total_cost"] = out[list(KINDS)].sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["share_participant_time"] = (out["participant_time"] / out["total_cost"]).where(
            out["total_cost"] > 0
        )
    if keys:
        out.index.names = keys
    return as_result(out, bool(keys))


def cost_effectiveness(
    costs: pd.DataFrame,
    participants: pd.DataFrame,
    cohorts: pd.DataFrame,
    learning: pd.DataFrame,
    *,
    instrument: str = C.PROGRAM_ID,
    cohort: str = C.COHORT_ID,
    participant: str = C.PARTICIPANT_ID,
    amount: str = C.AMOUNT,
    jp: str = C.JP,
    pre: str = C.PRE,
    post: str = C.POST,
    max_score: str = "max_score",
) -> pd.DataFrame:
    """Cost per point of gain within one instrument, and cost per standardised gain.

    A point of gain on one test is not a point on another, so cost per gain point is
    only compared between cohorts that took the same test with the same maximum score
    (``instrument`` and ``max_score``); across tests the comparison is on a standardised
    gain: the mean gain in standard deviations of the cohort's pre-test scores.

    Parameters
    ----------
    costs, participants, cohorts, learning : DataFrame
        The processed tables (as :func:`evalkit.cost_summary`).
    instrument : str, default ``"program_id"``
        Column of ``cohorts`` naming the test a cohort took (cohorts of one program
        take the same test).
    cohort, participant, amount, jp, pre, post, max_score : str
        Column names (``max_score`` of ``learning`` is optional).

    Returns
    -------
    DataFrame
        One row per cohort with learning data, sorted by instrument, maximum score and
        cost per gain point: ``instrument``, ``max_score``, ``n_participants``,
        ``cost_per_participant``, ``n_gain``, ``mean_gain``, ``cost_per_gain_point``,
        ``rank_in_instrument`` (1 = cheapest per point among the cohorts of the same
        test and maximum), ``n_in_instrument``, ``sd_pre`` (SD of the pre-test scores of
        the participants with both scores), ``standardized_gain`` (mean gain / sd_pre)
        and ``cost_per_sd_gain`` (cost per participant / standardised gain; NaN when the
        gain is <= 0).

    Raises
    ------
    ParameterError
        As :func:`evalkit.cost_summary`; ``instrument`` missing from ``cohorts``.

    Notes
    -----
    Validated against R (``tests/reference/level5.R``: ``sd(pre)`` and the means by
    ``aggregate`` on the level345 tables).

    Examples
    --------
    >>> costs = pd.DataFrame({"cohort_id": ["A", "B"], "category": "x", "amount_idr": [4e6, 6e6]})
    >>> parts = pd.DataFrame({"cohort_id": ["A", "A", "B", "B"],
    ...                       "participant_id": ["p1", "p2", "q1", "q2"]})
    >>> cohs = pd.DataFrame({"cohort_id": ["A", "B"], "program_id": ["P", "Q"], "jp": 10})
    >>> lrn = parts.assign(pre=[40.0, 60.0, 4.0, 6.0], post=[60.0, 70.0, 7.0, 8.0])
    >>> out = cost_effectiveness(costs, parts, cohs, lrn)
    >>> out[["instrument", "cost_per_gain_point", "cost_per_sd_gain"]].values.tolist()
    [['P', 133333.33333333334, 1885618.0831641268], ['Q', 1200000.0, 1697056.2748477142]]
    """
    from evalkit.metrics.economics import cost_summary

    func = "cost_effectiveness"
    require_columns(func, cohorts, [cohort, instrument], "cohorts")
    summary = cost_summary(
        costs, participants, cohorts, learning, by=cohort, cohort=cohort,
        participant=participant, amount=amount, jp=jp, pre=pre, post=post,
    )  # fmt: skip
    both = learning[learning[pre].notna() & learning[post].notna()]
    sd_pre = pd.to_numeric(both[pre]).groupby(both[cohort]).std(ddof=1)
    top = (
        both[max_score]
        .groupby(both[cohort])
        .agg(lambda s: s.iloc[0] if s.nunique() == 1 else np.nan)
        if max_score in both
        else pd.Series(np.nan, index=sd_pre.index)
    )
    out = summary[summary["n_gain"] > 0][
        ["n_participants", "cost_per_participant", "n_gain", "mean_gain", "cost_per_gain_point"]
    ].copy()
    out.insert(0, "max_score", top.reindex(out.index).astype(float))
    out.insert(
        0,
        "instrument",
        out.index.map(cohorts.drop_duplicates(cohort).set_index(cohort)[instrument]),
    )
    same = [out["instrument"], out["max_score"].fillna(-1.0)]
    out["rank_in_instrument"] = out.groupby(same)["cost_per_gain_point"].rank(method="min")
    out["n_in_instrument"] = out.groupby(same)["cost_per_gain_point"].transform("size")
    out["sd_pre"] = sd_pre.reindex(out.index).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["standardized_gain"] = out["mean_gain"] / out["sd_pre"].where(out["sd_pre"] > 0)
        out["cost_per_sd_gain"] = out["cost_per_participant"] / out["standardized_gain"].where(
            out["standardized_gain"] > 0
        )
    order = out.assign(_m=out["max_score"].fillna(-1.0)).sort_values(
        ["instrument", "_m", "cost_per_gain_point"], kind="stable"
    )
    return order.drop(columns="_m")
