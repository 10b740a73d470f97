"""Figure files: one figure written as PNG, SVG or PDF, the same bytes every time.

:func:`save` writes one file (format from the suffix), :func:`save_figure` the PNG and
SVG pair beside each other. Both render through
:func:`evalkit.reporting.figure_style.figure_bytes` (cropped to the drawn area, no
creation date, fixed SVG hash salt) and write atomically, so the same figure gives
the same file and an interrupted write leaves no half file.

Examples
--------
>>> import tempfile
>>> from matplotlib.figure import Figure
>>> fig = Figure(figsize=(2, 2)); _ = fig.subplots().plot([1, 2], [2, 1])
>>> with tempfile.TemporaryDirectory() as tmp:
...     save(fig, Path(tmp) / "a.svg").read_bytes() == save(fig, Path(tmp) / "b.svg").read_bytes()
True
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from evalkit.errors import ParameterError
from evalkit.io.atomic import atomic_write_bytes
from evalkit.reporting.figure_style import figure_bytes

#: Figure formats written by :func:`save_figure`.
FIGURE_FORMATS = ("png", "svg")

#: Formats :func:`save_figure` accepts.
SAVE_FORMATS = ("png", "svg", "pdf")


def save(fig: Any, path: str | Path) -> Path:
    """Save ``fig`` to ``path`` (format from the suffix, PNG without one), without a date.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    path : str or Path
        The file to write; its folder is created if needed.

    Returns
    -------
    Path
        ``path``.

    Examples
    --------
    >>> import tempfile
    >>> from evalkit.reporting.figure_style import new_figure
    >>> fig, ax = new_figure(2, 2)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     a = save(fig, Path(tmp) / "a.svg").read_bytes()
    ...     b = save(fig, Path(tmp) / "b.svg").read_bytes()
    >>> a == b
    True
    """
    path = Path(path)
    fmt = path.suffix.lstrip(".").lower() or "png"
    return atomic_write_bytes(path, figure_bytes(fig, fmt))


def save_figure(
    fig: Any, stem: Path | str, *, formats: Iterable[str] = FIGURE_FORMATS
) -> list[Path]:
    """Save a figure as PNG and SVG beside each other (``<stem>.png``, ``<stem>.svg``).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure (for example from :mod:`evalkit.reporting.figures`).
    stem : Path or str
        Path without suffix, e.g. ``reports/demo/figures/reaction_likert``.
    formats : iterable of str, default ("png", "svg")
        Formats to write; each one of ``png``, ``svg``, ``pdf``.

    Returns
    -------
    list of Path
        The files written, in the order of ``formats``.

    Raises
    ------
    ParameterError
        If a format is not one of ``png``, ``svg``, ``pdf`` (nothing is written).

    Notes
    -----
    Each file is written with :func:`save` (no creation date, so the same figure
    gives the same file), atomically.

    Examples
    --------
    >>> import tempfile
    >>> from matplotlib.figure import Figure
    >>> fig = Figure(figsize=(2, 2)); _ = fig.subplots().plot([1, 2], [2, 1])
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     [p.name for p in save_figure(fig, Path(tmp) / "gain")]
    ['gain.png', 'gain.svg']
    """
    formats = [str(f).lower().lstrip(".") for f in formats]
    bad = [f for f in formats if f not in SAVE_FORMATS]
    if bad or not formats:
        raise ParameterError(
            f"save_figure: parameter 'formats' has {bad or formats!r}; allowed: png, svg, pdf"
        )
    stem = Path(stem)
    return [save(fig, stem.with_name(f"{stem.name}.{fmt}")) for fmt in formats]
