"""Level 4 count outcomes: Poisson and negative binomial two-way fixed effects.

Counts (complaints per unit and period) are modelled by a Poisson regression with unit
and period fixed effects (two-way fixed effects, TWFE), or a negative binomial one when
the counts are overdispersed; the effect of the training is a rate ratio
(:func:`count_did`), its timing a Poisson event study (:func:`count_event_study`) with
the joint pre-trend test (:func:`count_pretrend_test`). The few-cluster checks of these
models are in :mod:`evalkit.metrics.inference`.

Examples
--------
>>> import numpy as np
>>> round(float(np.exp(-0.356675)), 4)  # a log rate ratio of -0.357 is 30% fewer
0.7
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Literal

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

from evalkit import constants as C
from evalkit.errors import ParameterError
from evalkit.metrics._validate import check_ci, py, require_columns, require_numeric, warn
from evalkit.metrics.results import indicator

__all__ = ["count_did", "count_event_study", "count_pretrend_test"]


# --- panel set-up ---------------------------------------------------------------------
def unit_panel(
    func: str,
    data: pd.DataFrame,
    outcome: str,
    treated: str,
    cluster: str,
    extra: Sequence[str],
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Complete rows; the outcome, unit codes, unit names and the per-unit treated flag."""
    columns = [outcome, treated, cluster, *extra]
    require_columns(func, data, columns)
    sub = data[columns]
    keep = sub.notna().all(axis=1)
    if not keep.all():
        warn(
            func,
            f"{int((~keep).sum())} row(s) with a missing value in {columns} dropped",
            stacklevel=3,
        )
        sub = sub[keep]
    y = require_numeric(func, sub[outcome], outcome).to_numpy(dtype=float)
    t_ind = indicator(func, sub[treated], treated)
    codes, uniques = pd.factorize(sub[cluster], sort=True)
    n_units = len(uniques)
    if n_units < 3:
        raise ParameterError(
            f"{func}: column {cluster!r} (cluster) has {n_units} distinct value(s); need at "
            "least 3 units"
        )
    lo = np.full(n_units, np.inf)
    hi = np.full(n_units, -np.inf)
    np.minimum.at(lo, codes, t_ind)
    np.maximum.at(hi, codes, t_ind)
    if (lo != hi).any():
        bad = uniques[int(np.argmax(lo != hi))]
        raise ParameterError(
            f"{func}: column {treated!r} must be constant within each {cluster!r}; unit "
            f"{py(bad)!r} has both values"
        )
    return sub, y, codes, np.asarray(uniques), hi


def dummies(codes: np.ndarray, n: int, drop_first: bool = True) -> np.ndarray:
    out = np.zeros((len(codes), n))
    out[np.arange(len(codes)), codes] = 1.0
    return out[:, 1:] if drop_first else out


def _counts(func: str, y: np.ndarray, outcome: str) -> None:
    if (y < 0).any() or (np.abs(y - np.round(y)) > 1e-9).any():
        raise ParameterError(
            f"{func}: column {outcome!r} must hold counts (whole numbers >= 0) for a count model"
        )


def _require_residuals(func: str, y: np.ndarray, mu: np.ndarray, outcome: str) -> None:
    """Refuse a fit that reproduces every count: its cluster-robust se is 0 (or rounding)."""
    largest = float(np.abs(y - mu).max())
    if largest <= 1e-6 * max(1.0, float(y.max())):
        raise ParameterError(
            f"{func}: the model reproduces every value of {outcome!r} exactly (largest "
            f"residual {largest:.1g}), so there is no variation left for a standard error"
        )


# --- Poisson / negative binomial GLM, batched -------------------------------------------
def _glm_fit(
    X: np.ndarray, y: np.ndarray, theta: float = np.inf, tol: float = 1e-11, max_iter: int = 100
) -> tuple[np.ndarray, np.ndarray]:
    """IRLS of a log-link Poisson (``theta = inf``) or negative binomial GLM.

    ``X`` is ``(N, K)`` or a batch ``(A, N, K)``; returns the coefficients ``(…, K)`` and
    the fitted means ``(…, N)``. Starts as R's ``glm`` does (``mu = y + 0.1``) and stops
    when no coefficient changes by more than ``tol`` (relative to ``1 + |b|``).
    """
    mu = np.broadcast_to(y + 0.1, X.shape[:-1]).copy()
    eta = np.log(mu)
    beta = np.full(X.shape[:-2] + X.shape[-1:], np.inf)
    for _ in range(max_iter):
        w = mu / (1.0 + mu / theta)
        z = eta + (y - mu) / mu
        xtw = np.swapaxes(X * w[..., None], -1, -2)
        new = np.linalg.solve(xtw @ X, (xtw @ z[..., None]))[..., 0]
        eta = (X @ new[..., None])[..., 0]
        mu = np.exp(eta)
        done = np.all(np.abs(new - beta) <= tol * (1.0 + np.abs(new)))
        beta = new
        if done:
            break
    return beta, mu


