"""Facilitator evaluation exports in a proposed codebook: the wide blocks and the long rows.

A facilitator evaluation (*evaluasi narasumber/widyaiswara*) is recognised in its two
usual shapes (:mod:`evalkit.data.codebook_blocks`):

- **wide**: headers in blocks ``Narasumber 1 - Penguasaan materi``, ``Narasumber 2 -
  Penguasaan materi`` ... (also ``Widyaiswara``, ``Fasilitator``, ``Pengajar``,
  ``Instruktur``, ``Pemateri``; separators ``-``, ``:`` or ``.``): at least two blocks
  with the same two or more Likert items (:func:`wide_blocks`);
- **long**: one row per participant and facilitator: a text column whose header names
  the facilitator (``Nama Narasumber``) beside two or more Likert items
  (:func:`facilitator_column`).

:func:`facilitator_parts` writes the entry's items and, for the wide shape, one block per
facilitator (its name, role and session columns when the block has them), each with a
review note.

Examples
--------
>>> import pandas as pd
>>> from evalkit.data.onboard.roles import guess_source
>>> from evalkit.data.onboard.sources import Source
>>> frame = pd.DataFrame({"NIP": ["198505122010011002", "199001012015032001"],
...     "Narasumber 1 - Nama": ["Dr. Ana", "Dr. Ana"],
...     "Narasumber 1 - Penguasaan materi": ["Baik", "Sangat Baik"],
...     "Narasumber 1 - Ketepatan waktu": ["Cukup", "Baik"],
...     "Narasumber 2 - Nama": ["Budi", "Budi"],
...     "Narasumber 2 - Penguasaan materi": ["Baik", "Kurang"],
...     "Narasumber 2 - Ketepatan waktu": ["Baik", "Baik"]})
>>> g = guess_source(Source("evaluasi.csv", None, 1, frame))
>>> list(wide_blocks(g))
['Narasumber 1 - ', 'Narasumber 2 - ']
>>> is_facilitator_export(g)
True
"""

from __future__ import annotations

import re
from typing import Any

from evalkit.data.onboard.draft import REVIEW, Draft, slug
from evalkit.data.onboard.likert import likert_set
from evalkit.data.onboard.roles import Guess, Item, nonblank

__all__ = [
    "FACILITATOR_WORDS",
    "ROLE_VALUES",
    "facilitator_column",
    "facilitator_parts",
    "is_facilitator_export",
    "wide_blocks",
]

#: Words that name a facilitator in a header.
FACILITATOR_WORDS = (
    r"narasumber|widyaiswara|fasilitator|facilitator|pengajar|instruktur|pemateri|trainer"
)

_BLOCK = re.compile(rf"^(\s*(?:{FACILITATOR_WORDS})\s*\d+\s*[-\u2013:.]\s*)(\S.*?)\s*$", re.I)
_WORDS = re.compile(rf"\b(?:{FACILITATOR_WORDS})\b", re.I)
_NAME = re.compile(r"\bnama\b|\bname\b", re.I)
_ROLE = re.compile(r"\bunsur\b|\bperan\b|\brole\b|\bjenis\b|\basal\b", re.I)
_SESSION = re.compile(r"\bsesi\b|\bsession\b|mata pelatihan|\bmateri ke", re.I)

#: Value map proposed for a role column (raw label -> canonical role).
ROLE_VALUES = {"widyaiswara": "widyaiswara", "wi": "widyaiswara", "akademisi": "academic",
               "dosen": "academic", "praktisi": "practitioner",
               "profesional": "practitioner"}  # fmt: skip


def wide_blocks(g: Guess) -> dict[str, dict[str, dict[str, Any]]]:
    """The facilitator blocks of a wide export: prefix -> its ``items`` and ``other`` headers.

    ``items`` maps each Likert item's text (the header after the prefix) to its
    :class:`~evalkit.data.onboard.roles.Item`, ``other`` each other header of the block
    (name, role, session) to the header. Only blocks with the same two or more items
    as the first block count; fewer than two such blocks is no wide export (empty).
    """
    items = {it.header: it for it in g.items}
    blocks: dict[str, dict[str, dict[str, Any]]] = {}
    for header in g.frame.columns:
        m = _BLOCK.match(str(header))
        if m is None:
            continue
        block = blocks.setdefault(m[1], {"items": {}, "other": {}})
        if header in items:
            block["items"][m[2]] = items[header]
        else:
            block["other"][m[2]] = header
    full = [p for p, b in blocks.items() if len(b["items"]) >= 2]
    if len(full) < 2:
        return {}
    first = set(blocks[full[0]]["items"])
    same = {p: blocks[p] for p in full if set(blocks[p]["items"]) == first}
    return same if len(same) >= 2 else {}


