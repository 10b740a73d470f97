"""Survivors of mutation testing of evalkit.metrics.counts (see mutation/README.md).

Each test pins a number, label, boundary or message that a mutant of ``counts.py``
changed without any other test noticing. Expected values are R's
(``tests/reference/survivors_counts.R`` and ``level4.R``) or stated beside them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evalkit.errors import ParameterError
from evalkit.metrics.counts import count_did, count_event_study, count_pretrend_test

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
