"""Linking rows across instruments: cohorts, participants, conflicts and duplicates.

Where it sits in cleaning: after each codebook table is read
(:func:`evalkit.data.read.read_spec`) and before the processed tables are built
(:func:`evalkit.data.build.build_tables`), :func:`evalkit.data.clean.clean_study` runs
these steps on the parsed frames:

1. :func:`check_cohorts` on the cohorts table (``bad_date_order``, duplicates,
   ``long_cohort``), which registers the known cohorts, and :func:`flag_future_dates`
   on every table;
2. :func:`canonical_cohorts`: each row's cohort in the cohorts table's spelling, an
   unknown cohort quarantined (``unknown_cohort``);
3. :func:`identify_participants`: first the rows of an export without a cohort column
   placed in a cohort (:func:`evalkit.data.derived_cohorts.place_cohorts`: the study's
   only cohort, else the participant's on the roster, else ``no_cohort``); then a
   pseudonymous ``participant_id`` for every row of a person table, from the NIP, else
   from the NIP recorded for the same name in the cohort, else from name and cohort;
   then :func:`off_roster`: when the study has a roster, a row whose participant is
   on none of its rows is flagged (``not_on_roster``);
4. :func:`roster_conflicts` on the roster (``nip_conflict``) and
   :func:`drop_duplicates` on every table but the cohorts (the latest submission kept).

Every step logs what it does to a row in the quality log and marks the row's status.
"""

from __future__ import annotations

import difflib
import hashlib
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from evalkit import constants as C
from evalkit.data.build_facilitators import anonymous_raters
from evalkit.data.cells import CleanContext
from evalkit.data.codebook import TableSpec, norm_label
from evalkit.data.codebook_blocks import is_anonymous
from evalkit.data.derived_cohorts import maps_no_cohort, place_cohorts
from evalkit.data.parse import is_blank
from evalkit.data.pseudonym import ID_HEX_CHARS, ID_PREFIX, normalize_name, pseudonym
from evalkit.data.read import mark_row, mark_rows, quarantine_rows, source_column
from evalkit.data.schema import OPTIONAL_PERSON_TABLES, PERSON_TABLES, TABLE_KEYS

#: A cohort running longer than this many days is flagged (``long_cohort``).
LONG_COHORT_DAYS = 366


# --- cohorts ------------------------------------------------------------------------
def check_cohorts(frame: pd.DataFrame, spec: TableSpec, ctx: CleanContext) -> pd.DataFrame:
    """Check the parsed cohorts table and register its cohorts in ``ctx.cohorts``.

    Cohorts that end before they start are quarantined (:func:`check_date_order`),
    duplicates dropped, cohorts longer than ``LONG_COHORT_DAYS`` flagged
    (:func:`flag_long_cohorts`).

    Examples
    --------
    >>> from pathlib import Path
    >>> from evalkit.data.codebook import ColumnSpec, parse_codebook
    >>> from evalkit.data.quality import QualityLog
    >>> ctx = CleanContext(parse_codebook({"study": "s", "tables": {}}), Path("."),
    ...                    QualityLog(), b"salt")
    >>> spec = TableSpec("cohorts", "cohorts", ("k.csv",))
    >>> frame = pd.DataFrame({"cohort_id": ["PKA-1", "PKA-2", "PKA-3"],
    ...     "start_date": pd.to_datetime(["2024-03-04", "2024-05-06", "2024-01-08"]),
    ...     "end_date": pd.to_datetime(["2024-03-08", "2024-05-01", "2025-06-30"]),
    ...     "_spec": "cohorts", "_file": "k.csv", "_row": [2, 3, 4], "_order": [0, 1, 2]})
    >>> check_cohorts(frame, spec, ctx)["cohort_id"].tolist(), ctx.cohorts
    (['PKA-1', 'PKA-3'], {'pka-1': 'PKA-1', 'pka-3': 'PKA-3'})
    >>> [(row, reason.split(":")[0], action) for _, row, _, _, reason, action in ctx.log.entries]
    [(3, 'bad_date_order', 'quarantined'), (4, 'long_cohort', 'flagged')]
    """
    frame = check_date_order(frame, spec, ctx)
    frame = dedupe_rows(frame, TABLE_KEYS["cohorts"], None, ctx)
    flag_long_cohorts(frame, spec, ctx)
    for cid in frame[C.COHORT_ID]:
        ctx.cohorts.setdefault(norm_label(cid), str(cid))
    return frame


