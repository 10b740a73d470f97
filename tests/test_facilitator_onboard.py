"""`evalkit init` proposes a mapping for facilitator exports, wide (blocks) and long."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

from evalkit.data.clean import clean_study
from evalkit.data.codebook import parse_codebook
from evalkit.data.onboard import build_proposal, render_codebook
from evalkit.data.onboard.facilitators import facilitator_column, wide_blocks
from evalkit.data.onboard.roles import guess_source
from evalkit.data.onboard.sources import Source

NIPS = ["198505122010011002", "199001012015032001", "198712302012121003",
        "199203152019031004", "198811202014022005", "199106062016041006"]  # fmt: skip
LABELS = ["Baik", "Sangat Baik", "Cukup", "Baik", "Kurang", "Sangat Baik"]


def _wide() -> pd.DataFrame:
    rows = {"NIP": NIPS, "Nama Lengkap": [f"Peserta {i}" for i in range(6)],
            "Kelas": ["K1"] * 6}  # fmt: skip
    for k, name in ((1, "Dr. Maria Ndun"), (2, "Yosef Lay")):
        rows[f"Widyaiswara {k}: Nama"] = [name] * 6
        rows[f"Widyaiswara {k}: Unsur"] = ["Widyaiswara" if k == 1 else "Praktisi"] * 6
        for item in ("Penguasaan materi", "Penyampaian", "Ketepatan waktu"):
            rows[f"Widyaiswara {k}: {item}"] = LABELS[k:] + LABELS[:k]
    return pd.DataFrame(rows)


def _long() -> pd.DataFrame:
    return pd.DataFrame({
        "NIP": NIPS * 2, "Kelas": ["K2"] * 12,
        "Nama Narasumber": ["Dr. Maria Ndun"] * 6 + ["Ir. Petrus Tefa"] * 6,
        "Sesi": ["1"] * 6 + ["2"] * 6, "Peran": ["Widyaiswara"] * 6 + ["Akademisi"] * 6,
        "Penguasaan materi": LABELS * 2, "Penyampaian": LABELS[::-1] * 2,
    })  # fmt: skip


def test_wide_blocks_and_long_column_are_recognised() -> None:
    wide = guess_source(Source("evaluasi.csv", None, 1, _wide()))
    blocks = wide_blocks(wide)
    assert list(blocks) == ["Widyaiswara 1: ", "Widyaiswara 2: "]
    assert list(blocks["Widyaiswara 2: "]["items"]) == ["Penguasaan materi", "Penyampaian",
                                                        "Ketepatan waktu"]  # fmt: skip
    assert facilitator_column(guess_source(Source("e.csv", None, 1, _long()))) == "Nama Narasumber"
    reaction = pd.DataFrame({"NIP": NIPS, "Penilaian Narasumber [Menguasai materi]": LABELS,
                             "Penilaian Narasumber [Tepat waktu]": LABELS[::-1]})  # fmt: skip
    g = guess_source(Source("reaksi.csv", None, 1, reaction))
    assert not wide_blocks(g) and facilitator_column(g) is None  # a reaction form stays one


def test_init_proposes_a_codebook_that_cleans(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    _wide().to_csv(raw / "evaluasi_narasumber.csv", index=False)
    _long().to_csv(raw / "evaluasi_widyaiswara.csv", index=False)
    proposal = build_proposal(raw)
    tables = proposal.data["tables"]
    wide = tables["facilitator_ratings"]
    assert wide["files"] == ["evaluasi_narasumber.csv"] and "name" in wide["columns"]
    assert wide["blocks"]["n2"]["prefix"] == "Widyaiswara 2: "
    assert wide["blocks"]["n2"]["columns"]["facilitator_id"] == {"from": "Widyaiswara 2: Nama"}
    assert wide["items"]["penguasaan_materi"]["from"] == "Penguasaan materi"
    long = next(e for k, e in tables.items() if k != "facilitator_ratings")
    assert long["table"] == "facilitator_ratings"
    assert long["columns"]["facilitator_id"] == {"from": "Nama Narasumber"}
    assert long["columns"]["session"] == {"from": "Sesi"}
    assert "REVIEW" in proposal.notes["tables.facilitator_ratings.blocks"]
    text = render_codebook(proposal)
    parse_codebook(yaml.safe_load(text))  # the rendered proposal is a valid codebook
    (raw / "codebook.yaml").write_text(text, encoding="utf-8")
    summary = clean_study(raw, tmp_path / "out", progress=False, salt=b"s")
    table = pd.read_parquet(tmp_path / "out" / "facilitator_ratings.parquet")
    assert summary.quarantined == 0 and table["facilitator_id"].nunique() == 3
    assert set(table["facilitator_role"]) == {"widyaiswara", "practitioner", "academic"}
    assert len(table) == 6 * 2 * 3 + 12 * 2
