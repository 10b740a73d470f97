"""Plain-language conclusions, number formats and small-cell suppression."""

from __future__ import annotations

import pandas as pd
import pytest

from evalkit import reporting as ekn
from evalkit.errors import ParameterError

CHANGE = {
    "n": 28,
    "mean_pre": 55.0,
    "mean_post": 69.2,
    "mean_diff": 14.21,
    "sd_diff": 12.7,
    "ci_low": 10.1,
    "ci_high": 18.3,
    "t": 5.93,
    "df": 27,
    "p": 2e-6,
    "d_z": 1.12,
    "d_av": 0.9,
    "hedges_g": 0.88,
    "hedges_g_ci_low": 0.55,
    "hedges_g_ci_high": 1.2,
    "wilcoxon_w": 390.0,
    "wilcoxon_p": 1e-5,
    "hake_g": 0.45,
}


# --- number formats -----------------------------------------------------------------


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
    assert ekn.fmt_num(value, decimals, lang) == expected


def test_apa_style_drops_the_leading_zero_in_english_only():
    assert ekn.fmt_num(0.456, 2, "en", leading_zero=False) == ".46"
    assert ekn.fmt_p(0.0312, "en") == "p = .031"
    assert ekn.fmt_p(0.0312, "id") == "p = 0,031"
    assert ekn.fmt_p(0.0004, "en") == "p < .001"
    assert ekn.fmt_p(0.0004, "id") == "p < 0,001"


def test_ci_currency_percent_and_dates():
    assert ekn.fmt_ci(10.12, 18.3, 1, "en") == "95% CI 10.1 to 18.3"
    assert ekn.fmt_ci(10.12, 18.3, 1, "id") == "IK 95% 10,1 s.d. 18,3"
    assert ekn.fmt_idr(12_500_000) == "Rp12.500.000"
    assert ekn.fmt_pct(85.04, 1, "id") == "85,0%"
    assert ekn.fmt_date("2024-03-04", "id") == "4 Maret 2024"


@pytest.mark.parametrize(
    "call",
    [
        lambda: ekn.fmt_num(1.0, 1, "fr"),
        lambda: ekn.learning_conclusion(CHANGE, "de"),
        lambda: ekn.count_table(pd.DataFrame({"sex": ["L"]}), "sex", "xx"),
    ],
)
def test_unknown_language_is_a_parameter_error(call):
    with pytest.raises(ParameterError, match=r"parameter 'lang' must be one of \('id', 'en'\)"):
        call()


# --- conclusions --------------------------------------------------------------------


def test_learning_conclusion_in_english_matches_the_apa_example():
    text = ekn.learning_conclusion(CHANGE, "en")
    assert text.startswith(
        "Post-test scores rose by 14.2 points (95% CI 10.1 to 18.3; d_z = 1.12, n = 28); "
        "t(27) = 5.93, p < .001."
    )
    assert "large effect (Hedges' g = 0.88, 95% CI 0.55 to 1.20)" in text
    assert "⟨g⟩ = .45 (medium)" in text


def test_learning_conclusion_in_indonesian_uses_decimal_commas_and_semicolons():
    text = ekn.learning_conclusion(CHANGE)
    assert text.startswith(
        "Nilai post-test naik 14,2 poin (IK 95% 10,1 s.d. 18,3; d_z = 1,12; n = 28)"
    )
    assert "t(27) = 5,93; p < 0,001" in text
    assert "⟨g⟩ = 0,45 (sedang)" in text


def test_learning_conclusion_says_fell_and_not_significant():
    fell = {**CHANGE, "mean_diff": -6.0, "ci_low": -9.0, "ci_high": -3.0}
    assert "fell by 6.0 points" in ekn.learning_conclusion(fell, "en")
    assert "turun 6,0 poin" in ekn.learning_conclusion(fell, "id")
    flat = {**CHANGE, "mean_diff": 1.2, "ci_low": -2.0, "ci_high": 4.4, "p": 0.51}
    assert "did not differ significantly" in ekn.learning_conclusion(flat, "en")
    assert "tidak berbeda bermakna" in ekn.learning_conclusion(flat, "id")


def test_learning_conclusion_with_too_few_pairs_says_so():
    assert "not enough" in ekn.learning_conclusion({"n": 1}, "en")


