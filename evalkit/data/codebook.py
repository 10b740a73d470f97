"""The study codebook: how raw export headers and labels map to the data model.

A codebook is a YAML file (``data/raw/<study>/codebook.yaml``, format in
``docs/data-model.md``) that names, for each processed table, the raw files to
read, which raw header feeds which output column and with which type and rules,
the Likert label sets, value maps, canonical unit names and the impact design.
:func:`load_codebook` validates it completely before any data is read, and every
problem is a :class:`~evalkit.errors.CodebookError` naming the key path (for
example ``tables.reaction.items.content_1.likert``), what was given and what is
allowed. :func:`match_headers` checks a raw file's headers against a table and
suggests close matches for a header that is missing.

The codebook is the first step of cleaning (:func:`evalkit.data.clean.clean_study`
loads it before reading any export). What it may map (tables, columns, types,
required columns, vocabularies) is not defined here but in :mod:`evalkit.data.schema`,
the one description of the processed tables.

Examples
--------
>>> cb = parse_codebook({
...     "study": "mini",
...     "likert": {"setuju4": {"max": 4, "labels": {"Setuju": 3, "Sangat Setuju": 4,
...                "Tidak Setuju": 2, "Sangat Tidak Setuju": 1}}},
...     "tables": {"reaction": {"files": ["r.csv"], "columns": {
...         "cohort_id": {"from": "Angkatan"}, "nip": {"from": "NIP"}},
...         "items": {"content_1": {"from": "Materi jelas", "dimension": "content",
...                                 "likert": "setuju4"}}}}})
>>> cb.likert["setuju4"].score(" sangat setuju ")
4
>>> cb.tables["reaction"].columns["nip"].type
'nip'
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evalkit import constants as C
from evalkit.data.codebook_blocks import FACILITATOR_TABLE, expand_blocks
from evalkit.data.schema import (
    COLUMN_TYPES,
    DEFAULT_MIN,
    DEFAULT_TYPES,
    FIXED_TYPES,
    ITEM_TABLES,
    LIKERT_ITEM_TABLES,
    PERSON_TABLES,
    RETRO_ITEM_SUFFIXES,
    TABLE_COLUMNS,
    TABLE_REQUIRED,
    VOCABULARIES,
)
from evalkit.errors import CodebookError

_TOP_KEYS = ("study", "title", "description", "likert", "values", "units", "impact", "tables",
             "name_facilitators")  # fmt: skip


_TABLE_KEYS = ("table", "files", "sheet", "header_row", "columns", "items", "comments", "dedupe")


_COLUMN_KEYS = ("from", "type", "required", "min", "max", "values", "likert", "value")


_ITEM_KEYS = ("from", "dimension", "likert", "reverse", "text", "key", "max", "type")


_SPACE = re.compile(r"\s+")


def norm_label(text: object) -> str:
    """Normalise a label for matching: case-folded, spaces collapsed and stripped.

    Examples
    --------
    >>> norm_label("  Sangat   SETUJU ")
    'sangat setuju'
    """
    return _SPACE.sub(" ", str(text)).strip().casefold()


def _fail(path: str, message: str) -> CodebookError:
    err = CodebookError(f"codebook {path}: {message}")
    err.key_path, err.detail = path, message  # load_codebook adds the file and line
    return err


def _key_lines(text: str) -> dict[str, int]:
    """Dotted key path (``tables.reaction.files``) -> its 1-based line in the YAML text."""
    import yaml

    lines: dict[str, int] = {}

    def walk(node: Any, prefix: str) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                name = f"{prefix}.{key.value}" if prefix else str(key.value)
                lines.setdefault(name, key.start_mark.line + 1)
                walk(value, name)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                name = f"{prefix}[{i}]"
                lines.setdefault(name, item.start_mark.line + 1)
                walk(item, name)

    try:
        walk(yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)), "")
    except yaml.YAMLError:  # pragma: no cover - the text was already loaded
        pass
    return lines


def _line_of(key_path: str, lines: dict[str, int]) -> int | None:
    """The line of ``key_path`` or of its nearest parent that is in the file."""
    path = key_path
    while path:
        if path in lines:
            return lines[path]
        shorter = re.sub(r"(\.[^.\[]*|\[\d+\])$", "", path)
        if shorter == path:
            return None
        path = shorter
    return None


def _display(path: Path) -> str:
    """``path`` relative to the current folder when inside it (``data/raw/demo/codebook.yaml``)."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


