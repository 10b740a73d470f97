"""Tests of evalkit.metrics.counts and evalkit.metrics.inference (Level 4 inference).

Reference values come from tests/reference/level4.R (R 4.2.2, sandwich 3.0-2, lmtest,
MASS, psych 2.2.9, lme4 1.1-31) on its fixed-seed panel level4_panel.csv (13 units x 6
periods, units u01-u05 trained from period 3); each literal names the R call that
produced it. ``d`` below is that panel; ``D = treated & post``.
"""

from __future__ import annotations

from math import comb
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evalkit.errors import ParameterError
from evalkit.metrics.counts import count_did, count_event_study, count_pretrend_test
from evalkit.metrics.impact import did, multilevel, pretrend_test
from evalkit.metrics.inference import (
    WEBB_WEIGHTS,
    randomization_inference,
    treatment_assignments,
    wild_cluster_bootstrap,
)

REF = Path(__file__).parent / "reference"
RTOL = 1e-9  # deterministic, fully converged fits
RTOL_NB = 1e-6  # glm.nb: theta.ml stops at its own tolerance


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    return pd.read_csv(REF / "level4_panel.csv")


# --- Poisson TWFE ---------------------------------------------------------------------
def test_poisson_did_matches_r_glm_vcovcl(panel):
    res = count_did(panel, "complaints")
    # m <- glm(complaints ~ D + factor(unit) + factor(period), poisson, control = tight)
    # V <- vcovCL(m, cluster = ~unit); coeftest(m, V, df = 12); exp(coefci(m, V, df = 12))
    assert res["family"] == "poisson"
    assert res["estimate"] == pytest.approx(-0.59729408310289, rel=RTOL)
    assert res["se"] == pytest.approx(0.125962788760367, rel=RTOL)
    assert res["t"] == pytest.approx(-4.74182962270855, rel=RTOL)
    assert res["rate_ratio"] == pytest.approx(0.550298685782076, rel=RTOL)
    assert res["n_obs"] == 78 and res["n_clusters"] == 13 and res["df"] == 12


def test_poisson_did_interval_and_p_match_r(panel):
    res = count_did(panel, "complaints")
    # coeftest(m, vcov = V, df = 12)[, 4]; exp(coefci(m, vcov = V, df = 12))
    assert res["p"] == pytest.approx(0.000478756988524214, rel=1e-8)
    assert res["ci_low"] == pytest.approx(0.418221775685943, rel=RTOL)
    assert res["ci_high"] == pytest.approx(0.724086265181499, rel=RTOL)
    normal = count_did(panel, "complaints", df_method="normal")
    assert np.isinf(normal["df"])
    # coeftest(m, vcov = V) (normal); exp(coefci(m, vcov = V))
    assert normal["p"] == pytest.approx(2.11796710977297e-06, rel=1e-8)
    assert normal["ci_low"] == pytest.approx(0.429911196037707, rel=RTOL)
    assert normal["ci_high"] == pytest.approx(0.704398132370222, rel=RTOL)
    # pois.lr = 0: glm.nb's theta runs to infinity, no overdispersion
    assert res["overdispersion_lr"] == pytest.approx(0.0, abs=1e-6)


def _ref() -> dict[str, float]:
    """level4_output.txt as a dict (only to check the quoted literals are the file's)."""
    out = {}
    for line in (REF / "level4_output.txt").read_text().splitlines():
        key, _, value = line.partition(" = ")
        out[key.strip()] = float(value)
    return out


def test_quoted_literals_are_the_reference_file():
    out = _ref()
    assert out["pois.estimate"] == -0.59729408310289
    assert out["pois.se"] == 0.125962788760367
    assert out["nb.theta"] == 3.27053679753064
    assert out["ri.pois.p"] == 0.00155400155400155
    assert out["wcr.score.p"] == 0.584228515625


