"""Survivors of mutation testing of evalkit.metrics.reaction (see mutation/README.md).

Each test pins a number, label or boundary that a mutant of ``reaction.py`` changed
without any other test noticing. Expected values are R (``tests/reference/survivors.R``)
or hand calculations written beside them.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evalkit.errors import EvalkitWarning, ParameterError
from evalkit.metrics.reaction import (
    cronbach_alpha,
    feldt_interval,
    fisher_z_interval,
    grouped_alpha,
    item_analysis,
    item_total_flag,
    percent_of_max,
    pomp_answers,
    scale_scores,
)

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


# --- item_analysis, feldt_interval, fisher_z_interval (tests/reference/survivors_reaction.R)

# Four items a-d; group A has 6 complete rows and one with a missing answer (dropped
# listwise), B has 5 rows, C a single row (too small: NaN with a warning).
_GROUPED = pd.DataFrame(
    {
        "g": ["A"] * 7 + ["B"] * 5 + ["C"],
        "a": [4, 5, 3, 4, 2, 5, np.nan, 2, 3, 4, 4, 5, 3],
        "b": [4, 4, 3, 5, 2, 4, 1, 3, 3, 5, 4, 4, 4],
        "c": [5, 5, 2, 4, 3, 4, 1, 1, 2, 4, 5, 5, 2],
        "d": [3, 4, 2, 5, 1, 4, 1, 2, 4, 3, 3, 5, 5],
    }
)

# R (survivors_reaction.R): mean, sd, cor(x, rest), cor(x, rowSums), alpha of the other
# three items by formula, cor.test(x, rest, conf.level = 0.90)$conf.int
_GROUPED_R = {
    "A": {
        "mean": [3.83333333333333, 3.66666666666667, 3.83333333333333, 3.16666666666667],
        "sd": [1.16904519445001, 1.03279555898864, 1.16904519445001, 1.47196014438797],
        "r_drop": [0.857114870175447, 0.884434167156603, 0.667571849251482, 0.887443835454376],
        "r_total": [0.919919602512195, 0.930504001246141, 0.802483057510638, 0.94823744330862],
        "alpha_if_dropped": [0.876506024096386, 0.875354107648725, 0.9375, 0.871323529411765],
        "r_drop_ci_low": [0.320955982074605, 0.418699957580607, -0.142333599286928,
                          0.430171015426285],
        "r_drop_ci_high": [0.97723097902273, 0.981809315827676, 0.942055326326745,
                           0.982306863915425],
    },
    "B": {
        "mean": [3.6, 3.8, 3.4, 3.4],
        "sd": [1.14017542509914, 0.836660026534076, 1.81659021245849, 1.14017542509914],
        "r_drop": [0.994588971057933, 0.595227743181203, 0.871945790621182, 0.516827671389595],
        "r_total": [0.997090017904045, 0.71442306371767, 0.954858582071142, 0.698990940386341],
        "alpha_if_dropped": [0.688775510204082, 0.858695652173913, 0.761194029850746,
                             0.874015748031496],
        "r_drop_ci_low": [0.945949141694269, -0.44412968194806, 0.176194819098911,
                          -0.530675973203413],
        "r_drop_ci_high": [0.999470218586448, 0.951633828021426, 0.986726240230976,
                           0.939654414567718],
    },
}  # fmt: skip

_ITEM_COLUMNS = [
    "n", "mean", "sd", "r_drop", "r_total", "alpha_if_dropped",
    "r_drop_ci_low", "r_drop_ci_high", "r_drop_flag",
]  # fmt: skip


def test_item_analysis_by_group_matches_base_r_and_leaves_a_one_row_group_nan():
    with pytest.warns(EvalkitWarning) as record:
        out = item_analysis(_GROUPED, by="g", ci=0.90)
    assert [str(w.message) for w in record] == [
        "item_analysis: 1 group(s) give NaN because fewer than 2 rows without a missing "
        "item, e.g. 'C'"
    ]
    assert out.columns.tolist() == _ITEM_COLUMNS
    assert out.index.names == ["g", "item"]
    assert out.index.tolist() == [(g, j) for g in "ABC" for j in "abcd"]
    assert out["n"].tolist() == [6.0] * 4 + [5.0] * 4 + [1.0] * 4
    for group, ref in _GROUPED_R.items():
        for column, values in ref.items():
            np.testing.assert_allclose(out.loc[group, column], values, rtol=1e-12, err_msg=column)
    # flags by the 90 % interval against .30: A c and B b, c, d span .30
    assert out.loc["A", "r_drop_flag"].tolist() == ["adequate", "adequate", "uncertain", "adequate"]
    assert out.loc["B", "r_drop_flag"].tolist() == ["adequate"] + ["uncertain"] * 3
    lone = out.loc["C"]
    assert lone.drop(columns=["n", "r_drop_flag"]).isna().all().all()
    assert lone["r_drop_flag"].isna().all()


def test_feldt_interval_matches_qf_for_several_levels_and_is_nan_without_df():
    # R (survivors_reaction.R): 1 - (1 - alpha) qf(1 - g/2, n - 1, (n - 1)(k - 1)) and qf(g/2)
    low, high = feldt_interval(0.8, 10, 4, 0.90)
    assert (float(low), float(high)) == pytest.approx(
        (0.549973704559467, 0.9305585617182), rel=1e-12
    )
    low, high = feldt_interval([0.6, 0.9], [25, 2], [3, 5], level=0.95)
    assert low[0] == pytest.approx(0.222464110078089, rel=1e-12)
    assert high[0] == pytest.approx(0.810728522805256, rel=1e-12)
    low, high = feldt_interval(0.9, 2, 5, level=0.80)
    assert (float(low), float(high)) == pytest.approx(
        (0.545522927962873, 0.998208943283868), rel=1e-12
    )
    # the default level is 0.95: alpha .6, n 25, k 3 as above
    assert feldt_interval(0.6, 25, 3)[0] == pytest.approx(0.222464110078089, rel=1e-12)
    # one row (no df) or alpha NaN: NaN, without a warning
    low, high = feldt_interval([0.8, np.nan], [1, 10], 4)
    assert np.isnan(low).all() and np.isnan(high).all()


def test_fisher_z_interval_matches_cor_test_formula_and_needs_more_than_three_pairs():
    # R (survivors_reaction.R): tanh(atanh(r) -/+ qnorm(0.5 + level/2) / sqrt(n - 3))
    low, high = fisher_z_interval(0.5, 4, 0.90)
    assert (float(low), float(high)) == pytest.approx(
        (-0.798893961449856, 0.97546163413847), rel=1e-12
    )
    low, high = fisher_z_interval([-0.3, 0.7], [12, 40], level=0.95)
    assert (low[0], high[0]) == pytest.approx((-0.745541393608971, 0.330867179875178), rel=1e-12)
    low, high = fisher_z_interval(0.7, 40, level=0.80)
    assert (float(low), float(high)) == pytest.approx(
        (0.576106131353926, 0.792451155298852), rel=1e-12
    )
    assert fisher_z_interval(-0.3, 12)[1] == pytest.approx(0.330867179875178, rel=1e-12)
    # n <= 3 (no df left) or r NaN: NaN both ends
    low, high = fisher_z_interval([0.5, 0.5, np.nan, 0.5], [3, 2, 10, 0])
    assert np.isnan(low).all() and np.isnan(high).all()


def test_item_analysis_messages_name_the_function():
    items = pd.DataFrame({"a": [1, 2, 3, 4.0], "b": [2, 2, 4, 3.0], "c": [1, 3, 3, 5.0]})
    with pytest.raises(ParameterError) as err:
        item_analysis(items, ci=1.5)
    assert str(err.value) == "item_analysis: parameter 'ci' must be a number in (0, 1), got 1.5"
    with pytest.raises(ParameterError) as err:
        item_analysis(items[["a"]])
    assert str(err.value) == (
        "item_analysis: parameter 'items' must have at least 2 item columns, got 1 (['a'])"
    )
    with pytest.warns(EvalkitWarning) as record:
        item_analysis(items.assign(b=3.0))
    assert [str(w.message) for w in record] == [
        "item_analysis: constant item(s) ['b']: their item-total r is NaN"
    ]
    with pytest.warns(EvalkitWarning) as record:
        two = item_analysis(items[["a", "c"]])
    assert [str(w.message) for w in record] == [
        "item_analysis: with 2 items, alpha if an item is dropped is undefined (NaN)"
    ]
    # two items: r_drop is the items' own r, the same for both: a 1 2 3 4, c 1 3 3 5 have
    # cov 6/3 = 2 and variances 5/3, 8/3, r = 2 / sqrt(40/9) = 0.9487
    np.testing.assert_allclose(two["r_drop"], 2 / np.sqrt(5 / 3 * 8 / 3), rtol=1e-14)


def _grouped_matrix() -> tuple[np.ndarray, np.ndarray]:
    """The complete rows of _GROUPED's groups A and B, sorted, as grouped_alpha takes them."""
    rows = _GROUPED[_GROUPED["g"] != "C"].dropna()
    codes = (rows["g"] == "B").to_numpy().astype(np.intp)
    return np.asfortranarray(rows[list("abcd")].to_numpy(dtype=float)), codes