# --- dataclasses --------------------------------------------------------------------
@dataclass(frozen=True)
class LikertSet:
    """A set of answer labels with their scores 1..max."""

    name: str
    max: int
    labels: Mapping[str, int]

    def score(self, value: object) -> int | None:
        """Score of one answer: a label (case/space-insensitive) or a number 1..max.

        Returns None if the answer is neither. ``"4 - Setuju"`` style answers are
        accepted when the number and the label agree.

        Examples
        --------
        >>> s = LikertSet("b4", 4, {"baik": 3, "sangat baik": 4})
        >>> s.score("Sangat Baik"), s.score("3"), s.score("5"), s.score("bagus")
        (4, 3, None, None)
        """
        text = norm_label(value)
        if text in self.labels:
            return self.labels[text]
        number = re.fullmatch(r"(\d+)(?:[.,]0+)?", text)
        if number:
            n = int(number.group(1))
            return n if 1 <= n <= self.max else None
        prefixed = re.fullmatch(r"\(?(\d+)\)?\s*[-.=:)]\s*(.+)", text)
        if prefixed:
            n, label = int(prefixed.group(1)), prefixed.group(2).strip()
            if self.labels.get(label) == n and 1 <= n <= self.max:
                return n
        return None


@dataclass(frozen=True)
class ColumnSpec:
    """How one output column is read from a raw header (or set to a constant)."""

    name: str
    source: str | None
    type: str
    required: bool = False
    min: float | None = None
    max: float | None = None
    values: Mapping[str, str] | None = None
    likert: str | None = None
    value: Any = None


@dataclass(frozen=True)
class ItemSpec:
    """One questionnaire or test item read from a raw header."""

    name: str
    source: str
    likert: str | None = None
    dimension: str | None = None
    reverse: bool = False
    text: str | None = None
    key: str | None = None
    max: float | None = None


@dataclass(frozen=True)
class DedupeSpec:
    """Duplicate submissions: rows sharing ``key``; the latest by ``keep_latest`` stays."""

    key: tuple[str, ...]
    keep_latest: str | None = None


@dataclass(frozen=True)
class TableSpec:
    """One entry of ``tables``: the raw files and mapping of one output table."""

    key: str
    table: str
    files: tuple[str, ...]
    sheet: str | None = None
    header_row: int = 1
    columns: Mapping[str, ColumnSpec] = field(default_factory=dict)
    items: Mapping[str, ItemSpec] = field(default_factory=dict)
    comments: str | None = None
    dedupe: DedupeSpec | None = None

    def sources(self) -> dict[str, str]:
        """Raw header -> codebook key path of every header this table reads.

        Examples
        --------
        >>> t = TableSpec("x", "costs", ("c.csv",), columns={
        ...     "category": ColumnSpec("category", "Kategori", "str")})
        >>> t.sources()
        {'Kategori': 'tables.x.columns.category.from'}
        """
        out: dict[str, str] = {}
        for col in self.columns.values():
            if col.source is not None:
                out.setdefault(col.source, f"tables.{self.key}.columns.{col.name}.from")
        for item in self.items.values():
            out.setdefault(item.source, f"tables.{self.key}.items.{item.name}.from")
        if self.comments is not None:
            out.setdefault(self.comments, f"tables.{self.key}.comments.from")
        return out


@dataclass(frozen=True)
class ImpactSpec:
    """Level 4 design: first post-intervention period and the treated units."""

    post_from: str
    treated_units: tuple[str, ...]


@dataclass(frozen=True)
class Codebook:
    """A validated codebook."""

    study: str
    title: Mapping[str, str]
    likert: Mapping[str, LikertSet]
    values: Mapping[str, Mapping[str, str]]
    units: Mapping[str, tuple[str, ...]]
    impact: ImpactSpec | None
    tables: Mapping[str, TableSpec]
    path: Path | None = None
    sha256: str | None = None
    #: Whether reports may name facilitators (``name_facilitators: true``); else pseudonyms.
    name_facilitators: bool = False

    def unit_lookup(self) -> dict[str, str]:
        """Normalised unit name or variant -> canonical unit name.

        Examples
        --------
        >>> cb = parse_codebook({"study": "s", "tables": {}, "units": {
        ...     "Dinas Kesehatan": ["dinkes"]}})
        >>> cb.unit_lookup()["dinkes"]
        'Dinas Kesehatan'
        """
        lookup: dict[str, str] = {}
        for canonical, variants in self.units.items():
            lookup[norm_label(canonical)] = canonical
            for variant in variants:
                lookup.setdefault(norm_label(variant), canonical)
        return lookup


