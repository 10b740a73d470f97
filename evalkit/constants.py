"""Column names of the processed data model and shared domain constants.

Everything a user might want to correct (bands, thresholds, labels) lives here,
each with its reference, so that it can be changed in one place.

Examples
--------
>>> from evalkit import constants as C
>>> C.PARTICIPANT_ID
'participant_id'
>>> C.IKM_BANDS[0]
(88.31, 'A', 'Sangat Baik', 'Very good')
"""

from __future__ import annotations

# --- Column names of the processed tables (public API: never rename) -------------
STUDY = "study"
PROGRAM_ID = "program_id"
PROGRAM_NAME = "program_name"
SKILL_TYPE = "skill_type"  # "soft" | "technical"
COHORT_ID = "cohort_id"
BATCH = "batch"
START_DATE = "start_date"
END_DATE = "end_date"
DELIVERY = "delivery"
FACILITATOR_TYPE = "facilitator_type"
JP = "jp"
PARTICIPANT_ID = "participant_id"
SEX = "sex"  # "L" (laki-laki, male) | "P" (perempuan, female)
AGE_BAND = "age_band"
GOLONGAN = "golongan"
POSITION_TYPE = "position_type"
UNIT = "unit"
ITEM = "item"
DIMENSION = "dimension"
SCORE = "score"
SCALE_MAX = "scale_max"
PRE = "pre"
POST = "post"
MAX_SCORE = "max_score"
PHASE = "phase"  # "pre" | "post"
CORRECT = "correct"
RATER = "rater"  # "self" | "supervisor"
MONTHS_AFTER = "months_after"
PROJECT_STATUS = "project_status"
PERIOD = "period"
PERIOD_INDEX = "period_index"  # int, 0 = first period
TREATED = "treated"
RESPONDENT_ID = "respondent_id"
SERVICE_DAYS = "service_days"
COMPLAINTS = "complaints"
CATEGORY = "category"
AMOUNT = "amount_idr"
TEXT = "text"
SUBMITTED_AT = "submitted_at"
# Level 5 benefit estimates (the ``benefits`` table)
BENEFIT_TYPE = "benefit_type"  # e.g. "time_saved", "fewer_errors", "faster_service"
BENEFIT = "benefit_idr"  # annualised monetary value, rupiah
ATTRIBUTION = "attribution"  # share of the benefit attributed to the training, 0-1
CONFIDENCE = "confidence"  # estimator's confidence in the estimate, 0-1

# --- Controlled vocabularies ------------------------------------------------------
DELIVERY_METHODS = ("klasikal", "workshop", "e-learning", "blended", "project-based")
FACILITATOR_TYPES = ("academic", "practitioner")
SKILL_TYPES = ("soft", "technical")
SEXES = ("L", "P")
RATERS = ("self", "supervisor")
PROJECT_STATUSES = ("not_started", "in_progress", "implemented", "sustained")
#: Project statuses that count as implemented (sustained projects were implemented).
IMPLEMENTED_STATUSES = ("implemented", "sustained")

#: Level 1 dimensions (the usual end-of-course survey): key -> (Indonesian, English)
REACTION_DIMENSIONS = {
    "content": ("Materi", "Content"),
    "facilitator": ("Narasumber/Widyaiswara", "Facilitator"),
    "organisation": ("Penyelenggaraan", "Organisation"),
    "facilities": ("Sarana", "Facilities"),
    "relevance": ("Relevansi", "Relevance"),
}

#: Golongan/ruang of PNS, I/a .. IV/e (17 in all). PPPK use I..XVII.
GOLONGAN_PNS = tuple(
    f"{g}/{r}"
    for g, rs in (("I", "abcd"), ("II", "abcd"), ("III", "abcd"), ("IV", "abcde"))
    for r in rs
)

