"""Survivor tests of evalkit/metrics/impact.py (mutation testing, issue #15).

Reference values come from tests/reference/survivors_impact.R (R 4.2.2, sandwich,
lmtest, clubSandwich, lme4 1.1-31; printed in survivors_impact_output.txt), or are hand
calculations written beside the test.
"""

from __future__ import annotations

import dis
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from messages import raises

import evalkit.metrics.impact as impact_module
from evalkit.errors import EvalkitWarning, ParameterError
from evalkit.metrics.impact import did, event_study, multilevel, pretrend_test, rate_change

REF = Path(__file__).parent / "reference"
RTOL = 1e-9


def _points_at_the_caller(w: warnings.WarningMessage) -> bool:
    """The warning is attributed to the line that called the public function.

    Under mutation testing each function of impact.py runs through two frames of mutmut's
    own (its wrapper, then the trampoline that picks the mutant), so the frame the
    original's stacklevel reaches is the private function's wrapper (one code object,
    the public functions' ``__code__``); one level less is the trampoline, one more the
    public function's body in impact.py.
    """
    code = impact_module.did.__code__
    if "mutmut" in code.co_filename:
        lines = {line for _, line in dis.findlinestarts(code)}
        return w.filename == code.co_filename and w.lineno in lines
    return w.filename == __file__


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


def test_did_perfect_fit_warning_text_and_nans():
    # by hand: treated 1 -> 3, control 1 -> 2 in every unit, so DiD = 2 - 1 = 1 with all
    # residuals 0: se 0, and t, p and the interval NaN
    d = pd.DataFrame(
        {
            "unit": list("aabbccdd"),
            "treated": [True] * 4 + [False] * 4,
            "post": [False, True] * 4,
            "y": [1.0, 3.0, 1.0, 3.0, 1.0, 2.0, 1.0, 2.0],
        }
    )
    with pytest.warns(EvalkitWarning) as record, np.errstate(all="raise"):
        out = did(d, "y")  # t = 1 / 0 is computed, silently, and replaced by NaN
    assert [str(w.message) for w in record] == [
        "did: standard error is zero or undefined (a perfect fit?); t, p and the interval are NaN"
    ]
    assert _points_at_the_caller(record[0])
    assert out["estimate"] == pytest.approx(1.0, rel=1e-12) and out["se"] == pytest.approx(
        0.0, abs=1e-12
    )
    assert np.isnan(out[["t", "p", "ci_low", "ci_high"]].to_numpy(dtype=float)).all()


def test_did_missing_rows_warning_text_and_place(panel):
    d = panel.copy()
    d.loc[[0, 5], "score"] = np.nan
    d.loc[9, "period"] = np.nan
    with pytest.warns(EvalkitWarning) as record:
        out = did(d, "score", covariates=["period"])
    assert [str(w.message) for w in record] == [
        "did: 3 row(s) with a missing value in ['score', 'treated', 'post', 'unit', 'period'] "
        "dropped"
    ]
    assert _points_at_the_caller(record[0])
    assert out["n_obs"] == 72 and out["n_clusters"] == 13


def test_event_study_reference_row_is_computed_silently():
    # the reference row's difference and variance are exactly 0: t = 0 / 0 is computed
    # under errstate and the row's se, t, p and interval are NaN, with no warning
    p = pd.read_csv(REF / "level4_panel.csv")
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        out = event_study(p, "score", reference=2)
    assert out.loc[2, "estimate"] == 0.0
    assert out.loc[2, ["se", "t", "p", "ci_low", "ci_high"]].isna().all()


def test_did_two_clusters_is_enough(panel):
    d = panel.assign(half=np.where(panel["unit"] <= "u07", "first", "second"))
    out = did(d, "score", cluster="half")
    # two_clusters: coeftest(m, vcov = vcovCL(m, ~half, "HC1"), df = 1), coefci(df = 1)
    assert out["n_clusters"] == 2 and out["df"] == 1
    np.testing.assert_allclose(
        out[["estimate", "se", "t", "p", "ci_low", "ci_high"]].to_numpy(dtype=float),
        [0.827225403726738, 0.800583461036045, 1.03327815772788, 0.489581532777061,
         -9.34515196059259, 10.9996027680461],
        rtol=RTOL,
    )  # fmt: skip
    with pytest.raises(ParameterError) as err:
        did(d.assign(half="all"), "score", cluster="half")
    assert str(err.value) == (
        "did: column 'half' (cluster) has 1 distinct value(s); cluster-robust errors need at "
        "least 2 clusters"
    )


