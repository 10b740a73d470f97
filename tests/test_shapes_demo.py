"""Every report works for every shape of study: the demo, cut into shapes and cleaned.

The demo study's raw exports are written once per session, and each shape drops
instruments from its ``codebook.yaml`` and is cleaned with
:func:`evalkit.data.clean.clean_study`, as a user's study would be (a single cohort and a
single program are cut from the cleaned demo). Per shape, in English: one cohort report,
the program overview, and the impact study where the study has unit data (IKM or unit
KPIs; elsewhere the run must say why it has none); in Indonesian, the overview (see
:data:`KINDS_BY_LANG`). Every page of every shape is opened in headless Chromium.

The matrix over the small processed fixture is in ``tests/test_shapes.py``.
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

import pandas as pd
import pytest

from evalkit.run.execute import run_reports
from evalkit.run.plan import report_stem

REPO = Path(__file__).resolve().parent.parent

# --- the demo, cut into shapes and cleaned -------------------------------------------------
#: Tables every cut keeps: the programs, the cohort list and the rosters.
DEMO_BASE = frozenset({"programs", "cohorts", "participants"})
#: The demo's other tables (``reaction_items`` and ``comments`` come with ``reaction``,
#: ``followup_items`` with ``followup``).
DEMO_ALL = frozenset({"reaction", "learning", "test_items", "followup", "projects", "ikm",
                      "unit_kpi", "costs", "benefits", "facilitator_ratings",
                      "retrospective"})  # fmt: skip
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
    "no_followup_no_kpis": DEMO_ALL - {"followup", "projects", "retrospective", "ikm", "unit_kpi"},
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


#: The kinds each language runs for every cut. English runs every kind; Indonesian the
#: overview, whose section notes differ by shape (the Indonesian cohort report and impact
#: study of every shape run in tests/test_shapes.py, and of the whole demo in the suite's
#: demo fixture).
KINDS_BY_LANG = {"en": ("cohort", "overview", "impact"), "id": ("overview",)}


@pytest.fixture(scope="module")
def demo_reports(demo_cuts, tmp_path_factory):
    """The reports of every cut: one run per language, with the kinds of KINDS_BY_LANG.

    In one run a report's slow results (omega's bootstrap) are computed once and read
    back by the cuts that hold the same answers (:mod:`evalkit.reporting.memo`).
    """
    root = tmp_path_factory.mktemp("demo_reports")
    (root / "pyproject.toml").write_text("[project]\nname = 'scratch'\n")
    (root / "notebooks").symlink_to(REPO / "notebooks", target_is_directory=True)
    (root / "data").symlink_to(demo_cuts / "data", target_is_directory=True)
    old = os.environ.get("EVALKIT_ROOT")
    os.environ["EVALKIT_ROOT"] = str(root)
    try:
        summaries = {
            lang: run_reports(
                studies=list(DEMO_SHAPES),
                cohorts=[DEMO_COHORT] if "cohort" in kinds else None,
                kinds=list(kinds),
                jobs=2,
                progress=False,
                lang=lang,
                root=root,
            )
            for lang, kinds in KINDS_BY_LANG.items()
        }
        yield root, summaries
    finally:
        if old is None:
            os.environ.pop("EVALKIT_ROOT", None)
        else:
            os.environ["EVALKIT_ROOT"] = old


@pytest.fixture(params=["en", "id"])
def demo_run(request, demo_reports):
    """The run of one language of :func:`demo_reports`: root, summary, language."""
    root, summaries = demo_reports
    return root, summaries[request.param], request.param


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
    derived |= {"followup_items"} if "followup" in keep else set()  # the items as asked
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
    kinds = KINDS_BY_LANG[lang]
    failed = {r.name: r.error for r in summary.failed if r.study == shape}
    if "impact" in kinds and shape not in IMPACT_SHAPES:  # asked for by name: says why not
        why = failed.pop("impact", "")
        assert why.startswith(f"no impact report: data/processed/{shape} has no ikm table, "), why
        assert f"data/raw/{shape}/codebook.yaml maps no table 'ikm'" in why
    assert not failed, failed
    folder = root / "reports" / shape
    pages = {"cohort": f"cohort-{DEMO_COHORT}", "overview": "overview", "impact": "impact"}
    for kind, report in pages.items():
        made = kind in kinds and (kind != "impact" or shape in IMPACT_SHAPES)
        assert (folder / _page(report, lang)).is_file() == made, (lang, kind)
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
    kinds = KINDS_BY_LANG[lang]
    expected = len(DEMO_SHAPES) * len({"cohort", "overview"} & set(kinds))
    expected += len(IMPACT_SHAPES) * ("impact" in kinds)
    assert len(pages) == expected, [p.name for p in pages]
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
