"""Person-level comparisons of people grouped in cohorts, with cluster-robust inference.

Participants of one cohort share a training, a facilitator and a test day, so their
outcomes are not independent: an interval that treats them as independent is too narrow
(by the square root of the design effect), and one computed on cohort means answers
another question (how far cohorts differ). These functions keep the person as the unit of
analysis and make the inference honest: OLS with the cluster-robust CR1 covariance by
cohort and t (or F) tests on clusters - 1 degrees of freedom (:func:`cluster_robust_ols`),
for means (:func:`clustered_means`), group differences with a Wald test
(:func:`clustered_comparison`) and trends over time (:func:`clustered_trend`). With few
cohorts (under about 30, or a few per group compared), ``vcov="CR2"`` gives the
Bell-McCaffrey CR2 covariance with Satterthwaite df for each coefficient and the HTZ
small-sample Wald F test (Pustejovsky & Tipton 2018, R's ``clubSandwich``).

Examples
--------
>>> import pandas as pd
>>> from evalkit.metrics.clustered import clustered_means
>>> d = pd.DataFrame({"gain": [1.0, 2, 3, 5, 4, 6], "cohort_id": list("aabbcc")})
>>> int(clustered_means(d, "gain")["df"])
2
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from evalkit import constants as C
from evalkit.errors import ParameterError
from evalkit.metrics._grouped import (
    cluster_mean_cr2,
    cluster_moments,
    cr2_ols_gram,
    hedges_j,
    htz_wald,
)
from evalkit.metrics._validate import (
    check_ci,
    numeric_array,
    numeric_column,
    require_frame,
    require_named_columns,
    warn,
)

__all__ = [
    "ClusteredFit",
    "cluster_robust_ols",
    "clustered_comparison",
    "clustered_means",
    "clustered_trend",
]


@dataclass(frozen=True)
class ClusteredFit:
    """An OLS fit with its cluster-robust covariance, from :func:`cluster_robust_ols`.

    Attributes
    ----------
    beta : ndarray
        Coefficients, one per column of the design.
    vcov : ndarray
        CR1 (or, with ``kind == "CR2"``, CR2) covariance matrix of ``beta``.
    n, n_clusters : int
        Observations and clusters used.
    resid_df : int
        N - K, the residual degrees of freedom of the OLS fit.
    sigma : float
        Residual standard deviation, sqrt(RSS / (N - K)).
    kind : {"CR1", "CR2"}
        The covariance.
    satterthwaite : ndarray or None
        With CR2, the Satterthwaite df of each coefficient.
    gram : ndarray or None
        With CR2, the K x K x G x G array of the small-sample tests
        (:func:`evalkit.metrics._grouped.cr2_ols_gram`).
    """

    beta: np.ndarray
    vcov: np.ndarray
    n: int
    n_clusters: int
    resid_df: int
    sigma: float
    kind: str = "CR1"
    satterthwaite: np.ndarray | None = None
    gram: np.ndarray | None = None

    @property
    def df(self) -> int:
        """Degrees of freedom of the CR1 t and F tests: clusters - 1."""
        return self.n_clusters - 1

    @property
    def coef_df(self) -> np.ndarray:
        """df of each coefficient's t test: clusters - 1 (CR1) or Satterthwaite's (CR2)."""
        if self.kind == "CR2":
            return np.asarray(self.satterthwaite, dtype=float)
        return np.full(len(self.beta), float(self.df))

    def wald_test(self, rows: Any) -> tuple[float, int, float, float]:
        """Wald F of ``beta[rows] = 0``: (F, q, df2, p).

        CR1: F(q, clusters - 1). CR2: the HTZ test (:func:`evalkit.metrics._grouped.htz_wald`),
        on (q, ν - q + 1) df. NaN when there are more contrasts than clusters - 1 (the
        covariance of the contrasts is then singular), or, with HTZ, when ν - q + 1 is
        not positive.
        """
        rows = np.atleast_1d(np.asarray(rows, dtype=np.intp))
        q = len(rows)
        if q == 0 or q > self.df:
            return np.nan, q, np.nan, np.nan
        b = self.beta[rows]
        v = self.vcov[np.ix_(rows, rows)]
        if self.kind == "CR2":
            return htz_wald(b, v, self.gram[np.ix_(rows, rows)])
        try:
            f = float(b @ np.linalg.solve(v, b)) / q
        except np.linalg.LinAlgError:
            return np.nan, q, np.nan, np.nan
        return f, q, float(self.df), float(stats.f.sf(f, q, self.df))

    def wald(self, rows: Any) -> tuple[float, int, float]:
        """(F, q, p) of :meth:`wald_test`."""
        f, q, _, p = self.wald_test(rows)
        return f, q, p


def _check_vcov(func: str, vcov: Any) -> None:
    if vcov not in ("CR1", "CR2"):
        raise ParameterError(f"{func}: parameter 'vcov' must be 'CR1' or 'CR2', got {vcov!r}")


def cluster_robust_ols(
    y: Any, design: Any, clusters: Any, *, vcov: Literal["CR1", "CR2"] = "CR1"
) -> ClusteredFit:
    """OLS with the cluster-robust CR1 covariance (Stata's and R's ``vcovCL`` default).

    Parameters
    ----------
    y : array-like of numbers
        Outcome, one value per observation (no missing values).
    design : 2-D array-like
        Design matrix (N x K) with the intercept column if one is wanted.
    clusters : array-like
        Cluster label of each observation (e.g. the cohort).
    vcov : {"CR1", "CR2"}, default "CR1"
        CR1, or the Bell-McCaffrey CR2 covariance with Satterthwaite df per coefficient
        and the HTZ Wald test (``clubSandwich``): the choice with few clusters.

    Returns
    -------
    ClusteredFit
        Coefficients, covariance, N, the number of clusters, N - K and the residual
        SD; ``fit.coef_df`` the df of each coefficient's t test (clusters - 1 with CR1),
        ``fit.wald_test(rows)`` the Wald F test of a set of coefficients.

    Raises
    ------
    ParameterError
        Mismatched lengths, missing values, fewer than 2 clusters or no residual df.

    Notes
    -----
    :math:`\\hat\\beta = (X'X)^{-1}X'y`, :math:`V = c\\,(X'X)^{-1}\\left(\\sum_g
    u_g u_g'\\right)(X'X)^{-1}` with :math:`u_g = X_g' e_g` and
    :math:`c = \\frac{G}{G-1}\\frac{N-1}{N-K}`. Tests use t (and F) with G - 1 degrees
    of freedom (Cameron & Miller 2015). Validated against R 4
    ``sandwich::vcovCL(fit, cluster = ~cohort)`` with ``lmtest::coeftest(fit, vcov., df
    = G - 1)`` and ``car::linearHypothesis`` (``tests/reference/level3u.R``), agreement
    better than 1e-10 relative.

    With few clusters, and above all when a group compared lies in a handful of them
    (a cohort-level attribute such as the delivery method), CR1 with G - 1 df is still
    too liberal. ``vcov="CR2"``: :math:`V = M \\sum_g X_g' A_g e_g e_g' A_g X_g M`,
    :math:`A_g = (I - H_{gg})^{-1/2}`, t on each coefficient's Satterthwaite df and
    the HTZ F test of several, validated against ``clubSandwich::coef_test(fit, vcovCR(fit,
    cluster, type = "CR2"), test = "Satterthwaite")`` and ``Wald_test(..., test =
    "HTZ")`` (``tests/reference/smallsample.R``, ``tests/reference/fewclusters.R``).

    References
    ----------
    Cameron, A. C., & Miller, D. L. (2015). A practitioner's guide to cluster-robust
    inference. *Journal of Human Resources* 50, 317-372.
    Pustejovsky, J. E., & Tipton, E. (2018). Small-sample methods for cluster-robust
    variance estimation and hypothesis testing in fixed effects models. *Journal of
    Business & Economic Statistics*, 36(4), 672-683.

    Examples
    --------
    >>> import numpy as np
    >>> from evalkit.metrics.clustered import cluster_robust_ols
    >>> y = np.array([1.0, 2, 3, 5, 4, 6])
    >>> fit = cluster_robust_ols(y, np.ones((6, 1)), ["a", "a", "b", "b", "c", "c"])
    >>> round(float(fit.beta[0]), 10), fit.n_clusters, fit.df
    (3.5, 3, 2)
    """
    func = "cluster_robust_ols"
    _check_vcov(func, vcov)
    yv = numeric_array(func, "y", y)
    x = np.asarray(design, dtype=float)
    if x.ndim != 2 or x.shape[0] != len(yv):
        raise ParameterError(
            f"{func}: parameter 'design' must be a matrix with one row per value of 'y' "
            f"({len(yv)}), got shape {x.shape}"
        )
    codes, labels = pd.factorize(pd.Series(np.asarray(clusters, dtype=object)))
    if len(codes) != len(yv):
        raise ParameterError(
            f"{func}: parameter 'clusters' must have one label per value of 'y' "
            f"({len(yv)}), got {len(codes)}"
        )
    if np.isnan(yv).any() or np.isnan(x).any() or (codes < 0).any():
        raise ParameterError(f"{func}: 'y', 'design' and 'clusters' must not hold missing values")
    n, k = x.shape
    g = len(labels)
    if g < 2:
        raise ParameterError(f"{func}: needs at least 2 clusters, got {g}")
    if n - k < 1:
        raise ParameterError(f"{func}: needs more observations ({n}) than coefficients ({k})")
    q_mat, r_mat = np.linalg.qr(x)
    if np.linalg.matrix_rank(r_mat) < k:
        raise ParameterError(f"{func}: the columns of 'design' are collinear")
    r_inv = np.linalg.solve(r_mat, np.eye(k))
    xtx_inv = r_inv @ r_inv.T
    beta = r_inv @ (q_mat.T @ yv)
    resid = yv - x @ beta
    scores = np.zeros((g, k))
    np.add.at(scores, codes, x * resid[:, None])
    meat = scores.T @ scores
    sigma = float(np.sqrt((resid**2).sum() / (n - k)))
    if vcov == "CR2":
        cov, satt, gram = cr2_ols_gram(x, xtx_inv, resid, codes, g)
        return ClusteredFit(beta, cov, n, g, n - k, sigma, "CR2", satt, gram)
    c = g / (g - 1) * (n - 1) / (n - k)
    return ClusteredFit(beta, c * xtx_inv @ meat @ xtx_inv, n, g, n - k, sigma)


def _clustered_frame(
    func: str, data: pd.DataFrame, dv: str, cluster: str, extra: tuple[tuple[str, str], ...]
) -> tuple[pd.DataFrame, np.ndarray]:
    """Rows of ``data`` with ``dv``, ``cluster`` and the ``extra`` columns all present."""
    require_frame(func, data, "data")
    require_named_columns(func, data, (("dv", dv), ("cluster", cluster), *extra))
    y = numeric_column(func, dv, data[dv])
    keep = ~np.isnan(y) & data[cluster].notna().to_numpy()
    for _, col in extra:
        keep &= data[col].notna().to_numpy()
    if keep.sum() < 3:
        raise ParameterError(
            f"{func}: needs at least 3 rows with {dv!r} and {cluster!r}, got {int(keep.sum())}"
        )
    return data.loc[keep], y[keep]


def clustered_means(
    data: pd.DataFrame,
    dv: str,
    *,
    by: str | None = None,
    cluster: str = C.COHORT_ID,
    ci: float = 0.95,
    vcov: Literal["CR1", "CR2"] = "CR1",
) -> pd.Series | pd.DataFrame:
    """Person-level mean of an outcome with a cluster-robust interval (people in cohorts).

    Parameters
    ----------
    data : DataFrame
        One row per person (e.g. the learning table with a ``gain`` column).
    dv : str
        Column of the outcome.
    by : str, optional
        Column of groups: one mean per group, each with its own clusters.
    cluster : str, default ``"cohort_id"``
        Column of the clusters.
    ci : float, default 0.95
        Confidence level.
    vcov : {"CR1", "CR2"}, default "CR1"
        CR1 with t on clusters - 1 df, or the Bell-McCaffrey CR2 variance with
        Satterthwaite df (``clubSandwich``), less liberal with few or unequal clusters.

    Returns
    -------
    Series or DataFrame
        ``n, n_clusters, mean, sd, se`` (CR1 or CR2), ``se_naive`` (sd / sqrt(n), people
        as independent), ``design_effect`` ((se / se_naive)^2), ``t, df`` (clusters - 1,
        or Satterthwaite's with CR2), ``p`` (mean = 0), ``ci_low, ci_high``. With
        ``by=``, one row per group.

    Raises
    ------
    ParameterError
        Missing or non-numeric columns, fewer than 3 usable rows.

    Warns
    -----
    EvalkitWarning
        Groups with a single cluster (their se, p and interval are NaN).

    Notes
    -----
    The mean is the intercept of ``dv ~ 1``; its CR1 variance is
    :math:`\\frac{G}{G-1} \\sum_g (\\sum_{i \\in g} e_i)^2 / n^2`, t on G - 1 df. Every
    group in one pass. Validated against R 4 ``coeftest(lm(gain ~ 1, d), vcovCL(fit,
    cluster = ~cohort_id), df = G - 1)`` (``tests/reference/level3u.R``). CR2 has the
    closed form :math:`\\sum_g u_g^2 / (1 - n_g/n) / n^2` (:math:`u_g` the cluster's sum of
    residuals), validated against ``clubSandwich::coef_test(fit, vcov = vcovCR(fit,
    cluster, type = "CR2"), test = "Satterthwaite")`` (``tests/reference/smallsample.R``).

    Examples
    --------
    >>> import pandas as pd
    >>> from evalkit.metrics.clustered import clustered_means
    >>> d = pd.DataFrame({"gain": [1.0, 2, 3, 5, 4, 6], "cohort_id": list("aabbcc")})
    >>> out = clustered_means(d, "gain")
    >>> float(out["mean"]), int(out["n_clusters"]), round(float(out["se"]), 4)
    (3.5, 3, 1.0408)
    """
    func = "clustered_means"
    level = check_ci(func, ci, say_number=True)
    _check_vcov(func, vcov)
    extra = () if by is None else (("by", by),)
    rows, y = _clustered_frame(func, data, dv, cluster, extra)
    if by is None:
        codes, labels = np.zeros(len(y), dtype=np.intp), None
    else:
        codes, labels = pd.factorize(rows[by], sort=True)
        labels = pd.Index(labels, name=by)
    k = 1 if labels is None else len(labels)
    n, g, mean, sd, var = cluster_moments(codes, rows[cluster].to_numpy(), y, k)
    df = np.where(g > 1, g - 1, np.nan)
    if vcov == "CR2":
        var, df = cluster_mean_cr2(codes, rows[cluster].to_numpy(), y, k)
    with np.errstate(invalid="ignore", divide="ignore"):
        se = np.where(g > 1, np.sqrt(var), np.nan)
        se_naive = sd / np.sqrt(n)
        t = mean / se
        half = stats.t.ppf(0.5 + level / 2, df) * se
        design_effect = (se / se_naive) ** 2  # NaN where every value is the same
    if (g < 2).any():
        warn(func, f"{int((g < 2).sum())} group(s) lie in a single {cluster!r}; their se is NaN")
    out = pd.DataFrame(
        {
            "n": n,
            "n_clusters": g,
            "mean": mean,
            "sd": sd,
            "se": se,
            "se_naive": se_naive,
            "design_effect": design_effect,
            "t": t,
            "df": df,
            "p": 2 * stats.t.sf(np.abs(t), df),
            "ci_low": mean - half,
            "ci_high": mean + half,
        },
        index=labels,
    )
    return out.iloc[0].rename("clustered_mean") if labels is None else out


def clustered_comparison(
    data: pd.DataFrame,
    dv: str,
    group: str,
    *,
    cluster: str = C.COHORT_ID,
    reference: Any = None,
    ci: float = 0.95,
    vcov: Literal["CR1", "CR2"] = "CR1",
) -> pd.DataFrame:
    r"""Person-level differences between groups, cluster-robust by cohort, with a Wald test.

    Parameters
    ----------
    data : DataFrame
        One row per person.
    dv : str
        Column of the outcome (e.g. ``gain``, the post - pre difference: a difference of
        gains between groups is the group x time interaction of the pre/post design).
    group : str
        Column of the groups (e.g. ``facilitator_type``, ``sex``).
    cluster : str, default ``"cohort_id"``
        Column of the clusters.
    reference : optional
        The group the others are compared with (default: the largest, ties by sort
        order).
    ci : float, default 0.95
        Confidence level.
    vcov : {"CR1", "CR2"}, default "CR1"
        CR1 with t and F on clusters - 1 df, or CR2 with each contrast's Satterthwaite
        df and the HTZ Wald F test: the choice with few cohorts, and necessary when a
        group lies in only a few of them (a cohort-level attribute).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``contrast`` (``"<level> - <reference>"`` for each other level, then
        ``"overall"``); columns ``group, reference, n, n_reference, mean_diff, se, t,
        df1, df2, p, ci_low, ci_high, hedges_g, hedges_g_ci_low, hedges_g_ci_high,
        n_clusters``. ``df2`` is the df of the contrast's t (clusters - 1, or its
        Satterthwaite df). The ``overall`` row is the Wald F test that all groups are
        equal (``t`` holds F, on ``df1, df2`` df; NaN when there are more contrasts than
        clusters - 1, or with HTZ when its denominator df is not positive).

    Warns
    -----
    EvalkitWarning
        A group whose people all lie in one cluster: its contrast's se, p and interval,
        and the overall test, are NaN (that cluster's residuals sum to 0 around the
        group's mean, so the cluster-robust variance would leave its uncertainty out).

    Raises
    ------
    ParameterError
        Missing columns, fewer than 2 groups, an unknown ``reference``, a constant
        outcome; an outcome constant within each group, or a contrast whose
        cluster-robust variance is 0, both within rounding (1e-12 relative to the
        outcome's sum of squares, or to the contrast's variance with people as
        independent, as :func:`evalkit.ancova`).

    Notes
    -----
    OLS ``dv ~ 1 + dummies`` with the CR1 covariance of :func:`cluster_robust_ols`; t
    and F on G - 1 df. Hedges' g of a contrast is :math:`J(N-k)\,\Delta / s_p`, with
    :math:`s_p` the pooled within-group SD of people (the residual SD) and its interval
    the cluster-robust interval of Δ divided by :math:`s_p` (times J): a person-level
    standardised difference, unlike a g computed on cohort means. Validated against R 4
    ``lm(gain ~ golongan)`` with ``vcovCL``, ``coeftest(df = G - 1)`` and
    ``car::linearHypothesis(test = "F")`` (``tests/reference/level3u.R``). CR2:
    ``clubSandwich::coef_test(fit, vcovCR(fit, cohort, type = "CR2"), test =
    "Satterthwaite")`` and ``Wald_test(fit, constrain_zero(2:k), vcov, test = "HTZ")``
    (``tests/reference/smallsample.R`` and ``fewclusters.R``: 15 cohorts, a delivery
    method in 3 cohorts each, where CR1 gives F = 32.4 on (4, 14) df, p < .001, and HTZ
    F = 9.54 on (4, 2.4) df, p = .07).

    Examples
    --------
    >>> import pandas as pd
    >>> from evalkit.metrics.clustered import clustered_comparison
    >>> d = pd.DataFrame({"y": [1.0, 2, 3, 5, 4, 6, 2, 4], "grp": list("aabbaabb"),
    ...                   "cohort_id": list("ppqqrrss")})
    >>> out = clustered_comparison(d, "y", "grp")
    >>> out.index.tolist(), round(float(out.loc["b - a", "mean_diff"]), 10)
    (['b - a', 'overall'], 0.25)
    """
    func = "clustered_comparison"
    level = check_ci(func, ci, say_number=True)
    _check_vcov(func, vcov)
    rows, y = _clustered_frame(func, data, dv, cluster, (("group", group),))
    counts = rows[group].value_counts(sort=False).sort_index()
    if len(counts) < 2:
        raise ParameterError(
            f"{func}: column {group!r} must hold at least 2 groups with data, got "
            f"{list(counts.index)}"
        )
    if reference is None:
        reference = counts.index[int(np.argmax(counts.to_numpy()))]
    elif reference not in counts.index:
        raise ParameterError(
            f"{func}: parameter 'reference' must be one of {list(counts.index)}, got {reference!r}"
        )
    if np.ptp(y) == 0:
        raise ParameterError(f"{func}: column {dv!r} is constant; there is no variation to explain")
    others = [lev for lev in counts.index if lev != reference]
    values = rows[group].to_numpy()
    design = np.column_stack([np.ones(len(y))] + [(values == lev).astype(float) for lev in others])
    fit = cluster_robust_ols(y, design, rows[cluster].to_numpy(), vcov=vcov)
    # As ancova's: a residual within rounding of 0, relative to the outcome's variation,
    # is no residual (it left the residual SD and Hedges' g's divisor 0 or noise).
    if fit.sigma**2 * fit.resid_df <= 1e-12 * float(((y - y.mean()) ** 2).sum()):
        raise ParameterError(
            f"{func}: column {dv!r} is constant within each group of {group!r} (no residual "
            "variation); se, t, p and Hedges' g are undefined"
        )
    est = fit.beta[1:]
    se = np.sqrt(np.diag(fit.vcov)[1:])
    df2 = fit.coef_df[1:]
    # A group whose people all lie in one cluster has its mean fitted from that cluster
    # alone: its residuals there sum to 0, so the cluster adds nothing to the variance and
    # the SE would be too small. Its contrast (all, if it is the reference) gets NaN.
    spread = rows.groupby(group)[cluster].nunique()
    alone = [lev for lev in counts.index if spread[lev] < 2]
    if alone:
        warn(func, f"group(s) {alone} of {group!r} lie in a single {cluster!r}; their "
             "contrasts' se, p and interval are NaN, and so is the overall test")  # fmt: skip
        bad = np.array([reference in alone or lev in alone for lev in others])
        se = np.where(bad, np.nan, se)
    # The same threshold on a contrast's cluster-robust variance, relative to its variance
    # with people as independent: within rounding of 0, its t was inf (or 0/0) and p 0.
    contrasts = [f"{lev} - {reference}" for lev in others]
    naive = fit.sigma**2 * (1 / counts[others].to_numpy() + 1 / counts[reference])
    zero = se**2 <= 1e-12 * naive
    if zero.any():
        raise ParameterError(
            f"{func}: the cluster-robust se of {np.array(contrasts)[zero].tolist()} is 0 (the "
            f"residuals of {dv!r} cancel within each {cluster!r}); t and p are undefined"
        )
    t = est / se
    half = stats.t.ppf(0.5 + level / 2, df2) * se
    j = float(hedges_j(fit.resid_df)) / fit.sigma
    f, q, df_f, p_f = fit.wald_test(np.arange(1, len(others) + 1))
    if alone:
        f, p_f = np.nan, np.nan
    labels = [*contrasts, "overall"]
    nan = [np.nan]
    out = pd.DataFrame(
        {
            "group": [*others, "all"],
            "reference": [reference] * (len(others) + 1),
            "n": [*counts[others].to_numpy().astype(float), float(fit.n)],
            "n_reference": [float(counts[reference])] * (len(others) + 1),
            "mean_diff": [*est, *nan],
            "se": [*se, *nan],
            "t": [*t, f],
            "df1": [1.0] * len(others) + [float(q)],
            "df2": [*df2, df_f],
            "p": [*(2 * stats.t.sf(np.abs(t), df2)), p_f],
            "ci_low": [*(est - half), *nan],
            "ci_high": [*(est + half), *nan],
            "hedges_g": [*(j * est), *nan],
            "hedges_g_ci_low": [*(j * (est - half)), *nan],
            "hedges_g_ci_high": [*(j * (est + half)), *nan],
            "n_clusters": [float(fit.n_clusters)] * (len(others) + 1),
        },
        index=pd.Index(labels, name="contrast"),
    )
    return out


def clustered_trend(
    data: pd.DataFrame,
    dv: str,
    time: str,
    *,
    cluster: str = C.COHORT_ID,
    ci: float = 0.95,
    vcov: Literal["CR1", "CR2"] = "CR1",
) -> pd.Series:
    """Linear trend of a person-level outcome over time, cluster-robust by cohort.

    Parameters
    ----------
    data : DataFrame
        One row per person.
    dv : str
        Column of the outcome (e.g. ``gain``).
    time : str
        Numeric column of time (e.g. ``year``); the slope is per unit of it.
    cluster : str, default ``"cohort_id"``
        Column of the clusters. People of one cohort share its start date, so time
        varies only between clusters and the effective sample is the cohorts.
    ci : float, default 0.95
        Confidence level.
    vcov : {"CR1", "CR2"}, default "CR1"
        CR1 with t on clusters - 1 df, or CR2 with the slope's Satterthwaite df (fewer
        than G - 1 when the cohorts are unequal in size or spread unevenly over time).

    Returns
    -------
    pandas.Series
        ``n, n_clusters, slope, se`` (CR1 or CR2), ``se_naive`` (OLS, people as
        independent), ``t, df`` (clusters - 1, or Satterthwaite's), ``p, ci_low,
        ci_high, p_naive``.

    Raises
    ------
    ParameterError
        Missing or non-numeric columns, fewer than 3 rows, no variation in time or in
        the outcome; an outcome that is an exact linear function of time, or a
        cluster-robust se of the slope of 0, both within rounding (1e-12 relative to the
        outcome's sum of squares, or to ``se_naive`` squared, as :func:`evalkit.ancova`).

    Notes
    -----
    OLS ``dv ~ 1 + time`` with the CR1 covariance of :func:`cluster_robust_ols`.
    Validated against R 4 ``coeftest(lm(gain ~ year), vcovCL(fit, cluster =
    ~cohort_id), df = G - 1)`` (``tests/reference/level3u.R``) and, with CR2,
    ``clubSandwich::coef_test(fit, vcovCR(fit, cohort_id, type = "CR2"), test =
    "Satterthwaite")`` (``tests/reference/smallsample.R``, ``fewclusters.R``).

    Examples
    --------
    >>> import pandas as pd
    >>> from evalkit.metrics.clustered import clustered_trend
    >>> d = pd.DataFrame({"gain": [1.0, 2, 3, 5, 4, 6], "year": [1, 1, 2, 2, 3, 3],
    ...                   "cohort_id": list("aabbcc")})
    >>> round(float(clustered_trend(d, "gain", "year")["slope"]), 10)
    1.75
    """
    func = "clustered_trend"
    level = check_ci(func, ci, say_number=True)
    _check_vcov(func, vcov)
    rows, y = _clustered_frame(func, data, dv, cluster, (("time", time),))
    x = numeric_column(func, time, rows[time])
    if np.ptp(x) == 0:
        raise ParameterError(f"{func}: column {time!r} does not vary; there is no trend to fit")
    if np.ptp(y) == 0:
        raise ParameterError(f"{func}: column {dv!r} is constant; there is no variation to explain")
    design = np.column_stack([np.ones(len(y)), x - x.mean()])  # centred: same slope
    fit = cluster_robust_ols(y, design, rows[cluster].to_numpy(), vcov=vcov)
    # As ancova's (and clustered_comparison's): a residual, or a cluster-robust variance,
    # within rounding of 0 relative to the outcome's variation (to the naive variance) is
    # refused; it left se 0 (ZeroDivisionError) or noise (t inf, p 0).
    if fit.sigma**2 * fit.resid_df <= 1e-12 * float(((y - y.mean()) ** 2).sum()):
        raise ParameterError(
            f"{func}: column {dv!r} is an exact linear function of {time!r} (no residual "
            "variation); se, t and p are undefined"
        )
    slope, se = float(fit.beta[1]), float(np.sqrt(fit.vcov[1, 1]))
    sxx = float(((x - x.mean()) ** 2).sum())
    se_naive = fit.sigma / np.sqrt(sxx)
    if se**2 <= 1e-12 * se_naive**2:
        raise ParameterError(
            f"{func}: the cluster-robust se of the slope is 0 (the residuals of {dv!r} cancel "
            f"within each {cluster!r}); t and p are undefined"
        )
    df = float(fit.coef_df[1])
    half = float(stats.t.ppf(0.5 + level / 2, df)) * se
    t = slope / se
    return pd.Series(
        {
            "n": float(fit.n),
            "n_clusters": float(fit.n_clusters),
            "slope": slope,
            "se": se,
            "se_naive": se_naive,
            "t": t,
            "df": df,
            "p": 2 * stats.t.sf(abs(t), df),
            "ci_low": slope - half,
            "ci_high": slope + half,
            "p_naive": 2 * stats.t.sf(abs(slope / se_naive), fit.resid_df),
        },
        name="clustered_trend",
    )
