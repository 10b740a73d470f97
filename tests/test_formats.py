"""Number formats: decimal marks, APA p values, CIs, rupiah, percentages, dates."""

from __future__ import annotations

import pytest

from evalkit import reporting as ekr


@pytest.mark.parametrize(
    ("value", "decimals", "lang", "expected"),
    [
        (14.25, 1, "id", "14,2"),  # round half to even
        (14.25, 1, "en", "14.2"),
        (1234567.891, 2, "id", "1.234.567,89"),
        (1234567.891, 2, "en", "1,234,567.89"),
        (-3.14159, 2, "id", "\u22123,14"),
        (-0.001, 1, "en", "0.0"),  # no minus sign on a rounded zero
        (float("nan"), 1, "id", "\u2013"),
        (None, 1, "en", "\u2013"),
    ],
)
def test_fmt_num_uses_the_decimal_mark_of_each_language(value, decimals, lang, expected):
    assert ekr.fmt_num(value, decimals, lang) == expected


def test_apa_style_drops_the_leading_zero_in_english_only():
    assert ekr.fmt_num(0.456, 2, "en", leading_zero=False) == ".46"
    assert ekr.fmt_p(0.0312, "en") == "p = .031"
    assert ekr.fmt_p(0.0312, "id") == "p = 0,031"
    assert ekr.fmt_p(0.0004, "en") == "p < .001"
    assert ekr.fmt_p(0.0004, "id") == "p < 0,001"


def test_ci_currency_percent_and_dates():
    assert ekr.fmt_ci(10.12, 18.3, 1, "en") == "95% CI 10.1 to 18.3"
    assert ekr.fmt_ci(10.12, 18.3, 1, "id") == "IK 95% 10,1 s.d. 18,3"
    assert ekr.fmt_idr(12_500_000) == "Rp12.500.000"
    assert ekr.fmt_pct(85.04, 1, "id") == "85,0%"
    assert ekr.fmt_date("2024-03-04", "id") == "4 Maret 2024"


@pytest.mark.parametrize(
    ("p", "lang", "expected"),
    [
        (0.0, "en", "< .001"),
        (0.0004, "id", "< 0,001"),
        (0.001, "en", ".001"),
        (0.0049, "id", "0,005"),
        (0.65, "en", ".650"),
        (1.0, "id", "1,000"),
        (float("nan"), "en", "\u2013"),
    ],
)
def test_fmt_pvalue_is_apa_style_and_never_zero(p, lang, expected):
    assert ekr.fmt_pvalue(p, lang) == expected
