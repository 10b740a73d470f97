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


# --- verdicts follow the adjusted p of a secondary test, a primary outcome's own p ---------
from evalkit.reporting.conclusions.behavior import change_conclusion, link_conclusion  # noqa: E402
from evalkit.reporting.conclusions.compare import (  # noqa: E402
    clustered_conclusion,
    difference_conclusion,
    holm_verdict,
    subgroup_conclusion,
    trend_conclusion,
)

_DELIVERY = ("kenaikan nilai menurut metode pembelajaran", "score gains by delivery method")
_MEANS = pd.DataFrame(
    {"mean": [16.2, 5.0], "ci_low": [12.0, 3.4], "ci_high": [20.4, 6.6]},
    index=["project-based", "e-learning"],
)
_UNIT_EN = (
    " Highest: Project-based (16.2 points, 95% CI 12.0 to 20.4); lowest: E-learning (5.0 "
    "points, 95% CI 3.4 to 6.6). Unit of analysis: participants, with small-sample (CR2) "
    "cluster-robust SEs by cohort and Satterthwaite df (15 cohorts)."
)
_UNIT_ID = (
    " Tertinggi: Berbasis proyek (16,2 poin; IK 95% 12,0 s.d. 20,4); terendah: E-learning "
    "(5,0 poin; IK 95% 3,4 s.d. 6,6). Unit analisis: peserta, dengan SE robust-klaster sampel "
    "kecil (CR2) menurut angkatan dan db Satterthwaite (15 angkatan)."
)


def _delivery(p: float) -> pd.DataFrame:
    return pd.DataFrame(
        {"t": [float("nan"), 5.1], "df1": [1.0, 3.0], "df2": [14.0, 4.2], "p": [0.01, p],
         "n_clusters": [15.0, 15.0]},
        index=["b - a", "overall"],
    )  # fmt: skip


def test_holm_verdict_branches():
    assert holm_verdict(0.028) == "significant"  # primary: its own p
    assert holm_verdict(0.28) == "not_significant"
    assert holm_verdict(0.028, 0.311) == "unadjusted_only"
    assert holm_verdict(0.001, 0.008) == "holds_after_holm"
    assert holm_verdict(0.2, 0.6) == "not_significant"
    assert holm_verdict(0.028, float("nan")) == "significant"  # no adjusted p: primary


def test_clustered_verdict_of_a_secondary_test_rests_on_its_holm_p():
    # the demo's case: unadjusted p below .05, Holm p above
    kw = dict(vcov="CR2", n_tests=8)
    lost = clustered_conclusion(_delivery(0.028), _MEANS, _DELIVERY, "en", p_adjusted=0.311, **kw)
    assert lost == (
        "Score gains by delivery method showed a difference at the unadjusted level that does "
        "not survive the Holm adjustment for the 8 secondary tests: HTZ Wald F(3, 4.2) = 5.10, "
        "p = .028 (p Holm = .311)." + _UNIT_EN
    )
    lost = clustered_conclusion(_delivery(0.028), _MEANS, _DELIVERY, "id", p_adjusted=0.311, **kw)
    assert lost == (
        "Kenaikan nilai menurut metode pembelajaran menunjukkan perbedaan pada p tanpa koreksi "
        "yang tidak bertahan setelah koreksi Holm untuk 8 uji sekunder: HTZ Wald F(3; 4,2) = "
        "5,10; p = 0,028 (p Holm = 0,311)." + _UNIT_ID
    )
    held = clustered_conclusion(_delivery(0.001), _MEANS, _DELIVERY, "en", p_adjusted=0.008, **kw)
    assert held == (
        "Score gains by delivery method differed, also after the Holm adjustment for the 8 "
        "secondary tests: HTZ Wald F(3, 4.2) = 5.10, p = .001 (p Holm = .008)." + _UNIT_EN
    )
    held = clustered_conclusion(_delivery(0.001), _MEANS, _DELIVERY, "id", p_adjusted=0.008, **kw)
    assert held == (
        "Kenaikan nilai menurut metode pembelajaran berbeda bermakna, juga setelah koreksi Holm "
        "untuk 8 uji sekunder: HTZ Wald F(3; 4,2) = 5,10; p = 0,001 (p Holm = 0,008)." + _UNIT_ID
    )
    neither = clustered_conclusion(_delivery(0.2), _MEANS, _DELIVERY, "en", p_adjusted=0.9, **kw)
    assert neither.startswith("Score gains by delivery method did not differ significantly: ")