def test_did_covariate_messages(panel):
    with pytest.raises(ParameterError) as err:
        did(panel.assign(size=panel["unit"]), "score", covariates=["size"])
    assert str(err.value) == "did: column 'size' must be numeric, got dtype str (e.g. value 'u01')"
    with pytest.raises(ParameterError) as err:
        did(panel.assign(size=1.0), "score", covariates=["size"])
    assert str(err.value) == (
        "did: the design is collinear (rank 4 < 5 columns: ['Intercept', 'treated', 'post', "
        "'treated:post', 'size']); drop a covariate that is constant or duplicates another"
    )


def test_did_covariate_named_twice_or_the_cluster_is_a_parameter_error(panel):
    # both raised pandas' own errors (a column selected twice is a DataFrame)
    with pytest.raises(ParameterError) as err:
        did(panel, "score", covariates=["period", "period"])
    assert str(err.value) == (
        "did: the design is collinear (rank 5 < 6 columns: ['Intercept', 'treated', 'post', "
        "'treated:post', 'period', 'period']); drop a covariate that is constant or "
        "duplicates another"
    )
    with pytest.raises(ParameterError, match="did: column 'unit' must be numeric"):
        did(panel, "score", covariates=["unit"])


def test_did_as_many_rows_as_coefficients_is_refused():
    # one row per treated x post cell: 4 rows for the 4 coefficients (a saturated fit with
    # N - K = 0, whose CR1 factor (N - 1) / (N - K) would divide by 0)
    d = pd.DataFrame({"unit": list("aabb"), "treated": [True, True, False, False],
                      "post": [False, True] * 2, "y": [1.0, 2.0, 4.0, 3.0]})  # fmt: skip
    with pytest.raises(ParameterError) as err:
        did(d, "y")
    assert str(err.value) == (
        "did: 4 complete rows for 4 coefficients; need more rows than coefficients"
    )


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


DYESTUFF2 = [7.298, 3.846, 2.434, 9.566, 7.99, 5.22, 6.556, 0.608, 11.788, -0.892, 0.11, 10.386,
             13.434, 5.51, 8.166, 2.212, 4.852, 7.092, 9.288, 4.98, 0.282, 9.014, 4.458, 9.446,
             7.198, 1.722, 4.782, 8.106, 0.758, 3.758]  # fmt: skip


def test_multilevel_boundary_fit_dyestuff2_level_90_matches_lme4():
    d = pd.DataFrame({"Batch": np.repeat(list("ABCDEF"), 5), "Yield": DYESTUFF2})
    with pytest.warns(EvalkitWarning) as record:
        out = multilevel(d, "Yield", "Batch", ci=0.9)
    assert [str(w.message) for w in record] == [
        "multilevel: the variance of the 'Batch' intercept is estimated at 0 (boundary fit); "
        "ICC is 0"
    ]
    # d2_var, d2_fixed, d2_reml: lmer(Yield ~ 1 + (1 | Batch), Dyestuff2) (a singular fit)
    assert out.var_group == 0.0 and out.icc == 0.0
    assert out.var_resid == pytest.approx(13.8063096275862, rel=1e-7)
    row = out.fixed.loc["Intercept"]
    assert row["estimate"] == pytest.approx(5.6656, rel=1e-9)
    assert row["se"] == pytest.approx(0.678388031232524, rel=1e-7)
    assert row["z"] == pytest.approx(8.35156243795531, rel=1e-7)
    # Wald at 0.9: 5.6656 -+ qnorm(0.95) x 0.678388031232524, qnorm(0.95) = 1.64485362695147
    assert row["ci_low"] == pytest.approx(5.6656 - 1.64485362695147 * 0.678388031232524, rel=1e-7)
    assert row["ci_high"] == pytest.approx(5.6656 + 1.64485362695147 * 0.678388031232524, rel=1e-7)
    assert out.reml_criterion == pytest.approx(161.828277812288, rel=1e-9)
    # d2_90: the F interval's lower bound -0.186849 is clipped to 0; the upper is 0.233728
    assert out.icc_ci_low == 0.0
    assert out.icc_ci_high == pytest.approx(0.233727882765352, rel=1e-9)
    s = out.to_series()
    assert s.index.tolist() == [
        "icc", "var_group", "var_resid", "n_obs", "n_groups", "icc_ci_low", "icc_ci_high"
    ]  # fmt: skip
    assert s.tolist() == [0.0, 0.0, out.var_resid, 30, 6, 0.0, out.icc_ci_high]
    # at 0.95 (d2_95): -0.197089 clipped to 0, 0.333483020000206
    with pytest.warns(EvalkitWarning, match="boundary fit"):
        wide = multilevel(d, "Yield", "Batch")
    assert wide.icc_ci_low == 0.0 and wide.ci == 0.95
    assert wide.icc_ci_high == pytest.approx(0.333483020000206, rel=1e-9)


