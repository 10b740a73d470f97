"""Level 3, behaviour: do alumni apply what they learned at work?

Follow-up ratings 3-6 months after training, by the alumni themselves and by their
supervisor (atasan/mentor): the transfer index, agreement between the two raters
(intraclass correlation and Bland-Altman limits), implementation and sustainment of
the change project (aksi perubahan / aktualisasi), and the link from learning gain
(Level 2) to behaviour (Level 3).

All behaviour scores are on an index from 0 to 100: ``score / scale_max * 100``,
averaged over items, as the Level 1 index (mean / max x 100).

Examples
--------
>>> import pandas as pd
>>> from evalkit.metrics.agreement import icc
>>> sf = pd.DataFrame([[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8],
...                    [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]])
>>> icc(sf)["icc"].round(2).tolist()  # Shrout & Fleiss (1979), Table 4
[0.17, 0.29, 0.71, 0.44, 0.62, 0.91]
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from evalkit import constants as C
from evalkit.errors import ParameterError
from evalkit.metrics._grouped import as_result, band, by_columns, cr2_ols, group_index, wilson
from evalkit.metrics._validate import (
    check_choice,
    check_ci,
    require_columns,
    require_numeric,
    warn,
)
from evalkit.metrics.scales import pomp

__all__ = ["behavior_scores", "gain_behavior_link", "project_rates", "transfer_index"]


By = str | Sequence[str] | None


# --- shared checks ------------------------------------------------------------------
#: Scores and ratings must be stored as numbers; a boolean column is refused.
numeric_scores = partial(require_numeric, bools=False, example="bad")


def check_group_sizes(func: str, n: pd.Series, minimum: int, by: By, what: str) -> None:
    """n < minimum: an error without ``by``, a warning (NaN row) with it."""
    small = n[n < minimum]
    if small.empty:
        return
    if by is None:
        raise ParameterError(
            f"{func}: {what} needs at least {minimum} participants, got {int(small.iloc[0])}"
        )
    warn(
        func,
        f"{len(small)} group(s) with fewer than {minimum} participants "
        f"({list(small.index)[:5]}); their {what} is NaN",
        stacklevel=3,
    )


# --- participant scores ---------------------------------------------------------------
def behavior_scores(
    followup: pd.DataFrame,
    *,
    by: By = C.COHORT_ID,
    raters: Sequence[str] = C.RATERS,
    participant: str = C.PARTICIPANT_ID,
    rater: str = C.RATER,
    item: str = C.ITEM,
    score: str = C.SCORE,
    scale_max: str = C.SCALE_MAX,
    scale_min: float | str | None = None,
) -> pd.DataFrame:
    """Behaviour index (0-100) of each participant, per rater and combined.

    Parameters
    ----------
    followup : DataFrame
        The long ``followup`` table: one row per participant x rater x item.
    by : column name(s) or None, default ``"cohort_id"``
        Columns that, with ``participant``, identify one person's follow-up (add
        ``months_after`` when there are several follow-up waves).
    raters : sequence of str, default ``("self", "supervisor")``
        Raters to use; rows of other raters are ignored.
    participant, rater, item, score, scale_max : str
        Column names.
    scale_min : number, column name or None, default None
        The lowest answer of the scale (1 for the 1-5 frequency scale). With it every
        index is POMP, ``(score - min) / (max - min) x 100`` (:func:`evalkit.pomp`), a
        true 0-100 score comparable across 4- and 5-point scales; without it, the index
        is the percent of the maximum, ``score / max x 100``, whose floor is
        ``100 min / max`` (20 on a 1-5 scale), as the post-training apps report it.

    Returns
    -------
    DataFrame
        One row per participant: the ``by`` columns, ``participant_id``,
        ``index_<rater>`` for every rater (NaN when that rater gave no rating) and
        ``index``, the mean of the available rater indices.

    Raises
    ------
    ParameterError
        Missing or non-numeric columns, a score outside [0, scale_max], a non-positive
        scale_max, an item rated twice by the same rater for the same person (several
        waves: add ``months_after`` to ``by``), or no rows for ``raters``.

    Notes
    -----
    ``index_pr = 100 * mean_items(score / scale_max)``; ``index_p = mean_r index_pr``:
    self and supervisor weigh equally however many items each answered (the practice
    of the Indonesian post-training evaluation apps).

    Examples
    --------
    >>> import pandas as pd
    >>> fu = pd.DataFrame({"cohort_id": "A", "participant_id": "p1",
    ...                    "rater": ["self", "self", "supervisor", "supervisor"],
    ...                    "item": ["b1", "b2", "b1", "b2"], "score": [5, 4, 3, 4],
    ...                    "scale_max": 5})
    >>> behavior_scores(fu)[["index_self", "index_supervisor", "index"]].iloc[0].tolist()
    [90.0, 70.0, 80.0]
    """
    func = "behavior_scores"
    keys = by_columns(func, by, followup, "followup")
    raters = list(raters)
    if not raters:
        raise ParameterError(f"{func}: parameter 'raters' must name at least one rater")
    require_columns(func, followup, [*keys, participant, rater, item, score, scale_max], "followup")
    data = followup[followup[rater].isin(raters)]
    if data.empty:
        raise ParameterError(
            f"{func}: followup has no rows for raters {raters}; column {rater!r} holds "
            f"{sorted(map(str, followup[rater].dropna().unique()))[:5]}"
        )
    values = numeric_scores(func, data[score], score)
    maxima = numeric_scores(func, data[scale_max], scale_max)
    if (maxima.dropna() <= 0).any():
        raise ParameterError(
            f"{func}: column {scale_max!r} must be positive, got {float(maxima[maxima <= 0].iloc[0])!r}"
        )
    outside = (values < 0) | (values > maxima)
    if outside.any():
        i = outside.idxmax()
        raise ParameterError(
            f"{func}: column {score!r} must lie in [0, {scale_max}]; row {i!r} has "
            f"{float(values[i])!r} with {scale_max} {float(maxima[i])!r}"
        )
    ident = [*keys, participant, rater, item]
    dup = data.duplicated(ident)
    if dup.any():
        row = data[dup].iloc[0]
        raise ParameterError(
            f"{func}: item {row[item]!r} is rated twice by {row[rater]!r} for participant "
            f"{row[participant]!r}; if the follow-up has several waves pass "
            f"by=[..., {C.MONTHS_AFTER!r}]"
        )
    if scale_min is None:
        pct = (values / maxima * 100.0).rename("_pct")
    else:
        lowest = (
            numeric_scores(func, data[scale_min], scale_min)
            if isinstance(scale_min, str)
            else pd.Series(float(scale_min), index=data.index)
        )
        if ((values < lowest) | ~(maxima > lowest)).any():
            raise ParameterError(
                f"{func}: parameter 'scale_min' ({scale_min!r}) must lie below {scale_max!r} "
                "and at or below every score"
            )
        pct = pomp(values, minimum=lowest, maximum=maxima).rename("_pct")
    frame = pd.concat([data[[*keys, participant, rater]], pct], axis=1).dropna(subset=["_pct"])
    per_rater = frame.groupby([*keys, participant, rater], sort=True, dropna=False)["_pct"].mean()
    wide = per_rater.unstack(rater)
    wide = wide.reindex(columns=raters)
    wide.columns = [f"index_{r}" for r in raters]
    wide["index"] = wide.mean(axis=1, skipna=True)
    return wide.reset_index()


# --- transfer index ---------------------------------------------------------------
def transfer_index(
    followup: pd.DataFrame,
    *,
    by: By = C.COHORT_ID,
    ci: float = 0.95,
    raters: Sequence[str] = C.RATERS,
    participant: str = C.PARTICIPANT_ID,
    rater: str = C.RATER,
    item: str = C.ITEM,
    score: str = C.SCORE,
    scale_max: str = C.SCALE_MAX,
    scale_min: float | str | None = None,
    cohort: str = C.COHORT_ID,
) -> pd.Series | pd.DataFrame:
    """Transfer index: how far alumni apply the training at work (0-100).

    Parameters
    ----------
    followup : DataFrame
        The long ``followup`` table (participant x rater x item).
    by : column name(s) or None, default ``"cohort_id"``
        Groups to report; ``None`` pools every row into one estimate. Add
        ``months_after`` when there are several follow-up waves.
    ci : float, default 0.95
        Confidence level of the t interval of the mean.
    raters : sequence of str, default ``("self", "supervisor")``
    participant, rater, item, score, scale_max, cohort : str
        Column names. Participants are identified within ``cohort`` (when present), so
        a person who attended two cohorts counts twice when ``by=None``.
    scale_min : number, column name or None
        As :func:`behavior_scores`: with it the index is POMP (its ``band`` is then
        NaN: the bands of the apps are defined on the percent of the maximum).

    Returns
    -------
    Series or DataFrame
        ``n`` participants, ``index`` (mean participant index), ``sd``, ``ci_low``,
        ``ci_high``, ``index_<rater>`` per rater (mean over the participants that rater
        rated), ``n_<rater>`` (how many participants that rater rated), ``band`` (``constants.IMPACT_BANDS``: Sangat Berdampak >= 80,
        Berdampak >= 60, Cukup Berdampak >= 40, else Kurang Berdampak). With ``by=``, a
        DataFrame indexed by group.

    Raises
    ------
    ParameterError
        As :func:`behavior_scores`; ``ci`` outside (0, 1); fewer than 2 participants
        without ``by``.

    Warns
    -----
    EvalkitWarning
        A group with fewer than 2 participants gets NaN sd and interval.

    Notes
    -----
    Participant index as in :func:`behavior_scores`; then ``index = mean_p index_p``
    with the interval ``index +- t_{n-1} sd / sqrt(n)``. The band applies the peer
    banding of post-training apps to the point estimate (it carries no inference).
    Validated against R (``aggregate`` and ``t.test``, ``tests/reference/level345.R``):
    relative error < 1e-12.

    References
    ----------
    Kirkpatrick, D. L., & Kirkpatrick, J. D. (2006). *Evaluating Training Programs*
    (3rd ed.), ch. 6 (Level 3).

    Examples
    --------
    >>> import pandas as pd
    >>> fu = pd.DataFrame({"cohort_id": "A", "participant_id": ["p1"] * 2 + ["p2"] * 2,
    ...                    "rater": ["self", "supervisor"] * 2, "item": "b1",
    ...                    "score": [4, 4, 5, 3], "scale_max": 5})
    >>> out = transfer_index(fu, by=None)
    >>> float(out["index"]), out["band"]
    (80.0, 'Sangat Berdampak')
    """
    func = "transfer_index"
    check_ci(func, ci)
    keys = by_columns(func, by, followup, "followup")
    ident = list(dict.fromkeys([*keys, *([cohort] if cohort in followup.columns else [])]))
    scores = behavior_scores(
        followup,
        by=ident or None,
        raters=raters,
        participant=participant,
        rater=rater,
        item=item,
        score=score,
        scale_max=scale_max,
        scale_min=scale_min,
    )
    scores = scores.dropna(subset=["index"])
    rater_cols = [f"index_{r}" for r in raters]
    if keys:
        grouped = scores.groupby(keys, sort=True, dropna=False)
        n = grouped["index"].count()
        mean = grouped["index"].mean()
        sd = grouped["index"].std(ddof=1)
        per_rater = grouped[rater_cols].mean()
        n_rater = grouped[rater_cols].count()
    else:
        n = pd.Series([scores["index"].count()])
        mean = pd.Series([scores["index"].mean()])
        sd = pd.Series([scores["index"].std(ddof=1)])
        per_rater = scores[rater_cols].mean().to_frame().T
        n_rater = scores[rater_cols].count().to_frame().T
    check_group_sizes(func, n, 2, by, "interval")
    with np.errstate(invalid="ignore", divide="ignore"):
        q = stats.t.ppf(1 - (1 - ci) / 2, n.to_numpy() - 1.0)
        half = q * sd.to_numpy() / np.sqrt(n.to_numpy())
    m = mean.to_numpy(dtype=float)
    impact = band(m, C.IMPACT_BANDS, missing=None) if scale_min is None else np.nan
    out = pd.DataFrame(
        {
            "n": n.to_numpy().astype(int),
            "index": m,
            "sd": sd.to_numpy(dtype=float),
            "ci_low": m - half,
            "ci_high": m + half,
        },
        index=mean.index,
    )
    for col in rater_cols:
        out[col] = per_rater[col].to_numpy(dtype=float)
    for r, col in zip(raters, rater_cols, strict=True):
        out[f"n_{r}"] = n_rater[col].to_numpy().astype(int)
    out["band"] = impact
    return as_result(out, by is not None)


# --- change projects ------------------------------------------------------------------
def project_rates(
    projects: pd.DataFrame,
    *,
    by: By = C.COHORT_ID,
    ci: float = 0.95,
    participant: str = C.PARTICIPANT_ID,
    status: str = C.PROJECT_STATUS,
) -> pd.Series | pd.DataFrame:
    """Implementation and sustainment rates of change projects, with Wilson intervals.

    Parameters
    ----------
    projects : DataFrame
        The ``projects`` table: one row per participant's change project, with
        ``project_status`` in ``not_started, in_progress, implemented, sustained``.
    by : column name(s) or None, default ``"cohort_id"``
        Groups to report. Each participant may appear once per group: with several
        follow-up waves pass ``by=["cohort_id", "months_after"]``.
    ci : float, default 0.95
        Confidence level.
    participant, status : str
        Column names.

    Returns
    -------
    Series or DataFrame
        ``n``, ``n_not_started``, ``n_in_progress``, ``n_implemented`` (implemented or
        sustained), ``implementation_rate``, ``implementation_ci_low``,
        ``implementation_ci_high``, ``n_sustained``, ``sustainment_rate``,
        ``sustainment_ci_low``, ``sustainment_ci_high``, ``sustained_of_implemented``,
        ``sustained_of_implemented_ci_low``, ``sustained_of_implemented_ci_high``. With
        ``by=``, a DataFrame indexed by group.

    Raises
    ------
    ParameterError
        Missing columns, an unknown status, a participant listed twice in a group, no
        rows.

    Warns
    -----
    EvalkitWarning
        Rows without a status are left out.

    Notes
    -----
    ``implementation_rate = (implemented + sustained) / n``; ``sustainment_rate =
    sustained / n``; ``sustained_of_implemented = sustained / (implemented +
    sustained)`` (NaN when nothing was implemented). Wilson score intervals, as R
    ``prop.test(x, n, correct = FALSE)$conf.int`` (validated to 1e-12 relative); they
    stay inside [0, 1] and behave at 0 % and 100 %, unlike the Wald interval.

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
    inference. *JASA*, 22(158), 209-212.
    Brown, L. D., Cai, T. T., & DasGupta, A. (2001). Interval estimation for a binomial
    proportion. *Statistical Science*, 16(2), 101-133.

    Examples
    --------
    >>> import pandas as pd
    >>> pr = pd.DataFrame({"cohort_id": "A", "participant_id": ["p1", "p2", "p3", "p4"],
    ...                    "project_status": ["sustained", "implemented", "in_progress",
    ...                                       "not_started"]})
    >>> out = project_rates(pr)
    >>> out.loc["A", ["implementation_rate", "sustainment_rate"]].tolist()
    [0.5, 0.25]
    """
    func = "project_rates"
    check_ci(func, ci)
    keys = by_columns(func, by, projects, "projects")
    require_columns(func, projects, [*keys, participant, status], "projects")
    data = projects[[*keys, participant, status]]
    missing = data[status].isna()
    if missing.any():
        warn(func, f"{int(missing.sum())} row(s) without {status!r} left out")
        data = data[~missing]
    if data.empty:
        raise ParameterError(f"{func}: projects has no rows with a {status!r}")
    unknown = ~data[status].isin(C.PROJECT_STATUSES)
    if unknown.any():
        raise ParameterError(
            f"{func}: column {status!r} must be one of {C.PROJECT_STATUSES}, got "
            f"{data.loc[unknown, status].iloc[0]!r}"
        )
    dup = data.duplicated([*keys, participant])
    if dup.any():
        raise ParameterError(
            f"{func}: participant {data.loc[dup, participant].iloc[0]!r} appears more than "
            f"once in a group; keep one row per participant or pass by=[..., "
            f"{C.MONTHS_AFTER!r}]"
        )
    flags = pd.DataFrame(
        {s: (data[status] == s).astype(int) for s in C.PROJECT_STATUSES}, index=data.index
    )
    counts = (
        flags.groupby([data[k] for k in keys], sort=True, dropna=False).sum()
        if keys
        else flags.sum().to_frame().T
    )
    n = counts.sum(axis=1).to_numpy()
    n_impl = counts[list(C.IMPLEMENTED_STATUSES)].sum(axis=1).to_numpy()
    n_sust = counts["sustained"].to_numpy()
    out = pd.DataFrame(
        {
            "n": n,
            "n_not_started": counts["not_started"].to_numpy(),
            "n_in_progress": counts["in_progress"].to_numpy(),
        },
        index=counts.index,
    )
    for name, x, total in (
        ("implementation", n_impl, n),
        ("sustainment", n_sust, n),
        ("sustained_of_implemented", n_sust, n_impl),
    ):
        low, high = wilson(x, total, ci)  # NaN where total = 0
        with np.errstate(invalid="ignore", divide="ignore"):
            rate = x / total
        col = {"implementation": "implementation_rate", "sustainment": "sustainment_rate"}
        if name == "implementation":
            out["n_implemented"] = x
        if name == "sustainment":
            out["n_sustained"] = x
        out[col.get(name, name)] = rate
        out[f"{name}_ci_low"] = low
        out[f"{name}_ci_high"] = high
    return as_result(out, by is not None)


# --- learning -> behaviour --------------------------------------------------------
def _link_cr2(
    codes: np.ndarray, clusters: np.ndarray, dx: np.ndarray, resid: np.ndarray, fit: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """CR2 se and Satterthwaite df of the slope of ``y ~ 1 + x`` in each group ``fit``.

    ``dx`` is x centred within its group (the same slope, an orthogonal design) and
    ``resid`` the OLS residuals; groups not in ``fit`` get NaN.
    """
    se, df = np.full(len(fit), np.nan), np.full(len(fit), np.nan)
    for j in np.flatnonzero(fit):
        rows = codes == j
        x = np.column_stack([np.ones(int(rows.sum())), dx[rows]])
        labels, found = pd.factorize(clusters[rows])
        cov, satt = cr2_ols(x, np.linalg.inv(x.T @ x), resid[rows], labels, len(found))
        se[j], df[j] = np.sqrt(cov[1, 1]), satt[1]
    return se, df


def gain_behavior_link(
    learning: pd.DataFrame,
    followup: pd.DataFrame,
    *,
    by: By = None,
    gain: Literal["difference", "normalized"] = "difference",
    rater: str | None = None,
    ci: float = 0.95,
    cluster: str | None = None,
    vcov: Literal["CR1", "CR2"] = "CR1",
    participant: str = C.PARTICIPANT_ID,
    cohort: str = C.COHORT_ID,
    pre: str = C.PRE,
    post: str = C.POST,
    max_score: str = C.MAX_SCORE,
    rater_column: str = C.RATER,
    item: str = C.ITEM,
    score: str = C.SCORE,
    scale_max: str = C.SCALE_MAX,
    scale_min: float | str | None = None,
) -> pd.Series | pd.DataFrame:
    """Regression of behaviour (Level 3) on learning gain (Level 2).

    Parameters
    ----------
    learning : DataFrame
        The ``learning`` table (``cohort_id, participant_id, pre, post, max_score``).
    followup : DataFrame
        The long ``followup`` table.
    by : column name(s) or None, default None
        Fit one regression per group (columns of ``learning``, e.g. ``"cohort_id"``).
    gain : {"difference", "normalized"}, default "difference"
        Predictor: ``post - pre`` in test points, or Hake's normalised gain
        ``(post - pre) / (max_score - pre)`` (NaN, and left out, where pre = max).
    rater : str or None, default None
        Behaviour measure: the combined index (None) or one rater's index (e.g.
        ``"supervisor"``, free of self-report inflation).
    ci : float, default 0.95
        Confidence level of the slope.
    cluster : str or None, default None
        A column of ``learning`` (e.g. ``"cohort_id"``): the slope's se is then
        cluster-robust (``vcov``); people of one cohort share a training, so this is the
        honest interval.
    vcov : {"CR1", "CR2"}, default "CR1"
        With ``cluster``: CR1 with t on clusters - 1 df, or the Bell-McCaffrey CR2
        variance with the slope's Satterthwaite df (``clubSandwich``), the choice with
        few cohorts (under about 30) or cohorts of unequal size. Ignored without
        ``cluster``.
    participant, cohort, pre, post, max_score, rater_column, item, score, scale_max : str
        Column names. Learning and follow-up rows are matched on cohort and participant.
        The follow-up must hold one wave (filter ``months_after`` first).
    scale_min : number, column name or None
        As :func:`behavior_scores` (POMP when given).

    Returns
    -------
    Series or DataFrame
        ``n, slope, se, t, df, p, ci_low, ci_high, intercept, r, r_squared``: behaviour
        index points per unit of gain (``df``: n - 2, clusters - 1 with CR1 or the
        Satterthwaite df with CR2), and ``n_clusters`` (NaN without ``cluster``).
        With ``by=``, a DataFrame indexed by group.

    Raises
    ------
    ParameterError
        Missing or non-numeric columns, an unknown ``gain``, fewer than 3 matched
        participants (without ``by``).

    Warns
    -----
    EvalkitWarning
        Groups with fewer than 3 matched participants, or without variation in gain,
        get NaN.

    Notes
    -----
    OLS ``index_p = a + b * gain_p + e_p``; ``b = S_xy / S_xx``,
    ``se(b) = sqrt(S_yy - b S_xy) / sqrt((n - 2) S_xx)``, t on ``n - 2`` df. Every group
    is fitted in one vectorised pass. With ``cluster``, :math:`se(b)^2 = c \\sum_g
    (\\sum_{i\\in g} (x_i - \\bar x) e_i)^2 / S_{xx}^2` with :math:`c = \\frac{G}{G-1}
    \\frac{n-1}{n-2}` (CR1), t on G - 1 df. Validated against R ``lm(index ~ gain)``
    (``summary``, ``confint``; ``tests/reference/level345.R``), ``lm(dist ~ speed,
    cars)`` and, clustered, ``coeftest(fit, vcovCL(fit, cluster = ~cohort_id), df = G -
    1)`` (``tests/reference/level3u.R``): relative error < 1e-10. CR2: the CR2
    covariance of :func:`evalkit.metrics._grouped.cr2_ols` for ``index ~ 1 + gain`` in
    each group, validated against ``clubSandwich::coef_test(fit, vcov = vcovCR(fit,
    cluster = cohort_id, type = "CR2"), test = "Satterthwaite")``
    (``tests/reference/cr2means.R``). An observational slope: it says whether those who
    learned more also apply more, not that learning caused the transfer.

    References
    ----------
    Alliger, G. M., Tannenbaum, S. I., Bennett, W., Traver, H., & Shotland, A. (1997).
    A meta-analysis of the relations among training criteria. *Personnel Psychology*,
    50(2), 341-358.

    Examples
    --------
    >>> import pandas as pd
    >>> lrn = pd.DataFrame({"cohort_id": "A", "participant_id": ["p1", "p2", "p3", "p4"],
    ...                     "pre": [40, 50, 60, 55], "post": [60, 65, 90, 60]})
    >>> fu = pd.DataFrame({"cohort_id": "A", "participant_id": ["p1", "p2", "p3", "p4"],
    ...                    "rater": "supervisor", "item": "b1", "score": [3, 3, 5, 2],
    ...                    "scale_max": 5})
    >>> out = gain_behavior_link(lrn, fu)
    >>> int(out["n"]), round(float(out["slope"]), 4)
    (4, 2.3077)
    """
    func = "gain_behavior_link"
    check_ci(func, ci)
    check_choice(func, vcov, "vcov", ("CR1", "CR2"))
    if gain not in ("difference", "normalized"):
        raise ParameterError(
            f"{func}: parameter 'gain' must be 'difference' or 'normalized', got {gain!r}"
        )
    keys = by_columns(func, by, learning, "learning")
    need = [cohort, participant, pre, post] + ([max_score] if gain == "normalized" else [])
    need += [] if cluster is None else [cluster]
    require_columns(func, learning, list(dict.fromkeys([*keys, *need])), "learning")
    raters = list(C.RATERS) if rater is None else [rater]
    scores = behavior_scores(
        followup,
        by=[cohort],
        raters=raters,
        participant=participant,
        rater=rater_column,
        item=item,
        score=score,
        scale_max=scale_max,
        scale_min=scale_min,
    )
    behaviour = "index" if rater is None else f"index_{rater}"
    lrn = learning[list(dict.fromkeys([*keys, *need]))]
    if lrn.duplicated([cohort, participant]).any():
        who = lrn.loc[lrn.duplicated([cohort, participant]), participant].iloc[0]
        raise ParameterError(f"{func}: learning has participant {who!r} twice in one cohort")
    pre_v = numeric_scores(func, lrn[pre], pre)
    post_v = numeric_scores(func, lrn[post], post)
    g = post_v - pre_v  # Series: pandas silences NumPy's 0 / 0 of a gain without room
    if gain == "normalized":
        room = numeric_scores(func, lrn[max_score], max_score) - pre_v
        g = (g / room).where(room > 0)
    extra = [] if cluster is None else [cluster]
    frame = lrn[list(dict.fromkeys([*keys, cohort, participant, *extra]))]
    frame = frame.assign(_x=g.to_numpy())
    merged = frame.merge(
        scores[[cohort, participant, behaviour]], on=[cohort, participant], how="inner"
    )
    merged = merged.dropna(subset=["_x", behaviour, *extra])
    codes, gindex = group_index(merged, keys)
    k = len(gindex)
    x = merged["_x"].to_numpy(dtype=float)
    y = merged[behaviour].to_numpy(dtype=float)
    n = np.bincount(codes, minlength=k).astype(float)
    check_group_sizes(func, pd.Series(n, index=gindex), 3, by, "regression")
    with np.errstate(invalid="ignore", divide="ignore"):
        mx = np.bincount(codes, weights=x, minlength=k) / n
        my = np.bincount(codes, weights=y, minlength=k) / n
        dx, dy = x - mx[codes], y - my[codes]
        sxx = np.bincount(codes, weights=dx * dx, minlength=k)
        sxy = np.bincount(codes, weights=dx * dy, minlength=k)
        syy = np.bincount(codes, weights=dy * dy, minlength=k)
        flat = (sxx <= 0) & (n >= 3)
        if flat.any():
            warn(func, f"{int(flat.sum())} group(s) without variation in gain; slope is NaN")
        ok = (n >= 3) & (sxx > 0)
        slope = np.where(ok, sxy / sxx, np.nan)
        df = n - 2
        rss = np.clip(syy - slope * sxy, 0.0, None)
        se = np.sqrt(rss / df / sxx)
        t = slope / se
        p = 2 * stats.t.sf(np.abs(t), df)
        q = stats.t.ppf(1 - (1 - ci) / 2, df)
        r = np.where(ok, sxy / np.sqrt(sxx * syy), np.nan)
        n_clusters = np.full(k, np.nan)
        if cluster is not None:
            e = dy - slope[codes] * dx
            pairs, _ = pd.factorize(pd.MultiIndex.from_arrays([codes, merged[cluster].to_numpy()]))
            owner = np.zeros(pairs.max() + 1, dtype=np.intp)
            owner[pairs] = codes
            score_sum = np.bincount(pairs, weights=dx * e)
            n_clusters = np.bincount(owner, minlength=k).astype(float)
            c = n_clusters / (n_clusters - 1) * (n - 1) / (n - 2)
            meat = np.bincount(owner, weights=score_sum**2, minlength=k)
            se = np.where(n_clusters > 1, np.sqrt(c * meat) / sxx, np.nan)
            df = n_clusters - 1
            if vcov == "CR2":
                se, df = _link_cr2(codes, merged[cluster].to_numpy(), dx, e, ok & (n_clusters > 1))
            t = slope / se
            p = 2 * stats.t.sf(np.abs(t), df)
            q = stats.t.ppf(1 - (1 - ci) / 2, df)
    out = pd.DataFrame(
        {
            "n": n.astype(int),
            "slope": slope,
            "se": se,
            "t": t,
            "df": np.where(ok, df, np.nan),
            "p": p,
            "ci_low": slope - q * se,
            "ci_high": slope + q * se,
            "intercept": my - slope * mx,
            "r": r,
            "r_squared": r**2,
            "n_clusters": n_clusters,
        },
        index=gindex,
    )
    return as_result(out, by is not None)
