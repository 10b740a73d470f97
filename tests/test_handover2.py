"""A report an evaluator can hand over, the rest of it: the Level 3 items as asked, one
disclosure rule for every shareable file, the cost and ROI figure, the methods in
Indonesian and the provenance inside the appendix.

The unit tests build small frames; the demo tests read the files the session's demo
fixture (tests/conftest.py) wrote, and regenerate nothing.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from evalkit.data.build_items import followup_items
from evalkit.data.codebook import parse_codebook
from evalkit.reporting import disclosure as D
from evalkit.reporting import methods as M
from evalkit.reporting.conclusions.behavior import project_conclusion
from evalkit.reporting.economics_figures import cost_roi_plot, cost_roi_title
from evalkit.reporting.figure_style import figure_alt, to_png
from evalkit.reporting.figures import category_bars
from evalkit.reporting.method_terms import method_text, outcome_text

REPO = Path(__file__).resolve().parent.parent
CODEBOOK = REPO / "evalkit" / "data" / "demo_codebook.yaml"


# --- 1. the Level 3 items as asked -------------------------------------------------------
def _codebook(rater: dict, texts: tuple[str | None, str | None] = ("Menerapkan", None)):
    items = {
        f"b{k}": {"from": f"perilaku/b{k}", "likert": "f5", **({"text": t} if t else {})}
        for k, t in enumerate(texts, start=1)
    }
    return parse_codebook({
        "study": "s", "likert": {"f5": {"max": 5, "labels": {"jarang": 2, "sering": 4}}},
        "tables": {"followup": {"files": ["f.csv"], "items": items, "columns": {
            "cohort_id": "Angkatan", "nip": "NIP", "months_after": "Bulan", "rater": rater}}},
    })  # fmt: skip


def test_followup_items_lists_each_item_per_rater_with_its_text_and_scale():
    cb = _codebook({"from": "Penilai", "values": {"alumni": "self", "atasan": "supervisor"}})
    frame = followup_items(cb.tables, cb)
    assert list(frame.columns) == ["rater", "item", "scale_max", "text"]
    assert frame.values.tolist() == [
        ["self", "b1", 5, "Menerapkan"], ["self", "b2", 5, "perilaku/b2"],
        ["supervisor", "b1", 5, "Menerapkan"], ["supervisor", "b2", 5, "perilaku/b2"],
    ]  # fmt: skip
    one = _codebook({"value": "supervisor"})
    assert followup_items(one.tables, one)["rater"].unique().tolist() == ["supervisor"]


def test_the_demo_codebook_gives_the_behaviour_texts_the_demo_forms_ask():
    import yaml

    from evalkit.data.demo.followup import BEHAVIOUR_ITEMS

    cb = parse_codebook(yaml.safe_load(CODEBOOK.read_text(encoding="utf-8")))
    frame = followup_items(cb.tables, cb)
    assert sorted(frame["rater"].unique()) == ["self", "supervisor"]
    for _, row in frame.iterrows():  # the generator's Kobo labels, not our own output
        assert row["text"] == BEHAVIOUR_ITEMS[row["item"]] and row["scale_max"] == 5


def test_the_instruments_table_shows_the_l3_items_with_text_scale_and_raters():
    follow = pd.DataFrame({"item": ["b1", "b1", "b2"], "rater": ["self", "supervisor", "self"],
                           "scale_max": [5, 5, 5], "months_after": 3})  # fmt: skip
    asked = pd.DataFrame({"rater": ["self", "supervisor", "self", "supervisor"],
                          "item": ["b1", "b1", "b2", "b2"], "scale_max": [5, 5, 5, 5],
                          "text": ["Saya menerapkan", "Alumni menerapkan", "Berbagi", "Berbagi"]})  # fmt: skip
    table = M.instruments({"followup": follow, "followup_items": asked}, "id")
    assert table.reset_index().values.tolist() == [
        ["Tindak lanjut perilaku (Level 3)", "b1", "1-5 (Diri sendiri)", "Saya menerapkan"],
        ["Tindak lanjut perilaku (Level 3)", "b1", "1-5 (Atasan)", "Alumni menerapkan"],
        ["Tindak lanjut perilaku (Level 3)", "b2", "1-5 (Diri sendiri)", "Berbagi"],
    ]
    same = M.instruments({"followup": follow}, "en", followup_items=asked.assign(text="Same"))
    assert same.reset_index().values.tolist()[0][2:] == ["1-5 (Self, Supervisor)", "Same"]


def test_the_demo_processed_study_and_cohort_report_hold_the_behaviour_texts(demo):
    from evalkit.data.demo.followup import BEHAVIOUR_ITEMS

    root, _summary = demo
    table = pd.read_parquet(root / "data" / "processed" / "demo" / "followup_items.parquet")
    assert len(table) == 12 and set(table["text"]) == set(BEHAVIOUR_ITEMS.values())
    page = (root / "reports" / "demo" / "cohort-PPR-2024-02.html").read_text(encoding="utf-8")
    assert BEHAVIOUR_ITEMS["b5"] in page and "teks butir tidak ada" not in page


# --- 2. one disclosure rule ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("share", "n", "small"), [(1 / 18, 18, True), (17 / 18, 18, True), (5 / 18, 18, False),
                              (13 / 18, 18, False), (0.0, 30, True), (0.5, 8, True)],
)  # fmt: skip
def test_a_share_is_small_when_either_side_is_under_five(share, n, small):
    assert D.share_is_small(share, n) is small


def _rates(not_started, in_progress, impl_only, sustained):
    n = not_started + in_progress + impl_only + sustained
    implemented = impl_only + sustained
    return pd.DataFrame({
        "n": [n], "n_not_started": [not_started], "n_in_progress": [in_progress],
        "n_implemented": [implemented], "implementation_rate": [implemented / n],
        "implementation_ci_low": [0.1], "implementation_ci_high": [0.5],
        "n_sustained": [sustained], "sustainment_rate": [sustained / n],
        "sustainment_ci_low": [0.01], "sustainment_ci_high": [0.3],
        "sustained_of_implemented": [sustained / implemented],
        "sustained_of_implemented_ci_low": [0.1], "sustained_of_implemented_ci_high": [0.6],
    }, index=pd.Index([3], name="months_after"))  # fmt: skip


def test_project_rates_hide_what_the_status_chart_hides():
    # KST-2025-02 of the demo at 3 months: 1 not started, 12 in progress, 4 implemented, 1 sustained
    safe = D.safe_table(_rates(1, 12, 4, 1), "project_rates").iloc[0]
    assert safe["n"] == 18 and safe["n_in_progress"] == 12
    assert safe[["n_not_started", "n_implemented", "n_sustained"]].isna().all()
    assert safe.filter(like="_rate").isna().all() and np.isnan(safe["sustained_of_implemented"])
    fig = category_bars(pd.Series({"not_started": 1, "in_progress": 12, "implemented": 4,
                                   "sustained": 1}), min_cell=5, lang="en")  # fmt: skip
    hidden = sorted(t.get_text().strip() for t in fig.axes[0].texts if "<" in t.get_text())
    assert hidden == ["< 5"] * 3  # the chart hides the same three statuses
    # one small status: the next smallest goes too (complementary suppression)
    two = D.safe_table(_rates(0, 10, 9, 3), "project_rates").iloc[0]
    assert two["n_not_started"] == 0 and two["n_in_progress"] == 10  # 0 is shown, as on the chart
    assert np.isnan(two["n_sustained"]) and np.isnan(two["n_implemented"])
    clear = D.safe_table(_rates(5, 10, 9, 6), "project_rates")
    pd.testing.assert_frame_equal(clear, _rates(5, 10, 9, 6).astype(float), check_dtype=False)


def test_a_count_under_five_blanks_the_numbers_of_its_group():
    attrition = pd.DataFrame({"measure": ["dropped_out", "gain"], "estimate": [0.06, 0.2],
                              "n": [31.0, 30.0], "n_dropped": [2.0, 2.0], "n_stayed": [29.0, 28.0],
                              "mean_dropped": [np.nan, 15.0], "mean_stayed": [np.nan, 14.8]})  # fmt: skip
    safe = D.safe_table(attrition, "transfer_attrition_3_6")
    assert safe[["estimate", "n_dropped", "mean_dropped", "mean_stayed"]].isna().all().all()
    assert safe["n"].tolist() == [31.0, 30.0] and safe["measure"].tolist() == [
        "dropped_out",
        "gain",
    ]
    transfer = pd.DataFrame({"n": [31, 30], "index_self": [70.8, 76.9], "n_self": [29, 29],
                             "index_supervisor": [66.5, 70.0], "n_supervisor": [21, 3]})  # fmt: skip
    safe = D.safe_table(transfer, "transfer_index")
    assert safe["index_self"].tolist() == [70.8, 76.9]  # only the small rater's numbers go
    assert safe["index_supervisor"].isna().tolist() == [False, True]
    units = pd.DataFrame({"n_treated": [3], "n_control": [2], "estimate": [1.5]})
    pd.testing.assert_frame_equal(D.safe_table(units, "event_study_ikm"), units)


def test_the_ledger_file_blanks_small_shares_and_the_n_of_suppressed_rows():
    rows = pd.DataFrame({"estimand": ["proportion", "proportion", "attrition", "bcr"],
                         "estimate": [1 / 18, 9 / 18, np.nan, 0.9], "ci_low": [0.0, 0.3, np.nan, 0.5],
                         "ci_high": [0.3, 0.7, np.nan, 1.2], "p_value": np.nan, "p_adjusted": np.nan,
                         "n": [18.0, 18.0, 2.0, 3.0],
                         "method": ["Wilson CI", "Wilson CI", "Wilson CI; suppressed: n < 5", "Phillips"]})  # fmt: skip
    safe = D.safe_ledger(rows)
    assert safe["estimate"].isna().tolist() == [True, False, True, False]
    assert safe["n"].isna().tolist() == [True, False, True, False]
    assert safe.loc[0, "method"] == "Wilson CI; suppressed: n < 5"
    assert "suppressed" not in safe.loc[1, "method"]


def test_the_project_conclusion_gives_no_share_of_fewer_than_five():
    safe = D.safe_table(_rates(1, 12, 4, 1), "project_rates").iloc[0]
    text = project_conclusion(safe, "id")
    assert "%" not in text and "tidak ditampilkan" in text and "18 aksi perubahan" in text
    shown = project_conclusion(_rates(5, 10, 9, 6).iloc[0], "en")
    assert "50% were implemented" in shown and "20% are sustained" in shown


#: Count columns of the demo's result tables that count no people (the test's own list).
NOT_PEOPLE = {"n_boot", "n_clusters", "n_cohorts", "n_estimates", "n_in_instrument", "n_levels",
              "n_obs", "n_suppressed", "n_treated_units", "n_unit_rows"}  # fmt: skip
#: Result tables of units or cohorts (impact study models; cohort-mean comparisons).
UNIT_TABLES = re.compile(r".*-(did_.*|effect_.*|event_study_.*|inference_summary|ikm_transitions|"
                         r".*_cohort_means)")  # fmt: skip


def _people_counts(frame: pd.DataFrame, name: str) -> dict[str, list[float]]:
    """Columns of a result table that count people, with their values 1-4."""
    if UNIT_TABLES.fullmatch(name):
        return {}
    out = {}
    for col in frame.columns:
        if (col == "n" or str(col).startswith("n_")) and col not in NOT_PEOPLE:
            values = pd.to_numeric(frame[col], errors="coerce")
            small = values[(values >= 1) & (values < 5)].tolist()
            if small:
                out[col] = small
    return out


def _shown_counts(frame: pd.DataFrame) -> list[str]:
    """Cells 1-4 of a table as shown whose column is a count of people (``n``, Jumlah)."""
    heads = [c for c in frame.columns if re.fullmatch(r"n|N|Jumlah|Count|n \(.*\)", str(c))]
    bad = []
    for col in heads:
        for cell in frame[col].astype(str):
            if re.fullmatch(r"[1-4]", cell.strip()):
                bad.append(f"{col}={cell}")
    return bad


def _project_shares(frame: pd.DataFrame) -> list[str]:
    """Project rates whose count, or the rest, is 1-4 people."""
    bad = []
    if "sustainment_rate" not in frame:
        return bad
    for _, row in frame.iterrows():
        for rate in ("implementation_rate", "sustainment_rate"):
            if pd.notna(row[rate]):
                count = round(float(row[rate]) * float(row["n"]))
                if 1 <= count < 5 or 1 <= row["n"] - count < 5:
                    bad.append(f"{rate}={row[rate]} of {row['n']}")
    return bad


def _top_box_shares(frame: pd.DataFrame) -> list[str]:
    """Top-two-box shares (% of the answers) whose answers, or the others, are 1-4."""
    if not {"pct_top_box", "n_responses"} <= set(frame.columns):
        return []
    bad = []
    for pct, base in zip(frame["pct_top_box"], frame["n_responses"], strict=True):
        if pd.notna(pct) and pd.notna(base):
            count = round(float(pct) / 100 * float(base))
            if 1 <= count < 5 or 1 <= float(base) - count < 5:
                bad.append(f"pct_top_box={pct} of {base} answers")
    return bad


def _headline_shares(headline: pd.DataFrame) -> list[str]:
    """The headline's pooled top-two-box share, by the same check."""
    wide = headline.pivot(index="report", columns="key", values="value")
    if "reaction_pct_top_box" not in wide:
        return []
    shares = wide[["reaction_pct_top_box", "reaction_n_responses"]].apply(
        pd.to_numeric, errors="coerce"
    )
    shares.columns = ["pct_top_box", "n_responses"]
    return _top_box_shares(shares)


