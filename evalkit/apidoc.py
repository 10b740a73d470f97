"""Render the API reference (``docs/api.md``) from the public docstrings.

Run ``python -m evalkit.apidoc`` (or ``make docs``) to rewrite ``docs/api.md``; a
test checks that the committed file is up to date.

The examples in the docstrings run as module doctests, where the module's own names
(the function itself, ``pd``, ``Path`` ...) are already defined. Copied from the
reference they would fail with ``NameError``, so each entry's examples are completed
with the import lines they need (:func:`complete_examples`), and
``tests/test_docs.py`` runs every entry of ``docs/api.md`` as a doctest of its own, in
a fresh namespace.

Examples
--------
>>> text = render_api_reference()
>>> text.startswith("# evalkit API reference")
True
>>> "## Level 1: reaction (`evalkit.metrics.reaction`)" in text
True
>>> "from evalkit.data.processed import load_study" in text
True
"""

from __future__ import annotations

import ast
import builtins
import doctest
import importlib
import inspect
import types
from typing import Any

#: module -> section title, in reading order
SECTIONS = {
    "metrics.reaction": "Level 1: reaction",
    "metrics.learning": "Level 2: learning",
    "metrics.knowledge_test": "Level 2: knowledge tests, item by item",
    "metrics.reliability": "Reliability from a factor model (McDonald's omega)",
    "metrics.compare": "Group comparisons",
    "metrics.clustered": "People in cohorts: cluster-robust comparisons",
    "metrics.subgroups": "For whom: subgroups",
    "metrics.behavior": "Level 3: behaviour",
    "metrics.waves": "Level 3: did it last (follow-up waves)",
    "metrics.agreement": "Level 3: rater agreement",
    "metrics.results": "Level 4: results",
    "metrics.impact": "Level 4: impact designs",
    "metrics.counts": "Level 4: count outcomes (Poisson and negative binomial rate ratios)",
    "metrics.inference": "Level 4: few-cluster inference",
    "metrics.treatment": "Level 4: what an impact study compares",
    "metrics.economics": "Level 5: costs, benefits and ROI",
    "metrics.roi_uncertainty": "Level 5: ROI intervals and break-even",
    "metrics.cost_items": "Level 5: cost items and cost-effectiveness",
    "metrics.power": "Power and minimum detectable effect",
    "metrics.retrospective": "Retrospective follow-up (then-test) and the PTIA score",
    "metrics.facilitator": "Facilitators (widyaiswara, narasumber): ratings and variance",
    "metrics.needs": "Training needs: lowest-rated behaviours and relevance by group",
    "metrics.planner": "Budget planning: what a budget buys, and the MDE of that study",
    "metrics.scales": "Scores on 0-100 (POMP)",
    "metrics.multiplicity": "Multiple testing",
    "errors": "Errors and warnings",
}

#: Names outside the package root that the README and the guides use, by module.
EXTRA = {
    "data.processed": ("Processed tables", ("load_study", "check_processed", "study_info")),
    "reporting.figure_files": ("Saving figures", ("save_figure",)),
    "reporting.ledger": ("The results ledger", ("estimates",)),
    "reporting.record": ("Recording results in a notebook", ("record_estimates",)),
    "run.execute": ("Running the reports", ("run_reports",)),
    "paths": ("Project paths", ("project_root", "processed_dir")),
}


def _bound_names(tree: ast.AST) -> set[str]:
    """Names an example binds itself (assignments, imports, loops, ``with ... as``)."""
    bound: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            bound.add(node.id)
        elif isinstance(node, ast.alias):
            bound.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
    return bound


def _import_line(name: str, value: Any, home: str) -> str | None:
    """The import statement that binds ``name`` to ``value``, or None if there is none."""
    if isinstance(value, types.ModuleType):
        full = value.__name__
        if "." in full:
            parent, leaf = full.rsplit(".", 1)
            return f"from {parent} import {leaf}" + (f" as {name}" if name != leaf else "")
        return f"import {full}" + (f" as {name}" if name != full else "")
    module = getattr(value, "__module__", None)
    if module is None or getattr(value, "__name__", None) != name:
        return None
    if any(part.startswith("_") for part in module.split(".")):
        module = home  # defined in a private module: import it where it is documented
    return f"from {module} import {name}"


