"""The shared group machinery of the metric modules (``evalkit.metrics._grouped``).

Mutation testing of ``_grouped.py`` with ``tests/test_small_sample.py`` alone left the
helpers that other modules' tests reach without a test of their own (see
mutation/README.md). Each test here checks one helper against a second route: another
library (statsmodels, scipy, pandas' own ``groupby``) or a hand calculation written
beside it. The CR2 pieces are checked against clubSandwich in
``tests/test_small_sample.py``.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from evalkit.errors import EvalkitWarning, ParameterError
from evalkit.metrics._grouped import (
    Segments,
    as_result,
    band,
    by_columns,
    by_list,
    cluster_mean_cr2,
    cluster_moments,
    complete_sorted,
    cr2_ols_gram,
    group_codes,
    group_index,
    group_keys,
    group_sum,
    hedges_j,
    htz_wald,
    sort_rows,
    wilson,
)


@pytest.fixture(autouse=True)
def _numpy_warnings_are_errors():
    """Every helper silences its own 0/0 and 1/0; a stray NumPy warning fails the test."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        yield


# --- which rows form a group -------------------------------------------------------------
def test_by_list_forms():
    assert by_list(None) == []
    assert by_list("unit") == ["unit"]
    assert by_list(("unit", "cohort")) == ["unit", "cohort"]
    assert by_list(["unit"]) == ["unit"]
    assert by_list(3) == [3]  # a column named by a number, not an iterable


def test_by_columns_checks_the_named_table():
    data = pd.DataFrame({"unit": [1], "cohort": [2]})
    assert by_columns("f", ["unit", "cohort"], data, "data") == ["unit", "cohort"]
    assert by_columns("f", None, data, "data") == []
    with pytest.raises(ParameterError) as err:
        by_columns("f", ["unit", "site"], data, "scores")
    assert str(err.value) == "f: scores has no column(s) ['site']; available: ['unit', 'cohort']"


def test_group_keys_from_names_or_an_aligned_series():
    data = pd.DataFrame({"unit": ["a", "b", "a"], "x": [1, 2, 3]}, index=[10, 11, 12])
    (key,) = group_keys("f", data, "unit")
    assert key.equals(data["unit"])
    assert group_keys("f", data, None) == []
    series = pd.Series([1, 1, 2], index=[10, 11, 12])
    (key,) = group_keys("f", data, series)
    assert key is series
    with pytest.raises(ParameterError) as err:
        group_keys("f", data, pd.Series([1, 1], index=[10, 11]))
    assert str(err.value) == (
        "f: parameter 'by' as a Series must have the index of the data (3 rows), got 2 rows"
    )
    with pytest.raises(ParameterError, match="got 3 rows"):
        group_keys("f", data, pd.Series([1, 1, 2]))  # right length, other index
    with pytest.raises(ParameterError) as err:
        group_keys("f", data, "site")
    assert str(err.value) == "f: data has no column(s) ['site']; available: ['unit', 'x']"


def test_group_index_sorts_groups_and_keeps_a_missing_key():
    data = pd.DataFrame({"unit": ["b", "a", None, "b"], "year": [1, 2, 1, 1]})
    codes, index = group_index(data, ["unit"])
    # sorted labels a, b, then the missing key as its own group (dropna=False)
    assert codes.tolist() == [1, 0, 2, 1]
    assert index[:2].tolist() == ["a", "b"] and pd.isna(index[2])
    codes, index = group_index(data, ["unit", "year"])
    assert codes.tolist() == [1, 0, 2, 1]
    assert index[0] == ("a", 2) and index[1] == ("b", 1)
    codes, index = group_index(data, [])
    assert codes.tolist() == [0, 0, 0, 0] and codes.dtype.kind == "i"  # codes, not floats
    assert index.equals(pd.RangeIndex(1))


