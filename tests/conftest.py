"""Fixtures shared by test modules: the whole demo study, built once per test session."""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def _build_demo(root: Path):
    """Write, clean and report the whole demo in ``root``; returns the run summary."""
    from evalkit.data.clean import clean_study
    from evalkit.data.demo import write_demo
    from evalkit.run.execute import run_reports

    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'scratch'\n")
    shutil.copytree(REPO / "notebooks", root / "notebooks")
    # EVALKIT_ROOT points at the scratch project only while the demo is built: the
    # fixture lives for the whole session, and other tests must see the real project.
    patch = pytest.MonkeyPatch()
    patch.setenv("EVALKIT_ROOT", str(root))
    try:
        raw = write_demo(root / "data" / "raw" / "demo", progress=False)
        clean_study(raw, root / "data" / "processed" / "demo", progress=False)
        return run_reports(studies=["demo"], lang="both", progress=False)
    finally:
        patch.undo()


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory):
    """The whole demo, once: raw exports, processed tables, every report in both languages.

    Yields the scratch project root and the :class:`evalkit.run.execute.RunSummary`.
    Used by the leak scan (tests/test_leaks.py) and by the checks of the results ledger
    against the demo's planted truths (tests/test_demo_ledger.py).

    With the suite spread over worker processes (``make test`` runs ``pytest -n``), the
    first worker that needs the demo builds it in the run's shared temporary folder,
    under a file lock, and the others wait for it and read its summary: built once per
    run either way.
    """
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        root = tmp_path_factory.mktemp("demo")
        return root, _build_demo(root)
    from filelock import FileLock

    shared = tmp_path_factory.getbasetemp().parent / "demo"
    done = shared.with_name("demo-summary.pickle")
    with FileLock(str(shared.with_name("demo.lock"))):
        if not done.is_file():
            if shared.exists():  # a worker that failed half-way: start afresh
                shutil.rmtree(shared)
            done.write_bytes(pickle.dumps(_build_demo(shared)))
    return shared, pickle.loads(done.read_bytes())
