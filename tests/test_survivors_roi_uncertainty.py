"""Survivors of mutation testing of evalkit.metrics.roi_uncertainty (see mutation/README.md).

Each test pins a number, label, boundary or message that a mutant of
``roi_uncertainty.py`` changed without any other test noticing. Expected values are R's
(``tests/reference/level5.R``, quoted in ``tests/test_roi_uncertainty.py``) or hand
calculations written beside them; the resampling itself is re-derived in the test from
the documented rule (numpy's generator seeded with ``[seed, crc32(cohort), kind]``).
"""

from __future__ import annotations

import warnings
import zlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evalkit.errors import EvalkitWarning, ParameterError
from evalkit.metrics.roi_uncertainty import (
    DEFAULT_SEED,
    bca_acceleration,
    bootstrap_interval,
    break_even,
    person_benefits,
    roi_bootstrap,
)

REF = Path(__file__).parent / "reference"

# Rscript level5.R: (n_participants, n_respondents, n_unit_rows, n_estimates, benefits,
# costs, bcr) of each cohort (the same literals as tests/test_roi_uncertainty.py)
R_COHORT = {
    ("A", "A-2023"): (24, 15, 0, 20, 35787000, 83020000, 0.431064803661768),
    ("A", "A-2024"): (18, 10, 0, 14, 30684360, 63490000, 0.483294377067255),
    ("B", "B-2024"): (20, 13, 4, 21, 26815800, 36900000, 0.726715447154472),
}
R_PORTFOLIO = (48, 34, 4, 55, 93287160, 183410000, 0.508626356251022)


@pytest.fixture(scope="module")
def study() -> dict[str, pd.DataFrame]:
    names = ("benefits", "participants", "costs", "cohorts")
    return {n: pd.read_csv(REF / f"level5_{n}.csv") for n in names}


def _two_people(benefits, cost, cohort="A"):
    """One cohort of two people with the given adjusted benefits and one cost row."""
    est = pd.DataFrame({"cohort_id": cohort, "participant_id": ["p1", "p2"],
                        "benefit_idr": benefits, "attribution": 1.0, "confidence": 1.0})  # fmt: skip
    who = est[["cohort_id", "participant_id"]]
    return est, pd.DataFrame({"cohort_id": [cohort], "amount_idr": [cost]}), who


# --- the interval, its level and the break-even statement -------------------------------
def test_level_is_passed_on_two_people_exact_distribution():
    """Benefits 0 and 1, costs 1: a resample of 2 people has BCR 0, 1 or 2 with
    probabilities 1/4, 1/2, 1/4 (hand calculation). At level 0.40 the tails are 0.30 and
    0.70, both inside the mass at 1, so the interval is [1, 1]; at 0.95 the tails 0.025
    and 0.975 fall on 0 and 2."""
    est, cost, who = _two_people([0.0, 1.0], 1.0)
    narrow = roi_bootstrap(est, cost, who, level=0.40)
    assert (narrow["bcr_ci_low"], narrow["bcr_ci_high"]) == (1.0, 1.0)
    assert (narrow["roi_ci_low"], narrow["roi_ci_high"]) == (0.0, 0.0)
    wide = roi_bootstrap(est, cost, who)
    assert (wide["bcr_ci_low"], wide["bcr_ci_high"]) == (0.0, 2.0)
    assert narrow["bcr"] == 1.0 and narrow["costs"] == 1.0  # costs of 1 IDR are positive


def test_break_even_above_and_below_from_roi_bootstrap():
    # benefits 3 and 4 million, costs 1 million: every resample's BCR is 6, 7 or 8
    est, cost, who = _two_people([3e6, 4e6], 1e6)
    assert roi_bootstrap(est, cost, who)["break_even"] == "above"
    # benefits 0 and 0.1 million: every resample's BCR is 0, 0.1 or 0.2
    est, cost, who = _two_people([0.0, 1e5], 1e6)
    assert roi_bootstrap(est, cost, who)["break_even"] == "below"


def test_break_even_missing_bounds_given_as_none():
    # a bound of None is missing (NaN), as documented: never "above" or "below"
    assert break_even(None, 2.0) == "indistinguishable"
    assert break_even(0.5, None) == "indistinguishable"
    assert break_even(np.array([None, 1.5], dtype=object), np.array([0.5, None], dtype=object)).tolist() == [
        "below", "above",
    ]  # fmt: skip


