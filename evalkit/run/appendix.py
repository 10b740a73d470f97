"""A study's spreadsheet appendix: every report's headline numbers and tables in one XLSX.

``reports/<study>/tables.xlsx`` is for colleagues who work in spreadsheets. It is built
from what the study's successful reports left in ``reports/<study>/_executed/``: their
state files (headline numbers) and table files (:func:`evalkit.run.outputs.tables_path`).
It holds

- a ``README`` sheet: the study, the source, the privacy rule and how sheets are named;
- a ``contents`` sheet: every table sheet with its report, section, kind and CSV file;
- a ``headline`` sheet (report, key, value), also written as ``tables/headline.csv``;
- a ``results`` sheet: the results ledger, one row per estimate any report shows
  (:mod:`evalkit.reporting.ledger`), also written as ``reports/<study>/results.csv``;
- one sheet per table a report displayed (``<cohort> T<n>``: the table captioned
  ``Tabel <n>`` in the report) or recorded (``<cohort> <name>``).

A report made in both languages is taken once, in one language (``prefer``: the first
language of the run), so that the ledger has one row per estimate and the workbook one
sheet per table; its numbers are the same in both.

It is rewritten only when those files changed (a stamp in ``_executed/`` holds their
SHA-256), so the same reports give the same bytes.

Examples
--------
>>> import tempfile
>>> with tempfile.TemporaryDirectory() as tmp:
...     write_appendix(Path(tmp))  # no successful report: no appendix
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from evalkit import __version__
from evalkit.io.atomic import atomic_write_text
from evalkit.reporting.record import cell_value
from evalkit.run.outputs import table_keys, tables_path
from evalkit.run.plan import KINDS, STATE_VERSION, fingerprint, read_state

#: The study's XLSX appendix, its headline CSV, and the stamp of what they were built from.
APPENDIX = "tables.xlsx"
#: The study's results ledger, beside its index of reports.
RESULTS = "results.csv"


_APPENDIX_STAMP = "appendix.sha256"


#: What the README sheet says of the study's privacy.
PRIVACY = (
    "no names, NIPs or participant ids; shown tables suppress cells describing "
    "fewer than 5 people as the reports do; result tables and the results ledger leave "
    "blank every count, share or mean that describes fewer than 5 people"
)


class _Entry(NamedTuple):
    """One successful report: its name, headline numbers and tables, and its file stem."""

    name: str
    headline: Mapping[str, Any]
    tables: list[dict[str, Any]]
    estimates: list[dict[str, Any]]
    stem: str


def _one_language(states: list[dict[str, Any]], prefer: tuple[str, ...]) -> list[dict[str, Any]]:
    """Each report once: its state in the first language of ``prefer`` it succeeded in."""
    rank = {lang: n for n, lang in enumerate(prefer)}
    chosen: dict[str, dict[str, Any]] = {}
    for state in states:
        name = str(state["name"])
        lang = str(state.get("lang") or "id")
        best = chosen.get(name)
        if best is None or rank.get(lang, 9) < rank.get(str(best.get("lang") or "id"), 9):
            chosen[name] = state
    return list(chosen.values())


def _entries(folder: Path, prefer: tuple[str, ...] = ("id", "en")) -> list[_Entry]:
    """The study's successful reports (HTML present), by kind, cohort and name."""
    executed = folder / "_executed"
    kind_order = {k: n for n, k in enumerate(KINDS)}
    states = [
        s
        for s in map(read_state, sorted(executed.glob("*.json")))
        if s and s.get("status") == "ok" and s.get("html") and (folder / s["html"]).is_file()
    ]
    states = _one_language(states, prefer)
    states.sort(
        key=lambda s: (
            kind_order.get(s.get("kind"), 9),
            str(s.get("cohort_id")),
            str(s.get("name")),
        )
    )
    entries = []
    for state in states:
        stem = str(state.get("stem") or state["name"])
        saved = read_state(tables_path(executed / f"{stem}.ipynb")) or {}
        entries.append(
            _Entry(
                str(state["name"]),
                state.get("headline") or {},
                saved.get("tables") or [],
                saved.get("estimates") or [],
                stem,
            )
        )
    return entries


def _headline_frame(entries: list[_Entry]) -> Any:
    """The ``headline`` sheet: one row per number a report recorded, by the disclosure rule
    of the shareable files (:func:`evalkit.reporting.disclosure.safe_headline`)."""
    import pandas as pd

    from evalkit.reporting.disclosure import safe_headline

    rows = [
        {"report": entry.name, "key": str(key), "value": cell_value(value)}
        for entry in entries
        for key, value in safe_headline(dict(entry.headline)).items()
    ]
    return pd.DataFrame(rows, columns=["report", "key", "value"])


def results_frame(entries: list[_Entry]) -> Any:
    """The results ledger of the study: every report's recorded estimates, in report order.

    As a shareable file: shares of people that give back fewer than 5 of them, and the
    ``n`` of every suppressed row, are blank (:func:`evalkit.reporting.disclosure.safe_ledger`).
    """
    import pandas as pd

    from evalkit.reporting.disclosure import safe_ledger
    from evalkit.reporting.ledger import LEDGER_COLUMNS, ledger_frame

    frames = [ledger_frame(e.estimates, report=e.name) for e in entries if e.estimates]
    if not frames:
        return ledger_frame([])
    return safe_ledger(pd.concat(frames, ignore_index=True).loc[:, list(LEDGER_COLUMNS)])