def test_multilevel_equal_group_means_by_hand():
    # three groups of 1, 2, 3 in some order: every group mean is 2, so MSB = 0 and F = 0:
    # both F bounds are (0 - 1) / (0 + n0 - 1) < 0 and clip to 0. At the boundary the REML
    # residual variance is the sample variance, 6 / 8 = 0.75; the intercept's se is
    # sqrt(0.75 / 9), z = 2 / se, p = 2 * pnorm(-z)
    d = pd.DataFrame({"g": np.repeat(list("abc"), 3), "y": [1.0, 2, 3, 3, 1, 2, 2, 3, 1]})
    with pytest.warns(EvalkitWarning, match="boundary fit"):
        out = multilevel(d, "y", "g")
    assert (out.icc_ci_low, out.icc_ci_high) == (0.0, 0.0)
    assert out.var_resid == pytest.approx(0.75, rel=1e-6)
    se = np.sqrt(0.75 / 9)
    assert out.fixed.loc["Intercept", "se"] == pytest.approx(se, rel=1e-6)
    assert out.fixed.loc["Intercept", "z"] == pytest.approx(2 / se, rel=1e-6)


def test_multilevel_missing_rows_and_messages(sleep):
    d = sleep.assign(late=sleep["late"].astype(float))
    d.loc[3, "Reaction"] = np.nan
    d.loc[7, "late"] = np.nan
    with pytest.warns(EvalkitWarning) as record:
        out = multilevel(d, "Reaction", "Subject", ["Days", "late"])
    assert [str(w.message) for w in record] == [
        "multilevel: 2 row(s) with a missing value in ['Reaction', 'Subject', 'Days', 'late'] "
        "dropped"
    ]
    assert _points_at_the_caller(record[0])
    assert out.n_obs == 175
    with pytest.raises(ParameterError) as err:
        multilevel(sleep, "Reaction", "Subject", ["Days", "Reaction"])
    assert str(err.value) == (
        "multilevel: parameter 'predictors' must not contain the outcome or group column, "
        "got ['Days', 'Reaction']"
    )
    with pytest.raises(ParameterError) as err:
        multilevel(sleep.assign(Subject="s"), "Reaction", "Subject")
    assert str(err.value) == (
        "multilevel: column 'Subject' (group) has 1 distinct value(s); a random intercept "
        "needs at least 2 groups"
    )
    with pytest.raises(ParameterError) as err:
        multilevel(sleep.iloc[[0, 1, 10]], "Reaction", "Subject", ["Days", "late"])
    assert str(err.value) == ("multilevel: 3 complete rows for 3 fixed effects; need at least 5")
    with pytest.raises(ParameterError) as err:
        multilevel(sleep.assign(d2=sleep["Days"] * 2), "Reaction", "Subject", ["Days", "d2"])
    assert str(err.value) == (
        "multilevel: predictors ['Days', 'd2'] are constant or collinear with each other"
    )


# --- event_study, pretrend_test -----------------------------------------------------------
ES_EST = [1.30438214285712, 1.02967, 1.22965500000001, 1.54609250000001, 1.63469000000001,
          2.91068571428574]  # fmt: skip
ES_SE = [2.95654243655881, 2.30716165014669, 2.03397608064129, 2.3358388663963, 1.4309914466364,
         2.37415436593124]  # fmt: skip
ES_P = [0.666923189876601, 0.663332266013772, 0.556731701348025, 0.520543601386122,
        0.275590660438942, 0.243718501370064]  # fmt: skip
ES_LOW = [-3.96502664957076, -3.08235549792779, -2.39547525701534, -2.61704404358012,
          -0.915748247580669, -1.32074006730402]  # fmt: skip
