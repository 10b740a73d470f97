"""Training needs: supervisors' ratings per behaviour and relevance, by unit and position type.

Reference values: ``tests/reference/planner.R`` (run ``Rscript planner.R >
planner_output.txt`` in that folder); each literal is quoted with the R call beside it.
``group_ci(y, cl)`` there is ``coeftest(lm(y ~ 1), vcovCL(fit, cluster = ~cl), df = G -
1)`` with its ``confint`` for a group in G > 1 cohorts, and ``t.test(y)`` for a group in
one cohort.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import evalkit
from evalkit.errors import EvalkitWarning, ParameterError
from evalkit.metrics.needs import behavior_needs, group_means, needs_ranking, relevance_needs

REF = Path(__file__).parent / "reference"
RTOL = 1e-10


@pytest.fixture(scope="module")
def study():
    return {
        name: pd.read_csv(REF / f"planner_{name}.csv")
        for name in ("people", "followup", "reaction", "cohorts", "costs")
    }


@pytest.fixture(scope="module")
def behaviour(study):
    return behavior_needs(study["followup"], study["people"])


def _check(row, n, g, mean, se, low, high, inference):
    assert row["n"] == n and row["n_clusters"] == g and row["inference"] == inference
    assert row["mean"] == pytest.approx(mean, rel=RTOL)
    assert row["se"] == pytest.approx(se, rel=RTOL)
    assert row["ci_low"] == pytest.approx(low, rel=RTOL)
    assert row["ci_high"] == pytest.approx(high, rel=RTOL)


def test_supervisor_rating_of_a_behaviour_per_unit_matches_r_vcovcl(behaviour):
    # group_ci(sup$pomp[unit == "U2" & item == "b2"], cohort_id): coeftest + vcovCL, df = G - 1
    _check(behaviour.loc[("unit", "U2", "b2")], 20, 6, 36.25, 5.15994186013757,
           22.9859471813909, 49.5140528186091, "cluster")  # fmt: skip
    # same, U1 x b1
    _check(behaviour.loc[("unit", "U1", "b1")], 21, 6, 59.5238095238095, 5.853898617188,
           44.4758840708095, 74.5717349768096, "cluster")  # fmt: skip


def test_a_unit_in_one_cohort_gets_the_t_interval(behaviour):
    # t.test(sup$pomp[unit == "U5" & item == "b2"]): U5 was trained in cohort C1 only
    _check(behaviour.loc[("unit", "U5", "b2")], 5, 1, 25, 11.1803398874989,
           -6.0415999550941, 56.0415999550941, "t")  # fmt: skip


def test_by_position_type_and_the_overall_mean(study, behaviour):
    # group_ci(sup$pomp[position_type == "pelaksana" & item == "b2"], cohort_id)
    _check(behaviour.loc[("position_type", "pelaksana", "b2")], 31, 6, 40.3225806451613,
           2.71280934582678, 33.3490822172346, 47.2960790730881, "cluster")  # fmt: skip
    # mean(sup$pomp[item == "b2"]) (behavior.all.b2.mean)
    row = behaviour.loc[("unit", "U2", "b2")]
    assert row["overall_mean"] == pytest.approx(41.0112359550561, rel=RTOL)
    assert row["gap_to_overall"] == pytest.approx(36.25 - 41.0112359550561, rel=RTOL)
    # U6 has 3 people; n_group counts those a supervisor rated
    rated = study["followup"].query("rater == 'supervisor'").merge(study["people"])
    assert (
        behaviour.loc[("unit", "U6", "b1"), "n_group"]
        == rated.query("unit == 'U6'")["participant_id"].nunique()
    )


def test_group_means_pooled_matches_r(study, behaviour):
    sup = study["followup"].query("rater == 'supervisor' and item == 'b2'")
    frame = sup.assign(pomp=(sup["score"] - 1) / 4 * 100)
    # group_ci(sup$pomp[item == "b2"], cohort_id) (behavior.all.b2)
    _check(group_means(frame, "pomp").iloc[0], 89, 6, 41.0112359550561, 3.70030845795394,
           31.4992902467883, 50.523181663324, "cluster")  # fmt: skip


def test_relevance_by_unit_and_position_matches_r(study):
    out = relevance_needs(study["reaction"], study["people"])
    # group_ci(rp$pomp[position_type == "pelaksana"], cohort_id): each person's mean POMP of
    # the relevance answers (1-4 and 1-5 forms pooled)
    _check(out.loc[("position_type", "pelaksana")], 36, 6, 56.3657407407407, 1.98186969975203,
           51.2711824899601, 61.4602989915213, "cluster")  # fmt: skip
    # group_ci(rp$pomp[unit == "U2"], cohort_id)
    _check(out.loc[("unit", "U2")], 25, 6, 61.1666666666667, 5.771507024455,
           46.3305355453553, 76.0027977879781, "cluster")  # fmt: skip
    # t.test(rp$pomp[unit == "U5"])
    _check(out.loc[("unit", "U5")], 6, 1, 60.4166666666667, 7.51156515721664,
           41.1075737163269, 79.7257596170064, "t")  # fmt: skip


def test_group_means_is_one_pass_and_equals_a_call_per_group(study):
    people = study["people"].assign(gain=lambda d: d["post"] - d["pre"])
    together = group_means(people, "gain", by="unit")
    for unit in ("U1", "U5"):
        alone = group_means(people[people["unit"] == unit], "gain").iloc[0]
        pd.testing.assert_series_equal(together.loc[unit], alone, check_names=False)


def test_ranking_leaves_out_small_groups_and_ranks_the_lowest_first(behaviour):
    ranked = needs_ranking(behaviour)
    assert "U6" not in set(ranked["group"])  # 3 people: under the 5-person rule
    assert ranked["characteristic"].unique().tolist() == ["unit", "position_type"]  # as asked
    assert (ranked["n"] >= 5).all()
    units = ranked[ranked["characteristic"] == "unit"]
    assert units["rank"].tolist() == sorted(units["rank"])
    assert units.iloc[0]["item"] == "b2" and units.iloc[0]["rank"] == 1
    assert units["mean"].is_monotonic_increasing
    top = needs_ranking(behaviour, top=2)
    assert top.groupby("characteristic")["rank"].max().le(2).all()
    flag = ranked["ci_high"] < ranked["overall_mean"]
    assert (ranked["below_overall"] == flag).all()


def test_ranking_with_a_stricter_rule_drops_more(behaviour):
    strict = needs_ranking(behaviour, min_n=10)
    assert (strict["n"] >= 10).all() and "U5" not in set(strict["group"])


def test_public_api():
    assert evalkit.behavior_needs is behavior_needs
    assert evalkit.needs_ranking is needs_ranking


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s: behavior_needs(s["followup"], s["people"], rater="mentor"),
         "behavior_needs: followup has no rating by 'mentor'"),
        (lambda s: behavior_needs(s["followup"], s["people"], months=6),
         "at months_after = 6"),
        (lambda s: behavior_needs(s["followup"].drop(columns="score"), s["people"]),
         r"behavior_needs: followup has no column\(s\) \['score'\]"),
        (lambda s: behavior_needs(s["followup"], s["people"].drop(columns="unit")),
         r"participants has no column\(s\) \['unit'\]"),
        (lambda s: behavior_needs(pd.concat([s["followup"], s["followup"]]), s["people"]),
         "is rated twice for participant"),
        (lambda s: relevance_needs(s["reaction"], s["people"], dimension_value="relevansi"),
         "reaction has no item of dimension 'relevansi'"),
        (lambda s: needs_ranking(pd.DataFrame({"mean": [1.0]})),
         "parameter 'needs' must be the result of behavior_needs"),
        (lambda s: needs_ranking(behavior_needs(s["followup"], s["people"]), top=0),
         "parameter 'top' must be an integer >= 1"),
        (lambda s: group_means(pd.DataFrame({"y": [np.nan], "cohort_id": ["a"]}), "y"),
         "group_means: no row of data has both 'y' and 'cohort_id'"),
    ],
)  # fmt: skip
def test_bad_input_names_function_and_parameter(study, call, message):
    with pytest.raises(ParameterError, match=message):
        call(study)


def test_people_missing_from_participants_are_warned_about(study):
    people = study["people"].iloc[5:]
    with pytest.warns(EvalkitWarning, match="not in participants"):
        out = behavior_needs(study["followup"], people)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        full = behavior_needs(study["followup"], study["people"])
    # the overall mean still counts everyone rated
    assert out["overall_mean"].iloc[0] == pytest.approx(full["overall_mean"].iloc[0])


# --- the needs section's words, tables and quotes (reporting) ----------------------------
def test_needs_table_suppresses_groups_under_five_and_labels_rows(study):
    from evalkit.reporting.conclusions.planning import needs_table

    rel = relevance_needs(study["reaction"], study["people"])
    shown = needs_table(rel, "en")
    assert "Unit (OPD): U6" not in shown.index  # 3 people
    assert "Unit (OPD): U5" in shown.index and "Position type: Administrative staff" in shown.index
    assert shown.loc["Unit (OPD): U5", "Inference"] == "t, one cohort"
    assert shown.loc["Unit (OPD): U2", "Mean"] == "61.2"


def test_needs_conclusion_names_the_lowest_cells_and_never_a_small_group(study, behaviour):
    from evalkit.reporting.conclusions.planning import needs_conclusion

    ranked = needs_ranking(behaviour)
    rel = relevance_needs(study["reaction"], study["people"])
    low_rel = rel[rel["n"] >= 5].xs("unit").sort_values("mean").index[0]
    first = ranked[ranked["characteristic"] == "unit"].iloc[0]
    for lang in ("id", "en"):
        words = needs_conclusion(ranked, rel, lang)
        assert f"{first['item']}" in words and str(first["group"]) in words
        assert "U6" not in words and low_rel in words
    assert "screening list, not a test" in needs_conclusion(ranked, rel, "en")
    assert "bukan uji" in needs_conclusion(ranked, rel, "id")


def test_field_needs_quotes_skip_praise_masked_contacts_and_small_themes():
    from evalkit.reporting.conclusions.planning import (
        field_needs,
        field_needs_conclusion,
        field_needs_quotes,
    )

    need = "Perlu lebih banyak studi kasus dari pelayanan publik di daerah."
    texts = [need] * 5 + [
        "Terima kasih, ilmu yang didapat bisa langsung diterapkan.",  # relevance, but praise
        "Materi perlu disesuaikan kondisi di daerah, hubungi [telepon]",  # masked contact
    ]
    comments = pd.DataFrame({"cohort_id": "C1", "participant_id": [f"P{i:03d}" for i in range(7)],
                             "text": texts})  # fmt: skip
    assert field_needs(comments)["text"].tolist() == [*[need] * 5, texts[-1]]
    quotes = field_needs_quotes(comments, "en")
    assert need in quotes and "[telepon]" not in quotes and "Terima kasih" not in quotes
    assert not any(pid in quotes for pid in comments["participant_id"])
    assert field_needs_conclusion(comments, "en").startswith("6 people asked")
    few = comments.iloc[:3]  # 3 people wrote: the group-level rule shows none of it
    assert field_needs_quotes(few, "en") == ""
    assert field_needs_conclusion(few, "id").startswith("Kurang dari 5 peserta menulis komentar")
    two = comments.iloc[3:]  # 4 people wrote, 3 of them a field need; with 1 more, 5 wrote
    assert field_needs_conclusion(two, "en").startswith("Fewer than 5 participants")
    more = pd.concat([two, comments.iloc[[0]].assign(participant_id="P900", text="Jadwal padat")])
    assert field_needs_conclusion(more, "en").startswith("3 people asked")


def test_needs_ledger_rows_suppress_small_groups(study, behaviour):
    from evalkit.reporting.conclusions.planning import needs_estimates

    rows = needs_estimates(behaviour, level=3, outcome="supervisor rating")
    u6 = rows[rows["group"].str.startswith("unit / U6 /")]
    assert len(u6) and u6["estimate"].isna().all() and (u6["n"] < 5).all()
    u5 = rows[rows["group"] == "unit / U5 / b2"].iloc[0]
    assert u5["estimate"] == pytest.approx(25.0) and "t interval (one cohort)" in u5["method"]
    ranked = needs_estimates(needs_ranking(behaviour, top=1), level=3, outcome="x")
    assert set(ranked["group"]) >= {"unit / U5 / b2"}


def test_needs_ledger_rows_name_cr2_when_the_means_used_it():
    from evalkit.reporting.conclusions.planning import needs_estimates

    res = pd.DataFrame(
        {"n": [9.0, 6.0], "n_clusters": [3.0, 1.0], "mean": [60.0, 40.0], "ci_low": [50.0, 30.0],
         "ci_high": [70.0, 50.0], "inference": ["cluster", "t"]},
        index=pd.MultiIndex.from_tuples([("unit", "A"), ("unit", "B")],
                                        names=["characteristic", "group"]),
    )  # fmt: skip
    cr2 = needs_estimates(res, level=1, outcome="relevance", vcov="CR2").set_index("group")
    assert cr2.loc["unit / A", "method"] == (
        "person-level mean of POMP 0-100; CR2 cluster-robust SE by cohort, t with Satterthwaite df"
    )
    assert (
        cr2.loc["unit / B", "method"] == "person-level mean of POMP 0-100; t interval (one cohort)"
    )
    cr1 = needs_estimates(res, level=1, outcome="relevance").set_index("group")
    assert cr1.loc["unit / A", "method"].endswith("(CR1, t on cohorts - 1 df)")
