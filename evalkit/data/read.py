"""Part of evalkit.clean."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from evalkit.data.cells import CleanContext, cell_parser, is_required, item_parser, judge_column
from evalkit.data.codebook import (
    TableSpec,
    match_headers,
    norm_label,
)
from evalkit.data.parse import EMPTY_TEXTS
from evalkit.errors import CodebookError, DataError
from evalkit.io.readers import read_rows


def read_spec(spec: TableSpec, ctx: CleanContext, frames: dict[Any, pd.DataFrame]) -> pd.DataFrame:
    """Parse every file of one codebook table into typed columns.

    Output columns: the spec's columns, ``score:<item>`` item values (Likert
    score, 0/1 or number), ``comment``, and ``_spec``, ``_file``, ``_row``,
    ``_order``; with a ``nip`` column also ``_nip_raw``, ``_nip_problem`` and
    ``_nip_repair``. Rows with an unreadable or out-of-range value, or a
    required value missing, are logged as quarantined; rows with every mapped
    cell empty are logged as dropped; both are removed.
    """
    parts = []
    for file in ctx.files[spec.key]:
        table = frames[(file, spec.sheet, spec.header_row)]
        try:
            found = match_headers(spec, list(table.columns), file)
        except CodebookError as err:
            hint = header_row_hint(ctx.raw_dir / file, [spec], spec.sheet, spec.header_row)
            if not hint:
                raise
            raise CodebookError(f"{err}; {hint}") from err
        rows = np.arange(len(table)) + spec.header_row + 1
        kinds = {c.source: c.type for c in spec.columns.values() if c.source is not None}
        for row, column, ref in table.attrs.get("merged", []):
            if column in found.values():
                source = next(k for k, v in found.items() if v == column)
                value = table.at[row - spec.header_row - 1, column]
                ctx.log.add(file, row, column, value,
                            f"merged_cell: value of {ref.split(':')[0]} repeated over the "
                            f"merged range {ref}", "repaired", kind=kinds.get(source, "str"))  # fmt: skip
        out = pd.DataFrame(index=table.index)
        out["_spec"] = spec.key
        out["_file"] = file
        out["_row"] = rows
        # a row is empty when every cell of the raw row is (not only the mapped ones)
        blank = table.apply(lambda s: s.astype(str).str.strip().str.casefold().isin(EMPTY_TEXTS))
        nonempty = ~blank.all(axis=1).to_numpy()
        quarantine: dict[int, tuple[str, str, str, str]] = {}

        for name, col in spec.columns.items():
            if col.source is None:
                out[name] = pd.Series([col.value] * len(table), index=table.index, dtype=object)
                continue
            raw = table[found[col.source]]
            required = is_required(spec, name) and name not in ("nip", "name")
            values, problems, repairs = judge_column(
                raw, cell_parser(col, ctx), name=name, source=col.source, kind=col.type,
                required=required, nonempty=nonempty, quarantine=quarantine, file=file,
                rows=rows, ctx=ctx,
            )  # fmt: skip
            out[name] = pd.Series(values, index=table.index, dtype=object)
            if name == "nip":
                out["_nip_raw"] = raw.astype(object).to_numpy()
                out["_nip_problem"] = pd.Series(problems, index=table.index, dtype=object)
                out["_nip_repair"] = pd.Series(repairs, index=table.index, dtype=object)
        for name, item in spec.items.items():
            raw = table[found[item.source]]
            values, _, _ = judge_column(
                raw, item_parser(item, spec, ctx), name=name, source=item.source, kind="str",
                required=False, nonempty=nonempty, quarantine=quarantine, file=file,
                rows=rows, ctx=ctx,
            )  # fmt: skip
            out[f"score:{name}"] = pd.Series(values, index=table.index, dtype=object)
        if spec.comments is not None:
            out["comment"] = table[found[spec.comments]].to_numpy()
        keep = np.ones(len(table), dtype=bool)
        for i in range(len(table)):
            if not nonempty[i]:
                ctx.log.add(
                    file, rows[i], "", "", "empty_row: every mapped cell is empty", "dropped"
                )
                ctx.mark(spec.key, file, int(rows[i]), "empty")
                keep[i] = False
            elif i in quarantine:
                source, text, problem, kind = quarantine[i]
                ctx.log.add(file, rows[i], source, text, problem, "quarantined", kind=kind)
                ctx.mark(spec.key, file, int(rows[i]), "quarantined")
                keep[i] = False
            else:
                ctx.mark(spec.key, file, int(rows[i]), "kept")
        parts.append(out[keep])
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    frame["_order"] = np.arange(len(frame))
    return frame


def quarantine_rows(frame: pd.DataFrame, mask: pd.Series, ctx: CleanContext,
                     column: str, values: pd.Series, reasons: pd.Series | str,
                     kind: str = "str") -> pd.DataFrame:  # fmt: skip
    """Log rows of ``frame`` selected by ``mask`` as quarantined and remove them."""
    if not mask.any():
        return frame
    for idx in frame.index[mask]:
        reason = reasons if isinstance(reasons, str) else reasons.loc[idx]
        ctx.log.add(frame.at[idx, "_file"], frame.at[idx, "_row"], column, values.loc[idx],
                    reason, "quarantined", kind=kind)  # fmt: skip
        mark_row(frame, idx, ctx, "quarantined")
    return frame[~mask]


def mark_row(frame: pd.DataFrame, idx: Any, ctx: CleanContext, status: str) -> None:
    ctx.mark(frame.at[idx, "_spec"], frame.at[idx, "_file"], int(frame.at[idx, "_row"]), status)


def source_column(spec: TableSpec, name: str) -> str:
    col = spec.columns.get(name)
    return (col.source or name) if col is not None else name


def resolve_files(spec: TableSpec, raw_dir: Path) -> list[str]:
    found: list[str] = []
    for pattern in spec.files:
        matches = sorted(
            p.relative_to(raw_dir).as_posix()
            for p in raw_dir.glob(pattern)
            if p.is_file() and not p.name.startswith(("~$", ".")) and p.name != "codebook.yaml"
        )
        found.extend(m for m in matches if m not in found)
    if not found:
        raise DataError(
            f"no file matches {list(spec.files)} (codebook tables.{spec.key}.files)",
            file=str(raw_dir),
        )
    return found


def slug(text: object) -> str:
    return re.sub(r"[^A-Z0-9]+", "-", str(text).upper()).strip("-")


def header_row_hint(path: Path, specs: list[TableSpec], sheet: str | None,
                     header_row: int) -> str:  # fmt: skip
    """Where the codebook's headers of ``specs`` really are in ``path``, as advice."""
    try:
        rows = read_rows(path, sheet=sheet, header_row=header_row)
    except DataError:
        return ""
    for spec in specs:
        wanted = {norm_label(h) for h in spec.sources()}
        best, best_hits = None, 0
        for number, row in enumerate(rows[:30], start=1):
            hits = len(wanted & {norm_label(c) for c in row})
            if number != spec.header_row and hits > best_hits:
                best, best_hits = number, hits
        if best is not None and best_hits == len(wanted):
            return (
                f"the headers of tables.{spec.key} are on row {best}: set "
                f"'header_row: {best}' under tables.{spec.key} in the codebook"
            )
    return ""
