"""The words of the reports: the bilingual term dictionary and the one language check.

Every report is written in Indonesian (``"id"``, the default) or English (``"en"``).
:data:`TERMS` maps the keys the data and the metrics use (column names, category
codes, band labels) to the word a reader sees in each language, and :func:`term`
looks one up. :func:`check_lang` is the single check of a ``lang`` parameter that
every reporting function (words, numbers, tables, figures, comments) calls, so an
unknown language gives the same :class:`~evalkit.errors.ParameterError` everywhere.

Also here: :class:`Text` (a sentence notebooks show as Markdown), the en dash
:data:`MISSING` printed for a missing value, :func:`effect_size_label` (Cohen's
words for a standardised difference) and :func:`hake_band_label` (the band of one
normalised gain, by the rule of :func:`evalkit.hake_band`).

Examples
--------
>>> term("sex", "en"), term("n_participants"), check_lang("en", "term")
('Sex', 'Peserta', 1)
"""

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
    "other": (
        f"Lainnya (masing-masing kurang dari {C.MIN_CELL_SIZE})",
        f"Other (fewer than {C.MIN_CELL_SIZE} each)",
    ),
    "trained": ("Unit terlatih", "Trained units"),
    "comparison": ("Unit pembanding", "Comparison units"),
    "estimate": ("Estimasi", "Estimate"),
    "mean_diff": ("Kenaikan", "Gain"),
    "d_z": ("d_z", "d_z"),
    "hake_g": ("⟨g⟩", "⟨g⟩"),
    "reaction_index": ("Indeks reaksi", "Reaction index"),
    "cohort_id": ("Angkatan", "Cohort"),
    "n_staff": ("Pegawai", "Staff"),
    "compliance_rate": ("% patuh 20 JP", "% meeting 20 JP"),
    "mean_jp": ("Rerata JP", "Mean JP"),
    "total_cost": ("Total biaya (Rp)", "Total cost (IDR)"),
    "cost_per_participant": ("Biaya/peserta (Rp)", "Cost/participant (IDR)"),
    "cost_per_participant_jp": ("Biaya/peserta/JP (Rp)", "Cost/participant/JP (IDR)"),
    "mean_gain": ("Rerata kenaikan", "Mean gain"),
    "cost_per_gain_point": ("Biaya/poin (Rp)", "Cost/point (IDR)"),
    "p": ("p", "p"),
    "period": ("Periode", "Period"),
    "difference": ("Selisih", "Difference"),
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
    # unit of analysis, for whom, did it last
    "n_clusters": ("Angkatan", "Cohorts"),
    "reference": ("Pembanding", "Reference"),
    "diff": ("Selisih", "Difference"),
    "diff_ci_low": ("Selisih IK bawah", "Difference CI low"),
    "diff_ci_high": ("Selisih IK atas", "Difference CI high"),
    "diff_p": ("p selisih", "Difference p"),
    "p_adjusted": ("p terkoreksi", "Adjusted p"),
    "holm_p": ("p Holm", "Holm p"),
    "bh_p": ("p BH", "BH p"),
    "f": ("F", "F"),
    "df1": ("db1", "df1"),
    "df2": ("db2", "df2"),
    "n_levels": ("Kelompok", "Subgroups"),
    "n_suppressed": ("Kelompok < 5", "Subgroups < 5"),
    "design_effect": ("Efek desain", "Design effect"),
    "mean_change": ("Perubahan", "Change"),
    "index_pomp": ("Indeks POMP (0-100)", "POMP index (0-100)"),
    "index_pct_max": ("Indeks % maks.", "Index % of max."),
    "pomp_ci_low": ("IK bawah POMP", "POMP CI low"),
    "pomp_ci_high": ("IK atas POMP", "POMP CI high"),
    "transfer_test": ("Uji", "Test"),
    "gain_by_delivery": ("Metode pembelajaran (kenaikan nilai)", "Delivery method (score gain)"),
    "relevance_by_facilitator": (
        "Jenis narasumber (skor relevansi)",
        "Facilitator type (relevance)",
    ),
    "trend_gain": ("Tren tahunan kenaikan nilai", "Yearly trend of score gain"),
    "trend_reaction": ("Tren tahunan indeks reaksi", "Yearly trend of reaction index"),
    "subgroup_gain": ("Kelompok peserta (kenaikan nilai)", "Subgroups (score gain)"),
    "subgroup_transfer": ("Kelompok peserta (transfer)", "Subgroups (transfer)"),
    "gain_transfer_link": ("Hubungan L2 -> L3", "L2 -> L3 link"),
    "six_month_change": ("Perubahan 3 -> 6 bulan", "3 -> 6 month change"),
}

