"""Typing the processed tables' columns as they are written.

Where it sits in cleaning: :func:`evalkit.data.build.build_tables` keeps the long tables
compact (text as categoricals, numbers in narrow dtypes: a million forms make seventeen
million answers); :func:`evalkit.data.clean.clean_study` writes them with the functions
here, one Parquet row group at a time, in the output dtypes of
:func:`evalkit.data.schema.output_dtype` (:func:`as_dtype`, which the builders also use
for the small tables).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd

from evalkit.data.schema import OUTPUT_COLUMNS, output_dtype
from evalkit.io.atomic import ROW_GROUP_ROWS

#: Rows of a long table typed (and written) at a time: one Parquet row group of
#: :func:`evalkit.io.atomic.write_parquet`, so that writing chunk by chunk gives the bytes
#: of writing all at once.
CHUNK_ROWS = ROW_GROUP_ROWS


def final_chunks(frame: pd.DataFrame, table: str) -> Iterator[pd.DataFrame]:
    """A processed table in its output dtypes, :data:`CHUNK_ROWS` rows at a time.

    Text columns become Python text (missing as None), integers nullable ``Int64``...
    (:func:`evalkit.data.schema.output_dtype`), as :func:`_finish` types a table. Yields
    at least one (possibly empty) chunk.

    Examples
    --------
    >>> frame = pd.DataFrame({"item": pd.Categorical(["b", "a"]), "score": [1.0, 2.0]})
    >>> [c.dtypes.astype(str).tolist() for c in final_chunks(frame, "reaction")][0][:4]
    ['object', 'object', 'object', 'object']
    """
    for start in range(0, max(len(frame), 1), CHUNK_ROWS):
        part = frame.iloc[start : start + CHUNK_ROWS].reset_index(drop=True)
        yield pd.DataFrame({
            col: as_dtype(part[col], output_dtype(table, col)) if col in part
            else as_dtype(pd.Series(None, index=part.index, dtype=object),
                           output_dtype(table, col))
            for col in OUTPUT_COLUMNS[table]
        })  # fmt: skip


def arrow_chunks(frame: pd.DataFrame, table: str, schema: Any) -> Iterator[Any]:
    """:func:`final_chunks` as Arrow tables of ``schema``, text taken in Arrow.

    A categorical text column becomes its categories taken by code (in C), rather than
    a Python text per row converted back; the values, and so the Parquet bytes, are the
    ones :func:`final_chunks` gives.

    Examples
    --------
    >>> import pyarrow as pa
    >>> frame = pd.DataFrame({"item": pd.Categorical(["b", None]), "score": [1.0, 2.0]})
    >>> schema = pa.Schema.from_pandas(final_sample(frame, "reaction"), preserve_index=False)
    >>> next(arrow_chunks(frame, "reaction", schema)).column("item").to_pylist()
    ['b', None]
    """
    import pyarrow as pa

    for start in range(0, max(len(frame), 1), CHUNK_ROWS):
        part = frame.iloc[start : start + CHUNK_ROWS].reset_index(drop=True)
        arrays = []
        for field_ in schema:
            col, dtype = field_.name, output_dtype(table, field_.name)
            series = part[col] if col in part else None
            if (series is not None and dtype == "object" and pa.types.is_string(field_.type)
                    and isinstance(series.dtype, pd.CategoricalDtype)):  # fmt: skip
                codes = series.cat.codes.to_numpy()
                texts = pa.array(series.cat.categories.to_numpy(dtype=object), type=field_.type)
                arrays.append(texts.take(pa.array(codes, mask=codes < 0)))
                continue
            if series is None:
                series = pd.Series(None, index=part.index, dtype=object)
            arrays.append(pa.Array.from_pandas(as_dtype(series, dtype), type=field_.type))
        yield pa.Table.from_arrays(arrays, schema=schema)


def final_sample(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """One row typed as :func:`final_chunks` types it, each column's first present value.

    Its Arrow schema (with pandas metadata) is the one of the whole table.

    Examples
    --------
    >>> frame = pd.DataFrame({"item": pd.Categorical([None, "a"]), "score": [1.0, 2.0]})
    >>> final_sample(frame, "reaction")[["item", "score"]].to_numpy().tolist()
    [['a', 1.0]]
    """
    out = {}
    for col in OUTPUT_COLUMNS[table]:
        series = frame[col] if col in frame else pd.Series(None, dtype=object)
        present = np.flatnonzero(series.notna().to_numpy())
        row = series.iloc[present[:1]] if len(present) else series.iloc[:1]
        if not len(row):
            row = pd.Series([None], dtype=object)
        out[col] = as_dtype(row.reset_index(drop=True), output_dtype(table, col))
    return pd.DataFrame(out)


def as_dtype(series: pd.Series, dtype: str) -> Any:
    """One column in its output dtype; a value that does not fit raises.

    Examples
    --------
    >>> as_dtype(pd.Series(pd.Categorical(["b", None, "a"])), "object").tolist()
    ['b', None, 'a']
    >>> as_dtype(pd.Series([4.0, None]), "Int64").tolist()
    [4, <NA>]
    """
    numeric = pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(
        series.dtype
    )
    if dtype == "Int64":
        numbers = series if numeric else pd.to_numeric(series.astype(object), errors="raise")
        return pd.array(np.trunc(numbers.astype("float64")), dtype="Int64")
    if dtype == "datetime64[ns]":
        if pd.api.types.is_datetime64_dtype(series.dtype):
            return series.astype("datetime64[ns]")
        if isinstance(series.dtype, pd.CategoricalDtype) and pd.api.types.is_datetime64_dtype(
            series.cat.categories.dtype
        ):  # the long tables' times: one per form
            times = np.append(series.cat.categories.to_numpy(dtype="datetime64[ns]"),
                              np.datetime64("NaT", "ns"))  # fmt: skip
            codes = series.cat.codes.to_numpy()
            return pd.Series(times[np.where(codes >= 0, codes, len(times) - 1)],
                             index=series.index)  # fmt: skip
        return pd.to_datetime(series.astype(object), errors="raise").astype("datetime64[ns]")
    if dtype == "boolean":
        return series.astype("boolean")
    if dtype == "float64":
        if numeric:
            return series.astype("float64")
        return pd.to_numeric(series.astype(object), errors="raise").astype("float64")
    if isinstance(series.dtype, pd.CategoricalDtype):  # text without a copy per step
        text = np.append(series.cat.categories.to_numpy(dtype=object), None)
        codes = series.cat.codes.to_numpy()
        picked = text[np.where(codes >= 0, codes, len(text) - 1)]
        return pd.Series(picked, index=series.index, dtype=object)
    return series.astype(object).where(series.notna(), None)
