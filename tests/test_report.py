"""The report runner: papermill end to end, HTML, index, incremental runs, failures.

The end-to-end tests run the real ``notebooks/cohort_report.ipynb`` through papermill
on the small synthetic study of :mod:`processed_fixture`, in a temporary project root
(``EVALKIT_ROOT``), and compare what the notebook records with direct evalkit calls.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from processed_fixture import write_processed_study

import evalkit as ek
from evalkit.errors import ParameterError
from evalkit.io.atomic import sha256
from evalkit.reporting.record import (
    RECORD_MIMETYPE,
    TABLE_MIMETYPE,
    _jsonable,
    figure_svg,
    recorded,
    table_payload,
)
from evalkit.run import export as ekhtml
from evalkit.run import plan as run_plan
from evalkit.run.appendix import write_appendix
from evalkit.run.execute import run_reports
from evalkit.run.hooks import kernel_warm_up
from evalkit.run.index import list_reports, write_index
from evalkit.run.outputs import write_outputs
from evalkit.run.plan import KINDS, Job, ReportPlan, code_hash, plan_jobs

REPO = Path(__file__).resolve().parent.parent
NOTEBOOK = REPO / "notebooks" / "cohort_report.ipynb"


def _project(root: Path) -> Path:
    """A project root using the repository's notebooks."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'scratch'\n")
    (root / "notebooks").symlink_to(REPO / "notebooks", target_is_directory=True)
    return root


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """One parallel run: a good study (3 cohorts, overview, impact), a broken cohort."""
    root = _project(tmp_path_factory.mktemp("project"))
    write_processed_study(root, "demo")
    write_processed_study(root, "broken", cohorts=("C01", "C03"), broken="C03", impact=False)
    old = os.environ.get("EVALKIT_ROOT")
    os.environ["EVALKIT_ROOT"] = str(root)
    try:
        start = time.perf_counter()
        summary = run_reports(studies=["demo", "broken"], jobs=2, progress=False)
        summary.wall = time.perf_counter() - start
        yield root, summary
    finally:
        if old is None:
            os.environ.pop("EVALKIT_ROOT", None)
        else:
            os.environ["EVALKIT_ROOT"] = old


def _html(root: Path, study: str, cohort: str) -> str:
    return (root / "reports" / study / f"cohort-{cohort}.html").read_text(encoding="utf-8")


def _executed(root: Path, study: str, cohort: str):
    path = root / "reports" / study / "_executed" / f"cohort-{cohort}.ipynb"
    return nbformat.read(path, as_version=4)


# --- end to end ---------------------------------------------------------------------


@pytest.mark.slow
def test_every_good_cohort_ran_and_the_broken_one_is_isolated(run):
    root, summary = run
    status = {(r.study, r.name): r.status for r in summary.results}
    assert status == {
        ("demo", "cohort-C01"): "ran",
        ("demo", "cohort-C02"): "ran",
        ("demo", "cohort-C03"): "ran",
        ("demo", "overview"): "ran",
        ("demo", "impact"): "ran",
        ("broken", "cohort-C01"): "ran",
        ("broken", "cohort-C03"): "failed",
        ("broken", "overview"): "failed",  # it reads the same broken table
        ("broken", "impact"): "not made",  # no IKM data: said in the summary, not a failure
    }
    assert not summary.ok
    text = str(summary)
    assert "FAILED broken/cohort-C03" in text and "max_score" in text
    failed = root / "reports" / "broken" / "_executed" / "cohort-C03.ipynb"
    assert str(failed) in text and failed.is_file()
    assert not (root / "reports" / "broken" / "cohort-C03.html").exists()
    # the executed notebook shows where it failed, for debugging
    nb = nbformat.read(failed, as_version=4)
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors and errors[0].ename == "ParameterError"


