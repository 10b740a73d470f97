"""The items of a proposed reaction or follow-up table: names, dimensions, reverse keying.

:func:`item_entries` names each Likert item of a group of sources
(``content_1``, ``relevance_2`` by reaction dimension; the Kobo field name or
``b1``, ``b2`` for follow-up items), registers its label set with the answers
seen in it, and proposes it as reverse-keyed when its question is negatively
worded or its answers run against the rest of the form (item-rest
correlation below -0.2 over at least 10 answers).

Examples
--------
>>> _reverse_reason("Jadwal terlalu padat", -0.35)
'negatively worded and answers run against the other items (r = -0.35)'
>>> _reverse_reason("Materi jelas", 0.4) is None
True
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pandas as pd

from evalkit.data.onboard.draft import REVIEW, Draft, slug
from evalkit.data.onboard.likert import (
    answer_label,
    likert_set,
    negatively_worded,
    strip_number_prefix,
)
from evalkit.data.onboard.roles import Guess, Item, item_dimension


def _score_matrix(draft: Draft, gs: list[Guess]) -> pd.DataFrame:
    """Item scores of every answer of the group (columns by header), for the correlations.

    Registers each item's label set in ``draft.likert`` and counts its answers
    in ``draft.seen``.
    """
    from evalkit.data.codebook import LikertSet

    matrix = {}
    for it in gs[0].items:
        answers = [v for x in gs for v in x.frame[it.header].tolist()]
        setname = it.scale
        # 4-point guess from few answers: let the family's other items decide
        entry = draft.likert.setdefault(setname, likert_set(setname))
        scale = LikertSet(setname, entry["max"], entry["labels"])
        draft.seen.setdefault(setname, Counter()).update(
            strip_number_prefix(answer_label(a)) for a in answers
        )
        matrix[it.header] = pd.Series([scale.score(strip_number_prefix(answer_label(a)))
                                       for a in answers], dtype="float64")  # fmt: skip
    return pd.DataFrame(matrix)


def _item_name(table: str, it: Item, dim: str | None, counts: Counter[str],
               taken: dict[str, Any]) -> str:  # fmt: skip
    """``<dimension>_<n>`` for reaction items; else the Kobo field name, or ``b<n>``."""
    if table == "reaction":
        dim = dim or "content"
        counts[dim] += 1
        return f"{dim}_{counts[dim]}"
    field_name = slug(str(it.header).rsplit("/", 1)[-1])
    counts["b"] += 1
    return (field_name if re.fullmatch(r"[a-z][a-z0-9_]{0,15}", field_name)
            and field_name not in taken else f"b{counts['b']}")  # fmt: skip


def _rest_correlation(scores: pd.DataFrame, total: pd.Series, header: str, n: int) -> float:
    """Correlation of an item with the mean of the other ``n - 1`` items (NaN under 10 answers)."""
    rest = (total * n - scores[header].fillna(total)) / max(n - 1, 1)
    pair = pd.concat([scores[header], rest], axis=1).dropna()
    return pair.iloc[:, 0].corr(pair.iloc[:, 1]) if len(pair) >= 10 else float("nan")


def _reverse_reason(text: str, r: float) -> str | None:
    """Why an item is a reverse-keyed candidate, or None when it is not one."""
    worded = negatively_worded(text)
    if not (worded or (r == r and r < -0.2)):
        return None
    why = "negatively worded" if worded else ""
    if r == r and r < 0:
        why += (" and " if why else "") + f"answers run against the other items (r = {r:.2f})"
    return why


def item_entries(draft: Draft, table: str, gs: list[Guess], key: str) -> dict[str, Any]:
    """The ``items`` of a reaction or follow-up table entry, with review notes.

    ``key`` is the table's key in the codebook (the notes' key paths).

    Examples
    --------
    >>> import pandas as pd
    >>> from evalkit.data.onboard.draft import Proposal
    >>> from evalkit.data.onboard.roles import guess_source
    >>> from evalkit.data.onboard.sources import Source
    >>> frame = pd.DataFrame({"NIP": ["198505122010011002"] * 2, "Narasumber jelas": ["Setuju"] * 2,
    ...                       "Ruang terlalu panas": ["Setuju", "Tidak Setuju"]})
    >>> g = guess_source(Source("reaksi.csv", None, 1, frame))
    >>> draft = Draft(Proposal({}), {}, set())
    >>> item_entries(draft, "reaction", [g], "reaction")["facilities_1"]
    {'from': 'Ruang terlalu panas', 'dimension': 'facilities', 'likert': 'setuju4', 'reverse': True}
    >>> sorted(draft.likert), draft.seen["setuju4"]["setuju"]
    (['setuju4'], 3)
    """
    items: dict[str, Any] = {}
    counts: Counter[str] = Counter()
    scores = _score_matrix(draft, gs)
    total = scores.mean(axis=1)
    n_items = len(gs[0].items)
    for it in gs[0].items:
        dim = item_dimension(it) if table == "reaction" else None
        name = _item_name(table, it, dim, counts, items)
        spec: dict[str, Any] = {"from": it.header}
        notes = []
        if table == "reaction":
            spec["dimension"] = dim or "content"
            if dim is None:
                notes.append("dimension not recognised, content assumed")
        spec["likert"] = it.scale
        why = _reverse_reason(it.text, _rest_correlation(scores, total, it.header, n_items))
        if why is not None:
            spec["reverse"] = True
            notes.append(f"reverse-keyed candidate ({why}); remove 'reverse' if not")
        kobo_field = bool(re.fullmatch(r"[\w.\-]+(/[\w.\-]+)+", str(it.header)))
        if it.text != it.header and it.text and not kobo_field:
            spec["text"] = it.text
        if notes:
            draft.note(f"tables.{key}.items.{name}", f"{REVIEW}: " + "; ".join(notes))
        items[name] = spec
    return items