def test_clustered_verdict_of_a_primary_outcome_rests_on_its_own_p():
    primary = clustered_conclusion(_delivery(0.028), _MEANS, _DELIVERY, "en", vcov="CR2")
    assert primary == (
        "Score gains by delivery method differed: HTZ Wald F(3, 4.2) = 5.10, p = .028." + _UNIT_EN
    )
    primary = clustered_conclusion(_delivery(0.028), _MEANS, _DELIVERY, "id", vcov="CR2")
    assert primary == (
        "Kenaikan nilai menurut metode pembelajaran berbeda bermakna: HTZ Wald F(3; 4,2) = 5,10; "
        "p = 0,028." + _UNIT_ID
    )


_YEARS = pd.DataFrame(
    {"n": [130, 140], "mean_diff": [8.2, 11.9], "ci_low": [7.0, 10.6], "ci_high": [9.4, 13.2]},
    index=[2023, 2024],
)
_SLOPE = {"slope": 1.85, "ci_low": 0.2, "ci_high": 3.5, "t": 2.6, "df": 7.98, "p": 0.031,
          "p_naive": 0.0001, "n_clusters": 15}  # fmt: skip


def _trend(lang: str, p_adjusted=None) -> str:
    what = ("kenaikan nilai per tahun", "score gains by year")
    text = trend_conclusion(
        _YEARS, what, lang, slope=_SLOPE, p_adjusted=p_adjusted, vcov="CR2", n_tests=8
    )
    start = text.index("Linear trend" if lang == "en" else "Tren linear")
    return text[start:].split(" Treating")[0].split(" Bila")[0]


def test_trend_verdict_follows_the_holm_p_or_the_primary_p():
    assert _trend("en", 0.25) == (
        "Linear trend +1.85 points per year (95% CI 0.20 to 3.50); t(8.0) = 2.60, p = .031 "
        "(p Holm = .250): a trend at the unadjusted level that does not survive the Holm "
        "adjustment for the 8 secondary tests, so no change can be claimed."
    )
    assert _trend("id", 0.25) == (
        "Tren linear +1,85 poin per tahun (IK 95% 0,20 s.d. 3,50); t(8,0) = 2,60; p = 0,031 "
        "(p Holm = 0,250): tren pada p tanpa koreksi yang tidak bertahan setelah koreksi Holm "
        "untuk 8 uji sekunder, jadi belum tampak perubahan."
    )
    assert _trend("en", 0.04) == (
        "Linear trend +1.85 points per year (95% CI 0.20 to 3.50); t(8.0) = 2.60, p = .031 "
        "(p Holm = .040): significant, also after the Holm adjustment for the 8 secondary tests."
    )
    assert _trend("id", 0.04) == (
        "Tren linear +1,85 poin per tahun (IK 95% 0,20 s.d. 3,50); t(8,0) = 2,60; p = 0,031 "
        "(p Holm = 0,040): bermakna, juga setelah koreksi Holm untuk 8 uji sekunder."
    )
    assert _trend("en") == (
        "Linear trend +1.85 points per year (95% CI 0.20 to 3.50); t(8.0) = 2.60, p = .031: "
        "significant."
    )
    assert _trend("id") == (
        "Tren linear +1,85 poin per tahun (IK 95% 0,20 s.d. 3,50); t(8,0) = 2,60; p = 0,031: "
        "bermakna."
    )


