"""Access to a study's processed tables: loading, checking, and what the manifest says.

A processed study is ``data/processed/<study>/``: one Parquet file per table, the
quality log, and ``manifest.json`` (what was read, what was written, with SHA-256).
Cleaning also writes there what reports need from the codebook (the study's title and
whether it maps a cohort list), so nothing after cleaning reads ``data/raw/``.

Where it sits: it is the far side of cleaning. :func:`evalkit.data.clean.clean_study`
writes the folder; everything downstream (metrics, reports, exports) reads it only
through :func:`load_study` (checked against the manifest by :func:`check_processed`)
and :func:`study_info`. The tables' columns and types are those of
:mod:`evalkit.data.schema`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from evalkit.errors import DataError
from evalkit.io.atomic import read_parquet, sha256

#: The parts of evalkit whose source decides what cleaning writes (relative to the package).
CLEANING_SOURCES: tuple[str, ...] = ("constants.py", "io", "data")


def cleaning_code() -> str:
    """SHA-256 over the source of what cleaning runs (:data:`CLEANING_SOURCES`).

    Cleaning records it in ``manifest.json`` (``cleaning_code``), so that processed data
    written by other cleaning code is not taken as current
    (:func:`evalkit.data.freshness.clean_reason`).

    Examples
    --------
    >>> len(cleaning_code()) == 64 and cleaning_code() == cleaning_code()
    True
    """
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for part in CLEANING_SOURCES:
        paths = [package / part] if part.endswith(".py") else sorted((package / part).rglob("*"))
        for path in paths:
            if path.suffix in (".py", ".yaml") and "__pycache__" not in path.parts:
                digest.update(path.relative_to(package).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def check_processed(processed_dir: Path | str) -> dict[str, Any]:
    """Check a processed study folder against its ``manifest.json``.

    Every table listed in the manifest must exist with the recorded SHA-256.

    Returns
    -------
    dict
        The manifest.

    Raises
    ------
    DataError
        Naming the missing, changed or corrupt file.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     try:
    ...         check_processed(tmp)
    ...     except DataError as err:
    ...         print("manifest.json" in str(err))
    True
    """
    folder = Path(processed_dir)
    manifest_path = folder / "manifest.json"
    if not manifest_path.is_file():
        raise DataError(
            "no manifest.json: the folder was not written by `evalkit clean` (or the run "
            "did not finish); run `evalkit clean`",
            file=str(manifest_path),
        )
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise DataError(f"manifest is not valid JSON ({err})", file=str(manifest_path)) from err
    for table, info in sorted(manifest.get("outputs", {}).items()):
        path = folder / info["file"]
        if not path.is_file():
            raise DataError(f"table {table!r} is missing; run `evalkit clean`", file=str(path))
        if sha256(path) != info.get("sha256"):
            raise DataError(
                f"table {table!r} differs from the manifest (changed, corrupt or truncated); "
                "run `evalkit clean` to rebuild it",
                file=path.name,
            )
    return manifest


def load_study(processed_dir: Path | str, *, verify: bool = True) -> dict[str, pd.DataFrame]:
    """Load every processed table of a study.

    Parameters
    ----------
    processed_dir : Path or str
        ``data/processed/<study>``.
    verify : bool, default True
        Check the files against ``manifest.json`` first (:func:`check_processed`).

    Returns
    -------
    dict of str to pandas.DataFrame
        Table name (file stem) to table, in alphabetical order.

    Raises
    ------
    DataError
        If the folder does not exist, holds no table, or a table is corrupt.

    Examples
    --------
    >>> import tempfile
    >>> import pandas as pd
    >>> from evalkit.io.atomic import write_parquet
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = write_parquet(pd.DataFrame({"cohort_id": ["C1"]}), Path(tmp) / "cohorts.parquet")
    ...     sorted(load_study(tmp, verify=False))
    ['cohorts']
    """
    folder = Path(processed_dir)
    if not folder.is_dir():
        raise DataError("processed folder does not exist; run `evalkit clean`", file=str(folder))
    if verify:
        check_processed(folder)
    paths = sorted(folder.glob("*.parquet"))
    if not paths:
        raise DataError("no processed table (*.parquet); run `evalkit clean`", file=str(folder))
    return {p.stem: read_parquet(p) for p in paths}


@dataclass(frozen=True)
class StudyInfo:
    """What the reports know of a study, from its processed manifest.

    Attributes
    ----------
    study : str
        The study's name (its folder under ``data/processed``).
    title : dict
        Language code -> the codebook's title (empty when it has none).
    maps_cohorts : bool
        Whether the codebook maps a cohort list (table ``cohorts``).
    cleaned : bool
        Whether the folder holds a manifest at all.
    """

    study: str
    title: Mapping[str, str] = field(default_factory=dict)
    maps_cohorts: bool = True
    cleaned: bool = True


def study_info(processed_dir: Path | str) -> StudyInfo:
    """Read a processed study's :class:`StudyInfo` from its ``manifest.json``.

    A folder without a manifest gives ``cleaned=False``; a manifest written before
    these keys existed gives no title and ``maps_cohorts=True``.

    Examples
    --------
    >>> import json, tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = (Path(tmp) / "manifest.json").write_text(json.dumps(
    ...         {"study": "s", "title": {"en": "Service"}, "maps_cohorts": False}))
    ...     info = study_info(tmp)
    >>> info.title["en"], info.maps_cohorts, study_info("no/such/folder").cleaned
    ('Service', False, False)
    """
    folder = Path(processed_dir)
    path = folder / "manifest.json"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return StudyInfo(study=folder.name, cleaned=False)
    title = manifest.get("title") or {}
    if isinstance(title, str):
        title = {"id": title, "en": title}
    return StudyInfo(
        study=str(manifest.get("study") or folder.name),
        title={str(k): str(v) for k, v in dict(title).items()},
        maps_cohorts=bool(manifest.get("maps_cohorts", True)),
    )


def cohort_facts(processed_dir: Path | str) -> pd.DataFrame:
    """What an index of reports says of each cohort: program, dates, method, follow-up waves.

    Read from the processed ``cohorts`` table and the ``months_after`` column of
    ``followup`` (when the study has one); a study without a cohorts table gives an
    empty frame.

    Returns
    -------
    DataFrame
        Indexed by ``cohort_id``: ``program_name``, ``start_date``, ``end_date``,
        ``delivery`` and ``followup_months`` (the follow-up waves, e.g. ``(3, 6)``;
        empty when there is none).

    Examples
    --------
    >>> import tempfile
    >>> from evalkit.io.atomic import write_parquet
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     cohorts = pd.DataFrame({"cohort_id": ["C1"], "program_name": ["Pelayanan"],
    ...                             "start_date": pd.to_datetime(["2024-03-01"]),
    ...                             "end_date": pd.to_datetime(["2024-03-03"]),
    ...                             "delivery": ["klasikal"]})
    ...     _ = write_parquet(cohorts, Path(tmp) / "cohorts.parquet")
    ...     followup = pd.DataFrame({"cohort_id": ["C1", "C1"], "months_after": [6, 3]})
    ...     _ = write_parquet(followup, Path(tmp) / "followup.parquet")
    ...     cohort_facts(tmp).loc["C1", ["program_name", "followup_months"]].tolist()
    ['Pelayanan', (3, 6)]
    """
    folder = Path(processed_dir)
    columns = ["program_name", "start_date", "end_date", "delivery"]
    try:
        cohorts = pd.read_parquet(folder / "cohorts.parquet")
    except (OSError, ValueError):
        return pd.DataFrame(
            columns=[*columns, "followup_months"], index=pd.Index([], name="cohort_id")
        )
    facts = cohorts.set_index("cohort_id").reindex(columns=columns)
    waves: dict[str, tuple[int, ...]] = {}
    if (folder / "followup.parquet").is_file():
        try:
            followup = pd.read_parquet(
                folder / "followup.parquet", columns=["cohort_id", "months_after"]
            )
        except (OSError, ValueError, KeyError):
            followup = pd.DataFrame(columns=["cohort_id", "months_after"])
        for cohort, months in followup.dropna().groupby("cohort_id")["months_after"]:
            waves[str(cohort)] = tuple(sorted(int(m) for m in months.unique()))
    facts["followup_months"] = [waves.get(str(c), ()) for c in facts.index]
    return facts


def manifest_inputs(processed: str | Path) -> list[dict[str, str]]:
    """Input files and their SHA-256 as listed in ``<processed>/manifest.json``.

    Accepts the manifest's ``inputs``/``files`` entry as a list of records (with a
    ``file``/``name``/``path`` key and ``sha256``) or as a mapping name -> sha256.
    A missing or unreadable manifest gives an empty list.

    Examples
    --------
    >>> manifest_inputs("/nonexistent")
    []
    """
    path = Path(processed) / "manifest.json"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    entries = None
    for key in ("inputs", "files", "raw_files", "sources"):
        if key in manifest:
            entries = manifest[key]
            break
    rows: list[dict[str, str]] = []
    if isinstance(entries, Mapping):
        for name, value in entries.items():
            sha = value.get("sha256", "") if isinstance(value, Mapping) else str(value)
            rows.append({"file": str(name), "sha256": str(sha)})
    elif isinstance(entries, list):
        for entry in entries:
            if isinstance(entry, Mapping):
                name = entry.get("file") or entry.get("name") or entry.get("path") or "?"
                rows.append({"file": str(name), "sha256": str(entry.get("sha256", ""))})
    codebook = manifest.get("codebook_sha256") or (manifest.get("codebook") or {})
    if isinstance(codebook, Mapping):
        codebook = codebook.get("sha256")
    if codebook:
        rows.append({"file": "codebook.yaml", "sha256": str(codebook)})
    return rows


def quality_log(processed_dir: Path | str) -> pd.DataFrame | None:
    """A processed study's ``quality_log.csv`` (every value as text); None when absent.

    Reports summarise it in words (:func:`evalkit.reporting.methods.cleaning_summary`);
    its values are masked and scrubbed by cleaning, but a report shows only counts.

    Examples
    --------
    >>> quality_log("no/such/folder") is None
    True
    """
    from evalkit.data.quality import LOG_COLUMNS

    path = Path(processed_dir) / "quality_log.csv"
    try:
        log = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, ValueError):
        return None
    return log.reindex(columns=list(LOG_COLUMNS), fill_value="")