def test_grouped_alpha_moments_match_base_r_and_an_empty_group_is_nan_without_warnings():
    matrix, codes = _grouped_matrix()
    raw = matrix.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # a third group (code 2) without rows, as when all its rows miss an answer
        parts = grouped_alpha(matrix, codes, 3)
    assert set(parts) == {"n", "mean", "var", "var_total", "cov_total", "alpha", "std_alpha"}
    assert parts["n"].tolist() == [6.0, 5.0, 0.0]
    # R (survivors_reaction.R): var(rowSums(x)), cov(x_j, rowSums(x)), var(x_j), alpha and
    # std.alpha by formula, mean(x_j), per group
    np.testing.assert_allclose(parts["var_total"][:2], [19.1, 18.2], rtol=1e-13)
    np.testing.assert_allclose(
        parts["cov_total"][:2], [[4.7, 4.2, 4.1, 6.1], [4.85, 2.55, 7.4, 3.4]], rtol=1e-13
    )
    np.testing.assert_allclose(
        parts["var"][:2],
        [[1.36666666666667, 1.06666666666667, 1.36666666666667, 2.16666666666667],
         [1.3, 0.7, 3.3, 1.3]],
        rtol=1e-13,
    )  # fmt: skip
    np.testing.assert_allclose(
        parts["mean"][:2], [_GROUPED_R["A"]["mean"], _GROUPED_R["B"]["mean"]], rtol=1e-13
    )
    np.testing.assert_allclose(
        parts["alpha"][:2], [0.916812100058173, 0.84981684981685], rtol=1e-13
    )
    np.testing.assert_allclose(
        parts["std_alpha"][:2], [0.922186748477756, 0.864604301118215], rtol=1e-13
    )
    for key in ("mean", "alpha", "std_alpha"):  # (the callers mask groups under 2 rows)
        assert np.isnan(parts[key][2]).all(), key
    # the matrix is overwritten with the within-group centred answers
    means = parts["mean"][codes]
    np.testing.assert_allclose(matrix, raw - means, rtol=0, atol=1e-14)


