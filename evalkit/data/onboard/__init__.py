"""Onboarding a study from the user's own exports: propose a codebook, check the raw files.

An evaluator arrives with a folder of exports (Google Forms CSV, KoboToolbox
XLSX with ``group/field`` headers, hand-kept Excel sheets, SPSS ``.sav`` files
with value labels). :func:`propose_codebook` reads them and guesses a codebook
in the format of ``docs/data-model.md``: what each file is (cohort list,
participant roster, reaction survey, pre/post test with its maximum score, follow-up,
retrospective then-test, projects, costs, benefit estimates, IKM, unit KPIs), the role
of each column (NIP, name, cohort code, unit, dates and timestamps, pre/post
scores), the Likert label set of each question with its direction (the known
Indonesian and English 4- and 5-point sets), which questions are negatively
worded (reverse-keyed candidates), canonical unit names with their variants,
and value maps for categorical columns. :func:`init_study` writes it as
``codebook.yaml`` with a ``# REVIEW:`` comment on every guess the user must
confirm, never overwriting an existing codebook unless asked.

:func:`check_study` then validates the raw files against the codebook and lists
what cleaning would quarantine, drop or repair, and why (file, row, column,
reason), before anything is cleaned. It runs the cleaning code itself
(:func:`evalkit.data.clean.clean_study`) into a temporary folder, so the check and
the cleaning can never disagree.

The package follows the steps: :mod:`~evalkit.data.onboard.sources` (the
readable tables of a folder and their header rows),
:mod:`~evalkit.data.onboard.likert` (label sets and wording),
:mod:`~evalkit.data.onboard.roles` (column roles, items, dimensions),
:mod:`~evalkit.data.onboard.draft` (the proposal being built),
:mod:`~evalkit.data.onboard.columns`, :mod:`~evalkit.data.onboard.items` and
:mod:`~evalkit.data.onboard.tables` (the codebook entries; a test's maximum by
:mod:`~evalkit.data.onboard.bounds`, facilitator exports by
:mod:`~evalkit.data.onboard.facilitators`, IKM, unit KPI, benefit and then-test exports
by :mod:`~evalkit.data.onboard.outcome_tables`),
:mod:`~evalkit.data.onboard.units` (canonical unit names),
:mod:`~evalkit.data.onboard.proposal` (the proposal from end to end),
:mod:`~evalkit.data.onboard.render` (the YAML text),
:mod:`~evalkit.data.onboard.start` (:func:`init_study`) and
:mod:`~evalkit.data.onboard.check` (:func:`check_study`).

Examples
--------
>>> guess_likert(["Setuju", "Sangat setuju", "Tidak Setuju", "Setuju"] * 10)
('setuju4', 4)
>>> guess_likert(["Baik", "Cukup", "Sangat Baik"])
('baik5', 5)
>>> negatively_worded("Jadwal pelatihan terlalu padat"), negatively_worded("Materi jelas")
(True, False)
"""

from evalkit.data.onboard.check import CheckReport, check_study
from evalkit.data.onboard.columns import EXTRA_VALUES
from evalkit.data.onboard.draft import NO_COHORT_LIST, REVIEW, Proposal, slug
from evalkit.data.onboard.likert import (
    AMBIGUOUS_LABELS,
    LIKERT_FAMILIES,
    LIKERT_MATCH_SHARE,
    MIDPOINT_EVIDENCE,
    NEGATIVE_CUES,
    guess_likert,
    negatively_worded,
)
from evalkit.data.onboard.proposal import build_proposal, propose_codebook
from evalkit.data.onboard.render import render_codebook
from evalkit.data.onboard.roles import DIMENSION_CUES, ROLE_PATTERNS
from evalkit.data.onboard.sources import HEADER_SCAN_ROWS, RAW_SUFFIXES
from evalkit.data.onboard.start import InitResult, init_study
from evalkit.data.onboard.units import UNIT_CLUSTER_CUTOFF

__all__ = [
    "AMBIGUOUS_LABELS",
    "DIMENSION_CUES",
    "EXTRA_VALUES",
    "HEADER_SCAN_ROWS",
    "LIKERT_FAMILIES",
    "LIKERT_MATCH_SHARE",
    "MIDPOINT_EVIDENCE",
    "NEGATIVE_CUES",
    "NO_COHORT_LIST",
    "RAW_SUFFIXES",
    "REVIEW",
    "ROLE_PATTERNS",
    "UNIT_CLUSTER_CUTOFF",
    "CheckReport",
    "InitResult",
    "Proposal",
    "build_proposal",
    "check_study",
    "guess_likert",
    "init_study",
    "negatively_worded",
    "propose_codebook",
    "render_codebook",
    "slug",
]
