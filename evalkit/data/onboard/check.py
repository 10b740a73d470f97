"""Checking a study's raw files against its codebook, before anything is cleaned.

:func:`check_study` validates the codebook, then every header it names in
every file it maps (each missing header reported, not only the first), then
runs the cleaning itself in memory (:func:`evalkit.data.clean.clean_study`
with ``dry_run=True``) so that the check and the cleaning can never disagree.
:class:`CheckReport` lists what stops cleaning and what cleaning would
quarantine, drop, flag or repair, row by row.

Examples
--------
>>> _review_lines("study: s  # REVIEW: name\\n# REVIEW: the title\\nunits: {}\\n")
2
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from evalkit.data.onboard.draft import NO_COHORT_LIST, REVIEW
from evalkit.errors import CodebookError, DataError

if TYPE_CHECKING:
    from evalkit.data.codebook import Codebook, TableSpec


# --- checking raw files against the codebook ----------------------------------------
@dataclass(frozen=True)
class CheckReport:
    """What :func:`check_study` found.

    Attributes
    ----------
    study : str
        The study (folder name, or the codebook's name once it loads).
    raw_dir : Path
        The study folder.
    errors : tuple of str
        Problems that stop cleaning: an invalid codebook, an unreadable file,
        a header the codebook names but a file lacks. Each names the file
        and the codebook key path.
    issues : pandas.DataFrame
        What cleaning would do to single rows and cells, one row per entry:
        ``file``, ``row`` (as a spreadsheet shows it), ``column``, ``value``
        (masked), ``reason``, ``action`` (``quarantined``, ``dropped``,
        ``flagged`` or ``repaired``). Empty when there are errors.
    rows_read, rows_kept : int
        Input rows and rows that would reach the processed tables.
    tables : dict of str to int
        Processed table -> rows it would have.
    review : int
        Lines of the codebook still marked ``REVIEW``.
    """

    study: str
    raw_dir: Path
    errors: tuple[str, ...]
    issues: pd.DataFrame
    rows_read: int = 0
    rows_kept: int = 0
    tables: dict[str, int] = field(default_factory=dict)
    review: int = 0
    #: Whether the codebook maps a cohort list (else cleaning derives the cohorts).
    cohort_list: bool = True

    @property
    def ok(self) -> bool:
        """True when cleaning would run (rows may still be quarantined)."""
        return not self.errors

    @property
    def quarantined(self) -> pd.DataFrame:
        """The issues whose action is ``quarantined``."""
        return self.issues[self.issues["action"] == "quarantined"].reset_index(drop=True)

    def __str__(self) -> str:
        lines = [f"study {self.study}: check of {self.raw_dir}"]
        if self.errors:
            lines.append(f"  {len(self.errors)} problem(s) stop cleaning:")
            lines += [f"  - {e}" for e in self.errors]
            return "\n".join(lines)
        counts = Counter(self.issues["action"])
        tables = ", ".join(f"{t} {n:,}" for t, n in self.tables.items())
        lines.append(f"  would write: {tables}")
        lines.append(
            f"  input rows {self.rows_read:,}: {self.rows_kept:,} kept; "
            f"{counts.get('quarantined', 0):,} quarantined, {counts.get('dropped', 0):,} "
            f"dropped, {counts.get('flagged', 0):,} flagged (kept), "
            f"{counts.get('repaired', 0):,} repaired"
        )
        for action in ("quarantined", "dropped", "flagged", "repaired"):
            part = self.issues[self.issues["action"] == action]
            if part.empty:
                continue
            lines.append(f"  {action}:")
            for row in part.itertuples(index=False):
                column = f", column {row.column!r}" if row.column else ""
                value = f" [{row.value}]" if row.value else ""
                lines.append(f"    {row.file} row {row.row}{column}: {row.reason}{value}")
        if not self.cohort_list:
            lines.append(f"  {NO_COHORT_LIST}")
        if self.review:
            lines.append(f"  the codebook still has {self.review} line(s) marked {REVIEW}")
        return "\n".join(lines)


def _review_lines(text: str) -> int:
    """Lines of a codebook text still marked ``REVIEW`` in a comment."""
    return sum(
        1 for line in text.splitlines() if f"# {REVIEW}" in line or line.strip().startswith(
            f"# {REVIEW}") or f"#  {REVIEW}" in line
    )  # fmt: skip


def _missing_headers(spec: TableSpec, headers: list[str], file: str) -> list[str]:
    """One error per codebook source header that ``file`` lacks (each checked on its own)."""
    import dataclasses

    from evalkit.data.codebook import match_headers, norm_label

    errors = []
    loose = {norm_label(h): h for h in reversed(headers)}
    read_by = {
        src: (src if src in headers else loose.get(norm_label(src))) for src in spec.sources()
    }
    for source in spec.sources():
        taken = {h for src, h in read_by.items() if h is not None and src != source}
        single = dataclasses.replace(
            spec,
            columns={n: c for n, c in spec.columns.items() if c.source == source},
            items={n: i for n, i in spec.items.items() if i.source == source},
            comments=spec.comments if spec.comments == source else None,
        )
        try:
            match_headers(single, headers, file, taken=taken)
        except CodebookError as err:
            errors.append(str(err))
    return errors


def _header_errors(codebook: Codebook, raw_dir: Path) -> list[str]:
    """What stops cleaning before any row is read: files not found or not readable, and
    headers missing (each file and sheet read once)."""
    from evalkit.data.read import resolve_files
    from evalkit.io.readers import read_table

    errors: list[str] = []
    read: dict[tuple[str, str | None, int], list[str]] = {}
    for spec in codebook.tables.values():
        try:
            files = resolve_files(spec, raw_dir)
        except DataError as err:
            errors.append(str(err))
            continue
        for file in files:
            slot = (file, spec.sheet, spec.header_row)
            if slot not in read:
                try:
                    read[slot] = list(read_table(raw_dir / file, sheet=spec.sheet,
                                                 header_row=spec.header_row).columns)  # fmt: skip
                except DataError as err:
                    errors.append(str(err) if err.file == file else f"file {file}: {err}")
                    read[slot] = []
                    continue
            if read[slot]:
                errors += _missing_headers(spec, read[slot], file)
    return errors


def _sorted_issues(log: pd.DataFrame) -> pd.DataFrame:
    """The quality log as issues: quarantined first, then dropped, flagged, repaired."""
    issues = log.astype(object).astype({"row": "int64"})
    order = {"quarantined": 0, "dropped": 1, "flagged": 2, "repaired": 3}
    return issues.assign(_o=issues["action"].map(order)).sort_values(
        ["_o", "file", "row", "column"], kind="mergesort"
    ).drop(columns="_o").reset_index(drop=True)  # fmt: skip


def check_study(raw_dir: Path | str) -> CheckReport:
    """Validate a study's raw files against its codebook, before cleaning.

    Parameters
    ----------
    raw_dir : Path or str
        The study folder holding ``codebook.yaml``. Only read.

    Returns
    -------
    CheckReport
        ``errors`` (what stops cleaning: every header missing from every file,
        not only the first) and ``issues`` (every row and cell cleaning would
        quarantine, drop or repair, with file, row, column and reason).

    Raises
    ------
    DataError
        If ``raw_dir`` does not exist.

    Notes
    -----
    The codebook is validated with :func:`evalkit.data.codebook.load_codebook`; each
    file with :func:`evalkit.io.readers.read_table` and
    :func:`evalkit.data.codebook.match_headers`; then the study is cleaned in memory
    with :func:`evalkit.data.clean.clean_study` (``dry_run=True``) with a throwaway
    salt, and its quality log becomes ``issues``. Nothing is written anywhere;
    the raw files are only read.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = (Path(tmp) / "codebook.yaml").write_text(
    ...         "study: mini\\ntables:\\n  costs:\\n    files: [biaya.csv]\\n    columns:\\n"
    ...         "      cohort_id: {from: Angkatan}\\n      category: {from: Komponen}\\n"
    ...         "      amount_idr: {from: Jumlah, min: 0}\\n")
    ...     _ = (Path(tmp) / "biaya.csv").write_text(
    ...         "Angkatan;Komponen;Jumlah\\nA1;konsumsi;1.250.000\\nA1;ATK;-5\\n")
    ...     report = check_study(tmp)
    >>> report.quarantined[["file", "row", "column", "reason"]].to_dict("records")
    [{'file': 'biaya.csv', 'row': 3, 'column': 'Jumlah', 'reason': "out_of_range: '-5' is outside 0..inf"}]
    """
    import os

    from evalkit.data.clean import clean_study
    from evalkit.data.codebook import load_codebook
    from evalkit.data.quality import LOG_COLUMNS

    raw_dir = Path(raw_dir).resolve()
    if not raw_dir.is_dir():
        raise DataError("study folder does not exist", file=str(raw_dir))
    empty = pd.DataFrame({c: pd.Series([], dtype=object) for c in LOG_COLUMNS})
    review = 0
    if (raw_dir / "codebook.yaml").is_file():
        text = (raw_dir / "codebook.yaml").read_text(encoding="utf-8-sig", errors="replace")
        review = _review_lines(text)
    try:
        codebook = load_codebook(raw_dir / "codebook.yaml")
    except CodebookError as err:
        return CheckReport(raw_dir.name, raw_dir, (str(err),), empty, review=review)
    errors = _header_errors(codebook, raw_dir)
    if errors:
        return CheckReport(codebook.study, raw_dir, tuple(dict.fromkeys(errors)), empty,
                           review=review)  # fmt: skip
    try:
        summary = clean_study(raw_dir, None, progress=False, salt=os.urandom(16), dry_run=True)
    except (DataError, CodebookError) as err:
        return CheckReport(codebook.study, raw_dir, (str(err),), empty, review=review)
    return CheckReport(
        study=codebook.study,
        raw_dir=raw_dir,
        errors=(),
        issues=_sorted_issues(summary.log),
        rows_read=summary.rows_read,
        rows_kept=summary.rows_kept,
        tables=dict(summary.tables),
        review=review,
        cohort_list=any(spec.table == "cohorts" for spec in codebook.tables.values()),
    )
