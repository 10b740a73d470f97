"""Proposing a codebook for a folder of exports: the steps from raw files to a :class:`Proposal`.

:func:`build_proposal` reads every export (:mod:`~evalkit.data.onboard.sources`),
guesses the roles and items of each one's columns
(:mod:`~evalkit.data.onboard.roles`), writes one table entry per group of
same-shaped sources and table (:mod:`~evalkit.data.onboard.tables`), then
the Likert sets the items use with a note on each one's direction and on its
ambiguous labels, the value maps, and the canonical units
(:mod:`~evalkit.data.onboard.units`). :func:`propose_codebook` returns the
codebook data alone; :func:`~evalkit.data.onboard.start.init_study` writes it
with its review notes.

Examples
--------
>>> import tempfile
>>> with tempfile.TemporaryDirectory() as tmp:
...     _ = (Path(tmp) / "nilai.csv").write_text("NIP,Kelas,Pre-test,Post-test\\n"
...                                               "198505122010011002,K1,40,70\\n")
...     p = build_proposal(Path(tmp), "uji")
>>> list(p.data), list(p.data["tables"]["learning"]["columns"])
(['study', 'title', 'tables'], ['nip', 'cohort_id', 'pre', 'post', 'max_score'])
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

from evalkit.data.onboard.columns import known_values
from evalkit.data.onboard.draft import NO_COHORT_LIST, REVIEW, Draft, Proposal, maps_cohorts, slug
from evalkit.data.onboard.likert import AMBIGUOUS_LABELS, LIKERT_FAMILIES, scale_direction
from evalkit.data.onboard.roles import Guess, guess_source, nonblank
from evalkit.data.onboard.sources import RAW_SUFFIXES, Source, read_sources
from evalkit.data.onboard.tables import add_tables, group_sources
from evalkit.data.onboard.units import unit_clusters
from evalkit.errors import DataError


def _read_study(raw_dir: Path, problems: list[str]) -> list[Source]:
    """The study folder's sources; DataError when the folder is missing or none is readable."""
    if not raw_dir.is_dir():
        raise DataError("study folder does not exist", file=str(raw_dir))
    sources = read_sources(raw_dir, problems)
    if not sources:
        raise DataError(
            "no readable export found (looked for "
            + ", ".join(RAW_SUFFIXES) + ")" + (f"; {'; '.join(problems)}" if problems else ""),
            file=str(raw_dir),
        )  # fmt: skip
    return sources


def _cohort_ids(guesses: list[Guess]) -> set[str]:
    """Cohort codes seen in any source, to fill a missing cohort column."""
    cohort_ids: set[str] = set()
    for g in guesses:
        if "cohort_id" in g.roles:
            cohort_ids |= {v.strip() for v in nonblank(g.frame[g.roles["cohort_id"]])}
    return cohort_ids


def _likert_note(draft: Draft, name: str, entry: dict[str, Any]) -> str:
    """The note of a Likert set; drops its ambiguous labels that no answer used.

    An ambiguous label (:data:`~evalkit.data.onboard.likert.AMBIGUOUS_LABELS`)
    that answers use stays, read as the midpoint, under REVIEW.
    """
    seen = draft.seen
    note = f"direction {scale_direction(name)}"
    doubtful = [label for label in AMBIGUOUS_LABELS if label in entry["labels"]]
    used = [label for label in doubtful if seen.get(name, Counter())[label]]
    for label in doubtful:
        if label not in used:
            del entry["labels"][label]
    if used:
        note = f"{REVIEW}: {note}; " + "; ".join(
            f"{label!r} ({seen[name][label]:,} answer(s)) is read as {entry['labels'][label]}, "
            f"the midpoint: {AMBIGUOUS_LABELS[label]}"
            for label in used
        )
    elif doubtful:
        note += (
            f"; {' and '.join(repr(lb) for lb in doubtful)} left out (no answer used them, "
            "their meaning varies by form): an answer using them is quarantined "
            "(likert_unknown_label) until you map it"
        )
    if name.startswith("angka"):
        note = f"{REVIEW}: {note}; replace by the form's answer labels if it had words"
    elif re.fullmatch(r"[a-z]+4", name) and 5 in LIKERT_FAMILIES[name[:-1]]:
        note += "; no midpoint answer seen, so 4-point"
    return note


