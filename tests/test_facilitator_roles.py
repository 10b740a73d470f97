"""Facilitator ratings by role (widyaiswara / academic / practitioner), against R.

Reference values come from ``tests/reference/facilitator.R`` section 4 (R 4.2.2; sandwich
3.0-2; lmtest; car), run on ``facilitator_ratings.csv`` with the roles F1, F2 widyaiswara,
F3, F4 academic, F5, F6 practitioner; its output is ``facilitator_output.txt``. Each literal
below is quoted beside the R call.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import evalkit
from evalkit.errors import ParameterError
from evalkit.metrics.facilitator import facilitator_role_comparison, facilitator_role_means
from evalkit.reporting.conclusions.facilitator import role_conclusion, role_estimates
from evalkit.reporting.facilitator_tables import role_table

REF = Path(__file__).parent / "reference"
RTOL = 1e-10
ROLES = {"F1": "widyaiswara", "F2": "widyaiswara", "F3": "academic", "F4": "academic",
         "F5": "practitioner", "F6": "practitioner"}  # fmt: skip


@pytest.fixture(scope="module")
def ratings() -> pd.DataFrame:
    r = pd.read_csv(REF / "facilitator_ratings.csv")
    return r.assign(facilitator_role=r["facilitator_id"].map(ROLES))


def test_role_means_match_r(ratings: pd.DataFrame) -> None:
    out = facilitator_role_means(ratings)
    assert out.index.tolist() == ["academic", "practitioner", "widyaiswara"]
    # s <- forms[forms$role == r, ]; fit <- lm(rating ~ 1, s);
    # V <- vcovCL(fit, cluster = s$cohort_id, type = "HC1"); coeftest / coefci(df = G - 1)
    for role, n, g, mean, se, low, high in (
        ("widyaiswara", 84, 8, 3.93055555555556, 0.0975529901225698, 3.69987938929634,
         4.16123172181478),
        ("academic", 75, 7, 3.60555555555556, 0.20245633804781, 3.11016274264696,
         4.10094836846416),
        ("practitioner", 45, 4, 3.91111111111111, 0.177443787776451, 3.3464057843064,
         4.47581643791583),
    ):  # fmt: skip
        row = out.loc[role]
        assert (row["n_forms"], row["n_clusters"], row["df"], row["cluster"]) == (
            n, g, g - 1, "cohort"
        )  # fmt: skip
        assert row["mean"] == pytest.approx(mean, rel=RTOL)
        assert row["se"] == pytest.approx(se, rel=RTOL)
        assert row["ci_low"] == pytest.approx(low, rel=RTOL)
        assert row["ci_high"] == pytest.approx(high, rel=RTOL)
        assert row["n_facilitators"] == 2
    # distinct raters of each role's facilitators
    forms = ratings.drop_duplicates(["facilitator_id", "cohort_id", "participant_id"])
    raters = forms.groupby("facilitator_role")["participant_id"].nunique()
    assert out["n_raters"].to_dict() == raters.to_dict()


def test_role_difference_matches_r(ratings: pd.DataFrame) -> None:
    out = facilitator_role_comparison(ratings)
    assert out.index.tolist() == [
        "academic - widyaiswara", "practitioner - widyaiswara", "overall"
    ]  # fmt: skip
    # fit <- lm(rating ~ role, forms); V <- vcovCL(fit, cluster = forms$cohort_id);
    # coeftest(fit, V, df = G - 1)[2:3, ]; coefci(fit, V, df = G - 1)[2:3, ]
    for contrast, est, se, p, low, high in (
        ("academic - widyaiswara", -0.325, 0.135526603057849, 0.0476021205623152,
         -0.645469492326578, -0.0045305076734215),
        ("practitioner - widyaiswara", -0.0194444444444444, 0.109823625579527,
         0.86448188530247, -0.279136052887641, 0.240247163998752),
    ):  # fmt: skip
        row = out.loc[contrast]
        assert row["mean_diff"] == pytest.approx(est, rel=RTOL)
        assert row["se"] == pytest.approx(se, rel=RTOL)
        assert row["p"] == pytest.approx(p, rel=1e-9)
        assert row["ci_low"] == pytest.approx(low, rel=RTOL)
        assert row["ci_high"] == pytest.approx(high, rel=RTOL)
        assert (row["df2"], row["n_clusters"], row["cluster"]) == (7, 8, "cohort")
        assert row["n_facilitators"] == 2
    # linearHypothesis(fit, c("roleacademic = 0", "rolepractitioner = 0"), vcov. = V,
    # test = "F")$F[2]; pf(F, 2, G - 1, lower.tail = FALSE)
    overall = out.loc["overall"]
    assert overall["t"] == pytest.approx(3.21107273892615, rel=RTOL)
    assert overall["p"] == pytest.approx(0.102439239161458, rel=1e-9)
    assert (overall["df1"], overall["df2"], overall["n_facilitators"]) == (2, 7, 6)


def test_one_cohort_clusters_by_rater_as_r(ratings: pd.DataFrame) -> None:
    one = ratings[ratings["cohort_id"] == "C1"]
    out = facilitator_role_comparison(one)
    row = out.loc["academic - widyaiswara"]
    # s <- forms[cohort C1]; lm(rating ~ role, s); vcovCL(fit, cluster = s$participant_id);
    # coeftest(fit, V, df = G - 1)[2, ]
    assert (row["cluster"], row["n_clusters"]) == ("rater", 7)
    assert row["mean_diff"] == pytest.approx(-0.75595238095238, rel=RTOL)
    assert row["se"] == pytest.approx(0.198423140911503, rel=RTOL)
    assert row["p"] == pytest.approx(0.0088656566067232, rel=1e-9)
    means = facilitator_role_means(one)
    assert means["cluster"].eq("rater").all()


def test_role_is_the_facilitators_most_frequent_and_missing_roles_are_left_out(ratings):
    odd = ratings.copy()
    first = odd.index[odd["facilitator_id"] == "F3"][0]
    odd.loc[first, "facilitator_role"] = "practitioner"  # one stray row: F3 stays academic
    odd.loc[odd["facilitator_id"] == "F6", "facilitator_role"] = None
    out = facilitator_role_means(odd)
    assert out.loc["academic", "n_facilitators"] == 2
    assert out.loc["practitioner", "n_facilitators"] == 1  # F6 has no role: left out
    assert out.loc["academic", "n_forms"] == 75


def test_role_functions_refuse_bad_input(ratings: pd.DataFrame) -> None:
    with pytest.raises(ParameterError, match="facilitator_role_means: .*'facilitator_role'"):
        facilitator_role_means(ratings.drop(columns="facilitator_role"))
    with pytest.raises(ParameterError, match="at least 2 rated roles"):
        facilitator_role_comparison(ratings.assign(facilitator_role="academic"))
    with pytest.raises(ParameterError, match="no rated facilitator has a role"):
        facilitator_role_means(ratings.assign(facilitator_role=None))
    with pytest.raises(ParameterError, match="facilitator_role_comparison: parameter "
                       "'reference' must be one of the rated roles"):  # fmt: skip
        facilitator_role_comparison(ratings, reference="dosen")


def test_role_table_suppresses_small_roles_and_words_the_caveat(ratings: pd.DataFrame) -> None:
    # F5 and F6 (practitioners) rated by 4 people only: the role is not shown
    few = ratings[(ratings["facilitator_role"] != "practitioner")
                  | ratings["participant_id"].isin(["C3-P01", "C3-P02", "C5-P01", "C6-P01"])]  # fmt: skip
    means = facilitator_role_means(few)
    assert means.loc["practitioner", "n_raters"] == 4
    cmp = facilitator_role_comparison(few)
    shown = role_table(means, "en")
    assert shown.index.tolist() == ["Widyaiswara", "Academic"]
    assert shown.columns.tolist() == [
        "Facilitators", "Raters", "Cohorts", "Mean", "95% CI"
    ]  # fmt: skip
    assert shown.loc["Widyaiswara", "Mean"] == "3.93"
    words = role_conclusion(means, cmp, "en")
    assert "1 role rated by fewer than 5 participants is not shown" in words
    assert "practitioner (" not in words.lower() and "Practitioner facilitators" not in words
    assert "Joint test" not in words  # the F test carries the left-out role
    assert "confounded" in words and "program" in words and "topic" in words
    words_id = role_conclusion(means, cmp, "id")
    assert "program" in words_id and "topik" in words_id and "Widyaiswara" in words_id
    rows = role_estimates(means, cmp)
    assert set(rows["estimand"]) == {"mean", "difference"}
    diff = rows[rows["estimand"] == "difference"]
    assert diff["group"].tolist() == ["academic - widyaiswara"]  # the small role: no row
    assert diff["estimate"].iloc[0] == pytest.approx(cmp.loc["academic - widyaiswara",
                                                              "mean_diff"])  # fmt: skip
    mean_rows = rows[rows["estimand"] == "mean"].set_index("group")
    assert pd.isna(mean_rows.loc["practitioner", "estimate"])  # under 5: n only


def test_role_sentence_on_the_full_data(ratings: pd.DataFrame) -> None:
    means = facilitator_role_means(ratings)
    cmp = facilitator_role_comparison(ratings)
    words = role_conclusion(means, cmp, "en")
    assert "Widyaiswara (2 facilitators, 3.93" in words
    assert "academic facilitators were rated 0.32 lower than widyaiswara" in words.lower()
    assert "Joint test that all roles are rated alike: F(2, 7) = 3.21, p = .102." in words
    assert "p = .048; cluster-robust by cohort, 8 cohorts" in words


def test_public_api() -> None:
    assert evalkit.facilitator_role_means is facilitator_role_means
    assert evalkit.facilitator_role_comparison is facilitator_role_comparison