# --- parsing and validation ---------------------------------------------------------
def _mapping(obj: Any, path: str, what: str) -> Mapping[str, Any]:
    if obj is None:
        return {}
    if not isinstance(obj, Mapping):
        raise _fail(path, f"must be a mapping of {what}, got {type(obj).__name__} {obj!r:.60}")
    return obj


def _check_keys(obj: Mapping[str, Any], allowed: tuple[str, ...], path: str) -> None:
    for key in obj:
        if key not in allowed:
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise _fail(f"{path}.{key}", f"unknown key{hint}; allowed: {', '.join(allowed)}")


def _number(obj: Any, path: str) -> float | None:
    if obj is None:
        return None
    if isinstance(obj, bool) or not isinstance(obj, (int, float)):
        raise _fail(path, f"must be a number, got {obj!r}")
    return float(obj)


def _bool(obj: Any, path: str) -> bool:
    if obj is None:
        return False
    if not isinstance(obj, bool):
        raise _fail(path, f"must be true or false, got {obj!r}")
    return obj


def _text(obj: Any, path: str, *, optional: bool = False) -> str | None:
    if obj is None and optional:
        return None
    if isinstance(obj, bool) or not isinstance(obj, (str, int, float)) or str(obj).strip() == "":
        raise _fail(path, f"must be a non-empty text, got {obj!r}")
    return str(obj)


def _parse_likert(raw: Any) -> dict[str, LikertSet]:
    out: dict[str, LikertSet] = {}
    for name, spec in _mapping(raw, "likert", "label sets").items():
        path = f"likert.{name}"
        spec = _mapping(spec, path, "max and labels")
        _check_keys(spec, ("max", "labels"), path)
        top = spec.get("max")
        if isinstance(top, bool) or not isinstance(top, int) or not 2 <= top <= 11:
            raise _fail(f"{path}.max", f"must be an integer from 2 to 11, got {top!r}")
        labels: dict[str, int] = {}
        raw_labels = _mapping(spec.get("labels"), f"{path}.labels", "label: score")
        if not raw_labels:
            raise _fail(f"{path}.labels", "must list at least one label: score")
        for label, score in raw_labels.items():
            if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= top:
                raise _fail(
                    f"{path}.labels.{label}", f"score must be an integer 1..{top}, got {score!r}"
                )
            key = norm_label(label)
            if key in labels and labels[key] != score:
                raise _fail(
                    f"{path}.labels.{label}",
                    f"label appears twice (ignoring case) with scores {labels[key]} and {score}",
                )
            labels[key] = score
        out[str(name)] = LikertSet(str(name), top, labels)
    return out


def _parse_values(raw: Any) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for name, mapping in _mapping(raw, "values", "value maps").items():
        path = f"values.{name}"
        out[str(name)] = {
            norm_label(k): str(v) for k, v in _mapping(mapping, path, "raw: canonical").items()
        }
    return out


def _parse_units(raw: Any) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for canonical, variants in _mapping(raw, "units", "canonical: [variants]").items():
        path = f"units.{canonical}"
        if variants is None:
            variants = []
        if isinstance(variants, str):
            variants = [variants]
        if not isinstance(variants, list):
            raise _fail(path, f"must be a list of variant names, got {variants!r:.60}")
        out[str(canonical)] = tuple(str(v) for v in variants)
    return out


