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
>>> from evalkit.behavior import icc
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
from evalkit._grouped import as_result, band, by_columns, group_index, wilson
from evalkit._validate import (
    check_choice,
    check_ci,
    require_columns,
    require_frame,
    require_numeric,
    warn,
)
from evalkit.errors import ParameterError

__all__ = [
    "bland_altman",
    "behavior_scores",
    "gain_behavior_link",
    "icc",
    "project_rates",
    "rater_agreement",
    "transfer_index",
]

#: ICC forms: label -> (psych::ICC type, description). Shrout & Fleiss (1979) notation;
#: McGraw & Wong (1996) names in the description.
ICC_FORMS = {
    "ICC(1,1)": ("ICC1", "single rater, one-way random, absolute agreement"),
    "ICC(2,1)": ("ICC2", "single rater, two-way random, absolute agreement: ICC(A,1)"),
    "ICC(3,1)": ("ICC3", "single rater, two-way mixed, consistency: ICC(C,1)"),
    "ICC(1,k)": ("ICC1k", "mean of k raters, one-way random, absolute agreement"),
    "ICC(2,k)": ("ICC2k", "mean of k raters, two-way random, absolute agreement: ICC(A,k)"),
    "ICC(3,k)": ("ICC3k", "mean of k raters, two-way mixed, consistency: ICC(C,k)"),
}

By = str | Sequence[str] | None


# --- shared checks ------------------------------------------------------------------
#: Scores and ratings must be stored as numbers; a boolean column is refused.
_numeric = partial(require_numeric, bools=False, example="bad")


def _small_groups(func: str, n: pd.Series, minimum: int, by: By, what: str) -> None:
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
    of the post-training apps, DOMAIN.md section 2).

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
    values = _numeric(func, data[score], score)
    maxima = _numeric(func, data[scale_max], scale_max)
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
    pct = (values / maxima * 100.0).rename("_pct")
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
    _small_groups(func, n, 2, by, "interval")
    with np.errstate(invalid="ignore", divide="ignore"):
        q = stats.t.ppf(1 - (1 - ci) / 2, n.to_numpy() - 1.0)
        half = q * sd.to_numpy() / np.sqrt(n.to_numpy())
    m = mean.to_numpy(dtype=float)
    impact = band(m, C.IMPACT_BANDS, missing=None)
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


# --- ICC and Bland-Altman -------------------------------------------------------------
def _icc_table(
    msb: np.ndarray,
    msw: np.ndarray,
    msj: np.ndarray,
    mse: np.ndarray,
    n: np.ndarray,
    k: int,
    ci: float,
) -> dict[str, dict[str, np.ndarray]]:
    """All six Shrout-Fleiss forms with F tests and intervals, as psych::ICC."""
    alpha = 1 - ci
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        icc1 = (msb - msw) / (msb + (k - 1) * msw)
        icc2 = (msb - mse) / (msb + (k - 1) * mse + k * (msj - mse) / n)
        icc3 = (msb - mse) / (msb + (k - 1) * mse)
        icc1k = (msb - msw) / msb
        icc2k = (msb - mse) / (msb + (msj - mse) / n)
        icc3k = (msb - mse) / msb
        f1 = msb / msw
        f3 = msb / mse
        df1n, df1d = n - 1, n * (k - 1)
        df3n, df3d = n - 1, (n - 1) * (k - 1)
        p1 = stats.f.sf(f1, df1n, df1d)
        p3 = stats.f.sf(f3, df3n, df3d)
        f1l = f1 / stats.f.ppf(1 - alpha / 2, df1n, df1d)
        f1u = f1 * stats.f.ppf(1 - alpha / 2, df1d, df1n)
        f3l = f3 / stats.f.ppf(1 - alpha / 2, df3n, df3d)
        f3u = f3 * stats.f.ppf(1 - alpha / 2, df3d, df3n)
        # ICC(2,1): Satterthwaite df of Shrout & Fleiss (1979), eq. in section 4
        fj = msj / mse
        vn = (k - 1) * (n - 1) * (k * icc2 * fj + n * (1 + (k - 1) * icc2) - k * icc2) ** 2
        vd = (n - 1) * k**2 * icc2**2 * fj**2 + (n * (1 + (k - 1) * icc2) - k * icc2) ** 2
        v = vn / vd
        fu2 = stats.f.ppf(1 - alpha / 2, n - 1, v)
        fl2 = stats.f.ppf(1 - alpha / 2, v, n - 1)
        l2 = n * (msb - fu2 * mse) / (fu2 * (k * msj + (k * n - k - n) * mse) + n * msb)
        u2 = n * (fl2 * msb - mse) / (k * msj + (k * n - k - n) * mse + n * fl2 * msb)
        table = {
            "ICC(1,1)": (
                icc1,
                f1,
                df1n,
                df1d,
                p1,
                (f1l - 1) / (f1l + k - 1),
                (f1u - 1) / (f1u + k - 1),
            ),
            "ICC(2,1)": (icc2, f3, df3n, df3d, p3, l2, u2),
            "ICC(3,1)": (
                icc3,
                f3,
                df3n,
                df3d,
                p3,
                (f3l - 1) / (f3l + k - 1),
                (f3u - 1) / (f3u + k - 1),
            ),
            "ICC(1,k)": (icc1k, f1, df1n, df1d, p1, 1 - 1 / f1l, 1 - 1 / f1u),
            "ICC(2,k)": (
                icc2k,
                f3,
                df3n,
                df3d,
                p3,
                l2 * k / (1 + l2 * (k - 1)),
                u2 * k / (1 + u2 * (k - 1)),
            ),
            "ICC(3,k)": (icc3k, f3, df3n, df3d, p3, 1 - 1 / f3l, 1 - 1 / f3u),
        }
    names = ("icc", "f", "df1", "df2", "p", "ci_low", "ci_high")
    return {form: dict(zip(names, values, strict=True)) for form, values in table.items()}


