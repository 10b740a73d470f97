"""Tests that kill the survivors of the mutation run of evalkit.metrics.needs.

Reference values are hand calculations on the small tables below. A rating becomes POMP
(score - 1) / 4 x 100 on the 1-5 form. A group in G > 1 cohorts has the CR1 standard
error sqrt(G / (G - 1) x sum_g (sum of the residuals in cohort g)^2 / n^2) with t on
G - 1 df; a group in one cohort the t interval, undefined for one person. The t
quantiles are scipy's.
"""

from __future__ import annotations

import inspect
import warnings

import numpy as np
import pandas as pd
import pytest
from messages import raises, refuses_bad_ci_and_vcov
from scipy import stats

from evalkit.errors import EvalkitWarning
from evalkit.metrics import needs
from evalkit.metrics.needs import behavior_needs, group_means, needs_ranking, relevance_needs

# p1, p2 in batch A, p3, p4 in batch B; p4 has no position type and no rating of b2.
# POMP: b1 = 100, 75, 50, 25 and b2 = 50, 0, 50 (p1, p2, p3).
FOLLOWUP = pd.DataFrame(
    {"batch": ["A", "A", "A", "A", "B", "B", "B"],
     "participant_id": ["p1", "p1", "p2", "p2", "p3", "p3", "p4"],
     "rater": "supervisor", "months_after": 3,
     "item": ["b1", "b2", "b1", "b2", "b1", "b2", "b1"],
     "score": [5, 3, 4, 1, 3, 3, 2], "scale_max": 5}
)  # fmt: skip
PEOPLE = pd.DataFrame(
    {"batch": ["A", "A", "B", "B"], "participant_id": ["p1", "p2", "p3", "p4"],
     "unit": ["a", "a", "a", "b"], "position_type": ["x", "y", "x", None]}
)  # fmt: skip
CHARS = ["unit", "position_type"]


def needs_of(followup=FOLLOWUP, people=PEOPLE, **kw):
    return behavior_needs(followup, people, cohort="batch", **kw)


def t_half(level: float, df: float, se: float) -> float:
    return stats.t.ppf(0.5 + level / 2, df) * se


# --- behavior_needs ----------------------------------------------------------------------
def test_behavior_needs_by_hand_with_a_cohort_column_of_another_name():
    out = needs_of(ci=0.9)
    assert list(out.index.names) == ["characteristic", "group", "item"]
    assert out.index.get_level_values("characteristic").unique().tolist() == CHARS
    # unit a, b1: 100, 75 (A) and 50 (B); residuals 25, 0 | -25; se^2 = 2 (25^2 + 25^2) / 9
    row = out.loc[("unit", "a", "b1")]
    se = np.sqrt(2 * (25**2 + 25**2) / 9)
    assert (row["n"], row["n_clusters"], row["inference"]) == (3, 2, "cluster")
    assert row["mean"] == pytest.approx(75) and row["se"] == pytest.approx(se)
    assert row["df"] == 1
    assert row["ci_low"] == pytest.approx(75 - t_half(0.9, 1, se))
    assert row["ci_high"] == pytest.approx(75 + t_half(0.9, 1, se))
    # unit a, b2: 50, 0 (A) and 50 (B), mean 100/3: the residuals summed per cohort
    row = out.loc[("unit", "a", "b2")]
    m = 100 / 3
    sums = [(50 - m) + (0 - m), 50 - m]
    assert row["mean"] == pytest.approx(m)
    assert row["se"] == pytest.approx(np.sqrt(2 * sum(s**2 for s in sums) / 9))
    # unit b: p4 alone, in one cohort: the t rule, no interval for one person
    row = out.loc[("unit", "b", "b1")]
    assert (row["n"], row["n_clusters"], row["inference"], row["mean"]) == (1, 1, "t", 25)
    assert np.isnan(row["sd"]) and np.isnan(row["ci_low"]) and np.isnan(row["ci_high"])
    # position x: p1 (A) 100 and p3 (B) 50; se^2 = 2 (25^2 + 25^2) / 4
    row = out.loc[("position_type", "x", "b1")]
    assert row["mean"] == pytest.approx(75) and row["se"] == pytest.approx(25)
    assert ("position_type", "y", "b1") in out.index  # p2
    assert len(out.xs("position_type")) == 4  # x, y by b1, b2: p4 is in no position group