def test_bcr_se_and_n_boot_are_those_of_the_documented_resampling():
    """Two cohorts in one program: the replicates re-derived from the documented rule
    (each cohort's own generator, ``[seed, crc32(cohort), 1]`` for its people)."""
    est_a, cost_a, who_a = _two_people([1e6, 5e6], 2e6, "A")
    est_b, cost_b, who_b = _two_people([1e6, 5e6], 2e6, "B")
    est, cost, who = (pd.concat([x, y]) for x, y in
                      ((est_a, est_b), (cost_a, cost_b), (who_a, who_b)))  # fmt: skip
    out = roi_bootstrap(est, cost, who)
    x = np.array([1e6, 5e6])
    sums = [
        x[np.random.default_rng([DEFAULT_SEED, zlib.crc32(c.encode()), 1])
          .integers(0, 2, size=(2000, 2))].sum(axis=1)
        for c in ("A", "B")
    ]  # fmt: skip
    replicates = (sums[0] + sums[1]) / 4e6
    assert out["n_boot"] == 2000  # the default
    assert out["bcr_se"] == pytest.approx(np.std(replicates, ddof=1), rel=1e-12)
    # the two cohorts are resampled independently: SE near the ideal sqrt(sum_s n_s var_n(x_s)) / C = sqrt(2 * 2 * 4e12) / 4e6 = 1
    assert out["bcr_se"] == pytest.approx(np.sqrt(16e12) / 4e6, rel=0.05)
    assert roi_bootstrap(est, cost, who, n_boot=100)["n_boot"] == 100  # 100 is allowed
    assert roi_bootstrap(est, cost, who, seed=0)["bcr"] == 3.0  # seed 0 is allowed


# --- point estimates that the reports show -----------------------------------------------
def test_net_benefit_equals_r_sums(study):
    b, c, p, k = (study[n] for n in ("benefits", "costs", "participants", "cohorts"))
    whole = roi_bootstrap(b, c, p)
    # level5.R: sum(benefit x attribution x confidence) - sum(costs)
    assert whole["net_benefit"] == pytest.approx(R_PORTFOLIO[4] - R_PORTFOLIO[5], rel=1e-12)
    each = roi_bootstrap(b, c, p, k, by=["program_id", "cohort_id"])
    assert isinstance(each.index, pd.MultiIndex)
    assert each.index.names == ["program_id", "cohort_id"]
    assert each.index.tolist() == list(R_COHORT)
    for key, (n_people, n_resp, n_unit, n_rows, benefits, costs, bcr) in R_COHORT.items():
        row = each.loc[key]
        assert (row["n_participants"], row["n_respondents"]) == (n_people, n_resp)
        assert (row["n_unit_rows"], row["n_estimates"]) == (n_unit, n_rows)
        assert row["bcr"] == pytest.approx(bcr, rel=1e-12)
        assert row["net_benefit"] == pytest.approx(benefits - costs, rel=1e-12)
    assert roi_bootstrap(b, c, p, by="cohort_id").index.name == "cohort_id"
    assert roi_bootstrap(b, c, p, k, by="program_id").index.name == "program_id"


def test_other_column_names_reach_person_benefits(study):
    names = {"cohort_id": "kelas", "participant_id": "peserta", "benefit_idr": "manfaat",
             "attribution": "atribusi", "confidence": "keyakinan", "amount_idr": "biaya"}  # fmt: skip
    b, c, p = (study[n].rename(columns=names) for n in ("benefits", "costs", "participants"))
    out = roi_bootstrap(b, c, p, cohort="kelas", participant="peserta", benefit="manfaat",
                        attribution="atribusi", confidence="keyakinan", amount="biaya")  # fmt: skip
    assert out["benefits"] == pytest.approx(R_PORTFOLIO[4], rel=1e-12)
    assert out["costs"] == pytest.approx(R_PORTFOLIO[5], rel=1e-12)
    assert (out["n_participants"], out["n_respondents"]) == R_PORTFOLIO[:2]


def test_a_cohort_listed_twice_in_cohorts_takes_its_first_row(study):
    b, c, p, k = (study[n] for n in ("benefits", "costs", "participants", "cohorts"))
    twice = pd.concat([k.assign(name="x"), k.assign(name="y")], ignore_index=True)
    out = roi_bootstrap(b, c, p, twice, by="program_id")
    assert out.index.tolist() == ["A", "B"]
    assert out.loc["A", "bcr"] == pytest.approx(0.453698450617705, rel=1e-12)  # R program.A


