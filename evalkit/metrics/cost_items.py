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

__all__ = ["COST_KINDS", "KINDS", "cost_items"]

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
    out = (
        frame.pivot_table(index=groups, columns="_kind", values="_amount", aggfunc="sum")
        if len(frame)
        else pd.DataFrame(index=pd.Index([0]))
    )
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