def _add_shared(draft: Draft) -> None:
    """The proposal's ``likert``, ``values`` and ``units``, each with its note."""
    prop = draft.proposal
    for name, entry in sorted(draft.likert.items()):
        prop.data.setdefault("likert", {})[name] = entry
        prop.note(f"likert.{name}", _likert_note(draft, name, entry))
    if draft.values:
        prop.data["values"] = draft.values
        prop.note("values", f"{REVIEW}: raw label -> canonical value; add labels your forms use")
    if draft.unit_names:
        prop.data["units"] = unit_clusters(draft.unit_names)
        prop.note("units", f"{REVIEW}: canonical unit (OPD) names with the variants found; "
                           "merge or split as needed")  # fmt: skip


def build_proposal(raw_dir: Path, study: str | None = None) -> Proposal:
    """Propose a codebook for a study folder, with its review notes and unused files.

    ``study`` defaults to the folder's name as a slug. See :func:`propose_codebook`
    for how the guesses are made.

    Raises
    ------
    DataError
        If the folder does not exist, holds no readable export, or no export
        in it can be recognised.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = (Path(tmp) / "biaya.csv").write_text("Kelas;Komponen;Jumlah\\nK1;Konsumsi;1.250.000\\n")
    ...     p = build_proposal(Path(tmp), "uji")
    >>> p.data["tables"]["costs"]["columns"]["amount_idr"]
    {'from': 'Jumlah', 'type': 'float', 'min': 0}
    >>> p.notes["tables"].startswith("REVIEW: no cohort list")
    True
    """
    raw_dir = Path(raw_dir)
    problems: list[str] = []
    sources = _read_study(raw_dir, problems)
    study = study or slug(raw_dir.name).replace("_", "-")
    title = {"id": f"Evaluasi pelatihan ({study})", "en": f"Training evaluation ({study})"}
    prop = Proposal(data={"study": study, "title": title}, unused=list(problems))
    prop.note("title", f"{REVIEW}: the report title, in Indonesian and English")
    guesses = [guess_source(s) for s in sources]
    draft = Draft(prop, known_values(), _cohort_ids(guesses))
    add_tables(draft, group_sources(guesses), raw_dir)
    if not draft.tables:
        raise DataError(
            "no export could be recognised; write the codebook by hand "
            "(docs/data-model.md, evalkit/data/demo_codebook.yaml)"
            + (f"; {'; '.join(prop.unused)}" if prop.unused else ""),
            file=str(raw_dir),
        )
    _add_shared(draft)
    prop.data["tables"] = draft.tables
    if not maps_cohorts(draft.tables):
        prop.note("tables", f"{REVIEW}: {NO_COHORT_LIST}")
    return prop


def propose_codebook(raw_dir: Path | str) -> dict[str, Any]:
    """Propose a codebook for a folder of raw exports.

    Parameters
    ----------
    raw_dir : Path or str
        The study folder: CSV (any common encoding and delimiter), XLSX (every
        sheet) and SPSS ``.sav`` files, in it or in sub-folders. Only read.

    Returns
    -------
    dict
        The codebook as parsed YAML (``study``, ``title``, ``likert``,
        ``values``, ``units``, ``tables``), valid for
        :func:`evalkit.data.codebook.parse_codebook`. :func:`init_study` writes it
        with review comments.

    Raises
    ------
    DataError
        If the folder does not exist or no export in it can be recognised.

    Notes
    -----
    Column roles come from the header (the last part of a KoboToolbox
    ``group/field`` header; an SPSS variable's label too) confirmed by the
    values: a NIP column must mostly hold valid NIPs, a date column dates,
    a score column numbers. A column is a Likert item when at least 95% of its
    answers belong to one known label set (:data:`LIKERT_FAMILIES`); items
    whose text is negatively worded, or whose answers correlate negatively with
    the rest of the form (r < -.2, n >= 10), are proposed as reverse-keyed.
    Files with the same headers become one entry (a glob when it matches
    exactly them). The participant roster is the person file with the most of
    sex, golongan, position type and unit.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = (Path(tmp) / "reaksi.csv").write_text(
    ...         "NIP;Nama;Kelas;Materi jelas;Jadwal terlalu padat\\n"
    ...         "198505122010011002;Ana;K1;Setuju;Tidak Setuju\\n"
    ...         "199001012015032001;Budi;K1;Sangat Setuju;Setuju\\n")
    ...     cb = propose_codebook(tmp)
    >>> cb["tables"]["reaction"]["items"]
    {'content_1': {'from': 'Materi jelas', 'dimension': 'content', 'likert': 'setuju4'}, 'organisation_1': {'from': 'Jadwal terlalu padat', 'dimension': 'organisation', 'likert': 'setuju4', 'reverse': True}}
    """
    return build_proposal(Path(raw_dir)).data
