"""Tests of evalkit.results (Level 4).

Reference values come from tests/reference/level345.R (R 4.2.2, sandwich 3.0-2, lmtest,
lme4 1.1-31); each literal names the R call that produced it.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evalkit.errors import EvalkitWarning, ParameterError
from evalkit.metrics.impact import MultilevelResult, did, event_study, multilevel
from evalkit.metrics.results import ikm, ikm_grade, jp_compliance, jp_denominator, skp_predicate

REF = Path(__file__).parent / "reference"
RTOL = 1e-6  # deterministic results: at least 6 significant digits
RTOL_MIXED = 1e-4  # mixed models: at least 4


def _csv(name: str) -> pd.DataFrame:
    return pd.read_csv(REF / f"level345_{name}.csv")


@pytest.fixture(scope="module")
def petersen() -> pd.DataFrame:
    d = _csv("petersen")
    return d.assign(treated=d["firm"] % 2 == 0, post=d["year"] >= 6)


# --- IKM ------------------------------------------------------------------------------
def test_ikm_hand_computed_with_fractions():
    answers = pd.DataFrame({f"u{i}": [(r + i) % 4 + 1 for r in range(7)] for i in range(1, 10)})
    expected_nrr = sum(Fraction(int(answers[c].sum()), 7) for c in answers) / 9
    out = ikm(answers)
    assert out["nrr"] == pytest.approx(float(expected_nrr), rel=1e-15)
    assert out["ikm"] == pytest.approx(float(expected_nrr * 25), rel=1e-15)
    assert out["n"] == 7
    assert out["nrr_u3"] == pytest.approx(answers["u3"].mean())


def test_ikm_matches_r_per_unit():
    data = _csv("ikm")
    out = ikm(data, by="unit")
    # d <- ikm[ikm$unit == u, paste0("u", 1:9)]; sum(colMeans(d)) / 9 * 25
    ref = {
        "Dukcapil": (9, 3.16049382716049, 79.0123456790123, "B"),
        "DPMPTSP": (11, 3.12121212121212, 78.030303030303, "B"),
        "Dinkes": (12, 2.93518518518519, 73.3796296296296, "C"),
        "Dinsos": (13, 2.95726495726496, 73.9316239316239, "C"),
    }
    for unit, (n, nrr, score, grade) in ref.items():
        assert out.loc[unit, "n"] == n
        assert out.loc[unit, "nrr"] == pytest.approx(nrr, rel=1e-12)
        assert out.loc[unit, "ikm"] == pytest.approx(score, rel=1e-12)
        assert out.loc[unit, "grade"] == grade
    # sum(colMeans(ikm[, paste0("u", 1:9)])) / 9 * 25
    assert ikm(data)["ikm"] == pytest.approx(75.8024691358025, rel=1e-12)
    assert list(out.columns[:6]) == ["ikm", "nrr", "grade", "label", "label_en", "n"]


def test_ikm_by_equals_per_group_call():
    data = _csv("ikm")
    grouped = ikm(data, by="unit")
    for unit, sub in data.groupby("unit"):
        single = ikm(sub)
        for col in ("ikm", "nrr", *(f"nrr_u{i}" for i in range(1, 10))):
            assert grouped.loc[unit, col] == pytest.approx(single[col], rel=1e-9, abs=1e-12)
        assert grouped.loc[unit, "grade"] == single["grade"]


def test_ikm_by_series_and_several_columns():
    data = _csv("ikm").assign(period=lambda d: np.where(d.index % 2 == 0, "S1", "S2"))
    by_cols = ikm(data, by=["unit", "period"])
    assert by_cols.index.nlevels == 2
    by_series = ikm(data, by=data["unit"])
    pd.testing.assert_series_equal(by_series["ikm"], ikm(data, by="unit")["ikm"])


def test_ikm_does_not_mutate_input():
    data = _csv("ikm")
    before = data.copy()
    ikm(data, by="unit")
    pd.testing.assert_frame_equal(data, before)


def test_ikm_fewer_elements_and_missing_answers():
    answers = pd.DataFrame({"u1": [4, 4], "u2": [2, np.nan]})
    with pytest.warns(EvalkitWarning, match="1 missing answer"):
        out = ikm(answers, elements=["u1", "u2"])
    assert out["nrr"] == pytest.approx(3.0)  # (4 + 2) / 2
    assert out["n"] == 2


def test_ikm_element_without_answers_is_nan():
    answers = pd.DataFrame({f"u{i}": [3.0, 3.0] for i in range(1, 10)})
    answers["unit"] = ["a", "b"]
    answers.loc[0, "u4"] = np.nan
    with (
        pytest.warns(EvalkitWarning, match="element without answers"),
        pytest.warns(EvalkitWarning, match="1 missing answer"),
    ):
        out = ikm(answers, by="unit")
    assert np.isnan(out.loc["a", "ikm"]) and pd.isna(out.loc["a", "grade"])
    assert out.loc["b", "ikm"] == 75.0


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        (25.0, "D"),
        (64.99, "D"),
        (65.0, "C"),
        (76.60, "C"),
        (76.605, "C"),  # inside the regulation's gap: below the B lower bound, no rounding
        (76.6099999, "C"),
        (76.61, "B"),
        (88.30, "B"),
        (88.30999, "B"),
        (88.31, "A"),
        (100.0, "A"),
    ],
)
def test_ikm_grade_boundaries(score, grade):
    assert ikm_grade(score) == grade


def test_ikm_grade_vectorised_and_nan():
    out = ikm_grade(pd.Series([70.0, np.nan, 90.0], index=["x", "y", "z"]))
    assert out.tolist() == ["C", None, "A"]
    assert list(out.index) == ["x", "y", "z"]
    assert ikm_grade(float("nan")) is None
    # a computed score that is 76.61 up to floating point still reaches B
    assert ikm_grade(76.61 - 1e-12) == "B"


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"u3": 5}, r"ikm: column 'u3' must hold answers 1, 2, 3 or 4 \(row 0 has 5.0\)"),
        ({"u1": 2.5}, r"column 'u1' must hold answers 1, 2, 3 or 4 \(row 0 has 2.5\)"),
        ({"u2": 0}, r"column 'u2' must hold answers 1, 2, 3 or 4"),
        ({"u9": "baik"}, r"ikm: column 'u9' must be numeric, got dtype .* 'baik'"),
    ],
)
def test_ikm_bad_answers(change, match):
    answers = pd.DataFrame({f"u{i}": [3, 4] for i in range(1, 10)})
    for col, value in change.items():
        answers[col] = answers[col].astype(object)
        answers.loc[0, col] = value
        if not isinstance(value, str):
            answers[col] = answers[col].astype(float)
    with pytest.raises(ParameterError, match=match):
        ikm(answers)


def test_ikm_structural_errors():
    answers = pd.DataFrame({f"u{i}": [3] for i in range(1, 9)})
    with pytest.raises(ParameterError, match=r"ikm: responses has no column\(s\) \['u9'\]"):
        ikm(answers)
    with pytest.raises(ParameterError, match="ikm: parameter 'responses' has no rows"):
        ikm(pd.DataFrame({f"u{i}": [] for i in range(1, 10)}))
    with pytest.raises(ParameterError, match="ikm: parameter 'elements' must name at least"):
        ikm(answers, elements=[])
    with pytest.raises(ParameterError, match="ikm: parameter 'responses' must be a pandas"):
        ikm([[3] * 9])
    full = pd.DataFrame({f"u{i}": [3, 4] for i in range(1, 10)})
    with pytest.raises(ParameterError, match=r"ikm: parameter 'by' as a Series must have"):
        ikm(full, by=pd.Series(["a", "b", "c"]))
    with pytest.raises(ParameterError, match=r"ikm: data has no column\(s\) \['unit'\]"):
        ikm(full, by="unit")


@pytest.mark.parametrize(
    ("score", "match"),
    [
        (
            24.9,
            r"ikm_grade: parameter 'score' must be a converted IKM score in \[25, 100\], got 24.9",
        ),
        ([50, 101], r"got 101.0"),
        ("A", r"ikm_grade: column 'score' must be numeric"),
    ],
)
def test_ikm_grade_errors(score, match):
    with pytest.raises(ParameterError, match=match):
        ikm_grade(score)


# --- DiD ------------------------------------------------------------------------------
def test_did_matches_r_petersen(petersen):
    out = did(petersen, "y", cluster="firm")
    # m <- lm(y ~ treated * post, pcl); V <- vcovCL(m, cluster = pcl$firm, type = "HC1")
    # coeftest(m, vcov = V, df = 499)["treatedTRUE:postTRUE", ]; coefci(m, vcov = V, df = 499)
    np.testing.assert_allclose(
        out[["estimate", "se", "t", "p", "ci_low", "ci_high"]].to_numpy(dtype=float),
        [
            0.0684341263830624,
            0.0893137137495142,
            0.766221932893644,
            0.443906564795802,
            -0.107043152038869,
            0.243911404804994,
        ],
        rtol=RTOL,
    )
    assert out["n_obs"] == 5000 and out["n_clusters"] == 500 and out["df"] == 499
    assert list(out.index) == [
        "estimate",
        "se",
        "t",
        "df",
        "p",
        "ci_low",
        "ci_high",
        "n_obs",
        "n_clusters",
    ]


def test_did_residual_df_matches_coeftest_default(petersen):
    out = did(petersen, "y", cluster="firm", df_method="residual")
    # coeftest(m, vcov = V) and coefci(m, vcov = V): t with N - K = 4996 df
    np.testing.assert_allclose(
        out[["p", "ci_low", "ci_high"]].to_numpy(dtype=float),
        [0.443580460342399, -0.106659955191081, 0.243528207957205],
        rtol=RTOL,
    )
    assert out["df"] == 4996


def test_did_with_covariate_matches_r(petersen):
    out = did(petersen, "y", cluster="firm", covariates=["x"])
    # lm(y ~ treated * post + x, pcl); vcovCL(type = "HC1"); coeftest(df = 499); coefci(df = 499)
    np.testing.assert_allclose(
        out[["estimate", "se", "t", "p", "ci_low", "ci_high"]].to_numpy(dtype=float),
        [
            0.0660190518815382,
            0.0802418551084345,
            0.822750817417215,
            0.411042700359839,
            -0.0916344792373787,
            0.223672583000455,
        ],
        rtol=RTOL,
    )


def test_did_few_clusters_matches_r(petersen):
    small = petersen[petersen["firm"] <= 12]
    out = did(small, "y", cluster="firm")
    # subset(pcl, firm <= 12): coeftest(m, vcov = vcovCL(m, cluster = d$firm, type = "HC1"), df = 11)
    np.testing.assert_allclose(
        out[["estimate", "se", "t", "p", "ci_low", "ci_high"]].to_numpy(dtype=float),
        [
            -0.481475236018496,
            0.267486682651814,
            -1.79999703628323,
            0.0993163842920463,
            -1.07020945505728,
            0.107258983020287,
        ],
        rtol=RTOL,
    )
    res = did(small, "y", cluster="firm", df_method="residual")
    # coeftest(m, vcov = V) (df = 116) and coefci(m, vcov = V)
    np.testing.assert_allclose(
        res[["p", "ci_low", "ci_high"]].to_numpy(dtype=float),
        [0.07446019605916, -1.0112663149902, 0.0483158429532086],
        rtol=RTOL,
    )


def test_did_accepts_zero_one_and_drops_missing(petersen):
    small = petersen[petersen["firm"] <= 12].copy()
    small["treated"] = small["treated"].astype(int)
    ref = did(small, "y", cluster="firm")
    small.loc[small.index[0], "y"] = np.nan
    before = small.copy()
    with pytest.warns(EvalkitWarning, match=r"did: 1 row\(s\) with a missing value"):
        out = did(small, "y", cluster="firm")
    assert out["n_obs"] == 119 and out["estimate"] != ref["estimate"]
    pd.testing.assert_frame_equal(small, before)


def test_did_perfect_fit_warns():
    d = pd.DataFrame(
        {
            "unit": list("aabbccdd"),
            "treated": [True] * 4 + [False] * 4,
            "post": [False, True] * 4,
            "y": [1.0, 3.0, 1.0, 3.0, 1.0, 2.0, 1.0, 2.0],
        }
    )
    with pytest.warns(EvalkitWarning, match="standard error is zero"):
        out = did(d, "y")
    assert out["estimate"] == pytest.approx(1.0) and np.isnan(out["p"])


def _did_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "unit": list("aabbccdd"),
            "treated": [True] * 4 + [False] * 4,
            "post": [False, True] * 4,
            "y": [10.0, 6.0, 12.0, 7.0, 11.0, 10.0, 9.0, 9.0],
            "size": [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
        }
    )


@pytest.mark.parametrize(
    ("change", "kwargs", "match"),
    [
        ({"unit": ["a"] * 8}, {}, r"did: column 'unit' \(cluster\) has 1 distinct value\(s\)"),
        (
            {"treated": ["ya", "ya", "ya", "ya", "no", "no", "no", "no"]},
            {},
            r"did: column 'treated' must be boolean .*got values \['no', 'ya'\]",
        ),
        ({"post": [0, 2] * 4}, {}, r"did: column 'post' must be boolean"),
        (
            {"post": [False] * 8},
            {},
            r"did: no rows with treated=False and post=True; a DiD needs all four",
        ),
        ({"y": ["x"] * 8}, {}, r"did: column 'y' must be numeric"),
        ({}, {"covariates": ["size"]}, r"did: the design is collinear .*'size'"),
        ({}, {"cluster": "opd"}, r"did: data has no column\(s\) \['opd'\]"),
        ({}, {"ci": 95}, r"did: parameter 'ci' must be in \(0, 1\), got 95"),
        ({}, {"df_method": "bm"}, r"did: parameter 'df_method' must be 'cluster' or 'residual'"),
    ],
)
def test_did_errors(change, kwargs, match):
    d = _did_frame()
    for col, values in change.items():
        d[col] = values
    with pytest.raises(ParameterError, match=match):
        did(d, "y", **kwargs)


def test_did_docstring_example_by_hand():
    out = did(_did_frame(), "y")
    # (6 + 7)/2 - (10 + 12)/2 - ((10 + 9)/2 - (11 + 9)/2) = -4.5 + 0.5
    assert out["estimate"] == pytest.approx(-4.0)


# --- event study ----------------------------------------------------------------------
# d <- subset(pcl, firm <= 12); m <- lm(y ~ 0 + factor(year) + factor(year):treated, d)
# V <- vcovCL(m, cluster = d$firm, type = "HC1"); coeftest(m, vcov = V, df = 11); coefci(..., df = 11)
ES_ESTIMATE = [
    -2.27623124917348,
    -0.727613533536593,
    -1.37783027191957,
    0.368954916795095,
    -1.1616583665212,
    -0.380855391422907,
    -0.413886760671933,
    -2.20183447996775,
    -2.90120653808117,
    -1.68397151430448,
]
ES_SE = [
    1.11992479788858,
    1.39768722363368,
    1.2552350035197,
    1.26746179327459,
    1.32131383131007,
    1.3257194386119,
    1.0800583032799,
    1.19671190410039,
    1.50829424270338,
    1.5304098711374,
]
ES_P = [
    0.0669640579246603,
    0.612974104278905,
    0.295796464857332,
    0.776392297646782,
    0.398108349420681,
    0.779236033669915,
    0.708867980997347,
    0.0928999262873573,
    0.0806718922615029,
    0.294680589683902,
]
ES_CI_LOW = [
    -4.74116910974487,
    -3.803902371204,
    -4.140583887094,
    -2.42070968118542,
    -4.06985050105848,
    -3.29874420225271,
    -2.79107905822474,
    -4.83577962179773,
    -6.22093978332296,
    -5.05238092953565,
]
ES_CI_HIGH = [
    0.188706611397908,
    2.34867530413082,
    1.38492334325487,
    3.15861951477561,
    1.74653376801608,
    2.5370334194069,
    1.96330553688088,
    0.432110661862222,
    0.41852670716062,
    1.6844379009267,
]
# L %*% b and sqrt(diag(L V L')) with L = I - e_5 (difference from year 5); 2 * pt(-|t|, 11)
ES_REL = [
    -1.11457288265228,
    0.434044832984607,
    -0.216171905398369,
    1.5306132833163,
    0.0,
    0.780802975098293,
    0.747771605849267,
    -1.04017611344655,
    -1.73954817155997,
    -0.522313147783279,
]
ES_REL_SE = [
    0.924725822461647,
    1.0268692305853,
    0.717801773437824,
    0.93780220190857,
    np.nan,
    1.20874722472195,
    1.1099984483146,
    1.02465627289416,
    0.748669906153527,
    1.07918232021307,
]
ES_REL_P = [
    0.253375971276647,
    0.680667806065529,
    0.768910236262431,
    0.130923133641761,
    np.nan,
    0.53154956628683,
    0.514427815538017,
    0.331844652834631,
    0.0403270878763861,
    0.637884934836521,
]


def test_event_study_matches_r(petersen):
    small = petersen[petersen["firm"] <= 12]
    out = event_study(small, "y", period="year", cluster="firm")
    assert list(out.index) == list(range(1, 11))
    np.testing.assert_allclose(out["estimate"], ES_ESTIMATE, rtol=RTOL)
    np.testing.assert_allclose(out["se"], ES_SE, rtol=RTOL)
    np.testing.assert_allclose(out["p"], ES_P, rtol=RTOL)
    np.testing.assert_allclose(out["ci_low"], ES_CI_LOW, rtol=RTOL)
    np.testing.assert_allclose(out["ci_high"], ES_CI_HIGH, rtol=RTOL)
    means = small.groupby(["year", "treated"])["y"].mean().unstack()
    np.testing.assert_allclose(out["mean_treated"], means[True], rtol=1e-12)
    np.testing.assert_allclose(out["mean_control"], means[False], rtol=1e-12)
    assert (out["n_treated"] == 6).all() and (out["n_control"] == 6).all()


def test_event_study_relative_to_reference_matches_r(petersen):
    small = petersen[petersen["firm"] <= 12]
    out = event_study(small, "y", period="year", cluster="firm", reference=5)
    np.testing.assert_allclose(out["estimate"], ES_REL, rtol=RTOL, atol=1e-12)
    np.testing.assert_allclose(out["se"], ES_REL_SE, rtol=RTOL)
    np.testing.assert_allclose(out["p"], ES_REL_P, rtol=RTOL)
    assert out.loc[5, "estimate"] == 0 and np.isnan(out.loc[5, "ci_low"])


def test_event_study_errors(petersen):
    small = petersen[petersen["firm"] <= 12]
    with pytest.raises(
        ParameterError, match=r"event_study: parameter 'reference' must be a period .* got 11"
    ):
        event_study(small, "y", period="year", cluster="firm", reference=11)
    one_group = small[~((small["year"] == 3) & small["treated"])]
    with pytest.raises(ParameterError, match=r"event_study: period 3 has no treated rows"):
        event_study(one_group, "y", period="year", cluster="firm")
    with pytest.raises(ParameterError, match=r"event_study: column 'firm' \(cluster\) has 1"):
        event_study(small.assign(firm=1), "y", period="year", cluster="firm")
    with pytest.raises(ParameterError, match=r"event_study: data has no column\(s\) \['period'\]"):
        event_study(small, "y", cluster="firm")


# --- multilevel -----------------------------------------------------------------------
def test_multilevel_sleepstudy_matches_lme4():
    out = multilevel(_csv("sleepstudy"), "Reaction", "Subject", ["Days"])
    assert isinstance(out, MultilevelResult)
    # lmer(Reaction ~ Days + (1 | Subject), sleepstudy, REML = TRUE); as.data.frame(VarCorr(m))$vcov
    assert out.var_group == pytest.approx(1378.17851380905, rel=RTOL_MIXED)
    assert out.var_resid == pytest.approx(960.456578560467, rel=RTOL_MIXED)
    assert out.icc == pytest.approx(0.589308917113987, rel=RTOL_MIXED)
    assert (out.n_obs, out.n_groups) == (180, 18)
    # summary(m)$coefficients; confint(m, method = "Wald", parm = "beta_"); 2 * pnorm(-|t|)
    np.testing.assert_allclose(
        out.fixed["estimate"], [251.405104848484, 10.467285959596], rtol=RTOL_MIXED
    )
    np.testing.assert_allclose(
        out.fixed["se"], [9.74671626920939, 0.80422142894524], rtol=RTOL_MIXED
    )
    np.testing.assert_allclose(
        out.fixed["ci_low"], [232.301891993303, 8.89104092326795], rtol=RTOL_MIXED
    )
    np.testing.assert_allclose(
        out.fixed["ci_high"], [270.508317703665, 12.043530995924], rtol=RTOL_MIXED
    )
    np.testing.assert_allclose(
        out.fixed["p"], [1.04004736479849e-146, 9.99807665851904e-39], rtol=1e-2
    )  # tail probabilities this small amplify se error
    assert list(out.fixed.index) == ["Intercept", "Days"]
    assert out.converged


def test_multilevel_dyestuff_matches_lme4():
    out = multilevel(_csv("dyestuff"), "Yield", "Batch")
    # lmer(Yield ~ 1 + (1 | Batch), Dyestuff, REML = TRUE)
    assert out.var_group == pytest.approx(1764.0500064271, rel=RTOL_MIXED)
    assert out.var_resid == pytest.approx(2451.24999860715, rel=RTOL_MIXED)
    assert out.icc == pytest.approx(0.418487415918282, rel=RTOL_MIXED)
    row = out.fixed.loc["Intercept"]
    assert row["estimate"] == pytest.approx(1527.5, rel=RTOL_MIXED)
    assert row["se"] == pytest.approx(19.3834121787528, rel=RTOL_MIXED)
    assert row["ci_low"] == pytest.approx(1489.50921023215, rel=RTOL_MIXED)
    assert row["ci_high"] == pytest.approx(1565.49078976785, rel=RTOL_MIXED)
    s = out.to_series()
    assert list(s.index) == [
        "icc", "var_group", "var_resid", "n_obs", "n_groups", "icc_ci_low", "icc_ci_high"
    ]  # fmt: skip


def test_multilevel_boundary_warns_dyestuff2():
    # lme4's Dyestuff2: the batch variance is estimated at exactly 0
    d = pd.DataFrame(
        {
            "Batch": np.repeat(list("ABCDEF"), 5),
            "Yield": [
                7.298,
                3.846,
                2.434,
                9.566,
                7.99,
                5.22,
                6.556,
                0.608,
                11.788,
                -0.892,
                0.11,
                10.386,
                13.434,
                5.51,
                8.166,
                2.212,
                4.852,
                7.092,
                9.288,
                4.98,
                0.282,
                9.014,
                4.458,
                9.446,
                7.198,
                1.722,
                4.782,
                8.106,
                0.758,
                3.758,
            ],
        }
    )
    with pytest.warns(EvalkitWarning, match="estimated at 0"):
        out = multilevel(d, "Yield", "Batch")
    assert out.icc == 0.0 and out.var_group == 0.0
    # lmer(Yield ~ 1 + (1 | Batch), Dyestuff2): residual variance 13.80634 (= var(Yield))
    assert out.var_resid == pytest.approx(d["Yield"].var(), rel=RTOL_MIXED)


def test_multilevel_errors():
    d = _csv("sleepstudy")
    with pytest.raises(ParameterError, match=r"multilevel: column 'Subject' \(group\) has 1"):
        multilevel(d.assign(Subject=1), "Reaction", "Subject")
    with pytest.raises(ParameterError, match=r"multilevel: column 'Days' must be numeric"):
        multilevel(d.assign(Days="x"), "Reaction", "Subject", ["Days"])
    with pytest.raises(ParameterError, match=r"multilevel: data has no column\(s\) \['unit'\]"):
        multilevel(d, "Reaction", "unit")
    with pytest.raises(ParameterError, match="must not contain the outcome or group"):
        multilevel(d, "Reaction", "Subject", ["Subject"])
    with pytest.raises(ParameterError, match="constant or collinear"):
        multilevel(d.assign(c=1.0), "Reaction", "Subject", ["c"])
    with pytest.raises(ParameterError, match=r"multilevel: 2 complete rows for 1 fixed"):
        multilevel(d.iloc[[0, 10]], "Reaction", "Subject")


# --- 20 JP ----------------------------------------------------------------------------
def test_jp_compliance_matches_r():
    out = jp_compliance(_csv("participants"), _csv("cohorts"))
    # aggregate(jp ~ participant_id + year, ...) on the person x year grid;
    # prop.test(x, n, correct = FALSE)$conf.int
    ref = {
        ("Bappeda", 2023): (12, 4, 8.0, 0.138120091091213, 0.6093779111272),
        ("Bappeda", 2024): (12, 7, 23.3333333333333, 0.31951131254955, 0.806739686341243),
        ("Bappeda", 2025): (12, 0, 5.33333333333333, 0.0, 0.242494006655241),
        ("Dinas Kesehatan", 2024): (4, 3, 30.0, 0.300641842582402, 0.954412739190299),
        ("Inspektorat", 2023): (7, 3, 10.2857142857143, 0.15821985525147, 0.749541635472343),
        ("Inspektorat", 2024): (7, 2, 11.4285714285714, 0.0822189240040568, 0.641065548167381),
        ("Inspektorat", 2025): (7, 0, 4.57142857142857, 0.0, 0.354330435066687),
    }
    for key, (n, x, mean_jp, low, high) in ref.items():
        row = out.loc[key]
        assert (row["n_staff"], row["n_compliant"]) == (n, x)
        assert row["compliance_rate"] == pytest.approx(x / n)
        assert row["mean_jp"] == pytest.approx(mean_jp, rel=1e-12)
        assert row["ci_low"] == pytest.approx(low, rel=RTOL, abs=1e-15)
        assert row["ci_high"] == pytest.approx(high, rel=RTOL)
    assert len(out) == 9


def test_jp_compliance_person_level_and_staff_roster():
    parts, cohs = _csv("participants"), _csv("cohorts")
    person = jp_compliance(parts, cohs, level="person")
    p101 = person[person["participant_id"] == "PC101"].set_index("year")
    # PC101 attended C1 (24 JP, 2023), C2 (40 JP, 2024) and C3 (16 JP, ended 2025)
    assert p101["jp"].tolist() == [24.0, 40.0, 16.0]
    assert p101["compliant"].tolist() == [True, True, False]
    assert p101["shortfall"].tolist() == [0.0, 0.0, 4.0]
    staff = pd.DataFrame({"participant_id": ["NEW01"], "unit": ["Bappeda"]})
    roster = jp_compliance(parts, cohs, level="person", staff=staff, years=[2024])
    new = roster[roster["participant_id"] == "NEW01"]
    assert new["jp"].tolist() == [0.0] and not new["compliant"].iloc[0]
    unit = jp_compliance(parts, cohs, staff=staff, years=[2024])
    assert unit.loc[("Bappeda", 2024), "n_staff"] == 13  # 12 trained + 1 never trained


def test_jp_compliance_recent_rule_matches_r():
    parts, cohs = _csv("participants"), _csv("cohorts")
    # level4.R section 8: people with a cohort ending in Y - 1 or Y, their JP of Y, by
    # their latest unit; prop.test(x, n, correct = FALSE)$conf.int
    ref = {
        ("Bappeda", 2024): (9, 7, 31.1111111111111, 0.452588969106989, 0.936774892882153),
        ("Dinas Kesehatan", 2024): (4, 3, 30.0, 0.300641842582402, 0.954412739190299),
        ("Inspektorat", 2024): (5, 2, 16.0, 0.117620774232648, 0.769275718723987),
        ("Bappeda", 2025): (10, 0, 6.4, 0.0, 0.277532799862889),
        ("Dinas Kesehatan", 2025): (3, 0, 5.33333333333333, 0.0, 0.561497031755045),
        ("Inspektorat", 2025): (4, 0, 8.0, 0.0, 0.489890836454597),
    }
    for year in (2024, 2025):
        out = jp_compliance(parts, cohs, rule="recent", year=year)
        assert sorted(set(out.index.get_level_values("year"))) == [year]
        for (unit, y), (n, x, mean_jp, low, high) in ref.items():
            if y != year:
                continue
            row = out.loc[(unit, y)]
            assert (row["n_staff"], row["n_compliant"]) == (n, x)
            assert row["mean_jp"] == pytest.approx(mean_jp, rel=1e-12)
            assert row["ci_low"] == pytest.approx(low, rel=RTOL, abs=1e-15)
            assert row["ci_high"] == pytest.approx(high, rel=RTOL)
    latest = jp_compliance(parts, cohs, rule="recent")  # default: the latest year, 2025
    assert sorted(set(latest.index.get_level_values("year"))) == [2025]


def test_jp_compliance_rule_errors():
    parts, cohs = _csv("participants"), _csv("cohorts")
    with pytest.raises(ParameterError, match="parameter 'rule' must be 'all' or 'recent'"):
        jp_compliance(parts, cohs, rule="roster")
    with pytest.raises(ParameterError, match="'year' belongs to rule='recent'"):
        jp_compliance(parts, cohs, year=2024)
    with pytest.raises(ParameterError, match="reports one year"):
        jp_compliance(parts, cohs, rule="recent", year=2024, years=[2023, 2024])
    with pytest.raises(ParameterError, match="needs no staff roster"):
        jp_compliance(parts, cohs, rule="recent", staff=parts[["participant_id", "unit"]])


def test_jp_compliance_duplicates_warn():
    parts, cohs = _csv("participants"), _csv("cohorts")
    doubled = pd.concat([parts, parts.head(1)], ignore_index=True)
    with pytest.warns(EvalkitWarning, match=r"1 duplicate \(cohort, participant\)"):
        out = jp_compliance(doubled, cohs)
    pd.testing.assert_frame_equal(out, jp_compliance(parts, cohs))


def test_jp_compliance_errors():
    parts, cohs = _csv("participants"), _csv("cohorts")
    with pytest.raises(
        ParameterError,
        match=r"jp_compliance: parameter 'level' must be 'person' or 'unit', got 'opd'",
    ):
        jp_compliance(parts, cohs, level="opd")
    with pytest.raises(ParameterError, match=r"cohort 'C1' of participants is not in cohorts"):
        jp_compliance(parts, cohs[cohs["cohort_id"] != "C1"])
    with pytest.raises(
        ParameterError, match=r"column 'jp' of cohorts must be a non-negative number; cohort 'C2'"
    ):
        jp_compliance(parts, cohs.assign(jp=[24, -1, 16]))
    with pytest.raises(ParameterError, match=r"column 'end_date' of cohorts must hold dates"):
        jp_compliance(parts, cohs.assign(end_date=["2023-03-09", "kemarin", "2025-01-08"]))
    with pytest.raises(ParameterError, match=r"cohorts has no column\(s\) \['jp'\]"):
        jp_compliance(parts, cohs.drop(columns="jp"))
    staff = pd.DataFrame({"participant_id": ["x", "x"], "unit": ["A", "B"]})
    with pytest.raises(ParameterError, match=r"staff lists person 'x' in more than one unit"):
        jp_compliance(parts, cohs, staff=staff)
    with pytest.raises(ParameterError, match=r"cohorts has cohort 'C1' more than once"):
        jp_compliance(parts, pd.concat([cohs, cohs.head(1)]))
    with pytest.raises(ParameterError, match=r"parameter 'years' is empty"):
        jp_compliance(parts, cohs, years=[])


# --- SKP ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("results", "behaviour", "predicate"),
    [
        ("above", "above", "Sangat Baik"),
        ("above", "meets", "Baik"),
        ("meets", "above", "Baik"),
        ("meets", "meets", "Baik"),
        ("below", "above", "Butuh Perbaikan"),
        ("below", "meets", "Butuh Perbaikan"),
        ("above", "below", "Kurang"),
        ("meets", "below", "Kurang"),
        ("below", "below", "Sangat Kurang"),
    ],
)
def test_skp_matrix(results, behaviour, predicate):
    assert skp_predicate(results, behaviour) == predicate


def test_skp_vectorised_aliases_and_missing():
    res = pd.Series([" Di Atas Ekspektasi", "sesuai ekspektasi", None], index=[5, 6, 7])
    out = skp_predicate(res, "di bawah ekspektasi")
    assert out.tolist() == ["Kurang", "Kurang", None]
    assert list(out.index) == [5, 6, 7]
    assert skp_predicate(np.nan, "above") is None


def test_skp_errors():
    with pytest.raises(
        ParameterError,
        match=r"skp_predicate: parameter 'results_rating' must be one of .* got 'good'",
    ):
        skp_predicate("good", "above")
    with pytest.raises(
        ParameterError, match=r"parameter 'behaviour_rating' must be one of .* got 3"
    ):
        skp_predicate(pd.Series(["above"]), pd.Series([3]))
    with pytest.raises(ParameterError, match="must share an index"):
        skp_predicate(pd.Series(["above"]), pd.Series(["above"], index=[9]))


# --- boundaries and columns a report shows, by hand ----------------------------------------
def test_ikm_score_exactly_on_a_band_edge_reaches_it():
    # 5 respondents, 45 answers summing to 117: IKM = 117 / 5 / 9 x 25 = 65 exactly (the C
    # lower bound), which floating point computes as 64.99999999999999
    rows = [
        [2, 4, 2, 1, 4, 4, 4, 3, 1],
        [4, 2, 4, 3, 4, 1, 4, 1, 1],
        [1, 1, 4, 4, 2, 3, 2, 4, 4],
        [3, 2, 1, 3, 3, 2, 4, 2, 1],
        [2, 3, 1, 1, 1, 4, 4, 2, 4],
    ]
    answers = pd.DataFrame(rows, columns=[f"u{i}" for i in range(1, 10)])
    assert int(answers.to_numpy().sum()) == 117
    out = ikm(answers)
    assert out["ikm"] == pytest.approx(65.0, abs=1e-12)
    assert (out["grade"], out["label"], out["label_en"]) == ("C", "Kurang Baik", "Poor")


@pytest.mark.parametrize(
    ("answer", "grade", "label", "label_en"),
    [
        (4, "A", "Sangat Baik", "Very good"),  # IKM 100
        (3, "C", "Kurang Baik", "Poor"),  # IKM 75
        (2, "D", "Tidak Baik", "Very poor"),  # IKM 50
    ],
)
def test_ikm_labels_in_both_languages(answer, grade, label, label_en):
    # PermenPANRB 14/2017: A Sangat Baik, B Baik, C Kurang Baik, D Tidak Baik
    out = ikm(pd.DataFrame({f"u{i}": [answer, answer] for i in range(1, 10)}))
    assert (out["grade"], out["label"], out["label_en"]) == (grade, label, label_en)


def test_ikm_label_b_and_unit_without_a_name_is_kept():
    # unit "a": 31 of 36 answers 4 and 5 answers 3 -> NRR (31 x 4 + 5 x 3) / 36 = 139 / 36,
    # IKM 96.53 (A); unit "b": all 3 except u1 = 4 -> (8 x 3 + 4) / 9 = 28 / 9, IKM 77.78 (B)
    a = pd.DataFrame({f"u{i}": [4, 4, 4, 4] for i in range(1, 10)})
    a.iloc[0, :5] = 3
    b = pd.DataFrame({f"u{i}": [3] for i in range(1, 10)}).assign(u1=4)
    answers = pd.concat([a, b], ignore_index=True)
    unit = pd.Series(["a"] * 4 + [None])
    out = ikm(answers, by=unit)
    assert len(out) == 2 and out["n"].tolist() == [4, 1]
    assert out["ikm"].tolist() == pytest.approx([139 / 36 * 25, 28 / 9 * 25], rel=1e-14)
    assert out["grade"].tolist() == ["A", "B"]
    assert out["label_en"].tolist() == ["Very good", "Good"]
    assert out.index[1] is None or pd.isna(out.index[1])


def _jp_tables(order: list[int] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    parts = pd.DataFrame(
        {
            "cohort_id": ["A", "B", "A", "C", "B"],
            "participant_id": ["p1", "p1", "p2", "p2", "p3"],
            "unit": ["Bappeda", "Bappeda", "Bappeda", "Inspektorat", "Inspektorat"],
        }
    )
    if order is not None:
        parts = parts.iloc[order].reset_index(drop=True)
    cohs = pd.DataFrame(
        {
            "cohort_id": ["A", "B", "C"],
            "jp": [12, 8, 7.5],
            "end_date": ["2024-02-01", "2024-06-01", "2024-11-01"],
        }
    )
    return parts, cohs


@pytest.mark.parametrize("order", [None, [4, 3, 2, 1, 0]])
def test_jp_compliance_exactly_20_jp_is_compliant(order):
    parts, cohs = _jp_tables(order)
    person = jp_compliance(parts, cohs, level="person").set_index("participant_id")
    # p1: 12 + 8 = 20 JP (exactly the target); p2: 12 + 7.5 = 19.5; p3: 8
    assert person["jp"].tolist() == [20.0, 19.5, 8.0]
    assert person["compliant"].tolist() == [True, False, False]
    assert person["shortfall"].tolist() == [0.0, 0.5, 12.0]
    # p2 moved from Bappeda (cohort A, February) to Inspektorat (cohort C, November):
    # counted in the unit of the latest cohort, whatever the row order
    assert person.loc["p2", "unit"] == "Inspektorat"
    unit = jp_compliance(parts, cohs)
    assert unit.loc[("Bappeda", 2024), "n_staff"] == 1
    assert unit.loc[("Bappeda", 2024), "n_compliant"] == 1
    assert unit.loc[("Inspektorat", 2024), "n_staff"] == 2
    assert unit.loc[("Inspektorat", 2024), "mean_jp"] == pytest.approx((19.5 + 8) / 2)
    assert unit.loc[("Inspektorat", 2024), "total_jp"] == 27.5


@pytest.mark.parametrize("order", [None, [4, 3, 2, 1, 0]])
def test_jp_compliance_roster_keeps_latest_unit_of_people_not_in_it(order):
    parts, cohs = _jp_tables(order)
    staff = pd.DataFrame({"participant_id": ["p1", "p9"], "unit": ["Bappeda", "Bappeda"]})
    person = jp_compliance(parts, cohs, level="person", staff=staff).set_index("participant_id")
    assert person.loc["p2", "unit"] == "Inspektorat"  # latest cohort C, not A
    assert person.loc["p9", "jp"] == 0.0 and person.loc["p9", "shortfall"] == 20.0
    # a lower target: 19.5 JP reaches 19.5
    lower = jp_compliance(parts, cohs, level="person", target=19.5)
    assert lower["compliant"].tolist() == [True, True, False]


def test_multilevel_z_p_and_reml_criterion_match_lme4():
    sleep = _csv("sleepstudy")
    out = multilevel(sleep, "Reaction", "Subject", ["Days"])
    # summary(m)$coefficients: t = estimate / se = 251.405104848484 / 9.74671626920939 and
    # 10.467285959596 / 0.80422142894524 (printed 25.79 and 13.02)
    z = [251.405104848484 / 9.74671626920939, 10.467285959596 / 0.80422142894524]
    np.testing.assert_allclose(out.fixed["z"], z, rtol=RTOL_MIXED)
    # lme4 prints "REML criterion at convergence: 1786.5" (-2 x the REML log-likelihood)
    assert out.reml_criterion == pytest.approx(1786.465, abs=0.05)
    # the outcome negated: the estimates and z change sign, se and p do not
    neg = multilevel(sleep.assign(Reaction=-sleep["Reaction"]), "Reaction", "Subject", ["Days"])
    np.testing.assert_allclose(neg.fixed["z"], [-v for v in z], rtol=RTOL_MIXED)
    np.testing.assert_allclose(
        neg.fixed["p"], [1.04004736479849e-146, 9.99807665851904e-39], rtol=1e-2
    )
    np.testing.assert_allclose(
        neg.fixed["ci_high"], [-232.301891993303, -8.89104092326795], rtol=RTOL_MIXED
    )
    assert neg.reml_criterion == pytest.approx(1786.465, abs=0.05)


def test_multilevel_reml_criterion_dyestuff_matches_lme4():
    # lmer(Yield ~ 1 + (1 | Batch), Dyestuff): "REML criterion at convergence: 319.6543";
    # t = 1527.5 / 19.3834121787528
    out = multilevel(_csv("dyestuff"), "Yield", "Batch")
    assert out.reml_criterion == pytest.approx(319.6543, abs=1e-3)
    assert out.fixed.loc["Intercept", "z"] == pytest.approx(
        1527.5 / 19.3834121787528, rel=RTOL_MIXED
    )


def test_jp_compliance_recent_rule_with_a_date_column_in_participants():
    # a participants table carrying its own "end_date" (e.g. each person's completion date)
    # raised a raw KeyError in jp_denominator; the cohort's end_date decides the year.
    # p1 trained in 2021 (cohort A, 20 JP): not judged in 2024; p2 in 2024 (B, 10 JP)
    parts = pd.DataFrame(
        {
            "cohort_id": ["A", "B"],
            "participant_id": ["p1", "p2"],
            "unit": ["Bappeda", "Bappeda"],
            "end_date": ["2024-05-01", "2024-06-01"],
        }
    )
    cohs = pd.DataFrame(
        {"cohort_id": ["A", "B"], "jp": [20, 10], "end_date": ["2021-01-15", "2024-01-15"]}
    )
    counted = jp_denominator(parts, cohs)
    assert (counted.year, counted.n_people) == (2024, 1)
    assert list(counted.participants.columns) == list(parts.columns)  # all columns kept
    out = jp_compliance(parts, cohs, rule="recent")
    assert out.loc[("Bappeda", 2024), "n_staff"] == 1
    assert out.loc[("Bappeda", 2024), "n_compliant"] == 0
