"""Onboarding a study from the user's own exports: propose a codebook, check the raw files.

An evaluator arrives with a folder of exports (Google Forms CSV, KoboToolbox
XLSX with ``group/field`` headers, hand-kept Excel sheets, SPSS ``.sav`` files
with value labels). :func:`propose_codebook` reads them and guesses a codebook
in the format of ``docs/data-model.md``: what each file is (cohort list,
participant roster, reaction survey, pre/post test, follow-up, costs), the role
of each column (NIP, name, cohort code, unit, dates and timestamps, pre/post
scores), the Likert label set of each question with its direction (the known
Indonesian and English 4- and 5-point sets), which questions are negatively
worded (reverse-keyed candidates), canonical unit names with their variants,
and value maps for categorical columns. :func:`init_study` writes it as
``codebook.yaml`` with a ``# REVIEW:`` comment on every guess the user must
confirm, never overwriting an existing codebook unless asked.

:func:`check_study` then validates the raw files against the codebook and lists
what cleaning would quarantine, drop or repair, and why (file, row, column,
reason), before anything is cleaned. It runs the cleaning code itself
(:func:`evalkit.data.clean.clean_study`) into a temporary folder, so the check and
the cleaning can never disagree.

Examples
--------
>>> guess_likert(["Setuju", "Sangat setuju", "Tidak Setuju", "Setuju"] * 10)
('setuju4', 4)
>>> guess_likert(["Baik", "Cukup", "Sangat Baik"])
('baik5', 5)
>>> negatively_worded("Jadwal pelatihan terlalu padat"), negatively_worded("Materi jelas")
(True, False)
"""

from __future__ import annotations

import datetime as _dt
import difflib
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from evalkit import constants as C
from evalkit.errors import CodebookError, DataError, EvalkitError, ParameterError

#: File suffixes read when inspecting a study folder.
RAW_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".sav")


#: Marker of every line of a proposed codebook that needs the user's review.
REVIEW = "REVIEW"


#: Rows inspected above a header to find it (title rows of hand-kept sheets).
HEADER_SCAN_ROWS = 15


#: Share of non-blank answers a Likert set must explain for a column to be an item.
LIKERT_MATCH_SHARE = 0.95


#: What init and check say when no export is a cohort list.
NO_COHORT_LIST = (
    "no cohort list (daftar angkatan): cleaning works, but `evalkit report` needs a "
    "`cohorts` table (cohort code, program, dates); add the export and map it "
    "(docs/guide.en.md, section 3, 'The cohort list')"
)


#: Labels whose score depends on the form: mapped to the midpoint only when answers use
#: them, and then marked REVIEW with this explanation.
AMBIGUOUS_LABELS: dict[str, str] = {
    "kurang setuju": "right when it is the middle of five options (sangat tidak setuju, "
    "tidak setuju, kurang setuju, setuju, sangat setuju), but it often means mild "
    "disagreement (2), above all beside 'netral'; set the score your form meant",
    "cukup setuju": "right when it is the middle of five options, but it often means mild "
    "agreement (4), above all beside 'netral'; set the score your form meant",
}


#: Smallest number of answers without a midpoint for a 4-point guess to be trusted.
MIDPOINT_EVIDENCE = 20


# --- known Likert label sets ------------------------------------------------------
#: Label families: name -> {points: {label: score}}, Indonesian and English labels
#: together (bilingual forms mix them). The 5-point variant has a midpoint the
#: 4-point one lacks; a column whose answers never use it is read
#: as 4-point (with a REVIEW note when there are few answers).
LIKERT_FAMILIES: dict[str, dict[int, dict[str, int]]] = {
    "setuju": {
        5: {"sangat tidak setuju": 1, "tidak setuju": 2, "netral": 3, "ragu-ragu": 3,
            "ragu ragu": 3, "kurang setuju": 3, "cukup setuju": 3, "setuju": 4,
            "sangat setuju": 5, "strongly disagree": 1, "disagree": 2, "neutral": 3,
            "neither agree nor disagree": 3, "agree": 4, "strongly agree": 5},
        4: {"sangat tidak setuju": 1, "tidak setuju": 2, "setuju": 3, "sangat setuju": 4,
            "strongly disagree": 1, "disagree": 2, "agree": 3, "strongly agree": 4},
    },
    "baik": {
        5: {"sangat kurang": 1, "sangat tidak baik": 1, "sangat buruk": 1, "kurang": 2,
            "kurang baik": 2, "buruk": 2, "cukup": 3, "cukup baik": 3, "sedang": 3, "baik": 4,
            "sangat baik": 5, "very poor": 1, "poor": 2, "fair": 3, "average": 3, "good": 4,
            "very good": 5, "excellent": 5},
        4: {"sangat kurang": 1, "sangat kurang baik": 1, "tidak baik": 1, "sangat buruk": 1,
            "kurang": 2, "kurang baik": 2, "buruk": 2, "baik": 3, "sangat baik": 4,
            "very poor": 1, "poor": 2, "good": 3, "very good": 4, "excellent": 4},
    },
    "puas": {
        5: {"sangat tidak puas": 1, "tidak puas": 2, "cukup puas": 3, "netral": 3, "puas": 4,
            "sangat puas": 5, "very dissatisfied": 1, "dissatisfied": 2, "neutral": 3,
            "satisfied": 4, "very satisfied": 5},
        4: {"sangat tidak puas": 1, "tidak puas": 2, "puas": 3, "sangat puas": 4,
            "very dissatisfied": 1, "dissatisfied": 2, "satisfied": 3, "very satisfied": 4},
    },
    "sesuai": {
        5: {"sangat tidak sesuai": 1, "tidak sesuai": 2, "cukup sesuai": 3, "kurang sesuai": 3,
            "sesuai": 4, "sangat sesuai": 5},
        4: {"sangat tidak sesuai": 1, "tidak sesuai": 2, "sesuai": 3, "sangat sesuai": 4},
    },
    "frekuensi": {
        5: {"tidak pernah": 1, "jarang": 2, "kadang-kadang": 3, "kadang kadang": 3,
            "sering": 4, "selalu": 5, "never": 1, "rarely": 2, "sometimes": 3, "often": 4,
            "always": 5},
    },
}  # fmt: skip


#: Words that mark a negatively worded (reverse-keyed) question, Indonesian and English.
NEGATIVE_CUES = re.compile(
    r"\b(tidak|tak|belum|kurang|terlalu|sulit|sukar|susah|membosankan|bosan|membingungkan|"
    r"bingung|lambat|terlambat|buruk|jelek|sia-sia|mengganggu|berbelit|rumit|kesulitan|"
    r"jenuh|lelah|not|never|too|difficult|hard|boring|confusing|waste|slow|late|poorly)\b",
    re.IGNORECASE,
)


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


_FOLLOWUP_CUES = re.compile(
    r"tindak.?lanjut|follow.?up|alumni|atasan|pasca|perilaku|behaviou?r|monitoring|"
    r"evaluasi.?pasca|mentor|supervisor",
    re.IGNORECASE,
)


_RATER_ID = re.compile(r"atasan|supervisor|mentor|penilai|rater|pengisi", re.IGNORECASE)


_SUPERVISOR_CUES = re.compile(r"atasan|supervisor|mentor|pimpinan", re.IGNORECASE)


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


_PERSON_ROLES = ("sex", "golongan", "position_type", "unit")


def _norm_header(header: str) -> str:
    """Header as matched against the role patterns: last Kobo group part, ``_`` as space."""
    text = str(header).strip().rstrip("*").strip()
    if "/" in text and not re.search(r"\s/|/\s|\bl/p\b|gol|ruang|pangkat|pre|post|nrp", text, re.I):
        text = text.rsplit("/", 1)[-1]
    return re.sub(r"[\s_]+", " ", text).strip().casefold()