def test_grouped_alpha_without_item_covariances_or_standardised_alpha_leaves_them_nan():
    matrix, codes = _grouped_matrix()
    parts = grouped_alpha(matrix, codes, 2, standardised=False, items=False)
    assert np.isnan(parts["cov_total"]).all() and parts["cov_total"].shape == (2, 4)
    assert np.isnan(parts["std_alpha"]).all() and parts["std_alpha"].shape == (2,)
    np.testing.assert_allclose(parts["alpha"], [0.916812100058173, 0.84981684981685], rtol=1e-13)


def test_item_total_flag_is_missing_where_either_end_is_missing():
    got = item_total_flag([np.nan, 0.5, np.nan, 0.1, -0.5], [0.9, np.nan, np.nan, 0.6, 0.1])
    assert got.dtype == object and got.shape == (5,)
    assert pd.isna(got[:3]).all() and [type(v) for v in got[:3]] == [float] * 3
    assert got[3:].tolist() == ["uncertain", "review"]


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        ([1], "parameter 'answers' must be a DataFrame, got list"),
        (
            pd.DataFrame({"x": [1]}),
            "parameter 'score' names column 'score', which is not in the data; columns are ['x']",
        ),
        (
            pd.DataFrame({"score": [True, False], "scale_max": [5, 5]}),
            "column 'score' of answers must be numeric, got dtype bool (e.g. value True)",
        ),
        (
            pd.DataFrame({"score": [4, 3], "scale_max": [True, True]}),
            "column 'scale_max' of answers must be numeric, got dtype bool (e.g. value True)",
        ),
    ],
)
@pytest.mark.parametrize("name", ["percent_of_max", "pomp_answers"])
def test_rescaled_answers_error_messages_name_function_and_column(name, frame, message):
    func = {"percent_of_max": percent_of_max, "pomp_answers": pomp_answers}[name]
    with pytest.raises(ParameterError) as err:
        func(frame)
    assert str(err.value) == f"{name}: {message}"