#: Answers that are no comment, the test's own list (the demo writes "oke", "-", "Tidak ada.").
NO_COMMENT = {"", "-", "oke", "ok", "tidak ada", "tidak ada.", "none", "n/a", "nihil"}


def _respondents(root: Path) -> dict[str, int]:
    """People who wrote a comment with content: per cohort, and the study's (``""``)."""
    comments = pd.read_parquet(root / "data" / "processed" / "demo" / "comments.parquet")
    said = comments[~comments["text"].fillna("").str.strip().str.lower().isin(NO_COMMENT)]
    out = said.groupby("cohort_id")["participant_id"].nunique().to_dict()
    out[""] = said["participant_id"].nunique()
    return out


def _theme_table_group(stem: str, frame: pd.DataFrame) -> str | None:
    """The group (cohort id, or "" for the study) of a theme table as shown, else None."""
    if not (len(frame.columns) and frame.columns[0] in ("Tema", "Theme")):
        return None
    cohort = re.fullmatch(r"cohort-(.+?)(?:\.en)?-\d+", stem)
    return cohort.group(1) if cohort else ""


def _sheet(book, name: str) -> pd.DataFrame:
    """One sheet of the workbook as a frame: its first row the header."""
    rows = [list(r) for r in book[name].values]
    if not rows:
        return pd.DataFrame()
    width = max(len(r) for r in rows)
    rows = [r + [None] * (width - len(r)) for r in rows]
    header = [str(h) if h is not None else f"_{k}" for k, h in enumerate(rows[0])]
    return pd.DataFrame(rows[1:], columns=header)


