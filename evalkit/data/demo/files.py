"""The demo's raw files in memory, the way exports write their cells, and their bytes.

A generator builds each export as a :class:`RawFile` of :class:`Sheet` objects
(header and rows of Python values); :func:`file_bytes` turns it into the bytes
of a CSV (CRLF line ends, optional UTF-8 byte-order mark) or an XLSX workbook
with fixed timestamps, so the same seed always gives byte-identical files. The
small formatters write values as the exports do: Google Forms timestamps,
Indonesian month names, rupiah amounts and test scores.

Examples
--------
>>> f = RawFile("a.csv", {"Sheet1": Sheet(["No", "Nama"], [[1, "Ana"], [2, None]])}, "test", [])
>>> file_bytes(f)
b'No,Nama\\r\\n1,Ana\\r\\n2,\\r\\n'
>>> rupiah(12_500_000), score_text(78.5), fmt_date_id(dt.date(2023, 3, 13))
('Rp 12.500.000', '78.5', '13 Maret 2023')
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

#: Fixed creation/modification time written into every XLSX (determinism).
XLSX_TIME = dt.datetime(2025, 11, 27, 8, 0, 0)


#: Fixed time of every entry of an XLSX zip archive.
ZIP_TIME = (2025, 11, 27, 8, 0, 0)


_BULAN = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip


@dataclass
class Sheet:
    """A table to write: header and rows of Python values (None = empty cell).

    ``header_row`` is the spreadsheet row of the header (``title_rows`` above it).
    """

    header: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    header_row: int = 1
    title_rows: list[list[Any]] = field(default_factory=list)

    def col(self, name: str) -> int:
        """Index of the column headed ``name``."""
        return self.header.index(name)


@dataclass
class RawFile:
    """One export of the demo: file name, sheets, where it comes from, its quirks.

    ``source`` and ``quirks`` are written to ``truth.json``; ``bom`` makes a CSV
    start with a UTF-8 byte-order mark.
    """

    name: str
    sheets: dict[str, Sheet]
    source: str
    quirks: list[str]
    bom: bool = False


# --- cells as the exports write them ----------------------------------------------
def fmt_ts(t: dt.datetime) -> str:
    """A Google Forms timestamp, day first (``"27/11/2025 09:14:03"``).

    Examples
    --------
    >>> fmt_ts(dt.datetime(2025, 11, 27, 9, 14, 3))
    '27/11/2025 09:14:03'
    """
    return t.strftime("%d/%m/%Y %H:%M:%S")


def fmt_date_id(d: dt.date) -> str:
    """A date with the Indonesian month name (``"13 Maret 2023"``).

    Examples
    --------
    >>> fmt_date_id(dt.date(2025, 8, 5))
    '5 Agustus 2025'
    """
    return f"{d.day} {_BULAN[d.month - 1]} {d.year}"


def rupiah(x: int) -> str:
    """An amount as hand-kept sheets write it (``"Rp 1.250.000"``).

    Examples
    --------
    >>> rupiah(1_250_000)
    'Rp 1.250.000'
    """
    return "Rp " + f"{x:,}".replace(",", ".")


def score_text(x: float) -> str:
    """A score without a needless ``.0`` (``"78"``, ``"78.5"``).

    Examples
    --------
    >>> score_text(78.0), score_text(78.5)
    ('78', '78.5')
    """
    return str(int(x)) if float(x).is_integer() else f"{x:.1f}"


# --- bytes ----------------------------------------------------------------------
def _csv_bytes(sheet: Sheet, bom: bool) -> bytes:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(sheet.header)
    for row in sheet.rows:
        w.writerow(["" if v is None else v for v in row])
    return buf.getvalue().encode("utf-8-sig" if bom else "utf-8")


def _xlsx_bytes(sheets: dict[str, Sheet]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    for title, sh in sheets.items():
        ws = wb.create_sheet(title)
        for k, h in enumerate(sh.header, start=1):
            ws.column_dimensions[get_column_letter(k)].width = max(10, min(40, len(h) + 2))

        def styled(value: Any, ws: Any = ws, **style: Any) -> WriteOnlyCell:
            cell = WriteOnlyCell(ws, value=value)
            for key, v in style.items():
                setattr(cell, key, v)
            return cell

        for k, row in enumerate(sh.title_rows):
            ws.append([styled(v, font=Font(bold=True, size=12)) if k == 0 else v for v in row])
        ws.append([styled(h, font=Font(bold=True)) for h in sh.header])
        for row in sh.rows:
            ws.append(
                [
                    styled(v, number_format="DD/MM/YYYY") if isinstance(v, dt.date) else v
                    for v in row
                ]
            )
    wb.properties.creator = "BKPSDM Kota Kupang"
    wb.properties.created = XLSX_TIME
    wb.properties.modified = XLSX_TIME
    raw = io.BytesIO()
    wb.save(raw)
    return _normalise_zip(raw.getvalue())


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite an XLSX with fixed entry times and fixed document properties."""
    stamp = XLSX_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                    lambda m: m.group(1) + stamp.encode() + m.group(2),
                    body,
                )
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, body)
    return out.getvalue()


def file_bytes(f: RawFile) -> bytes:
    """The bytes of a raw file: a CSV (one sheet) or an XLSX workbook, deterministic.

    Examples
    --------
    >>> data = file_bytes(RawFile("a.xlsx", {"S": Sheet(["x"], [[1]])}, "test", []))
    >>> data[:2], data == file_bytes(RawFile("a.xlsx", {"S": Sheet(["x"], [[1]])}, "test", []))
    (b'PK', True)
    """
    if f.name.endswith(".csv"):
        (sheet,) = f.sheets.values()
        return _csv_bytes(sheet, f.bom)
    return _xlsx_bytes(f.sheets)
