"""Synthetic demo study: raw exports of ASN training in Kota Kupang.

:func:`write_demo` writes a folder of raw exports shaped like the ones an evaluator
collects from BKPSDM Kota Kupang: hand-kept Excel sheets, Google Forms CSVs,
KoboToolbox XLSX exports and an LMS CSV, with Indonesian headers and the mess of
real exports. Every person, NIP and number is invented: names are drawn from lists
of common NTT/Indonesian names and NIPs are built to be structurally valid. The
data are deterministic: the same seed gives byte-identical files.

Known true effects are planted and written, with every planted piece of mess, to
``truth.json``, so tests can check that cleaning loses nothing silently and that
the analysis recovers the effects. The codebook that maps these exports to the
processed tables is ``evalkit/data/demo_codebook.yaml`` (copied to ``codebook.yaml``).

Files written (``row`` numbers in ``truth.json`` are spreadsheet rows: the header
row is row 1, except in ``daftar_angkatan.xlsx`` whose header is on row 4):

``daftar_angkatan.xlsx`` (hand-kept Excel)
    Sheet ``Angkatan``: one row per cohort (Kode Angkatan, program, batch, dates,
    Metode, Narasumber, JP). Three title rows above the header (codebook
    ``header_row: 4``); start/end dates are a mix of Excel date cells, Indonesian
    month-name text ("13 Maret 2023") and day-first text ("13/03/2023"); method
    labels vary ("Tatap Muka", "Lokakarya", "Daring", "Berbasis Proyek"); one
    trailing note row without a Kode Angkatan. Sheet ``Program``: one row per
    program (header on row 1).
``peserta_2023.xlsx``, ``peserta_2024.xlsx`` (hand-kept Excel), ``peserta_2025.csv``
    Participant rosters: Kode Angkatan, NIP, Nama Lengkap (with degrees), L/P,
    Gol/Ruang, Jenis Jabatan ("JFT", "Fungsional Umum" ...), Unit Kerja. Unit names
    with case variants, abbreviations and typos; NIPs with spaces or dots, some
    stored as Excel numbers (digits lost) or shown in scientific notation.
``reaksi_<PROGRAM>.csv`` (Google Forms, one form per program)
    Timestamp ("27/11/2025 09:14:03"), NIP, Nama Lengkap, Kode Angkatan, 17 Likert
    grid items "Penilaian Materi [...]" etc. over the five dimensions, as words
    "Sangat Tidak Setuju".."Sangat Setuju"; item "Penyelenggaraan [Jadwal
    pelatihan terlalu padat]" is reverse-keyed; comment column "Saran dan
    komentar". Quirks: duplicate submissions (keep the latest), NIPs typed with
    spaces, lost first digit, invalid NIPs, missing answers, one label in no
    label set ("Cukup Setuju"), one timestamp in 2031, comments holding phone
    numbers or e-mail addresses. Cohort MWT-2024-02 answered with English labels
    ("Strongly agree"); ``reaksi_PPR.csv`` starts with a UTF-8 BOM.
``survei_lms_SPBE-2024-02.csv`` (LMS export, e-learning cohort)
    4-point scale ("Sangat Kurang".."Sangat Baik"), 10 items, ISO timestamps.
``nilai_tes.csv`` (hand-kept sheet saved as CSV)
    Pre-Test / Post-Test scores 0-100; comma decimals ("78,5"); NIPs in
    scientific notation (some still exact, some lossy) or with dots; missing
    scores; one impossible post-test of 140.
``butir_tes_<COHORT>.csv`` (CBT export, three cohorts)
    Right (1) / wrong (0) answers to 20 items, one row per participant and test
    ("Pre-Test"/"Post-Test"); blank = not answered.
``tindak_lanjut_alumni.xlsx``, ``tindak_lanjut_atasan.xlsx`` (KoboToolbox)
    Follow-up 3 and 6 months after the cohort: group-prefixed headers
    (``identitas/nip``, ``perilaku/b1`` .. ``perilaku/b6``), frequency labels
    "Tidak Pernah".."Selalu", Kobo meta columns (``_uuid``, ``_submission_time``).
    Self ratings by alumni; ratings of the alumnus by the supervisor (atasan).
    Duplicate submissions; NIPs with spaces.
``monitoring_aksi_perubahan.xlsx`` (KoboToolbox)
    Change-project status ("Belum Dimulai" .. "Berkelanjutan") of cohorts with a
    change project (PKP and project-based cohorts).
``skm_olah_data.xlsx`` (hand-kept IKM/SKM data entry)
    One row per public-satisfaction respondent: unit, "Semester I 2023" ..
    "Semester II 2025", U1..U9 (1-4); unit-name variants, blank answers, one
    impossible value 5.
``kpi_unit.xlsx`` (hand-kept)
    Per unit and half-year: mean service time in days (some as text with comma
    decimals) and number of complaints.
``rincian_biaya.xlsx`` (hand-kept)
    Cost per cohort and category, amounts mostly as text "Rp 12.500.000".
``estimasi_manfaat.xlsx`` (KoboToolbox)
    Level 5 benefit estimates 6 months after each cohort (cohorts whose 6-month
    point is before the export), from about 60% of the participants: benefit type
    ("Penghematan waktu kerja", "Pelayanan lebih cepat" ...), hours saved per
    month, the hourly cost of the participant's golongan (an illustrative
    assumption, ``HOURLY_COST_BY_GOLONGAN``), the annual value (hours x 12 x hourly
    cost, mostly as text "Rp 2.592.000"), attribution to the training and
    confidence as "60%", "60" or "0,6". The heads of the treated units add
    unit-level estimates without NIP or name. Duplicate submissions, one share of
    120%, one estimate without an amount, one NIP with spaces.
``codebook.yaml``, ``truth.json``
    The codebook, and the planted effects, mess counts and mess events.

Examples
--------
>>> from evalkit.data import demo
>>> len(demo.COHORTS), len(demo.PROGRAMS), max(demo.GAIN_BY_DELIVERY, key=demo.GAIN_BY_DELIVERY.get)
(15, 6, 'project-based')

``write_demo(Path("data/raw/demo"))`` writes the study (see :func:`write_demo`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from evalkit import constants

#: The day the demo exports were "downloaded"; nothing is dated after it.
DEMO_TODAY = dt.date(2025, 11, 27)


#: Fixed creation/modification time written into every XLSX (determinism).
_XLSX_TIME = dt.datetime(2025, 11, 27, 8, 0, 0)


_ZIP_TIME = (2025, 11, 27, 8, 0, 0)


_BULAN = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip


# --- Kota Kupang units (DOMAIN.md section 3) ------------------------------------
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
_BACK_OFFICE = (
    "Sekretariat Daerah",
    "Inspektorat",
    "Bappeda",
    "BKPSDM",
    "Dinas Pendidikan dan Kebudayaan",
)


PERIODS = ("2023-S1", "2023-S2", "2024-S1", "2024-S2", "2025-S1", "2025-S2")


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
class _Cohort:
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
    return _Cohort(
        f"{pid}-{start[:4]}-{batch:02d}", pid, batch, dt.date.fromisoformat(start),
        delivery, label, fac, jp, n,
    )  # fmt: skip


COHORTS: tuple[_Cohort, ...] = (
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


_ENGLISH_COHORT = "MWT-2024-02"


_LMS_COHORT = "SPBE-2024-02"


_ITEM_COHORTS = ("PPR-2024-02", "SPBE-2024-02", "KST-2025-02")


_FACILITATOR_LABEL = {"academic": "Akademisi", "practitioner": "Praktisi"}


# --- planted effects ------------------------------------------------------------
#: Expected learning gain (post - pre, test points 0-100) by delivery method.
GAIN_BY_DELIVERY = {
    "klasikal": 8.0,
    "workshop": 11.0,
    "e-learning": 6.0,
    "blended": 12.0,
    "project-based": 16.0,
}


PRE_MEAN, PRE_SD, GAIN_NOISE_SD = 52.0, 11.0, 6.0


#: SD of the unit (OPD) random intercept on the learning gain.
GAIN_UNIT_SD = 2.5


#: Reaction latent means (1-5) by dimension for academic-led cohorts.
REACTION_BASE = {
    "content": 3.9,
    "facilitator": 4.0,
    "organisation": 3.7,
    "facilities": 3.5,
    "relevance": 3.5,
}


#: Practitioner-led cohorts: latent relevance mean higher by this much (1-5 scale).
RELEVANCE_PRACTITIONER = 0.5


REACTION_PERSON_SD, REACTION_ITEM_SD = 0.4, 0.45


#: IKM converted score (25-100) model.
IKM_BASE, IKM_TREND, IKM_TREATED_OFFSET, IKM_DID = 74.0, 0.6, -2.0, 6.0


IKM_UNIT_SD, IKM_RESPONDENT_SD = 3.0, 4.0


IKM_RESPONDENTS = 20


SERVICE_DAYS_DID, COMPLAINTS_RATE_RATIO = -1.0, 0.7


#: Follow-up behaviour ratings (1-5 frequency scale).
L3_BASE, L3_GAIN_SLOPE, L3_SIX_MONTHS, L3_SUPERVISOR_SHIFT = 3.0, 0.04, 0.15, -0.35


L3_PERSON_SD, L3_ITEM_SD = 0.4, 0.45


PROJECT_STATUS_P = {
    3: {"not_started": 0.10, "in_progress": 0.45, "implemented": 0.35, "sustained": 0.10},
    6: {"not_started": 0.05, "in_progress": 0.20, "implemented": 0.40, "sustained": 0.35},
}


#: Hourly value of participant time (Rp), for the fully loaded cost.
HOURLY_WAGE = 55_000


#: Hourly cost of an ASN by golongan (Rp per working hour), used to value hours saved.
#: ILLUSTRATIVE ASSUMPTION for the demo, not an official rate: a typical monthly gaji
#: pokok (PP 5/2024, middle of each scale) plus family and food allowances and a
#: regional TPP, divided by 162.5 working hours a month (37.5 hours a week). A study
#: should use its own region's pay figures. Over the demo's staff (mostly III/c-IV/b)
#: the average is close to HOURLY_WAGE.
HOURLY_COST_BY_GOLONGAN: dict[str, int] = {
    "I/a": 26_000, "I/b": 27_000, "I/c": 28_000, "I/d": 29_000,
    "II/a": 33_000, "II/b": 35_000, "II/c": 36_000, "II/d": 38_000,
    "III/a": 42_000, "III/b": 44_000, "III/c": 47_000, "III/d": 49_000,
    "IV/a": 53_000, "IV/b": 56_000, "IV/c": 59_000, "IV/d": 62_000, "IV/e": 66_000,
}  # fmt: skip


#: Level 5 follow-up: benefit estimates collected this many months after each cohort.
BENEFIT_MONTHS = 6


#: Share of a cohort's participants who return a benefit estimate.
BENEFIT_RESPONSE_RATE = 0.6


#: Planted benefit levels: program -> benefit type -> mean hours saved per month per
#: estimate (valued at the estimator's hourly cost, x 12 for a year). Every respondent
#: estimates the first type; BENEFIT_SECOND_TYPE_P of them also the second.
BENEFIT_HOURS: dict[str, dict[str, float]] = {
    "PKP": {"time_saved": 8.0, "fewer_errors": 4.0},
    "KMP": {"faster_service": 3.0},
    "KST": {"time_saved": 3.0},
    "MWT": {"time_saved": 12.0},
    "PPR": {"faster_service": 6.0, "fewer_errors": 3.0},
    "SPBE": {"time_saved": 14.0, "fewer_errors": 5.0},
}


BENEFIT_SECOND_TYPE_P = 0.35


#: Shape of the gamma distribution of a respondent's hours (CV = 1 / sqrt(shape)).
BENEFIT_HOURS_SHAPE = 4.0


#: Unit-level estimates (no participant): the head of each treated unit of the
#: Pelayanan Prima intervention cohort estimates staff hours per month no longer spent
#: on complaints, valued at the III/c hourly cost.
UNIT_BENEFIT_COHORT, UNIT_BENEFIT_TYPE, UNIT_BENEFIT_HOURS = "PPR-2024-02", "fewer_complaints", 15.0


UNIT_BENEFIT_GOLONGAN = "III/c"


#: Answer distributions of the attribution and confidence questions (share: probability).
ATTRIBUTION_P = {0.2: 0.10, 0.3: 0.10, 0.4: 0.15, 0.5: 0.20, 0.6: 0.20, 0.7: 0.15, 0.8: 0.10}


CONFIDENCE_P = {0.5: 0.15, 0.6: 0.20, 0.7: 0.25, 0.8: 0.25, 0.9: 0.10, 1.0: 0.05}


#: Kobo labels of the benefit types.
BENEFIT_LABELS = {
    "time_saved": "Penghematan waktu kerja",
    "fewer_errors": "Kesalahan/pekerjaan ulang berkurang",
    "faster_service": "Pelayanan lebih cepat",
    "fewer_complaints": "Pengaduan berkurang",
}


# --- instruments ----------------------------------------------------------------
#: item id -> (dimension, Google Forms header, reverse-keyed)
REACTION_ITEMS: dict[str, tuple[str, str, bool]] = {
    "content_1": ("content", "Penilaian Materi [Materi pelatihan disusun secara sistematis]", False),
    "content_2": ("content", "Penilaian Materi [Materi pelatihan mudah dipahami]", False),
    "content_3": ("content", "Penilaian Materi [Bahan ajar/modul lengkap dan jelas]", False),
    "content_4": ("content", "Penilaian Materi [Materi pelatihan menambah wawasan saya]", False),
    "facilitator_1": ("facilitator", "Penilaian Narasumber [Narasumber menguasai materi]", False),
    "facilitator_2": ("facilitator", "Penilaian Narasumber [Narasumber menyampaikan materi dengan jelas]", False),
    "facilitator_3": ("facilitator", "Penilaian Narasumber [Narasumber memberi kesempatan bertanya dan berdiskusi]", False),
    "facilitator_4": ("facilitator", "Penilaian Narasumber [Narasumber hadir tepat waktu]", False),
    "organisation_1": ("organisation", "Penyelenggaraan [Informasi pelatihan dari panitia jelas]", False),
    "organisation_2": ("organisation", "Penyelenggaraan [Pelayanan panitia selama pelatihan baik]", False),
    "organisation_3": ("organisation", "Penyelenggaraan [Jadwal pelatihan terlalu padat]", True),
    "facilities_1": ("facilities", "Sarana dan Prasarana [Ruang kelas/platform pelatihan nyaman digunakan]", False),
    "facilities_2": ("facilities", "Sarana dan Prasarana [LCD, pengeras suara dan internet berfungsi baik]", False),
    "facilities_3": ("facilities", "Sarana dan Prasarana [Konsumsi yang disediakan memadai]", False),
    "relevance_1": ("relevance", "Relevansi [Materi pelatihan sesuai dengan kebutuhan tugas saya]", False),
    "relevance_2": ("relevance", "Relevansi [Saya dapat menerapkan hasil pelatihan di unit kerja saya]", False),
    "relevance_3": ("relevance", "Relevansi [Pelatihan ini membantu meningkatkan pelayanan unit saya]", False),
}  # fmt: skip


#: item id -> (dimension, LMS header) of the 4-point e-learning survey.
LMS_ITEMS: dict[str, tuple[str, str]] = {
    "lms_content_1": ("content", "1. Kualitas materi e-learning"),
    "lms_content_2": ("content", "2. Kejelasan video pembelajaran"),
    "lms_facilitator_1": ("facilitator", "3. Penguasaan materi oleh narasumber"),
    "lms_facilitator_2": ("facilitator", "4. Tanggapan narasumber di forum diskusi"),
    "lms_organisation_1": ("organisation", "5. Pengelolaan kelas daring oleh panitia"),
    "lms_organisation_2": ("organisation", "6. Ketepatan jadwal sesi sinkron"),
    "lms_facilities_1": ("facilities", "7. Kemudahan akses platform LMS"),
    "lms_facilities_2": ("facilities", "8. Kestabilan platform selama pelatihan"),
    "lms_relevance_1": ("relevance", "9. Kesesuaian materi dengan tugas Anda"),
    "lms_relevance_2": ("relevance", "10. Manfaat pelatihan bagi pelayanan di unit Anda"),
}


SETUJU5 = ("Sangat Tidak Setuju", "Tidak Setuju", "Netral", "Setuju", "Sangat Setuju")


AGREE5 = ("Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree")


BAIK4 = ("Sangat Kurang", "Kurang", "Baik", "Sangat Baik")


FREKUENSI5 = ("Tidak Pernah", "Jarang", "Kadang-kadang", "Sering", "Selalu")


#: behaviour item id -> Kobo label (headers are ``perilaku/<id>``)
BEHAVIOUR_ITEMS = {
    "b1": "Menerapkan pengetahuan dari pelatihan dalam pekerjaan sehari-hari",
    "b2": "Berbagi hasil pelatihan dengan rekan kerja",
    "b3": "Menyelesaikan pekerjaan lebih efektif dan tepat waktu",
    "b4": "Berkomunikasi lebih baik dengan pengguna layanan",
    "b5": "Mengambil inisiatif memperbaiki proses kerja",
    "b6": "Menunjukkan perubahan perilaku kerja yang positif",
}


PROJECT_LABELS = {
    "not_started": "Belum Dimulai",
    "in_progress": "Sedang Berjalan",
    "implemented": "Sudah Diterapkan",
    "sustained": "Berkelanjutan",
}


N_TEST_ITEMS = 20


_EASY_ITEM, _RANDOM_ITEM = 7, 13


#: canonical cost category -> label in the hand-kept sheet
COST_LABELS = {
    "honor_narasumber": "Honor Narasumber",
    "konsumsi": "Konsumsi",
    "akomodasi": "Akomodasi",
    "atk_bahan": "ATK/Bahan",
    "sewa_tempat": "Sewa Tempat",
    "waktu_peserta": "Waktu Peserta",
}


# --- names (common in NTT and across Indonesia) -----------------------------------
_MALE = (
    "Yohanes", "Yosef", "Markus", "Petrus", "Fransiskus", "Stefanus", "Daniel", "Yakobus",
    "Agustinus", "Ferdinand", "Imanuel", "Matheos", "Simon", "Arnold", "Julius",
    "Dominggus", "Melkianus", "Obed", "Yunus", "Andreas", "Gabriel", "Benyamin", "Paulus",
    "Abdul", "Muhammad", "Ahmad", "Hasan", "Rudolf", "Frengki", "Jefri", "Herman", "Alfons",
)  # fmt: skip


_FEMALE = (
    "Maria", "Yuliana", "Agustina", "Magdalena", "Florentina", "Elisabeth", "Margaretha",
    "Yohana", "Novita", "Selfiana", "Ester", "Debora", "Marlin", "Kristina", "Lusia",
    "Theresia", "Veronika", "Anastasia", "Rambu", "Siti", "Nurhayati", "Rahmawati",
    "Fatimah", "Sri", "Dewi", "Yanti", "Meri", "Oktaviana", "Imelda", "Sarlota",
)  # fmt: skip


_FAMILY = (
    "Fanggidae", "Ndun", "Messakh", "Manafe", "Bessie", "Nubatonis", "Tefa", "Taneo",
    "Sinlae", "Kapitan", "Dethan", "Ratu", "Lay", "Haning", "Nenobais", "Bani", "Tallo",
    "Pellokila", "Riwu", "Nalle", "Lede", "Kana", "Tse", "Mooy", "Bire", "Toelle",
    "Adoe", "Pah", "Seran", "Koroh", "Oematan", "Tanone", "Daga", "Benu", "Amalo",
    "Sjioen", "Lerik", "Mandala", "Saubaki", "Bria", "Kolo", "Lamabelawa", "Nope",
    "Djami", "Leo", "Hayon", "Making", "Ola", "Tukan", "Sabon",
)  # fmt: skip


_DEGREES = (
    "S.E.",
    "S.Sos.",
    "S.Kom.",
    "S.H.",
    "S.ST.",
    "M.Si.",
    "S.Kep.",
    "A.Md.",
    "S.Pd.",
    "M.M.",
)


_COMMENTS = (
    "Materinya sangat bermanfaat untuk pekerjaan kami di unit.",
    "Waktu pelatihan terlalu singkat, mohon ditambah untuk praktik.",
    "Narasumber sangat komunikatif dan contoh-contohnya sesuai kondisi di Kupang.",
    "Mohon materi dibagikan sebelum pelatihan dimulai.",
    "Koneksi internet sering putus, tolong diperbaiki.",
    "Ruangan terlalu panas, AC tidak berfungsi dengan baik.",
    "Semoga ada pelatihan lanjutan tahun depan.",
    "Konsumsi cukup baik, terima kasih panitia.",
    "Sesi diskusi kelompok paling membantu.",
    "Perlu lebih banyak studi kasus dari pelayanan publik di daerah.",
    "Jadwal terlalu padat sampai sore, peserta kelelahan.",
    "Pelatihan sangat baik, mohon dilanjutkan untuk staf lain.",
    "Modul sebaiknya dicetak, tidak semua peserta punya laptop.",
    "Terima kasih, ilmu yang didapat bisa langsung diterapkan.",
    "Sebaiknya pelatihan tidak bertepatan dengan akhir tahun anggaran.",
    "Narasumber praktisi memberi contoh yang nyata.",
    "Sound system kurang jelas di bagian belakang ruangan.",
    "Perlu pendampingan setelah pelatihan selesai.",
    "oke",
    "Mantap!",
    "-",
    "Tidak ada.",
    "Pelatihan daring kurang interaktif dibanding tatap muka.",
    "Mohon sertifikat segera diterbitkan.",
)


_COMMENTS_CONTACT = (
    "Materi bagus. Kalau ada pelatihan lanjutan hubungi saya di 0812-3790-5512.",
    "Mohon kirim modulnya ke email saya: peserta.pelatihan@contoh.go.id",
    "Saya siap jadi fasilitator internal, WA 081339021477.",
)


_BARRIERS = (
    "Belum ada dukungan anggaran",
    "Beban kerja tinggi",
    "Atasan mendukung penuh",
    "Perlu koordinasi dengan OPD lain",
    "Sarana belum memadai",
    "",
)


# =================================================================================
# small helpers
# =================================================================================
@dataclass
class _Sheet:
    """A table to write: header and rows of Python values (None = empty cell)."""

    header: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    header_row: int = 1
    title_rows: list[list[Any]] = field(default_factory=list)

    def col(self, name: str) -> int:
        return self.header.index(name)


@dataclass
class _RawFile:
    name: str
    sheets: dict[str, _Sheet]
    source: str
    quirks: list[str]
    bom: bool = False


class _Mess:
    """Records every planted piece of mess (kind, file, row, column, value)."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self.used: dict[tuple[str, str], set[int]] = {}

    def add(self, kind: str, file: str, row: int, column: str | None, value: Any, expected: str,
            true_value: Any = None, sheet: str | None = None, header_row: int = 1) -> None:  # fmt: skip
        event = {
            "kind": kind,
            "file": file,
            "sheet": sheet,
            "row": None if row < 0 else row + header_row + 1,  # None: the whole file
            "column": column,
            "value": value,
            "true_value": true_value,
            "expected": expected,
        }
        self.events.append(event)

    def pick(self, rng: np.random.Generator, file: str, sheet: str, n_rows: int, k: int,
             allowed: list[int] | None = None) -> list[int]:  # fmt: skip
        """Pick k distinct rows not used by another planted mess of the same sheet."""
        used = self.used.setdefault((file, sheet), set())
        pool = [i for i in (range(n_rows) if allowed is None else allowed) if i not in used]
        chosen = sorted(int(i) for i in rng.choice(pool, size=min(k, len(pool)), replace=False))
        used.update(chosen)
        return chosen

    def counts(self) -> dict[str, int]:
        return dict(sorted(Counter(e["kind"] for e in self.events).items()))


