"""Survivors of mutation testing of evalkit.metrics.learning (see mutation/README.md).

Each test pins a label, index or message that a mutant of ``learning.py`` changed
without any other test noticing; the expected values are Hake's (1998) bands,
g < .3 low, .3 <= g < .7 medium, g >= .7 high, written beside them.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import special, stats

from evalkit.errors import EvalkitWarning, ParameterError
from evalkit.metrics.learning import (
    _ncp_interval,
    ancova,
    clustered_change,
    hake_band,
    normalized_gain,
    paired_change,
    pass_rate,
)


def test_hake_band_keeps_the_index_and_name_of_a_series():
    gains = pd.Series([0.2, 0.7, 0.3], index=["p9", "p3", "p5"])
    out = hake_band(gains)
    assert out.name == "hake_band"
    assert out.index.tolist() == ["p9", "p3", "p5"]
    assert out.tolist() == ["low", "high", "medium"]
    # a list gets a default index, and the same name
    listed = hake_band([0.2, 0.7])
    assert listed.index.tolist() == [0, 1] and listed.name == "hake_band"


def test_hake_band_message_names_function_and_parameter():
    with pytest.raises(ParameterError) as err:
        hake_band(["a", 0.5])
    assert str(err.value) == (
        "hake_band: column 'g' must hold numbers, got non-numeric value 'a' (row 0); map "
        "answer labels to numbers first"
    )


def test_normalized_gain_pre_at_the_maximum_is_nan_without_numpy_warnings():
    # p1 and p2 start at the maximum: no room to gain, g undefined (NaN), whether the
    # score stayed (0 / 0) or fell (-10 / 0); p3: (70 - 40) / (100 - 40) = 0.5
    pre = pd.Series([100.0, 100.0, 40.0], index=["p1", "p2", "p3"])
    post = pd.Series([100.0, 90.0, 70.0], index=["p1", "p2", "p3"])
    with pytest.warns(EvalkitWarning) as record:
        g = normalized_gain(pre, post, max_score=100)
    # only evalkit's own warning: no RuntimeWarning of a 0 / 0 or x / 0 division
    assert [(w.category, str(w.message)) for w in record] == [
        (EvalkitWarning, "normalized_gain: 2 participant(s) with pre at max_score get NaN")
    ]
    assert np.isnan(g["p1"]) and np.isnan(g["p2"]) and g["p3"] == 0.5


def test_normalized_gain_post_above_the_maximum_names_the_parameter():
    with pytest.raises(ParameterError) as err:
        normalized_gain([50.0], [110.0], 100)
    assert str(err.value) == (
        "normalized_gain: parameter 'post' must not exceed max_score, got 110.0 > 100.0 at position 0"
    )


def test_pass_rate_by_series_on_the_scores_non_default_index():
    scores = pd.Series([70.0, 50, 80, 60], index=[10, 11, 12, 13])
    by = pd.Series(["a", "a", "b", "b"], index=[10, 11, 12, 13])
    out = pass_rate(scores, 65, by=by)
    # 1 of 2 passes in each group; Wilson with z = 1.959964: (1/2 + z^2/4 -+ z sqrt(1/8 +
    # z^2/16)) / (1 + z^2/2) = 0.0945312 to 0.9054688 (prop.test(1, 2, correct = FALSE))
    z = 1.959963984540054
    half = z * np.sqrt(1 / 8 + z**2 / 16) / (1 + z**2 / 2)
    assert out["n_pass"].tolist() == [1.0, 1.0] and out["pass_rate"].tolist() == [0.5, 0.5]
    np.testing.assert_allclose(out["ci_low"], [0.5 - half] * 2, rtol=1e-12)
    np.testing.assert_allclose(out["ci_high"], [0.5 + half] * 2, rtol=1e-12)
    with pytest.raises(ParameterError) as err:
        pass_rate(scores, 65, by=pd.Series(["a"] * 4))
    assert str(err.value) == (
        "pass_rate: parameter 'by' is a Series whose index differs from the data's; align it "
        "(e.g. df[col]) or pass its values with .to_numpy()"
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"scores": [70.0, 50.0], "ci": 1}, "parameter 'ci' must be a number in (0, 1), got 1"),
        (
            {"scores": ["x", 1]},
            "column 'scores' must hold numbers, got non-numeric value 'x' (row 0); map answer "
            "labels to numbers first",
        ),
    ],
)
def test_pass_rate_messages_name_function_and_parameter(kwargs, message):
    with pytest.raises(ParameterError) as err:
        pass_rate(threshold=65, **kwargs)
    assert str(err.value) == f"pass_rate: {message}"


def test_pass_rate_single_call_is_named_and_an_empty_group_warns_once():
    # 70 passes 65, 50 does not: group a 1 of 2; group b has only a missing score
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing to warn about
        one = pass_rate([70.0, 50.0], 65)
    assert one.name == "pass_rate" and one["n"] == 2.0 and one["pass_rate"] == 0.5
    with pytest.warns(EvalkitWarning) as record:
        out = pass_rate(
            pd.Series([70.0, np.nan, 50, 90, 40]), 65, by=pd.Series(["a", "b", "a", "c", "c"])
        )
    # evalkit's warning only (no RuntimeWarning of the 0 / 0 rate of group b)
    assert [(w.category, str(w.message)) for w in record] == [
        (EvalkitWarning, "pass_rate: 1 group(s) have no score; their rate is NaN")
    ]
    assert out["n"].tolist() == [2.0, 0.0, 2.0] and out["n_pass"].tolist() == [1.0, 0.0, 1.0]
    assert out.loc["a", "pass_rate"] == 0.5 and np.isnan(out.loc["b", "pass_rate"])
    assert out.loc["b", ["ci_low", "ci_high"]].isna().all()


@pytest.mark.parametrize(
    ("max_score", "message"),
    [
        (
            ["x", 1],
            "column 'max_score' must hold numbers, got non-numeric value 'x' (row 0); map "
            "answer labels to numbers first",
        ),
        ([0.5, 0], "parameter 'max_score' must be positive, got 0.0"),  # 0.5 is allowed
    ],
)
def test_normalized_gain_max_score_messages(max_score, message):
    with pytest.raises(ParameterError) as err:
        normalized_gain([0.2, 0.0], [0.3, 0.0], max_score)
    assert str(err.value) == f"normalized_gain: {message}"


# --- ancova: every column of the table a report shows ----------------------------------------
REF = Path(__file__).parent / "reference"


def test_ancova_mean_squares_and_the_covariates_partial_eta_match_car():
    anorexia = pd.read_csv(REF / "level12_anorexia.csv")
    res = ancova(anorexia, group="Treat", dv="Postwt", covariate="Prewt")
    assert list(res.columns) == ["ss", "df", "ms", "f", "p", "partial_eta_sq"]
    assert res.index.name == "source"
    # av <- car::Anova(lm(Postwt ~ Prewt + Treat, data = anorexia), type = 2);
    # av[["Sum Sq"]] / av[["Df"]]  (tests/reference/survivors.R)
    np.testing.assert_allclose(
        res["ms"], [353.794908555968, 383.136406377838, 48.6950385282296], rtol=1e-9
    )
    # Sum Sq / (Sum Sq + Sum Sq of the residuals), Prewt and Treat
    np.testing.assert_allclose(
        res["partial_eta_sq"].iloc[:2], [0.0965318840992717, 0.187925482293828], rtol=1e-9
    )
    assert res.loc["residual", ["f", "p", "partial_eta_sq"]].isna().all()


def test_ancova_with_a_single_residual_degree_of_freedom_matches_car():
    # 2 groups, 4 rows: n - k - 1 = 1 residual df, the smallest table ancova allows
    tiny = pd.read_csv(REF / "survivors_ancova_tiny.csv")
    res = ancova(tiny)
    # tv <- car::Anova(lm(post ~ pre + delivery, data = tiny), type = 2)
    # (by hand: SS_res = 2/13, SS_pre = 1200.5/13, F_pre = 600.25)
    np.testing.assert_allclose(
        res["ss"], [92.3461538461539, 2.53186813186814, 0.153846153846157], rtol=1e-9
    )
    np.testing.assert_allclose(res["df"], [1.0, 1.0, 1.0])
    np.testing.assert_allclose(res["f"].iloc[:2], [600.249999999989, 16.4571428571426], rtol=1e-9)
    np.testing.assert_allclose(res["p"].iloc[:2], [0.025970065101376, 0.153861434569851], rtol=1e-9)
    with pytest.raises(ParameterError) as err:
        ancova(tiny.iloc[:3])
    assert str(err.value) == (
        "ancova: needs more than 3 complete rows for 2 groups and a covariate, got 3"
    )


def test_ancova_leaves_out_rows_with_a_missing_value_as_lm_does():
    # the tiny table plus a row without post, one without pre and one without a group:
    # lm() drops them (na.omit), so car::Anova gives the tiny table's values
    tiny = pd.read_csv(REF / "survivors_ancova_tiny.csv")
    extra = pd.DataFrame(
        {"pre": [np.nan, 52.0, 58.0], "post": [61.0, np.nan, 63.0], "delivery": ["a", "b", None]}
    )
    res = ancova(pd.concat([tiny, extra], ignore_index=True))
    np.testing.assert_allclose(
        res["ss"], [92.3461538461539, 2.53186813186814, 0.153846153846157], rtol=1e-9
    )
    np.testing.assert_allclose(res["f"].iloc[:2], [600.249999999989, 16.4571428571426], rtol=1e-9)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"dv": "nilai"}, "parameter 'dv' names column 'nilai', which is not in the data"),
        ({"covariate": "awal"}, "parameter 'covariate' names column 'awal', which is not in"),
        (
            {"post": ["a", "b", "c", "d"]},
            "column 'post' must hold numbers, got non-numeric value 'a'",
        ),
        (
            {"pre": ["a", "b", "c", "d"]},
            "column 'pre' must hold numbers, got non-numeric value 'a'",
        ),
    ],
)
def test_ancova_messages_name_the_function_parameter_and_column(kwargs, message):
    tiny = pd.read_csv(REF / "survivors_ancova_tiny.csv")
    columns = {k: v for k, v in kwargs.items() if k in tiny.columns}
    params = {k: v for k, v in kwargs.items() if k not in tiny.columns}
    with pytest.raises(ParameterError) as err:
        ancova(tiny.assign(**columns), **params)
    assert str(err.value).startswith("ancova: " + message)


# --- paired_change: every column at other levels, degenerate groups, messages ------------
# Reference values: tests/reference/survivors_learning.R (output in
# survivors_learning_output.txt): t.test(post, pre, paired = TRUE, conf.level = level),
# wilcox.test(..., exact = FALSE, correct = FALSE) (z from R's p), the noncentral-t
# limits by uniroot on pt(t, n - 1, ncp), rescaled by J(n - 1) sd(d) / (sqrt(n) s_av).
SLEEP_PRE = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_POST = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
PAIRED_COLUMNS = [
    "n", "mean_pre", "mean_post", "mean_diff", "sd_diff", "t", "df", "p", "ci_low", "ci_high",
    "d_z", "d_av", "hedges_g", "hedges_g_ci_low", "hedges_g_ci_high", "wilcoxon_n",
    "wilcoxon_w", "wilcoxon_z", "wilcoxon_p", "hake_g", "hake_g_mean",
]  # fmt: skip
SLEEP_COMMON = dict(
    n=10.0, mean_pre=0.75, mean_post=2.33, mean_diff=1.58, sd_diff=1.22999548327987,
    t=4.06212768338204, df=9.0, p=0.00283289019738427, d_z=1.28455756259105,
    d_av=0.83218108134954, hedges_g=0.76050939567012, wilcoxon_n=9.0, wilcoxon_w=45.0,
    wilcoxon_z=2.66791125027938, wilcoxon_p=0.00763244164820552,
)  # fmt: skip
SLEEP_LEVELS = {
    0.90: dict(ci_low=0.866994732970716, ci_high=2.29300526702928,
               hedges_g_ci_low=0.322448500014319, hedges_g_ci_high=1.16905117102357),
    0.80: dict(ci_low=1.04205890681227, ci_high=2.11794109318773,
               hedges_g_ci_low=0.412106713950462, hedges_g_ci_high=1.07191773541155),
}  # fmt: skip


@pytest.mark.parametrize("level", [0.90, 0.80])
def test_paired_change_every_column_at_other_levels_matches_r(level):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing to warn about (one group, 10 pairs)
        res = paired_change(SLEEP_PRE, SLEEP_POST, ci=level)
    assert res.name == "paired_change" and res.index.tolist() == PAIRED_COLUMNS
    ref = SLEEP_COMMON | SLEEP_LEVELS[level]
    for col, value in ref.items():
        assert res[col] == pytest.approx(value, rel=1e-9), col
    assert np.isnan(res["hake_g"]) and np.isnan(res["hake_g_mean"])  # no max_score


# a table of six groups and a row without a group (the test's own, typed into the R script):
# a and b complete (ties, zeros; b's second person starts at b's maximum 10), c one
# complete pair (its second has no post), d identical differences (2, 2, 2), e constant
# pre and post (differences 2, sd of pre and post 0), y no change at all, z only a pair
# without pre; the row without a group belongs to none
GROUPED = pd.DataFrame(
    {
        "g": ["a"] * 6 + ["b"] * 4 + ["c"] * 2 + ["d"] * 3 + ["e"] * 3 + ["y"] * 2 + [None, "z"],
        "pre": [10, 12, 9, 15, 11, 8, 6, 10, 7, 5, 4, 3, 2, 5, 9, 5, 5, 5, 5, 6, 1, np.nan],
        "post": [14, 12, 13, 18, 10, 16, 9, 10, 7.5, 8, 7, np.nan, 4, 7, 11, 7, 7, 7, 5, 6, 2, 5],
        "mx": [20] * 6 + [10] * 4 + [10] * 2 + [20] * 3 + [10] * 3 + [10] * 2 + [10, 10],
    },
    index=[f"p{i}" for i in range(22)],
)
GROUP_REF = {
    "a": dict(n=6.0, mean_pre=10.8333333333333, mean_post=13.8333333333333, mean_diff=3.0,
              sd_diff=3.22490309931942, t=2.27866357593825, df=5.0, p=0.0716577596712294,
              ci_low=-0.384328247636817, ci_high=6.38432824763682, d_z=0.930260509419063,
              d_av=1.12063105145644, hedges_g=0.94216908003542,
              hedges_g_ci_low=-0.0767165235666673, hedges_g_ci_high=1.90205755955029,
              wilcoxon_n=5.0, wilcoxon_w=14.0, wilcoxon_z=1.76094219984435,
              wilcoxon_p=0.0782481864330958, hake_g=0.327272727272727,
              hake_g_mean=0.31986531986532),
    "b": dict(n=4.0, mean_pre=7.0, mean_post=8.625, mean_diff=1.625, sd_diff=1.60078105935821,
              t=2.03025890455188, df=3.0, p=0.135310216046383, ci_low=-0.922199883961341,
              ci_high=4.17219988396134, d_z=1.01512945227594, d_av=0.946445834326766,
              hedges_g=0.684849393090294, hedges_g_ci_low=-0.18707811755558,
              hedges_g_ci_high=1.4968501278585, wilcoxon_n=3.0, wilcoxon_w=6.0,
              wilcoxon_z=1.63299316185545, wilcoxon_p=0.102470434859749,
              hake_g=0.541666666666667, hake_g_mean=0.505555555555556),
}  # fmt: skip


def _grouped(**kwargs):
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        res = paired_change(
            GROUPED["pre"], GROUPED["post"], max_score=GROUPED["mx"], by=GROUPED["g"], **kwargs
        )
    return res, [(w.category, str(w.message)) for w in record]


def test_paired_change_degenerate_groups_by_value_and_message():
    res, record = _grouped()
    # evalkit's warnings only: no RuntimeWarning from z's 0 / 0 means or e's 0 / 0 scale
    assert record == [
        (EvalkitWarning, "paired_change: 1 row(s) with a missing 'by' value were left out"),
        (EvalkitWarning, "paired_change: 2 group(s) have fewer than 2 complete pairs; NaN there"),
        (EvalkitWarning, "paired_change: 3 group(s) have identical differences; t and d_z NaN"),
        (EvalkitWarning, "paired_change: 1 group(s) have no non-zero difference; Wilcoxon NaN"),
    ]
    assert res.index.tolist() == ["a", "b", "c", "d", "e", "y", "z"] and res.index.name == "g"
    assert res.columns.tolist() == PAIRED_COLUMNS
    for group, ref in GROUP_REF.items():
        for col, value in ref.items():
            assert res.loc[group, col] == pytest.approx(value, rel=1e-9), (group, col)
    # c: one pair 4 -> 7 (max 10): the means and Hake's g (3 / 6) are shown, the rest NaN
    c = res.loc["c"]
    assert (c["n"], c["mean_pre"], c["mean_post"], c["mean_diff"], c["hake_g"]) == (
        1.0,
        4.0,
        7.0,
        3.0,
        0.5,
    )
    assert c.drop(["n", "mean_pre", "mean_post", "mean_diff", "hake_g"]).isna().all()
    # d: differences 2, 2, 2: sd 0, so t, p, the intervals and d_z are NaN; d_av and g are
    # not (R: d.d_av, d.hedges_g), nor the Wilcoxon test (all three ranks tied at 2: V = 6,
    # z = (6 - 3) / sqrt(3 * 4 * 7 / 24 - 24 / 48) = sqrt(3); R: d.wilcoxon_p)
    d = res.loc["d"]
    assert (d["n"], d["df"], d["mean_diff"], d["sd_diff"]) == (3.0, 2.0, 2.0, 0.0)
    assert (
        d[["t", "p", "ci_low", "ci_high", "d_z", "hedges_g_ci_low", "hedges_g_ci_high"]]
        .isna()
        .all()
    )
    assert d["d_av"] == pytest.approx(0.569494797451499, rel=1e-12)
    assert d["hedges_g"] == pytest.approx(0.321303032606775, rel=1e-12)
    assert (d["wilcoxon_n"], d["wilcoxon_w"]) == (3.0, 6.0)
    assert d["wilcoxon_z"] == pytest.approx(np.sqrt(3), rel=1e-14)
    assert d["wilcoxon_p"] == pytest.approx(0.0832645166635504, rel=1e-12)
    # Hake: 2 / (20 - 16/3) = 3/22; individual gains 2/18, 2/15, 2/11
    assert d["hake_g"] == pytest.approx(3 / 22, rel=1e-14)
    assert d["hake_g_mean"] == pytest.approx((2 / 18 + 2 / 15 + 2 / 11) / 3, rel=1e-14)
    # e: 5 -> 7 three times: no spread at all, so d_av and g are NaN too (not 2 / 0 = inf);
    # Hake 2 / 5 for the class and for each person
    e = res.loc["e"]
    assert (e["mean_diff"], e["sd_diff"], e["hake_g"]) == (2.0, 0.0, 0.4)
    assert e["hake_g_mean"] == pytest.approx(0.4, rel=1e-14)
    assert e[["t", "d_z", "d_av", "hedges_g", "hedges_g_ci_low", "hedges_g_ci_high"]].isna().all()
    assert (e["wilcoxon_n"], e["wilcoxon_w"]) == (3.0, 6.0)
    # y: 5 -> 5 and 6 -> 6: no non-zero difference (Wilcoxon NaN), g and d_av 0, Hake 0
    y = res.loc["y"]
    assert (y["n"], y["wilcoxon_n"], y["d_av"], y["hedges_g"], y["hake_g"], y["hake_g_mean"]) == (
        2.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
    )
    assert y[["t", "d_z", "wilcoxon_w", "wilcoxon_z", "wilcoxon_p"]].isna().all()
    # z: its only pair has no pre, so the group is empty: n 0, everything else NaN
    assert res.loc["z", "n"] == 0.0 and res.loc["z"].drop("n").isna().all()


def test_paired_change_grouped_interval_levels():
    # the t interval of a at 90 %: mean 3 -+ qt(.95, 5) sd / sqrt(6); qt(.95, 5) = 2.015048373
    res, _ = _grouped(ci=0.90)
    half = 2.01504837333302 * 3.22490309931942 / np.sqrt(6)
    assert res.loc["a", "ci_low"] == pytest.approx(3 - half, rel=1e-9)
    assert res.loc["a", "ci_high"] == pytest.approx(3 + half, rel=1e-9)


def test_paired_change_by_series_must_share_the_index_of_pre():
    pre = pd.Series([1.0, 2, 4, 3], index=[10, 11, 12, 13])
    post = pd.Series([2.0, 4, 5, 6], index=[10, 11, 12, 13])
    by = pd.Series(["x", "x", "y", "y"], index=[10, 11, 12, 13], name="cohort_id")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = paired_change(pre, post, by=by)
    assert res.index.tolist() == ["x", "y"] and res.index.name == "cohort_id"
    # x: differences 1, 2 (mean 1.5); y: 1, 3 (mean 2)
    assert res["mean_diff"].tolist() == [1.5, 2.0] and res["n"].tolist() == [2.0, 2.0]
    with pytest.raises(ParameterError) as err:
        paired_change(pre, post, by=by.reset_index(drop=True))
    assert str(err.value) == (
        "paired_change: parameter 'by' is a Series whose index differs from the data's; align "
        "it (e.g. df[col]) or pass its values with .to_numpy()"
    )
    with pytest.raises(ParameterError) as err:
        paired_change(pre, post, by=["x", "y"])
    assert str(err.value) == "paired_change: parameter 'by' must have one value per row (4), got 2"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"max_score": "seratus"},
            "parameter 'max_score' must be a positive number, got 'seratus'",
        ),
        ({"max_score": [10, -1]}, "parameter 'max_score' must be positive, got -1.0"),
        (
            {"max_score": [10, 10, 10]},
            "parameter 'max_score' must be one number or one per pair (2), got 3",
        ),
        (
            {"max_score": 4},
            "parameter 'post' must not exceed max_score, got 5.0 > 4.0 at position 1",
        ),
        (
            {"max_score": 2.5},
            "parameter 'pre' must not exceed max_score, got 3.0 > 2.5 at position 1",
        ),
        (
            {"max_score": [10, 20], "by": ["a", "a"]},
            "parameter 'max_score' must be constant within a group in group 'a', got 10.0 and 20.0",
        ),
        (
            {"max_score": [10, 20]},
            "parameter 'max_score' must be constant within a group, got 10.0 and 20.0",
        ),
        ({"ci": 1.5}, "parameter 'ci' must be a number in (0, 1), got 1.5"),
    ],
)
def test_paired_change_messages_name_the_function(kwargs, message):
    with pytest.raises(ParameterError) as err:
        paired_change([1.0, 3.0], [2.0, 5.0], **kwargs)
    assert str(err.value) == f"paired_change: {message}"


def test_paired_change_effect_sizes_at_a_unit_average_sd_by_hand():
    # pre 0, 1, 2 and post 3, 2, 1 both have variance 1, so s_av = 1 and d_av = mean(d) = 1
    # (differences 3, 1, -1; sd 2, d_z 1/2, t = 1 / (2 / sqrt 3)); g = J(2) d_av with
    # J(2) = Gamma(1) / (sqrt(1) Gamma(1/2)) = 1 / sqrt(pi)
    res = paired_change([0.0, 1.0, 2.0], [3.0, 2.0, 1.0])
    assert (res["mean_diff"], res["sd_diff"], res["d_z"], res["d_av"]) == (1.0, 2.0, 0.5, 1.0)
    assert res["t"] == pytest.approx(np.sqrt(3) / 2, rel=1e-14)
    assert res["hedges_g"] == pytest.approx(1 / np.sqrt(np.pi), rel=1e-14)


# --- clustered_change -------------------------------------------------------------------
# 10 complete people in 3 cohorts, a person without post (K1) and one without a cohort;
# R: section 3 of tests/reference/survivors_learning.R (vcovCL, coeftest and coefci on
# G - 1 df at 90 %, g's interval the coefci bounds times J(N - 1) / s_av)
CL_COHORT = ["K1", "K1", "K1", "K1", "K2", "K2", "K2", "K3", "K3", "K3", "K1", None]
CL_PRE = [50.0, 60, 55, 62, 40, 45, 52, 70, 65, 68, 58, 30]
CL_POST = [58.0, 66, 57, 70, 48, 50, 60, 71, 70, 80, np.nan, 90]
CL_COLUMNS = [
    "n", "n_clusters", "mean_pre", "mean_post", "mean_diff", "sd_diff", "se", "se_naive",
    "design_effect", "t", "df", "p", "ci_low", "ci_high", "d_z", "hedges_g",
    "hedges_g_ci_low", "hedges_g_ci_high", "hake_g",
]  # fmt: skip


def test_clustered_change_every_column_at_90_percent_matches_r():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the incomplete people are left out silently
        out = clustered_change(CL_PRE, CL_POST, CL_COHORT, max_score=100, ci=0.90)
    assert out.name == "clustered_change" and out.index.tolist() == CL_COLUMNS
    ref = dict(
        n=10.0, n_clusters=3.0, mean_pre=56.7, mean_post=63.0, mean_diff=6.3,
        sd_diff=3.23350515007407, se=0.316069612585582, se_naive=1.02252411001186,
        design_effect=0.0955472901168969, t=19.9323179108025, df=2.0, p=0.00250754350817844,
        ci_low=5.37708128886211, ci_high=7.22291871113789, d_z=1.94835007448672,
        hedges_g=0.572238987265372, hedges_g_ci_low=0.488408817647942,
        hedges_g_ci_high=0.656069156882802, hake_g=0.145496535796767,
    )  # fmt: skip
    for col, value in ref.items():
        assert out[col] == pytest.approx(value, rel=1e-9), col
    # without max_score there is no Hake's g; a Series of pre keeps working by position
    plain = clustered_change(pd.Series(CL_PRE, index=range(50, 62)), CL_POST, CL_COHORT)
    assert np.isnan(plain["hake_g"]) and plain["mean_diff"] == pytest.approx(6.3, rel=1e-12)


@pytest.mark.parametrize(
    ("pre", "post", "message"),
    [
        # gains 1, 1, 1, 1: sd 0 (the CR1 se 0 as well); mean 1
        ([5.0, 5, 6, 6], [6.0, 6, 7, 7], "every pair has the same change (1.0); se, t and p are "
         "undefined"),
        # gains 1, 3 in both cohorts: mean 2, each cohort's residuals -1 + 1 = 0, CR1 se 0
        ([5.0, 5, 6, 6], [6.0, 8, 7, 9], "the cluster-robust se of the mean change is 0 (the "
         "changes' residuals cancel within each cohort); t and p are undefined"),
        # gains -1, 1 in both: mean 0 and se 0 (t = 0 / 0)
        ([5.0, 5, 6, 6], [4.0, 6, 5, 7], "the cluster-robust se of the mean change is 0 (the "
         "changes' residuals cancel within each cohort); t and p are undefined"),
    ],
)  # fmt: skip
def test_clustered_change_refuses_a_zero_cluster_robust_se(pre, post, message):
    # these raised a raw ZeroDivisionError (t = mean / se on floats), the first after
    # paired_change's warning, as clustered_trend did before it refused them
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # refused without a warning first
        with pytest.raises(ParameterError) as err:
            clustered_change(pre, post, ["a", "a", "b", "b"])
    assert str(err.value) == f"clustered_change: {message}"


def test_clustered_change_se_threshold_is_relative_to_the_naive_se():
    # gains 1, 3 + eps in cohort a and 1, 3 in b: the residuals no longer cancel exactly.
    # mean 2 + eps/4; cohort sums of residuals eps/2 and -eps/2, so the CR1 se is
    # sqrt(2 * eps^2 / 2) / 4 = eps / 4, against a naive se of sqrt(4/3) / 2 (to first
    # order in eps): se^2 / naive^2 = 3 eps^2 / 16, 1e-12 at eps = 2.3094e-6
    for eps, refused in ((2.4e-6, False), (2.2e-6, True), (1e-3, False)):
        post = [6.0, 8 + eps, 7, 9]
        if refused:
            with pytest.raises(ParameterError, match="cluster-robust se of the mean change is 0"):
                clustered_change([5.0, 5, 6, 6], post, ["a", "a", "b", "b"])
        else:
            out = clustered_change([5.0, 5, 6, 6], post, ["a", "a", "b", "b"])
            assert out["se"] == pytest.approx(eps / 4, rel=1e-6)
            assert out["t"] == pytest.approx((2 + eps / 4) / (eps / 4), rel=1e-6)


def test_scores_above_the_maximum_are_named_at_their_position_in_the_input():
    # the first pair is incomplete: the over-maximum score is the input's position 1 (it
    # was reported as position 0, counted among the complete pairs)
    with pytest.raises(ParameterError) as err:
        paired_change([50.0, 60, 70], [np.nan, 105, 80], max_score=100)
    assert str(err.value) == (
        "paired_change: parameter 'post' must not exceed max_score, got 105.0 > 100.0 at position 1"
    )
    with pytest.raises(ParameterError) as err:
        paired_change([50.0, 60, 170], [70.0, 105, 80], max_score=[100, 200, 100])
    assert str(err.value) == (
        "paired_change: parameter 'pre' must not exceed max_score, got 170.0 > 100.0 at position 2"
    )
    # clustered_change names itself (it named paired_change) and the input's position
    with pytest.raises(ParameterError) as err:
        clustered_change(
            [50.0, 60, 70, 20], [np.nan, 80, 105, 30], ["a", "a", "b", "b"], max_score=100
        )
    assert str(err.value) == (
        "clustered_change: parameter 'post' must not exceed max_score, got 105.0 > 100.0 at "
        "position 2"
    )
    # a pair left out (no post, no group) is not checked, as before
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = paired_change([150.0, 60, 70], [np.nan, 80, 90], max_score=100)
        by = paired_change([50.0, 60, 70], [150.0, 80, 90], max_score=100, by=[None, "x", "x"])
    assert res["n"] == 2.0 and by.loc["x", "n"] == 2.0


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (([1.0, 2, 3], [2.0, 3, 4], ["a", "b"]), {},
         "parameter 'clusters' must have one cohort per pair (3), got 2"),
        (([1.0, 2, 3], [2.0, 3, 5], ["a", "a", None]), {},
         "needs pairs from at least 2 cohorts, got 1"),
        (([1.0, 2], [2.0], ["a", "b"]), {},
         "parameters 'pre' and 'post' must have the same length (one pair per participant), "
         "got 2 and 1"),
        (([], [], []), {}, "parameters 'pre' and 'post' are empty"),
        (([1.0, 2], [2.0, 3], ["a", "b"]), {"ci": 0}, "parameter 'ci' must be a number in (0, 1), got 0"),
        (([1.0, 2], [2.0, 3], ["a", "b"]), {"max_score": [5, 5, 5]},
         "parameter 'max_score' must be one number or one per pair (2), got 3"),
        (([1.0, 2], [2.0, 3], ["a", "b"]), {"max_score": 2.5},
         "parameter 'post' must not exceed max_score, got 3.0 > 2.5 at position 1"),
        (([1.0, 4], [2.0, 3], ["a", "b"]), {"max_score": 3.5},
         "parameter 'pre' must not exceed max_score, got 4.0 > 3.5 at position 1"),
    ],
)  # fmt: skip
def test_clustered_change_messages_name_the_function(args, kwargs, message):
    with pytest.raises(ParameterError) as err:
        clustered_change(*args, **kwargs)
    assert str(err.value) == f"clustered_change: {message}"


def test_paired_change_spread_that_underflows_leaves_g_and_its_interval_nan():
    # pre 0, s, 0 and post 0, -s, 0 with s = 2.5e-162: the squared deviations of pre and
    # post about their means (s/3, 2s/3) underflow to 0, so s_av = 0 and d_av and g are
    # NaN; those of the differences (0, -2s, 0; about 4s/3) do not, so t is finite. g's
    # interval was -inf to inf (the noncentral limits times J sd(d) / (sqrt(n) * 0)); it is
    # NaN like g, without a numpy warning
    s = 2.5e-162
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = paired_change([0.0, s, 0.0], [0.0, -s, 0.0])
    assert res["sd_diff"] > 0 and np.isfinite(res["t"])
    assert res[["d_av", "hedges_g", "hedges_g_ci_low", "hedges_g_ci_high"]].isna().all()


def test_clustered_change_keeps_cohorts_1_and_text_1_apart_by_hand():
    # gains 1, 4 in cohort 1 and 1, 2 in cohort "1": mean 2, residual sums 1 and -1, so
    # the CR1 se is sqrt(2 / 1 * (1 + 1)) / 4 = 1/2 and t = 4 on 1 df, p = 1 - 2 atan(4) / pi
    out = clustered_change([5.0, 5, 6, 6], [6.0, 9, 7, 8], [1, 1, "1", "1"])
    assert (out["n_clusters"], out["df"], out["mean_diff"]) == (2.0, 1.0, 2.0)
    assert out["se"] == pytest.approx(0.5, rel=1e-14)
    assert out["t"] == pytest.approx(4.0, rel=1e-14)
    assert out["p"] == pytest.approx(1 - 2 * np.arctan(4) / np.pi, rel=1e-12)


def test_clustered_change_g_interval_at_a_mean_change_of_exactly_zero_by_hand():
    # gains -1, 2 in cohort a and -2, 1 in b: mean 0, residual sums 1 and -1, CR1 se
    # sqrt(2 * 2) / 4 = 1/2 on 1 df, where qt(.975, 1) = tan(.475 pi) (Cauchy). g is 0 and
    # its interval (-+ half) J(3) / s_av with J(3) = Gamma(3/2) / (sqrt(3/2) Gamma(1)) =
    # sqrt(pi / 6) and s_av = sqrt((var(pre) + var(post)) / 2) = sqrt((1/3 + 3) / 2); it
    # was NaN (the scale was g / mean)
    out = clustered_change([5.0, 5, 6, 6], [4.0, 7, 4, 7], ["a", "a", "b", "b"])
    half = 0.5 * np.tan(0.475 * np.pi)
    assert (out["mean_diff"], out["hedges_g"], out["se"]) == (0.0, 0.0, 0.5)
    assert out["ci_low"] == pytest.approx(-half, rel=1e-12)
    assert out["ci_high"] == pytest.approx(half, rel=1e-12)
    scale = np.sqrt(np.pi / 6) / np.sqrt((1 / 3 + 3) / 2)
    assert out["hedges_g_ci_low"] == pytest.approx(-half * scale, rel=1e-12)
    assert out["hedges_g_ci_high"] == pytest.approx(half * scale, rel=1e-12)


def test_paired_change_wilcoxon_of_a_single_non_zero_difference_by_hand():
    # differences 0, 0, 3: one non-zero difference, rank 1, V = 1; n(n+1)/4 = 1/2 and
    # n(n+1)(2n+1)/24 = 1/4, so z = (1 - 1/2) / (1/2) = 1 and p = 2 (1 - Phi(1)) = erfc(1/sqrt 2)
    res = paired_change([1.0, 2.0, 3.0], [1.0, 2.0, 6.0])
    assert (res["wilcoxon_n"], res["wilcoxon_w"], res["wilcoxon_z"]) == (1.0, 1.0, 1.0)
    assert res["wilcoxon_p"] == pytest.approx(0.317310507862914, rel=1e-12)


def test_paired_change_without_any_change_has_no_wilcoxon_test():
    # every difference 0: the signed-rank test has nothing to rank (n 0, V, z and p NaN);
    # the two warnings are evalkit's, without numpy's
    with pytest.warns(EvalkitWarning) as record:
        res = paired_change([1.0, 2.0, 4.0], [1.0, 2.0, 4.0])
    assert [str(w.message) for w in record] == [
        "paired_change: 1 group(s) have identical differences; t and d_z NaN",
        "paired_change: 1 group(s) have no non-zero difference; Wilcoxon NaN",
    ]
    assert res["wilcoxon_n"] == 0.0 and res[["wilcoxon_w", "wilcoxon_z", "wilcoxon_p"]].isna().all()


def test_paired_change_hake_gains_of_a_group_that_starts_at_the_maximum():
    # everybody starts at the maximum 10 (one stays, one falls to 8): no room to gain, so
    # Hake's g (-1 / 0) and the mean of individual gains (none counted) are NaN, silently;
    # group k: 4 -> 7 and 6 -> 8 of 10, g = 2.5 / 5 = 1/2, individual 1/2 and 1/2
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = paired_change(
            [10.0, 10.0, 4.0, 6.0], [10.0, 8.0, 7.0, 8.0], max_score=10, by=["j", "j", "k", "k"]
        )
    assert res.loc["j", ["hake_g", "hake_g_mean"]].isna().all()
    assert (res.loc["k", "hake_g"], res.loc["k", "hake_g_mean"]) == (0.5, 0.5)


def test_paired_change_non_numeric_pre_names_the_function_and_column():
    with pytest.raises(ParameterError) as err:
        paired_change(["x", 2.0], [1.0, 2.0])
    assert str(err.value) == (
        "paired_change: column 'pre' must hold numbers, got non-numeric value 'x' (row 0); map "
        "answer labels to numbers first"
    )


def test_clustered_change_non_numeric_post_names_the_function_and_column():
    with pytest.raises(ParameterError) as err:
        clustered_change([1.0, 2.0], [1.0, "y"], ["a", "b"])
    assert str(err.value) == (
        "clustered_change: column 'post' must hold numbers, got non-numeric value 'y' (row 1); "
        "map answer labels to numbers first"
    )


# --- the interval of the noncentrality parameter ---------------------------------------
def _ncp_root(t: float, df: float, target: float) -> float:
    """ncp with P(T <= t | df, ncp) = target, by Brent's method on nct.sf (a second root
    finder on the other tail of scipy's noncentral t), bracketed by stepping out from t."""
    from scipy.optimize import brentq

    def f(ncp: float) -> float:
        return 1 - stats.nct.sf(t, df, ncp) - target

    a, step = float(t), (1.0 if f(t) > 0 else -1.0)  # the cdf falls as ncp grows
    b = a + step
    while np.sign(f(b)) == np.sign(f(a)):
        a, step = b, 2 * step
        b = a + step
    return brentq(f, min(a, b), max(a, b), xtol=1e-14, rtol=1e-14)


