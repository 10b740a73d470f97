"""Re-judge the survivors of an earlier ``run.py`` with new or changed test files, fast.

``python mutation/recheck.py results tests/test_survivors_results.py [more test files]
[--only GLOB] [-k EXPR]``
copies the given test files into the scratch copy that ``run.py`` left in
``mutation/work/<module>/mutants/``, then runs them in ONE Python process once per
survivor of that run (mutants whose recorded exit code is 0), switching the mutant with
mutmut's ``MUTANT_UNDER_TEST`` switch. A mutant is killed when a test fails. This is
much cheaper than a new ``run.py`` (no mutant generation, no statistics pass, no new
interpreter per mutant), and valid for a "before/after" count because adding tests can
only kill mutants: the ones killed before stay killed. The module's own source must be
unchanged since the run (a bug fix needs a new ``run.py``).

The files of ``tests/reference/`` are copied too, and the tests are first run once on the
original code: if they fail there, every mutant would count as killed, so the recheck
stops. Prints each survivor as ``killed`` or ``SURVIVED`` and the counts; equivalent
mutants (mutation/equivalent.toml) are reported apart.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
from fnmatch import fnmatch
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MUTMUT = Path(sys.executable).with_name("mutmut")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("module")
    parser.add_argument("tests", nargs="+", help="test files (paths from the project root)")
    parser.add_argument("--only", action="append", default=[], help="mutant name glob")
    parser.add_argument("-k", dest="keyword", help="pytest -k expression, e.g. 'not demo'")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(HERE))
    from run import equivalents, is_equivalent

    work = HERE / "work" / args.module
    mutants = work / "mutants"
    meta = mutants / "evalkit" / "metrics" / f"{args.module}.py.meta"
    if not meta.is_file():
        sys.exit(f"recheck: no earlier run of {args.module} in {work}")
    codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
    survivors = sorted(
        name
        for name, code in codes.items()
        if code == 0 and (not args.only or any(fnmatch(name, pat) for pat in args.only))
    )
    # the tests as they are now go along: new test files, the helpers they import
    # (tests/messages.py) and reference values written since the run
    shutil.copytree(ROOT / "tests", mutants / "tests", dirs_exist_ok=True)
    known = equivalents(args.module)
    diffs = {
        name: subprocess.run(
            [str(MUTMUT), "show", name], cwd=work, capture_output=True, text=True, check=False
        ).stdout
        for name in survivors
    }
    os.chdir(mutants)
    sys.path.insert(0, str(mutants))
    import pytest

    select = ["-k", args.keyword] if args.keyword else []

    def fails(mutant: str) -> bool:
        os.environ["MUTANT_UNDER_TEST"] = mutant
        with contextlib.redirect_stdout(io.StringIO()):
            code = pytest.main(["-q", "-x", "-p", "no:cacheprovider", *select, *args.tests])
        return code == 1

    # a test that fails on the original code would count every mutant as killed
    if fails(""):
        sys.exit("recheck: the tests fail on the original code (no mutant active); fix them first")
    killed, left, equivalent = [], [], []
    for name in survivors:
        if is_equivalent(name, diffs[name], known):
            equivalent.append(name)
            continue
        dead = fails(name)
        (killed if dead else left).append(name)
        print(("killed   " if dead else "SURVIVED ") + name, flush=True)
    os.environ.pop("MUTANT_UNDER_TEST", None)
    print(
        f"survivors of the earlier run: {len(survivors)}; equivalent {len(equivalent)}; "
        f"killed by {', '.join(args.tests)}: {len(killed)}; still surviving: {len(left)}"
    )
    for name in left:
        print(f"\nSURVIVED {name}\n{diffs[name]}")
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main())
