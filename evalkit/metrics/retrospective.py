"""Retrospective follow-up (then-test): PTIA's score, and the inference the app lacks.

BPKP's post-training evaluation app PTIA (github ``msramdan/ptia``) asks alumni and
their direct supervisors, some months after training, to rate each item twice in one
sitting: "before training" and "now", on 1-4. It turns each aspect's rounded mean
change into points through a conversion table, weighs the aspects per rater, adds the
alumnus's and the supervisor's points to a 0-100 score and bands it; it reports
averages only. This module

- reproduces that score (:func:`ptia_scores`, :func:`ptia_summary`) so that an
  evaluator can put evalkit's result beside the official one;
- adds what the app lacks: the within-person change (now - before) with a paired-t
  interval (:func:`retrospective_change`), the supervisor-self gap paired by person
  (:func:`rater_gap`), and, where the same people also gave a prospective rating
  before training, the response shift (:func:`response_shift`: retrospective
  "before" minus prospective "pre").

The person index of the inference is POMP on the 1-4 scale, ``(mean - 1) / 3 x 100``
(:func:`evalkit.pomp`), a mean of the person's aspect means weighted by PTIA's aspect
weights of that rater (``weights="ptia"``) or of all items alike (``weights=None``).

Examples
--------
>>> import pandas as pd
>>> r = pd.DataFrame({"cohort_id": "A", "participant_id": ["p1"] * 2 + ["p2"] * 2 + ["p3"] * 2,
...     "rater": "self", "months_after": 3, "aspect": ["motivasi", "implementasi"] * 3,
...     "item": ["m1", "i1"] * 3, "rating_before": [2, 2, 1, 2, 2, 3],
...     "rating_now": [3, 4, 3, 3, 3, 3]})
>>> ch = retrospective_change(r, weights=None)
>>> round(float(ch.loc["self", "mean_change"]), 4)
38.8889
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from evalkit import constants as C
from evalkit.errors import ParameterError
from evalkit.metrics._validate import check_ci, require_columns

__all__ = [
    "php_round",
    "ptia_band",
    "ptia_scores",
    "ptia_summary",
    "rater_gap",
    "response_shift",
    "retrospective_change",
    "retrospective_index",
    "retrospective_levels",
]

_LOW, _HIGH = C.RETRO_SCALE


def php_round(x: np.ndarray | float, decimals: int = 0) -> np.ndarray:
    """Round half away from zero, as PHP's ``round`` and MySQL's ``ROUND`` do.

    numpy rounds half to even (``np.round(2.5) == 2``); PTIA's score depends on PHP's
    rule (``round(2.5) == 3``, ``round(-0.5) == -1``).

    Examples
    --------
    >>> php_round(np.array([0.5, 1.5, 2.5, -0.5, 1 / 3])).tolist()
    [1.0, 2.0, 3.0, -1.0, 0.0]
    >>> float(php_round(0.125, 2))
    0.13
    """
    x = np.asarray(x, dtype=float)
    scale = 10.0**decimals
    # a tiny nudge so that 0.125 (stored as 0.12499999...) rounds as PHP's pre-rounding does
    y = np.abs(x) * scale
    return np.sign(x) * np.floor(y + 0.5 + 1e-9 * np.maximum(1.0, y)) / scale


def ptia_band(score: np.ndarray | pd.Series | float) -> np.ndarray:
    """PTIA's band of a 0-100 score (:data:`evalkit.constants.PTIA_BANDS`).

    A band holds the scores above its lower bound up to and including the next bound
    (the app matches ``nilai_minimal < score <= nilai_maksimal``); 0 is in the lowest
    band; a missing score has no band (None).

    Examples
    --------
    >>> ptia_band(np.array([0.0, 25.0, 25.01, 75.0, 80.0, np.nan])).tolist()
    ['Tidak berdampak', 'Tidak berdampak', 'Kurang berdampak', 'Cukup berdampak', 'Sangat berdampak', None]
    """
    s = np.atleast_1d(np.asarray(score, dtype=float))
    out = np.full(s.shape, None, dtype=object)
    for lower, name in reversed(C.PTIA_BANDS):
        out[(s > lower) if np.isfinite(lower) else ~np.isnan(s)] = name
    return out


def _frame(func: str, retro: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The rows of ``retro`` with both ratings, numbers checked to lie in 1-4."""
    require_columns(func, retro, columns, "retrospective")
    data = retro.copy()
    for col in (C.RATING_BEFORE, C.RATING_NOW):
        data[col] = pd.to_numeric(data[col], errors="coerce")
        bad = data[col].notna() & ((data[col] < _LOW) | (data[col] > _HIGH))
        if bad.any():
            raise ParameterError(
                f"{func}: column {col!r} must lie in {_LOW}..{_HIGH}; row {bad.idxmax()!r} "
                f"has {float(data.loc[bad.idxmax(), col])!r}"
            )
    return data.dropna(subset=[C.RATING_BEFORE, C.RATING_NOW])


