"""The data schema: every processed table, its columns, keys and types (the one copy).

Cleaning (:func:`evalkit.data.clean.clean_study`) turns raw exports into the processed
tables described here (``docs/data-model.md``), and the codebook
(:mod:`evalkit.data.codebook`) is validated against it. Both sides of the raw ->
processed step read from this module only:

- what a codebook may map: :data:`TABLE_COLUMNS` (per table, the columns a raw header
  can feed), :data:`TABLE_REQUIRED`, the column types (:data:`COLUMN_TYPES`,
  :data:`DEFAULT_TYPES`, :data:`FIXED_TYPES`), :data:`DEFAULT_MIN` and the controlled
  :data:`VOCABULARIES`; which tables hold people (:data:`PERSON_TABLES`,
  :data:`OPTIONAL_PERSON_TABLES`) and items (:data:`ITEM_TABLES`);
- what cleaning writes: :data:`OUTPUT_COLUMNS` (per table, in order), the keys and sort
  order (:data:`TABLE_KEYS`, :data:`SORT_KEYS`) and each column's dtype
  (:func:`output_dtype`).

A codebook column either reaches its table's output under the same name, or is one of
the table's :data:`READ_ONLY_COLUMNS` (identifiers replaced by ``participant_id``, a
score folded into ``pre``/``post``); an output column either comes from the codebook or
is one of the table's :data:`DERIVED_COLUMNS` (made by cleaning). The tests check that
the two sides agree in both directions.

Examples
--------
>>> OUTPUT_COLUMNS["costs"]
('cohort_id', 'category', 'amount_idr')
>>> TABLE_KEYS["learning"]
('cohort_id', 'participant_id')
>>> output_dtype("unit_kpi", "post"), output_dtype("learning", "post")
('boolean', 'float64')
"""

from __future__ import annotations

from evalkit import constants as C

# --- columns that exist only on the codebook side -----------------------------------
#: A participant's NIP (read, checked and replaced by ``participant_id``).
NIP = "nip"

#: A participant's name (read to identify and to scrub, never written).
NAME = "name"

#: Whether a test item is reverse-keyed (``reaction_items``).
REVERSE = "reverse"

#: Columns every person table may map: cohort, identifiers and submission time.
PERSON_COLUMNS = (C.COHORT_ID, NIP, NAME, C.SUBMITTED_AT)

#: Positions of civil servants (``participants.position_type``).
POSITION_TYPES = ("struktural", "fungsional", "pelaksana")

#: Test phases (``test_items.phase``, and ``learning`` given one score per row).
PHASES = (C.PRE, C.POST)


# --- the processed tables -----------------------------------------------------------
#: Columns of every processed table, in order (docs/data-model.md).
OUTPUT_COLUMNS: dict[str, tuple[str, ...]] = {
    "programs": (C.PROGRAM_ID, C.PROGRAM_NAME, C.SKILL_TYPE),
    "cohorts": (
        C.COHORT_ID, C.PROGRAM_ID, C.PROGRAM_NAME, C.SKILL_TYPE, C.BATCH, C.START_DATE,
        C.END_DATE, C.DELIVERY, C.FACILITATOR_TYPE, C.JP,
    ),
    "participants": (
        C.COHORT_ID, C.PARTICIPANT_ID, C.SEX, C.AGE_BAND, C.GOLONGAN, C.POSITION_TYPE, C.UNIT,
    ),
    "reaction": (
        C.COHORT_ID, C.PARTICIPANT_ID, C.ITEM, C.DIMENSION, C.SCORE, C.SCALE_MAX, C.SUBMITTED_AT,
    ),
    "reaction_items": (C.ITEM, C.DIMENSION, C.SCALE_MAX, REVERSE, C.TEXT),
    "learning": (C.COHORT_ID, C.PARTICIPANT_ID, C.PRE, C.POST, C.MAX_SCORE),
    "test_items": (C.COHORT_ID, C.PARTICIPANT_ID, C.PHASE, C.ITEM, C.CORRECT),
    "followup": (
        C.COHORT_ID, C.PARTICIPANT_ID, C.RATER, C.MONTHS_AFTER, C.ITEM, C.SCORE, C.SCALE_MAX,
    ),
    "projects": (C.COHORT_ID, C.PARTICIPANT_ID, C.MONTHS_AFTER, C.PROJECT_STATUS),
    "ikm": (
        C.UNIT, C.PERIOD, C.PERIOD_INDEX, C.POST, C.TREATED, C.RESPONDENT_ID, *C.IKM_ELEMENTS,
    ),
    "unit_kpi": (
        C.UNIT, C.PERIOD, C.PERIOD_INDEX, C.POST, C.TREATED, C.SERVICE_DAYS, C.COMPLAINTS,
    ),
    "costs": (C.COHORT_ID, C.CATEGORY, C.AMOUNT),
    "comments": (C.COHORT_ID, C.PARTICIPANT_ID, C.TEXT),
    "benefits": (C.COHORT_ID, C.PARTICIPANT_ID, C.BENEFIT_TYPE, C.BENEFIT, C.ATTRIBUTION,
                 C.CONFIDENCE),
}  # fmt: skip


