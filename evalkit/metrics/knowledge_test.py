"""Level 2, knowledge tests item by item: difficulty, discrimination and KR-20.

A knowledge test scored right/wrong per item (the processed table ``test_items``)
tells which items were too easy, too hard or did not separate strong from weak
participants, and how reliable the whole test is (KR-20, Cronbach's alpha of 0/1
items). The score-level Level 2 statistics are in :mod:`evalkit.metrics.learning`.

Examples
--------
>>> import pandas as pd
>>> from evalkit.metrics.knowledge_test import test_item_analysis
>>> callable(test_item_analysis)
True
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from evalkit import constants as C
from evalkit.errors import ParameterError
from evalkit.metrics._grouped import band, complete_sorted, group_codes, group_sum
from evalkit.metrics._validate import (
    numeric_matrix,
    require_frame,
    require_named_columns,
    show,
    warn,
)
from evalkit.metrics.reaction import grouped_alpha, item_statistics

__all__ = ["test_item_analysis"]


def _test_matrix(
    func: str,
    data: pd.DataFrame,
    by: Any,
    phase: str | None,
    item: str,
    correct: str,
    participant: str,
    phase_col: str,
) -> tuple[np.ndarray, np.ndarray, pd.Index | None, list]:
    """0/1 matrix (complete rows), group codes, group labels and item names."""
    require_frame(func, data, "data", "a DataFrame (long test_items table or wide 0/1 matrix)")
    if item in data.columns and correct in data.columns:  # long test_items table
        if by is not None and not isinstance(by, str):
            raise ParameterError(
                f"{func}: with the long test_items table, 'by' must be a column name, "
                f"got {type(by).__name__}"
            )
        require_named_columns(
            func,
            data,
            [(p, c) for p, c in (("participant", participant), ("by", by)) if c is not None],
        )
        rows = data
        if phase is not None and phase_col in data.columns:
            rows = data[data[phase_col] == phase]
            if len(rows) == 0:
                raise ParameterError(
                    f"{func}: parameter 'phase' is {phase!r}, but column {phase_col!r} holds "
                    f"only {sorted(data[phase_col].dropna().unique().tolist())}"
                )
        keys = [participant] if by is None else [by, participant]
        if rows.duplicated(keys + [item]).any():
            dup = rows[rows.duplicated(keys + [item])].iloc[0]
            raise ParameterError(
                f"{func}: participant {show(dup[participant])} answers item {show(dup[item])} twice; "
                "pass one phase (parameter 'phase') or de-duplicate the table"
            )
        wide = rows.set_index(keys + [item])[correct].unstack(item)
        group = wide.index.get_level_values(by).to_numpy() if by is not None else None
        wide = wide.reset_index(drop=True)
        codes, labels = group_codes(func, group, len(wide), wide.index)
        if labels is not None:
            labels = labels.rename(by)
        matrix, names = numeric_matrix(func, wide)
    else:
        exclude = [by] if isinstance(by, str) else []
        codes, labels = group_codes(func, by, len(data), data.index, data)
        matrix, names = numeric_matrix(func, data, exclude)
    if len(names) < 2:
        raise ParameterError(
            f"{func}: the test must have at least 2 items, got {len(names)} ({names})"
        )
    not_binary = ~np.isnan(matrix) & (matrix != 0) & (matrix != 1)
    if not_binary.any():
        row, col = np.argwhere(not_binary)[0]
        raise ParameterError(
            f"{func}: item {names[col]!r} must be scored 0/1 (wrong/right), got {show(matrix[row, col])}"
        )
    matrix, codes, dropped = complete_sorted(matrix, codes)  # group sums need sorted rows
    if dropped:
        warn(func, f"{dropped} examinee(s) with an unanswered item were left out")
    if labels is None and len(codes) < 2:
        raise ParameterError(
            f"{func}: needs at least 2 examinees who answered every item, got {len(codes)}"
        )
    return matrix, codes, labels, names


def test_item_analysis(
    data: pd.DataFrame,
    *,
    by: Any = None,
    phase: str | None = C.POST,
    fraction: float = C.DISCRIMINATION_FRACTION,
    item: str = C.ITEM,
    correct: str = C.CORRECT,
    participant: str = C.PARTICIPANT_ID,
    phase_col: str = C.PHASE,
) -> pd.DataFrame:
    """Classical item analysis of a right/wrong test: difficulty, discrimination, KR-20.

    Parameters
    ----------
    data : DataFrame
        Either the long ``test_items`` table (columns ``participant_id, phase, item,
        correct``, see docs/data-model.md) or a wide matrix, one row per examinee and one
        0/1 column per item. Examinees with an unanswered item are left out.
    by : str, Series or array-like, optional
        Groups: a column name (long or wide), or a Series aligned to the wide rows.
    phase : str or None, default ``"post"``
        Phase analysed in the long table (ignored for a wide matrix or without a
        ``phase`` column).
    fraction : float, default 0.27
        Share of examinees in the upper and lower groups (Kelley 1939).
    item, correct, participant, phase_col : str
        Column names of the long table.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``item`` (with ``by=``: by (group, item)), columns ``n``,
        ``difficulty`` (p, proportion correct), ``difficulty_band`` (hard / ideal /
        easy against ``constants.DIFFICULTY_IDEAL``), ``p_upper, p_lower``,
        ``discrimination`` (D = p_upper - p_lower), ``discrimination_band`` (very good /
        good / revise / drop, ``constants.DISCRIMINATION_BANDS``), ``point_biserial``
        (item vs total score), ``r_drop`` (item vs total of the other items),
        ``kr20_if_dropped`` and ``kr20`` (of the whole test, repeated on each row).

    Raises
    ------
    ParameterError
        Not a DataFrame, missing columns, fewer than 2 items, answers other than 0/1,
        an examinee answering an item twice, ``fraction`` outside (0, 0.5]; without
        ``by``: fewer than 2 complete examinees.

    Warns
    -----
    EvalkitWarning
        Examinees with unanswered items; items everybody or nobody got right
        (their correlations are NaN); groups with fewer than 2 examinees.

    Notes
    -----
    Upper and lower groups: m = floor(fraction x n + 0.5) (at least 1); the lower group
    holds every examinee whose total is at most the m-th lowest total, the upper group
    every examinee at or above the m-th highest, so examinees tied at a cut score are
    all included and results do not depend on row order. KR-20
    :math:`= \\frac{k}{k-1}(1 - \\sum p_j q_j / s_X^2)` with the same (n - 1)
    denominator in :math:`p_j q_j` and :math:`s_X^2`, i.e. Cronbach's alpha of the 0/1
    items (as ``psych::alpha`` reports it).

    Validated against R 4 on ``psych::lsat6`` (LSAT section 6, 1000 examinees x 5
    items): ``colMeans``, ``cor(item, total)``, ``psych::alpha`` (raw_alpha, r.drop,
    alpha.drop) and the upper/lower groups computed in R
    (``tests/reference/level12.R``), agreement better than 1e-9 relative.

    References
    ----------
    Kelley, T. L. (1939). The selection of upper and lower groups for the validation of
    test items. *J. Educational Psychology* 30, 17-24.
    Ebel, R. L., & Frisbie, D. A. (1991). *Essentials of Educational Measurement*.
    Kuder, G. F., & Richardson, M. W. (1937). The theory of the estimation of test
    reliability. *Psychometrika* 2, 151-160.

    Examples
    --------
    >>> import pandas as pd
    >>> from evalkit.metrics.knowledge_test import test_item_analysis
    >>> wide = pd.DataFrame({"i1": [1, 1, 1, 0, 1, 0, 1, 1], "i2": [1, 1, 0, 0, 1, 0, 0, 1],
    ...                      "i3": [1, 0, 1, 0, 0, 0, 1, 1]})
    >>> test_item_analysis(wide)[["difficulty", "discrimination", "discrimination_band"]]
    ... # doctest: +NORMALIZE_WHITESPACE
          difficulty  discrimination discrimination_band
    item
    i1          0.75             1.0           very good
    i2          0.50             1.0           very good
    i3          0.50             1.0           very good
    """
    func = "test_item_analysis"
    if (
        isinstance(fraction, bool)
        or not isinstance(fraction, int | float)
        or not 0 < fraction <= 0.5
    ):
        raise ParameterError(f"{func}: parameter 'fraction' must be in (0, 0.5], got {fraction!r}")
    matrix, codes, labels, names = _test_matrix(
        func, data, by, phase, item, correct, participant, phase_col
    )
    k = matrix.shape[1]
    n_groups = 1 if labels is None else len(labels)
    n = np.bincount(codes, minlength=n_groups).astype(float)
    small = n < 2
    if small.any():
        warn(func, f"{int(small.sum())} group(s) have fewer than 2 examinees; NaN there")
    total = matrix.sum(axis=1)
    order = np.lexsort((total, codes))
    sorted_total = total[order]
    first = np.concatenate(([0], np.cumsum(n)[:-1])).astype(np.intp)
    m = np.maximum(1, np.floor(fraction * n + 0.5)).astype(np.intp)
    usable = n >= 1
    low_cut = np.full(n_groups, np.nan)
    high_cut = np.full(n_groups, np.nan)
    low_cut[usable] = sorted_total[first[usable] + m[usable] - 1]
    high_cut[usable] = sorted_total[first[usable] + n[usable].astype(np.intp) - m[usable]]
    upper = total >= high_cut[codes]
    lower = total <= low_cut[codes]
    with np.errstate(invalid="ignore", divide="ignore"):
        p_upper = (
            group_sum(codes[upper], matrix[upper], n_groups)
            / np.bincount(codes[upper], minlength=n_groups)[:, None]
        )
        p_lower = (
            group_sum(codes[lower], matrix[lower], n_groups)
            / np.bincount(codes[lower], minlength=n_groups)[:, None]
        )
    parts = grouped_alpha(matrix, codes, n_groups, standardised=False)  # centres matrix
    derived = item_statistics(parts, k)
    difficulty = parts["mean"]
    constant = ~small[:, None] & ((difficulty == 0) | (difficulty == 1))
    if constant.any():
        bad = [names[j] for j in np.flatnonzero(constant.any(axis=0))]
        warn(func, f"item(s) {bad} were answered alike by everybody; their correlations are NaN")
    ok = ~small[:, None]
    discrimination = np.where(ok, p_upper - p_lower, np.nan).ravel()
    difficulty = np.where(ok, difficulty, np.nan).ravel()
    low, high = C.DIFFICULTY_IDEAL
    hard, ideal, easy = C.DIFFICULTY_LABELS
    difficulty_band = band(difficulty, ((high + 1e-12, easy), (low, ideal), (-np.inf, hard)))
    kr20 = np.where(small | ~(parts["var_total"] > 0), np.nan, parts["alpha"])
    columns = {
        "n": np.repeat(n, k),
        "difficulty": difficulty,
        "difficulty_band": difficulty_band,
        "p_upper": np.where(ok, p_upper, np.nan).ravel(),
        "p_lower": np.where(ok, p_lower, np.nan).ravel(),
        "discrimination": discrimination,
        "discrimination_band": band(discrimination, C.DISCRIMINATION_BANDS),
        "point_biserial": np.where(ok & ~constant, derived["r_total"], np.nan).ravel(),
        "r_drop": np.where(ok & ~constant, derived["r_drop"], np.nan).ravel(),
        "kr20_if_dropped": np.where(ok, derived["alpha_if_dropped"], np.nan).ravel(),
        "kr20": np.repeat(kr20, k),
    }
    item_index = pd.Index(names, name=C.ITEM)
    index = item_index if labels is None else pd.MultiIndex.from_product([labels, item_index])
    return pd.DataFrame(columns, index=index)


test_item_analysis.__test__ = False  # type: ignore[attr-defined]
