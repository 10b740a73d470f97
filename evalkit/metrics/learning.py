"""Level 2, learning: pre/post change, normalised gain, pass rates, test items, ANCOVA.

The cohort-level metrics take ``by=`` and compute every cohort in one vectorised pass
(grouped sums with ``bincount``; the Wilcoxon ranks within cohorts from one sort), giving
the same numbers as one call per cohort.

Examples
--------
>>> from evalkit.metrics.learning import normalized_gain
>>> normalized_gain([40.0, 60, 90], [70.0, 80, 85], max_score=100).round(3).tolist()
[0.5, 0.5, -0.5]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from scipy.optimize import elementwise

from evalkit import constants as C
from evalkit.errors import ParameterError
from evalkit.metrics._grouped import band, group_codes, group_sum, hedges_j, wilson
from evalkit.metrics._validate import (
    check_ci,
    numeric_array,
    numeric_column,
    require_frame,
    require_named_columns,
    show,
    warn,
)

__all__ = [
    "ancova",
    "clustered_change",
    "hake_band",
    "normalized_gain",
    "paired_change",
    "pass_rate",
]


def hake_band(g: Any) -> pd.Series:
    """Hake's band of a normalised gain: ``"low"`` (< .3), ``"medium"`` (< .7) or ``"high"``.

    Parameters
    ----------
    g : float, Series or array-like
        Normalised gains (class-average or individual).

    Returns
    -------
    pandas.Series
        Labels (object dtype; NaN where g is NaN), named ``hake_band``; bands from
        ``evalkit.constants.HAKE_BANDS``.

    References
    ----------
    Hake, R. R. (1998). Interactive-engagement versus traditional methods.
    *American Journal of Physics* 66, 64-74.

    Examples
    --------
    >>> from evalkit.metrics.learning import hake_band
    >>> hake_band([0.1, 0.3, 0.69, 0.7, float("nan")]).tolist()
    ['low', 'medium', 'medium', 'high', nan]
    """
    index = g.index if isinstance(g, pd.Series) else None
    values = numeric_array("hake_band", "g", np.atleast_1d(g) if np.ndim(g) == 0 else g)
    return pd.Series(band(values, C.HAKE_BANDS), index=index, name="hake_band")


def _max_array(func: str, max_score: Any, n: int) -> np.ndarray:
    """``max_score`` as a float array of length n (scalar broadcast), checked > 0."""
    if np.ndim(max_score) == 0:
        try:
            value = float(max_score)
        except (TypeError, ValueError):
            raise ParameterError(
                f"{func}: parameter 'max_score' must be a positive number, got {max_score!r}"
            ) from None
        maxima = np.full(n, value)
    else:
        maxima = numeric_array(func, "max_score", max_score)
        if len(maxima) != n:
            raise ParameterError(
                f"{func}: parameter 'max_score' must be one number or one per pair ({n}), "
                f"got {len(maxima)}"
            )
    bad = ~(maxima > 0)
    if bad.any():
        raise ParameterError(
            f"{func}: parameter 'max_score' must be positive, got {show(maxima[bad][0])}"
        )
    return maxima


def _pair(func: str, pre: Any, post: Any) -> tuple[np.ndarray, np.ndarray, pd.Index | None]:
    """Float arrays of pre and post of equal length (index of ``pre`` if a Series)."""
    a = numeric_array(func, "pre", pre)
    b = numeric_array(func, "post", post)
    if len(a) != len(b):
        raise ParameterError(
            f"{func}: parameters 'pre' and 'post' must have the same length (one pair per "
            f"participant), got {len(a)} and {len(b)}"
        )
    if len(a) == 0:
        raise ParameterError(f"{func}: parameters 'pre' and 'post' are empty")
    index = pre.index if isinstance(pre, pd.Series) else None
    return a, b, index


def _check_range(
    func: str, a: np.ndarray, b: np.ndarray, maxima: np.ndarray, keep: np.ndarray | None = None
) -> None:
    """Refuse the first pre, then post, score above its maximum (position in the input).

    ``keep`` (optional) marks the pairs that are analysed; the others are not checked.
    """
    for name, values in (("pre", a), ("post", b)):
        over = values > maxima if keep is None else keep & (values > maxima)
        if over.any():
            i = int(np.flatnonzero(over)[0])
            raise ParameterError(
                f"{func}: parameter {name!r} must not exceed max_score, got {show(values[i])} > "
                f"{show(maxima[i])} at position {i}"
            )


def normalized_gain(pre: Any, post: Any, max_score: Any) -> pd.Series:
    """Hake's normalised gain of each participant, g = (post - pre) / (max - pre).

    Parameters
    ----------
    pre, post : Series or array-like of numbers
        Test scores, one per participant (missing allowed: g is NaN).
    max_score : float or array-like
        Maximum attainable score (one number, or one per participant).

    Returns
    -------
    pandas.Series
        ``hake_g`` per participant (index of ``pre`` if a Series); NaN where pre is
        already at the maximum (no room to gain) or a score is missing.

    Raises
    ------
    ParameterError
        Mismatched lengths, empty input, non-numeric scores, max_score not positive,
        a score above max_score.

    Warns
    -----
    EvalkitWarning
        Participants whose pre score is at the maximum (their g is NaN).

    Notes
    -----
    :math:`g_i = (post_i - pre_i) / (max - pre_i)`; negative when the score fell. The
    class-average gain :math:`\\langle g \\rangle = (\\overline{post} - \\overline{pre}) /
    (max - \\overline{pre})` is ``paired_change(...)["hake_g"]``. Validated against the
    formula evaluated in R 4 (``tests/reference/level12.R``).

    References
    ----------
    Hake, R. R. (1998). Interactive-engagement versus traditional methods.
    *American Journal of Physics* 66, 64-74.

    Examples
    --------
    >>> from evalkit.metrics.learning import normalized_gain
    >>> normalized_gain([40.0, 50, 80], [70.0, 45, 90], max_score=100).round(3).tolist()
    [0.5, -0.1, 0.5]
    """
    func = "normalized_gain"
    a, b, index = _pair(func, pre, post)
    maxima = _max_array(func, max_score, len(a))
    _check_range(func, a, b, maxima)
    at_max = a == maxima
    if at_max.any():
        warn(func, f"{int(at_max.sum())} participant(s) with pre at max_score get NaN")
    with np.errstate(invalid="ignore", divide="ignore"):
        g = np.where(at_max, np.nan, (b - a) / (maxima - a))
    return pd.Series(g, index=index, name="hake_g")


def pass_rate(
    scores: Any, threshold: float, *, by: Any = None, ci: float = 0.95
) -> pd.Series | pd.DataFrame:
    """Share of participants scoring at or above a threshold, with the Wilson interval.

    Parameters
    ----------
    scores : Series or array-like of numbers
        Scores (e.g. post-test); missing values are left out.
    threshold : float
        Passing score (a score equal to it passes).
    by : Series or array-like, optional
        Groups aligned to ``scores`` (e.g. ``cohort_id``).
    ci : float, default 0.95
        Confidence level of the Wilson score interval.

    Returns
    -------
    pandas.Series or pandas.DataFrame
        ``n, n_pass, pass_rate, ci_low, ci_high``; with ``by=``, one row per group.

    Raises
    ------
    ParameterError
        Empty or non-numeric scores, a non-numeric threshold, ``ci`` outside (0, 1).

    Warns
    -----
    EvalkitWarning
        Groups without any score (NaN).

    Notes
    -----
    Wilson (1927): :math:`\\frac{\\hat p + z^2/2n \\pm z\\sqrt{\\hat p(1-\\hat p)/n +
    z^2/4n^2}}{1 + z^2/n}`. Validated against R 4 ``prop.test(x, n, correct = FALSE)``
    (``tests/reference/level12.R``), agreement better than 1e-9 relative.

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
    inference. *JASA* 22, 209-212.

    Examples
    --------
    ``prop.test(7, 10, correct = FALSE)$conf.int`` is 0.3967781 to 0.8922087:

    >>> from evalkit.metrics.learning import pass_rate
    >>> pass_rate([55, 70, 80, 65, 90, 72, 40, 85, 77, 60], 65).round(7).tolist()
    [10.0, 7.0, 0.7, 0.3967781, 0.8922087]
    """
    func = "pass_rate"
    level = check_ci(func, ci, say_number=True)
    values = numeric_array(func, "scores", scores)
    if len(values) == 0:
        raise ParameterError(f"{func}: parameter 'scores' is empty")
    try:
        cut = float(threshold)
    except (TypeError, ValueError):
        raise ParameterError(
            f"{func}: parameter 'threshold' must be a number, got {threshold!r}"
        ) from None
    index = scores.index if isinstance(scores, pd.Series) else None
    codes, labels = group_codes(func, by, len(values), index)
    keep = (codes >= 0) & ~np.isnan(values)
    codes, values = codes[keep], values[keep]
    n_groups = 1 if labels is None else len(labels)
    n = np.bincount(codes, minlength=n_groups).astype(float)
    if labels is None and n[0] == 0:
        raise ParameterError(f"{func}: parameter 'scores' has no non-missing value")
    if (n == 0).any():
        warn(func, f"{int((n == 0).sum())} group(s) have no score; their rate is NaN")
    n_pass = np.bincount(codes, weights=(values >= cut).astype(float), minlength=n_groups)
    ci_low, ci_high = wilson(n_pass, n, level)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = n_pass / n
    out = pd.DataFrame(
        {
            "n": n,
            "n_pass": n_pass,
            "pass_rate": p,
            "ci_low": ci_low,
            "ci_high": ci_high,
        },
        index=labels,
    )
    return out.iloc[0].rename("pass_rate") if labels is None else out


def _signed_rank(diff: np.ndarray, codes: np.ndarray, n_groups: int) -> dict[str, np.ndarray]:
    """Wilcoxon signed-rank V (sum of positive ranks), z and p for every group at once.

    Zero differences are dropped (Wilcoxon's method); ranks of |d| are averaged over
    ties within each group, found from one lexicographic sort (group, |d|).
    """
    nonzero = diff != 0
    d, g = diff[nonzero], codes[nonzero]
    n = np.bincount(g, minlength=n_groups).astype(float)
    out = {"n": n}
    if len(d) == 0:
        nan = np.full(n_groups, np.nan)
        return out | {"v": nan, "z": nan, "p": nan}
    size = np.abs(d)
    order = np.lexsort((size, g))
    g_sorted, size_sorted, positive = g[order], size[order], d[order] > 0
    first = np.concatenate(([0.0], np.cumsum(n)[:-1]))
    position = np.arange(len(d)) - first[g_sorted]  # 0-based rank within group
    new_run = np.ones(len(d), dtype=bool)
    new_run[1:] = (g_sorted[1:] != g_sorted[:-1]) | (size_sorted[1:] != size_sorted[:-1])
    run = np.cumsum(new_run) - 1
    run_length = np.bincount(run).astype(float)
    mid_rank = position[new_run] + (run_length + 1) / 2
    ranks = mid_rank[run]
    v = np.bincount(g_sorted, weights=ranks * positive, minlength=n_groups)
    ties = np.bincount(g_sorted[new_run], weights=run_length**3 - run_length, minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (v - n * (n + 1) / 4) / np.sqrt(n * (n + 1) * (2 * n + 1) / 24 - ties / 48)
    empty = n == 0
    v[empty] = np.nan
    z[empty] = np.nan
    return out | {"v": v, "z": z, "p": 2 * stats.norm.sf(np.abs(z))}


def _ncp_interval(t: np.ndarray, df: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Confidence limits of the noncentrality parameter of a t statistic (vectorised).

    Solves ``nct.cdf(t, df, ncp) = 1 - gamma/2`` (lower) and ``gamma/2`` (upper) with
    Chandrupatla's method, every group at once.
    """
    low = np.full(len(t), np.nan)
    high = np.full(len(t), np.nan)
    ok = np.isfinite(t)  # NaN below 2 pairs, so df >= 1
    if not ok.any():
        return low, high
    tt, dd = t[ok], df[ok]

    def gap(ncp: np.ndarray, t_: np.ndarray, df_: np.ndarray, target: np.ndarray) -> np.ndarray:
        cdf = np.asarray(stats.nct.cdf(t_, df_, ncp), dtype=float)
        # scipy's nct.cdf is NaN on part of the way to the root at 1 df (t = 60: ncp from
        # -90 to -9, where it is 1 to about 15 digits); its sf is finite there: 1 - sf
        bad = np.isnan(cdf)
        if bad.any():
            t_, df_, ncp = np.broadcast_arrays(t_, df_, ncp)
            cdf[bad] = 1 - stats.nct.sf(t_[bad], df_[bad], ncp[bad])
        return cdf - target

    tol = {"xatol": 1e-12, "xrtol": 1e-12, "fatol": 0.0, "frtol": 0.0}
    spread = np.sqrt(1 + tt**2 / (2 * dd))  # normal approximation of the sd of t
    for out, target in ((low, 0.5 + level / 2), (high, 0.5 - level / 2)):
        targets = np.full(len(tt), target)
        guess = tt - stats.norm.ppf(target) * spread
        bracket = elementwise.bracket_root(
            gap, guess - 0.15 * spread, guess + 0.15 * spread, args=(tt, dd, targets)
        )
        root = elementwise.find_root(gap, bracket.bracket, args=(tt, dd, targets), tolerances=tol)
        out[ok] = np.where(bracket.success & root.success, root.x, np.nan)
    return low, high


def _hake_gains(
    func: str,
    a: np.ndarray,
    b: np.ndarray,
    maxima: np.ndarray,
    codes: np.ndarray,
    labels: Any,
    mean_pre: np.ndarray,
    mean_diff: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Hake's g of the group means and the mean of individual gains, per group.

    ``maxima`` must be constant within a group (a :class:`ParameterError` names the
    first group where it is not); people already at the maximum are left out of the
    mean of individual gains.
    """
    n_groups = len(mean_pre)
    diff = b - a
    spread = pd.Series(maxima).groupby(codes).agg(["min", "max"])
    varying = spread["min"] != spread["max"]
    if varying.any():
        where = "" if labels is None else f" in group {show(labels[spread.index[varying][0]])}"
        raise ParameterError(
            f"{func}: parameter 'max_score' must be constant within a group{where}, got "
            f"{show(spread['min'][varying].iloc[0])} and {show(spread['max'][varying].iloc[0])}"
        )
    group_max = np.full(n_groups, np.nan)
    group_max[spread.index.to_numpy()] = spread["min"].to_numpy()
    room = a < maxima
    with np.errstate(invalid="ignore", divide="ignore"):
        hake = np.where(mean_pre < group_max, mean_diff / (group_max - mean_pre), np.nan)
        gains = np.where(room, diff / (maxima - a), 0.0)
        hake_mean = group_sum(codes, gains, n_groups) / np.bincount(
            codes, weights=room.astype(float), minlength=n_groups
        )
    return hake, hake_mean


def paired_change(
    pre: Any, post: Any, max_score: Any = None, by: Any = None, *, ci: float = 0.95
) -> pd.Series | pd.DataFrame:
    """Pre/post change: paired t, Wilcoxon signed-rank, effect sizes and Hake's gain.

    Parameters
    ----------
    pre, post : Series or array-like of numbers
        Scores of the same participants before and after training. Pairs with a
        missing score are left out.
    max_score : float or array-like, optional
        Maximum attainable score, for the class-average normalised gain (constant
        within a group). Without it ``hake_g`` and ``hake_g_mean`` are NaN.
    by : Series or array-like, optional
        Groups aligned to the pairs (e.g. ``learning["cohort_id"]``).
    ci : float, default 0.95
        Confidence level of the mean-difference and Hedges' g intervals.

    Returns
    -------
    pandas.Series or pandas.DataFrame
        Differences are post - pre. Columns ``n`` (complete pairs), ``mean_pre,
        mean_post, mean_diff, sd_diff, t, df, p, ci_low, ci_high`` (paired t and the
        interval of the mean difference), ``d_z`` (mean_diff / sd_diff), ``d_av``
        (mean_diff over the average SD of pre and post), ``hedges_g`` (d_av times
        J(n - 1)) with ``hedges_g_ci_low, hedges_g_ci_high``, ``wilcoxon_n`` (non-zero
        differences), ``wilcoxon_w`` (V, the sum of ranks of positive differences, as
        R reports it), ``wilcoxon_z, wilcoxon_p``, ``hake_g`` (class-average gain; its
        band is ``hake_band(result["hake_g"])``) and ``hake_g_mean`` (mean of the
        individual gains of participants below the maximum). With ``by=``, a DataFrame
        indexed by group.

    Raises
    ------
    ParameterError
        Mismatched lengths of pre/post (or ``by``/``max_score``), empty or non-numeric
        input, a score above ``max_score``, ``max_score`` varying within a group;
        without ``by``: fewer than 2 complete pairs.

    Warns
    -----
    EvalkitWarning
        Groups with fewer than 2 pairs; identical differences (sd_diff = 0: t, p and
        d_z NaN); no non-zero difference (Wilcoxon NaN).

    Notes
    -----
    Paired t: :math:`t = \\bar d / (s_d/\\sqrt n)`, df = n - 1. Effect sizes (Lakens
    2013): :math:`d_z = \\bar d / s_d`, :math:`d_{av} = \\bar d / \\sqrt{(s_{pre}^2 +
    s_{post}^2)/2}`, :math:`g = J(n-1)\\, d_{av}` with the exact
    :math:`J(m) = \\Gamma(m/2)/[\\sqrt{m/2}\\,\\Gamma((m-1)/2)]`. The interval of g is
    Algina & Keselman's (2003): the exact noncentral-t limits :math:`\\lambda` of the
    paired t, rescaled as :math:`J\\,\\lambda\\, s_d / (\\sqrt n\\, s_{av})`.

    Wilcoxon signed-rank: zero differences dropped, mid-ranks for ties, normal
    approximation with the tie correction and **no** continuity correction, always
    (also for small n, where an exact test would be preferred):
    :math:`z = (V - n(n+1)/4) / \\sqrt{n(n+1)(2n+1)/24 - \\sum(t^3-t)/48}`. This is R's
    ``wilcox.test(post, pre, paired = TRUE, exact = FALSE, correct = FALSE)`` and SciPy's
    ``wilcoxon(post - pre, method="approx", zero_method="wilcox", correction=False)``
    (SciPy reports min(V, n(n+1)/2 - V) as its statistic; the p-value is the same).

    Hake's class-average gain :math:`\\langle g\\rangle = (\\overline{post} -
    \\overline{pre}) / (max - \\overline{pre})`, banded by ``constants.HAKE_BANDS``.

    Validated against R 4 ``t.test(Postwt, Prewt, paired = TRUE)`` and ``wilcox.test``
    on ``MASS::anorexia`` (overall and by ``Treat``), on ``sleep``, the Hedges' g
    interval against ``uniroot`` on R's noncentral ``pt``, and against SciPy's
    ``wilcoxon`` (``tests/reference/level12.R``); agreement better than 1e-9 relative.

    References
    ----------
    Lakens, D. (2013). Calculating and reporting effect sizes to facilitate cumulative
    science. *Frontiers in Psychology* 4, 863.
    Algina, J., & Keselman, H. J. (2003). Approximate confidence intervals for effect
    sizes. *Educational and Psychological Measurement* 63, 537-553.
    Hake, R. R. (1998). *American Journal of Physics* 66, 64-74.

    Examples
    --------
    R's ``sleep`` data as pre (drug 1) and post (drug 2):
    ``t.test(post, pre, paired = TRUE)`` gives t = 4.062128, df = 9, p = 0.002832890.

    >>> from evalkit.metrics.learning import paired_change
    >>> pre = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
    >>> post = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
    >>> paired_change(pre, post)[["n", "mean_diff", "t", "p", "wilcoxon_w"]].round(6).tolist()
    [10.0, 1.58, 4.062128, 0.002833, 45.0]
    """
    func = "paired_change"
    level = check_ci(func, ci, say_number=True)
    a, b, index = _pair(func, pre, post)
    codes, labels = group_codes(func, by, len(a), index)
    maxima = None if max_score is None else _max_array(func, max_score, len(a))
    keep = (codes >= 0) & ~np.isnan(a) & ~np.isnan(b)
    if maxima is not None:  # positions in the input (they were counted among the kept pairs)
        _check_range(func, a, b, maxima, keep)
    a, b, codes = a[keep], b[keep], codes[keep]
    n_groups = 1 if labels is None else len(labels)
    n = np.bincount(codes, minlength=n_groups).astype(float)
    if labels is None and n[0] < 2:
        raise ParameterError(f"{func}: needs at least 2 complete pre/post pairs, got {int(n[0])}")
    small = n < 2
    if small.any():
        warn(func, f"{int(small.sum())} group(s) have fewer than 2 complete pairs; NaN there")
    diff = b - a
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_pre = group_sum(codes, a, n_groups) / n
        mean_post = group_sum(codes, b, n_groups) / n
        mean_diff = mean_post - mean_pre
        var_pre = group_sum(codes, (a - mean_pre[codes]) ** 2, n_groups) / (n - 1)
        var_post = group_sum(codes, (b - mean_post[codes]) ** 2, n_groups) / (n - 1)
        sd_diff = np.sqrt(group_sum(codes, (diff - mean_diff[codes]) ** 2, n_groups) / (n - 1))
        df = n - 1
        se = sd_diff / np.sqrt(n)
        flat = ~small & (sd_diff == 0)
        if flat.any():
            warn(func, f"{int(flat.sum())} group(s) have identical differences; t and d_z NaN")
        se = np.where(flat | small, np.nan, se)
        t = mean_diff / se
        half = stats.t.ppf(0.5 + level / 2, df) * se
        d_z = mean_diff / np.where(flat, np.nan, sd_diff)
        # no spread in pre and post (or one that underflows): d_av, g and g's interval NaN
        sd_av = np.sqrt((var_pre + var_post) / 2)
        sd_av = np.where(sd_av == 0, np.nan, sd_av)
        d_av = mean_diff / sd_av
        j = hedges_j(df)
        ncp_low, ncp_high = _ncp_interval(t, df, level)
        scale = j * sd_diff / (np.sqrt(n) * sd_av)
    rank = _signed_rank(diff, codes, n_groups)
    no_rank = ~small & (rank["n"] == 0)
    if no_rank.any():
        warn(func, f"{int(no_rank.sum())} group(s) have no non-zero difference; Wilcoxon NaN")
    hake, hake_mean = (
        (np.full(n_groups, np.nan), np.full(n_groups, np.nan))
        if maxima is None
        else _hake_gains(func, a, b, maxima[keep], codes, labels, mean_pre, mean_diff)
    )
    columns = {
        "n": n,
        "mean_pre": mean_pre,
        "mean_post": mean_post,
        "mean_diff": mean_diff,
        "sd_diff": sd_diff,
        "t": t,
        "df": df,
        "p": 2 * stats.t.sf(np.abs(t), df),
        "ci_low": mean_diff - half,
        "ci_high": mean_diff + half,
        "d_z": d_z,
        "d_av": d_av,
        "hedges_g": j * d_av,
        "hedges_g_ci_low": ncp_low * scale,
        "hedges_g_ci_high": ncp_high * scale,
        "wilcoxon_n": rank["n"],
        "wilcoxon_w": rank["v"],
        "wilcoxon_z": rank["z"],
        "wilcoxon_p": rank["p"],
        "hake_g": hake,
        "hake_g_mean": hake_mean,
    }
    out = pd.DataFrame(columns, index=labels)
    out.loc[small, out.columns.drop(["n", "mean_pre", "mean_post", "mean_diff", "hake_g"])] = np.nan
    return out.iloc[0].rename("paired_change") if labels is None else out


def clustered_change(
    pre: Any, post: Any, clusters: Any, max_score: Any = None, *, ci: float = 0.95
) -> pd.Series:
    r"""Pre/post change of people grouped in cohorts: person-level effects, cluster-robust CI.

    Pooling the participants of several cohorts, people of one cohort are alike (they
    share the training, the facilitator and the test), so their gains are not
    independent. This gives the person-level mean change and effect sizes with a
    cluster-robust (CR1) interval by cohort, instead of an effect size computed on
    cohort means (which measures how far cohorts differ, not how much people learned).

    Parameters
    ----------
    pre, post : Series or array-like of numbers
        Scores of the same people before and after training.
    clusters : Series or array-like
        Cohort of each pair. Pairs with a missing score or cohort are left out.
    max_score : float or array-like, optional
        Maximum score, for the class-average normalised gain ``hake_g``.
    ci : float, default 0.95
        Confidence level.

    Returns
    -------
    pandas.Series
        ``n, n_clusters, mean_pre, mean_post, mean_diff, sd_diff``, the CR1 ``se``,
        ``se_naive`` (sd / sqrt(n)), ``design_effect`` ((se / se_naive)^2), ``t, df``
        (clusters - 1), ``p, ci_low, ci_high``, ``d_z`` (mean_diff / sd_diff),
        ``hedges_g`` (J(n - 1) mean_diff / s_av, as :func:`paired_change`) with
        ``hedges_g_ci_low, hedges_g_ci_high`` (the CR1 interval of the mean change
        scaled by J / s_av), and ``hake_g``.

    Raises
    ------
    ParameterError
        As :func:`paired_change`; ``clusters`` of another length; fewer than 2 cohorts;
        the same change for every pair, or changes whose residuals cancel within each
        cohort (the cluster-robust se is 0: t and p undefined).

    Notes
    -----
    The mean change is the intercept of ``gain ~ 1`` with the CR1 variance
    :math:`\\frac{G}{G-1}\\sum_g (\\sum_{i\\in g} e_i)^2 / n^2` and t on G - 1 df
    (:func:`evalkit.metrics.clustered.clustered_means`). The interval of g treats
    :math:`s_{av}` as known (the SD is estimated from hundreds of people, the mean from
    a handful of cohorts). Validated against R 4 ``coeftest(lm(gain ~ 1),
    vcovCL(fit, cluster = ~cohort_id), df = G - 1)`` (``tests/reference/level3u.R``).

    Examples
    --------
    >>> from evalkit.metrics.learning import clustered_change
    >>> out = clustered_change([50.0, 60, 55, 40, 65, 70], [60.0, 65, 70, 50, 70, 80],
    ...                        ["a", "a", "b", "b", "c", "c"])
    >>> round(float(out["mean_diff"]), 4), int(out["n_clusters"]), int(out["df"])
    (9.1667, 3, 2)
    """
    func = "clustered_change"
    level = check_ci(func, ci, say_number=True)
    a, b, index = _pair(func, pre, post)
    labels = pd.Series(np.asarray(clusters, dtype=object))
    if len(labels) != len(a):
        raise ParameterError(
            f"{func}: parameter 'clusters' must have one cohort per pair ({len(a)}), got "
            f"{len(labels)}"
        )
    keep = ~np.isnan(a) & ~np.isnan(b) & labels.notna().to_numpy()
    maxima = None
    if max_score is not None:  # checked here, so that messages name this function
        maxima = _max_array(func, max_score, len(a))
        _check_range(func, a, b, maxima, keep)
        maxima = maxima[keep]
    codes, groups = pd.factorize(labels[keep])
    g = len(groups)
    if g < 2:
        raise ParameterError(f"{func}: needs pairs from at least 2 cohorts, got {g}")
    diff = b[keep] - a[keep]
    # As clustered_trend's: identical changes, or changes whose residuals cancel within
    # each cohort, leave the CR1 se 0 (it raised ZeroDivisionError, with paired_change's
    # warning); the second within rounding, relative to the naive se.
    if np.ptp(diff) == 0:
        raise ParameterError(
            f"{func}: every pair has the same change ({show(diff[0])}); se, t and p are undefined"
        )
    change = paired_change(a[keep], b[keep], maxima)  # its intervals are not used
    n = len(diff)
    mean = float(diff.mean())
    e_sum = np.bincount(codes, weights=diff - mean)
    se = float(np.sqrt(g / (g - 1) * (e_sum**2).sum()) / n)
    df = g - 1.0
    half = float(stats.t.ppf(0.5 + level / 2, df)) * se
    sd = float(change["sd_diff"])
    # g's interval is the CR1 interval times J(n - 1) / s_av (it was g / mean, NaN at a mean
    # change of exactly 0, where g is 0 and its interval is not)
    s_av = float(np.sqrt((a[keep].var(ddof=1) + b[keep].var(ddof=1)) / 2))
    scale = float(hedges_j(n - 1.0)) / s_av if s_av > 0 else np.nan
    se_naive = sd / np.sqrt(n)
    if se**2 <= 1e-12 * se_naive**2:
        raise ParameterError(
            f"{func}: the cluster-robust se of the mean change is 0 (the changes' residuals "
            "cancel within each cohort); t and p are undefined"
        )
    t = mean / se
    return pd.Series(
        {
            "n": float(n),
            "n_clusters": float(g),
            "mean_pre": float(change["mean_pre"]),
            "mean_post": float(change["mean_post"]),
            "mean_diff": mean,
            "sd_diff": sd,
            "se": se,
            "se_naive": se_naive,
            "design_effect": (se / se_naive) ** 2,
            "t": t,
            "df": df,
            "p": float(2 * stats.t.sf(abs(t), df)),
            "ci_low": mean - half,
            "ci_high": mean + half,
            "d_z": float(change["d_z"]),
            "hedges_g": float(change["hedges_g"]),
            "hedges_g_ci_low": (mean - half) * scale,
            "hedges_g_ci_high": (mean + half) * scale,
            "hake_g": float(change["hake_g"]),
        },
        name="clustered_change",
    )


def ancova(
    data: pd.DataFrame,
    *,
    group: str = C.DELIVERY,
    dv: str = C.POST,
    covariate: str = C.PRE,
) -> pd.DataFrame:
    """ANCOVA of the post-test on the pre-test and a grouping (e.g. delivery method).

    Parameters
    ----------
    data : DataFrame
        One row per participant.
    group : str, default ``"delivery"``
        Column of the groups compared (e.g. delivery method or facilitator type).
    dv : str, default ``"post"``
        Column of the outcome.
    covariate : str, default ``"pre"``
        Column of the covariate.

    Returns
    -------
    pandas.DataFrame
        Indexed by source (``covariate``, ``group``, ``"residual"``; index name
        ``source``), columns ``ss`` (type II sums of squares), ``df``, ``ms``, ``f``,
        ``p`` and ``partial_eta_sq`` (SS / (SS + SS_residual)).

    Raises
    ------
    ParameterError
        Missing or non-numeric columns, fewer than 2 groups, no residual degrees of
        freedom, a constant covariate or outcome, an outcome that the covariate and the
        groups fit exactly (no residual variation: F undefined).

    Notes
    -----
    Model :math:`post = \\beta_0 + \\beta_1 pre + \\sum_g \\tau_g + \\varepsilon` (common
    slope). Type II SS of a term = RSS of the model without it - RSS of the full model.
    Rows with a missing value are left out.

    Validated against R 4 ``car::Anova(lm(Postwt ~ Prewt + Treat, data =
    MASS::anorexia), type = 2)`` (``tests/reference/level12.R``), agreement better than
    1e-9 relative.

    References
    ----------
    Huitema, B. E. (2011). *The Analysis of Covariance and Alternatives*, 2nd ed. Wiley.

    Examples
    --------
    >>> import pandas as pd
    >>> from evalkit.metrics.learning import ancova
    >>> df = pd.DataFrame({"pre": [50.0, 60, 70, 55, 65, 75], "post": [60.0, 72, 80, 70, 79, 90],
    ...                    "delivery": ["klasikal"] * 3 + ["blended"] * 3})
    >>> ancova(df)[["df", "f"]].round(3)
    ... # doctest: +NORMALIZE_WHITESPACE
               df        f
    source
    pre       1.0  360.000
    delivery  1.0   19.749
    residual  3.0      NaN
    """
    func = "ancova"
    require_frame(func, data, "data")
    require_named_columns(func, data, (("group", group), ("dv", dv), ("covariate", covariate)))
    y = numeric_column(func, dv, data[dv])
    x = numeric_column(func, covariate, data[covariate])
    keep = ~np.isnan(y) & ~np.isnan(x) & data[group].notna().to_numpy()
    y, x = y[keep], x[keep]
    codes, labels = pd.factorize(data[group][keep], sort=True)
    k, n = len(labels), len(y)
    if k < 2:
        raise ParameterError(
            f"{func}: column {group!r} must hold at least 2 groups, got {list(labels)}"
        )
    df_resid = n - k - 1
    if df_resid < 1:
        raise ParameterError(
            f"{func}: needs more than {k + 1} complete rows for {k} groups and a covariate, got {n}"
        )
    if np.ptp(x) == 0:
        raise ParameterError(f"{func}: column {covariate!r} is constant; it cannot be a covariate")
    if np.ptp(y) == 0:
        raise ParameterError(f"{func}: column {dv!r} is constant; there is no variation to explain")
    dummies = (codes[:, None] == np.arange(1, k)[None, :]).astype(float)
    ones = np.ones((n, 1))

    def rss(design: np.ndarray) -> float:
        beta = np.linalg.lstsq(design, y, rcond=None)[0]
        return float(((y - design @ beta) ** 2).sum())

    rss_full = rss(np.column_stack([ones, x, dummies]))
    if rss_full <= 1e-12 * float(((y - y.mean()) ** 2).sum()):  # rounding noise, no residual
        raise ParameterError(
            f"{func}: column {dv!r} is an exact linear function of {covariate!r} and {group!r} "
            "(no residual variation); F and p are undefined"
        )
    ss_cov = rss(np.column_stack([ones, dummies])) - rss_full
    ss_group = rss(np.column_stack([ones, x])) - rss_full
    ss = np.array([ss_cov, ss_group, rss_full])
    df = np.array([1.0, k - 1.0, float(df_resid)])
    ms = ss / df
    with np.errstate(invalid="ignore", divide="ignore"):
        f = np.array([ms[0] / ms[2], ms[1] / ms[2], np.nan])
        eta = np.array([ss_cov / (ss_cov + rss_full), ss_group / (ss_group + rss_full), np.nan])
    return pd.DataFrame(
        {
            "ss": ss,
            "df": df,
            "ms": ms,
            "f": f,
            "p": stats.f.sf(f, df, df_resid),
            "partial_eta_sq": eta,
        },
        index=pd.Index([covariate, group, "residual"], name="source"),
    )


# The public name starts with "test_"; keep test runners from collecting it as a test.
