"""Figures of the reports: Likert bars, scale scores, pre/post, gain bands, forest plots, trends.

Every function takes tidy data (a processed table or the result of an evalkit
metric function), draws one :class:`matplotlib.figure.Figure` and returns it.
Figures are made without pyplot, so nothing accumulates in global state, and are
:class:`~evalkit.reporting.figure_style.ReportFigure` objects, which a notebook
displays as a PNG (``display(fig)`` or the last expression of a cell) without the
inline backend.

Figures are deterministic: same data, same pixels (no random jitter, fixed
sizes, a fixed ``svg.hashsalt`` and no creation date in saved files). Colours
are colour-blind safe: the categorical palette is Okabe & Ito's (2008), the
diverging Likert palette is ColorBrewer's PuOr (orange for disagreement, purple
for agreement), distinguishable in the common colour-vision deficiencies and in
greyscale by lightness.

Labels follow ``lang`` (``"id"`` default, ``"en"``; checked by
:func:`~evalkit.reporting.terms.check_lang`), with words from
:func:`~evalkit.reporting.terms.term` and numbers formatted by
:mod:`evalkit.reporting.formats`; counts of people follow the small-cell rule of
:mod:`evalkit.reporting.disclosure`. The style and the drawing steps the figures share
are in :mod:`evalkit.reporting.figure_style`, writing files in
:mod:`evalkit.reporting.figure_files`; :func:`to_png`, :func:`save` and the style's
names are importable from here too.

Examples
--------
>>> import pandas as pd
>>> answers = pd.DataFrame({"item": ["a", "a", "b", "b"], "score": [4, 5, 2, 4]})
>>> fig = likert_bars(answers, scale_max=5, lang="en")
>>> len(to_png(fig)) > 1000
True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, NullLocator

from evalkit import constants as C
from evalkit.errors import ParameterError
from evalkit.metrics.learning import hake_band
from evalkit.reporting.disclosure import cell_label, share_is_small, suppressed
from evalkit.reporting.figure_files import save
from evalkit.reporting.figure_style import (
    DPI,
    GREY,
    LABEL_WIDTH,
    PALETTE,
    STYLE,
    ReportFigure,
    count_axis,
    localize_axis,
    new_figure,
    require_columns,
    set_title,
    styled,
    to_png,
    wrap_label,
)
from evalkit.reporting.formats import fmt_num
from evalkit.reporting.terms import check_lang, term

__all__ = [
    "DPI",
    "GREY",
    "LABEL_WIDTH",
    "LIKERT_COLORS",
    "LIKERT_LABELS",
    "PALETTE",
    "STYLE",
    "ReportFigure",
    "category_bars",
    "event_study_plot",
    "forest_plot",
    "gain_band_bars",
    "likert_bars",
    "period_lines",
    "prepost_plot",
    "rater_plot",
    "save",
    "scale_scores_plot",
    "to_png",
    "trend_plot",
    "wrap_label",
]

#: ColorBrewer PuOr, by number of answer levels (disagree -> agree).
LIKERT_COLORS = {
    2: ("#e66101", "#5e3c99"),
    3: ("#e66101", "#d9d9d9", "#5e3c99"),
    4: ("#e66101", "#fdb863", "#b2abd2", "#5e3c99"),
    5: ("#e66101", "#fdb863", "#d9d9d9", "#b2abd2", "#5e3c99"),
    6: ("#b35806", "#f1a340", "#fee0b6", "#d8daeb", "#998ec3", "#542788"),
    7: ("#b35806", "#f1a340", "#fee0b6", "#d9d9d9", "#d8daeb", "#998ec3", "#542788"),
}


#: Labels of the answer levels of common Likert scales, key -> (id, en) per level.
LIKERT_LABELS = {
    5: (
        ("Sangat tidak setuju", "Tidak setuju", "Netral", "Setuju", "Sangat setuju"),
        ("Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"),
    ),
    4: (
        ("Tidak baik", "Kurang baik", "Baik", "Sangat baik"),
        ("Very poor", "Poor", "Good", "Very good"),
    ),
}


@styled
def likert_bars(
    answers: pd.DataFrame,
    *,
    scale_max: int | None = None,
    lang: str = "id",
    by: str = C.ITEM,
    score: str = C.SCORE,
    labels: Mapping[Any, str] | None = None,
    title: str | None = None,
    min_cell: int = C.MIN_CELL_SIZE,
) -> Figure:
    """Diverging stacked bars of Likert answers, one bar per item (or dimension).

    Disagreement extends left of zero and agreement right; a neutral middle answer
    is split half and half around zero (Heiberger & Robbins 2014). Bars are sorted
    by their share of agreement. A segment of at least 8% prints its percentage,
    unless it stands for fewer than ``min_cell`` answers or for all of the bar's
    answers but fewer than ``min_cell`` (the rule of the top-two-box share in the
    tables, :func:`~evalkit.reporting.disclosure.share_is_small`).

    Parameters
    ----------
    answers : DataFrame
        Long answers: one row per person x item, with ``by`` and ``score`` columns
        (the processed ``reaction`` table).
    scale_max : int, optional
        Number of answer levels (1..scale_max); default: the ``scale_max`` column,
        else the largest score.
    lang : {"id", "en"}
    by : str
        Column naming the bars (``"item"`` or ``"dimension"``).
    score : str
        Column of the answer (1..scale_max; reverse-keyed items already reversed).
    labels : mapping, optional
        Display label of each bar (e.g. item -> question text).
    title : str, optional
    min_cell : int
        Fewest answers on each side of a segment for its percentage to be printed
        (default :data:`evalkit.constants.MIN_CELL_SIZE`).

    Returns
    -------
    Figure

    Examples
    --------
    >>> answers = pd.DataFrame({"item": ["a"] * 20, "score": [5] * 12 + [4] * 4 + [2] * 4})
    >>> [t.get_text() for t in likert_bars(answers, scale_max=5).axes[0].texts]  # 4 of 20: none
    ['60']
    >>> [t.get_text() for t in likert_bars(answers, scale_max=5, min_cell=4).axes[0].texts]
    ['20', '20', '60']
    """
    i = check_lang(lang, "likert_bars")
    require_columns(answers, [by, score], "likert_bars")
    if scale_max is None:
        if C.SCALE_MAX in answers.columns and answers[C.SCALE_MAX].notna().any():
            scale_max = int(answers[C.SCALE_MAX].max())
        else:
            scale_max = int(np.nanmax(answers[score]))
    if scale_max not in LIKERT_COLORS:
        raise ParameterError(f"likert_bars: parameter 'scale_max' must be 2..7, got {scale_max!r}")
    levels = list(range(1, scale_max + 1))
    scores = answers[score].round()
    counts = pd.crosstab(answers[by], scores).reindex(columns=levels, fill_value=0)
    share = counts.div(counts.sum(axis=1), axis=0).fillna(0) * 100
    mid = (scale_max + 1) / 2
    agree = share[[lv for lv in levels if lv > mid]].sum(axis=1)
    share = share.loc[agree.sort_values(kind="stable").index]
    counts = counts.loc[share.index]
    total = counts.sum(axis=1).to_numpy()

    names = [wrap_label(str((labels or {}).get(k, term(str(k), lang)))) for k in share.index]
    extra_lines = sum(n.count("\n") for n in names)
    fig, ax = new_figure(8.0, 0.9 + 0.38 * len(share) + 0.16 * extra_lines)
    colors = LIKERT_COLORS[scale_max]
    left = -share[[lv for lv in levels if lv < mid]].sum(axis=1)
    if scale_max % 2:
        left = left - share[mid] / 2
    y = np.arange(len(share))
    level_names = LIKERT_LABELS.get(scale_max, (None, None))[i] or [str(v) for v in levels]
    for level, color, name in zip(levels, colors, level_names, strict=True):
        width = share[level].to_numpy()
        # no number on a segment of fewer than min_cell answers, or of all but fewer
        small = share_is_small(pd.Series(width / 100), total, min_cell=min_cell).to_numpy()
        ax.barh(
            y,
            width,
            left=left.to_numpy(),
            color=color,
            label=name,
            height=0.7,
            edgecolor="white",
            linewidth=0.5,
        )
        for yy, ll, ww, hide in zip(y, left.to_numpy(), width, small, strict=True):
            if ww >= 8 and not hide:
                ax.text(
                    ll + ww / 2,
                    yy,
                    fmt_num(ww, 0, lang),
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="white" if color in (colors[0], colors[-1]) else "black",
                )
        left = left + share[level]
    ax.set_yticks(y, names, fontsize=9)
    ax.axvline(0, color=GREY, linewidth=0.8)
    limit = max(100.0, float(np.abs(ax.get_xlim()).max()))
    ax.set_xlim(-limit, limit)
    ticks = np.arange(-100, 101, 25)
    ax.set_xticks(ticks, [f"{abs(t)}%" for t in ticks])
    ax.set_xlabel("Persentase jawaban" if i == 0 else "Share of answers")
    fig.legend(
        *ax.get_legend_handles_labels(),
        ncols=scale_max,
        loc="outside lower center",
        fontsize=8,
        handlelength=1,
        columnspacing=1,
        frameon=False,
    )
    if title:
        set_title(fig, ax, title)
    return fig


@styled
def scale_scores_plot(
    scores: pd.DataFrame,
    *,
    scale_max: float | None = None,
    lang: str = "id",
    reference: float | None = None,
    title: str | None = None,
) -> Figure:
    """Mean score of each dimension with its confidence interval (dot and whisker).

    Parameters
    ----------
    scores : DataFrame
        Indexed by dimension (or any label), columns ``mean``, ``ci_low``, ``ci_high``
        (the result of :func:`evalkit.scale_scores`).
    scale_max : float, optional
        Top of the answer scale; the axis then spans 1..scale_max.
    lang : {"id", "en"}
    reference : float, optional
        A vertical reference line (e.g. a target score).
    title : str, optional
    """
    i = check_lang(lang, "scale_scores_plot")
    require_columns(scores, ["mean", "ci_low", "ci_high"], "scale_scores_plot")
    data = scores.dropna(subset=["mean"]).sort_values("mean", kind="stable")
    fig, ax = new_figure(7.0, 0.9 + 0.42 * max(len(data), 1))
    y = np.arange(len(data))
    ax.hlines(y, data["ci_low"], data["ci_high"], color=PALETTE[0], linewidth=2)
    ax.plot(data["mean"], y, "o", color=PALETTE[0], markersize=7)
    for yy, m, hi in zip(y, data["mean"], data["ci_high"], strict=True):
        ax.text(hi, yy + 0.18, " " + fmt_num(m, 2, lang), va="bottom", fontsize=8)
    ax.set_yticks(y, [term(str(k), lang) for k in data.index])
    if scale_max is not None:
        ax.set_xlim(1, scale_max)
    if reference is not None:
        ax.axvline(reference, color=GREY, linestyle="--", linewidth=0.8)
    ax.set_xlabel("Rerata skor (IK 95%)" if i == 0 else "Mean score (95% CI)")
    localize_axis(ax, lang, "x")
    ax.grid(axis="x", color="#e5e5e5", linewidth=0.6)
    ax.set_axisbelow(True)
    if title:
        set_title(fig, ax, title)
    return fig


@styled
def prepost_plot(
    scores: pd.DataFrame,
    *,
    pre: str = C.PRE,
    post: str = C.POST,
    max_score: float | None = None,
    lang: str = "id",
    title: str | None = None,
) -> Figure:
    """Paired pre/post plot: one grey line per person, the means in colour.

    People without both scores are left out (as in the paired analysis). Lines are
    drawn in the order of the data, with no jitter, so the figure is deterministic.

    Parameters
    ----------
    scores : DataFrame
        One row per person, columns ``pre`` and ``post`` (the processed ``learning``
        table of one cohort).
    max_score : float, optional
        Top of the score scale (axis limit).
    lang : {"id", "en"}
    title : str, optional
    """
    i = check_lang(lang, "prepost_plot")
    require_columns(scores, [pre, post], "prepost_plot")
    paired = scores[[pre, post]].dropna()
    fig, ax = new_figure(5.5, 4.2)
    x = np.array([0.0, 1.0])
    for a, b in paired.to_numpy():
        color = PALETTE[0] if b >= a else PALETTE[5]
        ax.plot(x, [a, b], color=color, alpha=0.35, linewidth=1)
    values = paired[[pre, post]].to_numpy()
    ax.plot(
        np.repeat(x[None, :], len(values), axis=0).ravel(),
        values.ravel(),
        "o",
        color=GREY,
        alpha=0.5,
        markersize=3,
    )
    means = paired.mean()
    ax.plot(
        x,
        [means[pre], means[post]],
        "-o",
        color="black",
        linewidth=2.5,
        markersize=8,
        label=term("mean", lang),
    )
    for xx, m in zip(x, (means[pre], means[post]), strict=True):
        ax.annotate(
            fmt_num(m, 1, lang),
            (xx, m),
            textcoords="offset points",
            xytext=(-28 if xx == 0 else 10, 0),
            va="center",
            fontsize=9,
        )
    ax.set_xticks(x, [term("pre", lang), term("post", lang)])
    ax.set_xlim(-0.4, 1.4)
    if max_score is not None:
        ax.set_ylim(0, max_score)
    scale = f" (0-{fmt_num(max_score, 0, lang)})" if max_score is not None else ""
    ax.set_ylabel(term("score", lang) + scale)
    localize_axis(ax, lang, "y")
    ax.legend(loc="lower right")
    up, down = int((paired[post] > paired[pre]).sum()), int((paired[post] < paired[pre]).sum())
    same = len(paired) - up - down
    note = (
        f"n = {len(paired)}; naik {up}, tetap {same}, turun {down}"
        if i == 0
        else f"n = {len(paired)}; rose {up}, unchanged {same}, fell {down}"
    )
    ax.set_title(title or note, fontweight="bold" if title else "normal")
    return fig


@styled
def gain_band_bars(
    gains: pd.Series | Sequence[float],
    *,
    lang: str = "id",
    title: str | None = None,
) -> Figure:
    """Number of people in each Hake (1998) normalised-gain band (low, medium, high).

    People are banded by :func:`evalkit.hake_band`; the tick labels give its
    thresholds (:data:`evalkit.constants.HAKE_BANDS`).

    Parameters
    ----------
    gains : Series or sequence of float
        Per-person normalised gain (:func:`evalkit.normalized_gain`); NaN is left out.
    lang : {"id", "en"}
    title : str, optional
    """
    i = check_lang(lang, "gain_band_bars")
    g = pd.Series(gains, dtype="float64").dropna()
    ordered = sorted(C.HAKE_BANDS)  # low, medium, high by lower bound
    bands = [label for _, label in ordered]
    edges = [lower for lower, _ in ordered if np.isfinite(lower)]
    per_band = hake_band(g).value_counts()
    counts = {band: int(per_band.get(band, 0)) for band in bands}
    fig, ax = new_figure(5.5, 3.2)
    x = np.arange(len(bands))
    colors = (PALETTE[5], PALETTE[1], PALETTE[2])
    ax.bar(x, [counts[b] for b in bands], color=colors, width=0.6)
    total = max(len(g), 1)
    for xx, b in zip(x, bands, strict=True):
        ax.text(
            xx,
            counts[b],
            f"{counts[b]} ({fmt_num(100 * counts[b] / total, 0, lang)}%)",
            ha="center",
            va="bottom",
            fontsize=9,
        )
    ranges = [
        f"g < {fmt_num(edges[0], 1, lang)}",
        f"{fmt_num(edges[0], 1, lang)} ≤ g < {fmt_num(edges[1], 1, lang)}",
        f"g ≥ {fmt_num(edges[1], 1, lang)}",
    ]
    ax.set_xticks(
        x, [f"{term(b, lang).capitalize()}\n{r}" for b, r in zip(bands, ranges, strict=True)]
    )
    ax.set_ylabel("Jumlah peserta" if i == 0 else "Participants")
    ax.set_ylim(0, max(counts.values(), default=0) * 1.25 + 1)
    count_axis(ax, "y")
    note = f"n = {len(g)}"
    ax.set_title(
        title
        or (f"Gain ternormalisasi (Hake), {note}" if i == 0 else f"Normalised gain (Hake), {note}")
    )
    return fig


@styled
def forest_plot(
    estimates: pd.DataFrame,
    *,
    estimate: str = "mean_diff",
    ci_low: str = "ci_low",
    ci_high: str = "ci_high",
    lang: str = "id",
    xlabel: str | None = None,
    reference: float | None = 0.0,
    pooled: float | None = None,
    n: str | None = None,
    title: str | None = None,
) -> Figure:
    """Forest plot: one estimate with its CI per row (e.g. the gain of each cohort).

    Parameters
    ----------
    estimates : DataFrame
        Indexed by label (e.g. cohort), with the estimate and CI columns.
    estimate, ci_low, ci_high : str
        Column names.
    lang : {"id", "en"}
    xlabel : str, optional
    reference : float or None
        Vertical line of no effect (default 0).
    pooled : float, optional
        A dashed line at an overall estimate.
    n : str, optional
        Column of each row's number of people, printed after its label ("(n = 24)").
    title : str, optional
    """
    check_lang(lang, "forest_plot")
    require_columns(estimates, [estimate, ci_low, ci_high] + ([n] if n else []), "forest_plot")
    data = estimates.iloc[::-1]
    fig, ax = new_figure(7.0, 1.0 + 0.36 * max(len(data), 1))
    y = np.arange(len(data))
    ax.hlines(y, data[ci_low], data[ci_high], color=PALETTE[0], linewidth=1.8)
    ax.plot(data[estimate], y, "s", color=PALETTE[0], markersize=6)
    names = [term(str(k), lang) for k in data.index]
    if n:
        names = [f"{k} (n = {fmt_num(v, 0, lang)})" for k, v in zip(names, data[n], strict=True)]
    ax.set_yticks(y, names)
    localize_axis(ax, lang, "x")
    ax.grid(axis="x", color="#e5e5e5", linewidth=0.6)
    ax.set_axisbelow(True)
    if reference is not None:
        ax.axvline(reference, color=GREY, linewidth=0.8)
    if pooled is not None:
        ax.axvline(pooled, color=PALETTE[5], linestyle="--", linewidth=1)
    if xlabel:
        ax.set_xlabel(xlabel)
    if title:
        set_title(fig, ax, title)
    return fig


@styled
def category_bars(
    counts: pd.Series,
    *,
    lang: str = "id",
    order: Sequence[str] | None = None,
    min_cell: int | None = None,
    xlabel: str | None = None,
    title: str | None = None,
) -> Figure:
    """Horizontal bars of counts per category (e.g. change-project status).

    Parameters
    ----------
    counts : Series
        Count per category of people (index: category key, translated with
        :func:`term`).
    order : sequence of str, optional
        Category order, top to bottom.
    min_cell : int, optional
        Suppress small cells as :func:`evalkit.reporting.tables.count_table` does: a
        category under ``min_cell`` people (and, when it is the only one, the next
        smallest) gets no bar and reads "< 5" (or "≥ 5"); categories with no one are
        left as 0. Pass :data:`evalkit.constants.MIN_CELL_SIZE` in shared reports.
    """
    check_lang(lang, "category_bars")
    data = counts.reindex(order).fillna(0) if order is not None else counts
    data = data.iloc[::-1]
    hidden = pd.Series(False, index=data.index)
    small = hidden.copy()
    if min_cell is not None:
        present = data[data > 0]
        small_p, hidden_p = suppressed(present, min_cell=min_cell)
        small.loc[present.index], hidden.loc[present.index] = small_p, hidden_p
    fig, ax = new_figure(6.0, 0.9 + 0.4 * max(len(data), 1))
    y = np.arange(len(data))
    widths = data.where(~hidden, 0).to_numpy(dtype=float)
    ax.barh(y, widths, color=PALETTE[0], height=0.6)
    total = max(float(data.sum()), 1.0)
    for yy, v, h, sm in zip(y, data.to_numpy(), hidden, small, strict=True):
        if h:
            label = " " + cell_label(bool(sm), min_cell=min_cell)
        else:
            label = f" {v:g} ({fmt_num(100 * v / total, 0, lang)}%)"
        ax.text(widths[yy], yy, label, va="center", fontsize=9)
    ax.set_yticks(y, [wrap_label(term(str(k), lang)) for k in data.index])
    ax.set_xlim(0, float(data.max()) * 1.3 + 1)
    count_axis(ax, "x")
    if xlabel:
        ax.set_xlabel(xlabel)
    if title:
        set_title(fig, ax, title)
    return fig


@styled
def period_lines(
    data: pd.DataFrame,
    *,
    x: str,
    y: str,
    group: str,
    lang: str = "id",
    labels: Mapping[Any, str] | None = None,
    marker_line: float | None = None,
    xticklabels: Mapping[Any, str] | None = None,
    xlabel: str | None = None,
    ylabel: str | None = None,
    title: str | None = None,
) -> Figure:
    """Lines of a mean outcome over periods, one per group (parallel-trends plot).

    Parameters
    ----------
    data : DataFrame
        One row per group x period with the (already aggregated) outcome ``y``.
    x, y, group : str
        Columns of the period (ordered), the outcome and the group.
    labels : mapping, optional
        Display label of each group.
    marker_line : float, optional
        A vertical dashed line (e.g. between the last period before and the first
        after the intervention).
    xticklabels : mapping, optional
        Name of each period on the x axis (e.g. period index -> ``"2024-S1"``).
    xlabel, ylabel, title : str, optional
    """
    check_lang(lang, "period_lines")
    require_columns(data, [x, y, group], "period_lines")
    fig, ax = new_figure(7.0, 4.0)
    for (key, part), color in zip(data.groupby(group, sort=True), PALETTE, strict=False):
        part = part.sort_values(x)
        ax.plot(part[x], part[y], "-o", color=color, label=(labels or {}).get(key, str(key)))
    if marker_line is not None:
        ax.axvline(marker_line, color=GREY, linestyle="--", linewidth=0.8)
    if xticklabels is not None:
        ticks = sorted(data[x].unique())
        ax.set_xticks(ticks, [str(xticklabels.get(t, t)) for t in ticks])
    localize_axis(ax, lang, "y")
    ax.grid(axis="y", color="#e5e5e5", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.legend()
    if xlabel:
        ax.set_xlabel(xlabel)
    if ylabel:
        ax.set_ylabel(ylabel)
    if title:
        set_title(fig, ax, title)
    return fig


@styled
def event_study_plot(
    estimates: pd.DataFrame,
    *,
    labels: Mapping[Any, str] | None = None,
    first_post: Any = None,
    lang: str = "id",
    ylabel: str | None = None,
    title: str | None = None,
    baseline: float = 0.0,
    log: bool = False,
) -> Figure:
    """Treated-minus-comparison difference per period with its CI (event study).

    Before the intervention the differences should hover around the reference
    period's (parallel trends); after it they show the effect.

    Parameters
    ----------
    estimates : DataFrame
        Indexed by period (ordered), with ``estimate``, ``ci_low``, ``ci_high``
        (:func:`evalkit.metrics.impact.event_study`); the reference period has NaN.
    labels : mapping, optional
        Display label of each period (e.g. period index -> ``"2024-S1"``).
    first_post : optional
        The first period after the intervention (a dashed line before it).
    baseline : float, default 0
        The value of "no difference" (1 for rate ratios), drawn as a grey line; the
        reference period sits on it.
    log : bool, default False
        A logarithmic y axis (for rate ratios, so 0.5 and 2 lie equally far from 1).
    """
    i = check_lang(lang, "event_study_plot")
    require_columns(estimates, ["estimate", "ci_low", "ci_high"], "event_study_plot")
    fig, ax = new_figure(7.0, 4.0)
    x = np.arange(len(estimates))
    est = estimates["estimate"].to_numpy(dtype=float)
    low = estimates["ci_low"].to_numpy(dtype=float)
    high = estimates["ci_high"].to_numpy(dtype=float)
    reference = np.isnan(low)
    ax.axhline(baseline, color=GREY, linewidth=0.8)
    if log:
        ax.set_yscale("log")
    ax.vlines(x[~reference], low[~reference], high[~reference], color=PALETTE[0], linewidth=2)
    ax.plot(x[~reference], est[~reference], "o", color=PALETTE[0], markersize=7)
    at = np.where(np.isnan(est[reference]), baseline, est[reference])
    ax.plot(x[reference], at, "o", mfc="white", color=PALETTE[0], markersize=7,
            label="referensi" if i == 0 else "reference")  # fmt: skip
    names = [str((labels or {}).get(k, k)) for k in estimates.index]
    ax.set_xticks(x, names)
    if first_post is not None and first_post in list(estimates.index):
        ax.axvline(list(estimates.index).index(first_post) - 0.5, color=GREY, linestyle="--")
    if log:  # rate ratios: ticks at 0.1, 0.2, 0.5, 1, 2, ... within the drawn range
        lo_y, hi_y = ax.get_ylim()
        ticks = [t for t in (0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10) if lo_y <= t <= hi_y]
        ax.yaxis.set_minor_locator(NullLocator())
        ax.set_yticks(ticks)
        ax.yaxis.set_major_formatter(
            FuncFormatter(lambda v, _: fmt_num(v, 0 if v >= 1 else (1 if v >= 0.1 else 2), lang))
        )
    ax.set_ylabel(ylabel or ("Selisih terlatih − pembanding" if i == 0 else "Trained − comparison"))
    ax.set_xlabel(term("period", lang))
    if not log:
        localize_axis(ax, lang, "y")
    ax.legend(loc="best" if log else "upper left")
    if title:
        set_title(fig, ax, title)
    return fig


@styled
def trend_plot(
    points: pd.DataFrame,
    *,
    x: str,
    estimate: str,
    ci_low: str = "ci_low",
    ci_high: str = "ci_high",
    group: str | None = None,
    summary: pd.DataFrame | None = None,
    lang: str = "id",
    reference: float | None = None,
    ylabel: str | None = None,
    title: str | None = None,
) -> Figure:
    """An estimate over time: one point with its CI per unit of time (e.g. per cohort).

    Parameters
    ----------
    points : DataFrame
        One row per point (e.g. cohort) with the date ``x``, the ``estimate`` and its
        CI; optionally a ``group`` column (e.g. program) that sets the marker colour
        and shape (colour-blind safe, and distinguishable in greyscale by shape).
    x : str
        Column of the date (datetime or date).
    estimate, ci_low, ci_high : str
        Columns of the estimate and its CI.
    summary : DataFrame, optional
        Estimates per year (index: year), with the same estimate and CI columns and
        ``n``; drawn as a black line through the middle of each year with a grey CI
        band, and the year's n written above it.
    reference : float, optional
        A horizontal reference line (e.g. 0 for no gain).
    ylabel, title : str, optional

    Examples
    --------
    >>> pts = pd.DataFrame({"start": pd.to_datetime(["2023-03-01", "2024-05-01"]),
    ...     "mean_diff": [8.0, 11.0], "ci_low": [6.0, 9.0], "ci_high": [10.0, 13.0]})
    >>> fig = trend_plot(pts, x="start", estimate="mean_diff", lang="en")
    >>> len(fig.axes[0].lines) >= 1
    True
    """
    i = check_lang(lang, "trend_plot")
    require_columns(
        points, [x, estimate, ci_low, ci_high] + ([group] if group else []), "trend_plot"
    )
    data = points.assign(_x=pd.to_datetime(points[x])).sort_values("_x", kind="stable")
    fig, ax = new_figure(8.0, 4.2)
    if summary is not None:
        require_columns(summary, [estimate, ci_low, ci_high, "n"], "trend_plot")
        mid = pd.to_datetime([f"{int(year)}-07-01" for year in summary.index])
        ax.fill_between(mid, summary[ci_low], summary[ci_high], color="#d9d9d9", alpha=0.7,
                        linewidth=0, label=("IK 95% tahunan" if i == 0 else "95% CI by year"))  # fmt: skip
        ax.plot(mid, summary[estimate], "-", color="black", linewidth=2,
                label=("Rerata per tahun" if i == 0 else "Yearly estimate"))  # fmt: skip
        for xx, n in zip(mid, summary["n"], strict=True):
            ax.text(xx, 1.0, f"n = {fmt_num(n, 0, lang)}", transform=ax.get_xaxis_transform(),
                    ha="center", va="bottom", fontsize=8, color="#404040")  # fmt: skip
    markers = ("o", "s", "^", "D", "v", "P", "X")
    groups = [(None, data)] if group is None else list(data.groupby(group, sort=True))
    for k, (key, part) in enumerate(groups):
        color = PALETTE[k % len(PALETTE)]
        ax.vlines(part["_x"], part[ci_low], part[ci_high], color=color, linewidth=1.5, alpha=0.8)
        ax.plot(part["_x"], part[estimate], markers[k % len(markers)], color=color,
                markersize=6, label=None if key is None else term(str(key), lang))  # fmt: skip
    if reference is not None:
        ax.axhline(reference, color=GREY, linewidth=0.8)
    import matplotlib.dates as mdates

    first, last = int(data["_x"].dt.year.min()), int(data["_x"].dt.year.max())
    if summary is not None and len(summary):
        first, last = min(first, int(min(summary.index))), max(last, int(max(summary.index)))
    ax.set_xlim(pd.Timestamp(f"{first}-01-01"), pd.Timestamp(f"{last + 1}-01-01"))
    # year boundaries as grid lines, the year's label in the middle of its span
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter(""))
    ax.xaxis.set_minor_locator(mdates.MonthLocator(bymonth=7, bymonthday=1))
    ax.xaxis.set_minor_formatter(mdates.DateFormatter("%Y"))
    ax.tick_params(axis="x", which="minor", length=0)
    ax.grid(axis="x", which="major", color="#bdbdbd", linewidth=0.8)
    ax.set_xlabel("Tanggal mulai angkatan" if i == 0 else "Cohort start date")
    localize_axis(ax, lang, "y")
    ax.grid(axis="y", color="#e5e5e5", linewidth=0.6)
    ax.set_axisbelow(True)
    if ax.get_legend_handles_labels()[0]:
        fig.legend(*ax.get_legend_handles_labels(), loc="outside right upper", fontsize=8)
    if ylabel:
        ax.set_ylabel(ylabel)
    if title:
        set_title(fig, ax, title)
    return fig


@styled
def rater_plot(
    transfer: pd.DataFrame,
    *,
    lang: str = "id",
    min_cell: int = C.MIN_CELL_SIZE,
    title: str | None = None,
) -> Figure:
    """Self against supervisor: each rater's transfer index per follow-up wave (a dumbbell).

    Parameters
    ----------
    transfer : DataFrame
        :func:`evalkit.transfer_index` with ``by="months_after"``: indexed by the wave,
        with ``index_self``, ``index_supervisor``, ``n_self`` and ``n_supervisor``.
    lang : {"id", "en"}
    min_cell : int
        A rater who rated fewer people in a wave is not drawn (its label says "< 5").
    title : str, optional
        Default: "Indeks transfer menurut penilai" / "Transfer index by rater".

    Examples
    --------
    >>> transfer = pd.DataFrame({"index_self": [72.0, 70.0], "index_supervisor": [61.0, 64.0],
    ...     "n_self": [18, 16], "n_supervisor": [12, 3]}, index=pd.Index([3, 6], name="months_after"))
    >>> fig = rater_plot(transfer, lang="en")
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['6 months (self n = 16, supervisor < 5)', '3 months (self n = 18, supervisor n = 12)']
    """
    i = check_lang(lang, "rater_plot")
    columns = ["index_self", "index_supervisor", "n_self", "n_supervisor"]
    require_columns(transfer, columns, "rater_plot")
    data = transfer.sort_index(ascending=False)
    fig, ax = new_figure(7.0, 1.4 + 0.5 * max(len(data), 1))
    raters = (("self", PALETTE[0], "o"), ("supervisor", PALETTE[1], "s"))
    labels, in_legend = [], set()
    for y, (wave, row) in enumerate(data.iterrows()):
        shown = {r: row[f"n_{r}"] >= min_cell and pd.notna(row[f"index_{r}"]) for r, _, _ in raters}
        if all(shown.values()):
            ax.plot([row["index_self"], row["index_supervisor"]], [y, y], color=GREY, linewidth=1.5)
        parts = []
        for rater, colour, marker in raters:
            word = term(rater, lang).lower()
            if shown[rater]:
                first = rater not in in_legend
                in_legend.add(rater)
                ax.plot(row[f"index_{rater}"], y, marker, color=colour, markersize=8,
                        label=term(rater, lang) if first else None)  # fmt: skip
                parts.append(f"{word} n = {fmt_num(row[f'n_{rater}'], 0, lang)}")
            else:
                parts.append(f"{word} {cell_label(min_cell=min_cell)}")
        months = ("bulan", "months")[i]
        labels.append(f"{wave} {months} ({', '.join(parts)})")
    ax.set_yticks(np.arange(len(data)), labels)
    ax.set_ylim(-0.6, len(data) - 0.4)
    ax.set_xlim(0, 100)
    localize_axis(ax, lang, "x")
    ax.grid(axis="x", color="#e5e5e5", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.set_xlabel(("Indeks transfer (% skor maksimum)", "Transfer index (% of maximum)")[i])
    if in_legend:
        ax.legend(loc="lower left", frameon=False)
    set_title(fig, ax, title or ("Indeks transfer menurut penilai", "Transfer index by rater")[i])
    return fig
