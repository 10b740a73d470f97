"""What the columns of one export are: their roles, Likert items, test items and dimensions.

:func:`guess_source` reads one :class:`~evalkit.data.onboard.sources.Source`
column by column. A column is a Likert item when its answers fit a known label
set (:func:`~evalkit.data.onboard.likert.guess_likert`) and its header names
no other role; a test item when its header is ``Soal 3``-like and its answers
right/wrong; otherwise its header is matched against :data:`ROLE_PATTERNS`
(the last part of a KoboToolbox ``group/field`` header, an SPSS variable's
label too) and the role is taken only when the values confirm it: a NIP
column must mostly hold valid NIPs, a date column dates, a score column
numbers. :func:`item_dimension` places a reaction item in one of the five
dimensions from the words of its group, question or header.

Examples
--------
>>> norm_header("identitas/Nama_Lengkap"), norm_header("Gol/Ruang")
('nama lengkap', 'gol/ruang')
>>> question("Penilaian Narasumber [Narasumber menguasai materi]")
('Penilaian Narasumber', 'Narasumber menguasai materi')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from evalkit.data.onboard.likert import answer_label, guess_likert
from evalkit.data.onboard.sources import Source

# --- column roles -------------------------------------------------------------------
#: Output column -> pattern on the normalised header (last ``group/`` part, ``_`` as
#: space). Tried in this order; the first column matching a role takes it.
ROLE_PATTERNS: tuple[tuple[str, str], ...] = (
    ("submitted_at", r"timestamp|submission time|submitted( at)?|(stempel|cap) waktu|"
                     r"waktu (pengisian|submit|kirim)|tanggal pengisian|waktu"),
    ("nip", r"(no\.? |nomor )?nip( baru| peserta| pegawai| alumni)?|nomor induk pegawai|nip/nrp"),
    ("months_after", r"bulan ke.*|months? after.*|bulan setelah.*|bulan pasca.*"),
    ("batch", r"angkatan ke.*|batch( no\.?| number)?|angkatan \(ke\)"),
    ("cohort_id", r"(kode |no\.? )?(angkatan|kelas|cohort|rombel)( pelatihan)?|"
                  r"kode (pelatihan|diklat)|cohort (id|code)|class code"),
    ("program_id", r"kode program|program (id|code)"),
    ("program_name", r"(nama |judul )?(pelatihan|program|diklat)|program name|course( name)?"),
    ("name", r"nama( lengkap)?( dan gelar)?( peserta| pegawai| alumni| asn)?|"
             r"(full )?name|nama \(.*\)"),
    ("skill_type", r"jenis (kompetensi|pelatihan)|skill type"),
    ("start_date", r"(tanggal|tgl\.?) (mulai|awal)|mulai|start( date)?"),
    ("end_date", r"(tanggal|tgl\.?) (selesai|akhir)|selesai|end date"),
    ("delivery", r"metode( pembelajaran| pelatihan)?|moda( pembelajaran)?|delivery( mode)?|"
                 r"model pembelajaran"),
    ("facilitator_type", r"(jenis |latar belakang )?narasumber|facilitator( type)?"),
    ("jp", r"jp|jpl|jam pelajaran|jumlah jp|lesson hours"),
    ("sex", r"jenis kelamin|l/p|jk|sex|gender"),
    ("golongan", r"gol\.?( ?/ ?ruang)?|golongan( ?/ ?ruang)?|pangkat ?/ ?gol(ongan)?|grade"),
    ("position_type", r"jenis jabatan|position type|kategori jabatan"),
    ("unit", r"unit( kerja| organisasi| layanan)?|opd|perangkat daerah|instansi|"
             r"satuan kerja|skpd|satker|work unit"),
    ("pre", r".*(pre.?test|pretest|tes awal|nilai awal|skor awal).*|pre|nilai pre"),
    ("post", r".*(post.?test|posttest|tes akhir|nilai akhir|skor akhir).*|post|nilai post"),
    ("phase", r"jenis tes|tahap( tes)?|phase|pre ?/ ?post"),
    ("project_status", r"(status )?(aksi perubahan|proyek perubahan)( status)?|status"),
    ("amount_idr", r"jumlah( \(rp\)| rp| biaya)?|biaya.*|anggaran.*|amount.*|nilai \(rp\)|"
                   r"total( \(rp\))?"),
    ("category", r"komponen( biaya)?|kategori|category|uraian|jenis biaya"),
    ("comment", r".*\b(saran|komentar|masukan|kesan|pesan|catatan|comments?|suggestions?|"
                r"feedback)\b.*"),
)  # fmt: skip


_ROLE_RE = tuple(
    (role, re.compile(rf"(?:{pattern})", re.IGNORECASE)) for role, pattern in ROLE_PATTERNS
)


#: KoboToolbox and form metadata columns, never used.
_META = re.compile(
    r"_id|_uuid|_index|_status|_submitted_by|__version__|_version|_validation_status|_notes|"
    r"_tags|_parent_index|_parent_table_name|meta/instanceid|instanceid|start|end|today|"
    r"deviceid|simserial|subscriberid|phonenumber|username|no\.?|nomor|#|email address|"
    r"alamat email|e-?mail",
    re.IGNORECASE,
)


_TEST_ITEM = re.compile(r"(soal|butir|item|pertanyaan|q|no\.?)\s*\d+", re.IGNORECASE)


_TEST_ANSWERS = {"0", "1", "benar", "salah", "b", "s", "true", "false", "ya", "tidak"}


#: Words of a file, sheet or header that mark a follow-up (Level 3) form.
FOLLOWUP_CUES = re.compile(
    r"tindak.?lanjut|follow.?up|alumni|atasan|pasca|perilaku|behaviou?r|monitoring|"
    r"evaluasi.?pasca|mentor|supervisor",
    re.IGNORECASE,
)


_RATER_ID = re.compile(r"atasan|supervisor|mentor|penilai|rater|pengisi", re.IGNORECASE)


#: Words of a file or header that mark a form answered by the supervisor.
SUPERVISOR_CUES = re.compile(r"atasan|supervisor|mentor|pimpinan", re.IGNORECASE)


#: Reaction dimension -> cue pattern on the question (and its group).
DIMENSION_CUES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (dim, re.compile(pattern, re.IGNORECASE))
    for dim, pattern in (
        ("facilitator", r"\b(narasumber|widyaiswara|fasilitator|pengajar|instruktur|"
                        r"facilitators?|trainers?|speakers?|coach)\b"),
        ("relevance", r"\b(relevan\w*|sesuai dengan (kebutuhan|tugas)|kesesuaian|menerapkan|"
                      r"manfaat|bermanfaat|relevance|apply|useful)\b"),
        ("facilities", r"\b(sarana|prasarana|ruang\w*|fasilitas|konsumsi|platform|lms|"
                       r"internet|aplikasi|akses|facilities|room|venue|equipment|lcd|"
                       r"proyektor)\b"),
        ("organisation", r"\b(penyelenggara\w*|panitia|jadwal|waktu|organi[sz]\w*|schedule|"
                         r"informasi|administrasi)\b"),
        ("content", r"\b(materi|modul|bahan ajar|kurikulum|content|materials?|topik|isi)\b"),
    )
)  # fmt: skip


#: Roles of the participant roster beyond NIP, name and cohort.
PERSON_ROLES = ("sex", "golongan", "position_type", "unit")


def norm_header(header: str) -> str:
    """Header as matched against the role patterns: last Kobo group part, ``_`` as space.

    Examples
    --------
    >>> norm_header("perilaku/b1"), norm_header("Nama_Lengkap*"), norm_header("Pre/Post")
    ('b1', 'nama lengkap', 'pre/post')
    """
    text = str(header).strip().rstrip("*").strip()
    if "/" in text and not re.search(r"\s/|/\s|\bl/p\b|gol|ruang|pangkat|pre|post|nrp", text, re.I):
        text = text.rsplit("/", 1)[-1]
    return re.sub(r"[\s_]+", " ", text).strip().casefold()


def question(header: str, label: str | None = None) -> tuple[str, str]:
    """(group, question text) of an item header: ``Group [Question]``, ``group/field``.

    Examples
    --------
    >>> question("identitas/nama_lengkap"), question("q5", label="Materi pelatihan jelas")
    (('identitas', 'nama lengkap'), ('', 'Materi pelatihan jelas'))
    """
    if label:
        return "", label
    text = str(header).strip()
    grid = re.fullmatch(r"(.*?)\s*\[(.+)\]\s*", text)
    if grid:
        return grid[1], grid[2]
    if "/" in text:
        group, _, rest = text.rpartition("/")
        return group, rest.replace("_", " ")
    return "", text


# --- guessing roles -----------------------------------------------------------------
@dataclass
class Item:
    """A Likert item of a source: header, question text and group, label set, answers."""

    header: str
    text: str
    group: str
    scale: str
    scores: pd.Series


@dataclass
class Guess:
    """What one source looks like: column roles, Likert items, test items.

    ``roles`` maps a role (:data:`ROLE_PATTERNS`) to the header that holds it;
    ``dates`` maps a date header to ``"date"`` or ``"datetime"``.
    """

    source: Source
    roles: dict[str, str] = field(default_factory=dict)
    items: list[Item] = field(default_factory=list)
    test_items: list[str] = field(default_factory=list)
    dates: dict[str, str] = field(default_factory=dict)  # header -> "date"/"datetime"
    notes: dict[str, str] = field(default_factory=dict)

    @property
    def frame(self) -> pd.DataFrame:
        """The source's table."""
        return self.source.frame


