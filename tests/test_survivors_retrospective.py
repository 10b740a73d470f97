"""Tests that kill the survivors of the mutation run of evalkit.metrics.retrospective.

Reference values are hand calculations from PTIA's rules (``RespondenKuesionerController::
store``: points = conversion x weight / 100, rounded half away from zero to 2 decimals),
written beside each test, with the weights of :data:`evalkit.constants.PTIA_ASPECTS`.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from evalkit.errors import ParameterError
from evalkit.metrics.retrospective import (
    _paired,
    _t_summary,
    php_round,
    ptia_band,
    ptia_scores,
    ptia_summary,
    rater_gap,
    response_shift,
    retrospective_change,
    retrospective_index,
    retrospective_levels,
)


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


# --- the t summaries, the levels and the index's weights ---------------------------------
def test_t_summary_at_its_boundaries_by_hand():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no NumPy warning at n = 0, 1 or a zero spread
        none, one = _t_summary(np.array([]), 0.95), _t_summary(np.array([3.0]), 0.95)
        two = _t_summary(np.array([np.nan, 1.0, 3.0]), 0.9)  # NaN dropped
        flat, zero = _t_summary(np.array([2.0, 2.0]), 0.9), _t_summary(np.zeros(2), 0.9)
    assert none["n"] == 0 and np.isnan([none["mean"], none["sd"], none["p"]]).all()
    assert one["mean"] == 3 and np.isnan([one["sd"], one["se"], one["t"], one["p"]]).all()
    assert np.isnan([one["ci_low"], one["ci_high"]]).all()
    # 1 and 3: mean 2, sd sqrt(2), se 1, t 2 on 1 df
    assert (two["n"], two["mean"], two["se"], two["t"], two["df"]) == (2, 2, 1, 2, 1)
    assert two["sd"] == pytest.approx(np.sqrt(2), rel=1e-15)
    assert two["p"] == pytest.approx(2 * stats.t.sf(2, 1), rel=1e-12)
    assert two["ci_high"] == pytest.approx(2 + stats.t.ppf(0.95, 1), rel=1e-12)
    assert (flat["t"], flat["p"]) == (np.inf, 0) and np.isnan(zero["t"])


def test_paired_effect_size_by_hand():
    s = _paired(np.array([0.1, 0.2, 0.4]), 0.9)  # a spread below 1
    assert s["d_z"] == pytest.approx((0.7 / 3) / np.std([0.1, 0.2, 0.4], ddof=1), rel=1e-12)
    assert np.isnan(_paired(np.array([2.0, 2.0]), 0.9)["d_z"])  # no spread: no d_z
    assert np.isnan(_paired(np.array([2.0]), 0.9)["d_z"])


# p1 rated by a supervisor, p2 and p3 by themselves, on motivasi (m1) and implementasi (i1)
LEVELS = pd.DataFrame(
    {"cohort_id": "A", "participant_id": ["p1", "p1", "p2", "p2", "p3", "p3"],
     "months_after": 3, "rater": ["supervisor"] * 2 + ["self"] * 4,
     "aspect": ["motivasi", "implementasi"] * 3, "item": ["m1", "i1"] * 3,
     "rating_before": [1, 2, 2, 1, 3, 2], "rating_now": [4, 3, 3, 4, 4, 3],
     "note": [None, "x", None, "y", None, "z"]}
)  # fmt: skip


def test_levels_by_hand_sorted_by_rater():
    out = retrospective_levels(LEVELS, weights=None, ci=0.9)
    assert out.columns.tolist() == ["rater", "measure", "n", "mean", "sd", "se", "ci_low",
                                    "ci_high"]  # fmt: skip
    assert out[["rater", "measure"]].values.tolist() == [
        ["self", "before"],
        ["self", "now"],
        ["supervisor", "before"],
        ["supervisor", "now"],
    ]
    # self before: POMP (mean - 1) / 3 x 100 of p2 (1.5) and p3 (2.5): 16.67 and 50
    before = np.array([50 / 3, 50.0])
    row = out.iloc[0]
    assert row["n"] == 2 and row["mean"] == pytest.approx(before.mean(), rel=1e-12)
    assert row["sd"] == pytest.approx(before.std(ddof=1), rel=1e-12)
    assert row["se"] == pytest.approx(50 / 3, rel=1e-12)
    assert row["ci_low"] == pytest.approx(before.mean() - stats.t.ppf(0.95, 1) * 50 / 3, rel=1e-12)
    # the supervisor rated one person: a mean, no spread
    assert out.iloc[2]["mean"] == pytest.approx(50 / 3) and np.isnan(out.iloc[2]["sd"])
    # with PTIA's weights the means differ (motivasi and implementasi weigh differently)
    assert retrospective_levels(LEVELS).iloc[0]["mean"] != pytest.approx(row["mean"])
    with pytest.raises(ParameterError) as err:
        retrospective_levels(LEVELS, ci=2)
    assert str(err.value) == "retrospective_levels: parameter 'ci' must be in (0, 1), got 2"


def test_index_reads_text_ratings_and_given_weights_where_they_are():
    # a text rating is no rating (the row is left out); a weight column fills what it gives
    text = LEVELS.astype({"rating_now": object})
    text.loc[0, "rating_now"] = "empat"
    out = retrospective_index(text, weights=None)
    assert out["n_items"].tolist() == [1, 2, 2]
    weighted = LEVELS.assign(weight=[1.0, 3.0, None, None, "x", None])
    got = retrospective_index(weighted)
    assert got.dtypes[["before", "now", "change"]].eq(np.float64).all()
    # p1 (supervisor): motivasi 1 -> 4 weighs 1, implementasi 2 -> 3 weighs 3
    assert got.loc[0, "before"] == pytest.approx(((1 * 1 + 2 * 3) / 4 - 1) / 3 * 100, rel=1e-12)
    plain = retrospective_index(LEVELS)
    np.testing.assert_allclose(got.loc[1:, "before"], plain.loc[1:, "before"], rtol=1e-15)


def test_index_messages():
    with pytest.raises(ParameterError) as err:
        retrospective_index(LEVELS.drop(columns="aspect"))
    assert str(err.value) == (
        "retrospective_index: retrospective has no column(s) ['aspect']; available: "
        "['cohort_id', 'participant_id', 'months_after', 'rater', 'item', 'rating_before', "
        "'rating_now', 'note']"
    )
    unknown = LEVELS.assign(aspect=[f"lain{i}" for i in range(6)])
    with pytest.raises(ParameterError) as err:
        retrospective_index(unknown)
    assert str(err.value).startswith(
        "retrospective_index: rows without a weight: aspects ['lain0', 'lain1', 'lain2', "
        "'lain3', 'lain4'] are not PTIA aspects"
    )
    bad = {"motivasi": ("Motivasi", 3, "other", 8.94, 8.44)}
    with pytest.raises(ParameterError) as err:
        retrospective_index(LEVELS, aspects=bad)
    assert str(err.value) == (
        "retrospective_index: parameter 'aspects' has a criterion other than 'delta' or "
        "'perception'"
    )


# --- change, the raters' gap and the response shift -------------------------------------
# one item (implementasi), weights=None: POMP = (rating - 1) / 3 x 100. Supervisors first.
#            self before, now     supervisor before, now
#   p1       1, 3                 1, 2
#   p2       2, 3                 2, 4
#   p3       2, 4                 1, 3
PAIRS = pd.DataFrame(
    {"angkatan": "A", "nip": ["p1", "p2", "p3"] * 2, "bulan": 3,
     "rater": ["supervisor"] * 3 + ["self"] * 3, "aspect": "implementasi", "item": "i1",
     "rating_before": [1, 2, 1, 1, 2, 2], "rating_now": [2, 4, 3, 3, 3, 4],
     "unit": ["U2", "U1", "U2"] * 2}
)  # fmt: skip
NAMES = {"participant": "nip", "cohort": "angkatan", "months": "bulan"}
THIRD = 100 / 3


def test_change_by_an_extra_column_by_hand():
    for by in ("unit", ["unit"]):
        out = retrospective_change(PAIRS, by=by, weights=None, **NAMES)
        assert out.index.names == ["unit", "rater"]
        assert out.index.tolist() == [("U1", "self"), ("U1", "supervisor"), ("U2", "self"),
                                      ("U2", "supervisor")]  # fmt: skip
        # U2 self: p1 and p3 change 2 points each (66.7); supervisor p1 1, p3 2
        u2 = out.loc[("U2", "supervisor")]
        assert (u2["n"], u2["mean_change"]) == (2, pytest.approx(1.5 * THIRD, rel=1e-12))
        assert u2["d_z"] == pytest.approx(1.5 / np.std([1, 2], ddof=1), rel=1e-12)
    out = retrospective_change(PAIRS, weights=None, **NAMES)
    assert out.index.name == "rater" and out.index.tolist() == ["self", "supervisor"]
    assert out.loc["self", "mean_change"] == pytest.approx(5 / 3 * THIRD, rel=1e-12)
    with pytest.raises(ParameterError) as err:
        retrospective_change(PAIRS, by="nope", **NAMES)
    assert str(err.value).startswith(
        "retrospective_change: retrospective has no column(s) ['nope']; available: "
    )
    with pytest.raises(ParameterError) as err:
        retrospective_change(PAIRS, ci=2, **NAMES)
    assert str(err.value) == "retrospective_change: parameter 'ci' must be in (0, 1), got 2"


def test_rater_gap_by_hand():
    out = rater_gap(PAIRS, weights=None, ci=0.9, **NAMES)
    assert out.index.name == "measure" and out.index.tolist() == ["before", "now", "change"]
    assert out.columns.tolist() == ["n", "mean_self", "mean_supervisor", "gap", "sd", "se",
                                    "t", "df", "p", "ci_low", "ci_high"]  # fmt: skip
    # supervisor - self, in points: before 0, 0, -1; now -1, 1, -1; change -1, 1, 0
    for measure, gaps in (("before", [0, 0, -1]), ("now", [-1, 1, -1]), ("change", [-1, 1, 0])):
        g = np.array(gaps) * THIRD
        row = out.loc[measure]
        se = g.std(ddof=1) / np.sqrt(3)
        np.testing.assert_allclose(
            row[["gap", "sd", "se", "df"]].to_numpy(float), [g.mean(), g.std(ddof=1), se, 2],
            rtol=1e-12, atol=1e-12, err_msg=measure,
        )  # fmt: skip
        if se > 0:
            assert row["t"] == pytest.approx(g.mean() / se, abs=1e-12)
    assert out.loc["now", "mean_self"] == pytest.approx(7 / 3 * THIRD, rel=1e-12)
    assert out.loc["now", "mean_supervisor"] == pytest.approx(2 * THIRD, rel=1e-12)
    # two people rated by both are enough; one is not
    assert rater_gap(PAIRS[PAIRS["nip"] != "p3"], **NAMES).loc["now", "n"] == 2
    with pytest.raises(ParameterError) as err:
        rater_gap(PAIRS[PAIRS["nip"] == "p1"], **NAMES)
    assert str(err.value) == (
        "rater_gap: needs at least 2 people rated by both self and supervisor, got 1"
    )
    with pytest.raises(ParameterError) as err:
        rater_gap(PAIRS[PAIRS["rater"] == "self"], **NAMES)
    assert str(err.value) == "rater_gap: needs both self and supervisor ratings"
    with pytest.raises(ParameterError) as err:
        rater_gap(PAIRS, ci=2, **NAMES)
    assert str(err.value) == "rater_gap: parameter 'ci' must be in (0, 1), got 2"


def test_response_shift_by_hand():
    # self's retrospective "before" (PAIRS) against a prospective pre-test at wave 0 on a
    # 1-5 scale given as text: p1 "2", p2 "4", p3 "3" -> POMP 25, 75, 50
    pre = pd.DataFrame({"angkatan": "A", "nip": ["p1", "p2", "p3", "p4"], "bulan": "0",
                        "rater": "self", "item": "i1", "score": ["2", "4", "3", "lima"],
                        "scale_max": ["5", "5", "5", "5"]})  # fmt: skip
    out = response_shift(PAIRS, pre, ci=0.9, **NAMES)
    assert out.name == "response_shift"
    assert out.index.tolist() == ["n", "mean_retrospective", "mean_prospective", "shift", "sd",
                                  "se", "t", "df", "p", "ci_low", "ci_high", "common_items"]  # fmt: skip
    r = np.array([0, THIRD, THIRD])
    d = r - np.array([25, 75, 50.0])
    se = d.std(ddof=1) / np.sqrt(3)
    np.testing.assert_allclose(
        out[["n", "mean_retrospective", "mean_prospective", "shift", "sd", "se", "t", "df",
             "common_items"]].to_numpy(float),
        [3, r.mean(), 50, d.mean(), d.std(ddof=1), se, d.mean() / se, 2, 1], rtol=1e-12,
    )  # fmt: skip
    with pytest.raises(ParameterError) as err:
        response_shift(PAIRS, pre[pre["nip"] != "p3"], **NAMES)
    assert str(err.value) == (
        "response_shift: needs at least 3 people with both a retrospective and a prospective "
        "rating, got 2"
    )
    with pytest.raises(ParameterError) as err:
        response_shift(PAIRS, pre.drop(columns="scale_max"), **NAMES)
    assert str(err.value).startswith("response_shift: followup has no column(s) ['scale_max']")
    with pytest.raises(ParameterError) as err:
        response_shift(PAIRS.drop(columns="item"), pre, **NAMES)
    assert str(err.value).startswith("response_shift: retrospective has no column(s) ['item']")
    with pytest.raises(ParameterError) as err:
        response_shift(PAIRS, pre, ci=2, **NAMES)
    assert str(err.value) == "response_shift: parameter 'ci' must be in (0, 1), got 2"


def test_index_rows_are_sorted_by_person():
    out = retrospective_index(PAIRS, weights=None, **NAMES)
    assert out[["nip", "rater"]].values.tolist() == [
        ["p1", "self"], ["p1", "supervisor"], ["p2", "self"], ["p2", "supervisor"],
        ["p3", "self"], ["p3", "supervisor"]]  # fmt: skip


def test_messages_of_weights_and_of_no_complete_answer():
    with pytest.raises(ParameterError) as err:
        retrospective_index(LEVELS, weights="equal")
    assert str(err.value) == (
        "retrospective_index: parameter 'weights' must be 'ptia' or None, got 'equal'"
    )
    with pytest.raises(ParameterError) as err:
        retrospective_change(PAIRS.assign(rating_now=None), **NAMES)
    assert str(err.value) == "retrospective_change: no answer with both a rating before and now"


def test_rater_gap_passes_weights_on():
    # two aspects weighing 3 : 1 (column "weight"), one item each, "now" on the 1-4
    # scale (POMP (r - 1) / 3 * 100); self p1-p3 (4, 1), (3, 2), (2, 2), supervisor
    # (2, 4), (4, 4), (3, 1). Unweighted (mean of items): self 50, 50, 100/3 -> 400/9,
    # supervisor 200/3, 100, 100/3 -> 200/3, gap 200/9. Weighted: self 75, 175/3, 100/3
    # -> 500/9, supervisor 50, 100, 50 -> 200/3, gap 100/9.
    now = {("p1", "self"): (4, 1), ("p2", "self"): (3, 2), ("p3", "self"): (2, 2),
           ("p1", "supervisor"): (2, 4), ("p2", "supervisor"): (4, 4),
           ("p3", "supervisor"): (3, 1)}  # fmt: skip
    rows = [{"angkatan": "A", "nip": p, "bulan": 3, "rater": r, "aspect": aspect, "item": item,
             "weight": w, "rating_before": 1, "rating_now": value}
            for (p, r), values in now.items()
            for aspect, item, w, value in zip(("a1", "a2"), ("i1", "i2"), (3, 1), values, strict=True)]  # fmt: skip
    data = pd.DataFrame(rows)
    for weights, mean_self, gap in ((None, 400 / 9, 200 / 9), ("ptia", 500 / 9, 100 / 9)):
        row = rater_gap(data, weights=weights, **NAMES).loc["now"]
        np.testing.assert_allclose(row[["mean_self", "mean_supervisor", "gap"]].to_numpy(float),
                                   [mean_self, 200 / 3, gap], rtol=1e-12, err_msg=str(weights))  # fmt: skip
