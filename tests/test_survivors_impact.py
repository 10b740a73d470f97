"""Survivor tests of evalkit/metrics/impact.py (mutation testing, issue #15).

Reference values come from tests/reference/survivors_impact.R (R 4.2.2, sandwich,
lmtest, clubSandwich, lme4 1.1-31; printed in survivors_impact_output.txt), or are hand
calculations written beside the test.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evalkit.errors import EvalkitWarning, ParameterError
from evalkit.metrics.impact import did, multilevel, rate_change

REF = Path(__file__).parent / "reference"
RTOL = 1e-9


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    """level4_panel.csv without the first period of u01 and u07 and the last of u13 (75 rows)."""
    p = pd.read_csv(REF / "level4_panel.csv")
    drop = (p["unit"].isin(["u01", "u07"]) & (p["period"] == 0)) | (
        (p["unit"] == "u13") & (p["period"] == 5)
    )
    return p[~drop].reset_index(drop=True)


# --- did ----------------------------------------------------------------------------------
def test_did_covariate_unbalanced_level_90_matches_r(panel):
    assert len(panel) == 75  # panel_n
    out = did(panel, "score", covariates=["period"], ci=0.9)
    # cr1_cov: coeftest(m, vcov = vcovCL(m, ~unit, "HC1"), df = 12), coefci(level = 0.9)
    assert out["estimate"] == pytest.approx(0.819051871304154, rel=RTOL)
    assert out["se"] == pytest.approx(0.915896716014975, rel=RTOL)
    assert out["t"] == pytest.approx(0.8942622644918, rel=RTOL)
    assert out["p"] == pytest.approx(0.388765709016094, rel=RTOL)
    assert out["ci_low"] == pytest.approx(-0.813339447909414, rel=RTOL)
    assert out["ci_high"] == pytest.approx(2.45144319051772, rel=RTOL)
    assert out["df"] == 12 and out["n_obs"] == 75 and out["n_clusters"] == 13


def test_did_covariate_residual_df_matches_r(panel):
    out = did(panel, "score", covariates=["period"], ci=0.9, df_method="residual")
    # cr1_cov_resid: coeftest(m, vcov = V), coefci(level = 0.9): N - K = 75 - 5 = 70 df
    assert out["df"] == 70
    assert out["t"] == pytest.approx(0.8942622644918, rel=RTOL)
    assert out["p"] == pytest.approx(0.374246079512509, rel=RTOL)
    assert out["ci_low"] == pytest.approx(-0.707669625941009, rel=RTOL)
    assert out["ci_high"] == pytest.approx(2.34577336854932, rel=RTOL)


def test_did_cr2_with_a_covariate_matches_clubsandwich(panel):
    out = did(panel, "score", covariates=["period"], ci=0.9, vcov="CR2")
    # cr2_cov: coef_test(m, vcovCR(m, unit, "CR2"), "Satterthwaite")[5, ], conf_int(level = 0.9)
    assert out["estimate"] == pytest.approx(0.819051871304154, rel=RTOL)
    assert out["se"] == pytest.approx(0.953124524585845, rel=RTOL)
    assert out["df"] == pytest.approx(8.60456646897457, rel=1e-8)
    assert out["p"] == pytest.approx(0.413455648010175, rel=1e-8)
    assert out["ci_low"] == pytest.approx(-0.937319104433238, rel=1e-8)
    assert out["ci_high"] == pytest.approx(2.57542284704155, rel=1e-8)


# --- rate_change --------------------------------------------------------------------------
class _Record:
    """A mapping without ``get`` (keys and items only), as dict() accepts it."""

    def __init__(self, **values):
        self._values = values

    def keys(self):
        return self._values.keys()

    def __contains__(self, key):
        return key in self._values

    def __getitem__(self, key):
        return self._values[key]


def test_rate_change_of_a_mapping_without_get():
    res = rate_change(_Record(rate_ratio=0.5, ci_low=0.25, ci_high=1.5, n_clusters=13))
    # (0.5 - 1) x 100 = -50, (0.25 - 1) x 100 = -75, (1.5 - 1) x 100 = 50
    assert res.tolist()[:3] == [-50.0, -75.0, 50.0]
    assert res["n_clusters"] == 13.0 and np.isnan(res["n_obs"])
    assert res.name == "rate_change"


# --- multilevel ---------------------------------------------------------------------------
RTOL_ML = 2e-6  # REML optimum: statsmodels' Powell against lme4's


@pytest.fixture(scope="module")
def sleep() -> pd.DataFrame:
    """sleepstudy without Days 0 of subjects 308 and 309 and Days 9 of 310 (177 rows)."""
    s = pd.read_csv(REF / "level345_sleepstudy.csv")
    drop = (s["Subject"].isin([308, 309]) & (s["Days"] == 0)) | (
        (s["Subject"] == 310) & (s["Days"] == 9)
    )
    s = s[~drop].reset_index(drop=True)
    return s.assign(late=s["Days"] >= 5)


def test_multilevel_unbalanced_two_predictors_level_90_matches_lme4(sleep):
    out = multilevel(sleep, "Reaction", "Subject", ["Days", "late"], ci=0.9)
    assert (out.n_obs, out.n_groups) == (177, 18)  # sleep_n
    # ml_var: as.data.frame(VarCorr(lmer(Reaction ~ Days + late + (1 | Subject), s)))$vcov
    assert out.var_group == pytest.approx(1433.15319902795, rel=RTOL_ML)
    assert out.var_resid == pytest.approx(940.846250162975, rel=RTOL_ML)
    assert out.icc == pytest.approx(1433.15319902795 / (1433.15319902795 + 940.846250162975),
                                    rel=RTOL_ML)  # fmt: skip
    f = out.fixed
    assert f.index.tolist() == ["Intercept", "Days", "late"] and f.index.name == "term"
    assert f.columns.tolist() == ["estimate", "se", "z", "p", "ci_low", "ci_high"]
    # ml_est, ml_se, ml_z: summary(m)$coefficients; ml_p: 2 * pnorm(-|t|)
    np.testing.assert_allclose(
        f["estimate"], [251.899232710076, 9.82851161039464, 5.10906350214996], rtol=RTOL_ML
    )
    np.testing.assert_allclose(
        f["se"], [10.0868134699986, 1.64779447371457, 9.33595860062786], rtol=RTOL_ML
    )
    np.testing.assert_allclose(
        f["z"], [24.9731229252236, 5.96464654250147, 0.547245732409992], rtol=RTOL_ML
    )
    np.testing.assert_allclose(
        f["p"], [1.197857849712e-137, 2.45164157094476e-09, 0.584209921061191], rtol=1e-4
    )
    # ml_low, ml_high: confint(m, method = "Wald", parm = "beta_", level = 0.9)
    np.testing.assert_allclose(
        f["ci_low"], [235.307900989566, 7.11813089383464, -10.2472218631616], rtol=RTOL_ML
    )
    np.testing.assert_allclose(
        f["ci_high"], [268.490564430586, 12.5388923269546, 20.4653488674615], rtol=RTOL_ML
    )
    # ml_reml: REMLcrit(m), -2 x the REML log-likelihood
    assert out.reml_criterion == pytest.approx(1747.04185443263, rel=1e-9)
    assert out.converged is True and out.ci == 0.9
    assert np.isnan(out.icc_ci_low) and np.isnan(out.icc_ci_high)


def test_multilevel_se_is_lme4s_on_unbalanced_groups():
    # statsmodels' cov_params() (the joint inverse Hessian) gave 18.95622 here, 1e-4 off
    du = pd.read_csv(REF / "level4_dyestuff_unbalanced.csv")
    out = multilevel(du, "Yield", "Batch", ci=0.8)
    # du_var: VarCorr(lmer(Yield ~ 1 + (1 | Batch), du)); du_fixed: estimate, se, t and
    # confint(m, method = "Wald", level = 0.8); du_reml: REMLcrit(m)
    assert out.var_group == pytest.approx(1602.15752952859, rel=RTOL_ML)
    assert out.var_resid == pytest.approx(2339.8054009299, rel=RTOL_ML)
    row = out.fixed.loc["Intercept"]
    assert row["estimate"] == pytest.approx(1533.07281938035, rel=1e-9)
    assert row["se"] == pytest.approx(18.9543558432532, rel=RTOL_ML)
    assert row["z"] == pytest.approx(80.8823487360057, rel=RTOL_ML)
    assert row["ci_low"] == pytest.approx(1508.78183497554, rel=1e-8)
    assert row["ci_high"] == pytest.approx(1557.36380378516, rel=1e-8)
    assert out.reml_criterion == pytest.approx(274.981324547975, rel=1e-9)
    # du80: the ICC(1) F interval at level 0.8 (aov mean squares, n0 = 4.30769)
    assert out.icc_ci_low == pytest.approx(0.178611783189134, rel=1e-9)
    assert out.icc_ci_high == pytest.approx(0.742225068539776, rel=1e-9)
