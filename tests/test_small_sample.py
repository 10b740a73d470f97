"""Small-sample inference: CR2 with Satterthwaite df, and the randomisation confidence set.

Reference values come from tests/reference/smallsample.R (R 4.2.2, clubSandwich 0.5.8) on
the fixed-seed data of level3u.R (level3u_people.csv: 160 people in 12 cohorts of 8-20)
and level4.R (level4_panel.csv: 13 units x 6 periods, u01-u05 trained from period 3),
and from tests/reference/fewclusters.R on its own fixed-seed data shaped like the
overview's between-cohort comparisons (fewclusters_people.csv: 312 people in 15 cohorts,
5 delivery methods in 3 cohorts each, 2 facilitator types, 3 years); each literal names
the R call that produced it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import evalkit as ek
from evalkit.errors import ParameterError
from evalkit.metrics._grouped import cluster_mean_cr2, cluster_moments, cr2_ols, htz_wald
from evalkit.metrics.clustered import (
    cluster_robust_ols,
    clustered_comparison,
    clustered_means,
    clustered_trend,
)
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


@pytest.fixture(scope="module")
def few() -> pd.DataFrame:
    return pd.read_csv(REF / "fewclusters_people.csv")


def _ref(name: str = "smallsample") -> dict[str, float]:
    out = {}
    for line in (REF / f"{name}_output.txt").read_text().splitlines():
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
    few = _ref("fewclusters")
    assert (few["n_people"], few["n_cohorts"]) == (312, 15)
    assert few["delivery.4.se"] == 2.68360979304559
    assert few["delivery.htz.F"] == 9.53930524847262
    assert few["delivery.htz.df_denom"] == 2.40055590326374
    assert few["delivery.cr1.F"] == 32.432853279236
    assert few["trend_gain.2.df"] == 7.9758160031502


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
    with pytest.raises(ParameterError, match="clustered_comparison: parameter 'vcov'"):
        clustered_comparison(people, "gain", "sex", vcov="cr2")
    with pytest.raises(ParameterError, match="clustered_trend: parameter 'vcov'"):
        clustered_trend(people, "gain", "year", vcov=None)
    with pytest.raises(ParameterError, match="cluster_robust_ols: parameter 'vcov'"):
        cluster_robust_ols([1.0, 2, 3], np.ones((3, 1)), list("abb"), vcov="HC3")


# --- few clusters: the overview's between-cohort comparisons and trends -------------------
def test_comparison_cr2_of_a_cohort_level_factor_matches_clubsandwich(few):
    out = clustered_comparison(few, "gain", "delivery", reference="klasikal", vcov="CR2")
    contrasts = ["blended", "e-learning", "project-based", "workshop"]
    assert out.index.tolist() == [f"{c} - klasikal" for c in contrasts] + ["overall"]
    rows = out.iloc[:4]
    # coef_test(lm(gain ~ delivery), vcov = vcovCR(fit, cohort_id, type = "CR2"),
    #           test = "Satterthwaite")[2:5, ]; conf_int(..., test = "Satterthwaite")
    np.testing.assert_allclose(
        rows["mean_diff"], [3.83521126760564, -1.30472666507519, 6.87979681366891,
                            2.08523943661972], rtol=RTOL,
    )  # fmt: skip
    np.testing.assert_allclose(
        rows["se"],
        [2.751754006227, 2.77287318080582, 2.68360979304559, 2.97540236026131],
        rtol=RTOL,
    )
    np.testing.assert_allclose(
        rows["df2"],
        [3.66379224730466, 3.64492729535687, 3.40129821586493, 3.51846950276598],
        rtol=RTOL,
    )
    np.testing.assert_allclose(
        rows["p"], [0.241972863004309, 0.664734362927733, 0.0731901719320973,
                    0.526963012779912], rtol=RTOL,
    )  # fmt: skip
    np.testing.assert_allclose(
        rows["ci_low"], [-4.08948404066309, -9.30844717441708, -1.11796233460604,
                         -6.64136971068633], rtol=RTOL,
    )  # fmt: skip
    np.testing.assert_allclose(
        rows["ci_high"], [11.7599065758744, 6.6989938442667, 14.8775559619439,
                          10.8118485839258], rtol=RTOL,
    )  # fmt: skip
    # Wald_test(fit, constraints = constrain_zero(2:5), vcov = V, test = "HTZ")
    overall = out.loc["overall"]
    assert overall["t"] == pytest.approx(9.53930524847262, rel=RTOL)
    assert overall["df1"] == 4
    assert overall["df2"] == pytest.approx(2.40055590326374, rel=RTOL)
    assert overall["p"] == pytest.approx(0.0715430755700153, rel=RTOL)
    assert overall["n_clusters"] == 15


def test_few_clusters_cr1_is_far_too_liberal_where_cr2_is_not(few):
    """CR1 with G - 1 = 14 df treats 3 cohorts per method as if they were 15."""
    cr1 = clustered_comparison(few, "gain", "delivery", reference="klasikal")
    # vcovCL(fit, cluster = ~cohort_id); coeftest(fit, V1, df = G - 1)[2:5, ];
    # linearHypothesis(fit, names(coef(fit))[2:5], vcov. = V1)$F, p on (4, G - 1)
    np.testing.assert_allclose(
        cr1["se"].iloc[:4],
        [2.36337781130183, 2.37469690938566, 2.30147305727348, 2.56513934089953], rtol=RTOL,
    )  # fmt: skip
    np.testing.assert_allclose(
        cr1["p"].iloc[:4],
        [0.126934492093581, 0.591368146068329, 0.00975618956771853, 0.429874993690639],
        rtol=RTOL,
    )
    assert cr1.loc["overall", "t"] == pytest.approx(32.432853279236, rel=RTOL)
    assert cr1.loc["overall", "p"] == pytest.approx(6.08747283735593e-07, rel=1e-7)
    cr2 = clustered_comparison(few, "gain", "delivery", reference="klasikal", vcov="CR2")
    assert cr1.loc["overall", "p"] < 1e-6 and cr2.loc["overall", "p"] > 0.05
    assert (cr2["se"].iloc[:4] > cr1["se"].iloc[:4]).all()
    assert (cr2["df2"] < 14).all() and (cr1["df2"] == 14).all()


def test_comparison_cr2_one_contrast_htz_is_the_squared_t(few):
    out = clustered_comparison(few, "score", "facilitator_type", reference="academic",
                               vcov="CR2")  # fmt: skip
    row = out.loc["practitioner - academic"]
    # coef_test(lm(score ~ facilitator_type), vcovCR(fit, cohort_id, "CR2"), "Satterthwaite")[2, ]
    assert row["mean_diff"] == pytest.approx(3.02628205128204, rel=RTOL)
    assert row["se"] == pytest.approx(1.86513618411714, rel=RTOL)
    assert row["df2"] == pytest.approx(11.4125751099545, rel=RTOL)
    assert row["p"] == pytest.approx(0.13196280439831, rel=RTOL)
    assert row["ci_low"] == pytest.approx(-1.06082114851575, rel=RTOL)
    assert row["ci_high"] == pytest.approx(7.11338525107984, rel=RTOL)
    # Wald_test(fit, constrain_zero(2), vcov = V, test = "HTZ")
    overall = out.loc["overall"]
    assert overall["t"] == pytest.approx(2.63267778602272, rel=RTOL)
    assert overall["df2"] == pytest.approx(11.4125751099545, rel=RTOL)
    assert overall["p"] == pytest.approx(0.13196280439831, rel=RTOL)
    # Hedges' g: the CR2 interval of the difference over the pooled SD, times J
    assert row["hedges_g_ci_low"] / row["hedges_g"] == pytest.approx(
        row["ci_low"] / row["mean_diff"], rel=1e-12
    )


def test_comparison_cr2_htz_of_a_person_level_factor_matches_clubsandwich(people):
    out = clustered_comparison(people, "gain", "golongan", reference="II", vcov="CR2")
    # smallsample.R: coef_test(lm(gain ~ golongan), vcovCR(fit, cohort_id, "CR2"),
    # "Satterthwaite")[2:3, ] and Wald_test(fit, constrain_zero(2:3), V, test = "HTZ")
    np.testing.assert_allclose(out["se"].iloc[:2], [2.07368591938802, 1.48517885367727],
                               rtol=RTOL)  # fmt: skip
    np.testing.assert_allclose(out["df2"].iloc[:2], [8.30970386892649, 8.98443223533247],
                               rtol=RTOL)  # fmt: skip
    np.testing.assert_allclose(out["p"].iloc[:2], [0.864613213032847, 0.0488869437090898],
                               rtol=RTOL)  # fmt: skip
    overall = out.loc["overall"]
    assert overall["t"] == pytest.approx(4.50062321478186, rel=RTOL)
    assert overall["df2"] == pytest.approx(8.29797788561511, rel=RTOL)
    assert overall["p"] == pytest.approx(0.0474511782250625, rel=RTOL)


def test_trend_cr2_matches_clubsandwich(few, people):
    for dv, key in (("gain", "trend_gain"), ("score", "trend_score")):
        res = clustered_trend(few, dv, "year", vcov="CR2")
        # coef_test(lm(dv ~ I(year - 2024)), vcovCR(fit, cohort_id, "CR2"), "Satterthwaite")[2, ]
        ref = _ref("fewclusters")
        for col, r in (("slope", "beta"), ("se", "se"), ("df", "df"), ("p", "p")):
            assert res[col] == pytest.approx(ref[f"{key}.2.{r}"], rel=RTOL), (dv, col)
        assert res["ci_low"] == pytest.approx(ref[f"{key}.2.ci[1]"], rel=RTOL)
        assert res["ci_high"] == pytest.approx(ref[f"{key}.2.ci[2]"], rel=RTOL)
        assert res["p_naive"] == pytest.approx(ref[f"{key}.p_naive"], rel=1e-8)  # summary(lm)
        assert res["n_clusters"] == 15
    # literals of the gain's trend, as the file gives them
    gain = clustered_trend(few, "gain", "year", vcov="CR2")
    assert gain["se"] == pytest.approx(1.40272261049862, rel=RTOL)
    assert gain["df"] == pytest.approx(7.9758160031502, rel=RTOL)
    assert gain["p"] == pytest.approx(0.597559250539198, rel=RTOL)
    # smallsample.R on level3u_people (lm(gain ~ year), raw year: about 1e-9 there)
    other = clustered_trend(people, "gain", "year", vcov="CR2")
    assert other["se"] == pytest.approx(0.693385027985533, rel=2e-9)
    assert other["df"] == pytest.approx(6.42526691201229, rel=2e-9)
    assert other["p"] == pytest.approx(0.816445066317604, rel=2e-9)


def test_means_cr2_of_groups_in_three_cohorts_match_clubsandwich(few):
    res = clustered_means(few, "gain", by="delivery", vcov="CR2")
    # one coef_test(lm(gain ~ 1, d), vcovCR(f, d$cohort_id, "CR2"), "Satterthwaite") per method
    ref = _ref("fewclusters")
    for lev, row in res.iterrows():
        assert row["n_clusters"] == 3
        assert row["se"] == pytest.approx(ref[f"delivery_mean.{lev}.se"], rel=RTOL)
        assert row["df"] == pytest.approx(ref[f"delivery_mean.{lev}.df"], rel=RTOL)
        assert row["ci_low"] == pytest.approx(ref[f"delivery_mean.{lev}.ci[1]"], rel=RTOL)
        assert row["ci_high"] == pytest.approx(ref[f"delivery_mean.{lev}.ci[2]"], rel=RTOL)
    assert res.loc["project-based", "df"] == pytest.approx(1.5501976284585, rel=RTOL)


def test_htz_with_two_cohorts_per_group_matches_clubsandwich(few):
    sub = few[few["cohort_id"].isin([f"K{i:02d}" for i in range(1, 11)])]
    out = clustered_comparison(sub, "gain", "delivery", reference="klasikal", vcov="CR2")
    # fewclusters.R section 4: Wald_test(lm(gain ~ delivery, sub), constrain_zero(2:5),
    # vcovCR(fit, sub$cohort_id, "CR2"), test = "HTZ")
    overall = out.loc["overall"]
    assert overall["t"] == pytest.approx(0.506874676896132, rel=RTOL)
    assert overall["df2"] == pytest.approx(0.116241137112612, rel=RTOL)
    assert overall["p"] == pytest.approx(0.890573973467257, rel=RTOL)


def test_htz_one_contrast_is_the_squared_t_and_needs_positive_df(few):
    x = np.column_stack([np.ones(len(few)), few["year"] - 2024.0])
    y = few["gain"].to_numpy(float)
    fit = cluster_robust_ols(y, x, few["cohort_id"], vcov="CR2")
    f, q, df2, p = fit.wald_test([1])
    assert f == pytest.approx(fit.beta[1] ** 2 / fit.vcov[1, 1], rel=1e-12)
    assert df2 == pytest.approx(fit.coef_df[1], rel=1e-12) and q == 1
    assert fit.wald([1]) == (f, q, p)
    # 3 contrasts on 2 clusters (p vectors of 3 rows): nu - q + 1 < 0, so no F and no p.
    # nu by clubSandwich's loops (total_variance_mat), written out as a second computation
    pv = np.array([[[0.346, 0.822, 0.33], [-1.303, 0.905, 0.446]],
                   [[-0.537, 0.581, 0.365], [0.294, 0.028, 0.547]],
                   [[-0.736, -0.163, -0.482], [0.599, 0.04, -0.292]]])  # fmt: skip
    gram = np.einsum("ngc,nhd->cdgh", pv, pv)
    omega = np.array([[np.trace(gram[s, t]) for t in range(3)] for s in range(3)])
    w, v = np.linalg.eigh(omega)
    root = v @ np.diag(w**-0.5) @ v.T
    b = np.zeros_like(gram)
    for g in range(2):
        for h in range(2):
            b[:, :, g, h] = root @ gram[:, :, g, h] @ root
    total = sum((b[s, t] * b[t, s]).sum() + (b[s, s] * b[t, t]).sum()
                for s in range(3) for t in range(3))  # fmt: skip
    nu = 12 / total
    f, q, df2, p = htz_wald(np.array([1.0, 2.0, 3.0]), np.eye(3), gram)
    assert df2 == pytest.approx(nu - 2, rel=1e-12) and df2 < 0
    assert q == 3 and np.isnan(f) and np.isnan(p)
    # more contrasts than clusters - 1: no test (the covariance of the contrasts is singular)
    four = few[few["cohort_id"].isin(["K01", "K02", "K06", "K07"])]  # 2 cohorts per method
    out = clustered_comparison(four, "gain", "delivery", vcov="CR2")
    assert out.loc["overall", "df1"] == 1 and np.isfinite(out.loc["overall", "p"])
    many = few[few["cohort_id"].isin(["K01", "K02", "K06", "K03", "K08"])]
    many = many.assign(delivery=np.where(many["cohort_id"] == "K08", "x", many["delivery"]))
    with pytest.warns(UserWarning):  # "x" and the others lie in 1-2 cohorts
        out = clustered_comparison(many, "gain", "delivery", vcov="CR2")
    assert np.isnan(out.loc["overall", "p"])


@pytest.mark.parametrize("vcov", ["CR1", "CR2"])
def test_a_group_in_a_single_cohort_gets_no_interval(few, vcov):
    """Its cohort's residuals sum to 0 around its own mean: no variance is left for it."""
    one = few.assign(delivery=np.where(few["cohort_id"] == "K05", "alone", few["delivery"]))
    with pytest.warns(UserWarning, match=r"\['alone'\] of 'delivery' lie in a single 'cohort_id'"):
        out = clustered_comparison(one, "gain", "delivery", reference="klasikal", vcov=vcov)
    assert np.isnan(out.loc["alone - klasikal", ["se", "p", "ci_low", "ci_high"]]).all()
    assert np.isfinite(out.loc["alone - klasikal", "mean_diff"])
    assert np.isfinite(out.loc["blended - klasikal", "p"])
    assert np.isnan(out.loc["overall", "p"]) and np.isnan(out.loc["overall", "t"])


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


