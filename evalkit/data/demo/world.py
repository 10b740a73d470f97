"""The synthetic world of the demo: Kota Kupang's civil servants and who attended what.

:func:`build_world` draws, in this order, about 45 civil servants per unit
(:func:`staff`: name, sex, a structurally valid NIP, golongan, position), the
participants of every cohort (:func:`enrol`), and the unit random intercepts of
the learning gain and of the IKM score. The instruments then draw their answers
from this :class:`World`; the test scores they draw are kept in it, because the
follow-up ratings depend on them.

Names are drawn from lists of names common in NTT and across Indonesia; every
person and NIP is invented.

Examples
--------
>>> world = build_world(np.random.default_rng(1))
>>> len(world.people), len(world.enrol), all(nip_is_valid(p["nip"]) for p in world.people)
(810, 15, True)
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from evalkit import constants
from evalkit.data.demo.design import BACK_OFFICE, COHORTS, COMPARISON_UNITS, TREATED_UNITS, UNITS
from evalkit.data.demo.effects import GAIN_UNIT_SD, IKM_UNIT_SD

# --- names (common in NTT and across Indonesia) -----------------------------------
MALE_NAMES = (
    "Yohanes", "Yosef", "Markus", "Petrus", "Fransiskus", "Stefanus", "Daniel", "Yakobus",
    "Agustinus", "Ferdinand", "Imanuel", "Matheos", "Simon", "Arnold", "Julius",
    "Dominggus", "Melkianus", "Obed", "Yunus", "Andreas", "Gabriel", "Benyamin", "Paulus",
    "Abdul", "Muhammad", "Ahmad", "Hasan", "Rudolf", "Frengki", "Jefri", "Herman", "Alfons",
)  # fmt: skip


FEMALE_NAMES = (
    "Maria", "Yuliana", "Agustina", "Magdalena", "Florentina", "Elisabeth", "Margaretha",
    "Yohana", "Novita", "Selfiana", "Ester", "Debora", "Marlin", "Kristina", "Lusia",
    "Theresia", "Veronika", "Anastasia", "Rambu", "Siti", "Nurhayati", "Rahmawati",
    "Fatimah", "Sri", "Dewi", "Yanti", "Meri", "Oktaviana", "Imelda", "Sarlota",
)  # fmt: skip


#: Family names of the synthetic staff (every full name ends with one of them).
FAMILY_NAMES = (
    "Fanggidae", "Ndun", "Messakh", "Manafe", "Bessie", "Nubatonis", "Tefa", "Taneo",
    "Sinlae", "Kapitan", "Dethan", "Ratu", "Lay", "Haning", "Nenobais", "Bani", "Tallo",
    "Pellokila", "Riwu", "Nalle", "Lede", "Kana", "Tse", "Mooy", "Bire", "Toelle",
    "Adoe", "Pah", "Seran", "Koroh", "Oematan", "Tanone", "Daga", "Benu", "Amalo",
    "Sjioen", "Lerik", "Mandala", "Saubaki", "Bria", "Kolo", "Lamabelawa", "Nope",
    "Djami", "Leo", "Hayon", "Making", "Ola", "Tukan", "Sabon",
)  # fmt: skip


DEGREES = (
    "S.E.",
    "S.Sos.",
    "S.Kom.",
    "S.H.",
    "S.ST.",
    "M.Si.",
    "S.Kep.",
    "A.Md.",
    "S.Pd.",
    "M.M.",
)


# --- NIPs -------------------------------------------------------------------------
def _make_nip(rng: np.random.Generator, sex: int, taken: set[str]) -> tuple[str, dt.date, int]:
    while True:
        year = int(rng.integers(1967, 1999))
        month = int(rng.integers(1, 13))
        last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
        birth = dt.date(year, month, int(rng.integers(1, last + 1)))
        tmt_year = min(year + int(rng.integers(21, 33)), 2022)
        tmt_month = int(rng.choice([1, 3, 4, 12]))
        serial = int(rng.integers(1, 60))
        nip = f"{birth:%Y%m%d}{tmt_year:04d}{tmt_month:02d}{sex}{serial:03d}"
        if nip not in taken:
            taken.add(nip)
            return nip, birth, tmt_year


def nip_is_valid(nip: str) -> bool:
    """Structural validity of an 18-digit NIP (birth date, TMT after 18, sex digit).

    Parameters
    ----------
    nip : str
        The NIP as 18 digits.

    Returns
    -------
    bool
        True when the NIP is 18 digits with a real birth date, a TMT month at
        least 18 years after birth, a sex digit of 1 or 2 and a serial > 000.

    Examples
    --------
    >>> nip_is_valid("198505122010011002"), nip_is_valid("198505122010013002")
    (True, False)
    """
    if not re.fullmatch(r"\d{18}", nip):
        return False
    try:
        birth = dt.date(int(nip[:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        return False
    tmt_year, tmt_month = int(nip[8:12]), int(nip[12:14])
    if not 1 <= tmt_month <= 12:
        return False
    if (tmt_year - birth.year) * 12 + tmt_month - birth.month < 18 * 12:
        return False
    return nip[14] in "12" and nip[15:] != "000"


# --- staff and enrolment ------------------------------------------------------------
def staff(rng: np.random.Generator) -> list[dict[str, Any]]:
    """About 45 civil servants per unit, with valid NIPs and profiles.

    Each person is a dict of ``nip``, ``name`` (with degrees), ``sex`` (L/P),
    ``birth``, ``golongan``, ``position`` (struktural, fungsional, pelaksana)
    and ``unit``.

    Examples
    --------
    >>> people = staff(np.random.default_rng(1))
    >>> len(people), sorted(people[0])
    (810, ['birth', 'golongan', 'name', 'nip', 'position', 'sex', 'unit'])
    """
    people: list[dict[str, Any]] = []
    taken: set[str] = set()
    for unit in UNITS:
        for _ in range(45):
            sex = 1 if rng.random() < 0.5 else 2
            nip, birth, tmt_year = _make_nip(rng, sex, taken)
            first = str(rng.choice(MALE_NAMES if sex == 1 else FEMALE_NAMES))
            family = str(rng.choice(FAMILY_NAMES))
            name = f"{first} {family}"
            if rng.random() < 0.25:
                name = f"{first} {rng.choice(MALE_NAMES if sex == 1 else FEMALE_NAMES)} {family}"
            if rng.random() < 0.45:
                name += ", " + str(rng.choice(DEGREES))
            entry = 4 if rng.random() < 0.35 else 8  # II/a or III/a
            step = min(entry + (2023 - tmt_year) // 4, 13)
            golongan = constants.GOLONGAN_PNS[step]
            u = rng.random()
            if step >= 9 and u < 0.3:
                position = "struktural"
            elif u < 0.65:
                position = "fungsional"
            else:
                position = "pelaksana"
            people.append(
                {"nip": nip, "name": name, "sex": "L" if sex == 1 else "P", "birth": birth,
                 "golongan": golongan, "position": position, "unit": unit}
            )  # fmt: skip
    return people


def enrol(rng: np.random.Generator, people: list[dict[str, Any]]) -> dict[str, list[int]]:
    """Participants (indices into people) of every cohort.

    The intervention cohort PPR-2024-02 draws from the treated units, the other
    Pelayanan Prima cohorts from the back office, the rest from every unit; the
    PKP (supervisor leadership) cohorts take structural officials only.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> by_cohort = enrol(rng, staff(rng))
    >>> len(by_cohort), len(by_cohort["PKP-2023-01"])
    (15, 20)
    """
    by_cohort: dict[str, list[int]] = {}
    for c in COHORTS:
        if c.cohort_id == "PPR-2024-02":
            units = set(TREATED_UNITS)
        elif c.program_id == "PPR":
            units = set(BACK_OFFICE)
        else:
            units = set(UNITS)
        pool = [i for i, p in enumerate(people) if p["unit"] in units]
        if c.program_id == "PKP":
            pool = [i for i in pool if people[i]["position"] == "struktural"]
        chosen = rng.choice(pool, size=c.n, replace=False)
        by_cohort[c.cohort_id] = sorted(int(i) for i in chosen)
    return by_cohort


@dataclass
class World:
    """The people, who attended which cohort, and the unit random intercepts.

    ``scores`` is filled by the test-score generator: (cohort, person index) ->
    (pre, post, expected gain), pre or post None when missing.
    """

    people: list[dict[str, Any]]
    enrol: dict[str, list[int]]
    gain_unit: dict[str, float]
    ikm_unit: dict[str, float]
    scores: dict[tuple[str, int], tuple[float | None, float | None, float]] = field(
        default_factory=dict
    )  # (cohort, person) -> (pre, post, expected gain)


def build_world(rng: np.random.Generator) -> World:
    """Draw the staff, the enrolment and the unit intercepts (in that order).

    The intercepts are centred so that they average 0 over units: the planted
    fixed effects are then the population values.

    Examples
    --------
    >>> world = build_world(np.random.default_rng(0))
    >>> len(world.people), abs(sum(world.gain_unit.values())) < 1e-9, world.scores
    (810, True, {})
    """
    people = staff(rng)
    enrolled = enrol(rng, people)
    g = rng.normal(0, GAIN_UNIT_SD, len(UNITS))
    gain_unit = {u: float(v) for u, v in zip(UNITS, g - g.mean(), strict=True)}
    panel = TREATED_UNITS + COMPARISON_UNITS
    k = rng.normal(0, IKM_UNIT_SD, len(panel))
    ikm_unit = {u: float(v) for u, v in zip(panel, k - k.mean(), strict=True)}
    return World(people, enrolled, gain_unit, ikm_unit)
