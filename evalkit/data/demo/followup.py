"""Level 3 of the demo: KoboToolbox follow-up forms of alumni, supervisors and change projects.

Three and (for PKP and PPR) six months after each cohort, when that is before
the export, alumni rate their own behaviour (``tindak_lanjut_alumni.xlsx``),
supervisors rate the alumnus (``tindak_lanjut_atasan.xlsx``), and alumni of
cohorts with a change project report its status
(``monitoring_aksi_perubahan.xlsx``). The exports have Kobo's group-prefixed
headers (``identitas/nip``, ``perilaku/b1``) and meta columns (``_uuid``,
``_submission_time``), frequency labels "Tidak Pernah".."Selalu", earlier
duplicate submissions, and NIPs typed with spaces.

A rating is a floor/ceiling draw around a latent value that grows with the
participant's observed learning gain and at six months; supervisors rate lower
(:data:`~evalkit.data.demo.effects.L3_SUPERVISOR_SHIFT`).

Examples
--------
>>> meta = KoboMeta(np.random.default_rng(0))
>>> start, end, uuid, submitted = meta(dt.datetime(2024, 3, 4, 9, 0))
>>> start, submitted, uuid.split("-")[1]
('2024-03-04T08:51:00.000+08:00', '2024-03-04T01:00:00', '0001')
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from evalkit.data.demo.design import COHORTS, DEMO_TODAY, Cohort, cohort_end
from evalkit.data.demo.effects import (
    L3_BASE,
    L3_GAIN_SLOPE,
    L3_ITEM_SD,
    L3_PERSON_SD,
    L3_SIX_MONTHS,
    L3_SUPERVISOR_SHIFT,
    PROJECT_STATUS_P,
    latent_to_answer,
)
from evalkit.data.demo.files import RawFile, Sheet
from evalkit.data.demo.mess import Mess, mangle_nips
from evalkit.data.demo.world import World

FREKUENSI5 = ("Tidak Pernah", "Jarang", "Kadang-kadang", "Sering", "Selalu")


#: behaviour item id -> Kobo label (headers are ``perilaku/<id>``)
BEHAVIOUR_ITEMS = {
    "b1": "Menerapkan pengetahuan dari pelatihan dalam pekerjaan sehari-hari",
    "b2": "Berbagi hasil pelatihan dengan rekan kerja",
    "b3": "Menyelesaikan pekerjaan lebih efektif dan tepat waktu",
    "b4": "Berkomunikasi lebih baik dengan pengguna layanan",
    "b5": "Mengambil inisiatif memperbaiki proses kerja",
    "b6": "Menunjukkan perubahan perilaku kerja yang positif",
}


#: Change-project status -> Kobo label.
PROJECT_LABELS = {
    "not_started": "Belum Dimulai",
    "in_progress": "Sedang Berjalan",
    "implemented": "Sudah Diterapkan",
    "sustained": "Berkelanjutan",
}


_BARRIERS = (
    "Belum ada dukungan anggaran",
    "Beban kerja tinggi",
    "Atasan mendukung penuh",
    "Perlu koordinasi dengan OPD lain",
    "Sarana belum memadai",
    "",
)


_BEHAVIOUR = [f"perilaku/{k}" for k in BEHAVIOUR_ITEMS]


_SELF_HEADER = ["start", "end", "identitas/nip", "identitas/nama", "identitas/kode_angkatan",
                "identitas/bulan_ke", *_BEHAVIOUR, "perilaku/kendala", "_id", "_uuid",
                "_submission_time", "_validation_status", "_index"]  # fmt: skip


_SUPERVISOR_HEADER = ["start", "end", "identitas/nip_atasan", "identitas/nama_atasan",
                      "identitas/nip_alumni", "identitas/nama_alumni", "identitas/kode_angkatan",
                      "identitas/bulan_ke", *_BEHAVIOUR, "perilaku/catatan", "_id", "_uuid",
                      "_submission_time", "_index"]  # fmt: skip


_PROJECT_HEADER = ["start", "end", "identitas/nip", "identitas/nama", "identitas/kode_angkatan",
                   "identitas/bulan_ke", "aksi_perubahan/judul", "aksi_perubahan/status",
                   "aksi_perubahan/kendala", "_id", "_uuid", "_submission_time", "_index"]  # fmt: skip


#: file name, header, NIP column, sheet name, earlier duplicates planted
_EXPORTS = (
    ("tindak_lanjut_alumni.xlsx", _SELF_HEADER, "identitas/nip", "Tindak Lanjut Alumni", 4),
    (
        "tindak_lanjut_atasan.xlsx",
        _SUPERVISOR_HEADER,
        "identitas/nip_alumni",
        "Penilaian Atasan",
        4,
    ),
    ("monitoring_aksi_perubahan.xlsx", _PROJECT_HEADER, "identitas/nip", "Aksi Perubahan", 2),
)


class KoboMeta:
    """Kobo meta fields of successive submissions: start, end, ``_uuid``, ``_submission_time``.

    The uuid carries a running number, so it is unique over the three exports.
    """

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.n = 0

    def __call__(self, t: dt.datetime) -> tuple[str, str, str, str]:
        """Meta fields of a form finished at local time ``t`` (UTC+8)."""
        self.n += 1
        rng = self.rng
        u = f"{int(rng.integers(0, 2**32)):08x}-{self.n:04x}-4{int(rng.integers(0, 4096)):03x}"
        return (
            (t - dt.timedelta(minutes=9)).strftime("%Y-%m-%dT%H:%M:%S.000+08:00"),
            t.strftime("%Y-%m-%dT%H:%M:%S.000+08:00"),
            u,
            (t - dt.timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M:%S"),
        )


def _ratings(rng: np.random.Generator, mu: float) -> list[str]:
    x = mu + rng.normal(0, L3_ITEM_SD, len(_BEHAVIOUR))
    return [FREKUENSI5[a - 1] for a in latent_to_answer(rng, x, 1, 5)]


# --- one participant at one follow-up round ----------------------------------------
def _self_row(rng: np.random.Generator, meta: KoboMeta, t: dt.datetime, c: Cohort,
              p: dict[str, Any], months: int, mu: float) -> list[Any]:  # fmt: skip
    ans = _ratings(rng, mu)
    start, end_s, uuid, sub = meta(t)
    return [start, end_s, p["nip"], p["name"], c.cohort_id, str(months),
            *ans, str(rng.choice(_BARRIERS)), None, uuid, sub, None, None]  # fmt: skip


def _supervisor_row(rng: np.random.Generator, meta: KoboMeta, t: dt.datetime, c: Cohort,
                    p: dict[str, Any], months: int, mu: float,
                    supervisors: list[dict[str, Any]]) -> list[Any]:  # fmt: skip
    boss = supervisors[int(rng.integers(len(supervisors)))]
    ans = _ratings(rng, mu + L3_SUPERVISOR_SHIFT)
    ts = t + dt.timedelta(days=int(rng.integers(0, 6)), minutes=int(rng.integers(0, 600)))
    start, end_s, uuid, sub = meta(ts)
    return [start, end_s, boss["nip"], boss["name"], p["nip"], p["name"],
            c.cohort_id, str(months), *ans, "", None, uuid, sub, None]  # fmt: skip


def _project_row(rng: np.random.Generator, meta: KoboMeta, t: dt.datetime, c: Cohort,
                 p: dict[str, Any], months: int) -> list[Any]:  # fmt: skip
    probs = PROJECT_STATUS_P[months]
    status = str(rng.choice(list(probs), p=list(probs.values())))
    ts = t + dt.timedelta(minutes=int(rng.integers(10, 120)))
    start, end_s, uuid, sub = meta(ts)
    return [start, end_s, p["nip"], p["name"], c.cohort_id, str(months),
            f"Aksi perubahan {c.cohort_id} oleh {p['name'].split(',')[0]}",
            PROJECT_LABELS[status], str(rng.choice(_BARRIERS)), None,
            uuid, sub, None]  # fmt: skip


def _rounds(c: Cohort) -> list[tuple[int, dt.date]]:
    """(months, first day) of the cohort's follow-up rounds whose 20 days end by the export."""
    end = cohort_end(c)
    out = []
    for months in [3] + ([6] if c.program_id in ("PKP", "PPR") else []):
        day0 = end + dt.timedelta(days=round(months * 30.44))
        if day0 + dt.timedelta(days=20) <= DEMO_TODAY:
            out.append((months, day0))
    return out


