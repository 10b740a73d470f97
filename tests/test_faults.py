"""Faults: a killed run, corrupt processed files, and determinism.

- A ``clean_study`` killed with SIGKILL while it writes leaves the previous
  complete set of processed files in place, readable and matching its manifest.
- A corrupt or truncated Parquet file is refused (``DataError`` naming the file)
  by :func:`evalkit.io.atomic.read_parquet`, :func:`evalkit.data.processed.check_processed` and
  :func:`evalkit.data.processed.load_study`; the next clean rebuilds it from raw.
- Two full cleans of the same raw data give byte-identical processed files.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

from evalkit.data.clean import STAGING_DIR, clean_study
from evalkit.data.processed import check_processed, load_study
from evalkit.errors import DataError, StorageError
from evalkit.io.atomic import atomic_write, read_parquet, sha256

BAD = Path(__file__).resolve().parent / "data" / "bad"
SALT = b"fault test salt"


def _study(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    shutil.copytree(BAD / "base", raw)
    return raw


def _snapshot(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()}


def test_a_killed_clean_leaves_the_previous_set(tmp_path: Path) -> None:
    raw = _study(tmp_path)
    out = tmp_path / "processed"
    clean_study(raw, out, progress=False, salt=SALT)
    before = _snapshot(out)
    # new raw data, so the interrupted run would write different tables
    with (raw / "nilai.csv").open("a", encoding="utf-8") as fh:
        fh.write(",Paulus Tefa,PP-2024-01,50,90\n")
    sentinel = tmp_path / "writing"
    child = textwrap.dedent(
        f"""
        import time
        from pathlib import Path
        import evalkit.data.clean as clean

        real = clean.write_parquet
        written = []

        def slow_write(frame, path):
            result = real(frame, path)
            written.append(path)
            if len(written) == 2:  # two new tables are on disk: stop here
                Path({str(sentinel)!r}).write_text(str(path))
                time.sleep(120)
            return result

        clean.write_parquet = slow_write
        clean.clean_study({str(raw)!r}, {str(out)!r}, progress=False, salt={SALT!r})
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", child])
    try:
        deadline = time.monotonic() + 60
        while not sentinel.exists():
            assert proc.poll() is None, "the child run ended before it was killed"
            assert time.monotonic() < deadline, "the child run never reached the write"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    # the half-written run is only in the staging folder; the previous set is intact
    assert Path(sentinel.read_text()).parent.name == STAGING_DIR
    assert _snapshot(out) == before
    manifest = check_processed(out)
    tables = load_study(out)
    assert set(tables) == set(manifest["outputs"]) and len(tables["learning"]) == 4
    # the next run clears the leftovers and writes the new set
    summary = clean_study(raw, out, progress=False, salt=SALT)
    assert not (out / STAGING_DIR).exists()
    assert summary.tables["learning"] == 5 and len(load_study(out)["learning"]) == 5


@pytest.mark.parametrize("damage", ["truncate", "garbage", "flip", "empty"])
def test_a_corrupt_parquet_is_detected_and_rebuilt(tmp_path: Path, damage: str) -> None:
    raw = _study(tmp_path)
    out = tmp_path / "processed"
    clean_study(raw, out, progress=False, salt=SALT)
    good = _snapshot(out)
    path = out / "reaction.parquet"
    data = path.read_bytes()
    if damage == "truncate":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        path.write_bytes(b"PAR1" + b"\x00not parquet at all\xff" * 20 + b"PAR1")
    elif damage == "flip":  # same size and magic bytes, one byte in the middle changed
        middle = len(data) // 2
        path.write_bytes(data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :])
    else:
        path.write_bytes(b"")
    with pytest.raises(DataError, match=r"reaction\.parquet.*(run `evalkit clean`|rebuild)"):
        check_processed(out)
    with pytest.raises(DataError, match=r"reaction\.parquet"):
        load_study(out)
    if damage != "flip":  # a flipped byte may still decode: the manifest hash catches it
        with pytest.raises(DataError, match=r"file reaction\.parquet: corrupt or truncated"):
            read_parquet(path)
    clean_study(raw, out, progress=False, salt=SALT)
    rebuilt = _snapshot(out)
    rebuilt.pop("manifest.json"), good.pop("manifest.json")
    assert rebuilt == good
    assert len(read_parquet(path)) == 12


def test_a_failed_write_leaves_the_target(tmp_path: Path) -> None:
    target = tmp_path / "t.csv"
    target.write_text("old\n")

    def fail(fh) -> None:
        fh.write("half")
        raise OSError("disk full")

    with pytest.raises(StorageError, match=r"cannot write .*t\.csv: disk full"):
        atomic_write(target, fail, binary=False)
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]


