"""Level 5 of the demo: the KoboToolbox export of benefit estimates, ``estimasi_manfaat.xlsx``.

Six months after each cohort (when that is before the export) about 60% of
the participants estimate the hours per month the training saved them, for
the first (and sometimes the second) benefit type of their program
(:data:`~evalkit.data.demo.effects.BENEFIT_HOURS`), valued at the hourly cost
of their golongan, with how much of it they attribute to the training and
how confident they are. The heads of the treated units add unit-level
estimates without NIP or name.

The mess: shares written "60%", "60" or "0,6", amounts mostly as text
("Rp 2.592.000"), earlier duplicate submissions, one share of 120%, one
estimate without an amount and one NIP with spaces. The truth records the
planted levels and the sums cleaning must recover from the rows it keeps.

Examples
--------
>>> share_text(np.random.default_rng(0), 0.6)
('60%', None)
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from evalkit.data.demo.design import COHORTS, DEMO_TODAY, TREATED_UNITS, Cohort, cohort_end
from evalkit.data.demo.effects import (
    ATTRIBUTION_P,
    BENEFIT_HOURS,
    BENEFIT_HOURS_SHAPE,
    BENEFIT_MONTHS,
    BENEFIT_RESPONSE_RATE,
    BENEFIT_SECOND_TYPE_P,
    CONFIDENCE_P,
    HOURLY_COST_BY_GOLONGAN,
    UNIT_BENEFIT_COHORT,
    UNIT_BENEFIT_GOLONGAN,
    UNIT_BENEFIT_HOURS,
    UNIT_BENEFIT_TYPE,
)
from evalkit.data.demo.files import RawFile, Sheet, rupiah, score_text
from evalkit.data.demo.mess import Mess, mangle_nips
from evalkit.data.demo.world import World

#: Kobo labels of the benefit types.
BENEFIT_LABELS = {
    "time_saved": "Penghematan waktu kerja",
    "fewer_errors": "Kesalahan/pekerjaan ulang berkurang",
    "faster_service": "Pelayanan lebih cepat",
    "fewer_complaints": "Pengaduan berkurang",
}


_NAME, _SHEET = "estimasi_manfaat.xlsx", "Estimasi Manfaat"


_HEADER = ["start", "end", "identitas/tingkat", "identitas/nip", "identitas/nama",
           "identitas/kode_angkatan", "identitas/unit_kerja", "identitas/golongan",
           "identitas/bulan_ke", "manfaat/jenis", "manfaat/jam_per_bulan",
           "manfaat/tarif_per_jam", "manfaat/nilai_per_tahun", "manfaat/atribusi",
           "manfaat/keyakinan", "_id", "_uuid", "_submission_time", "_index"]  # fmt: skip


#: An estimate: its row and what the truth needs of it (``status``: kept,
#: duplicate or quarantined; ``formats``: (mess kind, column) of its share texts).
Entry = tuple[list[Any], dict[str, Any]]


def _mean_share(p: dict[float, float]) -> float:
    return sum(k * q for k, q in p.items())


def share_text(rng: np.random.Generator, share: float) -> tuple[str, str | None]:
    """A share as a Kobo text answer: mostly "60%", sometimes "60" or "0,6".

    Returns the text and its mess kind (None for the usual "60%").

    Examples
    --------
    >>> [share_text(np.random.default_rng(seed), 0.6) for seed in (0, 4)]
    [('60%', None), ('60', 'percent_without_sign')]
    """
    u = rng.random()
    if u < 0.75:
        return f"{round(share * 100)}%", None
    if u < 0.95:
        return f"{round(share * 100)}", "percent_without_sign"
    return f"{share:.1f}".replace(".", ","), "share_as_fraction"


# --- the estimates --------------------------------------------------------------------
def _estimate(rng: np.random.Generator, number: int, t: dt.datetime, c: Cohort,
              person: dict[str, Any] | None, unit: str, golongan: str, btype: str,
              planted_hours: float) -> Entry:  # fmt: skip
    """One estimate (the ``number``-th) of a participant, or of a unit head when no ``person``."""
    draw = rng.gamma(BENEFIT_HOURS_SHAPE, planted_hours / BENEFIT_HOURS_SHAPE)
    hours = max(0.5, round(draw * 2) / 2)
    rate = HOURLY_COST_BY_GOLONGAN[golongan]
    amount = int(hours * 12 * rate)
    a = float(rng.choice(list(ATTRIBUTION_P), p=list(ATTRIBUTION_P.values())))
    conf = float(rng.choice(list(CONFIDENCE_P), p=list(CONFIDENCE_P.values())))
    a_text, a_kind = share_text(rng, a)
    c_text, c_kind = share_text(rng, conf)
    u = f"{int(rng.integers(0, 2**32)):08x}-{number:04x}-5{int(rng.integers(0, 4096)):03x}"
    row = [
        (t - dt.timedelta(minutes=12)).strftime("%Y-%m-%dT%H:%M:%S.000+08:00"),
        t.strftime("%Y-%m-%dT%H:%M:%S.000+08:00"),
        "Individu" if person else "Unit Kerja",
        person["nip"] if person else None, person["name"] if person else None,
        c.cohort_id, unit, golongan, str(BENEFIT_MONTHS), BENEFIT_LABELS[btype],
        score_text(hours), rate, amount, a_text, c_text, None, u,
        (t - dt.timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M:%S"), None,
    ]  # fmt: skip
    info = {
        "cohort_id": c.cohort_id, "program_id": c.program_id, "person": bool(person),
        "amount": amount, "attribution": a, "confidence": conf, "status": "kept",
        "expected": planted_hours * 12 * rate * _mean_share(ATTRIBUTION_P)
        * _mean_share(CONFIDENCE_P),
        "formats": [k for k in ((a_kind, "manfaat/atribusi"), (c_kind, "manfaat/keyakinan"))
                    if k[0] is not None],
    }  # fmt: skip
    return row, info


def _estimates(rng: np.random.Generator, world: World) -> list[Entry]:
    """Every estimate, in cohort order: participants' ones, then the unit heads' ones."""
    entries: list[Entry] = []
    for c in COHORTS:
        day0 = cohort_end(c) + dt.timedelta(days=round(BENEFIT_MONTHS * 30.44))
        if day0 + dt.timedelta(days=20) > DEMO_TODAY:
            continue
        types = list(BENEFIT_HOURS[c.program_id].items())
        for i in world.enrol[c.cohort_id]:
            if rng.random() >= BENEFIT_RESPONSE_RATE:
                continue
            p = world.people[i]
            t = dt.datetime.combine(day0, dt.time(9)) + dt.timedelta(
                days=int(rng.integers(0, 20)), seconds=int(rng.integers(0, 8 * 3600))
            )
            chosen = types[:1]
            if len(types) > 1 and rng.random() < BENEFIT_SECOND_TYPE_P:
                chosen = types[:2]
            for k, (btype, hours) in enumerate(chosen):
                entries.append(_estimate(rng, len(entries) + 1, t + dt.timedelta(minutes=k), c,
                                         p, p["unit"], p["golongan"], btype, hours))  # fmt: skip
        if c.cohort_id == UNIT_BENEFIT_COHORT:
            for k, unit in enumerate(TREATED_UNITS):
                t = dt.datetime.combine(day0, dt.time(14)) + dt.timedelta(days=k)
                entries.append(_estimate(rng, len(entries) + 1, t, c, None, unit,
                                         UNIT_BENEFIT_GOLONGAN, UNIT_BENEFIT_TYPE,
                                         UNIT_BENEFIT_HOURS))  # fmt: skip
    return entries


def _add_duplicates(rng: np.random.Generator, entries: list[Entry]) -> None:
    """Earlier copies of two individual estimates, with two hours a month more."""
    col = _HEADER.index
    sub = col("_submission_time")
    people_rows = [k for k, (_row, info) in enumerate(entries) if info["person"]]
    for k in sorted(int(x) for x in rng.choice(people_rows, size=2, replace=False)):
        row, info = entries[k]
        early = list(row)
        t = dt.datetime.fromisoformat(row[sub]) - dt.timedelta(minutes=int(rng.integers(5, 200)))
        early[sub] = t.strftime("%Y-%m-%dT%H:%M:%S")
        hours = float(early[col("manfaat/jam_per_bulan")]) + 2
        early[col("manfaat/jam_per_bulan")] = score_text(hours)
        early[col("manfaat/nilai_per_tahun")] = int(
            hours * 12 * early[col("manfaat/tarif_per_jam")]
        )
        entries.append((early, {**info, "status": "duplicate", "formats": []}))


def _sheet(entries: list[Entry]) -> tuple[Sheet, list[dict[str, Any]]]:
    """The export's sheet, sorted by submission time and numbered, and the entries' infos."""
    sub = _HEADER.index("_submission_time")
    entries.sort(key=lambda e: e[0][sub])
    sh = Sheet(list(_HEADER), [row for row, _info in entries])
    for k, row in enumerate(sh.rows, start=1):
        row[sh.col("_id")] = 61000 + k * 7
        row[sh.col("_index")] = k
    return sh, [info for _row, info in entries]


# --- the mess -----------------------------------------------------------------------
def _record_duplicates(mess: Mess, sh: Sheet, infos: list[dict[str, Any]]) -> None:
    """Record the earlier copies; protect them and their later twins from other mess."""
    col = sh.col
    nipj, kj, tj = col("identitas/nip"), col("identitas/kode_angkatan"), col("manfaat/jenis")
    twins = set()
    for r, info in enumerate(infos):
        if info["status"] == "duplicate":
            mess.add("duplicate_submission", _NAME, r, "_submission_time",
                     sh.rows[r][col("_submission_time")],
                     "dropped (a later submission with the same NIP, cohort and benefit type "
                     "exists)", None, _SHEET)  # fmt: skip
            twins.add((sh.rows[r][nipj], sh.rows[r][kj], sh.rows[r][tj]))
    mess.protect(
        _NAME,
        _SHEET,
        (r for r, row in enumerate(sh.rows) if (row[nipj], row[kj], row[tj]) in twins),
    )


def _quarantined_rows(rng: np.random.Generator, mess: Mess, sh: Sheet,
                      infos: list[dict[str, Any]], individual: list[int]) -> None:  # fmt: skip
    """A share above 100%, and an estimate without hours or amount: both quarantined."""
    col = sh.col
    r = mess.pick(rng, _NAME, _SHEET, len(sh.rows), 1, individual)[0]
    was = sh.rows[r][col("manfaat/atribusi")]
    sh.rows[r][col("manfaat/atribusi")] = "120%"
    formats = [k for k in infos[r]["formats"] if k[1] != "manfaat/atribusi"]
    infos[r] = {**infos[r], "status": "quarantined", "formats": formats}
    mess.add("share_over_100", _NAME, r, "manfaat/atribusi", "120%",
             "quarantined (a share is at most 100%)", was, _SHEET)  # fmt: skip
    r = mess.pick(rng, _NAME, _SHEET, len(sh.rows), 1, individual)[0]
    was = sh.rows[r][col("manfaat/nilai_per_tahun")]
    sh.rows[r][col("manfaat/jam_per_bulan")] = None
    sh.rows[r][col("manfaat/nilai_per_tahun")] = None
    infos[r] = {**infos[r], "status": "quarantined"}
    mess.add("missing_amount", _NAME, r, "manfaat/nilai_per_tahun", None,
             "quarantined (the amount is required)", was, _SHEET)  # fmt: skip


def _text_formats(rng: np.random.Generator, mess: Mess, sh: Sheet,
                  infos: list[dict[str, Any]]) -> None:  # fmt: skip
    """Record the shares written "60" or "0,6"; write two amounts in three as rupiah text."""
    for r, info in enumerate(infos):
        for kind, column in info["formats"]:
            j = sh.col(column)
            mess.add(kind, _NAME, r, column, sh.rows[r][j], "read as a share 0-1", None, _SHEET)
    j = sh.col("manfaat/nilai_per_tahun")
    for r, row in enumerate(sh.rows):
        if row[j] is not None and rng.random() < 0.65:
            row[j] = rupiah(row[j])
            mess.add("currency_text", _NAME, r, "manfaat/nilai_per_tahun", row[j], "repaired",
                     None, _SHEET)  # fmt: skip


def _plant_mess(rng: np.random.Generator, mess: Mess, f: RawFile,
                infos: list[dict[str, Any]]) -> None:  # fmt: skip
    sh = f.sheets[_SHEET]
    _record_duplicates(mess, sh, infos)
    individual = [r for r, info in enumerate(infos) if info["person"]]
    _quarantined_rows(rng, mess, sh, infos, individual)
    used = mess.used[(_NAME, _SHEET)]
    mangle_nips(rng, mess, f, _SHEET, "identitas/nip", {"nip_spaces": 1},
                [r for r in individual if r not in used])  # fmt: skip
    _text_formats(rng, mess, sh, infos)


# --- the truth --------------------------------------------------------------------
def _by_cohort(kept: list[dict[str, Any]], costs: dict[str, dict[str, int]]) -> dict[str, Any]:
    by_cohort: dict[str, dict[str, Any]] = {}
    for c in COHORTS:
        rows = [i for i in kept if i["cohort_id"] == c.cohort_id]
        if not rows:
            continue
        expected = sum(i["expected"] for i in rows)
        by_cohort[c.cohort_id] = {
            "n_estimates": len(rows),
            "n_unit_level": sum(not i["person"] for i in rows),
            "benefit_raw_idr": float(sum(i["amount"] for i in rows)),
            "benefit_adjusted_idr": round(
                sum(i["amount"] * i["attribution"] * i["confidence"] for i in rows), 2
            ),
            "expected_benefit_adjusted_idr": round(expected, 2),
            "expected_bcr": round(expected / sum(costs[c.cohort_id].values()), 6),
        }
    return by_cohort


def _by_program(kept: list[dict[str, Any]]) -> dict[str, Any]:
    by_program = {}
    for pid, types in BENEFIT_HOURS.items():
        rows = [i for i in kept if i["program_id"] == pid and i["person"]]
        by_program[pid] = {
            "hours_saved_per_month": types,
            "expected_adjusted_per_estimate_idr": round(
                sum(i["expected"] for i in rows) / len(rows), 2
            ),
        }
    return by_program


def _truth(infos: list[dict[str, Any]], costs: dict[str, dict[str, int]]) -> dict[str, Any]:
    """The truth's ``benefits``: planted levels, and the sums of the rows cleaning keeps."""
    kept = [i for i in infos if i["status"] == "kept"]
    by_cohort = _by_cohort(kept, costs)
    by_program = _by_program(kept)
    return {
        "unit": "rupiah per year; adjusted = benefit x attribution x confidence (Phillips)",
        "how": (
            f"{BENEFIT_MONTHS} months after each cohort (when that date is before the export), "
            f"each participant answers with probability {BENEFIT_RESPONSE_RATE}; hours saved per "
            f"month ~ Gamma(shape {BENEFIT_HOURS_SHAPE}, mean = planted hours), rounded to 0.5; "
            "benefit_idr = hours x 12 x hourly cost of the participant's golongan "
            "(hourly_cost_by_golongan, an illustrative assumption); attribution and confidence "
            "drawn from attribution_p and confidence_p, independently. "
            "expected_benefit_adjusted_idr sums planted hours x 12 x hourly cost x mean "
            "attribution x mean confidence over the rows cleaning keeps; benefit_adjusted_idr "
            "is the same sum of the values as written. Unit-level estimates (no participant): "
            f"{UNIT_BENEFIT_TYPE} in {UNIT_BENEFIT_COHORT}, {UNIT_BENEFIT_HOURS} hours a month "
            f"per treated unit at the {UNIT_BENEFIT_GOLONGAN} hourly cost."
        ),
        "hourly_cost_by_golongan": HOURLY_COST_BY_GOLONGAN,
        "attribution_p": {str(k): v for k, v in ATTRIBUTION_P.items()},
        "confidence_p": {str(k): v for k, v in CONFIDENCE_P.items()},
        "attribution_mean": round(_mean_share(ATTRIBUTION_P), 6),
        "confidence_mean": round(_mean_share(CONFIDENCE_P), 6),
        "by_program": by_program,
        "by_cohort": by_cohort,
    }


