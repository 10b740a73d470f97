"""Run the report notebooks through papermill and export them as HTML.

:func:`run_reports` (the ``evalkit report`` command) executes, for every study:

- ``notebooks/cohort_report.ipynb`` once per cohort -> ``reports/<study>/cohort-<id>.html``;
- ``notebooks/program_overview.ipynb`` -> ``reports/<study>/overview.html``;
- ``notebooks/impact_study.ipynb`` -> ``reports/<study>/impact.html``;

then writes ``reports/index.html``, which lists every study with its headline numbers.
The executed notebooks are kept in ``reports/<study>/_executed/`` for debugging, with a
small JSON state file each (fingerprint, status, headline numbers, provenance).

Beside each report, for papers, slides and colleagues' spreadsheets:

- its figures as PNG and SVG, ``reports/<study>/figures/<report>-<n>.png`` / ``.svg``
  (``n`` counts the figures in the order the report shows them);
- its tables as CSV, ``reports/<study>/tables/<report>-<n>.csv``: every DataFrame the
  notebook displayed, as displayed (small cells already suppressed);
- per study, ``reports/<study>/tables.xlsx``: a README sheet, the headline numbers of
  every report (``headline``, also ``tables/headline.csv``) and one sheet per table.

Text cells of the CSV and XLSX files are neutralised against spreadsheet formula
injection (:mod:`evalkit.exports`). Figures and tables are byte-identical for identical
inputs. The warm kernel (below) adds two renderings to what a notebook displays: an SVG
of every evalkit figure and a JSON copy of every DataFrame
(``application/vnd.evalkit.table+json``); the HTML shows neither (it shows the PNG and
the HTML table, as in a plain Jupyter run).

Faults
------
Every file is written atomically (a temporary file renamed over the target), and a
report's state file is written last. A run killed part-way (even with SIGKILL) leaves
every finished report complete and the interrupted ones absent or at their previous
complete version; the next run executes only what is not up to date.

Before planning, each study's processed tables are checked against the SHA-256 in
their ``manifest.json`` (:func:`evalkit.data.processed.check_processed`). A corrupt or truncated
table is not read as truth: the study is rebuilt from ``data/raw/<study>`` once
(:func:`evalkit.data.clean.clean_study`), which the run summary says; without raw data, or if
the rebuild fails too, the study fails with the reason. Tables cleaned from raw files
that have changed since (their SHA-256 differs from the manifest's) are stale, and are
rebuilt the same way.

How it stays fast
-----------------
Starting a kernel and importing the scientific stack (pandas, scipy, statsmodels,
pingouin, matplotlib) costs several seconds, far more than one report's statistics.
So the runner keeps **one warm kernel per worker** and reuses it: papermill executes
every notebook (parameters injected, cells run and recorded by papermill as usual)
through the ``evalkit`` papermill engine, which hands nbclient the worker's running
kernel instead of starting a new one. Before each notebook the kernel is reset to the
state it had right after start-up and warm-up (:func:`kernel_reset`): the user
namespace and IPython history are cleared and the execution counter restarts at 1,
figures are closed, matplotlib's rcParams, pandas options, warning filters, the working
directory, ``sys.path``, environment and random seeds are restored. Only imported
modules survive, which is the point. After a failed notebook the kernel is replaced.

Workers are threads of this process, each owning its kernel process, so the kernels
compute in parallel on all cores while papermill and nbconvert are imported once.
Kernels talk to the runner over local IPC sockets in a private temporary folder (not
TCP on localhost), so nothing else on the machine can connect to them.
The HTML export also runs in-process (:mod:`evalkit.run.export`).

A report is **not re-run** when its fingerprint is unchanged: the SHA-256 of the
processed tables (and of the raw inputs listed in the manifest), the parameters, and
the code (the notebook and every evalkit source file). ``force=True`` re-runs. A
no-op run only hashes files and rewrites the index; it imports neither papermill nor
nbconvert.

Notebooks record their headline numbers with :func:`record`; the runner reads them
from the executed notebook for the index.

Examples
--------
>>> from evalkit.run.plan import Job
>>> job = Job(study="demo", kind="cohort", cohort_id="C01")
>>> job.name, job.notebook_name
('cohort-C01', 'cohort_report.ipynb')
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import queue
import re
import threading
import time
from pathlib import Path
from typing import Any

from evalkit.data.freshness import verify_processed
from evalkit.errors import ParameterError
from evalkit.io.atomic import atomic_write_bytes, atomic_write_text
from evalkit.reporting.record import TABLE_NAME, recorded
from evalkit.run.appendix import write_appendix
from evalkit.run.index import write_index
from evalkit.run.kernel import KERNEL_NAME, LOCAL, WarmKernel, engine
from evalkit.run.plan import (
    _STATUS_FAILED,
    _STATUS_RAN,
    _STATUS_SKIPPED,
    STATE_VERSION,
    JobResult,
    _Plan,
    _plan_jobs,
    _relative,
    _table_keys,
    _tables_path,
    _up_to_date,
    _write_json,
    report_outputs,
)


@dataclasses.dataclass
class RunSummary:
    """What :func:`run_reports` did; ``str()`` is the end-of-run summary."""

    results: list[JobResult]
    index: Path | None = None
    seconds: float = 0.0
    #: What the run did besides reports (e.g. a study rebuilt from raw).
    notes: list[str] = dataclasses.field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no report failed."""
        return not self.failed

    @property
    def failed(self) -> list[JobResult]:
        """The failed reports."""
        return [r for r in self.results if r.status == _STATUS_FAILED]

    @property
    def ran(self) -> list[JobResult]:
        """The reports executed in this run."""
        return [r for r in self.results if r.status == _STATUS_RAN]

    @property
    def skipped(self) -> list[JobResult]:
        """The reports that were up to date."""
        return [r for r in self.results if r.status == _STATUS_SKIPPED]

    def __str__(self) -> str:
        lines = [
            f"evalkit report: {len(self.ran)} ran, {len(self.skipped)} up to date, "
            f"{len(self.failed)} failed in {self.seconds:.1f} s"
        ]
        if self.index is not None:
            lines.append(f"  index: {self.index}")
        lines += [f"  note: {note}" for note in self.notes]
        for r in self.failed:
            where = f"; executed notebook: {r.executed}" if r.executed else ""
            lines.append(f"  FAILED {r.study}/{r.name}: {r.error}{where}")
        return "\n".join(lines)