def test_difference_verdict_sentence_follows_the_holm_p():
    d = {"mean_diff": 4.9, "ci_low": 0.3, "ci_high": 9.5, "t": 2.4, "df": 9.6, "p": 0.038,
         "hedges_g": 0.31}  # fmt: skip
    groups, what = (
        ("practitioner", "academic"),
        ("skor relevansi (0-100)", "relevance scores (0-100)"),
    )

    def sentence(diff, lang, p_adjusted=None):
        text = difference_conclusion(diff, groups, what, lang, decimals=1, n_clusters=15,
                                     p_adjusted=p_adjusted, vcov="CR2", n_tests=8)  # fmt: skip
        return text.split(" Unit ")[0]

    assert sentence(d, "en", 0.30) == (
        "Relevance scores (0-100) were 4.9 higher with Practitioner than with Academic "
        "facilitators (95% CI 0.3 to 9.5; Hedges' g = 0.31, small); t(9.6) = 2.40, p = .038 "
        "(p Holm = .300). This is a difference at the unadjusted level that does not survive "
        "the Holm adjustment for the 8 secondary tests."
    )
    assert sentence(d, "id", 0.30) == (
        "Skor relevansi (0-100) pada narasumber praktisi 4,9 lebih tinggi daripada narasumber "
        "akademisi (IK 95% 0,3 s.d. 9,5; g Hedges = 0,31, kecil); t(9,6) = 2,40; p = 0,038 "
        "(p Holm = 0,300). Ini perbedaan pada p tanpa koreksi yang tidak bertahan setelah "
        "koreksi Holm untuk 8 uji sekunder."
    )
    strong = {**d, "p": 0.002}
    assert sentence(strong, "en", 0.012).endswith(
        "p = .002 (p Holm = .012). The difference is significant, also after the Holm "
        "adjustment for the 8 secondary tests."
    )
    assert sentence(strong, "id", 0.012).endswith(
        "p = 0,002 (p Holm = 0,012). Selisih ini bermakna, juga setelah koreksi Holm untuk 8 "
        "uji sekunder."
    )
    # a primary comparison: its own p, no Holm sentence
    assert sentence(d, "en").endswith("t(9.6) = 2.40, p = .038.")


def test_subgroup_names_the_characteristics_that_lose_their_difference_to_holm():
    t = pd.DataFrame({"f": [0.4, 3.9, 6.2], "df1": [1.0, 2.0, 1.0], "df2": [14.0] * 3,
                      "p": [0.54, 0.045, 0.002], "n_suppressed": [0.0, 1.0, 0.0]},
                     index=["sex", "golongan", "age_band"])  # fmt: skip
    adj = pd.Series([0.54, 0.09, 0.016], index=t.index)
    en = subgroup_conclusion(t, ("kenaikan nilai", "score gain"), "en", p_adjusted=adj, n_tests=8)
    assert (
        "Differing after the Holm correction: Age band. A difference at the unadjusted level "
        "that does not survive the Holm adjustment for the 8 secondary tests: Grade (golongan)."
    ) in en
    id_ = subgroup_conclusion(t, ("kenaikan nilai", "score gain"), "id", p_adjusted=adj, n_tests=8)
    assert (
        "Berbeda setelah koreksi Holm: Kelompok umur. Perbedaan pada p tanpa koreksi yang tidak "
        "bertahan setelah koreksi Holm untuk 8 uji sekunder: Golongan."
    ) in id_


def test_link_verdict_follows_the_holm_p():
    link = {"n": 366, "slope": 0.41, "ci_low": 0.02, "ci_high": 0.80, "t": 2.3, "df": 14.0,
            "p": 0.039, "n_clusters": 15}  # fmt: skip
    assert link_conclusion(link, "en", p_adjusted=0.27, n_tests=8).startswith(
        "Score gain went with applying the training at work at the unadjusted level, an "
        "association that does not survive the Holm adjustment for the 8 secondary tests: each "
        "extra point of score gain went with +0.41 points of the 3-month transfer index (95% CI "
        "0.02 to 0.80; n = 366); t(14) = 2.30, p = .039 (p Holm = .270)."
    )
    assert link_conclusion(link, "id", p_adjusted=0.27, n_tests=8).startswith(
        "Kenaikan nilai berkaitan dengan penerapan di tempat kerja pada p tanpa koreksi, hubungan "
        "yang tidak bertahan setelah koreksi Holm untuk 8 uji sekunder: setiap tambahan satu poin"
    )
    strong = {**link, "p": 0.0001}
    assert link_conclusion(strong, "en", p_adjusted=0.001, n_tests=8).startswith(
        "Alumni who gained more on the test also applied more at work, also after the Holm "
        "adjustment for the 8 secondary tests: "
    )
    assert link_conclusion(strong, "id", p_adjusted=0.001, n_tests=8).startswith(
        "Alumni yang nilainya naik lebih banyak juga lebih banyak menerapkannya di tempat kerja, "
        "juga setelah koreksi Holm untuk 8 uji sekunder: "
    )
    assert link_conclusion(link, "en").startswith(  # unadjusted: its own CI and p
        "Alumni who gained more on the test also applied more at work: "
    )


