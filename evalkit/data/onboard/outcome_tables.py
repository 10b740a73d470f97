"""Exports of results in a proposed codebook: IKM, unit KPIs, benefits and the then-test.

Besides the participants' forms a study may hold what training is for (Levels 3-5), in
the shapes their usual sources give:

- **ikm**: the public-satisfaction survey (*Survei Kepuasan Masyarakat*, PermenPANRB
  14/2017), one row per respondent with the nine elements ``U1`` .. ``U9`` scored 1-4,
  the service unit and the period (:func:`ikm_elements`);
- **unit_kpi**: one row per unit and period with the service time in days and/or the
  number of complaints;
- **benefits**: Phillips Level 5 estimates, one row per participant (or unit) and
  benefit: the benefit in rupiah a year, the share attributed to the training and the
  estimator's confidence;
- **retrospective**: the then-test as BPKP's PTIA app exports it, one row per answer
  with the rater (alumnus or supervisor), the aspect, the question code, and the
  ratings "before training" (*nilai sebelum*) and "now" (*nilai sesudah*); a file of
  the same questions with one rating (a self-assessment at the start of training) is
  proposed as the same table at month 0.

:func:`outcome_kind` says which of them a source is (before it is taken as a follow-up
or left unused) and :func:`outcome_columns` writes its ``columns`` (and ``dedupe``),
each guess with a review note.

Examples
--------
>>> import pandas as pd
>>> from evalkit.data.onboard.roles import guess_source
>>> from evalkit.data.onboard.sources import Source
>>> frame = pd.DataFrame({"Unit Layanan": ["Dinkes"] * 2, "Periode": ["Semester I 2024"] * 2,
...                       **{f"U{k}": ["3", "4"] for k in range(1, 10)}})
>>> outcome_kind(guess_source(Source("skm.xlsx", None, 1, frame)))
'ikm'
>>> period_value("Semester II 2024"), period_value("Triwulan 3 2023"), period_value("Juni")
('2024-S2', '2023-Q3', None)
"""

from __future__ import annotations

import re
from typing import Any

from evalkit import constants as C
from evalkit.data.onboard.draft import REVIEW, Draft
from evalkit.data.onboard.roles import SUPERVISOR_CUES, Guess, nonblank, norm_header

__all__ = [
    "OUTCOME_TABLES",
    "RATER_WORDS",
    "ikm_elements",
    "outcome_columns",
    "outcome_kind",
    "period_value",
    "rater_header",
    "rater_spec",
]

#: Tables this module proposes.
OUTCOME_TABLES = ("ikm", "unit_kpi", "benefits", "retrospective")


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


#: Output column -> pattern searched in a header (its last ``group/`` part, ``_`` as space).
_HEADERS: dict[str, re.Pattern[str]] = {
    C.PERIOD: _rx(r"^(periode|period|semester|triwulan|tahun periode)\b"),
    C.RESPONDENT_ID: _rx(r"^(no|nomor|no\.? responden|id responden|respondent id)$"),
    C.SERVICE_DAYS: _rx(r"waktu (penyelesaian|layanan|pelayanan|proses)|lama (layanan|pelayanan|"
                        r"proses)|service (time|days)|\(hari\)"),
    C.COMPLAINTS: _rx(r"pengaduan|keluhan|complaints?"),
    C.BENEFIT: _rx(r"nilai( manfaat)?( per tahun| setahun| \(rp\))|manfaat.*\(rp\)|"
                   r"benefit( \(?idr\)?| per year)|nilai manfaat"),
    C.ATTRIBUTION: _rx(r"atribusi|attribution|kontribusi pelatihan"),
    C.CONFIDENCE: _rx(r"keyakinan|confidence"),
    C.RATING_BEFORE: _rx(r"(nilai |skor |rating )?(sebelum|before)( pelatihan| training)?$"),
    C.RATING_NOW: _rx(r"(nilai |skor |rating )?(sesudah|setelah|now|after)( pelatihan| training)?$"),
    C.ASPECT: _rx(r"^(aspek|aspect|dimensi|dimension)$"),
    C.ITEM: _rx(r"^(kode (pertanyaan|soal|butir|item|indikator)|question (code|id)|item( code| id)?)$"),
    C.WEIGHT: _rx(r"^(bobot|weight)$"),
    C.RATER: _rx(r"^(responden|penilai|rater|pengisi|respondent|jenis responden)$"),
    "rating": _rx(r"^(nilai|skor|rating|score)$"),
}  # fmt: skip

