"""Fixtures shared by test modules: the whole demo study, built once per test session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory):
    """The whole demo, once: raw exports, processed tables, every report in both languages.

    Yields the scratch project root and the :class:`evalkit.run.execute.RunSummary`.
    Used by the leak scan (tests/test_leaks.py) and by the checks of the results ledger
    against the demo's planted truths (tests/test_demo_ledger.py).
    """
    from evalkit.data.clean import clean_study
    from evalkit.data.demo import write_demo
    from evalkit.run.execute import run_reports

    root = tmp_path_factory.mktemp("demo")
    (root / "pyproject.toml").write_text("[project]\nname = 'scratch'\n")
    shutil.copytree(REPO / "notebooks", root / "notebooks")
    # EVALKIT_ROOT points at the scratch project only while the demo is built: the
    # fixture lives for the whole session, and other tests must see the real project.
    patch = pytest.MonkeyPatch()
    patch.setenv("EVALKIT_ROOT", str(root))
    try:
        raw = write_demo(root / "data" / "raw" / "demo", progress=False)
        clean_study(raw, root / "data" / "processed" / "demo", progress=False)
        summary = run_reports(studies=["demo"], lang="both", progress=False)
    finally:
        patch.undo()
    return root, summary
