"""Clean a study's raw exports into the processed tables of the data model.

:func:`clean_study` reads every raw export named by the study's codebook
(``docs/data-model.md``), validates and normalises each cell, links the
instruments by participant, replaces NIPs and names by salted pseudonymous ids
and writes the processed tables (Parquet), a data-quality log and a manifest.

Every input row ends in exactly one place: an output table, the quality log as a
dropped duplicate or empty row, or the quality log as quarantined with its reason.
A row is quarantined when any mapped cell holds a value that cannot be read or
breaks a rule of the codebook (unknown Likert label or category, number out of
``min``/``max``, impossible date, timestamp later than the day of cleaning,
unknown cohort), or a required value is missing; empty cells are simply missing.
A NIP that cannot be used (lossy scientific notation, wrong length, impossible
birth date...) does not sink its row when the row has a name: the participant is
linked to the NIP recorded for the same name in the same cohort elsewhere in the
study, or else gets a pseudonym from name and cohort (logged as ``repaired``).
Cells changed into their canonical form (mangled NIPs, unit variants and typos,
XLSX cells filled from a merged range) are logged as ``repaired``.

Two cases have a rule of their own:

- **The same participant with conflicting data.** Roster (``participants``) rows
  of one cohort that share a NIP (or, without a NIP, a name) but disagree on
  name, sex, unit, golongan or position are all quarantined (``nip_conflict``):
  most likely one NIP was mistyped, and neither row can be trusted. Rows that
  agree are duplicates (the later one is kept, the others ``dropped``).
- **A post-test without a pre-test.** The participant is kept with ``pre``
  missing and the row is logged as ``flagged`` (``post_without_pre``): it counts
  in post-test results but not in paired change. ``flagged`` rows are kept.

A cohort whose end date is before its start date is quarantined
(``bad_date_order``); one that runs longer than a year (``LONG_COHORT_DAYS``) is
kept and ``flagged`` (``long_cohort``). A timestamp later than the day of cleaning
quarantines its row (``future_date``); a later date in any other ``date`` column (a
cohort's start or end) is kept and ``flagged`` with the same reason, since a cohort
list may hold planned cohorts and quarantining a cohort would quarantine all its data. In ``benefits``, attribution and confidence are read as
shares 0-1 (:func:`parse_share`: ``"60%"``, ``"60"`` and ``"0,6"`` are 0.6); a
share above 100 % or below 0, a negative amount, or a missing amount, attribution
or confidence quarantines the estimate (``out_of_range``, ``missing_required``).
A benefit row without NIP and name is a unit-level estimate, kept without a
participant. The raw folder is only read; a dry run
(``clean_study(..., dry_run=True)``) writes nothing at all.

The parsers used for single cells (:func:`parse_number`, :func:`parse_date`,
:func:`parse_datetime`, :func:`parse_bool`, :func:`scrub_text`) never raise:
they return the value and a reason when the text cannot be read.

Examples
--------
>>> parse_number("1.250.000")
(1250000.0, None)
>>> parse_date("27/11/2025")
(Timestamp('2025-11-27 00:00:00'), None)
>>> scrub_text("hubungi 0812-3456-7890 / budi@example.go.id")
'hubungi [telepon] / [email]'
"""

from __future__ import annotations

import datetime as _dt
import difflib
import math
import os
import re
import shutil
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from evalkit import constants as C
from evalkit.codebook import (
    OPTIONAL_PERSON_TABLES,
    PERSON_TABLES,
    VOCABULARIES,
    Codebook,
    ColumnSpec,
    ItemSpec,
    TableSpec,
    load_codebook,
    match_headers,
    norm_label,
)
from evalkit.errors import CodebookError, DataError, ParameterError
from evalkit.io import read_rows, read_table, sha256, write_csv, write_json, write_parquet
from evalkit.nip import age_bands, parse_nip, sexes
from evalkit.pseudonym import load_salt, normalize_name, pseudonym

#: Columns of every processed table, in order (docs/data-model.md).
OUTPUT_COLUMNS: dict[str, tuple[str, ...]] = {
    "programs": (C.PROGRAM_ID, C.PROGRAM_NAME, C.SKILL_TYPE),
    "cohorts": (
        C.COHORT_ID, C.PROGRAM_ID, C.PROGRAM_NAME, C.SKILL_TYPE, C.BATCH, C.START_DATE,
        C.END_DATE, C.DELIVERY, C.FACILITATOR_TYPE, C.JP,
    ),
    "participants": (
        C.COHORT_ID, C.PARTICIPANT_ID, C.SEX, C.AGE_BAND, C.GOLONGAN, C.POSITION_TYPE, C.UNIT,
    ),
    "reaction": (
        C.COHORT_ID, C.PARTICIPANT_ID, C.ITEM, C.DIMENSION, C.SCORE, C.SCALE_MAX, C.SUBMITTED_AT,
    ),
    "reaction_items": (C.ITEM, C.DIMENSION, C.SCALE_MAX, "reverse", C.TEXT),
    "learning": (C.COHORT_ID, C.PARTICIPANT_ID, C.PRE, C.POST, C.MAX_SCORE),
    "test_items": (C.COHORT_ID, C.PARTICIPANT_ID, C.PHASE, C.ITEM, C.CORRECT),
    "followup": (
        C.COHORT_ID, C.PARTICIPANT_ID, C.RATER, C.MONTHS_AFTER, C.ITEM, C.SCORE, C.SCALE_MAX,
    ),
    "projects": (C.COHORT_ID, C.PARTICIPANT_ID, C.MONTHS_AFTER, C.PROJECT_STATUS),
    "ikm": (
        C.UNIT, C.PERIOD, "period_index", C.POST, C.TREATED, C.RESPONDENT_ID, *C.IKM_ELEMENTS,
    ),
    "unit_kpi": (
        C.UNIT, C.PERIOD, "period_index", C.POST, C.TREATED, C.SERVICE_DAYS, C.COMPLAINTS,
    ),
    "costs": (C.COHORT_ID, C.CATEGORY, C.AMOUNT),
    "comments": (C.COHORT_ID, C.PARTICIPANT_ID, C.TEXT),
    "benefits": (C.COHORT_ID, C.PARTICIPANT_ID, C.BENEFIT_TYPE, C.BENEFIT, C.ATTRIBUTION,
                 C.CONFIDENCE),
}  # fmt: skip
#: Key columns of each table: one row per key; also the sort order.
TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "programs": (C.PROGRAM_ID,),
    "cohorts": (C.COHORT_ID,),
    "participants": (C.COHORT_ID, C.PARTICIPANT_ID),
    "reaction": (C.COHORT_ID, C.PARTICIPANT_ID),
    "learning": (C.COHORT_ID, C.PARTICIPANT_ID),
    "test_items": (C.COHORT_ID, C.PARTICIPANT_ID, C.PHASE),
    "followup": (C.COHORT_ID, C.PARTICIPANT_ID, C.RATER, C.MONTHS_AFTER),
    "projects": (C.COHORT_ID, C.PARTICIPANT_ID, C.MONTHS_AFTER),
    "unit_kpi": (C.UNIT, C.PERIOD),
    "costs": (C.COHORT_ID, C.CATEGORY),
    "benefits": (C.COHORT_ID, C.PARTICIPANT_ID, C.BENEFIT_TYPE),
}
#: Integer columns (nullable Int64 in the output).
INT_COLUMNS = (C.BATCH, C.JP, C.MONTHS_AFTER, C.COMPLAINTS, C.SCALE_MAX, C.CORRECT, "period_index")
#: Date and datetime columns.
DATE_COLUMNS = (C.START_DATE, C.END_DATE)
DATETIME_COLUMNS = (C.SUBMITTED_AT,)
#: Default maximum of a test score when the codebook gives none.
DEFAULT_MAX_SCORE = 100.0
#: Longest value text kept in the quality log.
LOG_VALUE_CHARS = 80
#: Smallest similarity for a unit typo to be mapped to a known unit (difflib ratio).
UNIT_MATCH_CUTOFF = 0.85
#: Long tables (one row per answer, not per form) and what their rows are called.
LONG_TABLES = {"reaction": "answers", "followup": "answers", "test_items": "item answers"}
#: A cohort running longer than this many days is flagged (``long_cohort``).
LONG_COHORT_DAYS = 366

_EMPTY = {"", "-", "--", "nan", "none", "null", "n/a", "na", "#n/a"}


# --- single-cell parsers (never raise) ----------------------------------------------
def _blank(text: object) -> bool:
    return (
        text is None
        or (isinstance(text, float) and math.isnan(text))
        or (str(text).strip().casefold() in _EMPTY)
    )


def _blank_mask(values: pd.Series) -> pd.Series:
    """Vectorised :func:`_blank`: a boolean Series, True where the cell is empty."""
    text = values.astype(object).where(values.notna(), "").astype(str)
    return text.str.strip().str.casefold().isin(_EMPTY).astype(bool)


_NUM_CLEAN = re.compile(r"(?i)^(rp\.?|idr)\s*|\s*(rp|idr|,-|\.-)$")
_THOUSANDS_DOT = re.compile(r"[1-9]\d{0,2}(\.\d{3})+")
_THOUSANDS_COMMA = re.compile(r"[1-9]\d{0,2}(,\d{3}){2,}")
_PLAIN = re.compile(r"\d+")
_DECIMAL = re.compile(r"\d*[.,]\d+|\d+[.,]")


def parse_number(text: object) -> tuple[float | None, str | None]:
    """Read a number written the Indonesian or the English way.

    Comma decimals (``"78,5"``), thousands dots (``"1.250.000"``, ``"750.000"``),
    both (``"1.250.000,50"``), English thousands (``"1,250,000.50"``), a leading
    ``Rp``, spaces inside and scientific notation are accepted.

    Returns
    -------
    tuple of (float or None, str or None)
        ``(value, None)``, ``(None, None)`` for an empty cell, or
        ``(None, reason)``.

    Notes
    -----
    A single dot followed by exactly three digits after a non-zero leading
    group (``"1.250"``) is read as a thousands separator, the Indonesian
    convention; ``"0.125"`` and ``"2.5"`` are decimals.

    Examples
    --------
    >>> parse_number("78,5"), parse_number("Rp 1.250.000,-"), parse_number("2.5")
    ((78.5, None), (1250000.0, None), (2.5, None))
    >>> parse_number("tujuh")
    (None, "not_a_number: 'tujuh' is not a number")
    """
    if _blank(text):
        return None, None
    raw = str(text).strip()
    t = _NUM_CLEAN.sub("", raw).strip()
    t = re.sub(r"[\s\u00a0\u202f']", "", t)
    sign = 1.0
    if t.startswith("(") and t.endswith(")"):
        t, sign = t[1:-1], -1.0
    if t[:1] in "+-" and t[:1]:
        sign, t = (-sign if t[0] == "-" else sign), t[1:]
    value: float | None = None
    if _PLAIN.fullmatch(t):
        value = float(int(t))
    elif "." in t and "," in t:
        dec = "." if t.rfind(".") > t.rfind(",") else ","
        thou = "," if dec == "." else "."
        whole, _, frac = t.rpartition(dec)
        if re.fullmatch(rf"[1-9]\d{{0,2}}(\{thou}\d{{3}})*|0", whole) and frac.isdigit():
            value = float(whole.replace(thou, "") + "." + frac)
    elif _THOUSANDS_DOT.fullmatch(t):
        value = float(t.replace(".", ""))
    elif _THOUSANDS_COMMA.fullmatch(t):
        value = float(t.replace(",", ""))
    elif _DECIMAL.fullmatch(t):
        value = float(t.replace(",", "."))
    elif re.fullmatch(r"\d+([.,]\d+)?[eE][+-]?\d+", t):
        value = float(t.replace(",", "."))
    if value is None or not math.isfinite(value):
        return None, f"not_a_number: {_short(raw)!r} is not a number"
    return sign * value, None


