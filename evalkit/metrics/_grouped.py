"""Vectorised group machinery shared by the metric modules.

The cohort-level metrics compute every group in one pass: rows get integer group codes
(:func:`group_codes`, :func:`group_index`), sums within groups are one ``bincount`` or
one segmented ``np.add.reduceat`` per variable (:func:`group_sum`, :class:`Segments`),
never a loop over groups. The module also holds the small formulas several levels
share: the Wilson score interval, the lookup of a value's band, and Hedges' exact
small-sample correction J.

Examples
--------
>>> import numpy as np
>>> from evalkit.metrics._grouped import band, group_sum
>>> group_sum(np.array([0, 0, 1]), np.array([1.0, 2.0, 5.0]), 2).tolist()
[3.0, 5.0]
>>> band(np.array([0.1, 0.5, np.nan]), ((0.3, "high"), (float("-inf"), "low"))).tolist()
['low', 'high', nan]
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import special, stats

from evalkit.errors import ParameterError
from evalkit.metrics._validate import require_columns, require_named_columns, warn

__all__ = [
    "Segments",
    "as_result",
    "band",
    "by_columns",
    "by_list",
    "cluster_mean_cr2",
    "cluster_moments",
    "complete_sorted",
    "cr2_ols",
    "cr2_ols_gram",
    "group_codes",
    "group_index",
    "group_keys",
    "group_sum",
    "hedges_j",
    "htz_wald",
    "sort_rows",
    "wilson",
]


# --- which rows form a group -------------------------------------------------------------
def by_list(by: Any) -> list:
    """The grouping columns of ``by=`` as a list: None -> [], one name -> [name]."""
    if by is None:
        return []
    if isinstance(by, str) or not isinstance(by, Iterable):
        return [by]
    return list(by)


def by_columns(func: str, by: Any, data: Any, param: str) -> list:
    """:func:`by_list`, after checking that the table ``param`` holds every column."""
    names = by_list(by)
    if by is not None:
        require_columns(func, data, names, param)
    return names


def group_keys(func: str, data: pd.DataFrame, by: Any) -> list[pd.Series]:
    """Keys for ``DataFrame.groupby`` from column name(s) or a Series aligned to the rows."""
    if isinstance(by, pd.Series):
        if len(by) != len(data) or not by.index.equals(data.index):
            raise ParameterError(
                f"{func}: parameter 'by' as a Series must have the index of the data "
                f"({len(data)} rows), got {len(by)} rows"
            )
        return [by]
    names = by_columns(func, by, data, "data")
    return [data[name] for name in names]


def group_index(data: pd.DataFrame, keys: Sequence[Hashable]) -> tuple[np.ndarray, pd.Index]:
    """Codes 0.. of the groups of ``data`` by ``keys`` (sorted) and the matching index.

    Without keys every row is in the one group 0 (index ``RangeIndex(1)``).
    """
    if not keys:
        return np.zeros(len(data), dtype=int), pd.RangeIndex(1)
    grouper = data.groupby(list(keys), sort=True, dropna=False)
    return grouper.ngroup().to_numpy(), grouper.size().index


def group_codes(
    func: str, by: Any, n_rows: int, index: pd.Index | None = None, data: pd.DataFrame | None = None
) -> tuple[np.ndarray, pd.Index | None]:
    """Integer group codes (-1 = missing key) and the sorted group labels.

    ``by`` is None (one group, labels None), the name of a column of ``data``, or a
    Series/array aligned to the rows. A Series must carry the same index as the data.
    """
    if by is None:
        return np.zeros(n_rows, dtype=np.intp), None
    name: Hashable = "group"
    if isinstance(by, str) and data is not None:
        require_named_columns(func, data, [("by", by)])
        key = data[by]
        name = by
    elif isinstance(by, pd.Series):
        if len(by) != n_rows:
            raise ParameterError(
                f"{func}: parameter 'by' must have one value per row ({n_rows}), got {len(by)}"
            )
        if index is not None and not by.index.equals(index):
            raise ParameterError(
                f"{func}: parameter 'by' is a Series whose index differs from the data's; "
                "align it (e.g. df[col]) or pass its values with .to_numpy()"
            )
        key = by
        name = by.name if by.name is not None else "group"
    elif isinstance(by, pd.DataFrame) or np.ndim(by) != 1:
        raise ParameterError(
            f"{func}: parameter 'by' must be a column name, a Series or a 1-D array aligned "
            f"to the rows, got {type(by).__name__}"
        )
    else:
        key = pd.Series(np.asarray(by))
        if len(key) != n_rows:
            raise ParameterError(
                f"{func}: parameter 'by' must have one value per row ({n_rows}), got {len(key)}"
            )
    codes, uniques = pd.factorize(key, sort=True)
    n_missing = int((codes < 0).sum())
    if n_missing:
        warn(func, f"{n_missing} row(s) with a missing 'by' value were left out")
    return codes.astype(np.intp, copy=False), pd.Index(uniques, name=name)


def sort_rows(codes: np.ndarray) -> np.ndarray | None:
    """Stable order that sorts rows by group code, or None when already sorted."""
    if len(codes) < 2 or bool((codes[1:] >= codes[:-1]).all()):
        return None
    return np.argsort(codes, kind="stable")


def complete_sorted(matrix: np.ndarray, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """Rows with a group and no missing value, sorted by group; and how many were dropped.

    The matrix stays column-major (one contiguous column per variable), as
    :class:`Segments` sums it column by column.
    """
    keep = (codes >= 0) & ~np.isnan(matrix).any(axis=1)
    dropped = int(len(keep) - np.count_nonzero(keep))
    if dropped:
        matrix, codes = np.asfortranarray(matrix[keep]), codes[keep]
    order = sort_rows(codes)
    if order is not None:
        matrix, codes = np.asfortranarray(matrix[order]), codes[order]
    return matrix, codes, dropped


# --- sums within groups ------------------------------------------------------------------
class Segments:
    """Rows sorted by group code: sums within groups by ``np.add.reduceat``.

    Several times faster than ``bincount`` with weights; build it once per call after
    sorting the rows by group (:func:`sort_rows`).
    """

    def __init__(self, codes: np.ndarray, n_groups: int) -> None:
        counts = np.bincount(codes, minlength=n_groups)
        self.n_groups = n_groups
        self.present = np.flatnonzero(counts)
        self.starts = (np.cumsum(counts) - counts)[self.present]

    def sum(self, values: np.ndarray) -> np.ndarray:
        """Sum of a 1-D array (aligned to the sorted rows) within each group."""
        out = np.zeros(self.n_groups)
        if len(values):
            out[self.present] = np.add.reduceat(values, self.starts)
        return out


def group_sum(codes: np.ndarray, values: np.ndarray, n_groups: int) -> np.ndarray:
    """Sum of ``values`` (1-D, or 2-D with one column per variable) within each group."""
    if values.ndim == 1:
        return np.bincount(codes, weights=values, minlength=n_groups)
    out = np.empty((n_groups, values.shape[1]))
    for j in range(values.shape[1]):  # loop over variables, never over groups
        out[:, j] = np.bincount(codes, weights=values[:, j], minlength=n_groups)
    return out


def cluster_moments(
    codes: np.ndarray, clusters: np.ndarray, y: np.ndarray, n_groups: int
) -> tuple[np.ndarray, ...]:
    """Per group: n, clusters G, mean, sd and the CR1 variance of the mean, in one pass.

    ``codes`` are the rows' group codes (0..n_groups-1), ``clusters`` their cluster
    labels, ``y`` the outcome (no NaN). The CR1 variance of a group's mean (the intercept
    of ``y ~ 1``) is :math:`\\frac{G}{G-1} \\sum_g (\\sum_{i \\in g} e_i)^2 / n^2`;
    it is NaN or infinite where G < 2, and the callers decide what such a group gets.

    Examples
    --------
    >>> n, g, mean, sd, var = cluster_moments(
    ...     np.zeros(6, dtype=np.intp), np.array(list("aabbcc")), np.array([1.0, 2, 3, 5, 4, 6]), 1)
    >>> float(mean[0]), int(g[0]), round(float(np.sqrt(var[0])), 4)
    (3.5, 3, 1.0408)
    """
    n = np.bincount(codes, minlength=n_groups).astype(float)
    mean = group_sum(codes, y, n_groups) / n
    resid = y - mean[codes]
    pairs, _ = pd.factorize(pd.MultiIndex.from_arrays([codes, clusters]))
    owner = np.zeros(pairs.max() + 1, dtype=np.intp)
    owner[pairs] = codes
    g = np.bincount(owner, minlength=n_groups).astype(float)
    pair_sum = np.bincount(pairs, weights=resid)
    with np.errstate(invalid="ignore", divide="ignore"):
        sd = np.sqrt(group_sum(codes, resid**2, n_groups) / (n - 1))
        var = g / (g - 1) * np.bincount(owner, weights=pair_sum**2, minlength=n_groups) / n**2
    return n, g, mean, sd, var


def cluster_mean_cr2(
    codes: np.ndarray, clusters: np.ndarray, y: np.ndarray, n_groups: int
) -> tuple[np.ndarray, np.ndarray]:
    r"""Per group: the CR2 variance of the mean and its Satterthwaite df, in one pass.

    The Bell-McCaffrey CR2 variance of the intercept of ``y ~ 1`` (working model: the
    identity, as ``clubSandwich::vcovCR(fit, cluster, type = "CR2")`` for an ``lm``) has
    the closed form :math:`\sum_g u_g^2 / (1 - n_g/n) / n^2`, with :math:`u_g` the sum
    of the residuals of cluster g and :math:`n_g` its size: the hat matrix of a mean is
    :math:`\mathbf{11}'/n`, so :math:`(I - H_{gg})^{-1/2}` multiplies a cluster's sum
    of residuals by :math:`(1 - n_g/n)^{-1/2}`. The Satterthwaite df
    (``coef_test(test = "Satterthwaite")``) is :math:`n^2 / Q`,
    :math:`Q = \sum_g a_g^2 n_g^2 - 2\sum_g a_g^2 n_g^3/n + (\sum_g a_g n_g^2)^2/n^2`
    with :math:`a_g = 1/(1 - n_g/n)`: G - 1 for equal clusters, fewer when they are
    unequal, and never below 1 (a ratio :math:`(\sum\lambda)^2 / \sum\lambda^2` of
    non-negative eigenvalues): two clusters give exactly 1, which rounding would put just
    below 1 about a third of the time (and a caller that blanks df < 1 would lose the
    interval), so the df is clipped at 1. NaN where a group has fewer than 2 clusters.

    Examples
    --------
    >>> var, df = cluster_mean_cr2(
    ...     np.zeros(6, dtype=np.intp), np.array(list("aabbcc")), np.array([1.0, 2, 3, 5, 4, 6]), 1)
    >>> round(float(np.sqrt(var[0])), 4), round(float(df[0]), 9)  # equal clusters: df = G - 1
    (1.0408, 2.0)
    """
    n = np.bincount(codes, minlength=n_groups).astype(float)
    mean = group_sum(codes, y, n_groups) / n
    pairs, _ = pd.factorize(pd.MultiIndex.from_arrays([codes, clusters]))
    owner = np.zeros(pairs.max() + 1, dtype=np.intp)
    owner[pairs] = codes
    size = np.bincount(pairs).astype(float)
    u = np.bincount(pairs, weights=y - mean[codes])
    total = n[owner]
    with np.errstate(invalid="ignore", divide="ignore"):
        a = 1.0 / (1.0 - size / total)  # inf where one cluster holds the whole group
        var = np.bincount(owner, weights=u**2 * a, minlength=n_groups) / n**2
        q = (
            np.bincount(owner, weights=a**2 * size**2, minlength=n_groups)
            - 2 * np.bincount(owner, weights=a**2 * size**3 / total, minlength=n_groups)
            + np.bincount(owner, weights=a * size**2, minlength=n_groups) ** 2 / n**2
        )
        df = np.maximum(n**2 / q, 1.0)  # >= 1 in exact arithmetic
    g = np.bincount(owner, minlength=n_groups)
    bad = g < 2
    return np.where(bad, np.nan, var), np.where(bad, np.nan, df)


def cr2_ols(
    x: np.ndarray, xtx_inv: np.ndarray, resid: np.ndarray, codes: np.ndarray, n_clusters: int
) -> tuple[np.ndarray, np.ndarray]:
    r"""Bell-McCaffrey CR2 covariance of OLS coefficients and each one's Satterthwaite df.

    ``x`` is the N x K design, ``xtx_inv`` its :math:`(X'X)^{-1}` (M), ``resid`` the
    OLS residuals and ``codes`` the cluster codes 0..G-1. With the working model the
    identity (``clubSandwich::vcovCR(lm, cluster, type = "CR2")``):
    :math:`V = M \sum_g X_g' A_g e_g e_g' A_g X_g M`, :math:`A_g = (I - H_{gg})^{-1/2}`
    (symmetric square root; eigenvalues below 1e-12 get 0, as clubSandwich's
    pseudo-inverse). The Satterthwaite df of coefficient j (``coef_test(test =
    "Satterthwaite")``) is :math:`(\operatorname{tr} P_{jj})^2 / \lVert P_{jj}
    \rVert_F^2` with the G x G matrices of :func:`cr2_ols_gram`.

    Examples
    --------
    >>> x = np.column_stack([np.ones(6), [0.0, 1, 0, 1, 0, 1]])
    >>> m = np.linalg.inv(x.T @ x)
    >>> y = np.array([1.0, 2, 3, 5, 4, 6])
    >>> vcov, df = cr2_ols(x, m, y - x @ (m @ x.T @ y), np.array([0, 0, 1, 1, 2, 2]), 3)
    >>> vcov.shape, df.shape
    ((2, 2), (2,))
    """
    vcov, df, _ = cr2_ols_gram(x, xtx_inv, resid, codes, n_clusters)
    return vcov, df


def cr2_ols_gram(
    x: np.ndarray, xtx_inv: np.ndarray, resid: np.ndarray, codes: np.ndarray, n_clusters: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""CR2 covariance, Satterthwaite df and the K x K x G x G array behind both.

    As :func:`cr2_ols`, and also the array :math:`P_{st,gh} = p_{sg}' p_{th}` that the
    small-sample tests of clubSandwich are built from (its ``get_P_array(all_terms =
    TRUE)`` for an ``lm``), where :math:`p_{sg} = (I - H)_{\cdot g} A_g X_g M e_s` is
    the column of cluster g for coefficient s. :func:`htz_wald` takes it for a Wald test
    of several coefficients. The blocks of all clusters are padded to the largest
    cluster and handled as one batch (padding rows have no residual and no design, so
    they change nothing).

    Examples
    --------
    >>> x = np.column_stack([np.ones(6), [0.0, 1, 0, 1, 0, 1]])
    >>> m = np.linalg.inv(x.T @ x)
    >>> y = np.array([1.0, 2, 3, 5, 4, 6])
    >>> vcov, df, gram = cr2_ols_gram(x, m, y - x @ (m @ x.T @ y), np.array([0, 0, 1, 1, 2, 2]), 3)
    >>> gram.shape
    (2, 2, 3, 3)
    """
    n, k = x.shape
    sizes = np.bincount(codes, minlength=n_clusters)
    order = np.argsort(codes, kind="stable")
    pos = np.empty(n, dtype=np.intp)
    pos[order] = np.arange(n) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    width = int(sizes.max())
    xp = np.zeros((n_clusters, width, k))
    xp[codes, pos] = x
    ep = np.zeros((n_clusters, width))
    ep[codes, pos] = resid
    block = np.eye(width) - xp @ xtx_inv @ np.swapaxes(xp, 1, 2)  # I - H_gg, padded
    w, v = np.linalg.eigh(block)
    root = np.where(w > 1e-12, 1.0 / np.sqrt(np.where(w > 1e-12, w, 1.0)), 0.0)
    adjust = (v * root[:, None, :]) @ np.swapaxes(v, 1, 2)  # A_g
    u = np.einsum("gmk,gm->gk", xp, np.einsum("gij,gj->gi", adjust, ep))
    vcov = xtx_inv @ (u.T @ u) @ xtx_inv
    # Satterthwaite: W holds A_g X_g M in the rows of cluster g, column g
    am = adjust @ xp @ xtx_inv  # G x width x K
    wmat = np.zeros((n, n_clusters, k))
    wmat[np.arange(n), codes] = am[codes, pos]
    p = wmat - np.einsum("ni,ij,jgc->ngc", x, xtx_inv, np.einsum("ni,ngc->igc", x, wmat))
    gram = np.tensordot(p, p, axes=(0, 0)).transpose(1, 3, 0, 2)  # K x K x G x G (BLAS)
    diag = gram[np.arange(k), np.arange(k)]  # K x G x G
    with np.errstate(invalid="ignore", divide="ignore"):
        df = np.trace(diag, axis1=1, axis2=2) ** 2 / (diag**2).sum(axis=(1, 2))
    return vcov, df, gram