# --- the overview's sentences name the few-cluster inference -----------------------------
def test_conclusions_name_cr2_satterthwaite_and_htz(few):
    from evalkit.reporting.conclusions.compare import (
        clustered_conclusion,
        difference_conclusion,
        person_level,
        trend_conclusion,
    )

    cmp = clustered_comparison(few, "gain", "delivery", reference="klasikal", vcov="CR2")
    means = clustered_means(few, "gain", by="delivery", vcov="CR2")
    what = ("kenaikan nilai menurut metode", "score gains by delivery method")
    en = str(clustered_conclusion(cmp, means, what, "en", vcov="CR2"))
    # HTZ F = 9.54 on (4, 2.40) df, p = .0715 (fewclusters.R delivery.htz)
    assert en.startswith("Score gains by delivery method did not differ significantly: HTZ "
                         "Wald F(4, 2.4) = 9.54, p = .072.")  # fmt: skip
    assert en.endswith("with small-sample (CR2) cluster-robust SEs by cohort and "
                       "Satterthwaite df (15 cohorts).")  # fmt: skip
    idn = str(clustered_conclusion(cmp, means, what, "id", vcov="CR2"))
    assert "HTZ Wald F(4; 2,4) = 9,54; p = 0,072" in idn and "db Satterthwaite (15 angkatan)" in idn
    cr1 = str(
        clustered_conclusion(clustered_comparison(few, "gain", "delivery"), means, what, "en")
    )
    assert "differed: Wald F(4, 14) = 32.43, p < .001" in cr1  # linearHypothesis: the CR1 F
    row = clustered_comparison(few, "score", "facilitator_type", reference="academic",
                               vcov="CR2").loc["practitioner - academic"]  # fmt: skip
    text = str(difference_conclusion(row, ("practitioner", "academic"), ("scores", "scores"),
                                     "en", n_clusters=15, vcov="CR2"))  # fmt: skip
    assert "t(11.4) = 1.62, p = .132" in text and "Satterthwaite df (15 cohorts)" in text
    slope = clustered_trend(few, "gain", "year", vcov="CR2")
    by_year = clustered_means(few, "gain", by="year", vcov="CR2").rename(
        columns={"mean": "mean_diff"}
    )
    text = str(trend_conclusion(by_year, ("gains by year", "gains by year"), "en", slope=slope,
                                vcov="CR2"))  # fmt: skip
    # coef_test: slope -0.771, Satterthwaite df 7.98, p = .598; summary(lm): naive p = .167
    assert (
        "Linear trend −0.77 points per year (95% CI −4.01 to 2.47); t(8.0) = −0.55, p = .598"
        in text
    )
    assert "Treating participants as independent gives p = .167" in text
    assert person_level(15, "id", vcov="CR2") == (
        " Unit analisis: peserta, dengan SE robust-klaster sampel kecil (CR2) menurut angkatan "
        "dan db Satterthwaite (15 angkatan)."
    )


