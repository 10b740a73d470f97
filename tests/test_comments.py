"""Comment themes: keyword classification, counts by group, quotes, escaping, and the
group-level disclosure rule (a group of fewer than 5 respondents shows none of it)."""

from __future__ import annotations

import shutil
import subprocess

import pandas as pd
import pytest
from processed_fixture import COMMENTS

from evalkit.errors import ParameterError
from evalkit.reporting import comments as ekc
from evalkit.reporting import disclosure as D
from evalkit.reporting.comments import quotes_html


@pytest.fixture
def comments() -> pd.DataFrame:
    rows = [
        {"cohort_id": cid, "participant_id": f"{cid}-{i}", "text": text}
        for cid in ("A", "B")
        for i, text in enumerate(COMMENTS)
    ]
    return pd.DataFrame(rows)


@pytest.mark.parametrize(
    ("text", "themes"),
    [
        ("Materinya sangat bermanfaat untuk pekerjaan kami di unit.",
         {"content", "relevance", "praise"}),
        ("Perlu lebih fokus pada kebutuhan bidang masing-masing.", {"relevance"}),
        ("More focus on specific field needs, please", {"relevance"}),
        ("Jadwal terlalu padat sampai sore.", {"time"}),
        ("AC ruangan tidak dingin", {"facilities"}),
        ("Konsumsi cukup baik, terima kasih panitia.", {"catering", "organisation", "praise"}),
        ("Waktu pelatihan singkat, mohon ditambah untuk praktik.", {"time", "practice"}),
        ("Narasumber sangat komunikatif", {"facilitator", "praise"}),
        ("Materi kurang bermanfaat", {"content"}),  # negated praise is not praise
        ("Acara pelatihan berjalan lancar", {"other"}),  # "acara" is not "AC"; "pelatihan" not a trainer
    ],
)  # fmt: skip
def test_keywords_find_the_themes_in_both_languages(text, themes):
    hits = ekc.classify(pd.DataFrame({"text": [text]}))
    assert set(hits.columns[hits.iloc[0]]) == themes


def test_placeholders_and_missing_texts_are_not_comments():
    frame = pd.DataFrame({"text": ["Tidak ada.", "-", "oke", "None", None, "  ", "Jadwal padat"]})
    assert len(ekc.classify(frame)) == 1
    assert ekc.comment_themes(frame)["n_total"].iloc[0] == 1


def test_counts_by_group_in_one_table(comments):
    themes = ekc.comment_themes(comments, by="cohort_id")
    assert themes.index.names == ["cohort_id", "theme"]
    assert list(themes.columns) == [
        "n_comments", "n_people", "pct_comments", "n_total", "n_respondents"
    ]  # fmt: skip
    a = themes.xs("A", level="cohort_id")
    assert list(a.index) == [*ekc.THEMES, ekc.OTHER]
    assert a.loc["time", "n_comments"] == 6 and a.loc["catering", "n_people"] == 2
    assert a.loc["time", "pct_comments"] == pytest.approx(100 * 6 / 9)  # "Tidak ada." left out
    assert (a["n_respondents"] == 9).all()  # 10 answers, one of them "Tidak ada."
    pd.testing.assert_frame_equal(a, ekc.comment_themes(comments[comments["cohort_id"] == "A"]))


def test_people_are_counted_once_however_many_comments_they_write():
    frame = pd.DataFrame({"participant_id": ["P1", "P1", None], "text": ["Jadwal padat"] * 3})
    row = ekc.comment_themes(frame).loc["time"]
    assert (row["n_comments"], row["n_people"]) == (3, 2)  # a missing id counts as one person
    assert row["n_respondents"] == 2 and ekc.respondents(frame) == 2
    said_nothing = frame.assign(participant_id=["P1", "P1", "P2"], text=["Jadwal", "x", "-"])
    assert ekc.respondents(said_nothing) == 1  # "-" is no comment, P1 wrote two


