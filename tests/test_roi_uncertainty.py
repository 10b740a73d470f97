"""Tests of evalkit.metrics.roi_uncertainty, the Phillips scenarios and the cost items.

Reference values are R's (``tests/reference/level5.R``, output in
``level5_output.txt``) on the synthetic tables that script writes. What is checked
how:

- counts, benefits, costs, BCR and ROI % of every cohort, program and the portfolio:
  exactly (1e-12), against R's sums;
- the BCa acceleration: exactly, against R ``empinf(type = "jack", strata = ...)``;
- the interval arithmetic: exactly, by feeding R's own replicates
  (``boot(d, stat, R = 999, strata = d$stratum)``, saved in level5_replicates.csv) to
  :func:`bootstrap_interval` and comparing with ``boot.ci(type = c("perc", "bca"), L)``;
- the resampling itself (our numpy generator, not R's): with 200,000 resamples, the
  bootstrap SE against the exact ideal-bootstrap SE ``sqrt(sum_s n_s var_n(x_s)) / C``
  and the percentile and BCa bounds against R's 200,000-resample run, within
  Monte-Carlo error;
- the scenarios and the cost items: exactly, against R's sums.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import evalkit as ek
from evalkit.errors import EvalkitWarning, ParameterError
from evalkit.metrics.cost_items import cost_items
from evalkit.metrics.economics import roi_scenarios
from evalkit.metrics.roi_uncertainty import (
    bootstrap_interval,
    break_even,
    person_benefits,
    roi_bootstrap,
)

REF = Path(__file__).parent / "reference"

#: R group name -> (by, label) of roi_bootstrap
GROUPS = {
    "cohort.A2023": ("cohort_id", "A-2023"),
    "cohort.A2024": ("cohort_id", "A-2024"),
    "cohort.B2024": ("cohort_id", "B-2024"),
    "program.A": ("program_id", "A"),
    "program.B": ("program_id", "B"),
    "portfolio": (None, None),
}

# Rscript level5.R: out(paste0(g, ".", key), ...) per group (see the R file for each call)
R_POINT = {
    # g: (n_participants, n_respondents, n_unit_rows, n_estimates, benefits, costs, bcr, roi_pct)
    "cohort.A2023": (24, 15, 0, 20, 35787000, 83020000, 0.431064803661768, -56.8935196338232),
    "cohort.A2024": (18, 10, 0, 14, 30684360, 63490000, 0.483294377067255, -51.6705622932745),
    "cohort.B2024": (20, 13, 4, 21, 26815800, 36900000, 0.726715447154472, -27.3284552845528),
    "program.A": (28, 21, 0, 34, 66471360, 146510000, 0.453698450617705, -54.6301549382295),
    "program.B": (20, 13, 4, 21, 26815800, 36900000, 0.726715447154472, -27.3284552845528),
    "portfolio": (48, 34, 4, 55, 93287160, 183410000, 0.508626356251022, -49.1373643748978),
}

# sum(L^3) / (6 * sum(L^2)^1.5) with
# L <- empinf(data = d, statistic = stat, strata = d$stratum, type = "jack", stype = "i")
R_ACCELERATION = {
    "cohort.A2023": 0.0201337933508051,
    "cohort.A2024": 0.0565883027833754,
    "cohort.B2024": 0.0250126821711684,
    "program.A": 0.0267426358637484,
    "program.B": 0.0250126821711684,
    "portfolio": 0.0233942676303659,
}

# set.seed(1); b <- boot(d, stat, R = 999, strata = d$stratum)
# boot.ci(b, conf = 0.95, type = c("perc", "bca"), L = L): $percent[4:5], $bca[4:5]
R_SMALL = {
    "cohort.A2023": ((0.254362563237774, 0.608561310527584), (0.263474582996535, 0.616167643615534)),
    "cohort.A2024": ((0.213493778547803, 0.81487352338951), (0.233589968228586, 0.834265629257188)),
    "cohort.B2024": ((0.493733333333333, 0.983951219512195), (0.504903593288412, 1.01638739680911)),
}  # fmt: skip

# sqrt(sum(n_s * v_s)) / C, v_s = mean((x - mean(x))^2) per stratum (the ideal bootstrap SE);
# set.seed(2); b <- boot(d, stat, R = 200000, strata = d$stratum);
# boot.ci(b, conf = 0.95, type = c("perc", "bca"), L = L)
R_LARGE = {
    # g: (ideal_se, perc low, perc high, bca low, bca high)
    "cohort.A2023": (0.0863893417815999, 0.266636653833125, 0.604667959521917,
                     0.27577858380241, 0.616165640163441),
    "cohort.A2024": (0.147633896358355, 0.219988218632554, 0.794809528978586,
                     0.253530091554595, 0.860437771981744),
    "cohort.B2024": (0.126002125430204, 0.488042845574973, 0.979505528441994,
                     0.502049200201302, 0.997690446621119),
}  # fmt: skip

# the scenarios' BCRs: sum(b * a * 0.5 * c) / C; sum(adjusted[c >= 0.7]) / C;
# c(0.5, 2) * B / C; sum over cohorts of (unit rows + person sum * n_enrolled / n_resp) / C
R_SCENARIOS = {
    "cohort.A2023": (0.215532401830884, 0.349300891351482, 0.215532401830884,
                     0.862129607323536, 0.689703685858829),
    "cohort.A2024": (0.241647188533627, 0.388012600409513, 0.241647188533627,
                     0.966588754134509, 0.869929878721058),
    "cohort.B2024": (0.363357723577236, 0.558510569105691, 0.363357723577236,
                     1.45343089430894, 1.0139947467167),
}  # fmt: skip


def _ref() -> dict[str, float]:
    values = {}
    for line in (REF / "level5_output.txt").read_text().splitlines():
        key, value = line.split(" = ")
        values[key.strip()] = float(value)
    return values


@pytest.fixture(scope="module")
def study() -> dict[str, pd.DataFrame]:
    names = ("benefits", "participants", "costs", "cohorts")
    return {n: pd.read_csv(REF / f"level5_{n}.csv") for n in names}


def _one(study, g: str, **kwargs) -> pd.Series:
    by, label = GROUPS[g]
    out = roi_bootstrap(
        study["benefits"], study["costs"], study["participants"], study["cohorts"], by=by,
        **kwargs,
    )  # fmt: skip
    return out if by is None else out.loc[label]


def test_literals_are_the_r_output():
    """The literals above are those of level5_output.txt (a re-run of R updates both)."""
    ref = _ref()
    for g, values in R_POINT.items():
        keys = ("n_participants", "n_respondents", "n_unit_rows", "n_estimates", "benefits",
                "costs", "bcr", "roi_pct")  # fmt: skip
        assert [ref[f"{g}.{k}"] for k in keys] == list(values)
        assert ref[f"{g}.acceleration"] == R_ACCELERATION[g]
    for g, (perc, bca) in R_SMALL.items():
        assert (ref[f"{g}.small.perc[1]"], ref[f"{g}.small.perc[2]"]) == perc
        assert (ref[f"{g}.small.bca[1]"], ref[f"{g}.small.bca[2]"]) == bca


@pytest.mark.parametrize("g", list(GROUPS))
def test_point_estimates_and_counts_equal_r(study, g):
    out = _one(study, g)
    n_people, n_resp, n_unit, n_rows, benefits, costs, bcr, roi_pct = R_POINT[g]
    assert (out["n_participants"], out["n_respondents"]) == (n_people, n_resp)
    assert (out["n_unit_rows"], out["n_estimates"]) == (n_unit, n_rows)
    assert out["benefits"] == pytest.approx(benefits, rel=1e-12)
    assert out["costs"] == pytest.approx(costs, rel=1e-12)
    assert out["bcr"] == pytest.approx(bcr, rel=1e-12)
    assert out["roi_pct"] == pytest.approx(roi_pct, rel=1e-12)
    assert out["acceleration"] == pytest.approx(R_ACCELERATION[g], rel=1e-10)


@pytest.mark.parametrize("g", list(R_SMALL))
def test_interval_arithmetic_equals_boot_ci_on_r_replicates(g):
    t = pd.read_csv(REF / "level5_replicates.csv")[g].to_numpy()
    bcr = R_POINT[g][6]
    perc, bca = R_SMALL[g]
    np.testing.assert_allclose(bootstrap_interval(t, bcr), perc, rtol=1e-13)
    ours = bootstrap_interval(t, bcr, method="bca", acceleration=R_ACCELERATION[g])
    np.testing.assert_allclose(ours, bca, rtol=1e-13)


@pytest.fixture(scope="module")
def large(study) -> pd.DataFrame:
    return {
        method: roi_bootstrap(
            study["benefits"],
            study["costs"],
            study["participants"],
            by="cohort_id",
            n_boot=200_000,
            method=method,
        )  # fmt: skip
        for method in ("percentile", "bca")
    }


@pytest.mark.parametrize("g", list(R_LARGE))
def test_large_run_agrees_with_r_within_monte_carlo_error(large, g):
    label = GROUPS[g][1]
    ideal_se, p_low, p_high, b_low, b_high = R_LARGE[g]
    perc, bca = large["percentile"].loc[label], large["bca"].loc[label]
    # SD of 200,000 replicates: Monte-Carlo relative error about 1 / sqrt(2 B) = 0.16 %
    assert perc["bcr_se"] == pytest.approx(ideal_se, rel=0.01)
    # Monte-Carlo SD of a bound of one 200,000-resample run, measured over 5 seeds: 0.002
    # to 0.013 x SE (largest for BCa's upper bound of B-2024, whose 4 unit-level rows
    # make the bootstrap distribution lumpy); two runs differ by about 1.4 times that
    tol = 0.05 * ideal_se
    assert abs(perc["bcr_ci_low"] - p_low) < tol and abs(perc["bcr_ci_high"] - p_high) < tol
    assert abs(bca["bcr_ci_low"] - b_low) < tol and abs(bca["bcr_ci_high"] - b_high) < tol
    assert bca["bcr_ci_low"] > perc["bcr_ci_low"]  # positive skew moves BCa up, as in R


def test_roi_interval_is_the_bcr_interval_transformed(study):
    out = roi_bootstrap(study["benefits"], study["costs"], study["participants"], by="cohort_id")
    np.testing.assert_allclose(out["roi_ci_low"], (out["bcr_ci_low"] - 1) * 100, rtol=1e-15)
    np.testing.assert_allclose(out["roi_ci_high"], (out["bcr_ci_high"] - 1) * 100, rtol=1e-15)
    assert (out["bcr_ci_low"] < out["bcr"]).all() and (out["bcr"] < out["bcr_ci_high"]).all()


def test_fixed_seed_reproducible_and_a_cohort_is_the_same_alone_and_in_the_overview(study):
    b, c, p = study["benefits"], study["costs"], study["participants"]
    each = roi_bootstrap(b, c, p, by="cohort_id")
    again = roi_bootstrap(b, c, p, by="cohort_id")
    pd.testing.assert_frame_equal(each, again)
    for cohort in each.index:
        alone = roi_bootstrap(b[b["cohort_id"] == cohort], c[c["cohort_id"] == cohort],
                              p[p["cohort_id"] == cohort])  # fmt: skip
        assert alone["bcr_ci_low"] == each.loc[cohort, "bcr_ci_low"]
        assert alone["bcr_ci_high"] == each.loc[cohort, "bcr_ci_high"]
    other = roi_bootstrap(b, c, p, by="cohort_id", seed=7)
    assert not np.allclose(other["bcr_ci_low"], each["bcr_ci_low"])


def test_non_respondents_count_zero_and_widen_nothing_away(study):
    """Dropping the non-respondents from the participants would raise no benefit but
    shrink the resampling to respondents: the point estimate is the same, the people
    counted and the interval are not."""
    b, c, p = study["benefits"], study["costs"], study["participants"]
    full = roi_bootstrap(b, c, p, by="cohort_id")
    only = p.merge(b[["cohort_id", "participant_id"]].dropna().drop_duplicates())
    resp = roi_bootstrap(b, c, only, by="cohort_id")
    np.testing.assert_allclose(full["bcr"], resp["bcr"], rtol=1e-15)
    assert (resp["n_participants"] == resp["n_respondents"]).all()
    assert (full["n_participants"] > full["n_respondents"]).all()
    units = person_benefits(b, p)
    zero = units[(units["kind"] == "person") & ~units["responded"]]
    assert len(zero) == 62 - 38 and (zero["benefit_adjusted"] == 0).all()


def test_break_even_uses_the_interval():
    assert break_even(1.01, 2.0) == "above"
    assert break_even(0.5, 0.99) == "below"
    assert break_even(1.0, 1.5) == "indistinguishable"  # "above" needs a bound above 1
    assert break_even(0.5, 1.0) == "indistinguishable"
    assert break_even(np.nan, np.nan) == "indistinguishable"
    assert break_even(np.array([1.2, 0.2, 0.9]), np.array([2.0, 0.8, 1.1])).tolist() == [
        "above", "below", "indistinguishable",
    ]  # fmt: skip


def test_bca_is_nan_when_every_replicate_is_on_one_side():
    t = np.linspace(1.0, 2.0, 200)
    assert np.isnan(bootstrap_interval(t, 0.5, method="bca", acceleration=0.0)).all()
    assert bootstrap_interval(t, 0.5).tolist()[0] > 1.0


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n_boot": 10}, r"roi_bootstrap: parameter 'n_boot' must be an integer >= 100, got 10"),
        ({"n_boot": True}, "n_boot"),
        ({"level": 1.5}, r"roi_bootstrap: parameter 'level' must be in \(0, 1\)"),
        ({"method": "normal"}, r"roi_bootstrap: parameter 'method' must be one of"),
        ({"seed": -1}, r"parameter 'seed' must be a non-negative integer"),
        ({"by": "program_id"}, r"needs the cohorts table \(parameter 'cohorts'\)"),
    ],
)
def test_roi_bootstrap_errors(study, kwargs, match):
    with pytest.raises(ParameterError, match=match):
        roi_bootstrap(study["benefits"], study["costs"], study["participants"], **kwargs)


def test_roi_bootstrap_bad_tables(study):
    b, c, p = study["benefits"], study["costs"], study["participants"]
    with pytest.raises(ParameterError, match=r"person_benefits: estimates has no column"):
        roi_bootstrap(b.drop(columns="confidence"), c, p)
    with pytest.raises(ParameterError, match=r"column 'attribution' of estimates must be a share"):
        roi_bootstrap(b.assign(attribution=1.2), c, p)
    with (
        pytest.raises(ParameterError, match="no cohort has both benefit estimates and costs"),
        pytest.warns(EvalkitWarning, match="3 cohort"),
    ):
        roi_bootstrap(b, c.assign(cohort_id="Z"), p)
    with pytest.warns(EvalkitWarning, match=r"1 cohort\(s\) with estimates but no costs"):
        out = roi_bootstrap(b, c[c["cohort_id"] != "B-2024"], p, by="cohort_id")
    assert out.index.tolist() == ["A-2023", "A-2024"]
    with pytest.warns(EvalkitWarning, match="not in participants are counted as people"):
        roi_bootstrap(b, c, p[p["participant_id"] != "PA01"])


# --- the scenarios -----------------------------------------------------------------
@pytest.mark.parametrize("g", list(R_SCENARIOS))
def test_scenarios_equal_r(study, g):
    label = GROUPS[g][1]
    b, c, p = study["benefits"], study["costs"], study["participants"]
    one = roi_scenarios(b[b["cohort_id"] == label], c[c["cohort_id"] == label], p)
    expected = dict(zip(
        ["attribution_low", "confidence_min", "duration_short", "duration_long",
         "respondents_extrapolated"], R_SCENARIOS[g], strict=True,
    ))  # fmt: skip
    assert one.loc["base", "bcr"] == pytest.approx(R_POINT[g][6], rel=1e-12)
    for scenario, bcr in expected.items():
        assert one.loc[scenario, "bcr"] == pytest.approx(bcr, rel=1e-12)
        assert one.loc[scenario, "roi_pct"] == pytest.approx((bcr - 1) * 100, rel=1e-12)


def test_no_scenario_uses_unadjusted_estimates(study):
    """Every scenario's benefit is at most (duration x) the adjusted total, never the raw one."""
    b, c = study["benefits"], study["costs"]
    one = roi_scenarios(b, c)
    raw, adjusted = (
        b["benefit_idr"].sum(),
        (b["benefit_idr"] * b["attribution"] * b["confidence"]).sum(),
    )
    per_year = one["benefits"] / pd.Series({"duration_short": 0.5, "duration_long": 2.0}).reindex(
        one.index, fill_value=1.0
    )
    assert (per_year <= adjusted * (1 + 1e-12)).all() and raw > 2 * adjusted
    assert one.index.tolist() == ["base", "attribution_low", "confidence_min", "duration_short",
                                  "duration_long"]  # fmt: skip


