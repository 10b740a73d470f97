"""The codebook spec of one proposed column: its type, range and value map.

:func:`column_spec` turns a column role and the values observed under it into
a codebook column (``from``, ``type``, ``min``/``max``, ``values``,
``required``), with a review note where the values leave doubt: the maximum of
a test score (guessed by :mod:`~evalkit.data.onboard.bounds`), labels no value map
knows. Categorical columns get a value map (:func:`value_map`) from the labels known to the demo codebook and
:data:`EXTRA_VALUES`, golongan spellings (``3/b``, ``III-B``) and the
canonical vocabularies. :func:`cohort_column` fills a missing cohort column
from the cohort codes seen elsewhere; :func:`person_columns` gives the
columns every person-level table starts with.

Examples
--------
>>> golongan("III-B"), golongan("Gol. 4/a"), golongan("VI/a")
('III/b', 'IV/a', None)
>>> known_values()["delivery"]["daring"]
'e-learning'
"""

from __future__ import annotations

import re
from importlib import resources
from typing import Any

from evalkit import constants as C
from evalkit.data.derived_cohorts import COHORT_PLACEHOLDER
from evalkit.data.onboard.draft import REVIEW, Draft
from evalkit.data.onboard.roles import Guess, nonblank

#: Synonyms of categorical values beyond the demo codebook's value maps.
EXTRA_VALUES: dict[str, dict[str, str]] = {
    "sex": {"laki laki": "L", "pria": "L", "male": "L", "m": "L", "wanita": "P",
            "female": "P", "f": "P", "w": "P"},
    "position_type": {"administrator": "struktural", "jabatan pelaksana": "pelaksana",
                      "jabatan fungsional": "fungsional", "jpt": "struktural"},
    "delivery": {"online": "e-learning", "offline": "klasikal", "hybrid": "blended",
                 "bauran": "blended", "campuran": "blended", "tatap muka (luring)": "klasikal"},
    "facilitator_type": {"academic": "academic", "practitioner": "practitioner",
                         "dosen": "academic", "widyaiswara": "practitioner"},
    "phase": {"pre": "pre", "post": "post", "awal": "pre", "akhir": "post",
              "tes awal": "pre", "tes akhir": "post"},
}  # fmt: skip


_ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV"}


def known_values() -> dict[str, dict[str, str]]:
    """Known raw label -> canonical maps: the demo codebook's plus :data:`EXTRA_VALUES`.

    Examples
    --------
    >>> known = known_values()
    >>> known["sex"]["perempuan"], known["delivery"]["hybrid"]
    ('P', 'blended')
    """
    import yaml

    from evalkit.data.codebook import norm_label

    text = (
        resources.files("evalkit.data").joinpath("demo_codebook.yaml").read_text(encoding="utf-8")
    )
    demo = yaml.safe_load(text).get("values", {})
    out: dict[str, dict[str, str]] = {}
    for name, mapping in {**demo}.items():
        out[name] = {norm_label(k): str(v) for k, v in mapping.items()}
    for name, mapping in EXTRA_VALUES.items():
        out.setdefault(name, {}).update({norm_label(k): v for k, v in mapping.items()})
    return out


def golongan(text: str) -> str | None:
    """A golongan/ruang as the codebook writes it (``III/b``), or None if it is none.

    Examples
    --------
    >>> golongan("III-B"), golongan("4/a"), golongan("VI/a")
    ('III/b', 'IV/a', None)
    """
    match = re.search(r"\b(IV|III|II|I|[1-4])\s*[/\-.]?\s*([a-e])\b", str(text), re.IGNORECASE)
    if not match:
        return None
    group = _ROMAN.get(match[1], match[1].upper())
    value = f"{group}/{match[2].lower()}"
    return value if value in C.GOLONGAN_PNS else None


def _canonical(draft: Draft, role: str, raw: str) -> str | None:
    """The canonical value of one raw label of a role, or None when unknown."""
    from evalkit.data.codebook import norm_label
    from evalkit.data.schema import VOCABULARIES

    key = norm_label(raw)
    target = draft.known.get(role, {}).get(key)
    if role == "golongan":
        target = target or golongan(raw)
    vocab = VOCABULARIES.get(role)
    if target is None and vocab is not None and key in {norm_label(v) for v in vocab}:
        target = next(v for v in vocab if norm_label(v) == key)
    return target


