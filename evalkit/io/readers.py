"""Reading raw exports and writing processed tables.

Raw files are opened read-only and every cell is read as text, so nothing is
coerced silently (a NIP stays a string, ``"08"`` keeps its zero); the cleaning
step decides what each cell means. CSV files may be UTF-8 (with or without BOM),
UTF-16 or cp1252, delimited by comma, semicolon, tab or pipe (sniffed). XLSX files
are read through calamine, or openpyxl where calamine would change a cell
(:func:`evalkit.io.excel.read_excel_rows`), first sheet or a named one. The text
columns are Arrow-backed strings (pandas ``str``): a cell costs its bytes, not a
Python object, so a national export fits in memory.

Processed files are written atomically: to a temporary file in the same folder,
flushed and fsynced, then moved over the target with :func:`os.replace`, so a
run killed mid-write leaves the previous complete file in place.

Examples
--------
>>> import tempfile, pandas as pd
>>> from pathlib import Path
>>> with tempfile.TemporaryDirectory() as tmp:
...     path = Path(tmp) / "a.csv"
...     _ = path.write_bytes("\\ufeffNIP;Nilai\\n'198505122010011002;78,5\\n".encode())
...     read_table(path).to_dict("records")
[{'NIP': "'198505122010011002", 'Nilai': '78,5'}]
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from evalkit.errors import DataError
from evalkit.io.arrow_csv import read_regular_text
from evalkit.io.excel import read_excel_rows
from evalkit.io.text import read_text_rows

#: File name suffixes read as spreadsheets / as delimited text.
EXCEL_SUFFIXES = (".xlsx", ".xlsm")


TEXT_SUFFIXES = (".csv", ".tsv", ".txt")


def read_table(path: Path | str, *, sheet: str | None = None, header_row: int = 1) -> pd.DataFrame:
    """Read one raw export (CSV/TSV/TXT, XLSX or SPSS .sav) with every cell as text.

    Parameters
    ----------
    path : Path or str
        The raw file; opened read-only.
    sheet : str, optional
        XLSX sheet name (default: the first sheet). Ignored for text files.
    header_row : int, default 1
        Spreadsheet row (1-based) holding the column headers; rows above it are
        skipped.

    Returns
    -------
    pandas.DataFrame
        One text column (pandas ``str``, Arrow-backed) per header (empty cells are ``""``), index
        0..n-1; a row's spreadsheet number is ``index + header_row + 1``. Trailing
        rows that are entirely empty are removed; ``df.attrs["header_row"]``
        records ``header_row``. A row of a text file with fewer cells than the
        header (but more than one: a line cut short, as in a truncated file) is
        padded with ``""`` and listed in ``df.attrs["short_rows"]`` (index ->
        cells it had), so that cleaning quarantines it rather than keep it whole.
        ``df.attrs["codes"]`` holds, for a ``.sav`` file, the unlabelled codes of
        the columns with value labels (header -> text per row); else it is empty.

    Raises
    ------
    DataError
        If the file does not exist, is empty, has no header, has blank or
        duplicated header names, a row with more cells than the header, or is
        not a readable workbook (or lacks the named sheet).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = Path(tmp) / "x.csv"
    ...     _ = p.write_text("a,b\\n1,\\n\\n", encoding="utf-8")
    ...     read_table(p).to_dict("records")
    [{'a': '1', 'b': ''}]
    """
    path = Path(path)
    if header_row < 1:
        raise DataError(f"header_row must be >= 1, got {header_row}", file=path.name)
    if header_row == 1 and path.suffix.lower() in TEXT_SUFFIXES and path.is_file():
        regular = read_regular_text(path)
        if regular is not None:
            return regular
    rows = read_rows(path, sheet=sheet, header_row=header_row)
    merged = getattr(rows, "merged", [])
    codes = getattr(rows, "codes", {})  # .sav: the codes under value labels
    rows = rows[header_row - 1 :]
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    if not rows:
        raise DataError("file is empty (no header row)", file=path.name)
    header = [h.strip().lstrip("\ufeff") for h in rows[0]]
    while header and header[-1] == "":
        header.pop()
    if not header:
        raise DataError("the header row is empty", file=path.name, row=header_row)
    for i, name in enumerate(header):
        if name == "":
            raise DataError(
                f"column {i + 1} has no header; every column needs a name",
                file=path.name,
                row=header_row,
            )
    seen: dict[str, int] = {}
    for i, name in enumerate(header):
        if name in seen:
            raise DataError(
                f"header {name!r} appears twice (columns {seen[name] + 1} and {i + 1}); "
                "rename one so the codebook can tell them apart",
                file=path.name,
                row=header_row,
            )
        seen[name] = i
    width = len(header)
    text = path.suffix.lower() not in (*EXCEL_SUFFIXES, ".sav")
    short: dict[int, int] = {}
    body = rows[1:]
    del rows
    for offset, row in enumerate(body):
        if len(row) == width:
            continue
        if text and 1 < len(row) < width and any(c.strip() for c in row):
            short[offset] = len(row)  # a line cut short (a truncated file): not padded silently
        extra = row[width:]
        if any(c.strip() for c in extra):
            raise DataError(
                f"row has {len(row)} cells but the header has {width}; check the "
                "delimiter and quoting of this row",
                file=path.name,
                row=header_row + 1 + offset,
            )
        body[offset] = row[:width] + [""] * (width - len(row))
    frame = _text_frame(body, header)
    del body
    frame.attrs["header_row"] = header_row
    frame.attrs["short_rows"] = short
    frame.attrs["merged"] = [
        (r, header[c - 1], ref) for r, c, ref in merged if r > header_row and c <= width
    ]
    frame.attrs["codes"] = {
        k: v[header_row - 1 : header_row - 1 + len(frame)] for k, v in codes.items() if k in seen
    }
    return frame


def _text_frame(body: list[list[str]], header: list[str]) -> pd.DataFrame:
    """Rows of exactly ``len(header)`` texts as a frame of Arrow-backed string columns.

    A column of Arrow strings holds a cell in its bytes plus an offset, where a Python
    string object costs about 50 bytes more: a million-row export fits in a fraction
    of the memory, and reading it back as Python text is the same.
    """
    if not body:
        return pd.DataFrame({h: pd.Series([], dtype="str") for h in header})
    import pyarrow as pa

    columns = zip(*body, strict=True)
    return pd.DataFrame(
        {
            h: pd.array(pa.array(col, type=pa.large_string()), dtype="str")
            for h, col in zip(header, columns, strict=True)
        }
    )


def read_rows(
    path: Path | str, *, sheet: str | None = None, header_row: int = 1
) -> list[list[str]]:
    """Every row of a raw export as a list of cell texts, before any header is read.

    Parameters
    ----------
    path : Path or str
        The raw file (CSV/TSV/TXT, XLSX or SPSS .sav); opened read-only.
    sheet : str, optional
        XLSX sheet name (default: the first sheet).
    header_row : int, default 1
        Spreadsheet row of the headers: XLSX cells merged over several rows below
        it repeat the merged value in every cell of the range (a hand-kept sheet
        merges a cohort code over its participants); the filled cells are listed
        as ``(row, column, range)`` in the result's ``merged`` attribute.

    Returns
    -------
    list of list of str
        Rows from the first line of the file (row 1), cells as text.

    Raises
    ------
    DataError
        If the file does not exist, is binary or another format under a text
        name, leaves a quote open over following rows, or is not a readable
        workbook (or lacks the named sheet).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = Path(tmp) / "x.csv"
    ...     _ = p.write_bytes(b"PK\\x03\\x04 rest of a workbook")
    ...     try:
    ...         read_rows(p)
    ...     except DataError as err:
    ...         print(str(err)[:60])
    file x.csv: not delimited text: the file is a zip archive, m
    """
    path = Path(path)
    if not path.is_file():
        raise DataError("file does not exist", file=str(path))
    if path.suffix.lower() in EXCEL_SUFFIXES:
        return read_excel_rows(path, sheet, header_row)
    if path.suffix.lower() == ".sav":
        from evalkit.io.spss import sav_rows

        return sav_rows(path)
    return read_text_rows(path)
