"""Tests that kill the mutation-testing survivors of evalkit.metrics.subgroups.

See mutation/README.md. Reference values: tests/reference/survivors_subgroups.R (R 4.2.2,
sandwich 3.0-2, lmtest; output in survivors_subgroups_output.txt) on the 18 people typed
in below and in that script, and hand calculations written beside the tests.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from evalkit.errors import ParameterError
from evalkit.metrics.subgroups import subgroup_estimates, subgroup_tests, subgroup_vs_rest

RTOL = 1e-10
FUNCS = (subgroup_estimates, subgroup_tests, subgroup_vs_rest)
ESTIMATE_COLUMNS = ["n", "n_clusters", "mean", "ci_low", "ci_high", "reference", "diff",
                    "diff_ci_low", "diff_ci_high", "diff_p"]  # fmt: skip
TEST_COLUMNS = ["n", "n_levels", "n_suppressed", "n_clusters", "f", "df1", "df2", "p"]
VS_REST_COLUMNS = ["n", "n_clusters", "mean", "ci_low", "ci_high", "diff", "diff_ci_low",
                   "diff_ci_high", "p", "p_bh"]  # fmt: skip


@pytest.fixture
def classes() -> pd.DataFrame:
    """The 18 people of survivors_subgroups.R: 3 classes ("kelas"), 10 L and 8 P."""
    return pd.DataFrame({
        "kelas": ["k1"] * 6 + ["k2"] * 6 + ["k3"] * 6,
        "sex": list("LLLPPL" "PLPLPL" "LPLLPP"),
        "skor": [4.0, 7, 5, 9, 6, 3, 8, 2, 11, 6, 10, 5, 7, 12, 4, 6, 9, 13],
    })  # fmt: skip


def two_by_two(cohorts=("a", "b")) -> pd.DataFrame:
    """Two cohorts x two sexes, one person each: exactly one residual df.

    dv ~ cohort + sex has K = 3 coefficients for N = 4 people. By hand: the difference
    P - L is the mean of the within-cohort differences, ((4 - 1) + (5 - 3)) / 2 = 2.5; each
    residual is +-(1 - 4 - 3 + 5) / 4 = -+0.25, so sigma^2 = 4 x 0.0625 / 1 = 0.25; the
    difference is (-y1 + y2 - y3 + y4) / 2, whose variance is 4 x sigma^2 / 4 = 0.25:
    se = 0.5, t = 5, F = 25 on (1, 1) df. t on 1 df is Cauchy: p = 1 - (2 / pi) atan(5),
    and the 97.5 % quantile is tan(0.475 pi) = 12.7062...
    """
    return pd.DataFrame({
        "gain": [1.0, 4.0, 3.0, 5.0],
        "sex": ["L", "P", "L", "P"],
        "cohort_id": [cohorts[0], cohorts[0], cohorts[1], cohorts[1]],
    })  # fmt: skip


ONE_DF_P = 1 - 2 / math.pi * math.atan(5)
T_975_1 = math.tan(0.475 * math.pi)


# --- the messages name the function and the parameter --------------------------------------


@pytest.mark.parametrize("func", FUNCS, ids=lambda f: f.__name__)
def test_messages_name_the_function_and_the_parameter(classes, func):
    name = func.__name__
    sub = "sex" if func is subgroup_vs_rest else ["sex"]
    kw = {"cluster": "kelas"}
    with pytest.raises(ParameterError, match=rf"^{name}: parameter 'data' must be a DataFrame"):
        func(classes.to_dict(), "skor", sub, **kw)
    with pytest.raises(ParameterError, match=rf"^{name}: parameter 'dv' names column 'nope'"):
        func(classes, "nope", sub, **kw)
    with pytest.raises(ParameterError, match=rf"^{name}: parameter 'cluster' names column 'x'"):
        func(classes, "skor", sub, cluster="x")
    with pytest.raises(ParameterError, match=rf"^{name}: parameter 'subgroups?' names column"):
        func(classes, "skor", "nope" if func is subgroup_vs_rest else ["nope"], **kw)
    with pytest.raises(ParameterError, match=rf"^{name}: parameter 'min_n' must be an integer"):
        func(classes, "skor", sub, min_n=1, **kw)
    if func is not subgroup_vs_rest:
        with pytest.raises(ParameterError, match=rf"^{name}: parameter 'subgroups' must name"):
            func(classes, "skor", [], **kw)
    else:
        with pytest.raises(ParameterError, match=r"^subgroup_vs_rest: column 'sex' needs"):
            func(classes.assign(sex="L"), "skor", "sex", **kw)


# --- the numbers, with another cluster column and confidence level (R) ----------------------


def test_estimates_with_another_cluster_column_and_level_match_r(classes):
    # survivors_subgroups.R: coeftest(lm(skor ~ 1), vcovCL(cluster = ~kelas), df = G - 1)
    # per sex, with qt(0.95, G - 1); lm(skor ~ kelas + sex): coef, confint(level = 0.90),
    # summary p. The data have no cohort_id column: the cluster must be passed on.
    out = subgroup_estimates(classes, "skor", ["sex"], cluster="kelas", ci=0.90)
    assert list(out.columns) == ESTIMATE_COLUMNS
    assert list(out.index.names) == ["variable", "level"]
    np.testing.assert_allclose(
        out[["mean", "ci_low", "ci_high"]].to_numpy(dtype=float),
        [[4.9, 3.85490619912298, 5.94509380087702],
         [9.75, 6.82289422965458, 12.6771057703454]],
        rtol=RTOL,
    )  # fmt: skip
    assert out["n"].tolist() == [10, 8] and out["n_clusters"].tolist() == [3, 3]
    assert out["reference"].tolist() == ["L", "L"]
    p = out.loc[("sex", "P")]
    np.testing.assert_allclose(
        [p["diff"], p["diff_ci_low"], p["diff_ci_high"], p["diff_p"]],
        [4.65384615384616, 3.10388494419616, 6.20380736349615, 0.000114550586668323],
        rtol=1e-9,
    )
    assert out.loc[("sex", "L"), ["diff", "diff_ci_low", "diff_ci_high", "diff_p"]].isna().all()


def test_tests_with_another_cluster_column_match_r(classes):
    # anova(lm(skor ~ kelas), lm(skor ~ kelas + sex)): F, p, Res.Df
    out = subgroup_tests(classes, "skor", "sex", cluster="kelas")
    assert list(out.columns) == TEST_COLUMNS and out.index.name == "variable"
    row = out.loc["sex"]
    np.testing.assert_allclose([row["f"], row["p"]], [27.9675262655205, 0.000114550586668323],
                               rtol=1e-9)  # fmt: skip
    assert (row["n"], row["n_levels"], row["n_suppressed"], row["n_clusters"]) == (18, 2, 0, 3)
    assert (row["df1"], row["df2"]) == (1, 14)


def test_vs_rest_with_another_cluster_column_and_level_match_r(classes):
    # lm(skor ~ inP), coeftest(vcovCL(cluster = ~kelas), df = G - 1), est +- qt(0.95, 2) se
    out = subgroup_vs_rest(classes, "skor", "sex", cluster="kelas", ci=0.90)
    assert list(out.columns) == VS_REST_COLUMNS
    assert list(out.index) == ["L", "P"]
    np.testing.assert_allclose(
        out.loc["P", ["diff", "diff_ci_low", "diff_ci_high", "p"]].to_numpy(dtype=float),
        [4.85, 2.50674195294623, 7.19325804705377, 0.0263022572522821],
        rtol=1e-9,
    )
    # the rest of L is P: the same difference with the opposite sign
    np.testing.assert_allclose(
        out.loc["L", ["diff", "diff_ci_low", "diff_ci_high"]].to_numpy(dtype=float),
        [-4.85, -7.19325804705377, -2.50674195294623],
        rtol=1e-9,
    )
    np.testing.assert_allclose(
        out[["mean", "ci_low", "ci_high"]].to_numpy(dtype=float),
        [[4.9, 3.85490619912298, 5.94509380087702],
         [9.75, 6.82289422965458, 12.6771057703454]],
        rtol=RTOL,
    )  # fmt: skip
    assert out.dtypes.map(str).eq("float64").all()


def test_one_column_given_as_a_string(classes):
    # "sex" is one column, not the three columns "s", "e", "x"; means by hand: L 49 / 10,
    # P 78 / 8
    out = subgroup_estimates(classes, "skor", "sex", cluster="kelas")
    assert list(out.index) == [("sex", "L"), ("sex", "P")]
    np.testing.assert_allclose(out["mean"], [4.9, 9.75], rtol=RTOL)


# --- which rows count ------------------------------------------------------------------------


def test_rows_missing_the_outcome_the_subgroup_or_the_cluster_are_left_out(classes):
    data = classes.copy()
    data["skor"] = data["skor"].astype(object)
    data.loc[0, "skor"] = np.nan  # an L of k1 (4) without outcome
    data.loc[3, "sex"] = None  # a P of k1 (9) without sex
    data.loc[7, "kelas"] = None  # an L of k2 (2) without class
    data["skor"] = data["skor"].astype(float)
    # 15 people left: L (7, 5, 3, 6, 5, 7, 4, 6) = 43 / 8, P (6, 8, 11, 10, 12, 9, 13) = 69 / 7
    tests = subgroup_tests(data, "skor", ["sex"], cluster="kelas")
    assert tests.loc["sex", "n"] == 15 and tests.loc["sex", "n_levels"] == 2
    assert tests.loc["sex", "df2"] == 15 - 3 - 1
    out = subgroup_estimates(data, "skor", ["sex"], cluster="kelas")
    assert out["n"].tolist() == [8, 7]
    np.testing.assert_allclose(out["mean"], [43 / 8, 69 / 7], rtol=RTOL)
    rest = subgroup_vs_rest(data, "skor", "sex", cluster="kelas")
    np.testing.assert_allclose(rest.loc["P", "diff"], 69 / 7 - 43 / 8, rtol=RTOL)


def test_a_subgroup_of_exactly_min_n_people_is_kept(classes):
    # P has 8 people: kept at min_n = 8, left out at min_n = 9
    kept = subgroup_tests(classes, "skor", ["sex"], cluster="kelas", min_n=8)
    assert (kept.loc["sex", "n_levels"], kept.loc["sex", "n_suppressed"]) == (2, 0)
    assert not np.isnan(kept.loc["sex", "p"])
    dropped = subgroup_tests(classes, "skor", ["sex"], cluster="kelas", min_n=9)
    assert (dropped.loc["sex", "n_levels"], dropped.loc["sex", "n_suppressed"]) == (1, 1)
    assert dropped.loc["sex", "n"] == 10
    assert len(subgroup_estimates(classes, "skor", ["sex"], cluster="kelas", min_n=8)) == 2


def test_vs_rest_leaves_out_subgroups_smaller_than_min_n(classes):
    data = classes.copy()
    data.loc[[0, 1, 2, 5], "sex"] = "X"  # four people of a third subgroup, fewer than 5
    out = subgroup_vs_rest(data, "skor", "sex", cluster="kelas")
    assert list(out.index) == ["L", "P"]
    # the rest of P is the 6 L left: 2, 6, 5, 7, 4, 6 = 30 / 6 = 5; P 78 / 8
    np.testing.assert_allclose(out.loc["P", "diff"], 78 / 8 - 5, rtol=RTOL)


# --- exactly one residual degree of freedom (hand calculation in two_by_two) ----------------


def test_one_residual_df_is_enough_for_the_within_cohort_test():
    data = two_by_two()
    tests = subgroup_tests(data, "gain", ["sex"], min_n=2)
    row = tests.loc["sex"]
    assert (row["df1"], row["df2"]) == (1, 1)
    np.testing.assert_allclose([row["f"], row["p"]], [25.0, ONE_DF_P], rtol=RTOL)
    out = subgroup_estimates(data, "gain", ["sex"], min_n=2)
    p = out.loc[("sex", "P")]
    assert out["reference"].tolist() == ["L", "L"]  # a tie: the first in sort order
    np.testing.assert_allclose(
        [p["diff"], p["diff_ci_low"], p["diff_ci_high"], p["diff_p"]],
        [2.5, 2.5 - 0.5 * T_975_1, 2.5 + 0.5 * T_975_1, ONE_DF_P],
        rtol=RTOL,
    )


def test_cohort_ids_partly_numbers_as_read_from_a_spreadsheet():
    # cohort 1 read as a number, cohort "b" as text: the same test as two_by_two's
    data = two_by_two(cohorts=(1, "b"))
    row = subgroup_tests(data, "gain", ["sex"], min_n=2).loc["sex"]
    np.testing.assert_allclose([row["f"], row["p"], row["df2"]], [25.0, ONE_DF_P, 1.0],
                               rtol=RTOL)  # fmt: skip


def test_an_outcome_of_numbers_in_an_object_column():
    data = two_by_two().astype({"gain": object})
    out = subgroup_estimates(data, "gain", ["sex"], min_n=2)
    np.testing.assert_allclose(out.loc[("sex", "P"), "diff"], 2.5, rtol=RTOL)
    np.testing.assert_allclose(out.loc[("sex", "P"), "diff_p"], ONE_DF_P, rtol=RTOL)
    assert out["diff"].dtype == np.float64
    row = subgroup_tests(data, "gain", ["sex"], min_n=2).loc["sex"]
    np.testing.assert_allclose([row["f"], row["p"]], [25.0, ONE_DF_P], rtol=RTOL)


# --- nothing or one subgroup left ------------------------------------------------------------


def test_no_subgroup_left_gives_the_empty_table_with_its_columns(classes):
    out = subgroup_estimates(classes, "skor", ["sex"], cluster="kelas", min_n=11)
    assert out.empty and list(out.columns) == ESTIMATE_COLUMNS
    assert isinstance(out.index, pd.MultiIndex)
    assert list(out.index.names) == ["variable", "level"]


def test_a_characteristic_with_no_rows_does_not_stop_the_next(classes):
    data = classes.assign(golongan=np.nan)
    out = subgroup_estimates(data, "skor", ["golongan", "sex"], cluster="kelas")
    assert list(out.index) == [("sex", "L"), ("sex", "P")]
    np.testing.assert_allclose(out["mean"], [4.9, 9.75], rtol=RTOL)


def test_one_subgroup_left_has_no_reference_and_no_difference(classes):
    data = classes.assign(sex="L")
    out = subgroup_estimates(data, "skor", ["sex"], cluster="kelas")
    assert list(out.columns) == ESTIMATE_COLUMNS
    assert out["reference"].isna().all()
    assert out[["diff", "diff_ci_low", "diff_ci_high", "diff_p"]].isna().all().all()
    # the mean of all 18: (49 + 78) / 18
    np.testing.assert_allclose(out["mean"], [127 / 18], rtol=RTOL)
    tests = subgroup_tests(data, "skor", ["sex"], cluster="kelas")
    assert list(tests.columns) == TEST_COLUMNS and tests.index.name == "variable"
    assert tests.loc["sex", ["n", "n_levels", "n_clusters"]].tolist() == [18, 1, 3]
    assert tests.loc["sex", ["f", "df1", "df2", "p"]].isna().all()


# --- subgroup_vs_rest: rows and their numbers -------------------------------------------------


def test_vs_rest_keeps_each_difference_on_its_own_row_with_numeric_codes():
    # units coded as numbers: in text order "10" < "2" < "9", in number order 2 < 9 < 10.
    # By hand (39 in all): unit 2: 4 - 27 / 6 = -0.5; unit 9: 7 - 18 / 6 = 4;
    # unit 10: 2 - 33 / 6 = -3.5
    data = pd.DataFrame({
        "gain": [3.0, 5, 4, 8, 6, 7, 1, 2, 3],
        "unit": [2, 2, 2, 9, 9, 9, 10, 10, 10],
        "cohort_id": list("abcabcabc"),
    })  # fmt: skip
    out = subgroup_vs_rest(data, "gain", "unit", min_n=2)
    assert list(out.index) == [10, 2, 9]  # sorted by mean: 2, 4, 7
    np.testing.assert_allclose(out.loc[[2, 9, 10], "mean"], [4.0, 7.0, 2.0], rtol=RTOL)
    np.testing.assert_allclose(out.loc[[2, 9, 10], "diff"], [-0.5, 4.0, -3.5], rtol=RTOL)
    assert (out["diff_ci_low"] <= out["diff"]).all() and (out["diff"] <= out["diff_ci_high"]).all()


def test_vs_rest_keeps_the_order_of_subgroups_with_equal_means():
    # five units, means 2, 1, 1, 0, 0 (u1 ... u5); equal means keep the units' order
    gains = {"u1": [1.0, 3], "u2": [0.0, 2], "u3": [2.0, 0], "u4": [-1.0, 1], "u5": [1.0, -1]}
    data = pd.DataFrame([
        {"gain": g, "unit": u, "cohort_id": c}
        for u, pair in gains.items() for g, c in zip(pair, ["a", "b"], strict=True)
    ])  # fmt: skip
    out = subgroup_vs_rest(data, "gain", "unit", min_n=2)
    assert list(out.index) == ["u4", "u5", "u2", "u3", "u1"]
    np.testing.assert_allclose(out["mean"], [0, 0, 1, 1, 2], atol=1e-12)
