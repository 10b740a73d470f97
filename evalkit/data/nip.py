"""Parse and validate the NIP (Nomor Induk Pegawai) of Indonesian civil servants.

A NIP has 18 digits: ``YYYYMMDD`` birth date, ``YYYYMM`` start of CPNS service
(TMT), one sex digit (1 male, 2 female) and a 3-digit serial (the BKN numbering).
Exports mangle it: spaces, dots and dashes between the parts, a leading apostrophe
typed to keep Excel from turning it into a number, a trailing ``.0`` from a float
column, or Excel scientific notation (``1.98505E+17``). Scientific notation is
repaired only when the mantissa still holds all 18 digits; otherwise the digits are
lost and the value is rejected with a reason, never guessed.

Examples
--------
>>> from evalkit.data.nip import parse_nip
>>> parse_nip("19850512 201001 1 002")
('198505122010011002', None)
>>> parse_nip("1,98505E+17")[1]
'nip_scientific_lossy: Excel scientific notation keeps only 6 of 18 digits'
"""

from __future__ import annotations

import datetime as _dt
import re
from decimal import Decimal, InvalidOperation, Overflow

import numpy as np
import pandas as pd

#: Youngest age (years) at which the CPNS service (TMT) can start.
MIN_AGE_AT_TMT = 18


#: Earliest plausible birth year and TMT year in a NIP.
MIN_BIRTH_YEAR = 1930


MIN_TMT_YEAR = 1950


#: Age bands of the processed ``participants`` table (lower bound, label).
AGE_BANDS = ((50, "50+"), (40, "40-49"), (30, "30-39"), (0, "<30"))


_SEPARATORS = re.compile(r"[\s.\-_/\u00a0\u2009\u202f]+")


_QUOTES = "'\"`\u2018\u2019\u201c\u201d"


_SCI = re.compile(r"^[+]?(\d+)(?:[.,](\d*))?[eE][+]?(\d+)$")


_FLOAT_SUFFIX = re.compile(r"^(.*\d)[.,]0+$")


def parse_nip(value: object) -> tuple[str | None, str | None]:
    """Normalise one raw NIP and validate it.

    Parameters
    ----------
    value : object
        The raw cell (string, number or missing).

    Returns
    -------
    tuple of (str or None, str or None)
        ``(nip, None)`` with the 18-digit NIP when valid, else ``(None, reason)``
        where ``reason`` starts with a stable code (``nip_missing``,
        ``nip_scientific_lossy``, ``nip_not_numeric``, ``nip_wrong_length``,
        ``nip_bad_birth_date``, ``nip_bad_tmt``, ``nip_tmt_too_early``,
        ``nip_bad_sex_digit``, ``nip_bad_serial``) followed by a colon and details.

    Notes
    -----
    Accepted repairs: surrounding quotes and apostrophes; spaces, dots, dashes,
    underscores and slashes between digits; a trailing ``.0``/``,0`` left by a
    float column; scientific notation whose mantissa still has 18 significant
    digits. Validation: 18 digits, a real birth date (year >= 1930), a real TMT
    month (year >= 1950) at least ``MIN_AGE_AT_TMT`` years after birth (month
    precision), a sex digit of 1 or 2 and a serial other than 000. No current date is used, so results
    do not change with the day they are computed.

    Examples
    --------
    >>> parse_nip("'198505122010011002")
    ('198505122010011002', None)
    >>> parse_nip("198505122010011002.0")
    ('198505122010011002', None)
    >>> parse_nip("1.98505122010011002E+17")
    ('198505122010011002', None)
    >>> parse_nip("198505122010013002")[1]
    'nip_bad_sex_digit: 7th-from-last digit is 3, must be 1 (male) or 2 (female)'
    """
    if value is None or (isinstance(value, float) and value != value):
        return None, "nip_missing: no NIP given"
    if isinstance(value, bool):
        return None, f"nip_not_numeric: {value!r} is not a NIP"
    if isinstance(value, int):
        text = str(value)
    elif isinstance(value, float):
        text = repr(value)
    else:
        text = str(value)
    text = text.strip().strip(_QUOTES).strip()
    if len(text) == 18 and text.isdigit() and text.isascii():  # the common case
        return _validate(text)
    if not text or text.lower() in {"nan", "none", "null", "-", "na", "n/a"}:
        return None, "nip_missing: no NIP given"
    sci = _SCI.match(text.replace(" ", ""))
    if sci:
        whole, frac, exp = sci.group(1), sci.group(2) or "", int(sci.group(3))
        mantissa = (whole + frac).lstrip("0")
        try:
            number = Decimal(f"{whole}.{frac or '0'}").scaleb(exp)
        except InvalidOperation:  # pragma: no cover - regex guarantees digits
            return None, f"nip_not_numeric: {text!r} is not a number"
        except Overflow:  # an exponent past Decimal's range (1E1000000): not 18 digits
            return None, f"nip_wrong_length: {text!r} is not an 18-digit number"
        # adjusted() is the exponent of the leading digit: 17 for an 18-digit integer (and no
        # int() of a huge exponent such as 1E+5000, which Python refuses to print)
        if number != number.to_integral_value() or number.adjusted() != 17:
            return None, f"nip_wrong_length: {text!r} is not an 18-digit number"
        if len(mantissa) < 18:
            # the places the mantissa does not state were rounded away by Excel
            return None, (
                f"nip_scientific_lossy: Excel scientific notation keeps only "
                f"{max(len(mantissa), 1)} of 18 digits"
            )
        text = str(int(number))
    digits = _SEPARATORS.sub("", text)
    if not digits.isdigit():
        suffix = _FLOAT_SUFFIX.match(text)
        if suffix and _SEPARATORS.sub("", suffix.group(1)).isdigit():
            digits = _SEPARATORS.sub("", suffix.group(1))
        else:
            return None, "nip_not_numeric: contains characters other than digits and separators"
    elif len(digits) != 18:
        suffix = _FLOAT_SUFFIX.match(text)
        if suffix:
            trimmed = _SEPARATORS.sub("", suffix.group(1))
            if len(trimmed) == 18 and trimmed.isdigit():
                digits = trimmed
    if not digits.isascii():
        return None, "nip_not_numeric: contains non-ASCII digits"
    if len(digits) != 18:
        return None, f"nip_wrong_length: {len(digits)} digits, a NIP has 18"
    return _validate(digits)