def _question(header: str, label: str | None = None) -> tuple[str, str]:
    """(group, question text) of an item header: ``Group [Question]``, ``group/field``."""
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


def negatively_worded(text: str) -> bool:
    """Whether a question is negatively worded (a reverse-keyed candidate).

    Looks for Indonesian and English negation and complaint words
    (:data:`NEGATIVE_CUES`: *tidak*, *kurang*, *terlalu*, *sulit*, *membosankan*,
    *not*, *too*, *difficult*, ...).

    Examples
    --------
    >>> negatively_worded("Materi terlalu sulit dipahami"), negatively_worded("Materi jelas")
    (True, False)
    """
    return bool(NEGATIVE_CUES.search(str(text)))


def _strip_number_prefix(label: str) -> str:
    """``"4 - Setuju"`` -> ``"setuju"`` (numbered answer options)."""
    match = re.fullmatch(r"\(?\d+\)?\s*[-.=:)]\s*(.+)", label)
    return match[1].strip() if match else label


def guess_likert(values: Iterable[object]) -> tuple[str, int] | None:
    """Guess the Likert label set of one column's answers.

    Parameters
    ----------
    values : iterable
        The raw answers (blank ones are ignored).

    Returns
    -------
    tuple of (str, int) or None
        ``(set name, points)``, e.g. ``("setuju5", 5)`` for the answers of one
        family in :data:`LIKERT_FAMILIES`; numbers only (``1`` .. ``k``, ``k`` of
        4 to 7, at least three distinct) give ``("angka<k>", k)``; ``None`` when
        the answers are not a Likert scale. A family with a 4- and a 5-point
        form is 5-point when the midpoint (*netral*, *ragu-ragu*, *cukup*) is
        used, else 4-point.

    Examples
    --------
    >>> guess_likert(["Strongly agree", "Netral", "Setuju"])
    ('setuju5', 5)
    >>> guess_likert(["1", "3", "4", "4"]), guess_likert(["ya", "tidak"])
    (('angka4', 4), None)
    """
    answers = [_strip_number_prefix(_label(v)) for v in values]
    answers = [a for a in answers if a]
    if not answers:
        return None
    counts = Counter(answers)
    total = sum(counts.values())
    best: tuple[int, str, int] | None = None
    for family, forms in LIKERT_FAMILIES.items():
        labels = set().union(*forms.values())
        matched = sum(n for a, n in counts.items() if a in labels)
        if matched / total < LIKERT_MATCH_SHARE or not set(counts) & labels:
            continue
        points = max(forms)
        if 4 in forms and 5 in forms:
            midpoint = set(forms[5]) - set(forms[4])
            points = 5 if any(a in midpoint for a in counts) else 4
        if best is None or matched > best[0]:
            best = (matched, family, points)
    if best is not None:
        return f"{best[1]}{best[2]}", best[2]
    numbers = [a for a in answers if re.fullmatch(r"\d+(?:[.,]0+)?", a)]
    if len(numbers) / total >= LIKERT_MATCH_SHARE:
        ints = {int(re.split(r"[.,]", a)[0]) for a in numbers}
        top = max(ints)
        if min(ints) >= 1 and 4 <= max(top, 4) <= 7 and top <= 7 and len(ints) >= 3:
            top = max(top, 4)
            return f"angka{top}", top
    return None


def _label(value: object) -> str:
    from evalkit.data.codebook import norm_label

    if value is None or (isinstance(value, float) and value != value):
        return ""
    return norm_label(value)


def _likert_set(name: str) -> dict[str, Any]:
    """The codebook entry (max, labels) of a set named by :func:`guess_likert`."""
    match = re.fullmatch(r"([a-z]+?)(\d+)", name)
    if match is None:  # pragma: no cover - names come from guess_likert
        raise ParameterError(f"_likert_set: unknown set {name!r}")
    family, points = match[1], int(match[2])
    if family == "angka":
        return {"max": points, "labels": {str(i): i for i in range(1, points + 1)}}
    return {"max": points, "labels": dict(LIKERT_FAMILIES[family][points])}


def _direction(name: str) -> str:
    entry = _likert_set(name)
    by_score: dict[int, str] = {}
    for label, score in entry["labels"].items():
        by_score.setdefault(score, label)
    low, high = by_score[1], by_score[entry["max"]]
    if name.startswith("angka"):
        return (
            f"numbers 1..{entry['max']} only: check that {entry['max']} is the positive end "
            "and the scale's maximum"
        )
    return f"1 = {low!r} ... {entry['max']} = {high!r}"


# --- reading the raw files ----------------------------------------------------------
@dataclass
class _Source:
    """One readable table of the study folder: a CSV, an XLSX sheet or a .sav file."""

    file: str
    sheet: str | None
    header_row: int
    frame: pd.DataFrame
    labels: dict[str, str] = field(default_factory=dict)  # SPSS variable labels

    @property
    def where(self) -> str:
        return self.file + (f" (sheet {self.sheet!r})" if self.sheet else "")


def _header_row(rows: Sequence[Sequence[str]]) -> int:
    """1-based row of the header: the first row nearly as full as the fullest of the top rows."""
    top = [sum(1 for c in r if str(c).strip()) for r in rows[:HEADER_SCAN_ROWS]]
    if not top or max(top) == 0:
        return 1
    widest = max(top)
    for i, n in enumerate(top):
        if n >= max(2, 0.8 * widest) or (widest < 2 and n):
            return i + 1
    return 1  # pragma: no cover - the widest row always qualifies


def _sources(raw_dir: Path, problems: list[str]) -> list[_Source]:
    from evalkit.io.excel import read_excel_rows
    from evalkit.io.readers import EXCEL_SUFFIXES, read_table
    from evalkit.io.spss import read_sav
    from evalkit.io.text import read_text_rows

    out: list[_Source] = []
    files = sorted(
        p for p in raw_dir.rglob("*")
        if p.is_file() and p.suffix.lower() in RAW_SUFFIXES
        and not p.name.startswith(("~$", ".")) and p.name != "codebook.yaml"
    )  # fmt: skip
    for path in files:
        rel = path.relative_to(raw_dir).as_posix()
        suffix = path.suffix.lower()
        try:
            if suffix == ".sav":
                frame = read_sav(path)
                out.append(_Source(rel, None, 1, frame, frame.attrs.get("variable_labels", {})))
                continue
            if suffix in EXCEL_SUFFIXES:
                import openpyxl

                book = openpyxl.load_workbook(path, read_only=True)
                sheets = list(book.sheetnames)
                book.close()
                for i, sheet in enumerate(sheets):
                    rows = read_excel_rows(path, sheet)
                    if not any(any(str(c).strip() for c in r) for r in rows):
                        continue
                    row = _header_row(rows)
                    frame = read_table(path, sheet=sheet, header_row=row)
                    out.append(_Source(rel, None if i == 0 and len(sheets) == 1 else sheet,
                                       row, frame))  # fmt: skip
                continue
            rows = read_text_rows(path)
            row = _header_row(rows)
            out.append(_Source(rel, None, row, read_table(path, header_row=row)))
        except EvalkitError as err:
            problems.append(f"{rel}: not read ({err})")
        except Exception as err:  # a damaged workbook can raise many kinds
            problems.append(f"{rel}: not read ({type(err).__name__}: {err})")
    return out


# --- guessing roles -----------------------------------------------------------------
@dataclass
class _Item:
    header: str
    text: str
    group: str
    scale: str
    scores: pd.Series


@dataclass
class _Guess:
    """What one source looks like: column roles, Likert items, test items."""

    source: _Source
    roles: dict[str, str] = field(default_factory=dict)
    items: list[_Item] = field(default_factory=list)
    test_items: list[str] = field(default_factory=list)
    dates: dict[str, str] = field(default_factory=dict)  # header -> "date"/"datetime"
    notes: dict[str, str] = field(default_factory=dict)

    @property
    def frame(self) -> pd.DataFrame:
        return self.source.frame


