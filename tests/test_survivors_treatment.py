"""Tests that kill the survivors of the mutation run of evalkit.metrics.treatment.

Reference values are hand counts of the small tables written in each test (which trainee
is in which unit and cohort), and the IKM rule of Permenpan RB 14/2017 with one element:
IKM = mean answer x 25, graded A (88.31-100), B (76.61-88.30), C (65.00-76.60) and
D (25.00-64.99).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from messages import raises

from evalkit.errors import ParameterError
from evalkit.metrics.treatment import (
    ikm_transitions,
    impact_design,
    period_window,
    primary_outcome,
    treatment_cohorts,
    unit_training,
)

DESIGN = pd.DataFrame({"unit": ["a", "b"], "treated": [True, False]})
PARTS = pd.DataFrame(
    {"cohort_id": ["X", "X", "Z", "V"], "participant_id": ["p1", "p2", "p3", "p4"],
     "unit": ["a", "a", "b", "zz"]}
)  # fmt: skip
COHORTS = pd.DataFrame(
    {"cohort_id": ["V", "Z", "X", "X"], "program_id": ["PV", "PZ", "PX", "PX2"],
     "program_name": ["Vokasi", "Zona", "Prima", "Prima (again)"],
     "start_date": pd.to_datetime(["2023-01-09", "2024-09-02", "2024-03-04", "2030-01-01"])}
)  # fmt: skip


# --- treatment_cohorts -----------------------------------------------------------------------
def test_treatment_cohorts_counts_a_cohort_that_reached_no_trained_unit():
    res = treatment_cohorts(PARTS, COHORTS, DESIGN)
    # X: p1, p2 in a (trained), reaches a, the only trained unit -> defines "treated";
    # Z: p3 in b (comparison), no trained unit reached; V: p4 is in no study unit, so V is
    # left out although it is in the cohorts table. X is listed twice: its first row counts.
    assert res.index.name == "cohort_id" and res.index.tolist() == ["X", "Z"]
    assert res["program_name"].tolist() == ["Prima", "Zona"]
    assert res["n_treated_units"].tolist() == [1, 0]
    assert res["n_in_treated"].tolist() == [2, 0]
    assert res["n_in_comparison"].tolist() == [0, 1]
    assert res["defines_treated"].tolist() == [True, False]
    for name in ("n_treated_units", "n_in_treated", "n_in_comparison"):
        assert res[name].dtype == np.int64, name


def test_treatment_cohorts_errors_name_the_function_and_the_table():
    with raises(
        "treatment_cohorts: participants has no column(s) ['participant_id']; "
        "available: ['cohort_id', 'unit']"
    ):
        treatment_cohorts(PARTS.drop(columns="participant_id"), COHORTS, DESIGN)
    with raises(
        "treatment_cohorts: cohorts has no column(s) ['program_name']; "
        "available: ['cohort_id', 'program_id', 'start_date']"
    ):
        treatment_cohorts(PARTS, COHORTS.drop(columns="program_name"), DESIGN)
    with raises("treatment_cohorts: design has no column(s) ['treated']; available: ['unit']"):
        treatment_cohorts(PARTS, COHORTS, DESIGN.drop(columns="treated"))
    # both units have both values: the first one is named
    both = pd.DataFrame({"unit": ["a", "a", "b", "b"], "treated": [True, False, True, False]})
    with raises(
        "treatment_cohorts: column 'treated' of design must be constant within each unit; "
        "unit 'a' has both values"
    ):
        treatment_cohorts(PARTS, COHORTS, both)
    with raises(
        "treatment_cohorts: column 'treated' must be boolean (True/False or 0/1), "
        "got values ['no', 'yes']"
    ):
        treatment_cohorts(PARTS, COHORTS, DESIGN.assign(treated=["yes", "no"]))


# --- unit_training ---------------------------------------------------------------------------
def test_unit_training_without_a_window_counts_a_cohort_without_a_start_date():
    # Q is not in the cohorts table (no start date): only window=None counts it.
    parts = pd.concat(
        [PARTS, pd.DataFrame({"cohort_id": ["Q"], "participant_id": ["p5"], "unit": ["b"]})]
    )
    every = unit_training(parts, COHORTS, DESIGN, window=None, defining=["X"])
    assert every.columns.tolist() == ["treated", "n_defining", "n_other", "n_other_cohorts"]
    # a: p1, p2 in X (defining), nothing else; b: p3 in Z and p5 in Q
    assert every.loc["a", ["n_defining", "n_other", "n_other_cohorts"]].tolist() == [2, 0, 0]
    assert every.loc["b", ["n_defining", "n_other", "n_other_cohorts"]].tolist() == [0, 2, 2]
    for name in ("n_defining", "n_other", "n_other_cohorts"):
        assert every[name].dtype == np.int64, name
    # 2024 only: Z (2024-09-02) counts, Q (no date) does not; X's first row (2024) counts
    year = unit_training(parts, COHORTS, DESIGN, window=("2024-01-01", "2024-12-31"), defining=[])
    assert year.loc["a", ["n_other", "n_other_cohorts"]].tolist() == [2, 1]
    assert year.loc["b", ["n_other", "n_other_cohorts"]].tolist() == [1, 1]


@pytest.mark.filterwarnings("ignore:Could not infer format:UserWarning")
def test_unit_training_errors_name_the_function_and_the_table():
    with raises(
        "unit_training: participants has no column(s) ['participant_id']; "
        "available: ['cohort_id', 'unit']"
    ):
        unit_training(PARTS.drop(columns="participant_id"), COHORTS, DESIGN, window=None,
                      defining=[])  # fmt: skip
    with raises(
        "unit_training: cohorts has no column(s) ['start_date']; "
        "available: ['cohort_id', 'program_id', 'program_name']"
    ):
        unit_training(PARTS, COHORTS.drop(columns="start_date"), DESIGN, window=None, defining=[])
    with raises(
        "unit_training: column 'treated' of design must be constant within each unit; "
        "unit 'b' has both values"
    ):
        unit_training(PARTS, COHORTS, pd.concat([DESIGN, DESIGN.iloc[[1]].assign(treated=True)]),
                      window=None, defining=[])  # fmt: skip
    # the rest of the message is pandas' own (it differs between versions)
    with pytest.raises(
        ParameterError,
        match=r"^unit_training: 'window' and column 'start_date' must be dates: .*soon",
    ):
        unit_training(PARTS, COHORTS.assign(start_date="soon"), DESIGN, window=None, defining=[])


# --- period_window ---------------------------------------------------------------------------
def test_period_window_from_a_second_half_to_a_first_half():
    # 2024-S2 starts on 1 July 2024; 2025-S1 ends on 30 June 2025
    start, end = period_window(["2025-S1", "2024-S2"])
    assert (start, end) == (pd.Timestamp("2024-07-01"), pd.Timestamp("2025-06-30"))


def test_period_window_refuses_labels_of_the_wrong_shape():
    for label in ("2024-SX", "2024-S1x", "2024_S1", "24-S1", "abcd-S1"):
        with raises(
            f"period_window: period labels must look like '2024-S1' or '2024-S2', got {label!r}"
        ):
            period_window([label])
    with raises("period_window: parameter 'labels' is empty"):
        period_window([])


# --- impact_design and primary_outcome -------------------------------------------------------
def test_impact_design_has_one_row_per_unit_and_period():
    # three IKM respondents of unit a in S1 (different answers), one in S2
    ikm = pd.DataFrame(
        {"unit": ["a", "a", "a", "a"], "period": ["S1", "S1", "S1", "S2"],
         "period_index": [0, 0, 0, 1], "post": [False, False, False, True],
         "treated": [True] * 4, "u1": [1, 2, 3, 4]},
        index=[10, 11, 12, 13],
    )  # fmt: skip
    got = impact_design({"ikm": ikm})
    assert got.columns.tolist() == ["unit", "period", "period_index", "post", "treated"]
    assert got.index.tolist() == [0, 1]
    assert got["period"].tolist() == ["S1", "S2"]


def test_impact_design_and_primary_outcome_name_the_tables_they_need():
    with raises(
        "impact_design: ikm has no column(s) ['period', 'period_index', 'post', 'treated']; "
        "available: ['unit']"
    ):
        impact_design({"ikm": pd.DataFrame({"unit": ["a"]})})
    for func in (impact_design, primary_outcome):
        name = func.__name__
        with raises(f"{name}: tables holds none of ikm, unit_kpi; got cohorts, learning"):
            func({"learning": None, "cohorts": None})
        with raises(f"{name}: tables holds none of ikm, unit_kpi; got no table"):
            func({})


# --- ikm_transitions -------------------------------------------------------------------------
def _responses() -> pd.DataFrame:
    # a (trained): 3 -> 4, IKM 75 (C) -> 100 (A); c (trained): 2 -> 3, 50 (D) -> 75 (C);
    # b (comparison): 3 -> 3 (C); d (comparison): 4 -> 2, 100 (A) -> 50 (D)
    units = ["d", "c", "b", "a"]
    pre = {"a": 3, "b": 3, "c": 2, "d": 4}
    post = {"a": 4, "b": 3, "c": 3, "d": 2}
    return pd.DataFrame(
        {"unit": units * 2, "post": [False] * 4 + [True] * 4,
         "treated": [u in "ac" for u in units] * 2,
         "u1": [pre[u] for u in units] + [post[u] for u in units]},
        index=range(100, 108),
    )  # fmt: skip


def test_ikm_transitions_orders_trained_units_first_then_by_name():
    res = ikm_transitions(_responses(), elements=["u1"])
    assert res.index.tolist() == ["a", "c", "b", "d"]
    assert res["treated"].tolist() == [True, True, False, False]
    assert res["ikm_pre"].tolist() == [75.0, 50.0, 75.0, 100.0]
    assert res["ikm_post"].tolist() == [100.0, 75.0, 75.0, 50.0]
    assert res["transition"].tolist() == ["C → A", "D → C", "C", "A → D"]
    assert res["change"].tolist() == [25.0, 25.0, 0.0, -50.0]


def test_ikm_transitions_errors_name_the_unit_and_the_table():
    r = _responses()
    with raises("ikm_transitions: responses has no column(s) ['post']; available: "
                "['unit', 'treated', 'u1']"):  # fmt: skip
        ikm_transitions(r.drop(columns="post"), elements=["u1"])
    with raises(
        "ikm_transitions: column 'post' must be boolean (True/False or 0/1), "
        "got values ['0', '1', 'no']"
    ):
        ikm_transitions(r.assign(post=["no", 1, 0, 1, 0, 1, 0, 1]), elements=["u1"])
    with raises(
        "ikm_transitions: column 'treated' of responses must be constant within each unit; "
        "unit 'd' has both values"
    ):
        ikm_transitions(r.assign(treated=[True] + [False] * 7), elements=["u1"])
    # unit b has no answers before: its pre IKM is missing
    without_b = r[~((r["unit"] == "b") & ~r["post"])]
    with raises("ikm_transitions: unit 'b' has no respondents before the training"):
        ikm_transitions(without_b, elements=["u1"])
    # nobody answered after: the first unit (by name) is named
    with raises("ikm_transitions: unit 'a' has no respondents after the training"):
        ikm_transitions(r[~r["post"]], elements=["u1"])
