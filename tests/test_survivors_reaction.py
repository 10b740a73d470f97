"""Survivors of mutation testing of evalkit.metrics.reaction (see mutation/README.md).

Each test pins a number, label or boundary that a mutant of ``reaction.py`` changed
without any other test noticing. Expected values are R (``tests/reference/survivors.R``)
or hand calculations written beside them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evalkit.errors import ParameterError
from evalkit.metrics.reaction import item_analysis, scale_scores

REF = Path(__file__).parent / "reference"


def test_item_analysis_r_total_matches_psych_raw_r():
    attitude = pd.read_csv(REF / "level12_attitude.csv")
    res = item_analysis(attitude)
    # psych::alpha(attitude)$item.stats$raw.r (tests/reference/survivors.R)
    raw_r = [
        0.77882570186017,
        0.836780550564568,
        0.697276803370625,
        0.806685922551726,
        0.850130443859541,
        0.420700988534005,
        0.595344985705998,
    ]
    np.testing.assert_allclose(res.loc[attitude.columns, "r_total"], raw_r, rtol=1e-12)


def _long(scores: list[float], scale_max: int = 5) -> pd.DataFrame:
    n = len(scores)
    return pd.DataFrame(
        {
            "cohort_id": ["K1"] * n,
            "participant_id": [f"p{i}" for i in range(n)],
            "item": ["m1"] * n,
            "dimension": ["content"] * n,
            "score": scores,
            "scale_max": [scale_max] * n,
        }
    )


@pytest.mark.parametrize("bad", [0.0, 0.5, -1.0])
def test_scale_scores_rejects_answers_below_one(bad):
    # Likert answers are coded 1..scale_max; a 0-coded answer is a coding error
    with pytest.raises(ParameterError, match=r"must lie between 1 and the item's 'scale_max'"):
        scale_scores(_long([4.0, bad, 5.0]))


def test_scale_scores_accepts_the_scale_ends():
    out = scale_scores(_long([1.0, 5.0, 5.0, 1.0])).iloc[0]
    # mean 3, sd sqrt(16/3); top-two box on 1-5 is {4, 5}: 2 of 4 = 50 %
    assert out["mean"] == 3.0
    assert out["sd"] == pytest.approx(np.sqrt(16 / 3), rel=1e-15)
    assert out["pct_top_box"] == 50.0
    # POMP (3 - 1) / (5 - 1) x 100 = 50; pct_of_max 3 / 5 x 100 = 60
    assert out["pomp"] == 50.0 and out["pct_of_max"] == pytest.approx(60.0, rel=1e-15)
