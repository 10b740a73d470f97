"""The term dictionary, the one language check, Text and the label functions."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from reporting_fixtures import CHANGE

import evalkit
from evalkit import reporting as ekr
from evalkit.errors import ParameterError
from evalkit.reporting import comments as ekc
from evalkit.reporting import figures as ekf

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "call",
    [
        lambda: ekr.fmt_num(1.0, 1, "fr"),
        lambda: ekr.learning_conclusion(CHANGE, "de"),
        lambda: ekr.count_table(pd.DataFrame({"sex": ["L"]}), "sex", "xx"),
        lambda: ekr.term("n", "EN"),
        lambda: ekf.gain_band_bars([0.5], lang="fr"),
        lambda: ekf.forest_plot(
            pd.DataFrame({"mean_diff": [1.0], "ci_low": [0], "ci_high": [2]}), lang="de"
        ),  # fmt: skip
        lambda: ekc.theme_label("time", "fr"),
        lambda: ekc.theme_table(pd.DataFrame(), "xx"),
    ],
)
def test_unknown_language_is_a_parameter_error(call):
    with pytest.raises(ParameterError, match=r"parameter 'lang' must be one of \('id', 'en'\)"):
        call()


def test_text_renders_as_markdown_in_notebooks():
    text = ekr.mde_conclusion(0.55, 28, "en")
    assert isinstance(text, str) and text._repr_markdown_() == str(text)
    assert "d_z ≥ 0.55 (medium)" in text


def test_every_reporting_module_checks_lang_with_the_same_sentence():
    for call, func in (
        (lambda: ekr.fmt_num(1.0, 1, "fr"), "fmt_num"),
        (lambda: ekf.likert_bars(pd.DataFrame({"item": ["a"], "score": [3]}), lang="fr"),
         "likert_bars"),
        (lambda: ekc.quotes_html(pd.DataFrame(columns=["theme", "quote"]), "fr"), "quotes_html"),
    ):  # fmt: skip
        with pytest.raises(ParameterError) as err:
            call()
        assert str(err.value) == f"{func}: parameter 'lang' must be one of ('id', 'en'), got 'fr'"


@pytest.mark.parametrize("g", [-0.5, 0.0, 0.29, 0.3, 0.45, 0.6999, 0.7, 1.0])
def test_hake_band_label_is_the_band_of_evalkit_hake_band(g):
    assert ekr.hake_band_label(g) == evalkit.hake_band(g).iloc[0]


def test_hake_band_label_of_a_missing_gain_is_an_en_dash():
    assert ekr.hake_band_label(float("nan")) == ekr.MISSING == "\u2013"
    assert ekr.hake_band_label(None) == ekr.MISSING
    assert not hasattr(ekr, "hake_band")  # one hake_band: evalkit.hake_band


def test_aliases_share_the_words_of_their_key():
    from evalkit.reporting.terms import ALIASES

    for alias, key in ALIASES.items():
        assert ekr.term(alias, "id") == ekr.term(key, "id")
        assert ekr.term(alias, "en") == ekr.term(key, "en")
    assert ekr.term("n_participants", "en") == "Participants"
    assert ekr.term("period_index", "id") == "Periode"


def test_no_term_is_defined_twice_with_another_meaning():
    """Blocks of terms are appended by each feature: a key given twice silently relabels
    the first feature's column with the second's text (``TERMS.update`` keeps the last)."""
    import ast

    source = (REPO / "evalkit" / "reporting" / "terms.py").read_text(encoding="utf-8")
    seen: dict[str, set[str]] = {}
    for node in ast.walk(ast.parse(source)):
        block = None
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "update":
            block = node.args[0] if node.args and isinstance(node.args[0], ast.Dict) else None
        elif isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(node.value, ast.Dict):
            block = node.value
        for key, value in zip(block.keys, block.values, strict=True) if block else ():
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                seen.setdefault(key.value, set()).add(ast.unparse(value))
    # two known near-duplicates of the same meaning (a later block refines the wording)
    same_meaning = {"holm_p", "pomp_ci_low", "pomp_ci_high"}
    twice = {k: v for k, v in seen.items() if len(v) > 1 and k not in same_meaning}
    assert not twice, twice
