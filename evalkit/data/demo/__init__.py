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

The package is split by what it generates: :mod:`~evalkit.data.demo.design`
(units, programs, cohorts), :mod:`~evalkit.data.demo.effects` (the planted
effects and the response model), :mod:`~evalkit.data.demo.world` (staff and
enrolment), one module per export (:mod:`~evalkit.data.demo.rosters`,
:mod:`~evalkit.data.demo.scores`, :mod:`~evalkit.data.demo.reaction`,
:mod:`~evalkit.data.demo.followup`, :mod:`~evalkit.data.demo.ikm`,
:mod:`~evalkit.data.demo.costs`, :mod:`~evalkit.data.demo.benefits`),
:mod:`~evalkit.data.demo.mess` (planting and recording mess),
:mod:`~evalkit.data.demo.files` (the bytes of CSV and XLSX files),
:mod:`~evalkit.data.demo.truth` (``truth.json``) and
:mod:`~evalkit.data.demo.study` (:func:`build_demo`, :func:`write_demo`).

Examples
--------
>>> from evalkit.data import demo
>>> len(demo.COHORTS), len(demo.PROGRAMS), max(demo.GAIN_BY_DELIVERY, key=demo.GAIN_BY_DELIVERY.get)
(15, 6, 'project-based')

``write_demo(Path("data/raw/demo"))`` writes the study (see :func:`write_demo`).
"""

from evalkit.data.demo.benefits import BENEFIT_LABELS
from evalkit.data.demo.costs import COST_LABELS
from evalkit.data.demo.design import (
    COHORTS,
    COMPARISON_UNITS,
    DEMO_TODAY,
    PERIODS,
    POST_FROM,
    PROGRAMS,
    TREATED_UNITS,
    UNITS,
    Cohort,
    cohort_end,
)
from evalkit.data.demo.effects import (
    ATTRIBUTION_P,
    BENEFIT_HOURS,
    BENEFIT_HOURS_SHAPE,
    BENEFIT_MONTHS,
    BENEFIT_RESPONSE_RATE,
    BENEFIT_SECOND_TYPE_P,
    COMPLAINTS_RATE_RATIO,
    CONFIDENCE_P,
    GAIN_BY_DELIVERY,
    GAIN_NOISE_SD,
    GAIN_UNIT_SD,
    HOURLY_COST_BY_GOLONGAN,
    HOURLY_WAGE,
    IKM_BASE,
    IKM_DID,
    IKM_RESPONDENT_SD,
    IKM_RESPONDENTS,
    IKM_TREATED_OFFSET,
    IKM_TREND,
    IKM_UNIT_SD,
    L3_BASE,
    L3_GAIN_SLOPE,
    L3_ITEM_SD,
    L3_PERSON_SD,
    L3_SIX_MONTHS,
    L3_SUPERVISOR_SHIFT,
    PRE_MEAN,
    PRE_SD,
    PROJECT_STATUS_P,
    REACTION_BASE,
    REACTION_ITEM_SD,
    REACTION_PERSON_SD,
    RELEVANCE_PRACTITIONER,
    SERVICE_DAYS_DID,
    UNIT_BENEFIT_COHORT,
    UNIT_BENEFIT_GOLONGAN,
    UNIT_BENEFIT_HOURS,
    UNIT_BENEFIT_TYPE,
)
from evalkit.data.demo.files import RawFile, Sheet
from evalkit.data.demo.followup import BEHAVIOUR_ITEMS, FREKUENSI5, PROJECT_LABELS
from evalkit.data.demo.mess import NIP_RECOVERABLE
from evalkit.data.demo.reaction import AGREE5, BAIK4, LMS_ITEMS, REACTION_ITEMS, SETUJU5
from evalkit.data.demo.scores import N_TEST_ITEMS
from evalkit.data.demo.study import build_demo, write_demo
from evalkit.data.demo.world import FAMILY_NAMES, World, build_world, nip_is_valid

__all__ = [
    "AGREE5",
    "ATTRIBUTION_P",
    "BAIK4",
    "BEHAVIOUR_ITEMS",
    "BENEFIT_HOURS",
    "BENEFIT_HOURS_SHAPE",
    "BENEFIT_LABELS",
    "BENEFIT_MONTHS",
    "BENEFIT_RESPONSE_RATE",
    "BENEFIT_SECOND_TYPE_P",
    "COHORTS",
    "COMPARISON_UNITS",
    "COMPLAINTS_RATE_RATIO",
    "CONFIDENCE_P",
    "COST_LABELS",
    "Cohort",
    "DEMO_TODAY",
    "FAMILY_NAMES",
    "FREKUENSI5",
    "GAIN_BY_DELIVERY",
    "GAIN_NOISE_SD",
    "GAIN_UNIT_SD",
    "HOURLY_COST_BY_GOLONGAN",
    "HOURLY_WAGE",
    "IKM_BASE",
    "IKM_DID",
    "IKM_RESPONDENTS",
    "IKM_RESPONDENT_SD",
    "IKM_TREATED_OFFSET",
    "IKM_TREND",
    "IKM_UNIT_SD",
    "L3_BASE",
    "L3_GAIN_SLOPE",
    "L3_ITEM_SD",
    "L3_PERSON_SD",
    "L3_SIX_MONTHS",
    "L3_SUPERVISOR_SHIFT",
    "LMS_ITEMS",
    "NIP_RECOVERABLE",
    "N_TEST_ITEMS",
    "PERIODS",
    "POST_FROM",
    "PRE_MEAN",
    "PRE_SD",
    "PROGRAMS",
    "PROJECT_LABELS",
    "PROJECT_STATUS_P",
    "REACTION_BASE",
    "REACTION_ITEMS",
    "REACTION_ITEM_SD",
    "REACTION_PERSON_SD",
    "RELEVANCE_PRACTITIONER",
    "RawFile",
    "SERVICE_DAYS_DID",
    "SETUJU5",
    "Sheet",
    "TREATED_UNITS",
    "UNITS",
    "UNIT_BENEFIT_COHORT",
    "UNIT_BENEFIT_GOLONGAN",
    "UNIT_BENEFIT_HOURS",
    "UNIT_BENEFIT_TYPE",
    "World",
    "build_demo",
    "build_world",
    "cohort_end",
    "nip_is_valid",
    "write_demo",
]
