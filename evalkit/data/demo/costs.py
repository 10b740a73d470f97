"""Level 5 of the demo: the hand-kept cost sheet ``rincian_biaya.xlsx``.

One row per cohort and cost category (:data:`COST_LABELS`): facilitator fees
by JP, meals, lodging and venue for face-to-face cohorts, materials, and the
participants' time at :data:`~evalkit.data.demo.effects.HOURLY_WAGE`. About two
amounts in three are written as text ("Rp 12.500.000").

Examples
--------
>>> from evalkit.data.demo.design import COHORTS
>>> _amounts(COHORTS[0], 0)["honor_narasumber"], _detail(COHORTS[0], "konsumsi")
(21600000, '24 org x 3 hari')
"""

from __future__ import annotations

import math

import numpy as np

from evalkit.data.demo.design import COHORTS, Cohort
from evalkit.data.demo.effects import HOURLY_WAGE
from evalkit.data.demo.files import RawFile, Sheet, rupiah
from evalkit.data.demo.mess import Mess
from evalkit.data.demo.world import World

#: canonical cost category -> label in the hand-kept sheet
COST_LABELS = {
    "honor_narasumber": "Honor Narasumber",
    "konsumsi": "Konsumsi",
    "akomodasi": "Akomodasi",
    "atk_bahan": "ATK/Bahan",
    "sewa_tempat": "Sewa Tempat",
    "waktu_peserta": "Waktu Peserta",
}


def _rate(c: Cohort) -> int:
    return 900_000 if c.facilitator == "academic" else 700_000


def _amounts(c: Cohort, extra_packs: int) -> dict[str, int]:
    """Cost of one cohort by category (Rp); ``extra_packs`` of 50.000 added to materials."""
    days = max(1, math.ceil(c.jp / 8))
    amounts = {"honor_narasumber": c.jp * _rate(c)}
    if c.delivery != "e-learning":
        amounts["konsumsi"] = c.n * days * 85_000
        if c.jp >= 40:
            amounts["akomodasi"] = c.n * (days - 1) * 450_000
        amounts["sewa_tempat"] = days * 3_500_000
    amounts["atk_bahan"] = c.n * 150_000 + extra_packs * 50_000
    amounts["waktu_peserta"] = c.n * c.jp * HOURLY_WAGE
    return amounts


def _detail(c: Cohort, category: str) -> str:
    """The sheet's "Uraian" of a cost line."""
    days = max(1, math.ceil(c.jp / 8))
    return {
        "honor_narasumber": f"{c.jp} JP x {rupiah(_rate(c))}",
        "konsumsi": f"{c.n} org x {days} hari",
        "akomodasi": f"{c.n} org x {days - 1} malam",
        "sewa_tempat": f"{days} hari",
        "atk_bahan": f"{c.n} paket",
        "waktu_peserta": f"{c.n} org x {c.jp} JP x {rupiah(HOURLY_WAGE)}",
    }[category]


def costs(
    rng: np.random.Generator, world: World, mess: Mess
) -> tuple[RawFile, dict[str, dict[str, int]]]:
    """The cost sheet, and the true costs (cohort -> category -> Rp) for the truth.

    Examples
    --------
    >>> from evalkit.data.demo.world import build_world
    >>> rng = np.random.default_rng(0)
    >>> f, totals = costs(rng, build_world(rng), Mess())
    >>> f.name, len(f.sheets["Biaya"].rows), totals["KMP-2023-01"]["honor_narasumber"]
    ('rincian_biaya.xlsx', 73, 21600000)
    """
    sh = Sheet(["Kode Angkatan", "Komponen Biaya", "Uraian", "Jumlah (Rp)"])
    totals: dict[str, dict[str, int]] = {}
    for c in COHORTS:
        amounts = _amounts(c, int(rng.integers(0, 20)))
        totals[c.cohort_id] = amounts
        for cat, amount in amounts.items():
            sh.rows.append([c.cohort_id, COST_LABELS[cat], _detail(c, cat), amount])
    f = RawFile("rincian_biaya.xlsx", {"Biaya": sh}, "hand-kept Excel",
                ["amounts as text 'Rp 12.500.000' or numbers"])  # fmt: skip
    j = sh.col("Jumlah (Rp)")
    for r, row in enumerate(sh.rows):
        if rng.random() < 0.65:
            row[j] = rupiah(row[j])
            mess.add("currency_text", f.name, r, "Jumlah (Rp)", row[j], "repaired", None, "Biaya")
    return f, totals