def test_no_shareable_output_of_the_demo_gives_a_count_of_one_to_four_people(demo):
    """Every CSV, every XLSX sheet, the results ledger, the headline and every HTML of the
    demo: no count of 1-4 people, no share of people (project rates, top-two-box shares)
    that gives one back. Comment themes follow the group-level rule: their counts, however
    small, are allowed in a group (cohort, study) of at least 5 people who wrote a comment,
    and a smaller group shows no theme table at all."""
    root, _summary = demo
    folder = root / "reports" / "demo"
    writers = _respondents(root)
    bad: list[str] = []

    def theme_check(where: str, stem: str, frame: pd.DataFrame) -> bool:
        group = _theme_table_group(stem, frame)
        if group is None:
            return False
        if writers.get(group, 0) < 5:
            bad.append(f"{where}: themes of {group or 'the study'}, {writers.get(group, 0)} wrote")
        return True

    for path in sorted((folder / "tables").glob("*.csv")):
        frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
        if re.search(r"-\d+$", path.stem):  # a table as shown
            if not theme_check(path.name, path.stem, frame):
                bad += [f"{path.name}: {b}" for b in _shown_counts(frame)]
            continue
        if path.stem == "headline":
            bad += [f"{path.name}: {b}" for b in _headline_shares(frame)]
            continue
        numbers = frame.apply(pd.to_numeric, errors="coerce")
        bad += [f"{path.name}: {c} {v}" for c, v in _people_counts(numbers, path.stem).items()]
        bad += [f"{path.name}: {b}" for b in _project_shares(numbers)]
        bad += [f"{path.name}: {b}" for b in _top_box_shares(numbers)]
    ledger = pd.read_csv(folder / "results.csv")
    people = ledger[~ledger["level"].isin([0, 4]) & ledger["n"].between(1, 4)]
    bad += [f"results.csv: {r.report} {r.outcome} n={r.n}" for r in people.itertuples()]
    shares = ledger[(ledger["estimand"] == "proportion") & ledger["estimate"].notna()]
    counts = (shares["estimate"] * shares["n"]).round()
    small = shares[counts.between(1, 4) | (shares["n"] - counts).between(1, 4)]
    bad += [f"results.csv: {r.report} {r.outcome} {r.estimate}" for r in small.itertuples()]
    book = openpyxl.load_workbook(folder / "tables.xlsx", read_only=True)
    contents = _sheet(book, "contents")
    for sheet, kind, csv in contents[["sheet", "kind", "csv"]].itertuples(index=False):
        frame = _sheet(book, sheet)
        if kind == "numbers":
            numbers = frame.apply(pd.to_numeric, errors="coerce")
            name = Path(str(csv)).stem
            bad += [f"xlsx {sheet}: {c} {v}" for c, v in _people_counts(numbers, name).items()]
            bad += [f"xlsx {sheet}: {b}" for b in _project_shares(numbers)]
            bad += [f"xlsx {sheet}: {b}" for b in _top_box_shares(numbers)]
        elif not theme_check(f"xlsx {sheet}", Path(str(csv)).stem, frame):
            bad += [f"xlsx {sheet}: {b}" for b in _shown_counts(frame.astype(str))]
    bad += [f"xlsx headline: {b}" for b in _headline_shares(_sheet(book, "headline"))]
    sheet = _sheet(book, "results")
    assert len(sheet) == len(ledger)
    n = pd.to_numeric(sheet["n"], errors="coerce")
    bad += [f"xlsx results: n={v}" for v in n[~sheet["level"].isin([0, 4]) & n.between(1, 4)]]
    book.close()
    sentence = re.compile(r"(?:Dari|Of) (\d+) (?:aksi perubahan|change projects), (.*?)\.")
    withheld = {"id": D.withheld_note("id"), "en": D.withheld_note("en")}
    for path in sorted(folder.glob("*.html")):
        page = path.read_text(encoding="utf-8")
        cohort = re.fullmatch(r"cohort-(.+?)(\.en)?\.html", path.name)
        if cohort and cohort.group(1) in writers:
            said = withheld["en" if cohort.group(2) else "id"] in page
            small = writers[cohort.group(1)] < 5
            if said is not small or (small and 'class="ek-quotes"' in page):
                bad.append(f"{path.name}: {writers[cohort.group(1)]} wrote, withheld: {said}")
        bad += [f"{path.name}: n = {m}" for m in re.findall(r"\bn = ([1-4])\b(?![.,]\d)", page)]
        for total, words in sentence.findall(page):
            for pct in re.findall(r"(\d+)%", words.split("(")[0] + " ".join(
                    re.findall(r"\)\s*(?:dan|and)\s*([^()]*)", words))):  # fmt: skip
                count = round(int(pct) / 100 * int(total))
                if 1 <= count < 5 or 1 <= int(total) - count < 5:
                    bad.append(f"{path.name}: {pct}% of {total} projects")
    assert not bad, bad[:20]