def canonical_cohorts(frame: pd.DataFrame, spec: TableSpec, ctx: CleanContext) -> pd.DataFrame:
    """Map cohort ids to the cohorts table's spelling; quarantine unknown ones.

    A table that maps no cohort column (:func:`~evalkit.data.derived_cohorts.maps_no_cohort`)
    is left as it is: :func:`identify_participants` places its rows.

    Examples
    --------
    >>> from pathlib import Path
    >>> from evalkit.data.codebook import ColumnSpec, parse_codebook
    >>> from evalkit.data.quality import QualityLog
    >>> ctx = CleanContext(parse_codebook({"study": "s", "tables": {}}), Path("."),
    ...                    QualityLog(), b"salt")
    >>> ctx.cohorts = {"pka-1": "PKA-1"}
    >>> frame = pd.DataFrame({"cohort_id": ["pka-1", "PKA-I"], "_spec": "r",
    ...                       "_file": "r.csv", "_row": [2, 3]})
    >>> canonical_cohorts(frame, TableSpec("r", "reaction", ("r.csv",)), ctx)["cohort_id"].tolist()
    ['PKA-1']
    >>> ctx.log.entries[0][4]
    "unknown_cohort: 'PKA-I' is not in the cohorts table; closest: 'PKA-1'"
    """
    if "cohort_id" not in frame or not ctx.cohorts or maps_no_cohort(spec):
        return frame
    codes, uniques = pd.factorize(frame["cohort_id"])  # each distinct code looked up once
    canonical = [ctx.cohorts.get(norm_label(c)) for c in uniques.tolist()]
    ids = pd.Series(np.array([*canonical, None], dtype=object)[codes], index=frame.index)
    unknown = ids.isna()

    def why(c: object) -> str:
        close = difflib.get_close_matches(norm_label(c), list(ctx.cohorts), n=1, cutoff=0.7)
        hint = f"; closest: {ctx.cohorts[close[0]]!r}" if close else ""
        return f"unknown_cohort: {c!r} is not in the cohorts table{hint}"

    reasons = frame.loc[unknown, "cohort_id"].map(why)
    frame = quarantine_rows(
        frame, unknown, ctx, source_column(spec, "cohort_id"), frame["cohort_id"], reasons
    )
    frame = frame.copy(deep=False)  # copy-on-write: the columns are shared until changed
    frame["cohort_id"] = ids[~unknown]
    return frame


# --- participants -------------------------------------------------------------------
#: Tables whose rows are given a participant_id.
_PEOPLE = (*PERSON_TABLES, *OPTIONAL_PERSON_TABLES)


def identify_participants(
    frames: dict[str, pd.DataFrame], specs: Mapping[str, TableSpec], ctx: CleanContext
) -> None:
    """Give every row of a person table a participant_id (in place).

    The rows of a table that maps no cohort column are first placed in a cohort
    (:func:`~evalkit.data.derived_cohorts.place_cohorts`). A row with a usable NIP is
    identified by it. A row without one (missing, or unusable: its problem is logged as
    ``repaired``) is linked to the NIP recorded for the same name in the same cohort
    elsewhere in the study when there is exactly one, else identified by name and cohort; a row with neither is quarantined. Rows of an
    optional person table (``benefits``) that give neither a NIP nor a name are
    unit-level: their participant_id is missing.

    Parameters
    ----------
    frames : dict of str to pandas.DataFrame
        Codebook table key -> parsed frame; person tables are replaced.
    specs : mapping of str to TableSpec
        Codebook table key -> its spec.
    ctx : CleanContext
        The run (salt, quality log, row status).

    Examples
    --------
    >>> from pathlib import Path
    >>> from evalkit.data.codebook import ColumnSpec, parse_codebook
    >>> from evalkit.data.quality import QualityLog
    >>> ctx = CleanContext(parse_codebook({"study": "s", "tables": {}}), Path("."),
    ...                    QualityLog(), b"salt")
    >>> specs = {"r": TableSpec("r", "reaction", ("r.csv",)),
    ...          "p": TableSpec("p", "participants", ("p.csv",))}
    >>> frames = {
    ...     "p": pd.DataFrame({"cohort_id": ["A1"], "nip": ["198505122010011002"],
    ...                        "name": ["Maria Ndun"], "_spec": "p", "_file": "p.csv",
    ...                        "_row": [2]}),
    ...     "r": pd.DataFrame({"cohort_id": ["A1", "A1"], "nip": [None, None],
    ...                        "name": ["MARIA NDUN", None], "_spec": "r", "_file": "r.csv",
    ...                        "_row": [2, 3]})}
    >>> identify_participants(frames, specs, ctx)
    >>> frames["r"]["participant_id"].tolist() == frames["p"]["participant_id"].tolist()
    True
    >>> [(row, reason.split(";")[1].strip(), action) for _, row, _, _, reason, action
    ...  in ctx.log.entries]  # doctest: +NORMALIZE_WHITESPACE
    [(2, 'NIP taken from the same name in cohort A1', 'repaired'),
     (3, 'no name either, so the participant is unknown', 'quarantined')]
    """
    place_cohorts(frames, specs, ctx)
    registry = _nips_by_name(frames, specs)
    ids: dict[str, str] = {}  # one pseudonym per distinct NIP or name over every table
    for key in list(frames):
        if is_anonymous(specs[key]):  # anonymous facilitator forms: one rater key per row
            frames[key] = frames[key].assign(
                participant_id=anonymous_raters(frames[key], salt=ctx.salt)
            )
        elif specs[key].table in _PEOPLE:
            frames[key] = _identify_frame(frames[key], specs[key], registry, ctx, ids)