def _aspect_table(func: str, aspects: Mapping[str, tuple]) -> pd.DataFrame:
    """The aspects as a frame indexed by key: level, criterion, weight_self, weight_supervisor."""
    rows = {k: {"level": v[1], "criterion": v[2], "weight_self": v[3],
                "weight_supervisor": v[4]} for k, v in aspects.items()}  # fmt: skip
    table = pd.DataFrame.from_dict(rows, orient="index")
    if not set(table["criterion"]) <= {"delta", "perception"}:
        raise ParameterError(f"{func}: parameter 'aspects' has a criterion other than "
                             "'delta' or 'perception'")  # fmt: skip
    return table


def _weights(func: str, data: pd.DataFrame, table: pd.DataFrame) -> pd.Series:
    """Each row's aspect weight: the ``weight`` column where given, else the app's default."""
    unknown = sorted(set(map(str, data[C.ASPECT].dropna())) - set(table.index))
    default = pd.Series(np.nan, index=data.index)
    for rater in C.RATERS:
        mine = data[C.RATER] == rater
        default[mine] = data.loc[mine, C.ASPECT].map(table[f"weight_{rater}"])
    if C.WEIGHT in data:
        given = pd.to_numeric(data[C.WEIGHT], errors="coerce")
        default = given.where(given.notna(), default)
    if default.isna().any():
        raise ParameterError(
            f"{func}: rows without a weight: aspects {unknown[:5]} are not PTIA aspects "
            f"({list(table.index)}) and column {C.WEIGHT!r} gives none"
        )
    return default