#: Key columns of each table: one row per key; also the sort order.
TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "programs": (C.PROGRAM_ID,),
    "cohorts": (C.COHORT_ID,),
    "participants": (C.COHORT_ID, C.PARTICIPANT_ID),
    "reaction": (C.COHORT_ID, C.PARTICIPANT_ID),
    "learning": (C.COHORT_ID, C.PARTICIPANT_ID),
    "test_items": (C.COHORT_ID, C.PARTICIPANT_ID, C.PHASE),
    "followup": (C.COHORT_ID, C.PARTICIPANT_ID, C.RATER, C.MONTHS_AFTER),
    "projects": (C.COHORT_ID, C.PARTICIPANT_ID, C.MONTHS_AFTER),
    "unit_kpi": (C.UNIT, C.PERIOD),
    "costs": (C.COHORT_ID, C.CATEGORY),
    "benefits": (C.COHORT_ID, C.PARTICIPANT_ID, C.BENEFIT_TYPE),
}


#: Row order of each written table: its key, then the item of a long table. ``ikm``
#: (one row per respondent, no key) is ordered by unit and period, then by raw row;
#: ``comments`` by participant and text.
SORT_KEYS: dict[str, tuple[str, ...]] = {
    **{
        table: (*TABLE_KEYS.get(table, ()), *((C.ITEM,) if C.ITEM in columns else ()))
        for table, columns in OUTPUT_COLUMNS.items()
    },
    "ikm": (C.UNIT, C.PERIOD),
    "comments": (C.COHORT_ID, C.PARTICIPANT_ID, C.TEXT),
}


#: Integer columns (nullable Int64 in the output).
INT_COLUMNS = (C.BATCH, C.JP, C.MONTHS_AFTER, C.COMPLAINTS, C.SCALE_MAX, C.CORRECT,
               C.PERIOD_INDEX)  # fmt: skip


#: Date and datetime columns.
DATE_COLUMNS = (C.START_DATE, C.END_DATE)


DATETIME_COLUMNS = (C.SUBMITTED_AT,)


#: Flag columns (nullable boolean in the output).
BOOL_COLUMNS = (C.TREATED, REVERSE)


#: Tables where ``post`` is a flag (the period follows the intervention), not a score.
POST_FLAG_TABLES = ("ikm", "unit_kpi")


#: Floating-point columns (scores, amounts, shares, IKM answers).
FLOAT_COLUMNS = (
    C.SCORE, C.PRE, C.POST, C.MAX_SCORE, C.SERVICE_DAYS, C.AMOUNT, C.BENEFIT, C.ATTRIBUTION,
    C.CONFIDENCE, *C.IKM_ELEMENTS,
)  # fmt: skip


def output_dtype(table: str, column: str) -> str:
    """The pandas dtype of one column of a processed table.

    Parameters
    ----------
    table : str
        A processed table (a key of :data:`OUTPUT_COLUMNS`).
    column : str
        One of its columns.

    Returns
    -------
    str
        ``"Int64"``, ``"datetime64[ns]"``, ``"boolean"``, ``"float64"`` or ``"object"``
        (text, missing values as None).

    Examples
    --------
    >>> [output_dtype("cohorts", c) for c in ("jp", "start_date", "delivery")]
    ['Int64', 'datetime64[ns]', 'object']
    >>> output_dtype("ikm", "treated"), output_dtype("ikm", "u1")
    ('boolean', 'float64')
    """
    if column in INT_COLUMNS:
        return "Int64"
    if column in DATE_COLUMNS or column in DATETIME_COLUMNS:
        return "datetime64[ns]"
    if column in BOOL_COLUMNS or (column == C.POST and table in POST_FLAG_TABLES):
        return "boolean"
    if column in FLOAT_COLUMNS:
        return "float64"
    return "object"