def complete_examples(doc: str, module: str) -> str:
    """Add the import lines a docstring's examples need to run on their own.

    Parameters
    ----------
    doc : str
        A docstring (cleaned) with doctest examples.
    module : str
        The module the docstring belongs to (``evalkit.metrics.roi``'s is
        ``evalkit.metrics.economics``): names its examples use without binding them are
        looked up there.

    Returns
    -------
    str
        ``doc`` with one ``>>> import ...`` line per missing name at the start of its
        first example (unchanged when nothing is missing).

    Examples
    --------
    >>> doc = "Examples\\n--------\\n>>> roi(2, 1)['bcr']\\nnp.float64(2.0)\\n"
    >>> complete_examples(doc, "evalkit.metrics.economics").splitlines()[2:4]
    ['>>> from evalkit.metrics.economics import roi', ">>> roi(2, 1)['bcr']"]
    """
    examples = doctest.DocTestParser().get_examples(doc)
    if not examples:
        return doc
    namespace = vars(importlib.import_module(module))
    used: list[str] = []
    bound: set[str] = set()
    for example in examples:
        try:
            tree = ast.parse(example.source)
        except SyntaxError:
            continue
        bound |= _bound_names(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                if node.id not in used:
                    used.append(node.id)
    lines = []
    for name in used:
        if name in bound or hasattr(builtins, name) or name not in namespace:
            continue
        line = _import_line(name, namespace[name], module)
        if line is not None:
            lines.append(line)
    if not lines:
        return doc
    first = examples[0]
    doc_lines = doc.splitlines(keepends=True)
    indent = " " * first.indent
    added = "".join(f"{indent}>>> {line}\n" for line in lines)
    doc_lines.insert(first.lineno, added)
    return "".join(doc_lines)


def _entry(obj: Any, name: str, module: str) -> list[str]:
    """The Markdown lines of one public name: heading, signature, docstring."""
    try:
        signature = str(inspect.signature(obj))
    except (TypeError, ValueError):
        signature = "(...)"
    doc = complete_examples(inspect.cleandoc(obj.__doc__ or "(no docstring)"), module)
    heading = f"### `{name}{signature}`" if not inspect.isclass(obj) else f"### class `{name}`"
    return [heading, "", "```text", doc.rstrip("\n"), "```", ""]


def render_api_reference() -> str:
    """Return the Markdown API reference of every public name in ``evalkit``.

    Returns
    -------
    str
        One section per module (see ``SECTIONS``), one entry per public name with
        its signature and full docstring.
    """
    import evalkit

    by_module: dict[str, list[str]] = {}
    for name, module in evalkit._API.items():
        by_module.setdefault(module, []).append(name)
    lines = [
        "# evalkit API reference",
        "",
        "Generated from the docstrings by `python -m evalkit.apidoc`; do not edit by hand.",
        "Every name of the first sections is importable from the package root",
        "(`import evalkit as ek; ek.paired_change`); the last sections document the few",
        "functions of submodules that the README and the guides use. Each entry's examples",
        "are complete (import lines included): copy them as they are. `tests/test_docs.py`",
        "runs every entry of this file as a doctest of its own, in a fresh namespace.",
        "",
    ]
    for module, title in SECTIONS.items():
        names = by_module.pop(module, [])
        if not names:
            continue
        lines += [f"## {title} (`evalkit.{module}`)", ""]
        mod = importlib.import_module(f"evalkit.{module}")
        for name in names:
            lines += _entry(getattr(mod, name), name, f"evalkit.{module}")
    for module, (title, names) in EXTRA.items():
        lines += [f"## {title} (`evalkit.{module}`)", ""]
        mod = importlib.import_module(f"evalkit.{module}")
        for name in names:
            lines += _entry(getattr(mod, name), name, f"evalkit.{module}")
    if by_module:
        raise RuntimeError(f"modules without a section in evalkit.apidoc.SECTIONS: {by_module}")
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(render_api_reference())
