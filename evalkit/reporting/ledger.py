"""The results ledger: one row per estimate a report shows.

Every estimate a study's reports show (a mean, a change, an effect size, a rate ratio, a
BCR, a reliability coefficient, ...) is also kept as one row of
``reports/<study>/results.csv`` and of the ``results`` sheet of ``tables.xlsx``, so that
an evaluator who pools cohorts, cites a number or checks a report against their own
analysis finds it, with its interval, its n, its unit of analysis and the method behind
it. A notebook builds the rows with :func:`estimates` and records them with
:func:`evalkit.reporting.record.record_estimates`; the runner adds the report's name.

Columns (:data:`LEDGER_COLUMNS`): ``report`` (filled by the runner), ``level``
(Kirkpatrick level 1-4, 5 for ROI, 0 for study design such as power), ``outcome``,
``estimand`` (one of :data:`ESTIMANDS`), ``group`` (the cohort, unit, subgroup, item or
scenario the row is about; empty for the whole report), ``estimate``, ``ci_low``,
``ci_high``, ``p_value``, ``p_adjusted``, ``n``, ``n_clusters``, ``method`` (the model
and the inference), ``primary`` (True for a report's declared primary outcomes).

Examples
--------
>>> import pandas as pd
>>> change = pd.Series({"n": 30, "mean_diff": 12.5, "ci_low": 9.0, "ci_high": 16.0, "p": 1e-6})
>>> row = estimates(change, level=2, outcome="test score", estimand="mean_change",
...                 method="paired t", estimate="mean_diff", p="p", n="n")
>>> row.loc[0, ["estimand", "estimate", "ci_low", "n"]].astype(str).tolist()
['mean_change', '12.5', '9.0', '30.0']
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import numpy as np
import pandas as pd

from evalkit.constants import MIN_CELL_SIZE
from evalkit.errors import ParameterError

__all__ = ["ESTIMANDS", "LEDGER_COLUMNS", "estimates", "ledger_frame"]

#: The ledger's columns, in order.
LEDGER_COLUMNS = (
    "report",
    "level",
    "outcome",
    "estimand",
    "group",
    "estimate",
    "ci_low",
    "ci_high",
    "p_value",
    "p_adjusted",
    "n",
    "n_clusters",
    "method",
    "primary",
)

#: The documented vocabulary of ``estimand``: name -> what the estimate is.
ESTIMANDS: dict[str, str] = {
    "mean": "mean of a score, on its own scale",
    "mean_change": "mean within-person change (post - pre), in score points",
    "d_z": "standardised mean change: mean change / SD of the changes",
    "hedges_g": "standardised mean difference with Hedges' small-sample correction",
    "normalized_gain": "Hake's normalised gain: (post - pre) / (max - pre)",
    "alpha": "Cronbach's alpha",
    "omega": "McDonald's omega total, from a one-factor model",
    "kr20": "Kuder-Richardson 20 (alpha of a test of right/wrong items)",
    "pomp": "percent of maximum possible: (mean - min) / (max - min) x 100",
    "index": "an index on 0-100 other than POMP; its method says how it is built",
    "proportion": "a share of people (0-1), e.g. a pass or top-box rate",
    "subgroup_difference": "difference of an estimate between two subgroups",
    "interaction": "test or coefficient of a group x subgroup interaction",
    "slope": "regression slope of one outcome on another",
    "change": "change of an outcome between two follow-up waves",
    "did": "difference-in-differences effect, in outcome units",
    "rate_ratio": "ratio of event rates (trained vs comparison, after vs before)",
    "rate_change_pct": "percent change of an event rate: (rate ratio - 1) x 100",
    "bcr": "benefit-cost ratio (Phillips): benefits / fully loaded costs",
    "roi_pct": "return on investment: (benefits - costs) / costs x 100",
    "benefit": "monetary benefit (rupiah)",
    "cost": "monetary cost (rupiah)",
    "item_difficulty": "share of correct answers to a test item",
    "item_discrimination": "discrimination of an item (upper-lower D or item-rest r)",
    "icc": "intraclass correlation",
    "mde": "minimum detectable effect at 80% power, alpha .05",
    "difference": "difference of two means (groups, raters or conditions)",
    "eta_sq": "share of variance explained (eta squared)",
    "correlation": "Pearson or point-biserial correlation",
    "transition": "share of units moving between grades (e.g. IKM C -> B)",
    "attrition": "share of people lost between two waves",
    "pre_trend": "joint test of pre-period event-study coefficients",
    "mean_reversion": "sign of regression to the mean: the mean event-study coefficient "
    "before the reference period, recorded when all lie on the post-training side",
    "effect_per_cost": "effect per participant per IDR 1 million of cost per participant",
}

_NUMERIC = ("estimate", "ci_low", "ci_high", "p_value", "p_adjusted", "n", "n_clusters")


def _column(frame: pd.DataFrame, spec: Any, name: str, numeric: bool) -> pd.Series:
    """One ledger column from ``spec``: a column of ``frame``, a constant, or missing."""
    if isinstance(spec, Hashable) and not isinstance(spec, (bool, int, float)) and spec is not None:
        if spec in frame.columns:
            values = frame[spec]
            return pd.to_numeric(values, errors="coerce") if numeric else values
        if numeric:
            raise ParameterError(
                f"estimates: parameter {name!r} names column {spec!r}, which the frame "
                f"does not have (columns: {', '.join(map(str, frame.columns))})"
            )
    if spec is None:
        return pd.Series(np.nan if numeric else "", index=frame.index)
    return pd.Series([spec] * len(frame), index=frame.index)


def _groups(frame: pd.DataFrame, group: Any) -> pd.Series:
    """The ``group`` column: a column, a constant, or the frame's index labels."""
    if group is not None:
        return _column(frame, group, "group", numeric=False).astype(str)
    index = frame.index
    if isinstance(index, pd.RangeIndex) and index.name is None:
        return pd.Series("", index=index)
    labels = [" / ".join(map(str, key)) if isinstance(key, tuple) else str(key) for key in index]
    return pd.Series(labels, index=index)


