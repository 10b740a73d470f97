"""Personal data scrubbing: NIPs, contact details and names out of free text and the log.

Where it sits in cleaning: free-text comments are scrubbed by :func:`scrub_text` (with a
:class:`NameScrubber` of every participant name the run has read) before they are
written to the ``comments`` table, and every value the quality log shows is scrubbed,
shortened (:func:`shorten`), masked (:func:`mask_nip`) and defused against spreadsheet
formulas (:func:`defuse`) by :class:`evalkit.data.quality.QualityLog`.

Examples
--------
>>> scrub_text("hubungi 0812-3456-7890", NameScrubber([]))
'hubungi [telepon]'
>>> mask_nip("198505122010011002"), defuse("=HYPERLINK()")
('1985**************', "'=HYPERLINK()")
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable

from evalkit.data.pseudonym import normalize_name

#: Longest value text kept in the quality log.
LOG_VALUE_CHARS = 80


_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")


_NIP_LIKE = re.compile(r"(?<![\w])\d(?:[ .\-]?\d){14,20}(?![\w])")


_PHONE = re.compile(r"(?<![\w+])(?:\+\s?62|62|0)[\s.\-]?\(?8\d{1,2}\)?(?:[\s.\-]?\d){6,10}(?!\d)")


_LANDLINE = re.compile(r"(?<![\w])\(?0\d{2,3}\)?[\s.\-]?\d{5,8}(?!\d)")


_LONG_NUMBER = re.compile(r"(?<![\w])\d(?:[ .\-]?\d){8,}(?![\w])")


def scrub_text(text: object, names: NameScrubber | None = None) -> str:
    """Remove direct identifiers from free text.

    NIP-like digit runs (15+ digits, spaces/dots/dashes allowed) become
    ``[NIP]``, e-mail addresses ``[email]``, Indonesian mobile and landline
    numbers ``[telepon]``, any other run of 9+ digits ``[nomor]``, and known
    names (``names``, a :class:`NameScrubber`) ``[nama]``.

    Examples
    --------
    >>> scrub_text("NIP saya 19850512 201001 1 002, wa +62 812 3456 7890")
    'NIP saya [NIP], wa [telepon]'
    """
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    out = str(text)
    out = _EMAIL.sub("[email]", out)
    out = _NIP_LIKE.sub("[NIP]", out)
    out = _PHONE.sub("[telepon]", out)
    out = _LANDLINE.sub("[telepon]", out)
    out = _LONG_NUMBER.sub("[nomor]", out)
    if names is not None:
        out = names(out)
    return out


_WORD = re.compile(r"\w+")


class NameScrubber:
    """Replace known full names in free text by ``[nama]``.

    Names are normalised (:func:`evalkit.data.pseudonym.normalize_name`: titles and
    punctuation removed, case-folded) and matched as whole word sequences, so
    the cost grows with the text, not with the number of names. Names of a
    single word shorter than 4 letters are skipped (too many false hits).

    Examples
    --------
    >>> scrub = NameScrubber(["Drs. Maria Ndun, M.Si", "Yo"])
    >>> scrub("terima kasih ibu MARIA  NDUN dan yo")
    'terima kasih ibu [nama] dan yo'
    >>> len(scrub)
    1
    """

    def __init__(self, names: Iterable[object]) -> None:
        self.names: set[tuple[str, ...]] = set()
        for name in names:
            norm = normalize_name(name)
            if norm and (" " in norm or len(norm) >= 4):
                self.names.add(tuple(norm.split()))
        self.longest = max((len(n) for n in self.names), default=0)

    def __len__(self) -> int:
        return len(self.names)

    def __call__(self, text: str) -> str:
        if not self.names:
            return text
        words = list(_WORD.finditer(text))
        keys = [unicodedata.normalize("NFKC", w.group()).casefold() for w in words]
        pieces, last, i = [], 0, 0
        while i < len(words):
            for n in range(min(self.longest, len(words) - i), 0, -1):
                if tuple(keys[i : i + n]) in self.names:
                    pieces.append(text[last : words[i].start()] + "[nama]")
                    last, i = words[i + n - 1].end(), i + n
                    break
            else:
                i += 1
        return "".join(pieces) + text[last:]


def shorten(text: str, limit: int = LOG_VALUE_CHARS) -> str:
    """``text`` cut to ``limit`` characters, ending in ``...`` when cut.

    Examples
    --------
    >>> shorten("abcdefgh", 6)
    'abc...'
    """
    text = str(text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def defuse(text: str) -> str:
    """Neutralise spreadsheet formulas: prefix ``'`` to cells starting with = + - @.

    A negative number stays as it is.

    Examples
    --------
    >>> defuse("=1+1"), defuse("-5"), defuse("-x")
    ("'=1+1", '-5', "'-x")
    """
    if text[:1] in ("=", "+", "@", "\t", "\r") or (
        text[:1] == "-" and not re.fullmatch(r"-\d[\d.,]*", text)
    ):
        return "'" + text
    return text


def mask_nip(text: str) -> str:
    """A NIP with every digit after the fourth masked (``*``), separators kept.

    Examples
    --------
    >>> mask_nip("19850512 201001 1 002")
    '1985**** ****** * ***'
    """
    seen = 0
    out = []
    for ch in text:
        if ch.isdigit():
            seen += 1
            out.append(ch if seen <= 4 else "*")
        else:
            out.append(ch)
    return "".join(out)
