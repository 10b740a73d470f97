"""Faults of report runs: a killed run resumes, corrupt processed data is rebuilt.

- ``evalkit report`` killed with SIGKILL part-way leaves every finished report complete
  and the others absent; the next run executes only the reports not done, and the
  figures and tables it writes are byte-identical to a forced re-run's.
- A corrupt or truncated Parquet table in ``data/processed/<study>/`` is caught by its
  manifest hash before any notebook reads it, and the study is rebuilt from raw once
  (by the data layer, :func:`evalkit.data.freshness.ensure_current`, which ``evalkit
  report`` calls first); without raw data the study fails with the reason.

The code part of the report fingerprints is pinned in these tests (the killed run and
the re-run must agree even while notebooks or evalkit sources are edited meanwhile).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from processed_fixture import write_processed_study

from evalkit.cli import main
from evalkit.data.freshness import ensure_current, missing_cohorts
from evalkit.data.processed import check_processed
from evalkit.run import plan as run_plan
from evalkit.run.execute import run_reports

REPO = Path(__file__).resolve().parent.parent
BASE = REPO / "tests" / "data" / "bad" / "base"
PINNED = "pinned code fingerprint"


def _project(root: Path) -> Path:
    """A project root with a snapshot of the repository's notebooks."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'scratch'\n")
    shutil.copytree(REPO / "notebooks", root / "notebooks")
    return root


