"""All project paths, from one root.

The root is the value of the ``EVALKIT_ROOT`` environment variable, else the first
folder holding ``pyproject.toml`` and ``evalkit/`` at or above the starting folder
(the current directory unless one is given), else the folder this package is
installed in. Every other function takes the root as an argument (``None``: find
it), so code that knows its root, such as a notebook or a test, never depends on
the working directory.

Examples
--------
>>> from evalkit.paths import processed_dir, project_root
>>> (project_root() / "evalkit").is_dir()
True
>>> processed_dir("pelayanan", root=Path("/srv/evalkit")).as_posix()
'/srv/evalkit/data/processed/pelayanan'
"""

from __future__ import annotations

import os
from pathlib import Path


def project_root(start: Path | str | None = None) -> Path:
    """Return the project root folder (see module docstring).

    Parameters
    ----------
    start : Path or str, optional
        Folder to search upwards from (default: the current directory). A
        notebook passes its own folder, so it finds the project wherever it is
        opened from.
    """
    env = os.environ.get("EVALKIT_ROOT")
    if env:
        return Path(env).resolve()
    here = Path(start if start is not None else Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").is_file() and (folder / "evalkit").is_dir():
            return folder
    return Path(__file__).resolve().parent.parent


def _root(root: Path | str | None) -> Path:
    return Path(root) if root is not None else project_root()


def raw_dir(study: str = "demo", root: Path | str | None = None) -> Path:
    """Folder of one study's raw exports (read-only): ``data/raw/<study>``."""
    return _root(root) / "data" / "raw" / study


def processed_dir(study: str = "demo", root: Path | str | None = None) -> Path:
    """Folder of one study's cleaned tables: ``data/processed/<study>``."""
    return _root(root) / "data" / "processed" / study


def reports_dir(root: Path | str | None = None) -> Path:
    """Folder of the HTML reports: ``reports/``."""
    return _root(root) / "reports"


def notebooks_dir(root: Path | str | None = None) -> Path:
    """Folder of the parameterized notebooks: ``notebooks/``."""
    return _root(root) / "notebooks"
