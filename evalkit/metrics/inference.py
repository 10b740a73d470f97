"""Few-cluster inference for Level 4: randomisation inference and the wild cluster bootstrap.

With few units (clusters), cluster-robust standard errors are too small, so two checks
stand beside them: randomisation inference over the possible treatment assignments
(:func:`randomization_inference`, for the linear DiD and the Poisson rate ratio) and the
wild cluster restricted bootstrap (:func:`wild_cluster_bootstrap`). Every refit over
assignments or bootstrap draws is one vectorised numpy computation.

Examples
--------
>>> from math import comb
>>> comb(13, 5), 2 ** 13  # assignments of 5 trained among 13 units; Rademacher vectors
(1287, 8192)
"""

from __future__ import annotations

from itertools import combinations
from math import comb
from typing import Literal

import numpy as np
import pandas as pd

from evalkit import constants as C
from evalkit.errors import ParameterError
from evalkit.metrics.counts import count_design, dummies, poisson_twfe_batch, unit_panel
from evalkit.metrics.results import indicator

__all__ = [
    "WEBB_WEIGHTS",
    "randomization_inference",
    "treatment_assignments",
    "wild_cluster_bootstrap",
]

#: Webb's (2014) six-point weights: +-sqrt(1/2), +-1, +-sqrt(3/2), each with probability 1/6.
WEBB_WEIGHTS = np.array([-np.sqrt(1.5), -1.0, -np.sqrt(0.5), np.sqrt(0.5), 1.0, np.sqrt(1.5)])


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
        y, _, d, codes, unit_treated, p_ind, p_codes = count_design(
            func, data, outcome, treated, post, period, cluster
        )
    else:
        sub, y, codes, _, unit_treated = unit_panel(func, data, outcome, treated, cluster, [post])
        p_ind = indicator(func, sub[post], post)
    n_g = len(unit_treated)
    n_1 = int(unit_treated.sum())
    A, exact = treatment_assignments(n_g, n_1, max_exact=max_exact, draws=draws, seed=seed)
    obs = unit_treated.astype(bool)
    if model == "linear":
        stat = _linear_did_stat(y, codes, p_ind, A)
        b_obs = float(_linear_did_stat(y, codes, p_ind, obs[None, :])[0])
    else:
        stat = poisson_twfe_batch(A[:, codes] * p_ind[None, :], codes, p_codes, y)
        b_obs = float(poisson_twfe_batch(d[None, :], codes, p_codes, y)[0])
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
    sub, y, codes, _, unit_treated = unit_panel(func, data, outcome, treated, cluster, [post])
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
    M = dummies(codes, n_g, drop_first=False)  # N x G
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
