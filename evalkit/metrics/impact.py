"""Part of evalkit.results."""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from evalkit import constants as C
from evalkit.errors import EvalkitWarning, ParameterError
from evalkit.metrics._grouped import cr2_ols
from evalkit.metrics._validate import check_ci, py, require_columns, require_numeric, warn
from evalkit.metrics.counts import wald_pretrend
from evalkit.metrics.results import indicator, require_did_cells

__all__ = ["MultilevelResult", "did", "event_study", "multilevel", "pretrend_test", "rate_change"]


# --- OLS with cluster-robust variance -----------------------------------------------
def _ols_cluster(
    func: str,
    X: np.ndarray,
    y: np.ndarray,
    codes: np.ndarray,
    n_clusters: int,
    names: Sequence[str],
) -> tuple[np.ndarray, np.ndarray]:
    """OLS coefficients and the CR1 cluster-robust covariance (sandwich HC1)."""
    n_obs, k = X.shape
    if n_obs <= k:
        raise ParameterError(
            f"{func}: {n_obs} complete rows for {k} coefficients; need more rows than coefficients"
        )
    rank = np.linalg.matrix_rank(X)
    if rank < k:
        raise ParameterError(
            f"{func}: the design is collinear (rank {rank} < {k} columns: {list(names)}); "
            "drop a covariate that is constant or duplicates another"
        )
    xtx_inv = np.linalg.inv(X.T @ X)
    beta = xtx_inv @ (X.T @ y)
    resid = y - X @ beta
    scores = np.column_stack(
        [np.bincount(codes, weights=X[:, j] * resid, minlength=n_clusters) for j in range(k)]
    )
    meat = scores.T @ scores
    factor = n_clusters / (n_clusters - 1) * (n_obs - 1) / (n_obs - k)
    vcov = factor * xtx_inv @ meat @ xtx_inv
    return beta, vcov