def ptia_scores(
    retro: pd.DataFrame,
    *,
    aspects: Mapping[str, tuple] = C.PTIA_ASPECTS,
    app_rounding: bool = True,
    participant: str = C.PARTICIPANT_ID,
    cohort: str = C.COHORT_ID,
    months: str = C.MONTHS_AFTER,
) -> pd.DataFrame:
    """Each alumnus's PTIA score (level 3 and level 4), computed as the app computes it.

    Parameters
    ----------
    retro : DataFrame
        The ``retrospective`` table (``rater`` self / supervisor, ``aspect``, ratings).
    aspects : mapping, default :data:`evalkit.constants.PTIA_ASPECTS`
        Aspect key -> (name, level, criterion, weight self, weight supervisor).
    app_rounding : bool, default True
        Round each aspect's points to 2 decimals as the app stores them (``round(konversi
        * bobot / 100, 2)``), so that the score matches the app's to the cent; False
        keeps them unrounded. The aspect's mean change is always rounded to a whole
        number: it is the key of the conversion table.
    participant, cohort, months : str
        Column names.

    Returns
    -------
    DataFrame
        One row per ``cohort, participant, months``: ``self_l3, supervisor_l3`` (points
        of each rater; 0 when that rater did not answer, as the app's ``COALESCE``),
        ``level3`` (their sum, at most 100), ``band3``, ``self_l4, supervisor_l4,
        level4`` (primary data only; secondary data add
        :data:`~evalkit.constants.PTIA_SECONDARY_WEIGHT` in the app when the unit's
        performance rose), ``band4``, ``has_self, has_supervisor``.

    Raises
    ------
    ParameterError
        Missing columns, a rating outside 1-4, an aspect with neither a PTIA weight nor
        a ``weight``.

    Notes
    -----
    As ``RespondenKuesionerController::store`` of the app: per rater and aspect, the
    mean of ``now - before`` over the aspect's items, rounded half away from zero
    (:func:`php_round`), is looked up in the aspect's conversion table ("delta":
    0/1/2/3 -> 0/63/88/100; "perception": the table of scores 1/2/3/4 ->
    0/63/83/100, looked up with the same rounded change, as the app does); a key not
    in the table (a negative change) converts to 0. Points = conversion x weight /
    100; a rater's level score is the sum over that level's aspects; the alumnus's
    score adds both raters' and is capped at 100 (``hasilEvaluasi``). Check the
    weights and bands against the app's version in use: both are editable per
    project and diklat type.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"cohort_id": "A", "participant_id": "p1", "months_after": 3,
    ...     "rater": ["self"] * 3 + ["supervisor"],
    ...     "aspect": ["motivasi", "implementasi", "implementasi", "implementasi"],
    ...     "item": ["m1", "i1", "i2", "i1"], "rating_before": [2, 1, 2, 2],
    ...     "rating_now": [4, 3, 3, 3]})
    >>> s = ptia_scores(r).iloc[0]
    >>> float(s["self_l3"]), float(s["supervisor_l3"]), float(s["level3"]), s["band3"]
    (29.35, 14.52, 43.87, 'Kurang berdampak')
    """
    func = "ptia_scores"
    keys = [cohort, participant, months]
    data = _frame(func, retro, [*keys, C.RATER, C.ASPECT, C.RATING_BEFORE, C.RATING_NOW])
    table = _aspect_table(func, aspects)
    data = data[data[C.RATER].isin(C.RATERS)]
    data["_w"] = _weights(func, data, table)
    data["_d"] = data[C.RATING_NOW] - data[C.RATING_BEFORE]
    per = data.groupby([*keys, C.RATER, C.ASPECT], sort=True, observed=True).agg(
        d=("_d", "mean"), w=("_w", "first")
    ).reset_index()  # fmt: skip
    key = php_round(per["d"].to_numpy()).astype(int)
    criterion = per[C.ASPECT].map(table["criterion"]).fillna("delta").to_numpy()
    conv = np.where(
        criterion == "perception",
        pd.Series(key).map(C.PTIA_PERCEPTION_CONVERSION).fillna(0.0).to_numpy(),
        pd.Series(key).map(C.PTIA_DELTA_CONVERSION).fillna(0.0).to_numpy(),
    )
    points = conv * per["w"].to_numpy() / 100.0
    per["points"] = php_round(points, 2) if app_rounding else points
    per["level"] = per[C.ASPECT].map(table["level"]).fillna(3).astype(int).to_numpy()
    wide = per.pivot_table(index=keys, columns=[C.RATER, "level"], values="points",
                           aggfunc="sum", fill_value=0.0)  # fmt: skip
    answered = per.groupby([*keys, C.RATER]).size().unstack(C.RATER)
    out = pd.DataFrame(index=wide.index)
    for rater in C.RATERS:
        for level in (3, 4):
            col = (rater, level)
            out[f"{rater}_l{level}"] = wide[col] if col in wide else 0.0
    sums = {lv: out[f"self_l{lv}"] + out[f"supervisor_l{lv}"] for lv in (3, 4)}
    out["level3"] = np.minimum(php_round(sums[3], 2) if app_rounding else sums[3], 100.0)
    out["band3"] = ptia_band(out["level3"])
    out["level4"] = np.minimum(php_round(sums[4], 2) if app_rounding else sums[4], 100.0)
    out["band4"] = ptia_band(out["level4"])
    for rater in C.RATERS:
        has = answered[rater].reindex(out.index) if rater in answered else None
        out[f"has_{rater}"] = has.notna().to_numpy() if has is not None else False
    cols = ["self_l3", "supervisor_l3", "level3", "band3", "self_l4", "supervisor_l4",
            "level4", "band4", "has_self", "has_supervisor"]  # fmt: skip
    return out[cols].reset_index()


