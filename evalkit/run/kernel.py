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

Examples
--------
>>> WARM_UP
'__import__("evalkit.run.hooks").run.hooks.kernel_warm_up()'
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

KERNEL_NAME = "python3"


#: Seconds a single cell may run before the notebook is failed.
CELL_TIMEOUT = 600


#: Run once in each new kernel: import what the notebooks use, render one figure (loads
#: the font cache), install the output formatters, snapshot the state.
WARM_UP = '__import__("evalkit.run.hooks").run.hooks.kernel_warm_up()'


#: Run before each notebook: return to the state after warm-up.
RESET = '__import__("evalkit.run.hooks").run.hooks.kernel_reset()'


# --- the warm kernel and the papermill engine ------------------------------------------

#: Per worker thread: ``kernel`` (its :class:`WarmKernel`, or None) and ``nb_man`` (the
#: notebook papermill is executing, kept for a partial notebook when it fails).
LOCAL = threading.local()


class WarmKernel:
    """A kernel started once and reused for many notebooks, reset in between."""

    def __init__(self, cwd: Path, kernel_name: str = KERNEL_NAME) -> None:
        import tempfile

        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        self._run_sync = run_sync
        self.cwd = cwd
        # IPC sockets in a folder only this user can enter (mkdtemp: mode 0700), rather
        # than unencrypted TCP on localhost (which ipykernel warns about at every start).
        self.folder = Path(tempfile.mkdtemp(prefix="evalkit-kernel-"))
        self.km = AsyncKernelManager(
            kernel_name=kernel_name,
            transport="ipc",
            connection_file=str(self.folder / "kernel.json"),
        )
        try:
            run_sync(self.km.start_kernel)(
                cwd=str(cwd), extra_arguments=["--HistoryManager.hist_file=:memory:"]
            )
        except BaseException:
            self._remove_folder()
            raise
        self.kc = self.km.client()
        self.kc.start_channels()
        self.ready = False

    def _remove_folder(self) -> None:
        import shutil

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
        """Stop the kernel."""
        try:
            self.kc.stop_channels()
            self._run_sync(self.km.shutdown_kernel)(now=True)
        except Exception:  # best effort at the end of a run
            pass
        finally:
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