def _fmt_ts(t: dt.datetime) -> str:
    return t.strftime("%d/%m/%Y %H:%M:%S")


def _fmt_date_id(d: dt.date) -> str:
    return f"{d.day} {_BULAN[d.month - 1]} {d.year}"


def _rupiah(x: int) -> str:
    return "Rp " + f"{x:,}".replace(",", ".")


def _score_text(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.1f}"


def _add_business_days(start: dt.date, days: int) -> dt.date:
    end = np.busday_offset(np.datetime64(start), days, roll="forward")
    return end.astype(dt.date)


def _cohort_end(c: _Cohort) -> dt.date:
    if c.delivery == "e-learning":
        return c.start + dt.timedelta(days=13)
    return _add_business_days(c.start, max(1, math.ceil(c.jp / 8)) - 1)


def _period(d: dt.date) -> str:
    return f"{d.year}-S{1 if d.month <= 6 else 2}"


def _period_label(p: str) -> str:
    return f"Semester {'I' if p.endswith('1') else 'II'} {p[:4]}"


def _latent_to_answer(rng: np.random.Generator, x: np.ndarray, low: int, high: int) -> np.ndarray:
    """Integer answers with expectation exactly clip(x, low, high)."""
    x = np.clip(x, low, high)
    base = np.floor(x)
    return (base + (rng.random(x.shape) < (x - base))).astype(int)


