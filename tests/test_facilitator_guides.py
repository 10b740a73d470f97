"""The guides' walk-through of facilitator and retrospective exports: every YAML snippet is a
codebook the loader accepts, the two languages map the same, and the mapping cleans.

Each ```yaml block of the subsection "Mapping facilitator and retrospective (PTIA)
exports" (``docs/guide.en.md``) and "Memetakan ekspor narasumber dan retrospektif (PTIA)"
(``docs/guide.id.md``) is parsed with :func:`evalkit.data.codebook.parse_codebook`, then
cleaned with a small export written to its headers.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from evalkit.data.clean import clean_study
from evalkit.data.codebook import parse_codebook

DOCS = Path(__file__).resolve().parent.parent / "docs"
HEADINGS = {
    "guide.en.md": "### Mapping facilitator and retrospective (PTIA) exports",
    "guide.id.md": "### Memetakan ekspor narasumber dan retrospektif (PTIA)",
}
SALT = b"guide snippet salt"


def _snippets(guide: str) -> list[dict]:
    text = (DOCS / guide).read_text(encoding="utf-8")
    start = text.index(HEADINGS[guide])
    end = text.index("\n## ", start)
    blocks = re.findall(r"```yaml\n(.*?)```", text[start:end], flags=re.S)
    return [yaml.safe_load(b) for b in blocks]


@pytest.mark.parametrize("guide", sorted(HEADINGS))
def test_every_snippet_is_a_valid_codebook(guide: str) -> None:
    snippets = _snippets(guide)
    assert len(snippets) == 3
    tables = []
    for snippet in snippets:
        codebook = parse_codebook(snippet)
        tables.append(sorted({spec.table for spec in codebook.tables.values()}))
    assert tables == [["facilitator_ratings"], ["facilitator_ratings"], ["retrospective"]]
    wide = parse_codebook(snippets[0]).tables
    assert sorted(wide) == ["evaluasi_narasumber.n1", "evaluasi_narasumber.n2"]


def test_both_languages_map_the_same() -> None:
    assert _snippets("guide.en.md") == _snippets("guide.id.md")


def _csv(path: Path, head: list[str], rows: list[list[str]]) -> None:
    frame = pd.DataFrame(rows, columns=head)
    frame.to_csv(path, index=False)


def test_the_snippets_clean_small_exports(tmp_path: Path) -> None:
    wide, long, retro = _snippets("guide.en.md")
    nips = ["198505122010011002", "199001012015032001"]
    # the wide facilitator form
    raw = tmp_path / "wide"
    raw.mkdir()
    (raw / "codebook.yaml").write_text(yaml.safe_dump(wide, allow_unicode=True), encoding="utf-8")
    _csv(raw / "evaluasi_narasumber.csv",
         ["NIP", "Kode Angkatan", "Narasumber 1 - Nama", "Narasumber 1 - Unsur",
          "Narasumber 1 - Penguasaan materi", "Narasumber 1 - Cara penyampaian materi",
          "Narasumber 2 - Nama", "Narasumber 2 - Penguasaan materi",
          "Narasumber 2 - Cara penyampaian materi"],
         [[nips[0], "A1", "Maria Ndun", "Widyaiswara", "Baik", "Sangat baik", "Yosef Lay",
           "Cukup", "Baik"],
          [nips[1], "A1", "Maria Ndun", "Widyaiswara", "Cukup", "Baik", "Yosef Lay", "Baik",
           "Baik"]])  # fmt: skip
    clean_study(raw, tmp_path / "wide_out", progress=False, salt=SALT)
    table = pd.read_parquet(tmp_path / "wide_out" / "facilitator_ratings.parquet")
    assert len(table) == 8 and table["facilitator_id"].nunique() == 2
    assert set(table["facilitator_role"]) == {"widyaiswara", "practitioner"}
    # the anonymous long form (an xlsx export)
    raw = tmp_path / "long"
    raw.mkdir()
    (raw / "codebook.yaml").write_text(yaml.safe_dump(long, allow_unicode=True), encoding="utf-8")
    rows = pd.DataFrame(
        [["A1", "Maria Ndun", "Widyaiswara", "Sesi 1", "Baik", "Baik"],
         ["A1", "Maria Ndun", "Widyaiswara", "Sesi 1", "Cukup", "Baik"],
         ["A1", "Yosef Lay", "Praktisi", "Sesi 2", "Baik", "Sangat baik"]],
        columns=["Kode Angkatan", "Nama Narasumber", "Unsur", "Sesi", "Penguasaan materi",
                 "Cara penyampaian materi"],
    )  # fmt: skip
    rows.to_excel(raw / "evaluasi_widyaiswara_2025.xlsx", sheet_name="Evaluasi", index=False)
    clean_study(raw, tmp_path / "long_out", progress=False, salt=SALT)
    table = pd.read_parquet(tmp_path / "long_out" / "facilitator_ratings.parquet")
    assert len(table) == 6 and table["participant_id"].nunique() == 3  # one rater per row
    # the retrospective pair of files, self and supervisor
    raw = tmp_path / "retro"
    raw.mkdir()
    (raw / "codebook.yaml").write_text(yaml.safe_dump(retro, allow_unicode=True), encoding="utf-8")
    _csv(
        raw / "tindak_lanjut_alumni_6bulan.csv",
        ["NIP", "Kode Diklat", "Menerapkan materi (sebelum)", "Menerapkan materi (sesudah)"],
        [[nips[0], "A1", "Tidak setuju", "Setuju"], [nips[1], "A1", "Setuju", "Sangat setuju"]],
    )
    _csv(raw / "tindak_lanjut_atasan_6bulan.csv",
         ["NIP Alumni", "Kode Diklat", "Alumni menerapkan materi (sebelum)",
          "Alumni menerapkan materi (sesudah)"],
         [[nips[0], "A1", "Tidak setuju", "Tidak setuju"]])  # fmt: skip
    clean_study(raw, tmp_path / "retro_out", progress=False, salt=SALT)
    table = pd.read_parquet(tmp_path / "retro_out" / "retrospective.parquet")
    got = sorted(zip(table["rater"], table["rating_before"], table["rating_now"], strict=True))
    assert got == [("self", 2.0, 3.0), ("self", 3.0, 4.0), ("supervisor", 2.0, 2.0)]
    assert set(table["aspect"]) == {"implementasi"} and set(table["months_after"]) == {6}
