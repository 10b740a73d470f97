"""Survivors of mutation testing of evalkit.metrics.cost_items (see mutation/README.md).

Each test pins a number, label, message or boundary that a mutant of ``cost_items.py``
changed without any other test noticing. Expected values are hand calculations written
beside them (sums, means and two-value standard deviations of round numbers).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest

from evalkit.errors import EvalkitWarning, ParameterError
from evalkit.metrics.cost_items import cost_effectiveness, cost_items

#: sd of two values x, y (ddof = 1) is |x - y| / sqrt(2)
SD_20 = 20 / math.sqrt(2)  # sd(40, 60) = sd(30, 50) = 14.142135623730951
nan = np.nan


# --- cost_items ------------------------------------------------------------------------
def _costs() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "cohort_id": ["A", "A", "B"],
            "category": ["konsumsi", "waktu_peserta", "konsumsi"],
            "amount_idr": [6e6, 4e6, 1e6],
        }
    )


def test_cost_items_missing_column_is_named():
    with pytest.raises(
        ParameterError, match=r"^cost_items: costs has no column\(s\) \['category'\]"
    ):
        cost_items(_costs().drop(columns="category"))


def test_cost_items_text_amounts_are_refused_by_name():
    with pytest.raises(
        ParameterError, match=r"^cost_items: column 'amount_idr' of costs must be numeric$"
    ):
        cost_items(_costs().assign(amount_idr=["6e6", "banyak", "1e6"]))


def test_cost_items_cohort_attribute_missing_from_cohorts_is_named():
    cohorts = pd.DataFrame({"cohort_id": ["A", "B"]})
    with pytest.raises(
        ParameterError, match=r"^cost_items: cohorts has no column\(s\) \['program_id'\]"
    ):
        cost_items(_costs(), cohorts, by="program_id")


def test_cost_items_names_the_one_cohort_absent_from_cohorts():
    cohorts = pd.DataFrame({"cohort_id": ["A"], "program_id": ["P"]})
    with pytest.raises(
        ParameterError, match=r"^cost_items: cohort 'B' of costs is not in cohorts$"
    ):
        cost_items(_costs(), cohorts, by="program_id")


def test_cost_items_cohort_listed_twice_takes_its_first_row():
    # A is listed twice (same program, another start date): its first row is used
    cohorts = pd.DataFrame(
        {
            "cohort_id": ["A", "A", "B"],
            "program_id": ["P", "P", "Q"],
            "start_date": ["2024-01-08", "2024-02-05", "2024-03-04"],
        }
    )
    out = cost_items(_costs(), cohorts, by="program_id")
    # P = A: cash 6e6, time 4e6, total 10e6, share 0.4; Q = B: cash 1e6
    assert out.loc["P"].tolist() == [6e6, 4e6, 0.0, 10e6, 0.4]
    assert out.loc["Q"].tolist() == [1e6, 0.0, 0.0, 1e6, 0.0]


def test_cost_items_without_cost_lines_pooled_is_zero():
    empty = pd.DataFrame({"cohort_id": [], "category": [], "amount_idr": []})
    out = cost_items(empty, by=None)
    # nothing paid: every kind 0, the share of 0 / 0 undefined
    assert out.index.tolist() == [
        "cash", "participant_time", "other", "total_cost", "share_participant_time",
    ]  # fmt: skip
    assert out.tolist() == pytest.approx([0.0, 0.0, 0.0, 0.0, nan], nan_ok=True)


def test_cost_items_without_cost_lines_grouped_is_an_empty_table():
    # it gave one row labelled 0, as if a cohort "0" had been paid nothing
    empty = pd.DataFrame({"cohort_id": [], "category": [], "amount_idr": []})
    out = cost_items(empty)
    assert out.empty and out.index.names == ["cohort_id"]
    assert not isinstance(out.index, pd.MultiIndex)
    assert out.columns.tolist() == [
        "cash", "participant_time", "other", "total_cost", "share_participant_time",
    ]  # fmt: skip
    cohorts = pd.DataFrame({"cohort_id": ["A"], "program_id": ["P"]})
    two = cost_items(empty, cohorts, by=["program_id", "cohort_id"])
    assert two.empty and two.index.names == ["program_id", "cohort_id"]


def test_cost_items_columns_are_unnamed_and_a_small_total_has_a_share():
    costs = pd.DataFrame(
        {"cohort_id": ["A", "A"], "category": ["waktu_peserta", "konsumsi"],
         "amount_idr": [0.25, 0.25]}
    )  # fmt: skip
    out = cost_items(costs)
    assert out.columns.name is None and out.index.name == "cohort_id"
    # a total of 0.5 (below 1) is still positive: share 0.25 / 0.5
    assert out.loc["A"].tolist() == [0.25, 0.25, 0.0, 0.5, 0.5]


# --- cost_effectiveness ----------------------------------------------------------------
def _tables() -> dict[str, pd.DataFrame]:
    """Seven cohorts; the comment of the test gives each one's numbers."""
    cohorts = pd.DataFrame(
        {
            "cohort_id": list("ABCDEFG"),
            "program_id": ["P", "P", "P", "Q", "Q", "Q", "Q"],
            "jp": 10,
        }
    )
    costs = pd.DataFrame(
        {
            "cohort_id": list("ABCDEFG"),
            "category": "x",
            "amount_idr": [6e6, 4e6, 120e6, 2e6, 1e6, 5e6, 4e6],
        }
    )
    people = {"A": 3, "B": 2, "C": 3, "D": 2, "E": 1, "F": 1, "G": 2}
    participants = pd.DataFrame(
        [(c, f"{c.lower()}{i}") for c, n in people.items() for i in range(1, n + 1)],
        columns=["cohort_id", "participant_id"],
    )
    # (cohort, participant, pre, post, max_score); a3, c3 and all of E have no scores
    rows = [
        ("A", "a1", 40.0, 60.0, 100.0),
        ("A", "a2", 60.0, 70.0, 100.0),
        ("B", "b1", 0.25, 0.75, 1.0),
        ("B", "b2", 0.5, 0.75, 1.0),
        ("C", "c1", 50.0, 50.0, np.nan),
        ("C", "c2", 50.0, 60.0, np.nan),
        ("D", "d1", 30.0, 40.0, 100.0),
        ("D", "d2", 50.0, 50.0, 50.0),
        ("F", "f1", 20.0, 30.0, 100.0),
        ("G", "g1", 40.0, 50.0, 100.0),
        ("G", "g2", 60.0, 50.0, 100.0),
    ]
    learning = pd.DataFrame(
        rows, columns=["cohort_id", "participant_id", "pre", "post", "max_score"]
    )
    return {"costs": costs, "participants": participants, "cohorts": cohorts, "learning": learning}


