"""Tests of evalkit.metrics.economics (Level 5).

Unit costs are checked against R ``aggregate`` (tests/reference/level345.R); ROI
arithmetic against the Phillips worked example, by hand.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evalkit.errors import EvalkitWarning, ParameterError
from evalkit.metrics.economics import (
    adjusted_benefit,
    cost_summary,
    phillips_benefit,
    roi,
    roi_sensitivity,
)

REF = Path(__file__).parent / "reference"


def _csv(name: str) -> pd.DataFrame:
    return pd.read_csv(REF / f"level345_{name}.csv")


@pytest.fixture(scope="module")
def tables() -> tuple[pd.DataFrame, ...]:
    return _csv("costs"), _csv("participants"), _csv("cohorts"), _csv("learning")


# --- ROI ------------------------------------------------------------------------------
def test_roi_phillips_example():
    # Phillips (2003): benefits 120 million, costs 40 million -> BCR 3 : 1, ROI 200 %
    out = roi(120_000_000, 40_000_000)
    assert out.to_dict() == {"bcr": 3.0, "roi_pct": 200.0, "net_benefit": 80_000_000.0}


def test_roi_vectorised_keeps_index():
    benefits = pd.Series([30e6, 80e6], index=["C1", "C2"])
    costs = pd.Series([40e6, 40e6], index=["C1", "C2"])
    out = roi(benefits, costs)
    assert list(out.index) == ["C1", "C2"]
    np.testing.assert_allclose(out["roi_pct"], [-25.0, 100.0])
    np.testing.assert_allclose(roi([30e6, 80e6], 40e6)["bcr"], [0.75, 2.0])


@pytest.mark.parametrize(
    ("benefits", "costs", "match"),
    [
        (1e6, 0, r"roi: parameter 'costs' must be positive, got 0.0"),
        (1e6, -5, r"roi: parameter 'costs' must be positive, got -5.0"),
        ([1, 2, 3], [1, 2], r"roi: benefits and costs must have the same length, got 3 and 2"),
        ("banyak", 1e6, r"roi: parameter 'benefits' must be numeric, got 'banyak'"),
        (float("nan"), 1e6, r"roi: parameter 'benefits' must be finite"),
        (pd.Series([1.0], index=["a"]), pd.Series([1.0], index=["b"]), "must share an index"),
    ],
)
def test_roi_errors(benefits, costs, match):
    with pytest.raises(ParameterError, match=match):
        roi(benefits, costs)


def test_adjusted_benefit():
    assert adjusted_benefit(10_000_000, attribution=0.6, confidence=0.8) == pytest.approx(4.8e6)
    out = adjusted_benefit(pd.Series([1e6, 2e6], index=["a", "b"]), [0.5, 1.0], 0.5)
    assert list(out.index) == ["a", "b"] and out.tolist() == [250_000.0, 1_000_000.0]
    with pytest.raises(
        ParameterError,
        match=r"adjusted_benefit: parameter 'attribution' must be a share in \[0, 1\], got 60.0",
    ):
        adjusted_benefit(1e6, attribution=60)
    with pytest.raises(
        ParameterError, match=r"parameter 'confidence' must be a share in \[0, 1\], got -0.1"
    ):
        adjusted_benefit(1e6, confidence=-0.1)
    with pytest.raises(ParameterError, match="incompatible lengths"):
        adjusted_benefit([1e6, 2e6, 3e6], [0.5, 0.5])
    with pytest.raises(ParameterError, match=r"parameter 'benefit' must be finite numbers"):
        adjusted_benefit(float("inf"))


def test_phillips_benefit_pooled_and_by():
    est = pd.DataFrame(
        {
            "cohort_id": ["A", "A", "B"],
            "benefit_idr": [10e6, 5e6, 8e6],
            "attribution": [0.5, 0.8, 0.25],
            "confidence": [0.8, 0.5, 1.0],
        }
    )
    pooled = phillips_benefit(est)
    assert pooled["benefit_adjusted"] == pytest.approx(4e6 + 2e6 + 2e6)
    assert pooled["benefit_raw"] == pytest.approx(23e6) and pooled["n"] == 3
    grouped = phillips_benefit(est, by="cohort_id")
    for cohort, sub in est.groupby("cohort_id"):
        single = phillips_benefit(sub)
        for col in ("n", "benefit_raw", "benefit_adjusted", "discount"):
            assert grouped.loc[cohort, col] == pytest.approx(single[col], rel=1e-9)
    with pytest.raises(
        ParameterError, match=r"phillips_benefit: estimates has no column\(s\) \['confidence'\]"
    ):
        phillips_benefit(est.drop(columns="confidence"))
    with pytest.raises(ParameterError, match="phillips_benefit: parameter 'estimates' has no rows"):
        phillips_benefit(est.head(0))


def test_roi_sensitivity():
    out = roi_sensitivity((30e6, 60e6, 90e6), (45e6, 50e6, 60e6))
    assert list(out.index) == ["low", "base", "high"]
    # low: 30 / 60; base: 60 / 50; high: 90 / 45
    np.testing.assert_allclose(out["bcr"], [0.5, 1.2, 2.0])
    np.testing.assert_allclose(out["roi_pct"], [-50.0, 20.0, 100.0])
    assert out["costs"].tolist() == [60e6, 50e6, 45e6]
    single = roi_sensitivity((30e6, 60e6, 90e6), 50e6)
    assert single["costs"].tolist() == [50e6] * 3
    with pytest.raises(
        ParameterError,
        match=r"roi_sensitivity: parameter 'benefits' must be in increasing order .* got \[90000000.0, 60000000.0, 30000000.0\]",
    ):
        roi_sensitivity((90e6, 60e6, 30e6), 50e6)
    with pytest.raises(
        ParameterError,
        match=r"parameter 'costs' must be one value or three \(low, base, high\), got 2",
    ):
        roi_sensitivity(1e6, (1e6, 2e6))


# --- unit costs ---------------------------------------------------------------------------
def test_cost_summary_matches_r(tables):
    out = cost_summary(*tables)
    # tot <- aggregate(amount_idr ~ cohort_id, costs, sum); amount / n; amount / jp;
    # amount / n / mean(post - pre)
    ref = {
        "C1": (138867000, 15429666.6666667, 5786125, 1198420.71197411),
        "C2": (92750000, 7729166.66666667, 2318750, 552083.333333333),
        "C3": (112119000, 16017000, 7007437.5, 919008.196721312),
    }
    cols = ["total_cost", "cost_per_participant", "cost_per_jp", "cost_per_gain_point"]
    for cohort, values in ref.items():
        np.testing.assert_allclose(out.loc[cohort, cols].to_numpy(dtype=float), values, rtol=1e-12)
    assert out.loc["C1", "n_gain"] == 8  # one participant without a post-test
    assert out.loc["C2", "cost_per_participant_jp"] == pytest.approx(92750000 / (12 * 40))


def test_cost_summary_by_equals_per_group_call(tables):
    costs, parts, cohs, lrn = tables
    grouped = cost_summary(*tables, by="delivery")
    for delivery, sub in cohs.groupby("delivery"):
        ids = sub["cohort_id"]
        single = cost_summary(
            costs[costs["cohort_id"].isin(ids)],
            parts[parts["cohort_id"].isin(ids)],
            sub,
            lrn[lrn["cohort_id"].isin(ids)],
            by=None,
        )
        for col, value in single.items():
            assert grouped.loc[delivery, col] == pytest.approx(value, rel=1e-9), col
    pooled = cost_summary(*tables, by=None)
    assert pooled["total_cost"] == pytest.approx(138867000 + 92750000 + 112119000)
    assert pooled["n_cohorts"] == 3 and pooled["jp"] == 80


def test_cost_summary_without_learning_and_warnings(tables):
    costs, parts, cohs, lrn = tables
    out = cost_summary(costs, parts, cohs)
    assert out["mean_gain"].isna().all() and out["cost_per_gain_point"].isna().all()
    with pytest.warns(EvalkitWarning, match=r"1 group\(s\) with mean gain <= 0"):
        worse = cost_summary(
            costs, parts, cohs, lrn.assign(post=lrn["pre"] - 1).where(lrn["cohort_id"] == "C1", lrn)
        )
    assert np.isnan(worse.loc["C1", "cost_per_gain_point"])
    with pytest.warns(EvalkitWarning, match=r"1 cohort\(s\) without cost rows counted at 0"):
        free = cost_summary(costs[costs["cohort_id"] != "C3"], parts, cohs, lrn)
    assert free.loc["C3", "total_cost"] == 0.0


def test_cost_summary_does_not_mutate(tables):
    copies = [t.copy() for t in tables]
    cost_summary(*tables, by="program_id")
    for before, after in zip(copies, tables, strict=True):
        pd.testing.assert_frame_equal(before, after)


def test_cost_summary_errors(tables):
    costs, parts, cohs, lrn = tables
    with pytest.raises(
        ParameterError, match=r"cost_summary: cohort 'C1' of costs is not in cohorts"
    ):
        cost_summary(costs, parts[parts["cohort_id"] != "C1"], cohs[cohs["cohort_id"] != "C1"])
    with pytest.raises(
        ParameterError, match=r"column 'amount_idr' of costs must be >= 0, got -1.0"
    ):
        cost_summary(costs.assign(amount_idr=-1.0), parts, cohs)
    with pytest.raises(ParameterError, match=r"column 'amount_idr' of costs must be numeric"):
        cost_summary(costs.assign(amount_idr="1.000.000"), parts, cohs)
    with pytest.raises(
        ParameterError, match=r"cost_summary: cohorts has no column\(s\) \['delivery_mode'\]"
    ):
        cost_summary(costs, parts, cohs, by="delivery_mode")
    with pytest.raises(ParameterError, match=r"cohorts lists cohort 'C1' twice"):
        cost_summary(costs, parts, pd.concat([cohs, cohs.head(1)]))
    with pytest.raises(ParameterError, match=r"parameter 'learning' must be a DataFrame"):
        cost_summary(costs, parts, cohs, learning=[1, 2])


# --- every output column and boundary, against hand calculations --------------------------
# The reference tables (tests/reference/level345_*.csv), by hand:
#   C1: cost 138,867,000, 9 participants, 24 JP, gains 1 7 18 7 . 11 20 25 14 (sum 103, n 8)
#   C2: cost  92,750,000, 12 participants, 40 JP, mean gain 14 (sum 168, n 12)
#   C3: cost 112,119,000, 7 participants, 16 JP, mean gain 122 / 7 (n 7)
C1_CPP = 138867000 / 9
C3_CPP = 112119000 / 7


def test_phillips_benefit_discount_by_hand():
    est = pd.DataFrame(
        {
            "cohort_id": ["A", "A", "B"],
            "benefit_idr": [10e6, 5e6, 8e6],
            "attribution": [0.5, 0.8, 0.25],
            "confidence": [0.8, 0.5, 1.0],
        },
        index=[7, 8, 9],
    )
    # A: 10e6 x .5 x .8 + 5e6 x .8 x .5 = 6e6 of 15e6 raw (0.4); B: 2e6 of 8e6 (0.25)
    grouped = phillips_benefit(est, by="cohort_id")
    assert grouped["discount"].tolist() == pytest.approx([0.4, 0.25], rel=1e-15)
    assert grouped["n"].tolist() == [2, 1]
    assert grouped["benefit_raw"].tolist() == [15e6, 8e6]
    pooled = phillips_benefit(est)
    assert pooled["discount"] == pytest.approx(8e6 / 23e6, rel=1e-15)
    # an estimate without a cohort is a group of its own, never dropped
    loose = phillips_benefit(est.assign(cohort_id=["A", "A", None]), by="cohort_id")
    assert len(loose) == 2 and loose["benefit_adjusted"].sum() == pytest.approx(8e6)
    assert loose["n"].tolist() == [2, 1]


def test_adjusted_benefit_defaults_are_no_discount():
    # attribution and confidence default to 1: the benefit is taken as estimated
    assert adjusted_benefit(2_000_000) == 2_000_000.0
    assert adjusted_benefit(2_000_000, confidence=0.5) == 1_000_000.0
    assert adjusted_benefit(2_000_000, attribution=0.25) == 500_000.0
    # Series are matched by index, never by position
    idx = pd.Series([1e6, 2e6], index=["a", "b"])
    with pytest.raises(ParameterError, match="benefit and confidence must share an index"):
        adjusted_benefit(idx, confidence=pd.Series([0.5, 1.0], index=["b", "a"]))
    # the shares' edges 0 and 1 are allowed
    assert adjusted_benefit(2_000_000, attribution=0.0, confidence=1.0) == 0.0


def test_roi_sensitivity_every_column_by_hand():
    out = roi_sensitivity((30e6, 60e6, 90e6), (45e6, 50e6, 60e6))
    assert out["benefits"].tolist() == [30e6, 60e6, 90e6]
    assert out["net_benefit"].tolist() == [-30e6, 10e6, 45e6]  # 30-60, 60-50, 90-45
    assert out.index.name == "scenario"
    # equal low, base and high values are in (non-strictly) increasing order
    flat = roi_sensitivity((60e6, 60e6, 60e6), 50e6)
    assert flat["roi_pct"].tolist() == pytest.approx([20.0, 20.0, 20.0])


def test_cost_summary_every_column_per_cohort(tables):
    out = cost_summary(*tables)
    assert out["n_cohorts"].tolist() == [1, 1, 1]
    assert out["n_participants"].tolist() == [9, 12, 7]
    assert out["jp"].tolist() == [24.0, 40.0, 16.0]
    assert out["n_gain"].tolist() == [8, 12, 7]
    np.testing.assert_allclose(out["mean_gain"], [103 / 8, 14.0, 122 / 7], rtol=1e-14)
    np.testing.assert_allclose(
        out["cost_per_participant_jp"],
        [138867000 / (9 * 24), 92750000 / (12 * 40), 112119000 / (7 * 16)],
        rtol=1e-14,
    )


def test_cost_summary_pooled_by_hand(tables):
    pooled = cost_summary(*tables, by=None)
    total = 138867000 + 92750000 + 112119000
    assert pooled["n_participants"] == 28 and pooled["n_gain"] == 27
    assert pooled["cost_per_participant"] == pytest.approx(total / 28, rel=1e-14)
    assert pooled["cost_per_jp"] == pytest.approx(total / 80, rel=1e-14)
    # participant-JP: 9 x 24 + 12 x 40 + 7 x 16 = 808
    assert pooled["cost_per_participant_jp"] == pytest.approx(total / 808, rel=1e-14)
    assert pooled["mean_gain"] == pytest.approx((103 + 168 + 122) / 27, rel=1e-14)
    assert pooled["cost_per_gain_point"] == pytest.approx(total / 28 / (393 / 27), rel=1e-14)


def test_cost_summary_without_learning_counts_no_gain(tables):
    costs, parts, cohs, _ = tables
    assert cost_summary(costs, parts, cohs)["n_gain"].tolist() == [0, 0, 0]
    assert cost_summary(costs, parts, cohs, by=None)["n_gain"] == 0
    assert cost_summary(costs, parts, cohs, by="delivery")["n_gain"].tolist() == [0, 0]


def test_cost_summary_group_mixing_cohorts_with_and_without_learning(tables):
    costs, parts, cohs, lrn = tables
    out = cost_summary(costs, parts, cohs, lrn[lrn["cohort_id"] != "C3"], by="delivery")
    klasikal = out.loc["klasikal"]  # C1 (with learning data) and C3 (without)
    assert klasikal["n_participants"] == 16 and klasikal["n_cohorts"] == 2
    assert klasikal["cost_per_participant"] == pytest.approx((138867000 + 112119000) / 16)
    assert klasikal["n_gain"] == 8  # C3 adds no gain, not a phantom one
    assert klasikal["mean_gain"] == pytest.approx(103 / 8, rel=1e-14)
    # cost per gain point over C1 alone: R's value for C1 (see test_cost_summary_matches_r)
    assert klasikal["cost_per_gain_point"] == pytest.approx(1198420.71197411, rel=1e-12)
    assert out.loc["blended", "cost_per_gain_point"] == pytest.approx(552083.333333333, rel=1e-12)


def test_cost_summary_missing_group_value_is_its_own_group(tables):
    costs, parts, cohs, lrn = tables
    cohs = cohs.assign(delivery=["klasikal", "blended", None])
    out = cost_summary(costs, parts, cohs, lrn, by="delivery")
    assert len(out) == 3 and out["n_cohorts"].sum() == 3
    alone = out[out.index.isna()].iloc[0]  # C3 alone: R's values for C3
    assert alone["total_cost"] == 112119000 and alone["n_participants"] == 7
    assert alone["cost_per_gain_point"] == pytest.approx(919008.196721312, rel=1e-12)


def test_cost_summary_zero_denominators_are_nan(tables):
    costs, parts, cohs, lrn = tables
    out = cost_summary(costs, parts[parts["cohort_id"] != "C3"], cohs, lrn)
    c3 = out.loc["C3"]  # costs but nobody enrolled
    assert c3["n_participants"] == 0
    assert np.isnan(c3["cost_per_participant"]) and np.isnan(c3["cost_per_participant_jp"])
    assert c3["cost_per_jp"] == 112119000 / 16
    no_jp = cost_summary(costs, parts, cohs.assign(jp=[24, 40, 0]), lrn)
    assert np.isnan(no_jp.loc["C3", "cost_per_jp"])
    assert np.isnan(no_jp.loc["C3", "cost_per_participant_jp"])
    assert no_jp.loc["C3", "cost_per_participant"] == pytest.approx(C3_CPP)


def test_cost_summary_gain_boundaries(tables):
    costs, parts, cohs, lrn = tables
    in_c1 = lrn["cohort_id"] == "C1"
    # mean gain exactly 0: warned, and no cost per gain point (NaN, not infinite)
    with pytest.warns(EvalkitWarning, match=r"1 group\(s\) with mean gain <= 0"):
        zero = cost_summary(
            costs, parts, cohs, lrn.assign(post=lrn["post"].where(~in_c1, lrn["pre"]))
        )
    assert zero.loc["C1", "mean_gain"] == 0.0
    assert np.isnan(zero.loc["C1", "cost_per_gain_point"])
    # mean gain of 1 point: no warning, the cost per gain point is the cost per participant
    one = lrn.assign(post=lrn["post"].where(~in_c1 | lrn["post"].isna(), lrn["pre"] + 1))
    with warnings.catch_warnings():
        warnings.simplefilter("error", EvalkitWarning)
        out = cost_summary(costs, parts, cohs, one)
    assert out.loc["C1", "mean_gain"] == 1.0
    assert out.loc["C1", "cost_per_gain_point"] == pytest.approx(C1_CPP, rel=1e-14)


def test_cost_summary_cohort_without_learning_rows_gets_no_gain(tables):
    costs, parts, cohs, lrn = tables
    out = cost_summary(costs, parts, cohs, lrn[lrn["cohort_id"] != "C2"])
    assert out.loc["C2", "n_gain"] == 0
    assert np.isnan(out.loc["C2", "mean_gain"]) and np.isnan(out.loc["C2", "cost_per_gain_point"])
    assert out.loc["C1", "n_gain"] == 8


# --- messages, types and order a caller relies on -----------------------------------------
@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"benefit": "banyak"}, r"adjusted_benefit: parameter 'benefit' must be numeric"),
        ({"attribution": "x"}, r"adjusted_benefit: parameter 'attribution' must be numeric"),
        ({"confidence": "x"}, r"adjusted_benefit: parameter 'confidence' must be numeric"),
        ({"attribution": np.nan}, r"parameter 'attribution' must be finite numbers"),
        ({"confidence": np.inf}, r"parameter 'confidence' must be finite numbers"),
        ({"attribution": 1.5}, r"parameter 'attribution' must be a share in \[0, 1\], got 1.5"),
        ({"attribution": [0.5, 1.5]}, r"must be a share in \[0, 1\], got 1.5"),
        ({"confidence": [1.0, 2.5]}, r"'confidence' must be a share in \[0, 1\], got 2.5"),
        ({"confidence": [0.0, -0.5]}, r"'confidence' must be a share in \[0, 1\], got -0.5"),
    ],
)
def test_adjusted_benefit_errors_name_the_parameter_and_value(kwargs, match):
    args = {"benefit": [1e6, 2e6]} | kwargs
    with pytest.raises(ParameterError, match=match):
        adjusted_benefit(**args)


def test_adjusted_benefit_series_is_named():
    out = adjusted_benefit(pd.Series([1e6, 2e6]), 0.5)
    assert out.name == "adjusted_benefit" and out.tolist() == [5e5, 1e6]


def test_phillips_benefit_groups_sorted_and_zero_raw_without_warning():
    est = pd.DataFrame(
        {
            "cohort_id": ["B", "A", "B"],
            "benefit_idr": [0.0, 4e6, 0.0],
            "attribution": [0.5, 0.5, 0.5],
            "confidence": [1.0, 1.0, 1.0],
        }
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = phillips_benefit(est, by="cohort_id")
    assert out.index.tolist() == ["A", "B"]
    assert out["benefit_adjusted"].tolist() == [2e6, 0.0]
    assert out.loc["A", "discount"] == 0.5 and np.isnan(out.loc["B", "discount"])  # 0 / 0


def test_cost_summary_types_order_and_single_gain(tables):
    costs, parts, cohs, lrn = tables
    out = cost_summary(costs, parts, cohs, lrn, by="delivery")
    assert out.index.tolist() == ["blended", "klasikal"]  # sorted, not in cohort order
    for col in ("n_cohorts", "n_participants", "n_gain"):
        assert out[col].dtype == np.int64, col
    # one participant with a gain in C3 (the rest without a post-test): mean gain = that gain
    c3 = lrn["cohort_id"] == "C3"
    first = lrn.index[c3][0]
    one = lrn.assign(post=lrn["post"].where(~c3 | (lrn.index == first)))
    single = cost_summary(costs, parts, cohs, one)
    assert single.loc["C3", "n_gain"] == 1
    gain = float(lrn.loc[first, "post"] - lrn.loc[first, "pre"])
    assert single.loc["C3", "mean_gain"] == gain
    assert single.loc["C3", "cost_per_gain_point"] == pytest.approx(C3_CPP / gain, rel=1e-14)


def test_cost_summary_counts_a_person_once_per_cohort(tables):
    costs, parts, cohs, lrn = tables
    # the same person twice in C1 with another (say) unit spelling: still 9 participants
    twice = pd.concat([parts, parts.head(1).assign(**{parts.columns[-1]: "lain"})])
    assert len(parts.columns) > 2  # a column besides cohort and participant differs
    assert cost_summary(costs, twice, cohs, lrn).loc["C1", "n_participants"] == 9


@pytest.mark.parametrize(
    ("table", "change", "match"),
    [
        (
            "learning",
            {"post": "tinggi"},
            r"cost_summary: column 'post' of learning must be numeric",
        ),
        ("learning", {"pre": "rendah"}, r"cost_summary: column 'pre' of learning must be numeric"),
        ("cohorts", {"jp": "dua puluh"}, r"cost_summary: column 'jp' of cohorts must be numeric"),
        ("costs", {"amount_idr": 0.5}, None),  # under 1 rupiah is a valid amount
    ],
)
def test_cost_summary_column_errors(tables, table, change, match):
    named = dict(zip(("costs", "participants", "cohorts", "learning"), tables, strict=True))
    named[table] = named[table].assign(**change)
    if match is None:
        assert cost_summary(**named).loc["C1", "total_cost"] == 0.5 * (_rows_of_c1(named))
        return
    with pytest.raises(ParameterError, match=match):
        cost_summary(**named)


def _rows_of_c1(named: dict) -> int:
    return int((named["costs"]["cohort_id"] == "C1").sum())


def test_cost_summary_unknown_cohort_of_participants(tables):
    costs, parts, cohs, _ = tables
    extra = pd.concat([parts, parts.head(1).assign(cohort_id="C9")])
    with pytest.raises(
        ParameterError, match=r"cost_summary: cohort 'C9' of participants is not in cohorts"
    ):
        cost_summary(costs, extra, cohs)


def test_cost_summary_cohort_of_one_participant(tables):
    costs, parts, cohs, lrn = tables
    one = pd.concat([parts[parts["cohort_id"] != "C3"], parts[parts["cohort_id"] == "C3"].head(1)])
    c3 = cost_summary(costs, one, cohs, lrn).loc["C3"]
    assert c3["n_participants"] == 1
    assert c3["cost_per_participant"] == 112119000.0
    assert c3["cost_per_participant_jp"] == 112119000 / 16
    assert c3["cost_per_gain_point"] == pytest.approx(112119000 / (122 / 7), rel=1e-14)