def nonblank(series: pd.Series) -> list[str]:
    """The non-blank values of a column, as text.

    Examples
    --------
    >>> nonblank(pd.Series(["A1", " ", "", "A2"]))
    ['A1', 'A2']
    """
    return [str(v) for v in series.tolist() if str(v).strip() != ""]


def _share(values: list[str], ok: Any) -> float:
    return sum(1 for v in values if ok(v)) / len(values) if values else 0.0


def _date_kind(values: list[str]) -> str | None:
    from evalkit.data.parse import parse_datetime

    if not values:
        return None
    parsed = [parse_datetime(v)[0] for v in values[:500]]
    good = [p for p in parsed if p is not None]
    if len(good) / len(parsed) < 0.9:
        return None
    timed = any(p.hour or p.minute or p.second for p in good)
    return "datetime" if timed else "date"


def _number_share(values: list[str]) -> float:
    from evalkit.data.parse import parse_number

    return _share(values[:500], lambda v: parse_number(v)[0] is not None)


def _nip_share(values: list[str]) -> float:
    from evalkit.data.nip import parse_nip

    return _share(values[:500], lambda v: parse_nip(v)[0] is not None)


def _is_meta(header: str, key: str, label: str | None) -> bool:
    """A KoboToolbox or form metadata column (the submission time excepted)."""
    meta = _META.fullmatch(key) or _META.fullmatch(str(header).strip())
    return key != "submission time" and bool(meta) and not label


