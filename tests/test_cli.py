"""The command line: help for every command, clear errors instead of tracebacks."""

from __future__ import annotations

import subprocess
import sys

import pytest

from evalkit.cli import build_parser, main


@pytest.mark.parametrize("command", ["demo-data", "clean", "report", "init", "check", "export"])
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exc:
        build_parser().parse_args([command, "--help"])
    assert exc.value.code == 0
    assert command in capsys.readouterr().out


def test_python_dash_m_runs_the_cli():
    out = subprocess.run(
        [sys.executable, "-m", "evalkit", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.startswith("evalkit ")


def test_no_study_gives_a_clear_error_not_a_traceback(tmp_path, monkeypatch, capsys):
    (tmp_path / "data" / "raw").mkdir(parents=True)
    monkeypatch.setenv("EVALKIT_ROOT", str(tmp_path))
    assert main(["clean"]) == 2
    err = capsys.readouterr().err
    assert "no study found under" in err and "Traceback" not in err