def _nonblank(series: pd.Series) -> list[str]:
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


def _guess_source(source: _Source) -> _Guess:
    from evalkit.data.nip import parse_nip

    guess = _Guess(source)
    frame = source.frame
    for header in frame.columns:
        label = source.labels.get(header)
        key = _norm_header(header)
        values = _nonblank(frame[header])
        meta = _META.fullmatch(key) or _META.fullmatch(str(header).strip())
        if key != "submission time" and meta and not label:
            continue
        if not values:
            continue
        scale = guess_likert(values)
        long_header = len(key) >= 12 or "[" in header or bool(label)
        text_roles = [role for role, rx in _ROLE_RE if rx.fullmatch(key)]
        if label:
            text_roles += [r for r, rx in _ROLE_RE if rx.fullmatch(_norm_header(label))]
        if scale is not None and (
            not scale[0].startswith("angka") or (long_header and not text_roles)
        ):
            if not text_roles or text_roles[0] in ("comment", "unit", "program_name"):
                group, text = _question(header, label)
                guess.items.append(_Item(header, text, group, scale[0], frame[header]))
                continue
        if _TEST_ITEM.fullmatch(key) and {_label(v) for v in values} <= _TEST_ANSWERS:
            guess.test_items.append(header)
            continue
        kind = _date_kind(values) if len(values) else None
        role = None
        for candidate in text_roles:
            if candidate in guess.roles:
                continue
            if candidate in ("nip", "name") and _RATER_ID.search(key):
                continue  # the rater's own NIP or name, not the participant's
            if (
                candidate == "nip"
                and _share(values[:500], lambda v: parse_nip(v)[0] is not None) < 0.5
            ):
                continue
            if candidate in ("pre", "post", "jp", "amount_idr", "batch", "months_after") and (
                _number_share(values) < 0.8
            ):
                continue
            if candidate in ("start_date", "end_date", "submitted_at") and kind is None:
                continue
            if candidate in ("name", "cohort_id", "program_name", "comment", "category") and (
                kind is not None or _number_share(values) > 0.9 and candidate != "cohort_id"
            ):
                continue
            role = candidate
            break
        if role is None and "nip" not in guess.roles and not _RATER_ID.search(key):
            if _share(values[:500], lambda v: parse_nip(v)[0] is not None) >= 0.8:
                role = "nip"
        if role is not None:
            guess.roles[role] = header
            if kind is not None:
                guess.dates[header] = kind
    return guess


# --- building the proposal ----------------------------------------------------------
#: Synonyms of categorical values beyond the demo codebook's value maps.
EXTRA_VALUES: dict[str, dict[str, str]] = {
    "sex": {"laki laki": "L", "pria": "L", "male": "L", "m": "L", "wanita": "P",
            "female": "P", "f": "P", "w": "P"},
    "position_type": {"administrator": "struktural", "jabatan pelaksana": "pelaksana",
                      "jabatan fungsional": "fungsional", "jpt": "struktural"},
    "delivery": {"online": "e-learning", "offline": "klasikal", "hybrid": "blended",
                 "bauran": "blended", "campuran": "blended", "tatap muka (luring)": "klasikal"},
    "facilitator_type": {"academic": "academic", "practitioner": "practitioner",
                         "dosen": "academic", "widyaiswara": "practitioner"},
    "phase": {"pre": "pre", "post": "post", "awal": "pre", "akhir": "post",
              "tes awal": "pre", "tes akhir": "post"},
}  # fmt: skip


_ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV"}


def _known_values() -> dict[str, dict[str, str]]:
    """Known raw label -> canonical maps: the demo codebook's plus :data:`EXTRA_VALUES`."""
    import yaml

    from evalkit.data.codebook import norm_label

    path = Path(__file__).with_name("demo_codebook.yaml")
    demo = yaml.safe_load(path.read_text(encoding="utf-8")).get("values", {})
    out: dict[str, dict[str, str]] = {}
    for name, mapping in {**demo}.items():
        out[name] = {norm_label(k): str(v) for k, v in mapping.items()}
    for name, mapping in EXTRA_VALUES.items():
        out.setdefault(name, {}).update({norm_label(k): v for k, v in mapping.items()})
    return out


def _golongan(text: str) -> str | None:
    match = re.search(r"\b(IV|III|II|I|[1-4])\s*[/\-.]?\s*([a-e])\b", str(text), re.IGNORECASE)
    if not match:
        return None
    group = _ROMAN.get(match[1], match[1].upper())
    value = f"{group}/{match[2].lower()}"
    return value if value in C.GOLONGAN_PNS else None


def slug(text: object) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", str(text).casefold()).strip("_")
    return slug or "x"


@dataclass
class Proposal:
    """A proposed codebook and what the user must review.

    Attributes
    ----------
    data : dict
        The codebook as parsed YAML (valid for :func:`evalkit.data.codebook.parse_codebook`).
    notes : dict of str to str
        Key path (``tables.reaction.items.content_1``) -> what to review there.
    unused : list of str
        Files and sheets not used, each with the reason.
    """

    data: dict[str, Any]
    notes: dict[str, str] = field(default_factory=dict)
    unused: list[str] = field(default_factory=list)

    def note(self, path: str, text: str) -> None:
        """Add a review note to a key path (several notes are joined)."""
        self.notes[path] = f"{self.notes[path]}; {text}" if path in self.notes else text


def _files_entry(sources: Sequence[_Source], raw_dir: Path) -> list[str]:
    """File names of a group of same-shaped sources; one glob per suffix when it
    matches exactly them (``peserta_*.xlsx``, ``peserta_*.csv``)."""
    names = sorted({s.file for s in sources})
    if len(names) == 1:
        return names
    out: list[str] = []
    by_suffix: dict[str, list[str]] = {}
    for name in names:
        by_suffix.setdefault(Path(name).suffix, []).append(name)
    for suffix, group in sorted(by_suffix.items(), key=lambda kv: kv[1][0]):
        prefix = group[0]
        for name in group[1:]:
            while not name.startswith(prefix):
                prefix = prefix[:-1]
        cut = max(prefix.rfind("_"), prefix.rfind("-"), prefix.rfind("/"))
        if len(group) > 1 and cut >= 0:
            pattern = prefix[: cut + 1] + "*" + suffix
            matches = sorted(p.relative_to(raw_dir).as_posix() for p in raw_dir.glob(pattern)
                             if p.is_file())  # fmt: skip
            if matches == group:
                out.append(pattern)
                continue
        out.extend(group)
    return out


