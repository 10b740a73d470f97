"""Part of evalkit.exports."""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from evalkit.errors import ParameterError

#: First characters that make a spreadsheet read a text cell as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


#: Longest sheet name Excel accepts, and the characters it refuses in one.
SHEET_NAME_MAX = 31


_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


#: A text cell that is a plain number (kept as is, never prefixed).
_NUMBER = re.compile(r"[+-]?(\d+([.,]\d+)*|\d*[.,]\d+)([eE][+-]?\d+)?%?")


def neutralize(value: Any) -> Any:
    """Make one cell safe to open in a spreadsheet.

    Text starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets
    a leading apostrophe, unless it is a plain number (``"-5"``, ``"+62,5"``).
    Every other value (numbers, dates, missing values, other text) is returned
    unchanged.

    Examples
    --------
    >>> [neutralize(v) for v in ["@SUM(A1)", "+62 812", "-2,5", "ok", 3]]
    ["'@SUM(A1)", "'+62 812", '-2,5', 'ok', 3]
    """
    if not isinstance(value, str) or not value.startswith(FORMULA_PREFIXES):
        return value
    if _NUMBER.fullmatch(value):
        return value
    return "'" + value


def neutralize_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell (and column name) neutralised.

    Numeric, boolean and datetime columns are returned as they are; only
    object and string columns are looked at.

    Examples
    --------
    >>> f = pd.DataFrame({"text": ["=1+1", "baik"], "score": [-1.5, 2.0]})
    >>> neutralize_frame(f).to_dict("list")
    {'text': ["'=1+1", 'baik'], 'score': [-1.5, 2.0]}
    """
    out = frame.copy()
    for name in out.columns:
        dtype = out[name].dtype
        if pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype):
            out[name] = out[name].map(neutralize).astype(dtype)
    out.columns = [neutralize(str(c)) if isinstance(c, str) else c for c in out.columns]
    return out


def write_csv(frame: pd.DataFrame, path: Path | str, *, bom: bool = True) -> Path:
    """Write a table to CSV for spreadsheet users, neutralised and atomically.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table; its index is not written.
    path : Path or str
        The CSV file (its folder is created).
    bom : bool, default True
        Start with a UTF-8 byte-order mark, so Excel reads Indonesian and
        other non-ASCII text correctly.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = write_csv(pd.DataFrame({"a": ["=cmd", "-3"], "b": [-1, 2]}),
    ...                   Path(tmp) / "t.csv", bom=False)
    ...     print(p.read_text())
    a,b
    '=cmd,-1
    -3,2
    <BLANKLINE>
    """
    from evalkit.io.atomic import atomic_write

    text = neutralize_frame(frame).to_csv(index=False, lineterminator="\n")
    data = ("\ufeff" if bom else "") + text
    return atomic_write(Path(path), lambda fh: fh.write(data.encode("utf-8")))


def sheet_names(names: Iterable[str]) -> list[str]:
    """Valid, unique Excel sheet names for table names, in the same order.

    Characters Excel refuses (``[]:*?/\\``) become ``_``; names are cut to 31
    characters and made unique with a ``~2``, ``~3`` suffix.

    Examples
    --------
    >>> sheet_names(["scale_scores", "a/b", "x" * 40, "x" * 40])
    ['scale_scores', 'a_b', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxx~2']
    """
    out: list[str] = []
    taken: set[str] = set()
    for name in names:
        base = _SHEET_BAD.sub("_", str(name)).strip("'") or "sheet"
        text = base[:SHEET_NAME_MAX]
        n = 1
        while text.casefold() in taken:
            n += 1
            suffix = f"~{n}"
            text = base[: SHEET_NAME_MAX - len(suffix)] + suffix
        taken.add(text.casefold())
        out.append(text)
    return out


def _xlsx_value(value: Any) -> Any:
    """A cell value openpyxl can write (no NaN, no pandas NA, no tz-aware times)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        value = value.tz_localize(None) if value.tzinfo else value
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return value.item()
    return neutralize(value)


def write_xlsx(
    tables: Mapping[str, pd.DataFrame],
    path: Path | str,
    *,
    notes: Mapping[str, str] | None = None,
) -> Path:
    """Write tables to one XLSX workbook, one sheet per table, atomically.

    Parameters
    ----------
    tables : mapping of str to DataFrame
        Sheet (table) name -> tidy table, in sheet order. Names are made valid
        sheet names (:func:`sheet_names`).
    path : Path or str
        The ``.xlsx`` file (its folder is created).
    notes : mapping of str to str, optional
        Written first as a sheet ``README`` of key / value rows (study,
        source, date, what each sheet holds, privacy notice).

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    ParameterError
        If ``tables`` is empty, a value is not a DataFrame, or a cell holds
        something a spreadsheet cannot (a list, a dict); nothing is written then.

    Notes
    -----
    Text cells are neutralised (:func:`neutralize`) and written as text,
    never as formulas; numbers, booleans and dates keep their type. The header
    row is bold and frozen. The workbook is written in write-only mode with a
    fixed creation time, so the same tables give the same file.

    Examples
    --------
    >>> import tempfile, openpyxl
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = write_xlsx({"scores": pd.DataFrame({"item": ["=A1"], "d": [-0.4]})},
    ...                    Path(tmp) / "appendix.xlsx")
    ...     ws = openpyxl.load_workbook(p)["scores"]
    ...     [c.value for c in ws[2]]
    ["'=A1", -0.4]
    """
    import datetime as _dt

    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    from evalkit.io.atomic import atomic_write

    if not tables:
        raise ParameterError("write_xlsx: parameter 'tables' is empty; give at least one table")
    for name, frame in tables.items():
        if not isinstance(frame, pd.DataFrame):
            raise ParameterError(
                f"write_xlsx: table {name!r} is a {type(frame).__name__}, not a DataFrame"
            )
    cell_types = (str, int, float, bool, _dt.date, _dt.time, _dt.timedelta, type(None))
    for name, frame in tables.items():
        for column in frame.columns:
            if frame[column].dtype != object:
                continue
            for row, value in enumerate(frame[column].tolist(), start=2):
                if not isinstance(_xlsx_value(value), cell_types):
                    raise ParameterError(
                        f"write_xlsx: table {name!r} row {row} column {column!r}: a "
                        f"{type(value).__name__} ({value!r:.40}) cannot be a spreadsheet cell; "
                        "give text, numbers, booleans or dates"
                    )
    book = openpyxl.Workbook(write_only=True)
    fixed = _dt.datetime(2000, 1, 1)
    book.properties.created = fixed
    book.properties.modified = fixed
    book.properties.creator = "evalkit"
    bold = Font(bold=True)

    def header_cells(ws: Any, names: Iterable[Any]) -> list[Any]:
        cells = []
        for name in names:
            cell = WriteOnlyCell(ws, value=neutralize(str(name)))
            cell.data_type = "s"
            cell.font = bold
            cells.append(cell)
        return cells

    def row_cells(ws: Any, values: Iterable[Any]) -> list[Any]:
        cells = []
        for value in values:
            value = _xlsx_value(value)
            cell = WriteOnlyCell(ws, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text, never a formula
            cells.append(cell)
        return cells

    if notes:
        ws = book.create_sheet("README")
        ws.append(header_cells(ws, ["key", "value"]))
        for key, value in notes.items():
            ws.append(row_cells(ws, [str(key), str(value)]))
    names = sheet_names(tables)
    if notes:
        names = sheet_names(["README", *tables])[1:]
    for name, frame in zip(names, tables.values(), strict=True):
        ws = book.create_sheet(name)
        ws.freeze_panes = "A2"
        ws.append(header_cells(ws, frame.columns))
        for row in frame.itertuples(index=False, name=None):
            ws.append(row_cells(ws, row))
    buffer = io.BytesIO()
    book.save(buffer)
    data = _fix_zip_times(buffer.getvalue())
    return atomic_write(Path(path), lambda fh: fh.write(data))


def _fix_zip_times(data: bytes) -> bytes:
    """Rewrite an XLSX (zip) with fixed member times, so equal tables give equal bytes.

    openpyxl stamps ``dcterms:modified`` with the time of saving whatever the workbook's
    properties say; that stamp is fixed here too.
    """
    import re
    import zipfile

    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            member = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                member = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>2000-01-01T00:00:00Z\g<2>",
                    member,
                )
            dst.writestr(fixed, member)
    return out.getvalue()
