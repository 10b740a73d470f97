"""The house rules of docs/architecture.md, checked on the code itself.

Every ``import`` of an evalkit module (at module level or inside a function) is read
with :mod:`ast`; nothing is imported or run. The rules:

- a module imports only from its own layer and the layers below it (the table
  ``ALLOWED``, which docs/architecture.md draws);
- no import cycles between modules;
- no private name (leading underscore) imported from another module;
- no module much over 800 lines.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "evalkit"

#: layer -> the layers its modules may import from (their own included)
ALLOWED: dict[str, set[str]] = {
    "base": {"base"},
    "io": {"base", "io"},
    "data": {"base", "io", "data"},
    "metrics": {"base", "metrics"},
    "reporting": {"base", "io", "metrics", "reporting"},
    "run": {"base", "io", "data", "metrics", "reporting", "run"},
    "top": {"base", "io", "data", "metrics", "reporting", "run", "top"},
}
#: modules at the package root that sit on top (the command line and its helpers)
TOP = {"evalkit.cli", "evalkit.__main__", "evalkit.apidoc"}
MAX_MODULE_LINES = 850


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> str:
    if module in TOP:
        return "top"
    parts = module.split(".")
    if len(parts) >= 2 and parts[1] in ALLOWED and parts[1] not in ("base", "top"):
        return parts[1]
    return "base"


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports(path: Path, known: set[str]) -> list[tuple[int, str, list[str]]]:
    """(line, imported evalkit module, names) of every import in one file."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name, []) for a in node.names if a.name.startswith("evalkit")]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if not node.module.startswith("evalkit"):
                continue
            names = [a.name for a in node.names]
            # ``from evalkit.metrics import reaction`` imports the submodule
            subs = [f"{node.module}.{n}" for n in names if f"{node.module}.{n}" in known]
            if subs:
                out += [(node.lineno, s, []) for s in subs]
            rest = [n for n in names if f"{node.module}.{n}" not in known]
            if rest:
                out.append((node.lineno, node.module, rest))
    return out


def graph() -> dict[str, list[tuple[int, str, list[str]]]]:
    found = modules()
    return {name: imports(path, set(found)) for name, path in found.items()}


def test_every_module_is_in_a_known_layer():
    found = modules()
    assert "evalkit.metrics.learning" in found and "evalkit.run.execute" in found
    stray = [m for m in found if m.count(".") == 1 and layer(m) == "base"]
    assert sorted(stray) == [
        "evalkit.constants",
        "evalkit.errors",
        "evalkit.paths",
    ], "a new module at the package root: put it in its layer's subpackage"


def test_no_module_imports_from_a_layer_above_its_own():
    wrong = [
        f"{module} ({layer(module)}) line {line} imports {target} ({layer(target)})"
        for module, edges in graph().items()
        for line, target, _ in edges
        if layer(target) not in ALLOWED[layer(module)]
    ]
    assert not wrong, "\n".join(wrong)


def test_no_private_name_is_imported_from_another_module():
    wrong = [
        f"{module} line {line} imports {name} from {target}"
        for module, edges in graph().items()
        for line, target, names in edges
        for name in names
        if name.startswith("_") and name != "__version__" and target != module
    ]
    assert not wrong, "\n".join(wrong)


def test_no_import_cycles():
    edges: dict[str, set[str]] = defaultdict(set)
    for module, found in graph().items():
        for _, target, _ in found:
            # a package's __init__ is what ``import evalkit.x.y`` runs first; only real
            # module-to-module edges count
            if target != module and not module.startswith(target + "."):
                edges[module].add(target)
    cycles: list[list[str]] = []
    state: dict[str, int] = {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt) :] + [nxt])
            elif nxt not in state:
                visit(nxt, stack)
        stack.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node, [])
    assert not cycles, "\n".join(" -> ".join(c) for c in cycles)


@pytest.mark.parametrize("name", sorted(modules()))
def test_modules_stay_small(name):
    lines = len(modules()[name].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{name} has {lines} lines; split it by what it holds"


def test_the_rules_can_fail(tmp_path):
    """The checker itself finds an upward import, a private import and a cycle."""
    assert layer("evalkit.metrics.learning") == "metrics"
    assert "data" not in ALLOWED["metrics"] and "run" not in ALLOWED["reporting"]
    bad = tmp_path / "bad.py"
    bad.write_text("from evalkit.data.clean import clean_study\nfrom evalkit.x import _y\n")
    found = imports(bad, {"evalkit.data.clean"})
    assert found == [(1, "evalkit.data.clean", ["clean_study"]), (2, "evalkit.x", ["_y"])]


def test_docstrings_hold_no_control_characters():
    """A lone backslash in a docstring (\\frac, \\right) is a control character (form
    feed, carriage return) in the API reference: escape it, or make the docstring raw."""
    import ast

    bad = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                doc = ast.get_docstring(node, clean=False) or ""
                if any(c in doc for c in "\a\b\f\v\r\t"):
                    bad.append(f"{path.name}:{getattr(node, 'name', '<module>')}")
    assert not bad, f"docstrings with control characters: {bad}"