def test_the_group_rule_shows_all_of_five_respondents_and_nothing_of_four():
    """At 5 people every theme, count and quote is shown; at 4 one sentence and nothing else,
    in both languages, and the threshold is the disclosure module's."""
    texts = ["Konsumsi kurang hangat.", "Jadwal terlalu padat sampai sore.",
             "AC ruangan tidak dingin sama sekali.", "Sertifikat belum diterima.",
             "Modul dicetak terlalu kecil."]  # fmt: skip
    five = pd.DataFrame({"participant_id": list("abcde"), "text": texts})
    assert D.MIN_RESPONDENTS == 5
    for lang in ("id", "en"):
        themes = ekc.comment_themes(five)
        assert ekc.comments_shown(themes)
        table = ekc.theme_table(themes, lang)
        assert len(table) == 5 and set(table.iloc[:, 1]) == {"1"}  # five themes of 1 person
        assert ekc.example_quotes(five, k=3)["quote"].tolist() == [
            "Modul dicetak terlalu kecil.", "Jadwal terlalu padat sampai sore.",
            "AC ruangan tidak dingin sama sekali.", "Konsumsi kurang hangat.",
            "Sertifikat belum diterima.",
        ]  # fmt: skip
        four = ekc.comment_themes(five.iloc[:4])
        assert not ekc.comments_shown(four) and ekc.theme_table(four, lang).empty
        assert ekc.themes_conclusion(four, lang) == D.withheld_note(lang)
        assert not any(ch.isdigit() and ch != "5" for ch in D.withheld_note(lang).split("(")[0])
        assert ekc.example_quotes(five.iloc[:4]).empty
    # four people writing many comments are still four
    many = pd.concat([five.iloc[:4]] * 3, ignore_index=True)
    assert not ekc.comments_shown(ekc.comment_themes(many))
    by = ekc.example_quotes(pd.concat([five.assign(cohort_id="A"),
                                       five.iloc[:4].assign(cohort_id="B")]), by="cohort_id")  # fmt: skip
    assert set(by["cohort_id"]) == {"A"}
    with pytest.raises(ParameterError, match="comments_shown: parameter 'themes'"):
        ekc.comments_shown(pd.DataFrame({"n_people": [3]}))


def test_input_is_not_modified(comments):
    before = comments.copy()
    ekc.comment_themes(comments, by="cohort_id")
    ekc.example_quotes(comments, by="cohort_id")
    pd.testing.assert_frame_equal(comments, before)


def test_quotes_are_short_distinct_deterministic_and_of_every_theme(comments):
    quotes = ekc.example_quotes(comments[comments["cohort_id"] == "A"], k=3)
    # 9 people wrote: every theme is quoted, even one raised by one person
    assert quotes["theme"].tolist() == [
        "content", "time", "time", "time", "catering", "organisation", "relevance", "practice"
    ]  # fmt: skip
    time = quotes[quotes["theme"] == "time"]
    assert time["rank"].tolist() == [1, 2, 3]
    assert time["quote"].tolist() == [
        "Waktu istirahat terlalu pendek.",
        "Jadwal terlalu padat sampai sore.",
        "Jadwal sebaiknya tidak di akhir tahun anggaran.",
    ]  # shortest first; "Durasi sesi praktik kurang lama." illustrates practice, its only one
    assert quotes.loc[quotes["theme"] == "practice", "quote"].tolist() == [
        "Durasi sesi praktik kurang lama."
    ]
    shuffled = comments.sample(frac=1, random_state=3)
    again = ekc.example_quotes(shuffled[shuffled["cohort_id"] == "A"], k=3)
    pd.testing.assert_frame_equal(quotes, again)
    everything = ekc.example_quotes(comments, by="cohort_id", k=10)
    assert not everything.duplicated(["cohort_id", "theme", "quote"]).any()


def test_quotes_with_masked_contacts_are_not_reprinted():
    frame = pd.DataFrame({"participant_id": list("ABCDE"),
                          "text": [f"Jadwal padat {i}, hubungi [telepon]" for i in range(4)]
                          + ["Jadwal terlalu padat"]})  # fmt: skip
    assert ekc.example_quotes(frame)["quote"].tolist() == ["Jadwal terlalu padat"]