def test_ncp_interval_on_a_grid_of_t_and_df_also_at_one_df():
    # at 1 df scipy's nct.cdf is NaN on part of the way (t = 60, ncp -90 to -9): the lower
    # limit of t = 27.5 to 300 was NaN before
    t = np.array([-200, -60, -27.5, -5, -0.5, 0, 0.5, 5, 27.5, 60, 200.0])
    for df in (1.0, 2.0, 4.0, 30.0):
        for level in (0.95, 0.99):
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                low, high = _ncp_interval(t, np.full(t.size, df), level)
            want_low = [_ncp_root(x, df, 0.5 + level / 2) for x in t]
            want_high = [_ncp_root(x, df, 0.5 - level / 2) for x in t]
            np.testing.assert_allclose(low, want_low, rtol=1e-9, atol=1e-9, err_msg=f"{df} {level}")
            np.testing.assert_allclose(
                high, want_high, rtol=1e-9, atol=1e-9, err_msg=f"{df} {level}"
            )
    # no t, or a NaN t: no interval
    low, high = _ncp_interval(np.array([np.nan, np.inf]), np.array([3.0, 3.0]), 0.95)
    assert np.isnan(low).all() and np.isnan(high).all()


def test_two_pairs_far_apart_give_g_and_its_interval_zero():
    # changes 10 and 10.4: t = 51 on 1 df; Hedges' J(1) = Gamma(1/2) / (sqrt(1/2) Gamma(0))
    # = 0, so g and both limits are 0 (as R's effectsize::hedges_g); the limits were NaN
    out = paired_change(pd.Series([1.0, 2.0]), pd.Series([11.0, 12.4]))
    assert out["t"] == pytest.approx(51, rel=1e-12)
    assert (out["hedges_g"], out["hedges_g_ci_low"], out["hedges_g_ci_high"]) == (0, 0, 0)


