"""Likert answers of a raw export: which label set a column uses, and how it is worded.

:func:`guess_likert` names the label set of one column's answers among the
known Indonesian and English families of 4- and 5-point scales
(:data:`LIKERT_FAMILIES`), or a numbers-only scale; :func:`likert_set` gives
that set as a codebook entry and :func:`scale_direction` says which end is
which for the review note. :func:`negatively_worded` flags questions that are
candidates for reverse keying.

Examples
--------
>>> guess_likert(["Setuju", "Sangat setuju", "Tidak Setuju", "Setuju"] * 10)
('setuju4', 4)
>>> guess_likert(["Baik", "Cukup", "Sangat Baik"])
('baik5', 5)
>>> negatively_worded("Jadwal pelatihan terlalu padat"), negatively_worded("Materi jelas")
(True, False)
>>> scale_direction("setuju4")
"1 = 'sangat tidak setuju' ... 4 = 'sangat setuju'"
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from evalkit.errors import ParameterError

#: Share of non-blank answers a Likert set must explain for a column to be an item.
LIKERT_MATCH_SHARE = 0.95


#: Labels whose score depends on the form: mapped to the midpoint only when answers use
#: them, and then marked REVIEW with this explanation.
AMBIGUOUS_LABELS: dict[str, str] = {
    "kurang setuju": "right when it is the middle of five options (sangat tidak setuju, "
    "tidak setuju, kurang setuju, setuju, sangat setuju), but it often means mild "
    "disagreement (2), above all beside 'netral'; set the score your form meant",
    "cukup setuju": "right when it is the middle of five options, but it often means mild "
    "agreement (4), above all beside 'netral'; set the score your form meant",
}


#: Smallest number of answers without a midpoint for a 4-point guess to be trusted.
MIDPOINT_EVIDENCE = 20


# --- known Likert label sets ------------------------------------------------------
#: Label families: name -> {points: {label: score}}, Indonesian and English labels
#: together (bilingual forms mix them). The 5-point variant has a midpoint the
#: 4-point one lacks; a column whose answers never use it is read
#: as 4-point (with a REVIEW note when there are few answers).
LIKERT_FAMILIES: dict[str, dict[int, dict[str, int]]] = {
    "setuju": {
        5: {"sangat tidak setuju": 1, "tidak setuju": 2, "netral": 3, "ragu-ragu": 3,
            "ragu ragu": 3, "kurang setuju": 3, "cukup setuju": 3, "setuju": 4,
            "sangat setuju": 5, "strongly disagree": 1, "disagree": 2, "neutral": 3,
            "neither agree nor disagree": 3, "agree": 4, "strongly agree": 5},
        4: {"sangat tidak setuju": 1, "tidak setuju": 2, "setuju": 3, "sangat setuju": 4,
            "strongly disagree": 1, "disagree": 2, "agree": 3, "strongly agree": 4},
    },
    "baik": {
        5: {"sangat kurang": 1, "sangat tidak baik": 1, "sangat buruk": 1, "kurang": 2,
            "kurang baik": 2, "buruk": 2, "cukup": 3, "cukup baik": 3, "sedang": 3, "baik": 4,
            "sangat baik": 5, "very poor": 1, "poor": 2, "fair": 3, "average": 3, "good": 4,
            "very good": 5, "excellent": 5},
        4: {"sangat kurang": 1, "sangat kurang baik": 1, "tidak baik": 1, "sangat buruk": 1,
            "kurang": 2, "kurang baik": 2, "buruk": 2, "baik": 3, "sangat baik": 4,
            "very poor": 1, "poor": 2, "good": 3, "very good": 4, "excellent": 4},
    },
    "puas": {
        5: {"sangat tidak puas": 1, "tidak puas": 2, "cukup puas": 3, "netral": 3, "puas": 4,
            "sangat puas": 5, "very dissatisfied": 1, "dissatisfied": 2, "neutral": 3,
            "satisfied": 4, "very satisfied": 5},
        4: {"sangat tidak puas": 1, "tidak puas": 2, "puas": 3, "sangat puas": 4,
            "very dissatisfied": 1, "dissatisfied": 2, "satisfied": 3, "very satisfied": 4},
    },
    "sesuai": {
        5: {"sangat tidak sesuai": 1, "tidak sesuai": 2, "cukup sesuai": 3, "kurang sesuai": 3,
            "sesuai": 4, "sangat sesuai": 5},
        4: {"sangat tidak sesuai": 1, "tidak sesuai": 2, "sesuai": 3, "sangat sesuai": 4},
    },
    "frekuensi": {
        5: {"tidak pernah": 1, "jarang": 2, "kadang-kadang": 3, "kadang kadang": 3,
            "sering": 4, "selalu": 5, "never": 1, "rarely": 2, "sometimes": 3, "often": 4,
            "always": 5},
    },
}  # fmt: skip


#: Words that mark a negatively worded (reverse-keyed) question, Indonesian and English.
NEGATIVE_CUES = re.compile(
    r"\b(tidak|tak|belum|kurang|terlalu|sulit|sukar|susah|membosankan|bosan|membingungkan|"
    r"bingung|lambat|terlambat|buruk|jelek|sia-sia|mengganggu|berbelit|rumit|kesulitan|"
    r"jenuh|lelah|not|never|too|difficult|hard|boring|confusing|waste|slow|late|poorly)\b",
    re.IGNORECASE,
)


def negatively_worded(text: str) -> bool:
    """Whether a question is negatively worded (a reverse-keyed candidate).

    Looks for Indonesian and English negation and complaint words
    (:data:`NEGATIVE_CUES`: *tidak*, *kurang*, *terlalu*, *sulit*, *membosankan*,
    *not*, *too*, *difficult*, ...).

    Examples
    --------
    >>> negatively_worded("Materi terlalu sulit dipahami"), negatively_worded("Materi jelas")
    (True, False)
    """
    return bool(NEGATIVE_CUES.search(str(text)))


def strip_number_prefix(label: str) -> str:
    """A numbered answer option without its number: ``"4 - setuju"`` -> ``"setuju"``.

    Examples
    --------
    >>> strip_number_prefix("4 - setuju"), strip_number_prefix("(2) kurang"), strip_number_prefix("5")
    ('setuju', 'kurang', '5')
    """
    match = re.fullmatch(r"\(?\d+\)?\s*[-.=:)]\s*(.+)", label)
    return match[1].strip() if match else label


def guess_likert(values: Iterable[object]) -> tuple[str, int] | None:
    """Guess the Likert label set of one column's answers.

    Parameters
    ----------
    values : iterable
        The raw answers (blank ones are ignored).

    Returns
    -------
    tuple of (str, int) or None
        ``(set name, points)``, e.g. ``("setuju5", 5)`` for the answers of one
        family in :data:`LIKERT_FAMILIES`; numbers only (``1`` .. ``k``, ``k`` of
        4 to 7, at least three distinct) give ``("angka<k>", k)``; ``None`` when
        the answers are not a Likert scale. A family with a 4- and a 5-point
        form is 5-point when the midpoint (*netral*, *ragu-ragu*, *cukup*) is
        used, else 4-point.

    Examples
    --------
    >>> guess_likert(["Strongly agree", "Netral", "Setuju"])
    ('setuju5', 5)
    >>> guess_likert(["1", "3", "4", "4"]), guess_likert(["ya", "tidak"])
    (('angka4', 4), None)
    """
    answers = [strip_number_prefix(answer_label(v)) for v in values]
    answers = [a for a in answers if a]
    if not answers:
        return None
    counts = Counter(answers)
    total = sum(counts.values())
    best: tuple[int, str, int] | None = None
    for family, forms in LIKERT_FAMILIES.items():
        labels = set().union(*forms.values())
        matched = sum(n for a, n in counts.items() if a in labels)
        if matched / total < LIKERT_MATCH_SHARE or not set(counts) & labels:
            continue
        points = max(forms)
        if 4 in forms and 5 in forms:
            midpoint = set(forms[5]) - set(forms[4])
            points = 5 if any(a in midpoint for a in counts) else 4
        if best is None or matched > best[0]:
            best = (matched, family, points)
    if best is not None:
        return f"{best[1]}{best[2]}", best[2]
    numbers = [a for a in answers if re.fullmatch(r"\d+(?:[.,]0+)?", a)]
    if len(numbers) / total >= LIKERT_MATCH_SHARE:
        ints = {int(re.split(r"[.,]", a)[0]) for a in numbers}
        top = max(ints)
        if min(ints) >= 1 and 4 <= max(top, 4) <= 7 and top <= 7 and len(ints) >= 3:
            top = max(top, 4)
            return f"angka{top}", top
    return None


def answer_label(value: object) -> str:
    """An answer as matched against the label sets (normalised; ``""`` when missing).

    Examples
    --------
    >>> answer_label("  Sangat  Setuju "), answer_label(None), answer_label(float("nan"))
    ('sangat setuju', '', '')
    """
    from evalkit.data.codebook import norm_label

    if value is None or (isinstance(value, float) and value != value):
        return ""
    return norm_label(value)


def likert_set(name: str) -> dict[str, Any]:
    """The codebook entry (max, labels) of a set named by :func:`guess_likert`.

    Examples
    --------
    >>> likert_set("angka4")
    {'max': 4, 'labels': {'1': 1, '2': 2, '3': 3, '4': 4}}
    >>> likert_set("puas4")["labels"]["sangat puas"]
    4
    """
    match = re.fullmatch(r"([a-z]+?)(\d+)", name)
    if match is None:  # pragma: no cover - names come from guess_likert
        raise ParameterError(f"likert_set: unknown set {name!r}")
    family, points = match[1], int(match[2])
    if family == "angka":
        return {"max": points, "labels": {str(i): i for i in range(1, points + 1)}}
    return {"max": points, "labels": dict(LIKERT_FAMILIES[family][points])}


def scale_direction(name: str) -> str:
    """Which end of a set named by :func:`guess_likert` is which, for the review note.

    Examples
    --------
    >>> scale_direction("angka5")
    "numbers 1..5 only: check that 5 is the positive end and the scale's maximum"
    """
    entry = likert_set(name)
    by_score: dict[int, str] = {}
    for label, score in entry["labels"].items():
        by_score.setdefault(score, label)
    low, high = by_score[1], by_score[entry["max"]]
    if name.startswith("angka"):
        return (
            f"numbers 1..{entry['max']} only: check that {entry['max']} is the positive end "
            "and the scale's maximum"
        )
    return f"1 = {low!r} ... {entry['max']} = {high!r}"
