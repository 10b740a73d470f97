"""Tests that kill the mutation-testing survivors of evalkit.metrics.power (mutation/README.md).

Reference values come from tests/reference/survivors_power.R (R 4.2.2, base
``stats::power.t.test(..., strict = TRUE, tol = 1e-13)``; output in
survivors_power_output.txt) and from hand calculations written beside the tests. Each
test compares with those values, never with another call of the same function.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from scipy import stats

from evalkit.errors import ParameterError
from evalkit.metrics.power import design_effect, minimum_detectable_effect, required_n

REF = Path(__file__).parent / "reference"
RTOL = 1e-9  # scipy's noncentral t and R's pt(ncp =) agree to about 1e-11 here


@pytest.fixture(scope="module")
def ref() -> dict[str, float]:
    out = {}
    for line in (REF / "survivors_power_output.txt").read_text().splitlines():
        key, _, value = line.partition(" = ")
        out[key.strip()] = float(value)
    return out


# --- one-sided tests: qt(1 - alpha, df) and no lower tail --------------------------------
def test_one_sided_n_and_mde_match_power_t_test(ref):
    # tt(delta = .5, power = .8, type = "paired", alternative = "one.sided")$n
    assert required_n(0.5, alternative="larger", exact=True) == pytest.approx(
        ref["n_paired_one_sided"], rel=RTOL
    )
    assert required_n(-0.5, alternative="smaller") == 27  # 26.14 rounded up
    # tt(delta = .4, sig.level = .1, power = .9, type = "two.sample", alternative = "one.sided")$n
    assert required_n(
        0.4, alpha=0.1, power=0.9, design="two-sample", alternative="larger", exact=True
    ) == pytest.approx(ref["n_two_one_sided_a10"], rel=RTOL)
    # tt(n = 30, power = .8, type = "paired", alternative = "one.sided")$delta
    assert minimum_detectable_effect(30, alternative="larger") == pytest.approx(
        ref["mde_paired_one_sided"], rel=RTOL
    )
    assert minimum_detectable_effect(30, alternative="smaller") == pytest.approx(
        -ref["mde_paired_one_sided"], rel=RTOL
    )
    # tt(n = 20, sig.level = .1, power = .7, type = "two.sample", alternative = "one.sided")$delta
    assert minimum_detectable_effect(
        20, alpha=0.1, power=0.7, design="two-sample", alternative="larger"
    ) == pytest.approx(ref["mde_two_one_sided"], rel=RTOL)


# --- a power just above alpha: the lower rejection tail counts ---------------------------
def test_low_power_counts_both_tails_as_strict_power_t_test(ref):
    # tt(n = 10, power = .06, type = "paired")$delta; without the lower tail ~ 0.14
    assert minimum_detectable_effect(10, power=0.06) == pytest.approx(
        ref["mde_paired_low_power"], rel=RTOL
    )
    assert minimum_detectable_effect(10, power=0.06, design="two-sample") == pytest.approx(
        ref["mde_two_low_power"], rel=RTOL
    )
    # tt(delta = .1, power = .1, type = "paired")$n and type = "two.sample"
    assert required_n(0.1, power=0.1, exact=True) == pytest.approx(
        ref["n_paired_low_power"], rel=RTOL
    )
    assert required_n(0.1, power=0.1, design="two-sample", exact=True) == pytest.approx(
        ref["n_two_low_power"], rel=RTOL
    )


# --- the smallest samples ------------------------------------------------------------------
def test_mde_at_exactly_two_pairs_or_two_per_group(ref):
    # n / deff = 2 is allowed (df 1 paired, df 2 two-sample): tt(n = 2, power = .8, ...)$delta
    assert minimum_detectable_effect(2) == pytest.approx(ref["mde_paired_n2"], rel=RTOL)
    assert minimum_detectable_effect(4, deff=2.0) == pytest.approx(ref["mde_paired_n2"], rel=RTOL)
    assert minimum_detectable_effect(2, design="two-sample") == pytest.approx(
        ref["mde_two_n2"], rel=RTOL
    )
    assert minimum_detectable_effect(2, alpha=0.2, power=0.3) == pytest.approx(
        ref["mde_paired_n2_a20"], rel=RTOL
    )


def test_required_n_just_above_two_pairs(ref):
    # tt(delta = 8, power = .8, type = "paired")$n = 2.167: two pairs are not enough for a
    # two-sided paired test, though they would be two-sided with 2 per group (df 2, mde
    # 5.65 above) or one-sided (mde 5.79 at n = 2).
    assert required_n(8.0, exact=True) == pytest.approx(ref["n_paired_d8"], rel=RTOL)
    assert required_n(8.0) == 3


def test_required_n_when_four_pairs_are_not_enough(ref):
    # tt(delta = 3.5, sig.level = .01, power = .8, type = "paired")$n = 4.14; at alpha .01
    # 4 per group two-sample would reach the power (mde 3.37 at n = 4), 4 pairs do not
    # (3.72), so the search must go past 4 on the paired power.
    assert required_n(3.5, alpha=0.01, exact=True) == pytest.approx(
        ref["n_paired_d3.5_a01"], rel=RTOL
    )
    assert required_n(3.5, alpha=0.01) == 5


def test_mde_solves_the_power_equation_to_the_documented_precision():
    # The docstring: the root is found to 1e-14. The power of the returned d from the
    # noncentral t directly (Notes: paired df = n - 1, ncp = d sqrt(n); two-sample
    # df = 2n - 2, ncp = d sqrt(n / 2); both tails) is the target to 1e-13. (A root only
    # to brentq's default xtol, 2e-12, misses it by 1.6e-12 to 4e-12 in these designs.)
    for n, power, design in ((5000, 0.9, "paired"), (5000, 0.8, "two-sample"),
                             (300, 0.2, "two-sample"), (30, 0.8, "paired")):  # fmt: skip
        d = minimum_detectable_effect(n, power=power, design=design)
        df, nc = (n - 1, d * n**0.5) if design == "paired" else (2 * n - 2, d * (n / 2) ** 0.5)
        crit = stats.t.ppf(0.975, df)
        got = stats.nct.sf(crit, df, nc) + stats.nct.cdf(-crit, df, nc)
        assert got == pytest.approx(power, abs=1e-13)


# --- design_effect -------------------------------------------------------------------------
def test_design_effect_at_icc_one_and_a_fractional_size():
    # 1 + (m - 1) icc by hand: 1 + 4 * 1 = 5 (everybody in a cluster answers alike);
    # 1 + 1.5 * 0.4 = 1.6
    assert design_effect(5, 1.0) == 5.0
    assert design_effect(2.5, 0.4) == pytest.approx(1.6, rel=1e-15)


@pytest.mark.parametrize(
    ("m", "icc", "message"),
    [
        ("10", 0.1, "design_effect: parameter 'm' must be a finite number, got '10'"),
        (10, float("inf"), "design_effect: parameter 'icc' must be a finite number, got inf"),
    ],
)
def test_design_effect_messages_name_the_function(m, icc, message):
    with pytest.raises(ParameterError, match=f"^{re.escape(message)}"):
        design_effect(m, icc)


# --- messages ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"power": 1.0}, "required_n: parameter 'power' must be in (0, 1)"),
        ({"design": "cluster"}, "required_n: parameter 'design' must be one of"),
        ({"alternative": "both"}, "required_n: parameter 'alternative' must be one of"),
        (
            {"d": 0.5, "alternative": "smaller"},
            "required_n: parameter 'd' = 0.5 points away from alternative='smaller'; "
            "use a positive d with 'larger' and a negative d with 'smaller'",
        ),
    ],
)
def test_required_n_messages_name_the_function(kwargs, message):
    with pytest.raises(ParameterError, match=f"^{re.escape(message)}"):
        required_n(**{"d": 0.5, **kwargs})


def test_mde_message_for_n_names_the_function():
    message = "minimum_detectable_effect: parameter 'n' must be a finite number, got nan"
    with pytest.raises(ParameterError, match=f"^{re.escape(message)}"):
        minimum_detectable_effect(float("nan"))
