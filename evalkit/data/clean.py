"""Clean a study's raw exports into the processed tables of the data model.

:func:`clean_study` reads every raw export named by the study's codebook
(``docs/data-model.md``), validates and normalises each cell, links the
instruments by participant, replaces NIPs and names by salted pseudonymous ids
and writes the processed tables (Parquet), a data-quality log and a manifest.

:func:`clean_study` is the orchestrator of the raw -> processed step; its named steps
run in this order, each in the module that holds its rules:

1. load and validate the codebook (:mod:`~evalkit.data.codebook`, against the one
   description of the tables in :mod:`~evalkit.data.schema`);
2. read every raw file once (:func:`evalkit.io.readers.read_table`);
3. parse each codebook table cell by cell (:mod:`~evalkit.data.read` with the cell
   parsers of :mod:`~evalkit.data.cells` and :mod:`~evalkit.data.parse`), check the
   cohorts and flag dates after the day of cleaning;
4. link the tables (:mod:`~evalkit.data.identify`): cohorts, participant ids,
   conflicting roster rows, duplicates;
5. build the processed tables, one builder per table (:mod:`~evalkit.data.build`);
6. write the tables, the quality log (:mod:`~evalkit.data.quality`, values scrubbed by
   :mod:`~evalkit.data.scrub`) and the manifest, staged and swapped into place.

Every input row ends in exactly one place: an output table, the quality log as a
dropped duplicate or empty row, or the quality log as quarantined with its reason.
A row is quarantined when any mapped cell holds a value that cannot be read or
breaks a rule of the codebook (unknown Likert label or category, number out of
``min``/``max``, impossible date, timestamp later than the day of cleaning,
unknown cohort), or a required value is missing; empty cells are simply missing.
A NIP that cannot be used (lossy scientific notation, wrong length, impossible
birth date...) does not sink its row when the row has a name: the participant is
linked to the NIP recorded for the same name in the same cohort elsewhere in the
study, or else gets a pseudonym from name and cohort (logged as ``repaired``).
Cells changed into their canonical form (mangled NIPs, unit variants and typos,
XLSX cells filled from a merged range) are logged as ``repaired``.

Two cases have a rule of their own:

- **The same participant with conflicting data.** Roster (``participants``) rows
  of one cohort that share a NIP (or, without a NIP, a name) but disagree on
  name, sex, unit, golongan or position are all quarantined (``nip_conflict``):
  most likely one NIP was mistyped, and neither row can be trusted. Rows that
  agree are duplicates (the later one is kept, the others ``dropped``).
- **A post-test without a pre-test.** The participant is kept with ``pre``
  missing and the row is logged as ``flagged`` (``post_without_pre``): it counts
  in post-test results but not in paired change. ``flagged`` rows are kept.

A cohort whose end date is before its start date is quarantined
(``bad_date_order``); one that runs longer than a year (``LONG_COHORT_DAYS``) is
kept and ``flagged`` (``long_cohort``). A timestamp later than the day of cleaning
quarantines its row (``future_date``); a later date in any other ``date`` column (a
cohort's start or end) is kept and ``flagged`` with the same reason, since a cohort
list may hold planned cohorts and quarantining a cohort would quarantine all its data.
In ``benefits``, attribution and confidence are read as shares 0-1
(:func:`~evalkit.data.parse.parse_share`: ``"60%"``, ``"60"`` and ``"0,6"`` are 0.6);
a share above 100 % or below 0, a negative amount, or a missing amount, attribution
or confidence quarantines the estimate (``out_of_range``, ``missing_required``).
A benefit row without NIP and name is a unit-level estimate, kept without a
participant.

Nothing is taken in silence: a row of a text export with fewer cells than the header
(a line cut short, as in a truncated file) is quarantined (``short_row``), not padded
with empty answers; when the study has a roster, a row of another person table whose
participant is on no roster row is kept and ``flagged`` (``not_on_roster``, with its
file and row: most likely a mistyped NIP, or a roster that lacks the person); a file
with a header but no data rows is logged once at its header row (``empty_file``,
``flagged``) and named in the summary. A raw file that is a link leading outside the
study folder is refused by name, unread. A file that cannot be read or written (no
permission, a read-only or full disk, a file removed mid-run) stops the run with a
:class:`~evalkit.errors.StorageError` naming the path and the cause; the staging
folder is removed and the previous processed files stay. One run at a time writes a
study: :func:`clean_study` holds the study's lock (:mod:`evalkit.io.lock`). The raw folder is only read; a dry run
(``clean_study(..., dry_run=True)``) writes nothing at all.

The parsers used for single cells (:mod:`~evalkit.data.parse`: ``parse_number``,
``parse_date``, ``parse_datetime``, ``parse_bool``; :func:`~evalkit.data.scrub.scrub_text`)
never raise:
they return the value and a reason when the text cannot be read.

Reason codes
------------
Every ``reason`` in ``quality_log.csv`` starts with one of these codes, then a colon
and the details (file, value, what was expected). Grouped by the usual ``action``:

- **dropped**: ``duplicate`` (an earlier submission of the same person, or a repeated
  cohort; the later row is kept), ``empty_row`` (every mapped cell empty),
  ``empty_response`` (no readable answer, score or status in the row);
- **quarantined**: ``likert_unknown_label`` (an answer that is not a label of the
  item's Likert set: map it under ``likert``), ``likert_out_of_range`` (a number
  outside 1..max), ``unknown_category`` (a value missing from ``values``),
  ``unknown_unit`` (a unit name not in ``units``, even after typo matching),
  ``unknown_cohort`` (a cohort code not in the cohort list), ``no_cohort`` (a row of
  an export without a cohort column that no roster row places in one cohort),
  ``out_of_range`` (a
  number outside the column's ``min``/``max``, a share above 100 % or below 0),
  ``not_a_number``, ``not_an_integer``, ``not_a_bool``, ``not_a_share``,
  ``not_a_test_answer`` (a test item that is not 1/0, *benar*/*salah*), ``bad_date``
  (an impossible or unreadable date), ``bad_date_order`` (a cohort ending before it
  starts), ``future_date`` (a timestamp after the day of cleaning),
  ``missing_required``, ``nip_conflict`` (roster rows sharing a NIP that disagree),
  ``short_row`` (a text row with fewer cells than the header, as in a truncated file),
  and a NIP code below when the row has no name either (``no_identifier`` when the
  table maps neither);
- **repaired**: ``nip_reformatted`` (a NIP with spaces, dots, a leading apostrophe
  or exact Excel damage, written back as 18 digits), ``unit_variant`` (a known
  spelling variant of a unit, read as its canonical name), ``unit_typo`` (the closest
  known unit name), ``merged_cell`` (an XLSX cell filled from its merged range),
  ``cohort_from_roster`` / ``cohort_from_study`` (the cohort of a row of an export
  without a cohort column: its NIP's on the roster, or the study's only one), and
  the NIP codes when the row has a name (the participant is then linked by name):
  ``nip_missing``, ``nip_scientific_lossy`` (Excel scientific notation kept only some
  digits), ``nip_not_numeric``, ``nip_wrong_length``, ``nip_bad_birth_date``,
  ``nip_bad_tmt``, ``nip_tmt_too_early``, ``nip_bad_sex_digit``, ``nip_bad_serial``
  (see :func:`evalkit.data.nip.parse_nip`);
- **flagged** (kept): ``post_without_pre``, ``long_cohort``, ``future_date`` (a cohort
  date after the day of cleaning: a planned cohort, or a mistyped year),
  ``not_on_roster`` (a participant on no roster row of a study that has a roster; at
  most 50 rows are listed per file, then one entry with the count), ``empty_file`` (a
  file with a header but no data rows, logged once at its header row).

Examples
--------
>>> from evalkit.data.parse import parse_date, parse_number
>>> from evalkit.data.scrub import scrub_text
>>> parse_number("1.250.000")
(1250000.0, None)
>>> parse_date("27/11/2025")
(Timestamp('2025-11-27 00:00:00'), None)
>>> scrub_text("hubungi 0812-3456-7890 / budi@example.go.id")
'hubungi [telepon] / [email]'
"""

