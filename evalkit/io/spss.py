"""SPSS ``.sav`` files: reading raw exports, writing cleaned participant-level data.

Colleagues who analyse in SPSS send ``.sav`` files and expect ``.sav`` files
back. :func:`read_sav` reads one as text cells, the way :func:`evalkit.io.readers.read_table`
reads CSV and XLSX exports: value labels are applied (a ``sex`` coded 1/2 with
labels ``Laki-laki``/``Perempuan`` reads as the words), so the codebook maps
the same labels whatever the file format. The codes under the labels are kept
beside them (``attrs["codes"]``, :attr:`SavRows.codes`), so that a score column
whose values carry labels (``0 = "tidak lulus"``, ``50 = "maksimal"``) is still
read as its numbers. :func:`write_sav` writes a DataFrame
with variable labels, value labels and measurement levels, atomically;
:func:`participant_data` and :func:`write_participants_sav` build the
participant-level file of a cleaned study (one row per participant in a cohort,
pseudonymous ids only).

pyreadstat is imported only when a function runs.

Examples
--------
>>> import tempfile, pandas as pd
>>> from pathlib import Path
>>> frame = pd.DataFrame({"sex": [1, 2, 2], "post": [80.5, 72.0, None]})
>>> with tempfile.TemporaryDirectory() as tmp:
...     path = write_sav(frame, Path(tmp) / "x.sav",
...                      variable_labels={"post": "Post-test score"},
...                      value_labels={"sex": {1: "Laki-laki", 2: "Perempuan"}})
...     read_sav(path).to_dict("list")
{'sex': ['Laki-laki', 'Perempuan', 'Perempuan'], 'post': ['80.5', '72', '']}
"""

from __future__ import annotations

import math
import re
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from evalkit.errors import DataError, ParameterError

#: Longest SPSS variable name (bytes) and label.
MAX_NAME = 64


MAX_LABEL = 256


# --- reading ------------------------------------------------------------------------
def _cell(value: Any) -> str:
    """Text of one SPSS value, as :mod:`evalkit.io` writes a spreadsheet cell."""
    from evalkit.io.excel import cell_text

    if value is None or value is pd.NaT or value is pd.NA:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    return cell_text(value)


def _read(path: Path) -> tuple[pd.DataFrame, Any]:
    try:
        import pyreadstat
    except ImportError as err:  # pragma: no cover - pyreadstat is a dependency
        raise DataError("reading .sav needs pyreadstat (pip install pyreadstat)",
                        file=path.name) from err  # fmt: skip
    if not path.is_file():
        raise DataError("file does not exist", file=str(path))
    try:
        return pyreadstat.read_sav(str(path), apply_value_formats=False, user_missing=False)
    except Exception as err:  # pyreadstat raises ReadstatError, PyreadstatError, OSError
        raise DataError(
            f"cannot open as an SPSS .sav file ({type(err).__name__}: {err})", file=path.name
        ) from err


