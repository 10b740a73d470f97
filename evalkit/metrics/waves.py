"""Level 3, did it last: change of the behaviour index between follow-up waves.

The same alumni rated at two follow-up waves (e.g. 3 and 6 months after training):
:func:`behavior_change` estimates their within-person change with a cluster-robust
interval by cohort, and :func:`wave_attrition` says who was not rated again and whether
those who dropped out differed from those who stayed. The indices are those of
:func:`evalkit.metrics.behavior.behavior_scores` (percent of maximum, or POMP with
``scale_min``).

Examples
--------
>>> import pandas as pd
>>> from evalkit.metrics.waves import behavior_change
>>> fu = pd.DataFrame({"cohort_id": "a", "participant_id": ["p1", "p1", "p2", "p2", "p3", "p3"],
...                    "rater": "self", "item": "b1", "months_after": [3, 6] * 3,
...                    "score": [3, 4, 2, 3, 4, 4], "scale_max": 5})
>>> round(float(behavior_change(fu)["mean_change"]), 4)
13.3333
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from evalkit import constants as C
from evalkit.errors import ParameterError
from evalkit.metrics._grouped import wilson
from evalkit.metrics._validate import check_ci, require_columns, warn
from evalkit.metrics.behavior import behavior_scores, numeric_scores

__all__ = ["behavior_change", "wave_attrition"]


def _wave_indices(
    func: str,
    followup: pd.DataFrame,
    baseline: float,
    later: float,
    keys: list,
    **columns: str,
) -> pd.DataFrame:
    """One row per person (``keys``): ``index`` at ``baseline`` and at ``later`` (NaN if none)."""
    months = columns.pop("months")
    require_columns(func, followup, [months], "followup")
    waves = pd.to_numeric(followup[months], errors="coerce")
    found = set(waves.dropna().unique())
    for name, value in (("baseline", baseline), ("later", later)):
        if value not in found:
            raise ParameterError(
                f"{func}: parameter {name!r} = {value!r} is not a wave of column {months!r} "
                f"(waves: {sorted(found)})"
            )
    scores = behavior_scores(followup[waves.isin([baseline, later])], by=[*keys, months], **columns)
    wide = scores.pivot_table(
        index=[*keys, columns["participant"]], columns=months, values="index", dropna=False
    )
    return wide.reindex(columns=[baseline, later]).set_axis(["baseline", "later"], axis=1)


def behavior_change(
    followup: pd.DataFrame,
    *,
    baseline: float = 3,
    later: float = 6,
    cluster: str = C.COHORT_ID,
    ci: float = 0.95,
    raters: Sequence[str] = C.RATERS,
    months: str = C.MONTHS_AFTER,
    participant: str = C.PARTICIPANT_ID,
    rater: str = C.RATER,
    item: str = C.ITEM,
    score: str = C.SCORE,
    scale_max: str = C.SCALE_MAX,
    scale_min: float | str | None = None,
) -> pd.Series:
    """Within-person change of the behaviour index between two follow-up waves.

    Did it last? The same alumni rated at ``baseline`` (e.g. 3 months) and at ``later``
    (e.g. 6 months): the mean of their differences, later - baseline.

    Parameters
    ----------
    followup : DataFrame
        The long ``followup`` table with ``months_after``.
    baseline, later : number, default 3 and 6
        The two waves (values of ``months``).
    cluster : str, default ``"cohort_id"``
        Column of the clusters (people of one cohort are followed up together); it also
        identifies a person with ``participant``.
    ci : float, default 0.95
        Confidence level.
    raters : sequence of str, default ``("self", "supervisor")``
    months, participant, rater, item, score, scale_max : str
        Column names.
    scale_min : number, column name or None
        As :func:`behavior_scores` (POMP when given).

    Returns
    -------
    pandas.Series
        ``n`` (people with both waves), ``n_clusters``, ``mean_baseline, mean_later,
        mean_change, sd_change, d_z``, the cluster-robust ``se, t, df`` (clusters - 1),
        ``p, ci_low, ci_high``, and the paired-t ``p_paired, ci_low_paired,
        ci_high_paired`` (people as independent). Index points (0-100). With a single
        cluster (one cohort) ``se, t, df, p, ci_low, ci_high`` are the paired t's.

    Raises
    ------
    ParameterError
        As :func:`behavior_scores`; a wave not in the data; fewer than 3 people with
        both waves.

    Notes
    -----
    Each person's index per wave as in :func:`behavior_scores`; :math:`d_i =
    index_{i,later} - index_{i,baseline}`; the mean change with the CR1 se of
    :func:`evalkit.metrics.clustered.clustered_means` (t on G - 1 df), beside the paired
    t test. Only people rated at both waves count: who is missing at the later wave is
    :func:`wave_attrition`'s question. Validated against R 4 ``t.test(i6, i3, paired =
    TRUE)`` and ``coeftest(lm(d ~ 1), vcovCL(fit, cluster = ~cohort_id), df = G - 1)``
    (``tests/reference/level3u.R``).

    Examples
    --------
    >>> import pandas as pd
    >>> fu = pd.DataFrame({"cohort_id": list("aaaabbbbcccc"),
    ...     "participant_id": ["p1", "p1", "p2", "p2", "p3", "p3", "p4", "p4", "p5", "p5",
    ...                        "p6", "p6"], "rater": "self", "item": "b1",
    ...     "months_after": [3, 6] * 6, "score": [3, 4, 2, 3, 4, 4, 3, 5, 2, 2, 3, 4],
    ...     "scale_max": 5})
    >>> out = behavior_change(fu)
    >>> int(out["n"]), round(float(out["mean_change"]), 4)
    (6, 16.6667)
    """
    func = "behavior_change"
    level = check_ci(func, ci)
    require_columns(func, followup, [cluster], "followup")
    wide = _wave_indices(
        func, followup, baseline, later, [cluster], months=months, raters=raters,
        participant=participant, rater=rater, item=item, score=score, scale_max=scale_max,
        scale_min=scale_min,
    )  # fmt: skip
    both = wide.dropna()
    n = len(both)
    if n < 3:
        raise ParameterError(
            f"{func}: needs at least 3 people rated at both waves {baseline} and {later}, got {n}"
        )
    d = (both["later"] - both["baseline"]).to_numpy()
    groups = both.index.get_level_values(cluster).to_numpy()
    codes, labels = pd.factorize(groups)
    g = len(labels)
    mean = float(d.mean())
    sd = float(d.std(ddof=1))
    e_sum = np.bincount(codes, weights=d - mean)
    with np.errstate(invalid="ignore", divide="ignore"):
        se_paired = sd / np.sqrt(n)
        # one cohort (a cohort report): nothing to cluster over, the paired t it is
        se = float(np.sqrt(g / (g - 1) * (e_sum**2).sum()) / n) if g > 1 else se_paired
        t = mean / se
    df = g - 1.0 if g > 1 else n - 1.0
    half = float(stats.t.ppf(0.5 + level / 2, df)) * se
    half_paired = float(stats.t.ppf(0.5 + level / 2, n - 1)) * se_paired
    return pd.Series(
        {
            "n": float(n),
            "n_clusters": float(g),
            "mean_baseline": float(both["baseline"].mean()),
            "mean_later": float(both["later"].mean()),
            "mean_change": mean,
            "sd_change": sd,
            "d_z": mean / sd if sd > 0 else np.nan,
            "se": se,
            "t": t,
            "df": df,
            "p": 2 * stats.t.sf(abs(t), df),
            "ci_low": mean - half,
            "ci_high": mean + half,
            "p_paired": 2 * stats.t.sf(abs(mean / se_paired), n - 1),
            "ci_low_paired": mean - half_paired,
            "ci_high_paired": mean + half_paired,
        },
        name="behavior_change",
    )


def wave_attrition(
    followup: pd.DataFrame,
    *,
    baseline: float = 3,
    later: float = 6,
    learning: pd.DataFrame | None = None,
    cohort: str = C.COHORT_ID,
    ci: float = 0.95,
    raters: Sequence[str] = C.RATERS,
    months: str = C.MONTHS_AFTER,
    participant: str = C.PARTICIPANT_ID,
    rater: str = C.RATER,
    item: str = C.ITEM,
    score: str = C.SCORE,
    scale_max: str = C.SCALE_MAX,
    scale_min: float | str | None = None,
    pre: str = C.PRE,
    post: str = C.POST,
) -> pd.DataFrame:
    """Who dropped out between two follow-up waves, and were they different?

    Parameters
    ----------
    followup : DataFrame
        The long ``followup`` table with ``months_after``.
    baseline, later : number, default 3 and 6
        The two waves.
    learning : DataFrame, optional
        The ``learning`` table; with it the gain (post - pre) of those who dropped out
        is compared with that of those who stayed.
    cohort : str, default ``"cohort_id"``
        Only cohorts with a ``later`` wave count (the others were never due for it).
    ci : float, default 0.95
        Confidence level.
    raters, months, participant, rater, item, score, scale_max, pre, post : str
        Column names.
    scale_min : number, column name or None
        As :func:`behavior_scores` (POMP when given).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``measure``: ``dropped_out`` (``estimate`` = share of the people
        rated at baseline who have no later rating, Wilson interval, ``n`` = people
        rated at baseline, ``n_dropped``, ``n_stayed``), ``index_baseline`` and, with
        ``learning``, ``gain``: ``estimate`` = mean of those who dropped out - mean of
        those who stayed (Welch), ``ci_low, ci_high, p``, ``mean_dropped, mean_stayed``.

    Raises
    ------
    ParameterError
        As :func:`behavior_scores`; a wave not in the data; fewer than 2 people in a
        compared group (their row is NaN, with a warning, when only the comparison
        fails).

    Notes
    -----
    Attrition is counted in the cohorts that reached the later wave, among people with
    a baseline rating; people first rated at the later wave are not drop-outs. The
    Welch comparison is :func:`evalkit.group_difference`'s. Validated against R 4
    ``prop.test(dropped, n, correct = FALSE)`` and ``t.test`` (Welch;
    ``tests/reference/level3u.R``).

    Examples
    --------
    >>> import pandas as pd
    >>> fu = pd.DataFrame({"cohort_id": "a", "participant_id": ["p1", "p1", "p2", "p3",
    ...     "p3", "p4"], "rater": "self", "item": "b1", "months_after": [3, 6, 3, 3, 6, 3],
    ...     "score": [3, 4, 2, 4, 4, 3], "scale_max": 5})
    >>> wave_attrition(fu).loc["dropped_out", ["n", "n_dropped", "estimate"]].tolist()
    [4.0, 2.0, 0.5]
    """
    func = "wave_attrition"
    level = check_ci(func, ci)
    require_columns(func, followup, [cohort], "followup")
    wide = _wave_indices(
        func, followup, baseline, later, [cohort], months=months, raters=raters,
        participant=participant, rater=rater, item=item, score=score, scale_max=scale_max,
        scale_min=scale_min,
    )  # fmt: skip
    due = wide.groupby(level=cohort)["later"].transform(lambda s: s.notna().any())
    rated = wide[due & wide["baseline"].notna()]
    dropped = rated["later"].isna().to_numpy()
    n, n_drop = len(rated), int(dropped.sum())
    if n == 0:
        raise ParameterError(
            f"{func}: no one rated at wave {baseline} in a cohort with wave {later}"
        )
    low, high = wilson(np.array([n_drop]), np.array([n]), level)
    rows = {
        "dropped_out": {
            "estimate": n_drop / n, "ci_low": float(low[0]), "ci_high": float(high[0]),
            "p": np.nan, "n": float(n), "n_dropped": float(n_drop), "n_stayed": float(n - n_drop),
            "mean_dropped": np.nan, "mean_stayed": np.nan,
        }
    }  # fmt: skip
    compared = {"index_baseline": rated["baseline"]}
    if learning is not None:
        require_columns(func, learning, [cohort, participant, pre, post], "learning")
        lrn = learning.set_index([cohort, participant])
        gain = numeric_scores(func, lrn[post], post) - numeric_scores(func, lrn[pre], pre)
        compared["gain"] = gain.reindex(rated.index)
    for name, values in compared.items():
        v = values.to_numpy(dtype=float)
        a, b = v[dropped & ~np.isnan(v)], v[~dropped & ~np.isnan(v)]
        row = {"n": float(len(a) + len(b)), "n_dropped": float(len(a)), "n_stayed": float(len(b))}
        if min(len(a), len(b)) < 2:
            warn(
                func,
                f"{len(a)} who dropped out and {len(b)} who stayed have a {name}: too few "
                "to compare (2 each needed); its row is NaN",
            )
            rows[name] = row | {"estimate": np.nan, "ci_low": np.nan, "ci_high": np.nan,
                                "p": np.nan, "mean_dropped": np.nan, "mean_stayed": np.nan}  # fmt: skip
            continue
        va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
        se = np.sqrt(va + vb)
        df = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
        diff = a.mean() - b.mean()
        half = float(stats.t.ppf(0.5 + level / 2, df)) * se
        rows[name] = row | {
            "estimate": diff, "ci_low": diff - half, "ci_high": diff + half,
            "p": float(2 * stats.t.sf(abs(diff / se), df)),
            "mean_dropped": float(a.mean()), "mean_stayed": float(b.mean()),
        }  # fmt: skip
    columns = ["estimate", "ci_low", "ci_high", "p", "n", "n_dropped", "n_stayed",
               "mean_dropped", "mean_stayed"]  # fmt: skip
    out = pd.DataFrame.from_dict(rows, orient="index")[columns]
    out.index.name = "measure"
    return out