def _clipped_normal_mean(mu: float, sd: float, low: float, high: float) -> float:
    """E[clip(X, low, high)] for X ~ N(mu, sd^2) (closed form)."""

    def phi(z: float) -> float:
        return math.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)

    def cdf(z: float) -> float:
        return 0.5 * (1 + math.erf(z / math.sqrt(2)))

    a, b = (low - mu) / sd, (high - mu) / sd
    inside = mu * (cdf(b) - cdf(a)) + sd * (phi(a) - phi(b))
    return low * cdf(a) + inside + high * (1 - cdf(b))


# =================================================================================
# NIPs
# =================================================================================
def _make_nip(rng: np.random.Generator, sex: int, taken: set[str]) -> tuple[str, dt.date, int]:
    while True:
        year = int(rng.integers(1967, 1999))
        month = int(rng.integers(1, 13))
        last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
        birth = dt.date(year, month, int(rng.integers(1, last + 1)))
        tmt_year = min(year + int(rng.integers(21, 33)), 2022)
        tmt_month = int(rng.choice([1, 3, 4, 12]))
        serial = int(rng.integers(1, 60))
        nip = f"{birth:%Y%m%d}{tmt_year:04d}{tmt_month:02d}{sex}{serial:03d}"
        if nip not in taken:
            taken.add(nip)
            return nip, birth, tmt_year


