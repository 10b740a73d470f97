"""The analysis rules the reports apply, as library functions.

Each rule is checked on small examples worked out by hand, and against a second
computation with other evalkit functions (per-group calls, the reaction index).

- :func:`evalkit.roi_scenarios`: Phillips ROI under stated assumptions around the adjusted
  estimate (cohort report, overview);
- :func:`evalkit.jp_denominator`: who counts for the 20-JP compliance of a year;
- :func:`evalkit.percent_of_max`: Likert answers on one 0-100 scale.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import evalkit as ek
from evalkit.errors import ParameterError
from evalkit.metrics.economics import roi_scenarios
from evalkit.metrics.reaction import percent_of_max, scale_scores
from evalkit.metrics.results import jp_compliance, jp_denominator


# --- ROI scenarios --------------------------------------------------------------------
@pytest.fixture
def estimates() -> pd.DataFrame:
    """Benefit estimates of two cohorts (A: 2 people, B: 1) and one cohort (D) without costs."""
    return pd.DataFrame(
        {
            "cohort_id": ["A", "A", "B", "D"],
            "participant_id": ["p1", "p2", "p3", "p4"],
            "benefit_idr": [10e6, 5e6, 8e6, 1e6],
            "attribution": [0.5, 0.8, 1.0, 1.0],
            "confidence": [0.8, 0.5, 0.5, 1.0],
        }
    )


@pytest.fixture
def costs() -> pd.DataFrame:
    """Cost lines: A 3 + 1 million, B 2 million, C (no estimates) 9 million."""
    return pd.DataFrame(
        {
            "cohort_id": ["A", "A", "B", "C"],
            "category": ["venue", "facilitator", "venue", "venue"],
            "amount_idr": [3e6, 1e6, 2e6, 9e6],
        }
    )


def test_roi_scenarios_of_one_cohort_by_hand(estimates, costs):
    # A: adjusted 10e6 x .5 x .8 + 5e6 x .8 x .5 = 4e6 + 2e6 = 6e6; costs 4e6. Each scenario
    # changes one assumption around the adjusted estimate (never the undiscounted 15e6):
    # attribution x .5 -> 3e6; confidence >= .7 only -> 4e6; 0.5 and 2 years -> 3e6, 12e6
    one = roi_scenarios(estimates[estimates["cohort_id"] == "A"], costs[costs["cohort_id"] == "A"])
    assert one.index.tolist() == [
        "base", "attribution_low", "confidence_min", "duration_short", "duration_long",
    ] and one.index.name == "scenario"  # fmt: skip
    assert one.columns.tolist() == ["benefits", "costs", "bcr", "roi_pct", "net_benefit"]
    expected = {
        "base": (6e6, 4e6, 1.5, 50.0, 2e6),
        "attribution_low": (3e6, 4e6, 0.75, -25.0, -1e6),
        "confidence_min": (4e6, 4e6, 1.0, 0.0, 0.0),
        "duration_short": (3e6, 4e6, 0.75, -25.0, -1e6),
        "duration_long": (12e6, 4e6, 3.0, 200.0, 8e6),
    }
    for scenario, values in expected.items():
        assert one.loc[scenario].tolist() == pytest.approx(values, rel=1e-15)


def test_roi_scenarios_extrapolation_needs_and_uses_the_participants(estimates, costs):
    # A has 2 respondents of 4 enrolled: their 6e6 become 6e6 x 4 / 2 = 12e6
    people = pd.DataFrame({"cohort_id": "A", "participant_id": ["p1", "p2", "p5", "p6"]})
    a = estimates[estimates["cohort_id"] == "A"]
    one = roi_scenarios(a, costs[costs["cohort_id"] == "A"], people)
    assert one.loc["respondents_extrapolated", "benefits"] == pytest.approx(12e6, rel=1e-15)
    assert one.loc["base", "benefits"] == pytest.approx(6e6, rel=1e-15)


def test_roi_scenarios_by_cohort_by_hand(estimates, costs):
    each = roi_scenarios(estimates, costs, by="cohort_id")
    # C has costs but no estimates, D estimates but no costs: neither has an ROI
    assert each.index.tolist() == ["A", "B"] and each.index.name == "cohort_id"
    assert each.columns.tolist() == [
        "bcr", "roi_pct", "net_benefit", "roi_low_pct", "roi_high_pct",
        "n_estimates", "benefits", "costs", "n_respondents", "n_unit_rows",
    ]  # fmt: skip
    # B: adjusted 8e6 x 1 x .5 = 4e6 against 2e6; confidence .5 < .7 -> 0 (ROI -100 %);
    # two years -> 8e6 (ROI 300 %)
    assert each.loc["B"].tolist() == pytest.approx([2.0, 100.0, 2e6, -100.0, 300.0, 1, 4e6, 2e6,
                                                    1, 0])  # fmt: skip
    assert each.loc["A"].tolist() == pytest.approx([1.5, 50.0, 2e6, -25.0, 200.0, 2, 6e6, 4e6,
                                                    2, 0])  # fmt: skip


def test_roi_scenarios_by_cohort_equals_one_call_per_cohort(estimates, costs):
    """The overview's table holds, per cohort, exactly what the cohort report shows."""
    each = roi_scenarios(estimates, costs, by="cohort_id")
    for cohort, row in each.iterrows():
        one = roi_scenarios(
            estimates[estimates["cohort_id"] == cohort], costs[costs["cohort_id"] == cohort]
        )
        assert row["bcr"] == one.loc["base", "bcr"]
        assert row["roi_pct"] == one.loc["base", "roi_pct"]
        assert row["net_benefit"] == one.loc["base", "net_benefit"]
        assert row["roi_low_pct"] == one["roi_pct"].min()
        assert row["roi_high_pct"] == one["roi_pct"].max()
        assert row["benefits"] == one.loc["base", "benefits"]
        assert row["costs"] == one.loc["base", "costs"]