#: A benefit-type column: its header in a ``manfaat`` group, or named so.
_BENEFIT_TYPE = _rx(r"manfaat/jenis|jenis manfaat|benefit type|jenis benefit")

#: Rater words -> the rater they name (a then-test's or a follow-up's rater column).
RATER_WORDS = {"alumni": "self", "alumnus": "self", "peserta": "self", "diri sendiri": "self",
               "self": "self", "atasan": "supervisor", "atasan langsung": "supervisor",
               "supervisor": "supervisor", "pimpinan": "supervisor", "mentor": "supervisor"}  # fmt: skip

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def period_value(text: object) -> str | None:
    """A period as cleaning orders it (``2024-S2``, ``2023-Q3``, ``2024``), or None.

    Examples
    --------
    >>> period_value("Semester I 2023"), period_value("2024-s1"), period_value("TW IV 2025")
    ('2023-S1', '2024-S1', '2025-Q4')
    """
    t = re.sub(r"\s+", " ", str(text).strip().casefold())
    n = r"(i{1,3}|iv|[1-4])"
    for pattern, kind in ((rf"(?:semester|smt\.?|s) ?{n}[ -/]?(\d{{4}})", "S"),
                          (rf"(?:triwulan|tw|quarter|q) ?{n}[ -/]?(\d{{4}})", "Q")):  # fmt: skip
        m = re.fullmatch(pattern, t)
        if m:
            k = _ROMAN.get(m[1]) or int(m[1])
            return f"{m[2]}-{kind}{k}" if not (kind == "S" and k > 2) else None
    m = re.fullmatch(r"(\d{4}) ?[-/ ] ?(s|q)([1-4])", t)
    if m:
        return f"{m[1]}-{m[2].upper()}{m[3]}"
    return t if re.fullmatch(r"\d{4}", t) else None


def ikm_elements(g: Guess) -> dict[str, str]:
    """``u1`` .. ``u9`` -> header, when a source has all nine IKM elements (else empty).

    A header ``U1`` .. ``U9`` (any case, ``U 1``, ``Unsur 1``), answers numbers 1-4.
    """
    from evalkit.data.parse import parse_number

    found: dict[str, str] = {}
    for header in g.frame.columns:
        m = re.fullmatch(r"(?:u|unsur)\s*_?([1-9])", norm_header(header))
        if m and f"u{m[1]}" not in found:
            values = nonblank(g.frame[header])
            numbers = [parse_number(v)[0] for v in values[:500]]
            if values and all(x is not None and 1 <= x <= 4 for x in numbers):
                found[f"u{m[1]}"] = header
    return dict(sorted(found.items())) if len(found) == 9 else {}


def _headers(g: Guess) -> dict[str, str]:
    """Output column -> the first header of the source matching it (:data:`_HEADERS`)."""
    out: dict[str, str] = {}
    for header in g.frame.columns:
        key = norm_header(header)
        if _BENEFIT_TYPE.search(str(header)) and C.BENEFIT_TYPE not in out:
            out[C.BENEFIT_TYPE] = header
            continue
        for name, rx in _HEADERS.items():
            if name not in out and rx.search(key) and nonblank(g.frame[header]):
                out[name] = header
                break
    return out


