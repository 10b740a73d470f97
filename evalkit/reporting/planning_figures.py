"""Figure of the budget planner: gain per million rupiah, and the study each budget allows.

:func:`write_plan` is what ``evalkit plan`` calls: the plan, its CSV and this figure.

:func:`plan_figure` draws, for each program of :func:`evalkit.budget_plan`, two panels:
the expected effect per participant per IDR 1 million with its interval (the effect's CI
over the range of costs), and the observed d_z with its CI beside the minimum detectable
effect of a pre/post study of the participants the budget buys (a cross right of the
observed effect means a study of that size would likely show nothing). Planned on the
transfer index (``measure`` ``"transfer"``), the right panel shows the observed index with
its CI and, as a cross, the MDE of a follow-up of that many alumni in index points (a
difference from a benchmark, drawn from 0).

Examples
--------
>>> import pandas as pd
>>> plan = pd.DataFrame({"budget": [250e6], "measure": ["d_z"], "effect_per_million": [0.5],
...     "effect_per_million_ci_low": [0.3], "effect_per_million_ci_high": [0.8],
...     "effect": [1.4], "effect_ci_low": [0.8], "effect_ci_high": [2.0], "d_z": [1.4],
...     "mde_d_z": [0.29], "n_participants": [95]}, index=pd.Index(["A"], name="program_id"))
>>> fig = plan_figure(plan, lang="en")
>>> fig.axes[1].get_xlabel()
'Effect d_z (95% CI) and MDE'
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from evalkit.errors import ParameterError
from evalkit.io.atomic import atomic_write_text
from evalkit.reporting.figure_style import (
    DPI,
    GREY,
    PALETTE,
    ReportFigure,
    localize_axis,
    require_columns,
    styled,
    wrap_label,
)
from evalkit.reporting.formats import fmt_idr
from evalkit.reporting.terms import Text, check_lang

__all__ = ["plan_figure", "write_plan"]

_UNITS = {"d_z": ("d_z", "d_z"), "pomp_gain": ("poin POMP", "POMP points"),
          "mean_diff": ("poin tes", "test points"),
          "transfer": ("poin indeks transfer", "transfer index points")}  # fmt: skip


@styled
def plan_figure(plan: pd.DataFrame, *, lang: str = "id", title: str | None = None) -> Figure:
    """Two panels per program: effect per IDR 1 million, and observed d_z against the MDE.

    Parameters
    ----------
    plan : DataFrame
        :func:`evalkit.budget_plan` (index: program).
    lang : {"id", "en"}
    title : str, optional
        Default: the budget, in words.

    Returns
    -------
    Figure
        Programs from top to bottom in the order of ``plan``; the alt text
        (:func:`evalkit.reporting.figure_style.figure_alt`) names the budget and both axes.
    """
    i = check_lang(lang, "plan_figure")
    require_columns(plan, ["budget", "measure", "effect_per_million", "effect_per_million_ci_low",
                           "effect_per_million_ci_high", "d_z", "mde_d_z"], "plan_figure")  # fmt: skip
    data = plan.iloc[::-1]
    fig = ReportFigure(figsize=(8.0, 1.4 + 0.45 * max(len(data), 1)), layout="constrained", dpi=DPI)
    left, right = fig.subplots(1, 2, sharey=True)
    y = np.arange(len(data))
    per = data["effect_per_million"].to_numpy(dtype=float)
    lo = data["effect_per_million_ci_low"].to_numpy(dtype=float)
    hi = data["effect_per_million_ci_high"].to_numpy(dtype=float)
    left.axvline(0.0, color=GREY, linewidth=1)
    left.errorbar(per, y, xerr=[per - lo, hi - per], fmt="o", color=PALETTE[0], capsize=3)
    left.set_yticks(y, [wrap_label(str(k), 24) for k in data.index])
    unit = _UNITS.get(str(data["measure"].iloc[0]) if len(data) else "d_z", _UNITS["d_z"])[i]
    transfer = len(data) > 0 and str(data["measure"].iloc[0]) == "transfer"
    wrap = 40 if transfer else 200  # the transfer labels are long: two lines each
    left.set_xlabel(wrap_label(
        f"{unit} per Rp1 juta per peserta (IK 95%)" if i == 0
        else f"{unit} per IDR 1 million per participant (95% CI)", wrap
    ))  # fmt: skip
    dz = data["d_z"].to_numpy(dtype=float)
    mde = data["mde_d_z"].to_numpy(dtype=float)
    if transfer:
        dz = data["effect"].to_numpy(dtype=float)
        mde = data["mde"].to_numpy(dtype=float)
        d_lo, d_hi = (data[c].to_numpy(dtype=float) for c in ("effect_ci_low", "effect_ci_high"))
    elif {"d_z_ci_low", "d_z_ci_high"} <= set(data.columns):
        d_lo, d_hi = (data[c].to_numpy(dtype=float) for c in ("d_z_ci_low", "d_z_ci_high"))
    elif data["measure"].eq("d_z").all() and {"effect_ci_low", "effect_ci_high"} <= set(data):
        d_lo, d_hi = (data[c].to_numpy(dtype=float) for c in ("effect_ci_low", "effect_ci_high"))
    else:
        d_lo = d_hi = dz
    right.axvline(0.0, color=GREY, linewidth=1)
    observed = (("indeks teramati", "observed index") if transfer
                else ("d_z teramati", "observed d_z"))[i]  # fmt: skip
    right.errorbar(dz, y, xerr=[dz - d_lo, d_hi - dz], fmt="o", color=PALETTE[0], capsize=3,
                   label=observed)  # fmt: skip
    right.plot(mde, y, "x", color=PALETTE[5], markersize=9, mew=2,
               label="MDE" if i == 0 else "MDE")  # fmt: skip
    if transfer:
        right.set_xlabel(wrap_label(
            "Indeks transfer, POMP 0-100 (IK 95%), dan MDE (poin)" if i == 0
            else "Transfer index, POMP 0-100 (95% CI), and MDE (points)", wrap
        ))  # fmt: skip
    else:
        right.set_xlabel("Efek d_z (IK 95%) dan MDE" if i == 0 else "Effect d_z (95% CI) and MDE")
    right.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, fontsize=8)
    for ax in (left, right):
        localize_axis(ax, lang, "x")
    budget = fmt_idr(data["budget"].iloc[0], lang) if len(data) else ""
    fig.suptitle(
        title
        or (f"Anggaran {budget}: efek per rupiah dan studi yang mungkin" if i == 0
            else f"Budget {budget}: effect per rupiah and the study it allows"),
        fontsize=11, fontweight="bold", x=0.02, ha="left",
    )  # fmt: skip
    return fig


def write_plan(
    tables: Mapping[str, pd.DataFrame],
    out: Path | str,
    *,
    budget: float,
    cohort_size: float | None = None,
    lang: str = "id",
    study: str = "",
    outcome: str = "gain",
) -> tuple[Text, list[Path]]:
    """The budget plan of a study's processed tables: its table as text, CSV and PNG written.

    The one call behind ``evalkit plan``: :func:`evalkit.program_effects` (or, with
    ``outcome="transfer"``, :func:`evalkit.program_transfer` on the earliest follow-up
    wave), with the small-sample CR2 variance and Satterthwaite df of the overview, and :func:`evalkit.budget_plan` on the study's ``learning`` (``followup``),
    ``costs``, ``participants`` and ``cohorts``, then ``<out>/plan[.en].csv`` (the plan in
    full precision: programs, counts, costs and effects, no person) and
    ``<out>/plan[.en].png`` (:func:`plan_figure`); ``plan_transfer[.en].*`` for transfer.

    Parameters
    ----------
    tables : mapping of str to DataFrame
        The study's processed tables (:func:`evalkit.data.processed.load_study`).
    out : Path or str
        Folder to write into (created if needed).
    budget : float
        Rupiah (> 0).
    cohort_size : float or None
        Participants per cohort (None: each program's observed median).
    lang : {"id", "en"}
    study : str
        The study's name, for the messages.
    outcome : {"gain", "transfer"}, default "gain"
        Plan on the pre/post gain (d_z) or on the Level 3 transfer index (POMP 0-100).

    Returns
    -------
    (Text, list of Path)
        The printed report (the table formatted with :mod:`evalkit.reporting.formats`,
        the conclusion and the comparability note) and the files written.

    Raises
    ------
    ParameterError
        A table the planner needs is missing, or as :func:`evalkit.budget_plan`.
    """
    from evalkit.metrics.planner import budget_plan, program_effects, program_transfer
    from evalkit.reporting.conclusions.planning import plan_conclusion, plan_note, plan_table
    from evalkit.reporting.figure_files import save

    i = check_lang(lang, "write_plan")
    if outcome not in ("gain", "transfer"):
        raise ParameterError(
            f"write_plan: parameter 'outcome' must be 'gain' or 'transfer', got {outcome!r}"
        )
    name = f"study {study}" if study else "the study"
    source = "learning" if outcome == "gain" else "followup"
    for table in ("costs", source, "participants", "cohorts"):
        if table not in tables:
            entry = (
                "`costs` entry (cohort_id, category, amount_idr)"
                if table == "costs"
                else f"`{table}` entry"
            )
            raise ParameterError(
                f"write_plan: {name} has no {table} table; the planner needs it (map a {entry} "
                "in the codebook and run `evalkit clean`)"
            )
    # a program's two or three cohorts: CR2 with Satterthwaite df, as the overview does
    if outcome == "gain":
        effects = program_effects(tables["learning"], tables["cohorts"], vcov="CR2")
        measure = "d_z"
    else:
        effects = program_transfer(tables["followup"], tables["cohorts"], vcov="CR2")
        measure = "transfer"
    plan = budget_plan(tables["costs"], tables["participants"], tables["cohorts"], effects,
                       budget=budget, cohort_size=cohort_size, effect=measure)  # fmt: skip
    folder = Path(out)
    stem = ("plan" if outcome == "gain" else "plan_transfer") + ("" if i == 0 else ".en")
    csv = atomic_write_text(folder / f"{stem}.csv", plan.to_csv())
    png = save(plan_figure(plan, lang=lang), folder / f"{stem}.png")
    shown = plan_table(plan, lang)
    text = "\n\n".join(
        [
            shown.to_string(),
            str(plan_conclusion(plan, lang)),
            str(plan_note(plan, lang)),
            ("Tabel: " if i == 0 else "Table: ") + str(csv),
            ("Gambar: " if i == 0 else "Figure: ") + str(png),
        ]
    )
    return Text(text), [csv, png]