def test_link_names_cr2_and_its_satterthwaite_df():
    link = {"n": 147, "slope": 0.833, "ci_low": 0.638, "ci_high": 1.028, "t": 9.67,
            "df": 9.0128, "p": 4.7e-06, "n_clusters": 12}  # fmt: skip
    en = link_conclusion(link, "en", p_adjusted=0.0001, n_tests=8, vcov="CR2")
    assert "; n = 147); t(9.0) = 9.67, p < .001 (p Holm < .001)." in en
    assert en.endswith(
        " Unit of analysis: alumni, with small-sample (CR2) cluster-robust SEs by cohort and "
        "Satterthwaite df (12 cohorts)."
    )
    id_ = link_conclusion(link, "id", p_adjusted=0.0001, n_tests=8, vcov="CR2")
    assert "t(9,0) = 9,67" in id_
    assert id_.endswith(
        " Unit analisis: alumni, dengan SE robust-klaster sampel kecil (CR2) menurut angkatan "
        "dan db Satterthwaite (12 angkatan)."
    )
    # CR1: whole df, clusters - 1 named
    assert "t(9) = 9.67" in link_conclusion(link, "en")
    assert "t with 11 df" in link_conclusion(link, "en")
    # one cohort: nothing to cluster over, whole df and no unit sentence either way
    one = {**link, "df": 145.0, "n_clusters": float("nan")}
    assert "t(145) = " in link_conclusion(one, "en", vcov="CR2")
    assert "Unit of analysis" not in link_conclusion(one, "en", vcov="CR2")
    from evalkit.reporting.method_terms import method_text

    method = (
        "OLS index ~ gain, person level, CR2 cluster-robust SE by cohort, t with "
        "Satterthwaite df (12 cohorts); Holm over the 8 secondary tests"
    )  # the overview's
    assert method_text(method) == (
        "OLS indeks ~ gain, tingkat peserta, SE robust-klaster CR2 menurut angkatan, t dengan df "
        "Satterthwaite (12 angkatan); Holm atas 8 uji sekunder"
    )


def test_change_verdict_follows_the_holm_p_and_names_cr2():
    ch = {"n": 118, "mean_baseline": 67.3, "mean_later": 71.6, "mean_change": 4.32,
          "ci_low": 0.15, "ci_high": 8.49, "t": 2.9, "df": 2.56, "p": 0.046, "n_clusters": 5}  # fmt: skip
    assert change_conclusion(ch, "en", p_adjusted=0.32, n_tests=8, vcov="CR2") == (
        "Among the 118 alumni rated at both 3 and 6 months, the transfer index went from 67.3 "
        "to 71.6: a change of +4.3 points (95% CI 0.1 to 8.5); t(2.6) = 2.90, p = .046 (p Holm "
        "= .320). A change at the unadjusted level that does not survive the Holm adjustment for "
        "the 8 secondary tests, so application has not been shown to change. Unit of analysis: "
        "alumni, with small-sample (CR2) cluster-robust SEs by cohort and Satterthwaite df (5 "
        "cohorts)."
    )
    assert change_conclusion(ch, "id", p_adjusted=0.32, n_tests=8, vcov="CR2") == (
        "Di antara 118 alumni yang dinilai pada bulan ke-3 dan ke-6, indeks transfer berubah "
        "dari 67,3 menjadi 71,6: +4,3 poin (IK 95% 0,1 s.d. 8,5); t(2,6) = 2,90; p = 0,046 "
        "(p Holm = 0,320). Hasilnya: perubahan pada p tanpa koreksi yang tidak bertahan setelah "
        "koreksi Holm untuk 8 uji sekunder, jadi penerapan belum terbukti berubah. Unit "
        "analisis: alumni, dengan SE robust-klaster sampel kecil (CR2) menurut angkatan dan db "
        "Satterthwaite (5 angkatan)."
    )
    strong = {**ch, "p": 0.002}
    assert "Application increased, also after the Holm adjustment for the 8 secondary tests." in (
        change_conclusion(strong, "en", p_adjusted=0.02, n_tests=8, vcov="CR2")
    )
    assert "Hasilnya: penerapan meningkat, juga setelah koreksi Holm untuk 8 uji sekunder." in (
        change_conclusion(strong, "id", p_adjusted=0.02, n_tests=8, vcov="CR2")
    )
    # no adjusted p: the verdict of its own interval, CR1 wording by default
    own = change_conclusion(ch, "en")
    assert (
        "t(3) = 2.90, p = .046. Application increased. Unit of analysis: alumni, with "
        "cluster-robust SEs by cohort (5 cohorts; t with 4 df)." in own
    )