def nip_is_valid(nip: str) -> bool:
    """Structural validity of an 18-digit NIP (birth date, TMT after 18, sex digit).

    Parameters
    ----------
    nip : str
        The NIP as 18 digits.

    Returns
    -------
    bool
        True when the NIP is 18 digits with a real birth date, a TMT month at
        least 18 years after birth, a sex digit of 1 or 2 and a serial > 000.

    Examples
    --------
    >>> nip_is_valid("198505122010011002"), nip_is_valid("198505122010013002")
    (True, False)
    """
    if not re.fullmatch(r"\d{18}", nip):
        return False
    try:
        birth = dt.date(int(nip[:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        return False
    tmt_year, tmt_month = int(nip[8:12]), int(nip[12:14])
    if not 1 <= tmt_month <= 12:
        return False
    if (tmt_year - birth.year) * 12 + tmt_month - birth.month < 18 * 12:
        return False
    return nip[14] in "12" and nip[15:] != "000"


#: NIP mess kind -> (function of the true NIP, expected handling)
_NIP_MANGLERS = {
    "nip_spaces": (lambda n: f"{n[:8]} {n[8:14]} {n[14]} {n[15:]}", "repaired"),
    "nip_dots": (lambda n: f"{n[:8]}.{n[8:14]}.{n[14]}.{n[15:]}", "repaired"),
    "nip_scientific_exact": (lambda n: f"{n[0]}.{n[1:]}E+17", "repaired"),
    "nip_scientific_lossy": (lambda n: f"{float(n):.5E}", "unusable: pseudonym from the name"),
    "nip_excel_number": (
        lambda n: float(f"{float(n):.15g}"),
        "unusable (float lost digits): pseudonym from the name",
    ),
    "nip_lost_leading": (lambda n: n[1:], "unusable (17 digits): pseudonym from the name"),
    "nip_bad_birth_date": (lambda n: n[:4] + "13" + n[6:], "unusable: pseudonym from the name"),
    "nip_bad_sex_digit": (lambda n: n[:14] + "3" + n[15:], "unusable: pseudonym from the name"),
    "nip_wrong_length": (lambda n: n[:10] + n[9] + n[10:], "unusable: pseudonym from the name"),
}


#: NIP mess kinds whose 18 digits can still be recovered exactly.
NIP_RECOVERABLE = ("nip_spaces", "nip_dots", "nip_scientific_exact")


def _mangle_nips(rng, mess: _Mess, f: _RawFile, sheet: str, column: str, plan: dict[str, int],
                 allowed: list[int] | None = None) -> None:  # fmt: skip
    sh = f.sheets[sheet]
    j = sh.col(column)
    for kind, k in plan.items():
        func, expected = _NIP_MANGLERS[kind]
        for i in mess.pick(rng, f.name, sheet, len(sh.rows), k, allowed):
            true = sh.rows[i][j]
            sh.rows[i][j] = func(true)
            mess.add(kind, f.name, i, column, sh.rows[i][j], expected, true, sheet, sh.header_row)


def _unit_variant(rng: np.random.Generator, unit: str) -> tuple[str, str]:
    abbrev, typos = UNITS[unit]
    kind = str(rng.choice(["unit_case_variant", "unit_abbreviation", "unit_typo"]))
    if kind == "unit_case_variant":
        upper = unit.upper()
        if upper == unit or rng.random() < 0.5:
            return (unit.lower() + " " if upper == unit else upper), kind
        return unit.lower() + " ", kind
    pool = abbrev if kind == "unit_abbreviation" else typos
    value = str(pool[int(rng.integers(len(pool)))])
    if kind == "unit_abbreviation" and rng.random() < 0.4:
        value = value.lower()
    return value, kind


def _mess_units(rng, mess: _Mess, f: _RawFile, sheet: str, column: str, k: int) -> None:
    sh = f.sheets[sheet]
    j = sh.col(column)
    for i in mess.pick(rng, f.name, sheet, len(sh.rows), k):
        true = sh.rows[i][j]
        sh.rows[i][j], kind = _unit_variant(rng, true)
        mess.add(kind, f.name, i, column, sh.rows[i][j], "repaired (mapped to canonical unit)",
                 true, sheet, sh.header_row)  # fmt: skip


# =================================================================================
# the synthetic world
# =================================================================================
def _staff(rng: np.random.Generator) -> list[dict[str, Any]]:
    """About 45 civil servants per unit, with valid NIPs and profiles."""
    people: list[dict[str, Any]] = []
    taken: set[str] = set()
    for unit in UNITS:
        for _ in range(45):
            sex = 1 if rng.random() < 0.5 else 2
            nip, birth, tmt_year = _make_nip(rng, sex, taken)
            first = str(rng.choice(_MALE if sex == 1 else _FEMALE))
            family = str(rng.choice(_FAMILY))
            name = f"{first} {family}"
            if rng.random() < 0.25:
                name = f"{first} {rng.choice(_MALE if sex == 1 else _FEMALE)} {family}"
            if rng.random() < 0.45:
                name += ", " + str(rng.choice(_DEGREES))
            entry = 4 if rng.random() < 0.35 else 8  # II/a or III/a
            step = min(entry + (2023 - tmt_year) // 4, 13)
            golongan = constants.GOLONGAN_PNS[step]
            u = rng.random()
            if step >= 9 and u < 0.3:
                position = "struktural"
            elif u < 0.65:
                position = "fungsional"
            else:
                position = "pelaksana"
            people.append(
                {"nip": nip, "name": name, "sex": "L" if sex == 1 else "P", "birth": birth,
                 "golongan": golongan, "position": position, "unit": unit}
            )  # fmt: skip
    return people


def _enrol(rng: np.random.Generator, people: list[dict[str, Any]]) -> dict[str, list[int]]:
    """Participants (indices into people) of every cohort."""
    by_cohort: dict[str, list[int]] = {}
    for c in COHORTS:
        if c.cohort_id == "PPR-2024-02":
            units = set(TREATED_UNITS)
        elif c.program_id == "PPR":
            units = set(_BACK_OFFICE)
        else:
            units = set(UNITS)
        pool = [i for i, p in enumerate(people) if p["unit"] in units]
        if c.program_id == "PKP":
            pool = [i for i in pool if people[i]["position"] == "struktural"]
        chosen = rng.choice(pool, size=c.n, replace=False)
        by_cohort[c.cohort_id] = sorted(int(i) for i in chosen)
    return by_cohort


@dataclass
class _World:
    people: list[dict[str, Any]]
    enrol: dict[str, list[int]]
    gain_unit: dict[str, float]
    ikm_unit: dict[str, float]
    scores: dict[tuple[str, int], tuple[float | None, float | None, float]] = field(
        default_factory=dict
    )  # (cohort, person) -> (pre, post, expected gain)


def _build_world(rng: np.random.Generator) -> _World:
    people = _staff(rng)
    enrol = _enrol(rng, people)
    # unit intercepts, centred so that they average 0 over units (the planted
    # fixed effects are then the population values)
    g = rng.normal(0, GAIN_UNIT_SD, len(UNITS))
    gain_unit = {u: float(v) for u, v in zip(UNITS, g - g.mean(), strict=True)}
    panel = TREATED_UNITS + COMPARISON_UNITS
    k = rng.normal(0, IKM_UNIT_SD, len(panel))
    ikm_unit = {u: float(v) for u, v in zip(panel, k - k.mean(), strict=True)}
    return _World(people, enrol, gain_unit, ikm_unit)


# =================================================================================
# file builders
# =================================================================================
def _cohort_list(rng, mess: _Mess) -> _RawFile:
    name = "daftar_angkatan.xlsx"
    header = ["No", "Kode Angkatan", "Kode Program", "Nama Pelatihan", "Jenis Kompetensi",
              "Angkatan Ke", "Tanggal Mulai", "Tanggal Selesai", "Metode", "Narasumber", "JP",
              "Penyelenggara", "Keterangan"]  # fmt: skip
    sh = _Sheet(header, header_row=4)
    sh.title_rows = [
        ["DAFTAR ANGKATAN PELATIHAN ASN PEMERINTAH KOTA KUPANG"],
        ["BKPSDM Kota Kupang, tahun 2023-2025 (diperbarui 27 November 2025)"],
        [],
    ]
    for k, c in enumerate(COHORTS, start=1):
        pname, _skill, skill_label = PROGRAMS[c.program_id]
        sh.rows.append([
            k, c.cohort_id, c.program_id, pname, skill_label, c.batch, c.start, _cohort_end(c),
            c.delivery_label, _FACILITATOR_LABEL[c.facilitator], c.jp,
            "BKPSDM Kota Kupang" if c.program_id != "PKP" else "BPSDMD Provinsi NTT",
            "Luring di Aula BKPSDM" if c.delivery in ("klasikal", "workshop") else None,
        ])  # fmt: skip
    rows = list(range(len(sh.rows)))
    order = rng.permutation(rows)
    for pos, i in enumerate(order):
        i = int(i)
        kind = ("date_text_month_name", "date_text_dayfirst", None)[pos % 3]
        if kind is None:
            continue
        for column in ("Tanggal Mulai", "Tanggal Selesai"):
            j = sh.col(column)
            d = sh.rows[i][j]
            sh.rows[i][j] = _fmt_date_id(d) if kind == "date_text_month_name" else f"{d:%d/%m/%Y}"
            mess.add(kind, name, i, column, sh.rows[i][j], "repaired (parsed day-first)",
                     d.isoformat(), "Angkatan", sh.header_row)  # fmt: skip
    note = [None] * len(header)
    note[0] = "Catatan: angkatan PKP diselenggarakan bersama BPSDMD Provinsi NTT"
    sh.rows.append(note)
    mess.add("note_row", name, len(sh.rows) - 1, "Kode Angkatan", None,
             "quarantined (no Kode Angkatan)", None, "Angkatan", sh.header_row)  # fmt: skip
    prog = _Sheet(["Kode Program", "Nama Program", "Jenis Kompetensi"])
    for pid, (pname, _skill, label) in PROGRAMS.items():
        prog.rows.append([pid, pname, label])
    return _RawFile(
        name, {"Angkatan": sh, "Program": prog}, "hand-kept Excel",
        ["title rows above the header (header on row 4)", "dates as Excel dates, "
         "Indonesian month names or day-first text", "method label variants",
         "a trailing note row"],
    )  # fmt: skip


def _rosters(rng, world: _World, mess: _Mess) -> list[_RawFile]:
    header = ["No", "Kode Angkatan", "NIP", "Nama Lengkap", "L/P", "Gol/Ruang", "Jenis Jabatan",
              "Unit Kerja"]  # fmt: skip
    position_labels = {
        "struktural": ("Struktural", "Jabatan Struktural", "Pengawas"),
        "fungsional": ("Fungsional", "JFT", "Fungsional Tertentu"),
        "pelaksana": ("Pelaksana", "JFU", "Fungsional Umum"),
    }
    files = []
    for year, ext, plan in (
        (2023, "xlsx", {"nip_spaces": 2, "nip_dots": 2, "nip_excel_number": 2}),
        (2024, "xlsx", {"nip_spaces": 2, "nip_dots": 1, "nip_excel_number": 1}),
        (2025, "csv", {"nip_spaces": 2, "nip_dots": 1, "nip_scientific_lossy": 1}),
    ):
        name = f"peserta_{year}.{ext}"
        sh = _Sheet(header)
        for c in COHORTS:
            if c.start.year != year:
                continue
            for i in world.enrol[c.cohort_id]:
                p = world.people[i]
                labels = position_labels[p["position"]]
                label = labels[0] if rng.random() < 0.7 else str(rng.choice(labels[1:]))
                sex = (
                    p["sex"]
                    if rng.random() < 0.85
                    else {"L": "Laki-laki", "P": "Perempuan"}[p["sex"]]
                )
                sh.rows.append([len(sh.rows) + 1, c.cohort_id, p["nip"], p["name"], sex,
                                p["golongan"], label, p["unit"]])  # fmt: skip
        f = _RawFile(name, {"Peserta": sh}, "hand-kept Excel" if ext == "xlsx" else
                     "hand-kept Excel saved as CSV",
                     ["NIPs with spaces/dots, Excel numbers or scientific notation",
                      "unit-name variants", "sex as L/P or Laki-laki/Perempuan",
                      "position labels JFT/JFU/Fungsional Umum"])  # fmt: skip
        _mangle_nips(rng, mess, f, "Peserta", "NIP", plan)
        _mess_units(rng, mess, f, "Peserta", "Unit Kerja", k=max(4, len(sh.rows) // 9))
        files.append(f)
    return files


def _scores(rng, world: _World, mess: _Mess) -> tuple[_RawFile, list[_RawFile]]:
    """Pre/post scores for every cohort; item-level answers for a few cohorts."""
    easiness = rng.normal(0.0, 0.8, N_TEST_ITEMS)
    easiness[_EASY_ITEM - 1] = 3.5
    item_files: list[_RawFile] = []
    name = "nilai_tes.csv"
    sh = _Sheet(["No", "NIP", "Nama", "Kode Angkatan", "Pre-Test", "Post-Test"])
    for c in COHORTS:
        gain = GAIN_BY_DELIVERY[c.delivery]
        members = world.enrol[c.cohort_id]
        items_sheet = _Sheet(["Waktu", "NIP", "Nama", "Kode Angkatan", "Jenis Tes"]
                             + [f"Soal {k}" for k in range(1, N_TEST_ITEMS + 1)] + ["Skor"])  # fmt: skip
        for i in members:
            p = world.people[i]
            expected_gain = gain + world.gain_unit[p["unit"]]
            pre = float(np.clip(rng.normal(PRE_MEAN, PRE_SD), 5, 95))
            post = float(np.clip(pre + expected_gain + rng.normal(0, GAIN_NOISE_SD), 0, 100))
            if c.cohort_id in _ITEM_COHORTS:
                answers = {}
                for phase, score in (("Pre-Test", pre), ("Post-Test", post)):
                    k = round(score / 100 * N_TEST_ITEMS)
                    keys = easiness + rng.gumbel(size=N_TEST_ITEMS)
                    correct = np.zeros(N_TEST_ITEMS, dtype=int)
                    correct[np.argsort(-keys, kind="stable")[:k]] = 1
                    correct[_RANDOM_ITEM - 1] = int(rng.random() < 0.5)
                    answers[phase] = correct
                pre = float(answers["Pre-Test"].sum() * 100 / N_TEST_ITEMS)
                post = float(answers["Post-Test"].sum() * 100 / N_TEST_ITEMS)
                end = _cohort_end(c)
                for phase, day in (("Pre-Test", c.start), ("Post-Test", end)):
                    t = dt.datetime.combine(day, dt.time(8 if phase == "Pre-Test" else 14))
                    t += dt.timedelta(seconds=int(rng.integers(0, 3600)))
                    a = answers[phase]
                    items_sheet.rows.append(
                        [_fmt_ts(t), p["nip"], p["name"], c.cohort_id, phase]
                        + [str(v) for v in a] + [str(int(a.sum() * 100 / N_TEST_ITEMS))]
                    )  # fmt: skip
            else:
                half = rng.random() < 0.3
                pre = round(pre * 2) / 2 if half else float(round(pre))
                post = round(post * 2) / 2 if half else float(round(post))
            pre_v: float | None = pre if rng.random() > 0.04 else None
            post_v: float | None = post if rng.random() > 0.05 else None
            world.scores[(c.cohort_id, i)] = (pre_v, post_v, expected_gain)
            if pre_v is None and post_v is None:
                continue
            sh.rows.append([len(sh.rows) + 1, p["nip"], p["name"], c.cohort_id,
                            pre_v, post_v])  # fmt: skip
        if c.cohort_id in _ITEM_COHORTS:
            items_sheet.rows.sort(
                key=lambda r: (r[4] != "Pre-Test", r[0][6:10] + r[0][3:5] + r[0][:2] + r[0][11:])
            )
            f = _RawFile(f"butir_tes_{c.cohort_id}.csv", {"Sheet1": items_sheet}, "CBT export",
                         ["1 = correct, 0 = wrong, blank = not answered"])  # fmt: skip
            first = items_sheet.col("Soal 1")
            for r in mess.pick(rng, f.name, "Sheet1", len(items_sheet.rows), 3):
                j = first + int(rng.integers(N_TEST_ITEMS))
                was = items_sheet.rows[r][j]
                items_sheet.rows[r][j] = None
                mess.add("missing_item_answer", f.name, r, items_sheet.header[j], None,
                         "kept as missing (not answered)", was, "Sheet1")  # fmt: skip
            item_files.append(f)
    f = _RawFile(name, {"Sheet1": sh}, "hand-kept Excel saved as CSV",
                 ["comma decimals", "NIPs in scientific notation (exact or lossy) or with dots",
                  "missing pre or post", "one post-test of 140"])  # fmt: skip
    # missing scores (recorded), comma decimals, impossible value
    jpre, jpost = sh.col("Pre-Test"), sh.col("Post-Test")
    for r, row in enumerate(sh.rows):
        for j in (jpre, jpost):
            if row[j] is None:
                mess.add("missing_score", name, r, sh.header[j], None, "kept as missing", None)
    bad = mess.pick(rng, name, "Sheet1", len(sh.rows), 1,
                    [r for r, row in enumerate(sh.rows) if row[jpost] is not None])[0]  # fmt: skip
    true_post = sh.rows[bad][jpost]
    sh.rows[bad][jpost] = 140.0
    mess.add("impossible_score", name, bad, "Post-Test", "140", "quarantined (max 100)", true_post)
    for r, row in enumerate(sh.rows):
        for j in (jpre, jpost):
            v = row[j]
            if v is None:
                row[j] = ""
            elif not float(v).is_integer():
                row[j] = _score_text(v).replace(".", ",")
                mess.add("comma_decimal", name, r, sh.header[j], row[j], "repaired", float(v))
            else:
                row[j] = _score_text(v)
    _mangle_nips(rng, mess, f, "Sheet1", "NIP",
                 {"nip_scientific_exact": 3, "nip_scientific_lossy": 2, "nip_dots": 1})  # fmt: skip
    return f, item_files


def _reaction(rng, world: _World, mess: _Mess) -> tuple[list[_RawFile], dict[str, Any]]:
    """Google Forms reaction surveys (one per program) and the LMS survey."""
    item_ids = list(REACTION_ITEMS)
    offsets = dict(zip(item_ids, rng.normal(0, 0.12, len(item_ids)), strict=True))
    lms_offsets = dict(zip(LMS_ITEMS, rng.normal(0, 0.12, len(LMS_ITEMS)), strict=True))
    header = ["Timestamp", "NIP", "Nama Lengkap", "Kode Angkatan"]
    header += [REACTION_ITEMS[k][1] for k in item_ids] + ["Saran dan komentar"]
    lms_header = ["Waktu Pengisian", "NIP", "Nama", "Kode Angkatan"]
    lms_header += [h for _d, h in LMS_ITEMS.values()] + ["Masukan"]
    sheets: dict[str, _Sheet] = {pid: _Sheet(list(header)) for pid in PROGRAMS}
    lms = _Sheet(list(lms_header))
    dup_keys: dict[str, set[int]] = {pid: set() for pid in PROGRAMS}
    for c in COHORTS:
        end = _cohort_end(c)
        for i in world.enrol[c.cohort_id]:
            if rng.random() < 0.07:  # did not answer
                continue
            p = world.people[i]
            person = rng.normal(0, REACTION_PERSON_SD)
            t = dt.datetime.combine(end, dt.time(13)) + dt.timedelta(
                seconds=int(rng.integers(0, 4 * 3600))
            )
            comment = ""
            u = rng.random()
            if u < 0.02:
                comment = str(rng.choice(_COMMENTS_CONTACT))
            elif u < 0.45:
                comment = str(rng.choice(_COMMENTS))
            if c.cohort_id == _LMS_COHORT:
                answers = []
                for k, (dim, _h) in LMS_ITEMS.items():
                    mu = REACTION_BASE[dim] + person + lms_offsets[k]
                    if dim == "relevance" and c.facilitator == "practitioner":
                        mu += RELEVANCE_PRACTITIONER
                    x5 = mu + rng.normal(0, REACTION_ITEM_SD)
                    x4 = 1 + (np.clip(x5, 1, 5) - 1) * 3 / 4
                    answers.append(BAIK4[_latent_to_answer(rng, np.array([x4]), 1, 4)[0] - 1])
                lms.rows.append([t.strftime("%Y-%m-%d %H:%M:%S"), p["nip"], p["name"],
                                 c.cohort_id, *answers, comment])  # fmt: skip
                continue
            labels = AGREE5 if c.cohort_id == _ENGLISH_COHORT else SETUJU5
            answers = []
            for k in item_ids:
                dim, _h, reverse = REACTION_ITEMS[k]
                mu = REACTION_BASE[dim] + person + offsets[k]
                if dim == "relevance" and c.facilitator == "practitioner":
                    mu += RELEVANCE_PRACTITIONER
                a = _latent_to_answer(rng, np.array([mu + rng.normal(0, REACTION_ITEM_SD)]), 1, 5)[
                    0
                ]
                answers.append(labels[(6 - a if reverse else a) - 1])
            row = [_fmt_ts(t), p["nip"], p["name"], c.cohort_id, *answers, comment]
            sh = sheets[c.program_id]
            if rng.random() < 0.06:  # an earlier submission, resubmitted later
                early = list(row)
                early[0] = _fmt_ts(t - dt.timedelta(minutes=int(rng.integers(3, 90))))
                for j in rng.choice(range(4, 4 + len(item_ids)), size=3, replace=False):
                    early[int(j)] = labels[int(rng.integers(0, 5))]
                early[-1] = ""
                dup_keys[c.program_id].add(id(early))
                sh.rows.append(early)
            sh.rows.append(row)
    files = []
    plans = {
        "KMP": {"nip_spaces": 1, "nip_lost_leading": 1, "nip_bad_birth_date": 1},
        "PPR": {"nip_spaces": 1, "nip_bad_sex_digit": 1},
        "MWT": {"nip_lost_leading": 1, "nip_wrong_length": 1},
        "PKP": {"nip_spaces": 1},
        "SPBE": {"nip_scientific_lossy": 1},
        "KST": {},
    }
    item_cols = list(range(4, 4 + len(item_ids)))
    for pid, sh in sheets.items():
        name = f"reaksi_{pid}.csv"
        ts = sh.col("Timestamp")
        sh.rows.sort(key=lambda r: dt.datetime.strptime(r[ts], "%d/%m/%Y %H:%M:%S"))
        dup_rows = [r for r, row in enumerate(sh.rows) if id(row) in dup_keys[pid]]
        f = _RawFile(name, {"Sheet1": sh}, "Google Forms",
                     ["Likert words", "duplicate submissions", "NIPs typed by participants",
                      "missing answers"], bom=(pid == "PPR"))  # fmt: skip
        if pid == "MWT":
            f.quirks.append(f"cohort {_ENGLISH_COHORT} answered with English labels")
        if f.bom:
            f.quirks.append("UTF-8 byte-order mark")
            mess.add("utf8_bom", name, -1, None, None, "read as UTF-8")
        used = mess.used.setdefault((name, "Sheet1"), set())
        for r in dup_rows:
            used.update({r})
            mess.add("duplicate_submission", name, r, "Timestamp", sh.rows[r][ts],
                     "dropped (a later submission with the same NIP and cohort exists)")  # fmt: skip
        # also protect the later twin of each duplicate (same NIP + cohort)
        dup_ids = {(sh.rows[r][1], sh.rows[r][3]) for r in dup_rows}
        used.update(r for r, row in enumerate(sh.rows) if (row[1], row[3]) in dup_ids)
        _mangle_nips(rng, mess, f, "Sheet1", "NIP", plans[pid])
        for r in mess.pick(rng, name, "Sheet1", len(sh.rows), max(2, len(sh.rows) // 25)):
            for j in rng.choice(item_cols, size=int(rng.integers(1, 3)), replace=False):
                was = sh.rows[r][int(j)]
                sh.rows[r][int(j)] = ""
                mess.add("missing_answer", name, r, sh.header[int(j)], "",
                         "kept as missing", was)  # fmt: skip
        if pid == "KST":
            r = mess.pick(rng, name, "Sheet1", len(sh.rows), 1)[0]
            j = item_cols[1]
            was = sh.rows[r][j]
            sh.rows[r][j] = "Cukup Setuju"
            mess.add("unknown_likert_label", name, r, sh.header[j], "Cukup Setuju",
                     "quarantined (label in no set)", was)  # fmt: skip
        if pid == "KMP":
            r = mess.pick(rng, name, "Sheet1", len(sh.rows), 1)[0]
            was = sh.rows[r][ts]
            t = dt.datetime.strptime(was, "%d/%m/%Y %H:%M:%S")
            sh.rows[r][ts] = _fmt_ts(t.replace(year=2031))
            mess.add("impossible_date", name, r, "Timestamp", sh.rows[r][ts],
                     "quarantined (after the export date)", was)  # fmt: skip
        for r, row in enumerate(sh.rows):
            if row[-1] in _COMMENTS_CONTACT:
                mess.add("comment_with_contact", name, r, "Saran dan komentar", row[-1],
                         "phone/e-mail scrubbed")  # fmt: skip
        files.append(f)
    lms.rows.sort(key=lambda r: r[0])
    lf = _RawFile(f"survei_lms_{_LMS_COHORT}.csv", {"Sheet1": lms}, "LMS export",
                  ["4-point scale Sangat Kurang..Sangat Baik", "ISO timestamps"])  # fmt: skip
    for r, row in enumerate(lms.rows):
        if row[-1] in _COMMENTS_CONTACT:
            mess.add(
                "comment_with_contact", lf.name, r, "Masukan", row[-1], "phone/e-mail scrubbed"
            )
    files.append(lf)
    n_english = sum(1 for row in sheets["MWT"].rows if row[3] == _ENGLISH_COHORT)
    mess.add("english_likert_labels", "reaksi_MWT.csv", -1, None, _ENGLISH_COHORT,
             f"mapped through setuju5 ({n_english} rows)")  # fmt: skip
    info = {"item_offsets": {k: round(float(v), 6) for k, v in offsets.items()}}
    return files, info


def _followup(rng, world: _World, mess: _Mess) -> list[_RawFile]:
    beh = [f"perilaku/{k}" for k in BEHAVIOUR_ITEMS]
    self_sh = _Sheet(["start", "end", "identitas/nip", "identitas/nama", "identitas/kode_angkatan",
                      "identitas/bulan_ke", *beh, "perilaku/kendala", "_id", "_uuid",
                      "_submission_time", "_validation_status", "_index"])  # fmt: skip
    sup_sh = _Sheet(["start", "end", "identitas/nip_atasan", "identitas/nama_atasan",
                     "identitas/nip_alumni", "identitas/nama_alumni", "identitas/kode_angkatan",
                     "identitas/bulan_ke", *beh, "perilaku/catatan", "_id", "_uuid",
                     "_submission_time", "_index"])  # fmt: skip
    proj_sh = _Sheet(["start", "end", "identitas/nip", "identitas/nama", "identitas/kode_angkatan",
                      "identitas/bulan_ke", "aksi_perubahan/judul", "aksi_perubahan/status",
                      "aksi_perubahan/kendala", "_id", "_uuid", "_submission_time", "_index"])  # fmt: skip
    rows_self, rows_sup, rows_proj = [], [], []
    uuid_n = [0]

    def meta(t: dt.datetime) -> tuple[str, str, str, str]:
        uuid_n[0] += 1
        u = f"{int(rng.integers(0, 2**32)):08x}-{uuid_n[0]:04x}-4{int(rng.integers(0, 4096)):03x}"
        return (
            (t - dt.timedelta(minutes=9)).strftime("%Y-%m-%dT%H:%M:%S.000+08:00"),
            t.strftime("%Y-%m-%dT%H:%M:%S.000+08:00"),
            u,
            (t - dt.timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M:%S"),
        )

    supervisors = [p for p in world.people if p["position"] == "struktural"]
    with_project = {c.cohort_id for c in COHORTS if c.program_id == "PKP"
                    or c.delivery == "project-based"}  # fmt: skip
    for c in COHORTS:
        end = _cohort_end(c)
        rounds = [3] + ([6] if c.program_id in ("PKP", "PPR") else [])
        for months in rounds:
            day0 = end + dt.timedelta(days=round(months * 30.44))
            if day0 + dt.timedelta(days=20) > DEMO_TODAY:
                continue
            for i in world.enrol[c.cohort_id]:
                p = world.people[i]
                pre, post, expected_gain = world.scores[(c.cohort_id, i)]
                gain = post - pre if pre is not None and post is not None else expected_gain
                person = rng.normal(0, L3_PERSON_SD)
                mu = L3_BASE + L3_GAIN_SLOPE * gain + (L3_SIX_MONTHS if months == 6 else 0) + person
                t = dt.datetime.combine(day0, dt.time(9)) + dt.timedelta(
                    days=int(rng.integers(0, 20)), seconds=int(rng.integers(0, 8 * 3600))
                )
                if rng.random() < 0.85:
                    x = mu + rng.normal(0, L3_ITEM_SD, len(beh))
                    ans = [FREKUENSI5[a - 1] for a in _latent_to_answer(rng, x, 1, 5)]
                    start, end_s, uuid, sub = meta(t)
                    rows_self.append([start, end_s, p["nip"], p["name"], c.cohort_id, str(months),
                                      *ans, str(rng.choice(_BARRIERS)), None, uuid, sub,
                                      None, None])  # fmt: skip
                if rng.random() < 0.75:
                    boss = supervisors[int(rng.integers(len(supervisors)))]
                    x = mu + L3_SUPERVISOR_SHIFT + rng.normal(0, L3_ITEM_SD, len(beh))
                    ans = [FREKUENSI5[a - 1] for a in _latent_to_answer(rng, x, 1, 5)]
                    ts = t + dt.timedelta(
                        days=int(rng.integers(0, 6)), minutes=int(rng.integers(0, 600))
                    )
                    start, end_s, uuid, sub = meta(ts)
                    rows_sup.append([start, end_s, boss["nip"], boss["name"], p["nip"], p["name"],
                                     c.cohort_id, str(months), *ans, "", None, uuid, sub, None])  # fmt: skip
                if c.cohort_id in with_project and rng.random() < 0.9:
                    probs = PROJECT_STATUS_P[months]
                    status = str(rng.choice(list(probs), p=list(probs.values())))
                    ts = t + dt.timedelta(minutes=int(rng.integers(10, 120)))
                    start, end_s, uuid, sub = meta(ts)
                    rows_proj.append([start, end_s, p["nip"], p["name"], c.cohort_id, str(months),
                                      f"Aksi perubahan {c.cohort_id} oleh {p['name'].split(',')[0]}",
                                      PROJECT_LABELS[status], str(rng.choice(_BARRIERS)), None,
                                      uuid, sub, None])  # fmt: skip
    files = []
    for name, sh, rows, nip_col, sheet in (
        ("tindak_lanjut_alumni.xlsx", self_sh, rows_self, "identitas/nip", "Tindak Lanjut Alumni"),
        ("tindak_lanjut_atasan.xlsx", sup_sh, rows_sup, "identitas/nip_alumni", "Penilaian Atasan"),
        ("monitoring_aksi_perubahan.xlsx", proj_sh, rows_proj, "identitas/nip", "Aksi Perubahan"),
    ):
        sub = sh.col("_submission_time")
        nipj = sh.col(nip_col)
        kj = sh.col("identitas/kode_angkatan")
        rows.sort(key=lambda r, s=sub: r[s])
        # duplicate submissions: an earlier copy with a few different answers
        n_dup = 4 if name != "monitoring_aksi_perubahan.xlsx" else 2
        twins = [int(i) for i in rng.choice(len(rows), size=n_dup, replace=False)]
        early_ids = set()
        for r in twins:
            early = list(rows[r])
            t = dt.datetime.fromisoformat(early[sub]) - dt.timedelta(
                minutes=int(rng.integers(5, 200))
            )
            early[sub] = t.strftime("%Y-%m-%dT%H:%M:%S")
            for j, h in enumerate(sh.header):
                if h.startswith("perilaku/b") and rng.random() < 0.4:
                    early[j] = FREKUENSI5[int(rng.integers(0, 5))]
            early_ids.add(id(early))
            rows.append(early)
        rows.sort(key=lambda r, s=sub: r[s])
        for k, row in enumerate(rows, start=1):
            row[sh.col("_id")] = 40000 + k * 7
            row[sh.col("_index")] = k
        sh.rows = rows
        f = _RawFile(name, {sheet: sh}, "KoboToolbox XLSX export",
                     ["group-prefixed headers", "Kobo meta columns", "duplicate submissions"])  # fmt: skip
        dup_rows = [r for r, row in enumerate(rows) if id(row) in early_ids]
        twin_keys = {
            (rows[r][nipj], rows[r][kj], rows[r][sh.col("identitas/bulan_ke")]) for r in dup_rows
        }
        used = mess.used.setdefault((name, sheet), set())
        for r in dup_rows:
            mess.add("duplicate_submission", name, r, "_submission_time", rows[r][sub],
                     "dropped (a later submission with the same NIP, cohort and month exists)",
                     None, sheet)  # fmt: skip
        used.update(
            r
            for r, row in enumerate(rows)
            if (row[nipj], row[kj], row[sh.col("identitas/bulan_ke")]) in twin_keys
        )
        if name != "monitoring_aksi_perubahan.xlsx":
            _mangle_nips(rng, mess, f, sheet, nip_col, {"nip_spaces": 1})
        files.append(f)
    return files


def _ikm(rng, world: _World, mess: _Mess) -> tuple[_RawFile, _RawFile, dict[str, Any]]:
    panel = TREATED_UNITS + COMPARISON_UNITS
    sh = _Sheet(["No", "Tanggal Survei", "Periode", "Unit Layanan", "Jenis Kelamin", "Umur",
                 "Pendidikan", "Pekerjaan", *[f"U{k}" for k in range(1, 10)]])  # fmt: skip
    kpi = _Sheet(["Unit Layanan", "Periode", "Rata-rata Waktu Penyelesaian (hari)",
                  "Jumlah Pengaduan", "Keterangan"])  # fmt: skip
    post_index = PERIODS.index(POST_FROM)
    service_base = {u: float(rng.uniform(2.0, 7.0)) for u in panel}
    complaint_base = {u: float(rng.uniform(4, 16)) for u in panel}
    expected: dict[str, dict[str, float]] = {}
    for u in panel:
        treated = u in TREATED_UNITS
        expected[u] = {}
        for t_idx, period in enumerate(PERIODS):
            post = t_idx >= post_index
            mean = (IKM_BASE + IKM_TREND * t_idx + world.ikm_unit[u]
                    + (IKM_TREATED_OFFSET if treated else 0.0)
                    + (IKM_DID if treated and post else 0.0))  # fmt: skip
            expected[u][period] = round(mean, 6)
            year, half = int(period[:4]), int(period[-1])
            for _ in range(IKM_RESPONDENTS):
                m = np.clip(rng.normal(mean, IKM_RESPONDENT_SD) / constants.IKM_CONVERSION, 1, 4)
                answers = _latent_to_answer(rng, np.full(9, m), 1, 4)
                month = int(rng.integers(1, 7)) + (6 if half == 2 else 0)
                day = dt.date(year, month, int(rng.integers(1, 29)))
                sh.rows.append([len(sh.rows) + 1, day, _period_label(period), u,
                                "L" if rng.random() < 0.5 else "P", int(rng.integers(18, 70)),
                                str(rng.choice(["SD", "SMP", "SMA", "D3", "S1", "S2"])),
                                str(rng.choice(["PNS", "Swasta", "Wiraswasta", "Pelajar/Mahasiswa", "Lainnya"])),
                                *[int(a) for a in answers]])  # fmt: skip
            days = service_base[u] + (SERVICE_DAYS_DID if treated and post else 0.0)
            days += float(rng.normal(0, 0.3))
            lam = complaint_base[u] * (COMPLAINTS_RATE_RATIO if treated and post else 1.0)
            days_v: Any = round(max(days, 0.5), 1)
            kpi.rows.append([u, period, days_v, int(rng.poisson(lam)), None])
    f = _RawFile("skm_olah_data.xlsx", {"Data SKM": sh}, "hand-kept Excel (SKM data entry)",
                 ["periods as 'Semester I 2023'", "unit-name variants", "blank answers",
                  "one answer of 5"])  # fmt: skip
    _mess_units(rng, mess, f, "Data SKM", "Unit Layanan", k=8)
    for r in mess.pick(rng, f.name, "Data SKM", len(sh.rows), 6):
        j = sh.col(f"U{int(rng.integers(1, 10))}")
        was = sh.rows[r][j]
        sh.rows[r][j] = None
        mess.add(
            "missing_answer", f.name, r, sh.header[j], None, "kept as missing", was, "Data SKM"
        )
    r = mess.pick(rng, f.name, "Data SKM", len(sh.rows), 1)[0]
    j = sh.col("U3")
    was = sh.rows[r][j]
    sh.rows[r][j] = 5
    mess.add("impossible_ikm_value", f.name, r, "U3", 5, "quarantined (1-4)", was, "Data SKM")
    kf = _RawFile("kpi_unit.xlsx", {"Rekap": kpi}, "hand-kept Excel",
                  ["service days partly as text with comma decimals", "unit-name variants"])  # fmt: skip
    jd = kpi.col("Rata-rata Waktu Penyelesaian (hari)")
    for r in mess.pick(rng, kf.name, "Rekap", len(kpi.rows), 20):
        v = kpi.rows[r][jd]
        kpi.rows[r][jd] = f"{v:.1f}".replace(".", ",")
        mess.add(
            "comma_decimal", kf.name, r, kpi.header[jd], kpi.rows[r][jd], "repaired", v, "Rekap"
        )
    _mess_units(rng, mess, kf, "Rekap", "Unit Layanan", k=3)
    info = {"expected_converted_ikm": expected}
    return f, kf, info


def _costs(rng, world: _World, mess: _Mess) -> tuple[_RawFile, dict[str, dict[str, int]]]:
    sh = _Sheet(["Kode Angkatan", "Komponen Biaya", "Uraian", "Jumlah (Rp)"])
    totals: dict[str, dict[str, int]] = {}
    for c in COHORTS:
        days = max(1, math.ceil(c.jp / 8))
        rate = 900_000 if c.facilitator == "academic" else 700_000
        amounts = {"honor_narasumber": c.jp * rate}
        if c.delivery != "e-learning":
            amounts["konsumsi"] = c.n * days * 85_000
            if c.jp >= 40:
                amounts["akomodasi"] = c.n * (days - 1) * 450_000
            amounts["sewa_tempat"] = days * 3_500_000
        amounts["atk_bahan"] = c.n * 150_000 + int(rng.integers(0, 20)) * 50_000
        amounts["waktu_peserta"] = c.n * c.jp * HOURLY_WAGE
        totals[c.cohort_id] = amounts
        for cat, amount in amounts.items():
            detail = {
                "honor_narasumber": f"{c.jp} JP x {_rupiah(rate)}",
                "konsumsi": f"{c.n} org x {days} hari",
                "akomodasi": f"{c.n} org x {days - 1} malam",
                "sewa_tempat": f"{days} hari",
                "atk_bahan": f"{c.n} paket",
                "waktu_peserta": f"{c.n} org x {c.jp} JP x {_rupiah(HOURLY_WAGE)}",
            }[cat]
            sh.rows.append([c.cohort_id, COST_LABELS[cat], detail, amount])
    f = _RawFile("rincian_biaya.xlsx", {"Biaya": sh}, "hand-kept Excel",
                 ["amounts as text 'Rp 12.500.000' or numbers"])  # fmt: skip
    j = sh.col("Jumlah (Rp)")
    for r, row in enumerate(sh.rows):
        if rng.random() < 0.65:
            row[j] = _rupiah(row[j])
            mess.add("currency_text", f.name, r, "Jumlah (Rp)", row[j], "repaired", None, "Biaya")
    return f, totals


def _share_text(rng: np.random.Generator, share: float) -> tuple[str, str | None]:
    """A share as a Kobo text answer: mostly "60%", sometimes "60" or "0,6"."""
    u = rng.random()
    if u < 0.75:
        return f"{round(share * 100)}%", None
    if u < 0.95:
        return f"{round(share * 100)}", "percent_without_sign"
    return f"{share:.1f}".replace(".", ","), "share_as_fraction"


def _benefits(rng, world: _World, mess: _Mess,
              costs: dict[str, dict[str, int]]) -> tuple[_RawFile, dict[str, Any]]:  # fmt: skip
    """KoboToolbox export of benefit estimates, 6 months after each cohort (Level 5)."""
    name, sheet = "estimasi_manfaat.xlsx", "Estimasi Manfaat"
    sh = _Sheet(["start", "end", "identitas/tingkat", "identitas/nip", "identitas/nama",
                 "identitas/kode_angkatan", "identitas/unit_kerja", "identitas/golongan",
                 "identitas/bulan_ke", "manfaat/jenis", "manfaat/jam_per_bulan",
                 "manfaat/tarif_per_jam", "manfaat/nilai_per_tahun", "manfaat/atribusi",
                 "manfaat/keyakinan", "_id", "_uuid", "_submission_time", "_index"])  # fmt: skip
    col = sh.col
    mean_a = sum(k * p for k, p in ATTRIBUTION_P.items())
    mean_c = sum(k * p for k, p in CONFIDENCE_P.items())
    entries: list[tuple[list[Any], dict[str, Any]]] = []

    def add(t: dt.datetime, c: _Cohort, person: dict[str, Any] | None, unit: str, golongan: str,
            btype: str, planted_hours: float) -> None:  # fmt: skip
        draw = rng.gamma(BENEFIT_HOURS_SHAPE, planted_hours / BENEFIT_HOURS_SHAPE)
        hours = max(0.5, round(draw * 2) / 2)
        rate = HOURLY_COST_BY_GOLONGAN[golongan]
        amount = int(hours * 12 * rate)
        a = float(rng.choice(list(ATTRIBUTION_P), p=list(ATTRIBUTION_P.values())))
        conf = float(rng.choice(list(CONFIDENCE_P), p=list(CONFIDENCE_P.values())))
        a_text, a_kind = _share_text(rng, a)
        c_text, c_kind = _share_text(rng, conf)
        u = f"{int(rng.integers(0, 2**32)):08x}-{len(entries) + 1:04x}-5{int(rng.integers(0, 4096)):03x}"
        row = [
            (t - dt.timedelta(minutes=12)).strftime("%Y-%m-%dT%H:%M:%S.000+08:00"),
            t.strftime("%Y-%m-%dT%H:%M:%S.000+08:00"),
            "Individu" if person else "Unit Kerja",
            person["nip"] if person else None, person["name"] if person else None,
            c.cohort_id, unit, golongan, str(BENEFIT_MONTHS), BENEFIT_LABELS[btype],
            _score_text(hours), rate, amount, a_text, c_text, None, u,
            (t - dt.timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M:%S"), None,
        ]  # fmt: skip
        info = {
            "cohort_id": c.cohort_id, "program_id": c.program_id, "person": bool(person),
            "amount": amount, "attribution": a, "confidence": conf, "status": "kept",
            "expected": planted_hours * 12 * rate * mean_a * mean_c,
            "formats": [k for k in ((a_kind, "manfaat/atribusi"), (c_kind, "manfaat/keyakinan"))
                        if k[0] is not None],
        }  # fmt: skip
        entries.append((row, info))

    for c in COHORTS:
        day0 = _cohort_end(c) + dt.timedelta(days=round(BENEFIT_MONTHS * 30.44))
        if day0 + dt.timedelta(days=20) > DEMO_TODAY:
            continue
        types = list(BENEFIT_HOURS[c.program_id].items())
        for i in world.enrol[c.cohort_id]:
            if rng.random() >= BENEFIT_RESPONSE_RATE:
                continue
            p = world.people[i]
            t = dt.datetime.combine(day0, dt.time(9)) + dt.timedelta(
                days=int(rng.integers(0, 20)), seconds=int(rng.integers(0, 8 * 3600))
            )
            chosen = types[:1]
            if len(types) > 1 and rng.random() < BENEFIT_SECOND_TYPE_P:
                chosen = types[:2]
            for k, (btype, hours) in enumerate(chosen):
                add(t + dt.timedelta(minutes=k), c, p, p["unit"], p["golongan"], btype, hours)
        if c.cohort_id == UNIT_BENEFIT_COHORT:
            for k, unit in enumerate(TREATED_UNITS):
                t = dt.datetime.combine(day0, dt.time(14)) + dt.timedelta(days=k)
                add(t, c, None, unit, UNIT_BENEFIT_GOLONGAN, UNIT_BENEFIT_TYPE, UNIT_BENEFIT_HOURS)
    sub = col("_submission_time")
    # duplicate submissions: an earlier copy of an individual estimate with other answers
    people_rows = [k for k, (_row, info) in enumerate(entries) if info["person"]]
    for k in sorted(int(x) for x in rng.choice(people_rows, size=2, replace=False)):
        row, info = entries[k]
        early = list(row)
        t = dt.datetime.fromisoformat(row[sub]) - dt.timedelta(minutes=int(rng.integers(5, 200)))
        early[sub] = t.strftime("%Y-%m-%dT%H:%M:%S")
        hours = float(early[col("manfaat/jam_per_bulan")]) + 2
        early[col("manfaat/jam_per_bulan")] = _score_text(hours)
        early[col("manfaat/nilai_per_tahun")] = int(
            hours * 12 * early[col("manfaat/tarif_per_jam")]
        )
        entries.append((early, {**info, "status": "duplicate", "formats": []}))
    entries.sort(key=lambda e: e[0][sub])
    sh.rows = [row for row, _info in entries]
    infos = [info for _row, info in entries]
    for k, row in enumerate(sh.rows, start=1):
        row[col("_id")] = 61000 + k * 7
        row[col("_index")] = k
    f = _RawFile(name, {sheet: sh}, "KoboToolbox XLSX export",
                 ["group-prefixed headers", "Kobo meta columns", "shares as '60%', '60' or '0,6'",
                  "amounts as text 'Rp 1.250.000' or numbers", "unit-level estimates without "
                  "NIP and name", "duplicate submissions", "a share of 120%",
                  "a missing amount"])  # fmt: skip
    used = mess.used.setdefault((name, sheet), set())
    nipj, kj, tj = col("identitas/nip"), col("identitas/kode_angkatan"), col("manfaat/jenis")
    twins = set()
    for r, info in enumerate(infos):
        if info["status"] == "duplicate":
            mess.add("duplicate_submission", name, r, "_submission_time", sh.rows[r][sub],
                     "dropped (a later submission with the same NIP, cohort and benefit type "
                     "exists)", None, sheet)  # fmt: skip
            twins.add((sh.rows[r][nipj], sh.rows[r][kj], sh.rows[r][tj]))
    used.update(r for r, row in enumerate(sh.rows) if (row[nipj], row[kj], row[tj]) in twins)
    individual = [r for r, info in enumerate(infos) if info["person"]]
    # a share above 100%, and an estimate without hours or amount: both quarantined
    r = mess.pick(rng, name, sheet, len(sh.rows), 1, individual)[0]
    was = sh.rows[r][col("manfaat/atribusi")]
    sh.rows[r][col("manfaat/atribusi")] = "120%"
    formats = [k for k in infos[r]["formats"] if k[1] != "manfaat/atribusi"]
    infos[r] = {**infos[r], "status": "quarantined", "formats": formats}
    mess.add("share_over_100", name, r, "manfaat/atribusi", "120%",
             "quarantined (a share is at most 100%)", was, sheet)  # fmt: skip
    r = mess.pick(rng, name, sheet, len(sh.rows), 1, individual)[0]
    was = sh.rows[r][col("manfaat/nilai_per_tahun")]
    sh.rows[r][col("manfaat/jam_per_bulan")] = None
    sh.rows[r][col("manfaat/nilai_per_tahun")] = None
    infos[r] = {**infos[r], "status": "quarantined"}
    mess.add("missing_amount", name, r, "manfaat/nilai_per_tahun", None,
             "quarantined (the amount is required)", was, sheet)  # fmt: skip
    _mangle_nips(rng, mess, f, sheet, "identitas/nip", {"nip_spaces": 1},
                 [r for r in individual if r not in used])  # fmt: skip
    for r, info in enumerate(infos):
        for kind, column in info["formats"]:
            j = col(column)
            mess.add(kind, name, r, column, sh.rows[r][j], "read as a share 0-1", None, sheet)
    j = col("manfaat/nilai_per_tahun")
    for r, row in enumerate(sh.rows):
        if row[j] is not None and rng.random() < 0.65:
            row[j] = _rupiah(row[j])
            mess.add("currency_text", name, r, "manfaat/nilai_per_tahun", row[j], "repaired",
                     None, sheet)  # fmt: skip

    # the truth: planted levels, and the sums cleaning must recover from the kept rows
    kept = [i for i in infos if i["status"] == "kept"]
    by_cohort: dict[str, dict[str, Any]] = {}
    for c in COHORTS:
        rows = [i for i in kept if i["cohort_id"] == c.cohort_id]
        if not rows:
            continue
        expected = sum(i["expected"] for i in rows)
        by_cohort[c.cohort_id] = {
            "n_estimates": len(rows),
            "n_unit_level": sum(not i["person"] for i in rows),
            "benefit_raw_idr": float(sum(i["amount"] for i in rows)),
            "benefit_adjusted_idr": round(
                sum(i["amount"] * i["attribution"] * i["confidence"] for i in rows), 2
            ),
            "expected_benefit_adjusted_idr": round(expected, 2),
            "expected_bcr": round(expected / sum(costs[c.cohort_id].values()), 6),
        }
    by_program = {}
    for pid, types in BENEFIT_HOURS.items():
        rows = [i for i in kept if i["program_id"] == pid and i["person"]]
        by_program[pid] = {
            "hours_saved_per_month": types,
            "expected_adjusted_per_estimate_idr": round(
                sum(i["expected"] for i in rows) / len(rows), 2
            ),
        }
    info = {
        "unit": "rupiah per year; adjusted = benefit x attribution x confidence (Phillips)",
        "how": (
            f"{BENEFIT_MONTHS} months after each cohort (when that date is before the export), "
            f"each participant answers with probability {BENEFIT_RESPONSE_RATE}; hours saved per "
            f"month ~ Gamma(shape {BENEFIT_HOURS_SHAPE}, mean = planted hours), rounded to 0.5; "
            "benefit_idr = hours x 12 x hourly cost of the participant's golongan "
            "(hourly_cost_by_golongan, an illustrative assumption); attribution and confidence "
            "drawn from attribution_p and confidence_p, independently. "
            "expected_benefit_adjusted_idr sums planted hours x 12 x hourly cost x mean "
            "attribution x mean confidence over the rows cleaning keeps; benefit_adjusted_idr "
            "is the same sum of the values as written. Unit-level estimates (no participant): "
            f"{UNIT_BENEFIT_TYPE} in {UNIT_BENEFIT_COHORT}, {UNIT_BENEFIT_HOURS} hours a month "
            f"per treated unit at the {UNIT_BENEFIT_GOLONGAN} hourly cost."
        ),
        "hourly_cost_by_golongan": HOURLY_COST_BY_GOLONGAN,
        "attribution_p": {str(k): v for k, v in ATTRIBUTION_P.items()},
        "confidence_p": {str(k): v for k, v in CONFIDENCE_P.items()},
        "attribution_mean": round(mean_a, 6),
        "confidence_mean": round(mean_c, 6),
        "by_program": by_program,
        "by_cohort": by_cohort,
    }
    return f, info


# =================================================================================
# writers
# =================================================================================
def _csv_bytes(sheet: _Sheet, bom: bool) -> bytes:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(sheet.header)
    for row in sheet.rows:
        w.writerow(["" if v is None else v for v in row])
    return buf.getvalue().encode("utf-8-sig" if bom else "utf-8")


def _xlsx_bytes(sheets: dict[str, _Sheet]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    for title, sh in sheets.items():
        ws = wb.create_sheet(title)
        for k, h in enumerate(sh.header, start=1):
            ws.column_dimensions[get_column_letter(k)].width = max(10, min(40, len(h) + 2))

        def styled(value: Any, ws: Any = ws, **style: Any) -> WriteOnlyCell:
            cell = WriteOnlyCell(ws, value=value)
            for key, v in style.items():
                setattr(cell, key, v)
            return cell

        for k, row in enumerate(sh.title_rows):
            ws.append([styled(v, font=Font(bold=True, size=12)) if k == 0 else v for v in row])
        ws.append([styled(h, font=Font(bold=True)) for h in sh.header])
        for row in sh.rows:
            ws.append(
                [
                    styled(v, number_format="DD/MM/YYYY") if isinstance(v, dt.date) else v
                    for v in row
                ]
            )
    wb.properties.creator = "BKPSDM Kota Kupang"
    wb.properties.created = _XLSX_TIME
    wb.properties.modified = _XLSX_TIME
    raw = io.BytesIO()
    wb.save(raw)
    return _normalise_zip(raw.getvalue())


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite an XLSX with fixed entry times and fixed document properties."""
    stamp = _XLSX_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                    lambda m: m.group(1) + stamp.encode() + m.group(2),
                    body,
                )
            zi = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, body)
    return out.getvalue()


def _file_bytes(f: _RawFile) -> bytes:
    if f.name.endswith(".csv"):
        (sheet,) = f.sheets.values()
        return _csv_bytes(sheet, f.bom)
    return _xlsx_bytes(f.sheets)


# =================================================================================
# truth
# =================================================================================
def _truth(seed: int, world: _World, mess: _Mess, files: list[_RawFile], reaction_info: dict,
           ikm_info: dict, costs: dict[str, dict[str, int]],
           benefits: dict[str, Any]) -> dict[str, Any]:  # fmt: skip
    sd_total = math.hypot(REACTION_PERSON_SD, REACTION_ITEM_SD)
    rel_items = [k for k, v in REACTION_ITEMS.items() if v[0] == "relevance"]
    off = reaction_info["item_offsets"]

    def rel_mean(shift: float) -> float:
        vals = [
            _clipped_normal_mean(REACTION_BASE["relevance"] + off[k] + shift, sd_total, 1, 5)
            for k in rel_items
        ]
        return sum(vals) / len(vals)

    observed_diff = rel_mean(RELEVANCE_PRACTITIONER) - rel_mean(0.0)
    counts = mess.counts()
    recoverable = sum(counts.get(k, 0) for k in NIP_RECOVERABLE)
    unusable = sum(
        n for k, n in counts.items() if k.startswith("nip_") and k not in NIP_RECOVERABLE
    )
    participants = {c.cohort_id: len(world.enrol[c.cohort_id]) for c in COHORTS}
    expected_by_cohort = {
        c.cohort_id: round(
            float(np.mean([world.scores[c.cohort_id, i][2] for i in world.enrol[c.cohort_id]])), 6
        )
        for c in COHORTS
    }
    return {
        "study": "demo",
        "seed": seed,
        "export_date": DEMO_TODAY.isoformat(),
        "note": "Synthetic data: every person, NIP and number is invented.",
        "design": {
            "programs": {k: {"name": v[0], "skill_type": v[1]} for k, v in PROGRAMS.items()},
            "cohorts": [
                {
                    "cohort_id": c.cohort_id,
                    "program_id": c.program_id,
                    "batch": c.batch,
                    "start_date": c.start.isoformat(),
                    "end_date": _cohort_end(c).isoformat(),
                    "delivery": c.delivery,
                    "facilitator_type": c.facilitator,
                    "jp": c.jp,
                    "n_participants": participants[c.cohort_id],
                }
                for c in COHORTS
            ],  # fmt: skip
            "treated_units": list(TREATED_UNITS),
            "comparison_units": list(COMPARISON_UNITS),
            "periods": list(PERIODS),
            "post_from": POST_FROM,
            "english_label_cohort": _ENGLISH_COHORT,
            "four_point_cohort": _LMS_COHORT,
            "item_level_cohorts": list(_ITEM_COHORTS),
        },
        "effects": {
            "learning_gain_by_delivery": {
                "values": GAIN_BY_DELIVERY,
                "unit": "test points (0-100), post - pre",
                "how": (
                    f"pre ~ N({PRE_MEAN}, {PRE_SD}) clipped to [5, 95]; post = pre + gain[delivery] "
                    f"+ unit intercept + N(0, {GAIN_NOISE_SD}), clipped to [0, 100]; scores "
                    "rounded to 1 or 0.5 (item-level cohorts: 5-point steps from 20 items)"
                ),
                "expected_by_cohort": expected_by_cohort,
            },  # fmt: skip
            "learning_unit_random_intercept": {
                "sd": GAIN_UNIT_SD,
                "variance": GAIN_UNIT_SD**2,
                "values": {u: round(v, 6) for u, v in world.gain_unit.items()},
                "how": (
                    "one N(0, sd) draw per unit (OPD), centred to mean 0 over the units, added "
                    "to the gain of its staff; learning_gain_by_delivery.expected_by_cohort "
                    "includes it"
                ),
            },
            "relevance_practitioner": {
                "value": RELEVANCE_PRACTITIONER,
                "expected_observed_difference": round(observed_diff, 6),
                "unit": "1-5 item score (relevance items; reverse items already reversed)",
                "how": (
                    "latent answer = dimension base + person N(0, "
                    f"{REACTION_PERSON_SD}) + item offset + N(0, {REACTION_ITEM_SD}), "
                    "+0.5 on relevance items in practitioner-led cohorts; answers are floor/"
                    "ceil draws with expectation clip(latent, 1, 5), so the observed "
                    "difference is slightly smaller than 0.5 (expected_observed_difference). "
                    "The 4-point cohort maps latent x to 1 + (x - 1) * 3/4."
                ),
                "dimension_base": REACTION_BASE,
                "item_offsets": off,
            },  # fmt: skip
            "ikm_did": {
                "value": IKM_DID,
                "unit": "converted IKM score (25-100)",
                "how": (
                    f"respondent mean = {IKM_BASE} + {IKM_TREND} x period_index + unit "
                    f"intercept + {IKM_TREATED_OFFSET} if treated + {IKM_DID} if treated and "
                    f"period >= {POST_FROM}; respondent latent N(mean, {IKM_RESPONDENT_SD}) / 25 "
                    "clipped to [1, 4]; the 9 answers are floor/ceil draws with that "
                    "expectation"
                ),
                "common_trend_per_period": IKM_TREND,
                "treated_baseline_offset": IKM_TREATED_OFFSET,
                "expected_converted_ikm": ikm_info["expected_converted_ikm"],
            },  # fmt: skip
            "ikm_unit_random_intercept": {
                "sd": IKM_UNIT_SD,
                "variance": IKM_UNIT_SD**2,
                "values": {u: round(v, 6) for u, v in world.ikm_unit.items()},
            },
            "service_days_did": {"value": SERVICE_DAYS_DID, "unit": "days"},
            "complaints_rate_ratio": {
                "value": COMPLAINTS_RATE_RATIO,
                "how": "Poisson rate x 0.7 in treated units after the intervention",
            },  # fmt: skip
            "followup": {
                "supervisor_minus_self": L3_SUPERVISOR_SHIFT,
                "gain_slope": L3_GAIN_SLOPE,
                "six_months_shift": L3_SIX_MONTHS,
                "unit": "1-5 frequency scale (latent, before clipping)",
                "how": (
                    f"latent = {L3_BASE} + {L3_GAIN_SLOPE} x observed gain (expected gain when "
                    f"a score is missing) + {L3_SIX_MONTHS} at 6 months + person N(0, "
                    f"{L3_PERSON_SD}); supervisor adds {L3_SUPERVISOR_SHIFT}; item noise "
                    f"N(0, {L3_ITEM_SD})"
                ),
            },  # fmt: skip
            "project_status_probabilities": {str(k): v for k, v in PROJECT_STATUS_P.items()},
            "benefits": benefits,
            "test_items": {
                "easy_item": f"Soal {_EASY_ITEM}",
                "random_item": f"Soal {_RANDOM_ITEM}",
                "how": (
                    "number correct = round(score / 5); which items are correct is a "
                    "Gumbel-top-k draw weighted by item easiness; the random item is "
                    "replaced by a coin flip (discrimination near 0); the score is 5 x the "
                    "number correct"
                ),
            },  # fmt: skip
        },
        "costs_idr": costs,
        "mess": {
            "counts": counts,
            "nip_recoverable": recoverable,
            "nip_unusable": unusable,
            "recoverable_kinds": list(NIP_RECOVERABLE),
            "events": mess.events,
        },
        "files": {
            f.name: {
                "source": f.source,
                "quirks": f.quirks,
                "rows": {s: len(sh.rows) for s, sh in f.sheets.items()},
            }
            for f in files
        },
    }


# =================================================================================
# public entry point
# =================================================================================
def build_demo(seed: int = constants.SEED) -> tuple[list[_RawFile], dict[str, Any]]:
    """Build the demo exports in memory: the raw files and the truth dictionary.

    Parameters
    ----------
    seed : int
        Seed of the numpy random generator.

    Returns
    -------
    tuple of (list, dict)
        The raw files (name, sheets of header + rows) and the content of ``truth.json``.

    Examples
    --------
    >>> files, truth = build_demo()
    >>> len(truth["design"]["cohorts"])
    15
    """
    rng = np.random.default_rng(seed)
    mess = _Mess()
    world = _build_world(rng)
    files: list[_RawFile] = [_cohort_list(rng, mess)]
    files += _rosters(rng, world, mess)
    scores, item_files = _scores(rng, world, mess)
    reaction, reaction_info = _reaction(rng, world, mess)
    files += reaction + [scores] + item_files
    files += _followup(rng, world, mess)
    skm, kpi, ikm_info = _ikm(rng, world, mess)
    cost_file, costs = _costs(rng, world, mess)
    files += [skm, kpi, cost_file]
    # a generator of its own, so that adding the benefit file left the others unchanged
    benefit_file, benefits = _benefits(np.random.default_rng([seed, 5]), world, mess, costs)
    files.append(benefit_file)
    truth = _truth(seed, world, mess, files, reaction_info, ikm_info, costs, benefits)
    return files, truth


def write_demo(out_dir: Path, *, seed: int = constants.SEED, progress: bool = True) -> Path:
    """Write the synthetic Kota Kupang demo study (raw exports, codebook, truth).

    Parameters
    ----------
    out_dir : Path
        Folder to write (created if missing); existing files of the same name are
        replaced, other files are left alone.
    seed : int, default ``constants.SEED``
        Seed of the random generator; the same seed gives byte-identical files.
    progress : bool, default True
        Show a progress bar over the files written.

    Returns
    -------
    Path
        ``out_dir``.

    Notes
    -----
    The files, their quirks, and the planted effects are described in the module
    docstring and in ``truth.json``.

    Examples
    --------
    >>> import json, tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = write_demo(Path(tmp) / "demo", progress=False)
    ...     truth = json.loads((out / "truth.json").read_text(encoding="utf-8"))
    ...     print((out / "codebook.yaml").is_file(), truth["effects"]["ikm_did"]["value"])
    True 6.0
    """
    from tqdm.auto import tqdm

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    files, truth = build_demo(seed)
    codebook = resources.files("evalkit.data").joinpath("demo_codebook.yaml").read_bytes()
    jobs: list[tuple[str, Any]] = [(f.name, f) for f in files]
    jobs += [("codebook.yaml", codebook), ("truth.json", truth)]
    for name, payload in tqdm(jobs, desc="demo data", unit="file", disable=not progress):
        if isinstance(payload, _RawFile):
            data = _file_bytes(payload)
        elif isinstance(payload, dict):
            data = (json.dumps(payload, ensure_ascii=False, indent=1, default=str) + "\n").encode()
        else:
            data = payload
        (out_dir / name).write_bytes(data)
    return out_dir