# --- the last survivors of the whole-module run -----------------------------------------
def test_clustered_change_of_proportions_by_hand():
    # scores on a 0-1 scale (spread below 1); cohorts A, A, B, B, C, C
    a = np.array([0.2, 0.4, 0.5, 0.3, 0.6, 0.1])
    b = np.array([0.5, 0.6, 0.6, 0.7, 0.7, 0.4])
    cohorts = ["A", "A", "B", "B", "C", "C"]
    out = clustered_change(a, b, cohorts, ci=0.9)
    d = b - a
    e = d - d.mean()
    se = np.sqrt(3 / 2 * sum(e[i : i + 2].sum() ** 2 for i in (0, 2, 4))) / 6  # CR1, G = 3
    half = stats.t.ppf(0.95, 2) * se
    nu = 5.0  # Hedges' J on n - 1 df
    j = special.gamma(nu / 2) / (np.sqrt(nu / 2) * special.gamma((nu - 1) / 2))
    s_av = np.sqrt((a.var(ddof=1) + b.var(ddof=1)) / 2)
    np.testing.assert_allclose(
        out[["se", "ci_low", "ci_high", "hedges_g_ci_low", "hedges_g_ci_high"]].to_numpy(float),
        [se, d.mean() - half, d.mean() + half, (d.mean() - half) * j / s_av,
         (d.mean() + half) * j / s_av], rtol=1e-12,
    )  # fmt: skip