def test_behavior_needs_overall_mean_gap_and_people_per_group():
    out = needs_of()
    # the item's mean over all four people rated (b1) and the three rated on b2
    assert out["overall_mean"].xs("b1", level="item").tolist() == [62.5] * 4
    assert out["overall_mean"].xs("b2", level="item").to_numpy() == pytest.approx([100 / 3] * 3)
    gap = out["gap_to_overall"]
    assert gap.loc[("unit", "a", "b1")] == pytest.approx(75 - 62.5)
    assert gap.loc[("unit", "b", "b1")] == pytest.approx(25 - 62.5)
    # n_group: people of the group rated on any item, p4 counting in unit b although it
    # has no position type
    assert out["n_group"].dtype == np.float64
    assert out["n_group"].to_dict() == {
        ("unit", "a", "b1"): 3, ("unit", "a", "b2"): 3, ("unit", "b", "b1"): 1,
        ("position_type", "x", "b1"): 2, ("position_type", "x", "b2"): 2,
        ("position_type", "y", "b1"): 1, ("position_type", "y", "b2"): 1,
    }  # fmt: skip


def test_people_per_group_when_a_unit_and_a_position_type_share_a_label():
    # position types named like units: n_group must be looked up per characteristic
    people = PEOPLE.assign(position_type=["b", "a", "b", None])
    out = needs_of(people=people)
    assert out["n_group"].xs("b1", level="item").to_dict() == {
        ("unit", "a"): 3,
        ("unit", "b"): 1,
        ("position_type", "a"): 1,
        ("position_type", "b"): 2,
    }


def test_a_characteristic_nobody_has_is_passed_over_for_the_next():
    people = PEOPLE.assign(grade=np.nan)
    out = needs_of(people=people, characteristics=["grade", "unit"])
    assert out.index.get_level_values("characteristic").unique().tolist() == ["unit"]
    assert out.loc[("unit", "a", "b1"), "n"] == 3


def test_a_person_listed_twice_in_participants_counts_once_with_the_first_row():
    people = pd.concat([PEOPLE, PEOPLE.iloc[[0]].assign(unit="b")], ignore_index=True)
    out = needs_of(people=people)
    assert out.loc[("unit", "a", "b1"), "n"] == 3 and out.loc[("unit", "b", "b1"), "n"] == 1


def test_months_none_needs_no_wave_column_and_a_wave_needs_it():
    one_wave = FOLLOWUP.drop(columns="months_after")
    out = needs_of(followup=one_wave, months=None)
    assert out.loc[("unit", "a", "b1"), "mean"] == pytest.approx(75)
    with raises(
        "behavior_needs: followup has no column(s) ['months_after']; available: "
        "['batch', 'participant_id', 'rater', 'item', 'score', 'scale_max']"
    ):
        needs_of(followup=one_wave)


def test_a_wave_written_as_text_is_left_out_not_an_error():
    text = FOLLOWUP.astype({"months_after": object})
    text.loc[6, "months_after"] = "tiga"  # p4's rating: not at a numeric wave
    out = needs_of(followup=text)
    assert ("unit", "b", "b1") not in out.index
    assert out.loc[("unit", "a", "b1"), "n"] == 3


def test_messages_of_behavior_needs():
    with raises("behavior_needs: followup has no rating by 'mentor'"):
        needs_of(months=None, rater="mentor")
    with raises("behavior_needs: followup has no rating by 'mentor' at months_after = 3"):
        needs_of(rater="mentor")
    refuses_bad_ci_and_vcov("behavior_needs", needs_of)
    with raises(
        "behavior_needs: participants has no column(s) ['unit']; available: "
        "['batch', 'participant_id', 'position_type']"
    ):
        needs_of(people=PEOPLE.drop(columns="unit"))
    text = FOLLOWUP.astype({"score": object, "scale_max": object})
    text.loc[2, "score"] = "baik"
    with raises(
        "behavior_needs: column 'score' must hold numbers, got non-numeric value 'baik' "
        "(row 2); map answer labels to numbers first"
    ):
        needs_of(followup=text)
    text = FOLLOWUP.astype({"scale_max": object})
    text.loc[3, "scale_max"] = "lima"
    with raises(
        "behavior_needs: column 'scale_max' must hold numbers, got non-numeric value 'lima' "
        "(row 3); map answer labels to numbers first"
    ):
        needs_of(followup=text)
    with pytest.warns(EvalkitWarning) as caught:
        with raises(
            "behavior_needs: no person has any of the characteristics ['unit', 'position_type']"
        ):
            needs_of(people=PEOPLE.assign(unit=None, position_type=None))
    assert str(caught[0].message).startswith("behavior_needs: 7 row(s) of people not in")