#: Keys that name the same thing as another key (a column and its category, say),
#: alias -> key: they share that key's words, so each label is written once.
ALIASES: dict[str, str] = {
    "pct_top_box": "top2",
    "n_participants": "participants",
    "n_treated": "trained",
    "n_control": "comparison",
    "period_index": "period",
}

# --- Level 5: ROI intervals, scenarios, cost items, cost-effectiveness (economics) ---
TERMS.update(
    {
        "n_respondents": ("Peserta yang memberi estimasi", "Participants giving estimates"),
        "n_unit_rows": ("Estimasi tingkat unit", "Unit-level estimates"),
        "n_estimate_rows": ("Baris estimasi", "Estimate rows"),
        "bcr_ci": ("IK 95% BCR", "BCR 95% CI"),
        "roi_ci": ("IK 95% ROI", "ROI 95% CI"),
        "break_even": ("Titik impas", "Break-even"),
        "break_even_above": ("di atas titik impas", "above break-even"),
        "break_even_below": ("di bawah titik impas", "below break-even"),
        "break_even_indistinguishable": (
            "tidak dapat dibedakan dari titik impas",
            "not distinguishable from break-even",
        ),
        "scenario_base": (
            "Dasar: atribusi × keyakinan masing-masing, manfaat 1 tahun, tanpa estimasi = 0",
            "Base: each estimator's attribution × confidence, 1 year of benefits, no estimate = 0",
        ),
        "scenario_attribution_low": ("Atribusi dikali 0,5", "Attribution × 0.5"),
        "scenario_confidence_min": (
            "Hanya estimasi dengan keyakinan ≥ 70%",
            "Only estimates with confidence ≥ 70%",
        ),
        "scenario_duration_short": ("Manfaat bertahan 6 bulan", "Benefits last 6 months"),
        "scenario_duration_long": (
            "Manfaat bertahan 2 tahun (tanpa diskonto)",
            "Benefits last 2 years (undiscounted)",
        ),
        "scenario_respondents_extrapolated": (
            "Yang tidak mengisi dianggap sama dengan yang mengisi (bukan aturan Phillips)",
            "Non-respondents assumed like respondents (not Phillips' rule)",
        ),
        "scenario_low": ("Pesimis", "Low"),
        "scenario_high": ("Optimis", "High"),
        "cash": ("Biaya tunai (Rp)", "Cash (IDR)"),
        "participant_time": ("Waktu peserta (Rp)", "Participant time (IDR)"),
        "cost_other": ("Lainnya (Rp)", "Other (IDR)"),
        "share_participant_time": ("% waktu peserta", "% participant time"),
        "instrument": ("Tes (program)", "Test (program)"),
        "max_score": ("Skor maks.", "Max score"),
        "rank_in_instrument": ("Peringkat dalam tes", "Rank within test"),
        "n_in_instrument": ("Angkatan dengan tes ini", "Cohorts with this test"),
        "sd_pre": ("SD pre-test", "Pre-test SD"),
        "standardized_gain": ("Kenaikan baku (SD pre)", "Standardised gain (pre SD)"),
        "cost_per_sd_gain": ("Biaya/SD kenaikan (Rp)", "Cost per SD of gain (IDR)"),
        "portfolio": ("Seluruh program", "All programs"),
        "program_id": ("Program", "Program"),
    }
)

TERMS.update(C.REACTION_DIMENSIONS)
TERMS.update({alias: TERMS[key] for alias, key in ALIASES.items()})