def _nips_by_name(
    frames: Mapping[str, pd.DataFrame], specs: Mapping[str, TableSpec]
) -> dict[tuple[str, str], set[str]]:
    """(cohort, normalised name) -> the NIPs recorded for it in any person table.

    Only the (cohort, name) pairs of rows without a usable NIP are looked up later, so
    only those are collected; each distinct name is normalised once.
    """
    cache: dict[Any, str | None] = {}

    def norms(values: pd.Series) -> np.ndarray:
        codes, uniques = pd.factorize(values.astype(object))
        found = []
        for name in uniques.tolist():
            if name not in cache:
                cache[name] = normalize_name(name)
            found.append(cache[name] or None)
        return np.array([*found, None], dtype=object)[codes]  # code -1 (missing): None

    people = [f for k, f in frames.items()
              if specs[k].table in _PEOPLE and not f.empty and "name" in f]  # fmt: skip
    wanted: set[tuple[str, str]] = set()
    usable = []
    for frame in people:
        has = np.fromiter((isinstance(n, str) for n in frame["nip"]), bool, count=len(frame)) \
            if "nip" in frame else np.zeros(len(frame), dtype=bool)  # fmt: skip
        usable.append(has)
        rest = frame[~has]
        wanted.update((str(c), n) for c, n in zip(rest["cohort_id"], norms(rest["name"]),
                                                  strict=True) if n)  # fmt: skip
    registry: dict[tuple[str, str], set[str]] = {}
    if not wanted:
        return registry
    cohorts = {c for c, _ in wanted}
    for frame, has in zip(people, usable, strict=True):
        if "nip" not in frame or not has.any():
            continue
        rows = frame[["nip", "name", "cohort_id"]][has]  # only the columns looked at
        texts = [str(c) for c in rows["cohort_id"].tolist()]
        pick = np.fromiter((c in cohorts for c in texts), bool, count=len(texts))
        rows = rows[pick]
        for nip, name, cohort in zip(rows["nip"].tolist(), norms(rows["name"]),
                                     itertools.compress(texts, pick), strict=True):  # fmt: skip
            if name and (cohort, name) in wanted:
                registry.setdefault((cohort, name), set()).add(nip)
    return registry


