"""The files a report writes beside its HTML: its figures and its tables.

From an executed notebook (:func:`report_outputs`), for report ``<report>`` of a study
(its file stem, :func:`evalkit.run.plan.report_stem`: ``cohort-C01`` in Indonesian,
``cohort-C01.en`` in English; figures and tables hold the report's words, so each
language has its own):

- every figure as ``reports/<study>/figures/<report>-<n>.png`` and ``.svg`` (``n``
  counts the figures in the order the report shows them; the SVG comes from the warm
  kernel's formatter, :func:`evalkit.run.hooks.kernel_formatters`);
- every displayed DataFrame as ``reports/<study>/tables/<report>-<n>.csv``, as
  displayed (small cells already suppressed), and every recorded result table as
  ``<report>-<name>.csv`` (:func:`table_keys`), at full precision but with the numbers
  about fewer than 5 people blank (:func:`evalkit.reporting.disclosure.safe_table`);
- all its tables, and the results-ledger rows it recorded
  (:func:`evalkit.reporting.record.record_estimates`), as JSON in
  ``reports/<study>/_executed/tables/<report>.json``, from which
  :func:`evalkit.run.appendix.write_appendix` builds the study's workbook and
  ``results.csv``.

Files of an earlier run that this run did not write are removed; after a failed run
every file of the report is (:func:`remove_outputs`). Text cells are neutralised
against spreadsheet formula injection (:mod:`evalkit.io.sheets`); equal inputs give
equal bytes.

Examples
--------
>>> table_keys([{"name": "paired_change"}, {}, {}])
['paired_change', '1', '2']
>>> tables_path(Path("reports/demo/_executed/cohort-C01.ipynb")).as_posix()
'reports/demo/_executed/tables/cohort-C01.json'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from evalkit.io.atomic import atomic_write_bytes
from evalkit.reporting.disclosure import safe_table
from evalkit.reporting.record import TABLE_MIMETYPE, TABLE_NAME, recorded_estimates
from evalkit.reporting.terms import other_language_tags
from evalkit.run.pdf import pdf_path
from evalkit.run.plan import ReportPlan, write_json

_HEADING_LINE = re.compile(r"^#{1,6}\s+(.+?)\s*$", re.M)


def joined(value: Any) -> str:
    """A notebook text field (a string or a list of lines) as one string."""
    return "".join(value) if isinstance(value, list) else str(value)


def last_heading(text: Any, section: str) -> str:
    """The last markdown heading in ``text``, else the current ``section``."""
    headings = _HEADING_LINE.findall(joined(text))
    return headings[-1].strip() if headings else section


def _figure(data: Mapping[str, Any]) -> dict[str, Any]:
    """A figure output's PNG (bytes) and SVG (text, or None)."""
    import base64

    svg = data.get("image/svg+xml")
    return {
        "png": base64.b64decode(joined(data["image/png"])),
        "svg": joined(svg) if svg else None,
    }


def _table(data: Mapping[str, Any], section: str) -> dict[str, Any] | None:
    """A displayed table's JSON copy with its section, or None when there is none."""
    table = data.get(TABLE_MIMETYPE)
    if not (isinstance(table, Mapping) and isinstance(table.get("columns"), list)):
        return None
    entry = {
        "section": str(table.get("caption") or section),
        "columns": list(table["columns"]),
        "data": list(table.get("data") or []),
    }
    if table.get("name"):
        entry["name"] = str(table["name"])
    return entry


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
    other = other_language_tags(lang)
    figures: list[dict[str, Any]] = []
    tables: list[dict[str, Any]] = []
    section = ""
    for cell in nb.get("cells", []):
        if other & set(cell.get("metadata", {}).get("tags", [])):
            continue
        if cell.get("cell_type") == "markdown":
            section = last_heading(cell.get("source", ""), section)
            continue
        if cell.get("cell_type") != "code":
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") not in ("display_data", "execute_result"):
                continue
            data = out.get("data", {})
            if "text/markdown" in data:
                section = last_heading(data["text/markdown"], section)
            if "image/png" in data:
                figures.append(_figure(data))
            table = _table(data, section)
            if table is not None:
                tables.append(table)
    return figures, tables


def table_keys(tables: list[Mapping[str, Any]]) -> list[str]:
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


def tables_path(executed: Path) -> Path:
    """Where a report's tables are kept as JSON (for the study's XLSX appendix)."""
    return executed.parent / "tables" / (executed.name.removesuffix(".ipynb") + ".json")


def own_files(folder: Path, name: str) -> list[Path]:
    """Figures and table files of report ``name`` under its study ``folder``.

    Only this report's: ``cohort-A-1.png`` is figure 1 of ``cohort-A`` and not a file
    of a cohort called ``A-1``'s report (whose figure 1 is ``cohort-A-1-1.png``).
    """
    figure = re.compile(rf"{re.escape(name)}-\d+\.(?:png|svg)")
    table = re.compile(rf"{re.escape(name)}-(?:\d+|{TABLE_NAME.pattern})\.csv")
    found = []
    for sub, pattern in ((folder / "figures", figure), (folder / "tables", table)):
        if sub.is_dir():
            found += [p for p in sub.iterdir() if pattern.fullmatch(p.name)]
    return sorted(found)


def remove_outputs(plan: ReportPlan) -> None:
    """Remove a report's HTML, PDF, figures and tables (after it failed)."""
    folder = plan.html.parent
    stale = [plan.html, pdf_path(plan.html), tables_path(plan.executed)]
    for path in [*stale, *own_files(folder, plan.stem)]:
        path.unlink(missing_ok=True)


def write_outputs(plan: ReportPlan, nb: Any, lang: str) -> list[str]:
    """Write the report's figures (PNG, SVG) and tables (CSV, JSON); drop stale ones.

    Returns the files written, relative to the study's report folder.
    """
    import pandas as pd

    from evalkit.io.sheets import write_csv

    folder, name = plan.html.parent, plan.stem
    figures, tables = report_outputs(nb, lang)
    written: list[Path] = []
    for n, figure in enumerate(figures, start=1):
        stem = folder / "figures" / f"{name}-{n}"  # no with_suffix: "cohort-C01.en-1"
        written.append(atomic_write_bytes(Path(f"{stem}.png"), figure["png"]))
        if figure["svg"]:
            written.append(atomic_write_bytes(Path(f"{stem}.svg"), figure["svg"].encode()))
    for key, table in zip(table_keys(tables), tables, strict=True):
        frame = pd.DataFrame(table["data"], columns=table["columns"])
        if table.get("name"):  # a full-precision result table: the disclosure rule
            frame = safe_table(frame, str(table["name"]))
            table["data"] = frame.astype(object).where(frame.notna(), None).values.tolist()
        written.append(write_csv(frame, folder / "tables" / f"{name}-{key}.csv"))
    keep = set(written)
    for path in own_files(folder, name):
        if path not in keep:
            path.unlink(missing_ok=True)
    json_copy = tables_path(plan.executed)
    estimates = recorded_estimates(nb)
    write_json(json_copy, {"report": plan.job.name, "lang": plan.lang, "tables": tables,
                           "estimates": estimates})  # fmt: skip
    return sorted(p.relative_to(folder).as_posix() for p in [*written, json_copy])