@pytest.mark.slow
def test_recorded_numbers_equal_direct_evalkit_calls(run):
    root, _ = run
    tables = {p.stem: pd.read_parquet(p) for p in (root / "data/processed/demo").glob("*.parquet")}
    learning = tables["learning"].query("cohort_id == 'C01'")
    reaction = tables["reaction"].query("cohort_id == 'C01'")
    change = ek.paired_change(learning["pre"], learning["post"], max_score=learning["max_score"])
    items = reaction.pivot_table(index="participant_id", columns="item", values="score")
    alpha = ek.cronbach_alpha(items)
    overall = ek.scale_scores(reaction.assign(dimension="all"), by=None).iloc[0]
    got = recorded(_executed(root, "demo", "C01"))
    assert got["n"] == 24 and got["cohort_id"] == "C01"
    for key in ("mean_diff", "ci_low", "ci_high", "t", "p", "d_z", "hedges_g", "hake_g"):
        assert got[key] == pytest.approx(float(change[key]), rel=1e-12), key
    assert got["alpha"] == pytest.approx(float(alpha["alpha"]), rel=1e-12)
    assert got["reaction_index"] == pytest.approx(float(overall["pomp"]), rel=1e-12)
    assert got["mde"] == pytest.approx(ek.minimum_detectable_effect(int(change["n"])), rel=1e-12)


@pytest.mark.slow
def test_report_content_conclusions_warnings_and_missing_sections(run):
    root, _ = run
    c01, c02, c03 = (_html(root, "demo", c) for c in ("C01", "C02", "C03"))
    assert "Nilai post-test naik" in c01 and "IK 95%" in c01
    assert "Konsistensi internal skala reaksi memadai" in c01
    assert "**Perhatian:**" not in c02 and "Perhatian:" in c02  # alpha < .70 in C02
    assert "Belum ada penilaian tindak lanjut untuk angkatan ini." in c03
    # Only the report's language is shown
    assert "## Level 1: Reaction" not in c01 and "Level 1: Reaction" not in c01
    assert "Level 1: Reaksi peserta" in c01


@pytest.mark.slow
def test_html_is_self_contained_without_code_ids_or_small_cells(run):
    root, _ = run
    page = _html(root, "demo", "C01")
    assert "<script src=" not in page and '<link rel="stylesheet" href="http' not in page
    images = re.findall(r'<img[^>]+src="data:image/png;base64,([^"]+)"', page)
    assert len(images) >= 5
    assert all(base64.b64decode(b)[:4] == b"\x89PNG" for b in images)
    assert "ek.paired_change" not in page and "load_study(" not in page  # no code cells
    assert "hl-ipython3" not in page  # no highlighted source
    assert not re.search(r"\bP[0-9a-f]{10}\b", page)  # no participant ids
    assert "EvalkitWarning" not in page  # warnings stay in the executed notebook
    # the cohort profile: IV/a has 3 people in C01
    assert "&lt; 5" in page
    # table of contents and provenance
    assert '<nav class="ek-toc"' in page and 'href="#provenance"' in page
    manifest = json.loads((root / "data/processed/demo/manifest.json").read_text())
    for entry in manifest["inputs"]:
        assert entry["file"] in page and entry["sha256"] in page
    assert sha256(root / "data/processed/demo/learning.parquet") in page
    assert '<td>cohort_id</td><td><code>"C01"</code>' in page
    assert "<td>evalkit</td>" in page and "<td>pandas</td>" in page


@pytest.mark.slow
def test_index_lists_every_report_with_headline_numbers(run):
    root, _ = run
    index = (root / "reports" / "index.html").read_text(encoding="utf-8")
    for cohort in ("C01", "C02", "C03"):
        assert f'href="demo/cohort-{cohort}.html"' in index
    assert 'href="broken/cohort-C01.html"' in index
    assert 'href="broken/cohort-C03.html"' not in index and "gagal" in index
    got = recorded(_executed(root, "demo", "C01"))
    assert f"{got['mean_diff']:.1f}".replace(".", ",") in index


@pytest.mark.slow
def test_overview_and_impact_recover_the_planted_effects(run):
    root, _ = run
    impact = recorded(nbformat.read(root / "reports/demo/_executed/impact.ipynb", as_version=4))
    assert impact["did_ikm_ci_low"] < 6.0 < impact["did_ikm_ci_high"]  # planted: +6 IKM points
    assert impact["did_days"] < 0 and impact["complaints_rate_ratio"] < 1
    overview = recorded(nbformat.read(root / "reports/demo/_executed/overview.ipynb", as_version=4))
    assert overview["n_cohorts"] == 3 and overview["n"] == 54
    page = (root / "reports/demo/impact.html").read_text(encoding="utf-8")
    assert "selisih-dari-selisih" in page and "<img" in page
    index = (root / "reports/index.html").read_text(encoding="utf-8")
    assert 'href="demo/overview.html"' in index and 'href="demo/impact.html"' in index


