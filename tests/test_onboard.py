"""Onboarding: proposing a codebook from a user's own exports, checking them, cleaning them.

The end-to-end test writes a second synthetic study, shaped unlike the demo:
other column names, a 4-point Likert scale, a ``;``-delimited cp1252 Google
Forms CSV, a KoboToolbox XLSX with ``group/field`` headers and comma decimals,
a hand-kept class list with title rows, the roster as an SPSS ``.sav`` file
with value labels, and no follow-up data. ``evalkit init``, ``check`` and
``clean`` must handle it without any code change.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
import yaml

from evalkit.cli import main
from evalkit.data.codebook import load_codebook, parse_codebook
from evalkit.data.onboard import (
    Proposal,
    build_proposal,
    check_study,
    guess_likert,
    init_study,
    negatively_worded,
    propose_codebook,
    render_codebook,
)
from evalkit.errors import DataError, ParameterError

# --- the second study ------------------------------------------------------------------
SETUJU4 = ("Sangat Tidak Setuju", "Tidak Setuju", "Setuju", "Sangat Setuju")
ITEMS = (  # header, reverse-keyed
    ("Materi [Materi mudah dipahami]", False),
    ("Materi [Contoh kasus dekat dengan pekerjaan saya]", False),
    ("Narasumber [Narasumber menjelaskan dengan jelas]", False),
    ("Narasumber [Narasumber menjawab pertanyaan peserta]", False),
    ("Penyelenggaraan [Waktu pelatihan terlalu singkat]", True),
    ("Sarana [Ruang kelas nyaman]", False),
)
UNITS = ("Dinas Kesehatan", "Bappeda", "Kecamatan Oebobo", "DPMPTSP")
COHORTS = ("PP-01", "PP-02")
N_PER_COHORT = 14


def _nip(rng: np.random.Generator, i: int) -> str:
    year = int(rng.integers(1970, 1998))
    tmt = year + int(rng.integers(22, 26))
    sex = 1 + i % 2
    return f"{year}{int(rng.integers(1, 13)):02d}{int(rng.integers(1, 28)):02d}{tmt}0{int(rng.integers(1, 10))}{sex}{i + 1:03d}"


def write_second_study(folder: Path, *, roster: str = "sav", seed: int = 11) -> dict:
    """Write the second study's raw exports into ``folder``; return what was planted."""
    import pyreadstat

    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    people = []
    for c, cohort in enumerate(COHORTS):
        for j in range(N_PER_COHORT):
            i = c * N_PER_COHORT + j
            people.append({
                "nip": _nip(rng, i), "nama": f"Peserta {chr(65 + i % 26)}{i:02d} Ndoen",
                "kelas": cohort, "jk": 1 + i % 2, "gol": ("III/a", "III/b", "II/c", "IV/a")[i % 4],
                "instansi": UNITS[i % len(UNITS)], "trait": float(rng.normal()),
            })  # fmt: skip
    people[3]["instansi"] = "dinas kesehatan"  # a case variant
    people[7]["instansi"] = "Dinas Kesehtan"  # a typo

    # the class list: hand-kept sheet with two title rows above the header
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Kelas"
    ws.append(["DAFTAR KELAS PELATIHAN PELAYANAN PRIMA"])
    ws.append(["BKPSDM Kota Kupang, 2025"])
    ws.append(["Kode Kelas", "Nama Pelatihan", "Tgl Mulai", "Tgl Selesai", "Moda", "JP"])
    ws.append(["PP-01", "Pelayanan Prima", "3 Maret 2025", "7 Maret 2025", "Tatap Muka", 40])
    ws.append(["PP-02", "Pelayanan Prima", "14 April 2025", "17 April 2025", "Daring", 32])
    book.save(folder / "kelas.xlsx")

    # the roster: SPSS with value labels (sex coded 1/2), or the same as CSV
    roster_frame = pd.DataFrame({k: [p[k] for p in people] for k in
                                 ("nip", "nama", "kelas", "jk", "gol", "instansi")})  # fmt: skip
    if roster == "sav":
        pyreadstat.write_sav(
            roster_frame.assign(jk=roster_frame["jk"].astype(float)), str(folder / "peserta.sav"),
            column_labels=["NIP", "Nama lengkap", "Kode kelas", "Jenis kelamin", "Golongan/ruang",
                           "Instansi"],
            variable_value_labels={"jk": {1.0: "Laki-laki", 2.0: "Perempuan"}},
        )  # fmt: skip
    else:
        roster_frame.assign(jk=roster_frame["jk"].map({1: "L", 2: "P"})).to_csv(
            folder / "peserta.csv", index=False
        )

    # the reaction survey: Google Forms, 4-point, ';' and cp1252
    rows = []
    for k, p in enumerate(people):
        row = {"Stempel waktu": f"{7 + k % 20:02d}/03/2025 15:{k % 60:02d}:00", "NIP": p["nip"],
               "Nama": p["nama"], "Kelas": p["kelas"]}  # fmt: skip
        for header, reverse in ITEMS:
            level = int(np.clip(np.round(2.5 + p["trait"] + rng.normal(0, 0.5)), 1, 4))
            row[header] = SETUJU4[(4 - level) if reverse else (level - 1)]
        row["Komentar"] = ""
        rows.append(row)
    rows[0]["Komentar"] = "Materi bagus, café di lobi enak"
    rows[1]["Komentar"] = '=HYPERLINK("http://contoh.test","klik")'
    rows[5][ITEMS[0][0]] = "Setju"  # unknown label -> quarantined
    late = dict(rows[2])
    late["Stempel waktu"] = "28/03/2025 08:00:00"  # the same person again, later
    rows.append(late)
    frame = pd.DataFrame(rows)
    text = frame.to_csv(index=False, sep=";", lineterminator="\r\n")
    (folder / "umpan_balik.csv").write_bytes(text.encode("cp1252"))

    # the pre/post test: KoboToolbox XLSX export, comma decimals
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "nilai"
    ws.append(["start", "end", "identitas/nip", "identitas/nama", "identitas/kelas",
               "tes/nilai_pretest", "tes/nilai_posttest", "_id", "_uuid", "_submission_time",
               "_index"])  # fmt: skip
    for k, p in enumerate(people):
        pre = round(float(np.clip(50 + 8 * rng.normal(), 0, 100)) * 2) / 2
        post = min(100.0, pre + 15 + round(float(rng.normal(0, 5))))
        ws.append(["2025-03-07T08:00:00", "2025-03-07T08:30:00", p["nip"], p["nama"], p["kelas"],
                   str(pre).replace(".", ","), str(post).replace(".", ","), 1000 + k,
                   f"uuid-{k}", f"2025-03-07T08:{k % 60:02d}:00", k + 1])  # fmt: skip
    ws.cell(row=10, column=7, value="105")  # out of range -> quarantined
    book.save(folder / "nilai_kobo.xlsx")
    return {"people": people, "reverse": ITEMS[4][0], "unknown_row": 7, "range_row": 10}