def test_a_comment_with_markup_is_printed_as_text_and_runs_nothing(comments):
    quotes = ekc.example_quotes(comments, k=10)
    html = ekc.quotes_html(quotes, "en")._repr_html_()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;tebal&lt;/b&gt;" in html
    assert "<script" not in html and "<b>" not in html


def test_quotes_html_escapes_any_quote():
    quotes = pd.DataFrame({"theme": ["content"], "quote": ['<img src=x onerror="alert(1)"> & "']})
    html = ekc.quotes_html(quotes, "id")._repr_html_()
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &quot;" in html
    assert "<img" not in html


def test_theme_table_of_a_shown_group_gives_every_count_as_it_is(comments):
    themes = ekc.comment_themes(comments[comments["cohort_id"] == "A"])
    table = ekc.theme_table(themes, "en")
    assert table.loc["Time and schedule"].tolist() == ["6", "6", "67%"]
    assert table.loc["Catering"].tolist() == ["2", "2", "22%"]  # 2 of 9 respondents
    assert table.loc["Practice and case studies"].tolist() == ["1", "1", "11%"]
    assert "Facilitators" not in table.index  # nobody mentioned it
    assert table.index[0] == "Time and schedule"  # most people first
    ind = ekc.theme_table(themes, "id")
    assert list(ind.columns) == ["Komentar", "Orang", "% komentar"] and ind.index.name == "Tema"


def test_conclusion_counts_comments_and_their_writers_and_names_the_commonest(comments):
    themes = ekc.comment_themes(comments[comments["cohort_id"] == "A"])
    text = ekc.themes_conclusion(themes, "id", n_participants=24)
    assert text.startswith("9 dari 24 peserta menulis 9 komentar berisi.")
    assert "waktu dan jadwal (67% komentar), konsumsi (22%) dan pujian dan apresiasi (22%)" in text
    english = ekc.themes_conclusion(themes, "en")
    assert english.startswith("9 participants wrote 9 comments with content. Most often raised:")


def test_no_quotes_message_and_empty_comments():
    empty = ekc.example_quotes(pd.DataFrame({"text": ["Tidak ada."]}))
    assert empty.empty
    assert "No comment could be quoted" in ekc.quotes_html(empty, "en")
    assert "Tidak ada komentar yang dapat dikutip" in ekc.quotes_html(empty, "id")
    nothing = ekc.comment_themes(pd.DataFrame({"text": ["Tidak ada.", "-"]}))
    assert ekc.themes_conclusion(nothing, "en") == "There were no comments with content."
    assert not ekc.comments_shown(nothing)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: ekc.comment_themes(pd.DataFrame({"teks": ["x"]})),
         r"comment_themes: column\(s\) \['text'\] not in comments"),
        (lambda: ekc.comment_themes(pd.DataFrame({"text": ["x"]}), by="cohort_id"),
         r"comment_themes: column\(s\) \['cohort_id'\] not in comments"),
        (lambda: ekc.classify(["x"]), "classify: parameter 'comments' must be a DataFrame"),
        (lambda: ekc.example_quotes(pd.DataFrame({"text": ["x"]}), k=0),
         "example_quotes: parameter 'k' must be an integer >= 1, got 0"),
        (lambda: ekc.quotes_html(pd.DataFrame({"text": ["x"]})),
         r"quotes_html: column\(s\) \['theme', 'quote'\] not in quotes"),
        (lambda: ekc.theme_table(ekc.comment_themes(pd.DataFrame(
             {"cohort_id": ["A"], "text": ["x"]}), by="cohort_id")),
         "theme_table: parameter 'themes' must hold one group"),
        (lambda: ekc.theme_label("time", "fr"), "parameter 'lang' must be one of"),
    ],
)  # fmt: skip
def test_errors_name_the_function_and_the_parameter(call, message):
    with pytest.raises(ParameterError, match=message):
        call()