# --- bad input: the checks and their messages ---------------------------------------------
def test_n_boot_and_seed_must_be_integers(study):
    b, c, p = study["benefits"], study["costs"], study["participants"]
    with pytest.raises(
        ParameterError, match=r"parameter 'n_boot' must be an integer >= 100, got 500\.0"
    ):
        roi_bootstrap(b, c, p, n_boot=500.0)
    with pytest.raises(
        ParameterError, match=r"parameter 'seed' must be a non-negative integer, got 3\.0"
    ):
        roi_bootstrap(b, c, p, seed=3.0)


def test_table_messages_name_function_and_table(study):
    b, c, p, k = (study[n] for n in ("benefits", "costs", "participants", "cohorts"))
    with pytest.raises(
        ParameterError, match=r"^roi_bootstrap: costs has no column\(s\) \['amount_idr'\]"
    ):
        roi_bootstrap(b, c.drop(columns="amount_idr"), p)
    with pytest.raises(
        ParameterError, match=r"^roi_bootstrap: cohorts has no column\(s\) \['program_id'\]"
    ):
        roi_bootstrap(b, c, p, k.drop(columns="program_id"), by="program_id")
    with pytest.raises(
        ParameterError, match=r"^roi_bootstrap: column 'amount_idr' of costs must be numeric$"
    ):
        roi_bootstrap(b, c.assign(amount_idr="banyak"), p)
    with pytest.raises(ParameterError, match=r"^roi_bootstrap: cohort 'B-2024' is not in cohorts$"):
        roi_bootstrap(b, c, p, k[k["cohort_id"] != "B-2024"], by="program_id")


@pytest.mark.parametrize("amount", [0.0, np.inf])
def test_costs_zero_or_infinite_are_refused(study, amount):
    b, c, p = study["benefits"], study["costs"], study["participants"]
    # every cost row of A-2023 set to 0 (cohort total 0), or to inf (total inf)
    bad = c.assign(amount_idr=np.where(c["cohort_id"] == "A-2023", amount, c["amount_idr"]))
    with pytest.raises(
        ParameterError, match=r"^roi_bootstrap: the costs of every cohort must be positive$"
    ):
        roi_bootstrap(b, bad, p)


def test_missing_costs_warning_lists_the_first_five_cohorts():
    cohorts = [f"K{i}" for i in range(1, 8)]
    est = pd.DataFrame({"cohort_id": cohorts, "participant_id": [f"p{i}" for i in range(7)],
                        "benefit_idr": 1e6, "attribution": 1.0, "confidence": 1.0})  # fmt: skip
    cost = pd.DataFrame({"cohort_id": ["K1"], "amount_idr": [1e6]})
    with pytest.warns(EvalkitWarning) as caught:
        roi_bootstrap(est, cost, est[["cohort_id", "participant_id"]])
    ours = [str(w.message) for w in caught if w.category is EvalkitWarning]
    assert ours == [
        "roi_bootstrap: 6 cohort(s) with estimates but no costs have no ROI: K2, K3, K4, K5, K6"
    ]


# --- the BCa acceleration -----------------------------------------------------------------
def test_bca_acceleration_of_large_integer_influence_values():
    # L = k (-1, -1, 2): sum L^3 = 6 k^3, sum L^2 = 6 k^2, a = 6 / (6 * 6^1.5) = 6^-1.5
    # for any k (hand calculation); k = 3e6 overflows int64 in L^3 unless cast to float
    expected = 6.0**-1.5
    assert bca_acceleration([[-3_000_000, -3_000_000, 6_000_000]])[0] == pytest.approx(
        expected, rel=1e-12
    )
    assert bca_acceleration([np.array([-3, -3, 6]) * 10**6])[0] == pytest.approx(
        expected, rel=1e-12
    )


def test_bca_acceleration_of_zero_influence_is_nan_without_a_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isnan(bca_acceleration([np.zeros(4)])[0])