def _mean_squares(
    group: np.ndarray,
    target: np.ndarray,
    rater: np.ndarray,
    value: np.ndarray,
    n_groups: int,
    k: int,
) -> tuple[np.ndarray, ...]:
    """Two-way ANOVA mean squares per group for complete targets x raters data.

    ``group`` and ``rater`` are codes 0..; ``target`` codes are unique across groups.
    """
    count = np.bincount(group, minlength=n_groups).astype(float)
    n = count / k
    grand = np.bincount(group, weights=value, minlength=n_groups) / count
    dev = value - grand[group]
    sst = np.bincount(group, weights=dev**2, minlength=n_groups)
    n_targets = target.max() + 1
    t_mean = np.bincount(target, weights=dev, minlength=n_targets) / k
    t_group = np.zeros(n_targets, dtype=int)
    t_group[target] = group
    ssb = k * np.bincount(t_group, weights=t_mean**2, minlength=n_groups)
    gr = group * k + rater
    r_mean = np.bincount(gr, weights=dev, minlength=n_groups * k) / np.repeat(n, k)
    ssj = n * np.bincount(np.repeat(np.arange(n_groups), k), weights=r_mean**2, minlength=n_groups)
    sse = sst - ssb - ssj
    with np.errstate(invalid="ignore", divide="ignore"):
        msb = ssb / (n - 1)
        msj = ssj / (k - 1)
        mse = sse / ((n - 1) * (k - 1))
        msw = (sst - ssb) / (n * (k - 1))
    return msb, msw, msj, mse, n