@pytest.mark.slow
def test_warm_kernel_gives_what_a_fresh_papermill_kernel_gives(run, tmp_path):
    """Reusing kernels must not change a report: compare with plain papermill."""
    import papermill as pm

    root, _ = run
    out = tmp_path / "fresh.ipynb"
    nb = pm.execute_notebook(
        str(NOTEBOOK),
        str(out),
        parameters={"cohort_id": "C02", "processed_dir": "data/processed/demo"},
        cwd=str(root),
        progress_bar=False,
        kernel_name="python3",
    )
    warm = _executed(root, "demo", "C02")
    assert recorded(nb) == recorded(warm)
    # the same tables and figures, byte for byte (the provenance differs: time of run)
    fresh_html = ekhtml.render_html(nb)
    warm_html = ekhtml.render_html(warm)

    def body(page: str) -> str:
        page = re.sub(r'id="cell-id=[^"]+"', "", page)
        return page[page.index("<main>") : page.index('<section class="ek-provenance"')]

    assert body(fresh_html) == body(warm_html)
    assert [c.execution_count for c in warm.cells if c.cell_type == "code"][:3] == [1, 2, 3]


@pytest.mark.slow
def test_no_op_rerun_is_fast_and_skips_everything(run, monkeypatch):
    root, _ = run
    monkeypatch.setenv("EVALKIT_ROOT", str(root))
    # Pin the code part of the fingerprint to what the first run hashed, so that edits
    # to notebooks or evalkit made meanwhile (other work in the same tree) do not count;
    # inputs, parameters, options and the presence of every output still do.
    states = list(list_reports(root / "reports"))
    code = {s["kind"]: s["fingerprint_parts"]["code"] for s in states if s["study"] == "demo"}
    assert len(code) == 3 and len({s["fingerprint_parts"]["code"] for s in states}) == 3
    notebook_kind = {nb: kind for kind, (nb, _) in KINDS.items()}
    monkeypatch.setattr(run_plan, "code_hash", lambda nb: code[notebook_kind[Path(nb).name]])
    start = time.perf_counter()
    again = run_reports(studies=["demo"], progress=False)
    took = time.perf_counter() - start
    assert [r.status for r in again.results] == ["up to date"] * 5
    assert again.ok and took < 5
    assert "0 ran, 5 up to date, 0 failed" in str(again)
    assert again.results[0].headline["cohort_id"] == "C01"


