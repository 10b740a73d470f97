"""Group comparisons (evalkit.metrics.compare) against R reference values and pingouin, and every
error path.

Reference numbers come from tests/reference/level12.R (output in level12_output.txt);
each literal names the R call that produced it. Tolerance: rel 1e-9 unless stated.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evalkit.errors import EvalkitWarning, ParameterError
from evalkit.metrics.clustered import (
    cluster_robust_ols,
    clustered_comparison,
    clustered_means,
    clustered_trend,
)
from evalkit.metrics.compare import compare_groups, group_difference, posthoc

REF = Path(__file__).parent / "reference"
RTOL = 1e-9

SLEEP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]


@pytest.fixture(scope="module")
def plants() -> pd.DataFrame:
    return pd.read_csv(REF / "level12_plantgrowth.csv")


@pytest.fixture(scope="module")
def insects() -> pd.DataFrame:
    return pd.read_csv(REF / "level12_insectsprays.csv")


# --- two groups -------------------------------------------------------------------------


def test_group_difference_sleep_matches_t_test():
    res = group_difference(SLEEP_1, SLEEP_2)
    # t.test(extra ~ group, data = sleep); d with the pooled SD; g = hedges_j(18) * d
    ref = dict(t=-1.86081346748685, df=17.7764735161785, p=0.0793941401873582,
               ci_low=-3.36548323071171, ci_high=0.20548323071171,
               cohen_d=-0.83218108134954, hedges_g=-0.796935239191122)  # fmt: skip
    for col, value in ref.items():
        assert res[col] == pytest.approx(value, rel=RTOL), col
    assert res["mean_diff"] == pytest.approx(-1.58, rel=RTOL)
    assert (res["n_x"], res["n_y"]) == (10, 10)


def test_group_difference_insect_sprays_matches_t_test(insects):
    x = insects.loc[insects["spray"] == "C", "count"]
    y = insects.loc[insects["spray"] == "D", "count"]
    res = group_difference(x, y)
    # t.test(count[spray == "C"], count[spray == "D"]) on InsectSprays
    ref = dict(t=-3.07821536544563, df=20.871854303938, p=0.00572973457724999,
               ci_low=-4.74822299148703, ci_high=-0.918443675179634,
               cohen_d=-1.25667616062277, hedges_g=-1.21325882715974)  # fmt: skip
    for col, value in ref.items():
        assert res[col] == pytest.approx(value, rel=RTOL), col


def test_group_difference_agrees_with_pingouin():
    pg = pytest.importorskip("pingouin")
    res = group_difference(SLEEP_1, SLEEP_2)
    ref = pg.ttest(SLEEP_1, SLEEP_2, correction=True)
    # pingouin 0.7 columns: T, dof, p_val, cohen_d (CI95 is rounded: not compared)
    assert res["t"] == pytest.approx(ref["T"].iloc[0], rel=1e-12)
    assert res["df"] == pytest.approx(ref["dof"].iloc[0], rel=1e-12)
    assert res["p"] == pytest.approx(ref["p_val"].iloc[0], rel=1e-10)
    assert abs(res["cohen_d"]) == pytest.approx(ref["cohen_d"].iloc[0], rel=1e-12)


def test_group_difference_ignores_missing_and_keeps_input():
    x = pd.Series(SLEEP_1 + [np.nan])
    before = x.copy()
    res = group_difference(x, SLEEP_2)
    assert res["n_x"] == 10
    pd.testing.assert_series_equal(x, before)


def test_group_difference_constant_samples_warn():
    with pytest.warns(EvalkitWarning, match="both samples are constant"):
        res = group_difference([1, 1, 1], [2, 2])
    assert np.isnan(res["t"]) and res["mean_diff"] == -1


def test_group_difference_errors():
    with pytest.raises(
        ParameterError,
        match="group_difference: parameter 'y' needs at least 2 non-missing values, got 1",
    ):
        group_difference([1, 2, 3], [4, np.nan])
    with pytest.raises(
        ParameterError,
        match="group_difference: column 'x' must hold numbers, got non-numeric value 'baik'",
    ):
        group_difference(["baik", 2], [1, 2])
    with pytest.raises(
        ParameterError, match="group_difference: parameter 'ci' must be a number in"
    ):
        group_difference([1, 2], [1, 2], ci=-0.1)
    with pytest.raises(ParameterError, match="group_difference: parameter 'x' must be one column"):
        group_difference(pd.DataFrame({"a": [1, 2]}), [1, 2])


# --- several groups ---------------------------------------------------------------------


def test_compare_groups_plant_growth_matches_r(plants):
    res = compare_groups(plants, "weight", "group")
    assert list(res.index) == ["anova", "welch", "kruskal"]
    # summary(aov(weight ~ group, PlantGrowth)); oneway.test(...); kruskal.test(...)
    np.testing.assert_allclose(
        res["stat"], [4.84608786238014, 5.18097240811319, 7.98822874944372], rtol=RTOL
    )
    np.testing.assert_allclose(
        res["p"], [0.0159099583256229, 0.01739282149017, 0.018423755731472], rtol=RTOL
    )
    np.testing.assert_allclose(res["df1"], [2, 2, 2])
    np.testing.assert_allclose(res["df2"][:2], [27.0, 17.1284186166441], rtol=RTOL)
    assert np.isnan(res.loc["kruskal", "df2"])
    assert res.loc["anova", "eta_sq"] == pytest.approx(0.26414829683212, rel=RTOL)
    assert res[["eta_sq"]].iloc[1:].isna().all().all()


def test_compare_groups_insect_sprays_matches_r(insects):
    res = compare_groups(insects, "count", "spray")
    # summary(aov(count ~ spray, InsectSprays)); oneway.test(...); kruskal.test(...) (ties)
    np.testing.assert_allclose(
        res["stat"], [34.7022820554917, 36.0654438935773, 54.6913446223714], rtol=RTOL
    )
    np.testing.assert_allclose(
        res["p"], [3.18258372614518e-17, 7.99937945567335e-12, 1.51084443941851e-10], rtol=1e-7
    )
    np.testing.assert_allclose(res["df2"][:2], [66.0, 30.0425605087674], rtol=RTOL)
    assert res.loc["anova", "eta_sq"] == pytest.approx(0.724439015562794, rel=RTOL)


def test_compare_groups_agrees_with_pingouin(insects):
    pg = pytest.importorskip("pingouin")
    res = compare_groups(insects, "count", "spray")
    welch = pg.welch_anova(data=insects, dv="count", between="spray")
    kw = pg.kruskal(data=insects, dv="count", between="spray")
    assert res.loc["welch", "stat"] == pytest.approx(welch["F"].iloc[0], rel=1e-10)
    assert res.loc["kruskal", "stat"] == pytest.approx(kw["H"].iloc[0], rel=1e-10)


def test_compare_groups_constant_group_warns():
    df = pd.DataFrame({"y": [1.0, 1, 1, 2, 3, 4], "g": list("aaabbb")})
    with pytest.warns(EvalkitWarning, match="Welch's F is NaN"):
        res = compare_groups(df, "y", "g")
    assert np.isnan(res.loc["welch", "stat"]) and np.isfinite(res.loc["anova", "stat"])
    with pytest.warns(EvalkitWarning, match="column 'y' is constant"):
        res = compare_groups(df.assign(y=5.0), "y", "g")
    assert res["stat"].isna().all()


def test_compare_groups_errors(plants):
    with pytest.raises(
        ParameterError, match="compare_groups: parameter 'data' must be a DataFrame"
    ):
        compare_groups(plants.to_numpy(), "weight", "group")
    with pytest.raises(
        ParameterError, match="compare_groups: parameter 'dv' names column 'berat', which is not"
    ):
        compare_groups(plants, "berat", "group")
    with pytest.raises(
        ParameterError,
        match=r"column 'group' must hold at least 2 groups with data, got 1 \(\['ctrl'\]\)",
    ):
        compare_groups(plants[plants["group"] == "ctrl"], "weight", "group")
    with pytest.raises(
        ParameterError,
        match=r"every group of 'group' needs at least 2 values of 'weight'; too few in \['trt2'\]",
    ):
        compare_groups(plants.iloc[:21], "weight", "group")
    with pytest.raises(ParameterError, match="column 'weight' must hold numbers"):
        compare_groups(plants.assign(weight="berat"), "weight", "group")


# --- post-hoc ---------------------------------------------------------------------------


def test_tukey_matches_tukeyhsd(plants):
    res = posthoc(plants, "weight", "group", method="tukey")
    assert list(zip(res["group_a"], res["group_b"], strict=True)) == [
        ("ctrl", "trt1"),
        ("ctrl", "trt2"),
        ("trt1", "trt2"),
    ]
    # TukeyHSD(aov(weight ~ group, PlantGrowth)): diff is b - a, ours a - b
    np.testing.assert_allclose(-res["mean_diff"], [-0.371, 0.494, 0.865], rtol=RTOL)
    np.testing.assert_allclose(
        res["p"], [0.390871144202125, 0.197995991299708, 0.0120064239794527], rtol=1e-8
    )
    # diff -/+ uniroot(ptukey(q, 3, 27) = .95) * sqrt(MSE / 2 * (1/na + 1/nb))
    np.testing.assert_allclose(
        -res["ci_high"], [-1.0622160514036, -0.197216051403596, 0.173783948596404], rtol=1e-9
    )
    np.testing.assert_allclose(
        -res["ci_low"], [0.320216051403596, 1.1852160514036, 1.5562160514036], rtol=1e-9
    )


def test_tukey_insect_sprays_p_values(insects):
    res = posthoc(insects, "count", "spray", method="tukey")
    # TukeyHSD(aov(count ~ spray, InsectSprays))$spray[, "p adj"]
    ref = np.array([0.99518103136661, 1.07505504498562e-09, 1.44201263041488e-06,
                    4.08624386549761e-08, 0.754214727631673, 1.18458243214548e-10,
                    1.79391136612139e-07, 4.84229034647399e-09, 0.960307500033914,
                    0.492070744579934, 0.948866909545403, 0.0, 0.948866909545405,
                    5.99853067217992e-09, 1.48821288625811e-10])  # fmt: skip
    big = ref > 1e-3
    np.testing.assert_allclose(res["p"][big], ref[big], rtol=1e-8)
    # R's ptukey computes the upper tail as 1 - cdf, so p-values below 1e-3 carry an
    # absolute error near 1e-11 there; compare those absolutely.
    np.testing.assert_allclose(res["p"][~big], ref[~big], atol=1e-9)


# Games-Howell by its formula in R (level12.R): t, Welch df,
# ptukey(|t| * sqrt(2), k, df, lower.tail = FALSE), and the interval from
# uniroot(ptukey(q, k, df) = .95).
PLANT_GH = {
    ("ctrl", "trt1"): [1.1912603818487, 16.5235850568593, 0.47455492219398, -0.430087514523307, 1.17208751452331],
    ("ctrl", "trt2"): [-2.13402045312406, 16.7857644826057, 0.112889176854217, -1.08855444384817, 0.100554443848172],
    ("trt1", "trt2"): [-3.01009854212436, 14.1035691227603, 0.0237034547392031, -1.61648701129934, -0.113512988700657],
}  # fmt: skip
INSECT_GH = {
    ("A", "B"): [-0.453524385218737, 21.7844308126595, 0.997248234145056, -6.56236455187656, 4.8956978852099],
    ("A", "C"): [8.40733949909046, 14.7390115980503, 6.5921963122717e-06, 7.60702481006896, 17.2263085232644],
    ("A", "D"): [6.21435948995984, 16.7346763542627, 0.000125590069222081, 4.64138030121983, 14.5252863654468],
    ("A", "E"): [7.57979138301787, 13.910462414504, 3.20873977615044e-05, 6.23569242537339, 15.7643075746266],
    ("A", "F"): [-0.961943859096652, 20.5227524972253, 0.924747595815243, -9.22867311926843, 4.89533978593509],
    ("B", "C"): [9.75391707941291, 15.4993468497477, 6.65286811196708e-07, 8.85533217295872, 17.6446678270413],
    ("B", "D"): [7.28902119523219, 17.7584844053731, 1.26300366697363e-05, 5.86815949984304, 14.9651738334903],
    ("B", "E"): [8.89397045271091, 14.5226716460015, 3.6754290215768e-06, 7.49171052723168, 16.174956139435],
    ("B", "F"): [-0.612590013402321, 19.4981243830207, 0.98878681325582, -8.19223994638872, 5.52557327972205],
    ("C", "D"): [-3.07821536544563, 20.871854303938, 0.0556677695100892, -5.7146069287866, 0.0479402621199285],
    ("C", "E"): [-1.86803958711053, 21.630910267012, 0.4466120878007, -3.78271840481938, 0.949385071486045],
    ("C", "F"): [-7.74843968747562, 13.2008351540633, 3.4209378176886e-05, -20.8100182814037, -8.35664838526301],
    ("D", "E"): [1.61224870004894, 19.5695710352128, 0.600595253486188, -1.35129923228804, 4.18463256562137],
    ("D", "F"): [-6.07637528907841, 14.4786372865191, 0.000291414610901208, -18.0627002064642, -5.43729979353585],
    ("E", "F"): [-7.07111931253599, 12.6993147677382, 0.000110432750491718, -19.3639120991117, -6.96942123422162],
}  # fmt: skip


@pytest.mark.parametrize(
    ("name", "dv", "group", "ref"),
    [("plants", "weight", "group", PLANT_GH), ("insects", "count", "spray", INSECT_GH)],
)
def test_games_howell_matches_r(request, name, dv, group, ref):
    res = posthoc(request.getfixturevalue(name), dv, group).set_index(["group_a", "group_b"])
    for pair, (t, df, p, lo, hi) in ref.items():
        row = res.loc[pair]
        assert row["t"] == pytest.approx(t, rel=RTOL)
        assert row["df"] == pytest.approx(df, rel=RTOL)
        assert row["p"] == pytest.approx(p, rel=1e-6 if p > 1e-3 else 1e-3)
        assert row["ci_low"] == pytest.approx(lo, rel=1e-8)
        assert row["ci_high"] == pytest.approx(hi, rel=1e-8)


def test_games_howell_agrees_with_pingouin(insects):
    pg = pytest.importorskip("pingouin")
    ours = posthoc(insects, "count", "spray")
    ref = pg.pairwise_gameshowell(data=insects, dv="count", between="spray")
    np.testing.assert_allclose(ours["t"], ref["T"], rtol=1e-12)
    np.testing.assert_allclose(ours["df"], ref["df"], rtol=1e-12)
    np.testing.assert_allclose(ours["p"], ref["pval"], rtol=1e-6, atol=1e-12)


def test_posthoc_errors(plants):
    with pytest.raises(
        ParameterError,
        match=r"posthoc: parameter 'method' must be one of \('games-howell', 'tukey'\), got 'bonferroni'",
    ):
        posthoc(plants, "weight", "group", method="bonferroni")
    with pytest.raises(
        ParameterError, match="posthoc: parameter 'group' names column 'metode', which is not"
    ):
        posthoc(plants, "weight", "metode")
    with pytest.raises(ParameterError, match="posthoc: parameter 'ci' must be a number"):
        posthoc(plants, "weight", "group", ci=True)


def test_posthoc_constant_pair_warns():
    df = pd.DataFrame({"y": [1.0, 1, 1, 2, 2, 2, 3, 4, 5], "g": list("aaabbbccc")})
    with pytest.warns(EvalkitWarning, match="no variation"):
        res = posthoc(df, "y", "g")
    assert np.isnan(res.loc[0, "t"]) and np.isfinite(res.loc[2, "t"])


def test_group_difference_two_values_each_by_hand():
    # x = 1, 3 and y = 4, 6: means 2 and 5, variances 2 and 2; se = sqrt(2/2 + 2/2) = sqrt 2,
    # t = -3 / sqrt 2 on Welch df (1 + 1)^2 / (1 + 1) = 2. With 2 df the t tail is closed:
    # p = 1 - |t| / sqrt(2 + t^2) = 1 - 3 / sqrt 13. Pooled SD sqrt 2: d = -3 / sqrt 2;
    # Hedges' J(2) = G(1) / (sqrt(1) G(1/2)) = 1 / sqrt(pi).
    res = group_difference([1.0, 3.0], [4.0, 6.0])
    assert (res["n_x"], res["n_y"], res["mean_diff"]) == (2, 2, -3.0)
    assert res["se"] == pytest.approx(np.sqrt(2), rel=1e-14)
    assert res["t"] == pytest.approx(-3 / np.sqrt(2), rel=1e-14)
    assert res["df"] == pytest.approx(2.0, rel=1e-14)
    assert res["p"] == pytest.approx(1 - 3 / np.sqrt(13), rel=1e-12)
    assert res["cohen_d"] == pytest.approx(-3 / np.sqrt(2), rel=1e-14)
    assert res["hedges_g"] == pytest.approx(-3 / np.sqrt(2) / np.sqrt(np.pi), rel=1e-12)
    with pytest.raises(ParameterError, match="parameter 'y' needs at least 2 non-missing values"):
        group_difference([1.0, 3.0], [4.0, np.nan])


# --- cluster-robust person-level comparisons (tests/reference/level3u.R) ---------------
U_RTOL = 1e-10


@pytest.fixture(scope="module")
def people3u() -> pd.DataFrame:
    data = pd.read_csv(REF / "level3u_people.csv")
    return data.assign(gain=data["post"] - data["pre"])


def test_cluster_robust_ols_matches_vcovcl(people3u):
    # fit <- lm(gain ~ golongan, people); V <- vcovCL(fit, cluster = ~cohort_id)
    # coeftest(fit, V, df = G - 1)[2:3, 1:2]
    x = people3u["golongan"].to_numpy()
    design = np.column_stack([np.ones(len(x)), x == "III", x == "IV"]).astype(float)
    fit = cluster_robust_ols(people3u["gain"], design, people3u["cohort_id"])
    np.testing.assert_allclose(fit.beta[1:], [0.364681295715779, 3.3810606060606], rtol=U_RTOL)
    np.testing.assert_allclose(
        np.sqrt(np.diag(fit.vcov))[1:], [2.04244174150645, 1.45808776894838], rtol=U_RTOL
    )
    assert (fit.n, fit.n_clusters, fit.df, fit.resid_df) == (160, 12, 11, 157)
    f, q, p = fit.wald([1, 2])
    # car::linearHypothesis(fit, c("golonganIII = 0", "golonganIV = 0"), vcov. = V,
    # test = "F")$F[2]; pf(F, 2, G - 1, lower.tail = FALSE)
    np.testing.assert_allclose([f, p], [5.15264423697603, 0.0263620369398856], rtol=U_RTOL)
    assert q == 2


def test_clustered_comparison_matches_r(people3u):
    out = clustered_comparison(people3u, "gain", "golongan", reference="II")
    assert list(out.index) == ["III - II", "IV - II", "overall"]
    contrasts = out.iloc[:2]
    # coeftest(lm(gain ~ golongan), vcovCL(fit, cluster = ~cohort_id), df = G - 1)
    np.testing.assert_allclose(contrasts["t"], [0.178551626861484, 2.31883201962467], rtol=U_RTOL)
    np.testing.assert_allclose(contrasts["p"], [0.861535759829787, 0.0406613823348452], rtol=U_RTOL)
    # J(N - k) * estimate / sqrt(RSS / df.residual), evaluated in R
    np.testing.assert_allclose(
        contrasts["hedges_g"], [0.0552826209946264, 0.512540385922026], rtol=U_RTOL
    )
    np.testing.assert_allclose(
        out.loc["overall", ["t", "p"]], [5.15264423697603, 0.0263620369398856], rtol=U_RTOL
    )
    assert out.loc["overall", "df1"] == 2 and (out["df2"] == 11).all()
    # the g interval is the cluster-robust interval of the difference, standardised
    scale = contrasts["hedges_g"] / contrasts["mean_diff"]
    np.testing.assert_allclose(
        contrasts["hedges_g_ci_low"], contrasts["ci_low"] * scale, rtol=1e-12
    )


def test_clustered_comparison_default_reference_is_largest_group(people3u):
    out = clustered_comparison(people3u, "gain", "sex")
    # lm(gain ~ sex): P - L = 0.351125806959533 (se 1.225098699427); P is larger (87 of 160)
    np.testing.assert_allclose(out.loc["L - P", "mean_diff"], -0.351125806959533, rtol=U_RTOL)
    np.testing.assert_allclose(out.loc["L - P", "se"], 1.225098699427, rtol=1e-12)
    with pytest.raises(ParameterError, match="reference"):
        clustered_comparison(people3u, "gain", "sex", reference="X")


def test_clustered_means_match_r(people3u):
    # cm(people, "mean.all"): coeftest(lm(gain ~ 1), vcovCL(cluster = ~cohort_id), df = G - 1)
    out = clustered_means(people3u, "gain")
    np.testing.assert_allclose(
        out[["mean", "se", "p", "ci_low", "ci_high"]].to_numpy(dtype=float),
        [9.4375, 0.652045428861913, 1.65885192509619e-08, 8.00235768736934, 10.8726423126307],
        rtol=U_RTOL,
    )
    assert out["df"] == 11 and out["n_clusters"] == 12
    np.testing.assert_allclose(out["design_effect"], (out["se"] / out["se_naive"]) ** 2)
    by_sex = clustered_means(people3u, "gain", by="sex")
    np.testing.assert_allclose(by_sex["se"], [0.810635629758667, 0.952813683301114], rtol=U_RTOL)


def test_clustered_means_single_cluster_warns():
    data = pd.DataFrame(
        {"y": [1.0, 2, 3, 4, 5, 6], "g": list("aabbbb"), "cohort_id": list("xyzzzz")}
    )
    with pytest.warns(EvalkitWarning, match="single"):
        out = clustered_means(data, "y", by="g")
    assert np.isnan(out.loc["b", "se"]) and out.loc["a", "n_clusters"] == 2


def test_clustered_trend_matches_r(people3u):
    # fit3 <- lm(gain ~ I(year - 2024)); coeftest(fit3, vcovCL(fit3, cluster = ~cohort_id),
    # df = G - 1); summary(fit3) for the naive se
    out = clustered_trend(people3u, "gain", "year")
    np.testing.assert_allclose(
        out[["slope", "se", "p", "ci_low", "ci_high", "se_naive"]].to_numpy(dtype=float),
        [0.167682926829268, 0.653404059636015, 0.802201102922867, -1.27044971197323,
         1.60581556563177, 0.673803785307479],
        rtol=1e-9,
    )  # fmt: skip
    with pytest.raises(ParameterError, match="does not vary"):
        clustered_trend(people3u.assign(year=2024), "gain", "year")


def test_cluster_robust_ols_bad_input():
    with pytest.raises(ParameterError, match="clusters"):
        cluster_robust_ols([1.0, 2, 3], np.ones((3, 1)), ["a", "a", "a"])
    with pytest.raises(ParameterError, match="design"):
        cluster_robust_ols([1.0, 2, 3], np.ones((2, 1)), ["a", "b", "b"])
    with pytest.raises(ParameterError, match="collinear"):
        cluster_robust_ols([1.0, 2, 3, 4], np.ones((4, 2)), ["a", "b", "b", "a"])
    with pytest.raises(ParameterError, match="missing"):
        cluster_robust_ols([1.0, np.nan, 3], np.ones((3, 1)), ["a", "b", "b"])


# --- the words: unit of analysis in the conclusions ---------------------------------------
def test_cohort_level_g_is_labelled_not_benchmarked():
    from evalkit.reporting.conclusions.compare import difference_conclusion

    # the demo overview said "g Hedges = 5,08, besar" of cohort means
    d = {"mean_diff": 8.1, "ci_low": 6.4, "ci_high": 9.8, "t": 10.4, "df": 12.6, "p": 1e-7,
         "hedges_g": 5.08}  # fmt: skip
    groups, what = ("practitioner", "academic"), ("skor relevansi", "relevance scores")
    en = str(difference_conclusion(d, groups, what, "en", n_cohorts=15))
    assert "Hedges' g = 5.08, on cohort means" in en and "large" not in en
    idn = str(difference_conclusion(d, groups, what, "id", n_cohorts=15))
    assert "g Hedges = 5,08, atas rerata angkatan" in idn and "besar" not in idn
    person = str(difference_conclusion(
        {**d, "hedges_g": 0.81, "df": 14.0}, groups, what, "en", n_clusters=15, p_adjusted=0.002
    ))  # fmt: skip
    assert "Hedges' g = 0.81, large" in person and "t(14)" in person
    assert "(p Holm = .002)" in person and "cluster-robust SEs by cohort (15 cohorts" in person


def test_clustered_conclusion_quotes_the_figure_numbers(people3u):
    from evalkit.reporting.conclusions.compare import clustered_conclusion

    means = clustered_means(people3u, "gain", by="golongan")
    cmp = clustered_comparison(people3u, "gain", "golongan")
    text = str(clustered_conclusion(cmp, means, ("Gains by grade", "Gains by grade"), "en"))
    top = means["mean"].idxmax()
    assert f"Highest: {top} ({means.loc[top, 'mean']:.1f} points" in text
    assert f"95% CI {means.loc[top, 'ci_low']:.1f} to {means.loc[top, 'ci_high']:.1f}" in text
    assert "Wald F(2, 11) = 5.15, p = .026" in text


def test_trend_conclusion_with_a_clustered_slope(people3u):
    from evalkit.reporting.conclusions.compare import trend_conclusion

    by_year = clustered_means(people3u, "gain", by="year")
    slope = clustered_trend(people3u, "gain", "year")
    text = str(trend_conclusion(by_year, ("Gains by year", "Gains by year"), "en",
                                estimate="mean", slope=slope))  # fmt: skip
    assert "Linear trend +0.17 points per year (95% CI −1.27 to 1.61); t(11) = 0.26" in text
    assert "not significant" in text and "12 cohorts; t with 11 df" in text
