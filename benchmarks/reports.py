"""Time the full report regeneration against the floor.

The **full regeneration** is ``evalkit report --force`` on a study (every cohort report,
the program overview and the impact study when their notebooks exist): papermill
executes each notebook, nbconvert exports its HTML, and the index is written.

The **floor** is the same computations and figures done in one plain Python process
without notebooks: the code cells of the very same notebooks, executed with ``exec`` for
every report (parameters injected as papermill would), each displayed value rendered as
a front end would (figures to PNG, tables to HTML). It cannot drift from the reports.

Both run as fresh processes (imports included, as a user experiences them); the script
prints both wall times, their ratio (goal: within 1.5x) and the time of a no-op re-run.

Usage::

    python benchmarks/reports.py            # the demo study (run `make reports` first)
    python benchmarks/reports.py --study demo --jobs 2
"""

from __future__ import annotations

import argparse
import ast
import io
import json
import os
import subprocess
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _render(value: object) -> int:
    """Render one displayed value as a notebook front end would; return its size in bytes."""
    from matplotlib.figure import Figure

    if value is None:
        return 0
    if isinstance(value, Figure):
        buffer = io.BytesIO()
        value.savefig(buffer, format="png", bbox_inches="tight")
        return len(buffer.getvalue())
    for method in ("_repr_html_", "_repr_markdown_"):
        if hasattr(value, method):
            return len(getattr(value, method)() or "")
    if hasattr(value, "to_html"):
        return len(value.to_html())
    return len(repr(value))


def _run_code(notebook: Path, parameters: dict[str, object]) -> int:
    """Execute a notebook's code cells in this process: parameters, then every cell.

    Like a kernel, the value of a cell's last expression is displayed (rendered); the
    parameters cell runs first and is then overridden, as papermill's injected cell does.
    """
    import matplotlib.pyplot as plt

    cells = [
        "".join(c["source"])
        for c in json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        if c["cell_type"] == "code"
    ]
    size = 0

    def display(*objects: object, **_: object) -> None:
        nonlocal size
        size += sum(_render(o) for o in objects)

    namespace: dict[str, object] = {"display": display, "__name__": "__main__"}
    exec(cells[0], namespace)
    namespace.update(parameters)
    for source in cells[1:]:
        tree = ast.parse(source)
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, str(notebook), "exec"), namespace)
        if last is not None:
            expression = ast.Expression(last.value)
            display(eval(compile(expression, str(notebook), "eval"), namespace))
    plt.close("all")
    return size


def floor(study: str, lang: str = "id") -> None:
    """Run every report's notebook code (computations, tables, figures) in this one process."""
    import pandas as pd

    from evalkit.paths import notebooks_dir, processed_dir, project_root

    os.chdir(project_root())
    warnings.simplefilter("ignore")
    processed = processed_dir(study)
    common = {
        "study": study,
        "lang": lang,
        "processed_dir": str(processed.relative_to(project_root())),
    }
    notebooks = notebooks_dir()
    cohorts = sorted(pd.read_parquet(processed / "cohorts.parquet")["cohort_id"].astype(str))
    total, runs = 0, 0
    for cohort_id in cohorts:
        total += _run_code(notebooks / "cohort_report.ipynb", {**common, "cohort_id": cohort_id})
        runs += 1
    for name in ("program_overview.ipynb", "impact_study.ipynb"):
        if (notebooks / name).is_file():
            total += _run_code(notebooks / name, common)
            runs += 1
    print(f"floor: {runs} notebooks' code in one process, {total / 1e6:.1f} MB rendered")


def _timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--study", default="demo")
    parser.add_argument("--jobs", type=int, default=None, help="workers (default: cores)")
    parser.add_argument("--floor-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.floor_only:
        floor(args.study)
        return 0
    from evalkit.paths import processed_dir

    if not (processed_dir(args.study) / "cohorts.parquet").is_file():
        print(f"no processed study {args.study!r}: run `make reports` first", file=sys.stderr)
        return 2
    python = sys.executable
    evalkit = [python, "-m", "evalkit", "report", "--study", args.study, "-q"]
    if args.jobs:
        evalkit += ["--jobs", str(args.jobs)]
    full = _timed([*evalkit, "--force"])
    noop = _timed(evalkit)
    base = _timed([python, str(Path(__file__).resolve()), "--floor-only", "--study", args.study])
    cores = os.cpu_count()
    print(f"cores: {cores}")
    print(f"full regeneration (papermill + HTML + index): {full:6.1f} s")
    print(f"floor (one plain Python process):             {base:6.1f} s")
    print(f"ratio full / floor:                           {full / base:6.2f}x (goal <= 1.5x)")
    print(f"no-op re-run (nothing changed):               {noop:6.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