@pytest.mark.slow
def test_figures_and_tables_are_saved_beside_each_report(run):
    """PNG + SVG of every figure, CSV of every table, one XLSX appendix per study."""
    import xml.etree.ElementTree as ET

    import openpyxl

    root, _ = run
    folder = root / "reports" / "demo"
    page = _html(root, "demo", "C01")
    embedded = [
        base64.b64decode(b) for b in re.findall(r'src="data:image/png;base64,([^"]+)"', page)
    ]
    pngs = sorted(
        (folder / "figures").glob("cohort-C01-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1])
    )
    assert len(pngs) == len(embedded) >= 5
    assert [p.read_bytes() for p in pngs] == embedded  # the very figures the report shows
    for png in pngs:
        svg = ET.parse(png.with_suffix(".svg")).getroot()
        assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    assert "<svg" not in page  # the report embeds the PNG only
    # tables: as displayed (suppressed cells included), formula-safe, with their section
    tables = sorted((folder / "tables").glob("cohort-C01-*.csv"))
    assert len(tables) >= 5
    # table 1 is the instruments table of the methods chapter; the profile is table 2
    profile = pd.read_csv(folder / "tables" / "cohort-C01-2.csv", dtype=str, encoding="utf-8-sig")
    assert list(profile.columns[:2]) == ["label", "label_2"] and "< 5" in set(profile["n"])
    state = json.loads((folder / "_executed" / "cohort-C01.json").read_text())
    outputs = set(state["outputs"])
    assert {f"figures/{p.name}" for p in pngs} <= outputs and "cohort-C01.html" in outputs
    assert {f"tables/{p.name}" for p in tables} <= outputs
    book = openpyxl.load_workbook(folder / "tables.xlsx", read_only=True)
    assert book.sheetnames[:4] == ["README", "contents", "headline", "results"]
    assert "C01 T1" in book.sheetnames and "impact T1" in book.sheetnames
    contents = {r[0]: r[1:] for r in book["contents"].iter_rows(min_row=2, values_only=True)}
    assert contents["C01 T2"] == ("cohort-C01", "Profil peserta", "Tabel 2", "as shown",
                                  "tables/cohort-C01-2.csv")  # fmt: skip
    assert set(contents) == set(book.sheetnames[4:])  # every table sheet is listed
    headline = {r[:2]: r[2] for r in book["headline"].iter_rows(min_row=2, values_only=True)}
    got = recorded(_executed(root, "demo", "C01"))
    # a spreadsheet keeps 15 significant digits
    assert headline["cohort-C01", "mean_diff"] == pytest.approx(got["mean_diff"], rel=1e-14)
    assert headline["cohort-C01", "cohort_id"] == "C01"
    # a failed report leaves no figures or tables behind
    assert not list((root / "reports/broken/figures").glob("cohort-C03-*"))
    assert not list((root / "reports/broken/tables").glob("cohort-C03-*"))


@pytest.mark.slow
def test_warm_kernel_is_reset_between_notebooks(tmp_path, monkeypatch):
    """State a notebook leaves behind does not reach the next one."""
    root = tmp_path
    (root / "pyproject.toml").write_text("[project]\nname = 'scratch'\n")
    (root / "notebooks").mkdir()
    write_processed_study(root, "demo", cohorts=("C01",))
    polluter = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell('cohort_id: str = ""', metadata={"tags": ["parameters"]}),
            nbformat.v4.new_code_cell(  # what a notebook finds when it starts
                "import os, warnings, matplotlib, pandas as pd, numpy as np\n"
                "from evalkit.reporting.record import record\n"
                "record(seen='leak' in dir(), font=matplotlib.rcParams['font.size'],\n"
                "       rows=pd.get_option('display.max_rows'), n_filters=len(warnings.filters),\n"
                "       draw=float(np.random.random()), cwd=os.getcwd())"
            ),
            nbformat.v4.new_code_cell(  # what it leaves behind
                "leak = 42\n"
                "matplotlib.rcParams['font.size'] = 31\n"
                "pd.set_option('display.max_rows', 3)\n"
                "warnings.simplefilter('ignore')\n"
                "np.random.seed(1)\n"
                "os.chdir('/')"
            ),
        ]
    )
    polluter.metadata["kernelspec"] = {"name": "python3", "language": "python",
                                       "display_name": "Python 3"}  # fmt: skip
    nbformat.write(polluter, root / "notebooks" / "cohort_report.ipynb")
    monkeypatch.setenv("EVALKIT_ROOT", str(root))
    # one worker runs the same notebook twice: the second must see a clean kernel
    write_processed_study(root, "twice", cohorts=("C01", "C02"))
    summary = run_reports(studies=["twice"], kinds=["cohort"], jobs=1, progress=False)
    assert summary.ok, str(summary)
    first, second = (recorded(_executed(root, "twice", c)) for c in ("C01", "C02"))
    assert first["seen"] is False and second["seen"] is False
    assert second["font"] == first["font"] != 31
    assert second["rows"] == first["rows"] != 3
    assert second["n_filters"] == first["n_filters"]
    assert second["draw"] == first["draw"]
    assert second["cwd"] == first["cwd"] == str(root)  # each starts in the project root


# --- planning, fingerprints, index: no kernel needed -----------------------------------


@pytest.fixture
def project(tmp_path, monkeypatch):
    root = _project(tmp_path / "p")
    write_processed_study(root, "demo")
    monkeypatch.setenv("EVALKIT_ROOT", str(root))
    return root


