"""Training needs from the data: what supervisors rate lowest, and how relevant it felt.

A needs analysis asks where targeted training would help most. Two sources in the
processed tables answer it without a new survey: the supervisors' follow-up ratings of
each behaviour (Level 3; :func:`behavior_needs`), and the relevance dimension of the
reaction survey (Level 1; :func:`relevance_needs`), each by unit (OPD) and by position
type. :func:`needs_ranking` lists the lowest-rated behaviour x group cells, leaving out
groups of fewer than :data:`evalkit.constants.MIN_CELL_SIZE` people.

Every mean is a person-level mean on POMP 0-100 (:func:`evalkit.pomp`) with a 95%
interval from :func:`group_means`: cluster-robust by cohort where a group spans more than
one cohort (CR1 with t on cohorts - 1 df, or with ``vcov="CR2"`` the small-sample CR2
variance with Satterthwaite df, for the few cohorts a unit's alumni come from), the
one-sample t interval where it lies in a single cohort (there is nothing to cluster over).

Examples
--------
>>> import pandas as pd
>>> from evalkit.metrics.needs import group_means
>>> d = pd.DataFrame({"y": [1.0, 2, 3, 5, 4, 6, 2, 3], "g": list("aaaaaabb"),
...                   "cohort_id": list("ppqqrrss")})
>>> group_means(d, "y", by="g")[["n", "n_clusters", "mean", "inference"]].values.tolist()
[[6.0, 3.0, 3.5, 'cluster'], [2.0, 1.0, 2.5, 't']]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from evalkit import constants as C
from evalkit.errors import ParameterError
from evalkit.metrics._grouped import by_list, cluster_mean_cr2, cluster_moments
from evalkit.metrics._validate import (
    check_choice,
    check_ci,
    numeric_column,
    require_columns,
    warn,
)
from evalkit.metrics.scales import pomp

__all__ = [
    "NEEDS_CHARACTERISTICS",
    "behavior_needs",
    "group_means",
    "needs_ranking",
    "relevance_needs",
]

#: Participant characteristics a needs analysis is broken down by (participants table).
NEEDS_CHARACTERISTICS = (C.UNIT, C.POSITION_TYPE)

#: Columns of :func:`group_means`.
MEAN_COLUMNS = ("n", "n_clusters", "mean", "sd", "se", "df", "ci_low", "ci_high", "inference")


def group_means(
    data: pd.DataFrame,
    dv: str,
    *,
    by: str | Sequence[str] | None = None,
    cluster: str = C.COHORT_ID,
    ci: float = 0.95,
    vcov: Literal["CR1", "CR2"] = "CR1",
) -> pd.DataFrame:
    """Person-level mean per group: cluster-robust by cohort, or a t interval in one cohort.

    Parameters
    ----------
    data : DataFrame
        One row per person (and per item, when ``by`` names the item).
    dv : str
        Column of the outcome.
    by : column name(s) or None
        Groups; None for one mean of every row.
    cluster : str, default ``"cohort_id"``
        Column of the clusters.
    ci : float, default 0.95
        Confidence level.
    vcov : {"CR1", "CR2"}, default "CR1"
        The cluster-robust variance of a group in more than one cluster: CR1 with t on
        G - 1 df, or the Bell-McCaffrey CR2 variance with Satterthwaite df, less liberal
        with few or unequal clusters (as :func:`evalkit.clustered_means`).

    Returns
    -------
    DataFrame
        Indexed by ``by`` (a one-row range index without it), columns ``n``,
        ``n_clusters``, ``mean``, ``sd``, ``se``, ``df``, ``ci_low``, ``ci_high`` and
        ``inference``: ``"cluster"`` (``vcov`` by ``cluster``: CR1 with t on G - 1 df,
        or CR2 with Satterthwaite df) for a group in more than one cluster, ``"t"`` (sd / sqrt(n), t on n - 1 df) for a group in a
        single cluster. A group of one person has NaN sd, se and interval.

    Raises
    ------
    ParameterError
        Missing or non-numeric columns, no row with ``dv`` and ``cluster``.

    Notes
    -----
    With G > 1 clusters the mean is the intercept of ``dv ~ 1`` with the CR1 variance
    :math:`\\frac{G}{G-1}\\frac{n-1}{n-1} \\sum_g (\\sum_{i\\in g} e_i)^2 / n^2` (K = 1, so
    the small-sample factor is G / (G - 1)), as
    :func:`evalkit.metrics.clustered.clustered_means`; with one cluster the t interval.
    CR2 is the closed form of :func:`evalkit.metrics._grouped.cluster_mean_cr2`, as in
    ``clustered_means(..., vcov="CR2")``. Every group in one vectorised pass. Validated
    against R 4 ``coeftest(lm(y ~ 1), vcovCL(fit, cluster = ~cohort_id), df = G - 1)``
    and ``t.test(y)`` (``tests/reference/planner.R``), and CR2 against
    ``clubSandwich::coef_test(fit, vcov = vcovCR(fit, cluster, type = "CR2"), test =
    "Satterthwaite")`` (``tests/reference/cr2means.R``).

    Examples
    --------
    >>> d = pd.DataFrame({"y": [1.0, 2, 3, 5, 4, 6], "cohort_id": list("aabbcc")})
    >>> out = group_means(d, "y")
    >>> float(out["mean"].iloc[0]), round(float(out["se"].iloc[0]), 4)
    (3.5, 1.0408)
    """
    func = "group_means"
    level = check_ci(func, ci, say_number=True)
    check_choice(func, vcov, "vcov", ("CR1", "CR2"))
    keys = by_list(by)
    require_columns(func, data, [dv, cluster, *keys], "data")
    y = numeric_column(func, dv, data[dv])
    keep = ~np.isnan(y) & data[cluster].notna().to_numpy()
    for k in keys:
        keep &= data[k].notna().to_numpy()
    if not keep.any():
        raise ParameterError(f"{func}: no row of data has both {dv!r} and {cluster!r}")
    rows, y = data.loc[keep], y[keep]
    if keys:
        codes, labels = pd.MultiIndex.from_frame(rows[keys]).factorize(sort=True)
        index = labels if len(keys) > 1 else pd.Index(labels.get_level_values(0), name=keys[0])
        if len(keys) > 1:
            index.names = keys
    else:
        codes, index = np.zeros(len(y), dtype=np.intp), pd.RangeIndex(1)
    clusters = rows[cluster].to_numpy()
    n, g, mean, sd, crv = cluster_moments(codes, clusters, y, len(index))
    cdf = g - 1
    if vcov == "CR2":
        crv, cdf = cluster_mean_cr2(codes, clusters, y, len(index))
    clustered = g > 1
    se = np.where(clustered, np.sqrt(crv), sd / np.sqrt(n))
    df = np.where(clustered, cdf, n - 1)
    df = np.where(df >= 1, df, np.nan)
    half = stats.t.ppf(0.5 + level / 2, df) * se
    return pd.DataFrame(
        {
            "n": n,
            "n_clusters": g,
            "mean": mean,
            "sd": sd,
            "se": se,
            "df": df,
            "ci_low": mean - half,
            "ci_high": mean + half,
            "inference": np.where(clustered, "cluster", "t"),
        },
        index=index,
    )


def _with_characteristics(
    func: str,
    frame: pd.DataFrame,
    participants: pd.DataFrame,
    characteristics: list[str],
    cohort: str,
    participant: str,
) -> pd.DataFrame:
    """``frame`` with the participants' characteristics joined on (cohort, participant)."""
    require_columns(func, participants, [cohort, participant, *characteristics], "participants")
    people = participants[[cohort, participant, *characteristics]].drop_duplicates(
        [cohort, participant]
    )
    merged = frame.merge(people, on=[cohort, participant], how="left")
    unknown = merged[characteristics].isna().all(axis=1)
    if unknown.any():
        warn(
            func,
            f"{int(unknown.sum())} row(s) of people not in participants (or without "
            f"{characteristics}) left out of the groups",
            stacklevel=3,
        )
    return merged