def read_sav(path: Path | str) -> pd.DataFrame:
    """Read an SPSS ``.sav`` file with every cell as text and value labels applied.

    Parameters
    ----------
    path : Path or str
        The ``.sav`` file; only read.

    Returns
    -------
    pandas.DataFrame
        One object column of strings per SPSS variable (named by the variable
        name), empty cells and system- or user-missing values as ``""``, index
        0..n-1 (a row's spreadsheet-style number is ``index + 2``). A value with
        a value label reads as the label; other numbers read as a spreadsheet
        shows them (``"78.5"``, ``"3"``); dates as ISO text. Numbers of 16 or
        more digits (an NIP stored as a number) cannot be held exactly by SPSS
        and read in scientific notation, so cleaning quarantines rather than
        guesses them. ``attrs`` holds ``header_row`` (1),
        ``variable_labels`` (name -> label), ``value_labels``
        (name -> {code: label}) and ``codes`` (name of a variable with value
        labels -> its cells unlabelled, as text: ``"50"`` where the cell reads
        ``"maksimal"``).

    Raises
    ------
    DataError
        Naming the file, if it is missing or not a readable ``.sav`` file.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = write_sav(pd.DataFrame({"q1": [1.0, 4.0, None]}), Path(tmp) / "a.sav",
    ...                   value_labels={"q1": {1: "Sangat Tidak Setuju", 4: "Sangat Setuju"}})
    ...     frame = read_sav(p)
    >>> frame["q1"].tolist(), frame.attrs["value_labels"]["q1"][4]
    (['Sangat Tidak Setuju', 'Sangat Setuju', ''], 'Sangat Setuju')
    >>> frame.attrs["codes"]["q1"]
    ['1', '4', '']
    """
    path = Path(path)
    raw, meta = _read(path)
    value_labels: dict[str, dict[Any, str]] = {
        str(k): dict(v) for k, v in (meta.variable_value_labels or {}).items()
    }
    columns: dict[str, list[str]] = {}
    codes: dict[str, list[str]] = {}
    for name in raw.columns:
        labels = value_labels.get(str(name), {})
        plain = [_cell(value) for value in raw[name].tolist()]
        if not labels:
            columns[str(name)] = plain
            continue
        cells = []
        for value, text in zip(raw[name].tolist(), plain, strict=True):
            if value in labels:
                cells.append(str(labels[value]))
            elif isinstance(value, float) and value.is_integer() and int(value) in labels:
                cells.append(str(labels[int(value)]))
            else:
                cells.append(text)
        columns[str(name)] = cells
        codes[str(name)] = plain
    frame = pd.DataFrame(columns, dtype=object, index=pd.RangeIndex(len(raw)))
    if frame.shape[1] == 0:
        raise DataError("the .sav file has no variables", file=path.name)
    frame.attrs["header_row"] = 1
    frame.attrs["variable_labels"] = {
        str(k): str(v) for k, v in (meta.column_names_to_labels or {}).items() if v
    }
    frame.attrs["value_labels"] = value_labels
    frame.attrs["codes"] = codes
    return frame


class SavRows(list):
    """The rows of a ``.sav`` file (header first) that also carry the unlabelled codes.

    ``codes`` maps the name of each variable with value labels to its cells as codes
    (text), one per data row: ``codes[name][i]`` is the code under row ``i + 1``.
    """

    def __init__(self, rows: list[list[str]], codes: Mapping[str, list[str]]) -> None:
        super().__init__(rows)
        self.codes = dict(codes)


def sav_rows(path: Path | str) -> SavRows:
    """The header and rows of a ``.sav`` file as lists of text cells, labels applied.

    The shape :func:`evalkit.io.readers.read_table` builds its frame from (header row
    first), so a reader of raw exports can treat ``.sav`` like CSV and XLSX. The
    unlabelled codes of the variables with value labels come along as
    :attr:`SavRows.codes`, for the columns cleaning reads as numbers.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = write_sav(pd.DataFrame({"a": ["x", "y"], "b": [2.0, 50.0]}), Path(tmp) / "a.sav",
    ...                   value_labels={"b": {50: "maksimal"}})
    ...     rows = sav_rows(p)
    >>> rows, rows.codes
    ([['a', 'b'], ['x', '2'], ['y', 'maksimal']], {'b': ['2', '50']})
    """
    frame = read_sav(path)
    rows = [list(frame.columns), *(list(r) for r in frame.itertuples(index=False, name=None))]
    return SavRows(rows, frame.attrs["codes"])


# --- writing ------------------------------------------------------------------------
def spss_name(name: object, taken: set[str] | None = None) -> str:
    """A valid, unique SPSS variable name for a column name.

    Letters, digits and ``_`` are kept, everything else becomes ``_``; a name
    not starting with a letter gets a ``v`` prefix (leading and trailing
    ``_`` are dropped); at most 64 characters;
    ``taken`` (lower-cased names already used, updated) makes it unique.

    Examples
    --------
    >>> spss_name("Nilai pre-test"), spss_name("1. Materi"), spss_name("_id")
    ('Nilai_pre_test', 'v1_Materi', 'id')
    """
    text = re.sub(r"[^A-Za-z0-9_]+", "_", str(name)).strip("_") or "v"
    if not text[0].isalpha():
        text = "v" + text
    text = text[:MAX_NAME]
    if taken is not None:
        base, n = text, 1
        while text.lower() in taken:
            n += 1
            suffix = f"_{n}"
            text = base[: MAX_NAME - len(suffix)] + suffix
        taken.add(text.lower())
    return text


