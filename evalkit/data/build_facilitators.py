"""Building ``facilitator_ratings``: participants' ratings of each facilitator, one row per answer.

Where it sits in cleaning: one of the builders :func:`evalkit.data.build.build_tables`
runs (:data:`evalkit.data.build.BUILDERS`). The codebook entries that fill the table
(long exports, and the blocks of wide ones, :mod:`evalkit.data.codebook_blocks`) have
been read, linked to participants and deduplicated (one form per cohort, participant,
facilitator and session). Here each form becomes one row per answered item; then:

- the facilitator's name (or code) becomes a salted pseudonym ``F`` + 10 hex characters
  (:func:`facilitator_ids`): the same person across cohorts and exports has one id
  (titles, case and spaces ignored, :func:`evalkit.data.pseudonym.normalize_name`);
- the name itself is written to ``facilitator_name`` only when the codebook says
  ``name_facilitators: true``; otherwise the processed table holds no name;
- a form without any readable answer is dropped (``empty_response``, as a wide export's
  block left empty for a cohort with fewer facilitators); a form with answers but no
  facilitator named is quarantined (``missing_required``, with its file, row and
  column);
- an anonymous entry (no ``nip`` or ``name`` mapped, :func:`evalkit.data.codebook_blocks.
  is_anonymous`) has no participant: :func:`anonymous_raters` gave each row of the
  export its own rater key (``A`` + 10 hex) when participants were identified, and its
  raters are added to no roster and to the participants table.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from evalkit import constants as C
from evalkit.data.codebook_blocks import is_anonymous
from evalkit.data.pseudonym import normalize_name, pseudonym
from evalkit.data.read import mark_row, source_column
from evalkit.data.schema import OUTPUT_COLUMNS, SORT_KEYS, output_dtype

__all__ = ["TABLE", "anonymous_raters", "build_facilitator_ratings", "facilitator_ids"]

#: The processed table this module builds.
TABLE = "facilitator_ratings"


def facilitator_ids(names: pd.Series, *, salt: bytes) -> pd.Series:
    """Pseudonymous facilitator ids: ``F`` + 10 hex characters of HMAC-SHA256 of the name.

    The name is normalised first (:func:`evalkit.data.pseudonym.normalize_name`: case,
    spaces, punctuation and leading titles ignored), so ``Dr. Maria Ndun, M.Si`` and
    ``maria ndun`` are one facilitator; a missing name gives a missing id.

    Examples
    --------
    >>> ids = facilitator_ids(pd.Series(["Dr. Maria Ndun, M.Si", "maria  NDUN", None]),
    ...                       salt=b"s")
    >>> ids[0] == ids[1], ids[0][0], len(ids[0]), ids[2] is None
    (True, 'F', 11, True)
    """
    cache: dict[str, str] = {}
    out: list[str | None] = []
    for name in names.tolist():
        norm = normalize_name(name)
        if norm is None:
            out.append(None)
            continue
        if norm not in cache:
            cache[norm] = C.FACILITATOR_ID_PREFIX + pseudonym(f"facilitator:{norm}", salt=salt)[1:]
        out.append(cache[norm])
    return pd.Series(out, index=names.index, dtype=object)


def anonymous_raters(frame: pd.DataFrame, *, salt: bytes) -> pd.Series:
    """Rater keys of anonymous forms: ``A`` + 10 hex of a salted HMAC of the file and row.

    One key per row of the export: the blocks of one row of a wide export (one person
    rating every facilitator of the cohort) share it; rows are never linked to each
    other or to a participant, so two forms of one person in a long export count as two
    raters.

    Examples
    --------
    >>> f = pd.DataFrame({"_file": ["e.csv", "e.csv", "e.csv"], "_row": [2, 3, 2]})
    >>> keys = anonymous_raters(f, salt=b"s")
    >>> keys[0] == keys[2], keys[0] != keys[1], keys[0][0], len(keys[0])
    (True, True, 'A', 11)
    """
    pairs = frame["_file"].astype(str) + "\x1f" + frame["_row"].astype(str)
    codes, uniques = pd.factorize(pairs)
    keys = [C.ANONYMOUS_RATER_PREFIX + pseudonym(f"anonymous:{u}", salt=salt)[1:] for u in uniques]
    return pd.Series(np.asarray(keys, dtype=object)[codes], index=frame.index, dtype=object)


def build_facilitator_ratings(b: Any) -> dict[str, pd.DataFrame]:
    """``facilitator_ratings`` from the parsed codebook tables that fill it.

    Parameters
    ----------
    b : evalkit.data.build._Build
        The build (parsed frames, specs, the cleaning context, who has data where).

    Returns
    -------
    dict
        ``{"facilitator_ratings": table}`` in the columns, types and order of
        :mod:`evalkit.data.schema`, or empty when no codebook entry fills the table.
    """
    keys = b.keys(TABLE)
    if not keys:
        return {}
    parts = []
    for key in keys:
        spec, frame = b.specs[key], b.parsed[key]
        if frame.empty:
            continue
        long = _answers(frame, spec, b.ctx)
        if long is not None:
            # anonymous raters are nobody's participant id: they add no participant
            who = long.iloc[:0] if is_anonymous(spec) else long
            b.present.setdefault(TABLE, []).append(
                who[[C.COHORT_ID, C.PARTICIPANT_ID]].drop_duplicates()
            )
            parts.append(long)
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    return {TABLE: _typed(frame)}


def _answers(frame: pd.DataFrame, spec: Any, ctx: Any) -> pd.DataFrame | None:
    """The answered items of one codebook entry's forms, one row per answer."""
    names = list(spec.items)
    scores = np.column_stack([
        pd.to_numeric(frame[f"score:{n}"].astype(object), errors="coerce").to_numpy(dtype=float)
        for n in names
    ])  # fmt: skip
    answered = ~np.isnan(scores).all(axis=1)
    for idx in frame.index[~answered]:
        ctx.log.add(frame.at[idx, "_file"], frame.at[idx, "_row"], "", "",
                    "empty_response: no readable answer about this facilitator", "dropped")  # fmt: skip
        mark_row(frame, idx, ctx, "empty")
    raw_names = frame[C.FACILITATOR_ID] if C.FACILITATOR_ID in frame else pd.Series(
        None, index=frame.index, dtype=object)  # fmt: skip
    ids = facilitator_ids(raw_names, salt=ctx.salt)
    nameless = answered & ids.isna().to_numpy()
    column = source_column(spec, C.FACILITATOR_ID)
    for idx in frame.index[nameless]:
        ctx.log.add(frame.at[idx, "_file"], frame.at[idx, "_row"], column, "",
                    "missing_required: the form rates a facilitator but names none "
                    f"(column {column!r})", "quarantined")  # fmt: skip
        mark_row(frame, idx, ctx, "quarantined")
    keep = answered & ~nameless
    if not keep.any():
        return None
    rows, cols = np.nonzero(~np.isnan(scores[keep]))
    kept = frame[keep]
    tops = np.array([_scale_max(spec.items[n], ctx) for n in names], dtype=float)
    values = scores[keep][rows, cols]
    reverse = np.array([bool(spec.items[n].reverse) for n in names])
    values = np.where(reverse[cols], tops[cols] + 1 - values, values)
    long = pd.DataFrame({
        C.COHORT_ID: kept[C.COHORT_ID].to_numpy(dtype=object)[rows],
        C.PARTICIPANT_ID: kept[C.PARTICIPANT_ID].to_numpy(dtype=object)[rows],
        C.FACILITATOR_ID: ids[keep].to_numpy(dtype=object)[rows],
        C.ITEM: np.array(names, dtype=object)[cols],
        C.SCORE: values,
        C.SCALE_MAX: tops[cols],
    })  # fmt: skip
    for col in (C.SESSION, C.FACILITATOR_ROLE):
        if col in kept:
            long[col] = kept[col].to_numpy(dtype=object)[rows]
    if ctx.codebook.name_facilitators:
        long[C.FACILITATOR_NAME] = raw_names[keep].to_numpy(dtype=object)[rows]
    return long


def _scale_max(item: Any, ctx: Any) -> int:
    """The top of an item's answer scale: its Likert set's ``max``."""
    return int(ctx.codebook.likert[item.likert].max)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """The output columns in their dtypes, sorted by the table's sort key."""
    out = pd.DataFrame(index=frame.index)
    for col in OUTPUT_COLUMNS[TABLE]:
        series = frame[col] if col in frame else pd.Series(None, index=frame.index, dtype=object)
        dtype = output_dtype(TABLE, col)
        if dtype == "Int64":
            out[col] = pd.array(series.astype("float64"), dtype="Int64")
        elif dtype == "float64":
            out[col] = series.astype("float64")
        else:
            out[col] = series.astype(object).where(series.notna(), None)
    out = out.sort_values(list(SORT_KEYS[TABLE]), kind="mergesort", na_position="last")
    return out.reset_index(drop=True)
