"""Salted pseudonymous participant ids.

A participant id is ``P`` followed by 10 upper-case hexadecimal characters: the
start of HMAC-SHA256 of the NIP (or, when the NIP is unusable, of the normalised
name and the cohort) keyed with a secret salt. The salt lives in ``.evalkit_salt``
at the project root: created on first use with :mod:`secrets`, readable only by
its owner (mode 0600) and git-ignored, so ids are stable for one evaluator's
project but cannot be recomputed from a NIP by anyone who lacks the salt.

Examples
--------
>>> from evalkit.data.pseudonym import pseudonym
>>> pseudonym("198505122010011002", salt=b"example salt")
'PB511D34804'
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import re
import secrets
import unicodedata
from pathlib import Path

import pandas as pd

from evalkit.errors import ParameterError

SALT_FILE = ".evalkit_salt"


ID_PREFIX = "P"


ID_HEX_CHARS = 10


#: Academic and honorific titles removed before a name is used as a key.
_TITLES_BEFORE = {
    "dr", "drs", "dra", "ir", "prof", "h", "hj", "ns", "drg", "apt", "bpk", "ibu", "pak",
}  # fmt: skip


_NON_WORD = re.compile(r"[^\w\s]+")


_SPACE = re.compile(r"\s+")


def salt_path(root: Path | None = None) -> Path:
    """Path of the salt file: ``<project root>/.evalkit_salt``.

    Examples
    --------
    >>> salt_path(Path("/tmp/project")).as_posix()
    '/tmp/project/.evalkit_salt'
    """
    if root is None:
        from evalkit.paths import project_root

        root = project_root()
    return Path(root) / SALT_FILE


def load_salt(root: Path | None = None, *, create: bool = True) -> bytes:
    """Read the project's salt, creating it (mode 0600) on first use.

    Parameters
    ----------
    root : Path, optional
        Project root (default: :func:`evalkit.paths.project_root`).
    create : bool, default True
        Create the salt file when it does not exist yet.

    Returns
    -------
    bytes
        The salt (64 hexadecimal characters, as bytes).

    Raises
    ------
    ParameterError
        If the file does not exist and ``create`` is False, or if it is empty.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     first = load_salt(Path(tmp))
    ...     load_salt(Path(tmp)) == first, len(first)
    (True, 64)
    """
    path = salt_path(root)
    if not path.exists():
        if not create:
            raise ParameterError(
                f"load_salt: salt file {path} does not exist; run `evalkit clean` once "
                "to create it (create=True)"
            )
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process created it first: read theirs
        else:
            with os.fdopen(fd, "w", encoding="ascii") as fh:
                fh.write(secrets.token_hex(32) + "\n")
                fh.flush()
                os.fsync(fh.fileno())
    salt = path.read_bytes().strip()
    if not salt:
        raise ParameterError(
            f"load_salt: salt file {path} is empty; delete it to create a new one "
            "(participant ids will change)"
        )
    return salt


def normalize_name(name: object) -> str | None:
    """Normalise a person's name for use as a key.

    Unicode NFKC, case-folded; post-nominal titles (after the first comma) and
    leading honorifics (``Drs.``, ``Ir.``, ``Hj.``...) removed; punctuation
    dropped; spaces collapsed. Returns None for a missing or empty name.

    Examples
    --------
    >>> normalize_name("  Drs. Yohanes  FANGGIDAE, M.Si ")
    'yohanes fanggidae'
    >>> normalize_name("Maria  Ndun") == normalize_name("maria ndun")
    True
    """
    if name is None or (isinstance(name, float) and name != name):
        return None
    return _normalize_text(str(name))


@functools.lru_cache(maxsize=1 << 16)
def _normalize_text(name: str) -> str | None:
    text = unicodedata.normalize("NFKC", name).casefold()
    text = text.split(",", 1)[0]
    words = _SPACE.sub(" ", _NON_WORD.sub(" ", text)).split()
    while len(words) > 1 and words[0] in _TITLES_BEFORE:
        words = words[1:]
    return " ".join(words) or None


def pseudonym(key: str, *, salt: bytes) -> str:
    """Pseudonymous id of one key (NIP or ``name|cohort``).

    Examples
    --------
    >>> p = pseudonym("anything", salt=b"s")
    >>> len(p), p[0]
    (11, 'P')
    """
    if not salt:
        raise ParameterError("pseudonym: parameter 'salt' must be non-empty bytes")
    digest = hmac.digest(salt, key.encode("utf-8"), hashlib.sha256).hex()
    return ID_PREFIX + digest[:ID_HEX_CHARS].upper()


def participant_ids(
    nips: pd.Series,
    names: pd.Series | None = None,
    cohorts: pd.Series | None = None,
    *,
    salt: bytes,
) -> pd.Series:
    """Vectorised participant ids: from the NIP, else from name and cohort.

    Parameters
    ----------
    nips : pandas.Series
        Valid 18-digit NIPs (missing where unusable).
    names, cohorts : pandas.Series, optional
        Names and cohort ids, used where the NIP is missing.
    salt : bytes
        The project's salt (:func:`load_salt`).

    Returns
    -------
    pandas.Series
        Ids ``P`` + 10 hex characters, missing where neither a NIP nor a name is
        available.

    Examples
    --------
    >>> import pandas as pd
    >>> ids = participant_ids(pd.Series(["198505122010011002", None, None]),
    ...                       pd.Series(["A", "Maria Ndun", None]),
    ...                       pd.Series(["C1", "C1", "C1"]), salt=b"s")
    >>> [i is not None and len(i) for i in ids]
    [11, 11, False]
    """
    if names is None:
        names = pd.Series(None, index=nips.index, dtype=object)
    if cohorts is None:
        cohorts = pd.Series("", index=nips.index, dtype=object)
    out: list[str | None] = []
    for nip, name, cohort in zip(nips.tolist(), names.tolist(), cohorts.tolist(), strict=True):
        if isinstance(nip, str) and nip:
            out.append(pseudonym(f"nip:{nip}", salt=salt))
            continue
        norm = normalize_name(name)
        if norm is None:
            out.append(None)
        else:
            cohort_key = "" if cohort is None or cohort != cohort else str(cohort)
            out.append(pseudonym(f"name:{norm}|{cohort_key}", salt=salt))
    return pd.Series(out, index=nips.index, dtype=object)