# --- the percentile interval at the edges of the order statistics --------------------------
T9 = np.array([0.31, 0.52, 0.18, 0.95, 0.44, 0.67, 0.73, 0.26, 0.88])
# boot:::norm.inter(t9, c((1 - conf) / 2, (1 + conf) / 2)), the percentile interval of
# boot.ci (tests/reference/survivors_roi_uncertainty.R); (R + 1) alpha with R = 9 is
R_PERC9 = {
    0.95: (0.18, 0.95),  # 0.25 and 9.75: the extreme order statistics
    0.70: (0.224573998787897, 0.91099775106059),  # 1.5 and 8.5: interpolated
    0.80: (0.18, 0.95),  # 1 and 9: the order statistics themselves
}


@pytest.mark.parametrize("level", list(R_PERC9))
def test_percentile_interval_at_the_order_statistic_edges_equals_boot(level):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no floating-point warning leaks out
        ours = bootstrap_interval(T9, 0.5, level=level)
    np.testing.assert_allclose(ours, R_PERC9[level], rtol=1e-13)
    # several statistics at once: each column is interpolated on its own
    both = bootstrap_interval(np.column_stack([T9, 10 * T9]), np.array([0.5, 5.0]), level=level)
    np.testing.assert_allclose(both[:, 1], 10 * np.array(R_PERC9[level]), rtol=1e-13)


def test_bootstrap_interval_messages():
    with pytest.raises(
        ParameterError, match=r"^bootstrap_interval: parameter 'level' must be in \(0, 1\)"
    ):
        bootstrap_interval(T9, 0.5, level=1.5)
    with pytest.raises(
        ParameterError, match=r"^bootstrap_interval: parameter 'method' must be one of"
    ):
        bootstrap_interval(T9, 0.5, method="normal")
    # a missing replicate (None) is not finite, as NaN is
    for bad in ([0.2, None, 0.4], [0.2, np.nan, 0.4]):
        with pytest.raises(
            ParameterError, match=r"^bootstrap_interval: parameter 'replicates' must be finite$"
        ):
            bootstrap_interval(bad, 0.3)


# --- BCa from influence values ------------------------------------------------------------
# boot:::bca.ci(NULL, conf, t0 = 1.9, t = t39, L = L5)[4:5], the BCa interval of
# boot.ci(type = "bca", L = L5) (tests/reference/survivors_roi_uncertainty.R)
L5 = np.array([-0.8, -0.5, -0.2, 0.3, 1.2])
R_BCA39 = {0.90: (1.01316050649264, 6.08062544918348), 0.95: (1.0071235204982, 7.993)}


@pytest.mark.parametrize("level", list(R_BCA39))
def test_bca_from_influence_values_equals_boot(level):
    t = pd.read_csv(REF / "survivors_roi_uncertainty_t39.csv")["t"].to_numpy()
    ours = bootstrap_interval(t, 1.9, level=level, method="bca", influence=[L5])
    np.testing.assert_allclose(ours, R_BCA39[level], rtol=1e-13)
    # sum(L^3) / (6 * sum(L^2)^1.5) in the same script
    assert bca_acceleration([L5])[0] == pytest.approx(0.0479478422425681, rel=1e-13)


def test_bca_needs_influence_of_every_statistic():
    message = (
        r"^bootstrap_interval: method 'bca' needs the influence values of every statistic "
        r"\(or the acceleration\)$"
    )
    with pytest.raises(ParameterError, match=message):
        bootstrap_interval(T9, 0.5, method="bca")
    with pytest.raises(ParameterError, match=message):  # 2 statistics, 1 set of values
        bootstrap_interval(np.column_stack([T9, T9]), [0.5, 0.5], method="bca", influence=[L5])


def test_bca_edge_cases_emit_no_floating_point_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # every replicate above the estimate: z0 = -inf, the bounds are NaN
        assert np.isnan(bootstrap_interval(T9, 0.1, method="bca", acceleration=0.0)).all()


def test_bca_ties_and_several_statistics():
    t = pd.read_csv(REF / "survivors_roi_uncertainty_t39.csv")["t"].to_numpy()
    # the estimate equals a replicate (t39[1] = 1.8021): z0 counts the replicates below it
    # only; boot:::bca.ci(NULL, conf = 0.95, t0 = t39[1], t = t39, L = L5)[4:5]
    tie = bootstrap_interval(t, 1.8021, method="bca", influence=[L5])
    np.testing.assert_allclose(tie, (1.0057, 4.64178241091397), rtol=1e-13)
    # two statistics: each has its own z0; the second is twice the first (same z0 and a,
    # so its bounds are twice R's)
    both = bootstrap_interval(
        np.column_stack([t, 2 * t, t]), [1.9, 3.8, 1.8021], method="bca", influence=[L5, L5, L5]
    )
    np.testing.assert_allclose(both[:, 0], R_BCA39[0.95], rtol=1e-13)
    np.testing.assert_allclose(both[:, 1], 2 * np.array(R_BCA39[0.95]), rtol=1e-13)
    np.testing.assert_allclose(both[:, 2], (1.0057, 4.64178241091397), rtol=1e-13)


