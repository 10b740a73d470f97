"""Part of evalkit.clean."""

from __future__ import annotations

from evalkit import constants as C

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
    "reaction_items": (C.ITEM, C.DIMENSION, C.SCALE_MAX, "reverse", C.TEXT),
    "learning": (C.COHORT_ID, C.PARTICIPANT_ID, C.PRE, C.POST, C.MAX_SCORE),
    "test_items": (C.COHORT_ID, C.PARTICIPANT_ID, C.PHASE, C.ITEM, C.CORRECT),
    "followup": (
        C.COHORT_ID, C.PARTICIPANT_ID, C.RATER, C.MONTHS_AFTER, C.ITEM, C.SCORE, C.SCALE_MAX,
    ),
    "projects": (C.COHORT_ID, C.PARTICIPANT_ID, C.MONTHS_AFTER, C.PROJECT_STATUS),
    "ikm": (
        C.UNIT, C.PERIOD, "period_index", C.POST, C.TREATED, C.RESPONDENT_ID, *C.IKM_ELEMENTS,
    ),
    "unit_kpi": (
        C.UNIT, C.PERIOD, "period_index", C.POST, C.TREATED, C.SERVICE_DAYS, C.COMPLAINTS,
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


#: Integer columns (nullable Int64 in the output).
INT_COLUMNS = (C.BATCH, C.JP, C.MONTHS_AFTER, C.COMPLAINTS, C.SCALE_MAX, C.CORRECT, "period_index")


#: Date and datetime columns.
DATE_COLUMNS = (C.START_DATE, C.END_DATE)


DATETIME_COLUMNS = (C.SUBMITTED_AT,)


#: Default maximum of a test score when the codebook gives none.
DEFAULT_MAX_SCORE = 100.0


#: Long tables (one row per answer, not per form) and what their rows are called.
LONG_TABLES = {"reaction": "answers", "followup": "answers", "test_items": "item answers"}
