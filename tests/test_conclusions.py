"""Worded conclusions of each level, in both languages."""

from __future__ import annotations

import pandas as pd
import pytest
from reporting_fixtures import CHANGE

from evalkit import reporting as ekr
from evalkit.errors import ParameterError


def test_learning_conclusion_in_english_matches_the_apa_example():
    text = ekr.learning_conclusion(CHANGE, "en")
    assert text.startswith(
        "Post-test scores rose by 14.2 points (95% CI 10.1 to 18.3; d_z = 1.12, n = 28); "
        "t(27) = 5.93, p < .001."
    )
    assert "large effect (Hedges' g = 0.88, 95% CI 0.55 to 1.20)" in text
    assert "⟨g⟩ = .45 (medium)" in text


def test_learning_conclusion_in_indonesian_uses_decimal_commas_and_semicolons():
    text = ekr.learning_conclusion(CHANGE)
    assert text.startswith(
        "Nilai post-test naik 14,2 poin (IK 95% 10,1 s.d. 18,3; d_z = 1,12; n = 28)"
    )
    assert "t(27) = 5,93; p < 0,001" in text
    assert "⟨g⟩ = 0,45 (sedang)" in text


def test_learning_conclusion_says_fell_and_not_significant():
    fell = {**CHANGE, "mean_diff": -6.0, "ci_low": -9.0, "ci_high": -3.0}
    assert "fell by 6.0 points" in ekr.learning_conclusion(fell, "en")
    assert "turun 6,0 poin" in ekr.learning_conclusion(fell, "id")
    flat = {**CHANGE, "mean_diff": 1.2, "ci_low": -2.0, "ci_high": 4.4, "p": 0.51}
    assert "did not differ significantly" in ekr.learning_conclusion(flat, "en")
    assert "tidak berbeda bermakna" in ekr.learning_conclusion(flat, "id")


def test_learning_conclusion_with_too_few_pairs_says_so():
    assert "not enough" in ekr.learning_conclusion({"n": 1}, "en")


def test_reliability_warns_below_the_acceptable_alpha():
    good = {"alpha": 0.86, "ci_low": 0.79, "ci_high": 0.91, "n": 24, "k": 15}
    assert "acceptable" in ekr.reliability_conclusion(good, "en")
    weak = ekr.reliability_conclusion({**good, "alpha": 0.55}, "en")
    assert weak.startswith("**Caution:**") and "below .70" in weak
    assert ekr.reliability_conclusion({**good, "alpha": 0.55}, "id").startswith("**Perhatian:**")


def test_reaction_conclusion_names_the_highest_and_lowest_dimension():
    scores = pd.DataFrame(
        {"mean": [4.31, 3.62, 3.9], "ci_low": [4.1, 3.4, 3.7], "ci_high": [4.5, 3.8, 4.1]},
        index=["facilitator", "facilities", "content"],
    )
    text = ekr.reaction_conclusion(scores, "id", scale_max=5)
    assert "tertinggi pada Narasumber/Widyaiswara (M = 4,31" in text
    assert "terendah pada Sarana (M = 3,62" in text


def test_level3_and_cost_wording():
    transfer = {"n": 20, "index": 71.25, "ci_low": 66.0, "ci_high": 76.5, "band": "Berdampak",
                "index_self": 75.0, "index_supervisor": 67.5}  # fmt: skip
    agreement = {"n": 18, "icc": 0.59, "icc_ci_low": 0.18, "icc_ci_high": 0.83, "bias": 2.9,
                 "loa_low": -11.0, "loa_high": 16.8}  # fmt: skip
    text = ekr.transfer_conclusion(transfer, agreement, "en", months=6)
    assert text.startswith("Six months after training the transfer index was 71.2 of 100")
    assert "(n = 18 pairs): ICC(2,1) = .59" in text
    rates = {"n": 20, "implementation_rate": 0.65, "implementation_ci_low": 0.43,
             "implementation_ci_high": 0.82, "sustainment_rate": 0.3, "sustainment_ci_low": 0.15,
             "sustainment_ci_high": 0.52}  # fmt: skip
    assert "65% telah terlaksana" in ekr.project_conclusion(rates, "id")
    costs = {"total_cost": 30_500_000.0, "cost_per_participant": 1_270_833.3}
    table = ekr.cost_table(costs, "en")
    assert table.loc["Total cost", "Value"] == "IDR 30,500,000"


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
    text = ekr.trend_conclusion(TREND, ("kenaikan nilai per tahun", "score gains by year"), "en",
                                tests=TESTS)  # fmt: skip
    assert text.startswith(
        "Score gains by year: 2023 10.0 points (95% CI 8.7 to 11.3; n = 129), 2024 9.7 points"
    )
    assert "years did not differ significantly (Welch's F(2, 231.2) = 0.12, p = .891" in text
    text_id = ekr.trend_conclusion(TREND, ("kenaikan nilai per tahun", "x"), "id", tests=TESTS)
    assert "2025 9,5 poin (IK 95% 7,8 s.d. 11,2; n = 98)" in text_id
    assert "Perbedaan antartahun tidak bermakna" in text_id and "p = 0,891" in text_id


