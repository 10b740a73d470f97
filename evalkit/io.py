"""Reading raw exports and writing processed tables.

Raw files are opened read-only and every cell is read as text, so nothing is
coerced silently (a NIP stays a string, ``"08"`` keeps its zero); the cleaning
step decides what each cell means. CSV files may be UTF-8 (with or without BOM),
UTF-16 or cp1252, delimited by comma, semicolon, tab or pipe (sniffed). XLSX files
are read through openpyxl, first sheet or a named one.

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

import csv
import datetime as _dt
import hashlib
import io
import json
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from evalkit.errors import DataError

#: Delimiters tried when sniffing a CSV, in order of preference on ties.
DELIMITERS = (",", ";", "\t", "|")
#: File name suffixes read as spreadsheets / as delimited text.
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
TEXT_SUFFIXES = (".csv", ".tsv", ".txt")


# --- hashing ------------------------------------------------------------------------
def sha256(path: Path | str) -> str:
    """SHA-256 hex digest of a file's bytes.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile() as fh:
    ...     sha256(fh.name)[:12]
    'e3b0c44298fc'
    """
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- reading raw tables -------------------------------------------------------------
def decode(data: bytes) -> tuple[str, str]:
    """Decode raw bytes, guessing the encoding.

    Returns the text and the encoding used: ``utf-8-sig`` (BOM), ``utf-16``
    (BOM), ``utf-8``, else ``cp1252`` (the Windows default of Indonesian Excel),
    else ``latin-1`` (which never fails).

    Examples
    --------
    >>> decode("Sosialisasi".encode("cp1252"))
    ('Sosialisasi', 'utf-8')
    >>> decode("caf\\u00e9 \\u2013 ok".encode("cp1252"))
    ('café – ok', 'cp1252')
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def sniff_delimiter(text: str) -> str:
    """Guess the delimiter of delimited text from its first lines.

    The delimiter that splits the header into the most fields, consistently over
    the next lines, wins; a header with a single field gives ``","``.

    Examples
    --------
    >>> sniff_delimiter("NIP;Nama;Nilai\\n1;A;78,5\\n")
    ';'
    >>> sniff_delimiter('"Saran, komentar"\\tNilai\\nbagus\\t3\\n')
    '\\t'
    """
    sample = text[:65536]
    lines = sample.splitlines()[:30]
    if not lines:
        return ","
    best, best_score = ",", (0, 0)
    for delim in DELIMITERS:
        try:
            rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delim))
        except csv.Error:
            continue
        if not rows:
            continue
        width = len(rows[0])
        body = rows[1:-1] if len(rows) > 2 else rows[1:]
        consistent = sum(len(r) == width for r in body) if body else 1
        score = (width if width > 1 else 0, consistent)
        if score > best_score:
            best, best_score = delim, score
    return best


def _cell_text(value: Any) -> str:
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


def _read_excel(path: Path, sheet: str | None, header_row: int = 1) -> list[list[str]]:
    """Rows of cell texts; cells of a range merged below the header repeat its value.

    Returns a :class:`_Rows` whose ``merged`` lists the cells so filled as
    ``(row, column, range)`` (1-based sheet coordinates).
    """
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
            rows = [[_cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
        except DataError:
            raise
        except Exception as err:  # a damaged sheet inside a readable zip
            raise DataError(
                f"cannot read sheet {ws.title!r} ({type(err).__name__}: {_short_error(err)})",
                file=path.name,
            ) from err
        filled: list[tuple[int, int, str]] = []
        for r1, c1, r2, c2 in _merged_ranges(book, ws):
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


#: Leading bytes of file formats that are sometimes saved under a .csv name.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "a zip archive, most likely an .xlsx workbook saved under a text name; "
     "rename it to .xlsx or export the sheet again as CSV"),
    (b"\xd0\xcf\x11\xe0", "a legacy Excel 97-2003 (.xls) or other OLE file; open it and "
     "save it as .xlsx or CSV"),
    (b"$FL2", "an SPSS .sav file; rename it to .sav"),
    (b"$FL3", "an SPSS .sav file; rename it to .sav"),
    (b"%PDF", "a PDF document, not an export"),
    (b"\x89PNG", "a PNG image, not an export"),
    (b"\xff\xd8\xff", "a JPEG image, not an export"),
    (b"SQLite format 3", "an SQLite database, not an export"),
)  # fmt: skip
#: Largest cell of delimited text (bytes); Python's csv default is 128 KiB.
MAX_CELL_BYTES = 64 << 20
_CONTROL = bytes(c for c in range(32) if c not in (9, 10, 12, 13))


