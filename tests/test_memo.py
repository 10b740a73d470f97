"""Slow results computed once per run (evalkit.reporting.memo), in and out of a run."""

from __future__ import annotations

import os
import tempfile
import warnings
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from processed_fixture import write_processed_study

from evalkit.errors import EvalkitWarning
from evalkit.reporting.memo import MEMO_ENV, memoized
from evalkit.reporting.record import recorded
from evalkit.run.execute import run_reports
from evalkit.run.kernel import RUN_PREFIX

CALLS: list[tuple] = []


def _slow(frame: pd.DataFrame, *, scale: float = 1.0) -> pd.Series:
    """A stand-in for a bootstrap: counts its calls and warns."""
    CALLS.append((len(frame), scale))
    warnings.warn(EvalkitWarning(f"_slow: {len(frame)} rows"), stacklevel=2)
    return frame.sum() * scale


@pytest.fixture
def frame() -> pd.DataFrame:
    return pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [4.0, 5.0, 6.0]})


def test_outside_a_run_every_call_computes(frame, monkeypatch):
    monkeypatch.delenv(MEMO_ENV, raising=False)
    CALLS.clear()
    with pytest.warns(EvalkitWarning):
        memoized(_slow)(frame)
    with pytest.warns(EvalkitWarning):
        memoized(_slow)(frame)
    assert len(CALLS) == 2


def test_inside_a_run_equal_arguments_compute_once_and_warn_every_time(
    frame, tmp_path, monkeypatch
):
    monkeypatch.setenv(MEMO_ENV, str(tmp_path))
    CALLS.clear()
    slow = memoized(_slow)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        first = slow(frame)
        again = slow(frame.copy())  # equal data, another object
        other = slow(frame, scale=2.0)  # another argument: computed
    assert CALLS == [(3, 1.0), (3, 2.0)]
    pd.testing.assert_series_equal(again, first)
    pd.testing.assert_series_equal(first, pd.Series({"a": 6.0, "b": 15.0}))
    pd.testing.assert_series_equal(other, 2 * first)
    assert [str(w.message) for w in caught] == ["_slow: 3 rows"] * 3
    assert all(issubclass(w.category, EvalkitWarning) for w in caught)


def test_a_missing_folder_means_no_memo(frame, tmp_path, monkeypatch):
    monkeypatch.setenv(MEMO_ENV, str(tmp_path / "gone"))
    CALLS.clear()
    with pytest.warns(EvalkitWarning):
        memoized(_slow)(frame)
        memoized(_slow)(frame)
    assert len(CALLS) == 2 and not (tmp_path / "gone").exists()


#: A report notebook whose one slow step appends a line to calls.txt each time it computes.
CELLS = [
    'study: str = ""\ncohort_id: str = ""\nlang: str = "id"\nprocessed_dir: str = ""',
    "import warnings\n"
    "from pathlib import Path\n"
    "from evalkit import reporting as ekr\n"
    "from evalkit.reporting.record import record\n"
    "def slow(cohort):\n"
    "    with Path('calls.txt').open('a') as out:\n"
    "        out.write(cohort + '\\n')\n"
    "    warnings.warn(f'slow: {cohort}')\n"
    "    return cohort * 2\n"
    "with warnings.catch_warnings(record=True) as caught:\n"
    "    warnings.simplefilter('always')\n"
    "    value = ekr.memoized(slow)(cohort_id)\n"
    "record(value=value, lang=lang, warned=[str(w.message) for w in caught])",
]


def test_both_languages_of_a_run_share_one_computation_per_cohort(tmp_path, monkeypatch):
    """Each cohort's slow step runs once for its two reports (two kernels, one folder)."""
    root = tmp_path
    (root / "pyproject.toml").write_text("[project]\nname = 'scratch'\n")
    (root / "notebooks").mkdir()
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(c) for c in CELLS],
        metadata={"kernelspec": {"name": "python3", "language": "python",
                                 "display_name": "Python 3"}},
    )  # fmt: skip
    notebook.cells[0].metadata["tags"] = ["parameters"]
    nbformat.write(notebook, root / "notebooks" / "cohort_report.ipynb")
    write_processed_study(root, "memo", cohorts=("C01", "C02", "C03"))
    monkeypatch.setenv("EVALKIT_ROOT", str(root))
    before = set(Path(tempfile.gettempdir()).glob(f"{RUN_PREFIX}{os.getpid()}-*"))
    summary = run_reports(studies=["memo"], kinds=["cohort"], lang="both", jobs=2,
                          progress=False)  # fmt: skip
    assert summary.ok, str(summary)
    calls = sorted((root / "calls.txt").read_text().split())
    assert calls == ["C01", "C02", "C03"]  # six reports, three computations
    for cohort in ("C01", "C02", "C03"):
        for stem in (f"cohort-{cohort}", f"cohort-{cohort}.en"):
            executed = root / "reports" / "memo" / "_executed" / f"{stem}.ipynb"
            got = recorded(nbformat.read(executed, as_version=4))
            assert got["value"] == cohort * 2
            assert got["warned"] == [f"slow: {cohort}"]  # said in both languages
    after = set(Path(tempfile.gettempdir()).glob(f"{RUN_PREFIX}{os.getpid()}-*"))
    assert after <= before  # the run's folder is gone with it
