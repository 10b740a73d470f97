"""Disclosure control: the one small-cell rule, the group-level rule of comments, the
share rule, and their wording."""

from __future__ import annotations

import html
import re

import numpy as np
import pandas as pd
import pytest
from reporting_fixtures import COMPLIANCE

from evalkit import reporting as ekr
from evalkit.errors import ParameterError


def test_suppressed_hides_one_more_cell_when_only_one_is_small():
    small, hidden = ekr.suppressed(pd.Series({"a": 9, "b": 3, "c": 12}))
    assert small.tolist() == [False, True, False] and hidden.tolist() == [True, True, False]
    small, hidden = ekr.suppressed(pd.Series({"a": 2, "b": 3, "c": 12}))
    assert hidden.tolist() == [True, True, False]


def test_compliance_safe_blanks_rates_of_fewer_than_five_and_drops_the_counts():
    safe = ekr.compliance_safe(COMPLIANCE)
    assert "n_compliant" not in safe and "total_jp" not in safe
    assert safe["suppressed"].tolist() == ["compliant", "", "not_compliant"]
    assert safe["compliance_rate"].isna().tolist() == [True, False, True]
    assert safe["ci_low"].isna().tolist() == [True, False, True]
    assert safe["mean_jp"].isna().tolist() == [True, False, True]
    assert safe.loc["Bappeda", "compliance_rate"] == 0.5
    assert COMPLIANCE["compliance_rate"].notna().all()  # input untouched
    with pytest.raises(ParameterError, match=r"compliance_safe: column\(s\) \['n_compliant'\]"):
        ekr.compliance_safe(COMPLIANCE.drop(columns="n_compliant"))


def test_is_small_and_cell_label_are_the_rule_and_its_wording():
    assert ekr.is_small(4) and not ekr.is_small(5)
    assert ekr.is_small(pd.Series([0, 4, 5, 12])).tolist() == [True, True, False, False]
    assert ekr.cell_label() == "< 5" and ekr.cell_label(False) == "≥ 5"
    assert ekr.cell_label(min_cell=10) == "< 10"
    note = ekr.suppression_note("en")
    assert '"< 5"' in note and '"≥ 5"' in note
    assert '"< 10"' in ekr.suppression_note("id", min_cell=10)


def test_tables_figures_and_comments_hide_a_small_cell_alike():
    from evalkit.reporting import comments as ekc
    from evalkit.reporting import figures as ekf

    table = ekr.count_table(pd.DataFrame({"status": ["a"] * 9 + ["b"] * 3}), "status", "en")
    assert table["n"].tolist() == [ekr.cell_label(False), ekr.cell_label()]
    fig = ekf.category_bars(pd.Series({"a": 9, "b": 3}), min_cell=5, lang="en")
    assert sorted(t.get_text().strip() for t in fig.axes[0].texts) == ["< 5", "≥ 5"]
    # comments: the group-level rule instead (a theme of 3 of 10 respondents is shown)
    themes = pd.DataFrame(
        {"n_comments": [3], "n_people": [3], "pct_comments": [30.0], "n_total": [10],
         "n_respondents": [10]},
        index=pd.Index(["time"], name="theme"),
    )  # fmt: skip
    assert ekc.theme_table(themes, "en").iloc[0].tolist() == ["3", "3", "30%"]
    assert ekc.theme_table(themes.assign(n_respondents=4), "en").empty
    assert (
        ekr.compliance_table(ekr.compliance_safe(COMPLIANCE), "en")
        .iloc[0, 1]
        .startswith(ekr.cell_label())
    )


def test_the_group_rule_of_comments_and_its_sentence_in_both_languages():
    from evalkit.reporting import disclosure as D

    assert D.MIN_RESPONDENTS == 5
    assert ekr.group_is_small(4) and not ekr.group_is_small(5)
    assert ekr.group_is_small(pd.Series([0, 4, 5, 30])).tolist() == [True, True, False, False]
    assert not ekr.group_is_small(3, min_respondents=3)
    ind, eng = ekr.withheld_note("id"), ekr.withheld_note("en")
    assert ind.startswith("Kurang dari 5 peserta menulis komentar berisi, sehingga komentar,")
    assert eng.startswith("Fewer than 5 participants wrote a comment with content, so the")
    assert "tidak ditampilkan" in ind and "not shown" in eng
    assert ekr.withheld_note("en", min_respondents=10).startswith("Fewer than 10 ")
    with pytest.raises(ParameterError, match="withheld_note"):
        ekr.withheld_note("fr")


