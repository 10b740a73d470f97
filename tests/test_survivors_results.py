"""Survivors of mutation testing of evalkit.metrics.results (see mutation/README.md).

Each test pins a number, label, index or message that a mutant of ``results.py`` changed
without any other test noticing. Expected values are hand calculations written beside
them (PermenPANRB 14/2017 arithmetic: IKM = mean of the element means x 25) or R
(``tests/reference/survivors.R``, ``prop.test(x, n, correct = FALSE)``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evalkit.errors import EvalkitWarning, ParameterError
from evalkit.metrics.results import (
    ikm,
    ikm_grade,
    indicator,
    jp_compliance,
    jp_denominator,
    require_did_cells,
    skp_predicate,
)

ELEMENTS = [f"u{i}" for i in range(1, 10)]


# --- ikm_grade -----------------------------------------------------------------------
def test_ikm_grade_series_is_named_grade_and_keeps_the_index():
    scores = pd.Series([64.99, 65.0, 88.31], index=["x", "y", "z"])
    out = ikm_grade(scores)
    assert out.name == "grade"
    assert out.index.tolist() == ["x", "y", "z"]
    assert out.tolist() == ["D", "C", "A"]


def test_ikm_grade_range_edges_allow_only_the_representation_tolerance():
    # [25, 100] is closed, and 1e-9 (constants.BAND_TOLERANCE) is allowed either side
    assert ikm_grade(25.0) == "D" and ikm_grade(100.0) == "A"
    assert ikm_grade(25 - 1e-9) == "D"
    assert ikm_grade(100 + 1e-9) == "A"
    with pytest.raises(ParameterError, match=r"in \[25, 100\], got 24\.99999999"):
        ikm_grade(25 - 1e-8)
    with pytest.raises(ParameterError, match=r"in \[25, 100\], got 100\.00000001"):
        ikm_grade(100 + 1e-8)


# --- ikm -----------------------------------------------------------------------------
def _two_units() -> pd.DataFrame:
    # unit "a": 3 respondents, all answers 4 except one respondent with nothing answered;
    # unit "b": 2 respondents answering 2 and 3 everywhere.
    rows = [[4] * 9, [np.nan] * 9, [4] * 9, [2] * 9, [3] * 9]
    data = pd.DataFrame(rows, columns=ELEMENTS)
    data["unit"] = ["a", "a", "a", "b", "b"]
    return data


def test_ikm_respondent_without_any_answer_is_not_counted():
    data = _two_units()
    with pytest.warns(EvalkitWarning) as record:
        out = ikm(data, by="unit")
    # a: the empty row is not a respondent -> n = 2, NRR 4, IKM 100 (A);
    # b: NRR (2 + 3) / 2 = 2.5, IKM 62.5 (D)
    assert out["n"].tolist() == [2, 2] and out["n"].dtype.kind == "i"  # counts, not floats
    assert out["ikm"].tolist() == [100.0, 62.5]
    assert out["grade"].tolist() == ["A", "D"]
    # the message names the function and says what was done with the missing answers
    assert [str(w.message) for w in record] == [
        "ikm: 9 missing answer(s) skipped; each element mean uses the answers given"
    ]


def test_ikm_by_column_on_a_non_default_index():
    # the same rows under a shuffled, non-default index: counts must follow the rows,
    # not positions
    data = _two_units()
    data.index = [50, 10, 40, 20, 30]
    with pytest.warns(EvalkitWarning, match="missing answer"):
        out = ikm(data, by="unit")
    assert out["n"].tolist() == [2, 2]
    assert out["ikm"].tolist() == [100.0, 62.5]
    with pytest.warns(EvalkitWarning, match="missing answer"):
        pooled = ikm(data.drop(columns="unit"))
    # pooled: element mean (4 + 4 + 2 + 3) / 4 = 3.25 -> IKM 81.25 (B), n = 4
    assert pooled["n"] == 4 and pooled["ikm"] == 81.25 and pooled["grade"] == "B"


# --- jp_compliance ---------------------------------------------------------------------
def test_jp_compliance_wilson_interval_of_a_unit_with_a_person_at_exactly_20_jp():
    # p1 12 + 8 = 20 JP (compliant: ">= 20"), p2 24, p3 19.5 -> 2 of 3 compliant
    parts = pd.DataFrame(
        {
            "cohort_id": ["A", "B", "C", "D"],
            "participant_id": ["p1", "p1", "p2", "p3"],
            "unit": ["Biro Umum"] * 4,
        }
    )
    cohs = pd.DataFrame(
        {
            "cohort_id": ["A", "B", "C", "D"],
            "jp": [12, 8, 24, 19.5],
            "end_date": ["2025-01-15", "2025-05-01", "2025-07-01", "2025-10-01"],
        }
    )
    out = jp_compliance(parts, cohs).loc[("Biro Umum", 2025)]
    assert out["n_staff"] == 3 and out["n_compliant"] == 2
    assert out["compliance_rate"] == pytest.approx(2 / 3, rel=1e-15)
    # prop.test(2, 3, correct = FALSE)$conf.int (tests/reference/survivors.R)
    assert out["ci_low"] == pytest.approx(0.207659600802048, rel=1e-12)
    assert out["ci_high"] == pytest.approx(0.938508055279604, rel=1e-12)
    assert out["mean_jp"] == pytest.approx((20 + 24 + 19.5) / 3, rel=1e-15)
    assert out["total_jp"] == 63.5


def test_ikm_grade_of_none_names_the_value():
    # a single missing-but-not-NaN value is a user mistake, named in the message
    with pytest.raises(
        ParameterError, match=r"must be numeric, got dtype object \(e\.g\. value None\)"
    ):
        ikm_grade(None)


def test_ikm_group_with_an_unanswered_element_has_no_score_and_no_label():
    data = pd.DataFrame([[3] * 9, [4] * 9, [3] * 9, [3] * 9, [2] * 9], columns=ELEMENTS)
    data.loc[[2, 3], "u9"] = np.nan  # unit b never answered u9
    data.loc[4, "u1"] = np.nan  # unit c never answered u1
    data["unit"] = ["a", "a", "b", "b", "c"]
    with pytest.warns(EvalkitWarning) as record:
        out = ikm(data, by="unit")
    assert [str(w.message) for w in record] == [
        "ikm: 3 missing answer(s) skipped; each element mean uses the answers given",
        "ikm: 2 group(s) have an element without answers; their IKM is NaN",
    ]
    # a: NRR 3.5 -> IKM 87.5 (B, 76.61-88.30); b: NaN, no grade, no label
    assert out.loc["a", "ikm"] == 87.5 and out.loc["a", "label_en"] == "Good"
    assert np.isnan(out.loc["b", "ikm"]) and np.isnan(out.loc["b", "nrr"])
    assert out.loc["b", ["grade", "label", "label_en"]].isna().all()
    assert out.loc["b", "n"] == 2 and np.isnan(out.loc["b", "nrr_u9"])


def test_jp_compliance_staff_roster_errors_name_the_table_and_the_person():
    parts = pd.DataFrame({"cohort_id": ["A"], "participant_id": ["p1"], "unit": ["X"]})
    cohs = pd.DataFrame({"cohort_id": ["A"], "jp": [20], "end_date": ["2024-01-01"]})
    with pytest.raises(
        ParameterError,
        match=r"^jp_compliance: staff has no column\(s\) \['unit'\]; available: \['participant_id'\]$",
    ):
        jp_compliance(parts, cohs, staff=pd.DataFrame({"participant_id": ["p1"]}))
    two_units = pd.DataFrame({"participant_id": ["p1", "p1"], "unit": ["X", "Y"]})
    with pytest.raises(
        ParameterError, match=r"^jp_compliance: staff lists person 'p1' in more than one unit$"
    ):
        jp_compliance(parts, cohs, staff=two_units)


def test_ikm_grade_of_a_zero_dimensional_array_is_the_grade_of_its_number():
    """np.array(80.0) is one score: 80 lies in B (76.61-88.30, PermenPANRB 14/2017)."""
    assert ikm_grade(np.array(80.0)) == "B"
    assert ikm_grade(np.array(25.0)) == "D"
    with pytest.raises(ParameterError, match=r"must be a converted IKM score in \[25, 100\]"):
        ikm_grade(np.array(24.0))


# --- indicator (the 0/1 columns of the DiD and count models) -------------------------------
def test_indicator_is_float_zero_one_for_bool_and_integer_columns():
    # the design matrices need floats: True/False and 0/1 both become 0.0/1.0
    flags = indicator("did", pd.Series([True, False, True]), "treated")
    assert flags.dtype == np.float64 and flags.tolist() == [1.0, 0.0, 1.0]
    ints = indicator("did", pd.Series([0, 1, 1], dtype="int64"), "post")
    assert ints.dtype == np.float64 and ints.tolist() == [0.0, 1.0, 1.0]


def test_indicator_message_shows_at_most_five_values():
    # 8 distinct values, sorted as text, the first five shown
    with pytest.raises(ParameterError) as err:
        indicator("did", pd.Series([7, 6, 5, 4, 3, 2, 1, 0]), "treated")
    assert str(err.value) == (
        "did: column 'treated' must be boolean (True/False or 0/1), got values "
        "['0', '1', '2', '3', '4']"
    )


# --- the cohorts table of jp_compliance ------------------------------------------------------
def _one_person(jp: list, dates: list[str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    ids = [chr(ord("A") + i) for i in range(len(jp))]
    parts = pd.DataFrame({"cohort_id": ids, "participant_id": "p1", "unit": "Biro Umum"})
    cohs = pd.DataFrame({"cohort_id": ids, "jp": jp, "end_date": dates or ["2024-03-01"] * len(jp)})
    return parts, cohs


def test_jp_compliance_accepts_cohorts_of_zero_and_half_a_jp():
    # JP may be 0 (a briefing recorded without JP) or a fraction: 0 + 0.5 + 19.5 = 20
    parts, cohs = _one_person([0, 0.5, 19.5])
    person = jp_compliance(parts, cohs, level="person")
    assert person["jp"].tolist() == [20.0] and person["compliant"].tolist() == [True]


def test_jp_compliance_names_the_cohort_with_negative_jp():
    # A (0 JP) and B (0.5 JP) are valid: the message must name C (the column is float)
    parts, cohs = _one_person([0, 0.5, -2])
    with pytest.raises(ParameterError) as err:
        jp_compliance(parts, cohs)
    assert str(err.value) == (
        "jp_compliance: column 'jp' of cohorts must be a non-negative number; cohort 'C' has -2.0"
    )


def test_jp_compliance_non_numeric_jp_names_function_and_column():
    parts, cohs = _one_person(["dua puluh"])
    with pytest.raises(ParameterError) as err:
        jp_compliance(parts, cohs)
    assert str(err.value) == (
        "jp_compliance: column 'jp' must be numeric, got dtype str (e.g. value 'dua puluh')"
    )


# --- skp_predicate ---------------------------------------------------------------------------
def test_skp_predicate_scalar_results_with_a_series_of_behaviour_ratings():
    # PermenPANRB 6/2022 matrix: above x below -> Kurang, above x above -> Sangat Baik,
    # above x missing -> no predicate
    behaviour = pd.Series(["below", "above", None], index=[30, 10, 20])
    out = skp_predicate("above", behaviour)
    assert out.tolist() == ["Kurang", "Sangat Baik", None]
    assert out.index.tolist() == [30, 10, 20] and out.name == "skp_predicate"


def test_skp_predicate_missing_rating_first_does_not_stop_the_rest():
    results = pd.Series([None, "below", "meets"])
    behaviour = pd.Series(["above", "above", "meets"])
    # missing -> None; below x above -> Butuh Perbaikan; meets x meets -> Baik
    assert skp_predicate(results, behaviour).tolist() == [None, "Butuh Perbaikan", "Baik"]


def test_skp_predicate_messages_name_the_parameter():
    start = "skp_predicate: parameter "
    rest = "must be one of ('above', 'meets', 'below') (or 'di atas/sesuai/di bawah ekspektasi'), got 'good'"
    with pytest.raises(ParameterError) as err:
        skp_predicate("above", "good")
    assert str(err.value) == start + "'behaviour_rating' " + rest
    with pytest.raises(ParameterError) as err:
        skp_predicate(pd.Series(["good"]), "above")
    assert str(err.value) == start + "'results_rating' " + rest
    with pytest.raises(ParameterError) as err:
        skp_predicate(pd.Series(["above"]), pd.Series(["good"]))
    assert str(err.value) == start + "'behaviour_rating' " + rest


def test_skp_predicate_rejects_a_non_text_value_whose_text_is_a_rating():
    class Rating:  # e.g. an enum-like object from another system
        def __str__(self) -> str:
            return "above"

    with pytest.raises(ParameterError, match=r"parameter 'results_rating' must be one of"):
        skp_predicate(pd.Series([Rating()], dtype=object), "above")


def test_jp_compliance_names_the_first_cohort_without_a_date_and_a_bad_ci():
    parts, cohs = _one_person([8, 8, 8], ["2024-03-01", None, None])
    with pytest.raises(ParameterError) as err:
        jp_compliance(parts, cohs)
    assert str(err.value) == (
        "jp_compliance: column 'end_date' of cohorts is missing for cohort 'B'"
    )
    parts, cohs = _one_person([20])
    with pytest.raises(ParameterError) as err:
        jp_compliance(parts, cohs, ci=1.5)
    assert str(err.value) == "jp_compliance: parameter 'ci' must be in (0, 1), got 1.5"


# --- jp_denominator (rule="recent") -------------------------------------------------------
def _recent_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    # p1 trained in 2021 only; p2 in 2024; p3 in 2023 and twice in 2024
    parts = pd.DataFrame(
        {
            "kelas": ["A", "B", "C", "B", "D"],
            "pegawai": ["p1", "p2", "p3", "p3", "p3"],
            "unit": ["Bappeda", "Bappeda", None, "Bappeda", "Bappeda"],
        }
    )
    cohs = pd.DataFrame(
        {
            "kelas": ["A", "B", "C", "D"],
            "jp": [20, 10, 8, 12],
            "tgl_selesai": ["2021-03-01", "2024-02-01", "2023-05-01", "2024-09-01"],
        }
    )
    return parts, cohs


def test_jp_compliance_recent_rule_with_own_column_names():
    parts, cohs = _recent_tables()
    out = jp_compliance(
        parts, cohs, rule="recent", date="tgl_selesai", cohort="kelas", participant="pegawai"
    )
    # 2024 counts p2 (10 JP) and p3 (10 + 12 = 22 JP, compliant); p1 (2021) is not judged
    row = out.loc[("Bappeda", 2024)]
    assert (row["n_staff"], row["n_compliant"]) == (2, 1)
    assert row["mean_jp"] == 16.0 and row["total_jp"] == 32.0


def test_jp_denominator_keeps_people_whose_other_columns_are_missing():
    # p3's 2023 row has no unit: the person still counts (only a missing date drops a row)
    parts, cohs = _recent_tables()
    counted = jp_denominator(
        parts, cohs, year=2023, date="tgl_selesai", cohort="kelas", participant="pegawai"
    )
    # 2023: trained in 2022 or 2023 -> p3 only (cohort C, 2023)
    assert counted.year == 2023 and counted.n_people == 1
    assert counted.participants["pegawai"].tolist() == ["p3", "p3", "p3"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"participants": lambda p: p.drop(columns="participant_id")},
            "jp_denominator: participants has no column(s) ['participant_id']; "
            "available: ['cohort_id', 'unit']",
        ),
        (
            {"cohorts": lambda c: c.drop(columns="end_date")},
            "jp_denominator: cohorts has no column(s) ['end_date']; available: ['cohort_id', 'jp']",
        ),
        ({"year": 2024.5}, "jp_denominator: parameter 'year' must be a whole year, got 2024.5"),
        ({"year": True}, "jp_denominator: parameter 'year' must be a whole year, got True"),
        ({"year": "2024"}, "jp_denominator: parameter 'year' must be a whole year, got '2024'"),
        (
            {"cohorts": lambda c: c.assign(end_date=[None, None])},
            "jp_denominator: no participant attended a cohort with a 'end_date'; nothing to count",
        ),
    ],
)
def test_jp_denominator_messages(change, message):
    parts = pd.DataFrame({"cohort_id": ["A", "B"], "participant_id": ["p1", "p2"], "unit": "X"})
    cohs = pd.DataFrame({"cohort_id": ["A", "B"], "jp": [20, 10], "end_date": ["2024-01-01"] * 2})
    kwargs = dict(change)
    parts = kwargs.pop("participants", lambda p: p)(parts)
    cohs = kwargs.pop("cohorts", lambda c: c)(cohs)
    with pytest.raises(ParameterError) as err:
        jp_denominator(parts, cohs, **kwargs)
    assert str(err.value) == message


def test_jp_denominator_unparseable_date_names_the_column():
    parts = pd.DataFrame({"cohort_id": ["A"], "participant_id": ["p1"]})
    cohs = pd.DataFrame({"cohort_id": ["A"], "end_date": ["kemarin"]})
    with pytest.raises(
        ParameterError,
        match=r"^jp_denominator: column 'end_date' of cohorts must hold dates \(YYYY-MM-DD\): "
        r".*kemarin",
    ):
        jp_denominator(parts, cohs)


# --- jp_compliance: the participants table --------------------------------------------------
def test_jp_compliance_a_person_twice_in_one_cohort_counts_once_even_with_two_units():
    # p1 is listed twice in cohort A (20 JP), once under each unit: 20 JP, not 40, and the
    # first row's unit is kept
    parts = pd.DataFrame(
        {"cohort_id": ["A", "A"], "participant_id": ["p1", "p1"], "unit": ["Bappeda", "Biro"]}
    )
    cohs = pd.DataFrame({"cohort_id": ["A"], "jp": [20], "end_date": ["2024-01-01"]})
    with pytest.warns(EvalkitWarning) as record:
        person = jp_compliance(parts, cohs, level="person")
    assert [str(w.message) for w in record] == [
        "jp_compliance: 1 duplicate (cohort, participant) row(s) counted once"
    ]
    assert person["jp"].tolist() == [20.0] and person["unit"].tolist() == ["Bappeda"]


def test_jp_compliance_messages_name_the_function_the_table_and_the_first_unknown_cohort():
    parts = pd.DataFrame(
        {"cohort_id": ["A", "X", "Y"], "participant_id": ["p1", "p2", "p3"], "unit": "Bappeda"}
    )
    cohs = pd.DataFrame({"cohort_id": ["A"], "jp": [20], "end_date": ["2024-01-01"]})
    with pytest.raises(ParameterError) as err:
        jp_compliance(parts, cohs)
    assert str(err.value) == "jp_compliance: cohort 'X' of participants is not in cohorts"
    with pytest.raises(ParameterError) as err:
        jp_compliance(parts.drop(columns="unit"), cohs)
    assert str(err.value) == (
        "jp_compliance: participants has no column(s) ['unit']; "
        "available: ['cohort_id', 'participant_id']"
    )
    with pytest.raises(ParameterError) as err:
        jp_compliance(parts, cohs.drop(columns="jp"))
    assert str(err.value) == (
        "jp_compliance: cohorts has no column(s) ['jp']; available: ['cohort_id', 'end_date']"
    )


def test_jp_compliance_units_come_sorted_by_name_and_counts_are_integers():
    # p1 (Zeta) sorts before p2 (Alpha); the table is ordered by unit, then year
    parts = pd.DataFrame(
        {"cohort_id": ["A", "B", "B"], "participant_id": ["p1", "p1", "p2"], "unit": "Zeta"}
    )
    parts.loc[2, "unit"] = "Alpha"
    cohs = pd.DataFrame(
        {"cohort_id": ["A", "B"], "jp": [20, 5], "end_date": ["2023-06-01", "2024-06-01"]}
    )
    out = jp_compliance(parts, cohs)
    assert out.index.tolist() == [("Alpha", 2023), ("Alpha", 2024), ("Zeta", 2023), ("Zeta", 2024)]
    # p1: 20 JP in 2023 (compliant), 5 in 2024; p2: 0 in 2023, 5 in 2024
    assert out["n_compliant"].tolist() == [0, 0, 1, 0]
    assert out["n_compliant"].dtype.kind == "i" and out["n_staff"].dtype.kind == "i"


def test_require_did_cells_names_the_missing_cell():
    # the four cells (treated, post) = (0, 0), (0, 1), (1, 0), (1, 1); drop each in turn
    cells = [(0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0)]
    for missing in cells:
        rows = [c for c in cells if c != missing] * 2
        treated, post = (np.array(col) for col in zip(*rows, strict=True))
        with pytest.raises(ParameterError) as err:
            require_did_cells("f", treated, post, ("grp", "after"))
        assert str(err.value) == (
            f"f: no rows with grp={bool(missing[0])} and after={bool(missing[1])}; a DiD "
            "needs all four treated x post cells"
        )
    treated, post = (np.array(col) for col in zip(*cells, strict=True))
    require_did_cells("f", treated, post, ("grp", "after"))  # all four: no error
