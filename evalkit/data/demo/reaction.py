"""Level 1 of the demo: the reaction surveys, one Google Form per program, and an LMS survey.

``reaksi_<PROGRAM>.csv`` holds the Google Forms answers of every cohort of a
program: timestamp, NIP, name, cohort, the 17 items of :data:`REACTION_ITEMS`
as words ("Sangat Tidak Setuju".."Sangat Setuju", English labels for
:data:`~evalkit.data.demo.design.ENGLISH_COHORT`) and a comment. The e-learning
cohort :data:`~evalkit.data.demo.design.LMS_COHORT` answered the 4-point LMS
survey ``survei_lms_<cohort>.csv`` instead.

An answer is a floor/ceiling draw around a latent value: the dimension base
(:data:`~evalkit.data.demo.effects.REACTION_BASE`) plus a person effect, an
item offset and item noise, plus the practitioner effect on relevance items.
The mess: earlier duplicate submissions, mangled NIPs, missing answers, one
label in no label set, one timestamp in 2031, and comments holding a phone
number or an e-mail address.

Examples
--------
>>> header = _form_header()
>>> header[4], header[-1], len(header)
('Penilaian Materi [Materi pelatihan disusun secara sistematis]', 'Saran dan komentar', 22)
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from evalkit.data.demo.design import (
    COHORTS,
    ENGLISH_COHORT,
    LMS_COHORT,
    PROGRAMS,
    Cohort,
    cohort_end,
)
from evalkit.data.demo.effects import (
    REACTION_BASE,
    REACTION_ITEM_SD,
    REACTION_PERSON_SD,
    RELEVANCE_PRACTITIONER,
    latent_to_answer,
)
from evalkit.data.demo.files import RawFile, Sheet, fmt_ts
from evalkit.data.demo.mess import Mess, mangle_nips
from evalkit.data.demo.world import World

#: item id -> (dimension, Google Forms header, reverse-keyed)
REACTION_ITEMS: dict[str, tuple[str, str, bool]] = {
    "content_1": ("content", "Penilaian Materi [Materi pelatihan disusun secara sistematis]", False),
    "content_2": ("content", "Penilaian Materi [Materi pelatihan mudah dipahami]", False),
    "content_3": ("content", "Penilaian Materi [Bahan ajar/modul lengkap dan jelas]", False),
    "content_4": ("content", "Penilaian Materi [Materi pelatihan menambah wawasan saya]", False),
    "facilitator_1": ("facilitator", "Penilaian Narasumber [Narasumber menguasai materi]", False),
    "facilitator_2": ("facilitator", "Penilaian Narasumber [Narasumber menyampaikan materi dengan jelas]", False),
    "facilitator_3": ("facilitator", "Penilaian Narasumber [Narasumber memberi kesempatan bertanya dan berdiskusi]", False),
    "facilitator_4": ("facilitator", "Penilaian Narasumber [Narasumber hadir tepat waktu]", False),
    "organisation_1": ("organisation", "Penyelenggaraan [Informasi pelatihan dari panitia jelas]", False),
    "organisation_2": ("organisation", "Penyelenggaraan [Pelayanan panitia selama pelatihan baik]", False),
    "organisation_3": ("organisation", "Penyelenggaraan [Jadwal pelatihan terlalu padat]", True),
    "facilities_1": ("facilities", "Sarana dan Prasarana [Ruang kelas/platform pelatihan nyaman digunakan]", False),
    "facilities_2": ("facilities", "Sarana dan Prasarana [LCD, pengeras suara dan internet berfungsi baik]", False),
    "facilities_3": ("facilities", "Sarana dan Prasarana [Konsumsi yang disediakan memadai]", False),
    "relevance_1": ("relevance", "Relevansi [Materi pelatihan sesuai dengan kebutuhan tugas saya]", False),
    "relevance_2": ("relevance", "Relevansi [Saya dapat menerapkan hasil pelatihan di unit kerja saya]", False),
    "relevance_3": ("relevance", "Relevansi [Pelatihan ini membantu meningkatkan pelayanan unit saya]", False),
}  # fmt: skip


#: item id -> (dimension, LMS header) of the 4-point e-learning survey.
LMS_ITEMS: dict[str, tuple[str, str]] = {
    "lms_content_1": ("content", "1. Kualitas materi e-learning"),
    "lms_content_2": ("content", "2. Kejelasan video pembelajaran"),
    "lms_facilitator_1": ("facilitator", "3. Penguasaan materi oleh narasumber"),
    "lms_facilitator_2": ("facilitator", "4. Tanggapan narasumber di forum diskusi"),
    "lms_organisation_1": ("organisation", "5. Pengelolaan kelas daring oleh panitia"),
    "lms_organisation_2": ("organisation", "6. Ketepatan jadwal sesi sinkron"),
    "lms_facilities_1": ("facilities", "7. Kemudahan akses platform LMS"),
    "lms_facilities_2": ("facilities", "8. Kestabilan platform selama pelatihan"),
    "lms_relevance_1": ("relevance", "9. Kesesuaian materi dengan tugas Anda"),
    "lms_relevance_2": ("relevance", "10. Manfaat pelatihan bagi pelayanan di unit Anda"),
}


SETUJU5 = ("Sangat Tidak Setuju", "Tidak Setuju", "Netral", "Setuju", "Sangat Setuju")


AGREE5 = ("Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree")


BAIK4 = ("Sangat Kurang", "Kurang", "Baik", "Sangat Baik")


_COMMENTS = (
    "Materinya sangat bermanfaat untuk pekerjaan kami di unit.",
    "Waktu pelatihan terlalu singkat, mohon ditambah untuk praktik.",
    "Narasumber sangat komunikatif dan contoh-contohnya sesuai kondisi di Kupang.",
    "Mohon materi dibagikan sebelum pelatihan dimulai.",
    "Koneksi internet sering putus, tolong diperbaiki.",
    "Ruangan terlalu panas, AC tidak berfungsi dengan baik.",
    "Semoga ada pelatihan lanjutan tahun depan.",
    "Konsumsi cukup baik, terima kasih panitia.",
    "Sesi diskusi kelompok paling membantu.",
    "Perlu lebih banyak studi kasus dari pelayanan publik di daerah.",
    "Jadwal terlalu padat sampai sore, peserta kelelahan.",
    "Pelatihan sangat baik, mohon dilanjutkan untuk staf lain.",
    "Modul sebaiknya dicetak, tidak semua peserta punya laptop.",
    "Terima kasih, ilmu yang didapat bisa langsung diterapkan.",
    "Sebaiknya pelatihan tidak bertepatan dengan akhir tahun anggaran.",
    "Narasumber praktisi memberi contoh yang nyata.",
    "Sound system kurang jelas di bagian belakang ruangan.",
    "Perlu pendampingan setelah pelatihan selesai.",
    "oke",
    "Mantap!",
    "-",
    "Tidak ada.",
    "Pelatihan daring kurang interaktif dibanding tatap muka.",
    "Mohon sertifikat segera diterbitkan.",
)


_COMMENTS_CONTACT = (
    "Materi bagus. Kalau ada pelatihan lanjutan hubungi saya di 0812-3790-5512.",
    "Mohon kirim modulnya ke email saya: peserta.pelatihan@contoh.go.id",
    "Saya siap jadi fasilitator internal, WA 081339021477.",
)


#: Program -> NIP mess plan of its form.
_NIP_PLANS = {
    "KMP": {"nip_spaces": 1, "nip_lost_leading": 1, "nip_bad_birth_date": 1},
    "PPR": {"nip_spaces": 1, "nip_bad_sex_digit": 1},
    "MWT": {"nip_lost_leading": 1, "nip_wrong_length": 1},
    "PKP": {"nip_spaces": 1},
    "SPBE": {"nip_scientific_lossy": 1},
    "KST": {},
}


#: Columns before the first item (Timestamp, NIP, Nama Lengkap, Kode Angkatan).
_FIRST_ITEM = 4


def _form_header() -> list[str]:
    return (["Timestamp", "NIP", "Nama Lengkap", "Kode Angkatan"]
            + [REACTION_ITEMS[k][1] for k in REACTION_ITEMS] + ["Saran dan komentar"])  # fmt: skip


def _lms_header() -> list[str]:
    return (["Waktu Pengisian", "NIP", "Nama", "Kode Angkatan"]
            + [h for _d, h in LMS_ITEMS.values()] + ["Masukan"])  # fmt: skip


# --- answers --------------------------------------------------------------------------
def _comment(rng: np.random.Generator) -> str:
    """No comment (55%), a comment (43%) or one with a phone number or e-mail (2%)."""
    u = rng.random()
    if u < 0.02:
        return str(rng.choice(_COMMENTS_CONTACT))
    if u < 0.45:
        return str(rng.choice(_COMMENTS))
    return ""


def _latent_mean(c: Cohort, dim: str, person: float, offset: float) -> float:
    mu = REACTION_BASE[dim] + person + offset
    if dim == "relevance" and c.facilitator == "practitioner":
        mu += RELEVANCE_PRACTITIONER
    return mu


def _lms_answers(rng: np.random.Generator, c: Cohort, person: float,
                 offsets: dict[str, float]) -> list[str]:  # fmt: skip
    """4-point answers: the 1-5 latent value mapped to 1-4 by 1 + (x - 1) * 3/4."""
    answers = []
    for k, (dim, _h) in LMS_ITEMS.items():
        x5 = _latent_mean(c, dim, person, offsets[k]) + rng.normal(0, REACTION_ITEM_SD)
        x4 = 1 + (np.clip(x5, 1, 5) - 1) * 3 / 4
        answers.append(BAIK4[latent_to_answer(rng, np.array([x4]), 1, 4)[0] - 1])
    return answers


def _form_answers(rng: np.random.Generator, c: Cohort, person: float, offsets: dict[str, float],
                  labels: tuple[str, ...]) -> list[str]:  # fmt: skip
    """5-point answers as labels, the reverse-keyed item reversed."""
    answers = []
    for k, (dim, _h, reverse) in REACTION_ITEMS.items():
        x = _latent_mean(c, dim, person, offsets[k]) + rng.normal(0, REACTION_ITEM_SD)
        a = latent_to_answer(rng, np.array([x]), 1, 5)[0]
        answers.append(labels[(6 - a if reverse else a) - 1])
    return answers


def _earlier_submission(rng: np.random.Generator, row: list[Any], t: dt.datetime,
                        labels: tuple[str, ...]) -> list[Any]:  # fmt: skip
    """A copy of a form row sent minutes earlier, with three answers changed and no comment."""
    early = list(row)
    early[0] = fmt_ts(t - dt.timedelta(minutes=int(rng.integers(3, 90))))
    n_items = len(REACTION_ITEMS)
    for j in rng.choice(range(_FIRST_ITEM, _FIRST_ITEM + n_items), size=3, replace=False):
        early[int(j)] = labels[int(rng.integers(0, 5))]
    early[-1] = ""
    return early


def _answer_rows(rng: np.random.Generator, world: World, offsets: dict[str, float],
                 lms_offsets: dict[str, float]) -> tuple[dict[str, Sheet], Sheet, set[int]]:  # fmt: skip
    """The rows of every form and of the LMS survey, in cohort order.

    Returns the form sheets by program, the LMS sheet and the ``id`` of every
    earlier (duplicate) submission row.
    """
    sheets = {pid: Sheet(_form_header()) for pid in PROGRAMS}
    lms = Sheet(_lms_header())
    duplicates: set[int] = set()
    for c in COHORTS:
        end = cohort_end(c)
        for i in world.enrol[c.cohort_id]:
            if rng.random() < 0.07:  # did not answer
                continue
            p = world.people[i]
            person = rng.normal(0, REACTION_PERSON_SD)
            t = dt.datetime.combine(end, dt.time(13)) + dt.timedelta(
                seconds=int(rng.integers(0, 4 * 3600))
            )
            comment = _comment(rng)
            if c.cohort_id == LMS_COHORT:
                answers = _lms_answers(rng, c, person, lms_offsets)
                lms.rows.append([t.strftime("%Y-%m-%d %H:%M:%S"), p["nip"], p["name"],
                                 c.cohort_id, *answers, comment])  # fmt: skip
                continue
            labels = AGREE5 if c.cohort_id == ENGLISH_COHORT else SETUJU5
            answers = _form_answers(rng, c, person, offsets, labels)
            row = [fmt_ts(t), p["nip"], p["name"], c.cohort_id, *answers, comment]
            sh = sheets[c.program_id]
            if rng.random() < 0.06:  # an earlier submission, resubmitted later
                early = _earlier_submission(rng, row, t, labels)
                duplicates.add(id(early))
                sh.rows.append(early)
            sh.rows.append(row)
    return sheets, lms, duplicates


# --- the mess of one form -------------------------------------------------------------
def _record_duplicates(mess: Mess, f: RawFile, duplicates: set[int]) -> None:
    """Record the earlier submissions; protect them and their later twins from other mess."""
    sh = f.sheets["Sheet1"]
    ts = sh.col("Timestamp")
    dup_rows = [r for r, row in enumerate(sh.rows) if id(row) in duplicates]
    for r in dup_rows:
        mess.protect(f.name, "Sheet1", {r})
        mess.add("duplicate_submission", f.name, r, "Timestamp", sh.rows[r][ts],
                 "dropped (a later submission with the same NIP and cohort exists)")  # fmt: skip
    dup_ids = {(sh.rows[r][1], sh.rows[r][3]) for r in dup_rows}
    mess.protect(
        f.name, "Sheet1", (r for r, row in enumerate(sh.rows) if (row[1], row[3]) in dup_ids)
    )


def _missing_answers(rng: np.random.Generator, mess: Mess, f: RawFile) -> None:
    """Blank one or two answers in one row of 25 (at least two rows)."""
    sh = f.sheets["Sheet1"]
    item_cols = list(range(_FIRST_ITEM, _FIRST_ITEM + len(REACTION_ITEMS)))
    for r in mess.pick(rng, f.name, "Sheet1", len(sh.rows), max(2, len(sh.rows) // 25)):
        for j in rng.choice(item_cols, size=int(rng.integers(1, 3)), replace=False):
            was = sh.rows[r][int(j)]
            sh.rows[r][int(j)] = ""
            mess.add("missing_answer", f.name, r, sh.header[int(j)], "",
                     "kept as missing", was)  # fmt: skip


def _unknown_label(rng: np.random.Generator, mess: Mess, f: RawFile) -> None:
    """One answer "Cukup Setuju", a label in no label set."""
    sh = f.sheets["Sheet1"]
    r = mess.pick(rng, f.name, "Sheet1", len(sh.rows), 1)[0]
    j = _FIRST_ITEM + 1
    was = sh.rows[r][j]
    sh.rows[r][j] = "Cukup Setuju"
    mess.add("unknown_likert_label", f.name, r, sh.header[j], "Cukup Setuju",
             "quarantined (label in no set)", was)  # fmt: skip


def _future_timestamp(rng: np.random.Generator, mess: Mess, f: RawFile) -> None:
    """One submission dated in 2031, after the export."""
    sh = f.sheets["Sheet1"]
    ts = sh.col("Timestamp")
    r = mess.pick(rng, f.name, "Sheet1", len(sh.rows), 1)[0]
    was = sh.rows[r][ts]
    t = dt.datetime.strptime(was, "%d/%m/%Y %H:%M:%S")
    sh.rows[r][ts] = fmt_ts(t.replace(year=2031))
    mess.add("impossible_date", f.name, r, "Timestamp", sh.rows[r][ts],
             "quarantined (after the export date)", was)  # fmt: skip


def _record_contacts(mess: Mess, f: RawFile, column: str) -> None:
    """Record the comments holding a phone number or an e-mail address."""
    for r, row in enumerate(f.sheets["Sheet1"].rows):
        if row[-1] in _COMMENTS_CONTACT:
            mess.add("comment_with_contact", f.name, r, column, row[-1], "phone/e-mail scrubbed")


def _form_file(rng: np.random.Generator, mess: Mess, pid: str, sh: Sheet,
               duplicates: set[int]) -> RawFile:  # fmt: skip
    """``reaksi_<pid>.csv``: the rows sorted by time, then the form's mess."""
    ts = sh.col("Timestamp")
    sh.rows.sort(key=lambda r: dt.datetime.strptime(r[ts], "%d/%m/%Y %H:%M:%S"))
    f = RawFile(f"reaksi_{pid}.csv", {"Sheet1": sh}, "Google Forms",
                ["Likert words", "duplicate submissions", "NIPs typed by participants",
                 "missing answers"], bom=(pid == "PPR"))  # fmt: skip
    if pid == "MWT":
        f.quirks.append(f"cohort {ENGLISH_COHORT} answered with English labels")
    if f.bom:
        f.quirks.append("UTF-8 byte-order mark")
        mess.add("utf8_bom", f.name, -1, None, None, "read as UTF-8")
    _record_duplicates(mess, f, duplicates)
    mangle_nips(rng, mess, f, "Sheet1", "NIP", _NIP_PLANS[pid])
    _missing_answers(rng, mess, f)
    if pid == "KST":
        _unknown_label(rng, mess, f)
    if pid == "KMP":
        _future_timestamp(rng, mess, f)
    _record_contacts(mess, f, "Saran dan komentar")
    return f