def _t_summary(values: np.ndarray, level: float) -> dict[str, float]:
    """Mean with a one-sample t interval: n, mean, sd, se, t, df, p (mean = 0), ci."""
    v = values[~np.isnan(values)]
    n = len(v)
    mean = float(v.mean()) if n else np.nan
    sd = float(v.std(ddof=1)) if n > 1 else np.nan  # and so se, t, p and the interval
    df = n - 1.0
    with np.errstate(invalid="ignore", divide="ignore"):  # sd 0: t is +-inf, or NaN at 0
        se = sd / np.sqrt(n)
        t = mean / se
        half = float(stats.t.ppf(0.5 + level / 2, df)) * se
        p = float(2 * stats.t.sf(abs(t), df))
    return {"n": float(n), "mean": mean, "sd": sd, "se": se, "t": t, "df": df, "p": p,
            "ci_low": mean - half, "ci_high": mean + half}  # fmt: skip


def ptia_summary(
    scores: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = None,
    score: str = "level3",
    ci: float = 0.95,
) -> pd.DataFrame:
    """The app's average PTIA score (and band), with the interval the app does not give.

    Parameters
    ----------
    scores : DataFrame
        :func:`ptia_scores`' output.
    by : column name(s), optional
        Groups (e.g. ``"cohort_id"``, the app's project); None: everyone.
    score : str, default ``"level3"``
        Column to average (``level3``, ``level4``, ``self_l3``, ``supervisor_l3``...).
    ci : float, default 0.95

    Returns
    -------
    DataFrame
        One row per group (index ``"all"`` without ``by``): ``n, mean, sd, se, t, df,
        p, ci_low, ci_high`` (t interval, alumni as independent) and ``band`` (PTIA's
        band of the mean, as the app bands the project average).

    Examples
    --------
    >>> s = pd.DataFrame({"level3": [43.87, 60.0, 80.0, 51.0]})
    >>> out = ptia_summary(s)
    >>> round(float(out.loc["all", "mean"]), 4), out.loc["all", "band"]
    (58.7175, 'Cukup berdampak')
    """
    func = "ptia_summary"
    level = check_ci(func, ci)
    keys = [] if by is None else ([by] if isinstance(by, str) else list(by))
    require_columns(func, scores, [*keys, score], "scores")
    values = pd.to_numeric(scores[score], errors="coerce")
    if keys:
        # one key by name, not as a list: pandas 4 makes a list's group keys tuples
        grouper = keys if len(keys) > 1 else keys[0]
        groups = {k: values[idx].to_numpy(dtype=float)
                  for k, idx in scores.groupby(grouper, sort=True).groups.items()}  # fmt: skip
    else:
        groups = {"all": values.to_numpy(dtype=float)}
    out = pd.DataFrame.from_dict({k: _t_summary(v, level) for k, v in groups.items()},
                                 orient="index")  # fmt: skip
    out["band"] = ptia_band(out["mean"].to_numpy())
    if keys:
        out.index.names = keys if len(keys) > 1 else [keys[0]]
    return out