def test_scenarios_by_cohort_hold_the_range_of_the_one_cohort_tables(study):
    b, c, p = study["benefits"], study["costs"], study["participants"]
    each = roi_scenarios(b, c, p, by="cohort_id")
    for cohort, row in each.iterrows():
        one = roi_scenarios(b[b["cohort_id"] == cohort], c[c["cohort_id"] == cohort], p)
        assert row["roi_pct"] == one.loc["base", "roi_pct"]
        assert row["roi_low_pct"] == one["roi_pct"].min()
        assert row["roi_high_pct"] == one["roi_pct"].max()
    assert each["n_respondents"].tolist() == [15, 10, 13]
    assert each["n_unit_rows"].tolist() == [0, 0, 4]
    assert each["n_estimates"].tolist() == [20, 14, 21]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"attribution_factor": 1.5}, r"parameter 'attribution_factor' must be a share"),
        ({"min_confidence": -0.1}, r"parameter 'min_confidence' must be a share"),
        ({"durations": (0.5,)}, r"parameter 'durations' must be two numbers of years"),
        ({"durations": (0.0, 2.0)}, r"parameter 'durations' must be positive"),
    ],
)
def test_scenario_errors(study, kwargs, match):
    with pytest.raises(ParameterError, match=match):
        roi_scenarios(study["benefits"], study["costs"], **kwargs)


