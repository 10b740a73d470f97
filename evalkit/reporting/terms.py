"""Part of evalkit.narrative."""

from __future__ import annotations

import math
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


OTHER = "other"


class Text(str):
    """A sentence or paragraph of a report; notebooks display it as Markdown.

    Examples
    --------
    >>> Text("**n** = 5")._repr_markdown_()
    '**n** = 5'
    """

    def _repr_markdown_(self) -> str:
        return str(self)


def check_lang(lang: str, func: str) -> int:
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
    i = check_lang(lang, "term")
    pair = TERMS.get(key)
    return pair[i] if pair else key


def is_missing(x: Any) -> bool:
    try:
        return x is None or x is pd.NA or math.isnan(float(x))
    except (TypeError, ValueError):
        return False


def effect_size_label(d: Any, lang: str = "id") -> str:
    """Cohen's (1988) verbal label of a standardised mean difference (by absolute size).

    Examples
    --------
    >>> effect_size_label(1.12, "en"), effect_size_label(-0.3), effect_size_label(0.1, "en")
    ('large', 'kecil', 'negligible')
    """
    i = check_lang(lang, "effect_size_label")
    if is_missing(d):
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
    if is_missing(g):
        return MISSING
    for lower, label in C.HAKE_BANDS:
        if float(g) >= lower:
            return label
    return C.HAKE_BANDS[-1][1]