COLUMNS = [
    "instrument", "max_score", "n_participants", "cost_per_participant", "n_gain", "mean_gain",
    "cost_per_gain_point", "rank_in_instrument", "n_in_instrument", "sd_pre",
    "standardized_gain", "cost_per_sd_gain",
]  # fmt: skip

# By hand. cost per participant = costs / enrolled; mean gain over the rows with both
# scores; cost per gain point = cost per participant / mean gain (NaN for a mean <= 0);
# sd_pre with ddof = 1 (NaN for one row); standardised gain = mean gain / sd_pre (NaN for
# sd 0); cost per SD = cost per participant / standardised gain (NaN for a gain <= 0).
# max_score: the cohort's one maximum, NaN when missing or when two differ (D: 100 and 50).
# Ranks are within (instrument, max_score), a missing maximum its own group; rows sorted
# by instrument, max_score (missing first), cost per gain point (NaN last).
# E has no learning rows: not shown.
EXPECTED = {
    # C: 120e6 / 3 = 40e6; gains 0, 10 -> 5; 40e6 / 5 = 8e6; pre 50, 50: sd 0
    "C": ["P", nan, 3, 40e6, 2, 5.0, 8e6, 1.0, 1, 0.0, nan, nan],
    # B: 4e6 / 2 = 2e6; gains .5, .25 -> .375; 2e6 / .375; sd(.25, .5) = .25 / sqrt 2 < 1
    "B": ["P", 1.0, 2, 2e6, 2, 0.375, 2e6 / 0.375, 1.0, 1, 0.25 / math.sqrt(2),
          0.375 / (0.25 / math.sqrt(2)), 2e6 / (0.375 / (0.25 / math.sqrt(2)))],
    # A: 6e6 / 3 = 2e6; gains 20, 10 -> 15; sd(40, 60)
    "A": ["P", 100.0, 3, 2e6, 2, 15.0, 2e6 / 15, 1.0, 1, SD_20, 15 / SD_20,
          2e6 / (15 / SD_20)],
    # D: 2e6 / 2 = 1e6; gains 10, 0 -> 5; two maxima -> NaN; sd(30, 50)
    "D": ["Q", nan, 2, 1e6, 2, 5.0, 2e5, 1.0, 1, SD_20, 5 / SD_20, 1e6 / (5 / SD_20)],
    # F: one row: 5e6, gain 10 -> 5e5; sd NaN
    "F": ["Q", 100.0, 1, 5e6, 1, 10.0, 5e5, 1.0, 2, nan, nan, nan],
    # G: 4e6 / 2 = 2e6; gains 10, -10 -> 0: no cost per point, no rank; sd(40, 60) > 0 but
    # standardised gain 0 -> no cost per SD
    "G": ["Q", 100.0, 2, 2e6, 2, 0.0, nan, nan, 2, SD_20, 0.0, nan],
}  # fmt: skip


