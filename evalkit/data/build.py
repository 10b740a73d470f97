"""Building the processed tables from the parsed codebook tables: one builder per table.

Where it sits in cleaning: the last step of :func:`evalkit.data.clean.clean_study`
before writing. The codebook tables have been read (:mod:`evalkit.data.read`) and
linked (:mod:`evalkit.data.identify`: cohorts, participant ids, duplicates);
:func:`build_tables` now runs the :data:`BUILDERS` in order, each making the processed
tables of one kind in the columns, types and order of :mod:`evalkit.data.schema`:

- cohorts and programs (programs from their own list, else from the cohorts);
- reaction (with ``reaction_items``), followup and test_items: long tables, one row
  per answer; forms without any answer are dropped (``empty_response``);
- learning: one row per participant with ``pre`` and ``post``; scores out of range are
  quarantined, a post-test without a pre-test is flagged (``post_without_pre``);
- projects, comments (scrubbed of names and contact data), ikm and unit_kpi (periods,
  ``period_index`` and the impact design), costs, benefits;
- participants last: the roster plus everyone with data in another person table, with
  sex and age band derived from the NIP when not given.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from evalkit import constants as C
from evalkit.data.build_facilitators import build_facilitator_ratings
from evalkit.data.build_items import build_followup_items
from evalkit.data.build_participants import participant_rows
from evalkit.data.build_retrospective import paired_items, retrospective_rows
from evalkit.data.build_typing import as_dtype
from evalkit.data.cells import CleanContext
from evalkit.data.codebook import TableSpec, norm_label
from evalkit.data.derived_cohorts import derive_cohorts
from evalkit.data.identify import dedupe_rows
from evalkit.data.parse import blank_mask
from evalkit.data.read import mark_row, slug, source_column
from evalkit.data.schema import (
    DEFAULT_MAX_SCORE,
    OUTPUT_COLUMNS,
    SORT_KEYS,
    TABLE_KEYS,
    output_dtype,
)
from evalkit.data.scrub import scrub_text
from evalkit.io.memory import release_freed_memory

Tables = dict[str, pd.DataFrame]


# --- the dispatcher -----------------------------------------------------------------
@dataclass
class _Build:
    """The parsed codebook tables and the processed tables built so far."""

    parsed: Tables
    specs: Mapping[str, TableSpec]
    ctx: CleanContext
    outputs: Tables = field(default_factory=dict)
    by_table: dict[str, list[str]] = field(default_factory=dict)
    #: Processed long table -> the (cohort, participant) pairs of its forms (one per form,
    #: not per answer): who has data there, without going over every answer again.
    present: dict[str, list[pd.DataFrame]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for key, spec in self.specs.items():
            self.by_table.setdefault(spec.table, []).append(key)

    def keys(self, table: str) -> list[str]:
        """Codebook table keys that fill processed table ``table``, sorted."""
        return sorted(self.by_table.get(table, []))

    def gather(self, table: str) -> pd.DataFrame:
        """The parsed rows of every codebook table that fills ``table``, with ``_order``."""
        parts = [self.parsed[k] for k in self.keys(table) if not self.parsed[k].empty]
        if not parts:
            return pd.DataFrame()
        frame = pd.concat(parts, ignore_index=True)
        frame["_order"] = np.arange(len(frame))
        return frame

    def cohort_dates(self, column: str) -> dict[str, Any]:
        """Cohort id -> its start or end date (empty before the cohorts are built)."""
        if "cohorts" not in self.outputs:
            return {}
        co = self.outputs["cohorts"]
        return dict(zip(co[C.COHORT_ID], co[column], strict=True))


def build_tables(parsed: Tables, specs: Mapping[str, TableSpec], ctx: CleanContext) -> Tables:
    """Turn the parsed codebook tables into the processed tables.

    Parameters
    ----------
    parsed : dict of str to pandas.DataFrame
        Codebook table key -> its parsed, linked and deduplicated rows. A long table's
        inputs are replaced by themselves without their item columns once the answers
        are built, so that their memory is freed.
    specs : mapping of str to TableSpec
        Codebook table key -> its spec.
    ctx : CleanContext
        The run: rows dropped or quarantined here are logged and marked.

    Returns
    -------
    dict of str to pandas.DataFrame
        Processed table -> table (columns of :data:`evalkit.data.schema.OUTPUT_COLUMNS`),
        in alphabetical order; a table no codebook table fills is absent.

    Examples
    --------
    >>> from pathlib import Path
    >>> from evalkit.data.codebook import parse_codebook
    >>> from evalkit.data.quality import QualityLog
    >>> cb = parse_codebook({"study": "s", "tables": {"costs": {"files": ["c.csv"],
    ...     "columns": {"cohort_id": "Angkatan", "category": "Komponen",
    ...                 "amount_idr": "Jumlah"}}}})
    >>> ctx = CleanContext(cb, Path("."), QualityLog(), b"salt")
    >>> parsed = {"costs": pd.DataFrame({"cohort_id": ["A1", "A1"], "category": ["ATK"] * 2,
    ...     "amount_idr": [5.0, 7.0], "_spec": "costs", "_file": "c.csv", "_row": [2, 3],
    ...     "_order": [0, 1]})}
    >>> build_tables(parsed, cb.tables, ctx)["costs"]
      cohort_id category  amount_idr
    0        A1      ATK         7.0
    >>> ctx.status
    {('costs', 'c.csv', 2): 'duplicate'}
    """
    build = _Build(parsed, specs, ctx)
    for builder in BUILDERS:
        build.outputs.update(builder(build))
        release_freed_memory()  # what the builder held, before the next one needs more
    return dict(sorted(build.outputs.items()))


# --- shared steps -------------------------------------------------------------------
def _finish(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """Select, type and sort the output columns of one table (:mod:`~evalkit.data.schema`).

    Text columns may come as categoricals (the long tables): they are written as text,
    and sorted by their categories' ranks, which orders the rows as sorting the text does.
    """
    out = pd.DataFrame(index=frame.index)
    keys = list(SORT_KEYS[table])
    ranks: dict[str, np.ndarray] = {}
    for col in OUTPUT_COLUMNS[table]:
        series = frame[col] if col in frame else pd.Series(None, index=frame.index, dtype=object)
        dtype = output_dtype(table, col)
        if col in keys and dtype == "object" and isinstance(series.dtype, pd.CategoricalDtype):
            ranks[col] = _category_ranks(series)
        out[col] = as_dtype(series, dtype)
    if keys and all(k in ranks for k in keys):
        out = out.iloc[np.lexsort([ranks[k] for k in reversed(keys)])]
    elif keys:
        out = out.sort_values(keys, kind="mergesort", na_position="last")
    return out.reset_index(drop=True)


def _finish_long(longs: list[pd.DataFrame], table: str) -> pd.DataFrame:
    """Join, select and sort the long tables of ``longs``, kept compact (:func:`final_chunks`).

    ``longs`` is emptied (so that each part is let go as soon as it is joined).

    Text columns stay categoricals and numbers keep their narrow dtypes: a million
    forms make seventeen million answers, which as Python text would take gigabytes.
    The rows are in the order :func:`_finish` gives; :func:`final_chunks` types them.
    """
    frame = _concat_long(longs)
    longs.clear()
    keys = list(SORT_KEYS[table])
    columns = {}
    for col in OUTPUT_COLUMNS[table]:
        if col in frame:
            columns[col] = frame[col]
        else:  # a column the codebook does not fill: missing everywhere
            columns[col] = pd.Series(pd.Categorical.from_codes(
                np.full(len(frame), -1, dtype=np.int8), categories=pd.Index([], dtype=object)))  # fmt: skip
    order = _lexsort([columns[k] for k in keys], [output_dtype(table, k) for k in keys]) \
        if keys else np.arange(len(frame))  # fmt: skip
    out = {}
    del frame
    for col in list(columns):
        series = columns.pop(col)  # each column let go once taken in order
        if isinstance(series.dtype, pd.CategoricalDtype):
            codes = series.cat.codes.to_numpy()[order]
            out[col] = pd.Categorical.from_codes(codes, categories=series.cat.categories)
        else:
            out[col] = series.to_numpy()[order]
    return pd.DataFrame(out, copy=False)


def _key_ranks(series: pd.Series, dtype: str) -> np.ndarray:
    """Each row's rank in the sort order of its output value; missing values last."""
    if dtype == "object" and isinstance(series.dtype, pd.CategoricalDtype):
        return _category_ranks(series)
    codes, uniques = pd.factorize(as_dtype(series.reset_index(drop=True), dtype), sort=True)
    return np.where(codes >= 0, codes, len(uniques))


