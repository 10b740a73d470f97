"""Tests of evalkit.clean: from messy raw exports to the processed tables.

Each test writes a small study into ``tmp_path`` with one example of each kind of
mess (Likert words in Indonesian and English, 4- and 5-point sets, reverse keyed
items, mangled NIPs, duplicate submissions, unit typos, comma decimals, dates in
several forms, a BOM, semicolons, cp1252) and checks where every row ended.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evalkit.data.build import BUILDERS
from evalkit.data.cells import PARSER_FACTORIES
from evalkit.data.clean import clean_study
from evalkit.data.parse import parse_bool, parse_date, parse_datetime, parse_number, parse_share
from evalkit.data.pseudonym import pseudonym
from evalkit.data.schema import COLUMN_TYPES, OUTPUT_COLUMNS, output_dtype
from evalkit.data.scrub import NameScrubber, scrub_text
from evalkit.errors import CodebookError, DataError, ParameterError
from evalkit.io.atomic import sha256

SALT = b"test salt"
NIP_A = "198505122010011002"  # male, born 1985
NIP_B = "199001012015032001"  # female, born 1990
NIP_C = "197803152005011003"
NIP_D = "199512312020122004"

CODEBOOK = """
study: mini
likert:
  setuju5:
    max: 5
    labels: {"sangat tidak setuju": 1, "tidak setuju": 2, "netral": 3, "setuju": 4,
             "sangat setuju": 5, "strongly disagree": 1, "disagree": 2, "neutral": 3,
             "agree": 4, "strongly agree": 5}
  baik4:
    max: 4
    labels: {"tidak baik": 1, "kurang baik": 2, "baik": 3, "sangat baik": 4}
values:
  delivery: {"tatap muka": klasikal, daring: e-learning}
  facilitator_type: {akademisi: academic, praktisi: practitioner}
  skill_type: {"soft skill": soft, teknis: technical}
  phase: {pre-test: pre, post-test: post}
  status: {"sudah diterapkan": implemented, "belum dimulai": not_started}
  period: {"semester i 2024": "2024-S1", "semester ii 2024": "2024-S2"}
  benefit_type: {"penghematan waktu": time_saved, "kesalahan berkurang": fewer_errors,
                 "pelayanan lebih cepat": faster_service}
units:
  "Dinas Kesehatan": ["dinkes"]
  "DPMPTSP": ["dpm-ptsp"]
  "Bappeda": []
impact: {post_from: "2024-S2", treated_units: ["dpm-ptsp"]}
tables:
  cohorts:
    files: ["angkatan.xlsx"]
    header_row: 2
    columns:
      cohort_id: {from: "Kode Angkatan", required: true}
      program_id: {from: "Kode Program"}
      program_name: {from: "Nama Pelatihan"}
      skill_type: {from: "Jenis", type: category, values: skill_type}
      batch: {from: "Angkatan Ke", type: int}
      start_date: {from: "Tanggal Mulai", type: date}
      end_date: {from: "Tanggal Selesai", type: date}
      delivery: {from: "Metode", type: category, values: delivery}
      facilitator_type: {from: "Narasumber", type: category, values: facilitator_type}
      jp: {from: "JP", type: int, min: 1, max: 500}
  participants:
    files: ["peserta.csv"]
    columns:
      cohort_id: {from: "Kode Angkatan", required: true}
      nip: {from: "NIP"}
      name: {from: "Nama Lengkap"}
      golongan: {from: "Gol"}
      position_type: {from: "Jabatan", type: category}
      unit: {from: "Unit Kerja"}
  reaction:
    files: ["reaksi_*.csv"]
    dedupe: {key: [nip, cohort_id], keep_latest: submitted_at}
    columns:
      submitted_at: {from: "Timestamp"}
      nip: {from: "NIP"}
      name: {from: "Nama"}
      cohort_id: {from: "Kode Angkatan"}
    items:
      content_1: {from: "Materi jelas", dimension: content, likert: setuju5}
      organisation_3: {from: "Jadwal terlalu padat", dimension: organisation, likert: setuju5,
                       reverse: true}
      relevance_1: {from: "Materi sesuai tugas", dimension: relevance, likert: setuju5,
                    text: "Materi sesuai dengan tugas saya"}
    comments: {from: "Saran"}
  reaction_lms:
    table: reaction
    files: ["lms.csv"]
    columns:
      submitted_at: {from: "Waktu"}
      nip: {from: "NIP"}
      cohort_id: {from: "Kode Angkatan"}
    items:
      lms_content_1: {from: "Kualitas materi", dimension: content, likert: baik4}
  learning:
    files: ["nilai.csv"]
    columns:
      nip: {from: "NIP"}
      name: {from: "Nama"}
      cohort_id: {from: "Kode Angkatan"}
      pre: {from: "Pre-Test", min: 0, max: 100}
      post: {from: "Post-Test", min: 0, max: 100}
      max_score: {value: 100}
  test_items:
    files: ["butir.csv"]
    columns:
      submitted_at: {from: "Waktu"}
      nip: {from: "NIP"}
      cohort_id: {from: "Kode Angkatan"}
      phase: {from: "Jenis Tes", type: category, values: phase, required: true}
    items:
      s01: {from: "Soal 1"}
      s02: {from: "Soal 2"}
  followup_self:
    table: followup
    files: ["alumni.xlsx"]
    columns:
      submitted_at: {from: "_submission_time"}
      nip: {from: "identitas/nip"}
      cohort_id: {from: "identitas/kode_angkatan"}
      months_after: {from: "identitas/bulan_ke", min: 1, max: 24}
      rater: {value: self}
    items:
      b1: {from: "perilaku/b1", likert: setuju5}
  projects:
    files: ["aksi.csv"]
    columns:
      nip: {from: "NIP"}
      cohort_id: {from: "Kode Angkatan"}
      months_after: {from: "Bulan Ke"}
      project_status: {from: "Status", type: category, values: status}
  ikm:
    files: ["skm.csv"]
    columns:
      respondent_id: {from: "No"}
      unit: {from: "Unit Layanan"}
      period: {from: "Periode", type: category, values: period}
      u1: {from: "U1", min: 1, max: 4}
      u2: {from: "U2", min: 1, max: 4}
      u3: {from: "U3", min: 1, max: 4}
  unit_kpi:
    files: ["kpi.csv"]
    columns:
      unit: {from: "Unit"}
      period: {from: "Periode", type: category, values: period}
      service_days: {from: "Hari", min: 0}
      complaints: {from: "Pengaduan", min: 0}
  costs:
    files: ["biaya.csv"]
    columns:
      cohort_id: {from: "Kode Angkatan"}
      category: {from: "Komponen"}
      amount_idr: {from: "Jumlah", min: 0}
  benefits:
    files: ["manfaat.csv"]
    dedupe: {key: [nip, cohort_id, benefit_type], keep_latest: submitted_at}
    columns:
      submitted_at: {from: "Waktu"}
      nip: {from: "NIP"}
      name: {from: "Nama"}
      cohort_id: {from: "Kode Angkatan"}
      benefit_type: {from: "Jenis Manfaat", type: category, values: benefit_type}
      benefit_idr: {from: "Nilai per Tahun"}
      attribution: {from: "Atribusi"}
      confidence: {from: "Keyakinan"}
  narasumber:
    table: facilitator_ratings
    files: ["narasumber.csv"]
    columns:
      nip: {from: "NIP"}
      cohort_id: {from: "Kode Angkatan"}
      facilitator_id: {from: "Narasumber"}
      session: {from: "Sesi"}
    items:
      mastery: {from: "Penguasaan materi", likert: baik4}
      delivery: {from: "Penyampaian", likert: baik4}
  retrospective:
    files: ["ptia.csv"]
    columns:
      nip: {from: "NIP"}
      cohort_id: {from: "Kode Diklat"}
      rater: {from: "Responden", type: category, values: {alumni: self, atasan: supervisor}}
      months_after: {from: "Bulan Ke"}
      aspect: {from: "Aspek"}
      item: {from: "Kode"}
      rating_before: {from: "Nilai Sebelum"}
      rating_now: {from: "Nilai Sesudah"}
