"""Survivors of mutation testing of evalkit.metrics.counts (see mutation/README.md).

Each test pins a number, label, boundary or message that a mutant of ``counts.py``
changed without any other test noticing. Expected values are R's
(``tests/reference/survivors_counts.R`` and ``level4.R``) or stated beside them.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evalkit.errors import EvalkitWarning, ParameterError
from evalkit.metrics.counts import (
    _counts,
    _glm_cluster_vcov,
    _glm_fit,
    count_did,
    count_event_study,
    count_pretrend_test,
    poisson_twfe_batch,
    unit_panel,
    wald_pretrend,
)

REF = Path(__file__).parent / "reference"


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    return pd.read_csv(REF / "level4_panel.csv")


@pytest.fixture(scope="module")
def mild() -> pd.DataFrame:
    return pd.read_csv(REF / "survivors_counts_panel.csv")


def test_overdispersion_test_of_a_mild_count_equals_r(mild):
    """0 < LR < 1: the boundary p-value P(chi2_1 > LR) / 2 of a count that is only a little
    overdispersed (survivors_counts.R: set.seed(1); rnbinom(size = 40, mu = complaints + 1))."""
    res = count_did(mild, "mild")
    # lr <- 2 * (logLik(glm.nb(...)) - logLik(glm(..., poisson)))
    assert res["overdispersion_lr"] == pytest.approx(0.836500329910848, rel=1e-8, abs=0)
    # pchisq(lr, 1, lower.tail = FALSE) / 2
    assert res["overdispersion_p"] == pytest.approx(0.180199800114496, rel=1e-8, abs=0)
    # p = 0.18 is not below alpha = 0.05: Poisson; coef(glm(...))[["D"]]
    assert res["family"] == "poisson" and np.isinf(res["theta"])
    assert res["estimate"] == pytest.approx(-0.499277377458703, rel=1e-9)
    # below alpha = 0.20 the negative binomial is used: coef(glm.nb(...))[["D"]], nb$theta
    nb = count_did(mild, "mild", alpha=0.20)
    assert nb["family"] == "negbin"
    assert nb["estimate"] == pytest.approx(-0.511154280286403, rel=1e-6)
    assert nb["theta"] == pytest.approx(85.1093945261927, rel=1e-5)


def test_overdispersion_p_of_the_nb_outcome_without_an_absolute_tolerance(panel):
    # level4.R: nb.lr_p = pchisq(110.62, 1, lower.tail = FALSE) / 2; pytest.approx's default
    # absolute tolerance (1e-12) would accept any p this small, so abs=0
    res = count_did(panel, "overdispersed")
    assert res["overdispersion_p"] == pytest.approx(3.58018255085648e-26, rel=1e-4, abs=0)


def test_no_overdispersion_gives_lr_0_and_p_1(panel):
    # level4.R: pois.lr = max(0, 2 * (logLik(glm.nb) - logLik(poisson))) = 0 for complaints;
    # at LR = 0 the boundary p-value is 1 (no evidence at all)
    res = count_did(panel, "complaints")
    assert res["overdispersion_lr"] == 0.0
    assert res["overdispersion_p"] == 1.0
    # "auto" needs p < alpha: p = 1 keeps Poisson even at alpha = 1
    assert count_did(panel, "complaints", alpha=1.0)["family"] == "poisson"


def test_forced_families(panel):
    nb = count_did(panel, "complaints", family="negbin")
    assert nb["family"] == "negbin"
    # theta runs to its upper bound (no overdispersion): the NB estimate is the Poisson one,
    # level4.R pois.estimate
    assert nb["estimate"] == pytest.approx(-0.59729408310289, rel=1e-5)
    pois = count_did(panel, "overdispersed", family="poisson")
    assert np.isnan(pois["overdispersion_lr"]) and np.isnan(pois["overdispersion_p"])


def test_count_did_messages_name_the_function(panel):
    def message(**kwargs):
        data = kwargs.pop("data", panel)
        with pytest.raises(ParameterError) as caught:
            count_did(data, kwargs.pop("outcome", "complaints"), **kwargs)
        return str(caught.value)

    assert message(ci=1.5).startswith("count_did: parameter 'ci'")
    assert message(df_method="residual") == (
        "count_did: parameter 'df_method' must be 'cluster' or 'normal', got 'residual'"
    )
    assert message(data=panel.assign(complaints=panel["complaints"] + 0.5)) == (
        "count_did: column 'complaints' must hold counts (whole numbers >= 0) for a count model"
    )
    # post constant within unit (the treated units "post" throughout): treated x post is a
    # unit effect, collinear with the unit fixed effects
    assert message(data=panel.assign(post=panel["treated"])) == (
        "count_did: the design is collinear (treated x post vs fixed effects)"
    )


# --- the event study's descriptive columns and the pre-trend test ---------------------------
def _event_panel() -> pd.DataFrame:
    # the docstring example of count_event_study plus a third comparison unit "e"
    return pd.DataFrame(
        {
            "unit": list("aaabbbcccdddeee"),
            "treated": [True] * 6 + [False] * 9,
            "period": [1, 2, 3] * 5,
            "complaints": [8, 8, 4, 6, 8, 4, 5, 6, 7, 5, 6, 7, 4, 5, 9],
        }
    )


def test_event_study_counts_and_means_by_hand():
    res = count_event_study(_event_panel(), "complaints", reference=2)
    assert res.index.name == "period" and res.index.tolist() == [1, 2, 3]
    assert res["n_treated"].tolist() == [2, 2, 2]
    assert res["n_control"].tolist() == [3, 3, 3]
    assert res["n_treated"].dtype == np.int64 and res["n_control"].dtype == np.int64
    # treated units a, b: (8 + 6) / 2, (8 + 8) / 2, (4 + 4) / 2
    assert res["mean_treated"].tolist() == [7.0, 8.0, 4.0]
    # comparison units c, d, e: (5 + 5 + 4) / 3, (6 + 6 + 5) / 3, (7 + 7 + 9) / 3
    np.testing.assert_allclose(res["mean_control"], [14 / 3, 17 / 3, 23 / 3], rtol=1e-15)
    np.testing.assert_allclose(res["t"], res["estimate"] / res["se"], rtol=1e-15)
    assert res.columns.tolist() == ["n_treated", "n_control", "mean_treated", "mean_control",
                                    "estimate", "se", "t", "p", "rate_ratio", "ci_low",
                                    "ci_high"]  # fmt: skip


def test_event_study_and_pretrend_messages_name_the_function():
    d = _event_panel()
    with pytest.raises(ParameterError) as caught:
        count_event_study(d, "complaints", reference=7)
    assert str(caught.value).startswith("count_event_study: parameter 'reference' must be a period")
    with pytest.raises(ParameterError) as caught:
        count_event_study(d, "complaints", reference=2, ci=2.0)
    assert str(caught.value).startswith("count_event_study: parameter 'ci'")
    with pytest.raises(ParameterError) as caught:
        count_event_study(d, "complaints", reference=2, df_method="residual")
    assert str(caught.value).startswith("count_event_study: parameter 'df_method'")
    with pytest.raises(ParameterError) as caught:
        count_event_study(d.assign(complaints=d["complaints"] + 0.5), "complaints", reference=2)
    assert str(caught.value) == (
        "count_event_study: column 'complaints' must hold counts (whole numbers >= 0) for a "
        "count model"
    )
    with pytest.raises(ParameterError) as caught:
        count_pretrend_test(d, "complaints", reference=2, first_post=1)
    assert str(caught.value) == (
        "count_pretrend_test: no period before 1 other than the reference; a pre-trend test "
        "needs at least two periods before the training"
    )
    with pytest.raises(ParameterError) as caught:
        count_pretrend_test(d.drop(columns="unit"), "complaints", reference=2, first_post=3)
    assert str(caught.value).startswith("count_pretrend_test: ")
    res = count_pretrend_test(d, "complaints", reference=2, first_post=3)
    assert res["n_clusters"] == 5 and res["df2"] == 4


def test_event_study_periods_are_sorted_whatever_the_row_order():
    d = _event_panel()
    shuffled = d.iloc[np.r_[2:15, 0:2][::-1]]  # period 3 of unit e first
    res = count_event_study(shuffled, "complaints", reference=2)
    assert res.index.tolist() == [1, 2, 3]
    assert res["mean_treated"].tolist() == [7.0, 8.0, 4.0]
    pre = count_pretrend_test(shuffled, "complaints", reference=2, first_post=3)
    assert pre["df1"] == 1  # period 1 only


def test_event_study_period_with_one_group_only_is_collinear():
    d = _event_panel()
    only_treated = d[~((d["period"] == 3) & ~d["treated"])]  # period 3: no comparison unit
    with pytest.raises(ParameterError) as caught:
        count_event_study(only_treated, "complaints", reference=2)
    assert str(caught.value) == (
        "count_event_study: the design is collinear; every period needs both groups"
    )


# --- the fitting functions themselves (survivors_counts.R, part 2) ---------------------------
# R's coefficients come in glm's order: (Intercept), D, factor(unit) u02-u13, factor(period) 1-5;
# evalkit's design puts D first: D, intercept, unit dummies, period dummies (as count_did).
R_TO_EVALKIT = [1, 0, *range(2, 19)]


def _design(panel: pd.DataFrame, d: np.ndarray) -> np.ndarray:
    units = pd.get_dummies(panel["unit"], dtype=float).to_numpy()[:, 1:]
    periods = pd.get_dummies(panel["period"], dtype=float).to_numpy()[:, 1:]
    return np.column_stack([d, np.ones(len(panel)), units, periods])


def _r(values: list[float]) -> np.ndarray:
    return np.asarray(values)[R_TO_EVALKIT]


def _d(panel: pd.DataFrame, which: str) -> np.ndarray:
    first = {"u01": 1, "u02": 1, "u03": 1, "u04": 1, "u05": 4, "u06": 4, "u07": 4, "u08": 4}
    if which == "D":
        return (panel["treated"] & panel["post"]).to_numpy(dtype=float)
    if which == "D1":  # period 1 already "post"
        return (panel["treated"] & (panel["period"] >= 1)).to_numpy(dtype=float)
    start = panel["unit"].map(first).fillna(np.inf)  # staggered: u01-u04 from 1, u05-u08 from 4
    return (panel["period"] >= start).to_numpy(dtype=float)


# glm(complaints ~ D + factor(unit) + factor(period), poisson,
#     control = glm.control(epsilon = 1e-300, maxit = k)): iterates 1, 2, 3 of IRLS
IRLS = {
    1: [2.46798809361069, -0.591276885355906, 0.303646086707917, 0.512338699507885,
        0.0476201699193198, -0.578244717760093, -0.0170765264981811, -0.0656742188767466,
        -0.36830355716248, -0.789940089318096, -0.165078527669598, -0.131588497995079,
        0.0750003986091844, -1.01009314231322, 0.151751462884414, 0.229946059527018,
        0.135915180028244, 0.337851671858139, 0.36275480948141],
    2: [2.44805752182189, -0.597419792140244, 0.291849686298779, 0.525894376934843,
        0.045176510100012, -0.590522924255565, -0.00581047087466236, -0.0662356653222053,
        -0.370681350257692, -0.835235282279396, -0.198436941645489, -0.13080419299546,
        0.0310852643435198, -1.04560612219904, 0.156130726080885, 0.251738455788892,
        0.133979235087708, 0.327510940387833, 0.341491899675756],
    3: [2.44777661089306, -0.597294583807866, 0.291521020463752, 0.526093044531005,
        0.0451204569164833, -0.590868148222797, -0.00543689925767597, -0.0660614709895757,
        -0.370550645548681, -0.837167231268579, -0.1995915130709, -0.130600002204209,
        0.0292514337347101, -1.04688914906339, 0.156249253132291, 0.252130932216387,
        0.133798011603506, 0.326989571325642, 0.340413383888293],
}  # fmt: skip


def test_irls_starts_at_y_plus_a_tenth_and_iterates_as_r_glm(panel):
    X, y = _design(panel, _d(panel, "D")), panel["complaints"].to_numpy(dtype=float)
    for k in (1, 2, 3):
        beta, mu = _glm_fit(X, y, max_iter=k)
        np.testing.assert_allclose(beta, _r(IRLS[k]), rtol=1e-9, atol=0)
        np.testing.assert_allclose(mu, np.exp(X @ beta), rtol=1e-12)


def test_irls_stops_by_its_documented_rule(panel):
    """Stops at the first iteration whose coefficients all moved by <= tol * (1 + |b|).

    survivors_counts.R: irls.r2 = max |b2 - b1| / (1 + |b2|) = 0.0425911762919285,
    irls.r2_loose (2 + |b2| instead) = 0.0216215119259696, irls.r3 = 0.00178171295050373."""
    X, y = _design(panel, _d(panel, "D")), panel["complaints"].to_numpy(dtype=float)
    beta, _ = _glm_fit(X, y, tol=0.0425911762919285 * 1.01)  # r2 <= tol: stops after 2
    np.testing.assert_allclose(beta, _r(IRLS[2]), rtol=1e-9, atol=0)
    beta, _ = _glm_fit(X, y, tol=0.0216215119259696 * 1.01)  # r2 > tol >= r3: after 3
    np.testing.assert_allclose(beta, _r(IRLS[3]), rtol=1e-9, atol=0)


def test_irls_fits_a_batch_of_designs_at_once(panel):
    # glm(complaints ~ D1 + ...) and glm(complaints ~ Dst + ...), each to convergence
    full_d1 = [
        2.38262780066758,
        -0.180096861771844,
        0.291520848758946,
        0.526093095896779,
        0.0451204352804691,
        -0.590868331439528,
        0.116019885038002,
        0.055395263221567,
        -0.249093927546595,
        -0.71571345880809,
        -0.0781361294029554,
        -0.00914325791600385,
        0.150705443025892,
        -0.925433989790159,
        0.233046608418219,
        0.328928380121502,
        -0.031836549068756,
        0.161354679962103,
        0.174777700294243,
    ]
    full_dst = [2.24737334514574, 0.109712511431917, 0.291520848758947, 0.52609309589678,
                0.0451204352804707, -0.534959403293779, 0.324172914740428, 0.263548292923992,
                -0.0409408978441694, -0.470497252314904, 0.167080077090231, 0.236072948577182,
                0.395921649519078, -0.680217783296972, 0.11610402345659, 0.211985795159873,
                -0.148779134030384, 0.0121522164940752, 0.0255752368262162]  # fmt: skip
    X = np.stack([_design(panel, _d(panel, "D1")), _design(panel, _d(panel, "Dst"))])
    y = panel["complaints"].to_numpy(dtype=float)
    beta, mu = _glm_fit(X, y)
    assert beta.shape == (2, 19) and mu.shape == (2, len(y))
    np.testing.assert_allclose(beta[0], _r(full_d1), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(beta[1], _r(full_dst), rtol=1e-9, atol=1e-12)
    # the Poisson TWFE coefficient of both rows at once, with the unit effects concentrated out
    codes = pd.factorize(panel["unit"], sort=True)[0]
    p_codes = pd.factorize(panel["period"], sort=True)[0]
    D = np.stack([_d(panel, "D1"), _d(panel, "Dst")])
    np.testing.assert_allclose(poisson_twfe_batch(D, codes, p_codes, y),
                               [full_d1[1], full_dst[1]], rtol=1e-9)  # fmt: skip


def test_negative_binomial_irls_at_a_fixed_theta_and_its_cluster_covariance(panel):
    # glm(overdispersed ~ D + ..., family = negative.binomial(2), mustart = overdispersed + 0.1)
    # after one iteration and to convergence; vcovCL(fit, cluster = ~unit)["D", ]
    irls1 = [
        2.63878712649,
        -0.653481730749929,
        -0.111481542890711,
        0.499767558369079,
        -0.655788113255186,
        -0.42959469194318,
        -0.218434600011679,
        -0.428581332686276,
        -0.703266194039717,
        -1.1508712422987,
        -0.541929396989422,
        -0.00509961805585323,
        -0.52912695059799,
        -1.43346786574534,
        -0.138099623190986,
        -0.0608256001959531,
        0.23736111536198,
        0.362556734135695,
        0.112843519587372,
    ]
    full = [
        2.85780548478141,
        -0.765032778642796,
        -0.0400914255989289,
        0.319309999670632,
        -0.714893688925053,
        -0.342443076049576,
        -0.198584587822668,
        -0.437174414587562,
        -0.628623473885678,
        -1.20421989148632,
        -0.600404357963561,
        -0.0944643301352246,
        -0.567468778719908,
        -1.52732552539754,
        -0.340282970700566,
        -0.187353500779648,
        0.165480478198319,
        0.31049696975345,
        -0.0510828060571502,
    ]
    vcov_d = [-0.0290155181575515, 0.0798353061858972, 3.37396521426175e-05,
              -0.000236300007100088, 0.000751459673920873, 0.000319725255429431,
              0.0390541728983769, 0.0390777709947815, 0.0390993095996458, 0.0391773136506012,
              0.0390959888106373, 0.0390449759511022, 0.0390921766220321, 0.0392279158929512,
              0.0072524036970832, -0.013567791352794, -0.0116852709904858, -0.0108011196664562,
              -0.0307726359239518]  # fmt: skip
    X, y = _design(panel, _d(panel, "D")), panel["overdispersed"].to_numpy(dtype=float)
    beta, _ = _glm_fit(X, y, theta=2.0, max_iter=1)
    np.testing.assert_allclose(beta, _r(irls1), rtol=1e-9, atol=0)
    beta, mu = _glm_fit(X, y, theta=2.0)
    # normal equations solved directly (R: QR): agreement to about 1e-8 at convergence
    np.testing.assert_allclose(beta, _r(full), rtol=1e-7, atol=0)
    codes = pd.factorize(panel["unit"], sort=True)[0]
    V = _glm_cluster_vcov(X, y, mu, 2.0, codes, 13)
    np.testing.assert_allclose(V[0], _r(vcov_d), rtol=1e-6, atol=1e-9)
    # the whole diagonal: the unit rows are the only ones that see the residuals' sign (the
    # clusters are the units, whose dummies are in X, so X_g' w is a column of X'WX)
    diag = [
        0.071506472410691,
        0.0798353061858972,
        2.66406012172353e-08,
        1.30554775642472e-06,
        1.32705070368067e-05,
        2.39558648514509e-06,
        0.0191119400480911,
        0.0191348956868279,
        0.0191560456839795,
        0.0192344556032418,
        0.0191527719434791,
        0.019103051442019,
        0.0191490196383305,
        0.0192871371286172,
        0.141678861631451,
        0.0759581310226224,
        0.109747535360873,
        0.117321325844196,
        0.126152090944643,
    ]  # vcovCL's diag
    np.testing.assert_allclose(np.diag(V), _r(diag), rtol=1e-5, atol=0)


def test_concentrated_newton_steps_as_r(panel):
    """poisson_twfe_batch's iterates: Newton steps from D = 0 and period effects 0.

    survivors_counts.R (2c) takes each step as one IRLS step of glm from the point where
    each unit's fitted total is its count; D after 1, 2, 3 steps and the stopping ratios
    twfe.r2 = 0.012234784896153, twfe.r2_loose = 0.00650118740633941 (2 + |theta|),
    twfe.r3 = 6.88645192940832e-05. The rows are shuffled: the function sorts them by unit.
    """
    shuffled = panel.sample(frac=1.0, random_state=3)
    y = shuffled["complaints"].to_numpy(dtype=float)
    D = _d(shuffled, "D")[None, :]
    codes = pd.factorize(shuffled["unit"], sort=True)[0]
    p_codes = pd.factorize(shuffled["period"], sort=True)[0]

    def fit(**kwargs):
        return float(poisson_twfe_batch(D, codes, p_codes, y, **kwargs)[0])

    assert fit(max_iter=1) == pytest.approx(-0.588787385809038, rel=1e-10)
    assert fit(max_iter=2) == pytest.approx(-0.597289572683622, rel=1e-10)
    assert fit(tol=0.012234784896153 * 1.01) == pytest.approx(-0.597289572683622, rel=1e-10)
    assert fit(tol=0.00650118740633941 * 1.01) == pytest.approx(-0.597294083038792, rel=1e-10)
    assert fit() == pytest.approx(-0.59729408310289, rel=1e-10)  # glm to convergence


# --- the panel set-up and its checks ---------------------------------------------------------
def test_rows_with_a_missing_value_are_dropped_with_a_warning(panel):
    # survivors_counts.R (part 3): complaints missing in rows 5 and 40; glm leaves them out
    d = panel.copy()
    d.loc[[4, 39], "complaints"] = np.nan
    with pytest.warns(EvalkitWarning) as caught:
        res = count_did(d, "complaints", family="poisson")
    assert [str(w.message) for w in caught] == [
        "count_did: 2 row(s) with a missing value in ['complaints', 'treated', 'unit', 'post', "
        "'period'] dropped"
    ]
    assert res["n_obs"] == 76  # nobs(glm)
    assert res["estimate"] == pytest.approx(-0.643635161365824, rel=1e-9)
    assert res["se"] == pytest.approx(0.113738604431719, rel=1e-8)  # vcovCL, cluster = ~unit


def test_complete_rows_give_no_warning(panel):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        count_did(panel, "complaints", family="poisson")


def test_panel_and_design_messages(panel):
    def message(data, **kwargs):
        with pytest.raises(ParameterError) as caught:
            count_did(data, "complaints", **kwargs)
        return str(caught.value)

    assert message(panel[panel["unit"].isin(["u01", "u09"])]) == (
        "count_did: column 'unit' (cluster) has 2 distinct value(s); need at least 3 units"
    )
    assert message(panel.assign(treated=panel["period"] > 2)) == (
        "count_did: column 'treated' must be constant within each 'unit'; unit 'u01' has both "
        "values"
    )
    two_zero = panel.assign(
        complaints=np.where(panel["unit"].isin(["u07", "u08"]), 0, panel["complaints"])
    )
    assert message(two_zero) == (
        "count_did: 2 unit(s) have only zero counts of 'complaints'; their fixed effect is not "
        "estimable: drop them"
    )
    assert message(panel.assign(post=panel["period"])) == (
        "count_did: column 'post' must be boolean (True/False or 0/1), got values "
        "['0', '1', '2', '3', '4']"
    )
    # no treated x post row: refused as such, before the rank check of the design
    assert message(panel.assign(post=False)) == (
        "count_did: no treated x post rows (or only such rows)"
    )


def test_a_single_treated_x_post_row_is_enough():
    # one trained unit, two periods: the rate ratio is (5 / 10) / ((8 + 9) / (8 + 6)) = 7 / 17
    d = pd.DataFrame({"unit": list("aabbcc"), "treated": [True] * 2 + [False] * 4,
                      "post": [False, True] * 3, "period": [1, 2] * 3,
                      "complaints": [10, 5, 8, 8, 6, 9]})  # fmt: skip
    res = count_did(d, "complaints", family="poisson")
    assert res["rate_ratio"] == pytest.approx(7 / 17, rel=1e-10)


def test_counts_tolerate_rounding_up_to_1e_9():
    _counts("f", np.array([0.0, 1e-9, 3.0]), "y")  # |y - round(y)| = 1e-9: still a count
    with pytest.raises(ParameterError):
        _counts("f", np.array([0.0, 2e-9, 3.0]), "y")


def test_theta_of_a_count_without_overdispersion_stops_at_the_search_bound(panel):
    # level4.R: pois.lr = 0 for complaints; the profile likelihood rises with theta up to the
    # Poisson limit, so its maximum over log(theta) in [-8, 12] is the upper end, exp(12)
    theta = count_did(panel, "complaints", family="negbin")["theta"]
    assert np.log(theta) == pytest.approx(12.0, abs=1e-4)


def test_unit_panel_codes_units_in_sorted_order_whatever_the_row_order(panel):
    rows = panel.iloc[::-1]  # u13 first
    sub, y, codes, units, unit_treated = unit_panel(
        "f", rows, "complaints", "treated", "unit", ["post"]
    )
    assert units.tolist() == [f"u{i:02d}" for i in range(1, 14)]
    assert codes[:7].tolist() == [12] * 6 + [11]
    assert unit_treated.tolist() == [1.0] * 5 + [0.0] * 8  # u01-u05 trained
    assert y.dtype == np.float64 and y.tolist() == rows["complaints"].tolist()
    assert sub.columns.tolist() == ["complaints", "treated", "unit", "post"]
    # two units whose flag varies, u07 before u03 in the rows: the first in sorted order is named
    bad = rows.assign(treated=rows["treated"] | (rows["unit"].isin(["u03", "u07"]) & rows["post"]))
    bad.loc[bad["unit"] == "u03", "treated"] = bad["post"]
    with pytest.raises(ParameterError) as caught:
        unit_panel("f", bad, "complaints", "treated", "unit", ["post"])
    assert str(caught.value) == (
        "f: column 'treated' must be constant within each 'unit'; unit 'u03' has both values"
    )


def test_outcome_and_flag_messages_name_the_function_and_column(panel):
    with pytest.raises(ParameterError) as caught:
        count_did(panel.assign(complaints=panel["complaints"].astype(str)), "complaints")
    # (the dtype's name is "str" under pandas 3, "object" under pandas 2)
    assert str(caught.value).startswith("count_did: column 'complaints' must be numeric, got ")
    with pytest.raises(ParameterError) as caught:
        count_did(panel.assign(treated=panel["period"]), "complaints")
    assert str(caught.value) == (
        "count_did: column 'treated' must be boolean (True/False or 0/1), got values "
        "['0', '1', '2', '3', '4']"
    )


def test_theta_of_the_overdispersed_count_is_the_root_of_its_profile_score(panel):
    # survivors_counts.R (part 3): od.theta_root, the root of d logL / d theta with beta
    # refitted at each theta (glm.nb's 3.27053679753064 agrees to 1e-9)
    theta = count_did(panel, "overdispersed")["theta"]
    assert theta == pytest.approx(3.27053680342402, rel=2e-8)


def _perfect_panel(counts: list[int]) -> pd.DataFrame:
    return pd.DataFrame(
        {"unit": list("aabbccdd"), "treated": [True] * 4 + [False] * 4,
         "post": [False, True] * 4, "period": [1, 2] * 4, "complaints": counts}
    )  # fmt: skip


def test_count_models_refuse_a_fit_that_reproduces_every_count():
    # All counts 1: the fit is exact, the cluster-robust se 0 (it was a ZeroDivisionError).
    # The other two are exact as well: both treated units double, both controls stay
    # (unit and period effects with a rate ratio of 2 reproduce each count); rounding
    # there leaves a se of about 1e-16, which gave t near 1e15 instead of an error.
    message = (
        "{func}: the model reproduces every value of 'complaints' exactly (largest residual "
        "{r}), so there is no variation left for a standard error"
    )
    # large counts (x 100,000) leave a residual of about 4e-9 in an exact fit: the bound
    # is relative to the largest count
    large = [c * 100_000 for c in [2, 4, 3, 6, 1, 1, 5, 5]]
    for counts in ([1] * 8, [1, 2, 1, 2, 1, 1, 1, 1], [2, 4, 3, 6, 1, 1, 5, 5], large):
        for family in ("poisson", "negbin", "auto"):
            with pytest.raises(ParameterError, match="reproduces every value") as err:
                count_did(_perfect_panel(counts), "complaints", family=family)
            largest = str(err.value).split("largest residual ")[1].split(")")[0]
            assert float(largest) <= 1e-6
            assert str(err.value) == message.format(func="count_did", r=largest)
    # one count off the exact pattern: an ordinary fit
    res = count_did(_perfect_panel([1, 2, 1, 2, 1, 1, 1, 2]), "complaints", family="poisson")
    assert 0 < res["se"] < 1
    flat = pd.DataFrame(
        {"unit": list("aaabbbcccddd"), "treated": [True] * 6 + [False] * 6,
         "period": [1, 2, 3] * 4, "complaints": [1] * 12}
    )  # fmt: skip
    for call in (
        lambda: count_event_study(flat, "complaints", reference=1),
        lambda: count_pretrend_test(flat, "complaints", reference=1, first_post=3),
    ):
        with pytest.raises(ParameterError, match="reproduces every value of 'complaints'"):
            call()


def test_wald_pretrend_refuses_a_singular_covariance():
    with pytest.raises(ParameterError) as err:
        wald_pretrend("f", np.array([0, 1, 2]), np.array([0, 2]), np.array([1.0, 3.0]),
                      np.zeros((2, 2)), 11, first_post=2)  # fmt: skip
    assert str(err.value) == (
        "f: the covariance of the 1 pre-period coefficient(s) is singular (e.g. an outcome "
        "without variation, or one the model reproduces exactly); no Wald test is possible"
    )