def test_the_demo_has_the_small_project_share_the_rule_removes(demo):
    """The check above can fail: the demo's KST-2025-02 has 1 sustained project of 18,
    which the report would have called "6% berkelanjutan"."""
    root, _summary = demo
    page = (root / "reports" / "demo" / "cohort-KST-2025-02.html").read_text(encoding="utf-8")
    assert "Dari 18 aksi perubahan" in page and "6% berkelanjutan" not in page
    raw = pd.read_parquet(root / "data" / "processed" / "demo" / "projects.parquet")
    at3 = raw[(raw["cohort_id"] == "KST-2025-02") & (raw["months_after"] == 3)]
    assert (at3["project_status"] == "sustained").sum() == 1 and len(at3) == 18


def test_the_demo_withholds_the_comments_of_a_small_cohort_and_shows_small_themes_of_large_ones(
    demo,
):
    """The checks above can fail both ways: PKP-2023-01 has 4 people who wrote a comment
    (the old rule printed its themes as "< 5"), and the other cohorts show themes one to
    four people raised, as counted."""
    root, _summary = demo
    folder = root / "reports" / "demo"
    writers = _respondents(root)
    assert writers["PKP-2023-01"] == 4 and min(v for k, v in writers.items() if k) == 4
    for name, lang in (("cohort-PKP-2023-01.html", "id"), ("cohort-PKP-2023-01.en.html", "en")):
        page = (folder / name).read_text(encoding="utf-8")
        assert D.withheld_note(lang) in page and 'class="ek-quotes"' not in page
        assert "Waktu dan jadwal" not in page and "Time and schedule" not in page
    small_themes = 0
    for path in sorted((folder / "tables").glob("cohort-*-*.csv")):
        frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
        group = _theme_table_group(path.stem, frame)
        if group is not None:
            assert group != "PKP-2023-01", path.name
            people = frame[frame.columns[2]].astype(int)
            small_themes += int(people.between(1, 4).sum())
    assert small_themes > 0  # shown under the group rule, and allowed by the check above
    page = (folder / "cohort-KMP-2023-01.html").read_text(encoding="utf-8")
    assert 'class="ek-quotes"' in page and "&lt; 5" not in page.split("Komentar peserta")[-1][:4000]


