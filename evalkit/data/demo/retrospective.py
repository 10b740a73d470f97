"""The demo's retrospective follow-up in PTIA's shape, its pretest, and a 12-month wave.

Three exports, drawn from a random generator of their own (so that adding them left
every other file byte-identical):

``ptia_jawaban_kuesioner.xlsx`` (BPKP's PTIA app, its answers table)
    Three months after each cohort, alumni (*Alumni*) and their direct supervisors
    (*Atasan*, rating the alumnus) answer six questions, each twice in one sitting:
    "Nilai Sebelum" (before training) and "Nilai Sesudah" (now), 1-4. One row per
    answer, as the app stores them (``project_jawaban_kuesioner``), with the app's
    aspect names ("Motivasi" .. "Hasil Pelatihan"). Mess: one impossible rating 5, one
    NIP typed with spaces.
``swanilai_awal_pelatihan.xlsx`` (a hand-kept sheet)
    The alumni's self-assessment on the same six questions on the first day of
    training (the prospective pretest), "Nilai" 1-4.
``tindak_lanjut_12bulan.xlsx`` (KoboToolbox)
    A third follow-up wave of the behaviour items b1-b6, twelve months after the
    cohorts that reached it, alumni and supervisors in one form ("identitas/penilai").

What is planted (``truth.json``, ``effects.retrospective`` and
``effects.followup_12_months``), on the POMP 0-100 scale of a person's item mean:

- each alumnus's true behaviour before training ``p ~ N(RETRO_PRE, RETRO_PERSON_SD)``;
  the pretest answers around ``p``; the retrospective "before" around ``p +
  RETRO_RESPONSE_SHIFT`` (alumni recall themselves worse than they rated themselves
  at the time: the response shift); "now" around ``p + RETRO_CHANGE``; supervisors
  rate both ``RETRO_SUPERVISOR_SHIFT`` lower;
- the 12-month wave: the follow-up's latent model with ``L3_TWELVE_MONTHS`` in place of
  the 6-month term (a decay after the 6-month rise).

Answers are drawn with :func:`~evalkit.data.demo.effects.latent_to_answer`, whose
expectation is the latent value clipped to the scale.

Examples
--------
>>> from evalkit.data.demo.study import build_demo  # the world needs its scores drawn first
>>> files, truth = build_demo()
>>> [f.name for f in files if f.name.startswith(("ptia_", "swanilai_", "tindak_lanjut_12"))]
['ptia_jawaban_kuesioner.xlsx', 'swanilai_awal_pelatihan.xlsx', 'tindak_lanjut_12bulan.xlsx']
>>> truth["effects"]["retrospective"]["response_shift"]["value"]
-10.0
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from evalkit import constants as C
from evalkit.data.demo.design import COHORTS, DEMO_TODAY, Cohort, cohort_end
from evalkit.data.demo.effects import (
    L3_BASE,
    L3_GAIN_SLOPE,
    L3_ITEM_SD,
    L3_PERSON_SD,
    L3_SIX_MONTHS,
    L3_SUPERVISOR_SHIFT,
    latent_to_answer,
)
from evalkit.data.demo.files import RawFile, Sheet
from evalkit.data.demo.followup import BEHAVIOUR_ITEMS, FREKUENSI5, KoboMeta
from evalkit.data.demo.mess import Mess, mangle_nips
from evalkit.data.demo.world import World

#: The six behaviour items and the PTIA aspect each belongs to (keys of
#: :data:`evalkit.constants.PTIA_ASPECTS`); the texts are those of the follow-up.
RETRO_ITEMS = {
    "b5": "motivasi",
    "b4": "kepercayaan_diri",
    "b2": "berbagi_ilmu",
    "b1": "implementasi",
    "b3": "implementasi",
    "b6": "hasil",
}

#: Planted values, POMP points (0-100) of a person's item mean.
RETRO_PRE, RETRO_PERSON_SD, RETRO_ITEM_SD = 42.0, 10.0, 0.3
RETRO_RESPONSE_SHIFT = -10.0
RETRO_CHANGE = 30.0
RETRO_SUPERVISOR_SHIFT = -6.0
RETRO_MONTHS = 3
#: Response probabilities: alumni, supervisors, pretest.
RETRO_RESPONSE = (0.8, 0.7, 0.9)

#: The 12-month wave: latent shift on the 1-5 frequency scale relative to 3 months.
L3_TWELVE_MONTHS = -0.25
#: Response probabilities at 12 months: alumni, supervisors.
TWELVE_RESPONSE = (0.7, 0.6)

_PTIA_HEADER = ["No", "Kode Diklat", "Nama Peserta", "NIP", "Responden", "Bulan Ke", "Aspek",
                "Kode Pertanyaan", "Pertanyaan", "Nilai Sebelum", "Nilai Sesudah", "Catatan"]  # fmt: skip
_PRE_HEADER = ["No", "Kode Diklat", "Nama Peserta", "NIP", "Aspek", "Kode Pertanyaan",
               "Pertanyaan", "Nilai"]  # fmt: skip
_BEHAVIOUR = [f"perilaku/{k}" for k in BEHAVIOUR_ITEMS]
_TWELVE_HEADER = ["start", "end", "identitas/penilai", "identitas/nip_alumni",
                  "identitas/nama_alumni", "identitas/kode_angkatan", "identitas/bulan_ke",
                  *_BEHAVIOUR, "_id", "_uuid", "_submission_time", "_index"]  # fmt: skip


def _answers(rng: np.random.Generator, pomp: float) -> list[int]:
    """Six 1-4 answers around a latent POMP value."""
    x = 1.0 + 3.0 * pomp / 100.0 + rng.normal(0, RETRO_ITEM_SD, len(RETRO_ITEMS))
    return [int(a) for a in latent_to_answer(rng, x, 1, 4)]


def _due(c: Cohort, months: int) -> dt.date | None:
    """First day of the cohort's round ``months`` after its end, if it ends by the export."""
    day0 = cohort_end(c) + dt.timedelta(days=round(months * 30.44))
    return day0 if day0 + dt.timedelta(days=20) <= DEMO_TODAY else None