def _plans(root: Path, **kw):
    kw.setdefault("lang", "id")
    kw.setdefault("keep_code", False)
    plans, failures = plan_jobs(
        ["demo"], kw.pop("cohorts", None), kw.pop("kinds", ["cohort"]), root=root,
        reports=root / "reports", **kw,
    )  # fmt: skip
    return {p.job.name: p for p in plans}, failures


def test_one_cohort_report_per_cohort(project):
    plans, failures = _plans(project)
    assert sorted(plans) == ["cohort-C01", "cohort-C02", "cohort-C03"] and not failures
    every, _ = _plans(project, kinds=None)
    assert sorted(every) == ["cohort-C01", "cohort-C02", "cohort-C03", "impact", "overview"]
    only, _ = _plans(project, kinds=None, cohorts=["C02"])
    assert sorted(only) == ["cohort-C02"]
    plan = plans["cohort-C02"]
    assert plan.parameters == {"study": "demo", "lang": "id", "cohort_id": "C02",
                               "processed_dir": "data/processed/demo"}  # fmt: skip
    assert plan.html == project / "reports" / "demo" / "cohort-C02.html"


def test_fingerprint_follows_inputs_parameters_and_options(project):
    before, _ = _plans(project)
    again, _ = _plans(project)
    assert before["cohort-C01"].fingerprint == again["cohort-C01"].fingerprint
    assert (
        _plans(project, lang="en")[0]["cohort-C01"].fingerprint != before["cohort-C01"].fingerprint
    )
    keep = _plans(project, keep_code=True)[0]["cohort-C01"].fingerprint
    assert keep != before["cohort-C01"].fingerprint
    costs = project / "data/processed/demo/costs.parquet"
    frame = pd.read_parquet(costs)
    frame.loc[0, "amount_idr"] += 1
    frame.to_parquet(costs, index=False)
    assert _plans(project)[0]["cohort-C01"].fingerprint != before["cohort-C01"].fingerprint


def test_manifest_time_alone_does_not_rerun(project):
    before, _ = _plans(project)
    path = project / "data/processed/demo/manifest.json"
    manifest = json.loads(path.read_text())
    manifest["created_utc"] = "2030-01-01T00:00:00+00:00"
    path.write_text(json.dumps(manifest))
    assert _plans(project)[0]["cohort-C01"].fingerprint == before["cohort-C01"].fingerprint