def test_the_top_box_and_theme_checks_can_fail():
    frame = pd.DataFrame({"pct_top_box": [85.0, 85.0, 50.0], "n_responses": [20, 60, 20]})
    assert _top_box_shares(frame) == ["pct_top_box=85.0 of 20 answers"]  # 3 not top two
    head = pd.DataFrame({"report": ["c", "c"], "key": ["reaction_pct_top_box",
                         "reaction_n_responses"], "value": ["97.5", "40"]})  # fmt: skip
    assert _headline_shares(head) == ["pct_top_box=97.5 of 40 answers"]
    table = pd.DataFrame(columns=["Tema", "Komentar", "Orang", "% komentar"])
    assert _theme_table_group("cohort-PKP-2023-01-5", table) == "PKP-2023-01"
    assert _theme_table_group("cohort-PKP-2023-01.en-5", table) == "PKP-2023-01"
    assert _theme_table_group("overview.en-23", table) == ""
    assert _theme_table_group("overview-23", pd.DataFrame(columns=["Unit", "n"])) is None


# --- 3. the cost and ROI figure ------------------------------------------------------------
ITEMS = pd.DataFrame({"cash": [122.25e6], "participant_time": [70.4e6], "other": [0.0]})
INTERVAL = pd.DataFrame({"bcr": [0.2304], "bcr_ci_low": [0.158], "bcr_ci_high": [0.315],
                         "roi_pct": [-76.96], "break_even": ["below"]})  # fmt: skip