# --- CR2 of the Level 3 change and of the needs tables (cr2means.R) ----------------------
def test_cr2means_literals_are_the_reference_file():
    out = _ref("cr2means")
    assert out["change_n"] == 84
    assert out["change_se_cr2"] == 4.28564747147914
    assert out["change_df_cr2"] == 2.5603365203048
    assert out["needs_u1_se_cr2"] == 1.7266965618336
    assert out["needs_u2_df_cr2"] == 0.999999999999999


def test_behavior_change_cr2_matches_clubsandwich():
    followup = pd.read_csv(REF / "cr2means_followup.csv")
    res = ek.behavior_change(followup, baseline=3, later=6, scale_min=1, vcov="CR2")
    # both: alumni rated at 3 and 6 months, d = POMP index at 6 - at 3; fit <- lm(d ~ 1);
    # coef_test(fit, vcov = vcovCR(fit, cluster = both$cohort_id, type = "CR2"),
    #           test = "Satterthwaite"); conf_int(..., test = "Satterthwaite")
    assert (res["n"], res["n_clusters"]) == (84, 5)
    assert res["mean_baseline"] == pytest.approx(53.7202380952381, rel=RTOL)
    assert res["mean_later"] == pytest.approx(59.9702380952381, rel=RTOL)
    assert res["mean_change"] == pytest.approx(6.25, rel=RTOL)
    assert res["se"] == pytest.approx(4.28564747147914, rel=RTOL)
    assert res["df"] == pytest.approx(2.5603365203048, rel=RTOL)
    assert res["t"] == pytest.approx(1.45835606908724, rel=RTOL)
    assert res["p"] == pytest.approx(0.255499174544987, rel=1e-8)
    assert res["ci_low"] == pytest.approx(-8.81447598184698, rel=RTOL)
    assert res["ci_high"] == pytest.approx(21.314475981847, rel=RTOL)
    # CR1 on the same data: coeftest(fit, vcovCL(fit, cluster = ~cohort_id), df = G - 1)
    cr1 = ek.behavior_change(followup, baseline=3, later=6, scale_min=1)
    assert cr1["se"] == pytest.approx(3.93888718231144, rel=RTOL)
    assert cr1["p"] == pytest.approx(0.187759353456141, rel=1e-8)
    assert cr1["df"] == 4
    # the paired t (people as independent) does not depend on vcov
    assert res["p_paired"] == cr1["p_paired"]


