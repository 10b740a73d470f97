"""Tests that kill the mutation-testing survivors of evalkit.metrics.multiplicity (mutation/README.md).

Reference values come from tests/reference/survivors_multiplicity.R (R 4.2.2,
``stats::p.adjust``; output in survivors_multiplicity_output.txt), with the hand
calculation written beside each test. Each test compares with those values, never with
another call of the same function. Every test name holds ``adjust_p``: the mutation run
of this module selects its tests with ``-k "adjust_p or p_adjust"`` (mutation/modules.toml).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evalkit.errors import ParameterError
from evalkit.metrics.multiplicity import adjust_p

REF = Path(__file__).parent / "reference"


@pytest.fixture(scope="module")
def ref() -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}
    for line in (REF / "survivors_multiplicity_output.txt").read_text().splitlines():
        key, _, value = line.partition(" = ")
        out.setdefault(key.strip().split("[")[0], []).append(float(value))
    return out


def test_adjust_p_takes_p_values_of_exactly_0_and_1(ref):
    # Holm by hand: sorted 0, .02, .5, 1 times 4, 3, 2, 1 = 0, .06, 1, 1 (running max);
    # BH: times 4/1, 4/2, 4/3, 4/4 = 0, .04, .667, 1 (running min from the top).
    ends = [0.0, 0.5, 1.0, 0.02]
    np.testing.assert_allclose(adjust_p(ends, "holm").to_numpy(), ref["holm_ends"], rtol=1e-13)
    np.testing.assert_allclose(adjust_p(ends, "bh").to_numpy(), ref["bh_ends"], rtol=1e-13)


def test_adjust_p_reads_a_table_of_p_values_row_by_row(ref):
    # p.adjust(c(0.01, 0.04, 0.03, 0.5), "holm") = 0.04 0.09 0.09 0.5
    table = np.array([[0.01, 0.04], [0.03, 0.5]])
    got = adjust_p(table, "holm")
    assert got.shape == (4,)
    np.testing.assert_allclose(got.to_numpy(), ref["holm_table"], rtol=1e-13)
    np.testing.assert_allclose(adjust_p(table, "bh").to_numpy(), ref["bh_table"], rtol=1e-13)


def test_adjust_p_names_its_series_p_adjusted():
    got = adjust_p(pd.Series([0.01, 0.03], index=["x", "y"], name="p"), "holm")
    assert got.name == "p_adjusted" and list(got.index) == ["x", "y"]
    assert adjust_p([np.nan]).name == "p_adjusted"


@pytest.mark.parametrize(
    ("p", "message"),
    [
        (["x"], "adjust_p: parameter 'p' must be numeric p-values"),
        (
            [0.5, 1.5, -2.0],
            "adjust_p: parameter 'p' must hold p-values in [0, 1] (or NaN), got 1.5",
        ),
    ],
)
def test_adjust_p_messages(p, message):
    with pytest.raises(ParameterError, match=f"^{re.escape(message)}$"):
        adjust_p(p)