def _proposal(raw_dir: Path, study: str | None = None) -> Proposal:
    from evalkit.data.codebook import norm_label
    from evalkit.data.schema import VOCABULARIES

    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise DataError("study folder does not exist", file=str(raw_dir))
    problems: list[str] = []
    sources = _sources(raw_dir, problems)
    if not sources:
        raise DataError(
            "no readable export found (looked for "
            + ", ".join(RAW_SUFFIXES) + ")" + (f"; {'; '.join(problems)}" if problems else ""),
            file=str(raw_dir),
        )  # fmt: skip
    study = study or slug(raw_dir.name).replace("_", "-")
    prop = Proposal(
        data={
            "study": study,
            "title": {
                "id": f"Evaluasi pelatihan ({study})",
                "en": f"Training evaluation ({study})",
            },
        },
        unused=list(problems),
    )
    prop.note("title", f"{REVIEW}: the report title, in Indonesian and English")
    guesses = [_guess_source(s) for s in sources]

    # group sources of the same shape (same headers, same sheet): one codebook entry each
    groups: dict[tuple[Any, ...], list[_Guess]] = {}
    for g in guesses:
        key = (tuple(g.frame.columns), g.source.header_row)
        groups.setdefault(key, []).append(g)

    def kind_of(g: _Guess) -> list[str]:
        roles, kinds = g.roles, []
        person = "nip" in roles or "name" in roles
        text = " ".join([g.source.file, g.source.sheet or "", *map(str, g.frame.columns)])
        if "amount_idr" in roles and "category" in roles and "cohort_id" in roles:
            kinds.append("costs")
        if len(g.items) >= 2 and person:
            followup = _FOLLOWUP_CUES.search(text) or "months_after" in roles
            kinds.append("followup" if followup else "reaction")
        if len(g.test_items) >= 3 and person:
            kinds.append("test_items")
        if person and ("pre" in roles or "post" in roles):
            kinds.append("learning")
        if person and "project_status" in roles and not g.items:
            kinds.append("projects")
        if (
            not person
            and "cohort_id" not in roles
            and "program_id" in roles
            and ("program_name" in roles)
        ):
            kinds.append("programs")
        if (
            not person
            and "cohort_id" in roles
            and not g.items
            and ({"start_date", "end_date", "jp", "delivery", "program_name", "batch"} & set(roles))
        ):
            kinds.append("cohorts")
        return kinds

    group_kinds = {key: kind_of(gs[0]) for key, gs in groups.items()}
    # the participant roster: the person source with the most person attributes
    roster_key, roster_score = None, 0
    for key, gs in groups.items():
        roles = gs[0].roles
        if ("nip" in roles or "name" in roles) and "cohort_id" in roles:
            score = sum(r in roles for r in _PERSON_ROLES) * 10
            if score and not group_kinds[key]:
                score += 5  # a file that is only a roster
            if re.search(r"peserta|roster|daftar|participant", gs[0].source.file, re.I):
                score += 3
            if score > roster_score:
                roster_key, roster_score = key, score
    if roster_key is not None:
        group_kinds[roster_key] = ["participants", *group_kinds[roster_key]]

    # cohort ids seen anywhere, to fill a missing cohort column
    cohort_ids: set[str] = set()
    for g in guesses:
        if "cohort_id" in g.roles:
            cohort_ids |= {v.strip() for v in _nonblank(g.frame[g.roles["cohort_id"]])}

    known = _known_values()
    likert: dict[str, dict[str, Any]] = {}
    seen: dict[str, Counter[str]] = {}  # likert set -> answers observed
    values: dict[str, dict[str, str]] = {}
    unit_names: Counter[str] = Counter()
    tables: dict[str, dict[str, Any]] = {}
    used: set[tuple[str, str | None]] = set()

    def table_key(table: str, gs: list[_Guess]) -> str:
        if table not in tables:
            return table
        stem = slug(Path(gs[0].source.file).stem if len(gs) == 1 else gs[0].source.sheet or "")
        key, n = f"{table}_{stem}", 2
        while key in tables:
            key, n = f"{table}_{stem}_{n}", n + 1
        return key

    def value_map(role: str, observed: list[str], path: str) -> str | None:
        """Name of a value map covering the observed values (REVIEW when some are unknown)."""
        mapping: dict[str, str] = {}
        unknown: list[str] = []
        vocab = VOCABULARIES.get(role)
        for raw in sorted({v.strip() for v in observed}):
            key = norm_label(raw)
            target = known.get(role, {}).get(key)
            if role == "golongan":
                target = target or _golongan(raw)
            if target is None and vocab is not None and key in {norm_label(v) for v in vocab}:
                target = next(v for v in vocab if norm_label(v) == key)
            if target is None:
                unknown.append(raw)
            else:
                mapping[key] = target
        if not mapping:
            return None
        name = role if role not in values or values[role] == mapping else f"{role}_{len(values)}"
        merged = {**values.get(name, {}), **mapping}
        values[name] = dict(sorted(merged.items()))
        if unknown:
            shown = ", ".join(repr(u) for u in unknown[:8]) + (" ..." if len(unknown) > 8 else "")
            prop.note(path, f"{REVIEW}: values not mapped yet: {shown}; add them to "
                            f"values.{name} or these rows will be quarantined")  # fmt: skip
        return name

    def column(role: str, gs: list[_Guess], path: str) -> dict[str, Any]:
        g = gs[0]
        header = g.roles[role]
        observed = [v for x in gs for v in _nonblank(x.frame[header])]
        spec: dict[str, Any] = {"from": header}
        if role == "nip":
            spec["type"] = "nip"
        elif role == "name":
            spec["type"] = "name"
        elif role in ("submitted_at", "start_date", "end_date"):
            spec["type"] = "datetime" if role == "submitted_at" else "date"
        elif role == "unit":
            spec["type"] = "unit"
            unit_names.update(v.strip() for v in observed)
        elif role in ("pre", "post", "amount_idr"):
            spec["type"] = "float"
            spec["min"] = 0
            if role != "amount_idr":
                spec["max"] = 100
                from evalkit.data.parse import parse_number

                numbers = [n for n in (parse_number(v)[0] for v in observed) if n is not None]
                above = sum(n > 100 for n in numbers)
                if numbers and above / len(numbers) > 0.05:
                    spec["max"] = float(max(numbers))
                    prop.note(path, f"{REVIEW}: scores go up to {max(numbers):g}; set max "
                                    "(and max_score) to the test's maximum")  # fmt: skip
                elif above:
                    prop.note(path, f"{above} score(s) above 100 will be quarantined; "
                                    "check them with `evalkit check`")  # fmt: skip
        elif role in ("jp", "batch", "months_after"):
            spec["type"] = "int"
            spec["min"] = 0 if role == "months_after" else 1
        elif role in VOCABULARIES or role in ("golongan", "category"):
            name = value_map("cost_category" if role == "category" else role, observed, path)
            if name is not None:
                spec["type"] = "category"
                spec["values"] = name
            elif role in VOCABULARIES:
                prop.note(path, f"{REVIEW}: no value could be mapped to "
                                f"{', '.join(VOCABULARIES[role])}; map them under values")  # fmt: skip
                spec["type"] = "str"
                spec = {"from": header, "type": "category", "values": role}
                values.setdefault(role, {norm_label(v): v for v in VOCABULARIES[role]})
            else:
                spec["type"] = "str"
        else:
            spec["type"] = "str"
        if role in ("cohort_id", "program_id"):
            spec["required"] = True
        return spec

    def cohort_column(gs: list[_Guess], path: str) -> dict[str, Any]:
        g = gs[0]
        if "cohort_id" in g.roles:
            return column("cohort_id", gs, path)
        in_name = sorted(c for c in cohort_ids if c and c.casefold() in g.source.file.casefold())
        if len(cohort_ids) == 1 or in_name:
            value = (in_name or sorted(cohort_ids))[0]
            prop.note(path, f"{REVIEW}: no cohort column in {g.source.where}; every row is "
                            f"taken as cohort {value!r}")  # fmt: skip
            return {"value": value}
        prop.note(path, f"{REVIEW}: no cohort column in {g.source.where}; write the cohort "
                        "code here (value: ...) or add a column to the export")  # fmt: skip
        return {"value": "GANTI-KODE-ANGKATAN"}

    def person_columns(table: str, gs: list[_Guess], path: str) -> dict[str, Any]:
        roles = gs[0].roles
        cols: dict[str, Any] = {}
        if "submitted_at" in roles:
            cols["submitted_at"] = column("submitted_at", gs, f"{path}.submitted_at")
        for role in ("nip", "name"):
            if role in roles:
                cols[role] = column(role, gs, f"{path}.{role}")
        cols["cohort_id"] = cohort_column(gs, f"{path}.cohort_id")
        return cols

    def add_items(table: str, gs: list[_Guess], key: str, entry: dict[str, Any]) -> None:
        g = gs[0]
        items: dict[str, Any] = {}
        counts: Counter[str] = Counter()
        # score matrix for item-rest correlations (reverse-keyed evidence)
        matrix = {}
        for it in g.items:
            answers = [v for x in gs for v in x.frame[it.header].tolist()]
            setname = it.scale
            # 4-point guess from few answers: let the family's other items decide
            likert.setdefault(setname, _likert_set(setname))
            from evalkit.data.codebook import LikertSet

            scale = LikertSet(setname, likert[setname]["max"], likert[setname]["labels"])
            seen.setdefault(setname, Counter()).update(
                _strip_number_prefix(_label(a)) for a in answers
            )
            matrix[it.header] = pd.Series([scale.score(_strip_number_prefix(_label(a)))
                                           for a in answers], dtype="float64")  # fmt: skip
        scores = pd.DataFrame(matrix)
        total = scores.mean(axis=1)
        for it in g.items:
            if table == "reaction":
                dim = next(
                    (d for d, rx in DIMENSION_CUES if it.group and rx.search(it.group)), None
                ) or next((d for d, rx in DIMENSION_CUES if rx.search(it.text)), None)
                dim = dim or next(
                    (d for d, rx in DIMENSION_CUES if rx.search(str(it.header))), None
                )
                name_dim = dim or "content"
                counts[name_dim] += 1
                name = f"{name_dim}_{counts[name_dim]}"
            else:
                field_name = slug(str(it.header).rsplit("/", 1)[-1])
                counts["b"] += 1
                name = (field_name if re.fullmatch(r"[a-z][a-z0-9_]{0,15}", field_name)
                        and field_name not in items else f"b{counts['b']}")  # fmt: skip
            spec: dict[str, Any] = {"from": it.header}
            if table == "reaction":
                spec["dimension"] = name_dim
            spec["likert"] = it.scale
            path = f"tables.{key}.items.{name}"
            notes = []
            if table == "reaction" and dim is None:
                notes.append("dimension not recognised, content assumed")
            rest = (total * len(g.items) - scores[it.header].fillna(total)) / max(
                len(g.items) - 1, 1
            )
            pair = pd.concat([scores[it.header], rest], axis=1).dropna()
            r = pair.iloc[:, 0].corr(pair.iloc[:, 1]) if len(pair) >= 10 else float("nan")
            worded = negatively_worded(it.text)
            if worded or (r == r and r < -0.2):
                spec["reverse"] = True
                why = "negatively worded" if worded else ""
                if r == r and r < 0:
                    why += (
                        " and " if why else ""
                    ) + f"answers run against the other items (r = {r:.2f})"
                notes.append(f"reverse-keyed candidate ({why}); remove 'reverse' if not")
            kobo_field = bool(re.fullmatch(r"[\w.\-]+(/[\w.\-]+)+", str(it.header)))
            if it.text != it.header and it.text and not kobo_field:
                spec["text"] = it.text
            if notes:
                prop.note(path, f"{REVIEW}: " + "; ".join(notes))
            items[name] = spec
        entry["items"] = items

    for key, gs in sorted(groups.items(), key=lambda kv: kv[1][0].source.file):
        g = gs[0]
        kinds = group_kinds[key]
        where = ", ".join(x.source.where for x in gs)
        if not kinds:
            what = (
                "unit-level data (IKM, unit KPIs?): map it by hand, see evalkit/data/demo_codebook.yaml"
                if "unit" in g.roles and not ({"nip", "name"} & set(g.roles))
                else "not recognised as programs, cohorts, participants, reaction, learning, "
                "test items, follow-up, projects or costs"
            )
            prop.unused.append(f"{where}: {what}")
            continue
        files = _files_entry([x.source for x in gs], raw_dir)
        for table in kinds:
            tkey = table_key(table, gs)
            path = f"tables.{tkey}"
            entry: dict[str, Any] = {}
            if tkey != table:
                entry["table"] = table
            entry["files"] = files
            if g.source.sheet is not None:
                entry["sheet"] = g.source.sheet
            if g.source.header_row != 1:
                entry["header_row"] = g.source.header_row
                prop.note(f"{path}.header_row", f"{REVIEW}: header found on row "
                                                f"{g.source.header_row} (title rows above)")  # fmt: skip
            roles = g.roles
            cols: dict[str, Any] = {}
            if table == "programs":
                for role in ("program_id", "program_name", "skill_type"):
                    if role in roles:
                        cols[role] = column(role, gs, f"{path}.columns.{role}")
            elif table == "cohorts":
                for role in ("cohort_id", "program_id", "program_name", "skill_type", "batch",
                             "start_date", "end_date", "delivery", "facilitator_type", "jp"):  # fmt: skip
                    if role in roles:
                        cols[role] = column(role, gs, f"{path}.columns.{role}")
            elif table == "costs":
                cols["cohort_id"] = column("cohort_id", gs, f"{path}.columns.cohort_id")
                cols["category"] = column("category", gs, f"{path}.columns.category")
                cols["amount_idr"] = column("amount_idr", gs, f"{path}.columns.amount_idr")
            else:
                cols = person_columns(table, gs, f"{path}.columns")
                if table == "participants":
                    for role in _PERSON_ROLES:
                        if role in roles:
                            cols[role] = column(role, gs, f"{path}.columns.{role}")
                elif table == "learning":
                    for role in ("pre", "post"):
                        if role in roles:
                            cols[role] = column(role, gs, f"{path}.columns.{role}")
                    cols["max_score"] = {"value": 100}
                    prop.note(f"{path}.columns.max_score", f"{REVIEW}: the test's maximum score")
                elif table == "test_items":
                    if "phase" in roles:
                        cols["phase"] = column("phase", gs, f"{path}.columns.phase")
                    else:
                        m = re.search(r"pre|post", g.source.file, re.I)
                        cols["phase"] = {"value": m[0].lower() if m else "post"}
                        prop.note(
                            f"{path}.columns.phase",
                            f"{REVIEW}: no pre/post column; is this the pre- or post-test?",
                        )
                    test_items = {f"s{i:02d}": {"from": h} for i, h in
                                  enumerate(g.test_items, start=1)}  # fmt: skip
                elif table == "followup":
                    if "months_after" in roles:
                        cols["months_after"] = column("months_after", gs,
                                                      f"{path}.columns.months_after")  # fmt: skip
                    elif "submitted_at" not in roles:
                        prop.note(f"{path}.columns", f"{REVIEW}: no month and no timestamp; "
                                                     "add months_after: {value: 3} or similar")  # fmt: skip
                    text = " ".join([g.source.file, *map(str, g.frame.columns)])
                    rater = "supervisor" if _SUPERVISOR_CUES.search(text) else "self"
                    cols["rater"] = {"value": rater}
                    prop.note(f"{path}.columns.rater", f"{REVIEW}: who answered this form "
                                                       "(self or supervisor)")  # fmt: skip
                elif table == "projects":
                    for role in ("months_after", "project_status"):
                        if role in roles:
                            cols[role] = column(role, gs, f"{path}.columns.{role}")
            entry["columns"] = cols
            if table == "test_items":
                entry["items"] = test_items
            if table in ("reaction", "followup"):
                add_items(table, gs, tkey, entry)
                if table == "reaction" and "comment" in roles:
                    entry["comments"] = {"from": roles["comment"]}
                ident = "nip" if "nip" in cols else "name"
                if "submitted_at" in cols:
                    dkey = [ident, "cohort_id"] + (
                        ["months_after"] if "months_after" in cols else []
                    )
                    entry["dedupe"] = {"key": dkey, "keep_latest": "submitted_at"}
            tables[tkey] = entry
            used.add((g.source.file, g.source.sheet))
    if not tables:
        raise DataError(
            "no export could be recognised; write the codebook by hand "
            "(docs/data-model.md, evalkit/data/demo_codebook.yaml)"
            + (f"; {'; '.join(prop.unused)}" if prop.unused else ""),
            file=str(raw_dir),
        )
    for name, entry in sorted(likert.items()):
        prop.data.setdefault("likert", {})[name] = entry
        note = f"direction {_direction(name)}"
        doubtful = [label for label in AMBIGUOUS_LABELS if label in entry["labels"]]
        used = [label for label in doubtful if seen.get(name, Counter())[label]]
        for label in doubtful:
            if label not in used:
                del entry["labels"][label]
        if used:
            note = f"{REVIEW}: {note}; " + "; ".join(
                f"{label!r} ({seen[name][label]:,} answer(s)) is read as {entry['labels'][label]}, "
                f"the midpoint: {AMBIGUOUS_LABELS[label]}"
                for label in used
            )
        elif doubtful:
            note += (
                f"; {' and '.join(repr(lb) for lb in doubtful)} left out (no answer used them, "
                "their meaning varies by form): an answer using them is quarantined "
                "(likert_unknown_label) until you map it"
            )
        if name.startswith("angka"):
            note = f"{REVIEW}: {note}; replace by the form's answer labels if it had words"
        elif re.fullmatch(r"[a-z]+4", name) and 5 in LIKERT_FAMILIES[name[:-1]]:
            note += "; no midpoint answer seen, so 4-point"
        prop.note(f"likert.{name}", note)
    if values:
        prop.data["values"] = values
        prop.note("values", f"{REVIEW}: raw label -> canonical value; add labels your forms use")
    if unit_names:
        prop.data["units"] = _unit_clusters(unit_names)
        prop.note("units", f"{REVIEW}: canonical unit (OPD) names with the variants found; "
                           "merge or split as needed")  # fmt: skip
    prop.data["tables"] = tables
    if not _maps_cohorts(tables):
        prop.note("tables", f"{REVIEW}: {NO_COHORT_LIST}")
    return prop