def retrospective_index(
    retro: pd.DataFrame,
    *,
    weights: str | None = "ptia",
    aspects: Mapping[str, tuple] = C.PTIA_ASPECTS,
    participant: str = C.PARTICIPANT_ID,
    cohort: str = C.COHORT_ID,
    months: str = C.MONTHS_AFTER,
) -> pd.DataFrame:
    """Each person's POMP index (0-100) of "before" and "now", per rater and wave.

    Parameters
    ----------
    retro : DataFrame
        The ``retrospective`` table.
    weights : {"ptia", None}, default "ptia"
        "ptia": the mean of the person's aspect means weighted by the aspect weights of
        that rater (the ``weight`` column where given, else PTIA's); None: the mean of
        all items alike.
    aspects : mapping, default :data:`evalkit.constants.PTIA_ASPECTS`
    participant, cohort, months : str
        Column names.

    Returns
    -------
    DataFrame
        One row per ``cohort, participant, months, rater``: ``before, now`` (POMP,
        ``(mean - 1) / 3 x 100``), ``change`` (now - before), ``n_items``.

    Examples
    --------
    >>> r = pd.DataFrame({"cohort_id": "A", "participant_id": "p1", "months_after": 3,
    ...     "rater": "self", "aspect": ["motivasi", "implementasi"], "item": ["m1", "i1"],
    ...     "rating_before": [1, 2], "rating_now": [4, 3]})
    >>> out = retrospective_index(r).iloc[0]
    >>> round(float(out["before"]), 4), round(float(out["now"]), 4)
    (24.3978, 75.6022)
    """
    func = "retrospective_index"
    if weights not in ("ptia", None):
        raise ParameterError(f"{func}: parameter 'weights' must be 'ptia' or None, got {weights!r}")
    keys = [cohort, participant, months, C.RATER]
    data = _frame(func, retro, [*keys, C.ASPECT, C.RATING_BEFORE, C.RATING_NOW])
    if weights == "ptia":
        data["_w"] = _weights(func, data, _aspect_table(func, aspects))
    else:
        data["_w"] = 1.0
        data[C.ASPECT] = data.index  # every item its own "aspect" of weight 1
    per = data.groupby([*keys, C.ASPECT], sort=True, observed=True).agg(
        b=(C.RATING_BEFORE, "mean"), n=(C.RATING_NOW, "mean"), w=("_w", "first"),
        k=(C.RATING_NOW, "size"),
    ).reset_index()  # fmt: skip
    per["wb"], per["wn"] = per["w"] * per["b"], per["w"] * per["n"]
    tot = per.groupby(keys, sort=True)[["wb", "wn", "w", "k"]].sum()
    span = _HIGH - _LOW
    out = pd.DataFrame({
        "before": (tot["wb"] / tot["w"] - _LOW) / span * 100.0,
        "now": (tot["wn"] / tot["w"] - _LOW) / span * 100.0,
    })  # fmt: skip
    out["change"] = out["now"] - out["before"]
    out["n_items"] = tot["k"].astype(float)
    return out.reset_index()


def retrospective_levels(
    retro: pd.DataFrame,
    *,
    weights: str | None = "ptia",
    ci: float = 0.95,
) -> pd.DataFrame:
    """Mean POMP index of "before" and of "now" per rater, each with a t interval.

    Parameters
    ----------
    retro : DataFrame
        The ``retrospective`` table.
    weights : {"ptia", None}, default "ptia"
        As :func:`retrospective_index`.
    ci : float, default 0.95

    Returns
    -------
    DataFrame
        One row per rater and ``measure`` (``before``, ``now``): ``rater, measure, n,
        mean, sd, se, ci_low, ci_high`` (what a figure of both raters shows; the change
        and its test are :func:`retrospective_change`'s).

    Examples
    --------
    >>> r = pd.DataFrame({"cohort_id": "A", "participant_id": ["p1", "p2", "p3"],
    ...     "rater": "self", "months_after": 3, "aspect": "implementasi", "item": "i1",
    ...     "rating_before": [1, 2, 2], "rating_now": [3, 3, 4]})
    >>> retrospective_levels(r)[["measure", "mean"]].round(4).values.tolist()
    [['before', 22.2222], ['now', 77.7778]]
    """
    level = check_ci("retrospective_levels", ci)
    idx = retrospective_index(retro, weights=weights)
    rows = []
    for rater, g in idx.groupby(C.RATER, sort=True):
        for measure in ("before", "now"):
            s = _t_summary(g[measure].to_numpy(dtype=float), level)
            rows.append({C.RATER: rater, "measure": measure, "n": s["n"], "mean": s["mean"],
                         "sd": s["sd"], "se": s["se"], "ci_low": s["ci_low"],
                         "ci_high": s["ci_high"]})  # fmt: skip
    return pd.DataFrame(rows)


def _paired(d: np.ndarray, level: float) -> dict[str, float]:
    """Paired t on the differences ``d`` (NaN dropped)."""
    s = _t_summary(d, level)
    return {"n": s["n"], "mean_change": s["mean"], "sd_change": s["sd"], "se": s["se"],
            "t": s["t"], "df": s["df"], "p": s["p"], "ci_low": s["ci_low"],
            "ci_high": s["ci_high"],
            "d_z": s["mean"] / s["sd"] if s["sd"] > 0 else np.nan}  # fmt: skip


