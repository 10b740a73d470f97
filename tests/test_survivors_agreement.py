"""Tests that kill the mutation-testing survivors of evalkit.metrics.agreement (mutation/README.md).

Reference values come from tests/reference/survivors_agreement.R (R 4.2.2, base stats:
the ICCs from anova() of the two-way and one-way models with the Shrout & Fleiss
formulas and the McGraw & Wong intervals, the Bland-Altman limits typed from Bland &
Altman 1999; output in survivors_agreement_output.txt) on its typed-in
survivors_agreement_ratings.csv (7 persons, 3 raters) and survivors_agreement_followup.csv
(4 cohorts whose participant ids repeat, a unit column with 2 missing values, a peer
rater, one participant without a supervisor rating), and from hand calculations written
beside the tests. Each test compares with those values, never with another call of the
same function.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evalkit.errors import EvalkitWarning, ParameterError
from evalkit.metrics.agreement import bland_altman, icc, rater_agreement

REF = Path(__file__).parent / "reference"
RTOL = 1e-9

FORMS = ["ICC(1,1)", "ICC(2,1)", "ICC(3,1)", "ICC(1,k)", "ICC(2,k)", "ICC(3,k)"]
ICC_COLUMNS = ["icc", "f", "df1", "df2", "p", "ci_low", "ci_high"]
BA_COLUMNS = ["n", "bias", "sd_diff", "bias_ci_low", "bias_ci_high", "loa_low", "loa_high",
              "loa_low_ci_low", "loa_low_ci_high", "loa_high_ci_low", "loa_high_ci_high"]  # fmt: skip
RA_COLUMNS = ["n", "icc_form", "icc", "icc_ci_low", "icc_ci_high", "icc_p", *BA_COLUMNS[1:]]
#: rater_agreement's ICC columns and the matching columns of the R output
RA_ICC = {"icc": "icc", "icc_ci_low": "ci_low", "icc_ci_high": "ci_high", "icc_p": "p"}
LEFT_OUT = "rater_agreement: 1 participant(s) rated by only one of ['self', 'supervisor'] left out"


@pytest.fixture(scope="module")
def ref() -> dict[str, float]:
    out = {}
    for line in (REF / "survivors_agreement_output.txt").read_text().splitlines():
        key, _, value = line.partition(" = ")
        out[key.strip()] = float(value)
    return out


@pytest.fixture(scope="module")
def followup() -> pd.DataFrame:
    return pd.read_csv(REF / "survivors_agreement_followup.csv")


def _silent(func, *args, **kwargs):
    """Call ``func`` with every warning turned into an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return func(*args, **kwargs)


