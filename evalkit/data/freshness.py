"""Is a study's processed data current? Rebuild it from raw when it is not.

``data/processed/<study>/`` is what every later step reads, so it must be what
cleaning ``data/raw/<study>/`` gives today. :func:`ensure_current` checks a study's
processed tables against their ``manifest.json`` (the SHA-256 of every table and of
every raw input and the codebook, and of the cleaning code) and, when a table is
missing, corrupt, truncated or changed, or a raw input, the codebook, the files it reads
or the cleaning code has changed since cleaning, cleans the study again once
(:func:`evalkit.data.clean.clean_study`). ``evalkit report`` calls it for each study
before running any report, so the report runner never cleans and never reads
``data/raw/``.

:func:`missing_cohorts` says why a study has no ``cohorts.parquet``, from the
processed manifest alone.

Examples
--------
>>> import tempfile
>>> with tempfile.TemporaryDirectory() as tmp:
...     ensure_current(Path(tmp), "nothing")  # not cleaned: planning says so
Freshness(note=None, error=None)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from evalkit.data.processed import check_processed, cleaning_code, study_info
from evalkit.errors import EvalkitError
from evalkit.io.atomic import sha256
from evalkit.paths import processed_dir, raw_dir


class Freshness(NamedTuple):
    """What :func:`ensure_current` found: a note on a rebuild, or why a study is unusable.

    Both are None when the processed data was current (or absent: then the report
    planning names what is missing).
    """

    #: What was rebuilt and why, for the run summary.
    note: str | None = None
    #: Why the study cannot be reported on: no raw data to rebuild from, or the
    #: rebuild failed too.
    error: str | None = None


def missing_cohorts(root: Path, study: str) -> str:
    """Why a study has no ``cohorts.parquet``: never cleaned, or no cohort list mapped.

    Read from the processed manifest (:func:`evalkit.data.processed.study_info`), in
    which cleaning records whether the codebook maps a cohort list.

    Examples
    --------
    >>> missing_cohorts(Path("/nonexistent"), "demo")
    'no processed data in /nonexistent/data/processed/demo; run `evalkit clean --study demo`'
    """
    processed = processed_dir(study, root)
    where = f"data/processed/{study}"
    if not (processed / "manifest.json").is_file():
        return f"no processed data in {processed}; run `evalkit clean --study {study}`"
    if not study_info(processed).maps_cohorts:
        return (
            f"{where} has no cohorts table: the codebook maps no cohort list; add the cohort "
            f"list (daftar angkatan) export and map it as table 'cohorts' in "
            f"data/raw/{study}/codebook.yaml (docs/guide.en.md, section 3, 'The cohort "
            f"list'), then run `evalkit clean --study {study}`"
        )
    return (
        f"{where} has no cohorts table although the codebook maps one; run "
        f"`evalkit clean --study {study}`"
    )


def _stale_inputs(raw: Path, manifest: Mapping[str, Any]) -> str | None:
    """What differs from what the manifest records: the raw inputs, the codebook, the files
    the codebook reads now (a new file its globs match), or the cleaning code."""
    if not (raw / "codebook.yaml").is_file():
        return None  # nothing to rebuild from (processed data shipped without raw)
    changed = _changed_inputs(raw, manifest)
    if changed is not None:
        return changed
    new = _new_inputs(raw, manifest)
    if new:
        shown = ", ".join(new[:3]) + (f" and {len(new) - 3} more" if len(new) > 3 else "")
        return f"new raw file(s) since cleaning ({shown})"
    if manifest.get("cleaning_code") != cleaning_code():
        return "evalkit's cleaning code changed since cleaning"
    return None


def _new_inputs(raw: Path, manifest: Mapping[str, Any]) -> list[str]:
    """Files the codebook reads now that the manifest does not list (a codebook that does
    not load gives none: cleaning will say what is wrong with it)."""
    from evalkit.data.codebook import load_codebook
    from evalkit.data.read import resolve_files

    try:
        codebook = load_codebook(raw / "codebook.yaml")
        wanted = {f for spec in codebook.tables.values() for f in resolve_files(spec, raw)}
    except (EvalkitError, OSError):
        return []
    recorded = {str(e.get("file")) for e in manifest.get("inputs", []) if isinstance(e, Mapping)}
    return sorted(wanted - recorded)


def _changed_inputs(raw: Path, manifest: Mapping[str, Any]) -> str | None:
    """Which raw input (or the codebook) differs from the hashes recorded in the manifest."""
    recorded = list(manifest.get("inputs", []))
    if isinstance(manifest.get("codebook"), Mapping):
        recorded.append(manifest["codebook"])
    changed = []
    for entry in recorded:
        if not isinstance(entry, Mapping) or "file" not in entry:
            continue
        path = raw / str(entry["file"])
        if not path.is_file():
            changed.append(f"{entry['file']} (removed)")
        elif sha256(path) != entry.get("sha256"):
            changed.append(str(entry["file"]))
    if not changed:
        return None
    shown = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
    return f"raw data changed since cleaning ({shown})"


def _problem(raw: Path, processed: Path) -> str | None:
    """Why the processed tables are not current (failed check or changed raw), or None."""
    try:
        manifest = check_processed(processed)
    except EvalkitError as err:
        return str(err)
    return _stale_inputs(raw, manifest)


def _rebuild(study: str, raw: Path, processed: Path, problem: str) -> Freshness:
    """Clean ``raw`` into ``processed`` once, and check the result."""
    from evalkit.data import clean  # looked up at call time: tests count the calls

    where = f"data/processed/{study}"
    if not (raw / "codebook.yaml").is_file():
        return Freshness(
            error=f"{where} failed its manifest check ({problem}) and there is no "
            f"data/raw/{study}/codebook.yaml to rebuild it from"
        )
    try:
        clean.clean_study(raw, processed, progress=False)
        check_processed(processed)
    except EvalkitError as err:
        return Freshness(error=f"{where} failed its check ({problem}); rebuilding it failed: {err}")
    done = re.sub(r";\s*run `evalkit clean`[^;]*", "", problem)  # already done: no advice
    return Freshness(note=f"rebuilt {where} from data/raw/{study}: {done}")


def clean_reason(root: Path, study: str) -> str | None:
    """Why ``evalkit clean`` must clean ``study``, or None when it need not.

    None when ``data/processed/<study>`` passes its manifest check and was cleaned from
    the raw files, the codebook and the cleaning code there are now (the same SHA-256,
    no new file the codebook's globs match). Cleaning reads a study's files together
    (a roster decides who is who in every other file), so a study is cleaned whole or
    not at all.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     clean_reason(Path(tmp), "demo")
    'data/processed/demo has not been cleaned yet'
    """
    raw, processed = raw_dir(study, root), processed_dir(study, root)
    if not (processed / "manifest.json").is_file():
        return f"data/processed/{study} has not been cleaned yet"
    return _problem(raw, processed)


def ensure_current(root: Path, study: str) -> Freshness:
    """Make a study's processed tables current: check them, rebuild them if needed.

    A corrupt, truncated, changed or missing table
    (:func:`evalkit.data.processed.check_processed`) is not read as truth: the study is
    cleaned again from ``data/raw/<study>``, once. So are tables cleaned from raw files
    (or a codebook) that have changed since: the SHA-256 of each raw input recorded in
    ``manifest.json`` is compared with the file. A study without a processed folder is
    left alone (report planning says it was never cleaned).

    Parameters
    ----------
    root : Path
        The project root.
    study : str
        The study (its folder under ``data/processed`` and ``data/raw``).

    Returns
    -------
    Freshness
        ``note``: what was rebuilt and why (for the run summary); ``error``: why the
        study cannot be reported on (no raw data to rebuild from, or the rebuild
        failed too). Both None when the tables are sound.
    """
    raw, processed = raw_dir(study, root), processed_dir(study, root)
    if not processed.is_dir():
        return Freshness()
    problem = _problem(raw, processed)
    if problem is None:
        return Freshness()
    return _rebuild(study, raw, processed, problem)