#: Default maximum of a test score when the codebook gives none.
DEFAULT_MAX_SCORE = 100.0


#: Long tables (one row per answer, not per form) and what their rows are called.
LONG_TABLES = {"reaction": "answers", "followup": "answers", "test_items": "item answers"}


# --- what a codebook may map ----------------------------------------------------------
#: Column types a codebook may give.
COLUMN_TYPES = (
    "str", "int", "float", "date", "datetime", "nip", "name", "unit", "category", "bool",
    "likert", "share",
)  # fmt: skip


#: Processed tables a codebook can fill, with the columns each accepts. ``nip`` and
#: ``name`` identify participants and are replaced by ``participant_id``.
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "programs": (C.PROGRAM_ID, C.PROGRAM_NAME, C.SKILL_TYPE),
    "cohorts": (
        C.COHORT_ID, C.PROGRAM_ID, C.PROGRAM_NAME, C.SKILL_TYPE, C.BATCH, C.START_DATE,
        C.END_DATE, C.DELIVERY, C.FACILITATOR_TYPE, C.JP,
    ),
    "participants": (*PERSON_COLUMNS, C.SEX, C.GOLONGAN, C.POSITION_TYPE, C.UNIT),
    "reaction": PERSON_COLUMNS,
    "learning": (*PERSON_COLUMNS, C.PRE, C.POST, C.MAX_SCORE, C.SCORE, C.PHASE),
    "test_items": (*PERSON_COLUMNS, C.PHASE),
    "followup": (*PERSON_COLUMNS, C.RATER, C.MONTHS_AFTER),
    "projects": (*PERSON_COLUMNS, C.MONTHS_AFTER, C.PROJECT_STATUS),
    "ikm": (C.UNIT, C.PERIOD, C.RESPONDENT_ID, C.SUBMITTED_AT, *C.IKM_ELEMENTS),
    "unit_kpi": (C.UNIT, C.PERIOD, C.SERVICE_DAYS, C.COMPLAINTS),
    "costs": (C.COHORT_ID, C.CATEGORY, C.AMOUNT),
    "comments": (*PERSON_COLUMNS, C.TEXT),
    "benefits": (*PERSON_COLUMNS, C.BENEFIT_TYPE, C.BENEFIT, C.ATTRIBUTION, C.CONFIDENCE),
}  # fmt: skip


#: Codebook columns of a table that are not written under their own name: identifiers
#: (replaced by ``participant_id``), a submission time used only to order duplicates,
#: a score with its phase (folded into ``pre`` and ``post``).
READ_ONLY_COLUMNS: dict[str, tuple[str, ...]] = {
    "participants": (NIP, NAME, C.SUBMITTED_AT),
    "learning": (NIP, NAME, C.SUBMITTED_AT, C.SCORE, C.PHASE),
    "test_items": (NIP, NAME, C.SUBMITTED_AT),
    "followup": (NIP, NAME, C.SUBMITTED_AT),
    "projects": (NIP, NAME, C.SUBMITTED_AT),
    "comments": (NIP, NAME, C.SUBMITTED_AT),
    "benefits": (NIP, NAME, C.SUBMITTED_AT),
    "reaction": (NIP, NAME),
    "ikm": (C.SUBMITTED_AT,),
}


#: Output columns that cleaning makes rather than reads: ids, age bands, the rows of
#: items (see :data:`ITEM_TABLES`), the impact design of unit tables.
DERIVED_COLUMNS: dict[str, tuple[str, ...]] = {
    "participants": (C.PARTICIPANT_ID, C.AGE_BAND),
    "reaction": (C.PARTICIPANT_ID, C.ITEM, C.DIMENSION, C.SCORE, C.SCALE_MAX),
    "learning": (C.PARTICIPANT_ID,),
    "test_items": (C.PARTICIPANT_ID, C.ITEM, C.CORRECT),
    "followup": (C.PARTICIPANT_ID, C.ITEM, C.SCORE, C.SCALE_MAX),
    "projects": (C.PARTICIPANT_ID,),
    "comments": (C.PARTICIPANT_ID,),
    "benefits": (C.PARTICIPANT_ID,),
    "ikm": (C.PERIOD_INDEX, C.POST, C.TREATED),
    "unit_kpi": (C.PERIOD_INDEX, C.POST, C.TREATED),
}


#: Processed tables no codebook maps: made from other tables (``reaction_items`` from
#: the reaction items of the codebook).
DERIVED_TABLES = ("reaction_items",)