# --- the cost items ----------------------------------------------------------------
def test_cost_items_equal_r(study):
    ref = _ref()
    kinds = {"honor_narasumber": "cash", "konsumsi": "cash", "waktu_peserta": "participant_time",
             "evaluasi": "other"}  # fmt: skip
    out = cost_items(study["costs"], kinds=kinds)
    for cohort in out.index:
        for kind in ("cash", "participant_time", "other"):
            assert out.loc[cohort, kind] == ref[f"costs.{cohort}.{kind}"]
    # the default kinds leave "evaluasi" (not a demo category) as other, too
    pd.testing.assert_frame_equal(cost_items(study["costs"]), out)
    by_program = cost_items(study["costs"], study["cohorts"], by="program_id")
    assert by_program.loc["A", "total_cost"] == R_POINT["program.A"][5]
    assert cost_items(study["costs"], by=None)["total_cost"] == R_POINT["portfolio"][5]
    assert out["share_participant_time"].tolist() == pytest.approx(
        (out["participant_time"] / out["total_cost"]).tolist(), rel=1e-15
    )


def test_cost_items_errors(study):
    with pytest.raises(ParameterError, match=r"cost_items: parameter 'kinds' maps to 'gaji'"):
        cost_items(study["costs"], kinds={"konsumsi": "gaji"})
    with pytest.raises(ParameterError, match=r"must be finite and >= 0"):
        cost_items(study["costs"].assign(amount_idr=-1.0))
    with pytest.raises(ParameterError, match=r"needs the cohorts table"):
        cost_items(study["costs"], by="program_id")