def test_roi_scenarios_base_is_phillips_benefit_and_roi(estimates, costs):
    """Second computation: the base scenario written out with the building blocks."""
    both = estimates[estimates["cohort_id"] == "A"]
    benefit = ek.phillips_benefit(both)
    total = costs.loc[costs["cohort_id"] == "A", "amount_idr"].sum()
    rule = ek.roi(benefit["benefit_adjusted"], total)
    base = roi_scenarios(both, costs[costs["cohort_id"] == "A"]).loc["base"]
    assert base[["bcr", "roi_pct", "net_benefit"]].tolist() == rule.tolist()


def test_roi_scenarios_stated_factors(estimates, costs):
    a = estimates[estimates["cohort_id"] == "A"]
    one = roi_scenarios(a, costs[costs["cohort_id"] == "A"], attribution_factor=0.25,
                        min_confidence=0.5, durations=(0.25, 3.0))  # fmt: skip
    assert one.loc["attribution_low", "benefits"] == pytest.approx(1.5e6)
    assert one.loc["confidence_min", "benefits"] == pytest.approx(6e6)
    assert one.loc[["duration_short", "duration_long"], "benefits"].tolist() == [1.5e6, 18e6]


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"attribution_factor": 1.5},
         r"roi_scenarios: parameter 'attribution_factor' must be a share in \[0, 1\]"),
        ({"attribution_factor": True}, "must be a share"),
        ({"negative": True}, r"column 'benefit_idr' of estimates must be >= 0, got -1000000.0"),
        ({"drop": "amount_idr"}, r"roi_scenarios: costs has no column\(s\) \['amount_idr'\]"),
        ({"zero_costs": True}, r"roi: parameter 'costs' must be positive, got 0.0"),
    ],
)  # fmt: skip
def test_roi_scenarios_errors(estimates, costs, change, match):
    a, c = estimates[estimates["cohort_id"] == "A"].copy(), costs[costs["cohort_id"] == "A"]
    if change.get("negative"):
        a.loc[a.index[0], "benefit_idr"] = -1e6
    if "drop" in change:
        c = c.drop(columns=change["drop"])
    if change.get("zero_costs"):
        c = c.assign(amount_idr=0.0)
    with pytest.raises(ParameterError, match=match):
        roi_scenarios(a, c, attribution_factor=change.get("attribution_factor", 0.5))


def test_roi_scenarios_is_public():
    assert ek.roi_scenarios is roi_scenarios and "roi_scenarios" in ek.__all__


# --- the 20-JP denominator ------------------------------------------------------------
@pytest.fixture
def training() -> tuple[pd.DataFrame, pd.DataFrame]:
    """p1 trained 2021 and 2024, p2 2023, p3 2021 only, p4 2024; C has 24 JP, the rest 16."""
    participants = pd.DataFrame(
        {
            "cohort_id": ["A", "C", "B", "A", "C"],
            "participant_id": ["p1", "p1", "p2", "p3", "p4"],
            "unit": ["Bappeda", "Bappeda", "Bappeda", "Bappeda", "Dinkes"],
        }
    )
    cohorts = pd.DataFrame(
        {
            "cohort_id": ["A", "B", "C"],
            "jp": [16, 16, 24],
            "end_date": ["2021-05-01", "2023-06-01", "2024-03-01"],
        }
    )
    return participants, cohorts