def _answers(people: int, items: int = 3) -> pd.DataFrame:
    """``people`` respondents of ``items`` reaction items each, one row per answer."""
    return pd.DataFrame({
        "participant_id": [f"p{i}" for i in range(people) for _ in range(items)],
        "item": [f"i{k}" for _ in range(people) for k in range(items)],
        "score": 4.0,
    })  # fmt: skip


def test_the_group_rule_of_the_reaction_section_counts_distinct_respondents():
    # 4 people x 3 items is 12 answers but 4 respondents: withheld; 5 people are shown
    assert ekr.reaction_withheld(_answers(4)) and not ekr.reaction_withheld(_answers(5))
    assert ekr.reaction_withheld(_answers(1, items=15))  # many answers of one person
    # a respondent counted once however many answers; a missing id is no respondent
    five_rows = pd.concat([_answers(4), pd.DataFrame({"participant_id": [None], "score": [3.0]})])
    assert ekr.reaction_withheld(five_rows)
    assert not ekr.reaction_withheld(_answers(0)) and not ekr.reaction_withheld(None)
    assert not ekr.reaction_withheld(_answers(4), min_respondents=4)
    assert ekr.reaction_withheld(_answers(9), min_respondents=10)
    with pytest.raises(ParameterError, match="reaction_withheld: column 'participant_id'"):
        ekr.reaction_withheld(_answers(4).drop(columns="participant_id"))


def test_the_withheld_note_of_the_reaction_section_in_both_languages():
    ind, eng = ekr.withheld_note("id", what="reaction"), ekr.withheld_note("en", what="reaction")
    assert ind.startswith("Kurang dari 5 peserta mengisi survei reaksi, sehingga hasil reaksi")
    assert eng.startswith("Fewer than 5 participants answered the reaction survey, so the")
    assert "tidak ditampilkan" in ind and "are not shown" in eng and "(UU 27/2022)." in eng
    # one sentence, and no number but the threshold (the level's and the law's aside)
    for text in (ind, eng):
        rest = text.replace("Level 1", "").replace("UU 27/2022", "")
        assert text.count(". ") == 0 and [c for c in rest if c.isdigit()] == ["5"]
    assert ekr.withheld_note("en", what="reaction", min_respondents=10).startswith("Fewer than 10 ")
    assert ind != ekr.withheld_note("id")  # the comments' sentence is its own
    with pytest.raises(ParameterError, match="withheld_note: parameter 'what' must be one of"):
        ekr.withheld_note("en", what="learning")


@pytest.mark.parametrize(
    ("share", "n", "side"),
    [(1 / 18, 18, "count"), (4 / 18, 18, "count"), (5 / 18, 18, ""), (13 / 18, 18, ""),
     (14 / 18, 18, "rest"), (17 / 18, 18, "rest"), (0.0, 30, "count"), (0.5, 8, "count")],
)  # fmt: skip
def test_the_small_side_of_a_share_agrees_with_share_is_small(share, n, side):
    from evalkit.reporting import disclosure as D

    assert D.small_share_side(share, n) == side
    assert D.share_is_small(share, n) is (side != "")


def test_share_text_words_a_small_share_by_the_disclosure_rule():
    from evalkit.reporting import disclosure as D
    from evalkit.reporting.summary import share_text

    def row(k, n):
        return pd.Series({"estimate": k / n, "ci_low": 0.1, "ci_high": 0.9, "n": n})

    assert share_text(row(4, 18), "en") == "fewer than 5 of 18"
    assert share_text(row(14, 18), "id") == "semua kecuali kurang dari 5 dari 18"
    assert share_text(row(9, 18), "en") == "50% (95% CI 10% to 90%; n = 18)"
    # the threshold is the module's: a stricter one is followed, not a copy of 5
    assert share_text(row(9, 18), "en", min_cell=10) == "fewer than 10 of 18"
    for k in range(19):
        said = share_text(row(k, 18), "en")
        assert ("%" not in said) is D.share_is_small(k / 18, 18), (k, said)