ES_HIGH = [6.57379093528501, 5.14169549792779, 4.85478525701536, 5.70922904358014,
           4.18512824758069, 7.14211149587549]  # fmt: skip
ES_MEAN_T = [70.324125, 70.69502, 71.61998, 72.71298, 73.54274, 74.2792]
ES_MEAN_C = [69.0197428571429, 69.66535, 70.390325, 71.1668875, 71.90805, 71.3685142857143]
REL_EST = [0.0747271428571157, -0.199985000000005, 0.0, 0.316437500000005, 0.405035000000002,
           1.68103071428573]  # fmt: skip
REL_SE = [1.75457045844381, 1.49457303424262, 1.64390020340288, 1.49281653945367,
          1.71063367191921]  # fmt: skip
REL_P = [0.966728835634096, 0.895772720248114, 0.850576096010634, 0.790753953345329,
         0.345156274836069]  # fmt: skip
REL_LOW = [-3.0524219507372, -2.86374391993967, -2.61346537525434, -2.25559334113576,
           -1.36781039145059]  # fmt: skip
REL_HIGH = [3.20187623645144, 2.46377391993966, 3.24634037525435, 3.06566334113576,
            4.72987182002205]  # fmt: skip


@pytest.fixture(scope="module")
def text_periods(panel) -> pd.DataFrame:
    # "p0".."p5"; u01 has no p0, so the periods first appear as p1, ..., p5, p0
    return panel.assign(per="p" + panel["period"].astype(str)).drop(columns="period")


def test_event_study_unbalanced_text_periods_level_90_matches_r(text_periods):
    out = event_study(text_periods, "score", period="per", ci=0.9)
    assert out.index.tolist() == [f"p{k}" for k in range(6)] and out.index.name == "per"
    assert out.columns.tolist() == ["n_treated", "n_control", "mean_treated", "mean_control",
                                    "estimate", "se", "t", "p", "ci_low", "ci_high"]  # fmt: skip
    # es_*: lm(score ~ 0 + factor(per) + factor(per):treated), vcovCL(~unit, "HC1"),
    # t on 12 df, level 0.9; es_n_t, es_n_c, es_mean_t, es_mean_c: table and tapply
    assert out["n_treated"].tolist() == [4, 5, 5, 5, 5, 5]
    assert out["n_control"].tolist() == [7, 8, 8, 8, 8, 7]
    np.testing.assert_allclose(out["mean_treated"], ES_MEAN_T, rtol=1e-12)
    np.testing.assert_allclose(out["mean_control"], ES_MEAN_C, rtol=1e-12)
    np.testing.assert_allclose(out["estimate"], ES_EST, rtol=1e-9)
    np.testing.assert_allclose(out["se"], ES_SE, rtol=1e-9)
    np.testing.assert_allclose(out["t"], np.array(ES_EST) / np.array(ES_SE), rtol=1e-9)
    np.testing.assert_allclose(out["p"], ES_P, rtol=1e-9)
    np.testing.assert_allclose(out["ci_low"], ES_LOW, rtol=1e-9)
    np.testing.assert_allclose(out["ci_high"], ES_HIGH, rtol=1e-9)


def test_event_study_relative_unbalanced_level_90_matches_r(text_periods):
    out = event_study(text_periods, "score", period="per", reference="p2", ci=0.9)
    # rel_*: L b and sqrt(diag(L V L')) with L = I - e_3 (the difference from p2)
    np.testing.assert_allclose(out["estimate"], REL_EST, rtol=1e-9, atol=1e-12)
    rows = out.drop(index="p2")
    np.testing.assert_allclose(rows["se"], REL_SE, rtol=1e-9)
    np.testing.assert_allclose(rows["p"], REL_P, rtol=1e-9)
    np.testing.assert_allclose(rows["ci_low"], REL_LOW, rtol=1e-9)
    np.testing.assert_allclose(rows["ci_high"], REL_HIGH, rtol=1e-9)
    assert out.loc["p2", ["se", "t", "p", "ci_low", "ci_high"]].isna().all()
    np.testing.assert_allclose(out["mean_treated"], ES_MEAN_T, rtol=1e-12)