from __future__ import annotations

import datetime as _dt
import os
import shutil
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd

from evalkit.data.build import build_tables
from evalkit.data.build_typing import arrow_chunks, final_sample
from evalkit.data.cells import CleanContext
from evalkit.data.codebook import Codebook, TableSpec, load_codebook
from evalkit.data.identify import (
    canonical_cohorts,
    check_cohorts,
    drop_duplicates,
    flag_future_dates,
    identify_participants,
    off_roster,
    roster_conflicts,
)
from evalkit.data.processed import cleaning_code
from evalkit.data.pseudonym import load_salt, salt_path
from evalkit.data.quality import QualityLog
from evalkit.data.read import header_row_hint, read_spec, resolve_files
from evalkit.data.schema import LONG_TABLES, OUTPUT_COLUMNS
from evalkit.data.score_bounds import warn_bound_mismatches
from evalkit.data.scrub import NameScrubber
from evalkit.errors import DataError, ParameterError, StorageError
from evalkit.io.atomic import (
    atomic_write,
    sha256,
    storage_error,
    write_csv,
    write_json,
    write_parquet,
)
from evalkit.io.lock import folder_lock
from evalkit.io.memory import release_freed_memory, system_allocator
from evalkit.io.readers import read_table

#: Hidden folder inside ``out_dir`` where a run's files are staged before the swap.
STAGING_DIR = ".staging"

