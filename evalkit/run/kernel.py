"""The warm kernel: one Jupyter kernel per worker, reused for many notebooks.

Starting a kernel and importing the scientific stack (pandas, scipy, statsmodels,
pingouin, matplotlib) costs several seconds, far more than one report's statistics.
So each worker of a run owns one :class:`WarmKernel`: started once, warmed up once
(:data:`WARM_UP`, which calls :func:`evalkit.run.hooks.kernel_warm_up`), and reset to
its post-warm-up state before every notebook (:data:`RESET`, which calls
:func:`evalkit.run.hooks.kernel_reset`). The runner sends the kernel those single
lines; everything they do is ordinary code in :mod:`evalkit.run.hooks`.

Papermill executes each notebook (parameters injected, cells run and recorded as
usual) through the ``evalkit`` papermill engine (:func:`engine`), which hands nbclient
the calling thread's warm kernel (:data:`LOCAL`) instead of starting a new one.

Kernels talk to the runner over IPC sockets in a private temporary folder (mode
0700), not TCP on localhost, so nothing else on the machine can connect to them.

The kernel folders
------------------
Each kernel's folder is ``<system temp>/evalkit-kernel-<pid>-<random>/`` (``pid``: the
run's process), and its ``owner.json`` says which process made it (``pid``, ``host``,
``since``). The folder goes when its kernel stops: at the end of a run, when a
report fails (its kernel is replaced), on Ctrl-C and on SIGTERM
(:func:`terminate_cleanly` turns SIGTERM into an orderly exit; :func:`stop_all`
stops every kernel still running, also at interpreter exit). A run killed with
SIGKILL cannot clean up: its kernels end on their own (ipykernel exits when its
parent dies), and the next run removes the folders of runs that are no longer alive
(:func:`sweep_stale_folders`).

Examples
--------
>>> WARM_UP
'__import__("evalkit.run.hooks").run.hooks.kernel_warm_up()'
>>> FOLDER_PREFIX, OWNER_FILE
('evalkit-kernel-', 'owner.json')
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import json
import os
import re
import shutil
import signal
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from evalkit.io.lock import process_alive

KERNEL_NAME = "python3"


#: Seconds a single cell may run before the notebook is failed.
CELL_TIMEOUT = 600


#: Run once in each new kernel: import what the notebooks use, render one figure (loads
#: the font cache), install the output formatters, snapshot the state.
WARM_UP = '__import__("evalkit.run.hooks").run.hooks.kernel_warm_up()'


#: Run before each notebook: return to the state after warm-up.
RESET = '__import__("evalkit.run.hooks").run.hooks.kernel_reset()'


#: A kernel's private folder in the system temporary folder: this prefix, the process id
#: of the run that made it, a random part.
FOLDER_PREFIX = "evalkit-kernel-"

#: The prefix of a run's own private folder (:func:`run_folder`), owned the same way.
RUN_PREFIX = "evalkit-run-"

#: The file in a kernel folder naming its owner (``pid``, ``host``, ``since``).
OWNER_FILE = "owner.json"

#: A kernel folder of an older evalkit (no owner recorded) is removed when it has not
#: changed for this long.
LEGACY_AGE_SECONDS = 24 * 3600


# --- the kernel folders ----------------------------------------------------------------

_LIVE: dict[int, WarmKernel] = {}  # id -> every kernel of this process not yet stopped
_LIVE_GUARD = threading.Lock()
_CLOSING = threading.Event()  # set when the process is ending: no new kernel starts
_EXIT_HOOK = threading.Event()


def _make_folder(prefix: str = FOLDER_PREFIX) -> Path:
    """A new private kernel (or run) folder, mode 0700, with its owner record."""
    folder = Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-"))
    owner = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "since": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
    }
    (folder / OWNER_FILE).write_text(json.dumps(owner), encoding="utf-8")
    return folder


@contextlib.contextmanager
def run_folder() -> Iterator[Path]:
    """A private folder for the length of one run (removed after it, even on error).

    It is named ``evalkit-run-<pid>-<random>`` (:data:`RUN_PREFIX`) and owned like a
    kernel folder, so that the next run removes it should this one be killed
    (:func:`sweep_stale_folders`). The run keeps the results its kernels share in it
    (:mod:`evalkit.reporting.memo`).
    """
    folder = _make_folder(RUN_PREFIX)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _owner_pid(folder: Path) -> int | None:
    """The process that made ``folder``: its owner record, else the folder's name."""
    try:
        owner = json.loads((folder / OWNER_FILE).read_text(encoding="utf-8"))
        if owner.get("host") not in (None, socket.gethostname()):
            return None  # a shared temporary folder: another machine's kernel
        return int(owner["pid"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    found = re.fullmatch(rf"{re.escape(FOLDER_PREFIX)}(\d+)-\w+", folder.name)
    return int(found.group(1)) if found else None


def sweep_stale_folders(temp: Path | str | None = None) -> list[Path]:
    """Remove the kernel and run folders left by runs no longer alive; return them.

    Only this user's folders named ``evalkit-kernel-*`` or ``evalkit-run-*`` in ``temp`` (default: the
    system temporary folder) are considered. A folder whose owner process (its
    ``owner.json``, or the process id in its name) has ended is removed; one of an
    older evalkit, without an owner, only when it has not changed for
    :data:`LEGACY_AGE_SECONDS`. Folders of live runs are never touched.

    Examples
    --------
    >>> import subprocess, sys
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
    ...                            capture_output=True, text=True).stdout.strip()
    ...     (Path(tmp) / f"evalkit-kernel-{ended}-abc").mkdir()
    ...     (Path(tmp) / f"evalkit-kernel-{os.getpid()}-def").mkdir()
    ...     [p.name.split("-")[-1] for p in sweep_stale_folders(tmp)]
    ['abc']
    """
    temp = Path(temp) if temp is not None else Path(tempfile.gettempdir())
    removed = []
    uid = os.getuid() if hasattr(os, "getuid") else None
    try:
        candidates = sorted([*temp.glob(f"{FOLDER_PREFIX}*"), *temp.glob(f"{RUN_PREFIX}*")])
    except OSError:
        return []
    for folder in candidates:
        try:
            info = folder.lstat()
        except OSError:
            continue
        if not folder.is_dir() or folder.is_symlink() or (uid is not None and info.st_uid != uid):
            continue
        pid = _owner_pid(folder)
        if pid is None:
            has_owner = (folder / OWNER_FILE).exists()
            if has_owner or time.time() - info.st_mtime < LEGACY_AGE_SECONDS:
                continue
        elif pid == os.getpid() or process_alive(pid):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        if not folder.exists():
            removed.append(folder)
    return removed


def stop_all() -> None:
    """Stop every kernel of this process at once and remove its folder; start no more.

    For the end of the process (interpreter exit, SIGTERM, Ctrl-C), when worker
    threads may still be using their kernels: each kernel process is killed
    directly (no message to the kernel, no event loop), then its folder removed.
    """
    _CLOSING.set()
    with _LIVE_GUARD:
        kernels = list(_LIVE.values())
        _LIVE.clear()
    for warm in kernels:
        warm.kill()


def _register(warm: WarmKernel) -> None:
    with _LIVE_GUARD:
        if _CLOSING.is_set():
            raise RuntimeError("the run is ending: no new kernel is started")
        _LIVE[id(warm)] = warm
        if not _EXIT_HOOK.is_set():
            atexit.register(stop_all)
            _EXIT_HOOK.set()


def _unregister(warm: WarmKernel) -> None:
    with _LIVE_GUARD:
        _LIVE.pop(id(warm), None)


class Terminated(SystemExit):
    """Raised in the main thread on SIGTERM by :func:`terminate_cleanly` (exit code 143)."""


@contextlib.contextmanager
def terminate_cleanly() -> Iterator[None]:
    """Within the block, SIGTERM ends the process as Ctrl-C would: cleanly.

    Python's default on SIGTERM is to die at once, so no ``finally`` block runs and
    the kernels' folders stay. Here SIGTERM raises :class:`Terminated` (a
    ``SystemExit`` with code 143) in the main thread instead; leaving the block on
    it, or on Ctrl-C, stops every kernel (:func:`stop_all`). Outside the main thread,
    or when SIGTERM already has a handler, the block changes nothing but that.

    Examples
    --------
    >>> before = signal.getsignal(signal.SIGTERM)
    >>> with terminate_cleanly():
    ...     during = signal.getsignal(signal.SIGTERM)
    >>> during is (_on_sigterm if before == signal.SIG_DFL else before)
    True
    >>> signal.getsignal(signal.SIGTERM) == before
    True
    """
    installed = False
    previous: Any = None
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "SIGTERM"):
        previous = signal.getsignal(signal.SIGTERM)
        if previous in (signal.SIG_DFL, None):
            signal.signal(signal.SIGTERM, _on_sigterm)
            installed = True
    try:
        yield
    except (SystemExit, KeyboardInterrupt):
        stop_all()
        raise
    finally:
        if installed:
            signal.signal(signal.SIGTERM, previous)


def _on_sigterm(signum: int, frame: Any) -> None:
    raise Terminated(128 + signum)


# --- the warm kernel and the papermill engine ------------------------------------------

#: Per worker thread: ``kernel`` (its :class:`WarmKernel`, or None) and ``nb_man`` (the
#: notebook papermill is executing, kept for a partial notebook when it fails).
LOCAL = threading.local()


class WarmKernel:
    """A kernel started once and reused for many notebooks, reset in between."""

    def __init__(
        self, cwd: Path, kernel_name: str = KERNEL_NAME, env: dict[str, str] | None = None
    ) -> None:
        """Start the kernel in ``cwd``; ``env`` adds to the environment it inherits."""
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        self._run_sync = run_sync
        self.cwd = cwd
        # IPC sockets in a folder only this user can enter (mkdtemp: mode 0700), rather
        # than unencrypted TCP on localhost (which ipykernel warns about at every start).
        self.folder = _make_folder()
        try:
            _register(self)
        except BaseException:
            self._remove_folder()
            raise
        self.km = AsyncKernelManager(
            kernel_name=kernel_name,
            transport="ipc",
            connection_file=str(self.folder / "kernel.json"),
        )
        try:
            run_sync(self.km.start_kernel)(
                cwd=str(cwd),
                env={**os.environ, **(env or {})},
                extra_arguments=["--HistoryManager.hist_file=:memory:"],
            )
        except BaseException:
            _unregister(self)
            self._remove_folder()
            raise
        self.kc = self.km.client()
        self.kc.start_channels()
        self.ready = False

    def _remove_folder(self) -> None:
        for _ in range(20):  # a kernel still closing its sockets may add a file meanwhile
            shutil.rmtree(self.folder, ignore_errors=True)
            if not self.folder.exists():
                return
            time.sleep(0.05)

    def _execute(self, code: str, timeout: float = 120) -> None:
        reply = self._run_sync(self.kc.execute_interactive)(
            code,
            silent=True,
            store_history=False,
            timeout=timeout,
            output_hook=lambda msg: None,
        )
        content = reply.get("content", {})
        if content.get("status") != "ok":
            raise RuntimeError(
                f"kernel set-up failed: {content.get('ename')}: {content.get('evalue')}"
            )

    def warm_up(self) -> None:
        """Wait until the kernel answers, import the stack, snapshot its state."""
        if not self.ready:
            self._run_sync(self.kc.wait_for_ready)(timeout=120)
            self._execute(WARM_UP)
            self.ready = True

    def reset(self) -> None:
        """Return the kernel to its post-warm-up state (see :func:`kernel_reset`)."""
        self.warm_up()
        self._execute(RESET)

    def alive(self) -> bool:
        """True while the kernel process runs."""
        return bool(self._run_sync(self.km.is_alive)())

    def shutdown(self) -> None:
        """Stop the kernel and remove its folder."""
        _unregister(self)
        try:
            self.kc.stop_channels()
            self._run_sync(self.km.shutdown_kernel)(now=True)
        except Exception:  # best effort at the end of a run
            pass
        finally:
            self._remove_folder()

    def kill(self) -> None:
        """Kill the kernel process at once and remove its folder (from any thread)."""
        _unregister(self)
        pid = getattr(getattr(getattr(self, "km", None), "provisioner", None), "pid", None)
        if isinstance(pid, int) and pid > 0:
            with contextlib.suppress(OSError):
                os.kill(pid, getattr(signal, "SIGKILL", signal.SIGTERM))
        self._remove_folder()


def _make_engine() -> type:
    """Build (once) the papermill engine that executes on the thread's warm kernel."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.utils import merge_kwargs, remove_args

    class WarmKernelEngine(NBClientEngine):
        """Papermill engine running notebooks on the calling thread's warm kernel."""

        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man: Any,
            kernel_name: str,
            log_output: bool = False,
            stdout_file: Any = None,
            stderr_file: Any = None,
            start_timeout: int = 60,
            execution_timeout: int | None = None,
            **kwargs: Any,
        ) -> Any:
            warm: WarmKernel = LOCAL.kernel
            warm.reset()
            LOCAL.nb_man = nb_man
            kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
            final = merge_kwargs(
                kwargs,
                timeout=execution_timeout or CELL_TIMEOUT,
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
            )
            client = PapermillNotebookClient(nb_man, km=warm.km, **final)
            client.kc = warm.kc
            return client.execute()

    papermill_engines.register("evalkit", WarmKernelEngine)
    return WarmKernelEngine


_ENGINE_LOCK = threading.Lock()
_ENGINE: type | None = None


def engine() -> type:
    """The ``evalkit`` papermill engine, registered on first use (thread-safe)."""
    global _ENGINE
    with _ENGINE_LOCK:
        if _ENGINE is None:
            _ENGINE = _make_engine()
    return _ENGINE
