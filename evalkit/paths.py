"""All project paths, from one root.

The root is the folder holding ``pyproject.toml`` above the current directory, or
the value of the ``EVALKIT_ROOT`` environment variable.

Examples
--------
>>> from evalkit.paths import project_root
>>> (project_root() / "evalkit").is_dir()
True
"""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    """Return the project root folder (see module docstring)."""
    env = os.environ.get("EVALKIT_ROOT")
    if env:
        return Path(env).resolve()
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").is_file() and (folder / "evalkit").is_dir():
            return folder
    return Path(__file__).resolve().parent.parent


def raw_dir(study: str = "demo") -> Path:
    """Folder of one study's raw exports (read-only): ``data/raw/<study>``."""
    return project_root() / "data" / "raw" / study


def processed_dir(study: str = "demo") -> Path:
    """Folder of one study's cleaned tables: ``data/processed/<study>``."""
    return project_root() / "data" / "processed" / study


def reports_dir() -> Path:
    """Folder of the HTML reports: ``reports/``."""
    return project_root() / "reports"


def notebooks_dir() -> Path:
    """Folder of the parameterized notebooks: ``notebooks/``."""
    return project_root() / "notebooks"