def facilitator_column(g: Guess) -> str | None:
    """The column of a long export that names the rated facilitator, or None.

    A header with a facilitator word (:data:`FACILITATOR_WORDS`), not a Likert item and
    not a block header, whose values are mostly text (names or codes), two or more
    distinct ones.
    """
    items = {it.header for it in g.items}
    for header in g.frame.columns:
        if header in items or _BLOCK.match(str(header)) or not _WORDS.search(str(header)):
            continue
        if _ROLE.search(str(header)) or _SESSION.search(str(header)):
            continue
        values = nonblank(g.frame[header])
        texts = [v for v in values if re.search(r"[A-Za-z]{2}", v)]
        if values and len(texts) >= 0.8 * len(values) and len(set(texts)) >= 2:
            return header
    return None


def is_facilitator_export(g: Guess) -> bool:
    """Whether a person-level source is a facilitator evaluation (wide or long)."""
    if not ({"nip", "name"} & set(g.roles)) or len(g.items) < 2:
        return False
    return bool(wide_blocks(g)) or facilitator_column(g) is not None


def _items(draft: Draft, items: dict[str, Item], wide: bool) -> dict[str, Any]:
    """``items`` of the entry: a name per item, its header (or block text) and Likert set."""
    out: dict[str, Any] = {}
    for text, it in items.items():
        name = slug(text if wide else it.text or it.header)[:24]
        while name in out:
            name += "_"
        out[name] = {"from": text if wide else it.header, "likert": it.scale}
        draft.likert.setdefault(it.scale, likert_set(it.scale))
    return out


def _role(draft: Draft, header: str) -> dict[str, Any]:
    draft.values.setdefault("facilitator_role", dict(ROLE_VALUES))
    return {"from": header, "type": "category", "values": "facilitator_role"}


def facilitator_parts(draft: Draft, gs: list[Guess], key: str, entry: dict[str, Any]) -> None:
    """Add the facilitator columns, items and (wide) blocks to a proposed entry, in place.

    ``entry["columns"]`` already holds the person columns; ``key`` is the entry's key
    in the codebook (the notes' key paths).
    """
    g, path = gs[0], f"tables.{key}"
    cols = entry["columns"]
    blocks = wide_blocks(g)
    column = None if blocks else facilitator_column(g)
    named = str(cols.get("name", {}).get("from", ""))
    if named == column or _BLOCK.match(named):  # a facilitator's name is no participant's
        del cols["name"]
    if not blocks:
        cols["facilitator_id"] = {"from": column}
        draft.note(f"{path}.columns.facilitator_id", f"{REVIEW}: the facilitator's name or "
                   "code; cleaning writes a pseudonym (name_facilitators: true to keep names)")  # fmt: skip
        items = {it.header for it in g.items}
        for header in g.frame.columns:
            if header in items or header == column:
                continue
            if _ROLE.search(str(header)) and "facilitator_role" not in cols:
                cols["facilitator_role"] = _role(draft, header)
            elif _SESSION.search(str(header)) and "session" not in cols:
                cols["session"] = {"from": header}
        entry["items"] = _items(draft, {it.header: it for it in g.items}, wide=False)
        return
    first = next(iter(blocks.values()))
    entry["items"] = _items(draft, first["items"], wide=True)
    draft.note(f"{path}.items", f"{REVIEW}: the items of one facilitator's block; each "
               "block's headers are its prefix + these")  # fmt: skip
    entry["blocks"] = {}
    for k, (prefix, block) in enumerate(blocks.items(), start=1):
        other = block["other"]
        named = next((h for text, h in other.items() if _NAME.search(text)), None)
        bcols: dict[str, Any] = {"facilitator_id": {"from": named} if named else
                                 {"value": f"{REVIEW}: name of facilitator {k}"}}  # fmt: skip
        role = next((h for text, h in other.items() if _ROLE.search(text)), None)
        if role is not None:
            bcols["facilitator_role"] = _role(draft, role)
        session = next((h for text, h in other.items() if _SESSION.search(text)), None)
        bcols["session"] = {"from": session} if session else {"value": str(k)}
        entry["blocks"][f"n{k}"] = {"prefix": prefix, "columns": bcols}
    draft.note(f"{path}.blocks", f"{REVIEW}: one block per facilitator; facilitator_id is the "
               "name (or a constant when the form names nobody); cleaning writes a pseudonym")  # fmt: skip
