"""``evalkit clean`` leaves a study alone when nothing it reads has changed.

Cleaning reads a study's files together (the roster decides who is who in every other
file), so a study is cleaned whole or not at all. It is skipped, with one line saying so,
when its processed data passes the manifest check and was cleaned from the raw files,
codebook and cleaning code there are now; any change (a file's bytes, a new file the
codebook's globs match, the codebook, the cleaning code, a damaged table) cleans it again,
and ``--force`` always does.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evalkit.cli import main
from evalkit.data.freshness import clean_reason

CODEBOOK = """study: mini
tables:
  costs:
    files: ["biaya*.csv"]
    columns:
      cohort_id: {from: Angkatan}
      category: {from: Komponen}
      amount_idr: {from: Jumlah, min: 0}
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "p"
    raw = root / "data" / "raw" / "mini"
    raw.mkdir(parents=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'scratch'\n")
    (raw / "codebook.yaml").write_text(CODEBOOK)
    (raw / "biaya_1.csv").write_text("Angkatan;Komponen;Jumlah\nA1;konsumsi;1.250.000\n")
    (root / ".evalkit_salt").write_bytes(b"0123456789abcdef0123456789abcdef")
    monkeypatch.setenv("EVALKIT_ROOT", str(root))
    return root


def _clean(capsys, *extra: str) -> str:
    assert main(["clean", "--study", "mini", "-q", *extra]) == 0
    return capsys.readouterr().out


UP_TO_DATE = (
    "mini: up to date (data/processed/mini was cleaned from these raw files, codebook and "
    "cleaning code; --force cleans it again)\n"
)


def test_a_second_clean_of_an_unchanged_study_says_it_is_up_to_date(project, capsys):
    assert clean_reason(project, "mini") == "data/processed/mini has not been cleaned yet"
    first = _clean(capsys)
    assert first != UP_TO_DATE and "costs" in first
    manifest = project / "data" / "processed" / "mini" / "manifest.json"
    written = manifest.stat().st_mtime_ns
    assert clean_reason(project, "mini") is None
    assert _clean(capsys) == UP_TO_DATE
    assert manifest.stat().st_mtime_ns == written  # nothing rewritten
    forced = _clean(capsys, "--force")
    assert forced != UP_TO_DATE and manifest.stat().st_mtime_ns != written


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ("edit", "raw data changed since cleaning (biaya_1.csv)"),
        ("new_file", "new raw file(s) since cleaning (biaya_2.csv)"),
        ("codebook", "raw data changed since cleaning (codebook.yaml)"),
        ("code", "evalkit's cleaning code changed since cleaning"),
        ("damaged", "costs.parquet"),
    ],
)
def test_any_change_cleans_the_study_again(project, capsys, change, reason):
    _clean(capsys)
    raw = project / "data" / "raw" / "mini"
    processed = project / "data" / "processed" / "mini"
    if change == "edit":
        (raw / "biaya_1.csv").write_text("Angkatan;Komponen;Jumlah\nA1;konsumsi;1.500.000\n")
    elif change == "new_file":
        (raw / "biaya_2.csv").write_text("Angkatan;Komponen;Jumlah\nA2;ATK;200.000\n")
    elif change == "codebook":
        (raw / "codebook.yaml").write_text(CODEBOOK.replace("min: 0", "min: 1"))
    elif change == "code":  # as if cleaned by another version of the cleaning code
        manifest = json.loads((processed / "manifest.json").read_text())
        manifest["cleaning_code"] = "0" * 64
        (processed / "manifest.json").write_text(json.dumps(manifest))
    else:
        (processed / "costs.parquet").write_bytes(b"not parquet")
    assert reason in clean_reason(project, "mini")
    out = _clean(capsys)
    assert out != UP_TO_DATE and "costs" in out
    assert clean_reason(project, "mini") is None
    if change == "new_file":
        manifest = json.loads((processed / "manifest.json").read_text())
        assert [e["file"] for e in manifest["inputs"]] == ["biaya_1.csv", "biaya_2.csv"]
