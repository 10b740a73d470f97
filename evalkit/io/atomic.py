"""Part of evalkit.io: hashing, atomic writes, and the words for a failed file operation.

Every write here goes through :func:`atomic_write`; an operating-system error on the way
(no permission, a read-only or full disk, a folder removed mid-run) becomes a
:class:`~evalkit.errors.StorageError` naming the path and the cause
(:func:`storage_error`), and the target is left as it was.
"""

from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from evalkit.errors import DataError, StorageError

#: errno -> the cause in words (what :func:`storage_error` says).
CAUSES = {
    errno.ENOSPC: "the disk is full (no space left on device); free some space and run again",
    errno.EDQUOT: "the disk quota is exceeded; free some space and run again",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied (check the folder's owner and write permission)",
    errno.EPERM: "operation not permitted (check the folder's owner and permissions)",
    errno.ENOENT: "it does not exist (was it moved or removed while evalkit was running?)",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EISDIR: "it is a folder, not a file",
    errno.EIO: "input/output error (a failing disk or a lost network drive?)",
}


def storage_error(
    err: OSError, path: Path | str | None = None, action: str = "write"
) -> StorageError:
    """A :class:`StorageError` naming the path, what was tried and why it failed.

    Parameters
    ----------
    err : OSError
        The error the operating system raised.
    path : Path or str, optional
        The file or folder (default: the one the error names).
    action : str
        What was being done, as a verb phrase ("write", "read", "create the folder").

    Examples
    --------
    >>> import errno
    >>> print(storage_error(OSError(errno.ENOSPC, "No space left on device"), "out/t.parquet"))
    cannot write out/t.parquet: the disk is full (no space left on device); free some space and run again
    >>> print(storage_error(PermissionError(errno.EACCES, "Permission denied", "/x/y")))
    cannot write /x/y: permission denied (check the folder's owner and write permission)
    """
    if isinstance(err, StorageError):
        return err
    where = path if path is not None else (err.filename or "a file")
    cause = CAUSES.get(err.errno or -1) or (err.strerror or str(err) or type(err).__name__)
    return StorageError(f"cannot {action} {where}: {cause}")


# --- hashing ------------------------------------------------------------------------
def sha256(path: Path | str) -> str:
    """SHA-256 hex digest of a file's bytes.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile() as fh:
    ...     sha256(fh.name)[:12]
    'e3b0c44298fc'
    """
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- atomic writes ------------------------------------------------------------------
def atomic_write(path: Path | str, write: Callable[[Any], None], *, binary: bool = True) -> Path:
    """Write a file atomically.

    ``write`` receives an open file object (in the target's folder) and fills it;
    the file is then flushed, fsynced and moved over ``path`` with
    :func:`os.replace`. If ``write`` raises, the target is untouched and the
    temporary file is removed.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = atomic_write(Path(tmp) / "x.txt", lambda fh: fh.write("ok"), binary=False)
    ...     p.read_text()
    'ok'
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise storage_error(err, path) from err
    try:
        mode = "wb" if binary else "w"
        kwargs = {} if binary else {"encoding": "utf-8", "newline": ""}
        with os.fdopen(fd, mode, **kwargs) as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
    except BaseException as err:
        try:
            os.unlink(tmp_name)
        except OSError:
            pass
        if isinstance(err, OSError):
            raise storage_error(err, path) from err
        raise
    try:  # make the rename itself durable
        dir_fd = os.open(path.parent, os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. platforms without directory fds
        return path
    try:
        os.fsync(dir_fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(dir_fd)
    return path


def atomic_write_bytes(path: Path | str, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_write`).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     atomic_write_bytes(Path(tmp) / "sub" / "a.txt", b"hi").read_bytes()
    b'hi'
    """
    return atomic_write(path, lambda fh: fh.write(data))


def atomic_write_text(path: Path | str, text: str) -> Path:
    """Write UTF-8 ``text`` to ``path`` atomically (see :func:`atomic_write`)."""
    return atomic_write_bytes(path, text.encode("utf-8"))


#: Rows per Parquet row group of every processed file. Smaller than pyarrow's default
#: (1,048,576) so that a long table can be typed and written one row group at a time
#: in a few megabytes (:func:`evalkit.data.clean.clean_study`), as DuckDB's 122,880 are.
ROW_GROUP_ROWS = 128 * 1024


def write_parquet(frame: pd.DataFrame, path: Path | str) -> Path:
    """Write a DataFrame to Parquet atomically and deterministically.

    The index is not written; the same frame gives byte-identical files, in row groups
    of :data:`ROW_GROUP_ROWS` rows.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = write_parquet(pd.DataFrame({"a": [1, 2]}), Path(tmp) / "t.parquet")
    ...     read_parquet(p)["a"].tolist()
    [1, 2]
    """
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False, engine="pyarrow", compression="snappy",
                     row_group_size=ROW_GROUP_ROWS)  # fmt: skip
    data = buffer.getvalue()
    return atomic_write(path, lambda fh: fh.write(data))


def write_csv(frame: pd.DataFrame, path: Path | str) -> Path:
    """Write a DataFrame to UTF-8 CSV atomically (no index).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = write_csv(pd.DataFrame({"a": ["x"]}), Path(tmp) / "t.csv")
    ...     p.read_text()
    'a\\nx\\n'
    """
    text = frame.to_csv(index=False, lineterminator="\n")
    return atomic_write(path, lambda fh: fh.write(text), binary=False)


def write_json(obj: Any, path: Path | str) -> Path:
    """Write an object as indented, key-sorted JSON atomically.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = write_json({"b": 1, "a": [1]}, Path(tmp) / "m.json")
    ...     json.loads(p.read_text())
    {'a': [1], 'b': 1}
    """
    text = json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n"
    return atomic_write(path, lambda fh: fh.write(text), binary=False)


# --- reading processed tables -------------------------------------------------------
def read_parquet(path: Path | str) -> pd.DataFrame:
    """Read a processed Parquet table, refusing a corrupt or truncated file.

    Raises
    ------
    DataError
        Naming the file, if it is missing, truncated (no ``PAR1`` footer) or
        cannot be decoded.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = Path(tmp) / "bad.parquet"
    ...     _ = p.write_bytes(b"PAR1 not really")
    ...     try:
    ...         read_parquet(p)
    ...     except DataError as err:
    ...         print(str(err)[:40])
    file bad.parquet: corrupt or truncated P
    """
    path = Path(path)
    if not path.is_file():
        raise DataError("processed table does not exist; run `evalkit clean`", file=str(path))
    hint = "corrupt or truncated Parquet file; run `evalkit clean` to rebuild it from raw"
    with open(path, "rb") as fh:
        head = fh.read(4)
        fh.seek(0, os.SEEK_END)
        size = fh.tell()
        fh.seek(max(size - 4, 0))
        tail = fh.read(4)
    if size < 12 or head != b"PAR1" or tail != b"PAR1":
        raise DataError(hint, file=path.name)
    try:
        return pd.read_parquet(path, engine="pyarrow")
    except Exception as err:  # pyarrow raises ArrowInvalid, OSError, ...
        raise DataError(f"{hint} ({type(err).__name__}: {err})", file=path.name) from err