def test_clustered_change_refuses_spreads_that_underflow():
    # the spreads of pre and post (1e-170) square to 0: the se is 0 too, and refused
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EvalkitWarning)  # paired_change: identical differences
        with pytest.raises(ParameterError) as err:
            clustered_change([0, 1e-170, 0, 1e-170], [1e-170, 0, 0, 2e-170], ["A", "A", "B", "B"])
    assert str(err.value) == (
        "clustered_change: the cluster-robust se of the mean change is 0 (the changes' "
        "residuals cancel within each cohort); t and p are undefined"
    )


def test_clustered_change_checks_max_score_only_on_the_pairs_it_analyses():
    # the last pair has no cohort: its pre 12 above the maximum 10 is not an error
    out = clustered_change([2, 4, 5, 3, 12], [5, 6, 6, 8, 12], ["A", "A", "B", "B", None], 10)
    assert out["n"] == 4 and out["mean_diff"] == 2.75


def test_flat_groups_keep_numeric_columns():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EvalkitWarning)
        # no non-zero difference anywhere: the Wilcoxon columns are NaN numbers
        flat = paired_change(pd.Series([3.0, 4, 5]), pd.Series([3.0, 4, 5]))
        # group B starts at the maximum: its Hake g is NaN, a number
        ceiling = paired_change(
            pd.Series([2.0, 4, 10, 10]), pd.Series([5.0, 6, 10, 10]), max_score=10,
            by=pd.Series(list("AABB")),
        )  # fmt: skip
    assert flat.dtype == np.float64 and flat[["wilcoxon_w", "wilcoxon_p"]].isna().all()
    assert flat["wilcoxon_n"] == 0
    assert ceiling["hake_g"].dtype == np.float64 and np.isnan(ceiling.loc["B", "hake_g"])
    assert ceiling.loc["A", "hake_g"] == pytest.approx(2.5 / (10 - 3), rel=1e-15)


def test_pass_rate_of_an_array_takes_a_series_by_position():
    out = pass_rate(np.array([50, 80, 90.0]), 70, by=pd.Series(["x", "y", "y"], index=[7, 8, 9]))
    assert out["n"].tolist() == [1, 2] and out["pass_rate"].tolist() == [0, 1]
