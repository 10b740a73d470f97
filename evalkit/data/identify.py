"""Part of evalkit.clean."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

import pandas as pd

from evalkit import constants as C
from evalkit.data.cells import CleanContext
from evalkit.data.codebook import (
    OPTIONAL_PERSON_TABLES,
    PERSON_TABLES,
    TableSpec,
    norm_label,
)
from evalkit.data.parse import is_blank
from evalkit.data.pseudonym import normalize_name, pseudonym
from evalkit.data.read import mark_row, quarantine_rows, source_column
from evalkit.data.schema import TABLE_KEYS

#: A cohort running longer than this many days is flagged (``long_cohort``).
LONG_COHORT_DAYS = 366


def _canonical_cohorts(frame: pd.DataFrame, spec: TableSpec, ctx: CleanContext) -> pd.DataFrame:
    """Map cohort ids to the cohorts table's spelling; quarantine unknown ones."""
    if "cohort_id" not in frame or not ctx.cohorts:
        return frame
    lookup = {c: ctx.cohorts.get(norm_label(c)) for c in frame["cohort_id"].dropna().unique()}
    ids = frame["cohort_id"].map(lambda c: lookup.get(c) if c is not None else None)
    unknown = ids.isna()

    def why(c: object) -> str:
        close = difflib.get_close_matches(norm_label(c), list(ctx.cohorts), n=1, cutoff=0.7)
        hint = f"; closest: {ctx.cohorts[close[0]]!r}" if close else ""
        return f"unknown_cohort: {c!r} is not in the cohorts table{hint}"

    reasons = frame.loc[unknown, "cohort_id"].map(why)
    frame = quarantine_rows(
        frame, unknown, ctx, source_column(spec, "cohort_id"), frame["cohort_id"], reasons
    )
    frame = frame.copy()
    frame["cohort_id"] = ids[~unknown]
    return frame


# --- participants -------------------------------------------------------------------
def _identify(
    frames: dict[str, pd.DataFrame], specs: Mapping[str, TableSpec], ctx: CleanContext
) -> None:
    """Give every row of a person table a participant_id (in place).

    Rows of an optional person table (``benefits``) that give neither a NIP nor
    a name are unit-level: their participant_id is missing.
    """
    people = (*PERSON_TABLES, *OPTIONAL_PERSON_TABLES)
    registry: dict[tuple[str, str], set[str]] = {}
    for key, frame in frames.items():
        if specs[key].table not in people or frame.empty:
            continue
        if "nip" in frame and "name" in frame:
            for nip, name, cohort in zip(
                frame["nip"], frame["name"], frame["cohort_id"], strict=True
            ):
                norm = normalize_name(name)
                if isinstance(nip, str) and norm:
                    registry.setdefault((str(cohort), norm), set()).add(nip)
    for key in list(frames):
        spec, frame = specs[key], frames[key]
        if spec.table not in people:
            continue
        optional = spec.table in OPTIONAL_PERSON_TABLES
        if frame.empty:
            frame["participant_id"] = pd.Series(dtype=object)
            continue
        nips = frame["nip"] if "nip" in frame else pd.Series(None, index=frame.index, dtype=object)
        names = (
            frame["name"] if "name" in frame else pd.Series(None, index=frame.index, dtype=object)
        )
        problems = (
            frame["_nip_problem"]
            if "_nip_problem" in frame
            else pd.Series(None, index=frame.index, dtype=object)
        )
        nip_col = source_column(spec, "nip")
        ids: list[str | None] = []
        bad: dict[Any, str] = {}
        linked_nips: dict[Any, str] = {}
        none = [None] * len(frame)
        raw_nips = frame["_nip_raw"].tolist() if "_nip_raw" in frame else none
        nip_repairs = frame["_nip_repair"].tolist() if "_nip_repair" in frame else none
        for idx, nip, name, cohort, problem, file, row, raw_nip, repair in zip(
            frame.index, nips.tolist(), names.tolist(), frame["cohort_id"].tolist(),
            problems.tolist(), frame["_file"].tolist(), frame["_row"].tolist(), raw_nips,
            nip_repairs, strict=True,
        ):  # fmt: skip
            if isinstance(nip, str):
                if repair:
                    ctx.log.add(
                        file,
                        row,
                        nip_col,
                        raw_nip,
                        repair,
                        "repaired",
                        kind="nip",
                    )
                ids.append(pseudonym(f"nip:{nip}", salt=ctx.salt))
                continue
            norm = normalize_name(name)
            if optional and not norm and not isinstance(problem, str) and is_blank(raw_nip):
                ids.append(None)  # a unit-level row: no participant
                continue
            why = problem or ("nip_missing: no NIP given" if "nip" in frame else "")
            known = registry.get((str(cohort), norm or ""), set())
            if norm and len(known) == 1:
                linked = linked_nips[idx] = next(iter(known))
                ctx.log.add(file, row, nip_col, raw_nip,
                            f"{why}; NIP taken from the same name in cohort {cohort}",
                            "repaired", kind="nip")  # fmt: skip
                ids.append(pseudonym(f"nip:{linked}", salt=ctx.salt))
            elif norm:
                if why:
                    ctx.log.add(file, row, nip_col, raw_nip,
                                f"{why}; participant identified by name and cohort",
                                "repaired", kind="nip")  # fmt: skip
                ids.append(pseudonym(f"name:{norm}|{cohort}", salt=ctx.salt))
            else:
                bad[idx] = (
                    f"{why or 'no_identifier'}; no name either, so the participant is unknown"
                )
                ids.append(None)
        frame = frame.copy()
        frame["participant_id"] = ids
        if linked_nips:
            frame["nip"] = frame["nip"].astype(object)
            for idx, nip in linked_nips.items():
                frame.at[idx, "nip"] = nip
        if bad:
            mask = frame.index.isin(list(bad))
            raw = frame["_nip_raw"] if "_nip_raw" in frame else pd.Series("", index=frame.index)
            frame = quarantine_rows(
                frame, pd.Series(mask, index=frame.index), ctx, nip_col, raw,
                pd.Series(bad).reindex(frame.index), kind="nip",
            )  # fmt: skip
        frames[key] = frame


