"""evalkit: evaluation studies of civil-servant (ASN) training programs.

The public API is importable from the package root. Names are resolved lazily,
so ``import evalkit`` stays fast and the command line does not pay for the
scientific stack until a statistic is asked for.

Examples
--------
>>> import evalkit
>>> callable(evalkit.cronbach_alpha)
True
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

#: public name -> module that defines it
_API: dict[str, str] = {
    # Level 1, reaction
    "cronbach_alpha": "metrics.reaction",
    "item_analysis": "metrics.reaction",
    "scale_scores": "metrics.reaction",
    "percent_of_max": "metrics.reaction",
    "pomp_answers": "metrics.reaction",
    # Level 2, learning
    "normalized_gain": "metrics.learning",
    "paired_change": "metrics.learning",
    "test_item_analysis": "metrics.knowledge_test",
    "hake_band": "metrics.learning",
    "pass_rate": "metrics.learning",
    "ancova": "metrics.learning",
    # group comparisons (used by Levels 1-2)
    "group_difference": "metrics.compare",
    "compare_groups": "metrics.compare",
    "posthoc": "metrics.compare",
    # Level 3, behaviour
    "transfer_index": "metrics.behavior",
    "rater_agreement": "metrics.agreement",
    "project_rates": "metrics.behavior",
    "gain_behavior_link": "metrics.behavior",
    "icc": "metrics.agreement",
    "bland_altman": "metrics.agreement",
    # Level 4, results
    "ikm": "metrics.results",
    "ikm_grade": "metrics.results",
    "did": "metrics.impact",
    "event_study": "metrics.impact",
    "multilevel": "metrics.impact",
    "rate_change": "metrics.impact",
    "jp_compliance": "metrics.results",
    "jp_denominator": "metrics.results",
    "skp_predicate": "metrics.results",
    # Level 5, ROI and power
    "roi": "metrics.economics",
    "cost_summary": "metrics.economics",
    "adjusted_benefit": "metrics.economics",
    "phillips_benefit": "metrics.economics",
    "roi_sensitivity": "metrics.economics",
    "roi_scenarios": "metrics.economics",
    "minimum_detectable_effect": "metrics.power",
    "required_n": "metrics.power",
    "design_effect": "metrics.power",
    # scores and tests across levels
    "pomp": "metrics.scales",
    "adjust_p": "metrics.multiplicity",
    # Level 4 inference: counts, pre-trends, few clusters, what was evaluated
    "count_did": "metrics.counts",
    "count_event_study": "metrics.counts",
    "count_pretrend_test": "metrics.counts",
    "pretrend_test": "metrics.impact",
    "randomization_ci": "metrics.inference",
    "randomization_inference": "metrics.inference",
    "treatment_assignments": "metrics.inference",
    "wild_cluster_bootstrap": "metrics.inference",
    "treatment_cohorts": "metrics.treatment",
    "unit_training": "metrics.treatment",
    "period_window": "metrics.treatment",
    "ikm_transitions": "metrics.treatment",
    "impact_design": "metrics.treatment",
    "primary_outcome": "metrics.treatment",
    # unit of analysis (people in cohorts), for whom, did it last
    "cluster_robust_ols": "metrics.clustered",
    "clustered_means": "metrics.clustered",
    "clustered_comparison": "metrics.clustered",
    "clustered_trend": "metrics.clustered",
    "clustered_change": "metrics.learning",
    "subgroup_estimates": "metrics.subgroups",
    "subgroup_tests": "metrics.subgroups",
    "SUBGROUPS": "metrics.subgroups",
    "subgroup_vs_rest": "metrics.subgroups",
    "behavior_scores": "metrics.behavior",
    "behavior_change": "metrics.waves",
    "wave_attrition": "metrics.waves",
    # reliability from a factor model; items sat by several cohorts (issue 10)
    "mcdonald_omega": "metrics.reliability",
    "same_test_groups": "metrics.knowledge_test",
    "pooled_item_analysis": "metrics.knowledge_test",
    # errors
    "EvalkitError": "errors",
    "ParameterError": "errors",
    "DataError": "errors",
    "CodebookError": "errors",
    "ReportError": "errors",
    "EvalkitWarning": "errors",
    # Level 5 uncertainty and cost items (roi_uncertainty, cost_items)
    "roi_bootstrap": "metrics.roi_uncertainty",
    "bootstrap_interval": "metrics.roi_uncertainty",
    "bca_acceleration": "metrics.roi_uncertainty",
    "break_even": "metrics.roi_uncertainty",
    "person_benefits": "metrics.roi_uncertainty",
    "cost_items": "metrics.cost_items",
    "cost_effectiveness": "metrics.cost_items",
    # training needs and the budget planner (needs, planner)
    "group_means": "metrics.needs",
    "behavior_needs": "metrics.needs",
    "relevance_needs": "metrics.needs",
    "needs_ranking": "metrics.needs",
    "program_effects": "metrics.planner",
    "program_transfer": "metrics.planner",
    "budget_plan": "metrics.planner",
    "participants_for": "metrics.planner",
    # facilitator evaluation (widyaiswara/narasumber)
    "facilitator_forms": "metrics.facilitator",
    "facilitator_summary": "metrics.facilitator",
    "facilitator_variance": "metrics.facilitator",
    "facilitator_gain_link": "metrics.facilitator",
    "facilitator_role_means": "metrics.facilitator",
    "facilitator_role_comparison": "metrics.facilitator",
    # retrospective (then-test) follow-up as PTIA collects it; the long term (issue 13)
    "php_round": "metrics.retrospective",
    "ptia_band": "metrics.retrospective",
    "ptia_scores": "metrics.retrospective",
    "ptia_summary": "metrics.retrospective",
    "rater_gap": "metrics.retrospective",
    "response_shift": "metrics.retrospective",
    "retrospective_change": "metrics.retrospective",
    "retrospective_index": "metrics.retrospective",
    "retrospective_levels": "metrics.retrospective",
    "attrition_by_wave": "metrics.waves",
    "long_term_evidence": "metrics.waves",
    "persistence_curve": "metrics.waves",
}

__all__ = sorted(_API) + ["__version__"]


def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'evalkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"evalkit.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
