"""Reports in both languages: ``--lang id|en|both``, twins, the index in both languages.

Unit tests of the naming scheme, the language switch, the index, the appendix (one
language per report) and the warning format need no kernel; one small end-to-end run
checks that each language has its own state (an up-to-date English report is not re-run,
``--force`` re-runs both), and the whole demo (tests/conftest.py, built in both
languages) checks that its English pages hold no Indonesian words of evalkit's own.
"""

from __future__ import annotations

import html
import json
import os
import re
import warnings
from pathlib import Path

import pandas as pd
import pytest
from processed_fixture import write_processed_study

from evalkit.cli import build_parser
from evalkit.errors import EvalkitWarning, ParameterError
from evalkit.run.appendix import write_appendix
from evalkit.run.export import language_switch, link_twins, render_html
from evalkit.run.index import index_file, write_index
from evalkit.run.plan import plan_jobs, report_stem, run_languages

REPO = Path(__file__).resolve().parent.parent


def _project(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'scratch'\n")
    (root / "notebooks").symlink_to(REPO / "notebooks", target_is_directory=True)
    return root


def _state(folder: Path, **state) -> dict:
    """Write a report's state file (and its HTML when it succeeded)."""
    stem = report_stem(state["name"], state.get("lang", "id"))
    state = {"status": "ok", "cohort_id": None, "html": f"{stem}.html", "stem": stem,
             "headline": {}, **state}  # fmt: skip
    (folder / "_executed").mkdir(parents=True, exist_ok=True)
    (folder / "_executed" / f"{stem}.json").write_text(json.dumps(state), encoding="utf-8")
    if state["status"] == "ok":
        (folder / state["html"]).write_text(language_switch(None, state.get("lang", "id")))
    return state


# --- naming, planning, the command line ---------------------------------------------------


def test_both_languages_are_planned_with_their_own_files_and_fingerprints(tmp_path):
    root = _project(tmp_path / "p")
    write_processed_study(root, "demo", cohorts=("C01",), impact=False)
    plans, _ = plan_jobs(["demo"], None, ["cohort", "overview"], root=root,
                         reports=root / "reports", lang="both", keep_code=False)  # fmt: skip
    names = [(p.job.name, p.lang, p.html.name, p.state.name, p.executed.name) for p in plans]
    assert names == [
        ("cohort-C01", "id", "cohort-C01.html", "cohort-C01.json", "cohort-C01.ipynb"),
        ("cohort-C01", "en", "cohort-C01.en.html", "cohort-C01.en.json", "cohort-C01.en.ipynb"),
        ("overview", "id", "overview.html", "overview.json", "overview.ipynb"),
        ("overview", "en", "overview.en.html", "overview.en.json", "overview.en.ipynb"),
    ]
    assert plans[0].parameters["lang"] == "id" and plans[1].parameters["lang"] == "en"
    assert plans[0].fingerprint != plans[1].fingerprint
    english, _ = plan_jobs(["demo"], None, ["cohort"], root=root, reports=root / "reports",
                           lang="en", keep_code=False)  # fmt: skip
    assert [p.fingerprint for p in english] == [plans[1].fingerprint]
    with pytest.raises(ParameterError, match="'lang' must be one of"):
        run_languages("english")


def test_cli_lang_defaults_to_indonesian_and_takes_en_and_both(capsys):
    parser = build_parser()
    assert parser.parse_args(["report"]).lang == "id"
    assert parser.parse_args(["report", "--lang", "both"]).lang == "both"
    assert parser.parse_args(["report", "--lang", "en"]).lang == "en"
    with pytest.raises(SystemExit):
        parser.parse_args(["report", "--lang", "fr"])
    assert "invalid choice: 'fr'" in capsys.readouterr().err


# --- navigation -------------------------------------------------------------------------


def test_a_report_links_to_the_index_of_its_language_and_to_its_twin(tmp_path):
    import nbformat

    v4 = nbformat.v4
    nb = v4.new_notebook(cells=[v4.new_markdown_cell("# Cohort report\n## A")])
    page = render_html(nb, lang="en", index_href="../index.en.html")
    assert '<a href="../index.en.html">← All reports of this study</a>' in page
    assert "<!-- ek:switch --><!-- /ek:switch -->" in page  # no twin yet
    folder = tmp_path / "demo"
    folder.mkdir()
    (folder / "cohort-A.en.html").write_text(page)
    (folder / "overview.html").write_text(render_html(nb, lang="id"))
    assert link_twins(folder) == []  # neither twin exists
    (folder / "cohort-A.html").write_text(render_html(nb, lang="id"))
    assert [p.name for p in link_twins(folder)] == ["cohort-A.en.html", "cohort-A.html"]
    english = (folder / "cohort-A.en.html").read_text()
    assert ('<a class="ek-lang" href="cohort-A.html" hreflang="id" lang="id">'
            "Bahasa Indonesia</a>") in english  # fmt: skip
    assert 'href="cohort-A.en.html" hreflang="en"' in (folder / "cohort-A.html").read_text()
    assert link_twins(folder) == []  # nothing changed: nothing rewritten
    (folder / "cohort-A.html").unlink()  # the twin failed: the link goes
    assert [p.name for p in link_twins(folder)] == ["cohort-A.en.html"]
    assert "<!-- ek:switch --><!-- /ek:switch -->" in (folder / "cohort-A.en.html").read_text()


def _rows(page: str) -> list[str]:
    return [line for line in page.splitlines() if line.startswith("<tr><td")]


def test_the_index_is_written_in_both_languages_with_a_switch_and_says_what_was_not_made(
    tmp_path,
):
    root = _project(tmp_path / "p")
    reports = root / "reports"
    folder = reports / "s"
    (root / "data" / "processed" / "s").mkdir(parents=True)  # no ikm table
    _state(folder, kind="cohort", cohort_id="A", name="cohort-A", lang="id")
    _state(folder, kind="cohort", cohort_id="A", name="cohort-A", lang="en")
    _state(folder, kind="overview", name="overview", lang="id")
    indonesian = write_index(reports, lang="id", root=root)
    english = write_index(reports, lang="en", root=root)
    assert (indonesian.name, english.name) == ("index.html", "index.en.html") == (
        index_file("id"), index_file("en"))  # fmt: skip
    id_page, en_page = indonesian.read_text(), english.read_text()
    assert '<a href="index.en.html" hreflang="en" lang="en">English</a>' in id_page
    assert '<a href="index.html" hreflang="id" lang="id">Bahasa Indonesia</a>' in en_page
    assert _rows(id_page)[0].startswith('<tr><td><a href="s/cohort-A.html">Angkatan A</a>')
    assert _rows(en_page)[0].startswith('<tr><td><a href="s/cohort-A.en.html">Cohort A</a>')
    # the overview exists in Indonesian only: the English index links it and says so
    assert _rows(en_page)[1].startswith(
        '<tr><td><a href="s/overview.html">Program overview (in Indonesian only)</a>'
    )
    assert len(_rows(en_page)) == len(_rows(id_page)) == 2  # one row per report
    # why there is no impact study, in the index's language
    assert re.search(r'<p class="not-made">Studi dampak tidak dibuat: data/processed/s '
                     r"tidak memiliki tabel ikm, survei kepuasan masyarakat", id_page)  # fmt: skip
    assert re.search(r'<p class="not-made">Impact study not made: data/processed/s has no '
                     r"ikm table, the public-satisfaction survey", en_page)  # fmt: skip


def test_the_ledger_and_workbook_take_each_report_once_in_one_language(tmp_path):
    folder = tmp_path / "reports" / "s"
    estimate = {"level": 2, "outcome": "score", "estimand": "mean_change", "group": None,
                "estimate": 5.96, "ci_low": 3.27, "ci_high": 8.65, "p_value": 0.0001,
                "p_adjusted": None, "n": 24, "n_clusters": None, "method": "paired t",
                "primary": True}  # fmt: skip
    for lang, section in (("id", "Pembelajaran"), ("en", "Learning")):
        state = _state(folder, kind="cohort", cohort_id="A", name="cohort-A", lang=lang)
        tables = folder / "_executed" / "tables" / f"{state['stem']}.json"
        tables.parent.mkdir(parents=True, exist_ok=True)
        tables.write_text(json.dumps({
            "report": "cohort-A", "lang": lang, "estimates": [estimate],
            "tables": [{"section": section, "columns": ["n"], "data": [[24]]}],
        }))  # fmt: skip
    write_appendix(folder)
    ledger = pd.read_csv(folder / "results.csv")
    assert ledger["report"].tolist() == ["cohort-A"] and ledger["estimate"].tolist() == [5.96]
    contents = pd.read_excel(folder / "tables.xlsx", sheet_name="contents", engine="openpyxl")
    assert contents[["section", "csv"]].values.tolist() == [
        ["Pembelajaran", "tables/cohort-A-1.csv"]
    ]
    write_appendix(folder, prefer=("en", "id"))  # an English-only run: its own tables
    contents = pd.read_excel(folder / "tables.xlsx", sheet_name="contents", engine="openpyxl")
    assert contents[["section", "csv"]].values.tolist() == [
        ["Learning", "tables/cohort-A.en-1.csv"]
    ]
    assert len(pd.read_csv(folder / "results.csv")) == 1


# --- warnings ---------------------------------------------------------------------------


def test_an_evalkit_warning_is_shown_without_a_file_path():
    import subprocess
    import sys

    code = (
        "import warnings\n"
        "from evalkit.errors import EvalkitWarning\n"
        "warnings.warn('ikm: 6 missing answer(s) skipped', EvalkitWarning)\n"
        "warnings.warn('x', UserWarning)\n"
    )
    err = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stderr
    assert err.splitlines() == [
        "EvalkitWarning: ikm: 6 missing answer(s) skipped",
        "<string>:4: UserWarning: x",  # other warnings keep Python's format
    ]
    line = warnings.formatwarning("m", EvalkitWarning, "/home/u/evalkit/metrics/results.py", 3)
    assert line == "EvalkitWarning: m\n"


# --- end to end: each language has its own state ----------------------------------------


@pytest.mark.slow
def test_each_language_is_up_to_date_on_its_own_and_force_reruns_both(tmp_path, monkeypatch):
    from evalkit.run.execute import run_reports

    root = _project(tmp_path / "p")
    write_processed_study(root, "demo", cohorts=("C01",), impact=False)
    monkeypatch.setenv("EVALKIT_ROOT", str(root))
    kw = {"studies": ["demo"], "kinds": ["cohort"], "jobs": 2, "progress": False}
    first = run_reports(lang="id", **kw)
    assert [(r.name, r.status) for r in first.results] == [("cohort-C01", "ran")]
    folder = root / "reports" / "demo"
    assert "<!-- ek:switch --><!-- /ek:switch -->" in (folder / "cohort-C01.html").read_text()
    both = run_reports(lang="both", **kw)
    assert [(r.name, r.status) for r in both.results] == [
        ("cohort-C01", "up to date"), ("cohort-C01.en", "ran")]  # fmt: skip
    assert str(both).splitlines()[1].endswith("index.html (also index.en.html)")
    again = run_reports(lang="en", **kw)
    assert [(r.name, r.status) for r in again.results] == [("cohort-C01.en", "up to date")]
    forced = run_reports(lang="both", force=True, **kw)
    assert [(r.name, r.status) for r in forced.results] == [
        ("cohort-C01", "ran"), ("cohort-C01.en", "ran")]  # fmt: skip
    english = (folder / "cohort-C01.en.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in english and 'href="../index.en.html"' in english
    assert 'class="ek-lang" href="cohort-C01.html"' in english
    assert 'class="ek-lang" href="cohort-C01.en.html"' in (folder / "cohort-C01.html").read_text()
    figures = sorted(p.name for p in (folder / "figures").iterdir())
    assert "cohort-C01.en-1.png" in figures and "cohort-C01-1.png" in figures
    assert all(re.fullmatch(r"cohort-C01(\.en)?-\d+\.(png|svg)", f) for f in figures), figures
    assert (root / "reports" / "index.en.html").is_file()


# --- the whole demo in English ----------------------------------------------------------

#: Words of evalkit's own Indonesian wording that an English page must not hold (outside
#: the data it quotes: item texts, comments, program and unit names, file names).
INDONESIAN_ONLY = (
    "Berdampak", "Sangat", "Kurang", "Cukup", "Baik", "baik", "peserta", "Peserta",
    "angkatan", "Angkatan", "Rerata", "Tabel", "Gambar", "Pesimis", "Optimis", "Laki-laki",
    "Perempuan", "narasumber", "Narasumber", "Kenaikan", "s.d.", "Ikhtisar", "dampak",
    "Tidak", "tidak", "dan", "yang", "dengan", "untuk", "bulan", "dari", "pelatihan",
    "Klasikal", "Praktisi", "Setuju", "Sebelum", "Sesudah", "Laporan", "Daftar isi",
    "Asal-usul", "Catatan", "gagal", "tahun",
)  # fmt: skip


def _quoted_data(root: Path) -> list[str]:
    """Texts a report quotes from the data, in the data's language (longest first)."""
    processed = root / "data" / "processed" / "demo"
    texts: set[str] = set()
    for text in pd.read_parquet(processed / "reaction_items.parquet")["text"].dropna():
        texts.add(str(text))
        texts.update(re.findall(r"\[(.+?)\]", str(text)))
    texts.update(pd.read_parquet(processed / "followup_items.parquet")["text"].dropna())
    texts.update(pd.read_parquet(processed / "programs.parquet")["program_name"].dropna())
    for table in ("participants", "ikm"):
        texts.update(pd.read_parquet(processed / f"{table}.parquet")["unit"].dropna())
    return sorted((str(t) for t in texts if str(t).strip()), key=len, reverse=True)


def _english_words(page: str, quoted: list[str]) -> str:
    """The visible text of a page, without provenance, quotes and data texts."""
    page = re.sub(r'<section class="ek-provenance".*?</section>', " ", page, flags=re.S)
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    text = re.sub(r"“[^”]*”", " ", text)  # comments are quoted as written
    for data in quoted:
        text = text.replace(data, " ")
    return re.sub(r"\s+", " ", text)


def _indonesian_words(text: str) -> list[str]:
    found = []
    for word in INDONESIAN_ONLY:
        for m in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", text):
            found.append(f"{word!r} in ...{text[max(0, m.start() - 60) : m.end() + 30]}...")
    return found


def test_the_language_check_finds_a_band_label_left_in_indonesian():
    text = _english_words("<p>Transfer index 59.7 of 100 (n = 30): <b>Berdampak</b>.</p>", [])
    (found,) = _indonesian_words(text)
    assert found.startswith("'Berdampak' in ...") and "(n = 30): Berdampak ." in found
    assert _indonesian_words(_english_words("<p>(n = 30): Impactful.</p>", [])) == []


@pytest.mark.slow
def test_the_english_demo_holds_no_indonesian_words_of_its_own(demo):
    root, summary = demo
    assert summary.ok, str(summary)
    folder = root / "reports" / "demo"
    pages = sorted(folder.glob("*.en.html"))
    assert len(pages) == len(list(folder.glob("*.html"))) // 2 >= 17
    quoted = _quoted_data(root)
    found = {}
    for path in [*pages, root / "reports" / "index.en.html"]:
        words = _indonesian_words(_english_words(path.read_text(encoding="utf-8"), quoted))
        if words:
            found[path.name] = words[:5]
    assert not found, found


@pytest.mark.slow
def test_every_demo_report_links_to_its_twin_and_its_index_and_shows_no_warning(demo):
    root, _ = demo
    folder = root / "reports" / "demo"
    for path in folder.glob("*.html"):
        page = path.read_text(encoding="utf-8")
        english = path.name.endswith(".en.html")
        twin = path.name.removesuffix(".en.html") + ".html" if english else path.stem + ".en.html"
        assert f'class="ek-lang" href="{twin}"' in page, path.name
        assert f'href="../{"index.en.html" if english else "index.html"}"' in page, path.name
        assert f'<html lang="{"en" if english else "id"}">' in page, path.name
        assert "Warning" not in _english_words(page, []), path.name
        assert os.sep + "evalkit" + os.sep not in page, path.name  # no source path
    ledger = pd.read_csv(folder / "results.csv")
    assert not ledger["report"].astype(str).str.endswith(".en").any()
    recorded = [
        json.loads(p.read_text(encoding="utf-8")).get("estimates") or []
        for p in (folder / "_executed" / "tables").glob("*.json")
        if not p.name.endswith(".en.json")
    ]
    assert len(ledger) == sum(map(len, recorded))  # one row per estimate, not one per language