# --- Level 4 inference (impact study): outcomes, models, p-values, treated definition ---
TERMS.update(
    {
        "outcome": ("Hasil", "Outcome"),
        "group": ("Kelompok", "Group"),
        "role": ("Peran", "Role"),
        "primary": ("utama", "primary"),
        "secondary": ("sekunder", "secondary"),
        "ikm": ("IKM", "IKM"),
        "service_days": ("Waktu layanan (hari)", "Service time (days)"),
        "complaints": ("Pengaduan", "Complaints"),
        "did": ("Selisih-dari-selisih", "Difference-in-differences"),
        "rate_ratio": ("Rasio laju", "Rate ratio"),
        "estimand": ("Ukuran efek", "Effect measure"),
        "cluster_p": ("p (galat baku klaster)", "p (cluster-robust)"),
        "ri_p": ("p (randomisasi)", "p (randomisation)"),
        "wild_p": ("p (wild bootstrap)", "p (wild bootstrap)"),
        "holm_p": ("p Holm (sekunder)", "Holm p (secondary)"),
        "pretrend_p": ("p tren awal", "Pre-trend p"),
        "n_obs": ("Pengamatan", "Observations"),
        "n_units": ("Unit", "Units"),
        "n_defining": ("Staf di angkatan program", "Staff in the program's cohort"),
        "n_other": ("Staf di pelatihan lain", "Staff in other trainings"),
        "n_other_cohorts": ("Angkatan lain", "Other cohorts"),
        "n_in_treated": ("Peserta di unit terlatih", "Trainees in trained units"),
        "n_in_comparison": ("Peserta di unit pembanding", "Trainees in comparison units"),
        "n_treated_units": ("Unit terlatih dijangkau", "Trained units reached"),
        "defines_treated": ("Mendefinisikan kelompok terlatih", "Defines the trained group"),
        "ikm_pre": ("IKM sebelum", "IKM before"),
        "grade_pre": ("Mutu sebelum", "Grade before"),
        "ikm_post": ("IKM sesudah", "IKM after"),
        "grade_post": ("Mutu sesudah", "Grade after"),
        "transition": ("Perubahan mutu", "Grade change"),
        "change": ("Perubahan", "Change"),
        "rr_ci_low": ("IK bawah", "CI low"),
        "rr_ci_high": ("IK atas", "CI high"),
    }
)

# Reliability from a factor model, item statistics with intervals, POMP scores (issue 10)
TERMS.update(
    {
        "pomp": ("POMP (0-100)", "POMP (0-100)"),
        "pomp_ci_low": ("POMP: IK bawah", "POMP: CI low"),
        "pomp_ci_high": ("POMP: IK atas", "POMP: CI high"),
        "pct_of_max": ("% skor maksimum", "% of maximum"),
        "omega": ("Omega McDonald", "McDonald's omega"),
        "r_drop_ci_low": ("r: IK 95% bawah", "r: 95% CI low"),
        "r_drop_ci_high": ("r: IK 95% atas", "r: 95% CI high"),
        "r_drop_flag": ("Penilaian r (IK 95%)", "r judged by its 95% CI"),
        "difficulty_ci_low": ("p: IK 95% bawah", "p: 95% CI low"),
        "difficulty_ci_high": ("p: IK 95% atas", "p: 95% CI high"),
        "difficulty_flag": ("Kesukaran menurut IK 95%", "Difficulty by its 95% CI"),
        "discrimination_ci_low": ("D: IK 95% bawah", "D: 95% CI low"),
        "discrimination_ci_high": ("D: IK 95% atas", "D: 95% CI high"),
        "discrimination_flag": ("Daya beda menurut IK 95%", "Discrimination by its 95% CI"),
        "point_biserial_ci_low": ("r pb: IK 95% bawah", "r pb: 95% CI low"),
        "point_biserial_ci_high": ("r pb: IK 95% atas", "r pb: 95% CI high"),
        "kr20_ci_low": ("KR-20: IK 95% bawah", "KR-20: 95% CI low"),
        "kr20_ci_high": ("KR-20: IK 95% atas", "KR-20: 95% CI high"),
        "adequate": ("memadai", "adequate"),
        "review": ("perlu ditinjau", "review"),
        "uncertain": ("belum pasti pada n ini", "uncertain at this n"),
        "test_form": ("Bentuk tes", "Test form"),
        "cohorts": ("Angkatan yang digabung", "Cohorts pooled"),
        **{f"form {i}": (f"bentuk {i}", f"form {i}") for i in range(1, 10)},
    }
)


#: Key of the row that pools small categories (:func:`evalkit.reporting.tables.count_table`)
#: and of the comments that match no theme (:mod:`evalkit.reporting.comments`).
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


def other_language_tags(lang: str) -> set[str]:
    """Cell tags of the markdown written for the languages other than ``lang``.

    The notebooks tag each markdown cell ``lang-id`` or ``lang-en``; a report in one
    language drops the cells of the others.

    Examples
    --------
    >>> other_language_tags("en")
    {'lang-id'}
    """
    check_lang(lang, "other_language_tags")
    return {f"lang-{code}" for code in LANGS if code != lang}


