"""Malformed raw exports: every case of ``tests/data/bad/cases.yaml`` through cleaning.

Each case copies the small base study of ``tests/data/bad/base/`` into ``tmp_path``,
replaces one raw file by a broken one (``tests/data/bad/cases/``, written once by
``tests/data/bad/make_corpus.py``; the big ones are generated here) and cleans it.
The outcome must be the one the manifest states:

- ``error``: a :class:`DataError` or :class:`CodebookError` whose message names the
  file (and the row and column where there is one) and the reason; through the
  command line, exit code 2 and one line on stderr, never a traceback;
- ``ok`` / ``quarantined`` / ``empty``: the manifest's row accounting of the file
  (``rows = kept + duplicate + quarantined + empty``) and the quality-log entries
  (action, reason code, count) are as stated; nothing is dropped silently.

Raw files are byte-identical afterwards in every case.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from evalkit import errors
from evalkit.data.clean import clean_study
from evalkit.data.pseudonym import pseudonym
from evalkit.data.scrub import LOG_VALUE_CHARS
from evalkit.io.atomic import sha256

BAD = Path(__file__).resolve().parent / "data" / "bad"
MANIFEST = yaml.safe_load((BAD / "cases.yaml").read_text(encoding="utf-8"))
CASES = {case["id"]: case for case in MANIFEST["cases"]}
SALT = b"bad input salt"
STUDY = "bad"
EVALKIT = Path(sys.executable).with_name("evalkit")

FIRST = ["Yohanes", "Maria", "Agustinus", "Theresia", "Paulus", "Rambu", "Kornelis", "Dominggus",
         "Yosef", "Maria Goreti", "Fransiska", "Yakobus"]  # fmt: skip
LAST = ["Fanggidae", "Ndun", "Lay", "Bana", "Tefa", "Hana", "Nope", "Sabu", "Ratu", "Bessie",
        "Manafe", "Pello", "Tallo", "Amalo"]  # fmt: skip
LIKERT = ["Sangat Tidak Setuju", "Tidak Setuju", "Netral", "Setuju", "Sangat Setuju"]


# --- generated cases ------------------------------------------------------------------
def _nip(i: int) -> str:
    """A valid, unique NIP for row ``i``."""
    year, month, day = 1965 + i % 35, 1 + (i // 35) % 12, 1 + (i // 420) % 28
    serial = 1 + (i // 11760) % 999
    return f"{year:04d}{month:02d}{day:02d}{year + 22:04d}{1 + i % 12:02d}{1 + i % 2}{serial:03d}"


def write_big_reaction(path: Path, n: int = 200_000) -> dict[str, int]:
    """Write a Google Forms style reaction export of ``n`` rows; return its accounting.

    Every 1000 rows: one blank row (empty), one unknown Likert label (quarantined)
    and one resubmission of the previous row's form (the earlier one is a duplicate).
    """
    header = ("Timestamp,NIP,Nama,Kode Angkatan,Materi jelas,Narasumber menguasai materi,"
              "Jadwal terlalu padat,Saran")  # fmt: skip
    start = dt.datetime(2024, 3, 8, 8, 0, 0)
    lines = [header]
    counts = {"rows": n, "kept": 0, "duplicate": 0, "quarantined": 0, "empty": 0}
    for i in range(n):
        if i % 1000 == 998:
            lines.append(",,,,,,,")
            counts["empty"] += 1
            continue
        who = i - 1 if i % 1000 == 250 else i
        when = (start + dt.timedelta(seconds=7 * i)).strftime("%d/%m/%Y %H:%M:%S")
        name = f"{FIRST[who % len(FIRST)]} {LAST[(who // len(FIRST)) % len(LAST)]}"
        cohort = f"PP-2024-0{1 + who % 2}"
        a, b, c = LIKERT[i % 5], LIKERT[(i // 5) % 5], LIKERT[(i // 25) % 5]
        if i % 1000 == 500:
            a = "Cukup Setuju"
            counts["quarantined"] += 1
        elif i % 1000 == 250:
            counts["duplicate"] += 1
        comment = "" if i % 7 else ("bagus terima kasih" if i % 2 else "hubungi 0812-3456-7890")
        lines.append(f"{when},{_nip(who)},{name},{cohort},{a},{b},{c},{comment}")
    counts["kept"] = n - counts["empty"] - counts["quarantined"] - counts["duplicate"]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return counts


def write_huge_cell(path: Path, size: int = 1_000_000) -> dict[str, int]:
    """The base reaction export with a comment of ``size`` characters (over csv's 128 KiB)."""
    text = (BAD / "base" / "reaksi.csv").read_text(encoding="utf-8")
    row = ("09/03/2024 08:00:00,,Paulus Tefa,PP-2024-01,Setuju,Setuju,Setuju,\""
           + ("panjang sekali " * (size // 15 + 1))[:size] + "\"\n")  # fmt: skip
    path.write_text(text + row, encoding="utf-8")
    return {"rows": 5, "kept": 5}


#: First line of the file outside the study that a symbolic link points to.
SECRET_LINE = "RAHASIA gaji pegawai 198505122010011002"


def write_link_outside(path: Path) -> dict[str, int]:
    """A symbolic link in place of the raw file, to a file outside the study folder."""
    outside = path.parents[2] / "elsewhere" / "gaji.csv"
    outside.parent.mkdir(parents=True, exist_ok=True)
    outside.write_text(SECRET_LINE + "\n1,2\n", encoding="utf-8")
    path.symlink_to(outside)
    return {}


GENERATORS = {
    "big_reaction": write_big_reaction,
    "huge_cell": write_huge_cell,
    "link_outside": write_link_outside,
}


# --- running a case -------------------------------------------------------------------
def build_study(case: dict, root: Path) -> tuple[Path, str]:
    """The base study with the case's file in place of the one it replaces."""
    raw = root / "data" / "raw" / STUDY
    shutil.copytree(BAD / "base", raw)
    (raw / case["replaces"]).unlink()
    name = case.get("as", case["replaces"])
    if "generate" in case:
        GENERATORS[case["generate"]](raw / name, **case.get("params", {}))
    else:
        shutil.copyfile(BAD / "cases" / case["input"], raw / name)
    return raw, name


def hashes(folder: Path) -> dict[str, str]:
    return {p.name: sha256(p) for p in sorted(folder.iterdir())}


def read_log(out: Path) -> pd.DataFrame:
    return pd.read_csv(out / "quality_log.csv", dtype=str, keep_default_na=False)


def _ids(kind: str | None = None) -> list[str]:
    return [k for k, c in CASES.items() if kind is None or c["expect"] == kind]


def test_the_manifest_covers_the_corpus() -> None:
    files = {p.name for p in (BAD / "cases").iterdir()}
    listed = {c["input"] for c in CASES.values() if "input" in c}
    assert listed == files, (files - listed, listed - files)
    assert len(CASES) >= 30 and len(CASES) == len(MANIFEST["cases"])
    for case in CASES.values():
        assert case["expect"] in ("error", "ok", "quarantined", "empty"), case["id"]
        assert case.get("what"), case["id"]
        assert (BAD / "base" / case["replaces"]).is_file(), case["id"]
        if case["expect"] == "error":
            assert case["error"] in ("DataError", "CodebookError") and case["match"]
        else:
            assert "rows" in case, case["id"]
        if case["expect"] == "quarantined":
            assert any(e["action"] == "quarantined" for e in case.get("log", [])), case["id"]


@pytest.mark.parametrize("case_id", _ids())
def test_case(case_id: str, tmp_path: Path) -> None:
    case = CASES[case_id]
    raw, name = build_study(case, tmp_path)
    before = hashes(raw)
    out = tmp_path / "data" / "processed" / STUDY
    if case["expect"] == "error":
        with pytest.raises(getattr(errors, case["error"]), match=case["match"]) as info:
            clean_study(raw, out, progress=False, salt=SALT)
        message = str(info.value)
        assert name in message and "\n" not in message, message
        if isinstance(info.value, errors.DataError):
            assert info.value.file == name
        assert not (out / "manifest.json").exists()
    else:
        summary = clean_study(raw, out, progress=False, salt=SALT)
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        per_file = manifest["rows"]["by_table_and_file"]
        mine = {k: v for k, v in per_file.items() if k.endswith(f":{name}")}
        expected = {k: v for k, v in case["rows"].items() if v}
        if case["expect"] == "empty":
            assert not mine and case["rows"] == {"rows": 0}, mine
            # named, not silent: in the summary and, once, in the log
            assert name in summary.empty_files and f"no data rows: {name}" in str(summary)
        else:
            assert list(mine.values()) == [expected], mine
        # nothing dropped silently: every input row is in exactly one place
        assert summary.rows_read == (
            summary.rows_kept + summary.duplicates + summary.quarantined + summary.empty
        )
        for entry in per_file.values():
            assert entry["rows"] == sum(v for k, v in entry.items() if k != "rows")
        log = read_log(out)
        mine_log = log[log["file"] == name]
        code = mine_log["reason"].str.split(":").str[0]
        for want in case.get("log", []):
            hits = (mine_log["action"] == want["action"]) & (code == want["reason"])
            assert hits.sum() == want["count"], (want, mine_log.to_dict("records"))
            if want["action"] == "quarantined":
                assert (mine_log.loc[hits, "row"].astype(int) >= 2).all()
        # every quarantined row of the file is in the log, once, with a reason
        quarantined = mine_log[mine_log["action"] == "quarantined"]
        assert len(quarantined) == expected.get("quarantined", 0)
        assert not quarantined.duplicated(["file", "row"]).any()
        # the log's values are short, masked and cannot run as formulas
        assert (log["value"].str.len() <= LOG_VALUE_CHARS + 1).all()
        assert not log["value"].str.match(r"^[=+@\t\r]").any()
        for table, rows in case.get("tables", {}).items():
            if rows is None:
                assert table not in summary.tables
            else:
                assert summary.tables.get(table) == rows, (table, summary.tables)
        if "comments" in case:
            texts = pd.read_parquet(out / "comments.parquet")["text"].tolist()
            for wanted in case["comments"].get("contain", []):
                assert any(wanted in t for t in texts), (wanted, texts)
            for unwanted in case["comments"].get("exclude", []):
                assert not any(unwanted in t for t in texts), (unwanted, texts)
    assert hashes(raw) == before, "raw files changed"


@pytest.mark.parametrize("case_id", _ids("error"))
def test_error_case_through_the_cli(case_id: str, tmp_path: Path, monkeypatch, capsys) -> None:
    from evalkit.cli import main

    raw, name = build_study(CASES[case_id], tmp_path)
    before = hashes(raw)
    monkeypatch.setenv("EVALKIT_ROOT", str(tmp_path))
    assert main(["clean", "--study", STUDY, "-q"]) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("evalkit clean: error: "), captured.err
    assert name in lines[0] and "Traceback" not in captured.err
    assert re.search(CASES[case_id]["match"], lines[0])
    assert hashes(raw) == before


@pytest.mark.parametrize(
    "case_id", ["binary_named_csv", "zip_of_junk", "unbalanced_quote", "xlsx_two_header_rows"]
)
def test_error_case_through_the_installed_command(case_id: str, tmp_path: Path) -> None:
    raw, name = build_study(CASES[case_id], tmp_path)
    env = {**os.environ, "EVALKIT_ROOT": str(tmp_path)}
    run = subprocess.run([str(EVALKIT), "clean", "--study", STUDY, "-q"], env=env,
                         capture_output=True, text=True, timeout=120)  # fmt: skip
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and name in lines[0], run.stderr


def test_a_good_study_through_the_installed_command(tmp_path: Path) -> None:
    raw, _name = build_study(CASES["post_without_pre"], tmp_path)
    env = {**os.environ, "EVALKIT_ROOT": str(tmp_path)}
    run = subprocess.run([str(EVALKIT), "clean", "--study", STUDY, "-q"], env=env,
                         capture_output=True, text=True, timeout=120)  # fmt: skip
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr
    assert "rows flagged: 4" in run.stdout  # 2 post_without_pre, 2 not_on_roster


def test_a_link_outside_the_study_is_refused_by_name_unread(tmp_path: Path, monkeypatch, capsys):
    from evalkit.cli import main

    build_study(CASES["symlink_outside"], tmp_path)
    monkeypatch.setenv("EVALKIT_ROOT", str(tmp_path))
    assert main(["clean", "--study", STUDY, "-q"]) == 2
    err = capsys.readouterr().err
    assert "file nilai.csv: is a link to a file outside the study folder" in err
    assert "RAHASIA" not in err and "gaji" not in err  # neither its text nor its target
    assert not (tmp_path / "data" / "processed" / STUDY / "manifest.json").exists()


@pytest.mark.parametrize(
    ("case_id", "start"),
    [
        ("codebook_bad_yaml", "codebook: data/raw/bad/codebook.yaml is not valid YAML at line 9"),
        ("codebook_unknown_key", "codebook data/raw/bad/codebook.yaml, line 23, "),
    ],
)
def test_codebook_errors_name_the_file_as_the_user_sees_it(
    case_id: str, start: str, tmp_path: Path, monkeypatch, capsys
) -> None:
    from evalkit.cli import main

    build_study(CASES[case_id], tmp_path)
    monkeypatch.setenv("EVALKIT_ROOT", str(tmp_path))
    monkeypatch.chdir(tmp_path)  # run from the project root
    assert main(["clean", "--study", STUDY, "-q"]) == 2
    assert capsys.readouterr().err.startswith(f"evalkit clean: error: {start}")


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    raw, name = build_study(CASES["likert_unknown_labels"], tmp_path)
    before = hashes(raw)
    out = tmp_path / "out"
    summary = clean_study(raw, out, progress=False, salt=SALT, dry_run=True)
    assert not out.exists() and summary.dry_run and summary.quality_log is None
    assert summary.quarantined == 3 and summary.tables["reaction"] == 12
    assert (summary.log["action"] == "quarantined").sum() == 3
    assert "dry run" in str(summary) and "nothing written" in str(summary)
    real = clean_study(raw, out, progress=False, salt=SALT)
    written = read_log(out).astype({"row": "int64"}).to_dict("records")
    assert summary.log.to_dict("records") == written
    assert real.tables == summary.tables
    assert hashes(raw) == before
    with pytest.raises(errors.ParameterError, match="parameter 'out_dir' is None"):
        clean_study(raw, None, progress=False, salt=SALT)


def test_dry_run_without_a_salt_creates_none(tmp_path: Path, monkeypatch) -> None:
    raw, _name = build_study(CASES["header_only"], tmp_path)
    monkeypatch.setenv("EVALKIT_ROOT", str(tmp_path))
    summary = clean_study(raw, None, progress=False, dry_run=True)
    assert summary.dry_run and not (tmp_path / ".evalkit_salt").exists()


# --- an export without a cohort column ------------------------------------------------
#: The reaction export of the base study without its cohort column, and three rows no
#: roster row places: a NIP on the roster in both cohorts, a NIP on no roster row, no NIP.
NO_COHORT_REACTION = """\
Timestamp,NIP,Nama,Materi jelas,Narasumber menguasai materi,Jadwal terlalu padat,Saran
08/03/2024 10:00:00,198505122010011002,Yohanes Fanggidae,Setuju,Sangat Setuju,Tidak Setuju,bagus
08/03/2024 10:05:00,199001012015032001,Maria Ndun,Sangat Setuju,Setuju,Netral,
08/03/2024 10:10:00,197803152005011003,Agustinus Lay,Netral,Setuju,Setuju,perlu praktik
19/07/2024 15:00:00,199512312020122004,Theresia Bana,Setuju,Setuju,Tidak Setuju,
19/07/2024 15:05:00,198001012006041001,Paulus Tefa,Setuju,Netral,Setuju,
19/07/2024 15:10:00,198203042008012002,Rambu Hana,Setuju,Setuju,Setuju,
19/07/2024 15:15:00,,Kornelis Nope,Netral,Netral,Netral,
"""

#: Paulus Tefa took both cohorts: the roster has him twice.
TWICE_ON_THE_ROSTER = ("PP-2024-01,198001012006041001,Paulus Tefa,L,Bappeda\n"
                       "PP-2024-02,198001012006041001,Paulus Tefa,L,Bappeda\n")  # fmt: skip

REACTION_COHORT = '      cohort_id: {from: "Kode Angkatan", required: true}\n    items:'


def no_cohort_study(root: Path, value: str, *, cohort_list: bool = True) -> Path:
    """The base study whose reaction export has no cohort column (``cohort_id: value``)."""
    raw = root / "data" / "raw" / STUDY
    shutil.copytree(BAD / "base", raw)
    codebook = (raw / "codebook.yaml").read_text(encoding="utf-8")
    assert REACTION_COHORT in codebook
    codebook = codebook.replace(REACTION_COHORT, f"      cohort_id: {value}\n    items:")
    if not cohort_list:
        codebook = re.sub(r"  cohorts:\n(    .*\n)+", "", codebook)
        (raw / "angkatan.csv").unlink()
    (raw / "codebook.yaml").write_text(codebook, encoding="utf-8")
    with open(raw / "peserta.csv", "a", encoding="utf-8") as roster:
        roster.write(TWICE_ON_THE_ROSTER)
    (raw / "reaksi.csv").write_text(NO_COHORT_REACTION, encoding="utf-8")
    return raw


def accounted(summary, out: Path, name: str) -> dict[str, int]:
    """The manifest's row accounting of file ``name``, checked to add up."""
    assert summary.rows_read == (
        summary.rows_kept + summary.duplicates + summary.quarantined + summary.empty
    )
    per_file = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["rows"][
        "by_table_and_file"
    ]
    for entry in per_file.values():
        assert entry["rows"] == sum(v for k, v in entry.items() if k != "rows")
    (mine,) = [v for k, v in per_file.items() if k.endswith(f":{name}")]
    return mine


@pytest.mark.parametrize("cohort_list", [True, False], ids=["cohort_list", "derived"])
@pytest.mark.parametrize("value", ["{value: GANTI-KODE-ANGKATAN}", "{value: null}"])
def test_an_export_without_a_cohort_column_takes_each_row_s_cohort_from_the_roster(
    tmp_path: Path, value: str, cohort_list: bool
) -> None:
    raw = no_cohort_study(tmp_path, value, cohort_list=cohort_list)
    before = hashes(raw)
    out = tmp_path / "data" / "processed" / STUDY
    summary = clean_study(raw, out, progress=False, salt=SALT)
    assert accounted(summary, out, "reaksi.csv") == {"rows": 7, "kept": 4, "quarantined": 3}
    # no placeholder cohort: the cohorts are the study's, each form in its roster cohort
    cohorts = pd.read_parquet(out / "cohorts.parquet")["cohort_id"].tolist()
    assert cohorts == ["PP-2024-01", "PP-2024-02"]
    reaction = pd.read_parquet(out / "reaction.parquet")
    people = pd.read_parquet(out / "participants.parquet")
    assert len(reaction) == 12 and set(reaction["cohort_id"].astype(str)) <= set(cohorts)
    forms = reaction[["participant_id", "cohort_id"]].astype(str).drop_duplicates()
    roster = people[["participant_id", "cohort_id"]].astype(str)
    assert len(forms) == 4 and len(forms.merge(roster)) == 4
    assert sorted(forms["cohort_id"]) == ["PP-2024-01"] * 3 + ["PP-2024-02"]
    assert "GANTI-KODE-ANGKATAN" not in people["cohort_id"].astype(str).tolist()
    log = read_log(out)
    mine = log[log["file"] == "reaksi.csv"]
    placed = mine[mine["reason"].str.startswith("cohort_from_roster: tables.reaction maps no "
                                                "cohort column")]  # fmt: skip
    assert placed["action"].tolist() == ["repaired"] * 4
    assert placed["row"].astype(int).tolist() == [2, 3, 4, 5]
    stuck = mine[mine["action"] == "quarantined"]
    assert stuck["row"].astype(int).tolist() == [6, 7, 8]
    assert (
        stuck["reason"]
        .str.startswith(
            "no_cohort: reaksi.csv maps no cohort column (tables.reaction.columns.cohort_id) and "
        )
        .all()
    )
    assert stuck["reason"].str.split(" and ", n=1).str[1].tolist() == [
        "the participant's NIP is on the roster in 2 cohorts (PP-2024-01, PP-2024-02)",
        "the participant's NIP is on no roster row",
        "the row has no usable NIP, and its name is on no roster row",
    ]
    assert hashes(raw) == before


def test_a_row_without_a_nip_takes_its_cohort_from_the_roster_row_of_its_name(
    tmp_path: Path,
) -> None:
    raw = no_cohort_study(tmp_path, "{value: GANTI-KODE-ANGKATAN}")
    with open(raw / "reaksi.csv", "a", encoding="utf-8") as export:
        export.write(
            "19/07/2024 15:20:00,,THERESIA  BANA,Setuju,Setuju,Netral,\n"  # PP-2024-02 only
            "19/07/2024 15:25:00,,Paulus Tefa,Setuju,Setuju,Netral,\n"  # in both cohorts
            "19/07/2024 15:30:00,,,Setuju,Setuju,Netral,\n"  # neither NIP nor name
        )
    before = hashes(raw)
    out = tmp_path / "data" / "processed" / STUDY
    summary = clean_study(raw, out, progress=False, salt=SALT)
    # Theresia's form placed by name is linked to her NIP in PP-2024-02: her second form
    assert accounted(summary, out, "reaksi.csv") == {
        "rows": 10, "kept": 4, "quarantined": 5, "duplicate": 1,
    }  # fmt: skip
    log = read_log(out)
    mine = log[log["file"] == "reaksi.csv"]
    mine = mine.set_index(mine["row"].astype(int))
    placed = mine[mine["reason"].str.startswith("cohort_from_roster")]
    assert placed.loc[9, "reason"] == (
        "cohort_from_roster: tables.reaction maps no cohort column; cohort PP-2024-02 taken "
        "from the roster row of the participant's name (the row has no usable NIP)"
    )
    assert placed.loc[9, "action"] == "repaired" and 10 not in placed.index
    quarantined = mine[mine["action"] == "quarantined"]["reason"].str.split(" and ", n=1).str[1]
    assert quarantined.loc[10] == (
        "the row has no usable NIP, and its name is on the roster in 2 cohorts "
        "(PP-2024-01, PP-2024-02)"
    )
    assert quarantined.loc[11] == (
        "the row has no usable NIP or name to find the participant's cohort on the roster"
    )
    # the form placed by name is the roster participant's: one form of hers is kept
    reaction = pd.read_parquet(out / "reaction.parquet")
    people = pd.read_parquet(out / "participants.parquet")
    theresia = pseudonym("nip:199512312020122004", salt=SALT)  # her NIP on the roster
    assert theresia in set(people["participant_id"].astype(str))
    forms = reaction.loc[reaction["cohort_id"].astype(str) == "PP-2024-02", "participant_id"]
    assert set(forms.astype(str)) == {theresia}
    assert mine.loc[mine["action"] == "dropped"].index.tolist() == [5]  # her earlier form
    assert hashes(raw) == before


def test_an_export_without_a_cohort_column_through_the_command_line(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    from evalkit.cli import main

    no_cohort_study(tmp_path, "{value: GANTI-KODE-ANGKATAN}")
    monkeypatch.setenv("EVALKIT_ROOT", str(tmp_path))
    assert main(["clean", "--study", STUDY, "-q"]) == 0
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert "3 quarantined" in captured.out, captured.out


def test_an_export_none_of_whose_rows_can_be_placed_stops_naming_the_codebook_key(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    from evalkit.cli import main

    raw = no_cohort_study(tmp_path, "{value: GANTI-KODE-ANGKATAN}")
    lines = NO_COHORT_REACTION.splitlines()
    (raw / "reaksi.csv").write_text("\n".join([lines[0], *lines[5:]]) + "\n", encoding="utf-8")
    before = hashes(raw)
    monkeypatch.setenv("EVALKIT_ROOT", str(tmp_path))
    monkeypatch.chdir(tmp_path)  # run from the project root
    assert main(["clean", "--study", STUDY, "-q"]) == 2
    err = capsys.readouterr().err
    line = next(i for i, text in enumerate(
        (raw / "codebook.yaml").read_text(encoding="utf-8").splitlines(), start=1)
        if "GANTI-KODE-ANGKATAN" in text)  # fmt: skip
    assert err.startswith(
        f"evalkit clean: error: codebook data/raw/bad/codebook.yaml, line {line}, "
        "tables.reaction.columns.cohort_id: file reaksi.csv maps no cohort column, and none "
        "of its 3 rows can be placed in one of the study's 2 cohorts by the participant's NIP "
        "or name on the roster; add the export's cohort column as 'cohort_id: {from: <its header>}'"
    ), err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not (tmp_path / "data" / "processed" / STUDY / "manifest.json").exists()
    assert hashes(raw) == before


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("{value: GANTI-KODE-ANGKATAN}", "cohort_from_study"),  # placed: the only cohort
        ("{value: PP-2024-01}", None),  # a file of one cohort: as it was, nothing to log
    ],
)
def test_a_single_cohort_study_puts_every_row_of_such_an_export_in_its_cohort(
    tmp_path: Path, value: str, reason: str | None
) -> None:
    raw = no_cohort_study(tmp_path, value)
    (raw / "angkatan.csv").write_text(
        "Kode Angkatan,Nama Pelatihan,Tanggal Mulai,Tanggal Selesai,JP\n"
        "PP-2024-01,Pelayanan Prima,04/03/2024,08/03/2024,40\n", encoding="utf-8",
    )  # fmt: skip
    for name in ("peserta.csv", "nilai.csv"):  # one cohort: the second one's rows go
        text = (raw / name).read_text(encoding="utf-8")
        (raw / name).write_text(text.replace("PP-2024-02", "PP-2024-01"), encoding="utf-8")
    out = tmp_path / "data" / "processed" / STUDY
    summary = clean_study(raw, out, progress=False, salt=SALT)
    assert accounted(summary, out, "reaksi.csv") == {"rows": 7, "kept": 7}
    reaction = pd.read_parquet(out / "reaction.parquet")
    assert len(reaction) == 21 and set(reaction["cohort_id"].astype(str)) == {"PP-2024-01"}
    log = read_log(out)
    mine = log[log["file"] == "reaksi.csv"]
    codes = mine["reason"].str.split(":").str[0]
    if reason is None:
        assert not codes.str.startswith(("cohort_from", "no_cohort")).any()
    else:
        assert (codes == reason).sum() == 7 and (mine.loc[codes == reason, "action"]
                                                 == "repaired").all()  # fmt: skip


def test_the_placeholder_cleaning_recognises_is_the_one_init_writes() -> None:
    import pandas as pd

    from evalkit.data.derived_cohorts import COHORT_PLACEHOLDER
    from evalkit.data.onboard.columns import cohort_column
    from evalkit.data.onboard.draft import Draft, Proposal
    from evalkit.data.onboard.roles import Guess
    from evalkit.data.onboard.sources import Source

    guess = Guess(Source("reaksi.csv", None, 1, pd.DataFrame()))
    draft = Draft(Proposal({}), {}, {"K1", "K2"})
    assert cohort_column(draft, [guess], "tables.reaction.columns.cohort_id") == {
        "value": COHORT_PLACEHOLDER
    }


# --- SPSS value labels on score columns -----------------------------------------------
def test_spss_scores_with_value_labels_are_read_as_numbers(tmp_path: Path) -> None:
    import pyreadstat

    raw = tmp_path / "data" / "raw" / STUDY
    shutil.copytree(BAD / "base", raw)
    (raw / "nilai.csv").unlink()
    (raw / "peserta.csv").unlink()
    codebook = (raw / "codebook.yaml").read_text(encoding="utf-8")
    learning = codebook[codebook.index("  learning:") :]
    codebook = codebook.replace(
        learning,
        """\
  learning:
    files: ["nilai.sav"]
    columns:
      nip: {from: nip}
      name: {from: nama}
      cohort_id: {from: angkatan, required: true}
      pre: {from: pre_test, min: 0, max: 50}
      post: {from: post_test, min: 0, max: 50}
      max_score: {value: 50}
""",
    ).replace('files: ["peserta.csv", "peserta.xlsx"]', 'files: ["peserta.sav"]')
    start, end = codebook.index("  participants:"), codebook.index("  reaction:")
    roster = codebook[start:end]
    for header, name in (
        ("Kode Angkatan", "angkatan"),
        ("NIP", "nip"),
        ("Nama Lengkap", "nama"),
        ("L/P", "jk"),
        ("Unit Kerja", "unit"),
    ):
        roster = roster.replace(f'{{from: "{header}"', f"{{from: {name}")  # fmt: skip
    codebook = codebook[:start] + roster + codebook[end:]
    (raw / "codebook.yaml").write_text(codebook, encoding="utf-8")
    nips = ["198505122010011002", "199001012015032001", "197803152005011003",
            "199512312020122004", "198001012006041001"]  # fmt: skip
    names = ["Yohanes Fanggidae", "Maria Ndun", "Agustinus Lay", "Theresia Bana", "Paulus Tefa"]
    cohorts = ["PP-2024-01"] * 3 + ["PP-2024-02"] * 2
    pyreadstat.write_sav(
        pd.DataFrame({"angkatan": cohorts[:4], "nip": nips[:4], "nama": names[:4],
                      "jk": [1.0, 2.0, 1.0, 2.0], "unit": ["Bappeda"] * 4}),
        str(raw / "peserta.sav"),
        variable_value_labels={"jk": {1.0: "Laki-laki", 2.0: "Perempuan"}},
    )  # fmt: skip
    labels = {0.0: "tidak lulus", 50.0: "maksimal", 99.0: "tidak hadir"}
    pyreadstat.write_sav(
        pd.DataFrame({"nip": nips, "nama": names, "angkatan": cohorts,
                      "pre_test": [0.0, 20.0, 12.5, 30.0, 50.0],
                      "post_test": [50.0, 41.0, 0.0, 50.0, 99.0]}),
        str(raw / "nilai.sav"),
        variable_value_labels={"pre_test": labels, "post_test": labels},
    )  # fmt: skip
    before = hashes(raw)
    out = tmp_path / "data" / "processed" / STUDY
    summary = clean_study(raw, out, progress=False, salt=SALT)
    assert accounted(summary, out, "nilai.sav") == {"rows": 5, "kept": 4, "quarantined": 1}
    assert accounted(summary, out, "peserta.sav") == {"rows": 4, "kept": 4}
    learning = pd.read_parquet(out / "learning.parquet")
    people = pd.read_parquet(out / "participants.parquet")
    scores = learning.merge(people[["participant_id", "sex"]])
    got = sorted(zip(scores["pre"], scores["post"], scores["sex"], strict=True))
    assert got == [(0.0, 50.0, "L"), (12.5, 0.0, "L"), (20.0, 41.0, "P"), (30.0, 50.0, "P")]
    log = read_log(out)
    mine = log[log["file"] == "nilai.sav"]
    assert mine[["row", "column", "value", "action"]].values.tolist() == [
        ["6", "post_test", "99", "quarantined"]
    ]
    assert mine["reason"].iloc[0].startswith("out_of_range: ")
    assert hashes(raw) == before


def test_an_export_without_a_cohort_column_in_a_study_without_a_roster_stops(
    tmp_path: Path,
) -> None:
    raw = no_cohort_study(tmp_path, "{value: null}")
    codebook = (raw / "codebook.yaml").read_text(encoding="utf-8")
    start, end = codebook.index("  participants:"), codebook.index("  reaction:")
    (raw / "codebook.yaml").write_text(codebook[:start] + codebook[end:], encoding="utf-8")
    out = tmp_path / "data" / "processed" / STUDY
    with pytest.raises(errors.CodebookError) as info:
        clean_study(raw, out, progress=False, salt=SALT)
    message = str(info.value)
    assert "codebook.yaml, line " in message and "\n" not in message
    assert (
        "tables.reaction.columns.cohort_id: file reaksi.csv maps no cohort column, and none "
        "of its 7 rows can be placed in one of the study's 2 cohorts (the study has no roster)"
    ) in message
    assert not (out / "manifest.json").exists()