def test_rescaled_answers_name_the_first_bad_scale_maximum():
    answers = pd.DataFrame({"score": [4, 5, 3, 1], "scale_max": [5, -1, 0, 1]})
    with pytest.raises(ParameterError) as err:
        percent_of_max(answers)
    assert str(err.value) == (
        "percent_of_max: column 'scale_max' of answers must be positive, got -1.0"
    )
    with pytest.raises(ParameterError) as err:
        pomp_answers(answers)
    assert str(err.value) == (
        "pomp_answers: column 'scale_max' of answers must be above the lowest answer 1, got -1.0"
    )
    with pytest.raises(ParameterError, match=r"above the lowest answer 1, got 1\.0$"):
        pomp_answers(answers.iloc[3:])
    # a maximum of 1 is positive: 4 of 1 is 400 % (the caller's sign of a wrong scale);
    # a maximum just above 1 is allowed for POMP: (2 - 1) / (1.5 - 1) x 100 = 200
    assert percent_of_max(answers.iloc[3:].assign(score=4))["score"].tolist() == [400.0]
    assert pomp_answers(pd.DataFrame({"score": [2], "scale_max": [1.5]}))["score"].tolist() == [
        200.0
    ]


def test_rescaled_answers_keep_other_columns_and_missing_answers():
    answers = pd.DataFrame(
        {"id": ["a", "b", "c"], "score": [2.0, np.nan, 4.0], "scale_max": [4, 5, 5]},
        index=[7, 8, 9],
    )
    # 2 of 4 is 50 % of the maximum and POMP (2 - 1) / 3 x 100 = 33.33; 4 of 5: 80 and 75
    pct = percent_of_max(answers)
    on_100 = pomp_answers(answers)
    for out, scores in ((pct, [50.0, 80.0]), (on_100, [100 / 3, 75.0])):
        assert out.columns.tolist() == ["id", "score", "scale_max"]
        assert out.index.tolist() == [7, 8, 9] and out["id"].tolist() == ["a", "b", "c"]
        assert out["score"].iloc[[0, 2]].tolist() == pytest.approx(scores, rel=1e-15)
        assert np.isnan(out["score"].iloc[1]) and out["scale_max"].tolist() == [100] * 3
    assert answers["score"].iloc[[0, 2]].tolist() == [2.0, 4.0]


