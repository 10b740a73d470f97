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
their ``manifest.json`` (:func:`evalkit.io.check_processed`). A corrupt or truncated
table is not read as truth: the study is rebuilt from ``data/raw/<study>`` once
(:func:`evalkit.clean.clean_study`), which the run summary says; without raw data, or if
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
The HTML export also runs in-process (:mod:`evalkit.html`).

A report is **not re-run** when its fingerprint is unchanged: the SHA-256 of the
processed tables (and of the raw inputs listed in the manifest), the parameters, and
the code (the notebook and every evalkit source file). ``force=True`` re-runs. A
no-op run only hashes files and rewrites the index; it imports neither papermill nor
nbconvert.

Notebooks record their headline numbers with :func:`record`; the runner reads them
from the executed notebook for the index.

Examples
--------
>>> job = Job(study="demo", kind="cohort", cohort_id="C01")
>>> job.name, job.notebook_name
('cohort-C01', 'cohort_report.ipynb')
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import html as _html
import json
import math
import os
import queue
import re
import threading
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from evalkit import __version__
from evalkit.constants import SEED
from evalkit.errors import ParameterError
from evalkit.html import TABLE_MIMETYPE
from evalkit.io import atomic_write_bytes, atomic_write_text, sha256

#: kind -> (notebook file, one report per cohort?)
KINDS: dict[str, tuple[str, bool]] = {
    "cohort": ("cohort_report.ipynb", True),
    "overview": ("program_overview.ipynb", False),
    "impact": ("impact_study.ipynb", False),
}
#: Tables a kind needs; a study without them gets no report of that kind.
KIND_REQUIRES: dict[str, tuple[str, ...]] = {
    "cohort": ("cohorts.parquet",),
    "overview": ("cohorts.parquet",),
    "impact": ("ikm.parquet",),
}
KERNEL_NAME = "python3"
#: Seconds a single cell may run before the notebook is failed.
CELL_TIMEOUT = 600
#: Bump when the layout of the state files or reports changes.
STATE_VERSION = 2
RECORD_MIMETYPE = "application/vnd.evalkit.record+json"
#: Largest displayed table (in cells) copied for the CSV/XLSX appendix.
TABLE_MAX_CELLS = 200_000

_STATUS_RAN, _STATUS_SKIPPED, _STATUS_FAILED = "ran", "up to date", "failed"


# --- recording headline numbers (called inside notebooks) ---------------------------


def _jsonable(value: Any) -> Any:
    """Convert numpy/pandas scalars and containers to plain JSON values (NaN -> None)."""
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if hasattr(value, "to_dict") and not isinstance(value, type):
        return _jsonable(value.to_dict())
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "item") and callable(value.item):
        try:
            value = value.item()
        except (ValueError, TypeError):
            return str(value)
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return str(value)


def record(values: Mapping[str, Any] | None = None, /, **more: Any) -> None:
    """Record headline numbers of a report in the executed notebook.

    The values are displayed under the ``application/vnd.evalkit.record+json``
    mimetype: invisible in the HTML report, kept in the executed notebook, read back by
    the runner (for ``reports/index.html``) and by the tests (which compare them with
    direct evalkit calls). Numpy and pandas values become plain JSON; NaN becomes null.

    Parameters
    ----------
    values : mapping, optional
        Names and values to record.
    **more
        More names and values.

    Examples
    --------
    Outside a kernel nothing is displayed; what would be recorded:

    >>> _jsonable({"n": 3, "mean": float("nan")})
    {'n': 3, 'mean': None}
    """
    data = _jsonable({**(values or {}), **more})
    try:
        from IPython import get_ipython
        from IPython.display import display

        if get_ipython() is not None:
            display({RECORD_MIMETYPE: data}, raw=True)
    except ImportError:  # pragma: no cover - IPython is a dependency of ipykernel
        pass


def record_table(frame: Any, name: str) -> None:
    """Keep a numeric result table for the report's appendix, without showing it.

    The tables a report displays are formatted for reading (decimal commas, "< 5");
    colleagues who re-analyse in Excel or SPSS want the numbers. ``record_table``
    stores ``frame`` under the :data:`TABLE_MIMETYPE` (invisible in the HTML); the
    runner writes it to ``reports/<study>/tables/<report>-<name>.csv`` and as a sheet
    of the study's ``tables.xlsx``. Outside a kernel nothing happens.

    Parameters
    ----------
    frame : DataFrame or Series
        A tidy result (aggregates only: never participant-level rows); a Series is
        kept as one row.
    name : str
        Lower-case name of the table, e.g. ``"scale_scores"`` (letters, digits, ``_``).

    Examples
    --------
    >>> import pandas as pd
    >>> record_table(pd.DataFrame({"n": [3]}), "counts")  # no kernel: nothing shown
    >>> record_table(pd.DataFrame({"n": [3]}), "Bad name")
    Traceback (most recent call last):
    ...
    evalkit.errors.ParameterError: record_table: parameter 'name' must be lower-case letters, digits and '_' starting with a letter, got 'Bad name'
    """
    if not isinstance(name, str) or not _TABLE_NAME.fullmatch(name):
        raise ParameterError(
            "record_table: parameter 'name' must be lower-case letters, digits and '_' "
            f"starting with a letter, got {name!r}"
        )
    import pandas as pd

    if isinstance(frame, pd.Series):  # a one-row result, e.g. paired_change without by=
        frame = frame.to_frame().T
    payload = table_payload(frame)
    if payload is None:
        return
    try:
        from IPython import get_ipython
        from IPython.display import display

        if get_ipython() is not None:
            display({TABLE_MIMETYPE: {**payload, "name": name}}, raw=True)
    except ImportError:  # pragma: no cover - IPython is a dependency of ipykernel
        pass


