"""The conda environment, the pip project and the Makefile agree."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]

# Names that differ between PyPI and conda-forge (pip name -> conda name).
CONDA_NAME = {}


def _split(requirement: str) -> tuple[str, str]:
    """'pandas>=2.2' -> ('pandas', '>=2.2')."""
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", requirement)
    assert match, requirement
    return match.group(1).lower().replace("_", "-"), match.group(2).replace(" ", "")


def _pyproject() -> dict[str, str]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    reqs = data["project"]["dependencies"] + data["project"]["optional-dependencies"]["dev"]
    return dict(_split(r) for r in reqs)


def _environment() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    deps = [d for d in env["dependencies"] if isinstance(d, str)]
    return {k: v for k, v in map(_split, deps) if k not in ("python", "pip")}


def test_environment_yml_lists_the_same_packages_as_pyproject():
    pip = {CONDA_NAME.get(k, k): v for k, v in _pyproject().items()}
    conda = _environment()
    assert sorted(set(pip) - set(conda)) == [], "in pyproject.toml but not environment.yml"
    assert sorted(set(conda) - set(pip)) == [], "in environment.yml but not pyproject.toml"
    assert {k: conda[k] for k in pip} == pip, "version bounds differ"


def test_design_card_packages_are_dependencies():
    deps = _pyproject()
    for name in ("jupyterlab", "pandas", "statsmodels", "seaborn", "pingouin", "papermill"):
        assert name in deps
    assert "nbconvert" in deps and "pytest" in deps


def test_python_version_agrees():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python"))
    assert data["project"]["requires-python"] == python.removeprefix("python")


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    assert "make test" in readme and "make reports" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_make_help_lists_the_two_commands():
    out = subprocess.run(
        ["make", "-s", "help"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert "make reports" in out and "make test" in out


def test_notebooks_are_committed_without_outputs():
    import json

    for nb in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(nb.read_text())["cells"]
        code = [c for c in cells if c["cell_type"] == "code"]
        assert code, nb
        assert all(not c.get("outputs") and c.get("execution_count") is None for c in code), nb
        assert "parameters" in code[0].get("metadata", {}).get("tags", []), nb
        source = "\n".join("".join(c["source"]) for c in code)
        assert not re.search(r"^\s*(def|class) ", source, re.M), f"{nb}: logic belongs in evalkit"
        assert "sys.path" not in source, nb


def test_package_imports_lazily():
    """`import evalkit` must not pull in the scientific stack (the CLI stays fast)."""
    code = "import sys, evalkit; print(any(m in sys.modules for m in ('pingouin', 'statsmodels', 'seaborn')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_every_public_name_resolves_and_is_documented():
    import evalkit

    for name in evalkit._API:
        obj = getattr(evalkit, name)
        assert obj.__doc__ and obj.__doc__.strip(), f"evalkit.{name} has no docstring"


def test_api_reference_is_up_to_date():
    from evalkit.apidoc import render_api_reference

    committed = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    assert committed == render_api_reference(), "run `make docs` to regenerate docs/api.md"


def test_public_functions_are_not_shadowed_by_submodules():
    """Importing every submodule first must leave `evalkit.<name>` the public function."""
    code = (
        "import importlib, pkgutil, evalkit\n"
        "for m in pkgutil.iter_modules(evalkit.__path__):\n"
        "    if m.name not in ('__main__',): importlib.import_module('evalkit.' + m.name)\n"
        "bad = [n for n, mod in evalkit._API.items()\n"
        "       if getattr(evalkit, n) is not getattr(importlib.import_module('evalkit.' + mod), n)]\n"
        "print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
