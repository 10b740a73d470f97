"""The study lock on the command line: ``--wait-timeout``, and a lock its run left behind.

(``--no-wait``, waiting, and taking over the record of a killed run are tested in
``tests/test_faults.py``.)
"""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from evalkit.cli import main

BAD = Path(__file__).resolve().parent / "data" / "bad"

#: Holds ``argv[1]``'s lock; with ``fork`` a child inherits the lock and outlives it.
HOLDER = textwrap.dedent(
    """
    import os, sys, time
    from evalkit.io.lock import folder_lock
    with folder_lock(sys.argv[1], label="study bad"):
        if sys.argv[3] == "fork" and os.fork() == 0:
            time.sleep(float(sys.argv[2]))  # the child: holds the inherited lock
            os._exit(0)
        print("held", flush=True)
        time.sleep(float(sys.argv[2]))
    """
)


@pytest.fixture
def study(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with the base study as ``data/raw/bad`` cleaned once; its processed folder."""
    shutil.copytree(BAD / "base", tmp_path / "data" / "raw" / "bad")
    monkeypatch.setenv("EVALKIT_ROOT", str(tmp_path))
    assert main(["clean", "--study", "bad", "-q"]) == 0
    return tmp_path / "data" / "processed" / "bad"


def _hold(folder: Path, seconds: float, how: str = "plain") -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(folder), str(seconds), how],
                            stdout=subprocess.PIPE, text=True)  # fmt: skip
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


@pytest.mark.parametrize("command", ["clean", "report"])
def test_wait_timeout_gives_up_after_the_seconds_given(
    study: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    holder = _hold(study, 60)
    try:
        started = time.monotonic()
        code = main([command, "--study", "bad", "-q", "--wait-timeout", "1.5"])
        waited = time.monotonic() - started
        err = capsys.readouterr().err
    finally:
        holder.kill()
        holder.wait()
    assert code == 2 and "Traceback" not in err
    assert 1.5 <= waited < 5, waited
    lines = err.strip().splitlines()
    assert re.fullmatch(
        rf"another run is using study bad since \d\d:\d\d UTC \(pid {holder.pid}, python -c\); "
        r"waiting \(at most 1\.5 s, --wait-timeout\)",
        lines[0],
    ), lines
    assert lines[-1].startswith(
        f"evalkit {command}: error: another run is still using study bad since "
    )
    assert "after 1.5 s; gave up waiting (--wait-timeout)" in lines[-1]


def test_wait_timeout_longer_than_the_other_run_waits_it_out(
    study: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    holder = _hold(study, 1.0)
    code = main(["clean", "--study", "bad", "-q", "--wait-timeout", "30"])
    err = capsys.readouterr().err
    holder.wait()
    assert code == 0, err
    assert err.count("waiting (at most 30 s, --wait-timeout)") == 1


def test_a_lock_held_on_after_its_run_ended_is_said_so(
    study: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The run died, but a process it forked still holds the lock it inherited."""
    holder = _hold(study, 5, "fork")
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    code = main(["clean", "--study", "bad", "-q", "--wait-timeout", "0.5"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert re.search(
        rf"the run that took the lock of study bad \(pid {holder.pid}, python -c, started at "
        r"\d\d:\d\d UTC\) has ended, but a process it started still holds the lock; waiting",
        err,
    ), err
    assert "Traceback" not in err


@pytest.mark.parametrize("value", ["-1", "soon", "inf", "nan"])
def test_wait_timeout_must_be_seconds(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["clean", "--wait-timeout", value])
    assert exc.value.code == 2
    assert "expected seconds (a number >= 0)" in capsys.readouterr().err


def test_folder_lock_refuses_a_negative_timeout(tmp_path: Path) -> None:
    from evalkit.errors import ParameterError
    from evalkit.io.lock import folder_lock

    with pytest.raises(ParameterError, match=r"folder_lock: parameter 'timeout' must be >= 0"):
        with folder_lock(tmp_path / "s", timeout=-1):
            pass