def test_prepare_messages_and_the_by_column_is_not_an_item():
    items = pd.DataFrame({"a": [1, 2, np.nan], "b": [2, 3, 1.0], "c": [1, np.nan, 3]})
    with pytest.raises(ParameterError) as err:
        cronbach_alpha(items)
    assert str(err.value) == (
        "cronbach_alpha: parameter 'items' needs at least 2 rows without a missing item, got 1"
    )
    with pytest.raises(ParameterError) as err:
        cronbach_alpha(items[["a"]].assign(g=[1, 1, 2]), by="g")
    assert str(err.value) == (
        "cronbach_alpha: parameter 'items' must have at least 2 item columns, got 1 (['a'])"
    )
    # by names a column: it is the grouping, not a third item. Group x: a 1 2, b 2 3 have
    # variances 1/2 each and the total 3 5 variance 2: alpha = 2 x (1 - 1/2) = 1
    by_name = pd.DataFrame({"a": [1, 2, 3, 1.0], "b": [2, 3, 4, 3.0], "g": ["x", "x", "y", "y"]})
    out = cronbach_alpha(by_name, by="g")
    assert out["k"].tolist() == [2.0, 2.0] and out.index.tolist() == ["x", "y"]
    assert out.loc["x", "alpha"] == pytest.approx(1.0, rel=1e-14)
    # group y: a 3 1, b 4 3 (variances 2, 1/2), total 7 4 (variance 9/2): 2 x (1 - 5/9) = 8/9
    assert out.loc["y", "alpha"] == pytest.approx(8 / 9, rel=1e-14)


def test_intervals_and_flags_take_none_as_missing_and_never_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # None in a plain list is a missing value (NaN), in every argument
        for args in (([0.8, None], 10, 4), (0.8, [10, None], 4), (0.8, 10, [4, None])):
            low, high = feldt_interval(*args, level=0.90)
            assert low[0] == pytest.approx(0.549973704559467, rel=1e-12)
            assert high[0] == pytest.approx(0.9305585617182, rel=1e-12)
            assert np.isnan(low[1]) and np.isnan(high[1])
        for args in (([0.5, None], 4), (0.5, [4, None])):
            low, high = fisher_z_interval(*args, level=0.90)
            assert (low[0], high[0]) == pytest.approx(
                (-0.798893961449856, 0.97546163413847), rel=1e-12
            )
            assert np.isnan(low[1]) and np.isnan(high[1])
        # r = +-1 (atanh infinite) gives the point itself; |r| > 1 gives NaN
        low, high = fisher_z_interval([1, -1, 1.5], 10)
        assert low[:2].tolist() == [1.0, -1.0] and high[:2].tolist() == [1.0, -1.0]
        assert np.isnan(low[2]) and np.isnan(high[2])
        for low, high in (([0.35, None], [0.8, 0.9]), ([0.35, 0.1], [0.8, None])):
            flags = item_total_flag(low, high)
            assert flags[0] == "adequate" and pd.isna(flags[1])


def test_fisher_z_interval_with_an_effective_number_of_pairs():
    # n need not be whole (an effective sample size); R (survivors_reaction.R):
    # tanh(atanh(.5) -/+ qnorm(.975) / sqrt(n - 3)) for n = 3.5 and 4.5
    low, high = fisher_z_interval(0.5, [3.5, 4.5])
    np.testing.assert_allclose(low, [-0.976798179968072, -0.7821939583394], rtol=1e-12)
    np.testing.assert_allclose(high, [0.99739515908529, 0.973205554424714], rtol=1e-12)


def test_item_analysis_with_a_constant_rest_score_says_so_and_gives_nan():
    # b + c is 4 in every row, so item a's rest score is constant: its r_drop is 0 / 0
    # and its alpha if dropped 2 x (1 - (1 + 1) / 0) would be -inf, the alpha of b and c,
    # whose total has no variance (cronbach_alpha refuses it): both NaN, with a warning
    # naming a and no RuntimeWarning. Items b and c keep their values: b's rest (a + c)
    # is 4 4 5 5, c's (a + b) is 2 4 7 5.
    items = pd.DataFrame({"a": [1, 2, 4, 3.0], "b": [1, 2, 3, 2.0], "c": [3, 2, 1, 2.0]})
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        out = item_analysis(items)
    messages = [str(w.message) for w in seen]
    assert not [w for w in seen if issubclass(w.category, RuntimeWarning)], messages
    assert [m for m in messages if "item(s) ['a']" in m and "r_drop and alpha if dropped" in m]
    assert np.isnan(out.loc["a", "r_drop"]) and np.isnan(out.loc["a", "alpha_if_dropped"])
    # b against a + c: cov(b, a + c) / sqrt(var(b) var(a + c)); b 1 2 3 2 (var 2/3),
    # a + c 4 4 5 5 (var 1/3), cov 1/3: r = (1/3) / sqrt(2/9) = 0.7071068
    assert out.loc["b", "r_drop"] == pytest.approx(1 / np.sqrt(2), rel=1e-12)
    # cronbach_alpha refuses the rest of a (b and c), whose total is constant
    with pytest.raises(ParameterError, match="same total score"):
        cronbach_alpha(items[["b", "c"]])


