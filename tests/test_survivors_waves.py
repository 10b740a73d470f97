"""Survivors of mutation testing of evalkit.metrics.waves (see mutation/README.md).

Each test pins a number that a mutant of ``waves.py`` changed without any other test
noticing. Expected values are hand calculations written beside them.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from evalkit.errors import ParameterError
from evalkit.metrics.waves import behavior_change


def _two_waves(cohorts: list[str]) -> pd.DataFrame:
    """Six people rated by themselves at 3 and 6 months on one 1-5 item (the docstring's)."""
    people = ["p1", "p2", "p3", "p4", "p5", "p6"]
    return pd.DataFrame(
        {
            "cohort_id": np.repeat(cohorts, 2),
            "participant_id": np.repeat(people, 2),
            "rater": "self",
            "item": "b1",
            "months_after": [3, 6] * 6,
            "score": [3, 4, 2, 3, 4, 4, 3, 5, 2, 2, 3, 4],
            "scale_max": 5,
        }
    )


def test_behavior_change_descriptive_columns_by_hand():
    # index = score / 5 x 100: baseline 60, 40, 80, 60, 40, 60 (mean 340 / 6),
    # later 80, 60, 80, 100, 40, 80 (mean 440 / 6); d = 20, 20, 0, 40, 0, 20 (mean 100 / 6),
    # sum of squared deviations 3400 / 3, sd = sqrt(3400 / 15), d_z = mean / sd
    out = behavior_change(_two_waves(["a", "a", "b", "b", "c", "c"]))
    sd = np.sqrt(3400 / 15)
    assert out["mean_baseline"] == pytest.approx(340 / 6, rel=1e-12)
    assert out["mean_later"] == pytest.approx(440 / 6, rel=1e-12)
    assert out["mean_change"] == pytest.approx(100 / 6, rel=1e-12)
    assert out["sd_change"] == pytest.approx(sd, rel=1e-12)
    assert out["d_z"] == pytest.approx(100 / 6 / sd, rel=1e-12)
    assert out.name == "behavior_change"


def test_behavior_change_two_cohorts_are_clustered_not_paired():
    # cohorts a (p1-p3) and b (p4-p6): residuals d - 100/6 sum to -10 and +10 per cohort;
    # CR1 of lm(d ~ 1): G / (G - 1) x sum_g S_g^2 / n^2 = 2 x 200 / 36, se = 10 / 3, t on 1 df
    out = behavior_change(_two_waves(["a", "a", "a", "b", "b", "b"]))
    assert out["n_clusters"] == 2
    assert out["se"] == pytest.approx(10 / 3, rel=1e-12)
    assert out["df"] == 1
    assert out["t"] == pytest.approx(5.0, rel=1e-12)  # (100 / 6) / (10 / 3)


def test_behavior_change_constant_and_small_changes():
    # everybody gains exactly one point (20 index points): sd 0, so d_z is NaN and the
    # paired t is +inf
    fu = _two_waves(["a"] * 6)
    fu.loc[fu["months_after"] == 6, "score"] = (
        fu.loc[fu["months_after"] == 3, "score"].to_numpy() + 1
    )
    fu.loc[fu["months_after"] == 3, "score"] = fu.loc[fu["months_after"] == 3, "score"].clip(
        upper=4
    )
    fu.loc[fu["months_after"] == 6, "score"] = (
        fu.loc[fu["months_after"] == 3, "score"].to_numpy() + 1
    )
    with warnings.catch_warnings():  # no numpy warning reaches the caller
        warnings.simplefilter("error", RuntimeWarning)
        out = behavior_change(fu)
    assert out["mean_change"] == 20.0 and out["sd_change"] == 0.0
    assert np.isnan(out["d_z"]) and out["t"] == np.inf
    assert out["p"] == 0.0 and out["p_paired"] == 0.0  # an infinite t
    # changes of 0, 1, 1, 0, 1, 1 index points (scale 0-100): sd = sqrt(4 / 15) < 1, d_z
    # = (4 / 6) / sqrt(4 / 15)
    small = _two_waves(["a"] * 6).assign(scale_max=100)
    small.loc[small["months_after"] == 6, "score"] = small.loc[
        small["months_after"] == 3, "score"
    ].to_numpy() + [0, 1, 1, 0, 1, 1]
    out = behavior_change(small)
    assert out["d_z"] == pytest.approx((4 / 6) / np.sqrt(4 / 15), rel=1e-12)


def test_behavior_change_other_column_names_and_messages():
    fu = _two_waves(["a", "a", "b", "b", "c", "c"]).rename(
        columns={
            "participant_id": "nip",
            "rater": "penilai",
            "item": "butir",
            "score": "skor",
            "scale_max": "maks",
        }
    )
    names = dict(participant="nip", rater="penilai", item="butir", score="skor", scale_max="maks")
    assert behavior_change(fu, **names)["mean_change"] == pytest.approx(100 / 6, rel=1e-12)
    # raters passed on: the supervisor gave no rating, so nobody has two waves
    with pytest.raises(ParameterError, match=r"followup has no rows for raters \['supervisor'\]"):
        behavior_change(fu, raters=["supervisor"], **names)
    with pytest.raises(ParameterError, match=r"^behavior_change: parameter 'ci'"):
        behavior_change(fu, ci=0, **names)
    with pytest.raises(
        ParameterError, match=r"^behavior_change: followup has no column\(s\) \['unit'\]"
    ):
        behavior_change(fu, cluster="unit", **names)
    with pytest.raises(ParameterError, match=r"^behavior_change: parameter 'later' = 12"):
        behavior_change(fu, later=12, **names)
