"""Tests of evalkit.behavior (Level 3).

Reference values come from tests/reference/level345.R (R 4.2.2, psych 2.2.9) and from
published tables (Shrout & Fleiss 1979; Bland & Altman 1986); each literal names its
source.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from evalkit.errors import EvalkitWarning, ParameterError
from evalkit.metrics.agreement import bland_altman, icc, rater_agreement
from evalkit.metrics.behavior import (
    behavior_scores,
    gain_behavior_link,
    project_rates,
    transfer_index,
)
from evalkit.metrics.waves import behavior_change, wave_attrition

REF = Path(__file__).parent / "reference"
RTOL = 1e-6


def _csv(name: str) -> pd.DataFrame:
    return pd.read_csv(REF / f"level345_{name}.csv")


# --- ICC ----------------------------------------------------------------------------
# psych::ICC(sf, lmer = FALSE)$results: ICC, F, df1, df2, p, lower bound, upper bound
PSYCH_SF = {
    "ICC(1,1)": [
        0.165741768405476,
        1.79467849223947,
        5,
        18,
        0.16476880834464,
        -0.132932324874751,
        0.722560062328121,
    ],
    "ICC(2,1)": [
        0.289763779527559,
        11.0272479564033,
        5,
        15,
        0.000134566516484337,
        0.018786513374712,
        0.761084369648953,
    ],
    "ICC(3,1)": [
        0.714840714840715,
        11.0272479564033,
        5,
        15,
        0.000134566516484337,
        0.342464765033925,
        0.94585825995536,
    ],
    "ICC(1,k)": [
        0.442797133679269,
        1.79467849223947,
        5,
        18,
        0.16476880834464,
        -0.884442155238119,
        0.912415420340776,
    ],
    "ICC(2,k)": [
        0.620050547598989,
        11.0272479564033,
        5,
        15,
        0.000134566516484337,
        0.0711368153025035,
        0.927232040167722,
    ],
    "ICC(3,k)": [
        0.909315542377069,
        11.0272479564033,
        5,
        15,
        0.000134566516484337,
        0.675674713816305,
        0.985891678169062,
    ],
}


def test_icc_matches_psych_on_shrout_fleiss():
    out = icc(_csv("shrout_fleiss"))
    assert list(out.index) == list(PSYCH_SF)
    cols = ["icc", "f", "df1", "df2", "p", "ci_low", "ci_high"]
    for form, ref in PSYCH_SF.items():
        np.testing.assert_allclose(out.loc[form, cols].to_numpy(dtype=float), ref, rtol=RTOL)
    assert out.loc["ICC(2,1)", "psych"] == "ICC2"


def test_icc_matches_published_table():
    # Shrout & Fleiss (1979), Table 4 (two decimals as printed)
    published = [0.17, 0.29, 0.71, 0.44, 0.62, 0.91]
    assert icc(_csv("shrout_fleiss"))["icc"].round(2).tolist() == published


def test_icc_pefr_matches_psych():
    out = icc(_csv("pefr"))
    # psych::ICC(pefr, lmer = FALSE)$results[2, c("ICC", "lower bound", "upper bound")]
    np.testing.assert_allclose(
        out.loc["ICC(2,1)", ["icc", "ci_low", "ci_high"]].to_numpy(dtype=float),
        [0.94592840557731, 0.857411171234992, 0.980078659146259],
        rtol=RTOL,
    )


def test_icc_missing_rows_and_constant_ratings():
    sf = _csv("shrout_fleiss").astype(float)
    sf.loc[6] = [np.nan, 1.0, 2.0, 3.0]
    with pytest.warns(EvalkitWarning, match=r"icc: 1 row\(s\) with a missing rating dropped"):
        out = icc(sf)
    assert out.loc["ICC(3,1)", "icc"] == pytest.approx(PSYCH_SF["ICC(3,1)"][0], rel=RTOL)
    with pytest.warns(EvalkitWarning, match="all ratings are identical"):
        flat = icc(pd.DataFrame({"a": [3, 3, 3], "b": [3, 3, 3]}))
    assert flat["icc"].isna().all()


def test_icc_errors():
    with pytest.raises(
        ParameterError, match=r"icc: parameter 'ratings' needs at least 2 rater columns, got 1"
    ):
        icc(pd.DataFrame({"a": [1, 2, 3]}))
    with pytest.raises(
        ParameterError, match=r"icc: parameter 'ratings' needs at least 2 complete rows, got 1"
    ):
        icc(pd.DataFrame({"a": [1], "b": [2]}))
    with pytest.raises(ParameterError, match=r"icc: column 'b' must be numeric"):
        icc(pd.DataFrame({"a": [1, 2], "b": ["x", "y"]}))
    with pytest.raises(ParameterError, match=r"icc: parameter 'ratings' must be a DataFrame"):
        icc([[1, 2], [3, 4]])
    with pytest.raises(ParameterError, match=r"icc: parameter 'ci' must be in \(0, 1\), got 1.0"):
        icc(_csv("shrout_fleiss"), ci=1.0)


# --- Bland-Altman -------------------------------------------------------------------
def test_bland_altman_pefr_matches_r_and_publication():
    pefr = _csv("pefr")
    out = bland_altman(pefr["wright"], pefr["mini"])
    # ba(pefr$wright, pefr$mini) in level345.R (Bland & Altman 1999 interval of the limits)
    ref = {
        "n": 17,
        "bias": -2.11764705882353,
        "sd_diff": 38.7651298736074,
        "bias_ci_low": -22.0488376966452,
        "bias_ci_high": 17.8135435789981,
        "loa_low": -78.0959054671117,
        "loa_high": 73.8606113494646,
        "loa_low_ci_low": -112.851553139311,
        "loa_low_ci_high": -43.3402577949126,
        "loa_high_ci_low": 39.1049636772655,
        "loa_high_ci_high": 108.616259021664,
    }
    assert list(out.index) == list(ref)
    for key, value in ref.items():
        assert out[key] == pytest.approx(value, rel=RTOL), key
    # Bland & Altman (1986), Lancet: mean difference -2.1, sd 38.8, 95% CI of bias -22.1 to 17.9
    assert round(out["bias"], 1) == -2.1 and round(out["sd_diff"], 1) == 38.8
    # (the paper rounds SE and t first, so agreement is to its last printed digit)
    assert abs(out["bias_ci_low"] - -22.1) < 0.1 and abs(out["bias_ci_high"] - 17.9) < 0.1


def test_bland_altman_published_limits_with_two_sd():
    pefr = _csv("pefr")
    from scipy.stats import norm

    # the 1986 paper uses bias +- 2 sd from rounded bias and sd: -79.7 to 75.5
    out = bland_altman(pefr["wright"], pefr["mini"], agreement=2 * norm.cdf(2) - 1)
    assert abs(out["loa_low"] - -79.7) < 0.1 and abs(out["loa_high"] - 75.5) < 0.1
    assert out["loa_low"] == pytest.approx(-2.11764705882353 - 2 * 38.7651298736074, rel=1e-9)


def test_bland_altman_errors():
    with pytest.raises(
        ParameterError, match="bland_altman: x and y must have the same length, got 3 and 2"
    ):
        bland_altman([1, 2, 3], [1, 2])
    with pytest.raises(
        ParameterError, match="bland_altman: needs at least 2 complete pairs, got 1"
    ):
        bland_altman([1, np.nan], [1, 2])
    with pytest.raises(
        ParameterError, match=r"bland_altman: parameter 'agreement' must be in \(0, 1\)"
    ):
        bland_altman([1, 2], [1, 2], agreement=95)
    with pytest.raises(ParameterError, match=r"bland_altman: column 'x' must be numeric"):
        bland_altman(["a", "b"], [1, 2])


# --- transfer index -------------------------------------------------------------------
def test_transfer_index_matches_r():
    out = transfer_index(_csv("followup"))
    # pp <- aggregate(pct ~ cohort_id + participant_id, pr, mean); t.test(pp$pct[...])
    ref = {
        "C1": (
            9,
            74.4444444444444,
            7.5805855827751,
            68.6174905440616,
            80.2713983448273,
            75.0,
            73.8888888888889,
            "Berdampak",
        ),
        "C2": (
            12,
            75.4166666666667,
            8.38243112200461,
            70.090724025608,
            80.7426093077254,
            79.1666666666667,
            71.6666666666667,
            "Berdampak",
        ),
        "C3": (
            7,
            83.2142857142857,
            8.38081709847526,
            75.4633226533297,
            90.9652487752417,
            88.5714285714286,
            77.8571428571429,
            "Sangat Berdampak",
        ),
    }
    cols = ["n", "index", "sd", "ci_low", "ci_high", "index_self", "index_supervisor"]
    for cohort, values in ref.items():
        np.testing.assert_allclose(
            out.loc[cohort, cols].to_numpy(dtype=float), values[:7], rtol=1e-12
        )
        assert out.loc[cohort, "band"] == values[7]
    pooled = transfer_index(_csv("followup"), by=None)
    # mean(pp$pct); t.test(pp$pct)$conf.int
    np.testing.assert_allclose(
        pooled[["index", "ci_low", "ci_high"]].to_numpy(dtype=float),
        [77.0535714285714, 73.7052991020843, 80.4018437550585],
        rtol=1e-12,
    )


def test_transfer_index_by_equals_per_group_call():
    fu = _csv("followup")
    grouped = transfer_index(fu)
    for cohort, sub in fu.groupby("cohort_id"):
        single = transfer_index(sub, by=None)
        for col in ("n", "index", "sd", "ci_low", "ci_high", "index_self", "index_supervisor"):
            assert grouped.loc[cohort, col] == pytest.approx(single[col], rel=1e-9)


def test_transfer_index_waves_small_groups_and_no_mutation():
    fu = _csv("followup")
    before = fu.copy()
    two_waves = pd.concat([fu, fu.assign(months_after=12)], ignore_index=True)
    with pytest.raises(ParameterError, match=r"rated twice .* pass by=\[\.\.\., 'months_after'\]"):
        transfer_index(two_waves)
    waves = transfer_index(two_waves, by=["cohort_id", "months_after"])
    assert waves.loc[("C1", 12), "index"] == pytest.approx(waves.loc[("C1", 6), "index"])
    one = fu[fu["participant_id"].isin(["PC101", "PC202", "PC203"]) & (fu["cohort_id"] != "C3")]
    one = one[~((one["cohort_id"] == "C1") & (one["participant_id"] != "PC101"))]
    with pytest.warns(EvalkitWarning, match="fewer than 2 participants"):
        out = transfer_index(one)
    assert np.isnan(out.loc["C1", "ci_low"]) and out.loc["C1", "n"] == 1
    pd.testing.assert_frame_equal(fu, before)


def test_behavior_scores_equal_weight_of_raters():
    fu = pd.DataFrame(
        {
            "cohort_id": "A",
            "participant_id": "p1",
            "rater": ["self", "supervisor", "supervisor"],
            "item": ["b1", "b1", "b2"],
            "score": [4, 2, 4],
            "scale_max": [4, 4, 4],
        }
    )
    row = behavior_scores(fu).iloc[0]
    assert (row["index_self"], row["index_supervisor"], row["index"]) == (100.0, 75.0, 87.5)


@pytest.mark.parametrize(
    ("change", "kwargs", "match"),
    [
        (
            {"score": 7},
            {},
            r"behavior_scores: column 'score' must lie in \[0, scale_max\]; row 0 has 7.0",
        ),
        ({"scale_max": 0}, {}, r"column 'scale_max' must be positive, got 0.0"),
        ({"score": "baik"}, {}, r"column 'score' must be numeric"),
        ({"rater": "mentor"}, {}, r"followup has no rows for raters \['self', 'supervisor'\]"),
        ({}, {"ci": 0}, r"transfer_index: parameter 'ci' must be in \(0, 1\), got 0"),
        ({}, {"by": "unit"}, r"transfer_index: followup has no column\(s\) \['unit'\]"),
        ({}, {"raters": []}, r"parameter 'raters' must name at least one rater"),
    ],
)
def test_transfer_index_errors(change, kwargs, match):
    fu = _csv("followup")
    for col, value in change.items():
        fu[col] = fu[col].astype(object) if isinstance(value, str) else fu[col]
        fu.loc[fu.index[0] if col != "rater" else fu.index, col] = value
    with pytest.raises(ParameterError, match=match):
        transfer_index(fu, **kwargs)


def test_transfer_index_single_participant_errors_without_by():
    fu = _csv("followup")
    one = fu[(fu["participant_id"] == "PC101") & (fu["cohort_id"] == "C1")]
    with pytest.raises(
        ParameterError, match="transfer_index: interval needs at least 2 participants, got 1"
    ):
        transfer_index(one, by=None)


# --- rater agreement --------------------------------------------------------------------
# psych::ICC(s[, c("pct.self", "pct.supervisor")], lmer = FALSE) and ba(s$pct.self, s$pct.supervisor)
RA = {
    "C1": {
        "icc": 0.255060728744938,
        "icc_ci_low": -0.545948743248016,
        "icc_ci_high": 0.774065117544683,
        "n": 9,
        "bias": 1.11111111111111,
        "sd_diff": 11.9315175527303,
        "bias_ci_low": -8.06026516084127,
        "bias_ci_high": 10.2824873830635,
        "loa_low": -22.2742335731477,
        "loa_high": 24.49645579537,
        "loa_low_ci_low": -38.5797453388808,
        "loa_low_ci_high": -5.96872180741465,
        "loa_high_ci_low": 8.19094402963687,
        "loa_high_ci_high": 40.8019675611031,
    },
    "C2": {
        "icc": 0.348909657320872,
        "icc_ci_low": -0.12672573949836,
        "icc_ci_high": 0.736016199825248,
        "n": 12,
        "bias": 7.5,
        "sd_diff": 10.5528970602217,
        "bias_ci_low": 0.795009094414496,
        "bias_ci_high": 14.2049909055855,
        "loa_low": -13.1832981705932,
        "loa_high": 28.1832981705932,
        "loa_low_ci_low": -24.9797787088348,
        "loa_low_ci_high": -1.38681763235155,
        "loa_high_ci_low": 16.3868176323516,
        "loa_high_ci_high": 39.9797787088348,
    },
    "C3": {
        "icc": 0.286290322580644,
        "icc_ci_low": -0.191280219062549,
        "icc_ci_high": 0.785816500393885,
        "n": 7,
        "bias": 10.7142857142857,
        "sd_diff": 10.5785047102491,
        "bias_ci_low": 0.930800609449488,
        "bias_ci_high": 20.4977708191219,
        "loa_low": -10.0192025280898,
        "loa_high": 31.4477739566612,
        "loa_low_ci_low": -27.6317882143536,
        "loa_low_ci_high": 7.593383158174,
        "loa_high_ci_low": 13.8351882703974,
        "loa_high_ci_high": 49.060359642925,
    },
}
# psych::ICC(...)$results[3, c("ICC", "lower bound", "upper bound")]
RA_ICC3 = {
    "C1": [0.235074626865671, -0.466050781691115, 0.75484466163293],
    "C2": [0.432432432432432, -0.158380686815919, 0.795227883039598],
    "C3": [0.43030303030303, -0.397234264403374, 0.871887701895727],
}


def test_rater_agreement_matches_r_per_cohort():
    out = rater_agreement(_csv("followup"), by="cohort_id")
    for cohort, ref in RA.items():
        for key, value in ref.items():
            assert out.loc[cohort, key] == pytest.approx(value, rel=RTOL), (cohort, key)
    assert (out["icc_form"] == "ICC(2,1)").all()
    icc3 = rater_agreement(_csv("followup"), by="cohort_id", icc_form="ICC(3,1)")
    for cohort, ref in RA_ICC3.items():
        np.testing.assert_allclose(
            icc3.loc[cohort, ["icc", "icc_ci_low", "icc_ci_high"]].to_numpy(dtype=float),
            ref,
            rtol=RTOL,
        )


def test_rater_agreement_by_equals_per_group_call():
    fu = _csv("followup")
    grouped = rater_agreement(fu, by="cohort_id")
    for cohort, sub in fu.groupby("cohort_id"):
        single = rater_agreement(sub)
        for col in RA["C1"]:
            assert grouped.loc[cohort, col] == pytest.approx(single[col], rel=1e-9), col


def test_rater_agreement_matches_icc_function():
    fu = _csv("followup")
    scores = behavior_scores(fu)
    wide = scores[scores["cohort_id"] == "C2"][["index_self", "index_supervisor"]]
    table = icc(wide)
    out = rater_agreement(fu[fu["cohort_id"] == "C2"], icc_form="ICC(1,k)")
    assert out["icc"] == pytest.approx(table.loc["ICC(1,k)", "icc"], rel=1e-12)
    assert out["icc_p"] == pytest.approx(table.loc["ICC(1,k)", "p"], rel=1e-12)


def test_rater_agreement_single_rater_participants_and_small_groups():
    fu = _csv("followup")
    drop = (fu["participant_id"] == "PC101") & (fu["rater"] == "supervisor")
    with pytest.warns(EvalkitWarning, match=r"3 participant\(s\) rated by only one"):
        out = rater_agreement(fu[~drop], by="cohort_id")
    assert out.loc["C1", "n"] == 8
    tiny = fu[fu["participant_id"].isin(["PC101", "PC102"]) | (fu["cohort_id"] == "C2")]
    tiny = tiny[~((tiny["cohort_id"] == "C1") & (tiny["participant_id"] == "PC102"))]
    with pytest.warns(EvalkitWarning, match="fewer than 2 participants"):
        out = rater_agreement(tiny, by="cohort_id")
    assert np.isnan(out.loc["C1", "icc"]) and np.isnan(out.loc["C1", "bias"])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (
            {"icc_form": "ICC(A,1)"},
            r"rater_agreement: parameter 'icc_form' must be one of .*'ICC\(A,1\)'",
        ),
        ({"raters": ("self", "self")}, r"parameter 'raters' must name two different raters"),
        ({"agreement": 1.2}, r"parameter 'agreement' must be in \(0, 1\), got 1.2"),
        ({"by": "unit"}, r"rater_agreement: followup has no column\(s\) \['unit'\]"),
    ],
)
def test_rater_agreement_errors(kwargs, match):
    with pytest.raises(ParameterError, match=match):
        rater_agreement(_csv("followup"), **kwargs)


def test_rater_agreement_needs_two_participants():
    fu = _csv("followup")
    one = fu[(fu["participant_id"] == "PC101") & (fu["cohort_id"] == "C1")]
    with pytest.raises(
        ParameterError, match="rater_agreement: agreement needs at least 2 participants, got 1"
    ):
        rater_agreement(one)


# --- project rates --------------------------------------------------------------------
def test_project_rates_match_prop_test():
    out = project_rates(_csv("projects"))
    # x <- sum(st %in% c("implemented", "sustained")); prop.test(x, n, correct = FALSE)$conf.int
    ref = {
        "C1": (
            9,
            5,
            0.266651293495493,
            0.811221478902335,
            3,
            0.120583818386911,
            0.645797864419604,
            0.230724281276013,
            0.882379225767352,
        ),
        "C2": (
            12,
            8,
            0.3906220888728,
            0.861879908908787,
            2,
            0.0469651421838538,
            0.448030862252973,
            0.071479212752109,
            0.590724569689831,
        ),
        "C3": (
            7,
            7,
            0.645669564933313,
            1.0,
            5,
            0.358934451832619,
            0.917781075995943,
            0.358934451832619,
            0.917781075995943,
        ),
    }
    cols = [
        "n",
        "n_implemented",
        "implementation_ci_low",
        "implementation_ci_high",
        "n_sustained",
        "sustainment_ci_low",
        "sustainment_ci_high",
        "sustained_of_implemented_ci_low",
        "sustained_of_implemented_ci_high",
    ]
    for cohort, values in ref.items():
        np.testing.assert_allclose(out.loc[cohort, cols].to_numpy(dtype=float), values, rtol=RTOL)
    assert out.loc["C1", "implementation_rate"] == pytest.approx(5 / 9)
    assert out.loc["C2", "sustained_of_implemented"] == pytest.approx(2 / 8)


def test_project_rates_match_statsmodels_wilson():
    out = project_rates(_csv("projects"))
    for cohort, row in out.iterrows():
        low, high = proportion_confint(row["n_sustained"], row["n"], method="wilson")
        assert row["sustainment_ci_low"] == pytest.approx(low, rel=1e-9, abs=1e-15)
        assert row["sustainment_ci_high"] == pytest.approx(high, rel=1e-9), cohort


def test_project_rates_by_equals_per_group_call():
    pr = _csv("projects")
    grouped = project_rates(pr)
    for cohort, sub in pr.groupby("cohort_id"):
        single = project_rates(sub, by=None)
        for col, value in single.items():
            assert grouped.loc[cohort, col] == pytest.approx(value, rel=1e-9, nan_ok=True)


def test_project_rates_nothing_implemented_and_missing_status():
    pr = pd.DataFrame(
        {
            "cohort_id": "A",
            "participant_id": ["p1", "p2", "p3"],
            "project_status": ["not_started", "in_progress", None],
        }
    )
    with pytest.warns(EvalkitWarning, match=r"1 row\(s\) without 'project_status' left out"):
        out = project_rates(pr, by=None)
    assert out["n"] == 2 and out["implementation_rate"] == 0.0
    assert out["implementation_ci_low"] == 0.0
    assert np.isnan(out["sustained_of_implemented"]) and np.isnan(
        out["sustained_of_implemented_ci_low"]
    )


def test_project_rates_errors():
    pr = _csv("projects")
    with pytest.raises(
        ParameterError, match=r"project_rates: column 'project_status' must be one of .* got 'done'"
    ):
        project_rates(pr.assign(project_status="done"))
    twice = pd.concat([pr, pr.head(1).assign(months_after=12)])
    with pytest.raises(
        ParameterError, match=r"participant 'PC101' appears more than once .*'months_after'"
    ):
        project_rates(twice)
    assert project_rates(twice, by=["cohort_id", "months_after"]).loc[("C1", 12), "n"] == 1
    with pytest.raises(
        ParameterError, match=r"project_rates: projects has no column\(s\) \['project_status'\]"
    ):
        project_rates(pr.drop(columns="project_status"))
    with pytest.raises(ParameterError, match="projects has no rows with a 'project_status'"):
        project_rates(pr.head(0))


# --- learning -> behaviour --------------------------------------------------------------
def test_gain_behavior_link_matches_lm():
    out = gain_behavior_link(_csv("learning"), _csv("followup"))
    # fit <- lm(pct ~ gain, data = m); summary(fit)$coefficients; confint(fit)["gain", ]
    ref = {
        "n": 27,
        "intercept": 65.0585357624832,
        "slope": 0.854757085020242,
        "se": 0.126564323583169,
        "t": 6.75353891856073,
        "p": 4.45136746309e-07,
        "ci_low": 0.594092981197563,
        "ci_high": 1.11542118884292,
        "r_squared": 0.645943944787109,
        "df": 25,
    }
    for key, value in ref.items():
        assert out[key] == pytest.approx(value, rel=RTOL), key


def test_gain_behavior_link_cars():
    # R's cars data set (speed, dist); lm(dist ~ speed, cars)
    speed = [
        4,
        4,
        7,
        7,
        8,
        9,
        10,
        10,
        10,
        11,
        11,
        12,
        12,
        12,
        12,
        13,
        13,
        13,
        13,
        14,
        14,
        14,
        14,
        15,
        15,
        15,
        16,
        16,
        17,
        17,
        17,
        18,
        18,
        18,
        18,
        19,
        19,
        19,
        20,
        20,
        20,
        20,
        20,
        22,
        23,
        24,
        24,
        24,
        24,
        25,
    ]
    dist = [
        2,
        10,
        4,
        22,
        16,
        10,
        18,
        26,
        34,
        17,
        28,
        14,
        20,
        24,
        28,
        26,
        34,
        34,
        46,
        26,
        36,
        60,
        80,
        20,
        26,
        54,
        32,
        40,
        32,
        40,
        50,
        42,
        56,
        76,
        84,
        36,
        46,
        68,
        32,
        48,
        52,
        56,
        64,
        66,
        54,
        70,
        92,
        93,
        120,
        85,
    ]
    ids = [f"p{i}" for i in range(50)]
    lrn = pd.DataFrame({"cohort_id": "A", "participant_id": ids, "pre": 0.0, "post": speed})
    fu = pd.DataFrame(
        {
            "cohort_id": "A",
            "participant_id": ids,
            "rater": "supervisor",
            "item": "b1",
            "score": dist,
            "scale_max": 100 * 1.2,
        }
    )
    out = gain_behavior_link(lrn, fu)
    # index = dist / 120 * 100, so the R coefficients scale by 100/120
    f = 100 / 120
    assert out["slope"] == pytest.approx(3.93240875912409 * f, rel=1e-9)
    assert out["intercept"] == pytest.approx(-17.5790948905109 * f, rel=1e-9)
    assert out["se"] == pytest.approx(0.415512776657122 * f, rel=1e-9)
    assert out["p"] == pytest.approx(1.48983649629509e-12, rel=1e-6, abs=0)
    assert out["ci_low"] == pytest.approx(3.09696432814032 * f, rel=1e-9)
    assert out["r_squared"] == pytest.approx(0.651079380758251, rel=1e-9)


def test_gain_behavior_link_by_equals_per_group_call():
    lrn, fu = _csv("learning"), _csv("followup")
    grouped = gain_behavior_link(lrn, fu, by="cohort_id")
    for cohort in ("C1", "C2", "C3"):
        single = gain_behavior_link(lrn[lrn["cohort_id"] == cohort], fu)
        for col, value in single.items():
            assert grouped.loc[cohort, col] == pytest.approx(value, rel=1e-9, nan_ok=True), col


def test_gain_behavior_link_normalized_and_rater():
    lrn, fu = _csv("learning"), _csv("followup")
    norm = gain_behavior_link(lrn, fu, gain="normalized", rater="supervisor")
    scores = behavior_scores(fu)
    m = lrn.merge(scores, on=["cohort_id", "participant_id"])
    m["g"] = (m["post"] - m["pre"]) / (m["max_score"] - m["pre"])
    m = m.dropna(subset=["g", "index_supervisor"])
    slope, intercept = np.polyfit(m["g"], m["index_supervisor"], 1)
    assert norm["slope"] == pytest.approx(slope, rel=1e-9)
    assert norm["intercept"] == pytest.approx(intercept, rel=1e-9)


def test_gain_behavior_link_degenerate_and_errors():
    lrn, fu = _csv("learning"), _csv("followup")
    flat = lrn.assign(post=lrn["pre"] + 5)
    with pytest.warns(EvalkitWarning, match="without variation in gain"):
        out = gain_behavior_link(flat, fu)
    assert np.isnan(out["slope"])
    with pytest.raises(
        ParameterError,
        match="gain_behavior_link: parameter 'gain' must be 'difference' or 'normalized', got 'hake'",
    ):
        gain_behavior_link(lrn, fu, gain="hake")
    with pytest.raises(
        ParameterError, match=r"gain_behavior_link: learning has no column\(s\) \['max_score'\]"
    ):
        gain_behavior_link(lrn.drop(columns="max_score"), fu, gain="normalized")
    with pytest.raises(
        ParameterError, match="gain_behavior_link: regression needs at least 3 participants, got 2"
    ):
        gain_behavior_link(lrn.head(2), fu)
    with pytest.raises(
        ParameterError, match="learning has participant 'PC101' twice in one cohort"
    ):
        gain_behavior_link(pd.concat([lrn, lrn.head(1)]), fu)
    with pytest.raises(ParameterError, match="gain_behavior_link: column 'pre' must be numeric"):
        gain_behavior_link(lrn.assign(pre="x"), fu)


def test_transfer_index_counts_the_participants_each_rater_rated():
    followup = pd.DataFrame(
        {
            "cohort_id": ["A"] * 6,
            "participant_id": ["p1", "p1", "p2", "p2", "p3", "p4"],
            "rater": ["self", "supervisor", "self", "supervisor", "self", "self"],
            "item": ["b1"] * 6,
            "score": [4.0, 3.0, 5.0, 4.0, 3.0, 2.0],
            "scale_max": [5] * 6,
        }
    )
    out = transfer_index(followup, by="cohort_id")
    assert out.loc["A", "n"] == 4
    assert out.loc["A", "n_self"] == 4 and out.loc["A", "n_supervisor"] == 2
    # the supervisor mean is over the two participants a supervisor rated
    assert out.loc["A", "index_supervisor"] == pytest.approx(100 * (3 / 5 + 4 / 5) / 2)


# --- did it work at work, did it last (tests/reference/level3u.R) ----------------------
@pytest.fixture(scope="module")
def study3u() -> tuple[pd.DataFrame, pd.DataFrame]:
    people = pd.read_csv(REF / "level3u_people.csv")
    followup = pd.read_csv(REF / "level3u_followup.csv")
    return people, followup


def test_gain_behavior_link_cluster_robust_matches_r(study3u):
    people, followup = study3u
    three = followup[followup["months_after"] == 3]
    out = gain_behavior_link(people, three, cluster="cohort_id")
    # fit4 <- lm(index ~ gain, i3); coeftest(fit4, vcovCL(fit4, cluster = ~cohort_id),
    # df = G3 - 1) and its qt interval
    assert out["n"] == 147 and out["n_clusters"] == 12 and out["df"] == 11
    np.testing.assert_allclose(
        out[["slope", "se", "p", "ci_low", "ci_high"]].to_numpy(dtype=float),
        [0.833259708983627, 0.0868018300350262, 1.11045605810278e-06, 0.642210169207737,
         1.02430924875952],
        rtol=1e-10,
    )  # fmt: skip
    # summary(fit4)$coefficients[2, 2]: the OLS se without cluster=
    plain = gain_behavior_link(people, three)
    np.testing.assert_allclose(plain["se"], 0.10219434821395, rtol=1e-10)
    assert np.isnan(plain["n_clusters"])
    by = gain_behavior_link(people, three, cluster="cohort_id", by="year")
    assert by["n"].sum() == 147 and (by["df"] == by["n_clusters"] - 1).all()


def test_gain_behavior_link_cr2_matches_clubsandwich(study3u):
    people, followup = study3u
    three = followup[followup["months_after"] == 3]
    out = gain_behavior_link(people, three, cluster="cohort_id", vcov="CR2")
    # cr2means.R section 5: fit <- lm(index ~ gain, i3); V <- vcovCR(fit, cluster =
    # i3$cohort_id, type = "CR2"); coef_test(fit, vcov = V, test = "Satterthwaite")[2, ];
    # conf_int(fit, vcov = V, test = "Satterthwaite", level = 0.95)[2, ]
    assert out["n"] == 147 and out["n_clusters"] == 12
    np.testing.assert_allclose(
        out[["slope", "se", "df", "t", "ci_low", "ci_high"]].to_numpy(dtype=float),
        [0.833259708983627, 0.0862139208132281, 9.01275087163953, 9.6650251041103,
         0.638272322338115, 1.02824709562914],
        rtol=1e-9,
    )  # fmt: skip
    assert out["p"] == pytest.approx(4.69941750276059e-06, rel=1e-8)
    # by group: each group's own CR2 fit, as the call on that group alone
    by = gain_behavior_link(people, three, cluster="cohort_id", by="year", vcov="CR2")
    for year, row in by.iterrows():
        alone = gain_behavior_link(people[people["year"] == year], three, cluster="cohort_id",
                                   vcov="CR2")  # fmt: skip
        np.testing.assert_allclose(row[["se", "df"]].to_numpy(dtype=float),
                                   alone[["se", "df"]].to_numpy(dtype=float), rtol=1e-12)  # fmt: skip
    # without cluster= vcov has nothing to do: the OLS se
    plain = gain_behavior_link(people, three, vcov="CR2")
    np.testing.assert_allclose(plain["se"], 0.10219434821395, rtol=1e-10)
    with pytest.raises(ParameterError, match="gain_behavior_link: parameter 'vcov'"):
        gain_behavior_link(people, three, cluster="cohort_id", vcov="CR0")


def test_behavior_change_matches_r(study3u):
    _, followup = study3u
    out = behavior_change(followup)
    # t.test(both$index.6, both$index.3, paired = TRUE)
    assert out["n"] == 51 and out["n_clusters"] == 6 and out["df"] == 5
    np.testing.assert_allclose(out["mean_change"], -0.196078431372549, rtol=1e-10)
    np.testing.assert_allclose(
        out[["p_paired", "ci_low_paired", "ci_high_paired"]].to_numpy(dtype=float),
        [0.902546471666553, -3.39621598603617, 3.00405912329107],
        rtol=1e-10,
    )
    # coeftest(lm(d ~ 1), vcovCL(fit5, cluster = ~cohort_id), df = G6 - 1)
    np.testing.assert_allclose(
        out[["se", "p", "ci_low", "ci_high"]].to_numpy(dtype=float),
        [1.29441709958395, 0.88551918004252, -3.52348351530008, 3.13132665255499],
        rtol=1e-10,
    )


def test_behavior_change_one_cohort_is_the_paired_t(study3u):
    _, followup = study3u
    one = behavior_change(followup[followup["cohort_id"] == "C01"])
    assert one["n_clusters"] == 1 and one["df"] == one["n"] - 1
    assert one["p"] == one["p_paired"] and one["ci_low"] == one["ci_low_paired"]


def test_behavior_change_bad_input(study3u):
    _, followup = study3u
    with pytest.raises(ParameterError, match="'later' = 12"):
        behavior_change(followup, later=12)
    with pytest.raises(ParameterError, match="at least 3 people"):
        behavior_change(followup[followup["participant_id"].str.startswith("C01-p0")].head(40))


def test_wave_attrition_matches_r(study3u):
    people, followup = study3u
    out = wave_attrition(followup, learning=people)
    drop = out.loc["dropped_out"]
    # prop.test(15, 66, correct = FALSE)$conf.int in cohorts with a 6-month wave
    assert (drop["n"], drop["n_dropped"], drop["n_stayed"]) == (66, 15, 51)
    np.testing.assert_allclose(
        drop[["ci_low", "ci_high"]].to_numpy(dtype=float),
        [0.14285229563373, 0.341694553646383],
        rtol=1e-10,
    )
    # t.test(index.3[dropped], index.3[!dropped]) (Welch)
    np.testing.assert_allclose(
        out.loc["index_baseline", ["estimate", "p", "ci_low", "ci_high"]].to_numpy(dtype=float),
        [1.34313725490196, 0.721952005773699, -6.43554363810249, 9.12181814790641],
        rtol=1e-10,
    )
    # t.test(gain[dropped], gain[!dropped]) (Welch)
    np.testing.assert_allclose(
        out.loc["gain", ["estimate", "p"]].to_numpy(dtype=float),
        [2.60392156862745, 0.218034564638859],
        rtol=1e-10,
    )
    assert "gain" not in wave_attrition(followup).index


def test_wave_attrition_counts_only_cohorts_due_for_the_later_wave(study3u):
    _, followup = study3u
    # cohorts C07-C12 have no 6-month wave: adding them changes nothing
    only_due = followup[followup["cohort_id"] <= "C06"]
    pd.testing.assert_frame_equal(wave_attrition(only_due), wave_attrition(followup))


# --- planted truths of the demo study --------------------------------------------------
def test_demo_ledger_recovers_planted_slope_and_six_month_change(demo):
    """The demo plants L3_GAIN_SLOPE (behaviour per test point of gain) and L3_SIX_MONTHS
    (6 - 3 months), both on the 1-5 answer scale; on the POMP index (score - 1) / 4 x 100
    they are 25x as large. The overview's ledger rows must hold them within their 95% CIs."""
    from evalkit.data.demo.effects import L3_GAIN_SLOPE, L3_SIX_MONTHS

    root, _ = demo
    ledger = pd.read_csv(root / "reports" / "demo" / "results.csv")
    overview = ledger[(ledger["level"] == 3) & ledger["report"].str.contains("overview")]
    slope = overview[overview["estimand"] == "slope"]
    change = overview[overview["estimand"] == "change"]
    assert len(slope) == 1 and len(change) == 1, overview[["estimand", "group"]]
    slope, change = slope.iloc[0], change.iloc[0]
    assert slope["ci_low"] <= 25 * L3_GAIN_SLOPE <= slope["ci_high"], slope
    assert change["ci_low"] <= 25 * L3_SIX_MONTHS <= change["ci_high"], change
    assert slope["n_clusters"] == 15 and "cluster-robust SE by cohort" in slope["method"]
    assert change["p_adjusted"] >= change["p_value"]