def _t_inference(
    func: str, estimate: np.ndarray, se: np.ndarray, df: float, ci: float
) -> dict[str, np.ndarray]:
    estimate = np.asarray(estimate, dtype=float)
    se = np.asarray(se, dtype=float)
    bad = ~(se > 0) | ~np.isfinite(se)
    if bad.any():
        warn(
            func,
            "standard error is zero or undefined (a perfect fit?); t, p and the interval are NaN",
            stacklevel=3,
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(bad, np.nan, estimate / se)
    q = stats.t.ppf(1 - (1 - ci) / 2, df)
    p = 2 * stats.t.sf(np.abs(t), df)
    half = np.where(bad, np.nan, q * se)
    return {"t": t, "p": p, "ci_low": estimate - half, "ci_high": estimate + half}


def _complete(func: str, data: pd.DataFrame, columns: Sequence[Hashable]) -> pd.DataFrame:
    # each column once: a covariate named twice, or naming the cluster column, would
    # otherwise make sub[column] a DataFrame
    columns = list(dict.fromkeys(columns))
    sub = data[columns]
    keep = sub.notna().all(axis=1)
    if not keep.all():
        warn(
            func,
            f"{int((~keep).sum())} row(s) with a missing value in {list(columns)} dropped",
            stacklevel=3,
        )
    return sub[keep]


def did(
    data: pd.DataFrame,
    outcome: str,
    treated: str = C.TREATED,
    post: str = C.POST,
    cluster: str = C.UNIT,
    *,
    covariates: Sequence[str] = (),
    ci: float = 0.95,
    df_method: Literal["cluster", "residual"] = "cluster",
    vcov: Literal["CR1", "CR2"] = "CR1",
) -> pd.Series:
    """Difference-in-differences with cluster-robust standard errors.

    Fits ``outcome ~ treated + post + treated:post (+ covariates)`` by OLS and reports
    the interaction, the DiD estimate of the training's effect on the outcome.

    Parameters
    ----------
    data : DataFrame
        One row per observation (unit x period, or respondent).
    outcome : str
        Numeric outcome column (e.g. ``service_days``, ``complaints``, an IKM score).
    treated, post : str, default ``"treated"``, ``"post"``
        Boolean (or 0/1) columns: unit belongs to the trained group; period is after
        the training.
    cluster : str, default ``"unit"``
        Cluster of the robust variance (the unit, OPD). At least 2 clusters.
    covariates : sequence of str, optional
        Further numeric columns added to the model.
    ci : float, default 0.95
        Confidence level.
    df_method : {"cluster", "residual"}, default "cluster"
        Degrees of freedom of the t reference: ``G - 1`` (Stata's convention and the
        recommendation of Cameron & Miller 2015 for few clusters) or ``N - K`` (the
        default of R's ``lmtest::coeftest`` on an ``lm``). Not used with ``vcov="CR2"``.
    vcov : {"CR1", "CR2"}, default "CR1"
        The cluster-robust variance: CR1 (Stata's, ``sandwich::vcovCL`` HC1) or the
        Bell-McCaffrey CR2 small-sample correction with Satterthwaite df
        (``clubSandwich``), the better choice with fewer than about 30 clusters
        (Pustejovsky & Tipton 2018).

    Returns
    -------
    Series
        ``estimate, se, t, df, p, ci_low, ci_high, n_obs, n_clusters``.

    Raises
    ------
    ParameterError
        If a column is missing or non-numeric, ``treated``/``post`` is not boolean, there
        are fewer than 2 clusters, a treated x post cell is empty, or the design is
        collinear.

    Warns
    -----
    EvalkitWarning
        Rows with missing values are dropped; a zero standard error gives NaN t and p.

    Notes
    -----
    The variance is the CR1 sandwich ``c (X'X)^-1 (sum_g X_g' e_g e_g' X_g) (X'X)^-1``
    with the small-sample correction ``c = G/(G-1) * (N-1)/(N-K)``. This is what
    ``sandwich::vcovCL(m, cluster = ~unit, type = "HC1")`` computes and what Stata's
    ``vce(cluster unit)`` uses. p-values and the interval use a t distribution with
    ``G - 1`` df (``df_method="cluster"``), which matches
    ``lmtest::coeftest(m, vcov = V, df = G - 1)``; R's default ``coeftest(m, vcov = V)``
    uses ``N - K`` df, available as ``df_method="residual"``.

    ``vcov="CR2"``: :math:`V = M \\sum_g X_g' A_g e_g e_g' A_g X_g M` with
    :math:`A_g = (I - H_{gg})^{-1/2}` and t on the Satterthwaite df, as
    ``clubSandwich::coef_test(m, vcov = vcovCR(m, cluster = ~unit, type = "CR2"), test =
    "Satterthwaite")``; validated on the 13-unit panel of ``tests/reference/smallsample.R``
    (agreement better than 1e-10 relative). With few or unequal clusters its df is below
    G - 1, so the interval is wider.

    Validated against R (sandwich 3.0-2, lmtest) on ``sandwich::PetersenCL`` with
    ``treated = firm %% 2 == 0``, ``post = year >= 6``, with and without a covariate,
    on all 500 firms and on 12 firms: relative error < 1e-9.

    References
    ----------
    Cameron, A. C., & Miller, D. L. (2015). A practitioner's guide to cluster-robust
    inference. *Journal of Human Resources*, 50(2), 317-372.
    Bell, R. M., & McCaffrey, D. F. (2002). Bias reduction in standard errors for linear
    regression with multi-stage samples. *Survey Methodology*, 28(2), 169-181.
    Pustejovsky, J. E., & Tipton, E. (2018). Small-sample methods for cluster-robust
    variance estimation and hypothesis testing in fixed effects models. *Journal of
    Business & Economic Statistics*, 36(4), 672-683.
    Zeileis, A., Koll, S., & Graham, N. (2020). Various versatile variances.
    *Journal of Statistical Software*, 95(1).

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({
    ...     "unit": ["a", "a", "b", "b", "c", "c", "d", "d"],
    ...     "treated": [True, True, True, True, False, False, False, False],
    ...     "post": [False, True] * 4,
    ...     "service_days": [10.0, 6.0, 12.0, 7.0, 11.0, 10.0, 9.0, 9.0],
    ... })
    >>> res = did(d, "service_days")
    >>> float(res["estimate"]), int(res["n_clusters"])
    (-4.0, 4)
    """
    func = "did"
    check_ci(func, ci)
    if df_method not in ("cluster", "residual"):
        raise ParameterError(
            f"{func}: parameter 'df_method' must be 'cluster' or 'residual', got {df_method!r}"
        )
    if vcov not in ("CR1", "CR2"):
        raise ParameterError(f"{func}: parameter 'vcov' must be 'CR1' or 'CR2', got {vcov!r}")
    covariates = list(covariates)
    require_columns(func, data, [outcome, treated, post, cluster, *covariates])
    sub = _complete(func, data, [outcome, treated, post, cluster, *covariates])
    y = require_numeric(func, sub[outcome], outcome).to_numpy()
    t_ind = indicator(func, sub[treated], treated)
    p_ind = indicator(func, sub[post], post)
    require_did_cells(func, t_ind, p_ind, (treated, post))
    codes, uniques = pd.factorize(sub[cluster])
    n_clusters = len(uniques)
    if n_clusters < 2:
        raise ParameterError(
            f"{func}: column {cluster!r} (cluster) has {n_clusters} distinct value(s); "
            "cluster-robust errors need at least 2 clusters"
        )
    columns = [np.ones(len(sub)), t_ind, p_ind, t_ind * p_ind]
    columns += [require_numeric(func, sub[c], c).to_numpy() for c in covariates]
    names = ["Intercept", treated, post, f"{treated}:{post}", *covariates]
    x = np.column_stack(columns)
    beta, cov = _ols_cluster(func, x, y, codes, n_clusters, names)
    n_obs = len(sub)
    df = n_clusters - 1 if df_method == "cluster" else n_obs - len(names)
    if vcov == "CR2":
        xtx_inv = np.linalg.inv(x.T @ x)
        cov, dfs = cr2_ols(x, xtx_inv, y - x @ beta, codes, n_clusters)
        df = float(dfs[3])
    est, se = beta[3], float(np.sqrt(cov[3, 3]))
    inf = _t_inference(func, np.array([est]), np.array([se]), df, ci)
    return pd.Series(
        {
            "estimate": float(est),
            "se": se,
            "t": float(inf["t"][0]),
            "df": float(df),
            "p": float(inf["p"][0]),
            "ci_low": float(inf["ci_low"][0]),
            "ci_high": float(inf["ci_high"][0]),
            "n_obs": n_obs,
            "n_clusters": n_clusters,
        },
        dtype=object,
    ).infer_objects()


def rate_change(result: pd.Series | dict) -> pd.Series:
    """A rate ratio as the percent change of the rate: (rate ratio - 1) x 100, with its CI.

    The words of a count outcome ("58% fewer complaints") as numbers: the percent
    change and its interval are the rate ratio's, moved by 1 and times 100 (a monotone
    map, so the interval keeps its coverage).

    Parameters
    ----------
    result : Series or mapping
        :func:`evalkit.count_did` (``rate_ratio, ci_low, ci_high``; ``n_obs`` and
        ``n_clusters`` are passed on when present).

    Returns
    -------
    Series
        ``pct_change, ci_low, ci_high`` (percent; negative: fewer events), ``n_obs,
        n_clusters``.

    Raises
    ------
    ParameterError
        ``result`` lacks ``rate_ratio``, ``ci_low`` or ``ci_high``.

    Examples
    --------
    >>> res = rate_change({"rate_ratio": 0.42, "ci_low": 0.28, "ci_high": 0.63, "n_obs": 78})
    >>> [round(float(res[k]), 6) for k in ("pct_change", "ci_low", "ci_high", "n_obs")]
    [-58.0, -72.0, -37.0, 78.0]
    """
    missing = [k for k in ("rate_ratio", "ci_low", "ci_high") if k not in result]
    if missing:
        raise ParameterError(
            f"rate_change: parameter 'result' must hold rate_ratio, ci_low and ci_high "
            f"(a count_did result); missing {missing}"
        )
    rr, low, high = (float(result[k]) for k in ("rate_ratio", "ci_low", "ci_high"))
    get = result.get if hasattr(result, "get") else dict(result).get
    return pd.Series(
        {
            "pct_change": (rr - 1.0) * 100.0,
            "ci_low": (low - 1.0) * 100.0,
            "ci_high": (high - 1.0) * 100.0,
            "n_obs": float(get("n_obs", np.nan)),
            "n_clusters": float(get("n_clusters", np.nan)),
        },
        name="rate_change",
    )


def _event_fit(
    func: str,
    data: pd.DataFrame,
    outcome: str,
    treated: str,
    period: str,
    cluster: str,
    reference: Hashable | None,
) -> tuple[np.ndarray, ...]:
    """The saturated event-study OLS: periods, estimates, covariance and cell counts."""
    require_columns(func, data, [outcome, treated, period, cluster])
    sub = _complete(func, data, [outcome, treated, period, cluster])
    y = require_numeric(func, sub[outcome], outcome).to_numpy()
    t_ind = indicator(func, sub[treated], treated)
    periods = np.sort(pd.unique(sub[period]))
    p_codes = pd.Categorical(sub[period], categories=periods).codes
    n_p = len(periods)
    n_t = np.bincount(p_codes, weights=t_ind, minlength=n_p)
    n_all = np.bincount(p_codes, minlength=n_p)
    empty = (n_t == 0) | (n_t == n_all)
    if empty.any():
        raise ParameterError(
            f"{func}: period {py(periods[np.argmax(empty)])!r} has no "
            f"{'treated' if n_t[np.argmax(empty)] == 0 else 'control'} rows; every period "
            "needs both groups"
        )
    if reference is not None and reference not in set(periods.tolist()):
        raise ParameterError(
            f"{func}: parameter 'reference' must be a period of column {period!r}, got "
            f"{reference!r}; periods: {periods.tolist()}"
        )
    codes, uniques = pd.factorize(sub[cluster])
    if len(uniques) < 2:
        raise ParameterError(
            f"{func}: column {cluster!r} (cluster) has {len(uniques)} distinct value(s); "
            "cluster-robust errors need at least 2 clusters"
        )
    dummies = np.zeros((len(sub), n_p))
    dummies[np.arange(len(sub)), p_codes] = 1.0
    X = np.hstack([dummies, dummies * t_ind[:, None]])
    names = [f"{p}" for p in periods] + [f"{p}:{treated}" for p in periods]
    beta, vcov = _ols_cluster(func, X, y, codes, len(uniques), names)
    est = beta[n_p:]
    V = vcov[n_p:, n_p:]
    if reference is not None:
        r = int(np.flatnonzero(periods == reference)[0])
        L = np.eye(n_p)
        L[:, r] -= 1.0
        est = L @ est
        V = L @ V @ L.T
    else:
        r = -1
    return periods, est, V, p_codes, n_t, n_all, y, t_ind, len(uniques), r


def event_study(
    data: pd.DataFrame,
    outcome: str,
    treated: str = C.TREATED,
    period: str = C.PERIOD,
    cluster: str = C.UNIT,
    *,
    reference: Hashable | None = None,
    ci: float = 0.95,
) -> pd.DataFrame:
    """Treated-minus-control difference per period, for the parallel-trends plot.

    Parameters
    ----------
    data : DataFrame
        One row per observation (unit x period, or respondent).
    outcome : str
        Numeric outcome column.
    treated : str, default ``"treated"``
        Boolean (or 0/1) column: unit belongs to the trained group.
    period : str, default ``"period"``
        Period column; periods are sorted by value (``"2024-S1" < "2024-S2"``, or use
        ``period_index``).
    cluster : str, default ``"unit"``
        Cluster of the robust variance (the unit). At least 2 clusters.
    reference : period value, optional
        If given, every difference is expressed relative to this period's difference
        (usually the last one before training): the event-study normalisation. The
        reference row then has estimate 0 and NaN standard error.
    ci : float, default 0.95
        Confidence level.

    Returns
    -------
    DataFrame
        Indexed by period: ``n_treated, n_control, mean_treated, mean_control, estimate,
        se, t, p, ci_low, ci_high``.

    Raises
    ------
    ParameterError
        If a column is missing or non-numeric, ``treated`` is not boolean, a period has
        no treated or no control rows, fewer than 2 clusters, or ``reference`` is not a
        period of the data.

    Notes
    -----
    One saturated OLS, ``outcome ~ 0 + period + period:treated``, whose ``period:treated``
    coefficients are exactly the per-period differences of means; the covariance is CR1
    cluster-robust over all periods (units are followed over time), with
    ``c = G/(G-1) * (N-1)/(N-K)`` and t on ``G - 1`` df, as :func:`did`. Relative
    differences use the joint covariance: ``var(b_t - b_ref)``. Validated against
    ``lm(y ~ 0 + factor(year) + factor(year):treated)`` with
    ``sandwich::vcovCL(type = "HC1")`` and ``lmtest::coeftest(df = G - 1)`` on 12 firms
    of ``sandwich::PetersenCL``: relative error < 1e-9.

    References
    ----------
    Angrist, J. D., & Pischke, J.-S. (2009). *Mostly Harmless Econometrics*, ch. 5.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({
    ...     "unit": ["a", "b", "c", "d"] * 2,
    ...     "treated": [True, True, False, False] * 2,
    ...     "period": ["2024-S1"] * 4 + ["2024-S2"] * 4,
    ...     "ikm": [70.0, 72.0, 71.0, 70.0, 80.0, 79.0, 72.0, 71.0],
    ... })
    >>> event_study(d, "ikm")["estimate"].tolist()
    [0.5, 8.0]
    """
    func = "event_study"
    check_ci(func, ci)
    periods, est, V, p_codes, n_t, n_all, y, t_ind, n_g, r = _event_fit(
        func, data, outcome, treated, period, cluster, reference
    )
    n_p = len(periods)
    se = np.sqrt(np.clip(np.diag(V), 0.0, None))
    with warnings.catch_warnings():
        if reference is not None:  # the reference row has se 0 by construction
            warnings.simplefilter("ignore", EvalkitWarning)
        inf = _t_inference(func, est, se, n_g - 1, ci)
    if reference is not None:
        se[r] = np.nan
    sum_t = np.bincount(p_codes, weights=y * t_ind, minlength=n_p)
    sum_all = np.bincount(p_codes, weights=y, minlength=n_p)
    out = pd.DataFrame(
        {
            "n_treated": n_t.astype(int),
            "n_control": (n_all - n_t).astype(int),
            "mean_treated": sum_t / n_t,
            "mean_control": (sum_all - sum_t) / (n_all - n_t),
            "estimate": est,
            "se": se,
            **inf,
        },
        index=pd.Index(periods, name=period),
    )
    return out


def pretrend_test(
    data: pd.DataFrame,
    outcome: str,
    treated: str = C.TREATED,
    period: str = C.PERIOD,
    cluster: str = C.UNIT,
    *,
    reference: Hashable,
    first_post: Hashable,
) -> pd.Series:
    """Joint Wald test that the event study's pre-training differences are all zero.

    The parallel-trends check of :func:`event_study`: its differences relative to
    ``reference`` in every period before ``first_post`` (other than the reference) are
    tested together with their cluster-robust covariance.

    Parameters
    ----------
    data, outcome, treated, period, cluster, reference
        As :func:`event_study` (``reference`` is required).
    first_post : period value
        The first period after the training.

    Returns
    -------
    Series
        ``statistic`` (F = Wald / q), ``df1`` (q), ``df2`` (``G - 1``), ``p``, ``chi2``,
        ``p_chi2``, ``n_clusters``, as :func:`evalkit.count_pretrend_test`.

    Raises
    ------
    ParameterError
        As :func:`event_study`; no pre-period besides the reference.

    Notes
    -----
    Validated against R: ``lm(y ~ 0 + factor(period) + factor(period):treated)``,
    ``sandwich::vcovCL(type = "HC1")``, the Wald statistic of ``L b`` with ``L V L'``
    (``tests/reference/level4.R``).

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"unit": list("abcd") * 3, "treated": [True, True, False, False] * 3,
    ...                   "period": [0] * 4 + [1] * 4 + [2] * 4,
    ...                   "ikm": [70.0, 72, 71, 70, 71, 72, 70, 71, 80, 79, 72, 71]})
    >>> res = pretrend_test(d, "ikm", reference=1, first_post=2)
    >>> int(res["df1"]), int(res["df2"])
    (1, 3)
    """
    func = "pretrend_test"
    periods, est, V, *_, n_g, r = _event_fit(
        func, data, outcome, treated, period, cluster, reference
    )
    keep = np.array([k for k in range(len(periods)) if k != r])
    return wald_pretrend(func, periods, keep, est[keep], V[np.ix_(keep, keep)], n_g, first_post)


# --- multilevel ----------------------------------------------------------------------
@dataclass(frozen=True)
class MultilevelResult:
    """Result of :func:`multilevel`.

    Attributes
    ----------
    icc : float
        Intraclass correlation, ``var_group / (var_group + var_resid)``.
    var_group, var_resid : float
        REML variance of the random intercept and of the residual.
    n_obs, n_groups : int
        Observations and groups used.
    fixed : DataFrame
        Indexed ``Intercept`` and each predictor; columns ``estimate, se, z, p, ci_low,
        ci_high``.
    reml_criterion : float
        -2 x the REML log-likelihood (lme4's "REML criterion at convergence").
    converged : bool
        Whether the optimiser reported convergence.
    icc_ci_low, icc_ci_high : float
        Confidence interval of the ICC: the F interval of the one-way ANOVA ICC(1)
        (NaN when the model has predictors).
    ci : float
        Confidence level of ``icc_ci_low, icc_ci_high`` and of ``fixed``.
    """

    icc: float
    var_group: float
    var_resid: float
    n_obs: int
    n_groups: int
    fixed: pd.DataFrame
    reml_criterion: float
    converged: bool
    icc_ci_low: float = float("nan")
    icc_ci_high: float = float("nan")
    ci: float = 0.95

    def to_series(self) -> pd.Series:
        """The scalar results as a Series (``icc, var_group, var_resid, n_obs, n_groups,
        icc_ci_low, icc_ci_high``)."""
        return pd.Series(
            {
                "icc": self.icc,
                "var_group": self.var_group,
                "var_resid": self.var_resid,
                "n_obs": self.n_obs,
                "n_groups": self.n_groups,
                "icc_ci_low": self.icc_ci_low,
                "icc_ci_high": self.icc_ci_high,
            },
            dtype=object,
        ).infer_objects()


def multilevel(
    data: pd.DataFrame,
    outcome: str,
    group: str,
    predictors: Sequence[str] = (),
    *,
    ci: float = 0.95,
) -> MultilevelResult:
    """Random-intercept model fitted by REML: staff nested in units or cohorts.

    Parameters
    ----------
    data : DataFrame
        One row per person (or observation).
    outcome : str
        Numeric outcome column.
    group : str
        Grouping column of the random intercept (``unit``, ``cohort_id``).
    predictors : sequence of str, optional
        Numeric or boolean columns entering as fixed effects (dummy-code categories
        first).
    ci : float, default 0.95
        Confidence level of the fixed-effect intervals and of the ICC interval.

    Returns
    -------
    MultilevelResult
        ``icc, var_group, var_resid, n_obs, n_groups``, ``fixed`` (DataFrame indexed
        ``Intercept`` + predictors, columns ``estimate, se, z, p, ci_low, ci_high``),
        ``reml_criterion``, ``converged``, ``icc_ci_low, icc_ci_high`` (without
        predictors).

    Raises
    ------
    ParameterError
        If a column is missing or non-numeric, fewer than 2 groups, or no more rows
        than fixed effects + 2; an outcome with one value, or one the predictors
        reproduce exactly (no variance to split).

    Warns
    -----
    EvalkitWarning
        Rows with missing values dropped; the group variance is estimated at 0 (below
        1e-6 of the residual variance: reported as exactly 0, ICC 0, as lme4 does); the
        optimiser did not converge.

    Notes
    -----
    ``y_ij = x_ij' beta + u_j + e_ij``, ``u_j ~ N(0, var_group)``,
    ``e_ij ~ N(0, var_resid)``, fitted by REML with ``statsmodels`` ``MixedLM``
    (Powell's method first: on these data sets it reaches lme4's optimum to 1e-7,
    where the gradient methods stop at 1e-5 or fail).
    The standard errors are lme4's, ``sqrt(diag((X' V^-1 X)^-1))`` at the REML variances.
    p-values and intervals are Wald z (normal), as ``confint(m, method = "Wald")`` in
    lme4; lme4 prints no p-values because with few groups a t reference with
    Satterthwaite df (lmerTest) is more honest, so read p with care below ~20 groups.
    Validated against ``lme4::lmer(Reaction ~ Days + (1 | Subject), sleepstudy)`` and
    ``lmer(Yield ~ 1 + (1 | Batch), Dyestuff)``: variance components, estimates, SE and
    Wald intervals agree to better than 1e-5 relative.

    The ICC interval (models without predictors) is the F interval of the one-way
    ANOVA ICC(1) (Searle 1971; Donner 1986): with ``F = MSB / MSW`` on ``(g - 1, N - g)``
    df and ``n0 = (N - sum n_j^2 / N) / (g - 1)``, ``F_L = F / F_{1-a/2}(g-1, N-g)``,
    ``F_U = F * F_{1-a/2}(N-g, g-1)``, bounds ``(F_x - 1) / (F_x + n0 - 1)``, clipped to
    [0, 1]. It is exact under normality for balanced groups (``psych::ICC``'s ICC1
    bounds; validated on ``Dyestuff``) and the usual approximation otherwise (validated
    against the same formula with ``aov`` mean squares on an unbalanced ``Dyestuff``).
    For balanced data away from the boundary the REML ICC equals the ANOVA ICC(1), so
    the interval belongs to the point estimate; for unbalanced data they differ slightly.
    References
    ----------
    Bates, D., Maechler, M., Bolker, B., & Walker, S. (2015). Fitting linear
    mixed-effects models using lme4. *Journal of Statistical Software*, 67(1).
    Snijders, T. A. B., & Bosker, R. J. (2012). *Multilevel Analysis* (2nd ed.).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(1)
    >>> unit = np.repeat(np.arange(8), 10)
    >>> d = pd.DataFrame({"unit": unit,
    ...                   "score": 70 + rng.normal(0, 4, 8)[unit] + rng.normal(0, 4, 80)})
    >>> res = multilevel(d, "score", "unit")
    >>> res.n_groups, list(res.fixed.index), 0 < res.icc < 1
    (8, ['Intercept'], True)
    """
    import statsmodels.api as sm
    from statsmodels.tools.sm_exceptions import ConvergenceWarning

    func = "multilevel"
    check_ci(func, ci)
    predictors = list(predictors)
    if group in predictors or outcome in predictors:
        raise ParameterError(
            f"{func}: parameter 'predictors' must not contain the outcome or group column, "
            f"got {predictors}"
        )
    require_columns(func, data, [outcome, group, *predictors])
    sub = _complete(func, data, [outcome, group, *predictors])
    y = require_numeric(func, sub[outcome], outcome).to_numpy()
    if len(y) and (y == y[0]).all():
        raise ParameterError(
            f"{func}: column {outcome!r} (outcome) has the one value {py(y[0])} in all "
            f"{len(y)} complete rows; there is no variance to split between and within groups"
        )
    exog = pd.DataFrame({"Intercept": np.ones(len(sub))}, index=sub.index)
    for p in predictors:
        exog[p] = require_numeric(func, sub[p], p).to_numpy()
    codes, uniques = pd.factorize(sub[group])
    if len(uniques) < 2:
        raise ParameterError(
            f"{func}: column {group!r} (group) has {len(uniques)} distinct value(s); a "
            "random intercept needs at least 2 groups"
        )
    if len(sub) < exog.shape[1] + 2:
        raise ParameterError(
            f"{func}: {len(sub)} complete rows for {exog.shape[1]} fixed effects; need at "
            f"least {exog.shape[1] + 2}"
        )
    if np.linalg.matrix_rank(exog.to_numpy()) < exog.shape[1]:
        raise ParameterError(
            f"{func}: predictors {predictors} are constant or collinear with each other"
        )
    model = sm.MixedLM(y, exog, groups=codes)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit = model.fit(reml=True, method=["powell", "bfgs", "lbfgs"])
    var_group = float(np.asarray(fit.cov_re).item())
    var_resid = float(fit.scale)
    if not var_group + var_resid > 1e-12 * float(np.var(y)):
        raise ParameterError(
            f"{func}: the predictors {predictors} reproduce every value of {outcome!r} "
            f"exactly (variance left {var_group + var_resid:.1g}); there is no variance to "
            "split between and within groups"
        )
    boundary = var_group <= 1e-6 * var_resid
    if boundary:
        var_group = 0.0
        warn(
            func,
            f"the variance of the {group!r} intercept is estimated at 0 (boundary fit); ICC is 0",
        )
    elif not fit.converged or any(issubclass(w.category, ConvergenceWarning) for w in caught):
        warn(func, "the REML optimiser reports a convergence problem; check the estimates")
    k = exog.shape[1]
    est = np.asarray(fit.fe_params, dtype=float)
    # lme4's vcov: (X' V^-1 X)^-1 at the REML variances, with V_j^-1 = (I - w_j 11') / var_resid,
    # w_j = var_group / (var_resid + n_j var_group). statsmodels' cov_params() inverts the
    # joint Hessian, whose cross terms with the variance parameters are not 0 on unbalanced
    # data (SE 1e-4 relative off lme4's on an unbalanced Dyestuff).
    x = exog.to_numpy(dtype=float)
    sums = np.column_stack([np.bincount(codes, weights=x[:, j]) for j in range(k)])
    w = var_group / (var_resid + np.bincount(codes) * var_group)
    info = (x.T @ x - (sums * w[:, None]).T @ sums) / var_resid
    se = np.sqrt(np.diag(np.linalg.inv(info)))
    z = est / se
    q = stats.norm.ppf(1 - (1 - ci) / 2)
    fixed = pd.DataFrame(
        {
            "estimate": est,
            "se": se,
            "z": z,
            "p": 2 * stats.norm.sf(np.abs(z)),
            "ci_low": est - q * se,
            "ci_high": est + q * se,
        },
        index=pd.Index(exog.columns, name="term"),
    )
    icc_low, icc_high = (np.nan, np.nan) if predictors else _icc1_interval(y, codes, ci)
    return MultilevelResult(
        icc=var_group / (var_group + var_resid),
        var_group=var_group,
        var_resid=var_resid,
        n_obs=len(sub),
        n_groups=len(uniques),
        fixed=fixed,
        reml_criterion=float(-2 * fit.llf),
        converged=bool(fit.converged),
        icc_ci_low=icc_low,
        icc_ci_high=icc_high,
        ci=ci,
    )


def _icc1_interval(y: np.ndarray, codes: np.ndarray, ci: float) -> tuple[float, float]:
    """F interval of the one-way ANOVA ICC(1) (see :func:`multilevel`)."""
    n_j = np.bincount(codes).astype(float)
    g, n = len(n_j), float(len(y))
    means = np.bincount(codes, weights=y) / n_j
    msb = float(np.sum(n_j * (means - y.mean()) ** 2) / (g - 1))
    msw = float(np.sum((y - means[codes]) ** 2) / (n - g))
    if not msw > 0:
        return (np.nan, np.nan)
    n0 = (n - np.sum(n_j**2) / n) / (g - 1)
    f = msb / msw
    a = (1 - ci) / 2
    f_low = f / stats.f.ppf(1 - a, g - 1, n - g)
    f_high = f * stats.f.ppf(1 - a, n - g, g - 1)
    low, high = ((x - 1) / (x + n0 - 1) for x in (f_low, f_high))
    return float(np.clip(low, 0.0, 1.0)), float(np.clip(high, 0.0, 1.0))
