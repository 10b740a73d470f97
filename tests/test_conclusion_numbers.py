"""Every number a demo report states in a sentence is a ledger row's, after display rounding.

The sentences are the Markdown outputs of the reports' code cells (the conclusions and
summaries evalkit writes: :class:`evalkit.reporting.terms.Text`), read from each English
HTML report of the session's demo (the ``demo`` fixture of tests/conftest.py). Each number
in them must equal, at the decimals shown, a value of the report's own rows of
``reports/demo/results.csv`` (estimate, ci_low, ci_high, p_value, p_adjusted, n,
n_clusters; a percentage may be the value x 100).

Numbers that are not estimates may be quoted without a ledger row: :data:`AUXILIARY`
lists them (dates and years, legal references, lesson hours, confidence levels and the
power of a design, test statistics with their df, p thresholds and alpha, the bands'
thresholds, scale ranges, the budget a report is run with, the shares of comments by
theme) and whole numbers, which are
counts (n, k items, units, assignments, pairs, comments). :data:`GAPS` lists the sentences
whose numbers are still missing from the ledger (none now): a number in such a sentence is
reported as a gap, and every gap must still occur (so fixing one means deleting its entry).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest

#: Auxiliary numbers: masked before the numbers of a sentence are read.
AUXILIARY = {
    "date": r"\b\d{1,2} (?:January|February|March|April|May|June|July|August|September"
    r"|October|November|December) \d{4}",
    "year": r"\b(?:19|20)\d{2}\b",
    "law": r"\b(?:UU|PP|Permen\w*) (?:No\. )?\d+(?:/\d{4})?",
    "lesson hours": r"\b\d+ JP\b",
    "ICC form": r"ICC\(\d, ?\d\)",
    "confidence level, power": r"\d+% (?:CI|power|interval)",
    "test statistic and df": r"\b(?:t|F|χ²)\([\d.,\s]+\) = [−-]?[\d.]+",
    "z, W, U statistic": r"\b[zWU] = [−-]?[\d.,]+",
    "p threshold": r"p [<>] \.\d+",
    "alpha": r"α = \.\d+|two-sided alpha \.\d+",
    "response rate (counts)": r"\d+/\d+ = \d+%",
    "band or flag threshold": r"[≥≤<>] ?\.?\d+(?:\.\d+)?|(?:[Bb]elow|[Uu]nder|above) \.?\d+%?"
    r"|spans \.\d+|\.\d+ or more is",
    "scale range": r"\b\d+-\d+\b|of 100\b",
    "budget (a report parameter)": r"[Bb]udget of IDR [\d,]+|participants IDR [\d,]+ buys",
    # shares of a cohort's comments by theme: counts of the comment table, not estimates
    "comment theme shares": r"Most often raised: [^.]*\.",
}

#: Sentences whose numbers the ledger does not hold yet (regex on the sentence): none left.
#: The last ones closed: the ROI sensitivity range (roi_scenario_estimates), program and
#: portfolio costs in rupiah (roi_estimates(costs=True)), the two waves of "went from X to
#: Y" (change_means_estimates), the trends' participants-as-independent p (its own slope
#: row), the response shift's two means (response_shift_estimates), the all-alumni value
#: of the needs ranking (needs_estimates) and the "% fewer" of a rate ratio (rate_change).
GAPS: dict[str, str] = {}

COLUMNS = ["estimate", "ci_low", "ci_high", "p_value", "p_adjusted", "n", "n_clusters"]
_AUX = re.compile("|".join(f"(?:{p})" for p in AUXILIARY.values()))
_NUMBER = re.compile(r"(?<![\w.\-−])([−+-])?(\d{1,3}(?:,\d{3})+|\d*)(\.\d+)?(%?)")


class _Outputs(HTMLParser):
    """Text of every Markdown output of a code cell (nbconvert's HTML)."""

    def __init__(self) -> None:
        super().__init__()
        self.depth, self.parts, self.texts = 0, [], []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("br", "img", "hr", "input", "meta", "link"):
            return
        css = dict(attrs).get("class") or ""
        if self.depth:
            self.depth += 1
        elif tag == "div" and "jp-RenderedMarkdown" in css and "jp-OutputArea-output" in css:
            self.depth, self.parts = 1, []

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag not in ("br", "img", "hr", "input", "meta", "link"):
            self.depth -= 1
            if not self.depth:
                self.texts.append(" ".join("".join(self.parts).split()))

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.parts.append(data)


def sentence_numbers(text: str) -> list[tuple[str, float, int, bool, bool, int]]:
    """(as shown, value, decimals, is a percentage, is whole, position) of each number."""
    masked = _AUX.sub(lambda m: " " * len(m.group(0)), text)
    out = []
    for m in _NUMBER.finditer(masked):
        sign, whole, frac, pct = m.groups()
        if not whole and not frac:
            continue
        value = float((whole or "0").replace(",", "") + (frac or ""))
        value = -value if sign in ("−", "-") else value
        out.append((m.group(0), value, len(frac) - 1 if frac else 0, bool(pct), frac is None,
                    m.start()))  # fmt: skip
    return out


def unmatched(text: str, values: np.ndarray, methods: str = "") -> list[tuple[str, int]]:
    """Numbers of ``text`` that no ledger value gives at the decimals shown.

    ``methods`` is the text of the report's ledger ``method`` column: a sentence that lists
    the methods (the limitations) may quote the numbers written in them.
    """
    out = []
    for shown, value, decimals, pct, whole, pos in sentence_numbers(text):
        if whole and not pct and "IDR" not in text[max(0, pos - 5) : pos]:
            continue  # a count
        if re.search(rf"(?<![\d.]){re.escape(shown.lstrip('−+-'))}(?![\d])", methods):
            continue  # quoted from a method
        candidates = np.concatenate([values, values * 100]) if pct else values
        if np.any(np.abs(np.abs(candidates) - abs(value)) <= 0.5 * 10.0**-decimals + 1e-9):
            continue
        out.append((shown, pos))
    return out


def test_the_reader_finds_and_masks_numbers():
    text = (
        "Post-test scores rose by 6.0 points (95% CI 3.3 to 8.6; d_z = 0.94, n = 24); "
        "t(23) = 4.59, p < .001, 13 March 2023. ROI = −90% (95% CI −94% to −85%)."
    )
    shown = [n[0] for n in sentence_numbers(text)]
    assert shown == ["6.0", "3.3", "8.6", "0.94", "24", "−90%", "−94%", "−85%"]
    values = np.array([5.97, 3.31, 8.6, 0.9412, 24.0, -0.9, -0.941, -0.849])
    assert unmatched(text, values) == []
    assert unmatched(text, np.array([5.94, 3.3, 8.6, 0.94, -0.9, -0.94, -0.85])) == [
        ("6.0", 25)
    ]  # 5.94 shows as 5.9


@pytest.fixture(scope="module")
def sentences(demo) -> list[tuple[str, str, np.ndarray, str]]:
    root, _ = demo
    folder = root / "reports" / "demo"
    ledger = pd.read_csv(folder / "results.csv")
    out = []
    for page in sorted(folder.glob("*.en.html")):
        report = page.name[: -len(".en.html")]
        rows = ledger[ledger["report"] == report]
        values = rows[COLUMNS].to_numpy(float).ravel()
        methods = " | ".join(rows["method"].astype(str))
        parser = _Outputs()
        parser.feed(page.read_text(encoding="utf-8"))
        out += [(report, text, values[np.isfinite(values)], methods) for text in parser.texts]
    return out


def test_every_number_in_a_conclusion_is_a_ledger_value(sentences):
    assert len({r for r, *_ in sentences}) >= 17 and len(sentences) > 300
    missing, gaps_seen = [], set()
    for report, text, values, methods in sentences:
        for shown, pos in unmatched(text, values, methods):
            gap = next((g for g, p in GAPS.items() if re.search(p, text)), None)
            if gap is not None:
                gaps_seen.add(gap)
                continue
            missing.append(f"{report}: {shown!r} in ...{text[max(0, pos - 80) : pos + 20]}...")
    assert not missing, "numbers not in the ledger:\n" + "\n".join(missing[:40])
    assert gaps_seen == set(GAPS), f"gaps no longer seen (delete them): {set(GAPS) - gaps_seen}"
