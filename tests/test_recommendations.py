"""Recommendations and limitations in the language of the report: no English outcome name,
group label or coefficient in an Indonesian report.

The unit tests make every rule that names an outcome fire for every outcome of the
ledger's vocabulary; the demo test reads the recommendations and limitations of every
Indonesian report the session's demo fixture (tests/conftest.py) wrote.
"""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

from evalkit.reporting import recommendations as R
from evalkit.reporting.method_terms import OUTCOMES_ID
from evalkit.reporting.summary import ledger_rows

#: English words of the ledger's outcomes and groups that an Indonesian text never uses
#: (the test's own list; "transfer", "POMP" and "KR-20" are Indonesian report words too).
ENGLISH = {"knowledge", "test", "item", "items", "rating", "ratings", "facilitator", "scale",
           "reaction", "pooled", "form", "score", "scores", "alpha", "supervisor", "self",
           "months", "change", "project", "cost", "benefits", "points", "participant",
           "participants", "million", "before", "now"}  # fmt: skip


def _english_left(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z]+", text.lower())) & ENGLISH


def _rows(outcome: str, estimand: str, group: str = "") -> list[dict]:
    if estimand == "item_discrimination":
        return [{"level": 2, "outcome": outcome, "estimand": estimand, "group": group or "s07",
                 "estimate": 0.05, "ci_low": -0.2, "ci_high": 0.2, "n": 30}]  # fmt: skip
    return [{"level": 2, "outcome": outcome, "estimand": estimand, "group": group,
             "estimate": 0.55, "ci_low": 0.4, "ci_high": 0.7, "n": 30}]  # fmt: skip


@pytest.mark.parametrize("outcome", sorted(OUTCOMES_ID))
@pytest.mark.parametrize("estimand", ["alpha", "omega", "kr20", "item_discrimination"])
def test_no_english_outcome_name_in_an_indonesian_recommendation(outcome, estimand):
    rows = _rows(outcome, estimand)
    text = R.recommend(rows, "id")
    assert text.startswith("- **Revisi instrumennya.**" if estimand != "item_discrimination"
                           else "- **Tinjau butir")  # fmt: skip
    assert OUTCOMES_ID[outcome] in text
    if OUTCOMES_ID[outcome] != outcome:
        assert outcome not in text, text
    assert not _english_left(text), (outcome, _english_left(text))
    assert outcome in R.recommend(rows, "en")  # English keeps the ledger's words
    if estimand != "item_discrimination":
        said = R.limitations(rows, "id", report="cohort")
        assert f"**Reliabilitas rendah.** {OUTCOMES_ID[outcome]}:" in said
        assert not _english_left(said.split("**Reliabilitas rendah.**")[1].split("\n")[0])


def test_group_labels_and_coefficients_are_translated_too():
    rows = _rows("knowledge test (pooled)", "kr20", "form 1") + _rows(
        "test item (pooled)", "item_discrimination", "form 1 / s07"
    )
    rows += _rows("facilitator rating items", "alpha", "F0373C2ECFF")
    text = R.recommend(rows, "id")
    assert "tes pengetahuan (gabungan) bentuk 1: KR-20 0,55" in text
    assert "butir penilaian narasumber F0373C2ECFF: alfa 0,55" in text
    assert "**Tinjau butir bentuk 1 / s07 (butir tes (gabungan)).**" in text
    english = R.recommend(rows, "en")
    assert "facilitator rating items F0373C2ECFF: alpha .55" in english
    assert "**Review the items form 1 / s07 (test item (pooled)).**" in english


def test_the_check_can_fail():
    """The word list catches the demo's old slip: an outcome left in English."""
    assert _english_left("Revisi instrumennya. facilitator rating items F58663555C7: alpha 0,69")
    assert not _english_left(str(R.recommend(_rows("facilitator rating items", "alpha"), "id")))
    frame = ledger_rows(_rows("facilitator rating items", "alpha"))
    assert isinstance(frame, pd.DataFrame) and len(frame) == 1


def _section(page: str, anchor: str) -> str:
    """The text of the section whose heading has id ``anchor``, up to the next heading."""
    found = re.search(rf'id="{anchor}".*?</h[23]>(.*?)(?=<h[1-3][ >])', page, re.S)
    if not found:
        return ""
    return html.unescape(re.sub(r"<[^>]+>", " ", found.group(1)))


def test_the_demo_indonesian_reports_recommend_in_indonesian(demo):
    root, _summary = demo
    folder = root / "reports" / "demo"
    ledger = pd.read_csv(folder / "results.csv")
    english = [o for o in ledger["outcome"].dropna().unique()
               if R.outcome_words(o, "id") != o and len(o) > 4]  # fmt: skip
    bad, seen = [], 0
    pages = [p for p in sorted(folder.glob("*.html")) if not p.name.endswith(".en.html")]
    for path in pages:
        page = path.read_text(encoding="utf-8")
        for anchor in ("Rekomendasi", "Keterbatasan"):
            text = _section(page, anchor)
            seen += bool(text.strip())
            bad += [f"{path.name} {anchor}: {o!r}" for o in english if o in text]
            left = _english_left(text)
            if left:
                bad.append(f"{path.name} {anchor}: {sorted(left)}")
    assert seen >= len([p for p in pages if p.name != "index.html"]), seen
    assert not bad, bad[:10]


def test_every_outcome_of_the_demo_ledger_has_its_indonesian_words(demo):
    """The methods chapter, the limitations and the recommendations name the ledger's
    outcomes through one dictionary: none of the demo's may be left in English."""
    root, _summary = demo
    ledger = pd.read_csv(root / "reports" / "demo" / "results.csv")
    left = {o: sorted(_english_left(R.outcome_words(o, "id")))
            for o in ledger["outcome"].dropna().unique()}  # fmt: skip
    assert not {o: w for o, w in left.items() if w}, left


@pytest.mark.parametrize(
    ("outcome", "words"),
    [("transfer index, self ratings", "indeks transfer, penilaian diri sendiri"),
     ("transfer index, supervisor ratings", "indeks transfer, penilaian atasan"),
     ("self - supervisor rating (0-100)", "penilaian diri - atasan (0-100)"),
     ("behaviour rating (POMP 0-100), before", "penilaian perilaku (POMP 0-100), sebelum"),
     ("behaviour rating (POMP 0-100), now", "penilaian perilaku (POMP 0-100), sekarang"),
     ("transfer index points per IDR 1 million per participant",
      "poin indeks transfer per Rp1 juta per peserta")],
)  # fmt: skip
def test_the_outcomes_the_demo_left_in_english_read_in_indonesian(outcome, words):
    assert R.outcome_words(outcome, "id") == words and R.outcome_words(outcome, "en") == outcome
