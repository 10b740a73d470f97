"""Single-cell parsers of numbers, shares, dates and yes/no answers (they never raise).

Where it sits in cleaning: the column parsers of :mod:`evalkit.data.cells` read each
raw cell through these functions. Each takes the raw text and returns ``(value, None)``,
``(None, None)`` for an empty cell (:data:`EMPTY_TEXTS`), or ``(None, reason)`` where
the reason starts with its code (``not_a_number: ...``, ``bad_date: ...``), the code
the quality log records. Numbers and dates are read the Indonesian way first (comma
decimals, thousands dots, day-first dates, Indonesian month names).

Examples
--------
>>> parse_number("1.250.000,50"), parse_date("3 Agustus 2024")[0]
((1250000.5, None), Timestamp('2024-08-03 00:00:00'))
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from typing import Any

import pandas as pd

from evalkit.data.codebook import (
    norm_label,
)
from evalkit.data.scrub import shorten

#: Cell texts that mean "empty" (compared stripped and case-folded).
EMPTY_TEXTS = {"", "-", "--", "nan", "none", "null", "n/a", "na", "#n/a"}


# --- single-cell parsers (never raise) ----------------------------------------------
def is_blank(text: object) -> bool:
    """Whether a cell is empty: None, NaN or one of :data:`EMPTY_TEXTS` (``-``, ``n/a``...).

    Examples
    --------
    >>> is_blank(None), is_blank(" N/A "), is_blank("0")
    (True, True, False)
    """
    return (
        text is None
        or (isinstance(text, float) and math.isnan(text))
        or (str(text).strip().casefold() in EMPTY_TEXTS)
    )


def blank_mask(values: pd.Series) -> pd.Series:
    """Vectorised :func:`is_blank`: a boolean Series, True where the cell is empty.

    Examples
    --------
    >>> blank_mask(pd.Series(["ok", None, " - "])).tolist()
    [False, True, True]
    """
    text = values.astype(object).where(values.notna(), "").astype(str)
    return text.str.strip().str.casefold().isin(EMPTY_TEXTS).astype(bool)


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
    if is_blank(text):
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
        return None, f"not_a_number: {shorten(raw)!r} is not a number"
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
    if is_blank(text):
        return None, None
    raw = str(text).strip()
    m = _PERCENT.match(raw)
    number, _reason = parse_number(m.group(1) if m else raw)
    if number is None:
        return None, f"not_a_share: {shorten(raw)!r} is not a percentage or a share 0-1"
    percent = number if (m or number > 1) else number * 100
    if percent < 0:
        return None, f"out_of_range: {shorten(raw)!r} is negative; a share is 0-100% (or 0-1)"
    if percent > 100:
        return None, f"out_of_range: {shorten(raw)!r} is more than 100%; a share is 0-100% (or 0-1)"
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
    if is_blank(text):
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
            return None, f"bad_date: {shorten(raw)!r} is not a day-first date (dd/mm/yyyy)"
    except (ValueError, OverflowError):
        return None, f"bad_date: {shorten(raw)!r} is not a real day-first date"
    if not 1900 <= value.year <= 2100:
        return None, f"bad_date: {shorten(raw)!r} has a year outside 1900-2100"
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
    if is_blank(text):
        return None, None
    t = norm_label(text)
    if t in _TRUE:
        return True, None
    if t in _FALSE:
        return False, None
    return None, f"not_a_bool: {shorten(str(text))!r} is not yes/no (ya/tidak, benar/salah, 1/0)"
