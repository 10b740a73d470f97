"""What report notebooks record for the runner: headline numbers, result tables, figures."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any

from evalkit.errors import ParameterError
from evalkit.reporting.headlines import Headline

#: Output mimetype under which notebooks record their headline numbers
#: (see :func:`record`); never rendered in the HTML.
RECORD_MIMETYPE = "application/vnd.evalkit.record+json"
#: Output mimetype of the JSON copy of a displayed table (see
#: :func:`table_payload`); never rendered in the HTML.
TABLE_MIMETYPE = "application/vnd.evalkit.table+json"
#: Output mimetype of the results-ledger rows a notebook records (see
#: :func:`record_estimates`); never rendered in the HTML.
LEDGER_MIMETYPE = "application/vnd.evalkit.ledger+json"


#: Largest displayed table (in cells) copied for the CSV/XLSX appendix.
TABLE_MAX_CELLS = 200_000


# --- recording headline numbers (called inside notebooks) ---------------------------


def _jsonable(value: Any) -> Any:
    """Convert numpy/pandas scalars and containers to plain JSON values (NaN -> None)."""
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if hasattr(value, "to_dict") and not isinstance(value, type):
        return _jsonable(value.to_dict())
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "item") and callable(value.item):
        try:
            value = value.item()
        except (ValueError, TypeError):
            return str(value)
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return str(value)


def record(values: Headline | Mapping[str, Any] | None = None, /, **more: Any) -> None:
    """Record headline numbers of a report in the executed notebook.

    The values are displayed under the ``application/vnd.evalkit.record+json``
    mimetype: invisible in the HTML report, kept in the executed notebook, read back by
    the runner (for ``reports/index.html``) and by the tests (which compare them with
    direct evalkit calls). Numpy and pandas values become plain JSON; NaN becomes null.

    Parameters
    ----------
    values : Headline or mapping, optional
        The report's headline (:mod:`evalkit.reporting.headlines`: its fields that are
        not None), or names and values.
    **more
        More names and values.

    Examples
    --------
    Outside a kernel nothing is displayed; what would be recorded:

    >>> from evalkit.reporting.headlines import ImpactHeadline
    >>> recording(ImpactHeadline(study="demo", title="Impact", mde_units=float("nan")))
    {'study': 'demo', 'title': 'Impact', 'mde_units': None}
    """
    data = recording(values, **more)
    try:
        from IPython import get_ipython
        from IPython.display import display

        if get_ipython() is not None:
            display({RECORD_MIMETYPE: data}, raw=True)
    except ImportError:  # pragma: no cover - IPython is a dependency of ipykernel
        pass


def recording(values: Headline | Mapping[str, Any] | None = None, /, **more: Any) -> dict:
    """The JSON :func:`record` displays for ``values`` and ``more``.

    Examples
    --------
    >>> recording({"n": 3, "mean": float("nan")}, title="T")
    {'n': 3, 'mean': None, 'title': 'T'}
    """
    if isinstance(values, Headline):
        values = values.to_record()
    return _jsonable({**(values or {}), **more})


def record_table(frame: Any, name: str) -> None:
    """Keep a numeric result table for the report's appendix, without showing it.

    The tables a report displays are formatted for reading (decimal commas, "< 5");
    colleagues who re-analyse in Excel or SPSS want the numbers. ``record_table``
    stores ``frame`` under the :data:`TABLE_MIMETYPE` (invisible in the HTML); the
    runner writes it to ``reports/<study>/tables/<report>-<name>.csv`` and as a sheet
    of the study's ``tables.xlsx``. Outside a kernel nothing happens.

    Parameters
    ----------
    frame : DataFrame or Series
        A tidy result (aggregates only: never participant-level rows); a Series is
        kept as one row.
    name : str
        Lower-case name of the table, e.g. ``"scale_scores"`` (letters, digits, ``_``).

    Examples
    --------
    >>> import pandas as pd
    >>> record_table(pd.DataFrame({"n": [3]}), "counts")  # no kernel: nothing shown
    >>> record_table(pd.DataFrame({"n": [3]}), "Bad name")
    Traceback (most recent call last):
    ...
    evalkit.errors.ParameterError: record_table: parameter 'name' must be lower-case letters, digits and '_' starting with a letter, got 'Bad name'
    """
    if not isinstance(name, str) or not TABLE_NAME.fullmatch(name):
        raise ParameterError(
            "record_table: parameter 'name' must be lower-case letters, digits and '_' "
            f"starting with a letter, got {name!r}"
        )
    import pandas as pd

    if isinstance(frame, pd.Series):  # a one-row result, e.g. paired_change without by=
        frame = frame.to_frame().T
    payload = table_payload(frame)
    if payload is None:
        return
    try:
        from IPython import get_ipython
        from IPython.display import display

        if get_ipython() is not None:
            display({TABLE_MIMETYPE: {**payload, "name": name}}, raw=True)
    except ImportError:  # pragma: no cover - IPython is a dependency of ipykernel
        pass


TABLE_NAME = re.compile(r"[a-z][a-z0-9_]*")


def record_estimates(rows: Any) -> None:
    """Record rows of the study's results ledger (``reports/<study>/results.csv``).

    ``rows`` come from :func:`evalkit.reporting.ledger.estimates`: one row per estimate
    the report shows. They are displayed under :data:`LEDGER_MIMETYPE` (invisible in the
    HTML); the runner collects them from every report of the study, adds the report's
    name, and writes ``results.csv`` and the ``results`` sheet of ``tables.xlsx``.
    Outside a kernel nothing happens.

    Parameters
    ----------
    rows : DataFrame
        Ledger rows (:data:`evalkit.reporting.ledger.LEDGER_COLUMNS`).

    Examples
    --------
    >>> import pandas as pd
    >>> from evalkit.reporting.ledger import estimates
    >>> change = pd.Series({"n": 30, "mean_diff": 12.5, "ci_low": 9.0, "ci_high": 16.0})
    >>> rows = estimates(change, level=2, outcome="test score", estimand="mean_change",
    ...                  method="paired t", estimate="mean_diff")
    >>> record_estimates(rows)  # no kernel: nothing shown
    >>> estimates_payload(rows)[0]["estimate"]
    12.5
    """
    payload = estimates_payload(rows)
    try:
        from IPython import get_ipython
        from IPython.display import display

        shell = get_ipython()
        if shell is not None:
            display({LEDGER_MIMETYPE: {"rows": payload}}, raw=True)
            # keyed by what the row estimates: a cell run again (Run All twice in
            # JupyterLab) replaces its rows instead of adding them a second time
            kept = shell.user_ns.setdefault(SESSION_ROWS, {})
            kept.update({tuple(row[k] for k in SESSION_KEY): row for row in payload})
    except ImportError:  # pragma: no cover - IPython is a dependency of ipykernel
        pass


#: Name under which a kernel's user namespace keeps the ledger rows recorded so far
#: (cleared with the namespace before each notebook a warm kernel runs).
SESSION_ROWS = "_evalkit_ledger_rows"
#: What makes two ledger rows of one report the same estimate (no demo report records
#: two rows with the same values of these columns).
SESSION_KEY = ("level", "outcome", "estimand", "group", "method")


def session_estimates() -> list[dict[str, Any]]:
    """The ledger rows :func:`record_estimates` recorded so far in this kernel, in order.

    A notebook reads them to write from its own results (the executive summary and the
    recommendations, :mod:`evalkit.reporting.summary`); :func:`recorded_estimates` reads
    the same rows from the executed notebook. An estimate recorded again (a cell run
    twice) is there once, with its latest values. Outside a kernel: an empty list.

    Examples
    --------
    >>> session_estimates()  # no kernel
    []
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency of ipykernel
        return []
    shell = get_ipython()
    if shell is None:
        return []
    return [dict(row) for row in shell.user_ns.get(SESSION_ROWS, {}).values()]


