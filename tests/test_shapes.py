"""Every report works for every shape of study.

A study seldom has every instrument: reaction forms come first, follow-ups months later,
costs from another office. Two matrices of shapes:

- **processed fixture, in Indonesian**: each shape keeps some tables of the small
  processed fixture (``tests/processed_fixture.py``) and drops the others; every report
  of every shape runs, in one :func:`evalkit.run.execute.run_reports` call.
- **cleaned cuts of the demo, in English and Indonesian**: the demo study's raw exports
  are written once per session, and each shape drops instruments from its
  ``codebook.yaml`` and is cleaned with :func:`evalkit.data.clean.clean_study`, as a
  user's study would be (a single cohort and a single program are cut from the cleaned
  demo). Per shape and language: one cohort report, the program overview, and the
  impact study where the study has IKM data (elsewhere the run must say why it has
  none); one shape's pages are opened in headless Chromium.

Each section whose tables are missing must say so in one sentence (the
``ekr.section_note`` pattern) instead of failing; the tests ask only that, so a new
section written the same way passes them.
"""

from __future__ import annotations

import hashlib
import html as htmllib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from processed_fixture import write_processed_study

from evalkit.run.execute import run_reports
from evalkit.run.plan import report_stem

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


# --- the demo, cut into shapes and cleaned -------------------------------------------------
#: Tables every cut keeps: the programs, the cohort list and the rosters.
DEMO_BASE = frozenset({"programs", "cohorts", "participants"})
#: The demo's other tables (``reaction_items`` and ``comments`` come with ``reaction``).
DEMO_ALL = frozenset({"reaction", "learning", "test_items", "followup", "projects", "ikm",
                      "unit_kpi", "costs", "benefits"})  # fmt: skip
#: shape -> the demo tables its codebook keeps besides DEMO_BASE
DEMO_SHAPES: dict[str, frozenset[str]] = {
    "reaction_only": frozenset({"reaction"}),
    "tests_only": frozenset({"learning", "test_items"}),
    "no_tests": DEMO_ALL - {"learning", "test_items"},
    "no_reaction": DEMO_ALL - {"reaction"},
    "followup_only": frozenset({"followup", "projects"}),
    "kpis_only": frozenset({"ikm", "unit_kpi"}),
    "unit_kpis_only": frozenset({"unit_kpi"}),
    "economics_only": frozenset({"costs", "benefits"}),
    "reaction_and_tests": frozenset({"reaction", "learning", "test_items"}),
    "no_followup_no_kpis": DEMO_ALL - {"followup", "projects", "ikm", "unit_kpi"},
    "one_cohort": DEMO_ALL,  # the whole demo, cut to one cohort after cleaning
    "one_program": DEMO_ALL,  # the whole demo, cut to one program's cohorts
}
#: The cohort whose report every shape runs (it has every instrument of the demo).
DEMO_COHORT = "PPR-2024-02"
DEMO_PROGRAM = "PPR"
#: The shapes whose study has an impact study (IKM data or unit KPIs).
IMPACT_SHAPES = sorted(s for s, keep in DEMO_SHAPES.items() if {"ikm", "unit_kpi"} & keep)
#: Text no report page may show.
ERROR_TEXT = ("Traceback", "KeyError", "EvalkitWarning", "Rpinf")
SALT = b"shape-matrix-salt"


def _cut_codebook(raw: Path, shape: str, keep: frozenset[str]) -> None:
    """Drop every table entry of the codebook whose table the shape lacks."""
    import yaml

    path = raw / "codebook.yaml"
    codebook = yaml.safe_load(path.read_text(encoding="utf-8"))
    tables = codebook["tables"]
    assert {spec.get("table", key) for key, spec in tables.items()} == DEMO_BASE | DEMO_ALL
    codebook["study"] = shape
    codebook["tables"] = {
        key: spec for key, spec in tables.items() if spec.get("table", key) in DEMO_BASE | keep
    }
    path.write_text(yaml.safe_dump(codebook, allow_unicode=True, sort_keys=False), "utf-8")


def _cut_cohorts(source: Path, folder: Path, cohorts: set[str]) -> None:
    """``folder``: the cleaned ``source`` with only ``cohorts`` (unit tables kept whole)."""
    shutil.copytree(source, folder)
    ids = pd.read_parquet(source / "cohorts.parquet")
    programs = set(ids.loc[ids["cohort_id"].isin(cohorts), "program_id"])
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    for table, info in manifest["outputs"].items():
        path = folder / info["file"]
        frame = pd.read_parquet(path)
        if "cohort_id" in frame:
            frame = frame[frame["cohort_id"].isin(cohorts)]
        elif table == "programs":
            frame = frame[frame["program_id"].isin(programs)]
        else:
            continue
        for column in frame.select_dtypes("category"):
            frame[column] = frame[column].cat.remove_unused_categories()
        frame.to_parquet(path, index=False)
        info.update(rows=len(frame), sha256=hashlib.sha256(path.read_bytes()).hexdigest())
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")