def test_two_cleans_are_byte_identical(tmp_path: Path) -> None:
    from evalkit.data.demo import write_demo

    raw = write_demo(tmp_path / "raw", progress=False)
    raw_before = {p.name: sha256(p) for p in raw.iterdir()}
    clean_study(raw, tmp_path / "one", progress=False, salt=SALT)
    clean_study(raw, tmp_path / "two", progress=False, salt=SALT)
    one, two = _snapshot(tmp_path / "one"), _snapshot(tmp_path / "two")
    assert set(one) == set(two) and len(one) >= 14
    for name in sorted(one):
        if name == "manifest.json":
            a, b = json.loads(one[name]), json.loads(two[name])
            a.pop("created_utc"), b.pop("created_utc")
            assert a == b
        else:
            assert one[name] == two[name], name
    assert {p.name: sha256(p) for p in raw.iterdir()} == raw_before
    # and the tables read back the same regardless of row order in memory
    first = pd.read_parquet(tmp_path / "one" / "reaction.parquet")
    assert first.equals(pd.read_parquet(tmp_path / "two" / "reaction.parquet"))


# --- storage faults: a clear message, no traceback, the previous set intact ----------------
def _project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A project root with the base study as ``data/raw/bad`` cleaned once; its processed dir."""
    raw = tmp_path / "data" / "raw" / "bad"
    shutil.copytree(BAD / "base", raw)
    monkeypatch.setenv("EVALKIT_ROOT", str(tmp_path))
    from evalkit.cli import main

    assert main(["clean", "--study", "bad", "-q"]) == 0  # creates the salt file too
    return raw, tmp_path / "data" / "processed" / "bad"


def _cli_clean(capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    from evalkit.cli import main

    code = main(["clean", "--study", "bad", "-q", "--force", *extra])  # cleaned once already
    captured = capsys.readouterr()
    return code, captured.err


def _fail_on_call(n: int, exc: OSError):
    """A stand-in for ``os.fsync`` that raises ``exc`` from its ``n``-th call on."""
    real, calls = os.fsync, []

    def fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) >= n:
            raise exc
        real(fd)

    return fsync


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (errno.ENOSPC, "the disk is full"),
        (errno.EROFS, "the file system is read-only"),
        (errno.EACCES, "permission denied"),
        (errno.EDQUOT, "quota"),
    ],
)
@pytest.mark.parametrize("nth", [1, 3])  # the first table, or part-way through the set
def test_a_failed_write_gives_a_message_and_keeps_the_previous_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, code: int, words: str, nth: int
) -> None:
    raw, out = _project(tmp_path, monkeypatch)
    before, raw_before = _snapshot(out), {p.name: sha256(p) for p in raw.iterdir()}
    # (the lock file's own fsync is call 1; the tables' follow)
    monkeypatch.setattr(os, "fsync", _fail_on_call(nth + 1, OSError(code, os.strerror(code))))
    exit_code, err = _cli_clean(capsys)
    monkeypatch.undo()
    assert exit_code == 2
    assert "Traceback" not in err
    assert err.startswith("evalkit clean: error: cannot write ")
    assert words in err
    assert str(out / STAGING_DIR) in err  # names the file it was writing
    assert not (out / STAGING_DIR).exists()
    assert _snapshot(out) == before
    assert {p.name: sha256(p) for p in raw.iterdir()} == raw_before
    check_processed(out)  # still complete and matching its manifest


def test_a_read_only_processed_folder_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """``mkdir``/``mkstemp`` raising EROFS, as on a read-only mount (runs as root too)."""
    raw, out = _project(tmp_path, monkeypatch)
    before = _snapshot(out)
    import tempfile

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", str(out / STAGING_DIR))

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    exit_code, err = _cli_clean(capsys)
    monkeypatch.undo()
    assert exit_code == 2 and "Traceback" not in err
    assert "the file system is read-only" in err and str(out) in err
    assert not (out / STAGING_DIR).exists()
    assert _snapshot(out) == before


def test_a_permission_error_on_the_lock_names_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """A user without write permission on ``data/processed`` (simulated: CI is root)."""
    raw, out = _project(tmp_path, monkeypatch)
    real_open = os.open

    def no_permission(path, flags, *args):
        if str(path).endswith(".lock"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", no_permission)
    exit_code, err = _cli_clean(capsys)
    monkeypatch.undo()
    assert exit_code == 2 and "Traceback" not in err
    assert f"cannot create the lock file {out.parent / '.bad.lock'}: permission denied" in err


def test_a_salt_file_that_cannot_be_written_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    raw = tmp_path / "data" / "raw" / "bad"
    shutil.copytree(BAD / "base", raw)
    monkeypatch.setenv("EVALKIT_ROOT", str(tmp_path))
    monkeypatch.setattr(os, "fsync", _fail_on_call(2, OSError(errno.ENOSPC, "No space")))
    exit_code, err = _cli_clean(capsys)
    monkeypatch.undo()
    assert exit_code == 2 and "Traceback" not in err
    assert (
        f"cannot create or read the salt file {tmp_path / '.evalkit_salt'}: the disk is full" in err
    )


def test_a_raw_file_removed_mid_run_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """A raw export deleted after it was read (before the manifest hashes it)."""
    import evalkit.data.clean as clean_module

    raw, out = _project(tmp_path, monkeypatch)
    before = _snapshot(out)
    real = clean_module.build_tables

    def build_then_remove(*args, **kwargs):
        tables = real(*args, **kwargs)
        (raw / "nilai.csv").unlink()
        return tables

    monkeypatch.setattr(clean_module, "build_tables", build_then_remove)
    exit_code, err = _cli_clean(capsys)
    assert exit_code == 2 and "Traceback" not in err
    assert "nilai.csv" in err and "does not exist" in err and "removed" in err
    assert not (out / STAGING_DIR).exists()
    assert _snapshot(out) == before


def test_an_unforeseen_os_error_in_the_cli_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    import evalkit.data.clean as clean_module

    monkeypatch.setenv("EVALKIT_ROOT", str(tmp_path))

    def broken(*args, **kwargs):
        raise OSError(errno.EIO, "Input/output error", "/mnt/share/x.csv")

    monkeypatch.setattr(clean_module, "clean_study", broken)
    exit_code, err = _cli_clean(capsys)
    assert exit_code == 2 and "Traceback" not in err
    assert err.strip().splitlines() == [
        "evalkit clean: error: cannot use /mnt/share/x.csv: input/output error "
        "(a failing disk or a lost network drive?)"
    ]


# --- one run per study at a time -------------------------------------------------------------
HOLDER = textwrap.dedent(
    """
    import sys, time
    from evalkit.io.lock import folder_lock
    with folder_lock(sys.argv[1], label="study bad"):
        print("held", flush=True)
        time.sleep(float(sys.argv[2]))
    """
)


def _hold(folder: Path, seconds: float) -> subprocess.Popen:
    """Another process holding ``folder``'s lock for ``seconds``; returns once it holds it."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(folder), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