@dataclass(frozen=True)
class _RowIdentifier:
    """The rules of :func:`identify_participants` for the rows of one person table."""

    registry: Mapping[tuple[str, str], set[str]]
    ctx: CleanContext
    nip_col: str
    optional: bool
    has_nip: bool
    #: Pseudonyms computed so far (one HMAC per distinct NIP or name, not per row).
    ids: dict[str, str] = field(default_factory=dict)

    def pid(self, text: str) -> str:
        """The pseudonym of ``text`` (``nip:...`` or ``name:...``), computed once."""
        found = self.ids.get(text)
        if found is None:
            found = self.ids[text] = pseudonym(text, salt=self.ctx.salt)
        return found

    def pids(self, texts: Sequence[str]) -> list[str]:
        """The pseudonyms of ``texts`` (distinct), the new ones computed in one batch."""
        ids = self.ids
        new = [t for t in texts if t not in ids]
        ids.update(zip(new, pseudonyms(new, salt=self.ctx.salt), strict=True))
        return [ids[t] for t in texts]

    def __call__(
        self, nip: Any, name: Any, cohort: Any, problem: Any, file: str, row: int,
        raw_nip: Any, repair: Any,
    ) -> tuple[str | None, str | None, str | None]:  # fmt: skip
        """(participant_id, NIP taken from the same name, why the row is unknown)."""
        ctx = self.ctx
        if isinstance(nip, str):
            if repair:
                ctx.log.add(file, row, self.nip_col, raw_nip, repair, "repaired", kind="nip")
            return self.pid(f"nip:{nip}"), None, None
        norm = normalize_name(name)
        if self.optional and not norm and not isinstance(problem, str) and is_blank(raw_nip):
            return None, None, None  # a unit-level row: no participant
        why = problem or ("nip_missing: no NIP given" if self.has_nip else "")
        known = self.registry.get((str(cohort), norm or ""), set())
        if norm and len(known) == 1:
            linked = next(iter(known))
            ctx.log.add(file, row, self.nip_col, raw_nip,
                        f"{why}; NIP taken from the same name in cohort {cohort}",
                        "repaired", kind="nip")  # fmt: skip
            return self.pid(f"nip:{linked}"), linked, None
        if norm:
            if why:
                ctx.log.add(file, row, self.nip_col, raw_nip,
                            f"{why}; participant identified by name and cohort",
                            "repaired", kind="nip")  # fmt: skip
            return self.pid(f"name:{norm}|{cohort}"), None, None
        return (
            None,
            None,
            f"{why or 'no_identifier'}; no name either, so the participant is unknown",
        )


def _identify_frame(
    frame: pd.DataFrame, spec: TableSpec, registry: Mapping[tuple[str, str], set[str]],
    ctx: CleanContext, ids: dict[str, str],
) -> pd.DataFrame:  # fmt: skip
    """One person table with its participant_id; unidentifiable rows quarantined."""
    if frame.empty:
        frame["participant_id"] = pd.Series(dtype=object)
        return frame
    nip_col = source_column(spec, "nip")
    identify = _RowIdentifier(registry, ctx, nip_col, spec.table in OPTIONAL_PERSON_TABLES,
                              "nip" in frame, ids)  # fmt: skip

    def cells(column: str) -> np.ndarray:
        if column not in frame:
            return np.full(len(frame), None, dtype=object)
        return frame[column].to_numpy(dtype=object)

    nips = cells("nip")
    # the usual row: a usable NIP, nothing repaired; one pseudonym per distinct NIP
    plain = np.fromiter(map(isinstance, nips, [str] * len(nips)), bool, count=len(nips))
    if "_nip_repair" in frame:
        plain &= frame["_nip_repair"].isna().to_numpy()
    codes = np.full(len(frame), -1, dtype=np.int64)  # each row's id, as a code of ``found``
    found: list[str] = []
    if plain.any():
        plain_codes, uniques = pd.factorize(nips[plain])
        found = identify.pids([f"nip:{n}" for n in uniques.tolist()])
        codes[plain] = plain_codes
    bad: dict[Any, str] = {}
    linked_nips: dict[Any, str] = {}
    rest = np.flatnonzero(~plain)  # few rows, one at a time
    columns = [nips[rest], *(cells(c)[rest] for c in ("name", "cohort_id", "_nip_problem",
               "_file", "_row", "_nip_raw", "_nip_repair"))]  # fmt: skip
    more: dict[str, int] = {}
    for j, i in enumerate(rest):
        participant, linked, unknown = identify(*(column[j] for column in columns))
        if participant is not None:
            codes[i] = more.setdefault(participant, len(found) + len(more))
        idx = frame.index[i]
        if linked is not None:
            linked_nips[idx] = linked
        if unknown is not None:
            bad[idx] = unknown
    frame = frame.copy(deep=False)  # copy-on-write: the columns are shared until changed
    frame["participant_id"] = (
        _text_column([*found, *more], codes) if (codes >= 0).any()
        else np.full(len(frame), None, dtype=object)  # as pandas makes a column of None
    )  # fmt: skip
    if linked_nips:
        frame["nip"] = frame["nip"].astype(object)
        frame.loc[list(linked_nips), "nip"] = pd.Series(linked_nips, dtype=object)
    if bad:
        mask = frame.index.isin(list(bad))
        raw = frame["_nip_raw"] if "_nip_raw" in frame else pd.Series("", index=frame.index)
        frame = quarantine_rows(
            frame, pd.Series(mask, index=frame.index), ctx, nip_col, raw,
            pd.Series(bad).reindex(frame.index), kind="nip",
        )  # fmt: skip
    return frame