def test_reliability_warns_below_the_acceptable_alpha():
    good = {"alpha": 0.86, "ci_low": 0.79, "ci_high": 0.91, "n": 24, "k": 15}
    assert "acceptable" in ekn.reliability_conclusion(good, "en")
    weak = ekn.reliability_conclusion({**good, "alpha": 0.55}, "en")
    assert weak.startswith("**Caution:**") and "below .70" in weak
    assert ekn.reliability_conclusion({**good, "alpha": 0.55}, "id").startswith("**Perhatian:**")


def test_reaction_conclusion_names_the_highest_and_lowest_dimension():
    scores = pd.DataFrame(
        {"mean": [4.31, 3.62, 3.9], "ci_low": [4.1, 3.4, 3.7], "ci_high": [4.5, 3.8, 4.1]},
        index=["facilitator", "facilities", "content"],
    )
    text = ekn.reaction_conclusion(scores, "id", scale_max=5)
    assert "tertinggi pada Narasumber/Widyaiswara (M = 4,31" in text
    assert "terendah pada Sarana (M = 3,62" in text


def test_text_renders_as_markdown_in_notebooks():
    text = ekn.mde_conclusion(0.55, 28, "en")
    assert isinstance(text, str) and text._repr_markdown_() == str(text)
    assert "d_z ≥ 0.55 (medium)" in text


def test_level3_and_cost_wording():
    transfer = {"n": 20, "index": 71.25, "ci_low": 66.0, "ci_high": 76.5, "band": "Berdampak",
                "index_self": 75.0, "index_supervisor": 67.5}  # fmt: skip
    agreement = {"n": 18, "icc": 0.59, "icc_ci_low": 0.18, "icc_ci_high": 0.83, "bias": 2.9,
                 "loa_low": -11.0, "loa_high": 16.8}  # fmt: skip
    text = ekn.transfer_conclusion(transfer, agreement, "en", months=6)
    assert text.startswith("Six months after training the transfer index was 71.2 of 100")
    assert "(n = 18 pairs): ICC(2,1) = .59" in text
    rates = {"n": 20, "implementation_rate": 0.65, "implementation_ci_low": 0.43,
             "implementation_ci_high": 0.82, "sustainment_rate": 0.3, "sustainment_ci_low": 0.15,
             "sustainment_ci_high": 0.52}  # fmt: skip
    assert "65% telah terlaksana" in ekn.project_conclusion(rates, "id")
    costs = {"total_cost": 30_500_000.0, "cost_per_participant": 1_270_833.3}
    table = ekn.cost_table(costs, "en")
    assert table.loc["Total cost", "Value"] == "IDR 30,500,000"


# --- tables and suppression -----------------------------------------------------------


def test_count_table_suppresses_small_cells_and_one_more():
    people = pd.DataFrame({"sex": ["L"] * 9 + ["P"] * 3})
    table = ekn.count_table(people, "sex", "id")
    # P (3) is hidden; L (9) too, or 12 - 9 would give P away.
    assert table["n"].tolist() == ["≥ 5", "< 5"]
    assert table["%"].tolist() == ["\u2013", "\u2013"]


def test_count_table_keeps_large_cells_and_pools_small_ones():
    units = pd.DataFrame({"unit": ["Bappeda"] * 7 + ["Dinsos"] * 6 + ["A", "B", "C", "D", "E"]})
    table = ekn.count_table(units, "unit", "en", combine_small=True)
    assert table["n"].to_dict() == {"Bappeda": "7", "Dinsos": "6", "Other (fewer than 5 each)": "5"}


def test_count_table_missing_column_is_a_parameter_error():
    with pytest.raises(ParameterError, match="count_table: column 'golongan' not in data"):
        ekn.count_table(pd.DataFrame({"sex": ["L"]}), "golongan")


def test_profile_table_groups_golongan_and_never_shows_a_cell_under_5():
    people = pd.DataFrame(
        {
            "sex": ["L"] * 12 + ["P"] * 8,
            "golongan": ["III/a"] * 9 + ["III/b"] * 8 + ["IV/a"] * 3,
            "unit": ["Bappeda"] * 20,
        }
    )
    table = ekn.profile_table(people, "en", columns=["sex", "golongan", "unit"])
    golongan = table.loc["Grade (golongan)"]
    # III/a + III/b = 17 shown as group III; IV (3) hidden, and III with it (17 = 20 - 3)
    assert golongan["n"].to_dict() == {"III": "≥ 5", "IV": "< 5"}
    shown = [int(v) for v in table["n"] if v.isdigit()]
    assert all(v >= 5 for v in shown)


