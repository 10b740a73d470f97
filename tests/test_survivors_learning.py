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

from evalkit.errors import EvalkitWarning, ParameterError
from evalkit.metrics.learning import ancova, hake_band, normalized_gain, pass_rate


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