_TABLE_NAME = re.compile(r"[a-z][a-z0-9_]*")


def recorded(nb: Any) -> dict[str, Any]:
    """The values a notebook recorded with :func:`record`, merged in cell order.

    Examples
    --------
    >>> import nbformat
    >>> out = nbformat.v4.new_output("display_data", data={RECORD_MIMETYPE: {"n": 5}})
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[out])])
    >>> recorded(nb)
    {'n': 5}
    """
    values: dict[str, Any] = {}
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            data = out.get("data", {}).get(RECORD_MIMETYPE)
            if isinstance(data, Mapping):
                values.update(data)
    return values


# --- what the warm kernel adds to displayed figures and tables ------------------------


def _cell_value(value: Any) -> Any:
    """One table cell as a JSON scalar (containers become JSON text)."""
    value = _jsonable(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def table_payload(frame: Any) -> dict[str, Any] | None:
    """A displayed DataFrame as plain JSON: ``{"columns": [...], "data": [[...], ...]}``.

    The index becomes leading columns (unnamed levels are called ``label``,
    ``label_2``, ...) unless it is the default range index; column labels of a
    column MultiIndex are joined with `` / ``; repeated names get ``_2``, ``_3``.
    Values become JSON scalars (NaN -> null). Tables over :data:`TABLE_MAX_CELLS`
    cells, and anything that is not a DataFrame, give None.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"n": [3, 4]}, index=pd.Index(["a", "b"], name="item"))
    >>> table_payload(frame)
    {'columns': ['item', 'n'], 'data': [['a', 3], ['b', 4]]}
    >>> table_payload(pd.DataFrame({"x": [1.5, float("nan")]}))
    {'columns': ['x'], 'data': [[1.5], [None]]}
    """
    try:
        import pandas as pd

        if not isinstance(frame, pd.DataFrame) or frame.size > TABLE_MAX_CELLS:
            return None
        index = frame.index
        plain = isinstance(index, pd.RangeIndex) and index.name is None
        head: list[str] = []
        if not plain:
            head = [
                str(name) if name not in (None, "") else ("label" if i == 0 else f"label_{i + 1}")
                for i, name in enumerate(index.names)
            ]
        head += [" / ".join(map(str, c)) if isinstance(c, tuple) else str(c) for c in frame.columns]
        columns: list[str] = []
        for name in head:
            unique, n = name, 1
            while unique in columns:
                n += 1
                unique = f"{name}_{n}"
            columns.append(unique)
        rows = []
        for key, values in zip(index, frame.itertuples(index=False, name=None), strict=True):
            keys = [] if plain else list(key) if isinstance(key, tuple) else [key]
            rows.append([_cell_value(v) for v in (*keys, *values)])
        return {"columns": columns, "data": rows}
    except Exception:  # a table the appendix cannot hold must not break the report
        return None


def figure_svg(fig: Any) -> str | None:
    """An evalkit figure as SVG text, deterministic (fixed hash salt, no date).

    Drawn with the figure's own style (:data:`evalkit.figures.STYLE`), like its PNG.
    """
    try:
        import io

        import matplotlib as mpl

        from evalkit import figures

        buffer = io.BytesIO()
        with mpl.rc_context({**getattr(figures, "STYLE", {}), "svg.hashsalt": "evalkit"}):
            fig.savefig(buffer, format="svg", metadata={"Date": None})
        return buffer.getvalue().decode("utf-8")
    except Exception:  # the PNG is still shown; only the SVG file is missing
        return None


def kernel_formatters() -> None:
    """Make the kernel render an SVG of evalkit figures and a JSON copy of DataFrames.

    Adds an ``image/svg+xml`` rendering to :class:`evalkit.figures.ReportFigure` and a
    :data:`TABLE_MIMETYPE` formatter for DataFrames, so that the runner finds both in
    the executed notebook. Runs inside a kernel; harmless elsewhere.
    """
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None:
        return
    formatters = shell.display_formatter.formatters
    try:
        from evalkit.figures import ReportFigure

        formatters["image/svg+xml"].for_type(ReportFigure, figure_svg)
    except ImportError:
        pass
    if TABLE_MIMETYPE not in formatters:
        from IPython.core.formatters import BaseFormatter
        from traitlets import ObjectName, Unicode

        class TableFormatter(BaseFormatter):
            format_type = Unicode(TABLE_MIMETYPE)
            print_method = ObjectName("_repr_evalkit_table_")
            _return_type = (dict,)

        formatters[TABLE_MIMETYPE] = TableFormatter(parent=shell.display_formatter)
    import pandas as pd

    formatters[TABLE_MIMETYPE].for_type(pd.DataFrame, table_payload)


# --- kernel state reset (called inside the kernel) ------------------------------------

_SNAPSHOT: dict[str, Any] = {}


def kernel_snapshot() -> None:
    """Remember the kernel's state after warm-up; :func:`kernel_reset` returns to it.

    Runs inside a kernel; harmless elsewhere.
    """
    import random
    import sys
    import warnings

    _SNAPSHOT.clear()
    _SNAPSHOT.update(
        cwd=os.getcwd(),
        path=list(sys.path),
        environ=dict(os.environ),
        filters=list(warnings.filters),
        argv=list(sys.argv),
    )
    random.seed(SEED)
    if "matplotlib" in sys.modules:
        import matplotlib

        _SNAPSHOT["rc"] = dict(matplotlib.rcParams)
    if "pandas" in sys.modules:
        import copy

        from pandas._config import config as pd_config

        _SNAPSHOT["pandas_options"] = copy.deepcopy(pd_config._global_config)
    if "numpy" in sys.modules:
        import numpy as np

        np.random.seed(SEED % 2**32)  # noqa: NPY002 - the legacy global state
        _SNAPSHOT["np_state"] = np.random.get_state()  # noqa: NPY002
    _SNAPSHOT["random_state"] = random.getstate()


def kernel_reset() -> None:
    """Return a warm kernel to its post-warm-up state before the next notebook.

    Clears the IPython user namespace and history (the execution counter restarts at
    1), closes figures, restores matplotlib's rcParams, pandas options, warning
    filters (and forgets which warnings were already shown), the working directory,
    ``sys.path``, ``sys.argv``, the environment and the random states. Imported
    modules are kept.
    """
    import gc
    import random
    import sys
    import warnings

    from IPython import get_ipython

    shell = get_ipython()
    if shell is not None:
        shell.reset(new_session=True)
    if not _SNAPSHOT:
        return
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
    if "rc" in _SNAPSHOT and "matplotlib" in sys.modules:
        import matplotlib

        dict.update(matplotlib.rcParams, _SNAPSHOT["rc"])
    if "pandas_options" in _SNAPSHOT:
        import copy

        from pandas._config import config as pd_config

        # pd.reset_option("all") takes ~0.1 s; comparing the option tree is instant
        if pd_config._global_config != _SNAPSHOT["pandas_options"]:
            pd_config._global_config.clear()
            pd_config._global_config.update(copy.deepcopy(_SNAPSHOT["pandas_options"]))
    warnings.filters[:] = _SNAPSHOT["filters"]
    warnings._filters_mutated()  # forget the "already shown once" registries
    os.chdir(_SNAPSHOT["cwd"])
    sys.path[:] = _SNAPSHOT["path"]
    sys.argv[:] = _SNAPSHOT["argv"]
    if dict(os.environ) != _SNAPSHOT["environ"]:
        os.environ.clear()
        os.environ.update(_SNAPSHOT["environ"])
    random.setstate(_SNAPSHOT["random_state"])
    if "np_state" in _SNAPSHOT:
        import numpy as np

        np.random.set_state(_SNAPSHOT["np_state"])  # noqa: NPY002
    gc.collect()


#: Code run once in each new kernel: import what the notebooks use, render one
#: figure (loads the font cache), then snapshot the state.
WARM_UP = """
import importlib as _il
for _m in ("numpy", "pandas", "pyarrow.parquet", "matplotlib", "IPython.display",
           "evalkit", "evalkit.io", "evalkit.figures", "evalkit.narrative", "evalkit.report",
           *sorted({"evalkit." + _v for _v in __import__("evalkit")._API.values()})):
    try:
        _il.import_module(_m)
    except Exception:  # a broken module fails the notebooks that use it, not the kernel
        pass
try:
    from evalkit import figures as _f
    _f.to_png(_f.likert_bars(__import__("pandas").DataFrame({"item": ["a"], "score": [3]}),
                             scale_max=5))
    del _f
except Exception:
    pass
try:
    __import__("evalkit.report").report.kernel_formatters()
except Exception:  # reports still run; only their SVG and table files are missing
    pass
__import__("evalkit.report").report.kernel_snapshot()
"""
RESET = '__import__("evalkit.report").report.kernel_reset()'


# --- jobs, fingerprints, state ---------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Job:
    """One report to produce: a notebook kind for a study (and a cohort)."""

    study: str
    kind: str
    cohort_id: str | None = None

    @property
    def name(self) -> str:
        """File stem of the report, e.g. ``cohort-C01`` or ``overview``."""
        return f"{self.kind}-{self.cohort_id}" if self.cohort_id is not None else self.kind

    @property
    def notebook_name(self) -> str:
        """File name of the notebook under ``notebooks/``."""
        return KINDS[self.kind][0]


@dataclasses.dataclass
class JobResult:
    """Outcome of one report: ``status`` is ``ran``, ``up to date`` or ``failed``."""

    study: str
    name: str
    status: str
    html: Path | None = None
    executed: Path | None = None
    seconds: float = 0.0
    error: str | None = None
    headline: dict[str, Any] = dataclasses.field(default_factory=dict)


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


def _sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def input_tables(processed: Path) -> list[dict[str, str]]:
    """The processed files a report reads, with their SHA-256 (manifest excluded).

    The manifest is left out because it carries the time of cleaning: re-cleaning
    unchanged raw data gives identical tables and must not re-run the reports.
    """
    if not processed.is_dir():
        return []
    return [
        {"file": p.name, "sha256": sha256(p)}
        for p in sorted(processed.iterdir())
        if p.is_file() and p.name != "manifest.json" and not p.name.startswith(".")
    ]


def code_hash(notebook: Path) -> str:
    """SHA-256 over the notebook and every evalkit source file."""
    digest = hashlib.sha256(notebook.read_bytes())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".yaml", ".j2") and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(package)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _fingerprint(parts: Mapping[str, Any]) -> str:
    return _sha256_bytes(json.dumps(parts, sort_keys=True, default=str).encode())