def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


# --- the end-to-end test ---------------------------------------------------------------
def _run_second_study(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, roster: str):
    root = tmp_path / "project"
    (root / "data" / "raw").mkdir(parents=True)
    monkeypatch.setenv("EVALKIT_ROOT", str(root))
    exports = tmp_path / "unduhan" / "pelayanan_prima"
    planted = write_second_study(exports, roster=roster)
    before = _hashes(exports)

    assert main(["init", str(exports), "--study", "pelayanan"]) == 0
    out = capsys.readouterr().out
    raw = root / "data" / "raw" / "pelayanan"
    assert "codebook proposed" in out and "REVIEW" in out
    codebook = load_codebook(raw)
    tables = {spec.table for spec in codebook.tables.values()}
    assert tables == {"cohorts", "participants", "reaction", "learning"}
    assert codebook.likert["setuju4"].max == 4
    reaction = codebook.tables["reaction"]
    reverse = {i.source for i in reaction.items.values() if i.reverse}
    assert reverse == {planted["reverse"]}
    assert {i.dimension for i in reaction.items.values()} == {
        "content", "facilitator", "organisation", "facilities"}  # fmt: skip
    assert codebook.tables["cohorts"].header_row == 3
    assert codebook.unit_lookup()["dinas kesehtan"] == "Dinas Kesehatan"
    assert main(["init", str(exports), "--study", "pelayanan"]) == 2  # never overwrites
    assert "already exists" in capsys.readouterr().err

    assert main(["check", "--study", "pelayanan"]) == 0
    out = capsys.readouterr().out
    assert f"umpan_balik.csv row {planted['unknown_row']}" in out
    assert "likert_unknown_label" in out and "closest: 'setuju'" in out
    assert f"nilai_kobo.xlsx row {planted['range_row']}" in out and "out_of_range" in out
    assert "duplicate" in out
    assert not (root / "data" / "processed").exists()  # the check writes nothing

    assert main(["clean", "--study", "pelayanan", "-q"]) == 0
    processed = root / "data" / "processed" / "pelayanan"
    names = {p.stem for p in processed.glob("*.parquet")}
    assert {"cohorts", "participants", "reaction", "reaction_items", "learning"} <= names
    assert "followup" not in names and "projects" not in names
    react = pd.read_parquet(processed / "reaction.parquet")
    assert set(react["scale_max"]) == {4}
    assert react["participant_id"].nunique() == len(planted["people"]) - 1  # one quarantined
    items = pd.read_parquet(processed / "reaction_items.parquet")
    assert items.loc[items["reverse"], "text"].tolist() == ["Waktu pelatihan terlalu singkat"]
    people = pd.read_parquet(processed / "participants.parquet")
    assert set(people["sex"]) == {"L", "P"} and "Dinas Kesehtan" not in set(people["unit"])
    learning = pd.read_parquet(processed / "learning.parquet")
    assert learning["post"].max() <= 100 and learning["pre"].notna().all()
    cohorts = pd.read_parquet(processed / "cohorts.parquet")
    assert cohorts["delivery"].tolist() == ["klasikal", "e-learning"]

    assert main(["export", "--study", "pelayanan", "--format", "xlsx", "--format", "sav"]) == 0
    exported = processed / "exports"
    book = openpyxl.load_workbook(exported / "pelayanan_tables.xlsx")
    assert book.sheetnames[0] == "README" and "reaction" in book.sheetnames
    texts = [c.value for row in book["comments"].iter_rows(min_row=2) for c in row]
    assert not any(isinstance(t, str) and t.startswith("=") for t in texts)
    from evalkit.io.spss import read_sav

    sav = read_sav(exported / "pelayanan_participants.sav")
    assert len(sav) == len(people) and set(sav["sex"]) == {"Laki-laki (male)", "Perempuan (female)"}
    assert _hashes(exports) == before  # the user's exports are untouched
    return root


