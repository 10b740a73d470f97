"""Tests written against the mutation-testing survivors of evalkit.metrics.reliability.

See mutation/README.md ("### reliability"). Reference values are hand calculations
written beside each test: with exactly three items the one-factor model is saturated
(as many parameters as covariances) and its ML solution, when no uniqueness is at its
bound, is the closed form

    lambda_1 = sqrt(s12 s13 / s23), lambda_2 = sqrt(s12 s23 / s13), lambda_3 = sqrt(s13 s23 / s12)

(Sigma = lambda lambda' + Psi reproduces S exactly), so omega = (sum lambda)^2 / sum(S)
needs no optimiser. ``tests/reference/survivors_reliability.R`` prints the same closed
form in base R for the attitude items rating, complaints and learning.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import evalkit.metrics.reliability as reliability_module
from evalkit import constants as C
from evalkit.errors import EvalkitWarning, ParameterError
from evalkit.metrics.reliability import (
    _discrepancy,
    _solve,
    _starts,
    mcdonald_omega,
    omega_from_covariance,
    omega_resamples,
)

REF = Path(__file__).parent / "reference"


def _closed_form(x: np.ndarray) -> tuple[float, float]:
    """Omega of three items by the saturated closed form, and the largest communality."""
    s = np.cov(x, rowvar=False)
    lam = np.sqrt([s[0, 1] * s[0, 2] / s[1, 2], s[0, 1] * s[1, 2] / s[0, 2],
                   s[0, 2] * s[1, 2] / s[0, 1]])  # fmt: skip
    return float(lam.sum() ** 2 / s.sum()), float((lam**2 / np.diag(s)).max())


@pytest.fixture(scope="module")
def attitude() -> pd.DataFrame:
    return pd.read_csv(REF / "level12_attitude.csv")


@pytest.fixture(scope="module")
def bfi20() -> np.ndarray:
    """The first 20 complete rows of the first 13 bfi items."""
    bfi = pd.read_csv(REF / "level12_bfi.csv")
    return bfi.iloc[:, :13].dropna().iloc[:20].to_numpy(float)


@pytest.fixture(scope="module")
def three() -> pd.DataFrame:
    """150 people, three items of one factor (communalities about 0.6; no resample of
    those drawn below has a Heywood case, checked in the test)."""
    rng = np.random.default_rng(0)
    f = rng.normal(size=150)
    x = np.round(f[:, None] * 0.8 + rng.normal(size=(150, 3)) * 0.6 + 3, 1)
    return pd.DataFrame(x, columns=["a", "b", "c"])


def test_three_attitude_items_give_the_closed_form(attitude):
    # survivors_reliability.R: sum(l)^2 / sum(S) of rating, complaints, learning
    items = attitude[["rating", "complaints", "learning"]]
    res = mcdonald_omega(items, n_boot=0)
    assert res["omega"] == pytest.approx(0.87835367169603, rel=1e-9)
    assert (res["n"], res["k"], res["n_boot"]) == (30.0, 3.0, 0.0)
    cov = items.cov().to_numpy()
    assert omega_from_covariance(cov, 30) == pytest.approx(0.87835367169603, rel=1e-9)
    # an integer covariance matrix (parallel items: omega = alpha = 3/2 (1 - 6/12) = 0.75)
    ints = [[2, 1, 1], [1, 2, 1], [1, 1, 2]]
    assert omega_from_covariance(ints, 50) == pytest.approx(0.75, rel=1e-9)
    # numbers in an object array (a table of mixed columns) are read as floats
    assert omega_from_covariance(np.array(ints, dtype=object), 50) == pytest.approx(0.75, rel=1e-9)


def test_bootstrap_interval_is_the_percentile_of_the_documented_resamples(three):
    """The interval re-derived from the documented rule: one fresh generator of ``seed``,
    ``integers(0, n, size=(n_boot, n))``, percentiles as R's type 7, each resample's omega
    by the closed form."""
    x = three.to_numpy()
    point, _ = _closed_form(x)
    idx = np.random.default_rng(C.SEED).integers(0, 150, size=(200, 150))
    boot = np.array([_closed_form(x[i]) for i in idx])
    assert boot[:, 1].max() < 0.9  # no Heywood case: the closed form is the ML solution
    res = mcdonald_omega(three, n_boot=200, ci=0.9)
    assert res["omega"] == pytest.approx(point, rel=1e-9)
    assert res["n_boot"] == 200.0
    low, high = np.quantile(boot[:, 0], [0.05, 0.95])
    assert res["ci_low"] == pytest.approx(low, rel=1e-7)
    assert res["ci_high"] == pytest.approx(high, rel=1e-7)
    # the resamples themselves, from omega_resamples
    got_point, got = omega_resamples(x, idx)
    assert got_point == pytest.approx(point, rel=1e-9)
    np.testing.assert_allclose(got, boot[:, 0], rtol=1e-7)
    _, mixed = omega_resamples(x.astype(object), idx[:5])
    np.testing.assert_allclose(mixed, boot[:5, 0], rtol=1e-7)
    # another seed draws other resamples
    idx7 = np.random.default_rng(7).integers(0, 150, size=(200, 150))
    low7 = np.quantile([_closed_form(x[i])[0] for i in idx7], 0.05)
    assert mcdonald_omega(three, n_boot=200, ci=0.9, seed=7)["ci_low"] == pytest.approx(
        low7, rel=1e-7
    )


def test_default_resamples_are_1000(three):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = mcdonald_omega(three)
    assert res["n_boot"] == 1000.0
    assert res.name == "mcdonald_omega"
    assert list(res.index) == ["omega", "ci_low", "ci_high", "n", "k", "n_boot"]


def test_parameter_messages(attitude):
    with pytest.raises(ParameterError, match=r"^mcdonald_omega: parameter 'ci' must be a number in \(0, 1\), got 1\.5$"):  # fmt: skip
        mcdonald_omega(attitude, ci=1.5)
    for bad in (True, 2.5, "10"):
        with pytest.raises(ParameterError, match="^mcdonald_omega: parameter 'n_boot' must be an integer >= 0"):  # fmt: skip
            mcdonald_omega(attitude, n_boot=bad)
    assert mcdonald_omega(attitude, n_boot=np.int64(5))["n_boot"] <= 5
    with pytest.raises(ParameterError, match="^mcdonald_omega: parameter 'items' must be a DataFrame"):  # fmt: skip
        mcdonald_omega(attitude.to_numpy())
    with pytest.raises(ParameterError, match="^mcdonald_omega: parameter 'by' must have one value per row"):  # fmt: skip
        mcdonald_omega(attitude, by=np.zeros(5))
    shifted = pd.Series(np.zeros(30), index=np.arange(1, 31))
    with pytest.raises(ParameterError, match="^mcdonald_omega: parameter 'by' is a Series whose index differs"):  # fmt: skip
        mcdonald_omega(attitude, by=shifted)
    with pytest.raises(
        ParameterError,
        match=r"^mcdonald_omega: parameter 'items' must have at least 3 item columns for a "
        r"one-factor model, got 2 \(\['rating', 'complaints'\]\)$",
    ):
        mcdonald_omega(attitude[["rating", "complaints"]])
    with pytest.raises(ParameterError, match=r"^mcdonald_omega: omega is undefined: fewer than 3 rows without a missing item \(2\)$"):  # fmt: skip
        mcdonald_omega(attitude.iloc[:2])
    flat = attitude.assign(rating=3, complaints=4, privileges=1, learning=2, raises=5)
    with pytest.raises(ParameterError, match="^mcdonald_omega: omega is undefined: fewer than 3 items whose answers vary$"):  # fmt: skip
        mcdonald_omega(flat)


def test_three_rows_and_three_varying_items_are_enough(attitude):
    # 3 complete rows is the documented minimum: a value, not an error
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = mcdonald_omega(attitude.iloc[:3], n_boot=0)
    assert res["n"] == 3.0 and np.isfinite(res["omega"])
    # four columns, one answered alike by everybody: omega of the three others (the total
    # gains no variance from a constant), here the closed form of rating, complaints,
    # learning (survivors_reliability.R)
    items = attitude[["rating", "complaints", "learning"]].assign(same=4)
    with pytest.warns(EvalkitWarning) as record:
        res = mcdonald_omega(items, n_boot=0)
    assert [str(w.message) for w in record] == [
        "mcdonald_omega: item(s) ['same'] have the same answer from everybody and are left "
        "out of the factor model (they add nothing to the total's variance)"
    ]
    assert res["omega"] == pytest.approx(0.87835367169603, rel=1e-9)
    assert res["k"] == 4.0


def test_by_groups_with_a_small_group_first(attitude):
    items = attitude[["rating", "complaints", "learning"]].assign(same=4)
    groups = np.array(["a"] * 2 + ["b"] * 28)  # the NaN group sorts first
    with pytest.warns(EvalkitWarning) as record:
        res = mcdonald_omega(items, by=groups, n_boot=0)
    assert [str(w.message) for w in record] == [
        "mcdonald_omega: group 'a': omega is NaN: fewer than 3 rows without a missing item (2)",
        "mcdonald_omega: group 'b': item(s) ['same'] have the same answer from everybody and "
        "are left out of the factor model (they add nothing to the total's variance)",
    ]
    assert list(res.columns) == ["omega", "ci_low", "ci_high", "n", "k", "n_boot"]
    assert list(res.index) == ["a", "b"]
    assert res.loc["a"].isna().tolist() == [True, True, True, False, False, False]
    assert res.loc["a", ["n", "k", "n_boot"]].tolist() == [2.0, 4.0, 0.0]
    expected, _ = _closed_form(attitude[["rating", "complaints", "learning"]].to_numpy()[2:])
    assert res.loc["b", "omega"] == pytest.approx(expected, rel=1e-9)
    assert res.loc["b", ["n", "k", "n_boot"]].tolist() == [28.0, 4.0, 0.0]


def _two_rare_items() -> pd.DataFrame:
    """30 people; items c and d vary only in rows 0-2, so a resample without those rows has
    2 varying items and no valid fit."""
    rng = np.random.default_rng(4)
    f = rng.normal(size=30)
    a = np.round(3 + f + rng.normal(size=30) * 0.7)
    b = np.round(3 + f + rng.normal(size=30) * 0.7)
    c = np.full(30, 3.0)
    c[:3] = [4, 2, 5]
    d = np.full(30, 2.0)
    d[:3] = [3, 3, 1]
    return pd.DataFrame({"a": a, "b": b, "c": c, "d": d})


@pytest.mark.parametrize(("seed", "missing"), [(0, 0), (2, 1), (3, 2)])
def test_resamples_without_a_valid_fit_warn_above_5_percent(seed, missing):
    x = _two_rare_items()
    idx = np.random.default_rng(seed).integers(0, 30, size=(20, 30))
    # resamples that draw none of rows 0-2 (the documented resampling rule)
    assert (~np.isin(idx, [0, 1, 2])).all(axis=1).sum() == missing
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        res = mcdonald_omega(x, n_boot=20, seed=seed)
    assert res["n_boot"] == 20.0 - missing
    messages = [str(w.message) for w in record]
    if missing <= 1:  # 19 of 20 valid is exactly 95 %: no warning
        assert messages == []
    else:
        assert messages == ["mcdonald_omega: 2 of 20 resamples had no valid fit"]
        with pytest.warns(EvalkitWarning, match="^mcdonald_omega: group 'g': 2 of 20 resamples"):
            mcdonald_omega(x.assign(g="g"), by="g", n_boot=20, seed=seed)


def test_a_resample_left_with_three_varying_items_is_fitted_on_them(three):
    """Items d and e vary only through rows 0 and 1: a resample without those rows is
    fitted alone on the three others, whose omega is the closed form (about halved, the
    three have variances below 1: an item is left out for a variance of 0, not a small
    one). A
    resample of one row repeated has no varying item and gives NaN, and the resamples
    after it are still fitted."""
    d = np.full(150, 2.0)
    d[0] = 3.0
    e = np.full(150, 1.0)
    e[1] = 2.0
    # halved on a grid of quarters: a repeated answer's mean is exact, so its variance is 0
    x = np.column_stack([np.round(three.to_numpy() * 2) / 4, d, e])
    rows = np.arange(150)
    idx = np.vstack([
        rows,
        np.r_[rows[2:], 2, 3],  # no row 0 or 1
        np.full(150, 5),  # one person 150 times
        np.r_[rows[2:], 4, 4],  # no row 0 or 1
        rows,
    ])  # fmt: skip
    _, boot = omega_resamples(x, idx)
    for b in (1, 3):
        expected, communality = _closed_form(x[idx[b], :3])
        assert communality < 1
        assert boot[b] == pytest.approx(expected, abs=5e-5), b  # statsmodels, gtol 1e-5
    assert np.isnan(boot[2])
    assert np.isfinite(boot[[0, 4]]).all()


def test_point_estimate_of_a_small_sample_ending_next_to_the_bound(bfi20):
    """20 people, 13 items: the ML maximum is a Heywood case whose Newton polish does not
    pass its convergence test, so statsmodels' own fit (gradient tolerance 1e-7) is the
    estimate. Reference: the lowest ML discrepancy scipy's BFGS finds from 20 random
    starts (``test_reliability._ml_optimum``; 18.6764929246, omega 0.2346187918, the same
    from two generators). With the default seed statsmodels reaches it; some other seeds
    reach a local maximum (omega 0.4098), see mutation/README.md."""
    cov = np.cov(bfi20, rowvar=False)
    assert omega_from_covariance(cov, 20) == pytest.approx(0.2346187918, abs=1e-7)
    res = mcdonald_omega(pd.DataFrame(bfi20), n_boot=0)
    assert res["omega"] == pytest.approx(0.2346187918, abs=1e-7)


def test_small_resamples_whose_optimum_a_start_decides(bfi20):
    """Two resamples of the 20-row sample (rows of ``default_rng(1).integers(0, 20,
    size=(300, 20))``, resamples 53 and 226) on which a worse start (the second start's
    uniquenesses a third of the variance, or the covariances on another scale) ends at
    another optimum. Reference: the lowest ML discrepancy scipy's BFGS finds from 100
    random starts with the analytic gradient (``test_reliability._ml_optimum``, gtol
    1e-10), the same from generators 0 and 1: discrepancy 15.0178517513 at omega
    0.6427294536, and 18.4042302737 at omega 0.1347030978. (Ten starts once gave
    0.3506593867 for 226, a local optimum of discrepancy 18.4931755, which the two fixed
    starts alone also reached.)"""
    idx = np.random.default_rng(1).integers(0, 20, size=(300, 20))[[53, 226]]
    _, boot = omega_resamples(bfi20, idx)
    np.testing.assert_allclose(boot, [0.6427294536, 0.1347030978], atol=1e-5)


def test_discrepancy_is_the_ml_discrepancy_of_sigma_and_infinite_outside():
    """log|Sigma| + tr(S Sigma^-1) and Sigma^-1 against numpy's slogdet and inv of
    Sigma = lambda lambda' + Psi built explicitly (no Woodbury); rows with a parameter
    not finite or a uniqueness <= 0 are infinite, beside valid rows, without a warning."""
    rng = np.random.default_rng(7)
    k = 4
    lam = rng.normal(0.6, 0.3, size=(7, k))
    psi = rng.uniform(0.2, 1.0, size=(7, k))
    x = rng.normal(size=(7, 30, k))
    s = np.einsum("bni,bnj->bij", x, x) / 30
    lam[2, 1] = np.nan
    lam[3, 0] = np.inf
    psi[4, 2] = 0.0
    psi[5, 3] = -0.1
    psi[6, 0] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value, inv = _discrepancy(lam, psi, s)
    for b in (0, 1):
        sigma = np.outer(lam[b], lam[b]) + np.diag(psi[b])
        expected = np.linalg.slogdet(sigma)[1] + np.trace(s[b] @ np.linalg.inv(sigma))
        assert value[b] == pytest.approx(expected, rel=1e-12)
        np.testing.assert_allclose(inv[b], np.linalg.inv(sigma), rtol=1e-10, atol=1e-12)
    assert np.isposinf(value[2:]).all()


def test_solve_of_a_batch_with_a_singular_matrix_is_the_minimum_norm_solution():
    """A batch holding a singular matrix falls back to the pseudo-inverse: the regular
    system keeps its exact solution (2x = 2, 4y = 4: (1, 1)); for x + y = 2, x + y = 0
    the least-squares sum is 1 and its minimum-norm solution (0.5, 0.5), as lstsq."""
    a = np.array([[[2.0, 0.0], [0.0, 4.0]], [[1.0, 1.0], [1.0, 1.0]]])
    b = np.array([[2.0, 4.0], [2.0, 0.0]])
    out = _solve(a, b)
    np.testing.assert_allclose(out, [[1.0, 1.0], [0.5, 0.5]], atol=1e-12)
    np.testing.assert_allclose(out[1], np.linalg.lstsq(a[1], b[1], rcond=None)[0], atol=1e-12)


def test_fixed_starts_of_the_bootstrap_by_hand():
    # cov = I + v v' with v = (1, -1, 2): the first principal component is v / |v|;
    # against the full-sample signs (+, -, +) its sign stays, so the second start is
    # (+, -, +) sqrt(var / 2) with var = 1 + v^2 = (2, 2, 5), uniquenesses var / 2
    v = np.array([1.0, -1.0, 2.0])
    covs = (np.eye(3) + np.outer(v, v))[None]
    loadings, uniqueness = np.array([0.5, -0.5, 0.5]), np.array([0.7, 0.8, 0.9])
    full, half = _starts(covs, loadings, uniqueness)
    np.testing.assert_array_equal(full[0], loadings[None])
    np.testing.assert_array_equal(full[1], uniqueness[None])
    np.testing.assert_allclose(half[0], [[1.0, -1.0, np.sqrt(2.5)]], rtol=1e-12)
    np.testing.assert_allclose(half[1], [[1.0, 1.0, 2.5]], rtol=1e-12)
    # full-sample signs opposite to the component's everywhere: the component is flipped
    full, half = _starts(covs, -loadings, uniqueness)
    np.testing.assert_allclose(half[0], [[-1.0, 1.0, -np.sqrt(2.5)]], rtol=1e-12)


def test_random_starts_of_the_bootstrap(monkeypatch, attitude):
    """Each batch is fitted from the two fixed starts and two random ones: positive
    loadings 0.3 to 0.9 of each item's sd, uniquenesses 0.2 to 0.8 of its variance, drawn
    per resample and item."""
    seen = []
    fit = reliability_module._scoring_fit

    def recording(covs, loadings, uniqueness, *args, **kwargs):
        seen.append((covs, loadings, uniqueness))
        return fit(covs, loadings, uniqueness, *args, **kwargs)

    monkeypatch.setattr(reliability_module, "_scoring_fit", recording)
    x = attitude.to_numpy(float)
    idx = np.random.default_rng(4).integers(0, 30, size=(50, 30))
    omega_resamples(x, idx)
    batches = [s for s in seen if len(s[0]) == 50]
    assert len(batches) == 4  # the point estimate's polish is a batch of one
    for covs, loadings, uniqueness in batches[2:]:
        var = np.diagonal(covs, axis1=1, axis2=2)
        share, rest = loadings / np.sqrt(var), uniqueness / var
        assert share.min() >= 0.3 and share.max() <= 0.9
        assert rest.min() >= 0.2 and rest.max() <= 0.8
        assert np.ptp(share, axis=1).min() > 0 and np.ptp(rest, axis=1).min() > 0
    assert not np.allclose(batches[2][1], batches[3][1])


def test_bootstrap_needs_statsmodels_only_for_the_point_estimate_on_attitude(monkeypatch, attitude):
    """All 200 resamples of R's draws converge in the batched fits (statsmodels fits the
    point estimate once; a rare stall may add one or two), and twice the same call gives
    the same numbers to the last bit (the random starts are seeded)."""
    calls = []
    fit = reliability_module._fit_one_factor

    def counting(*args, **kwargs):
        calls.append(1)
        return fit(*args, **kwargs)

    monkeypatch.setattr(reliability_module, "_fit_one_factor", counting)
    idx = np.loadtxt(REF / "level2_attitude_boot.csv", delimiter=",", dtype=int) - 1
    x = attitude.to_numpy(float)
    point, boot = omega_resamples(x, idx)
    assert len(calls) <= 3
    again_point, again = omega_resamples(x, idx)
    assert again_point == point and np.array_equal(again, boot)


def test_bootstrap_of_small_resamples_is_reproducible(bfi20):
    idx = np.random.default_rng(1).integers(0, 20, size=(300, 20))
    first, second = omega_resamples(bfi20, idx)[1], omega_resamples(bfi20, idx)[1]
    assert np.array_equal(first, second, equal_nan=True)
