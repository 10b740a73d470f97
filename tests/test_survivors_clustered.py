"""Tests that kill the mutation-testing survivors of evalkit.metrics.clustered (mutation/README.md).

Reference values come from tests/reference/survivors_clustered.R (R 4.2.2, sandwich 3.0-2,
lmtest, car; output in survivors_clustered_output.txt) on its typed-in
survivors_clustered_people.csv (12 people in 3 cohorts, groups a/b/c listed out of sort
order, c in 2 cohorts only), and from hand calculations written beside the tests. Each
test compares with those values, never with another call of the same function.
"""

from __future__ import annotations

import warnings
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

REF = Path(__file__).parent / "reference"
RTOL = 1e-9

MEAN_COLUMNS = ["n", "n_clusters", "mean", "sd", "se", "se_naive", "design_effect", "t", "df",
                "p", "ci_low", "ci_high"]  # fmt: skip
COMPARISON_COLUMNS = ["group", "reference", "n", "n_reference", "mean_diff", "se", "t", "df1",
                      "df2", "p", "ci_low", "ci_high", "hedges_g", "hedges_g_ci_low",
                      "hedges_g_ci_high", "n_clusters"]  # fmt: skip


@pytest.fixture(scope="module")
def people() -> pd.DataFrame:
    return pd.read_csv(REF / "survivors_clustered_people.csv")


@pytest.fixture(scope="module")
def ref() -> dict[str, float]:
    out = {}
    for line in (REF / "survivors_clustered_output.txt").read_text().splitlines():
        key, _, value = line.partition(" = ")
        out[key.strip()] = float(value)
    return out