def htz_wald(
    beta: np.ndarray, vcov: np.ndarray, gram: np.ndarray
) -> tuple[float, int, float, float]:
    r"""HTZ small-sample Wald F test that q coefficients are all 0: (F, q, df2, p).

    ``beta`` (q), ``vcov`` (q x q, CR2) and ``gram`` (q x q x G x G, the rows and columns
    of :func:`cr2_ols_gram` for the q coefficients). The Hotelling T² approximation with
    the degrees of freedom from matching the total variance (Tipton & Pustejovsky 2015;
    Pustejovsky & Tipton 2018; ``clubSandwich::Wald_test(test = "HTZ")``):
    :math:`Q = \hat\beta' V^{-1} \hat\beta`, :math:`\Omega_{st} = \operatorname{tr}
    P_{st}`, :math:`B = \Omega^{-1/2} P \Omega^{-1/2}`, :math:`\nu = q(q+1) / \sum_{s,t}
    (\langle B_{st}, B_{ts}\rangle + \langle B_{ss}, B_{tt}\rangle)`, and
    :math:`F = \frac{\nu - q + 1}{\nu q} Q` on (q, ν - q + 1) df. With q = 1 it is the
    square of the Satterthwaite t test. NaN where ν - q + 1 is not positive (too few
    clusters for q contrasts) or V is singular.

    Examples
    --------
    >>> x = np.column_stack([np.ones(6), [0.0, 1, 0, 1, 0, 1]])
    >>> m = np.linalg.inv(x.T @ x)
    >>> y = np.array([1.0, 2, 3, 5, 4, 6])
    >>> b = m @ x.T @ y
    >>> v, df, gram = cr2_ols_gram(x, m, y - x @ b, np.array([0, 0, 1, 1, 2, 2]), 3)
    >>> f, q, df2, p = htz_wald(b[1:], v[1:, 1:], gram[1:, 1:])
    >>> bool(np.isclose(f, b[1] ** 2 / v[1, 1])), bool(np.isclose(df2, df[1]))
    (True, True)
    """
    q = len(beta)
    nan = (np.nan, q, np.nan, np.nan)
    try:
        stat = float(beta @ np.linalg.solve(vcov, beta))
    except np.linalg.LinAlgError:
        return nan
    omega = np.einsum("stgg->st", gram)
    w, v = np.linalg.eigh(omega)
    if not (w > 0).all():
        return nan
    nsqrt = (v / np.sqrt(w)) @ v.T
    b = np.einsum("sa,abgh,bt->stgh", nsqrt, gram, nsqrt)
    total = np.einsum("stgh,tsgh->st", b, b) + np.einsum("ssgh,ttgh->st", b, b)
    nu = q * (q + 1) / total.sum()
    df2 = nu - q + 1
    if not df2 > 0:
        return np.nan, q, float(df2), np.nan
    f = df2 / nu * stat / q
    return float(f), q, float(df2), float(stats.f.sf(f, q, df2))