#: Tables whose rows belong to a participant of a cohort.
PERSON_TABLES = ("participants", "reaction", "learning", "test_items", "followup", "projects",
                 "comments")  # fmt: skip


#: Tables whose rows may belong to a participant: linked through NIP or name when the
#: row gives one, else kept without a participant (a unit-level benefit estimate).
OPTIONAL_PERSON_TABLES = ("benefits",)


#: Tables whose ``items`` become rows of a long table (item, score).
ITEM_TABLES = ("reaction", "followup", "test_items", "ikm")


#: Item tables whose items are answered on a Likert scale (``ikm`` may give ``max``
#: instead of a Likert set).
LIKERT_ITEM_TABLES = ("reaction", "followup", "ikm")


#: Columns every table of a kind must define (besides a participant identifier).
TABLE_REQUIRED: dict[str, tuple[str, ...]] = {
    "programs": (C.PROGRAM_ID,),
    "cohorts": (C.COHORT_ID,),
    "ikm": (C.UNIT, C.PERIOD),
    "unit_kpi": (C.UNIT, C.PERIOD),
    "costs": (C.COHORT_ID, C.CATEGORY, C.AMOUNT),
    "benefits": (C.COHORT_ID, C.BENEFIT, C.ATTRIBUTION, C.CONFIDENCE),
    **{t: (C.COHORT_ID,) for t in PERSON_TABLES},
}


#: Default type of a column by its output name (``str`` otherwise).
DEFAULT_TYPES: dict[str, str] = {
    NIP: "nip", NAME: "name", C.UNIT: "unit", C.START_DATE: "date", C.END_DATE: "date",
    C.SUBMITTED_AT: "datetime", C.BATCH: "int", C.JP: "int", C.MONTHS_AFTER: "int",
    C.COMPLAINTS: "int", C.PRE: "float", C.POST: "float", C.MAX_SCORE: "float",
    C.SCORE: "float", C.SERVICE_DAYS: "float", C.AMOUNT: "float",
    C.BENEFIT: "float", C.ATTRIBUTION: "share", C.CONFIDENCE: "share",
    **{u: "int" for u in C.IKM_ELEMENTS},
}  # fmt: skip


#: Columns that must have a given type (the data model needs it).
FIXED_TYPES: dict[str, str] = {NIP: "nip", C.ATTRIBUTION: "share", C.CONFIDENCE: "share"}


#: Default ``min`` of a column when the codebook gives none: a benefit estimate is a
#: monetary gain, so a negative amount is a data-entry error (quarantined).
DEFAULT_MIN: dict[str, float] = {C.BENEFIT: 0.0}


#: Controlled vocabularies of categorical output columns.
VOCABULARIES: dict[str, tuple[str, ...]] = {
    C.DELIVERY: C.DELIVERY_METHODS,
    C.FACILITATOR_TYPE: C.FACILITATOR_TYPES,
    C.SKILL_TYPE: C.SKILL_TYPES,
    C.SEX: C.SEXES,
    C.POSITION_TYPE: POSITION_TYPES,
    C.PROJECT_STATUS: C.PROJECT_STATUSES,
    C.RATER: C.RATERS,
    C.PHASE: PHASES,
}


