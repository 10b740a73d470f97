"""Tests that kill the survivors of the mutation run of evalkit.metrics.facilitator.

Reference values are hand calculations on the small tables below (one item per form, so
a form's rating is its answer), written beside each test: the mean and sd of the forms,
and the CR1 standard error sqrt(G / (G - 1) x sum_g (sum of the residuals in cluster
g)^2 / n^2) with t on G - 1 df, the clusters being the cohorts of a facilitator who
taught in two or more, else the raters.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from messages import raises
from scipy import stats

from evalkit.errors import EvalkitWarning
from evalkit.metrics import facilitator as fac
from evalkit.metrics.facilitator import (
    facilitator_forms,
    facilitator_gain_link,
    facilitator_role_means,
    facilitator_summary,
    facilitator_variance,
)

# F1: K1 raters a 4, b 2; K2 raters c 5, d 3 (two cohorts: clustered by cohort)
# F2: K1 raters a 5, b 4, e 3 (one cohort: clustered by rater)
# F3: K2 rater c, two sessions, 4 and 2 (one cluster: no interval)
# F4: K2 rater d, one form
RATINGS = pd.DataFrame(
    {"fac": ["F1"] * 4 + ["F2"] * 3 + ["F3"] * 2 + ["F4"],
     "batch": ["K1", "K1", "K2", "K2", "K1", "K1", "K1", "K2", "K2", "K2"],
     "nip": ["a", "b", "c", "d", "a", "b", "e", "c", "c", "d"],
     "sesi": [1, 1, 1, 1, 1, 1, 1, 1, 2, 1], "q": "q1",
     "answer": [4, 2, 5, 3, 5, 4, 3, 4, 2, 4]}
)  # fmt: skip
NAMES = {"facilitator": "fac", "cohort": "batch", "rater": "nip", "session": "sesi",
         "item": "q", "score": "answer"}  # fmt: skip


def test_summary_by_hand():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # one form (sd 0/0) and one cluster (1/0) are NaN
        out = facilitator_summary(RATINGS, **NAMES, ci=0.9)
    assert out.index.name == "fac" and out.index.tolist() == ["F1", "F2", "F3", "F4"]
    assert out.columns[:12].tolist() == [
        "n_raters", "n_forms", "n_cohorts", "mean", "sd", "se", "df", "ci_low", "ci_high",
        "cluster", "n_clusters", "n_anonymous",
    ]  # fmt: skip
    for col in ("n_raters", "n_forms", "n_cohorts", "n_clusters", "n_anonymous"):
        assert out[col].dtype == np.int64, col
    for col in ("sd", "se", "df"):
        assert out[col].dtype == np.float64, col
    f1 = out.loc["F1"]
    # 4, 2 | 5, 3: mean 3.5, residuals .5, -1.5 | 1.5, -.5, cohort sums -1, 1
    assert (f1["cluster"], f1["n_clusters"], f1["n_cohorts"]) == ("cohort", 2, 2)
    assert f1["sd"] == pytest.approx(np.sqrt(5 / 3))
    assert f1["se"] == pytest.approx(np.sqrt(2 * (1 + 1) / 16)) and f1["df"] == 1
    assert f1["ci_low"] == pytest.approx(3.5 - stats.t.ppf(0.95, 1) * 0.5)
    f2 = out.loc["F2"]
    # 5, 4, 3 by three raters: residuals 1, 0, -1, each its own cluster
    assert (f2["cluster"], f2["n_clusters"], f2["mean"], f2["sd"]) == ("rater", 3, 4, 1)
    assert f2["se"] == pytest.approx(np.sqrt(3 / 2 * 2 / 9)) and f2["df"] == 2
    f3 = out.loc["F3"]
    # one rater's two forms, 4 and 2: an sd, but one cluster and no interval
    assert (f3["n_forms"], f3["n_raters"], f3["n_clusters"]) == (2, 1, 1)
    assert f3["sd"] == pytest.approx(np.sqrt(2))
    assert np.isnan(f3["se"]) and np.isnan(f3["df"]) and np.isnan(f3["ci_low"])
    f4 = out.loc["F4"]
    assert f4["n_forms"] == 1 and np.isnan(f4["sd"]) and np.isnan(f4["se"])
    assert (out["n_anonymous"] == 0).all()


def test_forms_are_split_by_session_and_keep_a_form_without_one():
    forms = facilitator_forms(RATINGS, **NAMES)
    assert len(forms) == 10  # F3's two sessions are two forms
    no_session = RATINGS.astype({"sesi": object})
    no_session.loc[9, "sesi"] = None
    forms = facilitator_forms(no_session, **NAMES)
    assert len(forms) == 10 and forms.loc[forms["fac"] == "F4", "sesi"].tolist() == [""]
    # without a session column every rater's answers to a facilitator are one form
    assert len(facilitator_forms(RATINGS.drop(columns="sesi"), **NAMES)) == 9


def test_messages_of_the_forms():
    for func, call in (("facilitator_forms", facilitator_forms),
                       ("facilitator_summary", facilitator_summary)):  # fmt: skip
        with raises(f"{func}: parameter 'ratings' must be a DataFrame, got list"):
            call([1], **NAMES)
        with raises(
            f"{func}: parameter 'item' names column 'q', which is not in the data; columns "
            "are ['fac', 'batch', 'nip', 'sesi', 'answer']"
        ):
            call(RATINGS.drop(columns="q"), **NAMES)


def test_one_cluster_has_no_interval_also_when_its_residuals_sum_to_rounding():
    # one rater's three forms 1, 2, 2: the residuals sum to -2e-16, not 0, in floats
    one = pd.DataFrame({"fac": "F5", "batch": "K1", "nip": "a", "sesi": [1, 2, 3], "q": "q1",
                        "answer": [1, 2, 2]})  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = facilitator_summary(one, **NAMES)
    assert np.isnan(out.loc["F5", "se"]) and np.isnan(out.loc["F5", "ci_high"])


def test_summary_orders_facilitators_and_takes_each_ones_highest_scale():
    rows = pd.concat([RATINGS.iloc[4:], RATINGS.iloc[:4]], ignore_index=True)  # F2 first
    # F2 5, 5, 4; F3 5, 5; F4 a word, which is no scale; F1 4 on every form
    rows["skala"] = ["5", "5", "4", 5, 5, "lima", 4, 4, 4, 4]
    out = facilitator_summary(rows, **NAMES, scale_max="skala")
    assert out.index.tolist() == ["F1", "F2", "F3", "F4"]
    assert out["scale_max"].tolist()[:3] == [4.0, 5.0, 5.0] and np.isnan(out.loc["F4", "scale_max"])
    assert out.loc["F1", "mean"] == 3.5
    # a facilitator nobody scored has no row, and its scale is not taken for another's
    unscored = pd.DataFrame({"fac": "F0", "batch": "K1", "nip": "z", "sesi": 1, "q": "q1",
                             "answer": [np.nan], "skala": [7]})  # fmt: skip
    both = facilitator_summary(pd.concat([unscored, rows]), **NAMES, scale_max="skala")
    assert both.index.tolist() == ["F1", "F2", "F3", "F4"]
    assert both["scale_max"].tolist()[:3] == [4.0, 5.0, 5.0]
    with raises("facilitator_summary: parameter 'ci' must be a number in (0, 1), got 2"):
        facilitator_summary(RATINGS, **NAMES, ci=2)


def test_alpha_of_two_items_by_hand():
    # F1: raters a-d of K1 answer q1 4, 2, 5, 3 and q2 5, 3, 4, 2; d's session is unknown
    # and a note is missing on some rows: all four forms count. F2: one complete form.
    two = pd.DataFrame(
        {"fac": ["F1"] * 8 + ["F2"] * 3, "batch": "K1",
         "nip": ["a", "b", "c", "d"] * 2 + ["a", "a", "b"],
         "sesi": [1, 1, 1, None] * 2 + [1, 1, 1], "q": ["q1"] * 4 + ["q2"] * 4 + ["q1", "q2", "q1"],
         "answer": [4, 2, 5, 3, 5, 3, 4, 2, 4, 4, 3], "note": ["ok", None] * 5 + [None]}
    )  # fmt: skip
    out = facilitator_summary(two, **NAMES, ci=0.9)
    q1, q2 = np.array([4, 2, 5, 3]), np.array([5, 3, 4, 2])
    # k / (k - 1) (1 - sum of item variances / variance of the total), k = 2
    alpha = 2 * (1 - (q1.var(ddof=1) + q2.var(ddof=1)) / (q1 + q2).var(ddof=1))
    # Feldt: 1 - (1 - alpha) F(1 - g/2) to 1 - (1 - alpha) F(g/2), F on n - 1, (n - 1)(k - 1)
    f_high, f_low = stats.f.ppf([0.95, 0.05], 3, 3)
    f1 = out.loc["F1"]
    assert (f1["n_alpha"], f1["k"]) == (4, 2)
    np.testing.assert_allclose(
        f1[["alpha", "alpha_ci_low", "alpha_ci_high"]].to_numpy(dtype=float),
        [alpha, 1 - (1 - alpha) * f_high, 1 - (1 - alpha) * f_low], rtol=1e-12,
    )  # fmt: skip
    assert out.loc["F2", "n_alpha"] == 1 and np.isnan(out.loc["F2", "alpha"])
    texts = facilitator_summary(two.astype({"answer": str}), **NAMES, ci=0.9)  # "4", "2", ...
    assert texts.loc["F1", "alpha"] == pytest.approx(alpha, rel=1e-12)
    # one item: no alpha, the same columns, as numbers
    one = facilitator_summary(two[two["q"] == "q1"], **NAMES)
    alphas = ["alpha", "alpha_ci_low", "alpha_ci_high", "n_alpha", "k"]
    assert one.columns[-5:].tolist() == alphas and one.index.tolist() == ["F1", "F2"]
    assert (one[alphas].dtypes == np.float64).all() and one[alphas].isna().all().all()


# --- roles -------------------------------------------------------------------------------
# F1, F2 academic; F3's two forms name it practitioner once and academic once (a tie:
# the first alphabetically, academic); F4 practitioner
ROLES = RATINGS.assign(peran=["academic"] * 7 + ["practitioner", "academic", "practitioner"])


def test_role_means_by_hand():
    out = facilitator_role_means(ROLES, **NAMES, role="peran")
    assert out.index.name == "peran" and out.index.tolist() == ["academic", "practitioner"]
    assert out.columns[:2].tolist() == ["n_facilitators", "n_raters"]
    assert out["n_facilitators"].tolist() == [3, 1]
    # academic: F1 4, 2, 5, 3; F2 5, 4, 3; F3's two sessions 4, 2: nine forms, mean 32 / 9
    assert out.loc["academic", "n_forms"] == 9
    assert out.loc["academic", "mean"] == pytest.approx(32 / 9)
    assert out.loc["practitioner", "mean"] == 4  # F4's one form


def test_messages_of_the_role_functions():
    for func in ("facilitator_role_means", "facilitator_role_comparison"):
        call = getattr(fac, func)
        with raises(f"{func}: parameter 'ratings' must be a DataFrame, got list"):
            call([1], **NAMES, role="peran")
        with raises(
            f"{func}: parameter 'role' names column 'peran', which is not in the data; "
            "columns are ['fac', 'batch', 'nip', 'sesi', 'q', 'answer']"
        ):
            call(RATINGS, **NAMES, role="peran")
        with raises(
            f"{func}: parameter 'item' names column 'q', which is not in the data; columns "
            "are ['fac', 'batch', 'nip', 'sesi', 'answer', 'peran']"
        ):
            call(ROLES.drop(columns="q"), **NAMES, role="peran")
        with raises(f"{func}: no rated facilitator has a role in column 'peran'"):
            call(ROLES.assign(peran=None), **NAMES, role="peran")
    with raises("facilitator_role_means: parameter 'ci' must be a number in (0, 1), got 1"):
        fac.facilitator_role_means(ROLES, **NAMES, role="peran", ci=1)


def test_role_comparison_by_hand_without_widyaiswara():
    with pytest.warns(EvalkitWarning, match=r"\['practitioner'\] of 'peran' lie in a single"):
        out = fac.facilitator_role_comparison(ROLES, **NAMES, role="peran")
    # no widyaiswara: the reference is the first role, academic (nine forms, mean 32 / 9);
    # practitioner is F4's one form, 4
    assert out["group"].tolist() == ["practitioner", "all"]
    assert out["reference"].eq("academic").all()
    first = out.iloc[0]
    assert (first["n"], first["n_reference"]) == (1, 9)
    assert first["mean_diff"] == pytest.approx(4 - 32 / 9)
    assert out["cluster"].eq("cohort").all()  # two cohorts: clustered by cohort
    assert out["n_facilitators"].tolist() == [1.0, 4.0]
    with raises("facilitator_role_comparison: parameter 'ci' must be a number in (0, 1), got 1.5"):
        fac.facilitator_role_comparison(ROLES, **NAMES, role="peran", ci=1.5)


def test_role_comparison_passes_the_confidence_level_on():
    ref = pd.read_csv(Path(__file__).parent / "reference" / "facilitator_ratings.csv")
    roles = {"F1": "widyaiswara", "F2": "widyaiswara", "F3": "academic", "F4": "academic",
             "F5": "practitioner", "F6": "practitioner"}  # fmt: skip
    ratings = ref.assign(facilitator_role=ref["facilitator_id"].map(roles))
    out = fac.facilitator_role_comparison(ratings, ci=0.9).iloc[:2]
    # a 90% interval: mean difference -+ t(0.95, df2) x se
    half = stats.t.ppf(0.95, out["df2"]) * out["se"]
    assert out["ci_low"].to_numpy() == pytest.approx((out["mean_diff"] - half).to_numpy())
    assert out["ci_high"].to_numpy() == pytest.approx((out["mean_diff"] + half).to_numpy())


# --- variance ----------------------------------------------------------------------------
def _one_form_per_rater(cells: dict[tuple[str, str], list[int]]) -> pd.DataFrame:
    """A ratings table: each (facilitator, cohort) cell's raters, one answer each."""
    return pd.DataFrame(
        [{"fac": f, "batch": c, "nip": f"{c}-{i}", "q": "q1", "answer": s}
         for (f, c), scores in cells.items() for i, s in enumerate(scores)]
    )  # fmt: skip