def test_second_study_init_check_clean_with_a_csv_roster(tmp_path, monkeypatch, capsys):
    _run_second_study(tmp_path, monkeypatch, capsys, roster="csv")


def test_second_study_init_check_clean_with_an_spss_roster(tmp_path, monkeypatch, capsys):
    _run_second_study(tmp_path, monkeypatch, capsys, roster="sav")


@pytest.mark.slow
def test_second_study_reports(tmp_path, monkeypatch, capsys):
    import shutil

    from evalkit.run.execute import run_reports

    root = _run_second_study(tmp_path, monkeypatch, capsys, roster="csv")
    shutil.copytree(Path(__file__).resolve().parents[1] / "notebooks", root / "notebooks")
    summary = run_reports(studies=["pelayanan"], jobs=1, progress=False)
    assert summary.ok, str(summary)
    assert summary.results, "no report was run"
    pages = {p.name for p in (root / "reports").rglob("*.html")}
    assert any("PP-01" in name for name in pages), pages


# --- proposing ---------------------------------------------------------------------
def test_init_reads_spss_value_labels_and_variable_labels(tmp_path):
    write_second_study(tmp_path / "s", roster="sav")
    proposal = build_proposal(tmp_path / "s", "s")
    people = proposal.data["tables"]["participants"]
    assert people["files"] == ["peserta.sav"]
    assert people["columns"]["sex"] == {"from": "jk", "type": "category", "values": "sex"}
    assert proposal.data["values"]["sex"] == {"laki-laki": "L", "perempuan": "P"}
    assert people["columns"]["unit"]["type"] == "unit"
    assert people["columns"]["golongan"]["values"] == "golongan"