_PERCENT = re.compile(r"^(.*?)\s*%$")


def parse_share(text: object) -> tuple[float | None, str | None]:
    """Read a share (attribution, confidence) as a fraction 0-1.

    ``"60%"``, ``"60 %"``, ``"60"`` and ``"0,6"`` are all 0.6: a number with a
    ``%`` sign is a percentage; without one, a number from 0 to 1 is already a
    share and a number above 1 (up to 100) a percentage without its sign. Comma
    decimals are accepted as in :func:`parse_number`.

    Returns
    -------
    tuple of (float or None, str or None)
        ``(share, None)``, ``(None, None)`` for an empty cell, or
        ``(None, reason)``: ``out_of_range`` for a negative share or one above
        100 %, ``not_a_share`` for text that is not a number.

    Notes
    -----
    ``"1"`` is read as 1.0 (100 %), not 1 %: write ``"1%"`` for one percent.

    Examples
    --------
    >>> parse_share("60%"), parse_share("60"), parse_share("0,75"), parse_share("12,5 %")
    ((0.6, None), (0.6, None), (0.75, None), (0.125, None))
    >>> parse_share("120%")
    (None, "out_of_range: '120%' is more than 100%; a share is 0-100% (or 0-1)")
    """
    if _blank(text):
        return None, None
    raw = str(text).strip()
    m = _PERCENT.match(raw)
    number, _reason = parse_number(m.group(1) if m else raw)
    if number is None:
        return None, f"not_a_share: {_short(raw)!r} is not a percentage or a share 0-1"
    percent = number if (m or number > 1) else number * 100
    if percent < 0:
        return None, f"out_of_range: {_short(raw)!r} is negative; a share is 0-100% (or 0-1)"
    if percent > 100:
        return None, f"out_of_range: {_short(raw)!r} is more than 100%; a share is 0-100% (or 0-1)"
    return (percent / 100 if (m or number > 1) else number), None


_MONTHS = {
    **dict.fromkeys(("jan", "januari", "january"), 1),
    **dict.fromkeys(("feb", "peb", "februari", "pebruari", "february"), 2),
    **dict.fromkeys(("mar", "maret", "march"), 3),
    **dict.fromkeys(("apr", "april"), 4),
    **dict.fromkeys(("mei", "may"), 5),
    **dict.fromkeys(("jun", "juni", "june"), 6),
    **dict.fromkeys(("jul", "juli", "july"), 7),
    **dict.fromkeys(("agu", "agt", "agus", "agustus", "aug", "august"), 8),
    **dict.fromkeys(("sep", "sept", "september"), 9),
    **dict.fromkeys(("okt", "oktober", "oct", "october"), 10),
    **dict.fromkeys(("nov", "nop", "nopember", "november"), 11),
    **dict.fromkeys(("des", "desember", "dec", "december"), 12),
}
_TIME = r"(?:[T\s,]+(\d{1,2})[:.](\d{2})(?:[:.](\d{2})(?:\.\d+)?)?\s*(am|pm)?)?"
_ISO = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})" + _TIME, re.I)
_DMY = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})" + _TIME, re.I)
_TEXTUAL = re.compile(r"(?:[a-z]+,?\s+)?(\d{1,2})[\s\-]+([a-z]+)\.?[\s\-]+(\d{4})" + _TIME, re.I)
_SERIAL = re.compile(r"\d{5}(?:[.,]\d+)?")
_TZ = re.compile(r"\s*(?:gmt|utc|wib|wita|wit)\s*(?:[+-]\s*\d{1,2}(?::?\d{2})?)?$", re.I)
_EXCEL_EPOCH = _dt.datetime(1899, 12, 30)


def _make_datetime(y: int, mo: int, d: int, h: Any, mi: Any, s: Any, ampm: Any) -> _dt.datetime:
    hour = int(h) if h else 0
    if ampm:
        if not 1 <= hour <= 12:
            raise ValueError("hour")
        hour = hour % 12 + (12 if ampm.lower() == "pm" else 0)
    return _dt.datetime(y, mo, d, hour, int(mi) if mi else 0, int(s) if s else 0)


def parse_datetime(text: object) -> tuple[pd.Timestamp | None, str | None]:
    """Read a day-first date and time (``"27/11/2025 09:14:03"``).

    Accepted: day-first ``d/m/yyyy`` (``/``, ``-`` or ``.``; two-digit years
    are 2000-2069 or 1970-1999) with an optional ``hh:mm[:ss]`` and AM/PM;
    ISO ``yyyy-mm-dd[ hh:mm:ss]`` (how spreadsheet cells are read); Indonesian
    or English month names (``"27 Nopember 2025"``, ``"Senin, 3 Maret 2025"``);
    Excel serial numbers (``"45988.38"``); a trailing ``GMT+8``/``WITA`` is
    ignored. Years must be 1900-2100.

    Returns
    -------
    tuple of (pandas.Timestamp or None, str or None)
        ``(value, None)``, ``(None, None)`` for an empty cell, or
        ``(None, reason)``.

    Examples
    --------
    >>> parse_datetime("27/11/2025 9:14:03 PM")
    (Timestamp('2025-11-27 21:14:03'), None)
    >>> parse_datetime("31/02/2025")[1]
    "bad_date: '31/02/2025' is not a real day-first date"
    """
    if _blank(text):
        return None, None
    raw = str(text).strip()
    t = _TZ.sub("", raw).strip()
    try:
        m = _ISO.fullmatch(t)
        if m:
            y, mo, d = int(m[1]), int(m[2]), int(m[3])
            value = _make_datetime(y, mo, d, m[4], m[5], m[6], m[7])
        elif m := _DMY.fullmatch(t):
            d, mo, y = int(m[1]), int(m[2]), int(m[3])
            if len(m[3]) == 2:
                y += 2000 if y < 70 else 1900
            value = _make_datetime(y, mo, d, m[4], m[5], m[6], m[7])
        elif (m := _TEXTUAL.fullmatch(t)) and m[2].casefold() in _MONTHS:
            value = _make_datetime(
                int(m[3]), _MONTHS[m[2].casefold()], int(m[1]), m[4], m[5], m[6], m[7]
            )
        elif _SERIAL.fullmatch(t) and 10000 <= float(t.replace(",", ".")) < 80000:
            days = float(t.replace(",", "."))
            value = _EXCEL_EPOCH + _dt.timedelta(days=days)
            value = value.replace(microsecond=0)
        else:
            return None, f"bad_date: {_short(raw)!r} is not a day-first date (dd/mm/yyyy)"
    except (ValueError, OverflowError):
        return None, f"bad_date: {_short(raw)!r} is not a real day-first date"
    if not 1900 <= value.year <= 2100:
        return None, f"bad_date: {_short(raw)!r} has a year outside 1900-2100"
    return pd.Timestamp(value), None


def parse_date(text: object) -> tuple[pd.Timestamp | None, str | None]:
    """Read a day-first date; any time of day is dropped.

    Same formats as :func:`parse_datetime`.

    Examples
    --------
    >>> parse_date("3 Agustus 2024")
    (Timestamp('2024-08-03 00:00:00'), None)
    >>> parse_date("2024-13-01")[1]
    "bad_date: '2024-13-01' is not a real day-first date"
    """
    value, reason = parse_datetime(text)
    return (None if value is None else value.normalize()), reason


_TRUE = {"1", "ya", "y", "yes", "true", "t", "benar", "b", "v", "✓", "iya", "ada", "sudah"}
_FALSE = {"0", "tidak", "tdk", "n", "no", "false", "f", "salah", "s", "x", "belum", "tidak ada"}


