"""Report sections: the cohort report's title, the notes of sections without data.

:func:`cohort_title` writes a cohort report's heading and its one-line facts;
:func:`section_note` the sentence shown where a cohort or study has no data for a
section (or too few people to describe, :data:`evalkit.constants.MIN_CELL_SIZE`);
:func:`reaction_method` the subheading and method text of each part of a cohort's
reaction section, shown only where the cohort shows its reaction results.
:func:`result_value` reads one value of a metric result row, NaN when absent, for
the tables and conclusions.

Examples
--------
>>> print(section_note("costs", "en"))
*No cost data for this cohort.*
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from evalkit import constants as C
from evalkit.errors import ParameterError
from evalkit.reporting.disclosure import reaction_withheld
from evalkit.reporting.formats import fmt_date, fmt_int
from evalkit.reporting.terms import Text, check_lang, term


def result_value(result: Mapping[str, Any] | pd.Series, key: str) -> Any:
    """``result[key]``, or NaN when the result has no such value (printed as an en dash).

    Examples
    --------
    >>> result_value({"n": 24}, "n"), result_value({"n": 24}, "p")
    (24, nan)
    """
    try:
        return result[key]
    except (KeyError, IndexError):
        return float("nan")


#: Columns a cohort list gives and a cohort known only by its code lacks.
_COHORT_FACTS = (C.PROGRAM_ID, C.PROGRAM_NAME, C.START_DATE, C.END_DATE, C.DELIVERY)


def derived_cohort(cohort: Mapping[str, Any] | pd.Series | pd.DataFrame) -> bool:
    """Whether cohort rows are known only by their code: program, dates and method all missing.

    Cleaning writes such rows when the codebook maps no cohort list
    (:mod:`evalkit.data.derived_cohorts`); the reports then say so in one sentence.

    Examples
    --------
    >>> derived_cohort(pd.DataFrame({"cohort_id": ["A-1"], "start_date": [pd.NaT]}))
    True
    >>> derived_cohort({"cohort_id": "A-1", "program_name": "Pelayanan Prima"})
    False
    """
    if isinstance(cohort, pd.Series):
        frame = cohort.to_frame().T
    elif isinstance(cohort, Mapping):
        frame = pd.DataFrame([cohort])
    else:
        frame = cohort
    if frame.empty:
        return False
    return all(c not in frame or frame[c].isna().all() for c in _COHORT_FACTS)


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
    i = check_lang(lang, "cohort_title")
    get = cohort.get if isinstance(cohort, Mapping) else cohort.get
    cid = get(C.COHORT_ID) or getattr(cohort, "name", "")
    if derived_cohort(cohort):  # no cohort list: only the code is known
        head = ("# Laporan evaluasi: angkatan", "# Evaluation report: cohort")[i] + f" {cid}"
        people = (f"{fmt_int(n, lang)} peserta", f"{fmt_int(n, lang)} participants")[i]
        return Text(f"{head}\n\n{people} · {section_note('no_cohort_list', lang).strip('*')}")
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


def section_note(key: str, lang: str = "id") -> Text:
    """A short note for a section the cohort has no data for.

    Examples
    --------
    >>> print(section_note("followup", "en"))
    *No follow-up ratings have been collected for this cohort yet.*
    """
    i = check_lang(lang, "section_note")
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
        "no_cohort_list": ("Studi ini tidak memiliki daftar angkatan, sehingga program, tanggal "
                           "dan metode pembelajaran angkatan ini tidak diketahui.",
                           "This study has no cohort list, so this cohort's program, dates and "
                           "delivery method are unknown."),
        "no_cohort_list_study": ("Studi ini tidak memiliki daftar angkatan, sehingga program, "
                                 "tanggal dan metode pembelajaran angkatannya tidak diketahui.",
                                 "This study has no cohort list, so the programs, dates and "
                                 "delivery methods of its cohorts are unknown."),
        "undated_study": ("Angkatan studi ini tidak memiliki tanggal mulai, sehingga tidak ada "
                          "tren per tahun.",
                          "The cohorts of this study have no start dates, so there is no trend "
                          "by year."),
        "undated_jp": ("Angkatan studi ini tidak memiliki tanggal, sehingga pemenuhan 20 JP per "
                       "tahun tidak dapat dihitung.",
                       "The cohorts of this study have no dates, so the 20-JP compliance per year "
                       "cannot be counted."),
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
        "participants": ("Belum ada data peserta untuk angkatan ini.",
                         "No participant data for this cohort."),
        # a program overview: the study as a whole lacks the tables of a section
        "participants_study": ("Belum ada data peserta dalam studi ini, sehingga kepatuhan "
                               "20 JP belum dapat dihitung.",
                               "No participant data in this study, so 20-JP compliance cannot "
                               "be computed."),
        "learning_study": ("Belum ada nilai pre-test dan post-test berpasangan dalam studi "
                           "ini, sehingga kenaikan nilai belum dapat dibandingkan.",
                           "No paired pre-test and post-test scores in this study, so score "
                           "gains cannot be compared."),
        "reaction_study": ("Belum ada jawaban survei reaksi dalam studi ini.",
                           "No reaction survey answers in this study."),
        "cohorts_study": ("Belum ada nilai pre-test dan post-test maupun jawaban survei reaksi "
                          "dalam studi ini, sehingga angkatan belum dapat dibandingkan.",
                          "No pre-test and post-test scores and no reaction survey answers in "
                          "this study, so the cohorts cannot be compared."),
        "followup_study": ("Belum ada penilaian tindak lanjut dalam studi ini, sehingga "
                           "kebutuhan pelatihan per unit belum dapat dinilai.",
                           "No follow-up ratings in this study yet, so training needs by unit "
                           "cannot be assessed."),
        "comments_study": ("Belum ada komentar peserta dalam studi ini.",
                           "No participant comments in this study."),
        "costs_study": ("Belum ada data biaya dalam studi ini.", "No cost data in this study."),
        # an impact study: the unit tables it may lack (it needs one of the two)
        "ikm_study": ("Studi ini tidak memiliki data survei kepuasan masyarakat (SKM/IKM), "
                      "sehingga IKM unit tidak dianalisis; hasil utamanya adalah waktu layanan.",
                      "This study has no public-satisfaction survey (SKM/IKM) data, so unit IKM "
                      "is not analysed; the primary outcome is service time."),
        "unit_kpi_study": ("Studi ini tidak memiliki data kinerja unit (waktu layanan, "
                           "pengaduan).",
                           "This study has no unit performance data (service time, complaints)."),
        "comments": ("Belum ada komentar peserta untuk angkatan ini.",
                     "No participant comments for this cohort."),
        "small": (f"Angkatan ini kurang dari {C.MIN_CELL_SIZE} orang; rinciannya tidak "
                  "ditampilkan.",
                  f"This cohort has fewer than {C.MIN_CELL_SIZE} people; details are not shown."),
    }  # fmt: skip
    return Text(f"*{notes[key][i]}*")


#: The method text of each part of a cohort report's reaction (Level 1) section, as Markdown
#: (Indonesian, English): the dimension scores (under the section's own heading), then the
#: reliability and the survey items, each under its subheading (:func:`reaction_method`).
REACTION_METHODS: dict[str, tuple[str, str]] = {
    "scores": (
        "Skor setiap dimensi adalah rerata jawaban peserta (pada skala jawaban survei, 1 sampai "
        "skor maksimumnya) dengan IK 95%. *POMP* (persen dari skor maksimum yang mungkin, 0-100) "
        "menempatkan rerata itu pada skala 0-100: (rerata − 1) / (maks − 1) × 100, sehingga 0 "
        "berarti semua memberi skor terendah dan 100 skor tertinggi, dan survei berskala 4 dan 5 "
        "titik dapat dibandingkan; IK 95%-nya adalah IK rerata yang dipindahkan ke skala yang "
        "sama.\n\n"
        "Bila kurang dari 5 peserta angkatan ini mengisi survei reaksi, seluruh hasil reaksi "
        "(skor, reliabilitas, butir dan grafik jawabannya) diganti satu kalimat, seperti aturan "
        "anonimitas kelompok untuk komentar. Pada grafik jawaban, persentase tidak dicetak pada "
        "bagian batang yang mewakili kurang dari 5 jawaban (atau semua kecuali kurang dari 5).",
        "Each dimension's score is the mean of participants' answers (on the survey's answer "
        "scale, from 1 to its maximum) with its 95% CI. *POMP* (percent of maximum possible, "
        "0-100) puts that mean on a 0-100 scale: (mean − 1) / (max − 1) × 100, so that 0 means "
        "everyone gave the lowest answer and 100 the highest, and 4- and 5-point surveys can be "
        "compared; its 95% CI is the mean's CI moved to the same scale.\n\n"
        "When fewer than 5 participants of this cohort answered the reaction survey, all of its "
        "results (scores, reliability, items and the answer chart) give way to one sentence, as "
        "the group-level anonymity rule does for comments. In the answer chart, no percentage is "
        "printed on a bar segment that stands for fewer than 5 answers (or for all but fewer "
        "than 5).",
    ),
    "reliability": (
        "#### Reliabilitas skala\n\n"
        "Alfa Cronbach mengukur konsistensi jawaban antarbutir; nilai ≥ 0,70 dianggap memadai. "
        "Alfa mengandaikan setiap butir mengukur konstruk sama kuatnya; omega McDonald, dari "
        "model satu faktor, tidak mengandaikannya, sehingga keduanya ditampilkan. IK 95% alfa "
        "dihitung dengan rumus Feldt, IK 95% omega dengan bootstrap atas peserta (1.000 sampel "
        "ulang). Keduanya dihitung atas peserta yang menjawab semua butir, sehingga n-nya dapat "
        "lebih kecil daripada n skor dimensi di atas, yang memakai setiap jawaban.",
        "#### Scale reliability\n\n"
        "Cronbach's alpha measures how consistently the items are answered; .70 or more is "
        "acceptable. Alpha assumes that every item measures the construct equally well; "
        "McDonald's omega, from a one-factor model, does not, so both are shown. Alpha's 95% CI "
        "is Feldt's, omega's a bootstrap over participants (1,000 resamples). Both use the "
        "participants who answered every item, so their n can be smaller than the n of the "
        "dimension scores above, which use every answer.",
    ),
    "items": (
        "#### Butir-butir survei\n\n"
        "Korelasi butir-total terkoreksi (r) setiap butir dengan IK 95% (transformasi z Fisher). "
        "Sebuah butir *perlu ditinjau* hanya bila seluruh IK 95%-nya di bawah 0,30, dan *memadai* "
        "bila seluruhnya di atas 0,30; butir lain belum dapat dinilai dengan n angkatan ini. (R) "
        "menandai butir bernada negatif yang skornya telah dibalik. Pada grafik, batang di kanan "
        "garis nol adalah jawaban setuju, di kiri tidak setuju; jawaban netral dibagi dua di "
        "sekitar nol.",
        "#### The survey items\n\n"
        "Each item's corrected item-total correlation (r) with its 95% CI (Fisher's z). An item "
        "is to be *reviewed* only when its whole 95% CI lies below .30, and *adequate* when it "
        "lies above .30; the other items cannot be judged at this cohort's n. (R) marks "
        "negatively worded items whose scores were reversed. In the chart, bars right of zero "
        "are agreement, left of zero disagreement; neutral answers are split around zero.",
    ),
}


def reaction_method(part: str, lang: str = "id", *, answers: pd.DataFrame | None) -> Text | None:
    """The method text of one part of a cohort's reaction section, or None where it shows no results.

    A part's method is shown only with the results it explains: a cohort whose reaction
    results are withheld (:func:`evalkit.reporting.disclosure.reaction_withheld`, fewer
    than 5 respondents) shows the one sentence of
    :func:`~evalkit.reporting.disclosure.withheld_note` and no subheading or method, and a
    cohort without reaction answers shows its :func:`section_note` alone. In a notebook,
    the call is a cell's last line: None displays nothing.

    Parameters
    ----------
    part : {"scores", "reliability", "items"}
        The part of the section (:data:`REACTION_METHODS`): the dimension scores, the
        scale reliability, the survey items.
    lang : {"id", "en"}
    answers : DataFrame or None
        The cohort's processed ``reaction`` table (one row per person x item).

    Returns
    -------
    Text or None
        The part's subheading (none for the scores, which sit under the section's own
        heading) and method, as Markdown; None when the cohort shows no reaction results.

    Raises
    ------
    ParameterError
        An unknown ``part`` or ``lang``.

    Examples
    --------
    >>> answers = pd.DataFrame({"participant_id": list("abcde"), "score": [4] * 5})
    >>> print(reaction_method("reliability", "en", answers=answers).splitlines()[0])
    #### Scale reliability
    >>> reaction_method("reliability", "en", answers=answers.iloc[:4]) is None  # 4 people
    True
    """
    i = check_lang(lang, "reaction_method")
    if part not in REACTION_METHODS:
        raise ParameterError(
            f"reaction_method: parameter 'part' must be one of {tuple(REACTION_METHODS)}, "
            f"got {part!r}"
        )
    if answers is None or answers.empty or reaction_withheld(answers):
        return None
    return Text(REACTION_METHODS[part][i])
