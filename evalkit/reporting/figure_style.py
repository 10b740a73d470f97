"""How evalkit figures look, and how they are rendered: palette, style, shared drawing steps.

Every figure of :mod:`evalkit.reporting.figures` is drawn inside :data:`STYLE`
(decorator :func:`styled`), on a :class:`ReportFigure` from :func:`new_figure`, which a
notebook displays as one PNG without pyplot. The steps the figures share live here:
wrapping long labels (:func:`wrap_label`) and titles (:func:`set_title`), checking
columns (:func:`require_columns`), the decimal comma on Indonesian axes
(:func:`localize_axis`) and whole-number count axes (:func:`count_axis`).

Rendering is deterministic: :func:`figure_bytes` is the one call of ``savefig``
(fixed ``svg.hashsalt``, no creation date, no software stamp), used for the notebook
PNG (:func:`to_png`) and for saved files (:mod:`evalkit.reporting.figure_files`).

Colours are colour-blind safe: the categorical palette is Okabe & Ito's (2008),
distinguishable in the common colour-vision deficiencies.

Examples
--------
>>> fig, ax = new_figure(2, 2)
>>> to_png(fig)[:4], PALETTE[0]
(b'\x89PNG', '#0072B2')
"""

from __future__ import annotations

import functools
import io
import textwrap
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import matplotlib as mpl
import pandas as pd
from matplotlib.figure import Figure

from evalkit.errors import ParameterError
from evalkit.reporting.formats import fmt_num

#: Okabe & Ito (2008) colour-blind-safe categorical palette (black omitted).
PALETTE = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
)


#: Grey of reference lines and of the points behind the means.
GREY = "#8c8c8c"

#: Resolution of the notebook PNG and of saved bitmaps (dots per inch).
DPI = 110


#: Matplotlib settings of every evalkit figure.
STYLE: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": mpl.cycler(color=PALETTE),
    "axes.grid": False,
    "legend.frameon": False,
    "svg.hashsalt": "evalkit",
    "svg.fonttype": "none",
    "savefig.dpi": DPI,
    "figure.dpi": DPI,
}


_F = TypeVar("_F", bound=Callable[..., Figure])