#: Codebook tables read first, in this order (the others follow by key): the cohorts
#: must be known before the rows of other tables are checked against them.
READ_FIRST = ("programs", "cohorts", "participants")

#: Columns holding people's names, scrubbed from comments and the log (default ``name``).
_NAME_COLUMNS = {"facilitator_ratings": ("name", "facilitator_id")}

#: A raw file as read: (file, sheet, header row).
RawKey = tuple[str, str | None, int]


# --- the summary --------------------------------------------------------------------
@dataclass(frozen=True)
class CleanSummary:
    """What :func:`clean_study` did.

    Attributes
    ----------
    study : str
        The codebook's study name.
    out_dir : Path
        Folder written.
    tables : dict of str to int
        Processed table -> rows written.
    rows_read, rows_kept, duplicates, quarantined, empty : int
        Input rows (over every codebook table and file) and where they went;
        ``rows_read == rows_kept + duplicates + quarantined + empty``.
    repaired : int
        Cells repaired (quality-log entries with action ``repaired``).
    reasons : dict of str to int
        Quality-log entries by reason code.
    quality_log, manifest : Path or None
        Files written besides the tables (None in a dry run).
    flagged : int
        Rows kept but flagged for the evaluator (action ``flagged``).
    empty_files : tuple of str
        Raw files that hold a header but no data rows (logged as ``empty_file``).
    log : pandas.DataFrame or None
        The quality log itself (``LOG_COLUMNS``).
    dry_run : bool
        True when nothing was written.
    """

    study: str
    out_dir: Path | None
    tables: dict[str, int]
    rows_read: int
    rows_kept: int
    duplicates: int
    quarantined: int
    empty: int
    repaired: int
    reasons: dict[str, int]
    quality_log: Path | None
    manifest: Path | None
    flagged: int = 0
    empty_files: tuple[str, ...] = ()
    log: pd.DataFrame | None = field(default=None, repr=False, compare=False)
    dry_run: bool = False

    def __str__(self) -> str:
        tables = ", ".join(
            f"{name} {n:,} {LONG_TABLES[name]}" if name in LONG_TABLES else f"{name} {n:,}"
            for name, n in self.tables.items()
        )
        head = (
            f"study {self.study}: dry run, {len(self.tables)} tables checked, nothing written"
            if self.dry_run
            else f"study {self.study}: {len(self.tables)} tables written to {self.out_dir}"
        )
        flagged = f"; rows flagged: {self.flagged:,}" if self.flagged else ""
        where = self.quality_log if self.quality_log is not None else "not written (dry run)"
        empty = (
            [f"  files with a header but no data rows: {', '.join(self.empty_files)}"]
            if self.empty_files
            else []
        )
        return "\n".join(
            [
                head,
                f"  table rows: {tables}",
                f"  input rows (forms and list rows read) {self.rows_read:,}: "
                f"{self.rows_kept:,} kept, "
                f"{self.duplicates:,} duplicates dropped, {self.quarantined:,} quarantined, "
                f"{self.empty:,} empty",
                f"  cells repaired: {self.repaired:,} (NIPs, unit names; see the log){flagged}",
                *empty,
                f"  quality log: {where} ({sum(self.reasons.values()):,} entries)",
            ]
        )


