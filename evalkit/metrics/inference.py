"""Level 4 inference for counts and for few clusters.

Counts (complaints per unit and period) are modelled by a Poisson regression with unit
and period fixed effects (two-way fixed effects, TWFE), or a negative binomial one when
the counts are overdispersed; the effect is a rate ratio. With few units (clusters),
cluster-robust standard errors are too small, so two few-cluster checks stand beside
them: randomisation inference over the possible treatment assignments
(:func:`randomization_inference`) and the wild cluster bootstrap
(:func:`wild_cluster_bootstrap`). Every fit over assignments or bootstrap draws is one
vectorised numpy computation.

Examples
--------
>>> from math import comb
>>> comb(13, 5), 2 ** 13  # assignments of 5 trained among 13 units; Rademacher vectors
(1287, 8192)
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from itertools import combinations
from math import comb
from typing import Literal

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

from evalkit import constants as C
from evalkit.errors import ParameterError
from evalkit.metrics._validate import check_ci, py, require_columns, require_numeric, warn
from evalkit.metrics.results import indicator

__all__ = [
    "WEBB_WEIGHTS",
    "count_did",
    "count_event_study",
    "count_pretrend_test",
    "randomization_inference",
    "treatment_assignments",
    "wild_cluster_bootstrap",
]

#: Webb's (2014) six-point weights: +-sqrt(1/2), +-1, +-sqrt(3/2), each with probability 1/6.
WEBB_WEIGHTS = np.array([-np.sqrt(1.5), -1.0, -np.sqrt(0.5), np.sqrt(0.5), 1.0, np.sqrt(1.5)])


# --- panel set-up ---------------------------------------------------------------------
def _panel(
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


def _dummies(codes: np.ndarray, n: int, drop_first: bool = True) -> np.ndarray:
    out = np.zeros((len(codes), n))
    out[np.arange(len(codes)), codes] = 1.0
    return out[:, 1:] if drop_first else out


def _counts(func: str, y: np.ndarray, outcome: str) -> None:
    if (y < 0).any() or (np.abs(y - np.round(y)) > 1e-9).any():
        raise ParameterError(
            f"{func}: column {outcome!r} must hold counts (whole numbers >= 0) for a count model"
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


def _poisson_batch(
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


def _count_design(
    func: str, data: pd.DataFrame, outcome: str, treated: str, post: str, period: str, cluster: str
) -> tuple[np.ndarray, ...]:
    """y, fixed-effect columns (intercept, unit, period), D, unit codes, unit flag, post, period codes."""
    sub, y, codes, _, unit_treated = _panel(func, data, outcome, treated, cluster, [post, period])
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
        [np.ones((len(y), 1)), _dummies(codes, codes.max() + 1), _dummies(p_codes, len(p_uniques))]
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
        overdispersion rejects at ``alpha``, else Poisson.
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
        3 units, a unit with only zeros, no treated x post rows, a bad ``family``.

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
    ...                   "complaints": [10, 5, 8, 4, 6, 6, 9, 9]})
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
    y, fe, d, codes, _, _, _ = _count_design(func, data, outcome, treated, post, period, cluster)
    n_obs = len(y)
    n_g = int(codes.max()) + 1
    X = np.column_stack([d, fe])
    if np.linalg.matrix_rank(X) < X.shape[1]:
        raise ParameterError(f"{func}: the design is collinear (treated x post vs fixed effects)")
    beta_p, mu_p = _glm_fit(X, y)
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
    sub, y, codes, _, unit_treated = _panel(func, data, outcome, treated, cluster, [period])
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
    inter = _dummies(p_codes, n_p, drop_first=False) * t_row[:, None]
    keep = [k for k in range(n_p) if k != r]
    X = np.hstack(
        [inter[:, keep], np.ones((len(y), 1)), _dummies(codes, n_g), _dummies(p_codes, n_p)]
    )
    if np.linalg.matrix_rank(X) < X.shape[1]:
        raise ParameterError(f"{func}: the design is collinear; every period needs both groups")
    beta, mu = _glm_fit(X, y)
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
    >>> [round(float(x), 6) for x in res["rate_ratio"]]
    [1.0, 1.0, 0.457143]
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
    chi2 = float(b @ np.linalg.solve(V[np.ix_(pre, pre)], b))
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


# --- randomisation inference -------------------------------------------------------------
def treatment_assignments(
    n_units: int, n_treated: int, *, max_exact: int = 20_000, draws: int = 9_999, seed: int = 20240
) -> tuple[np.ndarray, bool]:
    """Boolean matrix of treatment assignments (one row each) of ``n_treated`` among ``n_units``.

    All ``C(n_units, n_treated)`` assignments when there are at most ``max_exact``
    (exact randomisation inference), else ``draws`` random ones from a seeded generator.
    Returns the matrix and whether it is the exact enumeration. Rows of the exact
    enumeration are in ``itertools.combinations`` order (R's ``combn``).

    Examples
    --------
    >>> a, exact = treatment_assignments(5, 2)
    >>> a.shape, exact, a[0].tolist()
    ((10, 5), True, [True, True, False, False, False])
    """
    if not 0 < n_treated < n_units:
        raise ParameterError(
            f"treatment_assignments: need 0 < n_treated < n_units, got {n_treated} of {n_units}"
        )
    total = comb(n_units, n_treated)
    if total <= max_exact:
        idx = np.array(list(combinations(range(n_units), n_treated)))
        out = np.zeros((total, n_units), dtype=bool)
        out[np.arange(total)[:, None], idx] = True
        return out, True
    rng = np.random.default_rng(seed)
    order = np.argsort(rng.random((draws, n_units)), axis=1)
    out = np.zeros((draws, n_units), dtype=bool)
    out[np.arange(draws)[:, None], order[:, :n_treated]] = True
    return out, False


def _linear_did_stat(
    y: np.ndarray, codes: np.ndarray, p_ind: np.ndarray, A: np.ndarray
) -> np.ndarray:
    """The :func:`evalkit.did` estimate for every assignment (rows of ``A``), vectorised."""
    n_g = A.shape[1]
    s = [np.bincount(codes, weights=y * (p_ind == k), minlength=n_g) for k in (0, 1)]
    n = [np.bincount(codes, weights=(p_ind == k).astype(float), minlength=n_g) for k in (0, 1)]
    a = A.astype(float)
    b = 1.0 - a
    with np.errstate(divide="ignore", invalid="ignore"):
        treat = a @ s[1] / (a @ n[1]) - a @ s[0] / (a @ n[0])
        ctrl = b @ s[1] / (b @ n[1]) - b @ s[0] / (b @ n[0])
    return treat - ctrl


def randomization_inference(
    data: pd.DataFrame,
    outcome: str,
    treated: str = C.TREATED,
    post: str = C.POST,
    period: str = C.PERIOD,
    cluster: str = C.UNIT,
    *,
    model: Literal["linear", "poisson"] = "linear",
    max_exact: int = 20_000,
    draws: int = 9_999,
    seed: int = 20240,
) -> pd.Series:
    """Randomisation (permutation) inference for a DiD: re-assign the trained units.

    Under the sharp null of no effect in any unit, every way of choosing which units were
    trained was as likely as the one that happened. The DiD estimate is recomputed under
    each assignment of the same number of trained units; the p-value is the share of
    assignments whose estimate is at least as far from 0 as the observed one. It needs no
    large-sample argument, so it stays valid with few units.

    Parameters
    ----------
    data : DataFrame
        One row per unit x period.
    outcome : str
        Outcome column (a count for ``model="poisson"``).
    treated, post, period, cluster : str
        Columns: trained unit (constant within unit); after the training; the period
        (fixed effect of the Poisson model); the unit, the level of assignment.
    model : {"linear", "poisson"}, default "linear"
        The statistic: the :func:`evalkit.did` estimate, or the log rate ratio of the
        Poisson TWFE model of :func:`count_did`.
    max_exact : int, default 20000
        Enumerate all assignments when there are at most this many.
    draws, seed : int
        Otherwise, this many random assignments from ``numpy.random.default_rng(seed)``.

    Returns
    -------
    Series
        ``estimate`` (observed), ``p`` (two-sided), ``n_assignments``, ``exact``,
        ``n_as_extreme`` (assignments at least as extreme, observed included), ``model``.

    Raises
    ------
    ParameterError
        As :func:`evalkit.did` / :func:`count_did`; a bad ``model``.

    Notes
    -----
    Exact: ``p = #{|b_a| >= |b_obs|} / C(G, G_1)``, the observed assignment included.
    Sampled: ``p = (1 + #{|b_a| >= |b_obs|}) / (1 + draws)``. A relative tolerance of
    1e-9 counts ties as extreme. The Poisson fits of all assignments are one batched
    IRLS. Validated against R enumerating ``combn(13, 5)`` with ``lm`` and ``glm`` on
    the panel of ``tests/reference/level4.R``.

    References
    ----------
    Young, A. (2019). Channeling Fisher: Randomization tests and the statistical
    insignificance of seemingly significant experimental results. *QJE*, 134(2).
    MacKinnon, J. G., & Webb, M. D. (2020). Randomization inference for
    difference-in-differences with few treated clusters. *J. Econometrics*, 218(2).

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"unit": list("aabbccdd"), "treated": [True] * 4 + [False] * 4,
    ...                   "post": [False, True] * 4, "period": [1, 2] * 4,
    ...                   "ikm": [70.0, 78, 71, 80, 70, 71, 72, 72]})
    >>> res = randomization_inference(d, "ikm")
    >>> int(res["n_assignments"]), float(res["p"])  # 2 of 6 assignments as extreme
    (6, 0.3333333333333333)
    """
    func = "randomization_inference"
    if model not in ("linear", "poisson"):
        raise ParameterError(
            f"{func}: parameter 'model' must be 'linear' or 'poisson', got {model!r}"
        )
    if model == "poisson":
        y, fe, d, codes, unit_treated, p_ind, p_codes = _count_design(
            func, data, outcome, treated, post, period, cluster
        )
    else:
        sub, y, codes, _, unit_treated = _panel(func, data, outcome, treated, cluster, [post])
        p_ind = indicator(func, sub[post], post)
    n_g = len(unit_treated)
    n_1 = int(unit_treated.sum())
    A, exact = treatment_assignments(n_g, n_1, max_exact=max_exact, draws=draws, seed=seed)
    obs = unit_treated.astype(bool)
    if model == "linear":
        stat = _linear_did_stat(y, codes, p_ind, A)
        b_obs = float(_linear_did_stat(y, codes, p_ind, obs[None, :])[0])
    else:
        stat = _poisson_batch(A[:, codes] * p_ind[None, :], codes, p_codes, y)
        b_obs = float(_glm_fit(np.column_stack([d, fe]), y)[0][0])
    extreme = int(np.sum(np.abs(stat) >= np.abs(b_obs) * (1 - 1e-9)))
    n_a = len(A)
    p = extreme / n_a if exact else (1 + extreme) / (1 + n_a)
    return pd.Series(
        {
            "estimate": b_obs,
            "p": p,
            "n_assignments": n_a,
            "exact": exact,
            "n_as_extreme": extreme,
            "model": model,
        },
        dtype=object,
    ).infer_objects()


# --- wild cluster bootstrap ---------------------------------------------------------------
def wild_cluster_bootstrap(
    data: pd.DataFrame,
    outcome: str,
    treated: str = C.TREATED,
    post: str = C.POST,
    cluster: str = C.UNIT,
    *,
    weights: Literal["auto", "rademacher", "webb"] = "auto",
    draws: int = 9_999,
    seed: int = 20240,
) -> pd.Series:
    """Wild cluster restricted bootstrap (WCR) p-value of the :func:`evalkit.did` estimate.

    The model ``outcome ~ treated + post + treated:post`` is refitted with the null
    (no DiD effect) imposed; its residuals are multiplied by one random sign (weight) per
    unit, giving bootstrap outcomes; the cluster-robust t of each bootstrap sample is
    compared with the observed t. This is the few-cluster test recommended by Cameron,
    Gelbach & Miller (2008) and MacKinnon & Webb (2017).

    Parameters
    ----------
    data : DataFrame
        One row per unit x period (or respondent).
    outcome : str
        Numeric outcome column.
    treated, post, cluster : str
        Columns of the group, the after-training flag and the cluster (unit).
    weights : {"auto", "rademacher", "webb"}, default "auto"
        Rademacher (+-1) weights, or Webb's six-point weights; ``"auto"`` takes Webb
        below 12 clusters (where Rademacher has too few distinct draws), else Rademacher.
    draws : int, default 9999
        Bootstrap draws; with Rademacher weights and ``2**G <= draws`` all ``2**G`` weight
        vectors are enumerated instead (exact and deterministic).
    seed : int, default 20240
        Seed of ``numpy.random.default_rng`` for the sampled weights.

    Returns
    -------
    Series
        ``estimate, t`` (observed, CR1 as :func:`evalkit.did`), ``p`` (symmetric,
        ``mean(|t*| >= |t|)``), ``n_draws``, ``enumerated``, ``weights``, ``n_clusters``.

    Raises
    ------
    ParameterError
        As :func:`evalkit.did`; a bad ``weights`` or ``draws``.

    Notes
    -----
    All draws are one matrix computation: ``y* = X_r b_r + u_r * w[g]`` (B x N), the
    coefficients and residuals by the hat matrix, the cluster sums of the scores by a
    cluster indicator matrix. The small-sample factor of CR1 cancels in the p-value.
    Validated against R (``lm`` and ``sandwich::vcovCL(type = "HC1")`` over all 8,192
    Rademacher vectors of 13 clusters, in ``tests/reference/level4.R``).

    References
    ----------
    Cameron, A. C., Gelbach, J. B., & Miller, D. L. (2008). Bootstrap-based improvements
    for inference with clustered errors. *REStat*, 90(3), 414-427.
    Webb, M. D. (2014). Reworking wild bootstrap based inference for clustered errors.
    Queen's Economics Department Working Paper 1315.
    Roodman, D., MacKinnon, J. G., Nielsen, M. O., & Webb, M. D. (2019). Fast and wild:
    Bootstrap inference in Stata using boottest. *Stata Journal*, 19(1), 4-60.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"unit": list("aabbccdd"), "treated": [True] * 4 + [False] * 4,
    ...                   "post": [False, True] * 4,
    ...                   "ikm": [70.0, 78, 71, 80, 70, 71, 72, 72]})
    >>> res = wild_cluster_bootstrap(d, "ikm", weights="rademacher")
    >>> int(res["n_draws"]), bool(res["enumerated"])
    (16, True)
    """
    func = "wild_cluster_bootstrap"
    if weights not in ("auto", "rademacher", "webb"):
        raise ParameterError(
            f"{func}: parameter 'weights' must be 'auto', 'rademacher' or 'webb', got {weights!r}"
        )
    if not isinstance(draws, int | np.integer) or isinstance(draws, bool) or draws < 99:
        raise ParameterError(f"{func}: parameter 'draws' must be an integer >= 99, got {draws!r}")
    sub, y, codes, _, unit_treated = _panel(func, data, outcome, treated, cluster, [post])
    p_ind = indicator(func, sub[post], post)
    t_ind = unit_treated[codes]
    n_g = len(unit_treated)
    X = np.column_stack([np.ones(len(y)), t_ind, p_ind, t_ind * p_ind])
    if np.linalg.matrix_rank(X) < 4:
        raise ParameterError(f"{func}: the design is collinear; a DiD needs all four cells")
    kind = ("webb" if n_g < 12 else "rademacher") if weights == "auto" else weights
    enumerated = kind == "rademacher" and 2**n_g <= draws
    if enumerated:
        W = 1.0 - 2.0 * ((np.arange(2**n_g)[:, None] >> np.arange(n_g)[None, :]) & 1)
    else:
        rng = np.random.default_rng(seed)
        W = (
            rng.choice(np.array([-1.0, 1.0]), size=(draws, n_g))
            if kind == "rademacher"
            else rng.choice(WEBB_WEIGHTS, size=(draws, n_g))
        )
    xtx_inv = np.linalg.inv(X.T @ X)
    a = X @ xtx_inv[:, 3]  # b3 = a' y
    hat = X @ xtx_inv @ X.T
    M = _dummies(codes, n_g, drop_first=False)  # N x G
    Xr = X[:, :3]
    u_r = y - Xr @ np.linalg.lstsq(Xr, y, rcond=None)[0]
    fit_r = y - u_r

    def t_stats(Y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        b3 = Y @ a
        e = Y - Y @ hat.T
        s = (e * a) @ M
        return b3, b3 / np.sqrt(np.sum(s**2, axis=-1))

    b_obs, t_obs = (float(v[0]) for v in t_stats(y[None, :]))
    _, t_star = t_stats(fit_r[None, :] + u_r[None, :] * W[:, codes])
    p = float(np.mean(np.abs(t_star) >= np.abs(t_obs) * (1 - 1e-9)))
    n_obs = len(y)
    factor = n_g / (n_g - 1) * (n_obs - 1) / (n_obs - 4)
    return pd.Series(
        {
            "estimate": b_obs,
            "t": t_obs / np.sqrt(factor),
            "p": p,
            "n_draws": len(W),
            "enumerated": enumerated,
            "weights": kind,
            "n_clusters": n_g,
        },
        dtype=object,
    ).infer_objects()
