"""Reading single cells: one parser per codebook column or item, and the cleaning context.

Where it sits in cleaning: :func:`evalkit.data.read.read_spec` reads a raw file's
columns through the parsers made here. :func:`cell_parser` gives, for one codebook
column, a function ``text -> (value, problem, repair)``: the typed value, a reason code
when the text cannot be used (the row is quarantined) and a note when the text was
repaired into its canonical form (logged as ``repaired``). :func:`item_parser` does the
same for one questionnaire or test item, and :func:`judge_column` applies a parser to a
whole raw column, parsing each distinct text once. :class:`CleanContext` carries what
every step of one cleaning run shares (codebook, quality log, row status, units,
cohorts, the time of cleaning).

Examples
--------
>>> from evalkit.data.codebook import parse_codebook
>>> ctx = CleanContext(parse_codebook({"study": "s", "tables": {}}), Path("."),
...                    QualityLog(), b"salt")
>>> parse = cell_parser(ColumnSpec("jp", "JP", "int", min=0), ctx)
>>> parse("40")
(40.0, None, None)
>>> parse("4,5")[1], parse("-2")[1]
("not_an_integer: '4,5' is not a whole number", "out_of_range: '-2' is outside 0..inf")
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from evalkit import constants as C
from evalkit.data.codebook import (
    Codebook,
    ColumnSpec,
    ItemSpec,
    LikertSet,
    TableSpec,
    norm_label,
)
from evalkit.data.nip import parse_nip, plain_valid
from evalkit.data.parse import (
    is_blank,
    parse_bool,
    parse_date,
    parse_datetime,
    parse_number,
    parse_share,
)
from evalkit.data.quality import QualityLog
from evalkit.data.schema import TABLE_REQUIRED, VOCABULARIES
from evalkit.data.scrub import shorten
from evalkit.errors import ParameterError

#: Smallest similarity for a unit typo to be mapped to a known unit (difflib ratio).
UNIT_MATCH_CUTOFF = 0.85

#: What a cell parser returns: (value, problem, repair).
Parsed = tuple[Any, str | None, str | None]

#: A cell parser: raw text -> (value, problem, repair).
CellParser = Callable[[str], Parsed]


# --- the context of one cleaning run ------------------------------------------------
#: What can happen to an input row (:attr:`CleanContext.status`).
ROW_STATUSES = ("kept", "duplicate", "quarantined", "empty")


class RowStatus:
    """(codebook table key, file, row) -> what happened to the input row.

    A mapping like a dict, stored as one small array of status codes per file (a
    million rows take a megabyte, not the few hundred a dict of tuples takes);
    :meth:`set_many` marks many rows of one file at once. Iteration is by file in
    the order first marked, then by row.

    Examples
    --------
    >>> status = RowStatus()
    >>> status[("r", "r.csv", 3)] = "quarantined"
    >>> status.set_many("r", "r.csv", np.array([2, 4]), "kept")
    >>> status
    {('r', 'r.csv', 2): 'kept', ('r', 'r.csv', 3): 'quarantined', ('r', 'r.csv', 4): 'kept'}
    >>> status.counts()
    {('r', 'r.csv'): {'kept': 2, 'quarantined': 1}}
    """

    def __init__(self) -> None:
        self._files: dict[tuple[str, str], np.ndarray] = {}

    def _codes(self, spec: str, file: str, top: int) -> np.ndarray:
        codes = self._files.get((spec, file))
        if codes is None or len(codes) <= top:
            grown = np.zeros(max(top + 1, 2 * len(codes) if codes is not None else 0), np.int8)
            if codes is not None:
                grown[: len(codes)] = codes
            self._files[(spec, file)] = codes = grown
        return codes

    def __setitem__(self, key: tuple[str, str, int], status: str) -> None:
        spec, file, row = key
        self._codes(spec, file, int(row))[int(row)] = ROW_STATUSES.index(status) + 1

    def set_many(self, spec: str, file: str, rows: np.ndarray, status: str) -> None:
        """Mark rows ``rows`` of one file with ``status``."""
        rows = np.asarray(rows, dtype=np.int64)
        if len(rows):
            self._codes(spec, file, int(rows.max()))[rows] = ROW_STATUSES.index(status) + 1

    def __getitem__(self, key: tuple[str, str, int]) -> str:
        spec, file, row = key
        codes = self._files.get((spec, file))
        if codes is None or not 0 <= row < len(codes) or codes[row] == 0:
            raise KeyError(key)
        return ROW_STATUSES[codes[row] - 1]

    def items(self) -> Iterator[tuple[tuple[str, str, int], str]]:
        for (spec, file), codes in self._files.items():
            for row in np.flatnonzero(codes):
                yield (spec, file, int(row)), ROW_STATUSES[codes[row] - 1]

    def __iter__(self) -> Iterator[tuple[str, str, int]]:
        return (key for key, _ in self.items())

    def values(self) -> Iterator[str]:
        return (status for _, status in self.items())

    def __len__(self) -> int:
        return int(sum(np.count_nonzero(codes) for codes in self._files.values()))

    def counts(self) -> dict[tuple[str, str], dict[str, int]]:
        """(codebook table key, file) -> status -> rows, in the order of :data:`ROW_STATUSES`."""
        out = {}
        for key, codes in self._files.items():
            tally = np.bincount(codes, minlength=len(ROW_STATUSES) + 1)
            out[key] = {s: int(n) for s, n in zip(ROW_STATUSES, tally[1:], strict=True) if n}
        return out

    def __eq__(self, other: object) -> bool:
        return dict(self.items()) == (dict(other.items()) if isinstance(other, RowStatus)
                                      else other)  # fmt: skip

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(dict(self.items()))


@dataclass
class CleanContext:
    """What the steps of one cleaning run share.

    Attributes
    ----------
    codebook : Codebook
        The study's validated codebook.
    raw_dir : Path
        The raw study folder (only read).
    log : QualityLog
        The quality log being written.
    salt : bytes
        Salt of the pseudonymous ids.
    status : RowStatus
        (codebook table key, file, row) -> what happened to the input row: ``kept``,
        ``duplicate``, ``quarantined`` or ``empty``.
    units : dict
        Normalised unit name or variant -> canonical unit name.
    cohorts : dict
        Normalised cohort id -> the cohorts table's spelling.
    files : dict
        Codebook table key -> the raw files it reads.
    now : pandas.Timestamp
        The time of cleaning (later dates are in the future).
    """

    codebook: Codebook
    raw_dir: Path
    log: QualityLog
    salt: bytes
    status: RowStatus = field(default_factory=RowStatus)
    units: dict[str, str] = field(default_factory=dict)
    cohorts: dict[str, str] = field(default_factory=dict)
    files: dict[str, list[str]] = field(default_factory=dict)
    now: pd.Timestamp = field(default_factory=lambda: pd.Timestamp.now().floor("s"))

    def mark(self, spec: str, file: str, row: int, status: str) -> None:
        """Record what happened to one input row (the last call for a row wins)."""
        self.status[(spec, file, row)] = status

    def mark_many(self, spec: str, file: str, rows: np.ndarray, status: str) -> None:
        """Record the same status for many input rows of one file."""
        self.status.set_many(spec, file, rows, status)


# --- one parser per column type -----------------------------------------------------
def cell_parser(col: ColumnSpec, ctx: CleanContext) -> CellParser:
    """Return f(text) -> (value, problem, repair) for one column spec.

    Parameters
    ----------
    col : ColumnSpec
        The codebook column; its ``type`` picks the parser (:data:`PARSER_FACTORIES`).
    ctx : CleanContext
        The run (Likert sets, units, the time of cleaning).

    Returns
    -------
    callable
        Never raises: an unreadable text gives ``(None, reason, None)``.

    Examples
    --------
    >>> from evalkit.data.codebook import parse_codebook
    >>> ctx = CleanContext(parse_codebook({"study": "s", "tables": {}}), Path("."),
    ...                    QualityLog(), b"salt")
    >>> cell_parser(ColumnSpec("sex", "JK", "category"), ctx)(" p ")
    ('P', None, None)
    """
    make = PARSER_FACTORIES.get(col.type)
    if make is None:  # pragma: no cover - the codebook allows only known types
        raise ParameterError(f"clean_study: column type {col.type!r} is not supported")
    return make(col, ctx)


def _bounded(col: ColumnSpec, value: float | None, reason: str | None, raw: str) -> Parsed:
    """A number checked against the column's ``min`` and ``max``."""
    if value is None:
        return None, reason, None
    if col.min is not None and value < col.min or col.max is not None and value > col.max:
        lo = "-inf" if col.min is None else f"{col.min:g}"
        hi = "inf" if col.max is None else f"{col.max:g}"
        return None, f"out_of_range: {shorten(raw)!r} is outside {lo}..{hi}", None
    return value, None, None