def styled(func: _F) -> _F:
    """Decorate a figure function to draw inside :data:`STYLE`, whatever the global rcParams.

    Examples
    --------
    >>> @styled
    ... def tiny() -> Figure:
    ...     return new_figure(2, 2)[0]
    >>> tiny().dpi == DPI
    True
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Figure:
        with mpl.rc_context(STYLE):
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


class ReportFigure(Figure):
    """A matplotlib Figure that notebooks display as one PNG, drawn once.

    IPython asks ``_repr_mimebundle_`` first, so the figure is shown without pyplot
    or the inline backend (whose tight bounding box draws every figure twice; the
    constrained layout already fits the labels).
    """

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        width, height = self.get_size_inches() * self.dpi
        data = {
            "image/png": to_png(self),
            "text/plain": f"<Figure {width:.0f}x{height:.0f}>",
        }
        return data, {"image/png": {"alt": figure_alt(self)}}


def figure_alt(fig: Figure) -> str:
    """A figure's text alternative: its title, then each panel's title and axis labels.

    The HTML report gives it to the figure's ``<img alt=...>`` and its numbered
    caption, so that a screen reader, a search and a citation find what the figure shows.

    Examples
    --------
    >>> fig, ax = new_figure(3, 2)
    >>> _ = ax.set(title="Skor per dimensi, n = 30", xlabel="Indeks", ylabel="Dimensi")
    >>> figure_alt(fig)
    'Skor per dimensi, n = 30 (Indeks; Dimensi)'
    """
    parts: list[str] = []
    suptitle = getattr(fig, "_suptitle", None)
    if suptitle is not None and suptitle.get_text().strip():
        parts.append(" ".join(suptitle.get_text().split()))
    for ax in fig.get_axes():
        titles = (ax.get_title(loc=loc) for loc in ("left", "center", "right"))
        title = " ".join(" ".join(t for t in titles if t.strip()).split())
        labels = [" ".join(t.split()) for t in (ax.get_xlabel(), ax.get_ylabel()) if t.strip()]
        text = f"{title} ({'; '.join(labels)})" if title and labels else title or "; ".join(labels)
        if text.strip() and text not in parts:
            parts.append(text.strip())
    return ". ".join(parts)


def new_figure(width: float, height: float) -> tuple[Figure, Any]:
    """A :class:`ReportFigure` of ``width`` x ``height`` inches (constrained layout) and its axes.

    Examples
    --------
    >>> fig, ax = new_figure(4, 3)
    >>> [float(v) for v in fig.get_size_inches()], type(fig).__name__
    ([4.0, 3.0], 'ReportFigure')
    """
    fig = ReportFigure(figsize=(width, height), dpi=DPI, layout="constrained")
    return fig, fig.add_subplot()


#: Widest label line (characters) before a label wraps onto the next line.
LABEL_WIDTH = 40


def wrap_label(text: str, width: int = LABEL_WIDTH) -> str:
    """Wrap a long label onto several lines at word boundaries, never cutting it.

    Examples
    --------
    >>> print(wrap_label("Materi pelatihan sesuai dengan kebutuhan tugas saya sehari-hari", 30))
    Materi pelatihan sesuai dengan
    kebutuhan tugas saya
    sehari-hari
    """
    return "\n".join(textwrap.wrap(str(text), width, break_on_hyphens=False)) or str(text)


def set_title(fig: Figure, ax: Any, title: str) -> None:
    """Set a bold axes title, wrapped to the width left of the figure by the y labels.

    The title is left-aligned with the axes, which start right of the y tick labels;
    a title longer than the remaining width would be cut off at the figure edge.
    Called while :data:`STYLE` is in force (inside a :func:`styled` function), whose
    font sizes it measures with.

    Examples
    --------
    >>> fig, ax = new_figure(3, 2)
    >>> with mpl.rc_context(STYLE):
    ...     set_title(fig, ax, "A title far too long for a figure only three inches wide")
    >>> "\\n" in ax.get_title(loc="left")
    True
    """
    size = float(mpl.rcParams["axes.titlesize"])
    tick_size = float(mpl.rcParams["font.size"])
    labels = [t.get_text() for t in ax.get_yticklabels()]
    widest = max((len(line) for t in labels for line in t.splitlines()), default=0)
    free = fig.get_size_inches()[0] * 72 - 0.62 * tick_size * widest - 40
    chars = max(int(free / (0.62 * size)), 25)
    ax.set_title("\n".join(textwrap.fill(part, chars) for part in str(title).split("\n")))


def require_columns(data: pd.DataFrame, columns: Sequence[str], func: str) -> None:
    """Raise :class:`~evalkit.errors.ParameterError` naming ``func`` if ``data`` lacks a column.

    Examples
    --------
    >>> require_columns(pd.DataFrame({"a": [1]}), ["a", "b"], "my_plot")
    Traceback (most recent call last):
    ...
    evalkit.errors.ParameterError: my_plot: column(s) ['b'] not in data; columns are ['a']
    """
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise ParameterError(
            f"{func}: column(s) {missing} not in data; columns are {list(data.columns)}"
        )


def localize_axis(ax: Any, lang: str, axis: str = "x") -> None:
    """Use the decimal comma on a numeric axis (``"x"`` or ``"y"``) of an Indonesian figure.

    Examples
    --------
    >>> fig, ax = new_figure(3, 2)
    >>> localize_axis(ax, "id", "x")
    >>> ax.xaxis.get_major_formatter()(2.5, 0)
    '2,5'
    """
    if lang != "id":
        return
    from matplotlib.ticker import FuncFormatter

    def fmt(value: float, _pos: Any) -> str:
        digits = f"{value:.6f}".rstrip("0").split(".")[1]  # as many decimals as the tick has
        return fmt_num(value, len(digits), lang)

    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_formatter(FuncFormatter(fmt))


def count_axis(ax: Any, axis: str = "y") -> None:
    """Whole-number ticks on an axis of counts (no "2.5 people").

    Examples
    --------
    >>> fig, ax = new_figure(3, 2)
    >>> count_axis(ax, "y")
    >>> type(ax.yaxis.get_major_locator()).__name__
    'MaxNLocator'
    """
    from matplotlib.ticker import MaxNLocator

    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_locator(MaxNLocator(integer=True))


#: Metadata that would make two files of the same figure differ, per format (the rest
#: take the PNG key). The PDF backend calls its date ``CreationDate``.
_NO_STAMP: dict[str, dict[str, None]] = {
    "png": {"Software": None},
    "svg": {"Date": None},
    "pdf": {"CreationDate": None},
}


def figure_bytes(fig: Figure, fmt: str = "png", *, tight: bool = True) -> bytes:
    """Render ``fig`` as bytes in ``fmt`` (``png``, ``svg``, ``pdf``), without date or stamp.

    This is the one place a figure is rendered to bytes: :func:`to_png` (what a
    notebook shows) and :func:`evalkit.reporting.figure_files.save` (a file) call it.

    Parameters
    ----------
    fig : Figure
    fmt : str
        A matplotlib output format.
    tight : bool
        Crop to the drawn area (``bbox_inches="tight"``), as saved files are; the
        notebook PNG keeps the figure's own size.

    Examples
    --------
    >>> fig, ax = new_figure(2, 2)
    >>> figure_bytes(fig, "svg") == figure_bytes(fig, "svg")
    True
    >>> b"CreationDate" in figure_bytes(fig, "pdf")
    False
    """
    buffer = io.BytesIO()
    metadata = _NO_STAMP.get(fmt, {"Software": None})
    extra = {"bbox_inches": "tight"} if tight else {}
    with mpl.rc_context(STYLE):
        fig.savefig(buffer, format=fmt, metadata=metadata, **extra)
    return buffer.getvalue()


def to_png(fig: Figure) -> bytes:
    """Render ``fig`` as PNG bytes at its own size (one draw, no timestamp).

    Examples
    --------
    >>> fig, ax = new_figure(2, 2)
    >>> to_png(fig)[:4]
    b'\\x89PNG'
    """
    return figure_bytes(fig, "png", tight=False)
