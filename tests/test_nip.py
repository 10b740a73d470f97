"""Tests of evalkit.data.nip: NIP normalisation, validation and derived fields."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evalkit.data.nip import age, age_band, age_bands, birth_date, parse_nip, parse_nips, sex, sexes

VALID = "198505122010011002"


@pytest.mark.parametrize(
    "raw",
    [
        VALID,
        f"'{VALID}",
        f'"{VALID}"',
        f"  {VALID} ",
        "19850512 201001 1 002",
        "19850512.201001.1.002",
        "19850512-201001-1-002",
        f"{VALID}.0",
        f"{VALID},00",
        "1.98505122010011002E+17",
        "1,98505122010011002e17",
        198505122010011002,
    ],
)
def test_repairable_forms_give_the_nip(raw: object) -> None:
    assert parse_nip(raw) == (VALID, None)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("1.97E+17", "nip_scientific_lossy"),
        ("1,98505E+17", "nip_scientific_lossy"),
        (1.9880331201004202e17, "nip_scientific_lossy"),  # a float cannot hold 18 digits
        ("1.98505122010011E+17", "nip_scientific_lossy"),
        ("98505122010011002", "nip_wrong_length"),  # lost its leading digit
        ("1985051220100110021", "nip_wrong_length"),
        ("1.5E+3", "nip_wrong_length"),
        ("1E1000000", "nip_wrong_length"),  # past Decimal's exponent range: was an Overflow
        ("198502302010011002", "nip_bad_birth_date"),  # 30 February
        ("192005122010011002", "nip_bad_birth_date"),  # born before 1930
        ("198505122010131002", "nip_bad_tmt"),  # month 13
        ("198505122000011002", "nip_tmt_too_early"),  # service at 14
        ("198505122010013002", "nip_bad_sex_digit"),
        ("198505122010011000", "nip_bad_serial"),  # Excel rounding to 15 digits
        ("NIP-1985O5122010011002", "nip_not_numeric"),
        ("", "nip_missing"),
        ("  - ", "nip_missing"),
        (None, "nip_missing"),
        (float("nan"), "nip_missing"),
        (True, "nip_not_numeric"),
    ],
)
def test_unusable_forms_give_a_reason(raw: object, code: str) -> None:
    nip, reason = parse_nip(raw)
    assert nip is None
    assert reason.split(":")[0] == code


def test_lossy_reason_says_how_many_digits_survive() -> None:
    assert parse_nip("1,98505E+17")[1].endswith("keeps only 6 of 18 digits")


def test_tmt_at_exactly_18_is_accepted() -> None:
    assert parse_nip("198505122003051002")[0] == "198505122003051002"
    assert parse_nip("198505122003041002")[0] is None


def test_parse_nips_is_vectorised_and_keeps_the_index() -> None:
    raw = pd.Series(["19850512 201001 1 002", "1.97E+17", None, VALID], index=[10, 11, 12, 13])
    out = parse_nips(raw)
    assert list(out.index) == [10, 11, 12, 13]
    assert out["nip"].tolist() == [VALID, None, None, VALID]
    assert out["reason"].str.split(":").str[0].tolist() == [
        None, "nip_scientific_lossy", "nip_missing", None,
    ]  # fmt: skip
    assert out["repaired"].tolist() == [True, False, False, False]


def test_derived_fields() -> None:
    assert birth_date(VALID) == dt.date(1985, 5, 12)
    assert sex(VALID) == "L"
    assert sex("199001012015032001") == "P"
    assert age(VALID, dt.date(2025, 5, 12)) == 40
    assert age(VALID, dt.date(2025, 5, 11)) == 39
    assert age_band(VALID, dt.date(2014, 5, 11)) == "<30"
    assert age_band(VALID, dt.date(2015, 5, 12)) == "30-39"
    assert age_band(VALID, dt.date(2035, 5, 12)) == "50+"


def test_vectorised_derived_fields_leave_missing_missing() -> None:
    nips = pd.Series([VALID, None, "199001012015032001"])
    assert sexes(nips).tolist() == ["L", None, "P"]
    on = pd.Series(pd.to_datetime(["2025-01-01", "2025-01-01", None]))
    assert age_bands(nips, on).tolist() == ["30-39", None, None]


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.integers(), st.floats(), st.none()))
def test_any_input_gives_a_valid_nip_or_a_coded_reason(raw: object) -> None:
    nip, reason = parse_nip(raw)
    if nip is None:
        assert reason is not None and reason.startswith("nip_")
    else:
        assert reason is None and len(nip) == 18 and nip.isdigit()


@settings(max_examples=200, deadline=None)
@given(
    st.dates(dt.date(1950, 1, 1), dt.date(2004, 12, 31)),
    st.integers(18, 40),
    st.integers(1, 12),
    st.sampled_from("12"),
    st.integers(1, 999),
    st.sampled_from([" ", ".", "-", ""]),
)
def test_formatted_valid_nips_round_trip(born, years, month, sex_digit, serial, sep) -> None:
    tmt = f"{born.year + years:04d}{month:02d}"
    if (born.year + years) * 12 + month - (born.year * 12 + born.month) < 18 * 12:
        return
    nip = f"{born:%Y%m%d}{tmt}{sex_digit}{serial:03d}"
    shown = sep.join([nip[:8], nip[8:14], nip[14], nip[15:]])
    assert parse_nip(shown) == (nip, None)