def test_behavior_change_cr2_one_cohort_is_the_paired_t():
    followup = pd.read_csv(REF / "cr2means_followup.csv")
    one = followup[followup["cohort_id"] == "C5"]
    res = ek.behavior_change(one, scale_min=1, vcov="CR2")
    assert res["n_clusters"] == 1
    assert res["df"] == res["n"] - 1
    assert res["p"] == pytest.approx(res["p_paired"], rel=1e-12)


def test_group_means_cr2_matches_clubsandwich():
    from evalkit.metrics.needs import group_means

    groups = pd.read_csv(REF / "cr2means_groups.csv")
    res = group_means(groups, "y", by="unit", vcov="CR2")
    assert res["inference"].tolist() == ["cluster", "cluster", "t"]
    # per unit u1 (4 cohorts), u2 (2 cohorts): coef_test(lm(y ~ 1), vcov = vcovCR(fit,
    # cluster = cohort_id, type = "CR2"), test = "Satterthwaite"); conf_int(...)
    np.testing.assert_allclose(res["mean"][:2], [61.9585185185185, 56.4530769230769], rtol=RTOL)
    np.testing.assert_allclose(res["se"][:2], [1.7266965618336, 7.11961538461539], rtol=RTOL)
    np.testing.assert_allclose(res["df"][:2], [2.34167110164982, 0.999999999999999], rtol=RTOL)
    np.testing.assert_allclose(res["ci_low"][:2], [55.4770997312423, -34.0102137966648], rtol=RTOL)
    np.testing.assert_allclose(res["ci_high"][:2], [68.4399373057947, 146.916367642819], rtol=RTOL)
    # u3 lies in one cohort: t.test(y) whatever vcov says
    assert res.loc["u3", "ci_low"] == pytest.approx(50.4980079638492, rel=RTOL)
    assert res.loc["u3", "ci_high"] == pytest.approx(70.9669920361508, rel=RTOL)
    # CR1 beside it: coeftest(fit, vcovCL(fit, cluster = ~cohort_id), df = G - 1)
    cr1 = group_means(groups, "y", by="unit")
    np.testing.assert_allclose(cr1["se"][:2], [1.78236290769174, 6.5719526627219], rtol=RTOL)
    assert cr1["df"][:2].tolist() == [3, 1]