def _stack(func: str, frame: pd.DataFrame, dv: str, characteristics: list[str], extra: list[str],
           cluster: str, ci: float, vcov: Literal["CR1", "CR2"]) -> pd.DataFrame:  # fmt: skip
    """:func:`group_means` per characteristic, stacked: index characteristic, group, extra."""
    parts = []
    for char in characteristics:
        rows = frame[frame[char].notna()].rename(columns={char: "group"})
        if rows.empty:
            continue
        part = group_means(rows, dv, by=["group", *extra], cluster=cluster, ci=ci, vcov=vcov)
        part = part.reset_index()
        part.insert(0, "characteristic", char)
        parts.append(part)
    if not parts:
        raise ParameterError(f"{func}: no person has any of the characteristics {characteristics}")
    out = pd.concat(parts, ignore_index=True)
    # the characteristics keep the caller's order; sorted, so that .loc looks up fast
    present = [c for c in characteristics if c in set(out["characteristic"])]
    out["characteristic"] = pd.Categorical(out["characteristic"], categories=present)
    return out.set_index(["characteristic", "group", *extra]).sort_index()


def behavior_needs(
    followup: pd.DataFrame,
    participants: pd.DataFrame,
    *,
    characteristics: Sequence[str] = NEEDS_CHARACTERISTICS,
    rater: str = "supervisor",
    months: float | None = 3,
    scale_min: float = 1,
    ci: float = 0.95,
    vcov: Literal["CR1", "CR2"] = "CR1",
    cohort: str = C.COHORT_ID,
    participant: str = C.PARTICIPANT_ID,
    rater_column: str = C.RATER,
    item: str = C.ITEM,
    score: str = C.SCORE,
    scale_max: str = C.SCALE_MAX,
    months_column: str = C.MONTHS_AFTER,
) -> pd.DataFrame:
    """Supervisors' rating of each behaviour by unit and by position type (POMP 0-100).

    Parameters
    ----------
    followup : DataFrame
        The long ``followup`` table (participant x rater x item).
    participants : DataFrame
        The ``participants`` table, with the ``characteristics`` columns.
    characteristics : sequence of str, default ``("unit", "position_type")``
        Columns of ``participants`` to break the ratings down by.
    rater : str, default ``"supervisor"``
        Whose ratings: supervisors see the gaps alumni may not report themselves.
    months : number or None, default 3
        The follow-up wave (``months_after``); None when ``followup`` holds one wave.
    scale_min : number, default 1
        The lowest answer of the scale: ratings become POMP ``(score - min) / (max -
        min) x 100``, so 4- and 5-point forms share one scale.
    ci : float, default 0.95
    vcov : {"CR1", "CR2"}, default "CR1"
        The cluster-robust variance of a group spread over several cohorts, as
        :func:`group_means`: CR2 with Satterthwaite df for the few cohorts a group's
        people come from.
    cohort, participant, rater_column, item, score, scale_max, months_column : str
        Column names.

    Returns
    -------
    DataFrame
        Indexed by ``characteristic``, ``group`` and ``item``, the columns of
        :func:`group_means` (people rated on the item in the group), ``n_group`` (people
        of the group rated on any item), ``overall_mean`` (the item's mean over every
        person rated) and ``gap_to_overall`` (mean - overall_mean).

    Raises
    ------
    ParameterError
        Missing columns, no rating by ``rater`` at wave ``months``, an item rated twice
        for one person (pass ``months`` when there are several waves).

    Warns
    -----
    EvalkitWarning
        Ratings of people missing from ``participants`` (they count in
        ``overall_mean`` but in no group).

    Notes
    -----
    Each person's POMP rating of an item, averaged over the people of a group with
    :func:`group_means` (cluster-robust by cohort across cohorts, CR1 or CR2, t within
    one). Validated against R 4 ``coeftest(lm(pomp ~ 1), vcovCL(fit, cluster =
    ~cohort_id), df = G - 1)`` and ``t.test`` (``tests/reference/planner.R``); CR2 as
    :func:`group_means` (``tests/reference/cr2means.R``).

    Examples
    --------
    >>> fu = pd.DataFrame({"cohort_id": "A", "participant_id": ["p1", "p1", "p2", "p2"],
    ...     "rater": "supervisor", "months_after": 3, "item": ["b1", "b2"] * 2,
    ...     "score": [4, 2, 5, 3], "scale_max": 5})
    >>> people = pd.DataFrame({"cohort_id": "A", "participant_id": ["p1", "p2"],
    ...                        "unit": "Bappeda", "position_type": "fungsional"})
    >>> out = behavior_needs(fu, people)
    >>> out.loc[("unit", "Bappeda"), "mean"].tolist()
    [87.5, 37.5]
    """
    func = "behavior_needs"
    check_ci(func, ci, say_number=True)
    check_choice(func, vcov, "vcov", ("CR1", "CR2"))
    chars = list(characteristics)
    need = [cohort, participant, rater_column, item, score, scale_max]
    require_columns(func, followup, need + ([months_column] if months is not None else []),
                    "followup")  # fmt: skip
    rows = followup[followup[rater_column] == rater]
    if months is not None:
        rows = rows[pd.to_numeric(rows[months_column], errors="coerce") == months]
    if rows.empty:
        raise ParameterError(
            f"{func}: followup has no rating by {rater!r}"
            + (f" at {months_column} = {months!r}" if months is not None else "")
        )
    dup = rows.duplicated([cohort, participant, item])
    if dup.any():
        raise ParameterError(
            f"{func}: item {rows.loc[dup, item].iloc[0]!r} is rated twice for participant "
            f"{rows.loc[dup, participant].iloc[0]!r}; pass months= to choose one wave"
        )
    values = numeric_column(func, score, rows[score])
    maxima = numeric_column(func, scale_max, rows[scale_max])
    frame = rows[[cohort, participant, item]].assign(
        _pomp=pomp(values, minimum=scale_min, maximum=maxima)
    )
    frame = _with_characteristics(func, frame, participants, chars, cohort, participant)
    out = _stack(func, frame, "_pomp", chars, [item], cohort, ci, vcov)
    overall = group_means(frame, "_pomp", by=item, cluster=cohort, ci=ci)["mean"]
    groups = []
    for char in chars:
        rated = frame.dropna(subset=[char]).drop_duplicates([cohort, participant])
        groups.append(rated.groupby(char).size().rename("n_group").rename_axis("group"))
    n_group = pd.concat(groups, keys=[c for c in chars], names=["characteristic"])
    out["n_group"] = n_group.reindex(out.index.droplevel(item)).to_numpy(dtype=float)
    out["overall_mean"] = overall.reindex(out.index.get_level_values(item)).to_numpy()
    out["gap_to_overall"] = out["mean"] - out["overall_mean"]
    return out