def value_map(draft: Draft, role: str, observed: list[str], path: str) -> str | None:
    """Name of a value map covering the observed values (REVIEW when some are unknown).

    The map is added to ``draft.values`` (merged into the role's map when it
    agrees, else under a new name); None when no value could be mapped.

    Examples
    --------
    >>> from evalkit.data.onboard.draft import Proposal
    >>> draft = Draft(Proposal({}), known_values(), set())
    >>> value_map(draft, "sex", ["L", "Perempuan", "X"], "tables.participants.columns.sex")
    'sex'
    >>> draft.values, draft.proposal.notes["tables.participants.columns.sex"][:34]
    ({'sex': {'l': 'L', 'perempuan': 'P'}}, "REVIEW: values not mapped yet: 'X'")
    """
    from evalkit.data.codebook import norm_label

    mapping: dict[str, str] = {}
    unknown: list[str] = []
    for raw in sorted({v.strip() for v in observed}):
        target = _canonical(draft, role, raw)
        if target is None:
            unknown.append(raw)
        else:
            mapping[norm_label(raw)] = target
    if not mapping:
        return None
    values = draft.values
    name = role if role not in values or values[role] == mapping else f"{role}_{len(values)}"
    merged = {**values.get(name, {}), **mapping}
    values[name] = dict(sorted(merged.items()))
    if unknown:
        shown = ", ".join(repr(u) for u in unknown[:8]) + (" ..." if len(unknown) > 8 else "")
        draft.note(path, f"{REVIEW}: values not mapped yet: {shown}; add them to "
                         f"values.{name} or these rows will be quarantined")  # fmt: skip
    return name


def _score_range(draft: Draft, spec: dict[str, Any], gs: list[Guess], header: str,
                 observed: list[str], path: str) -> None:  # fmt: skip
    """``max`` of a test score, guessed from its labels and scores (always under REVIEW)."""
    from evalkit.data.onboard.bounds import observed_scores, score_bound

    source = gs[0].source
    labels = source.value_labels.get(header, {})
    texts = [header, *([source.labels[header]] if header in source.labels else [])]
    bound, why = score_bound(texts, labels, observed_scores(observed, labels))
    spec["max"] = bound if bound != int(bound) else int(bound)
    draft.note(path, f"{REVIEW}: max {bound:g} is a guess ({why}); max_score must agree")


def _category_spec(draft: Draft, role: str, header: str, observed: list[str],
                   path: str) -> dict[str, Any]:  # fmt: skip
    """A categorical column: its value map, or the bare vocabulary under REVIEW."""
    from evalkit.data.codebook import norm_label
    from evalkit.data.schema import VOCABULARIES

    name = value_map(draft, "cost_category" if role == "category" else role, observed, path)
    if name is not None:
        return {"from": header, "type": "category", "values": name}
    if role in VOCABULARIES:
        draft.note(path, f"{REVIEW}: no value could be mapped to "
                         f"{', '.join(VOCABULARIES[role])}; map them under values")  # fmt: skip
        draft.values.setdefault(role, {norm_label(v): v for v in VOCABULARIES[role]})
        return {"from": header, "type": "category", "values": role}
    return {"from": header, "type": "str"}


def column_spec(draft: Draft, role: str, gs: list[Guess], path: str) -> dict[str, Any]:
    """The codebook column of a role, from the values of every source of the group.

    Examples
    --------
    >>> import pandas as pd
    >>> from evalkit.data.onboard.draft import Proposal
    >>> from evalkit.data.onboard.sources import Source
    >>> g = Guess(Source("n.csv", None, 1, pd.DataFrame({"Nilai": ["40", "70"]})), {"post": "Nilai"})
    >>> column_spec(Draft(Proposal({}), {}, set()), "post", [g], "tables.learning.columns.post")
    {'from': 'Nilai', 'type': 'float', 'min': 0, 'max': 100}
    """
    from evalkit.data.schema import VOCABULARIES

    header = gs[0].roles[role]
    observed = [v for x in gs for v in nonblank(x.frame[header])]
    spec: dict[str, Any] = {"from": header}
    if role in ("nip", "name"):
        spec["type"] = role
    elif role in ("submitted_at", "start_date", "end_date"):
        spec["type"] = "datetime" if role == "submitted_at" else "date"
    elif role == "unit":
        spec["type"] = "unit"
        draft.unit_names.update(v.strip() for v in observed)
    elif role in ("pre", "post", "amount_idr"):
        spec["type"] = "float"
        spec["min"] = 0
        if role != "amount_idr":
            _score_range(draft, spec, gs, header, observed, path)
    elif role in ("jp", "batch", "months_after"):
        spec["type"] = "int"
        spec["min"] = 0 if role == "months_after" else 1
    elif role in VOCABULARIES or role in ("golongan", "category"):
        spec = _category_spec(draft, role, header, observed, path)
    else:
        spec["type"] = "str"
    if role in ("cohort_id", "program_id"):
        spec["required"] = True
    return spec