def _number_parser(col: ColumnSpec, ctx: CleanContext) -> CellParser:
    """``int`` and ``float`` columns: Indonesian or English numbers, within bounds."""

    def parse(raw: str) -> Parsed:
        value, reason = parse_number(raw)
        if value is not None and col.type == "int" and not float(value).is_integer():
            return None, f"not_an_integer: {shorten(raw)!r} is not a whole number", None
        return _bounded(col, value, reason, raw)

    return parse


def _share_parser(col: ColumnSpec, ctx: CleanContext) -> CellParser:
    """``share`` columns: a percentage or a fraction, read as 0-1."""
    return lambda raw: _bounded(col, *parse_share(raw), raw)


def _likert_parser(col: ColumnSpec, ctx: CleanContext) -> CellParser:
    """``likert`` columns: a label of the column's Likert set or its number."""
    scale = ctx.codebook.likert[str(col.likert)]

    def parse(raw: str) -> Parsed:
        if is_blank(raw):
            return None, None, None
        value = scale.score(raw)
        if value is None:
            return None, _likert_reason(raw, scale), None
        return _bounded(col, float(value), None, raw)

    return parse


def _date_parser(col: ColumnSpec, ctx: CleanContext) -> CellParser:
    """``date`` columns: a day; a submission day may not lie after the day of cleaning."""
    if col.name != C.SUBMITTED_AT:
        return lambda raw: (*parse_date(raw), None)  # later dates: flag_future_dates

    def day(raw: str) -> Parsed:
        value, reason = parse_date(raw)
        if value is not None and value > ctx.now.normalize():
            return None, _future_reason(raw, ctx), None
        return value, reason, None

    return day