def _followup_rows(rng: np.random.Generator, world: World) -> tuple[list, list, list]:
    """Rows of the self, supervisor and change-project forms, in cohort order.

    Alumni answer with probability 0.85, supervisors 0.75, change-project
    reports 0.9 (cohorts with a project only).
    """
    meta = KoboMeta(rng)
    rows_self, rows_sup, rows_proj = [], [], []
    supervisors = [p for p in world.people if p["position"] == "struktural"]
    with_project = {c.cohort_id for c in COHORTS if c.program_id == "PKP"
                    or c.delivery == "project-based"}  # fmt: skip
    for c in COHORTS:
        for months, day0 in _rounds(c):
            for i in world.enrol[c.cohort_id]:
                p = world.people[i]
                pre, post, expected_gain = world.scores[(c.cohort_id, i)]
                gain = post - pre if pre is not None and post is not None else expected_gain
                person = rng.normal(0, L3_PERSON_SD)
                mu = L3_BASE + L3_GAIN_SLOPE * gain + (L3_SIX_MONTHS if months == 6 else 0) + person
                t = dt.datetime.combine(day0, dt.time(9)) + dt.timedelta(
                    days=int(rng.integers(0, 20)), seconds=int(rng.integers(0, 8 * 3600))
                )
                if rng.random() < 0.85:
                    rows_self.append(_self_row(rng, meta, t, c, p, months, mu))
                if rng.random() < 0.75:
                    rows_sup.append(_supervisor_row(rng, meta, t, c, p, months, mu, supervisors))
                if c.cohort_id in with_project and rng.random() < 0.9:
                    rows_proj.append(_project_row(rng, meta, t, c, p, months))
    return rows_self, rows_sup, rows_proj