# F1 taught C1 and C2, F2 only C3, F3 only C4: cohorts nested in facilitators
NESTED = _one_form_per_rater(
    {("F1", "C1"): [4, 5, 3], ("F1", "C2"): [3, 4, 2], ("F2", "C3"): [2, 3, 1],
     ("F3", "C4"): [5, 4, 5]}
)  # fmt: skip
VARIANCE_NAMES = {**NAMES, "session": None}


def _reml_by_hand(forms: pd.DataFrame) -> np.ndarray:
    """Maximise the REML likelihood of rating ~ 1 + (1 | fac) + (1 | batch) directly.

    -2 log L_R = log|V| + log|X'V^-1 X| + r'V^-1 r (up to a constant), with
    V = s_f Zf Zf' + s_c Zc Zc' + s_e I and r the GLS residuals; over log variances.
    """
    from scipy.optimize import minimize

    y = forms["rating"].to_numpy(dtype=float)
    zf = pd.get_dummies(forms["fac"]).to_numpy(dtype=float)
    zc = pd.get_dummies(forms["batch"]).to_numpy(dtype=float)
    x = np.ones((len(y), 1))

    def criterion(theta: np.ndarray) -> float:
        s_f, s_c, s_e = np.exp(theta)
        v = s_f * zf @ zf.T + s_c * zc @ zc.T + s_e * np.eye(len(y))
        vi = np.linalg.inv(v)
        xvx = x.T @ vi @ x
        beta = np.linalg.solve(xvx, x.T @ vi @ y)
        r = y - x @ beta
        return np.linalg.slogdet(v)[1] + np.linalg.slogdet(xvx)[1] + r @ vi @ r

    best = minimize(criterion, np.zeros(3), method="Nelder-Mead",
                    options={"xatol": 1e-12, "fatol": 1e-14, "maxiter": 20000})  # fmt: skip
    return np.exp(best.x)