def _datetime_parser(col: ColumnSpec, ctx: CleanContext) -> CellParser:
    """``datetime`` columns: a timestamp no later than a day after the time of cleaning.

    The parser has a ``bulk`` attribute, a vectorised fast path for many distinct
    ``dd/mm/yyyy hh:mm:ss`` texts (Google Forms) used by :func:`judge_column`.
    """
    latest = ctx.now + pd.Timedelta(days=1)

    def when(raw: str) -> Parsed:
        value, reason = parse_datetime(raw)
        if value is not None and value > latest:
            return None, _future_reason(raw, ctx), None
        return value, reason, None

    def bulk(texts: list[Any]) -> list[Parsed | None]:
        """Vectorised fast path for ``dd/mm/yyyy hh:mm:ss`` (Google Forms)."""
        series = pd.Series(texts, dtype=object)
        plain = series.map(lambda t: isinstance(t, str)).astype(bool)
        text = series.where(plain, "").astype(str)
        exact = text.str.fullmatch(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2}").astype(bool)
        stamps = pd.to_datetime(text.where(exact, None), format="%d/%m/%Y %H:%M:%S",
                                errors="coerce")  # fmt: skip
        fine = exact & stamps.notna() & stamps.dt.year.between(1900, 2100) & (stamps <= latest)
        return [
            (pd.Timestamp(v), None, None) if ok else None
            for v, ok in zip(stamps.tolist(), fine.tolist(), strict=True)
        ]

    when.bulk = bulk
    return when


def _bool_parser(col: ColumnSpec, ctx: CleanContext) -> CellParser:
    """``bool`` columns: yes/no in Indonesian or English."""
    return lambda raw: (*parse_bool(raw), None)