def test_init_flags_reverse_keyed_items_and_review_lines(tmp_path):
    write_second_study(tmp_path / "s", roster="csv")
    proposal = build_proposal(tmp_path / "s", "s")
    items = proposal.data["tables"]["reaction"]["items"]
    flagged = [k for k, v in items.items() if v.get("reverse")]
    assert len(flagged) == 1
    note = proposal.notes[f"tables.reaction.items.{flagged[0]}"]
    assert "REVIEW" in note and "negatively worded" in note and "r = -" in note
    assert "no midpoint" in proposal.notes["likert.setuju4"]


def test_rendered_codebook_is_the_proposal_and_valid(tmp_path):
    write_second_study(tmp_path / "s", roster="csv")
    proposal = build_proposal(tmp_path / "s", "s")
    text = render_codebook(proposal, header=["title"])
    assert yaml.safe_load(text) == proposal.data
    parse_codebook(yaml.safe_load(text))
    assert text.startswith("# title\n")
    assert sum("# REVIEW" in line for line in text.splitlines()) >= 5


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        (["Sangat Setuju", "Setuju", "Tidak Setuju"] * 10, ("setuju4", 4)),
        (["Sangat Setuju", "Ragu-ragu", "Setuju"], ("setuju5", 5)),
        (["Strongly agree", "Agree", "Disagree", "Neutral"], ("setuju5", 5)),
        (["Sangat Baik", "Baik", "Kurang"], ("baik4", 4)),
        (["Sangat Baik", "Baik", "Cukup", "Sangat Kurang"], ("baik5", 5)),
        (["Selalu", "Sering", "Jarang"], ("frekuensi5", 5)),
        (["4 - Setuju", "3 - Ragu-ragu", "5 - Sangat Setuju"], ("setuju5", 5)),
        (["1", "2", "5", "4"], ("angka5", 5)),
        (["ya", "tidak"], None),
        (["1", "0", "1"], None),
        (["Dinas Kesehatan", "Bappeda"], None),
        ([], None),
    ],
)
def test_guess_likert(answers, expected):
    assert guess_likert(answers) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jadwal pelatihan terlalu padat", True),
        ("Materi sulit dipahami", True),
        ("The sessions were too long", True),
        ("Narasumber menguasai materi", False),
        ("Ruang kelas nyaman", False),
    ],
)
def test_negatively_worded(text, expected):
    assert negatively_worded(text) is expected


def test_kobo_headers_and_metadata(tmp_path):
    write_second_study(tmp_path / "s", roster="csv")
    learning = propose_codebook(tmp_path / "s")["tables"]["learning"]
    cols = learning["columns"]
    assert cols["nip"]["from"] == "identitas/nip" and cols["pre"]["from"] == "tes/nilai_pretest"
    assert cols["submitted_at"] == {"from": "_submission_time", "type": "datetime"}
    assert not any(c.get("from") in ("_id", "_uuid", "start", "end") for c in cols.values())


def test_same_shaped_files_share_one_entry_with_a_glob(tmp_path):
    for name in ("reaksi_A.csv", "reaksi_B.csv"):
        (tmp_path / name).write_text(
            "NIP,Kelas,Materi jelas,Narasumber ramah\n198505122010011002,A,Setuju,Sangat Setuju\n"
        )
    (tmp_path / "reaksi_catatan.txt").write_text("tidak dibaca\n")
    tables = propose_codebook(tmp_path)["tables"]
    assert tables["reaction"]["files"] == ["reaksi_*.csv"]


