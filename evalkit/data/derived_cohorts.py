"""Cohorts of a study without a cohort list: the cohort codes its people are recorded under.

Reports are written per cohort, from the ``cohorts`` table. A study whose codebook maps no
cohort list (*daftar angkatan*) still names each participant's cohort, in the roster's
cohort column (``Angkatan``, ``Kelas``) or in the exports'. :func:`derive_cohorts` makes
the ``cohorts`` rows from those codes: the roster's when it has any, else those of the
other tables of people (forms, tests, benefit estimates; not costs). Nothing else is known of such a cohort: its program,
batch, dates, delivery method, facilitator type and lesson hours are missing
(:func:`evalkit.reporting.sections.derived_cohort`), and the reports say so in one
sentence rather than guess them.
:func:`evalkit.data.build.build_tables` calls it when no codebook table fills ``cohorts``.

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

from collections.abc import Mapping, Sequence

import pandas as pd

from evalkit import constants as C
from evalkit.data.schema import OPTIONAL_PERSON_TABLES, PERSON_TABLES

__all__ = ["derive_cohorts"]


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
