"""Typed headlines: what the notebooks fill, what ``record`` stores, what the index reads.

The recorded keys must stay those the notebooks recorded before the headlines were
typed (built then by prefixing result names), so the expected keys below are built
the old way, from the library results themselves.
"""

from __future__ import annotations

import dataclasses

import nbformat
import numpy as np
import pandas as pd
import pytest

import evalkit as ek
from evalkit.errors import ParameterError
from evalkit.reporting.headlines import (
    HEADLINES,
    CohortHeadline,
    Headline,
    ImpactHeadline,
    OverviewHeadline,
    headline_from_record,
)
from evalkit.reporting.record import RECORD_MIMETYPE, recorded, recording
from evalkit.run.plan import KINDS


@pytest.fixture
def cohort() -> CohortHeadline:
    return CohortHeadline(study="demo", cohort_id="C01", program_name="Pelayanan", n=24)


def test_a_headline_type_per_report_kind():
    assert set(HEADLINES) == set(KINDS)
    assert all(issubclass(kind, Headline) for kind in HEADLINES.values())


def test_reaction_keys_are_the_prefixed_scale_scores(cohort):
    answers = pd.DataFrame(
        {
            "participant_id": np.repeat(["a", "b", "c", "d"], 2),
            "item": ["q1", "q2"] * 4,
            "dimension": "all",
            "score": [4, 5, 3, 4, 5, 5, 2, 3.0],
            "scale_max": 5,
        }
    )
    overall = ek.scale_scores(answers, by=None).iloc[0]
    expected = {"study": "demo", "cohort_id": "C01", "program_name": "Pelayanan", "n": 24}
    # how the notebook built them; the headline's index is the POMP score
    shown = overall.rename({"pomp": "index"}).drop(["pomp_ci_low", "pomp_ci_high", "pct_of_max"])
    expected.update(shown.add_prefix("reaction_"))
    assert recording(cohort.with_reaction(overall)) == recording(expected)


def test_learning_keys_are_paired_change_with_n_pairs(cohort):
    change = ek.paired_change([50, 60, 55, 70.0], [70, 75, 60, 80.0], max_score=100)
    expected = {**cohort.to_record(), **change.drop("n"), "n_pairs": change["n"]}
    assert recording(cohort.with_learning(change)) == recording(expected)


def test_reliability_costs_and_roi_keys(cohort):
    alpha = pd.Series({"alpha": 0.81, "ci_low": 0.7, "ci_high": 0.9, "n": 20})
    costs = pd.Series({"total_cost": 9e6, "cost_per_participant": 3e5, "cost_per_gain_point": 1e4})
    scenarios = ek.roi_sensitivity((3e6, 6e6, 9e6), 4e6)
    h = cohort.with_reliability(alpha).with_costs(costs).with_roi(scenarios)
    assert h.alpha == 0.81 and h.alpha_ci_low == 0.7 and h.alpha_ci_high == 0.9
    assert (h.total_cost, h.cost_per_participant, h.cost_per_gain_point) == (9e6, 3e5, 1e4)
    assert (h.bcr, h.roi_pct) == (1.5, 50.0)


def test_impact_did_keys():
    effect = pd.Series(
        {"estimate": 6.3, "se": 0.5, "t": 12.6, "df": 12.0, "p": 1e-8, "ci_low": 5.2,
         "ci_high": 7.4, "n_obs": 78.0, "n_clusters": 13.0}
    )  # fmt: skip
    h = ImpactHeadline(study="demo", title="Studi dampak").with_did("ikm", effect)
    h = h.with_did("service_days", pd.Series({"estimate": -0.9, "se": 0.2}))
    h = h.with_did("complaints", pd.Series({"estimate": -5.2, "se": 1.1}))
    expected = {"study": "demo", "title": "Studi dampak", **effect.add_prefix("did_ikm_")}
    expected.update(did_days=-0.9, did_complaints=-5.2)
    assert recording(h) == recording(expected)
    with pytest.raises(ParameterError, match="parameter 'outcome' must be one of"):
        h.with_did("waiting_time", effect)


def test_unset_fields_are_not_recorded_and_nan_is_null(cohort):
    h = cohort.replace(mde=float("nan"), kr20=np.float64(0.7))
    assert recording(h) == {
        "study": "demo", "cohort_id": "C01", "program_name": "Pelayanan", "n": 24,
        "kr20": 0.7, "mde": None,
    }  # fmt: skip
    assert "bcr" not in recording(h)


def test_fields_are_typed(cohort):
    h = cohort.replace(n=np.int64(30), reaction_n=np.float64(24.0))
    assert type(h.n) is int and type(h.reaction_n) is float
    assert recording(h)["reaction_n"] == 24.0 and isinstance(recording(h)["reaction_n"], float)
    with pytest.raises(ParameterError, match="field 'n' must be int, got 2.5"):
        cohort.replace(n=2.5)
    with pytest.raises(ParameterError, match="field 'kr20' must be float, got 'tinggi'"):
        cohort.replace(kr20="tinggi")
    with pytest.raises(ParameterError, match="field 'bcr' must be float, got True"):
        cohort.replace(bcr=True)
    with pytest.raises(ParameterError, match="unexpected keyword argument 'reaction_mena'"):
        cohort.replace(reaction_mena=3.9)
    with pytest.raises(dataclasses.FrozenInstanceError):
        cohort.n = 3  # type: ignore[misc]


def test_overview_headline():
    h = OverviewHeadline(study="demo", title="Ikhtisar program", n_cohorts=15, n=409)
    h = h.replace(jp_year=np.int64(2025), n_cohorts_bcr_above_1=2, relevance_p=1e-7)
    assert recording(h) == {
        "study": "demo", "title": "Ikhtisar program", "n_cohorts": 15, "n": 409,
        "relevance_p": 1e-7, "jp_year": 2025, "n_cohorts_bcr_above_1": 2,
    }  # fmt: skip


def test_from_record_round_trip_and_tolerance(cohort):
    h = cohort.replace(mean_diff=5.9, ci_low=3.3, ci_high=8.6, mde=float("nan"))
    back = headline_from_record("cohort", recording(h))
    assert back.mean_diff == 5.9 and back.mde is None and back.n == 24
    assert isinstance(back, CohortHeadline)
    # unknown keys are ignored, a value of the wrong type reads as None, missing fields None
    odd = headline_from_record("cohort", {"n": "banyak", "d_z": 1.2, "legacy_key": 3})
    assert odd.n is None and odd.d_z == 1.2 and odd.program_name is None
    assert type(headline_from_record("other", {"study": "s"})) is Headline
    assert headline_from_record("impact", None).did_ikm_estimate is None


def test_record_accepts_a_headline(cohort):
    out = nbformat.v4.new_output("display_data", data={RECORD_MIMETYPE: recording(cohort)})
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[out])])
    assert recorded(nb) == cohort.to_record()
    assert recording(cohort, title="T")["title"] == "T"


def test_every_field_is_a_json_scalar():
    allowed = {"str", "int", "str | None", "int | None", "float | None"}
    for kind in HEADLINES.values():
        for field in dataclasses.fields(kind):
            assert field.type in allowed, (kind.__name__, field.name)