def check_lang(lang: str, func: str) -> int:
    """Check a ``lang`` parameter and return its position in :data:`LANGS` (0 id, 1 en).

    Parameters
    ----------
    lang : str
        The language asked for.
    func : str
        Name of the calling function, named in the error.

    Raises
    ------
    ParameterError
        ``lang`` is not ``"id"`` or ``"en"``.

    Examples
    --------
    >>> check_lang("id", "fmt_num"), check_lang("en", "fmt_num")
    (0, 1)
    >>> check_lang("fr", "fmt_num")
    Traceback (most recent call last):
    ...
    evalkit.errors.ParameterError: fmt_num: parameter 'lang' must be one of ('id', 'en'), got 'fr'
    """
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
    """Whether ``x`` is a missing number (None, ``pd.NA`` or NaN); text is not missing.

    Examples
    --------
    >>> is_missing(None), is_missing(float("nan")), is_missing(0.0), is_missing("a")
    (True, True, False, False)
    """
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


def hake_band_label(g: Any) -> str:
    """The Hake (1998) band of one normalised gain as a key of :data:`TERMS`, or an en dash.

    The band is :func:`evalkit.hake_band`'s (thresholds in
    :data:`evalkit.constants.HAKE_BANDS`); this is its label for one number in a
    sentence or a table cell: ``"low"``, ``"medium"`` or ``"high"`` (translate with
    :func:`term`), and :data:`MISSING` for a missing gain.

    Examples
    --------
    >>> hake_band_label(0.45), hake_band_label(0.7), hake_band_label(-0.1)
    ('medium', 'high', 'low')
    >>> hake_band_label(None), term(hake_band_label(0.3), "id")
    ('–', 'sedang')
    """
    # imported here: the runner's HTML export imports this module, and should not
    # pay for scipy, which the metrics import
    from evalkit.metrics.learning import hake_band

    if is_missing(g):
        return MISSING
    return str(hake_band(float(g)).iloc[0])


# --- Training needs and the budget planner (metrics.needs, metrics.planner; issue 13) ---
TERMS.update(
    {
        "characteristic": ("Karakteristik", "Characteristic"),
        "n_group": ("Orang dalam kelompok", "People in group"),
        "overall_mean": ("Rerata semua", "Mean of all"),
        "gap_to_overall": ("Selisih dari rerata semua", "Gap from the mean of all"),
        "below_overall": ("Seluruh IK di bawah rerata semua", "Whole CI below the mean of all"),
        "inference": ("Inferensi", "Inference"),
        "cluster": ("robust-klaster", "cluster-robust"),
        "t": ("t, satu angkatan", "t, one cohort"),
        "rank": ("Peringkat", "Rank"),
        "budget": ("Anggaran (Rp)", "Budget (IDR)"),
        "n_cohorts_observed": ("Angkatan teramati", "Cohorts observed"),
        "cost_min": ("Biaya/peserta terendah (Rp)", "Lowest cost/participant (IDR)"),
        "cost_max": ("Biaya/peserta tertinggi (Rp)", "Highest cost/participant (IDR)"),
        "cohort_size": ("Peserta per angkatan", "Participants per cohort"),
        "n_participants_low": ("Peserta (biaya tertinggi)", "Participants (highest cost)"),
        "n_participants_high": ("Peserta (biaya terendah)", "Participants (lowest cost)"),
        "measure": ("Ukuran efek", "Effect measure"),
        "effect": ("Efek teramati", "Observed effect"),
        "effect_ci_low": ("Efek: IK bawah", "Effect: CI low"),
        "effect_ci_high": ("Efek: IK atas", "Effect: CI high"),
        "effect_per_million": (
            "Efek per Rp1 juta per peserta",
            "Effect per IDR 1 million per participant",
        ),
        "effect_per_million_ci_low": (
            "Efek per Rp1 juta: IK bawah",
            "Effect per IDR 1 million: CI low",
        ),
        "effect_per_million_ci_high": (
            "Efek per Rp1 juta: IK atas",
            "Effect per IDR 1 million: CI high",
        ),
        "deff": ("Efek desain", "Design effect"),
        "mde_d_z": ("MDE (d_z)", "MDE (d_z)"),
        "mde": ("MDE", "MDE"),
        "underpowered": ("Studi terlalu kecil", "Study too small"),
        "comparable": ("Dapat dibandingkan antartes", "Comparable across tests"),
        "pomp_gain": ("Kenaikan (poin POMP)", "Gain (POMP points)"),
        "effect_ci": ("IK 95% efek", "Effect 95% CI"),
        "effect_per_million_ci": ("IK 95% efek per Rp1 juta", "95% CI of effect per IDR 1 million"),
        "n_participants_range": ("Rentang peserta", "Participants, range"),
    }
)