@pytest.mark.slow
def test_cohort_report_prints_themes_and_escaped_quotes(tmp_path, monkeypatch):
    """The real cohort notebook, through papermill and the HTML export."""
    from pathlib import Path

    from processed_fixture import write_processed_study

    from evalkit.run.execute import run_reports

    repo = Path(__file__).resolve().parent.parent
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'scratch'\n")
    (tmp_path / "notebooks").symlink_to(repo / "notebooks", target_is_directory=True)
    write_processed_study(tmp_path, "demo", cohorts=("C01",), impact=False)
    monkeypatch.setenv("EVALKIT_ROOT", str(tmp_path))
    summary = run_reports(studies=["demo"], kinds=["cohort"], jobs=1, progress=False)
    assert summary.ok, str(summary)
    page = (tmp_path / "reports" / "demo" / "cohort-C01.html").read_text(encoding="utf-8")
    assert "Komentar peserta" in page and "Waktu dan jadwal" in page
    # 9 people wrote: the comment with markup is quoted, escaped, and runs nothing
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page and "<b>tebal</b>" not in page
    assert "Jadwal terlalu padat sampai sore." in page


def test_a_handful_of_writers_gets_one_sentence_and_no_number():
    frame = pd.DataFrame({"participant_id": list("ABC"), "text": ["Jadwal padat"] * 3})
    text = ekc.themes_conclusion(ekc.comment_themes(frame), "en", n_participants=20)
    before_law = text.split("(UU")[0]  # the law's number aside, no count is given
    assert text == D.withheld_note("en") and "20" not in before_law and "3" not in before_law
    assert ekc.themes_conclusion(ekc.comment_themes(frame), "id").startswith(
        "Kurang dari 5 peserta menulis komentar berisi"
    )


@pytest.mark.browser
@pytest.mark.skipif(
    not (shutil.which("chromium") or shutil.which("chromium-browser")),
    reason="Chromium is not installed (CI installs it)",
)
def test_hostile_comments_show_as_text_and_run_nothing_in_a_browser(tmp_path):
    """Quotes go through the report's own HTML export and a real browser: no script runs."""
    import nbformat

    from evalkit.run.export import render_html

    hostile = [
        "<script>document.title = 'RAN-SCRIPT'</script> materi bagus sekali",
        "<img src=x onerror=\"document.title = 'RAN-ONERROR'\"> narasumber jelas",
        '=HYPERLINK("http://x") <b>tebal</b> waktu kurang',
    ]
    quotes = pd.DataFrame({"theme": ["content", "facilitator", "time"], "quote": hostile})
    cell = nbformat.v4.new_code_cell("quotes")
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data", data={"text/html": str(quotes_html(quotes, "en")), "text/plain": ""}
        )
    ]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Hostile comments"), cell])
    page = tmp_path / "page.html"
    page.write_text(render_html(nb, lang="en"), encoding="utf-8")
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    proc = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=3000", "--dump-dom",
         page.as_uri()],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    dom = proc.stdout
    assert "<title>Hostile comments</title>" in dom  # neither script changed the title
    assert "RAN-" not in dom.split("<body", 1)[0]
    for text in ("&lt;script&gt;document.title", "&lt;img src=x onerror=", "&lt;b&gt;tebal"):
        assert text in dom, text  # shown as text
    assert "<script>document.title" not in dom and "<b>tebal</b>" not in dom


def test_a_comment_is_quoted_under_one_theme_only():
    texts = [
        "Konsumsi cukup baik, terima kasih panitia.",
        "Konsumsi kurang bervariasi dan kurang hangat.",
        "Makanan siang terlambat datang setiap hari.",
        "Snack dan makan siang enak sekali.",
        "Konsumsi sangat memuaskan selama pelatihan.",
        "Panitia sangat ramah dan membantu peserta.",
        "Pelayanan panitia baik dan cepat tanggap.",
    ]
    frame = pd.DataFrame({"participant_id": [f"p{i}" for i in range(len(texts))], "text": texts})
    quotes = ekc.example_quotes(frame, k=3)
    assert not quotes["quote"].duplicated().any()
    assert quotes.groupby("theme")["rank"].apply(list).map(lambda r: r == sorted(r)).all()