def _ptia(rng: np.random.Generator, world: World) -> tuple[list, list]:
    """Rows of the PTIA answers (self, supervisor) and of the pretest."""
    ptia, pre = [], []
    names = {k: C.PTIA_ASPECTS[a][0] for k, a in RETRO_ITEMS.items()}
    for c in COHORTS:
        if _due(c, RETRO_MONTHS) is None:
            continue
        for i in world.enrol[c.cohort_id]:
            person = world.people[i]
            p = RETRO_PRE + rng.normal(0, RETRO_PERSON_SD)
            if rng.random() < RETRO_RESPONSE[2]:
                for k, a in zip(RETRO_ITEMS, _answers(rng, p), strict=True):
                    pre.append([None, c.cohort_id, person["name"], person["nip"], names[k], k,
                                BEHAVIOUR_ITEMS[k], a])  # fmt: skip
            for who, prob, shift in (("Alumni", RETRO_RESPONSE[0], 0.0),
                                     ("Atasan", RETRO_RESPONSE[1], RETRO_SUPERVISOR_SHIFT)):  # fmt: skip
                if rng.random() >= prob:
                    continue
                before = _answers(rng, p + RETRO_RESPONSE_SHIFT + shift)
                now = _answers(rng, p + RETRO_CHANGE + shift)
                for k, b, n in zip(RETRO_ITEMS, before, now, strict=True):
                    ptia.append([None, c.cohort_id, person["name"], person["nip"], who,
                                 RETRO_MONTHS, names[k], k, BEHAVIOUR_ITEMS[k], b, n, ""])  # fmt: skip
    for rows in (ptia, pre):
        for k, row in enumerate(rows, start=1):
            row[0] = k
    return ptia, pre


def _twelve(rng: np.random.Generator, world: World) -> list:
    """Rows of the 12-month Kobo form (alumni and supervisors)."""
    meta = KoboMeta(rng)
    rows = []
    for c in COHORTS:
        day0 = _due(c, 12)
        if day0 is None:
            continue
        for i in world.enrol[c.cohort_id]:
            person = world.people[i]
            pre, post, expected_gain = world.scores[(c.cohort_id, i)]
            gain = post - pre if pre is not None and post is not None else expected_gain
            mu = L3_BASE + L3_GAIN_SLOPE * gain + L3_TWELVE_MONTHS + rng.normal(0, L3_PERSON_SD)
            t = dt.datetime.combine(day0, dt.time(9)) + dt.timedelta(
                days=int(rng.integers(0, 20)), seconds=int(rng.integers(0, 8 * 3600))
            )
            for who, prob, shift in (("Alumni", TWELVE_RESPONSE[0], 0.0),
                                     ("Atasan", TWELVE_RESPONSE[1], L3_SUPERVISOR_SHIFT)):  # fmt: skip
                if rng.random() >= prob:
                    continue
                x = mu + shift + rng.normal(0, L3_ITEM_SD, len(_BEHAVIOUR))
                ans = [FREKUENSI5[a - 1] for a in latent_to_answer(rng, x, 1, 5)]
                start, end, uuid, sub = meta(t + dt.timedelta(minutes=int(rng.integers(0, 900))))
                rows.append([start, end, who, person["nip"], person["name"], c.cohort_id, "12",
                             *ans, None, uuid, sub, None])  # fmt: skip
    rows.sort(key=lambda r: r[-2])
    for k, row in enumerate(rows, start=1):
        row[-4], row[-1] = 50000 + k * 7, k
    return rows