def _lexsort(keys: list[pd.Series], dtypes: list[str]) -> np.ndarray:
    """The stable order of rows by several key columns, the first the most significant.

    The keys are ranked one at a time and folded into one 64-bit number per row when
    their ranks fit (as they do for cohorts x participants x items), which one stable
    sort then orders; else :func:`numpy.lexsort` orders the ranks.
    """
    # a categorical key's ranks are made when folded (one at a time), the others now
    counts = [_rank_count(key, dtype) for key, dtype in zip(keys, dtypes, strict=True)]
    ranks = [None if n else _key_ranks(key, dtype)
             for key, dtype, n in zip(keys, dtypes, counts, strict=True)]  # fmt: skip
    sizes = [n or (int(r.max()) + 1 if len(r) else 1) for n, r in zip(counts, ranks, strict=True)]
    if float(np.prod(sizes, dtype=float)) >= 2.0**62:
        return np.lexsort([r if r is not None else _key_ranks(k, d)
                           for r, k, d in zip(ranks, keys, dtypes, strict=True)][::-1])  # fmt: skip
    combined = np.zeros(len(keys[0]), dtype=np.int64)
    for i, size in enumerate(sizes):
        combined *= size
        combined += ranks[i] if ranks[i] is not None else _key_ranks(keys[i], dtypes[i])
        ranks[i] = None  # let each rank go once folded
    return np.argsort(combined, kind="stable")


