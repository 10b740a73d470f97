"""Part of evalkit.report."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from evalkit.io.atomic import sha256


def missing_cohorts(root: Path, study: str) -> str:
    """Why a study has no ``cohorts.parquet``: never cleaned, or no cohort list mapped."""
    processed = root / "data" / "processed" / study
    where = f"data/processed/{study}"
    if not (processed / "manifest.json").is_file():
        return f"no processed data in {processed}; run `evalkit clean --study {study}`"
    codebook = root / "data" / "raw" / study / "codebook.yaml"
    try:
        from evalkit.data.codebook import load_codebook

        maps = any(t.table == "cohorts" for t in load_codebook(codebook).tables.values())
    except Exception:  # an unreadable codebook: say what is missing all the same
        maps = True
    if not maps:
        return (
            f"{where} has no cohorts table: the codebook maps no cohort list; add the cohort "
            f"list (daftar angkatan) export and map it as table 'cohorts' in "
            f"data/raw/{study}/codebook.yaml (docs/guide.en.md, section 2, 'The cohort "
            f"list'), then run `evalkit clean --study {study}`"
        )
    return (
        f"{where} has no cohorts table although the codebook maps one; run "
        f"`evalkit clean --study {study}`"
    )


def _stale_inputs(root: Path, study: str, manifest: Mapping[str, Any]) -> str | None:
    """Which raw input (or the codebook) differs from the hashes recorded in the manifest."""
    raw = root / "data" / "raw" / study
    if not (raw / "codebook.yaml").is_file():
        return None  # nothing to rebuild from (processed data shipped without raw)
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


def verify_processed(root: Path, study: str) -> tuple[str | None, str | None]:
    """Check a study's processed tables against their manifest; rebuild them if needed.

    A corrupt, truncated, changed or missing table (:func:`evalkit.data.processed.check_processed`)
    is not read as truth: the study is cleaned again from ``data/raw/<study>``, once.
    So are tables cleaned from raw files (or a codebook) that have changed since: the
    SHA-256 of each raw input recorded in ``manifest.json`` is compared with the file.

    Returns
    -------
    note : str or None
        What was rebuilt and why (for the run summary).
    error : str or None
        Why the study cannot be reported on (no raw data to rebuild from, or the
        rebuild failed too); None when the tables are sound.
    """
    from evalkit.data.processed import check_processed
    from evalkit.errors import EvalkitError

    processed = root / "data" / "processed" / study
    if not processed.is_dir():
        return None, None  # planning reports the missing data
    try:
        manifest = check_processed(processed)
        problem = _stale_inputs(root, study, manifest)
        if problem is None:
            return None, None
    except EvalkitError as err:
        problem = str(err)
    raw = root / "data" / "raw" / study
    where = f"data/processed/{study}"
    if not (raw / "codebook.yaml").is_file():
        return None, (
            f"{where} failed its manifest check ({problem}) and there is no "
            f"data/raw/{study}/codebook.yaml to rebuild it from"
        )
    from evalkit.data.clean import clean_study

    try:
        clean_study(raw, processed, progress=False)
        check_processed(processed)
    except EvalkitError as err:
        return None, f"{where} failed its check ({problem}); rebuilding it failed: {err}"
    return f"rebuilt {where} from data/raw/{study}: {problem}", None
