"""The demo's ``truth.json``: the design, the planted effects, the costs and every planted mess.

Tests read it to check that cleaning loses nothing silently (every mess event
names its file, row, column and the handling expected of cleaning) and that
the analysis recovers the planted effects (each effect with its value, its
unit and a sentence on how it was drawn; where clipping or rounding moves the
observable effect away from the planted one, the expected observed value too).

Examples
--------
>>> round(_observed_relevance_difference({k: 0.0 for k in REACTION_ITEMS}), 3)
0.489
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from evalkit.data.demo.design import (
    COHORTS,
    COMPARISON_UNITS,
    DEMO_TODAY,
    ENGLISH_COHORT,
    ITEM_COHORTS,
    LMS_COHORT,
    PERIODS,
    POST_FROM,
    PROGRAMS,
    TREATED_UNITS,
    cohort_end,
)
from evalkit.data.demo.effects import (
    COMPLAINTS_RATE_RATIO,
    GAIN_BY_DELIVERY,
    GAIN_NOISE_SD,
    GAIN_UNIT_SD,
    IKM_BASE,
    IKM_DID,
    IKM_RESPONDENT_SD,
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
    clipped_normal_mean,
)
from evalkit.data.demo.files import RawFile
from evalkit.data.demo.mess import NIP_RECOVERABLE, Mess
from evalkit.data.demo.reaction import REACTION_ITEMS
from evalkit.data.demo.scores import EASY_ITEM, RANDOM_ITEM
from evalkit.data.demo.world import World


def _design(world: World) -> dict[str, Any]:
    participants = {c.cohort_id: len(world.enrol[c.cohort_id]) for c in COHORTS}
    return {
        "programs": {k: {"name": v[0], "skill_type": v[1]} for k, v in PROGRAMS.items()},
        "cohorts": [
            {
                "cohort_id": c.cohort_id,
                "program_id": c.program_id,
                "batch": c.batch,
                "start_date": c.start.isoformat(),
                "end_date": cohort_end(c).isoformat(),
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
        "english_label_cohort": ENGLISH_COHORT,
        "four_point_cohort": LMS_COHORT,
        "item_level_cohorts": list(ITEM_COHORTS),
    }


# --- effects ----------------------------------------------------------------------
def _learning(world: World) -> dict[str, Any]:
    expected_by_cohort = {
        c.cohort_id: round(
            float(np.mean([world.scores[c.cohort_id, i][2] for i in world.enrol[c.cohort_id]])), 6
        )
        for c in COHORTS
    }
    return {
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
    }


def _observed_relevance_difference(offsets: dict[str, float]) -> float:
    """Expected observed practitioner - academic difference of the relevance item means."""
    sd_total = math.hypot(REACTION_PERSON_SD, REACTION_ITEM_SD)
    rel_items = [k for k, v in REACTION_ITEMS.items() if v[0] == "relevance"]

    def rel_mean(shift: float) -> float:
        vals = [
            clipped_normal_mean(REACTION_BASE["relevance"] + offsets[k] + shift, sd_total, 1, 5)
            for k in rel_items
        ]
        return sum(vals) / len(vals)

    return rel_mean(RELEVANCE_PRACTITIONER) - rel_mean(0.0)


def _reaction(reaction_info: dict[str, Any]) -> dict[str, Any]:
    off = reaction_info["item_offsets"]
    return {
        "relevance_practitioner": {
            "value": RELEVANCE_PRACTITIONER,
            "expected_observed_difference": round(_observed_relevance_difference(off), 6),
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
    }


def _ikm(world: World, ikm_info: dict[str, Any]) -> dict[str, Any]:
    return {
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
    }


def _followup() -> dict[str, Any]:
    return {
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
    }


def _test_items() -> dict[str, Any]:
    return {
        "test_items": {
            "easy_item": f"Soal {EASY_ITEM}",
            "random_item": f"Soal {RANDOM_ITEM}",
            "how": (
                "number correct = round(score / 5); which items are correct is a "
                "Gumbel-top-k draw weighted by item easiness; the random item is "
                "replaced by a coin flip (discrimination near 0); the score is 5 x the "
                "number correct"
            ),
        },  # fmt: skip
    }


def _mess(mess: Mess) -> dict[str, Any]:
    counts = mess.counts()
    recoverable = sum(counts.get(k, 0) for k in NIP_RECOVERABLE)
    unusable = sum(
        n for k, n in counts.items() if k.startswith("nip_") and k not in NIP_RECOVERABLE
    )
    return {
        "counts": counts,
        "nip_recoverable": recoverable,
        "nip_unusable": unusable,
        "recoverable_kinds": list(NIP_RECOVERABLE),
        "events": mess.events,
    }


def truth(seed: int, world: World, mess: Mess, files: list[RawFile], reaction_info: dict,
          ikm_info: dict, costs: dict[str, dict[str, int]],
          benefits: dict[str, Any],
          facilitators: dict[str, Any] | None = None) -> dict[str, Any]:  # fmt: skip
    """The content of ``truth.json`` (keys in the order written).

    ``reaction_info``, ``ikm_info``, ``costs``, ``benefits`` and ``facilitators`` are
    what the reaction, IKM, cost, benefit and facilitator generators returned besides
    their files.

    Examples
    --------
    >>> from evalkit.data.demo.study import build_demo
    >>> _files, data = build_demo()
    >>> list(data)
    ['study', 'seed', 'export_date', 'note', 'design', 'effects', 'costs_idr', 'mess', 'files']
    """
    effects = {
        **_learning(world),
        **_reaction(reaction_info),
        **_ikm(world, ikm_info),
        **_followup(),
        "benefits": benefits,
        **_test_items(),
        **(facilitators or {}),
    }
    return {
        "study": "demo",
        "seed": seed,
        "export_date": DEMO_TODAY.isoformat(),
        "note": "Synthetic data: every person, NIP and number is invented.",
        "design": _design(world),
        "effects": effects,
        "costs_idr": costs,
        "mess": _mess(mess),
        "files": {
            f.name: {
                "source": f.source,
                "quirks": f.quirks,
                "rows": {s: len(sh.rows) for s, sh in f.sheets.items()},
            }
            for f in files
        },
    }