# --- the whole study ----------------------------------------------------------------
def clean_study(
    raw_dir: Path | str, out_dir: Path | str | None, *, progress: bool = True,
    salt: bytes | None = None, dry_run: bool = False, wait: bool = True,
) -> CleanSummary:  # fmt: skip
    """Clean one study's raw exports into the processed tables.

    Parameters
    ----------
    raw_dir : Path or str
        The study folder (``data/raw/<study>``) holding ``codebook.yaml`` and the
        exports it names. Only read.
    out_dir : Path or str, or None
        Folder to write (``data/processed/<study>``), created if needed; must
        not be inside ``raw_dir``. May be None in a dry run.
    progress : bool, default True
        Show a progress bar over the files read.
    salt : bytes, optional
        Salt of the pseudonymous ids (default: the project's ``.evalkit_salt``,
        created on first use; in a dry run a throwaway salt when there is none).
    dry_run : bool, default False
        Validate and clean in memory only: nothing is written (no folder, no
        salt file); the summary carries the quality log as ``summary.log``.
    wait : bool, default True
        While another run holds the study's lock (:func:`evalkit.io.lock.folder_lock`
        on ``out_dir``), wait, saying so once on stderr; if False raise
        :class:`~evalkit.errors.LockedError` instead.

    Returns
    -------
    CleanSummary
        Tables and row counts, what happened to every input row, where the
        quality log and manifest are. ``str(summary)`` is a short report.

    Raises
    ------
    CodebookError
        If the codebook is invalid or names a header a raw file lacks (with the
        closest headers as suggestions).
    DataError
        If a raw file cannot be read (naming file, row and column), or no file
        matches a codebook table.
    ParameterError
        If ``out_dir`` is inside ``raw_dir``, or None without ``dry_run``.
    StorageError
        If a file cannot be read or written (no permission, read-only or full disk,
        a file removed mid-run), naming the path and the cause. The staging folder
        is removed and the previous processed files are left as they were.
    LockedError
        If another run holds the study's lock and ``wait`` is False.

    Notes
    -----
    Written to ``out_dir``: one ``<table>.parquet`` per processed table the
    codebook can fill (``docs/data-model.md``; ``reaction_items`` and
    ``programs`` are derived from the codebook and the cohorts), then
    ``quality_log.csv``, then ``manifest.json`` (input and output SHA-256,
    codebook hash, evalkit version, row accounting). Every file is first
    written (and fsynced) into a hidden staging folder ``out_dir/.staging``;
    only when all are complete are they moved over the previous ones with
    :func:`os.replace`, the manifest last. A run killed before that leaves the
    previous complete set in place (a leftover staging folder is removed by
    the next run); a kill during the few renames leaves tables that differ
    from the manifest, which :func:`evalkit.data.processed.check_processed` reports. The
    same input and salt give byte-identical Parquet files and quality log.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     raw = Path(tmp) / "raw"; raw.mkdir()
    ...     _ = (raw / "codebook.yaml").write_text(
    ...         "study: mini\\n"
    ...         "tables:\\n"
    ...         "  costs:\\n"
    ...         "    files: [biaya.csv]\\n"
    ...         "    columns:\\n"
    ...         "      cohort_id: {from: Angkatan}\\n"
    ...         "      category: {from: Komponen}\\n"
    ...         "      amount_idr: {from: Jumlah, min: 0}\\n")
    ...     _ = (raw / "biaya.csv").write_text(
    ...         "Angkatan;Komponen;Jumlah\\nA1;konsumsi;1.250.000\\nA1;ATK;-5\\n")
    ...     summary = clean_study(raw, Path(tmp) / "out", progress=False, salt=b"s")
    ...     summary.tables, summary.quarantined
    ({'costs': 1}, 1)
    """
    raw_dir, out = _check_folders(raw_dir, out_dir, dry_run=dry_run)
    with system_allocator():  # one allocator to give memory back (evalkit.io.memory)
        if dry_run or out is None:
            return _clean(raw_dir, out, progress=progress, salt=salt, dry_run=dry_run)
        with folder_lock(out, wait=wait, label=f"study {out.name}", notify=_notify):
            try:
                return _clean(raw_dir, out, progress=progress, salt=salt, dry_run=False)
            except OSError as err:  # a raw file removed or unreadable mid-run, the salt...
                raise storage_error(err, None, "read or write") from err


