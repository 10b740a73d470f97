"""Render the API reference (``docs/api.md``) from the public docstrings.

Run ``python -m evalkit.apidoc`` (or ``make docs``) to rewrite ``docs/api.md``; a
test checks that the committed file is up to date.

Examples
--------
>>> text = render_api_reference()
>>> text.startswith("# evalkit API reference")
True
>>> "## Level 1: reaction (`evalkit.metrics.reaction`)" in text
True
"""

from __future__ import annotations

import importlib
import inspect

#: module -> section title, in reading order
SECTIONS = {
    "metrics.reaction": "Level 1: reaction",
    "metrics.learning": "Level 2: learning",
    "metrics.knowledge_test": "Level 2: knowledge tests, item by item",
    "metrics.compare": "Group comparisons",
    "metrics.behavior": "Level 3: behaviour",
    "metrics.agreement": "Level 3: rater agreement",
    "metrics.results": "Level 4: results",
    "metrics.impact": "Level 4: impact designs",
    "metrics.economics": "Level 5: costs, benefits and ROI",
    "metrics.power": "Power and minimum detectable effect",
    "errors": "Errors and warnings",
}


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
        "Every name is importable from the package root (`import evalkit as ek; ek.paired_change`).",
        "The examples run as doctests in `make test`.",
        "",
    ]
    for module, title in SECTIONS.items():
        names = by_module.pop(module, [])
        if not names:
            continue
        lines += [f"## {title} (`evalkit.{module}`)", ""]
        mod = importlib.import_module(f"evalkit.{module}")
        for name in names:
            obj = getattr(mod, name)
            try:
                signature = str(inspect.signature(obj))
            except (TypeError, ValueError):
                signature = "(...)"
            kind = "class" if inspect.isclass(obj) else "function"
            lines += [f"### `{name}{signature}`" if kind == "function" else f"### class `{name}`"]
            lines += ["", "```text", inspect.cleandoc(obj.__doc__ or "(no docstring)"), "```", ""]
    if by_module:
        raise RuntimeError(f"modules without a section in evalkit.apidoc.SECTIONS: {by_module}")
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(render_api_reference())
