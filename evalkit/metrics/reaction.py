"""Level 1, reaction: reliability of the survey scales and per-dimension scale scores.

Every function works for one cohort or, with ``by=``, for all cohorts at once in one
vectorised pass (the grouped sums are computed with one ``bincount`` per item, never a
loop over groups), giving the same numbers as one call per cohort.

Examples
--------
>>> import pandas as pd
>>> from evalkit.metrics.reaction import cronbach_alpha
>>> items = pd.DataFrame({"q1": [4, 5, 3, 4, 2], "q2": [4, 4, 3, 5, 2], "q3": [5, 5, 2, 4, 3]})
>>> round(float(cronbach_alpha(items)["alpha"]), 4)
0.8857
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from evalkit import constants as C
from evalkit.errors import ParameterError
from evalkit.metrics._grouped import Segments, by_list, complete_sorted, group_codes
from evalkit.metrics._validate import (
    check_ci,
    numeric_column,
    numeric_matrix,
    require_frame,
    require_named_columns,
    require_numeric,
    show,
    warn,
)
from evalkit.metrics.scales import pomp

#: Lowest answer of the reaction survey's Likert items (scores lie in 1..scale_max).
SCALE_MIN = 1

#: The other items' total counts as constant when its variance is at most this fraction
#: of the sum of their variances (zero up to rounding; :func:`item_statistics`).
_FLAT_REST = 1e-12

__all__ = [
    "SCALE_MIN",
    "cronbach_alpha",
    "feldt_interval",
    "fisher_z_interval",
    "item_analysis",
    "item_total_flag",
    "percent_of_max",
    "pomp_answers",
    "scale_scores",
]


def feldt_interval(
    alpha: Any, n: Any, k: Any, level: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Feldt (1965) interval of Cronbach's alpha (or KR-20) of k items and n respondents.

    :math:`1 - (1-\\alpha) F_{1-\\gamma/2}` to :math:`1 - (1-\\alpha) F_{\\gamma/2}`, F with
    :math:`n-1` and :math:`(n-1)(k-1)` df, :math:`\\gamma = 1 - level` (as
    ``psych::alpha.ci``). NaN where alpha is NaN or n < 2.

    Examples
    --------
    ``psych::alpha.ci(0.8713, n.obs = 6, n.var = 3)`` gives 0.4548 to 0.9806:

    >>> low, high = feldt_interval(0.8713, 6, 3)
    >>> round(float(low), 4), round(float(high), 4)
    (0.4548, 0.9806)
    """
    alpha = np.asarray(alpha, dtype=float)
    n = np.asarray(n, dtype=float)
    df1 = n - 1
    df2 = (n - 1) * (np.asarray(k, dtype=float) - 1)
    gamma = 1 - level
    with np.errstate(invalid="ignore"):
        low = 1 - (1 - alpha) * stats.f.ppf(1 - gamma / 2, df1, df2)
        high = 1 - (1 - alpha) * stats.f.ppf(gamma / 2, df1, df2)
    return low, high


