"""Power, minimum detectable effect and design effect: the budget question.

Small training budgets mean small cohorts. Before a study, an evaluator asks how many
participants are needed to detect an effect of size *d*; after it, how large an effect
the cohort could have detected at all. Both answers come from the noncentral t
distribution (the power functions of statsmodels), with clustering folded in through the design effect.

Examples
--------
>>> from evalkit.metrics.power import required_n, minimum_detectable_effect, design_effect
>>> required_n(0.5)  # paired pre/post, d_z = .5, alpha = .05, power = .8
34
>>> round(minimum_detectable_effect(34), 3)
0.495
>>> design_effect(21, 0.05)
2.0
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
from scipy import stats
from scipy.optimize import brentq

from evalkit.errors import ParameterError
from evalkit.metrics._validate import check_choice, check_ci, check_finite_number

__all__ = ["design_effect", "minimum_detectable_effect", "required_n"]


Design = Literal["paired", "two-sample"]


_DESIGNS = ("paired", "two-sample")


_ALTERNATIVES = ("two-sided", "larger", "smaller")


def _check_common(
    func: str, alpha: float, power: float, design: str, deff: float, alternative: str
) -> None:
    check_ci(func, alpha, "alpha")
    check_ci(func, power, "power")
    check_choice(func, design, "design", _DESIGNS)
    check_choice(func, alternative, "alternative", _ALTERNATIVES)
    if not isinstance(deff, int | float) or not math.isfinite(deff) or deff < 1:
        raise ParameterError(f"{func}: parameter 'deff' must be a finite number >= 1, got {deff!r}")


def _power(design: str, d: float, n: float, alpha: float, alternative: str) -> float:
    """Power of the t test for a positive effect ``d`` and ``n`` pairs or per group.

    The noncentral-t formula of statsmodels' ``TTestPower``/``TTestIndPower`` and R's
    ``power.t.test(strict = TRUE)``; a tail that scipy cannot evaluate (NaN, at very
    small df with a large noncentrality) is negligible there and counts as 0.
    """
    if design == "paired":
        df, nc = n - 1.0, d * math.sqrt(n)
    else:
        df, nc = 2.0 * n - 2.0, d * math.sqrt(n / 2.0)
    if alternative == "two-sided":
        crit = stats.t.ppf(1 - alpha / 2, df)
        upper = stats.nct.sf(crit, df, nc)
        lower = stats.nct.cdf(-crit, df, nc)
        return float(np.nan_to_num(upper) + np.nan_to_num(lower))
    crit = stats.t.ppf(1 - alpha, df)  # one-sided; the sign of d was folded in by the caller
    return float(np.nan_to_num(stats.nct.sf(crit, df, nc)))


def design_effect(m: float, icc: float) -> float:
    """Design effect of cluster sampling, ``1 + (m - 1) * icc``.

    Parameters
    ----------
    m : float
        Average cluster size (participants per unit or cohort), at least 1.
    icc : float
        Intraclass correlation of the outcome within clusters, in [0, 1] (for
        example ``multilevel(...).icc``).

    Returns
    -------
    float
        The factor by which clustering inflates the variance of a mean. Divide a
        sample size by it to get the effective sample size; multiply a required
        sample size by it.

    Raises
    ------
    ParameterError
        If ``m`` < 1 or ``icc`` is outside [0, 1] or either is not a finite number.

    Notes
    -----
    ``deff = 1 + (m - 1) * rho`` (Kish 1965). With unequal cluster sizes, ``m`` is
    often replaced by the mean size; that slightly understates the design effect.

    References
    ----------
    Kish, L. (1965). *Survey Sampling*. Wiley, section 5.4.

    Examples
    --------
    >>> design_effect(21, 0.05)
    2.0
    >>> design_effect(1, 0.3)
    1.0
    """
    check_finite_number("design_effect", m, "m")
    check_finite_number("design_effect", icc, "icc")
    if m < 1:
        raise ParameterError(f"design_effect: parameter 'm' must be >= 1, got {m!r}")
    if not 0 <= icc <= 1:
        raise ParameterError(f"design_effect: parameter 'icc' must be in [0, 1], got {icc!r}")
    return float(1 + (m - 1) * icc)


def minimum_detectable_effect(
    n: float,
    alpha: float = 0.05,
    power: float = 0.8,
    design: Design = "paired",
    deff: float = 1.0,
    *,
    alternative: str = "two-sided",
) -> float:
    """Smallest standardised effect a study of ``n`` participants detects with ``power``.

    Parameters
    ----------
    n : float
        Sample size: number of pairs for ``design="paired"`` (pre/post on the same
        people), participants **per group** for ``design="two-sample"`` (trained vs
        comparison, equal groups).
    alpha : float, default 0.05
        Significance level.
    power : float, default 0.8
        Desired power (1 - beta).
    design : {"paired", "two-sample"}, default "paired"
        Paired: the effect is d_z = mean difference / SD of the differences (one-sample
        t on the differences). Two-sample: Cohen's d with the pooled SD.
    deff : float, default 1.0
        Design effect (see :func:`design_effect`); the effective sample size is
        ``n / deff``.
    alternative : {"two-sided", "larger", "smaller"}, default "two-sided"

    Returns
    -------
    float
        The minimum detectable effect size (in SD units).

    Raises
    ------
    ParameterError
        If ``alpha`` or ``power`` is outside (0, 1), ``design`` or ``alternative`` is
        unknown, ``deff`` < 1, or the effective sample size is too small for a t test
        (fewer than 2 pairs, or fewer than 2 per group).

    Notes
    -----
    Solves the noncentral-t power equation for the effect size. Paired: df = n - 1,
    noncentrality d*sqrt(n); two-sample: df = 2n - 2, noncentrality d*sqrt(n/2) (the
    power functions of statsmodels' ``TTestPower`` and ``TTestIndPower``); the root is
    found with ``scipy.optimize.brentq`` to 1e-14 (statsmodels' ``solve_power`` stops
    near 1e-6).
    The two-sided power counts both rejection tails, as R's
    ``power.t.test(..., strict = TRUE)``; validated against that call to 1e-6
    relative (``tests/reference/level345.R``).

    References
    ----------
    Cohen, J. (1988). *Statistical Power Analysis for the Behavioral Sciences* (2nd ed.).
    Bloom, H. S. (1995). Minimum detectable effects. *Evaluation Review*, 19(5), 547-556.

    Examples
    --------
    >>> round(minimum_detectable_effect(30), 4)  # power.t.test(n=30, power=.8, type="paired", strict=TRUE)
    0.5292
    >>> round(minimum_detectable_effect(60, deff=2.0), 4)  # 60 people in clusters, deff 2
    0.5292
    """
    func = "minimum_detectable_effect"
    _check_common(func, alpha, power, design, deff, alternative)
    check_finite_number(func, n, "n")
    n_eff = n / deff
    if n_eff < 2:
        raise ParameterError(
            f"{func}: parameter 'n' gives an effective sample size n/deff = {n_eff:g}; "
            "at least 2 is needed"
        )
    upper = 1.0
    while _power(design, upper, n_eff, alpha, alternative) < power:
        upper *= 2.0
    d = brentq(
        lambda x: _power(design, x, n_eff, alpha, alternative) - power,
        1e-12,
        upper,
        xtol=1e-15,
        rtol=1e-14,
    )
    return -d if alternative == "smaller" else d


def required_n(
    d: float,
    alpha: float = 0.05,
    power: float = 0.8,
    design: Design = "paired",
    deff: float = 1.0,
    *,
    alternative: str = "two-sided",
    exact: bool = False,
) -> int | float:
    """Participants needed to detect a standardised effect ``d`` with ``power``.

    Parameters
    ----------
    d : float
        Effect size: d_z for ``design="paired"``, Cohen's d for ``"two-sample"``.
        Must be non-zero; its sign is ignored for two-sided tests.
    alpha, power, design, deff, alternative
        As in :func:`minimum_detectable_effect`.
    exact : bool, default False
        Return the unrounded solution of the power equation (times ``deff``) instead of
        the whole number of participants to recruit.

    Returns
    -------
    int or float
        Pairs (paired) or participants per group (two-sample): the smallest whole
        number reaching the power, ``ceil(n_exact * deff)``; with ``exact=True`` the
        float ``n_exact * deff``.

    Raises
    ------
    ParameterError
        If ``d`` is zero or not finite, or as in :func:`minimum_detectable_effect`.

    Notes
    -----
    ``n_exact`` solves the noncentral-t power equation (as in
    :func:`minimum_detectable_effect`; at least 2), then the design effect inflates it
    (Donner & Klar 2000). Taking the ceiling is a decision rule (recruit whole people),
    not presentation rounding. Validated against R's
    ``power.t.test(delta = d, sd = 1, power = .8, type = "paired", strict = TRUE)``
    (n = 33.36713) to 1e-6 relative.

    References
    ----------
    Cohen, J. (1988). *Statistical Power Analysis for the Behavioral Sciences* (2nd ed.).
    Donner, A., & Klar, N. (2000). *Design and Analysis of Cluster Randomization Trials
    in Health Research*. Arnold.

    Examples
    --------
    >>> required_n(0.5)
    34
    >>> round(required_n(0.5, exact=True), 4)
    33.3671
    >>> required_n(0.5, design="two-sample")  # per group
    64
    >>> required_n(0.5, deff=1.5)
    51
    """
    func = "required_n"
    _check_common(func, alpha, power, design, deff, alternative)
    check_finite_number(func, d, "d", nonzero=True)
    if alternative == "two-sided":
        d = abs(d)
    elif (alternative == "larger") != (d > 0):
        raise ParameterError(
            f"{func}: parameter 'd' = {d!r} points away from alternative={alternative!r}; "
            "use a positive d with 'larger' and a negative d with 'smaller'"
        )
    d_abs = abs(d)
    lower = 2.0
    if _power(design, d_abs, lower, alpha, alternative) >= power:
        n_exact = lower
    else:
        upper = 4.0
        while _power(design, d_abs, upper, alpha, alternative) < power:
            upper *= 2.0
        n_exact = brentq(
            lambda n: _power(design, d_abs, n, alpha, alternative) - power,
            lower,
            upper,
            xtol=1e-12,
            rtol=1e-14,
        )
    n_total = n_exact * deff
    if exact:
        return n_total
    return math.ceil(n_total - 1e-9)