def test_two_waves_without_months_name_the_first_rating_given_twice():
    # the second wave repeats p1's b1 first and p2's b2 later, with other scores
    again = FOLLOWUP.iloc[[0, 3]].assign(months_after=6, score=[1, 2])
    with raises(
        "behavior_needs: item 'b1' is rated twice for participant 'p1'; "
        "pass months= to choose one wave"
    ):
        needs_of(followup=pd.concat([FOLLOWUP, again], ignore_index=True), months=None)


def test_people_missing_from_participants_are_warned_about_where_the_call_is():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        line = inspect.currentframe().f_lineno + 1
        out = behavior_needs(FOLLOWUP, PEOPLE.iloc[:3], cohort="batch")
    assert [str(w.message) for w in caught] == [
        "behavior_needs: 1 row(s) of people not in participants (or without "
        "['unit', 'position_type']) left out of the groups"
    ]
    assert out["overall_mean"].xs("b1", level="item").iloc[0] == 62.5  # p4 still counts
    if hasattr(needs, "x__with_characteristics__mutmut_orig"):
        return  # a mutation run wraps every function in extra frames (mutation/README.md)
    assert (caught[0].filename, caught[0].lineno) == (__file__, line)  # the call above


# --- relevance_needs ---------------------------------------------------------------------
# p1: (4, 5) -> 75, 100 -> 87.5; p2: 3 -> 50; p3: (2 on a 1-4 form) -> 33.33; p4: 1 -> 0
REACTION = pd.DataFrame(
    {"batch": ["A", "A", "A", "B", "B", "B"],
     "participant_id": ["p1", "p1", "p2", "p3", "p4", "p4"],
     "dimension": ["relevance", "relevance", "relevance", "relevance", "relevance", "content"],
     "score": [4, 5, 3, 2, 1, 5], "scale_max": [5, 5, 5, 4, 5, 5]}
)  # fmt: skip


def test_relevance_needs_by_hand():
    out = relevance_needs(REACTION, PEOPLE, cohort="batch")
    p3 = 100 / 3
    overall = (87.5 + 50 + p3 + 0) / 4
    row = out.loc[("unit", "a")]
    mean_a = (87.5 + 50 + p3) / 3
    assert row["mean"] == pytest.approx(mean_a) and row["n"] == 3
    assert out["overall_mean"].to_numpy() == pytest.approx([overall] * len(out))
    assert row["gap_to_overall"] == pytest.approx(mean_a - overall)
    assert out.loc[("unit", "b"), "gap_to_overall"] == pytest.approx(0 - overall)
    assert out.loc[("position_type", "x"), "mean"] == pytest.approx((87.5 + p3) / 2)


def test_messages_of_relevance_needs():
    def call(reaction=REACTION, people=PEOPLE, **kw):
        return relevance_needs(reaction, people, cohort="batch", **kw)

    refuses_bad_ci_and_vcov("relevance_needs", call)
    with raises(
        "relevance_needs: reaction has no column(s) ['scale_max']; available: "
        "['batch', 'participant_id', 'dimension', 'score']"
    ):
        call(REACTION.drop(columns="scale_max"))
    text = REACTION.astype({"score": object, "scale_max": object})
    text.loc[1, "score"] = "setuju"
    with raises(
        "relevance_needs: column 'score' must hold numbers, got non-numeric value 'setuju' "
        "(row 1); map answer labels to numbers first"
    ):
        call(text)
    text = REACTION.astype({"scale_max": object})
    text.loc[0, "scale_max"] = "?"
    with raises(
        "relevance_needs: column 'scale_max' must hold numbers, got non-numeric value '?' "
        "(row 0); map answer labels to numbers first"
    ):
        call(text)
    with pytest.warns(EvalkitWarning, match="^relevance_needs: 4 row"):
        with raises(
            "relevance_needs: no person has any of the characteristics ['unit', 'position_type']"
        ):
            call(people=PEOPLE.assign(unit=None, position_type=None))
    with raises(
        "relevance_needs: reaction has no item of dimension 'relevansi'; dimensions are "
        "['content', 'relevance']"
    ):
        call(dimension_value="relevansi")


# --- group_means -------------------------------------------------------------------------
def test_group_means_columns_sorted_groups_and_one_row_without_groups():
    d = pd.DataFrame({"y": [4.0, 2, 6, 8], "g": ["b", "b", "a", "a"], "cohort_id": "c"})
    out = group_means(d, "y", by="g")
    assert out.columns.tolist() == list(needs.MEAN_COLUMNS)
    assert out.index.name == "g" and out.index.tolist() == ["a", "b"]
    assert out["mean"].tolist() == [7, 3]
    whole = group_means(d, "y")
    assert len(whole) == 1 and whole["mean"].iloc[0] == 5 and whole["n"].iloc[0] == 4