def _header_roles(key: str, label: str | None) -> list[str]:
    """Roles whose pattern matches the header (then the SPSS label), in pattern order."""
    roles = [role for role, rx in _ROLE_RE if rx.fullmatch(key)]
    if label:
        roles += [r for r, rx in _ROLE_RE if rx.fullmatch(norm_header(label))]
    return roles


def _likert_scale(header: str, key: str, label: str | None, values: list[str],
                  text_roles: list[str]) -> str | None:  # fmt: skip
    """The label set of a column that is a Likert item, else None.

    Numbers-only answers make an item only under a long header that names no
    role; a header naming a role other than comment, unit or program name is
    not an item.
    """
    scale = guess_likert(values)
    long_header = len(key) >= 12 or "[" in header or bool(label)
    if scale is not None and (not scale[0].startswith("angka") or (long_header and not text_roles)):
        if not text_roles or text_roles[0] in ("comment", "unit", "program_name"):
            return scale[0]
    return None


def _is_test_item(key: str, values: list[str]) -> bool:
    return bool(_TEST_ITEM.fullmatch(key)) and {answer_label(v) for v in values} <= _TEST_ANSWERS


def _values_fit(role: str, key: str, values: list[str], kind: str | None) -> bool:
    """Whether a column's values confirm a role its header names."""
    if role in ("nip", "name") and _RATER_ID.search(key):
        return False  # the rater's own NIP or name, not the participant's
    if role == "nip" and _nip_share(values) < 0.5:
        return False
    if role in ("pre", "post", "jp", "amount_idr", "batch", "months_after") and (
        _number_share(values) < 0.8
    ):
        return False
    if role in ("start_date", "end_date", "submitted_at") and kind is None:
        return False
    if role in ("name", "cohort_id", "program_name", "comment", "category") and (
        kind is not None or _number_share(values) > 0.9 and role != "cohort_id"
    ):
        return False
    return True


