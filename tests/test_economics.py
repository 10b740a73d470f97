"""Tests of evalkit.metrics.economics (Level 5).

Unit costs are checked against R ``aggregate`` (tests/reference/level345.R); ROI
arithmetic against the Phillips worked example, by hand.
"""

from __future__ import annotations

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