def test_a_supervisor_form_rates_the_alumnus_not_the_supervisor(tmp_path):
    (tmp_path / "tindak_lanjut_atasan.csv").write_text(
        "identitas/nip_atasan,identitas/nip_alumni,identitas/kelas,identitas/bulan_ke,"
        "perilaku/b1,perilaku/b2\n"
        "198001012005011001,198505122010011002,A,3,Sering,Selalu\n"
    )
    table = propose_codebook(tmp_path)["tables"]["followup"]
    assert table["columns"]["nip"]["from"] == "identitas/nip_alumni"
    assert table["columns"]["rater"] == {"value": "supervisor"}
    assert set(table["items"]) == {"b1", "b2"}


def test_missing_cohort_column_is_filled_from_the_only_cohort(tmp_path):
    (tmp_path / "kelas.csv").write_text("Kode Kelas,Tgl Mulai,JP\nK-1,3/3/2025,20\n")
    (tmp_path / "nilai.csv").write_text("NIP,Pre-test,Post-test\n198505122010011002,40,70\n")
    proposal = build_proposal(tmp_path, "x")
    assert proposal.data["tables"]["learning"]["columns"]["cohort_id"] == {"value": "K-1"}
    assert "REVIEW" in proposal.notes["tables.learning.columns.cohort_id"]


# --- init_study ----------------------------------------------------------------------
def test_init_never_overwrites_without_force(tmp_path):
    raw = tmp_path / "data" / "raw" / "s"
    write_second_study(raw, roster="csv")
    first = init_study(raw, root=tmp_path)
    assert first.copied == () and first.review > 0
    (raw / "codebook.yaml").write_text("study: mine\ntables: {}\n")
    with pytest.raises(ParameterError, match=r"codebook.yaml already exists; edit it"):
        init_study(raw, root=tmp_path)
    assert (raw / "codebook.yaml").read_text() == "study: mine\ntables: {}\n"
    init_study(raw, root=tmp_path, force=True)
    assert load_codebook(raw).study == "s"


def test_init_copies_exports_into_data_raw_and_refuses_to_replace_other_files(tmp_path):
    exports = tmp_path / "unduhan"
    write_second_study(exports, roster="csv")
    result = init_study(exports, study="baru", root=tmp_path / "proj")
    assert result.raw_dir == tmp_path / "proj" / "data" / "raw" / "baru"
    assert set(result.copied) == {p.name for p in exports.iterdir()}
    (exports / "kelas.xlsx").write_bytes((exports / "nilai_kobo.xlsx").read_bytes())
    with pytest.raises(ParameterError, match=r"kelas.xlsx already exists with other content"):
        init_study(exports, study="baru", root=tmp_path / "proj", force=False)


@pytest.mark.parametrize("study", ["../x", "a b", ""])
def test_init_rejects_a_bad_study_name(tmp_path, study):
    (tmp_path / "e").mkdir()
    with pytest.raises(ParameterError, match=r"parameter 'study' must be a folder name"):
        init_study(tmp_path / "e", study=study, root=tmp_path)


def test_init_errors_name_the_folder(tmp_path):
    with pytest.raises(DataError, match=r"folder of exports does not exist"):
        init_study(tmp_path / "nope", root=tmp_path)
    (tmp_path / "e").mkdir()
    (tmp_path / "e" / "x.csv").write_text("Tanggal,Jumlah\n1/1/2025,3\n")
    with pytest.raises(DataError, match=r"no export could be recognised.*x.csv"):
        propose_codebook(tmp_path / "e")
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataError, match=r"no readable export found"):
        propose_codebook(tmp_path / "empty")
    with pytest.raises(DataError, match=r"study folder does not exist"):
        propose_codebook(tmp_path / "nope")


def test_render_puts_long_notes_above_the_line():
    p = Proposal({"study": "s", "tables": {}}, notes={"study": "REVIEW: " + "x" * 80})
    assert render_codebook(p).splitlines()[0].startswith("# REVIEW: xxx")