def outcome_kind(g: Guess) -> str | None:
    """Which of :data:`OUTCOME_TABLES` a source is, or None.

    Examples
    --------
    >>> import pandas as pd
    >>> from evalkit.data.onboard.sources import Source
    >>> frame = pd.DataFrame({"Unit": ["Dinkes"], "Periode": ["2024-S1"],
    ...                       "Jumlah Pengaduan": ["4"]})
    >>> outcome_kind(Guess(Source("kpi.xlsx", None, 1, frame), {"unit": "Unit"}))
    'unit_kpi'
    """
    roles, found = g.roles, _headers(g)
    person = "nip" in roles or "name" in roles
    if not person and "unit" in roles and C.PERIOD in found and ikm_elements(g):
        return "ikm"
    if (
        not person
        and "unit" in roles
        and C.PERIOD in found
        and (C.SERVICE_DAYS in found or C.COMPLAINTS in found)
    ):
        return "unit_kpi"
    if (
        "cohort_id" in roles
        and C.ATTRIBUTION in found
        and C.CONFIDENCE in found
        and (C.BENEFIT in found)
    ):
        return "benefits"
    if (
        person
        and "cohort_id" in roles
        and C.ITEM in found
        and (
            (C.RATING_BEFORE in found and C.RATING_NOW in found)
            or (C.ASPECT in found and "rating" in found)
        )
    ):
        return "retrospective"
    return None


def rater_header(g: Guess) -> str | None:
    """The header of a column saying who rated (``Responden``, ``Penilai``), or None."""
    return _headers(g).get(C.RATER)


def rater_spec(draft: Draft, g: Guess, header: str | None, path: str) -> dict[str, Any]:
    """The ``rater`` of a then-test or follow-up: its column with a value map, else a constant.

    Examples
    --------
    >>> import pandas as pd
    >>> from evalkit.data.onboard.draft import Proposal
    >>> from evalkit.data.onboard.sources import Source
    >>> g = Guess(Source("ptia.xlsx", None, 1, pd.DataFrame({"Responden": ["Alumni", "Atasan"]})))
    >>> rater_spec(Draft(Proposal({}), {}, set()), g, "Responden", "p")
    {'from': 'Responden', 'type': 'category', 'values': {'alumni': 'self', 'atasan': 'supervisor'}}
    """
    from evalkit.data.codebook import norm_label

    if header is not None:
        seen = {norm_label(v) for v in nonblank(g.frame[header])}
        mapping = {v: RATER_WORDS[v] for v in sorted(seen) if v in RATER_WORDS}
        if mapping:
            unknown = sorted(seen - set(mapping))
            if unknown:
                draft.note(path, f"{REVIEW}: rater values not mapped yet: "
                                 f"{', '.join(map(repr, unknown))}")  # fmt: skip
            return {"from": header, "type": "category", "values": mapping}
    text = " ".join([g.source.file, g.source.sheet or "", *map(str, g.frame.columns)])
    draft.note(path, f"{REVIEW}: who answered this form (self or supervisor)")
    return {"value": "supervisor" if SUPERVISOR_CUES.search(text) else "self"}


def _periods(draft: Draft, g: Guess, header: str, path: str) -> dict[str, Any]:
    """The period column: a value map to ``2024-S1``-like periods (cleaning orders them)."""
    from evalkit.data.codebook import norm_label

    seen = sorted({v.strip() for v in nonblank(g.frame[header])})
    mapping = {norm_label(v): p for v in seen if (p := period_value(v)) is not None}
    unknown = [v for v in seen if period_value(v) is None]
    if not mapping:
        draft.note(path, f"{REVIEW}: periods are ordered as text; write them as 2024-S1, "
                         "2024-Q1 or 2024 (or map them under values.period)")  # fmt: skip
        return {"from": header, "type": "str", "required": True}
    draft.values["period"] = {**draft.values.get("period", {}), **mapping}
    if unknown:
        draft.note(path, f"{REVIEW}: periods not mapped yet: {', '.join(map(repr, unknown[:6]))}")
    return {"from": header, "type": "category", "values": "period", "required": True}