# --- negative binomial ----------------------------------------------------------------
def test_negative_binomial_matches_r_glm_nb(panel):
    res = count_did(panel, "overdispersed")  # family="auto" picks NB: LR = 110.6
    # nb <- MASS::glm.nb(overdispersed ~ D + factor(unit) + factor(period), control = tight)
    assert res["family"] == "negbin"
    assert res["theta"] == pytest.approx(3.27053679753064, rel=RTOL_NB)
    assert res["estimate"] == pytest.approx(-0.759388649290001, rel=RTOL_NB)
    # vcovCL(nb, cluster = ~unit); coeftest(nb, V, df = 12)
    assert res["se"] == pytest.approx(0.286663628445135, rel=RTOL_NB)
    assert res["p"] == pytest.approx(0.0212159111141235, rel=1e-5)
    assert res["ci_low"] == pytest.approx(0.250580503019612, rel=1e-5)
    assert res["ci_high"] == pytest.approx(0.873888699246778, rel=1e-5)
    # 2 * (logLik(nb) - logLik(glm poisson)); pchisq(lr, 1, lower = FALSE) / 2
    assert res["overdispersion_lr"] == pytest.approx(110.621913838876, rel=RTOL_NB)
    assert res["overdispersion_p"] == pytest.approx(3.58018255085648e-26, rel=1e-4, abs=0)


def test_poisson_forced_on_overdispersed_count_matches_r(panel):
    res = count_did(panel, "overdispersed", family="poisson")
    # glm(overdispersed ~ D + factor(unit) + factor(period), poisson); vcovCL by unit
    assert res["family"] == "poisson"
    assert res["estimate"] == pytest.approx(-0.750254444812916, rel=1e-8)
    assert res["se"] == pytest.approx(0.308458225908054, rel=1e-8)
    assert res["rate_ratio"] == pytest.approx(0.472246376811594, rel=1e-8)


def test_count_did_hand_computed_two_periods():
    # two periods, unit + period FE: the Poisson MLE is the ratio of the four cell totals
    d = pd.DataFrame({"unit": list("aabbccdd"), "treated": [True] * 4 + [False] * 4,
                      "post": [False, True] * 4, "period": [1, 2] * 4,
                      "complaints": [10, 5, 8, 4, 6, 3, 9, 12]})  # fmt: skip
    res = count_did(d, "complaints", family="poisson")
    assert res["rate_ratio"] == pytest.approx((9 / 18) / (15 / 15), rel=1e-12)


def test_count_did_errors(panel):
    with pytest.raises(ParameterError, match="whole numbers"):
        count_did(panel.assign(complaints=panel["complaints"] + 0.5), "complaints")
    with pytest.raises(ParameterError, match="constant within"):
        count_did(panel.assign(treated=panel["period"] > 2), "complaints")
    with pytest.raises(ParameterError, match="only zero counts"):
        count_did(panel.assign(complaints=np.where(panel["unit"] == "u07", 0, panel["complaints"])),
                  "complaints")  # fmt: skip
    with pytest.raises(ParameterError, match="family"):
        count_did(panel, "complaints", family="gamma")
    with pytest.raises(ParameterError, match="df_method"):
        count_did(panel, "complaints", df_method="residual")
    with pytest.raises(ParameterError, match="'nope'"):
        count_did(panel, "nope")


# --- event studies and pre-trend tests --------------------------------------------------
def test_poisson_event_study_matches_r(panel):
    res = count_event_study(panel, "complaints", reference=2)
    # es <- glm(complaints ~ e0 + e1 + e3 + e4 + e5 + factor(unit) + factor(period), poisson)
    # coeftest(es, vcovCL(es, cluster = ~unit), df = 12); exp(coefci(es, V, df = 12))
    want = {
        "estimate": [
            0.0113879024507921,
            0.381890006918908,
            -0.214861930482488,
            -0.741254615943807,
            -0.415721608275353,
        ],
        "se": [
            0.131507599523704,
            0.0908603524282905,
            0.143349796222835,
            0.213886160736884,
            0.190359484266887,
        ],
        "p": [
            0.932421591826361,
            0.00122525486938145,
            0.159748094663255,
            0.00466825380421129,
            0.0495486012223758,
        ],
        "ci_low": [
            0.759463859563359,
            1.20192243651355,
            0.590258734226154,
            0.29901171461469,
            0.43584034022388,
        ],
        "ci_high": [
            1.34705179323132,
            1.78578431073868,
            1.10237885989764,
            0.759392350102964,
            0.999036542717471,
        ],
    }
    rows = res.drop(index=2)
    for col, values in want.items():
        assert rows[col].to_numpy() == pytest.approx(values, rel=1e-8), col
    assert res.loc[2, "estimate"] == 0 and np.isnan(res.loc[2, "se"])
    assert res.loc[2, "rate_ratio"] == 1
    assert res["estimate"].iloc[3] == pytest.approx(-0.214861930482598, rel=1e-7)


