"""The demo study's design: the export day, Kota Kupang's units, the programs and cohorts.

Everything the generators share about *who* was trained *when* lives here: the
units (OPD) with the spelling variants the messy exports use, which units the
Pelayanan Prima intervention treated and which serve as comparison, the
half-year periods of the IKM panel, the six programs and the fifteen cohorts,
and the calendar helpers that place a cohort's last day and name a period.

Examples
--------
>>> len(COHORTS), COHORTS[0].cohort_id, cohort_end(COHORTS[0])
(15, 'KMP-2023-01', datetime.date(2023, 3, 15))
>>> period_label("2024-S2")
'Semester II 2024'
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np

#: The day the demo exports were "downloaded"; nothing is dated after it.
DEMO_TODAY = dt.date(2025, 11, 27)


# --- Kota Kupang units (the city's OPD) -----------------------------------------
#: canonical unit -> (abbreviations / other names, typos); all listed in the codebook
UNITS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Sekretariat Daerah": (("Setda", "Sekretariat Daerah Kota Kupang"), ("Sekertariat Daerah",)),
    "Inspektorat": (("Inspektorat Daerah",), ("Inpektorat",)),
    "Bappeda": (("Bappeda Kota Kupang",), ("Bapeda",)),
    "BKPSDM": (("BKPSDM Kota Kupang",), ("BKSPDM",)),
    "Dinas Kependudukan dan Pencatatan Sipil": (
        ("Dukcapil", "Disdukcapil", "Dinas Dukcapil"),
        ("Dinas Kependudukan dan Pencatan Sipil",),
    ),
    "Dinas Kesehatan": (("Dinkes", "Dinas Kesehatan Kota Kupang"), ("Dinas Kesehtan",)),
    "Dinas Pendidikan dan Kebudayaan": (("Dinas P dan K", "Dikbud"), ("Dinas Pendidkan dan Kebudayaan",)),
    "Dinas Sosial": (("Dinsos",), ("Dinas Sosal",)),
    "Dinas Perhubungan": (("Dishub",), ("Dinas Perhubungn",)),
    "Dinas Lingkungan Hidup dan Kebersihan": (("DLHK", "Dinas LHK"), ("Dinas Lingkungan Hidup dan Kebersian",)),
    "DPMPTSP": (("DPM-PTSP", "Dinas Penanaman Modal dan PTSP"), ("DPMTSP",)),
    "RSUD S.K. Lerik": (("RSUD Kota Kupang", "RSUD SK Lerik"), ("RSUD S.K. Lerick",)),
    "Kecamatan Alak": (("Kec. Alak",), ("Kecamatan Allak",)),
    "Kecamatan Kelapa Lima": (("Kec. Kelapa Lima",), ("Kecamatan Kelapa Lim",)),
    "Kecamatan Kota Lama": (("Kec. Kota Lama",), ("Kecamatan Kota Lam",)),
    "Kecamatan Kota Raja": (("Kec. Kota Raja",), ("Kecamatan Kota Rja",)),
    "Kecamatan Maulafa": (("Kec. Maulafa",), ("Kecamatan Maulafah",)),
    "Kecamatan Oebobo": (("Kec. Oebobo",), ("Kecamatan Oebob",)),
}  # fmt: skip


#: Units whose front-line staff attended Pelayanan Prima PPR-2024-02 (the intervention).
TREATED_UNITS = (
    "Dinas Kependudukan dan Pencatatan Sipil",
    "DPMPTSP",
    "RSUD S.K. Lerik",
    "Kecamatan Oebobo",
    "Kecamatan Kelapa Lima",
)


#: Service units surveyed for IKM that sent nobody to Pelayanan Prima (comparison).
COMPARISON_UNITS = (
    "Dinas Kesehatan",
    "Dinas Sosial",
    "Dinas Perhubungan",
    "Dinas Lingkungan Hidup dan Kebersihan",
    "Kecamatan Alak",
    "Kecamatan Kota Lama",
    "Kecamatan Kota Raja",
    "Kecamatan Maulafa",
)


#: Units outside the IKM panel (the other Pelayanan Prima cohorts draw from these).
BACK_OFFICE = (
    "Sekretariat Daerah",
    "Inspektorat",
    "Bappeda",
    "BKPSDM",
    "Dinas Pendidikan dan Kebudayaan",
)


#: Half-years of the IKM panel and the unit KPIs.
PERIODS = ("2023-S1", "2023-S2", "2024-S1", "2024-S2", "2025-S1", "2025-S2")


#: First period after the Pelayanan Prima intervention.
POST_FROM = "2024-S2"


# --- programs and cohorts -------------------------------------------------------
#: program_id -> (name, skill type, raw "Jenis Kompetensi" label)
PROGRAMS: dict[str, tuple[str, str, str]] = {
    "PKP": ("Pelatihan Kepemimpinan Pengawas", "soft", "Soft Skill"),
    "KMP": ("Komunikasi Publik", "soft", "Soft Skill"),
    "KST": ("Kerja Sama Tim", "soft", "Soft Kompetensi"),
    "MWT": ("Manajemen Waktu", "soft", "Soft Skill"),
    "PPR": ("Pelayanan Prima", "technical", "Teknis"),
    "SPBE": ("Pemerintahan Digital (SPBE)", "technical", "Teknis"),
}


@dataclass(frozen=True)
class Cohort:
    """One cohort (angkatan) of the demo: its design and its size.

    Attributes
    ----------
    cohort_id, program_id : str
        Codes as in the cohort list (``KMP-2023-01``, ``KMP``).
    batch : int
        Batch number within the program.
    start : datetime.date
        First day.
    delivery, delivery_label : str
        Canonical delivery method, and the label the hand-kept sheet uses.
    facilitator : str
        Canonical facilitator type (``academic`` or ``practitioner``).
    jp, n : int
        Lesson hours and number of participants.
    """

    cohort_id: str
    program_id: str
    batch: int
    start: dt.date
    delivery: str  # canonical
    delivery_label: str  # as written in the hand-kept sheet
    facilitator: str  # canonical
    jp: int
    n: int


def _c(pid: str, batch: int, start: str, delivery: str, label: str, fac: str, jp: int, n: int):
    return Cohort(
        f"{pid}-{start[:4]}-{batch:02d}", pid, batch, dt.date.fromisoformat(start),
        delivery, label, fac, jp, n,
    )  # fmt: skip


COHORTS: tuple[Cohort, ...] = (
    _c("KMP", 1, "2023-03-13", "klasikal", "Klasikal", "academic", 24, 24),
    _c("PPR", 1, "2023-05-08", "workshop", "Workshop", "practitioner", 32, 30),
    _c("MWT", 1, "2023-07-17", "e-learning", "E-Learning", "academic", 16, 35),
    _c("PKP", 1, "2023-08-07", "project-based", "Berbasis Proyek", "practitioner", 96, 20),
    _c("SPBE", 1, "2023-10-02", "blended", "Blended", "academic", 40, 25),
    _c("KST", 1, "2024-02-19", "workshop", "Lokakarya", "practitioner", 24, 28),
    _c("PPR", 2, "2024-03-04", "project-based", "Berbasis Proyek", "practitioner", 40, 32),
    _c("KMP", 2, "2024-04-22", "blended", "Blended Learning", "practitioner", 24, 22),
    _c("PKP", 2, "2024-05-13", "blended", "Blended", "academic", 96, 18),
    _c("MWT", 2, "2024-08-05", "klasikal", "Tatap Muka", "practitioner", 16, 26),
    _c("SPBE", 2, "2024-09-09", "e-learning", "Daring", "academic", 24, 38),
    _c("KST", 2, "2025-02-10", "project-based", "Project-Based", "academic", 32, 21),
    _c("PPR", 3, "2025-04-14", "klasikal", "Klasikal", "academic", 32, 27),
    _c("SPBE", 3, "2025-06-16", "workshop", "Workshop", "practitioner", 24, 30),
    _c("KMP", 3, "2025-07-21", "e-learning", "E-Learning", "practitioner", 20, 33),
)


#: Cohort that answered the reaction form with English labels.
ENGLISH_COHORT = "MWT-2024-02"


#: E-learning cohort whose reaction survey is the 4-point LMS export.
LMS_COHORT = "SPBE-2024-02"


#: Cohorts with item-level test answers (``butir_tes_<cohort>.csv``).
ITEM_COHORTS = ("PPR-2024-02", "SPBE-2024-02", "KST-2025-02")


#: Canonical facilitator type -> label in the hand-kept cohort list.
FACILITATOR_LABEL = {"academic": "Akademisi", "practitioner": "Praktisi"}


# --- calendar -------------------------------------------------------------------
def add_business_days(start: dt.date, days: int) -> dt.date:
    """The working day ``days`` working days after ``start`` (Monday to Friday).

    Examples
    --------
    >>> add_business_days(dt.date(2023, 3, 17), 1)  # a Friday
    datetime.date(2023, 3, 20)
    """
    end = np.busday_offset(np.datetime64(start), days, roll="forward")
    return end.astype(dt.date)


def cohort_end(c: Cohort) -> dt.date:
    """Last day of a cohort: two weeks for e-learning, else one working day per 8 JP.

    Examples
    --------
    >>> cohort_end(COHORTS[3])  # PKP, 96 JP: twelve working days
    datetime.date(2023, 8, 22)
    """
    if c.delivery == "e-learning":
        return c.start + dt.timedelta(days=13)
    return add_business_days(c.start, max(1, math.ceil(c.jp / 8)) - 1)


def period_label(p: str) -> str:
    """A period as the hand-kept SKM sheet writes it (``"Semester I 2023"``).

    Examples
    --------
    >>> period_label("2023-S1")
    'Semester I 2023'
    """
    return f"Semester {'I' if p.endswith('1') else 'II'} {p[:4]}"
