"""Part of evalkit.clean."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from evalkit import constants as C
from evalkit.data.codebook import (
    VOCABULARIES,
    Codebook,
    ColumnSpec,
    ItemSpec,
    TableSpec,
    norm_label,
)
from evalkit.data.nip import parse_nip
from evalkit.data.parse import (
    is_blank,
    parse_bool,
    parse_date,
    parse_datetime,
    parse_number,
    parse_share,
)
from evalkit.data.quality import QualityLog
from evalkit.data.scrub import shorten
from evalkit.errors import ParameterError

#: Smallest similarity for a unit typo to be mapped to a known unit (difflib ratio).
UNIT_MATCH_CUTOFF = 0.85


# --- reading one codebook table -----------------------------------------------------
@dataclass
class CleanContext:
    codebook: Codebook
    raw_dir: Path
    log: QualityLog
    salt: bytes
    status: dict[tuple[str, str, int], str] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    cohorts: dict[str, str] = field(default_factory=dict)
    files: dict[str, list[str]] = field(default_factory=dict)
    now: pd.Timestamp = field(default_factory=lambda: pd.Timestamp.now().floor("s"))

    def mark(self, spec: str, file: str, row: int, status: str) -> None:
        self.status[(spec, file, row)] = status


def cell_parser(
    col: ColumnSpec, ctx: CleanContext
) -> Callable[[str], tuple[Any, str | None, str | None]]:
    """Return f(text) -> (value, problem, repair) for one column spec."""
    ctype = col.type

    def bounded(
        value: float | None, reason: str | None, raw: str
    ) -> tuple[Any, str | None, str | None]:
        if value is None:
            return None, reason, None
        if col.min is not None and value < col.min or col.max is not None and value > col.max:
            lo = "-inf" if col.min is None else f"{col.min:g}"
            hi = "inf" if col.max is None else f"{col.max:g}"
            return None, f"out_of_range: {shorten(raw)!r} is outside {lo}..{hi}", None
        return value, None, None

    if ctype in ("float", "int"):

        def parse(raw: str) -> tuple[Any, str | None, str | None]:
            value, reason = parse_number(raw)
            if value is not None and ctype == "int" and not float(value).is_integer():
                return None, f"not_an_integer: {shorten(raw)!r} is not a whole number", None
            return bounded(value, reason, raw)

        return parse
    if ctype == "share":
        return lambda raw: bounded(*parse_share(raw), raw)
    if ctype == "likert":
        scale = ctx.codebook.likert[str(col.likert)]

        def parse(raw: str) -> tuple[Any, str | None, str | None]:
            if is_blank(raw):
                return None, None, None
            value = scale.score(raw)
            if value is None:
                return None, _likert_reason(raw, scale), None
            return bounded(float(value), None, raw)

        return parse
    if ctype == "date":
        if col.name != C.SUBMITTED_AT:
            return lambda raw: (*parse_date(raw), None)  # later dates: _flag_dates

        def day(raw: str) -> tuple[Any, str | None, str | None]:
            value, reason = parse_date(raw)
            if value is not None and value > ctx.now.normalize():
                return None, _future_reason(raw, ctx), None
            return value, reason, None

        return day
    if ctype == "datetime":
        latest = ctx.now + pd.Timedelta(days=1)

        def when(raw: str) -> tuple[Any, str | None, str | None]:
            value, reason = parse_datetime(raw)
            if value is not None and value > latest:
                return None, _future_reason(raw, ctx), None
            return value, reason, None

        def bulk(texts: list[Any]) -> list[tuple[Any, str | None, str | None] | None]:
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
    if ctype == "bool":
        return lambda raw: (*parse_bool(raw), None)
    if ctype == "nip":

        def parse(raw: str) -> tuple[Any, str | None, str | None]:
            if is_blank(raw):
                return None, None, None
            nip, reason = parse_nip(raw)
            if nip is None:
                return None, reason, None
            bare = str(raw).strip().strip("'\"`\u2018\u2019\u201c\u201d").strip()
            repair = None if bare == nip else f"nip_reformatted: {_nip_repair_kind(bare)}"
            return nip, None, repair

        return parse
    if ctype == "unit":
        return lambda raw: _parse_unit(raw, ctx)
    if ctype in ("category", "str", "name"):
        vocab = VOCABULARIES.get(col.name)
        mapping = dict(col.values or {})
        if ctype == "category" or vocab is not None:
            for canonical in set(mapping.values()) | set(vocab or ()):
                mapping.setdefault(norm_label(canonical), canonical)

        def parse(raw: str) -> tuple[Any, str | None, str | None]:
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
    raise ParameterError(f"clean_study: column type {ctype!r} is not supported")  # pragma: no cover


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


def _likert_reason(raw: str, scale: Any) -> str:
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


def _parse_unit(raw: str, ctx: CleanContext) -> tuple[Any, str | None, str | None]:
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


def _parse_series(
    raw: pd.Series, parser: Callable[[str], tuple[Any, str | None, str | None]]
) -> tuple[list[Any], list[str | None], list[str | None]]:
    """Parse each distinct text once, then spread the results over the rows."""
    codes, uniques = pd.factorize(raw.astype(object), use_na_sentinel=False)
    texts = uniques.tolist()
    bulk = getattr(parser, "bulk", None)
    fast = bulk(texts) if bulk is not None and len(texts) > 1000 else [None] * len(texts)
    parsed = [hit if hit is not None else parser(t) for t, hit in zip(texts, fast, strict=True)]
    values = np.empty(len(parsed), dtype=object)
    problems = np.empty(len(parsed), dtype=object)
    repairs = np.empty(len(parsed), dtype=object)
    for i, (value, problem, repair) in enumerate(parsed):
        values[i], problems[i], repairs[i] = value, problem, repair
    return values[codes].tolist(), problems[codes].tolist(), repairs[codes].tolist()


def is_required(spec: TableSpec, name: str) -> bool:
    from evalkit.data.codebook import TABLE_REQUIRED

    col = spec.columns.get(name)
    return bool(col and col.required) or name in TABLE_REQUIRED[spec.table]


def item_parser(
    item: ItemSpec, spec: TableSpec, ctx: CleanContext
) -> Callable[[str], tuple[Any, str | None, str | None]]:
    """Return f(text) -> (score, problem, None) for one item."""
    if item.likert is not None:
        scale = ctx.codebook.likert[item.likert]

        def likert(raw: str) -> tuple[Any, str | None, str | None]:
            if is_blank(raw):
                return None, None, None
            value = scale.score(raw)
            return (
                (None, _likert_reason(raw, scale), None)
                if value is None
                else (float(value), None, None)
            )

        return likert
    if spec.table == "test_items":

        def answer(raw: str) -> tuple[Any, str | None, str | None]:
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
    top = item.max or 4.0

    def number(raw: str) -> tuple[Any, str | None, str | None]:
        value, reason = parse_number(raw)
        if value is not None and (not 1 <= value <= top or not float(value).is_integer()):
            return (
                None,
                f"out_of_range: {shorten(str(raw))!r} is not a whole number in 1..{top:g}",
                None,
            )
        return value, reason, None

    return number


def judge_column(
    raw: pd.Series, parser: Callable[[str], tuple[Any, str | None, str | None]], *, name: str,
    source: str, kind: str, required: bool, nonempty: np.ndarray,
    quarantine: dict[int, tuple[str, str, str, str]], file: str, rows: np.ndarray, ctx: CleanContext,
) -> tuple[list[Any], list[str | None], list[str | None]]:  # fmt: skip
    """Parse one raw column; log repairs and collect the first problem of each row."""
    values, problems, repairs = _parse_series(raw, parser)
    texts = raw.tolist()
    check = nonempty & (
        pd.notna(pd.Series(problems, dtype=object)).to_numpy()
        | pd.notna(pd.Series(repairs, dtype=object)).to_numpy()
        | (required & pd.isna(pd.Series(values, dtype=object)).to_numpy())
    )
    for i in np.flatnonzero(check):
        text = texts[i]
        problem = problems[i]
        if problem is None and values[i] is None and required:
            problem = f"missing_required: {name} is required but empty"
        if problem is not None:
            if name != "nip":  # a bad NIP is judged with the name later
                quarantine.setdefault(i, (source, text, problem, kind))
        elif repairs[i] is not None and name != "nip":
            ctx.log.add(file, rows[i], source, text, repairs[i], "repaired", kind=kind)
    return values, problems, repairs
