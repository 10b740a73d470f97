"""A test's maximum in a proposed codebook, the check of it in cleaning, and the cohorts of
a study without a cohort list (derived from the roster, said so in the reports)."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pandas as pd
import pytest

from evalkit.data.clean import clean_study
from evalkit.data.codebook import parse_codebook
from evalkit.data.derived_cohorts import derive_cohorts
from evalkit.data.onboard import NO_COHORT_LIST, build_proposal
from evalkit.data.onboard.bounds import label_bound, score_bound, value_label_bound
from evalkit.data.score_bounds import bound_mismatches, warn_bound_mismatches
from evalkit.errors import EvalkitWarning
from evalkit.reporting.methods import introduction
from evalkit.reporting.sections import cohort_title, derived_cohort

REPO = Path(__file__).resolve().parents[1]
NIPS = ("198505122010011002", "199001012015032001", "197803152005012003", "198811202014022004",
        "199203082019031005", "198012252008011006")  # fmt: skip


# --- the maximum a proposal guesses -----------------------------------------------------
@pytest.mark.parametrize(
    ("label", "bound"),
    [("Pre-test (0-50)", 50), ("Nilai post-test 0\u201350", 50), ("skor 0-50", 50),
     ("Nilai akhir, maks. 50", 50), ("Post (max 40)", 40), ("score out of 50", 50),
     ("Nilai (0 s.d. 20)", 20), ("Skor maksimal: 60", 60), ("nilai dari 25", 25),
     ("Pre-test 2024", None), ("Nilai (1-5)", None), ("Post-test 10-50", None)],
)  # fmt: skip
def test_the_maximum_a_label_states(label, bound):
    found = label_bound([label])
    assert (found[0] if found else None) == bound


def test_value_labels_come_first_then_labels_then_the_scores():
    assert value_label_bound({0.0: "Tidak ada yang benar", 50.0: "Semua benar"})[0] == 50
    assert value_label_bound({40: "Nilai maksimum", 45: "bonus"})[0] == 40  # the marked code
    assert score_bound(["Post (0-100)"], {50: "Maksimal"}, [20.0])[0] == 50
    assert score_bound(["Post (0-50)"], {}, [20.0, 30.0])[0] == 50
    assert score_bound(["Post"], {}, [20.0, 50.0])[0] == 50
    assert score_bound(["Post"], {}, [20.0, 48.0])[0] == 100
    bound, note = score_bound(["Post (0-50)"], {}, [20.0, 70.0])
    assert bound == 50 and "1 score(s) above it, up to 70" in note


def _sav(folder: Path, labels: list[str], value_labels: dict | None = None,
         post=(35.0, 40.0, 42.0, 30.0, 38.0, 45.0)) -> None:  # fmt: skip
    import pyreadstat

    frame = pd.DataFrame({"nip": list(NIPS), "kelas": ["K1"] * 6,
                          "pre": [20.0, 25.0, 30.0, 18.0, 22.0, 35.0], "post": list(post)})  # fmt: skip
    folder.mkdir(parents=True, exist_ok=True)
    pyreadstat.write_sav(frame, str(folder / "tes.sav"), column_labels=labels,
                         variable_value_labels=value_labels or {})  # fmt: skip


def test_init_reads_the_maximum_from_spss_variable_labels(tmp_path):
    _sav(tmp_path, ["NIP", "Kelas", "Skor pre-test (0-50)", "Skor post-test (0-50)"])
    prop = build_proposal(tmp_path, "s")
    cols = prop.data["tables"]["learning"]["columns"]
    assert (cols["pre"]["max"], cols["post"]["max"], cols["max_score"]) == (50, 50, {"value": 50})
    for key in ("pre", "post", "max_score"):
        assert prop.notes[f"tables.learning.columns.{key}"].startswith("REVIEW: ")
    assert "highest score seen is 45" in prop.notes["tables.learning.columns.post"]


def test_init_reads_the_maximum_from_spss_value_labels(tmp_path):
    _sav(tmp_path, ["NIP", "Kelas", "Pre-test", "Post-test"],
         {"pre": {0.0: "Nol", 40.0: "Nilai maksimum"}, "post": {0.0: "Nol", 40.0: "Nilai maksimum"}},
         post=(35.0, 40.0, 38.0, 30.0, 38.0, 39.0))  # fmt: skip
    prop = build_proposal(tmp_path, "s")
    cols = prop.data["tables"]["learning"]["columns"]
    assert cols["post"]["max"] == 40 and cols["max_score"] == {"value": 40}
    assert "SPSS value label 40 = 'Nilai maksimum'" in prop.notes["tables.learning.columns.post"]


def test_init_takes_the_highest_score_seen_when_it_is_a_usual_maximum(tmp_path):
    rows = "\n".join(f"{n},K1,{p},{q}" for n, p, q in zip(NIPS, (5, 8, 9, 6, 7, 10),
                                                         (9, 10, 12, 15, 20, 18), strict=True))  # fmt: skip
    (tmp_path / "nilai.csv").write_text("NIP,Kelas,Pre-test,Post-test\n" + rows + "\n")
    prop = build_proposal(tmp_path, "s")
    cols = prop.data["tables"]["learning"]["columns"]
    assert cols["pre"]["max"] == 10 and cols["post"]["max"] == 20
    assert cols["max_score"] == {"value": 20}
    assert "pre and post differ" in prop.notes["tables.learning.columns.max_score"]


# --- cleaning checks max_score against the columns' max ---------------------------------
def _learning(columns: dict) -> dict:
    base = {"nip": {"from": "NIP"}, "cohort_id": {"from": "Kelas"}}
    return {"study": "s", "tables": {"nilai": {"table": "learning", "files": ["n.csv"],
                                               "columns": {**base, **columns}}}}  # fmt: skip


@pytest.mark.parametrize(
    ("columns", "found"),
    [({"pre": {"from": "Pre", "max": 50}, "max_score": {"value": 50}}, []),
     ({"pre": {"from": "Pre", "max": 50}, "max_score": {"value": 100}},
      ["tables.nilai.columns.pre.max is 50 but tables.nilai.columns.max_score is 100"]),
     ({"post": {"from": "Post", "max": 50}},
      ["tables.nilai.columns.post.max is 50 but tables.nilai.columns.max_score is 100 "
       "(the default)"]),
     ({"post": {"from": "Post"}}, []),
     ({"post": {"from": "Post", "max": 50}, "max_score": {"from": "Maks"}}, [])],
)  # fmt: skip
def test_bound_mismatches(columns, found):
    assert bound_mismatches(parse_codebook(_learning(columns))) == found


def test_clean_warns_naming_the_codebook_and_the_keys(tmp_path):
    raw = tmp_path / "data" / "raw" / "s"
    raw.mkdir(parents=True)
    (raw / "n.csv").write_text("NIP,Kelas,Pre,Post\n" + "".join(
        f"{n},K1,{20 + i},{40 + i}\n" for i, n in enumerate(NIPS)))  # fmt: skip
    import yaml

    cb = _learning({"pre": {"from": "Pre", "max": 50}, "post": {"from": "Post", "max": 50},
                    "max_score": {"value": 100}})  # fmt: skip
    (raw / "codebook.yaml").write_text(yaml.safe_dump(cb))
    with pytest.warns(EvalkitWarning) as record:
        clean_study(raw, tmp_path / "out", progress=False, salt=b"s")
    said = [str(w.message) for w in record]
    assert [m.split(";")[0] for m in said] == [
        f"codebook data/raw/s/codebook.yaml: tables.nilai.columns.{c}.max is 50 but "
        "tables.nilai.columns.max_score is 100" for c in ("pre", "post")]  # fmt: skip
    cb["tables"]["nilai"]["columns"]["max_score"] = {"value": 50}
    (raw / "codebook.yaml").write_text(yaml.safe_dump(cb))
    with warnings.catch_warnings():
        warnings.simplefilter("error", EvalkitWarning)
        clean_study(raw, tmp_path / "out", progress=False, salt=b"s")
    assert warn_bound_mismatches(parse_codebook(cb)) == []


# --- cohorts without a cohort list -------------------------------------------------------
def _study(folder: Path, *, roster: bool) -> Path:
    folder.mkdir(parents=True)
    (folder / "nilai.csv").write_text("NIP,Kelas,Pre,Post\n" + "".join(
        f"{n},{'K2' if i % 2 else 'K1'},{20 + i},{40 + i}\n" for i, n in enumerate(NIPS)))  # fmt: skip
    tables = {"learning": {"files": ["nilai.csv"], "columns": {
        "nip": {"from": "NIP"}, "cohort_id": {"from": "Kelas"}, "pre": {"from": "Pre"},
        "post": {"from": "Post"}}}}  # fmt: skip
    if roster:
        (folder / "peserta.csv").write_text("NIP,Angkatan\n" + "".join(
            f"{n},{'A-2' if i < 3 else 'A-1'}\n" for i, n in enumerate(NIPS)))  # fmt: skip
        tables["participants"] = {"files": ["peserta.csv"], "columns": {
            "nip": {"from": "NIP"}, "cohort_id": {"from": "Angkatan"}}}  # fmt: skip
    import yaml

    (folder / "codebook.yaml").write_text(yaml.safe_dump({"study": "s", "tables": tables}))
    return folder


@pytest.mark.parametrize(("roster", "codes"), [(True, ["A-1", "A-2"]), (False, ["K1", "K2"])])
def test_cohorts_come_from_the_roster_else_from_the_exports(tmp_path, roster, codes):
    raw = _study(tmp_path / "raw", roster=roster)
    summary = clean_study(raw, tmp_path / "out", progress=False, salt=b"s")
    assert summary.tables["cohorts"] == 2
    cohorts = pd.read_parquet(tmp_path / "out" / "cohorts.parquet")
    assert cohorts["cohort_id"].tolist() == codes
    for col in ("program_id", "program_name", "start_date", "end_date", "delivery", "jp"):
        assert cohorts[col].isna().all(), col
    assert derived_cohort(cohorts) and derived_cohort(cohorts.iloc[0])
    assert not (tmp_path / "out" / "programs.parquet").exists()


def test_derive_cohorts_ignores_blank_codes_and_tables_without_cohorts():
    parsed = {
        "r": pd.DataFrame({"cohort_id": [" ", None, "B"]}),
        "k": pd.DataFrame({"unit": ["x"]}),
    }
    assert derive_cohorts(parsed, {"participants": ["r"], "ikm": ["k"]})["cohort_id"].tolist() == [
        "B"]  # fmt: skip
    assert derive_cohorts({"k": parsed["k"]}, {"ikm": ["k"]}).empty
    costs = {"c": pd.DataFrame({"cohort_id": ["K1"], "category": ["konsumsi"]})}
    assert derive_cohorts(costs, {"costs": ["c"]}).empty  # a cost names no one's cohort


def test_the_cohort_report_says_in_one_sentence_what_is_unknown():
    row = pd.Series({"cohort_id": "A-1", "program_id": None, "program_name": None, "batch": pd.NA,
                     "start_date": pd.NaT, "end_date": pd.NaT, "delivery": None,
                     "facilitator_type": None, "jp": pd.NA})  # fmt: skip
    en, id_ = cohort_title(row, 12, "en"), cohort_title(row, 12, "id")
    assert en == ("# Evaluation report: cohort A-1\n\n12 participants · This study has no cohort "
                  "list, so this cohort's program, dates and delivery method are unknown.")  # fmt: skip
    assert id_.startswith("# Laporan evaluasi: angkatan A-1\n\n12 peserta · Studi ini tidak")
    people = pd.DataFrame({"cohort_id": ["A-1"] * 3, "participant_id": ["a", "b", "c"]})
    intro = introduction(row.to_frame().T, "en", report="cohort", participants=people)
    assert intro.startswith("This report evaluates cohort A-1: 3 participants.")
    for text in (en, id_, intro, introduction(row.to_frame().T, "id", report="cohort")):
        assert not re.search(r"\bnan\b|\bNaT\b|\bNone\b|<NA>", text)
    known = row.copy()
    known[["program_name", "start_date", "end_date", "delivery"]] = [
        "Pelayanan Prima",
        pd.Timestamp("2024-03-04"),
        pd.Timestamp("2024-03-08"),
        "klasikal",
    ]
    assert "Pelayanan Prima" in cohort_title(known, 12, "en") and not derived_cohort(known)


def test_the_pointers_to_the_cohort_list_name_its_section_of_the_guide(tmp_path):
    guide = (REPO / "docs" / "guide.en.md").read_text(encoding="utf-8")
    section = None
    for line in guide.splitlines():
        m = re.match(r"## (\d+)\. ", line)
        section = m[1] if m else section
        if line.startswith("**The cohort list.**"):
            break
    else:
        pytest.fail("docs/guide.en.md has no paragraph 'The cohort list'")
    pointer = f"docs/guide.en.md, section {section}, 'The cohort list'"
    assert pointer in NO_COHORT_LIST
    from evalkit.data.freshness import missing_cohorts

    raw = tmp_path / "data" / "raw" / "s"
    raw.mkdir(parents=True)
    (raw / "u.csv").write_text("Unit,Periode,Jumlah Pengaduan\nDinkes,2024-S1,3\n")
    import yaml

    (raw / "codebook.yaml").write_text(yaml.safe_dump({"study": "s", "tables": {"unit_kpi": {
        "files": ["u.csv"], "columns": {"unit": {"from": "Unit"}, "period": {"from": "Periode"},
                                        "complaints": {"from": "Jumlah Pengaduan"}}}}}))  # fmt: skip
    clean_study(raw, tmp_path / "data" / "processed" / "s", progress=False, salt=b"s")
    message = missing_cohorts(tmp_path, "s")
    assert pointer.replace(", 'The cohort list'", ", 'The cohort") in message.replace("\n", " ")
    assert f"section {section}, 'The cohort list'" in message


def test_the_overview_introduction_of_derived_cohorts_says_what_is_unknown():
    cohorts = pd.DataFrame({"cohort_id": ["A-1", "A-2"], "program_name": [None, None],
                            "start_date": [pd.NaT, pd.NaT], "delivery": [None, None]})  # fmt: skip
    en = introduction(cohorts, "en", report="overview")
    assert en.startswith("This report evaluates 2 cohorts. This study has no cohort list, so the "
                         "programs, dates and delivery methods of its cohorts are unknown.")  # fmt: skip
    id_ = introduction(cohorts, "id", report="overview")
    assert id_.startswith("Laporan ini mengevaluasi 2 angkatan. Studi ini tidak memiliki daftar")