def _own_files(folder: Path, name: str) -> list[Path]:
    """Figures and table files of report ``name`` under its study ``folder``."""
    figure = re.compile(rf"{re.escape(name)}-\d+\.(?:png|svg)")
    table = re.compile(rf"{re.escape(name)}-(?:\d+|{TABLE_NAME.pattern})\.csv")
    found = []
    for sub, pattern in ((folder / "figures", figure), (folder / "tables", table)):
        if sub.is_dir():
            found += [p for p in sub.iterdir() if pattern.fullmatch(p.name)]
    return sorted(found)


def _remove_outputs(plan: _Plan) -> None:
    """Remove a report's HTML, figures and tables (after it failed)."""
    folder = plan.html.parent
    for path in [plan.html, _tables_path(plan.executed), *_own_files(folder, plan.job.name)]:
        path.unlink(missing_ok=True)


def _write_outputs(plan: _Plan, nb: Any, lang: str) -> list[str]:
    """Write the report's figures (PNG, SVG) and tables (CSV, JSON); drop stale ones.

    Returns the files written, relative to the study's report folder.
    """
    import pandas as pd

    from evalkit.io.sheets import write_csv

    folder, name = plan.html.parent, plan.job.name
    figures, tables = report_outputs(nb, lang)
    written: list[Path] = []
    for n, figure in enumerate(figures, start=1):
        stem = folder / "figures" / f"{name}-{n}"
        written.append(atomic_write_bytes(stem.with_suffix(".png"), figure["png"]))
        if figure["svg"]:
            written.append(atomic_write_bytes(stem.with_suffix(".svg"), figure["svg"].encode()))
    for key, table in zip(_table_keys(tables), tables, strict=True):
        frame = pd.DataFrame(table["data"], columns=table["columns"])
        written.append(write_csv(frame, folder / "tables" / f"{name}-{key}.csv"))
    keep = set(written)
    for path in _own_files(folder, name):
        if path not in keep:
            path.unlink(missing_ok=True)
    tables_json = _tables_path(plan.executed)
    _write_json(tables_json, {"report": name, "tables": tables})
    return sorted(p.relative_to(folder).as_posix() for p in [*written, tables_json])