@pytest.fixture(scope="session")
def demo_cuts(tmp_path_factory):
    """A project holding every demo shape, cleaned (built once per session)."""
    from evalkit.data.clean import clean_study
    from evalkit.data.demo import write_demo

    root = tmp_path_factory.mktemp("demo_cuts")
    demo = write_demo(root / "source" / "demo", progress=False)
    processed = root / "data" / "processed"
    for shape, keep in DEMO_SHAPES.items():
        if shape in ("one_cohort", "one_program"):
            continue
        raw = root / "data" / "raw" / shape
        shutil.copytree(demo, raw)
        _cut_codebook(raw, shape, keep)
        clean_study(raw, processed / shape, progress=False, salt=SALT)
    ids = pd.read_parquet(processed / "no_tests" / "cohorts.parquet")
    program = set(ids.loc[ids["program_id"] == DEMO_PROGRAM, "cohort_id"])
    # the whole demo: every table (no_tests lacks two), then cut to a cohort / a program
    raw = root / "data" / "raw" / "demo"
    shutil.copytree(demo, raw)
    clean_study(raw, processed / "demo", progress=False, salt=SALT)
    _cut_cohorts(processed / "demo", processed / "one_cohort", {DEMO_COHORT})
    _cut_cohorts(processed / "demo", processed / "one_program", program)
    return root


@pytest.fixture(scope="module", params=["en", "id"])
def demo_run(request, demo_cuts, tmp_path_factory):
    """One run per language: the cohort report, overview and impact study of every cut."""
    lang = request.param
    root = tmp_path_factory.mktemp(f"demo_reports_{lang}")
    (root / "pyproject.toml").write_text("[project]\nname = 'scratch'\n")
    (root / "notebooks").symlink_to(REPO / "notebooks", target_is_directory=True)
    (root / "data").symlink_to(demo_cuts / "data", target_is_directory=True)
    old = os.environ.get("EVALKIT_ROOT")
    os.environ["EVALKIT_ROOT"] = str(root)
    try:
        summary = run_reports(studies=list(DEMO_SHAPES), cohorts=[DEMO_COHORT],
                              kinds=["cohort", "overview", "impact"], jobs=2, progress=False,
                              lang=lang, root=root)  # fmt: skip
        yield root, summary, lang
    finally:
        if old is None:
            os.environ.pop("EVALKIT_ROOT", None)
        else:
            os.environ["EVALKIT_ROOT"] = old