#: Smallest similarity (difflib ratio) for two unit spellings to be proposed as one unit.
UNIT_CLUSTER_CUTOFF = 0.92


def _unit_key(name: str) -> str:
    """Unit name for grouping: ``kec.`` -> ``kecamatan``, no ``kota kupang`` suffix."""
    from evalkit.data.codebook import norm_label

    key = norm_label(name)
    key = re.sub(r"^kec(\.\s*|\s+)", "kecamatan ", key)
    key = re.sub(r"\s+(kota|kab\.?|kabupaten)\s+kupang$", "", key)
    return key


def _typo_of(a: str, b: str) -> bool:
    """Whether two unit keys differ by a typo in one word (not by a different word).

    ``kecamatan kota rja`` / ``kecamatan kota raja`` are one unit;
    ``kecamatan kota lama`` / ``kecamatan kota raja`` are two.
    """
    wa, wb = a.split(), b.split()
    if len(wa) != len(wb):
        return difflib.SequenceMatcher(None, a, b).ratio() >= UNIT_CLUSTER_CUTOFF
    diff = [(x, y) for x, y in zip(wa, wb, strict=True) if x != y]
    return len(diff) <= 1 and all(
        difflib.SequenceMatcher(None, x, y).ratio() >= 0.8 for x, y in diff
    )


