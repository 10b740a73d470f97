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
from evalkit.metrics._grouped import band, complete_sorted, group_codes, group_sum, wilson
from evalkit.metrics._validate import (
    check_ci,
    numeric_column,
    numeric_matrix,
    require_frame,
    require_named_columns,
    show,
    warn,
)
from evalkit.metrics.reaction import (
    feldt_interval,
    fisher_z_interval,
    grouped_alpha,
    item_statistics,
)

__all__ = [
    "ITEM_METHODS",
    "UNCERTAIN",
    "difficulty_flag",
    "discrimination_flag",
    "discrimination_resamples",
    "pooled_item_analysis",
    "same_test_groups",
    "test_item_analysis",
]

#: Label of an item whose interval spans a threshold: the data cannot judge it at this n.
UNCERTAIN = "uncertain"

#: How :func:`test_item_analysis` estimates each statistic (for the results ledger).
ITEM_METHODS = {
    "difficulty": "proportion correct; Wilson score interval",
    "discrimination": (
        "upper-lower 27% D (ties at the cut included); percentile bootstrap over examinees"
    ),
    "point_biserial": "item-total Pearson r; Fisher z interval",
    "kr20": "KR-20 (alpha of 0/1 items); Feldt interval",
}

#: Resampled examinee x item cells held in memory at once by the bootstrap of D.
_CHUNK_CELLS = 4_000_000


def difficulty_flag(ci_low: Any, ci_high: Any) -> np.ndarray:
    """Difficulty label an item's interval supports: hard, ideal, easy or uncertain.

    "hard" when the whole interval lies below ``constants.DIFFICULTY_IDEAL``'s lower
    bound, "easy" when it lies above the upper bound, "ideal" when it lies within, and
    :data:`UNCERTAIN` when it spans a bound; NaN where the interval is missing.

    Examples
    --------
    >>> difficulty_flag([0.05, 0.35, 0.2, 0.75], [0.25, 0.65, 0.6, 0.95]).tolist()
    ['hard', 'ideal', 'uncertain', 'easy']
    """
    low = np.asarray(ci_low, dtype=float)
    high = np.asarray(ci_high, dtype=float)
    lo, hi = C.DIFFICULTY_IDEAL
    hard, ideal, easy = C.DIFFICULTY_LABELS
    out = np.full(low.shape, UNCERTAIN, dtype=object)
    out[high < lo] = hard
    out[low > hi] = easy
    out[(low >= lo) & (high <= hi)] = ideal
    out[np.isnan(low) | np.isnan(high)] = np.nan
    return out


def discrimination_flag(ci_low: Any, ci_high: Any) -> np.ndarray:
    """Discrimination label an item's interval supports (``constants.DISCRIMINATION_BANDS``).

    A favourable label rests on the lower bound, an unfavourable one on the upper bound:
    with the Ebel-Frisbie bands, "very good" when the lower bound is at least .40,
    "good" when it is at least .30; "drop" when the upper bound is below .20, "revise"
    when it is below .30; otherwise (the interval spans .30, the line between keeping
    and revising) :data:`UNCERTAIN`. NaN where the interval is missing.

    Examples
    --------
    >>> discrimination_flag([0.45, 0.32, -0.2, 0.05, -0.1], [0.9, 0.8, 0.15, 0.28, 0.6]).tolist()
    ['very good', 'good', 'drop', 'revise', 'uncertain']
    """
    low = np.asarray(ci_low, dtype=float)
    high = np.asarray(ci_high, dtype=float)
    bounds = [(b, label) for b, label in C.DISCRIMINATION_BANDS if np.isfinite(b)]
    keep = bounds[-2][0]  # .30: at least "good"
    out = np.full(low.shape, UNCERTAIN, dtype=object)
    at_least = band(low, C.DISCRIMINATION_BANDS)
    at_most = band(high, C.DISCRIMINATION_BANDS)
    good = low >= keep
    out[good] = at_least[good]
    poor = high < keep
    out[poor] = at_most[poor]
    out[np.isnan(low) | np.isnan(high)] = np.nan
    return out