def test_profile_of_a_tiny_group_says_nothing_about_it():
    table = ekn.profile_table(pd.DataFrame({"sex": ["L", "P", "P"]}), "en")
    assert table["n"].tolist() == ["< 5"]


def test_format_table_translates_and_formats_without_changing_the_input():
    res = pd.DataFrame({"mean": [4.312], "n": [24.0], "pct_top_box": [82.25]}, index=["content"])
    before = res.copy()
    out = ekn.format_table(res, "id", percent=["pct_top_box"])
    assert out.loc["Materi"].tolist() == ["4,31", "24", "82,2%"]
    assert list(out.columns) == ["Rerata", "n", "% dua teratas"]
    pd.testing.assert_frame_equal(res, before)


def test_change_table_lists_the_paired_statistics():
    table = ekn.change_table(CHANGE, "en")
    assert table.loc["Paired t test", "Value"] == "t(27) = 5.93, p < .001"
    assert table.loc["Hedges' g (95% CI)", "Value"] == "0.88 (0.55 to 1.20)"


def test_item_labels_keep_the_statement_and_mark_reversed_items():
    items = pd.DataFrame(
        {"item": ["c1", "o3"], "reverse": [False, True],
         "text": ["Penilaian Materi [Materi mudah dipahami]", "Jadwal terlalu padat"]}
    )  # fmt: skip
    assert ekn.item_labels(items) == {
        "c1": "Materi mudah dipahami",
        "o3": "Jadwal terlalu padat (R)",
    }


# --- p values, trends ------------------------------------------------------------------


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
    assert ekn.fmt_pvalue(p, lang) == expected


def test_format_table_prints_every_p_column_in_apa_style():
    res = pd.DataFrame({"estimate": [6.03, 0.04], "p": [1e-9, 0.964], "welch_p": [0.0, 0.5]})
    out_id = ekn.format_table(res, "id")
    assert out_id["p"].tolist() == ["< 0,001", "0,964"]
    assert out_id["welch_p"].tolist() == ["< 0,001", "0,500"]
    assert ekn.format_table(res, "en")["p"].tolist() == ["< .001", ".964"]
    assert not any("0,00" == v or "0.00" == v for v in out_id.to_numpy().ravel())


def test_suppressed_hides_one_more_cell_when_only_one_is_small():
    small, hidden = ekn.suppressed(pd.Series({"a": 9, "b": 3, "c": 12}))
    assert small.tolist() == [False, True, False] and hidden.tolist() == [True, True, False]
    small, hidden = ekn.suppressed(pd.Series({"a": 2, "b": 3, "c": 12}))
    assert hidden.tolist() == [True, True, False]


TREND = pd.DataFrame(
    {"n": [129, 152, 98], "mean_diff": [10.0, 9.7, 9.5], "ci_low": [8.7, 8.4, 7.8],
     "ci_high": [11.3, 11.1, 11.2]},
    index=pd.Index([2023, 2024, 2025], name="year"),
)  # fmt: skip
TESTS = pd.DataFrame(
    {"stat": [0.1, 0.12, 0.3], "df1": [2, 2, 2], "df2": [376, 231.2, float("nan")],
     "p": [0.9, 0.891, 0.86], "eta_sq": [0.0005, float("nan"), float("nan")]},
    index=["anova", "welch", "kruskal"],
)  # fmt: skip


def test_trend_conclusion_gives_every_period_with_ci_and_n_then_the_test():
    text = ekn.trend_conclusion(TREND, ("kenaikan nilai per tahun", "score gains by year"), "en",
                                tests=TESTS)  # fmt: skip
    assert text.startswith(
        "Score gains by year: 2023 10.0 points (95% CI 8.7 to 11.3; n = 129), 2024 9.7 points"
    )
    assert "years did not differ significantly (Welch's F(2, 231.2) = 0.12, p = .891" in text
    text_id = ekn.trend_conclusion(TREND, ("kenaikan nilai per tahun", "x"), "id", tests=TESTS)
    assert "2025 9,5 poin (IK 95% 7,8 s.d. 11,2; n = 98)" in text_id
    assert "Perbedaan antartahun tidak bermakna" in text_id and "p = 0,891" in text_id


