"""Reliability from a factor model: McDonald's omega (total) with a bootstrap interval.

Cronbach's alpha (:func:`evalkit.cronbach_alpha`, in :mod:`evalkit.metrics.reaction`)
is the reliability of the sum score only when every item measures the common factor
equally well (tau-equivalence); McDonald's omega does not need that. Here omega is
computed from a one-factor maximum-likelihood model fitted by statsmodels
(``statsmodels.multivariate.factor.Factor``, ``method="ml"``), and its interval is a
percentile bootstrap over respondents with a fixed seed.

Examples
--------
>>> import numpy as np, pandas as pd
>>> from evalkit.metrics.reliability import mcdonald_omega
>>> rng = np.random.default_rng(1)
>>> f = rng.normal(size=200)
>>> items = pd.DataFrame({f"q{j}": f + rng.normal(size=200) for j in range(4)})
>>> round(float(mcdonald_omega(items, n_boot=200)["omega"]), 3)
0.765
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd

from evalkit import constants as C
from evalkit.errors import ParameterError
from evalkit.metrics._grouped import complete_sorted, group_codes
from evalkit.metrics._validate import check_ci, numeric_matrix, warn

__all__ = [
    "BOOT_GTOL",
    "OMEGA_METHOD",
    "mcdonald_omega",
    "omega_from_covariance",
    "omega_resamples",
]

#: BFGS gradient tolerance of the fits to bootstrap resamples: about 3e-5 on a resample's
#: omega, 2-3 times faster than statsmodels' default (1e-7, used for the estimate itself);
#: 1e-4 would leave errors of 1e-3 on single resamples.
BOOT_GTOL = 1e-5

#: Resampled respondent x item cells held in memory at once by the bootstrap.
_CHUNK_CELLS = 4_000_000

#: How :func:`mcdonald_omega` estimates (for the results ledger's ``method`` column).
OMEGA_METHOD = (
    "one-factor ML (statsmodels), omega total = (sum of loadings)^2 / variance of the total; "
    "percentile bootstrap over respondents"
)


def _fit_one_factor(
    cov: np.ndarray, n: int, start: Any, seed: int, gtol: float = 1e-7, restarts: int = 5
) -> tuple[float, Any]:
    """Omega of one covariance matrix and the fitted (loadings, uniquenesses) of its model.

    statsmodels' BFGS can stop early near a boundary (a uniqueness close to 0, a Heywood
    case): the fit is restarted from its own solution while the log-likelihood still
    improves (at most ``restarts`` times). ``gtol`` is BFGS's gradient tolerance (statsmodels'
    default 1e-7).
    """
    from statsmodels.multivariate.factor import Factor  # imported only when used

    sd = np.sqrt(np.diag(cov))
    model = Factor(corr=cov / np.outer(sd, sd), n_factor=1, method="ml", nobs=n)
    best, loglike = None, -np.inf
    with warnings.catch_warnings():
        # near-zero uniquenesses and BFGS precision messages are expected in small
        # samples; the restarts below reach the ML solution on the boundary
        warnings.simplefilter("ignore")
        for _ in range(restarts + 1):
            fit = model.fit(start=start, rng=seed, opt={"gtol": gtol})
            value = model.loglike((fit.loadings, fit.uniqueness))
            if best is not None and not value > loglike + 1e-10:
                break
            best, loglike = fit, value
            if fit.uniqueness.min() > 1e-4 and start is not None:
                break  # an interior solution reached from a good start: converged
            start = (fit.loadings, fit.uniqueness)
    loadings = best.loadings[:, 0] * sd
    return float(loadings.sum() ** 2 / cov.sum()), (best.loadings, best.uniqueness)


def omega_from_covariance(cov: np.ndarray, n: int, *, seed: int = C.SEED) -> float:
    """McDonald's omega (total) of the unit-weighted sum, from an item covariance matrix.

    :math:`\\omega = (\\sum_j \\lambda_j)^2 / \\mathbf 1' S \\mathbf 1`, with
    :math:`\\lambda_j` the loadings of a one-factor ML model on the covariance metric and
    :math:`S` the observed covariance matrix (``semTools::compRelSEM``'s default,
    ``obs.var = TRUE``). ``n`` is the number of respondents; ``seed`` fixes the random
    starting values of statsmodels' EM start.

    Examples
    --------
    >>> import numpy as np
    >>> cov = np.array([[1.0, 0.5, 0.5], [0.5, 1.0, 0.5], [0.5, 0.5, 1.0]])
    >>> round(omega_from_covariance(cov, 50), 6)  # parallel items: omega = alpha = 0.75
    0.75
    """
    return _fit_one_factor(np.asarray(cov, dtype=float), int(n), None, seed)[0]


def omega_resamples(
    matrix: np.ndarray, indices: np.ndarray, *, seed: int = C.SEED
) -> tuple[float, np.ndarray]:
    """Omega of ``matrix`` (rows x items) and of each bootstrap resample of its rows.

    ``indices`` holds one resample per row (0-based row numbers). The covariance
    matrices of all resamples are computed at once (one ``einsum``); the factor model is
    then fitted once per resample (statsmodels fits one matrix at a time), starting
    from the full-sample solution, with the looser gradient tolerance :data:`BOOT_GTOL`
    and at most one restart.
    An item that is constant in a resample adds nothing to the total and is left out
    of that resample's model; a resample whose fit fails, or with fewer than 3
    non-constant items, gives NaN.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(3)
    >>> x = rng.normal(size=(40, 1)) + rng.normal(size=(40, 4))
    >>> same = np.array([np.arange(40), np.arange(40)[::-1]])  # the sample itself, twice
    >>> point, boot = omega_resamples(x, same)
    >>> bool(np.allclose(boot, point, atol=1e-4))
    True
    """
    matrix = np.asarray(matrix, dtype=float)
    n, k = matrix.shape
    cov = np.cov(matrix, rowvar=False)
    point, (loadings, uniqueness) = _fit_one_factor(cov, n, None, seed)
    boot = np.full(len(indices), np.nan)
    step = max(1, _CHUNK_CELLS // max(1, n * k))
    for first in range(0, len(indices), step):  # covariances of many resamples at once
        resampled = matrix[indices[first : first + step]]  # chunk x n x k
        centred = resampled - resampled.mean(axis=1, keepdims=True)
        covs = np.einsum("bij,bik->bjk", centred, centred) / (n - 1)
        for b, cov_b in enumerate(covs, start=first):  # one ML fit per resample
            # an item constant in the resample adds nothing to the total: fit the others
            keep = np.diag(cov_b) > 0
            if keep.sum() < 3:
                continue
            start = (loadings[keep], uniqueness[keep])
            try:
                boot[b] = _fit_one_factor(
                    cov_b[np.ix_(keep, keep)], n, start, seed, gtol=BOOT_GTOL, restarts=1
                )[0]
            except (ValueError, np.linalg.LinAlgError):
                continue
    return point, boot


def mcdonald_omega(
    items: pd.DataFrame,
    *,
    ci: float = 0.95,
    by: Any = None,
    n_boot: int = 1000,
    seed: int = C.SEED,
) -> pd.Series | pd.DataFrame:
    """McDonald's omega (total) from a one-factor ML model, with a bootstrap CI.

    Parameters
    ----------
    items : DataFrame
        One row per respondent, one numeric column per item (reverse-keyed items
        already reversed). Rows with a missing item are dropped (listwise), as in
        :func:`evalkit.cronbach_alpha`.
    ci : float, default 0.95
        Confidence level of the percentile bootstrap interval.
    by : str, Series or array-like, optional
        Groups (e.g. ``cohort_id``): a Series or array aligned to the rows, or the name
        of a column of ``items`` (which is then not an item).
    n_boot : int, default 1000
        Bootstrap resamples of respondents (0: no interval).
    seed : int, default ``evalkit.constants.SEED``
        Seed of the resamples (and of statsmodels' starting values): results are
        reproducible.

    Returns
    -------
    pandas.Series or pandas.DataFrame
        ``omega, ci_low, ci_high, n, k, n_boot`` (``n_boot``: resamples with a valid
        fit); with ``by=``, a DataFrame indexed by group (sorted), one row per group.

    Raises
    ------
    ParameterError
        Not a DataFrame, fewer than 3 items, non-numeric answers, ``ci`` outside (0, 1),
        a bad ``n_boot``; without ``by``: fewer than 3 complete rows, or fewer than 3
        items whose answers vary.

    Warns
    -----
    EvalkitWarning
        With ``by=``, groups with fewer than 3 complete rows or varying items (NaN);
        items answered alike by everybody (left out of the model: they add nothing to
        the total's variance, so omega of the total is omega of the others); more than
        5% of resamples without a valid fit.

    Notes
    -----
    :math:`\\omega = (\\sum_j \\lambda_j)^2 / s_X^2`: the loadings :math:`\\lambda_j` of a
    one-factor model fitted by maximum likelihood (statsmodels, on the correlation
    matrix, rescaled to the items' SDs: ML is scale invariant) and the observed variance
    :math:`s_X^2` of the unit-weighted total, as ``semTools::compRelSEM`` computes it by
    default. A one-factor model needs at least 3 items. The interval is the percentile
    bootstrap over respondents (``n_boot`` resamples, quantiles as R's type 7); each
    resample is fitted starting from the full-sample solution.

    Validated against R 4 ``semTools::compRelSEM(lavaan::cfa("f =~ ...", std.lv =
    TRUE))`` on ``attitude`` and on complete cases of ``psych::bfi`` N1-N5 and A2-A5,
    agreement better than 1e-6 relative (statsmodels' BFGS stops there), and the
    bootstrap on 200 resamples drawn in R (``tests/reference/level2_omega.R``).
    ``psych::omega(nfactors = 1)``'s ``omega.tot`` is another quantity
    (1 - sum of uniquenesses / sum of the correlation matrix, standardised items).

    References
    ----------
    McDonald, R. P. (1999). *Test Theory: A Unified Treatment*. Erlbaum.
    Kelley, K., & Pornprasertmanit, S. (2016). Confidence intervals for population
    reliability coefficients: Evaluation of methods, recommendations, and software for
    composite measures. *Psychological Methods* 21, 69-92.

    Examples
    --------
    >>> import pandas as pd
    >>> from evalkit.metrics.reliability import mcdonald_omega

    ``semTools::compRelSEM(lavaan::cfa("f =~ q1 + q2 + q3 + q4", d, std.lv = TRUE))`` on
    the same ten rows gives 0.895:

    >>> items = pd.DataFrame({"q1": [4, 5, 3, 4, 2, 5, 3, 4, 2, 5],
    ...                       "q2": [4, 4, 3, 5, 2, 4, 2, 4, 3, 4],
    ...                       "q3": [5, 5, 2, 4, 3, 4, 3, 5, 2, 3],
    ...                       "q4": [3, 5, 3, 4, 2, 5, 2, 4, 3, 4]})
    >>> res = mcdonald_omega(items, n_boot=200)
    >>> res[["omega", "n", "k"]].round(3).tolist()
    [0.895, 10.0, 4.0]
    >>> bool(res["ci_low"] < res["omega"] < res["ci_high"])
    True
    """
    func = "mcdonald_omega"
    level = check_ci(func, ci, say_number=True)
    if isinstance(n_boot, bool) or not isinstance(n_boot, int | np.integer) or n_boot < 0:
        raise ParameterError(f"{func}: parameter 'n_boot' must be an integer >= 0, got {n_boot!r}")
    exclude = [by] if isinstance(by, str) else []
    codes, labels = group_codes(func, by, len(items), getattr(items, "index", None), items)
    matrix, names = numeric_matrix(func, items, exclude)
    k = len(names)
    if k < 3:
        raise ParameterError(
            f"{func}: parameter 'items' must have at least 3 item columns for a one-factor "
            f"model, got {k} ({names})"
        )
    matrix, codes, _ = complete_sorted(matrix, codes)
    n_groups = 1 if labels is None else len(labels)
    rows = []
    for g in range(n_groups):  # one factor model per group; resamples batched inside
        x = matrix[codes == g]
        n = len(x)
        row = {"omega": np.nan, "ci_low": np.nan, "ci_high": np.nan, "n": float(n)}
        row.update(k=float(k), n_boot=0.0)
        problem = None
        varies = x.var(axis=0) > 0
        where = "" if labels is None else f"group {labels[g]!r}: "
        if n < 3:
            problem = f"fewer than 3 rows without a missing item ({n})"
        elif varies.sum() < 3:
            problem = "fewer than 3 items whose answers vary"
        elif not varies.all():
            # a constant item adds nothing to the variance of the total: omega of the
            # total is omega of the other items
            same = [names[j] for j in np.flatnonzero(~varies)]
            warn(func, f"{where}item(s) {same} have the same answer from everybody and are "
                 "left out of the factor model (they add nothing to the total's variance)")  # fmt: skip
            x = x[:, varies]
        if problem is not None:
            if labels is None:
                raise ParameterError(f"{func}: omega is undefined: {problem}")
            warn(func, f"group {labels[g]!r}: omega is NaN: {problem}")
            rows.append(row)
            continue
        # a fresh generator per group: a group gets the resamples a call on its rows alone
        # would draw, so by= gives the same numbers as one call per group
        indices = np.random.default_rng(seed).integers(0, n, size=(n_boot, n))
        point, boot = omega_resamples(x, indices, seed=seed)
        valid = boot[np.isfinite(boot)]
        row.update(omega=point, n_boot=float(len(valid)))
        if n_boot and len(valid) < 0.95 * n_boot:
            warn(func, f"{where}{n_boot - len(valid)} of {n_boot} resamples had no valid fit")
        if len(valid):
            low, high = np.quantile(valid, [(1 - level) / 2, (1 + level) / 2])
            row.update(ci_low=float(low), ci_high=float(high))
        rows.append(row)
    out = pd.DataFrame(rows, index=labels)
    if labels is None:
        return out.iloc[0].rename("mcdonald_omega")
    return out
