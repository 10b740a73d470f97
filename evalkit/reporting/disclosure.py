"""Disclosure control: the one small-cell rule of every table, figure and comment count.

A count, or a share that gives a count back, describing fewer than
:data:`evalkit.constants.MIN_CELL_SIZE` (5) people is not printed: the reports
protect personal data (UU 27/2022, README "Privacy"), and in a cohort of twenty a
cell of two people can name them. This module holds the rule and its wording, and
the tables (:mod:`~evalkit.reporting.tables`), figures
(:func:`~evalkit.reporting.figures.category_bars`) and comment themes
(:mod:`~evalkit.reporting.comments`) all call it:

- :func:`is_small`: a count under the minimum cell size;
- :func:`suppressed`: which cells of a set of disjoint counts are hidden, with the
  secondary suppression that stops a hidden cell being recovered from the total;
- :func:`cell_label`: what a hidden cell reads (``"< 5"``, or ``"≥ 5"`` for one hidden
  with it);
- :func:`suppression_note`: the sentence printed under such a table;
- :func:`compliance_safe`: the rule applied to unit compliance rates.

Examples
--------
>>> is_small(3), cell_label(), cell_label(False)
(True, '< 5', '≥ 5')
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from evalkit import constants as C
from evalkit.errors import ParameterError
from evalkit.reporting.terms import Text, check_lang


def is_small(count: Any, *, min_cell: int = C.MIN_CELL_SIZE) -> Any:
    """Whether a count of people is under ``min_cell``, too small to show (elementwise).

    Parameters
    ----------
    count : int, float, Series or array
        Number(s) of people.
    min_cell : int
        Smallest count shown (default :data:`evalkit.constants.MIN_CELL_SIZE`).

    Returns
    -------
    bool or Series/array of bool
        Same shape as ``count``.

    Examples
    --------
    >>> is_small(4), is_small(5), is_small(pd.Series([2, 9])).tolist()
    (True, False, [True, False])
    """
    return count < min_cell


def cell_label(small: bool = True, *, min_cell: int = C.MIN_CELL_SIZE) -> str:
    """What a suppressed cell reads: ``"< 5"``, or ``"≥ 5"`` for a cell hidden with a small one.

    Examples
    --------
    >>> cell_label(), cell_label(False), cell_label(min_cell=10)
    ('< 5', '≥ 5', '< 10')
    """
    return f"{'<' if small else '≥'} {min_cell}"


def suppression_note(lang: str = "id", *, min_cell: int = C.MIN_CELL_SIZE) -> Text:
    """The note printed under tables whose small cells were suppressed.

    Examples
    --------
    >>> print(suppression_note("en"))  # doctest: +ELLIPSIS
    Cells describing fewer than 5 people are shown as "< 5"; ...
    """
    i = check_lang(lang, "suppression_note")
    small, hidden = cell_label(min_cell=min_cell), cell_label(False, min_cell=min_cell)
    if i == 0:
        return Text(
            f'Sel yang menggambarkan kurang dari {min_cell} orang ditampilkan sebagai "{small}"; '
            f'bila hanya satu sel yang disembunyikan, sel terkecil berikutnya ditampilkan sebagai "{hidden}" '
            "agar jumlahnya tidak dapat dihitung balik dari total. Ini melindungi data pribadi "
            "(UU 27/2022)."
        )
    return Text(
        f'Cells describing fewer than {min_cell} people are shown as "{small}"; where only '
        f'one cell would be hidden, the next smallest is shown as "{hidden}" so that it cannot '
        "be recovered by subtraction from the total. This protects personal data (UU 27/2022)."
    )


def suppressed(
    counts: pd.Series, *, min_cell: int = C.MIN_CELL_SIZE
) -> tuple[pd.Series, pd.Series]:
    """Which counts are too small to show, and which must be hidden with them.

    A count under ``min_cell`` is small. When exactly one count is small, the next
    smallest is hidden too, so that the small one cannot be recovered from the total
    (secondary suppression). :func:`evalkit.reporting.tables.count_table` and
    :func:`evalkit.reporting.figures.category_bars` share this rule; the counts must
    be of disjoint groups (one person in one cell).

    Returns
    -------
    (Series of bool, Series of bool)
        ``small`` (under ``min_cell``) and ``hidden`` (small or hidden with it), aligned
        to ``counts``.

    Examples
    --------
    >>> small, hidden = suppressed(pd.Series({"a": 9, "b": 3, "c": 12}))
    >>> small.tolist(), hidden.tolist()
    ([False, True, False], [True, True, False])
    """
    small = is_small(counts, min_cell=min_cell)
    hidden = small.copy()
    if small.sum() == 1 and len(counts) > 1:
        hidden[counts[~small].idxmin()] = True
    return small, hidden


def compliance_safe(
    compliance: pd.DataFrame,
    *,
    min_cell: int = C.MIN_CELL_SIZE,
    count: str = "n_compliant",
    total: str = "n_staff",
) -> pd.DataFrame:
    """Unit compliance rates with the rates that would describe fewer than ``min_cell`` people blanked.

    A rate reveals its count (rate x n), so when the compliant count or its complement
    (staff not compliant) is under ``min_cell``, the rate, its interval and the mean JP
    (which gives the count back when every training has the same JP) are set to NaN and
    ``suppressed`` says which side was small. The count itself is dropped.

    Parameters
    ----------
    compliance : DataFrame
        :func:`evalkit.jp_compliance` at ``level="unit"`` (one year), columns
        ``n_staff, n_compliant, compliance_rate, ci_low, ci_high, mean_jp``.

    Returns
    -------
    DataFrame
        The input without ``count`` (and ``total_jp``), rates, intervals and mean JP NaN
        where suppressed, plus ``suppressed``: ``""``, ``"compliant"`` or ``"not_compliant"``.

    Examples
    --------
    >>> t = pd.DataFrame({"n_staff": [12, 20, 9], "n_compliant": [3, 10, 7],
    ...     "compliance_rate": [0.25, 0.5, 7 / 9], "ci_low": [0.1, 0.3, 0.4],
    ...     "ci_high": [0.5, 0.7, 0.9], "mean_jp": [10.0, 20.0, 25.0]}, index=["A", "B", "C"])
    >>> safe = compliance_safe(t)
    >>> safe["suppressed"].tolist(), safe["compliance_rate"].notna().tolist()
    (['compliant', '', 'not_compliant'], [False, True, False])
    """
    missing = [c for c in (count, total) if c not in compliance.columns]
    if missing:
        raise ParameterError(
            f"compliance_safe: column(s) {missing} not in compliance; columns are "
            f"{list(compliance.columns)}"
        )
    yes = compliance[count]
    no = compliance[total] - yes
    side = pd.Series("", index=compliance.index)
    side[is_small(no, min_cell=min_cell)] = "not_compliant"
    side[is_small(yes, min_cell=min_cell)] = "compliant"
    out = compliance.drop(columns=[c for c in (count, "total_jp") if c in compliance])
    # mean JP too: when every training has the same JP, it would give the count back
    rates = [c for c in ("compliance_rate", "ci_low", "ci_high", "mean_jp") if c in out]
    out[rates] = out[rates].astype(float).where(side == "", float("nan"))
    return out.assign(suppressed=side)
