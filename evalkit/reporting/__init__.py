"""Reporting: the words, numbers, tables, figures and conclusions of a report.

The notebooks import this package as one namespace (``from evalkit import
reporting as ekr``): its names are resolved lazily from the modules that hold
them, so a kernel pays only for what a report uses.

- :mod:`~evalkit.reporting.terms`: the bilingual term dictionary and the one language check;
- :mod:`~evalkit.reporting.formats`: numbers, percentages, rupiah, p values, CIs, dates;
- :mod:`~evalkit.reporting.disclosure`: the one small-cell rule (the privacy rule);
- :mod:`~evalkit.reporting.tables`: the display tables;
- :mod:`~evalkit.reporting.sections`: titles and section notes;
- :mod:`~evalkit.reporting.conclusions`: one module of worded conclusions per level;
- :mod:`~evalkit.reporting.figures`, :mod:`~evalkit.reporting.comments`: figures and comment themes
  (notebooks import these two modules themselves, as ``ekf`` and ``ekc``);
- :mod:`~evalkit.reporting.figure_style`, :mod:`~evalkit.reporting.figure_files`: how
  figures look and are rendered, and how they are written to files;
- :mod:`~evalkit.reporting.record`: what a notebook records for the runner;
- :mod:`~evalkit.reporting.memo`: slow results computed once per run, shared by its reports.

Examples
--------
>>> from evalkit import reporting as ekr
>>> ekr.fmt_num(3.14159, 2, "id")
'3,14'
"""

from __future__ import annotations

import importlib
from typing import Any