def pseudonyms(keys: Sequence[str], *, salt: bytes) -> list[str]:
    """:func:`~evalkit.data.pseudonym.pseudonym` of each key, in one batch.

    HMAC-SHA256 (RFC 2104) with the salt's inner and outer hash states computed once
    and copied per key: the same ids, at a third of the cost of a full HMAC per key.

    Examples
    --------
    >>> keys = ["nip:198505122010011002", "name:maria ndun|A1"]
    >>> pseudonyms(keys, salt=b"s") == [pseudonym(k, salt=b"s") for k in keys]
    True
    """
    if not keys:
        return []
    if not salt:
        return [pseudonym(k, salt=salt) for k in keys]  # raises its error
    block = hashlib.sha256().block_size
    key = hashlib.sha256(salt).digest() if len(salt) > block else salt
    key = key.ljust(block, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))
    size = (ID_HEX_CHARS + 1) // 2
    digests = []
    for text in keys:
        hashed = inner.copy()
        hashed.update(text.encode("utf-8"))
        final = outer.copy()
        final.update(hashed.digest())
        digests.append(final.digest()[:size])
    hexed = b"".join(digests).hex().upper()
    step = 2 * size
    return [ID_PREFIX + hexed[i : i + ID_HEX_CHARS] for i in range(0, len(hexed), step)]


def _text_column(texts: list[str], codes: np.ndarray) -> Any:
    """The texts ``texts[codes]`` (code -1: missing) as a text column, built in Arrow."""
    import pyarrow as pa

    picked = pa.array(texts, type=pa.large_string()).take(pa.array(codes, mask=codes < 0))
    return pd.array(picked, dtype="str")


#: Rows not on the roster listed one by one per file; the rest get one entry with their count.
OFF_ROSTER_LISTED = 50