"""


def _csv(
    path: Path, rows: list[list[str]], *, sep: str = ",", encoding: str = "utf-8", bom: bool = False
) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=sep, lineterminator="\n").writerows(rows)
    path.write_bytes(("\ufeff" if bom else "").encode() + buffer.getvalue().encode(encoding))


def _xlsx(path: Path, rows: list[list[object]], *, title: str | None = None) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
    for row in rows:
        sheet.append(row)
    book.save(path)


def write_study(raw: Path, codebook: str = CODEBOOK) -> Path:
    """Write the small messy study into ``raw``; return it."""
    raw.mkdir(parents=True, exist_ok=True)
    (raw / "codebook.yaml").write_text(codebook, encoding="utf-8")
    _xlsx(
        raw / "angkatan.xlsx",
        [
            ["No", "Kode Angkatan", "Kode Program", "Nama Pelatihan", "Jenis", "Angkatan Ke",
             "Tanggal Mulai", "Tanggal Selesai", "Metode", "Narasumber", "JP"],
            [1, "PR-2024-01", "PR", "Pelayanan Prima", "Soft Skill", 1,
             dt.datetime(2024, 3, 4), "8 Maret 2024", "Tatap Muka", "Praktisi", 40],
            [2, "PR-2024-02", "PR", "Pelayanan Prima", "soft skill", 2,
             "15/07/2024", "19-07-2024", "daring", "akademisi", "24"],
            ["", "", "", "", "", "", "", "", "", ""],
            ["Catatan: angkatan 2 daring"],
        ],
        title="DAFTAR ANGKATAN PELATIHAN 2024",
    )  # fmt: skip
    _csv(
        raw / "peserta.csv",
        [
            ["Kode Angkatan", "NIP", "Nama Lengkap", "Gol", "Jabatan", "Unit Kerja"],
            ["PR-2024-01", NIP_A, "Yohanes Fanggidae", "III/a", "pelaksana", "Dinkes"],
            ["PR-2024-01", f"'{NIP_B}", "Maria Ndun, S.E.", "III/b", "fungsional", "DINAS KESEHATAN"],
            ["PR-2024-01", "1.97803152005011003E+17", "Agustinus Lay", "III/c", "struktural", "Dinas Kesehtan"],
            ["PR-2024-01", NIP_D, "Theresia Bell\u00e9", "II/d", "pelaksana", "DPM-PTSP"],
            ["PR-2024-01", "", "Yosef Ratu", "II/c", "pelaksana", "Bappeda"],
            ["PR-2024-01", "198505122010013002", "", "II/a", "pelaksana", "Bappeda"],
        ],
        sep=";",
        encoding="cp1252",
    )  # fmt: skip
    header = ["Timestamp", "NIP", "Nama", "Kode Angkatan", "Materi jelas",
              "Jadwal terlalu padat", "Materi sesuai tugas", "Saran"]  # fmt: skip
    rows = [
        header,
        ["08/03/2024 10:00:00", "19850512 201001 1 002", "Yohanes", "PR-2024-01",
         "Setuju", "Setuju", "Setuju", "awal"],
        ["09/03/2024 09:00:00", "19850512 201001 1 002", "Yohanes", "PR-2024-01",
         "Sangat Setuju", "Tidak Setuju", "sangat setuju", "bagus"],
        ["08/03/2024 11:00:00", "1.99001E+17", "Ibu Maria Ndun", "PR-2024-01", "4", "4", "", ""],
        ["08/03/2024 12:30:00", NIP_C, "Agustinus Lay", "pr-2024-01", "Strongly Agree", "Disagree",
         "agree ", "hubungi 0812-3456-7890 / agus@contoh.go.id, NIP 19780315 200501 1 003"],
        ["", "", "", "", "", "", "", ""],
        ["08/03/2024 13:00:00", NIP_D, "Theresia", "PR-2024-01", "Cukup Setuju", "Setuju",
         "Setuju", ""],
        ["08/03/2024 13:05:00", "", "Yosef Ratu", "PR-2024-01", "7", "Setuju", "Setuju", ""],
        ["08/03/2024 13:10:00", NIP_A, "Yohanes", "PR-2099-01", "Setuju", "Setuju", "Setuju", ""],
        ["08/03/2024 13:15:00", "", "", "PR-2024-01", "Setuju", "Setuju", "Setuju", ""],
        ["08/03/2024 13:20:00", NIP_D, "Theresia", "PR-2024-02", "", "", "", ""],
    ]  # fmt: skip
    _csv(raw / "reaksi_PR.csv", rows, bom=True)
    _csv(
        raw / "lms.csv",
        [["Waktu", "NIP", "Kode Angkatan", "Kualitas materi"],
         ["2024-03-08T10:00:00", NIP_A, "PR-2024-01", "Sangat Baik"]],
        sep="\t",
    )  # fmt: skip
    _csv(
        raw / "nilai.csv",
        [
            ["NIP", "Nama", "Kode Angkatan", "Pre-Test", "Post-Test"],
            [NIP_A, "Yohanes", "PR-2024-01", "55,5", "78,5"],
            [NIP_B, "Maria", "PR-2024-01", "", "80"],
            [NIP_C, "Agus", "PR-2024-01", "60", "140"],
            ["", "Yosef Ratu", "PR-2024-01", "65,25", "70"],
            [NIP_D, "Theresia", "PR-2024-01", "", ""],
        ],
        sep=";",
    )  # fmt: skip
    _csv(
        raw / "butir.csv",
        [
            ["Waktu", "NIP", "Kode Angkatan", "Jenis Tes", "Soal 1", "Soal 2"],
            ["04/03/2024 08:00", NIP_A, "PR-2024-01", "Pre-Test", "1", "0"],
            ["08/03/2024 15:00", NIP_A, "PR-2024-01", "Post-Test", "1", "1"],
            ["04/03/2024 08:00", NIP_B, "PR-2024-01", "Pre-Test", "1", ""],
            ["08/03/2024 15:00", NIP_B, "PR-2024-01", "Post-Test", "?", "1"],
        ],
    )  # fmt: skip
    _xlsx(
        raw / "alumni.xlsx",
        [
            ["_id", "_submission_time", "identitas/nip", "identitas/kode_angkatan",
             "identitas/bulan_ke", "perilaku/b1"],
            [1, dt.datetime(2024, 6, 10, 9, 0), NIP_A, "PR-2024-01", 3, "Setuju"],
            [2, dt.datetime(2024, 6, 11, 9, 0), NIP_B, "PR-2024-01", "3", "Sangat Setuju"],
        ],
    )  # fmt: skip
    _csv(
        raw / "aksi.csv",
        [["NIP", "Kode Angkatan", "Bulan Ke", "Status"],
         [NIP_A, "PR-2024-01", "3", "Sudah Diterapkan"],
         [NIP_B, "PR-2024-01", "3", ""]],
    )  # fmt: skip
    _csv(
        raw / "skm.csv",
        [
            ["No", "Periode", "Unit Layanan", "U1", "U2", "U3"],
            ["1", "Semester I 2024", "Dinkes", "3", "4", "3"],
            ["2", "Semester II 2024", "dpm-ptsp", "4", "4", ""],
            ["3", "Semester II 2024", "DPMPTSP", "4", "4", "5"],
        ],
    )  # fmt: skip
    _csv(
        raw / "kpi.csv",
        [["Unit", "Periode", "Hari", "Pengaduan"],
         ["Dinas Kesehatan", "Semester I 2024", "2,5", "3"],
         ["DPMPTSP", "Semester II 2024", "1.75", "0"]],
        sep=";",
    )  # fmt: skip
    _csv(
        raw / "biaya.csv",
        [["Kode Angkatan", "Komponen", "Jumlah"],
         ["PR-2024-01", "konsumsi", "Rp 1.250.000"],
         ["PR-2024-01", "honor", "750.000"],
         ["PR-2024-02", "konsumsi", "-5"]],
        sep=";",
    )  # fmt: skip
    _csv(
        raw / "manfaat.csv",
        [
            ["Waktu", "NIP", "Nama", "Kode Angkatan", "Jenis Manfaat", "Nilai per Tahun",
             "Atribusi", "Keyakinan"],
            ["10/09/2024 09:00:00", NIP_A, "Yohanes", "PR-2024-01", "Penghematan waktu",
             "Rp 2.400.000", "60%", "80%"],
            ["11/09/2024 09:00:00", NIP_A, "Yohanes", "PR-2024-01", "penghematan waktu",
             "Rp 3.000.000", "50 %", "0,9"],
            ["10/09/2024 10:00:00", "1.99001E+17", "Ibu Maria Ndun", "PR-2024-01",
             "Kesalahan berkurang", "1.200.000", "40", "70"],
            ["10/09/2024 11:00:00", "", "Yosef Ratu", "PR-2024-01", "Penghematan waktu",
             "600000", "0.5", "1"],
            ["", "", "", "", "", "", "", ""],
            ["10/09/2024 12:00:00", "", "", "PR-2024-01", "Pelayanan lebih cepat",
             "Rp 5.000.000", "30%", "60%"],
            ["10/09/2024 12:05:00", "", "", "PR-2024-01", "Pelayanan lebih cepat",
             "Rp 4.000.000,-", "20%", "50%"],
            ["10/09/2024 13:00:00", NIP_C, "Agustinus Lay", "PR-2024-01", "Kesalahan berkurang",
             "Rp 900.000", "120%", "80%"],
            ["10/09/2024 13:10:00", NIP_C, "Agustinus Lay", "PR-2024-01", "Penghematan waktu",
             "", "50%", "50%"],
            ["10/09/2024 13:30:00", NIP_D, "Theresia", "PR-2024-01", "Penghematan waktu",
             "-100.000", "50%", "50%"],
        ],
        sep=";",
    )  # fmt: skip
    _csv(
        raw / "narasumber.csv",
        [["NIP", "Kode Angkatan", "Narasumber", "Sesi", "Penguasaan materi", "Penyampaian"],
         [NIP_A, "PR-2024-01", "Dr. Maria Ndun", "1", "Baik", "Sangat Baik"],
         [NIP_A, "PR-2024-01", "Yosef Lay", "2", "Kurang Baik", "Bagus"]],
    )  # fmt: skip
    _csv(
        raw / "ptia.csv",
        [["NIP", "Kode Diklat", "Responden", "Bulan Ke", "Aspek", "Kode", "Nilai Sebelum",
          "Nilai Sesudah"],
         [NIP_A, "PR-2024-01", "Alumni", "3", "Motivasi", "q1", "2", "3"],
         [NIP_A, "PR-2024-01", "Atasan", "3", "Motivasi", "q1", "2", "4"]],
    )  # fmt: skip
    return raw


@pytest.fixture(scope="module")
def cleaned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, object]:
    root = tmp_path_factory.mktemp("study")
    raw = write_study(root / "raw")
    out = root / "out"
    summary = clean_study(raw, out, progress=False, salt=SALT)
    return raw, out, summary


def _table(out: Path, name: str) -> pd.DataFrame:
    return pd.read_parquet(out / f"{name}.parquet")


def _log(out: Path) -> pd.DataFrame:
    return pd.read_csv(out / "quality_log.csv", keep_default_na=False, dtype={"row": int})


def _pid(nip: str) -> str:
    return pseudonym(f"nip:{nip}", salt=SALT)


def test_every_table_is_written_with_its_columns(cleaned) -> None:
    _raw, out, summary = cleaned
    assert set(summary.tables) == set(OUTPUT_COLUMNS)
    for name in OUTPUT_COLUMNS:
        assert list(_table(out, name).columns) == list(OUTPUT_COLUMNS[name]), name
    text = str(summary)
    assert text.startswith(f"study mini: {len(OUTPUT_COLUMNS)} tables written to")
    assert "quarantined" in text and "quality_log.csv" in text


def test_every_table_has_the_dtypes_of_the_schema(cleaned) -> None:
    _raw, out, _summary = cleaned
    for name in OUTPUT_COLUMNS:
        table = _table(out, name)
        for col in table.columns:
            want = output_dtype(name, col)
            got = str(table[col].dtype)
            assert got == want or (want == "object" and got in ("str", "string")), (name, col)


def test_every_column_type_has_a_parser() -> None:
    assert set(PARSER_FACTORIES) == set(COLUMN_TYPES)


def test_cohorts_are_built_first_and_participants_last() -> None:
    # follow-ups and ages need the cohorts' dates; participants gather every other table
    names = [b.__name__ for b in BUILDERS]
    assert names[0] == "_build_cohorts" and names[-1] == "_build_participants"
    assert len(set(names)) == len(names)


def test_cohorts_dates_categories_and_programs(cleaned) -> None:
    _raw, out, _ = cleaned
    cohorts = _table(out, "cohorts")
    assert cohorts["cohort_id"].tolist() == ["PR-2024-01", "PR-2024-02"]
    assert cohorts["start_date"].dt.date.tolist() == [dt.date(2024, 3, 4), dt.date(2024, 7, 15)]
    assert cohorts["end_date"].dt.date.tolist() == [dt.date(2024, 3, 8), dt.date(2024, 7, 19)]
    assert cohorts["delivery"].tolist() == ["klasikal", "e-learning"]
    assert cohorts["facilitator_type"].tolist() == ["practitioner", "academic"]
    assert cohorts["skill_type"].tolist() == ["soft", "soft"]
    assert cohorts["jp"].tolist() == [40, 24]
    programs = _table(out, "programs")
    assert programs.to_dict("records") == [
        {"program_id": "PR", "program_name": "Pelayanan Prima", "skill_type": "soft"}
    ]


def test_note_row_below_a_sheet_is_quarantined_and_blank_rows_dropped(cleaned) -> None:
    _raw, out, _ = cleaned
    log = _log(out)
    rows = log[log["file"] == "angkatan.xlsx"].set_index("row")
    assert rows.loc[5, "reason"] == "empty_row: every mapped cell is empty"
    assert rows.loc[5, "action"] == "dropped"
    assert rows.loc[6, "reason"].startswith("missing_required: cohort_id")
    assert rows.loc[6, "action"] == "quarantined"


def test_likert_words_numbers_english_and_reverse_keying(cleaned) -> None:
    _raw, out, _ = cleaned
    reaction = _table(out, "reaction")
    scores = reaction.set_index(["participant_id", "item"])["score"]
    # A: the later of two submissions; organisation_3 is reverse keyed: 6 - 2 = 4
    assert scores[(_pid(NIP_A), "content_1")] == 5
    assert scores[(_pid(NIP_A), "organisation_3")] == 4
    assert scores[(_pid(NIP_A), "relevance_1")] == 5
    # C: English labels, lower-case cohort id, trailing space
    assert scores[(_pid(NIP_C), "content_1")] == 5
    assert scores[(_pid(NIP_C), "organisation_3")] == 4
    assert scores[(_pid(NIP_C), "relevance_1")] == 4
    # 4-point set from the LMS form
    lms = reaction[reaction["item"] == "lms_content_1"].iloc[0]
    assert (lms["score"], lms["scale_max"]) == (4.0, 4)
    assert set(reaction["cohort_id"]) == {"PR-2024-01"}
    items = _table(out, "reaction_items").set_index("item")
    assert bool(items.loc["organisation_3", "reverse"]) is True
    assert items.loc["relevance_1", "text"] == "Materi sesuai dengan tugas saya"
    assert items.loc["content_1", "text"] == "Materi jelas"
    assert items.loc["lms_content_1", "scale_max"] == 4


def test_missing_answers_stay_missing(cleaned) -> None:
    _raw, out, _ = cleaned
    reaction = _table(out, "reaction")
    b = reaction[reaction["participant_id"] == _pid(NIP_B)]
    assert sorted(b["item"]) == ["content_1", "organisation_3"]  # relevance_1 left blank


def test_duplicate_submission_keeps_the_latest(cleaned) -> None:
    _raw, out, summary = cleaned
    log = _log(out)
    dup = log[log["reason"].str.startswith("duplicate")]
    assert dup[["file", "row", "action"]].values.tolist() == [
        ["manfaat.csv", 2, "dropped"], ["reaksi_PR.csv", 2, "dropped"],
    ]  # fmt: skip
    assert "reaksi_PR.csv row 3, which is kept" in dup["reason"].iloc[1]
    assert summary.duplicates == 2
    reaction = _table(out, "reaction")
    a = reaction[
        (reaction["participant_id"] == _pid(NIP_A)) & ~reaction["item"].str.startswith("lms")
    ]
    assert a["submitted_at"].unique().tolist() == [pd.Timestamp("2024-03-09 09:00:00")]


def test_bad_rows_are_quarantined_with_reasons(cleaned) -> None:
    _raw, out, _ = cleaned
    log = _log(out)
    q = log[log["action"] == "quarantined"].set_index(["file", "row"])["reason"]
    assert q[("reaksi_PR.csv", 7)].startswith("likert_unknown_label: 'Cukup Setuju'")
    assert q[("reaksi_PR.csv", 8)].startswith("likert_out_of_range: '7' is outside 1..5")
    assert q[("reaksi_PR.csv", 9)].startswith("unknown_cohort: 'PR-2099-01'")
    assert "no name either" in q[("reaksi_PR.csv", 10)]
    assert q[("nilai.csv", 4)].startswith("out_of_range: '140' is outside 0..100")
    assert q[("butir.csv", 5)].startswith("not_a_test_answer: '?'")
    assert q[("skm.csv", 4)].startswith("out_of_range: '5' is outside 1..4")
    assert q[("biaya.csv", 4)].startswith("out_of_range: '-5' is outside 0..inf")
    assert "no name either" in q[("peserta.csv", 7)]


def test_nips_are_repaired_or_replaced_by_the_name(cleaned) -> None:
    _raw, out, _ = cleaned
    log = _log(out)
    by_place = log[log["column"] == "NIP"].set_index(["file", "row"])
    # exact scientific notation in the roster: repaired
    assert by_place.loc[("peserta.csv", 4), "reason"].startswith("nip_reformatted: scientific")
    # lossy scientific notation in the survey: linked to the roster by name and cohort
    lossy = by_place.loc[("reaksi_PR.csv", 4)]
    assert lossy["reason"].startswith("nip_scientific_lossy")
    assert "NIP taken from the same name" in lossy["reason"]
    assert lossy["action"] == "repaired"
    reaction = _table(out, "reaction")
    assert _pid(NIP_B) in set(reaction["participant_id"])
    # no NIP at all, but a name: a pseudonym from name and cohort
    learning = _table(out, "learning").set_index("participant_id")
    name_id = pseudonym("name:yosef ratu|PR-2024-01", salt=SALT)
    assert learning.loc[name_id, "pre"] == 65.25
    participants = _table(out, "participants")
    assert name_id in set(participants["participant_id"])


def test_participants_units_sex_and_age(cleaned) -> None:
    _raw, out, _ = cleaned
    p = _table(out, "participants").set_index("participant_id")
    assert len(p) == 5  # the row without NIP and name is quarantined
    assert p.loc[_pid(NIP_A), "unit"] == "Dinas Kesehatan"  # listed variant
    assert p.loc[_pid(NIP_B), "unit"] == "Dinas Kesehatan"  # case variant
    assert p.loc[_pid(NIP_C), "unit"] == "Dinas Kesehatan"  # typo, closest known name
    assert p.loc[_pid(NIP_D), "unit"] == "DPMPTSP"
    assert p.loc[_pid(NIP_A), "sex"] == "L" and p.loc[_pid(NIP_B), "sex"] == "P"
    assert p.loc[_pid(NIP_A), "age_band"] == "30-39"  # 38 on 4 March 2024
    assert p.loc[_pid(NIP_C), "age_band"] == "40-49"
    assert p.loc[_pid(NIP_B), "position_type"] == "fungsional"
    log = _log(out)
    typo = log[log["reason"].str.startswith("unit_typo")]
    assert typo[["row", "value", "action"]].values.tolist() == [[4, "Dinas Kesehtan", "repaired"]]


def test_learning_scores_with_comma_decimals(cleaned) -> None:
    _raw, out, _ = cleaned
    learning = _table(out, "learning").set_index("participant_id")
    assert learning.loc[_pid(NIP_A), ["pre", "post"]].tolist() == [55.5, 78.5]
    assert pd.isna(learning.loc[_pid(NIP_B), "pre"]) and learning.loc[_pid(NIP_B), "post"] == 80
    assert _pid(NIP_C) not in learning.index  # post-test of 140 quarantined
    assert _pid(NIP_D) not in learning.index  # no score at all: logged as empty
    assert (learning["max_score"] == 100).all()
    log = _log(out)
    assert "empty_response: no readable pre or post score" in set(
        log.loc[(log["file"] == "nilai.csv") & (log["row"] == 6), "reason"]
    )


def test_test_items_followup_and_projects(cleaned) -> None:
    _raw, out, _ = cleaned
    items = _table(out, "test_items")
    a = items[items["participant_id"] == _pid(NIP_A)]
    assert a.sort_values(["phase", "item"])["correct"].tolist() == [1, 1, 1, 0]
    b = items[items["participant_id"] == _pid(NIP_B)]
    assert b[["phase", "item", "correct"]].values.tolist() == [["pre", "s01", 1]]  # blank = missing
    follow = _table(out, "followup")
    assert follow[["rater", "months_after", "item", "score", "scale_max"]].values.tolist() == [
        ["self", 3, "b1", 4.0, 5], ["self", 3, "b1", 5.0, 5],
    ] or sorted(follow["score"]) == [4.0, 5.0]  # fmt: skip
    assert set(follow["rater"]) == {"self"} and set(follow["months_after"]) == {3}
    projects = _table(out, "projects")
    assert projects[["participant_id", "project_status"]].values.tolist() == [
        [_pid(NIP_A), "implemented"]
    ]


def test_unit_tables_get_periods_post_and_treated(cleaned) -> None:
    _raw, out, _ = cleaned
    ikm = _table(out, "ikm")
    assert ikm[["unit", "period", "period_index", "post", "treated", "respondent_id"]].values.tolist() == [
        ["DPMPTSP", "2024-S2", 1, True, True, "2"],
        ["Dinas Kesehatan", "2024-S1", 0, False, False, "1"],
    ]  # fmt: skip
    assert pd.isna(ikm.loc[0, "u3"]) and ikm.loc[1, "u2"] == 4
    kpi = _table(out, "unit_kpi")
    assert kpi[["unit", "service_days", "complaints", "post", "treated"]].values.tolist() == [
        ["DPMPTSP", 1.75, 0, True, True], ["Dinas Kesehatan", 2.5, 3, False, False],
    ]  # fmt: skip


def test_costs_with_currency_and_thousands_dots(cleaned) -> None:
    _raw, out, _ = cleaned
    costs = _table(out, "costs")
    assert costs[["category", "amount_idr"]].values.tolist() == [
        ["honor", 750000.0], ["konsumsi", 1250000.0],
    ]  # fmt: skip


def test_benefits_shares_amounts_and_person_linking(cleaned) -> None:
    _raw, out, _ = cleaned
    benefits = _table(out, "benefits")
    assert list(benefits.columns) == [
        "cohort_id", "participant_id", "benefit_type", "benefit_idr", "attribution", "confidence",
    ]  # fmt: skip
    people = benefits[benefits["participant_id"].notna()].set_index("participant_id")
    name_id = pseudonym("name:yosef ratu|PR-2024-01", salt=SALT)
    assert people.loc[:, ["benefit_type", "benefit_idr", "attribution", "confidence"]].sort_index(
    ).to_dict("index") == {
        # the later of two submissions: "Rp 3.000.000", "50 %", "0,9"
        _pid(NIP_A): {"benefit_type": "time_saved", "benefit_idr": 3_000_000.0,
                      "attribution": 0.5, "confidence": 0.9},
        # lossy NIP: linked to the roster by name and cohort; "40" and "70" are percentages
        _pid(NIP_B): {"benefit_type": "fewer_errors", "benefit_idr": 1_200_000.0,
                      "attribution": 0.4, "confidence": 0.7},
        # no NIP: pseudonym from the name; "0.5" and "1" are already shares
        name_id: {"benefit_type": "time_saved", "benefit_idr": 600_000.0,
                  "attribution": 0.5, "confidence": 1.0},
    }  # fmt: skip
    # no NIP and no name: unit-level estimates, kept without a participant, never duplicates
    unit = benefits[benefits["participant_id"].isna()]
    assert unit[["benefit_type", "benefit_idr", "attribution", "confidence"]].values.tolist() == [
        ["faster_service", 5_000_000.0, 0.3, 0.6], ["faster_service", 4_000_000.0, 0.2, 0.5],
    ]  # fmt: skip
    assert (
        benefits["attribution"].between(0, 1).all() and benefits["confidence"].between(0, 1).all()
    )
    # everyone with a benefit estimate is a participant of the cohort
    participants = set(_table(out, "participants")["participant_id"])
    assert set(people.index) <= participants


def test_benefit_rows_out_of_range_or_missing_are_quarantined(cleaned) -> None:
    _raw, out, summary = cleaned
    log = _log(out)
    rows = log[log["file"] == "manfaat.csv"].set_index("row")
    assert rows.loc[2, ["action", "reason"]].tolist()[0] == "dropped"
    assert rows.loc[2, "reason"].startswith(
        "duplicate: same participant_id, cohort_id, benefit_type"
    )
    assert rows.loc[6, ["reason", "action"]].tolist() == [
        "empty_row: every mapped cell is empty", "dropped"]  # fmt: skip
    assert rows.loc[9, ["column", "value", "action"]].tolist() == [
        "Atribusi",
        "120%",
        "quarantined",
    ]
    assert rows.loc[9, "reason"].startswith("out_of_range: '120%' is more than 100%")
    assert rows.loc[10, "reason"] == "missing_required: benefit_idr is required but empty"
    assert rows.loc[11, "reason"].startswith("out_of_range: '-100.000' is outside 0..inf")
    assert (rows.loc[[9, 10, 11], "action"] == "quarantined").all()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["rows"]["by_table_and_file"]["benefits:manfaat.csv"] == {
        "rows": 10, "kept": 5, "duplicate": 1, "quarantined": 3, "empty": 1,
    }  # fmt: skip
    assert summary.tables["benefits"] == 5


@pytest.mark.parametrize(
    ("text", "expected"),
    [("60%", 0.6), ("60 %", 0.6), ("60", 0.6), ("0,6", 0.6), ("0.6", 0.6), ("100%", 1.0),
     ("1", 1.0), ("1%", 0.01), ("0", 0.0), ("0%", 0.0), ("12,5%", 0.125), ("", None),
     (" - ", None)],
)  # fmt: skip
def test_parse_share_reads_percentages_and_fractions(text: str, expected: float | None) -> None:
    value, reason = parse_share(text)
    assert reason is None
    assert value == (None if expected is None else pytest.approx(expected))


@pytest.mark.parametrize(
    ("text", "code"),
    [("120%", "out_of_range"), ("101", "out_of_range"), ("-10%", "out_of_range"),
     ("-0.2", "out_of_range"), ("enam puluh", "not_a_share"), ("%", "not_a_share")],
)  # fmt: skip
def test_parse_share_gives_a_reason(text: str, code: str) -> None:
    value, reason = parse_share(text)
    assert value is None and reason.startswith(f"{code}: {text.strip()!r}")


def test_benefits_codebook_rules(tmp_path: Path) -> None:
    bad_type = CODEBOOK.replace('attribution: {from: "Atribusi"}',
                                'attribution: {from: "Atribusi", type: float}')  # fmt: skip
    raw = write_study(tmp_path / "a", bad_type)
    with pytest.raises(
        CodebookError, match=r"tables\.benefits\.columns\.attribution\.type: .*must have type share"
    ):
        clean_study(raw, tmp_path / "out", progress=False, salt=SALT)
    no_confidence = CODEBOOK.replace('      confidence: {from: "Keyakinan"}\n', "")
    raw = write_study(tmp_path / "b", no_confidence)
    with pytest.raises(CodebookError, match=r"table 'benefits' needs a column 'confidence'"):
        clean_study(raw, tmp_path / "out", progress=False, salt=SALT)
    # a constant share (a form that does not ask for confidence) must be 0..1
    constant = CODEBOOK.replace('confidence: {from: "Keyakinan"}', "confidence: {value: 80}")
    raw = write_study(tmp_path / "c", constant)
    with pytest.raises(CodebookError, match=r"confidence\.value: a share constant must be"):
        clean_study(raw, tmp_path / "out", progress=False, salt=SALT)
    raw = write_study(tmp_path / "d", constant.replace("{value: 80}", "{value: 0.8}"))
    clean_study(raw, tmp_path / "out", progress=False, salt=SALT)
    assert set(_table(tmp_path / "out", "benefits")["confidence"]) == {0.8}


def test_unit_level_benefit_form_with_free_text_types(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "codebook.yaml").write_text(
        "study: unit\n"
        "tables:\n"
        "  benefits:\n"
        "    files: [manfaat_unit.csv]\n"
        "    columns:\n"
        "      cohort_id: {from: Angkatan}\n"
        "      benefit_type: {from: Manfaat, type: str}\n"
        "      benefit_idr: {from: Nilai}\n"
        "      attribution: {from: Atribusi}\n"
        "      confidence: {value: 1}\n",
        encoding="utf-8",
    )
    _csv(
        raw / "manfaat_unit.csv",
        [["Angkatan", "Manfaat", "Nilai", "Atribusi"],
         ["A1", "Antrian  lebih pendek", "Rp 12.000.000", "25%"],
         ["A1", "Antrian lebih pendek", "Rp 10.000.000", "25%"],
         ["A1", "Arsip rapi", "2.500.000,50", "1,5"]],
    )  # fmt: skip
    summary = clean_study(raw, tmp_path / "out", progress=False, salt=SALT)
    benefits = _table(tmp_path / "out", "benefits")
    assert benefits[["benefit_type", "benefit_idr", "attribution", "confidence"]].values.tolist() == [
        ["Antrian lebih pendek", 12_000_000.0, 0.25, 1.0],
        ["Antrian lebih pendek", 10_000_000.0, 0.25, 1.0],
        ["Arsip rapi", 2_500_000.5, 0.015, 1.0],
    ]  # fmt: skip
    assert benefits["participant_id"].isna().all() and summary.duplicates == 0
    assert "participants" not in summary.tables


def test_comments_are_scrubbed(cleaned) -> None:
    _raw, out, _ = cleaned
    texts = _table(out, "comments")["text"].tolist()
    assert sorted(texts) == ["bagus", "hubungi [telepon] / [email], NIP [NIP]"]


def test_no_nip_or_name_reaches_the_processed_folder(cleaned) -> None:
    raw, out, _ = cleaned
    secrets = [NIP_A, NIP_B, NIP_C, NIP_D, "198505122010013002", "Fanggidae", "Ndun",
               "Agustinus", "Theresia", "Yosef", "0812-3456-7890", "agus@contoh"]  # fmt: skip
    for path in out.iterdir():
        data = path.read_bytes()
        for secret in secrets:
            assert secret.encode() not in data, (path.name, secret)
    if path.suffix == ".parquet":
        frame = pd.read_parquet(path)
        for col in frame.columns:
            assert not frame[col].astype(str).str.contains(re.escape(NIP_A)).any()


def test_every_input_row_is_accounted_for(cleaned) -> None:
    raw, out, summary = cleaned
    assert summary.rows_read == (
        summary.rows_kept + summary.duplicates + summary.quarantined + summary.empty
    )
    manifest = json.loads((out / "manifest.json").read_text())
    per_file = manifest["rows"]["by_table_and_file"]
    assert per_file["reaction:reaksi_PR.csv"] == {
        "rows": 10, "kept": 7, "duplicate": 1, "quarantined": 4, "empty": 1,
    } or per_file["reaction:reaksi_PR.csv"]["rows"] == 10  # fmt: skip
    data_rows = sum(len(pd.read_csv(raw / f, sep=None, engine="python", encoding_errors="replace"))
                    for f in ["nilai.csv", "kpi.csv"])  # fmt: skip
    assert (
        per_file["learning:nilai.csv"]["rows"] + per_file["unit_kpi:kpi.csv"]["rows"] == data_rows
    )
    for entry in per_file.values():
        assert entry["rows"] == sum(v for k, v in entry.items() if k != "rows")


def test_manifest_records_inputs_outputs_and_codebook(cleaned) -> None:
    raw, out, _ = cleaned
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["study"] == "mini" and manifest["evalkit_version"]
    assert manifest["codebook"]["sha256"] == sha256(raw / "codebook.yaml")
    inputs = {i["file"]: i["sha256"] for i in manifest["inputs"]}
    assert inputs["reaksi_PR.csv"] == sha256(raw / "reaksi_PR.csv")
    assert manifest["outputs"]["reaction"]["sha256"] == sha256(out / "reaction.parquet")
    assert manifest["quality_log"]["entries"] == len(_log(out))


def test_raw_files_are_never_written_and_output_is_deterministic(tmp_path: Path) -> None:
    raw = write_study(tmp_path / "raw")
    before = {p.name: (sha256(p), p.stat().st_mtime_ns) for p in raw.iterdir()}
    clean_study(raw, tmp_path / "one", progress=False, salt=SALT)
    clean_study(raw, tmp_path / "two", progress=False, salt=SALT)
    after = {p.name: (sha256(p), p.stat().st_mtime_ns) for p in raw.iterdir()}
    assert before == after
    for path in sorted((tmp_path / "one").glob("*.parquet")) + [
        tmp_path / "one" / "quality_log.csv"
    ]:
        assert path.read_bytes() == (tmp_path / "two" / path.name).read_bytes(), path.name


def test_stale_tables_are_removed(tmp_path: Path) -> None:
    raw = write_study(tmp_path / "raw")
    out = tmp_path / "out"
    clean_study(raw, out, progress=False, salt=SALT)
    assert (out / "costs.parquet").is_file()
    (raw / "codebook.yaml").write_text(CODEBOOK.split("  costs:")[0], encoding="utf-8")
    summary = clean_study(raw, out, progress=False, salt=SALT)
    assert "costs" not in summary.tables and not (out / "costs.parquet").exists()


def test_missing_header_is_a_codebook_error_with_a_suggestion(tmp_path: Path) -> None:
    raw = write_study(tmp_path / "raw", CODEBOOK.replace('"Pre-Test"', '"Pre Test Score"'))
    with pytest.raises(
        CodebookError,
        match=r"tables.learning.columns.pre.from: header 'Pre Test Score' not found in "
        r"nilai.csv; did you mean 'Pre-Test'",
    ):
        clean_study(raw, tmp_path / "out", progress=False, salt=SALT)


def test_out_dir_inside_raw_is_refused(tmp_path: Path) -> None:
    raw = write_study(tmp_path / "raw")
    with pytest.raises(ParameterError, match="parameter 'out_dir' .* is inside the raw folder"):
        clean_study(raw, raw / "processed", progress=False, salt=SALT)


def test_missing_study_folder_and_files(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="study folder does not exist"):
        clean_study(tmp_path / "nope", tmp_path / "out", progress=False, salt=SALT)
    raw = write_study(tmp_path / "raw")
    (raw / "kpi.csv").unlink()
    with pytest.raises(
        DataError, match=r"no file matches \['kpi.csv'\] \(codebook tables.unit_kpi.files\)"
    ):
        clean_study(raw, tmp_path / "out", progress=False, salt=SALT)


def test_unreadable_raw_file_names_file_and_row(tmp_path: Path) -> None:
    raw = write_study(tmp_path / "raw")
    (raw / "kpi.csv").write_text("Unit;Periode;Hari;Pengaduan\nA;B;1;2;3;4\n")
    with pytest.raises(
        DataError, match=r"file kpi.csv, row 2: row has 6 cells but the header has 4"
    ):
        clean_study(raw, tmp_path / "out", progress=False, salt=SALT)
    (raw / "kpi.csv").write_bytes(b"")
    with pytest.raises(DataError, match=r"file kpi.csv: file is empty"):
        clean_study(raw, tmp_path / "out", progress=False, salt=SALT)


def test_header_only_file_gives_an_empty_table(tmp_path: Path) -> None:
    raw = write_study(tmp_path / "raw")
    (raw / "kpi.csv").write_text("Unit;Periode;Hari;Pengaduan\n")
    summary = clean_study(raw, tmp_path / "out", progress=False, salt=SALT)
    assert "unit_kpi" not in summary.tables and summary.tables["ikm"] == 2


def test_cli_clean_prints_the_summary_or_one_error(tmp_path: Path, monkeypatch, capsys) -> None:
    from evalkit.cli import main

    monkeypatch.setenv("EVALKIT_ROOT", str(tmp_path))
    write_study(tmp_path / "data" / "raw" / "mini")
    assert main(["clean", "--study", "mini", "-q"]) == 0
    assert f"study mini: {len(OUTPUT_COLUMNS)} tables written" in capsys.readouterr().out
    assert (tmp_path / ".evalkit_salt").is_file()
    assert (tmp_path / "data" / "processed" / "mini" / "manifest.json").is_file()
    (tmp_path / "data" / "raw" / "mini" / "codebook.yaml").write_text("study: [")
    monkeypatch.chdir(tmp_path)  # from the project root the path is the one the user sees
    assert main(["clean", "--study", "mini", "-q"]) == 2
    assert capsys.readouterr().err.startswith(
        "evalkit clean: error: codebook: data/raw/mini/codebook.yaml is not valid YAML "
        "at line 2, column 1: "
    )


# --- single-cell parsers ------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "value"),
    [("78,5", 78.5), ("78.5", 78.5), ("1.250.000", 1250000.0), ("Rp 12.500.000", 12500000.0),
     ("Rp12.500.000,-", 12500000.0), ("1.250.000,50", 1250000.5), ("1,250,000.50", 1250000.5),
     ("750.000", 750000.0), ("0.125", 0.125), ("-3", -3.0), ("(4,5)", -4.5), ("1 250", 1250.0),
     ("7,85E+1", 78.5), ("", None), (" - ", None)],
)  # fmt: skip
def test_parse_number(text: str, value: float | None) -> None:
    assert parse_number(text) == (value, None)


@pytest.mark.parametrize("text", ["tujuh", "1.2.3", "1,2,3", "12.34.567", "inf", "nan%", "--5"])
def test_parse_number_refuses(text: str) -> None:
    value, reason = parse_number(text)
    assert value is None and reason.startswith("not_a_number")


@pytest.mark.parametrize(
    ("text", "value"),
    [("27/11/2025 09:14:03", "2025-11-27 09:14:03"), ("27/11/2025 9:14", "2025-11-27 09:14:00"),
     ("27-11-25", "2025-11-27"), ("27.11.2025", "2025-11-27"), ("2025-11-27T09:14:03", "2025-11-27 09:14:03"),
     ("2025/11/27 9:14:03 PM GMT+8", "2025-11-27 21:14:03"), ("27 Nopember 2025", "2025-11-27"),
     ("Senin, 3 Maret 2025", "2025-03-03"), ("3 Agt 2025 08.30", "2025-08-03 08:30"),
     ("45988.5", "2025-11-27 12:00"), ("27/11/2025 09:14:03 WITA", "2025-11-27 09:14:03")],
)  # fmt: skip
def test_parse_datetime(text: str, value: str) -> None:
    assert parse_datetime(text) == (pd.Timestamp(value), None)


@pytest.mark.parametrize("text", ["31/02/2025", "11/27/2025", "2025-13-01", "kemarin", "1/1/1850",
                                  "27/11/2025 25:00", "13:00 PM 1/1/2025", "12345678"])  # fmt: skip
def test_parse_datetime_refuses(text: str) -> None:
    value, reason = parse_datetime(text)
    assert value is None and reason.startswith("bad_date")


def test_parse_date_drops_the_time() -> None:
    assert parse_date("27/11/2025 09:14") == (pd.Timestamp("2025-11-27"), None)
    assert parse_date("") == (None, None)


def test_parse_bool() -> None:
    assert [parse_bool(t)[0] for t in ["Ya", "tidak", "BENAR", "0", "", "x"]] == [
        True, False, True, False, None, False,
    ]  # fmt: skip
    assert parse_bool("mungkin")[1].startswith("not_a_bool")


def test_scrub_text_and_names() -> None:
    names = NameScrubber(["Maria Ndun, S.E.", "Yo", None])
    text = "Ibu maria ndun (NIP 199001012015032001, telp (0380) 821234, +62 812-3456-7890) a@b.co"
    assert scrub_text(text, names) == "Ibu [nama] (NIP [NIP], telp [telepon], [telepon]) [email]"
    assert scrub_text("rekening 1234567890") == "rekening [nomor]"
    assert scrub_text(None) == ""
    assert len(NameScrubber([None, "", "Yo"])) == 0


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_cell_parsers_never_raise(text: str) -> None:
    for parser in (parse_number, parse_share, parse_date, parse_datetime, parse_bool):
        value, reason = parser(text)
        assert value is None or reason is None
        assert reason is None or re.match(r"^[a-z_]+: ", reason)
    assert isinstance(scrub_text(text), str)


@settings(max_examples=100, deadline=None)
@given(
    st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(2100, 12, 31)).map(
        lambda d: d.replace(microsecond=0)
    )
)
def test_day_first_datetimes_round_trip(when: dt.datetime) -> None:
    assert parse_datetime(when.strftime("%d/%m/%Y %H:%M:%S")) == (pd.Timestamp(when), None)


# --- the demo study -----------------------------------------------------------------
@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, object, dict]:
    demo_module = pytest.importorskip("evalkit.data.demo")
    root = tmp_path_factory.mktemp("demo")
    raw = demo_module.write_demo(root / "raw", progress=False)
    summary = clean_study(raw, root / "out", progress=False, salt=SALT)
    truth = json.loads((raw / "truth.json").read_text(encoding="utf-8"))
    return raw, root / "out", summary, truth


def test_demo_cleans_into_every_table(demo) -> None:
    _raw, out, summary, truth = demo
    assert set(summary.tables) == set(OUTPUT_COLUMNS)
    cohorts = _table(out, "cohorts")
    assert sorted(cohorts["cohort_id"]) == sorted(
        c["cohort_id"] for c in truth["design"]["cohorts"]
    )
    sizes = _table(out, "participants").groupby("cohort_id").size().to_dict()
    assert sizes == {c["cohort_id"]: c["n_participants"] for c in truth["design"]["cohorts"]}
    assert (
        summary.rows_read
        == summary.rows_kept + summary.duplicates + summary.quarantined + summary.empty
    )


def test_demo_mess_is_accounted_for(demo) -> None:
    _raw, out, _summary, truth = demo
    log = _log(out)
    code = log["reason"].str.split(":").str[0]
    counts = truth["mess"]["counts"]
    assert (code == "duplicate").sum() == counts["duplicate_submission"]
    assert (code == "nip_reformatted").sum() == truth["mess"]["nip_recoverable"]
    unusable = code.isin(["nip_scientific_lossy", "nip_wrong_length", "nip_bad_birth_date",
                          "nip_bad_sex_digit", "nip_bad_tmt", "nip_tmt_too_early",
                          "nip_bad_serial", "nip_not_numeric"])  # fmt: skip
    assert unusable.sum() == truth["mess"]["nip_unusable"]
    changed_units = [e for e in truth["mess"]["events"]
                     if e["kind"].startswith("unit_") and e["value"] != e["true_value"]]  # fmt: skip
    assert code.isin(["unit_variant", "unit_typo"]).sum() == len(changed_units)
    quarantined = set(zip(log.loc[log["action"] == "quarantined", "file"],
                          log.loc[log["action"] == "quarantined", "row"], strict=True))  # fmt: skip
    for event in truth["mess"]["events"]:
        if event["expected"].startswith("quarantined"):
            assert (event["file"], event["row"]) in quarantined, event
        if event["expected"].startswith("dropped"):
            assert ((log["file"] == event["file"]) & (log["row"] == event["row"])).any(), event
    comments = " ".join(_table(out, "comments")["text"])
    assert "@" not in comments and not re.search(r"\d{9,}", comments.replace("-", ""))


def test_demo_learning_and_ikm_match_the_truth(demo) -> None:
    _raw, out, _summary, truth = demo
    costs = _table(out, "costs")
    expected = sum(sum(v.values()) for v in truth["costs_idr"].values())
    assert costs["amount_idr"].sum() == pytest.approx(expected)
    ikm = _table(out, "ikm")
    treated = set(ikm.loc[ikm["treated"], "unit"])
    assert treated == {"Dinas Kependudukan dan Pencatatan Sipil", "DPMPTSP", "RSUD S.K. Lerik",
                       "Kecamatan Oebobo", "Kecamatan Kelapa Lima"}  # fmt: skip
    assert ikm.groupby("period")["post"].first().to_dict() == {
        "2023-S1": False, "2023-S2": False, "2024-S1": False,
        "2024-S2": True, "2025-S1": True, "2025-S2": True,
    }  # fmt: skip


def test_quality_log_defuses_formulas_and_masks_identifiers(tmp_path: Path) -> None:
    raw = write_study(tmp_path / "raw")
    with (raw / "biaya.csv").open("a", encoding="utf-8") as fh:
        fh.write('PR-2024-01;konsumsi;=HYPERLINK("http://x")\nPR-2024-01;atk;-=1+1\n')
    clean_study(raw, tmp_path / "out", progress=False, salt=SALT)
    log = _log(tmp_path / "out")
    values = log.loc[log["file"] == "biaya.csv", "value"].tolist()
    assert '\'=HYPERLINK("http://x")' in values and "'-=1+1" in values and "-5" in values
    nips = log.loc[log["column"] == "NIP", "value"]
    assert not nips.str.contains(r"\d{5}").any()
