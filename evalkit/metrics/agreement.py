"""Part of evalkit.behavior."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from evalkit import constants as C
from evalkit.errors import ParameterError
from evalkit.metrics._grouped import as_result, by_columns, group_index
from evalkit.metrics._validate import (
    check_choice,
    check_ci,
    require_frame,
    warn,
)
from evalkit.metrics.behavior import By, behavior_scores, check_group_sizes, numeric_scores

__all__ = ["bland_altman", "icc", "rater_agreement"]


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
    values = pd.DataFrame({c: numeric_scores(func, ratings[c], c) for c in ratings.columns})
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
        ``agreement`` outside (0, 1), differences without a finite mean and SD (an
        infinite score, or scores near floating point's largest value).

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
    d = (numeric_scores(func, xs, "x") - numeric_scores(func, ys, "y")).dropna()
    if len(d) < 2:
        raise ParameterError(f"{func}: needs at least 2 complete pairs, got {len(d)}")
    with np.errstate(over="ignore", invalid="ignore"):
        bias, sd = d.mean(), d.std(ddof=1)
    if not (np.isfinite(bias) and np.isfinite(sd)):
        raise ParameterError(
            f"{func}: the differences x - y have no finite mean and SD (largest |x - y|: "
            f"{np.abs(d).max():.3g}); an infinite score, or scores beyond floating point's "
            "range, cannot be summarised"
        )
    out = _ba_table(
        np.array([len(d)], dtype=float), np.array([bias]), np.array([sd]), ci, agreement
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
    check_group_sizes(func, pd.Series(n, index=gindex), 2, by, "agreement")
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
