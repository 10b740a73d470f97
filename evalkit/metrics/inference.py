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
from evalkit.metrics._validate import check_ci
from evalkit.metrics.counts import count_design, dummies, poisson_twfe_batch, unit_panel
from evalkit.metrics.results import indicator, require_did_cells

__all__ = [
    "WEBB_WEIGHTS",
    "randomization_ci",
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
        require_did_cells(func, unit_treated[codes], p_ind, (treated, post))
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


def randomization_ci(
    data: pd.DataFrame,
    outcome: str,
    treated: str = C.TREATED,
    post: str = C.POST,
    cluster: str = C.UNIT,
    *,
    ci: float = 0.95,
    max_exact: int = 20_000,
    draws: int = 9_999,
    seed: int = 20240,
) -> pd.Series:
    """Confidence set of a constant effect by inverting the randomisation test of a DiD.

    For a constant training effect :math:`\\tau_0`, the outcomes without it are
    :math:`y - \\tau_0 D` (D = trained unit x after training). :math:`\\tau_0` is in the
    set when the randomisation test of :func:`randomization_inference` (linear DiD, all
    assignments of the trained units) applied to those outcomes does not reject it at
    level ``1 - ci``, i.e. when its p-value exceeds ``1 - ci``. The set is found exactly,
    not on a grid: the DiD is linear in the outcome, so under assignment a the statistic
    is :math:`b_a - \\tau_0 c_a` (:math:`c_a` the DiD of D itself under a, 1 for the
    observed one), and the p-value changes only where
    :math:`|b_a - \\tau_0 c_a| = |b_{obs} - \\tau_0|`, at
    :math:`\\tau_0 = (b_a \\mp b_{obs}) / (c_a \\mp 1)`. The p-value is computed once
    between each pair of neighbouring change points (one vectorised pass over all
    assignments), and the bounds are the outermost change points around the values not
    rejected.

    Parameters
    ----------
    data : DataFrame
        One row per unit x period.
    outcome : str
        Numeric outcome column (e.g. the unit's IKM score).
    treated, post, cluster : str
        Columns: trained unit (constant within unit); after the training; the unit, the
        level of assignment.
    ci : float, default 0.95
        Confidence level: the set holds the effects the test does not reject at 1 - ci.
    max_exact, draws, seed : int
        As :func:`randomization_inference`: all assignments when there are at most
        ``max_exact``, else ``draws`` random ones from ``numpy.random.default_rng(seed)``.

    Returns
    -------
    Series
        ``estimate`` (the DiD), ``ci_low, ci_high`` (bounds of the set; infinite where it
        is unbounded), ``connected`` (the set is one interval: between the bounds every
        value is accepted), ``n_assignments``, ``exact``.

    Raises
    ------
    ParameterError
        As :func:`randomization_inference`; ``ci`` outside (0, 1).

    Notes
    -----
    The p-value of :math:`\\tau_0` is :math:`\\#\\{a: |b_a - \\tau_0 c_a| \\ge |b_{obs} -
    \\tau_0|\\} / A` over all A assignments (observed included), or
    :math:`(1 + \\#) / (1 + draws)` when sampled. With 13 units, 5 trained, there are 1,287
    assignments, so p moves in steps of 1/1,287 and the 95% set is where at least 65 of
    them are as extreme. A value on a change point itself (a tie) is not looked at: the
    set is reported as the closure of the open intervals it covers. Validated against a
    brute-force R computation (a grid of effects, 1,287 ``lm.fit`` refits each, then
    bisection on each bound) in ``tests/reference/smallsample.R``.

    References
    ----------
    Imbens, G. W., & Rubin, D. B. (2015). *Causal Inference for Statistics, Social, and
    Biomedical Sciences*, ch. 5. Cambridge University Press.
    Rosenbaum, P. R. (2002). *Observational Studies*, 2nd ed., ch. 2. Springer.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"unit": list("aabbccddee"), "treated": [True] * 4 + [False] * 6,
    ...                   "post": [False, True] * 5,
    ...                   "ikm": [70.0, 78, 71, 80, 70, 71, 72, 72, 69, 71]})
    >>> res = randomization_ci(d, "ikm", ci=0.8)
    >>> int(res["n_assignments"]), float(res["estimate"])
    (10, 7.5)
    >>> bool(res["ci_low"] < res["estimate"] < res["ci_high"])
    True
    """
    func = "randomization_ci"
    level = check_ci(func, ci, say_number=True)
    sub, y, codes, _, unit_treated = unit_panel(func, data, outcome, treated, cluster, [post])
    p_ind = indicator(func, sub[post], post)
    require_did_cells(func, unit_treated[codes], p_ind, (treated, post))
    n_g = len(unit_treated)
    n_1 = int(unit_treated.sum())
    A, exact = treatment_assignments(n_g, n_1, max_exact=max_exact, draws=draws, seed=seed)
    obs = unit_treated.astype(bool)
    dose = obs[codes] * p_ind  # D: the observed treatment of each row
    b = _linear_did_stat(y, codes, p_ind, A)
    c = _linear_did_stat(dose, codes, p_ind, A)
    b_obs = float(_linear_did_stat(y, codes, p_ind, obs[None, :])[0])
    with np.errstate(divide="ignore", invalid="ignore"):
        cuts = np.concatenate([(b - b_obs) / (c - 1), (b + b_obs) / (c + 1)])
    cuts = np.unique(cuts[np.isfinite(cuts)])
    n_a = len(A)
    # one value inside each interval between change points, and one beyond each end
    spread = max(1.0, float(np.abs(cuts).max()) if len(cuts) else 1.0)
    probe = np.concatenate(
        [[cuts[0] - spread] if len(cuts) else [b_obs], (cuts[1:] + cuts[:-1]) / 2,
         [cuts[-1] + spread] if len(cuts) else []]
    )  # fmt: skip
    count = np.empty(len(probe))
    step = max(1, 2_000_000 // n_a)
    for first in range(0, len(probe), step):  # memory bound, not a loop over assignments
        tau = probe[first : first + step, None]
        count[first : first + step] = (
            np.abs(b[None, :] - tau * c[None, :]) >= np.abs(b_obs - tau) * (1 - 1e-9)
        ).sum(axis=1)  # the tolerance of randomization_inference: the observed one counts
    p = count / n_a if exact else (1 + count) / (1 + n_a)
    accepted = np.flatnonzero(p > 1 - level)
    if not len(accepted):
        low = high = np.nan
        connected = False
    else:
        # probe i lies between cuts[i - 1] and cuts[i] (probe 0 below cuts[0])
        edges = np.concatenate([[-np.inf], cuts, [np.inf]])
        low, high = float(edges[accepted[0]]), float(edges[accepted[-1] + 1])
        connected = bool(np.all(np.diff(accepted) == 1))
    return pd.Series(
        {
            "estimate": b_obs,
            "ci_low": low,
            "ci_high": high,
            "connected": connected,
            "n_assignments": n_a,
            "exact": exact,
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
