"""Reading one codebook table: its raw files, parsed cell by cell into typed columns.

Where it sits in cleaning: after the codebook is loaded and each raw file read once
(:func:`evalkit.io.readers.read_table`), :func:`read_spec` turns the files of one
codebook table into one frame of typed columns, logging and removing the rows that
cannot be used (empty rows ``dropped``, rows with an unreadable or missing required
value ``quarantined``). A number column (``int``, ``float``, ``share``) of an SPSS
``.sav`` file whose values carry value labels is read from the codes under the labels
(``50``, not ``"maksimal"``); every other column reads the labels. It also holds the small helpers the later steps share to log
and mark rows (:func:`quarantine_rows`, :func:`mark_row`, :func:`source_column`) and
to find the files (:func:`resolve_files`, :func:`header_row_hint`).

Examples
--------
>>> from evalkit.data.codebook import ColumnSpec
>>> spec = TableSpec("c", "costs", ("c.csv",), columns={
...     "amount_idr": ColumnSpec("amount_idr", "Jumlah (Rp)", "float")})
>>> source_column(spec, "amount_idr")
'Jumlah (Rp)'
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from evalkit.data.cells import CleanContext, cell_parser, is_required, item_parser, judge_column
from evalkit.data.codebook import (
    TableSpec,
    match_headers,
    norm_label,
)
from evalkit.data.parse import EMPTY_TEXTS
from evalkit.errors import CodebookError, DataError
from evalkit.io.excel import sheet_names
from evalkit.io.readers import EXCEL_SUFFIXES, read_rows

#: A raw row with a problem: (raw header, text, reason, kind) of its first problem.
Problem = tuple[str, str, str, str]

#: Column types read as numbers: from an SPSS variable with value labels, the codes
#: are read (``50``), not the labels (``"maksimal"``); other columns read the labels.
NUMBER_TYPES = ("int", "float", "share")


def read_spec(spec: TableSpec, ctx: CleanContext, frames: dict[Any, pd.DataFrame]) -> pd.DataFrame:
    """Parse every file of one codebook table into typed columns.

    Output columns: the spec's columns, ``score:<item>`` item values (Likert
    score, 0/1 or number), ``comment``, and ``_spec``, ``_file``, ``_row``,
    ``_order``; with a ``nip`` column also ``_nip_raw``, ``_nip_problem`` and
    ``_nip_repair``. Rows with an unreadable or out-of-range value, a
    required value missing, or cut short (``short_row``: a text row with fewer
    cells than the header) are logged as quarantined; a file with a header but no
    data rows is logged once (``empty_file``, flagged, at its header row); rows with every mapped
    cell empty are logged as dropped; both are removed.

    Parameters
    ----------
    spec : TableSpec
        The codebook table.
    ctx : CleanContext
        The run (``ctx.files[spec.key]`` are the files to read).
    frames : dict
        (file, sheet, header row) -> the raw file as read (all text).

    Returns
    -------
    pandas.DataFrame
        The usable rows of every file, in reading order.

    Raises
    ------
    CodebookError
        If a file lacks a header the table reads (with the row the headers are really
        on, when they are on another one).

    Examples
    --------
    >>> from evalkit.data.codebook import parse_codebook
    >>> from evalkit.data.quality import QualityLog
    >>> cb = parse_codebook({"study": "s", "tables": {"costs": {"files": ["c.csv"],
    ...     "columns": {"cohort_id": "Angkatan", "category": "Komponen",
    ...                 "amount_idr": {"from": "Jumlah", "min": 0}}}}})
    >>> ctx = CleanContext(cb, Path("."), QualityLog(), b"salt", files={"costs": ["c.csv"]})
    >>> raw = pd.DataFrame({"Angkatan": ["A1", "A1", ""], "Komponen": ["ATK", "konsumsi", ""],
    ...                     "Jumlah": ["Rp 50.000", "-5", "-"]})
    >>> frame = read_spec(cb.tables["costs"], ctx, {("c.csv", None, 1): raw})
    >>> frame[["cohort_id", "amount_idr", "_row"]].to_numpy().tolist()
    [['A1', 50000.0, 2]]
    >>> ctx.status
    {('costs', 'c.csv', 2): 'kept', ('costs', 'c.csv', 3): 'quarantined', ('costs', 'c.csv', 4): 'empty'}
    """
    parts = []
    for file in ctx.files[spec.key]:
        table = frames[(file, spec.sheet, spec.header_row)]
        found = _find_headers(spec, table, file, ctx)
        if table.empty:  # a header and nothing else: named, not silently an empty table
            ctx.log.add(file, spec.header_row, "", "", (
                f"empty_file: the file has its header (row {spec.header_row}) but no data rows; "
                f"tables.{spec.key} gets nothing from it"
            ), "flagged")  # fmt: skip
        rows = np.arange(len(table)) + spec.header_row + 1
        _log_merged_cells(spec, table, found, file, ctx)
        out, quarantine, nonempty = _parse_file(spec, table, found, file, rows, ctx)
        _short_rows(table, nonempty, quarantine)
        parts.append(out[_sort_rows(spec, file, rows, nonempty, quarantine, ctx)])
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    frame["_order"] = np.arange(len(frame))
    for name, col in spec.columns.items():  # timestamps typed: 8 bytes, not an object each
        if col.type == "datetime" and name in frame:
            try:
                when = pd.to_datetime(frame[name].astype(object), errors="raise")
            except (ValueError, TypeError):  # e.g. time zones mixed: left as they are
                continue
            if pd.api.types.is_datetime64_dtype(when.dtype):  # naive timestamps only
                frame[name] = when
    return frame


def _find_headers(
    spec: TableSpec, table: pd.DataFrame, file: str, ctx: CleanContext
) -> dict[str, str]:
    """Codebook header -> header in the file; a missing one says where the headers are."""
    try:
        return match_headers(spec, list(table.columns), file)
    except CodebookError as err:
        hint = header_row_hint(ctx.raw_dir / file, [spec], spec.sheet, spec.header_row)
        if not hint:
            raise
        raise CodebookError(f"{err}; {hint}") from err


def _log_merged_cells(
    spec: TableSpec, table: pd.DataFrame, found: dict[str, str], file: str, ctx: CleanContext
) -> None:
    """Log the mapped cells an XLSX merged range filled (``merged_cell``, repaired)."""
    kinds = {c.source: c.type for c in spec.columns.values() if c.source is not None}
    for row, column, ref in table.attrs.get("merged", []):
        if column in found.values():
            source = next(k for k, v in found.items() if v == column)
            value = table.at[row - spec.header_row - 1, column]
            ctx.log.add(file, row, column, value,
                        f"merged_cell: value of {ref.split(':')[0]} repeated over the "
                        f"merged range {ref}", "repaired", kind=kinds.get(source, "str"))  # fmt: skip


def _parse_file(
    spec: TableSpec, table: pd.DataFrame, found: dict[str, str], file: str, rows: np.ndarray,
    ctx: CleanContext,
) -> tuple[pd.DataFrame, dict[int, Problem], np.ndarray]:  # fmt: skip
    """Parse the mapped columns, items and comments of one raw file.

    Returns the parsed frame (every row), the first problem of each row with one, and
    which rows are not entirely empty.
    """
    out = pd.DataFrame(index=table.index)
    out["_spec"] = spec.key
    out["_file"] = file
    out["_row"] = rows
    # a row is empty when every cell of the raw row is (not only the mapped ones)
    nonempty = ~_blank_rows(table)
    quarantine: dict[int, Problem] = {}
    judge = {"nonempty": nonempty, "quarantine": quarantine, "file": file, "rows": rows,
             "ctx": ctx}  # fmt: skip
    codes = table.attrs.get("codes", {})  # .sav: the codes under value labels
    for name, col in spec.columns.items():
        if col.source is None:
            out[name] = pd.Series([col.value] * len(table), index=table.index, dtype=object)
            continue
        raw = table[found[col.source]]
        if col.type in NUMBER_TYPES and found[col.source] in codes:  # a score, not its label
            raw = pd.Series(codes[found[col.source]], index=table.index, dtype=object)
        required = is_required(spec, name) and name not in ("nip", "name")
        values, problems, repairs = judge_column(
            raw, cell_parser(col, ctx), name=name, source=col.source, kind=col.type,
            required=required, **judge,
        )  # fmt: skip
        out[name] = pd.Series(values, index=table.index, dtype=object)
        if name == "nip":
            out["_nip_raw"] = raw  # raw text (compact), for the log and the NIP rules
            out["_nip_problem"] = pd.Series(problems, index=table.index, dtype=object)
            out["_nip_repair"] = pd.Series(repairs, index=table.index, dtype=object)
    for name, item in spec.items.items():
        raw = table[found[item.source]]
        values, _, _ = judge_column(
            raw, item_parser(item, spec, ctx), name=name, source=item.source, kind="str",
            required=False, numeric=True, **judge,
        )  # fmt: skip
        out[f"score:{name}"] = _compact_scores(values, table.index)
    if spec.comments is not None:
        out["comment"] = table[found[spec.comments]].to_numpy()
    return out, quarantine, nonempty


def _compact_scores(values: np.ndarray, index: pd.Index) -> pd.Series:
    """Item values as numbers, missing as NaN: in float32 when every value is exactly a
    float32 (whole numbers as a rule: Likert scores, right or wrong), else float64."""
    numbers = pd.Series(np.asarray(values, dtype="float64"), index=index)
    narrow = numbers.astype("float32")
    exact = np.array_equal(narrow.to_numpy(dtype="float64"), numbers.to_numpy(), equal_nan=True)
    return narrow if exact else numbers


def _blank_rows(table: pd.DataFrame) -> np.ndarray:
    """Rows whose every cell is empty (an empty text: :data:`EMPTY_TEXTS`).

    Column by column, only the rows still empty so far are looked at, and each distinct
    text among them is judged once.
    """
    candidates = np.arange(len(table))
    for column in table.columns:
        if not len(candidates):
            break
        cells = table[column].iloc[candidates].astype(str)
        codes, uniques = pd.factorize(cells, use_na_sentinel=False)
        empty = np.array([isinstance(u, str) and u.strip().casefold() in EMPTY_TEXTS
                          for u in uniques.tolist()], dtype=bool)  # fmt: skip
        candidates = candidates[empty[codes]] if len(uniques) else candidates
    blank = np.zeros(len(table), dtype=bool)
    blank[candidates] = True
    return blank


def _short_rows(table: pd.DataFrame, nonempty: np.ndarray, quarantine: dict[int, Problem]) -> None:
    """Quarantine the rows of a text file that end before the header does (``short_row``)."""
    width = len(table.columns)
    for i, cells in table.attrs.get("short_rows", {}).items():
        if nonempty[i]:
            missing = table.columns[cells]
            quarantine[i] = (str(missing), "", (
                f"short_row: the row ends after {cells} of {width} cells (no {missing!r} "
                "and after), as a line cut short in a truncated file; export it again"
            ), "str")  # fmt: skip


def _sort_rows(
    spec: TableSpec, file: str, rows: np.ndarray, nonempty: np.ndarray,
    quarantine: dict[int, Problem], ctx: CleanContext,
) -> np.ndarray:  # fmt: skip
    """Log and mark each row of a file as empty, quarantined or kept; the rows kept."""
    keep = nonempty.copy()
    for i in np.flatnonzero(~nonempty):
        ctx.log.add(file, rows[i], "", "", "empty_row: every mapped cell is empty", "dropped")
    ctx.mark_many(spec.key, file, rows[~nonempty], "empty")
    for i in sorted(quarantine):
        if nonempty[i]:
            source, text, problem, kind = quarantine[i]
            ctx.log.add(file, rows[i], source, text, problem, "quarantined", kind=kind)
            ctx.mark(spec.key, file, int(rows[i]), "quarantined")
            keep[i] = False
    ctx.mark_many(spec.key, file, rows[keep], "kept")
    return keep


def quarantine_rows(frame: pd.DataFrame, mask: pd.Series, ctx: CleanContext,
                     column: str, values: pd.Series, reasons: pd.Series | str,
                     kind: str = "str") -> pd.DataFrame:  # fmt: skip
    """Log rows of ``frame`` selected by ``mask`` as quarantined and remove them.

    Examples
    --------
    >>> from evalkit.data.codebook import parse_codebook
    >>> from evalkit.data.quality import QualityLog
    >>> ctx = CleanContext(parse_codebook({"study": "s", "tables": {}}), Path("."),
    ...                    QualityLog(), b"salt")
    >>> frame = pd.DataFrame({"jp": [40, -1], "_spec": "k", "_file": "k.csv", "_row": [2, 3]})
    >>> quarantine_rows(frame, frame["jp"] < 0, ctx, "JP", frame["jp"], "out_of_range: ...")["jp"]
    0    40
    Name: jp, dtype: int64
    >>> ctx.log.entries
    [('k.csv', 3, 'JP', '-1', 'out_of_range: ...', 'quarantined')]
    """
    if not mask.any():
        return frame
    mask = np.asarray(mask, dtype=bool)
    picked = frame[mask]
    texts = values.loc[picked.index].tolist()
    why = (
        [reasons] * len(picked) if isinstance(reasons, str) else reasons.loc[picked.index].tolist()
    )
    for file, row, value, reason in zip(picked["_file"], picked["_row"], texts, why,
                                        strict=True):  # fmt: skip
        ctx.log.add(file, row, column, value, reason, "quarantined", kind=kind)
    mark_rows(picked, ctx, "quarantined")
    return frame[~mask]


def mark_row(frame: pd.DataFrame, idx: Any, ctx: CleanContext, status: str) -> None:
    """Record what happened to the input row behind row ``idx`` of a parsed frame.

    The row is known by its codebook table, file and row number (``_spec``, ``_file``,
    ``_row``); see :meth:`CleanContext.mark`.
    """
    ctx.mark(frame.at[idx, "_spec"], frame.at[idx, "_file"], int(frame.at[idx, "_row"]), status)


def mark_rows(frame: pd.DataFrame, ctx: CleanContext, status: str) -> None:
    """Record the same status for every input row behind the rows of ``frame``.

    Examples
    --------
    >>> from evalkit.data.codebook import parse_codebook
    >>> from evalkit.data.quality import QualityLog
    >>> ctx = CleanContext(parse_codebook({"study": "s", "tables": {}}), Path("."),
    ...                    QualityLog(), b"salt")
    >>> mark_rows(pd.DataFrame({"_spec": "k", "_file": "k.csv", "_row": [3, 2]}), ctx, "empty")
    >>> ctx.status
    {('k', 'k.csv', 2): 'empty', ('k', 'k.csv', 3): 'empty'}
    """
    if frame.empty:
        return
    for (spec, file), rows in frame.groupby(["_spec", "_file"], sort=False)["_row"]:
        ctx.mark_many(spec, file, rows.to_numpy(dtype=np.int64), status)


def source_column(spec: TableSpec, name: str) -> str:
    """The raw header a column is read from (the column's name when it has none).

    Examples
    --------
    >>> from evalkit.data.codebook import ColumnSpec
    >>> spec = TableSpec("c", "costs", ("c.csv",), columns={
    ...     "category": ColumnSpec("category", "Komponen", "str")})
    >>> source_column(spec, "category"), source_column(spec, "amount_idr")
    ('Komponen', 'amount_idr')
    """
    col = spec.columns.get(name)
    return (col.source or name) if col is not None else name


def resolve_files(spec: TableSpec, raw_dir: Path) -> list[str]:
    """The raw files a codebook table reads: its ``files`` globs, relative to ``raw_dir``.

    Hidden files, Excel lock files (``~$``) and the codebook are skipped; a file matched
    by two globs is read once.

    Raises
    ------
    DataError
        If no file matches, or a match is a symbolic link (or lies in a linked folder)
        leading outside ``raw_dir``: it is refused by name, without being opened.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     for name in ("b.csv", "a.csv", "~$a.xlsx"):
    ...         _ = (Path(tmp) / name).write_text("x")
    ...     resolve_files(TableSpec("c", "costs", ("*.csv", "a.csv", "*.xlsx")), Path(tmp))
    ['a.csv', 'b.csv']
    """
    found: list[str] = []
    home = raw_dir.resolve()
    for pattern in spec.files:
        matches = sorted(
            p.relative_to(raw_dir).as_posix()
            for p in raw_dir.glob(pattern)
            if p.is_file() and not p.name.startswith(("~$", ".")) and p.name != "codebook.yaml"
        )
        for match in matches:
            target = (raw_dir / match).resolve()
            if target != home and home not in target.parents:
                raise DataError(
                    "is a link to a file outside the study folder, which is not read; "
                    f"copy the file itself into {raw_dir.name}/ (codebook tables.{spec.key}.files)",
                    file=match,
                )
        found.extend(m for m in matches if m not in found)
    if not found:
        raise DataError(
            f"no file matches {list(spec.files)} (codebook tables.{spec.key}.files)",
            file=str(raw_dir),
        )
    return found


def slug(text: object) -> str:
    """An id made from a name: upper case, runs of other characters as ``-``.

    Examples
    --------
    >>> slug("Latsar CPNS 2024")
    'LATSAR-CPNS-2024'
    """
    return re.sub(r"[^A-Z0-9]+", "-", str(text).upper()).strip("-")


def header_row_hint(path: Path, specs: list[TableSpec], sheet: str | None,
                     header_row: int) -> str:  # fmt: skip
    """Where the codebook's headers of ``specs`` really are in ``path``, as advice.

    Returns an empty text when the file cannot be read or no row of its first 30 holds
    all the headers of a table.

    Examples
    --------
    >>> import tempfile
    >>> from evalkit.data.codebook import ColumnSpec
    >>> spec = TableSpec("c", "costs", ("c.csv",), columns={
    ...     "category": ColumnSpec("category", "Komponen", "str")})
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "c.csv"
    ...     _ = path.write_text("Rekap biaya 2024\\nKomponen\\nATK\\n")
    ...     print(header_row_hint(path, [spec], None, 1))
    the headers of tables.c are on row 2: set 'header_row: 2' under tables.c in the codebook
    """
    try:
        rows = read_rows(path, sheet=sheet, header_row=header_row)
    except DataError:
        return ""
    for spec in specs:
        wanted = {norm_label(h) for h in spec.sources()}
        best, best_hits = None, 0
        for number, row in enumerate(rows[:30], start=1):
            hits = len(wanted & {norm_label(c) for c in row})
            if number != spec.header_row and hits > best_hits:
                best, best_hits = number, hits
        if best is not None and best_hits == len(wanted):
            return (
                f"the headers of tables.{spec.key} are on row {best}: set "
                f"'header_row: {best}' under tables.{spec.key} in the codebook"
            )
    return _other_sheet_hint(path, specs, sheet) if path.suffix.lower() in EXCEL_SUFFIXES else ""


def _other_sheet_hint(path: Path, specs: list[TableSpec], sheet: str | None) -> str:
    """Which other sheet of a workbook holds the codebook's headers of ``specs``, as advice."""
    names = sheet_names(path)
    current = sheet if sheet is not None else (names[0] if names else None)
    for name in names:
        if name == current:
            continue
        try:
            rows = read_rows(path, sheet=name)
        except DataError:
            continue
        for spec in specs:
            wanted = {norm_label(h) for h in spec.sources()}
            for number, row in enumerate(rows[:30], start=1):
                if wanted and wanted <= {norm_label(c) for c in row}:
                    extra = f" and 'header_row: {number}'" if number != 1 else ""
                    return (
                        f"the headers of tables.{spec.key} are on sheet {name!r} (row "
                        f"{number}), not on sheet {current!r}: set 'sheet: {name}'{extra} "
                        f"under tables.{spec.key} in the codebook"
                    )
    return ""
