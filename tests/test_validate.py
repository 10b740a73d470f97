"""The argument and column checks every metric module shares (``evalkit.metrics._validate``).

Each expected message is written out in full: the checks are what a user reads when a
call is wrong, so a changed word, a lost column name or a shifted boundary is a failure.
"""

from __future__ import annotations

import inspect
import warnings

import numpy as np
import pandas as pd
import pytest
from messages import raises

from evalkit.errors import EvalkitWarning
from evalkit.metrics import _validate
from evalkit.metrics._validate import (
    check_choice,
    check_ci,
    check_finite_number,
    numeric_array,
    numeric_column,
    numeric_matrix,
    py,
    require_columns,
    require_frame,
    require_named_columns,
    require_numeric,
    show,
    warn,
)


# --- message helpers -----------------------------------------------------------------
def test_py_and_show_turn_numpy_scalars_into_python_ones():
    assert type(py(np.float64(1.5))) is float and py(np.float64(1.5)) == 1.5
    assert type(py(np.int64(3))) is int
    marker = object()
    assert py(marker) is marker  # anything else is passed through untouched
    assert show(np.int64(3)) == "3"
    assert show(np.str_("a")) == "'a'"
    assert show("a") == "'a'"


def _caller(stacklevel: int | None = None) -> None:
    if stacklevel is None:
        warn("f", "the message")
    else:
        warn("f", "the message", stacklevel=stacklevel)


def test_warn_names_the_function_and_points_at_the_callers_caller():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        line = inspect.currentframe().f_lineno + 1
        _caller()
        _caller(stacklevel=1)
    assert [str(w.message) for w in caught] == ["f: the message", "f: the message"]
    assert all(w.category is EvalkitWarning for w in caught)
    if hasattr(_validate, "x_warn__mutmut_orig"):
        # a mutation run wraps warn in extra frames, so no stacklevel can point at the
        # frames below (mutation/README.md: warn's stacklevel is not measured there)
        return
    # stacklevel 2 (the default): the line that called _caller, in this file
    assert caught[0].filename == __file__ and caught[0].lineno == line
    # stacklevel 1: the line inside _caller that called warn
    assert caught[1].filename == __file__
    lines, first = inspect.getsourcelines(_caller)
    inner = first + next(i for i, ln in enumerate(lines) if "stacklevel=stacklevel" in ln)
    assert caught[1].lineno == inner


# --- scalar parameters -----------------------------------------------------------------
@pytest.mark.parametrize("value", [0.9, 1e-12, 1 - 1e-12, np.float64(0.5), np.float32(0.25)])
def test_check_ci_returns_a_python_float_inside_zero_one(value):
    got = check_ci("f", value)
    assert type(got) is float and got == float(value)


@pytest.mark.parametrize("value", [0, 1, 0.0, 1.0, -0.5, 1.5, True, False, "0.5", None])
def test_check_ci_refuses_the_bounds_booleans_and_text(value):
    with raises(f"f: parameter 'ci' must be in (0, 1), got {value!r}"):
        check_ci("f", value)


def test_check_ci_names_the_parameter_and_words_the_number():
    with raises("g: parameter 'alpha' must be a number in (0, 1), got 2"):
        check_ci("g", 2, "alpha", say_number=True)
    with raises("g: parameter 'alpha' must be in (0, 1), got nan"):
        check_ci("g", float("nan"), "alpha")


@pytest.mark.parametrize("value", [0, -3, 2.5, np.int64(4), np.float64(-1.0)])
def test_check_finite_number_accepts_finite_reals(value):
    assert check_finite_number("f", value, "x") is None


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -np.inf, True, "1", None])
def test_check_finite_number_refuses_non_finite_booleans_and_text(value):
    with raises(f"f: parameter 'x' must be a finite number, got {value!r}"):
        check_finite_number("f", value, "x")


@pytest.mark.parametrize("value", [0, 0.0, np.float64(0.0)])
def test_check_finite_number_nonzero_refuses_zero(value):
    with raises(f"f: parameter 'x' must be a finite non-zero number, got {value!r}"):
        check_finite_number("f", value, "x", nonzero=True)
    check_finite_number("f", 1e-300, "x", nonzero=True)


def test_check_choice_shows_the_choices_as_given():
    check_choice("f", "b", "kind", ("a", "b"))
    with raises("f: parameter 'kind' must be one of ('a', 'b'), got 'c'"):
        check_choice("f", "c", "kind", ("a", "b"))
    with raises("f: parameter 'kind' must be one of ['a'], got None"):
        check_choice("f", None, "kind", ["a"])


# --- tables and columns -----------------------------------------------------------------
def test_require_frame_names_the_parameter_and_the_type():
    require_frame("f", pd.DataFrame(), "data")
    with raises("f: parameter 'data' must be a DataFrame, got list"):
        require_frame("f", [], "data")
    with raises("f: parameter 'scores' must be a table of scores"):
        require_frame("f", pd.Series(dtype=float), "scores", "a table of scores", show_type=False)


def test_require_columns_lists_the_missing_and_the_available_columns():
    data = pd.DataFrame({"a": [1], "b": [2]})
    require_columns("f", data, ["b", "a"])
    require_columns("f", data, [])
    with raises("f: data has no column(s) ['z', 'y']; available: ['a', 'b']"):
        require_columns("f", data, ["a", "z", "y"])
    with raises("f: responses has no column(s) ['z']; available: ['a', 'b']"):
        require_columns("f", data, ["z"], "responses")
    with raises("f: parameter 'data' must be a pandas DataFrame, got dict"):
        require_columns("f", {"a": [1]}, ["a"])
    with raises("f: parameter 'data' must be the responses"):
        require_columns("f", None, ["a"], what="the responses", show_type=False)


