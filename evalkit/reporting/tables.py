"""Display tables of the reports: counts, profiles, formatted results, costs, ROI, compliance.

Each builder turns a tidy result (a processed table or the output of an evalkit
metric) into a DataFrame of text, ready to show: numbers formatted for the language
(:mod:`~evalkit.reporting.formats`), row and column labels translated
(:func:`~evalkit.reporting.terms.term`), and every count of people passed through the
small-cell rule of :mod:`~evalkit.reporting.disclosure`. The input is never modified.

- :func:`count_table`, :func:`profile_table`: counts of people by category;
- :func:`format_table`: any result table, column by column;
- :func:`change_table`, :func:`cost_table`, :func:`roi_table`: one result as a
  two-column or scenario table;
- :func:`compliance_table`: unit 20-JP compliance (from
  :func:`~evalkit.reporting.disclosure.compliance_safe`);
- :func:`item_labels`: display labels of reaction items.

Examples
--------
>>> count_table(pd.DataFrame({"sex": ["L"] * 6 + ["P"] * 5}), "sex", "en")["n"].tolist()
['6', '5']
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from evalkit import constants as C
from evalkit.errors import ParameterError
from evalkit.reporting.disclosure import cell_label, is_small, suppressed
from evalkit.reporting.formats import (
    fmt_idr,
    fmt_int,
    fmt_num,
    fmt_p,
    fmt_pct,
    fmt_pvalue,
    is_p_column,
)
from evalkit.reporting.sections import result_value
from evalkit.reporting.terms import MISSING, OTHER, check_lang, hake_band_label, term


def count_table(
    data: pd.DataFrame,
    column: str,
    lang: str = "id",
    *,
    min_cell: int = C.MIN_CELL_SIZE,
    order: Sequence[str] | None = None,
    combine_small: bool = False,
) -> pd.DataFrame:
    """Counts and percentages of one category, with small cells suppressed.

    Cells under ``min_cell`` people are shown as ``"< 5"``. When that hides exactly
    one cell, the next smallest cell is hidden too (shown as ``"≥ 5"``), so the hidden
    count cannot be recovered from the total (secondary suppression). With
    ``combine_small``, categories under ``min_cell`` are first pooled into one
    "other" row (itself suppressed if still small).

    Parameters
    ----------
    data : DataFrame
        One row per person.
    column : str
        The category to count (e.g. ``"sex"``, ``"golongan"``, ``"unit"``).
    lang : {"id", "en"}
    min_cell : int
        Smallest count shown.
    order : sequence of str, optional
        Order of the categories (default: by count, descending).
    combine_small : bool
        Pool the categories under ``min_cell`` into one "other" row.

    Returns
    -------
    DataFrame
        Indexed by the category's label, columns ``n`` and ``%`` as text.

    Examples
    --------
    >>> people = pd.DataFrame({"sex": ["L"] * 9 + ["P"] * 3})
    >>> count_table(people, "sex", "en").to_dict("index")
    {'Male': {'n': '≥ 5', '%': '–'}, 'Female': {'n': '< 5', '%': '–'}}
    >>> units = pd.DataFrame({"unit": ["Bappeda"] * 6 + ["Dinsos"] * 3 + ["Dinkes"] * 2})
    >>> count_table(units, "unit", "en", combine_small=True)["n"].to_dict()
    {'Bappeda': '6', 'Other (fewer than 5 each)': '5'}
    """
    check_lang(lang, "count_table")
    if column not in data.columns:
        raise ParameterError(
            f"count_table: column {column!r} not in data; columns are {list(data.columns)}"
        )
    counts = data[column].value_counts(sort=True)
    if order is not None:
        counts = counts.reindex(
            [c for c in order if c in counts.index] + [c for c in counts.index if c not in order]
        )
    few = is_small(counts, min_cell=min_cell)
    if combine_small and few.sum() > 1:
        other = int(counts[few].sum())
        counts = counts[~few]
        counts[OTHER] = other
    total = int(counts.sum())
    small, hidden = suppressed(counts, min_cell=min_cell)
    return pd.DataFrame(
        {
            "n": [
                cell_label(bool(s), min_cell=min_cell) if h else fmt_int(v, lang)
                for v, h, s in zip(counts, hidden, small, strict=True)
            ],
            "%": [
                MISSING if h else fmt_pct(100 * v / total, 0, lang)
                for v, h in zip(counts, hidden, strict=True)
            ],
        },
        index=pd.Index([term(str(k), lang) for k in counts.index], name=term(column, lang)),
    )


def format_table(
    frame: pd.DataFrame,
    lang: str = "id",
    *,
    decimals: int | Mapping[str, int] = 2,
    percent: Sequence[str] = (),
    integer: Sequence[str] = ("n", "k", "df"),
    leading_zero: Sequence[str] | None = None,
    columns: Sequence[str] | None = None,
    money: Sequence[str] = (),
) -> pd.DataFrame:
    """A presentation copy of a result table: numbers as text, labels translated.

    Parameters
    ----------
    frame : DataFrame
        A tidy result (e.g. from ``scale_scores`` or ``item_analysis``); not modified.
    lang : {"id", "en"}
    decimals : int or mapping of column -> int
    percent : columns holding 0-100 percentages (printed with ``%``).
    integer : columns printed without decimals.
    leading_zero : columns printed APA-style without leading zero in English
        (default: ``alpha``, ``r_drop``, ``alpha_if_dropped``). Columns named ``p`` or
        ending in ``_p`` are always p values, printed with :func:`fmt_pvalue`
        (``< .001``, never ``0.00``).
    columns : columns to keep, in order (default: all).
    money : columns of rupiah amounts, printed with :func:`fmt_idr`.

    Returns
    -------
    DataFrame of str
        Index and column labels translated with :func:`term`.

    Examples
    --------
    >>> res = pd.DataFrame({"mean": [4.312], "n": [24.0]}, index=["content"])
    >>> format_table(res, "id")
           Rerata   n
    Materi   4,31  24
    >>> format_table(pd.DataFrame({"p": [0.00002, 0.0451]}, index=["a", "b"]), "en")["p"].tolist()
    ['< .001', '.045']
    >>> format_table(pd.DataFrame({"net_benefit": [1.5e6]}), "id", money=["net_benefit"]).iloc[0, 0]
    'Rp1.500.000'
    """
    check_lang(lang, "format_table")
    no_zero = set(
        leading_zero if leading_zero is not None else ("alpha", "r_drop", "alpha_if_dropped", "p")
    )
    cols = list(columns) if columns is not None else list(frame.columns)
    out = pd.DataFrame(index=frame.index)
    for col in cols:
        values = frame[col]
        digits = decimals.get(col, 2) if isinstance(decimals, Mapping) else decimals
        if is_p_column(col) and pd.api.types.is_numeric_dtype(values):
            text = [fmt_pvalue(v, lang) for v in values]
        elif col in money:
            text = [fmt_idr(v, lang) for v in values]
        elif col in integer:
            text = [fmt_int(v, lang) for v in values]
        elif col in percent:
            text = [fmt_pct(v, 1, lang) for v in values]
        elif pd.api.types.is_numeric_dtype(values):
            lz = not (lang == "en" and col in no_zero)
            text = [fmt_num(v, digits, lang, leading_zero=lz) for v in values]
        else:
            text = [term(str(v), lang) for v in values]
        out[term(col, lang)] = text
    out.index = [term(str(k), lang) for k in frame.index]
    out.index.name = term(str(frame.index.name), lang) if frame.index.name else None
    return out


def profile_table(
    people: pd.DataFrame,
    lang: str = "id",
    *,
    columns: Sequence[str] = (C.SEX, C.AGE_BAND, C.GOLONGAN, C.POSITION_TYPE, C.UNIT),
    min_cell: int = C.MIN_CELL_SIZE,
) -> pd.DataFrame:
    """The cohort profile: :func:`count_table` of each characteristic, stacked.

    Golongan is shown by group (I-IV) without the ruang letter; categories under
    ``min_cell`` people are pooled into "other" and any cell still under ``min_cell``
    is suppressed (see :func:`count_table`). A group of fewer than ``min_cell`` people
    in all is not described at all.

    Returns
    -------
    DataFrame
        Indexed by (characteristic, category), columns ``n`` and ``%`` as text.

    Examples
    --------
    >>> people = pd.DataFrame({"sex": ["L"] * 6 + ["P"] * 5, "unit": ["Bappeda"] * 11})
    >>> profile_table(people, "en", columns=["sex", "unit"])["n"].tolist()
    ['6', '5', '11']
    """
    check_lang(lang, "profile_table")
    if is_small(len(people), min_cell=min_cell):
        return pd.DataFrame(
            {"n": [cell_label(min_cell=min_cell)], "%": [MISSING]},
            index=pd.MultiIndex.from_tuples([(term("participants", lang), "")]),
        )
    data = people.copy()
    if C.GOLONGAN in data.columns:  # III/a -> III: ruang would make most cells too small
        data[C.GOLONGAN] = data[C.GOLONGAN].astype("string").str.split("/").str[0]
    orders = {
        C.SEX: C.SEXES,
        C.AGE_BAND: ("<30", "30-39", "40-49", "50+"),
        C.GOLONGAN: ("I", "II", "III", "IV"),
    }
    parts = {
        term(col, lang): count_table(
            data, col, lang, min_cell=min_cell, order=orders.get(col), combine_small=True
        )
        for col in columns
        if col in data.columns
    }
    return pd.concat(parts, names=["", ""])


def change_table(change: Mapping[str, Any] | pd.Series, lang: str = "id") -> pd.DataFrame:
    """The result of :func:`evalkit.paired_change` as a two-column presentation table.

    Examples
    --------
    >>> change = {"n": 28, "mean_pre": 55.0, "mean_post": 69.2, "mean_diff": 14.2,
    ...           "ci_low": 10.1, "ci_high": 18.3, "t": 5.93, "df": 27, "p": 1e-5,
    ...           "d_z": 1.12}
    >>> change_table(change, "en").loc["Mean difference (95% CI)", "Value"]
    '14.2 (10.1 to 18.3)'
    """
    i = check_lang(lang, "change_table")
    g = functools.partial(result_value, change)
    lz = i == 0
    to = " s.d. " if i == 0 else " to "
    rows = [
        (("n pasangan", "Pairs (n)"), fmt_int(g("n"), lang)),
        (("Rerata pre-test", "Mean pre-test"), fmt_num(g("mean_pre"), 1, lang)),
        (("Rerata post-test", "Mean post-test"), fmt_num(g("mean_post"), 1, lang)),
        (
            ("Selisih rerata (IK 95%)", "Mean difference (95% CI)"),
            f"{fmt_num(g('mean_diff'), 1, lang)} ({fmt_num(g('ci_low'), 1, lang)}{to}"
            f"{fmt_num(g('ci_high'), 1, lang)})",
        ),
        (("SB selisih", "SD of differences"), fmt_num(g("sd_diff"), 1, lang)),
        (
            ("Uji t berpasangan", "Paired t test"),
            f"t({fmt_num(g('df'), 0, lang)}) = {fmt_num(g('t'), 2, lang)}, {fmt_p(g('p'), lang)}",
        ),
        (("d_z (Cohen)", "Cohen's d_z"), fmt_num(g("d_z"), 2, lang)),
        (("d_av (Cohen)", "Cohen's d_av"), fmt_num(g("d_av"), 2, lang)),
        (
            ("g Hedges (IK 95%)", "Hedges' g (95% CI)"),
            f"{fmt_num(g('hedges_g'), 2, lang)} ({fmt_num(g('hedges_g_ci_low'), 2, lang)}{to}"
            f"{fmt_num(g('hedges_g_ci_high'), 2, lang)})",
        ),
        (
            ("Uji peringkat bertanda Wilcoxon", "Wilcoxon signed-rank test"),
            f"V = {fmt_num(g('wilcoxon_w'), 1, lang)}, {fmt_p(g('wilcoxon_p'), lang)}",
        ),
        (
            ("Gain ternormalisasi kelas <g>", "Class-average normalised gain <g>"),
            f"{fmt_num(g('hake_g'), 2, lang, leading_zero=lz)} ({term(hake_band_label(g('hake_g')), lang)})",
        ),
    ]
    rows = [(label[i], value) for label, value in rows if MISSING not in value.split(" ")[0]]
    return pd.DataFrame(
        {("Nilai" if i == 0 else "Value"): [v for _, v in rows]},
        index=pd.Index([k for k, _ in rows], name=("Statistik" if i == 0 else "Statistic")),
    )


def item_labels(reaction_items: pd.DataFrame, *, width: int = 160) -> dict[str, str]:
    """Display labels of reaction items from their question text.

    Google Forms grid questions export as ``"Section [statement]"``; the statement in
    brackets is kept. Only labels longer than ``width`` characters are cut (figures
    wrap long labels onto several lines instead); reverse-keyed items (whose scores
    were reversed in cleaning) end with ``" (R)"``.

    Examples
    --------
    >>> items = pd.DataFrame({"item": ["c1", "o3"], "reverse": [False, True],
    ...                       "text": ["Penilaian Materi [Materi mudah dipahami]", "Jadwal padat"]})
    >>> item_labels(items)
    {'c1': 'Materi mudah dipahami', 'o3': 'Jadwal padat (R)'}
    """
    labels: dict[str, str] = {}
    reverse = (
        reaction_items["reverse"].fillna(False).astype(bool)
        if "reverse" in reaction_items
        else pd.Series(False, index=reaction_items.index)
    )
    for item, text, rev in zip(
        reaction_items[C.ITEM], reaction_items[C.TEXT], reverse, strict=True
    ):
        text = str(text)
        if "[" in text and text.rstrip().endswith("]"):
            text = text[text.index("[") + 1 : text.rstrip().rindex("]")]
        text = text if len(text) <= width else text[: width - 1] + "…"
        labels[str(item)] = f"{text} (R)" if rev else text
    return labels


def cost_table(
    costs: Mapping[str, Any] | pd.Series,
    lang: str = "id",
    *,
    items: Mapping[str, Any] | pd.Series | None = None,
) -> pd.DataFrame:
    """Unit costs (a row of :func:`evalkit.cost_summary`) as a presentation table.

    With ``items`` (a row of :func:`evalkit.cost_items`) the total is itemised first:
    cash, participant time and other, each with its share of the total. Given the
    :func:`evalkit.cost_items` of several cohorts (a DataFrame), one row per cohort:
    the amounts by kind, the total and the share of participant time.

    Examples
    --------
    >>> row = {"total_cost": 30_500_000.0, "n_participants": 24, "jp": 40,
    ...        "cost_per_participant": 1_270_833.3, "cost_per_participant_jp": 31_770.8,
    ...        "cost_per_gain_point": 89_495.3}
    >>> cost_table(row, "id").iloc[0, 0]
    'Rp30.500.000'
    >>> items = {"cash": 20_000_000.0, "participant_time": 10_500_000.0, "other": 0.0,
    ...          "total_cost": 30_500_000.0}
    >>> cost_table(row, "en", items=items).iloc[:3, 0].tolist()
    ['IDR 20,000,000 (66%)', 'IDR 10,500,000 (34%)', 'IDR 0 (0%)']
    """
    i = check_lang(lang, "cost_table")
    if isinstance(costs, pd.DataFrame):
        return _cost_items_table(costs, lang)
    g = functools.partial(result_value, costs)
    rows = []
    if items is not None:
        total = result_value(items, "total_cost")
        for key, label in (("cash", "cash"), ("participant_time", "participant_time"),
                           ("other", "cost_other")):  # fmt: skip
            amount = result_value(items, key)
            share = 100 * amount / total if total else float("nan")
            name = term(label, lang).split(" (")[0]
            rows.append(((name, name), f"{fmt_idr(amount, lang)} ({fmt_pct(share, 0, lang)})"))
    rows += [
        (("Total biaya", "Total cost"), fmt_idr(g("total_cost"), lang)),
        (("Peserta", "Participants"), fmt_int(g("n_participants"), lang)),
        (("JP", "JP (lesson hours)"), fmt_int(g("jp"), lang)),
        (("Biaya per peserta", "Cost per participant"), fmt_idr(g("cost_per_participant"), lang)),
        (
            ("Biaya per peserta per JP", "Cost per participant-JP"),
            fmt_idr(g("cost_per_participant_jp"), lang),
        ),
        (
            ("Biaya per poin kenaikan nilai", "Cost per point of score gain"),
            fmt_idr(g("cost_per_gain_point"), lang),
        ),
    ]
    return pd.DataFrame(
        {("Nilai" if i == 0 else "Value"): [v for _, v in rows]},
        index=pd.Index([k[i] for k, _ in rows], name=("Ukuran" if i == 0 else "Measure")),
    )


def _cost_items_table(items: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Cost items of several cohorts (:func:`evalkit.cost_items` by group) for display."""
    keys = {"cash": "cash", "participant_time": "participant_time", "other": "cost_other",
            "total_cost": "total_cost"}  # fmt: skip
    table = pd.DataFrame(
        {term(label, lang): [fmt_idr(v, lang) for v in items[k]] for k, label in keys.items()},
        index=pd.Index([str(k) for k in items.index], name=term(str(items.index.name), lang)),
    )
    table[term("share_participant_time", lang)] = [
        fmt_pct(100 * v, 0, lang) for v in items["share_participant_time"]
    ]
    return table