def test_group_codes_of_a_column_sorted_with_missing_left_out():
    data = pd.DataFrame({"unit": ["b", None, "a", "b"]})
    with pytest.warns(EvalkitWarning) as record:
        codes, labels = group_codes("f", "unit", 4, data=data)
    assert [str(w.message) for w in record] == [
        "f: 1 row(s) with a missing 'by' value were left out"
    ]
    assert codes.tolist() == [1, -1, 0, 1]
    assert codes.dtype == np.intp
    assert labels.tolist() == ["a", "b"] and labels.name == "unit"


def test_group_codes_without_groups_and_from_arrays_and_series():
    with warnings.catch_warnings():
        warnings.simplefilter("error", EvalkitWarning)  # no missing key: no warning
        codes, labels = group_codes("f", None, 3)
        assert codes.tolist() == [0, 0, 0] and codes.dtype == np.intp and labels is None
        codes, labels = group_codes("f", np.array([3, 1, 3]), 3)
        assert codes.tolist() == [1, 0, 1] and labels.tolist() == [1, 3]
        assert labels.name == "group"
        index = pd.Index([5, 6, 7])
        codes, labels = group_codes("f", pd.Series(["y", "x", "y"], index=index), 3, index=index)
        assert codes.tolist() == [1, 0, 1] and labels.name == "group"  # unnamed Series
        named = pd.Series(["y", "x", "y"], index=index, name="site")
        assert group_codes("f", named, 3, index=index)[1].name == "site"
        # a Series is taken as it is when no index is given to compare with
        assert group_codes("f", pd.Series(["y", "x", "y"]), 3)[0].tolist() == [1, 0, 1]


def test_group_codes_messages():
    data = pd.DataFrame({"unit": ["a"]})
    with pytest.raises(ParameterError) as err:
        group_codes("f", "site", 1, data=data)
    assert str(err.value) == (
        "f: parameter 'by' names column 'site', which is not in the data; columns are ['unit']"
    )
    with pytest.raises(ParameterError) as err:
        group_codes("f", pd.Series([1, 2]), 3)
    assert str(err.value) == "f: parameter 'by' must have one value per row (3), got 2"
    with pytest.raises(ParameterError) as err:
        group_codes("f", pd.Series([1, 2], index=[1, 2]), 2, index=pd.RangeIndex(2))
    assert str(err.value) == (
        "f: parameter 'by' is a Series whose index differs from the data's; "
        "align it (e.g. df[col]) or pass its values with .to_numpy()"
    )
    for wrong in (pd.DataFrame({"a": [1, 2]}), np.zeros((2, 1))):
        with pytest.raises(ParameterError) as err:
            group_codes("f", wrong, 2)
        assert str(err.value) == (
            "f: parameter 'by' must be a column name, a Series or a 1-D array aligned "
            f"to the rows, got {type(wrong).__name__}"
        )
    with pytest.raises(ParameterError) as err:
        group_codes("f", [1, 2, 3], 2)
    assert str(err.value) == "f: parameter 'by' must have one value per row (2), got 3"
    # a name without data is a 1-D array of one value per row: a string is 0-D
    with pytest.raises(ParameterError, match="got str"):
        group_codes("f", "unit", 1)


def test_sort_rows_only_when_needed_and_stable():
    assert sort_rows(np.array([], dtype=np.intp)) is None
    assert sort_rows(np.array([4])) is None
    assert sort_rows(np.array([0, 0, 1, 1, 2])) is None  # ties are sorted
    assert sort_rows(np.array([1, 0, 1, 0])).tolist() == [1, 3, 0, 2]  # ties keep their order
    assert sort_rows(np.array([0, 2, 1])).tolist() == [0, 2, 1]
    # a long run of ties, where an unstable sort would reorder rows within a group
    codes = np.random.default_rng(2).integers(0, 3, size=500)
    order = sort_rows(codes)
    for group in range(3):
        rows = order[codes[order] == group]
        assert (np.diff(rows) > 0).all(), group


