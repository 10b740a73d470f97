"""Tests of evalkit.io: reading raw exports, atomic writes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from evalkit.errors import DataError
from evalkit.io.atomic import (
    atomic_write,
    read_parquet,
    sha256,
    write_json,
    write_parquet,
)
from evalkit.io.readers import read_table
from evalkit.io.text import decode, sniff_delimiter

ROWS = [{"NIP": "198505122010011002", "Nama": "Maria Ndun", "Nilai": "78,5"}]


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ('NIP,Nama,Nilai\n198505122010011002,Maria Ndun,"78,5"\n', "utf-8"),
        ("NIP;Nama;Nilai\n198505122010011002;Maria Ndun;78,5\n", "utf-8-sig"),
        ("NIP\tNama\tNilai\n198505122010011002\tMaria Ndun\t78,5\n", "utf-16"),
        ("NIP;Nama;Nilai\r\n198505122010011002;Maria Ndun;78,5\r\n", "cp1252"),
        ("NIP|Nama|Nilai\n198505122010011002|Maria Ndun|78,5\n", "utf-8"),
    ],
)
def test_csv_encodings_and_delimiters(tmp_path: Path, text: str, encoding: str) -> None:
    path = _write(tmp_path, "x.csv", text.encode(encoding))
    assert read_table(path).to_dict("records") == ROWS


def test_cp1252_characters_survive(tmp_path: Path) -> None:
    path = _write(tmp_path, "x.csv", "Nama;Komentar\nJosé;bagus – sekali\n".encode("cp1252"))
    assert read_table(path).iloc[0].tolist() == ["José", "bagus – sekali"]


def test_decode_reports_the_encoding() -> None:
    assert decode(b"\xef\xbb\xbfa")[1] == "utf-8-sig"
    assert decode("é".encode("cp1252"))[1] == "cp1252"
    assert decode(b"\x81\x8d")[1] == "latin-1"


def test_sniffing_ignores_delimiters_inside_quotes() -> None:
    assert sniff_delimiter('"Saran, komentar";Nilai\n"a, b";1\n') == ";"
    assert sniff_delimiter("satu kolom\nnilai\n") == ","
    assert sniff_delimiter("") == ","


def test_everything_is_text_and_nothing_is_coerced(tmp_path: Path) -> None:
    path = _write(tmp_path, "x.csv", b"NIP,Kode,Kosong,NA\n0198,08,,NA\n")
    row = read_table(path).iloc[0].tolist()
    assert row == ["0198", "08", "", "NA"]


def test_trailing_empty_rows_are_removed_and_short_rows_padded(tmp_path: Path) -> None:
    path = _write(tmp_path, "x.csv", b"a,b,c\n1,2\n\n,,\n")
    frame = read_table(path)
    assert frame.to_dict("records") == [{"a": "1", "b": "2", "c": ""}]


def test_header_only_gives_zero_rows(tmp_path: Path) -> None:
    frame = read_table(_write(tmp_path, "x.csv", b"a;b\n"))
    assert list(frame.columns) == ["a", "b"] and frame.empty


def test_empty_file_is_a_data_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"file x.csv: file is empty"):
        read_table(_write(tmp_path, "x.csv", b"  \n"))


def test_missing_file_is_a_data_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="file does not exist"):
        read_table(tmp_path / "nope.csv")


def test_duplicate_header_is_a_data_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"row 1: header 'a' appears twice \(columns 1 and 3\)"):
        read_table(_write(tmp_path, "x.csv", b"a,b,a\n1,2,3\n"))


def test_blank_header_is_a_data_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="column 2 has no header"):
        read_table(_write(tmp_path, "x.csv", b"a,,c\n1,2,3\n"))


def test_row_longer_than_header_names_the_row(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"file x.csv, row 3: row has 3 cells but the header has 2"):
        read_table(_write(tmp_path, "x.csv", b"a,b\n1,2\n1,2,3\n"))


def test_bad_header_row_is_a_data_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="header_row must be >= 1"):
        read_table(_write(tmp_path, "x.csv", b"a\n1\n"), header_row=0)


def _workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    first = book.active
    first.title = "Data"
    first.append(["NIP", "Tanggal", "Waktu", "Nilai", "Nama"])
    first.append(
        [
            1.9850512201001101e17,
            dt.datetime(2025, 11, 27),
            dt.datetime(2025, 11, 27, 9, 14, 3),
            78.5,
            "Maria",
        ]
    )
    first.append([12345, None, None, 80, None])
    second = book.create_sheet("Rekap")
    second.append(["Judul laporan"])
    second.append(["Unit", "Nilai"])
    second.append(["Dinkes", True])
    book.save(path)
    return path


def test_xlsx_first_sheet_cells_as_text(tmp_path: Path) -> None:
    frame = read_table(_workbook(tmp_path / "x.xlsx"))
    assert frame.iloc[0].tolist() == [
        "1.98505122010011e+17", "2025-11-27", "2025-11-27 09:14:03", "78.5", "Maria",
    ]  # fmt: skip
    assert frame.iloc[1].tolist() == ["12345", "", "", "80", ""]


def test_xlsx_named_sheet_and_header_row(tmp_path: Path) -> None:
    frame = read_table(_workbook(tmp_path / "x.xlsx"), sheet="Rekap", header_row=2)
    assert frame.to_dict("records") == [{"Unit": "Dinkes", "Nilai": "TRUE"}]
    assert frame.attrs["header_row"] == 2


def test_xlsx_missing_sheet_is_a_data_error(tmp_path: Path) -> None:
    with pytest.raises(
        DataError, match=r"no sheet named 'Biaya'; the workbook has \['Data', 'Rekap'\]"
    ):
        read_table(_workbook(tmp_path / "x.xlsx"), sheet="Biaya")


def test_damaged_xlsx_is_a_data_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="cannot open as an XLSX workbook"):
        read_table(_write(tmp_path, "x.xlsx", b"PK\x03\x04 not a zip"))


def test_reading_never_writes(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "x.xlsx")
    before = (sha256(path), path.stat().st_mtime_ns)
    read_table(path)
    assert (sha256(path), path.stat().st_mtime_ns) == before


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_text("old")

    def boom(fh) -> None:
        fh.write(b"half")
        raise RuntimeError("killed")

    with pytest.raises(RuntimeError, match="killed"):
        atomic_write(path, boom)
    assert path.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.txt"]


def test_parquet_is_deterministic(tmp_path: Path) -> None:
    frame = pd.DataFrame({"a": ["x", None], "b": [1.5, float("nan")]})
    one = write_parquet(frame, tmp_path / "1.parquet")
    two = write_parquet(frame, tmp_path / "2.parquet")
    assert one.read_bytes() == two.read_bytes()


@pytest.mark.parametrize("cut", [0, 3, 20, -1])
def test_truncated_parquet_is_a_data_error(tmp_path: Path, cut: int) -> None:
    path = write_parquet(pd.DataFrame({"a": range(100)}), tmp_path / "t.parquet")
    data = path.read_bytes()
    path.write_bytes(data[:cut] if cut >= 0 else data[: len(data) // 2] + data[-8:])
    with pytest.raises(DataError, match=r"file t.parquet: corrupt or truncated Parquet"):
        read_parquet(path)


def test_missing_parquet_is_a_data_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="processed table does not exist"):
        read_parquet(tmp_path / "x.parquet")


def test_write_json_is_sorted_and_readable(tmp_path: Path) -> None:
    path = write_json({"b": 1, "a": "é"}, tmp_path / "m.json")
    assert json.loads(path.read_text(encoding="utf-8")) == {"a": "é", "b": 1}
    assert path.read_text(encoding="utf-8").index('"a"') < path.read_text().index('"b"')


def test_parquet_row_groups_hold_row_group_rows(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    from evalkit.io.atomic import ROW_GROUP_ROWS

    path = write_parquet(pd.DataFrame({"a": range(ROW_GROUP_ROWS + 5)}), tmp_path / "t.parquet")
    meta = pq.ParquetFile(path).metadata
    assert [meta.row_group(i).num_rows for i in range(meta.num_row_groups)] == [ROW_GROUP_ROWS, 5]


def test_system_allocator_is_arrows_inside_the_block_only(monkeypatch) -> None:
    import pyarrow as pa

    from evalkit.io.memory import system_allocator

    monkeypatch.delenv("ARROW_DEFAULT_MEMORY_POOL", raising=False)
    before = pa.default_memory_pool().backend_name
    with system_allocator():
        assert pa.default_memory_pool().backend_name == "system"
        buffer = pa.array(range(1000)).buffers()[1]
    assert pa.default_memory_pool().backend_name == before
    assert len(buffer.to_pybytes()) == 8000  # a buffer allocated inside stays usable
    monkeypatch.setenv("ARROW_DEFAULT_MEMORY_POOL", before)
    with system_allocator():  # the user's choice is kept
        assert pa.default_memory_pool().backend_name == before
