"""Survivors of mutation testing of evalkit.metrics.knowledge_test (see mutation/README.md).

Each test pins a label, number, default or message that a mutant of ``knowledge_test.py``
changed without any other test noticing. Expected values are hand calculations written
beside them: the interval rules of the docstrings (difficulty ideal .30-.70, Ebel-Frisbie
discrimination bands) and the upper-lower 27% rule (Kelley 1939) on tables small enough
to count by hand.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from evalkit.errors import ParameterError
from evalkit.metrics import knowledge_test as kt
from evalkit.metrics.knowledge_test import difficulty_flag, discrimination_flag, test_item_analysis


def _is_nan(value) -> bool:
    return isinstance(value, float) and np.isnan(value)


# --- the flags --------------------------------------------------------------------------
def test_difficulty_flag_interval_touching_the_upper_bound_is_uncertain():
    # [.70, .90] starts at the bound .70: not wholly above it, so not "easy"; [.71, .90] is
    out = difficulty_flag([0.70, 0.71, 0.10], [0.90, 0.90, 0.30])
    # [.10, .30] ends at the lower bound .30: not wholly below it
    assert out.tolist() == ["uncertain", "easy", "uncertain"]


def test_flags_of_missing_intervals_are_nan_also_from_none():
    # intervals from an object column (None for a missing bound) are read as floats
    diff = difficulty_flag([None, 0.4], [None, 0.6])
    assert _is_nan(diff[0]) and diff[1] == "ideal"
    disc = discrimination_flag([None, 0.45], [None, 0.9])
    assert _is_nan(disc[0]) and disc[1] == "very good"


# --- test_item_analysis: parameters ---------------------------------------------------------
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"ci": 95}, "parameter 'ci' must be a number in (0, 1), got 95"),
        ({"fraction": "0.3"}, "parameter 'fraction' must be in (0, 0.5], got '0.3'"),
        ({"fraction": 0}, "parameter 'fraction' must be in (0, 0.5], got 0"),
    ],
)
def test_test_item_analysis_parameter_messages(kwargs, message):
    wide = pd.DataFrame({"i1": [1, 1, 0, 0], "i2": [1, 0, 1, 0]})
    with pytest.raises(ParameterError) as err:
        test_item_analysis(wide, **kwargs)
    assert str(err.value) == "test_item_analysis: " + message


def test_test_item_analysis_half_the_examinees_in_each_group():
    # fraction 0.5 is allowed: totals 2, 1, 1, 0; m = floor(0.5 x 4 + 0.5) = 2; the cuts are
    # the 2nd lowest and 2nd highest total, both 1, so the ties at 1 are in both groups:
    # upper = examinees 1-3, lower = examinees 2-4
    wide = pd.DataFrame({"i1": [1, 1, 0, 0], "i2": [1, 0, 1, 0]})
    res = test_item_analysis(wide, fraction=0.5, n_boot=0)
    # i1: upper 1, 1, 0 -> 2/3; lower 1, 0, 0 -> 1/3; D = 1/3 (i2 the same)
    np.testing.assert_allclose(res["p_upper"], [2 / 3, 2 / 3], rtol=1e-15)
    np.testing.assert_allclose(res["p_lower"], [1 / 3, 1 / 3], rtol=1e-15)
    np.testing.assert_allclose(res["discrimination"], [1 / 3, 1 / 3], rtol=1e-15)


def test_test_item_analysis_last_group_left_empty_is_nan_without_numpy_warnings():
    # group c's two examinees each left an item unanswered: c has no complete examinee.
    # a (3 examinees): totals 2, 1, 0; m = floor(0.27 x 3 + 0.5) = 1: upper = examinee 1
    # (1, 1), lower = examinee 3 (0, 0): D = 1, 1; p = 2/3, 1/3.
    # b (2 examinees, i1 = 1, 0 and i2 = 1, 1): totals 2, 1; m = 1: upper (1, 1), lower
    # (0, 1): D = 1, 0; p = 1/2, 1 (i2 answered alike)
    wide = pd.DataFrame({"i1": [1, 1, 0, 1, 0, 1, np.nan], "i2": [1, 0, 0, 1, 1, np.nan, 1]})
    groups = pd.Series(["a", "a", "a", "b", "b", "c", "c"])
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        res = test_item_analysis(wide, by=groups, n_boot=20)
    start = "test_item_analysis: "
    assert [(w.category.__name__, str(w.message)) for w in record] == [
        ("EvalkitWarning", start + "2 examinee(s) with an unanswered item were left out"),
        ("EvalkitWarning", start + "1 group(s) have fewer than 2 examinees; NaN there"),
        (
            "EvalkitWarning",
            start + "item(s) ['i2'] were answered alike by everybody; their correlations are NaN",
        ),
    ]
    assert res["n"].tolist() == [3.0, 3.0, 2.0, 2.0, 0.0, 0.0]
    np.testing.assert_allclose(res["difficulty"].iloc[:4], [2 / 3, 1 / 3, 0.5, 1.0], rtol=1e-15)
    assert res["p_upper"].iloc[:4].tolist() == [1.0, 1.0, 1.0, 1.0]
    assert res["p_lower"].iloc[:4].tolist() == [0.0, 0.0, 0.0, 1.0]
    assert res["discrimination"].iloc[:4].tolist() == [1.0, 1.0, 1.0, 0.0]
    numbers = res.columns.drop(["difficulty_band", "discrimination_band"])
    numbers = numbers.drop(["n", "difficulty_flag", "discrimination_flag"])
    assert (res[numbers].dtypes == np.float64).all()  # NaN, never None, in the number columns
    assert res.loc["c", numbers].isna().all().all()


def test_test_item_analysis_draws_1000_resamples_by_default(monkeypatch):
    # the docstring: "n_boot : int, default 1000" (resamples of examinees for D's interval)
    drawn = []
    original = kt.discrimination_resamples

    def spy(matrix, indices, fraction):
        drawn.append(indices.shape)
        return original(matrix, indices, fraction)

    monkeypatch.setattr(kt, "discrimination_resamples", spy)
    test_item_analysis(pd.DataFrame({"i1": [1, 1, 0, 0], "i2": [1, 0, 1, 0]}))
    assert drawn == [(1000, 4)]


def test_test_item_analysis_kr20_is_nan_when_every_total_is_the_same():
    # totals 2, 2, 2, 2: s_X^2 = 0, so KR-20 = k/(k-1) (1 - sum pq / 0) is undefined;
    # i3 (everybody right) is named in the warning
    wide = pd.DataFrame({"i1": [1, 0, 1, 0], "i2": [0, 1, 0, 1], "i3": [1, 1, 1, 1]})
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        res = test_item_analysis(wide, n_boot=0)
    assert [str(w.message) for w in record] == [
        "test_item_analysis: item(s) ['i3'] were answered alike by everybody; "
        "their correlations are NaN"
    ]
    assert res["kr20"].isna().all() and res["kr20_ci_low"].isna().all()
    assert res["difficulty"].tolist() == [0.5, 0.5, 1.0]


def test_test_item_analysis_kr20_of_a_small_total_variance():
    # i1 = 1, 1, 1, 0 and i2 = 1, 1, 0, 0: totals 2, 2, 1, 0, s_X^2 = 2.75 / 3 = 11/12;
    # s_1^2 = 4/3 x .75 x .25 = 1/4, s_2^2 = 4/3 x .5 x .5 = 1/3 (the same n - 1 denominator);
    # KR-20 = 2 (1 - (7/12) / (11/12)) = 8/11
    wide = pd.DataFrame({"i1": [1, 1, 1, 0], "i2": [1, 1, 0, 0]})
    res = test_item_analysis(wide, n_boot=0)
    np.testing.assert_allclose(res["kr20"], [8 / 11, 8 / 11], rtol=1e-14)


def test_test_item_analysis_columns_are_the_documented_ones():
    # the columns the docstring lists, each flag beside its interval
    wide = pd.DataFrame({"i1": [1, 1, 1, 0], "i2": [1, 1, 0, 0]})
    res = test_item_analysis(wide, n_boot=0)
    assert list(res.columns) == [
        "n", "difficulty", "difficulty_band", "p_upper", "p_lower", "discrimination",
        "discrimination_band", "point_biserial", "r_drop", "kr20_if_dropped", "kr20",
        "difficulty_ci_low", "difficulty_ci_high", "difficulty_flag",
        "discrimination_ci_low", "discrimination_ci_high", "discrimination_flag",
        "point_biserial_ci_low", "point_biserial_ci_high", "r_drop_ci_low", "r_drop_ci_high",
        "kr20_ci_low", "kr20_ci_high",
    ]  # fmt: skip
    assert res.index.name == "item"


def test_test_item_analysis_intervals_at_90_percent_match_r():
    # the docstring's example matrix (8 examinees x 3 items); tests/reference/survivors.R
    wide = pd.DataFrame(
        {
            "i1": [1, 1, 1, 0, 1, 0, 1, 1],
            "i2": [1, 1, 0, 0, 1, 0, 0, 1],
            "i3": [1, 0, 1, 0, 0, 0, 1, 1],
        }
    )
    row = test_item_analysis(wide, ci=0.90, n_boot=0).loc["i1"]
    # cor.test(kt$i1, total, conf.level = 0.90)$conf.int
    assert row["point_biserial_ci_low"] == pytest.approx(0.717395522792357, rel=1e-9)
    assert row["point_biserial_ci_high"] == pytest.approx(0.982792557118844, rel=1e-9)
    # cor.test(kt$i1, total - kt$i1, conf.level = 0.90)$conf.int
    assert row["r_drop_ci_low"] == pytest.approx(0.388994685906353, rel=1e-9)
    assert row["r_drop_ci_high"] == pytest.approx(0.954653422705929, rel=1e-9)
    # psych::alpha(kt)$total$raw_alpha; psych::alpha.ci(kr20, 8, 3, p.val = 0.10)
    assert row["kr20"] == pytest.approx(0.631578947368421, rel=1e-9)
    assert row["kr20_ci_low"] == pytest.approx(-0.0183891998656447, rel=1e-9)
    assert row["kr20_ci_high"] == pytest.approx(0.895608700355248, rel=1e-9)