def _state_path(reports: Path, job: Job) -> Path:
    return reports / job.study / "_executed" / f"{job.name}.json"


def _read_state(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _write_json(path: Path, data: Any) -> None:

    atomic_write_text(path, json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False))


def _relative(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` when it lies under it (symlinks not followed)."""
    for a, b in (
        (path, root),
        (path.absolute(), root.absolute()),
        (path.resolve(), root.resolve()),
    ):
        try:
            return a.relative_to(b).as_posix()
        except ValueError:
            continue
    return str(path)


def _cohort_ids(processed: Path) -> list[str]:
    import pyarrow.parquet as pq

    table = pq.read_table(processed / "cohorts.parquet", columns=["cohort_id"])
    return sorted({str(v) for v in table.column("cohort_id").to_pylist() if v is not None})


# --- the warm kernel and the papermill engine ------------------------------------------

_LOCAL = threading.local()


class WarmKernel:
    """A kernel started once and reused for many notebooks, reset in between."""

    def __init__(self, cwd: Path, kernel_name: str = KERNEL_NAME) -> None:
        import tempfile

        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        self._run_sync = run_sync
        self.cwd = cwd
        # IPC sockets in a folder only this user can enter (mkdtemp: mode 0700), rather
        # than unencrypted TCP on localhost (which ipykernel warns about at every start).
        self.folder = Path(tempfile.mkdtemp(prefix="evalkit-kernel-"))
        self.km = AsyncKernelManager(
            kernel_name=kernel_name,
            transport="ipc",
            connection_file=str(self.folder / "kernel.json"),
        )
        try:
            run_sync(self.km.start_kernel)(
                cwd=str(cwd), extra_arguments=["--HistoryManager.hist_file=:memory:"]
            )
        except BaseException:
            self._remove_folder()
            raise
        self.kc = self.km.client()
        self.kc.start_channels()
        self.ready = False

    def _remove_folder(self) -> None:
        import shutil

        for _ in range(20):  # a kernel still closing its sockets may add a file meanwhile
            shutil.rmtree(self.folder, ignore_errors=True)
            if not self.folder.exists():
                return
            time.sleep(0.05)

    def _execute(self, code: str, timeout: float = 120) -> None:
        reply = self._run_sync(self.kc.execute_interactive)(
            code,
            silent=True,
            store_history=False,
            timeout=timeout,
            output_hook=lambda msg: None,
        )
        content = reply.get("content", {})
        if content.get("status") != "ok":
            raise RuntimeError(
                f"kernel set-up failed: {content.get('ename')}: {content.get('evalue')}"
            )

    def warm_up(self) -> None:
        """Wait until the kernel answers, import the stack, snapshot its state."""
        if not self.ready:
            self._run_sync(self.kc.wait_for_ready)(timeout=120)
            self._execute(WARM_UP)
            self.ready = True

    def reset(self) -> None:
        """Return the kernel to its post-warm-up state (see :func:`kernel_reset`)."""
        self.warm_up()
        self._execute(RESET)

    def alive(self) -> bool:
        """True while the kernel process runs."""
        return bool(self._run_sync(self.km.is_alive)())

    def shutdown(self) -> None:
        """Stop the kernel."""
        try:
            self.kc.stop_channels()
            self._run_sync(self.km.shutdown_kernel)(now=True)
        except Exception:  # best effort at the end of a run
            pass
        finally:
            self._remove_folder()


def _make_engine() -> type:
    """Build (once) the papermill engine that executes on the thread's warm kernel."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.utils import merge_kwargs, remove_args

    class WarmKernelEngine(NBClientEngine):
        """Papermill engine running notebooks on the calling thread's warm kernel."""

        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man: Any,
            kernel_name: str,
            log_output: bool = False,
            stdout_file: Any = None,
            stderr_file: Any = None,
            start_timeout: int = 60,
            execution_timeout: int | None = None,
            **kwargs: Any,
        ) -> Any:
            warm: WarmKernel = _LOCAL.kernel
            warm.reset()
            _LOCAL.nb_man = nb_man
            kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
            final = merge_kwargs(
                kwargs,
                timeout=execution_timeout or CELL_TIMEOUT,
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
            )
            client = PapermillNotebookClient(nb_man, km=warm.km, **final)
            client.kc = warm.kc
            return client.execute()

    papermill_engines.register("evalkit", WarmKernelEngine)
    return WarmKernelEngine


_ENGINE_LOCK = threading.Lock()
_ENGINE: type | None = None


def _engine() -> type:
    global _ENGINE
    with _ENGINE_LOCK:
        if _ENGINE is None:
            _ENGINE = _make_engine()
    return _ENGINE


# --- running one job -------------------------------------------------------------------


@dataclasses.dataclass
class _Plan:
    job: Job
    notebook: Path
    parameters: dict[str, Any]
    fingerprint: str
    parts: dict[str, str]
    html: Path
    executed: Path
    state: Path
    tables: list[dict[str, str]]
    processed: Path


_HEADING_LINE = re.compile(r"^#{1,6}\s+(.+?)\s*$", re.M)


def _joined(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def report_outputs(nb: Any, lang: str = "id") -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The figures and tables an executed notebook shows, in order.

    Figures are outputs with an ``image/png`` (and, from a warm kernel, an
    ``image/svg+xml``); tables are the :data:`TABLE_MIMETYPE` copies of displayed
    DataFrames. Each table carries the ``section``: the last heading shown before it in
    the report's language (markdown cells tagged for the other language are skipped).

    Returns
    -------
    figures : list of dict
        ``png`` (bytes) and ``svg`` (str or None).
    tables : list of dict
        ``section``, ``columns`` and ``data`` (rows).

    Examples
    --------
    >>> import nbformat
    >>> v4 = nbformat.v4
    >>> out = v4.new_output("display_data", data={TABLE_MIMETYPE: {"columns": ["n"],
    ...                                                           "data": [[5]]}})
    >>> nb = v4.new_notebook(cells=[v4.new_markdown_cell("## Profil"),
    ...                             v4.new_code_cell(outputs=[out])])
    >>> report_outputs(nb)
    ([], [{'section': 'Profil', 'columns': ['n'], 'data': [[5]]}])
    """
    import base64

    other = {f"lang-{code}" for code in ("id", "en") if code != lang}
    figures: list[dict[str, Any]] = []
    tables: list[dict[str, Any]] = []
    section = ""
    for cell in nb.get("cells", []):
        if other & set(cell.get("metadata", {}).get("tags", [])):
            continue
        if cell.get("cell_type") == "markdown":
            headings = _HEADING_LINE.findall(_joined(cell.get("source", "")))
            section = headings[-1].strip() if headings else section
            continue
        if cell.get("cell_type") != "code":
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") not in ("display_data", "execute_result"):
                continue
            data = out.get("data", {})
            if "text/markdown" in data:
                headings = _HEADING_LINE.findall(_joined(data["text/markdown"]))
                section = headings[-1].strip() if headings else section
            if "image/png" in data:
                svg = data.get("image/svg+xml")
                figures.append(
                    {
                        "png": base64.b64decode(_joined(data["image/png"])),
                        "svg": _joined(svg) if svg else None,
                    }
                )
            table = data.get(TABLE_MIMETYPE)
            if isinstance(table, Mapping) and isinstance(table.get("columns"), list):
                entry = {
                    "section": section,
                    "columns": list(table["columns"]),
                    "data": list(table.get("data") or []),
                }
                if table.get("name"):
                    entry["name"] = str(table["name"])
                tables.append(entry)
    return figures, tables


def _table_keys(tables: list[Mapping[str, Any]]) -> list[str]:
    """File keys of a report's tables: a recorded table's name; a shown table's place
    among the shown tables (1, 2, ...), whatever result tables stand between them."""
    keys, shown = [], 0
    for table in tables:
        if table.get("name"):
            keys.append(str(table["name"]))
        else:
            shown += 1
            keys.append(str(shown))
    return keys


def _own_files(folder: Path, name: str) -> list[Path]:
    """Figures and table files of report ``name`` under its study ``folder``."""
    figure = re.compile(rf"{re.escape(name)}-\d+\.(?:png|svg)")
    table = re.compile(rf"{re.escape(name)}-(?:\d+|{_TABLE_NAME.pattern})\.csv")
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


def _tables_path(executed: Path) -> Path:
    """Where a report's tables are kept as JSON (for the study's XLSX appendix)."""
    return executed.parent / "tables" / (executed.name.removesuffix(".ipynb") + ".json")


def _write_outputs(plan: _Plan, nb: Any, lang: str) -> list[str]:
    """Write the report's figures (PNG, SVG) and tables (CSV, JSON); drop stale ones.

    Returns the files written, relative to the study's report folder.
    """
    import pandas as pd

    from evalkit.exports import write_csv

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

    from evalkit import html as ekhtml

    _engine()
    job = plan.job
    started = dt.datetime.now(dt.UTC)
    t0 = time.perf_counter()
    error: str | None = None
    nb = None
    _LOCAL.nb_man = None
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
        nb_man = getattr(_LOCAL, "nb_man", None)
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
        warm = getattr(_LOCAL, "kernel", None)
        if warm is not None:  # a failed notebook may leave the kernel in any state
            warm.shutdown()
            _LOCAL.kernel = None
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
    _LOCAL.kernel = None
    try:
        while True:
            try:
                plan = plans.get_nowait()
            except queue.Empty:
                return
            try:
                if _LOCAL.kernel is None or not _LOCAL.kernel.alive():
                    _LOCAL.kernel = WarmKernel(root)
                results.put(_execute(plan, root=root, keep_code=keep_code, lang=lang))
            except Exception as err:  # e.g. the kernel did not start
                if _LOCAL.kernel is not None:
                    _LOCAL.kernel.shutdown()
                    _LOCAL.kernel = None
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
        if _LOCAL.kernel is not None:
            _LOCAL.kernel.shutdown()
            _LOCAL.kernel = None


# --- planning and the public entry point ----------------------------------------------


def _plan_jobs(
    studies: list[str],
    cohorts: list[str] | None,
    kinds: list[str] | None,
    *,
    root: Path,
    reports: Path,
    lang: str,
    keep_code: bool,
) -> tuple[list[_Plan], list[JobResult]]:
    """Every report to consider, with its fingerprint; plus study-level failures."""
    notebooks = root / "notebooks"
    if kinds is None:
        wanted = (
            ["cohort"] if cohorts else [k for k in KINDS if (notebooks / KINDS[k][0]).is_file()]
        )
    else:
        unknown = sorted(set(kinds) - set(KINDS))
        if unknown:
            raise ParameterError(
                f"run_reports: parameter 'kinds' has unknown kind(s) {unknown}; "
                f"allowed: {list(KINDS)}"
            )
        wanted = list(dict.fromkeys(kinds))
        missing = [k for k in wanted if not (notebooks / KINDS[k][0]).is_file()]
        if missing:
            raise ParameterError(
                f"run_reports: no notebook for kind(s) {missing} "
                f"(expected {[str(notebooks / KINDS[k][0]) for k in missing]})"
            )
    codes = {k: code_hash(notebooks / KINDS[k][0]) for k in wanted}
    plans: list[_Plan] = []
    failures: list[JobResult] = []
    seen_cohorts: set[str] = set()
    for study in studies:
        processed = root / "data" / "processed" / study
        if not (processed / "cohorts.parquet").is_file():
            failures.append(
                JobResult(
                    study=study,
                    name="(study)",
                    status=_STATUS_FAILED,
                    error=_missing_cohorts(root, study),
                )
            )
            continue
        tables = input_tables(processed)
        from evalkit.html import manifest_inputs

        inputs = {"tables": tables, "raw": manifest_inputs(processed)}
        for kind in wanted:
            if not all((processed / t).is_file() for t in KIND_REQUIRES[kind]):
                continue
            if KINDS[kind][1]:
                ids = _cohort_ids(processed)
                if cohorts:
                    ids = [c for c in ids if c in cohorts]
                seen_cohorts.update(ids)
                jobs = [Job(study, kind, c) for c in ids]
            else:
                jobs = [Job(study, kind)]
            for job in jobs:
                parameters: dict[str, Any] = {
                    "study": study,
                    "lang": lang,
                    "processed_dir": _relative(processed, root),
                }
                if job.cohort_id is not None:
                    parameters["cohort_id"] = job.cohort_id
                parts = {
                    "inputs": _fingerprint(inputs),
                    "parameters": _fingerprint(parameters),
                    "code": codes[kind],
                    "options": _fingerprint(
                        {"version": STATE_VERSION, "evalkit": __version__, "keep_code": keep_code}
                    ),
                }
                folder = reports / study
                plans.append(
                    _Plan(
                        job=job,
                        notebook=notebooks / job.notebook_name,
                        parameters=parameters,
                        fingerprint=_fingerprint(parts),
                        parts=parts,
                        html=folder / f"{job.name}.html",
                        executed=folder / "_executed" / f"{job.name}.ipynb",
                        state=_state_path(reports, job),
                        tables=tables,
                        processed=processed,
                    )
                )
    if cohorts:
        unknown = sorted(set(cohorts) - seen_cohorts)
        if unknown:
            raise ParameterError(
                f"run_reports: cohort(s) {unknown} not found in the cohorts table of "
                f"study/studies {studies}"
            )
    return plans, failures


def _up_to_date(plan: _Plan) -> JobResult | None:
    state = _read_state(plan.state)
    folder = plan.html.parent
    if (
        state
        and state.get("status") == "ok"
        and state.get("fingerprint") == plan.fingerprint
        and plan.html.is_file()
        and all((folder / name).is_file() for name in state.get("outputs") or [])
    ):
        return JobResult(
            study=plan.job.study,
            name=plan.job.name,
            status=_STATUS_SKIPPED,
            html=plan.html,
            executed=plan.executed,
            headline=state.get("headline") or {},
        )
    return None


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


#: The study's XLSX appendix, its headline CSV, and the stamp of what they were built from.
APPENDIX = "tables.xlsx"
_APPENDIX_STAMP = "appendix.sha256"


def write_appendix(folder: Path) -> Path | None:
    """Write a study's XLSX appendix from the tables of its reports.

    ``<folder>/tables.xlsx`` holds a README sheet (study, source, privacy, and what each
    sheet holds), a ``headline`` sheet (report, key, value: the numbers every report
    recorded) and one sheet per table a report displayed (``<report>-<n>``, the same
    table as ``tables/<report>-<n>.csv``). ``tables/headline.csv`` holds the headline
    sheet. Built from the state and table files of the reports that succeeded; rewritten
    only when they changed (a stamp in ``_executed/`` remembers their SHA-256), so the
    same reports give the same bytes.

    Returns
    -------
    Path or None
        The workbook, or None when the study has no successful report (any old
        workbook is removed then).
    """
    import pandas as pd

    from evalkit.exports import sheet_names, write_csv, write_xlsx

    executed = folder / "_executed"
    kind_order = {k: n for n, k in enumerate(KINDS)}
    states = [
        s
        for s in map(_read_state, sorted(executed.glob("*.json")))
        if s and s.get("status") == "ok" and s.get("html") and (folder / s["html"]).is_file()
    ]
    states.sort(
        key=lambda s: (
            kind_order.get(s.get("kind"), 9),
            str(s.get("cohort_id")),
            str(s.get("name")),
        )
    )
    entries = []
    for state in states:
        tables_file = _tables_path(executed / f"{state['name']}.ipynb")
        tables = (_read_state(tables_file) or {}).get("tables") or []
        entries.append((str(state["name"]), state.get("headline") or {}, tables))
    xlsx, headline_csv = folder / APPENDIX, folder / "tables" / "headline.csv"
    stamp = executed / _APPENDIX_STAMP
    if not entries:
        for path in (xlsx, headline_csv, stamp):
            path.unlink(missing_ok=True)
        return None
    digest = _fingerprint({"version": STATE_VERSION, "entries": entries})
    try:
        same = stamp.read_text(encoding="utf-8").strip() == digest
    except OSError:
        same = False
    if same and xlsx.is_file() and headline_csv.is_file():
        return xlsx
    headline = pd.DataFrame(
        [
            {"report": name, "key": str(key), "value": _cell_value(value)}
            for name, values, _tables in entries
            for key, value in values.items()
        ],
        columns=["report", "key", "value"],
    )
    keys, frames, described = ["headline"], [headline], ["numbers each report recorded"]
    for name, _values, tables in entries:
        for table_key, table in zip(_table_keys(tables), tables, strict=True):
            key = f"{name}-{table_key}"
            keys.append(key)
            frames.append(pd.DataFrame(table["data"], columns=table["columns"]))
            kind = "numbers" if table.get("name") else "as shown"
            described.append(f"{name}: {table.get('section') or '-'}, {kind} (tables/{key}.csv)")
    sheets = sheet_names(["README", *keys])[1:]
    notes = {
        "study": folder.name,
        "source": f"reports/{folder.name} (evalkit report {__version__}): the tables each "
        "report shows (as shown) and its result tables (numbers)",
        "privacy": "no names, NIPs or participant ids; shown tables suppress cells describing "
        "fewer than 5 people as the reports do; result tables hold cohort-level aggregates only",
        **dict(zip(sheets, described, strict=True)),
    }
    write_xlsx(dict(zip(sheets, frames, strict=True)), xlsx, notes=notes)
    write_csv(headline, headline_csv)
    atomic_write_text(stamp, digest + "\n")
    return xlsx


def _missing_cohorts(root: Path, study: str) -> str:
    """Why a study has no ``cohorts.parquet``: never cleaned, or no cohort list mapped."""
    processed = root / "data" / "processed" / study
    where = f"data/processed/{study}"
    if not (processed / "manifest.json").is_file():
        return f"no processed data in {processed}; run `evalkit clean --study {study}`"
    codebook = root / "data" / "raw" / study / "codebook.yaml"
    try:
        from evalkit.codebook import load_codebook

        maps = any(t.table == "cohorts" for t in load_codebook(codebook).tables.values())
    except Exception:  # an unreadable codebook: say what is missing all the same
        maps = True
    if not maps:
        return (
            f"{where} has no cohorts table: the codebook maps no cohort list; add the cohort "
            f"list (daftar angkatan) export and map it as table 'cohorts' in "
            f"data/raw/{study}/codebook.yaml (docs/guide.en.md, section 2, 'The cohort "
            f"list'), then run `evalkit clean --study {study}`"
        )
    return (
        f"{where} has no cohorts table although the codebook maps one; run "
        f"`evalkit clean --study {study}`"
    )


def _stale_inputs(root: Path, study: str, manifest: Mapping[str, Any]) -> str | None:
    """Which raw input (or the codebook) differs from the hashes recorded in the manifest."""
    raw = root / "data" / "raw" / study
    if not (raw / "codebook.yaml").is_file():
        return None  # nothing to rebuild from (processed data shipped without raw)
    recorded = list(manifest.get("inputs", []))
    if isinstance(manifest.get("codebook"), Mapping):
        recorded.append(manifest["codebook"])
    changed = []
    for entry in recorded:
        if not isinstance(entry, Mapping) or "file" not in entry:
            continue
        path = raw / str(entry["file"])
        if not path.is_file():
            changed.append(f"{entry['file']} (removed)")
        elif sha256(path) != entry.get("sha256"):
            changed.append(str(entry["file"]))
    if not changed:
        return None
    shown = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
    return f"raw data changed since cleaning ({shown})"


def verify_processed(root: Path, study: str) -> tuple[str | None, str | None]:
    """Check a study's processed tables against their manifest; rebuild them if needed.

    A corrupt, truncated, changed or missing table (:func:`evalkit.io.check_processed`)
    is not read as truth: the study is cleaned again from ``data/raw/<study>``, once.
    So are tables cleaned from raw files (or a codebook) that have changed since: the
    SHA-256 of each raw input recorded in ``manifest.json`` is compared with the file.

    Returns
    -------
    note : str or None
        What was rebuilt and why (for the run summary).
    error : str or None
        Why the study cannot be reported on (no raw data to rebuild from, or the
        rebuild failed too); None when the tables are sound.
    """
    from evalkit.errors import EvalkitError
    from evalkit.io import check_processed

    processed = root / "data" / "processed" / study
    if not processed.is_dir():
        return None, None  # planning reports the missing data
    try:
        manifest = check_processed(processed)
        problem = _stale_inputs(root, study, manifest)
        if problem is None:
            return None, None
    except EvalkitError as err:
        problem = str(err)
    raw = root / "data" / "raw" / study
    where = f"data/processed/{study}"
    if not (raw / "codebook.yaml").is_file():
        return None, (
            f"{where} failed its manifest check ({problem}) and there is no "
            f"data/raw/{study}/codebook.yaml to rebuild it from"
        )
    from evalkit.clean import clean_study

    try:
        clean_study(raw, processed, progress=False)
        check_processed(processed)
    except EvalkitError as err:
        return None, f"{where} failed its check ({problem}); rebuilding it failed: {err}"
    return f"rebuilt {where} from data/raw/{study}: {problem}", None


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


# --- the index -------------------------------------------------------------------------

_INDEX_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; max-width: 72rem;
  margin: 0 auto; padding: 1.5rem; color: #1f2328; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2rem; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { border-bottom: 1px solid #d0d7de; padding: 0.35rem 0.5rem; text-align: right; }
th:first-child, td:first-child, th:nth-child(2), td:nth-child(2) { text-align: left; }
thead th { background: #f6f8fa; }
td.failed { color: #b42318; font-weight: 600; }
p.note { color: #57606a; font-size: 0.85rem; }
"""

_INDEX_TEXT = {
    "title": ("Laporan evaluasi pelatihan", "Training evaluation reports"),
    "report": ("Laporan", "Report"),
    "program": ("Program", "Program"),
    "n": ("n", "n"),
    "reaction": ("Indeks reaksi (0-100)", "Reaction index (0-100)"),
    "alpha": ("α", "α"),
    "gain": ("Kenaikan nilai (IK 95%)", "Score gain (95% CI)"),
    "d_z": ("d_z", "d_z"),
    "hake": ("g Hake", "Hake g"),
    "transfer": ("Indeks transfer (0-100)", "Transfer index (0-100)"),
    "failed": ("gagal", "failed"),
    "overview": ("Ikhtisar program", "Program overview"),
    "impact": ("Studi dampak", "Impact study"),
    "cohort": ("Angkatan", "Cohort"),
    "note": (
        "Dibuat oleh evalkit {version}. Setiap laporan memuat asal-usul datanya "
        "(berkas masukan dan SHA-256, parameter, versi perangkat lunak, commit git).",
        "Generated by evalkit {version}. Each report ends with its provenance (input files "
        "with SHA-256, parameters, software versions, git commit).",
    ),
    "empty": ("Belum ada laporan.", "No reports yet."),
}


def _study_title(root: Path, study: str, lang: str) -> str:
    path = root / "data" / "raw" / study / "codebook.yaml"
    try:
        import yaml

        title = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("title")
    except Exception:  # the title is decoration
        return study
    if isinstance(title, Mapping):
        title = title.get(lang) or next(iter(title.values()), None)
    if not title:
        return study
    named = re.search(rf"(?<!\w){re.escape(study)}(?!\w)", str(title), re.IGNORECASE)
    return str(title) if named else f"{title} ({study})"


def write_index(reports: Path, *, lang: str = "id", root: Path | None = None) -> Path:
    """Write ``reports/index.html``: every study, its reports and headline numbers.

    Built from the state files in ``reports/<study>/_executed/``; a report whose HTML
    is missing is left out, a failed one is listed as failed.

    Returns
    -------
    Path
        The index file.
    """
    from evalkit.narrative import fmt_int, fmt_num

    i = 0 if lang == "id" else 1

    def t(key: str) -> str:
        return _INDEX_TEXT[key][i]

    def esc(value: Any) -> str:
        return _html.escape(str(value), quote=True)

    def num(value: Any, decimals: int, leading_zero: bool = True) -> str:
        return fmt_num(value, decimals, lang, leading_zero=leading_zero or i == 0)

    kind_order = {k: n for n, k in enumerate(KINDS)}
    body: list[str] = [f"<h1>{esc(t('title'))}</h1>"]
    studies = (
        sorted(p for p in reports.iterdir() if (p / "_executed").is_dir())
        if reports.is_dir()
        else []
    )
    if not studies:
        body.append(f"<p>{esc(t('empty'))}</p>")
    for folder in studies:
        states = [s for s in map(_read_state, sorted((folder / "_executed").glob("*.json"))) if s]
        states = [
            s
            for s in states
            if s.get("status") == "failed" or (s.get("html") and (folder / s["html"]).is_file())
        ]
        if not states:
            continue
        states.sort(key=lambda s: (kind_order.get(s.get("kind"), 9), str(s.get("cohort_id"))))
        body.append(f"<h2>{esc(_study_title(root or reports.parent, folder.name, lang))}</h2>")
        head = ["report", "program", "n", "reaction", "alpha", "gain", "d_z", "hake", "transfer"]
        body.append(
            "<table><thead><tr>"
            + "".join(f"<th>{esc(t(h))}</th>" for h in head)
            + "</tr></thead><tbody>"
        )
        for s in states:
            h = s.get("headline") or {}
            kind = s.get("kind", "")
            label = (
                f"{t('cohort')} {s.get('cohort_id')}"
                if s.get("cohort_id")
                else t(kind)
                if kind in _INDEX_TEXT
                else s.get("name")
            )
            if s.get("status") == "failed":
                cells = [esc(label), "", "", "", "", "", "", "", ""]
                row = "".join(f"<td>{c}</td>" for c in cells[:-1])
                body.append(f'<tr>{row}<td class="failed">{esc(t("failed"))}</td></tr>')
                continue
            link = f'<a href="{esc(folder.name)}/{esc(s["html"])}">{esc(label)}</a>'
            gain = ""
            to = " s.d. " if i == 0 else " to "
            if h.get("mean_diff") is not None:
                gain = (
                    f"{num(h['mean_diff'], 1)} ({num(h.get('ci_low'), 1)}{to}"
                    f"{num(h.get('ci_high'), 1)})"
                )
            elif h.get("did_ikm_estimate") is not None:  # the impact study's headline
                gain = (
                    f"IKM {num(h['did_ikm_estimate'], 1)} ({num(h.get('did_ikm_ci_low'), 1)}"
                    f"{to}{num(h.get('did_ikm_ci_high'), 1)}; DiD)"
                )
            cells = [
                link,
                esc(h.get("program_name", "")),
                fmt_int(h["n"], lang) if h.get("n") is not None else "",
                num(h.get("reaction_index"), 1) if h.get("reaction_index") is not None else "",
                num(h.get("alpha"), 2, False) if h.get("alpha") is not None else "",
                esc(gain),
                num(h.get("d_z"), 2) if h.get("d_z") is not None else "",
                num(h.get("hake_g"), 2, False) if h.get("hake_g") is not None else "",
                num(h.get("transfer_index"), 1) if h.get("transfer_index") is not None else "",
            ]
            body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        body.append("</tbody></table>")
    body.append(f'<p class="note">{esc(t("note").format(version=__version__))}</p>')
    page = (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(t('title'))}</title>\n<style>{_INDEX_CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )
    return atomic_write_text(reports / "index.html", page)


def list_reports(reports: Path) -> Iterable[dict[str, Any]]:
    """Every state record under ``reports/`` (for tests and tools)."""
    for path in sorted(reports.glob("*/_executed/*.json")):
        state = _read_state(path)
        if state:
            yield state
