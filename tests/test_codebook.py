"""Tests of evalkit.data.codebook: loading, validation errors and header matching."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evalkit.data import schema as S
from evalkit.data.codebook import (
    LikertSet,
    TableSpec,
    load_codebook,
    match_headers,
    norm_label,
    parse_codebook,
)
from evalkit.errors import CodebookError

BASE: dict[str, Any] = {
    "study": "mini",
    "likert": {
        "setuju5": {
            "max": 5,
            "labels": {
                "Sangat Tidak Setuju": 1,
                "Tidak Setuju": 2,
                "Netral": 3,
                "Setuju": 4,
                "Sangat Setuju": 5,
            },
        },
    },  # fmt: skip
    "values": {"delivery": {"tatap muka": "klasikal", "daring": "e-learning"}},
    "units": {"Dinas Kesehatan": ["dinkes"]},
    "impact": {"post_from": "2024-S2", "treated_units": ["Dinas Kesehatan"]},
    "tables": {
        "cohorts": {
            "files": ["angkatan.csv"],
            "columns": {
                "cohort_id": {"from": "Kode Angkatan", "required": True},
                "delivery": {"from": "Metode", "type": "category", "values": "delivery"},
            },
        },
        "reaction": {
            "files": ["reaksi_*.csv"],
            "dedupe": {"key": ["nip", "cohort_id"], "keep_latest": "submitted_at"},
            "columns": {
                "submitted_at": {"from": "Timestamp", "type": "datetime"},
                "nip": {"from": "NIP"},
                "cohort_id": {"from": "Kode Angkatan"},
            },
            "items": {
                "content_1": {"from": "Materi jelas", "dimension": "content", "likert": "setuju5"},
            },
            "comments": {"from": "Saran"},
        },
    },
}


def _with(path: tuple[str, ...], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    node = data
    for key in path[:-1]:
        node = node[key]
    if value is _DELETE:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return data


_DELETE = object()


def test_base_codebook_is_valid() -> None:
    cb = parse_codebook(BASE)
    assert cb.study == "mini"
    reaction = cb.tables["reaction"]
    assert reaction.columns["nip"].type == "nip"  # default type by column name
    assert reaction.columns["submitted_at"].type == "datetime"
    assert reaction.comments == "Saran"
    assert reaction.dedupe.key == ("nip", "cohort_id")
    assert cb.likert["setuju5"].labels["sangat setuju"] == 5
    assert cb.unit_lookup() == {"dinas kesehatan": "Dinas Kesehatan", "dinkes": "Dinas Kesehatan"}
    assert cb.impact.treated_units == ("Dinas Kesehatan",)


def test_demo_codebook_is_valid() -> None:
    path = Path(__file__).resolve().parents[1] / "evalkit" / "data" / "demo_codebook.yaml"
    assert path.is_file(), path
    cb = load_codebook(path)
    assert cb.tables["followup_self"].table == "followup"
    assert cb.tables["followup_self"].columns["rater"].value == "self"
    assert cb.tables["cohorts"].header_row == 4
    assert len(cb.sha256) == 64


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("colour",), 1, r"codebook \(top level\).colour: unknown key; allowed: study"),
        (("tables", "reaction", "columns", "cohort"), {"from": "X"},
         r"tables.reaction.columns.cohort: table 'reaction' has no column 'cohort' \(did you mean 'cohort_id'\?\)"),
        (("tables", "reaction", "columns", "submitted_at", "type"), "timestamp",
         r"tables.reaction.columns.submitted_at.type: unknown type 'timestamp'; allowed: str, int"),
        (("tables", "reaction", "columns", "nip", "type"), "str",
         r"column 'nip' must have type nip"),
        (("tables", "reaction", "columns", "nip", "value"), "1",
         r"tables.reaction.columns.nip: give exactly one of 'from'"),
        (("tables", "reaction", "columns", "nip", "requierd"), True,
         r"tables.reaction.columns.nip.requierd: unknown key \(did you mean 'required'\?\)"),
        (("tables", "reaction", "items", "content_1", "likert"), "setuju4",
         r"tables.reaction.items.content_1.likert: no Likert set 'setuju4'; defined: setuju5"),
        (("tables", "reaction", "items", "content_1", "dimension"), "materi",
         r"tables.reaction.items.content_1.dimension: got 'materi'; allowed: content, facilitator"),
        (("tables", "reaction", "items", "content_1", "reverse"), "ya",
         r"tables.reaction.items.content_1.reverse: must be true or false"),
        (("tables", "reaction", "columns", "nip"), _DELETE,
         r"tables.reaction.columns: needs a 'nip' or a 'name' column"),
        (("tables", "reaction", "columns", "cohort_id"), _DELETE,
         r"tables.reaction.columns: table 'reaction' needs a column 'cohort_id'"),
        (("tables", "reaction", "dedupe", "keep_latest"), "waktu",
         r"tables.reaction.dedupe: column 'waktu' is not among this table's columns"),
        (("tables", "reaction", "files"), [],
         r"tables.reaction.files: must be a non-empty list"),
        (("tables", "reaction", "files"), ["../other/x.csv"],
         r"tables.reaction.files: '../other/x.csv' must be relative to the study folder"),
        (("tables", "reaction", "header_row"), 0,
         r"tables.reaction.header_row: must be an integer >= 1"),
        (("tables", "surveys"), {"files": ["a.csv"]},
         r"tables.surveys: unknown output table 'surveys'"),
        (("tables", "cohorts", "items"), {"x": {"from": "X"}},
         r"tables.cohorts.items: table 'cohorts' has no items"),
        (("tables", "cohorts", "columns", "delivery", "values"), "metode",
         r"tables.cohorts.columns.delivery.values: no value map 'metode' under 'values'; defined: delivery"),
        (("values", "delivery", "luring"), "offline",
         r"tables.cohorts.columns.delivery.values: maps to \['offline'\] but column 'delivery' allows only klasikal"),
        (("likert", "setuju5", "labels", "Setuju"), 6,
         r"likert.setuju5.labels.Setuju: score must be an integer 1..5, got 6"),
        (("likert", "setuju5", "max"), 1, r"likert.setuju5.max: must be an integer from 2 to 11"),
        (("likert", "setuju5", "labels", "SETUJU"), 3,
         r"likert.setuju5.labels.SETUJU: label appears twice \(ignoring case\) with scores 4 and 3"),
        (("units", "Dinas Kesehatan"), {"a": 1}, r"units.Dinas Kesehatan: must be a list"),
        (("impact", "treated_units"), "Dinas Kesehatan", r"impact.treated_units: must be a list"),
        (("impact", "post_from"), None, r"impact.post_from: must be a non-empty text"),
        (("tables",), _DELETE, r"codebook tables: is missing"),
        (("study",), "", r"codebook study: must be a non-empty text"),
    ],
)  # fmt: skip
def test_codebook_errors_name_the_key_path(path: tuple[str, ...], value: Any, message: str) -> None:
    with pytest.raises(CodebookError, match=message):
        parse_codebook(_with(path, value))


def test_codebook_must_be_a_mapping() -> None:
    with pytest.raises(CodebookError, match="the document must be a mapping"):
        parse_codebook(["study"])


def test_load_codebook_errors(tmp_path: Path) -> None:
    with pytest.raises(CodebookError, match="does not exist"):
        load_codebook(tmp_path)
    (tmp_path / "codebook.yaml").write_text("study: [unclosed\n")
    with pytest.raises(CodebookError, match="codebook.yaml is not valid YAML"):
        load_codebook(tmp_path / "codebook.yaml")


def test_short_forms_are_accepted() -> None:
    data = _with(("tables", "reaction", "columns", "nip"), "NIP")
    data["tables"]["reaction"]["comments"] = "Saran"
    data["title"] = "Judul"
    cb = parse_codebook(data)
    assert cb.tables["reaction"].columns["nip"].source == "NIP"
    assert cb.tables["reaction"].comments == "Saran"
    assert cb.title == {"id": "Judul", "en": "Judul"}


def test_match_headers_is_case_and_space_insensitive() -> None:
    spec: TableSpec = parse_codebook(BASE).tables["reaction"]
    headers = ["timestamp", "NIP", "Kode  Angkatan", "Materi jelas", "Saran"]
    assert match_headers(spec, headers, "reaksi_1.csv")["Kode Angkatan"] == "Kode  Angkatan"


def test_missing_header_suggests_close_matches() -> None:
    spec = parse_codebook(BASE).tables["reaction"]
    headers = ["Timestamp", "N I P", "Kode Angkatan", "Materi jelas", "Saran"]
    with pytest.raises(
        CodebookError,
        match=r"tables.reaction.columns.nip.from: header 'NIP' not found in reaksi_1.csv; "
        r"did you mean 'N I P'\?",
    ):
        match_headers(spec, headers, "reaksi_1.csv")


def test_missing_header_without_close_match() -> None:
    spec = parse_codebook(BASE).tables["reaction"]
    with pytest.raises(CodebookError, match="header 'Saran' not found in r.csv; no similar header"):
        match_headers(spec, ["Timestamp", "NIP", "Kode Angkatan", "Materi jelas"], "r.csv")


@pytest.mark.parametrize(
    ("answer", "score"),
    [("Sangat Setuju", 5), ("  sangat   SETUJU ", 5), ("3", 3), ("3,0", 3), ("4 - Setuju", 4),
     ("(2) Tidak Setuju", 2), ("6", None), ("0", None), ("4 - Netral", None), ("Cukup Setuju", None),
     ("", None)],
)  # fmt: skip
def test_likert_scores(answer: str, score: int | None) -> None:
    scale = parse_codebook(BASE).likert["setuju5"]
    assert scale.score(answer) == score


@given(st.text())
def test_likert_score_never_raises(text: str) -> None:
    scale = LikertSet("s", 5, {"setuju": 4, "sangat setuju": 5})
    result = scale.score(text)
    assert result is None or 1 <= result <= 5


def test_norm_label() -> None:
    assert norm_label("\tSangat\u00a0 Setuju ") == "sangat setuju"


def test_a_missing_header_is_not_pointed_at_a_header_already_read():
    from evalkit.data.codebook import ColumnSpec, TableSpec, match_headers

    spec = TableSpec("l", "learning", ("n.csv",), columns={
        "pre": ColumnSpec("pre", "Pre-Test", "float"),
        "post": ColumnSpec("post", "Post-Test", "float")})  # fmt: skip
    with pytest.raises(
        CodebookError, match="header 'Post-Test' not found in n.csv; did you mean 'Post-Tes'"
    ):
        match_headers(spec, ["Pre-Test", "Post-Tes"], "n.csv")
    with pytest.raises(CodebookError, match="'Post-Test' not found in n.csv; no similar header"):
        match_headers(spec, ["Pre-Test", "Skor"], "n.csv")
    with pytest.raises(CodebookError, match="no similar header"):
        match_headers(spec, ["Pre-Test", "Skor"], "n.csv", taken=["Skor"])


# --- the codebook validates against the one schema ----------------------------------
def test_the_codebook_and_the_schema_cannot_disagree() -> None:
    """Every table and column a codebook may map is a processed one, and vice versa."""
    mapped, derived_tables = set(S.TABLE_COLUMNS), set(S.DERIVED_TABLES)
    assert mapped | derived_tables == set(S.OUTPUT_COLUMNS) and not mapped & derived_tables
    for table, accepted in S.TABLE_COLUMNS.items():
        read_only = set(S.READ_ONLY_COLUMNS.get(table, ()))
        derived = set(S.DERIVED_COLUMNS.get(table, ()))
        assert len(set(accepted)) == len(accepted), table
        assert read_only <= set(accepted) and derived <= set(S.OUTPUT_COLUMNS[table]), table
        # what the codebook maps reaches the table, and the table holds nothing else
        assert set(accepted) - read_only == set(S.OUTPUT_COLUMNS[table]) - derived, table
        assert set(S.TABLE_REQUIRED[table]) <= set(accepted), table
    assert set(S.TABLE_REQUIRED) == mapped
    assert set(S.READ_ONLY_COLUMNS) <= mapped and set(S.DERIVED_COLUMNS) <= mapped
    for table, key in S.TABLE_KEYS.items():
        assert set(key) <= set(S.OUTPUT_COLUMNS[table]), table
    for table, order in S.SORT_KEYS.items():
        assert set(order) <= set(S.OUTPUT_COLUMNS[table]), table
    tables = (*S.PERSON_TABLES, *S.OPTIONAL_PERSON_TABLES, *S.ITEM_TABLES, *S.LONG_TABLES)
    assert set(tables) <= mapped and set(S.LIKERT_ITEM_TABLES) <= set(S.ITEM_TABLES)
    every_column = {c for columns in S.TABLE_COLUMNS.values() for c in columns}
    assert set(S.DEFAULT_TYPES) | set(S.FIXED_TYPES) | set(S.VOCABULARIES) <= every_column
    assert set(S.DEFAULT_MIN) <= every_column
    assert set(S.DEFAULT_TYPES.values()) | set(S.FIXED_TYPES.values()) <= set(S.COLUMN_TYPES)
    assert all(S.DEFAULT_TYPES.get(c) == t for c, t in S.FIXED_TYPES.items())


def _every_column(table: str, extra: str | None = None) -> dict[str, Any]:
    names = [*S.TABLE_COLUMNS[table], *([extra] if extra else [])]
    return {"study": "s", "tables": {table: {"files": ["a.csv"], "columns": {
        name: {"from": f"Header {name}"} for name in names}}}}  # fmt: skip


@pytest.mark.parametrize("table", sorted(S.TABLE_COLUMNS))
def test_the_codebook_accepts_exactly_the_columns_of_the_schema(table: str) -> None:
    cb = parse_codebook(_every_column(table))
    assert list(cb.tables[table].columns) == list(S.TABLE_COLUMNS[table])
    # a column cleaning derives, or one no table has, is refused
    for name in (*S.DERIVED_COLUMNS.get(table, ()), "not_a_column"):
        assert name not in S.TABLE_COLUMNS[table]
        with pytest.raises(CodebookError, match=f"table '{table}' has no column '{name}'"):
            parse_codebook(_every_column(table, name))


@pytest.mark.parametrize(
    ("answer", "score"),
    [
        ("0", None),  # a 0-coded answer is outside 1..max, never a score
        ("1", 1),
        ("4", 4),
        ("5", None),
        ("4,0", 4),
        ("0 - Setuju", None),  # the number must be the label's
        ("1 - Setuju", None),
        ("3 - Setuju", 3),
        ("(4) Sangat Setuju", 4),
    ],
)
def test_likert_score_edges(answer, score):
    scale = LikertSet("s4", 4, {"setuju": 3, "sangat setuju": 4})
    assert scale.score(answer) == score
