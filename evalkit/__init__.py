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
    "cronbach_alpha": "reaction",
    "item_analysis": "reaction",
    "scale_scores": "reaction",
    # Level 2, learning
    "normalized_gain": "learning",
    "paired_change": "learning",
    "test_item_analysis": "learning",
    "hake_band": "learning",
    "pass_rate": "learning",
    "ancova": "learning",
    # group comparisons (used by Levels 1-2)
    "group_difference": "compare",
    "compare_groups": "compare",
    "posthoc": "compare",
    # Level 3, behaviour
    "transfer_index": "behavior",
    "rater_agreement": "behavior",
    "project_rates": "behavior",
    "gain_behavior_link": "behavior",
    "icc": "behavior",
    "bland_altman": "behavior",
    # Level 4, results
    "ikm": "results",
    "ikm_grade": "results",
    "did": "results",
    "event_study": "results",
    "multilevel": "results",
    "jp_compliance": "results",
    "skp_predicate": "results",
    # Level 5, ROI and power
    "roi": "economics",
    "cost_summary": "economics",
    "adjusted_benefit": "economics",
    "phillips_benefit": "economics",
    "roi_sensitivity": "economics",
    "minimum_detectable_effect": "power",
    "required_n": "power",
    "design_effect": "power",
    # errors
    "EvalkitError": "errors",
    "ParameterError": "errors",
    "DataError": "errors",
    "CodebookError": "errors",
    "ReportError": "errors",
    "EvalkitWarning": "errors",
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