def test_code_hash_covers_the_notebook_and_evalkit(tmp_path, monkeypatch):
    nb = tmp_path / "a.ipynb"
    nb.write_text("{}")
    first = code_hash(nb)
    nb.write_text("{ }")
    assert code_hash(nb) != first
    # every evalkit source file counts, not only the runner's: a copy of the package
    package = tmp_path / "evalkit"
    shutil.copytree(run_plan.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(run_plan, "PACKAGE", package)
    before = code_hash(nb)
    with open(package / "metrics" / "learning.py", "a", encoding="utf-8") as f:
        f.write("\n# changed\n")
    assert code_hash(nb) != before


def test_warm_up_survives_a_module_that_fails_to_import(monkeypatch):
    from evalkit.run import hooks

    snapshots = []
    monkeypatch.setattr(hooks, "kernel_snapshot", lambda: snapshots.append(True))
    monkeypatch.setattr(hooks, "_render_one_figure", lambda: 1 / 0)
    failed = kernel_warm_up(("evalkit_no_such_module", "json"))
    assert failed == ["evalkit_no_such_module", "figure"] and snapshots == [True]


def test_bad_arguments_are_parameter_errors(project):
    with pytest.raises(ParameterError, match=r"unknown kind\(s\) \['cohorts'\]"):
        run_reports(studies=["demo"], kinds=["cohorts"], progress=False)
    with pytest.raises(ParameterError, match=r"cohort\(s\) \['C99'\] not found"):
        run_reports(studies=["demo"], cohorts=["C99"], progress=False)
    with pytest.raises(ParameterError, match="parameter 'jobs' must be >= 1, got 0"):
        run_reports(studies=["demo"], jobs=0, progress=False)
    with pytest.raises(
        ParameterError, match=r"run_reports: parameter 'lang' must be one of \('id', 'en', 'both'\)"
    ):
        run_reports(studies=["demo"], lang="fr", progress=False)


def test_a_study_without_processed_data_fails_alone(project):
    summary = run_reports(studies=["nothing"], kinds=["cohort"], progress=False)
    assert not summary.ok
    assert "run `evalkit clean --study nothing`" in str(summary)
    assert (project / "reports" / "index.html").is_file()


def test_index_from_states(tmp_path):
    reports = tmp_path / "reports"
    folder = reports / "demo" / "_executed"
    folder.mkdir(parents=True)
    (reports / "demo" / "cohort-A.html").write_text("<html></html>")
    ok = {"status": "ok", "kind": "cohort", "cohort_id": "A", "name": "cohort-A",
          "html": "cohort-A.html", "headline": {"n": 24, "mean_diff": 14.25, "ci_low": 10.1,
          "ci_high": 18.3, "d_z": 1.12, "alpha": 0.86, "program_name": "Pelayanan <Prima>"}}  # fmt: skip
    failed = {"status": "failed", "kind": "cohort", "cohort_id": "B", "name": "cohort-B"}
    gone = {**ok, "cohort_id": "C", "name": "cohort-C", "html": "cohort-C.html"}
    for state in (ok, failed, gone):
        (folder / f"{state['name']}.json").write_text(json.dumps(state))
    page = write_index(reports, lang="en").read_text(encoding="utf-8")
    assert 'href="demo/cohort-A.html"' in page and "14.2 (10.1 to 18.3)" in page
    assert "Pelayanan &lt;Prima&gt;" in page and ".86" in page
    assert "failed" in page and "cohort-C.html" not in page


def test_record_and_recorded_round_trip():
    import numpy as np

    out = nbformat.v4.new_output(
        "display_data",
        data={RECORD_MIMETYPE: _jsonable({"a": np.float64(1.5), "b": float("nan"),
                                                        "c": pd.Series({"x": np.int64(2)})})},
    )  # fmt: skip
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[out])])
    assert recorded(nb) == {"a": 1.5, "b": None, "c": {"x": 2}}


def test_html_export_is_atomic_and_drops_other_language(tmp_path):
    cells = [
        nbformat.v4.new_markdown_cell("# Judul\n## Bagian", metadata={"tags": ["lang-id"]}),
        nbformat.v4.new_markdown_cell("# Title\n## Section", metadata={"tags": ["lang-en"]}),
    ]
    nb = nbformat.v4.new_notebook(cells=cells)
    path = ekhtml.export_html(nb, tmp_path / "r.html", lang="en", provenance={"commit": "abc"})
    page = path.read_text(encoding="utf-8")
    assert "Section" in page and "Bagian" not in page and "<title>Title</title>" in page
    assert '<html lang="en">' in page
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]  # no temporary file left


def _outputs_notebook(text: str = "=SUM(A1:A9)"):
    from matplotlib.figure import Figure

    from evalkit.reporting import figures as ekf

    fig = Figure(figsize=(2, 2))
    fig.subplots().plot([1, 2], [2, 1])
    png = base64.b64encode(ekf.to_png(fig)).decode()
    table = table_payload(pd.DataFrame({"n": [12, 3]}, index=pd.Index([text, "b"], name="unit")))
    v4 = nbformat.v4
    cells = [
        v4.new_markdown_cell("## Bagian", metadata={"tags": ["lang-id"]}),
        v4.new_markdown_cell("## Section", metadata={"tags": ["lang-en"]}),
        v4.new_code_cell(outputs=[
            v4.new_output("display_data", data={"image/png": png, "text/plain": "<Figure>",
                                                "image/svg+xml": figure_svg(fig)}),
            v4.new_output("execute_result", data={"text/html": "<table>t</table>",
                                                  "text/plain": "t",
                                                  TABLE_MIMETYPE: table},
                          execution_count=1),
            v4.new_output("display_data", data={RECORD_MIMETYPE: {"n": 15}}),
        ]),
    ]  # fmt: skip
    return v4.new_notebook(cells=cells)


