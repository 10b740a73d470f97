"""Building ``participants``: the roster plus anyone with data in another person table.

Where it sits in cleaning: the last builder :func:`evalkit.data.build.build_tables` runs
(:data:`evalkit.data.build.BUILDERS`), once every other person table is built, so that
it knows who has data where. A participant's attributes come from the roster first, then
from the first other row that gives them; sex and age band are derived from the NIP
when not given (the age at the cohort's start, else its end).

A national roster holds a million people and their forms a million more rows: the rows
are matched by integer codes of their (cohort, participant) pairs, made once by Arrow,
and only the attribute columns are taken from the parsed tables.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from evalkit import constants as C
from evalkit.data.identify import arrow_text
from evalkit.data.nip import age_bands, sexes
from evalkit.data.schema import OPTIONAL_PERSON_TABLES, PERSON_TABLES
from evalkit.io.memory import release_freed_memory

#: Tables whose rows belong (or may belong) to a participant.
PEOPLE = (*PERSON_TABLES, *OPTIONAL_PERSON_TABLES)

#: Person attributes taken from the rows of person tables.
PERSON_ATTRIBUTES = ("cohort_id", "participant_id", "nip", "sex", "golongan", "position_type",
                     "unit")  # fmt: skip


def participant_rows(b: Any) -> pd.DataFrame | None:
    """One row per (cohort, participant) with its attributes, unsorted; None if nobody.

    ``b`` is the build in progress of :func:`evalkit.data.build.build_tables` (its
    parsed tables, the processed tables built so far and who they hold).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> roster = pd.DataFrame({"cohort_id": ["A1", "A1"], "participant_id": ["p", "q"],
    ...                        "sex": [None, "L"], "_order": [0, 1]})
    >>> forms = pd.DataFrame({"cohort_id": ["A1", "A1"], "participant_id": ["p", "z"],
    ...                       "sex": ["P", "L"], "_order": [0, 1]})
    >>> b = SimpleNamespace(parsed={"p": roster, "r": forms}, outputs={"reaction": None},
    ...     keys=lambda t: {"participants": ["p"], "reaction": ["r"]}.get(t, []),
    ...     present={"reaction": [forms[["cohort_id", "participant_id"]].iloc[:1]]},
    ...     cohort_dates=lambda column: {})
    >>> participant_rows(b)[["participant_id", "sex"]].to_numpy().tolist()
    [['p', 'P'], ['q', 'L']]
    """
    people = _person_rows(b)
    if people is None:
        return None
    present = _pairs_with_data(b)
    cohorts = _codes([people[C.COHORT_ID], *(p[C.COHORT_ID] for p in present)])
    ids = _codes([people[C.PARTICIPANT_ID], *(p[C.PARTICIPANT_ID] for p in present)])
    width = int(max(i.max(initial=-1) for i in ids)) + 2
    keys = [(c + 1) * width + (p + 1) for c, p in zip(cohorts, ids, strict=True)]
    del cohorts, ids, present
    release_freed_memory()  # the texts encoded
    with_data = np.isin(keys[0], np.concatenate(keys[1:])) if len(keys) > 1 else False
    keep = (people["_rank"].to_numpy() == 0) | with_data
    keep &= _gives_something(people, keys[0])
    people = people[keep]
    key = keys[0][keep]
    del keys
    order = np.lexsort([people["_order"].to_numpy(), people["_rank"].to_numpy()])
    people = people.iloc[order].drop(columns=["_rank", "_order"])
    first = people.groupby(key[order], sort=False).first().reset_index(drop=True)
    del people, key, keep, order  # the rows grouped, let go before the NIPs are read
    release_freed_memory()
    nip = first["nip"] if "nip" in first else pd.Series(None, index=first.index, dtype=object)
    if C.SEX not in first:
        first[C.SEX] = sexes(nip)
    elif first[C.SEX].isna().any():  # derived only where the rows give no sex
        missing = first[C.SEX].isna().to_numpy()
        first[C.SEX] = first[C.SEX].where(~missing, sexes(nip[missing]))
    start = first["cohort_id"].map(b.cohort_dates(C.START_DATE))
    when = start.where(start.notna(), first["cohort_id"].map(b.cohort_dates(C.END_DATE)))
    first[C.AGE_BAND] = age_bands(nip, when)
    return first


def _gives_something(people: pd.DataFrame, key: np.ndarray) -> np.ndarray:
    """Rows that can change a participant's first values: every roster row, and a row of
    another table when its participant is on no roster row or it gives an attribute no
    roster row of the participant gives (the others are left out before grouping)."""
    roster = people["_rank"].to_numpy() == 0
    out = np.ones(len(people), dtype=bool)
    if roster.all() or not roster.any():
        return out
    keys, inverse = np.unique(key[roster], return_inverse=True)
    other = np.flatnonzero(~roster)
    at = np.minimum(np.searchsorted(keys, key[other]), len(keys) - 1)
    on_roster = keys[at] == key[other]
    useful = ~on_roster
    for col in people.columns:
        if col in ("_rank", "_order", C.COHORT_ID, C.PARTICIPANT_ID):
            continue
        present = people[col].notna().to_numpy()
        given = np.zeros(len(keys), dtype=bool)
        given[inverse[present[roster]]] = True  # some roster row of the key gives it
        useful |= on_roster & present[other] & ~given[at]
    out[other[~useful]] = False
    return out


def _codes(columns: list[pd.Series]) -> list[np.ndarray]:
    """Each value's code among the distinct values of all ``columns`` (missing: -1)."""
    import pyarrow as pa

    arrays = [arrow_text(c) for c in columns]
    encoded = pa.chunked_array(arrays, type=pa.large_string()).dictionary_encode()
    codes = [chunk.indices.fill_null(-1).to_numpy().astype(np.int64) for chunk in encoded.chunks]
    joined = np.concatenate(codes) if codes else np.zeros(0, dtype=np.int64)  # one dictionary
    return np.split(joined, np.cumsum([len(a) for a in arrays])[:-1])  # empty chunks too


def _pairs_with_data(b: Any) -> list[pd.DataFrame]:
    """(cohort, participant) of every row of a processed person table but the roster."""
    parts = []
    for table in PEOPLE:
        if table in b.outputs and table != "participants":
            if table in b.present:
                parts.extend(b.present[table])
            else:
                parts.append(b.outputs[table][[C.COHORT_ID, C.PARTICIPANT_ID]])
    return [p[p[C.PARTICIPANT_ID].notna().to_numpy()] for p in parts]


def _person_rows(b: Any) -> pd.DataFrame | None:
    """Person attributes of every identified row, roster rows first (``_rank`` 0)."""
    parts = []
    for table in PEOPLE:
        for key in b.keys(table):
            frame = b.parsed[key]
            frame = frame[[c for c in (*PERSON_ATTRIBUTES, "_order") if c in frame]]
            if "participant_id" in frame:
                frame = frame[frame["participant_id"].notna().to_numpy()]
            if frame.empty:
                continue
            parts.append(frame.assign(_rank=0 if table == "participants" else 1))
    return pd.concat(parts, ignore_index=True) if parts else None