def _pin_code(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(run_plan, "code_hash", lambda notebook: PINNED)


def _assert_complete(page: Path) -> None:
    """A whole report: parses, has its provenance block and ends with ``</html>``."""
    text = page.read_text(encoding="utf-8")
    parser = HTMLParser()
    parser.feed(text)
    parser.close()
    assert text.rstrip().endswith("</html>"), page
    assert 'id="provenance"' in text and text.lstrip().startswith("<!DOCTYPE html>"), page


def _descendants(pid: int) -> list[int]:
    """Process ids below ``pid`` (from /proc), e.g. the kernels of a report run."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = [], [pid]
    while frontier:
        kids = [p for p, parent in parents.items() if parent in frontier]
        found += kids
        frontier = kids
    return found


def _kernel_folders(pids: list[int]) -> set[Path]:
    """The private socket folders of kernels (from their ``-f <connection file>``)."""
    folders = set()
    for pid in pids:
        try:
            args = Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")
        except OSError:
            continue
        for arg in args:
            if arg.endswith("kernel.json") and "evalkit-kernel-" in arg:
                folders.add(Path(arg).parent)
    return folders


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _ok_states(folder: Path) -> set[str]:
    states = (json.loads(p.read_text()) for p in (folder / "_executed").glob("*.json"))
    return {s["name"] for s in states if s.get("status") == "ok"}


@pytest.mark.slow
def test_a_killed_report_run_resumes_where_it_stopped(tmp_path, monkeypatch, capfd):
    root = _project(tmp_path / "project")
    write_processed_study(root, "demo")  # cohorts C01, C02, C03
    folder = root / "reports" / "demo"
    child = textwrap.dedent(
        f"""
        import evalkit.run.plan
        evalkit.run.plan.code_hash = lambda notebook: {PINNED!r}
        from evalkit.cli import main
        raise SystemExit(main(["report", "--study", "demo", "--kind", "cohort", "--jobs", "1",
                               "--quiet"]))
        """
    )
    env = {**os.environ, "EVALKIT_ROOT": str(root)}
    with open(tmp_path / "stderr.txt", "wb") as err:
        proc = subprocess.Popen([sys.executable, "-c", child], cwd=root, env=env, stderr=err)
    kernels: list[int] = []
    kernel_folders: set[Path] = set()
    try:
        deadline = time.monotonic() + 120
        while not list((folder / "_executed").glob("*.json")):
            assert proc.poll() is None, "the report run ended before it was killed"
            assert time.monotonic() < deadline, "no report finished within 120 s"
            kernels = _descendants(proc.pid) or kernels
            time.sleep(0.05)
        kernels = _descendants(proc.pid) or kernels
        kernel_folders = _kernel_folders(kernels)
        assert proc.poll() is None, "the run finished every report before the kill"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
    # the kernels notice their parent is gone and exit (else: end them here)
    deadline = time.monotonic() + 15
    while any(map(_alive, kernels)) and time.monotonic() < deadline:
        time.sleep(0.1)
    for pid in filter(_alive, kernels):
        os.kill(pid, signal.SIGKILL)
    for kernel_folder in kernel_folders:  # the killed run could not remove its kernels' sockets
        shutil.rmtree(kernel_folder, ignore_errors=True)
    stderr = (tmp_path / "stderr.txt").read_text(errors="replace")
    assert kernels and kernel_folders, "the killed run's kernel was not seen"
    assert "without encryption" not in stderr, stderr[-2000:]

    done = _ok_states(folder)
    every = {"cohort-C01", "cohort-C02", "cohort-C03"}
    assert done and done < every, done
    pages = sorted(folder.glob("*.html"))
    assert {p.stem for p in pages} >= done
    for page in pages:
        _assert_complete(page)

    # the next run does only the rest
    monkeypatch.setenv("EVALKIT_ROOT", str(root))
    _pin_code(monkeypatch)
    capfd.readouterr()
    summary = run_reports(studies=["demo"], kinds=["cohort"], jobs=1, progress=False)
    assert {r.name for r in summary.skipped} == done
    assert {r.name for r in summary.ran} == every - done
    rest = len(every - done)
    assert f"{rest} ran, {len(done)} up to date, 0 failed" in str(summary), str(summary)
    assert "without encryption" not in capfd.readouterr().err
    assert {p.stem for p in folder.glob("*.html")} == every
    for page in folder.glob("*.html"):
        _assert_complete(page)
    assert not [p for p in folder.rglob(".*.tmp")]  # no half-written file left visible

    # figures and tables: the same bytes when the same report runs again
    files = [folder / "tables.xlsx", *sorted(folder.glob("figures/cohort-C01-*")),
             *sorted(folder.glob("tables/cohort-C01-*.csv"))]  # fmt: skip
    assert len(files) > 10
    before = {p: p.read_bytes() for p in files}
    again = run_reports(studies=["demo"], cohorts=["C01"], force=True, jobs=1, progress=False)
    assert [r.status for r in again.results] == ["ran"]
    assert {p: p.read_bytes() for p in files} == before


def _report(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """Run ``evalkit report --quiet <args>``; return its exit code and output."""
    capsys.readouterr()
    code = main(["report", "--quiet", *args])
    return code, capsys.readouterr().out


@pytest.mark.slow
def test_a_corrupt_processed_table_is_rebuilt_from_raw(tmp_path, monkeypatch, capsys):
    import evalkit.data.clean

    root = _project(tmp_path / "project")
    monkeypatch.setenv("EVALKIT_ROOT", str(root))
    _pin_code(monkeypatch)
    raw, processed = root / "data/raw/s", root / "data/processed/s"
    shutil.copytree(BASE, raw)
    evalkit.data.clean.clean_study(raw, processed, progress=False)
    good = {p.name: p.read_bytes() for p in processed.glob("*.parquet")}
    table = processed / "learning.parquet"
    table.write_bytes(good["learning.parquet"][: len(good["learning.parquet"]) // 2])
    calls = []
    real = evalkit.data.clean.clean_study

    def counted(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(evalkit.data.clean, "clean_study", counted)
    code, out = _report(capsys, "--study", "s", "--cohort", "PP-2024-01", "--jobs", "1")
    assert calls == [(raw, processed)]
    assert code == 0 and "1 ran, 0 up to date, 0 failed" in out, out
    note = "note: rebuilt data/processed/s from data/raw/s: file learning.parquet: table 'learning'"
    assert note in out
    assert {p.name: p.read_bytes() for p in processed.glob("*.parquet")} == good
    check_processed(processed)
    # sound tables: no rebuild
    calls.clear()
    code, out = _report(capsys, "--study", "s", "--cohort", "PP-2024-01")
    assert calls == [] and "note:" not in out and code == 0
    assert "0 ran, 1 up to date, 0 failed" in out, out


def test_a_corrupt_table_without_raw_data_fails_its_study(tmp_path, monkeypatch, capsys):
    root = _project(tmp_path / "project")
    monkeypatch.setenv("EVALKIT_ROOT", str(root))
    write_processed_study(root, "demo")
    costs = root / "data/processed/demo/costs.parquet"
    costs.write_bytes(costs.read_bytes()[:-100])
    code, text = _report(capsys, "--study", "demo")
    assert code == 1 and "0 ran, 0 up to date, 1 failed" in text, text
    assert "FAILED demo/(study): data/processed/demo failed its manifest check" in text
    assert "costs.parquet" in text and "no data/raw/demo/codebook.yaml" in text
    assert not (root / "reports/demo").exists()


def test_the_runner_neither_cleans_nor_rebuilds(tmp_path, monkeypatch):
    """Rebuilding is the data layer's job: run_reports reads data/processed as it is."""
    import evalkit.data.clean
    from evalkit.run import execute

    monkeypatch.setattr(evalkit.data.clean, "clean_study", lambda *a, **k: pytest.fail("cleaned"))
    monkeypatch.setattr(execute, "_run_pending", lambda pending, settings, **kw: [])
    root = _project(tmp_path / "project")
    monkeypatch.setenv("EVALKIT_ROOT", str(root))
    write_processed_study(root, "demo")
    costs = root / "data/processed/demo/costs.parquet"
    truncated = costs.read_bytes()[:-100]
    costs.write_bytes(truncated)
    (root / "data/raw/demo").mkdir(parents=True)
    (root / "data/raw/demo/codebook.yaml").write_text("study: demo\n")
    summary = run_reports(studies=["demo"], kinds=["cohort"], progress=False)
    assert summary.notes == [] and summary.results == [] and costs.read_bytes() == truncated


def _solo_study(root: Path) -> Path:
    """A study of one reaction export, no cohort list, cleaned."""
    from evalkit.data.clean import clean_study

    raw = root / "data" / "raw" / "solo"
    raw.mkdir(parents=True)
    (raw / "reaksi.csv").write_text(
        "Kode Angkatan,Nama,Materi jelas\nA1,Paulus Tefa,Setuju\nA1,Rambu Hana,Netral\n",
        encoding="utf-8",
    )
    (raw / "codebook.yaml").write_text(
        "study: solo\nlikert:\n  s5: {max: 5, labels: {netral: 3, setuju: 4}}\ntables:\n"
        "  reaction:\n    files: [reaksi.csv]\n    columns:\n"
        "      cohort_id: {from: Kode Angkatan, required: true}\n      name: {from: Nama}\n"
        "    items:\n      content_1: {from: Materi jelas, dimension: content, likert: s5}\n",
        encoding="utf-8",
    )
    clean_study(raw, root / "data" / "processed" / "solo", progress=False, salt=b"s")
    return raw


def test_a_study_without_cohort_list_names_the_missing_table(tmp_path):
    _solo_study(tmp_path)
    error = missing_cohorts(tmp_path, "solo")
    assert "has no cohorts table: the codebook maps no cohort list" in error
    assert "run `evalkit clean" in error and "no processed data" not in error
    assert "no processed data" in missing_cohorts(tmp_path, "other")


def test_changed_raw_data_is_cleaned_again_before_reporting(tmp_path):
    raw = _solo_study(tmp_path)
    assert ensure_current(tmp_path, "solo") == (None, None)
    with open(raw / "reaksi.csv", "a", encoding="utf-8") as f:
        f.write("A1,Kornelis Nope,Setuju\n")
    note, error = ensure_current(tmp_path, "solo")
    assert error is None
    assert note.startswith("rebuilt data/processed/solo from data/raw/solo: raw data changed")
    assert "reaksi.csv" in note
    manifest = check_processed(tmp_path / "data" / "processed" / "solo")
    assert manifest["outputs"]["participants"]["rows"] == 3
    assert ensure_current(tmp_path, "solo") == (None, None)
