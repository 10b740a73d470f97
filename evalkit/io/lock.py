"""One run at a time per study: an advisory lock file beside the study's folder.

:func:`folder_lock` takes an exclusive lock on ``<parent>/.<name>.lock`` (for
``data/processed/demo`` that is ``data/processed/.demo.lock``), so the study's own
folder holds nothing new. The lock is the operating system's (``fcntl.flock`` on
POSIX, ``msvcrt.locking`` on Windows), held on an open file: when a run ends in
any way, even killed with SIGKILL, the system releases it, so a killed run never
leaves a lock that blocks the next one. The file also says who holds it (process
id, host, start time, command); a run that finds that record but takes the lock
has found a stale lock (its holder died) and says so.

A second run waits, telling once who holds the lock ("another run is using study
demo since 10:14 (pid 4242, evalkit clean); waiting"), or with ``wait=False``
raises :class:`~evalkit.errors.LockedError` at once. The lock is re-entrant
within one process (``evalkit report`` holds it while the data layer cleans).

``timeout`` (``--wait-timeout SECONDS`` on the command line) bounds the wait: after
it the run stops with :class:`~evalkit.errors.LockedError`, naming the holder. A lock
still held although the run in its record has ended (on this host) is said as such
while waiting: a process that run started still holds it, and ending that process
frees the study.

Why not the ``filelock`` package (measured on 3.16.1 and 4.3.1): its locks record no
holder (4.x keeps a process id only in its soft, flock-less fallback), so the "who and
since when" record and the stale-lock report would be written here anyway; and its
3.x releases, still the ones other tools pin, open the lock file with ``O_TRUNC``, so
a waiting run would erase the holder's record. Timeouts, polling and re-entrancy,
what it would add, are a few lines here over the same ``flock``/``msvcrt`` calls.

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> with tempfile.TemporaryDirectory() as tmp:
...     with folder_lock(Path(tmp) / "demo", label="study demo") as held:
...         print(held.path.name, held.stale is None)
.demo.lock True
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evalkit.errors import LockedError, ParameterError

#: Seconds between two attempts while waiting for a lock.
POLL_SECONDS = 0.5

#: The record of the holder starts after this many bytes (the locked byte on Windows).
_RECORD_OFFSET = 1

_held: dict[Path, list[Any]] = {}  # lock path -> [open file descriptor, depth]
_guard = threading.Lock()


@dataclass(frozen=True)
class HeldLock:
    """A lock this process holds.

    Attributes
    ----------
    path : Path
        The lock file.
    stale : dict or None
        The record left by a run that died holding the lock (its ``pid``, ``host``,
        ``since`` and ``command``), or None.
    """

    path: Path
    stale: dict[str, Any] | None = None


def lock_path(folder: Path | str) -> Path:
    """The lock file of ``folder``: ``<parent>/.<name>.lock``.

    Examples
    --------
    >>> lock_path("data/processed/demo").as_posix()
    'data/processed/.demo.lock'
    """
    folder = Path(folder)
    return folder.parent / f".{folder.name}.lock"


def read_record(path: Path | str) -> dict[str, Any] | None:
    """Who holds (or last held) the lock file ``path``; None if unknown.

    Examples
    --------
    >>> read_record("no/such/.x.lock") is None
    True
    """
    try:
        with open(path, "rb") as fh:
            fh.seek(_RECORD_OFFSET)
            text = fh.read(4096).decode("utf-8", "replace").strip("\0 \n")
        record = json.loads(text) if text else None
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def describe(record: dict[str, Any] | None, *, started: bool = False) -> str:
    """``"since 10:14 UTC (pid 4242, evalkit clean)"`` from a holder's record.

    Examples
    --------
    >>> rec = {"since": "2026-12-01T10:14:05+00:00", "pid": 7, "command": "evalkit clean"}
    >>> describe(rec)
    'since 10:14 UTC (pid 7, evalkit clean)'
    >>> describe(rec, started=True)
    'pid 7, evalkit clean, started at 10:14 UTC'
    >>> describe(None)
    '(holder unknown)'
    """
    if not record:
        return "(holder unknown)"
    since = str(record.get("since", ""))
    try:
        stamp = dt.datetime.fromisoformat(since)
        since = stamp.strftime("%H:%M") + (" UTC" if stamp.utcoffset() == dt.timedelta(0) else "")
    except ValueError:
        pass
    who = ", ".join(str(x) for x in (f"pid {record.get('pid')}", record.get("command")) if x)
    host = record.get("host")
    if host and host != socket.gethostname():
        who += f" on {host}"
    return f"{who}, started at {since}" if started else f"since {since} ({who})"


def process_alive(pid: object) -> bool:
    """True unless ``pid`` is surely no running process of this machine.

    A process of another user counts as alive (it cannot be signalled, but exists).

    Examples
    --------
    >>> process_alive(os.getpid()), process_alive("no pid")
    (True, True)
    """
    if not isinstance(pid, int) or isinstance(pid, bool) or pid <= 0:
        return True  # unknown: never treat it as dead
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: another user's process; Windows: no signal 0
        return True
    return True


def _holder_gone(record: dict[str, Any] | None) -> bool:
    """True when the record names a process of this host that has ended."""
    return bool(
        record
        and record.get("host") == socket.gethostname()
        and record.get("pid") != os.getpid()
        and not process_alive(record.get("pid"))
    )


def _waiting_message(label: str, record: dict[str, Any] | None, timeout: float | None) -> str:
    """The one line said when waiting starts."""
    limit = f" (at most {timeout:g} s, --wait-timeout)" if timeout is not None else ""
    if _holder_gone(record):
        return (
            f"the run that took the lock of {label} ({describe(record, started=True)}) has "
            f"ended, but a process it started still holds the lock; waiting{limit}"
        )
    return f"another run is using {label} {describe(record)}; waiting{limit}"


def _command() -> str:
    """What this process is, for the record: ``evalkit clean``, ``python -c``..."""
    name = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else ""
    if name in ("evalkit", "__main__.py") and len(sys.argv) > 1:
        return f"evalkit {sys.argv[1]}"
    return f"python {name}".strip()


def _try_lock(fd: int) -> bool:
    """Take the system lock on ``fd`` without waiting; False if another holds it."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _write_record(fd: int) -> None:
    record = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "since": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "command": _command(),
    }
    data = b" " + json.dumps(record).encode("utf-8") + b"\n"
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, data)
    os.fsync(fd)


