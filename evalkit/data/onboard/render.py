"""A proposed codebook as YAML text, with a ``# REVIEW:`` comment on every guess to confirm.

The text is written by hand rather than by ``yaml.safe_dump`` so that each note
sits next to the key it is about: mappings down to the columns and items of a
table are block style, one key per line; below that each entry is one
flow-style line. A short note follows its line; a long one, or one on a block,
goes on its own line above.

Examples
--------
>>> p = Proposal({"study": "s", "units": {"Dinas Kesehatan": ["Dinkes"]}},
...              notes={"units": "REVIEW: merge or split"})
>>> print(render_codebook(p, header=["proposed"]), end="")
# proposed
study: s
# REVIEW: merge or split
units:
  Dinas Kesehatan: [Dinkes]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from evalkit.data.onboard.draft import Proposal

#: Key paths written in block style (the others are one flow-style line each).
_BLOCK_PATHS = re.compile(r"|likert|likert\.[^.]+|values|units|tables|tables\.[^.]+|"
                          r"tables\.[^.]+\.(columns|items|blocks)|tables\.[^.]+\.blocks\.[^.]+")  # fmt: skip


def _flow(value: Any) -> str:
    """One value in YAML flow style on one line."""
    import yaml

    text = yaml.safe_dump([value], default_flow_style=True, allow_unicode=True, width=10**9,
                          sort_keys=False).strip()  # fmt: skip
    return text[1:-1]


def _walk(proposal: Proposal, obj: Mapping[str, Any], path: str, indent: int,
          lines: list[str]) -> None:  # fmt: skip
    """Append the lines of a mapping at key path ``path`` (``""`` for the top)."""
    for key, value in obj.items():
        here = f"{path}.{key}" if path else str(key)
        note = proposal.notes.get(here)
        pad = "  " * indent
        block = isinstance(value, Mapping) and value and _BLOCK_PATHS.fullmatch(here)
        if note and (len(note) > 70 or block):
            lines.append(f"{pad}# {note}")
            note = None
        if block:
            lines.append(f"{pad}{_flow(key)}:")
            _walk(proposal, value, here, indent + 1, lines)
        else:
            text = f"{pad}{_flow(key)}: {_flow(value)}"
            lines.append(text + (f"  # {note}" if note else ""))
        if indent == 0 and isinstance(value, Mapping) and value:
            lines.append("")


def render_codebook(proposal: Proposal, *, header: Iterable[str] = ()) -> str:
    """The proposal as YAML text with ``# REVIEW:`` comments.

    Mappings down to table columns and items are block style, one entry per
    line; each entry is one flow-style line, followed by its note.

    Examples
    --------
    >>> p = Proposal({"study": "s", "tables": {}}, notes={"study": "REVIEW: name"})
    >>> print(render_codebook(p), end="")
    study: s  # REVIEW: name
    tables: {}
    """
    lines = [f"# {h}" if h else "#" for h in header]
    _walk(proposal, proposal.data, "", 0, lines)
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"