def off_roster(
    frames: Mapping[str, pd.DataFrame], specs: Mapping[str, TableSpec], ctx: CleanContext
) -> None:
    """Flag rows of person tables whose participant is on no roster row of the study.

    Only when the study maps a roster (a ``participants`` table) that holds rows: a
    NIP (or name) found in a form or test but in no roster row would otherwise become,
    without a word, a participant nobody enrolled (most likely a mistyped NIP, or a
    roster that is incomplete). The row is kept and logged as ``flagged``
    (``not_on_roster``) with its file and row, so the evaluator corrects the NIP or
    adds the person to the roster. Unit-level rows (no participant) are not concerned.
    Past :data:`OFF_ROSTER_LISTED` such rows in one file (a roster of another population)
    the others are counted in one entry rather than listed.

    Examples
    --------
    >>> from pathlib import Path
    >>> from evalkit.data.codebook import parse_codebook
    >>> from evalkit.data.quality import QualityLog
    >>> ctx = CleanContext(parse_codebook({"study": "s", "tables": {}}), Path("."),
    ...                    QualityLog(), b"salt")
    >>> specs = {"p": TableSpec("p", "participants", ("p.csv",)),
    ...          "r": TableSpec("r", "reaction", ("r.csv",))}
    >>> frames = {
    ...     "p": pd.DataFrame({"participant_id": ["a"], "nip": ["1"], "_file": "p.csv",
    ...                        "_row": [2]}),
    ...     "r": pd.DataFrame({"participant_id": ["a", "z"], "nip": ["1", "9"],
    ...                        "_file": "r.csv", "_row": [2, 3]})}
    >>> off_roster(frames, specs, ctx)
    >>> [(e[0], e[1], e[4].split(":")[0], e[5]) for e in ctx.log.entries]
    [('r.csv', 3, 'not_on_roster', 'flagged')]
    """
    rosters = [f for k, f in frames.items() if specs[k].table == "participants"]
    known = _distinct_ids([f["participant_id"] for f in rosters if "participant_id" in f])
    if not len(known):
        return
    for key, frame in frames.items():
        spec = specs[key]
        if (spec.table not in _PEOPLE or spec.table == "participants" or frame.empty
                or is_anonymous(spec)):  # fmt: skip
            continue
        ids = frame["participant_id"]
        nips = frame["nip"] if "nip" in frame else pd.Series(None, index=frame.index)
        column = source_column(spec, "nip" if "nip" in frame else "name")
        off = frame.index[ids.notna().to_numpy() & ~_is_in(ids, known)]
        for file, rows in frame.loc[off].groupby("_file", sort=False)["_row"]:
            if len(rows) > OFF_ROSTER_LISTED:  # a roster of another population: say it once
                ctx.log.add(file, int(rows.iloc[OFF_ROSTER_LISTED]), column, "", (
                    f"not_on_roster: {len(rows) - OFF_ROSTER_LISTED:,} more rows of this file "
                    f"(from row {int(rows.iloc[OFF_ROSTER_LISTED])}) have participants on no "
                    "roster row; is the roster complete?"
                ), "flagged")  # fmt: skip
        listed = frame.loc[off].groupby("_file", sort=False).head(OFF_ROSTER_LISTED).index
        for idx in listed:
            nip = nips.loc[idx]
            what = (
                "this NIP is on no roster row of the study; correct the NIP or add the "
                "participant to the roster"
                if isinstance(nip, str)
                else "this name is on no roster row of the cohort; give the NIP or add the "
                "participant to the roster"
            )
            ctx.log.add(frame.at[idx, "_file"], int(frame.at[idx, "_row"]), column, nip,
                        f"not_on_roster: {what}", "flagged", kind="nip")  # fmt: skip


def arrow_text(column: pd.Series) -> Any:
    """A text column (Python objects or Arrow strings) as one Arrow ``large_string`` array.

    Examples
    --------
    >>> arrow_text(pd.Series(["a", None], dtype=object)).to_pylist()
    ['a', None]
    """
    import pyarrow as pa

    if column.dtype == object:
        return pa.array(column.to_numpy(dtype=object), type=pa.large_string(), from_pandas=True)
    array = pa.array(column.array, type=pa.large_string())
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


def _distinct_ids(columns: list[pd.Series]) -> Any:
    """The distinct present values of some id columns, as an Arrow array."""
    import pyarrow as pa
    import pyarrow.compute as pc

    parts = [arrow_text(c) for c in columns]
    if not parts:
        return pa.array([], type=pa.large_string())
    return pc.unique(pa.chunked_array(parts, type=pa.large_string()).drop_null())


def _is_in(column: pd.Series, values: Any) -> np.ndarray:
    """Whether each value of an id column is one of ``values`` (Arrow, in C)."""
    import pyarrow.compute as pc

    return pc.is_in(arrow_text(column), value_set=values).to_numpy(zero_copy_only=False)


#: Person attributes that must agree between roster rows of one participant.
CONFLICT_COLUMNS = ("name", C.SEX, C.UNIT, C.GOLONGAN, C.POSITION_TYPE)


