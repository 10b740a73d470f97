"""Level 3 conclusions: the transfer index, rater agreement, change projects, the unit ICC.

Sentences for :func:`evalkit.transfer_index` (with self-supervisor agreement from
:func:`evalkit.rater_agreement`), :func:`evalkit.project_rates` and the ICC of
:func:`evalkit.multilevel`, plus :func:`transfer_note`, which says how the index is
built and banded (:data:`evalkit.constants.IMPACT_BANDS`).

Examples
--------
>>> print(transfer_note("en").split(";")[0])
Each alumnus's index is the mean of the self and the supervisor rating (each 0-100)
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from evalkit import constants as C
from evalkit.reporting.formats import fmt_ci, fmt_int, fmt_num, fmt_pct
from evalkit.reporting.sections import result_value
from evalkit.reporting.terms import Text, check_lang, is_missing, term


def transfer_conclusion(
    transfer: Mapping[str, Any] | pd.Series,
    agreement: Mapping[str, Any] | pd.Series | None = None,
    lang: str = "id",
    *,
    months: Any = None,
) -> Text:
    """Word the transfer index (Level 3) and, optionally, self-supervisor agreement.

    Parameters
    ----------
    transfer : mapping or Series
        A row of :func:`evalkit.transfer_index`: ``n, index, ci_low, ci_high, band``,
        ``index_self``, ``index_supervisor``.
    agreement : mapping or Series, optional
        A row of :func:`evalkit.rater_agreement`: ``icc``, ``icc_ci_low``,
        ``icc_ci_high``, ``bias``, ``loa_low``, ``loa_high``.
    months : optional
        Months after training of the follow-up.

    Examples
    --------
    >>> ti = {"n": 20, "index": 71.25, "ci_low": 66.0, "ci_high": 76.5, "band": "Berdampak",
    ...       "index_self": 75.0, "index_supervisor": 67.5}
    >>> print(transfer_conclusion(ti, lang="en", months=6))
    Six months after training the transfer index was 71.2 of 100 (95% CI 66.0 to 76.5; n = 20): Impactful. Alumni rated themselves 75.0 and their supervisors rated them 67.5.
    """
    i = check_lang(lang, "transfer_conclusion")
    g = functools.partial(result_value, transfer)
    when = ""
    if months is not None and not is_missing(months):
        words_en = {3: "Three", 6: "Six", 12: "Twelve"}
        m = int(months)
        when = (
            f"{m} bulan setelah pelatihan, i"
            if i == 0
            else f"{words_en.get(m, str(m))} months after training the t"
        )
    sep = "; " if i == 0 else "; "
    ci = fmt_ci(g("ci_low"), g("ci_high"), 1, lang)
    if i == 0:
        text = (
            f"{when or 'I'}ndeks transfer {fmt_num(g('index'), 1, lang)} dari 100 ({ci}{sep}"
            f"n = {fmt_int(g('n'), lang)}): {g('band')}. Alumni menilai diri {fmt_num(g('index_self'), 1, lang)}, "
            f"atasan menilai {fmt_num(g('index_supervisor'), 1, lang)}."
        )
    else:
        text = (
            f"{when or 'T'}ransfer index was {fmt_num(g('index'), 1, lang)} of 100 ({ci}{sep}"
            f"n = {fmt_int(g('n'), lang)}): {term(g('band'), lang)}. Alumni rated themselves "
            f"{fmt_num(g('index_self'), 1, lang)} and their supervisors rated them "
            f"{fmt_num(g('index_supervisor'), 1, lang)}."
        )
    if agreement is not None:
        a = functools.partial(result_value, agreement)
        lz = i == 0
        icc = fmt_num(a("icc"), 2, lang, leading_zero=lz)
        icc_ci = fmt_ci(a("icc_ci_low"), a("icc_ci_high"), 2, lang, leading_zero=lz)
        bias = fmt_num(a("bias"), 1, lang, sign=True)
        loa = f"{fmt_num(a('loa_low'), 1, lang)}{' s.d. ' if i == 0 else ' to '}{fmt_num(a('loa_high'), 1, lang)}"
        pairs = fmt_int(a("n"), lang)
        text += (
            f" Kesepakatan alumni dan atasan (n = {pairs} pasang): ICC(2,1) = {icc} ({icc_ci}); "
            f"selisih rerata (alumni − atasan) {bias} poin, batas kesepakatan {loa}."
            if i == 0
            else f" Agreement of alumni and supervisors (n = {pairs} pairs): ICC(2,1) = {icc} "
            f"({icc_ci}); mean difference (alumni − supervisor) {bias} points, limits of "
            f"agreement {loa}."
        )
    return Text(text)


def project_conclusion(rates: Mapping[str, Any] | pd.Series, lang: str = "id") -> Text:
    """Word change-project rates (a row of :func:`evalkit.project_rates`).

    Examples
    --------
    >>> rates = {"n": 20, "implementation_rate": 0.65, "implementation_ci_low": 0.43,
    ...          "implementation_ci_high": 0.82, "sustainment_rate": 0.3,
    ...          "sustainment_ci_low": 0.15, "sustainment_ci_high": 0.52}
    >>> print(project_conclusion(rates, "en"))
    Of 20 change projects, 65% were implemented (95% CI 43% to 82%) and 30% are sustained (95% CI 15% to 52%).
    """
    i = check_lang(lang, "project_conclusion")
    g = functools.partial(result_value, rates)

    def pct_ci(lo: Any, hi: Any) -> str:
        to = " s.d. " if i == 0 else " to "
        head = "IK 95% " if i == 0 else "95% CI "
        return f"{head}{fmt_pct(100 * float(lo), 0, lang)}{to}{fmt_pct(100 * float(hi), 0, lang)}"

    impl = fmt_pct(100 * float(g("implementation_rate")), 0, lang)
    sus = fmt_pct(100 * float(g("sustainment_rate")), 0, lang)
    ci1 = pct_ci(g("implementation_ci_low"), g("implementation_ci_high"))
    ci2 = pct_ci(g("sustainment_ci_low"), g("sustainment_ci_high"))
    if i == 0:
        return Text(
            f"Dari {fmt_int(g('n'), lang)} aksi perubahan, {impl} telah terlaksana ({ci1}) dan "
            f"{sus} berkelanjutan ({ci2})."
        )
    return Text(
        f"Of {fmt_int(g('n'), lang)} change projects, {impl} were implemented ({ci1}) and "
        f"{sus} are sustained ({ci2})."
    )


def icc_conclusion(result: Any, what: tuple[str, str], lang: str = "id") -> Text:
    """Word the ICC of a random-intercept model (:func:`evalkit.multilevel`).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> res = SimpleNamespace(icc=0.07, n_groups=18, n_obs=379)
    >>> print(icc_conclusion(res, ("kenaikan nilai", "score gains"), "en"))
    7% of the variation in score gains lies between units (ICC = .07; 18 units, 379 people).
    """
    i = check_lang(lang, "icc_conclusion")
    icc = float(result.icc)
    pct = fmt_pct(100 * icc, 0, lang)
    value = fmt_num(icc, 2, lang, leading_zero=(i == 0))
    groups, n = fmt_int(result.n_groups, lang), fmt_int(result.n_obs, lang)
    if i == 0:
        return Text(
            f"{pct} variasi {what[0]} terletak antarunit (ICC = {value}; {groups} unit, {n} orang)."
        )
    return Text(
        f"{pct} of the variation in {what[1]} lies between units (ICC = {value}; {groups} "
        f"units, {n} people)."
    )


def transfer_note(lang: str = "id") -> Text:
    """How the transfer index is built and banded (:data:`evalkit.constants.IMPACT_BANDS`).

    Examples
    --------
    >>> print(transfer_note("en"))  # doctest: +ELLIPSIS
    Each alumnus's index is the mean of the self and the supervisor rating (each 0-100); ... Bands: Very high impact ≥ 80, Impactful ≥ 60, Moderate impact ≥ 40, Low impact below 40.
    """
    i = check_lang(lang, "transfer_note")
    cuts = [(lo, name) for lo, name in C.IMPACT_BANDS if math.isfinite(lo)]
    parts = [f"{term(name, lang)} ≥ {fmt_num(lo, 0, lang)}" for lo, name in cuts]
    last = C.IMPACT_BANDS[-1][1]
    below = fmt_num(cuts[-1][0], 0, lang)
    parts.append(f"{term(last, lang)} {'di bawah' if i == 0 else 'below'} {below}")
    if i == 0:
        return Text(
            "Indeks tiap alumni adalah rerata penilaian diri dan penilaian atasan (masing-masing "
            "0-100); bila salah satu tidak menilai, indeksnya adalah penilaian yang ada saja. "
            "n adalah alumni dengan sedikitnya satu penilaian; n (diri) dan n (atasan) adalah "
            "jumlah penilaian tiap penilai. Kategori: " + ", ".join(parts) + "."
        )
    return Text(
        "Each alumnus's index is the mean of the self and the supervisor rating (each 0-100); "
        "where one of them did not rate, the index is the available rating alone. n counts "
        "alumni with at least one rating; n (self) and n (supervisor) count each rater's "
        "ratings. Bands: " + ", ".join(parts) + "."
    )