def parse_bool(text: object) -> tuple[bool | None, str | None]:
    """Read a yes/no answer in Indonesian or English.

    Examples
    --------
    >>> parse_bool("Ya"), parse_bool("salah"), parse_bool("mungkin")[1]
    ((True, None), (False, None), "not_a_bool: 'mungkin' is not yes/no (ya/tidak, benar/salah, 1/0)")
    """
    if _blank(text):
        return None, None
    t = norm_label(text)
    if t in _TRUE:
        return True, None
    if t in _FALSE:
        return False, None
    return None, f"not_a_bool: {_short(str(text))!r} is not yes/no (ya/tidak, benar/salah, 1/0)"


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

    Names are normalised (:func:`evalkit.pseudonym.normalize_name`: titles and
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


def _short(text: str, limit: int = LOG_VALUE_CHARS) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _defuse(text: str) -> str:
    """Neutralise spreadsheet formulas: prefix ``'`` to cells starting with = + - @."""
    if text[:1] in ("=", "+", "@", "\t", "\r") or (
        text[:1] == "-" and not re.fullmatch(r"-\d[\d.,]*", text)
    ):
        return "'" + text
    return text


def _mask_nip(text: str) -> str:
    seen = 0
    out = []
    for ch in text:
        if ch.isdigit():
            seen += 1
            out.append(ch if seen <= 4 else "*")
        else:
            out.append(ch)
    return "".join(out)


# --- the quality log ----------------------------------------------------------------
LOG_COLUMNS = ("file", "row", "column", "value", "reason", "action")


@dataclass
class QualityLog:
    """Entries of ``quality_log.csv``: file, row, column, value, reason, action."""

    entries: list[tuple[str, int, str, str, str, str]] = field(default_factory=list)
    names: NameScrubber | None = None

    def add(
        self, file: str, row: int | None, column: str, value: object, reason: str, action: str,
        *, kind: str = "str",
    ) -> None:  # fmt: skip
        """Add one entry; ``value`` is masked (``kind`` nip/name) and scrubbed."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            text = ""
        elif kind == "nip":
            text = _mask_nip(str(value).strip())
        elif kind == "name":
            text = "[nama]" if str(value).strip() else ""
        else:
            text = scrub_text(str(value), self.names)
        self.entries.append(
            (file, int(row or 0), _defuse(column), _defuse(_short(text)), str(reason), action)
        )

    def frame(self) -> pd.DataFrame:
        """The entries as a DataFrame in a deterministic order."""
        frame = pd.DataFrame(self.entries, columns=list(LOG_COLUMNS)).astype(
            {"file": object, "row": "int64", "column": object, "value": object,
             "reason": object, "action": object}
        )  # fmt: skip
        return frame.sort_values(list(LOG_COLUMNS), kind="mergesort").reset_index(drop=True)


# --- the summary --------------------------------------------------------------------
@dataclass(frozen=True)
class CleanSummary:
    """What :func:`clean_study` did.

    Attributes
    ----------
    study : str
        The codebook's study name.
    out_dir : Path
        Folder written.
    tables : dict of str to int
        Processed table -> rows written.
    rows_read, rows_kept, duplicates, quarantined, empty : int
        Input rows (over every codebook table and file) and where they went;
        ``rows_read == rows_kept + duplicates + quarantined + empty``.
    repaired : int
        Cells repaired (quality-log entries with action ``repaired``).
    reasons : dict of str to int
        Quality-log entries by reason code.
    quality_log, manifest : Path or None
        Files written besides the tables (None in a dry run).
    flagged : int
        Rows kept but flagged for the evaluator (action ``flagged``).
    log : pandas.DataFrame or None
        The quality log itself (``LOG_COLUMNS``).
    dry_run : bool
        True when nothing was written.
    """

    study: str
    out_dir: Path | None
    tables: dict[str, int]
    rows_read: int
    rows_kept: int
    duplicates: int
    quarantined: int
    empty: int
    repaired: int
    reasons: dict[str, int]
    quality_log: Path | None
    manifest: Path | None
    flagged: int = 0
    log: pd.DataFrame | None = field(default=None, repr=False, compare=False)
    dry_run: bool = False

    def __str__(self) -> str:
        tables = ", ".join(
            f"{name} {n:,} {LONG_TABLES[name]}" if name in LONG_TABLES else f"{name} {n:,}"
            for name, n in self.tables.items()
        )
        head = (
            f"study {self.study}: dry run, {len(self.tables)} tables checked, nothing written"
            if self.dry_run
            else f"study {self.study}: {len(self.tables)} tables written to {self.out_dir}"
        )
        flagged = f"; rows flagged: {self.flagged:,}" if self.flagged else ""
        where = self.quality_log if self.quality_log is not None else "not written (dry run)"
        return "\n".join(
            [
                head,
                f"  table rows: {tables}",
                f"  input rows (forms and list rows read) {self.rows_read:,}: "
                f"{self.rows_kept:,} kept, "
                f"{self.duplicates:,} duplicates dropped, {self.quarantined:,} quarantined, "
                f"{self.empty:,} empty",
                f"  cells repaired: {self.repaired:,} (NIPs, unit names; see the log){flagged}",
                f"  quality log: {where} ({sum(self.reasons.values()):,} entries)",
            ]
        )


# --- reading one codebook table -----------------------------------------------------
@dataclass
class _Context:
    codebook: Codebook
    raw_dir: Path
    log: QualityLog
    salt: bytes
    status: dict[tuple[str, str, int], str] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    cohorts: dict[str, str] = field(default_factory=dict)
    files: dict[str, list[str]] = field(default_factory=dict)
    now: pd.Timestamp = field(default_factory=lambda: pd.Timestamp.now().floor("s"))

    def mark(self, spec: str, file: str, row: int, status: str) -> None:
        self.status[(spec, file, row)] = status


def _cell_parser(
    col: ColumnSpec, ctx: _Context
) -> Callable[[str], tuple[Any, str | None, str | None]]:
    """Return f(text) -> (value, problem, repair) for one column spec."""
    ctype = col.type

    def bounded(
        value: float | None, reason: str | None, raw: str
    ) -> tuple[Any, str | None, str | None]:
        if value is None:
            return None, reason, None
        if col.min is not None and value < col.min or col.max is not None and value > col.max:
            lo = "-inf" if col.min is None else f"{col.min:g}"
            hi = "inf" if col.max is None else f"{col.max:g}"
            return None, f"out_of_range: {_short(raw)!r} is outside {lo}..{hi}", None
        return value, None, None

    if ctype in ("float", "int"):

        def parse(raw: str) -> tuple[Any, str | None, str | None]:
            value, reason = parse_number(raw)
            if value is not None and ctype == "int" and not float(value).is_integer():
                return None, f"not_an_integer: {_short(raw)!r} is not a whole number", None
            return bounded(value, reason, raw)

        return parse
    if ctype == "share":
        return lambda raw: bounded(*parse_share(raw), raw)
    if ctype == "likert":
        scale = ctx.codebook.likert[str(col.likert)]

        def parse(raw: str) -> tuple[Any, str | None, str | None]:
            if _blank(raw):
                return None, None, None
            value = scale.score(raw)
            if value is None:
                return None, _likert_reason(raw, scale), None
            return bounded(float(value), None, raw)

        return parse
    if ctype == "date":
        if col.name != C.SUBMITTED_AT:
            return lambda raw: (*parse_date(raw), None)  # later dates: _flag_dates

        def day(raw: str) -> tuple[Any, str | None, str | None]:
            value, reason = parse_date(raw)
            if value is not None and value > ctx.now.normalize():
                return None, _future_reason(raw, ctx), None
            return value, reason, None

        return day
    if ctype == "datetime":
        latest = ctx.now + pd.Timedelta(days=1)

        def when(raw: str) -> tuple[Any, str | None, str | None]:
            value, reason = parse_datetime(raw)
            if value is not None and value > latest:
                return None, _future_reason(raw, ctx), None
            return value, reason, None

        def bulk(texts: list[Any]) -> list[tuple[Any, str | None, str | None] | None]:
            """Vectorised fast path for ``dd/mm/yyyy hh:mm:ss`` (Google Forms)."""
            series = pd.Series(texts, dtype=object)
            plain = series.map(lambda t: isinstance(t, str)).astype(bool)
            text = series.where(plain, "").astype(str)
            exact = text.str.fullmatch(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2}").astype(bool)
            stamps = pd.to_datetime(text.where(exact, None), format="%d/%m/%Y %H:%M:%S",
                                    errors="coerce")  # fmt: skip
            fine = exact & stamps.notna() & stamps.dt.year.between(1900, 2100) & (stamps <= latest)
            return [
                (pd.Timestamp(v), None, None) if ok else None
                for v, ok in zip(stamps.tolist(), fine.tolist(), strict=True)
            ]

        when.bulk = bulk
        return when
    if ctype == "bool":
        return lambda raw: (*parse_bool(raw), None)
    if ctype == "nip":

        def parse(raw: str) -> tuple[Any, str | None, str | None]:
            if _blank(raw):
                return None, None, None
            nip, reason = parse_nip(raw)
            if nip is None:
                return None, reason, None
            bare = str(raw).strip().strip("'\"`\u2018\u2019\u201c\u201d").strip()
            repair = None if bare == nip else f"nip_reformatted: {_nip_repair_kind(bare)}"
            return nip, None, repair

        return parse
    if ctype == "unit":
        return lambda raw: _parse_unit(raw, ctx)
    if ctype in ("category", "str", "name"):
        vocab = VOCABULARIES.get(col.name)
        mapping = dict(col.values or {})
        if ctype == "category" or vocab is not None:
            for canonical in set(mapping.values()) | set(vocab or ()):
                mapping.setdefault(norm_label(canonical), canonical)

        def parse(raw: str) -> tuple[Any, str | None, str | None]:
            if _blank(raw):
                return None, None, None
            text = re.sub(r"\s+", " ", str(raw)).strip()
            if ctype == "name" or not mapping:
                return text, None, None
            key = norm_label(text)
            if key in mapping:
                return mapping[key], None, None
            allowed = sorted(set(mapping.values()))
            return (
                None,
                (
                    f"unknown_category: {_short(text)!r} is not a known {col.name} "
                    f"(allowed: {', '.join(allowed)})"
                ),
                None,
            )

        return parse
    raise ParameterError(f"clean_study: column type {ctype!r} is not supported")  # pragma: no cover


def _future_reason(raw: object, ctx: _Context) -> str:
    return (
        f"future_date: {_short(str(raw))!r} is later than the day of cleaning ({ctx.now:%Y-%m-%d})"
    )


def _nip_repair_kind(bare: str) -> str:
    if "e" in bare.lower():
        return "scientific notation with all 18 digits"
    if re.search(r"[.,]0+$", bare) and len(re.sub(r"\D", "", bare)) > 18:
        return "trailing decimal '.0' removed"
    return "separators removed"


def _likert_reason(raw: str, scale: Any) -> str:
    text = norm_label(raw)
    number = re.fullmatch(r"-?\d+(?:[.,]\d+)?", text)
    if number:
        return f"likert_out_of_range: {_short(str(raw))!r} is outside 1..{scale.max} ({scale.name})"
    labels = sorted(scale.labels, key=lambda k: (scale.labels[k], k))
    close = difflib.get_close_matches(text, labels, n=1, cutoff=0.8)
    hint = f"; closest: {close[0]!r}" if close else ""
    return (
        f"likert_unknown_label: {_short(str(raw))!r} is not a label of {scale.name}{hint} "
        f"(allowed: {', '.join(labels)} or 1..{scale.max})"
    )


def _parse_unit(raw: str, ctx: _Context) -> tuple[Any, str | None, str | None]:
    if _blank(raw):
        return None, None, None
    text = re.sub(r"\s+", " ", str(raw)).strip()
    if not ctx.units:
        return text, None, None
    key = norm_label(text)
    canonical = ctx.units.get(key)
    if canonical is not None:
        return (
            canonical,
            None,
            (None if canonical == text else f"unit_variant: read as {canonical!r}"),
        )
    close = difflib.get_close_matches(key, list(ctx.units), n=1, cutoff=UNIT_MATCH_CUTOFF)
    if close:
        canonical = ctx.units[close[0]]
        return canonical, None, f"unit_typo: read as {canonical!r} (closest known name)"
    near = difflib.get_close_matches(key, list(ctx.units), n=1, cutoff=0.6)
    hint = f"; closest: {ctx.units[near[0]]!r}" if near else ""
    return None, f"unknown_unit: {_short(text)!r} is not in the codebook's units{hint}", None


def _parse_series(
    raw: pd.Series, parser: Callable[[str], tuple[Any, str | None, str | None]]
) -> tuple[list[Any], list[str | None], list[str | None]]:
    """Parse each distinct text once, then spread the results over the rows."""
    codes, uniques = pd.factorize(raw.astype(object), use_na_sentinel=False)
    texts = uniques.tolist()
    bulk = getattr(parser, "bulk", None)
    fast = bulk(texts) if bulk is not None and len(texts) > 1000 else [None] * len(texts)
    parsed = [hit if hit is not None else parser(t) for t, hit in zip(texts, fast, strict=True)]
    values = np.empty(len(parsed), dtype=object)
    problems = np.empty(len(parsed), dtype=object)
    repairs = np.empty(len(parsed), dtype=object)
    for i, (value, problem, repair) in enumerate(parsed):
        values[i], problems[i], repairs[i] = value, problem, repair
    return values[codes].tolist(), problems[codes].tolist(), repairs[codes].tolist()


def _required(spec: TableSpec, name: str) -> bool:
    from evalkit.codebook import TABLE_REQUIRED

    col = spec.columns.get(name)
    return bool(col and col.required) or name in TABLE_REQUIRED[spec.table]


def _item_parser(
    item: ItemSpec, spec: TableSpec, ctx: _Context
) -> Callable[[str], tuple[Any, str | None, str | None]]:
    """Return f(text) -> (score, problem, None) for one item."""
    if item.likert is not None:
        scale = ctx.codebook.likert[item.likert]

        def likert(raw: str) -> tuple[Any, str | None, str | None]:
            if _blank(raw):
                return None, None, None
            value = scale.score(raw)
            return (
                (None, _likert_reason(raw, scale), None)
                if value is None
                else (float(value), None, None)
            )

        return likert
    if spec.table == "test_items":

        def answer(raw: str) -> tuple[Any, str | None, str | None]:
            if _blank(raw):
                return None, None, None
            if item.key is not None:
                return float(norm_label(raw) == norm_label(item.key)), None, None
            flag, reason = parse_bool(raw)
            if flag is None:
                return (
                    None,
                    f"not_a_test_answer: {_short(str(raw))!r} is not 1/0 (benar/salah)",
                    None,
                )
            return float(flag), None, None

        return answer
    top = item.max or 4.0

    def number(raw: str) -> tuple[Any, str | None, str | None]:
        value, reason = parse_number(raw)
        if value is not None and (not 1 <= value <= top or not float(value).is_integer()):
            return (
                None,
                f"out_of_range: {_short(str(raw))!r} is not a whole number in 1..{top:g}",
                None,
            )
        return value, reason, None

    return number


def _judge(
    raw: pd.Series, parser: Callable[[str], tuple[Any, str | None, str | None]], *, name: str,
    source: str, kind: str, required: bool, nonempty: np.ndarray,
    quarantine: dict[int, tuple[str, str, str, str]], file: str, rows: np.ndarray, ctx: _Context,
) -> tuple[list[Any], list[str | None], list[str | None]]:  # fmt: skip
    """Parse one raw column; log repairs and collect the first problem of each row."""
    values, problems, repairs = _parse_series(raw, parser)
    texts = raw.tolist()
    check = nonempty & (
        pd.notna(pd.Series(problems, dtype=object)).to_numpy()
        | pd.notna(pd.Series(repairs, dtype=object)).to_numpy()
        | (required & pd.isna(pd.Series(values, dtype=object)).to_numpy())
    )
    for i in np.flatnonzero(check):
        text = texts[i]
        problem = problems[i]
        if problem is None and values[i] is None and required:
            problem = f"missing_required: {name} is required but empty"
        if problem is not None:
            if name != "nip":  # a bad NIP is judged with the name later
                quarantine.setdefault(i, (source, text, problem, kind))
        elif repairs[i] is not None and name != "nip":
            ctx.log.add(file, rows[i], source, text, repairs[i], "repaired", kind=kind)
    return values, problems, repairs


def _read_spec(spec: TableSpec, ctx: _Context, frames: dict[Any, pd.DataFrame]) -> pd.DataFrame:
    """Parse every file of one codebook table into typed columns.

    Output columns: the spec's columns, ``score:<item>`` item values (Likert
    score, 0/1 or number), ``comment``, and ``_spec``, ``_file``, ``_row``,
    ``_order``; with a ``nip`` column also ``_nip_raw``, ``_nip_problem`` and
    ``_nip_repair``. Rows with an unreadable or out-of-range value, or a
    required value missing, are logged as quarantined; rows with every mapped
    cell empty are logged as dropped; both are removed.
    """
    parts = []
    for file in ctx.files[spec.key]:
        table = frames[(file, spec.sheet, spec.header_row)]
        try:
            found = match_headers(spec, list(table.columns), file)
        except CodebookError as err:
            hint = _header_row_hint(ctx.raw_dir / file, [spec], spec.sheet, spec.header_row)
            if not hint:
                raise
            raise CodebookError(f"{err}; {hint}") from err
        rows = np.arange(len(table)) + spec.header_row + 1
        kinds = {c.source: c.type for c in spec.columns.values() if c.source is not None}
        for row, column, ref in table.attrs.get("merged", []):
            if column in found.values():
                source = next(k for k, v in found.items() if v == column)
                value = table.at[row - spec.header_row - 1, column]
                ctx.log.add(file, row, column, value,
                            f"merged_cell: value of {ref.split(':')[0]} repeated over the "
                            f"merged range {ref}", "repaired", kind=kinds.get(source, "str"))  # fmt: skip
        out = pd.DataFrame(index=table.index)
        out["_spec"] = spec.key
        out["_file"] = file
        out["_row"] = rows
        # a row is empty when every cell of the raw row is (not only the mapped ones)
        blank = table.apply(lambda s: s.astype(str).str.strip().str.casefold().isin(_EMPTY))
        nonempty = ~blank.all(axis=1).to_numpy()
        quarantine: dict[int, tuple[str, str, str, str]] = {}

        for name, col in spec.columns.items():
            if col.source is None:
                out[name] = pd.Series([col.value] * len(table), index=table.index, dtype=object)
                continue
            raw = table[found[col.source]]
            required = _required(spec, name) and name not in ("nip", "name")
            values, problems, repairs = _judge(
                raw, _cell_parser(col, ctx), name=name, source=col.source, kind=col.type,
                required=required, nonempty=nonempty, quarantine=quarantine, file=file,
                rows=rows, ctx=ctx,
            )  # fmt: skip
            out[name] = pd.Series(values, index=table.index, dtype=object)
            if name == "nip":
                out["_nip_raw"] = raw.astype(object).to_numpy()
                out["_nip_problem"] = pd.Series(problems, index=table.index, dtype=object)
                out["_nip_repair"] = pd.Series(repairs, index=table.index, dtype=object)
        for name, item in spec.items.items():
            raw = table[found[item.source]]
            values, _, _ = _judge(
                raw, _item_parser(item, spec, ctx), name=name, source=item.source, kind="str",
                required=False, nonempty=nonempty, quarantine=quarantine, file=file,
                rows=rows, ctx=ctx,
            )  # fmt: skip
            out[f"score:{name}"] = pd.Series(values, index=table.index, dtype=object)
        if spec.comments is not None:
            out["comment"] = table[found[spec.comments]].to_numpy()
        keep = np.ones(len(table), dtype=bool)
        for i in range(len(table)):
            if not nonempty[i]:
                ctx.log.add(
                    file, rows[i], "", "", "empty_row: every mapped cell is empty", "dropped"
                )
                ctx.mark(spec.key, file, int(rows[i]), "empty")
                keep[i] = False
            elif i in quarantine:
                source, text, problem, kind = quarantine[i]
                ctx.log.add(file, rows[i], source, text, problem, "quarantined", kind=kind)
                ctx.mark(spec.key, file, int(rows[i]), "quarantined")
                keep[i] = False
            else:
                ctx.mark(spec.key, file, int(rows[i]), "kept")
        parts.append(out[keep])
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    frame["_order"] = np.arange(len(frame))
    return frame


def _quarantine_rows(frame: pd.DataFrame, mask: pd.Series, ctx: _Context,
                     column: str, values: pd.Series, reasons: pd.Series | str,
                     kind: str = "str") -> pd.DataFrame:  # fmt: skip
    """Log rows of ``frame`` selected by ``mask`` as quarantined and remove them."""
    if not mask.any():
        return frame
    for idx in frame.index[mask]:
        reason = reasons if isinstance(reasons, str) else reasons.loc[idx]
        ctx.log.add(frame.at[idx, "_file"], frame.at[idx, "_row"], column, values.loc[idx],
                    reason, "quarantined", kind=kind)  # fmt: skip
        _mark(frame, idx, ctx, "quarantined")
    return frame[~mask]


def _mark(frame: pd.DataFrame, idx: Any, ctx: _Context, status: str) -> None:
    ctx.mark(frame.at[idx, "_spec"], frame.at[idx, "_file"], int(frame.at[idx, "_row"]), status)


def _source(spec: TableSpec, name: str) -> str:
    col = spec.columns.get(name)
    return (col.source or name) if col is not None else name


def _canonical_cohorts(frame: pd.DataFrame, spec: TableSpec, ctx: _Context) -> pd.DataFrame:
    """Map cohort ids to the cohorts table's spelling; quarantine unknown ones."""
    if "cohort_id" not in frame or not ctx.cohorts:
        return frame
    lookup = {c: ctx.cohorts.get(norm_label(c)) for c in frame["cohort_id"].dropna().unique()}
    ids = frame["cohort_id"].map(lambda c: lookup.get(c) if c is not None else None)
    unknown = ids.isna()

    def why(c: object) -> str:
        close = difflib.get_close_matches(norm_label(c), list(ctx.cohorts), n=1, cutoff=0.7)
        hint = f"; closest: {ctx.cohorts[close[0]]!r}" if close else ""
        return f"unknown_cohort: {c!r} is not in the cohorts table{hint}"

    reasons = frame.loc[unknown, "cohort_id"].map(why)
    frame = _quarantine_rows(
        frame, unknown, ctx, _source(spec, "cohort_id"), frame["cohort_id"], reasons
    )
    frame = frame.copy()
    frame["cohort_id"] = ids[~unknown]
    return frame


