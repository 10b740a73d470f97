"""Building ``followup_items``: the Level 3 behaviour items as the follow-up forms ask them.

Where it sits in cleaning: one of the builders :func:`evalkit.data.build.build_tables`
runs (:data:`evalkit.data.build.BUILDERS`), after ``followup``. The follow-up exports
carry only item codes (``perilaku/b1``), so the question itself comes from the codebook:
an item's ``text:`` (else its raw header). One row per rater and item:

- ``rater``: ``self`` or ``supervisor``, from the codebook table's ``rater`` column (a
  constant ``value:``, or every rater its ``values:`` map gives; empty when unknown);
- ``item``, ``scale_max`` (the maximum of the item's Likert set) and ``text``.

An item that several codebook tables map for the same rater (a third wave in one form
for both raters) is listed once, from the first table in key order.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from evalkit import constants as C
from evalkit.data.codebook import Codebook, TableSpec
from evalkit.data.schema import OUTPUT_COLUMNS, SORT_KEYS

__all__ = ["TABLE", "build_followup_items", "followup_items"]

#: The processed table this module builds.
TABLE = "followup_items"


def _raters(spec: TableSpec) -> list[Any]:
    """The raters a follow-up codebook table's forms come from (``[None]`` if unknown)."""
    column = spec.columns.get(C.RATER)
    if column is None:
        return [None]
    if column.value is not None:
        return [str(column.value)]
    if column.values:
        return sorted(set(column.values.values()))
    return [None]


def followup_items(specs: Mapping[str, TableSpec], codebook: Codebook) -> pd.DataFrame:
    """The behaviour items of the codebook tables that fill ``followup``, one row per rater.

    Parameters
    ----------
    specs : mapping of str to TableSpec
        Codebook table key -> spec; those whose ``table`` is ``followup`` are read.
    codebook : Codebook
        The study's codebook (its Likert sets give each item's ``scale_max``).

    Returns
    -------
    DataFrame
        Columns ``rater, item, scale_max, text``, sorted by rater and item; empty (with
        those columns) when no codebook table fills ``followup``.

    Examples
    --------
    >>> from evalkit.data.codebook import parse_codebook
    >>> cb = parse_codebook({"study": "s",
    ...     "likert": {"f5": {"max": 5, "labels": {"jarang": 2, "sering": 4}}},
    ...     "tables": {"followup": {"files": ["f.csv"], "columns": {
    ...         "cohort_id": "Angkatan", "nip": "NIP", "months_after": "Bulan",
    ...         "rater": {"value": "self"}},
    ...         "items": {"b1": {"from": "perilaku/b1", "likert": "f5",
    ...                          "text": "Menerapkan materi"},
    ...                   "b2": {"from": "perilaku/b2", "likert": "f5"}}}}})
    >>> followup_items(cb.tables, cb).values.tolist()
    [['self', 'b1', 5, 'Menerapkan materi'], ['self', 'b2', 5, 'perilaku/b2']]
    """
    rows = []
    for key in sorted(k for k, spec in specs.items() if spec.table == "followup"):
        spec = specs[key]
        for rater in _raters(spec):
            for name, item in spec.items.items():
                scale = codebook.likert.get(str(item.likert))
                rows.append({C.RATER: rater, C.ITEM: name,
                             C.SCALE_MAX: None if scale is None else scale.max,
                             C.TEXT: item.text or item.source})  # fmt: skip
    columns = list(OUTPUT_COLUMNS[TABLE])
    frame = pd.DataFrame(rows, columns=columns)
    frame = frame.drop_duplicates([C.RATER, C.ITEM], keep="first")
    frame[C.SCALE_MAX] = frame[C.SCALE_MAX].astype("Int64")
    keys = list(SORT_KEYS[TABLE])
    return frame.sort_values(keys, kind="mergesort", na_position="last").reset_index(drop=True)


def build_followup_items(b: Any) -> dict[str, pd.DataFrame]:
    """The builder of :data:`evalkit.data.build.BUILDERS`: ``followup_items`` when the
    study maps a follow-up form (``b`` is the build's state: ``specs`` and ``ctx``)."""
    frame = followup_items(b.specs, b.ctx.codebook)
    return {TABLE: frame} if len(frame) else {}