def outcome_columns(draft: Draft, table: str, gs: list[Guess], path: str,
                    cols: dict[str, Any]) -> dict[str, Any]:  # fmt: skip
    """Add the columns of an outcome table to ``cols`` (the person columns, or empty).

    Returns the entry's ``dedupe`` (empty when none is proposed). ``path`` is the key
    path of the entry.
    """
    from evalkit.data.onboard.columns import column_spec, value_map

    g = gs[0]
    found, where = _headers(g), f"{path}.columns"
    dedupe: dict[str, Any] = {}
    if table in ("ikm", "unit_kpi"):
        if table == "ikm" and C.RESPONDENT_ID in found:
            cols[C.RESPONDENT_ID] = {"from": found[C.RESPONDENT_ID], "type": "str"}
        cols[C.UNIT] = {**column_spec(draft, "unit", gs, f"{where}.unit"), "required": True}
        cols[C.PERIOD] = _periods(draft, g, found[C.PERIOD], f"{where}.period")
        if table == "ikm":
            for name, header in ikm_elements(g).items():
                cols[name] = {"from": header, "type": "int", "min": 1, "max": 4}
        if C.SERVICE_DAYS in found and table == "unit_kpi":
            cols[C.SERVICE_DAYS] = {"from": found[C.SERVICE_DAYS], "type": "float", "min": 0}
        if C.COMPLAINTS in found and table == "unit_kpi":
            cols[C.COMPLAINTS] = {"from": found[C.COMPLAINTS], "type": "int", "min": 0}
        draft.note(path, f"{REVIEW}: the impact study also needs `impact: {{post_from: <first "
                         "period after training>, treated_units: [...]}}` at the top level")  # fmt: skip
        return dedupe
    if table == "benefits":
        if C.BENEFIT_TYPE in found:
            header = found[C.BENEFIT_TYPE]
            name = value_map(draft, "benefit_type", nonblank(g.frame[header]),
                             f"{where}.benefit_type")  # fmt: skip
            cols[C.BENEFIT_TYPE] = ({"from": header, "type": "category", "values": name}
                                    if name else {"from": header, "type": "str"})  # fmt: skip
        cols[C.BENEFIT] = {"from": found[C.BENEFIT], "type": "float", "min": 0}
        cols[C.ATTRIBUTION] = {"from": found[C.ATTRIBUTION], "type": "share"}
        cols[C.CONFIDENCE] = {"from": found[C.CONFIDENCE], "type": "share"}
        draft.note(f"{where}.benefit_idr", f"{REVIEW}: the benefit in rupiah a year")
        key = [c for c in ("nip" if "nip" in cols else "name", "cohort_id", "benefit_type")
               if c in cols]  # fmt: skip
        dedupe = {"key": key, **({"keep_latest": "submitted_at"} if "submitted_at" in cols else {})}
        return dedupe
    # retrospective: the then-test (or a pretest on its questions)
    cols[C.RATER] = rater_spec(draft, g, found.get(C.RATER), f"{where}.rater")
    if "months_after" in g.roles:
        cols[C.MONTHS_AFTER] = {"from": g.roles["months_after"], "type": "int", "min": 0,
                                "max": 60}  # fmt: skip
    else:
        cols[C.MONTHS_AFTER] = {"value": 0 if C.RATING_BEFORE not in found else 3}
        draft.note(f"{where}.months_after", f"{REVIEW}: months after training of this wave")
    for name in (C.ASPECT, C.ITEM, C.WEIGHT):
        if name in found:
            cols[name] = {"from": found[name], "type": "float" if name == C.WEIGHT else "str"}
    if C.RATING_BEFORE in found and C.RATING_NOW in found:
        cols[C.RATING_BEFORE] = {"from": found[C.RATING_BEFORE], "type": "int"}
        cols[C.RATING_NOW] = {"from": found[C.RATING_NOW], "type": "int"}
    else:
        cols[C.RATING_NOW] = {"from": found["rating"], "type": "int"}
        draft.note(path, f"{REVIEW}: one rating per question: read as a self-rating at the "
                         "start of training (month 0), the prospective pretest of the then-test")  # fmt: skip
    draft.note(f"{where}.rating_now", f"{REVIEW}: ratings on 1-4 (the PTIA scale); "
                                      "others are quarantined")  # fmt: skip
    ident = "nip" if "nip" in cols else "name"
    key = [ident, "cohort_id", "rater", "months_after", "item"]  # constants need no place
    return {"key": [c for c in key if "value" not in cols.get(c, {})]}
