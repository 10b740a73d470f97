"""Mutation testing of one metric module with its own tests (``make mutate MODULE=...``).

mutmut reads its configuration from the ``pyproject.toml`` of the folder it runs in, so
each module gets a scratch copy of the project in ``mutation/work/<module>/`` (ignored by
git) whose ``[tool.mutmut]`` mutates only ``evalkit/metrics/<module>.py`` and selects
only the module's tests (``mutation/modules.toml``) and its doctests. After the run the
survivors are compared with the reviewed equivalent mutants of ``mutation/equivalent.toml``
(a mutant whose behaviour cannot differ from the original): those are reported apart and
left out of the score.

Usage: ``python mutation/run.py economics [--max-children N] [--only GLOB ...]``
(``--only`` runs the mutants whose names match, e.g. ``'*x_cost_summary*'``). Prints the
counts, the score (mutants killed or timed out / (mutants run - equivalent); a mutant
that no test reaches counts as a survivor) and every other survivor with its diff, and
exits 1 when a survivor is left.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MUTMUT = Path(sys.executable).with_name("mutmut")


def _config(module: str) -> dict:
    modules = tomllib.loads((HERE / "modules.toml").read_text(encoding="utf-8"))
    if module not in modules:
        sys.exit(f"mutate: unknown module {module!r}; known: {', '.join(sorted(modules))}")
    return modules[module]


def equivalents(module: str) -> list[dict]:
    """The reviewed equivalent mutants of ``module`` (function, original, mutant, reason)."""
    data = tomllib.loads((HERE / "equivalent.toml").read_text(encoding="utf-8"))
    return [e for e in data.get("mutant", []) if e["module"] == module]


#: mutmut copies each function, docstring included, once per mutant; with
#: ``--doctest-modules`` every copy's examples would run for every mutant (a module with
#: 240 mutants of one function ran its example 244 times per mutant). The public
#: function's own example still runs, through mutmut's switch to the active mutant.
NO_MUTANT_COPIES = "not __mutmut_"


def pytest_args(args: list[str] | None) -> list[str]:
    """``args`` with the doctests of mutmut's copies deselected (merged into any ``-k``)."""
    args = list(args or [])
    if "-k" in args:
        at = args.index("-k") + 1
        args[at] = f"({args[at]}) and {NO_MUTANT_COPIES}"
        return args
    return [*args, "-k", NO_MUTANT_COPIES]


def _scratch(module: str, tests: list[str], args: list[str] | None = None) -> Path:
    """A fresh copy of the package and tests with a pyproject.toml for this module."""
    work = HERE / "work" / module
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "evalkit", work / "evalkit", ignore=ignore)
    shutil.copytree(ROOT / "tests", work / "tests", ignore=ignore)
    shutil.copy2(ROOT / "conftest.py", work / "conftest.py")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pytest_opts = project["tool"]["pytest"]["ini_options"]
    target = f"evalkit/metrics/{module}.py"
    lines = [
        "[tool.mutmut]",
        'source_paths = ["evalkit"]',
        f"only_mutate = [{json.dumps(target)}]",
        'also_copy = ["conftest.py"]',
        f"pytest_add_cli_args_test_selection = {json.dumps([*tests, target])}",
        f"pytest_add_cli_args = {json.dumps(['-p', 'no:cacheprovider', '-q', *pytest_args(args)])}",
        "use_git_change_detection = false",
        "",
        "[tool.pytest.ini_options]",
        f"addopts = {json.dumps(pytest_opts['addopts'])}",
        f"markers = {json.dumps(pytest_opts['markers'])}",
        f"filterwarnings = {json.dumps(pytest_opts['filterwarnings'])}",
        "",
    ]
    (work / "pyproject.toml").write_text("\n".join(lines), encoding="utf-8")
    return work


def _diff(work: Path, name: str) -> str:
    shown = subprocess.run(
        [str(MUTMUT), "show", name], cwd=work, capture_output=True, text=True, check=False
    )
    return shown.stdout


def _changed(diff: str) -> tuple[str, str]:
    """The removed and the added lines of a mutant's diff."""
    body = [ln for ln in diff.splitlines() if not ln.startswith(("---", "+++"))]
    removed = "\n".join(ln[1:].strip() for ln in body if ln.startswith("-"))
    added = "\n".join(ln[1:].strip() for ln in body if ln.startswith("+"))
    return removed, added


def _mutant_prefix(function: str) -> str:
    """mutmut's name of a function's mutants: ``x_f__mutmut_``; a method ``C.m``: ``xǁCǁm__mutmut_``."""
    if "." in function:
        cls, method = function.split(".")
        return f"x\u01c1{cls}\u01c1{method}__mutmut_"
    return f"x_{function}__mutmut_"


def is_equivalent(name: str, diff: str, known: list[dict]) -> dict | None:
    """The equivalent-mutant entry that describes this survivor, if any."""
    removed, added = _changed(diff)
    for entry in known:
        if (
            _mutant_prefix(entry["function"]) in name
            and entry["original"] in removed
            and entry["mutant"] in added
        ):
            return entry
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("module", help="a module of evalkit/metrics, e.g. economics")
    parser.add_argument("--max-children", type=int, default=2, help="parallel workers")
    parser.add_argument("--only", action="append", default=[], help="mutant name glob")
    args = parser.parse_args(argv)
    conf = _config(args.module)
    work = _scratch(args.module, conf["tests"], conf.get("pytest_args"))
    run = subprocess.run(
        [str(MUTMUT), "run", "--max-children", str(args.max_children), *args.only],
        cwd=work,
        check=False,
        stdout=subprocess.DEVNULL,
    )
    if run.returncode != 0:
        print(f"mutate: mutmut run failed (exit {run.returncode}) in {work}", file=sys.stderr)
        return run.returncode
    listed = subprocess.run(
        [str(MUTMUT), "results", "--all", "true"],
        cwd=work,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    status: dict[str, str] = {}
    for line in listed.splitlines():
        name, _, state = line.strip().rpartition(": ")
        if name and state not in ("not checked", "skipped"):
            status[name] = state
    counts: dict[str, int] = {}
    for state in status.values():
        counts[state] = counts.get(state, 0) + 1
    known = equivalents(args.module)
    equivalent, left = [], []
    for name, state in sorted(status.items()):
        if state not in ("survived", "no tests"):
            continue
        diff = _diff(work, name)
        entry = is_equivalent(name, diff, known)
        (equivalent if entry else left).append((name, diff, entry))
    total = len(status)
    killed = counts.get("killed", 0) + counts.get("timeout", 0)
    judged = total - len(equivalent)
    print(f"module evalkit/metrics/{args.module}.py, tests {', '.join(conf['tests'])} + doctests")
    print("counts: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    print(f"equivalent (excluded, see mutation/equivalent.toml): {len(equivalent)}")
    score = 100.0 * killed / judged if judged else float("nan")
    print(f"score: {killed} killed of {judged} = {score:.1f}%")
    if args.only:
        print(f"(only the mutants matching {len(args.only)} --only pattern(s))")
    for name, diff, _ in left:
        print(f"\nSURVIVED {name} ({status[name]})\n{diff}")
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main())