def plain_valid(texts: list[object]) -> np.ndarray:
    """Which texts are a valid NIP as they stand: 18 ASCII digits passing every check.

    Vectorised: the checks of :func:`parse_nip` (birth date, TMT, age at TMT, sex digit,
    serial) on many texts at once. True means ``parse_nip(text) == (text, None)``;
    False means that :func:`parse_nip` must decide (the text may still be repairable).

    Examples
    --------
    >>> plain_valid(["198505122010011002", "198502302010011002", " 198505122010011002", 7])
    array([ True, False, False, False])
    """
    if not len(texts):
        return np.zeros(0, dtype=bool)
    plain = np.fromiter(
        (type(t) is str and len(t) == 18 and t.isascii() and t.isdigit() for t in texts),
        dtype=bool, count=len(texts),
    )  # fmt: skip
    ok = plain.copy()
    if not plain.any():
        return ok
    digits = np.array([t for t, p in zip(texts, plain, strict=True) if p], dtype="U18")
    d = digits.view(np.uint32).reshape(-1, 18).astype(np.int64) - 48

    def number(a: int, b: int) -> np.ndarray:
        out = np.zeros(len(d), dtype=np.int64)
        for i in range(a, b):
            out = out * 10 + d[:, i]
        return out

    year, month, day = number(0, 4), number(4, 6), number(6, 8)
    tmt_year, tmt_month = number(8, 12), number(12, 14)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    month_days = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
    days = month_days[np.clip(month, 0, 12)] + (leap & (month == 2))
    good = (
        (year >= max(MIN_BIRTH_YEAR, 1)) & (month >= 1) & (month <= 12) & (day >= 1) & (day <= days)
        & (tmt_month >= 1) & (tmt_month <= 12) & (tmt_year >= MIN_TMT_YEAR)
        & ((tmt_year * 12 + tmt_month) - (year * 12 + month) >= MIN_AGE_AT_TMT * 12)
        & ((d[:, 14] == 1) | (d[:, 14] == 2))
        & (number(15, 18) != 0)
    )  # fmt: skip
    ok[plain] = good
    return ok


def _validate(digits: str) -> tuple[str | None, str | None]:
    year, month, day = int(digits[0:4]), int(digits[4:6]), int(digits[6:8])
    try:
        _dt.date(year, month, day)
    except ValueError:
        return None, f"nip_bad_birth_date: {digits[0:8]} is not a real date (YYYYMMDD)"
    if year < MIN_BIRTH_YEAR:
        return None, f"nip_bad_birth_date: birth year {year} is before {MIN_BIRTH_YEAR}"
    tmt_year, tmt_month = int(digits[8:12]), int(digits[12:14])
    if not 1 <= tmt_month <= 12 or tmt_year < MIN_TMT_YEAR:
        return None, f"nip_bad_tmt: {digits[8:14]} is not a real month (YYYYMM)"
    if (tmt_year * 12 + tmt_month) - (year * 12 + month) < MIN_AGE_AT_TMT * 12:
        return None, (
            f"nip_tmt_too_early: service start {digits[8:14]} is before age "
            f"{MIN_AGE_AT_TMT} (born {digits[0:6]})"
        )
    if digits[14] not in "12":
        return None, (
            f"nip_bad_sex_digit: 7th-from-last digit is {digits[14]}, "
            "must be 1 (male) or 2 (female)"
        )
    if digits[15:] == "000":
        return None, (
            "nip_bad_serial: serial 000 is never issued (an 18-digit number rounded "
            "to 15 digits by Excel ends in 000)"
        )
    return digits, None