def _info() -> dict[str, Any]:
    """The planted truths of the three exports."""
    return {
        "retrospective": {
            "response_shift": {
                "value": RETRO_RESPONSE_SHIFT,
                "unit": "POMP points (0-100), retrospective 'before' minus prospective pretest",
            },
            "then_test_change_self": RETRO_CHANGE - RETRO_RESPONSE_SHIFT,
            "true_change_self": RETRO_CHANGE,
            "supervisor_minus_self": RETRO_SUPERVISOR_SHIFT,
            "months_after": RETRO_MONTHS,
            "how": (
                f"person true pre p ~ N({RETRO_PRE}, {RETRO_PERSON_SD}) POMP; pretest around "
                f"p, retrospective before around p + {RETRO_RESPONSE_SHIFT}, now around p + "
                f"{RETRO_CHANGE}; supervisors {RETRO_SUPERVISOR_SHIFT} on both; answers 1-4, "
                f"latent 1 + 3 x POMP / 100 + N(0, {RETRO_ITEM_SD}), expectation clipped"
            ),
            "items": RETRO_ITEMS,
        },
        "followup_12_months": {
            "twelve_months_shift": L3_TWELVE_MONTHS,
            "curve_pomp": {
                "3": 0.0,
                "6": L3_SIX_MONTHS / 4 * 100,
                "12": L3_TWELVE_MONTHS / 4 * 100,
            },
            "unit": "1-5 frequency scale (latent, before clipping); curve_pomp: POMP points "
            "relative to 3 months",
            "how": (
                f"as the 3-month follow-up with {L3_TWELVE_MONTHS} in place of the 6-month "
                f"term; alumni answer with probability {TWELVE_RESPONSE[0]}, supervisors "
                f"{TWELVE_RESPONSE[1]}"
            ),
        },
    }


def retrospective(
    rng: np.random.Generator, world: World, mess: Mess
) -> tuple[list[RawFile], dict[str, Any]]:
    """The PTIA answers export, the pretest sheet and the 12-month wave, with their truths."""
    ptia_rows, pre_rows = _ptia(rng, world)
    twelve_rows = _twelve(rng, world)
    ptia = RawFile("ptia_jawaban_kuesioner.xlsx",
                   {"Jawaban Kuesioner": Sheet(list(_PTIA_HEADER), ptia_rows)},
                   "PTIA (BPKP) answers export",
                   ["one row per answer", "before and now in one sitting", "app aspect names"])  # fmt: skip
    sheet = ptia.sheets["Jawaban Kuesioner"]
    j = sheet.col("Nilai Sesudah")
    r = int(rng.integers(len(ptia_rows)))
    mess.add("impossible_rating", ptia.name, r, "Nilai Sesudah", 5,
             "quarantined (out_of_range: a rating is 1-4)", ptia_rows[r][j], "Jawaban Kuesioner")  # fmt: skip
    ptia_rows[r][j] = 5
    mess.protect(ptia.name, "Jawaban Kuesioner", [r])
    mangle_nips(rng, mess, ptia, "Jawaban Kuesioner", "NIP", {"nip_spaces": 1})
    pre = RawFile("swanilai_awal_pelatihan.xlsx",
                  {"Swanilai Awal": Sheet(list(_PRE_HEADER), pre_rows)},
                  "hand-kept self-assessment on the first day of training",
                  ["the PTIA questions, one rating"])  # fmt: skip
    twelve = RawFile("tindak_lanjut_12bulan.xlsx",
                     {"Tindak Lanjut 12 Bulan": Sheet(list(_TWELVE_HEADER), twelve_rows)},
                     "KoboToolbox XLSX export",
                     ["alumni and supervisors in one form", "group-prefixed headers"])  # fmt: skip
    return [ptia, pre, twelve], _info()