# --- check_study ---------------------------------------------------------------------
def test_check_lists_every_missing_header_with_suggestions(tmp_path):
    write_second_study(tmp_path / "e", roster="csv")
    init_study(tmp_path / "e", study="s", root=tmp_path / "proj")
    raw = tmp_path / "proj" / "data" / "raw" / "s"
    text = (raw / "codebook.yaml").read_text()
    text = text.replace("from: Kelas,", "from: Kelass,").replace("from: Tgl Mulai", "from: Mulai")
    (raw / "codebook.yaml").write_text(text)
    report = check_study(raw)
    assert not report.ok and report.issues.empty
    joined = "\n".join(report.errors)
    assert "header 'Kelass' not found in umpan_balik.csv; did you mean 'Kelas'?" in joined
    assert "header 'Mulai' not found in kelas.xlsx" in joined
    assert "problem(s) stop cleaning" in str(report)


def test_check_reports_an_invalid_codebook_and_a_missing_file(tmp_path):
    (tmp_path / "codebook.yaml").write_text("study: s\ntables:\n  surveys: {files: [a.csv]}\n")
    report = check_study(tmp_path)
    assert report.errors and "unknown output table 'surveys'" in report.errors[0]
    (tmp_path / "codebook.yaml").write_text(
        "study: s\ntables:\n  costs:\n    files: [biaya.csv]\n    columns:\n"
        "      cohort_id: {from: A}\n      category: {from: B}\n      amount_idr: {from: C}\n"
    )
    assert "no file matches ['biaya.csv']" in check_study(tmp_path).errors[0]
    with pytest.raises(DataError, match=r"study folder does not exist"):
        check_study(tmp_path / "nope")


def test_check_command_exits_2_when_cleaning_would_fail(tmp_path, monkeypatch, capsys):
    raw = tmp_path / "data" / "raw" / "s"
    raw.mkdir(parents=True)
    (raw / "codebook.yaml").write_text("study: s\ntables:\n  surveys: {files: [a.csv]}\n")
    monkeypatch.setenv("EVALKIT_ROOT", str(tmp_path))
    assert main(["check", "--study", "s"]) == 2  # the code `evalkit clean` exits with
    assert main(["clean", "--study", "s"]) == 2
    assert "unknown output table" in capsys.readouterr().out


def test_init_and_check_show_ambiguous_labels_flagged_rows_and_missing_cohort_list(tmp_path):
    from evalkit.data.onboard import check_study, init_study

    folder = tmp_path / "exports"
    folder.mkdir()
    rows = ["Timestamp,Nama,Kode Angkatan,Materi jelas,Narasumber jelas"]
    labels = ["Setuju", "Sangat Setuju", "Kurang Setuju", "Tidak Setuju", "Sangat Tidak Setuju"]
    for i in range(25):
        rows.append(f"0{1 + i % 9}/03/2024 08:00:00,Peserta {i},A1,{labels[i % 5]},"
                    f"{labels[(i + 1) % 5]}")  # fmt: skip
    (folder / "reaksi.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = init_study(folder, study="s", root=tmp_path)
    text = result.codebook.read_text(encoding="utf-8")
    assert "# REVIEW: direction" in text and "'kurang setuju' (10 answer(s)) is read as 3" in text
    assert "mild disagreement" in text and "cukup setuju" not in text
    assert not result.cohorts and "no cohort list" in str(result)
    report = check_study(result.raw_dir)
    assert report.ok and "no cohort list" in str(report)
    assert "0 flagged (kept)" in str(report)


def test_check_lists_flagged_rows(tmp_path):
    from evalkit.data.onboard import check_study

    (tmp_path / "codebook.yaml").write_text(
        "study: s\ntables:\n  cohorts:\n    files: [a.csv]\n    columns:\n"
        "      cohort_id: {from: Kode}\n      start_date: {from: Mulai, type: date}\n"
        "      end_date: {from: Selesai, type: date}\n", encoding="utf-8")  # fmt: skip
    (tmp_path / "a.csv").write_text("Kode,Mulai,Selesai\nA1,04/03/2024,08/03/2031\n")
    report = check_study(tmp_path)
    text = str(report)
    assert "2 flagged (kept)" in text and "  flagged:\n    a.csv row 2, column 'Selesai'" in text
    assert "future_date" in text and "long_cohort" in text and "no cohort list" not in text