# --- participants -------------------------------------------------------------------
def _identify(
    frames: dict[str, pd.DataFrame], specs: Mapping[str, TableSpec], ctx: _Context
) -> None:
    """Give every row of a person table a participant_id (in place).

    Rows of an optional person table (``benefits``) that give neither a NIP nor
    a name are unit-level: their participant_id is missing.
    """
    people = (*PERSON_TABLES, *OPTIONAL_PERSON_TABLES)
    registry: dict[tuple[str, str], set[str]] = {}
    for key, frame in frames.items():
        if specs[key].table not in people or frame.empty:
            continue
        if "nip" in frame and "name" in frame:
            for nip, name, cohort in zip(
                frame["nip"], frame["name"], frame["cohort_id"], strict=True
            ):
                norm = normalize_name(name)
                if isinstance(nip, str) and norm:
                    registry.setdefault((str(cohort), norm), set()).add(nip)
    for key in list(frames):
        spec, frame = specs[key], frames[key]
        if spec.table not in people:
            continue
        optional = spec.table in OPTIONAL_PERSON_TABLES
        if frame.empty:
            frame["participant_id"] = pd.Series(dtype=object)
            continue
        nips = frame["nip"] if "nip" in frame else pd.Series(None, index=frame.index, dtype=object)
        names = (
            frame["name"] if "name" in frame else pd.Series(None, index=frame.index, dtype=object)
        )
        problems = (
            frame["_nip_problem"]
            if "_nip_problem" in frame
            else pd.Series(None, index=frame.index, dtype=object)
        )
        nip_col = _source(spec, "nip")
        ids: list[str | None] = []
        bad: dict[Any, str] = {}
        linked_nips: dict[Any, str] = {}
        none = [None] * len(frame)
        raw_nips = frame["_nip_raw"].tolist() if "_nip_raw" in frame else none
        nip_repairs = frame["_nip_repair"].tolist() if "_nip_repair" in frame else none
        for idx, nip, name, cohort, problem, file, row, raw_nip, repair in zip(
            frame.index, nips.tolist(), names.tolist(), frame["cohort_id"].tolist(),
            problems.tolist(), frame["_file"].tolist(), frame["_row"].tolist(), raw_nips,
            nip_repairs, strict=True,
        ):  # fmt: skip
            if isinstance(nip, str):
                if repair:
                    ctx.log.add(
                        file,
                        row,
                        nip_col,
                        raw_nip,
                        repair,
                        "repaired",
                        kind="nip",
                    )
                ids.append(pseudonym(f"nip:{nip}", salt=ctx.salt))
                continue
            norm = normalize_name(name)
            if optional and not norm and not isinstance(problem, str) and _blank(raw_nip):
                ids.append(None)  # a unit-level row: no participant
                continue
            why = problem or ("nip_missing: no NIP given" if "nip" in frame else "")
            known = registry.get((str(cohort), norm or ""), set())
            if norm and len(known) == 1:
                linked = linked_nips[idx] = next(iter(known))
                ctx.log.add(file, row, nip_col, raw_nip,
                            f"{why}; NIP taken from the same name in cohort {cohort}",
                            "repaired", kind="nip")  # fmt: skip
                ids.append(pseudonym(f"nip:{linked}", salt=ctx.salt))
            elif norm:
                if why:
                    ctx.log.add(file, row, nip_col, raw_nip,
                                f"{why}; participant identified by name and cohort",
                                "repaired", kind="nip")  # fmt: skip
                ids.append(pseudonym(f"name:{norm}|{cohort}", salt=ctx.salt))
            else:
                bad[idx] = (
                    f"{why or 'no_identifier'}; no name either, so the participant is unknown"
                )
                ids.append(None)
        frame = frame.copy()
        frame["participant_id"] = ids
        if linked_nips:
            frame["nip"] = frame["nip"].astype(object)
            for idx, nip in linked_nips.items():
                frame.at[idx, "nip"] = nip
        if bad:
            mask = frame.index.isin(list(bad))
            raw = frame["_nip_raw"] if "_nip_raw" in frame else pd.Series("", index=frame.index)
            frame = _quarantine_rows(
                frame, pd.Series(mask, index=frame.index), ctx, nip_col, raw,
                pd.Series(bad).reindex(frame.index), kind="nip",
            )  # fmt: skip
        frames[key] = frame