# --- one export -------------------------------------------------------------------
def _add_duplicates(rng: np.random.Generator, sh: Sheet, n_dup: int) -> set[int]:
    """Add earlier copies of ``n_dup`` submissions, with some ratings changed; sort; number.

    Returns the ``id`` of every earlier copy.
    """
    rows, sub = sh.rows, sh.col("_submission_time")
    rows.sort(key=lambda r: r[sub])
    twins = [int(i) for i in rng.choice(len(rows), size=n_dup, replace=False)]
    early_ids = set()
    for r in twins:
        early = list(rows[r])
        t = dt.datetime.fromisoformat(early[sub]) - dt.timedelta(minutes=int(rng.integers(5, 200)))
        early[sub] = t.strftime("%Y-%m-%dT%H:%M:%S")
        for j, h in enumerate(sh.header):
            if h.startswith("perilaku/b") and rng.random() < 0.4:
                early[j] = FREKUENSI5[int(rng.integers(0, 5))]
        early_ids.add(id(early))
        rows.append(early)
    rows.sort(key=lambda r: r[sub])
    for k, row in enumerate(rows, start=1):
        row[sh.col("_id")] = 40000 + k * 7
        row[sh.col("_index")] = k
    return early_ids


def _record_duplicates(mess: Mess, f: RawFile, sheet: str, nip_col: str,
                       early_ids: set[int]) -> None:  # fmt: skip
    """Record the earlier copies; protect them and their later twins from other mess."""
    sh = f.sheets[sheet]
    rows = sh.rows
    nipj, kj, mj = sh.col(nip_col), sh.col("identitas/kode_angkatan"), sh.col("identitas/bulan_ke")
    dup_rows = [r for r, row in enumerate(rows) if id(row) in early_ids]
    twin_keys = {(rows[r][nipj], rows[r][kj], rows[r][mj]) for r in dup_rows}
    sub = sh.col("_submission_time")
    for r in dup_rows:
        mess.add("duplicate_submission", f.name, r, "_submission_time", rows[r][sub],
                 "dropped (a later submission with the same NIP, cohort and month exists)",
                 None, sheet)  # fmt: skip
    mess.protect(
        f.name,
        sheet,
        (r for r, row in enumerate(rows) if (row[nipj], row[kj], row[mj]) in twin_keys),
    )


def followup(rng: np.random.Generator, world: World, mess: Mess) -> list[RawFile]:
    """The three Kobo exports: alumni self ratings, supervisor ratings, change projects.

    Examples
    --------
    >>> from evalkit.data.demo.scores import scores
    >>> from evalkit.data.demo.world import build_world
    >>> rng, mess = np.random.default_rng(0), Mess()
    >>> world = build_world(rng)
    >>> _ = scores(rng, world, mess)  # the ratings depend on the learning gains
    >>> [f.name for f in followup(rng, world, mess)]
    ['tindak_lanjut_alumni.xlsx', 'tindak_lanjut_atasan.xlsx', 'monitoring_aksi_perubahan.xlsx']
    """
    files = []
    for (name, header, nip_col, sheet, n_dup), rows in zip(
        _EXPORTS, _followup_rows(rng, world), strict=True
    ):
        sh = Sheet(list(header), rows)
        early_ids = _add_duplicates(rng, sh, n_dup)
        f = RawFile(name, {sheet: sh}, "KoboToolbox XLSX export",
                    ["group-prefixed headers", "Kobo meta columns", "duplicate submissions"])  # fmt: skip
        _record_duplicates(mess, f, sheet, nip_col, early_ids)
        if name != "monitoring_aksi_perubahan.xlsx":
            mangle_nips(rng, mess, f, sheet, nip_col, {"nip_spaces": 1})
        files.append(f)
    return files
