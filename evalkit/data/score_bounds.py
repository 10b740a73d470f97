"""A test's maximum said twice in a codebook: ``max_score`` and the ``max`` of pre/post.

The learning table's ``max_score`` (default 100) is what Hake's g divides by
(``max_score - pre``); the ``max`` of the ``pre``, ``post`` and ``score`` columns is what
cleaning checks the scores against. When the two disagree one of them is wrong: a test
scored 0-50 with ``max_score`` 100 gives a g far too small. :func:`bound_mismatches`
finds every such pair in a codebook; :func:`warn_bound_mismatches` (run by
:func:`evalkit.data.clean.clean_study`) says so in an
:class:`~evalkit.errors.EvalkitWarning` naming the codebook file and both keys.

Examples
--------
>>> from evalkit.data.codebook import parse_codebook
>>> cb = parse_codebook({"study": "s", "tables": {"learning": {"files": ["n.csv"], "columns": {
...     "nip": {"from": "NIP"}, "cohort_id": {"from": "Kelas"},
...     "pre": {"from": "Pre", "max": 50}, "post": {"from": "Post", "max": 50}}}}})
>>> for m in bound_mismatches(cb):
...     print(m)
tables.learning.columns.pre.max is 50 but tables.learning.columns.max_score is 100 (the default)
tables.learning.columns.post.max is 50 but tables.learning.columns.max_score is 100 (the default)
"""

from __future__ import annotations

import warnings
from pathlib import Path

from evalkit import constants as C
from evalkit.data.codebook import Codebook
from evalkit.data.schema import DEFAULT_MAX_SCORE
from evalkit.errors import EvalkitWarning

__all__ = ["bound_mismatches", "codebook_name", "warn_bound_mismatches"]


def codebook_name(codebook: Codebook) -> str:
    """The codebook file as messages name it: ``data/raw/<study>/codebook.yaml``.

    Examples
    --------
    >>> from evalkit.data.codebook import parse_codebook
    >>> codebook_name(parse_codebook({"study": "uji", "tables": {}},
    ...                              path=Path("/x/data/raw/uji/codebook.yaml")))
    'data/raw/uji/codebook.yaml'
    """
    path = codebook.path
    if path is not None and len(path.parts) >= 4 and path.parts[-4:-2] == ("data", "raw"):
        return Path(*path.parts[-4:]).as_posix()
    if path is not None:
        return path.as_posix()
    return f"data/raw/{codebook.study}/codebook.yaml"


def bound_mismatches(codebook: Codebook) -> list[str]:
    """Every score column of a learning table whose ``max`` is not the table's ``max_score``.

    A ``max_score`` read from a column (one maximum per row) is not compared; a table
    without ``max_score`` has the default, 100. A column without ``max`` is not compared.
    """
    out = []
    for key, spec in codebook.tables.items():
        if spec.table != "learning":
            continue
        where = f"tables.{key}.columns"
        given = spec.columns.get(C.MAX_SCORE)
        if given is not None and given.source is not None:
            continue
        try:
            top = float(given.value) if given is not None else DEFAULT_MAX_SCORE
        except (TypeError, ValueError):
            continue
        default = " (the default)" if given is None else ""
        for name in (C.PRE, C.POST, C.SCORE):
            col = spec.columns.get(name)
            if col is not None and col.max is not None and float(col.max) != top:
                out.append(
                    f"{where}.{name}.max is {col.max:g} but {where}.max_score is {top:g}{default}"
                )
    return out


def warn_bound_mismatches(codebook: Codebook) -> list[str]:
    """Warn (:class:`~evalkit.errors.EvalkitWarning`) about each :func:`bound_mismatches` pair.

    Returns the messages warned.

    Examples
    --------
    >>> from evalkit.data.codebook import parse_codebook
    >>> cb = parse_codebook({"study": "s", "tables": {"learning": {"files": ["n.csv"],
    ...     "columns": {"nip": {"from": "NIP"}, "cohort_id": {"from": "Kelas"},
    ...                 "post": {"from": "Post", "max": 100}, "max_score": {"value": 100}}}}})
    >>> warn_bound_mismatches(cb)
    []
    """
    name = codebook_name(codebook)
    messages = [
        f"codebook {name}: {m}; Hake's g divides by max_score - pre, so set both to the "
        "test's maximum score"
        for m in bound_mismatches(codebook)
    ]
    for message in messages:
        warnings.warn(message, EvalkitWarning, stacklevel=3)
    return messages