#: Person attributes that must agree between roster rows of one participant.
CONFLICT_COLUMNS = ("name", C.SEX, C.UNIT, C.GOLONGAN, C.POSITION_TYPE)


def _conflicts(frame: pd.DataFrame, spec: TableSpec, ctx: _Context) -> pd.DataFrame:
    """Quarantine roster rows that give one participant of a cohort conflicting data.

    Rows of the same cohort and participant (the same NIP, or the same name when
    there is no NIP) must agree on name, sex, unit, golongan and position; when
    they do not, the NIP was probably mistyped on one of them and neither row can
    be trusted, so every row of that participant is quarantined (``nip_conflict``).
    Rows that agree are duplicates, left to :func:`_dedupe`.
    """
    cols = [c for c in CONFLICT_COLUMNS if c in frame]
    if frame.empty or not cols or "participant_id" not in frame:
        return frame
    keys = frame["cohort_id"].astype(str) + "|" + frame["participant_id"].astype(str)
    repeated = keys.duplicated(keep=False)
    if not repeated.any():
        return frame
    sub = frame[repeated]
    compare = {c: (sub[c].map(normalize_name) if c == "name" else sub[c]) for c in cols}
    reasons: dict[Any, str] = {}
    first_col: dict[Any, str] = {}
    for key, idx in sub.groupby(keys[repeated], sort=False).groups.items():
        differing = []
        for col in cols:
            values = [v for v in compare[col].loc[idx] if v is not None and v == v]
            if len(set(values)) > 1:
                shown = (
                    "different names"
                    if col == "name"
                    else " vs ".join(repr(v) for v in dict.fromkeys(values))
                )
                differing.append((col, shown))
        if not differing:
            continue
        rows = ", ".join(str(r) for r in sub.loc[idx, "_row"])
        what = "; ".join(f"{col} {shown}" for col, shown in differing)
        by = "NIP" if isinstance(sub.loc[idx[0], "nip"] if "nip" in sub else None, str) else "name"
        for i in idx:
            reasons[i] = (
                f"nip_conflict: rows {rows} of {sub.at[i, '_file']} give the same {by} in cohort "
                f"{key.split('|', 1)[0]} conflicting data ({what}); check the {by} of each row"
            )
            first_col[i] = differing[0][0]
    if not reasons:
        return frame
    mask = pd.Series(frame.index.isin(list(reasons)), index=frame.index)
    for idx in frame.index[mask]:
        col = first_col[idx]
        ctx.log.add(frame.at[idx, "_file"], frame.at[idx, "_row"], _source(spec, col),
                    frame.at[idx, col], reasons[idx], "quarantined",
                    kind="name" if col == "name" else "str")  # fmt: skip
        _mark(frame, idx, ctx, "quarantined")
    return frame[~mask]


def _date_order(frame: pd.DataFrame, spec: TableSpec, ctx: _Context) -> pd.DataFrame:
    """Quarantine cohorts that end before they start (``bad_date_order``)."""
    if frame.empty or C.START_DATE not in frame or C.END_DATE not in frame:
        return frame
    start = pd.to_datetime(frame[C.START_DATE].astype(object), errors="coerce")
    end = pd.to_datetime(frame[C.END_DATE].astype(object), errors="coerce")
    bad = start.notna() & end.notna() & (end < start)
    reasons = pd.Series(
        [f"bad_date_order: ends {e:%d/%m/%Y}, before it starts ({s:%d/%m/%Y})"
         for s, e in zip(start[bad], end[bad], strict=True)], index=frame.index[bad], dtype=object,
    )  # fmt: skip
    shown = end.dt.strftime("%d/%m/%Y").astype(object)
    return _quarantine_rows(frame, bad, ctx, _source(spec, C.END_DATE), shown, reasons)


def _flag_dates(frame: pd.DataFrame, spec: TableSpec, ctx: _Context) -> None:
    """Flag kept rows whose ``date`` cells lie after the day of cleaning (``future_date``).

    A date column other than ``submitted_at`` holds a schedule (a cohort's start and
    end): a planned cohort may legitimately lie ahead, and quarantining it would
    quarantine every participant and answer of it as an unknown cohort. So the row is
    kept, with the date, and flagged for the evaluator: a typed year (2031 for 2013)
    is the usual cause.
    """
    if frame.empty:
        return
    today = ctx.now.normalize()
    for name, col in spec.columns.items():
        if col.type != "date" or col.source is None or name == C.SUBMITTED_AT or name not in frame:
            continue
        when = pd.to_datetime(frame[name].astype(object), errors="coerce")
        for idx in frame.index[(when > today).to_numpy()]:
            ctx.log.add(frame.at[idx, "_file"], frame.at[idx, "_row"], col.source,
                        f"{when.loc[idx]:%d/%m/%Y}",
                        f"future_date: {name} {when.loc[idx]:%d/%m/%Y} is later than the day "
                        f"of cleaning ({ctx.now:%Y-%m-%d}); kept, check the year",
                        "flagged")  # fmt: skip


def _long_cohorts(frame: pd.DataFrame, spec: TableSpec, ctx: _Context) -> None:
    """Flag cohorts that run longer than ``LONG_COHORT_DAYS`` (``long_cohort``)."""
    if frame.empty or C.START_DATE not in frame or C.END_DATE not in frame:
        return
    start = pd.to_datetime(frame[C.START_DATE].astype(object), errors="coerce")
    end = pd.to_datetime(frame[C.END_DATE].astype(object), errors="coerce")
    days = (end - start).dt.days
    for idx in frame.index[(days > LONG_COHORT_DAYS).to_numpy()]:
        ctx.log.add(frame.at[idx, "_file"], frame.at[idx, "_row"], _source(spec, C.END_DATE),
                    f"{end.loc[idx]:%d/%m/%Y}",
                    f"long_cohort: runs {int(days.loc[idx]):,} days ({start.loc[idx]:%d/%m/%Y} "
                    f"to {end.loc[idx]:%d/%m/%Y}), more than {LONG_COHORT_DAYS}; kept, check "
                    "the dates", "flagged")  # fmt: skip


def _dedupe(frame: pd.DataFrame, key: tuple[str, ...], latest: str | None,
            ctx: _Context, what: str = "duplicate") -> pd.DataFrame:  # fmt: skip
    """Keep the latest row per key (by ``latest``, then by reading order); log the rest."""
    key = tuple(k for k in key if k in frame)
    if frame.empty or not key:
        return frame
    order = [latest, "_order"] if latest and latest in frame else ["_order"]
    frame = frame.sort_values(order, kind="mergesort", na_position="first")
    group_key = frame[list(key)].astype(object).where(frame[list(key)].notna(), "\0na")
    dup = group_key.duplicated(keep="last")
    if dup.any():
        kept = frame[~dup].copy()
        kept_at = {tuple(k): (f, r) for k, f, r in zip(
            group_key[~dup].itertuples(index=False, name=None), kept["_file"], kept["_row"], strict=True)}  # fmt: skip
        for idx in frame.index[dup]:
            f, r = kept_at[tuple(group_key.loc[idx])]
            by = f"submitted later ({latest})" if latest in frame else "later in the file"
            ctx.log.add(frame.at[idx, "_file"], frame.at[idx, "_row"], "", "",
                        f"{what}: same {', '.join(key)} as {f} row {r}, which is kept ({by})",
                        "dropped")  # fmt: skip
            _mark(frame, idx, ctx, "duplicate")
    return frame[~dup].sort_values("_order", kind="mergesort")


