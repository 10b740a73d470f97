"""A report an evaluator can hand over: summary, methods, limitations, recommendations.

Unit tests of :mod:`evalkit.reporting.summary`, :mod:`evalkit.reporting.methods` and
:mod:`evalkit.reporting.recommendations` on hand-made ledger rows and tables (every
number below is counted by hand from the rows of the test), one kernel test of the
display-update mechanism the notebooks use (the summary sits at the top but is written
at the end), and one check of the whole demo (its reports have the chapters in order and
no placeholder left).
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from evalkit.data.processed import quality_log
from evalkit.errors import ParameterError
from evalkit.reporting import methods as M
from evalkit.reporting import recommendations as R
from evalkit.reporting.summary import executive_summary, ledger_rows, share_text


def _row(**values):
    base = {"report": "", "level": 2, "outcome": "test score", "estimand": "mean_change",
            "group": "", "estimate": None, "ci_low": None, "ci_high": None, "p_value": None,
            "p_adjusted": None, "n": None, "n_clusters": None, "method": "m", "primary": False}  # fmt: skip
    return {**base, **values}


COHORT_ROWS = [
    _row(estimand="mean_change", estimate=11.029, ci_low=7.819, ci_high=14.24, n=17, primary=True),
    _row(estimand="hedges_g", estimate=0.9718, ci_low=0.542, ci_high=1.3899, n=17, primary=True),
    _row(estimand="d_z", estimate=1.766, n=17),
    _row(level=1, outcome="reaction", estimand="pomp", group="all", estimate=65.717,
         ci_low=60.838, ci_high=70.596, n=16),
    _row(level=3, outcome="transfer index, 3 months", estimand="pomp", group="3 months",
         estimate=60.417, ci_low=52.415, ci_high=68.418, n=18, primary=True),
    _row(level=3, outcome="transfer index, 6 months", estimand="pomp", group="6 months",
         estimate=56.713, ci_low=50.341, ci_high=63.085, n=18, primary=True),
    _row(level=3, outcome="transfer index (POMP 0-100)", estimand="change",
         group="6 - 3 months, same alumni", estimate=-3.704, ci_low=-11.788, ci_high=4.380, n=18),
    _row(level=3, outcome="change project sustainment", estimand="proportion", group="3 months",
         estimate=2 / 15, ci_low=0.037, ci_high=0.379, n=15),
    _row(level=3, outcome="change project sustainment", estimand="proportion", group="6 months",
         estimate=0.5, ci_low=0.29031, ci_high=0.70969, n=18),
    _row(level=5, outcome="cost per participant (IDR)", estimand="cost", estimate=18580556.0, n=18),
    _row(level=5, outcome="Phillips ROI", estimand="bcr", estimate=0.0715, ci_low=0.0347,
         ci_high=0.1127, n=18, n_clusters=1),
    _row(level=0, outcome="test score", estimand="mde", estimate=0.72386, n=17),
]  # fmt: skip


# --- the executive summary ---------------------------------------------------------------


def test_the_summary_answers_each_question_with_its_ci_and_n_in_both_languages():
    text = executive_summary(COHORT_ROWS, "en", report="cohort")
    assert text.startswith(
        "Test scores rose by 11.0 points (95% CI 7.8 to 14.2; n = 17; Hedges' g 0.97, "
        "95% CI 0.54 to 1.39): a clear gain. Participants rated the training 65.7 of 100 "
        "(POMP, Level 1 reaction; 95% CI 60.8 to 70.6; n = 16). Cost: the fully loaded cost "
        "was IDR 18,580,556 per participant (n = 18); BCR 0.07 (95% CI 0.03 to 0.11; n = 18), "
        "below break-even."
    )
    assert (
        "3 months after the training the transfer index (POMP 0-100, self and supervisor) "
        "was 60.4 (95% CI 52.4 to 68.4; n = 18)"
    ) in text
    assert (
        "changed by −3.7 points (95% CI −11.8 to 4.4; n = 18), not distinguishable from zero"
        in text
    )
    # the last wave of the change projects: 9 of 18 sustained, so the share may be shown
    assert "change projects sustained at 6 months: 50% (95% CI 29% to 71%; n = 18)" in text
    assert text.endswith(
        "cannot answer for whom (one cohort is too small; see the program overview)."
    )
    indonesian = executive_summary(COHORT_ROWS, "id", report="cohort")
    assert indonesian.startswith(
        "Nilai tes naik 11,0 poin (IK 95% 7,8 s.d. 14,2; n = 17; g Hedges 0,97"
    )
    assert "BCR 0,07 (IK 95% 0,03 s.d. 0,11; n = 18), di bawah titik impas" in indonesian
    assert 4 <= len(re.findall(r"[.)]\s(?=[A-Z])", text)) + 1 <= 8  # 4 to 8 sentences


def test_the_summary_names_every_question_its_data_cannot_answer():
    text = executive_summary([], "en", report="cohort")
    for question in ("whether it worked", "for whom", "at what cost", "whether it lasted"):
        assert question in text
    impact = executive_summary([], "id", report="impact")
    assert "apakah unit membaik" in impact and "berapa biayanya" in impact


def test_the_summary_gives_no_number_for_fewer_than_five_people():
    rows = [r for r in COHORT_ROWS if r["group"] != "6 months"]  # last wave: 2 of 15 sustained
    text = executive_summary(rows, "en", report="cohort")
    assert "change projects sustained at 3 months: fewer than 5 of 15" in text
    assert "13%" not in text


def test_the_summary_of_an_impact_study_rests_on_its_primary_did():
    rows = [
        _row(level=4, outcome="ikm", estimand="did", estimate=6.2828, ci_low=5.1668,
             ci_high=7.3988, p_value=7.77e-4, n=78, n_clusters=13, primary=True),
        _row(level=4, outcome="ikm", estimand="did", estimate=6.2828, p_value=0.5, n=78,
             n_clusters=13),
        _row(level=4, outcome="complaints", estimand="rate_ratio", estimate=0.424,
             ci_low=0.286, ci_high=0.628, p_adjusted=0.00155, n=78, n_clusters=13),
        _row(level=4, outcome="ikm", estimand="difference", group="2025-S2", estimate=5.883,
             ci_low=3.741, ci_high=8.026, n=13, n_clusters=13),
    ]  # fmt: skip
    text = executive_summary(rows, "en", report="impact")
    assert text.startswith(
        "IKM of the trained units changed by +6.3 points against the comparison units "
        "(95% CI 5.2 to 7.4; 13 units), clearly above zero (p < .001, randomisation inference; "
        "primary outcome)."
    )
    assert "complaints 0.42 (95% CI 0.29 to 0.63; 13 units, Holm p = .002), clearly below 1" in text
    assert "in the last period (2025-S2) the IKM difference was +5.9 points" in text


def test_the_impact_summary_words_its_secondary_outcomes_on_their_holm_p():
    # The randomisation p is the inference (p_value), Holm-adjusted over the 2 secondary
    # outcomes (p_adjusted); the cluster-robust CI is quoted beside it. Service time: a CI
    # below 0 and p = .03, but Holm p = .06; complaints: Holm p = .004.
    rows = [
        _row(level=4, outcome="service_days", estimand="did", estimate=-1.23, ci_low=-2.1,
             ci_high=-0.36, p_value=0.03, p_adjusted=0.06, n=78, n_clusters=13),
        _row(level=4, outcome="complaints", estimand="rate_ratio", estimate=0.424,
             ci_low=0.286, ci_high=0.628, p_value=0.002, p_adjusted=0.004, n=78, n_clusters=13),
    ]  # fmt: skip
    en = executive_summary(rows, "en", report="impact")
    assert (
        "service time (days) −1.23 (95% CI −2.10 to −0.36; 13 units, Holm p = .060), below 0 "
        "at the unadjusted level only, not after the Holm adjustment for the 2 secondary tests; "
        "complaints 0.42 (95% CI 0.29 to 0.63; 13 units, Holm p = .004), clearly below 1, also "
        "after the Holm adjustment for the 2 secondary tests."
    ) in en
    assert "clearly below 0" not in en  # the old verdict, from the CI alone
    id_ = executive_summary(rows, "id", report="impact")
    assert (
        "di bawah 0 hanya pada p tanpa koreksi, tidak setelah koreksi Holm untuk 2 uji sekunder"
        in id_
    )
    assert "jelas di bawah 1, juga setelah koreksi Holm untuk 2 uji sekunder" in id_
    assert "jelas di bawah 0" not in id_
    # a CI clear of 0 with neither p below .05: not distinguishable, in both languages
    weak = [{**rows[0], "p_value": 0.2, "p_adjusted": 0.4}, rows[1]]
    text = executive_summary(weak, "en", report="impact")
    assert "Holm p = .400), not distinguishable from 0" in text
    assert "p Holm = 0,400), tidak dapat dibedakan dari 0" in executive_summary(
        weak, "id", report="impact"
    )


def test_the_summary_of_the_overview_says_for_whom_from_the_interaction_tests():
    rows = [
        _row(estimand="interaction", group="sex", p_value=0.14, p_adjusted=1.0, n=379),
        _row(estimand="interaction", group="age_band", p_value=0.36, p_adjusted=0.72, n=379),
    ]
    text = executive_summary(rows, "en", report="overview")
    assert (
        "For whom: score gains and transfer did not differ by Sex, Age band (interaction "
        "tests, smallest Holm p = .720; n = 379)."
    ) in text
    rows[0]["p_adjusted"] = 0.01
    assert "results differed by Sex (score gain, Holm p = .010)" in executive_summary(
        rows, "en", report="overview"
    )


def test_the_summary_checks_its_report_kind():
    with pytest.raises(ParameterError, match="executive_summary: parameter 'report' must be"):
        executive_summary([], "en", report="cohorts")
    with pytest.raises(ParameterError, match="parameter 'lang'"):
        executive_summary([], "fr", report="cohort")


@pytest.mark.parametrize(
    ("estimate", "n", "expected"),
    [
        (1 / 18, 18, "fewer than 5 of 18"),
        (4 / 18, 18, "fewer than 5 of 18"),
        (5 / 18, 18, "28% (n = 18)"),
        (13 / 18, 18, "72% (n = 18)"),
        (14 / 18, 18, "all but fewer than 5 of 18"),
    ],
)
def test_a_share_is_a_number_only_for_five_people_or_more_on_each_side(estimate, n, expected):
    row = pd.Series({"estimate": estimate, "ci_low": None, "ci_high": None, "n": n})
    assert share_text(row, "en") == expected


# --- methods -----------------------------------------------------------------------------


PEOPLE = pd.DataFrame({
    "cohort_id": ["A"] * 10 + ["B"] * 8,
    "participant_id": [f"a{i}" for i in range(10)] + [f"b{i}" for i in range(8)],
})  # fmt: skip


def _followup():
    rows = []
    for p in [f"a{i}" for i in range(9)] + [f"b{i}" for i in range(8)]:  # 9 + 8 self at 3
        rows.append({"cohort_id": p[0].upper(), "participant_id": p, "rater": "self",
                     "months_after": 3, "item": "b1", "score": 4, "scale_max": 5})  # fmt: skip
    for p in [f"a{i}" for i in range(6)]:  # 6 supervisors at 3, cohort A only
        rows.append({"cohort_id": "A", "participant_id": p, "rater": "supervisor",
                     "months_after": 3, "item": "b1", "score": 3, "scale_max": 5})  # fmt: skip
    for p in [f"b{i}" for i in range(3)]:  # cohort B only reached month 6: 3 supervisors
        rows.append({"cohort_id": "B", "participant_id": p, "rater": "supervisor",
                     "months_after": 6, "item": "b1", "score": 3, "scale_max": 5})  # fmt: skip
    return pd.DataFrame(rows)


def test_response_rates_count_people_of_the_cohorts_each_instrument_covers():
    learning = pd.DataFrame({"cohort_id": ["A"] * 10, "participant_id": PEOPLE["participant_id"][:10],
                             "pre": [50.0] * 9 + [None], "post": [60.0] * 8 + [None, 70.0]})  # fmt: skip
    rates = M.response_rates({"followup": _followup(), "learning": learning}, participants=PEOPLE)
    assert rates[["n", "of"]].to_dict("index") == {
        "pre": {"n": 9, "of": 10},
        "post": {"n": 9, "of": 10},
        "pre_post": {"n": 8, "of": 10},
        "self_3": {"n": 17, "of": 18},
        "supervisor_3": {"n": 6, "of": 18},  # both cohorts had the 3-month wave
        "supervisor_6": {"n": 3, "of": 8},  # only cohort B reached month 6
    }
    text = M.response_text(rates, "en")
    assert "supervisor ratings, 3 months 6/18 = 33%" in text
    assert "supervisor ratings, 6 months < 5 of 8" in text  # 3 people: no number
    assert text.endswith("Below 70%: supervisor ratings, 3 months; supervisor ratings, 6 months.")
    assert "penilaian atasan, 3 bulan 6/18 = 33%" in M.response_text(rates, "id")


def test_response_rates_without_participants_say_so():
    assert M.response_rates({}, participants=None).empty
    assert M.response_text(M.response_rates({}), "en").startswith("There are no participant data")


def test_the_cleaning_summary_counts_each_action_and_reason():
    log = pd.DataFrame({
        "reason": ["duplicate: a"] * 3 + ["out_of_range: b", "nip_wrong_length: c",
                   "nip_bad_sex_digit: d", "nip_reformatted: e", "new_code: f"],
        "action": ["dropped"] * 3 + ["quarantined", "repaired", "repaired", "repaired", "flagged"],
    })  # fmt: skip
    text = M.cleaning_summary(log, "en")
    assert text == (
        "Cleaning logged 8 entries in the study's raw exports: 3 rows dropped (duplicate "
        "submissions, the latest kept: 3); 1 row quarantined, left out of every table (numbers "
        "out of their range: 1); 3 cells repaired (damaged NIPs, matched by name: 2, NIPs "
        "reformatted: 1); 1 row flagged and kept (new_code: 1)."
    )
    assert M.cleaning_summary(None, "id").startswith("Data olahan studi ini tidak memuat log mutu")


def test_the_quality_log_is_read_as_text_and_missing_is_none(tmp_path):
    (tmp_path / "quality_log.csv").write_text(
        "file,row,column,value,reason,action\nf.csv,7,NIP,0812,duplicate: x,dropped\n"
    )
    log = quality_log(tmp_path)
    assert log.to_dict("records") == [{"file": "f.csv", "row": "7", "column": "NIP",
                                       "value": "0812", "reason": "duplicate: x",
                                       "action": "dropped"}]  # fmt: skip
    assert quality_log(tmp_path / "none") is None


def test_the_methods_list_takes_each_method_once_by_level():
    rows = [
        _row(level=2, outcome="test score", method="paired t"),
        _row(level=1, outcome="reaction", method="t interval"),
        _row(level=2, outcome="test item", method="paired t; suppressed: n < 5"),
        _row(level=1, outcome="reaction scale", method="t interval"),
    ]
    text = M.analysis_methods(rows, "en")
    assert text.splitlines()[2:] == [
        "- **Level 1, reaction** (reaction, reaction scale): t interval",
        "- **Level 2, learning** (test score, test item): paired t",
    ]


def test_the_introduction_tells_people_from_participations():
    cohorts = pd.DataFrame({"cohort_id": ["A", "B"], "program_name": ["P", "Q"],
                            "start_date": ["2024-01-08", "2024-06-03"],
                            "end_date": ["2024-01-12", "2024-06-07"],
                            "delivery": ["klasikal", "klasikal"]})  # fmt: skip
    people = pd.DataFrame(
        {"cohort_id": ["A", "A", "B", "B"], "participant_id": ["x", "y", "x", "z"]}
    )
    text = M.introduction(cohorts, "en", report="overview", participants=people, waves=[6, 3])
    assert "2 cohorts of 2 programs (P, Q), 8 January 2024 to 7 June 2024" in text
    assert "delivery: classroom (2); 3 people in 4 participations" in text
    assert "followed up 3 and 6 months after the training" in text


def test_the_impact_design_counts_its_units_and_periods():
    design = pd.DataFrame({
        "unit": [u for u in "ABCDE" for _ in range(4)],
        "period": ["S1", "S2", "S3", "S4"] * 5, "period_index": [0, 1, 2, 3] * 5,
        "post": [False, False, True, True] * 5, "treated": [u in "AB" for u in "ABCDE" for _ in range(4)],
    })  # fmt: skip
    text = M.design_text("impact", "en", design=design, tables={"followup": _followup()})
    assert "Level 3" not in text  # the impact study compares units, not alumni
    assert text.startswith(
        "Difference-in-differences: 2 trained units against 3 comparison units, 2 periods "
        "before (S1 to S2) and 2 periods after the training (S3 to S4)."
    )
    intro = M.introduction(pd.DataFrame(), "en", report="impact", design=design)
    assert intro.startswith(
        "This report evaluates the performance of 5 units (2 trained, 3 comparison) over 4 periods, S1 to S4"
    )


def test_the_instruments_list_the_items_and_the_test_length():
    test_items = pd.DataFrame({"cohort_id": "A", "participant_id": "a0", "phase": "post",
                               "item": ["s01", "s02", "s03"], "correct": [1, 0, 1]})  # fmt: skip
    learning = pd.DataFrame({"cohort_id": ["A"], "participant_id": ["a0"], "pre": [40.0],
                             "post": [60.0], "max_score": [100]})  # fmt: skip
    table = M.instruments(
        {"followup": _followup(), "test_items": test_items, "learning": learning}, "en"
    )
    assert table.reset_index().values.tolist() == [
        ["Pre-test and post-test (Level 2)", "", "0-100", "3 right/wrong items; score 0-100"],
        ["Behaviour follow-up (Level 3)", "b1", "1-5", "(item text not in the data exports)"],
    ]


# --- limitations and recommendations -----------------------------------------------------


def _frame(*rows):
    return ledger_rows([_row(**r) for r in rows])


GAIN = {"estimand": "mean_change", "estimate": 9.7, "ci_low": 7.4, "ci_high": 12.1, "n": 379,
        "group": "all", "primary": True}  # fmt: skip


def _transfer(estimate):
    return {"level": 3, "outcome": "transfer index (POMP 0-100), 3 months", "estimand": "pomp",
            "group": "3 months", "estimate": estimate, "ci_low": estimate - 3,
            "ci_high": estimate + 3, "n": 394}  # fmt: skip


def test_support_transfer_fires_on_a_clear_gain_and_a_transfer_index_under_60():
    assert R.support_transfer(_frame(GAIN, _transfer(59.9)))[1].startswith(
        "**Support transfer on the job.** Test scores rose clearly (9.7 points; 95% CI 7.4 to "
        "12.1), but the 3-month transfer index is only 59.9 (95% CI 56.9 to 62.9; n = 394)"
    )
    assert R.support_transfer(_frame(GAIN, _transfer(60.0))) is None
    unclear = {**GAIN, "ci_low": -0.1}
    assert R.support_transfer(_frame(unclear, _transfer(40.0))) is None


def test_revise_instrument_fires_under_70():
    kr20 = {"level": 2, "outcome": "knowledge test", "estimand": "kr20", "estimate": 0.699,
            "ci_low": 0.5, "ci_high": 0.8, "n": 30}  # fmt: skip
    assert (
        "tes pengetahuan: KR-20 0,70 (IK 95% 0,50 s.d. 0,80; n = 30), di bawah 0,70"
        in (R.revise_instrument(_frame(kr20))[0])
    )
    assert R.revise_instrument(_frame({**kr20, "estimate": 0.70})) is None


def test_review_items_names_only_items_whose_whole_ci_is_under_30():
    items = [{"level": 1, "outcome": "reaction item", "estimand": "item_discrimination",
              "group": g, "estimate": 0.1, "ci_low": -0.2, "ci_high": high, "n": 20}
             for g, high in (("c1", 0.29), ("c2", 0.30), ("c3", 0.05))]  # fmt: skip
    assert R.review_items(_frame(*items))[1].startswith(
        "**Review the items c1, c3 (reaction item).**"
    )
    assert R.review_items(_frame(items[1])) is None


def test_the_weakest_dimension_needs_a_ci_below_every_other():
    def dim(group, low, high):
        return {"level": 1, "outcome": "reaction", "estimand": "pomp", "group": group,
                "estimate": (low + high) / 2, "ci_low": low, "ci_high": high, "n": 20}  # fmt: skip

    rows = [dim("content", 60, 70), dim("facilities", 40, 59.9), dim("relevance", 62, 72)]
    assert R.weakest_dimension(_frame(*rows))[1].startswith("**Improve Facilities first.**")
    rows[0] = dim("content", 59.9, 70)  # overlaps the lowest: no dimension stands out
    assert R.weakest_dimension(_frame(*rows)) is None


def test_pool_or_enlarge_fires_when_the_mde_exceeds_the_observed_d_z():
    mde = {"level": 0, "estimand": "mde", "estimate": 0.72, "n": 17}
    assert R.pool_or_enlarge(_frame(mde, {"estimand": "d_z", "estimate": -0.71, "n": 17}))
    assert R.pool_or_enlarge(_frame(mde, {"estimand": "d_z", "estimate": 0.72, "n": 17})) is None


@pytest.mark.parametrize(
    ("low", "high", "start"),
    [
        (1.01, 2.0, None),
        (0.99, 2.0, "**Do not claim a return.**"),
        (1.0, 2.0, "**Do not claim a return.**"),
        (0.2, 0.99, "**The benefits do not cover the costs.**"),
    ],
)
def test_no_roi_claim_reads_the_bcr_interval_against_break_even(low, high, start):
    bcr = {"level": 5, "outcome": "Phillips ROI", "estimand": "bcr", "estimate": (low + high) / 2,
           "ci_low": low, "ci_high": high, "n": 30}  # fmt: skip
    found = R.no_roi_claim(_frame(bcr))
    assert (found is None) if start is None else found[1].startswith(start)


def test_raise_supervisor_response_fires_under_70_percent():
    rates = pd.DataFrame({"n": [21, 30], "of": [30, 30]}, index=["supervisor_6", "self_6"])
    rates["rate"] = rates["n"] / rates["of"]
    assert (
        "supervisor ratings, 6 months 21/30 = 70%"
        not in (R.raise_supervisor_response(ledger_rows([]), rates) or ("", ""))[1]
    )
    assert R.raise_supervisor_response(ledger_rows([]), rates) is None  # 70% is not under 70%
    rates.loc["supervisor_6", ["n", "rate"]] = [20, 20 / 30]
    assert (
        "supervisor ratings, 6 months 20/30 = 67%"
        in R.raise_supervisor_response(ledger_rows([]), rates)[1]
    )


def test_recommend_lists_what_the_rules_find_in_their_order():
    rows = [_row(**GAIN), _row(**_transfer(50.0)),
            _row(level=5, outcome="Phillips ROI", estimand="bcr", estimate=0.5, ci_low=0.3,
                 ci_high=0.7, n=30)]  # fmt: skip
    text = R.recommend(rows, "en").splitlines()
    assert [line.split("**")[1] for line in text] == [
        "Support transfer on the job.",
        "The benefits do not cover the costs.",
    ]
    assert R.recommend([], "id").startswith("Tidak ada aturan rekomendasi")


def test_limitations_are_read_from_the_data():
    rows = COHORT_ROWS + [
        _row(level=1, outcome="reaction scale", estimand="alpha", estimate=0.65, n=16),
        _row(level=3, outcome="rated at 3, not at 6 months", estimand="attrition", n=3),
    ]
    rates = pd.DataFrame({"n": [12], "of": [18], "rate": [12 / 18]}, index=["supervisor_3"])
    text = R.limitations(rows, "en", report="cohort", rates=rates, waves=[3, 6])
    names = re.findall(r"^- \*\*(.+?)\*\*", text, flags=re.M)
    assert names == ["Small n.", "Low response.", "Low reliability.", "No comparison group.",
                     "Self-report.", "Follow-up lag.", "Attrition."]  # fmt: skip
    assert "With n = 17 the smallest effect detectable (80% power, α = .05) is d_z = 0.72" in text
    assert "Under 70%: supervisor ratings, 3 months 12/18 = 67%." in text
    assert "Alumni rated at 3 months but not at 6: fewer than 5." in text
    assert "measured 3 and 6 months after" in text
    impact = R.limitations(
        [_row(level=4, estimand="did", estimate=6.0, n=78, n_clusters=13)], "en", report="impact"
    )
    assert re.findall(r"^- \*\*(.+?)\*\*", impact, flags=re.M) == [
        "Few clusters.",
        "Units not randomised.",
    ]
    assert "Only 13 units (fewer than 30)" in impact


# --- the display update: the summary at the top, written at the end ---------------------


@pytest.mark.slow
def test_the_summary_written_at_the_end_shows_at_the_top_of_the_html():
    from nbclient import NotebookClient

    from evalkit.run.export import render_html

    v4 = nbformat.v4
    nb = v4.new_notebook(cells=[
        v4.new_markdown_cell("# T\n\n## Executive summary"),
        v4.new_code_cell("from evalkit import reporting as ekr\n"
                         "handle = display(ekr.summary_placeholder('en'), display_id='executive-summary')"),
        v4.new_markdown_cell("## Results"),
        v4.new_code_cell(
            "import pandas as pd\nfrom evalkit.reporting.record import record_estimates\n"
            "change = pd.Series({'n': 17, 'mean_diff': 11.029, 'ci_low': 7.819, 'ci_high': 14.24})\n"
            "record_estimates(ekr.estimates(change, level=2, outcome='test score', "
            "estimand='mean_change', method='paired t', estimate='mean_diff', primary=True))"
        ),
        v4.new_code_cell(
            "from IPython.display import update_display\n"
            "rows = ekr.session_estimates()\n"
            "update_display(ekr.executive_summary(rows, 'en', report='cohort'), "
            "display_id='executive-summary')"
        ),
    ])  # fmt: skip
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    page = render_html(nb, lang="en", index_href=None)
    summary = page.index("Test scores rose by 11.0 points (95% CI 7.8 to 14.2; n = 17)")
    assert page.index('id="Executive-summary"') < summary < page.index('id="Results"')
    assert "written once every result" not in page


#: The chapters of every report, in order; every other section sits one level below.
CHAPTERS = {
    "id": ["Ringkasan eksekutif", "Pendahuluan", "Metodologi", "Hasil dan Pembahasan",
           "Kesimpulan dan Rekomendasi", "Lampiran"],
    "en": ["Executive summary", "Introduction", "Methods", "Results and discussion",
           "Conclusions and recommendations", "Appendix"],
}  # fmt: skip


@pytest.mark.parametrize("name", ["cohort_report", "program_overview", "impact_study"])
def test_the_only_second_level_headings_of_a_notebook_are_its_chapters(name):
    """A section added later (facilitators, needs, the retrospective...) goes inside a
    chapter: a ``##`` heading of its own would make it a chapter of the table of contents."""
    nb = nbformat.read(Path(__file__).resolve().parent.parent / "notebooks" / f"{name}.ipynb", 4)
    for lang in ("id", "en"):
        heads = [
            line[3:].strip()
            for cell in nb.cells
            if cell.cell_type == "markdown" and f"lang-{lang}" in cell.metadata.get("tags", [])
            for line in cell.source.splitlines()
            if line.startswith("## ")
        ]
        assert heads == CHAPTERS[lang], (name, lang, heads)


