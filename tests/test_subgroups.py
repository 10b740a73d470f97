"""Tests of evalkit.metrics.subgroups ("for whom") and the cluster-robust comparisons
beneath it.

Reference values come from tests/reference/level3u.R (R 4.2.2, sandwich 3.0-2, lmtest,
car; output in level3u_output.txt) on the fixed-seed synthetic study it writes
(level3u_people.csv); each literal names the R call that produced it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evalkit.errors import ParameterError
from evalkit.metrics.subgroups import (
    SUBGROUPS,
    subgroup_estimates,
    subgroup_tests,
    subgroup_vs_rest,
)

REF = Path(__file__).parent / "reference"
RTOL = 1e-10


@pytest.fixture(scope="module")
def people() -> pd.DataFrame:
    data = pd.read_csv(REF / "level3u_people.csv")
    return data.assign(gain=data["post"] - data["pre"])


def test_subgroup_means_match_r(people):
    out = subgroup_estimates(people, "gain", ["sex"])
    # cm(people[people$sex == "L", ]): coeftest(lm(gain ~ 1), vcovCL(cluster = ~cohort_id),
    # df = G - 1) and its qt interval
    male = out.loc[("sex", "L")]
    np.testing.assert_allclose(male["mean"], 9.24657534246575, rtol=RTOL)
    np.testing.assert_allclose(
        [male["ci_low"], male["ci_high"]], [7.46237835112538, 11.0307723338061], rtol=RTOL
    )
    female = out.loc[("sex", "P")]
    np.testing.assert_allclose(
        [female["mean"], female["ci_low"], female["ci_high"]],
        [9.59770114942529, 7.50057237214728, 11.6948299267033],
        rtol=RTOL,
    )
    assert male["n_clusters"] == 12 and female["n"] == 87


def test_interaction_sex_within_cohorts_matches_r(people):
    # fit9 <- lm(gain ~ cohort_id + sexP) (reference "P", the larger group);
    # anova(lm(gain ~ cohort_id), fit9): F, p; coef(fit9)[["sexPL"]]
    out = subgroup_estimates(people, "gain", ["sex"])
    assert out.loc[("sex", "L"), "reference"] == "P"
    np.testing.assert_allclose(out.loc[("sex", "L"), "diff"], -0.280649980611216, rtol=RTOL)
    np.testing.assert_allclose(out.loc[("sex", "L"), "diff_p"], 0.793728365522368, rtol=RTOL)
    assert np.isnan(out.loc[("sex", "P"), "diff"])
    tests = subgroup_tests(people, "gain", ["sex"])
    np.testing.assert_allclose(
        tests.loc["sex", ["f", "p"]].to_numpy(dtype=float),
        [0.0686166624912514, 0.793728365522368],
        rtol=RTOL,
    )


def test_interaction_golongan_within_cohorts_matches_r(people):
    # fit8 <- lm(gain ~ cohort_id + gol3) (gol3 relevelled to "III", the largest group);
    # anova(lm(gain ~ cohort_id), fit8)$F[2], $`Pr(>F)`[2], $Res.Df[2]
    tests = subgroup_tests(people, "gain", ["golongan", "sex"])
    row = tests.loc["golongan"]
    np.testing.assert_allclose(row["f"], 4.18373165560628, rtol=RTOL)
    np.testing.assert_allclose(row["p"], 0.0171075351702809, rtol=RTOL)
    assert (row["df1"], row["df2"], row["n_levels"], row["n_suppressed"]) == (2, 146, 3, 0)
    assert list(tests.index) == ["golongan", "sex"]
    # summary(fit8)$coefficients[c("gol3II", "gol3IV"), ] and confint(fit8)
    out = subgroup_estimates(people, "gain", ["golongan"]).loc["golongan"]
    np.testing.assert_allclose(
        out.loc[["II", "IV"], "diff"], [-0.658485304967615, 3.25316442156731], rtol=RTOL
    )
    np.testing.assert_allclose(
        out.loc[["II", "IV"], "diff_p"], [0.620903521175745, 0.0108149327630656], rtol=RTOL
    )
    np.testing.assert_allclose(
        out.loc[["II", "IV"], "diff_ci_low"], [-3.28424470204119, 0.762830321197144], rtol=RTOL
    )
    np.testing.assert_allclose(
        out.loc[["II", "IV"], "diff_ci_high"], [1.96727409210596, 5.74349852193747], rtol=RTOL
    )


def test_small_subgroups_are_suppressed_and_left_out_of_the_test(people):
    data = people.copy()
    rare = data.index[:4]  # four people get a golongan of their own: fewer than 5
    data.loc[rare, "golongan"] = "I"
    out = subgroup_estimates(data, "gain", ["golongan"])
    assert "I" not in out.index.get_level_values("level")
    tests = subgroup_tests(data, "gain", ["golongan"])
    assert tests.loc["golongan", "n_suppressed"] == 1
    assert tests.loc["golongan", "n"] == len(data) - 4
    # the test equals the test on the data without those four people
    kept = subgroup_tests(data.drop(index=rare), "gain", ["golongan"])
    np.testing.assert_allclose(tests.loc["golongan", "f"], kept.loc["golongan", "f"], rtol=1e-12)


def test_many_subgroups_are_tested_within_cohorts(people):
    # 14 units in 12 cohorts: a cluster-robust Wald test of 13 contrasts is impossible
    # (more contrasts than clusters - 1); the within-cohort F test is not
    data = people.assign(unit=[f"u{i % 14}" for i in range(len(people))])
    tests = subgroup_tests(data, "gain", ["unit"])
    assert tests.loc["unit", "n_levels"] == 14 and tests.loc["unit", "df1"] == 13
    assert tests.loc["unit", "df2"] == len(data) - 12 - 13
    assert 0 < tests.loc["unit", "p"] < 1
    out = subgroup_estimates(data, "gain", ["unit"])
    assert out["diff"].notna().sum() == 13


def test_subgroups_that_are_whole_cohorts_have_no_within_test(people):
    data = people.assign(grp=np.where(people["cohort_id"] <= "C06", "a", "b"))
    assert np.isnan(subgroup_tests(data, "gain", ["grp"]).loc["grp", "p"])
    assert subgroup_estimates(data, "gain", ["grp"])["diff"].isna().all()


def test_one_subgroup_left_has_a_mean_but_no_difference(people):
    data = people.assign(sex="L")
    out = subgroup_estimates(data, "gain", ["sex"])
    assert len(out) == 1 and np.isnan(out["diff"]).all()
    assert np.isnan(subgroup_tests(data, "gain", ["sex"]).loc["sex", "p"])


def test_default_subgroups_are_the_participant_characteristics():
    assert SUBGROUPS == ("sex", "age_band", "golongan", "position_type", "unit")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"dv": "nope"}, "nope"),
        ({"subgroups": ["nope"]}, "nope"),
        ({"subgroups": []}, "subgroups"),
        ({"min_n": 1}, "min_n"),
        ({"cluster": "nope"}, "nope"),
    ],
)
def test_bad_input_names_the_parameter(people, kwargs, message):
    args = {"dv": "gain", "subgroups": ["sex"]} | kwargs
    for func in (subgroup_estimates, subgroup_tests):
        with pytest.raises(ParameterError, match=message):
            func(
                people,
                args["dv"],
                args["subgroups"],
                **{k: v for k, v in args.items() if k not in ("dv", "subgroups")},
            )


def test_subgroup_vs_rest_two_groups_is_the_sex_contrast(people):
    out = subgroup_vs_rest(people, "gain", "sex")
    # lm(gain ~ sex) with vcovCL(cluster = ~cohort_id), df = G - 1: P - L = 0.351125806959533,
    # p = 0.779737114187165; with two subgroups "the rest" of P is L
    np.testing.assert_allclose(out.loc["P", "diff"], 0.351125806959533, rtol=RTOL)
    np.testing.assert_allclose(out.loc["L", "diff"], -0.351125806959533, rtol=RTOL)
    np.testing.assert_allclose(out["p"], [0.779737114187165] * 2, rtol=RTOL)
    # p.adjust(c(p, p), "BH") = p
    np.testing.assert_allclose(out["p_bh"], out["p"], rtol=1e-12)
    assert list(out.index) == ["L", "P"]  # sorted by mean


def test_subgroup_vs_rest_ranks_many_units_with_bh(people):
    data = people.assign(unit=[f"u{i % 6}" for i in range(len(people))])
    out = subgroup_vs_rest(data, "gain", "unit")
    assert len(out) == 6 and out["mean"].is_monotonic_increasing
    # BH: sorted p x m / rank, monotone from the top, as R's p.adjust(p, "BH")
    p = out["p"].sort_values()
    raw = p.to_numpy() * 6 / np.arange(1, 7)
    expected = np.minimum.accumulate(raw[::-1])[::-1].clip(max=1)
    np.testing.assert_allclose(out.loc[p.index, "p_bh"], expected, rtol=1e-12)
    with pytest.raises(ParameterError, match="at least 2 subgroups"):
        subgroup_vs_rest(data.assign(unit="u0"), "gain", "unit")


def test_subgroup_conclusion_cautions_and_uses_the_adjusted_p(people):
    from evalkit.reporting.conclusions.compare import subgroup_conclusion

    tests = subgroup_tests(people, "gain", ["golongan", "sex"])
    what = ("kenaikan nilai", "score gain")
    raw = str(subgroup_conclusion(tests, what, "en"))
    assert "Differing: Grade (golongan)." in raw  # p = .017 unadjusted
    held = str(subgroup_conclusion(tests, what, "en",
                                   p_adjusted=pd.Series({"golongan": 0.06, "sex": 0.79})))  # fmt: skip
    assert "No characteristic shows a difference after the Holm correction" in held
    assert "by chance alone" in held and "fewer than 5 people are neither shown nor tested" in held
    idn = str(subgroup_conclusion(tests, what, "id"))
    assert "karena kebetulan" in idn and "F(2; 146) = 4,18" in idn