def as_result(out: pd.DataFrame, grouped: bool, name: Hashable = None) -> pd.Series | pd.DataFrame:
    """The grouped DataFrame, or its one row as a Series (named ``name``) for an ungrouped call."""
    return out if grouped else out.iloc[0].rename(name)


# --- shared formulas ---------------------------------------------------------------------
def wilson(x: Any, n: Any, ci: float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of x successes in n trials, as R ``prop.test(x, n, correct = FALSE)``.

    :math:`\\frac{\\hat p + z^2/2n \\pm z\\sqrt{\\hat p(1-\\hat p)/n + z^2/4n^2}}{1 + z^2/n}`;
    the bounds are exactly 0 at x = 0 and 1 at x = n, as in R. NaN where n = 0.
    """
    x = np.asarray(x, dtype=float)
    n = np.asarray(n, dtype=float)
    z = stats.norm.ppf(1 - (1 - ci) / 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = x / n
        centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    empty = ~(n > 0)
    low = np.where(empty, np.nan, np.where(x == 0, 0.0, centre - half))
    high = np.where(empty, np.nan, np.where(x == n, 1.0, centre + half))
    return low, high


def band(
    values: np.ndarray,
    bands: Iterable[Sequence[Any]],
    *,
    tolerance: float = 0.0,
    missing: Any = np.nan,
) -> np.ndarray:
    """Label of the highest lower bound each value reaches (object array).

    ``bands`` holds rows whose first two items are (lower bound, label), bounds in
    decreasing order, as the ``*_BANDS`` of :mod:`evalkit.constants`. A value reaches a
    bound at ``value >= bound - tolerance``. NaN (and a value below every bound) gets
    ``missing``.
    """
    out = np.full(len(values), missing, dtype=object)
    done = np.isnan(values)
    for row in bands:
        lower, label = row[0], row[1]
        hit = ~done & (values >= lower - tolerance)
        out[hit] = label
        done |= hit
    return out


def hedges_j(df: np.ndarray | float) -> np.ndarray:
    """Exact small-sample correction J(df) = G(df/2) / (sqrt(df/2) G((df-1)/2)) (Hedges 1981)."""
    df = np.asarray(df, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.exp(
            special.gammaln(df / 2) - 0.5 * np.log(df / 2) - special.gammaln((df - 1) / 2)
        )