def test_the_cost_roi_plot_draws_the_cost_by_kind_and_the_bcr_against_break_even():
    fig = cost_roi_plot(ITEMS, INTERVAL, lang="en")
    costs, bcr = fig.axes[0], fig.axes[1]
    widths = [p.get_width() for p in costs.patches]
    assert widths == pytest.approx([122.25, 70.4])  # million IDR; no bar for no cost
    assert [t.get_text() for t in costs.get_legend().get_texts()] == ["Cash", "Participant time"]
    assert [line.get_xdata()[0] for line in bcr.lines[:1]] == [1.0]  # break-even
    point = bcr.lines[1]
    assert point.get_xdata()[0] == pytest.approx(0.2304)
    bars = bcr.collections[0].get_segments()[0]
    assert bars[0][0] == pytest.approx(0.158) and bars[1][0] == pytest.approx(0.315)
    to_png(fig)  # the ROI axis takes its limits from the BCR axis when drawn
    roi = [ax for ax in bcr.child_axes if ax.get_xlabel() == "ROI (%)"]
    assert len(roi) == 1 and roi[0].get_xlim()[0] == pytest.approx(-100.0)  # BCR 0 = ROI -100%
    alt = figure_alt(fig)
    assert alt.startswith(cost_roi_title(ITEMS, INTERVAL, lang="en"))
    assert "BCR 0.23 (95% CI 0.16 to 0.32), ROI −77%: below break-even" in alt
    only = cost_roi_plot(ITEMS.iloc[0], None, lang="id")
    assert len(only.axes) == 1 and figure_alt(only).startswith("Biaya Rp192,7 juta")


def test_the_cost_roi_plot_rejects_what_is_not_a_cost_row():
    from evalkit.errors import EvalkitError

    with pytest.raises(EvalkitError, match="cost_roi_plot"):
        cost_roi_plot(ITEMS.drop(columns="other"), INTERVAL)
    with pytest.raises(EvalkitError, match="cost_roi_plot: parameter 'items' has no row"):
        cost_roi_plot(ITEMS.iloc[:0], INTERVAL)


def test_the_demo_cohort_report_captions_its_cost_roi_figure(demo):
    root, _summary = demo
    for name, word in (
        ("cohort-PPR-2024-02.html", "Gambar"),
        ("cohort-PPR-2024-02.en.html", "Figure"),
    ):
        page = (root / "reports" / "demo" / name).read_text(encoding="utf-8")
        alts = re.findall(r'alt="((?:Biaya Rp|Cost IDR)[^"]*BCR[^"]*)"', page)
        assert len(alts) == 1, name
        caption = re.search(rf"<strong>{word} (\d+)</strong>\. ((?:Biaya Rp|Cost IDR)[^<]*)", page)
        assert caption and caption.group(2).startswith(alts[0].split(".")[0]), name


def test_the_demo_impact_study_gives_each_figure_and_event_table_its_own_caption(demo):
    root, _summary = demo
    for name, word, table_word in (("impact.html", "Gambar", "Tabel"),
                                   ("impact.en.html", "Figure", "Table")):  # fmt: skip
        page = (root / "reports" / "demo" / name).read_text(encoding="utf-8")
        figures = re.findall(rf"<strong>{word} \d+</strong>\. ([^<]*)", page)
        tables = re.findall(rf"<strong>{table_word} \d+</strong>\. ([^<]*)", page)
        assert len(figures) == 6 and len(set(figures)) == 6, (name, figures)
        assert len(set(tables)) == len(tables), (name, tables)  # no two alike
        # each figure's caption names its outcome before its axes
        for caption in figures:
            assert caption.split(":")[0] in {
                "IKM",
                "Public satisfaction (IKM)",
                "Waktu layanan",
                "Service time",
                "Jumlah pengaduan",
                "Complaints",
            }
    en = (root / "reports" / "demo" / "impact.en.html").read_text(encoding="utf-8")
    assert "Complaints: event study, rate ratio per period" in en
    assert "Service time: event study, difference per period" in en
    # the complaints' sign of regression to the mean is a limitation, and the summary says so
    assert "<strong>Regression to the mean (complaints).</strong>" in en
    assert "complaints 0.42" in en and "possibly in part regression to the mean" in en


