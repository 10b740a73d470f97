"""Part of evalkit.exports."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from evalkit.errors import ParameterError

#: Figure formats written by :func:`save_figure`.
FIGURE_FORMATS = ("png", "svg")


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
        If a format is not one of ``png``, ``svg``, ``pdf``.

    Notes
    -----
    Saved through :func:`evalkit.reporting.figures.save` (no creation date, so the
    same figure gives the same file), to a buffer first and then atomically.

    Examples
    --------
    >>> import tempfile
    >>> from matplotlib.figure import Figure
    >>> fig = Figure(figsize=(2, 2)); _ = fig.subplots().plot([1, 2], [2, 1])
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     [p.name for p in save_figure(fig, Path(tmp) / "gain")]
    ['gain.png', 'gain.svg']
    """
    import tempfile

    from evalkit.io.atomic import atomic_write
    from evalkit.reporting.figures import save

    formats = [str(f).lower().lstrip(".") for f in formats]
    bad = [f for f in formats if f not in ("png", "svg", "pdf")]
    if bad or not formats:
        raise ParameterError(
            f"save_figure: parameter 'formats' has {bad or formats!r}; allowed: png, svg, pdf"
        )
    stem = Path(stem)
    written = []
    with tempfile.TemporaryDirectory(prefix="evalkit-fig-") as tmp:
        for fmt in formats:
            data = save(fig, Path(tmp) / f"figure.{fmt}").read_bytes()
            target = stem.with_name(f"{stem.name}.{fmt}")
            written.append(atomic_write(target, lambda fh, data=data: fh.write(data)))
    return written
