"""The regular-export fast path reads exactly what the general reader reads.

:func:`evalkit.io.arrow_csv.read_regular_text` parses regular UTF-8 exports with
Arrow's CSV parser; every other file must come back as None so that the general
reader (Python's ``csv`` module) reads it and names what is wrong. The reference is
the general reader itself, run with the fast path switched off: the two are
independent parsers, and hypothesis looks for a text on which they disagree.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import evalkit.io.readers as readers
from evalkit.errors import DataError
from evalkit.io.arrow_csv import read_regular_text

#: Pieces of text that make CSV parsing hard: quotes, doubled quotes, delimiters,
#: every line ending, spaces, tabs, a BOM inside, accented and non-Latin letters.
PIECES = ["a", "b", "12", " ", '"', '""', "x\"y", ",", ";", "\t", "|", "\n", "\r", "\r\n",
          "é", "ñ", "\u0627", "\ufeff", "'0812"]  # fmt: skip


def _general(path: Path, monkeypatch: pytest.MonkeyPatch) -> pd.DataFrame | DataError:
    """What the general reader makes of ``path`` (the fast path switched off)."""
    with monkeypatch.context() as m:
        m.setattr(readers, "read_regular_text", lambda _path: None)
        try:
            return readers.read_table(path)
        except DataError as err:
            return err


def _same(fast: pd.DataFrame, general: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(fast, general, check_exact=True)
    assert fast.attrs == general.attrs


@st.composite
def exports(draw: st.DrawFn) -> tuple[str, str, bytes]:
    """An export: a header, rows mostly as wide as it (cells quoted or not), any line ends."""
    delim = draw(st.sampled_from([",", ";", "\t", "|"]))
    header = draw(st.lists(st.sampled_from(["NIP", "Nama", "Nilai", "Saran", " Unit ", "é"]),
                           min_size=2, max_size=4, unique=True))  # fmt: skip
    cell = st.lists(st.sampled_from(PIECES), max_size=4).map("".join)
    quoted = cell.map(lambda c: '"' + c.replace('"', '""') + '"')
    ends = st.sampled_from(["\n", "\r\n", "\r"])
    lines = [delim.join(header) + draw(ends)]
    for _ in range(draw(st.integers(0, 8))):
        width = len(header) + draw(st.sampled_from([0] * 8 + [-1, 1]))
        cells = draw(st.lists(st.one_of(cell, quoted), min_size=width, max_size=width))
        lines.append(delim.join(cells) + draw(ends))
    text = "".join(lines) + draw(st.sampled_from(["", "\n", "\n\n", delim]))
    bom = b"\xef\xbb\xbf" if draw(st.booleans()) else b""
    suffix = draw(st.sampled_from([".csv", ".csv", ".tsv", ".txt"]))
    return suffix, text, bom + text.encode("utf-8")


def test_fast_path_agrees_with_the_general_reader(tmp_path, monkeypatch):
    """On every generated export the fast path takes, both readers give the same frame."""
    taken: list[bool] = []

    @settings(max_examples=250, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
    @given(export=exports())
    def check(export: tuple[str, str, bytes]) -> None:
        suffix, text, data = export
        path = tmp_path / f"export{suffix}"
        path.write_bytes(data)
        fast = read_regular_text(path)
        taken.append(fast is not None)
        if fast is None:
            return  # the general reader reads it (or refuses it) alone
        general = _general(path, monkeypatch)
        assert not isinstance(general, DataError), (text, general)
        _same(fast, general)

    check()
    assert 0.15 < sum(taken) / len(taken) < 0.95, (sum(taken), len(taken))  # both paths run


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("regular", b'NIP,Nama,Nilai\n1,A,78\n2,"B, C",80\n'),
        ("crlf and quotes", b'NIP;Nama;Saran\r\n1;"A ""x""";"baris 1\r\nbaris 2"\r\n2;B;\r\n'),
        ("trailing empty rows", b"a,b\n1,2\n, \n\n\n"),
        ("header only", b"a,b,c\n"),
        ("bom", "\ufeffNIP;Nilai\n1;2\n".encode()),
        ("spaces kept", b"a,b\n 1 , x \n"),
    ],
)
def test_regular_exports_take_the_fast_path_and_read_the_same(tmp_path, monkeypatch, name, data):
    path = tmp_path / "x.csv"
    path.write_bytes(data)
    fast = read_regular_text(path)
    assert fast is not None, name
    _same(fast, _general(path, monkeypatch))


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("a short row", b"a,b,c\n1,2,3\n4,5\n"),
        ("an extra cell", b"a,b\n1,2,3\n"),
        ("cp1252", "a,b\ncaf\u00e9,1\n".encode("cp1252")),
        ("utf-16", "a,b\n1,2\n".encode("utf-16")),
        ("nul bytes", b"a,b\n1,\x002\n"),
        ("a blank header", b"a,,c\n1,2,3\n"),
        ("a trailing empty header", b"a,b,\n1,2,\n"),
        ("a repeated header", b"a,a\n1,2\n"),
        ("an open quote", b'a,b,c\n1,"open,3\n4,5,6\n7,8,9\n'),
        ("one column", b"a\n1\n\n2\n"),
        ("empty", b""),
        ("a zip archive", b"PK\x03\x04 rest"),
    ],
)
def test_irregular_exports_go_to_the_general_reader(tmp_path, name, data):
    path = tmp_path / "x.csv"
    path.write_bytes(data)
    assert read_regular_text(path) is None, name


def test_read_table_names_the_short_row_of_an_irregular_export(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"a,b,c\n1,2,3\n4,5\n")
    frame = readers.read_table(path)
    assert frame.attrs["short_rows"] == {1: 2}
    assert frame.to_dict("records")[1] == {"a": "4", "b": "5", "c": ""}