# --- Thresholds and bands (with references) ---------------------------------------
#: Cronbach's alpha considered acceptable (Nunnally 1978).
ALPHA_ACCEPTABLE = 0.70
#: Corrected item-total correlation considered adequate.
ITEM_TOTAL_MIN = 0.30
#: Number of top categories counted as favourable by the reaction scale scores
#: (top-two-box: 4 and 5 on a 5-point scale).
TOP_BOX = 2
#: Hake (1998) normalised gain bands: g < .3 low, .3 <= g < .7 medium, g >= .7 high.
HAKE_BANDS = ((0.7, "high"), (0.3, "medium"), (float("-inf"), "low"))
#: Ebel & Frisbie discrimination index bands (lower bound, label).
DISCRIMINATION_BANDS = (
    (0.40, "very good"),
    (0.30, "good"),
    (0.20, "revise"),
    (float("-inf"), "drop"),
)
#: Ideal item difficulty (proportion correct) range.
DIFFICULTY_IDEAL = (0.30, 0.70)
#: Labels of item difficulty against DIFFICULTY_IDEAL: p below it, within it, above it.
DIFFICULTY_LABELS = ("hard", "ideal", "easy")
#: Fraction of examinees in the upper and lower groups for discrimination (Kelley 1939).
DISCRIMINATION_FRACTION = 0.27

#: IKM (PermenPANRB 14/2017): 9 elements answered 1..4; converted = mean x 25.
IKM_ELEMENTS = tuple(f"u{i}" for i in range(1, 10))
IKM_ELEMENT_NAMES = {
    "u1": ("Persyaratan", "Requirements"),
    "u2": ("Sistem, mekanisme, dan prosedur", "Procedure"),
    "u3": ("Waktu penyelesaian", "Completion time"),
    "u4": ("Biaya/tarif", "Cost/tariff"),
    "u5": ("Produk spesifikasi jenis pelayanan", "Product specification"),
    "u6": ("Kompetensi pelaksana", "Staff competence"),
    "u7": ("Perilaku pelaksana", "Staff behaviour"),
    "u8": ("Penanganan pengaduan, saran dan masukan", "Complaint handling"),
    "u9": ("Sarana dan prasarana", "Facilities"),
}
IKM_CONVERSION = 25.0
#: (lower bound of converted score, grade, Indonesian label, English label)
IKM_BANDS = (
    (88.31, "A", "Sangat Baik", "Very good"),
    (76.61, "B", "Baik", "Good"),
    (65.00, "C", "Kurang Baik", "Poor"),
    (25.00, "D", "Tidak Baik", "Very poor"),
)
#: Tolerance of band boundaries (IKM grades) for floating-point representation; not
#: rounding: 76.605 is still C.
BAND_TOLERANCE = 1e-9

#: Minimum JP (jam pelajaran) of competency development per PNS per year
#: (PP 11/2017 as amended by PP 17/2020; Perlan 10/2018).
JP_PER_YEAR = 20

#: SKP predicates (PermenPANRB 6/2022); ratings are "above" | "meets" | "below".
SKP_RATINGS = ("above", "meets", "below")
SKP_PREDICATES = ("Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang", "Sangat Kurang")
#: Accepted spellings of the SKP ratings (PermenPANRB 6/2022 uses the Indonesian ones).
SKP_RATING_ALIASES = {
    "above": "above",
    "meets": "meets",
    "below": "below",
    "di atas ekspektasi": "above",
    "diatas ekspektasi": "above",
    "sesuai ekspektasi": "meets",
    "di bawah ekspektasi": "below",
    "dibawah ekspektasi": "below",
}
#: (results rating, behaviour rating) -> predicate, PermenPANRB 6/2022.
SKP_MATRIX = {
    ("above", "above"): "Sangat Baik",
    ("above", "meets"): "Baik",
    ("meets", "above"): "Baik",
    ("meets", "meets"): "Baik",
    ("below", "above"): "Butuh Perbaikan",
    ("below", "meets"): "Butuh Perbaikan",
    ("above", "below"): "Kurang",
    ("meets", "below"): "Kurang",
    ("below", "below"): "Sangat Kurang",
}

#: Peer banding of post-training impact (mean of alumni and supervisor, 0..100).
IMPACT_BANDS = (
    (80.0, "Sangat Berdampak"),
    (60.0, "Berdampak"),
    (40.0, "Cukup Berdampak"),
    (float("-inf"), "Kurang Berdampak"),
)

#: Smallest group a shared report may describe (UU 27/2022 practice).
MIN_CELL_SIZE = 5

#: Default seed of everything random in evalkit.
SEED = 20251127

