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
from evalkit.metrics.counts import count_did

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
