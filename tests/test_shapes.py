"""Every report works for every shape of study.

A study seldom has every instrument: reaction forms come first, follow-ups months later,
costs from another office. Two matrices of shapes:

- **processed fixture, in Indonesian** (this file): each shape keeps some tables of the
  small processed fixture (``tests/processed_fixture.py``) and drops the others; every
  report of every shape runs, in one :func:`evalkit.run.execute.run_reports` call.
- **cleaned cuts of the demo, in English and Indonesian** (``tests/test_shapes_demo.py``),
  every page opened in headless Chromium.

Each section whose tables are missing must say so in one sentence (the
``ekr.section_note`` pattern) instead of failing; the tests ask only that, so a new
section written the same way passes them.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from processed_fixture import write_processed_study

from evalkit.run.execute import run_reports

REPO = Path(__file__).resolve().parent.parent

#: Tables every study has: the programs and the cohort list (reports are per cohort).
BASE = ("programs", "cohorts")
#: Cleaning writes ``participants`` (the roster plus anyone in a person table) whenever
#: the study has person-level data, so only the unit-level shapes lack it.
PEOPLE = "participants"
#: shape -> tables kept besides BASE (None: every table)
SHAPES: dict[str, tuple[str, ...] | None] = {
    "reaction_only": (PEOPLE, "reaction", "reaction_items", "comments"),
    "tests_only": (PEOPLE, "learning", "test_items"),
    "no_tests": (
        PEOPLE,
        "reaction",
        "reaction_items",
        "followup",
        "projects",
        "costs",
        "benefits",
        "comments",
        "ikm",
        "unit_kpi",
    ),  # fmt: skip
    "no_reaction": (
        PEOPLE,
        "learning",
        "test_items",
        "followup",
        "projects",
        "costs",
        "benefits",
        "ikm",
        "unit_kpi",
    ),  # fmt: skip
    "followup_only": (PEOPLE, "followup", "projects"),
    "kpis_only": ("ikm", "unit_kpi"),
    "unit_kpis_only": ("unit_kpi",),  # service time and complaints, no IKM survey
    "economics_only": (PEOPLE, "costs", "benefits"),
    "costs_only": ("costs",),
    "one_cohort": None,
}
ONE_COHORT = ("C01",)


def _add_benefits(folder: Path) -> None:
    """Benefit estimates (the fixture has none): 6 people of C01 and of C02, none of C03."""
    people = pd.read_parquet(folder / "participants.parquet")
    chosen = people[people["cohort_id"].isin(["C01", "C02"])].groupby("cohort_id").head(6)
    n = len(chosen)
    pd.DataFrame(
        {
            "cohort_id": chosen["cohort_id"].to_numpy(),
            "participant_id": chosen["participant_id"].to_numpy(),
            "benefit_type": ["time_saved"] * n,
            "benefit_idr": np.linspace(2e6, 12e6, n),
            "attribution": [0.5] * n,
            "confidence": [0.8] * n,
        }
    ).to_parquet(folder / "benefits.parquet", index=False)


def _keep(folder: Path, keep: tuple[str, ...] | None) -> None:
    """Drop the tables a shape lacks and rewrite the manifest as cleaning would."""
    if keep is None or "benefits" in keep:
        _add_benefits(folder)
    if keep is not None:
        for path in folder.glob("*.parquet"):
            if path.stem not in BASE + keep:
                path.unlink()
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["outputs"] = {
        path.stem: {"file": path.name, "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
        for path in sorted(folder.glob("*.parquet"))
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")


@pytest.fixture(scope="module")
def shapes(tmp_path_factory):
    """One run of every report of every shape."""
    root = tmp_path_factory.mktemp("shapes")
    (root / "pyproject.toml").write_text("[project]\nname = 'scratch'\n")
    (root / "notebooks").symlink_to(REPO / "notebooks", target_is_directory=True)
    for shape, keep in SHAPES.items():
        cohorts = ONE_COHORT if shape == "one_cohort" else None
        impact = keep is None or "unit_kpi" in keep
        _keep(write_processed_study(root, shape, cohorts=cohorts, impact=impact), keep)
    old = os.environ.get("EVALKIT_ROOT")
    os.environ["EVALKIT_ROOT"] = str(root)
    try:
        summary = run_reports(studies=list(SHAPES), jobs=2, progress=False)
        yield root, summary
    finally:
        if old is None:
            os.environ.pop("EVALKIT_ROOT", None)
        else:
            os.environ["EVALKIT_ROOT"] = old


def _failures(summary) -> dict[str, str]:
    return {f"{r.study}/{r.name}": str(r.error)[-400:] for r in summary.failed}


@pytest.mark.slow
@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_every_report_of_the_shape_runs(shapes, shape):
    root, summary = shapes
    failed = {k: v for k, v in _failures(summary).items() if k.startswith(f"{shape}/")}
    assert not failed, failed
    assert (root / "reports" / shape / "overview.html").is_file()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("shape", "says"),
    [
        ("reaction_only", "pre-test dan post-test"),
        ("tests_only", "survei reaksi"),
        ("economics_only", "pre-test dan post-test"),
        ("kpis_only", "survei reaksi"),
        ("kpis_only", "Belum ada data peserta dalam studi ini"),
        ("costs_only", "Belum ada data peserta dalam studi ini"),
    ],
)
def test_missing_tables_are_named_in_the_overview(shapes, shape, says):
    root, _ = shapes
    html = (root / "reports" / shape / "overview.html").read_text(encoding="utf-8")
    assert says in html


@pytest.mark.slow
def test_costs_and_benefits_only_gives_roi_of_the_cohorts_with_estimates(shapes):
    root, _ = shapes
    tables = root / "reports" / "economics_only" / "tables"
    roi = pd.read_csv(tables / "overview-roi_by_cohort.csv", encoding="utf-8-sig")
    assert sorted(roi["cohort_id"]) == ["C01", "C02"]  # C03 has costs, no estimate: no ROI
    c01 = roi.set_index("cohort_id").loc["C01"]
    # hand calculation: C01's 6 estimates are 2e6 + k x 10e6/11 (k = 0..5), summing to
    # 12e6 + 15 x 10e6/11; x attribution .5 x confidence .8; the fixture's costs are 30.5e6
    benefits = (12e6 + 15 * 10e6 / 11) * 0.5 * 0.8
    assert c01["benefits"] == pytest.approx(benefits, rel=1e-12)
    assert c01["roi_pct"] == pytest.approx((benefits - 30.5e6) / 30.5e6 * 100, rel=1e-12)
    costs = pd.read_csv(tables / "overview-costs_by_cohort.csv", encoding="utf-8-sig")
    assert costs["mean_gain"].isna().all()  # no scores: no cost per gain point
    html = (root / "reports" / "economics_only" / "overview.html").read_text(encoding="utf-8")
    assert "ROI" in html and "Belum ada data biaya" not in html


@pytest.mark.slow
def test_no_shape_fails_any_report(shapes):
    _, summary = shapes
    assert summary.ok, _failures(summary)
    assert len(summary.ran) == 43  # 9 shapes x (3 cohorts + overview) + 1 cohort + overview,
    # and the impact study of the 5 shapes with unit tables (no_tests, no_reaction, kpis,
    # unit_kpis, one)


@pytest.mark.slow
def test_a_shape_without_unit_tables_gets_one_line_saying_why_it_has_no_impact_study(shapes):
    """Not asked for by name: not a failure, but the summary says why, once per study."""
    _, summary = shapes
    without = sorted(
        s for s, keep in SHAPES.items() if keep is not None and not {"ikm", "unit_kpi"} & set(keep)
    )
    assert sorted(r.study for r in summary.not_made) == without
    assert {r.name for r in summary.not_made} == {"impact"}
    lines = [line for line in str(summary).splitlines() if line.startswith("  not made: ")]
    assert len(lines) == len(without)
    for shape, line in zip(without, sorted(lines), strict=True):
        assert line.startswith(
            f"  not made: {shape}/impact: no impact report: data/processed/{shape} has no ikm "
            "table, the public-satisfaction survey"
        ), line
        assert line.endswith("; nor is there a unit_kpi table (the unit KPIs: one row per unit "
                             "and period with service time and complaints)"), line  # fmt: skip


@pytest.mark.slow
def test_a_study_with_unit_kpis_and_no_ikm_gets_an_impact_study_on_service_time(shapes):
    """The primary outcome is service time; the IKM sections say in one line why not."""
    root, _ = shapes
    html = (root / "reports" / "unit_kpis_only" / "impact.html").read_text(encoding="utf-8")
    assert "Studi ini tidak memiliki data survei kepuasan masyarakat (SKM/IKM)" in html
    ledger = pd.read_csv(root / "reports" / "unit_kpis_only" / "results.csv")
    primary = ledger[ledger["primary"].astype(str).str.lower() == "true"]
    assert set(primary["outcome"]) == {"service_days"}, primary[["outcome", "estimand"]]
    assert not (ledger["outcome"] == "ikm").any()


@pytest.mark.slow
@pytest.mark.parametrize("shape", ["kpis_only", "costs_only"])
def test_a_study_without_person_data_says_so_and_prints_no_infinity(shapes, shape):
    """Cleaning writes no participants table without person data: no profile, no inf."""
    root, _ = shapes
    cohort = (root / "reports" / shape / "cohort-C01.html").read_text(encoding="utf-8")
    assert "Belum ada data peserta untuk angkatan ini" in cohort
    for page in ("cohort-C01.html", "overview.html"):
        text = (root / "reports" / shape / page).read_text(encoding="utf-8")
        assert not re.search(r"\binf\b|Rpinf", text), page


def test_costs_per_head_of_a_cohort_without_participants_are_nan_not_infinite():
    from evalkit.metrics.economics import cost_summary

    costs = pd.DataFrame({"cohort_id": ["A", "B"], "amount_idr": [30e6, 10e6]})
    cohorts = pd.DataFrame({"cohort_id": ["A", "B"], "jp": [40, 0]})
    people = pd.DataFrame({"cohort_id": ["A"] * 4, "participant_id": ["p1", "p2", "p3", "p4"]})
    out = cost_summary(costs, people, cohorts)
    # A: 30e6 / 4 people = 7.5e6; / (4 x 40 JP) = 187,500; B: nobody enrolled, 0 JP
    assert out.loc["A", "cost_per_participant"] == 7.5e6
    assert out.loc["A", "cost_per_participant_jp"] == 187_500.0
    assert (
        out.loc["B", ["cost_per_participant", "cost_per_jp", "cost_per_participant_jp"]]
        .isna()
        .all()
    )