def _dedupe_key(spec: TableSpec) -> tuple[tuple[str, ...], str | None]:
    if spec.dedupe is not None:
        key = tuple("participant_id" if k in ("nip", "name") else k for k in spec.dedupe.key)
        return tuple(dict.fromkeys(key)), spec.dedupe.keep_latest
    latest = "submitted_at" if "submitted_at" in spec.columns else None
    return TABLE_KEYS.get(spec.table, ()), latest


# --- building each output table -----------------------------------------------------
def _long_items(
    frame: pd.DataFrame, spec: TableSpec, ctx: _Context
) -> tuple[pd.DataFrame, pd.Series]:
    """Item values of ``frame`` as a long table.

    Likert tables give columns ``item, dimension, score, scale_max`` (reverse
    keyed items reversed: ``max + 1 - score``); test items give ``item,
    correct``. ``_idx`` is the row of ``frame``. Also returns a boolean Series:
    rows with at least one value.
    """
    parts = []
    answered = pd.Series(False, index=frame.index)
    for name, item in spec.items.items():
        values = pd.to_numeric(frame[f"score:{name}"].astype(object), errors="coerce")
        present = values.notna()
        answered |= present
        part = pd.DataFrame({"_idx": frame.index[present], C.ITEM: name})
        if spec.table == "test_items":
            part[C.CORRECT] = values[present].astype(int).to_numpy()
        else:
            scale = ctx.codebook.likert[item.likert] if item.likert else None
            top = scale.max if scale is not None else int(item.max or 4)
            score = values[present].to_numpy(dtype=float)
            part[C.DIMENSION] = item.dimension
            part[C.SCORE] = top + 1 - score if item.reverse else score
            part[C.SCALE_MAX] = top
        parts.append(part)
    columns = ["_idx", C.ITEM, C.CORRECT] if spec.table == "test_items" else [
        "_idx", C.ITEM, C.DIMENSION, C.SCORE, C.SCALE_MAX]  # fmt: skip
    long = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
    return long[columns], answered


def _drop_unanswered(frame: pd.DataFrame, answered: pd.Series, spec: TableSpec, ctx: _Context,
                     what: str) -> pd.DataFrame:  # fmt: skip
    for idx in frame.index[~answered]:
        ctx.log.add(frame.at[idx, "_file"], frame.at[idx, "_row"], "", "",
                    f"empty_response: no readable {what}", "dropped")  # fmt: skip
        _mark(frame, idx, ctx, "empty")
    return frame[answered]


def _periods(values: pd.Series) -> pd.Series:
    def norm(p: object) -> object:
        if p is None:
            return None
        text = re.sub(r"[\s_/.]+", "-", str(p).strip().upper())
        m = re.fullmatch(r"([A-Z]+\d*)-(\d{4})", text)
        return f"{m[2]}-{m[1]}" if m else text

    return values.map(norm)