def test_html_shows_the_png_and_table_not_their_copies():
    page = ekhtml.render_html(_outputs_notebook(), lang="id")
    assert page.count('src="data:image/png;base64,') == 1 and "<svg" not in page
    assert "<table>t</table>" in page and "SUM(A1" not in page and "label_2" not in page


def test_figure_and_table_files_are_deterministic_and_formula_safe(tmp_path):
    import openpyxl

    folder = tmp_path / "reports" / "s"
    job = Job("s", "cohort", "A")
    plan = ReportPlan(job=job, notebook=NOTEBOOK, parameters={}, fingerprint="f", parts={},
                        html=folder / "cohort-A.html", executed=folder / "_executed/cohort-A.ipynb",
                        state=folder / "_executed/cohort-A.json", tables=[],
                        processed=tmp_path)  # fmt: skip
    (folder / "figures").mkdir(parents=True)
    stale = [folder / "figures/cohort-A-2.png", folder / "figures/cohort-A-10.svg"]
    other = folder / "figures/cohort-A-1-1.png"  # figure 1 of a cohort called "A-1"
    for path in [*stale, other]:
        path.write_bytes(b"old")
    nb = _outputs_notebook()
    outputs = write_outputs(plan, nb, "id")
    assert outputs == ["_executed/tables/cohort-A.json", "figures/cohort-A-1.png",
                       "figures/cohort-A-1.svg", "tables/cohort-A-1.csv"]  # fmt: skip
    assert not any(p.exists() for p in stale) and other.read_bytes() == b"old"
    csv = (folder / "tables/cohort-A-1.csv").read_text(encoding="utf-8-sig")
    assert csv.splitlines() == ["unit,n", "'=SUM(A1:A9),12", "b,3"]
    first = {p: (folder / p).read_bytes() for p in outputs}
    assert write_outputs(plan, _outputs_notebook(), "id") == outputs
    assert {p: (folder / p).read_bytes() for p in outputs} == first  # same figure, same bytes
    # the study's appendix, from the state files of the reports that succeeded
    (folder / "cohort-A.html").write_text("<html></html>")
    state = {"status": "ok", "kind": "cohort", "cohort_id": "A", "name": "cohort-A",
             "html": "cohort-A.html", "headline": {"n": 15, "title": "+62 812"}}  # fmt: skip
    plan.state.write_text(json.dumps(state))
    xlsx = write_appendix(folder)
    sheets = openpyxl.load_workbook(xlsx)
    assert sheets.sheetnames == ["README", "contents", "headline", "results", "A T1"]
    rows = list(sheets["A T1"].iter_rows(values_only=True))
    assert rows == [("unit", "n"), ("'=SUM(A1:A9)", 12), ("b", 3)]
    assert ("cohort-A", "title", "'+62 812") in set(sheets["headline"].iter_rows(values_only=True))
    built = xlsx.read_bytes()
    xlsx.unlink()
    assert write_appendix(folder).read_bytes() == built
    # unchanged tables: not rewritten; no successful report left: no appendix
    mtime = xlsx.stat().st_mtime_ns
    write_appendix(folder)
    assert xlsx.stat().st_mtime_ns == mtime
    plan.state.write_text(json.dumps({**state, "status": "failed"}))
    assert write_appendix(folder) is None and not xlsx.exists()


def test_manifest_inputs_reads_the_clean_layout(tmp_path):
    from evalkit.data.processed import manifest_inputs

    (tmp_path / "manifest.json").write_text(
        json.dumps(
            {
                "inputs": [{"file": "a.csv", "sha256": "11"}],
                "codebook": {"file": "codebook.yaml", "sha256": "22"},
            }
        )  # fmt: skip
    )
    assert manifest_inputs(tmp_path) == [
        {"file": "a.csv", "sha256": "11"},
        {"file": "codebook.yaml", "sha256": "22"},
    ]