def _execute(plan: _Plan, *, root: Path, keep_code: bool, lang: str) -> JobResult:
    """Execute one notebook on this thread's warm kernel; write its HTML and outputs.

    Every file is written atomically and the state file last, so a run killed at any
    point leaves this report either complete or not done (re-run next time).
    """
    import nbformat
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    from evalkit.run import export as ekhtml

    engine()
    job = plan.job
    started = dt.datetime.now(dt.UTC)
    t0 = time.perf_counter()
    error: str | None = None
    nb = None
    LOCAL.nb_man = None
    try:
        nb = pm.execute_notebook(
            str(plan.notebook),
            None,  # written below, atomically, once
            parameters=plan.parameters,
            engine_name="evalkit",
            kernel_name=KERNEL_NAME,
            request_save_on_cell_execute=False,
            progress_bar=False,
            log_output=False,
        )
    except PapermillExecutionError as err:
        error = f"{err.ename}: {err.evalue} (cell {err.exec_count})"
    except Exception as err:  # isolate every failure to its report
        error = f"{type(err).__name__}: {err}"
    executed = nb
    if executed is None:
        nb_man = getattr(LOCAL, "nb_man", None)
        executed = nb_man.nb if nb_man is not None else None
    if executed is not None:
        try:
            executed.metadata.setdefault("papermill", {})["output_path"] = _relative(
                plan.executed, root
            )
            atomic_write_text(plan.executed, nbformat.writes(executed))
        except Exception as err:
            error = error or f"writing the executed notebook failed: {type(err).__name__}: {err}"
    headline: dict[str, Any] = {}
    outputs: list[str] = []
    if error is None and nb is not None:
        headline = recorded(nb)
        try:
            outputs = _write_outputs(plan, nb, lang)
        except Exception as err:
            error = f"writing figures and tables failed: {type(err).__name__}: {err}"
    if error is None and nb is not None:
        try:
            provenance = ekhtml.build_provenance(
                processed=plan.processed,
                parameters=plan.parameters,
                notebook=_relative(plan.notebook, root),
                root=root,
                started=started,
                seconds=time.perf_counter() - t0,
                tables=plan.tables,
            )
            ekhtml.export_html(
                nb,
                plan.html,
                provenance=provenance,
                keep_code=keep_code,
                lang=lang,
                title=headline.get("title"),
            )
            outputs.append(plan.html.name)
        except Exception as err:
            error = f"HTML export failed: {type(err).__name__}: {err}"
    seconds = time.perf_counter() - t0
    if error is not None:
        _remove_outputs(plan)  # never leave a stale report behind
        warm = getattr(LOCAL, "kernel", None)
        if warm is not None:  # a failed notebook may leave the kernel in any state
            warm.shutdown()
            LOCAL.kernel = None
    state = {
        "version": STATE_VERSION,
        "study": job.study,
        "kind": job.kind,
        "cohort_id": job.cohort_id,
        "name": job.name,
        "status": "ok" if error is None else "failed",
        "error": error,
        "fingerprint": plan.fingerprint if error is None else None,
        "fingerprint_parts": plan.parts,
        "html": plan.html.name if error is None else None,
        "outputs": sorted(outputs) if error is None else [],
        "executed": plan.executed.name,
        "parameters": plan.parameters,
        "headline": headline,
        "started": started.isoformat(timespec="seconds"),
        "seconds": round(seconds, 2),
    }
    _write_json(plan.state, state)
    return JobResult(
        study=job.study,
        name=job.name,
        status=_STATUS_FAILED if error else _STATUS_RAN,
        html=None if error else plan.html,
        executed=plan.executed if plan.executed.is_file() else None,
        seconds=seconds,
        error=error,
        headline=headline,
    )


def _worker(
    plans: queue.Queue[_Plan],
    results: queue.Queue[JobResult],
    *,
    root: Path,
    keep_code: bool,
    lang: str,
) -> None:
    """Thread body: own a warm kernel, run plans until the queue is empty."""
    LOCAL.kernel = None
    try:
        while True:
            try:
                plan = plans.get_nowait()
            except queue.Empty:
                return
            try:
                if LOCAL.kernel is None or not LOCAL.kernel.alive():
                    LOCAL.kernel = WarmKernel(root)
                results.put(_execute(plan, root=root, keep_code=keep_code, lang=lang))
            except Exception as err:  # e.g. the kernel did not start
                if LOCAL.kernel is not None:
                    LOCAL.kernel.shutdown()
                    LOCAL.kernel = None
                results.put(
                    JobResult(
                        study=plan.job.study,
                        name=plan.job.name,
                        status=_STATUS_FAILED,
                        executed=plan.executed if plan.executed.exists() else None,
                        error=f"{type(err).__name__}: {err}",
                    )
                )
    finally:
        if LOCAL.kernel is not None:
            LOCAL.kernel.shutdown()
            LOCAL.kernel = None


