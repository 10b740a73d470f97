"""Building the ``retrospective`` table: then-test answers as BPKP's PTIA app collects them.

Alumni and their direct supervisors rate each item twice in one sitting, some months
after training: "before training" (*sebelum*) and "now" (*sesudah*), each on 1-4
(:data:`evalkit.constants.RETRO_SCALE`). The export is long, one row per answer, as
the app stores its answers (``project_jawaban_kuesioner``: ``nilai_sebelum``,
``nilai_sesudah``). :func:`retrospective_rows` is the step of cleaning between the
parsed rows and the written table (:func:`evalkit.data.build.build_tables` calls it):

- an answer with neither rating is dropped (``empty_response``);
- a rating outside 1-4 is quarantined (``out_of_range``) and its answer dropped: the
  pair is what the table is for, so half a pair is kept only when the other half is
  merely blank (the metrics then leave the answer out of every change);
- an aspect is written as :data:`evalkit.constants.PTIA_ASPECTS`'s key when the
  export gives the app's aspect name ("Kemampuan Implementasi Keilmuan" ->
  ``implementasi``); other aspect names are kept as given.

Examples
--------
>>> from pathlib import Path
>>> import pandas as pd
>>> from evalkit.data.codebook import parse_codebook
>>> from evalkit.data.quality import QualityLog
>>> from evalkit.data.cells import CleanContext
>>> ctx = CleanContext(parse_codebook({"study": "s", "tables": {}}), Path("."), QualityLog(),
...                    b"salt")
>>> frame = pd.DataFrame({"aspect": ["Motivasi", "motivasi", "Hasil Pelatihan"],
...     "rating_before": [2.0, None, 7.0], "rating_now": [3.0, None, 4.0],
...     "_spec": "r", "_file": "r.xlsx", "_row": [2, 3, 4]})
>>> retrospective_rows(frame, ctx)[["aspect", "rating_before", "rating_now"]]
     aspect  rating_before  rating_now
0  motivasi            2.0         3.0
>>> [e[4].split(":")[0] for e in ctx.log.entries]
['empty_response', 'out_of_range']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from evalkit import constants as C
from evalkit.data.cells import CleanContext
from evalkit.data.codebook import TableSpec, norm_label
from evalkit.data.read import mark_row, source_column
from evalkit.data.schema import RETRO_ITEM_SUFFIXES

__all__ = ["aspect_key", "paired_items", "retrospective_rows"]


def aspect_key(value: object) -> object:
    """The :data:`~evalkit.constants.PTIA_ASPECTS` key of an aspect, else the aspect as given.

    Examples
    --------
    >>> aspect_key("Kemampuan Implementasi  Keilmuan"), aspect_key("hasil"), aspect_key("Lain")
    ('implementasi', 'hasil', 'Lain')
    """
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    label = norm_label(value)
    for key, (name, *_rest) in C.PTIA_ASPECTS.items():
        if label in (norm_label(key), norm_label(name), norm_label(key.replace("_", " "))):
            return key
    return value


def paired_items(long: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    """Answer rows of a wide export: its ``<item>_sebelum`` / ``<item>_sesudah`` item pairs.

    Parameters
    ----------
    long : DataFrame
        The long item values of the wide rows (``_idx`` a row label of ``frame``,
        ``item``, ``dimension``, ``score``), as cleaning makes them for item tables.
    frame : DataFrame
        The parsed rows (person columns, ``_spec, _file, _row``).

    Returns
    -------
    DataFrame
        One row per form and item: the form's columns, ``item`` (the name without its
        suffix), ``aspect`` (the item's dimension), ``rating_before``, ``rating_now``.

    Examples
    --------
    >>> frame = pd.DataFrame({"cohort_id": ["A"], "_file": "w.csv", "_row": [2]}, index=[7])
    >>> long = pd.DataFrame({"_idx": [7, 7], "item": ["q1_sebelum", "q1_sesudah"],
    ...                      "dimension": "motivasi", "score": [2.0, 4.0]})
    >>> paired_items(long, frame)[["cohort_id", "item", "aspect", "rating_before", "rating_now"]]
      cohort_id item    aspect  rating_before  rating_now
    0         A   q1  motivasi            2.0         4.0
    """
    names = long[C.ITEM].astype(str)
    which = pd.Series(None, index=long.index, dtype=object)
    base = names.copy()
    for suffix, rating in RETRO_ITEM_SUFFIXES.items():
        hit = names.str.endswith(suffix)
        which[hit], base[hit] = rating, names[hit].str[: -len(suffix)]
    data = pd.DataFrame({"_idx": long["_idx"].to_numpy(), C.ITEM: base.to_numpy(),
                         "_which": which.to_numpy(), "_score": long[C.SCORE].to_numpy(),
                         C.ASPECT: long[C.DIMENSION].astype(object).to_numpy()})  # fmt: skip
    pairs = data.pivot_table(index=["_idx", C.ITEM], columns="_which", values="_score",
                             aggfunc="first")  # fmt: skip
    pairs = pairs.reindex(columns=[C.RATING_BEFORE, C.RATING_NOW])
    aspects = data.groupby(["_idx", C.ITEM])[C.ASPECT].first()
    pairs[C.ASPECT] = aspects.reindex(pairs.index).to_numpy()
    pairs = pairs.reset_index()
    rows = frame.loc[pairs["_idx"]].drop(columns=[C.ITEM, C.ASPECT, C.RATING_BEFORE,
                                                  C.RATING_NOW], errors="ignore")  # fmt: skip
    rows = rows[[c for c in rows.columns if not str(c).startswith("score:")]]
    out = pd.concat([rows.reset_index(drop=True), pairs.drop(columns="_idx")], axis=1)
    out.columns.name = None
    return out


def _source(ctx: CleanContext, spec_key: object, column: str) -> str:
    """The raw header of ``column`` in codebook table ``spec_key``."""
    spec: TableSpec | None = ctx.codebook.tables.get(str(spec_key))
    return source_column(spec, column) if spec is not None else column


def retrospective_rows(frame: pd.DataFrame, ctx: CleanContext) -> pd.DataFrame:
    """The parsed retrospective answers that are kept, with aspects as PTIA keys.

    Parameters
    ----------
    frame : DataFrame
        Parsed rows of every codebook table that fills ``retrospective`` (with ``_spec,
        _file, _row``); not changed.
    ctx : CleanContext
        The run: dropped and quarantined rows are logged (file, row, raw column) and
        marked.

    Returns
    -------
    DataFrame
        The rows kept, ``aspect`` normalised.
    """
    out = frame.copy()
    keep = np.ones(len(out), dtype=bool)
    ratings = {}
    for col in (C.RATING_BEFORE, C.RATING_NOW):
        ratings[col] = pd.to_numeric(
            out[col] if col in out else pd.Series(np.nan, index=out.index), errors="coerce"
        ).to_numpy(dtype=float)
    both_blank = np.isnan(ratings[C.RATING_BEFORE]) & np.isnan(ratings[C.RATING_NOW])
    low, high = C.RETRO_SCALE
    for pos in np.flatnonzero(both_blank):
        idx = out.index[pos]
        ctx.log.add(out.at[idx, "_file"], out.at[idx, "_row"], "", "",
                    "empty_response: no rating before or now", "dropped")  # fmt: skip
        mark_row(out, idx, ctx, "empty")
        keep[pos] = False
    for col, values in ratings.items():
        bad = ~np.isnan(values) & ((values < low) | (values > high) | (values != np.round(values)))
        for pos in np.flatnonzero(bad & keep):
            idx = out.index[pos]
            ctx.log.add(out.at[idx, "_file"], out.at[idx, "_row"],
                        _source(ctx, out.at[idx, "_spec"], col), f"{values[pos]:g}",
                        f"out_of_range: {col} {values[pos]:g} is not a whole number in "
                        f"{low}..{high}", "quarantined")  # fmt: skip
            mark_row(out, idx, ctx, "quarantined")
            keep[pos] = False
    out = out[keep]
    if C.ASPECT in out:
        out[C.ASPECT] = out[C.ASPECT].map(aspect_key)
    return out
