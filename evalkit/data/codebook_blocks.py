"""Facilitator exports in the codebook: one block of items per facilitator, or long rows.

A facilitator evaluation (*evaluasi narasumber/widyaiswara*) comes in two shapes:

- **long**: one row per participant and facilitator, with the facilitator's name (or
  code), role and session in columns of their own. The codebook maps it like any item
  table (``table: facilitator_ratings``, ``columns`` with ``facilitator_id``, ``items``).
- **wide**: one row per participant, with one block of the same items per facilitator
  (``Narasumber 1 - Penguasaan materi``, ..., ``Narasumber 2 - Penguasaan materi``, ...).
  The codebook lists the items once and the blocks under ``blocks``: each block a
  ``prefix`` (and/or ``suffix``) put around every item's header, and the ``columns`` of
  that block (the facilitator's name as a header or a constant ``value``, role, session).

:func:`expand_blocks` turns each wide entry into one long entry per block (key
``<entry>.<block>``) before the codebook is validated (:func:`evalkit.data.codebook.
parse_codebook`), so that reading, linking and building treat both shapes alike: a row of
the export becomes one form per block. Every entry of ``facilitator_ratings`` must map
``facilitator_id`` (the name or code in the export; cleaning writes a salted pseudonym).

**Anonymous forms.** Many facilitator evaluations do not ask the rater's NIP or name. An
entry that maps neither ``nip`` nor ``name`` is anonymous (``anonymous: true`` on the
entry says so explicitly, and refuses a ``nip`` or ``name`` column): cleaning gives each
row of the export its own rater key (``A`` + 10 hex, the same for every block of one row
of a wide export, :func:`evalkit.data.build_facilitators.anonymous_raters`) instead of a
participant id, does not look the rater up on the roster, and adds no participant.

Examples
--------
>>> tables = {"fasilitator": {"table": "facilitator_ratings", "files": ["e.csv"],
...     "columns": {"cohort_id": "Angkatan", "nip": "NIP"},
...     "items": {"mastery": {"from": "Penguasaan materi", "likert": "baik5"}},
...     "blocks": {"n1": {"prefix": "Narasumber 1 - ",
...                       "columns": {"facilitator_id": "Nama Narasumber 1"}}}}}
>>> out = expand_blocks(tables)
>>> list(out), out["fasilitator.n1"]["items"]["mastery"]["from"]
(['fasilitator.n1'], 'Narasumber 1 - Penguasaan materi')
>>> out["fasilitator.n1"]["columns"]["facilitator_id"]
'Nama Narasumber 1'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from evalkit import constants as C
from evalkit.errors import CodebookError

__all__ = ["ANONYMOUS_KEY", "BLOCK_KEYS", "FACILITATOR_TABLE", "expand_blocks", "is_anonymous"]

#: The processed table whose codebook entries may have ``blocks``.
FACILITATOR_TABLE = "facilitator_ratings"

#: Keys of one block.
BLOCK_KEYS = ("prefix", "suffix", "columns")

#: Key of a facilitator entry that marks its forms anonymous (no rater NIP or name).
ANONYMOUS_KEY = "anonymous"

#: Columns that identify the rater of a form.
_RATER_COLUMNS = ("nip", "name")


def is_anonymous(spec: Any) -> bool:
    """Whether a parsed codebook entry holds anonymous facilitator forms.

    A ``facilitator_ratings`` entry that maps neither ``nip`` nor ``name``: nobody can
    say who rated, so each row of the export is its own rater.

    Examples
    --------
    >>> from evalkit.data.codebook import ColumnSpec, TableSpec
    >>> anon = TableSpec("f", "facilitator_ratings", ("f.csv",), columns={
    ...     "facilitator_id": ColumnSpec("facilitator_id", "Narasumber", "str")})
    >>> named = TableSpec("f", "facilitator_ratings", ("f.csv",), columns={
    ...     "nip": ColumnSpec("nip", "NIP", "str")})
    >>> is_anonymous(anon), is_anonymous(named)
    (True, False)
    """
    if getattr(spec, "table", None) != FACILITATOR_TABLE:
        return False
    columns = getattr(spec, "columns", {}) or {}
    return not any(col in columns for col in _RATER_COLUMNS)


def _fail(path: str, message: str) -> CodebookError:
    err = CodebookError(f"codebook {path}: {message}")
    err.key_path, err.detail = path, message  # load_codebook adds the file and line
    return err


def expand_blocks(tables: Any) -> Any:
    """The codebook's ``tables`` with every wide facilitator entry split into its blocks.

    Parameters
    ----------
    tables : mapping
        The ``tables`` of a parsed YAML codebook (anything else is returned unchanged,
        for :func:`~evalkit.data.codebook.parse_codebook` to refuse).

    Returns
    -------
    dict or the input
        Entries without ``blocks`` as they were; an entry with ``blocks`` replaced by one
        entry ``<key>.<block>`` per block, in the blocks' order: ``table:
        facilitator_ratings``, the entry's columns updated with the block's, each item's
        ``from`` as ``prefix + from + suffix``.

    Raises
    ------
    CodebookError
        ``blocks`` on an entry of another table, not a mapping of blocks, a block
        with unknown keys or with neither prefix nor suffix, a wide entry without
        items, or a facilitator entry that maps no ``facilitator_id``.

    Examples
    --------
    >>> expand_blocks({"r": {"table": "reaction", "blocks": {"a": {"prefix": "x"}}}})
    Traceback (most recent call last):
    ...
    evalkit.errors.CodebookError: codebook tables.r.blocks: only facilitator_ratings entries may have blocks (one block of items per facilitator); this entry fills 'reaction'
    """
    if not isinstance(tables, Mapping):
        return tables
    out: dict[Any, Any] = {}
    for key, spec in tables.items():
        if not isinstance(spec, Mapping):
            out[key] = spec
            continue
        table = str(spec.get("table") or key)
        spec = _anonymous(str(key), spec, table)
        if "blocks" not in spec:
            if table == FACILITATOR_TABLE:
                _check_facilitator(spec.get("columns"), f"tables.{key}.columns")
            out[key] = spec
            continue
        path = f"tables.{key}.blocks"
        if table != FACILITATOR_TABLE:
            raise _fail(path, f"only {FACILITATOR_TABLE} entries may have blocks (one block "
                        f"of items per facilitator); this entry fills {table!r}")  # fmt: skip
        out.update(_expand(str(key), spec, path))
    return out


def _anonymous(key: str, spec: Mapping[str, Any], table: str) -> Mapping[str, Any]:
    """The entry without its ``anonymous`` key, after checking it maps no rater column."""
    if ANONYMOUS_KEY not in spec:
        return spec
    path = f"tables.{key}.{ANONYMOUS_KEY}"
    flag = spec[ANONYMOUS_KEY]
    if table != FACILITATOR_TABLE:
        raise _fail(path, f"only {FACILITATOR_TABLE} entries may be anonymous; this entry "
                    f"fills {table!r}")  # fmt: skip
    if not isinstance(flag, bool):
        raise _fail(path, f"must be true or false, got {flag!r:.60}")
    if flag:
        columns = [spec.get("columns") or {}]
        blocks = spec.get("blocks")
        if isinstance(blocks, Mapping):
            columns += [b.get("columns") or {} for b in blocks.values() if isinstance(b, Mapping)]
        for cols in columns:
            rater = [c for c in _RATER_COLUMNS if isinstance(cols, Mapping) and c in cols]
            if rater:
                raise _fail(path, f"an anonymous entry maps no rater, but it maps {rater[0]!r}; "
                            f"remove that column or the {ANONYMOUS_KEY!r} key")  # fmt: skip
    return {k: v for k, v in spec.items() if k != ANONYMOUS_KEY}


def _expand(key: str, spec: Mapping[str, Any], path: str) -> dict[str, Any]:
    """The long entries of one wide entry, one per block."""
    blocks = spec["blocks"]
    if not isinstance(blocks, Mapping) or not blocks:
        raise _fail(path, "must be a mapping of block name: {prefix, columns} (one block per "
                    f"facilitator), got {blocks!r:.60}")  # fmt: skip
    items = spec.get("items")
    if not isinstance(items, Mapping) or not items:
        raise _fail(f"tables.{key}.items", "a table with blocks needs the items of one block")
    base = {k: v for k, v in spec.items() if k != "blocks"}
    shared = spec.get("columns") or {}
    if not isinstance(shared, Mapping):
        raise _fail(
            f"tables.{key}.columns", f"must be a mapping of output columns, got {shared!r:.60}"
        )
    out: dict[str, Any] = {}
    for name, block in blocks.items():
        where = f"{path}.{name}"
        if not isinstance(block, Mapping):
            raise _fail(
                where, f"must be a mapping with keys {', '.join(BLOCK_KEYS)}, got {block!r:.60}"
            )
        unknown = [k for k in block if k not in BLOCK_KEYS]
        if unknown:
            raise _fail(f"{where}.{unknown[0]}", f"unknown key; allowed: {', '.join(BLOCK_KEYS)}")
        prefix, suffix = str(block.get("prefix") or ""), str(block.get("suffix") or "")
        if not prefix and not suffix:
            raise _fail(where, "needs a 'prefix' or a 'suffix': the text that marks this "
                        "facilitator's headers (e.g. 'Narasumber 1 - ')")  # fmt: skip
        own = block.get("columns") or {}
        if not isinstance(own, Mapping):
            raise _fail(f"{where}.columns", f"must be a mapping of output columns, got {own!r:.60}")
        columns = {**shared, **own}
        _check_facilitator(columns, f"{where}.columns")
        wide_items = {}
        for item, item_spec in items.items():
            item_spec = {"from": item_spec} if isinstance(item_spec, str) else item_spec
            if isinstance(item_spec, Mapping) and item_spec.get("from") is not None:
                item_spec = {**item_spec, "from": f"{prefix}{item_spec['from']}{suffix}"}
            wide_items[item] = item_spec
        out[f"{key}.{name}"] = {**base, "table": FACILITATOR_TABLE, "columns": columns,
                                "items": wide_items}  # fmt: skip
    return out


def _check_facilitator(columns: Any, path: str) -> None:
    """A facilitator entry must say who was rated (``facilitator_id``)."""
    if not isinstance(columns, Mapping) or C.FACILITATOR_ID not in columns:
        raise _fail(path, f"table {FACILITATOR_TABLE!r} needs a column {C.FACILITATOR_ID!r} "
                    "(the facilitator's name or code: a header, or a constant 'value' per "
                    "block); cleaning replaces it by a pseudonym")  # fmt: skip
