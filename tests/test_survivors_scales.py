"""Tests written against the mutation-testing survivors of evalkit.metrics.scales.

See mutation/README.md ("### scales"). Every expected value is a hand calculation of
POMP = (score - minimum) / (maximum - minimum) x 100 (Cohen, Cohen, Aiken & West 1999),
written beside it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evalkit.errors import ParameterError
from evalkit.metrics.scales import pomp


def test_a_scalar_gives_a_python_float():
    got = pomp(2, minimum=1, maximum=5)  # (2 - 1) / 4 x 100 = 25
    assert type(got) is float and got == 25.0
    got = pomp(np.float64(4.5), minimum=np.int64(1), maximum=8)  # 3.5 / 7 x 100 = 50
    assert type(got) is float and got == 50.0


def test_arrays_and_per_value_ends():
    got = pomp([1, 2, 3], minimum=[0, 1, 1], maximum=[2, 5, 4])
    # 1/2 = 50, 1/4 = 25, 2/3 = 66.67
    assert isinstance(got, np.ndarray)
    np.testing.assert_allclose(got, [50.0, 25.0, 200 / 3])
    # a score outside the scale is not clipped: 6 on 1-5 is (6 - 1) / 4 x 100 = 125
    assert pomp(6, minimum=1, maximum=5) == 125.0
    assert pomp(0, minimum=1, maximum=5) == -25.0
    # a missing score in a list (None) gives NaN: (3 - 1) / 4 x 100 = 50
    np.testing.assert_array_equal(pomp([3, None], minimum=1, maximum=5), [50.0, np.nan])


def test_a_series_keeps_index_and_name_and_reads_object_columns():
    scores = pd.Series([1, None, 5, 2], index=[10, 11, 12, 13], name="q1", dtype=object)
    got = pomp(scores, minimum=1, maximum=pd.Series([5, 5, 5, 3]).to_numpy())
    # 0, missing, 100, (2 - 1) / 2 x 100 = 50
    assert got.index.tolist() == [10, 11, 12, 13] and got.name == "q1"
    assert got.dtype == float
    np.testing.assert_array_equal(got.to_numpy(), [0.0, np.nan, 100.0, 50.0])


def test_a_missing_end_gives_nan_not_an_error():
    assert np.isnan(pomp(3, minimum=1, maximum=np.nan))
    assert np.isnan(pomp(3, minimum=np.nan, maximum=5))
    # ends in an object column with None (a missing maximum read from a table)
    got = pomp([3, 3], minimum=1, maximum=pd.Series([5, None], dtype=object))
    np.testing.assert_array_equal(got, [50.0, np.nan])
    got = pomp([3, 3], minimum=pd.Series([1, None], dtype=object), maximum=5)
    np.testing.assert_array_equal(got, [50.0, np.nan])


def test_the_message_names_the_first_wrong_pair():
    with pytest.raises(
        ParameterError,
        match=r"^pomp: parameter 'maximum' must be greater than 'minimum', got minimum 1 "
        r"and maximum 0\.5$",
    ):
        pomp([1, 2, 3], minimum=1, maximum=[5, 0.5, 1])
    # a missing end before the wrong pair is not the one reported
    with pytest.raises(ParameterError, match=r"got minimum 2 and maximum 2$"):
        pomp([1, 2, 3], minimum=[1, 1, 2], maximum=[np.nan, 5, 2])
    with pytest.raises(ParameterError, match=r"got minimum 7 and maximum 3$"):
        pomp(5, minimum=7, maximum=3)
    # per-value minima, one maximum for all: the pair is (minimum[1], maximum)
    with pytest.raises(ParameterError, match=r"got minimum 3 and maximum 2$"):
        pomp([1, 2], minimum=[1, 3], maximum=2)