def icc(ratings: pd.DataFrame, *, ci: float = 0.95) -> pd.DataFrame:
    """Intraclass correlations, all six Shrout & Fleiss (1979) forms, with intervals.

    Parameters
    ----------
    ratings : DataFrame
        Wide: one row per rated person (target), one numeric column per rater.
        Rows with a missing rating are dropped (with a warning).
    ci : float, default 0.95
        Confidence level.

    Returns
    -------
    DataFrame
        Indexed ``ICC(1,1), ICC(2,1), ICC(3,1), ICC(1,k), ICC(2,k), ICC(3,k)``; columns
        ``icc, f, df1, df2, p, ci_low, ci_high, psych`` (the ``psych::ICC`` type label)
        and ``description``.

    Raises
    ------
    ParameterError
        Fewer than 2 complete rows or 2 columns, non-numeric columns, ``ci`` outside
        (0, 1).

    Warns
    -----
    EvalkitWarning
        Rows dropped for missing ratings; every rating identical (ICC undefined, NaN).

    Notes
    -----
    From the two-way ANOVA mean squares (rows MSB, raters MSJ, error MSE, within MSW)
    with n targets and k raters: ``ICC(1,1) = (MSB - MSW)/(MSB + (k-1) MSW)``;
    ``ICC(2,1) = (MSB - MSE)/(MSB + (k-1) MSE + k (MSJ - MSE)/n)``;
    ``ICC(3,1) = (MSB - MSE)/(MSB + (k-1) MSE)``; the k-forms are Spearman-Brown
    stepped up. F tests and intervals follow Shrout & Fleiss (1979) and McGraw & Wong
    (1996), the ICC(2,1) interval with Satterthwaite df, exactly as ``psych::ICC``.
    Validated against ``psych::ICC(x, lmer = FALSE)`` (psych 2.2.9) on the Shrout &
    Fleiss table and on the Bland & Altman PEFR data: every column to 1e-9 relative.

    For self vs supervisor agreement, ICC(2,1) (absolute agreement) is the usual
    choice; ICC(3,1) ignores a systematic self-rating bias.

    References
    ----------
    Shrout, P. E., & Fleiss, J. L. (1979). Intraclass correlations: uses in assessing
    rater reliability. *Psychological Bulletin*, 86(2), 420-428.
    McGraw, K. O., & Wong, S. P. (1996). Forming inferences about some intraclass
    correlation coefficients. *Psychological Methods*, 1(1), 30-46.
    Koo, T. K., & Li, M. Y. (2016). A guideline of selecting and reporting intraclass
    correlation coefficients. *Journal of Chiropractic Medicine*, 15(2), 155-163.

    Examples
    --------
    >>> import pandas as pd
    >>> sf = pd.DataFrame([[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8],
    ...                    [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]])
    >>> round(float(icc(sf).loc["ICC(2,1)", "icc"]), 6)  # psych::ICC(sf)$results[2, "ICC"]
    0.289764
    """
    func = "icc"
    check_ci(func, ci)
    require_frame(func, ratings, "ratings", "a DataFrame (rows = persons, columns = raters)")
    if ratings.shape[1] < 2:
        raise ParameterError(
            f"{func}: parameter 'ratings' needs at least 2 rater columns, got {ratings.shape[1]}"
        )
    values = pd.DataFrame({c: _numeric(func, ratings[c], c) for c in ratings.columns})
    complete = values.dropna()
    if len(complete) < len(values):
        warn(func, f"{len(values) - len(complete)} row(s) with a missing rating dropped")
    n, k = complete.shape
    if n < 2:
        raise ParameterError(f"{func}: parameter 'ratings' needs at least 2 complete rows, got {n}")
    arr = complete.to_numpy()
    ms = _mean_squares(
        np.zeros(n * k, dtype=int),
        np.repeat(np.arange(n), k),
        np.tile(np.arange(k), n),
        arr.ravel(),
        1,
        k,
    )
    if not (ms[0][0] > 0 or ms[3][0] > 0):
        warn(func, "all ratings are identical; ICC is undefined (NaN)")
    table = _icc_table(*ms[:4], ms[4], k, ci)
    out = pd.DataFrame(
        {form: {c: float(v[0]) for c, v in cols.items()} for form, cols in table.items()}
    ).T
    out["psych"] = [ICC_FORMS[f][0] for f in out.index]
    out["description"] = [ICC_FORMS[f][1] for f in out.index]
    out.index.name = "form"
    return out


