"""Canonical unit (OPD) names for a proposed codebook, with the spellings found in the exports.

:func:`unit_clusters` groups the unit spellings of every unit column: the most
frequent spelling of a group is its canonical name, and a spelling joins a
group when it is the same name once ``Kec.`` is spelled out and a ``Kota
Kupang`` suffix dropped, or differs from it by a typo in one word
(:data:`UNIT_CLUSTER_CUTOFF`). A different word is a different unit:
Kecamatan Kota Lama is not Kecamatan Kota Raja.

Examples
--------
>>> unit_clusters(Counter({"Dinas Kesehatan": 9, "Dinas Kesehtan": 1, "dinas kesehatan": 2,
...                        "Kec. Oebobo": 1, "Kecamatan Oebobo": 4, "Kecamatan Kota Lama": 3,
...                        "Kecamatan Kota Raja": 3}))
{'Dinas Kesehatan': ['Dinas Kesehtan'], 'Kecamatan Kota Lama': [], 'Kecamatan Kota Raja': [], 'Kecamatan Oebobo': ['Kec. Oebobo']}
"""

from __future__ import annotations

import difflib
import re
from collections import Counter

#: Smallest similarity (difflib ratio) for two unit spellings to be proposed as one unit.
UNIT_CLUSTER_CUTOFF = 0.92


def _unit_key(name: str) -> str:
    """Unit name for grouping: ``kec.`` -> ``kecamatan``, no ``kota kupang`` suffix."""
    from evalkit.data.codebook import norm_label

    key = norm_label(name)
    key = re.sub(r"^kec(\.\s*|\s+)", "kecamatan ", key)
    key = re.sub(r"\s+(kota|kab\.?|kabupaten)\s+kupang$", "", key)
    return key


def _typo_of(a: str, b: str) -> bool:
    """Whether two unit keys differ by a typo in one word (not by a different word).

    ``kecamatan kota rja`` / ``kecamatan kota raja`` are one unit;
    ``kecamatan kota lama`` / ``kecamatan kota raja`` are two.
    """
    wa, wb = a.split(), b.split()
    if len(wa) != len(wb):
        return difflib.SequenceMatcher(None, a, b).ratio() >= UNIT_CLUSTER_CUTOFF
    diff = [(x, y) for x, y in zip(wa, wb, strict=True) if x != y]
    return len(diff) <= 1 and all(
        difflib.SequenceMatcher(None, x, y).ratio() >= 0.8 for x, y in diff
    )


def unit_clusters(names: Counter[str]) -> dict[str, list[str]]:
    """Group unit spellings: the most frequent spelling is canonical, near ones are variants.

    Examples
    --------
    >>> unit_clusters(Counter({"Bappeda": 3, "Bapeda": 1, "Bappeda Kota Kupang": 1}))
    {'Bappeda': ['Bapeda', 'Bappeda Kota Kupang']}
    """
    from evalkit.data.codebook import norm_label

    clusters: dict[str, list[str]] = {}
    keys: dict[str, str] = {}
    for name, _n in sorted(names.items(), key=lambda kv: (-kv[1], kv[0])):
        if not name:
            continue
        key = _unit_key(name)
        if key in keys:
            canonical = keys[key]
        else:
            close = [k for k in difflib.get_close_matches(key, list(keys), n=3,
                                                          cutoff=UNIT_CLUSTER_CUTOFF)
                     if _typo_of(key, k)]  # fmt: skip
            canonical = keys[close[0]] if close else name
        keys.setdefault(key, canonical)
        clusters.setdefault(canonical, [])
        seen = {norm_label(v) for v in [canonical, *clusters[canonical]]}
        if norm_label(name) not in seen:
            clusters[canonical].append(name)
    return {k: sorted(v) for k, v in sorted(clusters.items())}