def _nip_parser(col: ColumnSpec, ctx: CleanContext) -> CellParser:
    """``nip`` columns: an 18-digit NIP; a mangled one is repaired when lossless."""

    def parse(raw: str) -> Parsed:
        if is_blank(raw):
            return None, None, None
        nip, reason = parse_nip(raw)
        if nip is None:
            return None, reason, None
        bare = str(raw).strip().strip("'\"`\u2018\u2019\u201c\u201d").strip()
        repair = None if bare == nip else f"nip_reformatted: {_nip_repair_kind(bare)}"
        return nip, None, repair

    def bulk(texts: list[Any]) -> list[Parsed | None]:
        """Vectorised fast path: texts that are a valid NIP as they stand."""
        return [(t, None, None) if ok else None
                for t, ok in zip(texts, plain_valid(texts), strict=True)]  # fmt: skip

    parse.bulk = bulk
    return parse


def _unit_parser(col: ColumnSpec, ctx: CleanContext) -> CellParser:
    """``unit`` columns: the codebook's canonical unit names (variants and typos mapped)."""
    return lambda raw: _parse_unit(raw, ctx)


def _text_parser(col: ColumnSpec, ctx: CleanContext) -> CellParser:
    """``str``, ``name`` and ``category`` columns: spaces collapsed; values mapped.

    A ``category`` column, or one with a controlled vocabulary, accepts only the values
    of its map and vocabulary (case and spaces ignored).
    """
    ctype = col.type
    vocab = VOCABULARIES.get(col.name)
    mapping = dict(col.values or {})
    if ctype == "category" or vocab is not None:
        for canonical in set(mapping.values()) | set(vocab or ()):
            mapping.setdefault(norm_label(canonical), canonical)

    def parse(raw: str) -> Parsed:
        if is_blank(raw):
            return None, None, None
        text = re.sub(r"\s+", " ", str(raw)).strip()
        if ctype == "name" or not mapping:
            return text, None, None
        key = norm_label(text)
        if key in mapping:
            return mapping[key], None, None
        allowed = sorted(set(mapping.values()))
        return (
            None,
            (
                f"unknown_category: {shorten(text)!r} is not a known {col.name} "
                f"(allowed: {', '.join(allowed)})"
            ),
            None,
        )

    return parse


#: Column type (:data:`evalkit.data.schema.COLUMN_TYPES`) -> factory of its cell parser.
PARSER_FACTORIES: dict[str, Callable[[ColumnSpec, CleanContext], CellParser]] = {
    "float": _number_parser,
    "int": _number_parser,
    "share": _share_parser,
    "likert": _likert_parser,
    "date": _date_parser,
    "datetime": _datetime_parser,
    "bool": _bool_parser,
    "nip": _nip_parser,
    "unit": _unit_parser,
    "category": _text_parser,
    "str": _text_parser,
    "name": _text_parser,
}


def _future_reason(raw: object, ctx: CleanContext) -> str:
    return (
        f"future_date: {shorten(str(raw))!r} is later than the day of cleaning ({ctx.now:%Y-%m-%d})"
    )


def _nip_repair_kind(bare: str) -> str:
    if "e" in bare.lower():
        return "scientific notation with all 18 digits"
    if re.search(r"[.,]0+$", bare) and len(re.sub(r"\D", "", bare)) > 18:
        return "trailing decimal '.0' removed"
    return "separators removed"


def _likert_reason(raw: str, scale: LikertSet) -> str:
    text = norm_label(raw)
    number = re.fullmatch(r"-?\d+(?:[.,]\d+)?", text)
    if number:
        return (
            f"likert_out_of_range: {shorten(str(raw))!r} is outside 1..{scale.max} ({scale.name})"
        )
    labels = sorted(scale.labels, key=lambda k: (scale.labels[k], k))
    close = difflib.get_close_matches(text, labels, n=1, cutoff=0.8)
    hint = f"; closest: {close[0]!r}" if close else ""
    return (
        f"likert_unknown_label: {shorten(str(raw))!r} is not a label of {scale.name}{hint} "
        f"(allowed: {', '.join(labels)} or 1..{scale.max})"
    )


def _parse_unit(raw: str, ctx: CleanContext) -> Parsed:
    if is_blank(raw):
        return None, None, None
    text = re.sub(r"\s+", " ", str(raw)).strip()
    if not ctx.units:
        return text, None, None
    key = norm_label(text)
    canonical = ctx.units.get(key)
    if canonical is not None:
        return (
            canonical,
            None,
            (None if canonical == text else f"unit_variant: read as {canonical!r}"),
        )
    close = difflib.get_close_matches(key, list(ctx.units), n=1, cutoff=UNIT_MATCH_CUTOFF)
    if close:
        canonical = ctx.units[close[0]]
        return canonical, None, f"unit_typo: read as {canonical!r} (closest known name)"
    near = difflib.get_close_matches(key, list(ctx.units), n=1, cutoff=0.6)
    hint = f"; closest: {ctx.units[near[0]]!r}" if near else ""
    return None, f"unknown_unit: {shorten(text)!r} is not in the codebook's units{hint}", None


