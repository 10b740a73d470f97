"""Part of evalkit.clean."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from evalkit import constants as C
from evalkit.data.cells import CleanContext
from evalkit.data.codebook import (
    OPTIONAL_PERSON_TABLES,
    PERSON_TABLES,
    TableSpec,
    norm_label,
)
from evalkit.data.identify import dedupe_rows
from evalkit.data.nip import age_bands, sexes
from evalkit.data.parse import blank_mask
from evalkit.data.read import mark_row, slug, source_column
from evalkit.data.schema import (
    DATE_COLUMNS,
    DATETIME_COLUMNS,
    DEFAULT_MAX_SCORE,
    INT_COLUMNS,
    OUTPUT_COLUMNS,
    TABLE_KEYS,
)
from evalkit.data.scrub import scrub_text


# --- building each output table -----------------------------------------------------
def _long_items(
    frame: pd.DataFrame, spec: TableSpec, ctx: CleanContext
) -> tuple[pd.DataFrame, pd.Series]:
    """Item values of ``frame`` as a long table.

    Likert tables give columns ``item, dimension, score, scale_max`` (reverse
    keyed items reversed: ``max + 1 - score``); test items give ``item,
    correct``. ``_idx`` is the row of ``frame``. Also returns a boolean Series:
    rows with at least one value.
    """
    parts = []
    answered = pd.Series(False, index=frame.index)
    for name, item in spec.items.items():
        values = pd.to_numeric(frame[f"score:{name}"].astype(object), errors="coerce")
        present = values.notna()
        answered |= present
        part = pd.DataFrame({"_idx": frame.index[present], C.ITEM: name})
        if spec.table == "test_items":
            part[C.CORRECT] = values[present].astype(int).to_numpy()
        else:
            scale = ctx.codebook.likert[item.likert] if item.likert else None
            top = scale.max if scale is not None else int(item.max or 4)
            score = values[present].to_numpy(dtype=float)
            part[C.DIMENSION] = item.dimension
            part[C.SCORE] = top + 1 - score if item.reverse else score
            part[C.SCALE_MAX] = top
        parts.append(part)
    columns = ["_idx", C.ITEM, C.CORRECT] if spec.table == "test_items" else [
        "_idx", C.ITEM, C.DIMENSION, C.SCORE, C.SCALE_MAX]  # fmt: skip
    long = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
    return long[columns], answered


def _drop_unanswered(frame: pd.DataFrame, answered: pd.Series, spec: TableSpec, ctx: CleanContext,
                     what: str) -> pd.DataFrame:  # fmt: skip
    for idx in frame.index[~answered]:
        ctx.log.add(frame.at[idx, "_file"], frame.at[idx, "_row"], "", "",
                    f"empty_response: no readable {what}", "dropped")  # fmt: skip
        mark_row(frame, idx, ctx, "empty")
    return frame[answered]


def _periods(values: pd.Series) -> pd.Series:
    def norm(p: object) -> object:
        if p is None:
            return None
        text = re.sub(r"[\s_/.]+", "-", str(p).strip().upper())
        m = re.fullmatch(r"([A-Z]+\d*)-(\d{4})", text)
        return f"{m[2]}-{m[1]}" if m else text

    return values.map(norm)


def _finish(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """Select, type and sort the output columns of one table."""
    cols = OUTPUT_COLUMNS[table]
    out = pd.DataFrame(index=frame.index)
    for col in cols:
        series = frame[col] if col in frame else pd.Series(None, index=frame.index, dtype=object)
        if col in INT_COLUMNS:
            numbers = pd.to_numeric(series.astype(object), errors="raise")
            series = pd.array(np.trunc(numbers.astype("float64")), dtype="Int64")
        elif col in DATE_COLUMNS or col in DATETIME_COLUMNS:
            series = pd.to_datetime(series.astype(object), errors="raise").astype("datetime64[ns]")
        elif col in (C.TREATED, "reverse") or (col == C.POST and table in ("ikm", "unit_kpi")):
            series = series.astype("boolean")
        elif col in (
            C.SCORE,
            C.PRE,
            C.POST,
            C.MAX_SCORE,
            C.SERVICE_DAYS,
            C.AMOUNT,
            C.BENEFIT,
            C.ATTRIBUTION,
            C.CONFIDENCE,
            *C.IKM_ELEMENTS,
        ):
            series = pd.to_numeric(series.astype(object), errors="raise").astype("float64")
        else:
            series = series.astype(object).where(series.notna(), None)
        out[col] = series
    keys = [k for k in (*TABLE_KEYS.get(table, ()), C.ITEM) if k in out]
    if table == "ikm":
        keys = [C.UNIT, C.PERIOD]  # then the order of the raw rows
    if keys:
        out = out.sort_values(keys, kind="mergesort", na_position="last")
    return out.reset_index(drop=True)


def build_tables(parsed: dict[str, pd.DataFrame], specs: Mapping[str, TableSpec],
                  ctx: CleanContext) -> dict[str, pd.DataFrame]:  # fmt: skip
    """Turn the parsed codebook tables into the processed tables."""
    by_table: dict[str, list[str]] = {}
    for key, spec in specs.items():
        by_table.setdefault(spec.table, []).append(key)

    def gather(table: str) -> pd.DataFrame:
        parts = [parsed[k] for k in sorted(by_table.get(table, [])) if not parsed[k].empty]
        if not parts:
            return pd.DataFrame()
        frame = pd.concat(parts, ignore_index=True)
        frame["_order"] = np.arange(len(frame))
        return frame

    outputs: dict[str, pd.DataFrame] = {}
    cohorts = gather("cohorts")
    programs = gather("programs")
    if "programs" in by_table:
        programs = dedupe_rows(programs, (C.PROGRAM_ID,), None, ctx)
    if not cohorts.empty:
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
        outputs["cohorts"] = _finish(cohorts, "cohorts")
        if programs.empty and C.PROGRAM_ID in cohorts:
            programs = cohorts.drop_duplicates(C.PROGRAM_ID)
    if not programs.empty:
        outputs["programs"] = _finish(programs, "programs")
    starts = {}
    ends = {}
    if "cohorts" in outputs:
        co = outputs["cohorts"]
        starts = dict(zip(co[C.COHORT_ID], co[C.START_DATE], strict=True))
        ends = dict(zip(co[C.COHORT_ID], co[C.END_DATE], strict=True))

    # reaction, followup (long Likert items)
    for table in ("reaction", "followup"):
        keys = sorted(by_table.get(table, []))
        if not keys:
            continue
        longs = []
        for key in keys:
            spec, frame = specs[key], parsed[key]
            long, answered = _long_items(frame, spec, ctx)
            has_comment = ~blank_mask(frame["comment"]) if "comment" in frame else False
            frame = _drop_unanswered(frame, answered | has_comment, spec, ctx, "answer or comment")
            long = long[long["_idx"].isin(frame.index)]
            base = frame.loc[long["_idx"]].reset_index(drop=True)
            long = long.reset_index(drop=True)
            for col in ("cohort_id", "participant_id", "submitted_at", "rater", "months_after"):
                if col in base:
                    long[col] = base[col].to_numpy()
            if table == "followup" and "months_after" not in base and "submitted_at" in base:
                long["months_after"] = _months_after(base, ends)
            if (
                table == "followup"
                and "months_after" in long
                and long["months_after"].isna().any()
                and "submitted_at" in base
            ):
                long["months_after"] = long["months_after"].where(
                    long["months_after"].notna(), _months_after(base, ends)
                )
            longs.append(long)
        outputs[table] = _finish(pd.concat(longs, ignore_index=True), table)
        if table == "reaction":
            items = []
            for key in keys:
                for name, item in specs[key].items.items():
                    scale = ctx.codebook.likert[str(item.likert)]
                    items.append({C.ITEM: name, C.DIMENSION: item.dimension, C.SCALE_MAX: scale.max,
                                  "reverse": item.reverse, C.TEXT: item.text or item.source})  # fmt: skip
            frame = pd.DataFrame(items).drop_duplicates(C.ITEM, keep="first")
            outputs["reaction_items"] = _finish(frame, "reaction_items")

    # test items
    keys = sorted(by_table.get("test_items", []))
    if keys:
        longs = []
        for key in keys:
            spec, frame = specs[key], parsed[key]
            long, answered = _long_items(frame, spec, ctx)
            frame = _drop_unanswered(frame, answered, spec, ctx, "answer")
            long = long[long["_idx"].isin(frame.index)].reset_index(drop=True)
            base = frame.loc[long["_idx"]].reset_index(drop=True)
            for col in ("cohort_id", "participant_id", "phase"):
                if col in base:
                    long[col] = base[col].to_numpy()
            longs.append(long)
        outputs["test_items"] = _finish(pd.concat(longs, ignore_index=True), "test_items")

    # learning
    learning = gather("learning")
    if not learning.empty:
        learning = _learning(learning, by_table["learning"], specs, ctx)
        outputs["learning"] = _finish(learning, "learning")

    projects = gather("projects")
    if not projects.empty:
        if "months_after" not in projects and "submitted_at" in projects:
            projects["months_after"] = _months_after(projects, ends)
        has_status = (
            projects["project_status"].notna()
            if "project_status" in projects
            else pd.Series(False, index=projects.index)
        )
        for idx in projects.index[~has_status]:
            ctx.log.add(projects.at[idx, "_file"], projects.at[idx, "_row"], "", "",
                        "empty_response: no readable project status", "dropped")  # fmt: skip
            mark_row(projects, idx, ctx, "empty")
        outputs["projects"] = _finish(projects[has_status], "projects")

    # comments: from a comments table and from the comment column of instruments
    names = ctx.log.names
    comment_parts = []
    for key in sorted(by_table.get("comments", [])):
        frame = parsed[key]
        if not frame.empty:
            comment_parts.append(frame.rename(columns={"text": "comment"}))
    for key in sorted(
        k for k, s in specs.items() if s.comments is not None and s.table != "comments"
    ):
        frame = parsed[key]
        if not frame.empty and "comment" in frame:
            comment_parts.append(frame)
    if comment_parts:
        frame = pd.concat(
            [p[["cohort_id", "participant_id", "comment", "_file", "_row"]] for p in comment_parts],
            ignore_index=True,
        )
        frame = frame[~blank_mask(frame["comment"])]
        frame[C.TEXT] = frame["comment"].map(
            lambda t: scrub_text(re.sub(r"\s+", " ", str(t)).strip(), names)
        )
        outputs["comments"] = (
            _finish(frame, "comments")
            .sort_values([C.COHORT_ID, C.PARTICIPANT_ID, C.TEXT], kind="mergesort")
            .reset_index(drop=True)
        )

    # unit tables
    for table in ("ikm", "unit_kpi"):
        frame = gather(table)
        if frame.empty:
            continue
        frame[C.PERIOD] = _periods(frame[C.PERIOD])
        if table == "ikm":
            for key in by_table["ikm"]:
                spec = specs[key]
                if spec.items:
                    sub = frame.index[frame["_spec"] == key]
                    long, _answered = _long_items(frame.loc[sub], spec, ctx)
                    for name in spec.items:
                        vals = long[long[C.ITEM] == name].set_index("_idx")[C.SCORE]
                        frame.loc[sub, name] = vals.reindex(sub).to_numpy()
        else:
            frame = dedupe_rows(frame, TABLE_KEYS["unit_kpi"], None, ctx)
        outputs[table] = frame
    periods = sorted(
        {p for t in ("ikm", "unit_kpi") if t in outputs for p in outputs[t][C.PERIOD].dropna()}
    )
    impact = ctx.codebook.impact
    treated = set()
    if impact is not None:
        for unit in impact.treated_units:
            treated.add(ctx.units.get(norm_label(unit), unit))
        post_from = _periods(pd.Series([impact.post_from])).iloc[0]
    for table in ("ikm", "unit_kpi"):
        if table not in outputs:
            continue
        frame = outputs[table]
        frame["period_index"] = frame[C.PERIOD].map({p: i for i, p in enumerate(periods)})
        if impact is not None:
            frame[C.POST] = frame[C.PERIOD].map(lambda p: p >= post_from)
            frame[C.TREATED] = frame[C.UNIT].isin(treated)
        else:
            frame[C.POST] = pd.NA
            frame[C.TREATED] = pd.NA
        if table == "ikm":
            frame = frame.sort_values([C.UNIT, C.PERIOD, "_file", "_row"], kind="mergesort")
            if C.RESPONDENT_ID not in frame or frame[C.RESPONDENT_ID].isna().all():
                frame[C.RESPONDENT_ID] = [f"R{i:05d}" for i in range(1, len(frame) + 1)]
        outputs[table] = _finish(frame, table)

    costs = gather("costs")
    if not costs.empty:
        costs = dedupe_rows(costs, TABLE_KEYS["costs"], None, ctx)
        outputs["costs"] = _finish(costs, "costs")
    benefits = gather("benefits")
    if not benefits.empty:
        outputs["benefits"] = _finish(benefits, "benefits")
    people = _participants(parsed, by_table, outputs, starts, ends)
    if people is not None:
        outputs["participants"] = people
    return dict(sorted(outputs.items()))


def _participants(parsed: dict[str, pd.DataFrame], by_table: Mapping[str, list[str]],
                  outputs: Mapping[str, pd.DataFrame], starts: Mapping[str, Any],
                  ends: Mapping[str, Any]) -> pd.DataFrame | None:  # fmt: skip
    """The roster plus anyone with data in another person table of ``outputs``."""
    present: set[tuple[str, str]] = set()
    people_tables = (*PERSON_TABLES, *OPTIONAL_PERSON_TABLES)
    for table in people_tables:
        if table in outputs and table != "participants":
            ids = outputs[table][C.PARTICIPANT_ID]
            present.update(
                zip(outputs[table][C.COHORT_ID][ids.notna()], ids[ids.notna()], strict=True)
            )
    person_parts = []
    for table in people_tables:
        for key in sorted(by_table.get(table, [])):
            frame = parsed[key]
            if "participant_id" in frame:
                frame = frame[frame["participant_id"].notna()]
            if frame.empty:
                continue
            wanted = (
                "cohort_id",
                "participant_id",
                "nip",
                "sex",
                "golongan",
                "position_type",
                "unit",
            )
            cols = [c for c in wanted if c in frame]
            part = frame[cols].copy()
            part["_rank"] = 0 if table == "participants" else 1
            part["_order"] = frame["_order"]
            person_parts.append(part)
    if not person_parts:
        return None
    people = pd.concat(person_parts, ignore_index=True)
    pairs = pd.Series(list(zip(people["cohort_id"], people["participant_id"], strict=True)),
                      index=people.index)  # fmt: skip
    people = people[(people["_rank"] == 0) | pairs.isin(present)]
    people = people.sort_values(["_rank", "_order"], kind="mergesort")
    first = people.groupby(["cohort_id", "participant_id"], sort=True, dropna=False).first()
    first = first.reset_index()
    nip = first["nip"] if "nip" in first else pd.Series(None, index=first.index, dtype=object)
    derived = sexes(nip)
    first[C.SEX] = first[C.SEX].where(first[C.SEX].notna(), derived) if C.SEX in first else derived
    start = first["cohort_id"].map(starts)
    when = start.where(start.notna(), first["cohort_id"].map(ends))
    first[C.AGE_BAND] = age_bands(nip, when)
    return _finish(first, "participants")


def _months_after(frame: pd.DataFrame, ends: Mapping[str, Any]) -> pd.Series:
    """Whole months from the cohort's end date to the submission."""
    end = pd.to_datetime(frame["cohort_id"].map(ends), errors="coerce")
    when = pd.to_datetime(frame["submitted_at"], errors="coerce")
    months = ((when - end).dt.days / 30.4375).round()
    return months.where(months.notna(), None).astype(object).to_numpy()


def _learning(frame: pd.DataFrame, keys: list[str], specs: Mapping[str, TableSpec],
              ctx: CleanContext) -> pd.DataFrame:  # fmt: skip
    """One row per participant: pre, post (either may be NaN) and max_score."""
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
    for phase in ("pre", "post"):
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
        frame = frame[~bad]
    has_score = frame["pre"].notna() | frame["post"].notna()
    for idx in frame.index[~has_score]:
        ctx.log.add(frame.at[idx, "_file"], frame.at[idx, "_row"], "", "",
                    "empty_response: no readable pre or post score", "dropped")  # fmt: skip
        mark_row(frame, idx, ctx, "empty")
    frame = frame[has_score].sort_values("_order", kind="mergesort")
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