def test_two_complete_rows_are_enough_and_a_misaligned_by_names_the_function():
    # a 1 2, b 2 4: variances 1/2 and 2, total 3 6 with variance 9/2:
    # alpha = 2 x (1 - (5/2) / (9/2)) = 8/9
    out = cronbach_alpha(pd.DataFrame({"a": [1, 2.0], "b": [2, 4.0]}))
    assert out["alpha"] == pytest.approx(8 / 9, rel=1e-14) and out["n"] == 2.0
    with pytest.raises(ParameterError) as err:
        cronbach_alpha(pd.DataFrame({"a": [1, 2, 3.0], "b": [2, 1, 3.0]}), by=["x", "y"])
    assert str(err.value) == "cronbach_alpha: parameter 'by' must have one value per row (3), got 2"


def test_percent_of_max_names_the_first_maximum_not_above_zero():
    # a maximum of 1 is allowed (positive); the first bad one is the 0
    answers = pd.DataFrame({"score": [4, 5, 3], "scale_max": [5, 1, 0]})
    with pytest.raises(ParameterError) as err:
        percent_of_max(answers)
    assert (
        str(err.value) == "percent_of_max: column 'scale_max' of answers must be positive, got 0.0"
    )


_SCALE_COLUMNS = [
    "n", "n_responses", "mean", "sd", "ci_low", "ci_high", "pct_top_box", "scale_max",
    "pomp", "pomp_ci_low", "pomp_ci_high", "pct_of_max",
]  # fmt: skip


def test_scale_scores_two_participants_are_enough_and_one_warns_by_name():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        two = scale_scores(_long([3.0, 5.0])).iloc[0]
    # mean 4, sd sqrt(2), t interval 4 -/+ qt(.975, 1) x sqrt(2) / sqrt(2) = 4 -/+ 12.7062
    assert two["sd"] == pytest.approx(np.sqrt(2), rel=1e-15)
    assert two["ci_high"] - 4 == pytest.approx(12.706204736174696, rel=1e-12)
    with pytest.warns(EvalkitWarning) as record:
        scale_scores(_long([4.0]))
    assert [str(w.message) for w in record] == [
        "scale_scores: 1 group(s) have fewer than 2 participants; sd and CI are NaN"
    ]


def test_scale_scores_columns_and_a_group_whose_only_answer_has_no_participant():
    # K2's only answer has no participant id: no participant score, so no K2 row
    data = pd.concat([_long([4.0, 5.0]), _long([2.0]).assign(cohort_id="K2", participant_id=None)],
                     ignore_index=True)  # fmt: skip
    out = scale_scores(data)
    assert out.columns.tolist() == _SCALE_COLUMNS
    assert out.index.tolist() == [("K1", "content")]
    row = out.iloc[0]
    assert (row["n"], row["n_responses"], row["mean"]) == (2.0, 2.0, 4.5)
    assert out["n_responses"].dtype == np.float64
    # top-two box on 1-5: 4 and 5 both count; POMP (4.5 - 1) / 4 x 100 = 87.5
    assert (row["pct_top_box"], row["scale_max"], row["pomp"]) == (100.0, 5.0, 87.5)


