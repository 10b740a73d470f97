"""Exceptions and warnings raised by evalkit.

Every error evalkit raises on purpose is an :class:`EvalkitError`. The specific
subclasses are also :class:`ValueError`, so callers that already catch
``ValueError`` keep working.

An :class:`EvalkitWarning` is shown as ``EvalkitWarning: <message>`` only, without the
file and line of the code that warned (:func:`format_warning`): a notebook run by plain
papermill and nbconvert shows its warnings to the reader, and a path on the user's
machine means nothing to them. Other warnings are formatted as Python formats them.

Examples
--------
>>> from evalkit.errors import ParameterError
>>> try:
...     raise ParameterError("cronbach_alpha: parameter 'ci' must be in (0, 1), got 1.5")
... except ValueError as err:
...     print(err)
cronbach_alpha: parameter 'ci' must be in (0, 1), got 1.5
"""

from __future__ import annotations

import warnings


class EvalkitError(Exception):
    """Base class of every error evalkit raises on purpose."""


class ParameterError(EvalkitError, ValueError):
    """A function argument is invalid (wrong value, type, shape or column)."""


class DataError(EvalkitError, ValueError):
    """Input data cannot be used; the message names file, row and column.

    Parameters
    ----------
    message : str
        What is wrong and what would be valid.
    file, row, column : optional
        Where the problem is. ``row`` is the 1-based row number as a
        spreadsheet shows it (the header is row 1).
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.file, self.row, self.column = file, row, column
        where = ", ".join(
            part
            for part in (
                f"file {file}" if file is not None else "",
                f"row {row}" if row is not None else "",
                f"column {column!r}" if column is not None else "",
            )
            if part
        )
        super().__init__(f"{where}: {message}" if where else message)


class CodebookError(EvalkitError, ValueError):
    """The codebook (YAML) is malformed or does not match the raw exports."""


class StorageError(EvalkitError):
    """A file cannot be read or written: no permission, read-only or full disk, removed."""


class LockedError(EvalkitError, RuntimeError):
    """Another run holds the study's lock (and the caller chose not to wait)."""


class ReportError(EvalkitError, RuntimeError):
    """One or more studies failed to execute or export."""


class EvalkitWarning(UserWarning):
    """A recoverable issue: degenerate statistics, suspicious data, small n."""


_python_formatwarning = getattr(warnings.formatwarning, "python_formatwarning", None) or (
    warnings.formatwarning
)


def format_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    line: str | None = None,
) -> str:
    """Format a warning: an :class:`EvalkitWarning` as its class and message, without a path.

    Installed as :func:`warnings.formatwarning` when :mod:`evalkit.errors` is imported.

    Examples
    --------
    >>> format_warning(EvalkitWarning("ikm: 6 missing answer(s) skipped"), EvalkitWarning,
    ...                "/home/u/evalkit/metrics/results.py", 120)
    'EvalkitWarning: ikm: 6 missing answer(s) skipped\\n'
    >>> format_warning("old", DeprecationWarning, "x.py", 3, line="").startswith("x.py:3:")
    True
    """
    if isinstance(category, type) and issubclass(category, EvalkitWarning):
        return f"{category.__name__}: {message}\n"
    return _python_formatwarning(message, category, filename, lineno, line)


format_warning.python_formatwarning = _python_formatwarning  # type: ignore[attr-defined]
warnings.formatwarning = format_warning
