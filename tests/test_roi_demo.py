"""The demo's planted ROI levels are recovered within the reported bootstrap CIs.

The demo plants, per cohort, the expected Phillips-adjusted benefit of the estimates
cleaning keeps (planted hours x 12 x hourly cost x mean attribution x mean confidence;
``truth.json``, ``effects.benefits.by_cohort.expected_bcr``). The reports' 95% CI of each
cohort's BCR (:func:`evalkit.roi_bootstrap`, as the cohort report and the overview call
it) must hold it, and so must the intervals of each program and of the portfolio hold
their planted totals. The break-even headline follows the interval rule.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

import evalkit as ek
from evalkit.data.clean import clean_study
from evalkit.reporting.headlines import OverviewHeadline

SALT = b"roi demo test salt"


@pytest.fixture(scope="module")
def demo_tables(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, pd.DataFrame], dict]:
    from evalkit.data.demo import write_demo

    root = tmp_path_factory.mktemp("roi_demo")
    raw = write_demo(root / "raw", progress=False)
    clean_study(raw, root / "out", progress=False, salt=SALT)
    tables = {
        name: pd.read_parquet(root / "out" / f"{name}.parquet")
        for name in ("benefits", "costs", "participants", "cohorts")
    }
    return tables, json.loads((raw / "truth.json").read_text(encoding="utf-8"))


def _planted(truth: dict) -> pd.DataFrame:
    by_cohort = truth["effects"]["benefits"]["by_cohort"]
    costs = {c: float(sum(v.values())) for c, v in truth["costs_idr"].items()}
    return pd.DataFrame(
        {
            "expected_benefit": {
                c: e["expected_benefit_adjusted_idr"] for c, e in by_cohort.items()
            },
            "expected_bcr": {c: e["expected_bcr"] for c, e in by_cohort.items()},
            "costs": {c: costs[c] for c in by_cohort},
        }
    )


def test_every_cohorts_planted_bcr_is_inside_its_interval(demo_tables):
    t, truth = demo_tables
    planted = _planted(truth)
    each = ek.roi_bootstrap(t["benefits"], t["costs"], t["participants"], by="cohort_id")
    assert sorted(each.index) == sorted(planted.index)  # 13 cohorts have estimates
    expected = planted["expected_bcr"].reindex(each.index)
    inside = (each["bcr_ci_low"] <= expected) & (expected <= each["bcr_ci_high"])
    assert inside.all(), each.loc[~inside, ["bcr", "bcr_ci_low", "bcr_ci_high"]].join(expected)
    # the cohort of the review: planted at 0.82, observed 1.06, CI about 0.64-1.56
    mwt = each.loc["MWT-2024-02"]
    assert mwt["bcr_ci_low"] < 0.823139 < 1 < mwt["bcr_ci_high"]
    assert mwt["break_even"] == "indistinguishable"


def test_programs_and_portfolio_hold_their_planted_totals(demo_tables):
    t, truth = demo_tables
    planted = _planted(truth)
    planted["program_id"] = planted.index.map(t["cohorts"].set_index("cohort_id")["program_id"])
    sums = planted.groupby("program_id")[["expected_benefit", "costs"]].sum()
    expected = sums["expected_benefit"] / sums["costs"]
    programs = ek.roi_bootstrap(
        t["benefits"], t["costs"], t["participants"], t["cohorts"], by="program_id"
    )
    inside = (programs["bcr_ci_low"] <= expected) & (expected <= programs["bcr_ci_high"])
    assert inside.all(), programs[["bcr", "bcr_ci_low", "bcr_ci_high"]].join(expected.rename("e"))
    whole = ek.roi_bootstrap(t["benefits"], t["costs"], t["participants"])
    total = planted["expected_benefit"].sum() / planted["costs"].sum()
    assert whole["bcr_ci_low"] <= total <= whole["bcr_ci_high"]
    assert whole["n_cohorts"] == 13 and whole["break_even"] == "below"


def test_break_even_headline_follows_the_interval_rule(demo_tables):
    t, _ = demo_tables
    each = ek.roi_bootstrap(t["benefits"], t["costs"], t["participants"], by="cohort_id")
    h = OverviewHeadline(study="demo", title="x", n_cohorts=15, n=409).with_roi(each)
    # two cohorts have BCR > 1 by the point estimate, none has a lower bound above 1
    assert int((each["bcr"] > 1).sum()) == 2
    assert h.n_cohorts_bcr_above_1 == int((each["bcr_ci_low"] > 1).sum()) == 0
    assert h.n_cohorts_bcr_below_1 == int((each["bcr_ci_high"] < 1).sum())
    assert (
        h.n_cohorts_bcr_above_1 + h.n_cohorts_bcr_below_1 + h.n_cohorts_bcr_indistinguishable == 13
    )


def test_people_and_unit_rows_are_counted_apart(demo_tables):
    t, truth = demo_tables
    one = t["benefits"]["cohort_id"] == "PPR-2024-02"
    out = ek.roi_bootstrap(
        t["benefits"][one], t["costs"][t["costs"]["cohort_id"] == "PPR-2024-02"],
        t["participants"][t["participants"]["cohort_id"] == "PPR-2024-02"],
    )  # fmt: skip
    planted = truth["effects"]["benefits"]["by_cohort"]["PPR-2024-02"]
    assert out["n_estimates"] == planted["n_estimates"] == 27
    assert out["n_unit_rows"] == planted["n_unit_level"] == 5
    assert out["n_respondents"] == 17 and out["n_participants"] == 32