def _rest_flat_warnings(items: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """item_analysis of ``items`` and the messages of its rest-score warnings."""
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        out = item_analysis(items)
    return out, [str(w.message) for w in seen if "other items' total" in str(w.message)]


def test_a_rest_score_constant_up_to_rounding_is_constant():
    # b is 0.3 x (4 4 3 3 5) / 1 and c = 1.3 - b, so b + c is 1.3 in every row up to
    # rounding: the rest variance of a, computed from the parts, is 8.7e-19 rather than 0,
    # and the formula would give alpha if dropped 2 x (1 - (s_b^2 + s_c^2) / 8.7e-19),
    # about -2e17, and an r_drop of about -1e-8 instead of NaN
    b = np.array([4, 4, 3, 3, 5]) / 10 * 3
    items = pd.DataFrame({"a": [0.4, 0.5, 0.3, 0.4, 0.5], "b": b, "c": 1.3 - b})
    out, said = _rest_flat_warnings(items)
    assert np.isnan(out.loc["a", "r_drop"]) and np.isnan(out.loc["a", "alpha_if_dropped"])
    assert len(said) == 1 and "item(s) ['a']" in said[0]


def test_the_rest_score_rule_is_relative_to_the_items_variances():
    # The 4-row example above (a's rest b + c constant; b's rest a + c 4 4 5 5, r_drop
    # 1 / sqrt(2)), in units of 1e-4: variances of order 1e-8, and the rule (rest variance
    # at most 1e-12 of the other items' variances) still flags a only
    items = pd.DataFrame({"a": [1, 2, 4, 3.0], "b": [1, 2, 3, 2.0], "c": [3, 2, 1, 2.0]}) * 1e-4
    out, said = _rest_flat_warnings(items)
    assert said and "item(s) ['a']" in said[0]
    assert out.loc["b", "r_drop"] == pytest.approx(1 / np.sqrt(2), rel=1e-9)
    assert np.isnan(out.loc["a", "r_drop"])
    # one item in units of 1e6 (variance 1.7e12) beside two of variance ~1: a's rest b + c
    # (2 4 4 5 7: variance 3.3) is not constant, whatever the size of a's own variance
    big = pd.DataFrame(
        {"a": [1e6, 2e6, 4e6, 3e6, 5e6], "b": [1, 2, 3, 2, 4.0], "c": [1, 2, 1, 3, 3.0]}
    )
    out, said = _rest_flat_warnings(big)
    assert not said
    rest = np.array([2, 4, 4, 5, 7.0])
    expected = np.corrcoef(big["a"], rest)[0, 1]  # np.corrcoef: a second computation
    # (the rest variance is var_total - 2 cov + var with var 1.7e12: cancellation leaves
    # about 5 correct digits of r_drop here)
    assert out.loc["a", "r_drop"] == pytest.approx(expected, rel=1e-3)


def test_a_rest_of_constant_items_is_constant_too():
    # b and c never vary: their own r is NaN (constant items), and a's rest b + c is
    # constant with no variance in its items either (0 against a threshold of 0). b's
    # alpha if dropped is that of a and the constant c: 2 x (1 - (s_a^2 + 0) / s_a^2) = 0
    items = pd.DataFrame({"a": [1, 2, 4, 3.0], "b": [2, 2, 2, 2.0], "c": [3, 3, 3, 3.0]})
    out, said = _rest_flat_warnings(items)
    assert len(said) == 1 and "item(s) ['a']" in said[0]
    assert out["r_drop"].isna().all() and np.isnan(out.loc["a", "alpha_if_dropped"])
    assert out.loc["b", "alpha_if_dropped"] == 0.0


def test_the_rest_score_warning_names_the_function_and_the_item_in_its_place():
    # the 4-row example with a last: the item named is the third column's, in words
    items = pd.DataFrame({"b": [1, 2, 3, 2.0], "c": [3, 2, 1, 2.0], "a": [1, 2, 4, 3.0]})
    _, said = _rest_flat_warnings(items)
    assert said == [
        "item_analysis: the other items' total is the same for every respondent without "
        "item(s) ['a']: their r_drop and alpha if dropped are NaN"
    ]