@pytest.mark.slow
def test_every_demo_report_has_the_chapters_in_order_and_no_placeholder(demo):
    root, summary = demo
    assert summary.ok, str(summary)
    chapters = CHAPTERS
    pages = sorted((root / "reports" / "demo").glob("*.html"))
    assert len(pages) >= 34
    for path in pages:
        page = path.read_text(encoding="utf-8")
        lang = "en" if path.name.endswith(".en.html") else "id"
        heads = re.findall(r'<h2 id="[^"]*">(.*?)<a class="anchor-link"', page)
        assert [h for h in heads if h in chapters[lang]] == chapters[lang], path.name
        assert "ditulis setelah semua hasil" not in page and "written once every result" not in page


def test_the_rater_plot_draws_no_rater_of_fewer_than_five_people():
    from evalkit.reporting.figures import rater_plot

    transfer = pd.DataFrame(
        {"index_self": [72.0, 70.0], "index_supervisor": [61.0, 64.0], "n_self": [18, 16],
         "n_supervisor": [12, 4]},
        index=pd.Index([3, 6], name="months_after"),
    )  # fmt: skip
    ax = rater_plot(transfer, lang="id").axes[0]
    drawn = sorted((tuple(line.get_xdata()), tuple(line.get_ydata())) for line in ax.lines)
    # wave 6 (y = 0): the self marker only; wave 3 (y = 1): the connector and both markers
    assert drawn == sorted(
        [((70.0,), (0,)), ((72.0, 61.0), (1, 1)), ((72.0,), (1,)), ((61.0,), (1,))]
    )
    assert ax.get_yticklabels()[0].get_text() == "6 bulan (diri sendiri n = 16, atasan < 5)"
