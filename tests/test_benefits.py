"""The ``benefits`` table end to end: demo export -> clean -> Level 5 ROI.

The demo study plants a benefit level per program (``truth.json``,
``effects.benefits``). Cleaning must keep exactly the estimates the truth says it
keeps (so the Phillips-adjusted sums match to the rupiah), the adjusted benefit of
each cohort must be near the planted level within sampling noise, and costs and
benefits must join by cohort into :func:`evalkit.metrics.economics.roi`. Small-fixture tests of
the parsing, quarantine and person linking are in ``tests/test_clean.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evalkit import constants as C
from evalkit.data.clean import clean_study
from evalkit.data.schema import OUTPUT_COLUMNS
from evalkit.metrics.economics import phillips_benefit, roi, roi_sensitivity

SALT = b"benefits test salt"


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object, dict]:
    from evalkit.data.demo import write_demo

    root = tmp_path_factory.mktemp("benefits")
    raw = write_demo(root / "raw", progress=False)
    summary = clean_study(raw, root / "out", progress=False, salt=SALT)
    truth = json.loads((raw / "truth.json").read_text(encoding="utf-8"))
    return root / "out", summary, truth


def _table(out: Path, name: str) -> pd.DataFrame:
    return pd.read_parquet(out / f"{name}.parquet")


def test_benefits_table_has_the_data_model_columns(study) -> None:
    out, summary, truth = study
    benefits = _table(out, "benefits")
    assert list(benefits.columns) == list(OUTPUT_COLUMNS["benefits"]) == [
        C.COHORT_ID, C.PARTICIPANT_ID, C.BENEFIT_TYPE, C.BENEFIT, C.ATTRIBUTION, C.CONFIDENCE,
    ]  # fmt: skip
    assert benefits[[C.BENEFIT, C.ATTRIBUTION, C.CONFIDENCE]].notna().all().all()
    assert (benefits[C.BENEFIT] > 0).all()
    assert benefits[C.ATTRIBUTION].between(0, 1).all()
    assert benefits[C.CONFIDENCE].between(0, 1).all()
    assert set(benefits[C.BENEFIT_TYPE]) == {
        "time_saved", "fewer_errors", "faster_service", "fewer_complaints",
    }  # fmt: skip
    expected = sum(e["n_estimates"] for e in truth["effects"]["benefits"]["by_cohort"].values())
    assert summary.tables["benefits"] == len(benefits) == expected


def test_benefit_estimates_link_to_participants(study) -> None:
    out, _summary, truth = study
    benefits = _table(out, "benefits")
    people = benefits[benefits[C.PARTICIPANT_ID].notna()]
    roster = set(
        _table(out, "participants")[[C.COHORT_ID, C.PARTICIPANT_ID]].itertuples(index=False)
    )
    assert set(zip(people[C.COHORT_ID], people[C.PARTICIPANT_ID], strict=True)) <= roster
    # one estimate per participant and benefit type; unit-level rows have no participant
    assert not people.duplicated([C.COHORT_ID, C.PARTICIPANT_ID, C.BENEFIT_TYPE]).any()
    unit = benefits[benefits[C.PARTICIPANT_ID].isna()]
    by_cohort = truth["effects"]["benefits"]["by_cohort"]
    assert unit.groupby(C.COHORT_ID).size().to_dict() == {
        c: e["n_unit_level"] for c, e in by_cohort.items() if e["n_unit_level"]
    }
    assert set(unit[C.BENEFIT_TYPE]) == {"fewer_complaints"}


def test_benefit_mess_is_accounted_for(study) -> None:
    out, summary, truth = study
    log = pd.read_csv(out / "quality_log.csv", keep_default_na=False, dtype={"row": int})
    log = log[log["file"] == "estimasi_manfaat.xlsx"]
    events = [e for e in truth["mess"]["events"] if e["file"] == "estimasi_manfaat.xlsx"]
    planted = {(e["row"], e["kind"]) for e in events if e["expected"].split(" ")[0]
               in ("quarantined", "dropped")}  # fmt: skip
    logged = {
        (row, {"out_of_range": "share_over_100", "missing_required": "missing_amount",
               "duplicate": "duplicate_submission"}[reason.split(":")[0]])
        for row, reason, action in log[["row", "reason", "action"]].itertuples(index=False)
        if action in ("quarantined", "dropped")
    }  # fmt: skip
    assert logged == planted and len(planted) == 4
    quarantined = log[log["action"] == "quarantined"].set_index("column")["reason"]
    assert quarantined["manfaat/atribusi"].startswith("out_of_range: '120%' is more than 100%")
    assert quarantined["manfaat/nilai_per_tahun"].startswith("missing_required: benefit_idr")
    manifest = json.loads((out / "manifest.json").read_text())
    rows = manifest["rows"]["by_table_and_file"]["benefits:estimasi_manfaat.xlsx"]
    assert rows["rows"] == rows["kept"] + rows["duplicate"] + rows["quarantined"] + rows.get(
        "empty", 0
    )
    assert (rows["duplicate"], rows["quarantined"]) == (2, 2)
    assert rows["kept"] == summary.tables["benefits"]
    assert (
        summary.rows_read
        == summary.rows_kept + summary.duplicates + summary.quarantined + summary.empty
    )


def test_phillips_benefit_by_cohort_recovers_the_truth(study) -> None:
    out, _summary, truth = study
    benefits = _table(out, "benefits")
    by_cohort = truth["effects"]["benefits"]["by_cohort"]
    ours = phillips_benefit(benefits, by=C.COHORT_ID)
    assert list(ours.index) == sorted(by_cohort)
    reference = pd.DataFrame(by_cohort).T.loc[ours.index]
    # exactly the estimates as written: cleaning lost and invented nothing
    assert ours["n"].tolist() == reference["n_estimates"].astype(int).tolist()
    np.testing.assert_allclose(ours["benefit_raw"], reference["benefit_raw_idr"], rtol=1e-12)
    np.testing.assert_allclose(
        ours["benefit_adjusted"], reference["benefit_adjusted_idr"], rtol=1e-9
    )
    # the planted level (hours x 12 x hourly cost x mean attribution x mean confidence),
    # within sampling noise: |observed - expected| < 4 standard errors of the sum
    adjusted = benefits[C.BENEFIT] * benefits[C.ATTRIBUTION] * benefits[C.CONFIDENCE]
    se = adjusted.groupby(benefits[C.COHORT_ID]).agg(lambda x: x.std(ddof=1) * np.sqrt(len(x)))
    z = (ours["benefit_adjusted"] - reference["expected_benefit_adjusted_idr"]) / se
    assert (z.abs() < 4).all(), z.round(2).to_dict()
    # pooled over the study the sampling noise mostly cancels
    total = ours["benefit_adjusted"].sum() / reference["expected_benefit_adjusted_idr"].sum()
    assert total == pytest.approx(1, abs=0.1)


def test_program_level_matches_the_planted_level(study) -> None:
    out, _summary, truth = study
    benefits = _table(out, "benefits")
    cohorts = _table(out, "cohorts")[[C.COHORT_ID, C.PROGRAM_ID]]
    people = benefits[benefits[C.PARTICIPANT_ID].notna()].merge(cohorts, on=C.COHORT_ID)
    ours = phillips_benefit(people, by=C.PROGRAM_ID)
    per_estimate = ours["benefit_adjusted"] / ours["n"]
    for pid, level in truth["effects"]["benefits"]["by_program"].items():
        expected = level["expected_adjusted_per_estimate_idr"]
        assert per_estimate[pid] == pytest.approx(expected, rel=0.25), pid


def test_costs_and_benefits_join_by_cohort_into_roi(study) -> None:
    out, _summary, truth = study
    benefit = phillips_benefit(_table(out, "benefits"), by=C.COHORT_ID)
    cost = _table(out, "costs").groupby(C.COHORT_ID)[C.AMOUNT].sum()
    both = benefit.index.intersection(cost.index)
    assert len(both) == len(benefit) and len(cost) - len(both) == 2  # 2 cohorts too recent
    result = roi(benefit.loc[both, "benefit_adjusted"], cost.loc[both])
    assert list(result.columns) == ["bcr", "roi_pct", "net_benefit"]
    truth_costs = {c: sum(v.values()) for c, v in truth["costs_idr"].items()}
    by_cohort = truth["effects"]["benefits"]["by_cohort"]
    for cid, row in result.iterrows():
        bcr = by_cohort[cid]["benefit_adjusted_idr"] / truth_costs[cid]
        assert row["bcr"] == pytest.approx(bcr, rel=1e-9)
        assert row["roi_pct"] == pytest.approx((bcr - 1) * 100, rel=1e-9, abs=1e-9)
    # near the planted break-even picture: the time-management cohorts pay back
    expected = pd.Series({c: e["expected_bcr"] for c, e in by_cohort.items()})
    assert (result["bcr"] > 1).any() and (result["bcr"] < 1).any()
    assert np.corrcoef(result["bcr"], expected.loc[result.index])[0, 1] > 0.95
    # and the pooled range of the study
    low, base, high = (
        0.5 * benefit["benefit_adjusted"].sum(),
        benefit["benefit_adjusted"].sum(),
        benefit["benefit_raw"].sum(),
    )
    scenarios = roi_sensitivity((low, base, high), cost.loc[both].sum())
    assert scenarios.loc["base", "bcr"] == pytest.approx(base / cost.loc[both].sum())