def _rank_count(series: pd.Series, dtype: str) -> int | None:
    """How many ranks :func:`_key_ranks` can give a categorical key (missing included);
    None for another key, whose ranks are only known once computed."""
    if dtype == "object" and isinstance(series.dtype, pd.CategoricalDtype):
        return len(series.cat.categories) + 1
    return None


def _category_ranks(series: pd.Series) -> np.ndarray:
    """Each row's rank of its category in text order; missing values last."""
    categories = series.cat.categories.to_numpy(dtype=object)
    rank = np.empty(len(categories) + 1, dtype=np.int32)
    rank[np.argsort(categories, kind="stable")] = np.arange(len(categories))
    rank[-1] = len(categories)  # code -1, missing: last
    return rank[series.cat.codes.to_numpy()]


def _long_items(
    frame: pd.DataFrame, spec: TableSpec, ctx: CleanContext, *, positions: bool = False
) -> tuple[pd.DataFrame, pd.Series]:
    """Item values of ``frame`` as a long table, built from column arrays.

    Likert tables give columns ``item, dimension, score, scale_max`` (reverse
    keyed items reversed: ``max + 1 - score``); test items give ``item,
    correct``. ``item`` and ``dimension`` are categoricals; ``_idx`` is the row of
    ``frame`` (its label, or with ``positions`` its position). Also returns a boolean
    Series: rows with at least one value.
    """
    test = spec.table == "test_items"
    names = list(spec.items)
    dimensions = list(dict.fromkeys(
        str(item.dimension) for item in spec.items.values() if item.dimension is not None
    ))  # fmt: skip
    columns = [frame[f"score:{name}"] for name in names]  # each read when its turn comes
    counts = [int(np.count_nonzero(~np.isnan(item_values(column)))) for column in columns]
    total, code_type = sum(counts), np.int8 if len(names) < 127 else np.int32
    # one array per column, filled item after item (no parts joined at the end)
    idx = np.empty(total, dtype=np.int32 if positions and len(frame) < 2**31
                   else frame.index.dtype)  # fmt: skip
    item_codes = np.empty(total, dtype=code_type)
    # whole numbers as a rule (typed when written): float32 until a value is not one
    values = np.empty(total, dtype=np.int8 if test else np.float32)
    tops = np.empty(0 if test else total, dtype=np.int16)
    dims = np.empty(0 if test else total, dtype=code_type)
    answered = np.zeros(len(frame), dtype=bool)
    labels = np.arange(len(frame)) if positions else frame.index.to_numpy()
    start = 0
    for j, (item, column, n) in enumerate(zip(spec.items.values(), columns, counts, strict=True)):
        score = item_values(column)
        present = ~np.isnan(score)
        answered |= present
        part = slice(start, start + n)
        start += n
        idx[part], item_codes[part] = labels[present], j
        if test:
            values[part] = score[present].astype(int)
            continue
        scale = ctx.codebook.likert[item.likert] if item.likert else None
        top = scale.max if scale is not None else int(item.max or 4)
        exact = top + 1 - score[present] if item.reverse else score[present]
        if values.dtype == np.float32 and not np.array_equal(exact.astype(np.float32), exact):
            values = values.astype(float)  # a value float32 would round: float64 throughout
        values[part] = exact
        tops[part] = top
        dims[part] = -1 if item.dimension is None else dimensions.index(str(item.dimension))
    del columns
    long = pd.DataFrame(
        {"_idx": idx, C.ITEM: pd.Categorical.from_codes(item_codes, names)}, copy=False
    )
    if test:
        long[C.CORRECT] = values
    else:
        long[C.DIMENSION] = (pd.Categorical.from_codes(dims, dimensions) if names
                             else pd.Series([], dtype=object))  # fmt: skip
        long[C.SCORE] = values
        long[C.SCALE_MAX] = tops
    return long, pd.Series(answered, index=frame.index)