def test_the_overview_summary_answers_level_1_from_the_pooled_reaction_index(demo):
    from evalkit.reporting.summary import executive_summary

    root, _summary = demo
    ledger = pd.read_csv(root / "reports" / "demo" / "results.csv", encoding="utf-8-sig")
    row = ledger[(ledger["report"] == "overview") & (ledger["estimand"] == "mean")
                 & (ledger["outcome"] == "reaction index (POMP 0-100)")
                 & (ledger["group"] == "all")]  # fmt: skip
    assert len(row) == 1 and row.iloc[0]["n_clusters"] == 15
    # the person-level mean the CR2 interval is built around, by hand from the answers
    reaction = pd.read_parquet(root / "data" / "processed" / "demo" / "reaction.parquet")
    # POMP of each answer: 0 the lowest answer (1), 100 the highest, as the cohort reports
    on_100 = reaction.assign(score=100 * (reaction["score"] - 1) / (reaction["scale_max"] - 1))
    people = on_100.groupby(["cohort_id", "participant_id"])["score"].mean()
    assert row.iloc[0]["estimate"] == pytest.approx(people.mean(), rel=1e-9)
    assert row.iloc[0]["n"] == len(people)
    en = (root / "reports" / "demo" / "overview.en.html").read_text(encoding="utf-8")
    said = f"Participants rated the training {people.mean():.1f} of 100 (Level 1 reaction index"
    assert said in en and "Over the 15 cohorts, participants rated the training" in en
    rows = [{"level": 1, "outcome": "reaction index (POMP 0-100)", "estimand": "mean",
             "group": "all", "estimate": 74.31, "ci_low": 73.6, "ci_high": 75.0, "n": 375,
             "n_clusters": 15}]  # fmt: skip
    assert "74,3 dari 100 (indeks reaksi Level 1" in executive_summary(
        rows, "id", report="overview"
    )


# --- 4. the methods in Indonesian -----------------------------------------------------------
#: English words that must not be left in an Indonesian method text.
ENGLISH = {"of", "the", "by", "over", "with", "within", "from", "and", "mean", "share",
           "minus", "resamples", "draws", "cohort", "cohorts", "person", "people",
           "test", "tests", "change", "rated", "months", "score", "random", "intercept",
           "pooled", "proportion", "correct", "recorded", "costs", "fully", "loaded",
           "two-sided", "sample", "secondary", "paired", "one", "all", "other", "units", "at"}  # fmt: skip


def test_every_method_and_outcome_of_the_demo_ledger_reads_in_indonesian(demo):
    root, _summary = demo
    ledger = pd.read_csv(root / "reports" / "demo" / "results.csv")
    left = {}
    for method in ledger["method"].str.replace(D.SUPPRESSED_NOTE, "", regex=True).unique():
        words = set(re.findall(r"[A-Za-z][A-Za-z-]*", method_text(method, "id")))
        if words & ENGLISH:
            left[method] = sorted(words & ENGLISH)
    for outcome in ledger["outcome"].unique():
        words = set(re.findall(r"[A-Za-z][A-Za-z-]*", outcome_text(outcome, "id")))
        if words & ENGLISH:
            left[outcome] = sorted(words & ENGLISH)
    assert not left, left
    assert method_text("percentile bootstrap over examinees (1,000 resamples)", "id") == (
        "bootstrap persentil atas peserta tes (1.000 resampel)"
    )
    assert method_text("paired t, 80% power, two-sided alpha .05 (d_z)", "id") == (
        "t berpasangan, power 80%, alfa dua sisi 0,05 (d_z)"
    )


def test_the_indonesian_methods_list_is_in_indonesian_without_a_disclaimer():
    rows = [{"level": 2, "outcome": "test score", "method": "paired t, person level, one cohort"},
            {"level": 3, "outcome": "change project sustainment",
             "method": "share of change projects; Wilson CI; suppressed: n < 5"}]  # fmt: skip
    text = M.analysis_methods(rows, "id")
    assert "bahasa Inggris" not in text
    assert text.splitlines()[2:] == [
        "- **Level 2, pembelajaran** (nilai tes): t berpasangan, tingkat peserta, satu angkatan",
        "- **Level 3, perilaku** (keberlanjutan aksi perubahan): porsi aksi perubahan; IK Wilson",
    ]
    english = M.analysis_methods(rows, "en")
    assert "(test score): paired t, person level, one cohort" in english


# --- 5. the provenance inside the appendix ---------------------------------------------------
def test_the_provenance_is_the_last_section_of_the_appendix():
    import nbformat

    from evalkit.run.export import render_html

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        "# T\n\n## Hasil\n\n### Level 1\n\n## Lampiran\n\nTabel lengkap.")])  # fmt: skip
    page = render_html(nb, provenance={"commit": "abc", "parameters": {"lang": "id"}}, lang="id")
    assert "<h2>Asal-usul laporan</h2>" not in page and "<h3>Asal-usul laporan</h3>" in page
    toc = re.search(r'<nav class="ek-toc".*?</nav>', page, re.S).group(0)
    # the provenance entry sits in the appendix's sub-list, the last one
    assert re.search(r'href="#Lampiran">Lampiran</a></li><ol><li><a href="#provenance">', toc)
    assert toc.endswith("</a></li></ol></ol></nav>")
    nested = render_html(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        "# T\n\n## Lampiran\n\n### Tabel")]), provenance={"commit": "abc"}, lang="en")  # fmt: skip
    assert re.search(r'href="#Tabel">Tabel</a></li><li><a href="#provenance">', nested)


