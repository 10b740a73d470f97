"""Survivors of mutation testing of evalkit.metrics.behavior (see mutation/README.md).

Each test pins a number, boundary, column, dtype or message that a mutant of
``behavior.py`` changed without any other test noticing. Expected values are hand
calculations written beside them, R's (``tests/reference/level345.R``) or, for the
cluster-robust slope, statsmodels' CR1 covariance (a second library).
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from evalkit.errors import EvalkitWarning, ParameterError
from evalkit.metrics.behavior import (
    behavior_scores,
    gain_behavior_link,
    project_rates,
    transfer_index,
)

REF = Path(__file__).parent / "reference"


def _followup(people: list[str], scores: list[float], *, cohort="A", scale_max=5, **cols):
    """One supervisor item per person."""
    return pd.DataFrame(
        {
            "cohort_id": cohort,
            "participant_id": people,
            "rater": "supervisor",
            "item": "b1",
            "score": scores,
            "scale_max": scale_max,
            **cols,
        }
    )


def _learning(people: list[str], gains: list[float], *, cohort="A", **cols):
    return pd.DataFrame(
        {"cohort_id": cohort, "participant_id": people, "pre": 0.0, "post": gains, **cols}
    )


def _no_numpy_warnings():
    """A context in which any RuntimeWarning (numpy's 0/0, x/0) fails the test."""
    ctx = warnings.catch_warnings()
    ctx.__enter__()
    warnings.simplefilter("error", RuntimeWarning)
    return ctx


# --- behavior_scores ------------------------------------------------------------------
def test_behavior_scores_scale_ends_and_a_yes_no_item():
    # a score of 0 is the floor of the index (0 / 5 * 100 = 0), a scale_max of 1 is a
    # yes/no item (1 / 1 * 100 = 100); neither is refused
    fu = _followup(["p1", "p2"], [0, 1], scale_max=[5, 1])
    out = behavior_scores(fu)
    assert out["index"].tolist() == [0.0, 100.0]
    # a scale_max of 0 after one of 1: the message names the bad one (0), not the first <= 1
    with pytest.raises(ParameterError, match=r"column 'scale_max' must be positive, got 0\.0$"):
        behavior_scores(_followup(["p1", "p2"], [1, 0], scale_max=[1, 0]))


def test_behavior_scores_sorted_and_missing_keys_kept():
    # participants arrive out of order; the output is sorted by the by columns and person
    fu = _followup(["p3", "p1", "p2"], [5, 4, 3])
    out = behavior_scores(fu)
    assert out["participant_id"].tolist() == ["p1", "p2", "p3"]
    assert out["index"].tolist() == [80.0, 60.0, 100.0]  # 4/5, 3/5, 5/5 x 100
    # a follow-up row whose wave is missing stays, in its own (NaN) group, not dropped
    waves = _followup(["p1", "p1"], [4, 2], months_after=[6, np.nan])
    waves["item"] = ["b1", "b1"]
    out = behavior_scores(waves, by=["cohort_id", "months_after"])
    assert len(out) == 2
    assert out["index"].tolist() == [80.0, 40.0]
    assert np.isnan(out["months_after"].iloc[1])


def test_behavior_scores_scale_min_column_and_its_messages():
    fu = _followup(["p1", "p2"], [3, 5], scale_min_col=1)
    # POMP: (3 - 1) / (5 - 1) x 100 = 50, (5 - 1) / 4 x 100 = 100
    out = behavior_scores(fu, scale_min="scale_min_col")
    assert out["index"].tolist() == [50.0, 100.0]
    with pytest.raises(
        ParameterError, match=r"behavior_scores: column 'scale_min_col' must be numeric"
    ):
        behavior_scores(fu.assign(scale_min_col="satu"), scale_min="scale_min_col")
    # scale_min equal to scale_max leaves no range: refused
    with pytest.raises(
        ParameterError,
        match=r"behavior_scores: parameter 'scale_min' \(5\) must lie below 'scale_max' "
        r"and at or below every score$",
    ):
        behavior_scores(_followup(["p1"], [5]), scale_min=5)


def test_behavior_scores_messages():
    fu = _followup(["p1", "p2"], [3, 5])
    with pytest.raises(
        ParameterError, match=r"^behavior_scores: followup has no column\(s\) \['unit'\]"
    ):
        behavior_scores(fu, by="unit")
    with pytest.raises(
        ParameterError, match=r"^behavior_scores: followup has no column\(s\) \['item'\]"
    ):
        behavior_scores(fu.drop(columns="item"))
    with pytest.raises(ParameterError, match=r"^behavior_scores: column 'score' must be numeric"):
        behavior_scores(fu.assign(score=["baik", "cukup"]))
    with pytest.raises(
        ParameterError, match=r"^behavior_scores: column 'scale_max' must be numeric"
    ):
        behavior_scores(fu.assign(scale_max=["lima", "lima"]))
    # six other raters: the message shows the first five, sorted
    others = fu.iloc[[0] * 6].assign(rater=["r1", "r2", "r3", "r4", "r5", "r6"])
    with pytest.raises(ParameterError, match=r"holds \['r1', 'r2', 'r3', 'r4', 'r5'\]$"):
        behavior_scores(others)
    # exactly one duplicated row: its item, rater and person are named
    dup = pd.concat([fu, fu.head(1)], ignore_index=True)
    with pytest.raises(
        ParameterError, match=r"item 'b1' is rated twice by 'supervisor' for participant 'p1'"
    ):
        behavior_scores(dup)


# --- transfer_index -------------------------------------------------------------------
def test_transfer_index_other_column_names_scale_min_and_dtypes():
    fu = pd.DataFrame(
        {
            "kelas": "A",
            "nip": ["p1", "p1", "p2", "p2"],
            "penilai": ["self", "supervisor"] * 2,
            "butir": "b1",
            "skor": [4, 2, 5, 3],
            "maks": 5,
        }
    )
    names = dict(participant="nip", rater="penilai", item="butir", score="skor", scale_max="maks")
    out = transfer_index(fu, by="kelas", cohort="kelas", **names)
    # p1: (80 + 40) / 2 = 60, p2: (100 + 60) / 2 = 80; mean 70, self 90, supervisor 50
    assert out.loc["A", ["index", "index_self", "index_supervisor"]].tolist() == [70.0, 90.0, 50.0]
    assert out.loc["A", "band"] == "Berdampak"
    assert out["n"].dtype.kind == "i" and out["n_self"].dtype.kind == "i"
    assert out["n_supervisor"].dtype.kind == "i"
    # POMP on 1-5: p1 (75 + 25) / 2 = 50, p2 (100 + 50) / 2 = 75; mean 62.5, band NaN
    pomp = transfer_index(fu, by="kelas", cohort="kelas", scale_min=1, **names)
    assert pomp.loc["A", "index"] == 62.5
    assert pomp.loc["A", ["index_self", "index_supervisor"]].tolist() == [87.5, 37.5]
    assert pd.isna(pomp.loc["A", "band"])


def test_transfer_index_without_a_cohort_column():
    # no cohort_id at all: with by=None the persons are told apart by their id alone
    fu = _followup(["p1", "p2"], [4, 2]).drop(columns="cohort_id")
    out = transfer_index(fu, by=None)
    assert out["index"] == 60.0 and out["n"] == 2  # (80 + 40) / 2


def test_transfer_index_groups_sorted_missing_key_kept_no_numpy_warning():
    fu = _followup(["p1", "p2", "p3", "p4", "p5"], [5, 3, 4, 2, 1])
    fu["unit"] = ["u2", "u2", "u1", "u1", None]
    ctx = _no_numpy_warnings()
    try:
        with pytest.warns(EvalkitWarning, match=r"^transfer_index: 1 group\(s\) with fewer than 2"):
            out = transfer_index(fu, by="unit")
    finally:
        ctx.__exit__(None, None, None)
    assert out.index[:2].tolist() == ["u1", "u2"] and pd.isna(out.index[2])
    assert out["index"].iloc[:2].tolist() == [60.0, 80.0]  # (80 + 40) / 2, (100 + 60) / 2
    assert out["n"].tolist() == [2, 2, 1] and np.isnan(out["ci_low"].iloc[2])


def test_small_groups_warning_points_at_the_caller_and_lists_five():
    people = [f"p{i}" for i in range(6)]
    fu = _followup(people, [4] * 6)
    fu["unit"] = [f"u{i}" for i in range(6)]
    with pytest.warns(EvalkitWarning) as record:
        transfer_index(fu, by="unit")
    (w,) = [r for r in record if issubclass(r.category, EvalkitWarning)]
    assert str(w.message).startswith("transfer_index: 6 group(s) with fewer than 2 participants")
    assert "(['u0', 'u1', 'u2', 'u3', 'u4']);" in str(w.message)
    if "MUTANT_UNDER_TEST" not in os.environ:
        # the warning points at the line that called transfer_index (mutation testing's
        # trampoline adds a frame of its own, so this is checked only outside it)
        assert w.filename == __file__


# --- project_rates --------------------------------------------------------------------
STATUSES = ["sustained", "implemented", "in_progress", "not_started", "not_started"]


def test_project_rates_counts_columns_dtypes_and_order():
    pr = pd.DataFrame(
        {
            "cohort_id": ["B", "B", "A", "A", None],
            "participant_id": ["p1", "p2", "p3", "p4", "p5"],
            "project_status": STATUSES,
        }
    )
    ctx = _no_numpy_warnings()
    try:
        out = project_rates(pr)
    finally:
        ctx.__exit__(None, None, None)
    # groups sorted, the row without a cohort kept as its own group
    assert out.index[:2].tolist() == ["A", "B"] and pd.isna(out.index[2])
    assert out["n_not_started"].tolist() == [1, 0, 1]
    assert out["n_in_progress"].tolist() == [1, 0, 0]
    assert out["n"].tolist() == [2, 2, 1] and out["n"].dtype.kind == "i"
    # A: nothing implemented, so sustained_of_implemented is 0 / 0 = NaN (no numpy warning)
    assert np.isnan(out.loc["A", "sustained_of_implemented"])
    assert out.columns.tolist() == [
        "n",
        "n_not_started",
        "n_in_progress",
        "n_implemented",
        "implementation_rate",
        "implementation_ci_low",
        "implementation_ci_high",
        "n_sustained",
        "sustainment_rate",
        "sustainment_ci_low",
        "sustainment_ci_high",
        "sustained_of_implemented",
        "sustained_of_implemented_ci_low",
        "sustained_of_implemented_ci_high",
    ]


def test_project_rates_messages():
    pr = pd.DataFrame(
        {"cohort_id": "A", "participant_id": ["p1", "p2"], "project_status": ["sustained", None]}
    )
    with pytest.warns(EvalkitWarning, match=r"^project_rates: 1 row\(s\) without"):
        project_rates(pr)
    with pytest.raises(ParameterError, match=r"^project_rates: parameter 'ci'"):
        project_rates(pr, ci=1.5)
    with pytest.raises(
        ParameterError, match=r"^project_rates: projects has no column\(s\) \['unit'\]"
    ):
        project_rates(pr, by="unit")
    one_bad = pr.assign(project_status=["sustained", "done"])
    with pytest.raises(ParameterError, match=r"must be one of .*, got 'done'$"):
        project_rates(one_bad)
    # the same person twice with different statuses is refused, not only exact copies
    twice = pr.assign(participant_id="p1", project_status=["sustained", "in_progress"])
    with pytest.raises(ParameterError, match=r"participant 'p1' appears more than once"):
        project_rates(twice)


# --- gain_behavior_link ---------------------------------------------------------------
def test_gain_behavior_link_three_people_hand_calculation():
    # gains 1, 2, 3; index (1, 3, 5) / 6 x 100 = 100 (2 gain - 1) / 6: an exact line of
    # slope 100 / 3, intercept -100 / 6, r = 1, residuals 0 (se 0, however the sum of
    # squared residuals rounds)
    out = gain_behavior_link(
        _learning(["p1", "p2", "p3"], [1, 2, 3]),
        _followup(["p1", "p2", "p3"], [1, 3, 5], scale_max=6),
    )
    assert out["n"] == 3 and out["df"] == 1
    assert out["slope"] == pytest.approx(100 / 3, rel=1e-12)
    assert out["intercept"] == pytest.approx(-100 / 6, rel=1e-12)
    assert out["r"] == pytest.approx(1.0, rel=1e-12)
    assert out["se"] == 0.0


def test_gain_behavior_link_r_column_and_dtypes():
    # R (level345.R): r_squared 0.645943944787109 with a positive slope, so
    # cor(m$gain, m$pct) = +sqrt(0.645943944787109)
    lrn = pd.read_csv(REF / "level345_learning.csv")
    fu = pd.read_csv(REF / "level345_followup.csv")
    out = gain_behavior_link(lrn, fu, by="cohort_id")
    pooled = gain_behavior_link(lrn, fu)
    assert pooled["r"] == pytest.approx(np.sqrt(0.645943944787109), rel=1e-9)
    assert out["n"].dtype.kind == "i" and out["df"].dtype == float
    # every cohort varies in gain: no warning about a flat group
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        gain_behavior_link(lrn, fu, by="cohort_id")


def test_gain_behavior_link_group_size_boundaries():
    # A: 3 people (the smallest fitted group), B: 2 people (NaN with a warning),
    # C: 3 people without variation in gain (NaN slope and df, a warning)
    people = ["a1", "a2", "a3", "b1", "b2", "c1", "c2", "c3"]
    cohorts = ["A"] * 3 + ["B"] * 2 + ["C"] * 3
    gains = [1, 2, 3, 1, 2, 4, 4, 4]
    scores = [1, 3, 5, 2, 4, 1, 2, 3]
    lrn = _learning(people, gains, cohort=cohorts)
    fu = _followup(people, scores, cohort=cohorts, scale_max=6)
    with pytest.warns(EvalkitWarning) as record:
        out = gain_behavior_link(lrn, fu, by="cohort_id")
    messages = [str(r.message) for r in record if issubclass(r.category, EvalkitWarning)]
    # the flat group's 0 / 0 and the 2-person group's 0 residual df stay silent in numpy
    assert not [r for r in record if issubclass(r.category, RuntimeWarning)]
    assert any(
        m.startswith("gain_behavior_link: 1 group(s) with fewer than 3") and "(['B'])" in m
        for m in messages
    )
    assert "gain_behavior_link: 1 group(s) without variation in gain; slope is NaN" in messages
    assert out.loc["A", "slope"] == pytest.approx(100 / 3, rel=1e-12)  # as the hand case above
    assert out.loc["A", "df"] == 1
    assert np.isnan(out.loc["B", "slope"]) and np.isnan(out.loc["B", "df"])
    assert np.isnan(out.loc["C", "slope"]) and np.isnan(out.loc["C", "df"])
    assert out["n"].tolist() == [3, 2, 3]


def test_gain_behavior_link_small_normalized_gains():
    # normalized gains 0.1, 0.2, 0.4 (S_xx = 0.0466..., below 1): still a slope, no warning
    lrn = pd.DataFrame(
        {
            "cohort_id": "A",
            "participant_id": ["p1", "p2", "p3"],
            "pre": [0.0, 0.0, 0.0],
            "post": [1.0, 2.0, 4.0],
            "max_score": 10.0,
        }
    )
    fu = _followup(["p1", "p2", "p3"], [1, 2, 4], scale_max=10)  # index 10, 20, 40
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = gain_behavior_link(lrn, fu, gain="normalized")
    assert out["slope"] == pytest.approx(100.0, rel=1e-12)  # index = 100 x gain exactly


def test_gain_behavior_link_room_of_one_and_pre_at_the_maximum():
    # p4 starts at the maximum (room 0): left out even though the post-test fell (no -inf);
    # p1 has exactly one point of room: kept, gain (10 - 9) / 1 = 1
    lrn = pd.DataFrame(
        {
            "cohort_id": "A",
            "participant_id": ["p1", "p2", "p3", "p4"],
            "pre": [9.0, 0.0, 0.0, 10.0],
            "post": [10.0, 2.0, 4.0, 6.0],
            "max_score": 10.0,
        }
    )
    fu = _followup(["p1", "p2", "p3", "p4"], [10, 2, 4, 5], scale_max=10)  # index = 100 x gain
    out = gain_behavior_link(lrn, fu, gain="normalized")
    assert out["n"] == 3
    assert out["slope"] == pytest.approx(100.0, rel=1e-12)
    assert out["intercept"] == pytest.approx(0.0, abs=1e-10)


def test_gain_behavior_link_other_column_names_and_a_third_rater():
    lrn = pd.DataFrame(
        {"kelas": "A", "nip": ["p1", "p2", "p3"], "awal": 0.0, "akhir": [1.0, 2.0, 3.0]}
    )
    fu = pd.DataFrame(
        {
            "kelas": "A",
            "nip": ["p1", "p2", "p3"] * 2,
            "penilai": ["mentor"] * 3 + ["self"] * 3,
            "butir": "b1",
            "skor": [1, 3, 5, 6, 6, 6],
            "maks": 6,
        }
    )
    names = dict(
        participant="nip",
        cohort="kelas",
        pre="awal",
        post="akhir",
        rater_column="penilai",
        item="butir",
        score="skor",
        scale_max="maks",
    )
    # the mentor's index alone is the exact line of the hand case above
    out = gain_behavior_link(lrn, fu, rater="mentor", **names)
    assert out["slope"] == pytest.approx(100 / 3, rel=1e-12)


def test_gain_behavior_link_cluster_other_than_cohort():
    # the cluster is a column of its own (unit), two clusters; CR1 as statsmodels' cluster
    # covariance (G / (G - 1) (n - 1) / (n - k)), t on G - 1 = 1 df
    people = ["p1", "p2", "p3", "p4", "p5"]
    gains = [1.0, 2.0, 3.0, 4.0, 6.0]
    scores = [1, 4, 2, 5, 5]
    units = ["u1", "u1", "u2", "u2", "u2"]
    lrn = _learning(people, gains, unit=units)
    fu = _followup(people, scores, scale_max=6)
    out = gain_behavior_link(lrn, fu, cluster="unit")
    y = np.array(scores) / 6 * 100
    fit = sm.OLS(y, sm.add_constant(np.array(gains))).fit(
        cov_type="cluster", cov_kwds={"groups": np.array([0, 0, 1, 1, 1])}
    )
    assert out["n_clusters"] == 2 and out["df"] == 1
    assert out["slope"] == pytest.approx(fit.params[1], rel=1e-10)
    assert out["se"] == pytest.approx(fit.bse[1], rel=1e-10)
    with pytest.raises(ParameterError, match=r"learning has no column\(s\) \['team'\]"):
        gain_behavior_link(lrn, fu, cluster="team")


def test_gain_behavior_link_one_cluster_gives_nan_without_numpy_warnings():
    lrn = _learning(["p1", "p2", "p3", "p4"], [1.0, 2.0, 3.0, 5.0])
    fu = _followup(["p1", "p2", "p3", "p4"], [1, 4, 2, 5], scale_max=6)
    ctx = _no_numpy_warnings()
    try:
        out = gain_behavior_link(lrn, fu, cluster="cohort_id")
    finally:
        ctx.__exit__(None, None, None)
    assert out["n_clusters"] == 1 and np.isnan(out["se"])


def test_gain_behavior_link_missing_group_key_and_messages():
    lrn = _learning(["p1", "p2", "p3", "p4"], [1.0, 2.0, 3.0, 5.0], unit=["u", "u", "u", None])
    fu = _followup(["p1", "p2", "p3", "p4"], [1, 3, 5, 5], scale_max=6)
    with pytest.warns(EvalkitWarning, match="fewer than 3"):
        out = gain_behavior_link(lrn, fu, by="unit")
    # the person without a unit is kept, in a NaN group of 1 (NaN slope), not dropped
    assert out["n"].tolist() == [3, 1]
    assert out.loc["u", "slope"] == pytest.approx(100 / 3, rel=1e-12)
    with pytest.raises(
        ParameterError, match=r"^gain_behavior_link: learning has no column\(s\) \['team'\]"
    ):
        gain_behavior_link(lrn, fu, by="team")
    with pytest.raises(ParameterError, match=r"^gain_behavior_link: parameter 'ci'"):
        gain_behavior_link(lrn, fu, ci=2)
    with pytest.raises(ParameterError, match=r"^gain_behavior_link: column 'post' must be numeric"):
        gain_behavior_link(lrn.assign(post="x"), fu)
    with pytest.raises(
        ParameterError, match=r"^gain_behavior_link: column 'max_score' must be numeric"
    ):
        gain_behavior_link(lrn.assign(max_score="x"), fu, gain="normalized")
    # the same person twice with different scores is refused, not only exact copies
    twice = pd.concat([lrn, lrn.head(1).assign(post=9.0)], ignore_index=True)
    with pytest.raises(ParameterError, match="learning has participant 'p1' twice in one cohort"):
        gain_behavior_link(twice, fu)


def test_gain_behavior_link_cr2_only_for_fitted_groups_in_two_or_more_clusters():
    # unit U1: cohorts A and B (two clusters, six people); U2: cohort C alone (one
    # cluster: no cluster-robust se); U3: cohorts D and E without variation in gain (no
    # slope, and no CR2 fit that would need (X'X)^-1 of a constant gain)
    people = [f"p{i}" for i in range(14)]
    cohorts = ["A"] * 3 + ["B"] * 3 + ["C"] * 4 + ["D"] * 2 + ["E"] * 2
    units = ["U1"] * 6 + ["U2"] * 4 + ["U3"] * 4
    gains = [1, 2, 3, 2, 4, 5, 1, 2, 3, 4, 2, 2, 2, 2]
    scores = [1, 3, 4, 2, 5, 6, 1, 2, 4, 5, 2, 3, 4, 5]
    lrn = _learning(people, gains, cohort=cohorts, unit=units)
    fu = _followup(people, scores, cohort=cohorts, scale_max=6)
    for vcov in ("CR1", "CR2"):
        with pytest.warns(EvalkitWarning, match="without variation in gain"):
            warnings.simplefilter("error", RuntimeWarning)
            out = gain_behavior_link(lrn, fu, by="unit", cluster="cohort_id", vcov=vcov)
        assert out["n_clusters"].tolist() == [2.0, 1.0, 2.0], vcov
        assert np.isfinite(out.loc["U1", "se"]) and out.loc["U1", "se"] > 0, vcov
        assert np.isnan(out.loc["U2", "se"]) and np.isnan(out.loc["U3", "se"]), vcov
    assert out.loc["U1", "df"] == pytest.approx(1.0, abs=0.5)  # Satterthwaite, 2 clusters


def test_gain_behavior_link_normalized_gain_of_someone_at_the_ceiling():
    # p3 scored the maximum before training: no room to gain, so no normalized gain; the
    # others' gains (post - pre) / (max - pre) are 0.5, 0.25, 0.75 and 1 (no NumPy warning)
    people = ["p1", "p2", "p3", "p4", "p5"]
    lrn = pd.DataFrame(
        {"cohort_id": "A", "participant_id": people, "pre": [50.0, 60, 100, 20, 0],
         "post": [75.0, 70, 100, 80, 100], "max_score": 100.0}
    )  # fmt: skip
    fu = _followup(people, [2, 1, 5, 3, 4], scale_max=6)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        out = gain_behavior_link(lrn, fu, gain="normalized")
    assert out["n"] == 4
    # slope of index (2, 1, 3, 4) / 6 x 100 on gain (0.5, 0.25, 0.75, 1): by hand
    x, y = np.array([0.5, 0.25, 0.75, 1.0]), np.array([2, 1, 3, 4]) / 6 * 100
    slope = ((x - x.mean()) * (y - y.mean())).sum() / ((x - x.mean()) ** 2).sum()
    assert out["slope"] == pytest.approx(slope, rel=1e-12)