def retrospective_change(
    retro: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = None,
    weights: str | None = "ptia",
    ci: float = 0.95,
    participant: str = C.PARTICIPANT_ID,
    cohort: str = C.COHORT_ID,
    months: str = C.MONTHS_AFTER,
) -> pd.DataFrame:
    """Within-person change, now - before, per rater, with a paired-t interval.

    Parameters
    ----------
    retro : DataFrame
        The ``retrospective`` table.
    by : column name(s), optional
        Groups besides the rater (``"months_after"``, ``"cohort_id"``).
    weights : {"ptia", None}, default "ptia"
        As :func:`retrospective_index`.
    ci : float, default 0.95
    participant, cohort, months : str
        Column names.

    Returns
    -------
    DataFrame
        Indexed by ``by`` and ``rater``: ``n, mean_before, mean_now, mean_change,
        sd_change, se, t, df, p, ci_low, ci_high, d_z`` (POMP points, 0-100).

    Raises
    ------
    ParameterError
        As :func:`retrospective_index`; no rows with both ratings.

    Notes
    -----
    A then-test change is the recalled "before" against "now" in one sitting: it avoids
    the response shift of a pretest taken before training (people rate themselves
    against a standard the training changes) but adds recall and effort-justification
    bias (Howard 1980): read it beside a prospective pre-post change where one exists
    (:func:`response_shift`). Validated against R 4 ``t.test(now, before, paired =
    TRUE)`` (``tests/reference/retrospective.R``).

    Examples
    --------
    >>> r = pd.DataFrame({"cohort_id": "A", "participant_id": ["p1", "p2", "p3"],
    ...     "rater": "self", "months_after": 3, "aspect": "implementasi", "item": "i1",
    ...     "rating_before": [1, 2, 2], "rating_now": [3, 3, 4]})
    >>> out = retrospective_change(r).loc["self"]
    >>> round(float(out["mean_change"]), 4), int(out["n"])
    (55.5556, 3)
    """
    func = "retrospective_change"
    level = check_ci(func, ci)
    keys = [] if by is None else ([by] if isinstance(by, str) else list(by))
    idx = retrospective_index(retro, weights=weights, participant=participant, cohort=cohort,
                              months=months)  # fmt: skip
    if idx.empty:
        raise ParameterError(f"{func}: no answer with both a rating before and now")
    extra = [k for k in keys if k not in idx]
    if extra:
        require_columns(func, retro, extra, "retrospective")
        first = retro.drop_duplicates([cohort, participant, months])[
            [cohort, participant, months, *extra]]  # fmt: skip
        idx = idx.merge(first, how="left")
    rows = {}
    for key, g in idx.groupby([*keys, C.RATER], sort=True):
        rows[key] = {"mean_before": float(g["before"].mean()), "mean_now": float(g["now"].mean()),
                     **_paired(g["change"].to_numpy(dtype=float), level)}  # fmt: skip
    out = pd.DataFrame.from_dict(rows, orient="index")
    out = out[["n", "mean_before", "mean_now", "mean_change", "sd_change", "se", "t", "df",
               "p", "ci_low", "ci_high", "d_z"]]  # fmt: skip
    out.index = (pd.MultiIndex.from_tuples(out.index, names=[*keys, C.RATER]) if keys
                 else pd.Index([k[0] if isinstance(k, tuple) else k for k in out.index],
                               name=C.RATER))  # fmt: skip
    return out


