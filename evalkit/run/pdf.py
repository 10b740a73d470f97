"""Print HTML reports to PDF with a headless Chromium or Chrome (``evalkit report --pdf``).

A report's HTML carries its own print style sheet (A4, captions kept with their tables
and figures, headings with what follows, no navigation), so the PDF is the page as the
browser prints it: :func:`print_pdf` runs the browser once per report, writes the PDF
beside the HTML (``cohort-C01.html`` -> ``cohort-C01.pdf``, ``overview.en.html`` ->
``overview.en.pdf``) atomically, and :func:`print_reports` does that for a run's reports,
in parallel, skipping a PDF newer than its HTML.

The browser is the first of :data:`BROWSERS` on the ``PATH``, or the program the
environment variable ``EVALKIT_BROWSER`` names (:func:`find_browser`). None found is a
clear error before any work.

Examples
--------
>>> pdf_path(Path("reports/demo/overview.en.html")).as_posix()
'reports/demo/overview.en.pdf'
"""

from __future__ import annotations

import concurrent.futures
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from evalkit.errors import ParameterError, ReportError

__all__ = ["BROWSERS", "PdfResult", "find_browser", "pdf_path", "print_pdf", "print_reports"]

#: Browser programs tried in order (on the ``PATH``) when ``EVALKIT_BROWSER`` is unset.
BROWSERS: tuple[str, ...] = (
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
)

#: Seconds one report may take to print before the browser is stopped.
PRINT_TIMEOUT = 180


def pdf_path(html: Path) -> Path:
    """The PDF file of the report ``html``: the same stem, suffix ``.pdf``."""
    return html.with_suffix(".pdf")


def find_browser() -> str:
    """The browser that prints PDFs: ``EVALKIT_BROWSER``, else the first of :data:`BROWSERS`.

    Raises
    ------
    ParameterError
        No such program: the message says what to install or set.
    """
    named = os.environ.get("EVALKIT_BROWSER")
    if named:
        found = shutil.which(named)
        if found is None:
            raise ParameterError(
                f"--pdf: EVALKIT_BROWSER={named!r} is not a program on this machine; set it "
                "to the path of Chromium or Chrome, or unset it"
            )
        return found
    for name in BROWSERS:
        found = shutil.which(name)
        if found is not None:
            return found
    raise ParameterError(
        "--pdf needs Chromium or Chrome to print the reports, and none of "
        f"{', '.join(BROWSERS)} is on the PATH: install one (e.g. `apt-get install "
        "chromium`), or set EVALKIT_BROWSER to its path; the HTML reports are made without it"
    )


def print_pdf(html: Path, pdf: Path | None = None, *, browser: str) -> Path:
    """Print the report ``html`` to ``pdf`` (default :func:`pdf_path`) with ``browser``.

    The browser runs headless, with a profile of its own (so that several prints can run
    at once), without the page header and footer, and without its sandbox when run as
    root (as in a container, where the sandbox cannot start). The PDF is written to a
    temporary file and renamed over ``pdf``, so a failed print leaves the previous PDF.

    Raises
    ------
    ReportError
        The browser failed or wrote no PDF: the message names the report and the last
        lines the browser printed.
    """
    pdf = pdf_path(html) if pdf is None else pdf
    with tempfile.TemporaryDirectory(prefix="evalkit-pdf-") as tmp:
        out = Path(tmp) / "report.pdf"
        command = [
            browser, "--headless", "--disable-gpu", "--no-first-run", "--disable-sync",
            "--disable-background-networking", "--disable-component-update",
            "--no-pdf-header-footer", f"--user-data-dir={Path(tmp) / 'profile'}",
            "--virtual-time-budget=10000", f"--print-to-pdf={out}", html.resolve().as_uri(),
        ]  # fmt: skip
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.insert(1, "--no-sandbox")
        try:
            proc = subprocess.run(
                command, capture_output=True, text=True, timeout=PRINT_TIMEOUT, check=False
            )
        except subprocess.TimeoutExpired as err:
            raise ReportError(
                f"{html}: the browser did not finish printing in {PRINT_TIMEOUT} s"
            ) from err
        if proc.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
            said = " / ".join(line for line in proc.stderr.splitlines()[-3:] if line.strip())
            raise ReportError(
                f"{html}: the browser wrote no PDF (exit code {proc.returncode}"
                + (f": {said}" if said else "")
                + ")"
            )
        tmp_pdf = pdf.with_name(f".{pdf.name}.tmp")
        shutil.copyfile(out, tmp_pdf)
        os.replace(tmp_pdf, pdf)
    return pdf


@dataclass
class PdfResult:
    """What :func:`print_reports` did: PDFs written, up to date, and failures (one line each)."""

    written: list[Path] = field(default_factory=list)
    up_to_date: list[Path] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        line = f"PDF: {len(self.written)} printed, {len(self.up_to_date)} up to date"
        if self.failed:
            line += f", {len(self.failed)} failed"
        return "\n".join([line, *(f"  FAILED {why}" for why in self.failed)])


def print_reports(
    htmls: Iterable[Path],
    *,
    browser: str | None = None,
    jobs: int | None = None,
    force: bool = False,
    progress: bool = True,
) -> PdfResult:
    """Print each report of ``htmls`` to PDF beside it; skip a PDF newer than its HTML.

    Parameters
    ----------
    htmls : iterable of Path
        The HTML reports (missing files are left out).
    browser : str, optional
        The browser program (default: :func:`find_browser`).
    jobs : int, optional
        Prints at once (default: number of cores).
    force : bool
        Print even where the PDF is newer than the HTML.
    progress : bool
        Show a progress bar (on stderr).
    """
    from tqdm.auto import tqdm

    browser = find_browser() if browser is None else browser
    result = PdfResult()
    todo = []
    for html in dict.fromkeys(htmls):
        if not html.is_file():
            continue
        pdf = pdf_path(html)
        if not force and pdf.is_file() and pdf.stat().st_mtime >= html.stat().st_mtime:
            result.up_to_date.append(pdf)
        else:
            todo.append(html)
    workers = max(1, min(jobs or os.cpu_count() or 1, len(todo) or 1))
    with (
        concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool,
        tqdm(total=len(todo), disable=not progress, unit="pdf", desc="PDF") as bar,
    ):
        futures = {pool.submit(print_pdf, html, browser=browser): html for html in todo}
        for future in concurrent.futures.as_completed(futures):
            try:
                result.written.append(future.result())
            except ReportError as err:
                result.failed.append(str(err))
            bar.update()
    result.written.sort()
    return result
