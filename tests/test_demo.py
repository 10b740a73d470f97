"""Tests of evalkit.data.demo: the synthetic Kota Kupang demo study."""

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
from evalkit.data import demo
from evalkit.data.codebook_blocks import expand_blocks

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
    "estimasi_manfaat.xlsx",
    "evaluasi_narasumber.csv",
    "evaluasi_widyaiswara_2025.xlsx",
    "ptia_jawaban_kuesioner.xlsx",
    "swanilai_awal_pelatihan.xlsx",
    "tindak_lanjut_12bulan.xlsx",
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
    "share_over_100", "missing_amount", "percent_without_sign", "share_as_fraction",
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
    world = demo.build_world(np.random.default_rng(C.SEED))
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
        assert family in demo.FAMILY_NAMES


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
    for key, spec in expand_blocks(codebook["tables"]).items():  # a wide form's blocks
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


# --- Level 5 benefit estimates ------------------------------------------------------
BENEFITS = ("estimasi_manfaat.xlsx", "Estimasi Manfaat")


def _rupiah_value(cell: object) -> float:
    return float(str(cell).removeprefix("Rp ").replace(".", ""))


def test_benefit_export_is_a_kobo_follow_up(out: Path, truth: dict) -> None:
    rows = _records(out / BENEFITS[0], BENEFITS[1])
    header, _ = _read(out / BENEFITS[0], BENEFITS[1])
    assert header[:3] == ["start", "end", "identitas/tingkat"] and "_uuid" in header
    assert {r["identitas/bulan_ke"] for r in rows} == {str(demo.BENEFIT_MONTHS)}
    # most cohorts: those whose 6-month point (plus the 20-day window) is before the export
    cohorts = {r["identitas/kode_angkatan"] for r in rows}
    due = {c.cohort_id for c in demo.COHORTS
           if demo.cohort_end(c) + dt.timedelta(days=round(6 * 30.44) + 20) <= demo.DEMO_TODAY}  # fmt: skip
    assert cohorts == due and len(due) >= len(demo.COHORTS) - 3
    # a subset of each cohort's participants answers
    for c in demo.COHORTS:
        if c.cohort_id in due:
            nips = {r["identitas/nip"] for r in rows
                    if r["identitas/kode_angkatan"] == c.cohort_id and r["identitas/nip"]}  # fmt: skip
            assert 0.3 * c.n <= len(nips) < c.n, c.cohort_id
    submitted = [dt.datetime.fromisoformat(r["_submission_time"]).date() for r in rows]
    assert max(submitted) <= demo.DEMO_TODAY
    # unit-level estimates: no NIP and no name
    unit = [r for r in rows if r["identitas/tingkat"] == "Unit Kerja"]
    assert len(unit) == len(demo.TREATED_UNITS)
    assert all(r["identitas/nip"] is None and r["identitas/nama"] is None for r in unit)
    assert {r["identitas/kode_angkatan"] for r in unit} == {demo.UNIT_BENEFIT_COHORT}


def test_benefit_amounts_are_hours_times_the_golongan_rate(out: Path) -> None:
    rows = _records(out / BENEFITS[0], BENEFITS[1])
    as_text = 0
    for r in rows:
        if r["manfaat/nilai_per_tahun"] is None:
            continue
        as_text += str(r["manfaat/nilai_per_tahun"]).startswith("Rp ")
        rate = demo.HOURLY_COST_BY_GOLONGAN[r["identitas/golongan"]]
        assert r["manfaat/tarif_per_jam"] == rate
        hours = float(r["manfaat/jam_per_bulan"])
        assert _rupiah_value(r["manfaat/nilai_per_tahun"]) == hours * 12 * rate
    assert 0.4 * len(rows) < as_text < 0.9 * len(rows)
    rates = list(demo.HOURLY_COST_BY_GOLONGAN.values())
    assert list(demo.HOURLY_COST_BY_GOLONGAN) == list(C.GOLONGAN_PNS)
    assert rates == sorted(rates)


def test_benefit_shares_are_percentages_with_some_mess(out: Path, truth: dict) -> None:
    rows = _records(out / BENEFITS[0], BENEFITS[1])
    counts = truth["mess"]["counts"]
    texts = [r[c] for r in rows for c in ("manfaat/atribusi", "manfaat/keyakinan")]
    assert sum(t.endswith("%") for t in texts) > 0.6 * len(texts)
    assert sum("," in t for t in texts) >= counts["share_as_fraction"] >= 1
    assert counts["percent_without_sign"] >= 1
    assert [t for t in texts if t.endswith("%") and float(t[:-1]) > 100] == ["120%"]
    assert counts["share_over_100"] == 1 and counts["missing_amount"] == 1
    missing = [r for r in rows if r["manfaat/nilai_per_tahun"] is None]
    assert len(missing) == 1 and missing[0]["identitas/nip"]


def test_benefit_truth_plants_a_level_per_program(truth: dict) -> None:
    benefits = truth["effects"]["benefits"]
    assert set(benefits["by_program"]) == set(demo.PROGRAMS)
    for pid, level in benefits["by_program"].items():
        assert level["hours_saved_per_month"] == demo.BENEFIT_HOURS[pid]
        assert level["expected_adjusted_per_estimate_idr"] > 0
    assert benefits["attribution_mean"] == pytest.approx(0.515)
    assert benefits["confidence_mean"] == pytest.approx(0.71)
    by_cohort = benefits["by_cohort"]
    assert by_cohort[demo.UNIT_BENEFIT_COHORT]["n_unit_level"] == len(demo.TREATED_UNITS)
    for entry in by_cohort.values():
        assert 0 < entry["benefit_adjusted_idr"] < entry["benefit_raw_idr"]
    # the ROI section has both sides of break-even to show
    bcr = [e["expected_bcr"] for e in by_cohort.values()]
    assert min(bcr) < 1 < max(bcr)


def test_planted_hours_visible_in_raw_benefits(out: Path) -> None:
    labels = {v: k for k, v in demo.BENEFIT_LABELS.items()}
    program = {c.cohort_id: c.program_id for c in demo.COHORTS}
    hours: dict[tuple[str, str], list[float]] = {}
    for r in _records(out / BENEFITS[0], BENEFITS[1]):
        if r["identitas/tingkat"] == "Individu" and r["manfaat/jam_per_bulan"] is not None:
            key = (program[r["identitas/kode_angkatan"]], labels[r["manfaat/jenis"]])
            hours.setdefault(key, []).append(float(r["manfaat/jam_per_bulan"]))
    for (pid, btype), values in hours.items():
        planted = demo.BENEFIT_HOURS[pid][btype]
        se = planted / np.sqrt(demo.BENEFIT_HOURS_SHAPE) / np.sqrt(len(values))
        assert np.mean(values) == pytest.approx(planted, abs=4 * se + 0.25), (pid, btype)