def test_jp_denominator_by_hand(training):
    participants, cohorts = training
    counted = jp_denominator(participants, cohorts)
    # shown: 2024 (the latest year); counted: trained in 2024 or 2023 -> p1, p2, p4, not p3
    assert counted.year == 2024 and counted.n_people == 3
    assert sorted(set(counted.participants["participant_id"])) == ["p1", "p2", "p4"]
    # every row of a counted person is kept (p1's 2021 cohort too)
    assert len(counted.participants) == 4
    assert counted.participants.columns.tolist() == participants.columns.tolist()


def test_jp_denominator_of_an_earlier_year(training):
    participants, cohorts = training
    # 2022: trained in 2022 or 2021 -> p1 and p3; p2 (2023) and p4 (2024) came later
    counted = jp_denominator(participants, cohorts, year=2022)
    assert counted.year == 2022
    assert sorted(set(counted.participants["participant_id"])) == ["p1", "p3"]
    assert jp_denominator(participants, cohorts, year=2019).n_people == 0


def test_jp_denominator_then_compliance_by_hand(training):
    """Second computation: 2024 compliance of the counted people, worked out by hand."""
    participants, cohorts = training
    counted = jp_denominator(participants, cohorts)
    rates = jp_compliance(counted.participants, cohorts, years=[counted.year])
    # Bappeda: p1 24 JP in 2024 (compliant), p2 0 JP in 2024 -> 1 of 2; Dinkes: p4 24 JP -> 1 of 1
    assert rates.loc[("Bappeda", 2024), ["n_staff", "n_compliant"]].tolist() == [2, 1]
    assert rates.loc[("Dinkes", 2024), ["n_staff", "n_compliant"]].tolist() == [1, 1]
    # without the rule p3 (last trained 2021) would count as a non-compliant Bappeda person
    everyone = jp_compliance(participants, cohorts, years=[2024])
    assert everyone.loc[("Bappeda", 2024), "n_staff"] == 3


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"year": 2024.5}, r"jp_denominator: parameter 'year' must be a whole year, got 2024.5"),
        ({"year": "2024"}, "must be a whole year"),
        ({"drop": "end_date"}, r"jp_denominator: cohorts has no column\(s\) \['end_date'\]"),
        (
            {"dates": ["2021-05-01", "kemarin", "2024-03-01"]},
            "column 'end_date' of cohorts must hold dates",
        ),
        ({"nobody": True}, "no participant attended a cohort"),
    ],
)
def test_jp_denominator_errors(training, change, match):
    participants, cohorts = training
    if "drop" in change:
        cohorts = cohorts.drop(columns=change["drop"])
    if "dates" in change:
        cohorts = cohorts.assign(end_date=change["dates"])
    if change.get("nobody"):
        participants = participants.iloc[0:0]
    with pytest.raises(ParameterError, match=match):
        jp_denominator(participants, cohorts, year=change.get("year"))


# --- percent of the scale maximum -----------------------------------------------------
def test_percent_of_max_by_hand():
    answers = pd.DataFrame(
        {"participant_id": ["a", "a", "b"], "score": [4, 3, 1.0], "scale_max": [5, 4, 5]}
    )
    out = percent_of_max(answers)
    assert out["score"].tolist() == [80.0, 75.0, 20.0]  # 1 of 5 is 20, not 0 (not POMP)
    assert out["scale_max"].tolist() == [100, 100, 100]
    assert out["participant_id"].tolist() == ["a", "a", "b"]
    assert answers["score"].tolist() == [4, 3, 1.0]  # the input is not changed


def test_percent_of_max_mean_is_the_reaction_index():
    """Second computation: on one scale, the mean of the percentages is scale_scores' pct_of_max."""
    rng = np.random.default_rng(3)
    answers = pd.DataFrame(
        {
            "participant_id": np.repeat([f"p{i}" for i in range(12)], 3),
            "item": np.tile(["q1", "q2", "q3"], 12),
            "dimension": "content",
            "score": rng.integers(1, 5, 36).astype(float),
            "scale_max": 4,
        }
    )
    direct = scale_scores(answers, by=None).iloc[0]
    rescaled = scale_scores(percent_of_max(answers), by=None).iloc[0]
    assert rescaled["mean"] == pytest.approx(direct["pct_of_max"], rel=1e-12)
    assert rescaled["pct_of_max"] == pytest.approx(direct["pct_of_max"], rel=1e-12)


