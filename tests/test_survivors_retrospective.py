"""Tests that kill the survivors of the mutation run of evalkit.metrics.retrospective.

Reference values are hand calculations from PTIA's rules (``RespondenKuesionerController::
store``: points = conversion x weight / 100, rounded half away from zero to 2 decimals),
written beside each test, with the weights of :data:`evalkit.constants.PTIA_ASPECTS`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evalkit.errors import ParameterError
from evalkit.metrics.retrospective import php_round, ptia_band, ptia_scores, ptia_summary


def _rows(**cols) -> pd.DataFrame:
    base = {"cohort_id": "A", "months_after": 3}
    return pd.DataFrame({**base, **cols})


def test_ptia_scores_errors_name_the_function():
    r = _rows(participant_id="p", rater="self", aspect=["motivasi"], item=["a"],
              rating_before=[1], rating_now=[5])  # fmt: skip
    with pytest.raises(ParameterError, match=r"^ptia_scores: column 'rating_now'"):
        ptia_scores(r)
    with pytest.raises(ParameterError, match=r"^ptia_scores: rows without a weight"):
        ptia_scores(r.assign(aspect="lain", rating_now=4))
    bad = {"motivasi": ("Motivasi", 3, "other", 8.94, 8.44)}
    with pytest.raises(ParameterError, match=r"^ptia_scores: parameter 'aspects'"):
        ptia_scores(r.assign(rating_now=4), aspects=bad)


def test_ptia_scores_keep_people_whose_changes_are_all_negative():
    # p: implementasi ("delta") change -1 -> not in the table -> 0 points;
    # q: berbagi_ilmu ("perception") change -2 -> 0 points; both stay in the output with 0.
    # s: motivasi change 1 -> 63 x 8.94 / 100 = 5.6322 -> 5.63.
    r = _rows(participant_id=["p", "q", "s"], rater="self",
              aspect=["implementasi", "berbagi_ilmu", "motivasi"], item=list("abc"),
              rating_before=[3, 4, 1], rating_now=[2, 2, 2])  # fmt: skip
    s = ptia_scores(r).set_index("participant_id")
    assert s.index.tolist() == ["p", "q", "s"]
    assert s["self_l3"].tolist() == pytest.approx([0.0, 0.0, 5.63], abs=1e-12)
    assert s["level3"].tolist() == pytest.approx([0.0, 0.0, 5.63], abs=1e-12)


def test_ptia_scores_with_only_supervisor_ratings():
    # supervisor implementasi change 2 -> 88 x 23.04 / 100 = 20.2752 -> 20.28
    r = _rows(participant_id="p", rater="supervisor", aspect=["implementasi"], item=["a"],
              rating_before=[1], rating_now=[3])  # fmt: skip
    s = ptia_scores(r)
    assert len(s) == 1
    row = s.iloc[0]
    assert row["supervisor_l3"] == pytest.approx(20.28, abs=1e-12)
    assert row["self_l3"] == 0.0 and row["level3"] == pytest.approx(20.28, abs=1e-12)
    assert bool(row["has_supervisor"]) and not bool(row["has_self"])


def test_ptia_scores_categorical_columns_do_not_invent_raters():
    # p: self motivasi change 2 -> 88 x 8.94 / 100 = 7.8672 -> 7.87; supervisor
    # implementasi change 2 -> 88 x 23.04 / 100 = 20.2752 -> 20.28; q: self only,
    # implementasi change 1 -> 63 x 24.41 / 100 = 15.3783 -> 15.38.
    r = _rows(participant_id=["p", "p", "q"], rater=["self", "supervisor", "self"],
              aspect=["motivasi", "implementasi", "implementasi"], item=list("abc"),
              rating_before=[2, 1, 2], rating_now=[4, 3, 3])  # fmt: skip
    r["rater"] = r["rater"].astype("category")
    r["aspect"] = r["aspect"].astype("category")
    r["participant_id"] = r["participant_id"].astype("category")
    s = ptia_scores(r).set_index("participant_id")
    assert s["self_l3"].tolist() == pytest.approx([7.87, 15.38], abs=1e-12)
    assert s["supervisor_l3"].tolist() == pytest.approx([20.28, 0.0], abs=1e-12)
    assert s["level3"].tolist() == pytest.approx([28.15, 15.38], abs=1e-12)
    assert s["has_supervisor"].tolist() == [True, False]
    assert s["has_self"].tolist() == [True, True]


def test_ptia_scores_without_app_rounding_keep_the_level_sum_unrounded():
    # self motivasi 2 -> 88 x 8.94 / 100 = 7.8672; implementasi mean 1.5 -> 2 ->
    # 88 x 24.41 / 100 = 21.4808; berbagi_ilmu 3 -> 83 x 7.62 / 100 = 6.3246: 35.6726
    r = _rows(participant_id="p", rater="self",
              aspect=["motivasi", "implementasi", "implementasi", "berbagi_ilmu"],
              item=list("abcd"), rating_before=[2, 1, 2, 1], rating_now=[4, 3, 3, 4])  # fmt: skip
    raw = ptia_scores(r, app_rounding=False).iloc[0]
    assert raw["level3"] == pytest.approx(35.6726, abs=1e-12)
    assert ptia_scores(r).iloc[0]["level3"] == pytest.approx(7.87 + 21.48 + 6.32, abs=1e-12)
    assert np.isfinite(raw["level4"])


def test_ptia_level4_sums_both_raters_rounded_as_the_app():
    # hasil (level 4) change 1: self 63 x 37.95 / 100 = 23.9085 -> 23.91, supervisor
    # 63 x 35.82 / 100 = 22.5666 -> 22.57; level4 = round(23.91 + 22.57, 2) = 46.48
    # (the float sum is 46.480000000000004); unrounded 23.9085 + 22.5666 = 46.4751.
    r = _rows(participant_id="p", rater=["self", "supervisor"], aspect="hasil",
              item=["a", "a"], rating_before=[2, 2], rating_now=[3, 3])  # fmt: skip
    s = ptia_scores(r).iloc[0]
    assert s["level4"] == 46.48
    assert s["self_l4"] == 23.91 and s["supervisor_l4"] == 22.57
    assert ptia_scores(r, app_rounding=False).iloc[0]["level4"] == pytest.approx(46.4751, abs=1e-12)
    assert bool(s["has_self"]) and bool(s["has_supervisor"])


def test_ptia_levels_are_capped_at_100():
    # weight 60 for each rater, change 3 -> 100 x 60 / 100 = 60 each: 120, capped at 100
    r = _rows(participant_id="p", rater=["self", "supervisor"] * 2,
              aspect=["motivasi", "motivasi", "hasil", "hasil"], item=list("aabb"),
              rating_before=1, rating_now=4, weight=60.0)  # fmt: skip
    for rounding in (True, False):
        s = ptia_scores(r, app_rounding=rounding).iloc[0]
        assert s["self_l3"] == 60.0 and s["supervisor_l4"] == 60.0
        assert s["level3"] == 100.0 and s["level4"] == 100.0
        assert s["band3"] == "Sangat berdampak"


def test_php_round_nudge_is_relative_and_small():
    # PHP: round(10000.005, 2) = 10000.01 although 10000.005 * 100 = 1000000.4999999999;
    # round(0.4999999985) = 0 (the nudge is 1e-9 x max(1, |x| x 10^d), far below 1.5e-9 here)
    assert float(php_round(10000.005, 2)) == 10000.01
    assert float(php_round(0.4999999985)) == 0.0
    assert float(php_round(-0.4999999985)) == 0.0


def test_php_round_and_ptia_band_take_lists_with_missing_values():
    # a list with None: numbers rounded / banded, the missing one NaN / None
    out = php_round([2.5, None, "1.5"])
    assert out[0] == 3.0 and np.isnan(out[1]) and out[2] == 2.0
    assert ptia_band([30.0, None, "80"]).tolist() == ["Kurang berdampak", None, "Sangat berdampak"]


def test_ptia_band_of_minus_infinity_is_the_lowest():
    # every score that is not missing has a band; -inf lies below 25
    assert ptia_band(np.array([-np.inf, -5.0])).tolist() == ["Tidak berdampak"] * 2


def test_ptia_summary_by_groups_is_rs_t_interval_per_group():
    # tests/reference/survivors_retrospective.R: t.test(c(10, 20, 30)): mean 20, conf.int -4.8413771175033009 44.8413771175032991,
    # p 0.0741799002274485; t.test(c(40, 60, 65)): mean 55, conf.int 22.1379469613578586
    # 87.8620530386421450, p 0.0187432948074132 (the text "n/a" is coerced to missing)
    s = pd.DataFrame({"grp": ["b", "a", "b", "a", "a", "b", "b"],
                      "h": ["x", "y", "x", "y", "y", "x", "x"],
                      "level3": [40, 10, 60, 20, 30, 65, "n/a"]})  # fmt: skip
    for by in ("grp", ["grp"]):
        out = ptia_summary(s, by=by)
        assert out.index.tolist() == ["a", "b"] and out.index.names == ["grp"]
        assert out["n"].tolist() == [3.0, 3.0]
        assert out["mean"].tolist() == pytest.approx([20.0, 55.0], rel=1e-12)
        assert out["ci_low"].tolist() == pytest.approx(
            [-4.8413771175033009, 22.1379469613578586], rel=1e-12)  # fmt: skip
        assert out["ci_high"].tolist() == pytest.approx(
            [44.8413771175032991, 87.8620530386421450], rel=1e-12)  # fmt: skip
        assert out["p"].tolist() == pytest.approx([0.0741799002274485, 0.0187432948074132],
                                                  rel=1e-9)  # fmt: skip
        assert out["band"].tolist() == [
            "Tidak berdampak",
            "Cukup berdampak",
        ]  # 20 <= 25; 50 < 55 <= 75
    two = ptia_summary(s, by=["grp", "h"])
    assert two.index.names == ["grp", "h"]
    assert two.index.tolist() == [("a", "y"), ("b", "x")]
    assert two["mean"].tolist() == pytest.approx([20.0, 55.0], rel=1e-12)


def test_ptia_summary_nullable_integers_and_errors():
    # mean of 10, 20, 30 (one missing) = 20, as above
    s = pd.DataFrame({"level3": pd.array([10, None, 20, 30], dtype="Int64"),
                      "g": ["a"] * 4})  # fmt: skip
    assert ptia_summary(s).loc["all", "mean"] == 20.0
    assert ptia_summary(s, by="g").loc["a", "n"] == 3.0
    with pytest.raises(ParameterError, match=r"^ptia_summary: scores has no column"):
        ptia_summary(s, score="level4")
    with pytest.raises(ParameterError, match=r"^ptia_summary: parameter 'ci'"):
        ptia_summary(s, ci=2)


def test_ptia_summary_of_float32_scores_is_computed_in_double():
    # mean of 1, 2, 2 = 5 / 3; sd = sqrt(((2/3)^2 + 2 (1/3)^2) / 2) = sqrt(1/3)
    s = pd.DataFrame({"level3": np.array([1.0, 2.0, 2.0], dtype=np.float32), "grp": "a"})
    for out in (ptia_summary(s).loc["all"], ptia_summary(s, by="grp").loc["a"]):
        assert out["mean"] == pytest.approx(5 / 3, rel=1e-14)
        assert out["sd"] == pytest.approx(np.sqrt(1 / 3), rel=1e-14)