# --- Facilitator evaluation (the ``facilitator_ratings`` table) -------------------
#: Pseudonymous facilitator id (``F`` + 10 hex characters of a salted HMAC of the name).
FACILITATOR_ID = "facilitator_id"
#: The facilitator's name, written only when the codebook says ``name_facilitators: true``.
FACILITATOR_NAME = "facilitator_name"
FACILITATOR_ROLE = "facilitator_role"  # "widyaiswara" | "academic" | "practitioner"
SESSION = "session"  # the session (mata pelatihan, sesi) the facilitator taught
#: Roles of facilitators: widyaiswara (a civil-service trainer, a functional position,
#: PermenPANRB 42/2021), an academic (dosen) or a practitioner (praktisi) as narasumber.
FACILITATOR_ROLES = ("widyaiswara", "academic", "practitioner")
#: First character of a facilitator pseudonym (participants' ids start with ``P``).
FACILITATOR_ID_PREFIX = "F"
#: First character of the rater key of an anonymous facilitator form (no NIP or name):
#: one key per row of the export, not a person.
ANONYMOUS_RATER_PREFIX = "A"
# --- retrospective (then-test) follow-up, as BPKP's PTIA app collects it ----------------
#: Columns of the ``retrospective`` table: the aspect an item belongs to, its weight
#: (percent, optional), and the ratings of "before training" and "now" (1-4), given
#: in one sitting.
ASPECT = "aspect"
WEIGHT = "weight"
RATING_BEFORE = "rating_before"
RATING_NOW = "rating_now"
#: The rating scale of the retrospective questionnaire (PTIA ``IndikatorPersepsiSeeder``:
#: 1 Sangat tidak setuju .. 4 Sangat setuju).
RETRO_SCALE = (1, 4)
#: PTIA's aspects: key -> (name in the app, Kirkpatrick level, scoring criterion,
#: weight of the alumnus, weight of the direct supervisor), read from the app's seeders
#: (github msramdan/ptia, ``database/seeders/AspekSeeder.php`` and
#: ``BobotAspekSeeder.php``). The criterion says which conversion table the aspect's
#: rounded mean change is looked up in: "delta" (``PTIA_DELTA_CONVERSION``) or
#: "perception" (``PTIA_PERCEPTION_CONVERSION``). Level 3 weights of both raters sum to
#: 100; level 4's 73.77 plus ``PTIA_SECONDARY_WEIGHT`` (secondary data) do.
#: Check them against the app's version an agency runs: weights are editable per project.
PTIA_ASPECTS = {
    "motivasi": ("Motivasi", 3, "delta", 8.94, 8.44),
    "kepercayaan_diri": ("Kepercayaan Diri", 3, "delta", 10.48, 9.89),
    "berbagi_ilmu": ("Kemampuan Membagikan Keilmuan", 3, "perception", 7.62, 7.18),
    "implementasi": ("Kemampuan Implementasi Keilmuan", 3, "delta", 24.41, 23.04),
    "hasil": ("Hasil Pelatihan", 4, "delta", 37.95, 35.82),
}
#: PTIA ``KonversiSeeder.php``: "Skor Persepsi" 1/2/3/4 -> 0/63/83/100 and
#: "Delta Skor Persepsi" 0/1/2/3 -> 0/63/88/100; a key not in the table converts to 0.
PTIA_PERCEPTION_CONVERSION = {1: 0.0, 2: 63.0, 3: 83.0, 4: 100.0}
PTIA_DELTA_CONVERSION = {0: 0.0, 1: 63.0, 2: 88.0, 3: 100.0}
#: PTIA ``BobotAspekSecondarySeeder.php``: level 4 weight of secondary data.
PTIA_SECONDARY_WEIGHT = 26.23
#: PTIA ``IndikatorDampakSeeder.php``: (lower bound, exclusive; band) of a 0-100 score;
#: the app matches ``nilai_minimal < score <= nilai_maksimal`` (a score of 0 is in the
#: lowest band here). The app's ``getPredikat`` holds a second banding
#: (:data:`IMPACT_BANDS`, 80/60/40).
PTIA_BANDS = (
    (75.0, "Sangat berdampak"),
    (50.0, "Cukup berdampak"),
    (25.0, "Kurang berdampak"),
    (float("-inf"), "Tidak berdampak"),
)