def rater_gap(
    retro: pd.DataFrame,
    *,
    weights: str | None = "ptia",
    ci: float = 0.95,
    participant: str = C.PARTICIPANT_ID,
    cohort: str = C.COHORT_ID,
    months: str = C.MONTHS_AFTER,
) -> pd.DataFrame:
    """Supervisor minus self, paired by person and wave: before, now and change.

    Parameters
    ----------
    retro : DataFrame
        The ``retrospective`` table.
    weights : {"ptia", None}, default "ptia"
        As :func:`retrospective_index` (each rater's own PTIA weights).
    ci : float, default 0.95
    participant, cohort, months : str
        Column names.

    Returns
    -------
    DataFrame
        Indexed by ``measure`` (``before, now, change``): ``n`` (people rated by both),
        ``mean_self, mean_supervisor, gap`` (supervisor - self, POMP points), ``sd, se,
        t, df, p, ci_low, ci_high`` (paired t).

    Raises
    ------
    ParameterError
        Fewer than 2 people rated by both.

    Notes
    -----
    Only people with both a self and a supervisor rating at the same wave count.
    Validated against R 4 ``t.test(sup, self, paired = TRUE)``
    (``tests/reference/retrospective.R``).

    Examples
    --------
    >>> r = pd.DataFrame({"cohort_id": "A", "participant_id": ["p1", "p2", "p3"] * 2,
    ...     "rater": ["self"] * 3 + ["supervisor"] * 3, "months_after": 3,
    ...     "aspect": "implementasi", "item": "i1", "rating_before": [2, 2, 1, 2, 1, 1],
    ...     "rating_now": [4, 3, 3, 3, 3, 2]})
    >>> round(float(rater_gap(r).loc["now", "gap"]), 4)
    -22.2222
    """
    func = "rater_gap"
    level = check_ci(func, ci)
    idx = retrospective_index(retro, weights=weights, participant=participant, cohort=cohort,
                              months=months)  # fmt: skip
    wide = idx.pivot_table(index=[cohort, participant, months], columns=C.RATER,
                           values=["before", "now", "change"])  # fmt: skip
    if not {("now", "self"), ("now", "supervisor")} <= set(wide.columns):
        raise ParameterError(f"{func}: needs both self and supervisor ratings")
    rows = {}
    for measure in ("before", "now", "change"):
        pair = wide[[(measure, "self"), (measure, "supervisor")]].dropna()
        if len(pair) < 2:
            raise ParameterError(
                f"{func}: needs at least 2 people rated by both self and supervisor, got {len(pair)}"
            )
        s = _t_summary((pair[(measure, "supervisor")] - pair[(measure, "self")]).to_numpy(), level)
        rows[measure] = {"n": s["n"], "mean_self": float(pair[(measure, "self")].mean()),
                         "mean_supervisor": float(pair[(measure, "supervisor")].mean()),
                         "gap": s["mean"], "sd": s["sd"], "se": s["se"], "t": s["t"],
                         "df": s["df"], "p": s["p"], "ci_low": s["ci_low"],
                         "ci_high": s["ci_high"]}  # fmt: skip
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "measure"
    return out