# Facilitator evaluation: widyaiswara/narasumber ratings (issue 13)
TERMS.update(
    {
        "facilitator_role": ("Unsur", "Role"),
        "widyaiswara": ("Widyaiswara", "Widyaiswara"),
        "n_raters": ("Penilai", "Raters"),
        "n_cohorts_taught": ("Angkatan diajar", "Cohorts taught"),
        "alpha_ci": ("Alfa: IK 95%", "Alpha: 95% CI"),
        "clustered_by_cohort": ("angkatan", "cohorts"),
        "clustered_by_rater": ("peserta", "raters"),
        "component": ("Sumber ragam", "Source of variance"),
        "variance": ("Ragam", "Variance"),
        "share": ("Porsi", "Share"),
        "residual": ("Dalam (peserta, sesi)", "Within (raters, sessions)"),
        "cohort_component": ("Angkatan (pelatihan)", "Cohort (course)"),
    }
)


# --- retrospective (then-test) follow-up, PTIA's score, the long term (issue 13) ---------
TERMS.update(
    {
        "retro_before": ("Sebelum pelatihan (diingat)", "Before training (recalled)"),
        "retro_now": ("Sekarang", "Now"),
        "retro_index_pomp": ("Penilaian perilaku (POMP 0-100)", "Behaviour rating (POMP 0-100)"),
        "transfer_index_pomp": ("Indeks transfer (POMP 0-100)", "Transfer index (POMP 0-100)"),
        "mean_before": ("Rerata sebelum", "Mean before"),
        "mean_now": ("Rerata sekarang", "Mean now"),
        "mean_self": ("Rerata diri sendiri", "Mean self"),
        "mean_supervisor": ("Rerata atasan", "Mean supervisor"),
        "gap": ("Selisih atasan - diri", "Supervisor - self"),
        "level3": ("Skor PTIA level 3", "PTIA score, level 3"),
        "band3": ("Kategori PTIA", "PTIA band"),
        "self_l3": ("Poin alumni (PTIA)", "Alumni points (PTIA)"),
        "supervisor_l3": ("Poin atasan (PTIA)", "Supervisor points (PTIA)"),
        "dropped_out": ("Tidak dinilai lagi", "Not rated again"),
        "index_baseline": ("Indeks gelombang pertama", "First-wave index"),
        "n_dropped": ("Keluar", "Left"),
        "n_stayed": ("Bertahan", "Stayed"),
        "mean_dropped": ("Rerata yang keluar", "Mean of who left"),
        "mean_stayed": ("Rerata yang bertahan", "Mean of who stayed"),
        "n_pairs": ("Alumni di kedua gelombang", "Alumni at both waves"),
        "mde_points": ("Perubahan minimal terdeteksi (poin)", "Minimum detectable change (points)"),
        "mde_dz": ("MDE (d_z)", "MDE (d_z)"),
        "detectable": ("Terdeteksi", "Detectable"),
        "response_shift": ("Pergeseran respons", "Response shift"),
        "retrospective_change": ("Perubahan retrospektif", "Retrospective change"),
        # PTIA's bands (constants.PTIA_BANDS), as the app spells them
        "Sangat berdampak": ("Sangat berdampak", "High impact"),
        "Cukup berdampak": ("Cukup berdampak", "Moderate impact"),
        "Kurang berdampak": ("Kurang berdampak", "Low impact"),
        "Tidak berdampak": ("Tidak berdampak", "No impact"),
        "retro_plot_title": (
            "Penilaian sebelum dan sekarang, alumni dan atasan (IK 95%)",
            "Ratings of before and now, alumni and supervisors (95% CI)",
        ),
        "persistence_plot_title": (
            "Indeks transfer per gelombang dan program (IK 95%)",
            "Transfer index by wave and program (95% CI)",
        ),
    }
)