def test_group_means_drops_a_row_without_a_group_and_one_without_an_outcome():
    d = pd.DataFrame({"y": [1.0, 2, np.nan, 4], "g": ["a", "a", "a", None], "cohort_id": "c"})
    out = group_means(d, "y", by="g")
    assert out.index.tolist() == ["a"]
    assert (out.loc["a", "n"], out.loc["a", "mean"]) == (2, 1.5)
    assert out.loc["a", "sd"] == pytest.approx(np.sqrt(0.5))


def test_group_means_one_person_and_one_cohort_raise_no_numpy_warning():
    d = pd.DataFrame({"y": [1.0, 3, 5], "g": ["a", "b", "b"], "cohort_id": ["c", "c", "d"]})
    for vcov in ("CR1", "CR2"):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            out = group_means(d, "y", by="g", vcov=vcov)
        assert np.isnan(out.loc["a", "se"]) and out.loc["b", "n_clusters"] == 2


def test_messages_of_group_means():
    d = pd.DataFrame({"y": ["1", "x"], "cohort_id": "c"})
    with raises("group_means: parameter 'ci' must be a number in (0, 1), got 2"):
        group_means(d, "y", ci=2)
    with raises("group_means: data has no column(s) ['g']; available: ['y', 'cohort_id']"):
        group_means(d, "y", by="g")
    with raises(
        "group_means: column 'y' must hold numbers, got non-numeric value 'x' (row 1); "
        "map answer labels to numbers first"
    ):
        group_means(d, "y")


# --- needs_ranking -----------------------------------------------------------------------
def ranking_input():
    # the characteristic level is categorical in the caller's order, as behavior_needs gives
    chars = pd.Categorical(["unit"] * 3 + ["position_type"] * 2,
                           categories=["unit", "position_type"])  # fmt: skip
    idx = pd.MultiIndex.from_arrays(
        [chars, ["A", "A", "B", "x", "x"], ["b1", "b2", "b1", "b1", "b2"]],
        names=["characteristic", "group", "item"],
    )
    return pd.DataFrame(
        {"n": [9.0, 9, 4, 6, 6], "n_clusters": 2.0, "mean": [60.0, 35, 20, 10, 30],
         "ci_low": [50.0, 25, 0, 0, 20], "ci_high": [70.0, 50, 40, 20, 40],
         "inference": "cluster", "n_group": [9.0, 9, 9, 6, 6],
         "overall_mean": [58.0, 50, 58, 58, 50], "gap_to_overall": [2.0, -15, -38, -48, -20]},
        index=idx,
    )  # fmt: skip


def test_ranking_by_hand():
    ranked = needs_ranking(ranking_input())
    assert ranked.columns.tolist() == [
        "characteristic", "rank", "group", "item", "n", "n_clusters", "mean", "ci_low",
        "ci_high", "inference", "overall_mean", "gap_to_overall", "below_overall",
    ]  # fmt: skip
    assert not isinstance(ranked["characteristic"].dtype, pd.CategoricalDtype)
    # unit first (the order of needs) although position type has the lowest mean; B x b1
    # is left out: its group has 9 people but only 4 were rated on b1
    assert ranked[["characteristic", "rank", "group", "item"]].values.tolist() == [
        ["unit", 1, "A", "b2"], ["unit", 2, "A", "b1"],
        ["position_type", 1, "x", "b1"], ["position_type", 2, "x", "b2"],
    ]  # fmt: skip
    # A x b2 reaches the overall mean (50) with its upper limit: not below it
    assert ranked["below_overall"].tolist() == [False, False, True, True]


def test_messages_of_needs_ranking():
    good = ranking_input()
    for bad in (True, 2.5, 0):
        with raises(f"needs_ranking: parameter 'min_n' must be an integer >= 1, got {bad!r}"):
            needs_ranking(good, min_n=bad)
    with raises("needs_ranking: parameter 'top' must be an integer >= 1, got False"):
        needs_ranking(good, top=False)
    cols = ["n", "n_clusters", "mean", "ci_low", "ci_high", "inference", "n_group",
            "overall_mean", "gap_to_overall"]  # fmt: skip
    with raises(
        "needs_ranking: parameter 'needs' must be the result of behavior_needs (index "
        f"characteristic, group, item; columns {cols}); missing ['n_group']"
    ):
        needs_ranking(good.drop(columns="n_group"))
