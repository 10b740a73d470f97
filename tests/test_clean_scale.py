"""Cleaning at scale: the compact paths give the same tables and files as the plain ones.

The long tables (one row per answer) are kept compact until written (text as
categoricals) and written one Parquet row group at a time; XLSX sheets are read by
calamine when it gives the texts openpyxl gives. These tests check each fast path
against the plain one it replaces, and that a study replicated k times cleans into k
times the rows of one copy (``benchmarks/clean.py`` builds the replicas).
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evalkit.data import build as build_module
from evalkit.data import build_participants as participants_module
from evalkit.data import cells as cells_module
from evalkit.data import clean as clean_module
from evalkit.data.build_typing import CHUNK_ROWS, final_chunks
from evalkit.data.cells import RowStatus
from evalkit.data.clean import clean_study
from evalkit.data.identify import pseudonyms
from evalkit.data.nip import parse_nip, plain_valid
from evalkit.data.pseudonym import pseudonym
from evalkit.io import excel as excel_module
from evalkit.io.atomic import write_parquet
from evalkit.io.excel import read_excel_rows, sheet_names

ROOT = Path(__file__).resolve().parents[1]
BAD_CASES = ROOT / "tests" / "data" / "bad" / "cases"


def _long_frame(n: int, seed: int = 3) -> pd.DataFrame:
    """A compact reaction long table: categorical text (some missing), ties, numbers."""
    rng = np.random.default_rng(seed)
    cohorts = pd.Index([f"K-{i:03d}" for i in range(40)][::-1], dtype=object)
    people = pd.Index([f"p{i:05d}" for i in range(900)], dtype=object)
    items = pd.Index(["relevance_1", "content_2", "content_1"], dtype=object)
    person = rng.integers(-1, len(people), n)  # -1: missing
    return pd.DataFrame({
        "cohort_id": pd.Categorical.from_codes(rng.integers(0, len(cohorts), n), cohorts),
        "participant_id": pd.Categorical.from_codes(person, people),
        "item": pd.Categorical.from_codes(rng.integers(0, 3, n), items),
        "dimension": pd.Categorical.from_codes(rng.integers(-1, 2, n),
                                               pd.Index(["content", "relevance"], dtype=object)),
        "score": rng.integers(1, 6, n).astype(float),
        "scale_max": np.full(n, 5, dtype=np.int16),
        "submitted_at": pd.to_datetime(rng.integers(1.6e9, 1.7e9, n), unit="s").to_numpy(),
    })  # fmt: skip


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """The same table as plain pandas columns (text as Python objects)."""
    out = frame.copy()
    for col in out:
        if isinstance(out[col].dtype, pd.CategoricalDtype):
            out[col] = out[col].astype(object).where(out[col].notna(), None)
    return out


def test_compact_long_table_is_ordered_and_typed_as_the_plain_one() -> None:
    frame = _long_frame(20_000)
    reference = build_module._finish(_plain(frame), "reaction")
    compact = build_module._finish_long([frame], "reaction")
    typed = pd.concat(list(final_chunks(compact, "reaction")), ignore_index=True)
    pd.testing.assert_frame_equal(typed, reference)
    assert typed["participant_id"].isna().any()  # missing ids sorted last, as pandas does
    assert typed.dtypes.astype(str).tolist() == reference.dtypes.astype(str).tolist()


def test_long_table_written_in_row_groups_is_byte_identical(tmp_path: Path) -> None:
    frame = _long_frame(CHUNK_ROWS + 1_234)
    compact = build_module._finish_long([frame], "reaction")
    typed = pd.concat(list(final_chunks(compact, "reaction")), ignore_index=True)
    whole = write_parquet(typed, tmp_path / "whole.parquet").read_bytes()
    chunked = clean_module._write_long_table(compact, "reaction", tmp_path / "chunked.parquet")
    assert chunked.read_bytes() == whole
    assert len(pd.read_parquet(io.BytesIO(whole))) == CHUNK_ROWS + 1_234


def test_empty_long_table_writes_the_plain_file(tmp_path: Path) -> None:
    compact = build_module._finish_long([_long_frame(0)], "reaction")
    typed = pd.concat(list(final_chunks(compact, "reaction")), ignore_index=True)
    whole = write_parquet(typed, tmp_path / "whole.parquet").read_bytes()
    chunked = clean_module._write_long_table(compact, "reaction", tmp_path / "chunked.parquet")
    assert chunked.read_bytes() == whole


def _xlsx_files() -> list[Path]:
    return sorted(BAD_CASES.glob("*.xlsx"))


def _trimmed(rows: list[list[str]]) -> list[list[str]]:
    out = [list(r) for r in rows]
    for row in out:
        while row and row[-1] == "":
            row.pop()
    while out and not out[-1]:
        out.pop()
    return out


def _read_sheets(path: Path, names: list[str | None]) -> dict:
    out = {}
    for sheet in names:
        try:
            rows = read_excel_rows(path, sheet, 2)
            out[sheet] = (_trimmed(rows), rows.merged)
        except Exception as err:  # the same error, kind and text, is expected of both
            out[sheet] = (type(err), str(err))
    return out


@pytest.mark.parametrize("path", _xlsx_files(), ids=lambda p: p.name)
def test_calamine_reads_what_openpyxl_reads(path: Path, monkeypatch) -> None:
    names = sheet_names(path) or [None]
    fast = _read_sheets(path, names)
    monkeypatch.setattr(excel_module, "_calamine_rows", lambda *_: None)
    assert fast == _read_sheets(path, names)


def test_a_nip_typed_as_a_number_keeps_its_digits() -> None:
    """calamine reads numbers as floats: such a sheet is read by openpyxl instead."""
    path = BAD_CASES / "xlsx_numeric_nips.xlsx"
    assert excel_module._calamine_rows(path, None) is None
    cells = [c for row in read_excel_rows(path, None) for c in row]
    assert "198505122010011002" in cells or any(len(c) == 18 and c.isdigit() for c in cells)


def test_row_status_counts_like_a_dict() -> None:
    status, plain = RowStatus(), {}
    rng = np.random.default_rng(1)
    for spec, file, row, what in zip(rng.choice(["a", "b"], 300), rng.choice(["x", "y"], 300),
                                     rng.integers(2, 90, 300),
                                     rng.choice(["kept", "empty", "duplicate"], 300),
                                     strict=True):  # fmt: skip
        status[(str(spec), str(file), int(row))] = str(what)
        plain[(str(spec), str(file), int(row))] = str(what)
    assert status == plain and len(status) == len(plain)
    assert sorted(status.items()) == sorted(plain.items())
    for (spec, file), tally in status.counts().items():
        mine = [v for (s, f, _), v in plain.items() if (s, f) == (spec, file)]
        assert tally == {k: mine.count(k) for k in ("kept", "duplicate", "empty") if k in mine}


# --- a study replicated k times ------------------------------------------------------
def _bench():
    spec = importlib.util.spec_from_file_location("bench_clean", ROOT / "benchmarks" / "clean.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def replicas(tmp_path_factory) -> dict[int, object]:
    bench = _bench()
    root = tmp_path_factory.mktemp("replicas")
    demo = bench.demo_raw(root)
    one_copy = sum(len(bench.read_table(p)) for p in demo.glob("reaksi_*.csv"))
    out = {}
    for copies in (1, 3):
        raw = root / f"raw-{copies}"
        bench.build_scaled(demo, raw, copies * one_copy)
        out[copies] = clean_study(raw, root / f"out-{copies}", progress=False, salt=b"s")
    return out


def test_k_replicas_clean_into_k_times_the_rows(replicas) -> None:
    one, three = replicas[1], replicas[3]
    once = ("programs", "reaction_items", "followup_items")  # from the codebook, not the rows
    assert {t: 3 * n for t, n in one.tables.items() if t not in once} == {
        t: n for t, n in three.tables.items() if t not in once}  # fmt: skip
    programs = one.tables["programs"]  # the program list is not replicated (read once)
    assert three.tables["programs"] == programs
    for field in ("rows_read", "rows_kept"):
        assert getattr(three, field) - programs == 3 * (getattr(one, field) - programs), field
    for field in ("duplicates", "quarantined", "empty", "repaired", "flagged"):
        assert getattr(three, field) == 3 * getattr(one, field), field
    assert {k: 3 * n for k, n in one.reasons.items()} == three.reasons
    assert three.rows_read == three.rows_kept + three.duplicates + three.quarantined + three.empty
    assert one.duplicates and one.quarantined and one.repaired  # the demo's mess is copied


def test_vectorised_nip_check_agrees_with_parse_nip() -> None:
    rng = np.random.default_rng(7)
    texts: list[object] = ["".join(map(str, rng.integers(0, 10, 18))) for _ in range(4000)]
    for _ in range(4000):  # mostly plausible: born 1925-2005, TMT 1945-2030, any day/digit
        born = f"{rng.integers(1925, 2006)}{rng.integers(0, 14):02d}{rng.integers(0, 33):02d}"
        tmt = f"{rng.integers(1945, 2031)}{rng.integers(0, 14):02d}"
        texts.append(f"{born}{tmt}{rng.integers(0, 4)}{rng.integers(0, 1000):03d}")
    texts += ["198505122010011002", "19850512201001100", " 198505122010011002", None, 1.5,
              "١٩٨٥٠٥١٢٢٠١٠٠١١٠٠٢", "19850512201001100x", "200002292022011001",
              "190002282022011001", "198505122003011002"]  # fmt: skip
    expected = [parse_nip(t) == (t, None) for t in texts]
    assert plain_valid(texts).tolist() == expected
    assert 300 < sum(expected) < len(texts) - 300  # both outcomes are exercised


# --- the same tables as before the compact paths --------------------------------------
#: A 20,000-row replicated study (``benchmarks/clean.py``: 55 copies of the demo's
#: roster, reaction forms and cohort list, salt ``b"s"``) as the cleaning code of commit
#: 86378b2 (before the batch pseudonyms, the Arrow matching and the narrow long-table
#: columns) cleaned it: per file, the first 16 hex digits of the SHA-256 of its dtypes and
#: CSV text (the quality log: of its text, the day of cleaning masked).
BEFORE_20K = {
    "cohorts.parquet": "c1fd913ba8b71f06",
    "comments.parquet": "7bcb4a2bb6c148f3",
    "participants.parquet": "e3fc679692db82c2",
    "programs.parquet": "a741637c13c1bb63",
    "quality_log.csv": "f7384df0a2e69d9a",
    "reaction.parquet": "d85a9a77686bb7cd",
    "reaction_items.parquet": "41e81164a316892d",
}


def _digest(path: Path) -> str:
    if path.suffix == ".parquet":
        frame = pd.read_parquet(path)
        dtypes = "|".join(f"{c}:{t}" for c, t in frame.dtypes.astype(str).items())
        text = dtypes + "\n" + frame.to_csv(index=False)
    else:
        text = re.sub(r"day of cleaning \(\d{4}-\d{2}-\d{2}\)", "day of cleaning (today)",
                      path.read_text(encoding="utf-8"))  # fmt: skip
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def test_a_replicated_study_cleans_into_the_tables_it_did_before(tmp_path: Path) -> None:
    bench = _bench()
    raw = tmp_path / "raw"
    bench.build_scaled(bench.demo_raw(tmp_path), raw, 20_000)
    summary = clean_study(raw, tmp_path / "out", progress=False, salt=b"s")
    got = {p.name: _digest(p) for p in sorted((tmp_path / "out").iterdir())
           if p.suffix in (".parquet", ".csv")}  # fmt: skip
    assert got == BEFORE_20K
    assert summary.tables["reaction"] == 316_509 and summary.rows_read == 43_381


@pytest.mark.parametrize("salt", [b"s", b"x" * 64, b"a long salt " * 9, bytes(range(200))])
def test_batch_pseudonyms_are_the_hmacs_of_each_key(salt: bytes) -> None:
    rng = np.random.default_rng(5)
    keys = [f"nip:{''.join(map(str, rng.integers(0, 10, 18)))}" for _ in range(300)]
    keys += ["name:maria ndun|KMP-2023-01", "nip:", "name:ñoño|A1", "nip:١٩٨٥"]
    assert pseudonyms(keys, salt=salt) == [pseudonym(k, salt=salt) for k in keys]
    assert pseudonyms([], salt=salt) == []


def test_arrow_encoded_cells_match_factorize() -> None:
    rng = np.random.default_rng(11)
    words = np.array(["", " ", "Setuju", "setuju", "Sangat Setuju", "4", "-", "ñ"], dtype=object)
    cells = pd.Series(words[rng.integers(0, len(words), 5000)].tolist(), dtype="str")
    codes, texts = cells_module._distinct_texts(cells)
    expected_codes, expected = pd.factorize(cells.astype(object), use_na_sentinel=False)
    assert codes.tolist() == expected_codes.tolist() and texts == expected.tolist()


def test_pair_codes_keep_empty_columns_in_place() -> None:
    codes = participants_module._codes([pd.Series(["a", "b", "a"], dtype="str"),
                                        pd.Series([], dtype=object),
                                        pd.Series(["b", None, "c"], dtype=object)])  # fmt: skip
    assert [c.tolist() for c in codes] == [[0, 1, 0], [], [1, -1, 2]]
