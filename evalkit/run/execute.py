"""Run the report notebooks through papermill and export them as HTML.

:func:`run_reports` (the ``evalkit report`` command) executes, for every study:

- ``notebooks/cohort_report.ipynb`` once per cohort -> ``reports/<study>/cohort-<id>.html``;
- ``notebooks/program_overview.ipynb`` -> ``reports/<study>/overview.html``;
- ``notebooks/impact_study.ipynb`` -> ``reports/<study>/impact.html``;

in Indonesian (``lang="id"``, the default), in English (``lang="en"``: the same names
with ``.en`` before ``.html``, :func:`evalkit.run.plan.report_stem`) or both
(``lang="both"``); then writes the index in both languages (``reports/index.html`` and
``reports/index.en.html``), which lists every study with its headline numbers, and gives
each report whose twin in the other language exists a link to it
(:func:`evalkit.run.export.link_twins`).
The executed notebooks are kept in ``reports/<study>/_executed/`` for debugging, with a
small JSON state file each (fingerprint, status, headline numbers, provenance).

A run, step by step:

1. plan every report and its fingerprint (:func:`evalkit.run.plan.plan_jobs`); a report
   whose fingerprint is unchanged and whose files are all there is not run again
   (:func:`evalkit.run.plan.up_to_date`; ``force=True`` re-runs);
2. run the others on warm kernels, one per worker thread (:mod:`evalkit.run.kernel`);
   each report: papermill, then its figures and tables
   (:mod:`evalkit.run.outputs`), its HTML with provenance (:mod:`evalkit.run.export`),
   its state file last;
3. per study, the XLSX appendix and the results ledger (:mod:`evalkit.run.appendix`:
   one language's tables per report, so that nothing is counted twice), the language
   switches between twins; then the index in both languages (:mod:`evalkit.run.index`).

A no-op run only hashes files and rewrites the index; it imports neither papermill nor
nbconvert. Workers are threads of this process, each owning its kernel process, so the
kernels compute in parallel on all cores while papermill and nbconvert are imported
once; the HTML export also runs in-process.

The runner reads ``data/processed/`` as it is and never reads ``data/raw/``: making the
processed data current (rebuilding a corrupt, truncated or stale study from raw) is the
data layer's job, :func:`evalkit.data.freshness.ensure_current`, which ``evalkit
report`` calls for each study first (:meth:`RunSummary.add_checks` puts what it found
in the summary).

Faults
------
Every file is written atomically (a temporary file renamed over the target), and a
report's state file is written last. A run killed part-way (even with SIGKILL) leaves
every finished report complete and the interrupted ones absent or at their previous
complete version; the next run executes only what is not up to date. A failed report
is isolated: its files are removed, its executed notebook is kept (showing where it
failed), its kernel is replaced, and the other reports run on.

Examples
--------
>>> summary = RunSummary(results=[JobResult("demo", "cohort-C01", "ran")], seconds=2.0)
>>> summary.add_checks(["rebuilt data/processed/s from data/raw/s: ..."], {"t": "no data"})
>>> print(summary)
evalkit report: 1 ran, 0 up to date, 1 failed in 2.0 s
  note: rebuilt data/processed/s from data/raw/s: ...
  FAILED t/(study): no data
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
import queue
import sys
import threading
import time
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from evalkit.errors import ParameterError
from evalkit.io.atomic import atomic_write_text
from evalkit.io.lock import folder_lock
from evalkit.reporting.memo import MEMO_ENV
from evalkit.reporting.record import recorded
from evalkit.run.appendix import write_appendix
from evalkit.run.index import index_file, write_index
from evalkit.run.kernel import (
    FOLDER_PREFIX,
    KERNEL_NAME,
    LOCAL,
    WarmKernel,
    engine,
    run_folder,
    sweep_stale_folders,
    terminate_cleanly,
)
from evalkit.run.outputs import remove_outputs, write_outputs
from evalkit.run.pdf import PdfResult, find_browser, print_reports
from evalkit.run.plan import (
    STATE_VERSION,
    STATUS_FAILED,
    STATUS_NOT_MADE,
    STATUS_RAN,
    STATUS_SKIPPED,
    JobResult,
    ReportPlan,
    plan_jobs,
    relative_to_root,
    run_languages,
    study_failure,
    up_to_date,
    write_json,
)


@dataclasses.dataclass
class RunSummary:
    """What :func:`run_reports` did; ``str()`` is the end-of-run summary."""

    results: list[JobResult]
    index: Path | None = None
    seconds: float = 0.0
    #: The index in the other language (``reports/index.en.html`` beside ``index.html``).
    other_index: Path | None = None
    #: What the run did besides reports (e.g. a study rebuilt from raw).
    notes: list[str] = dataclasses.field(default_factory=list)
    #: The PDFs printed (``run_reports(pdf=True)``), else None.
    pdf: PdfResult | None = None

    @property
    def ok(self) -> bool:
        """True when no report failed (and no PDF, when asked for)."""
        return not self.failed and not (self.pdf is not None and self.pdf.failed)

    @property
    def failed(self) -> list[JobResult]:
        """The failed reports."""
        return [r for r in self.results if r.status == STATUS_FAILED]

    @property
    def ran(self) -> list[JobResult]:
        """The reports executed in this run."""
        return [r for r in self.results if r.status == STATUS_RAN]

    @property
    def skipped(self) -> list[JobResult]:
        """The reports that were up to date."""
        return [r for r in self.results if r.status == STATUS_SKIPPED]

    @property
    def not_made(self) -> list[JobResult]:
        """The reports a study cannot have (its ``error`` says why), not asked for by name."""
        return [r for r in self.results if r.status == STATUS_NOT_MADE]

    def add_checks(
        self, notes: Iterable[str], failures: Mapping[str, str], seconds: float = 0.0
    ) -> None:
        """Put first what was found before the run, as if the run had found it.

        Parameters
        ----------
        notes : iterable of str
            What was done to the data first (e.g. a study rebuilt from raw).
        failures : mapping
            Study -> why it cannot be reported on; listed as a failed ``(study)``.
        seconds : float
            Time the checks took (added to the run's).
        """
        self.notes[:0] = list(notes)
        self.results[:0] = [study_failure(study, error) for study, error in failures.items()]
        self.seconds += seconds

    def __str__(self) -> str:
        lines = [
            f"evalkit report: {len(self.ran)} ran, {len(self.skipped)} up to date, "
            f"{len(self.failed)} failed in {self.seconds:.1f} s"
        ]
        if self.index is not None:
            also = f" (also {self.other_index.name})" if self.other_index is not None else ""
            lines.append(f"  index: {self.index}{also}")
        lines += [f"  note: {note}" for note in self.notes]
        lines += [f"  not made: {r.study}/{r.name}: {r.error}" for r in self.not_made]
        for r in self.failed:
            where = f"; executed notebook: {r.executed}" if r.executed else ""
            lines.append(f"  FAILED {r.study}/{r.name}: {r.error}{where}")
        if self.pdf is not None:
            lines += ["  " + line for line in str(self.pdf).splitlines()]
        return "\n".join(lines)


@dataclasses.dataclass(frozen=True)
class RunSettings:
    """What every report of a run shares: the project root and ``keep_code``.

    Each report's language is its plan's (:attr:`evalkit.run.plan.ReportPlan.lang`).
    """

    root: Path
    keep_code: bool = False
    #: The run's private folder of shared results (:mod:`evalkit.reporting.memo`).
    memo: Path | None = None


# --- one report ------------------------------------------------------------------------


def _run_notebook(plan: ReportPlan) -> tuple[Any, Any, str | None]:
    """Execute the plan's notebook with papermill on this thread's warm kernel.

    Returns
    -------
    nb : NotebookNode or None
        The executed notebook, when every cell ran.
    executed : NotebookNode or None
        What was executed, also when a cell failed (None when nothing ran).
    error : str or None
        Why the notebook failed.
    """
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    LOCAL.nb_man = None
    nb, error = None, None
    try:
        nb = pm.execute_notebook(
            str(plan.notebook),
            None,  # written by _save_executed, atomically, once
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
    return nb, executed, error


def _save_executed(plan: ReportPlan, executed: Any, root: Path) -> str | None:
    """Keep the executed notebook (a failed one too, for debugging); the error if that fails."""
    import nbformat

    if executed is None:
        return None
    try:
        output_path = relative_to_root(plan.executed, root)
        executed.metadata.setdefault("papermill", {})["output_path"] = output_path
        atomic_write_text(plan.executed, nbformat.writes(executed))
    except Exception as err:
        return f"writing the executed notebook failed: {type(err).__name__}: {err}"
    return None


def _write_files(plan: ReportPlan, nb: Any, lang: str) -> tuple[list[str], str | None]:
    """Write the report's figures and tables; the files written, or the error."""
    try:
        return write_outputs(plan, nb, lang), None
    except Exception as err:
        return [], f"writing figures and tables failed: {type(err).__name__}: {err}"


def _write_html(
    plan: ReportPlan,
    nb: Any,
    settings: RunSettings,
    *,
    title: str | None,
    started: dt.datetime,
    seconds: float,
) -> str | None:
    """Export the report's HTML with its provenance block; the error if that fails."""
    from evalkit.run import export

    try:
        provenance = export.build_provenance(
            processed=plan.processed,
            parameters=plan.parameters,
            notebook=relative_to_root(plan.notebook, settings.root),
            root=settings.root,
            started=started,
            seconds=seconds,
            tables=plan.tables,
        )
        export.export_html(
            nb,
            plan.html,
            provenance=provenance,
            keep_code=settings.keep_code,
            lang=plan.lang,
            title=title,
            index_href=f"../{index_file(plan.lang)}",
        )
    except Exception as err:
        return f"HTML export failed: {type(err).__name__}: {err}"
    return None


def _drop_kernel() -> None:
    """Stop this thread's warm kernel (a new one starts for the next report)."""
    warm = getattr(LOCAL, "kernel", None)
    if warm is not None:
        warm.shutdown()
        LOCAL.kernel = None


def _close_thread_loop() -> None:
    """Close the asyncio event loop the kernel clients opened on this worker thread.

    jupyter_core runs the clients' coroutines on a loop per thread and leaves it open; the
    garbage collector then closes it at some later moment with a ResourceWarning
    ("unclosed event loop"), which lands in whatever code runs then.

    Examples
    --------
    >>> import asyncio, threading
    >>> loops = []
    >>> def body():
    ...     loops.append(asyncio.new_event_loop())
    ...     asyncio.set_event_loop(loops[0])
    ...     _close_thread_loop()
    >>> thread = threading.Thread(target=body)
    >>> thread.start(); thread.join()
    >>> loops[0].is_closed()
    True
    """
    import asyncio

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # the policy API, Python 3.14
        try:
            loop = asyncio.get_event_loop_policy().get_event_loop()
        except RuntimeError:  # no loop on this thread
            return
        if not loop.is_running() and not loop.is_closed():
            loop.close()
        asyncio.set_event_loop(None)


def _state(
    plan: ReportPlan,
    *,
    error: str | None,
    headline: dict[str, Any],
    outputs: list[str],
    started: dt.datetime,
    seconds: float,
) -> dict[str, Any]:
    """The report's state file: what ran, how it went, what it wrote and recorded."""
    job, ok = plan.job, error is None
    return {
        "version": STATE_VERSION,
        "study": job.study,
        "kind": job.kind,
        "cohort_id": job.cohort_id,
        "name": job.name,
        "lang": plan.lang,
        "stem": plan.stem,
        "status": "ok" if ok else "failed",
        "error": error,
        "fingerprint": plan.fingerprint if ok else None,
        "fingerprint_parts": plan.parts,
        "html": plan.html.name if ok else None,
        "outputs": sorted(outputs) if ok else [],
        "executed": plan.executed.name,
        "parameters": plan.parameters,
        "headline": headline,
        "started": started.isoformat(timespec="seconds"),
        "seconds": round(seconds, 2),
    }


def execute_plan(plan: ReportPlan, settings: RunSettings) -> JobResult:
    """Execute one notebook on this thread's warm kernel; write its HTML and outputs.

    The steps: run the notebook, keep the executed notebook, write the figures and
    tables, export the HTML, write the state file. Every file is written atomically and
    the state file last, so a run killed at any point leaves this report either
    complete or not done (re-run next time). After a failure the report's files are
    removed and the kernel is replaced (a failed notebook may leave it in any state).
    """
    engine()
    started = dt.datetime.now(dt.UTC)
    t0 = time.perf_counter()
    nb, executed, error = _run_notebook(plan)
    save_error = _save_executed(plan, executed, settings.root)
    error = error or save_error
    headline: dict[str, Any] = {}
    outputs: list[str] = []
    if error is None and nb is not None:
        headline = recorded(nb)
        outputs, error = _write_files(plan, nb, plan.lang)
    if error is None and nb is not None:
        error = _write_html(
            plan,
            nb,
            settings,
            title=headline.get("title"),
            started=started,
            seconds=time.perf_counter() - t0,
        )
        if error is None:
            outputs.append(plan.html.name)
    seconds = time.perf_counter() - t0
    if error is not None:
        remove_outputs(plan)  # never leave a stale report behind
        _drop_kernel()
    write_json(
        plan.state,
        _state(
            plan, error=error, headline=headline, outputs=outputs, started=started, seconds=seconds
        ),
    )
    return JobResult(
        study=plan.job.study,
        name=plan.stem,
        status=STATUS_FAILED if error else STATUS_RAN,
        html=None if error else plan.html,
        executed=plan.executed if plan.executed.is_file() else None,
        seconds=seconds,
        error=error,
        headline=headline,
        lang=plan.lang,
    )


# --- workers ---------------------------------------------------------------------------


def _run_one(plan: ReportPlan, settings: RunSettings) -> JobResult:
    """Run one report on this thread's warm kernel, starting one when there is none.

    A kernel that does not start (or dies) fails this report, not the run.
    """
    try:
        if LOCAL.kernel is None or not LOCAL.kernel.alive():
            env = {} if settings.memo is None else {MEMO_ENV: str(settings.memo)}
            LOCAL.kernel = WarmKernel(settings.root, env=env)
        return execute_plan(plan, settings)
    except Exception as err:
        _drop_kernel()
        return JobResult(
            study=plan.job.study,
            name=plan.stem,
            status=STATUS_FAILED,
            executed=plan.executed if plan.executed.exists() else None,
            error=f"{type(err).__name__}: {err}",
            lang=plan.lang,
        )


def _worker(
    plans: queue.Queue[ReportPlan], results: queue.Queue[JobResult], settings: RunSettings
) -> None:
    """Thread body: own a warm kernel, run plans until the queue is empty."""
    LOCAL.kernel = None
    try:
        while True:
            try:
                plan = plans.get_nowait()
            except queue.Empty:
                return
            results.put(_run_one(plan, settings))
    finally:
        _drop_kernel()
        _close_thread_loop()


def _skip_slow_imports() -> None:
    """Keep jsonschema from importing rfc3987_syntax (~1.7 s on every run's critical path).

    jsonschema imports it when it is installed, and it compiles a grammar at import;
    the notebook schema that nbformat validates against uses none of its format checkers.
    """
    import sys

    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def _start_workers(
    pending: list[ReportPlan], workers: int, settings: RunSettings
) -> tuple[list[threading.Thread], queue.Queue[JobResult]]:
    """Queue the plans (long notebooks first) and start the worker threads."""
    todo: queue.Queue[ReportPlan] = queue.Queue()
    # Long notebooks first, so that no worker is left with one at the end; in each kind,
    # the Indonesian reports before the English ones, so that a report's twin runs after
    # it and reads its slow results back (evalkit.reporting.memo) rather than racing it.
    for plan in sorted(pending, key=lambda p: (p.job.kind == "cohort", p.lang != "id")):
        todo.put(plan)
    done: queue.Queue[JobResult] = queue.Queue()
    threads = [
        threading.Thread(
            target=_worker,
            args=(todo, done, settings),
            name=f"evalkit-report-{i}",
            daemon=True,
        )
        for i in range(workers)
    ]
    for thread in threads:
        thread.start()
    return threads, done


def _collect(
    done: queue.Queue[JobResult], threads: list[threading.Thread], total: int, progress: bool
) -> list[JobResult]:
    """Gather the workers' results as they come, with a progress bar (on stderr)."""
    from tqdm.auto import tqdm

    results: list[JobResult] = []
    with tqdm(total=total, disable=not progress, unit="report", desc="reports") as bar:
        while len(results) < total:
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


def _run_pending(
    pending: list[ReportPlan], settings: RunSettings, *, jobs: int | None, progress: bool
) -> list[JobResult]:
    """Run the reports that are not up to date on ``jobs`` workers (default: cores)."""
    _skip_slow_imports()
    workers = max(1, min(jobs or os.cpu_count() or 1, len(pending)))
    with run_folder() as memo:
        threads, done = _start_workers(pending, workers, dataclasses.replace(settings, memo=memo))
        return _collect(done, threads, len(pending), progress)


# --- the run ---------------------------------------------------------------------------


def check_arguments(*, lang: str = "id", jobs: int | None = None) -> None:
    """Check :func:`run_reports`' ``lang`` and ``jobs`` (before anything else is done).

    Raises
    ------
    ParameterError
        ``lang`` is not ``"id"``, ``"en"`` or ``"both"``, or ``jobs`` is below 1.

    Examples
    --------
    >>> check_arguments(lang="both", jobs=None)
    >>> check_arguments(lang="en", jobs=0)
    Traceback (most recent call last):
    ...
    evalkit.errors.ParameterError: run_reports: parameter 'jobs' must be >= 1, got 0
    """
    run_languages(lang)
    if jobs is not None and jobs < 1:
        raise ParameterError(f"run_reports: parameter 'jobs' must be >= 1, got {jobs!r}")


def _split_up_to_date(
    plans: list[ReportPlan], force: bool
) -> tuple[list[ReportPlan], list[JobResult]]:
    """The plans to run, and the results of those that are up to date (none if ``force``)."""
    pending: list[ReportPlan] = []
    skipped: list[JobResult] = []
    for plan in plans:
        done = None if force else up_to_date(plan)
        if done is None:
            pending.append(plan)
        else:
            skipped.append(done)
    return pending, skipped


def _write_appendices(reports: Path, plans: list[ReportPlan], lang: str) -> list[str]:
    """Each planned study's XLSX appendix and language switches; notes on what failed.

    The appendix takes each report's tables in the run's first language when that
    report succeeded in it, else in the other (:func:`evalkit.run.appendix.write_appendix`).
    """
    from evalkit.run.export import link_twins

    languages = run_languages(lang)
    prefer = (*languages, *(other for other in ("id", "en") if other not in languages))
    notes = []
    for study in dict.fromkeys(p.job.study for p in plans):
        try:
            write_appendix(reports / study, prefer=prefer)
        except Exception as err:  # the reports themselves are fine
            notes.append(f"{study}: tables.xlsx not written: {type(err).__name__}: {err}")
        try:
            link_twins(reports / study)
        except OSError as err:
            notes.append(f"{study}: language switches not written: {err}")
    return notes


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
    root: Path | None = None,
    wait: bool = True,
    pdf: bool = False,
) -> RunSummary:
    """Execute the report notebooks of ``studies`` and export HTML; write the index.

    The processed data is read as it is: ``evalkit report`` makes it current first
    (:func:`evalkit.data.freshness.ensure_current`); a notebook reading a corrupt
    table fails with the reason.

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
    lang : {"id", "en", "both"}
        Language of the reports: Indonesian (``<report>.html``), English
        (``<report>.en.html``) or both, each with its own fingerprint and state file.
    root : Path, optional
        The project root (default: :func:`evalkit.paths.project_root`).
    wait : bool, default True
        While another run holds a study's lock (:func:`study_locks`), wait, saying so
        once; if False raise :class:`~evalkit.errors.LockedError`.
    pdf : bool, default False
        Also print every report of the run to PDF beside its HTML
        (:func:`evalkit.run.pdf.print_reports`; a PDF newer than its HTML is kept unless
        ``force``). Needs Chromium or Chrome (:func:`evalkit.run.pdf.find_browser`).

    Returns
    -------
    RunSummary
        ``summary.ok`` is False when any report failed; ``str(summary)`` names each
        failure and its executed notebook.

    Raises
    ------
    ParameterError
        Unknown kind, a kind without notebook, a cohort found in no study, bad ``jobs``
        or ``lang``; ``pdf`` without a browser (before any report runs).
    LockedError
        Another run holds a study's lock and ``wait`` is False.
    """
    from evalkit.paths import project_root

    check_arguments(lang=lang, jobs=jobs)
    browser = find_browser() if pdf else None
    root = project_root() if root is None else Path(root)
    with terminate_cleanly(), study_locks(studies, root=root, wait=wait):
        return _run_locked(studies, cohorts, kinds, force=force, jobs=jobs, keep_code=keep_code,
                           progress=progress, lang=lang, root=root, browser=browser)  # fmt: skip