def test_pomp_index_is_the_percent_of_maximum_rescaled(study3u):
    people, followup = study3u
    # On a 1-5 scale POMP = (score - 1) / 4 x 100 = (pct_of_max - 20) x 1.25 per answer,
    # so every mean and slope built on it is the same linear map of the R values.
    old = behavior_scores(followup[followup["months_after"] == 3])
    new = behavior_scores(followup[followup["months_after"] == 3], scale_min=1)
    np.testing.assert_allclose(new["index"], (old["index"] - 20) * 1.25, rtol=1e-12)
    link = gain_behavior_link(
        people, followup[followup["months_after"] == 3], cluster="cohort_id", scale_min=1
    )
    # link.slope, link.se of level3u.R (lm(index ~ gain) with vcovCL) times 1.25
    np.testing.assert_allclose(
        link[["slope", "se"]].to_numpy(dtype=float),
        [0.833259708983627 * 1.25, 0.0868018300350262 * 1.25],
        rtol=1e-10,
    )
    ti = transfer_index(followup, by="months_after", scale_min=1)
    assert ti["band"].isna().all()
    fu = pd.DataFrame({"cohort_id": "A", "participant_id": "p1", "rater": "self",
                       "item": ["b1", "b2"], "score": [1, 5], "scale_max": 5})  # fmt: skip
    assert behavior_scores(fu, scale_min=1)["index"].tolist() == [50.0]
    with pytest.raises(ParameterError, match="scale_min"):
        behavior_scores(fu, scale_min=2)