def _clean(
    raw_dir: Path, out: Path | None, *, progress: bool, salt: bytes | None, dry_run: bool
) -> CleanSummary:
    """The steps of :func:`clean_study` (under the study's lock unless a dry run)."""
    codebook = load_codebook(raw_dir / "codebook.yaml")
    warn_bound_mismatches(codebook)
    specs = sorted(codebook.tables.values(), key=_reading_order)
    ctx = _context(codebook, raw_dir, specs, salt, dry_run=dry_run)
    raw_files = _RawFiles(specs, ctx, progress=progress)
    try:
        parsed = _parse_tables(specs, raw_files, ctx)
    finally:
        raw_files.close()
    _link_tables(parsed, specs, ctx)
    ctx.log.names = NameScrubber(  # each distinct name once, facilitators' names too
        dict.fromkeys(n for s in specs for col in _NAME_COLUMNS.get(s.table, ("name",))
                      if col in parsed[s.key]
                      for n in pd.unique(parsed[s.key][col].dropna().astype(object)))
    )  # fmt: skip
    _drop_linking_columns(parsed, specs)
    release_freed_memory()  # the linking steps' copies, the raw NIPs and names
    outputs = build_tables(parsed, {s.key: s for s in specs}, ctx)
    parsed.clear()  # the inputs' memory is free before the outputs are written
    release_freed_memory()
    log = ctx.log.frame()
    account = _Accounting.of(ctx, log)
    summary = account.summary(codebook.study, out, outputs, log)
    if dry_run:
        return CleanSummary(**summary, quality_log=None, manifest=None, dry_run=True)
    inputs = sorted({f for s in specs for f in ctx.files[s.key]})
    _write_study(out, outputs, log, partial(_manifest, codebook, raw_dir, inputs, account=account))
    return CleanSummary(**summary, quality_log=out / "quality_log.csv",
                        manifest=out / "manifest.json")  # fmt: skip


# --- the steps ----------------------------------------------------------------------
def _check_folders(
    raw_dir: Path | str, out_dir: Path | str | None, *, dry_run: bool
) -> tuple[Path, Path | None]:
    """The raw and output folders, resolved; the output may not be inside the raw one."""
    raw_dir = Path(raw_dir).resolve()
    if out_dir is None and not dry_run:
        raise ParameterError(
            "clean_study: parameter 'out_dir' is None; give data/processed/<study> "
            "(None is allowed only with dry_run=True)"
        )
    out = None if out_dir is None else Path(out_dir).resolve()
    if not raw_dir.is_dir():
        raise DataError("study folder does not exist", file=str(raw_dir))
    if out is not None and (out == raw_dir or raw_dir in out.parents):
        raise ParameterError(
            f"clean_study: parameter 'out_dir' ({out}) is inside the raw folder {raw_dir}; "
            "raw data is never written, choose data/processed/<study>"
        )
    return raw_dir, out


