"""Tables and figures for the tools colleagues use: XLSX, CSV, PNG and SVG.

A study's tidy tables (the processed tables, or the tables of a report: scale
scores, effect sizes, item analysis, ROI) go to one XLSX appendix per study,
one sheet per table, and to one CSV file per table. Figures go to PNG (slides)
and SVG (papers).

Spreadsheet formula injection is neutralised: a text cell starting with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return would be run as a formula by
Excel or LibreOffice when the file is opened, so it is written with a leading
apostrophe (``'=HYPERLINK(...)``), which shows the text as typed and runs
nothing (OWASP, "CSV Injection"). Numbers stay numbers: numeric columns are
never touched, and a text cell that is just a number (``"-5"``, ``"-2,5"``)
is left as it is. Every file is written atomically.

Examples
--------
>>> from evalkit.io.sheets import neutralize
>>> neutralize("=HYPERLINK(\\"http://x\\")"), neutralize("-5"), neutralize(-5.0)
('\\'=HYPERLINK("http://x")', '-5', -5.0)
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from evalkit.errors import ParameterError
from evalkit.io.sheets import write_csv, write_xlsx

#: Processed tables that describe individual people (pseudonymous ids).
PERSON_LEVEL = ("participants", "reaction", "learning", "test_items", "followup", "projects",
                "comments")  # fmt: skip


def export_study(
    processed_dir: Path | str,
    out_dir: Path | str,
    *,
    formats: Iterable[str] = ("xlsx", "csv"),
    study: str | None = None,
) -> list[Path]:
    """Export a cleaned study's processed tables to XLSX, CSV and/or SPSS.

    Parameters
    ----------
    processed_dir : Path or str
        A cleaned study folder (``data/processed/<study>``).
    out_dir : Path or str
        Folder to write (created).
    formats : iterable of str, default ("xlsx", "csv")
        Any of ``xlsx`` (one workbook ``<study>_tables.xlsx``, a README sheet
        then one sheet per table), ``csv`` (``csv/<table>.csv``) and ``sav``
        (``<study>_participants.sav``, participant-level data with variable and
        value labels, :func:`evalkit.data.spss_export.write_participants_sav`).
    study : str, optional
        Name used in file names (default: the folder's name).

    Returns
    -------
    list of Path
        Files written.

    Raises
    ------
    ParameterError
        If a format is unknown.
    DataError
        If the folder holds no processed table (run ``evalkit clean``).

    Examples
    --------
    >>> import tempfile
    >>> import pandas as pd
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     folder = Path(tmp) / "s"; folder.mkdir()
    ...     pd.DataFrame({"cohort_id": ["A"], "category": ["konsumsi"], "amount_idr": [1e6]}
    ...                  ).to_parquet(folder / "costs.parquet")
    ...     [p.name for p in export_study(folder, Path(tmp) / "out")]
    ['s_tables.xlsx', 'costs.csv']
    """
    from evalkit.errors import DataError
    from evalkit.io.atomic import read_parquet

    formats = [str(f).lower() for f in formats]
    bad = [f for f in formats if f not in ("xlsx", "csv", "sav")]
    if bad or not formats:
        raise ParameterError(
            f"export_study: parameter 'formats' has {bad or formats!r}; allowed: xlsx, csv, sav"
        )
    folder, out = Path(processed_dir), Path(out_dir)
    study = study or folder.name
    paths = sorted(p for p in folder.glob("*.parquet") if not p.name.startswith("."))
    if not paths:
        raise DataError("no processed table (*.parquet); run `evalkit clean` first",
                        file=str(folder))  # fmt: skip
    tables = {p.stem: read_parquet(p) for p in paths}
    written: list[Path] = []
    if "xlsx" in formats:
        notes = {
            "study": study,
            "source": f"data/processed/{study} (evalkit clean)",
            "sheets": ", ".join(tables),
            "privacy": (
                "participant_id is a pseudonym; person-level sheets ("
                + ", ".join(t for t in tables if t in PERSON_LEVEL)
                + ") are personal data under UU 27/2022: share only within the evaluation team; "
                "published tables must suppress groups smaller than 5"
            ),
        }
        written.append(write_xlsx(tables, out / f"{study}_tables.xlsx", notes=notes))
    if "csv" in formats:
        for name, frame in tables.items():
            written.append(write_csv(frame, out / "csv" / f"{name}.csv"))
    if "sav" in formats:
        from evalkit.data.spss_export import write_participants_sav

        written.append(write_participants_sav(folder, out / f"{study}_participants.sav"))
    return written