def _column(
    table: str, key: str, name: str, spec: Any, values: Mapping[str, Mapping[str, str]],
    likert: Mapping[str, LikertSet],
) -> ColumnSpec:  # fmt: skip
    """Validate one entry of ``tables.<key>.columns``: name, source, type and rules."""
    path = f"tables.{key}.columns.{name}"
    _check_column_name(table, name, path)
    if isinstance(spec, str):
        spec = {"from": spec}
    spec = _mapping(spec, path, "column options")
    _check_keys(spec, _COLUMN_KEYS, path)
    if ("from" in spec) == ("value" in spec):
        raise _fail(path, "give exactly one of 'from' (a raw header) or 'value' (a constant)")
    source = _text(spec["from"], f"{path}.from") if "from" in spec else None
    ctype = _column_type(name, spec, path)
    value_map = _value_map(name, ctype, spec.get("values"), values, f"{path}.values")
    likert_name = spec.get("likert")
    if ctype == "likert" or likert_name is not None:
        if likert_name not in likert:
            raise _fail(
                f"{path}.likert",
                f"no Likert set {likert_name!r}; defined: {', '.join(likert) or 'none'}",
            )
        ctype = "likert"
    return ColumnSpec(
        name=name,
        source=source,
        type=str(ctype),
        required=_bool(spec.get("required"), f"{path}.required"),
        min=_number(spec.get("min"), f"{path}.min") if "min" in spec else DEFAULT_MIN.get(name),
        max=_number(spec.get("max"), f"{path}.max"),
        values=value_map,
        likert=likert_name,
        value=spec.get("value"),
    )


