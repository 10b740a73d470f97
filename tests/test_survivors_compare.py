"""Tests that kill the mutation-testing survivors of evalkit.metrics.compare (mutation/README.md).

Reference values come from tests/reference/survivors_compare.R (R 4.2.2, base stats;
output in survivors_compare_output.txt) on ten typed-in scores in three groups listed out
of sort order, and from hand calculations written beside the tests. Each test compares
with those values, never with another call of the same function.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from evalkit.errors import EvalkitWarning, ParameterError
from evalkit.metrics.compare import compare_groups, group_difference, posthoc

RTOL = 1e-9

SLEEP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]

POSTHOC_COLUMNS = ["group_a", "group_b", "n_a", "n_b", "mean_a", "mean_b", "mean_diff", "se",
                   "t", "df", "p", "ci_low", "ci_high"]  # fmt: skip


def _silent(func, *args, **kwargs):
    """Call ``func`` with every warning turned into an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return func(*args, **kwargs)


def _only_evalkit_warning(match, func, *args, **kwargs):
    """Call ``func`` expecting one EvalkitWarning, its text ``match``; numpy's warnings fail."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.simplefilter("error", RuntimeWarning)
        out = func(*args, **kwargs)
    assert [type(w.message) for w in caught] == [EvalkitWarning]
    assert caught[0].message.args[0] == match
    return out


@pytest.fixture()
def scores() -> pd.DataFrame:
    # survivors_compare.R's ten scores (groups c, a, b out of sort order; a = 1, 2, 3 has
    # variance exactly 1), then a row without a score and a row without a group, which
    # are left out (R's na.omit).
    return pd.DataFrame(
        {
            "g": ["c", "a", "b", "b", "a", "c", "b", "a", "b", "c", "a", None],
            "y": [6.0, 1, 2, 4, 2, 9, 7, 3, 3, 9, np.nan, 100],
        }
    )


# --- group_difference -------------------------------------------------------------------
def test_group_difference_means_and_name():
    # R's sleep data: sums 7.5 and 23.3 over 10 people each, means 0.75 and 2.33
    res = _silent(group_difference, SLEEP_1, SLEEP_2)
    assert res.name == "welch"
    assert res["mean_x"] == pytest.approx(0.75, rel=1e-12)
    assert res["mean_y"] == pytest.approx(2.33, rel=1e-12)


def test_group_difference_constant_samples_warn_once_by_name():
    # x = 1, 1, 1 and y = 2, 2: se = 0, so t, df, d are 0/0 or -1/0; numpy's own
    # RuntimeWarnings stay hidden, only the function's warning reaches the caller
    res = _only_evalkit_warning(
        "group_difference: both samples are constant; t, p, CI and effect sizes are NaN",
        group_difference,
        [1, 1, 1],
        [2, 2],
    )
    assert (res["mean_x"], res["mean_y"], res["se"]) == (1.0, 2.0, 0.0)
    assert res[["t", "df", "p", "ci_low", "ci_high", "cohen_d", "hedges_g"]].isna().all()


def test_group_difference_messages_name_function_and_parameter():
    with pytest.raises(
        ParameterError,
        match=r"^group_difference: column 'y' must hold numbers, got non-numeric value 'baik'",
    ):
        group_difference([1, 2], [1, "baik"])
    with pytest.raises(
        ParameterError,
        match=r"^group_difference: parameter 'y' must be one column \(Series or 1-D array\)",
    ):
        group_difference([1, 2], pd.DataFrame({"a": [1, 2]}))
    with pytest.raises(
        ParameterError,
        match=r"^group_difference: parameter 'x' needs at least 2 non-missing values, got 1$",
    ):
        group_difference([1, np.nan], [1, 2, 3])


# --- compare_groups ---------------------------------------------------------------------
def test_compare_groups_matches_r_with_a_group_of_variance_one(scores):
    # survivors_compare.R: summary(aov(y ~ g)); oneway.test(y ~ g); kruskal.test(y ~ g)
    # (tie corrected); nrow(d) = 10. No group is constant: no warning.
    res = _silent(compare_groups, scores, "y", "g")
    np.testing.assert_allclose(
        res["stat"], [8.97272727272727, 11.7787914765981, 6.0462962962963], rtol=RTOL
    )
    np.testing.assert_allclose(
        res["p"], [0.0117050470430292, 0.0176412420831897, 0.0486478264736806], rtol=RTOL
    )
    np.testing.assert_allclose(res["df1"], [2, 2, 2])
    np.testing.assert_allclose(res["df2"][:2], [7, 4.33974659784139], rtol=RTOL)
    assert res.loc["anova", "eta_sq"] == pytest.approx(0.719387755102041, rel=RTOL)
    assert res["n"].tolist() == [10.0, 10.0, 10.0]


def test_compare_groups_two_values_per_group_are_enough():
    # survivors_compare.R: a = 1, 2 and b = 4, 7 (exactly 2 values each)
    data = pd.DataFrame({"g": list("abab"), "y": [1.0, 4, 2, 7]})
    res = _silent(compare_groups, data, "y", "g")
    np.testing.assert_allclose(res["stat"][:2], [6.4, 6.4], rtol=RTOL)
    np.testing.assert_allclose(res["p"][:2], [0.12712843905603, 0.201908458070822], rtol=RTOL)
    assert res.loc["welch", "df2"] == pytest.approx(1.21951219512195, rel=RTOL)
    assert res["n"].tolist() == [4.0, 4.0, 4.0]


def test_compare_groups_constant_group_and_column_warn_by_name():
    # a = 1, 1, 1 and b = 2, 3, 4: means 1 and 3, grand mean 2, SS_B = 6, SS_W = 2,
    # F = 6 / (2 / 4) = 12, eta^2 = 6 / 8. Ranks 2, 2, 2 | 4, 5, 6: H_raw = 12 / 42 *
    # (36 + 225) / 3 - 21 = 27 / 7, tie correction 1 - 24 / 210 = 31 / 35, H = 135 / 31.
    data = pd.DataFrame({"y": [1.0, 1, 1, 2, 3, 4], "g": list("aaabbb")})
    res = _only_evalkit_warning(
        "compare_groups: a group of 'g' has constant 'y'; Welch's F is NaN",
        compare_groups,
        data,
        "y",
        "g",
    )
    assert res.loc["anova", "stat"] == pytest.approx(12.0, rel=1e-12)
    assert res.loc["anova", "eta_sq"] == pytest.approx(0.75, rel=1e-12)
    assert res.loc["kruskal", "stat"] == pytest.approx(135 / 31, rel=1e-12)
    assert np.isnan(res.loc["welch", ["stat", "df2", "p"]].astype(float)).all()
    # every value 5: the tie correction is 0, so H is NaN without a 0 / 0
    res = _only_evalkit_warning(
        "compare_groups: column 'y' is constant; every test is NaN",
        compare_groups,
        data.assign(y=5.0),
        "y",
        "g",
    )
    assert res[["stat", "p"]].isna().all().all() and res["n"].tolist() == [6.0] * 3


def test_compare_groups_messages_name_the_function_and_only_the_small_groups():
    with pytest.raises(
        ParameterError, match=r"^compare_groups: column 'y' must hold numbers, got non-numeric"
    ):
        compare_groups(pd.DataFrame({"y": ["baik", 2, 3, 4], "g": list("aabb")}), "y", "g")
    # b has 1 value, c exactly 2 (enough): only b is named
    data = pd.DataFrame({"y": [1.0, 2, 3, 4, 5, 6], "g": list("aaabcc")})
    with pytest.raises(
        ParameterError,
        match=r"^compare_groups: every group of 'g' needs at least 2 values of 'y'; "
        r"too few in \['b'\]$",
    ):
        compare_groups(data, "y", "g")


# --- posthoc ----------------------------------------------------------------------------
# survivors_compare.R, pairs (a, b), (a, c), (b, c) in sorted order although the data list
# c first; n, means a - b; Games-Howell se, t, Welch df (the formula), p and the limits from
# the studentized range integrated by its definition (the ".int" keys; at these few df
# R's ptukey is off by up to 6e-5 relative, e.g. 0.0242406 for a - c, where the integral
# gives 0.0242391)
GH = {
    ("a", "b"): [1.22474487139159, -1.63299316185545, 4.41818181818182, 0.325380022597924,
                 -6.17914878371963, 2.17914878371963],
    ("a", "c"): [1.15470053837925, -5.19615242270663, 3.2, 0.0242391275096005,
                 -10.6330906065281, -1.36690939347186],
    ("b", "c"): [1.47196014438797, -2.71746488194703, 4.92233009708738, 0.0915839334795995,
                 -8.81673112142277, 0.816731121422766],
}  # fmt: skip
# Tukey: se = sqrt(MSE (1/n_a + 1/n_b)), t on N - k = 7 df; p and limits by the integral
# (TukeyHSD's p adj, 0.356962067884091, 0.0105074797098159, 0.0493817921295445, agree
# to 2e-7)
TUKEY = {
    ("a", "b"): [1.35400640077266, -1.47709789175199, 0.356962067674281, -5.98762786973824,
                 1.98762786973824],
    ("a", "c"): [1.44749372891149, -4.14509567824655, 0.0105074778859928, -10.2629535070033,
                 -1.73704649299665],
    ("b", "c"): [1.35400640077266, -2.95419578350399, 0.0493817912544812, -7.98762786973824,
                 -0.0123721302617632],
}  # fmt: skip
SIZES = {"a": 3.0, "b": 4.0, "c": 3.0}
MEANS = {"a": 2.0, "b": 4.0, "c": 8.0}


def _check_descriptives(res):
    assert res.columns.tolist() == POSTHOC_COLUMNS
    assert list(zip(res["group_a"], res["group_b"], strict=True)) == list(GH)
    for col, values in (("n", SIZES), ("mean", MEANS)):
        assert res[f"{col}_a"].tolist() == [values[a] for a, _ in GH]
        assert res[f"{col}_b"].tolist() == [values[b] for _, b in GH]
    np.testing.assert_allclose(res["mean_diff"], [-2.0, -6.0, -4.0], rtol=1e-12)


def test_games_howell_sorted_pairs_and_descriptives_match_r(scores):
    res = _silent(posthoc, scores, "y", "g")
    _check_descriptives(res)
    for i, (se, t, df, p, lo, hi) in enumerate(GH.values()):
        row = res.iloc[i]
        assert row["se"] == pytest.approx(se, rel=RTOL)
        assert row["t"] == pytest.approx(t, rel=RTOL)
        assert row["df"] == pytest.approx(df, rel=RTOL)
        assert row["p"] == pytest.approx(p, rel=RTOL)
        assert row["ci_low"] == pytest.approx(lo, rel=RTOL)
        assert row["ci_high"] == pytest.approx(hi, rel=RTOL)


def test_tukey_sorted_pairs_and_descriptives_match_r(scores):
    res = _silent(posthoc, scores, "y", "g", method="tukey")
    _check_descriptives(res)
    assert (res["df"] == 7).all()
    for i, (se, t, p, lo, hi) in enumerate(TUKEY.values()):
        row = res.iloc[i]
        assert row["se"] == pytest.approx(se, rel=RTOL)
        assert row["t"] == pytest.approx(t, rel=RTOL)
        assert row["p"] == pytest.approx(p, rel=RTOL)
        assert row["ci_low"] == pytest.approx(lo, rel=RTOL)
        assert row["ci_high"] == pytest.approx(hi, rel=RTOL)


def test_posthoc_constant_pair_warns_once_by_name():
    # a = 1, 1, 1 and b = 2, 2, 2: se 0 (t -1/0, df 0/0) -> NaN. a - c: va = 0,
    # vb = 1/3, se = sqrt(1/3), t = -3 / se = -3 sqrt 3, df = (1/3)^2 / ((1/3)^2 / 2) = 2
    data = pd.DataFrame({"y": [1.0, 1, 1, 2, 2, 2, 3, 4, 5], "g": list("aaabbbccc")})
    res = _only_evalkit_warning(
        "posthoc: a pair of groups of 'g' has no variation in 'y'; its t is NaN",
        posthoc,
        data,
        "y",
        "g",
    )
    assert res.loc[0, "se"] == 0 and np.isnan(res.loc[0, ["t", "df", "p"]].astype(float)).all()
    assert res.loc[1, "se"] == pytest.approx(np.sqrt(1 / 3), rel=1e-12)
    assert res.loc[1, "t"] == pytest.approx(-3 * np.sqrt(3), rel=1e-12)
    assert res.loc[1, "df"] == pytest.approx(2.0, rel=1e-12)