def response_shift(
    retro: pd.DataFrame,
    followup: pd.DataFrame | None = None,
    *,
    prospective_wave: float = 0,
    rater: str = "self",
    ci: float = 0.95,
    participant: str = C.PARTICIPANT_ID,
    cohort: str = C.COHORT_ID,
    months: str = C.MONTHS_AFTER,
) -> pd.Series:
    """Retrospective "before" minus the prospective rating before training: the response shift.

    Parameters
    ----------
    retro : DataFrame
        The ``retrospective`` table.
    followup : DataFrame, optional
        A ``followup`` table (``item, score, scale_max``) holding a prospective rating at
        ``prospective_wave``; None (default): the pretest is in ``retro`` itself, rows
        at ``prospective_wave`` with only ``rating_now`` (the same questions answered
        before training, 1-4).
    prospective_wave : number, default 0
        The ``months_after`` of the prospective rating made before (or as) training
        began.
    rater : str, default ``"self"``
        Whose ratings are compared.
    ci : float, default 0.95
    participant, cohort, months : str
        Column names.

    Returns
    -------
    pandas.Series
        ``n`` (people with both), ``mean_retrospective, mean_prospective`` (POMP 0-100),
        ``shift`` (their mean difference), ``sd, se, t, df, p, ci_low, ci_high`` (paired
        t), ``common_items`` (1 when the comparison used only items of both
        instruments, 0 when the instruments share none and whole indices were compared).

    Raises
    ------
    ParameterError
        No prospective rating at ``prospective_wave``; fewer than 3 people with both.

    Notes
    -----
    Each person's retrospective "before" is the unweighted POMP mean of the items
    (the latest retrospective wave when there are several), the prospective one the
    POMP mean of the follow-up items at ``prospective_wave`` (``(score - 1) /
    (scale_max - 1) x 100``); both use only the items the two share when they share
    any. A negative shift means people recall their "before" as worse than they rated
    it at the time: after training they judge themselves by a stricter standard (a
    response shift, Howard 1980) or recall selectively; a then-test change is then
    larger than the prospective change by about that much. Validated against R 4
    ``t.test(retro, pro, paired = TRUE)`` (``tests/reference/retrospective.R``).

    Examples
    --------
    >>> r = pd.DataFrame({"cohort_id": "A", "participant_id": ["p1", "p2", "p3"],
    ...     "rater": "self", "months_after": 3, "aspect": "implementasi", "item": "b1",
    ...     "rating_before": [1, 2, 1], "rating_now": [3, 3, 4]})
    >>> f = pd.DataFrame({"cohort_id": "A", "participant_id": ["p1", "p2", "p3"],
    ...     "rater": "self", "months_after": 0, "item": "b1", "score": [2, 3, 2],
    ...     "scale_max": 5})
    >>> round(float(response_shift(r, f)["shift"]), 4)
    -22.2222
    >>> pretest = r.assign(months_after=0, rating_before=None, rating_now=[2, 2, 2])
    >>> round(float(response_shift(pd.concat([r, pretest]))["shift"]), 4)
    -22.2222
    """
    func = "response_shift"
    level = check_ci(func, ci)
    data = _frame(func, retro, [cohort, participant, months, C.RATER, C.ITEM,
                                C.RATING_BEFORE])  # fmt: skip
    if followup is None:
        followup = retro.assign(**{C.SCORE: pd.to_numeric(retro[C.RATING_NOW], errors="coerce"),
                                   C.SCALE_MAX: float(_HIGH)})  # fmt: skip
        followup = followup[followup[C.RATING_BEFORE].isna()]
    require_columns(func, followup, [cohort, participant, months, C.RATER, C.ITEM, C.SCORE,
                                     C.SCALE_MAX], "followup")  # fmt: skip
    wave = pd.to_numeric(followup[months], errors="coerce")
    pro = followup[(wave == prospective_wave) & (followup[C.RATER] == rater)].copy()
    if pro.empty:
        raise ParameterError(
            f"{func}: followup has no {rater!r} rating at {months} = {prospective_wave!r} "
            f"(waves: {sorted(wave.dropna().unique().tolist())})"
        )
    data = data[data[C.RATER] == rater]
    latest = data.groupby([cohort, participant])[months].transform("max")
    data = data[data[months] == latest]
    common = set(map(str, data[C.ITEM])) & set(map(str, pro[C.ITEM]))
    if common:
        data = data[data[C.ITEM].astype(str).isin(common)]
        pro = pro[pro[C.ITEM].astype(str).isin(common)]
    score = pd.to_numeric(pro[C.SCORE], errors="coerce")
    top = pd.to_numeric(pro[C.SCALE_MAX], errors="coerce")
    pro["_p"] = (score - 1.0) / (top - 1.0) * 100.0
    data["_r"] = (data[C.RATING_BEFORE] - _LOW) / (_HIGH - _LOW) * 100.0
    a = data.groupby([cohort, participant])["_r"].mean()
    b = pro.dropna(subset=["_p"]).groupby([cohort, participant])["_p"].mean()
    both = pd.concat([a.rename("r"), b.rename("p")], axis=1, join="inner").dropna()
    if len(both) < 3:
        raise ParameterError(
            f"{func}: needs at least 3 people with both a retrospective and a prospective "
            f"rating, got {len(both)}"
        )
    s = _t_summary((both["r"] - both["p"]).to_numpy(dtype=float), level)
    return pd.Series(
        {"n": s["n"], "mean_retrospective": float(both["r"].mean()),
         "mean_prospective": float(both["p"].mean()), "shift": s["mean"], "sd": s["sd"],
         "se": s["se"], "t": s["t"], "df": s["df"], "p": s["p"], "ci_low": s["ci_low"],
         "ci_high": s["ci_high"], "common_items": float(bool(common))},
        name="response_shift",
    )  # fmt: skip
