"""Level 2 of the demo: pre/post test scores, and item-level answers of three cohorts.

``nilai_tes.csv`` is a hand-kept sheet saved as CSV: one row per participant
with Pre-Test and Post-Test scores (0-100), comma decimals, NIPs in scientific
notation or with dots, missing scores and one impossible post-test of 140.
``butir_tes_<cohort>.csv`` is a CBT export of the item cohorts
(:data:`~evalkit.data.demo.design.ITEM_COHORTS`): right (1) / wrong (0)
answers to :data:`N_TEST_ITEMS` items per participant and test, the score five
points per right answer.

A participant's post-test is the pre-test plus the planted gain of the
cohort's delivery method and the unit intercept plus noise; which items a
score gets right is a Gumbel-top-k draw weighted by item easiness, with one
easy item and one coin-flip item.

Examples
--------
>>> header = _item_header()
>>> header[:5] + header[-2:], len(header)
(['Waktu', 'NIP', 'Nama', 'Kode Angkatan', 'Jenis Tes', 'Soal 20', 'Skor'], 26)
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from evalkit.data.demo.design import COHORTS, ITEM_COHORTS, Cohort, cohort_end
from evalkit.data.demo.effects import GAIN_BY_DELIVERY, GAIN_NOISE_SD, PRE_MEAN, PRE_SD
from evalkit.data.demo.files import RawFile, Sheet, fmt_ts, score_text
from evalkit.data.demo.mess import Mess, mangle_nips
from evalkit.data.demo.world import World

#: Items of the item-level tests (``Soal 1`` .. ``Soal 20``).
N_TEST_ITEMS = 20


#: The item nearly everyone gets right, and the item answered by a coin flip (1-based).
EASY_ITEM, RANDOM_ITEM = 7, 13


_SCORE_NIP_PLAN = {"nip_scientific_exact": 3, "nip_scientific_lossy": 2, "nip_dots": 1}


def _item_header() -> list[str]:
    return (["Waktu", "NIP", "Nama", "Kode Angkatan", "Jenis Tes"]
            + [f"Soal {k}" for k in range(1, N_TEST_ITEMS + 1)] + ["Skor"])  # fmt: skip


def _item_easiness(rng: np.random.Generator) -> np.ndarray:
    easiness = rng.normal(0.0, 0.8, N_TEST_ITEMS)
    easiness[EASY_ITEM - 1] = 3.5
    return easiness


def _item_answers(rng: np.random.Generator, easiness: np.ndarray, score: float) -> np.ndarray:
    """Right (1) / wrong (0) per item for a score: round(score / 5) right, by easiness."""
    k = round(score / 100 * N_TEST_ITEMS)
    keys = easiness + rng.gumbel(size=N_TEST_ITEMS)
    correct = np.zeros(N_TEST_ITEMS, dtype=int)
    correct[np.argsort(-keys, kind="stable")[:k]] = 1
    correct[RANDOM_ITEM - 1] = int(rng.random() < 0.5)
    return correct


def _item_rows(rng: np.random.Generator, c: Cohort, p: dict[str, Any],
               answers: dict[str, np.ndarray]) -> list[list[Any]]:  # fmt: skip
    """The CBT rows of one participant: the pre-test on the first day, the post-test on the last."""
    rows = []
    for phase, day in (("Pre-Test", c.start), ("Post-Test", cohort_end(c))):
        t = dt.datetime.combine(day, dt.time(8 if phase == "Pre-Test" else 14))
        t += dt.timedelta(seconds=int(rng.integers(0, 3600)))
        a = answers[phase]
        rows.append(
            [fmt_ts(t), p["nip"], p["name"], c.cohort_id, phase]
            + [str(v) for v in a] + [str(int(a.sum() * 100 / N_TEST_ITEMS))]
        )  # fmt: skip
    return rows


def _participant_scores(rng: np.random.Generator, world: World, c: Cohort, i: int,
                        easiness: np.ndarray, items: Sheet) -> tuple[float | None, float | None]:  # fmt: skip
    """Draw one participant's pre and post scores (None: missing) and record them in ``world``.

    Item cohorts score 5 points per right item (their CBT rows go to ``items``);
    the others are rounded to whole or half points.
    """
    p = world.people[i]
    expected_gain = GAIN_BY_DELIVERY[c.delivery] + world.gain_unit[p["unit"]]
    pre = float(np.clip(rng.normal(PRE_MEAN, PRE_SD), 5, 95))
    post = float(np.clip(pre + expected_gain + rng.normal(0, GAIN_NOISE_SD), 0, 100))
    if c.cohort_id in ITEM_COHORTS:
        answers = {
            phase: _item_answers(rng, easiness, score)
            for phase, score in (("Pre-Test", pre), ("Post-Test", post))
        }
        pre = float(answers["Pre-Test"].sum() * 100 / N_TEST_ITEMS)
        post = float(answers["Post-Test"].sum() * 100 / N_TEST_ITEMS)
        items.rows += _item_rows(rng, c, p, answers)
    else:
        half = rng.random() < 0.3
        pre = round(pre * 2) / 2 if half else float(round(pre))
        post = round(post * 2) / 2 if half else float(round(post))
    pre_v: float | None = pre if rng.random() > 0.04 else None
    post_v: float | None = post if rng.random() > 0.05 else None
    world.scores[(c.cohort_id, i)] = (pre_v, post_v, expected_gain)
    return pre_v, post_v


def _item_file(rng: np.random.Generator, mess: Mess, c: Cohort, items: Sheet) -> RawFile:
    """``butir_tes_<cohort>.csv``: pre-tests first, by time; three answers left blank."""
    items.rows.sort(
        key=lambda r: (r[4] != "Pre-Test", r[0][6:10] + r[0][3:5] + r[0][:2] + r[0][11:])
    )
    f = RawFile(f"butir_tes_{c.cohort_id}.csv", {"Sheet1": items}, "CBT export",
                ["1 = correct, 0 = wrong, blank = not answered"])  # fmt: skip
    first = items.col("Soal 1")
    for r in mess.pick(rng, f.name, "Sheet1", len(items.rows), 3):
        j = first + int(rng.integers(N_TEST_ITEMS))
        was = items.rows[r][j]
        items.rows[r][j] = None
        mess.add("missing_item_answer", f.name, r, items.header[j], None,
                 "kept as missing (not answered)", was, "Sheet1")  # fmt: skip
    return f


def _impossible_score(rng: np.random.Generator, mess: Mess, f: RawFile) -> None:
    """Record the missing scores, then overwrite one post-test with 140."""
    sh = f.sheets["Sheet1"]
    jpre, jpost = sh.col("Pre-Test"), sh.col("Post-Test")
    for r, row in enumerate(sh.rows):
        for j in (jpre, jpost):
            if row[j] is None:
                mess.add("missing_score", f.name, r, sh.header[j], None, "kept as missing", None)
    bad = mess.pick(rng, f.name, "Sheet1", len(sh.rows), 1,
                    [r for r, row in enumerate(sh.rows) if row[jpost] is not None])[0]  # fmt: skip
    true_post = sh.rows[bad][jpost]
    sh.rows[bad][jpost] = 140.0
    mess.add(
        "impossible_score", f.name, bad, "Post-Test", "140", "quarantined (max 100)", true_post
    )


def _score_texts(mess: Mess, f: RawFile) -> None:
    """Write the scores as text, half points with a comma decimal (recorded)."""
    sh = f.sheets["Sheet1"]
    for r, row in enumerate(sh.rows):
        for j in (sh.col("Pre-Test"), sh.col("Post-Test")):
            v = row[j]
            if v is None:
                row[j] = ""
            elif not float(v).is_integer():
                row[j] = score_text(v).replace(".", ",")
                mess.add("comma_decimal", f.name, r, sh.header[j], row[j], "repaired", float(v))
            else:
                row[j] = score_text(v)


def scores(rng: np.random.Generator, world: World, mess: Mess) -> tuple[RawFile, list[RawFile]]:
    """Pre/post scores for every cohort; item-level answers for a few cohorts.

    Returns ``nilai_tes.csv`` and the ``butir_tes_<cohort>.csv`` files; fills
    ``world.scores``.

    Examples
    --------
    >>> from evalkit.data.demo.world import build_world
    >>> rng = np.random.default_rng(0)
    >>> world = build_world(rng)
    >>> f, item_files = scores(rng, world, Mess())
    >>> f.name, [g.name for g in item_files][0], len(world.scores)
    ('nilai_tes.csv', 'butir_tes_PPR-2024-02.csv', 409)
    """
    easiness = _item_easiness(rng)
    item_files: list[RawFile] = []
    sh = Sheet(["No", "NIP", "Nama", "Kode Angkatan", "Pre-Test", "Post-Test"])
    for c in COHORTS:
        items = Sheet(_item_header())
        for i in world.enrol[c.cohort_id]:
            pre_v, post_v = _participant_scores(rng, world, c, i, easiness, items)
            if pre_v is None and post_v is None:
                continue
            p = world.people[i]
            sh.rows.append([len(sh.rows) + 1, p["nip"], p["name"], c.cohort_id,
                            pre_v, post_v])  # fmt: skip
        if c.cohort_id in ITEM_COHORTS:
            item_files.append(_item_file(rng, mess, c, items))
    f = RawFile("nilai_tes.csv", {"Sheet1": sh}, "hand-kept Excel saved as CSV",
                ["comma decimals", "NIPs in scientific notation (exact or lossy) or with dots",
                 "missing pre or post", "one post-test of 140"])  # fmt: skip
    _impossible_score(rng, mess, f)
    _score_texts(mess, f)
    mangle_nips(rng, mess, f, "Sheet1", "NIP", _SCORE_NIP_PLAN)
    return f, item_files
