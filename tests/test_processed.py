"""Tests of evalkit.data.processed: loading a processed study and checking its manifest."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from evalkit.data.processed import check_processed, load_study
from evalkit.errors import DataError
from evalkit.io.atomic import sha256, write_csv, write_json, write_parquet


def _processed(tmp_path: Path) -> Path:
    folder = tmp_path / "processed"
    path = write_parquet(pd.DataFrame({"cohort_id": ["C1"]}), folder / "cohorts.parquet")
    write_csv(pd.DataFrame({"file": []}), folder / "quality_log.csv")
    write_json(
        {"outputs": {"cohorts": {"file": path.name, "sha256": sha256(path), "rows": 1}}},
        folder / "manifest.json",
    )
    return folder


def test_load_study_checks_the_manifest(tmp_path: Path) -> None:
    folder = _processed(tmp_path)
    tables = load_study(folder)
    assert list(tables) == ["cohorts"]
    assert tables["cohorts"]["cohort_id"].tolist() == ["C1"]


def test_load_study_refuses_a_changed_table(tmp_path: Path) -> None:
    folder = _processed(tmp_path)
    write_parquet(pd.DataFrame({"cohort_id": ["C2"]}), folder / "cohorts.parquet")
    with pytest.raises(DataError, match="table 'cohorts' differs from the manifest"):
        load_study(folder)
    assert load_study(folder, verify=False)["cohorts"]["cohort_id"].tolist() == ["C2"]


def test_load_study_refuses_a_missing_table(tmp_path: Path) -> None:
    folder = _processed(tmp_path)
    (folder / "cohorts.parquet").unlink()
    with pytest.raises(DataError, match="table 'cohorts' is missing"):
        check_processed(folder)


def test_load_study_errors(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="processed folder does not exist"):
        load_study(tmp_path / "nope")
    with pytest.raises(DataError, match="no manifest.json"):
        load_study(tmp_path)
    with pytest.raises(DataError, match=r"no processed table \(\*.parquet\)"):
        load_study(tmp_path, verify=False)
    (tmp_path / "manifest.json").write_text("{not json")
    with pytest.raises(DataError, match="manifest is not valid JSON"):
        check_processed(tmp_path)
