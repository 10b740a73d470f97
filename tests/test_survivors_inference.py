"""Tests that kill the mutation-testing survivors of evalkit.metrics.inference (mutation/README.md).

Reference values come from tests/reference/survivors_inference.R (R 4.2.2, sandwich 3.0-2;
output in survivors_inference_output.txt) on its survivors_inference_people.csv (50
respondents of 7 units k1-k7 listed out of sort order, 1-3 rows per unit and wave,
k2, k5 and k6 trained, ``after`` = wave >= 2), from hand calculations written beside the
tests, and, for the sampled Webb weights, from the documented rule re-derived in numpy
below (a least-squares fit and the CR1 sandwich written out per draw, not the module's
hat-matrix computation). Each test compares with those values, never with another call
of the same function.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import evalkit.metrics.inference as inference
from evalkit.errors import ParameterError
from evalkit.metrics.inference import (
    randomization_ci,
    randomization_inference,
    treatment_assignments,
    wild_cluster_bootstrap,
)

REF = Path(__file__).parent / "reference"
RTOL = 1e-9
COLS = {"treated": "grp", "post": "after", "cluster": "kab"}


@pytest.fixture(scope="module")
def people() -> pd.DataFrame:
    return pd.read_csv(REF / "survivors_inference_people.csv")


@pytest.fixture(scope="module")
def ref() -> dict[str, float]:
    out = {}
    for line in (REF / "survivors_inference_output.txt").read_text().splitlines():
        key, _, value = line.partition(" = ")
        out[key.strip()] = float(value)
    return out


def _flat(change_a: float = 1.0, change_b: float = 3.0) -> pd.DataFrame:
    """Four units, two periods: a and b trained, c and d not.

    The changes are a: change_a, b: change_b, c: +2, d: +2; with the defaults the trained
    mean change is (1 + 3) / 2 = 2, as the control one, so the DiD is exactly 0.
    """
    pre = {"a": 70.0, "b": 72.0, "c": 71.0, "d": 69.0}
    change = {"a": change_a, "b": change_b, "c": 2.0, "d": 2.0}
    rows = [
        {"unit": u, "treated": u in "ab", "post": post, "period": int(post),
         "ikm": pre[u] + change[u] * post}
        for u in "abcd" for post in (False, True)
    ]  # fmt: skip
    return pd.DataFrame(rows)


# --- randomisation inference ------------------------------------------------------------
def test_randomization_inference_matches_r_with_own_column_names(people, ref):
    # survivors_inference.R: combn(7, 3), lm(y ~ tr * after) on the 50 rows
    res = randomization_inference(people, "y", period="wave", **COLS)
    assert res.index.tolist() == [
        "estimate", "p", "n_assignments", "exact", "n_as_extreme", "model"
    ]  # fmt: skip
    assert res["estimate"] == pytest.approx(ref["ri.linear.estimate"], rel=RTOL)
    assert res["n_as_extreme"] == ref["ri.linear.extreme"] == 2
    assert res["p"] == pytest.approx(ref["ri.linear.p"], rel=RTOL)  # 2 / 35
    assert res["n_assignments"] == 35 and res["exact"] and res["model"] == "linear"


def test_randomization_inference_poisson_matches_r_with_own_period(people, ref):
    # glm(n ~ D + factor(kab) + factor(wave), poisson) over combn(7, 3)
    res = randomization_inference(people, "n", period="wave", model="poisson", **COLS)
    assert res["estimate"] == pytest.approx(ref["ri.pois.estimate"], rel=1e-8)
    assert res["estimate"] != pytest.approx(ref["ri.pois_nowave.estimate"], rel=1e-3)
    assert res["n_as_extreme"] == ref["ri.pois.extreme"] == 3
    assert res["p"] == pytest.approx(ref["ri.pois.p"], rel=RTOL)  # 3 / 35
    assert res["model"] == "poisson"


def test_randomization_inference_estimate_zero_counts_every_assignment():
    # Hand calculation: the DiD of _flat() is (1 + 3) / 2 - (2 + 2) / 2 = 0 exactly, so
    # every one of the C(4, 2) = 6 assignments is at least as far from 0: p = 6 / 6 = 1.
    res = randomization_inference(_flat(), "ikm")
    assert res["estimate"] == 0.0
    assert res["n_as_extreme"] == 6 and res["p"] == 1.0


def test_randomization_inference_passes_its_documented_defaults(monkeypatch):
    # The docstring: max_exact 20000, draws 9999, seed 20240 (handed to the assignments).
    seen = {}
    real = inference.treatment_assignments

    def spy(n_units, n_treated, **kwargs):
        seen.update(kwargs)
        return real(n_units, n_treated, **kwargs)

    monkeypatch.setattr(inference, "treatment_assignments", spy)
    randomization_inference(_flat(1.0, 5.0), "ikm")
    assert seen == {"max_exact": 20_000, "draws": 9_999, "seed": 20240}
    seen.clear()
    randomization_ci(_flat(1.0, 5.0), "ikm")
    assert seen == {"max_exact": 20_000, "draws": 9_999, "seed": 20240}


def test_randomization_inference_messages_name_the_function(people):
    with pytest.raises(ParameterError, match="^randomization_inference: .*'nope'"):
        randomization_inference(people, "nope", period="wave", **COLS)
    with pytest.raises(ParameterError, match="^randomization_inference: .*'nope'"):
        randomization_inference(people, "nope", period="wave", model="poisson", **COLS)
    bad = people.assign(after=np.where(people["after"], "ya", "tidak"))
    with pytest.raises(ParameterError, match="^randomization_inference: column 'after'"):
        randomization_inference(bad, "y", period="wave", **COLS)
    with pytest.raises(ParameterError, match="^randomization_inference: column 'after'"):
        randomization_inference(bad, "n", period="wave", model="poisson", **COLS)
    with pytest.raises(ParameterError, match="^randomization_inference: parameter 'model'"):
        randomization_inference(people, "y", model="Linear", **COLS)


# --- wild cluster bootstrap -------------------------------------------------------------
def _cr1_t(Y: np.ndarray, X: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """The t of the last coefficient with CR1 (sandwich's HC1), written out.

    One least-squares fit per column of ``Y``; the meat is the sum over clusters of the
    outer products of the clusters' score sums X_g' e_g.
    """
    n, k = X.shape
    g = codes.max() + 1
    beta = np.linalg.lstsq(X, Y, rcond=None)[0]  # k x B
    E = Y - X @ beta
    bread = np.linalg.inv(X.T @ X)
    scores = np.stack([X[codes == j].T @ E[codes == j] for j in range(g)])  # g x k x B
    meat = np.einsum("gib,gjb->bij", scores, scores)
    v = bread @ meat @ bread * g / (g - 1) * (n - 1) / (n - k)  # B x k x k
    return beta[-1] / np.sqrt(v[:, -1, -1])


def _wcr_reference(data: pd.DataFrame, y: str, W: np.ndarray) -> tuple[float, float]:
    """t and p of the WCR over the weight rows W (unit j in sorted order gets W[:, j])."""
    codes = pd.factorize(data["kab"], sort=True)[0]
    tr = data["grp"].to_numpy(float)
    post = data["after"].to_numpy(float)
    X = np.column_stack([np.ones(len(tr)), tr, post, tr * post])
    yy = data[y].to_numpy(float)
    b_r = np.linalg.lstsq(X[:, :3], yy, rcond=None)[0]
    fit = X[:, :3] @ b_r
    t0 = float(_cr1_t(yy[:, None], X, codes)[0])
    t_star = _cr1_t(fit[:, None] + (yy - fit)[:, None] * W[:, codes].T, X, codes)
    return t0, float(np.mean(np.abs(t_star) >= abs(t0) * (1 - 1e-9)))


def test_wild_bootstrap_rademacher_enumeration_matches_r(people, ref):
    # survivors_inference.R: all 2^7 = 128 sign vectors, lm + vcovCL(~kab, "HC1")
    res = wild_cluster_bootstrap(people, "y", weights="rademacher", draws=128, **COLS)
    assert res.index.tolist() == [
        "estimate", "t", "p", "n_draws", "enumerated", "weights", "n_clusters"
    ]  # fmt: skip
    assert res["estimate"] == pytest.approx(ref["wcr.estimate"], rel=RTOL)
    assert res["t"] == pytest.approx(ref["wcr.t"], rel=RTOL)
    assert res["p"] == pytest.approx(ref["wcr.p"], rel=RTOL)  # 4 / 128
    # 2^7 = 128 <= draws = 128: the 128 vectors are enumerated, not 128 draws sampled
    assert res["enumerated"] and res["n_draws"] == 128 and res["weights"] == "rademacher"
    assert res["n_clusters"] == 7
    # the numpy re-derivation used for the Webb draws below gives R's values here
    bits = (np.arange(128)[:, None] >> np.arange(7)[None, :]) & 1
    t0, p = _wcr_reference(people, "y", 1.0 - 2.0 * bits)
    assert t0 == pytest.approx(ref["wcr.t"], rel=RTOL) and p == pytest.approx(ref["wcr.p"])


def test_wild_bootstrap_webb_draws_match_the_documented_rule(people):
    # Webb's six points, drawn by numpy.random.default_rng(seed).choice (draws x units)
    webb = np.array([-np.sqrt(1.5), -1.0, -np.sqrt(0.5), np.sqrt(0.5), 1.0, np.sqrt(1.5)])
    W = np.random.default_rng(20240).choice(webb, size=(9_999, 7))
    t0, p = _wcr_reference(people, "y", W)
    res = wild_cluster_bootstrap(people, "y", weights="webb", **COLS)  # the defaults
    assert res["t"] == pytest.approx(t0, rel=RTOL)
    assert res["p"] == pytest.approx(p, rel=RTOL)
    assert (res["n_draws"], res["enumerated"], res["weights"]) == (9_999, False, "webb")
    auto = wild_cluster_bootstrap(people, "y", **COLS)  # 7 < 12 units: Webb
    assert auto["weights"] == "webb" and auto["p"] == pytest.approx(p, rel=RTOL)


def test_wild_bootstrap_twelve_units_take_rademacher():
    # "auto" takes Webb below 12 clusters: 12 units get Rademacher, all 2^12 = 4096
    d = pd.read_csv(REF / "level4_panel.csv")
    twelve = d[d["unit"] != "u13"]
    res = wild_cluster_bootstrap(twelve, "score")
    assert res["n_clusters"] == 12 and res["weights"] == "rademacher"
    assert res["enumerated"] and res["n_draws"] == 4096


def test_wild_bootstrap_draws_boundaries(people, ref):
    res = wild_cluster_bootstrap(people, "y", weights="rademacher", draws=99, **COLS)
    assert res["n_draws"] == 99 and not res["enumerated"]  # 99 is allowed; 2^7 > 99
    assert not wild_cluster_bootstrap(people, "y", weights="rademacher", draws=127, **COLS)[
        "enumerated"
    ]
    for bad in (98, 150.0, True):
        with pytest.raises(ParameterError, match="^wild_cluster_bootstrap: parameter 'draws'"):
            wild_cluster_bootstrap(people, "y", weights="rademacher", draws=bad, **COLS)


def test_wild_bootstrap_messages_name_the_function(people):
    with pytest.raises(ParameterError, match="^wild_cluster_bootstrap: .*'nope'"):
        wild_cluster_bootstrap(people, "nope", **COLS)
    bad = people.assign(after=np.where(people["after"], "ya", "tidak"))
    with pytest.raises(ParameterError, match="^wild_cluster_bootstrap: column 'after'"):
        wild_cluster_bootstrap(bad, "y", **COLS)
    with pytest.raises(ParameterError, match="^wild_cluster_bootstrap: parameter 'weights'"):
        wild_cluster_bootstrap(people, "y", weights="Webb", **COLS)
    before = people.assign(after=False)  # no row after the training: two cells only
    with pytest.raises(
        ParameterError, match="^wild_cluster_bootstrap: the design is collinear; a DiD needs"
    ):
        wild_cluster_bootstrap(before, "y", **COLS)


def test_wild_bootstrap_sampled_rademacher_matches_the_documented_rule(people):
    # 2^7 = 128 > 127 draws: signs drawn by default_rng(seed).choice([-1, 1]) (draws x units)
    W = np.random.default_rng(10).choice(np.array([-1.0, 1.0]), size=(127, 7))
    t0, p = _wcr_reference(people, "y", W)
    res = wild_cluster_bootstrap(people, "y", weights="rademacher", draws=127, seed=10, **COLS)
    assert (res["n_draws"], res["enumerated"], res["weights"]) == (127, False, "rademacher")
    assert res["t"] == pytest.approx(t0, rel=RTOL)
    assert res["p"] == pytest.approx(p, rel=RTOL)


def test_wild_bootstrap_estimate_zero_counts_every_draw():
    # Hand calculation: the DiD of _flat() is exactly 0, so t = 0 and every one of the
    # 2^4 = 16 sign vectors gives |t*| >= 0: p = 16 / 16 = 1.
    res = wild_cluster_bootstrap(_flat(), "ikm", weights="rademacher")
    assert res["estimate"] == 0.0 and res["t"] == 0.0
    assert res["n_draws"] == 16 and res["p"] == 1.0


# --- confidence set from inverting the randomisation test --------------------------------
def _silent(func, *args, **kwargs):
    """Call ``func`` with every warning turned into an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return func(*args, **kwargs)


def test_randomization_ci_matches_brute_force_r_silently(people, ref):
    # survivors_inference.R set_of(d): grid of tau0 and bisection, p(tau0) > 1 - ci
    # at 60 %: 1 - 0.6 is 0.4 exactly, as is 14 / 35; a value with 14 of the 35
    # assignments as extreme is rejected (p must exceed 1 - ci)
    for ci, key in ((0.8, "ri.ci80"), (0.9, "ri.ci90"), (0.6, "ri.ci60")):
        res = _silent(randomization_ci, people, "y", ci=ci, **COLS)
        assert res.index.tolist() == [
            "estimate", "ci_low", "ci_high", "connected", "n_assignments", "exact"
        ]  # fmt: skip
        assert res["estimate"] == pytest.approx(ref["ri.estimate"], rel=RTOL)
        assert res["ci_low"] == pytest.approx(ref[f"{key}[1]"], abs=1e-8)
        assert res["ci_high"] == pytest.approx(ref[f"{key}[2]"], abs=1e-8)
        assert res["connected"] and ref[f"{key}.one_run"] == 1
        assert res["n_assignments"] == 35 and res["exact"]


def test_randomization_ci_is_unbounded_where_far_values_are_not_rejected(people, ref):
    # Far from the estimate only the observed assignment (c_a = 1) is as extreme:
    # p = 1 / 35 = 0.0286 (ri.p_far) > 1 - 0.99, so no value is rejected at 99 %.
    assert ref["ri.p_far[1]"] == ref["ri.p_far[2]"] == pytest.approx(1 / 35)
    res = _silent(randomization_ci, people, "y", ci=0.99, **COLS)
    assert res["ci_low"] == -np.inf and res["ci_high"] == np.inf and res["connected"]


def test_randomization_ci_units_seen_before_only_match_r_silently(people, ref):
    # k6 (trained) and k7 (not) have no rows after the training: swapping them keeps the
    # DiD of D at c_a = 1, a division by zero the change points leave out (no warning).
    pre = people[~(people["kab"].isin(["k6", "k7"]) & people["after"])]
    res = _silent(randomization_ci, pre, "y", ci=0.8, **COLS)
    assert res["estimate"] == pytest.approx(ref["ri_pre.estimate"], rel=RTOL)
    # R's bisection stops where the 1e-9 tie tolerance flips, here 2.5e-8 off the exact
    # change point of the low bound
    assert res["ci_low"] == pytest.approx(ref["ri_pre.ci80[1]"], abs=1e-7)
    assert res["ci_high"] == pytest.approx(ref["ri_pre.ci80[2]"], abs=1e-7)
    assert res["connected"] and ref["ri_pre.ci80.one_run"] == 1
    # ri_pre.p_far = 2 / 35 > 1 - 0.95: unbounded at 95 %
    assert ref["ri_pre.p_far[1]"] == pytest.approx(2 / 35)
    wide = _silent(randomization_ci, pre, "y", ci=0.95, **COLS)
    assert (wide["ci_low"], wide["ci_high"]) == (-np.inf, np.inf)


def test_randomization_ci_messages_name_the_function(people):
    with pytest.raises(
        ParameterError, match=r"^randomization_ci: parameter 'ci' must be a number in \(0, 1\)"
    ):
        randomization_ci(people, "y", ci=1.5, **COLS)
    bad = people.assign(after=np.where(people["after"], "ya", "tidak"))
    with pytest.raises(ParameterError, match="^randomization_ci: column 'after'"):
        randomization_ci(bad, "y", **COLS)


def test_linear_randomization_refuses_a_missing_cell_as_did_does(people):
    # No trained unit seen after the training: the DiD is undefined. The two used to
    # report estimate NaN with p = 0 (no assignment as extreme as NaN) and an empty set.
    none_after = people[~(people["grp"] & people["after"])]
    msg = "no rows with grp=True and after=True; a DiD needs all four treated x post cells"
    with pytest.raises(ParameterError, match=f"^randomization_inference: {msg}"):
        randomization_inference(none_after, "y", **COLS)
    with pytest.raises(ParameterError, match=f"^randomization_ci: {msg}"):
        randomization_ci(none_after, "y", **COLS)
    no_control_before = people[~(~people["grp"] & ~people["after"])]
    with pytest.raises(ParameterError, match="grp=False and after=False"):
        randomization_inference(no_control_before, "y", **COLS)


def _did(y: np.ndarray, tr: np.ndarray, post: np.ndarray) -> float:
    """The DiD coefficient of y ~ tr * post, by least squares (NaN for an empty cell)."""
    X = np.column_stack([np.ones(len(y)), tr, post, tr * post])
    if np.linalg.matrix_rank(X) < 4:
        return np.nan
    return float(np.linalg.lstsq(X, y, rcond=None)[0][3])


def test_randomization_ci_sampled_bounds_flip_the_documented_p(people):
    # 35 assignments > max_exact = 10: 100 drawn ones (the rows of treatment_assignments
    # with the same seed); p(tau0) = (1 + #{|b_a| >= |b_obs|}) / (1 + 100), refitted here by
    # least squares for tau0 just inside and just outside each bound of the 50 % set:
    # p > 0.5 needs 50 of the 100 (51 / 101), where # / 100 or (1 + #) / 102 need 51.
    res = _silent(randomization_ci, people, "y", ci=0.5, max_exact=10, draws=100, seed=7, **COLS)
    assert not res["exact"] and res["n_assignments"] == 100
    A, exact = treatment_assignments(7, 3, max_exact=10, draws=100, seed=7)
    assert not exact
    codes = pd.factorize(people["kab"], sort=True)[0]
    after = people["after"].to_numpy(float)
    dose = (people["grp"] & people["after"]).to_numpy(float)
    obs = people["grp"].to_numpy(float)

    def p(tau):
        y0 = people["y"].to_numpy() - tau * dose
        b_obs = _did(y0, obs, after)
        b = np.array([_did(y0, a[codes].astype(float), after) for a in A])
        return (1 + np.sum(np.abs(b) >= abs(b_obs) * (1 - 1e-9))) / 101

    for bound, inward in ((res["ci_low"], 1), (res["ci_high"], -1)):
        assert np.isfinite(bound)
        assert p(bound + inward * 1e-6) > 0.5
        assert p(bound - inward * 1e-6) <= 0.5


def test_randomization_with_an_undefined_assignment_is_silent_and_can_be_empty(people, ref):
    # k1, k3, k4 (not trained) are seen before the training only. The assignment that
    # trains exactly these three has no rows after the training among its trained units:
    # its DiD is undefined (0 / 0, no warning) and never as extreme, so p(tau) <= 34 / 35
    # = 0.971 for every tau, never above 1 - 0.01: the 1 % set is empty.
    pre = people[~(people["kab"].isin(["k1", "k3", "k4"]) & people["after"])]
    res = _silent(randomization_ci, pre, "y", ci=0.01, **COLS)
    assert np.isnan(res["ci_low"]) and np.isnan(res["ci_high"])
    assert res["connected"] is False
    assert res["n_assignments"] == 35
    # the observed DiD: k2, k5, k6 against k7, the only untrained unit seen after
    tr = pre["grp"].to_numpy(float)
    b_obs = _did(pre["y"].to_numpy(), tr, pre["after"].to_numpy(float))
    ri = _silent(randomization_inference, pre, "y", **COLS)
    assert ri["estimate"] == pytest.approx(b_obs, rel=RTOL)
    assert ri["n_assignments"] == 35 and ri["n_as_extreme"] <= 34


def test_assignments_boundaries_and_defaults():
    # one trained unit of three: the three unit vectors, in combinations order
    a, exact = treatment_assignments(3, 1)
    assert exact and a.tolist() == [[True, False, False], [False, True, False],
                                    [False, False, True]]  # fmt: skip
    # C(5, 2) = 10 = max_exact: still all of them
    a, exact = treatment_assignments(5, 2, max_exact=10)
    assert exact and a.shape == (10, 5)
    a, exact = treatment_assignments(5, 2, max_exact=9, draws=4, seed=1)
    assert not exact and a.shape == (4, 5)
    for bad in (0, 3, -1):
        with pytest.raises(
            ParameterError,
            match=f"^treatment_assignments: need 0 < n_treated < n_units, got {bad} of 3",
        ):
            treatment_assignments(3, bad)
    # C(40, 20) > 20000: 9999 drawn ones from default_rng(20240), each a random order of
    # the 40 units (argsort of 40 uniforms) whose first 20 are trained
    a, exact = treatment_assignments(40, 20)
    order = np.argsort(np.random.default_rng(20240).random((9_999, 40)), axis=1)
    expected = np.zeros((9_999, 40), dtype=bool)
    np.put_along_axis(expected, order[:, :20], True, axis=1)
    assert not exact and a.shape == (9_999, 40) and a.dtype == bool and (a == expected).all()


def test_randomization_ci_sampled_without_any_defined_assignment_is_empty():
    # 100 units, u000 trained; only u000 and u001 are seen after the training. Of 100
    # assignments > max_exact = 10, the 99 drawn with seed 9 never train u000 or u001, so
    # each leaves one group without rows after the training: every drawn DiD is undefined
    # and gives no change point. The only value looked at is the estimate itself, where
    # p = (1 + 0) / (1 + 99) = 0.01 <= 1 - 0.95: the 95 % set is empty.
    units = [f"u{k:03d}" for k in range(100)]
    rows = [{"unit": u, "treated": u == "u000", "post": False, "ikm": 60.0 + k % 7}
            for k, u in enumerate(units)]  # fmt: skip
    rows += [{"unit": "u000", "treated": True, "post": True, "ikm": 70.0},
             {"unit": "u001", "treated": False, "post": True, "ikm": 62.0}]  # fmt: skip
    d = pd.DataFrame(rows)
    A, exact = treatment_assignments(100, 1, max_exact=10, draws=99, seed=9)
    assert not exact and not A[:, :2].any()
    res = _silent(randomization_ci, d, "ikm", max_exact=10, draws=99, seed=9)
    # the DiD: (70 - 60) - (62 - the mean of the 99 untrained units before the training)
    pre_control = np.mean([60.0 + k % 7 for k in range(1, 100)])
    assert res["estimate"] == pytest.approx(10.0 - (62.0 - pre_control), rel=RTOL)
    assert np.isnan(res["ci_low"]) and np.isnan(res["ci_high"])
    assert res["connected"] is False and res["n_assignments"] == 99 and not res["exact"]
    # Seed 6 draws u000 (the observed assignment) twice and u001 never: the one change
    # point is the estimate itself, the two draws are as extreme as the observed one
    # for every tau and the others undefined, so p(tau) = (1 + 2) / (1 + 99) = 0.03
    # everywhere: nothing is accepted at 95 %, the whole line at 99 %.
    A, _ = treatment_assignments(100, 1, max_exact=10, draws=99, seed=6)
    assert A[:, 0].sum() == 2 and not A[:, 1].any()
    kw = {"max_exact": 10, "draws": 99, "seed": 6}
    none = _silent(randomization_ci, d, "ikm", ci=0.95, **kw)
    assert np.isnan(none["ci_low"]) and np.isnan(none["ci_high"]) and none["connected"] is False
    line = _silent(randomization_ci, d, "ikm", ci=0.99, **kw)
    assert (line["ci_low"], line["ci_high"], line["connected"]) == (-np.inf, np.inf, True)