def test_top_two_box_shares_are_blank_where_they_give_back_fewer_than_five():
    from evalkit.reporting import disclosure as D

    scores = pd.DataFrame({"dimension": ["content", "facilities", "relevance", "catering"],
                           "n": [20, 20, 20, 20], "n_responses": [20, 60, 20, 20],
                           "mean": [4.1, 3.2, 3.9, 2.1],
                           "pct_top_box": [85.0, 85.0, 50.0, 10.0]})  # fmt: skip
    safe = D.safe_table(scores, "scale_scores")
    # 3 of 20 answers not top two; 9 of 60; 10 of 20; 2 of 20 top two
    assert safe["pct_top_box"].isna().tolist() == [True, False, False, True]
    assert safe["mean"].tolist() == scores["mean"].tolist()  # the means stay
    assert scores["pct_top_box"].notna().all()  # input untouched
    head = {"reaction_pct_top_box": 95.0, "reaction_n_responses": 40, "n": 20}
    assert D.safe_headline(head)["reaction_pct_top_box"] is None  # 2 of 40 not top two
    assert D.safe_headline({**head, "reaction_n_responses": 400}) == {
        **head, "reaction_n_responses": 400}  # fmt: skip
    assert D.safe_headline({"n": 3}) == {"n": 3}


def test_the_summary_of_a_withheld_reaction_says_so_and_names_no_reaction_number():
    gain = {
        "level": 2,
        "outcome": "test score",
        "estimand": "mean_change",
        "group": "",
        "estimate": 11.03,
        "ci_low": 7.82,
        "ci_high": 14.24,
        "n": 17,
        "primary": True,
    }
    for lang in ("id", "en"):
        note = str(ekr.withheld_note(lang, what="reaction"))
        text = ekr.executive_summary([gain], lang, report="cohort", withheld=["reaction"])
        assert note in text and text.index(note) > text.index("11")  # after the gain
        assert str(ekr.executive_summary([gain], lang, report="cohort")).count(note) == 0
        bare = ekr.executive_summary([], lang, report="cohort", withheld=["reaction"])
        assert note in bare and (
            "hasil reaksinya tidak ditampilkan" in bare
            or "its reaction results are withheld" in bare
        )
        assert "tidak ada data reaksi" not in bare and "no reaction or test" not in bare
    with pytest.raises(ParameterError, match="executive_summary: parameter 'withheld'"):
        ekr.executive_summary([gain], "en", report="cohort", withheld=["learning"])


# --- the group rule of the reaction section in the reports (the small processed study) ---
#: The shown tables of the reaction section: their headers name these columns.
REACTION_COLUMNS = ("POMP", "r butir-total", "corrected item-total")
#: Result tables of the reaction section (``record_table`` names).
REACTION_TABLES = ("scale_scores", "reliability", "reliability_omega", "item_analysis")


@pytest.fixture(scope="module")
def small_reaction(tmp_path_factory):
    """C01 (24 respondents) and C03 (4 of its 12 participants answered the reaction
    survey), cohort reports and the overview in both languages."""
    from pathlib import Path

    from processed_fixture import write_processed_study

    from evalkit.run.execute import run_reports

    root = tmp_path_factory.mktemp("small_reaction")
    repo = Path(__file__).resolve().parent.parent
    (root / "pyproject.toml").write_text("[project]\nname = 'scratch'\n")
    (root / "notebooks").symlink_to(repo / "notebooks", target_is_directory=True)
    folder = write_processed_study(
        root, "demo", cohorts=("C01", "C03"), impact=False, reaction_respondents={"C03": 4}
    )
    patch = pytest.MonkeyPatch()
    patch.setenv("EVALKIT_ROOT", str(root))
    try:
        summary = run_reports(
            studies=["demo"], kinds=["cohort", "overview"], lang="both", jobs=1, progress=False
        )
    finally:
        patch.undo()
    assert summary.ok, str(summary)
    return root / "reports" / "demo", pd.read_parquet(folder / "reaction.parquet")


