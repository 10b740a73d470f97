"""Onboarding a study shaped unlike the demo with no hand edit of the proposed codebook.

The study (issue 12): a KoboToolbox reaction CSV with ``;`` and a BOM, English 4-point
labels and a reverse-keyed item; an XLSX roster whose ``Angkatan`` column (and the forms'
cohort question) is the only record of the cohorts (no cohort list); the pre/post test as an SPSS ``.sav`` file scored
0-50, which only its variable labels say. ``evalkit init`` -> ``check`` -> ``clean`` ->
``report`` must run on the proposal as written, and the report's Hake gain must be the
one of a 0-50 test, computed here by hand.
"""

from __future__ import annotations

import re
import shutil
import warnings
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
import yaml

from evalkit.cli import main
from evalkit.data.clean import clean_study
from evalkit.data.codebook import load_codebook
from evalkit.data.onboard import build_proposal, init_study
from evalkit.errors import EvalkitWarning
from evalkit.reporting.sections import section_note

AGREE4 = ("Strongly disagree", "Disagree", "Agree", "Strongly agree")
ITEMS = (  # Kobo header (group/label), reverse-keyed
    ("reaction/The training materials were clear", False),
    ("reaction/The facilitator explained the topics well", False),
    ("reaction/The schedule was too tight", True),
    ("reaction/The training room was comfortable", False),
    ("reaction/I can apply what I learned in my work", False),
)
COHORTS = ("KOBO-01", "KOBO-02")
N_PER_COHORT = 8

#: Pre/post scores (0-50) of the 16 participants, in roster order.
PRE = (20, 25, 30, 18, 22, 35, 28, 24, 15, 27, 33, 21, 26, 19, 30, 23)
POST = (35, 40, 42, 30, 38, 45, 41, 36, 29, 39, 50, 33, 40, 31, 44, 37)


def _nips() -> list[str]:
    rng = np.random.default_rng(5)
    out = []
    for i in range(len(PRE)):
        year = int(rng.integers(1972, 1996))
        out.append(f"{year}{int(rng.integers(1, 13)):02d}{int(rng.integers(1, 28)):02d}"
                   f"{year + 23}0{int(rng.integers(1, 10))}{1 + i % 2}{i + 1:03d}")  # fmt: skip
    return out