def _unit_clusters(names: Counter[str]) -> dict[str, list[str]]:
    """Group unit spellings: the most frequent spelling is canonical, near ones are variants."""
    from evalkit.data.codebook import norm_label

    clusters: dict[str, list[str]] = {}
    keys: dict[str, str] = {}
    for name, _n in sorted(names.items(), key=lambda kv: (-kv[1], kv[0])):
        if not name:
            continue
        key = _unit_key(name)
        if key in keys:
            canonical = keys[key]
        else:
            close = [k for k in difflib.get_close_matches(key, list(keys), n=3,
                                                          cutoff=UNIT_CLUSTER_CUTOFF)
                     if _typo_of(key, k)]  # fmt: skip
            canonical = keys[close[0]] if close else name
        keys.setdefault(key, canonical)
        clusters.setdefault(canonical, [])
        seen = {norm_label(v) for v in [canonical, *clusters[canonical]]}
        if norm_label(name) not in seen:
            clusters[canonical].append(name)
    return {k: sorted(v) for k, v in sorted(clusters.items())}


def propose_codebook(raw_dir: Path | str) -> dict[str, Any]:
    """Propose a codebook for a folder of raw exports.

    Parameters
    ----------
    raw_dir : Path or str
        The study folder: CSV (any common encoding and delimiter), XLSX (every
        sheet) and SPSS ``.sav`` files, in it or in sub-folders. Only read.

    Returns
    -------
    dict
        The codebook as parsed YAML (``study``, ``title``, ``likert``,
        ``values``, ``units``, ``tables``), valid for
        :func:`evalkit.data.codebook.parse_codebook`. :func:`init_study` writes it
        with review comments.

    Raises
    ------
    DataError
        If the folder does not exist or no export in it can be recognised.

    Notes
    -----
    Column roles come from the header (the last part of a KoboToolbox
    ``group/field`` header; an SPSS variable's label too) confirmed by the
    values: a NIP column must mostly hold valid NIPs, a date column dates,
    a score column numbers. A column is a Likert item when at least 95% of its
    answers belong to one known label set (:data:`LIKERT_FAMILIES`); items
    whose text is negatively worded, or whose answers correlate negatively with
    the rest of the form (r < -.2, n >= 10), are proposed as reverse-keyed.
    Files with the same headers become one entry (a glob when it matches
    exactly them). The participant roster is the person file with the most of
    sex, golongan, position type and unit.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = (Path(tmp) / "reaksi.csv").write_text(
    ...         "NIP;Nama;Kelas;Materi jelas;Jadwal terlalu padat\\n"
    ...         "198505122010011002;Ana;K1;Setuju;Tidak Setuju\\n"
    ...         "199001012015032001;Budi;K1;Sangat Setuju;Setuju\\n")
    ...     cb = propose_codebook(tmp)
    >>> cb["tables"]["reaction"]["items"]
    {'content_1': {'from': 'Materi jelas', 'dimension': 'content', 'likert': 'setuju4'}, 'organisation_1': {'from': 'Jadwal terlalu padat', 'dimension': 'organisation', 'likert': 'setuju4', 'reverse': True}}
    """
    return _proposal(Path(raw_dir)).data


# --- writing the codebook with review comments --------------------------------------
_BLOCK_PATHS = re.compile(r"|likert|likert\.[^.]+|values|units|tables|tables\.[^.]+|"
                          r"tables\.[^.]+\.(columns|items)")  # fmt: skip


def _flow(value: Any) -> str:
    """One value in YAML flow style on one line."""
    import yaml

    text = yaml.safe_dump([value], default_flow_style=True, allow_unicode=True, width=10**9,
                          sort_keys=False).strip()  # fmt: skip
    return text[1:-1]