def test_pretrend_test_unbalanced_matches_r(text_periods):
    res = pretrend_test(text_periods, "score", period="per", reference="p2", first_post="p3")
    # pt_*: W = (L b)' (L V L')^-1 (L b) over p0, p1; pf(W / 2, 2, 12); pchisq(W, 2)
    assert res["chi2"] == pytest.approx(0.0236484728890357, rel=1e-8)
    assert res["statistic"] == pytest.approx(0.0118242364445178, rel=1e-8)
    assert res["p"] == pytest.approx(0.988256894178107, rel=1e-9)
    assert res["p_chi2"] == pytest.approx(0.988245395122313, rel=1e-9)
    assert (res["df1"], res["df2"], res["n_clusters"]) == (2, 12, 13)
    # pt1_*: reference p1, first post p4: p0, p2 and p3 against p1
    res = pretrend_test(text_periods, "score", period="per", reference="p1", first_post="p4")
    assert res["chi2"] == pytest.approx(0.176034749566861, rel=1e-8)
    assert res["p"] == pytest.approx(0.980474642444932, rel=1e-9)
    assert res["df1"] == 3


def test_event_study_messages(text_periods):
    d = text_periods
    no_control = d[~((d["per"] == "p4") & ~d["treated"])]
    with pytest.raises(ParameterError) as err:
        event_study(no_control, "score", period="per")
    assert str(err.value) == (
        "event_study: period 'p4' has no control rows; every period needs both groups"
    )
    with pytest.raises(ParameterError) as err:
        pretrend_test(d, "score", period="per", reference="p9", first_post="p3")
    assert str(err.value) == (
        "pretrend_test: parameter 'reference' must be a period of column 'per', got 'p9'; "
        "periods: ['p0', 'p1', 'p2', 'p3', 'p4', 'p5']"
    )
    with pytest.raises(ParameterError) as err:
        event_study(d.assign(unit="u"), "score", period="per")
    assert str(err.value) == (
        "event_study: column 'unit' (cluster) has 1 distinct value(s); cluster-robust errors "
        "need at least 2 clusters"
    )


def test_multilevel_more_messages(sleep):
    with pytest.raises(ParameterError) as err:
        multilevel(sleep, "Reaction", "Subject", ci=95)
    assert str(err.value) == "multilevel: parameter 'ci' must be in (0, 1), got 95"
    with pytest.raises(ParameterError) as err:
        multilevel(sleep.assign(Reaction="x"), "Reaction", "Subject")
    assert str(err.value) == (
        "multilevel: column 'Reaction' must be numeric, got dtype str (e.g. value 'x')"
    )


def test_multilevel_icc_interval_undefined_without_within_group_variance():
    # every group constant: the within mean square is 0 and F = MSB / MSW is undefined,
    # so the interval is NaN (by hand; the fit itself is degenerate and not checked here)
    d = pd.DataFrame({"g": np.repeat(list("abc"), 3), "y": np.repeat([1.0, 2.0, 4.0], 3)})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = multilevel(d, "y", "g")
    assert np.isnan(out.icc_ci_low) and np.isnan(out.icc_ci_high)


def test_multilevel_boundary_is_relative_to_the_residual_variance():
    # Dyestuff2 in other units (x 1000): the boundary rule var_group <= 1e-6 var_resid is
    # scale-free, so the fit is still a boundary fit (lme4: batch variance 0, residual
    # 13.8063096275862e6, d2_var scaled)
    d = pd.DataFrame({"Batch": np.repeat(list("ABCDEF"), 5), "Yield": np.array(DYESTUFF2) * 1000})
    with pytest.warns(EvalkitWarning, match="boundary fit"):
        out = multilevel(d, "Yield", "Batch")
    assert out.var_group == 0.0 and out.icc == 0.0
    assert out.var_resid == pytest.approx(13.8063096275862e6, rel=1e-7)