# --- the resampling units ------------------------------------------------------------------
def _estimates(**columns):
    base = {"cohort_id": "A", "participant_id": ["p1", "p1", None],
            "benefit_idr": [2_000_000, 1_000_000, 5_000_000], "attribution": 0.5,
            "confidence": 1.0}  # fmt: skip
    return pd.DataFrame({**base, **columns})


ENROLLED = pd.DataFrame({"cohort_id": "A", "participant_id": ["p1", "p2"]})


def test_person_benefits_columns_raw_sums_and_dtypes():
    # integer benefits (IDR are often stored as integers); hand calculation: p1 has two
    # estimates (2 + 1 million raw, x 0.5 adjusted), p2 none (0, "no data, no improvement"),
    # the unit-level row 5 million raw, 2.5 million adjusted
    out = person_benefits(_estimates(), ENROLLED)
    assert out.columns.tolist() == ["cohort_id", "participant_id", "kind", "responded",
                                    "n_estimates", "benefit_raw", "benefit_adjusted"]  # fmt: skip
    assert isinstance(out.index, pd.RangeIndex) and out.index.tolist() == [0, 1, 2]
    assert out["benefit_raw"].tolist() == [3e6, 0.0, 5e6]
    assert out["benefit_adjusted"].tolist() == [1.5e6, 0.0, 2.5e6]
    assert out["n_estimates"].tolist() == [2, 0, 1]
    assert out["n_estimates"].dtype == np.int64
    assert out["benefit_raw"].dtype == np.float64


def test_person_benefits_boundaries_of_the_checks():
    # a benefit of 0 or below 1 IDR, and shares of exactly 0, are allowed
    out = person_benefits(_estimates(benefit_idr=[0.0, 0.5, 0.0], attribution=0.0), ENROLLED)
    assert out["benefit_raw"].tolist() == [0.5, 0.0, 0.0]
    assert out["benefit_adjusted"].tolist() == [0.0, 0.0, 0.0]
    out = person_benefits(_estimates(confidence=0.0), ENROLLED)
    assert out["benefit_adjusted"].sum() == 0.0


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        ({"benefit_idr": ["banyak", "1", "2"]},
         "person_benefits: column 'benefit_idr' of estimates must be numeric"),
        ({"benefit_idr": [1.0, np.inf, 2.0]},
         "person_benefits: column 'benefit_idr' of estimates must be finite numbers"),
        ({"benefit_idr": pd.array([1, None, 2], dtype="Int64")},
         "person_benefits: column 'benefit_idr' of estimates must be finite numbers"),
        ({"benefit_idr": [1.0, -1.0, 2.0]},
         "person_benefits: column 'benefit_idr' of estimates must be >= 0"),
        ({"attribution": [0.5, 1.5, 0.5]},
         "person_benefits: column 'attribution' of estimates must be a share in [0, 1]"),
    ],
)  # fmt: skip
def test_person_benefits_messages(columns, message):
    with pytest.raises(ParameterError) as caught:
        person_benefits(_estimates(**columns), ENROLLED)
    assert str(caught.value) == message


def test_person_benefits_participants_table_and_strays():
    with pytest.raises(ParameterError) as caught:
        person_benefits(_estimates(), ENROLLED.drop(columns="participant_id"))
    assert str(caught.value).startswith(
        "person_benefits: participants has no column(s) ['participant_id']"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # everyone who answered is enrolled: no warning
        person_benefits(_estimates(), ENROLLED)
    with pytest.warns(EvalkitWarning) as caught:
        out = person_benefits(_estimates(participant_id=["p1", "p9", None]), ENROLLED)
    assert [str(w.message) for w in caught] == [
        "person_benefits: 1 respondent(s) not in participants are counted as people"
    ]
    assert out["participant_id"].tolist()[:3] == ["p1", "p2", "p9"]
    assert out["kind"].tolist() == ["person", "person", "person", "unit"]
