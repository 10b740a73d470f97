"""Part of evalkit.report."""

from __future__ import annotations

from pathlib import Path

from evalkit import __version__
from evalkit.io.atomic import atomic_write_text
from evalkit.reporting.record import cell_value
from evalkit.run.plan import (
    KINDS,
    STATE_VERSION,
    _fingerprint,
    _table_keys,
    _tables_path,
    read_state,
)

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

    from evalkit.io.sheets import sheet_names, write_csv, write_xlsx

    executed = folder / "_executed"
    kind_order = {k: n for n, k in enumerate(KINDS)}
    states = [
        s
        for s in map(read_state, sorted(executed.glob("*.json")))
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
        tables = (read_state(tables_file) or {}).get("tables") or []
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
            {"report": name, "key": str(key), "value": cell_value(value)}
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