def poisson_twfe_batch(
    D: np.ndarray,
    codes: np.ndarray,
    p_codes: np.ndarray,
    y: np.ndarray,
    tol: float = 1e-11,
    max_iter: int = 100,
) -> np.ndarray:
    """Poisson TWFE coefficient of ``D`` for every row ``D_a`` of ``D`` (A x N) at once.

    ``codes`` and ``p_codes`` are the unit and period codes of the N rows. The unit
    effects are concentrated out (``exp(alpha_u) = Y_u / sum_t exp(x_ut' b)``: the
    fixed-effects Poisson likelihood, whose maximiser is that of the dummy-variable fit),
    leaving Newton steps on the ``D`` coefficient and the period effects; unit and period
    sums are reductions over all fits at once (no per-fit loop).
    """
    order = np.argsort(codes, kind="stable")
    D, codes, p_codes, y = D[:, order], codes[order], p_codes[order], y[order]
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    periods = [p_codes == j for j in range(1, int(p_codes.max()) + 1)]

    def by_unit(x: np.ndarray) -> np.ndarray:
        return np.add.reduceat(x, starts, axis=-1)

    def by_period(x: np.ndarray) -> np.ndarray:
        return np.stack([x[..., j].sum(axis=-1) for j in periods], axis=-1)

    n_a, k = D.shape[0], 1 + len(periods)
    Y = by_unit(y)
    theta = np.zeros((n_a, k))
    P = np.column_stack(periods).astype(float)
    H = np.empty((n_a, k, k))
    idx = np.arange(1, k)
    for _ in range(max_iter):
        e = np.exp(D * theta[:, :1] + theta[:, 1:] @ P.T)
        mu = e * (Y / by_unit(e))[:, codes]
        r = y - mu
        score = np.column_stack([np.sum(D * r, axis=1), by_period(r)])
        muD = mu * D
        m = np.concatenate(
            [by_unit(muD)[:, None, :], np.stack([by_unit(mu * j) for j in periods], axis=1)],
            axis=1,
        )  # A x K x G: unit sums of mu * x
        H[:, 0, 0] = np.sum(muD * D, axis=1)
        H[:, 0, 1:] = by_period(muD)
        H[:, 1:, 0] = H[:, 0, 1:]
        H[:, 1:, 1:] = 0.0
        H[:, idx, idx] = by_period(mu)
        H -= np.einsum("akg,ajg->akj", m / Y, m)
        step = np.linalg.solve(H, score[..., None])[..., 0]
        theta = theta + step
        if np.all(np.abs(step) <= tol * (1.0 + np.abs(theta))):
            break
    return theta[:, 0]


def _loglik(y: np.ndarray, mu: np.ndarray, theta: float) -> float:
    if np.isinf(theta):
        return float(np.sum(stats.poisson.logpmf(y, mu)))
    return float(
        np.sum(
            special.gammaln(theta + y)
            - special.gammaln(theta)
            - special.gammaln(y + 1)
            + theta * np.log(theta / (theta + mu))
            + y * np.log(mu / (theta + mu))
        )
    )