def test_variance_of_a_nested_design_against_the_reml_likelihood():
    out = facilitator_variance(NESTED, **VARIANCE_NAMES)
    assert out.index.name == "component"
    assert out.index.tolist() == ["facilitator", "cohort", "residual"]
    assert out["design"].unique().tolist() == ["cohorts_in_facilitators"]
    assert out["estimable"].all() and out["reason"].isna().all()
    assert (out["n"].unique().tolist(), out["n_cohorts"].unique().tolist()) == ([12], [4])
    by_hand = _reml_by_hand(facilitator_forms(NESTED, **VARIANCE_NAMES))
    np.testing.assert_allclose(out["variance"].to_numpy(), by_hand, rtol=1e-6)
    # the cells are the cohorts and the cohort variance is free (> 0), so the residual is
    # the pooled variance within them, (2 + 2 + 2 + 2/3) / 8, up to the optimiser (1e-8)
    assert out.loc["residual", "variance"] == pytest.approx(5 / 6, rel=1e-8)


def test_variance_designs_and_reasons():
    # each facilitator in one cohort, C1 with two of them; exactly 3 cohorts is enough
    in_cohorts = _one_form_per_rater(
        {("F1", "C1"): [4, 5, 3], ("F2", "C1"): [3, 4, 2], ("F3", "C2"): [2, 3, 1],
         ("F4", "C3"): [5, 4, 5]}
    )  # fmt: skip
    out = facilitator_variance(in_cohorts, **VARIANCE_NAMES)
    assert out["design"].iloc[0] == "facilitators_in_cohorts" and out["estimable"].all()
    assert out["reason"].isna().all() and out["n_facilitators"].iloc[0] == 4
    # one facilitator per cohort and one cohort per facilitator
    confounded = _one_form_per_rater(
        {("F1", "C1"): [4, 5], ("F2", "C2"): [3, 4], ("F3", "C3"): [2, 3]}
    )
    out = facilitator_variance(confounded, **VARIANCE_NAMES)
    assert (out["design"].iloc[0], out["reason"].iloc[0]) == (
        "facilitators_in_cohorts",
        "confounded",
    )
    assert out["variance"].isna().all() and not out["estimable"].any()
    # RATINGS: F1 taught K1 and K2 (2 cohorts), K1 had F1 and F2 (2 facilitators): crossed,
    # but 2 cohorts are too few; F3's two sessions are two forms
    out = facilitator_variance(RATINGS, **NAMES)
    assert (out["design"].iloc[0], out["reason"].iloc[0]) == ("crossed", "too_few_cohorts")
    assert out["n"].iloc[0] == 10 and out["n_cohorts"].iloc[0] == 2
    with raises("facilitator_variance: parameter 'ratings' must be a DataFrame, got list"):
        facilitator_variance([1], **NAMES)