def render_codebook(proposal: Proposal, *, header: Iterable[str] = ()) -> str:
    """The proposal as YAML text with ``# REVIEW:`` comments.

    Mappings down to table columns and items are block style, one entry per
    line; each entry is one flow-style line, followed by its note.

    Examples
    --------
    >>> p = Proposal({"study": "s", "tables": {}}, notes={"study": "REVIEW: name"})
    >>> print(render_codebook(p), end="")
    study: s  # REVIEW: name
    tables: {}
    """
    lines = [f"# {h}" if h else "#" for h in header]

    def walk(obj: Mapping[str, Any], path: str, indent: int) -> None:
        for key, value in obj.items():
            here = f"{path}.{key}" if path else str(key)
            note = proposal.notes.get(here)
            pad = "  " * indent
            block = isinstance(value, Mapping) and value and _BLOCK_PATHS.fullmatch(here)
            if note and (len(note) > 70 or block):
                lines.append(f"{pad}# {note}")
                note = None
            if block:
                lines.append(f"{pad}{_flow(key)}:")
                walk(value, here, indent + 1)
            else:
                text = f"{pad}{_flow(key)}: {_flow(value)}"
                lines.append(text + (f"  # {note}" if note else ""))
            if indent == 0 and isinstance(value, Mapping) and value:
                lines.append("")

    walk(proposal.data, "", 0)
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class InitResult:
    """What :func:`init_study` did.

    Attributes
    ----------
    study : str
        The study name (folder under ``data/raw``).
    raw_dir : Path
        The study folder holding the exports and the codebook.
    codebook : Path
        The codebook written.
    copied : tuple of str
        Exports copied into ``raw_dir`` (when ``path`` was elsewhere).
    tables : dict of str to list
        Codebook entry -> its files.
    review : int
        Lines marked ``REVIEW`` in the codebook.
    unused : tuple of str
        Files or sheets not used, with the reason.
    cohorts : bool
        Whether the codebook maps a cohort list (reports need one).
    """

    study: str
    raw_dir: Path
    codebook: Path
    copied: tuple[str, ...]
    tables: dict[str, list[str]]
    review: int
    unused: tuple[str, ...]
    cohorts: bool = True

    def __str__(self) -> str:
        lines = [f"study {self.study}: codebook proposed at {self.codebook}"]
        if self.copied:
            lines.append(f"  {len(self.copied)} export(s) copied into {self.raw_dir}")
        for key, files in self.tables.items():
            lines.append(f"  {key}: {', '.join(files)}")
        for text in self.unused:
            lines.append(f"  not used: {text}")
        if not self.cohorts:
            lines.append(f"  {NO_COHORT_LIST}")
        lines.append(
            f"  {self.review} line(s) marked {REVIEW}: read them, then run "
            f"`evalkit check --study {self.study}` and `evalkit clean --study {self.study}`"
        )
        return "\n".join(lines)


def _maps_cohorts(tables: Mapping[str, Any]) -> bool:
    """Whether codebook ``tables`` (as YAML data) map a cohort list."""
    return any(k == "cohorts" or (e or {}).get("table") == "cohorts" for k, e in tables.items())


def _within(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
    except ValueError:
        return False
    return True


def init_study(
    path: Path | str,
    *,
    study: str | None = None,
    force: bool = False,
    root: Path | None = None,
) -> InitResult:
    """Start a study from a folder of exports: propose and write its codebook.

    Parameters
    ----------
    path : Path or str
        A folder of raw exports. If it is not already a study folder under
        ``data/raw`` of the project, its exports (CSV, TSV, TXT, XLSX, SAV) are
        copied into ``data/raw/<study>/``; the originals are never changed.
    study : str, optional
        Study name (default: the folder's name as a slug).
    force : bool, default False
        Overwrite an existing ``codebook.yaml`` (and copied exports that differ).
    root : Path, optional
        Project root (default: :func:`evalkit.paths.project_root`).

    Returns
    -------
    InitResult
        What was written; ``str(result)`` is a short report.

    Raises
    ------
    ParameterError
        If the study already has a ``codebook.yaml`` (or a copied export would
        replace a different file) and ``force`` is false, or ``study`` is not a
        folder name of letters, digits, ``-`` and ``_``.
    DataError
        If ``path`` does not exist or holds no recognisable export.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     raw = Path(tmp) / "data" / "raw" / "uji"; raw.mkdir(parents=True)
    ...     _ = (raw / "nilai.csv").write_text("NIP,Kelas,Pre-test,Post-test\\n"
    ...                                        "198505122010011002,K1,40,70\\n")
    ...     result = init_study(raw, root=Path(tmp))
    ...     result.tables, result.codebook.name
    ({'learning': ['nilai.csv']}, 'codebook.yaml')
    """
    import shutil

    from evalkit.io.atomic import atomic_write, sha256
    from evalkit.paths import project_root

    source = Path(path).expanduser().resolve()
    if not source.is_dir():
        raise DataError("folder of exports does not exist", file=str(source))
    root = Path(root).resolve() if root is not None else project_root()
    raw_root = root / "data" / "raw"
    if study is None:
        if _within(source, raw_root) and source != raw_root:
            study = source.relative_to(raw_root).parts[0]
        else:
            study = slug(source.name).replace("_", "-")
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_\-]*", study):
        raise ParameterError(
            f"init_study: parameter 'study' must be a folder name of letters, digits, - and _, "
            f"got {study!r}"
        )
    target = raw_root / study
    copied: list[str] = []
    if source != target:
        if _within(target, source):
            raise ParameterError(
                f"init_study: parameter 'path' ({source}) contains the study folder {target}"
            )
        files = sorted(
            p for p in source.rglob("*")
            if p.is_file() and p.suffix.lower() in RAW_SUFFIXES
            and not p.name.startswith(("~$", ".")) and not _within(p, raw_root)
        )  # fmt: skip
        if not files:
            raise DataError(
                f"no export ({', '.join(RAW_SUFFIXES)}) in the folder", file=str(source)
            )
        for file in files:
            rel = file.relative_to(source)
            dest = target / rel
            if dest.exists() and sha256(dest) != sha256(file) and not force:
                raise ParameterError(
                    f"init_study: {dest} already exists with other content; "
                    "use force=True (--force) to replace it"
                )
            if not dest.exists() or sha256(dest) != sha256(file):
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(file, dest)
                copied.append(rel.as_posix())
    codebook_path = target / "codebook.yaml"
    if codebook_path.exists() and not force:
        raise ParameterError(
            f"init_study: {codebook_path} already exists; edit it, or use force=True "
            "(--force) to replace it with a new proposal"
        )
    proposal = _proposal(target, study)
    header = [
        f"Codebook of study {study!r}, proposed by `evalkit init` on "
        f"{_dt.date.today().isoformat()} from the exports in this folder.",
        "Format: docs/data-model.md (section Codebook); a complete example: "
        "evalkit/data/demo_codebook.yaml.",
        f"Every line marked {REVIEW} is a guess: confirm or correct it, then run",
        f"`evalkit check --study {study}` to see what cleaning would quarantine, and why.",
    ]
    if proposal.unused:
        header += ["", "Not used:"] + [f"  {u}" for u in proposal.unused]
    text = render_codebook(proposal, header=header)
    from evalkit.data.codebook import parse_codebook

    parse_codebook(__import__("yaml").safe_load(text))  # never write an invalid codebook
    atomic_write(codebook_path, lambda fh: fh.write(text), binary=False)
    return InitResult(
        study=study,
        raw_dir=target,
        codebook=codebook_path,
        copied=tuple(copied),
        tables={k: list(v["files"]) for k, v in proposal.data["tables"].items()},
        review=sum(REVIEW in line for line in text.splitlines()[len(header) :]),
        unused=tuple(proposal.unused),
        cohorts=_maps_cohorts(proposal.data["tables"]),
    )