def test_the_demo_reports_end_their_appendix_with_the_provenance(demo):
    root, _summary = demo
    for path in sorted((root / "reports" / "demo").glob("*.html"))[:6]:
        page = path.read_text(encoding="utf-8")
        heads = re.findall(r"<h([23])[^>]*>(.*?)(?:<a class=\"anchor-link\"|</h[23]>)", page)
        assert heads[-1][0] == "3" and heads[-1][1] in ("Asal-usul laporan", "Provenance")
        last_h2 = [h for level, h in heads if level == "2"][-1]
        assert last_h2 in ("Lampiran", "Appendix"), path.name


# --- 6. numbers right, words left --------------------------------------------------------------
def test_text_columns_of_a_shown_table_are_marked_for_left_alignment():
    from evalkit.run.export import _CSS, align_text_columns

    frame = pd.DataFrame(
        {"Skala": ["1-5 (Materi)", "1-5 (Materi)", "0/1"], "n": ["< 5", "24", "–"],
         "Teks": ["Materi <b>jelas</b>", "Modul lengkap", "Soal 1"],
         "IK 95%": ["3,85 s.d. 4,26 (peserta)", "Rp3.085.417", "V = 253,5, p < 0,001"]},
        index=pd.MultiIndex.from_tuples([("Reaksi", "c1"), ("Reaksi", "c2"), ("Tes", "s01")],
                                        names=["Instrumen", "Butir"]),
    )  # fmt: skip
    html = align_text_columns(frame.to_html())
    body = html.split("<tbody>")[1]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    marked = [re.findall(r'<td( class="ek-text")?>', row) for row in rows]
    # Skala and Teks are words ("1-5 (Materi)" names its dimension); n, the interval with
    # its qualifier, rupiah and a test statistic are numbers
    assert marked == [[' class="ek-text"', "", ' class="ek-text"', ""]] * 3
    assert "Materi &lt;b&gt;jelas&lt;/b&gt;" in html  # the cell text is not touched
    head = re.findall(r"<th( class=\"ek-text\")?>([^<]*)</th>", html.split("<tbody>")[0])
    assert (' class="ek-text"', "Teks") in head and ("", "n") in head and ("", "IK 95%") in head
    items = pd.DataFrame({"Butir": ["1. Kualitas materi e-learning", "2. Video"]}).to_html()
    assert 'class="ek-text"' in align_text_columns(items)  # an item text starting with its number
    assert ".ek-captioned td.ek-text" in _CSS and ".ek-captioned tbody th" in _CSS
    numbers = pd.DataFrame({"n": [3, 24], "mean": ["3,9", "4,1"]}).to_html()
    assert align_text_columns(numbers) == numbers  # a table of numbers stays as it was


def test_a_row_group_label_is_in_every_row_of_its_group_muted_after_the_first():
    from evalkit.run.export import _CSS, repeat_group_labels

    index = pd.MultiIndex.from_tuples(
        [("Reaksi", "materi", "c1"), ("Reaksi", "materi", "c2"), ("Reaksi", "sarana", "f1"),
         ("Tes", "", "s01"), ("Tindak lanjut", "b", "b1"), ("Tindak lanjut", "b", "b2")],
        names=["Instrumen", "Dimensi", "Butir"],
    )  # fmt: skip
    frame = pd.DataFrame({"Skala": ["1-5"] * 3 + ["0-100"] + ["1-4"] * 2}, index=index)
    html = repeat_group_labels(frame.to_html())
    # the reference: pandas' own table with every label written out (sparsify=False)
    assert "rowspan" not in html.split("<tbody>")[1]
    unmarked = re.sub(r' class="ek-repeat"', "", html)
    assert re.sub(r"\s+", "", unmarked) == re.sub(r"\s+", "", frame.to_html(sparsify=False))
    repeated = re.findall(r'<th class="ek-repeat">([^<]*)</th>', html)
    assert repeated == ["Reaksi", "materi", "Reaksi", "Tindak lanjut", "b"]  # after the first
    assert "th.ek-repeat" in _CSS
    flat = pd.DataFrame({"n": [3, 24]}, index=["a", "b"]).to_html()
    assert repeat_group_labels(flat) == flat  # no group, no change