def benefits(rng: np.random.Generator, world: World, mess: Mess,
             costs: dict[str, dict[str, int]]) -> tuple[RawFile, dict[str, Any]]:  # fmt: skip
    """KoboToolbox export of benefit estimates, 6 months after each cohort (Level 5).

    Returns the file and the truth's ``benefits`` section (``costs`` gives the
    expected benefit-cost ratios).

    Examples
    --------
    >>> from evalkit.data.demo.costs import costs
    >>> from evalkit.data.demo.world import build_world
    >>> rng, mess = np.random.default_rng(0), Mess()
    >>> world = build_world(rng)
    >>> f, info = benefits(rng, world, mess, costs(rng, world, mess)[1])
    >>> f.name, info["attribution_mean"], "KMP-2023-01" in info["by_cohort"]
    ('estimasi_manfaat.xlsx', 0.515, True)
    """
    entries = _estimates(rng, world)
    _add_duplicates(rng, entries)
    sh, infos = _sheet(entries)
    f = RawFile(_NAME, {_SHEET: sh}, "KoboToolbox XLSX export",
                ["group-prefixed headers", "Kobo meta columns", "shares as '60%', '60' or '0,6'",
                 "amounts as text 'Rp 1.250.000' or numbers", "unit-level estimates without "
                 "NIP and name", "duplicate submissions", "a share of 120%",
                 "a missing amount"])  # fmt: skip
    _plant_mess(rng, mess, f, infos)
    return f, _truth(infos, costs)