def _measure(series: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(series.dtype) or not pd.api.types.is_numeric_dtype(series.dtype):
        return "nominal"
    return "scale"


def write_sav(
    frame: pd.DataFrame,
    path: Path | str,
    *,
    variable_labels: Mapping[str, str] | None = None,
    value_labels: Mapping[str, Mapping[Any, str]] | None = None,
    measures: Mapping[str, str] | None = None,
    file_label: str = "",
) -> Path:
    """Write a DataFrame to an SPSS ``.sav`` file atomically.

    Parameters
    ----------
    frame : pandas.DataFrame
        The data; columns of numbers, text, booleans (written 0/1 with labels
        ``tidak``/``ya``) or datetimes. Nullable integers become numbers with
        system-missing values.
    path : Path or str
        The ``.sav`` file to write (its folder is created).
    variable_labels : mapping, optional
        Column -> variable label (at most 256 characters; longer ones are cut).
    value_labels : mapping, optional
        Column -> {code: label} (numeric codes).
    measures : mapping, optional
        Column -> ``nominal``, ``ordinal`` or ``scale`` (default: ``scale`` for
        numbers, ``nominal`` otherwise).
    file_label : str, optional
        Label of the whole file.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    ParameterError
        If a column name is not a valid SPSS variable name (see
        :func:`spss_name`), or a label or measure names an unknown column.

    Notes
    -----
    The file is written to a temporary folder, then copied into place with
    :func:`evalkit.io.atomic.atomic_write`, so a run killed mid-write leaves the
    previous complete file.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = write_sav(pd.DataFrame({"ok": [True, False]}), Path(tmp) / "b.sav")
    ...     read_sav(p)["ok"].tolist()
    ['ya', 'tidak']
    """
    try:
        import pyreadstat
    except ImportError as err:  # pragma: no cover - pyreadstat is a dependency
        raise ParameterError("write_sav: needs pyreadstat (pip install pyreadstat)") from err
    from evalkit.io.atomic import atomic_write

    path = Path(path)
    variable_labels = dict(variable_labels or {})
    value_labels = {k: dict(v) for k, v in (value_labels or {}).items()}
    measures = dict(measures or {})
    for name in frame.columns:
        if spss_name(name) != name:
            raise ParameterError(
                f"write_sav: column {name!r} is not a valid SPSS variable name "
                f"(letters, digits and _, starting with a letter, at most {MAX_NAME}); "
                f"use {spss_name(name)!r}"
            )
    for what, given in (("variable_labels", variable_labels), ("value_labels", value_labels),
                        ("measures", measures)):  # fmt: skip
        unknown = sorted(set(given) - set(frame.columns))
        if unknown:
            raise ParameterError(
                f"write_sav: parameter {what!r} names column(s) {unknown} not in the frame; "
                f"columns are {list(frame.columns)}"
            )
    bad = {k: v for k, v in measures.items() if v not in ("nominal", "ordinal", "scale")}
    if bad:
        raise ParameterError(
            f"write_sav: parameter 'measures' has {bad}; allowed: nominal, ordinal, scale"
        )
    out = pd.DataFrame(index=frame.index)
    for name in frame.columns:
        series = frame[name]
        dtype = series.dtype
        if pd.api.types.is_bool_dtype(dtype):
            out[name] = series.astype("Float64").astype(float)
            value_labels.setdefault(name, {0: "tidak", 1: "ya"})
        elif pd.api.types.is_datetime64_any_dtype(dtype):
            out[name] = series.astype("datetime64[ns]")
        elif pd.api.types.is_numeric_dtype(dtype):
            out[name] = pd.to_numeric(series.astype(object), errors="coerce").astype(float)
        else:
            out[name] = series.astype(object).map(lambda v: "" if v is None or v is pd.NA or
                                                  (isinstance(v, float) and math.isnan(v))
                                                  else str(v))  # fmt: skip
        measures.setdefault(name, _measure(series))
    labels = {k: str(v)[:MAX_LABEL] for k, v in variable_labels.items()}
    out = out.reset_index(drop=True)
    with tempfile.TemporaryDirectory(prefix="evalkit-sav-") as tmp:
        tmp_path = Path(tmp) / "out.sav"
        pyreadstat.write_sav(
            out, str(tmp_path), file_label=file_label[:64], column_labels=labels or None,
            variable_value_labels=value_labels or None, variable_measure=measures,
        )  # fmt: skip

        def copy(fh: Any) -> None:
            with open(tmp_path, "rb") as src:
                shutil.copyfileobj(src, fh)

        return atomic_write(path, copy)