@pytest.mark.parametrize("command", ["clean", "report"])
def test_a_second_run_with_no_wait_refuses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, command: str
) -> None:
    from evalkit.cli import main

    raw, out = _project(tmp_path, monkeypatch)
    before = _snapshot(out)
    holder = _hold(out, 60)
    try:
        code = main([command, "--study", "bad", "-q", "--no-wait"])
        err = capsys.readouterr().err
    finally:
        holder.kill()
        holder.wait()
    assert code == 2 and "Traceback" not in err
    assert "another run is using study bad since " in err
    assert f"(pid {holder.pid}, python -c)" in err and "not waiting (--no-wait)" in err
    assert _snapshot(out) == before  # the refused run wrote nothing


def test_a_second_run_waits_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    raw, out = _project(tmp_path, monkeypatch)
    holder = _hold(out, 1.5)
    started = time.monotonic()
    code, err = _cli_clean(capsys)
    waited = time.monotonic() - started
    holder.wait()
    assert code == 0
    assert re.search(
        rf"another run is using study bad since \d\d:\d\d UTC \(pid {holder.pid}, python -c\); waiting",
        err,
    )
    assert err.count("waiting") == 1  # said once, not at every poll
    assert waited >= 1.0  # it really waited for the holder to finish
    check_processed(out)


def test_a_killed_runs_lock_is_stale_and_taken_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    from evalkit.io.lock import lock_path, read_record

    raw, out = _project(tmp_path, monkeypatch)
    holder = _hold(out, 60)
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert read_record(lock_path(out))["pid"] == holder.pid  # its record is left behind
    code, err = _cli_clean(capsys, "--no-wait")
    assert code == 0, err
    assert re.search(
        rf"took over a stale lock on study bad: its run \(pid {holder.pid}, python -c, "
        r"started at \d\d:\d\d UTC\) ended without releasing it",
        err,
    )
    assert read_record(lock_path(out)) is None  # released: no holder recorded