def estimates_payload(rows: Any) -> list[dict[str, Any]]:
    """Ledger rows as plain JSON records (NaN -> None), checked to be ledger rows."""
    import pandas as pd

    from evalkit.reporting.ledger import LEDGER_COLUMNS

    if not isinstance(rows, pd.DataFrame) or list(rows.columns) != list(LEDGER_COLUMNS):
        raise ParameterError(
            "record_estimates: parameter 'rows' must be the DataFrame "
            "evalkit.reporting.ledger.estimates returns"
        )
    return [
        {name: cell_value(value) for name, value in zip(LEDGER_COLUMNS, row, strict=True)}
        for row in rows.itertuples(index=False, name=None)
    ]


def recorded_estimates(nb: Any) -> list[dict[str, Any]]:
    """The ledger rows a notebook recorded with :func:`record_estimates`, in cell order.

    Examples
    --------
    >>> import nbformat
    >>> out = nbformat.v4.new_output(
    ...     "display_data", data={LEDGER_MIMETYPE: {"rows": [{"estimand": "mean"}]}})
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[out])])
    >>> recorded_estimates(nb)
    [{'estimand': 'mean'}]
    """
    rows: list[dict[str, Any]] = []
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            data = out.get("data", {}).get(LEDGER_MIMETYPE)
            if isinstance(data, Mapping) and isinstance(data.get("rows"), list):
                rows += [dict(r) for r in data["rows"] if isinstance(r, Mapping)]
    return rows