# --- the report opened in a real browser ----------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
#: Appended to a copy of each page: after loading, the title says how many images
#: the browser could not decode.
PROBE = (
    "<script>window.addEventListener('load', () => { const bad = [...document.images]"
    ".filter(i => !(i.complete && i.naturalWidth > 0)).length; document.title = "
    "'IMAGES ' + document.images.length + ' BAD ' + bad; });</script>"
)


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (CI installs it)")
def test_reports_open_in_headless_chromium_without_errors(run, tmp_path):
    root, _ = run
    pages = [root / "reports/index.html"] + sorted((root / "reports/demo").glob("*.html"))
    assert len(pages) == 6
    for page in pages:
        probe = tmp_path / page.name
        probe.write_text(page.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"))
        proc = subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr",
             "--v=0", "--virtual-time-budget=5000", "--dump-dom", probe.as_uri()],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        console = [line for line in proc.stderr.splitlines() if ":CONSOLE" in line]
        assert not console, (page.name, console)
        title = re.search(r"<title>IMAGES (\d+) BAD (\d+)</title>", proc.stdout)
        assert title, (page.name, proc.stdout[:300])
        images, bad = int(title.group(1)), int(title.group(2))
        assert bad == 0, page.name
        if page.name.startswith("cohort-C01"):
            assert images >= 5


def test_study_title_names_the_study_id_once(tmp_path):
    from evalkit.run.index import study_title

    manifest = tmp_path / "data" / "processed" / "demo" / "manifest.json"
    manifest.parent.mkdir(parents=True)
    title = {"id": "Evaluasi ASN (data demo)", "en": "ASN evaluation"}
    manifest.write_text(json.dumps({"study": "demo", "title": title}))
    assert study_title(tmp_path, "demo", "id") == "Evaluasi ASN (data demo)"
    assert study_title(tmp_path, "demo", "en") == "ASN evaluation (demo)"
    assert study_title(tmp_path, "other", "en") == "other"


@pytest.mark.slow
def test_result_tables_are_kept_as_numbers_beside_each_report(run):
    """record_table: the appendix holds full-precision results, not the shown text."""
    import openpyxl

    import evalkit as ek
    from evalkit.data.processed import load_study

    root, _ = run
    folder = root / "reports" / "demo"
    learning = load_study(root / "data" / "processed" / "demo")["learning"]
    c01 = learning[learning["cohort_id"] == "C01"]
    direct = ek.paired_change(c01["pre"], c01["post"], max_score=c01["max_score"])
    saved = pd.read_csv(folder / "tables" / "cohort-C01-paired_change.csv", encoding="utf-8-sig")
    for column in ("mean_diff", "ci_low", "ci_high", "d_z", "wilcoxon_p", "hake_g"):
        assert saved.loc[0, column] == pytest.approx(direct[column], rel=1e-12), column
    book = openpyxl.load_workbook(folder / "tables.xlsx", read_only=True)
    assert "C01 paired_change" in book.sheetnames
    contents = {r[0]: r[1:] for r in book["contents"].iter_rows(min_row=2, values_only=True)}
    assert contents["C01 paired_change"][3:] == (
        "numbers", "tables/cohort-C01-paired_change.csv")  # fmt: skip
    assert (folder / "tables" / "impact-did_ikm.csv").is_file()


def test_html_numbers_figures_and_tables_like_their_files_with_alt_text():
    nb = _outputs_notebook()
    figure = nb.cells[2].outputs[0]
    figure["metadata"] = {"image/png": {"alt": "Skor per dimensi, n = 24"}}
    recorded_table = nbformat.v4.new_output(
        "display_data", data={TABLE_MIMETYPE: {"name": "scores", "columns": ["n"], "data": [[1]]}}
    )
    nb.cells[2].outputs.insert(1, recorded_table)  # a recorded result table: no caption
    page = ekhtml.render_html(nb, lang="id")
    assert 'alt="Skor per dimensi, n = 24"' in page
    assert "No description has been provided" not in page
    assert "<strong>Gambar 1</strong>. Skor per dimensi, n = 24" in page
    assert "<strong>Tabel 1</strong>. Bagian" in page and "Tabel 2" not in page
    english = ekhtml.render_html(nb, lang="en")
    assert "<strong>Figure 1</strong>" in english and "<strong>Table 1</strong>. Section" in english
    assert 'href="../index.html"' in page
    assert 'href="../index.html"' not in ekhtml.render_html(nb, index_href=None)