def test_needs_tables_pass_vcov_to_group_means():
    groups = pd.read_csv(REF / "cr2means_groups.csv")
    rows = groups.assign(participant_id=[f"p{i}" for i in range(len(groups))])
    participants = rows[["cohort_id", "participant_id", "unit"]].assign(position_type="x")
    reaction = rows.assign(dimension="relevance", scale_max=101, score=rows["y"] + 1)
    res = ek.relevance_needs(reaction, participants, vcov="CR2", characteristics=["unit"])
    # score + 1 on 1-101: POMP (score - 1) / 100 x 100 is y itself
    assert res.loc[("unit", "u1"), "se"] == pytest.approx(1.7266965618336, rel=RTOL)
    assert res.loc[("unit", "u1"), "df"] == pytest.approx(2.34167110164982, rel=RTOL)
    fu = rows.assign(rater="supervisor", months_after=3, item="b1", scale_max=101,
                     score=rows["y"] + 1)  # fmt: skip
    res = ek.behavior_needs(fu, participants, vcov="CR2", characteristics=["unit"])
    assert res.loc[("unit", "u2", "b1"), "se"] == pytest.approx(7.11961538461539, rel=RTOL)


def test_cr2_vcov_errors_of_waves_and_needs():
    followup = pd.read_csv(REF / "cr2means_followup.csv")
    with pytest.raises(ParameterError, match="behavior_change: parameter 'vcov'"):
        ek.behavior_change(followup, vcov="HC3")
    from evalkit.metrics.needs import group_means

    with pytest.raises(ParameterError, match="group_means: parameter 'vcov'"):
        group_means(pd.read_csv(REF / "cr2means_groups.csv"), "y", vcov="cr2")