def estimates(
    frame: pd.DataFrame | pd.Series,
    *,
    level: int,
    outcome: str,
    estimand: str,
    method: str,
    estimate: Any = "estimate",
    ci: tuple[Any, Any] | None = ("ci_low", "ci_high"),
    p: Any = None,
    p_adjusted: Any = None,
    n: Any = "n",
    n_clusters: Any = None,
    group: Any = None,
    primary: bool = False,
    min_n: int | None = MIN_CELL_SIZE,
) -> pd.DataFrame:
    """Ledger rows (:data:`LEDGER_COLUMNS`) for the estimates in a result table.

    Parameters
    ----------
    frame : DataFrame or Series
        A tidy result of an evalkit metric: one row per estimate (a Series is one row).
    level : int
        Kirkpatrick level 1-4, 5 for ROI, 0 for study design (power).
    outcome : str
        What was measured, in plain words (``"test score"``, ``"complaints"``).
    estimand : str
        One of :data:`ESTIMANDS`.
    method : str
        The model and the inference, e.g. ``"paired t, person level"`` or
        ``"Poisson TWFE, cluster-robust SE by unit; randomisation inference"``.
    estimate, p, p_adjusted, n, n_clusters : column name, constant or None
        Each is a column of ``frame``, or a constant for every row, or None (missing).
    ci : (low, high) or None
        The CI bounds' columns (or constants); None when the estimate has no interval.
    group : column name, constant or None
        What each row is about; None takes ``frame``'s index labels (joined with
        " / "), or "" for a plain range index.
    primary : bool
        True for the report's declared primary outcomes.
    min_n : int or None
        Disclosure control: a row whose ``n`` (people) is below ``min_n`` keeps its
        ``n`` but not its estimate, interval or p-values, and its ``method`` says so.
        None when ``n`` counts something other than people (units, cohorts, items).

    Returns
    -------
    DataFrame
        One row per row of ``frame``, with :data:`LEDGER_COLUMNS` (``report`` empty)
        and a range index.

    Examples
    --------
    >>> import pandas as pd
    >>> by_cohort = pd.DataFrame({"n": [20, 25], "bcr": [1.4, 0.8], "lo": [0.9, 0.6],
    ...                           "hi": [2.0, 1.1]}, index=pd.Index(["C1", "C2"], name="cohort"))
    >>> rows = estimates(by_cohort, level=5, outcome="benefits", estimand="bcr",
    ...                  method="Phillips", estimate="bcr", ci=("lo", "hi"))
    >>> rows[["group", "estimate", "ci_high"]].values.tolist()
    [['C1', 1.4, 2.0], ['C2', 0.8, 1.1]]
    >>> estimates(by_cohort, level=5, outcome="x", estimand="roi", method="m", estimate="bcr")
    Traceback (most recent call last):
    ...
    evalkit.errors.ParameterError: estimates: parameter 'estimand' must be one of the ledger's estimands (evalkit.reporting.ledger.ESTIMANDS), got 'roi'
    """
    if estimand not in ESTIMANDS:
        raise ParameterError(
            "estimates: parameter 'estimand' must be one of the ledger's estimands "
            f"(evalkit.reporting.ledger.ESTIMANDS), got {estimand!r}"
        )
    if not isinstance(level, (int, np.integer)) or not 0 <= int(level) <= 5:
        raise ParameterError(f"estimates: parameter 'level' must be 0-5, got {level!r}")
    if isinstance(frame, pd.Series):
        frame = frame.to_frame().T
    if not isinstance(frame, pd.DataFrame):
        raise ParameterError(
            f"estimates: parameter 'frame' must be a DataFrame or Series, got {type(frame).__name__}"
        )
    low, high = ci if ci is not None else (None, None)
    specs = dict(
        estimate=estimate, ci_low=low, ci_high=high, p_value=p, p_adjusted=p_adjusted,
        n=n, n_clusters=n_clusters,
    )  # fmt: skip
    out = {name: _column(frame, spec, name, numeric=True) for name, spec in specs.items()}
    rows = pd.DataFrame(
        {
            "report": "",
            "level": int(level),
            "outcome": str(outcome),
            "estimand": estimand,
            "group": _groups(frame, group),
            **out,
            "method": str(method),
            "primary": bool(primary),
        },
        index=frame.index,
    )
    small = rows["n"] < min_n if min_n is not None else None
    if small is not None and small.any():  # (.loc assignment is slow; most rows pass)
        numbers = ["estimate", "ci_low", "ci_high", "p_value", "p_adjusted"]
        rows.loc[small, numbers] = np.nan
        rows.loc[small, "method"] = rows.loc[small, "method"] + f"; suppressed: n < {min_n}"
    return rows.loc[:, list(LEDGER_COLUMNS)].reset_index(drop=True)