# --- checking raw files against the codebook ----------------------------------------
@dataclass(frozen=True)
class CheckReport:
    """What :func:`check_study` found.

    Attributes
    ----------
    study : str
        The study (folder name, or the codebook's name once it loads).
    raw_dir : Path
        The study folder.
    errors : tuple of str
        Problems that stop cleaning: an invalid codebook, an unreadable file,
        a header the codebook names but a file lacks. Each names the file
        and the codebook key path.
    issues : pandas.DataFrame
        What cleaning would do to single rows and cells, one row per entry:
        ``file``, ``row`` (as a spreadsheet shows it), ``column``, ``value``
        (masked), ``reason``, ``action`` (``quarantined``, ``dropped``,
        ``flagged`` or ``repaired``). Empty when there are errors.
    rows_read, rows_kept : int
        Input rows and rows that would reach the processed tables.
    tables : dict of str to int
        Processed table -> rows it would have.
    review : int
        Lines of the codebook still marked ``REVIEW``.
    """

    study: str
    raw_dir: Path
    errors: tuple[str, ...]
    issues: pd.DataFrame
    rows_read: int = 0
    rows_kept: int = 0
    tables: dict[str, int] = field(default_factory=dict)
    review: int = 0

    @property
    def ok(self) -> bool:
        """True when cleaning would run (rows may still be quarantined)."""
        return not self.errors

    @property
    def quarantined(self) -> pd.DataFrame:
        """The issues whose action is ``quarantined``."""
        return self.issues[self.issues["action"] == "quarantined"].reset_index(drop=True)

    def __str__(self) -> str:
        lines = [f"study {self.study}: check of {self.raw_dir}"]
        if self.errors:
            lines.append(f"  {len(self.errors)} problem(s) stop cleaning:")
            lines += [f"  - {e}" for e in self.errors]
            return "\n".join(lines)
        counts = Counter(self.issues["action"])
        tables = ", ".join(f"{t} {n:,}" for t, n in self.tables.items())
        lines.append(f"  would write: {tables}")
        lines.append(
            f"  input rows {self.rows_read:,}: {self.rows_kept:,} kept; "
            f"{counts.get('quarantined', 0):,} quarantined, {counts.get('dropped', 0):,} "
            f"dropped, {counts.get('flagged', 0):,} flagged (kept), "
            f"{counts.get('repaired', 0):,} repaired"
        )
        for action in ("quarantined", "dropped", "flagged", "repaired"):
            part = self.issues[self.issues["action"] == action]
            if part.empty:
                continue
            lines.append(f"  {action}:")
            for row in part.itertuples(index=False):
                column = f", column {row.column!r}" if row.column else ""
                value = f" [{row.value}]" if row.value else ""
                lines.append(f"    {row.file} row {row.row}{column}: {row.reason}{value}")
        if "cohorts" not in self.tables:
            lines.append(f"  {NO_COHORT_LIST}")
        if self.review:
            lines.append(f"  the codebook still has {self.review} line(s) marked {REVIEW}")
        return "\n".join(lines)


def check_study(raw_dir: Path | str) -> CheckReport:
    """Validate a study's raw files against its codebook, before cleaning.

    Parameters
    ----------
    raw_dir : Path or str
        The study folder holding ``codebook.yaml``. Only read.

    Returns
    -------
    CheckReport
        ``errors`` (what stops cleaning: every header missing from every file,
        not only the first) and ``issues`` (every row and cell cleaning would
        quarantine, drop or repair, with file, row, column and reason).

    Raises
    ------
    DataError
        If ``raw_dir`` does not exist.

    Notes
    -----
    The codebook is validated with :func:`evalkit.data.codebook.load_codebook`; each
    file with :func:`evalkit.io.readers.read_table` and
    :func:`evalkit.data.codebook.match_headers`; then the study is cleaned in memory
    with :func:`evalkit.data.clean.clean_study` (``dry_run=True``) with a throwaway
    salt, and its quality log becomes ``issues``. Nothing is written anywhere;
    the raw files are only read.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = (Path(tmp) / "codebook.yaml").write_text(
    ...         "study: mini\\ntables:\\n  costs:\\n    files: [biaya.csv]\\n    columns:\\n"
    ...         "      cohort_id: {from: Angkatan}\\n      category: {from: Komponen}\\n"
    ...         "      amount_idr: {from: Jumlah, min: 0}\\n")
    ...     _ = (Path(tmp) / "biaya.csv").write_text(
    ...         "Angkatan;Komponen;Jumlah\\nA1;konsumsi;1.250.000\\nA1;ATK;-5\\n")
    ...     report = check_study(tmp)
    >>> report.quarantined[["file", "row", "column", "reason"]].to_dict("records")
    [{'file': 'biaya.csv', 'row': 3, 'column': 'Jumlah', 'reason': "out_of_range: '-5' is outside 0..inf"}]
    """
    import dataclasses
    import os

    from evalkit.data.clean import clean_study
    from evalkit.data.codebook import load_codebook, match_headers, norm_label
    from evalkit.data.quality import LOG_COLUMNS
    from evalkit.data.read import resolve_files
    from evalkit.io.readers import read_table

    raw_dir = Path(raw_dir).resolve()
    if not raw_dir.is_dir():
        raise DataError("study folder does not exist", file=str(raw_dir))
    empty = pd.DataFrame({c: pd.Series([], dtype=object) for c in LOG_COLUMNS})
    review = 0
    if (raw_dir / "codebook.yaml").is_file():
        text = (raw_dir / "codebook.yaml").read_text(encoding="utf-8-sig", errors="replace")
        review = sum(
            1 for line in text.splitlines() if f"# {REVIEW}" in line or line.strip().startswith(
                f"# {REVIEW}") or f"#  {REVIEW}" in line
        )  # fmt: skip
    try:
        codebook = load_codebook(raw_dir / "codebook.yaml")
    except CodebookError as err:
        return CheckReport(raw_dir.name, raw_dir, (str(err),), empty, review=review)
    errors: list[str] = []
    read: dict[tuple[str, str | None, int], list[str]] = {}
    for spec in codebook.tables.values():
        try:
            files = resolve_files(spec, raw_dir)
        except DataError as err:
            errors.append(str(err))
            continue
        for file in files:
            slot = (file, spec.sheet, spec.header_row)
            if slot not in read:
                try:
                    read[slot] = list(read_table(raw_dir / file, sheet=spec.sheet,
                                                 header_row=spec.header_row).columns)  # fmt: skip
                except DataError as err:
                    errors.append(str(err) if err.file == file else f"file {file}: {err}")
                    read[slot] = []
                    continue
            headers = read[slot]
            if not headers:
                continue
            loose = {norm_label(h): h for h in reversed(headers)}
            read_by = {
                src: (src if src in headers else loose.get(norm_label(src)))
                for src in spec.sources()
            }
            for source, keypath in spec.sources().items():
                parts = keypath.split(".")
                taken = {h for src, h in read_by.items() if h is not None and src != source}
                single = dataclasses.replace(
                    spec,
                    columns={n: c for n, c in spec.columns.items() if c.source == source},
                    items={n: i for n, i in spec.items.items() if i.source == source},
                    comments=spec.comments if spec.comments == source else None,
                )
                try:
                    match_headers(single, headers, file, taken=taken)
                except CodebookError as err:
                    errors.append(str(err))
                del parts
    if errors:
        return CheckReport(codebook.study, raw_dir, tuple(dict.fromkeys(errors)), empty,
                           review=review)  # fmt: skip
    try:
        summary = clean_study(raw_dir, None, progress=False, salt=os.urandom(16), dry_run=True)
    except (DataError, CodebookError) as err:
        return CheckReport(codebook.study, raw_dir, (str(err),), empty, review=review)
    issues = summary.log.astype(object).astype({"row": "int64"})
    order = {"quarantined": 0, "dropped": 1, "flagged": 2, "repaired": 3}
    issues = issues.assign(_o=issues["action"].map(order)).sort_values(
        ["_o", "file", "row", "column"], kind="mergesort"
    ).drop(columns="_o").reset_index(drop=True)  # fmt: skip
    return CheckReport(
        study=codebook.study,
        raw_dir=raw_dir,
        errors=(),
        issues=issues,
        rows_read=summary.rows_read,
        rows_kept=summary.rows_kept,
        tables=dict(summary.tables),
        review=review,
    )