def _check(out: pd.DataFrame) -> None:
    assert out.columns.tolist() == COLUMNS
    assert out.index.tolist() == list(EXPECTED)
    for cohort, values in EXPECTED.items():
        row = out.loc[cohort]
        assert row["instrument"] == values[0]
        assert row.iloc[1:].tolist() == pytest.approx(values[1:], rel=1e-12, nan_ok=True), cohort


def test_cost_effectiveness_by_hand():
    t = _tables()
    with pytest.warns(EvalkitWarning, match=r"1 group\(s\) with mean gain <= 0"):
        out = cost_effectiveness(t["costs"], t["participants"], t["cohorts"], t["learning"])
    _check(out)


def test_cost_effectiveness_other_column_names():
    t = _tables()
    names = {
        "cohort_id": "kelas", "participant_id": "peserta", "amount_idr": "biaya",
        "jp": "jam", "pre": "awal", "post": "akhir", "max_score": "skor_maks",
        "program_id": "tes",
    }  # fmt: skip
    t = {k: v.rename(columns=names) for k, v in t.items()}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EvalkitWarning)
        out = cost_effectiveness(
            t["costs"], t["participants"], t["cohorts"], t["learning"], instrument="tes",
            cohort="kelas", participant="peserta", amount="biaya", jp="jam", pre="awal",
            post="akhir", max_score="skor_maks",
        )  # fmt: skip
    _check(out)


def test_cost_effectiveness_without_max_scores_ranks_per_instrument():
    t = _tables()
    keep = t["learning"]["cohort_id"].isin(["A", "D"])
    learning = t["learning"][keep].drop(columns="max_score")
    out = cost_effectiveness(t["costs"], t["participants"], t["cohorts"], learning)
    # no maximum known: A (P) and D (Q) are each alone in their test
    assert out.index.tolist() == ["A", "D"]
    assert out["max_score"].isna().all() and out["max_score"].dtype == float
    assert out["rank_in_instrument"].tolist() == [1.0, 1.0]
    assert out["n_in_instrument"].tolist() == [1, 1]


def test_cost_effectiveness_needs_the_instrument_column():
    t = _tables()
    with pytest.raises(
        ParameterError, match=r"^cost_effectiveness: cohorts has no column\(s\) \['program_id'\]"
    ):
        cost_effectiveness(
            t["costs"], t["participants"], t["cohorts"].drop(columns="program_id"), t["learning"]
        )