def fisher_z_interval(r: Any, n: Any, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Fisher z interval of a Pearson (or point-biserial) correlation r from n pairs.

    :math:`\\tanh(\\operatorname{atanh} r \\pm z_{1-\\gamma/2} / \\sqrt{n - 3})`, as R's
    ``cor.test(x, y)$conf.int``; NaN where r is NaN or n <= 3.

    Examples
    --------
    ``cor.test(c(1, 3, 2, 5, 4, 6, 8, 7, 10, 9), 1:10)`` gives r = .9515 and the
    interval 0.8029 to 0.9888:

    >>> low, high = fisher_z_interval(0.9515151515151514, 10)
    >>> round(float(low), 4), round(float(high), 4)
    (0.8029, 0.9888)
    """
    r = np.asarray(r, dtype=float)
    n = np.asarray(n, dtype=float)
    z = stats.norm.ppf(0.5 + level / 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        se = np.where(n > 3, 1 / np.sqrt(np.where(n > 3, n - 3, 1.0)), np.nan)
        centre = np.arctanh(r)
        return np.tanh(centre - z * se), np.tanh(centre + z * se)


def item_total_flag(ci_low: Any, ci_high: Any) -> np.ndarray:
    """Label a corrected item-total r by its interval: "adequate", "review" or "uncertain".

    "adequate" when the lower bound reaches ``constants.ITEM_TOTAL_MIN`` (.30),
    "review" when the upper bound is below it, "uncertain" when the interval spans it;
    NaN where the interval is missing.

    Examples
    --------
    >>> item_total_flag([0.35, -0.2, 0.1], [0.8, 0.25, 0.7]).tolist()
    ['adequate', 'review', 'uncertain']
    """
    low = np.asarray(ci_low, dtype=float)
    high = np.asarray(ci_high, dtype=float)
    out = np.full(low.shape, "uncertain", dtype=object)
    out[low >= C.ITEM_TOTAL_MIN] = "adequate"
    out[high < C.ITEM_TOTAL_MIN] = "review"
    out[np.isnan(low) | np.isnan(high)] = np.nan
    return out


def _prepare(
    func: str, items: pd.DataFrame, by: Any, min_items: int = 2
) -> tuple[np.ndarray, np.ndarray, int, pd.Index | None, list]:
    """Complete-case item matrix, group codes, number of groups, group labels, item names."""
    exclude = [by] if isinstance(by, str) else []
    codes, labels = group_codes(func, by, len(items), items.index, items)
    matrix, names = numeric_matrix(func, items, exclude)
    if len(names) < min_items:
        raise ParameterError(
            f"{func}: parameter 'items' must have at least {min_items} item columns, "
            f"got {len(names)} ({names})"
        )
    # group sums need rows sorted by group; statistics do not
    matrix, codes, _ = complete_sorted(matrix, codes)
    n_groups = 1 if labels is None else len(labels)
    if labels is None and len(codes) < 2:
        raise ParameterError(
            f"{func}: parameter 'items' needs at least 2 rows without a missing item, "
            f"got {len(codes)}"
        )
    return matrix, codes, n_groups, labels, names


def grouped_alpha(
    matrix: np.ndarray,
    codes: np.ndarray,
    n_groups: int,
    *,
    standardised: bool = True,
    items: bool = True,
) -> dict[str, np.ndarray]:
    """Grouped moments behind alpha and the item statistics, in one pass over the items.

    ``matrix`` is evalkit's own float copy and is **overwritten** with the within-group
    centred values (saving a second copy at national scale). ``codes`` must be sorted
    (rows grouped together). Returns arrays over groups (``n``, ``var_total``,
    ``alpha``, ``std_alpha``) and over groups x items (``mean``, ``var``,
    ``cov_total``). Uses within-group centring (two passes) for accuracy; each pass is
    one segmented sum per item, never a loop over groups.
    """
    n_rows, k = matrix.shape
    seg = Segments(codes, n_groups)
    n = np.bincount(codes, minlength=n_groups).astype(float)
    nan = np.full(n_groups, np.nan)
    mean = np.empty((n_groups, k))
    var = np.empty((n_groups, k))
    cov_total = np.full((n_groups, k), np.nan)
    total = np.zeros(n_rows)
    centred = matrix
    with np.errstate(invalid="ignore", divide="ignore"):
        for j in range(k):
            mean[:, j] = seg.sum(matrix[:, j]) / n
            centred[:, j] -= np.take(mean[:, j], codes)
            var[:, j] = seg.sum(centred[:, j] ** 2) / (n - 1)
            total += centred[:, j]
        var_total = seg.sum(total**2) / (n - 1)
        if items:
            for j in range(k):
                cov_total[:, j] = seg.sum(centred[:, j] * total) / (n - 1)
        std_alpha = nan
        if standardised:
            # The variance of the sum of z-scores is the sum of all correlations,
            # k + sum_{i != j} r_ij.
            inv_sd = 1 / np.sqrt(var)
            z_total = np.zeros(n_rows)
            for j in range(k):
                z_total += centred[:, j] * np.take(inv_sd[:, j], codes)
            var_z = seg.sum(z_total**2) / (n - 1)
            r_bar = (var_z - k) / (k * (k - 1))
            std_alpha = k * r_bar / (1 + (k - 1) * r_bar)
            std_alpha[~np.isfinite(inv_sd).all(axis=1)] = np.nan
        alpha = k / (k - 1) * (1 - var.sum(axis=1) / var_total)
    return {
        "n": n,
        "mean": mean,
        "var": var,
        "var_total": var_total,
        "cov_total": cov_total,
        "alpha": alpha,
        "std_alpha": std_alpha,
    }


def item_statistics(parts: dict[str, np.ndarray], k: int) -> dict[str, np.ndarray]:
    """Corrected item-total r and alpha if the item is dropped (groups x items).

    Where the other items' total is constant (``rest_flat``: its variance, computed from
    the parts, at most 1e-12 of the sum of those items' own variances, i.e. zero up to
    rounding), both are undefined and NaN, as :func:`cronbach_alpha` of those items is.
    """
    var, cov_total = parts["var"], parts["cov_total"]
    var_total = parts["var_total"][:, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        var_rest = var_total - 2 * cov_total + var
        sum_var = var.sum(axis=1, keepdims=True)
        rest_flat = ~(var_rest > _FLAT_REST * (sum_var - var))
        r_drop = np.where(rest_flat, np.nan, (cov_total - var) / np.sqrt(var * var_rest))
        r_total = cov_total / np.sqrt(var * var_total)
        alpha_if_dropped = (
            (k - 1) / (k - 2) * (1 - (sum_var - var) / var_rest) if k > 2 else np.nan * var
        )
    alpha_if_dropped = np.where(rest_flat, np.nan, alpha_if_dropped)
    return {
        "r_drop": r_drop,
        "r_total": r_total,
        "alpha_if_dropped": alpha_if_dropped,
        "rest_flat": rest_flat,
    }


def _undefined(func: str, bad: np.ndarray, labels: pd.Index | None, what: str) -> None:
    """Raise for a single call, warn for groups, when a statistic is undefined."""
    if not bad.any():
        return
    if labels is None:
        raise ParameterError(f"{func}: {what}")
    warn(func, f"{int(bad.sum())} group(s) give NaN because {what}, e.g. {show(labels[bad][0])}")


def cronbach_alpha(
    items: pd.DataFrame, ci: float = 0.95, by: Any = None
) -> pd.Series | pd.DataFrame:
    """Cronbach's alpha with the Feldt confidence interval, and standardised alpha.

    Parameters
    ----------
    items : DataFrame
        One row per respondent, one numeric column per item (reverse-keyed items
        already reversed). Rows with a missing item are dropped (listwise).
    ci : float, default 0.95
        Confidence level of the Feldt interval.
    by : str, Series or array-like, optional
        Groups (e.g. ``cohort_id``): a Series or array aligned to the rows, or the
        name of a column of ``items`` (which is then not an item).

    Returns
    -------
    pandas.Series or pandas.DataFrame
        ``alpha, std_alpha, ci_low, ci_high, n, k``; with ``by=``, a DataFrame indexed by
        group (sorted), one row per group.

    Raises
    ------
    ParameterError
        Not a DataFrame, empty, fewer than 2 items, non-numeric answers, ``ci`` outside
        (0, 1), ``by`` not aligned; without ``by``: fewer than 2 complete rows, or every
        answer pattern without variance (alpha undefined).

    Warns
    -----
    EvalkitWarning
        Rows with a missing ``by`` value; with ``by=``, groups with fewer than 2 complete
        rows or no variance in the total (NaN); a constant item (std_alpha NaN).

    Notes
    -----
    :math:`\\alpha = \\frac{k}{k-1}\\left(1 - \\frac{\\sum_j s_j^2}{s_X^2}\\right)` with item
    variances :math:`s_j^2` and the variance :math:`s_X^2` of the total;
    standardised :math:`\\alpha_z = k\\bar r / (1 + (k-1)\\bar r)` with :math:`\\bar r` the
    mean inter-item correlation. Feldt (1965) interval:
    :math:`1 - (1-\\alpha) F_{1-\\gamma/2}` to :math:`1 - (1-\\alpha) F_{\\gamma/2}`, F with
    :math:`n-1` and :math:`(n-1)(k-1)` df, :math:`\\gamma = 1 - ci`.

    Validated against R 4 ``psych::alpha`` (raw_alpha, std.alpha) and
    ``psych::alpha.ci`` (Feldt) on ``attitude`` and on complete cases of ``psych::bfi``
    items N1-N5, overall and per education level (``tests/reference/level12.R``),
    agreement better than 1e-9 relative.

    References
    ----------
    Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
    *Psychometrika* 16, 297-334.
    Feldt, L. S. (1965). The approximate sampling distribution of Kuder-Richardson
    reliability coefficient twenty. *Psychometrika* 30, 357-370.

    Examples
    --------
    ``psych::alpha(d)`` on the same six rows gives raw_alpha 0.8713, std.alpha 0.8729
    and ``alpha.ci`` 0.4549 to 0.9806:

    >>> import pandas as pd
    >>> from evalkit.metrics.reaction import cronbach_alpha
    >>> items = pd.DataFrame({"q1": [4, 5, 3, 4, 2, 5], "q2": [4, 4, 3, 5, 2, 4],
    ...                       "q3": [5, 5, 2, 4, 3, 4], "cohort": ["A", "A", "A", "B", "B", "B"]})
    >>> cronbach_alpha(items.drop(columns="cohort")).round(4).tolist()
    [0.8713, 0.8729, 0.4549, 0.9806, 6.0, 3.0]
    >>> cronbach_alpha(items, by="cohort")[["alpha", "n"]].round(4)
    ... # doctest: +NORMALIZE_WHITESPACE
            alpha    n
    cohort
    A       0.871  3.0
    B       0.875  3.0
    """
    func = "cronbach_alpha"
    level = check_ci(func, ci, say_number=True)
    matrix, codes, n_groups, labels, names = _prepare(func, items, by)
    k = len(names)
    parts = grouped_alpha(matrix, codes, n_groups, items=False)
    n, alpha = parts["n"], parts["alpha"]
    too_small = n < 2
    _undefined(func, too_small, labels, "fewer than 2 rows without a missing item")
    flat = ~too_small & ~(parts["var_total"] > 0)
    _undefined(
        func,
        flat,
        labels,
        "every respondent has the same total score (no variance); alpha is undefined",
    )
    alpha = np.where(too_small | flat, np.nan, alpha)
    std_alpha = np.where(too_small | flat, np.nan, parts["std_alpha"])
    constant = ~too_small & ~flat & ~(parts["var"] > 0).all(axis=1)
    if constant.any():
        warn(func, f"{int(constant.sum())} group(s) have a constant item; std_alpha is NaN there")
    ci_low, ci_high = feldt_interval(alpha, n, k, level)
    out = pd.DataFrame(
        {
            "alpha": alpha,
            "std_alpha": std_alpha,
            "ci_low": ci_low,
            "ci_high": ci_high,
            "n": n,
            "k": np.full(n_groups, float(k)),
        },
        index=labels,
    )
    if labels is None:
        return out.iloc[0].rename("cronbach_alpha")
    return out


def item_analysis(items: pd.DataFrame, by: Any = None, *, ci: float = 0.95) -> pd.DataFrame:
    """Item statistics of a scale: mean, SD, corrected item-total r with CI, alpha if dropped.

    Parameters
    ----------
    items : DataFrame
        One row per respondent, one numeric column per item. Rows with a missing item
        are dropped (listwise), as in :func:`cronbach_alpha`.
    by : str, Series or array-like, optional
        Groups, as in :func:`cronbach_alpha`.
    ci : float, default 0.95
        Confidence level of the interval of ``r_drop``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``item`` (with ``by=``: by (group, item)), columns ``n`` (complete
        rows), ``mean``, ``sd``, ``r_drop`` (corrected item-total correlation: the item
        against the sum of the other items), ``r_total`` (uncorrected item-total
        correlation), ``alpha_if_dropped`` (raw alpha of the other items; NaN with
        only 2 items; both NaN where the other items' total is the same for everybody),
        ``r_drop_ci_low, r_drop_ci_high`` (Fisher z interval, as R
        ``cor.test(item, rest)``) and ``r_drop_flag`` (:func:`item_total_flag`:
        "review" only when the whole interval lies below .30).

    Raises
    ------
    ParameterError
        As :func:`cronbach_alpha`.

    Warns
    -----
    EvalkitWarning
        Groups with fewer than 2 complete rows; constant items (their r is NaN); items
        whose rest score (the other items' total) is constant.

    Notes
    -----
    With :math:`X` the total and :math:`R_j = X - x_j`:
    :math:`\\mathrm{cov}(x_j, R_j) = \\mathrm{cov}(x_j, X) - s_j^2`,
    :math:`s^2_{R_j} = s_X^2 - 2\\,\\mathrm{cov}(x_j, X) + s_j^2`,
    :math:`r_{drop} = \\mathrm{cov}(x_j, R_j) / (s_j s_{R_j})` and
    :math:`\\alpha_{-j} = \\frac{k-1}{k-2}\\left(1 - \\frac{\\sum_{i \\ne j} s_i^2}{s^2_{R_j}}\\right)`.
    A corrected item-total r below ``evalkit.constants.ITEM_TOTAL_MIN`` (0.30) flags an
    item for review.

    Validated against R 4 ``psych::alpha(attitude)`` (``item.stats$mean``, ``$sd``,
    ``$r.drop`` and ``alpha.drop$raw_alpha``) and the complete cases of ``psych::bfi``
    N1-N5, overall and per education level (``tests/reference/level12.R``), agreement
    better than 1e-9 relative; the interval against ``cor.test(item, rest)$conf.int``
    on ``attitude`` (``tests/reference/level2_omega.R``).

    References
    ----------
    Revelle, W. psych: Procedures for Psychological, Psychometric, and Personality
    Research (function ``alpha``). Northwestern University.

    Examples
    --------
    >>> import pandas as pd
    >>> from evalkit.metrics.reaction import item_analysis
    >>> items = pd.DataFrame({"q1": [4, 5, 3, 4, 2, 5], "q2": [4, 4, 3, 5, 2, 4],
    ...                       "q3": [5, 5, 2, 4, 3, 4]})
    >>> item_analysis(items)[["r_drop", "alpha_if_dropped"]].round(4)
    ... # doctest: +NORMALIZE_WHITESPACE
          r_drop  alpha_if_dropped
    item
    q1    0.8230            0.7521
    q2    0.7470            0.8286
    q3    0.7013            0.8682
    """
    func = "item_analysis"
    level = check_ci(func, ci, say_number=True)
    matrix, codes, n_groups, labels, names = _prepare(func, items, by)
    k = len(names)
    parts = grouped_alpha(matrix, codes, n_groups, standardised=False)
    n = parts["n"]
    too_small = n < 2
    _undefined(func, too_small, labels, "fewer than 2 rows without a missing item")
    derived = item_statistics(parts, k)
    with np.errstate(invalid="ignore"):
        sd = np.sqrt(parts["var"])
    ok = ~too_small[:, None]
    constant = ok & ~(parts["var"] > 0)
    if constant.any():
        bad = [names[j] for j in np.flatnonzero(constant.any(axis=0))]
        warn(func, f"constant item(s) {bad}: their item-total r is NaN")
    flat_rest = ok & ~constant & derived["rest_flat"]
    if flat_rest.any():
        bad = [names[j] for j in np.flatnonzero(flat_rest.any(axis=0))]
        warn(
            func,
            f"the other items' total is the same for every respondent without item(s) {bad}: "
            "their r_drop and alpha if dropped are NaN",
        )
    if k == 2:
        warn(func, "with 2 items, alpha if an item is dropped is undefined (NaN)")
    columns = {
        "n": np.repeat(n, k),
        "mean": np.where(ok, parts["mean"], np.nan).ravel(),
        "sd": np.where(ok, sd, np.nan).ravel(),
        "r_drop": np.where(ok & ~constant, derived["r_drop"], np.nan).ravel(),
        "r_total": np.where(ok & ~constant, derived["r_total"], np.nan).ravel(),
        "alpha_if_dropped": np.where(ok, derived["alpha_if_dropped"], np.nan).ravel(),
    }
    low, high = fisher_z_interval(columns["r_drop"], columns["n"], level)
    columns.update(r_drop_ci_low=low, r_drop_ci_high=high, r_drop_flag=item_total_flag(low, high))
    item_index = pd.Index(names, name=C.ITEM)
    if labels is None:
        index: pd.Index = item_index
    else:
        index = pd.MultiIndex.from_product([labels, item_index])
    return pd.DataFrame(columns, index=index)


def scale_scores(
    data: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = C.COHORT_ID,
    dimension: str = C.DIMENSION,
    score: str = C.SCORE,
    scale_max: str = C.SCALE_MAX,
    participant: str = C.PARTICIPANT_ID,
    top_box: int = C.TOP_BOX,
    ci: float = 0.95,
) -> pd.DataFrame:
    """Per-dimension scale scores of the reaction survey: mean, CI, % top-box and POMP.

    Each participant's score on a dimension is the mean of their answered items of
    that dimension; the scale score is the mean of those participant scores.

    Parameters
    ----------
    data : DataFrame
        The long ``reaction`` table (one row per participant x item), see
        docs/data-model.md.
    by : str, list of str or None, default ``"cohort_id"``
        Column(s) to group by besides the dimension; None for one result per dimension.
    dimension, score, scale_max, participant : str
        Column names (defaults from :mod:`evalkit.constants`).
    top_box : int, default 2
        Number of top categories counted as favourable (2 = top-two-box: 4 and 5 on a
        5-point scale, 3 and 4 on a 4-point scale).
    ci : float, default 0.95
        Confidence level of the t interval of the mean.

    Returns
    -------
    pandas.DataFrame
        Indexed by the ``by`` columns and ``dimension``, columns ``n`` (participants),
        ``n_responses`` (answered items), ``mean``, ``sd`` (of participant scores),
        ``ci_low, ci_high`` (t interval), ``pct_top_box`` (% of responses in the top
        ``top_box`` categories), ``scale_max``, ``pomp, pomp_ci_low, pomp_ci_high``
        (the mean and its interval as percent of maximum possible, 0-100:
        ``(mean - 1) / (scale_max - 1) x 100``, comparable across 4- and 5-point
        scales) and ``pct_of_max`` (mean / scale_max x 100, the former "index", whose
        floor is 20 on a 1-5 scale and 25 on a 1-4 scale).

    Raises
    ------
    ParameterError
        Missing columns, empty table, non-numeric scores, a dimension whose items have
        different ``scale_max`` within a group, scores outside 1..scale_max, bad
        ``top_box`` or ``ci``.

    Warns
    -----
    EvalkitWarning
        Groups with fewer than 2 participants (sd and CI NaN).

    Notes
    -----
    :math:`\\bar y \\pm t_{1-\\gamma/2,\\,n-1}\\, s/\\sqrt n` over participant scores;
    POMP :math:`= 100\\,(\\bar y - 1)/(\\max - 1)` (Cohen, Cohen, Aiken & West 1999,
    :func:`evalkit.pomp`), a linear map, so its interval is the mapped t interval;
    ``pct_of_max`` :math:`= 100\\,\\bar y / \\max`. All groups are computed with one
    pandas group-by per step.

    Validated against R 4 ``t.test`` of participant means of ``psych::bfi`` items
    (first 300 rows, A2-A5 as one dimension and C1-C4 as another, by gender) and
    ``mean(score >= 5)`` for the top-two-box (``tests/reference/level12.R``),
    agreement better than 1e-9 relative.

    Examples
    --------
    >>> import pandas as pd
    >>> from evalkit.metrics.reaction import scale_scores
    >>> long = pd.DataFrame({
    ...     "cohort_id": ["K1"] * 6, "participant_id": ["a", "a", "b", "b", "c", "c"],
    ...     "item": ["m1", "m2"] * 3, "dimension": ["content"] * 6,
    ...     "score": [4.0, 5, 3, 4, 5, 5], "scale_max": [5] * 6})
    >>> scale_scores(long)[["n", "mean", "pct_top_box", "pomp", "pct_of_max"]].round(2)
    ... # doctest: +NORMALIZE_WHITESPACE
                          n  mean  pct_top_box   pomp  pct_of_max
    cohort_id dimension
    K1        content   3.0  4.33        83.33  83.33       86.67
    """
    func = "scale_scores"
    level = check_ci(func, ci, say_number=True)
    require_frame(func, data, "data", "the long reaction DataFrame")
    by_cols = by_list(by)
    require_named_columns(
        func,
        data,
        [("by", c) for c in by_cols]
        + [
            ("dimension", dimension),
            ("score", score),
            ("scale_max", scale_max),
            ("participant", participant),
        ],
    )
    if isinstance(top_box, bool) or not isinstance(top_box, int | np.integer) or top_box < 1:
        raise ParameterError(
            f"{func}: parameter 'top_box' must be an integer >= 1, got {top_box!r}"
        )
    if len(data) == 0:
        raise ParameterError(f"{func}: parameter 'data' is empty; at least one response is needed")

    values = numeric_column(func, score, data[score])
    maxima = numeric_column(func, scale_max, data[scale_max])
    keys = by_cols + [dimension]
    frame = data[keys + [participant]].copy()
    frame["_score"], frame["_max"] = values, maxima
    frame = frame[~np.isnan(values)]
    if len(frame) == 0:
        raise ParameterError(f"{func}: column {score!r} has no non-missing value")
    frame["_top"] = (frame["_score"] > frame["_max"] - top_box).astype(float)
    responses = frame.groupby(keys, sort=True, observed=True).agg(
        n_responses=("_score", "size"),
        top=("_top", "mean"),
        max_low=("_max", "min"),
        max_high=("_max", "max"),
    )
    mixed = responses["max_low"] != responses["max_high"]
    if mixed.any():
        raise ParameterError(
            f"{func}: column {scale_max!r} must be the same for every item of a dimension; "
            f"group {show(mixed.index[mixed.to_numpy()][0])} mixes {responses['max_low'][mixed].iloc[0]:g} "
            f"and {responses['max_high'][mixed].iloc[0]:g}"
        )
    out_of_range = (frame["_score"] < 1) | (frame["_score"] > frame["_max"])
    if out_of_range.any():
        row = frame[out_of_range].iloc[0]
        raise ParameterError(
            f"{func}: column {score!r} must lie between 1 and the item's {scale_max!r}, got "
            f"{show(row['_score'])} (row {show(frame.index[out_of_range.to_numpy()][0])}, "
            f"{scale_max} {show(row['_max'])})"
        )
    people = frame.groupby(keys + [participant], sort=True, observed=True)["_score"].mean()
    summary = people.groupby(level=list(range(len(keys))), sort=True).agg(["size", "mean", "std"])
    summary.index.names = keys
    n = summary["size"].to_numpy(dtype=float)
    mean = summary["mean"].to_numpy()
    sd = summary["std"].to_numpy()
    small = n < 2
    if small.any():
        warn(func, f"{int(small.sum())} group(s) have fewer than 2 participants; sd and CI are NaN")
    with np.errstate(invalid="ignore"):
        half = stats.t.ppf(0.5 + level / 2, n - 1) * sd / np.sqrt(n)
    top_max = responses["max_low"].reindex(summary.index).to_numpy()
    ci_low, ci_high = mean - half, mean + half
    return pd.DataFrame(
        {
            "n": n,
            "n_responses": responses["n_responses"].reindex(summary.index).to_numpy(dtype=float),
            "mean": mean,
            "sd": sd,
            "ci_low": ci_low,
            "ci_high": ci_high,
            "pct_top_box": 100 * responses["top"].reindex(summary.index).to_numpy(),
            "scale_max": top_max,
            "pomp": pomp(mean, minimum=SCALE_MIN, maximum=top_max),
            "pomp_ci_low": pomp(ci_low, minimum=SCALE_MIN, maximum=top_max),
            "pomp_ci_high": pomp(ci_high, minimum=SCALE_MIN, maximum=top_max),
            "pct_of_max": 100 * mean / top_max,
        },
        index=summary.index,
    )


def _check_answers(
    func: str, answers: Any, score: str, scale_max: str, floor: float, must: str
) -> None:
    """A frame of numeric answers whose scale maxima all lie above ``floor`` (``must``)."""
    require_frame(func, answers, "answers")
    require_named_columns(func, answers, (("score", score), ("scale_max", scale_max)))
    require_numeric(func, answers[score], score, bools=False, of="answers")
    maxima = require_numeric(func, answers[scale_max], scale_max, bools=False, of="answers")
    if (maxima <= floor).any():
        bad = maxima[maxima <= floor].iloc[0]
        raise ParameterError(
            f"{func}: column {scale_max!r} of answers must be {must}, got {show(bad)}"
        )


def percent_of_max(
    answers: pd.DataFrame, *, score: str = C.SCORE, scale_max: str = C.SCALE_MAX
) -> pd.DataFrame:
    """Likert answers as a percentage of their scale's maximum (0-100).

    Puts surveys answered on scales of different length (e.g. 4- and 5-point) on one
    0-100 scale, so that their answers can be pooled or compared: each answer becomes
    ``100 x score / scale_max`` and ``scale_max`` becomes 100. The result goes straight
    into :func:`scale_scores` (whose ``pct_of_max`` is the same percentage of a mean).
    For a 0-100 scale whose floor is 0 on every scale, use ``pomp`` of
    :func:`scale_scores`, or :func:`pomp_answers` to pool answers of several scales.

    Parameters
    ----------
    answers : DataFrame
        Long answers, one row per answer (e.g. the ``reaction`` table).
    score, scale_max : str
        Columns of the answer and of its scale's maximum.

    Returns
    -------
    DataFrame
        A copy of ``answers`` with ``score`` rescaled and ``scale_max`` set to 100.

    Raises
    ------
    ParameterError
        Missing or non-numeric columns, a scale maximum that is not positive.

    Notes
    -----
    The percentage of the maximum keeps 0 at 0, so on a 1-5 scale the answers become
    20-100 and on a 1-4 scale 25-100. It is not POMP in the strict sense of Cohen et
    al. (1999), ``100 x (x - min) / (max - min)``, which would map both minima to 0.

    References
    ----------
    Cohen, P., Cohen, J., Aiken, L. S., & West, S. G. (1999). The problem of units and
    the circumstance for POMP. *Multivariate Behavioral Research*, 34(3), 315-346.

    Examples
    --------
    >>> import pandas as pd
    >>> answers = pd.DataFrame({"score": [4, 5, 3], "scale_max": [5, 5, 4]})
    >>> percent_of_max(answers)[["score", "scale_max"]].to_dict("list")
    {'score': [80.0, 100.0, 75.0], 'scale_max': [100, 100, 100]}
    """
    _check_answers("percent_of_max", answers, score, scale_max, 0, "positive")
    return answers.assign(**{score: 100 * answers[score] / answers[scale_max], scale_max: 100})


def pomp_answers(
    answers: pd.DataFrame, *, score: str = C.SCORE, scale_max: str = C.SCALE_MAX
) -> pd.DataFrame:
    """Likert answers on POMP 0-100: 0 the scale's lowest answer (1), 100 its highest.

    Puts surveys answered on scales of different length (e.g. 4- and 5-point) on the
    0-100 scale of the cohort reports' ``pomp`` (:func:`scale_scores`): each answer
    becomes ``100 x (score - 1) / (scale_max - 1)`` (:func:`evalkit.pomp`, the lowest
    answer being :data:`SCALE_MIN`) and ``scale_max`` becomes 100. The mean of the
    rescaled answers is the POMP of the mean for one scale, and pools several scales on
    one index (e.g. with :func:`evalkit.clustered_means`; :func:`scale_scores` takes
    answers from 1, for one scale its ``pomp`` is the same number). Unlike
    :func:`percent_of_max` (``100 x score / scale_max``, whose floor is 20 on a 1-5 scale
    and 25 on a 1-4 scale), both scales' lowest answers map to 0.

    Parameters
    ----------
    answers : DataFrame
        Long answers, one row per answer (e.g. the ``reaction`` table).
    score, scale_max : str
        Columns of the answer and of its scale's maximum.

    Returns
    -------
    DataFrame
        A copy of ``answers`` with ``score`` on 0-100 and ``scale_max`` set to 100. An
        answer outside 1 to ``scale_max`` stays outside 0-100, not clipped.

    Raises
    ------
    ParameterError
        Missing or non-numeric columns, a scale maximum not above 1.

    References
    ----------
    Cohen, P., Cohen, J., Aiken, L. S., & West, S. G. (1999). The problem of units and
    the circumstance for POMP. *Multivariate Behavioral Research*, 34(3), 315-346.

    Examples
    --------
    >>> import pandas as pd
    >>> answers = pd.DataFrame({"score": [4, 5, 1, 3], "scale_max": [5, 5, 4, 4]})
    >>> pomp_answers(answers)["score"].round(2).tolist()
    [75.0, 100.0, 0.0, 66.67]
    """
    above = f"above the lowest answer {SCALE_MIN}"
    _check_answers("pomp_answers", answers, score, scale_max, SCALE_MIN, above)
    on_100 = pomp(answers[score], minimum=SCALE_MIN, maximum=answers[scale_max])
    return answers.assign(**{score: on_100, scale_max: 100})
