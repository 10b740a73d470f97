"""Part of evalkit.narrative."""

from __future__ import annotations

import pandas as pd

from evalkit import constants as C
from evalkit.errors import ParameterError
from evalkit.reporting.terms import Text, check_lang


def suppression_note(lang: str = "id", *, min_cell: int = C.MIN_CELL_SIZE) -> Text:
    """The note printed under tables whose small cells were suppressed.

    Examples
    --------
    >>> print(suppression_note("en"))  # doctest: +ELLIPSIS
    Cells describing fewer than 5 people are shown as "< 5"; ...
    """
    i = check_lang(lang, "suppression_note")
    if i == 0:
        return Text(
            f'Sel yang menggambarkan kurang dari {min_cell} orang ditampilkan sebagai "< {min_cell}"; '
            f'bila hanya satu sel yang disembunyikan, sel terkecil berikutnya ditampilkan sebagai "≥ {min_cell}" '
            "agar jumlahnya tidak dapat dihitung balik dari total. Ini melindungi data pribadi "
            "(UU 27/2022)."
        )
    return Text(
        f'Cells describing fewer than {min_cell} people are shown as "< {min_cell}"; where only '
        f'one cell would be hidden, the next smallest is shown as "≥ {min_cell}" so that it cannot '
        "be recovered by subtraction from the total. This protects personal data (UU 27/2022)."
    )


def suppressed(
    counts: pd.Series, *, min_cell: int = C.MIN_CELL_SIZE
) -> tuple[pd.Series, pd.Series]:
    """Which counts are too small to show, and which must be hidden with them.

    A count under ``min_cell`` is small. When exactly one count is small, the next
    smallest is hidden too, so that the small one cannot be recovered from the total
    (secondary suppression). :func:`count_table` and
    :func:`evalkit.reporting.figures.category_bars` share this rule.

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
    small = counts < min_cell
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
    side[no < min_cell] = "not_compliant"
    side[yes < min_cell] = "compliant"
    out = compliance.drop(columns=[c for c in (count, "total_jp") if c in compliance])
    # mean JP too: when every training has the same JP, it would give the count back
    rates = [c for c in ("compliance_rate", "ci_low", "ci_high", "mean_jp") if c in out]
    out[rates] = out[rates].astype(float).where(side == "", float("nan"))
    return out.assign(suppressed=side)
