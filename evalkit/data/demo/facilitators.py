"""Facilitator evaluation of the demo: participants rate each narasumber/widyaiswara.

Every cohort had three facilitators (one per session) from a pool of eight invented
people (:data:`FACILITATORS`: widyaiswara, academics and practitioners), so that
facilitators teach several cohorts and cohorts have several facilitators (a crossed
design). Two exports, the two shapes the codebook maps:

``evaluasi_narasumber.csv`` (Google Forms, the cohorts of 2023 and 2024)
    Wide: one row per participant, one block per facilitator: ``Narasumber 1 - Nama``,
    ``Narasumber 1 - Unsur`` (Widyaiswara / Akademisi / Praktisi), then the five items
    :data:`FACILITATOR_ITEMS` as ``Narasumber 1 - Penguasaan materi`` ..., answered
    "Sangat Kurang" .. "Sangat Baik" (5 points). One block answered without the
    facilitator's name (quarantined).
``evaluasi_widyaiswara_2025.xlsx`` (hand-kept, the cohorts of 2025)
    Long: one row per participant and facilitator (name, role, session, the five items).
    One duplicate submission, one answer in no label set ("Lumayan").

An answer is a floor/ceiling draw around :data:`FACILITATOR_BASE` plus the
facilitator's planted effect (:data:`FACILITATOR_EFFECTS`; :data:`WEAK_FACILITATOR` is
rated clearly lower), a cohort effect (:data:`FACILITATOR_LINK` times the cohort's
standardised mean expected learning gain, plus noise), a rater effect, an item offset
and item noise. The generator draws from a random stream of its own, so that adding it
left every other demo file unchanged.

Examples
--------
>>> len(FACILITATORS), WEAK_FACILITATOR in FACILITATORS, len(teaching())
(8, True, 15)
>>> _wide_header()[4:8]
['Narasumber 1 - Nama', 'Narasumber 1 - Unsur', 'Narasumber 1 - Penguasaan materi', 'Narasumber 1 - Cara penyampaian materi']
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from evalkit.data.demo.design import COHORTS, cohort_end
from evalkit.data.demo.effects import latent_to_answer
from evalkit.data.demo.files import RawFile, Sheet, fmt_ts
from evalkit.data.demo.mess import Mess
from evalkit.data.demo.world import World

#: Seed offset of the facilitator generator's random stream
#: (``np.random.default_rng([seed, FACILITATOR_STREAM])``).
FACILITATOR_STREAM = 7

#: Invented facilitators: name (with titles, as forms write them) -> (role label, role).
FACILITATORS: dict[str, tuple[str, str]] = {
    "Dr. Yohanes Manafe, M.Si": ("Widyaiswara", "widyaiswara"),
    "Dra. Maria Fanggidae, M.Pd": ("Widyaiswara", "widyaiswara"),
    "Drs. Agustinus Dethan, M.Si": ("Widyaiswara", "widyaiswara"),
    "Ir. Petrus Nubatonis, M.T": ("Akademisi", "academic"),
    "Dr. Elisabeth Messakh, S.H., M.H": ("Akademisi", "academic"),
    "Markus Bessie, S.Kom": ("Praktisi", "practitioner"),
    "Novita Tefa, S.E., M.M": ("Praktisi", "practitioner"),
    "Yuliana Ratu, S.Sos": ("Praktisi", "practitioner"),
}

#: The planted weak facilitator.
WEAK_FACILITATOR = "Drs. Agustinus Dethan, M.Si"

#: Planted facilitator effects, points on the 1-5 scale (before floor and ceiling).
FACILITATOR_EFFECTS: dict[str, float] = {
    "Dr. Yohanes Manafe, M.Si": 0.25,
    "Dra. Maria Fanggidae, M.Pd": 0.10,
    "Drs. Agustinus Dethan, M.Si": -0.90,
    "Ir. Petrus Nubatonis, M.T": 0.15,
    "Dr. Elisabeth Messakh, S.H., M.H": -0.05,
    "Markus Bessie, S.Kom": 0.30,
    "Novita Tefa, S.E., M.M": 0.00,
    "Yuliana Ratu, S.Sos": 0.05,
}

#: Latent mean answer of an average facilitator (1-5 scale).
FACILITATOR_BASE = 3.9

#: Cohort effect per SD of the cohort's mean expected learning gain (the planted link).
FACILITATOR_LINK = 0.25

#: SD of the cohort noise, the rater effect and the item noise (points).
FACILITATOR_COHORT_SD, FACILITATOR_RATER_SD, FACILITATOR_ITEM_SD = 0.10, 0.35, 0.45

#: Share of enrolled participants who answered the facilitator evaluation.
FACILITATOR_RESPONSE_RATE = 0.85

#: item id -> header text (a wide block's header is ``Narasumber k - <text>``).
FACILITATOR_ITEMS: dict[str, str] = {
    "mastery": "Penguasaan materi",
    "delivery": "Cara penyampaian materi",
    "punctuality": "Ketepatan waktu",
    "interaction": "Kesempatan tanya jawab",
    "attitude": "Sikap dan perilaku",
}

#: The five answer labels, score 1..5.
BAIK5 = ("Sangat Kurang", "Kurang", "Cukup", "Baik", "Sangat Baik")

#: Sessions of every cohort (one facilitator each).
SESSIONS = ("Sesi 1", "Sesi 2", "Sesi 3")

#: File names of the two exports.
WIDE_FILE, LONG_FILE = "evaluasi_narasumber.csv", "evaluasi_widyaiswara_2025.xlsx"

_LONG_HEADER = ["Waktu Isi", "Kode Angkatan", "NIP", "Nama Peserta", "Nama Narasumber", "Unsur",
                "Sesi", *FACILITATOR_ITEMS.values()]  # fmt: skip


def teaching() -> dict[str, list[str]]:
    """Cohort id -> its three facilitators (sessions 1-3), fixed by the cohort's place.

    Session 1 is a widyaiswara (in turn), session 2 a facilitator of the cohort's
    facilitator type (academic or practitioner, in turn), session 3 the next person of
    the pool: facilitators teach several cohorts and cohorts have several facilitators.

    Examples
    --------
    >>> teaching()["KMP-2023-01"]
    ['Dr. Yohanes Manafe, M.Si', 'Ir. Petrus Nubatonis, M.T', 'Novita Tefa, S.E., M.M']
    """
    pool = list(FACILITATORS)
    widyaiswara = [n for n in pool if FACILITATORS[n][1] == "widyaiswara"]
    by_type = {
        t: [n for n in pool if FACILITATORS[n][1] == t] for t in ("academic", "practitioner")
    }
    out = {}
    for k, c in enumerate(COHORTS):
        first = widyaiswara[k % len(widyaiswara)]
        second = by_type[c.facilitator][k % len(by_type[c.facilitator])]
        rest = [n for n in pool[(k + 6) % len(pool) :] + pool if n not in (first, second)]
        out[c.cohort_id] = [first, second, rest[0]]
    return out


def _wide_header() -> list[str]:
    header = ["Timestamp", "NIP", "Nama Lengkap", "Kode Angkatan"]
    for k in range(1, len(SESSIONS) + 1):
        header += [f"Narasumber {k} - Nama", f"Narasumber {k} - Unsur"]
        header += [f"Narasumber {k} - {text}" for text in FACILITATOR_ITEMS.values()]
    return header


def _cohort_effects(rng: np.random.Generator, world: World) -> dict[str, float]:
    """The cohort effect: the planted link to the mean expected gain, plus noise."""
    gains = np.array([
        np.mean([world.scores[(c.cohort_id, p)][2] for p in world.enrol[c.cohort_id]
                 if (c.cohort_id, p) in world.scores] or [0.0])
        for c in COHORTS
    ])  # fmt: skip
    z = (gains - gains.mean()) / gains.std(ddof=1)
    noise = rng.normal(0, FACILITATOR_COHORT_SD, len(COHORTS))
    return {c.cohort_id: float(FACILITATOR_LINK * z[k] + noise[k]) for k, c in enumerate(COHORTS)}


def facilitators(
    rng: np.random.Generator, world: World, mess: Mess
) -> tuple[list[RawFile], dict[str, Any]]:
    """The wide Google Form (2023-2024) and the long sheet (2025) of facilitator ratings.

    Returns the two files and the truth's ``facilitators`` effects entry.

    Examples
    --------
    >>> from evalkit.data.demo.study import build_demo
    >>> files, truth = build_demo()
    >>> [f.name for f in files if f.name.startswith("evaluasi_")]
    ['evaluasi_narasumber.csv', 'evaluasi_widyaiswara_2025.xlsx']
    >>> truth["effects"]["weak_facilitator"]["value"]
    'Drs. Agustinus Dethan, M.Si'
    """
    who = teaching()
    cohort_eff = _cohort_effects(rng, world)
    offsets = rng.normal(0, 0.1, len(FACILITATOR_ITEMS))
    wide = Sheet(_wide_header())
    long = Sheet(list(_LONG_HEADER))
    for c in COHORTS:
        names = who[c.cohort_id]
        end = cohort_end(c)
        for p in world.enrol[c.cohort_id]:
            if rng.random() >= FACILITATOR_RESPONSE_RATE:
                continue
            person = world.people[p]
            rater = rng.normal(0, FACILITATOR_RATER_SD)
            when = dt.datetime.combine(end, dt.time(13)) + dt.timedelta(
                minutes=int(rng.integers(0, 600)))  # fmt: skip
            blocks = []
            for name in names:
                latent = (FACILITATOR_BASE + FACILITATOR_EFFECTS[name] + cohort_eff[c.cohort_id]
                          + rater + offsets
                          + rng.normal(0, FACILITATOR_ITEM_SD, len(FACILITATOR_ITEMS)))  # fmt: skip
                answers = [BAIK5[a - 1] for a in latent_to_answer(rng, latent, 1, 5)]
                answers = [None if rng.random() < 0.02 else a for a in answers]
                blocks.append((name, answers))
            if c.start.year < 2025:
                row = [fmt_ts(when), person["nip"], person["name"], c.cohort_id]
                for name, answers in blocks:
                    row += [name, FACILITATORS[name][0], *answers]
                wide.rows.append(row)
            else:
                for session, (name, answers) in zip(SESSIONS, blocks, strict=True):
                    long.rows.append([when.strftime("%Y-%m-%d %H:%M:%S"), c.cohort_id,
                                      person["nip"], person["name"], name, FACILITATORS[name][0],
                                      session, *answers])  # fmt: skip
    _plant_mess(rng, mess, wide, long)
    files = [
        RawFile(WIDE_FILE, {"Sheet1": wide}, "Google Forms (one block per facilitator)",
                ["wide: one block of five items per facilitator", "one block without a name"]),
        RawFile(LONG_FILE, {"Evaluasi": long}, "hand-kept sheet (one row per facilitator)",
                ["long: one row per participant and facilitator", "a duplicate submission",
                 "an answer in no label set"]),
    ]  # fmt: skip
    return files, _truth(who, cohort_eff)


def _plant_mess(rng: np.random.Generator, mess: Mess, wide: Sheet, long: Sheet) -> None:
    """One nameless block (wide), one duplicate and one unknown label (long)."""
    (r,) = mess.pick(rng, WIDE_FILE, "Sheet1", len(wide.rows), 1)
    column = "Narasumber 2 - Nama"
    wide.rows[r][wide.col(column)] = None
    mess.add("facilitator_unnamed", WIDE_FILE, r, column, None,
             "quarantined: missing_required (the block's answers name no facilitator)")  # fmt: skip
    bad, dup = mess.pick(rng, LONG_FILE, "Evaluasi", len(long.rows), 2)
    column = FACILITATOR_ITEMS["delivery"]
    long.rows[bad][long.col(column)] = "Lumayan"
    mess.add("facilitator_unknown_label", LONG_FILE, bad, column, "Lumayan",
             "quarantined: likert_unknown_label", sheet="Evaluasi")  # fmt: skip
    early = list(long.rows[dup])
    stamp = dt.datetime.strptime(early[0], "%Y-%m-%d %H:%M:%S")
    early[0] = (stamp - dt.timedelta(minutes=20)).strftime("%Y-%m-%d %H:%M:%S")
    long.rows.insert(dup, early)
    mess.add("duplicate_submission", LONG_FILE, dup, None, None,
             "dropped: duplicate (the later submission is kept)", sheet="Evaluasi")  # fmt: skip


def _truth(who: dict[str, list[str]], cohort_eff: dict[str, float]) -> dict[str, Any]:
    """The truth's entries of the planted facilitator effects."""
    return {
        "weak_facilitator": {
            "value": WEAK_FACILITATOR,
            "effect": FACILITATOR_EFFECTS[WEAK_FACILITATOR],
            "unit": "points on the 1-5 facilitator scale (latent, before floor and ceiling)",
            "how": "the facilitator's latent answers are 0.9 below the average facilitator's; "
            "the next lowest planted effect is -0.05",
        },
        "facilitator_effects": {
            "value": FACILITATOR_EFFECTS,
            "unit": "points on the 1-5 facilitator scale",
            "base": FACILITATOR_BASE,
            "roles": {n: role for n, (_label, role) in FACILITATORS.items()},
            "teaching": who,
            "cohort_effects": {k: round(v, 6) for k, v in cohort_eff.items()},
            "sd": {
                "cohort_noise": FACILITATOR_COHORT_SD,
                "rater": FACILITATOR_RATER_SD,
                "item": FACILITATOR_ITEM_SD,
            },  # fmt: skip
        },
        "facilitator_gain_link": {
            "value": FACILITATOR_LINK,
            "unit": "points of the cohort's facilitator ratings per SD of its mean expected "
            "learning gain",
            "how": "each cohort's rating effect is this slope times the cohort's standardised "
            "mean expected gain plus N(0, 0.1) noise: a positive cohort-level correlation",
        },
    }