def recorded(nb: Any) -> dict[str, Any]:
    """The values a notebook recorded with :func:`record`, merged in cell order.

    Examples
    --------
    >>> import nbformat
    >>> out = nbformat.v4.new_output("display_data", data={RECORD_MIMETYPE: {"n": 5}})
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[out])])
    >>> recorded(nb)
    {'n': 5}
    """
    values: dict[str, Any] = {}
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            data = out.get("data", {}).get(RECORD_MIMETYPE)
            if isinstance(data, Mapping):
                values.update(data)
    return values


# --- what the warm kernel adds to displayed figures and tables ------------------------


def cell_value(value: Any) -> Any:
    """One table cell as a JSON scalar (containers become JSON text)."""
    value = _jsonable(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def table_payload(frame: Any) -> dict[str, Any] | None:
    """A displayed DataFrame as plain JSON: ``{"columns": [...], "data": [[...], ...]}``.

    The index becomes leading columns (unnamed levels are called ``label``,
    ``label_2``, ...) unless it is the default range index; column labels of a
    column MultiIndex are joined with `` / ``; repeated names get ``_2``, ``_3``.
    Values become JSON scalars (NaN -> null). A text in ``frame.attrs["caption"]`` is kept
    as ``"caption"``: the report's caption of the table, instead of its section heading.
    Tables over :data:`TABLE_MAX_CELLS`
    cells, and anything that is not a DataFrame, give None.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"n": [3, 4]}, index=pd.Index(["a", "b"], name="item"))
    >>> table_payload(frame)
    {'columns': ['item', 'n'], 'data': [['a', 3], ['b', 4]]}
    >>> table_payload(pd.DataFrame({"x": [1.5, float("nan")]}))
    {'columns': ['x'], 'data': [[1.5], [None]]}
    """
    try:
        import pandas as pd

        if not isinstance(frame, pd.DataFrame) or frame.size > TABLE_MAX_CELLS:
            return None
        index = frame.index
        plain = isinstance(index, pd.RangeIndex) and index.name is None
        head: list[str] = []
        if not plain:
            head = [
                str(name) if name not in (None, "") else ("label" if i == 0 else f"label_{i + 1}")
                for i, name in enumerate(index.names)
            ]
        head += [" / ".join(map(str, c)) if isinstance(c, tuple) else str(c) for c in frame.columns]
        columns: list[str] = []
        for name in head:
            unique, n = name, 1
            while unique in columns:
                n += 1
                unique = f"{name}_{n}"
            columns.append(unique)
        rows = []
        for key, values in zip(index, frame.itertuples(index=False, name=None), strict=True):
            keys = [] if plain else list(key) if isinstance(key, tuple) else [key]
            rows.append([cell_value(v) for v in (*keys, *values)])
        caption = frame.attrs.get("caption")
        return {"columns": columns, "data": rows, **({"caption": caption} if caption else {})}
    except Exception:  # a table the appendix cannot hold must not break the report
        return None


def figure_svg(fig: Any) -> str | None:
    """An evalkit figure as SVG text, deterministic (fixed hash salt, no date).

    Drawn with the figure's own style (:data:`evalkit.reporting.figures.STYLE`), like its PNG.
    """
    try:
        import io

        import matplotlib as mpl

        from evalkit.reporting import figures

        buffer = io.BytesIO()
        with mpl.rc_context({**getattr(figures, "STYLE", {}), "svg.hashsalt": "evalkit"}):
            fig.savefig(buffer, format="svg", metadata={"Date": None})
        return buffer.getvalue().decode("utf-8")
    except Exception:  # the PNG is still shown; only the SVG file is missing
        return None
