"""Disclosure control: the one small-cell rule, the group-level rule of comments, the
share rule, and their wording."""

from __future__ import annotations

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
