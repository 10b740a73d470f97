"""Tests of evalkit.demo: the synthetic Kota Kupang demo study."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import io
import json
from collections import Counter
from pathlib import Path

import numpy as np
import openpyxl
import pytest
import yaml

from evalkit import constants as C
from evalkit import demo

EXPECTED_FILES = {
    "codebook.yaml",
    "truth.json",
    "daftar_angkatan.xlsx",
    "peserta_2023.xlsx",
    "peserta_2024.xlsx",
    "peserta_2025.csv",
    *(f"reaksi_{p}.csv" for p in demo.PROGRAMS),
    "survei_lms_SPBE-2024-02.csv",
    "nilai_tes.csv",
    *(f"butir_tes_{c}.csv" for c in ("PPR-2024-02", "SPBE-2024-02", "KST-2025-02")),
    "tindak_lanjut_alumni.xlsx",
    "tindak_lanjut_atasan.xlsx",
    "monitoring_aksi_perubahan.xlsx",
    "skm_olah_data.xlsx",
    "kpi_unit.xlsx",
    "rincian_biaya.xlsx",
}
#: Every kind of mess the demo must plant at least once.
MESS_KINDS = {
    "duplicate_submission", "nip_spaces", "nip_dots", "nip_scientific_exact",
    "nip_scientific_lossy", "nip_excel_number", "nip_lost_leading", "nip_bad_birth_date",
    "nip_bad_sex_digit", "nip_wrong_length", "unit_case_variant", "unit_abbreviation",
    "unit_typo", "comma_decimal", "date_text_month_name", "date_text_dayfirst",
    "missing_answer", "missing_score", "missing_item_answer", "impossible_score",
    "unknown_likert_label", "impossible_date", "impossible_ikm_value", "utf8_bom",
    "currency_text", "comment_with_contact", "english_likert_labels", "note_row",
}  # fmt: skip


# --- helpers ------------------------------------------------------------------------
def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@functools.cache
def _read(path: Path, sheet: str | None = None, header_row: int = 1) -> tuple[list, list[list]]:
    """Header and rows of a raw file, cells as stored (CSV text or XLSX values); read once."""
    if path.suffix == ".csv":
        rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
    else:
        book = openpyxl.load_workbook(path, read_only=True)
        ws = book[sheet] if sheet else book.worksheets[0]
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        book.close()
    header, *body = rows[header_row - 1 :]
    return list(header), [list(r) + [None] * (len(header) - len(r)) for r in body]


def _records(path: Path, sheet: str | None = None, header_row: int = 1) -> list[dict]:
    header, rows = _read(path, sheet, header_row)
    return [dict(zip(header, r, strict=False)) for r in rows]


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo.write_demo(tmp_path_factory.mktemp("demo") / "raw" / "demo", progress=False)


@pytest.fixture(scope="module")
def truth(out: Path) -> dict:
    return json.loads((out / "truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def codebook(out: Path) -> dict:
    return yaml.safe_load((out / "codebook.yaml").read_text(encoding="utf-8"))


# --- determinism and files ------------------------------------------------------------
def test_same_seed_gives_byte_identical_files(out: Path, tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("keep")
    again = demo.write_demo(tmp_path, progress=True)
    assert (again / "mine.txt").read_text() == "keep"
    (again / "mine.txt").unlink()
    assert _digests(again) == _digests(out)


def test_other_seed_gives_other_data(truth: dict) -> None:
    _files, other = demo.build_demo(seed=1)
    assert other["seed"] == 1
    assert other["mess"]["events"] != truth["mess"]["events"]
    assert set(other["mess"]["counts"]) == set(truth["mess"]["counts"])


def test_expected_files_present(out: Path) -> None:
    assert {p.name for p in out.iterdir()} == EXPECTED_FILES


def test_xlsx_timestamps_are_fixed(out: Path) -> None:
    book = openpyxl.load_workbook(out / "kpi_unit.xlsx")
    assert book.properties.created == book.properties.modified == dt.datetime(2025, 11, 27, 8)


# --- design -----------------------------------------------------------------------
def test_cohort_design(out: Path, codebook: dict) -> None:
    spec = codebook["tables"]["cohorts"]
    rows = [
        r
        for r in _records(out / "daftar_angkatan.xlsx", spec["sheet"], spec["header_row"])
        if r["Kode Angkatan"]
    ]
    delivery = codebook["values"]["delivery"]
    facilitator = codebook["values"]["facilitator_type"]
    assert len(rows) >= 12
    assert len({r["Kode Program"] for r in rows}) >= 5
    assert {delivery[r["Metode"].lower()] for r in rows} == set(C.DELIVERY_METHODS)
    assert {facilitator[r["Narasumber"].lower()] for r in rows} == set(C.FACILITATOR_TYPES)
    years = {int(r["Kode Angkatan"].split("-")[1]) for r in rows}
    assert years == {2023, 2024, 2025}
    skills = {codebook["values"]["skill_type"][r["Jenis Kompetensi"].lower()] for r in rows}
    assert skills == {"soft", "technical"}


def test_participants_per_cohort(out: Path) -> None:
    rows = [r for f in sorted(out.glob("peserta_*")) for r in _records(f, "Peserta")]
    sizes = Counter(r["Kode Angkatan"] for r in rows)
    assert len(sizes) == len(demo.COHORTS)
    assert all(15 <= n <= 40 for n in sizes.values()), sizes


def test_units_are_kota_kupang_units(out: Path, codebook: dict) -> None:
    known = {u.lower() for u in codebook["units"]}
    known |= {v for vs in codebook["units"].values() for v in vs}
    rows = [r for f in sorted(out.glob("peserta_*")) for r in _records(f, "Peserta")]
    assert all(r["Unit Kerja"].strip().lower() in known for r in rows)


def test_nips_structurally_valid_before_mangling() -> None:
    world = demo._build_world(np.random.default_rng(C.SEED))
    nips = [p["nip"] for p in world.people]
    assert len(set(nips)) == len(nips)
    assert all(demo.nip_is_valid(n) for n in nips)
    assert {n[14] for n in nips} == {"1", "2"}


def test_nip_is_valid_rejects_each_defect() -> None:
    good = "198505122010011002"
    assert demo.nip_is_valid(good)
    assert not demo.nip_is_valid("198513122010011002")  # month 13
    assert not demo.nip_is_valid("198505122010013002")  # sex digit 3
    assert not demo.nip_is_valid("19850512201001100")  # 17 digits
    assert not demo.nip_is_valid("198505122000011002")  # TMT at age 14
    assert not demo.nip_is_valid("198505122010011000")  # serial 000


def test_names_are_synthetic(out: Path) -> None:
    rows = _records(out / "peserta_2025.csv")
    for r in rows:
        family = r["Nama Lengkap"].split(",")[0].split()[-1]
        assert family in demo._FAMILY


# --- mess -------------------------------------------------------------------------
def test_every_mess_kind_present_and_counted(truth: dict) -> None:
    counts = truth["mess"]["counts"]
    assert MESS_KINDS <= set(counts)
    assert all(counts[k] >= 1 for k in MESS_KINDS)
    assert counts == dict(Counter(e["kind"] for e in truth["mess"]["events"]))
    nip = {k: n for k, n in counts.items() if k.startswith("nip_")}
    assert truth["mess"]["nip_recoverable"] + truth["mess"]["nip_unusable"] == sum(nip.values())


def test_mess_events_point_at_the_raw_cells(out: Path, truth: dict) -> None:
    header_rows = {("daftar_angkatan.xlsx", "Angkatan"): 4}
    tables: dict[tuple[str, str | None], tuple[list, list[list]]] = {}
    checked = 0
    for e in truth["mess"]["events"]:
        if e["column"] is None or e["kind"] == "note_row":
            continue
        hr = header_rows.get((e["file"], e["sheet"]), 1)
        if (e["file"], e["sheet"]) not in tables:
            tables[e["file"], e["sheet"]] = _read(out / e["file"], e["sheet"], hr)
        header, rows = tables[e["file"], e["sheet"]]
        cell = rows[e["row"] - hr - 1][header.index(e["column"])]
        if e["value"] in (None, ""):
            assert cell in (None, ""), e
        else:
            assert str(cell) == str(e["value"]), e
        checked += 1
    assert checked > 300


def test_true_nips_of_mangled_cells_are_valid(truth: dict) -> None:
    events = [e for e in truth["mess"]["events"] if e["kind"].startswith("nip_")]
    assert all(demo.nip_is_valid(e["true_value"]) for e in events)
    for e in events:
        if e["kind"] in ("nip_spaces", "nip_dots", "nip_scientific_exact"):
            digits = e["value"].split("E")[0].replace(" ", "").replace(".", "")
            assert digits == e["true_value"]
        else:
            assert not demo.nip_is_valid(str(e["value"]))


def test_duplicates_resolve_to_latest(out: Path, truth: dict) -> None:
    by_file = Counter(
        e["file"] for e in truth["mess"]["events"] if e["kind"] == "duplicate_submission"
    )
    for name in sorted(out.glob("reaksi_*.csv")):
        rows = _records(name)
        keys = Counter((r["NIP"], r["Kode Angkatan"]) for r in rows)
        assert sum(n - 1 for n in keys.values()) == by_file[name.name]
    for e in truth["mess"]["events"]:
        if e["kind"] == "duplicate_submission" and e["file"].startswith("reaksi_"):
            rows = _records(out / e["file"])
            early = rows[e["row"] - 2]
            twins = [
                r
                for r in rows
                if (r["NIP"], r["Kode Angkatan"]) == (early["NIP"], early["Kode Angkatan"])
            ]
            stamps = [dt.datetime.strptime(r["Timestamp"], "%d/%m/%Y %H:%M:%S") for r in twins]
            assert min(stamps) == dt.datetime.strptime(early["Timestamp"], "%d/%m/%Y %H:%M:%S")


def test_unit_variants_counted(out: Path, truth: dict) -> None:
    canonical = set(demo.UNITS)
    for f in sorted(out.glob("peserta_*")):
        variants = sum(r["Unit Kerja"] not in canonical for r in _records(f, "Peserta"))
        events = [e for e in truth["mess"]["events"] if e["file"] == f.name]
        assert variants == sum(e["kind"].startswith("unit_") for e in events)


def test_bom_only_where_planted(out: Path, truth: dict) -> None:
    bom = {e["file"] for e in truth["mess"]["events"] if e["kind"] == "utf8_bom"}
    for f in sorted(out.glob("*.csv")):
        assert f.read_bytes().startswith(b"\xef\xbb\xbf") == (f.name in bom)


def test_no_date_after_export_except_planted(out: Path, truth: dict) -> None:
    planted = {
        (e["file"], e["row"]) for e in truth["mess"]["events"] if e["kind"] == "impossible_date"
    }
    assert len(planted) == 1
    for f in sorted(out.glob("reaksi_*.csv")):
        for i, r in enumerate(_records(f), start=2):
            t = dt.datetime.strptime(r["Timestamp"], "%d/%m/%Y %H:%M:%S").date()
            assert (t > demo.DEMO_TODAY) == ((f.name, i) in planted)


# --- codebook ------------------------------------------------------------------------
def test_codebook_headers_exist_in_raw_files(out: Path, codebook: dict) -> None:
    assert codebook["study"] == "demo"
    for key, spec in codebook["tables"].items():
        sources = [c["from"] for c in spec["columns"].values() if "from" in c]
        sources += [i["from"] for i in spec.get("items", {}).values()]
        if "comments" in spec:
            sources.append(spec["comments"]["from"])
        files = [f for pattern in spec["files"] for f in sorted(out.glob(pattern))]
        assert files, key
        for f in files:
            sheet = spec.get("sheet") if f.suffix == ".xlsx" else None
            header, _rows = _read(f, sheet, spec.get("header_row", 1))
            missing = [s for s in sources if s not in header]
            assert not missing, (key, f.name, missing)


def test_codebook_labels_cover_raw_answers(out: Path, codebook: dict, truth: dict) -> None:
    labels = {k.lower() for k in codebook["likert"]["setuju5"]["labels"]}
    unknown = Counter()
    for f in sorted(out.glob("reaksi_*.csv")):
        spec_items = codebook["tables"]["reaction"]["items"].values()
        for r in _records(f):
            for item in spec_items:
                v = r[item["from"]].strip().lower()
                if v and v not in labels:
                    unknown[v] += 1
    assert unknown == Counter({"cukup setuju": truth["mess"]["counts"]["unknown_likert_label"]})


def test_codebook_matches_demo_constants(codebook: dict) -> None:
    assert codebook["impact"]["treated_units"] == list(demo.TREATED_UNITS)
    assert codebook["impact"]["post_from"] == demo.POST_FROM
    items = codebook["tables"]["reaction"]["items"]
    assert {k: (v["dimension"], v["from"], v.get("reverse", False)) for k, v in items.items()} == (
        demo.REACTION_ITEMS
    )
    for unit, (abbrev, typos) in demo.UNITS.items():
        assert set(codebook["units"][unit]) == {v.lower() for v in (*abbrev, *typos)}


# --- planted effects ---------------------------------------------------------------
def test_truth_records_planted_effects(truth: dict) -> None:
    gains = truth["effects"]["learning_gain_by_delivery"]["values"]
    assert max(gains, key=gains.get) == "project-based"
    assert truth["effects"]["relevance_practitioner"]["value"] == 0.5
    assert truth["effects"]["ikm_did"]["value"] == 6.0
    assert truth["effects"]["ikm_unit_random_intercept"]["variance"] == 9.0
    assert len(truth["design"]["cohorts"]) == len(demo.COHORTS)


def test_planted_effects_visible_in_raw_data(out: Path, truth: dict) -> None:
    # relevance: practitioner-led minus academic-led, 5-point cohorts
    fac = {c.cohort_id: c.facilitator for c in demo.COHORTS}
    score = {label.lower(): i + 1 for i, label in enumerate(demo.SETUJU5)}
    score |= {label.lower(): i + 1 for i, label in enumerate(demo.AGREE5)}
    rel = [h for d, h, _r in demo.REACTION_ITEMS.values() if d == "relevance"]
    by_fac: dict[str, list[int]] = {"academic": [], "practitioner": []}
    for f in sorted(out.glob("reaksi_*.csv")):
        for r in _records(f):
            for h in rel:
                if r[h].lower() in score:
                    by_fac[fac[r["Kode Angkatan"]]].append(score[r[h].lower()])
    diff = np.mean(by_fac["practitioner"]) - np.mean(by_fac["academic"])
    expected = truth["effects"]["relevance_practitioner"]["expected_observed_difference"]
    assert diff == pytest.approx(expected, abs=0.15)
    # IKM: difference in differences of the converted score
    cells: dict[tuple[bool, bool], list[float]] = {}
    post = {
        f"Semester {'I' if p[-1] == '1' else 'II'} {p[:4]}": p >= demo.POST_FROM
        for p in demo.PERIODS
    }
    treated = {u.lower() for u in demo.TREATED_UNITS}
    for r in _records(out / "skm_olah_data.xlsx", "Data SKM"):
        answers = [r[f"U{k}"] for k in range(1, 10)]
        if r["Unit Layanan"] not in demo.UNITS or None in answers or max(answers) > 4:
            continue
        key = (r["Unit Layanan"].lower() in treated, post[r["Periode"]])
        cells.setdefault(key, []).append(25 * float(np.mean(answers)))
    m = {k: np.mean(v) for k, v in cells.items()}
    did = (m[True, True] - m[True, False]) - (m[False, True] - m[False, False])
    assert did == pytest.approx(truth["effects"]["ikm_did"]["value"], abs=1.5)