#: public name -> submodule of evalkit.reporting that defines it
_NAMES: dict[str, str] = {
    "icc_conclusion": "conclusions.behavior",
    "project_conclusion": "conclusions.behavior",
    "transfer_conclusion": "conclusions.behavior",
    "transfer_note": "conclusions.behavior",
    "comparison_conclusion": "conclusions.compare",
    "difference_conclusion": "conclusions.compare",
    "trend_conclusion": "conclusions.compare",
    "roi_cohorts_conclusion": "conclusions.economics",
    "roi_conclusion": "conclusions.economics",
    "knowledge_test_conclusion": "conclusions.learning",
    "learning_conclusion": "conclusions.learning",
    "mde_conclusion": "conclusions.learning",
    "reaction_conclusion": "conclusions.reaction",
    "pooled_reaction_conclusion": "conclusions.reaction",
    "reliability_conclusion": "conclusions.reaction",
    "FEW_CLUSTERS": "conclusions.results",
    "compliance_note": "conclusions.results",
    "did_conclusion": "conclusions.results",
    "cell_label": "disclosure",
    "compliance_safe": "disclosure",
    "is_small": "disclosure",
    "suppressed": "disclosure",
    "suppression_note": "disclosure",
    "estimates": "ledger",
    "memoized": "memo",
    "fmt_ci": "formats",
    "fmt_date": "formats",
    "fmt_idr": "formats",
    "fmt_int": "formats",
    "fmt_num": "formats",
    "fmt_p": "formats",
    "fmt_pct": "formats",
    "fmt_pvalue": "formats",
    "cohort_title": "sections",
    "section_note": "sections",
    "reaction_method": "sections",
    "change_table": "tables",
    "compliance_table": "tables",
    "cost_table": "tables",
    "count_table": "tables",
    "format_table": "tables",
    "item_labels": "tables",
    "profile_table": "tables",
    "roi_table": "tables",
    "EFFECT_SIZE_BANDS": "terms",
    "LANGS": "terms",
    "MINUS": "terms",
    "MISSING": "terms",
    "TERMS": "terms",
    "Text": "terms",
    "check_lang": "terms",
    "effect_size_label": "terms",
    "hake_band_label": "terms",
    "term": "terms",
    # Level 5 (economics): ROI intervals, cost items, cost-effectiveness
    "roi_groups_conclusion": "conclusions.economics",
    "roi_estimates": "conclusions.economics",
    "roi_scenario_estimates": "conclusions.economics",
    "cost_estimates": "conclusions.economics",
    "cost_items_plot": "economics_figures",
    "roi_interval_plot": "economics_figures",
    # Level 4 inference (impact study)
    "count_conclusion": "conclusions.results",
    "inference_conclusion": "conclusions.results",
    "pretrend_conclusion": "conclusions.results",
    "mean_reversion": "conclusions.results",
    "transition_conclusion": "conclusions.results",
    "treated_conclusion": "conclusions.results",
    "multiplicity_conclusion": "conclusions.results",
    "event_table": "outcomes",
    "impact_section": "outcomes",
    "inference_table": "outcomes",
    "section_estimates": "outcomes",
    "summary_table": "outcomes",
    "training_table": "outcomes",
    "transition_table": "outcomes",
    "treatment_overview": "outcomes",
    # unit of analysis, for whom, did it work at work and did it last
    "attrition_conclusion": "conclusions.behavior",
    "change_conclusion": "conclusions.behavior",
    "change_means_estimates": "conclusions.behavior",
    "link_conclusion": "conclusions.behavior",
    "wave_transfer_conclusion": "conclusions.behavior",
    "clustered_conclusion": "conclusions.compare",
    "secondary_tests_conclusion": "conclusions.compare",
    "person_level": "conclusions.compare",
    "subgroup_conclusion": "conclusions.compare",
    # training needs and the budget planner
    "effect_estimates": "conclusions.planning",
    "field_needs": "conclusions.planning",
    "field_needs_conclusion": "conclusions.planning",
    "field_needs_quotes": "conclusions.planning",
    "needs_conclusion": "conclusions.planning",
    "needs_estimates": "conclusions.planning",
    "needs_table": "conclusions.planning",
    "plan_conclusion": "conclusions.planning",
    "plan_estimates": "conclusions.planning",
    "plan_note": "conclusions.planning",
    "plan_table": "conclusions.planning",
    "planning_note": "conclusions.planning",
    "transfer_estimates": "conclusions.planning",
    "plan_figure": "planning_figures",
    # facilitator evaluation (widyaiswara/narasumber)
    "facilitator_conclusion": "conclusions.facilitator",
    "facilitator_note": "conclusions.facilitator",
    "gain_link_conclusion": "conclusions.facilitator",
    "variance_conclusion": "conclusions.facilitator",
    "role_conclusion": "conclusions.facilitator",
    "role_estimates": "conclusions.facilitator",
    "role_table": "facilitator_tables",
    "shown_roles": "facilitator_tables",
    "facilitator_labels": "facilitator_tables",
    "facilitator_roles": "facilitator_tables",
    "facilitator_table": "facilitator_tables",
    "shown_facilitators": "facilitator_tables",
    "variance_table": "facilitator_tables",
    # a report an evaluator can hand over: summary, methods, limitations, recommendations
    "executive_summary": "summary",
    "summary_placeholder": "summary",
    "session_estimates": "record",
    "analysis_methods": "methods",
    "cleaning_summary": "methods",
    "design_text": "methods",
    "followup_waves": "methods",
    "instruments": "methods",
    "introduction": "methods",
    "response_rates": "methods",
    "response_text": "methods",
    "limitations": "recommendations",
    "recommend": "recommendations",
    "safe_ledger": "disclosure",
    "safe_table": "disclosure",
    "share_is_small": "disclosure",
    "group_is_small": "disclosure",
    "withheld_note": "disclosure",
    "reaction_withheld": "disclosure",
    "withheld_cohorts": "disclosure",
    "withheld_cohorts_note": "disclosure",
    "method_text": "method_terms",
    "outcome_text": "method_terms",
    "cost_roi_plot": "economics_figures",
    "cost_roi_title": "economics_figures",
    # retrospective (then-test) follow-up, PTIA's score, the long term (issue 13)
    "attrition_by_wave_conclusion": "conclusions.retrospective",
    "long_term_statement": "conclusions.retrospective",
    "no_retrospective_note": "conclusions.retrospective",
    "persistence_conclusion": "conclusions.retrospective",
    "ptia_conclusion": "conclusions.retrospective",
    "rater_gap_conclusion": "conclusions.retrospective",
    "response_shift_conclusion": "conclusions.retrospective",
    "response_shift_estimates": "conclusions.retrospective",
    "response_shift_limitation": "conclusions.retrospective",
    "retro_change_conclusion": "conclusions.retrospective",
    "persistence_plot": "retrospective_figures",
    "retrospective_plot": "retrospective_figures",
}

__all__ = sorted(_NAMES)


def __getattr__(name: str) -> Any:
    module = _NAMES.get(name)
    if module is None:
        raise AttributeError(f"module 'evalkit.reporting' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"evalkit.reporting.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(__all__) | set(globals()))