def test_a_cohort_of_four_reaction_respondents_shows_the_sentence_and_no_reaction_number(
    small_reaction,
):
    import evalkit as ek
    from evalkit.reporting.formats import fmt_num

    folder, reaction = small_reaction
    mine = reaction[reaction["cohort_id"] == "C03"]
    assert mine["participant_id"].nunique() == 4 and ekr.reaction_withheld(mine)
    # what the report would have printed: the dimension and overall means and POMPs
    scores = pd.concat([ek.scale_scores(mine, by=None),
                        ek.scale_scores(mine.assign(dimension="all"), by=None)])  # fmt: skip
    for name, lang in (("cohort-C03.html", "id"), ("cohort-C03.en.html", "en")):
        page = (folder / name).read_text(encoding="utf-8")
        note = str(ekr.withheld_note(lang, what="reaction"))
        # the section, the executive summary (at the top and again in the conclusions)
        assert page.count(note) == 3, name
        assert "Skor per dimensi" not in page and "Score by dimension" not in page
        assert "Jawaban per butir, n" not in page and "Answers by item, n" not in page
        assert "Peserta menilai pelatihan" not in page and "rated the training" not in page
        assert "Konsistensi internal" not in page and "nternal consistency" not in page
        for _, row in scores.iterrows():
            for value in (fmt_num(row["mean"], 2, lang), fmt_num(row["pomp"], 1, lang)):
                assert value not in page, (name, value)
    # the index: the cohort's reaction cells are blank, and its flags say why
    for name, flag in (("index.html", "hasil reaksi tidak ditampilkan (&lt; 5 pengisi survei)"),
                       ("index.en.html", "reaction results withheld (&lt; 5 survey respondents)")):  # fmt: skip
        rows = re.findall(r"<tr>.*?</tr>", (folder.parent / name).read_text(encoding="utf-8"), re.S)
        c03, c01 = (next(r for r in rows if f">{c}<" in r or f" {c}<" in r) for c in ("C03", "C01"))
        assert flag in c03 and flag not in c01, name
    for name, lang in (("cohort-C01.html", "id"), ("cohort-C01.en.html", "en")):
        page = (folder / name).read_text(encoding="utf-8")  # 24 respondents: shown
        assert str(ekr.withheld_note(lang, what="reaction")) not in page
        assert ("Skor per dimensi" if lang == "id" else "Score by dimension") in page
        assert ("Jawaban per butir, n" if lang == "id" else "Answers by item, n") in page


#: The subheadings of the reaction section's parts, and a phrase of each part's method.
REACTION_PARTS = {
    "id": (["Reliabilitas skala", "Butir-butir survei"],
           ("Skor setiap dimensi", "Alfa Cronbach mengukur", "Korelasi butir-total")),
    "en": (["Scale reliability", "The survey items"],
           ("dimension's score is", "alpha measures", "corrected item-total correlation (r)")),
}  # fmt: skip