def _acquire(path: Path, *, wait: bool, label: str, notify: Callable[[str], None] | None,
             timeout: float | None) -> HeldLock:  # fmt: skip
    from evalkit.io.atomic import storage_error

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as err:
        raise storage_error(err, path, "create the lock file") from err
    started, told = time.monotonic(), False
    try:
        while not _try_lock(fd):
            record = read_record(path)
            if not wait:
                raise LockedError(
                    f"another run is using {label} {describe(record)}; not waiting "
                    f"(--no-wait). Try again when it has finished (lock file {path})"
                )
            if timeout is not None and time.monotonic() - started >= timeout:
                raise LockedError(
                    f"another run is still using {label} {describe(record)} after "
                    f"{timeout:g} s; gave up waiting (--wait-timeout). Try again when it "
                    f"has finished (lock file {path})"
                )
            if not told and notify is not None:
                notify(_waiting_message(label, record, timeout))
                told = True
            pause = POLL_SECONDS
            if timeout is not None:
                pause = max(0.0, min(pause, started + timeout - time.monotonic()))
            time.sleep(pause)
        previous = read_record(path)
        stale = previous if previous and previous.get("pid") != os.getpid() else None
        _write_record(fd)
    except BaseException:
        os.close(fd)
        raise
    if stale is not None and notify is not None:
        notify(
            f"took over a stale lock on {label}: its run ({describe(stale, started=True)}) "
            "ended without releasing it"
        )
    _held[path] = [fd, 1]
    return HeldLock(path, stale)


def _release(path: Path) -> None:
    fd = _held.pop(path)[0]
    try:
        os.ftruncate(fd, 0)  # no record: nobody holds it; the file itself stays
    except OSError:  # pragma: no cover - e.g. the disk went read-only
        pass
    os.close(fd)  # releases the system lock


@contextlib.contextmanager
def folder_lock(
    folder: Path | str,
    *,
    wait: bool = True,
    label: str | None = None,
    notify: Callable[[str], None] | None = None,
    timeout: float | None = None,
) -> Iterator[HeldLock]:
    """Hold the lock of ``folder`` (see :func:`lock_path`) for the ``with`` block.

    Parameters
    ----------
    folder : Path or str
        The folder to guard (need not exist yet; its parent is created).
    wait : bool, default True
        Wait while another run holds it; if False raise :class:`LockedError`.
    label : str, optional
        What the messages call it (default: ``"folder <name>"``).
    notify : callable, optional
        Receives one line when waiting starts and when a stale lock is taken over.
    timeout : float, optional
        Give up (:class:`LockedError`) after this many seconds of waiting (0: do not
        wait, as ``wait=False``, but say it was the timeout).

    Raises
    ------
    LockedError
        Another run holds the lock and ``wait`` is False or ``timeout`` passed.
    ParameterError
        ``timeout`` is negative.
    StorageError
        The lock file cannot be created (read-only or full disk, no permission).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     with folder_lock(Path(tmp) / "s"):
    ...         with folder_lock(Path(tmp) / "s", wait=False):  # re-entrant
    ...             print("held twice")
    held twice
    """
    if timeout is not None and not timeout >= 0:
        raise ParameterError(
            f"folder_lock: parameter 'timeout' must be >= 0 seconds, got {timeout!r}"
        )
    path = lock_path(Path(folder).resolve())
    label = label or f"folder {Path(folder).name}"
    with _guard:
        entry = _held.get(path)
        if entry is not None:
            entry[1] += 1
    if entry is not None:
        held = HeldLock(path)
    else:
        held = _acquire(path, wait=wait, label=label, notify=notify, timeout=timeout)
    try:
        yield held
    finally:
        with _guard:
            entry = _held[path]
            entry[1] -= 1
            if entry[1] == 0:
                _release(path)