def _interval_text(low: Any, high: Any, lang: str, fmt: Any) -> str:
    """``low s.d. high`` / ``low to high`` with the given number format."""
    if pd.isna(low) or pd.isna(high):
        return MISSING
    return fmt(low) + (" s.d. " if lang == "id" else " to ") + fmt(high)


def roi_table(
    scenarios: pd.DataFrame,
    lang: str = "id",
    *,
    interval: Mapping[str, Any] | pd.Series | None = None,
    min_cell: int = C.MIN_CELL_SIZE,
) -> pd.DataFrame:
    """ROI scenarios, or the BCR and ROI of groups with their CIs, as a presentation table.

    Parameters
    ----------
    scenarios : DataFrame
        Either :func:`evalkit.roi_scenarios` of one cohort (rows ``base`` and the stated
        scenarios; also :func:`evalkit.roi_sensitivity`'s ``low, base, high``), or
        :func:`evalkit.roi_bootstrap` with ``by=`` (one row per cohort or program:
        people, respondents, unit-level rows, benefits, costs, BCR and ROI with their
        95% CI and the break-even statement).
    interval : Series, optional
        :func:`evalkit.roi_bootstrap` of the cohort: its BCR and ROI CIs are shown in
        the ``base`` row of a scenario table.
    min_cell : int
        In a group table, a group whose estimates come from fewer than ``min_cell``
        people shows no BCR or ROI (``"< 5"``).

    Examples
    --------
    >>> from evalkit.metrics.economics import roi_sensitivity
    >>> table = roi_table(roi_sensitivity((30e6, 60e6, 90e6), 50e6), "en")
    >>> table.loc["Low", "ROI"]
    '−40%'
    >>> ci = {"bcr_ci_low": 0.8, "bcr_ci_high": 1.7, "roi_ci_low": -20.0, "roi_ci_high": 70.0}
    >>> roi_table(roi_sensitivity(60e6, 50e6), "id", interval=ci).loc["Dasar"].tolist()[2:]
    ['1,20', '0,80 s.d. 1,70', '20%', '−20% s.d. 70%', 'Rp10.000.000']
    """
    i = check_lang(lang, "roi_table")
    num, pct = (lambda x: fmt_num(x, 2, lang)), (lambda x: fmt_pct(x, 0, lang))
    if "bcr_ci_low" in scenarios.columns:
        return _roi_groups_table(scenarios, lang, min_cell=min_cell)
    headers = [("Manfaat", "Benefits")[i], ("Biaya", "Costs")[i], "BCR", term("bcr_ci", lang),
               "ROI", term("roi_ci", lang), ("Manfaat bersih", "Net benefit")[i]]  # fmt: skip
    rows = []
    for key, row in scenarios.iterrows():
        ci = interval if (interval is not None and key == "base") else None
        rows.append(
            [
                fmt_idr(row["benefits"], lang),
                fmt_idr(row["costs"], lang),
                num(row["bcr"]),
                _interval_text(ci["bcr_ci_low"], ci["bcr_ci_high"], lang, num)
                if ci is not None
                else MISSING,
                pct(row["roi_pct"]),
                _interval_text(ci["roi_ci_low"], ci["roi_ci_high"], lang, pct)
                if ci is not None
                else MISSING,
                fmt_idr(row["net_benefit"], lang),
            ]
        )
    names = {"low": ("Pesimis", "Low"), "base": ("Dasar", "Base"), "high": ("Optimis", "High")}
    labels = [
        names[k][i] if set(scenarios.index) <= set(names) else term(f"scenario_{k}", lang)
        for k in scenarios.index
    ]
    table = pd.DataFrame(rows, index=pd.Index(labels, name=("Skenario", "Scenario")[i]),
                         columns=headers)  # fmt: skip
    if interval is None:
        table = table.drop(columns=[term("bcr_ci", lang), term("roi_ci", lang)])
    return table