def _no_numpy_warnings(func, *args, **kwargs):
    """Call ``func``; fail on a RuntimeWarning; return the result and its other warnings."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = func(*args, **kwargs)
    numpy = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]
    assert not numpy, numpy
    return result, [str(w.message) for w in caught if issubclass(w.category, EvalkitWarning)]


def _check_ra_row(row: pd.Series, ref: dict[str, float], tag: str, form: str = "ICC(2,1)"):
    for col, rcol in RA_ICC.items():
        assert row[col] == pytest.approx(ref[f"{tag}.{form}.{rcol}"], rel=RTOL), (tag, col)
    for col in BA_COLUMNS:
        assert row[col] == pytest.approx(ref[f"{tag}.{col}"], rel=RTOL), (tag, col)


# --- icc ------------------------------------------------------------------------------
def test_icc_three_raters_at_90_percent_match_anova(ref):
    # k3.*: icc_all(ratings, level = 0.90), the mean squares from anova(lm(...))
    ratings = pd.read_csv(REF / "survivors_agreement_ratings.csv")
    out = _silent(icc, ratings, ci=0.90)  # no row dropped: no warning
    assert out.index.tolist() == FORMS and out.index.name == "form"
    assert out.columns.tolist() == [*ICC_COLUMNS, "psych", "description"]
    for form in FORMS:
        for col in ICC_COLUMNS:
            assert out.loc[form, col] == pytest.approx(ref[f"k3.{form}.{col}"], rel=RTOL), (
                form,
                col,
            )
    assert out["psych"].tolist() == ["ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k"]
    assert out["description"].tolist() == [
        "single rater, one-way random, absolute agreement",
        "single rater, two-way random, absolute agreement: ICC(A,1)",
        "single rater, two-way mixed, consistency: ICC(C,1)",
        "mean of k raters, one-way random, absolute agreement",
        "mean of k raters, two-way random, absolute agreement: ICC(A,k)",
        "mean of k raters, two-way mixed, consistency: ICC(C,k)",
    ]


def test_icc_of_exactly_two_persons(ref):
    # two.*: icc_all(rbind(c(1, 3), c(4, 5))): one residual df, still defined
    out = _silent(icc, pd.DataFrame({"a": [1, 4], "b": [3, 5]}))
    for form in FORMS:
        for col in ICC_COLUMNS:
            assert out.loc[form, col] == pytest.approx(ref[f"two.{form}.{col}"], rel=RTOL), (
                form,
                col,
            )


def test_icc_perfect_agreement_is_one_without_any_warning():
    # Hand calculation: rows (0, 0), (.5, .5), (1, 1): row means 0, .5, 1, grand mean .5,
    # SSB = 2 (.25 + 0 + .25) = 1, MSB = 1/2 = 0.5 (> 0 but < 1), MSW = MSJ = MSE = 0.
    # Every form is MSB / MSB = 1 and F = 0.5 / 0 = inf (p = 0). Not "all identical".
    out = _silent(icc, pd.DataFrame({"a": [0.0, 0.5, 1.0], "b": [0.0, 0.5, 1.0]}))
    assert out["icc"].tolist() == [1.0] * 6
    assert np.isinf(out["f"]).all() and (out["p"] == 0).all()


def test_icc_equal_row_means_is_minus_one_without_any_warning():
    # Hand calculation: rows (0, .5), (.5, 0): both row and rater means .25, so
    # SSB = SSJ = 0, MSB = 0; SST = 4 x .25^2 = .25 = SSE, MSE = .25 / 1 = .25 (> 0 but
    # < 1), MSW = .25 / 2 = .125. ICC(1,1) = (0 - .125) / (0 + .125) = -1,
    # ICC(3,1) = (0 - .25) / (0 + .25) = -1, F = 0 / .25 = 0 and p = 1.
    with warnings.catch_warnings():
        warnings.simplefilter("error", EvalkitWarning)
        out = icc(pd.DataFrame({"a": [0.0, 0.5], "b": [0.5, 0.0]}))
    assert out.loc["ICC(1,1)", "icc"] == -1.0 and out.loc["ICC(3,1)", "icc"] == -1.0
    assert out.loc["ICC(3,1)", "f"] == 0.0 and out.loc["ICC(3,1)", "p"] == 1.0


def test_icc_identical_ratings_message_and_no_numpy_warning():
    # every rating 3: MSB = MSE = 0, every ICC 0 / 0; the warning says so, numpy stays quiet
    out, said = _no_numpy_warnings(icc, pd.DataFrame({"a": [3, 3, 3], "b": [3, 3, 3]}))
    assert said == ["icc: all ratings are identical; ICC is undefined (NaN)"]
    assert out["icc"].isna().all()


def test_icc_refuses_a_list_naming_the_expected_table():
    with pytest.raises(ParameterError) as err:
        icc([[1, 2], [3, 4]])
    assert str(err.value) == (
        "icc: parameter 'ratings' must be a DataFrame (rows = persons, columns = raters), got list"
    )


# --- bland_altman -----------------------------------------------------------------------
def test_bland_altman_of_exactly_two_pairs(ref):
    # ba2.*: ba(c(3, 7), c(1, 2)); by hand d = (2, 5), bias 3.5, sd 3 / sqrt(2), t on 1 df
    out = _silent(bland_altman, [3, 7], [1, 2])
    assert out.index.tolist() == BA_COLUMNS
    for col in BA_COLUMNS:
        assert out[col] == pytest.approx(ref[f"ba2.{col}"], rel=RTOL), col


def test_bland_altman_messages_name_the_function_and_the_argument():
    with pytest.raises(ParameterError, match=r"^bland_altman: parameter 'ci' must be in \(0, 1\)"):
        bland_altman([1, 2], [1, 2], ci=1.5)
    with pytest.raises(ParameterError, match=r"^bland_altman: column 'y' must be numeric"):
        bland_altman([1, 2], ["a", "b"])


@pytest.mark.parametrize("which", ["x", "y"])
def test_bland_altman_refuses_a_categorical_series_of_numbers(which):
    # categories are labels (as everywhere in evalkit's numeric checks), even when they
    # look like numbers; a Series is checked as given, not after conversion to an array
    cat = pd.Series([1, 2, 3], dtype="category")
    args = {"x": [1.0, 2.0, 2.0], "y": [1.0, 2.0, 2.0], which: cat}
    with pytest.raises(
        ParameterError,
        match=rf"^bland_altman: column '{which}' must be numeric, got dtype category",
    ):
        bland_altman(args["x"], args["y"])


# --- rater_agreement ----------------------------------------------------------------------
def test_pooled_agreement_at_90_percent_every_form_matches_r(followup, ref):
    # pooled.*: 12 participants rated by both (K1 P1 and K2 P1 are different people, the
    # ids repeat across cohorts), icc_all(..., level = 0.90) and ba(..., 0.90, 0.80)
    for form in FORMS:
        out, said = _no_numpy_warnings(
            rater_agreement, followup, icc_form=form, ci=0.90, agreement=0.80
        )
        assert said == [LEFT_OUT]
        assert isinstance(out, pd.Series) and out.name is None
        assert out.index.tolist() == RA_COLUMNS
        assert out["n"] == 12 and out["icc_form"] == form
        _check_ra_row(out, ref, "pooled", form)


def test_agreement_by_cohort_group_of_two_and_group_of_one(followup, ref):
    # K1 (5), K2 (4), K3 (exactly 2: computed), K4 (1: NaN, warned, as floats)
    out, said = _no_numpy_warnings(
        rater_agreement, followup, by="cohort_id", ci=0.90, agreement=0.80
    )
    assert said == [
        LEFT_OUT,
        "rater_agreement: 1 group(s) with fewer than 2 participants (['K4']); "
        "their agreement is NaN",
    ]
    assert out.index.tolist() == ["K1", "K2", "K3", "K4"] and out.index.name == "cohort_id"
    assert out.columns.tolist() == RA_COLUMNS
    assert out["n"].tolist() == [5, 4, 2, 1] and out["n"].dtype.kind == "i"
    for cohort in ("K1", "K2", "K3"):
        _check_ra_row(out.loc[cohort], ref, cohort)
    k4 = out.loc["K4"]
    for col in [*RA_ICC, *BA_COLUMNS[1:]]:
        assert out[col].dtype == np.float64, col
        assert np.isnan(k4[col]), col


def test_agreement_by_unit_keeps_participants_without_a_unit(followup, ref):
    # unit.*: U1 (5), U2 (5), and the 2 participants without a unit as their own group
    with pytest.warns(EvalkitWarning, match=re.escape(LEFT_OUT)):
        out = rater_agreement(followup, by="unit")
    assert out.index[:2].tolist() == ["U1", "U2"] and pd.isna(out.index[2])
    assert out["n"].tolist() == [5, 5, 2]
    for pos, tag in enumerate(["unit.U1", "unit.U2", "unit.NA"]):
        _check_ra_row(out.iloc[pos], ref, tag)


def test_agreement_with_other_column_names_and_raters(followup, ref):
    # peer.*: peer vs supervisor, icc_all(pp[, c("pct.peer", "pct.supervisor")]) and
    # ba(pp$pct.peer, pp$pct.supervisor); 4 participants, two of them called P1 (in K1
    # and K2), all rated by both: no warning
    peer = followup[followup["participant_id"].isin(["P1", "P2", "P3"])]
    peer = peer[
        (peer["cohort_id"] == "K1")
        | ((peer["cohort_id"] == "K2") & (peer["participant_id"] == "P1"))
    ]
    renamed = peer.rename(
        columns={
            "cohort_id": "klass",
            "participant_id": "pid",
            "rater": "who",
            "item": "q",
            "score": "answer",
            "scale_max": "top",
        }  # fmt: skip
    )
    out = _silent(
        rater_agreement,
        renamed,
        raters=("peer", "supervisor"),
        participant="pid",
        rater="who",
        item="q",
        score="answer",
        scale_max="top",
        cohort="klass",
    )
    assert out["n"] == 4
    _check_ra_row(out, ref, "peer")


def test_agreement_by_group_when_nobody_has_both_ratings(followup):
    # every participant rated by self only: an empty table with the documented columns
    only_self = followup[followup["rater"] != "supervisor"]
    with pytest.warns(EvalkitWarning, match=r"13 participant\(s\) rated by only one"):
        out = rater_agreement(only_self, by="cohort_id")
    assert isinstance(out, pd.DataFrame) and len(out) == 0
    assert out.columns.tolist() == RA_COLUMNS
    # without by= it is an error that says how many were left
    with pytest.warns(EvalkitWarning, match="rated by only one"):
        with pytest.raises(
            ParameterError,
            match=r"^rater_agreement: agreement needs at least 2 participants, got 0$",
        ):
            rater_agreement(only_self)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"ci": 0.0}, r"^rater_agreement: parameter 'ci' must be in \(0, 1\), got 0.0$"),
        (
            {"agreement": 1.0},
            r"^rater_agreement: parameter 'agreement' must be in \(0, 1\), got 1.0$",
        ),
    ],
)
def test_agreement_messages_name_the_function(followup, kwargs, match):
    with pytest.raises(ParameterError, match=match):
        rater_agreement(followup, **kwargs)


@pytest.mark.parametrize(
    ("x", "y", "largest"),
    [
        ([1e308, -1e308, 3.0], [-1e308, 1e308, 1.0], "inf"),  # x - y overflows to inf
        ([1e200, 2e200, 3.0], [0.0, 0.0, 1.0], "2e+200"),  # finite, but its square is not
        ([np.inf, 1.0, 2.0], [0.0, 0.0, 1.0], "inf"),  # an infinite score
    ],
)
def test_bland_altman_refuses_differences_without_a_finite_mean_and_sd(x, y, largest):
    # before: bias inf or sd inf, every other column NaN, and numpy's RuntimeWarnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ParameterError) as err:
            bland_altman(x, y)
    assert str(err.value) == (
        f"bland_altman: the differences x - y have no finite mean and SD (largest |x - y|: "
        f"{largest}); an infinite score, or scores beyond floating point's range, cannot be "
        "summarised"
    )
