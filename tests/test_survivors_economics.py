"""Survivors of mutation testing of evalkit.metrics.economics (see mutation/README.md).

Each test pins a number, label, message or boundary that a mutant of ``economics.py``
changed without any other test noticing. Expected values are hand calculations written
beside them (sums and ratios of a few round numbers).
"""

from __future__ import annotations

import inspect
import warnings
from pathlib import Path

import pandas as pd
import pytest

from evalkit.errors import EvalkitWarning, ParameterError
from evalkit.metrics import economics
from evalkit.metrics.economics import cost_summary, roi, roi_scenarios, roi_sensitivity

REF = Path(__file__).parent / "reference"


def _one_cohort() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cohort A: two estimates (10e6 x .5 x .8 = 4e6, 5e6 x .8 x .5 = 2e6), costs 4e6."""
    est = pd.DataFrame(
        {
            "cohort_id": ["A", "A"],
            "participant_id": ["p1", "p2"],
            "benefit_idr": [10e6, 5e6],
            "attribution": [0.5, 0.8],
            "confidence": [0.8, 0.5],
        }
    )
    return est, pd.DataFrame({"cohort_id": ["A"], "amount_idr": [4e6]})


# --- roi ------------------------------------------------------------------------------
def test_roi_text_costs_are_refused_by_name():
    with pytest.raises(ParameterError, match=r"^roi: parameter 'costs' must be numeric, got 'x'$"):
        roi(1e6, "x")


@pytest.mark.parametrize(
    ("benefits", "costs"),
    [
        ([[1e6, 2e6]], 1e6),  # benefits two-dimensional, costs a scalar
        ([1e6], [[1e6]]),  # costs two-dimensional
        ([[1e6]], [[1e6]]),  # both
    ],
)
def test_roi_refuses_two_dimensional_inputs(benefits, costs):
    with pytest.raises(
        ParameterError, match=r"^roi: benefits and costs must be scalars or one-dimensional$"
    ):
        roi(benefits, costs)


def test_roi_costs_below_one_rupiah_are_positive():
    # 1 / 0.5: BCR 2, ROI (1 - 0.5) / 0.5 x 100 = 100 %, net 0.5
    assert roi(1.0, 0.5).tolist() == [2.0, 100.0, 0.5]


@pytest.mark.parametrize(
    ("costs", "shown"),
    [
        ([0.5, 2e6, -3.0], "-3.0"),  # the first cost <= 0, not the first value or one below 1
        ([0.5, float("inf")], "inf"),
    ],
)
def test_roi_names_the_first_bad_cost(costs, shown):
    with pytest.raises(
        ParameterError, match=rf"^roi: parameter 'costs' must be positive, got {shown}$"
    ):
        roi([1.0] * len(costs), costs)


def test_roi_takes_the_index_of_whichever_input_is_a_series():
    labels = pd.Index(["x", "y"])
    # 3 / 2 = 1.5 and 4 / 2 = 2
    from_benefits = roi(pd.Series([3.0, 4.0], index=labels), [2.0, 2.0])
    assert from_benefits.index.equals(labels) and from_benefits["bcr"].tolist() == [1.5, 2.0]
    from_costs = roi([3.0, 4.0], pd.Series([2.0, 2.0], index=labels))
    assert from_costs.index.equals(labels) and from_costs["bcr"].tolist() == [1.5, 2.0]


# --- roi_scenarios --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"min_confidence": 1.5},
         r"^roi_scenarios: parameter 'min_confidence' must be a share in \[0, 1\], got 1.5$"),
        ({"durations": (1, "x")},
         r"^roi_scenarios: parameter 'durations' must be two numbers of years"),
    ],
)  # fmt: skip
def test_roi_scenarios_messages_name_the_function(kwargs, match):
    est, cost = _one_cohort()
    with pytest.raises(ParameterError, match=match):
        roi_scenarios(est, cost, **kwargs)


def test_roi_scenarios_text_costs_are_refused_by_name():
    est, cost = _one_cohort()
    with pytest.raises(
        ParameterError,
        match=r"^roi_scenarios: column 'amount_idr' of costs must be numeric, got dtype \w+$",
    ):
        roi_scenarios(est, cost.assign(amount_idr=["4e6"]))


def test_roi_scenarios_extrapolation_checks_the_estimates_by_name():
    est, cost = _one_cohort()
    people = pd.DataFrame({"cohort_id": ["A"], "participant_id": ["p1"]})
    with pytest.raises(
        ParameterError, match=r"^roi_scenarios: estimates has no column\(s\) \['participant_id'\]"
    ):
        roi_scenarios(est.drop(columns="participant_id"), cost, people)


def test_roi_scenarios_other_column_names():
    est, cost = _one_cohort()
    # the default column names are absent: each must be read from its parameter
    est = est.rename(
        columns={"benefit_idr": "manfaat", "attribution": "atribusi", "confidence": "yakin"}
    )
    out = roi_scenarios(est, cost, benefit="manfaat", attribution="atribusi", confidence="yakin")
    # base 4e6 + 2e6 = 6e6 against 4e6: BCR 1.5, ROI 50 %
    assert out.loc["base"].tolist() == pytest.approx([6e6, 4e6, 1.5, 50.0, 2e6], rel=1e-15)
    # confidence >= 0.7 keeps only the first row: 4e6, ROI 0 %
    assert out.loc["confidence_min", "benefits"] == pytest.approx(4e6, rel=1e-15)


def test_roi_scenarios_accepts_an_estimate_of_zero():
    est, cost = _one_cohort()
    est.loc[1, "benefit_idr"] = 0.0  # "no improvement" is a valid estimate, not a negative one
    out = roi_scenarios(est, cost)
    # only 10e6 x .5 x .8 = 4e6 is left: BCR 1, ROI 0 %
    assert out.loc["base"].tolist() == pytest.approx([4e6, 4e6, 1.0, 0.0, 0.0], abs=1e-9)


# --- _as_array, _durations, check_share (through roi and roi_scenarios) ----------------
@pytest.mark.parametrize("benefits", [True, pd.Series([True, False])])
def test_roi_refuses_booleans(benefits):
    with pytest.raises(
        ParameterError, match=r"^roi: parameter 'benefits' must be numeric, got booleans$"
    ):
        roi(benefits, 1.0)


def test_roi_scenarios_durations_both_positive_and_below_one_allowed():
    est, cost = _one_cohort()
    with pytest.raises(ParameterError, match=r"parameter 'durations' must be positive"):
        roi_scenarios(est, cost, durations=(0.5, 0.0))
    out = roi_scenarios(est, cost, durations=(0.25, 0.75))
    # 6e6 x 0.25 = 1.5e6 and 6e6 x 0.75 = 4.5e6
    assert out.loc[["duration_short", "duration_long"], "benefits"].tolist() == [1.5e6, 4.5e6]


def test_roi_scenarios_shares_at_both_ends_are_allowed():
    est, cost = _one_cohort()
    out = roi_scenarios(est, cost, attribution_factor=1.0, min_confidence=0.0)
    # factor 1 keeps every attribution, minimum 0 keeps every estimate: both equal base 6e6
    assert out.loc[["attribution_low", "confidence_min"], "benefits"].tolist() == [6e6, 6e6]
    out = roi_scenarios(est, cost, attribution_factor=0.0, min_confidence=1.0)
    # factor 0 and minimum 1 (no estimate has confidence 1) leave nothing
    assert out.loc[["attribution_low", "confidence_min"], "benefits"].tolist() == [0.0, 0.0]


# --- roi_sensitivity ----------------------------------------------------------------------
@pytest.mark.parametrize("costs", [(2e6, 1e6, 3e6), (1e6, 3e6, 2e6)])
def test_roi_sensitivity_every_pair_must_be_in_order(costs):
    # low > base, and base > high (low <= high in both): not increasing
    with pytest.raises(ParameterError, match=r"parameter 'costs' must be in increasing order"):
        roi_sensitivity(1e6, costs)


def test_roi_sensitivity_messages_and_columns():
    with pytest.raises(
        ParameterError, match=r"^roi_sensitivity: parameter 'costs' must be numeric, got 'x'$"
    ):
        roi_sensitivity(1e6, "x")
    out = roi_sensitivity(6e6, (2e6, 3e6, 4e6))
    assert out.columns.tolist() == ["benefits", "costs", "bcr", "roi_pct", "net_benefit"]
    # low pairs the highest costs: 6e6 / 4e6 = 1.5; high the lowest: 6e6 / 2e6 = 3
    assert out["costs"].tolist() == [4e6, 3e6, 2e6] and out["bcr"].tolist() == [1.5, 2.0, 3.0]


# --- _aligned (through roi) ------------------------------------------------------------------
@pytest.mark.parametrize("which", ["benefits", "costs"])
def test_roi_repeated_labels_are_named(which):
    repeated = pd.Series(1.0, index=["a", "a", "b", "b", "c", "c", "d", "d"])
    other = pd.Series(1.0, index=["a", "b"])
    pair = (repeated, other) if which == "benefits" else (other, repeated)
    # the first three repeated labels, in order
    with pytest.raises(
        ParameterError,
        match=rf"^roi: the index of '{which}' has repeated labels \(a, b, c\); sum it per group "
        r"first \(e\.g\. groupby\('cohort_id'\)\.sum\(\)\)$",
    ):
        roi(*pair)


def test_roi_equal_indexes_with_repeated_labels_are_used_as_they_are():
    labels = ["a", "a"]
    out = roi(pd.Series([3.0, 4.0], index=labels), pd.Series([2.0, 2.0], index=labels))
    assert out.index.tolist() == labels and out["bcr"].tolist() == [1.5, 2.0]


def test_roi_no_shared_label_names_three_of_each():
    b = pd.Series(1.0, index=list("abcd"))
    c = pd.Series(1.0, index=list("efgh"))
    with pytest.raises(
        ParameterError,
        match=r"^roi: benefits and costs must share an index: no label is in both "
        r"\(benefits: a, b, c; costs: e, f, g\)$",
    ):
        roi(b, c)


def test_roi_labels_in_one_series_are_named_in_their_order():
    # shared: k2, k1 (in the order of benefits); costs only: 7 labels; benefits only: 5
    b = pd.Series(2.0, index=["k2", "k1", "b5", "b4", "b3", "b2", "b1"])
    c = pd.Series(1.0, index=["k1", "k2", "c7", "c6", "c5", "c4", "c3", "c2", "c1"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = roi(b, c)
    assert out.index.tolist() == ["k2", "k1"] and out["bcr"].tolist() == [2.0, 2.0]
    assert [str(w.message) for w in caught] == [
        "roi: 7 group(s) with costs but no benefits have no ROI: c7, c6, c5, c4, c3 and 2 more",
        "roi: 5 group(s) with benefits but no costs have no ROI: b5, b4, b3, b2, b1",
    ]
    assert all(w.category is EvalkitWarning for w in caught)
    # six: one more than shown
    with pytest.warns(EvalkitWarning, match=r"no ROI: c6, c5, c4, c3, c2 and 1 more$"):
        roi(b.iloc[:2], c.drop(["c7"]))


# --- _respondent_counts, _extrapolated (through roi_scenarios) ---------------------------
def _two_cohorts() -> tuple[pd.DataFrame, pd.DataFrame]:
    """A as in _one_cohort; B: one estimate without a participant (a unit-level row)."""
    est, cost = _one_cohort()
    unit = pd.DataFrame(
        {"cohort_id": ["B"], "participant_id": [None], "benefit_idr": [2e6],
         "attribution": [1.0], "confidence": [1.0]}
    )  # fmt: skip
    cost = pd.concat([cost, pd.DataFrame({"cohort_id": ["B"], "amount_idr": [1e6]})])
    return pd.concat([est, unit], ignore_index=True), cost


def test_roi_scenarios_counts_of_respondents_and_unit_rows():
    est, cost = _two_cohorts()
    out = roi_scenarios(est, cost, by="cohort_id")
    # A: two people, no unit row; B: nobody, one unit row
    assert out["n_respondents"].tolist() == [2, 0] and out["n_unit_rows"].tolist() == [0, 1]
    assert out["n_respondents"].dtype == int and out["n_unit_rows"].dtype == int
    # without the participant column nobody is counted: NaN, not 0
    out = roi_scenarios(est.drop(columns="participant_id"), cost, by="cohort_id")
    assert out.index.tolist() == ["A", "B"]
    assert out[["n_respondents", "n_unit_rows"]].isna().all().all()


def test_roi_scenarios_extrapolation_checks_the_participants_by_name():
    est, cost = _one_cohort()
    with pytest.raises(
        ParameterError,
        match=r"^roi_scenarios: participants has no column\(s\) \['participant_id'\]",
    ):
        roi_scenarios(est, cost, pd.DataFrame({"cohort_id": ["A"]}))


# --- _checked_cost_inputs (through cost_summary) ----------------------------------------
def _level345() -> list[pd.DataFrame]:
    return [pd.read_csv(REF / f"level345_{n}.csv") for n in ("costs", "participants", "cohorts",
                                                              "learning")]  # fmt: skip


def test_cost_summary_messages_name_the_table():
    costs, participants, cohorts, learning = _level345()
    with pytest.raises(
        ParameterError, match=r"^cost_summary: costs has no column\(s\) \['cohort_id'\]"
    ):
        cost_summary(costs.drop(columns="cohort_id"), participants, cohorts, learning)
    with pytest.raises(
        ParameterError, match=r"^cost_summary: participants has no column\(s\) \['participant_id'\]"
    ):
        cost_summary(costs, participants.drop(columns="participant_id"), cohorts, learning)
    with pytest.raises(
        ParameterError,
        match=r"^cost_summary: column 'amount_idr' of costs must be numeric, got dtype",
    ):
        cost_summary(costs.assign(amount_idr="x"), participants, cohorts, learning)


def test_cost_summary_zero_costs_allowed_and_the_first_negative_named():
    costs, participants, cohorts, learning = _level345()
    # a cost line of 0 is allowed: the total is the sum of the others
    zero = costs.assign(amount_idr=costs["amount_idr"].astype(float))
    zero.loc[0, "amount_idr"] = 0.0
    out = cost_summary(zero, participants, cohorts, learning, by=None)
    assert out["total_cost"] == costs["amount_idr"].iloc[1:].sum()
    # 0.5 and 0 are fine, -2 is the first negative (of -2 and -3)
    bad = zero.copy()
    bad.loc[:3, "amount_idr"] = [0.5, 0.0, -2.0, -3.0]
    with pytest.raises(
        ParameterError, match=r"^cost_summary: column 'amount_idr' of costs must be >= 0, got -2.0$"
    ):
        cost_summary(bad, participants, cohorts, learning)


def test_roi_warns_about_unmatched_groups_at_the_line_that_called_it():
    b = pd.Series(2.0, index=["k1", "b1"])
    c = pd.Series(1.0, index=["k1"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        line = inspect.currentframe().f_lineno + 1
        roi(b, c)
    assert [str(w.message) for w in caught] == [
        "roi: 1 group(s) with benefits but no costs have no ROI: b1"
    ]
    if hasattr(economics, "x__aligned__mutmut_orig"):
        return  # a mutation run wraps every function in extra frames (mutation/README.md)
    assert (caught[0].filename, caught[0].lineno) == (__file__, line)