def test_cr2_df_of_a_mean_in_two_clusters_is_one_not_just_below():
    from evalkit.metrics.needs import group_means

    # Two clusters: their residual sums are u and -u, so the CR2 variance of the mean is one
    # scaled chi-square and its Satterthwaite df exactly 1 (clubSandwich prints
    # 0.999999999999999 for cr2means.R's needs_u2). Rounding put it just below 1 in about a
    # third of these draws, and group_means, which blanks df < 1, then lost the interval.
    rng = np.random.default_rng(20261202)
    rows = []
    for k in range(60):
        n1, n2 = rng.integers(2, 40, 2)
        rows.append(pd.DataFrame({"g": k, "cohort_id": ["a"] * n1 + ["b"] * n2,
                                  "y": rng.normal(50, 10, n1 + n2)}))  # fmt: skip
    data = pd.concat(rows, ignore_index=True)
    codes = data["g"].to_numpy()
    _, df = cluster_mean_cr2(codes, data["cohort_id"].to_numpy(), data["y"].to_numpy(), 60)
    assert (df >= 1).all()
    np.testing.assert_allclose(df, 1.0, rtol=1e-12)
    res = group_means(data, "y", by="g", vcov="CR2")
    assert res["ci_low"].notna().all() and res["ci_high"].notna().all()