def discrimination_resamples(
    matrix: np.ndarray, indices: np.ndarray, fraction: float = C.DISCRIMINATION_FRACTION
) -> np.ndarray:
    """Upper-lower D of every item in every bootstrap resample of the examinees.

    ``matrix`` is examinees x items (0/1, complete), ``indices`` one resample per row
    (0-based row numbers). The groups are formed anew in each resample, by the rule of
    :func:`test_item_analysis`; all resamples are computed together with array
    operations (in chunks that keep memory bounded), with no loop over resamples.
    Returns resamples x items.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([[1, 1], [1, 0], [0, 1], [0, 0], [1, 1]], dtype=float)
    >>> discrimination_resamples(x, np.array([[0, 1, 2, 3, 4]])).tolist()
    [[1.0, 1.0]]
    """
    matrix = np.asarray(matrix, dtype=float)
    indices = np.asarray(indices)
    n_boot, n = indices.shape
    k = matrix.shape[1]
    m = max(1, int(np.floor(fraction * n + 0.5)))
    out = np.empty((n_boot, k))
    step = max(1, _CHUNK_CELLS // max(1, n * k))
    for start in range(0, n_boot, step):  # chunks of many resamples each
        idx = indices[start : start + step]
        x = matrix[idx]  # chunk x n x k
        total = x.sum(axis=2)
        ordered = np.sort(total, axis=1)
        upper = total >= ordered[:, n - m][:, None]
        lower = total <= ordered[:, m - 1][:, None]
        p_upper = np.einsum("bn,bnk->bk", upper, x) / upper.sum(axis=1)[:, None]
        p_lower = np.einsum("bn,bnk->bk", lower, x) / lower.sum(axis=1)[:, None]
        out[start : start + step] = p_upper - p_lower
    return out


def same_test_groups(
    data: pd.DataFrame, *, cohort: str = C.COHORT_ID, item: str = C.ITEM
) -> pd.Series:
    """Which cohorts sat the same test: cohorts with the same set of item codes share a form.

    The ``test_items`` export carries no test identifier, so a test form is recognised
    by its items: cohorts whose answers cover exactly the same item codes get the same
    form label ("form 1", "form 2", ..., in order of first cohort). The report says
    that this is an assumption to check.

    Returns
    -------
    Series
        Form label by cohort (indexed by ``cohort``, sorted), named ``"test_form"``.

    Raises
    ------
    ParameterError
        Not a DataFrame or missing columns.

    Examples
    --------
    >>> import pandas as pd
    >>> long = pd.DataFrame({"cohort_id": ["A", "A", "B", "B", "C"],
    ...                      "item": ["s1", "s2", "s2", "s1", "s1"]})
    >>> same_test_groups(long).to_dict()
    {'A': 'form 1', 'B': 'form 1', 'C': 'form 2'}
    """
    func = "same_test_groups"
    require_frame(func, data, "data", "the long test_items table")
    require_named_columns(func, data, [("cohort", cohort), ("item", item)])
    sets = data.groupby(cohort, sort=True, observed=True)[item].agg(
        lambda s: tuple(sorted(map(str, s.dropna().unique())))
    )
    forms = {key: f"form {i + 1}" for i, key in enumerate(dict.fromkeys(sets.tolist()))}
    return sets.map(forms).rename("test_form")


def _phase_rows(func: str, data: pd.DataFrame, phase: str | None, phase_col: str) -> pd.DataFrame:
    """The rows of ``phase`` (all rows without a phase or a phase column)."""
    if phase is None or phase_col not in data.columns:
        return data
    rows = data[data[phase_col] == phase]
    if len(rows) == 0:
        raise ParameterError(
            f"{func}: parameter 'phase' is {phase!r}, but column {phase_col!r} holds "
            f"only {sorted(data[phase_col].dropna().unique().tolist())}"
        )
    return rows


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
        rows = _phase_rows(func, data, phase, phase_col)
        # the answers are checked here, where a bad one's row and column are the input's
        rows = rows.assign(**{correct: numeric_column(func, correct, rows[correct])})
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
    ci: float = 0.95,
    n_boot: int = 1000,
    seed: int = C.SEED,
    item: str = C.ITEM,
    correct: str = C.CORRECT,
    participant: str = C.PARTICIPANT_ID,
    phase_col: str = C.PHASE,
) -> pd.DataFrame:
    """Classical item analysis of a right/wrong test with intervals: p, D, r, KR-20.

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
    ci : float, default 0.95
        Confidence level of every interval.
    n_boot : int, default 1000
        Bootstrap resamples of examinees for the interval of D (0: no interval).
    seed : int, default ``evalkit.constants.SEED``
        Seed of the resamples (results are reproducible; each group draws the resamples
        a call on its rows alone would draw).
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
        ``kr20_if_dropped`` and ``kr20`` (of the whole test, repeated on each row);
        then the intervals ``difficulty_ci_low, difficulty_ci_high`` (Wilson),
        ``discrimination_ci_low, discrimination_ci_high`` (percentile bootstrap),
        ``point_biserial_ci_low, point_biserial_ci_high`` and ``r_drop_ci_low,
        r_drop_ci_high`` (Fisher z), ``kr20_ci_low, kr20_ci_high`` (Feldt), and the
        labels the intervals support: ``difficulty_flag`` (:func:`difficulty_flag`) and
        ``discrimination_flag`` (:func:`discrimination_flag`), "uncertain" where the
        interval spans a threshold. The ``*_band`` columns label the point estimate
        only; at the n of one cohort (20-40) judge items by the flags.

    Raises
    ------
    ParameterError
        Not a DataFrame, missing columns, fewer than 2 items, answers other than 0/1,
        an examinee answering an item twice, ``fraction`` outside (0, 0.5], ``ci``
        outside (0, 1), a bad ``n_boot``; without ``by``: fewer than 2 complete
        examinees.

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

    Intervals: difficulty, the Wilson score interval (R ``prop.test(x, n, correct =
    FALSE)``); D, the percentile bootstrap over examinees, the upper and lower groups
    formed anew in each resample (:func:`discrimination_resamples`); the correlations,
    Fisher's z, :math:`\\tanh(\\operatorname{atanh} r \\pm z_{1-\\gamma/2}/\\sqrt{n-3})`
    (R ``cor.test``); KR-20, Feldt's F interval (as :func:`evalkit.cronbach_alpha`).
    At n = 30 the SE of D is about .15-.25, so one cohort rarely settles an item's
    band: pool the cohorts that sat the same test (:func:`same_test_groups`).

    Validated against R 4 on ``psych::lsat6`` (LSAT section 6, 1000 examinees x 5
    items): ``colMeans``, ``cor(item, total)``, ``psych::alpha`` (raw_alpha, r.drop,
    alpha.drop) and the upper/lower groups computed in R
    (``tests/reference/level12.R``), agreement better than 1e-9 relative; the
    intervals on 30 of its examinees against ``prop.test``, ``cor.test``,
    ``psych::alpha.ci`` and the bootstrap of D on 200 resamples drawn in R
    (``tests/reference/level2_omega.R``).

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
    >>> res = test_item_analysis(wide)
    >>> res[["difficulty", "discrimination", "discrimination_band", "discrimination_flag"]]
    ... # doctest: +NORMALIZE_WHITESPACE
          difficulty  discrimination discrimination_band discrimination_flag
    item
    i1          0.75             1.0           very good           uncertain
    i2          0.50             1.0           very good           uncertain
    i3          0.50             1.0           very good           uncertain
    >>> res[["difficulty_ci_low", "difficulty_ci_high"]].round(3).loc["i1"].tolist()
    [0.409, 0.929]
    """
    func = "test_item_analysis"
    if (
        isinstance(fraction, bool)
        or not isinstance(fraction, int | float)
        or not 0 < fraction <= 0.5
    ):
        raise ParameterError(f"{func}: parameter 'fraction' must be in (0, 0.5], got {fraction!r}")
    level = check_ci(func, ci, say_number=True)
    if isinstance(n_boot, bool) or not isinstance(n_boot, int | np.integer) or n_boot < 0:
        raise ParameterError(f"{func}: parameter 'n_boot' must be an integer >= 0, got {n_boot!r}")
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
    d_low, d_high = _discrimination_interval(matrix, codes, n, fraction, level, n_boot, seed)
    n_right = group_sum(codes, matrix, n_groups)
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
    p_low, p_high = wilson(n_right, n[:, None], level)
    p_low, p_high = (np.where(ok, v, np.nan).ravel() for v in (p_low, p_high))
    d_low, d_high = (np.where(ok, v, np.nan).ravel() for v in (d_low, d_high))
    n_item = np.repeat(n, k)
    point_biserial = np.where(ok & ~constant, derived["r_total"], np.nan).ravel()
    r_drop = np.where(ok & ~constant, derived["r_drop"], np.nan).ravel()
    pb_low, pb_high = fisher_z_interval(point_biserial, n_item, level)
    rd_low, rd_high = fisher_z_interval(r_drop, n_item, level)
    kr_low, kr_high = feldt_interval(kr20, n, k, level)
    columns = {
        "n": np.repeat(n, k),
        "difficulty": difficulty,
        "difficulty_band": difficulty_band,
        "p_upper": np.where(ok, p_upper, np.nan).ravel(),
        "p_lower": np.where(ok, p_lower, np.nan).ravel(),
        "discrimination": discrimination,
        "discrimination_band": band(discrimination, C.DISCRIMINATION_BANDS),
        "point_biserial": point_biserial,
        "r_drop": r_drop,
        "kr20_if_dropped": np.where(ok, derived["alpha_if_dropped"], np.nan).ravel(),
        "kr20": np.repeat(kr20, k),
        "difficulty_ci_low": p_low,
        "difficulty_ci_high": p_high,
        "difficulty_flag": difficulty_flag(p_low, p_high),
        "discrimination_ci_low": d_low,
        "discrimination_ci_high": d_high,
        "discrimination_flag": discrimination_flag(d_low, d_high),
        "point_biserial_ci_low": pb_low,
        "point_biserial_ci_high": pb_high,
        "r_drop_ci_low": rd_low,
        "r_drop_ci_high": rd_high,
        "kr20_ci_low": np.repeat(kr_low, k),
        "kr20_ci_high": np.repeat(kr_high, k),
    }
    item_index = pd.Index(names, name=C.ITEM)
    index = item_index if labels is None else pd.MultiIndex.from_product([labels, item_index])
    return pd.DataFrame(columns, index=index)


