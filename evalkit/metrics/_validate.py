"""Argument and column checks shared by the metric modules.

Every check raises :class:`evalkit.errors.ParameterError` with a message that names the
calling function (``func``), the parameter or column, the offending value and what would
be valid. The wording of a few messages differs between the Level 1-2 modules
(:mod:`evalkit.metrics.reaction`, :mod:`evalkit.metrics.learning`, :mod:`evalkit.metrics.compare`) and the
Level 3-5 modules (:mod:`evalkit.behavior`, :mod:`evalkit.results`, :mod:`evalkit.metrics.economics`,
:mod:`evalkit.metrics.power`); the keyword arguments that select it keep every message as it was
released.

Examples
--------
>>> from evalkit.metrics._validate import check_ci
>>> check_ci("f", 0.9)
0.9
>>> check_ci("f", 1.5)
Traceback (most recent call last):
...
evalkit.errors.ParameterError: f: parameter 'ci' must be in (0, 1), got 1.5
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Hashable, Iterable, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from evalkit.errors import EvalkitWarning, ParameterError

__all__ = [
    "check_choice",
    "check_ci",
    "check_finite_number",
    "numeric_array",
    "numeric_column",
    "numeric_matrix",
    "py",
    "require_columns",
    "require_frame",
    "require_named_columns",
    "require_numeric",
    "show",
    "warn",
]


# --- message helpers ---------------------------------------------------------------
def py(value: Any) -> Any:
    """A NumPy scalar as the Python scalar (for readable messages); anything else as is."""
    return value.item() if isinstance(value, np.generic) else value


def show(value: Any) -> str:
    """repr of a value for an error message, NumPy scalars shown as plain Python."""
    return repr(py(value))


def warn(func: str, message: str, stacklevel: int = 2) -> None:
    """Issue an :class:`EvalkitWarning` ``"<func>: <message>"``.

    ``stacklevel`` counts as in :func:`warnings.warn` called by the caller of this
    function: 2 (the default) points at the code that called the caller.
    """
    warnings.warn(f"{func}: {message}", EvalkitWarning, stacklevel=stacklevel + 1)


# --- scalar parameters ---------------------------------------------------------------
def check_ci(func: str, value: Any, name: str = "ci", *, say_number: bool = False) -> float:
    """Return ``value`` as a float after checking it is a number strictly between 0 and 1.

    Used for confidence levels, coverage, alpha and power. Python and NumPy floats and
    ints are accepted, booleans refused.
    ``say_number`` words the message "must be a number in (0, 1)" (Level 1-2
    modules) instead of "must be in (0, 1)" (Level 3-5 modules).
    """
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float | np.floating)
        or not 0 < value < 1
    ):
        expected = "a number in (0, 1)" if say_number else "in (0, 1)"
        raise ParameterError(f"{func}: parameter {name!r} must be {expected}, got {value!r}")
    return float(value)


def check_finite_number(func: str, value: Any, name: str, *, nonzero: bool = False) -> None:
    """Check that ``value`` is a finite real number (not a bool); with ``nonzero``, not 0."""
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float | np.number)
        or not math.isfinite(value)
        or (nonzero and value == 0)
    ):
        what = "a finite non-zero number" if nonzero else "a finite number"
        raise ParameterError(f"{func}: parameter {name!r} must be {what}, got {value!r}")


def check_choice(func: str, value: Any, name: str, choices: Any) -> None:
    """Check that ``value`` is one of ``choices`` (shown in the message as given)."""
    if value not in choices:
        raise ParameterError(f"{func}: parameter {name!r} must be one of {choices}, got {value!r}")


# --- tables and columns ----------------------------------------------------------------
def require_frame(
    func: str, data: Any, param: str, what: str = "a DataFrame", *, show_type: bool = True
) -> None:
    """Check that ``data`` is a DataFrame; ``what`` describes the expected table."""
    if not isinstance(data, pd.DataFrame):
        got = f", got {type(data).__name__}" if show_type else ""
        raise ParameterError(f"{func}: parameter {param!r} must be {what}{got}")


def require_columns(
    func: str,
    data: Any,
    columns: Sequence[Hashable],
    param: str = "data",
    *,
    what: str = "a pandas DataFrame",
    show_type: bool = True,
) -> None:
    """Check that the table ``param`` is a DataFrame holding every one of ``columns``."""
    require_frame(func, data, param, what, show_type=show_type)
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise ParameterError(
            f"{func}: {param} has no column(s) {missing}; available: {list(data.columns)}"
        )


def require_named_columns(
    func: str, data: pd.DataFrame, named: Iterable[tuple[str, Hashable]]
) -> None:
    """Check the columns named by parameters: ``named`` holds (parameter, column) pairs."""
    for param, column in named:
        if column not in data.columns:
            raise ParameterError(
                f"{func}: parameter {param!r} names column {column!r}, which is not in the "
                f"data; columns are {list(data.columns)}"
            )


def require_numeric(
    func: str,
    values: pd.Series,
    column: Hashable,
    *,
    bools: bool = True,
    of: str | None = None,
    example: Literal["bad", "first"] | None = "first",
) -> pd.Series:
    """``values`` as float, or ParameterError if its dtype is not numeric.

    Unlike :func:`numeric_column` this never parses text. ``bools`` accepts a boolean
    column (as 0/1). The message names ``column`` (``of`` the table, if given) and its
    dtype and, unless ``example`` is None, a value that is not a number (``"bad"``: the
    first such value, else None; ``"first"``: else the column's first value).
    """
    is_bool = pd.api.types.is_bool_dtype(values)
    if (is_bool and bools) or (not is_bool and pd.api.types.is_numeric_dtype(values)):
        return values.astype(float)
    where = "" if of is None else f" of {of}"
    detail = ""
    if example is not None:
        bad = values[pd.to_numeric(values, errors="coerce").isna() & values.notna()]
        if len(bad):
            shown = py(bad.iloc[0])
        elif example == "first" and len(values):
            shown = py(values.iloc[0])
        else:
            shown = None
        detail = f" (e.g. value {shown!r})"
    raise ParameterError(
        f"{func}: column {column!r}{where} must be numeric, got dtype {values.dtype}{detail}"
    )


def numeric_column(func: str, name: str, series: pd.Series) -> np.ndarray:
    """Float array of one column; numbers stored as text are parsed, answer labels raise.

    Booleans count as 0/1.
    """
    if pd.api.types.is_bool_dtype(series) or pd.api.types.is_numeric_dtype(series):
        return series.to_numpy(dtype=float, na_value=np.nan)
    converted = pd.to_numeric(series, errors="coerce")
    bad = series[converted.isna() & series.notna()]
    if len(bad):
        raise ParameterError(
            f"{func}: column {name!r} must hold numbers, got non-numeric value "
            f"{show(bad.iloc[0])} (row {show(bad.index[0])}); map answer labels to numbers first"
        )
    return converted.to_numpy(dtype=float, na_value=np.nan)


def numeric_array(func: str, name: str, values: Any) -> np.ndarray:
    """A 1-D float array from a Series/array-like (as :func:`numeric_column`)."""
    if isinstance(values, pd.DataFrame):
        raise ParameterError(
            f"{func}: parameter {name!r} must be one column (Series or 1-D array), "
            f"got a DataFrame with columns {list(values.columns)}"
        )
    series = values if isinstance(values, pd.Series) else pd.Series(np.asarray(values).ravel())
    return numeric_column(func, name, series)


def numeric_matrix(
    func: str, data: pd.DataFrame, exclude: Sequence[Hashable] = ()
) -> tuple[np.ndarray, list[Hashable]]:
    """Column-major float matrix of every column of ``data`` except ``exclude``, and the names."""
    require_frame(func, data, "items", "a DataFrame (rows = respondents, columns = items)")
    names = [c for c in data.columns if c not in set(exclude)]
    if len(data) == 0 or not names:
        raise ParameterError(
            f"{func}: parameter 'items' is empty ({len(data)} rows, {len(names)} item columns); "
            "at least 2 rows and 2 items are needed"
        )
    matrix = np.empty((len(data), len(names)), dtype=float, order="F")
    for j, name in enumerate(names):
        matrix[:, j] = numeric_column(func, str(name), data[name])
    return matrix, names
