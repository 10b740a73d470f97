"""Small-sample inference: CR2 with Satterthwaite df, and the randomisation confidence set.

Reference values come from tests/reference/smallsample.R (R 4.2.2, clubSandwich 0.5.8) on
the fixed-seed data of level3u.R (level3u_people.csv: 160 people in 12 cohorts of 8-20)
and level4.R (level4_panel.csv: 13 units x 6 periods, u01-u05 trained from period 3);
each literal names the R call that produced it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import evalkit as ek
from evalkit.errors import ParameterError
from evalkit.metrics._grouped import cluster_mean_cr2, cluster_moments, cr2_ols
from evalkit.metrics.clustered import clustered_means
from evalkit.metrics.impact import did
from evalkit.metrics.inference import randomization_ci, randomization_inference

REF = Path(__file__).parent / "reference"
RTOL = 1e-9


@pytest.fixture(scope="module")
def people() -> pd.DataFrame:
    d = pd.read_csv(REF / "level3u_people.csv")
    return d.assign(gain=d["post"] - d["pre"])


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    return pd.read_csv(REF / "level4_panel.csv")


def _ref() -> dict[str, float]:
    out = {}
    for line in (REF / "smallsample_output.txt").read_text().splitlines():
        key, _, value = line.partition(" = ")
        out[key.strip()] = float(value)
    return out


def test_quoted_literals_are_the_reference_file():
    out = _ref()
    assert out["mean.1.se"] == 0.653346906123112
    assert out["golongan.3.df"] == 8.98443223533247
    assert out["did.4.se"] == 0.841511791951099
    assert out["ri.ci[1]"] == -1.29213333881875
    assert out["ri.ci[2]"] == 2.32065935137889


# --- CR2 of a mean -----------------------------------------------------------------------
def test_clustered_mean_cr2_matches_clubsandwich(people):
    res = clustered_means(people, "gain", vcov="CR2")
    # coef_test(lm(gain ~ 1), vcov = vcovCR(fit, cluster = cohort_id, type = "CR2"),
    #           test = "Satterthwaite"); conf_int(..., test = "Satterthwaite")
    assert res["mean"] == pytest.approx(9.4375, rel=RTOL)
    assert res["se"] == pytest.approx(0.653346906123112, rel=RTOL)
    assert res["df"] == pytest.approx(9.92061713251291, rel=RTOL)
    assert res["p"] == pytest.approx(5.48426242084852e-08, rel=1e-7)
    assert res["ci_low"] == pytest.approx(7.98017187695972, rel=RTOL)
    assert res["ci_high"] == pytest.approx(10.8948281230403, rel=RTOL)
    # 12 unequal cohorts: fewer df than G - 1 = 11, a wider interval than CR1's
    cr1 = clustered_means(people, "gain")
    assert res["df"] < cr1["df"] == 11
    assert res["ci_high"] - res["ci_low"] > cr1["ci_high"] - cr1["ci_low"]


def test_clustered_mean_cr2_by_group_matches_one_fit_per_group(people):
    res = clustered_means(people, "gain", by="sex", vcov="CR2")
    # the same calls on people[people$sex == "L"] and == "P"
    np.testing.assert_allclose(res["se"], [0.806848772215535, 0.958997716900162], rtol=RTOL)
    np.testing.assert_allclose(res["df"], [9.10282605637325, 9.36623600475494], rtol=RTOL)
    np.testing.assert_allclose(res["ci_low"], [7.42449466531116, 7.44115971775274], rtol=RTOL)
    np.testing.assert_allclose(res["p"], [1.03241759302581e-06, 2.62490123738147e-06], rtol=1e-7)


def test_closed_form_equals_the_general_cr2(people):
    """Second computation: the closed form of a mean against the matrix CR2 of y ~ 1."""
    rng = np.random.default_rng(4)
    codes = rng.integers(0, 3, len(people))  # 3 groups, each over the 12 cohorts
    clusters = people["cohort_id"].to_numpy()
    y = people["gain"].to_numpy(float)
    var, df = cluster_mean_cr2(codes, clusters, y, 3)
    for g in range(3):
        yg = y[codes == g]
        x = np.ones((len(yg), 1))
        cl, _ = pd.factorize(clusters[codes == g])
        v, d = cr2_ols(x, np.linalg.inv(x.T @ x), yg - yg.mean(), cl, cl.max() + 1)
        assert var[g] == pytest.approx(v[0, 0], rel=1e-12)
        assert df[g] == pytest.approx(d[0], rel=1e-12)


def test_equal_clusters_cr2_is_cr1_without_its_factor_and_df_is_g_minus_1():
    """Equal cluster sizes: 1 - n_g/n = (G-1)/G, so CR2 = CR1 (whose factor is G/(G-1))."""
    codes = np.zeros(12, dtype=np.intp)
    clusters = np.repeat(list("abcd"), 3)
    y = np.array([3.0, 5, 4, 8, 7, 9, 1, 2, 2, 6, 5, 7])
    var, df = cluster_mean_cr2(codes, clusters, y, 1)
    _, _, _, _, var1 = cluster_moments(codes, clusters, y, 1)
    assert var[0] == pytest.approx(var1[0], rel=1e-12)
    assert df[0] == pytest.approx(3.0, rel=1e-12)


def test_single_cluster_group_gets_nan(people):
    one = people.assign(where=np.where(people["cohort_id"] == "C01", "x", "y"))
    var, df = cluster_mean_cr2(
        pd.factorize(one["where"], sort=True)[0], one["cohort_id"].to_numpy(),
        one["gain"].to_numpy(float), 2,
    )  # fmt: skip
    assert np.isnan(var[0]) and np.isnan(df[0]) and np.isfinite(var[1])


# --- CR2 of regression coefficients ------------------------------------------------------
def test_cr2_ols_matches_clubsandwich_on_a_factor(people):
    levels = pd.Categorical(people["golongan"], categories=["II", "III", "IV"])
    dummies = pd.get_dummies(levels).to_numpy(float)
    x = np.column_stack([np.ones(len(people)), dummies[:, 1:]])
    y = people["gain"].to_numpy(float)
    m = np.linalg.inv(x.T @ x)
    codes = pd.factorize(people["cohort_id"])[0]
    v, df = cr2_ols(x, m, y - x @ (m @ x.T @ y), codes, 12)
    # coef_test(lm(gain ~ golongan), vcovCR(fit, cohort_id, "CR2"), "Satterthwaite")
    np.testing.assert_allclose(
        np.sqrt(np.diag(v)), [1.63573895803479, 2.07368591938802, 1.48517885367727], rtol=RTOL
    )
    np.testing.assert_allclose(df, [7.4622110532214, 8.30970386892649, 8.98443223533247], rtol=RTOL)


def test_cr2_ols_matches_clubsandwich_on_a_trend(people):
    x = np.column_stack([np.ones(len(people)), people["year"].to_numpy(float)])
    y = people["gain"].to_numpy(float)
    m = np.linalg.inv(x.T @ x)
    codes = pd.factorize(people["cohort_id"])[0]
    v, df = cr2_ols(x, m, y - x @ (m @ x.T @ y), codes, 12)
    # coef_test(lm(gain ~ year), vcovCR(fit, cohort_id, "CR2"), "Satterthwaite"): the
    # year column (about 2024) makes X'X ill-conditioned: agreement about 1e-9
    assert np.sqrt(v[1, 1]) == pytest.approx(0.693385027985533, rel=2e-9)
    assert df[1] == pytest.approx(6.42526691201229, rel=2e-9)


def test_did_cr2_matches_clubsandwich(panel):
    res = did(panel, "score", vcov="CR2")
    # coef_test(lm(score ~ treated * post), vcovCR(fit, unit, "CR2"), "Satterthwaite")[4, ]
    assert res["estimate"] == pytest.approx(0.49062583333333, rel=RTOL)
    assert res["se"] == pytest.approx(0.841511791951099, rel=RTOL)
    assert res["df"] == pytest.approx(8.6350364963504, rel=RTOL)
    assert res["p"] == pytest.approx(0.574781329101835, rel=RTOL)
    assert res["ci_low"] == pytest.approx(-1.42534160784633, rel=RTOL)
    assert res["ci_high"] == pytest.approx(2.40659327451299, rel=RTOL)
    cr1 = did(panel, "score")
    assert cr1["df"] == 12 and res["df"] < 12 and res["se"] > cr1["se"]
    assert res["n_clusters"] == 13


def test_vcov_errors(panel, people):
    with pytest.raises(ParameterError, match="did: parameter 'vcov' must be 'CR1' or 'CR2'"):
        did(panel, "score", vcov="CR3")
    with pytest.raises(ParameterError, match="clustered_means: parameter 'vcov'"):
        clustered_means(people, "gain", vcov="HC1")


# --- confidence set from inverting the randomisation test --------------------------------
def test_randomization_ci_matches_brute_force_r(panel):
    res = randomization_ci(panel, "score")
    assert res["estimate"] == pytest.approx(0.49062583333333, rel=RTOL)
    assert (res["n_assignments"], res["exact"], res["connected"]) == (1287, True, True)
    # smallsample.R: grid of tau0 (step .01), 1,287 lm.fit refits each, bisection on each
    # bound (ri.ci). R's bisection stops where the 1e-9 tie tolerance flips, a few 1e-9 off
    # the exact change point.
    assert res["ci_low"] == pytest.approx(-1.29213333881875, abs=1e-8)
    assert res["ci_high"] == pytest.approx(2.32065935137889, abs=1e-8)
    ninety = randomization_ci(panel, "score", ci=0.9)  # ri.ci90: p(tau0) > 0.10
    assert ninety["ci_low"] == pytest.approx(-0.998832521778347, abs=1e-8)
    assert ninety["ci_high"] == pytest.approx(1.97933333486021, abs=1e-8)


def test_randomization_ci_bounds_are_where_the_test_flips(panel):
    """Second computation: randomization_inference on y - tau0 D just inside and outside."""
    res = randomization_ci(panel, "score")
    dose = (panel["treated"] & panel["post"]).astype(float)

    def p(tau):
        return randomization_inference(panel.assign(y0=panel["score"] - tau * dose), "y0")["p"]

    for bound, inward in ((res["ci_low"], 1), (res["ci_high"], -1)):
        assert p(bound + inward * 1e-6) > 0.05  # ri.p_inside = 65/1287
        assert p(bound - inward * 1e-6) <= 0.05  # ri.p_outside = 64/1287
    assert p(0.0) == pytest.approx(0.566433566433566, rel=RTOL)  # ri.p_at_0


def test_randomization_ci_sampled_assignments(panel):
    res = randomization_ci(panel, "score", max_exact=100, draws=499, seed=3)
    assert not res["exact"] and res["n_assignments"] == 499
    dose = (panel["treated"] & panel["post"]).astype(float)
    for bound, inward in ((res["ci_low"], 1), (res["ci_high"], -1)):
        for tau, accepted in ((bound + inward * 1e-6, True), (bound - inward * 1e-6, False)):
            y0 = panel.assign(y0=panel["score"] - tau * dose)
            p = randomization_inference(y0, "y0", max_exact=100, draws=499, seed=3)["p"]
            assert (p > 0.05) == accepted
    again = randomization_ci(panel, "score", max_exact=100, draws=499, seed=3)
    pd.testing.assert_series_equal(res, again)


def test_randomization_ci_errors_and_public_name(panel):
    with pytest.raises(ParameterError, match="randomization_ci: parameter 'ci'"):
        randomization_ci(panel, "score", ci=95)
    with pytest.raises(ParameterError, match="randomization_ci"):
        randomization_ci(panel, "nope")
    assert ek.randomization_ci is randomization_ci
