"""Level 5 in the reports: ROI wording with intervals, tables, figures, headline, ledger rows."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import evalkit as ek
from evalkit import reporting as ekr
from evalkit.reporting.headlines import CohortHeadline, OverviewHeadline
from evalkit.reporting.ledger import ESTIMANDS, LEDGER_COLUMNS

REF = Path(__file__).parent / "reference"


@pytest.fixture(scope="module")
def study() -> dict[str, pd.DataFrame]:
    names = ("benefits", "participants", "costs", "cohorts")
    return {n: pd.read_csv(REF / f"level5_{n}.csv") for n in names}


@pytest.fixture(scope="module")
def cohort_b(study):
    """Cohort B-2024 of the R reference study: 13 respondents of 20, 4 unit-level rows."""
    t = {k: v[v["cohort_id"] == "B-2024"] if "cohort_id" in v else v for k, v in study.items()}
    scenarios = ek.roi_scenarios(t["benefits"], t["costs"], t["participants"])
    interval = ek.roi_bootstrap(t["benefits"], t["costs"], t["participants"])
    return t, scenarios, interval


def test_cohort_conclusion_counts_people_and_unit_rows_and_states_the_interval(cohort_b):
    t, scenarios, interval = cohort_b
    benefit = ek.phillips_benefit(t["benefits"])
    text = ekr.roi_conclusion(benefit, scenarios, "en", interval=interval)
    assert "From the estimates of 13 of the cohort's 20 participants (the 7 who gave none" in text
    assert "and 4 unit-level estimates" in text
    assert "BCR = 0.73 (95% CI " in text and "below break-even" in text
    low, high = ek.break_even(interval["bcr_ci_low"], interval["bcr_ci_high"]), None
    assert low == "below" and interval["bcr_ci_high"] < 1 and high is None
    text_id = ekr.roi_conclusion(benefit, scenarios, "id", interval=interval)
    assert "Dari estimasi 13 dari 20 peserta" in text_id and "di bawah titik impas" in text_id
    assert "BCR = 0,73 (IK 95% " in text_id


def test_scenario_table_shows_the_base_interval_and_every_stated_assumption(cohort_b):
    _, scenarios, interval = cohort_b
    table = ekr.roi_table(scenarios, "en", interval=interval)
    assert table.index[0].startswith("Base: each estimator's attribution × confidence")
    assert "Non-respondents assumed like respondents (not Phillips' rule)" in table.index
    assert table.iloc[0]["BCR 95% CI"].endswith(ekr.fmt_num(interval["bcr_ci_high"], 2, "en"))
    assert (table.iloc[1:]["BCR 95% CI"] == "–").all()


def test_group_table_suppresses_groups_under_five_respondents(study):
    each = ek.roi_bootstrap(study["benefits"], study["costs"], study["participants"],
                            by="cohort_id")  # fmt: skip
    table = ekr.roi_table(each, "en")
    assert table.loc["B-2024", "Break-even"] == "below break-even"
    small = ekr.roi_table(each, "en", min_cell=14)  # A-2024 has 10 respondents, B-2024 13
    assert small.loc["A-2024", "BCR"] == "< 14" and small.loc["A-2023", "BCR"] != "< 14"


def test_cohorts_and_groups_conclusions_follow_the_break_even_rule(study):
    b, c, p, co = study["benefits"], study["costs"], study["participants"], study["cohorts"]
    each = ek.roi_bootstrap(b, c, p, by="cohort_id")
    text = ekr.roi_cohorts_conclusion(each, "en")
    assert "Of 3 cohorts with benefit estimates, 0 are above break-even" in text
    assert "3 below it and 0 not distinguishable" in text
    programs = ek.roi_bootstrap(b, c, p, co, by="program_id")
    whole = ek.roi_bootstrap(b, c, p)
    words = ekr.roi_groups_conclusion(programs, whole, "en")
    assert words.startswith("All programs together (3 cohorts with estimates from 34 of their 48")
    assert "By program: A BCR = 0.45" in words


def test_cost_tables_and_figures(study):
    items = ek.cost_items(study["costs"])
    table = ekr.cost_table(items, "en")
    assert table.loc["B-2024", "Participant time (IDR)"] == "IDR 26,400,000"
    assert table.loc["B-2024", "% participant time"] == "72%"
    fig = ekr.cost_items_plot(items, lang="id")
    assert len(fig.axes[0].patches) == 3 * 3  # three cohorts, cash, time and other
    each = ek.roi_bootstrap(study["benefits"], study["costs"], study["participants"],
                            by="cohort_id")  # fmt: skip
    assert ekr.roi_interval_plot(each, lang="en").axes[0].get_xlabel().startswith("BCR")


def test_headlines_take_costs_items_and_intervals(cohort_b, study):
    t, scenarios, interval = cohort_b
    costs = ek.cost_summary(t["costs"], t["participants"], t["cohorts"].assign(jp=24), by=None)
    items = ek.cost_items(t["costs"], by=None)
    h = CohortHeadline(study="s", title="t", cohort_id="B-2024", program_name="B", n=20)
    h = h.with_costs(costs, items).with_roi(scenarios, interval)
    assert (h.cost_cash, h.cost_participant_time, h.cost_other) == (9e6, 26.4e6, 1.5e6)
    assert h.bcr == scenarios.loc["base", "bcr"] and h.bcr_ci_low == interval["bcr_ci_low"]
    assert h.break_even == "below" and (h.n_benefit_respondents, h.n_benefit_unit_rows) == (13, 4)
    each = ek.roi_bootstrap(study["benefits"], study["costs"], study["participants"],
                            by="cohort_id")  # fmt: skip
    whole = ek.roi_bootstrap(study["benefits"], study["costs"], study["participants"])
    o = OverviewHeadline(study="s", title="t", n_cohorts=3, n=48).with_roi(each, whole)
    assert (o.n_cohorts_bcr_above_1, o.n_cohorts_bcr_below_1) == (0, 3)
    assert o.portfolio_bcr == whole["bcr"] and o.portfolio_roi_ci_high == whole["roi_ci_high"]


def test_ledger_rows_of_roi_and_costs(study, cohort_b):
    _, _, interval = cohort_b
    rows = ekr.roi_estimates(interval, group="B-2024", primary=True)
    assert list(rows.columns) == list(LEDGER_COLUMNS)
    assert rows["estimand"].tolist() == ["bcr", "roi_pct", "benefit"]
    assert set(rows["estimand"]) <= set(ESTIMANDS) and (rows["level"] == 5).all()
    assert rows.loc[0, "ci_low"] == interval["bcr_ci_low"] and rows.loc[0, "n"] == 20
    assert rows.loc[2, "ci_high"] == pytest.approx(interval["bcr_ci_high"] * interval["costs"])
    assert (
        "percentile bootstrap over people within cohorts (2,000 resamples)" in rows.loc[0, "method"]
    )
    assert "non-respondents count 0" in rows.loc[0, "method"]
    each = ek.roi_bootstrap(study["benefits"], study["costs"], study["participants"],
                            by="cohort_id")  # fmt: skip
    assert ekr.roi_estimates(each)["group"].tolist()[:3] == ["A-2023", "A-2024", "B-2024"]
    costs = ek.cost_summary(study["costs"], study["participants"],
                            study["cohorts"].assign(jp=24))  # fmt: skip
    cost_rows = ekr.cost_estimates(costs, ek.cost_items(study["costs"]))
    assert set(cost_rows["estimand"]) == {"cost"} and len(cost_rows) == 3 * 5
    assert cost_rows["ci_low"].isna().all()
