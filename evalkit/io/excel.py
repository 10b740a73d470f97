"""Part of evalkit.io."""

from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path
from typing import Any

from evalkit.errors import DataError


def cell_text(value: Any) -> str:
    """Text of one spreadsheet cell, as a person reading the sheet would type it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, _dt.datetime):
        if value.time() == _dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return str(value)


_MERGE_REF = re.compile(rb'<mergeCell\s+ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters.decode("ascii"):
        number = number * 26 + ord(ch) - 64
    return number


def _merged_ranges(book: Any, ws: Any) -> list[tuple[int, int, int, int]]:
    """Merged ranges (min_row, min_col, max_row, max_col) of a read-only worksheet.

    Read-only worksheets do not parse ``<mergeCells>``, which follows the cell data
    in the sheet XML; the XML is streamed and only that element is kept.
    """
    try:
        archive, member = book._archive, ws._worksheet_path
        tail = b""
        found: list[bytes] = []
        with archive.open(member) as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                chunk = tail + block
                start = chunk.find(b"<mergeCell")
                if start >= 0 or found:
                    found.append(chunk if not found else block)
                    tail = b""
                else:
                    tail = chunk[-16:]
        data = b"".join(found)
    except Exception:  # an unusual workbook: read it without filling merged cells
        return []
    return [
        (int(r1), _column_number(c1), int(r2), _column_number(c2))
        for c1, r1, c2, r2 in _MERGE_REF.findall(data)
    ]


def read_excel_rows(path: Path, sheet: str | None, header_row: int = 1) -> list[list[str]]:
    """Rows of cell texts; cells of a range merged below the header repeat its value.

    Returns a :class:`_Rows` whose ``merged`` lists the cells so filled as
    ``(row, column, range)`` (1-based sheet coordinates). The sheet is read with
    calamine (``python-calamine``, about 20x faster than openpyxl) when it gives the
    same texts; a sheet holding a number of 16 or more digits (calamine reads numbers
    as 64-bit floats, which would change the digits of a NIP typed as a number), a
    workbook calamine cannot open, and a missing sheet are read with openpyxl, which
    also words every error.
    """
    fast = _calamine_rows(path, sheet)
    if fast is not None:
        rows, ranges = fast
        return _fill_merged(rows, ranges, header_row)
    try:
        import openpyxl
    except ImportError as err:  # pragma: no cover - openpyxl is a dependency
        raise DataError(
            "reading XLSX needs openpyxl (pip install openpyxl)", file=path.name
        ) from err
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds on a damaged file
        raise DataError(
            f"cannot open as an XLSX workbook ({type(err).__name__}: {_short_error(err)}); "
            "open it in a spreadsheet program and save it again as .xlsx",
            file=path.name,
        ) from err
    try:
        if sheet is None:
            if not book.worksheets:
                raise DataError("the workbook has no worksheet", file=path.name)
            ws = book.worksheets[0]
        elif sheet in book.sheetnames:
            ws = book[sheet]
        else:
            raise DataError(
                f"no sheet named {sheet!r}; the workbook has {book.sheetnames}", file=path.name
            )
        try:
            rows = [[cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
        except DataError:
            raise
        except Exception as err:  # a damaged sheet inside a readable zip
            raise DataError(
                f"cannot read sheet {ws.title!r} ({type(err).__name__}: {_short_error(err)})",
                file=path.name,
            ) from err
        return _fill_merged(rows, _merged_ranges(book, ws), header_row)
    finally:
        book.close()


#: Numbers at or above this magnitude may have lost digits in a 64-bit float.
_EXACT_FLOAT = 1e15


def _calamine_rows(
    path: Path, sheet: str | None
) -> tuple[list[list[str]], list[tuple[int, int, int, int]]] | None:
    """Rows of cell texts and merged ranges read by calamine, or None to use openpyxl."""
    try:
        from python_calamine import CalamineWorkbook, SheetTypeEnum
    except ImportError:  # pragma: no cover - python-calamine is a dependency
        return None
    try:
        book = CalamineWorkbook.from_path(str(path))
        names = [m.name for m in book.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
        name = (names[0] if names else None) if sheet is None else sheet
        if name is None or name not in names:
            return None
        ws = book.get_sheet_by_name(name)
        values = ws.to_python(skip_empty_area=False)
        ranges = [(r1 + 1, c1 + 1, r2 + 1, c2 + 1)
                  for (r1, c1), (r2, c2) in (ws.merged_cell_ranges or [])]  # fmt: skip
    except Exception:  # a damaged workbook: openpyxl reads it or words the error
        return None
    rows = []
    for row in values:
        for v in row:
            if isinstance(v, float) and abs(v) >= _EXACT_FLOAT:
                return None
        cells = [cell_text(v) for v in row]
        while cells and cells[-1] == "":
            cells.pop()  # as openpyxl, which ends a row at its last cell
        rows.append(cells)
    while rows and not any(rows[-1]):
        rows.pop()  # openpyxl stops at the last row that holds a cell
    return rows, ranges


def _fill_merged(
    rows: list[list[str]], ranges: list[tuple[int, int, int, int]], header_row: int
) -> _Rows:
    """Cells of ranges merged below the header filled with the range's top-left value."""
    filled: list[tuple[int, int, str]] = []
    for r1, c1, r2, c2 in ranges:
        if r1 <= header_row or r1 > len(rows):
            continue  # merged title or header cells are left as they are
        top = rows[r1 - 1][c1 - 1] if c1 <= len(rows[r1 - 1]) else ""
        ref = f"{_column_letters(c1)}{r1}:{_column_letters(c2)}{r2}"
        for r in range(r1, min(r2, len(rows)) + 1):
            row = rows[r - 1]
            if len(row) < c2:
                row.extend([""] * (c2 - len(row)))
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1) and row[c - 1] == "" and top != "":
                    row[c - 1] = top
                    filled.append((r, c, ref))
    return _Rows(rows, merged=filled)


def sheet_names(path: Path) -> list[str]:
    """The worksheet names of an XLSX workbook, in order; ``[]`` if it cannot be opened."""
    try:
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # a damaged workbook: the caller reports the read error itself
        return []
    try:
        return list(book.sheetnames)
    finally:
        book.close()


class _Rows(list):
    """A list of rows that also carries the cells filled from merged ranges."""

    def __init__(self, rows: list[list[str]], merged: list[tuple[int, int, str]] = ()) -> None:
        super().__init__(rows)
        self.merged = list(merged)


def _column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _short_error(err: BaseException, limit: int = 160) -> str:
    text = " ".join(str(err).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."
