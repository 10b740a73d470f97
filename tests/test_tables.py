"""Display tables: counts with small cells suppressed, formatted results, costs, compliance."""

from __future__ import annotations

import pandas as pd
import pytest
from reporting_fixtures import CHANGE, COMPLIANCE

from evalkit import reporting as ekr
from evalkit.errors import ParameterError


def test_count_table_suppresses_small_cells_and_one_more():
    people = pd.DataFrame({"sex": ["L"] * 9 + ["P"] * 3})
    table = ekr.count_table(people, "sex", "id")
    # P (3) is hidden; L (9) too, or 12 - 9 would give P away.
    assert table["n"].tolist() == ["≥ 5", "< 5"]
    assert table["%"].tolist() == ["\u2013", "\u2013"]


def test_count_table_keeps_large_cells_and_pools_small_ones():
    units = pd.DataFrame({"unit": ["Bappeda"] * 7 + ["Dinsos"] * 6 + ["A", "B", "C", "D", "E"]})
    table = ekr.count_table(units, "unit", "en", combine_small=True)
    assert table["n"].to_dict() == {"Bappeda": "7", "Dinsos": "6", "Other (fewer than 5 each)": "5"}


def test_count_table_missing_column_is_a_parameter_error():
    with pytest.raises(ParameterError, match="count_table: column 'golongan' not in data"):
        ekr.count_table(pd.DataFrame({"sex": ["L"]}), "golongan")


def test_profile_table_groups_golongan_and_never_shows_a_cell_under_5():
    people = pd.DataFrame(
        {
            "sex": ["L"] * 12 + ["P"] * 8,
            "golongan": ["III/a"] * 9 + ["III/b"] * 8 + ["IV/a"] * 3,
            "unit": ["Bappeda"] * 20,
        }
    )
    table = ekr.profile_table(people, "en", columns=["sex", "golongan", "unit"])
    golongan = table.loc["Grade (golongan)"]
    # III/a + III/b = 17 shown as group III; IV (3) hidden, and III with it (17 = 20 - 3)
    assert golongan["n"].to_dict() == {"III": "≥ 5", "IV": "< 5"}
    shown = [int(v) for v in table["n"] if v.isdigit()]
    assert all(v >= 5 for v in shown)


def test_profile_of_a_tiny_group_says_nothing_about_it():
    table = ekr.profile_table(pd.DataFrame({"sex": ["L", "P", "P"]}), "en")
    assert table["n"].tolist() == ["< 5"]


def test_format_table_translates_and_formats_without_changing_the_input():
    res = pd.DataFrame({"mean": [4.312], "n": [24.0], "pct_top_box": [82.25]}, index=["content"])
    before = res.copy()
    out = ekr.format_table(res, "id", percent=["pct_top_box"])
    assert out.loc["Materi"].tolist() == ["4,31", "24", "82,2%"]
    assert list(out.columns) == ["Rerata", "n", "% dua teratas"]
    pd.testing.assert_frame_equal(res, before)


def test_change_table_lists_the_paired_statistics():
    table = ekr.change_table(CHANGE, "en")
    assert table.loc["Paired t test", "Value"] == "t(27) = 5.93, p < .001"
    assert table.loc["Hedges' g (95% CI)", "Value"] == "0.88 (0.55 to 1.20)"


def test_item_labels_keep_the_statement_and_mark_reversed_items():
    items = pd.DataFrame(
        {"item": ["c1", "o3"], "reverse": [False, True],
         "text": ["Penilaian Materi [Materi mudah dipahami]", "Jadwal terlalu padat"]}
    )  # fmt: skip
    assert ekr.item_labels(items) == {
        "c1": "Materi mudah dipahami",
        "o3": "Jadwal terlalu padat (R)",
    }


def test_format_table_prints_every_p_column_in_apa_style():
    res = pd.DataFrame({"estimate": [6.03, 0.04], "p": [1e-9, 0.964], "welch_p": [0.0, 0.5]})
    out_id = ekr.format_table(res, "id")
    assert out_id["p"].tolist() == ["< 0,001", "0,964"]
    assert out_id["welch_p"].tolist() == ["< 0,001", "0,500"]
    assert ekr.format_table(res, "en")["p"].tolist() == ["< .001", ".964"]
    assert not any("0,00" == v or "0.00" == v for v in out_id.to_numpy().ravel())


def test_format_table_prints_rupiah_columns_in_each_language():
    frame = pd.DataFrame({"costs": [12_500_000.0], "roi_pct": [20.0]}, index=["K1"])
    assert ekr.format_table(frame, "id", money=["costs"], percent=["roi_pct"]).iloc[0].tolist() == [
        "Rp12.500.000",
        "20,0%",
    ]
    en = ekr.format_table(frame, "en", money=["costs"], percent=["roi_pct"])
    assert en.iloc[0].tolist() == ["IDR 12,500,000", "20.0%"]
    assert list(en.columns) == ["Costs (IDR)", "ROI"]


def test_compliance_table_and_note_in_both_languages():
    safe = ekr.compliance_safe(COMPLIANCE)
    id_ = ekr.compliance_table(safe, "id")
    assert id_.loc["Dinsos", "% patuh 20 JP"] == "< 5 patuh"
    assert id_.loc["Dinkes", "% patuh 20 JP"] == "< 5 tidak patuh"
    assert id_.loc["Bappeda", "IK 95%"] == "30% s.d. 70%"
    en = ekr.compliance_table(safe, "en")
    assert en.loc["Dinsos", "% meeting 20 JP"] == "< 5 compliant"
    assert en.loc["Bappeda", "95% CI"] == "30% to 70%"
    note_id, note_en = ekr.compliance_note(2025, "id"), ekr.compliance_note(2025, "en")
    assert "Tahun 2025" in note_id and "2024 atau 2025" in note_id and "seluruh pegawai" in note_id
    assert "Year 2025" in note_en and "2024 or 2025" in note_en and "not among all staff" in note_en