#: Person attributes that must agree between roster rows of one participant.
CONFLICT_COLUMNS = ("name", C.SEX, C.UNIT, C.GOLONGAN, C.POSITION_TYPE)


def _conflicts(frame: pd.DataFrame, spec: TableSpec, ctx: CleanContext) -> pd.DataFrame:
    """Quarantine roster rows that give one participant of a cohort conflicting data.

    Rows of the same cohort and participant (the same NIP, or the same name when
    there is no NIP) must agree on name, sex, unit, golongan and position; when
    they do not, the NIP was probably mistyped on one of them and neither row can
    be trusted, so every row of that participant is quarantined (``nip_conflict``).
    Rows that agree are duplicates, left to :func:`dedupe_rows`.
    """
    cols = [c for c in CONFLICT_COLUMNS if c in frame]
    if frame.empty or not cols or "participant_id" not in frame:
        return frame
    keys = frame["cohort_id"].astype(str) + "|" + frame["participant_id"].astype(str)
    repeated = keys.duplicated(keep=False)
    if not repeated.any():
        return frame
    sub = frame[repeated]
    compare = {c: (sub[c].map(normalize_name) if c == "name" else sub[c]) for c in cols}
    reasons: dict[Any, str] = {}
    first_col: dict[Any, str] = {}
    for key, idx in sub.groupby(keys[repeated], sort=False).groups.items():
        differing = []
        for col in cols:
            values = [v for v in compare[col].loc[idx] if v is not None and v == v]
            if len(set(values)) > 1:
                shown = (
                    "different names"
                    if col == "name"
                    else " vs ".join(repr(v) for v in dict.fromkeys(values))
                )
                differing.append((col, shown))
        if not differing:
            continue
        rows = ", ".join(str(r) for r in sub.loc[idx, "_row"])
        what = "; ".join(f"{col} {shown}" for col, shown in differing)
        by = "NIP" if isinstance(sub.loc[idx[0], "nip"] if "nip" in sub else None, str) else "name"
        for i in idx:
            reasons[i] = (
                f"nip_conflict: rows {rows} of {sub.at[i, '_file']} give the same {by} in cohort "
                f"{key.split('|', 1)[0]} conflicting data ({what}); check the {by} of each row"
            )
            first_col[i] = differing[0][0]
    if not reasons:
        return frame
    mask = pd.Series(frame.index.isin(list(reasons)), index=frame.index)
    for idx in frame.index[mask]:
        col = first_col[idx]
        ctx.log.add(frame.at[idx, "_file"], frame.at[idx, "_row"], source_column(spec, col),
                    frame.at[idx, col], reasons[idx], "quarantined",
                    kind="name" if col == "name" else "str")  # fmt: skip
        mark_row(frame, idx, ctx, "quarantined")
    return frame[~mask]


def _date_order(frame: pd.DataFrame, spec: TableSpec, ctx: CleanContext) -> pd.DataFrame:
    """Quarantine cohorts that end before they start (``bad_date_order``)."""
    if frame.empty or C.START_DATE not in frame or C.END_DATE not in frame:
        return frame
    start = pd.to_datetime(frame[C.START_DATE].astype(object), errors="coerce")
    end = pd.to_datetime(frame[C.END_DATE].astype(object), errors="coerce")
    bad = start.notna() & end.notna() & (end < start)
    reasons = pd.Series(
        [f"bad_date_order: ends {e:%d/%m/%Y}, before it starts ({s:%d/%m/%Y})"
         for s, e in zip(start[bad], end[bad], strict=True)], index=frame.index[bad], dtype=object,
    )  # fmt: skip
    shown = end.dt.strftime("%d/%m/%Y").astype(object)
    return quarantine_rows(frame, bad, ctx, source_column(spec, C.END_DATE), shown, reasons)


