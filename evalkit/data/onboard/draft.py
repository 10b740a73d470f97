"""The codebook being proposed: the :class:`Proposal` and what is gathered while it is built.

A :class:`Proposal` is the codebook as YAML data plus the review notes keyed by
their key path and the files left unused. While the sources are walked, a
:class:`Draft` collects what several tables share: the Likert sets met and
the answers seen in each, the value maps of categorical columns, the unit
spellings, the cohort codes seen anywhere, and the table entries written so
far.

Examples
--------
>>> p = Proposal({"study": "s"})
>>> p.note("title", f"{REVIEW}: the title"); p.note("title", "in two languages")
>>> p.notes
{'title': 'REVIEW: the title; in two languages'}
>>> slug("Peserta 2024 (final).xlsx"), maps_cohorts({"kelas": {"table": "cohorts"}})
('peserta_2024_final_xlsx', True)
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

#: Marker of every line of a proposed codebook that needs the user's review.
REVIEW = "REVIEW"


#: What init and check say when no export is a cohort list.
NO_COHORT_LIST = (
    "no cohort list (daftar angkatan): cleaning takes the cohorts from the cohort codes of "
    "the roster (else of the other exports), without program, dates or delivery method, and "
    "the reports say so; to add them, map the cohort list export as table `cohorts` "
    "(docs/guide.en.md, section 3, 'The cohort list')"
)


def slug(text: object) -> str:
    """Lower-case letters, digits and ``_`` only (``"x"`` when nothing is left).

    Examples
    --------
    >>> slug("Tindak Lanjut / Atasan"), slug("---")
    ('tindak_lanjut_atasan', 'x')
    """
    slug = re.sub(r"[^a-z0-9]+", "_", str(text).casefold()).strip("_")
    return slug or "x"


def maps_cohorts(tables: Mapping[str, Any]) -> bool:
    """Whether codebook ``tables`` (as YAML data) map a cohort list.

    Examples
    --------
    >>> maps_cohorts({"cohorts": {}}), maps_cohorts({"reaction": {"files": ["r.csv"]}})
    (True, False)
    """
    return any(k == "cohorts" or (e or {}).get("table") == "cohorts" for k, e in tables.items())


@dataclass
class Proposal:
    """A proposed codebook and what the user must review.

    Attributes
    ----------
    data : dict
        The codebook as parsed YAML (valid for :func:`evalkit.data.codebook.parse_codebook`).
    notes : dict of str to str
        Key path (``tables.reaction.items.content_1``) -> what to review there.
    unused : list of str
        Files and sheets not used, each with the reason.
    """

    data: dict[str, Any]
    notes: dict[str, str] = field(default_factory=dict)
    unused: list[str] = field(default_factory=list)

    def note(self, path: str, text: str) -> None:
        """Add a review note to a key path (several notes are joined)."""
        self.notes[path] = f"{self.notes[path]}; {text}" if path in self.notes else text


@dataclass
class Draft:
    """What the table entries of a proposal share while they are built.

    Attributes
    ----------
    proposal : Proposal
        The proposal being built (its notes and unused files).
    known : dict
        Known raw label -> canonical value maps, by role.
    cohort_ids : set of str
        Cohort codes seen in any source (to fill a missing cohort column).
    likert : dict
        Likert set name -> its codebook entry, for the sets the items use.
    seen : dict
        Likert set name -> count of each answer observed.
    values : dict
        Value map name -> raw label -> canonical value.
    unit_names : Counter
        Unit spellings observed, with their counts.
    tables : dict
        Codebook table entries written so far, by key.
    """

    proposal: Proposal
    known: dict[str, dict[str, str]]
    cohort_ids: set[str]
    likert: dict[str, dict[str, Any]] = field(default_factory=dict)
    seen: dict[str, Counter[str]] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    unit_names: Counter[str] = field(default_factory=Counter)
    tables: dict[str, dict[str, Any]] = field(default_factory=dict)

    def note(self, path: str, text: str) -> None:
        """Add a review note to a key path of the proposal."""
        self.proposal.note(path, text)