def _check_column_name(table: str, name: str, path: str) -> None:
    """The column must be one the table accepts (:data:`TABLE_COLUMNS`)."""
    allowed = TABLE_COLUMNS[table]
    if name not in allowed:
        close = difflib.get_close_matches(name, allowed, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise _fail(
            path, f"table {table!r} has no column {name!r}{hint}; allowed: {', '.join(allowed)}"
        )


def _column_type(name: str, spec: Mapping[str, Any], path: str) -> str:
    """The column's type: given, else its default; checked against the schema."""
    ctype = spec.get("type") or DEFAULT_TYPES.get(name, "str")
    if ctype not in COLUMN_TYPES:
        raise _fail(f"{path}.type", f"unknown type {ctype!r}; allowed: {', '.join(COLUMN_TYPES)}")
    if name in FIXED_TYPES and ctype != FIXED_TYPES[name]:
        raise _fail(
            f"{path}.type", f"column {name!r} must have type {FIXED_TYPES[name]}, got {ctype!r}"
        )
    if ctype == "share" and "value" in spec:
        constant = spec["value"]
        if (
            isinstance(constant, bool)
            or not isinstance(constant, (int, float))
            or not (0 <= constant <= 1)
        ):
            raise _fail(
                f"{path}.value", f"a share constant must be a number 0..1, got {constant!r}"
            )
    return ctype


def _value_map(
    name: str, ctype: str, raw_values: Any, values: Mapping[str, Mapping[str, str]], path: str
) -> Mapping[str, str] | None:
    """A column's ``values``: a named map under ``values`` or one given inline."""
    value_map: Mapping[str, str] | None = None
    if isinstance(raw_values, str):
        if raw_values not in values:
            raise _fail(
                path,
                f"no value map {raw_values!r} under 'values'; defined: {', '.join(values) or 'none'}",
            )
        value_map = values[raw_values]
    elif raw_values is not None:
        value_map = {
            norm_label(k): str(v) for k, v in _mapping(raw_values, path, "raw: canonical").items()
        }
    if ctype == "category" and value_map is None and name not in VOCABULARIES:
        raise _fail(path, "a category column needs 'values' (a value map name)")
    if name in VOCABULARIES and value_map is not None:
        bad = sorted(set(value_map.values()) - set(VOCABULARIES[name]))
        if bad:
            raise _fail(
                path,
                f"maps to {bad} but column {name!r} allows only {', '.join(VOCABULARIES[name])}",
            )
    return value_map


def _item(table: str, key: str, name: str, spec: Any, likert: Mapping[str, LikertSet]) -> ItemSpec:
    path = f"tables.{key}.items.{name}"
    if isinstance(spec, str):
        spec = {"from": spec}
    spec = _mapping(spec, path, "item options")
    _check_keys(spec, _ITEM_KEYS, path)
    source = str(_text(spec.get("from"), f"{path}.from"))
    likert_name = spec.get("likert")
    dimension = spec.get("dimension")
    if table in LIKERT_ITEM_TABLES:
        if likert_name is None and table != "ikm":
            raise _fail(
                f"{path}.likert",
                f"a {table} item needs a Likert set; defined: {', '.join(likert) or 'none'}",
            )
        if likert_name is not None and likert_name not in likert:
            raise _fail(
                f"{path}.likert",
                f"no Likert set {likert_name!r}; defined: {', '.join(likert) or 'none'}",
            )
    if table == "reaction" and dimension not in C.REACTION_DIMENSIONS:
        raise _fail(
            f"{path}.dimension",
            f"got {dimension!r}; allowed: {', '.join(C.REACTION_DIMENSIONS)}",
        )
    if table == "ikm" and name not in C.IKM_ELEMENTS:
        raise _fail(path, f"IKM items must be named {', '.join(C.IKM_ELEMENTS)}")
    if table == "retrospective" and not name.endswith(tuple(RETRO_ITEM_SUFFIXES)):
        raise _fail(path, "retrospective items are named <item>_sebelum / <item>_sesudah "
                          f"(or _before / _now), got {name!r}")  # fmt: skip
    return ItemSpec(
        name=name,
        source=source,
        likert=likert_name,
        dimension=None if dimension is None else str(dimension),
        reverse=_bool(spec.get("reverse"), f"{path}.reverse"),
        text=_text(spec.get("text"), f"{path}.text", optional=True),
        key=None if spec.get("key") is None else str(spec["key"]),
        max=_number(spec.get("max"), f"{path}.max"),
    )  # fmt: skip


def _table(
    key: str, spec: Any, values: Mapping[str, Mapping[str, str]], likert: Mapping[str, LikertSet]
) -> TableSpec:
    """Validate one entry of ``tables``: its processed table, files, columns and items."""
    path = f"tables.{key}"
    spec = _mapping(spec, path, "table options")
    _check_keys(spec, _TABLE_KEYS, path)
    table = str(spec.get("table") or key)
    if table not in TABLE_COLUMNS:
        raise _fail(
            f"{path}.table" if "table" in spec else path,
            f"unknown output table {table!r}; allowed: {', '.join(TABLE_COLUMNS)} "
            "(a table entry with another name needs 'table: <one of these>')",
        )
    files = _files(spec.get("files"), f"{path}.files")
    header_row = spec.get("header_row", 1)
    if isinstance(header_row, bool) or not isinstance(header_row, int) or header_row < 1:
        raise _fail(f"{path}.header_row", f"must be an integer >= 1, got {header_row!r}")
    columns = {
        str(n): _column(table, key, str(n), s, values, likert)
        for n, s in _mapping(spec.get("columns"), f"{path}.columns", "output columns").items()
    }
    items = {
        str(n): _item(table, key, str(n), s, likert)
        for n, s in _mapping(spec.get("items"), f"{path}.items", "items").items()
    }
    if items and table not in ITEM_TABLES:
        raise _fail(
            f"{path}.items", f"table {table!r} has no items; only {', '.join(ITEM_TABLES)} do"
        )
    comments = spec.get("comments")
    if isinstance(comments, Mapping):
        _check_keys(comments, ("from",), f"{path}.comments")
        comments = comments.get("from")
    comments = _text(comments, f"{path}.comments.from", optional=True)
    for needed in TABLE_REQUIRED[table]:
        if needed not in columns and not (table == "ikm" and needed in items):
            raise _fail(f"{path}.columns", f"table {table!r} needs a column {needed!r}")
    anonymous_ok = table == FACILITATOR_TABLE  # anonymous forms: one rater key per row
    if (
        table in PERSON_TABLES
        and "nip" not in columns
        and "name" not in columns
        and not anonymous_ok
    ):
        raise _fail(f"{path}.columns", "needs a 'nip' or a 'name' column to identify participants")
    dedupe = None
    if spec.get("dedupe") is not None:
        dedupe = _dedupe(spec["dedupe"], columns, f"{path}.dedupe")
    return TableSpec(
        key=key,
        table=table,
        files=tuple(files),
        sheet=None if spec.get("sheet") is None else str(spec["sheet"]),
        header_row=header_row,
        columns=columns,
        items=items,
        comments=comments,
        dedupe=dedupe,
    )


def _files(files: Any, path: str) -> list[str]:
    """A table's ``files``: file names or globs, relative to the study folder."""
    if isinstance(files, str):
        files = [files]
    if not isinstance(files, list) or not files or not all(isinstance(f, str) for f in files):
        raise _fail(path, f"must be a non-empty list of file names or globs, got {files!r}")
    for pattern in files:
        if Path(pattern).is_absolute() or ".." in Path(pattern).parts:
            raise _fail(path, f"{pattern!r} must be relative to the study folder")
    return files


def _dedupe(spec: Any, columns: Mapping[str, ColumnSpec], path: str) -> DedupeSpec:
    """A table's ``dedupe``: key columns and the column whose latest value wins."""
    raw = _mapping(spec, path, "key and keep_latest")
    _check_keys(raw, ("key", "keep_latest"), path)
    dkey = raw.get("key")
    if isinstance(dkey, str):
        dkey = [dkey]
    if not isinstance(dkey, list) or not dkey:
        raise _fail(f"{path}.key", f"must be a list of column names, got {dkey!r}")
    for col in [*dkey, raw.get("keep_latest")]:
        if col is not None and col not in columns:
            raise _fail(
                path, f"column {col!r} is not among this table's columns ({', '.join(columns)})"
            )
    return DedupeSpec(tuple(str(c) for c in dkey), raw.get("keep_latest"))


def parse_codebook(data: Any, *, path: Path | None = None, digest: str | None = None) -> Codebook:
    """Validate a codebook given as parsed YAML (a mapping).

    Parameters
    ----------
    data : mapping
        The parsed YAML document.
    path : Path, optional
        Where it came from (kept on the result).
    digest : str, optional
        SHA-256 of the file (kept on the result).

    Returns
    -------
    Codebook

    Raises
    ------
    CodebookError
        Naming the key path of the first problem and what is allowed.

    Examples
    --------
    >>> parse_codebook({"study": "s", "tables": {"surveys": {"files": ["a.csv"]}}})
    Traceback (most recent call last):
    ...
    evalkit.errors.CodebookError: codebook tables.surveys: unknown output table 'surveys'; ...
    """
    if not isinstance(data, Mapping):
        raise CodebookError(
            f"codebook: the document must be a mapping with keys {', '.join(_TOP_KEYS)}, "
            f"got {type(data).__name__}"
        )
    _check_keys(data, _TOP_KEYS, "(top level)")
    study = _text(data.get("study"), "study")
    title = data.get("title") or {}
    if isinstance(title, str):
        title = {"id": title, "en": title}
    title = {str(k): str(v) for k, v in _mapping(title, "title", "language: text").items()}
    likert = _parse_likert(data.get("likert"))
    values = _parse_values(data.get("values"))
    units = _parse_units(data.get("units"))
    impact = None
    if data.get("impact") is not None:
        raw = _mapping(data["impact"], "impact", "post_from and treated_units")
        _check_keys(raw, ("post_from", "treated_units"), "impact")
        treated = raw.get("treated_units") or []
        if not isinstance(treated, list):
            raise _fail("impact.treated_units", f"must be a list of unit names, got {treated!r}")
        impact = ImpactSpec(
            post_from=str(_text(raw.get("post_from"), "impact.post_from")),
            treated_units=tuple(str(u) for u in treated),
        )
    if "tables" not in data:
        raise _fail("tables", "is missing; it maps output tables to raw files")
    tables = {
        str(k): _table(str(k), v, values, likert)
        for k, v in _mapping(expand_blocks(data.get("tables")), "tables", "table entries").items()
    }
    return Codebook(
        study=str(study),
        title=title,
        likert=likert,
        values=values,
        units=units,
        impact=impact,
        tables=tables,
        path=path,
        sha256=digest,
        name_facilitators=_bool(data.get("name_facilitators"), "name_facilitators"),
    )


def load_codebook(path: Path | str) -> Codebook:
    """Read and validate a codebook YAML file.

    Parameters
    ----------
    path : Path or str
        ``codebook.yaml``, or the study folder holding it.

    Returns
    -------
    Codebook

    Raises
    ------
    CodebookError
        If the file is missing, is not valid YAML, or breaks a rule. The message
        names the file (relative to the current folder, e.g.
        ``data/raw/demo/codebook.yaml``), the line and the key path, e.g.
        ``codebook data/raw/demo/codebook.yaml, line 40,
        tables.reaction.items.content_1.likert: ...``.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = (Path(tmp) / "codebook.yaml").write_text("study: s\\ntables: {}\\n")
    ...     load_codebook(tmp).study
    's'
    """
    import yaml

    path = Path(path)
    if path.is_dir():
        path = path / "codebook.yaml"
    if not path.is_file():
        raise CodebookError(
            f"codebook: file {path} does not exist (each study needs a codebook.yaml)"
        )
    data = path.read_bytes()
    where = _display(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise CodebookError(
            f"codebook {where}: not UTF-8 text (byte {err.start}); save it as UTF-8"
        ) from err
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        parsed = yaml.load(text, Loader=loader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        what = " ".join(
            str(part)
            for part in (getattr(err, "context", None), getattr(err, "problem", None))
            if part
        )
        raise CodebookError(
            f"codebook: {where} is not valid YAML{at}: {what or type(err).__name__}"
        ) from err
    try:
        return parse_codebook(parsed, path=path, digest=hashlib.sha256(data).hexdigest())
    except CodebookError as err:
        key_path = getattr(err, "key_path", None)
        if key_path is None:
            raise
        line = _line_of(key_path, _key_lines(text))
        at = f", line {line}" if line is not None else ""
        raise CodebookError(f"codebook {where}{at}, {key_path}: {err.detail}") from err


def match_headers(
    spec: TableSpec, headers: list[str], file: str, *, taken: Iterable[str] = ()
) -> dict[str, str]:
    """Find each header the table reads among a raw file's headers.

    Headers match exactly, else ignoring case and repeated spaces. A missing header's
    suggestions leave out headers that other columns of the table already read (a
    renamed ``Post-Test`` is not pointed at the ``Pre-Test`` column).

    Parameters
    ----------
    spec : TableSpec
        The codebook table.
    headers : list of str
        The raw file's headers.
    file : str
        The file's name (for the message).
    taken : iterable of str, optional
        Further headers read elsewhere, never suggested (for checking one column at a
        time).

    Returns
    -------
    dict of str to str
        Codebook header -> header as written in the file.

    Raises
    ------
    CodebookError
        Naming the key path and the missing header, with the closest headers of
        the file as suggestions.

    Examples
    --------
    >>> t = TableSpec("r", "costs", ("c.csv",), columns={
    ...     "amount_idr": ColumnSpec("amount_idr", "Jumlah (Rp)", "float")})
    >>> match_headers(t, ["jumlah  (rp)"], "c.csv")
    {'Jumlah (Rp)': 'jumlah  (rp)'}
    >>> match_headers(t, ["Jumlah Rp", "Kategori"], "c.csv")
    Traceback (most recent call last):
    ...
    evalkit.errors.CodebookError: codebook tables.r.columns.amount_idr.from: header 'Jumlah (Rp)' not found in c.csv; did you mean 'Jumlah Rp'? ...
    """
    exact = set(headers)
    loose: dict[str, str] = {}
    for h in headers:
        loose.setdefault(norm_label(h), h)
    found: dict[str, str] = {}
    missing: list[tuple[str, str]] = []
    for source, keypath in spec.sources().items():
        if source in exact:
            found[source] = source
        elif norm_label(source) in loose:
            found[source] = loose[norm_label(source)]
        else:
            missing.append((source, keypath))
    if missing:
        source, keypath = missing[0]
        # a header another column of the table already reads is no candidate
        free = [h for h in headers if h not in set(found.values()) | set(taken)]
        free_loose = {k: v for k, v in loose.items() if v in free}
        close = difflib.get_close_matches(source, free, n=3, cutoff=0.6)
        if not close:
            by_norm = difflib.get_close_matches(
                norm_label(source), list(free_loose), n=3, cutoff=0.6
            )
            close = [free_loose[c] for c in by_norm]
        hint = (
            f"did you mean {' or '.join(repr(c) for c in close)}?"
            if close
            else "no similar header that another column does not already read"
        )
        shown = ", ".join(repr(h) for h in headers[:12]) + (" ..." if len(headers) > 12 else "")
        raise CodebookError(
            f"codebook {keypath}: header {source!r} not found in {file}; {hint} "
            f"(the file's headers: {shown})"
        )
    return found