def _reading_order(spec: TableSpec) -> tuple[int, str]:
    """Sort key of codebook tables: :data:`READ_FIRST` tables first, then by key."""
    rank = READ_FIRST.index(spec.table) if spec.table in READ_FIRST else len(READ_FIRST)
    return rank, spec.key


def _context(
    codebook: Codebook, raw_dir: Path, specs: list[TableSpec], salt: bytes | None, *,
    dry_run: bool,
) -> CleanContext:  # fmt: skip
    """The run's context: salt, empty quality log, unit names and each table's files."""
    if salt is None:
        try:
            salt = load_salt(create=not dry_run)
        except ParameterError:  # dry run without a salt file: ids are not kept anyway
            import secrets

            salt = secrets.token_hex(32).encode()
        except OSError as err:
            raise storage_error(err, salt_path(), "create or read the salt file") from err
    ctx = CleanContext(codebook=codebook, raw_dir=raw_dir, log=QualityLog(), salt=salt)
    ctx.units = codebook.unit_lookup()
    for spec in specs:
        ctx.files[spec.key] = resolve_files(spec, raw_dir)
    return ctx


class _RawFiles(Mapping[RawKey, pd.DataFrame]):
    """The raw files, each read (once per sheet and header row) when parsing first needs
    it and let go after its last use, so that only the raw texts of the files being
    parsed are held at a time."""

    def __init__(self, specs: list[TableSpec], ctx: CleanContext, *, progress: bool) -> None:
        self.specs, self.ctx = specs, ctx
        self.uses = Counter((f, s.sheet, s.header_row) for s in specs for f in ctx.files[s.key])
        self.held: dict[RawKey, pd.DataFrame] = {}
        try:
            from tqdm.auto import tqdm
        except ImportError:  # pragma: no cover - tqdm is a dependency
            tqdm = None
        self.bar = (
            tqdm(
                total=len(self.uses),
                desc=f"clean {ctx.raw_dir.name}",  # the folder the user named
                unit="file",
                disable=not progress,
            )  # fmt: skip
            if tqdm
            else None
        )

    def __getitem__(self, raw: RawKey) -> pd.DataFrame:
        frame = self.held.get(raw)
        if frame is None:
            file, sheet, header_row = raw
            try:
                frame = read_table(self.ctx.raw_dir / file, sheet=sheet, header_row=header_row)
            except DataError as err:
                raise _file_error(err, raw, self.specs, self.ctx) from None
            if self.bar is not None:
                self.bar.update()
        self.uses[raw] -= 1
        if self.uses[raw] > 0:
            self.held[raw] = frame
        else:
            self.held.pop(raw, None)
        return frame

    def __iter__(self) -> Iterator[RawKey]:
        return iter(self.uses)

    def __len__(self) -> int:
        return len(self.uses)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _file_error(
    err: DataError, raw: RawKey, specs: list[TableSpec], ctx: CleanContext
) -> DataError:
    """A raw file's read error naming the file as the codebook does, with header advice."""
    file, sheet, header_row = raw
    if err.file is not None and err.file != file and Path(err.file).name == Path(file).name:
        err = DataError(str(err).split(": ", 1)[-1], file=file, row=err.row, column=err.column)
    if (err.row is None or err.row <= header_row + 1) and err.column is None:
        users = [s for s in specs if file in ctx.files[s.key] and s.sheet == sheet]
        hint = header_row_hint(ctx.raw_dir / file, users, sheet, header_row)
        if hint:
            err = DataError(f"{str(err).split(': ', 1)[-1]}; {hint}", file=file, row=err.row)
    return err


def _parse_tables(
    specs: list[TableSpec], raw_tables: Mapping[RawKey, pd.DataFrame], ctx: CleanContext
) -> dict[str, pd.DataFrame]:
    """Parse each codebook table; check the cohorts; flag dates after the day of cleaning."""
    parsed: dict[str, pd.DataFrame] = {}
    for spec in specs:
        frame = read_spec(spec, ctx, raw_tables)
        if spec.table == "cohorts":
            frame = check_cohorts(frame, spec, ctx)
        flag_future_dates(frame, spec, ctx)
        parsed[spec.key] = frame
        release_freed_memory()  # the raw texts of the table's files
    return parsed


