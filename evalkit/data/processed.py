"""Part of evalkit.io."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from evalkit.errors import DataError
from evalkit.io.atomic import read_parquet, sha256


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