def cohort_column(draft: Draft, gs: list[Guess], path: str) -> dict[str, Any]:
    """The cohort column of a group; without one, the only cohort code seen or one in the
    file name (REVIEW), else the placeholder :data:`~evalkit.data.derived_cohorts.
    COHORT_PLACEHOLDER` (REVIEW), with which cleaning places each row by the roster.

    Examples
    --------
    >>> import pandas as pd
    >>> from evalkit.data.onboard.draft import Proposal
    >>> from evalkit.data.onboard.sources import Source
    >>> g = Guess(Source("reaksi_K1.csv", None, 1, pd.DataFrame()))
    >>> cohort_column(Draft(Proposal({}), {}, {"K1", "K2"}), [g], "tables.reaction.columns.cohort_id")
    {'value': 'K1'}
    >>> draft = Draft(Proposal({}), {}, {"K1", "K2"})  # a file of no one cohort: the roster
    >>> cohort_column(draft, [Guess(Source("reaksi.csv", None, 1, pd.DataFrame()))], "c")
    {'value': 'GANTI-KODE-ANGKATAN'}
    >>> print(draft.proposal.notes["c"])  # doctest: +NORMALIZE_WHITESPACE
    REVIEW: no cohort column in reaksi.csv; as it stands, each row goes to the cohort the
    roster gives its NIP (or, without a NIP, its name), and a row it cannot place is
    quarantined (no_cohort); for a file of one cohort write its code here (value: ...), or
    add a cohort column to the export
    """
    g = gs[0]
    if "cohort_id" in g.roles:
        return column_spec(draft, "cohort_id", gs, path)
    cohort_ids = draft.cohort_ids
    in_name = sorted(c for c in cohort_ids if c and c.casefold() in g.source.file.casefold())
    if len(cohort_ids) == 1 or in_name:
        value = (in_name or sorted(cohort_ids))[0]
        draft.note(path, f"{REVIEW}: no cohort column in {g.source.where}; every row is "
                         f"taken as cohort {value!r}")  # fmt: skip
        return {"value": value}
    draft.note(path, f"{REVIEW}: no cohort column in {g.source.where}; as it stands, each "
                     "row goes to the cohort the roster gives its NIP (or, without a NIP, its "
                     "name), and a row it cannot place is quarantined (no_cohort); for a file "
                     "of one cohort write its code here (value: ...), or add a cohort column "
                     "to the export")  # fmt: skip
    return {"value": COHORT_PLACEHOLDER}


def person_columns(draft: Draft, gs: list[Guess], path: str) -> dict[str, Any]:
    """The first columns of a person-level table: submitted_at, nip, name, cohort_id.

    Examples
    --------
    >>> import pandas as pd
    >>> from evalkit.data.onboard.draft import Proposal
    >>> from evalkit.data.onboard.sources import Source
    >>> frame = pd.DataFrame({"NIP": ["198505122010011002"], "Kelas": ["K1"]})
    >>> g = Guess(Source("nilai.csv", None, 1, frame), {"nip": "NIP", "cohort_id": "Kelas"})
    >>> person_columns(Draft(Proposal({}), {}, {"K1"}), [g], "tables.learning.columns")
    {'nip': {'from': 'NIP', 'type': 'nip'}, 'cohort_id': {'from': 'Kelas', 'type': 'str', 'required': True}}
    """
    roles = gs[0].roles
    cols: dict[str, Any] = {}
    if "submitted_at" in roles:
        cols["submitted_at"] = column_spec(draft, "submitted_at", gs, f"{path}.submitted_at")
    for role in ("nip", "name"):
        if role in roles:
            cols[role] = column_spec(draft, role, gs, f"{path}.{role}")
    cols["cohort_id"] = cohort_column(draft, gs, f"{path}.cohort_id")
    return cols
