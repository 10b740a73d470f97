"""Plain-language conclusions and number formatting for the reports.

Every sentence a report prints about its numbers is written here, from the
numbers, in Indonesian (``lang="id"``, the default) or English (``lang="en"``),
with statistics in APA style. Nothing here computes a statistic: the functions
take the results of evalkit's metric functions (``paired_change``,
``cronbach_alpha``, ``scale_scores`` ...) and only round, format and word them.

Conventions
-----------
- Indonesian uses the decimal comma and the thousands dot (``14,2``; ``12.500.000``);
  English the decimal point and the thousands comma. Inside parentheses the
  Indonesian text separates statistics with semicolons, since the comma is taken.
- Quantities that cannot exceed 1 (p, alpha, r, Hake's g) drop the leading zero in
  English (APA 7, 6.36) and keep it in Indonesian, as Indonesian journals do.
- Negative numbers use the minus sign (U+2212); a missing value prints as an en dash.

Conclusions are :class:`Text`, a ``str`` that notebooks render as Markdown.

Examples
--------
>>> fmt_num(14.25, 1, lang="id"), fmt_num(14.25, 1, lang="en")
('14,2', '14.2')
>>> fmt_p(0.0004, lang="en"), fmt_p(0.032, lang="id")
('p < .001', 'p = 0,032')
>>> change = {"n": 28, "mean_diff": 14.21, "ci_low": 10.1, "ci_high": 18.3, "d_z": 1.12,
...           "t": 5.93, "df": 27, "p": 1e-5, "hake_g": 0.45}
>>> print(learning_conclusion(change, lang="en"))
Post-test scores rose by 14.2 points (95% CI 10.1 to 18.3; d_z = 1.12, n = 28); t(27) = 5.93, p < .001. A large effect (d_z). The class-average normalised gain was ⟨g⟩ = .45 (medium).
>>> print(learning_conclusion(change))
Nilai post-test naik 14,2 poin (IK 95% 10,1 s.d. 18,3; d_z = 1,12; n = 28); t(27) = 5,93; p < 0,001. Efek besar (d_z). Rata-rata gain ternormalisasi kelas ⟨g⟩ = 0,45 (sedang).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from evalkit import constants as C
from evalkit.errors import ParameterError

LANGS = ("id", "en")
MINUS = "\u2212"
MISSING = "\u2013"

#: Cohen (1988) benchmarks for standardised mean differences: (lower bound, id, en).
EFFECT_SIZE_BANDS = (
    (0.8, "besar", "large"),
    (0.5, "sedang", "medium"),
    (0.2, "kecil", "small"),
    (0.0, "sangat kecil", "negligible"),
)

#: Words the reports use, key -> (Indonesian, English).
TERMS: dict[str, tuple[str, str]] = {
    "n": ("n", "n"),
    "mean": ("Rerata", "Mean"),
    "sd": ("SB", "SD"),
    "ci": ("IK 95%", "95% CI"),
    "ci_low": ("IK bawah", "CI low"),
    "ci_high": ("IK atas", "CI high"),
    "index": ("Indeks (0-100)", "Index (0-100)"),
    "top2": ("% dua teratas", "% top two"),
    "pct": ("%", "%"),
    "count": ("Jumlah", "Count"),
    "total": ("Total", "Total"),
    "dimension": ("Dimensi", "Dimension"),
    "item": ("Butir", "Item"),
    "pre": ("Pre-test", "Pre-test"),
    "post": ("Post-test", "Post-test"),
    "score": ("Skor", "Score"),
    "gain_band": ("Kategori gain", "Gain band"),
    "participants": ("Peserta", "Participants"),
    "alpha": ("Alfa Cronbach", "Cronbach's alpha"),
    "r_drop": ("r butir-total terkoreksi", "Corrected item-total r"),
    "alpha_if_dropped": ("Alfa jika butir dihapus", "Alpha if item dropped"),
    "sex": ("Jenis kelamin", "Sex"),
    "age_band": ("Kelompok umur", "Age band"),
    "golongan": ("Golongan", "Grade (golongan)"),
    "position_type": ("Jenis jabatan", "Position type"),
    "unit": ("Unit kerja (OPD)", "Unit (OPD)"),
    "L": ("Laki-laki", "Male"),
    "P": ("Perempuan", "Female"),
    "low": ("rendah", "low"),
    "medium": ("sedang", "medium"),
    "high": ("tinggi", "high"),
    "self": ("Diri sendiri", "Self"),
    "supervisor": ("Atasan", "Supervisor"),
    "not_started": ("Belum dimulai", "Not started"),
    "in_progress": ("Berjalan", "In progress"),
    "implemented": ("Terlaksana", "Implemented"),
    "sustained": ("Berkelanjutan", "Sustained"),
    "klasikal": ("Klasikal", "Classroom"),
    "workshop": ("Lokakarya", "Workshop"),
    "e-learning": ("E-learning", "E-learning"),
    "blended": ("Blended", "Blended"),
    "project-based": ("Berbasis proyek", "Project-based"),
    "academic": ("Akademisi", "Academic"),
    "practitioner": ("Praktisi", "Practitioner"),
}
TERMS.update(
    {
        "pct_top_box": ("% dua teratas", "% top two"),
        "n_responses": ("Jawaban", "Answers"),
        "index_self": ("Indeks (diri)", "Index (self)"),
        "index_supervisor": ("Indeks (atasan)", "Index (supervisor)"),
        "band": ("Kategori", "Band"),
        "months_after": ("Bulan setelah pelatihan", "Months after training"),
        "difficulty": ("Kesukaran (p)", "Difficulty (p)"),
        "difficulty_band": ("Kategori kesukaran", "Difficulty band"),
        "discrimination": ("Daya beda (D)", "Discrimination (D)"),
        "discrimination_band": ("Kategori daya beda", "Discrimination band"),
        "point_biserial": ("r point-biserial", "Point-biserial r"),
        "kr20": ("KR-20", "KR-20"),
        "hard": ("sukar", "hard"),
        "ideal": ("ideal", "ideal"),
        "easy": ("mudah", "easy"),
        "very good": ("sangat baik", "very good"),
        "good": ("baik", "good"),
        "revise": ("perlu revisi", "revise"),
        "drop": ("dibuang", "drop"),
        "struktural": ("Struktural", "Structural"),
        "fungsional": ("Fungsional", "Functional"),
        "pelaksana": ("Pelaksana", "Administrative staff"),
        "Sangat Berdampak": ("Sangat Berdampak", "Very high impact"),
        "Berdampak": ("Berdampak", "Impactful"),
        "Cukup Berdampak": ("Cukup Berdampak", "Moderate impact"),
        "Kurang Berdampak": ("Kurang Berdampak", "Low impact"),
        "other": ("Lainnya (masing-masing kurang dari 5)", "Other (fewer than 5 each)"),
        "trained": ("Unit terlatih", "Trained units"),
        "comparison": ("Unit pembanding", "Comparison units"),
        "n_treated": ("Unit terlatih", "Trained units"),
        "n_control": ("Unit pembanding", "Comparison units"),
        "estimate": ("Estimasi", "Estimate"),
        "mean_diff": ("Kenaikan", "Gain"),
        "d_z": ("d_z", "d_z"),
        "hake_g": ("⟨g⟩", "⟨g⟩"),
        "reaction_index": ("Indeks reaksi", "Reaction index"),
        "cohort_id": ("Angkatan", "Cohort"),
        "n_staff": ("Pegawai", "Staff"),
        "compliance_rate": ("% patuh 20 JP", "% meeting 20 JP"),
        "mean_jp": ("Rerata JP", "Mean JP"),
        "n_participants": ("Peserta", "Participants"),
        "total_cost": ("Total biaya (Rp)", "Total cost (IDR)"),
        "cost_per_participant": ("Biaya/peserta (Rp)", "Cost/participant (IDR)"),
        "cost_per_participant_jp": ("Biaya/peserta/JP (Rp)", "Cost/participant/JP (IDR)"),
        "mean_gain": ("Rerata kenaikan", "Mean gain"),
        "cost_per_gain_point": ("Biaya/poin (Rp)", "Cost/point (IDR)"),
        "p": ("p", "p"),
        "period": ("Periode", "Period"),
        "difference": ("Selisih", "Difference"),
        "period_index": ("Periode", "Period"),
        "year": ("Tahun", "Year"),
        "start_date": ("Tanggal mulai", "Start date"),
        "program_name": ("Program", "Program"),
        "n_estimates": ("Peserta yang memberi estimasi", "Participants giving estimates"),
        "bcr": ("BCR", "BCR"),
        "roi_pct": ("ROI", "ROI"),
        "roi_low_pct": ("ROI pesimis", "ROI (low)"),
        "roi_high_pct": ("ROI optimis", "ROI (high)"),
        "net_benefit": ("Manfaat bersih (Rp)", "Net benefit (IDR)"),
        "benefits": ("Manfaat terkoreksi (Rp)", "Discounted benefits (IDR)"),
        "costs": ("Biaya (Rp)", "Costs (IDR)"),
        "n_self": ("n (diri)", "n (self)"),
        "n_supervisor": ("n (atasan)", "n (supervisor)"),
        "n_cohorts": ("Angkatan", "Cohorts"),
        "delivery": ("Metode", "Delivery method"),
        "facilitator_type": ("Jenis narasumber", "Facilitator type"),
    }
)
for _key, (_id, _en) in C.REACTION_DIMENSIONS.items():
    TERMS[_key] = (_id, _en)


_OTHER = "other"


class Text(str):
    """A sentence or paragraph of a report; notebooks display it as Markdown.

    Examples
    --------
    >>> Text("**n** = 5")._repr_markdown_()
    '**n** = 5'
    """

    def _repr_markdown_(self) -> str:
        return str(self)


def _check_lang(lang: str, func: str) -> int:
    if lang not in LANGS:
        raise ParameterError(f"{func}: parameter 'lang' must be one of {LANGS}, got {lang!r}")
    return LANGS.index(lang)


def term(key: str, lang: str = "id") -> str:
    """The report's word for ``key`` in ``lang``; unknown keys are returned unchanged.

    Examples
    --------
    >>> term("facilitator"), term("facilitator", lang="en"), term("Bappeda")
    ('Narasumber/Widyaiswara', 'Facilitator', 'Bappeda')
    """
    i = _check_lang(lang, "term")
    pair = TERMS.get(key)
    return pair[i] if pair else key


def _missing(x: Any) -> bool:
    try:
        return x is None or x is pd.NA or math.isnan(float(x))
    except (TypeError, ValueError):
        return False


def fmt_num(
    x: Any, decimals: int = 1, lang: str = "id", *, leading_zero: bool = True, sign: bool = False
) -> str:
    """Format a number for ``lang``: decimal comma in Indonesian, point in English.

    Parameters
    ----------
    x : float
        The number; None or NaN prints as an en dash.
    decimals : int
        Digits after the decimal mark (rounding half to even, as Python does).
    lang : {"id", "en"}
    leading_zero : bool
        False drops the zero before the decimal mark (``.45``), for quantities that
        cannot exceed 1 in APA style.
    sign : bool
        Print ``+`` before positive numbers.

    Examples
    --------
    >>> fmt_num(1234567.891, 2, "id"), fmt_num(1234567.891, 2, "en")
    ('1.234.567,89', '1,234,567.89')
    >>> fmt_num(-0.456, 2, "en", leading_zero=False), fmt_num(float("nan"))
    ('−.46', '–')
    """
    i = _check_lang(lang, "fmt_num")
    if _missing(x):
        return MISSING
    value = float(x)
    text = f"{abs(value):,.{decimals}f}"
    if i == 0:
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    if not leading_zero and text.startswith("0") and len(text) > 1 and not text[1].isdigit():
        text = text[1:]
    negative = value < 0 and any(ch in "123456789" for ch in text)
    prefix = MINUS if negative else ("+" if sign and value > 0 else "")
    return prefix + text


def fmt_int(x: Any, lang: str = "id") -> str:
    """Format a count with the thousands separator of ``lang``.

    Examples
    --------
    >>> fmt_int(12500), fmt_int(12500, "en")
    ('12.500', '12,500')
    """
    return fmt_num(x, 0, lang)


def fmt_pct(x: Any, decimals: int = 0, lang: str = "id") -> str:
    """Format a percentage given on the 0-100 scale.

    Examples
    --------
    >>> fmt_pct(85.04, 1), fmt_pct(85.04, 1, "en")
    ('85,0%', '85.0%')
    """
    text = fmt_num(x, decimals, lang)
    return text if text == MISSING else f"{text}%"


def fmt_idr(amount: Any, lang: str = "id") -> str:
    """Format an amount of rupiah.

    Examples
    --------
    >>> fmt_idr(12_500_000), fmt_idr(12_500_000, "en")
    ('Rp12.500.000', 'IDR 12,500,000')
    >>> fmt_idr(-1_500, "id")
    '−Rp1.500'
    """
    text = fmt_num(amount, 0, lang)
    if text == MISSING:
        return text
    sign, digits = ("−", text[1:]) if text[0] in "−-" else ("", text)
    return f"{sign}Rp{digits}" if lang == "id" else f"{sign}IDR {digits}"


def fmt_p(p: Any, lang: str = "id") -> str:
    """Format a p value in APA style (exact to 3 decimals, ``< .001`` below that).

    Examples
    --------
    >>> fmt_p(0.0312, "en"), fmt_p(0.5, "id"), fmt_p(0.00001, "id")
    ('p = .031', 'p = 0,500', 'p < 0,001')
    """
    i = _check_lang(lang, "fmt_p")
    if _missing(p):
        return f"p = {MISSING}"
    if float(p) < 0.001:
        return "p < .001" if i == 1 else "p < 0,001"
    return f"p = {fmt_num(p, 3, lang, leading_zero=(i == 0))}"


def fmt_pvalue(p: Any, lang: str = "id") -> str:
    """A p value for a table cell, APA style: never "0.00".

    Below .001 it prints ``< .001`` (``< 0,001`` in Indonesian), otherwise three
    decimals; English drops the leading zero (APA 7, 6.36), Indonesian keeps it and
    uses the decimal comma. :func:`format_table` formats every column named ``p`` or
    ending in ``_p`` with it.

    Examples
    --------
    >>> fmt_pvalue(0.0004, "en"), fmt_pvalue(0.0004, "id"), fmt_pvalue(0.0312, "en")
    ('< .001', '< 0,001', '.031')
    >>> fmt_pvalue(0.65, "id"), fmt_pvalue(1.0, "en"), fmt_pvalue(float("nan"))
    ('0,650', '1.000', '–')
    """
    i = _check_lang(lang, "fmt_pvalue")
    if _missing(p):
        return MISSING
    if float(p) < 0.001:
        return "< .001" if i == 1 else "< 0,001"
    return fmt_num(p, 3, lang, leading_zero=(i == 0))


def _is_p_column(name: Any) -> bool:
    return isinstance(name, str) and (name == "p" or name.endswith("_p"))


def fmt_ci(
    low: Any,
    high: Any,
    decimals: int = 1,
    lang: str = "id",
    *,
    level: float = 0.95,
    leading_zero: bool = True,
) -> str:
    """Format a confidence interval: ``95% CI 10.1 to 18.3`` / ``IK 95% 10,1 s.d. 18,3``.

    Examples
    --------
    >>> fmt_ci(10.12, 18.3, 1, "en"), fmt_ci(10.12, 18.3, 1, "id")
    ('95% CI 10.1 to 18.3', 'IK 95% 10,1 s.d. 18,3')
    """
    i = _check_lang(lang, "fmt_ci")
    pct = f"{level * 100:.0f}%"
    lo = fmt_num(low, decimals, lang, leading_zero=leading_zero)
    hi = fmt_num(high, decimals, lang, leading_zero=leading_zero)
    return f"IK {pct} {lo} s.d. {hi}" if i == 0 else f"{pct} CI {lo} to {hi}"


def effect_size_label(d: Any, lang: str = "id") -> str:
    """Cohen's (1988) verbal label of a standardised mean difference (by absolute size).

    Examples
    --------
    >>> effect_size_label(1.12, "en"), effect_size_label(-0.3), effect_size_label(0.1, "en")
    ('large', 'kecil', 'negligible')
    """
    i = _check_lang(lang, "effect_size_label")
    if _missing(d):
        return MISSING
    for lower, *labels in EFFECT_SIZE_BANDS:
        if abs(float(d)) >= lower:
            return labels[i]
    return EFFECT_SIZE_BANDS[-1][1 + i]


def hake_band(g: Any) -> str:
    """Hake (1998) band of a normalised gain: ``"low"``, ``"medium"`` or ``"high"``.

    Examples
    --------
    >>> hake_band(0.45), hake_band(0.7), hake_band(-0.1)
    ('medium', 'high', 'low')
    """
    if _missing(g):
        return MISSING
    for lower, label in C.HAKE_BANDS:
        if float(g) >= lower:
            return label
    return C.HAKE_BANDS[-1][1]


def _get(result: Mapping[str, Any] | pd.Series, key: str) -> Any:
    try:
        return result[key]
    except (KeyError, IndexError):
        return float("nan")


def learning_conclusion(
    change: Mapping[str, Any] | pd.Series,
    lang: str = "id",
    *,
    unit: str | None = None,
    decimals: int = 1,
) -> Text:
    """Word the result of :func:`evalkit.paired_change` as one or two sentences.

    Parameters
    ----------
    change : Series or mapping
        One row of ``paired_change``: ``n, mean_diff, ci_low, ci_high, d_z, t, df, p``
        and optionally ``hake_g``.
    lang : {"id", "en"}
    unit : str, optional
        The unit of the scores (default "poin"/"points").
    decimals : int
        Decimals of the score difference and its CI.

    Returns
    -------
    Text
        "rose"/"fell" when the CI excludes zero, otherwise "did not change
        significantly", followed by the test and the class-average Hake gain.

    Examples
    --------
    >>> flat = {"n": 20, "mean_diff": 1.2, "ci_low": -2.0, "ci_high": 4.4, "d_z": 0.15,
    ...         "t": 0.67, "df": 19, "p": 0.511}
    >>> print(learning_conclusion(flat, "en"))
    Post-test scores did not differ significantly from pre-test scores: the mean change was +1.2 points (95% CI −2.0 to 4.4; d_z = 0.15, n = 20); t(19) = 0.67, p = .511.
    >>> print(learning_conclusion({**flat, "mean_diff": 5.2, "ci_low": 2.5, "ci_high": 8.0,
    ...     "hedges_g": 0.38, "hedges_g_ci_low": 0.16, "hedges_g_ci_high": 0.60}, "en"))
    Post-test scores rose by 5.2 points (95% CI 2.5 to 8.0; d_z = 0.15, n = 20); t(19) = 0.67, p = .511. Relative to the spread of scores this is a small effect (Hedges' g = 0.38, 95% CI 0.16 to 0.60).
    """
    i = _check_lang(lang, "learning_conclusion")
    n = _get(change, "n")
    if _missing(n) or int(n) < 2:
        return Text(
            "Data pre-test dan post-test berpasangan belum cukup untuk dianalisis."
            if i == 0
            else "There are not enough paired pre-test and post-test scores to analyse."
        )
    diff, lo, hi = _get(change, "mean_diff"), _get(change, "ci_low"), _get(change, "ci_high")
    d_z, t, df, p = _get(change, "d_z"), _get(change, "t"), _get(change, "df"), _get(change, "p")
    unit = unit or ("poin" if i == 0 else "points")
    sep = "; " if i == 0 else ", "
    stats = f"{fmt_ci(lo, hi, decimals, lang)}; d_z = {fmt_num(d_z, 2, lang)}{sep}n = {fmt_int(n, lang)}"
    df_text = fmt_num(df, 0 if float(df).is_integer() else 1, lang)
    test = f"t({df_text}) = {fmt_num(t, 2, lang)}{sep}{fmt_p(p, lang)}"
    significant = not (_missing(lo) or _missing(hi)) and (float(lo) > 0 or float(hi) < 0)
    size = fmt_num(abs(float(diff)), decimals, lang)
    if significant and i == 1:
        verb = "rose" if float(diff) > 0 else "fell"
        text = f"Post-test scores {verb} by {size} {unit} ({stats}); {test}."
    elif significant:
        verb = "naik" if float(diff) > 0 else "turun"
        text = f"Nilai post-test {verb} {size} {unit} ({stats}); {test}."
    elif i == 1:
        text = (
            "Post-test scores did not differ significantly from pre-test scores: the mean "
            f"change was {fmt_num(diff, decimals, lang, sign=True)} {unit} ({stats}); {test}."
        )
    else:
        text = (
            "Nilai post-test tidak berbeda bermakna dari nilai pre-test: rerata perubahan "
            f"{fmt_num(diff, decimals, lang, sign=True)} {unit} ({stats}); {test}."
        )
    # Cohen's benchmarks describe differences relative to the spread of the scores
    # (d_av, Hedges' g); d_z also depends on the pre/post correlation (Lakens 2013).
    hedges = _get(change, "hedges_g")
    if not _missing(hedges):
        ci_g = fmt_ci(_get(change, "hedges_g_ci_low"), _get(change, "hedges_g_ci_high"), 2, lang)
        label = effect_size_label(hedges, lang)
        text += (
            f" Dibandingkan sebaran nilai, efek ini {label} (g Hedges = "
            f"{fmt_num(hedges, 2, lang)}; {ci_g})."
            if i == 0
            else f" Relative to the spread of scores this is a {label} effect (Hedges' g = "
            f"{fmt_num(hedges, 2, lang)}, {ci_g})."
        )
    elif significant:
        label = effect_size_label(d_z, lang)
        text += f" Efek {label} (d_z)." if i == 0 else f" A {label} effect (d_z)."
    g = _get(change, "hake_g")
    if not _missing(g):
        band = term(hake_band(g), lang)
        g_text = fmt_num(g, 2, lang, leading_zero=(i == 0))
        text += (
            f" Rata-rata gain ternormalisasi kelas ⟨g⟩ = {g_text} ({band})."
            if i == 0
            else f" The class-average normalised gain was ⟨g⟩ = {g_text} ({band})."
        )
    return Text(text)


def reliability_conclusion(
    alpha: Mapping[str, Any] | pd.Series, lang: str = "id", *, n_respondents: Any = None
) -> Text:
    """Word Cronbach's alpha (a row of :func:`evalkit.cronbach_alpha`) with its CI.

    Below :data:`evalkit.constants.ALPHA_ACCEPTABLE` the sentence carries a warning.
    Alpha uses only respondents who answered every item (listwise); with
    ``n_respondents`` (everyone who answered at least one item) larger than alpha's
    ``n``, a sentence says why the two n differ.

    Examples
    --------
    >>> row = {"alpha": 0.862, "ci_low": 0.79, "ci_high": 0.91, "n": 24, "k": 15}
    >>> print(reliability_conclusion(row, "en"))
    Internal consistency of the reaction scale was acceptable: Cronbach's α = .86 (95% CI .79 to .91; k = 15 items, n = 24).
    >>> print(reliability_conclusion({**row, "alpha": 0.55}, "id"))  # doctest: +ELLIPSIS
    **Perhatian:** konsistensi internal skala reaksi di bawah 0,70: ...
    >>> print(reliability_conclusion(row, "en", n_respondents=27))  # doctest: +ELLIPSIS
    Internal ... n = 24). Alpha uses the 24 participants who answered every item; ...
    """
    text = _reliability_sentence(alpha, lang)
    i = LANGS.index(lang)
    n = _get(alpha, "n")
    if n_respondents is not None and not _missing(n) and int(n_respondents) > int(n):
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
    return Text(text)


def _reliability_sentence(alpha: Mapping[str, Any] | pd.Series, lang: str) -> str:
    i = _check_lang(lang, "reliability_conclusion")
    a = _get(alpha, "alpha")
    if _missing(a):
        return Text(
            "Alfa Cronbach tidak dapat dihitung (terlalu sedikit jawaban lengkap)."
            if i == 0
            else "Cronbach's alpha could not be computed (too few complete answers)."
        )
    lz = i == 0
    stats = (
        f"{fmt_ci(_get(alpha, 'ci_low'), _get(alpha, 'ci_high'), 2, lang, leading_zero=lz)}; "
        + (
            f"k = {fmt_int(_get(alpha, 'k'), lang)} butir; n = {fmt_int(_get(alpha, 'n'), lang)}"
            if i == 0
            else f"k = {fmt_int(_get(alpha, 'k'), lang)} items, n = {fmt_int(_get(alpha, 'n'), lang)}"
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
    i = _check_lang(lang, "reaction_conclusion")
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


def mde_conclusion(
    mde: Any,
    n: Any,
    lang: str = "id",
    *,
    power: float = 0.8,
    alpha: float = 0.05,
    design: str = "paired",
) -> Text:
    """Say what effect the study's n could detect (from ``minimum_detectable_effect``).

    ``design="paired"``: n pairs (pre/post); ``design="two-sample"``: n per group.

    Examples
    --------
    >>> print(mde_conclusion(0.55, 28, "en"))
    With n = 28, a paired design detects with 80% power (two-sided α = .05) only effects of d_z ≥ 0.55 (medium); smaller true effects may go unnoticed.
    >>> print(mde_conclusion(1.2, 5, "en", design="two-sample"))
    With n = 5 per group, a two-group comparison detects with 80% power (two-sided α = .05) only effects of d ≥ 1.20 (large); smaller true effects may go unnoticed.
    """
    i = _check_lang(lang, "mde_conclusion")
    if design not in ("paired", "two-sample"):
        raise ParameterError(
            f"mde_conclusion: parameter 'design' must be 'paired' or 'two-sample', got {design!r}"
        )
    d = fmt_num(mde, 2, lang)
    label = effect_size_label(mde, lang)
    pw = fmt_pct(power * 100, 0, lang)
    a = fmt_num(alpha, 2, lang, leading_zero=(i == 0))
    paired = design == "paired"
    symbol = "d_z" if paired else "d"
    if i == 0:
        what = "desain berpasangan" if paired else "perbandingan dua kelompok"
        per = "" if paired else " per kelompok"
        return Text(
            f"Dengan n = {fmt_int(n, lang)}{per}, {what} dengan power {pw} (α = {a}, "
            f"dua sisi) hanya dapat mendeteksi efek {symbol} ≥ {d} ({label}); efek sebenarnya "
            "yang lebih kecil mungkin tidak terdeteksi."
        )
    what = "a paired design" if paired else "a two-group comparison"
    per = "" if paired else " per group"
    return Text(
        f"With n = {fmt_int(n, lang)}{per}, {what} detects with {pw} power (two-sided "
        f"α = {a}) only effects of {symbol} ≥ {d} ({label}); smaller true effects may go "
        "unnoticed."
    )


def suppression_note(lang: str = "id", *, min_cell: int = C.MIN_CELL_SIZE) -> Text:
    """The note printed under tables whose small cells were suppressed.

    Examples
    --------
    >>> print(suppression_note("en"))  # doctest: +ELLIPSIS
    Cells describing fewer than 5 people are shown as "< 5"; ...
    """
    i = _check_lang(lang, "suppression_note")
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
    :func:`evalkit.figures.category_bars` share this rule.

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
    _check_lang(lang, "count_table")
    if column not in data.columns:
        raise ParameterError(
            f"count_table: column {column!r} not in data; columns are {list(data.columns)}"
        )
    counts = data[column].value_counts(sort=True)
    if order is not None:
        counts = counts.reindex(
            [c for c in order if c in counts.index] + [c for c in counts.index if c not in order]
        )
    if combine_small and (counts < min_cell).sum() > 1:
        other = int(counts[counts < min_cell].sum())
        counts = counts[counts >= min_cell]
        counts[_OTHER] = other
    total = int(counts.sum())
    small, hidden = suppressed(counts, min_cell=min_cell)
    shown = {True: f"< {min_cell}", False: f"≥ {min_cell}"}
    return pd.DataFrame(
        {
            "n": [
                shown[bool(s)] if h else fmt_int(v, lang)
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
    _check_lang(lang, "format_table")
    no_zero = set(
        leading_zero if leading_zero is not None else ("alpha", "r_drop", "alpha_if_dropped", "p")
    )
    cols = list(columns) if columns is not None else list(frame.columns)
    out = pd.DataFrame(index=frame.index)
    for col in cols:
        values = frame[col]
        digits = decimals.get(col, 2) if isinstance(decimals, Mapping) else decimals
        if _is_p_column(col) and pd.api.types.is_numeric_dtype(values):
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


# --- report building blocks -----------------------------------------------------------

_MONTHS_ID = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
    "Oktober", "November", "Desember",
)  # fmt: skip


def fmt_date(value: Any, lang: str = "id") -> str:
    """Format a date as Indonesian (``13 Maret 2023``) or English (``13 March 2023``) text.

    Examples
    --------
    >>> fmt_date("2023-03-13"), fmt_date("2023-03-13", "en")
    ('13 Maret 2023', '13 March 2023')
    """
    i = _check_lang(lang, "fmt_date")
    if _missing(value):
        return MISSING
    when = pd.Timestamp(value)
    month = _MONTHS_ID[when.month - 1] if i == 0 else when.strftime("%B")
    return f"{when.day} {month} {when.year}"


def cohort_title(cohort: Mapping[str, Any] | pd.Series, n: int, lang: str = "id") -> Text:
    """Title and one-line description of a cohort report, as Markdown.

    Parameters
    ----------
    cohort : mapping or Series
        One row of the ``cohorts`` table (``cohort_id`` may be the Series name).
    n : int
        Number of participants.

    Examples
    --------
    >>> row = {"cohort_id": "K1", "program_name": "Pelayanan Prima", "batch": 2,
    ...        "start_date": "2024-03-04", "end_date": "2024-03-08", "delivery": "klasikal",
    ...        "facilitator_type": "academic", "jp": 40}
    >>> print(cohort_title(row, 28, "en"))
    # Evaluation report: Pelayanan Prima, cohort 2
    <BLANKLINE>
    Cohort K1 · 4 March 2024 to 8 March 2024 · Classroom · Academic facilitators · 40 JP (lesson hours) · 28 participants
    """
    i = _check_lang(lang, "cohort_title")
    get = cohort.get if isinstance(cohort, Mapping) else cohort.get
    cid = get(C.COHORT_ID) or getattr(cohort, "name", "")
    program, batch = get(C.PROGRAM_NAME, ""), get(C.BATCH)
    start, end = fmt_date(get(C.START_DATE), lang), fmt_date(get(C.END_DATE), lang)
    delivery = term(str(get(C.DELIVERY, "")), lang)
    fac = term(str(get(C.FACILITATOR_TYPE, "")), lang)
    jp = get(C.JP)
    if i == 0:
        head = f"# Laporan evaluasi: {program}, angkatan {batch}"
        facts = (
            f"Angkatan {cid} · {start} s.d. {end} · {delivery} · narasumber {fac.lower()} · "
            f"{jp} JP · {fmt_int(n, lang)} peserta"
        )
    else:
        head = f"# Evaluation report: {program}, cohort {batch}"
        facts = (
            f"Cohort {cid} · {start} to {end} · {delivery} · {fac} facilitators · "
            f"{jp} JP (lesson hours) · {fmt_int(n, lang)} participants"
        )
    return Text(f"{head}\n\n{facts}")


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
    _check_lang(lang, "profile_table")
    if len(people) < min_cell:
        return pd.DataFrame(
            {"n": [f"< {min_cell}"], "%": [MISSING]},
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


def section_note(key: str, lang: str = "id") -> Text:
    """A short note for a section the cohort has no data for.

    Examples
    --------
    >>> print(section_note("followup", "en"))
    *No follow-up ratings have been collected for this cohort yet.*
    """
    i = _check_lang(lang, "section_note")
    notes = {
        "reaction": ("Belum ada jawaban survei reaksi untuk angkatan ini.",
                     "No reaction survey answers for this cohort."),
        "learning": ("Belum ada nilai pre-test dan post-test berpasangan untuk angkatan ini.",
                     "No paired pre-test and post-test scores for this cohort."),
        "test_items": ("Jawaban per butir soal tidak tersedia untuk angkatan ini.",
                       "Item-level test answers are not available for this cohort."),
        "followup": ("Belum ada penilaian tindak lanjut untuk angkatan ini.",
                     "No follow-up ratings have been collected for this cohort yet."),
        "projects": ("Belum ada data aksi perubahan untuk angkatan ini.",
                     "No change-project data for this cohort."),
        "costs": ("Belum ada data biaya untuk angkatan ini.", "No cost data for this cohort."),
        "one_delivery": ("Semua angkatan dalam studi ini memakai metode pembelajaran yang sama, "
                         "sehingga metode tidak dapat dibandingkan.",
                         "Every cohort in this study used the same delivery method, so methods "
                         "cannot be compared."),
        "one_facilitator": ("Studi ini hanya memiliki satu jenis narasumber (akademisi atau "
                            "praktisi), sehingga keduanya tidak dapat dibandingkan.",
                            "This study has only one facilitator type (academic or "
                            "practitioner), so the two cannot be compared."),
        "benefits": ("Belum ada estimasi manfaat (rupiah) untuk angkatan ini, sehingga ROI "
                     "belum dapat dihitung.",
                     "No monetised benefit estimates for this cohort yet, so ROI cannot be "
                     "computed."),
        "few_cohorts": ("Terlalu sedikit angkatan per kelompok untuk uji atas rerata angkatan "
                        "(perlu sedikitnya 2 angkatan per kelompok); angka di atas hanya "
                        "deskriptif.",
                        "Too few cohorts per group for a test on cohort means (at least 2 "
                        "cohorts per group are needed); the numbers above are descriptive only."),
        "benefits_study": ("Belum ada estimasi manfaat (rupiah) dalam studi ini, sehingga ROI "
                           "belum dapat dihitung.",
                           "No monetised benefit estimates in this study yet, so ROI cannot be "
                           "computed."),
        "comments": ("Belum ada komentar peserta untuk angkatan ini.",
                     "No participant comments for this cohort."),
        "small": (f"Angkatan ini kurang dari {C.MIN_CELL_SIZE} orang; rinciannya tidak "
                  "ditampilkan.",
                  f"This cohort has fewer than {C.MIN_CELL_SIZE} people; details are not shown."),
    }  # fmt: skip
    return Text(f"*{notes[key][i]}*")


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
    i = _check_lang(lang, "change_table")
    g = functools.partial(_get, change)
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
            f"{fmt_num(g('hake_g'), 2, lang, leading_zero=lz)} ({term(hake_band(g('hake_g')), lang)})",
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


def knowledge_test_conclusion(items: pd.DataFrame, lang: str = "id") -> Text:
    """Word a test item analysis (:func:`evalkit.test_item_analysis`): KR-20 and weak items.

    Examples
    --------
    >>> res = pd.DataFrame({"kr20": [0.71, 0.71], "discrimination_band": ["good", "drop"],
    ...                     "difficulty_band": ["ideal", "easy"]}, index=["s1", "s2"])
    >>> print(knowledge_test_conclusion(res, "en"))
    Test reliability KR-20 = .71. 1 of 2 items discriminate poorly (D < .20) and should be dropped or rewritten: s2.
    >>> print(knowledge_test_conclusion(res.assign(kr20=0.52), "id"))  # doctest: +ELLIPSIS
    **Perhatian:** reliabilitas tes di bawah 0,70 (KR-20 = 0,52): ...
    """
    i = _check_lang(lang, "test_items_conclusion")
    kr20 = items["kr20"].iloc[0] if len(items) else float("nan")
    weak = [str(k) for k, band in items["discrimination_band"].items() if band == "drop"]
    lz = i == 0
    text = (
        f"Reliabilitas tes KR-20 = {fmt_num(kr20, 2, lang, leading_zero=lz)}."
        if i == 0
        else f"Test reliability KR-20 = {fmt_num(kr20, 2, lang, leading_zero=lz)}."
    )
    if not _missing(kr20) and float(kr20) < C.ALPHA_ACCEPTABLE:
        floor = fmt_num(C.ALPHA_ACCEPTABLE, 2, lang, leading_zero=lz)
        text = (
            f"**Perhatian:** reliabilitas tes di bawah {floor} (KR-20 = "
            f"{fmt_num(kr20, 2, lang, leading_zero=lz)}): skor tes mengandung banyak galat "
            "ukur, sehingga nilai dan kenaikan nilai sebaiknya ditafsirkan dengan hati-hati."
            if i == 0
            else f"**Caution:** test reliability is below {floor} (KR-20 = "
            f"{fmt_num(kr20, 2, lang, leading_zero=lz)}): the scores carry much measurement "
            "error, so interpret scores and score gains with care."
        )
    low = fmt_num(0.20, 2, lang, leading_zero=lz)
    if weak:
        text += (
            f" {len(weak)} dari {len(items)} butir berdaya beda rendah (D < {low}) dan perlu "
            f"dibuang atau ditulis ulang: {', '.join(weak)}."
            if i == 0
            else f" {len(weak)} of {len(items)} items discriminate poorly (D < {low}) and "
            f"should be dropped or rewritten: {', '.join(weak)}."
        )
    else:
        text += (
            " Tidak ada butir dengan daya beda rendah."
            if i == 0
            else " No item discriminates poorly."
        )
    return Text(text)


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
    Six months after training the transfer index was 71.2 of 100 (95% CI 66.0 to 76.5; n = 20): Berdampak. Alumni rated themselves 75.0 and their supervisors rated them 67.5.
    """
    i = _check_lang(lang, "transfer_conclusion")
    g = functools.partial(_get, transfer)
    when = ""
    if months is not None and not _missing(months):
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
            f"n = {fmt_int(g('n'), lang)}): {g('band')}. Alumni rated themselves "
            f"{fmt_num(g('index_self'), 1, lang)} and their supervisors rated them "
            f"{fmt_num(g('index_supervisor'), 1, lang)}."
        )
    if agreement is not None:
        a = functools.partial(_get, agreement)
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
    i = _check_lang(lang, "project_conclusion")
    g = functools.partial(_get, rates)

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