def _flag_dates(frame: pd.DataFrame, spec: TableSpec, ctx: CleanContext) -> None:
    """Flag kept rows whose ``date`` cells lie after the day of cleaning (``future_date``).

    A date column other than ``submitted_at`` holds a schedule (a cohort's start and
    end): a planned cohort may legitimately lie ahead, and quarantining it would
    quarantine every participant and answer of it as an unknown cohort. So the row is
    kept, with the date, and flagged for the evaluator: a typed year (2031 for 2013)
    is the usual cause.
    """
    if frame.empty:
        return
    today = ctx.now.normalize()
    for name, col in spec.columns.items():
        if col.type != "date" or col.source is None or name == C.SUBMITTED_AT or name not in frame:
            continue
        when = pd.to_datetime(frame[name].astype(object), errors="coerce")
        for idx in frame.index[(when > today).to_numpy()]:
            ctx.log.add(frame.at[idx, "_file"], frame.at[idx, "_row"], col.source,
                        f"{when.loc[idx]:%d/%m/%Y}",
                        f"future_date: {name} {when.loc[idx]:%d/%m/%Y} is later than the day "
                        f"of cleaning ({ctx.now:%Y-%m-%d}); kept, check the year",
                        "flagged")  # fmt: skip


def _long_cohorts(frame: pd.DataFrame, spec: TableSpec, ctx: CleanContext) -> None:
    """Flag cohorts that run longer than ``LONG_COHORT_DAYS`` (``long_cohort``)."""
    if frame.empty or C.START_DATE not in frame or C.END_DATE not in frame:
        return
    start = pd.to_datetime(frame[C.START_DATE].astype(object), errors="coerce")
    end = pd.to_datetime(frame[C.END_DATE].astype(object), errors="coerce")
    days = (end - start).dt.days
    for idx in frame.index[(days > LONG_COHORT_DAYS).to_numpy()]:
        ctx.log.add(frame.at[idx, "_file"], frame.at[idx, "_row"], source_column(spec, C.END_DATE),
                    f"{end.loc[idx]:%d/%m/%Y}",
                    f"long_cohort: runs {int(days.loc[idx]):,} days ({start.loc[idx]:%d/%m/%Y} "
                    f"to {end.loc[idx]:%d/%m/%Y}), more than {LONG_COHORT_DAYS}; kept, check "
                    "the dates", "flagged")  # fmt: skip


def dedupe_rows(frame: pd.DataFrame, key: tuple[str, ...], latest: str | None,
            ctx: CleanContext, what: str = "duplicate") -> pd.DataFrame:  # fmt: skip
    """Keep the latest row per key (by ``latest``, then by reading order); log the rest."""
    key = tuple(k for k in key if k in frame)
    if frame.empty or not key:
        return frame
    order = [latest, "_order"] if latest and latest in frame else ["_order"]
    frame = frame.sort_values(order, kind="mergesort", na_position="first")
    group_key = frame[list(key)].astype(object).where(frame[list(key)].notna(), "\0na")
    dup = group_key.duplicated(keep="last")
    if dup.any():
        kept = frame[~dup].copy()
        kept_at = {tuple(k): (f, r) for k, f, r in zip(
            group_key[~dup].itertuples(index=False, name=None), kept["_file"], kept["_row"], strict=True)}  # fmt: skip
        for idx in frame.index[dup]:
            f, r = kept_at[tuple(group_key.loc[idx])]
            by = f"submitted later ({latest})" if latest in frame else "later in the file"
            ctx.log.add(frame.at[idx, "_file"], frame.at[idx, "_row"], "", "",
                        f"{what}: same {', '.join(key)} as {f} row {r}, which is kept ({by})",
                        "dropped")  # fmt: skip
            mark_row(frame, idx, ctx, "duplicate")
    return frame[~dup].sort_values("_order", kind="mergesort")


def _dedupe_key(spec: TableSpec) -> tuple[tuple[str, ...], str | None]:
    if spec.dedupe is not None:
        key = tuple("participant_id" if k in ("nip", "name") else k for k in spec.dedupe.key)
        return tuple(dict.fromkeys(key)), spec.dedupe.keep_latest
    latest = "submitted_at" if "submitted_at" in spec.columns else None
    return TABLE_KEYS.get(spec.table, ()), latest
