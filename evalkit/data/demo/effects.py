"""The effects planted in the demo study, and the response model that plants them.

Each constant is a knob of the synthetic world that the analysis should recover:
the learning gain by delivery method, the practitioner effect on reaction
relevance, the IKM difference-in-differences of the Pelayanan Prima
intervention, the follow-up behaviour model, and the Level 5 benefit levels
with their valuation (hourly cost by golongan, attribution and confidence).
``truth.json`` records all of them with a sentence on how each was drawn.

Answers on a 1..k scale come from a latent value through
:func:`latent_to_answer` (floor/ceiling draws whose expectation is the clipped
latent value); :func:`clipped_normal_mean` gives the expected answer in closed
form, so the truth can state the *observable* effect.

Examples
--------
>>> max(GAIN_BY_DELIVERY, key=GAIN_BY_DELIVERY.get), IKM_DID
('project-based', 6.0)
>>> round(clipped_normal_mean(3.0, 1.0, 1, 5), 6)
3.0
"""

from __future__ import annotations

import math

import numpy as np

# --- Level 2: learning ----------------------------------------------------------
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


# --- Level 1: reaction ----------------------------------------------------------
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


# --- Level 4: IKM and unit KPIs -------------------------------------------------
#: IKM converted score (25-100) model.
IKM_BASE, IKM_TREND, IKM_TREATED_OFFSET, IKM_DID = 74.0, 0.6, -2.0, 6.0


IKM_UNIT_SD, IKM_RESPONDENT_SD = 3.0, 4.0


IKM_RESPONDENTS = 20


SERVICE_DAYS_DID, COMPLAINTS_RATE_RATIO = -1.0, 0.7


# --- Level 3: behaviour ---------------------------------------------------------
#: Follow-up behaviour ratings (1-5 frequency scale).
L3_BASE, L3_GAIN_SLOPE, L3_SIX_MONTHS, L3_SUPERVISOR_SHIFT = 3.0, 0.04, 0.15, -0.35


L3_PERSON_SD, L3_ITEM_SD = 0.4, 0.45


#: Months after the cohort -> probability of each change-project status.
PROJECT_STATUS_P = {
    3: {"not_started": 0.10, "in_progress": 0.45, "implemented": 0.35, "sustained": 0.10},
    6: {"not_started": 0.05, "in_progress": 0.20, "implemented": 0.40, "sustained": 0.35},
}


# --- Level 5: costs and benefits ------------------------------------------------
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


# --- the response model ---------------------------------------------------------
def latent_to_answer(rng: np.random.Generator, x: np.ndarray, low: int, high: int) -> np.ndarray:
    """Integer answers with expectation exactly clip(x, low, high).

    Each value is rounded down or up at random, up with probability equal to its
    fractional part (one ``rng.random`` draw per value).

    Examples
    --------
    >>> latent_to_answer(np.random.default_rng(0), np.array([0.2, 3.0, 9.0]), 1, 5)
    array([1, 3, 5])
    """
    x = np.clip(x, low, high)
    base = np.floor(x)
    return (base + (rng.random(x.shape) < (x - base))).astype(int)


def clipped_normal_mean(mu: float, sd: float, low: float, high: float) -> float:
    """E[clip(X, low, high)] for X ~ N(mu, sd^2) (closed form).

    Examples
    --------
    >>> round(clipped_normal_mean(5.0, 1.0, 1, 5), 4)  # half the mass is clipped to 5
    4.6011
    """

    def phi(z: float) -> float:
        return math.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)

    def cdf(z: float) -> float:
        return 0.5 * (1 + math.erf(z / math.sqrt(2)))

    a, b = (low - mu) / sd, (high - mu) / sd
    inside = mu * (cdf(b) - cdf(a)) + sd * (phi(a) - phi(b))
    return low * cdf(a) + inside + high * (1 - cdf(b))
