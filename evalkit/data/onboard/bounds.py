"""The maximum of a test score, as a proposed codebook guesses it (always under REVIEW).

Hake's g divides a gain by ``max_score - pre``, so a test scored 0-50 taken as 0-100
gives a third of its true g. :func:`score_bound` reads the maximum from, in this order:

1. the SPSS value labels of the column: a code labelled as the maximum (``50 =
   "Nilai maksimum"``), else the highest labelled code;
2. the header or SPSS variable label: ``"(0-50)"``, ``"0–50"``, ``"skor 0-50"``,
   ``"0 s.d. 50"``, ``"maks. 50"``, ``"max 50"``, ``"out of 50"``, ``"dari 50"``
   (:func:`label_bound`);
3. the scores seen: their highest when it is a usual maximum
   (:data:`USUAL_MAXIMA`), else 100 when they stay below it or at most 5% lie above
   it (typing errors, quarantined by cleaning), else the next usual maximum above them.

Every bound is a guess: the note says where it came from, and whether some score
lies above it.

Examples
--------
>>> label_bound(["Nilai Pre-test (0-50)"]), label_bound(["post, skor maks. 40"])
((50.0, "'0-50' in 'Nilai Pre-test (0-50)'"), (40.0, "'maks. 40' in 'post, skor maks. 40'"))
>>> score_bound(["Post"], {}, [12.0, 50.0, 31.0])[0]
50.0
>>> score_bound(["Post"], {}, [12.0, 47.0])[0], score_bound(["Post"], {}, [120.0, 135.0])[0]
(100.0, 150.0)
>>> score_bound(["Post"], {}, [70.0] * 30 + [105.0])
(100.0, '1 score(s) above 100 will be quarantined; check them with `evalkit check`')
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

__all__ = ["USUAL_MAXIMA", "label_bound", "observed_scores", "score_bound", "value_label_bound"]

#: Maxima tests are commonly scored on: a highest score seen equal to one of them is
#: taken as the maximum (under REVIEW).
USUAL_MAXIMA = (10, 20, 25, 30, 40, 50, 60, 75, 80, 100, 120, 150, 200, 250, 300, 400, 500, 1000)

_NUMBER = r"(\d+(?:[.,]\d+)?)"

#: Patterns of a header or variable label that state the maximum: a range from 0,
#: "maks./max 50", "out of 50", "dari 50".
_LABEL_BOUNDS = (
    re.compile(rf"(?<![\d.,])0\s*(?:-|\u2013|\u2014|s\.?\s?d\.?|sampai|hingga|to)\s*{_NUMBER}"
               r"(?![\d])", re.I),
    re.compile(rf"\b(?:maks(?:imal|imum)?|max(?:imum)?|tertinggi)\.?\s*[:=]?\s*{_NUMBER}(?![\d])",
               re.I),
    re.compile(rf"\b(?:out of|dari)\s+{_NUMBER}(?![\d])", re.I),
)  # fmt: skip

_MAX_WORDS = re.compile(r"maks|max|tertinggi|highest|sempurna|perfect|semua benar", re.I)


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def label_bound(texts: Iterable[str]) -> tuple[float, str] | None:
    """The maximum a header or variable label states, with the words that state it.

    Examples
    --------
    >>> label_bound(["Posttest (skor 0\u201350)"])[0], label_bound(["Nilai akhir out of 25"])[0]
    (50.0, 25.0)
    >>> label_bound(["Pre-test 2024"]) is None
    True
    """
    for text in texts:
        for pattern in _LABEL_BOUNDS:
            m = pattern.search(str(text))
            if m and _number(m[1]) > 0:
                return _number(m[1]), f"{m[0].strip()!r} in {str(text)!r}"
    return None


def value_label_bound(labels: Mapping[Any, str]) -> tuple[float, str] | None:
    """The maximum SPSS value labels give: a code labelled as the maximum, else the highest code.

    Examples
    --------
    >>> value_label_bound({0: "Nol", 50: "Nilai maksimum"})
    (50.0, "the SPSS value label 50 = 'Nilai maksimum'")
    >>> value_label_bound({}) is None
    True
    """
    codes = {}
    for code, label in labels.items():
        try:
            codes[float(code)] = str(label)
        except (TypeError, ValueError):
            continue
    if not codes:
        return None
    marked = [c for c, label in codes.items() if _MAX_WORDS.search(label)]
    code = max(marked) if marked else max(codes)
    return code, f"the SPSS value label {code:g} = {codes[code]!r}"


def observed_scores(values: Sequence[str], labels: Mapping[Any, str]) -> list[float]:
    """The scores of a column's cells; a cell showing a value label counts as its code.

    Examples
    --------
    >>> observed_scores(["40", "Nilai maksimum", "x"], {50: "Nilai maksimum"})
    [40.0, 50.0]
    """
    from evalkit.data.parse import parse_number

    by_label = {}
    for code, label in labels.items():
        try:
            by_label[str(label).strip()] = float(code)
        except (TypeError, ValueError):
            continue
    out = []
    for v in values:
        number = parse_number(v)[0]
        if number is None:
            number = by_label.get(str(v).strip())
        if number is not None:
            out.append(float(number))
    return out


def _seen_bound(scores: Sequence[float]) -> tuple[float, str]:
    """The maximum guessed from the scores alone; a few above 100 are typing errors."""
    top = max(scores)
    above = sum(s > 100 for s in scores)
    if top in USUAL_MAXIMA:
        return top, f"the highest score seen is {top:g}"
    if top < 100:
        return 100.0, f"no label states the maximum and the highest score seen is {top:g}"
    if above / len(scores) <= 0.05:
        return 100.0, (f"{above} score(s) above 100 will be quarantined; check them with "
                       "`evalkit check`")  # fmt: skip
    higher = [m for m in USUAL_MAXIMA if m >= top]
    return (float(higher[0]) if higher else top), f"scores go up to {top:g}"


def score_bound(texts: Sequence[str], labels: Mapping[Any, str],
                scores: Sequence[float]) -> tuple[float, str]:  # fmt: skip
    """The guessed maximum of a score column and a note saying where it came from.

    Parameters
    ----------
    texts : sequence of str
        The column's header and SPSS variable label.
    labels : mapping
        Its SPSS value labels (code -> label), empty for CSV and XLSX.
    scores : sequence of float
        The scores seen (:func:`observed_scores`).

    Returns
    -------
    (float, str)
        The maximum and the note (which says when some score lies above it).

    Examples
    --------
    >>> score_bound(["pre"], {}, [])
    (100.0, 'no label states the maximum and no score was seen')
    >>> score_bound(["Post (0-50)"], {}, [48.0, 61.0])[1]
    "from '0-50' in 'Post (0-50)'; 1 score(s) above it, up to 61: check which is right"
    """
    found = value_label_bound(labels) or label_bound(texts)
    if found is None:
        if not scores:
            return 100.0, "no label states the maximum and no score was seen"
        return _seen_bound(scores)
    bound, evidence = found
    note = f"from {evidence}"
    above = [s for s in scores if s > bound]
    if above:
        note += f"; {len(above)} score(s) above it, up to {max(above):g}: check which is right"
    elif scores:
        note += f"; the highest score seen is {max(scores):g}"
    return bound, note