def test_public_names():
    for name in ("roi_bootstrap", "bootstrap_interval", "break_even", "person_benefits",
                 "cost_items"):  # fmt: skip
        assert name in ek.__all__ and callable(getattr(ek, name))


# --- cost-effectiveness ------------------------------------------------------------
# level5.R section 5 on the level345 tables: sd(pre); mean(post - pre) / sd(pre);
# (sum(costs) / participants) / (mean gain / sd(pre)), per cohort
R_CE = {
    "C1": (13.1012540293995, 0.982730353224829, 15700814.1816667),
    "C2": (8.63923397277581, 1.62051404605052, 4769577.08913664),
    "C3": (5.7569833370314, 3.02737916861134, 5290714.87511986),
}


def test_cost_effectiveness_equals_r_and_ranks_only_within_a_test():
    from evalkit.metrics.cost_items import cost_effectiveness

    t = {n: pd.read_csv(REF / f"level345_{n}.csv") for n in ("costs", "participants",
                                                              "cohorts", "learning")}  # fmt: skip
    out = cost_effectiveness(t["costs"], t["participants"], t["cohorts"], t["learning"])
    for cohort, (sd, std_gain, per_sd) in R_CE.items():
        assert out.loc[cohort, "sd_pre"] == pytest.approx(sd, rel=1e-12)
        assert out.loc[cohort, "standardized_gain"] == pytest.approx(std_gain, rel=1e-12)
        assert out.loc[cohort, "cost_per_sd_gain"] == pytest.approx(per_sd, rel=1e-12)
    # C1 and C2 took program PR1's test, C3 PR2's: ranks are within a test only
    assert out["instrument"].tolist() == ["PR1", "PR1", "PR2"]
    assert sorted(out.loc[["C1", "C2"], "rank_in_instrument"]) == [1.0, 2.0]
    assert out.loc["C3", "rank_in_instrument"] == 1.0 and out.loc["C3", "n_in_instrument"] == 1
    summary = ek.cost_summary(t["costs"], t["participants"], t["cohorts"], t["learning"])
    pd.testing.assert_series_equal(
        out["cost_per_gain_point"], summary.loc[out.index, "cost_per_gain_point"]
    )