def _link_tables(
    parsed: dict[str, pd.DataFrame], specs: list[TableSpec], ctx: CleanContext
) -> None:
    """Link the parsed tables (in place): cohorts, participant ids, conflicts, duplicates."""
    for spec in specs:
        if spec.table != "cohorts":
            parsed[spec.key] = canonical_cohorts(parsed[spec.key], spec, ctx)
    identify_participants(parsed, {s.key: s for s in specs}, ctx)
    release_freed_memory()
    off_roster(parsed, {s.key: s for s in specs}, ctx)
    for spec in specs:
        if spec.table == "cohorts":
            continue
        if spec.table == "participants":
            parsed[spec.key] = roster_conflicts(parsed[spec.key], spec, ctx)
        parsed[spec.key] = drop_duplicates(parsed[spec.key], spec, ctx)


#: Parsed columns only reading and linking use (the raw NIP and its problem or repair).
_LINKING_COLUMNS = ("_nip_raw", "_nip_problem", "_nip_repair")


def _drop_linking_columns(parsed: dict[str, pd.DataFrame], specs: list[TableSpec]) -> None:
    """Let go of the columns no builder reads (in place): the raw NIP texts, and the
    names but where a builder reads them (:data:`_NAME_COLUMNS`), once scrubbing has
    them. Each frame is rebuilt from its other columns, so that the memory is freed."""
    for spec in specs:
        frame = parsed[spec.key]
        dead = [*_LINKING_COLUMNS, *([] if spec.table in _NAME_COLUMNS else ["name"])]
        if any(c in frame for c in dead):
            parsed[spec.key] = pd.DataFrame(
                {c: frame[c] for c in frame.columns if c not in dead}, index=frame.index,
                copy=False,
            )  # fmt: skip


# --- accounting and writing ---------------------------------------------------------
@dataclass(frozen=True)
class _Accounting:
    """Where the input rows went and what the quality log holds."""

    counts: Counter[str]
    per_file: dict[str, dict[str, int]]
    reasons: Counter[str]
    actions: Counter[str]
    rows_read: int
    entries: int

    @classmethod
    def of(cls, ctx: CleanContext, log: pd.DataFrame) -> _Accounting:
        per_file: dict[str, dict[str, int]] = {}
        counts: Counter[str] = Counter()
        for (spec_key, file), tally in sorted(ctx.status.counts().items()):
            per_file[f"{spec_key}:{file}"] = {"rows": sum(tally.values()), **tally}
            counts.update(tally)
        return cls(
            counts=counts,
            per_file=per_file,
            reasons=Counter(r.split(":", 1)[0] for r in log["reason"]),
            actions=Counter(log["action"]),
            rows_read=sum(counts.values()),
            entries=len(log),
        )

    def summary(self, study: str, out: Path | None, outputs: dict[str, pd.DataFrame],
                log: pd.DataFrame) -> dict[str, Any]:  # fmt: skip
        """The fields of :class:`CleanSummary` but the files written."""
        counts = self.counts
        return {
            "study": study,
            "out_dir": out,
            "tables": {t: len(f) for t, f in outputs.items()},
            "rows_read": self.rows_read,
            "rows_kept": counts.get("kept", 0),
            "duplicates": counts.get("duplicate", 0),
            "quarantined": counts.get("quarantined", 0),
            "empty": counts.get("empty", 0),
            "repaired": self.actions.get("repaired", 0),
            "flagged": self.actions.get("flagged", 0) - self.reasons.get("empty_file", 0),
            "empty_files": tuple(
                sorted(set(log.loc[log["reason"].str.startswith("empty_file:"), "file"]))
            ),
            "reasons": dict(sorted(self.reasons.items())),
            "log": log,
        }


