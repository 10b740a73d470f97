"""The readable tables of a study folder, each with the row its header is on.

:func:`read_sources` reads every export of a folder (CSV, TSV and TXT in any
common encoding and delimiter, every non-empty sheet of an XLSX workbook, SPSS
``.sav`` files with their variable labels) into a :class:`Source`; a file
that cannot be read is reported, not raised. Hand-kept sheets often have
title rows above the header: :func:`header_row` finds the first row nearly as
full as the fullest of the top :data:`HEADER_SCAN_ROWS` rows.

Examples
--------
>>> header_row([["DAFTAR KELAS"], ["BKPSDM, 2025"], ["Kode", "Nama", "JP"], ["K1", "A", "8"]])
3
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from evalkit.errors import EvalkitError

#: File suffixes read when inspecting a study folder.
RAW_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".sav")


#: Rows inspected above a header to find it (title rows of hand-kept sheets).
HEADER_SCAN_ROWS = 15


@dataclass
class Source:
    """One readable table of the study folder: a CSV, an XLSX sheet or a .sav file.

    ``file`` is relative to the study folder; ``sheet`` is None for a CSV, a
    ``.sav`` file or a workbook of one sheet; ``labels`` are SPSS variable
    labels (header -> label), ``value_labels`` SPSS value labels (header -> code -> label).
    """

    file: str
    sheet: str | None
    header_row: int
    frame: pd.DataFrame
    labels: dict[str, str] = field(default_factory=dict)  # SPSS variable labels
    value_labels: dict[str, dict[Any, str]] = field(default_factory=dict)

    @property
    def where(self) -> str:
        """The file, and its sheet when it has one, as messages name it."""
        return self.file + (f" (sheet {self.sheet!r})" if self.sheet else "")


def is_export(path: Path) -> bool:
    """Whether a path is an export to read: a file of :data:`RAW_SUFFIXES`, not hidden or a lock.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     for name in ("nilai.CSV", "~$peserta.xlsx", "catatan.docx"):
    ...         _ = (Path(tmp) / name).write_text("x")
    ...     sorted(p.name for p in Path(tmp).iterdir() if is_export(p))
    ['nilai.CSV']
    """
    return (
        path.is_file()
        and path.suffix.lower() in RAW_SUFFIXES
        and not path.name.startswith(("~$", "."))
    )


def header_row(rows: Sequence[Sequence[str]]) -> int:
    """1-based row of the header: the first row nearly as full as the fullest of the top rows.

    Examples
    --------
    >>> header_row([["DAFTAR KELAS"], [], ["Kode", "Nama", "JP"], ["K1", "A", 8]]), header_row([])
    (3, 1)
    """
    top = [sum(1 for c in r if str(c).strip()) for r in rows[:HEADER_SCAN_ROWS]]
    if not top or max(top) == 0:
        return 1
    widest = max(top)
    for i, n in enumerate(top):
        if n >= max(2, 0.8 * widest) or (widest < 2 and n):
            return i + 1
    return 1  # pragma: no cover - the widest row always qualifies


def _workbook_sources(path: Path, rel: str) -> Iterator[Source]:
    """Every non-empty sheet of a workbook (the sheet named unless it is the only one)."""
    import openpyxl

    from evalkit.io.excel import read_excel_rows
    from evalkit.io.readers import read_table

    book = openpyxl.load_workbook(path, read_only=True)
    sheets = list(book.sheetnames)
    book.close()
    for i, sheet in enumerate(sheets):
        rows = read_excel_rows(path, sheet)
        if not any(any(str(c).strip() for c in r) for r in rows):
            continue
        row = header_row(rows)
        frame = read_table(path, sheet=sheet, header_row=row)
        yield Source(rel, None if i == 0 and len(sheets) == 1 else sheet, row, frame)


def _file_sources(path: Path, rel: str) -> Iterator[Source]:
    """The tables of one export, one at a time (a workbook's sheets in order)."""
    from evalkit.io.readers import EXCEL_SUFFIXES, read_table
    from evalkit.io.spss import read_sav
    from evalkit.io.text import read_text_rows

    suffix = path.suffix.lower()
    if suffix == ".sav":
        frame = read_sav(path)
        yield Source(
            rel,
            None,
            1,
            frame,
            frame.attrs.get("variable_labels", {}),
            frame.attrs.get("value_labels", {}),
        )
    elif suffix in EXCEL_SUFFIXES:
        yield from _workbook_sources(path, rel)
    else:
        row = header_row(read_text_rows(path))
        yield Source(rel, None, row, read_table(path, header_row=row))


def read_sources(raw_dir: Path, problems: list[str]) -> list[Source]:
    """Every readable table of a study folder (sub-folders too), in file name order.

    The codebook is skipped. A file that cannot be read is appended to
    ``problems`` as ``"<file>: not read (<reason>)"`` (the sheets of a workbook
    read before the failing one are kept).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = (Path(tmp) / "nilai.csv").write_text("NIP,Pre\\n1,40\\n")
    ...     problems = []
    ...     [(s.file, s.header_row, list(s.frame.columns)) for s in read_sources(Path(tmp), problems)]
    [('nilai.csv', 1, ['NIP', 'Pre'])]
    """
    out: list[Source] = []
    files = sorted(p for p in raw_dir.rglob("*") if is_export(p) and p.name != "codebook.yaml")
    for path in files:
        rel = path.relative_to(raw_dir).as_posix()
        try:
            for source in _file_sources(path, rel):
                out.append(source)
        except EvalkitError as err:
            problems.append(f"{rel}: not read ({err})")
        except Exception as err:  # a damaged workbook can raise many kinds
            problems.append(f"{rel}: not read ({type(err).__name__}: {err})")
    return out