def _column_role(taken: dict[str, str], key: str, values: list[str], kind: str | None,
                 text_roles: list[str]) -> str | None:  # fmt: skip
    """The first role the header names that is free and that the values confirm.

    A column of valid NIPs under another header is the NIP column when there
    is none yet.
    """
    for candidate in text_roles:
        if candidate not in taken and _values_fit(candidate, key, values, kind):
            return candidate
    if "nip" not in taken and not _RATER_ID.search(key) and _nip_share(values) >= 0.8:
        return "nip"
    return None


def guess_source(source: Source) -> Guess:
    """Guess the roles, Likert items and test items of one source's columns.

    Examples
    --------
    >>> frame = pd.DataFrame({"NIP": ["198505122010011002", "199001012015032001"],
    ...                       "Kelas": ["K1", "K1"], "Materi jelas": ["Setuju", "Sangat Setuju"]})
    >>> g = guess_source(Source("reaksi.csv", None, 1, frame))
    >>> g.roles, [(it.header, it.scale) for it in g.items]
    ({'nip': 'NIP', 'cohort_id': 'Kelas'}, [('Materi jelas', 'setuju4')])
    """
    guess = Guess(source)
    frame = source.frame
    for header in frame.columns:
        label = source.labels.get(header)
        key = norm_header(header)
        values = nonblank(frame[header])
        if _is_meta(header, key, label) or not values:
            continue
        text_roles = _header_roles(key, label)
        scale = _likert_scale(header, key, label, values, text_roles)
        if scale is not None:
            group, text = question(header, label)
            guess.items.append(Item(header, text, group, scale, frame[header]))
            continue
        if _is_test_item(key, values):
            guess.test_items.append(header)
            continue
        kind = _date_kind(values) if len(values) else None
        role = _column_role(guess.roles, key, values, kind, text_roles)
        if role is not None:
            guess.roles[role] = header
            if kind is not None:
                guess.dates[header] = kind
    return guess


def item_dimension(item: Item) -> str | None:
    """The reaction dimension of an item: cues in its group, else its question, else its header.

    Examples
    --------
    >>> item_dimension(Item("Sarana [Ruang kelas nyaman]", "Ruang kelas nyaman", "Sarana", "setuju4",
    ...                     pd.Series(dtype=object)))
    'facilities'
    """
    return (
        next((d for d, rx in DIMENSION_CUES if item.group and rx.search(item.group)), None)
        or next((d for d, rx in DIMENSION_CUES if rx.search(item.text)), None)
        or next((d for d, rx in DIMENSION_CUES if rx.search(str(item.header))), None)
    )
