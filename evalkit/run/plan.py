"""Part of evalkit.report."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from evalkit import __version__
from evalkit.data.freshness import missing_cohorts
from evalkit.errors import ParameterError
from evalkit.io.atomic import atomic_write_text, sha256
from evalkit.run.export import TABLE_MIMETYPE

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


#: Bump when the layout of the state files or reports changes.
STATE_VERSION = 2


_STATUS_RAN, _STATUS_SKIPPED, _STATUS_FAILED = "ran", "up to date", "failed"


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


def read_state(path: Path) -> dict[str, Any] | None:
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


def _tables_path(executed: Path) -> Path:
    """Where a report's tables are kept as JSON (for the study's XLSX appendix)."""
    return executed.parent / "tables" / (executed.name.removesuffix(".ipynb") + ".json")


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
                    error=missing_cohorts(root, study),
                )
            )
            continue
        tables = input_tables(processed)
        from evalkit.run.export import manifest_inputs

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
    state = read_state(plan.state)
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
