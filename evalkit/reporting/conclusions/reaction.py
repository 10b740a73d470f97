"""Level 1 conclusions: the reaction scale's reliability and its best and worst rated dimension.

Each function words a metric result (a row of :func:`evalkit.cronbach_alpha`, the
table of :func:`evalkit.scale_scores`) as a :class:`~evalkit.reporting.terms.Text`
in Indonesian or English, with the numbers formatted by
:mod:`evalkit.reporting.formats` and a warning when alpha is below
:data:`evalkit.constants.ALPHA_ACCEPTABLE`.

Examples
--------
>>> print(reliability_conclusion({"alpha": float("nan")}, "en"))
Cronbach's alpha could not be computed (too few complete answers).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from evalkit import constants as C
from evalkit.reporting.formats import fmt_ci, fmt_int, fmt_num
from evalkit.reporting.sections import result_value
from evalkit.reporting.terms import Text, check_lang, is_missing, term


def reliability_conclusion(
    alpha: Mapping[str, Any] | pd.Series,
    lang: str = "id",
    *,
    n_respondents: Any = None,
    omega: Mapping[str, Any] | pd.Series | None = None,
) -> Text:
    """Word Cronbach's alpha (a row of :func:`evalkit.cronbach_alpha`) with its CI.

    Below :data:`evalkit.constants.ALPHA_ACCEPTABLE` the sentence carries a warning.
    Alpha uses only respondents who answered every item (listwise); with
    ``n_respondents`` (everyone who answered at least one item) larger than alpha's
    ``n``, a sentence says why the two n differ. With ``omega`` (the result of
    :func:`evalkit.mcdonald_omega`), McDonald's omega and its bootstrap CI follow.

    Examples
    --------
    >>> row = {"alpha": 0.862, "ci_low": 0.79, "ci_high": 0.91, "n": 24, "k": 15}
    >>> print(reliability_conclusion(row, "en"))
    Internal consistency of the reaction scale was acceptable: Cronbach's α = .86 (95% CI .79 to .91; k = 15 items, n = 24).
    >>> print(reliability_conclusion({**row, "alpha": 0.55}, "id"))  # doctest: +ELLIPSIS
    **Perhatian:** konsistensi internal skala reaksi di bawah 0,70: ...
    >>> print(reliability_conclusion(row, "en", n_respondents=27))  # doctest: +ELLIPSIS
    Internal ... n = 24). Alpha uses the 24 participants who answered every item; ...
    >>> om = {"omega": 0.874, "ci_low": 0.71, "ci_high": 0.93, "n": 24, "n_boot": 1000}
    >>> print(reliability_conclusion(row, "en", omega=om))  # doctest: +ELLIPSIS
    Internal ... n = 24). McDonald's ω, which does not assume that every item measures the construct equally well, is .87 (95% CI .71 to .93; one-factor model, bootstrap over respondents).
    """
    i = check_lang(lang, "reliability_conclusion")
    text = _reliability_sentence(alpha, lang)
    n = result_value(alpha, "n")
    if n_respondents is not None and not is_missing(n) and int(n_respondents) > int(n):
        n_a, n_all = fmt_int(n, lang), fmt_int(n_respondents, lang)
        text += (
            f" Alfa memakai {n_a} peserta yang menjawab semua butir; skor dimensi memakai "
            f"semua jawaban ({n_all} peserta menjawab sedikitnya satu butir), sehingga n-nya "
            "bisa lebih besar."
            if i == 0
            else f" Alpha uses the {n_a} participants who answered every item; the dimension "
            f"scores use every answer ({n_all} participants answered at least one item), so "
            "their n can be larger."
        )
    if omega is not None and not is_missing(result_value(omega, "omega")):
        lz = i == 0
        value = fmt_num(result_value(omega, "omega"), 2, lang, leading_zero=lz)
        low, high = result_value(omega, "ci_low"), result_value(omega, "ci_high")
        ci = (
            fmt_ci(low, high, 2, lang, leading_zero=lz) + "; "
            if not is_missing(low) and not is_missing(high)
            else ""
        )
        text += (
            f" Omega McDonald (ω), yang tidak mengandaikan setiap butir mengukur konstruk sama "
            f"kuatnya, sebesar {value} ({ci}model satu faktor, bootstrap atas responden)."
            if i == 0
            else f" McDonald's ω, which does not assume that every item measures the "
            f"construct equally well, is {value} ({ci}one-factor model, bootstrap over "
            "respondents)."
        )
    return Text(text)


def _reliability_sentence(alpha: Mapping[str, Any] | pd.Series, lang: str) -> str:
    i = check_lang(lang, "reliability_conclusion")
    a = result_value(alpha, "alpha")
    if is_missing(a):
        return Text(
            "Alfa Cronbach tidak dapat dihitung (terlalu sedikit jawaban lengkap)."
            if i == 0
            else "Cronbach's alpha could not be computed (too few complete answers)."
        )
    lz = i == 0
    stats = (
        f"{fmt_ci(result_value(alpha, 'ci_low'), result_value(alpha, 'ci_high'), 2, lang, leading_zero=lz)}; "
        + (
            f"k = {fmt_int(result_value(alpha, 'k'), lang)} butir; n = {fmt_int(result_value(alpha, 'n'), lang)}"
            if i == 0
            else f"k = {fmt_int(result_value(alpha, 'k'), lang)} items, n = {fmt_int(result_value(alpha, 'n'), lang)}"
        )
    )
    value = fmt_num(a, 2, lang, leading_zero=lz)
    floor = fmt_num(C.ALPHA_ACCEPTABLE, 2, lang, leading_zero=lz)
    if float(a) >= C.ALPHA_ACCEPTABLE:
        return Text(
            f"Konsistensi internal skala reaksi memadai: alfa Cronbach α = {value} ({stats})."
            if i == 0
            else f"Internal consistency of the reaction scale was acceptable: "
            f"Cronbach's α = {value} ({stats})."
        )
    return Text(
        f"**Perhatian:** konsistensi internal skala reaksi di bawah {floor}: alfa Cronbach "
        f"α = {value} ({stats}). Skor skala sebaiknya ditafsirkan dengan hati-hati."
        if i == 0
        else f"**Caution:** internal consistency of the reaction scale is below {floor}: "
        f"Cronbach's α = {value} ({stats}). Interpret the scale scores with care."
    )


def reaction_conclusion(
    scores: pd.DataFrame,
    lang: str = "id",
    *,
    scale_max: float | None = None,
    decimals: int = 2,
) -> Text:
    """Word per-dimension scale scores: the highest and lowest rated dimensions.

    Parameters
    ----------
    scores : DataFrame
        Indexed by dimension, with columns ``mean, ci_low, ci_high`` (as from
        :func:`evalkit.scale_scores`), optionally ``n``.
    lang : {"id", "en"}
    scale_max : float, optional
        Top of the answer scale, printed as "on a 1-5 scale".
    decimals : int

    Examples
    --------
    >>> scores = pd.DataFrame({"mean": [4.31, 3.62], "ci_low": [4.1, 3.4],
    ...                        "ci_high": [4.5, 3.8]}, index=["facilitator", "facilities"])
    >>> print(reaction_conclusion(scores, "en", scale_max=5))
    On a 1-5 scale, participants rated Facilitator highest (M = 4.31, 95% CI 4.10 to 4.50) and Facilities lowest (M = 3.62, 95% CI 3.40 to 3.80).
    """
    i = check_lang(lang, "reaction_conclusion")
    valid = scores.dropna(subset=["mean"])
    if valid.empty:
        return Text(
            "Belum ada jawaban survei reaksi." if i == 0 else "There are no reaction answers yet."
        )
    ordered = valid.sort_values("mean", ascending=False, kind="stable")

    def name(key: Any) -> str:
        return term(str(key), lang)

    def stats(key: Any) -> str:
        row = ordered.loc[key]
        sep = "; " if i == 0 else ", "
        return (
            f"(M = {fmt_num(row['mean'], decimals, lang)}{sep}"
            f"{fmt_ci(row['ci_low'], row['ci_high'], decimals, lang)})"
        )

    scale = ""
    if scale_max is not None:
        scale = f"Pada skala 1-{scale_max:g}, " if i == 0 else f"On a 1-{scale_max:g} scale, "
    top, bottom = ordered.index[0], ordered.index[-1]
    if len(ordered) == 1:
        body = (
            f"peserta memberi nilai {name(top)} {stats(top)}."
            if i == 0
            else f"participants rated {name(top)} {stats(top)}."
        )
    else:
        body = (
            f"peserta memberi nilai tertinggi pada {name(top)} {stats(top)} dan terendah pada "
            f"{name(bottom)} {stats(bottom)}."
            if i == 0
            else f"participants rated {name(top)} highest {stats(top)} and {name(bottom)} "
            f"lowest {stats(bottom)}."
        )
    if not scale:
        body = body[0].upper() + body[1:]
    return Text(scale + body)


def pooled_reaction_conclusion(row: Mapping[str, Any] | pd.Series, lang: str = "id") -> Text:
    """Word the reaction index of all cohorts together (:func:`evalkit.clustered_means`).

    ``row`` holds ``mean, ci_low, ci_high, n, n_clusters`` of the participants' reaction
    index (each one's answers on POMP 0-100: 0 the lowest answer of the scale, 100 the
    highest), cluster-robust by cohort.

    Examples
    --------
    >>> row = {"mean": 74.31, "ci_low": 73.4, "ci_high": 75.2, "n": 375, "n_clusters": 15}
    >>> print(pooled_reaction_conclusion(row, "en"))
    Over the 15 cohorts, participants rated the training 74.3 of 100 (reaction index, POMP 0-100; 95% CI 73.4 to 75.2; n = 375; CR2 cluster-robust SE by cohort).
    """
    i = check_lang(lang, "pooled_reaction_conclusion")
    g = fmt_int(result_value(row, "n_clusters"), lang)
    mean = fmt_num(result_value(row, "mean"), 1, lang)
    ci = fmt_ci(result_value(row, "ci_low"), result_value(row, "ci_high"), 1, lang)
    n = fmt_int(result_value(row, "n"), lang)
    return Text(
        (
            f"Pada {g} angkatan, peserta menilai pelatihan {mean} dari 100 (indeks reaksi, "
            f"POMP 0-100; {ci}; n = {n}; SE robust-klaster CR2 menurut angkatan).",
            f"Over the {g} cohorts, participants rated the training {mean} of 100 (reaction "
            f"index, POMP 0-100; {ci}; n = {n}; CR2 cluster-robust SE by cohort).",
        )[i]
    )