def _manifest(
    codebook: Codebook, raw_dir: Path, inputs: list[str], written: dict[str, dict[str, Any]],
    log_file: str, *, account: _Accounting,
) -> dict[str, Any]:  # fmt: skip
    """``manifest.json``: what was read and written, with hashes and row accounting."""
    from evalkit import __version__

    counts = account.counts
    return {
        "study": codebook.study,
        "title": dict(codebook.title),
        "maps_cohorts": any(spec.table == "cohorts" for spec in codebook.tables.values()),
        "evalkit_version": __version__,
        "cleaning_code": cleaning_code(),
        "created_utc": _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat(),
        "codebook": {"file": "codebook.yaml", "sha256": codebook.sha256},
        "inputs": [{"file": f, "sha256": sha256(raw_dir / f)} for f in inputs],
        "outputs": written,
        "quality_log": {
            "file": log_file,
            "entries": account.entries,
            "by_action": dict(sorted(account.actions.items())),
            "by_reason": dict(sorted(account.reasons.items())),
        },  # fmt: skip
        "rows": {
            "by_table_and_file": account.per_file,
            **{k: counts.get(k, 0) for k in ("kept", "duplicate", "quarantined", "empty")},
        },  # fmt: skip
    }


def _write_study(
    out: Path, outputs: dict[str, pd.DataFrame], log: pd.DataFrame,
    manifest: Callable[[dict[str, dict[str, Any]], str], dict[str, Any]],
) -> None:  # fmt: skip
    """Stage every file, then move the complete set into place, the manifest last.

    ``manifest(written, log_file)`` makes the manifest from the tables staged.
    """
    staging = out / STAGING_DIR
    try:
        _stage_and_swap(out, staging, outputs, log, manifest)
    except (OSError, StorageError) as err:
        shutil.rmtree(staging, ignore_errors=True)  # the previous files stay in place
        if isinstance(err, OSError):
            err = storage_error(err, err.filename or out)
        raise StorageError(f"{err}; the processed files in {out} are unchanged") from err


def _stage_and_swap(
    out: Path, staging: Path, outputs: dict[str, pd.DataFrame], log: pd.DataFrame,
    manifest: Callable[[dict[str, dict[str, Any]], str], dict[str, Any]],
) -> None:  # fmt: skip
    out.mkdir(parents=True, exist_ok=True)
    if staging.exists():
        shutil.rmtree(staging)  # left by a run that was killed
    staging.mkdir()
    written: dict[str, dict[str, Any]] = {}
    for table, frame in outputs.items():
        if table in LONG_TABLES:
            path = _write_long_table(frame, table, staging / f"{table}.parquet")
        else:
            path = write_parquet(frame, staging / f"{table}.parquet")
        written[table] = {"file": path.name, "rows": len(frame), "sha256": sha256(path)}
    log_path = write_csv(log, staging / "quality_log.csv")
    write_json(manifest(written, log_path.name), staging / "manifest.json")
    for name in [*(info["file"] for info in written.values()), "quality_log.csv",
                 "manifest.json"]:  # fmt: skip
        os.replace(staging / name, out / name)
    _fsync_dir(out)
    for stale in out.glob("*.parquet"):
        if stale.stem in OUTPUT_COLUMNS and stale.stem not in outputs:
            stale.unlink()
    shutil.rmtree(staging, ignore_errors=True)


def _write_long_table(frame: pd.DataFrame, table: str, path: Path) -> Path:
    """Write a compact long table (:func:`~evalkit.data.build_typing.arrow_chunks`) to Parquet.

    One row group of :data:`~evalkit.data.build.CHUNK_ROWS` rows is typed and written at
    a time, with the schema the whole table has: the file is byte for byte the one
    :func:`evalkit.io.atomic.write_parquet` writes for the table typed all at once, in a
    fraction of the memory.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.Schema.from_pandas(final_sample(frame, table), preserve_index=False)

    def write(fh: Any) -> None:
        with pq.ParquetWriter(fh, schema, compression="snappy") as writer:
            for chunk in arrow_chunks(frame, table, schema):
                writer.write_table(chunk)

    return atomic_write(path, write)


def _notify(message: str) -> None:
    """Say a word on stderr about the study's lock (waiting, a stale lock taken over)."""
    import sys

    print(message, file=sys.stderr, flush=True)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)
