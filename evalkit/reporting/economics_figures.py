"""Figures of Level 5 (costs and ROI): cost items per cohort, BCR intervals.

:func:`cost_roi_plot` draws one cohort's cost by kind beside its BCR with the bootstrap
interval against break-even (ROI on the top axis), titled by :func:`cost_roi_title`.

:func:`cost_items_plot` draws each cohort's fully loaded cost as one horizontal bar
stacked by kind (cash, participant time, other; from :func:`evalkit.cost_items`).
:func:`roi_interval_plot` draws the BCR of cohorts, programs or the portfolio with its
bootstrap interval (:func:`evalkit.roi_bootstrap`) against the break-even line at 1.

Examples
--------
>>> import pandas as pd
>>> items = pd.DataFrame({"cash": [6e6, 4e6], "participant_time": [3e6, 5e6],
...                       "other": [0.0, 1e6]}, index=pd.Index(["A", "B"], name="cohort_id"))
>>> cost_items_plot(items, lang="en").axes[0].get_xlabel()
'Cost (million IDR)'
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from evalkit.errors import ParameterError
from evalkit.reporting.figure_style import (
    DPI,
    GREY,
    PALETTE,
    ReportFigure,
    localize_axis,
    new_figure,
    require_columns,
    set_title,
    styled,
    wrap_label,
)
from evalkit.reporting.terms import check_lang, term

__all__ = ["cost_items_plot", "cost_roi_plot", "cost_roi_title", "roi_interval_plot"]

#: Kind of cost -> (term key, colour).
_KINDS = {
    "cash": ("cash", PALETTE[0]),
    "participant_time": ("participant_time", PALETTE[1]),
    "other": ("cost_other", PALETTE[2]),
}


def _label(text: str) -> str:
    """A legend label without the unit in brackets (the axis says it)."""
    return text.split(" (")[0]


@styled
def cost_items_plot(items: pd.DataFrame, *, lang: str = "id", title: str | None = None) -> Figure:
    """Stacked horizontal bars: each cohort's cost by kind, in millions of rupiah.

    Parameters
    ----------
    items : DataFrame
        :func:`evalkit.cost_items` per cohort (columns ``cash``, ``participant_time``,
        ``other``; index: cohort).
    lang : {"id", "en"}
    title : str, optional

    Returns
    -------
    Figure
        One bar per cohort (top to bottom in the order of ``items``); a kind with no
        cost anywhere is left out of the legend.
    """
    check_lang(lang, "cost_items_plot")
    require_columns(items, list(_KINDS), "cost_items_plot")
    data = items.iloc[::-1]
    fig, ax = new_figure(6.5, 1.2 + 0.35 * max(len(data), 1))
    y = np.arange(len(data))
    left = np.zeros(len(data))
    for kind, (key, colour) in _KINDS.items():
        width = data[kind].to_numpy(dtype=float) / 1e6
        if not (width > 0).any():
            continue
        ax.barh(y, width, left=left, color=colour, height=0.6, label=_label(term(key, lang)))
        left += width
    ax.set_yticks(y, [wrap_label(str(k)) for k in data.index])
    ax.set_xlabel("Biaya (juta Rp)" if lang == "id" else "Cost (million IDR)")
    localize_axis(ax, lang, "x")
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, fontsize=9)
    if title:
        set_title(fig, ax, title)
    return fig


@styled
def roi_interval_plot(
    returns: pd.DataFrame, *, lang: str = "id", title: str | None = None
) -> Figure:
    """BCR with its bootstrap interval per group, against the break-even line (BCR = 1).

    Parameters
    ----------
    returns : DataFrame
        :func:`evalkit.roi_bootstrap` with ``by=`` (columns ``bcr``, ``bcr_ci_low``,
        ``bcr_ci_high``; index: cohort, program, ...).
    lang : {"id", "en"}
    title : str, optional

    Examples
    --------
    >>> r = pd.DataFrame({"bcr": [1.2, 0.4], "bcr_ci_low": [0.8, 0.3],
    ...                   "bcr_ci_high": [1.7, 0.5]}, index=["A", "B"])
    >>> roi_interval_plot(r, lang="en").axes[0].get_xlabel()
    'BCR (benefits / costs), 95% CI'
    """
    check_lang(lang, "roi_interval_plot")
    require_columns(returns, ["bcr", "bcr_ci_low", "bcr_ci_high"], "roi_interval_plot")
    data = returns.iloc[::-1]
    fig, ax = new_figure(6.5, 1.0 + 0.35 * max(len(data), 1))
    y = np.arange(len(data))
    bcr = data["bcr"].to_numpy(dtype=float)
    low = data["bcr_ci_low"].to_numpy(dtype=float)
    high = data["bcr_ci_high"].to_numpy(dtype=float)
    ax.axvline(1.0, color=GREY, linestyle="--", linewidth=1)
    ax.errorbar(bcr, y, xerr=[bcr - low, high - bcr], fmt="o", color=PALETTE[0], capsize=3)
    ax.set_yticks(y, [wrap_label(str(k)) for k in data.index])
    ax.set_xlabel(
        "BCR (manfaat / biaya), IK 95%" if lang == "id" else "BCR (benefits / costs), 95% CI"
    )
    ax.set_xlim(0, max(1.2, float(np.nanmax(high)) * 1.05) if len(data) else 2)
    localize_axis(ax, lang, "x")
    if title:
        set_title(fig, ax, title)
    return fig


def _one_row(frame: pd.DataFrame | pd.Series | None) -> pd.Series | None:
    """The single row of a one-cohort result (a Series or a one-row frame)."""
    if frame is None:
        return None
    if isinstance(frame, pd.Series):
        return frame
    return frame.iloc[0] if len(frame) else None


def cost_roi_title(
    items: pd.DataFrame | pd.Series,
    interval: pd.DataFrame | pd.Series | None = None,
    *,
    lang: str = "id",
) -> str:
    """The title of :func:`cost_roi_plot`, which is also its text alternative.

    The total cost with the share of each kind, then the BCR with its 95% CI, its ROI
    and the break-even verdict of :func:`evalkit.metrics.roi_uncertainty.break_even`.

    Examples
    --------
    >>> items = pd.Series({"cash": 122.25e6, "participant_time": 70.4e6, "other": 0.0})
    >>> interval = pd.Series({"bcr": 0.2304, "bcr_ci_low": 0.158, "bcr_ci_high": 0.315,
    ...                       "roi_pct": -76.96, "break_even": "below"})
    >>> print(cost_roi_title(items, interval, lang="en"))
    Cost IDR 192.7 million: cash 63%, participant time 37%. BCR 0.23 (95% CI 0.16 to 0.32), ROI −77%: below break-even
    >>> print(cost_roi_title(items, lang="id"))
    Biaya Rp192,7 juta: biaya tunai 63%, waktu peserta 37%
    """
    from evalkit.reporting.formats import fmt_num

    i = check_lang(lang, "cost_roi_title")
    row = _one_row(items)
    require_columns(pd.DataFrame([row]), list(_KINDS), "cost_roi_title")
    total = float(sum(float(row[k]) for k in _KINDS))
    shares = [
        f"{_label(term(key, lang)).lower()} {fmt_num(100 * float(row[kind]) / total, 0, lang)}%"
        for kind, (key, _) in _KINDS.items()
        if total > 0 and float(row[kind]) > 0
    ]
    amount = fmt_num(total / 1e6, 1, lang)
    money = (f"Rp{amount} juta", f"IDR {amount} million")[i]
    text = (f"Biaya {money}", f"Cost {money}")[i] + (": " + ", ".join(shares) if shares else "")
    roi = _one_row(interval)
    if roi is not None and pd.notna(roi.get("bcr")):
        to = (" s.d. ", " to ")[i]
        ci = (
            f" ({('IK 95% ', '95% CI ')[i]}{fmt_num(roi['bcr_ci_low'], 2, lang)}{to}"
            f"{fmt_num(roi['bcr_ci_high'], 2, lang)})"
            if pd.notna(roi.get("bcr_ci_low")) and pd.notna(roi.get("bcr_ci_high"))
            else ""
        )
        verdict = roi.get("break_even")
        verdict = (
            f": {term('break_even_' + str(verdict), lang)}" if isinstance(verdict, str) else ""
        )
        pct = f", ROI {fmt_num(roi['roi_pct'], 0, lang)}%" if pd.notna(roi.get("roi_pct")) else ""
        text += f". BCR {fmt_num(roi['bcr'], 2, lang)}{ci}{pct}{verdict}"
    return text


@styled
def cost_roi_plot(
    items: pd.DataFrame | pd.Series,
    interval: pd.DataFrame | pd.Series | None = None,
    *,
    lang: str = "id",
    title: str | None = None,
) -> Figure:
    """One cohort's cost by kind and its BCR with the bootstrap CI against break-even.

    Left: the fully loaded cost as one bar stacked by kind (cash, participant time,
    other), in millions of rupiah. Right (when ``interval`` has a BCR): the BCR with its
    95% CI against the break-even line at BCR = 1, and on the top axis the same
    position as ROI (%) (ROI = (BCR − 1) × 100, so break-even is ROI 0%).

    Parameters
    ----------
    items : DataFrame or Series
        :func:`evalkit.cost_items` of one cohort (``by=None``): ``cash``,
        ``participant_time``, ``other``.
    interval : DataFrame or Series, optional
        :func:`evalkit.roi_bootstrap` of that cohort: ``bcr``, ``bcr_ci_low``,
        ``bcr_ci_high`` (and ``roi_pct``, ``break_even`` for the title).
    lang : {"id", "en"}
    title : str, optional
        Default: :func:`cost_roi_title`, which the report's caption and the image's
        text alternative repeat.

    Returns
    -------
    Figure
        One panel (costs only) or two.

    Examples
    --------
    >>> items = pd.Series({"cash": 6e6, "participant_time": 3e6, "other": 1e6})
    >>> interval = pd.Series({"bcr": 1.4, "bcr_ci_low": 0.9, "bcr_ci_high": 2.1,
    ...                       "roi_pct": 40.0, "break_even": "indistinguishable"})
    >>> fig = cost_roi_plot(items, interval, lang="en")
    >>> [ax.get_xlabel() for ax in fig.axes[:2]]
    ['Cost (million IDR)', 'BCR (benefits / costs), 95% CI']
    """
    check_lang(lang, "cost_roi_plot")
    row = _one_row(items)
    if row is None:
        raise ParameterError("cost_roi_plot: parameter 'items' has no row")
    require_columns(pd.DataFrame([row]), list(_KINDS), "cost_roi_plot")
    roi = _one_row(interval)
    has_roi = roi is not None and pd.notna(roi.get("bcr"))
    if has_roi:
        require_columns(pd.DataFrame([roi]), ["bcr", "bcr_ci_low", "bcr_ci_high"], "cost_roi_plot")
    fig = ReportFigure(figsize=(7.5, 2.6), dpi=DPI, layout="constrained")
    axes = fig.subplots(1, 2 if has_roi else 1, squeeze=False)[0]
    ax = axes[0]
    left = 0.0
    for kind, (key, colour) in _KINDS.items():
        width = float(row[kind]) / 1e6
        if width <= 0:
            continue
        ax.barh([0], [width], left=left, color=colour, height=0.5, label=_label(term(key, lang)))
        left += width
    ax.set_yticks([])
    ax.set_ylim(-0.5, 1.1)  # room above the bar for the legend
    ax.set_xlim(0, max(left, 1e-9) * 1.05)
    ax.set_xlabel("Biaya (juta Rp)" if lang == "id" else "Cost (million IDR)")
    localize_axis(ax, lang, "x")
    ax.legend(loc="upper center", ncol=3, fontsize=8, frameon=False)
    if has_roi:
        bx = axes[1]
        bcr, low, high = (float(roi[c]) for c in ("bcr", "bcr_ci_low", "bcr_ci_high"))
        bx.axvline(1.0, color=GREY, linestyle="--", linewidth=1)
        bx.text(1.0, 0.5, " " + term("break_even", lang), color=GREY, fontsize=8, va="bottom")
        bx.errorbar([bcr], [0], xerr=[[bcr - low], [high - bcr]], fmt="o", color=PALETTE[0],
                    capsize=4)  # fmt: skip
        bx.set_yticks([])
        bx.set_ylim(-0.5, 1.1)
        top = max(1.2, high * 1.1) if np.isfinite(high) else 2.0
        bx.set_xlim(0, top)
        bx.set_xlabel(
            "BCR (manfaat / biaya), IK 95%" if lang == "id" else "BCR (benefits / costs), 95% CI"
        )
        localize_axis(bx, lang, "x")
        roi_axis = bx.secondary_xaxis(
            "top", functions=(lambda b: (b - 1.0) * 100.0, lambda r: r / 100.0 + 1.0)
        )
        roi_axis.set_xlabel("ROI (%)", fontsize=8)
    fig.suptitle(
        textwrap.fill(title or cost_roi_title(row, roi, lang=lang), 95),
        x=0.01, ha="left", fontsize=10, fontweight="bold",
    )  # fmt: skip
    return fig