def _binary_kind(data: bytes) -> str | None:
    """Why ``data`` is not delimited text, or None if it may be."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    head = data[:65536]
    if head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) or not head:
        return None
    control = len(head) - len(head.translate(None, _CONTROL))
    if control > 0.02 * len(head) and _utf16_order(head) is None:
        return (
            f"binary data ({control} control bytes in the first {len(head)}), not text; "
            "export the data again as CSV or XLSX"
        )
    return None


def _utf16_order(head: bytes) -> str | None:
    """``utf-16-le``/``utf-16-be`` when ``head`` looks like UTF-16 text without a BOM."""
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _read_text(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    if not data.strip():
        return []
    kind = _binary_kind(data)
    if kind is not None:
        raise DataError(f"not delimited text: the file is {kind}", file=path.name)
    order = None if data.startswith((b"\xff\xfe", b"\xfe\xff")) else _utf16_order(data[:65536])
    if order is not None:
        text = data.decode(order, errors="replace")
    else:
        text, _encoding = decode(data)
    text = text.replace("\x00", "")
    delim = "\t" if path.suffix.lower() == ".tsv" else sniff_delimiter(text)
    if csv.field_size_limit() < MAX_CELL_BYTES:
        csv.field_size_limit(MAX_CELL_BYTES)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=False))
    except csv.Error as err:
        raise DataError(f"cannot parse as delimited text ({err})", file=path.name) from err
    if '"' in text:
        _check_quotes(rows, delim, path.name)
    return rows


def _check_quotes(rows: list[list[str]], delim: str, file: str) -> None:
    """Refuse a quote left open: the lines after it would be swallowed into one cell.

    A cell spanning several lines is fine (a comment with line breaks) unless one of
    its later lines holds as many delimiters as a row of the file: then a quote was
    opened and not closed, and those lines are rows that would be lost.
    """
    if not rows:
        return
    width = len(rows[0])
    if width < 3:
        return
    for number, row in enumerate(rows, start=1):
        for col, cell in enumerate(row):
            if "\n" not in cell and "\r" not in cell:
                continue
            lines = cell.splitlines()[1:]
            swallowed = sum(1 for line in lines if line.count(delim) >= width - 1)
            if swallowed:
                header = rows[0][col].strip() if col < width else f"column {col + 1}"
                raise DataError(
                    f'a quote (") opened in this cell is never closed, so {swallowed} '
                    f"following line(s) that look like rows would be read as part of it; "
                    "close or remove the quote",
                    file=file,
                    row=number,
                    column=header,
                )


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
        One object column of strings per header (empty cells are ``""``), index
        0..n-1; a row's spreadsheet number is ``index + header_row + 1``. Trailing
        rows that are entirely empty are removed; ``df.attrs["header_row"]``
        records ``header_row``.

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
    rows = read_rows(path, sheet=sheet, header_row=header_row)
    merged = getattr(rows, "merged", [])
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
    body: list[list[str]] = []
    for offset, row in enumerate(rows[1:]):
        extra = row[width:]
        if any(c.strip() for c in extra):
            raise DataError(
                f"row has {len(row)} cells but the header has {width}; check the "
                "delimiter and quoting of this row",
                file=path.name,
                row=header_row + 1 + offset,
            )
        cells = row[:width]
        body.append(cells + [""] * (width - len(cells)))
    frame = pd.DataFrame(body, columns=header, dtype=object)
    if frame.empty:
        frame = pd.DataFrame({h: pd.Series([], dtype=object) for h in header})
    frame.attrs["header_row"] = header_row
    frame.attrs["merged"] = [
        (r, header[c - 1], ref) for r, c, ref in merged if r > header_row and c <= width
    ]
    return frame


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
        return _read_excel(path, sheet, header_row)
    if path.suffix.lower() == ".sav":
        from evalkit.spss import sav_rows

        return sav_rows(path)
    return _read_text(path)


# --- atomic writes ------------------------------------------------------------------
def atomic_write(path: Path | str, write: Callable[[Any], None], *, binary: bool = True) -> Path:
    """Write a file atomically.

    ``write`` receives an open file object (in the target's folder) and fills it;
    the file is then flushed, fsynced and moved over ``path`` with
    :func:`os.replace`. If ``write`` raises, the target is untouched and the
    temporary file is removed.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = atomic_write(Path(tmp) / "x.txt", lambda fh: fh.write("ok"), binary=False)
    ...     p.read_text()
    'ok'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        mode = "wb" if binary else "w"
        kwargs = {} if binary else {"encoding": "utf-8", "newline": ""}
        with os.fdopen(fd, mode, **kwargs) as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except FileNotFoundError:
            pass
        raise
    try:  # make the rename itself durable
        dir_fd = os.open(path.parent, os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. platforms without directory fds
        return path
    try:
        os.fsync(dir_fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(dir_fd)
    return path


def atomic_write_bytes(path: Path | str, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_write`).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     atomic_write_bytes(Path(tmp) / "sub" / "a.txt", b"hi").read_bytes()
    b'hi'
    """
    return atomic_write(path, lambda fh: fh.write(data))


def atomic_write_text(path: Path | str, text: str) -> Path:
    """Write UTF-8 ``text`` to ``path`` atomically (see :func:`atomic_write`)."""
    return atomic_write_bytes(path, text.encode("utf-8"))


def write_parquet(frame: pd.DataFrame, path: Path | str) -> Path:
    """Write a DataFrame to Parquet atomically and deterministically.

    The index is not written; the same frame gives byte-identical files.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = write_parquet(pd.DataFrame({"a": [1, 2]}), Path(tmp) / "t.parquet")
    ...     read_parquet(p)["a"].tolist()
    [1, 2]
    """
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False, engine="pyarrow", compression="snappy")
    data = buffer.getvalue()
    return atomic_write(path, lambda fh: fh.write(data))


def write_csv(frame: pd.DataFrame, path: Path | str) -> Path:
    """Write a DataFrame to UTF-8 CSV atomically (no index).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = write_csv(pd.DataFrame({"a": ["x"]}), Path(tmp) / "t.csv")
    ...     p.read_text()
    'a\\nx\\n'
    """
    text = frame.to_csv(index=False, lineterminator="\n")
    return atomic_write(path, lambda fh: fh.write(text), binary=False)


def write_json(obj: Any, path: Path | str) -> Path:
    """Write an object as indented, key-sorted JSON atomically.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = write_json({"b": 1, "a": [1]}, Path(tmp) / "m.json")
    ...     json.loads(p.read_text())
    {'a': [1], 'b': 1}
    """
    text = json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n"
    return atomic_write(path, lambda fh: fh.write(text), binary=False)


# --- reading processed tables -------------------------------------------------------
def read_parquet(path: Path | str) -> pd.DataFrame:
    """Read a processed Parquet table, refusing a corrupt or truncated file.

    Raises
    ------
    DataError
        Naming the file, if it is missing, truncated (no ``PAR1`` footer) or
        cannot be decoded.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = Path(tmp) / "bad.parquet"
    ...     _ = p.write_bytes(b"PAR1 not really")
    ...     try:
    ...         read_parquet(p)
    ...     except DataError as err:
    ...         print(str(err)[:40])
    file bad.parquet: corrupt or truncated P
    """
    path = Path(path)
    if not path.is_file():
        raise DataError("processed table does not exist; run `evalkit clean`", file=str(path))
    hint = "corrupt or truncated Parquet file; run `evalkit clean` to rebuild it from raw"
    with open(path, "rb") as fh:
        head = fh.read(4)
        fh.seek(0, os.SEEK_END)
        size = fh.tell()
        fh.seek(max(size - 4, 0))
        tail = fh.read(4)
    if size < 12 or head != b"PAR1" or tail != b"PAR1":
        raise DataError(hint, file=path.name)
    try:
        return pd.read_parquet(path, engine="pyarrow")
    except Exception as err:  # pyarrow raises ArrowInvalid, OSError, ...
        raise DataError(f"{hint} ({type(err).__name__}: {err})", file=path.name) from err


def check_processed(processed_dir: Path | str) -> dict[str, Any]:
    """Check a processed study folder against its ``manifest.json``.

    Every table listed in the manifest must exist with the recorded SHA-256.

    Returns
    -------
    dict
        The manifest.

    Raises
    ------
    DataError
        Naming the missing, changed or corrupt file.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     try:
    ...         check_processed(tmp)
    ...     except DataError as err:
    ...         print("manifest.json" in str(err))
    True
    """
    folder = Path(processed_dir)
    manifest_path = folder / "manifest.json"
    if not manifest_path.is_file():
        raise DataError(
            "no manifest.json: the folder was not written by `evalkit clean` (or the run "
            "did not finish); run `evalkit clean`",
            file=str(manifest_path),
        )
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise DataError(f"manifest is not valid JSON ({err})", file=str(manifest_path)) from err
    for table, info in sorted(manifest.get("outputs", {}).items()):
        path = folder / info["file"]
        if not path.is_file():
            raise DataError(f"table {table!r} is missing; run `evalkit clean`", file=str(path))
        if sha256(path) != info.get("sha256"):
            raise DataError(
                f"table {table!r} differs from the manifest (changed, corrupt or truncated); "
                "run `evalkit clean` to rebuild it",
                file=path.name,
            )
    return manifest


def load_study(processed_dir: Path | str, *, verify: bool = True) -> dict[str, pd.DataFrame]:
    """Load every processed table of a study.

    Parameters
    ----------
    processed_dir : Path or str
        ``data/processed/<study>``.
    verify : bool, default True
        Check the files against ``manifest.json`` first (:func:`check_processed`).

    Returns
    -------
    dict of str to pandas.DataFrame
        Table name (file stem) to table, in alphabetical order.

    Raises
    ------
    DataError
        If the folder does not exist, holds no table, or a table is corrupt.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = write_parquet(pd.DataFrame({"cohort_id": ["C1"]}), Path(tmp) / "cohorts.parquet")
    ...     sorted(load_study(tmp, verify=False))
    ['cohorts']
    """
    folder = Path(processed_dir)
    if not folder.is_dir():
        raise DataError("processed folder does not exist; run `evalkit clean`", file=str(folder))
    if verify:
        check_processed(folder)
    paths = sorted(folder.glob("*.parquet"))
    if not paths:
        raise DataError("no processed table (*.parquet); run `evalkit clean`", file=str(folder))
    return {p.stem: read_parquet(p) for p in paths}