# --- facilitator_ratings: participants rate each facilitator (widyaiswara/narasumber) ---
# One row per answer: a participant (rater) of a cohort rates one facilitator of one
# session on one item. The codebook maps the facilitator's name or code to
# ``facilitator_id``, which cleaning replaces by a salted pseudonym (``F`` + 10 hex); the
# name itself is written to ``facilitator_name`` only when the codebook says
# ``name_facilitators: true``. A wide export (one block of items per facilitator) is
# mapped with ``blocks`` (:mod:`evalkit.data.codebook_blocks`).
_FACILITATOR_KEY = (C.COHORT_ID, C.PARTICIPANT_ID, C.FACILITATOR_ID, C.SESSION)
OUTPUT_COLUMNS["facilitator_ratings"] = (
    *_FACILITATOR_KEY, C.FACILITATOR_NAME, C.FACILITATOR_ROLE, C.ITEM, C.SCORE, C.SCALE_MAX,
)  # fmt: skip
TABLE_KEYS["facilitator_ratings"] = _FACILITATOR_KEY
SORT_KEYS["facilitator_ratings"] = (*_FACILITATOR_KEY, C.ITEM)
LONG_TABLES["facilitator_ratings"] = "answers"
TABLE_COLUMNS["facilitator_ratings"] = (
    *PERSON_COLUMNS, C.FACILITATOR_ID, C.FACILITATOR_ROLE, C.SESSION,
)  # fmt: skip
READ_ONLY_COLUMNS["facilitator_ratings"] = (NIP, NAME, C.SUBMITTED_AT)
DERIVED_COLUMNS["facilitator_ratings"] = (
    C.PARTICIPANT_ID, C.FACILITATOR_NAME, C.ITEM, C.SCORE, C.SCALE_MAX,
)  # fmt: skip
PERSON_TABLES = (*PERSON_TABLES, "facilitator_ratings")
ITEM_TABLES = (*ITEM_TABLES, "facilitator_ratings")
LIKERT_ITEM_TABLES = (*LIKERT_ITEM_TABLES, "facilitator_ratings")
TABLE_REQUIRED["facilitator_ratings"] = (C.COHORT_ID,)  # facilitator_id: codebook_blocks
VOCABULARIES[C.FACILITATOR_ROLE] = C.FACILITATOR_ROLES
# --- retrospective (then-test) follow-up (BPKP's PTIA app) ------------------------------
# One row per answer: alumni and their supervisors rate each item "before training" and
# "now" in one sitting, some months after training. Long rows as the app stores them
# (``project_jawaban_kuesioner``: nilai_sebelum, nilai_sesudah).
OUTPUT_COLUMNS["retrospective"] = (
    C.COHORT_ID, C.PARTICIPANT_ID, C.RATER, C.MONTHS_AFTER, C.ASPECT, C.ITEM, C.WEIGHT,
    C.RATING_BEFORE, C.RATING_NOW,
)  # fmt: skip
TABLE_KEYS["retrospective"] = (C.COHORT_ID, C.PARTICIPANT_ID, C.RATER, C.MONTHS_AFTER, C.ITEM)
SORT_KEYS["retrospective"] = TABLE_KEYS["retrospective"]
FLOAT_COLUMNS = (*FLOAT_COLUMNS, C.WEIGHT, C.RATING_BEFORE, C.RATING_NOW)
LONG_TABLES["retrospective"] = "answers"
TABLE_COLUMNS["retrospective"] = (
    *PERSON_COLUMNS, C.RATER, C.MONTHS_AFTER, C.ASPECT, C.ITEM, C.WEIGHT, C.RATING_BEFORE,
    C.RATING_NOW,
)  # fmt: skip
READ_ONLY_COLUMNS["retrospective"] = (NIP, NAME, C.SUBMITTED_AT)
DERIVED_COLUMNS["retrospective"] = (C.PARTICIPANT_ID,)
PERSON_TABLES = (*PERSON_TABLES, "retrospective")
#: A pretest on the same questions (rows of a wave at or before training) gives only
#: ``rating_now``: neither rating is required, an answer needs one of them. ``item`` is
#: a column of a long export, the items' names of a wide one.
TABLE_REQUIRED["retrospective"] = (C.COHORT_ID, C.RATER, C.MONTHS_AFTER)
#: A wide export (one row per form) maps its rating columns as ``items``, two per
#: question, named ``<item>_sebelum`` / ``<item>_sesudah`` (or ``_before`` / ``_now``), the
#: item's ``dimension`` being its aspect: item name suffix -> the rating it is.
RETRO_ITEM_SUFFIXES = {
    "_sebelum": C.RATING_BEFORE, "_before": C.RATING_BEFORE,
    "_sesudah": C.RATING_NOW, "_now": C.RATING_NOW,
}  # fmt: skip
ITEM_TABLES = (*ITEM_TABLES, "retrospective")
LIKERT_ITEM_TABLES = (*LIKERT_ITEM_TABLES, "retrospective")
DEFAULT_TYPES.update({C.WEIGHT: "float", C.RATING_BEFORE: "int", C.RATING_NOW: "int"})
# --- followup_items: the Level 3 behaviour items as asked (evalkit.data.build_items) ----
# One row per rater and item of the follow-up forms: the item's scale and its text (the
# codebook's ``text:``, else the raw header), as ``reaction_items`` is for the reaction.
OUTPUT_COLUMNS["followup_items"] = (C.RATER, C.ITEM, C.SCALE_MAX, C.TEXT)
SORT_KEYS["followup_items"] = (C.RATER, C.ITEM)
DERIVED_TABLES = (*DERIVED_TABLES, "followup_items")