def bland_altman(
    x: pd.Series | Sequence[float],
    y: pd.Series | Sequence[float],
    *,
    ci: float = 0.95,
    agreement: float = 0.95,
) -> pd.Series:
    """Bland-Altman bias and limits of agreement of two measurements, with intervals.

    Parameters
    ----------
    x, y : Series or array-like
        Paired measurements of the same persons (e.g. self and supervisor index).
        Pairs with a missing value are dropped.
    ci : float, default 0.95
        Confidence level of the intervals of the bias and of each limit.
    agreement : float, default 0.95
        Coverage of the limits of agreement (0.95: bias +- 1.96 sd).

    Returns
    -------
    Series
        ``n, bias, sd_diff, bias_ci_low, bias_ci_high, loa_low, loa_high,
        loa_low_ci_low, loa_low_ci_high, loa_high_ci_low, loa_high_ci_high``.
        Differences are ``x - y``.

    Raises
    ------
    ParameterError
        Different lengths, non-numeric values, fewer than 2 complete pairs, ``ci`` or
        ``agreement`` outside (0, 1).

    Notes
    -----
    ``d = x - y``; ``bias = mean(d)``, ``s = sd(d)``; limits ``bias -+ z s`` with
    ``z = Phi^-1((1 + agreement)/2)`` (1.959964, not the rounded 1.96). Interval of the
    bias ``bias +- t_{n-1} s/sqrt(n)``; of each limit ``+- t_{n-1} s sqrt(1/n +
    z^2/(2(n-1)))`` (Bland & Altman 1999, section 4.2; their 1986 paper approximates
    the root by sqrt(3/n)). Validated against the same formulas in R and the published
    PEFR example (Bland & Altman 1986: bias -2.1, sd 38.8, bias CI -22.1 to 17.9).

    References
    ----------
    Bland, J. M., & Altman, D. G. (1986). Statistical methods for assessing agreement
    between two methods of clinical measurement. *Lancet*, 327(8476), 307-310.
    Bland, J. M., & Altman, D. G. (1999). Measuring agreement in method comparison
    studies. *Statistical Methods in Medical Research*, 8(2), 135-160.

    Examples
    --------
    >>> out = bland_altman([80, 75, 90, 70], [70, 75, 80, 65])
    >>> float(out["bias"]), float(out["sd_diff"])
    (6.25, 4.7871355387816905)
    """
    func = "bland_altman"
    check_ci(func, ci)
    check_ci(func, agreement, "agreement")
    xs = pd.Series(np.asarray(x)) if not isinstance(x, pd.Series) else x.reset_index(drop=True)
    ys = pd.Series(np.asarray(y)) if not isinstance(y, pd.Series) else y.reset_index(drop=True)
    if len(xs) != len(ys):
        raise ParameterError(
            f"{func}: x and y must have the same length, got {len(xs)} and {len(ys)}"
        )
    d = (_numeric(func, xs, "x") - _numeric(func, ys, "y")).dropna()
    if len(d) < 2:
        raise ParameterError(f"{func}: needs at least 2 complete pairs, got {len(d)}")
    out = _ba_table(
        np.array([len(d)], dtype=float),
        np.array([d.mean()]),
        np.array([d.std(ddof=1)]),
        ci,
        agreement,
    )
    return out.iloc[0].rename(None)


