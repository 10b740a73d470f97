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
Post-test scores rose by 14.2 points (95% CI 10.1 to 18.3; d_z = 1.12, n = 28), a large effect; t(27) = 5.93, p < .001. The class-average normalised gain was g = .45 (medium).
>>> print(learning_conclusion(change))
Nilai post-test naik 14,2 poin (IK 95% 10,1 s.d. 18,3; d_z = 1,12; n = 28), efek besar; t(27) = 5,93; p < 0,001. Rata-rata gain ternormalisasi kelas g = 0,45 (sedang).
"""

from __future__ import annotations

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
for _key, (_id, _en) in C.REACTION_DIMENSIONS.items():
    TERMS[_key] = (_id, _en)


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
    """
    text = fmt_num(amount, 0, lang)
    if text == MISSING:
        return text
    return f"Rp{text}" if lang == "id" else f"IDR {text}"


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
    label = effect_size_label(d_z, lang)
    if significant and i == 1:
        verb = "rose" if float(diff) > 0 else "fell"
        text = f"Post-test scores {verb} by {size} {unit} ({stats}), a {label} effect; {test}."
    elif significant:
        verb = "naik" if float(diff) > 0 else "turun"
        text = f"Nilai post-test {verb} {size} {unit} ({stats}), efek {label}; {test}."
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
    g = _get(change, "hake_g")
    if not _missing(g):
        band = term(hake_band(g), lang)
        g_text = fmt_num(g, 2, lang, leading_zero=(i == 0))
        text += (
            f" Rata-rata gain ternormalisasi kelas g = {g_text} ({band})."
            if i == 0
            else f" The class-average normalised gain was g = {g_text} ({band})."
        )
    return Text(text)


def reliability_conclusion(alpha: Mapping[str, Any] | pd.Series, lang: str = "id") -> Text:
    """Word Cronbach's alpha (a row of :func:`evalkit.cronbach_alpha`) with its CI.

    Below :data:`evalkit.constants.ALPHA_ACCEPTABLE` the sentence carries a warning.

    Examples
    --------
    >>> row = {"alpha": 0.862, "ci_low": 0.79, "ci_high": 0.91, "n": 24, "k": 15}
    >>> print(reliability_conclusion(row, "en"))
    Internal consistency of the reaction scale was acceptable: Cronbach's α = .86 (95% CI .79 to .91; k = 15 items, n = 24).
    >>> print(reliability_conclusion({**row, "alpha": 0.55}, "id"))  # doctest: +ELLIPSIS
    **Perhatian:** konsistensi internal skala reaksi di bawah 0,70: ...
    """
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
    mde: Any, n: Any, lang: str = "id", *, power: float = 0.8, alpha: float = 0.05
) -> Text:
    """Say what effect the cohort's n could detect (from ``minimum_detectable_effect``).

    Examples
    --------
    >>> print(mde_conclusion(0.55, 28, "en"))
    With n = 28, a paired design detects with 80% power (two-sided α = .05) only effects of d_z ≥ 0.55 (medium); smaller true effects may go unnoticed.
    """
    i = _check_lang(lang, "mde_conclusion")
    d = fmt_num(mde, 2, lang)
    label = effect_size_label(mde, lang)
    pw = fmt_pct(power * 100, 0, lang)
    a = fmt_num(alpha, 2, lang, leading_zero=(i == 0))
    if i == 0:
        return Text(
            f"Dengan n = {fmt_int(n, lang)}, desain berpasangan dengan power {pw} (α = {a}, "
            f"dua sisi) hanya dapat mendeteksi efek d_z ≥ {d} ({label}); efek sebenarnya yang "
            "lebih kecil mungkin tidak terdeteksi."
        )
    return Text(
        f"With n = {fmt_int(n, lang)}, a paired design detects with {pw} power (two-sided "
        f"α = {a}) only effects of d_z ≥ {d} ({label}); smaller true effects may go unnoticed."
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


def count_table(
    data: pd.DataFrame,
    column: str,
    lang: str = "id",
    *,
    min_cell: int = C.MIN_CELL_SIZE,
    order: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Counts and percentages of one category, with small cells suppressed.

    Cells under ``min_cell`` people are shown as ``"< 5"``. When that hides exactly
    one cell, the next smallest cell is hidden too (shown as ``"≥ 5"``), so the hidden
    count cannot be recovered from the total (secondary suppression).

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

    Returns
    -------
    DataFrame
        Indexed by the category's label, columns ``n`` and ``%`` as text.

    Examples
    --------
    >>> people = pd.DataFrame({"sex": ["L"] * 9 + ["P"] * 3})
    >>> count_table(people, "sex", "en").to_dict("index")
    {'Male': {'n': '≥ 5', '%': '–'}, 'Female': {'n': '< 5', '%': '–'}}
    """
    _check_lang(lang, "count_table")
    if column not in data.columns:
        raise ParameterError(
            f"count_table: column {column!r} not in data; columns are {list(data.columns)}"
        )
    counts = data[column].value_counts(sort=True)
    if order is not None:
        counts = counts.reindex([c for c in order if c in counts.index])
    total = int(counts.sum())
    small = counts < min_cell
    hidden = small.copy()
    if small.sum() == 1 and len(counts) > 1:
        hidden[counts[~small].idxmin()] = True
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
        (default: ``alpha``, ``r_drop``, ``alpha_if_dropped``, ``p``).
    columns : columns to keep, in order (default: all).

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
        if col in integer:
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