def _page_text(path: Path) -> str:
    """The visible text of a report page, tags and scripts removed, whitespace collapsed."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S | re.I)
    text = htmllib.unescape(re.sub(r"<[^>]+>", " ", text))
    return re.sub(r"\s+", " ", text)


@pytest.mark.slow
@pytest.mark.parametrize("shape", sorted(DEMO_SHAPES))
def test_every_demo_cut_cleans_to_the_tables_of_its_shape(demo_cuts, shape):
    manifest = json.loads(
        (demo_cuts / "data" / "processed" / shape / "manifest.json").read_text(encoding="utf-8")
    )
    tables = set(manifest["outputs"])
    keep = DEMO_BASE | DEMO_SHAPES[shape]
    assert keep <= tables, sorted(keep - tables)
    derived = {"reaction_items", "comments"} if "reaction" in keep else set()
    assert tables <= keep | derived, sorted(tables - keep - derived)
    if shape == "one_cohort":
        cohorts = pd.read_parquet(demo_cuts / "data" / "processed" / shape / "cohorts.parquet")
        assert cohorts["cohort_id"].tolist() == [DEMO_COHORT]


def _page(report: str, lang: str) -> str:
    """The HTML file of ``report`` in ``lang``: ``overview.html``, ``overview.en.html``."""
    return f"{report_stem(report, lang)}.html"


@pytest.mark.slow
@pytest.mark.parametrize("shape", sorted(DEMO_SHAPES))
def test_every_report_of_every_demo_cut_runs(demo_run, shape):
    root, summary, lang = demo_run
    failed = {r.name: r.error for r in summary.failed if r.study == shape}
    if shape not in IMPACT_SHAPES:  # asked for by name: the run says why there is none
        why = failed.pop("impact", "")  # said once, whatever the language
        assert why.startswith(f"no impact report: data/processed/{shape} has no ikm table, "), why
        assert f"data/raw/{shape}/codebook.yaml maps no table 'ikm'" in why
    assert not failed, failed
    folder = root / "reports" / shape
    assert (folder / _page(f"cohort-{DEMO_COHORT}", lang)).is_file(), lang
    assert (folder / _page("overview", lang)).is_file(), lang
    assert (folder / _page("impact", lang)).is_file() == (shape in IMPACT_SHAPES), lang
    for page in sorted(folder.glob("*.html")):
        text = _page_text(page)
        shown = [word for word in ERROR_TEXT if word in text]
        assert not shown, (lang, page.name, shown)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("shape", "note"),
    [
        ("reaction_only", "learning_study"),
        ("tests_only", "reaction_study"),
        ("no_reaction", "reaction_study"),
        ("no_tests", "learning_study"),
        ("kpis_only", "cohorts_study"),
        ("followup_only", "costs_study"),
        ("reaction_and_tests", "followup_study"),
    ],
)
def test_a_demo_cut_names_what_its_overview_lacks(demo_run, shape, note):
    from evalkit.reporting.sections import section_note

    root, _, lang = demo_run
    says = re.sub(r"\s+", " ", str(section_note(note, lang)).strip("*"))
    assert says in _page_text(root / "reports" / shape / _page("overview", lang)), (lang, says)


@pytest.mark.slow
def test_the_whole_demo_cut_to_one_cohort_has_that_cohort_only(demo_run):
    root, _, lang = demo_run
    text = _page_text(root / "reports" / "one_cohort" / _page("overview", lang))
    assert DEMO_COHORT in text
    assert not re.search(r"\b(KMP|KST|MWT|PKP|SPBE)-20\d\d-0\d\b", text)


# --- every shape in a real browser ----------------------------------------------------------
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

#: A page that opens every report page of a run in an iframe and, once all have loaded,
#: writes what each shows (title, words, error text found) as JSON into ``<pre id=out>``:
#: one browser start for all pages of a language.
HARNESS = """<!doctype html><html><head><meta charset="utf-8"><title>harness</title></head>
<body><pre id="out"></pre><script>
const pages = %s, errors = %s, seen = {};
function done() {
  document.getElementById("out").textContent = JSON.stringify(seen);
}
pages.forEach(function (url) {
  const frame = document.createElement("iframe");
  frame.style.width = "1200px"; frame.style.height = "900px";
  frame.onload = function () {
    const doc = frame.contentDocument, body = doc && doc.body;
    const text = body ? body.innerText : "";
    seen[url] = {title: doc ? doc.title : "", words: text.split(/\\s+/).length,
                 shown: errors.filter(function (e) { return text.indexOf(e) >= 0; }),
                 broken: Array.from(doc ? doc.images : []).filter(function (i) {
                   return !(i.complete && i.naturalWidth > 0); }).length};
    if (Object.keys(seen).length === pages.length) { done(); }
  };
  frame.src = url;
  document.body.appendChild(frame);
});
</script></body></html>
"""


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")
def test_every_demo_cut_renders_in_headless_chromium(demo_run, tmp_path):
    """Every page of every shape renders, titled, with its figures, and no error text.

    One browser start per language: the pages load in iframes of one harness page, the
    browser's console is empty, and each page has a title, more than 50 words, no
    broken image and none of the error words.
    """
    root, _, lang = demo_run
    pages = sorted(
        p
        for p in (root / "reports").glob("*/*.html")
        if p.name.endswith(".en.html") == (lang == "en")
    )
    shapes = {p.parent.name for p in pages}
    assert shapes == set(DEMO_SHAPES), sorted(set(DEMO_SHAPES) - shapes)
    assert len(pages) == 2 * len(DEMO_SHAPES) + len(IMPACT_SHAPES), [p.name for p in pages]
    urls = [p.as_uri() for p in pages]
    harness = tmp_path / "harness.html"
    harness.write_text(HARNESS % (json.dumps(urls), json.dumps(ERROR_TEXT)), encoding="utf-8")
    proc = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr",
         "--v=0", "--allow-file-access-from-files", f"--user-data-dir={tmp_path / 'profile'}",
         "--virtual-time-budget=120000", "--dump-dom", harness.as_uri()],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    console = [line for line in proc.stderr.splitlines() if ":CONSOLE" in line]
    assert not console, (lang, console)
    out = re.search(r'<pre id="out">(.*?)</pre>', proc.stdout, flags=re.S)
    assert out and out.group(1).strip(), (lang, proc.stdout[:500])
    seen = json.loads(htmllib.unescape(out.group(1)))
    assert sorted(seen) == sorted(urls), sorted(set(urls) - set(seen))
    for url, page in seen.items():
        name = url.split("/reports/")[-1]
        assert page["title"].strip() and page["title"] != "harness", (lang, name, page)
        assert page["words"] > 50, (lang, name, page)  # a page, not an empty shell
        assert not page["shown"], (lang, name, page)
        assert page["broken"] == 0, (lang, name, page)