def test_multilevel_fixed_effects_plus_two_rows_are_enough_and_a_clean_fit_is_silent(sleep):
    # the rule is "at least fixed effects + 2 rows": 3 rows (2 groups) for an intercept
    s = pd.read_csv(REF / "level345_sleepstudy.csv")
    out = multilevel(s.iloc[[0, 1, 10]], "Reaction", "Subject")
    assert (out.n_obs, out.n_groups) == (3, 2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a converged interior fit warns of nothing
        multilevel(sleep, "Reaction", "Subject", ["Days", "late"])


def test_event_study_and_pretrend_messages_name_the_function():
    p = pd.read_csv(REF / "level4_panel.csv")
    with pytest.raises(ParameterError) as err:
        event_study(p, "score", ci=1.5)
    assert str(err.value) == "event_study: parameter 'ci' must be in (0, 1), got 1.5"
    with pytest.raises(ParameterError) as err:
        pretrend_test(p, "score", reference=0, first_post=1)
    assert str(err.value) == (
        "pretrend_test: no period before 1 other than the reference; a pre-trend test needs "
        "at least two periods before the training"
    )
    with pytest.raises(ParameterError) as err:
        pretrend_test(p, "score", reference=2, first_post=9)
    assert (
        str(err.value)
        == "pretrend_test: parameter 'first_post' must be a period of the data, got 9"
    )


def test_multilevel_passes_on_statsmodels_convergence_warning():
    # six rows in three groups with a predictor: statsmodels converges (converged is True)
    # but warns (ConvergenceWarning) on the way; multilevel says so in its own words, once
    d = pd.DataFrame(
        {
            "g": [0, 0, 1, 1, 2, 2],
            "y": [-0.0584, -1.978, 2.0187, 1.4718, 0.7948, -0.5149],
            "x": [1.0248, 1.7335, 0.7145, -0.9724, -0.5392, 1.1095],
        }
    )
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        out = multilevel(d, "y", "g", ["x"])
    assert [str(w.message) for w in record] == [
        "multilevel: the REML optimiser reports a convergence problem; check the estimates"
    ]
    assert record[0].category is EvalkitWarning
    assert out.var_group > 0  # not the boundary branch


def test_event_study_counts_are_integers_and_two_clusters_are_enough(text_periods):
    out = event_study(text_periods, "score", period="per")
    assert out["n_treated"].dtype == np.int64 and out["n_control"].dtype == np.int64
    # two clusters (the units halved): the estimates are the differences of the period
    # means (es_mean_t - es_mean_c), whatever the clusters
    d = text_periods.assign(half=np.where(text_periods["unit"] <= "u07", "first", "second"))
    two = event_study(d, "score", period="per", cluster="half")
    np.testing.assert_allclose(
        two["estimate"], np.array(ES_MEAN_T) - np.array(ES_MEAN_C), rtol=1e-9, atol=1e-12
    )


def test_event_study_perfect_fit_and_saturated_design():
    # treated 1 -> 3, control 1 -> 2 in every unit: each period's difference is exact
    # (0, then 1) with zero residuals, so se is 0 and the warning names event_study
    d = pd.DataFrame(
        {
            "unit": list("aabbccdd"),
            "treated": [True] * 4 + [False] * 4,
            "period": [0, 1] * 4,
            "y": [1.0, 3.0, 1.0, 3.0, 1.0, 2.0, 1.0, 2.0],
        }
    )
    with pytest.warns(EvalkitWarning) as record:
        out = event_study(d, "y")
    assert [str(w.message) for w in record] == [
        "event_study: standard error is zero or undefined (a perfect fit?); t, p and the "
        "interval are NaN"
    ]
    assert _points_at_the_caller(record[0])
    np.testing.assert_allclose(out["estimate"], [0.0, 1.0], atol=1e-12)
    # one treated and one control row per period: 4 rows for 4 coefficients
    with pytest.raises(ParameterError) as err:
        event_study(d[d["unit"].isin(["a", "c"])], "y")
    assert str(err.value) == (
        "event_study: 4 complete rows for 4 coefficients; need more rows than coefficients"
    )


def test_event_study_column_messages_and_missing_rows():
    p = pd.read_csv(REF / "level4_panel.csv")
    with pytest.raises(ParameterError) as err:
        event_study(p.assign(score="x"), "score")
    assert str(err.value) == (
        "event_study: column 'score' must be numeric, got dtype str (e.g. value 'x')"
    )
    with pytest.raises(ParameterError) as err:
        event_study(p.assign(treated=p["unit"]), "score")
    assert str(err.value) == (
        "event_study: column 'treated' must be boolean (True/False or 0/1), got values "
        "['u01', 'u02', 'u03', 'u04', 'u05']"
    )
    d = p.copy()
    d.loc[0, "score"] = np.nan
    with pytest.warns(EvalkitWarning) as record:
        out = event_study(d, "score")
    assert [str(w.message) for w in record] == [
        "event_study: 1 row(s) with a missing value in ['score', 'treated', 'period', 'unit'] "
        "dropped"
    ]
    assert out["n_treated"].sum() + out["n_control"].sum() == 77


def test_multilevel_refuses_an_outcome_without_variance_to_split():
    # a constant outcome was a ZeroDivisionError (ICC 0 / 0); an outcome the predictors
    # reproduce exactly gave z near 1e15
    with raises(
        "multilevel: column 'score' (outcome) has the one value 70.0 in all 4 complete "
        "rows; there is no variance to split between and within groups"
    ):
        multilevel(pd.DataFrame({"unit": [0, 0, 1, 1], "score": 70.0}), "score", "unit")
    d = pd.DataFrame({"unit": [0, 0, 1, 1, 2, 2], "x": [1.0, 2, 3, 4, 5, 6]})
    d["score"] = 3 * d["x"] + 1
    with pytest.raises(ParameterError, match="reproduce every value") as err:
        multilevel(d, "score", "unit", predictors=["x"])
    left = str(err.value).split("variance left ")[1].split(")")[0]
    assert float(left) < 1e-12
    assert str(err.value) == (
        f"multilevel: the predictors ['x'] reproduce every value of 'score' exactly "
        f"(variance left {left}); there is no variance to split between and within groups"
    )
    # the message's variance left is var_group + var_resid of the same REML fit
    import statsmodels.api as sm

    exog = pd.DataFrame({"Intercept": 1.0, "x": d["x"]})
    with warnings.catch_warnings():  # the exact fit lies on the boundary, as it should
        warnings.simplefilter("ignore")
        fit = sm.MixedLM(d["score"].to_numpy(), exog, groups=d["unit"].to_numpy()).fit(
            reml=True, method=["powell", "bfgs", "lbfgs"]
        )
    assert left == f"{float(np.asarray(fit.cov_re).item()) + float(fit.scale):.1g}"
    # the bound is relative to the outcome's variance: in rupiah (x 1e6) an exact fit
    # leaves about 2e-19, far above 1e-12 / var(y)
    with pytest.raises(ParameterError, match="reproduce every value of 'score' exactly"):
        multilevel(d.assign(score=d["score"] * 1e6), "score", "unit", predictors=["x"])
    # one complete row is one value (the other row is left out, with its warning)
    with (
        pytest.warns(EvalkitWarning, match="1 row\\(s\\) with a missing value"),
        raises(
            "multilevel: column 'score' (outcome) has the one value 70.0 in all 1 complete "
            "rows; there is no variance to split between and within groups"
        ),
    ):
        multilevel(pd.DataFrame({"unit": [0, 1], "score": [70.0, np.nan]}), "score", "unit")
    # constant within each unit is not refused: the ICC is 1
    within = pd.DataFrame({"unit": [0, 0, 1, 1, 2, 2], "score": [70.0, 70, 80, 80, 75, 75]})
    assert multilevel(within, "score", "unit").icc == pytest.approx(1.0, abs=1e-9)


def test_pretrend_test_of_a_constant_outcome_is_a_clear_error():
    d = pd.DataFrame(
        {"unit": list("abcd") * 3, "treated": [True, True, False, False] * 3,
         "period": [0] * 4 + [1] * 4 + [2] * 4, "ikm": [70.0] * 12}
    )  # fmt: skip
    with pytest.raises(ParameterError, match="pretrend_test: the covariance of the 1 pre-"):
        pretrend_test(d, "ikm", reference=1, first_post=2)


def test_multilevel_of_a_small_scale_outcome_is_the_same_model():
    # ML is scale invariant: scores divided by 10 (variances by 100) give the same ICC,
    # and standard errors divided by 10 (from scores of about 0.7, statsmodels' optimiser
    # reports a convergence problem, though the ICC still agrees to 1e-10)
    rng = np.random.default_rng(1)
    unit = np.repeat(np.arange(8), 10)
    score = 70 + rng.normal(0, 4, 8)[unit] + rng.normal(0, 4, 80)
    big = multilevel(pd.DataFrame({"unit": unit, "score": score}), "score", "unit")
    small = multilevel(pd.DataFrame({"unit": unit, "score": score / 10}), "score", "unit")
    assert small.icc == pytest.approx(big.icc, rel=1e-8)
    assert small.var_resid == pytest.approx(big.var_resid / 100, rel=1e-8)
    assert small.fixed["se"].iloc[0] == pytest.approx(big.fixed["se"].iloc[0] / 10, rel=1e-8)
