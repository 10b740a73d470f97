"""Figures of the retrospective follow-up and the long term.

:func:`persistence_plot` draws the persistence curve (:func:`evalkit.persistence_curve`):
each program's mean transfer index per follow-up wave, with its 95% interval as a band;
points of fewer than :data:`evalkit.constants.MIN_CELL_SIZE` alumni are left out.
:func:`retrospective_plot` draws the then-test ratings "before" and "now" of alumni and
of supervisors side by side (:func:`evalkit.retrospective_levels`), each with its
interval.

Examples
--------
>>> import pandas as pd
>>> c = pd.DataFrame({"program_id": ["A", "A"], "months_after": [3, 12], "n": [40.0, 20.0],
...     "mean": [57.0, 49.0], "ci_low": [54.0, 44.0], "ci_high": [60.0, 54.0]})
>>> persistence_plot(c, lang="en").axes[0].get_xlabel()
'Months after training'
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from evalkit import constants as C
from evalkit.reporting.figure_style import (
    PALETTE,
    localize_axis,
    new_figure,
    require_columns,
    set_title,
    styled,
)
from evalkit.reporting.terms import check_lang, term

__all__ = ["persistence_plot", "retrospective_plot"]


@styled
def persistence_plot(curve: pd.DataFrame, *, lang: str = "id", title: str | None = None) -> Figure:
    """The persistence curve: mean transfer index per wave and program, with 95% CI bands.

    Parameters
    ----------
    curve : DataFrame
        :func:`evalkit.persistence_curve` (``program_id, months_after, n, mean, ci_low,
        ci_high``).
    lang : {"id", "en"}
    title : str, optional

    Returns
    -------
    Figure
        One line per program over the waves it has; a point of fewer than
        ``MIN_CELL_SIZE`` alumni is not drawn.
    """
    check_lang(lang, "persistence_plot")
    cols = [C.PROGRAM_ID, C.MONTHS_AFTER, "n", "mean", "ci_low", "ci_high"]
    require_columns(curve, cols, "persistence_plot")
    data = curve[curve["n"] >= C.MIN_CELL_SIZE].sort_values([C.PROGRAM_ID, C.MONTHS_AFTER])
    fig, ax = new_figure(6.5, 3.8)
    for k, (prog, g) in enumerate(data.groupby(C.PROGRAM_ID, sort=True)):
        colour = PALETTE[k % len(PALETTE)]
        x = g[C.MONTHS_AFTER].to_numpy(dtype=float)
        lo = np.clip(g["ci_low"].to_numpy(dtype=float), 0, 100)
        hi = np.clip(g["ci_high"].to_numpy(dtype=float), 0, 100)
        ax.fill_between(x, lo, hi, color=colour, alpha=0.12, linewidth=0)
        ax.plot(x, g["mean"].to_numpy(dtype=float), "o-", color=colour, label=str(prog))
    waves = sorted(data[C.MONTHS_AFTER].unique()) if len(data) else [0]
    ax.set_xticks([float(w) for w in waves], [str(int(w)) for w in waves])
    ax.set_xlabel(term("months_after", lang))
    ax.set_ylabel(term("transfer_index_pomp", lang))
    ax.set_ylim(0, 100)
    localize_axis(ax, lang, "y")
    if len(data):  # beside the axes: the bands fill the plot
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9, frameon=False)
    if title:
        set_title(fig, ax, title)
    return fig


@styled
def retrospective_plot(
    levels: pd.DataFrame, *, lang: str = "id", title: str | None = None
) -> Figure:
    """Then-test ratings "before" and "now" of each rater, with 95% intervals.

    Parameters
    ----------
    levels : DataFrame
        :func:`evalkit.retrospective_levels` (``rater, measure, n, mean, ci_low,
        ci_high``).
    lang : {"id", "en"}
    title : str, optional

    Examples
    --------
    >>> lv = pd.DataFrame({"rater": ["self", "self", "supervisor", "supervisor"],
    ...     "measure": ["before", "now"] * 2, "n": [30.0] * 4, "mean": [33.0, 72.0, 28.0, 67.0],
    ...     "ci_low": [31.0, 70.0, 26.0, 65.0], "ci_high": [35.0, 74.0, 30.0, 69.0]})
    >>> [t.get_text() for t in retrospective_plot(lv, lang="en").axes[0].get_yticklabels()]
    ['Supervisor', 'Self']
    """
    check_lang(lang, "retrospective_plot")
    require_columns(levels, [C.RATER, "measure", "n", "mean", "ci_low", "ci_high"],
                    "retrospective_plot")  # fmt: skip
    data = levels[levels["n"] >= C.MIN_CELL_SIZE]
    raters = [r for r in C.RATERS if r in set(data[C.RATER])][::-1]
    fig, ax = new_figure(6.5, 1.8 + 0.6 * max(len(raters), 1))
    for j, (measure, colour) in enumerate((("before", PALETTE[1]), ("now", PALETTE[0]))):
        rows = data[data["measure"] == measure].set_index(C.RATER).reindex(raters)
        y = np.arange(len(raters)) + (0.12 if j else -0.12)
        m = rows["mean"].to_numpy(dtype=float)
        err = [m - rows["ci_low"].to_numpy(dtype=float), rows["ci_high"].to_numpy(dtype=float) - m]
        ax.errorbar(m, y, xerr=err, fmt="o", color=colour, capsize=3,
                    label=term(f"retro_{measure}", lang))  # fmt: skip
    ax.set_yticks(np.arange(len(raters)), [term(r, lang) for r in raters])
    ax.set_xlim(0, 100)
    ax.set_ylim(-0.5, len(raters) + 0.1)  # room above the raters for the legend
    ax.set_xlabel(term("retro_index_pomp", lang))
    localize_axis(ax, lang, "x")
    ax.legend(loc="upper center", ncol=2, fontsize=9, frameon=False)
    if title:
        set_title(fig, ax, title)
    return fig
