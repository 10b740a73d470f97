"""Survivors of mutation testing of evalkit.metrics.knowledge_test (see mutation/README.md).

Each test pins a label, number, default or message that a mutant of ``knowledge_test.py``
changed without any other test noticing. Expected values are hand calculations written
beside them: the interval rules of the docstrings (difficulty ideal .30-.70, Ebel-Frisbie
discrimination bands) and the upper-lower 27% rule (Kelley 1939) on tables small enough
to count by hand.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from messages import raises

from evalkit import constants as C
from evalkit.errors import EvalkitWarning, ParameterError
from evalkit.metrics import knowledge_test as kt
from evalkit.metrics.knowledge_test import difficulty_flag, discrimination_flag, test_item_analysis


def _is_nan(value) -> bool:
    return isinstance(value, float) and np.isnan(value)


# --- the flags --------------------------------------------------------------------------
def test_difficulty_flag_interval_touching_the_upper_bound_is_uncertain():
    # [.70, .90] starts at the bound .70: not wholly above it, so not "easy"; [.71, .90] is
    out = difficulty_flag([0.70, 0.71, 0.10], [0.90, 0.90, 0.30])
    # [.10, .30] ends at the lower bound .30: not wholly below it
    assert out.tolist() == ["uncertain", "easy", "uncertain"]


def test_flags_of_missing_intervals_are_nan_also_from_none():
    # intervals from an object column (None for a missing bound) are read as floats
    diff = difficulty_flag([None, 0.4], [None, 0.6])
    assert _is_nan(diff[0]) and diff[1] == "ideal"
    disc = discrimination_flag([None, 0.45], [None, 0.9])
    assert _is_nan(disc[0]) and disc[1] == "very good"


# --- test_item_analysis: parameters ---------------------------------------------------------
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"ci": 95}, "parameter 'ci' must be a number in (0, 1), got 95"),
        ({"fraction": "0.3"}, "parameter 'fraction' must be in (0, 0.5], got '0.3'"),
        ({"fraction": 0}, "parameter 'fraction' must be in (0, 0.5], got 0"),
    ],
)
def test_test_item_analysis_parameter_messages(kwargs, message):
    wide = pd.DataFrame({"i1": [1, 1, 0, 0], "i2": [1, 0, 1, 0]})
    with pytest.raises(ParameterError) as err:
        test_item_analysis(wide, **kwargs)
    assert str(err.value) == "test_item_analysis: " + message


def test_test_item_analysis_half_the_examinees_in_each_group():
    # fraction 0.5 is allowed: totals 2, 1, 1, 0; m = floor(0.5 x 4 + 0.5) = 2; the cuts are
    # the 2nd lowest and 2nd highest total, both 1, so the ties at 1 are in both groups:
    # upper = examinees 1-3, lower = examinees 2-4
    wide = pd.DataFrame({"i1": [1, 1, 0, 0], "i2": [1, 0, 1, 0]})
    res = test_item_analysis(wide, fraction=0.5, n_boot=0)
    # i1: upper 1, 1, 0 -> 2/3; lower 1, 0, 0 -> 1/3; D = 1/3 (i2 the same)
    np.testing.assert_allclose(res["p_upper"], [2 / 3, 2 / 3], rtol=1e-15)
    np.testing.assert_allclose(res["p_lower"], [1 / 3, 1 / 3], rtol=1e-15)
    np.testing.assert_allclose(res["discrimination"], [1 / 3, 1 / 3], rtol=1e-15)


def test_test_item_analysis_last_group_left_empty_is_nan_without_numpy_warnings():
    # group c's two examinees each left an item unanswered: c has no complete examinee.
    # a (3 examinees): totals 2, 1, 0; m = floor(0.27 x 3 + 0.5) = 1: upper = examinee 1
    # (1, 1), lower = examinee 3 (0, 0): D = 1, 1; p = 2/3, 1/3.
    # b (2 examinees, i1 = 1, 0 and i2 = 1, 1): totals 2, 1; m = 1: upper (1, 1), lower
    # (0, 1): D = 1, 0; p = 1/2, 1 (i2 answered alike)
    wide = pd.DataFrame({"i1": [1, 1, 0, 1, 0, 1, np.nan], "i2": [1, 0, 0, 1, 1, np.nan, 1]})
    groups = pd.Series(["a", "a", "a", "b", "b", "c", "c"])
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        res = test_item_analysis(wide, by=groups, n_boot=20)
    start = "test_item_analysis: "
    assert [(w.category.__name__, str(w.message)) for w in record] == [
        ("EvalkitWarning", start + "2 examinee(s) with an unanswered item were left out"),
        ("EvalkitWarning", start + "1 group(s) have fewer than 2 examinees; NaN there"),
        (
            "EvalkitWarning",
            start + "item(s) ['i2'] were answered alike by everybody; their correlations are NaN",
        ),
    ]
    assert res["n"].tolist() == [3.0, 3.0, 2.0, 2.0, 0.0, 0.0]
    np.testing.assert_allclose(res["difficulty"].iloc[:4], [2 / 3, 1 / 3, 0.5, 1.0], rtol=1e-15)
    assert res["p_upper"].iloc[:4].tolist() == [1.0, 1.0, 1.0, 1.0]
    assert res["p_lower"].iloc[:4].tolist() == [0.0, 0.0, 0.0, 1.0]
    assert res["discrimination"].iloc[:4].tolist() == [1.0, 1.0, 1.0, 0.0]
    numbers = res.columns.drop(["difficulty_band", "discrimination_band"])
    numbers = numbers.drop(["n", "difficulty_flag", "discrimination_flag"])
    assert (res[numbers].dtypes == np.float64).all()  # NaN, never None, in the number columns
    assert res.loc["c", numbers].isna().all().all()


def test_test_item_analysis_draws_1000_resamples_by_default(monkeypatch):
    # the docstring: "n_boot : int, default 1000" (resamples of examinees for D's interval)
    drawn = []
    original = kt.discrimination_resamples

    def spy(matrix, indices, fraction):
        drawn.append(indices.shape)
        return original(matrix, indices, fraction)

    monkeypatch.setattr(kt, "discrimination_resamples", spy)
    test_item_analysis(pd.DataFrame({"i1": [1, 1, 0, 0], "i2": [1, 0, 1, 0]}))
    assert drawn == [(1000, 4)]


def test_test_item_analysis_kr20_is_nan_when_every_total_is_the_same():
    # totals 2, 2, 2, 2: s_X^2 = 0, so KR-20 = k/(k-1) (1 - sum pq / 0) is undefined;
    # i3 (everybody right) is named in the warning
    wide = pd.DataFrame({"i1": [1, 0, 1, 0], "i2": [0, 1, 0, 1], "i3": [1, 1, 1, 1]})
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        res = test_item_analysis(wide, n_boot=0)
    assert [str(w.message) for w in record] == [
        "test_item_analysis: item(s) ['i3'] were answered alike by everybody; "
        "their correlations are NaN"
    ]
    assert res["kr20"].isna().all() and res["kr20_ci_low"].isna().all()
    assert res["difficulty"].tolist() == [0.5, 0.5, 1.0]


def test_test_item_analysis_kr20_of_a_small_total_variance():
    # i1 = 1, 1, 1, 0 and i2 = 1, 1, 0, 0: totals 2, 2, 1, 0, s_X^2 = 2.75 / 3 = 11/12;
    # s_1^2 = 4/3 x .75 x .25 = 1/4, s_2^2 = 4/3 x .5 x .5 = 1/3 (the same n - 1 denominator);
    # KR-20 = 2 (1 - (7/12) / (11/12)) = 8/11
    wide = pd.DataFrame({"i1": [1, 1, 1, 0], "i2": [1, 1, 0, 0]})
    res = test_item_analysis(wide, n_boot=0)
    np.testing.assert_allclose(res["kr20"], [8 / 11, 8 / 11], rtol=1e-14)


def test_test_item_analysis_columns_are_the_documented_ones():
    # the columns the docstring lists, each flag beside its interval
    wide = pd.DataFrame({"i1": [1, 1, 1, 0], "i2": [1, 1, 0, 0]})
    res = test_item_analysis(wide, n_boot=0)
    assert list(res.columns) == [
        "n", "difficulty", "difficulty_band", "p_upper", "p_lower", "discrimination",
        "discrimination_band", "point_biserial", "r_drop", "kr20_if_dropped", "kr20",
        "difficulty_ci_low", "difficulty_ci_high", "difficulty_flag",
        "discrimination_ci_low", "discrimination_ci_high", "discrimination_flag",
        "point_biserial_ci_low", "point_biserial_ci_high", "r_drop_ci_low", "r_drop_ci_high",
        "kr20_ci_low", "kr20_ci_high",
    ]  # fmt: skip
    assert res.index.name == "item"


def test_test_item_analysis_intervals_at_90_percent_match_r():
    # the docstring's example matrix (8 examinees x 3 items); tests/reference/survivors.R
    wide = pd.DataFrame(
        {
            "i1": [1, 1, 1, 0, 1, 0, 1, 1],
            "i2": [1, 1, 0, 0, 1, 0, 0, 1],
            "i3": [1, 0, 1, 0, 0, 0, 1, 1],
        }
    )
    row = test_item_analysis(wide, ci=0.90, n_boot=0).loc["i1"]
    # cor.test(kt$i1, total, conf.level = 0.90)$conf.int
    assert row["point_biserial_ci_low"] == pytest.approx(0.717395522792357, rel=1e-9)
    assert row["point_biserial_ci_high"] == pytest.approx(0.982792557118844, rel=1e-9)
    # cor.test(kt$i1, total - kt$i1, conf.level = 0.90)$conf.int
    assert row["r_drop_ci_low"] == pytest.approx(0.388994685906353, rel=1e-9)
    assert row["r_drop_ci_high"] == pytest.approx(0.954653422705929, rel=1e-9)
    # psych::alpha(kt)$total$raw_alpha; psych::alpha.ci(kr20, 8, 3, p.val = 0.10)
    assert row["kr20"] == pytest.approx(0.631578947368421, rel=1e-9)
    assert row["kr20_ci_low"] == pytest.approx(-0.0183891998656447, rel=1e-9)
    assert row["kr20_ci_high"] == pytest.approx(0.895608700355248, rel=1e-9)


# --- the 0/1 matrix: long or wide, and its messages (_test_matrix) ----------------------
def _long(rows):
    """Long test_items rows (participant, item, correct)."""
    return pd.DataFrame(rows, columns=["participant_id", "item", "correct"])


LONG = _long(
    [("p1", "s1", 1), ("p1", "s2", 1), ("p2", "s1", 0), ("p2", "s2", 1),
     ("p3", "s1", 1), ("p3", "s2", 0)]
)  # fmt: skip


def test_a_wide_matrix_with_an_item_called_item_is_read_as_wide():
    # only a table with both 'item' and 'correct' columns is the long table
    wide = pd.DataFrame({"item": [1, 0, 1, 0], "s2": [1, 1, 0, 0]})
    res = test_item_analysis(wide, n_boot=0)
    assert res.index.tolist() == ["item", "s2"] and res["difficulty"].tolist() == [0.5, 0.5]


@pytest.mark.filterwarnings("ignore:.*were answered alike by everybody")
def test_two_complete_examinees_are_enough_without_groups():
    res = test_item_analysis(LONG.iloc[:4], n_boot=0)  # p1, p2
    assert res["n"].tolist() == [2, 2] and res["difficulty"].tolist() == [0.5, 1.0]


def test_messages_of_the_matrix():
    func = "test_item_analysis"
    with raises(
        f"{func}: parameter 'data' must be a DataFrame (long test_items table or wide 0/1 "
        "matrix), got list"
    ):
        test_item_analysis([[1, 0], [0, 1]])
    with raises(f"{func}: with the long test_items table, 'by' must be a column name, got list"):
        test_item_analysis(LONG, by=["unit"])
    with raises(
        f"{func}: parameter 'by' names column 'unit', which is not in the data; columns are "
        "['participant_id', 'item', 'correct']"
    ):
        test_item_analysis(LONG, by="unit")
    # two answers given twice: the first one is named
    twice = pd.concat([LONG, LONG.iloc[[0, 3]]], ignore_index=True)
    with raises(
        f"{func}: participant 'p1' answers item 's1' twice; pass one phase (parameter "
        "'phase') or de-duplicate the table"
    ):
        test_item_analysis(twice)
    # two scores that are not 0/1: the first in row order is named
    wide = pd.DataFrame({"s1": [2, 0, 1], "s2": [0, 3, 1]})
    with raises(f"{func}: item 's1' must be scored 0/1 (wrong/right), got 2.0"):
        test_item_analysis(wide)
    text = pd.DataFrame({"s1": [1, 0, 1], "s2": ["0", "benar", "1"]})
    with raises(
        f"{func}: column 's2' must hold numbers, got non-numeric value 'benar' (row 1); "
        "map answer labels to numbers first"
    ):
        test_item_analysis(text)
    with raises(
        f"{func}: column 'correct' must hold numbers, got non-numeric value 'ya' (row 4); "
        "map answer labels to numbers first"
    ):
        test_item_analysis(LONG.astype({"correct": object}).assign(correct=[1, 0, 1, 1, "ya", 0]))
    shuffled = pd.Series(["a", "a", "b"], index=[2, 1, 0])
    with raises(
        f"{func}: parameter 'by' is a Series whose index differs from the data's; align it "
        "(e.g. df[col]) or pass its values with .to_numpy()"
    ):
        test_item_analysis(wide.clip(0, 1), by=shuffled)
    with pytest.warns(EvalkitWarning) as caught:
        test_item_analysis(LONG.assign(unit=["a", "a", "a", "a", None, None]), by="unit")
    assert str(caught[0].message) == f"{func}: 1 row(s) with a missing 'by' value were left out"


# --- the bootstrap interval of D ------------------------------------------------------
def _d_by_hand(x: np.ndarray, fraction: float = 0.27) -> np.ndarray:
    """Upper-lower D of one sample, examinee by examinee (ties at a cut go in)."""
    n = len(x)
    m = max(1, int(np.floor(fraction * n + 0.5)))
    total = x.sum(axis=1)
    ordered = sorted(total)
    upper = [i for i in range(n) if total[i] >= ordered[n - m]]
    lower = [i for i in range(n) if total[i] <= ordered[m - 1]]
    return x[upper].mean(axis=0) - x[lower].mean(axis=0)


def test_discrimination_interval_is_the_percentile_bootstrap_of_d():
    rng = np.random.default_rng(11)
    wide = pd.DataFrame(rng.integers(0, 2, size=(12, 3)), columns=["s1", "s2", "s3"])
    res = test_item_analysis(wide, n_boot=200, seed=5, ci=0.9)
    x = wide.to_numpy(dtype=float)
    draws = np.random.default_rng(5).integers(0, 12, size=(200, 12))
    boot = np.array([_d_by_hand(x[row]) for row in draws])
    low, high = np.quantile(boot, [0.05, 0.95], axis=0)
    assert res["discrimination_ci_low"].to_numpy() == pytest.approx(low, abs=1e-12)
    assert res["discrimination_ci_high"].to_numpy() == pytest.approx(high, abs=1e-12)


@pytest.mark.filterwarnings("ignore:.*were answered alike by everybody")
def test_a_group_of_two_examinees_gets_an_interval_of_d():
    wide = pd.DataFrame({"s1": [1, 0, 1, 0, 1], "s2": [1, 1, 0, 0, 1]})
    res = test_item_analysis(wide, by=np.array(["a", "a", "b", "b", "b"]), n_boot=50)
    assert res.loc[("a", "s1"), "n"] == 2
    assert np.isfinite(res.loc["a", "discrimination_ci_low"]).all()


def test_resamples_of_a_boolean_matrix_equal_those_of_its_floats():
    x = np.array([[1, 1, 0], [1, 0, 0], [0, 1, 1], [0, 0, 0], [1, 1, 1]])
    idx = np.random.default_rng(3).integers(0, 5, size=(20, 5))
    want = np.array([_d_by_hand(x[row].astype(float)) for row in idx])
    assert kt.discrimination_resamples(x.astype(bool), idx) == pytest.approx(want, abs=1e-12)
    assert kt.discrimination_resamples(x, idx) == pytest.approx(want, abs=1e-12)


# --- same_test_groups and pooled_item_analysis ---------------------------------------
def test_forms_are_numbered_in_cohort_order_not_row_order():
    long = pd.DataFrame({"batch": ["B", "B", "A", "C"], "question": ["s1", "s2", "s1", "s1"]})
    forms = kt.same_test_groups(long, cohort="batch", item="question")
    assert forms.name == "test_form" and forms.index.tolist() == ["A", "B", "C"]
    assert forms.tolist() == ["form 1", "form 2", "form 1"]


def test_a_cohort_category_without_answers_gets_no_form():
    long = pd.DataFrame({"cohort_id": pd.Categorical(["A", "A"], categories=["A", "Z"]),
                         "item": ["s1", "s2"]})  # fmt: skip
    assert kt.same_test_groups(long).to_dict() == {"A": "form 1"}


def test_messages_of_same_test_groups_and_pooled_item_analysis():
    for func in ("same_test_groups", "pooled_item_analysis"):
        call = getattr(kt, func)
        with raises(f"{func}: parameter 'data' must be the long test_items table, got list"):
            call([1])
    with raises(
        "same_test_groups: parameter 'item' names column 'question', which is not in the "
        "data; columns are ['cohort_id', 'item']"
    ):
        kt.same_test_groups(pd.DataFrame({"cohort_id": ["A"], "item": ["s1"]}), item="question")
    long = LONG.assign(cohort_id="A")
    columns = "columns are ['participant_id', 'item', 'correct', 'cohort_id']"
    with raises(
        "pooled_item_analysis: parameter 'cohort' names column 'batch', which is not in the "
        f"data; {columns}"
    ):
        kt.pooled_item_analysis(long, cohort="batch")
    with raises(
        "pooled_item_analysis: parameter 'participant' names column 'nip', which is not in "
        f"the data; {columns}"
    ):
        kt.pooled_item_analysis(long, participant="nip")


def _forms(cohort="cohort_id", item="item", phase_col="phase"):
    """A and B sat one form (s1, s2), pre and post; C another (s3, s4); D one item (s9)."""
    post = [1, 1, 0, 1, 1, 0, 1, 0, 0, 0, 1, 1]
    rows = pd.DataFrame(
        {cohort: ["A"] * 6 + ["B"] * 6, "participant_id": ["p1", "p1", "p2", "p2", "p3", "p3"] * 2,
         item: ["s1", "s2"] * 6, "correct": post}
    )  # fmt: skip
    pre = rows.assign(correct=1 - rows["correct"])
    other = pd.DataFrame(
        {cohort: ["C"] * 6 + ["D"], "participant_id": ["q1", "q1", "q2", "q2", "q3", "q3", "r1"],
         item: ["s3", "s4"] * 3 + ["s9"], "correct": [1, 1, 0, 1, 1, 0, 1]}
    )  # fmt: skip
    return pd.concat(
        [rows.assign(**{phase_col: "post"}), pre.assign(**{phase_col: "pre"}),
         other.assign(**{phase_col: "post"})], ignore_index=True
    )  # fmt: skip


@pytest.mark.filterwarnings("ignore:.*were answered alike by everybody")
def test_pooled_item_analysis_by_hand_with_other_column_names():
    long = _forms("batch", "question", "wave")
    names = {"cohort": "batch", "item": "question", "phase_col": "wave", "n_boot": 0}
    with pytest.warns(EvalkitWarning) as caught:
        res = kt.pooled_item_analysis(long, **names)
    assert [str(w.message) for w in caught] == [
        "pooled_item_analysis: form 3 (cohorts D) has fewer than 2 items; left out"
    ]
    assert res.columns[:2].tolist() == ["n_cohorts", "cohorts"]
    # each form on its own items: C's examinees answered neither s1 nor s2, and count
    assert res.index.tolist() == [
        ("form 1", "s1"),
        ("form 1", "s2"),
        ("form 2", "s3"),
        ("form 2", "s4"),
    ]
    assert res["n_cohorts"].tolist() == [2, 2, 1, 1]
    assert res["cohorts"].tolist() == ["A, B", "A, B", "C", "C"]
    assert res["n"].tolist() == [6, 6, 3, 3]
    # post answers of the six sittings of form 1: s1 1, 0, 1, 1, 0, 1 and s2 1, 1, 0, 0, 0, 1;
    # of form 2: s3 1, 0, 1 and s4 1, 1, 0
    assert res["difficulty"].tolist() == pytest.approx([4 / 6, 3 / 6, 2 / 3, 2 / 3])
    with pytest.warns(EvalkitWarning) as caught:
        pre = kt.pooled_item_analysis(long, **names, phase="pre")
    assert [str(w.message) for w in caught] == [
        f"pooled_item_analysis: form {f} (cohorts {c}) has no answers at phase 'pre'; left out"
        for f, c in ((2, "C"), (3, "D"))
    ]
    assert pre.loc[("form 1", "s1"), "difficulty"] == pytest.approx(2 / 6)
    # the same with the default column names: the phase is not filtered twice
    default = long.rename(columns={"batch": "cohort_id", "question": "item", "wave": "phase"})
    pre = kt.pooled_item_analysis(default.query("cohort_id in ['A', 'B']"), phase="pre", n_boot=0)
    assert pre.loc[("form 1", "s1"), "difficulty"] == pytest.approx(2 / 6)
    with pytest.warns(EvalkitWarning, match="form 1 .cohorts D. has fewer than 2 items"):
        with raises("pooled_item_analysis: no test form has at least 2 items"):
            kt.pooled_item_analysis(long[long["batch"] == "D"], **names)


def _random_form(cohorts, n, items, seed):
    """Long post answers of ``n`` examinees per cohort to ``items``, drawn at random."""
    rng = np.random.default_rng(seed)
    people = [(c, f"{c}{i}") for c in cohorts for i in range(n)]
    return pd.DataFrame(
        [(c, p, q, int(rng.random() < 0.6)) for c, p in people for q in items],
        columns=["cohort_id", "participant_id", "item", "correct"],
    ).assign(phase="post")


def test_pooled_item_analysis_draws_1000_seeded_resamples_by_default():
    long = _random_form(["A", "B"], 15, ["s1", "s2", "s3", "s4"], seed=2)
    first = kt.pooled_item_analysis(long)
    pd.testing.assert_frame_equal(first, kt.pooled_item_analysis(long, n_boot=1000, seed=C.SEED))
    assert not first.equals(kt.pooled_item_analysis(long, n_boot=1001))


def test_a_form_of_one_cohort_is_that_cohorts_own_analysis_with_every_setting():
    names = {"item": "question", "correct": "benar", "participant": "nip", "phase_col": "wave"}
    long = pd.concat(
        [_random_form(["A", "B"], 8, ["s1", "s2", "s3"], seed=4),
         _random_form(["C"], 12, ["s4", "s5", "s6"], seed=5)]
    ).rename(columns={"item": "question", "correct": "benar", "participant_id": "nip",
                      "phase": "wave"})  # fmt: skip
    long["note"] = np.nan  # a column nobody filled in is no reason to leave a form out
    settings = {"ci": 0.9, "n_boot": 60, "seed": 3, **names}
    pooled = kt.pooled_item_analysis(long, **settings).xs("form 2")
    alone = test_item_analysis(long[long["cohort_id"] == "C"], **settings)
    pd.testing.assert_frame_equal(pooled.drop(columns=["n_cohorts", "cohorts"]), alone)


@pytest.mark.filterwarnings("ignore:.*were answered alike by everybody")
def test_forms_are_listed_in_their_numbers_order():
    long = pd.concat(
        [_random_form([f"K{j:02d}"], 3, [f"a{j}", f"b{j}"], seed=j) for j in range(11)]
    )
    res = kt.pooled_item_analysis(long, n_boot=0)
    forms = res.index.get_level_values("test_form").unique().tolist()
    assert forms == [f"form {j + 1}" for j in range(11)]
    assert res.loc["form 10", "cohorts"].unique().tolist() == ["K09"]


def test_answers_without_a_cohort_are_left_out_with_a_warning():
    long = _forms().query("cohort_id != 'D'").astype({"cohort_id": object})
    long.loc[long.index[:2], "cohort_id"] = None  # both post answers of p1 in A
    with pytest.warns(EvalkitWarning) as caught:
        res = kt.pooled_item_analysis(long, n_boot=0)
    assert "pooled_item_analysis: 2 answer(s) without a cohort left out" in [
        str(w.message) for w in caught
    ]
    assert res.loc[("form 1", "s1"), "n"] == 5  # p1 of A has no cohort left


def test_phase_and_empty_table_messages_name_the_function():
    long = _forms().query("cohort_id != 'D'")
    for func in ("test_item_analysis", "pooled_item_analysis"):
        with raises(
            f"{func}: parameter 'phase' is 'mid', but column 'phase' holds only ['post', 'pre']"
        ):
            getattr(kt, func)(long, phase="mid")
    with raises(
        "test_item_analysis: parameter 'items' is empty (0 rows, 0 item columns); at least 2 "
        "rows and 2 items are needed"
    ):
        test_item_analysis(LONG.iloc[:0])