def is_required(spec: TableSpec, name: str) -> bool:
    """Whether a column must have a value: marked ``required`` or required by the schema.

    Examples
    --------
    >>> is_required(TableSpec("c", "costs", ("c.csv",)), "amount_idr")
    True
    """
    col = spec.columns.get(name)
    return bool(col and col.required) or name in TABLE_REQUIRED[spec.table]


# --- one parser per item ------------------------------------------------------------
def item_parser(item: ItemSpec, spec: TableSpec, ctx: CleanContext) -> CellParser:
    """Return f(text) -> (score, problem, None) for one item.

    An item with a Likert set gives its score; a test item gives 1.0 or 0.0 (right or
    wrong: compared with its ``key``, else read as yes/no); any other item (IKM without a
    Likert set) a whole number 1..``max`` (default 4).

    Examples
    --------
    >>> from evalkit.data.codebook import parse_codebook
    >>> ctx = CleanContext(parse_codebook({"study": "s", "tables": {}}), Path("."),
    ...                    QualityLog(), b"salt")
    >>> spec = TableSpec("t", "test_items", ("t.csv",))
    >>> parse = item_parser(ItemSpec("q1", "Soal 1", key="B"), spec, ctx)
    >>> parse(" b "), parse("C"), parse("")
    ((1.0, None, None), (0.0, None, None), (None, None, None))
    """
    if item.likert is not None:
        return _likert_item_parser(ctx.codebook.likert[item.likert])
    if spec.table == "test_items":
        return _test_answer_parser(item)
    return _whole_number_parser(item.max or 4.0)


def _likert_item_parser(scale: LikertSet) -> CellParser:
    """A Likert item: a label of ``scale`` or its number."""

    def likert(raw: str) -> Parsed:
        if is_blank(raw):
            return None, None, None
        value = scale.score(raw)
        return (
            (None, _likert_reason(raw, scale), None)
            if value is None
            else (float(value), None, None)
        )

    return likert


def _test_answer_parser(item: ItemSpec) -> CellParser:
    """A test item: right (1.0) or wrong (0.0), against its key or as yes/no."""

    def answer(raw: str) -> Parsed:
        if is_blank(raw):
            return None, None, None
        if item.key is not None:
            return float(norm_label(raw) == norm_label(item.key)), None, None
        flag, reason = parse_bool(raw)
        if flag is None:
            return (
                None,
                f"not_a_test_answer: {shorten(str(raw))!r} is not 1/0 (benar/salah)",
                None,
            )
        return float(flag), None, None

    return answer


def _whole_number_parser(top: float) -> CellParser:
    """An item answered with a whole number 1..``top``."""

    def number(raw: str) -> Parsed:
        value, reason = parse_number(raw)
        if value is not None and (not 1 <= value <= top or not float(value).is_integer()):
            return (
                None,
                f"out_of_range: {shorten(str(raw))!r} is not a whole number in 1..{top:g}",
                None,
            )
        return value, reason, None

    return number


