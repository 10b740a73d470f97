"""McDonald's omega (evalkit.metrics.reliability) against R (tests/reference/level2_omega.R).

Reference values are literals computed once by ``Rscript level2_omega.R`` and
``Rscript smallsample.R`` (R 4.2.2, lavaan 0.6, semTools 0.5-6); the R call is written
beside each. lavaan's ML fit stops at its own tolerance, so the point values agree to
about 1e-7 relative, not to machine precision.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import evalkit as ek
from evalkit.errors import EvalkitWarning, ParameterError
from evalkit.metrics.reaction import cronbach_alpha
from evalkit.metrics.reliability import mcdonald_omega, omega_from_covariance, omega_resamples

REF = Path(__file__).parent / "reference"
RTOL = 2e-6  # lavaan's nlminb stops about 1e-7 short of the maximum our Newton steps reach


@pytest.fixture(scope="module")
def attitude() -> pd.DataFrame:
    return pd.read_csv(REF / "level12_attitude.csv")


@pytest.fixture(scope="module")
def bfi() -> pd.DataFrame:
    return pd.read_csv(REF / "level12_bfi.csv")


def test_omega_attitude_matches_semtools(attitude):
    res = mcdonald_omega(attitude, n_boot=0)
    # semTools::compRelSEM(lavaan::cfa("f =~ rating + ... + advance", attitude, std.lv = TRUE))
    assert res["omega"] == pytest.approx(0.826318070939521, rel=RTOL)
    assert (res["n"], res["k"]) == (30.0, 7.0)
    assert np.isnan(res["ci_low"]) and res["n_boot"] == 0
    # psych::omega(attitude, nfactors = 1, fm = "ml")$omega.tot = 0.848156187752336 is
    # another definition (1 - sum(u2) / sum(R)), so ours must differ from it
    assert abs(res["omega"] - 0.848156187752336) > 0.01


@pytest.mark.parametrize(
    ("cols", "n", "omega"),
    [
        # semTools::compRelSEM(cfa("f =~ N1 + N2 + N3 + N4 + N5", na.omit(bfi[, N1:N5]), std.lv = TRUE))
        (["N1", "N2", "N3", "N4", "N5"], 2694, 0.800139287427874),
        # semTools::compRelSEM(cfa("f =~ A2 + A3 + A4 + A5", na.omit(bfi[, A2:A5]), std.lv = TRUE))
        (["A2", "A3", "A4", "A5"], 2721, 0.721590107208233),
    ],
)
def test_omega_bfi_matches_semtools(bfi, cols, n, omega):
    res = mcdonald_omega(bfi[cols], n_boot=0)  # rows with a missing item dropped, as na.omit
    assert res["n"] == n
    assert res["omega"] == pytest.approx(omega, rel=RTOL)


def test_omega_from_covariance_ignores_the_covariance_denominator(attitude):
    cov = attitude.cov().to_numpy()
    # lavaan's sample covariance has denominator N, ours N - 1: omega is a ratio
    for factor in (1.0, 29 / 30, 100.0):
        assert omega_from_covariance(cov * factor, 30) == pytest.approx(0.826318070939521, rel=RTOL)


def test_omega_of_parallel_items_equals_alpha():
    """Second computation: with equal loadings and uniquenesses, omega = alpha (exactly)."""
    cov = np.full((4, 4), 0.4) + np.eye(4) * 0.6
    alpha = 4 / 3 * (1 - 4 / cov.sum())
    assert omega_from_covariance(cov, 100) == pytest.approx(alpha, rel=RTOL)


def test_bootstrap_on_resamples_drawn_in_r(attitude):
    idx = np.loadtxt(REF / "level2_attitude_boot.csv", delimiter=",", dtype=int) - 1
    point, boot = omega_resamples(attitude.to_numpy(float), idx)
    assert point == pytest.approx(0.826318070939521, rel=RTOL)
    # boot_omega[1:5]: compRelSEM of the first 5 resamples. The batched Newton fits reach
    # the maximum; lavaan's nlminb stops up to about 1e-5 short of it on a resample.
    first = [0.828915479220215, 0.781310049474303, 0.904007624493329, 0.759487536794724,
             0.800840955998798]  # fmt: skip
    np.testing.assert_allclose(boot[1:5], first[1:], atol=1e-5)
    # Resample 1 (R's numbering): lavaan's interior solution is a local optimum; the ML
    # maximum with bounded uniquenesses is a Heywood case. Reference: the lowest ML
    # discrepancy scipy's BFGS finds from 100 random starts (``_ml_optimum``, gtol 1e-10,
    # generators 0 and 1 alike): 36.5857306402 at omega 0.7315117607 (lavaan's 0.8289
    # lies at 36.6255199, sample-variance metric)
    assert boot[0] == pytest.approx(0.7315117607, abs=1e-5)
    # quantile(boot_omega, c(.025, .975), type = 7)
    np.testing.assert_allclose(
        np.quantile(boot, [0.025, 0.975]), [0.608174099855657, 0.917106403927893], atol=1e-5
    )
    assert np.isfinite(boot).all()


def test_every_bootstrap_fit_against_lavaan(attitude):
    """All 200 resamples (smallsample.R): lavaan's omega, smallest residual variance, fmin.

    Where lavaan's solution is inside the parameter space (194 resamples), ours is the same
    optimum (to lavaan's precision, about 1e-5) or a better one. Where they differ, a
    third fit (scipy's BFGS from 20 random starts) finds our omega at its lowest ML
    discrepancy, below lavaan's fmin: lavaan stopped at a worse local optimum. Where
    lavaan gives a negative residual variance (6 Heywood cases, which lavaan does not
    bound), ours is a bounded solution and is not compared.
    """
    from scipy.optimize import minimize

    idx = np.loadtxt(REF / "level2_attitude_boot.csv", delimiter=",", dtype=int) - 1
    ref = pd.read_csv(REF / "smallsample_attitude_boot_omega.csv")
    x = attitude.to_numpy(float)
    _, boot = omega_resamples(x, idx)
    inside = (ref["theta_min"] > 0).to_numpy()
    assert inside.sum() == 194  # attitude.boot_heywood = 6
    assert ref["omega"].sum() == pytest.approx(161.198749175628, rel=1e-12)  # boot_omega_sum
    same = np.abs(boot - ref["omega"].to_numpy()) < 2e-5
    assert same[inside].sum() >= 191
    n, k = x.shape
    rng = np.random.default_rng(0)
    for b in np.flatnonzero(inside & ~same):
        s = np.cov(x[idx[b]], rowvar=False) * (n - 1) / n  # lavaan's N-denominator S

        def f(t, s=s):
            sigma = np.outer(t[:k], t[:k]) + np.diag(np.exp(t[k:]))
            return np.linalg.slogdet(sigma)[1] + np.trace(s @ np.linalg.inv(sigma))

        fits = []
        for _ in range(20):
            start = np.r_[np.sqrt(np.diag(s)) * rng.uniform(0.3, 0.9, k),
                          np.log(np.diag(s) * rng.uniform(0.2, 0.8, k))]  # fmt: skip
            res = minimize(f, start, method="BFGS", options={"gtol": 1e-9})
            fits.append((res.fun, res.x[:k].sum() ** 2 / s.sum()))
        best_f, best_omega = min(fits)
        assert best_omega == pytest.approx(boot[b], abs=1e-5)
        # lavaan's fmin is F_ML / 2, F_ML = log|Sigma| + tr(S Sigma^-1) - log|S| - k
        assert (best_f - np.linalg.slogdet(s)[1] - k) / 2 < ref["fmin"][b] - 1e-6


def test_omega_ci_is_reproducible_and_brackets_the_estimate(attitude):
    a = mcdonald_omega(attitude, n_boot=300, seed=5)
    b = mcdonald_omega(attitude, n_boot=300, seed=5)
    pd.testing.assert_series_equal(a, b)
    assert a["ci_low"] < a["omega"] < a["ci_high"]
    c = mcdonald_omega(attitude, n_boot=300, seed=6)
    assert c["ci_low"] != a["ci_low"]
    narrow = mcdonald_omega(attitude, n_boot=300, seed=5, ci=0.8)
    assert a["ci_low"] < narrow["ci_low"] < narrow["ci_high"] < a["ci_high"]


def test_omega_by_equals_per_group_call(bfi):
    data = bfi[["N1", "N2", "N3", "N4", "N5", "gender"]].dropna().iloc[:400]
    res = mcdonald_omega(data, by="gender", n_boot=50)
    assert res.index.name == "gender" and list(res.index) == [1, 2]
    for key in res.index:
        one = mcdonald_omega(data[data["gender"] == key].drop(columns="gender"), n_boot=50)
        np.testing.assert_allclose(res.loc[key].to_numpy(), one.to_numpy(), rtol=1e-9)


def test_omega_beside_alpha_on_congeneric_items():
    """Unequal loadings: alpha underestimates the reliability; omega does not."""
    rng = np.random.default_rng(0)
    f = rng.normal(size=5000)
    loadings = np.array([0.9, 0.7, 0.5, 0.3])
    items = pd.DataFrame(f[:, None] * loadings + rng.normal(size=(5000, 4)) * 0.6)
    true = loadings.sum() ** 2 / (loadings.sum() ** 2 + 4 * 0.36)
    omega = mcdonald_omega(items, n_boot=0)["omega"]
    assert omega == pytest.approx(true, abs=0.01)
    assert cronbach_alpha(items)["alpha"] < omega


def test_omega_errors_and_warnings(attitude):
    with pytest.raises(
        ParameterError, match="mcdonald_omega: parameter 'items' must have at least 3"
    ):
        mcdonald_omega(attitude[["rating", "complaints"]])
    with pytest.raises(ParameterError, match="mcdonald_omega: parameter 'n_boot'"):
        mcdonald_omega(attitude, n_boot=-1)
    with pytest.raises(ParameterError, match="mcdonald_omega: parameter 'ci'"):
        mcdonald_omega(attitude, ci=1.5)
    with pytest.warns(EvalkitWarning, match=r"item\(s\) \['rating'\] have the same answer"):
        flat = mcdonald_omega(attitude.assign(rating=3), n_boot=0)
    # a constant item adds nothing to the total: omega is that of the other six items
    assert flat["omega"] == pytest.approx(
        mcdonald_omega(attitude.drop(columns="rating"), n_boot=0)["omega"], rel=1e-9
    )
    with pytest.raises(ParameterError, match="fewer than 3 items whose answers vary"):
        mcdonald_omega(attitude.assign(rating=3, complaints=4, privileges=1, learning=2, raises=5))
    with pytest.raises(ParameterError, match="fewer than 3 rows"):
        mcdonald_omega(attitude.iloc[:2])
    groups = np.array(["a"] * 28 + ["b"] * 2)
    with pytest.warns(EvalkitWarning, match="group 'b': omega is NaN"):
        res = mcdonald_omega(attitude, by=groups, n_boot=20)
    assert np.isnan(res.loc["b", "omega"]) and np.isfinite(res.loc["a", "omega"])


def test_public_names():
    assert ek.mcdonald_omega is mcdonald_omega


def test_a_resample_with_a_constant_item_is_fitted_on_the_others(attitude):
    x = attitude.to_numpy(float).copy()
    x[:, 0] = 3.0
    x[0, 0] = 4.0  # item 1 varies only through row 0
    without_row0 = np.arange(1, 30)[None, :].repeat(1, axis=0)
    idx = np.concatenate([without_row0, [[1]]], axis=1)  # 30 rows, row 0 never drawn
    _, boot = omega_resamples(x, idx)
    rest = x[idx[0]][:, 1:]
    expected = omega_from_covariance(np.cov(rest, rowvar=False), 30)
    assert boot[0] == pytest.approx(expected, abs=5e-5)


def test_reliability_conclusion_gives_omega_beside_alpha(attitude):
    from evalkit import reporting as ekr

    alpha = cronbach_alpha(attitude)
    omega = mcdonald_omega(attitude, n_boot=100)
    text = ekr.reliability_conclusion(alpha, "en", omega=omega)
    value = f"{omega['omega']:.2f}".lstrip("0")
    low, high = (f"{omega[c]:.2f}".lstrip("0") for c in ("ci_low", "ci_high"))
    assert "McDonald's ω, which does not assume" in text
    assert f"is {value} (95% CI {low} to {high}; one-factor model" in text
    assert "Omega McDonald" in ekr.reliability_conclusion(alpha, "id", omega=omega)
    assert "ω" not in ekr.reliability_conclusion(alpha, "en")


def _ml_optimum(s: np.ndarray, rng: np.random.Generator, starts: int = 10, gtol: float = 1e-12):
    """(discrepancy, omega) of the lowest ML discrepancy scipy's BFGS finds from ``starts``
    random starts, with the analytic gradient in (loadings, log uniquenesses): a third
    computation, independent of statsmodels and of our Newton steps."""
    from scipy.optimize import minimize

    k = s.shape[0]

    def f(t):
        lam, psi = t[:k], np.exp(t[k:])
        sigma = np.outer(lam, lam) + np.diag(psi)
        a = np.linalg.inv(sigma)
        m = a @ (s - sigma) @ a
        value = np.linalg.slogdet(sigma)[1] + np.trace(s @ a)
        return value, np.r_[-2 * m @ lam, -np.diag(m) * psi]

    fits = []
    for _ in range(starts):
        start = np.r_[np.sqrt(np.diag(s)) * rng.uniform(0.3, 0.9, k),
                      np.log(np.diag(s) * rng.uniform(0.2, 0.8, k))]  # fmt: skip
        res = minimize(f, start, jac=True, method="BFGS", options={"gtol": gtol})
        fits.append((res.fun, res.x[:k].sum() ** 2 / s.sum()))
    return min(fits)


def test_point_estimate_is_the_ml_maximum(attitude):
    """Third computation: scipy's BFGS on the ML discrepancy (analytic gradient), 10 starts."""
    _, best = _ml_optimum(attitude.cov().to_numpy(), np.random.default_rng(1))
    # lavaan (0.826318070939521) stops 1.4e-7 short; the Newton polish does not
    assert mcdonald_omega(attitude, n_boot=0)["omega"] == pytest.approx(best, abs=2e-8)


def test_bootstrap_fits_of_small_resamples_are_the_ml_optimum(bfi):
    """Resamples of 20 people and 13 items, where many fits end on the uniqueness bound.

    Each of these resamples' omega is the one of the lowest ML discrepancy that an
    independent optimiser finds: scipy's BFGS with the analytic gradient, on the
    log-uniqueness scale, from 10 random starts. (A fit stalled next to the bound by step
    halving used to be handed to statsmodels, whose BFGS from the full-sample solution
    stopped at a worse point: 0.373 for resample 0, whose optimum is 0.567.)
    """
    x = bfi.iloc[:, :13].dropna().iloc[:20].to_numpy(float)
    n, k = x.shape
    idx = np.random.default_rng(1).integers(0, n, size=(300, n))
    _, boot = omega_resamples(x, idx)
    rng = np.random.default_rng(0)
    for b in (0, 6, 10, 21, 30, 42):
        _, best = _ml_optimum(np.cov(x[idx[b]], rowvar=False), rng, gtol=1e-10)
        assert boot[b] == pytest.approx(best, abs=1e-4), b