def _ba_table(
    n: np.ndarray, bias: np.ndarray, sd: np.ndarray, ci: float, agreement: float
) -> pd.DataFrame:
    z = stats.norm.ppf(1 - (1 - agreement) / 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        tq = stats.t.ppf(1 - (1 - ci) / 2, n - 1)
        se_bias = sd / np.sqrt(n)
        se_loa = sd * np.sqrt(1 / n + z**2 / (2 * (n - 1)))
    low, high = bias - z * sd, bias + z * sd
    return pd.DataFrame(
        {
            "n": n.astype(int),
            "bias": bias,
            "sd_diff": sd,
            "bias_ci_low": bias - tq * se_bias,
            "bias_ci_high": bias + tq * se_bias,
            "loa_low": low,
            "loa_high": high,
            "loa_low_ci_low": low - tq * se_loa,
            "loa_low_ci_high": low + tq * se_loa,
            "loa_high_ci_low": high - tq * se_loa,
            "loa_high_ci_high": high + tq * se_loa,
        }
    )


def rater_agreement(
    followup: pd.DataFrame,
    *,
    by: By = None,
    raters: tuple[str, str] = ("self", "supervisor"),
    icc_form: str = "ICC(2,1)",
    ci: float = 0.95,
    agreement: float = 0.95,
    participant: str = C.PARTICIPANT_ID,
    rater: str = C.RATER,
    item: str = C.ITEM,
    score: str = C.SCORE,
    scale_max: str = C.SCALE_MAX,
    cohort: str = C.COHORT_ID,
) -> pd.Series | pd.DataFrame:
    """Agreement of self and supervisor ratings: ICC and Bland-Altman limits.

    Parameters
    ----------
    followup : DataFrame
        The long ``followup`` table (participant x rater x item).
    by : column name(s) or None, default None
        Groups to report (e.g. ``"cohort_id"``); ``None`` pools all participants.
    raters : (str, str), default ("self", "supervisor")
        The two raters compared; differences are first minus second.
    icc_form : str, default "ICC(2,1)"
        The reported form, one of ``ICC(1,1), ICC(2,1), ICC(3,1), ICC(1,k), ICC(2,k),
        ICC(3,k)`` (see :func:`icc`). ICC(2,1) is absolute agreement of single raters,
        which counts a systematic over-rating by the alumni as disagreement; ICC(3,1)
        (consistency) does not.
    ci : float, default 0.95
        Confidence level of every interval.
    agreement : float, default 0.95
        Coverage of the Bland-Altman limits.
    participant, rater, item, score, scale_max, cohort : str
        Column names. Participants are identified within ``cohort`` (when present).

    Returns
    -------
    Series or DataFrame
        ``n`` participants rated by both, ``icc_form``, ``icc``, ``icc_ci_low``,
        ``icc_ci_high``, ``icc_p`` (F test of ICC = 0), then the Bland-Altman columns of
        :func:`bland_altman` on the 0-100 index (``bias, sd_diff, bias_ci_low,
        bias_ci_high, loa_low, loa_high, loa_low_ci_low, loa_low_ci_high,
        loa_high_ci_low, loa_high_ci_high``). With ``by=``, a DataFrame indexed by group.

    Raises
    ------
    ParameterError
        As :func:`behavior_scores`; an unknown ``icc_form``; ``raters`` not two distinct
        names; fewer than 2 participants with both ratings (without ``by``).

    Warns
    -----
    EvalkitWarning
        Participants rated by only one rater are left out; a group with fewer than 2
        complete participants gets NaN.

    Notes
    -----
    Each participant's rating by each rater is their index (0-100, see
    :func:`behavior_scores`); ICC and Bland-Altman are computed on these pairs, every
    group in one vectorised pass. Validated per cohort against ``psych::ICC(x,
    lmer = FALSE)`` and the Bland-Altman formulas in R (``tests/reference/level345.R``):
    relative error < 1e-9.

    References
    ----------
    See :func:`icc` and :func:`bland_altman`.

    Examples
    --------
    >>> import pandas as pd
    >>> fu = pd.DataFrame({"participant_id": [f"p{i}" for i in range(5)] * 2,
    ...                    "rater": ["self"] * 5 + ["supervisor"] * 5, "item": "b1",
    ...                    "score": [4, 3, 5, 4, 2, 3, 3, 4, 4, 2], "scale_max": 5})
    >>> out = rater_agreement(fu)
    >>> out["icc_form"], round(float(out["icc"]), 4), float(out["bias"])
    ('ICC(2,1)', 0.8095, 8.0)
    """
    func = "rater_agreement"
    check_ci(func, ci)
    check_ci(func, agreement, "agreement")
    check_choice(func, icc_form, "icc_form", list(ICC_FORMS))
    raters = tuple(raters)
    if len(raters) != 2 or raters[0] == raters[1]:
        raise ParameterError(
            f"{func}: parameter 'raters' must name two different raters, got {raters!r}"
        )
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
    )
    cols = [f"index_{r}" for r in raters]
    both = scores.dropna(subset=cols)
    if len(both) < len(scores):
        warn(
            func,
            f"{len(scores) - len(both)} participant(s) rated by only one of {list(raters)} left out",
        )
    gcodes, gindex = group_index(both, keys)
    n_groups = len(gindex)
    n = np.bincount(gcodes, minlength=n_groups)
    _small_groups(func, pd.Series(n, index=gindex), 2, by, "agreement")
    x = both[cols[0]].to_numpy()
    y = both[cols[1]].to_numpy()
    value = np.column_stack([x, y]).ravel()
    target = np.repeat(np.arange(len(both)), 2)
    rcode = np.tile([0, 1], len(both))
    ms = (
        _mean_squares(np.repeat(gcodes, 2), target, rcode, value, n_groups, 2)
        if len(both)
        else (np.full(n_groups, np.nan),) * 5
    )
    table = _icc_table(*ms[:4], n.astype(float), 2, ci)[icc_form]
    d = x - y
    dsum = np.bincount(gcodes, weights=d, minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        bias = dsum / n
        ss = np.bincount(gcodes, weights=(d - bias[gcodes]) ** 2, minlength=n_groups)
        sd = np.sqrt(ss / (n - 1))
    small = n < 2
    ba = _ba_table(
        n.astype(float), np.where(small, np.nan, bias), np.where(small, np.nan, sd), ci, agreement
    )
    out = pd.DataFrame(
        {
            "n": n,
            "icc_form": icc_form,
            "icc": np.where(small, np.nan, table["icc"]),
            "icc_ci_low": np.where(small, np.nan, table["ci_low"]),
            "icc_ci_high": np.where(small, np.nan, table["ci_high"]),
            "icc_p": np.where(small, np.nan, table["p"]),
        },
        index=gindex,
    )
    ba.index = gindex
    out = pd.concat([out, ba.drop(columns="n")], axis=1)
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
def gain_behavior_link(
    learning: pd.DataFrame,
    followup: pd.DataFrame,
    *,
    by: By = None,
    gain: Literal["difference", "normalized"] = "difference",
    rater: str | None = None,
    ci: float = 0.95,
    participant: str = C.PARTICIPANT_ID,
    cohort: str = C.COHORT_ID,
    pre: str = C.PRE,
    post: str = C.POST,
    max_score: str = C.MAX_SCORE,
    rater_column: str = C.RATER,
    item: str = C.ITEM,
    score: str = C.SCORE,
    scale_max: str = C.SCALE_MAX,
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
    participant, cohort, pre, post, max_score, rater_column, item, score, scale_max : str
        Column names. Learning and follow-up rows are matched on cohort and participant.

    Returns
    -------
    Series or DataFrame
        ``n, slope, se, t, df, p, ci_low, ci_high, intercept, r, r_squared``: behaviour
        index points per unit of gain. With ``by=``, a DataFrame indexed by group.

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
    is fitted in one vectorised pass. Validated against R ``lm(index ~ gain)``
    (``summary``, ``confint``; ``tests/reference/level345.R``) and ``lm(dist ~ speed,
    cars)``: relative error < 1e-10. An observational slope: it says whether those who
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
    if gain not in ("difference", "normalized"):
        raise ParameterError(
            f"{func}: parameter 'gain' must be 'difference' or 'normalized', got {gain!r}"
        )
    keys = by_columns(func, by, learning, "learning")
    need = [cohort, participant, pre, post] + ([max_score] if gain == "normalized" else [])
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
    )
    behaviour = "index" if rater is None else f"index_{rater}"
    lrn = learning[list(dict.fromkeys([*keys, *need]))]
    if lrn.duplicated([cohort, participant]).any():
        who = lrn.loc[lrn.duplicated([cohort, participant]), participant].iloc[0]
        raise ParameterError(f"{func}: learning has participant {who!r} twice in one cohort")
    pre_v = _numeric(func, lrn[pre], pre)
    post_v = _numeric(func, lrn[post], post)
    with np.errstate(invalid="ignore", divide="ignore"):
        g = post_v - pre_v
        if gain == "normalized":
            room = _numeric(func, lrn[max_score], max_score) - pre_v
            g = (g / room).where(room > 0)
    frame = lrn[list(dict.fromkeys([*keys, cohort, participant]))].assign(_x=g.to_numpy())
    merged = frame.merge(
        scores[[cohort, participant, behaviour]], on=[cohort, participant], how="inner"
    )
    merged = merged.dropna(subset=["_x", behaviour])
    codes, gindex = group_index(merged, keys)
    k = len(gindex)
    x = merged["_x"].to_numpy(dtype=float)
    y = merged[behaviour].to_numpy(dtype=float)
    n = np.bincount(codes, minlength=k).astype(float)
    _small_groups(func, pd.Series(n, index=gindex), 3, by, "regression")
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
        },
        index=gindex,
    )
    return as_result(out, by is not None)
