"""The hand-kept registers of the demo: the cohort list and the yearly participant rosters.

``daftar_angkatan.xlsx`` lists every cohort under three title rows, its dates a
mix of Excel dates, Indonesian month names and day-first text, with a trailing
note row; ``peserta_2023.xlsx``, ``peserta_2024.xlsx`` and ``peserta_2025.csv``
list the participants of the cohorts starting that year, with mangled NIPs,
unit-name variants and mixed labels of sex and position.

Examples
--------
>>> from evalkit.data.demo.mess import Mess
>>> f = cohort_list(np.random.default_rng(0), Mess())
>>> f.name, f.sheets["Angkatan"].header_row, len(f.sheets["Angkatan"].rows)
('daftar_angkatan.xlsx', 4, 16)
"""

from __future__ import annotations

import numpy as np

from evalkit.data.demo.design import COHORTS, FACILITATOR_LABEL, PROGRAMS, cohort_end
from evalkit.data.demo.files import RawFile, Sheet, fmt_date_id
from evalkit.data.demo.mess import Mess, mangle_nips, mess_units
from evalkit.data.demo.world import World

_COHORT_HEADER = ["No", "Kode Angkatan", "Kode Program", "Nama Pelatihan", "Jenis Kompetensi",
                  "Angkatan Ke", "Tanggal Mulai", "Tanggal Selesai", "Metode", "Narasumber", "JP",
                  "Penyelenggara", "Keterangan"]  # fmt: skip


_ROSTER_HEADER = ["No", "Kode Angkatan", "NIP", "Nama Lengkap", "L/P", "Gol/Ruang",
                  "Jenis Jabatan", "Unit Kerja"]  # fmt: skip


#: Canonical position -> its labels in the rosters (the first is the usual one).
_POSITION_LABELS = {
    "struktural": ("Struktural", "Jabatan Struktural", "Pengawas"),
    "fungsional": ("Fungsional", "JFT", "Fungsional Tertentu"),
    "pelaksana": ("Pelaksana", "JFU", "Fungsional Umum"),
}


#: Roster year -> (file suffix, NIP mess plan).
_ROSTERS = (
    (2023, "xlsx", {"nip_spaces": 2, "nip_dots": 2, "nip_excel_number": 2}),
    (2024, "xlsx", {"nip_spaces": 2, "nip_dots": 1, "nip_excel_number": 1}),
    (2025, "csv", {"nip_spaces": 2, "nip_dots": 1, "nip_scientific_lossy": 1}),
)


# --- the cohort list --------------------------------------------------------------
def _text_dates(rng: np.random.Generator, mess: Mess, name: str, sh: Sheet) -> None:
    """Two cohorts in three get their dates as month-name or day-first text (recorded)."""
    order = rng.permutation(list(range(len(sh.rows))))
    for pos, i in enumerate(order):
        i = int(i)
        kind = ("date_text_month_name", "date_text_dayfirst", None)[pos % 3]
        if kind is None:
            continue
        for column in ("Tanggal Mulai", "Tanggal Selesai"):
            j = sh.col(column)
            d = sh.rows[i][j]
            sh.rows[i][j] = fmt_date_id(d) if kind == "date_text_month_name" else f"{d:%d/%m/%Y}"
            mess.add(kind, name, i, column, sh.rows[i][j], "repaired (parsed day-first)",
                     d.isoformat(), "Angkatan", sh.header_row)  # fmt: skip