def test_variance_tries_the_next_optimiser(monkeypatch: pytest.MonkeyPatch):
    best = facilitator_variance(NESTED, **VARIANCE_NAMES)["variance"].to_numpy()
    stops_early = {"method": "bfgs", "maxiter": 1}  # finite variances, not converged
    unknown = {"method": "no-such-method"}  # statsmodels raises a ValueError
    for first in (stops_early, unknown):
        monkeypatch.setattr(fac, "_OPTIMISERS", (first, *fac._OPTIMISERS))
        out = facilitator_variance(NESTED, **VARIANCE_NAMES)
        np.testing.assert_allclose(out["variance"].to_numpy(), best, rtol=1e-9)
    monkeypatch.setattr(fac, "_OPTIMISERS", (stops_early, unknown))
    out = facilitator_variance(NESTED, **VARIANCE_NAMES)
    assert out["reason"].unique().tolist() == ["not_converged"] and out["variance"].isna().all()
    assert fac.VARIANCE_REASONS["not_converged"] == "the model did not converge"


# --- link to the learning gain -----------------------------------------------------------
# cohort ratings (one item per form): K1 rater a twice (sessions 1, 2: 2 and 5) and b 5,
# so K1's forms 2, 5, 5 have mean 4 (without sessions a's one form is 3.5: mean 4.25);
# K2 2, K3 4, K4 5. Gains (post - pre): K1 1 and 3 (mean 2), K2 0, K3 1.5, K4 3.
LINK_RATINGS = pd.DataFrame(
    {"fac": "F1", "batch": ["K1", "K1", "K1", "K2", "K3", "K4"],
     "nip": ["a", "a", "b", "c", "d", "e"], "sesi": [1, 2, 1, 1, 1, 1], "q": "q1",
     "answer": [2, 5, 5, 2, 4, 5]}
)  # fmt: skip
LEARNING = pd.DataFrame(
    {"batch": ["K1", "K1", "K2", "K3", "K4"], "awal": [1, 2, 3, 1, 2],
     "akhir": [2, 5, 3, 2.5, 5]}, index=[50, 40, 30, 20, 10]
)  # fmt: skip
LINK_NAMES = {**NAMES, "pre": "awal", "post": "akhir"}


