"""Part of evalkit.io."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from evalkit.errors import DataError

#: Delimiters tried when sniffing a CSV, in order of preference on ties.
DELIMITERS = (",", ";", "\t", "|")


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
    the next lines, wins; a header with a single field gives ``","``. Lines of a
    single field above the header (a title row such as ``Rekap nilai 2024``) are
    passed over, so the title does not decide the delimiter.

    Examples
    --------
    >>> sniff_delimiter("Rekap nilai 2024\\nNIP,Nama,Nilai\\n1,A,78\\n2,B,80\\n")
    ','

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
        while len(rows) > 2 and len(rows[0]) == 1:
            rows = rows[1:]  # a title line above the header: judge by the lines below it
        if not rows:
            continue
        width = len(rows[0])
        body = rows[1:-1] if len(rows) > 2 else rows[1:]
        consistent = sum(len(r) == width for r in body) if body else 1
        score = (width if width > 1 else 0, consistent)
        if score > best_score:
            best, best_score = delim, score
    return best


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


def binary_kind(data: bytes) -> str | None:
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


def read_text_rows(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    if not data.strip():
        return []
    kind = binary_kind(data)
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
    # each row takes one line; more line breaks than rows: some cell holds a line break
    breaks = text.count("\n") + text.count("\r") - text.count("\r\n")
    breaks += 0 if text.endswith(("\n", "\r")) else 1
    if '"' in text and breaks > len(rows):
        _check_quotes(rows, delim, path.name)
    return rows


def _check_quotes(rows: list[list[str]], delim: str, file: str) -> None:
    """Refuse a quote left open: the lines after it would be swallowed into one cell.

    A cell spanning several lines is fine (a comment with line breaks) unless one of
    its later lines holds as many delimiters as a row of the file, or its row ends up
    with more cells than the header (the quote was closed by the quote of a cell in
    a later row, merging the rows): then a quote was opened and not closed, and those
    lines are rows that would be lost.

    Examples
    --------
    >>> rows = [["a", "b", "c"], ["1", "x\\n2,3", "4", "5"]]
    >>> try:
    ...     _check_quotes(rows, ",", "f.csv")
    ... except DataError as err:
    ...     print(str(err)[:57])
    file f.csv, row 2, column 'b': a quote (") opened in this
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
            if not swallowed and len(row) > width:
                swallowed = len(lines)  # the quote closed inside a later row: rows merged
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
