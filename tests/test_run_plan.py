"""Planning: which reports a study can have, and which of them a change re-runs.

An impact study needs a unit table (the ``ikm`` public-satisfaction survey, or the
``unit_kpi`` table) with trained and comparison units, periods before and after
training. Without one the run names the missing tables and where they would come from: a
failure (non-zero exit) when the user asked for ``--kind impact``, one line of the
summary otherwise. A cohort report's fingerprint covers that cohort's rows only.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from processed_fixture import write_processed_study

from evalkit.cli import main
from evalkit.run.execute import RunSummary
from evalkit.run.plan import STATUS_FAILED, STATUS_NOT_MADE, JobResult, plan_jobs, why_not

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "p"
    root.mkdir()
    (root / "pyproject.toml").write_text("[project]\nname = 'scratch'\n")
    (root / "notebooks").symlink_to(REPO / "notebooks", target_is_directory=True)
    write_processed_study(root, "s")
    monkeypatch.setenv("EVALKIT_ROOT", str(root))
    return root


def _plan(root: Path, kinds):
    return plan_jobs(["s"], None, kinds, root=root, reports=root / "reports", lang="en",
                     keep_code=False)  # fmt: skip


def _drop_ikm(root: Path, tables: tuple[str, ...] = ("ikm", "unit_kpi")) -> Path:
    """Remove the unit tables as if the codebook mapped none (and the manifest with them).

    By default both: an impact study needs the IKM survey or the unit KPIs.
    """
    folder = root / "data/processed/s"
    manifest = json.loads((folder / "manifest.json").read_text())
    for table in tables:
        (folder / f"{table}.parquet").unlink()
        manifest["outputs"].pop(table)
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder


def _rewrite_ikm(folder: Path, **columns) -> None:
    """Both unit tables, as cleaning writes them from the one `impact:` block."""
    for table in ("ikm", "unit_kpi"):
        frame = pd.read_parquet(folder / f"{table}.parquet")
        frame.assign(**columns).to_parquet(folder / f"{table}.parquet", index=False)


NO_IKM = (
    "data/processed/s has no ikm table, the public-satisfaction survey (SKM/IKM: one row per "
    "respondent with unit, period and the answers U1..U9): data/raw/s/codebook.yaml maps no "
    "table 'ikm'; add the SKM export (the demo study's skm_olah_data.xlsx) to data/raw/s/ and "
    "map it as table 'ikm', with an `impact:` block naming the trained units (`treated_units`) "
    "and the first period after training (`post_from`) (docs/data-model.md), then run "
    "`evalkit clean --study s`; nor is there a unit_kpi table (the unit KPIs: one row per "
    "unit and period with service time and complaints)"
)


def test_without_ikm_the_impact_study_is_not_made_and_the_reason_is_one_sentence(project):
    _drop_ikm(project)
    plans, results = _plan(project, None)
    assert sorted(p.job.name for p in plans) == ["cohort-C01", "cohort-C02", "cohort-C03",
                                                 "overview"]  # fmt: skip
    assert [(r.name, r.status, r.error) for r in results] == [
        ("impact", STATUS_NOT_MADE, f"no impact report: {NO_IKM}")
    ]
    assert "\n" not in NO_IKM and NO_IKM.count(". ") == 0


def test_asking_for_the_impact_study_without_ikm_is_a_failure(project):
    _drop_ikm(project)
    plans, results = _plan(project, ["impact"])
    assert plans == []
    assert [(r.name, r.status) for r in results] == [("impact", STATUS_FAILED)]


def test_report_kind_impact_without_ikm_says_why_and_exits_non_zero(project, capsys):
    _drop_ikm(project)
    code = main(["report", "--study", "s", "--kind", "impact", "-q"])
    out = capsys.readouterr().out
    assert code == 1
    assert out.splitlines()[0].startswith("evalkit report: 0 ran, 0 up to date, 1 failed in ")
    assert f"  FAILED s/impact: no impact report: {NO_IKM}" in out.splitlines()


def test_the_summary_gives_a_report_not_made_one_line():
    why = "no impact report: data/processed/s has no ikm table, ..."
    summary = RunSummary(results=[JobResult("s", "impact", STATUS_NOT_MADE, error=why),
                                  JobResult("s", "overview", "ran")], seconds=1.0)  # fmt: skip
    assert summary.ok and len(summary.not_made) == 1
    assert str(summary).splitlines() == [
        "evalkit report: 1 ran, 0 up to date, 0 failed in 1.0 s",
        f"  not made: s/impact: {why}",
    ]


def test_a_codebook_that_maps_ikm_but_kept_no_row_says_so(project):
    folder = _drop_ikm(project)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["rows"] = {"by_table_and_file": {"ikm:skm.xlsx": {"rows": 3, "quarantined": 3}}}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    assert why_not("s", folder, "impact") == (
        "data/processed/s has no ikm table: the codebook maps it from skm.xlsx, but cleaning "
        "kept no row of it (data/processed/s/quality_log.csv says why); nor is there a "
        "unit_kpi table (the unit KPIs: one row per unit and period with service time and "
        "complaints)"
    )


@pytest.mark.parametrize(
    ("columns", "says"),
    [
        ({"treated": False}, "the ikm table has no trained unit: `impact: treated_units` in "
                             "data/raw/s/codebook.yaml names none of its units"),
        ({"treated": True}, "the ikm table has no comparison unit: `impact: treated_units` in "
                            "data/raw/s/codebook.yaml names every one of its units"),
        ({"post": False}, "the ikm table has no period after training: `impact: post_from` in "
                          "data/raw/s/codebook.yaml is after its last period"),
        ({"post": True}, "the ikm table has no period before training: `impact: post_from` in "
                         "data/raw/s/codebook.yaml is its first period or earlier"),
    ],
)  # fmt: skip
def test_an_ikm_table_without_the_design_is_named(project, columns, says):
    folder = project / "data/processed/s"
    _rewrite_ikm(folder, **columns)
    assert why_not("s", folder, "impact") == says
    _plans, results = _plan(project, None)
    assert [(r.name, r.status, r.error) for r in results] == [
        ("impact", STATUS_NOT_MADE, f"no impact report: {says}")
    ]


def test_an_empty_ikm_table_is_named(project):
    folder = project / "data/processed/s"
    for table in ("ikm", "unit_kpi"):
        path = folder / f"{table}.parquet"
        pd.read_parquet(path).iloc[:0].to_parquet(path)
    assert why_not("s", folder, "impact") == "data/processed/s/ikm.parquet has no rows"


def test_unit_kpis_without_ikm_are_enough_for_an_impact_study(project):
    folder = _drop_ikm(project, ("ikm",))
    assert why_not("s", folder, "impact") is None
    assert why_not("s", folder, "impact", lang="id") is None
    plans, results = _plan(project, None)
    assert "impact" in {p.job.name for p in plans} and results == []


def test_an_ikm_table_without_the_design_is_enough_when_the_unit_kpis_have_it(project):
    folder = project / "data/processed/s"
    ikm = pd.read_parquet(folder / "ikm.parquet").assign(treated=False)
    ikm.to_parquet(folder / "ikm.parquet", index=False)
    assert why_not("s", folder, "impact") is None


def test_a_study_with_the_design_gets_its_impact_study(project):
    assert why_not("s", project / "data/processed/s", "impact") is None
    plans, results = _plan(project, None)
    assert "impact" in {p.job.name for p in plans} and results == []


def _fingerprints(root: Path) -> dict[str, str]:
    plans, _ = _plan(root, None)
    return {p.job.name: p.fingerprint for p in plans}


def test_one_changed_answer_re_runs_its_cohort_and_the_study_reports_only(project):
    folder = project / "data/processed/s"
    before = _fingerprints(project)
    learning = pd.read_parquet(folder / "learning.parquet")
    row = learning.index[(learning["cohort_id"] == "C02") & learning["post"].notna()][0]
    learning.loc[row, "post"] = learning.loc[row, "post"] - 1  # one C02 score
    learning.to_parquet(folder / "learning.parquet", index=False)
    after = _fingerprints(project)
    changed = sorted(name for name in before if before[name] != after[name])
    assert changed == ["cohort-C02", "impact", "overview"]


def test_a_table_without_cohorts_re_runs_every_report(project):
    folder = project / "data/processed/s"
    before = _fingerprints(project)
    programs = pd.read_parquet(folder / "programs.parquet")
    programs.assign(program_name=programs["program_name"] + " (baru)").to_parquet(
        folder / "programs.parquet", index=False
    )
    after = _fingerprints(project)
    assert all(before[name] != after[name] for name in before)


def test_a_cohort_report_ignores_raw_hashes_the_study_reports_take(project):
    folder = project / "data/processed/s"
    manifest = json.loads((folder / "manifest.json").read_text())
    before = _fingerprints(project)
    manifest["inputs"] = [{"file": "reaksi.csv", "sha256": "0" * 64}]
    (folder / "manifest.json").write_text(json.dumps(manifest))
    after = _fingerprints(project)
    changed = sorted(name for name in before if before[name] != after[name])
    assert changed == ["impact", "overview"]