def _reaction_section(page: str) -> tuple[list[str], str]:
    """The subheadings and the words of a cohort report's reaction section: from the end of
    its Level 1 heading to the comments' subheading (the parts of its own results)."""
    start = re.search(r"<h3[^>]*>Level 1:.*?</h3>", page, re.S)
    end = re.search(r"<h4[^>]*>(Komentar peserta|Participants)", page)
    assert start and end and start.end() < end.start()
    section = page[start.end() : end.start()]
    heads = re.findall(r"<h4[^>]*>(.*?)</h4>", section, re.S)
    heads = [re.sub(r"<[^>]+>|¶", "", h).strip() for h in heads]
    words = re.sub(r"<[^>]+>", " ", re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", section))
    return heads, " ".join(html.unescape(words).replace("¶", " ").split())


def test_a_withheld_reaction_section_is_its_one_sentence_without_subheadings_or_methods(
    small_reaction,
):
    folder, _ = small_reaction
    for lang, suffix in (("id", ""), ("en", ".en")):
        heads, methods = REACTION_PARTS[lang]
        note = str(ekr.withheld_note(lang, what="reaction"))
        page = (folder / f"cohort-C01{suffix}.html").read_text(encoding="utf-8")
        shown_heads, shown = _reaction_section(page)  # 24 respondents: every part, its method
        assert shown_heads == heads and all(m in shown for m in methods), shown_heads
        page = (folder / f"cohort-C03{suffix}.html").read_text(encoding="utf-8")
        withheld_heads, withheld = _reaction_section(page)
        # 4 respondents: after the section's heading, its one sentence and nothing else
        assert withheld_heads == [] and withheld == note, (withheld_heads, withheld)


def test_a_reaction_part_has_its_method_only_where_the_cohort_shows_its_reaction_results():
    from evalkit.reporting.sections import REACTION_METHODS

    four = pd.DataFrame({"participant_id": list("abcd"), "score": 4.0})
    eight = pd.DataFrame({"participant_id": list("abcdefgh"), "score": 4.0})
    for part in REACTION_METHODS:
        assert ekr.reaction_method(part, "en", answers=four) is None  # withheld
        assert ekr.reaction_method(part, "id", answers=eight.iloc[:0]) is None  # no answers
        assert ekr.reaction_method(part, "id", answers=None) is None
        text = ekr.reaction_method(part, "en", answers=eight)
        assert text == REACTION_METHODS[part][1] and text.startswith("####") is (part != "scores")
    with pytest.raises(ParameterError, match="reaction_method: parameter 'part' must be one of"):
        ekr.reaction_method("chart", "en", answers=eight)


def test_the_shareable_files_carry_none_of_the_withheld_reaction_numbers(small_reaction):
    import openpyxl

    folder, _ = small_reaction
    ledger = pd.read_csv(folder / "results.csv", encoding="utf-8-sig")
    level1 = ledger[(ledger["level"] == 1) & ledger["outcome"].str.startswith("reaction")]
    cohorts = level1[level1["report"].str.startswith("cohort")]
    assert set(cohorts["report"]) == {"cohort-C01"}  # C03 has no reaction row at all
    assert not (level1["group"].astype(str) == "C03").any()  # nor a row of the overview
    tables = {p.stem for p in (folder / "tables").glob("*.csv")}
    for report in ("cohort-C03", "cohort-C03.en"):
        assert not {f"{report}-{t}" for t in REACTION_TABLES} & tables
    assert {f"cohort-C01-{t}" for t in REACTION_TABLES} <= tables
    shown = set()  # the tables as shown whose header names a reaction column
    for path in sorted((folder / "tables").glob("cohort-C0*-*.csv")):
        header = path.read_text(encoding="utf-8-sig").splitlines()[0]
        if any(c in header for c in REACTION_COLUMNS):
            shown.add(path.name.split("-")[1])
    assert shown == {"C01", "C01.en"}
    headline = pd.read_csv(folder / "tables" / "headline.csv", encoding="utf-8-sig")
    reaction_keys = headline["key"].str.startswith(("reaction_", "alpha", "omega"))
    assert set(headline.loc[reaction_keys & headline["value"].notna(), "report"]) == {"cohort-C01"}
    book = openpyxl.load_workbook(folder / "tables.xlsx", read_only=True)
    contents = pd.DataFrame(list(book["contents"].values)[1:],
                            columns=list(book["contents"].values)[0])  # fmt: skip
    c03 = contents[contents["report"] == "cohort-C03"]
    assert not c03["csv"].str.contains("|".join(REACTION_TABLES)).any()
    for sheet in c03["sheet"]:
        header = " ".join(str(h) for h in next(book[sheet].values))
        assert not any(c in header for c in REACTION_COLUMNS), sheet
    results = list(book["results"].values)
    column = results[0].index("report")
    level = results[0].index("level")
    assert not [r for r in results[1:] if r[column] == "cohort-C03" and r[level] == 1]
    book.close()


def test_the_overview_shows_no_reaction_index_of_the_withheld_cohort(small_reaction):
    folder, _ = small_reaction
    found = 0
    for path in sorted((folder / "tables").glob("overview*-*.csv")):
        frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
        column = [c for c in frame.columns if c in ("Indeks reaksi", "Reaction index")]
        if not column:
            continue
        found += 1
        rows = frame.set_index(frame.columns[0])[column[0]]
        assert rows["C03"] == "–" and rows["C01"] not in ("", "–"), path.name
    assert found == 2  # the table of cohorts, in each language


def test_the_overview_leaves_the_withheld_cohort_out_of_its_pooled_reaction_results(
    small_reaction,
):
    """A pooled mean beside C01's would give C03's 4 people's answers back by subtraction."""

    folder, reaction = small_reaction
    for name, lang in (("overview.html", "id"), ("overview.en.html", "en")):
        page = (folder / name).read_text(encoding="utf-8")
        assert str(ekr.withheld_cohorts_note(["C03"], lang)) in page, name
    ledger = pd.read_csv(folder / "results.csv", encoding="utf-8-sig")
    pooled = ledger[(ledger["report"].str.startswith("overview")) & (ledger["level"] == 1)]
    c01 = reaction[reaction["cohort_id"] == "C01"]
    assert len(pooled) and pooled["n"].max() <= c01["participant_id"].nunique()

    # the overall reaction index is C01's alone (POMP of C01's answers), not C01 and C03's:
    # each person's mean of 100 x (answer - 1) / (scale_max - 1), then their mean
    def index(answers: pd.DataFrame) -> float:
        on_100 = 100 * (answers["score"] - 1) / (answers["scale_max"] - 1)
        return float(
            on_100.groupby([answers["cohort_id"], answers["participant_id"]]).mean().mean()
        )

    shown = pooled["estimate"].to_numpy()
    assert np.isclose(shown, index(c01)).any()
    assert not np.isclose(shown, index(reaction)).any()