def relevance_needs(
    reaction: pd.DataFrame,
    participants: pd.DataFrame,
    *,
    characteristics: Sequence[str] = NEEDS_CHARACTERISTICS,
    dimension_value: str = "relevance",
    scale_min: float = 1,
    ci: float = 0.95,
    vcov: Literal["CR1", "CR2"] = "CR1",
    cohort: str = C.COHORT_ID,
    participant: str = C.PARTICIPANT_ID,
    dimension: str = C.DIMENSION,
    score: str = C.SCORE,
    scale_max: str = C.SCALE_MAX,
) -> pd.DataFrame:
    """The relevance dimension of the reaction survey by unit and position type (POMP 0-100).

    Parameters
    ----------
    reaction : DataFrame
        The long ``reaction`` table (participant x item, with ``dimension``).
    participants : DataFrame
        The ``participants`` table.
    characteristics : sequence of str, default ``("unit", "position_type")``
    dimension_value : str, default ``"relevance"``
        The dimension of the codebook's reaction items that asks whether the training
        fits the job (``relevansi``).
    scale_min : number, default 1
        The lowest answer of the reaction scales.
    ci : float, default 0.95
    vcov : {"CR1", "CR2"}, default "CR1"
        The cluster-robust variance of a group spread over several cohorts, as
        :func:`group_means`: CR2 with Satterthwaite df for the few cohorts a group's
        people come from.
    cohort, participant, dimension, score, scale_max : str
        Column names.

    Returns
    -------
    DataFrame
        Indexed by ``characteristic`` and ``group``, the columns of :func:`group_means`
        of each person's relevance score, and ``overall_mean`` (every person) and
        ``gap_to_overall``.

    Raises
    ------
    ParameterError
        Missing columns, no item of ``dimension_value``.

    Notes
    -----
    A person's score is the mean of the POMP of their answers to the dimension's items
    (so 4- and 5-point forms are pooled on one scale). Validated against R 4 as
    :func:`behavior_needs` (``tests/reference/planner.R``).

    Examples
    --------
    >>> rx = pd.DataFrame({"cohort_id": "A", "participant_id": ["p1", "p1", "p2", "p2"],
    ...     "dimension": "relevance", "score": [4, 5, 3, 3], "scale_max": 5})
    >>> people = pd.DataFrame({"cohort_id": "A", "participant_id": ["p1", "p2"],
    ...                        "unit": "Bappeda", "position_type": ["struktural", "pelaksana"]})
    >>> relevance_needs(rx, people).loc[("unit", "Bappeda"), "mean"]
    np.float64(68.75)
    """
    func = "relevance_needs"
    check_ci(func, ci, say_number=True)
    check_choice(func, vcov, "vcov", ("CR1", "CR2"))
    chars = list(characteristics)
    require_columns(func, reaction, [cohort, participant, dimension, score, scale_max], "reaction")
    rows = reaction[reaction[dimension] == dimension_value]
    if rows.empty:
        raise ParameterError(
            f"{func}: reaction has no item of dimension {dimension_value!r}; dimensions are "
            f"{sorted(map(str, reaction[dimension].dropna().unique()))}"
        )
    values = numeric_column(func, score, rows[score])
    maxima = numeric_column(func, scale_max, rows[scale_max])
    answers = rows[[cohort, participant]].assign(
        _pomp=pomp(values, minimum=scale_min, maximum=maxima)
    )
    people = answers.groupby([cohort, participant], as_index=False, sort=True)["_pomp"].mean()
    frame = _with_characteristics(func, people, participants, chars, cohort, participant)
    out = _stack(func, frame, "_pomp", chars, [], cohort, ci, vcov)
    out["overall_mean"] = float(frame["_pomp"].mean())
    out["gap_to_overall"] = out["mean"] - out["overall_mean"]
    return out


