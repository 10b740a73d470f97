"""The table entries of a proposed codebook: which table each export is, and its columns.

Sources with the same headers on the same header row form one group and one
entry (:func:`group_sources`; their files become a glob when it matches exactly
them, :func:`files_entry`). :func:`table_kinds` says from a group's roles and
items which processed tables it feeds (cohorts, programs, reaction, learning,
test items, follow-up, projects, costs; one source can feed several), and
:func:`group_kinds` adds the participant roster: the person source with the
most of sex, golongan, position type and unit. :func:`add_tables` then writes
one codebook entry per group and table into the :class:`~evalkit.data.onboard.draft.Draft`.

Examples
--------
>>> import pandas as pd
>>> from evalkit.data.onboard.sources import Source
>>> g = Guess(Source("biaya.csv", None, 1, pd.DataFrame()),
...           roles={"cohort_id": "Kelas", "category": "Komponen", "amount_idr": "Jumlah"})
>>> table_kinds(g)
['costs']
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from evalkit.data.onboard.columns import column_spec, person_columns
from evalkit.data.onboard.draft import REVIEW, Draft, slug
from evalkit.data.onboard.facilitators import facilitator_parts, is_facilitator_export
from evalkit.data.onboard.items import item_entries
from evalkit.data.onboard.outcome_tables import (
    OUTCOME_TABLES,
    outcome_columns,
    outcome_kind,
    rater_header,
    rater_spec,
)
from evalkit.data.onboard.roles import FOLLOWUP_CUES, PERSON_ROLES, Guess
from evalkit.data.onboard.sources import Source

#: A group of same-shaped sources: (headers, header row).
GroupKey = tuple[Any, ...]


#: Table -> roles mapped to columns when the source has them, in codebook order
#: (person tables first get submitted_at, nip, name and cohort_id).
_ROLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "programs": ("program_id", "program_name", "skill_type"),
    "cohorts": ("cohort_id", "program_id", "program_name", "skill_type", "batch", "start_date",
                "end_date", "delivery", "facilitator_type", "jp"),
    "costs": ("cohort_id", "category", "amount_idr"),
    "participants": PERSON_ROLES,
    "learning": ("pre", "post"),
    "test_items": ("phase",),
    "followup": ("months_after",),
    "projects": ("months_after", "project_status"),
}  # fmt: skip


# --- which tables -------------------------------------------------------------------
def group_sources(guesses: Sequence[Guess]) -> dict[GroupKey, list[Guess]]:
    """Sources of the same shape (same headers, same header row): one codebook entry each.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame(columns=["NIP", "Kelas"])
    >>> gs = [Guess(Source(f"peserta_{y}.csv", None, 1, frame)) for y in (2023, 2024)]
    >>> [[g.source.file for g in group] for group in group_sources(gs).values()]
    [['peserta_2023.csv', 'peserta_2024.csv']]
    """
    groups: dict[GroupKey, list[Guess]] = {}
    for g in guesses:
        key = (tuple(g.frame.columns), g.source.header_row)
        groups.setdefault(key, []).append(g)
    return groups


def table_kinds(g: Guess) -> list[str]:
    """The processed tables a source feeds, from its roles, items and test items.

    Examples
    --------
    >>> import pandas as pd
    >>> g = Guess(Source("nilai.csv", None, 1, pd.DataFrame()), {"nip": "NIP", "pre": "Pre"})
    >>> table_kinds(g)
    ['learning']
    """
    roles, kinds = g.roles, []
    outcome = outcome_kind(g)  # IKM, unit KPIs, benefits, the then-test
    if outcome is not None:
        return [outcome]
    person = "nip" in roles or "name" in roles
    text = " ".join([g.source.file, g.source.sheet or "", *map(str, g.frame.columns)])
    if "amount_idr" in roles and "category" in roles and "cohort_id" in roles:
        kinds.append("costs")
    if len(g.items) >= 2 and person and is_facilitator_export(g):
        kinds.append("facilitator_ratings")
    elif len(g.items) >= 2 and person:
        followup = FOLLOWUP_CUES.search(text) or "months_after" in roles
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
        and "program_name" in roles
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


def _roster_key(groups: dict[GroupKey, list[Guess]],
                kinds: dict[GroupKey, list[str]]) -> GroupKey | None:  # fmt: skip
    """The participant roster: the person source with the most person attributes."""
    roster_key, roster_score = None, 0
    for key, gs in groups.items():
        roles = gs[0].roles
        if ("nip" in roles or "name" in roles) and "cohort_id" in roles:
            score = sum(r in roles for r in PERSON_ROLES) * 10
            if score and not kinds[key]:
                score += 5  # a file that is only a roster
            if re.search(r"peserta|roster|daftar|participant", gs[0].source.file, re.I):
                score += 3
            if score > roster_score:
                roster_key, roster_score = key, score
    return roster_key


def group_kinds(groups: dict[GroupKey, list[Guess]]) -> dict[GroupKey, list[str]]:
    """The tables of every group, ``participants`` first for the roster.

    Examples
    --------
    >>> import pandas as pd
    >>> g = Guess(Source("peserta.csv", None, 1, pd.DataFrame(columns=["NIP", "Kelas", "Unit"])),
    ...           {"nip": "NIP", "cohort_id": "Kelas", "unit": "Unit"})
    >>> list(group_kinds(group_sources([g])).values())
    [['participants']]
    """
    kinds = {key: table_kinds(gs[0]) for key, gs in groups.items()}
    roster = _roster_key(groups, kinds)
    if roster is not None:
        kinds[roster] = ["participants", *kinds[roster]]
    return kinds


# --- one entry ----------------------------------------------------------------------
def files_entry(sources: Sequence[Source], raw_dir: Path) -> list[str]:
    """File names of a group of same-shaped sources; one glob per suffix when it
    matches exactly them (``peserta_*.xlsx``, ``peserta_*.csv``).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     for name in ("peserta_2023.xlsx", "peserta_2024.xlsx", "peserta_2025.csv"):
    ...         _ = (Path(tmp) / name).write_text("x")
    ...     sources = [Source(name, None, 1, None) for name in ("peserta_2023.xlsx", "peserta_2024.xlsx",
    ...                                                       "peserta_2025.csv")]
    ...     files_entry(sources, Path(tmp))
    ['peserta_*.xlsx', 'peserta_2025.csv']
    """
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


def table_key(draft: Draft, table: str, gs: list[Guess]) -> str:
    """The entry's key: the table's name, or ``<table>_<file or sheet>`` when it is taken.

    Examples
    --------
    >>> import pandas as pd
    >>> from evalkit.data.onboard.draft import Proposal
    >>> draft = Draft(Proposal({}), {}, set())
    >>> g = [Guess(Source("tindak_lanjut_atasan.xlsx", None, 1, pd.DataFrame()))]
    >>> table_key(draft, "followup", g)
    'followup'
    >>> draft.tables["followup"] = {}
    >>> table_key(draft, "followup", g)
    'followup_tindak_lanjut_atasan'
    """
    if table not in draft.tables:
        return table
    stem = slug(Path(gs[0].source.file).stem if len(gs) == 1 else gs[0].source.sheet or "")
    key, n = f"{table}_{stem}", 2
    while key in draft.tables:
        key, n = f"{table}_{stem}_{n}", n + 1
    return key


def _columns(draft: Draft, table: str, gs: list[Guess], path: str) -> dict[str, Any]:
    """The ``columns`` of an entry (``path`` is their key path), with review notes."""
    g = gs[0]
    roles = g.roles
    person = table not in ("programs", "cohorts", "costs")
    cols: dict[str, Any] = person_columns(draft, gs, path) if person else {}
    for role in _ROLE_COLUMNS.get(table, ()):
        if role in roles:
            cols[role] = column_spec(draft, role, gs, f"{path}.{role}")
    if table == "learning":
        bounds = [cols[c]["max"] for c in ("pre", "post") if "max" in cols.get(c, {})]
        top = max(bounds, default=100)
        cols["max_score"] = {"value": top}
        draft.note(
            f"{path}.max_score",
            f"{REVIEW}: the test's maximum score, a guess "
            f"(the pre/post max); Hake's g divides by max_score - pre"
            + ("; pre and post differ: are they one test?" if len(set(bounds)) > 1 else ""),
        )
    elif table == "test_items" and "phase" not in roles:
        m = re.search(r"pre|post", g.source.file, re.I)
        cols["phase"] = {"value": m[0].lower() if m else "post"}
        draft.note(f"{path}.phase", f"{REVIEW}: no pre/post column; is this the pre- or post-test?")
    elif table == "followup":
        if "months_after" not in roles and "submitted_at" not in roles:
            draft.note(path, f"{REVIEW}: no month and no timestamp; "
                             "add months_after: {value: 3} or similar")  # fmt: skip
        cols["rater"] = rater_spec(draft, g, rater_header(g), f"{path}.rater")
    return cols


def _survey_parts(draft: Draft, table: str, gs: list[Guess], key: str,
                  entry: dict[str, Any]) -> None:  # fmt: skip
    """Items, comments and the duplicate rule of a reaction or follow-up entry."""
    roles, cols = gs[0].roles, entry["columns"]
    entry["items"] = item_entries(draft, table, gs, key)
    if table == "reaction" and "comment" in roles:
        entry["comments"] = {"from": roles["comment"]}
    ident = "nip" if "nip" in cols else "name"
    if "submitted_at" in cols:
        dkey = [ident, "cohort_id"] + (["rater"] if "from" in cols.get("rater", {}) else [])
        dkey += ["months_after"] if "months_after" in cols else []
        entry["dedupe"] = {"key": dkey, "keep_latest": "submitted_at"}


def table_entry(draft: Draft, table: str, key: str, gs: list[Guess],
                files: list[str]) -> dict[str, Any]:  # fmt: skip
    """The codebook entry of one group for one table, stored under ``key``.

    Examples
    --------
    >>> import pandas as pd
    >>> from evalkit.data.onboard.draft import Proposal
    >>> frame = pd.DataFrame({"Kelas": ["K1"], "Komponen": ["Konsumsi"], "Jumlah": ["100"]})
    >>> g = Guess(Source("biaya.csv", None, 1, frame),
    ...           {"cohort_id": "Kelas", "category": "Komponen", "amount_idr": "Jumlah"})
    >>> entry = table_entry(Draft(Proposal({}), {}, set()), "costs", "costs", [g], ["biaya.csv"])
    >>> entry["files"], list(entry["columns"])
    (['biaya.csv'], ['cohort_id', 'category', 'amount_idr'])
    """
    g = gs[0]
    path = f"tables.{key}"
    entry: dict[str, Any] = {}
    if key != table:
        entry["table"] = table
    entry["files"] = files
    if g.source.sheet is not None:
        entry["sheet"] = g.source.sheet
    if g.source.header_row != 1:
        entry["header_row"] = g.source.header_row
        draft.note(f"{path}.header_row", f"{REVIEW}: header found on row "
                                         f"{g.source.header_row} (title rows above)")  # fmt: skip
    if table in OUTCOME_TABLES:
        people = table in ("benefits", "retrospective")
        entry["columns"] = person_columns(draft, gs, f"{path}.columns") if people else {}
        dedupe = outcome_columns(draft, table, gs, path, entry["columns"])
        if dedupe:
            entry["dedupe"] = dedupe
    else:
        entry["columns"] = _columns(draft, table, gs, f"{path}.columns")
    if table == "test_items":
        entry["items"] = {f"s{i:02d}": {"from": h} for i, h in enumerate(g.test_items, start=1)}
    if table in ("reaction", "followup"):
        _survey_parts(draft, table, gs, key, entry)
    if table == "facilitator_ratings":
        facilitator_parts(draft, gs, key, entry)
    return entry


def _unused_reason(g: Guess) -> str:
    if "unit" in g.roles and not ({"nip", "name"} & set(g.roles)):
        return (
            "unit-level data, but not IKM (U1..U9 and a period) nor unit KPIs (a period and "
            "service days or complaints): map it by hand, see evalkit/data/demo_codebook.yaml"
        )
    return (
        "not recognised as programs, cohorts, participants, reaction, learning, test items, "
        "follow-up, retrospective, projects, costs, benefits, IKM or unit KPIs"
    )


def add_tables(draft: Draft, groups: dict[GroupKey, list[Guess]], raw_dir: Path) -> None:
    """One entry per group and table in ``draft.tables``, in file order; a group that is
    no table goes to the proposal's unused files, with the reason.

    Examples
    --------
    >>> import pandas as pd
    >>> from evalkit.data.onboard.draft import Proposal
    >>> g = Guess(Source("kpi.csv", None, 1, pd.DataFrame(columns=["Unit"])), {"unit": "Unit"})
    >>> draft = Draft(Proposal({}), {}, set())
    >>> add_tables(draft, group_sources([g]), Path("."))
    >>> draft.tables, draft.proposal.unused[0][:30]
    ({}, 'kpi.csv: unit-level data, but ')
    """
    kinds = group_kinds(groups)
    for key, gs in sorted(groups.items(), key=lambda kv: kv[1][0].source.file):
        if not kinds[key]:
            where = ", ".join(x.source.where for x in gs)
            draft.proposal.unused.append(f"{where}: {_unused_reason(gs[0])}")
            continue
        files = files_entry([x.source for x in gs], raw_dir)
        for table in kinds[key]:
            tkey = table_key(draft, table, gs)
            draft.tables[tkey] = table_entry(draft, table, tkey, gs, files)