def item_values(column: pd.Series) -> np.ndarray:
    """A parsed item column as float64 numbers, missing as NaN.

    Examples
    --------
    >>> item_values(pd.Series([4.0, None], dtype=object)).tolist()
    [4.0, nan]
    """
    if pd.api.types.is_float_dtype(column.dtype):
        return column.to_numpy(dtype=float)
    return pd.to_numeric(column.astype(object), errors="coerce").to_numpy(dtype=float)


def _drop_unanswered(frame: pd.DataFrame, answered: pd.Series, spec: TableSpec, ctx: CleanContext,
                     what: str) -> pd.DataFrame:  # fmt: skip
    """Log forms without any readable answer as ``empty_response`` and drop them."""
    for idx in frame.index[~answered]:
        ctx.log.add(frame.at[idx, "_file"], frame.at[idx, "_row"], "", "",
                    f"empty_response: no readable {what}", "dropped")  # fmt: skip
        mark_row(frame, idx, ctx, "empty")
    return frame[answered]


def _months_after(frame: pd.DataFrame, ends: Mapping[str, Any]) -> pd.Series:
    """Whole months from the cohort's end date to the submission."""
    end = pd.to_datetime(frame["cohort_id"].map(ends), errors="coerce")
    when = pd.to_datetime(frame["submitted_at"], errors="coerce")
    months = ((when - end).dt.days / 30.4375).round()
    return months.where(months.notna(), None).astype(object).to_numpy()


# --- cohorts and programs -----------------------------------------------------------
def _build_cohorts(b: _Build) -> Tables:
    """``cohorts`` and ``programs``: programs from their own list, else from the cohorts."""
    programs = b.gather("programs")
    if "programs" in b.by_table:
        programs = dedupe_rows(programs, TABLE_KEYS["programs"], None, b.ctx)
    cohorts = b.gather("cohorts")
    if "cohorts" not in b.by_table:  # no cohort list: the cohort codes the people have
        cohorts = derive_cohorts(b.parsed, b.by_table)
    out: Tables = {}
    if not cohorts.empty:
        cohorts = _with_programs(cohorts, programs)
        out["cohorts"] = _finish(cohorts, "cohorts")
        if programs.empty and C.PROGRAM_ID in cohorts:
            programs = cohorts.drop_duplicates(C.PROGRAM_ID)
    if not programs.empty:
        out["programs"] = _finish(programs, "programs")
    return out


def _with_programs(cohorts: pd.DataFrame, programs: pd.DataFrame) -> pd.DataFrame:
    """Cohorts with their program id (from the name if missing), name and skill type."""
    if C.PROGRAM_ID not in cohorts and C.PROGRAM_NAME in cohorts:
        cohorts[C.PROGRAM_ID] = cohorts[C.PROGRAM_NAME].map(lambda n: slug(n) if n else None)
    if not programs.empty and C.PROGRAM_ID in cohorts:
        info = programs.set_index(C.PROGRAM_ID)
        for col in (C.PROGRAM_NAME, C.SKILL_TYPE):
            if col in info:
                known = cohorts[C.PROGRAM_ID].map(info[col])
                cohorts[col] = (
                    cohorts[col].where(cohorts[col].notna(), known) if col in cohorts else known
                )
    return cohorts


# --- questionnaires and tests: long tables ------------------------------------------
def _build_reaction(b: _Build) -> Tables:
    """``reaction`` (one row per answer) and ``reaction_items`` (the questionnaire)."""
    keys = b.keys("reaction")
    if not keys:
        return {}
    return {"reaction": _answers(b, "reaction", keys), "reaction_items": _reaction_items(b, keys)}