def roster_conflicts(frame: pd.DataFrame, spec: TableSpec, ctx: CleanContext) -> pd.DataFrame:
    """Quarantine roster rows that give one participant of a cohort conflicting data.

    Rows of the same cohort and participant (the same NIP, or the same name when
    there is no NIP) must agree on name, sex, unit, golongan and position; when
    they do not, the NIP was probably mistyped on one of them and neither row can
    be trusted, so every row of that participant is quarantined (``nip_conflict``).
    Rows that agree are duplicates, left to :func:`drop_duplicates`.

    Examples
    --------
    >>> from pathlib import Path
    >>> from evalkit.data.codebook import ColumnSpec, parse_codebook
    >>> from evalkit.data.quality import QualityLog
    >>> ctx = CleanContext(parse_codebook({"study": "s", "tables": {}}), Path("."),
    ...                    QualityLog(), b"salt")
    >>> frame = pd.DataFrame({"cohort_id": ["A1", "A1", "A1"], "participant_id": ["x", "x", "y"],
    ...     "nip": ["198505122010011002", "198505122010011002", "199001012015032001"],
    ...     "sex": ["L", "P", "P"], "_spec": "p", "_file": "p.csv", "_row": [2, 3, 4]})
    >>> spec = TableSpec("p", "participants", ("p.csv",))
    >>> roster_conflicts(frame, spec, ctx)["_row"].tolist()
    [4]
    >>> print(ctx.log.entries[0][4])  # doctest: +NORMALIZE_WHITESPACE
    nip_conflict: rows 2, 3 of p.csv give the same NIP in cohort A1 conflicting data
    (sex 'L' vs 'P'); check the NIP of each row
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


def check_date_order(frame: pd.DataFrame, spec: TableSpec, ctx: CleanContext) -> pd.DataFrame:
    """Quarantine cohorts that end before they start (``bad_date_order``).

    See :func:`check_cohorts` for an example.
    """
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


def flag_future_dates(frame: pd.DataFrame, spec: TableSpec, ctx: CleanContext) -> None:
    """Flag kept rows whose ``date`` cells lie after the day of cleaning (``future_date``).

    A date column other than ``submitted_at`` holds a schedule (a cohort's start and
    end): a planned cohort may legitimately lie ahead, and quarantining it would
    quarantine every participant and answer of it as an unknown cohort. So the row is
    kept, with the date, and flagged for the evaluator: a typed year (2031 for 2013)
    is the usual cause.

    Examples
    --------
    >>> from pathlib import Path
    >>> from evalkit.data.codebook import ColumnSpec, parse_codebook
    >>> from evalkit.data.quality import QualityLog
    >>> ctx = CleanContext(parse_codebook({"study": "s", "tables": {}}), Path("."),
    ...                    QualityLog(), b"salt")
    >>> spec = TableSpec("k", "cohorts", ("k.csv",), columns={
    ...     "start_date": ColumnSpec("start_date", "Mulai", "date")})
    >>> frame = pd.DataFrame({"start_date": [pd.Timestamp("2999-01-02")], "_file": "k.csv",
    ...                       "_row": [2]})
    >>> flag_future_dates(frame, spec, ctx)
    >>> ctx.log.entries[0][3], ctx.log.entries[0][5]
    ('02/01/2999', 'flagged')
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


def flag_long_cohorts(frame: pd.DataFrame, spec: TableSpec, ctx: CleanContext) -> None:
    """Flag cohorts that run longer than ``LONG_COHORT_DAYS`` (``long_cohort``).

    See :func:`check_cohorts` for an example.
    """
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
    """Keep the latest row per key (by ``latest``, then by reading order); log the rest.

    Examples
    --------
    >>> from pathlib import Path
    >>> from evalkit.data.codebook import ColumnSpec, parse_codebook
    >>> from evalkit.data.quality import QualityLog
    >>> ctx = CleanContext(parse_codebook({"study": "s", "tables": {}}), Path("."),
    ...                    QualityLog(), b"salt")
    >>> frame = pd.DataFrame({"cohort_id": ["A1", "A1", "A2"], "_spec": "k", "_file": "k.csv",
    ...                       "_row": [2, 3, 4], "_order": [0, 1, 2]})
    >>> dedupe_rows(frame, ("cohort_id",), None, ctx)["_row"].tolist()
    [3, 4]
    >>> ctx.log.entries[0][4]
    'duplicate: same cohort_id as k.csv row 3, which is kept (later in the file)'
    >>> ctx.status
    {('k', 'k.csv', 2): 'duplicate'}
    """
    key = tuple(k for k in key if k in frame)
    if frame.empty or not key:
        return frame
    order = [latest, "_order"] if latest and latest in frame else ["_order"]
    if not frame.index.is_unique:
        frame = frame.reset_index(drop=True)
    keys = frame[list(dict.fromkeys([*order, *key, "_spec", "_file", "_row"]))]
    keys = keys.sort_values(order, kind="mergesort", na_position="first")  # the keys only
    group_key = keys[list(key)].astype(object).where(keys[list(key)].notna(), "\0na")
    dup = group_key.duplicated(keep="last")
    if not dup.any():
        return frame if frame["_order"].is_monotonic_increasing else frame.sort_values(
            "_order", kind="mergesort")  # fmt: skip
    frame, whole = keys, frame  # the sorted keys, the rows
    # the duplicates, each logged with the row that is kept
    group = group_key.groupby(list(group_key.columns), sort=False, dropna=False).ngroup()
    group = group.to_numpy()
    dup_mask = dup.to_numpy()
    kept_at = pd.DataFrame({"f": frame["_file"].to_numpy()[~dup_mask],
                            "r": frame["_row"].to_numpy()[~dup_mask]},
                           index=group[~dup_mask])  # fmt: skip
    kept_at = kept_at.loc[group[dup_mask]]
    by = f"submitted later ({latest})" if latest in frame else "later in the file"
    dropped = frame[dup_mask]
    for file, row, f, r in zip(dropped["_file"], dropped["_row"], kept_at["f"], kept_at["r"],
                               strict=True):  # fmt: skip
        ctx.log.add(file, row, "", "",
                    f"{what}: same {', '.join(key)} as {f} row {r}, which is kept ({by})",
                    "dropped")  # fmt: skip
    mark_rows(dropped, ctx, "duplicate")
    kept = whole.drop(index=frame.index[dup.to_numpy()])
    return kept if kept["_order"].is_monotonic_increasing else kept.sort_values(
        "_order", kind="mergesort")  # fmt: skip