def test_complete_sorted_drops_rows_without_group_or_value():
    matrix = np.array([[1.0, 10], [2, np.nan], [3, 30], [4, 40], [5, 50]])
    codes = np.array([1, 0, -1, 0, 1])
    out, kept, dropped = complete_sorted(matrix, codes)
    assert dropped == 2  # row 1 (a missing value) and row 2 (no group)
    assert kept.tolist() == [0, 1, 1]
    assert out.tolist() == [[4, 40], [1, 10], [5, 50]]
    assert out.flags.f_contiguous
    # nothing to drop, only to sort
    out, kept, dropped = complete_sorted(np.array([[1.0], [2.0]]), np.array([1, 0]))
    assert (dropped, kept.tolist(), out.ravel().tolist()) == (0, [0, 1], [2.0, 1.0])
    assert out.flags.f_contiguous
    # something to drop, nothing to sort
    out, kept, dropped = complete_sorted(np.array([[1.0, 2], [np.nan, 1]]), np.array([0, 0]))
    assert (dropped, kept.tolist(), out.tolist()) == (1, [0], [[1.0, 2.0]])
    assert out.flags.f_contiguous


# --- sums within groups ------------------------------------------------------------------
def test_group_sums_match_pandas_groupby():
    rng = np.random.default_rng(11)
    codes = rng.integers(0, 5, size=200)
    codes[codes == 3] = 4  # group 3 is empty
    values = rng.normal(size=(200, 3))
    expected = pd.DataFrame(values).groupby(codes).sum().reindex(range(6), fill_value=0.0)
    np.testing.assert_allclose(group_sum(codes, values, 6), expected.to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(
        group_sum(codes, values[:, 1], 6), expected[1].to_numpy(), rtol=1e-12
    )
    assert group_sum(codes, values, 6).shape == (6, 3)
    order = np.argsort(codes, kind="stable")
    segments = Segments(codes[order], 6)
    assert segments.n_groups == 6
    for j in range(3):
        np.testing.assert_allclose(
            segments.sum(values[order, j]), expected[j].to_numpy(), rtol=1e-12
        )


def test_segments_of_empty_groups_at_either_end_and_of_no_rows():
    codes = np.array([1, 1, 2, 2, 2])  # groups 0 and 3 hold no row
    segments = Segments(codes, 4)
    assert segments.sum(np.array([1.0, 2, 3, 4, 5])).tolist() == [0.0, 3.0, 12.0, 0.0]
    empty = Segments(np.array([], dtype=np.intp), 2)
    assert empty.sum(np.array([])).tolist() == [0.0, 0.0]


def test_cluster_moments_match_statsmodels_cluster_robust_means():
    rng = np.random.default_rng(5)
    clusters = np.repeat(np.arange(9), [3, 4, 5, 2, 6, 3, 4, 2, 5])
    group = np.where(clusters < 4, 0, 1)  # clusters 0-3 in group 0, 4-8 in group 1
    y = rng.normal(size=len(clusters)) + clusters * 0.2
    n, g, mean, sd, var = cluster_moments(group, clusters, y, 2)
    assert n.tolist() == [14.0, 20.0] and g.tolist() == [4.0, 5.0]
    for k in range(2):
        rows = group == k
        # statsmodels' cluster correction G/(G-1) (N-1)/(N-K) is G/(G-1) for y ~ 1
        fit = sm.OLS(y[rows], np.ones(rows.sum())).fit(
            cov_type="cluster", cov_kwds={"groups": clusters[rows]}
        )
        assert mean[k] == pytest.approx(fit.params[0], rel=1e-12)
        assert var[k] == pytest.approx(fit.bse[0] ** 2, rel=1e-10)
        assert sd[k] == pytest.approx(np.std(y[rows], ddof=1), rel=1e-12)


def test_cluster_moments_of_one_cluster_and_one_row_without_warnings():
    # group 0: one cluster of two rows (G = 1: CR1 factor 1/0); group 1: one row
    codes = np.array([0, 0, 1])
    n, g, mean, sd, var = cluster_moments(
        codes, np.array(["a", "a", "b"]), np.array([1.0, 3, 5]), 2
    )
    assert (n.tolist(), g.tolist(), mean.tolist()) == ([2.0, 1.0], [1.0, 1.0], [2.0, 5.0])
    assert sd[0] == pytest.approx(math.sqrt(2)) and np.isnan(sd[1])
    # group 0: residuals -1, 1 sum to 0 in the one cluster: 1/0 * 0 = NaN; group 1: 0/0
    assert np.isnan(var).all()


def test_cluster_moments_same_cluster_label_in_two_groups_are_two_clusters():
    codes = np.array([0, 0, 1, 1])
    clusters = np.array(["a", "b", "a", "b"])
    n, g, mean, sd, var = cluster_moments(codes, clusters, np.array([1.0, 3, 2, 6]), 2)
    assert g.tolist() == [2.0, 2.0]
    # group 1: mean 4, residuals -2 and 2 alone in their clusters: 2/1 * (4 + 4) / 2**2
    assert var[1] == pytest.approx(4.0)


def test_cluster_mean_cr2_by_hand_with_unequal_clusters():
    # one group: clusters of sizes 1, 1, 2; y = 0, 2, 1, 5; mean 2; n = 4
    codes = np.zeros(4, dtype=np.intp)
    var, df = cluster_mean_cr2(codes, np.array([0, 1, 2, 2]), np.array([0.0, 2, 1, 5]), 1)
    # u = (-2, 0, 2), a = 1/(1 - n_g/n) = (4/3, 4/3, 2): V = (4 * 4/3 + 0 + 4 * 2) / 16
    assert var[0] == pytest.approx((16 / 3 + 8) / 16, rel=1e-14)
    # Q = sum a^2 n_g^2 - 2 sum a^2 n_g^3 / n + (sum a n_g^2)^2 / n^2
    a, size = np.array([4 / 3, 4 / 3, 2]), np.array([1.0, 1, 2])
    q = (a**2 * size**2).sum() - 2 * (a**2 * size**3).sum() / 4 + (a * size**2).sum() ** 2 / 16
    assert df[0] == pytest.approx(16 / q, rel=1e-14)
    assert 1 < df[0] < 2  # unequal clusters: fewer than G - 1


def test_cluster_mean_cr2_of_two_groups_in_one_pass():
    codes = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    clusters = np.array([0, 0, 1, 1, 5, 6, 7, 8])
    y = np.array([1.0, 3, 4, 8, 1, 2, 3, 6])
    var, df = cluster_mean_cr2(codes, clusters, y, 2)
    # group 0: mean 4, u = (-4, 4), a = 2: V = 2 * 16 * 2 / 16 = 4; two clusters: df 1
    assert var[0] == pytest.approx(4.0) and df[0] == pytest.approx(1.0)
    # group 1: four clusters of one row, mean 3: u = (-2, -1, 0, 3), a = 4/3; df = G - 1
    assert var[1] == pytest.approx(4 / 3 * 14 / 16) and df[1] == pytest.approx(3.0)
    # a group in one cluster gets NaN, the other keeps its values
    var, df = cluster_mean_cr2(codes, np.r_[np.zeros(4), clusters[4:]], y, 2)
    assert np.isnan(var[0]) and np.isnan(df[0])
    assert var[1] == pytest.approx(4 / 3 * 14 / 16) and df[1] == pytest.approx(3.0)


def test_cr2_ols_gram_diagonal_traces_are_the_variance_of_a_unit_residual():
    # The trace of P_jj over clusters is sum_g ||p_jg||^2; for y ~ 1 with G equal clusters
    # of m rows, p_jg = (I - H)_g A_g 1_m / n, and sum_g ||p_jg||^2 = 1/n.
    x = np.ones((6, 1))
    m = np.linalg.inv(x.T @ x)
    y = np.array([1.0, 2, 3, 5, 4, 6])
    codes = np.array([0, 0, 1, 1, 2, 2])
    vcov, df, gram = cr2_ols_gram(x, m, y - y.mean(), codes, 3)
    assert np.trace(gram[0, 0]) == pytest.approx(1 / 6, rel=1e-12)
    assert df[0] == pytest.approx(2.0, rel=1e-12)
    # the closed form of a mean agrees
    var, df_mean = cluster_mean_cr2(np.zeros(6, dtype=np.intp), codes, y, 1)
    assert vcov[0, 0] == pytest.approx(var[0], rel=1e-12)
    assert df[0] == pytest.approx(df_mean[0], rel=1e-12)


def test_htz_wald_refuses_a_singular_covariance_and_too_few_clusters():
    gram = np.ones((2, 2, 3, 3))
    f, q, df2, p = htz_wald(np.array([1.0, 2.0]), np.zeros((2, 2)), gram)
    assert q == 2 and all(np.isnan(v) for v in (f, df2, p))
    # Omega with a zero eigenvalue: no test
    f, q, df2, p = htz_wald(np.array([1.0, 2.0]), np.eye(2), np.zeros((2, 2, 3, 3)))
    assert q == 2 and all(np.isnan(v) for v in (f, df2, p))


def test_htz_wald_with_no_denominator_df_left():
    # one cluster and two coefficients: B = Omega^-1/2 P Omega^-1/2 is the identity, the
    # sum of total is (1 + 1) + 1 + 1 + (1 + 1) = 6, nu = q (q + 1) / 6 = 1 and
    # df2 = nu - q + 1 = 0: no F test
    gram = np.eye(2)[:, :, None, None]
    f, q, df2, p = htz_wald(np.array([1.0, 2.0]), np.eye(2), gram)
    assert (q, df2) == (2, 0.0)
    assert np.isnan(f) and np.isnan(p)


def test_htz_wald_of_one_coefficient_is_the_squared_satterthwaite_t():
    # q = 1: nu = 2 / (2 sum B^2) = (tr P)^2 / ||P||^2 (the Satterthwaite df), F = t^2
    rng = np.random.default_rng(3)
    block = rng.normal(size=(4, 4))
    p = block @ block.T
    gram = p[None, None]
    f, q, df2, pval = htz_wald(np.array([0.7]), np.array([[0.09]]), gram)
    nu = np.trace(p) ** 2 / (p**2).sum()
    assert q == 1
    assert df2 == pytest.approx(nu, rel=1e-12)
    assert f == pytest.approx(0.7**2 / 0.09, rel=1e-12)
    assert pval == pytest.approx(2 * stats.t.sf(0.7 / 0.3, nu), rel=1e-10)


# --- results and shared formulas ---------------------------------------------------------
def test_as_result_grouped_or_one_named_row():
    out = pd.DataFrame({"n": [3, 4], "mean": [1.5, 2.5]}, index=pd.Index(["a", "b"]))
    assert as_result(out, True) is out
    row = as_result(out.iloc[[1]], False, "score")
    assert isinstance(row, pd.Series) and row.name == "score"
    assert row.to_dict() == {"n": 4, "mean": 2.5}
    assert as_result(out.iloc[[0]], False).name is None


def test_wilson_matches_statsmodels_and_r():
    x = np.array([0, 1, 3, 7, 10, 20])
    n = np.array([10, 10, 10, 10, 10, 20])
    for ci in (0.95, 0.90, 0.99):
        low, high = wilson(x, n, ci)
        ref_low, ref_high = proportion_confint(x, n, alpha=1 - ci, method="wilson")
        np.testing.assert_allclose(low, ref_low, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(high, ref_high, rtol=1e-12, atol=1e-15)
    # R: prop.test(3, 10, correct = FALSE)$conf.int
    low, high = wilson(3, 10, 0.95)
    assert float(low) == pytest.approx(0.1077913, abs=5e-8)
    assert float(high) == pytest.approx(0.6032219, abs=5e-8)


def test_wilson_bounds_are_exact_at_0_and_n_and_nan_without_trials():
    low, high = wilson(np.array([0, 5, 2, 0]), np.array([5, 5, 0, 0]), 0.95)
    assert low[0] == 0.0 and high[1] == 1.0
    assert 0 < high[0] < 1 and 0 < low[1] < 1
    assert np.isnan(low[2:]).all() and np.isnan(high[2:]).all()
    # where the formula's rounding misses: 0 of 3 gives 5.6e-17, 10 of 10 gives 1 - 1e-16
    low, high = wilson(np.array([0, 10]), np.array([3, 10]), 0.95)
    assert low[0] == 0.0 and high[1] == 1.0
    # one trial is enough for an interval: 1 of 1 at 95 %: (1 / (1 + z^2), 1)
    low, high = wilson(1, 1, 0.95)
    assert float(low) == pytest.approx(1 / (1 + stats.norm.ppf(0.975) ** 2), rel=1e-12)
    assert float(high) == 1.0


def test_band_edges_tolerance_and_missing():
    bands = ((88.31, "A", "Sangat Baik"), (76.61, "B", "Baik"), (65.0, "C", "Kurang Baik"))
    values = np.array([88.31, 88.30, 76.61, 76.6, 65.0, 64.99, np.nan, 100.0])
    out = band(values, bands)
    assert out.dtype == object
    assert out[:5].tolist() == ["A", "B", "B", "C", "C"]
    assert pd.isna(out[5]) and pd.isna(out[6]) and out[7] == "A"  # below every bound; NaN
    # a value reaches a bound within the tolerance, not beyond it
    near = band(np.array([88.305, 88.30, 76.6051, 76.6049]), bands, tolerance=0.005)
    assert near.tolist() == ["A", "B", "B", "C"]
    assert band(np.array([1.0, np.nan]), bands, missing="-").tolist() == ["-", "-"]
    assert band(np.array([]), bands).tolist() == []


def test_hedges_j_is_the_gamma_ratio():
    for df in (2, 3, 5, 10, 37, 120):
        exact = math.gamma(df / 2) / (math.sqrt(df / 2) * math.gamma((df - 1) / 2))
        assert float(hedges_j(df)) == pytest.approx(exact, rel=1e-13)
    assert float(hedges_j(2)) == pytest.approx(1 / math.sqrt(math.pi), rel=1e-14)
    # the usual approximation 1 - 3 / (4 df - 1) is within 1e-4 at df = 20
    assert float(hedges_j(20)) == pytest.approx(1 - 3 / 79, abs=1e-4)
    assert float(hedges_j(1)) == 0.0  # Gamma(0) is infinite: J(1) = 0, as R's effectsize
    np.testing.assert_allclose(hedges_j(np.array([3.0, 5.0])), [hedges_j(3), hedges_j(5)])
    # no df (one person) or a negative one: not a number, and no NumPy warning
    out = hedges_j(np.array([0.0, -1.0]))
    assert not np.isfinite(out[0]) and np.isnan(out[1])


def _dense_cr2(x, resid, codes):
    """CR2 covariance and Satterthwaite df written out cluster by cluster (no batching)."""
    n, k = x.shape
    m = np.linalg.inv(x.T @ x)
    hat = x @ m @ x.T
    meat = np.zeros((k, k))
    columns = []
    for g in np.unique(codes):
        rows = np.flatnonzero(codes == g)
        w, v = np.linalg.eigh(np.eye(len(rows)) - hat[np.ix_(rows, rows)])
        root = np.array([1 / np.sqrt(e) if e > 1e-12 else 0.0 for e in w])
        adjust = v @ np.diag(root) @ v.T
        u = x[rows].T @ adjust @ resid[rows]
        meat += np.outer(u, u)
        columns.append((np.eye(n) - hat)[:, rows] @ adjust @ x[rows] @ m)  # n x k
    vcov = m @ meat @ m
    df = []
    for j in range(k):
        p = np.column_stack([c[:, j] for c in columns])  # n x G
        gram = p.T @ p
        df.append(np.trace(gram) ** 2 / (gram**2).sum())
    return vcov, np.array(df)


def test_cr2_ols_gram_matches_a_dense_calculation_on_shuffled_unequal_clusters():
    # 5 clusters of 2 to 6 rows in shuffled order; a covariate that only cluster 0 has,
    # whose rows the model fits exactly (I - H_gg singular: its pseudo-inverse root)
    rng = np.random.default_rng(8)
    codes = np.repeat(np.arange(5), [2, 3, 4, 5, 6])
    x = np.column_stack([np.ones(20), rng.normal(size=20), (codes == 0).astype(float)])
    y = x @ [1.0, 0.5, 2.0] + rng.normal(size=20)
    shuffle = rng.permutation(20)
    x, y, codes = x[shuffle], y[shuffle], codes[shuffle]
    m = np.linalg.inv(x.T @ x)
    resid = y - x @ (m @ x.T @ y)
    vcov, df, _ = cr2_ols_gram(x, m, resid, codes, 5)
    dense_vcov, dense_df = _dense_cr2(x, resid, codes)
    np.testing.assert_allclose(vcov, dense_vcov, rtol=1e-9, atol=1e-14)
    np.testing.assert_allclose(df, dense_df, rtol=1e-9)


def test_cluster_mean_cr2_of_a_group_in_one_cluster_is_nan_not_infinite():
    # the group's only cluster holds all its rows: a_g = 1 / (1 - 1) is infinite, and its
    # residuals sum to a rounding (1e-17, not 0), which alone would give an infinite
    # variance; fewer than 2 clusters give NaN
    codes = np.array([0, 0, 0, 1, 1, 1, 1])
    clusters = np.array([0, 0, 0, 1, 1, 2, 2])
    y = np.array([0.1, 0.2, 0.4, 1.0, 2, 3, 5])
    assert np.sum(y[:3] - y[:3].mean()) != 0  # the rounding this test needs
    var, df = cluster_mean_cr2(codes, clusters, y, 2)
    assert np.isnan(var[0]) and np.isnan(df[0])
    # group 1: mean 2.75, u = (-2.5, 2.5), a = 2: V = 2 * 6.25 * 2 / 16; two clusters: df 1
    assert var[1] == pytest.approx(25 / 16) and df[1] == pytest.approx(1.0)


def test_moment_helpers_keep_a_group_without_rows():
    # n_groups counts a last group that holds no row: it is there, with n = 0 (its
    # moments are 0 / 0; no caller passes one, so the NumPy warning is silenced here)
    codes = np.array([0, 0, 0, 0])
    clusters = np.array([0, 0, 1, 1])
    y = np.array([1.0, 3, 4, 8])
    with np.errstate(invalid="ignore", divide="ignore"):
        n, g, mean, sd, var = cluster_moments(codes, clusters, y, 2)
        cr2, df = cluster_mean_cr2(codes, clusters, y, 2)
    assert n.tolist() == [4.0, 0.0] and g.tolist() == [2.0, 0.0]
    assert mean[0] == 4.0 and np.isnan(mean[1])
    # group 0: u = (-4, 4): CR1 = 2 / 1 * 32 / 16 = 4, CR2 = 2 * 32 / 16 = 4
    assert var[0] == pytest.approx(4.0) and cr2[0] == pytest.approx(4.0)
    assert len(var) == len(cr2) == len(df) == 2 and np.isnan(cr2[1]) and np.isnan(df[1])