def needs_ranking(
    needs: pd.DataFrame, *, min_n: int = C.MIN_CELL_SIZE, top: int | None = None
) -> pd.DataFrame:
    """Where targeted training would help most: the lowest-rated behaviour x group cells.

    Parameters
    ----------
    needs : DataFrame
        :func:`behavior_needs`.
    min_n : int, default :data:`evalkit.constants.MIN_CELL_SIZE` (5)
        Groups of fewer people (``n_group``), and cells of fewer people rated (``n``),
        are left out before ranking, so neither a rank nor a mean describes fewer than
        ``min_n`` people.
    top : int or None
        Keep the ``top`` lowest cells of each characteristic (None: all).

    Returns
    -------
    DataFrame
        Columns ``characteristic`` (in the order of ``needs``), ``rank`` (1 = lowest
        mean within the characteristic; ties share the lower rank), ``group``, ``item``, ``n``,
        ``n_clusters``, ``mean``, ``ci_low``, ``ci_high``, ``inference``,
        ``overall_mean``, ``gap_to_overall`` and ``below_overall`` (the whole interval lies below
        the item's overall mean), sorted by characteristic and rank.

    Raises
    ------
    ParameterError
        ``needs`` lacks a column of :func:`behavior_needs`, or a bad ``min_n``/``top``.

    Notes
    -----
    A screening list, not a test: the rank is by the mean, and ``below_overall`` says
    only that the group's interval excludes the pooled mean of the item.

    Examples
    --------
    >>> idx = pd.MultiIndex.from_tuples([("unit", "A", "b1"), ("unit", "A", "b2"),
    ...     ("unit", "B", "b1")], names=["characteristic", "group", "item"])
    >>> needs = pd.DataFrame({"n": [9.0, 9, 3], "n_clusters": 2.0, "mean": [60.0, 35, 20],
    ...     "ci_low": [50.0, 25, 0], "ci_high": [70.0, 45, 40], "inference": "cluster",
    ...     "n_group": [9.0, 9, 3], "overall_mean": [58.0, 50, 58], "gap_to_overall": [2.0, -15, -38]},
    ...     index=idx)
    >>> needs_ranking(needs)[["rank", "group", "item", "below_overall"]].values.tolist()
    [[1, 'A', 'b2', True], [2, 'A', 'b1', False]]
    """
    func = "needs_ranking"
    for name, value in (("min_n", min_n), ("top", top)):
        if value is None and name == "top":
            continue
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ParameterError(
                f"{func}: parameter {name!r} must be an integer >= 1, got {value!r}"
            )
    cols = ["n", "n_clusters", "mean", "ci_low", "ci_high", "inference", "n_group",
            "overall_mean", "gap_to_overall"]  # fmt: skip
    missing = [c for c in cols if c not in needs.columns]
    if missing or list(needs.index.names) != ["characteristic", "group", "item"]:
        raise ParameterError(
            f"{func}: parameter 'needs' must be the result of behavior_needs (index "
            f"characteristic, group, item; columns {cols}); missing {missing}"
        )
    kept = needs[(needs["n_group"] >= min_n) & (needs["n"] >= min_n)].reset_index()
    first = {c: j for j, c in enumerate(pd.unique(kept["characteristic"].astype(str)))}
    kept["characteristic"] = kept["characteristic"].astype(str)  # in the order of needs
    kept = kept.assign(_order=kept["characteristic"].map(first)).sort_values(
        ["_order", "mean", "ci_high", "group", "item"], kind="stable"
    )
    kept["rank"] = kept.groupby("characteristic")["mean"].rank(method="min").astype(int)
    if top is not None:
        kept = kept[kept["rank"] <= top]
    kept["below_overall"] = kept["ci_high"] < kept["overall_mean"]
    order = ["characteristic", "rank", "group", "item", "n", "n_clusters", "mean", "ci_low",
             "ci_high", "inference", "overall_mean", "gap_to_overall", "below_overall"]  # fmt: skip
    return kept[order].reset_index(drop=True)