def cost_table(costs: Mapping[str, Any] | pd.Series, lang: str = "id") -> pd.DataFrame:
    """Unit costs (a row of :func:`evalkit.cost_summary`) as a presentation table.

    Examples
    --------
    >>> row = {"total_cost": 30_500_000.0, "n_participants": 24, "jp": 40,
    ...        "cost_per_participant": 1_270_833.3, "cost_per_participant_jp": 31_770.8,
    ...        "cost_per_gain_point": 89_495.3}
    >>> cost_table(row, "id").iloc[0, 0]
    'Rp30.500.000'
    """
    i = _check_lang(lang, "cost_table")
    g = functools.partial(_get, costs)
    rows = [
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


def roi_table(scenarios: pd.DataFrame, lang: str = "id") -> pd.DataFrame:
    """ROI scenarios (:func:`evalkit.roi_sensitivity`) as a presentation table.

    Examples
    --------
    >>> from evalkit.economics import roi_sensitivity
    >>> table = roi_table(roi_sensitivity((30e6, 60e6, 90e6), 50e6), "en")
    >>> table.loc["Base", "ROI"]
    '20%'
    """
    i = _check_lang(lang, "roi_table")
    names = {"low": ("Pesimis", "Low"), "base": ("Dasar", "Base"), "high": ("Optimis", "High")}
    headers = (
        ("Manfaat", "Benefits"),
        ("Biaya", "Costs"),
        ("BCR", "BCR"),
        ("ROI", "ROI"),
        ("Manfaat bersih", "Net benefit"),
    )
    rows = [
        [
            fmt_idr(row["benefits"], lang),
            fmt_idr(row["costs"], lang),
            fmt_num(row["bcr"], 2, lang),
            fmt_pct(row["roi_pct"], 0, lang),
            fmt_idr(row["net_benefit"], lang),
        ]
        for _, row in scenarios.iterrows()
    ]
    return pd.DataFrame(
        rows,
        index=pd.Index([names[k][i] for k in scenarios.index], name=("Skenario", "Scenario")[i]),
        columns=[h[i] for h in headers],
    )


def roi_conclusion(
    benefit: Mapping[str, Any] | pd.Series, scenarios: pd.DataFrame, lang: str = "id"
) -> Text:
    """Word the Phillips ROI of a cohort: benefits, costs, BCR, ROI % and its range.

    Parameters
    ----------
    benefit : Series
        :func:`evalkit.phillips_benefit` result (``n``, ``benefit_raw``,
        ``benefit_adjusted``).
    scenarios : DataFrame
        :func:`evalkit.roi_sensitivity` result, rows ``low, base, high``.

    Examples
    --------
    >>> from evalkit.economics import roi_sensitivity
    >>> b = {"n": 12, "benefit_raw": 90e6, "benefit_adjusted": 60e6}
    >>> print(roi_conclusion(b, roi_sensitivity((30e6, 60e6, 90e6), 50e6), "en"))
    From 12 participants' estimates, discounted for attribution and confidence, the training yields benefits of IDR 60,000,000 a year against costs of IDR 50,000,000: BCR = 1.20, ROI = 20% (range −40% to 80%). The benefits are estimates by the participants themselves: treat the ROI as indicative.
    """
    i = _check_lang(lang, "roi_conclusion")
    g = functools.partial(_get, benefit)
    base, low, high = scenarios.loc["base"], scenarios.loc["low"], scenarios.loc["high"]
    values = dict(
        n=fmt_int(g("n"), lang),
        benefit=fmt_idr(base["benefits"], lang),
        cost=fmt_idr(base["costs"], lang),
        bcr=fmt_num(base["bcr"], 2, lang),
        roi=fmt_pct(base["roi_pct"], 0, lang),
        low=fmt_pct(low["roi_pct"], 0, lang),
        high=fmt_pct(high["roi_pct"], 0, lang),
    )
    text = (
        "Dari estimasi {n} peserta, setelah dikoreksi atribusi dan tingkat keyakinan, "
        "pelatihan ini menghasilkan manfaat {benefit} per tahun terhadap biaya {cost}: "
        "BCR = {bcr}, ROI = {roi} (rentang {low} s.d. {high}). Manfaat adalah perkiraan "
        "peserta sendiri: perlakukan ROI ini sebagai indikatif.",
        "From {n} participants' estimates, discounted for attribution and confidence, the "
        "training yields benefits of {benefit} a year against costs of {cost}: BCR = {bcr}, "
        "ROI = {roi} (range {low} to {high}). The benefits are estimates by the participants "
        "themselves: treat the ROI as indicative.",
    )[i]
    return Text(text.format(**values))


def comparison_conclusion(
    tests: pd.DataFrame,
    groups: pd.DataFrame,
    what: tuple[str, str],
    lang: str = "id",
    *,
    unit: tuple[str, str] = ("poin", "points"),
    n_cohorts: Any = None,
) -> Text:
    """Word a comparison of several groups (:func:`evalkit.compare_groups`).

    With ``n_cohorts`` the test was run on cohort means (one value per cohort), and the
    sentence says so.

    Parameters
    ----------
    tests : DataFrame
        ``compare_groups`` result (rows ``anova, welch, kruskal``).
    groups : DataFrame
        One row per group with ``mean_diff`` (or ``mean``), ``ci_low``, ``ci_high``,
        e.g. ``paired_change(..., by=group)``.
    what : (str, str)
        What is compared, in Indonesian and English (e.g. ``("kenaikan nilai",
        "score gains")``) and by what, joined with " menurut " / " by ".
    unit : (str, str)
        Unit of the means.

    Examples
    --------
    >>> tests = pd.DataFrame({"stat": [29.0, 27.48, 86.0], "df1": [4, 4.0, 4],
    ...     "df2": [374, 179.5, float("nan")], "p": [1e-21, 1e-18, 1e-18],
    ...     "eta_sq": [0.2368, float("nan"), float("nan")]}, index=["anova", "welch", "kruskal"])
    >>> groups = pd.DataFrame({"mean_diff": [16.22, 5.04], "ci_low": [14.55, 3.4],
    ...     "ci_high": [17.89, 6.68]}, index=["project-based", "e-learning"])
    >>> print(comparison_conclusion(tests, groups, ("kenaikan nilai menurut metode",
    ...       "score gains by delivery method"), "en"))
    Score gains by delivery method differed: Welch's F(4, 179.5) = 27.48, p < .001; η² = .24. Highest: Project-based (16.2 points, 95% CI 14.6 to 17.9); lowest: E-learning (5.0 points, 95% CI 3.4 to 6.7).
    """
    i = _check_lang(lang, "comparison_conclusion")
    welch, anova = tests.loc["welch"], tests.loc["anova"]
    lz = i == 0
    sep = "; " if i == 0 else ", "
    test = (
        f"F Welch({fmt_num(welch['df1'], 0, lang)}{sep}{fmt_num(welch['df2'], 1, lang)}) = "
        if i == 0
        else f"Welch's F({fmt_num(welch['df1'], 0, lang)}, {fmt_num(welch['df2'], 1, lang)}) = "
    )
    test += f"{fmt_num(welch['stat'], 2, lang)}{sep}{fmt_p(welch['p'], lang)}; "
    test += f"η² = {fmt_num(anova['eta_sq'], 2, lang, leading_zero=lz)}"
    significant = float(welch["p"]) < 0.05
    subject = what[i][0].upper() + what[i][1:]
    if i == 0:
        head = f"{subject} {'berbeda bermakna' if significant else 'tidak berbeda bermakna'}"
    else:
        head = f"{subject} {'differed' if significant else 'did not differ significantly'}"
    col = "mean_diff" if "mean_diff" in groups else "mean"
    ordered = groups.dropna(subset=[col]).sort_values(col, ascending=False, kind="stable")
    text = f"{head}: {test}."
    if len(ordered) >= 2:
        u = unit[i]

        def describe(key: Any) -> str:
            row = ordered.loc[key]
            ci = fmt_ci(row["ci_low"], row["ci_high"], 1, lang)
            return f"{term(str(key), lang)} ({fmt_num(row[col], 1, lang)} {u}{sep}{ci})"

        top, bottom = ordered.index[0], ordered.index[-1]
        text += (
            f" Tertinggi: {describe(top)}; terendah: {describe(bottom)}."
            if i == 0
            else f" Highest: {describe(top)}; lowest: {describe(bottom)}."
        )
    return Text(text + _cohort_level(n_cohorts, lang))


def _cohort_level(n_cohorts: Any, lang: str) -> str:
    if n_cohorts is None:
        return ""
    n = fmt_int(n_cohorts, lang)
    return (
        f" Uji atas rerata angkatan (n = {n} angkatan)."
        if lang == "id"
        else f" Tested on cohort means (n = {n} cohorts)."
    )


def difference_conclusion(
    diff: Mapping[str, Any] | pd.Series,
    groups: tuple[str, str],
    what: tuple[str, str],
    lang: str = "id",
    *,
    decimals: int = 2,
    n_cohorts: Any = None,
) -> Text:
    """Word a two-group comparison (:func:`evalkit.group_difference`, x minus y).

    With ``n_cohorts`` the samples were cohort means, and the sentence says so.

    Parameters
    ----------
    diff : mapping or Series
        ``mean_diff, t, df, p, ci_low, ci_high, hedges_g``.
    groups : (str, str)
        Keys of the two groups (x, y), translated with :func:`term`.
    what : (str, str)
        The outcome in Indonesian and English (e.g. ``("skor relevansi",
        "relevance scores")``).

    Examples
    --------
    >>> d = {"mean_diff": 0.49, "ci_low": 0.33, "ci_high": 0.65, "t": 6.1, "df": 370.2,
    ...      "p": 1e-8, "hedges_g": 0.63}
    >>> print(difference_conclusion(d, ("practitioner", "academic"),
    ...       ("skor relevansi", "relevance scores"), "en"))
    Relevance scores were 0.49 higher with Practitioner than with Academic facilitators (95% CI 0.33 to 0.65; Hedges' g = 0.63, medium); t(370.2) = 6.10, p < .001.
    """
    i = _check_lang(lang, "difference_conclusion")
    g = functools.partial(_get, diff)
    x, y = term(groups[0], lang), term(groups[1], lang)
    sep = "; " if i == 0 else ", "
    ci = fmt_ci(g("ci_low"), g("ci_high"), decimals, lang)
    hedges = fmt_num(g("hedges_g"), 2, lang)
    label = effect_size_label(g("hedges_g"), lang)
    test = f"t({fmt_num(g('df'), 1, lang)}) = {fmt_num(g('t'), 2, lang)}{sep}{fmt_p(g('p'), lang)}"
    value = fmt_num(abs(float(g("mean_diff"))), decimals, lang)
    higher = float(g("mean_diff")) >= 0
    if i == 0:
        word = "lebih tinggi" if higher else "lebih rendah"
        return Text(
            f"{what[0][0].upper() + what[0][1:]} pada narasumber {x.lower()} {value} {word} "
            f"daripada narasumber {y.lower()} ({ci}; g Hedges = {hedges}, {label}); {test}."
            + _cohort_level(n_cohorts, lang)
        )
    word = "higher" if higher else "lower"
    return Text(
        f"{what[1][0].upper() + what[1][1:]} were {value} {word} with {x} than with {y} "
        f"facilitators ({ci}; Hedges' g = {hedges}, {label}); {test}."
        + _cohort_level(n_cohorts, lang)
    )


def did_conclusion(
    result: Mapping[str, Any] | pd.Series,
    what: tuple[str, str],
    lang: str = "id",
    *,
    decimals: int = 1,
    unit: tuple[str, str] = ("poin", "points"),
    n_treated: Any = None,
) -> Text:
    """Word a difference-in-differences estimate (:func:`evalkit.did`).

    With fewer than :data:`FEW_CLUSTERS` units (clusters) the sentence adds a caveat:
    cluster-robust standard errors from few clusters, and especially from few trained
    ones, are often too small, so the interval is too narrow and p too small
    (Cameron & Miller 2015; MacKinnon & Webb 2017). ``n_treated`` (trained units)
    is named in the caveat.

    Examples
    --------
    >>> res = {"estimate": 6.28, "ci_low": 5.17, "ci_high": 7.40, "t": 12.27, "df": 12,
    ...        "p": 4e-8, "n_obs": 78, "n_clusters": 13}
    >>> print(did_conclusion(res, ("IKM", "public satisfaction (IKM)"), "en", n_treated=5))
    After training, public satisfaction (IKM) in trained units rose by 6.3 points more than in comparison units (difference-in-differences, 95% CI 5.2 to 7.4; standard errors clustered by unit, 13 units, 78 observations); t(12) = 12.27, p < .001. **Caution:** with only 13 units, 5 of them trained, cluster-robust standard errors can be too small, so the interval may be too narrow and p too small; read the size and direction of the difference rather than its p value, and confirm with more units or a wild cluster bootstrap.
    """
    i = _check_lang(lang, "did_conclusion")
    g = functools.partial(_get, result)
    est = float(g("estimate"))
    ci = fmt_ci(g("ci_low"), g("ci_high"), decimals, lang)
    sep = "; " if i == 0 else ", "
    test = f"t({fmt_num(g('df'), 0, lang)}) = {fmt_num(g('t'), 2, lang)}{sep}{fmt_p(g('p'), lang)}"
    size = fmt_num(abs(est), decimals, lang)
    significant = float(g("ci_low")) > 0 or float(g("ci_high")) < 0
    n_units, n_obs = fmt_int(g("n_clusters"), lang), fmt_int(g("n_obs"), lang)
    if i == 0:
        verb = "naik" if est > 0 else "turun"
        body = (
            f"Setelah pelatihan, {what[0]} unit yang dilatih {verb} {size} {unit[0]} lebih "
            "banyak daripada unit pembanding"
            if significant
            else f"Setelah pelatihan, perubahan {what[0]} unit yang dilatih tidak berbeda "
            f"bermakna dari unit pembanding (selisih {fmt_num(est, decimals, lang, sign=True)} "
            f"{unit[0]})"
        )
        text = (
            f"{body} (selisih-dari-selisih, {ci}; galat baku dikelompokkan per unit, "
            f"{n_units} unit; {n_obs} pengamatan); {test}."
        )
        return Text(text + _few_clusters(g("n_clusters"), n_treated, lang))
    verb = "rose" if est > 0 else "fell"
    body = (
        f"After training, {what[1]} in trained units {verb} by {size} {unit[1]} more than in "
        "comparison units"
        if significant
        else f"After training, the change in {what[1]} in trained units did not differ "
        f"significantly from comparison units ({fmt_num(est, decimals, lang, sign=True)} "
        f"{unit[1]})"
    )
    text = (
        f"{body} (difference-in-differences, {ci}; standard errors clustered by unit, "
        f"{n_units} units, {n_obs} observations); {test}."
    )
    return Text(text + _few_clusters(g("n_clusters"), n_treated, lang))


#: Below this many clusters a DiD conclusion warns that cluster-robust SEs may be too small.
FEW_CLUSTERS = 30


def _few_clusters(n_clusters: Any, n_treated: Any, lang: str) -> str:
    if _missing(n_clusters) or int(n_clusters) >= FEW_CLUSTERS:
        return ""
    i = LANGS.index(lang)
    g = fmt_int(n_clusters, lang)
    if i == 0:
        of = "" if n_treated is None else f", {fmt_int(n_treated, lang)} di antaranya dilatih"
        return (
            f" **Perhatian:** dengan hanya {g} unit{of}, galat baku klaster dapat terlalu "
            "kecil, sehingga IK dapat terlalu sempit dan p terlalu kecil; baca besar dan arah "
            "selisihnya, bukan nilai p-nya, dan pastikan dengan lebih banyak unit atau "
            "*wild cluster bootstrap*."
        )
    of = "" if n_treated is None else f", {fmt_int(n_treated, lang)} of them trained"
    return (
        f" **Caution:** with only {g} units{of}, cluster-robust standard errors can be too "
        "small, so the interval may be too narrow and p too small; read the size and "
        "direction of the difference rather than its p value, and confirm with more units "
        "or a wild cluster bootstrap."
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
    i = _check_lang(lang, "icc_conclusion")
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


def trend_conclusion(
    estimates: pd.DataFrame,
    what: tuple[str, str],
    lang: str = "id",
    *,
    estimate: str = "mean_diff",
    tests: pd.DataFrame | None = None,
    unit: tuple[str, str] = ("poin", "points"),
    decimals: int = 1,
) -> Text:
    """Word an outcome over time: each period's estimate, then whether it changed.

    Parameters
    ----------
    estimates : DataFrame
        One row per period (e.g. year), in time order, with ``n``, the ``estimate``
        column, ``ci_low`` and ``ci_high`` (e.g. ``paired_change(..., by=year)``).
    what : (str, str)
        The outcome over time in Indonesian and English (e.g. ``("kenaikan nilai per
        tahun", "score gains by year")``).
    estimate : str
        Column of the estimate.
    tests : DataFrame, optional
        :func:`evalkit.compare_groups` of the same outcome across the periods. With it
        the sentence says whether the periods differ (Welch's ANOVA, with η²); without
        it, a change from the first to the last period is claimed only when their 95%
        CIs do not overlap.
    unit : (str, str)
        Unit of the estimate ("" for none).

    Examples
    --------
    >>> est = pd.DataFrame({"n": [130, 140], "mean_diff": [8.2, 11.9], "ci_low": [7.0, 10.6],
    ...                     "ci_high": [9.4, 13.2]}, index=[2023, 2024])
    >>> print(trend_conclusion(est, ("kenaikan nilai per tahun", "score gains by year"), "en"))
    Score gains by year: 2023 8.2 points (95% CI 7.0 to 9.4; n = 130), 2024 11.9 points (95% CI 10.6 to 13.2; n = 140). The estimate was higher in 2024 than in 2023 (their 95% CIs do not overlap).
    >>> tests = pd.DataFrame({"stat": [12.0, 11.5, 20.0], "df1": [1, 1, 1],
    ...     "df2": [268, 265.2, float("nan")], "p": [0.0006, 0.0008, 0.0001],
    ...     "eta_sq": [0.043, float("nan"), float("nan")]}, index=["anova", "welch", "kruskal"])
    >>> print(trend_conclusion(est, ("kenaikan nilai per tahun", "score gains by year"), "id",
    ...                        tests=tests))
    Kenaikan nilai per tahun: 2023 8,2 poin (IK 95% 7,0 s.d. 9,4; n = 130), 2024 11,9 poin (IK 95% 10,6 s.d. 13,2; n = 140). Perbedaan antartahun bermakna: F Welch(1; 265,2) = 11,50; p < 0,001; η² = 0,04; tertinggi pada 2024, terendah pada 2023.
    """
    i = _check_lang(lang, "trend_conclusion")
    missing = [c for c in ("n", estimate, "ci_low", "ci_high") if c not in estimates.columns]
    if missing:
        raise ParameterError(
            f"trend_conclusion: column(s) {missing} not in estimates; columns are "
            f"{list(estimates.columns)}"
        )
    valid = estimates.dropna(subset=[estimate])
    subject = what[i][0].upper() + what[i][1:]
    if valid.empty:
        return Text(f"{subject}: belum ada data." if i == 0 else f"{subject}: no data yet.")
    u = f" {unit[i]}" if unit[i] else ""

    def one(key: Any, row: pd.Series) -> str:
        ci = fmt_ci(row["ci_low"], row["ci_high"], decimals, lang)
        return f"{key} {fmt_num(row[estimate], decimals, lang)}{u} ({ci}; n = {fmt_int(row['n'], lang)})"

    text = f"{subject}: " + ", ".join(one(k, r) for k, r in valid.iterrows()) + "."
    if len(valid) < 2:
        return Text(text)
    first, last = valid.index[0], valid.index[-1]
    a, b = valid.loc[first], valid.loc[last]
    if tests is not None:
        welch, anova = tests.loc["welch"], tests.loc["anova"]
        sep = "; " if i == 0 else ", "
        stat = (
            f"F Welch({fmt_num(welch['df1'], 0, lang)}{sep}{fmt_num(welch['df2'], 1, lang)}) = "
            if i == 0
            else f"Welch's F({fmt_num(welch['df1'], 0, lang)}, {fmt_num(welch['df2'], 1, lang)}) = "
        )
        stat += f"{fmt_num(welch['stat'], 2, lang)}{sep}{fmt_p(welch['p'], lang)}; "
        stat += f"η² = {fmt_num(anova['eta_sq'], 2, lang, leading_zero=(i == 0))}"
        ordered = valid.sort_values(estimate, ascending=False, kind="stable")
        top, bottom = ordered.index[0], ordered.index[-1]
        if float(welch["p"]) < 0.05:
            text += (
                f" Perbedaan antarperiode bermakna: {stat}; tertinggi pada {top}, terendah "
                f"pada {bottom}."
                if i == 0
                else f" The periods differed: {stat}; highest in {top}, lowest in {bottom}."
            )
        else:
            text += (
                f" Perbedaan antarperiode tidak bermakna ({stat}): belum tampak perubahan "
                "dari waktu ke waktu."
                if i == 0
                else f" The periods did not differ significantly ({stat}): no change over "
                "time can be claimed."
            )
        if i == 0 and "tahun" in what[0]:
            text = text.replace("antarperiode", "antartahun")
        elif i == 1 and "year" in what[1]:
            text = text.replace("The periods", "The years")
        return Text(text)
    apart = float(b["ci_low"]) > float(a["ci_high"]) or float(b["ci_high"]) < float(a["ci_low"])
    if apart:
        higher = float(b[estimate]) > float(a[estimate])
        word = ("lebih tinggi", "higher") if higher else ("lebih rendah", "lower")
        text += (
            f" Estimasinya {word[0]} pada {last} daripada {first} (IK 95% keduanya tidak "
            "bertumpang tindih)."
            if i == 0
            else f" The estimate was {word[1]} in {last} than in {first} (their 95% CIs do "
            "not overlap)."
        )
    else:
        text += (
            f" IK 95% {first} dan {last} bertumpang tindih: belum dapat disimpulkan ada perubahan."
            if i == 0
            else f" The 95% CIs of {first} and {last} overlap: no change can be claimed."
        )
    return Text(text)


def roi_cohorts_conclusion(returns: pd.DataFrame, lang: str = "id") -> Text:
    """Word the Phillips ROI of several cohorts: how many are above break-even.

    Parameters
    ----------
    returns : DataFrame
        One row per cohort with ``roi_pct`` (base scenario, from :func:`evalkit.roi`)
        and optionally ``roi_low_pct`` and ``roi_high_pct`` (the pessimistic and
        optimistic scenarios, as in :func:`evalkit.roi_sensitivity`).

    Examples
    --------
    >>> r = pd.DataFrame({"roi_pct": [120.0, 15.0, -30.0], "roi_low_pct": [10.0, -42.5, -65.0],
    ...                   "roi_high_pct": [250.0, 90.0, 20.0]}, index=["A", "B", "C"])
    >>> print(roi_cohorts_conclusion(r, "en"))
    Of 3 cohorts with benefit estimates, 2 are above break-even (ROI > 0%) in the base scenario and 1 even in the pessimistic one; ROI ranges from −30% to 120%. The benefits are the participants' own estimates: treat these ROIs as indicative.
    """
    i = _check_lang(lang, "roi_cohorts_conclusion")
    valid = returns.dropna(subset=["roi_pct"])
    n = fmt_int(len(valid), lang)
    if valid.empty:
        return Text(
            "Belum ada angkatan dengan estimasi manfaat."
            if i == 0
            else "No cohort has benefit estimates yet."
        )
    above = fmt_int(int((valid["roi_pct"] > 0).sum()), lang)
    low = ""
    if "roi_low_pct" in valid and (valid["roi_pct"] > 0).any():
        k = fmt_int(int((valid["roi_low_pct"] > 0).sum()), lang)
        low = (
            f" dan {k} bahkan pada skenario pesimis"
            if i == 0
            else f" and {k} even in the pessimistic one"
        )
    lo, hi = fmt_pct(valid["roi_pct"].min(), 0, lang), fmt_pct(valid["roi_pct"].max(), 0, lang)
    zero = fmt_pct(0, 0, lang)
    if i == 0:
        return Text(
            f"Dari {n} angkatan yang memiliki estimasi manfaat, {above} berada di atas titik "
            f"impas (ROI > {zero}) pada skenario dasar{low}; ROI berkisar {lo} s.d. {hi}. "
            "Manfaat adalah perkiraan peserta sendiri: perlakukan ROI ini sebagai indikatif."
        )
    return Text(
        f"Of {n} cohorts with benefit estimates, {above} are above break-even (ROI > {zero}) in "
        f"the base scenario{low}; ROI ranges from {lo} to {hi}. The benefits are the "
        "participants' own estimates: treat these ROIs as indicative."
    )


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
    i = _check_lang(lang, "compliance_table")
    words = {"compliant": ("patuh", "compliant"), "not_compliant": ("tidak patuh", "not compliant")}
    to = " s.d. " if i == 0 else " to "
    rate, ci = [], []
    for _, row in safe.iterrows():
        if row["suppressed"]:
            rate.append(f"< {min_cell} {words[row['suppressed']][i]}")
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


def compliance_note(year: Any, lang: str = "id", *, min_cell: int = C.MIN_CELL_SIZE) -> Text:
    """Say which year a 20-JP compliance table shows and whom its rates are among.

    The study knows only staff who took part in a training of the study; staff
    trained only in earlier years would count with 0 JP, so the denominator is the
    staff with a training record in the year shown or the year before.

    Examples
    --------
    >>> print(compliance_note(2025, "en"))  # doctest: +ELLIPSIS
    Year 2025. Compliance is among staff who took part in a training of this study in 2024 or 2025, not among all staff of the unit: ...
    """
    i = _check_lang(lang, "compliance_note")
    y, prev = int(year), int(year) - 1
    if i == 0:
        return Text(
            f"Tahun {y}. Kepatuhan dihitung di antara pegawai yang mengikuti pelatihan dalam "
            f"studi ini pada {prev} atau {y}, bukan di antara seluruh pegawai unit: studi ini "
            "tidak memiliki daftar pegawai, dan JP dari pelatihan di luar studi tidak tercatat, "
            f"sehingga angka ini batas bawah. Persentase yang menggambarkan kurang dari {min_cell} "
            f'orang (patuh atau tidak patuh) ditampilkan sebagai "< {min_cell}"; IK 95% Wilson.'
        )
    return Text(
        f"Year {y}. Compliance is among staff who took part in a training of this study in "
        f"{prev} or {y}, not among all staff of the unit: the study has no staff roster, and "
        "JP from trainings outside the study are not recorded, so these rates are a lower "
        f"bound. Rates that would describe fewer than {min_cell} people (compliant or not) "
        f'are shown as "< {min_cell}"; Wilson 95% CI.'
    )


def transfer_note(lang: str = "id") -> Text:
    """How the transfer index is built and banded (:data:`evalkit.constants.IMPACT_BANDS`).

    Examples
    --------
    >>> print(transfer_note("en"))  # doctest: +ELLIPSIS
    Each alumnus's index is the mean of the self and the supervisor rating (each 0-100); ... Bands: Very high impact ≥ 80, Impactful ≥ 60, Moderate impact ≥ 40, Low impact below 40.
    """
    i = _check_lang(lang, "transfer_note")
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