def _roi_groups_table(returns: pd.DataFrame, lang: str, *, min_cell: int) -> pd.DataFrame:
    """The group table of :func:`roi_table` (from :func:`evalkit.roi_bootstrap` by group)."""
    num, pct = (lambda x: fmt_num(x, 2, lang)), (lambda x: fmt_pct(x, 0, lang))
    rows = []
    for _, row in returns.iterrows():
        small = is_small(row["n_respondents"], min_cell=min_cell)
        hidden = cell_label(min_cell=min_cell)
        rows.append(
            [
                fmt_int(row["n_participants"], lang),
                fmt_int(row["n_respondents"], lang),
                fmt_int(row["n_unit_rows"], lang),
                fmt_idr(row["benefits"], lang),
                fmt_idr(row["costs"], lang),
                hidden if small else num(row["bcr"]),
                hidden
                if small
                else _interval_text(row["bcr_ci_low"], row["bcr_ci_high"], lang, num),
                hidden if small else pct(row["roi_pct"]),
                hidden
                if small
                else _interval_text(row["roi_ci_low"], row["roi_ci_high"], lang, pct),
                hidden if small else term(f"break_even_{row['break_even']}", lang),
            ]
        )
    headers = [term(k, lang) for k in ("participants", "n_respondents", "n_unit_rows")]
    headers += [term("benefits", lang), term("costs", lang), "BCR", term("bcr_ci", lang), "ROI",
                term("roi_ci", lang), term("break_even", lang)]  # fmt: skip
    name = returns.index.name
    index = pd.Index([str(k) for k in returns.index], name=term(name, lang) if name else None)
    return pd.DataFrame(rows, index=index, columns=headers)


