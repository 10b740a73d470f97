"""Report sections: the cohort report's title, the notes of sections without data.

:func:`cohort_title` writes a cohort report's heading and its one-line facts;
:func:`section_note` the sentence shown where a cohort or study has no data for a
section (or too few people to describe, :data:`evalkit.constants.MIN_CELL_SIZE`).
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
