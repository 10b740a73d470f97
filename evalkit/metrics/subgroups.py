"""For whom did the training work? Subgroup estimates with an interaction test.

The gain (Level 2) or the transfer index (Level 3) of each subgroup of participants (sex,
age band, golongan, position type, unit), each with a cluster-robust interval (people
are grouped in cohorts), its difference from the largest subgroup among people of the
same cohort, and one interaction test per characteristic: does the outcome differ
between its subgroups at all? For the pre/post gain a difference between subgroups is
the time x subgroup interaction.

The differences and tests compare people **within cohorts** (OLS with cohort fixed
effects, classical F): the cohort effect that makes people of one cohort alike is then
absorbed, and a subgroup that happens to be common in the cohorts of one program does not
borrow that program's effect. A cluster-robust Wald test of many contrasts with few
cohorts is not used: with 15 cohorts and 9 golongan contrasts it rejects far too often
(on the demo, p < .001 where the within-cohort F gives p = .41).

Subgroups of fewer than ``min_n`` people are left out of the estimates and of the test
(the small-cell rule of the reports) and counted in ``n_suppressed``. Many subgroups give
many differences by chance: the test per characteristic, not the largest difference, is
the finding, and the tests of several characteristics need a multiplicity correction.

Examples
--------
>>> import pandas as pd
>>> from evalkit.metrics.subgroups import subgroup_tests
>>> d = pd.DataFrame({"gain": [1.0, 2, 3, 5, 4, 6, 2, 4, 3, 5, 1, 2],
...                   "sex": list("LPLPLPLPLPLP"), "cohort_id": list("aabbccddeeff")})
>>> subgroup_tests(d, "gain", ["sex"])[["n", "n_levels", "df1", "df2"]].iloc[0].tolist()
[12.0, 2.0, 1.0, 5.0]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from evalkit import constants as C
from evalkit.errors import ParameterError
from evalkit.metrics._validate import require_frame, require_named_columns
from evalkit.metrics.clustered import clustered_comparison, clustered_means
from evalkit.metrics.multiplicity import adjust_p

__all__ = ["SUBGROUPS", "subgroup_estimates", "subgroup_tests", "subgroup_vs_rest"]


#: The participant characteristics of the ``participants`` table a report breaks down by.
SUBGROUPS = (C.SEX, C.AGE_BAND, C.GOLONGAN, C.POSITION_TYPE, C.UNIT)


def _check(
    func: str, data: pd.DataFrame, dv: str, subgroups: Sequence[str], cluster: str, min_n: int
) -> list[str]:
    require_frame(func, data, "data")
    names = [subgroups] if isinstance(subgroups, str) else list(subgroups)
    if not names:
        raise ParameterError(f"{func}: parameter 'subgroups' must name at least one column")
    require_named_columns(
        func, data, (("dv", dv), ("cluster", cluster), *(("subgroups", s) for s in names))
    )
    if not isinstance(min_n, (int, np.integer)) or min_n < 2:
        raise ParameterError(f"{func}: parameter 'min_n' must be an integer >= 2, got {min_n!r}")
    return names


def _kept(data: pd.DataFrame, dv: str, var: str, cluster: str, min_n: int):
    """Rows with the outcome and the characteristic, subgroups of >= min_n people only."""
    rows = data[data[dv].notna() & data[var].notna() & data[cluster].notna()]
    counts = rows[var].value_counts()
    small = counts[counts < min_n]
    return rows[~rows[var].isin(small.index)], small


def _within(rows: pd.DataFrame, dv: str, var: str, cluster: str) -> dict | None:
    """OLS ``dv ~ cohort fixed effects + subgroup dummies``, reference the largest subgroup.

    None when the subgroups coincide with whole cohorts (no within-cohort contrast).
    """
    counts = rows[var].value_counts(sort=False).sort_index()
    reference = counts.index[int(np.argmax(counts.to_numpy()))]
    others = [lev for lev in counts.index if lev != reference]
    groups = rows[cluster].to_numpy()
    cohorts = sorted(set(groups), key=str)
    values = rows[var].to_numpy()
    x = np.column_stack(
        [np.ones(len(rows))]
        + [(groups == c).astype(float) for c in cohorts[1:]]
        + [(values == lev).astype(float) for lev in others]
    )
    y = rows[dv].to_numpy(dtype=float)
    df = len(y) - x.shape[1]
    if df < 1 or np.linalg.matrix_rank(x) < x.shape[1]:
        return None
    q_mat, r_mat = np.linalg.qr(x)
    r_inv = np.linalg.solve(r_mat, np.eye(x.shape[1]))
    beta = r_inv @ (q_mat.T @ y)
    sigma2 = float(((y - x @ beta) ** 2).sum()) / df
    terms = np.arange(len(cohorts), x.shape[1])
    vcov = sigma2 * (r_inv @ r_inv.T)[np.ix_(terms, terms)]
    return {"others": others, "reference": reference, "beta": beta[terms], "vcov": vcov,
            "df": float(df), "n_counts": counts}  # fmt: skip


def _wald(fit: dict) -> tuple[float, float, float]:
    """Classical F of all subgroup terms: (F, q, p)."""
    b, v = fit["beta"], fit["vcov"]
    q = len(b)
    f = float(b @ np.linalg.solve(v, b)) / q
    return f, float(q), float(stats.f.sf(f, q, fit["df"]))


def subgroup_estimates(
    data: pd.DataFrame,
    dv: str,
    subgroups: Sequence[str] = SUBGROUPS,
    *,
    cluster: str = C.COHORT_ID,
    min_n: int = C.MIN_CELL_SIZE,
    ci: float = 0.95,
) -> pd.DataFrame:
    """The outcome in each subgroup, and its difference from the largest subgroup.

    Parameters
    ----------
    data : DataFrame
        One row per person: the outcome and the characteristics (e.g. the learning
        table with ``gain`` merged with ``participants``).
    dv : str
        Column of the outcome (``gain``, a transfer index).
    subgroups : sequence of str, default :data:`SUBGROUPS`
        Columns of the characteristics.
    cluster : str, default ``"cohort_id"``
        Column of the clusters of the cluster-robust intervals.
    min_n : int, default 5 (``constants.MIN_CELL_SIZE``)
        Subgroups with fewer people are left out (not estimated, not shown).
    ci : float, default 0.95
        Confidence level.

    Returns
    -------
    pandas.DataFrame
        Indexed by (``variable``, ``level``); columns ``n, n_clusters, mean, ci_low,
        ci_high`` (cluster-robust, t on the subgroup's clusters - 1 df), ``reference``
        (the largest subgroup of the characteristic), ``diff`` (the difference from the
        reference among people of the same cohort: the subgroup's coefficient with
        cohort fixed effects), ``diff_ci_low, diff_ci_high, diff_p`` (t on N - K df;
        NaN on the reference row).

    Raises
    ------
    ParameterError
        Missing columns, a non-numeric outcome, ``min_n`` below 2.

    Notes
    -----
    Each subgroup's mean is :func:`evalkit.metrics.clustered.clustered_means`; the
    differences are the coefficients of OLS ``dv ~ cohort + subgroup`` (cohort fixed
    effects). A characteristic with a single subgroup left gets its mean but no
    difference. Validated against R 4 ``coeftest(lm(gain ~ 1), vcovCL(fit, cluster =
    ~cohort_id), df = G - 1)`` per subgroup and ``summary(lm(gain ~ cohort_id +
    golongan))`` (``tests/reference/level3u.R``).

    Examples
    --------
    >>> import pandas as pd
    >>> from evalkit.metrics.subgroups import subgroup_estimates
    >>> d = pd.DataFrame({"gain": [1.0, 2, 3, 5, 4, 6, 2, 4, 3, 5, 1, 2],
    ...                   "sex": list("LPLPLPLPLPLP"), "cohort_id": list("aabbccddeeff")})
    >>> out = subgroup_estimates(d, "gain", ["sex"])
    >>> out["mean"].round(4).tolist(), round(float(out.loc[("sex", "P"), "diff"]), 4)
    ([2.3333, 4.0], 1.6667)
    """
    func = "subgroup_estimates"
    names = _check(func, data, dv, subgroups, cluster, min_n)
    parts = []
    for var in names:
        rows, _ = _kept(data, dv, var, cluster, min_n)
        if rows.empty:
            continue
        means = clustered_means(rows, dv, by=var, cluster=cluster, ci=ci)
        out = means[["n", "n_clusters", "mean", "ci_low", "ci_high"]].copy()
        out["reference"] = None
        out["diff"] = out["diff_ci_low"] = out["diff_ci_high"] = out["diff_p"] = np.nan
        fit = _within(rows, dv, var, cluster) if len(means) >= 2 else None
        if fit is not None:
            se = np.sqrt(np.diag(fit["vcov"]))
            half = stats.t.ppf(0.5 + ci / 2, fit["df"]) * se
            out["reference"] = fit["reference"]
            out.loc[fit["others"], "diff"] = fit["beta"]
            out.loc[fit["others"], "diff_ci_low"] = fit["beta"] - half
            out.loc[fit["others"], "diff_ci_high"] = fit["beta"] + half
            out.loc[fit["others"], "diff_p"] = 2 * stats.t.sf(np.abs(fit["beta"] / se), fit["df"])
        out.index = pd.MultiIndex.from_arrays(
            [[var] * len(out), out.index.astype(object)], names=["variable", "level"]
        )
        parts.append(out)
    if not parts:
        columns = ["n", "n_clusters", "mean", "ci_low", "ci_high", "reference", "diff",
                   "diff_ci_low", "diff_ci_high", "diff_p"]  # fmt: skip
        index = pd.MultiIndex.from_arrays([[], []], names=["variable", "level"])
        return pd.DataFrame(columns=columns, index=index)
    return pd.concat(parts)


def subgroup_tests(
    data: pd.DataFrame,
    dv: str,
    subgroups: Sequence[str] = SUBGROUPS,
    *,
    cluster: str = C.COHORT_ID,
    min_n: int = C.MIN_CELL_SIZE,
) -> pd.DataFrame:
    """One interaction test per characteristic: does the outcome differ between subgroups?

    Parameters
    ----------
    data, dv, subgroups, cluster, min_n
        As :func:`subgroup_estimates`.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``variable``; columns ``n`` (people in the shown subgroups),
        ``n_levels`` (subgroups tested), ``n_suppressed`` (subgroups left out, fewer than
        ``min_n`` people), ``n_clusters``, ``f, df1, df2, p`` (F test of the subgroup
        terms in OLS ``dv ~ cohort + subgroup``, on (k - 1, N - K) df; NaN when fewer than
        2 subgroups are left or the subgroups coincide with whole cohorts).

    Raises
    ------
    ParameterError
        As :func:`subgroup_estimates`.

    Notes
    -----
    The within-cohort comparison is the interaction test of the pre/post design among
    people trained together. Validated against R 4 ``anova(lm(gain ~ cohort_id),
    lm(gain ~ cohort_id + golongan))`` (``tests/reference/level3u.R``).

    Examples
    --------
    >>> import pandas as pd
    >>> from evalkit.metrics.subgroups import subgroup_tests
    >>> d = pd.DataFrame({"gain": [1.0, 2, 3, 5, 4, 6, 2, 4, 3, 5, 1, 2],
    ...                   "sex": list("LPLPLPLPLPLP"), "cohort_id": list("aabbccddeeff")})
    >>> subgroup_tests(d, "gain", ["sex"])["n_suppressed"].tolist()
    [0.0]
    """
    func = "subgroup_tests"
    names = _check(func, data, dv, subgroups, cluster, min_n)
    rows_out = {}
    for var in names:
        rows, small = _kept(data, dv, var, cluster, min_n)
        levels = rows[var].nunique()
        row = {
            "n": float(len(rows)),
            "n_levels": float(levels),
            "n_suppressed": float(len(small)),
            "n_clusters": float(rows[cluster].nunique()),
            "f": np.nan,
            "df1": np.nan,
            "df2": np.nan,
            "p": np.nan,
        }
        fit = _within(rows, dv, var, cluster) if levels >= 2 else None
        if fit is not None:
            f, q, p = _wald(fit)
            row |= {"f": f, "df1": q, "df2": fit["df"], "p": p}
        rows_out[var] = row
    out = pd.DataFrame.from_dict(rows_out, orient="index")
    out.index.name = "variable"
    return out


def subgroup_vs_rest(
    data: pd.DataFrame,
    dv: str,
    subgroup: str,
    *,
    cluster: str = C.COHORT_ID,
    min_n: int = C.MIN_CELL_SIZE,
    ci: float = 0.95,
) -> pd.DataFrame:
    """Each subgroup against all other people: which units stand out, with BH-adjusted p.

    Parameters
    ----------
    data, dv, cluster, min_n, ci
        As :func:`subgroup_estimates`.
    subgroup : str
        One column (e.g. ``unit``), with many subgroups to rank.

    Returns
    -------
    pandas.DataFrame
        One row per subgroup of at least ``min_n`` people, sorted by ``mean``: ``n,
        n_clusters, mean, ci_low, ci_high`` (cluster-robust), ``diff`` (mean of the
        subgroup - mean of everyone else shown), ``diff_ci_low, diff_ci_high, p``
        (cluster-robust, t on clusters - 1 df) and ``p_bh`` (Benjamini-Hochberg over the
        subgroups: with 18 units about one "significant" unit is expected by chance at
        p < .05 unadjusted).

    Raises
    ------
    ParameterError
        As :func:`subgroup_estimates`; fewer than 2 subgroups of ``min_n`` people.

    Notes
    -----
    For each subgroup, :func:`evalkit.metrics.clustered.clustered_comparison` of the
    indicator "in this subgroup" (OLS ``dv ~ in_group``, CR1 by cohort); BH by
    :func:`evalkit.adjust_p` (R's ``p.adjust(p, "BH")``).

    Examples
    --------
    >>> import pandas as pd
    >>> from evalkit.metrics.subgroups import subgroup_vs_rest
    >>> d = pd.DataFrame({"gain": [1.0, 2, 3, 5, 4, 6, 2, 4, 3, 5, 1, 2],
    ...                   "sex": list("LPLPLPLPLPLP"), "cohort_id": list("aabbccddeeff")})
    >>> subgroup_vs_rest(d, "gain", "sex", min_n=2)["diff"].round(4).tolist()
    [-1.6667, 1.6667]
    """
    func = "subgroup_vs_rest"
    _check(func, data, dv, [subgroup], cluster, min_n)
    rows, _ = _kept(data, dv, subgroup, cluster, min_n)
    n_levels = rows[subgroup].nunique()
    if n_levels < 2:
        raise ParameterError(
            f"{func}: column {subgroup!r} needs at least 2 subgroups of {min_n} or more "
            f"people, got {n_levels}"
        )
    means = clustered_means(rows, dv, by=subgroup, cluster=cluster, ci=ci)
    out = means[["n", "n_clusters", "mean", "ci_low", "ci_high"]].copy()
    diffs = []  # in the order of the rows of ``out``, which they are assigned to
    for level in out.index:
        flag = rows.assign(_in=np.where(rows[subgroup] == level, "in", "rest"))
        cmp = clustered_comparison(flag, dv, "_in", cluster=cluster, reference="rest", ci=ci)
        diffs.append(cmp.loc["in - rest", ["mean_diff", "ci_low", "ci_high", "p"]].to_numpy())
    diff = np.array(diffs, dtype=float)
    out["diff"], out["diff_ci_low"], out["diff_ci_high"], out["p"] = diff.T
    out["p_bh"] = adjust_p(out["p"], method="bh").to_numpy()
    return out.sort_values("mean", kind="stable")
