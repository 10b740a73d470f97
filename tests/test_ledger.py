"""The results ledger (evalkit.reporting.ledger), multiple testing and POMP scores.

Reference values: R 4.2.2 ``stats::p.adjust`` (tests/reference/multiplicity.R, its output
in multiplicity_output.txt); POMP from its definition and the worked example of Cohen,
Cohen, Aiken & West (1999): 4 on a 1-5 scale is 75.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

from evalkit.errors import ParameterError
from evalkit.metrics.multiplicity import adjust_p
from evalkit.metrics.scales import pomp
from evalkit.reporting.ledger import ESTIMANDS, LEDGER_COLUMNS, estimates, ledger_frame
from evalkit.reporting.record import LEDGER_MIMETYPE, estimates_payload, recorded_estimates
from evalkit.run import export as ekhtml
from evalkit.run.appendix import RESULTS, write_appendix
from evalkit.run.outputs import write_outputs
from evalkit.run.plan import Job, ReportPlan

REPO = Path(__file__).resolve().parents[1]
REFERENCE = REPO / "tests" / "reference"
P = [0.01, 0.04, 0.03, 0.005, 0.20, 0.50, 0.002, 0.049]


def _r_lines() -> list[list[float]]:
    text = (REFERENCE / "multiplicity_output.txt").read_text().splitlines()
    return [[math.nan if v == "NA" else float(v) for v in line.split()] for line in text]


def test_holm_and_bh_equal_r_p_adjust():
    holm, bh, holm_na, bh_na = _r_lines()
    # p.adjust(p, "holm"): 0.06 0.16 0.15 0.035 0.4 0.5 0.016 0.16
    assert adjust_p(P, "holm").tolist() == pytest.approx(holm, abs=1e-15)
    # p.adjust(p, "BH"): 0.0266666666666667 0.064 0.06 0.02 0.228571428571429 0.5 0.016 ...
    assert adjust_p(P, "bh").tolist() == pytest.approx(bh, rel=1e-13)
    with_na = pd.Series([0.01, np.nan, 0.03, 0.8], index=list("abcd"))
    # p.adjust(c(0.01, NA, 0.03, 0.8), "holm"): 0.03 NA 0.06 0.8 (NA not in the family)
    got = adjust_p(with_na, "holm")
    assert list(got.index) == list("abcd")
    np.testing.assert_allclose(got.to_numpy(), holm_na, rtol=1e-13)
    np.testing.assert_allclose(adjust_p(with_na, "bh").to_numpy(), bh_na, rtol=1e-13)


def test_adjust_p_rejects_bad_input():
    with pytest.raises(ParameterError, match="'method'"):
        adjust_p(P, "bonferroni")
    with pytest.raises(ParameterError, match="in \\[0, 1\\]"):
        adjust_p([-0.1])
    with pytest.raises(ParameterError, match="numeric"):
        adjust_p(["x"])
    assert adjust_p([]).empty and adjust_p([np.nan]).isna().all()


def test_pomp_maps_the_scale_to_0_100():
    # Cohen et al. (1999): POMP = (observed - minimum) / (maximum - minimum) x 100
    assert pomp(4, minimum=1, maximum=5) == 75.0
    assert pomp(3.25, minimum=1, maximum=4) == 75.0
    assert pomp(0, minimum=0, maximum=40) == 0.0 and pomp(40, minimum=0, maximum=40) == 100.0
    scores = pd.Series([1.0, 2.5, 5.0], index=list("xyz"), name="mean")
    got = pomp(scores, minimum=1, maximum=5)
    assert got.tolist() == [0.0, 37.5, 100.0] and list(got.index) == list("xyz")
    assert got.name == "mean"
    # the old "% of maximum" (mean / max x 100) had a floor of 20 on a 1-5 scale
    assert pomp(1, minimum=1, maximum=5) == 0.0 != 1 / 5 * 100
    with pytest.raises(ParameterError, match="greater than 'minimum'"):
        pomp([1, 2], minimum=1, maximum=[5, 1])


def test_estimates_builds_one_row_per_estimate():
    frame = pd.DataFrame(
        {"n": [20, 25], "est": [1.4, 0.8], "lo": [0.9, 0.6], "hi": [2.0, 1.1], "p": [0.01, 0.2]},
        index=pd.MultiIndex.from_tuples([("P1", "C1"), ("P1", "C2")], names=["prog", "cohort"]),
    )
    rows = estimates(frame, level=5, outcome="benefits", estimand="bcr", method="boot",
                     estimate="est", ci=("lo", "hi"), p="p", n_clusters=2, primary=True)  # fmt: skip
    assert list(rows.columns) == list(LEDGER_COLUMNS)
    assert rows["group"].tolist() == ["P1 / C1", "P1 / C2"]
    assert rows["estimate"].tolist() == [1.4, 0.8] and rows["ci_high"].tolist() == [2.0, 1.1]
    assert rows["n"].tolist() == [20, 25] and rows["n_clusters"].tolist() == [2, 2]
    assert rows["p_adjusted"].isna().all() and rows["primary"].all()
    assert set(rows["report"]) == {""} and set(rows["level"]) == {5}
    # a Series is one row; no CI; a constant group; a plain index gives an empty group
    one = estimates(pd.Series({"n": 9, "alpha": 0.81}), level=1, outcome="reaction",
                    estimand="alpha", method="Cronbach", estimate="alpha", ci=None)  # fmt: skip
    assert one[["group", "estimate", "n"]].values.tolist() == [["", 0.81, 9]]
    assert np.isnan(one.loc[0, "ci_low"])
    named = estimates(frame.reset_index(), level=5, outcome="b", estimand="bcr", method="m",
                      estimate="est", ci=None, group="cohort")  # fmt: skip
    assert named["group"].tolist() == ["C1", "C2"]
    const = estimates(frame, level=5, outcome="b", estimand="bcr", method="m", estimate=1.0,
                      ci=None, group="portfolio", n=45)  # fmt: skip
    assert const["group"].tolist() == ["portfolio"] * 2 and const["n"].tolist() == [45, 45]


def test_estimates_about_fewer_than_five_people_are_suppressed():
    frame = pd.DataFrame({"n": [4, 5], "m": [3.1, 3.4], "lo": [2.0, 3.0], "hi": [4.0, 3.8]},
                         index=pd.Index(["men", "women"], name="sex"))  # fmt: skip
    rows = estimates(frame, level=2, outcome="gain", estimand="mean", method="t",
                     estimate="m", ci=("lo", "hi"))  # fmt: skip
    assert rows["n"].tolist() == [4, 5]
    assert rows.loc[0, ["estimate", "ci_low", "ci_high"]].isna().all()
    assert rows.loc[0, "method"] == "t; suppressed: n < 5" and rows.loc[1, "estimate"] == 3.4
    units = estimates(
        frame,
        level=4,
        outcome="ikm",
        estimand="did",
        method="TWFE",
        estimate="m",
        ci=None,
        min_n=None,
    )  # n counts units: nothing suppressed
    assert units["estimate"].tolist() == [3.1, 3.4]


def test_estimates_rejects_what_is_not_a_ledger_row():
    frame = pd.DataFrame({"n": [3], "x": [1.0]})
    kw = dict(level=2, outcome="o", method="m")
    with pytest.raises(ParameterError, match="estimand"):
        estimates(frame, estimand="effect", estimate="x", **kw)
    with pytest.raises(ParameterError, match="names column 'mean'"):
        estimates(frame, estimand="mean", estimate="mean", **kw)
    with pytest.raises(ParameterError, match="'level'"):
        estimates(frame, estimand="mean", estimate="x", level=7, outcome="o", method="m")
    with pytest.raises(ParameterError, match="'frame'"):
        estimates([1, 2], estimand="mean", estimate="x", **kw)
    with pytest.raises(ParameterError, match="record_estimates"):
        estimates_payload(frame)


def test_vocabulary_is_documented_in_the_data_model():
    text = (REPO / "docs" / "data-model.md").read_text(encoding="utf-8")
    missing = [name for name in ESTIMANDS if f"`{name}`" not in text]
    assert not missing, f"estimands not in docs/data-model.md: {missing}"
    assert all(f"`{column}`" in text for column in LEDGER_COLUMNS)
    for required in ("mean", "d_z", "hedges_g", "omega", "pomp", "rate_ratio", "bcr", "mde"):
        assert required in ESTIMANDS


def _notebook(rows: pd.DataFrame):
    v4 = nbformat.v4
    payload = {"rows": estimates_payload(rows)}
    out = v4.new_output("display_data", data={LEDGER_MIMETYPE: payload})
    return v4.new_notebook(cells=[v4.new_markdown_cell("## A"), v4.new_code_cell(outputs=[out])])


def test_ledger_rows_reach_results_csv_and_the_appendix(tmp_path):
    import openpyxl

    folder = tmp_path / "reports" / "s"
    rows = []
    for name, cohort in (("cohort-A", "A"), ("cohort-B", "B")):
        job = Job("s", "cohort", cohort)
        plan = ReportPlan(job=job, notebook=REPO / "notebooks" / "cohort_report.ipynb",
                          parameters={}, fingerprint="f", parts={}, html=folder / f"{name}.html",
                          executed=folder / f"_executed/{name}.ipynb",
                          state=folder / f"_executed/{name}.json", tables=[],
                          processed=tmp_path)  # fmt: skip
        change = pd.Series({"n": 30, "mean_diff": 1 / 3, "ci_low": 0.1, "ci_high": 0.5, "p": 1e-9})
        ledger = estimates(change, level=2, outcome="test score", estimand="mean_change",
                           method="paired t, person level", estimate="mean_diff", p="p",
                           group=cohort, primary=True)  # fmt: skip
        nb = _notebook(ledger)
        assert recorded_estimates(nb)[0]["estimate"] == 1 / 3
        page = ekhtml.render_html(nb, lang="id")
        assert "mean_change" not in page  # the ledger copy is never shown
        write_outputs(plan, nb, "id")
        (folder / f"{name}.html").write_text("<html></html>")
        state = {"status": "ok", "kind": "cohort", "cohort_id": cohort, "name": name,
                 "html": f"{name}.html", "headline": {"n": 30}}  # fmt: skip
        plan.state.write_text(json.dumps(state))
        rows.append(ledger)
    write_appendix(folder)
    results = pd.read_csv(folder / RESULTS, encoding="utf-8-sig")
    assert list(results.columns) == list(LEDGER_COLUMNS)
    assert results["report"].tolist() == ["cohort-A", "cohort-B"]
    assert results["group"].tolist() == ["A", "B"]
    assert results["estimate"].tolist() == [1 / 3, 1 / 3]  # full precision, never rounded
    assert results["p_value"].tolist() == [1e-9, 1e-9] and results["primary"].all()
    book = openpyxl.load_workbook(folder / "tables.xlsx", read_only=True)
    assert book.sheetnames[:4] == ["README", "contents", "headline", "results"]
    sheet = list(book["results"].iter_rows(values_only=True))
    assert sheet[0] == tuple(LEDGER_COLUMNS) and sheet[1][0] == "cohort-A"
    # no successful report: no ledger
    for name in ("cohort-A", "cohort-B"):
        (folder / f"{name}.html").unlink()
    assert write_appendix(folder) is None and not (folder / RESULTS).exists()


def test_ledger_frame_types_recorded_rows():
    frame = ledger_frame([{"level": 4, "estimand": "did", "estimate": "2.5", "primary": None}])
    assert frame["estimate"].dtype == float and frame.loc[0, "estimate"] == 2.5
    assert frame.loc[0, "primary"] is np.False_ or frame.loc[0, "primary"] == False  # noqa: E712
    assert ledger_frame([]).columns.tolist() == list(LEDGER_COLUMNS)


def test_a_cell_run_again_replaces_its_session_rows_instead_of_adding_them(monkeypatch):
    """Run All twice in JupyterLab records every estimate twice; the summary must see it once."""
    import IPython
    import IPython.display

    from evalkit.reporting.ledger import estimates
    from evalkit.reporting.record import record_estimates, session_estimates

    class Shell:
        user_ns: dict = {}

    shell = Shell()
    monkeypatch.setattr(IPython, "get_ipython", lambda: shell)
    monkeypatch.setattr(IPython.display, "display", lambda *a, **k: None)

    def row(mean_diff: float, outcome: str = "test score") -> pd.DataFrame:
        change = pd.Series({"n": 30, "mean_diff": mean_diff, "ci_low": 9.0, "ci_high": 16.0})
        return estimates(change, level=2, outcome=outcome, estimand="mean_change",
                         method="paired t", estimate="mean_diff")  # fmt: skip

    record_estimates(row(12.5))
    record_estimates(row(3.0, outcome="reaction"))
    record_estimates(row(12.75))  # the first cell, run again with changed data
    rows = session_estimates()
    assert [(r["outcome"], r["estimate"]) for r in rows] == [("test score", 12.75),
                                                             ("reaction", 3.0)]  # fmt: skip


# --- the numbers a conclusion states are ledger rows ----------------------------------------
def test_roi_scenario_rows_hold_the_range_the_sentence_states():
    from evalkit.metrics.economics import roi_sensitivity
    from evalkit.reporting.conclusions.economics import (
        roi_conclusion,
        roi_estimates,
        roi_scenario_estimates,
    )

    scenarios = roi_sensitivity((30e6, 60e6, 90e6), 50e6)
    rows = roi_scenario_estimates(scenarios, group="C1")
    assert rows["group"].tolist() == ["C1, scenario: low", "C1, scenario: base",
                                      "C1, scenario: high"]  # fmt: skip
    assert set(rows["estimand"]) == {"roi_pct"} and rows["ci_low"].isna().all()
    # (benefits - costs) / costs x 100 of each scenario, by hand
    np.testing.assert_allclose(rows["estimate"], [-40.0, 20.0, 80.0], rtol=1e-12)
    text = str(roi_conclusion({"n": 12}, scenarios, "en"))
    assert "range −40% to 80%" in text
    assert {-40.0, 80.0} <= set(rows["estimate"].round(0))
    interval = pd.Series({"bcr": 1.2, "bcr_ci_low": 0.8, "bcr_ci_high": 1.7, "roi_pct": 20.0,
                          "roi_ci_low": -20.0, "roi_ci_high": 70.0, "benefits": 6e7,
                          "costs": 5e7, "n_participants": 20, "n_cohorts": 1, "n_boot": 2000})  # fmt: skip
    plain = roi_estimates(interval, group="P")
    with_costs = roi_estimates(interval, group="P", costs=True)
    assert plain["estimand"].tolist() == ["bcr", "roi_pct", "benefit"]
    cost = with_costs.iloc[-1]
    assert (cost["estimand"], cost["estimate"], cost["group"]) == ("cost", 5e7, "P")
    assert math.isnan(cost["ci_low"]) and cost["n"] == 20


def test_change_and_response_shift_means_are_rows():
    from evalkit.reporting.conclusions.behavior import change_conclusion, change_means_estimates
    from evalkit.reporting.conclusions.retrospective import (
        response_shift_conclusion,
        response_shift_estimates,
    )

    ch = pd.Series({"n": 118.0, "n_clusters": 5.0, "mean_baseline": 67.34, "mean_later": 69.61,
                    "mean_change": 2.27, "ci_low": -3.15, "ci_high": 7.78, "t": 1.18,
                    "df": 4.0, "p": 0.304})  # fmt: skip
    rows = change_means_estimates(ch, baseline=3, later=6)
    assert rows["group"].tolist() == ["3 months, alumni rated at both",
                                      "6 months, alumni rated at both"]  # fmt: skip
    assert rows["estimate"].tolist() == [67.34, 69.61] and set(rows["estimand"]) == {"pomp"}
    assert rows["n"].tolist() == [118.0, 118.0] and rows["n_clusters"].tolist() == [5.0, 5.0]
    assert "went from 67.3 to 69.6" in str(change_conclusion(ch, "en"))
    one = change_means_estimates({"n": 9, "mean_baseline": 50.0, "mean_later": 55.0})
    assert one["n_clusters"].isna().all()
    shift = {"n": 287.0, "mean_retrospective": 33.21, "mean_prospective": 42.89, "shift": -9.68,
             "ci_low": -10.83, "ci_high": -8.53, "p": 1e-40}  # fmt: skip
    rows = response_shift_estimates(shift)
    assert rows["estimate"].tolist() == [33.21, 42.89] and rows["n"].tolist() == [287.0] * 2
    assert "(33.2 against 42.9, POMP 0-100" in str(response_shift_conclusion(shift, "en"))


def test_needs_ranking_rows_hold_the_all_alumni_value():
    from evalkit.reporting.conclusions.planning import needs_conclusion, needs_estimates

    rank = pd.DataFrame({
        "characteristic": ["unit", "unit", "sex"], "rank": [1, 2, 1],
        "group": ["Bappeda", "BKPSDM", "P"], "item": ["b2", "b4", "b2"],
        "n": [12.0, 9, 30], "n_clusters": [3.0, 2, 5], "mean": [36.25, 40.0, 41.5],
        "ci_low": [23.0, 30, 35], "ci_high": [49.5, 50, 48], "inference": ["cluster"] * 3,
        "overall_mean": [41.04, 47.5, 41.04], "below_overall": [False] * 3,
    })  # fmt: skip
    rows = needs_estimates(rank, level=3, outcome="supervisor rating")
    overall = rows[rows["group"].str.startswith("all alumni")]
    assert overall["group"].tolist() == ["all alumni / b2", "all alumni / b4"]
    assert overall["estimate"].tolist() == [41.04, 47.5] and overall["ci_low"].isna().all()
    assert len(rows) == 5 and set(rows["estimand"]) == {"pomp"}
    assert "against 41.0 for all alumni" in str(needs_conclusion(rank, lang="en"))
    # a table that is not a ranking gets no such rows
    idx = pd.MultiIndex.from_tuples([("unit", "A")], names=["characteristic", "group"])
    plain = pd.DataFrame({"n": [9.0], "n_clusters": [1.0], "mean": [60.0], "ci_low": [50.0],
                          "ci_high": [70.0], "inference": ["t"], "overall_mean": [55.0]},
                         index=idx)  # fmt: skip
    assert needs_estimates(plain, level=1, outcome="relevance")["group"].tolist() == ["unit / A"]


def test_rate_change_estimand_is_documented():
    assert "rate_change_pct" in ESTIMANDS
    text = (REPO / "docs" / "data-model.md").read_text(encoding="utf-8")
    assert "| `rate_change_pct` |" in text