def test_trend_conclusion_without_a_test_only_claims_change_when_cis_do_not_overlap():
    overlap = ekn.trend_conclusion(TREND, ("indeks", "index"), "en", unit=("", ""))
    assert "overlap: no change can be claimed" in overlap
    apart = TREND.assign(mean_diff=[5.0, 9.7, 15.0], ci_low=[4.0, 8.4, 14.0],
                         ci_high=[6.0, 11.1, 16.0])  # fmt: skip
    assert "higher in 2025 than in 2023" in ekn.trend_conclusion(apart, ("x", "x"), "en")
    with pytest.raises(ParameterError, match=r"trend_conclusion: column\(s\) \['n'\]"):
        ekn.trend_conclusion(TREND.drop(columns="n"), ("x", "x"), "en")


def test_roi_wording_in_both_languages_uses_the_base_scenario_and_its_range():
    from evalkit.metrics.economics import roi_sensitivity
    from evalkit.reporting.conclusions.economics import roi_conclusion
    from evalkit.reporting.tables import roi_table

    scenarios = roi_sensitivity((30e6, 60e6, 90e6), 50e6)
    benefit = {"n": 12, "benefit_raw": 90e6, "benefit_adjusted": 60e6}
    text_id = roi_conclusion(benefit, scenarios, "id")
    assert "BCR = 1,20" in text_id and "ROI = 20%" in text_id and "−40% s.d. 80%" in text_id
    assert "Rp60.000.000" in text_id and "Rp50.000.000" in text_id
    table = roi_table(scenarios, "id")
    assert list(table.index) == ["Pesimis", "Dasar", "Optimis"]
    assert table.loc["Pesimis", "Manfaat bersih"] == "−Rp20.000.000"


def test_section_notes_for_studies_that_cannot_compare():
    from evalkit.reporting.sections import section_note

    for key in ("one_delivery", "one_facilitator", "benefits"):
        assert section_note(key, "id") != section_note(key, "en")


# --- overview and impact wording -----------------------------------------------------


def test_format_table_prints_rupiah_columns_in_each_language():
    frame = pd.DataFrame({"costs": [12_500_000.0], "roi_pct": [20.0]}, index=["K1"])
    assert ekn.format_table(frame, "id", money=["costs"], percent=["roi_pct"]).iloc[0].tolist() == [
        "Rp12.500.000",
        "20,0%",
    ]
    en = ekn.format_table(frame, "en", money=["costs"], percent=["roi_pct"])
    assert en.iloc[0].tolist() == ["IDR 12,500,000", "20.0%"]
    assert list(en.columns) == ["Costs (IDR)", "ROI"]


def test_roi_cohorts_conclusion_counts_cohorts_above_break_even_in_both_languages():
    returns = pd.DataFrame(
        {"roi_pct": [120.0, 15.0, -30.0], "roi_low_pct": [10.0, -42.5, -65.0]},
        index=["A", "B", "C"],
    )
    text_id = ekn.roi_cohorts_conclusion(returns, "id")
    assert "Dari 3 angkatan" in text_id and "2 berada di atas titik impas" in text_id
    assert "1 bahkan pada skenario pesimis" in text_id and "indikatif" in text_id
    text_en = ekn.roi_cohorts_conclusion(returns, "en")
    assert "2 are above break-even" in text_en and "−30% to 120%" in text_en
    assert "indicative" in text_en
    empty = returns.iloc[:0]
    assert ekn.roi_cohorts_conclusion(empty, "en") == "No cohort has benefit estimates yet."


COMPLIANCE = pd.DataFrame(
    {
        "n_staff": [12, 20, 9],
        "n_compliant": [3, 10, 7],
        "compliance_rate": [0.25, 0.5, 7 / 9],
        "ci_low": [0.09, 0.3, 0.45],
        "ci_high": [0.53, 0.7, 0.94],
        "mean_jp": [10.0, 20.0, 25.0],
        "total_jp": [120.0, 400.0, 225.0],
    },
    index=pd.Index(["Dinsos", "Bappeda", "Dinkes"], name="unit"),
)


def test_compliance_safe_blanks_rates_of_fewer_than_five_and_drops_the_counts():
    safe = ekn.compliance_safe(COMPLIANCE)
    assert "n_compliant" not in safe and "total_jp" not in safe
    assert safe["suppressed"].tolist() == ["compliant", "", "not_compliant"]
    assert safe["compliance_rate"].isna().tolist() == [True, False, True]
    assert safe["ci_low"].isna().tolist() == [True, False, True]
    assert safe["mean_jp"].isna().tolist() == [True, False, True]
    assert safe.loc["Bappeda", "compliance_rate"] == 0.5
    assert COMPLIANCE["compliance_rate"].notna().all()  # input untouched
    with pytest.raises(ParameterError, match=r"compliance_safe: column\(s\) \['n_compliant'\]"):
        ekn.compliance_safe(COMPLIANCE.drop(columns="n_compliant"))