def test_poisson_pretrend_matches_r(panel):
    res = count_pretrend_test(panel, "complaints", reference=2, first_post=3)
    # b = coef(es)[c("e0","e1")]; W = b' solve(V[pre, pre]) b; pf(W / 2, 2, 12)
    assert res["chi2"] == pytest.approx(17.8107865027362, rel=1e-9)
    assert res["statistic"] == pytest.approx(8.90539325136808, rel=1e-9)
    assert res["p"] == pytest.approx(0.00425448376578358, rel=1e-8)
    assert res["p_chi2"] == pytest.approx(0.000135655326739771, rel=1e-8)
    assert (res["df1"], res["df2"]) == (2, 12)


def test_linear_pretrend_matches_r(panel):
    res = pretrend_test(panel, "score", reference=2, first_post=3)
    # lm(score ~ 0 + factor(period) + factor(period):treated); vcovCL(type = "HC1");
    # L picks periods 0, 1 minus period 2; W = (Lb)' (L V L')^-1 (Lb); pf(W / 2, 2, 12)
    assert res["chi2"] == pytest.approx(0.662217127389107, rel=1e-8)
    assert res["statistic"] == pytest.approx(0.331108563694554, rel=1e-8)
    assert res["p"] == pytest.approx(0.724484232427473, rel=1e-8)


def test_pretrend_errors(panel):
    with pytest.raises(ParameterError, match="no period before"):
        pretrend_test(panel, "score", reference=0, first_post=1)
    with pytest.raises(ParameterError, match="first_post"):
        count_pretrend_test(panel, "complaints", reference=2, first_post=9)
    with pytest.raises(ParameterError, match="reference"):
        count_event_study(panel, "complaints", reference=7)


# --- randomisation inference ------------------------------------------------------------
def test_assignments_enumerate_combn_order():
    a, exact = treatment_assignments(13, 5)
    assert exact and a.shape == (comb(13, 5), 13)
    assert (a.sum(axis=1) == 5).all() and len({tuple(r) for r in a}) == 1287
    assert np.flatnonzero(a[0]).tolist() == [0, 1, 2, 3, 4]  # combn(13, 5)[, 1]
    assert np.flatnonzero(a[-1]).tolist() == [8, 9, 10, 11, 12]


def test_assignments_sampled_are_seeded():
    a, exact = treatment_assignments(30, 10, max_exact=1000, draws=500, seed=3)
    b, _ = treatment_assignments(30, 10, max_exact=1000, draws=500, seed=3)
    c, _ = treatment_assignments(30, 10, max_exact=1000, draws=500, seed=4)
    assert not exact and a.shape == (500, 30) and (a.sum(axis=1) == 10).all()
    assert (a == b).all() and not (a == c).all()
    with pytest.raises(ParameterError, match="n_treated"):
        treatment_assignments(5, 5)


def test_randomization_inference_linear_matches_r(panel):
    res = randomization_inference(panel, "score")
    # stat <- apply(combn(13, 5), 2, lm(score ~ treated * post) coefficient); mean(|stat| >= |obs|)
    assert res["exact"] and res["n_assignments"] == 1287
    assert res["estimate"] == pytest.approx(0.49062583333333, rel=1e-9)
    assert res["n_as_extreme"] == 729
    assert res["p"] == pytest.approx(0.566433566433566, rel=1e-12)
    od = randomization_inference(panel, "overdispersed")
    assert od["p"] == pytest.approx(0.048951048951049, rel=1e-12)  # ri.linear_od.p


def test_randomization_inference_poisson_matches_r(panel):
    res = randomization_inference(panel, "complaints", model="poisson")
    # the same over glm(complaints ~ D + factor(unit) + factor(period), poisson)
    assert res["estimate"] == pytest.approx(-0.597294083103765, rel=1e-9)
    assert res["n_as_extreme"] == 2
    assert res["p"] == pytest.approx(0.00155400155400155, rel=1e-12)


def test_randomization_inference_sampled_p_formula(panel):
    res = randomization_inference(panel, "score", max_exact=100, draws=999, seed=1)
    assert not res["exact"] and res["n_assignments"] == 999
    assert res["p"] == (1 + res["n_as_extreme"]) / 1000
    again = randomization_inference(panel, "score", max_exact=100, draws=999, seed=1)
    assert again["p"] == res["p"]
    assert abs(res["p"] - 0.566433566433566) < 0.05  # close to the exact p


