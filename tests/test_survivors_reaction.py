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

from evalkit.errors import EvalkitWarning, ParameterError
from evalkit.metrics.reaction import cronbach_alpha, item_analysis, scale_scores

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


def test_alpha_groups_too_small_or_without_total_variance_are_nan_with_named_warnings():
    # "flat": every total is 6 although no item is constant (a 1 2 3, b 3 1 2, c 2 3 1),
    # so sum(s_j^2) / s_X^2 = 3 / 0 and alpha would be -inf; std alpha (r_bar = -1/2)
    # would be -inf too. "one": a single row. "ok": a 4 2 5, b 4 3 4, c 5 3 4: item
    # variances 7/3, 1/3, 1; total 13 8 13 with variance 25/3;
    # alpha = 3/2 x (1 - (11/3) / (25/3)) = 21/25
    items = pd.DataFrame(
        {
            "a": [1, 2, 3, 4, 2, 5, 1.0],
            "b": [3, 1, 2, 4, 3, 4, 2.0],
            "c": [2, 3, 1, 5, 3, 4, 1.0],
        }
    )
    groups = ["flat", "flat", "flat", "ok", "ok", "ok", "one"]
    with pytest.warns(EvalkitWarning) as record:
        out = cronbach_alpha(items, by=groups)
    assert [str(w.message) for w in record] == [
        "cronbach_alpha: 1 group(s) give NaN because fewer than 2 rows without a missing "
        "item, e.g. 'one'",
        "cronbach_alpha: 1 group(s) give NaN because every respondent has the same total "
        "score (no variance); alpha is undefined, e.g. 'flat'",
    ]
    assert out.loc["ok", "alpha"] == pytest.approx(21 / 25, rel=1e-14)
    for group in ("flat", "one"):
        assert out.loc[group, ["alpha", "std_alpha", "ci_low", "ci_high"]].isna().all()
    assert out["n"].tolist() == [3.0, 3.0, 1.0] and out["k"].tolist() == [3.0, 3.0, 3.0]


def test_alpha_single_call_is_a_named_series_and_a_constant_item_is_named_in_the_warning():
    # a 1 2 3 4 (var 5/3), b 2 3 3 4 (var 2/3), c constant 3: total 6 8 9 11 (var 13/3);
    # alpha = 3/2 x (1 - (5/3 + 2/3) / (13/3)) = 3/2 x 6/13 = 9/13; std alpha NaN
    items = pd.DataFrame({"a": [1, 2, 3, 4.0], "b": [2, 3, 3, 4.0], "c": [3, 3, 3, 3.0]})
    with pytest.warns(EvalkitWarning) as record:
        out = cronbach_alpha(items)
    assert [str(w.message) for w in record] == [
        "cronbach_alpha: 1 group(s) have a constant item; std_alpha is NaN there"
    ]
    assert out.name == "cronbach_alpha"
    assert out.index.tolist() == ["alpha", "std_alpha", "ci_low", "ci_high", "n", "k"]
    assert out["alpha"] == pytest.approx(9 / 13, rel=1e-14)
    assert np.isnan(out["std_alpha"]) and out["n"] == 4.0 and out["k"] == 3.0


_COLUMNS = "['cohort_id', 'participant_id', 'item', 'dimension', 'score', 'scale_max']"


def _without(column: str) -> str:
    return _COLUMNS.replace(f"'{column}', ", "").replace(f", '{column}'", "")


@pytest.mark.parametrize(
    ("change", "kwargs", "message"),
    [
        (None, {"ci": 0}, "parameter 'ci' must be a number in (0, 1), got 0"),
        ("list", {}, "parameter 'data' must be the long reaction DataFrame, got list"),
        *(
            (
                f"drop {col}",
                {},
                f"parameter {param!r} names column {col!r}, which is not in the data; "
                f"columns are {_without(col)}",
            )
            for param, col in [
                ("dimension", "dimension"),
                ("score", "score"),
                ("scale_max", "scale_max"),
                ("participant", "participant_id"),
            ]
        ),
        (
            None,
            {"by": "unit"},
            f"parameter 'by' names column 'unit', which is not in the data; columns are {_COLUMNS}",
        ),
        (None, {"top_box": True}, "parameter 'top_box' must be an integer >= 1, got True"),
        ("no scores", {}, "column 'score' has no non-missing value"),
        *(
            (
                f"text {col}",
                {},
                f"column {col!r} must hold numbers, got non-numeric value 'lima' (row 1); map "
                "answer labels to numbers first",
            )
            for col in ("score", "scale_max")
        ),
        (None, {"top_box": 1.5}, "parameter 'top_box' must be an integer >= 1, got 1.5"),
        (
            "mixed",
            {},
            "column 'scale_max' must be the same for every item of a dimension; group "
            "('K1', 'content') mixes 4 and 5",
        ),
    ],
)
def test_scale_scores_error_messages_name_function_parameter_and_column(change, kwargs, message):
    data = _long([4.0, 5.0])
    if change == "list":
        data = [1]
    elif change == "no scores":
        data = data.assign(score=[np.nan, np.nan])
    elif change is not None and change.startswith("text"):
        data = data.assign(**{change.split()[1]: ["4", "lima"]})
    elif change == "mixed":
        data = data.assign(scale_max=[5, 4])
    elif change is not None:
        data = data.drop(columns=change.split()[1])
    with pytest.raises(ParameterError) as err:
        scale_scores(data, **kwargs)
    assert str(err.value) == f"scale_scores: {message}"


def test_scale_scores_names_the_first_group_in_sorted_order_that_mixes_scales():
    data = pd.concat([_long([4.0, 4.0]).assign(cohort_id="K2", scale_max=[5, 4]),
                      _long([4.0, 4.0]).assign(cohort_id="K1", scale_max=[7, 5])],
                     ignore_index=True)  # fmt: skip
    with pytest.raises(ParameterError) as err:
        scale_scores(data)
    assert str(err.value) == (
        "scale_scores: column 'scale_max' must be the same for every item of a dimension; "
        "group ('K1', 'content') mixes 5 and 7"
    )


def test_scale_scores_with_categorical_keys_shows_observed_groups_only():
    # an unused category (a cohort without answers, a dimension not asked) is no group:
    # K1 content: participants 4, 5 -> n 2, mean 4.5; K2 content: 2, 3, 4 -> mean 3
    data = pd.concat([_long([4.0, 5.0]), _long([2.0, 3.0, 4.0]).assign(cohort_id="K2")],
                     ignore_index=True)  # fmt: skip
    data["cohort_id"] = pd.Categorical(data["cohort_id"], categories=["K1", "K2", "K3"])
    data["dimension"] = pd.Categorical(data["dimension"], categories=["content", "venue"])
    out = scale_scores(data)
    assert out.index.tolist() == [("K1", "content"), ("K2", "content")]
    assert out["n"].tolist() == [2.0, 3.0] and out["n_responses"].tolist() == [2.0, 3.0]
    assert out["mean"].tolist() == [4.5, 3.0]
    # top-two box on 1-5 is {4, 5}: K1 2 of 2, K2 1 of 3
    assert out["pct_top_box"].tolist() == pytest.approx([100.0, 100 / 3], rel=1e-15)