def _build_followup(b: _Build) -> Tables:
    """``followup``: one row per answer of a self or supervisor follow-up form."""
    keys = b.keys("followup")
    if not keys:
        return {}
    return {"followup": _answers(b, "followup", keys)}


def _build_retrospective(b: _Build) -> Tables:
    """``retrospective``: then-test answers (before and now), :mod:`.build_retrospective`."""
    frame = b.gather("retrospective")
    wide = [k for k in b.keys("retrospective") if b.specs[k].items]
    if wide and not frame.empty:  # wide exports: their item pairs become answer rows
        parts = [paired_items(_long_items(frame[frame["_spec"] == k], b.specs[k], b.ctx)[0],
                              frame) for k in wide]  # fmt: skip
        frame = pd.concat([frame[~frame["_spec"].isin(wide)], *parts], ignore_index=True)
    return (
        {}
        if frame.empty
        else {"retrospective": _finish(retrospective_rows(frame, b.ctx), "retrospective")}
    )


def _answers(b: _Build, table: str, keys: list[str]) -> pd.DataFrame:
    """The Likert answers of the reaction or follow-up forms as one long table."""
    ends = b.cohort_dates(C.END_DATE)
    longs = []
    for key in keys:
        spec, frame = b.specs[key], b.parsed[key]
        long, answered = _long_items(frame, spec, b.ctx, positions=True)
        has_comment = ~blank_mask(frame["comment"]) if "comment" in frame else False
        _drop_unanswered(frame, answered | has_comment, spec, b.ctx, "answer or comment")
        # a form dropped as unanswered has no answer row: every answer is of a form kept
        pos = long.pop("_idx").to_numpy()  # rows of ``frame``, by position
        b.present.setdefault(table, []).append(_pairs(frame, pos))
        for col in ("cohort_id", "participant_id", "submitted_at", "rater", "months_after"):
            if col in frame:
                long[col] = _take(frame[col], pos)
        if table == "followup":
            _fill_months_after(long, frame.iloc[pos].reset_index(drop=True), ends)
        longs.append(long)
        del pos, long  # only ``longs`` holds the answers while they are sorted
        b.parsed[key] = _without_items(frame)  # no other builder reads the item scores
    release_freed_memory()
    return _finish_long(longs, table)


def _without_items(frame: pd.DataFrame) -> pd.DataFrame:
    """A parsed frame without its item columns, rebuilt so that their memory is freed."""
    return pd.DataFrame({c: frame[c] for c in frame.columns if not str(c).startswith("score:")},
                        index=frame.index, copy=False)  # fmt: skip


def _pairs(frame: pd.DataFrame, pos: np.ndarray) -> pd.DataFrame:
    """(cohort, participant) of the rows ``pos`` of a parsed frame, each row once."""
    seen = np.zeros(len(frame), dtype=bool)
    seen[pos] = True
    rows = np.flatnonzero(seen)  # np.unique(pos) without sorting every answer
    return pd.DataFrame({col: frame[col].to_numpy()[rows] if col in frame else None
                         for col in (C.COHORT_ID, C.PARTICIPANT_ID)})  # fmt: skip


def _take(column: pd.Series, pos: np.ndarray) -> Any:
    """Rows ``pos`` of a parsed column, compactly: text as a categorical, timestamps typed."""
    if column.name == "submitted_at":
        if not pd.api.types.is_datetime64_dtype(column.dtype):  # typed when parsed, as a rule
            column = pd.to_datetime(column.astype(object), errors="raise")
        codes, uniques = pd.factorize(column)  # a form's time, shared by its answers
        codes = codes.astype(np.int32 if len(uniques) < 2**31 else np.int64)
        return pd.Categorical.from_codes(codes[pos], categories=uniques)
    if column.name in ("cohort_id", "participant_id", "phase", "rater"):
        codes, uniques = pd.factorize(column)  # Arrow text is factorised without copies
        codes = codes.astype(np.int32 if len(uniques) < 2**31 else np.int64)
        return pd.Categorical.from_codes(codes[pos], categories=pd.Index(uniques, dtype=object))
    return column.to_numpy()[pos]