def cohort_list(rng: np.random.Generator, mess: Mess) -> RawFile:
    """``daftar_angkatan.xlsx``: sheet ``Angkatan`` (header on row 4) and sheet ``Program``.

    Examples
    --------
    >>> f = cohort_list(np.random.default_rng(0), Mess())
    >>> list(f.sheets), f.sheets["Angkatan"].rows[-1][0][:8]
    (['Angkatan', 'Program'], 'Catatan:')
    """
    name = "daftar_angkatan.xlsx"
    sh = Sheet(list(_COHORT_HEADER), header_row=4)
    sh.title_rows = [
        ["DAFTAR ANGKATAN PELATIHAN ASN PEMERINTAH KOTA KUPANG"],
        ["BKPSDM Kota Kupang, tahun 2023-2025 (diperbarui 27 November 2025)"],
        [],
    ]
    for k, c in enumerate(COHORTS, start=1):
        pname, _skill, skill_label = PROGRAMS[c.program_id]
        sh.rows.append([
            k, c.cohort_id, c.program_id, pname, skill_label, c.batch, c.start, cohort_end(c),
            c.delivery_label, FACILITATOR_LABEL[c.facilitator], c.jp,
            "BKPSDM Kota Kupang" if c.program_id != "PKP" else "BPSDMD Provinsi NTT",
            "Luring di Aula BKPSDM" if c.delivery in ("klasikal", "workshop") else None,
        ])  # fmt: skip
    _text_dates(rng, mess, name, sh)
    note = [None] * len(sh.header)
    note[0] = "Catatan: angkatan PKP diselenggarakan bersama BPSDMD Provinsi NTT"
    sh.rows.append(note)
    mess.add("note_row", name, len(sh.rows) - 1, "Kode Angkatan", None,
             "quarantined (no Kode Angkatan)", None, "Angkatan", sh.header_row)  # fmt: skip
    prog = Sheet(["Kode Program", "Nama Program", "Jenis Kompetensi"])
    for pid, (pname, _skill, label) in PROGRAMS.items():
        prog.rows.append([pid, pname, label])
    return RawFile(
        name, {"Angkatan": sh, "Program": prog}, "hand-kept Excel",
        ["title rows above the header (header on row 4)", "dates as Excel dates, "
         "Indonesian month names or day-first text", "method label variants",
         "a trailing note row"],
    )  # fmt: skip


# --- the participant rosters --------------------------------------------------------
def _roster_sheet(rng: np.random.Generator, world: World, year: int) -> Sheet:
    """One row per participant of the cohorts starting in ``year``."""
    sh = Sheet(list(_ROSTER_HEADER))
    for c in COHORTS:
        if c.start.year != year:
            continue
        for i in world.enrol[c.cohort_id]:
            p = world.people[i]
            labels = _POSITION_LABELS[p["position"]]
            label = labels[0] if rng.random() < 0.7 else str(rng.choice(labels[1:]))
            sex = (
                p["sex"] if rng.random() < 0.85 else {"L": "Laki-laki", "P": "Perempuan"}[p["sex"]]
            )
            sh.rows.append([len(sh.rows) + 1, c.cohort_id, p["nip"], p["name"], sex,
                            p["golongan"], label, p["unit"]])  # fmt: skip
    return sh


def rosters(rng: np.random.Generator, world: World, mess: Mess) -> list[RawFile]:
    """``peserta_<year>``: two hand-kept workbooks and one sheet saved as CSV.

    Examples
    --------
    >>> from evalkit.data.demo.world import build_world
    >>> rng = np.random.default_rng(0)
    >>> [f.name for f in rosters(rng, build_world(rng), Mess())]
    ['peserta_2023.xlsx', 'peserta_2024.xlsx', 'peserta_2025.csv']
    """
    files = []
    for year, ext, plan in _ROSTERS:
        sh = _roster_sheet(rng, world, year)
        f = RawFile(f"peserta_{year}.{ext}", {"Peserta": sh}, "hand-kept Excel" if ext == "xlsx"
                    else "hand-kept Excel saved as CSV",
                    ["NIPs with spaces/dots, Excel numbers or scientific notation",
                     "unit-name variants", "sex as L/P or Laki-laki/Perempuan",
                     "position labels JFT/JFU/Fungsional Umum"])  # fmt: skip
        mangle_nips(rng, mess, f, "Peserta", "NIP", plan)
        mess_units(rng, mess, f, "Peserta", "Unit Kerja", k=max(4, len(sh.rows) // 9))
        files.append(f)
    return files
