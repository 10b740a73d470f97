"""The demo's planted ROI levels, read from the results ledger of the demo's reports.

The whole demo (tests/conftest.py, fixture ``demo``) writes ``reports/demo/results.csv``.
Its Level 5 rows must hold the planted BCR of every cohort with estimates inside their
95% CI (``truth.json``: ``effects.benefits.by_cohort.expected_bcr``), the portfolio's
planted total inside the portfolio's CI, and a cohort's report must record the same BCR
and interval as the overview's row of that cohort.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ledger(demo) -> tuple[pd.DataFrame, dict]:
    root, summary = demo
    assert summary.ok
    rows = pd.read_csv(root / "reports" / "demo" / "results.csv", keep_default_na=False,
                       na_values=[""])  # fmt: skip
    truth = json.loads((root / "data" / "raw" / "demo" / "truth.json").read_text("utf-8"))
    return rows[rows["level"] == 5], truth


def test_planted_cohort_bcrs_are_inside_the_overviews_intervals(ledger):
    rows, truth = ledger
    planted = {c: e["expected_bcr"] for c, e in truth["effects"]["benefits"]["by_cohort"].items()}
    bcr = rows[(rows["report"] == "overview") & (rows["estimand"] == "bcr")].set_index("group")
    cohorts = bcr.loc[bcr.index.isin(planted.keys())]
    assert sorted(cohorts.index) == sorted(planted)
    for cohort, row in cohorts.iterrows():
        assert row["ci_low"] <= planted[cohort] <= row["ci_high"], cohort
    assert "non-respondents count 0" in cohorts["method"].iloc[0]


def test_portfolio_interval_holds_the_planted_total(ledger):
    rows, truth = ledger
    by_cohort = truth["effects"]["benefits"]["by_cohort"]
    costs = {c: float(sum(v.values())) for c, v in truth["costs_idr"].items()}
    expected = sum(e["expected_benefit_adjusted_idr"] for e in by_cohort.values()) / sum(
        costs[c] for c in by_cohort
    )
    whole = rows[(rows["report"] == "overview") & (rows["group"] == "portfolio")]
    row = whole[whole["estimand"] == "bcr"].iloc[0]
    assert row["ci_low"] <= expected <= row["ci_high"] < 1


def test_a_cohort_report_records_the_overviews_bcr_and_interval(ledger):
    rows, _ = ledger
    overview = rows[(rows["report"] == "overview") & (rows["estimand"] == "bcr")].set_index("group")
    for report, row in rows[rows["estimand"] == "bcr"].groupby("report"):
        if not report.startswith("cohort-"):
            continue
        cohort = report.removeprefix("cohort-")
        mine = row.iloc[0]
        assert mine[["estimate", "ci_low", "ci_high"]].tolist() == pytest.approx(
            overview.loc[cohort, ["estimate", "ci_low", "ci_high"]].tolist(), rel=1e-12
        ), cohort
