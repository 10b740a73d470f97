"""Number formats of the reports: decimals, counts, percentages, rupiah, p values, CIs, dates.

Indonesian (``"id"``) uses the decimal comma and the thousands point
(``1.234,5``), English (``"en"``) the reverse; negative numbers take the true minus
sign (U+2212) and a missing value prints as an en dash (:data:`~evalkit.reporting.terms.MISSING`).
p values and quantities bounded by 1 follow APA style in English (no leading zero,
``p < .001``), and Indonesian keeps the zero. Every table cell and sentence of a
report formats its numbers with these functions, so a number reads the same wherever
it appears.

Examples
--------
>>> fmt_num(1234.5, 1, "id"), fmt_num(1234.5, 1, "en"), fmt_p(0.0004, "en")
('1.234,5', '1,234.5', 'p < .001')
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from evalkit.reporting.terms import MINUS, MISSING, check_lang, is_missing


def fmt_num(
    x: Any, decimals: int = 1, lang: str = "id", *, leading_zero: bool = True, sign: bool = False
) -> str:
    """Format a number for ``lang``: decimal comma in Indonesian, point in English.

    Parameters
    ----------
    x : float
        The number; None or NaN prints as an en dash.
    decimals : int
        Digits after the decimal mark (rounding half to even, as Python does).
    lang : {"id", "en"}
    leading_zero : bool
        False drops the zero before the decimal mark (``.45``), for quantities that
        cannot exceed 1 in APA style.
    sign : bool
        Print ``+`` before positive numbers.

    Examples
    --------
    >>> fmt_num(1234567.891, 2, "id"), fmt_num(1234567.891, 2, "en")
    ('1.234.567,89', '1,234,567.89')
    >>> fmt_num(-0.456, 2, "en", leading_zero=False), fmt_num(float("nan"))
    ('−.46', '–')
    """
    i = check_lang(lang, "fmt_num")
    if is_missing(x):
        return MISSING
    value = float(x)
    text = f"{abs(value):,.{decimals}f}"
    if i == 0:
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    if not leading_zero and text.startswith("0") and len(text) > 1 and not text[1].isdigit():
        text = text[1:]
    negative = value < 0 and any(ch in "123456789" for ch in text)
    prefix = MINUS if negative else ("+" if sign and value > 0 else "")
    return prefix + text


def fmt_int(x: Any, lang: str = "id") -> str:
    """Format a count with the thousands separator of ``lang``.

    Examples
    --------
    >>> fmt_int(12500), fmt_int(12500, "en")
    ('12.500', '12,500')
    """
    return fmt_num(x, 0, lang)


def fmt_pct(x: Any, decimals: int = 0, lang: str = "id") -> str:
    """Format a percentage given on the 0-100 scale.

    Examples
    --------
    >>> fmt_pct(85.04, 1), fmt_pct(85.04, 1, "en")
    ('85,0%', '85.0%')
    """
    text = fmt_num(x, decimals, lang)
    return text if text == MISSING else f"{text}%"


def fmt_idr(amount: Any, lang: str = "id") -> str:
    """Format an amount of rupiah.

    Examples
    --------
    >>> fmt_idr(12_500_000), fmt_idr(12_500_000, "en")
    ('Rp12.500.000', 'IDR 12,500,000')
    >>> fmt_idr(-1_500, "id")
    '−Rp1.500'
    """
    text = fmt_num(amount, 0, lang)
    if text == MISSING:
        return text
    sign, digits = ("−", text[1:]) if text[0] in "−-" else ("", text)
    return f"{sign}Rp{digits}" if lang == "id" else f"{sign}IDR {digits}"


def fmt_p(p: Any, lang: str = "id") -> str:
    """Format a p value in APA style (exact to 3 decimals, ``< .001`` below that).

    Examples
    --------
    >>> fmt_p(0.0312, "en"), fmt_p(0.5, "id"), fmt_p(0.00001, "id")
    ('p = .031', 'p = 0,500', 'p < 0,001')
    """
    i = check_lang(lang, "fmt_p")
    if is_missing(p):
        return f"p = {MISSING}"
    if float(p) < 0.001:
        return "p < .001" if i == 1 else "p < 0,001"
    return f"p = {fmt_num(p, 3, lang, leading_zero=(i == 0))}"


def fmt_pvalue(p: Any, lang: str = "id") -> str:
    """A p value for a table cell, APA style: never "0.00".

    Below .001 it prints ``< .001`` (``< 0,001`` in Indonesian), otherwise three
    decimals; English drops the leading zero (APA 7, 6.36), Indonesian keeps it and
    uses the decimal comma. :func:`format_table` formats every column named ``p`` or
    ending in ``_p`` with it.

    Examples
    --------
    >>> fmt_pvalue(0.0004, "en"), fmt_pvalue(0.0004, "id"), fmt_pvalue(0.0312, "en")
    ('< .001', '< 0,001', '.031')
    >>> fmt_pvalue(0.65, "id"), fmt_pvalue(1.0, "en"), fmt_pvalue(float("nan"))
    ('0,650', '1.000', '–')
    """
    i = check_lang(lang, "fmt_pvalue")
    if is_missing(p):
        return MISSING
    if float(p) < 0.001:
        return "< .001" if i == 1 else "< 0,001"
    return fmt_num(p, 3, lang, leading_zero=(i == 0))


def is_p_column(name: Any) -> bool:
    """Whether a column holds p values: it is named ``p`` or ends in ``_p``.

    Examples
    --------
    >>> is_p_column("p"), is_p_column("welch_p"), is_p_column("pre")
    (True, True, False)
    """
    return isinstance(name, str) and (name == "p" or name.endswith("_p"))


def fmt_ci(
    low: Any,
    high: Any,
    decimals: int = 1,
    lang: str = "id",
    *,
    level: float = 0.95,
    leading_zero: bool = True,
) -> str:
    """Format a confidence interval: ``95% CI 10.1 to 18.3`` / ``IK 95% 10,1 s.d. 18,3``.

    Examples
    --------
    >>> fmt_ci(10.12, 18.3, 1, "en"), fmt_ci(10.12, 18.3, 1, "id")
    ('95% CI 10.1 to 18.3', 'IK 95% 10,1 s.d. 18,3')
    """
    i = check_lang(lang, "fmt_ci")
    pct = f"{level * 100:.0f}%"
    lo = fmt_num(low, decimals, lang, leading_zero=leading_zero)
    hi = fmt_num(high, decimals, lang, leading_zero=leading_zero)
    return f"IK {pct} {lo} s.d. {hi}" if i == 0 else f"{pct} CI {lo} to {hi}"


_MONTHS_ID = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
    "Oktober", "November", "Desember",
)  # fmt: skip


def fmt_date(value: Any, lang: str = "id") -> str:
    """Format a date as Indonesian (``13 Maret 2023``) or English (``13 March 2023``) text.

    Examples
    --------
    >>> fmt_date("2023-03-13"), fmt_date("2023-03-13", "en")
    ('13 Maret 2023', '13 March 2023')
    >>> fmt_date(pd.NaT) == fmt_date(None) == MISSING  # a cohort without dates
    True
    """
    i = check_lang(lang, "fmt_date")
    if is_missing(value) or (not isinstance(value, str) and pd.isna(value) is True):
        return MISSING
    when = pd.Timestamp(value)
    month = _MONTHS_ID[when.month - 1] if i == 0 else when.strftime("%B")
    return f"{when.day} {month} {when.year}"
