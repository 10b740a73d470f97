"""``evalkit report --pdf``: each report printed to PDF beside its HTML, linked from the index.

A fake browser (a script that writes what it is told to print) checks the mechanics on
any machine: the arguments, the atomic write, skipping a PDF newer than its HTML, and a
failure that names the report and keeps the previous PDF. Where Chromium is installed
(CI installs it), one real report is printed and its PDF read back (pypdf): it says
nothing its HTML does not, so the leak scans of the HTML hold for the PDF.
"""

from __future__ import annotations

import html as htmllib
import os
import re
import shutil
import stat
import sys
import unicodedata
from pathlib import Path

import pytest
from processed_fixture import write_processed_study

from evalkit.cli import main
from evalkit.errors import ParameterError, ReportError
from evalkit.run.execute import run_reports
from evalkit.run.pdf import find_browser, pdf_path, print_pdf, print_reports

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

#: A stand-in browser: writes "%PDF-fake <url>" to the --print-to-pdf file, and its
#: arguments to args.txt beside itself; exits 3 without writing when the page says FAIL.
FAKE = """#!{python}
import sys
from pathlib import Path
args = sys.argv[1:]
(Path(__file__).parent / "args.txt").write_text("\\n".join(args))
url = args[-1]
if "FAIL" in Path(url.removeprefix("file://")).read_text():
    print("fake browser: cannot print", file=sys.stderr)
    sys.exit(3)
out = next(a.split("=", 1)[1] for a in args if a.startswith("--print-to-pdf="))
Path(out).write_bytes(b"%PDF-fake " + url.encode())
"""


@pytest.fixture
def fake(tmp_path: Path) -> Path:
    path = tmp_path / "bin" / "fakebrowser"
    path.parent.mkdir()
    path.write_text(FAKE.format(python=sys.executable))
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def _page(folder: Path, name: str, text: str = "<p>report</p>") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    html = folder / name
    html.write_text(f"<html><head><title>t</title></head><body>{text}</body></html>")
    return html


def test_the_pdf_is_beside_the_html_with_the_same_stem():
    assert pdf_path(Path("r/demo/cohort-C01.html")) == Path("r/demo/cohort-C01.pdf")
    assert pdf_path(Path("r/demo/overview.en.html")) == Path("r/demo/overview.en.pdf")


def test_print_pdf_runs_the_browser_headless_without_header_and_writes_the_pdf(fake, tmp_path):
    html = _page(tmp_path / "reports", "overview.en.html")
    out = print_pdf(html, browser=str(fake))
    assert out == tmp_path / "reports" / "overview.en.pdf"
    assert out.read_bytes() == b"%PDF-fake " + html.resolve().as_uri().encode()
    args = (fake.parent / "args.txt").read_text().splitlines()
    assert {"--headless", "--no-pdf-header-footer"} <= set(args)
    assert any(a.startswith("--user-data-dir=") for a in args)  # own profile: prints in parallel
    assert ("--no-sandbox" in args) == (os.geteuid() == 0)
    assert sorted(p.name for p in out.parent.iterdir()) == ["overview.en.html", "overview.en.pdf"]


def test_a_failed_print_names_the_report_and_keeps_the_previous_pdf(fake, tmp_path):
    html = _page(tmp_path / "reports", "cohort-C01.html", "FAIL")
    pdf_path(html).write_bytes(b"%PDF-previous")
    with pytest.raises(ReportError) as err:
        print_pdf(html, browser=str(fake))
    assert str(err.value) == (
        f"{html}: the browser wrote no PDF (exit code 3: fake browser: cannot print)"
    )
    assert pdf_path(html).read_bytes() == b"%PDF-previous"
    assert not list(html.parent.glob(".*.tmp"))


def test_print_reports_skips_a_pdf_newer_than_its_html_unless_forced(fake, tmp_path):
    folder = tmp_path / "reports" / "s"
    old, new, bad = (_page(folder, n) for n in ("a.html", "b.html", "c.html"))
    bad.write_text("FAIL")
    pdf_path(old).write_bytes(b"%PDF-kept")
    os.utime(old, (1_000_000, 1_000_000))  # the HTML is older than its PDF
    result = print_reports([old, new, bad, folder / "missing.html"], browser=str(fake),
                           jobs=2, progress=False)  # fmt: skip
    assert result.written == [pdf_path(new)]
    assert result.up_to_date == [pdf_path(old)]
    assert len(result.failed) == 1 and result.failed[0].startswith(f"{bad}: the browser")
    assert pdf_path(old).read_bytes() == b"%PDF-kept"
    assert str(result).splitlines()[0] == "PDF: 1 printed, 1 up to date, 1 failed"
    forced = print_reports([old], browser=str(fake), force=True, progress=False)
    assert forced.written == [pdf_path(old)] and pdf_path(old).read_bytes() != b"%PDF-kept"


