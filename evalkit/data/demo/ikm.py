"""Level 4 of the demo: the public-satisfaction survey (IKM/SKM) and the unit KPIs.

``skm_olah_data.xlsx`` is the hand-kept SKM data entry: one row per respondent
of a service unit and half-year, answers U1..U9 on 1-4. ``kpi_unit.xlsx`` holds
per unit and half-year the mean service time in days and the number of
complaints. The treated units of the Pelayanan Prima intervention improve from
:data:`~evalkit.data.demo.design.POST_FROM` on (a difference-in-differences of
:data:`~evalkit.data.demo.effects.IKM_DID` converted points, one day less of
service time, complaints at 0.7 times the rate).

The mess: unit-name variants, blank answers, one impossible answer of 5, and
service days partly as text with comma decimals.

Examples
--------
>>> _ikm_mean("Kecamatan Oebobo", 3, 1.5)  # treated unit, after the intervention
81.3
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from evalkit import constants
from evalkit.data.demo.design import (
    COMPARISON_UNITS,
    PERIODS,
    POST_FROM,
    TREATED_UNITS,
    period_label,
)
from evalkit.data.demo.effects import (
    COMPLAINTS_RATE_RATIO,
    IKM_BASE,
    IKM_DID,
    IKM_RESPONDENT_SD,
    IKM_RESPONDENTS,
    IKM_TREATED_OFFSET,
    IKM_TREND,
    SERVICE_DAYS_DID,
    latent_to_answer,
)
from evalkit.data.demo.files import RawFile, Sheet
from evalkit.data.demo.mess import Mess, mess_units
from evalkit.data.demo.world import World

_SKM_HEADER = ["No", "Tanggal Survei", "Periode", "Unit Layanan", "Jenis Kelamin", "Umur",
               "Pendidikan", "Pekerjaan", *[f"U{k}" for k in range(1, 10)]]  # fmt: skip


_KPI_HEADER = ["Unit Layanan", "Periode", "Rata-rata Waktu Penyelesaian (hari)",
               "Jumlah Pengaduan", "Keterangan"]  # fmt: skip


def _ikm_mean(unit: str, t_idx: int, intercept: float) -> float:
    """Expected converted IKM score (25-100) of a unit in the period of index ``t_idx``."""
    treated = unit in TREATED_UNITS
    post = t_idx >= PERIODS.index(POST_FROM)
    return (IKM_BASE + IKM_TREND * t_idx + intercept
            + (IKM_TREATED_OFFSET if treated else 0.0)
            + (IKM_DID if treated and post else 0.0))  # fmt: skip


def _respondents(rng: np.random.Generator, sh: Sheet, unit: str, period: str, mean: float) -> None:
    """Append the SKM rows of one unit and period: 9 answers 1-4 around ``mean`` / 25."""
    year, half = int(period[:4]), int(period[-1])
    for _ in range(IKM_RESPONDENTS):
        m = np.clip(rng.normal(mean, IKM_RESPONDENT_SD) / constants.IKM_CONVERSION, 1, 4)
        answers = latent_to_answer(rng, np.full(9, m), 1, 4)
        month = int(rng.integers(1, 7)) + (6 if half == 2 else 0)
        day = dt.date(year, month, int(rng.integers(1, 29)))
        sh.rows.append([len(sh.rows) + 1, day, period_label(period), unit,
                        "L" if rng.random() < 0.5 else "P", int(rng.integers(18, 70)),
                        str(rng.choice(["SD", "SMP", "SMA", "D3", "S1", "S2"])),
                        str(rng.choice(["PNS", "Swasta", "Wiraswasta", "Pelajar/Mahasiswa", "Lainnya"])),
                        *[int(a) for a in answers]])  # fmt: skip


def _skm_mess(rng: np.random.Generator, mess: Mess, f: RawFile) -> None:
    """Unit variants, six blank answers and one answer of 5 (recorded)."""
    sh = f.sheets["Data SKM"]
    mess_units(rng, mess, f, "Data SKM", "Unit Layanan", k=8)
    for r in mess.pick(rng, f.name, "Data SKM", len(sh.rows), 6):
        j = sh.col(f"U{int(rng.integers(1, 10))}")
        was = sh.rows[r][j]
        sh.rows[r][j] = None
        mess.add(
            "missing_answer", f.name, r, sh.header[j], None, "kept as missing", was, "Data SKM"
        )
    r = mess.pick(rng, f.name, "Data SKM", len(sh.rows), 1)[0]
    j = sh.col("U3")
    was = sh.rows[r][j]
    sh.rows[r][j] = 5
    mess.add("impossible_ikm_value", f.name, r, "U3", 5, "quarantined (1-4)", was, "Data SKM")


def _kpi_mess(rng: np.random.Generator, mess: Mess, kf: RawFile) -> None:
    """Twenty service times as text with a comma decimal, and unit variants (recorded)."""
    kpi = kf.sheets["Rekap"]
    jd = kpi.col("Rata-rata Waktu Penyelesaian (hari)")
    for r in mess.pick(rng, kf.name, "Rekap", len(kpi.rows), 20):
        v = kpi.rows[r][jd]
        kpi.rows[r][jd] = f"{v:.1f}".replace(".", ",")
        mess.add(
            "comma_decimal", kf.name, r, kpi.header[jd], kpi.rows[r][jd], "repaired", v, "Rekap"
        )
    mess_units(rng, mess, kf, "Rekap", "Unit Layanan", k=3)


def ikm(
    rng: np.random.Generator, world: World, mess: Mess
) -> tuple[RawFile, RawFile, dict[str, Any]]:
    """The SKM data entry and the unit KPIs of the treated and comparison units.

    Returns both files and the truth's ``expected_converted_ikm`` (unit ->
    period -> expected converted score).

    Examples
    --------
    >>> from evalkit.data.demo.world import build_world
    >>> rng = np.random.default_rng(0)
    >>> skm, kpi, info = ikm(rng, build_world(rng), Mess())
    >>> len(skm.sheets["Data SKM"].rows), len(kpi.sheets["Rekap"].rows), len(info["expected_converted_ikm"])
    (1560, 78, 13)
    """
    panel = TREATED_UNITS + COMPARISON_UNITS
    sh = Sheet(list(_SKM_HEADER))
    kpi = Sheet(list(_KPI_HEADER))
    post_index = PERIODS.index(POST_FROM)
    service_base = {u: float(rng.uniform(2.0, 7.0)) for u in panel}
    complaint_base = {u: float(rng.uniform(4, 16)) for u in panel}
    expected: dict[str, dict[str, float]] = {}
    for u in panel:
        treated = u in TREATED_UNITS
        expected[u] = {}
        for t_idx, period in enumerate(PERIODS):
            post = t_idx >= post_index
            mean = _ikm_mean(u, t_idx, world.ikm_unit[u])
            expected[u][period] = round(mean, 6)
            _respondents(rng, sh, u, period, mean)
            days = service_base[u] + (SERVICE_DAYS_DID if treated and post else 0.0)
            days += float(rng.normal(0, 0.3))
            lam = complaint_base[u] * (COMPLAINTS_RATE_RATIO if treated and post else 1.0)
            days_v: Any = round(max(days, 0.5), 1)
            kpi.rows.append([u, period, days_v, int(rng.poisson(lam)), None])
    f = RawFile("skm_olah_data.xlsx", {"Data SKM": sh}, "hand-kept Excel (SKM data entry)",
                ["periods as 'Semester I 2023'", "unit-name variants", "blank answers",
                 "one answer of 5"])  # fmt: skip
    _skm_mess(rng, mess, f)
    kf = RawFile("kpi_unit.xlsx", {"Rekap": kpi}, "hand-kept Excel",
                 ["service days partly as text with comma decimals", "unit-name variants"])  # fmt: skip
    _kpi_mess(rng, mess, kf)
    return f, kf, {"expected_converted_ikm": expected}
