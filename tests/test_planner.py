"""The budget planner: program effects, what a budget buys, its MDE, and `evalkit plan`.

Reference values: ``tests/reference/planner.R`` (``Rscript planner.R > planner_output.txt``
in that folder); each literal is quoted with the R call beside it. ``group_ci(gain,
cohort_id)`` there is ``coeftest(lm(gain ~ 1), vcovCL(fit, cluster = ~cohort_id), df = G -
1)`` with its ``confint`` for a program of G > 1 cohorts and ``t.test(post, pre, paired =
TRUE)`` for a program of one cohort. The MDE is ``power.t.test(n, sd = 1, sig.level =
.05, power = .8, type = "paired", strict = TRUE, tol = 1e-12)$delta``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import evalkit
from evalkit.cli import build_parser, main
from evalkit.errors import EvalkitWarning, ParameterError
from evalkit.metrics.planner import (
    budget_plan,
    participants_for,
    program_effects,
    program_transfer,
)
from evalkit.metrics.power import minimum_detectable_effect
from evalkit.reporting.conclusions.planning import (
    effect_estimates,
    plan_conclusion,
    plan_estimates,
    plan_note,
    plan_table,
    planning_note,
    transfer_estimates,
)
from evalkit.reporting.figure_style import figure_alt
from evalkit.reporting.planning_figures import plan_figure, write_plan

REF = Path(__file__).parent / "reference"
ROOT = Path(__file__).resolve().parent.parent
RTOL = 1e-10
BUDGET = 250e6


@pytest.fixture(scope="module")
def study():
    return {
        name: pd.read_csv(REF / f"planner_{name}.csv") for name in ("people", "cohorts", "costs")
    }


@pytest.fixture(scope="module")
def effects(study):
    return program_effects(study["people"], study["cohorts"])


@pytest.fixture(scope="module")
def plan(study, effects):
    return budget_plan(study["costs"], study["people"], study["cohorts"], effects, budget=BUDGET)


def test_program_effect_of_several_cohorts_is_cluster_robust_as_r(effects):
    a = effects.loc["A"]
    # group_ci(gain[program A], cohort_id): coeftest(lm(gain ~ 1), vcovCL, df = G - 1)
    assert (a["n"], a["n_clusters"], a["df"], a["inference"]) == (55, 3, 2, "cluster")
    assert a["mean_diff"] == pytest.approx(8.83636363636364, rel=RTOL)
    assert a["se"] == pytest.approx(0.863047179309188, rel=RTOL)
    assert a["ci_low"] == pytest.approx(5.12297133440639, rel=RTOL)
    assert a["ci_high"] == pytest.approx(12.5497559383209, rel=RTOL)
    # sd(gain); mean / sd; confint / sd
    assert a["sd_diff"] == pytest.approx(6.28862475798973, rel=RTOL)
    assert a["d_z"] == pytest.approx(1.40513450498648, rel=RTOL)
    assert a["d_z_ci_low"] == pytest.approx(0.814640963892405, rel=RTOL)
    assert a["d_z_ci_high"] == pytest.approx(1.99562804608056, rel=RTOL)
    # max_score 100: POMP points are test points
    assert a["pomp_gain_ci_high"] == pytest.approx(12.5497559383209, rel=RTOL)


def test_program_of_two_cohorts_has_one_df_and_says_so(effects):
    b = effects.loc["B"]
    # group_ci(gain[program B], cohort_id): df = 1, a very wide interval
    assert (b["n_clusters"], b["df"]) == (2, 1)
    assert b["ci_low"] == pytest.approx(-64.4021038852099, rel=RTOL)
    assert b["ci_high"] == pytest.approx(75.6798816629877, rel=RTOL)


def test_program_of_one_cohort_gets_the_paired_t(effects):
    c = effects.loc["C"]
    # t.test(post, pre, paired = TRUE) for program C (one cohort)
    assert (c["n"], c["n_clusters"], c["inference"]) == (14, 1, "t")
    assert c["mean_diff"] == pytest.approx(15.1428571428571, rel=RTOL)
    assert c["se"] == pytest.approx(2.0618383530322, rel=RTOL)
    assert c["ci_low"] == pytest.approx(10.6885261902735, rel=RTOL)
    assert c["ci_high"] == pytest.approx(19.5971880954408, rel=RTOL)
    assert c["d_z"] == pytest.approx(1.96285940658279, rel=RTOL)


def test_costs_and_what_the_budget_buys_match_r(plan):
    a = plan.loc["A"]
    # sum(amount_idr) / sum(n) over A's cohorts; range(amount_idr / n) over its cohorts
    assert a["cost_per_participant"] == pytest.approx(2624363.63636364, rel=RTOL)
    assert a["cost_min"] == pytest.approx(2503866.66666667, rel=RTOL)
    assert a["cost_max"] == pytest.approx(2755090.90909091, rel=RTOL)
    # median(n); floor(budget / cpp); floor(budget / rev(range)); floor(budget / (cpp * median))
    assert a["cohort_size"] == 18
    assert (a["n_participants"], a["n_participants_low"], a["n_participants_high"]) == (95, 90, 99)
    assert a["n_cohorts"] == 5
    b, c = plan.loc["B"], plan.loc["C"]
    assert b["cost_per_participant"] == pytest.approx(4069666.66666667, rel=RTOL)
    assert (b["n_participants"], b["n_cohorts"]) == (61, 3)
    assert c["cost_per_participant"] == pytest.approx(1385500, rel=RTOL)
    assert (c["n_participants"], c["n_cohorts"], c["cost_min"], c["cost_max"]) == (
        180, 12, 1385500, 1385500
    )  # fmt: skip


def test_mde_of_the_study_the_budget_buys_matches_power_t_test(plan):
    # power.t.test(n = 95 / 61 / 180, sd = 1, power = .8, type = "paired", strict = TRUE,
    # tol = 1e-12)$delta
    for program, mde in (("A", 0.29041468964856), ("B", 0.364576136492977),
                         ("C", 0.209946257704135)):  # fmt: skip
        assert plan.loc[program, "mde_d_z"] == pytest.approx(mde, rel=1e-8)
    # power.t.test(n = 10 / 34 / 57, ...)$delta
    for n, mde in ((10, 0.996001371455107), (34, 0.495028097973358), (57, 0.377595556391215)):
        assert minimum_detectable_effect(n) == pytest.approx(mde, rel=1e-8)


def test_effect_per_million_carries_the_effect_ci_over_the_cost_range(plan):
    # d_z / cpp * 1e6, and c(min(lo / range(cpp)), max(hi / range(cpp))) * 1e6
    for program, est, low, high in (
        ("A", 0.53541913381084, 0.295685692695059, 0.797018496490986),
        ("B", 0.166006332960223, -1.89952383908134, 2.23215905514406),
        ("C", 1.41671555870285, 0.999983108240975, 1.83344800916472),
    ):
        row = plan.loc[program]
        assert row["effect_per_million"] == pytest.approx(est, rel=RTOL)
        assert row["effect_per_million_ci_low"] == pytest.approx(low, rel=RTOL)
        assert row["effect_per_million_ci_high"] == pytest.approx(high, rel=RTOL)
    assert plan.index.tolist() == ["C", "A", "B"]  # best value first


def test_a_small_budget_is_flagged_underpowered(study, effects):
    small = budget_plan(study["costs"], study["people"], study["cohorts"], effects, budget=12e6)
    # C: floor(12e6 / 1385500) = 8 people, whose MDE (about 1.2) is below C's d_z of 1.96
    n = small.loc["C", "n_participants"]
    assert n == 8
    assert small.loc["C", "mde_d_z"] == pytest.approx(minimum_detectable_effect(8), rel=1e-12)
    # B: 2 participants, A: 4, their MDEs far above their d_z of 0.68 and 1.41
    assert small.loc["B", "n_participants"] == 2 and small.loc["B", "underpowered"] is True
    assert small.loc["A", "n_participants"] == 4 and small.loc["A", "underpowered"] is True
    assert small.loc["C", "underpowered"] is False
    words = plan_conclusion(small, "en")
    assert "For A, B the MDE exceeds the observed effect" in words
    assert "a study of this size would likely show nothing" in words


def test_cohort_size_and_icc_change_cohorts_and_the_mde(study, effects):
    plan = budget_plan(study["costs"], study["people"], study["cohorts"], effects,
                       budget=BUDGET, cohort_size=30, icc=0.05)  # fmt: skip
    a = plan.loc["A"]
    assert a["n_cohorts"] == participants_for(BUDGET, a["cost_per_participant"] * 30) == 3
    assert a["deff"] == pytest.approx(1 + 29 * 0.05)
    assert a["mde_d_z"] == pytest.approx(minimum_detectable_effect(95, deff=2.45), rel=1e-12)


def test_pomp_and_raw_points_measures(study, effects):
    pomp = budget_plan(study["costs"], study["people"], study["cohorts"], effects,
                       budget=BUDGET, effect="pomp_gain")  # fmt: skip
    a = pomp.loc["A"]
    assert a["effect"] == pytest.approx(8.83636363636364, rel=RTOL)
    assert a["mde"] == pytest.approx(a["mde_d_z"] * 6.28862475798973, rel=1e-12)
    assert pomp["comparable"].all()
    raw = budget_plan(study["costs"], study["people"], study["cohorts"], effects,
                      budget=BUDGET, effect="mean_diff")  # fmt: skip
    assert not raw["comparable"].any()
    assert "not comparable" in plan_note(raw, "en") and "tidak dapat" in plan_note(raw, "id")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"budget": -1.0}, "parameter 'budget' must be a positive amount of rupiah, got -1.0"),
        ({"budget": float("nan")}, "parameter 'budget' must be a positive amount"),
        ({"budget": "250"}, "parameter 'budget' must be a number of rupiah"),
        ({"budget": BUDGET, "effect": "g"}, "parameter 'effect' must be one of"),
        ({"budget": BUDGET, "cohort_size": 0}, "parameter 'cohort_size' must be a number >= 1"),
        ({"budget": BUDGET, "icc": 2.0}, r"parameter 'icc' must be in \[0, 1\]"),
    ],
)
def test_bad_plan_input_is_a_parameter_error(study, effects, kwargs, message):
    with pytest.raises(ParameterError, match=f"budget_plan: {message}"):
        budget_plan(study["costs"], study["people"], study["cohorts"], effects, **kwargs)


def test_programs_without_costs_or_effects_are_left_out_with_a_warning(study, effects):
    costs = study["costs"][~study["costs"]["cohort_id"].str.startswith("C")]
    with pytest.warns(EvalkitWarning, match="without both costs and an effect"):
        plan = budget_plan(costs, study["people"], study["cohorts"], effects, budget=BUDGET)
    assert sorted(plan.index) == ["A", "B"]
    with (
        pytest.raises(ParameterError, match="no program has both costs and an effect"),
        pytest.warns(EvalkitWarning, match="left out"),
    ):
        budget_plan(costs, study["people"], study["cohorts"], effects.loc[["C"]], budget=BUDGET)


def test_words_table_figure_and_ledger(plan):
    shown = plan_table(plan, "id")
    assert shown.loc["A", "Biaya/peserta"] == "Rp2.624.364"
    assert shown.loc["A", "Rentang peserta"] == "90–99"
    words = plan_conclusion(plan, "id")
    assert "Anggaran Rp250.000.000" in words and "95 peserta (90–99" in words
    fig = plan_figure(plan, lang="en")
    assert "Budget IDR 250,000,000" in figure_alt(fig)
    rows = plan_estimates(plan)
    assert set(rows["estimand"]) == {"effect_per_cost", "mde"}
    mde = rows[rows["estimand"] == "mde"].set_index("group")
    assert mde.loc["A", "estimate"] == plan.loc["A", "mde_d_z"] and mde.loc["A", "n"] == 95


def test_public_api():
    assert evalkit.budget_plan is budget_plan and evalkit.program_effects is program_effects


# --- evalkit plan ----------------------------------------------------------------------
def _project(tmp_path: Path, monkeypatch, *, costs: bool = True) -> Path:
    from processed_fixture import write_processed_study

    folder = write_processed_study(tmp_path, study="pelayanan")
    if not costs:
        (folder / "costs.parquet").unlink()
        manifest = json.loads((folder / "manifest.json").read_text())
        manifest["outputs"].pop("costs")
        (folder / "manifest.json").write_text(json.dumps(manifest))
    monkeypatch.setenv("EVALKIT_ROOT", str(tmp_path))
    return folder


def test_plan_command_prints_the_table_and_writes_csv_and_png(tmp_path, monkeypatch, capsys):
    folder = _project(tmp_path, monkeypatch)
    out = tmp_path / "plans"
    code = main(["plan", "--study", "pelayanan", "--budget", "250000000", "--lang", "en",
                 "--out", str(out)])  # fmt: skip
    printed = capsys.readouterr().out
    assert code == 0
    assert (out / "plan.en.csv").exists() and (out / "plan.en.png").read_bytes()[:4] == b"\x89PNG"
    assert (
        f"Table: {out / 'plan.en.csv'}" in printed and f"Figure: {out / 'plan.en.png'}" in printed
    )
    assert "A budget of IDR 250,000,000 buys" in printed
    table = pd.read_csv(out / "plan.en.csv", index_col=0)
    people = pd.read_parquet(folder / "participants.parquet")
    text = (out / "plan.en.csv").read_text()
    assert not any(pid in text or pid in printed for pid in people["participant_id"])
    assert {"n_participants", "mde_d_z", "effect_per_million"} <= set(table.columns)
    # the default folder, Indonesian
    assert (
        main(["plan", "--study", "pelayanan", "--budget", "250_000_000", "--cohort-size", "20"])
        == 0
    )
    assert (tmp_path / "reports" / "pelayanan" / "planning" / "plan.csv").exists()
    assert "Anggaran Rp250.000.000" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--study", "pelayanan", "--budget", "-5"], "--budget must be a positive amount of rupiah, got '-5'"),
        (["--study", "pelayanan", "--budget", "lots"], "--budget must be a positive amount"),
        (["--study", "pelayanan", "--budget", "1e8", "--cohort-size", "0"], "--cohort-size must be"),
        (["--study", "nope", "--budget", "1e8"], "unknown study 'nope'"),
    ],
)  # fmt: skip
def test_plan_command_bad_input_is_one_line_and_exit_2(
    tmp_path, monkeypatch, capsys, argv, message
):
    _project(tmp_path, monkeypatch)
    assert main(["plan", *argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("evalkit plan: error: ")
    assert message in err and "Traceback" not in err


def test_plan_command_without_costs_table_says_which_table(tmp_path, monkeypatch, capsys):
    _project(tmp_path, monkeypatch, costs=False)
    assert main(["plan", "--study", "pelayanan", "--budget", "1e8"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "has no costs table" in err and "Traceback" not in err


def test_write_plan_without_learning_says_so(study):
    tables = {"costs": study["costs"], "participants": study["people"], "cohorts": study["cohorts"]}
    with pytest.raises(ParameterError, match="has no learning table"):
        write_plan(tables, Path("unused"), budget=1e8)


def test_plan_flags_are_in_the_readme_row_and_the_guides():
    parser = build_parser()
    sub = parser._subparsers._group_actions[0].choices["plan"]  # type: ignore[union-attr]
    flags = {o for a in sub._actions for o in a.option_strings if o.startswith("--")} - {"--help"}
    assert flags == {"--study", "--budget", "--cohort-size", "--outcome", "--lang", "--out"}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    row = re.search(r"^\| `evalkit plan` \| (.*) \|$", readme, flags=re.M)
    assert row, "the README's command table has a row for `evalkit plan`"
    assert flags == set(re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", row.group(1)))
    for guide in ("guide.en.md", "guide.id.md"):
        text = (ROOT / "docs" / guide).read_text(encoding="utf-8")
        assert "evalkit plan --study" in text and "--cohort-size" in text


def test_plan_results_do_not_depend_on_row_order(study, effects):
    shuffled = {k: v.sample(frac=1.0, random_state=3) for k, v in study.items()}
    again = budget_plan(shuffled["costs"], shuffled["people"], shuffled["cohorts"],
                        program_effects(shuffled["people"], shuffled["cohorts"]), budget=BUDGET)  # fmt: skip
    base = budget_plan(study["costs"], study["people"], study["cohorts"], effects, budget=BUDGET)
    num = base.select_dtypes(np.number).columns
    pd.testing.assert_frame_equal(again[num], base[num], rtol=1e-12)


# --- planning on transfer (Level 3) ----------------------------------------------------
@pytest.fixture(scope="module")
def transfer():
    cohorts = pd.read_csv(REF / "planner_cohorts.csv")
    return program_transfer(pd.read_csv(REF / "planner_followup.csv"), cohorts)


@pytest.fixture(scope="module")
def transfer_plan(study, transfer):
    return budget_plan(study["costs"], study["people"], study["cohorts"], transfer,
                       budget=BUDGET, effect="transfer")  # fmt: skip


def test_program_transfer_matches_r(transfer):
    # per rater mean((score - 1) / (max - 1) x 100), per person the mean over raters, then
    # group_ci(index, cohort_id) per program: coeftest(lm(index ~ 1), vcovCL, df = G - 1)
    a = transfer.loc["A"]
    assert (a["n"], a["n_clusters"], a["df"], a["inference"], a["months_after"]) == (
        55, 3, 2, "cluster", 3.0
    )  # fmt: skip
    assert a["transfer"] == pytest.approx(59.3939393939394, rel=RTOL)
    assert a["se"] == pytest.approx(1.87444107888059, rel=RTOL)
    assert a["transfer_ci_low"] == pytest.approx(51.3288703691393, rel=RTOL)
    assert a["transfer_ci_high"] == pytest.approx(67.4590084187395, rel=RTOL)
    assert a["sd_transfer"] == pytest.approx(12.7852781383296, rel=RTOL)
    b = transfer.loc["B"]  # two cohorts: 1 df
    assert b["transfer"] == pytest.approx(58.2175925925926, rel=RTOL)
    assert b["se"] == pytest.approx(3.11213991769548, rel=RTOL)
    assert b["transfer_ci_low"] == pytest.approx(18.674105630732, rel=RTOL)
    assert b["transfer_ci_high"] == pytest.approx(97.7610795544531, rel=RTOL)
    # program C, one cohort: t.test(index)
    c = transfer.loc["C"]
    assert (c["n"], c["n_clusters"], c["inference"]) == (14, 1, "t")
    assert c["transfer"] == pytest.approx(59.5238095238095, rel=RTOL)
    assert c["se"] == pytest.approx(2.77723263445435, rel=RTOL)
    assert c["transfer_ci_low"] == pytest.approx(53.5239631886288, rel=RTOL)
    assert c["transfer_ci_high"] == pytest.approx(65.5236558589903, rel=RTOL)
    assert c["sd_transfer"] == pytest.approx(10.3914530014958, rel=RTOL)


def test_plan_on_transfer_matches_r(transfer_plan):
    for program, per, low, high, mde_d, mde_points in (
        ("A", 22.6317491108956, 18.6305541496909, 26.9419331775146, 0.29041468964856,
         3.7130325826135),
        ("B", 14.3052484050928, 4.57789832674571, 24.0669316119824, 0.364576136492977,
         4.11610139480525),
        ("C", 42.9619700640993, 38.6315143909266, 47.292425737272, 0.209946257704135,
         2.18164666977244),
    ):  # fmt: skip
        row = transfer_plan.loc[program]
        # mean / cpp * 1e6; c(min(lo / range(cpp)), max(hi / range(cpp))) * 1e6
        assert row["effect_per_million"] == pytest.approx(per, rel=RTOL)
        assert row["effect_per_million_ci_low"] == pytest.approx(low, rel=RTOL)
        assert row["effect_per_million_ci_high"] == pytest.approx(high, rel=RTOL)
        # power.t.test(n, type = "one.sample", strict = TRUE, tol = 1e-12)$delta, x sd(index)
        assert row["mde_d_z"] == pytest.approx(mde_d, rel=1e-8)
        assert row["mde"] == pytest.approx(mde_points, rel=1e-8)
    assert transfer_plan["measure"].eq("transfer").all() and transfer_plan["comparable"].all()
    # a level has no standardised change to set the MDE against
    assert transfer_plan["d_z"].isna().all() and transfer_plan["underpowered"].isna().all()
    assert transfer_plan.index.tolist() == ["C", "A", "B"]


def test_program_transfer_picks_a_wave_and_checks_input(study):
    fu = pd.read_csv(REF / "planner_followup.csv")
    late = fu.assign(months_after=12, score=np.minimum(fu["score"] + 1, 5))
    both = pd.concat([fu, late], ignore_index=True)
    first = program_transfer(both, study["cohorts"])  # default: the earliest wave
    assert first.loc["A", "transfer"] == pytest.approx(59.3939393939394, rel=RTOL)
    later = program_transfer(both, study["cohorts"], months=12)
    assert later["months_after"].eq(12).all()
    assert (later["transfer"] > first["transfer"]).all()
    with pytest.raises(ParameterError, match="program_transfer: parameter 'months' = 6 is not"):
        program_transfer(both, study["cohorts"], months=6)
    with pytest.raises(ParameterError, match="cohort 'A1' of followup is not in cohorts"):
        program_transfer(fu, study["cohorts"][study["cohorts"]["cohort_id"] != "A1"])


def test_transfer_words_table_figure_and_ledger(transfer_plan, transfer):
    shown = plan_table(transfer_plan, "en")
    assert shown.loc["A", "MDE (index points)"] == "3.7"
    assert shown.loc["A", "MDE > observed effect"] == "–"
    assert "transfer index points per IDR 1 million" in " ".join(shown.columns)
    words = plan_conclusion(transfer_plan, "en")
    assert "a follow-up of 95 alumni detects a difference of ≥ 3.7 points" in words
    assert "MDE exceeds" not in words
    words_id = plan_conclusion(transfer_plan, "id")
    assert "tindak lanjut 95 alumni mendeteksi selisih rerata indeks transfer ≥ 3,7" in words_id
    note = plan_note(transfer_plan, "en")
    assert "no baseline" in note and "not how much the program changed" in note
    assert "tanpa nilai awal" in plan_note(transfer_plan, "id")
    fig = plan_figure(transfer_plan, lang="en")
    assert fig.axes[1].get_xlabel() == "Transfer index, POMP 0-100 (95% CI), and\nMDE (points)"
    rows = plan_estimates(transfer_plan)
    mde = rows[rows["estimand"] == "mde"].set_index("group")
    assert mde.loc["A", "estimate"] == transfer_plan.loc["A", "mde"]
    assert "one-sample t" in mde.loc["A", "method"]
    ledger = transfer_estimates(transfer).set_index("group")
    assert ledger.loc["A", "estimand"] == "pomp" and ledger.loc["A", "level"] == 3
    assert ledger.loc["A", "estimate"] == transfer.loc["A", "transfer"]
    assert "3 months" in ledger.loc["A", "outcome"]
    assert "follow-up" in planning_note("plan_transfer", "en")
    assert "tindak lanjut" in planning_note("plan_transfer", "id")


def test_plan_command_on_transfer(tmp_path, monkeypatch, capsys):
    _project(tmp_path, monkeypatch)
    out = tmp_path / "plans"
    with pytest.warns(EvalkitWarning, match="without both costs and an effect left out"):
        code = main(["plan", "--study", "pelayanan", "--budget", "250000000", "--outcome",
                     "transfer", "--lang", "en", "--out", str(out)])  # fmt: skip
    printed = capsys.readouterr().out
    assert code == 0
    table = pd.read_csv(out / "plan_transfer.en.csv", index_col=0)
    assert table["measure"].eq("transfer").all()
    assert (out / "plan_transfer.en.png").read_bytes()[:4] == b"\x89PNG"
    assert "alumni detects a difference of" in printed and "no baseline" in printed
    with pytest.raises(SystemExit) as stop:
        main(["plan", "--study", "pelayanan", "--budget", "1e8", "--outcome", "roi"])
    assert stop.value.code == 2
    assert "invalid choice: 'roi'" in capsys.readouterr().err


def test_write_plan_on_transfer_needs_followup_and_a_known_outcome(study):
    tables = {"costs": study["costs"], "participants": study["people"], "cohorts": study["cohorts"],
              "learning": study["people"]}  # fmt: skip
    with pytest.raises(ParameterError, match="has no followup table"):
        write_plan(tables, Path("unused"), budget=1e8, outcome="transfer")
    with pytest.raises(ParameterError, match="parameter 'outcome' must be 'gain' or 'transfer'"):
        write_plan(tables, Path("unused"), budget=1e8, outcome="roi")


def test_budget_plan_on_transfer_needs_the_transfer_columns(study, effects):
    with pytest.raises(ParameterError, match="budget_plan: .*transfer"):
        budget_plan(study["costs"], study["people"], study["cohorts"], effects, budget=BUDGET,
                    effect="transfer")  # fmt: skip


# --- few cohorts: CR2 with Satterthwaite df (tests/reference/cr2means.R, section 3) -------
def test_program_effects_cr2_match_clubsandwich(study, effects):
    cr2 = program_effects(study["people"], study["cohorts"], vcov="CR2")
    # per program d (gain = post - pre): fit <- lm(gain ~ 1, d); V <- vcovCR(fit, cluster =
    # d$cohort_id, type = "CR2"); coef_test(fit, vcov = V, test = "Satterthwaite");
    # conf_int(fit, vcov = V, test = "Satterthwaite", level = 0.95); d_z: / sd(gain)
    a, b = cr2.loc["A"], cr2.loc["B"]
    assert a["inference"] == b["inference"] == "cluster"
    assert a["mean_diff"] == pytest.approx(8.83636363636364, rel=1e-9)
    assert a["se"] == pytest.approx(0.844086455734643, rel=1e-9)
    assert a["df"] == pytest.approx(1.94736842105263, rel=1e-9)
    assert a["ci_low"] == pytest.approx(5.10884881602981, rel=1e-9)
    assert a["ci_high"] == pytest.approx(12.5638784566975, rel=1e-9)
    assert a["d_z_ci_low"] == pytest.approx(0.812395239442296, rel=1e-9)
    assert a["d_z_ci_high"] == pytest.approx(1.99787377053067, rel=1e-9)
    assert b["se"] == pytest.approx(5.54669084418697, rel=1e-9)
    assert b["df"] == pytest.approx(1, rel=1e-9)  # two cohorts: exactly 1
    assert b["ci_low"] == pytest.approx(-64.8385005856164, rel=1e-9)
    assert b["ci_high"] == pytest.approx(76.1162783633942, rel=1e-9)
    assert b["d_z_ci_low"] == pytest.approx(-7.76824512479485, rel=1e-9)
    assert b["d_z_ci_high"] == pytest.approx(9.11942600420243, rel=1e-9)
    # C, one cohort: the paired t whatever vcov says
    pd.testing.assert_series_equal(cr2.loc["C"], effects.loc["C"])
    with pytest.raises(ParameterError, match="program_effects: parameter 'vcov'"):
        program_effects(study["people"], study["cohorts"], vcov="HC1")


def test_program_transfer_cr2_matches_clubsandwich(transfer):
    cohorts = pd.read_csv(REF / "planner_cohorts.csv")
    cr2 = program_transfer(pd.read_csv(REF / "planner_followup.csv"), cohorts, vcov="CR2")
    # per program the POMP person index: coef_test(lm(pomp ~ 1, d), vcov = vcovCR(fit,
    # cluster = d$cohort_id, type = "CR2"), test = "Satterthwaite"); conf_int(...)
    a, b = cr2.loc["A"], cr2.loc["B"]
    assert a["transfer"] == pytest.approx(59.3939393939394, rel=1e-9)
    assert a["se"] == pytest.approx(1.90315292369487, rel=1e-9)
    assert a["df"] == pytest.approx(1.94736842105263, rel=1e-9)
    assert a["transfer_ci_low"] == pytest.approx(50.9895506251846, rel=1e-9)
    assert a["transfer_ci_high"] == pytest.approx(67.7983281626942, rel=1e-9)
    assert b["se"] == pytest.approx(3.13153038515595, rel=1e-9)
    assert b["transfer_ci_low"] == pytest.approx(18.4277263812491, rel=1e-9)
    assert b["transfer_ci_high"] == pytest.approx(98.0074588039361, rel=1e-9)
    pd.testing.assert_series_equal(cr2.loc["C"], transfer.loc["C"])
    with pytest.raises(ParameterError, match="program_transfer: parameter 'vcov'"):
        program_transfer(pd.read_csv(REF / "planner_followup.csv"), cohorts, vcov="cr2")


def test_planner_ledger_names_cr2_in_both_languages(study, transfer):
    from evalkit.reporting.method_terms import method_text

    cr2 = program_effects(study["people"], study["cohorts"], vcov="CR2")
    rows = effect_estimates(cr2, vcov="CR2").set_index("group")
    assert rows.loc["A", "method"] == (
        "mean gain / SD of the gains, person level; interval: CR2 cluster-robust CI of the "
        "mean gain by cohort (t with Satterthwaite df) over that SD"
    )
    assert rows.loc["A", "ci_low"] == pytest.approx(0.812395239442296, rel=1e-9)
    assert "paired t" in rows.loc["C", "method"]
    assert method_text(rows.loc["A", "method"]) == (
        "rerata gain / SD gain, tingkat peserta; interval: IK robust-klaster CR2 dari rerata "
        "gain menurut angkatan (t dengan df Satterthwaite) dibagi SD itu"
    )
    assert "CR1" in effect_estimates(cr2).set_index("group").loc["A", "method"]
    shown = transfer_estimates(transfer, vcov="CR2").set_index("group").loc["A", "method"]
    assert shown.endswith("CR2 cluster-robust SE by cohort, t with Satterthwaite df")
    assert method_text(shown).endswith("SE robust-klaster CR2 menurut angkatan, t dengan df "
                                       "Satterthwaite")  # fmt: skip


def test_write_plan_uses_cr2_as_the_overview(study, tmp_path):
    tables = {"costs": study["costs"], "learning": study["people"],
              "participants": study["people"], "cohorts": study["cohorts"]}  # fmt: skip
    write_plan(tables, tmp_path, budget=BUDGET, lang="en")
    table = pd.read_csv(tmp_path / "plan.en.csv", index_col=0)
    # the d_z interval of program A from clubSandwich (cr2means.R), not CR1's 0.8146
    assert table.loc["A", "effect_ci_low"] == pytest.approx(0.812395239442296, rel=1e-9)
    assert table.loc["B", "effect_ci_high"] == pytest.approx(9.11942600420243, rel=1e-9)