def ledger_frame(rows: list[dict[str, Any]] | pd.DataFrame, report: str = "") -> pd.DataFrame:
    """Recorded ledger rows as a typed frame with :data:`LEDGER_COLUMNS`.

    Parameters
    ----------
    rows : list of dict or DataFrame
        Rows as recorded (missing columns become missing values).
    report : str
        Fills an empty ``report`` column.

    Examples
    --------
    >>> frame = ledger_frame([{"level": 2, "estimand": "mean", "estimate": 3.5}], report="cohort-C1")
    >>> frame.loc[0, ["report", "level", "estimand", "estimate", "primary"]].astype(str).tolist()
    ['cohort-C1', '2', 'mean', '3.5', 'False']
    >>> frame["ci_low"].isna().all()
    np.True_
    """
    frame = pd.DataFrame(rows).reindex(columns=list(LEDGER_COLUMNS))
    for name in _NUMERIC:
        frame[name] = pd.to_numeric(frame[name], errors="coerce").astype(float)
    for name in ("report", "outcome", "estimand", "group", "method"):
        frame[name] = frame[name].astype(object).where(frame[name].notna(), "").astype(str)
    if report:
        frame["report"] = frame["report"].mask(frame["report"] == "", report)
    frame["level"] = pd.to_numeric(frame["level"], errors="coerce").astype("Int64")
    frame["primary"] = frame["primary"].astype(object).where(frame["primary"].notna(), False)
    frame["primary"] = frame["primary"].astype(bool)
    return frame