def sheet_prefix(report: str) -> str:
    """The short label of a report in sheet names: the cohort code, or the kind.

    Examples
    --------
    >>> sheet_prefix("cohort-KMP-2023-01"), sheet_prefix("overview")
    ('KMP-2023-01', 'overview')
    """
    return report.removeprefix("cohort-") or report


def _table_sheets(entries: list[_Entry]) -> tuple[list[str], list[Any], list[dict[str, str]]]:
    """Every report's tables: sheet keys, frames and their row of the contents sheet.

    A shown table's sheet is ``<report> T<n>``, as its caption ``Tabel n`` in the
    report; a result table's is ``<report> <name>``.
    """
    import pandas as pd

    keys, frames, contents = [], [], []
    for entry in entries:
        for table_key, table in zip(table_keys(entry.tables), entry.tables, strict=True):
            named = bool(table.get("name"))
            keys.append(f"{sheet_prefix(entry.name)} {table_key if named else 'T' + table_key}")
            frames.append(pd.DataFrame(table["data"], columns=table["columns"]))
            contents.append(
                {
                    "report": entry.name,
                    "section": table.get("section") or "",
                    "table": table_key if named else f"Tabel {table_key}",
                    "kind": "numbers" if named else "as shown",
                    "csv": f"tables/{entry.stem}-{table_key}.csv",
                }
            )
    return keys, frames, contents


def _readme(study: str) -> dict[str, str]:
    """The README sheet: study, source, privacy and how the workbook is laid out."""
    return {
        "study": study,
        "source": f"reports/{study} (evalkit report {__version__}): the tables each "
        "report shows (as shown) and its result tables (numbers)",
        "privacy": PRIVACY,
        "contents": "the sheet 'contents' lists every sheet: its report, section, kind "
        "and CSV file",
        "headline": "numbers each report recorded (report, key, value)",
        "results": f"the results ledger: one row per estimate a report shows ({RESULTS})",
        "sheet names": "'<cohort or report> T<n>' is the table captioned 'Tabel <n>' in "
        "that report; '<cohort or report> <name>' is a result table at full precision",
    }


def _is_current(stamp: Path, digest: str, *files: Path) -> bool:
    """True when the stamp holds ``digest`` and every file exists."""
    try:
        same = stamp.read_text(encoding="utf-8").strip() == digest
    except OSError:
        return False
    return same and all(path.is_file() for path in files)


def write_appendix(folder: Path, prefer: tuple[str, ...] = ("id", "en")) -> Path | None:
    """Write a study's XLSX appendix from the tables of its reports.

    ``<folder>/tables.xlsx`` holds a README sheet (study, source, privacy, sheet names),
    a ``contents`` sheet (every table sheet's report, section, kind and CSV file), a
    ``headline`` sheet (report, key, value: the numbers every report
    recorded), a ``results`` sheet (the results ledger, also ``<folder>/results.csv``)
    and one sheet per table a report displayed (``<cohort> T<n>``, the same
    table as ``tables/<report>-<n>.csv``) or recorded. ``tables/headline.csv`` holds the headline
    sheet. Built from the state and table files of the reports that succeeded; rewritten
    only when they changed (a stamp in ``_executed/`` remembers their SHA-256), so the
    same reports give the same bytes.

    Parameters
    ----------
    folder : Path
        The study's report folder, ``reports/<study>``.
    prefer : tuple of str, default ("id", "en")
        The languages in order of preference: a report made in both is taken once, in
        the first of them.

    Returns
    -------
    Path or None
        The workbook, or None when the study has no successful report (any old
        workbook is removed then).
    """
    import pandas as pd

    from evalkit.io.sheets import sheet_names, write_csv, write_xlsx

    entries = _entries(folder, prefer)
    xlsx, headline_csv = folder / APPENDIX, folder / "tables" / "headline.csv"
    results_csv = folder / RESULTS
    stamp = folder / "_executed" / _APPENDIX_STAMP
    if not entries:
        for path in (xlsx, headline_csv, results_csv, stamp):
            path.unlink(missing_ok=True)
        return None
    digest = fingerprint({"version": STATE_VERSION, "entries": [tuple(e) for e in entries]})
    if _is_current(stamp, digest, xlsx, headline_csv, results_csv):
        return xlsx
    headline = _headline_frame(entries)
    results = results_frame(entries)
    keys, frames, rows = _table_sheets(entries)
    sheets = sheet_names(["README", "contents", "headline", "results", *keys])[1:]
    contents = pd.DataFrame(
        [{"sheet": sheet, **row} for sheet, row in zip(sheets[3:], rows, strict=True)],
        columns=["sheet", "report", "section", "table", "kind", "csv"],
    )
    tables = dict(zip(sheets, [contents, headline, results, *frames], strict=True))
    write_xlsx(tables, xlsx, notes=_readme(folder.name))
    write_csv(headline, headline_csv)
    write_csv(results, results_csv)
    atomic_write_text(stamp, digest + "\n")
    return xlsx
