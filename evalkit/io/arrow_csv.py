"""A regular delimited-text export read by Arrow's CSV parser, in C, on all cores.

:func:`evalkit.io.readers.read_table` reads every text export through Python's
``csv`` module (:func:`evalkit.io.text.read_text_rows`), which keeps each cell as a
Python string first: about 50 bytes and a microsecond per cell, 1.1 GB for a
million-row survey. Most exports are regular: UTF-8, the headers on row 1, every
row as wide as the header, no quote left open. :func:`read_regular_text` parses
those with :func:`pyarrow.csv.read_csv` into the same Arrow string columns, and
returns None for every other file, which then takes the general reader. It is an
optimisation, not a second reader: the general reader decides the delimiter
(:func:`~evalkit.io.text.sniff_delimiter` on the same text) and every rule, and a
file either path could read gives the same frame (tests compare them).

A file goes to the general reader when it is empty, binary, has NUL bytes or is
not UTF-8 (a BOM is fine), when a row has more or fewer cells than the header, when the header has
a blank, repeated or trailing empty name, or when a cell spanning lines holds a
line that looks like a row (an open quote, which the general reader names).

Examples
--------
>>> import tempfile
>>> with tempfile.TemporaryDirectory() as tmp:
...     path = Path(tmp) / "a.csv"
...     _ = path.write_bytes("\\ufeffNIP;Nilai\\n'198505122010011002;78,5\\n;\\n".encode())
...     regular = read_regular_text(path)
...     _ = path.write_bytes(b"NIP;Nilai\\n1985;78;5\\n")
...     irregular = read_regular_text(path)
>>> regular.to_dict("records"), regular.attrs["header_row"], irregular is None
([{'NIP': "'198505122010011002", 'Nilai': '78,5'}], 1, True)
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from evalkit.io.text import binary_kind, sniff_delimiter

if TYPE_CHECKING:
    import pyarrow as pa

#: Bytes decoded for sniffing the delimiter: 65,536 characters of at most 4 bytes.
_SNIFF_BYTES = 4 * 65536


def _parse(data: memoryview, delim: str, width: int) -> pa.Table | None:
    """Every record of ``data`` as ``width`` string columns ``c0..``; None if one differs."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    names = [f"c{i}" for i in range(width)]
    try:
        return pacsv.read_csv(
            pa.py_buffer(data),
            read_options=pacsv.ReadOptions(column_names=names, block_size=16 << 20),
            parse_options=pacsv.ParseOptions(
                delimiter=delim, quote_char='"', double_quote=True, escape_char=False,
                newlines_in_values=True, ignore_empty_lines=False,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.large_string()), check_utf8=True,
                strings_can_be_null=False, quoted_strings_can_be_null=False,
            ),
        )  # fmt: skip
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None  # a row of another width, invalid UTF-8, an unterminated quote


def _header(table: pa.Table, width: int) -> list[str] | None:
    """The header names as the general reader cleans them; None if it would refuse them."""
    header = [table.column(i)[0].as_py().strip().lstrip("\ufeff") for i in range(width)]
    if "" in header or len(set(header)) < width:
        return None  # blank, trailing empty or repeated names: the general reader says which
    return header


def _opens_a_quote(table: pa.Table, delim: str, width: int, text_rows: int) -> bool:
    """Whether a cell spanning lines holds a line that looks like a row of the file."""
    import pyarrow.compute as pc

    if width < 3 or text_rows <= table.num_rows:
        return False
    for column in table.columns:
        spanning = pc.filter(column, pc.match_substring_regex(column, "[\r\n]"))
        for cell in spanning.to_pylist():
            if any(line.count(delim) >= width - 1 for line in cell.splitlines()[1:]):
                return True
    return False


def read_regular_text(path: Path) -> pd.DataFrame | None:
    """A regular UTF-8 delimited export as :func:`~evalkit.io.readers.read_table` reads it.

    Parameters
    ----------
    path : Path
        A ``.csv``, ``.tsv`` or ``.txt`` export with its headers on row 1.

    Returns
    -------
    pandas.DataFrame or None
        One ``str`` column per header, trailing empty rows removed, ``attrs``
        ``header_row`` (1), ``short_rows`` ({}) and ``merged`` ([]), ``codes`` ({}); None when the
        file is not regular (see the module's description) or not readable here,
        so that the general reader reads it and names what is wrong.
    """
    try:
        data = path.read_bytes()
    except OSError:
        return None
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    if not data[start:].strip() or b"\x00" in data or binary_kind(data) is not None:
        return None  # empty, UTF-16 or binary: the general reader says what it is
    sample = data[start : start + _SNIFF_BYTES].decode("utf-8", errors="ignore")[:65536]
    delim = "\t" if path.suffix.lower() == ".tsv" else sniff_delimiter(sample)
    first = io.StringIO(sample, newline="")
    try:
        width = len(next(csv.reader(first, delimiter=delim, strict=False)))
    except (csv.Error, StopIteration):
        return None
    view = memoryview(data)[start:]
    table = _parse(view, delim, width) if width > 1 else None
    if table is None or table.num_rows < 1:
        return None
    header = _header(table, width)
    text = data[start:]
    breaks = text.count(b"\n") + text.count(b"\r") - text.count(b"\r\n")
    breaks += 0 if text.endswith((b"\n", b"\r")) else 1
    if header is None or (b'"' in text and _opens_a_quote(table, delim, width, breaks)):
        return None
    del text, view, data
    end = table.num_rows
    while end > 1 and not any(table.column(i)[end - 1].as_py().strip() for i in range(width)):
        end -= 1  # trailing rows with no cell: not data
    body = table.slice(1, end - 1)
    del table
    frame = pd.DataFrame({h: pd.array(body.column(i), dtype="str") for i, h in enumerate(header)})
    frame.attrs.update(header_row=1, short_rows={}, merged=[], codes={})
    return frame
