"""Figures of Level 5 (costs and ROI): cost items per cohort, BCR intervals.

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

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from evalkit.reporting.figure_style import (
    GREY,
    PALETTE,
    localize_axis,
    new_figure,
    require_columns,
    set_title,
    styled,
    wrap_label,
)
from evalkit.reporting.terms import check_lang, term

__all__ = ["cost_items_plot", "roi_interval_plot"]

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