def _finish(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """Select, type and sort the output columns of one table."""
    cols = OUTPUT_COLUMNS[table]
    out = pd.DataFrame(index=frame.index)
    for col in cols:
        series = frame[col] if col in frame else pd.Series(None, index=frame.index, dtype=object)
        if col in INT_COLUMNS:
            numbers = pd.to_numeric(series.astype(object), errors="raise")
            series = pd.array(np.trunc(numbers.astype("float64")), dtype="Int64")
        elif col in DATE_COLUMNS or col in DATETIME_COLUMNS:
            series = pd.to_datetime(series.astype(object), errors="raise").astype("datetime64[ns]")
        elif col in (C.TREATED, "reverse") or (col == C.POST and table in ("ikm", "unit_kpi")):
            series = series.astype("boolean")
        elif col in (
            C.SCORE,
            C.PRE,
            C.POST,
            C.MAX_SCORE,
            C.SERVICE_DAYS,
            C.AMOUNT,
            C.BENEFIT,
            C.ATTRIBUTION,
            C.CONFIDENCE,
            *C.IKM_ELEMENTS,
        ):
            series = pd.to_numeric(series.astype(object), errors="raise").astype("float64")
        else:
            series = series.astype(object).where(series.notna(), None)
        out[col] = series
    keys = [k for k in (*TABLE_KEYS.get(table, ()), C.ITEM) if k in out]
    if table == "ikm":
        keys = [C.UNIT, C.PERIOD]  # then the order of the raw rows
    if keys:
        out = out.sort_values(keys, kind="mergesort", na_position="last")
    return out.reset_index(drop=True)


def _resolve_files(spec: TableSpec, raw_dir: Path) -> list[str]:
    found: list[str] = []
    for pattern in spec.files:
        matches = sorted(
            p.relative_to(raw_dir).as_posix()
            for p in raw_dir.glob(pattern)
            if p.is_file() and not p.name.startswith(("~$", ".")) and p.name != "codebook.yaml"
        )
        found.extend(m for m in matches if m not in found)
    if not found:
        raise DataError(
            f"no file matches {list(spec.files)} (codebook tables.{spec.key}.files)",
            file=str(raw_dir),
        )
    return found


def _slug(text: object) -> str:
    return re.sub(r"[^A-Z0-9]+", "-", str(text).upper()).strip("-")


# --- the whole study ----------------------------------------------------------------
def clean_study(
    raw_dir: Path | str, out_dir: Path | str | None, *, progress: bool = True,
    salt: bytes | None = None, dry_run: bool = False,
) -> CleanSummary:  # fmt: skip
    """Clean one study's raw exports into the processed tables.

    Parameters
    ----------
    raw_dir : Path or str
        The study folder (``data/raw/<study>``) holding ``codebook.yaml`` and the
        exports it names. Only read.
    out_dir : Path or str, or None
        Folder to write (``data/processed/<study>``), created if needed; must
        not be inside ``raw_dir``. May be None in a dry run.
    progress : bool, default True
        Show a progress bar over the files read.
    salt : bytes, optional
        Salt of the pseudonymous ids (default: the project's ``.evalkit_salt``,
        created on first use; in a dry run a throwaway salt when there is none).
    dry_run : bool, default False
        Validate and clean in memory only: nothing is written (no folder, no
        salt file); the summary carries the quality log as ``summary.log``.

    Returns
    -------
    CleanSummary
        Tables and row counts, what happened to every input row, where the
        quality log and manifest are. ``str(summary)`` is a short report.

    Raises
    ------
    CodebookError
        If the codebook is invalid or names a header a raw file lacks (with the
        closest headers as suggestions).
    DataError
        If a raw file cannot be read (naming file, row and column), or no file
        matches a codebook table.
    ParameterError
        If ``out_dir`` is inside ``raw_dir``, or None without ``dry_run``.

    Notes
    -----
    Written to ``out_dir``: one ``<table>.parquet`` per processed table the
    codebook can fill (``docs/data-model.md``; ``reaction_items`` and
    ``programs`` are derived from the codebook and the cohorts), then
    ``quality_log.csv``, then ``manifest.json`` (input and output SHA-256,
    codebook hash, evalkit version, row accounting). Every file is first
    written (and fsynced) into a hidden staging folder ``out_dir/.staging``;
    only when all are complete are they moved over the previous ones with
    :func:`os.replace`, the manifest last. A run killed before that leaves the
    previous complete set in place (a leftover staging folder is removed by
    the next run); a kill during the few renames leaves tables that differ
    from the manifest, which :func:`evalkit.io.check_processed` reports. The
    same input and salt give byte-identical Parquet files and quality log.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     raw = Path(tmp) / "raw"; raw.mkdir()
    ...     _ = (raw / "codebook.yaml").write_text(
    ...         "study: mini\\n"
    ...         "tables:\\n"
    ...         "  costs:\\n"
    ...         "    files: [biaya.csv]\\n"
    ...         "    columns:\\n"
    ...         "      cohort_id: {from: Angkatan}\\n"
    ...         "      category: {from: Komponen}\\n"
    ...         "      amount_idr: {from: Jumlah, min: 0}\\n")
    ...     _ = (raw / "biaya.csv").write_text(
    ...         "Angkatan;Komponen;Jumlah\\nA1;konsumsi;1.250.000\\nA1;ATK;-5\\n")
    ...     summary = clean_study(raw, Path(tmp) / "out", progress=False, salt=b"s")
    ...     summary.tables, summary.quarantined
    ({'costs': 1}, 1)
    """
    from evalkit import __version__

    raw_dir = Path(raw_dir).resolve()
    if out_dir is None and not dry_run:
        raise ParameterError(
            "clean_study: parameter 'out_dir' is None; give data/processed/<study> "
            "(None is allowed only with dry_run=True)"
        )
    out = None if out_dir is None else Path(out_dir).resolve()
    if not raw_dir.is_dir():
        raise DataError("study folder does not exist", file=str(raw_dir))
    if out is not None and (out == raw_dir or raw_dir in out.parents):
        raise ParameterError(
            f"clean_study: parameter 'out_dir' ({out}) is inside the raw folder {raw_dir}; "
            "raw data is never written, choose data/processed/<study>"
        )
    codebook = load_codebook(raw_dir / "codebook.yaml")
    if salt is None:
        try:
            salt = load_salt(create=not dry_run)
        except ParameterError:  # dry run without a salt file: ids are not kept anyway
            import secrets

            salt = secrets.token_hex(32).encode()
    ctx = _Context(codebook=codebook, raw_dir=raw_dir, log=QualityLog(), salt=salt)
    ctx.units = codebook.unit_lookup()
    order = ("programs", "cohorts", "participants")
    specs = sorted(codebook.tables.values(),
                   key=lambda s: (order.index(s.table) if s.table in order else len(order), s.key))  # fmt: skip
    by_key = {s.key: s for s in specs}
    for spec in specs:
        ctx.files[spec.key] = _resolve_files(spec, raw_dir)

    # read every raw file once
    wanted = sorted({(f, s.sheet, s.header_row) for s in specs for f in ctx.files[s.key]},
                    key=lambda t: (t[0], t[1] or "", t[2]))  # fmt: skip
    raw_tables: dict[tuple[str, str | None, int], pd.DataFrame] = {}
    try:
        from tqdm.auto import tqdm
    except ImportError:  # pragma: no cover - tqdm is a dependency
        tqdm = None
    bar = (
        tqdm(wanted, desc=f"clean {codebook.study}", unit="file", disable=not progress)
        if tqdm
        else wanted
    )
    for file, sheet, header_row in bar:
        try:
            raw_tables[(file, sheet, header_row)] = read_table(
                raw_dir / file, sheet=sheet, header_row=header_row
            )
        except DataError as err:
            if err.file is not None and err.file != file and Path(err.file).name == Path(file).name:
                err = DataError(
                    str(err).split(": ", 1)[-1], file=file, row=err.row, column=err.column
                )
            if err.row == header_row and err.column is None:
                users = [s for s in specs if file in ctx.files[s.key] and s.sheet == sheet]
                hint = _header_row_hint(raw_dir / file, users, sheet, header_row)
                if hint:
                    err = DataError(
                        f"{str(err).split(': ', 1)[-1]}; {hint}", file=file, row=err.row
                    )
            raise err
    inputs = sorted({f for f, _, _ in wanted})

    # parse each codebook table
    parsed: dict[str, pd.DataFrame] = {}
    for spec in specs:
        frame = _read_spec(spec, ctx, raw_tables)
        if spec.table == "cohorts":
            frame = _date_order(frame, spec, ctx)
            frame = _dedupe(frame, (C.COHORT_ID,), None, ctx)
            _long_cohorts(frame, spec, ctx)
            for cid in frame[C.COHORT_ID]:
                ctx.cohorts.setdefault(norm_label(cid), str(cid))
        _flag_dates(frame, spec, ctx)
        parsed[spec.key] = frame
    for spec in specs:
        if spec.table != "cohorts":
            parsed[spec.key] = _canonical_cohorts(parsed[spec.key], spec, ctx)
    _identify(parsed, by_key, ctx)
    for spec in specs:
        if spec.table == "cohorts":
            continue
        if spec.table == "participants":
            parsed[spec.key] = _conflicts(parsed[spec.key], spec, ctx)
        key, latest = _dedupe_key(spec)
        if spec.table == "learning" and "phase" in spec.columns and C.PHASE not in key:
            key = (*key, C.PHASE)
        frame = parsed[spec.key]
        if spec.table in OPTIONAL_PERSON_TABLES and C.PARTICIPANT_ID in key and not frame.empty:
            # unit-level rows (no participant) are separate estimates, never duplicates
            unit_level = frame[C.PARTICIPANT_ID].isna()
            people = _dedupe(frame[~unit_level], key, latest, ctx)
            parsed[spec.key] = pd.concat([people, frame[unit_level]]).sort_values(
                "_order", kind="mergesort"
            )
        else:
            parsed[spec.key] = _dedupe(frame, key, latest, ctx)

    names = [n for s in specs if "name" in parsed[s.key] for n in parsed[s.key]["name"].dropna()]
    ctx.log.names = NameScrubber(names)
    outputs = _build_tables(parsed, by_key, ctx)

    log = ctx.log.frame()
    counts = Counter(ctx.status.values())
    per_file: dict[str, dict[str, int]] = {}
    for (spec_key, file, _row), status in sorted(ctx.status.items()):
        entry = per_file.setdefault(f"{spec_key}:{file}", {"rows": 0})
        entry["rows"] += 1
        entry[status] = entry.get(status, 0) + 1
    reasons = Counter(r.split(":", 1)[0] for r in log["reason"])
    actions = Counter(log["action"])
    summary = {
        "study": codebook.study,
        "out_dir": out,
        "tables": {t: len(f) for t, f in outputs.items()},
        "rows_read": len(ctx.status),
        "rows_kept": counts.get("kept", 0),
        "duplicates": counts.get("duplicate", 0),
        "quarantined": counts.get("quarantined", 0),
        "empty": counts.get("empty", 0),
        "repaired": actions.get("repaired", 0),
        "flagged": actions.get("flagged", 0),
        "reasons": dict(sorted(reasons.items())),
        "log": log,
    }
    if dry_run:
        return CleanSummary(**summary, quality_log=None, manifest=None, dry_run=True)

    # write: stage every file, then move the complete set into place, manifest last
    out.mkdir(parents=True, exist_ok=True)
    staging = out / STAGING_DIR
    if staging.exists():
        shutil.rmtree(staging)  # left by a run that was killed
    staging.mkdir()
    written: dict[str, dict[str, Any]] = {}
    for table, frame in outputs.items():
        path = write_parquet(frame, staging / f"{table}.parquet")
        written[table] = {"file": path.name, "rows": len(frame), "sha256": sha256(path)}
    log_path = write_csv(log, staging / "quality_log.csv")
    manifest = {
        "study": codebook.study,
        "evalkit_version": __version__,
        "created_utc": _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat(),
        "codebook": {"file": "codebook.yaml", "sha256": codebook.sha256},
        "inputs": [{"file": f, "sha256": sha256(raw_dir / f)} for f in inputs],
        "outputs": written,
        "quality_log": {
            "file": log_path.name,
            "entries": len(log),
            "by_action": dict(sorted(actions.items())),
            "by_reason": dict(sorted(reasons.items())),
        },  # fmt: skip
        "rows": {
            "by_table_and_file": per_file,
            **{k: counts.get(k, 0) for k in ("kept", "duplicate", "quarantined", "empty")},
        },  # fmt: skip
    }
    write_json(manifest, staging / "manifest.json")
    for name in [*(info["file"] for info in written.values()), "quality_log.csv",
                 "manifest.json"]:  # fmt: skip
        os.replace(staging / name, out / name)
    _fsync_dir(out)
    for stale in out.glob("*.parquet"):
        if stale.stem in OUTPUT_COLUMNS and stale.stem not in outputs:
            stale.unlink()
    shutil.rmtree(staging, ignore_errors=True)
    return CleanSummary(**summary, quality_log=out / "quality_log.csv",
                        manifest=out / "manifest.json")  # fmt: skip


#: Hidden folder inside ``out_dir`` where a run's files are staged before the swap.
STAGING_DIR = ".staging"


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def _header_row_hint(path: Path, specs: list[TableSpec], sheet: str | None,
                     header_row: int) -> str:  # fmt: skip
    """Where the codebook's headers of ``specs`` really are in ``path``, as advice."""
    try:
        rows = read_rows(path, sheet=sheet, header_row=header_row)
    except DataError:
        return ""
    for spec in specs:
        wanted = {norm_label(h) for h in spec.sources()}
        best, best_hits = None, 0
        for number, row in enumerate(rows[:30], start=1):
            hits = len(wanted & {norm_label(c) for c in row})
            if number != spec.header_row and hits > best_hits:
                best, best_hits = number, hits
        if best is not None and best_hits == len(wanted):
            return (
                f"the headers of tables.{spec.key} are on row {best}: set "
                f"'header_row: {best}' under tables.{spec.key} in the codebook"
            )
    return ""


def _build_tables(parsed: dict[str, pd.DataFrame], specs: Mapping[str, TableSpec],
                  ctx: _Context) -> dict[str, pd.DataFrame]:  # fmt: skip
    """Turn the parsed codebook tables into the processed tables."""
    by_table: dict[str, list[str]] = {}
    for key, spec in specs.items():
        by_table.setdefault(spec.table, []).append(key)

    def gather(table: str) -> pd.DataFrame:
        parts = [parsed[k] for k in sorted(by_table.get(table, [])) if not parsed[k].empty]
        if not parts:
            return pd.DataFrame()
        frame = pd.concat(parts, ignore_index=True)
        frame["_order"] = np.arange(len(frame))
        return frame

    outputs: dict[str, pd.DataFrame] = {}
    cohorts = gather("cohorts")
    programs = gather("programs")
    if "programs" in by_table:
        programs = _dedupe(programs, (C.PROGRAM_ID,), None, ctx)
    if not cohorts.empty:
        if C.PROGRAM_ID not in cohorts and C.PROGRAM_NAME in cohorts:
            cohorts[C.PROGRAM_ID] = cohorts[C.PROGRAM_NAME].map(lambda n: _slug(n) if n else None)
        if not programs.empty and C.PROGRAM_ID in cohorts:
            info = programs.set_index(C.PROGRAM_ID)
            for col in (C.PROGRAM_NAME, C.SKILL_TYPE):
                if col in info:
                    known = cohorts[C.PROGRAM_ID].map(info[col])
                    cohorts[col] = (
                        cohorts[col].where(cohorts[col].notna(), known) if col in cohorts else known
                    )
        outputs["cohorts"] = _finish(cohorts, "cohorts")
        if programs.empty and C.PROGRAM_ID in cohorts:
            programs = cohorts.drop_duplicates(C.PROGRAM_ID)
    if not programs.empty:
        outputs["programs"] = _finish(programs, "programs")
    starts = {}
    ends = {}
    if "cohorts" in outputs:
        co = outputs["cohorts"]
        starts = dict(zip(co[C.COHORT_ID], co[C.START_DATE], strict=True))
        ends = dict(zip(co[C.COHORT_ID], co[C.END_DATE], strict=True))

    # reaction, followup (long Likert items)
    for table in ("reaction", "followup"):
        keys = sorted(by_table.get(table, []))
        if not keys:
            continue
        longs = []
        for key in keys:
            spec, frame = specs[key], parsed[key]
            long, answered = _long_items(frame, spec, ctx)
            has_comment = ~_blank_mask(frame["comment"]) if "comment" in frame else False
            frame = _drop_unanswered(frame, answered | has_comment, spec, ctx, "answer or comment")
            long = long[long["_idx"].isin(frame.index)]
            base = frame.loc[long["_idx"]].reset_index(drop=True)
            long = long.reset_index(drop=True)
            for col in ("cohort_id", "participant_id", "submitted_at", "rater", "months_after"):
                if col in base:
                    long[col] = base[col].to_numpy()
            if table == "followup" and "months_after" not in base and "submitted_at" in base:
                long["months_after"] = _months_after(base, ends)
            if (
                table == "followup"
                and "months_after" in long
                and long["months_after"].isna().any()
                and "submitted_at" in base
            ):
                long["months_after"] = long["months_after"].where(
                    long["months_after"].notna(), _months_after(base, ends)
                )
            longs.append(long)
        outputs[table] = _finish(pd.concat(longs, ignore_index=True), table)
        if table == "reaction":
            items = []
            for key in keys:
                for name, item in specs[key].items.items():
                    scale = ctx.codebook.likert[str(item.likert)]
                    items.append({C.ITEM: name, C.DIMENSION: item.dimension, C.SCALE_MAX: scale.max,
                                  "reverse": item.reverse, C.TEXT: item.text or item.source})  # fmt: skip
            frame = pd.DataFrame(items).drop_duplicates(C.ITEM, keep="first")
            outputs["reaction_items"] = _finish(frame, "reaction_items")

    # test items
    keys = sorted(by_table.get("test_items", []))
    if keys:
        longs = []
        for key in keys:
            spec, frame = specs[key], parsed[key]
            long, answered = _long_items(frame, spec, ctx)
            frame = _drop_unanswered(frame, answered, spec, ctx, "answer")
            long = long[long["_idx"].isin(frame.index)].reset_index(drop=True)
            base = frame.loc[long["_idx"]].reset_index(drop=True)
            for col in ("cohort_id", "participant_id", "phase"):
                if col in base:
                    long[col] = base[col].to_numpy()
            longs.append(long)
        outputs["test_items"] = _finish(pd.concat(longs, ignore_index=True), "test_items")

    # learning
    learning = gather("learning")
    if not learning.empty:
        learning = _learning(learning, by_table["learning"], specs, ctx)
        outputs["learning"] = _finish(learning, "learning")

    projects = gather("projects")
    if not projects.empty:
        if "months_after" not in projects and "submitted_at" in projects:
            projects["months_after"] = _months_after(projects, ends)
        has_status = (
            projects["project_status"].notna()
            if "project_status" in projects
            else pd.Series(False, index=projects.index)
        )
        for idx in projects.index[~has_status]:
            ctx.log.add(projects.at[idx, "_file"], projects.at[idx, "_row"], "", "",
                        "empty_response: no readable project status", "dropped")  # fmt: skip
            _mark(projects, idx, ctx, "empty")
        outputs["projects"] = _finish(projects[has_status], "projects")

    # comments: from a comments table and from the comment column of instruments
    names = ctx.log.names
    comment_parts = []
    for key in sorted(by_table.get("comments", [])):
        frame = parsed[key]
        if not frame.empty:
            comment_parts.append(frame.rename(columns={"text": "comment"}))
    for key in sorted(
        k for k, s in specs.items() if s.comments is not None and s.table != "comments"
    ):
        frame = parsed[key]
        if not frame.empty and "comment" in frame:
            comment_parts.append(frame)
    if comment_parts:
        frame = pd.concat(
            [p[["cohort_id", "participant_id", "comment", "_file", "_row"]] for p in comment_parts],
            ignore_index=True,
        )
        frame = frame[~_blank_mask(frame["comment"])]
        frame[C.TEXT] = frame["comment"].map(
            lambda t: scrub_text(re.sub(r"\s+", " ", str(t)).strip(), names)
        )
        outputs["comments"] = (
            _finish(frame, "comments")
            .sort_values([C.COHORT_ID, C.PARTICIPANT_ID, C.TEXT], kind="mergesort")
            .reset_index(drop=True)
        )

    # unit tables
    for table in ("ikm", "unit_kpi"):
        frame = gather(table)
        if frame.empty:
            continue
        frame[C.PERIOD] = _periods(frame[C.PERIOD])
        if table == "ikm":
            for key in by_table["ikm"]:
                spec = specs[key]
                if spec.items:
                    sub = frame.index[frame["_spec"] == key]
                    long, _answered = _long_items(frame.loc[sub], spec, ctx)
                    for name in spec.items:
                        vals = long[long[C.ITEM] == name].set_index("_idx")[C.SCORE]
                        frame.loc[sub, name] = vals.reindex(sub).to_numpy()
        else:
            frame = _dedupe(frame, TABLE_KEYS["unit_kpi"], None, ctx)
        outputs[table] = frame
    periods = sorted(
        {p for t in ("ikm", "unit_kpi") if t in outputs for p in outputs[t][C.PERIOD].dropna()}
    )
    impact = ctx.codebook.impact
    treated = set()
    if impact is not None:
        for unit in impact.treated_units:
            treated.add(ctx.units.get(norm_label(unit), unit))
        post_from = _periods(pd.Series([impact.post_from])).iloc[0]
    for table in ("ikm", "unit_kpi"):
        if table not in outputs:
            continue
        frame = outputs[table]
        frame["period_index"] = frame[C.PERIOD].map({p: i for i, p in enumerate(periods)})
        if impact is not None:
            frame[C.POST] = frame[C.PERIOD].map(lambda p: p >= post_from)
            frame[C.TREATED] = frame[C.UNIT].isin(treated)
        else:
            frame[C.POST] = pd.NA
            frame[C.TREATED] = pd.NA
        if table == "ikm":
            frame = frame.sort_values([C.UNIT, C.PERIOD, "_file", "_row"], kind="mergesort")
            if C.RESPONDENT_ID not in frame or frame[C.RESPONDENT_ID].isna().all():
                frame[C.RESPONDENT_ID] = [f"R{i:05d}" for i in range(1, len(frame) + 1)]
        outputs[table] = _finish(frame, table)

    costs = gather("costs")
    if not costs.empty:
        costs = _dedupe(costs, TABLE_KEYS["costs"], None, ctx)
        outputs["costs"] = _finish(costs, "costs")
    benefits = gather("benefits")
    if not benefits.empty:
        outputs["benefits"] = _finish(benefits, "benefits")
    people = _participants(parsed, by_table, outputs, starts, ends)
    if people is not None:
        outputs["participants"] = people
    return dict(sorted(outputs.items()))


def _participants(parsed: dict[str, pd.DataFrame], by_table: Mapping[str, list[str]],
                  outputs: Mapping[str, pd.DataFrame], starts: Mapping[str, Any],
                  ends: Mapping[str, Any]) -> pd.DataFrame | None:  # fmt: skip
    """The roster plus anyone with data in another person table of ``outputs``."""
    present: set[tuple[str, str]] = set()
    people_tables = (*PERSON_TABLES, *OPTIONAL_PERSON_TABLES)
    for table in people_tables:
        if table in outputs and table != "participants":
            ids = outputs[table][C.PARTICIPANT_ID]
            present.update(
                zip(outputs[table][C.COHORT_ID][ids.notna()], ids[ids.notna()], strict=True)
            )
    person_parts = []
    for table in people_tables:
        for key in sorted(by_table.get(table, [])):
            frame = parsed[key]
            if "participant_id" in frame:
                frame = frame[frame["participant_id"].notna()]
            if frame.empty:
                continue
            wanted = (
                "cohort_id",
                "participant_id",
                "nip",
                "sex",
                "golongan",
                "position_type",
                "unit",
            )
            cols = [c for c in wanted if c in frame]
            part = frame[cols].copy()
            part["_rank"] = 0 if table == "participants" else 1
            part["_order"] = frame["_order"]
            person_parts.append(part)
    if not person_parts:
        return None
    people = pd.concat(person_parts, ignore_index=True)
    pairs = pd.Series(list(zip(people["cohort_id"], people["participant_id"], strict=True)),
                      index=people.index)  # fmt: skip
    people = people[(people["_rank"] == 0) | pairs.isin(present)]
    people = people.sort_values(["_rank", "_order"], kind="mergesort")
    first = people.groupby(["cohort_id", "participant_id"], sort=True, dropna=False).first()
    first = first.reset_index()
    nip = first["nip"] if "nip" in first else pd.Series(None, index=first.index, dtype=object)
    derived = sexes(nip)
    first[C.SEX] = first[C.SEX].where(first[C.SEX].notna(), derived) if C.SEX in first else derived
    start = first["cohort_id"].map(starts)
    when = start.where(start.notna(), first["cohort_id"].map(ends))
    first[C.AGE_BAND] = age_bands(nip, when)
    return _finish(first, "participants")


def _months_after(frame: pd.DataFrame, ends: Mapping[str, Any]) -> pd.Series:
    """Whole months from the cohort's end date to the submission."""
    end = pd.to_datetime(frame["cohort_id"].map(ends), errors="coerce")
    when = pd.to_datetime(frame["submitted_at"], errors="coerce")
    months = ((when - end).dt.days / 30.4375).round()
    return months.where(months.notna(), None).astype(object).to_numpy()


def _learning(frame: pd.DataFrame, keys: list[str], specs: Mapping[str, TableSpec],
              ctx: _Context) -> pd.DataFrame:  # fmt: skip
    """One row per participant: pre, post (either may be NaN) and max_score."""
    frame = frame.copy()
    if "score" in frame and "phase" in frame:
        for phase in ("pre", "post"):
            pick = frame["phase"] == phase
            current = (
                frame[phase] if phase in frame else pd.Series(None, index=frame.index, dtype=object)
            )
            frame[phase] = current.where(~pick | current.notna(), frame["score"])
    if "max_score" not in frame:
        frame["max_score"] = DEFAULT_MAX_SCORE
    frame["max_score"] = frame["max_score"].where(frame["max_score"].notna(), DEFAULT_MAX_SCORE)
    for phase in ("pre", "post"):
        if phase not in frame:
            frame[phase] = None
        values = pd.to_numeric(frame[phase].astype(object), errors="coerce")
        bad = values.notna() & ((values < 0) | (values > frame["max_score"].astype(float)))
        for idx in frame.index[bad]:
            spec = specs[frame.at[idx, "_spec"]]
            column = _source(spec, phase if phase in spec.columns else "score")
            ctx.log.add(frame.at[idx, "_file"], frame.at[idx, "_row"], column, frame.at[idx, phase],
                        f"out_of_range: score {values[idx]:g} is outside 0..{frame.at[idx, 'max_score']:g}",
                        "quarantined")  # fmt: skip
            _mark(frame, idx, ctx, "quarantined")
        frame[phase] = values
        frame = frame[~bad]
    has_score = frame["pre"].notna() | frame["post"].notna()
    for idx in frame.index[~has_score]:
        ctx.log.add(frame.at[idx, "_file"], frame.at[idx, "_row"], "", "",
                    "empty_response: no readable pre or post score", "dropped")  # fmt: skip
        _mark(frame, idx, ctx, "empty")
    frame = frame[has_score].sort_values("_order", kind="mergesort")
    merged = frame.groupby(["cohort_id", "participant_id"], sort=True).agg(
        pre=("pre", "last"), post=("post", "last"), max_score=("max_score", "last")
    )
    unpaired = merged.index[merged["pre"].isna() & merged["post"].notna()]
    if len(unpaired):
        where = frame[frame["post"].notna()].groupby(["cohort_id", "participant_id"]).last()
        for key in unpaired:
            spec = specs[where.at[key, "_spec"]]
            column = _source(spec, "post" if "post" in spec.columns else "score")
            ctx.log.add(where.at[key, "_file"], where.at[key, "_row"], column,
                        f"{merged.at[key, 'post']:g}",
                        "post_without_pre: post-test score without a pre-test score; kept with "
                        "pre missing, so it counts in post-test results but not in paired change",
                        "flagged")  # fmt: skip
    return merged.reset_index()