def pooled_item_analysis(
    data: pd.DataFrame,
    *,
    phase: str | None = C.POST,
    ci: float = 0.95,
    n_boot: int = 1000,
    seed: int = C.SEED,
    cohort: str = C.COHORT_ID,
    item: str = C.ITEM,
    correct: str = C.CORRECT,
    participant: str = C.PARTICIPANT_ID,
    phase_col: str = C.PHASE,
) -> pd.DataFrame:
    """:func:`test_item_analysis` of all cohorts that sat the same test, pooled.

    One cohort (20-40 examinees) rarely settles an item's difficulty or discrimination
    band; the cohorts that answered the same items (:func:`same_test_groups`) together
    often do. Each form is analysed on its own items, each examinee is one row (a person
    in two cohorts counts twice, once per sitting), and the upper and lower groups are
    formed on the form's pooled totals.

    Parameters
    ----------
    data : DataFrame
        The long ``test_items`` table of the study.
    phase, ci, n_boot, seed, item, correct, participant, phase_col
        As in :func:`test_item_analysis`.
    cohort : str
        The cohort column.

    Returns
    -------
    DataFrame
        The columns of :func:`test_item_analysis`, indexed by (``test_form``, ``item``),
        with ``n_cohorts`` (cohorts pooled into the form) and ``cohorts`` (their ids,
        comma-separated) in front.

    Raises
    ------
    ParameterError
        As :func:`test_item_analysis` and :func:`same_test_groups`; no form with at least
        2 items.

    Warns
    -----
    EvalkitWarning
        A form of fewer than 2 items, or without answers at ``phase`` (naming its
        cohorts), left out; answers without a cohort, left out.

    Examples
    --------
    >>> import pandas as pd
    >>> long = pd.DataFrame({"cohort_id": ["A"] * 6 + ["B"] * 6, "phase": "post",
    ...                      "participant_id": ["p1", "p1", "p2", "p2", "p3", "p3"] * 2,
    ...                      "item": ["s1", "s2"] * 6,
    ...                      "correct": [1, 1, 0, 1, 0, 0, 1, 0, 1, 1, 0, 0]})
    >>> res = pooled_item_analysis(long, n_boot=0)
    >>> res[["n_cohorts", "cohorts", "n", "difficulty"]].to_dict("index")[("form 1", "s2")]
    {'n_cohorts': 2, 'cohorts': 'A, B', 'n': 6.0, 'difficulty': 0.5}
    """
    func = "pooled_item_analysis"
    require_frame(func, data, "data", "the long test_items table")
    require_named_columns(func, data, [("cohort", cohort), ("participant", participant)])
    forms = same_test_groups(data, cohort=cohort, item=item)
    sitting = data[cohort].astype(str) + "\x1f" + data[participant].astype(str)
    frame = data.assign(**{participant: sitting, "test_form": data[cohort].map(forms)})
    frame = _phase_rows(func, frame.drop(columns=[cohort]), phase, phase_col)
    no_cohort = int(frame["test_form"].isna().sum())
    if no_cohort:
        warn(func, f"{no_cohort} answer(s) without a cohort left out")
    # forms in their number's order (form 2 before form 10), as same_test_groups gave them
    members = forms.groupby(forms, sort=False).agg(lambda s: ", ".join(map(str, s.index)))
    n_items = frame.dropna(subset=[item]).groupby("test_form")[item].nunique()
    small = [form for form in members.index if n_items.get(form, 0) < 2]
    for form in small:
        why = (
            f"has no answers at phase {phase!r}"
            if form not in n_items.index and phase is not None
            else "has fewer than 2 items"
        )
        warn(func, f"{form} (cohorts {members[form]}) {why}; left out")
    if len(small) == len(members):
        raise ParameterError(f"{func}: no test form has at least 2 items")
    # one analysis per form, on that form's own items: in one matrix, the examinees of a
    # form would miss the items of the others and be left out as incomplete. The rows
    # are at the phase already.
    rows_of = dict(tuple(frame.groupby("test_form", sort=False)))
    res = pd.concat(
        [
            test_item_analysis(
                rows_of[form],
                by="test_form",
                phase=None,
                ci=ci,
                n_boot=n_boot,
                seed=seed,
                item=item,
                correct=correct,
                participant=participant,
            )
            for form in members.index
            if form not in small
        ]
    )
    form_of_row = res.index.get_level_values("test_form")
    res.insert(0, "cohorts", members.reindex(form_of_row).to_numpy())
    res.insert(0, "n_cohorts", forms.value_counts().reindex(form_of_row).to_numpy())
    return res


def _discrimination_interval(
    matrix: np.ndarray,
    codes: np.ndarray,
    n: np.ndarray,
    fraction: float,
    level: float,
    n_boot: int,
    seed: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Percentile bootstrap interval of D, groups x items (NaN without resamples)."""
    k = matrix.shape[1]
    low = np.full((len(n), k), np.nan)
    high = np.full((len(n), k), np.nan)
    if n_boot == 0:
        return low, high
    starts = np.concatenate(([0], np.cumsum(n)[:-1])).astype(np.intp)
    for g in np.flatnonzero(n >= 2):  # groups: one vectorised bootstrap each
        size = int(n[g])
        rows = matrix[starts[g] : starts[g] + size]
        # a fresh generator per group: the resamples a call on this group alone draws
        indices = np.random.default_rng(seed).integers(0, size, size=(n_boot, size))
        boot = discrimination_resamples(rows, indices, fraction)
        low[g], high[g] = np.quantile(boot, [(1 - level) / 2, (1 + level) / 2], axis=0)
    return low, high


test_item_analysis.__test__ = False  # type: ignore[attr-defined]