def study_locks(
    studies: Iterable[str], *, root: Path, wait: bool = True, timeout: float | None = None
) -> contextlib.ExitStack:
    """Hold the lock of every study's processed folder (sorted, so two runs cannot deadlock).

    Re-entrant: ``evalkit report`` takes them before making the data current, and
    :func:`run_reports` takes them again at no cost. Waiting is said once on stderr;
    ``timeout`` bounds the wait for each study's lock (:func:`evalkit.io.lock.folder_lock`).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     with study_locks(["b", "a"], root=Path(tmp)):
    ...         sorted(p.name for p in (Path(tmp) / "data" / "processed").iterdir())
    ['.a.lock', '.b.lock']
    """
    from evalkit.paths import processed_dir

    stack = contextlib.ExitStack()
    try:
        for study in sorted(set(studies)):
            stack.enter_context(
                folder_lock(
                    processed_dir(study, root),
                    wait=wait,
                    label=f"study {study}",
                    notify=_say,
                    timeout=timeout,
                )  # fmt: skip
            )
    except BaseException:
        stack.close()
        raise
    return stack


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _run_locked(
    studies: list[str], cohorts: list[str] | None, kinds: list[str] | None, *, force: bool,
    jobs: int | None, keep_code: bool, progress: bool, lang: str, root: Path,
    browser: str | None = None,
) -> RunSummary:  # fmt: skip
    from evalkit.paths import reports_dir

    t0 = time.perf_counter()
    settings = RunSettings(root=root, keep_code=keep_code)
    reports = reports_dir(root)
    plans, results = plan_jobs(
        list(dict.fromkeys(studies)),
        cohorts,
        kinds,
        root=root,
        reports=reports,
        lang=lang,
        keep_code=keep_code,
    )
    pending, skipped = _split_up_to_date(plans, force)
    results += skipped
    swept = sweep_stale_folders() if pending else []
    if pending:
        results += _run_pending(pending, settings, jobs=jobs, progress=progress)
    order = {(p.job.study, p.stem): i for i, p in enumerate(plans)}
    results.sort(key=lambda r: order.get((r.study, r.name), -1))
    notes = _write_appendices(reports, plans, lang)
    if swept:
        kernels = sum(f.name.startswith(FOLDER_PREFIX) for f in swept)
        what = [f"{kernels} kernel folder(s)"] if kernels else []
        what += [f"{len(swept) - kernels} run folder(s)"] if len(swept) > kernels else []
        notes.append(
            f"removed {' and '.join(what)} left in {swept[0].parent} by runs that were "
            "killed (evalkit-kernel-*, evalkit-run-*)"
        )
    pdfs = None
    if browser is not None:  # before the index, which links each report's PDF
        pdfs = print_reports([p.html for p in plans], browser=browser, jobs=jobs, force=force,
                             progress=progress)  # fmt: skip
    first = run_languages(lang)[0]
    indexes = {
        language: write_index(reports, lang=language, root=root) for language in ("id", "en")
    }
    return RunSummary(
        results=results,
        index=indexes.pop(first),
        other_index=next(iter(indexes.values())),
        seconds=time.perf_counter() - t0,
        notes=notes,
        pdf=pdfs,
    )