def _theta_ml(X: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """Maximum-likelihood theta of the negative binomial (as ``MASS::glm.nb``)."""

    def nll(log_theta: float) -> float:
        theta = float(np.exp(log_theta))
        _, mu = _glm_fit(X, y, theta)
        return -_loglik(y, mu, theta)

    res = optimize.minimize_scalar(nll, bounds=(-8.0, 12.0), method="bounded",
                                   options={"xatol": 1e-10})  # fmt: skip
    theta = float(np.exp(res.x))
    beta, mu = _glm_fit(X, y, theta)
    return theta, beta, mu


def _glm_cluster_vcov(
    X: np.ndarray, y: np.ndarray, mu: np.ndarray, theta: float, codes: np.ndarray, n_g: int
) -> np.ndarray:
    """Cluster-robust covariance of a log-link GLM: ``sandwich::vcovCL(m, cluster = ~g)``.

    HC0 with the cluster adjustment ``G / (G - 1)`` (the default of ``vcovCL`` for a glm,
    and Stata's ``vce(cluster)`` for ``poisson``).
    """
    w = mu / (1.0 + mu / theta)
    bread = np.linalg.inv((X * w[:, None]).T @ X)
    resid = (y - mu) / (1.0 + mu / theta)
    scores = np.column_stack(
        [np.bincount(codes, weights=X[:, j] * resid, minlength=n_g) for j in range(X.shape[1])]
    )
    return n_g / (n_g - 1) * bread @ (scores.T @ scores) @ bread


def _reference(df_method: str, n_g: int, func: str) -> float:
    if df_method not in ("cluster", "normal"):
        raise ParameterError(
            f"{func}: parameter 'df_method' must be 'cluster' or 'normal', got {df_method!r}"
        )
    return float(n_g - 1) if df_method == "cluster" else np.inf


def _quantile(ci: float, df: float) -> float:
    return float(
        stats.norm.ppf(1 - (1 - ci) / 2) if np.isinf(df) else stats.t.ppf(1 - (1 - ci) / 2, df)
    )


def _pvalue(t: np.ndarray, df: float) -> np.ndarray:
    return 2 * (stats.norm.sf(np.abs(t)) if np.isinf(df) else stats.t.sf(np.abs(t), df))


def count_design(
    func: str, data: pd.DataFrame, outcome: str, treated: str, post: str, period: str, cluster: str
) -> tuple[np.ndarray, ...]:
    """y, fixed-effect columns (intercept, unit, period), D, unit codes, unit flag, post, period codes."""
    sub, y, codes, _, unit_treated = unit_panel(
        func, data, outcome, treated, cluster, [post, period]
    )
    _counts(func, y, outcome)
    sums = np.bincount(codes, weights=y)
    if (sums == 0).any():
        raise ParameterError(
            f"{func}: {int((sums == 0).sum())} unit(s) have only zero counts of {outcome!r}; "
            "their fixed effect is not estimable: drop them"
        )
    p_ind = indicator(func, sub[post], post)
    p_codes, p_uniques = pd.factorize(sub[period], sort=True)
    d = unit_treated[codes] * p_ind
    if d.sum() == 0 or d.sum() == len(d):
        raise ParameterError(f"{func}: no treated x post rows (or only such rows)")
    fe = np.hstack(
        [np.ones((len(y), 1)), dummies(codes, codes.max() + 1), dummies(p_codes, len(p_uniques))]
    )
    return y, fe, d, codes, unit_treated, p_ind, p_codes


def count_did(
    data: pd.DataFrame,
    outcome: str,
    treated: str = C.TREATED,
    post: str = C.POST,
    period: str = C.PERIOD,
    cluster: str = C.UNIT,
    *,
    family: Literal["auto", "poisson", "negbin"] = "auto",
    ci: float = 0.95,
    df_method: Literal["cluster", "normal"] = "cluster",
    alpha: float = 0.05,
) -> pd.Series:
    """Difference-in-differences of a count as a rate ratio: Poisson (or NB) TWFE.

    Fits ``log E[y] = unit + period + b * (treated x post)`` and reports
    ``exp(b)``, the rate ratio of the trained units after the training (0.7: 30% fewer).

    Parameters
    ----------
    data : DataFrame
        One row per unit x period.
    outcome : str
        Count column (whole numbers >= 0), e.g. ``complaints``.
    treated, post, period, cluster : str
        Columns: the unit is trained (constant within unit); the period is after the
        training; the period (fixed effect); the unit (fixed effect and cluster).
    family : {"auto", "poisson", "negbin"}, default "auto"
        ``"auto"`` fits the negative binomial when the likelihood-ratio test of
        overdispersion rejects at ``alpha``, else Poisson; ``"poisson"`` skips the
        negative binomial fit (``overdispersion_lr`` and ``_p`` are then NaN).
    ci : float, default 0.95
    df_method : {"cluster", "normal"}, default "cluster"
        t with ``G - 1`` df (few-cluster convention, as :func:`evalkit.did`) or normal
        (R's ``coeftest`` on a glm, Stata's ``poisson``).
    alpha : float, default 0.05
        Level of the overdispersion test for ``family="auto"``.

    Returns
    -------
    Series
        ``rate_ratio, ci_low, ci_high`` (rate-ratio scale), ``estimate, se, t, df, p``
        (log scale), ``family, theta`` (NB dispersion, inf for Poisson),
        ``overdispersion_lr, overdispersion_p, n_obs, n_clusters``.

    Raises
    ------
    ParameterError
        A missing or non-count column, ``treated`` not constant within a unit, fewer than
        3 units, a unit with only zeros, no treated x post rows, a bad ``family``; a
        model that reproduces every count exactly (no residual left for a standard error).

    Notes
    -----
    The covariance is ``sandwich::vcovCL(m, cluster = ~unit)`` (HC0 with ``G/(G-1)``).
    The overdispersion test is the likelihood-ratio of the negative binomial against the
    Poisson, with the boundary p-value ``P(chi2_1 > LR) / 2``. The NB fit maximises the
    likelihood over theta (``MASS::glm.nb``); its covariance treats theta as known, as
    ``vcovCL`` on a ``glm.nb`` fit does. Validated against R 4.2
    (``glm(y ~ D + factor(unit) + factor(period), family = poisson)``, ``MASS::glm.nb``,
    ``sandwich::vcovCL``, ``lmtest::coeftest``) on the fixed-seed panel of
    ``tests/reference/level4.R``.

    References
    ----------
    Wooldridge, J. M. (2023). Simple approaches to nonlinear difference-in-differences
    with panel data. *The Econometrics Journal*, 26(3), C31-C66.
    Cameron, A. C., & Trivedi, P. K. (2013). *Regression Analysis of Count Data* (2nd ed.).

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"unit": list("aabbccdd"), "treated": [True] * 4 + [False] * 4,
    ...                   "post": [False, True] * 4, "period": [1, 2] * 4,
    ...                   "complaints": [10, 6, 8, 3, 6, 7, 9, 8]})
    >>> res = count_did(d, "complaints", family="poisson")
    >>> round(float(res["rate_ratio"]), 6)  # (9/18) / (15/15)
    0.5
    """
    func = "count_did"
    check_ci(func, ci)
    if family not in ("auto", "poisson", "negbin"):
        raise ParameterError(
            f"{func}: parameter 'family' must be 'auto', 'poisson' or 'negbin', got {family!r}"
        )
    y, fe, d, codes, _, _, _ = count_design(func, data, outcome, treated, post, period, cluster)
    n_obs = len(y)
    n_g = int(codes.max()) + 1
    X = np.column_stack([d, fe])
    if np.linalg.matrix_rank(X) < X.shape[1]:
        raise ParameterError(f"{func}: the design is collinear (treated x post vs fixed effects)")
    beta_p, mu_p = _glm_fit(X, y)
    _require_residuals(func, y, mu_p, outcome)
    if family == "poisson":  # no negative binomial fit, no overdispersion test
        lr, lr_p, use_nb = float("nan"), float("nan"), False
    else:
        theta_nb, beta_nb, mu_nb = _theta_ml(X, y)
        lr = max(2 * (_loglik(y, mu_nb, theta_nb) - _loglik(y, mu_p, np.inf)), 0.0)
        lr_p = 0.5 * float(stats.chi2.sf(lr, 1)) if lr > 0 else 1.0
        use_nb = family == "negbin" or (family == "auto" and lr_p < alpha)
    theta, beta, mu = (theta_nb, beta_nb, mu_nb) if use_nb else (np.inf, beta_p, mu_p)
    V = _glm_cluster_vcov(X, y, mu, theta, codes, n_g)
    df = _reference(df_method, n_g, func)
    est, se = float(beta[0]), float(np.sqrt(V[0, 0]))
    q = _quantile(ci, df)
    t = est / se
    return pd.Series(
        {
            "rate_ratio": float(np.exp(est)),
            "ci_low": float(np.exp(est - q * se)),
            "ci_high": float(np.exp(est + q * se)),
            "estimate": est,
            "se": se,
            "t": t,
            "df": df,
            "p": float(_pvalue(np.array(t), df)),
            "family": "negbin" if use_nb else "poisson",
            "theta": theta,
            "overdispersion_lr": lr,
            "overdispersion_p": lr_p,
            "n_obs": n_obs,
            "n_clusters": n_g,
        },
        dtype=object,
    ).infer_objects()


# --- event study of a count -------------------------------------------------------------
def _count_event_fit(
    func: str,
    data: pd.DataFrame,
    outcome: str,
    treated: str,
    period: str,
    cluster: str,
    reference: Hashable,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, int, np.ndarray, np.ndarray, np.ndarray]:
    sub, y, codes, _, unit_treated = unit_panel(func, data, outcome, treated, cluster, [period])
    _counts(func, y, outcome)
    p_codes, periods = pd.factorize(sub[period], sort=True)
    periods = np.asarray(periods)
    if reference not in set(periods.tolist()):
        raise ParameterError(
            f"{func}: parameter 'reference' must be a period of column {period!r}, got "
            f"{reference!r}; periods: {periods.tolist()}"
        )
    r = int(np.flatnonzero(periods == reference)[0])
    n_g, n_p = int(codes.max()) + 1, len(periods)
    t_row = unit_treated[codes]
    inter = dummies(p_codes, n_p, drop_first=False) * t_row[:, None]
    keep = [k for k in range(n_p) if k != r]
    X = np.hstack(
        [inter[:, keep], np.ones((len(y), 1)), dummies(codes, n_g), dummies(p_codes, n_p)]
    )
    if np.linalg.matrix_rank(X) < X.shape[1]:
        raise ParameterError(f"{func}: the design is collinear; every period needs both groups")
    beta, mu = _glm_fit(X, y)
    _require_residuals(func, y, mu, outcome)
    V = _glm_cluster_vcov(X, y, mu, np.inf, codes, n_g)
    m = len(keep)
    n_t = np.bincount(p_codes, weights=t_row, minlength=n_p)
    n_all = np.bincount(p_codes, minlength=n_p)
    s_t = np.bincount(p_codes, weights=y * t_row, minlength=n_p)
    s_all = np.bincount(p_codes, weights=y, minlength=n_p)
    means = np.column_stack([n_t, n_all - n_t, s_t / n_t, (s_all - s_t) / (n_all - n_t)])
    return periods, np.array(keep), beta[:m], V[:m, :m], n_g, r, means, np.array(len(y))


def count_event_study(
    data: pd.DataFrame,
    outcome: str,
    treated: str = C.TREATED,
    period: str = C.PERIOD,
    cluster: str = C.UNIT,
    *,
    reference: Hashable,
    ci: float = 0.95,
    df_method: Literal["cluster", "normal"] = "cluster",
) -> pd.DataFrame:
    """Poisson event study: the trained units' rate ratio in each period.

    Fits ``log E[y] = unit + period + sum_k b_k (treated x period k)`` with the
    ``reference`` period left out, so ``exp(b_k)`` is the trained-versus-comparison rate
    ratio in period ``k`` relative to the reference period (usually the last one before
    the training). Before the training the ratios should be near 1.

    Parameters
    ----------
    data : DataFrame
        One row per unit x period.
    outcome : str
        Count column.
    treated, period, cluster : str
        Columns of the group (constant within unit), the period and the unit.
    reference : period value
        The period every ratio is relative to (ratio 1, no CI).
    ci : float, default 0.95
    df_method : {"cluster", "normal"}, default "cluster"
        As :func:`count_did`.

    Returns
    -------
    DataFrame
        Indexed by period: ``n_treated, n_control, mean_treated, mean_control, estimate``
        (log rate ratio), ``se, t, p, rate_ratio, ci_low, ci_high`` (rate-ratio scale).

    Raises
    ------
    ParameterError
        As :func:`count_did`; ``reference`` not a period of the data.

    Notes
    -----
    Covariance ``sandwich::vcovCL(m, cluster = ~unit)``; validated against R's ``glm``
    with the same dummies on the panel of ``tests/reference/level4.R``.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"unit": list("aaabbbcccddd"), "treated": [True] * 6 + [False] * 6,
    ...                   "period": [1, 2, 3] * 4,
    ...                   "complaints": [8, 8, 4, 6, 8, 4, 5, 6, 7, 5, 6, 7]})
    >>> res = count_event_study(d, "complaints", reference=2)
    >>> [round(float(x), 6) for x in res["rate_ratio"]]  # period 1: (14/16) / (10/12)
    [1.05, 1.0, 0.428571]
    """
    func = "count_event_study"
    check_ci(func, ci)
    periods, keep, est, V, n_g, r, means, _ = _count_event_fit(
        func, data, outcome, treated, period, cluster, reference
    )
    df = _reference(df_method, n_g, func)
    n_p = len(periods)
    full = np.zeros(n_p)
    full[keep] = est
    se = np.full(n_p, np.nan)
    se[keep] = np.sqrt(np.diag(V))
    t = full / se
    q = _quantile(ci, df)
    out = pd.DataFrame(
        {
            "n_treated": means[:, 0].astype(int),
            "n_control": means[:, 1].astype(int),
            "mean_treated": means[:, 2],
            "mean_control": means[:, 3],
            "estimate": full,
            "se": se,
            "t": t,
            "p": _pvalue(t, df),
            "rate_ratio": np.exp(full),
            "ci_low": np.exp(full - q * se),
            "ci_high": np.exp(full + q * se),
        },
        index=pd.Index(periods, name=period),
    )
    return out


def count_pretrend_test(
    data: pd.DataFrame,
    outcome: str,
    treated: str = C.TREATED,
    period: str = C.PERIOD,
    cluster: str = C.UNIT,
    *,
    reference: Hashable,
    first_post: Hashable,
) -> pd.Series:
    """Joint Wald test that the Poisson event study's pre-training ratios are all 1.

    Parameters
    ----------
    data, outcome, treated, period, cluster, reference
        As :func:`count_event_study`.
    first_post : period value
        The first period after the training: the periods before it, other than the
        reference, are tested.

    Returns
    -------
    Series
        ``statistic`` (F = Wald / q), ``df1`` (q, the pre-periods tested), ``df2``
        (``G - 1``), ``p`` (F reference), ``chi2, p_chi2`` (the Wald chi-square and its
        p, R's ``car::linearHypothesis(test = "Chisq")``), ``n_clusters``.

    Raises
    ------
    ParameterError
        As :func:`count_event_study`; no pre-period besides the reference.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"unit": list("aaabbbcccddd"), "treated": [True] * 6 + [False] * 6,
    ...                   "period": [1, 2, 3] * 4,
    ...                   "complaints": [8, 8, 4, 6, 8, 4, 5, 6, 7, 5, 6, 7]})
    >>> res = count_pretrend_test(d, "complaints", reference=2, first_post=3)
    >>> int(res["df1"]), int(res["df2"])
    (1, 3)
    """
    func = "count_pretrend_test"
    periods, keep, est, V, n_g, _, _, _ = _count_event_fit(
        func, data, outcome, treated, period, cluster, reference
    )
    return wald_pretrend(func, periods, keep, est, V, n_g, first_post)


def wald_pretrend(
    func: str,
    periods: np.ndarray,
    keep: np.ndarray,
    est: np.ndarray,
    V: np.ndarray,
    n_g: int,
    first_post: Hashable,
) -> pd.Series:
    """Joint Wald test of the event-study coefficients of the periods before ``first_post``.

    ``periods`` are all periods (sorted), ``keep`` the indices of the estimated
    (non-reference) ones with estimates ``est`` and covariance ``V``. Returns F on
    ``(q, G - 1)`` df and the chi-square version.

    Examples
    --------
    >>> import numpy as np
    >>> res = wald_pretrend("f", np.array([0, 1, 2]), np.array([0, 2]),
    ...                     np.array([1.0, 3.0]), np.eye(2), 11, first_post=2)
    >>> float(res["chi2"]), int(res["df1"])
    (1.0, 1)
    """
    if first_post not in set(periods.tolist()):
        raise ParameterError(
            f"{func}: parameter 'first_post' must be a period of the data, got {first_post!r}"
        )
    first = int(np.flatnonzero(periods == first_post)[0])
    pre = np.flatnonzero(keep < first)
    if len(pre) == 0:
        raise ParameterError(
            f"{func}: no period before {first_post!r} other than the reference; a pre-trend "
            "test needs at least two periods before the training"
        )
    b = est[pre]
    try:
        chi2 = float(b @ np.linalg.solve(V[np.ix_(pre, pre)], b))
    except np.linalg.LinAlgError:
        raise ParameterError(
            f"{func}: the covariance of the {len(pre)} pre-period coefficient(s) is singular "
            "(e.g. an outcome without variation, or one the model reproduces exactly); no "
            "Wald test is possible"
        ) from None
    q = len(pre)
    return pd.Series(
        {
            "statistic": chi2 / q,
            "df1": q,
            "df2": n_g - 1,
            "p": float(stats.f.sf(chi2 / q, q, n_g - 1)),
            "chi2": chi2,
            "p_chi2": float(stats.chi2.sf(chi2, q)),
            "n_clusters": n_g,
        },
        dtype=object,
    ).infer_objects()
