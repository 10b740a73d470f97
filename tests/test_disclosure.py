"""Disclosure control: the one small-cell rule and its wording."""

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
    themes = pd.DataFrame(
        {"n_comments": [3.0], "n_people": [3.0], "pct_comments": [30.0], "n_total": [10.0]},
        index=pd.Index(["time"], name="theme"),
    )
    assert ekc.theme_table(themes, "en").iloc[0, :2].tolist() == [ekr.cell_label()] * 2
    assert (
        ekr.compliance_table(ekr.compliance_safe(COMPLIANCE), "en")
        .iloc[0, 1]
        .startswith(ekr.cell_label())
    )