def _pearson(x: np.ndarray, y: np.ndarray) -> float:
    dx, dy = x - x.mean(), y - y.mean()
    return float((dx * dy).sum() / np.sqrt((dx**2).sum() * (dy**2).sum()))


def test_gain_link_by_hand():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = facilitator_gain_link(LINK_RATINGS, LEARNING, **LINK_NAMES, ci=0.9)
    x, y = np.array([4, 2, 4, 5.0]), np.array([2, 0, 1.5, 3])
    r = _pearson(x, y)
    t = r * np.sqrt(2 / (1 - r**2))
    half = stats.norm.ppf(0.95) / np.sqrt(4 - 3)  # Fisher z on n - 3
    assert out.name == "facilitator_gain_link"
    assert out.index.tolist() == ["r", "ci_low", "ci_high", "t", "df", "p", "n", "mean_rating",
                                  "mean_gain"]  # fmt: skip
    np.testing.assert_allclose(
        out[["r", "ci_low", "ci_high", "t", "p", "mean_rating", "mean_gain"]].to_numpy(float),
        [r, np.tanh(np.arctanh(r) - half), np.tanh(np.arctanh(r) + half), t,
         2 * stats.t.sf(t, 2), 15 / 4, 6.5 / 4], rtol=1e-12,
    )  # fmt: skip
    assert (out["n"], out["df"]) == (4, 2)
    # without sessions K1's mean rating is 4.25
    flat = facilitator_gain_link(LINK_RATINGS, LEARNING, **{**LINK_NAMES, "session": None})
    assert flat["mean_rating"] == pytest.approx(15.25 / 4, rel=1e-15)