def test_randomization_inference_errors(panel):
    with pytest.raises(ParameterError, match="model"):
        randomization_inference(panel, "score", model="logit")
    with pytest.raises(ParameterError, match="whole numbers"):
        randomization_inference(panel, "score", model="poisson")


# --- wild cluster bootstrap -------------------------------------------------------------
def test_wild_bootstrap_matches_r_full_enumeration(panel):
    res = wild_cluster_bootstrap(panel, "score")
    # all 2^13 Rademacher vectors; y* = fitted(lm(y ~ treated + post)) + resid * w[unit];
    # t* = coef / sqrt(vcovCL(lm(y* ~ treated * post), ~unit, "HC1")); mean(|t*| >= |t|)
    assert res["enumerated"] and res["n_draws"] == 8192 and res["weights"] == "rademacher"
    assert res["t"] == pytest.approx(0.604350149781089, rel=1e-9)
    assert res["p"] == pytest.approx(0.584228515625, rel=1e-12)
    od = wild_cluster_bootstrap(panel, "overdispersed")
    assert od["t"] == pytest.approx(-2.20114417872321, rel=1e-9)
    assert od["p"] == pytest.approx(0.064453125, rel=1e-12)


def test_wild_bootstrap_t_is_did_t(panel):
    res = wild_cluster_bootstrap(panel, "score")
    ref = did(panel, "score")
    assert res["estimate"] == pytest.approx(ref["estimate"], rel=1e-12)
    assert res["t"] == pytest.approx(ref["t"], rel=1e-12)


def test_wild_bootstrap_webb_seeded_and_auto(panel):
    few = panel[panel["unit"].isin([f"u{k:02d}" for k in (1, 2, 3, 4, 9, 10, 11, 12, 13)])]
    res = wild_cluster_bootstrap(few, "score", draws=1999, seed=5)
    assert res["weights"] == "webb" and not res["enumerated"] and res["n_draws"] == 1999
    assert wild_cluster_bootstrap(few, "score", draws=1999, seed=5)["p"] == res["p"]
    assert wild_cluster_bootstrap(few, "score", draws=1999, seed=6)["p"] != res["p"]
    assert np.mean(WEBB_WEIGHTS) == 0 and np.mean(WEBB_WEIGHTS**2) == pytest.approx(1.0)
    sampled = wild_cluster_bootstrap(panel, "score", weights="rademacher", draws=999)
    assert not sampled["enumerated"] and abs(sampled["p"] - 0.584228515625) < 0.05


def test_wild_bootstrap_errors(panel):
    with pytest.raises(ParameterError, match="weights"):
        wild_cluster_bootstrap(panel, "score", weights="mammen")
    with pytest.raises(ParameterError, match="draws"):
        wild_cluster_bootstrap(panel, "score", draws=10)


# --- ICC interval -----------------------------------------------------------------------
def test_icc_interval_matches_psych_balanced():
    d = pd.read_csv(REF / "level345_dyestuff.csv")
    res = multilevel(d, "Yield", "Batch")
    # psych::ICC(matrix(Dyestuff$Yield, ncol = 5, byrow = TRUE), lmer = FALSE): ICC1 row
    assert res.icc == pytest.approx(0.418487414893367, rel=1e-4)
    assert res.icc_ci_low == pytest.approx(0.0838360506605948, rel=1e-9)
    assert res.icc_ci_high == pytest.approx(0.847876815473382, rel=1e-9)


def test_icc_interval_matches_r_unbalanced():
    d = pd.read_csv(REF / "level4_dyestuff_unbalanced.csv")
    res = multilevel(d, "Yield", "Batch")
    # aov(Yield ~ Batch) mean squares, n0 = 4.30769; F interval (Searle 1971)
    assert res.icc_ci_low == pytest.approx(0.0591544456493492, rel=1e-9)
    assert res.icc_ci_high == pytest.approx(0.855253260806703, rel=1e-9)
    # lmer(Yield ~ 1 + (1 | Batch), du, REML = TRUE): var_batch / total
    assert res.icc == pytest.approx(0.406436477915392, rel=1e-5)
    assert res.to_series()["icc_ci_low"] == res.icc_ci_low


def test_icc_interval_absent_with_predictors():
    d = pd.read_csv(REF / "level345_sleepstudy.csv")
    res = multilevel(d, "Reaction", "Subject", ["Days"])
    assert np.isnan(res.icc_ci_low) and np.isnan(res.icc_ci_high)
