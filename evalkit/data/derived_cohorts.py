"""Cohorts without a cohort list, and the cohort of rows whose export names none.

Reports are written per cohort, from the ``cohorts`` table. A study whose codebook maps no
cohort list (*daftar angkatan*) still names each participant's cohort, in the roster's
cohort column (``Angkatan``, ``Kelas``) or in the exports'. :func:`derive_cohorts` makes
the ``cohorts`` rows from those codes: the roster's when it has any, else those of the
other tables of people (forms, tests, benefit estimates; not costs). Nothing else is known of such a cohort: its program,
batch, dates, delivery method, facilitator type and lesson hours are missing
(:func:`evalkit.reporting.sections.derived_cohort`), and the reports say so in one
sentence rather than guess them.
:func:`evalkit.data.build.build_tables` calls it when no codebook table fills ``cohorts``.

An export of people may have no cohort column at all (a Google Form that did not ask).
Its codebook entry then gives ``cohort_id`` no raw header but a constant: the cohort of a
file of one cohort (``value: PKA-1``, kept as it is), or, when ``evalkit init`` could not
tell, the placeholder :data:`COHORT_PLACEHOLDER` or nothing (:func:`maps_no_cohort`).
:func:`place_cohorts` then gives each row a cohort instead of putting every row in a
placeholder cohort: the study's cohort when it has only one, else the one cohort the
roster gives the participant's NIP, or, for a row without a usable NIP, its name (logged
``repaired``, ``cohort_from_roster``); a row it cannot place is quarantined (``no_cohort``, naming the file and why), and when no row of a
table can be placed, cleaning stops with a :class:`~evalkit.errors.CodebookError` naming
``data/raw/<study>/codebook.yaml``, the table and the key to write.

Examples
--------
>>> import pandas as pd
>>> parsed = {"peserta": pd.DataFrame({"cohort_id": ["B-2", "A-1", "B-2", None]}),
...           "nilai": pd.DataFrame({"cohort_id": ["C-3"]})}
>>> derive_cohorts(parsed, {"participants": ["peserta"], "learning": ["nilai"]})
  cohort_id
0       A-1
1       B-2
>>> derive_cohorts(parsed, {"learning": ["nilai"]})["cohort_id"].tolist()
['C-3']
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from evalkit import constants as C
from evalkit.data.cells import CleanContext
from evalkit.data.codebook import TableSpec, norm_label
from evalkit.data.pseudonym import normalize_name
from evalkit.data.read import quarantine_rows
from evalkit.data.schema import OPTIONAL_PERSON_TABLES, PERSON_TABLES
from evalkit.errors import CodebookError

__all__ = ["COHORT_PLACEHOLDER", "derive_cohorts", "maps_no_cohort", "place_cohorts"]

#: The cohort code ``evalkit init`` writes (``cohort_id: {value: ...}``) for an export
#: without a cohort column when it cannot tell the cohort: a code to replace, not a cohort.
COHORT_PLACEHOLDER = "GANTI-KODE-ANGKATAN"


def derive_cohorts(parsed: Mapping[str, pd.DataFrame],
                   by_table: Mapping[str, Sequence[str]]) -> pd.DataFrame:  # fmt: skip
    """The ``cohorts`` rows of a study without a cohort list: one per cohort code seen.

    Parameters
    ----------
    parsed : mapping of str to DataFrame
        Codebook table key -> its parsed rows (a ``cohort_id`` column where the table
        names cohorts).
    by_table : mapping of str to sequence of str
        Processed table -> the codebook table keys that fill it.

    Returns
    -------
    DataFrame
        A ``cohort_id`` column, sorted, one row per distinct code: the roster's
        (``participants``) codes when it has any, else those of every other person table
        (forms, tests, benefit estimates); empty when none names a cohort.
    """

    def codes(keys: Sequence[str]) -> list[str]:
        found: set[str] = set()
        for key in keys:
            frame = parsed.get(key)
            if frame is not None and C.COHORT_ID in frame:
                found |= {str(c) for c in pd.unique(frame[C.COHORT_ID].dropna().astype(object))}
        return sorted(c for c in found if c.strip())

    found = codes(by_table.get("participants", []))
    if not found:  # the forms and tests of people (not costs: a cost names no one's cohort)
        people = (*PERSON_TABLES, *OPTIONAL_PERSON_TABLES)
        found = codes([k for t, keys in sorted(by_table.items()) if t in people for k in keys])
    return pd.DataFrame({C.COHORT_ID: pd.Series(found, dtype=object)})


# --- rows whose export names no cohort ----------------------------------------------
def maps_no_cohort(spec: TableSpec) -> bool:
    """Whether a codebook table's rows name no cohort.

    True when its ``cohort_id`` is no raw column but a constant left empty or the
    placeholder :data:`COHORT_PLACEHOLDER`; a constant cohort code (a file of one
    cohort) names its rows' cohort.

    Examples
    --------
    >>> from evalkit.data.codebook import ColumnSpec
    >>> def spec(**given):
    ...     return TableSpec("r", "reaction", ("r.csv",), columns={
    ...         "cohort_id": ColumnSpec("cohort_id", type="str", **given)})
    >>> [maps_no_cohort(spec(source=None, value=COHORT_PLACEHOLDER)),
    ...  maps_no_cohort(spec(source=None, value=None)),
    ...  maps_no_cohort(spec(source=None, value="PKA-1")),
    ...  maps_no_cohort(spec(source="Angkatan"))]
    [True, True, False, False]
    """
    col = spec.columns.get(C.COHORT_ID)
    if col is None or col.source is not None:
        return False
    text = "" if col.value is None else str(col.value).strip()
    return not text or norm_label(text) == norm_label(COHORT_PLACEHOLDER)


_PEOPLE = (*PERSON_TABLES, *OPTIONAL_PERSON_TABLES)


def place_cohorts(frames: dict[str, pd.DataFrame], specs: Mapping[str, TableSpec],
                  ctx: CleanContext) -> None:  # fmt: skip
    """Give a cohort to the rows of the person tables that map no cohort column (in place).

    For each table of :func:`maps_no_cohort`: in a study of one cohort (the cohort
    list's, else the one cohort code of the other tables, as :func:`derive_cohorts`
    finds them) every row is in it; else a row takes the cohort of its usable NIP on the
    roster (``participants``) when the roster gives that NIP exactly one cohort, and a
    row without a usable NIP that of its normalised name
    (:func:`~evalkit.data.pseudonym.normalize_name`) when the roster gives that name
    exactly one cohort. Each
    row placed is logged ``repaired`` (``cohort_from_roster`` or ``cohort_from_study``);
    a row that cannot be placed (neither a usable NIP nor a name, a NIP or name on no
    roster row or on rows of two cohorts, no roster) is quarantined (``no_cohort``, naming the file).

    Parameters
    ----------
    frames : dict of str to pandas.DataFrame
        Codebook table key -> parsed frame (the roster's cohorts already canonical);
        the tables that map no cohort column are replaced.
    specs : mapping of str to TableSpec
        Codebook table key -> its spec.
    ctx : CleanContext
        The run (known cohorts, quality log, row status).

    Raises
    ------
    CodebookError
        If a table with rows maps no cohort column and none of its rows can be placed:
        naming ``codebook.yaml`` (and its line), the table and the key to write.

    Examples
    --------
    >>> from evalkit.data.codebook import ColumnSpec, parse_codebook
    >>> from evalkit.data.quality import QualityLog
    >>> ctx = CleanContext(parse_codebook({"study": "s", "tables": {}}), Path("."),
    ...                    QualityLog(), b"salt")
    >>> specs = {"p": TableSpec("p", "participants", ("p.csv",), columns={
    ...              "cohort_id": ColumnSpec("cohort_id", "Angkatan", "str")}),
    ...          "r": TableSpec("r", "reaction", ("r.csv",), columns={
    ...              "cohort_id": ColumnSpec("cohort_id", None, "str", value=None)})}
    >>> frames = {
    ...     "p": pd.DataFrame({"cohort_id": ["A1", "B2", "B2"],
    ...                        "nip": ["198505122010011002", "199001012015032001",
    ...                                "198505122010011002"],
    ...                        "name": ["Yohanes Fanggidae", "Maria Ndun", "Yohanes Fanggidae"]}),
    ...     "r": pd.DataFrame({"cohort_id": [None] * 3, "nip": ["199001012015032001",
    ...                        "198505122010011002", None], "name": [None, None, "MARIA NDUN"],
    ...                        "_spec": "r", "_file": "r.csv", "_row": [2, 3, 4]})}
    >>> place_cohorts(frames, specs, ctx)
    >>> frames["r"][["cohort_id", "_row"]].to_numpy().tolist()  # row 4 by its name
    [['B2', 2], ['B2', 4]]
    >>> [(row, reason.split(":")[0], action) for _, row, _, _, reason, action
    ...  in ctx.log.entries]  # doctest: +NORMALIZE_WHITESPACE
    [(2, 'cohort_from_roster', 'repaired'), (4, 'cohort_from_roster', 'repaired'),
     (3, 'no_cohort', 'quarantined')]
    >>> ctx.log.entries[2][4]  # doctest: +ELLIPSIS
    "no_cohort: r.csv maps no cohort column ... NIP is on the roster in 2 cohorts (A1, B2)"
    """
    keys = [k for k, spec in specs.items() if spec.table in _PEOPLE and maps_no_cohort(spec)]
    if not keys:
        return
    named = {k: s for k, s in specs.items() if k not in keys}
    if ctx.cohorts:
        study = sorted(set(ctx.cohorts.values()))
    else:
        by_table: dict[str, list[str]] = {}
        for k, spec in named.items():
            by_table.setdefault(spec.table, []).append(k)
        study = derive_cohorts(frames, by_table)[C.COHORT_ID].tolist()
    roster = _roster_cohorts(frames, named)
    # the roster's names: looked up only for rows without a usable NIP, so built only then
    names = functools.cache(lambda: _roster_cohorts(frames, named, "name"))
    for key in keys:
        frames[key] = _place(frames[key], specs[key], study, roster, names, ctx)


def _roster_cohorts(frames: Mapping[str, pd.DataFrame], specs: Mapping[str, TableSpec],
                    key: str = "nip") -> dict[str, tuple[str, ...]] | None:  # fmt: skip
    """Usable NIP (``key="nip"``) or normalised name (``key="name"``) -> the cohorts the
    roster gives it (None: the study has no roster with that column)."""
    parts = [frames[k][[C.COHORT_ID, key]] for k, spec in specs.items()
             if spec.table == "participants" and key in frames[k]
             and C.COHORT_ID in frames[k]]  # fmt: skip
    if not parts:
        return None
    pairs = pd.concat(parts, ignore_index=True).astype(object)
    if key == "name":  # each distinct name normalised once
        codes, uniques = pd.factorize(pairs[key])
        pairs[key] = np.array([*map(normalize_name, uniques), None], dtype=object)[codes]
    usable = pairs[key].map(lambda n: isinstance(n, str) and bool(n)) & pairs[C.COHORT_ID].notna()
    pairs = pairs[usable].drop_duplicates()
    return {str(k): tuple(sorted(map(str, group)))
            for k, group in pairs.groupby(key, sort=False)[C.COHORT_ID]}  # fmt: skip


def _place(frame: pd.DataFrame, spec: TableSpec, study: list[str],
           roster: dict[str, tuple[str, ...]] | None,
           names: Callable[[], dict[str, tuple[str, ...]] | None],
           ctx: CleanContext) -> pd.DataFrame:  # fmt: skip
    """One table's rows, each with its cohort; the rows without one quarantined.

    A row with a usable NIP takes its cohort from the NIP's roster rows; a row without
    one, from the roster rows of its (normalised) name, the way a participant without a
    NIP is later identified by name within the cohort."""
    frame = frame.copy(deep=False)
    if frame.empty:
        frame[C.COHORT_ID] = pd.Series(dtype=object)
        return frame
    files = ", ".join(dict.fromkeys(frame["_file"].astype(str)))
    if len(study) == 1:
        frame[C.COHORT_ID] = study[0]
        reason = (f"cohort_from_study: tables.{spec.key} maps no cohort column; the study "
                  f"has one cohort, {study[0]}")  # fmt: skip
        for file, row in zip(frame["_file"], frame["_row"], strict=True):
            ctx.log.add(file, row, C.COHORT_ID, study[0], reason, "repaired")
        return frame
    nips = frame["nip"].astype(object) if "nip" in frame else pd.Series(None, index=frame.index)
    codes, uniques = pd.factorize(nips)  # each distinct NIP looked up once
    found = [(roster or {}).get(n, ()) if isinstance(n, str) else None for n in uniques]
    by_nip = np.array([*(_only(f) for f in found), None], dtype=object)[codes]
    why = np.array([*(_why_not(f, roster, study) for f in found), _NO_NIP], dtype=object)[codes]
    # rows without a usable NIP: by name, each distinct name looked up once
    no_nip = np.array([*(f is None for f in found), True])[codes]
    raw_names = (
        frame["name"].astype(object) if "name" in frame else pd.Series(None, index=frame.index)
    )
    raw_codes, raw_uniques = pd.factorize(raw_names.where(no_nip))  # each name once
    normal = [normalize_name(n) for n in raw_uniques]
    lookup = names() if any(normal) else None
    hits = [(lookup or {}).get(n, ()) if n else None for n in normal]
    by_name = np.array([*(_only(h) for h in hits), None], dtype=object)[raw_codes]
    name_why = np.array(
        [*(_why_not_name(h, lookup, roster, study) if h is not None else _NO_NIP
           for h in hits), _NO_NIP], dtype=object,
    )  # fmt: skip
    why = np.where(no_nip, name_why[raw_codes], why)
    placed = np.where(no_nip, by_name, by_nip)
    missing = pd.Series(pd.isna(placed), index=frame.index)
    if missing.all():
        raise _no_cohort_error(spec, files, len(frame), study, roster, ctx)
    head = f"no_cohort: {{file}} maps no cohort column (tables.{spec.key}.columns.cohort_id) and "
    reasons = pd.Series([head.format(file=f) + w for f, w in zip(frame["_file"], why, strict=True)],
                        index=frame.index, dtype=object)  # fmt: skip
    frame[C.COHORT_ID] = placed
    kept = ~missing.to_numpy()
    for file, row, cohort, named in zip(frame["_file"][kept], frame["_row"][kept], placed[kept],
                                        no_nip[kept], strict=True):  # fmt: skip
        source = "name (the row has no usable NIP)" if named else "NIP"
        ctx.log.add(file, row, C.COHORT_ID, cohort, (
            f"cohort_from_roster: tables.{spec.key} maps no cohort column; cohort {cohort} "
            f"taken from the roster row of the participant's {source}"), "repaired")  # fmt: skip
    return quarantine_rows(frame, missing, ctx, C.COHORT_ID, frame[C.COHORT_ID], reasons)


_NO_NIP = "the row has no usable NIP or name to find the participant's cohort on the roster"


def _only(found: tuple[str, ...] | None) -> str | None:
    """The one cohort of a lookup, else None (none, several, or nothing to look up)."""
    return found[0] if found is not None and len(found) == 1 else None


def _why_not_name(found: tuple[str, ...], names: dict | None, roster: dict | None,
                  study: list[str]) -> str:  # fmt: skip
    """Why a row without a usable NIP cannot be placed by its name (empty when it can)."""
    if names is None:
        return (
            _why_not((), roster, study)
            if roster is None
            else ("the row has no usable NIP, and the roster has no names to find its cohort by")
        )
    if not found:
        return "the row has no usable NIP, and its name is on no roster row"
    if len(found) > 1:
        return (f"the row has no usable NIP, and its name is on the roster in {len(found)} "
                f"cohorts ({', '.join(found)})")  # fmt: skip
    return ""


def _why_not(found: tuple[str, ...] | None, roster: dict | None, study: list[str]) -> str:
    """Why a NIP's row cannot be placed (empty when it can)."""
    if found is None:
        return _NO_NIP
    if roster is None:
        return f"the study has no roster to find which of its {len(study)} cohorts is the row's"
    if not found:
        return "the participant's NIP is on no roster row"
    if len(found) > 1:
        return (
            f"the participant's NIP is on the roster in {len(found)} cohorts ({', '.join(found)})"
        )
    return ""


def _no_cohort_error(spec: TableSpec, files: str, rows: int, study: list[str],
                     roster: dict | None, ctx: CleanContext) -> CodebookError:  # fmt: skip
    """The error of a table none of whose rows can be placed in a cohort."""
    path = ctx.codebook.path or ctx.raw_dir / "codebook.yaml"
    line = _key_line(Path(path), ("tables", spec.key, "columns", C.COHORT_ID))
    at = f", line {line}" if line is not None else ""
    cohorts = f"the study's {len(study)} cohorts" if study else "a cohort (the study names none)"
    how = (
        "by the participant's NIP or name on the roster"
        if roster is not None
        else "(the study has no roster)"
    )
    return CodebookError(
        f"codebook {_shown(Path(path))}{at}, tables.{spec.key}.columns.cohort_id: file {files} "
        f"maps no cohort column, and none of its {rows} rows can be placed in one of "
        f"{cohorts} {how}; add the export's cohort column as 'cohort_id: {{from: <its "
        "header>}' under tables."
        f"{spec.key}.columns, or, for a file of one cohort, its code as 'cohort_id: "
        "{value: <cohort code>}'"
    )


def _shown(path: Path) -> str:
    """``path`` relative to the current folder when inside it (``data/raw/demo/codebook.yaml``)."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def _key_line(path: Path, keys: Sequence[str]) -> int | None:
    """The 1-based line of the deepest of the nested ``keys`` the YAML file has."""
    import yaml

    try:
        node = yaml.compose(path.read_text(encoding="utf-8-sig"),
                            Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # fmt: skip
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    line = None
    for key in keys:
        if not isinstance(node, yaml.MappingNode):
            break
        hit = next(((k, v) for k, v in node.value if k.value == key), None)
        if hit is None:
            break
        line, node = hit[0].start_mark.line + 1, hit[1]
    return line