def write_target_study(folder: Path) -> dict:
    """The target study's exports in ``folder``: reaction CSV, roster XLSX, tests SAV."""
    import pyreadstat

    folder.mkdir(parents=True, exist_ok=True)
    nips = _nips()
    cohorts = [COHORTS[i // N_PER_COHORT] for i in range(len(nips))]

    # the reaction survey: KoboToolbox CSV export, ';', UTF-8 with a BOM, English labels
    header = ["start", "end", "identity/nip", "identity/full_name", "identity/cohort",
              *[h for h, _ in ITEMS],
              "_id", "_uuid", "_submission_time", "_index"]  # fmt: skip
    lines = [";".join(header)]
    for i, nip in enumerate(nips):
        level = 1 + (i * 7 + 3) % 4  # answers that vary, not all the same
        answers = []
        for k, (_, reverse) in enumerate(ITEMS):
            lv = min(4, max(1, level + (k % 2) - (i % 3 == 0)))
            answers.append(AGREE4[(4 - lv) if reverse else (lv - 1)])
        lines.append(";".join([
            "2025-05-02T08:00:00.000+08:00", "2025-05-02T08:09:00.000+08:00", nip,
            f"Participant {i:02d} Lay", cohorts[i], *answers, str(9000 + i), f"uuid-{i}",
            f"2025-05-{2 + i // N_PER_COHORT:02d}T01:{10 + i:02d}:00", str(i + 1),
        ]))  # fmt: skip
    (folder / "reaction_kobo.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8-sig"))

    # the roster: XLSX, the cohort code in 'Angkatan'; no cohort list anywhere
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Roster"
    ws.append(["NIP", "Nama Lengkap", "Angkatan", "L/P", "Unit Kerja"])
    units = ("Dinas Kesehatan", "Bappeda", "Kecamatan Oebobo", "DPMPTSP")
    for i, nip in enumerate(nips):
        ws.append([nip, f"Participant {i:02d} Lay", cohorts[i], "LP"[i % 2], units[i % 4]])
    book.save(folder / "roster.xlsx")

    # the tests: SPSS, scored 0-50; only the variable labels say so
    tests = pd.DataFrame({"nip": nips, "angkatan": cohorts, "pre": [float(x) for x in PRE],
                          "post": [float(x) for x in POST]})  # fmt: skip
    pyreadstat.write_sav(tests, str(folder / "tests.sav"),
                         column_labels=["NIP", "Angkatan", "Pre-test score (0-50)",
                                        "Post-test score (0-50)"])  # fmt: skip
    return {"nips": nips, "cohorts": cohorts, "reverse": ITEMS[2][0]}


def _hand_hake(cohort: str) -> float:
    """Class-average Hake gain of one cohort on a 0-50 test: (post - pre) / (50 - pre), means."""
    rows = [i for i in range(len(PRE)) if COHORTS[i // N_PER_COHORT] == cohort]
    pre = sum(PRE[i] for i in rows) / len(rows)
    post = sum(POST[i] for i in rows) / len(rows)
    return (post - pre) / (50 - pre)


def test_the_hand_calculation_is_the_one_of_a_0_50_test():
    # KOBO-01: mean pre 202/8 = 25.25, mean post 307/8 = 38.375 -> 13.125 / 24.75
    assert _hand_hake("KOBO-01") == pytest.approx(13.125 / 24.75, rel=1e-15)
    assert _hand_hake("KOBO-01") == pytest.approx(0.530303030303030, rel=1e-12)
    assert 13.125 / (100 - 25.25) == pytest.approx(0.175585284280936, rel=1e-12)  # max 100


def test_the_proposal_needs_no_edit(tmp_path):
    raw = tmp_path / "raw"
    planted = write_target_study(raw)
    prop = build_proposal(raw, "kobo")
    tables = prop.data["tables"]
    assert {e.get("table", k) for k, e in tables.items()} == {"participants", "reaction",
                                                               "learning"}  # fmt: skip
    learning = tables["learning"]["columns"]
    assert learning["max_score"] == {"value": 50}
    assert learning["pre"]["max"] == 50 and learning["post"]["max"] == 50
    for key in ("max_score", "pre", "post"):
        assert prop.notes[f"tables.learning.columns.{key}"].startswith("REVIEW")
    assert "'0-50' in 'Pre-test score (0-50)'" in prop.notes["tables.learning.columns.pre"]
    assert tables["learning"]["columns"]["cohort_id"]["from"] == "angkatan"
    assert tables["participants"]["columns"]["cohort_id"]["from"] == "Angkatan"
    items = tables["reaction"]["items"]
    reverse = [i["from"] for i in items.values() if i.get("reverse")]
    assert reverse == [planted["reverse"]]
    assert {i["likert"] for i in items.values()} == {"setuju4"}
    assert "no cohort list" in prop.notes["tables"]


def test_init_check_clean_report_without_editing_the_codebook(tmp_path, monkeypatch, capsys):
    root = tmp_path / "project"
    (root / "data" / "raw").mkdir(parents=True)
    monkeypatch.setenv("EVALKIT_ROOT", str(root))
    exports = tmp_path / "downloads" / "kobo"
    write_target_study(exports)
    (root / "notebooks").mkdir()
    shutil.copy2(
        Path(__file__).resolve().parents[1] / "notebooks" / "cohort_report.ipynb",
        root / "notebooks" / "cohort_report.ipynb",
    )

    assert main(["init", str(exports), "--study", "kobo"]) == 0
    out = capsys.readouterr().out
    assert "no cohort list" in out and "cohorts from the cohort codes of the roster" in out
    raw = root / "data" / "raw" / "kobo"
    text = (raw / "codebook.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    for pattern in (r"max_score: \{value: 50\}", r"pre: \{.*max: 50\}", r"post: \{.*max: 50\}"):
        at = next(i for i, line in enumerate(lines) if re.search(pattern, line))
        assert "# REVIEW" in lines[at] or lines[at - 1].strip().startswith("# REVIEW")
    codebook = load_codebook(raw)
    assert codebook.tables["learning"].columns["max_score"].value == 50

    assert main(["check", "--study", "kobo"]) == 0
    capsys.readouterr()
    with warnings.catch_warnings():
        warnings.simplefilter("error", EvalkitWarning)  # the bounds agree: no warning
        assert main(["clean", "--study", "kobo", "-q"]) == 0
    processed = root / "data" / "processed" / "kobo"
    cohorts = pd.read_parquet(processed / "cohorts.parquet")
    assert cohorts["cohort_id"].tolist() == list(COHORTS)
    assert cohorts["start_date"].isna().all() and cohorts["delivery"].isna().all()
    learning = pd.read_parquet(processed / "learning.parquet")
    assert set(learning["max_score"]) == {50.0} and len(learning) == len(PRE)

    assert main(["report", "--study", "kobo", "--cohort", "KOBO-01", "--kind", "cohort",
                 "--lang", "en"]) == 0  # fmt: skip
    ledger = pd.read_csv(root / "reports" / "kobo" / "results.csv")
    hake = ledger[(ledger["estimand"] == "normalized_gain") & (ledger["report"].str.contains(
        "KOBO-01"))]  # fmt: skip
    assert len(hake) == 1
    assert hake["estimate"].iloc[0] == pytest.approx(_hand_hake("KOBO-01"), rel=1e-12)
    assert hake["estimate"].iloc[0] > 0.5  # with max 100 it would be 0.176
    html = next((root / "reports" / "kobo").glob("*KOBO-01*.html")).read_text(encoding="utf-8")
    assert "no cohort list" in html and "dates and delivery method are unknown" in html
    shown = re.sub(r"<[^>]+>", " ", re.sub(r"(?s)<(style|script)\b.*?</\1>", " ", html))
    assert "Evaluation report: cohort KOBO-01" in shown
    assert not re.search(r"\bnan\b|\bNaT\b|\bNone\b|<NA>|&lt;NA&gt;", shown)

    # the overview of a study without dates: the by-year and 20-JP sections say why not
    shutil.copy2(
        Path(__file__).resolve().parents[1] / "notebooks" / "program_overview.ipynb",
        root / "notebooks" / "program_overview.ipynb",
    )
    assert main(["report", "--study", "kobo", "--kind", "overview", "--lang", "en"]) == 0
    html = (root / "reports" / "kobo" / "overview.en.html").read_text(encoding="utf-8")
    shown = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.sub(
        r"(?s)<(style|script)\b.*?</\1>", " ", html)))  # fmt: skip
    for note in ("undated_study", "undated_jp", "no_cohort_list_study"):
        assert str(section_note(note, "en")).strip("*") in shown, note
    assert not re.search(r"\bnan\b|\bNaT\b|\bNone\b|<NA>|&lt;NA&gt;", shown)


def test_clean_warns_when_max_score_and_a_column_max_disagree(tmp_path):
    raw = tmp_path / "data" / "raw" / "kobo"
    write_target_study(raw)
    init_study(raw, root=tmp_path)
    path = raw / "codebook.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["tables"]["learning"]["columns"]["max_score"] = {"value": 100}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.warns(EvalkitWarning) as record:
        clean_study(raw, tmp_path / "out", progress=False, salt=b"s")
    messages = [str(w.message) for w in record if "max_score" in str(w.message)]
    assert len(messages) == 2
    assert messages[0].startswith("codebook data/raw/kobo/codebook.yaml: ")
    assert "tables.learning.columns.pre.max is 50 but tables.learning.columns.max_score is 100" \
        in messages[0]  # fmt: skip
