"""Tests that kill the survivors of the mutation run of evalkit.metrics.planner.

Reference values are hand calculations on the small tables below, written beside each
test: per-cohort costs and heads, floor(budget / cost), the interval quotient of the
effect per million, and the CR1 standard error sqrt(G / (G - 1) x sum_g (sum of the
residuals in cohort g)^2 / n^2) with t on G - 1 df. The MDE is
:func:`evalkit.metrics.power.minimum_detectable_effect`, tested against R's
``power.t.test`` in ``tests/test_power.py``; here only its use is checked.
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
from evalkit.metrics import planner
from evalkit.metrics.planner import budget_plan, participants_for, program_effects, program_transfer
from evalkit.metrics.power import minimum_detectable_effect

NAMES = {"by": "prog", "cohort": "batch"}
# K1, K2: program P; K3: program Q. K1 is listed twice (another name): its first row counts.
COHORTS = pd.DataFrame(
    {"batch": ["K1", "K2", "K3", "K1"], "prog": ["P", "P", "Q", "Q"],
     "name": ["one", "two", "three", "one again"]}
)  # fmt: skip
# gains: P 4, 2 (K1) and 6, 1 (K2); Q 1, 1.5, 2 (K3)
LEARNING = pd.DataFrame(
    {"batch": ["K1", "K1", "K2", "K2", "K3", "K3", "K3"],
     "pre": [10.0, 10, 8, 9, 5, 6, 7], "post": [14.0, 12, 14, 10, 6, 7.5, 9],
     "max_score": [20.0, 20, 20, 20, 10, 10, 10]}
)  # fmt: skip


def effects_of(learning=LEARNING, cohorts=COHORTS, **kw):
    return program_effects(learning, cohorts, **NAMES, **kw)


# --- participants_for ------------------------------------------------------------------
def test_participants_for_free_and_one_rupiah_places():
    assert participants_for(1e6, 0) == 0  # no cost: nothing to divide, no head bought
    assert participants_for(10, 1) == 10
    assert participants_for(7e6, 7e5) == 10  # exactly 10, not 9 by rounding


# --- program_effects -------------------------------------------------------------------
def test_program_effects_by_hand_with_other_column_names():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = effects_of(ci=0.9)
    assert out.index.name == "prog" and out.index.tolist() == ["P", "Q"]
    p = out.loc["P"]
    # P: 4, 2 | 6, 1, mean 3.25; residuals .75, -1.25 | 2.75, -2.25, cohort sums -.5, .5
    se = np.sqrt(2 * (0.25 + 0.25) / 16)
    sd = np.std([4, 2, 6, 1], ddof=1)
    half = stats.t.ppf(0.95, 1) * se
    assert (p["n"], p["n_clusters"], p["inference"]) == (4, 2, "cluster")
    assert p["mean_diff"] == 3.25 and p["se"] == pytest.approx(se)
    assert p["ci_low"] == pytest.approx(3.25 - half) and p["ci_high"] == pytest.approx(3.25 + half)
    assert p["sd_diff"] == pytest.approx(sd) and p["d_z"] == pytest.approx(3.25 / sd)
    assert p["d_z_ci_low"] == pytest.approx((3.25 - half) / sd)
    assert p["max_score"] == 20 and p["pomp_gain"] == pytest.approx(100 * 3.25 / 20)
    assert p["pomp_gain_ci_low"] == pytest.approx(100 * (3.25 - half) / 20)
    assert p["pomp_gain_ci_high"] == pytest.approx(100 * (3.25 + half) / 20)
    # Q: one cohort, gains 1, 1.5, 2: sd .5 (below 1), d_z 3, t interval on 2 df
    q = out.loc["Q"]
    assert (q["inference"], q["sd_diff"], q["d_z"]) == ("t", 0.5, pytest.approx(3.0))
    assert q["pomp_gain"] == pytest.approx(15.0)
    assert out.columns.tolist() == [
        "n", "n_clusters", "mean_diff", "sd_diff", "se", "df", "ci_low", "ci_high", "inference",
        "d_z", "d_z_ci_low", "d_z_ci_high", "max_score", "pomp_gain", "pomp_gain_ci_low",
        "pomp_gain_ci_high",
    ]  # fmt: skip


def test_program_effects_without_max_scores_one_person_and_equal_gains():
    one = LEARNING.drop(columns="max_score").iloc[[0, 1, 2, 3, 4]]  # Q: one person
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = effects_of(one)
    assert out["max_score"].isna().all() and out["pomp_gain"].isna().all()
    assert out.loc["Q", "n"] == 1 and out.loc["Q", "mean_diff"] == 1
    # one person of a program with a maximum: that maximum
    assert effects_of(LEARNING.iloc[[0, 1, 2, 3, 4]]).loc["Q", "max_score"] == 10
    # a program whose maxima differ has none
    mixed = LEARNING.assign(max_score=[20.0, 20, 20, 20, 10, 10, 12])
    assert np.isnan(effects_of(mixed).loc["Q", "max_score"])
    # every gain equal: sd 0, so d_z is undefined, not infinite
    same = LEARNING.assign(post=LEARNING["pre"] + 2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        flat = effects_of(same)
    assert flat.loc["Q", "sd_diff"] == 0 and np.isnan(flat.loc["Q", "d_z"])


def test_messages_of_program_effects():
    f = "program_effects"
    refuses_bad_ci_and_vcov(f, effects_of)
    with raises(
        f"{f}: learning has no column(s) ['post']; available: ['batch', 'pre', 'max_score']"
    ):
        effects_of(LEARNING.drop(columns="post"))
    with raises(f"{f}: cohorts has no column(s) ['prog']; available: ['batch', 'name']"):
        effects_of(cohorts=COHORTS.drop(columns="prog"))
    with raises(f"{f}: cohort 'K9' of learning is not in cohorts"):
        effects_of(LEARNING.assign(batch=["K1", "K9", "K8", "K2", "K3", "K3", "K3"]))
    for column in ("post", "pre", "max_score"):
        text = LEARNING.astype({column: object})
        text.loc[5, column] = "n/a"
        with raises(
            f"{f}: column {column!r} must hold numbers, got non-numeric value 'n/a' (row 5); "
            "map answer labels to numbers first"
        ):
            effects_of(text)
    with raises(f"{f}: learning has no participant with both 'pre' and 'post'"):
        effects_of(LEARNING.assign(post=np.nan))


# --- program_transfer ------------------------------------------------------------------
# supervisor ratings on a 1-5 form: index (score - 1) / 4 x 100
# P: 100, 50 (K1) and 75, 25 (K2); Q: 50, 75 (K3)
FOLLOWUP = pd.DataFrame(
    {"batch": ["K1", "K1", "K2", "K2", "K3", "K3"],
     "nip": ["p1", "p2", "p3", "p4", "p5", "p6"], "rater": "supervisor", "item": "b1",
     "score": [5, 3, 4, 2, 3, 4], "scale_max": 5, "wave": 3}
)  # fmt: skip


def transfer_of(followup=FOLLOWUP, cohorts=COHORTS, **kw):
    kw = {"participant": "nip", "months_after": "wave", **kw}
    return program_transfer(followup, cohorts, **NAMES, **kw)


def test_program_transfer_by_hand_with_other_column_names():
    out = transfer_of(ci=0.9)
    assert out.columns[0] == "wave" and out["wave"].tolist() == [3.0, 3.0]
    p = out.loc["P"]
    # 100, 50 | 75, 25: mean 62.5, residuals 37.5, -12.5 | 12.5, -37.5, sums 25, -25
    se = np.sqrt(2 * (25**2 + 25**2) / 16)
    assert p["transfer"] == 62.5 and p["se"] == pytest.approx(se)
    assert p["transfer_ci_low"] == pytest.approx(62.5 - stats.t.ppf(0.95, 1) * se)
    assert p["sd_transfer"] == pytest.approx(np.std([100, 50, 75, 25], ddof=1))
    q = out.loc["Q"]
    assert (q["inference"], q["transfer"]) == ("t", 62.5)


def test_program_transfer_without_a_wave_column_and_with_a_wave_as_text():
    out = transfer_of(FOLLOWUP.drop(columns="wave"))
    assert out["wave"].dtype == np.float64 and out["wave"].isna().all()
    text = FOLLOWUP.astype({"wave": object})
    text.loc[5, "wave"] = "tiga"  # not a wave: p6 is left out
    assert transfer_of(text).loc["Q", "n"] == 1


def test_messages_of_program_transfer():
    f = "program_transfer"
    refuses_bad_ci_and_vcov(f, transfer_of)
    with raises(
        f"{f}: followup has no column(s) ['nip']; available: ['batch', 'rater', 'item', "
        "'score', 'scale_max', 'wave']"
    ):
        transfer_of(FOLLOWUP.drop(columns="nip"))
    with raises(f"{f}: cohorts has no column(s) ['prog']; available: ['batch', 'name']"):
        transfer_of(cohorts=COHORTS.drop(columns="prog"))
    with raises(f"{f}: column 'wave' holds no wave"):
        transfer_of(FOLLOWUP.assign(wave="?"))
    with raises(f"{f}: parameter 'months' needs column 'wave' in followup"):
        transfer_of(FOLLOWUP.drop(columns="wave"), months=3)
    with raises(f"{f}: cohort 'K9' of followup is not in cohorts"):
        transfer_of(FOLLOWUP.assign(batch=["K1", "K9", "K8", "K2", "K3", "K3"]))
    with raises(f"{f}: followup has no rated participant"):
        transfer_of(FOLLOWUP.assign(score=np.nan))


# --- budget_plan and its cost table ------------------------------------------------------
# K1: Rp 1,000,000 + 500,000 for p1, p2 (p1 listed twice, once with another unit):
# 750,000 each; K2: 2,000,000 for p3, p4, p7: 666,666.67; K3: 300,000 for p5 alone.
# K4 (Q) costs 0 and K5 (Q) has no participants: both left out.
COSTS = pd.DataFrame(
    {"batch": ["K1", "K1", "K2", "K3", "K4", "K5"],
     "rupiah": [1_000_000.0, 500_000, 2_000_000, 300_000, 0, 400_000]}
)  # fmt: skip
PEOPLE = pd.DataFrame(
    {"batch": ["K1", "K1", "K1", "K2", "K2", "K2", "K3", "K4"],
     "nip": ["p1", "p2", "p1", "p3", "p4", "p7", "p5", "p9"],
     "unit": ["a", "a", "b", "a", "a", "a", "a", "a"]}
)  # fmt: skip
PLAN_COHORTS = pd.concat(
    [COHORTS, pd.DataFrame({"batch": ["K4", "K5"], "prog": "Q", "name": ["four", "five"]})],
    ignore_index=True,
)
# hand-made effects; R has no costs
EFFECTS = pd.DataFrame(
    {"d_z": [0.5, 0.2, 0.3], "d_z_ci_low": [0.1, -0.2, 0.0], "d_z_ci_high": [0.9, 0.6, 0.6],
     "sd_diff": [4.0, 3.0, 1.0], "mean_diff": [2.0, 0.6, 0.3], "ci_low": [0.4, -0.6, 0.0],
     "ci_high": [3.6, 1.8, 0.6]},
    index=pd.Index(["P", "Q", "R"], name="prog"),
)  # fmt: skip
PLAN_NAMES = {"participant": "nip", "amount": "rupiah", **NAMES}


def plan_of(effects=EFFECTS, costs=COSTS, people=PEOPLE, cohorts=PLAN_COHORTS, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EvalkitWarning)
        return budget_plan(costs, people, cohorts, effects, **PLAN_NAMES, **kw)


def test_budget_plan_by_hand():
    out = plan_of(budget=7e6)
    assert out.index.name == "prog" and out.index.tolist() == ["P", "Q"]
    assert out.columns.tolist() == [
        "budget", "n_cohorts_observed", "cost_per_participant", "cost_min", "cost_max",
        "cohort_size", "n_participants", "n_participants_low", "n_participants_high",
        "n_cohorts", "measure", "effect", "effect_ci_low", "effect_ci_high",
        "effect_per_million", "effect_per_million_ci_low", "effect_per_million_ci_high",
        "deff", "mde_d_z", "mde", "d_z", "d_z_ci_low", "d_z_ci_high", "underpowered",
        "comparable",
    ]  # fmt: skip
    p, q = out.loc["P"], out.loc["Q"]
    assert (p["budget"], p["n_cohorts_observed"], q["n_cohorts_observed"]) == (7e6, 2, 1)
    assert out["n_cohorts_observed"].dtype == np.int64
    # P: 3,500,000 for 5 people; cohorts at 750,000 and 666,666.67; median size 2.5
    assert p["cost_per_participant"] == pytest.approx(700_000)
    assert (p["cost_min"], p["cost_max"]) == (pytest.approx(2e6 / 3), 750_000)
    assert p["cohort_size"] == 2.5
    # 7,000,000 / 700,000 = 10; / 750,000 = 9.33; / 666,666.67 = 10.5; / (700,000 x 2.5) = 4
    assert (p["n_participants"], p["n_participants_low"], p["n_participants_high"]) == (10, 9, 10)
    assert p["n_cohorts"] == 4
    # Q: K3 alone (K4 costs nothing, K5 has nobody): 300,000 a head, cohorts of 1
    assert (q["cost_per_participant"], q["cohort_size"], q["n_participants"]) == (3e5, 1, 23)
    assert q["n_cohorts"] == 23
    # the effect per Rp 1,000,000: 0.5 / 700,000 x 10^6; its interval [0.1, 0.9] over
    # [666,666.67, 750,000]: 0.1 / 750,000 and 0.9 / 666,666.67
    assert p["effect_per_million"] == pytest.approx(0.5 / 0.7)
    assert p["effect_per_million_ci_low"] == pytest.approx(0.1 / 0.75)
    assert p["effect_per_million_ci_high"] == pytest.approx(0.9 / (2 / 3))
    assert q["effect_per_million_ci_low"] == pytest.approx(-0.2 / 0.3)
    # icc 0: no design effect; the MDE of 10 paired people, in d_z (the measure)
    assert p["deff"] == 1 and p["mde_d_z"] == pytest.approx(
        minimum_detectable_effect(10, 0.05, 0.8, "paired", 1.0)
    )
    assert p["mde"] == p["mde_d_z"]
    assert (p["d_z"], p["d_z_ci_low"], p["d_z_ci_high"]) == (0.5, 0.1, 0.9)
    assert p["underpowered"] is True and out["comparable"].all()


def test_budget_plan_in_points_on_one_program_and_at_the_mde_itself():
    out = plan_of(EFFECTS.loc[["P"]], budget=7e6, effect="mean_diff")
    p = out.loc["P"]
    assert (p["effect"], p["effect_ci_low"], p["effect_ci_high"]) == (2.0, 0.4, 3.6)
    assert p["mde"] == pytest.approx(p["mde_d_z"] * 4.0)  # in points: x sd of the changes
    assert "sd_transfer" not in out
    assert bool(p["comparable"])  # raw points, but only one program: nothing to compare
    # an observed d_z equal to the MDE is not underpowered
    at = EFFECTS.assign(d_z=minimum_detectable_effect(10, 0.05, 0.8, "paired", 1.0))
    assert plan_of(at, budget=7e6).loc["P", "underpowered"] is False


def test_budget_plan_on_pomp_without_a_maximum_and_on_transfer_without_d_z():
    pomp = EFFECTS.assign(pomp_gain=10.0, pomp_gain_ci_low=5.0, pomp_gain_ci_high=15.0)
    out = plan_of(pomp, budget=7e6, effect="pomp_gain")
    assert out["mde"].isna().all() and out["mde_d_z"].notna().all()
    transfer = pd.DataFrame(
        {"transfer": [60.0, 50.0], "transfer_ci_low": [50.0, 40.0],
         "transfer_ci_high": [70.0, 60.0], "sd_transfer": [20.0, 10.0]},
        index=pd.Index(["P", "Q"], name="prog"),
    )  # fmt: skip
    out = plan_of(transfer, budget=7e6, effect="transfer")
    assert out.loc[["P", "Q"], "sd_transfer"].tolist() == [20.0, 10.0]  # Q ranks first
    assert out.loc["P", "mde"] == pytest.approx(out.loc["P", "mde_d_z"] * 20)
    for col in ("d_z", "d_z_ci_low", "d_z_ci_high"):
        assert out[col].dtype == np.float64 and out[col].isna().all(), col
    assert out["underpowered"].isna().all()


def test_budget_plan_bounds_of_the_budget_cohort_size_and_icc():
    one = plan_of(budget=1)  # Rp 1 buys nobody, and is a budget
    assert one["n_participants"].tolist() == [0, 0] and one["mde_d_z"].isna().all()
    assert one["mde_d_z"].dtype == np.float64 and one["mde"].dtype == np.float64
    assert plan_of(budget=7e6, cohort_size=1).loc["P", "n_cohorts"] == 10
    full = plan_of(budget=7e6, cohort_size=3, icc=1)  # every member alike: deff = 3
    assert full["deff"].tolist() == [3.0, 3.0]
    f = "budget_plan"
    with raises(f"{f}: parameter 'budget' must be a positive amount of rupiah, got 0"):
        plan_of(budget=0)
    for size in (True, 0.5):
        with raises(
            f"{f}: parameter 'cohort_size' must be a number >= 1 (participants per cohort), "
            f"got {size!r}"
        ):
            plan_of(budget=7e6, cohort_size=size)
    with raises(f"{f}: parameter 'alpha' must be in (0, 1), got 1.5"):
        plan_of(budget=7e6, alpha=1.5)
    with raises(f"{f}: parameter 'power' must be in (0, 1), got 0"):
        plan_of(budget=7e6, power=0)
    with raises(
        f"{f}: effects has no column(s) ['pomp_gain', 'pomp_gain_ci_low', 'pomp_gain_ci_high']; "
        f"available: {EFFECTS.columns.tolist()}"
    ):
        plan_of(budget=7e6, effect="pomp_gain")
    with raises(
        f"{f}: effects has no column(s) ['d_z']; available: "
        f"{EFFECTS.drop(columns='d_z').columns.tolist()}"
    ):
        plan_of(EFFECTS.drop(columns="d_z"), budget=7e6)


def test_ties_keep_the_programs_order():
    # 30 programs of one cohort each, 3 of every effect: highest first, ties by program id
    ids = [f"G{i:02d}" for i in range(30)]
    d_z = np.tile([0.2, 0.4, 0.3], 10)
    effects = pd.DataFrame({"d_z": d_z, "d_z_ci_low": d_z - 0.1, "d_z_ci_high": d_z + 0.1,
                            "sd_diff": 1.0}, index=pd.Index(ids, name="prog"))  # fmt: skip
    batches = [f"B{i:02d}" for i in range(30)]
    out = plan_of(
        effects,
        costs=pd.DataFrame({"batch": batches, "rupiah": 1e6}),
        people=pd.DataFrame({"batch": batches, "nip": "x"}),
        cohorts=pd.DataFrame({"batch": batches, "prog": ids}),
        budget=1e7,
    )
    want = sorted(ids, key=lambda g: (-d_z[ids.index(g)], g))
    assert out.index.tolist() == want
    # no program with both: five of each side are named
    with raises(
        "budget_plan: no program has both costs and an effect (costs: ['G00', 'G01', 'G02', "
        "'G03', 'G04']; effects: ['H00', 'H01', 'H02', 'H03', 'H04'])"
    ):
        plan_of(
            effects.rename(index=lambda g: "H" + g[1:]),
            costs=pd.DataFrame({"batch": batches, "rupiah": 1e6}),
            people=pd.DataFrame({"batch": batches, "nip": "x"}),
            cohorts=pd.DataFrame({"batch": batches, "prog": ids}),
            budget=1e7,
        )


def test_cost_table_warnings_and_messages():
    f = "budget_plan"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        line = inspect.currentframe().f_lineno + 1
        budget_plan(COSTS, PEOPLE, PLAN_COHORTS, EFFECTS, **PLAN_NAMES, budget=7e6)
    assert [str(w.message) for w in caught] == [
        f"{f}: 2 cohort(s) without participants or costs left out (['K4', 'K5'])",
        f"{f}: program(s) without both costs and an effect left out: ['R']",
    ]
    if not hasattr(planner, "x__cost_frame__mutmut_orig"):  # mutation runs add frames
        assert (caught[0].filename, caught[0].lineno) == (__file__, line)
    # six empty cohorts: five are named; seven programs without costs: five are named
    empty = [f"E{i}" for i in range(6)]
    costs = pd.concat([COSTS, pd.DataFrame({"batch": empty, "rupiah": 0.0})])
    cohorts = pd.concat([PLAN_COHORTS, pd.DataFrame({"batch": empty, "prog": "Q"})])
    more = pd.concat([EFFECTS] + [EFFECTS.loc[["R"]].rename(index={"R": f"S{i}"})
                                  for i in range(6)])  # fmt: skip
    with pytest.warns(EvalkitWarning) as caught:
        budget_plan(costs, PEOPLE, cohorts, more, **PLAN_NAMES, budget=7e6)
    assert [str(w.message) for w in caught] == [
        f"{f}: 8 cohort(s) without participants or costs left out (['E0', 'E1', 'E2', 'E3', 'E4'])",
        f"{f}: program(s) without both costs and an effect left out: ['R', 'S0', 'S1', 'S2', 'S3']",
    ]
    # a cohort of Rp 1 is a cost
    tiny = plan_of(costs=COSTS.assign(rupiah=[1.0, 0, 0, 0, 0, 0]), budget=10)
    assert tiny.index.tolist() == ["P"] and tiny.loc["P", "cost_per_participant"] == 0.5
    with raises(f"{f}: costs has no column(s) ['rupiah']; available: ['batch']"):
        plan_of(costs=COSTS.drop(columns="rupiah"), budget=7e6)
    with raises(f"{f}: participants has no column(s) ['nip']; available: ['batch', 'unit']"):
        plan_of(people=PEOPLE.drop(columns="nip"), budget=7e6)
    with raises(f"{f}: cohorts has no column(s) ['prog']; available: ['batch', 'name']"):
        plan_of(cohorts=PLAN_COHORTS.drop(columns="prog"), budget=7e6)
    with raises(
        f"{f}: column 'rupiah' must hold numbers, got non-numeric value 'gratis' (row 2); "
        "map answer labels to numbers first"
    ):
        plan_of(costs=COSTS.astype({"rupiah": object}).assign(
            rupiah=[1.0, 1, "gratis", 1, 1, 1]), budget=7e6)  # fmt: skip
    for bad in (-1.0, np.inf):
        with raises(f"{f}: column 'rupiah' of costs must be finite and >= 0"):
            plan_of(costs=COSTS.assign(rupiah=[1.0, 1, bad, 1, 1, 1]), budget=7e6)
    with raises(f"{f}: cohort 'K8' of costs is not in cohorts"):
        plan_of(costs=COSTS.assign(batch=["K1", "K9", "K8", "K3", "K4", "K5"]), budget=7e6)
    with raises(f"{f}: no cohort has both costs and participants"):
        plan_of(costs=COSTS.assign(rupiah=0.0), budget=7e6)
    with raises(
        f"{f}: no program has both costs and an effect (costs: ['P', 'Q']; effects: "
        "['S0', 'S1', 'S2', 'S3', 'S4'])"
    ):
        plan_of(more.drop(index=["P", "Q", "R"]), budget=7e6)