def _no_warnings(func, *args, **kwargs):
    """Call ``func`` with every warning turned into an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return func(*args, **kwargs)


# --- clustered_means --------------------------------------------------------------------
def test_means_by_group_match_vcovcl_sorted_named_and_silent(people, ref):
    # mean_ref(): coeftest(lm(y ~ 1, d), vcovCL(fit, cluster = ~cohort_id), df = G - 1)
    # per group; c lies in 2 cohorts (df 1, a finite se, no warning)
    out = _no_warnings(clustered_means, people, "y", by="grp")
    assert out.index.tolist() == ["a", "b", "c"]  # the data lists b, a, c
    assert out.index.name == "grp"
    assert out.columns.tolist() == MEAN_COLUMNS
    for lev in ("a", "b", "c"):
        row = out.loc[lev]
        for col in ("n", "n_clusters", "mean", "sd", "se", "se_naive", "t", "df", "p"):
            assert row[col] == pytest.approx(ref[f"mean.{lev}.{col}"], rel=RTOL), (lev, col)
        assert row["ci_low"] == pytest.approx(ref[f"mean.{lev}.ci[1]"], rel=RTOL)
        assert row["ci_high"] == pytest.approx(ref[f"mean.{lev}.ci[2]"], rel=RTOL)
        deff = (ref[f"mean.{lev}.se"] / ref[f"mean.{lev}.se_naive"]) ** 2
        assert row["design_effect"] == pytest.approx(deff, rel=RTOL)
    assert out.loc["c", "df"] == 1 and out.loc["c", "n_clusters"] == 2


def test_mean_of_everybody_matches_vcovcl_and_is_named(people, ref):
    out = _no_warnings(clustered_means, people, "y")
    assert isinstance(out, pd.Series) and out.name == "clustered_mean"
    assert out.index.tolist() == MEAN_COLUMNS
    for col in ("n", "n_clusters", "mean", "sd", "se", "se_naive", "t", "df", "p"):
        assert out[col] == pytest.approx(ref[f"mean.all.{col}"], rel=RTOL), col
    assert out["ci_low"] == pytest.approx(ref["mean.all.ci[1]"], rel=RTOL)
    assert out["ci_high"] == pytest.approx(ref["mean.all.ci[2]"], rel=RTOL)


# Three rows: y = 1, 2, 4 in clusters a, b, b. Mean 7/3, residuals -4/3, -1/3, 5/3:
# sd = sqrt((16 + 1 + 25) / 9 / 2) = sqrt(7/3), se_naive = sqrt(7) / 3. Cluster sums
# -4/3 and 4/3: CR1 var = G/(G-1) * (16/9 + 16/9) / n^2 = 2 * 32/81 = 64/81, se = 8/9,
# t = (7/3) / (8/9) = 21/8 on 1 df (Cauchy): p = 1 - 2 atan(21/8) / pi, and the 95%
# quantile is tan(0.475 pi).
THREE = {"n": 3.0, "n_clusters": 2.0, "mean": 7 / 3, "sd": np.sqrt(7 / 3),
         "se": 8 / 9, "se_naive": np.sqrt(7) / 3, "t": 21 / 8, "df": 1.0,
         "p": 1 - 2 * np.arctan(21 / 8) / np.pi}  # fmt: skip
Q975_1DF = np.tan(0.475 * np.pi)


def _check_three(row, scale=1.0):
    for col, value in THREE.items():
        expected = value * scale if col in ("mean", "sd", "se", "se_naive") else value
        assert row[col] == pytest.approx(expected, rel=1e-12), col
    half = Q975_1DF * 8 / 9 * scale
    assert row["ci_low"] == pytest.approx(7 / 3 * scale - half, rel=1e-12)
    assert row["ci_high"] == pytest.approx(7 / 3 * scale + half, rel=1e-12)


def test_means_of_exactly_three_rows_by_hand_and_missing_rows_left_out():
    three = pd.DataFrame({"y": [1.0, 2, 4], "cohort_id": ["a", "b", "b"]})
    _check_three(_no_warnings(clustered_means, three, "y"))
    # a row without y and a row without a cluster are left out, not counted
    extra = pd.DataFrame({"y": [np.nan, 5.0], "cohort_id": ["a", None]})
    _check_three(_no_warnings(clustered_means, pd.concat([three, extra]), "y"))
    with pytest.raises(
        ParameterError,
        match=r"^clustered_means: needs at least 3 rows with 'y' and 'cohort_id', got 2$",
    ):
        clustered_means(three.iloc[:2], "y")


def test_means_by_group_leave_out_rows_missing_any_column():
    # group x: the three rows above; group w: y doubled (mean 14/3, se 16/9, t 21/8);
    # x comes first in the data, w first in the (sorted) result
    data = pd.DataFrame({
        "y": [1.0, 2, 4, 2, 4, 8, np.nan, 5, 5],
        "g": ["x", "x", "x", "w", "w", "w", "x", None, "w"],
        "cohort_id": ["a", "b", "b", "c", "d", "d", "a", "a", None],
    })  # fmt: skip
    out = _no_warnings(clustered_means, data, "y", by="g")
    assert out.index.tolist() == ["w", "x"]
    _check_three(out.loc["x"])
    _check_three(out.loc["w"], scale=2.0)


def test_means_zero_se_gives_inf_or_nan_t_without_warnings():
    # up: 1, 3 in each of two cohorts, mean 2; zero: -1, 1 in each, mean 0. Every
    # cohort's residuals sum to 0 exactly, so the CR1 se is 0: t = 2 / 0 = inf (p 0,
    # interval [2, 2]) and 0 / 0 = NaN; se_naive = sd / sqrt(4) = (2 / sqrt 3) / 2.
    data = pd.DataFrame({
        "y": [1.0, 3, 1, 3, -1, 1, -1, 1],
        "g": ["up"] * 4 + ["zero"] * 4,
        "cohort_id": ["a", "a", "b", "b", "c", "c", "d", "d"],
    })  # fmt: skip
    out = _no_warnings(clustered_means, data, "y", by="g")
    up, zero = out.loc["up"], out.loc["zero"]
    assert up["se"] == 0 and up["t"] == np.inf and up["p"] == 0
    assert (up["ci_low"], up["ci_high"]) == (2.0, 2.0)
    assert up["se_naive"] == pytest.approx(1 / np.sqrt(3), rel=1e-12)
    assert up["design_effect"] == 0
    assert zero["se"] == 0 and np.isnan(zero["t"]) and np.isnan(zero["p"])


def test_a_group_in_one_cluster_gets_nan_and_the_warning_counts_it():
    # "one" lies in cohort a alone; its residuals, 0.1, 0.2, 0.4 minus their mean, sum to
    # -5.6e-17 in floating point (not 0), so G/(G-1) = 1/0 would make the CR1 variance
    # infinite: se, df, t, p and the interval must be NaN. "two" (the three rows above,
    # in 2 cohorts) is not counted in the warning.
    data = pd.DataFrame({
        "y": [0.1, 0.2, 0.4, 1.0, 2, 4],
        "g": ["one"] * 3 + ["two"] * 3,
        "cohort_id": ["a", "a", "a", "b", "c", "c"],
    })  # fmt: skip
    with pytest.warns(EvalkitWarning) as record:
        out = clustered_means(data, "y", by="g")
    assert [str(w.message) for w in record] == [
        "clustered_means: 1 group(s) lie in a single 'cohort_id'; their se is NaN"
    ]
    one = out.loc["one"]
    assert one["n_clusters"] == 1 and one["mean"] == pytest.approx(0.7 / 3, rel=1e-12)
    # residuals -0.4/3, -0.1/3, 0.5/3: sum of squares 0.42/9, sd = sqrt(0.42 / 9 / 2)
    assert one["sd"] == pytest.approx(np.sqrt(0.42 / 18), rel=1e-12)
    for col in ("se", "df", "t", "p", "ci_low", "ci_high", "design_effect"):
        assert np.isnan(one[col]), col
    _check_three(out.loc["two"])


# --- cluster_robust_ols and the Wald test -------------------------------------------------
def test_ols_with_one_residual_df_by_hand():
    # y = 1, 2, 4; x = (1, 0), (1, 1), (1, 1); clusters a, b, a. beta = (1, 3 - 1 = 2),
    # residuals 0, -1, 1. Cluster scores X_g'e_g: a (1, 1), b (-1, -1); meat
    # [[2, 2], [2, 2]]. (X'X)^-1 = [[1, -1], [-1, 1.5]], (X'X)^-1 (1, 1)' = (0, 0.5):
    # bread-meat-bread [[0, 0], [0, 0.5]], times c = 2/1 * (3 - 1)/(3 - 2) = 4.
    x = np.array([[1.0, 0], [1, 1], [1, 1]])
    fit = cluster_robust_ols([1.0, 2, 4], x, ["a", "b", "a"])
    np.testing.assert_allclose(fit.beta, [1.0, 2.0], rtol=1e-12)
    np.testing.assert_allclose(fit.vcov, [[0, 0], [0, 2]], atol=1e-12)
    assert (fit.n, fit.n_clusters, fit.resid_df, fit.df) == (3, 2, 1, 1)
    assert fit.sigma == pytest.approx(np.sqrt(2), rel=1e-12)  # RSS 2 on 1 df
    with pytest.raises(
        ParameterError,
        match=r"^cluster_robust_ols: needs more observations \(2\) than coefficients \(2\)$",
    ):
        cluster_robust_ols([1.0, 2], np.eye(2), ["a", "b"])


def test_ols_labels_are_taken_as_given_not_as_text():
    # 1 and "1" are two cohorts (as a column read with mixed types holds them): the
    # grouping is that of a, a, b, b, c, c. Mean 3.5, cluster sums -4, 1, 3:
    # CR1 var = 3/2 * 26 / 36 = 13/12 (c = G/(G-1) for a mean).
    fit = cluster_robust_ols([1.0, 2, 3, 5, 4, 6], np.ones((6, 1)), [1, 1, "1", "1", 2, 2])
    assert fit.n_clusters == 3
    assert fit.vcov[0, 0] == pytest.approx(13 / 12, rel=1e-12)


def test_ols_messages():
    ones = np.ones((3, 1))
    with pytest.raises(
        ParameterError, match=r"^cluster_robust_ols: column 'y' must hold numbers, got non-numeric"
    ):
        cluster_robust_ols(["a", 2, 3], ones, ["a", "b", "b"])
    with pytest.raises(
        ParameterError,
        match=r"^cluster_robust_ols: parameter 'clusters' must have one label per value of "
        r"'y' \(3\), got 2$",
    ):
        cluster_robust_ols([1.0, 2, 3], ones, ["a", "b"])
    missing = r"^cluster_robust_ols: 'y', 'design' and 'clusters' must not hold missing values$"
    with pytest.raises(ParameterError, match=missing):
        cluster_robust_ols([1.0, 2, 3], ones, ["a", None, "b"])  # only a label is missing
    with pytest.raises(ParameterError, match=missing):
        design = [[1, 0], [1, None], [1, 1], [1, 0]]  # None in a list: a missing value
        cluster_robust_ols([1.0, 2, 3, 4], design, ["a", "a", "b", "b"])


def _group_design(data: pd.DataFrame) -> np.ndarray:
    g = data["grp"].to_numpy()
    return np.column_stack([np.ones(len(g)), g == "a", g == "c"]).astype(float)


def test_wald_test_with_as_many_contrasts_as_df_and_float_rows(people, ref):
    # linearHypothesis(lm(y ~ grp), c("grpa = 0", "grpc = 0"), vcov. = vcovCL(...))$F on
    # (2, G - 1 = 2) df: q equal to the df is allowed
    fit = cluster_robust_ols(people["y"], _group_design(people), people["cohort_id"])
    for rows in ([1, 2], np.array([1.0, 2.0])):  # rows as floats are indices too
        f, q, df2, p = fit.wald_test(rows)
        assert f == pytest.approx(ref["cmp.F"], rel=RTOL)
        assert (q, df2) == (2, 2.0)
        assert p == pytest.approx(ref["cmp.p_F"], rel=RTOL)


def test_wald_test_refuses_more_contrasts_than_df(people):
    # cohorts K1 and K2: df = 1, and the 2 x 2 covariance of the contrasts has rank 1
    # (rounding makes it invertible, with an F of about 1e31): no test
    two = people[people["cohort_id"].isin(["K1", "K2"])]
    fit = cluster_robust_ols(two["y"], _group_design(two), two["cohort_id"])
    f, q, df2, p = fit.wald_test([1, 2])
    assert fit.df == 1 and q == 2
    assert np.isnan(f) and np.isnan(df2) and np.isnan(p)


# --- clustered_comparison -----------------------------------------------------------------
def test_comparison_matches_vcovcl_every_column(people, ref):
    out = _no_warnings(clustered_comparison, people, "y", "grp")
    assert out.index.tolist() == ["a - b", "c - b", "overall"]  # b, the largest, is the reference
    assert out.index.name == "contrast"
    assert out.columns.tolist() == COMPARISON_COLUMNS
    assert out["group"].tolist() == ["a", "c", "all"]
    assert out["reference"].tolist() == ["b", "b", "b"]
    assert out["n"].tolist() == [4.0, 3.0, 12.0]
    assert out["n_reference"].tolist() == [5.0, 5.0, 5.0]
    assert out["df1"].tolist() == [1.0, 1.0, 2.0]
    assert out["df2"].tolist() == [2.0, 2.0, 2.0]
    assert out["n_clusters"].tolist() == [3.0, 3.0, 3.0]
    rows = out.iloc[:2]
    # coeftest(fit, vcovCL(fit, cluster = ~cohort_id), df = G - 1)[2:3, ], coefci(...)
    for col, key in (("mean_diff", "estimate"), ("se", "se"), ("t", "t"), ("p", "p"),
                     ("ci_low", "ci_low"), ("ci_high", "ci_high"), ("hedges_g", "hedges_g"),
                     ("hedges_g_ci_low", "hedges_g_ci_low"),
                     ("hedges_g_ci_high", "hedges_g_ci_high")):  # fmt: skip
        np.testing.assert_allclose(
            rows[col], [ref[f"cmp.{key}[1]"], ref[f"cmp.{key}[2]"]], rtol=RTOL, err_msg=col
        )
    assert out.loc["overall", "t"] == pytest.approx(ref["cmp.F"], rel=RTOL)
    assert out.loc["overall", "p"] == pytest.approx(ref["cmp.p_F"], rel=RTOL)
    assert out.loc["overall", ["mean_diff", "se", "ci_low", "ci_high", "hedges_g"]].isna().all()


def test_comparison_group_alone_in_a_cohort_message(people):
    lone = people[~((people["grp"] == "c") & (people["cohort_id"] == "K1"))]  # c only in K3
    with pytest.warns(EvalkitWarning) as record:
        out = clustered_comparison(lone, "y", "grp")
    assert [str(w.message) for w in record] == [
        "clustered_comparison: group(s) ['c'] of 'grp' lie in a single 'cohort_id'; their "
        "contrasts' se, p and interval are NaN, and so is the overall test"
    ]
    assert np.isnan(out.loc["c - b", "se"]) and np.isfinite(out.loc["a - b", "se"])


def test_comparison_leaves_out_rows_without_a_group(people, ref):
    extra = pd.DataFrame({"cohort_id": ["K1", "K2"], "grp": [None, "a"], "y": [100.0, np.nan]})
    out = _no_warnings(clustered_comparison, pd.concat([people, extra]), "y", "grp")
    assert out["n"].tolist() == [4.0, 3.0, 12.0]
    assert out.loc["a - b", "se"] == pytest.approx(ref["cmp.se[1]"], rel=RTOL)


# --- clustered_trend ----------------------------------------------------------------------
def test_trend_series_is_named_and_counts(people):
    out = clustered_trend(people, "y", "year")
    assert out.name == "clustered_trend"
    assert out.index.tolist() == ["n", "n_clusters", "slope", "se", "se_naive", "t", "df", "p",
                                  "ci_low", "ci_high", "p_naive"]  # fmt: skip
    assert (out["n"], out["n_clusters"], out["df"]) == (12.0, 3.0, 2.0)
    # cohort means 4.65, 5.275, 6.425 of 4 each at years -1, 0, 1 (centred): the OLS
    # slope of y on year is (6.425 - 4.65) / 2
    assert out["slope"] == pytest.approx((6.425 - 4.65) / 2, rel=1e-12)


# --- the messages of the three public functions --------------------------------------------
CALLS = {
    "clustered_means": lambda d, **kw: clustered_means(d, "y", **kw),
    "clustered_comparison": lambda d, **kw: clustered_comparison(d, "y", "grp", **kw),
    "clustered_trend": lambda d, **kw: clustered_trend(d, "y", "year", **kw),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_messages_name_the_function_and_parameter(people, name):
    call = CALLS[name]
    with pytest.raises(
        ParameterError, match=rf"^{name}: parameter 'data' must be a DataFrame, got list$"
    ):
        call([1, 2, 3])
    with pytest.raises(
        ParameterError, match=rf"^{name}: parameter 'ci' must be a number in \(0, 1\), got 1.5$"
    ):
        call(people, ci=1.5)
    with pytest.raises(
        ParameterError, match=rf"^{name}: parameter 'dv' names column 'y', which is not in"
    ):
        call(people.drop(columns="y"))
    with pytest.raises(
        ParameterError,
        match=rf"^{name}: parameter 'cluster' names column 'cohort', which is not in",
    ):
        call(people, cluster="cohort")
    with pytest.raises(
        ParameterError, match=rf"^{name}: column 'y' must hold numbers, got non-numeric value 'x'"
    ):
        call(people.assign(y=["x"] + people["y"].tolist()[1:]))


def test_messages_of_by_group_and_time(people):
    with pytest.raises(
        ParameterError, match=r"^clustered_means: parameter 'by' names column 'grade', which"
    ):
        clustered_means(people, "y", by="grade")
    with pytest.raises(
        ParameterError, match=r"^clustered_comparison: parameter 'group' names column 'grade',"
    ):
        clustered_comparison(people, "y", "grade")
    with pytest.raises(
        ParameterError, match=r"^clustered_trend: parameter 'time' names column 'month', which"
    ):
        clustered_trend(people, "y", "month")
    with pytest.raises(
        ParameterError,
        match=r"^clustered_trend: column 'year' must hold numbers, got non-numeric value 'x'",
    ):
        clustered_trend(people.assign(year=["x"] + people["year"].tolist()[1:]), "y", "year")
    with pytest.raises(
        ParameterError,
        match=r"^clustered_comparison: column 'grp' must hold at least 2 groups with data, "
        r"got \['a'\]$",
    ):
        clustered_comparison(people.assign(grp="a"), "y", "grp")


# --- an exact fit, or a cluster-robust se within rounding of 0 (refused, as ancova) -------
# The rule of learning.ancova: a residual sum of squares <= 1e-12 x the outcome's sum of
# squares is no residual; a cluster-robust variance <= 1e-12 x the variance with people as
# independent is no variance. Both sides of each threshold are tested, and the exact fits
# that raised a ZeroDivisionError (residual SD or se exactly 0).

FOUR_COHORTS = {"g": list("aaaabbbb"), "cohort_id": list("ppqqrrss")}  # a in p, q; b in r, s


@pytest.mark.parametrize("vcov", ["CR1", "CR2"])
def test_comparison_refuses_an_outcome_the_groups_fit_exactly(vcov):
    # y = 1, 1, 2, 2 in groups a, a, b, b: the residual SD is exactly 0 (it raised a
    # ZeroDivisionError in Hedges' g, float(J) / 0)
    exact = pd.DataFrame({"y": [1.0, 1, 2, 2], "g": list("aabb"), "cohort_id": list("pqpq")})
    with pytest.raises(ParameterError) as err:
        clustered_comparison(exact, "y", "g", vcov=vcov)
    assert str(err.value) == (
        "clustered_comparison: column 'y' is constant within each group of 'g' (no residual "
        "variation); se, t, p and Hedges' g are undefined"
    )
    # a constant y: its residuals are rounding noise around a 0 sum of squares (it gave
    # mean_diff 4e-16, t 0.82, p .56 and Hedges' g 0.56 with y = 3 for everybody)
    with pytest.raises(ParameterError) as err:
        clustered_comparison(exact.assign(y=3.0), "y", "g", vcov=vcov)
    assert str(err.value) == (
        "clustered_comparison: column 'y' is constant; there is no variation to explain"
    )


@pytest.mark.parametrize(("c", "refused"), [(1.1e-6, False), (9e-7, True)])
def test_comparison_residual_threshold_is_relative_to_the_outcome_variation(c, refused):
    # y = 10 (a), 12 (b) + c v, v = (1, 1, -1, -1) in each group, orthogonal to the
    # intercept and the dummy: SS_res = 8 c^2, SS_total = 8 + 8 c^2; the threshold is
    # 1e-12 x SS_total = 8e-12. c = 1.1e-6: SS_res = 9.7e-12 (kept, 1.21 x the threshold);
    # c = 9e-7: 6.5e-12 (refused, 0.81 x). Kept, by hand: the cluster sums of residuals
    # are +-2c; with (X'X)^-1 = [[1/4, -1/4], [-1/4, 1/2]] the contrast's row gives -S/4
    # (a's cohorts) and S/4 (b's), so the meat is 4 (2c)^2 / 16 = c^2 and CR1 =
    # G/(G-1) (N-1)/(N-K) c^2 = 4/3 x 7/6 c^2 = 14/9 c^2: se = c sqrt(14) / 3, df 3.
    v = np.array([1.0, 1, -1, -1, 1, 1, -1, -1])
    y = np.where(np.array(FOUR_COHORTS["g"]) == "b", 12.0, 10.0) + c * v
    data = pd.DataFrame({"y": y, **FOUR_COHORTS})
    if refused:
        with pytest.raises(ParameterError, match="is constant within each group of 'g'"):
            clustered_comparison(data, "y", "g")
    else:
        row = clustered_comparison(data, "y", "g").loc["b - a"]
        assert row["mean_diff"] == pytest.approx(2.0, rel=1e-12)
        assert row["se"] == pytest.approx(c * np.sqrt(14) / 3, rel=1e-6)
        assert row["df2"] == 3.0


@pytest.mark.parametrize(("d", "refused"), [(7e-6, False), (6e-6, True), (0.0, True)])
def test_comparison_contrast_se_threshold_is_relative_to_the_naive_variance(d, refused):
    # residuals (10 + d, -10 + d) in cohorts p and r, (10 - d, -10 - d) in q and s
    # (orthogonal to the intercept and the dummy): cluster sums +-2d, so CR1 = 14/9 d^2 as
    # above; SS_res = 800 + 8 d^2, sigma^2 = SS_res / 6 (sigma about 11.5) and the variance
    # with people as independent sigma^2 (1/4 + 1/4) = (800 + 8 d^2) / 12. Ratio
    # 7/3 d^2 / (100 + d^2) against 1e-12: d = 7e-6 gives 1.14e-12 (kept, se =
    # d sqrt(14) / 3); d = 6e-6 gives 0.84e-12 (refused); d = 0 left se = 0 up to rounding
    # (t = inf or 0/0, p = 0)
    v = np.array([10 + d, -10 + d, 10 - d, -10 - d] * 2)
    y = np.where(np.array(FOUR_COHORTS["g"]) == "b", 12.0, 10.0) + v
    data = pd.DataFrame({"y": y, **FOUR_COHORTS})
    if refused:
        with pytest.raises(ParameterError) as err:
            clustered_comparison(data, "y", "g")
        assert str(err.value) == (
            "clustered_comparison: the cluster-robust se of ['b - a'] is 0 (the residuals of "
            "'y' cancel within each 'cohort_id'); t and p are undefined"
        )
    else:
        row = clustered_comparison(data, "y", "g").loc["b - a"]
        assert row["mean_diff"] == pytest.approx(2.0, rel=1e-9)
        assert row["se"] == pytest.approx(d * np.sqrt(14) / 3, rel=1e-6)


def test_comparison_se_refusal_names_only_the_contrasts_at_zero():
    # three groups; c's people (cohorts p, r) differ from their cohort's mean by +-1 only
    # inside each cohort, as the reference a's, so "c - a" has se 0 while "b - a" has not
    # (b's cohort means 5 and 7 around its mean 6)
    data = pd.DataFrame(
        {
            "y": [-1.0, 1, -1, 1, 4, 6, 6, 8, 9, 11, 9, 11],
            "g": list("aaaabbbbcccc"),
            "cohort_id": list("ppqqpprrpprr"),
        }
    )
    with pytest.raises(ParameterError) as err:
        clustered_comparison(data, "y", "g", reference="a")
    assert str(err.value).startswith("clustered_comparison: the cluster-robust se of ['c - a'] ")


@pytest.mark.parametrize("vcov", ["CR1", "CR2"])
def test_trend_refuses_an_exact_line_and_a_zero_se(vcov):
    # y = 0, 2, 0, 2 at times 0, 0, 1, 1 in two cohorts: the line (slope 0) goes through
    # both cohorts' means, each cohort's residuals (-1, 1) sum to 0 and the se is exactly
    # 0 (it raised a ZeroDivisionError in slope / se)
    two = pd.DataFrame({"y": [0.0, 2, 0, 2], "year": [0, 0, 1, 1], "cohort_id": list("aabb")})
    with pytest.raises(ParameterError) as err:
        clustered_trend(two, "y", "year", vcov=vcov)
    assert str(err.value) == (
        "clustered_trend: the cluster-robust se of the slope is 0 (the residuals of 'y' "
        "cancel within each 'cohort_id'); t and p are undefined"
    )
    # y = 1 + 2 year exactly, and a constant y
    t = np.array([0.0, 0, 1, 1, 2, 2])
    line = pd.DataFrame({"y": 1 + 2 * t, "year": t, "cohort_id": list("aabbcc")})
    with pytest.raises(ParameterError) as err:
        clustered_trend(line, "y", "year", vcov=vcov)
    assert str(err.value) == (
        "clustered_trend: column 'y' is an exact linear function of 'year' (no residual "
        "variation); se, t and p are undefined"
    )
    with pytest.raises(ParameterError) as err:
        clustered_trend(line.assign(y=5.0), "y", "year", vcov=vcov)
    assert str(err.value) == (
        "clustered_trend: column 'y' is constant; there is no variation to explain"
    )


TIMES = np.array([0.0, 0, 1, 1, 2, 2])  # cohorts a, a, b, b, c, c


@pytest.mark.parametrize(("c", "refused"), [(2.5e-6, False), (2.1e-6, True)])
def test_trend_residual_threshold_is_relative_to_the_outcome_variation(c, refused):
    # y = 1 + 2 t + c v, v = (.5, .5, -1, -1, .5, .5) orthogonal to 1 and t: SS_res =
    # 3 c^2, SS_total = 16 + 3 c^2, threshold 1.6e-11: c = 2.5e-6 gives 1.9e-11 (kept,
    # 1.17 x), c = 2.1e-6 gives 1.3e-11 (refused, 0.83 x). Kept, by hand: centred times
    # -1, 0, 1 per cohort, Sxx = 4; cohort sums of residuals c, -2c, c, slope scores -c,
    # 0, c, meat 2 c^2; CR1 = G/(G-1) (N-1)/(N-K) 2 c^2 / Sxx^2 = 3/2 x 5/4 x 2/16 c^2 =
    # 15/64 c^2: se = c sqrt(15) / 8; se_naive = sqrt(3 c^2 / 4) / 2 = c sqrt(3) / 4; df 2.
    y = 1 + 2 * TIMES + c * np.array([0.5, 0.5, -1, -1, 0.5, 0.5])
    data = pd.DataFrame({"y": y, "year": TIMES, "cohort_id": list("aabbcc")})
    if refused:
        with pytest.raises(ParameterError, match="is an exact linear function of 'year'"):
            clustered_trend(data, "y", "year")
    else:
        out = clustered_trend(data, "y", "year")
        assert out["slope"] == pytest.approx(2.0, rel=1e-12)
        assert out["se"] == pytest.approx(c * np.sqrt(15) / 8, rel=1e-6)
        assert out["se_naive"] == pytest.approx(c * np.sqrt(3) / 4, rel=1e-6)
        assert out["df"] == 2.0


@pytest.mark.parametrize(("d", "refused"), [(1.4e-5, False), (1.1e-5, True)])
def test_trend_se_threshold_is_relative_to_the_naive_variance(d, refused):
    # residuals (10 + d/2, -10 + d/2), (10 - d, -10 - d), (10 + d/2, -10 + d/2)
    # (orthogonal to 1 and t): cohort sums d, -2d, d, so se^2 = 15/64 d^2 as above;
    # SS_res = 600 + 3 d^2, se_naive^2 = SS_res / 4 / Sxx = (600 + 3 d^2) / 16 (se_naive
    # about 6.1). Ratio 15/4 d^2 / (600 + 3 d^2) against 1e-12: d = 1.4e-5 gives
    # 1.23e-12 (kept, se = d sqrt(15) / 8), d = 1.1e-5 gives 0.76e-12 (refused).
    v = np.array([10 + d / 2, -10 + d / 2, 10 - d, -10 - d, 10 + d / 2, -10 + d / 2])
    data = pd.DataFrame({"y": 1 + 2 * TIMES + v, "year": TIMES, "cohort_id": list("aabbcc")})
    if refused:
        with pytest.raises(ParameterError, match="cluster-robust se of the slope is 0"):
            clustered_trend(data, "y", "year")
    else:
        out = clustered_trend(data, "y", "year")
        assert out["slope"] == pytest.approx(2.0, rel=1e-9)
        assert out["se"] == pytest.approx(d * np.sqrt(15) / 8, rel=1e-6)
        assert out["se_naive"] == pytest.approx(np.sqrt((600 + 3 * d**2) / 16), rel=1e-9)


def test_clustered_means_of_a_constant_outcome_without_warnings():
    # every gain 2: sd, se and se_naive 0, so t is +inf (p 0, interval [2, 2]) and the
    # design effect 0 / 0 is NaN; no NumPy warning reaches the caller
    d = pd.DataFrame({"gain": [2.0] * 6, "cohort_id": list("aabbcc")})
    for vcov in ("CR1", "CR2"):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            out = clustered_means(d, "gain", vcov=vcov)
        assert (out["se"], out["se_naive"], out["t"], out["p"]) == (0.0, 0.0, np.inf, 0.0)
        assert (out["ci_low"], out["ci_high"]) == (2.0, 2.0)
        assert np.isnan(out["design_effect"])
