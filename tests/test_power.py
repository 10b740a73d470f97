"""Tests of evalkit.metrics.power against R's stats::power.t.test (tests/reference/level345.R)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from evalkit.errors import ParameterError
from evalkit.metrics.power import design_effect, minimum_detectable_effect, required_n

RTOL = 1e-6


def test_required_n_paired_matches_r_and_domain():
    # power.t.test(delta = .5, sd = 1, power = .8, type = "paired", strict = TRUE, tol = 1e-12)$n
    assert required_n(0.5, exact=True) == pytest.approx(33.3671289533192, rel=RTOL)
    assert required_n(0.5) == 34  # 33.37 above, rounded up


def test_required_n_two_sample_matches_r():
    # power.t.test(delta = .5, sd = 1, power = .8, type = "two.sample", strict = TRUE, tol = 1e-12)$n
    assert required_n(0.5, design="two-sample", exact=True) == pytest.approx(
        63.7656101909419, rel=RTOL
    )
    # power.t.test(delta = .3, sd = 1, sig.level = .01, power = .9, type = "two.sample", strict = TRUE, tol = 1e-12)$n
    assert required_n(0.3, alpha=0.01, power=0.9, design="two-sample", exact=True) == (
        pytest.approx(332.316003964802, rel=RTOL)
    )
    assert required_n(0.3, alpha=0.01, power=0.9, design="two-sample") == 333


def test_mde_matches_r():
    # power.t.test(n = 30, sd = 1, power = .8, type = "paired", strict = TRUE, tol = 1e-12)$delta
    assert minimum_detectable_effect(30) == pytest.approx(0.529235615112784, rel=RTOL)
    # power.t.test(n = 30, sd = 1, power = .8, type = "two.sample", strict = TRUE, tol = 1e-12)$delta
    assert minimum_detectable_effect(30, design="two-sample") == pytest.approx(
        0.735621069597389, rel=RTOL
    )
    # power.t.test(n = 25, sd = 1, sig.level = .01, power = .9, type = "two.sample", strict = TRUE, tol = 1e-12)$delta
    assert minimum_detectable_effect(25, alpha=0.01, power=0.9, design="two-sample") == (
        pytest.approx(1.1305057608707, rel=RTOL)
    )


def test_design_effect_enters_as_effective_n():
    assert minimum_detectable_effect(60, deff=2.0) == pytest.approx(
        minimum_detectable_effect(30), rel=1e-12
    )
    assert required_n(0.5, deff=1.5, exact=True) == pytest.approx(1.5 * 33.3671289533192, rel=RTOL)
    assert required_n(0.5, deff=1.5) == math.ceil(1.5 * 33.3671289533192)


def test_mde_and_required_n_are_inverse():
    for design in ("paired", "two-sample"):
        for d in (0.2, 0.5, 0.8):
            n = required_n(d, design=design, exact=True)
            assert minimum_detectable_effect(n, design=design) == pytest.approx(d, rel=1e-8)


def test_one_sided_alternatives():
    n_larger = required_n(0.5, alternative="larger", exact=True)
    assert n_larger < required_n(0.5, exact=True)
    assert required_n(-0.5, alternative="smaller", exact=True) == pytest.approx(n_larger)
    assert minimum_detectable_effect(30, alternative="smaller") == pytest.approx(
        -minimum_detectable_effect(30, alternative="larger")
    )


def test_huge_effect_needs_at_least_two():
    assert required_n(50.0) == 2  # already powered at the smallest testable n


def test_design_effect_values():
    assert design_effect(21, 0.05) == pytest.approx(2.0)
    assert design_effect(1, 0.9) == 1.0
    assert design_effect(np.float64(10), 0.0) == 1.0


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"alpha": 1.5}, r"minimum_detectable_effect: parameter 'alpha' must be in \(0, 1\)"),
        ({"power": 0.0}, r"parameter 'power' must be in \(0, 1\), got 0.0"),
        ({"design": "cluster"}, r"parameter 'design' must be one of .*'cluster'"),
        ({"deff": 0.5}, r"parameter 'deff' must be a finite number >= 1, got 0.5"),
        ({"alternative": "both"}, r"parameter 'alternative' must be one of .*'both'"),
        ({"n": 1}, r"effective sample size n/deff = 1; at least 2"),
        ({"n": 3, "deff": 2.0}, r"effective sample size n/deff = 1.5"),
        ({"n": "30"}, r"parameter 'n' must be a finite number, got '30'"),
    ],
)
def test_mde_errors(kwargs, match):
    args = {"n": 30, **kwargs}
    with pytest.raises(ParameterError, match=match):
        minimum_detectable_effect(**args)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"d": 0.0}, r"required_n: parameter 'd' must be a finite non-zero number, got 0.0"),
        ({"d": float("nan")}, r"parameter 'd' must be a finite non-zero number"),
        ({"d": -0.5, "alternative": "larger"}, r"'d' = -0.5 points away from"),
        ({"d": 0.5, "alpha": 0}, r"required_n: parameter 'alpha' must be in \(0, 1\)"),
        ({"d": 0.5, "deff": float("inf")}, r"parameter 'deff' must be a finite number >= 1"),
    ],
)
def test_required_n_errors(kwargs, match):
    with pytest.raises(ParameterError, match=match):
        required_n(**kwargs)


@pytest.mark.parametrize(
    ("m", "icc", "match"),
    [
        (0.5, 0.1, r"design_effect: parameter 'm' must be >= 1, got 0.5"),
        (10, 1.5, r"design_effect: parameter 'icc' must be in \[0, 1\], got 1.5"),
        (10, -0.1, r"parameter 'icc' must be in \[0, 1\]"),
        (10, float("nan"), r"parameter 'icc' must be a finite number, got nan"),
        ("10", 0.1, r"parameter 'm' must be a finite number, got '10'"),
    ],
)
def test_design_effect_errors(m, icc, match):
    with pytest.raises(ParameterError, match=match):
        design_effect(m, icc)