def test_compliance_table_and_note_in_both_languages():
    safe = ekn.compliance_safe(COMPLIANCE)
    id_ = ekn.compliance_table(safe, "id")
    assert id_.loc["Dinsos", "% patuh 20 JP"] == "< 5 patuh"
    assert id_.loc["Dinkes", "% patuh 20 JP"] == "< 5 tidak patuh"
    assert id_.loc["Bappeda", "IK 95%"] == "30% s.d. 70%"
    en = ekn.compliance_table(safe, "en")
    assert en.loc["Dinsos", "% meeting 20 JP"] == "< 5 compliant"
    assert en.loc["Bappeda", "95% CI"] == "30% to 70%"
    note_id, note_en = ekn.compliance_note(2025, "id"), ekn.compliance_note(2025, "en")
    assert "Tahun 2025" in note_id and "2024 atau 2025" in note_id and "seluruh pegawai" in note_id
    assert "Year 2025" in note_en and "2024 or 2025" in note_en and "not among all staff" in note_en


def test_transfer_note_names_the_bands_and_the_missing_rater_rule():
    note_id, note_en = ekn.transfer_note("id"), ekn.transfer_note("en")
    assert "Sangat Berdampak ≥ 80" in note_id and "Kurang Berdampak di bawah 40" in note_id
    assert "penilaian yang ada saja" in note_id
    assert "Very high impact ≥ 80" in note_en and "Low impact below 40" in note_en
    assert "available rating alone" in note_en


def test_did_conclusion_warns_about_few_clusters_in_both_languages():
    res = {"estimate": 6.28, "ci_low": 5.17, "ci_high": 7.40, "t": 12.27, "df": 12,
           "p": 4e-8, "n_obs": 78, "n_clusters": 13}  # fmt: skip
    text_id = ekn.did_conclusion(res, ("IKM", "IKM"), "id", n_treated=5)
    assert "**Perhatian:** dengan hanya 13 unit, 5 di antaranya dilatih" in text_id
    text_en = ekn.did_conclusion(res, ("IKM", "IKM"), "en")
    assert "with only 13 units, cluster-robust standard errors can be too small" in text_en
    many = ekn.did_conclusion({**res, "n_clusters": 60}, ("IKM", "IKM"), "en")
    assert "Caution" not in many


def test_group_comparisons_say_when_they_were_run_on_cohort_means():
    d = {"mean_diff": 0.49, "ci_low": 0.33, "ci_high": 0.65, "t": 6.1, "df": 12.2, "p": 1e-4,
         "hedges_g": 0.63}  # fmt: skip
    groups = ("practitioner", "academic")
    assert ekn.difference_conclusion(d, groups, ("skor", "scores"), "id", n_cohorts=15).endswith(
        "Uji atas rerata angkatan (n = 15 angkatan)."
    )
    assert ekn.difference_conclusion(d, groups, ("skor", "scores"), "en", n_cohorts=15).endswith(
        "Tested on cohort means (n = 15 cohorts)."
    )
    assert "cohort means" not in ekn.difference_conclusion(d, groups, ("skor", "scores"), "en")


def test_low_kr20_and_listwise_alpha_n_are_explained_in_both_languages():
    items = pd.DataFrame({"kr20": [0.52, 0.52], "discrimination_band": ["good", "good"]},
                         index=["s01", "s02"])  # fmt: skip
    assert ekn.knowledge_test_conclusion(items, "id").startswith("**Perhatian:** reliabilitas tes")
    assert ekn.knowledge_test_conclusion(items, "en").startswith("**Caution:** test reliability")
    fine = ekn.knowledge_test_conclusion(items.assign(kr20=0.8), "en")
    assert "Caution" not in fine
    row = {"alpha": 0.86, "ci_low": 0.79, "ci_high": 0.91, "n": 24, "k": 15}
    assert "menjawab semua butir" in ekn.reliability_conclusion(row, "id", n_respondents=27)
    assert "answered every item" in ekn.reliability_conclusion(row, "en", n_respondents=27)
    assert "every item" not in ekn.reliability_conclusion(row, "en", n_respondents=24)
