"""The warm kernels' temporary folders: removed on exit and on SIGTERM, swept after SIGKILL.

Each kernel of a run talks over IPC sockets in ``<temp>/evalkit-kernel-<pid>-<random>/``
(:mod:`evalkit.run.kernel`). The end-to-end tests run ``evalkit report`` in a child
process with its own short ``TMPDIR`` (socket paths have a length limit), kill it part
way, and look at what is left in that folder and among the processes.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from processed_fixture import write_processed_study

from evalkit.run.kernel import (
    FOLDER_PREFIX,
    LEGACY_AGE_SECONDS,
    OWNER_FILE,
    RUN_PREFIX,
    sweep_stale_folders,
)

REPO = Path(__file__).resolve().parent.parent


def _ended_pid() -> int:
    """The id of a process that has ended (a child run and reaped)."""
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)  # fmt: skip
    return int(child.stdout)


def _folder(temp: Path, pid: int | None, *, owner: dict | None = None, name: str | None = None):
    folder = temp / (name or f"{FOLDER_PREFIX}{pid}-abc{len(list(temp.iterdir()))}")
    folder.mkdir()
    (folder / "kernel.json").write_text("{}")
    if owner is not None:
        (folder / OWNER_FILE).write_text(json.dumps(owner))
    return folder


# --- the sweep, on folders made by hand ------------------------------------------------------
def test_sweep_removes_only_folders_of_ended_runs(tmp_path: Path) -> None:
    host, dead = socket.gethostname(), _ended_pid()
    gone = [
        _folder(tmp_path, dead, owner={"pid": dead, "host": host}),  # a killed run
        _folder(tmp_path, dead),  # no owner record, but the pid in the name has ended
        _folder(
            tmp_path,
            dead,
            owner={"pid": dead, "host": host},  # a killed run's own
            name=f"{RUN_PREFIX}{dead}-abc",
        ),  # fmt: skip
    ]
    kept = [
        _folder(tmp_path, os.getpid(), owner={"pid": os.getpid(), "host": host}),  # this run
        _folder(
            tmp_path,
            os.getpid(),
            owner={"pid": os.getpid(), "host": host},
            name=f"{RUN_PREFIX}{os.getpid()}-def",
        ),  # fmt: skip
        _folder(tmp_path, os.getppid(), owner={"pid": os.getppid(), "host": host}),  # alive
        _folder(tmp_path, dead, owner={"pid": dead, "host": "another-machine"}),  # shared temp
        _folder(tmp_path, None, name=f"{FOLDER_PREFIX}k3x9_2"),  # an older evalkit's, recent
        _folder(tmp_path, None, name="other-kernel-1-abc"),  # not ours
    ]
    link = tmp_path / f"{FOLDER_PREFIX}{dead}-link"
    link.symlink_to(kept[0], target_is_directory=True)  # never followed
    removed = sweep_stale_folders(tmp_path)
    assert sorted(removed) == sorted(gone)
    assert not any(p.exists() for p in gone)
    assert all(p.exists() for p in kept) and link.is_symlink()


def test_sweep_removes_an_old_folder_of_an_older_evalkit(tmp_path: Path) -> None:
    """Before owner records, folders were ``evalkit-kernel-<random>``: removed after a day."""
    old = _folder(tmp_path, None, name=f"{FOLDER_PREFIX}k3x9_2old")
    young = _folder(tmp_path, None, name=f"{FOLDER_PREFIX}zz81_young")
    stamp = time.time() - LEGACY_AGE_SECONDS - 60
    os.utime(old, (stamp, stamp))
    assert sweep_stale_folders(tmp_path) == [old]
    assert young.exists()


def test_sweep_of_a_missing_temp_folder_is_a_no_op(tmp_path: Path) -> None:
    assert sweep_stale_folders(tmp_path / "absent") == []


# --- a real run, killed ---------------------------------------------------------------------
@pytest.fixture
def project(tmp_path: Path):
    """A project with one small processed study, and a short private TMPDIR for the run."""
    root = tmp_path / "p"
    root.mkdir()
    (root / "pyproject.toml").write_text("[project]\nname = 'scratch'\n")
    (root / "notebooks").symlink_to(REPO / "notebooks", target_is_directory=True)
    write_processed_study(root, "s")
    temp = Path(tempfile.mkdtemp(prefix="ekk", dir="/tmp" if os.path.isdir("/tmp") else None))
    try:
        yield root, temp
    finally:
        shutil.rmtree(temp, ignore_errors=True)


def _start_report(root: Path, temp: Path, *extra: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    env.update(EVALKIT_ROOT=str(root), TMPDIR=str(temp), PYTHONUNBUFFERED="1")
    return subprocess.Popen(
        [sys.executable, "-m", "evalkit", "report", "--study", "s", "-q", "--jobs", "1", *extra],
        cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _kernel_folders(temp: Path) -> list[Path]:
    return sorted(temp.glob(f"{FOLDER_PREFIX}*"))


def _run_folders(temp: Path) -> list[Path]:
    """The runs' own folders (their kernels' shared results)."""
    return sorted(temp.glob(f"{RUN_PREFIX}*"))


def _kernel_processes(temp: Path) -> list[int]:
    """Kernels whose connection file is in ``temp`` (their command line names it)."""
    pids = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            cmdline = (proc / "cmdline").read_bytes().decode("utf-8", "replace")
            state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if str(temp) in cmdline and "ipykernel" in cmdline and state != "Z":
            pids.append(int(proc.name))
    return pids


def _wait_for(condition, seconds: float = 120.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.1)
    return False


def _running_kernel(run: subprocess.Popen, temp: Path) -> Path:
    """Wait until the run has a kernel started (its folder holds its sockets)."""
    started = _wait_for(
        lambda: (
            run.poll() is not None
            or any(len(list(f.glob("kernel-ipc-*"))) >= 5 for f in _kernel_folders(temp))
        )
    )
    assert started and run.poll() is None, run.communicate()
    (folder,) = _kernel_folders(temp)
    return folder


needs_proc = pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs /proc")


@pytest.mark.slow
@needs_proc
def test_sigterm_mid_run_removes_the_kernel_folder_and_stops_the_kernel(project) -> None:
    root, temp = project
    run = _start_report(root, temp)
    folder = _running_kernel(run, temp)
    owner = json.loads((folder / OWNER_FILE).read_text())
    assert owner["pid"] == run.pid and folder.name.startswith(f"{FOLDER_PREFIX}{run.pid}-")
    assert _kernel_processes(temp)
    run.send_signal(signal.SIGTERM)
    _out, err = run.communicate(timeout=60)
    assert run.returncode == 143, err
    assert "evalkit report: terminated" in err and "Traceback" not in err
    assert _kernel_folders(temp) == [] and _run_folders(temp) == []
    assert _wait_for(lambda: not _kernel_processes(temp), 10)


@pytest.mark.slow
@needs_proc
def test_a_run_killed_with_sigkill_leaves_a_folder_the_next_run_sweeps(project) -> None:
    root, temp = project
    run = _start_report(root, temp)
    folder = _running_kernel(run, temp)
    run.send_signal(signal.SIGKILL)
    run.communicate(timeout=30)
    assert folder.is_dir()  # nothing could clean up after SIGKILL
    assert json.loads((folder / OWNER_FILE).read_text())["pid"] == run.pid
    (left,) = _run_folders(temp)  # nor its run folder
    assert json.loads((left / OWNER_FILE).read_text())["pid"] == run.pid
    # the orphaned kernel ends on its own (ipykernel polls for its parent)
    assert _wait_for(lambda: not _kernel_processes(temp), 30), _kernel_processes(temp)
    again = _start_report(root, temp, "--kind", "overview", "--force")
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, out + err
    assert not folder.exists() and not left.exists()
    assert _kernel_folders(temp) == [] == _run_folders(temp)  # and its own are gone at its end
    assert (
        f"removed 1 kernel folder(s) and 1 run folder(s) left in {temp} by runs that were killed"
        in out
    ), out