def _concat_long(longs: list[pd.DataFrame]) -> pd.DataFrame:
    """Long tables one after the other; categorical columns stay categorical."""
    if len(longs) == 1:
        return longs[0]
    columns = list(dict.fromkeys(c for long in longs for c in long.columns))
    if not all(list(long.columns) == columns for long in longs):
        return pd.concat(longs, ignore_index=True)
    out = {}
    for col in columns:
        parts = [long[col] for long in longs]
        if all(isinstance(p.dtype, pd.CategoricalDtype) for p in parts):
            out[col] = union_categoricals([p.array for p in parts])
        else:
            out[col] = pd.concat(parts, ignore_index=True)
    return pd.DataFrame(out)


def _fill_months_after(long: pd.DataFrame, base: pd.DataFrame, ends: Mapping[str, Any]) -> None:
    """Follow-up answers without ``months_after`` get it from the submission (in place)."""
    if "months_after" not in base and "submitted_at" in base:
        long["months_after"] = _months_after(base, ends)
    if "months_after" in long and long["months_after"].isna().any() and "submitted_at" in base:
        long["months_after"] = long["months_after"].where(
            long["months_after"].notna(), _months_after(base, ends)
        )


def _reaction_items(b: _Build, keys: list[str]) -> pd.DataFrame:
    """The reaction items of the codebook: dimension, scale, reverse keying and text."""
    items = []
    for key in keys:
        for name, item in b.specs[key].items.items():
            scale = b.ctx.codebook.likert[str(item.likert)]
            items.append({C.ITEM: name, C.DIMENSION: item.dimension, C.SCALE_MAX: scale.max,
                          "reverse": item.reverse, C.TEXT: item.text or item.source})  # fmt: skip
    frame = pd.DataFrame(items).drop_duplicates(C.ITEM, keep="first")
    return _finish(frame, "reaction_items")


def _build_test_items(b: _Build) -> Tables:
    """``test_items``: one row per answer to a test item (right or wrong)."""
    keys = b.keys("test_items")
    if not keys:
        return {}
    longs = []
    for key in keys:
        spec, frame = b.specs[key], b.parsed[key]
        long, answered = _long_items(frame, spec, b.ctx, positions=True)
        _drop_unanswered(frame, answered, spec, b.ctx, "answer")
        pos = long.pop("_idx").to_numpy()  # every answer is of a form kept
        b.present.setdefault("test_items", []).append(_pairs(frame, pos))
        for col in ("cohort_id", "participant_id", "phase"):
            if col in frame:
                long[col] = _take(frame[col], pos)
        longs.append(long)
        del pos, long
        b.parsed[key] = _without_items(frame)
    return {"test_items": _finish_long(longs, "test_items")}


# --- learning -----------------------------------------------------------------------
def _build_learning(b: _Build) -> Tables:
    """``learning``: one row per participant, pre and post (either may be missing)."""
    frame = b.gather("learning")
    if frame.empty:
        return {}
    frame = _phase_columns(frame)
    for phase in (C.PRE, C.POST):
        frame = _scores_in_range(frame, phase, b.specs, b.ctx)
    frame = _drop_unscored(frame, b.ctx)
    return {"learning": _finish(_pair_scores(frame, b.specs, b.ctx), "learning")}


def _phase_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """``pre`` and ``post`` from a score with its phase; ``max_score`` defaulted."""
    frame = frame.copy()
    if "score" in frame and "phase" in frame:
        for phase in ("pre", "post"):
            pick = frame["phase"] == phase
            current = (
                frame[phase] if phase in frame else pd.Series(None, index=frame.index, dtype=object)
            )
            frame[phase] = current.where(~pick | current.notna(), frame["score"])
    if "max_score" not in frame:
        frame["max_score"] = DEFAULT_MAX_SCORE
    frame["max_score"] = frame["max_score"].where(frame["max_score"].notna(), DEFAULT_MAX_SCORE)
    return frame


def _scores_in_range(frame: pd.DataFrame, phase: str, specs: Mapping[str, TableSpec],
                     ctx: CleanContext) -> pd.DataFrame:  # fmt: skip
    """Quarantine rows whose ``phase`` score lies outside 0..max_score (``out_of_range``)."""
    if phase not in frame:
        frame[phase] = None
    values = pd.to_numeric(frame[phase].astype(object), errors="coerce")
    bad = values.notna() & ((values < 0) | (values > frame["max_score"].astype(float)))
    for idx in frame.index[bad]:
        spec = specs[frame.at[idx, "_spec"]]
        column = source_column(spec, phase if phase in spec.columns else "score")
        ctx.log.add(frame.at[idx, "_file"], frame.at[idx, "_row"], column, frame.at[idx, phase],
                    f"out_of_range: score {values[idx]:g} is outside 0..{frame.at[idx, 'max_score']:g}",
                    "quarantined")  # fmt: skip
        mark_row(frame, idx, ctx, "quarantined")
    frame[phase] = values
    return frame[~bad]


