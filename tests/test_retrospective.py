"""Retrospective (then-test) follow-up and long-term waves, against R.

Reference values: ``tests/reference/retrospective.R`` (R 4.2.2, base stats, sandwich,
lmtest) on the synthetic study it writes (``retrospective_*.csv``); each literal below
is quoted from ``retrospective_output.txt`` with the R call beside it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evalkit import constants as C
from evalkit.errors import ParameterError
from evalkit.metrics.retrospective import (
    php_round,
    ptia_band,
    ptia_scores,
    ptia_summary,
    rater_gap,
    response_shift,
    retrospective_change,
    retrospective_levels,
)
from evalkit.metrics.waves import attrition_by_wave, long_term_evidence, persistence_curve

REF = Path(__file__).parent / "reference"
REL = 1e-12


@pytest.fixture(scope="module")
def retro() -> pd.DataFrame:
    return pd.read_csv(REF / "retrospective_retro.csv")


@pytest.fixture(scope="module")
def followup() -> pd.DataFrame:
    return pd.read_csv(REF / "retrospective_followup.csv")


@pytest.fixture(scope="module")
def learning() -> pd.DataFrame:
    return pd.read_csv(REF / "retrospective_learning.csv")


@pytest.fixture(scope="module")
def cohorts() -> pd.DataFrame:
    return pd.read_csv(REF / "retrospective_cohorts.csv")


def close(a: float, b: float, rel: float = REL) -> None:
    assert a == pytest.approx(b, rel=rel, abs=1e-12)


# --- PTIA's score ---------------------------------------------------------------------
def test_ptia_scores_match_the_reimplementation_in_r(retro):
    s = ptia_scores(retro).sort_values(["cohort_id", "participant_id"])
    assert len(s) == 71  # ptia.n = nrow(wide)
    close(s["level3"].sum(), 3562.8)  # ptia.level3.sum = sum(wide$level3)
    assert s["level3"].head(3).tolist() == pytest.approx([33.71, 54.35, 35.22], abs=1e-9)
    close(s["self_l3"].sum(), 1973.94)  # ptia.self_l3.sum = sum(wide$points.self)
    close(s["level4"].sum(), 2936.23)  # ptia.level4.sum = sum(pmin(100, l4$points))
    # ptia.bands = table(cut(level3, c(-Inf, 25, 50, 75, Inf))): 2, 31, 37, 1
    counts = s["band3"].value_counts()
    assert [counts.get(b, 0) for _, b in reversed(C.PTIA_BANDS)] == [2, 31, 37, 1]


def test_ptia_summary_adds_a_t_interval(retro):
    out = ptia_summary(ptia_scores(retro)).loc["all"]
    close(out["mean"], 50.1802816901408)  # ptia.mean = mean(wide$level3)
    close(out["ci_low"], 46.8729126156571)  # t.test(wide$level3)$conf.int
    close(out["ci_high"], 53.4876507646246)
    assert out["band"] == "Cukup berdampak"


def test_ptia_worked_example_from_the_app_source():
    # by hand from RespondenKuesionerController::store: self motivasi change 2 -> 88 x
    # 8.94 / 100 = 7.8672 -> 7.87; implementasi changes 2, 1 -> mean 1.5 -> PHP round 2 ->
    # 88 x 24.41 / 100 = 21.4808 -> 21.48; berbagi_ilmu ("perception") change 3 -> table
    # of scores: 83 x 7.62 / 100 = 6.3246 -> 6.32; hasil (level 4) change -1 -> 0.
    r = pd.DataFrame({"cohort_id": "A", "participant_id": "p", "months_after": 3,
                      "rater": "self", "aspect": ["motivasi", "implementasi", "implementasi",
                                                  "berbagi_ilmu", "hasil"],
                      "item": list("abcde"), "rating_before": [2, 1, 2, 1, 3],
                      "rating_now": [4, 3, 3, 4, 2]})  # fmt: skip
    s = ptia_scores(r).iloc[0]
    assert s["self_l3"] == pytest.approx(7.87 + 21.48 + 6.32, abs=1e-9)
    assert s["supervisor_l3"] == 0.0 and not s["has_supervisor"]
    assert s["level4"] == 0.0 and s["band4"] == "Tidak berdampak"
    raw = ptia_scores(r, app_rounding=False).iloc[0]
    assert raw["self_l3"] == pytest.approx(7.8672 + 21.4808 + 6.3246, abs=1e-12)


def test_php_round_and_band_edges():
    # PHP: round(2.5) = 3, round(-1.5) = -2, round(23.9085, 2) = 23.91 (63 x 37.95 / 100)
    assert php_round(np.array([2.5, -1.5, 0.49999])).tolist() == [3.0, -2.0, 0.0]
    assert float(php_round(63 * 37.95 / 100, 2)) == 23.91
    assert ptia_band(np.array([50.0, 50.000001])).tolist() == [
        "Kurang berdampak",
        "Cukup berdampak",
    ]


def test_ptia_weight_column_overrides_and_unknown_aspect_raises():
    r = pd.DataFrame({"cohort_id": "A", "participant_id": "p", "months_after": 3,
                      "rater": "self", "aspect": ["lain"], "item": ["a"], "rating_before": [1],
                      "rating_now": [4]})  # fmt: skip
    with pytest.raises(ParameterError, match="not PTIA aspects"):
        ptia_scores(r)
    r["weight"] = 50.0
    assert ptia_scores(r).iloc[0]["self_l3"] == 50.0  # delta 3 -> 100 x 50 / 100
    bad = r.assign(rating_now=[5])
    with pytest.raises(ParameterError, match="rating_now"):
        ptia_scores(bad)


# --- within-person change, gap, response shift ------------------------------------------
@pytest.mark.parametrize(
    ("rater", "n", "before", "est", "t", "p", "lo", "hi"),
    [  # t.test(s$now, s$before, paired = TRUE), PTIA-weighted POMP person indices
        ("self", 71, 33.8330129921963, 30.2800096627491, 18.6566861284235,
         7.0969523648238e-29, 27.0430159865693, 33.5170033389288),
        ("supervisor", 62, 26.3755335242487, 29.0969691871824, 20.0619565162434,
         1.49849138657681e-28, 26.1968041015163, 31.9971342728485),
    ],
)  # fmt: skip
def test_retrospective_change_is_rs_paired_t(retro, rater, n, before, est, t, p, lo, hi):
    out = retrospective_change(retro).loc[rater]
    assert out["n"] == n
    close(out["mean_before"], before)
    close(out["mean_change"], est)
    close(out["t"], t)
    close(out["p"], p, rel=1e-9)
    close(out["ci_low"], lo)
    close(out["ci_high"], hi)


def test_retrospective_change_unweighted_and_by_wave(retro):
    out = retrospective_change(retro, weights=None).loc["self"]
    close(out["mean_change"], 29.3531559728743)  # change_unweighted.self.est
    close(out["ci_low"], 26.5915830164357)
    close(out["ci_high"], 32.1147289293128)
    by = retrospective_change(retro, by="months_after")
    close(by.loc[(3, "self"), "mean_change"], 30.2800096627491)


def test_retrospective_levels_are_rs_t_intervals(retro):
    lv = retrospective_levels(retro).set_index(["rater", "measure"])
    # t.test(s$before)$conf.int, t.test(s$now)$conf.int per rater (PTIA-weighted indices)
    close(lv.loc[("self", "before"), "mean"], 33.8330129921963)
    close(lv.loc[("self", "before"), "ci_low"], 29.6126161099919)
    close(lv.loc[("self", "before"), "ci_high"], 38.0534098744007)
    close(lv.loc[("self", "now"), "mean"], 64.1130226549453)
    close(lv.loc[("self", "now"), "ci_low"], 59.9394912932736)
    close(lv.loc[("self", "now"), "ci_high"], 68.286554016617)
    close(lv.loc[("supervisor", "before"), "ci_low"], 22.8997369420201)
    close(lv.loc[("supervisor", "before"), "ci_high"], 29.8513301064772)
    close(lv.loc[("supervisor", "now"), "mean"], 55.4725027114311)
    close(lv.loc[("supervisor", "now"), "ci_low"], 51.1625102116413)
    close(lv.loc[("supervisor", "now"), "ci_high"], 59.7824952112208)


def test_rater_gap_is_rs_paired_t(retro):
    g = rater_gap(retro)
    assert g.loc["now", "n"] == 62
    # t.test(m$before.sup, m$before.self, paired = TRUE)
    close(g.loc["before", "gap"], -7.94159861113417)
    close(g.loc["before", "p"], 4.63046939341103e-06, rel=1e-9)
    close(g.loc["before", "ci_low"], -11.0998379231359)
    close(g.loc["before", "ci_high"], -4.78335929913241)
    # t.test(m$now.sup, m$now.self, paired = TRUE)
    close(g.loc["now", "gap"], -8.68700752406963)
    close(g.loc["now", "p"], 1.2069770860171e-06, rel=1e-9)
    close(g.loc["now", "ci_low"], -11.9103318089708)
    close(g.loc["now", "ci_high"], -5.46368323916844)
    # t.test(now.sup - before.sup, now.self - before.self, paired = TRUE)
    close(g.loc["change", "gap"], -0.745408912935454, rel=1e-10)
    close(g.loc["change", "ci_low"], -5.50349361220506)
    close(g.loc["change", "ci_high"], 4.01267578633415)


def test_response_shift_is_rs_paired_t(retro, followup):
    s = response_shift(retro, followup)
    assert s["n"] == 65 and s["common_items"] == 1.0  # shift.n
    close(s["mean_retrospective"], 35.3846153846154)
    close(s["shift"], -2.50000000000001, rel=1e-10)  # t.test(rs$pb, rs$pp, paired = TRUE)
    close(s["p"], 0.138240231931351, rel=1e-9)
    close(s["ci_low"], -5.82704731978669)
    close(s["ci_high"], 0.827047319786681)
    with pytest.raises(ParameterError, match="no 'self' rating at months_after = 1"):
        response_shift(retro, followup, prospective_wave=1)


# --- long term ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("program", "wave", "n", "mean", "se", "lo", "hi", "method"),
    [  # coeftest(lm(pomp ~ 1, d), vcovCL(fit, cluster = ~cohort_id), df = G - 1)
        ("P1", 3, 33, 59.280303030303, 1.40344815797453, 53.2417529823321, 65.318853078274,
         "cluster"),
        ("P1", 12, 22, 54.2613636363636, 0.549684830934726, 51.8962606980405,
         56.6264665746868, "cluster"),
        ("P2", 3, 19, 56.9078947368421, 3.72229916897507, 9.61159940655192, 104.204190067132,
         "cluster"),
        # one cohort: t.test(d$pomp)
        ("P2", 6, 6, 47.3958333333333, 4.37623990366667, 36.146350528581, 58.6453161380857,
         "classical"),
        ("P3", 12, 9, 50.0, 4.35760430486498, 39.9513464533979, 60.0486535466021,
         "classical"),
        ("P1", 0, 36, 38.7152777777778, 0.804134426971247, 35.2553665904844,
         42.1751889650711, "cluster"),
    ],
)  # fmt: skip
def test_persistence_curve_is_rs_cluster_robust_mean(followup, cohorts, program, wave, n,
                                                     mean, se, lo, hi, method):  # fmt: skip
    curve = persistence_curve(followup, cohorts=cohorts).set_index(["program_id", "months_after"])
    row = curve.loc[(program, wave)]
    assert row["n"] == n and row["method"] == method
    close(row["mean"], mean)
    close(row["se"], se, rel=1e-10)
    close(row["ci_low"], lo, rel=1e-10)
    close(row["ci_high"], hi, rel=1e-10)


@pytest.mark.parametrize(
    ("program", "wave", "n", "k", "se", "df", "lo", "hi"),
    [  # cr2means.R section 4: fit <- lm(pomp ~ 1, d); V <- vcovCR(fit, cluster = d$cohort_id,
        # type = "CR2"); coef_test(fit, vcov = V, test = "Satterthwaite"); conf_int(...)
        ("P1", 0, 36, 3, 0.798626946567777, 1.95890410958904, 35.2090487068076,
         42.221506848748),
        ("P1", 3, 33, 3, 1.37723991482089, 1.96, 53.2371054272335, 65.3235006333727),
        ("P1", 6, 31, 3, 1.14223676156983, 1.93534100974314, 53.8963754785699,
         64.0471729085268),
        ("P1", 12, 22, 3, 0.533890347961877, 1.73394495412844, 51.5910703118982,
         56.931656960829),
        ("P2", 0, 18, 2, 2.53245725465862, 0.999999999999999, 3.93319074780795,
         68.2890314744143),
        ("P2", 3, 19, 2, 3.76958503424805, 1, 9.01077552126662, 104.805013952418),
    ],
)  # fmt: skip
def test_persistence_curve_cr2_matches_clubsandwich(followup, cohorts, program, wave, n, k, se,
                                                    df, lo, hi):  # fmt: skip
    curve = persistence_curve(followup, cohorts=cohorts, vcov="CR2")
    row = curve.set_index(["program_id", "months_after"]).loc[(program, wave)]
    assert (row["n"], row["n_clusters"], row["method"]) == (n, k, "cluster")
    assert row["se"] == pytest.approx(se, rel=1e-9)
    assert row["df"] == pytest.approx(df, rel=1e-9)
    assert row["ci_low"] == pytest.approx(lo, rel=1e-9)
    assert row["ci_high"] == pytest.approx(hi, rel=1e-9)


def test_persistence_curve_cr2_keeps_the_t_interval_of_one_cohort(followup, cohorts):
    cr1 = persistence_curve(followup, cohorts=cohorts)
    cr2 = persistence_curve(followup, cohorts=cohorts, vcov="CR2")
    one = cr1["method"] == "classical"
    assert one.any() and cr2["method"].tolist() == cr1["method"].tolist()
    pd.testing.assert_frame_equal(cr2[one], cr1[one])
    with pytest.raises(ParameterError, match="persistence_curve: parameter 'vcov'"):
        persistence_curve(followup, vcov="CR3")


def test_persistence_method_reads_in_indonesian():
    from evalkit.reporting.method_terms import method_text

    method = (
        "mean of alumni; CR2 cluster-robust SE by cohort (t with Satterthwaite df) "
        "where the wave has several cohorts, else classical"
    )  # the overview's ledger
    assert method_text(method) == (
        "rerata alumni; SE robust-klaster CR2 menurut angkatan (t dengan df Satterthwaite) "
        "bila gelombangnya memuat beberapa angkatan, selain itu klasik"
    )


def test_persistence_curve_without_cohorts_is_one_curve(followup):
    curve = persistence_curve(followup)
    assert set(curve["program_id"]) == {"all"}
    assert curve["months_after"].tolist() == [0, 3, 6, 12]


@pytest.mark.parametrize(
    ("wave", "n", "dropped", "ci", "tests"),
    [  # prop.test(sum(dropped), nrow(r), correct = FALSE); t.test(left, stayed) (Welch)
        (6, 44, 11, (0.145742138289649, 0.394405663589591), {
            "index_baseline": (1.60984848484848, -5.91783207719904, 9.13752904689601,
                               0.662898259529517),
            "pre": (-2.0, -8.89261049568666, 4.89261049568666, 0.550035190765753),
            "gain": (-1.57575757575758, -4.92478533868305, 1.7732701871679,
                     0.335885606454864)}),
        (12, 44, 18, (0.276878556275497, 0.555902462589681), {
            "index_baseline": (-1.44230769230769, -9.9983911701751, 7.11377578555971,
                               0.731786758578464),
            "pre": (-1.77777777777778, -7.46246491245638, 3.90690935690083,
                    0.530892666260587),
            "gain": (1.49145299145299, -2.27378326382358, 5.25668924672956,
                     0.425024599415076)}),
    ],
)  # fmt: skip
def test_attrition_by_wave_is_rs_prop_and_welch(followup, learning, wave, n, dropped, ci, tests):
    out = attrition_by_wave(followup, learning=learning)
    rows = out[out["months_after"] == wave].set_index("measure")
    assert rows.loc["dropped_out", "n"] == n and rows.loc["dropped_out", "n_dropped"] == dropped
    close(rows.loc["dropped_out", "ci_low"], ci[0])
    close(rows.loc["dropped_out", "ci_high"], ci[1])
    for measure, (est, lo, hi, p) in tests.items():
        close(rows.loc[measure, "estimate"], est, rel=1e-10)
        close(rows.loc[measure, "ci_low"], lo, rel=1e-10)
        close(rows.loc[measure, "ci_high"], hi, rel=1e-10)
        close(rows.loc[measure, "p"], p, rel=1e-9)


def test_long_term_evidence_mde_is_power_t_test(followup):
    out = long_term_evidence(followup).set_index("months_after")
    # mde.<w>: power.t.test(n, power = 0.8, type = "paired", strict = TRUE, tol = 1e-13)$delta
    for wave, n, mean, sd, dz in [
        (6, 33, -1.51515151515152, 9.57218451465368, 0.502953905600558),
        (12, 26, -8.77403846153846, 8.61590239257975, 0.571704834712923),
    ]:
        row = out.loc[wave]
        assert row["n_pairs"] == n
        close(row["mean_change"], mean, rel=1e-10)
        close(row["sd_change"], sd, rel=1e-10)
        close(row["mde_dz"], dz, rel=1e-10)
        assert row["mde_points"] == pytest.approx(dz * sd, rel=1e-6)
    assert bool(out.loc[12, "detectable"]) and not bool(out.loc[6, "detectable"])


def test_attrition_needs_a_later_wave(followup):
    only3 = followup[followup["months_after"] == 3]
    with pytest.raises(ParameterError, match="no wave after baseline"):
        attrition_by_wave(only3)