def drop_duplicates(frame: pd.DataFrame, spec: TableSpec, ctx: CleanContext) -> pd.DataFrame:
    """Drop the duplicate rows of one parsed table (:func:`dedupe_key`, :func:`dedupe_rows`).

    Unit-level rows of an optional person table (``benefits`` without a participant)
    are separate estimates, never duplicates.

    Examples
    --------
    >>> from pathlib import Path
    >>> from evalkit.data.codebook import ColumnSpec, parse_codebook
    >>> from evalkit.data.quality import QualityLog
    >>> ctx = CleanContext(parse_codebook({"study": "s", "tables": {}}), Path("."),
    ...                    QualityLog(), b"salt")
    >>> frame = pd.DataFrame({"cohort_id": ["A1"] * 4, "participant_id": ["x", "x", None, None],
    ...     "benefit_type": "time_saved", "_spec": "b", "_file": "b.csv", "_row": [2, 3, 4, 5],
    ...     "_order": [0, 1, 2, 3]})
    >>> spec = TableSpec("b", "benefits", ("b.csv",))
    >>> drop_duplicates(frame, spec, ctx)["_row"].tolist()
    [3, 4, 5]
    """
    key, latest = dedupe_key(spec)
    if spec.table in OPTIONAL_PERSON_TABLES and C.PARTICIPANT_ID in key and not frame.empty:
        unit_level = frame[C.PARTICIPANT_ID].isna()
        people = dedupe_rows(frame[~unit_level], key, latest, ctx)
        return pd.concat([people, frame[unit_level]]).sort_values("_order", kind="mergesort")
    return dedupe_rows(frame, key, latest, ctx)


def dedupe_key(spec: TableSpec) -> tuple[tuple[str, ...], str | None]:
    """The columns that make rows of one codebook table duplicates, and the ``latest`` column.

    The codebook's ``dedupe`` (NIP or name meaning the participant), else the table's
    key with ``submitted_at`` deciding which row is the latest. A ``learning`` table
    with a ``phase`` column has one row per phase.

    Examples
    --------
    >>> from evalkit.data.codebook import ColumnSpec
    >>> dedupe_key(TableSpec("r", "reaction", ("r.csv",), columns={
    ...     "submitted_at": ColumnSpec("submitted_at", "Timestamp", "datetime")}))
    (('cohort_id', 'participant_id'), 'submitted_at')
    >>> dedupe_key(TableSpec("n", "learning", ("n.csv",), columns={
    ...     "phase": ColumnSpec("phase", "Jenis", "category")}))
    (('cohort_id', 'participant_id', 'phase'), None)
    """
    if spec.dedupe is not None:
        key = tuple("participant_id" if k in ("nip", "name") else k for k in spec.dedupe.key)
        key, latest = tuple(dict.fromkeys(key)), spec.dedupe.keep_latest
    else:
        latest = "submitted_at" if "submitted_at" in spec.columns else None
        key = TABLE_KEYS.get(spec.table, ())
    if spec.table == "learning" and "phase" in spec.columns and C.PHASE not in key:
        key = (*key, C.PHASE)
    return key, latest