@pytest.mark.parametrize(
    ("frame", "kwargs", "match"),
    [
        (pd.DataFrame({"score": [4]}), {}, "parameter 'scale_max' names column 'scale_max'"),
        (pd.DataFrame({"score": ["setuju"], "scale_max": [5]}), {}, "column 'score' of answers"),
        (pd.DataFrame({"score": [4], "scale_max": [0]}), {}, "'scale_max' of answers must be posi"),
        (pd.DataFrame({"nilai": [4], "maks": [5]}), {"score": "nilai"}, "names column 'scale_max'"),
        ([4, 5], {}, "parameter 'answers' must be a DataFrame"),
    ],
)
def test_percent_of_max_errors(frame, kwargs, match):
    with pytest.raises(ParameterError, match=match):
        percent_of_max(frame, **kwargs)


def test_percent_of_max_other_columns():
    answers = pd.DataFrame({"nilai": [2, 4], "maks": [4, 4]})
    out = percent_of_max(answers, score="nilai", scale_max="maks")
    assert out.to_dict("list") == {"nilai": [50.0, 100.0], "maks": [100, 100]}


# --- POMP of each answer ----------------------------------------------------------------
def test_pomp_answers_by_hand():
    from evalkit.metrics.reaction import pomp_answers

    # (x - 1) / (max - 1) x 100: 4 of 1-5 is 75, 3 of 1-4 is 200/3, both lowest answers 0
    answers = pd.DataFrame(
        {
            "participant_id": ["a", "a", "b", "b"],
            "score": [4, 3, 1.0, 1],
            "scale_max": [5, 4, 5, 4],
        },
        index=[10, 11, 12, 13],
    )
    out = pomp_answers(answers)
    assert out["score"].tolist() == pytest.approx([75.0, 200 / 3, 0.0, 0.0], rel=1e-15)
    assert out["scale_max"].tolist() == [100] * 4
    assert out.index.tolist() == [10, 11, 12, 13]  # the caller's index kept
    assert answers["score"].tolist() == [4, 3, 1.0, 1]  # the input is not changed
    # an answer outside its scale stays outside 0-100: the caller's sign of a wrong scale
    assert pomp_answers(pd.DataFrame({"score": [6], "scale_max": [5]}))["score"].iloc[0] == 125
    named = pomp_answers(
        pd.DataFrame({"nilai": [2, 4], "maks": [4, 4]}), score="nilai", scale_max="maks"
    )
    assert named.to_dict("list") == {"nilai": pytest.approx([100 / 3, 100.0]), "maks": [100, 100]}


def test_pomp_answers_mean_is_the_cohort_reports_pomp():
    """Second computation: on one scale, the mean of the answers' POMP is scale_scores' pomp."""
    from evalkit.metrics.reaction import pomp_answers

    rng = np.random.default_rng(5)
    answers = pd.DataFrame(
        {
            "participant_id": np.repeat([f"p{i}" for i in range(12)], 3),
            "item": np.tile(["q1", "q2", "q3"], 12),
            "dimension": "content",
            "score": rng.integers(1, 6, 36).astype(float),
            "scale_max": 5,
        }
    )
    direct = scale_scores(answers, by=None).iloc[0]
    people = pomp_answers(answers).groupby("participant_id")["score"].mean()
    assert people.mean() == pytest.approx(direct["pomp"], rel=1e-12)


@pytest.mark.parametrize(
    ("frame", "match"),
    [
        (pd.DataFrame({"score": [4]}), "pomp_answers: parameter 'scale_max' names column"),
        (pd.DataFrame({"score": ["setuju"], "scale_max": [5]}), "column 'score' of answers"),
        (
            pd.DataFrame({"score": [1], "scale_max": [1]}),
            "must be above the lowest answer 1, got 1",
        ),
        ([4, 5], "parameter 'answers' must be a DataFrame"),
    ],
)
def test_pomp_answers_errors(frame, match):
    from evalkit.metrics.reaction import pomp_answers

    with pytest.raises(ParameterError, match=match):
        pomp_answers(frame)