def parse_nips(values: pd.Series) -> pd.DataFrame:
    """Normalise and validate a Series of raw NIPs.

    Parameters
    ----------
    values : pandas.Series
        Raw NIP cells (any dtype).

    Returns
    -------
    pandas.DataFrame
        Same index as ``values``, columns ``nip`` (18-digit string or missing),
        ``reason`` (why it is invalid, or missing) and ``repaired`` (bool: the
        raw text differed from the normalised NIP).

    Examples
    --------
    >>> import pandas as pd
    >>> out = parse_nips(pd.Series(["198505122010011002", "1.97E+17", None]))
    >>> out["nip"].tolist()
    ['198505122010011002', None, None]
    >>> out["reason"].str.split(":").str[0].tolist()
    [None, 'nip_scientific_lossy', 'nip_missing']
    """
    cache: dict[object, tuple[str | None, str | None]] = {}
    nips: list[str | None] = []
    reasons: list[str | None] = []
    repaired: list[bool] = []
    for raw in values.tolist():
        key = (type(raw), raw) if raw == raw else ("nan", None)
        hit = cache.get(key)
        if hit is None:
            hit = cache[key] = parse_nip(raw)
        nips.append(hit[0])
        reasons.append(hit[1])
        repaired.append(hit[0] is not None and str(raw) != hit[0])
    return pd.DataFrame(
        {
            "nip": pd.Series(nips, index=values.index, dtype=object),
            "reason": pd.Series(reasons, index=values.index, dtype=object),
            "repaired": pd.Series(repaired, index=values.index, dtype=bool),
        }
    )


def birth_date(nip: str) -> _dt.date:
    """Birth date encoded in a valid NIP.

    Examples
    --------
    >>> birth_date("198505122010011002")
    datetime.date(1985, 5, 12)
    """
    return _dt.date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))


def sex(nip: str) -> str:
    """Sex encoded in a valid NIP: ``"L"`` (laki-laki) or ``"P"`` (perempuan).

    Examples
    --------
    >>> sex("198505122010011002"), sex("199001012015032001")
    ('L', 'P')
    """
    return {"1": "L", "2": "P"}[nip[14]]


def age(nip: str, on: _dt.date) -> int:
    """Age in whole years on date ``on`` of the holder of a valid NIP.

    Examples
    --------
    >>> import datetime
    >>> age("198505122010011002", datetime.date(2025, 5, 11))
    39
    """
    born = birth_date(nip)
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def age_band(nip: str, on: _dt.date) -> str:
    """Age band (``<30``, ``30-39``, ``40-49``, ``50+``) on date ``on``.

    Examples
    --------
    >>> import datetime
    >>> age_band("198505122010011002", datetime.date(2025, 11, 27))
    '40-49'
    """
    years = age(nip, on)
    return next(label for low, label in AGE_BANDS if years >= low)


def sexes(nips: pd.Series) -> pd.Series:
    """Vectorised :func:`sex`: ``"L"``/``"P"`` for valid NIPs, missing otherwise.

    Examples
    --------
    >>> import pandas as pd
    >>> sexes(pd.Series(["198505122010011002", None])).tolist()
    ['L', None]
    """
    digit = (
        nips.astype(object)
        .where(nips.notna())
        .map(lambda n: n[14] if isinstance(n, str) and len(n) == 18 else None)
    )
    return digit.map({"1": "L", "2": "P"}).astype(object).where(digit.notna(), None)


def age_bands(nips: pd.Series, on: pd.Series) -> pd.Series:
    """Vectorised :func:`age_band` with one reference date per row.

    Rows whose NIP or reference date is missing get a missing band.

    Examples
    --------
    >>> import pandas as pd
    >>> age_bands(pd.Series(["198505122010011002", "199901012020011001"]),
    ...           pd.Series(pd.to_datetime(["2025-11-27", "2025-11-27"]))).tolist()
    ['40-49', '<30']
    """
    text = pd.Series(
        [n if isinstance(n, str) and len(n) == 18 and n.isdigit() else "" for n in nips.tolist()],
        index=nips.index, dtype=object,
    )  # fmt: skip
    when = pd.to_datetime(pd.Series(on.to_numpy(), index=nips.index), errors="coerce")
    ok = (text != "") & when.notna()
    out = np.full(len(text), None, dtype=object)
    if not ok.any():
        return pd.Series(out, index=nips.index, dtype=object)
    born = text[ok].str[:8].astype("int64")
    year, month_day = born // 10000, born % 10000
    ref = when[ok]
    years = ref.dt.year - year - ((ref.dt.month * 100 + ref.dt.day) < month_day).astype("int64")
    labels = np.full(len(years), AGE_BANDS[-1][1], dtype=object)
    for low, label in reversed(AGE_BANDS[:-1]):
        labels[(years >= low).to_numpy()] = label
    out[ok.to_numpy()] = labels
    return pd.Series(out, index=nips.index, dtype=object)
