"""Tests of evalkit.data.pseudonym: salted participant ids and the salt file."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pandas as pd
import pytest

from evalkit.data.pseudonym import (
    SALT_FILE,
    load_salt,
    normalize_name,
    participant_ids,
    pseudonym,
    salt_path,
)
from evalkit.errors import ParameterError

ID = re.compile(r"^P[0-9A-F]{10}$")


def test_pseudonym_format_is_stable_and_salted() -> None:
    a = pseudonym("nip:198505122010011002", salt=b"one")
    assert ID.match(a)
    assert a == pseudonym("nip:198505122010011002", salt=b"one")
    assert a != pseudonym("nip:198505122010011002", salt=b"two")
    assert a != pseudonym("nip:198505122010011003", salt=b"one")


def test_empty_salt_is_refused() -> None:
    with pytest.raises(ParameterError, match="parameter 'salt' must be non-empty"):
        pseudonym("x", salt=b"")


def test_salt_is_created_once_with_mode_0600(tmp_path: Path) -> None:
    salt = load_salt(tmp_path)
    path = tmp_path / SALT_FILE
    assert path.is_file() and len(salt) == 64
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_salt(tmp_path) == salt


def test_salt_root_defaults_to_the_project_root(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("EVALKIT_ROOT", str(tmp_path))
    assert salt_path() == tmp_path / SALT_FILE
    load_salt()
    assert (tmp_path / SALT_FILE).is_file()


def test_missing_salt_without_create_raises(tmp_path: Path) -> None:
    with pytest.raises(ParameterError, match="does not exist"):
        load_salt(tmp_path, create=False)


def test_empty_salt_file_raises(tmp_path: Path) -> None:
    (tmp_path / SALT_FILE).write_text("\n")
    with pytest.raises(ParameterError, match="is empty"):
        load_salt(tmp_path)


def test_salt_file_is_git_ignored() -> None:
    root = Path(__file__).resolve().parents[1]
    assert SALT_FILE in (root / ".gitignore").read_text().split()


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Drs. Yohanes Fanggidae, M.Si", "yohanes fanggidae"),
        ("  MARIA   NDUN ", "Maria Ndun"),
        ("Hj. Siti Aminah, S.E.", "siti aminah"),
        ("dr. Bernadus  Lay", "Bernadus Lay"),
    ],
)
def test_name_normalisation(a: str, b: str) -> None:
    assert normalize_name(a) == normalize_name(b)


def test_normalize_name_of_nothing() -> None:
    assert normalize_name(None) is None
    assert normalize_name("  ,  ") is None
    assert normalize_name(float("nan")) is None


def test_participant_ids_fall_back_to_name_and_cohort() -> None:
    nips = pd.Series(["198505122010011002", None, None, None])
    names = pd.Series(["Whoever", "Maria Ndun", "maria  ndun", None])
    cohorts = pd.Series(["C1", "C1", "C2", "C1"])
    ids = participant_ids(nips, names, cohorts, salt=b"s")
    assert ids[0] == pseudonym("nip:198505122010011002", salt=b"s")
    assert ID.match(ids[1]) and ID.match(ids[2])
    assert ids[1] != ids[2]  # the same name in another cohort is another key
    assert ids[3] is None
