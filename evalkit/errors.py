"""Exceptions and warnings raised by evalkit.

Every error evalkit raises on purpose is an :class:`EvalkitError`. The specific
subclasses are also :class:`ValueError`, so callers that already catch
``ValueError`` keep working.

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