def _drop_unscored(frame: pd.DataFrame, ctx: CleanContext) -> pd.DataFrame:
    """Drop rows with neither a pre nor a post score (``empty_response``)."""
    has_score = frame["pre"].notna() | frame["post"].notna()
    for idx in frame.index[~has_score]:
        ctx.log.add(frame.at[idx, "_file"], frame.at[idx, "_row"], "", "",
                    "empty_response: no readable pre or post score", "dropped")  # fmt: skip
        mark_row(frame, idx, ctx, "empty")
    return frame[has_score].sort_values("_order", kind="mergesort")


def _pair_scores(frame: pd.DataFrame, specs: Mapping[str, TableSpec],
                 ctx: CleanContext) -> pd.DataFrame:  # fmt: skip
    """One row per participant (the last score of each phase); flag post without pre."""
    merged = frame.groupby(["cohort_id", "participant_id"], sort=True).agg(
        pre=("pre", "last"), post=("post", "last"), max_score=("max_score", "last")
    )
    unpaired = merged.index[merged["pre"].isna() & merged["post"].notna()]
    if len(unpaired):
        where = frame[frame["post"].notna()].groupby(["cohort_id", "participant_id"]).last()
        for key in unpaired:
            spec = specs[where.at[key, "_spec"]]
            column = source_column(spec, "post" if "post" in spec.columns else "score")
            ctx.log.add(where.at[key, "_file"], where.at[key, "_row"], column,
                        f"{merged.at[key, 'post']:g}",
                        "post_without_pre: post-test score without a pre-test score; kept with "
                        "pre missing, so it counts in post-test results but not in paired change",
                        "flagged")  # fmt: skip
    return merged.reset_index()


# --- projects and comments ----------------------------------------------------------
def _build_projects(b: _Build) -> Tables:
    """``projects``: action-plan status reports; a report without a status is dropped."""
    projects = b.gather("projects")
    if projects.empty:
        return {}
    if "months_after" not in projects and "submitted_at" in projects:
        projects["months_after"] = _months_after(projects, b.cohort_dates(C.END_DATE))
    has_status = (
        projects["project_status"].notna()
        if "project_status" in projects
        else pd.Series(False, index=projects.index)
    )
    ctx = b.ctx
    for idx in projects.index[~has_status]:
        ctx.log.add(projects.at[idx, "_file"], projects.at[idx, "_row"], "", "",
                    "empty_response: no readable project status", "dropped")  # fmt: skip
        mark_row(projects, idx, ctx, "empty")
    return {"projects": _finish(projects[has_status], "projects")}


def _build_comments(b: _Build) -> Tables:
    """``comments``: a comments table and the comment column of instruments, scrubbed."""
    parts = []
    for key in b.keys("comments"):
        frame = b.parsed[key]
        if not frame.empty:
            parts.append(frame.rename(columns={"text": "comment"}))
    for key in sorted(
        k for k, s in b.specs.items() if s.comments is not None and s.table != "comments"
    ):
        frame = b.parsed[key]
        if not frame.empty and "comment" in frame:
            parts.append(frame)
    if not parts:
        return {}
    frame = pd.concat(
        [p[["cohort_id", "participant_id", "comment", "_file", "_row"]] for p in parts],
        ignore_index=True,
    )
    frame = frame[~blank_mask(frame["comment"])]
    names = b.ctx.log.names
    codes, texts = pd.factorize(frame["comment"].astype(object), use_na_sentinel=False)
    scrubbed = np.array(
        [scrub_text(re.sub(r"\s+", " ", str(t)).strip(), names) for t in texts], dtype=object
    )  # each distinct comment once
    frame[C.TEXT] = scrubbed[codes] if len(texts) else pd.Series([], dtype=object)
    return {"comments": _finish(frame, "comments")}


