"""The retrospective table from raw exports, and the demo's planted retrospective truths.

- cleaning a PTIA-shaped export: bad cells quarantined with a reason code naming the
  file, row and column; a blank pair dropped; the app's aspect names as PTIA keys;
- the demo: every file that existed before the retrospective exports is byte-identical
  (their SHA-256 below were taken from the demo before these exports were added);
- the planted response shift, supervisor gap and 12-month decay are recovered.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest
import yaml

from evalkit.data.clean import clean_study
from evalkit.data.demo import build_demo
from evalkit.data.demo.files import file_bytes
from evalkit.metrics.retrospective import (
    ptia_scores,
    rater_gap,
    response_shift,
    retrospective_change,
)
from evalkit.metrics.waves import behavior_change, persistence_curve

SALT = b"test salt"

#: SHA-256 of the demo files as they were before the retrospective exports were added
#: (``codebook.yaml`` and ``truth.json`` change with them and are not listed).
BEFORE = {
    "butir_tes_KST-2025-02.csv": "86362dbf1cb641ea2fd6753def2ed83cb8f9b967e639c3f3d248fc34dc568a38",
    "butir_tes_PPR-2024-02.csv": "d84b27f843770637c0ce5d54da608fd64a0f9f3606937459bee291d0eeabd254",
    "butir_tes_SPBE-2024-02.csv": "7a3e1e9e99d0890cfe8c4ac2647c9f21cdfb962b48e699ac9d392e8990ddb528",
    "daftar_angkatan.xlsx": "3194c7a2707cc65860df83913348afb63026385d6c4be6096923a88d752104b5",
    "estimasi_manfaat.xlsx": "0191ac8bddbe9fbd7fdab3a22bf9e8c58acaeb910b9371e67479cbd7554345fc",
    "kpi_unit.xlsx": "7c8794c78ace130488de6ca9cc1bdcfd58de5c9ae030dd46578596013bab0b52",
    "monitoring_aksi_perubahan.xlsx": "7875cc8ad3a0cd157bd3ae32df4256340d21eed8e242cfce73399db1f4f739ca",
    "nilai_tes.csv": "a65cfad3161d59d2aa12eec5f261ebbf9368295a18c2b5e2cfff12d37f4437ab",
    "peserta_2023.xlsx": "005bc42240ded125e4a4828a612a3e277d35c4589349bc462f0ec83cec3a2e95",
    "peserta_2024.xlsx": "d9b0d759e49fa4251cad6f65f482fa8e7a32123ea74f69b83dea6136ea48d35d",
    "peserta_2025.csv": "0bb4425aefd021162aa1083302e885954538bbbb8ecdbf0d4fdad62ef1ffc6f5",
    "reaksi_KMP.csv": "2d651cee48129e5111c85299f984d549bb4c0d3a5ce90832a68d6789f2e5043e",
    "reaksi_KST.csv": "50220359f8c7f8badbbee0f49eef7dbdfcdb809f4111e515b699641061f53ebf",
    "reaksi_MWT.csv": "7e15f33f0380a641b150f9362606321d9227fd135d8cdce172cfddaac4b005ba",
    "reaksi_PKP.csv": "e1104b7485aea14c3d5046a64721fbcf003659cfe132a7c8f91053c5b07134c3",
    "reaksi_PPR.csv": "f630d30faf43b61e991ff9790e60a48146363aee8d41aabddec87964dc933add",
    "reaksi_SPBE.csv": "4a5959bddb3f3ab1fe2a6fa3d96415a311a1812c21db2114ba4526ca28a4a543",
    "rincian_biaya.xlsx": "4743ecb160b39bec9f9739ded9ac6141cc370f5ff39c3e29fb81b99636d92d5e",
    "skm_olah_data.xlsx": "b8bbf85d193bb88f46f6f31b2d1f4283df336a24fd05c673cd1258614d4aa2ea",
    "survei_lms_SPBE-2024-02.csv": "2844647da895ba1e503a35b6497f5b95d5e1b56d3f5e29edba4663170eaa6d36",
    "tindak_lanjut_alumni.xlsx": "52b02d2b010441db058eb1627212aecd4ec7aebb875313372d92a9bc320f8b62",
    "tindak_lanjut_atasan.xlsx": "0859cbed2cdb9452ae05ba2b692d130256addbd693c701220f94f4b54b061826",
}


def test_existing_demo_files_are_byte_identical() -> None:
    files, _truth = build_demo()
    digests = {f.name: hashlib.sha256(file_bytes(f)).hexdigest() for f in files}
    assert {name: digests.get(name) for name in BEFORE} == BEFORE
    new = set(digests) - set(BEFORE)
    assert {"ptia_jawaban_kuesioner.xlsx", "swanilai_awal_pelatihan.xlsx",
            "tindak_lanjut_12bulan.xlsx"} <= new  # fmt: skip


# --- cleaning a PTIA export -----------------------------------------------------------
CODEBOOK = {
    "study": "ptia",
    "tables": {
        "retrospective": {
            "files": ["jawaban.csv"],
            "columns": {
                "nip": {"from": "NIP", "type": "nip"},
                "cohort_id": {"from": "Kode Diklat", "type": "str", "required": True},
                "rater": {"from": "Responden", "type": "category",
                          "values": {"alumni": "self", "atasan": "supervisor"}},
                "months_after": {"from": "Bulan Ke", "type": "int"},
                "aspect": {"from": "Aspek", "type": "str"},
                "item": {"from": "Kode", "type": "str"},
                "rating_before": {"from": "Nilai Sebelum", "type": "int"},
                "rating_now": {"from": "Nilai Sesudah", "type": "int"},
            },
        }
    },
}  # fmt: skip

ROWS = [
    ["NIP", "Kode Diklat", "Responden", "Bulan Ke", "Aspek", "Kode", "Nilai Sebelum",
     "Nilai Sesudah"],
    ["198505122010011002", "A1", "Alumni", "3", "Motivasi", "q1", "2", "3"],
    ["198505122010011002", "A1", "Alumni", "3", "Kemampuan Implementasi Keilmuan", "q2", "1", "4"],
    ["198505122010011002", "A1", "Atasan", "3", "Motivasi", "q1", "2", "5"],
    ["198505122010011002", "A1", "Atasan", "3", "Hasil Pelatihan", "q5", "", ""],
    ["199001012015032001", "A1", "Alumni", "3", "Hasil Pelatihan", "q5", "1", "3"],
]  # fmt: skip


@pytest.fixture(scope="module")
def ptia_study(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("ptia")
    raw = root / "raw"
    raw.mkdir()
    (raw / "codebook.yaml").write_text(yaml.safe_dump(CODEBOOK), encoding="utf-8")
    (raw / "jawaban.csv").write_text("\n".join(",".join(r) for r in ROWS) + "\n", encoding="utf-8")
    clean_study(raw, root / "out", progress=False, salt=SALT)
    return raw, root / "out"


def test_ptia_export_cleans_into_the_retrospective_table(ptia_study) -> None:
    _raw, out = ptia_study
    table = pd.read_parquet(out / "retrospective.parquet")
    assert len(table) == 3
    assert sorted(table["aspect"]) == ["hasil", "implementasi", "motivasi"]
    assert table["rater"].unique().tolist() == ["self"]
    pairs = sorted(zip(table["item"], table["rating_before"], table["rating_now"], strict=True))
    assert pairs == [("q1", 2.0, 3.0), ("q2", 1.0, 4.0), ("q5", 1.0, 3.0)]
    assert str(table["months_after"].dtype) == "Int64"


def test_ptia_bad_cells_are_quarantined_with_file_row_and_column(ptia_study) -> None:
    _raw, out = ptia_study
    log = pd.read_csv(out / "quality_log.csv")
    bad = log[log["reason"].str.startswith("out_of_range")]
    assert bad[["file", "row", "column", "action"]].values.tolist() == [
        ["jawaban.csv", 4, "Nilai Sesudah", "quarantined"]
    ]
    empty = log[log["reason"].str.startswith("empty_response")]
    assert empty[["file", "row", "action"]].values.tolist() == [["jawaban.csv", 5, "dropped"]]


# --- the demo's planted truths ----------------------------------------------------------
@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, dict[str, pd.DataFrame]]:
    from evalkit.data.demo import write_demo

    root = tmp_path_factory.mktemp("demo")
    raw = write_demo(root / "raw", progress=False)
    clean_study(raw, root / "out", progress=False, salt=SALT)
    truth = json.loads((raw / "truth.json").read_text(encoding="utf-8"))
    tables = {n: pd.read_parquet(root / "out" / f"{n}.parquet")
              for n in ("retrospective", "followup", "cohorts")}  # fmt: skip
    tables["log"] = pd.read_csv(root / "out" / "quality_log.csv")
    return truth, tables


def test_demo_response_shift_is_recovered(demo) -> None:
    truth, t = demo
    planted = truth["effects"]["retrospective"]["response_shift"]["value"]
    shift = response_shift(t["retrospective"])
    assert shift["ci_low"] <= planted <= shift["ci_high"]
    assert shift["p"] < 0.001 and shift["n"] >= 200


def test_demo_supervisor_gap_and_then_test_change_are_recovered(demo) -> None:
    truth, t = demo
    info = truth["effects"]["retrospective"]
    gap = rater_gap(t["retrospective"])
    for measure in ("before", "now"):
        assert (
            gap.loc[measure, "ci_low"]
            <= info["supervisor_minus_self"]
            <= gap.loc[measure, "ci_high"]
        )
    assert gap.loc["change", "ci_low"] <= 0 <= gap.loc["change", "ci_high"]
    change = retrospective_change(t["retrospective"])
    planted = info["then_test_change_self"]
    for rater in ("self", "supervisor"):
        assert change.loc[rater, "ci_low"] <= planted <= change.loc[rater, "ci_high"]


def test_demo_ptia_scores_cover_every_rated_alumnus(demo) -> None:
    _truth, t = demo
    retro = t["retrospective"].dropna(subset=["rating_before", "rating_now"])
    scores = ptia_scores(t["retrospective"])
    assert len(scores) == retro.groupby(["cohort_id", "participant_id"]).ngroups
    assert scores["level3"].between(0, 100).all()


def test_demo_twelve_month_decay_is_recovered(demo) -> None:
    truth, t = demo
    curve = truth["effects"]["followup_12_months"]["curve_pomp"]
    change = behavior_change(t["followup"], baseline=3, later=12, scale_min=1)
    assert change["ci_low"] <= curve["12"] <= change["ci_high"]
    assert change["mean_change"] < 0 and change["p"] < 0.05
    by_program = persistence_curve(t["followup"], cohorts=t["cohorts"])
    assert sorted(by_program["months_after"].unique()) == [3, 6, 12]
    # the 6-month rise of PKP and PPR, then the fall by 12 months
    for prog in ("PKP", "PPR"):
        m = by_program[by_program["program_id"] == prog].set_index("months_after")["mean"]
        assert m[12] < m[6]


def test_demo_impossible_rating_is_quarantined(demo) -> None:
    truth, t = demo
    events = [e for e in truth["mess"]["events"] if e["kind"] == "impossible_rating"]
    assert len(events) == 1
    log = t["log"]
    hit = log[(log["file"] == events[0]["file"]) & (log["row"] == events[0]["row"])]
    assert hit["reason"].str.startswith("out_of_range").any()
    assert (hit["column"] == "Nilai Sesudah").any()


# --- a wide export: one row per form, a before/now column pair per question --------------
WIDE_CODEBOOK = {
    "study": "wide",
    "likert": {"persepsi4": {"max": 4, "labels": {"sangat tidak setuju": 1, "tidak setuju": 2,
                                                  "setuju": 3, "sangat setuju": 4}}},
    "tables": {
        "retrospective": {
            "files": ["wide.csv"],
            "columns": {
                "nip": {"from": "NIP", "type": "nip"},
                "cohort_id": {"from": "Kode Diklat", "type": "str", "required": True},
                "rater": {"value": "self"},
                "months_after": {"value": 6},
            },
            "items": {
                "q1_sebelum": {"from": "Motivasi (sebelum)", "likert": "persepsi4",
                               "dimension": "motivasi"},
                "q1_sesudah": {"from": "Motivasi (sesudah)", "likert": "persepsi4",
                               "dimension": "motivasi"},
                "q2_sebelum": {"from": "Implementasi (sebelum)", "likert": "persepsi4",
                               "dimension": "implementasi"},
                "q2_sesudah": {"from": "Implementasi (sesudah)", "likert": "persepsi4",
                               "dimension": "implementasi"},
            },
        }
    },
}  # fmt: skip


def test_wide_export_pairs_become_answer_rows(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "codebook.yaml").write_text(yaml.safe_dump(WIDE_CODEBOOK), encoding="utf-8")
    rows = [
        ["NIP", "Kode Diklat", "Motivasi (sebelum)", "Motivasi (sesudah)",
         "Implementasi (sebelum)", "Implementasi (sesudah)"],
        ["198505122010011002", "A1", "Tidak setuju", "Sangat setuju", "1", "3"],
        ["199001012015032001", "A1", "setuju", "7", "2", ""],
    ]  # fmt: skip
    (raw / "wide.csv").write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    clean_study(raw, tmp_path / "out", progress=False, salt=SALT)
    table = pd.read_parquet(tmp_path / "out" / "retrospective.parquet")
    got = sorted(zip(table["item"], table["aspect"], table["rating_before"].fillna(-1),
                     table["rating_now"].fillna(-1), strict=True))  # fmt: skip
    # the 7 is outside the Likert set: the form is quarantined, as any follow-up form is
    assert got == [("q1", "motivasi", 2.0, 4.0), ("q2", "implementasi", 1.0, 3.0)]
    assert set(table["months_after"]) == {6}
    log = pd.read_csv(tmp_path / "out" / "quality_log.csv")
    bad = log[log["reason"].str.startswith("likert_out_of_range")]
    assert bad[["file", "row", "column", "action"]].values.tolist() == [
        ["wide.csv", 3, "Motivasi (sesudah)", "quarantined"]
    ]


def test_wide_items_must_say_before_or_now() -> None:
    from evalkit.data.codebook import parse_codebook
    from evalkit.errors import CodebookError

    bad = json.loads(json.dumps(WIDE_CODEBOOK))
    items = bad["tables"]["retrospective"]["items"]
    items["q3"] = items.pop("q2_sesudah")
    with pytest.raises(CodebookError, match="_sebelum / <item>_sesudah"):
        parse_codebook(bad)