def test_trend_conclusion_without_a_test_only_claims_change_when_cis_do_not_overlap():
    overlap = ekr.trend_conclusion(TREND, ("indeks", "index"), "en", unit=("", ""))
    assert "overlap: no change can be claimed" in overlap
    apart = TREND.assign(mean_diff=[5.0, 9.7, 15.0], ci_low=[4.0, 8.4, 14.0],
                         ci_high=[6.0, 11.1, 16.0])  # fmt: skip
    assert "higher in 2025 than in 2023" in ekr.trend_conclusion(apart, ("x", "x"), "en")
    with pytest.raises(ParameterError, match=r"trend_conclusion: column\(s\) \['n'\]"):
        ekr.trend_conclusion(TREND.drop(columns="n"), ("x", "x"), "en")


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


def test_roi_cohorts_conclusion_counts_cohorts_above_break_even_in_both_languages():
    returns = pd.DataFrame(
        {"roi_pct": [120.0, 15.0, -30.0], "roi_low_pct": [10.0, -42.5, -65.0]},
        index=["A", "B", "C"],
    )
    text_id = ekr.roi_cohorts_conclusion(returns, "id")
    assert "Dari 3 angkatan" in text_id and "2 berada di atas titik impas" in text_id
    assert "1 bahkan pada skenario pesimis" in text_id and "indikatif" in text_id
    text_en = ekr.roi_cohorts_conclusion(returns, "en")
    assert "2 are above break-even" in text_en and "−30% to 120%" in text_en
    assert "indicative" in text_en
    empty = returns.iloc[:0]
    assert ekr.roi_cohorts_conclusion(empty, "en") == "No cohort has benefit estimates yet."


def test_transfer_note_names_the_bands_and_the_missing_rater_rule():
    note_id, note_en = ekr.transfer_note("id"), ekr.transfer_note("en")
    assert "Sangat Berdampak ≥ 80" in note_id and "Kurang Berdampak di bawah 40" in note_id
    assert "penilaian yang ada saja" in note_id
    assert "Very high impact ≥ 80" in note_en and "Low impact below 40" in note_en
    assert "available rating alone" in note_en


def test_did_conclusion_warns_about_few_clusters_in_both_languages():
    res = {"estimate": 6.28, "ci_low": 5.17, "ci_high": 7.40, "t": 12.27, "df": 12,
           "p": 4e-8, "n_obs": 78, "n_clusters": 13}  # fmt: skip
    text_id = ekr.did_conclusion(res, ("IKM", "IKM"), "id", n_treated=5)
    assert "**Perhatian:** dengan hanya 13 unit, 5 di antaranya dilatih" in text_id
    text_en = ekr.did_conclusion(res, ("IKM", "IKM"), "en")
    assert "with only 13 units, cluster-robust standard errors can be too small" in text_en
    many = ekr.did_conclusion({**res, "n_clusters": 60}, ("IKM", "IKM"), "en")
    assert "Caution" not in many


def test_group_comparisons_say_when_they_were_run_on_cohort_means():
    d = {"mean_diff": 0.49, "ci_low": 0.33, "ci_high": 0.65, "t": 6.1, "df": 12.2, "p": 1e-4,
         "hedges_g": 0.63}  # fmt: skip
    groups = ("practitioner", "academic")
    assert ekr.difference_conclusion(d, groups, ("skor", "scores"), "id", n_cohorts=15).endswith(
        "Uji atas rerata angkatan (n = 15 angkatan)."
    )
    assert ekr.difference_conclusion(d, groups, ("skor", "scores"), "en", n_cohorts=15).endswith(
        "Tested on cohort means (n = 15 cohorts)."
    )
    assert "cohort means" not in ekr.difference_conclusion(d, groups, ("skor", "scores"), "en")


def test_low_kr20_and_listwise_alpha_n_are_explained_in_both_languages():
    items = pd.DataFrame({"kr20": [0.52, 0.52], "discrimination_band": ["good", "good"]},
                         index=["s01", "s02"])  # fmt: skip
    assert ekr.knowledge_test_conclusion(items, "id").startswith("**Perhatian:** reliabilitas tes")
    assert ekr.knowledge_test_conclusion(items, "en").startswith("**Caution:** test reliability")
    fine = ekr.knowledge_test_conclusion(items.assign(kr20=0.8), "en")
    assert "Caution" not in fine
    row = {"alpha": 0.86, "ci_low": 0.79, "ci_high": 0.91, "n": 24, "k": 15}
    assert "menjawab semua butir" in ekr.reliability_conclusion(row, "id", n_respondents=27)
    assert "answered every item" in ekr.reliability_conclusion(row, "en", n_respondents=27)
    assert "every item" not in ekr.reliability_conclusion(row, "en", n_respondents=24)