def test_require_named_columns_names_the_first_parameter_whose_column_is_absent():
    data = pd.DataFrame({"pre": [1], "post": [2]})
    require_named_columns("f", data, [("pre", "pre"), ("post", "post")])
    with raises(
        "f: parameter 'post' names column 'after', which is not in the data; "
        "columns are ['pre', 'post']"
    ):
        require_named_columns("f", data, [("pre", "pre"), ("post", "after"), ("id", "nip")])


def test_require_numeric_returns_floats_and_booleans_as_zero_one():
    got = require_numeric("f", pd.Series([1, 2], index=[7, 9]), "x")
    assert got.dtype == float and got.tolist() == [1.0, 2.0] and got.index.tolist() == [7, 9]
    got = require_numeric("f", pd.Series([True, False]), "x")
    assert got.dtype == float and got.tolist() == [1.0, 0.0]
    with raises("f: column 'x' must be numeric, got dtype bool (e.g. value True)"):
        require_numeric("f", pd.Series([True, False]), "x", bools=False)


def test_require_numeric_shows_a_value_that_is_not_a_number():
    text = pd.Series(["1", "two", None, "3"], dtype=object)
    with raises("f: column 'x' must be numeric, got dtype object (e.g. value 'two')"):
        require_numeric("f", text, "x")
    with raises("f: column 'x' of scores must be numeric, got dtype object (e.g. value 'two')"):
        require_numeric("f", text, "x", of="scores", example="bad")
    with raises("f: column 'x' must be numeric, got dtype object"):
        require_numeric("f", text, "x", example=None)
    # every value parses as a number: "first" shows the first one, "bad" shows None
    digits = pd.Series(["4", "5"], dtype=object)
    with raises("f: column 'x' must be numeric, got dtype object (e.g. value '4')"):
        require_numeric("f", digits, "x")
    with raises("f: column 'x' must be numeric, got dtype object (e.g. value None)"):
        require_numeric("f", digits, "x", example="bad")
    with raises("f: column 'x' must be numeric, got dtype object (e.g. value None)"):
        require_numeric("f", pd.Series([], dtype=object), "x")


def test_numeric_column_parses_numbers_stored_as_text():
    np.testing.assert_array_equal(
        numeric_column("f", "x", pd.Series(["1.5", None, "2"])), [1.5, np.nan, 2.0]
    )
    np.testing.assert_array_equal(
        numeric_column("f", "x", pd.Series([1, None, 3], dtype="Int64")), [1.0, np.nan, 3.0]
    )
    np.testing.assert_array_equal(numeric_column("f", "x", pd.Series([True, False])), [1, 0])
    assert numeric_column("f", "x", pd.Series([1, 2])).dtype == float


def test_numeric_column_gives_floats_for_whole_numbers_stored_as_text():
    # pd.to_numeric turns "1", "2" into int64, and text of pandas' "string" dtype into the
    # nullable Int64; the column must come back as float64 either way (NA as NaN)
    for text in (pd.Series(["1", "2"], dtype=object), pd.Series(["1", None], dtype="string")):
        got = numeric_column("f", "x", text)
        assert got.dtype == np.float64, text.dtype
    np.testing.assert_array_equal(got, [1.0, np.nan])


def test_numeric_column_names_the_first_label_and_its_row():
    labels = pd.Series(["3", "agree", "disagree"], index=[10, 11, 12])
    with raises(
        "f: column 'q1' must hold numbers, got non-numeric value 'agree' (row 11); "
        "map answer labels to numbers first"
    ):
        numeric_column("f", "q1", labels)


def test_numeric_array_takes_one_column_of_any_shape():
    np.testing.assert_array_equal(numeric_array("f", "x", [[1, 2], [3, 4]]), [1, 2, 3, 4])
    np.testing.assert_array_equal(numeric_array("f", "x", ("1", "2")), [1, 2])
    with raises(
        "f: column 'x' must hold numbers, got non-numeric value 'b' (row 'r2'); "
        "map answer labels to numbers first"
    ):
        numeric_array("f", "x", pd.Series(["1", "b"], index=["r1", "r2"]))
    with raises(
        "f: parameter 'x' must be one column (Series or 1-D array), "
        "got a DataFrame with columns ['a', 'b']"
    ):
        numeric_array("f", "x", pd.DataFrame({"a": [1], "b": [2]}))


def test_numeric_matrix_holds_every_item_column_in_order():
    data = pd.DataFrame({"id": ["a", "b", "c"], "q1": [1, 2, 3], "q2": ["4", "5", None]})
    matrix, names = numeric_matrix("f", data, exclude=["id"])
    assert names == ["q1", "q2"]
    np.testing.assert_array_equal(matrix, [[1, 4], [2, 5], [3, np.nan]])
    assert matrix.dtype == float and matrix.flags["F_CONTIGUOUS"]
    with raises(
        "f: column 'id' must hold numbers, got non-numeric value 'a' (row 0); "
        "map answer labels to numbers first"
    ):
        numeric_matrix("f", data)


def test_numeric_matrix_refuses_an_empty_table_and_a_non_table():
    with raises(
        "f: parameter 'items' is empty (0 rows, 2 item columns); "
        "at least 2 rows and 2 items are needed"
    ):
        numeric_matrix("f", pd.DataFrame({"q1": [], "q2": []}))
    with raises(
        "f: parameter 'items' is empty (2 rows, 0 item columns); "
        "at least 2 rows and 2 items are needed"
    ):
        numeric_matrix("f", pd.DataFrame({"id": [1, 2]}), exclude=("id",))
    with raises(
        "f: parameter 'items' must be a DataFrame (rows = respondents, columns = items), "
        "got ndarray"
    ):
        numeric_matrix("f", np.ones((2, 2)))