def reaction(
    rng: np.random.Generator, world: World, mess: Mess
) -> tuple[list[RawFile], dict[str, Any]]:
    """Google Forms reaction surveys (one per program) and the LMS survey.

    Returns the files (forms by program, then the LMS survey) and the truth's
    ``item_offsets`` (item id -> latent offset).

    Examples
    --------
    >>> from evalkit.data.demo.world import build_world
    >>> rng = np.random.default_rng(0)
    >>> files, info = reaction(rng, build_world(rng), Mess())
    >>> [f.name for f in files][-2:], len(info["item_offsets"])
    (['reaksi_SPBE.csv', 'survei_lms_SPBE-2024-02.csv'], 17)
    """
    offsets = dict(zip(REACTION_ITEMS, rng.normal(0, 0.12, len(REACTION_ITEMS)), strict=True))
    lms_offsets = dict(zip(LMS_ITEMS, rng.normal(0, 0.12, len(LMS_ITEMS)), strict=True))
    sheets, lms, duplicates = _answer_rows(rng, world, offsets, lms_offsets)
    files = [_form_file(rng, mess, pid, sh, duplicates) for pid, sh in sheets.items()]
    lms.rows.sort(key=lambda r: r[0])
    lf = RawFile(f"survei_lms_{LMS_COHORT}.csv", {"Sheet1": lms}, "LMS export",
                 ["4-point scale Sangat Kurang..Sangat Baik", "ISO timestamps"])  # fmt: skip
    _record_contacts(mess, lf, "Masukan")
    files.append(lf)
    n_english = sum(1 for row in sheets["MWT"].rows if row[3] == ENGLISH_COHORT)
    mess.add("english_likert_labels", "reaksi_MWT.csv", -1, None, ENGLISH_COHORT,
             f"mapped through setuju5 ({n_english} rows)")  # fmt: skip
    info = {"item_offsets": {k: round(float(v), 6) for k, v in offsets.items()}}
    return files, info