def test_gain_link_few_cohorts_and_flat_data():
    def link(ratings: pd.DataFrame, learning: pd.DataFrame) -> pd.Series:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # none of these may warn
            return facilitator_gain_link(ratings, learning, **LINK_NAMES)

    three = LEARNING[LEARNING["batch"] != "K4"]  # gains 2, 0, 1.5 (sd below 1)
    out = link(LINK_RATINGS, three)
    r = _pearson(np.array([4, 2, 4.0]), np.array([2, 0, 1.5]))
    assert (out["n"], out["df"]) == (3, 1) and out["r"] == pytest.approx(r, rel=1e-12)
    assert out["t"] == pytest.approx(r * np.sqrt(1 / (1 - r**2)), rel=1e-12)
    assert np.isfinite(out["p"]) and np.isnan(out["ci_low"]) and np.isnan(out["ci_high"])
    # gains 1, 2, 4 twice the ratings 0.5, 1, 2: r = 1, t infinite, p 0
    line = pd.DataFrame({"batch": ["K2", "K3", "K4"], "awal": 0, "akhir": [1, 2, 4]})
    halves = LINK_RATINGS.assign(answer=[1, 1, 1, 0.5, 1, 2])
    out = link(halves, line)
    assert (out["r"], out["t"], out["p"]) == (1.0, np.inf, 0.0)
    # the same gain everywhere, or the same rating everywhere: no r
    assert np.isnan(link(LINK_RATINGS, three.assign(akhir=three["awal"] + 1))["r"])
    assert np.isnan(link(LINK_RATINGS.assign(answer=4), three)["r"])
    # two cohorts: no r, t or p; no common cohort: no means either
    out = link(LINK_RATINGS, LEARNING[LEARNING["batch"].isin(["K1", "K2"])])
    assert (out["n"], out["df"]) == (2, 0) and out[["r", "t", "p"]].isna().all()
    assert out["mean_gain"] == 1
    out = link(LINK_RATINGS, LEARNING.assign(batch="K9"))
    assert out["n"] == 0 and np.isnan(out["mean_rating"]) and np.isnan(out["mean_gain"])


def test_messages_of_the_gain_link():
    func = "facilitator_gain_link"
    with raises(f"{func}: parameter 'ci' must be a number in (0, 1), got 2"):
        facilitator_gain_link(LINK_RATINGS, LEARNING, **LINK_NAMES, ci=2)
    with raises(f"{func}: parameter 'ratings' must be a DataFrame, got list"):
        facilitator_gain_link([1], LEARNING, **LINK_NAMES)
    with raises(f"{func}: parameter 'learning' must be a DataFrame, got list"):
        facilitator_gain_link(LINK_RATINGS, [1], **LINK_NAMES)
    for param, column in (("cohort", "batch"), ("pre", "awal"), ("post", "akhir")):
        rest = [c for c in LEARNING.columns if c != column]
        with raises(f"{func}: parameter '{param}' names column '{column}', which is not in the "
                    f"data; columns are {rest}"):  # fmt: skip
            facilitator_gain_link(LINK_RATINGS, LEARNING.drop(columns=column), **LINK_NAMES)
    for column in ("awal", "akhir"):
        with raises(f"{func}: column '{column}' must hold numbers, got non-numeric value 'x' "
                    "(row 50); map answer labels to numbers first"):  # fmt: skip
            facilitator_gain_link(LINK_RATINGS, LEARNING.assign(**{column: "x"}), **LINK_NAMES)