def compliance_table(
    safe: pd.DataFrame, lang: str = "id", *, min_cell: int = C.MIN_CELL_SIZE
) -> pd.DataFrame:
    """The 20-JP compliance of units (from :func:`compliance_safe`) as a presentation table.

    Rates appear as percentages with their Wilson 95% CI; a suppressed rate reads
    ``"< 5 patuh"`` / ``"< 5 compliant"`` (or ``"< 5 tidak patuh"`` / ``"< 5 not
    compliant"``) instead of a percentage.

    Examples
    --------
    >>> t = pd.DataFrame({"n_staff": [12, 20], "compliance_rate": [float("nan"), 0.5],
    ...     "ci_low": [float("nan"), 0.3], "ci_high": [float("nan"), 0.7],
    ...     "mean_jp": [10.0, 20.0], "suppressed": ["compliant", ""]}, index=["A", "B"])
    >>> compliance_table(t, "en").iloc[:, 1].tolist()
    ['< 5 compliant', '50%']
    >>> compliance_table(t, "id").iloc[1, 2]
    '30% s.d. 70%'
    """
    i = check_lang(lang, "compliance_table")
    words = {"compliant": ("patuh", "compliant"), "not_compliant": ("tidak patuh", "not compliant")}
    to = " s.d. " if i == 0 else " to "
    rate, ci = [], []
    for _, row in safe.iterrows():
        if row["suppressed"]:
            rate.append(f"{cell_label(min_cell=min_cell)} {words[row['suppressed']][i]}")
            ci.append(MISSING)
        else:
            rate.append(fmt_pct(100 * row["compliance_rate"], 0, lang))
            ci.append(
                f"{fmt_pct(100 * row['ci_low'], 0, lang)}{to}{fmt_pct(100 * row['ci_high'], 0, lang)}"
            )
    out = pd.DataFrame(
        {
            term("n_staff", lang): [fmt_int(v, lang) for v in safe["n_staff"]],
            term("compliance_rate", lang): rate,
            term("ci", lang): ci,
            term("mean_jp", lang): [fmt_num(v, 1, lang) for v in safe["mean_jp"]],
        },
        index=pd.Index([str(k) for k in safe.index], name=term("unit", lang)),
    )
    return out