# --- a whole raw column -------------------------------------------------------------
def _parse_series(
    raw: pd.Series, parser: CellParser
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Parse each distinct text once: each row's code, and per code value, problem, repair."""
    codes, texts = _distinct_texts(raw)
    bulk = getattr(parser, "bulk", None)
    fast = bulk(texts) if bulk is not None and len(texts) > 1000 else [None] * len(texts)
    parsed = [hit if hit is not None else parser(t) for t, hit in zip(texts, fast, strict=True)]
    values = np.empty(len(parsed), dtype=object)
    problems = np.empty(len(parsed), dtype=object)
    repairs = np.empty(len(parsed), dtype=object)
    for i, (value, problem, repair) in enumerate(parsed):
        values[i], problems[i], repairs[i] = value, problem, repair
    return codes, values, problems, repairs


def _distinct_texts(raw: pd.Series) -> tuple[np.ndarray, list[Any]]:
    """Each cell's code and the distinct cells in order of appearance (as
    :func:`pandas.factorize` gives them); Arrow text without nulls is encoded in Arrow,
    without a Python text per cell."""
    if (
        isinstance(raw.dtype, pd.StringDtype)
        and raw.dtype.storage == "pyarrow"
        and not (raw.hasnans)
    ):
        import pyarrow as pa

        array = pa.array(raw.array)
        encoded = (array.combine_chunks() if isinstance(array, pa.ChunkedArray)
                   else array).dictionary_encode()  # fmt: skip
        return encoded.indices.to_numpy().astype(np.intp), encoded.dictionary.to_pylist()
    codes, uniques = pd.factorize(raw.astype(object), use_na_sentinel=False)
    return codes, uniques.tolist()


def judge_column(
    raw: pd.Series, parser: CellParser, *, name: str, source: str, kind: str, required: bool,
    nonempty: np.ndarray, quarantine: dict[int, tuple[str, str, str, str]], file: str,
    rows: np.ndarray, ctx: CleanContext, numeric: bool = False,
) -> tuple[list[Any], list[str | None], list[str | None]]:  # fmt: skip
    """Parse one raw column; log repairs and collect the first problem of each row.

    Parameters
    ----------
    raw : pandas.Series
        The raw column (text).
    parser : callable
        Its cell parser (:func:`cell_parser` or :func:`item_parser`).
    name, source, kind : str
        Output column, raw header and type (how the log masks the value).
    required : bool
        Whether an empty cell of a non-empty row is a problem (``missing_required``).
    nonempty : numpy.ndarray
        Rows that are not entirely empty (only those are judged).
    quarantine : dict
        Row position -> (header, text, problem, kind); the first problem of a row is
        added here (not for ``nip``: a bad NIP is judged with the name later).
    file : str
        The raw file (for the log).
    rows : numpy.ndarray
        The file's row numbers.
    ctx : CleanContext
        The run; repairs are logged to ``ctx.log``.
    numeric : bool, default False
        Return the values as float64 numbers (missing as NaN), converted once per
        distinct text (item scores).

    Returns
    -------
    tuple of numpy.ndarray
        Values, problems and repairs, one per row (object arrays; the values float64
        with ``numeric``).

    Examples
    --------
    >>> from evalkit.data.codebook import parse_codebook
    >>> ctx = CleanContext(parse_codebook({"study": "s", "tables": {}}), Path("."),
    ...                    QualityLog(), b"salt")
    >>> problems = {}
    >>> values, _, _ = judge_column(
    ...     pd.Series(["3", "x", ""]), cell_parser(ColumnSpec("jp", "JP", "int"), ctx),
    ...     name="jp", source="JP", kind="int", required=True,
    ...     nonempty=np.array([True, True, True]), quarantine=problems, file="a.csv",
    ...     rows=np.array([2, 3, 4]), ctx=ctx)
    >>> values.tolist()
    [3.0, None, None]
    >>> [problems[i][2] for i in sorted(problems)]
    ["not_a_number: 'x' is not a number", 'missing_required: jp is required but empty']
    """
    codes, values, problems, repairs = _parse_series(raw, parser)
    judged = (  # per distinct text, then spread over the rows
        pd.notna(problems) | pd.notna(repairs) | (required & pd.isna(values))
    )
    numbers = (
        pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").to_numpy(dtype=float)[codes]
        if numeric
        else None
    )
    values, problems, repairs = values[codes], problems[codes], repairs[codes]
    check = np.flatnonzero(nonempty & judged[codes]) if len(codes) else np.zeros(0, dtype=int)
    texts = raw.iloc[check].tolist()
    for i, text in zip(check, texts, strict=True):
        problem = problems[i]
        if problem is None and values[i] is None and required:
            problem = f"missing_required: {name} is required but empty"
        if problem is not None:
            if name != "nip":  # a bad NIP is judged with the name later
                quarantine.setdefault(i, (source, text, problem, kind))
        elif repairs[i] is not None and name != "nip":
            ctx.log.add(file, rows[i], source, text, repairs[i], "repaired", kind=kind)
    return (values if numbers is None else numbers), problems, repairs