def run_reports(
    *,
    studies: list[str],
    cohorts: list[str] | None = None,
    kinds: list[str] | None = None,
    force: bool = False,
    jobs: int | None = None,
    keep_code: bool = False,
    progress: bool = True,
    lang: str = "id",
) -> RunSummary:
    """Execute the report notebooks of ``studies`` and export HTML; write the index.

    Parameters
    ----------
    studies : list of str
        Studies (folders under ``data/processed``).
    cohorts : list of str, optional
        Only these cohorts' reports (then, unless ``kinds`` says otherwise, only
        cohort reports).
    kinds : list of str, optional
        Among ``"cohort"``, ``"overview"``, ``"impact"`` (default: every kind whose
        notebook exists).
    force : bool
        Re-run reports whose inputs, parameters and code are unchanged.
    jobs : int, optional
        Parallel workers, each with its own kernel (default: number of cores).
    keep_code : bool
        Keep code cells in the HTML.
    progress : bool
        Show a progress bar (on stderr).
    lang : {"id", "en"}
        Language of the reports.

    Returns
    -------
    RunSummary
        ``summary.ok`` is False when any report failed; ``str(summary)`` names each
        failure and its executed notebook.

    Raises
    ------
    ParameterError
        Unknown kind, a kind without notebook, a cohort found in no study, bad ``jobs``
        or ``lang``.
    """
    from evalkit.paths import project_root, reports_dir

    t0 = time.perf_counter()
    if lang not in ("id", "en"):
        raise ParameterError(f"run_reports: parameter 'lang' must be 'id' or 'en', got {lang!r}")
    if jobs is not None and jobs < 1:
        raise ParameterError(f"run_reports: parameter 'jobs' must be >= 1, got {jobs!r}")
    root, reports = project_root(), reports_dir()
    notes: list[str] = []
    broken: list[JobResult] = []
    for study in dict.fromkeys(studies):
        note, error = verify_processed(root, study)
        if note:
            notes.append(note)
        if error:
            broken.append(
                JobResult(study=study, name="(study)", status=_STATUS_FAILED, error=error)
            )
    usable = [s for s in studies if s not in {r.study for r in broken}]
    plans, results = _plan_jobs(
        usable, cohorts, kinds, root=root, reports=reports, lang=lang, keep_code=keep_code
    )
    results = broken + results
    pending: list[_Plan] = []
    for plan in plans:
        done = None if force else _up_to_date(plan)
        if done is None:
            pending.append(plan)
        else:
            results.append(done)
    if pending:
        results.extend(
            _run_pending(
                pending, root=root, jobs=jobs, keep_code=keep_code, lang=lang, progress=progress
            )
        )
    order = {(p.job.study, p.job.name): i for i, p in enumerate(plans)}
    results.sort(key=lambda r: order.get((r.study, r.name), -1))
    for study in dict.fromkeys(p.job.study for p in plans):
        try:
            write_appendix(reports / study)
        except Exception as err:  # the reports themselves are fine
            notes.append(f"{study}: tables.xlsx not written: {type(err).__name__}: {err}")
    index = write_index(reports, lang=lang, root=root)
    return RunSummary(results=results, index=index, seconds=time.perf_counter() - t0, notes=notes)


def _run_pending(
    pending: list[_Plan],
    *,
    root: Path,
    jobs: int | None,
    keep_code: bool,
    lang: str,
    progress: bool,
) -> list[JobResult]:
    import sys

    from tqdm.auto import tqdm

    if "jsonschema" not in sys.modules:
        # jsonschema imports rfc3987_syntax when it is installed, which compiles a grammar
        # at import (~1.7 s on the critical path of every run); the notebook schema that
        # nbformat validates against uses none of its format checkers.
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
    workers = max(1, min(jobs or os.cpu_count() or 1, len(pending)))
    # Long notebooks first, so that no worker is left with one at the end.
    ordered = sorted(pending, key=lambda p: p.job.kind == "cohort")
    todo: queue.Queue[_Plan] = queue.Queue()
    for plan in ordered:
        todo.put(plan)
    done: queue.Queue[JobResult] = queue.Queue()
    threads = [
        threading.Thread(
            target=_worker,
            args=(todo, done),
            kwargs={"root": root, "keep_code": keep_code, "lang": lang},
            name=f"evalkit-report-{i}",
            daemon=True,
        )
        for i in range(workers)
    ]
    for thread in threads:
        thread.start()
    results: list[JobResult] = []
    with tqdm(total=len(pending), disable=not progress, unit="report", desc="reports") as bar:
        while len(results) < len(pending):
            try:
                result = done.get(timeout=1.0)
            except queue.Empty:
                if not any(t.is_alive() for t in threads) and done.empty():
                    break
                continue
            results.append(result)
            bar.set_postfix_str(f"{result.study}/{result.name} {result.status}", refresh=False)
            bar.update(1)
    for thread in threads:
        thread.join()
    return results