# --- unit tables --------------------------------------------------------------------
def _build_unit_tables(b: _Build) -> Tables:
    """``ikm`` and ``unit_kpi``: periods normalised and indexed over both, impact design."""
    frames: Tables = {}
    for table in ("ikm", "unit_kpi"):
        frame = b.gather(table)
        if frame.empty:
            continue
        frame[C.PERIOD] = _periods(frame[C.PERIOD])
        if table == "ikm":
            frames[table] = _ikm_items(b, frame)
        else:
            frames[table] = dedupe_rows(frame, TABLE_KEYS["unit_kpi"], None, b.ctx)
    periods = sorted({p for frame in frames.values() for p in frame[C.PERIOD].dropna()})
    design = _impact_design(b.ctx)
    return {table: _unit_table(frame, table, periods, design) for table, frame in frames.items()}


def _periods(values: pd.Series) -> pd.Series:
    """Periods in one spelling: ``S1 2024`` and ``2024-s1`` are ``2024-S1``."""

    def norm(p: object) -> object:
        if p is None:
            return None
        text = re.sub(r"[\s_/.]+", "-", str(p).strip().upper())
        m = re.fullmatch(r"([A-Z]+\d*)-(\d{4})", text)
        return f"{m[2]}-{m[1]}" if m else text

    return values.map(norm)


def _ikm_items(b: _Build, frame: pd.DataFrame) -> pd.DataFrame:
    """IKM answers given as items: each element's score in its own column (in place)."""
    for key in b.by_table["ikm"]:
        spec = b.specs[key]
        if spec.items:
            sub = frame.index[frame["_spec"] == key]
            long, _answered = _long_items(frame.loc[sub], spec, b.ctx)
            for name in spec.items:
                vals = long[long[C.ITEM] == name].set_index("_idx")[C.SCORE]
                frame.loc[sub, name] = vals.reindex(sub).to_numpy()
    return frame


def _impact_design(ctx: CleanContext) -> tuple[Any, set[str]] | None:
    """The codebook's first post-intervention period and treated units (canonical names)."""
    impact = ctx.codebook.impact
    if impact is None:
        return None
    treated = {ctx.units.get(norm_label(unit), unit) for unit in impact.treated_units}
    return _periods(pd.Series([impact.post_from])).iloc[0], treated


def _unit_table(frame: pd.DataFrame, table: str, periods: list[Any],
                design: tuple[Any, set[str]] | None) -> pd.DataFrame:  # fmt: skip
    """One unit table with period index, post and treated; IKM respondents numbered."""
    frame[C.PERIOD_INDEX] = frame[C.PERIOD].map({p: i for i, p in enumerate(periods)})
    if design is not None:
        post_from, treated = design
        frame[C.POST] = frame[C.PERIOD].map(lambda p: p >= post_from)
        frame[C.TREATED] = frame[C.UNIT].isin(treated)
    else:
        frame[C.POST] = pd.NA
        frame[C.TREATED] = pd.NA
    if table == "ikm":
        frame = frame.sort_values([C.UNIT, C.PERIOD, "_file", "_row"], kind="mergesort")
        if C.RESPONDENT_ID not in frame or frame[C.RESPONDENT_ID].isna().all():
            frame[C.RESPONDENT_ID] = [f"R{i:05d}" for i in range(1, len(frame) + 1)]
    return _finish(frame, table)


# --- costs and benefits -------------------------------------------------------------
def _build_costs(b: _Build) -> Tables:
    """``costs``: one row per cohort and category."""
    costs = b.gather("costs")
    if costs.empty:
        return {}
    return {"costs": _finish(dedupe_rows(costs, TABLE_KEYS["costs"], None, b.ctx), "costs")}


def _build_benefits(b: _Build) -> Tables:
    """``benefits``: benefit estimates, of a participant or of a unit."""
    benefits = b.gather("benefits")
    if benefits.empty:
        return {}
    return {"benefits": _finish(benefits, "benefits")}


# --- participants -------------------------------------------------------------------
def _build_participants(b: _Build) -> Tables:
    """``participants``: the roster plus anyone with data in another person table
    (:func:`evalkit.data.build_participants.participant_rows`)."""
    first = participant_rows(b)
    return {} if first is None else {"participants": _finish(first, "participants")}


#: The builders in the order they run; each returns the processed tables it makes. The
#: cohorts come first (their dates place follow-ups and ages), participants last (they
#: gather everyone with data in another table).
BUILDERS: tuple[Callable[[_Build], Tables], ...] = (
    _build_cohorts,
    _build_reaction,
    _build_followup,
    build_followup_items,
    _build_retrospective,
    _build_test_items,
    _build_learning,
    _build_projects,
    _build_comments,
    _build_unit_tables,
    _build_costs,
    _build_benefits,
    build_facilitator_ratings,
    _build_participants,
)