def test_no_browser_is_one_clear_error_before_any_work(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("EVALKIT_BROWSER", raising=False)
    with pytest.raises(ParameterError, match=r"--pdf needs Chromium or Chrome .* EVALKIT_BROWSER"):
        find_browser()
    monkeypatch.setenv("EVALKIT_BROWSER", "no-such-browser")
    with pytest.raises(ParameterError, match="EVALKIT_BROWSER='no-such-browser' is not a program"):
        find_browser()
    monkeypatch.setenv("EVALKIT_ROOT", str(tmp_path))
    assert main(["report", "--study", "s", "--pdf", "-q"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("evalkit report: error: --pdf: EVALKIT_BROWSER='no-such-browser'")
    assert "Traceback" not in err
    assert not (tmp_path / "reports").exists()  # nothing ran


def _project(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'scratch'\n")
    (root / "notebooks").symlink_to(REPO / "notebooks", target_is_directory=True)
    return root


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")
def test_a_report_printed_by_chromium_is_a_pdf_linked_from_the_index(tmp_path, monkeypatch):
    root = _project(tmp_path / "project")
    write_processed_study(root, "s", cohorts=("C01",), impact=False)
    monkeypatch.setenv("EVALKIT_ROOT", str(root))
    monkeypatch.delenv("EVALKIT_BROWSER", raising=False)
    summary = run_reports(studies=["s"], kinds=["cohort"], jobs=1, progress=False, pdf=True)
    assert summary.ok, str(summary)
    pdf = root / "reports" / "s" / "cohort-C01.pdf"
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-") and len(data) > 20_000
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    assert pages >= 2, pages  # the report, not a blank sheet
    assert "  PDF: 1 printed, 0 up to date" in str(summary).splitlines()
    # what the PDF says is what the HTML says: every word of it is a word of the page, or
    # a piece of one (a narrow table cell breaks a word), so the leak scans of the HTML
    # hold for the PDF; and no NIP or pseudonymous participant id is printed
    from pypdf import PdfReader

    sizes = {(round(float(pg.mediabox.width)), round(float(pg.mediabox.height)))
             for pg in PdfReader(pdf).pages}  # fmt: skip
    assert sizes == {(595, 842)}, sizes  # A4 portrait, in points: no page wider
    text = "\n".join(_pages(pdf))
    assert "Ringkasan eksekutif" in text and "Angkatan C01" in text
    assert not re.search(r"(?<!\d)\d{18}(?!\d)", text)
    assert not re.search(r"\bP[0-9A-F]{10}\b", text)
    page = (root / "reports" / "s" / "cohort-C01.html").read_text(encoding="utf-8")
    page = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", page)
    shown = unicodedata.normalize("NFKC", htmllib.unescape(re.sub(r"<[^>]+>", " ", page)))
    words = set(re.findall(r"\w+", shown))
    joined = " ".join(words)
    stray = {w for w in set(re.findall(r"\w+", text)) - words if w not in joined}
    assert not stray, sorted(stray)[:20]
    index = (root / "reports" / "index.html").read_text(encoding="utf-8")
    assert '<a class="pdf" href="s/cohort-C01.pdf">(PDF)</a>' in index
    again = run_reports(studies=["s"], kinds=["cohort"], jobs=1, progress=False, pdf=True)
    assert again.pdf is not None and again.pdf.up_to_date == [pdf] and not again.pdf.written


# --- the print style sheet: pages end where they must -------------------------------------
def _print_page(body: str) -> str:
    """A page laid out like a report: the print rules, then JupyterLab's (which come later
    in a report and keep every output whole), then ``body`` in output blocks."""
    from evalkit.run.export import _CSS

    lab = "@media print { .jp-OutputArea-child { break-inside: avoid-page; } }"
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><style>{_CSS}</style>'
        f'<style>{lab}</style></head><body class="jp-Notebook">{body}</body></html>'
    )


def _output(html: str) -> str:
    return (
        '<div class="jp-OutputArea-child"><div class="jp-RenderedHTMLCommon '
        f'jp-RenderedHTML jp-OutputArea-output">{html}</div></div>'
    )


def _table(rows: int, *, keep: bool = False) -> str:
    body = "".join(f"<tr><th>r{k:03d}</th><td>{k}</td></tr>" for k in range(rows))
    return _output(
        f'<div class="ek-captioned{" ek-keep" if keep else ""}"><p class="ek-caption">'
        "<strong>Table 1</strong>. Long</p><table><thead><tr><th>Head-A</th><th>Head-B</th>"
        f"</tr></thead><tbody>{body}</tbody></table></div>"
    )


def _pages(pdf: Path) -> list[str]:
    """Each page's text, read back with pypdf (ligatures such as "fi" made plain: NFKC)."""
    from pypdf import PdfReader

    return [unicodedata.normalize("NFKC", page.extract_text()) for page in PdfReader(pdf).pages]


def _filler(units: int) -> str:
    """An output of ``units`` short sentences (about 150 fill an A4 page of the report)."""
    return _output("<p>" + " ".join(["Filler words of a paragraph."] * units) + "</p>")


def _rows(page: str) -> set[str]:
    return set(re.findall(r"\br\d{3}\b", page))


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")
def test_a_long_table_breaks_between_rows_with_its_header_on_each_page(tmp_path):
    # two thirds of a page of text, then a table of 45 rows (a page holds about 35): kept
    # whole, as JupyterLab keeps an output, it starts on page 2 and ends on page 3
    html = tmp_path / "long.html"
    html.write_text(_print_page(_filler(100) + _table(45)), encoding="utf-8")
    pages = _pages(print_pdf(html, tmp_path / "long.pdf", browser=CHROMIUM))
    assert len(pages) == 2, len(pages)
    # the table starts on page 1, its header repeats on page 2
    assert "Table 1" in pages[0] and "r000" in _rows(pages[0]) and "r044" in _rows(pages[1])
    assert all("Head-A" in page for page in pages)
    assert not _rows(pages[0]) & _rows(pages[1])  # a row whole, on one page


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")
def test_a_short_table_and_a_heading_stay_with_what_they_belong_to(tmp_path):
    html = tmp_path / "page.html"
    heading = (
        '<div class="jp-Cell jp-MarkdownCell"><div class="jp-RenderedHTMLCommon '
        'jp-RenderedMarkdown"><h4 id="z">Heading-Z</h4></div></div>'
    )
    for units in (144, 150, 156):  # the page's end falls at three places in turn
        # a table of 12 rows marked ek-keep (as _captioned_table marks it): on one page
        html.write_text(_print_page(_filler(units) + _table(12, keep=True)), encoding="utf-8")
        pages = _pages(print_pdf(html, tmp_path / "short.pdf", browser=CHROMIUM))
        holding = [k for k, page in enumerate(pages) if _rows(page)]
        assert len(holding) == 1 and "Table 1" in pages[holding[0]], units
        # a heading never alone at the foot of a page: the table's first row is with it
        html.write_text(_print_page(_filler(units) + heading + _table(20)), encoding="utf-8")
        pages = _pages(print_pdf(html, tmp_path / "heading.pdf", browser=CHROMIUM))
        at = next(k for k, page in enumerate(pages) if "Heading-Z" in page)
        assert "r000" in _rows(pages[at]), units


def test_short_tables_are_marked_to_be_kept_on_one_page():
    from evalkit.run.export import SHORT_TABLE_ROWS, _captioned_table

    def captioned(rows: int) -> str:
        table = "<table>" + "<tr><td>1</td></tr>" * rows + "</table>"
        out = {"output_type": "display_data", "data": {"text/html": table}, "metadata": {}}
        return _captioned_table(out, 1, "T", "en")["data"]["text/html"]

    assert captioned(SHORT_TABLE_ROWS).startswith('<div class="ek-captioned ek-keep">')
    assert captioned(SHORT_TABLE_ROWS + 1).startswith('<div class="ek-captioned">')


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")
def test_a_long_table_leaves_neither_its_header_nor_its_last_row_alone_on_a_page(tmp_path):
    html = tmp_path / "rows.html"
    # 34 rows on an empty page end one row past it (33 fit); 30 rows after about a page
    # of text start one row before its end: each place the page's end falls, in turn
    for rows, units in ((34, 0), (34, 1), (34, 2), (30, 152), (30, 154), (30, 156)):
        html.write_text(_print_page(_filler(units) + _table(rows)), encoding="utf-8")
        pages = _pages(print_pdf(html, tmp_path / "rows.pdf", browser=CHROMIUM))
        counts = [len(_rows(page)) for page in pages]
        assert sum(counts) == rows and all(n == 0 or n >= 2 for n in counts), (units, counts)
        caption = next(k for k, page in enumerate(pages) if "Table 1" in page)
        assert counts[caption] >= 2, (units, counts)  # caption and header with two rows


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")
def test_a_row_group_a_page_splits_is_labelled_on_the_next_page(tmp_path):
    import pandas as pd

    from evalkit.run.export import _captioned_table

    # the instruments table: the instrument's rows grouped under its name (pandas writes
    # it once, in a cell spanning the group), here 45 rows, more than a page holds
    index = pd.MultiIndex.from_tuples(
        [("Group-A", f"r{k:03d}") for k in range(45)] + [("Group-B", "r045")],
        names=["Instrument", "Item"],
    )
    frame = pd.DataFrame({"Scale": ["1-5"] * 46}, index=index)
    out = {"output_type": "display_data", "data": {"text/html": frame.to_html()}, "metadata": {}}
    table = _captioned_table(out, 1, "Instruments", "en")["data"]["text/html"]
    html = tmp_path / "groups.html"
    html.write_text(_print_page(_output(table)), encoding="utf-8")
    pages = _pages(print_pdf(html, tmp_path / "groups.pdf", browser=CHROMIUM))
    assert len(pages) == 2 and _rows(pages[1]), len(pages)
    for page in pages:  # each row carries its instrument: 45 of A, then B's one
        assert page.count("Group-A") == len(_rows(page) - {"r045"}), page


def test_tables_of_ten_columns_or_more_are_marked_to_be_printed_smaller():
    from evalkit.run.export import WIDE_TABLE_COLUMNS, _captioned_table

    def captioned(columns: int) -> str:
        # a header row whose first cell spans two columns, as a two-level header's does
        cells = '<th colspan="2">a</th>' + "<th>b</th>" * (columns - 2)
        table = f"<table><thead><tr>{cells}</tr></thead><tbody><tr><td>1</td></tr></tbody></table>"
        out = {"output_type": "display_data", "data": {"text/html": table}, "metadata": {}}
        return _captioned_table(out, 1, "T", "en")["data"]["text/html"]

    assert WIDE_TABLE_COLUMNS == 10
    assert "ek-wide" in captioned(10) and "ek-wide" in captioned(12)
    assert "ek-wide" not in captioned(9)


def _header_words(html: str) -> list[str]:
    """The words of the column headers of every captioned table of a report."""
    words = []
    for block in re.findall(r'<div class="ek-captioned.*?</table>', html, re.S):
        for head in re.findall(r"<thead>(.*?)</thead>", block, re.S):
            text = htmllib.unescape(re.sub(r"<[^>]+>", " ", head))
            words += unicodedata.normalize("NFKC", text).split()
    return words


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")
@pytest.mark.parametrize("name", ["impact.en.html", "overview.html"])
def test_no_column_of_the_demo_s_widest_tables_is_cut_off_in_print(demo, tmp_path, name):
    # The impact study's inference summary (12 columns) and the overview's cost and ROI
    # tables (10-11) are wider than an A4 page at the screen's type size. Printed, every
    # word of every table's header is on a page: a column cut off at the page's edge, or
    # hidden in a scrolling box, leaves its words out of the PDF.
    root, _ = demo
    html = root / "reports" / "demo" / name
    words = _header_words(html.read_text(encoding="utf-8"))
    assert len(words) > 50, len(words)
    pages = _pages(print_pdf(html, tmp_path / "report.pdf", browser=CHROMIUM))
    printed = re.sub(r"\s+", "", "".join(pages))
    missing = sorted({word for word in words if word not in printed})
    assert not missing, missing
