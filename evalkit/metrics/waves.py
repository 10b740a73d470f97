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
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from evalkit import constants as C
from evalkit.errors import ParameterError
from evalkit.metrics._grouped import cluster_mean_cr2, cluster_moments, wilson
from evalkit.metrics._validate import check_choice, check_ci, require_columns, warn
from evalkit.metrics.behavior import behavior_scores, numeric_scores
from evalkit.metrics.power import minimum_detectable_effect

__all__ = [
    "attrition_by_wave",
    "behavior_change",
    "long_term_evidence",
    "persistence_curve",
    "wave_attrition",
]


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
    found = set(waves.dropna().unique().tolist())  # numbers, not numpy's reprs in the message
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
    vcov: Literal["CR1", "CR2"] = "CR1",
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
    vcov : {"CR1", "CR2"}, default "CR1"
        The cluster-robust variance of the mean change: CR1 with t on clusters - 1 df,
        or the Bell-McCaffrey CR2 variance with Satterthwaite df, less liberal with the
        few and unequal cohorts a later wave has (as :func:`evalkit.clustered_means`).
    raters : sequence of str, default ``("self", "supervisor")``
    months, participant, rater, item, score, scale_max : str
        Column names.
    scale_min : number, column name or None
        As :func:`behavior_scores` (POMP when given).

    Returns
    -------
    pandas.Series
        ``n`` (people with both waves), ``n_clusters``, ``mean_baseline, mean_later,
        mean_change, sd_change, d_z``, the cluster-robust ``se, t, df`` (clusters - 1,
        or Satterthwaite's with CR2),
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
    :func:`evalkit.metrics.clustered.clustered_means` (t on G - 1 df), or its CR2 se
    with Satterthwaite df, beside the paired t test. Only people rated at both waves
    count: who is missing at the later wave is :func:`wave_attrition`'s question.
    Validated against R 4 ``t.test(i6, i3, paired = TRUE)`` and ``coeftest(lm(d ~ 1),
    vcovCL(fit, cluster = ~cohort_id), df = G - 1)`` (``tests/reference/level3u.R``),
    and CR2 against ``clubSandwich::coef_test(fit, vcov = vcovCR(fit, cluster, type =
    "CR2"), test = "Satterthwaite")`` (``tests/reference/cr2means.R``).

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
    check_choice(func, vcov, "vcov", ("CR1", "CR2"))
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
    clusters = both.index.get_level_values(cluster).to_numpy()
    one = np.zeros(n, dtype=np.intp)  # a single group: the mean of every d
    _, g_arr, mean_arr, sd_arr, var = cluster_moments(one, clusters, d, 1)
    df_arr = g_arr - 1
    if vcov == "CR2":
        var, df_arr = cluster_mean_cr2(one, clusters, d, 1)
    g, mean, sd = int(g_arr[0]), float(mean_arr[0]), float(sd_arr[0])
    se_paired = sd / np.sqrt(n)
    # one cohort (a cohort report): nothing to cluster over, the paired t it is
    se = float(np.sqrt(var[0])) if g > 1 else se_paired
    df = float(df_arr[0]) if g > 1 else n - 1.0
    with np.errstate(invalid="ignore", divide="ignore"):  # sd 0: every change the same
        t, t_paired = np.divide(mean, se), np.divide(mean, se_paired)  # floats: no 1/0 error
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
            "p_paired": 2 * stats.t.sf(abs(t_paired), n - 1),
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
        rows[name] = row | _welch(a, b, level)
    columns = ["estimate", "ci_low", "ci_high", "p", "n", "n_dropped", "n_stayed",
               "mean_dropped", "mean_stayed"]  # fmt: skip
    out = pd.DataFrame.from_dict(rows, orient="index")[columns]
    out.index.name = "measure"
    return out


# --- long-term: any number of waves -----------------------------------------------------
def _person_waves(func: str, followup: pd.DataFrame, cohorts: pd.DataFrame | None,
                  program: str, cohort: str, months: str,
                  scale_min: float | str | None) -> pd.DataFrame:  # fmt: skip
    """One row per person and wave: ``cohort, participant_id, months, index, program``."""
    require_columns(func, followup, [cohort, months], "followup")
    people = behavior_scores(followup, by=[cohort, months], scale_min=scale_min)
    people = people.dropna(subset=["index"])
    if cohorts is not None:
        require_columns(func, cohorts, [cohort, program], "cohorts")
        people = people.merge(cohorts[[cohort, program]].drop_duplicates(cohort), how="left")
        people[program] = people[program].fillna("?")
    else:
        people[program] = "all"
    return people


def persistence_curve(
    followup: pd.DataFrame,
    *,
    cohorts: pd.DataFrame | None = None,
    program: str = C.PROGRAM_ID,
    cohort: str = C.COHORT_ID,
    months: str = C.MONTHS_AFTER,
    ci: float = 0.95,
    scale_min: float | str | None = 1,
    vcov: Literal["CR1", "CR2"] = "CR1",
) -> pd.DataFrame:
    """Mean transfer index per program and wave, with its interval: does transfer last?

    Parameters
    ----------
    followup : DataFrame
        The long ``followup`` table, any number of waves (3, 6, 12, 24 months...).
    cohorts : DataFrame, optional
        The ``cohorts`` table, to give each cohort its ``program``; without it one curve
        for everyone (``program`` = ``"all"``).
    program, cohort, months : str
        Column names.
    ci : float, default 0.95
    scale_min : number, column name or None, default 1
        As :func:`evalkit.behavior_scores` (POMP with the default).
    vcov : {"CR1", "CR2"}, default "CR1"
        The cluster-robust variance of a wave's mean: CR1 with t on G - 1 df, or the
        Bell-McCaffrey CR2 variance with Satterthwaite df, the choice for the two or
        three cohorts of unequal size a later wave holds (as
        :func:`evalkit.clustered_means`).

    Returns
    -------
    DataFrame
        One row per program and wave (sorted): ``program, months_after, n, n_clusters,
        mean, sd, se, df, ci_low, ci_high, method`` (``"cluster"``: ``vcov`` by cohort,
        t on G - 1 df or on Satterthwaite's, where the wave has more than one cohort of
        the program; ``"classical"``: sd / sqrt(n), t on n - 1 df, for one cohort).

    Raises
    ------
    ParameterError
        As :func:`evalkit.behavior_scores`.

    Notes
    -----
    Each wave's alumni are whoever was rated then: later waves hold fewer cohorts and
    fewer people (:func:`attrition_by_wave`), so a falling curve mixes decay with who is
    still rated; :func:`behavior_change` follows the same people. Validated against R 4
    ``coeftest(lm(index ~ 1), vcovCL(fit, cluster = ~cohort_id), df = G - 1)`` per
    program and wave (``tests/reference/retrospective.R``) and, with CR2,
    ``clubSandwich::coef_test(fit, vcov = vcovCR(fit, cluster = cohort_id, type =
    "CR2"), test = "Satterthwaite")`` (``tests/reference/cr2means.R``).

    Examples
    --------
    >>> fu = pd.DataFrame({"cohort_id": list("aabbaabb"), "participant_id": list("pqrs") * 2,
    ...     "rater": "self", "item": "b1", "months_after": [3] * 4 + [12] * 4,
    ...     "score": [4, 3, 4, 5, 3, 3, 2, 4], "scale_max": 5})
    >>> curve = persistence_curve(fu)
    >>> curve[["months_after", "n", "mean", "method"]].values.tolist()
    [[3, 4.0, 75.0, 'cluster'], [12, 4.0, 50.0, 'cluster']]
    """
    func = "persistence_curve"
    level = check_ci(func, ci)
    check_choice(func, vcov, "vcov", ("CR1", "CR2"))
    people = _person_waves(func, followup, cohorts, program, cohort, months, scale_min)
    rows = []
    for (prog, wave), g in people.groupby([program, months], sort=True):
        y = g["index"].to_numpy(dtype=float)
        n = len(y)
        codes, labels = pd.factorize(g[cohort])
        k = len(labels)
        mean = float(y.mean())
        sd = float(y.std(ddof=1)) if n > 1 else np.nan
        if k > 1:
            one = np.zeros(n, dtype=np.intp)  # the wave's mean of the program's alumni
            var = cluster_moments(one, codes, y, 1)[-1]
            dfs = np.array([k - 1.0])
            if vcov == "CR2":
                var, dfs = cluster_mean_cr2(one, codes, y, 1)
            se, df, method = float(np.sqrt(var[0])), float(dfs[0]), "cluster"
        else:
            se, df, method = sd / np.sqrt(n) if n > 1 else np.nan, n - 1.0, "classical"
        half = float(stats.t.ppf(0.5 + level / 2, df)) * se if df > 0 else np.nan
        rows.append({program: prog, months: wave, "n": float(n), "n_clusters": float(k),
                     "mean": mean, "sd": sd, "se": se, "df": df, "ci_low": mean - half,
                     "ci_high": mean + half, "method": method})  # fmt: skip
    return pd.DataFrame(rows)


def _welch(a: np.ndarray, b: np.ndarray, level: float) -> dict[str, float]:
    """Welch difference a - b with interval and p.

    NaN with fewer than 2 in a group, and p and interval NaN when neither group varies
    (Welch's df is 0 / 0 then, as R's ``t.test``, which stops: "data are essentially
    constant").
    """
    if min(len(a), len(b)) < 2:
        return {"estimate": np.nan, "ci_low": np.nan, "ci_high": np.nan, "p": np.nan,
                "mean_dropped": np.nan, "mean_stayed": np.nan}  # fmt: skip
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    se = np.sqrt(va + vb)
    diff = float(a.mean() - b.mean())
    with np.errstate(invalid="ignore", divide="ignore"):
        df = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
        t = np.divide(diff, se)
    half = float(stats.t.ppf(0.5 + level / 2, df)) * se
    return {"estimate": diff, "ci_low": diff - half, "ci_high": diff + half,
            "p": float(2 * stats.t.sf(abs(t), df)), "mean_dropped": float(a.mean()),
            "mean_stayed": float(b.mean())}  # fmt: skip


def attrition_by_wave(
    followup: pd.DataFrame,
    *,
    baseline: float | None = None,
    learning: pd.DataFrame | None = None,
    cohort: str = C.COHORT_ID,
    participant: str = C.PARTICIPANT_ID,
    months: str = C.MONTHS_AFTER,
    ci: float = 0.95,
    scale_min: float | str | None = 1,
    pre: str = C.PRE,
    post: str = C.POST,
) -> pd.DataFrame:
    """Attrition at every later wave, and whether who stayed differed from who left.

    Parameters
    ----------
    followup : DataFrame
        The long ``followup`` table, any number of waves.
    baseline : number, optional
        The wave people are followed from; default the first wave after training (the
        smallest ``months_after`` above 0).
    learning : DataFrame, optional
        The ``learning`` table: with it the pre-test score and the gain (post - pre) of
        those who left are compared with those of who stayed.
    cohort, participant, months, pre, post : str
        Column names.
    ci : float, default 0.95
    scale_min : number, column name or None, default 1
        As :func:`evalkit.behavior_scores`.

    Returns
    -------
    DataFrame
        One row per later wave and ``measure``: ``dropped_out`` (``estimate`` = share of
        the people rated at ``baseline``, in cohorts that reached the wave, with no
        rating at it; Wilson interval), ``index_baseline`` and, with ``learning``,
        ``pre`` and ``gain`` (``estimate`` = mean of who left - mean of who stayed,
        Welch; ``mean_dropped, mean_stayed``). Columns ``months_after, measure,
        estimate, ci_low, ci_high, p, n, n_dropped, n_stayed, mean_dropped,
        mean_stayed``.

    Raises
    ------
    ParameterError
        As :func:`evalkit.behavior_scores`; no wave after ``baseline``.

    Notes
    -----
    A cohort counts at a wave only when someone of it was rated then (the others were
    not yet due). Validated against R 4 ``prop.test(correct = FALSE)`` and Welch
    ``t.test`` (``tests/reference/retrospective.R``).

    Examples
    --------
    >>> fu = pd.DataFrame({"cohort_id": "a", "participant_id": ["p", "q", "r", "s", "p", "q"],
    ...     "rater": "self", "item": "b1", "months_after": [3] * 4 + [12] * 2,
    ...     "score": [4, 3, 2, 2, 3, 3], "scale_max": 5})
    >>> out = attrition_by_wave(fu)
    >>> out.loc[out["measure"] == "index_baseline", ["estimate", "mean_dropped"]].values.tolist()
    [[-37.5, 25.0]]
    """
    func = "attrition_by_wave"
    level = check_ci(func, ci)
    people = _person_waves(func, followup, None, "_p", cohort, months, scale_min)
    waves = sorted(people[months].dropna().unique().tolist())
    if baseline is None:
        after = [w for w in waves if w > 0]
        baseline = after[0] if after else (waves[0] if waves else None)
    later = [w for w in waves if baseline is not None and w > baseline]
    if not later:
        raise ParameterError(f"{func}: no wave after baseline {baseline!r} (waves: {waves})")
    wide = people.pivot_table(index=[cohort, participant], columns=months, values="index")
    extra = {}
    if learning is not None:
        require_columns(func, learning, [cohort, participant, pre, post], "learning")
        lrn = learning.drop_duplicates([cohort, participant]).set_index([cohort, participant])
        p0 = numeric_scores(func, lrn[pre], pre)
        extra = {"pre": p0, "gain": numeric_scores(func, lrn[post], post) - p0}
    rows = []
    for wave in later:
        due = wide[wave].notna().groupby(level=cohort).transform("any")
        rated = wide[due & wide[baseline].notna()]
        dropped = rated[wave].isna().to_numpy()
        n, nd = len(rated), int(dropped.sum())
        low, high = wilson(np.array([nd]), np.array([max(n, 1)]), level)
        rows.append({months: wave, "measure": "dropped_out", "estimate": nd / n if n else np.nan,
                     "ci_low": float(low[0]) if n else np.nan,
                     "ci_high": float(high[0]) if n else np.nan, "p": np.nan, "n": float(n),
                     "n_dropped": float(nd), "n_stayed": float(n - nd), "mean_dropped": np.nan,
                     "mean_stayed": np.nan})  # fmt: skip
        compared = {"index_baseline": rated[baseline]}
        compared.update({k: v.reindex(rated.index) for k, v in extra.items()})
        for name, values in compared.items():
            v = values.to_numpy(dtype=float)
            a, b = v[dropped & ~np.isnan(v)], v[~dropped & ~np.isnan(v)]
            rows.append({months: wave, "measure": name, **_welch(a, b, level),
                         "n": float(len(a) + len(b)), "n_dropped": float(len(a)),
                         "n_stayed": float(len(b))})  # fmt: skip
    columns = [months, "measure", "estimate", "ci_low", "ci_high", "p", "n", "n_dropped",
               "n_stayed", "mean_dropped", "mean_stayed"]  # fmt: skip
    return pd.DataFrame(rows)[columns]


def long_term_evidence(
    followup: pd.DataFrame,
    *,
    baseline: float | None = None,
    alpha: float = 0.05,
    power: float = 0.8,
    cohort: str = C.COHORT_ID,
    participant: str = C.PARTICIPANT_ID,
    months: str = C.MONTHS_AFTER,
    scale_min: float | str | None = 1,
) -> pd.DataFrame:
    """What the study can detect about long-term change at its n: the MDE per later wave.

    Parameters
    ----------
    followup : DataFrame
        The long ``followup`` table, any number of waves.
    baseline : number, optional
        As :func:`attrition_by_wave`.
    alpha, power : float, default 0.05 and 0.8
        Of the paired t test of the change baseline -> wave.
    cohort, participant, months : str
        Column names.
    scale_min : number, column name or None, default 1
        As :func:`evalkit.behavior_scores`.

    Returns
    -------
    DataFrame
        One row per later wave: ``months_after, n_pairs`` (people rated at both
        waves), ``n_clusters`` (their cohorts), ``mean_change, sd_change`` (POMP
        points), ``mde_dz`` (:func:`evalkit.minimum_detectable_effect`, paired, at
        ``n_pairs``; NaN below 3 pairs), ``mde_points`` (``mde_dz x sd_change``) and
        ``detectable`` (|mean change| >= MDE in points).

    Notes
    -----
    The MDE treats people as independent; with few cohorts the cluster-robust test of
    :func:`behavior_change` is weaker still, so the MDE is a lower bound of what the
    study can detect. A change smaller than the MDE is not evidence of no change.

    Examples
    --------
    >>> fu = pd.DataFrame({"cohort_id": "a", "participant_id": list("pqrs") * 2,
    ...     "rater": "self", "item": "b1", "months_after": [3] * 4 + [12] * 4,
    ...     "score": [4, 3, 4, 5, 3, 3, 2, 4], "scale_max": 5})
    >>> out = long_term_evidence(fu).iloc[0]
    >>> int(out["n_pairs"]), round(float(out["mean_change"]), 4), round(float(out["mde_dz"]), 4)
    (4, -25.0, 2.1279)
    """
    func = "long_term_evidence"
    people = _person_waves(func, followup, None, "_p", cohort, months, scale_min)
    waves = sorted(people[months].dropna().unique())
    if baseline is None:
        after = [w for w in waves if w > 0]
        baseline = after[0] if after else (waves[0] if waves else None)
    wide = people.pivot_table(index=[cohort, participant], columns=months, values="index")
    rows = []
    for wave in [w for w in waves if baseline is not None and w > baseline]:
        pair = wide[[baseline, wave]].dropna()
        d = (pair[wave] - pair[baseline]).to_numpy(dtype=float)
        n = len(d)
        sd = float(d.std(ddof=1)) if n > 1 else np.nan
        mde = minimum_detectable_effect(n, alpha, power) if n >= 3 else np.nan
        mean = float(d.mean()) if n else np.nan
        rows.append({months: wave, "n_pairs": float(n),
                     "n_clusters": float(pair.index.get_level_values(cohort).nunique()),
                     "mean_change": mean, "sd_change": sd, "mde_dz": mde,
                     "mde_points": mde * sd, "detectable": bool(abs(mean) >= mde * sd)
                     if n >= 3 else False})  # fmt: skip
    return pd.DataFrame(
        rows,
        columns=[
            months,
            "n_pairs",
            "n_clusters",
            "mean_change",
            "sd_change",
            "mde_dz",
            "mde_points",
            "detectable",
        ],
    )
