"""Survivors of mutation testing of evalkit.metrics.waves (see mutation/README.md).

Each test pins a number that a mutant of ``waves.py`` changed without any other test
noticing. Expected values are hand calculations written beside them or R's (base
``prop.test(correct = FALSE)`` and ``t.test(var.equal = FALSE)``, typed in from
``tests/reference/survivors_waves.R``).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from evalkit.errors import EvalkitWarning, ParameterError
from evalkit.metrics.waves import (
    attrition_by_wave,
    behavior_change,
    long_term_evidence,
    persistence_curve,
    wave_attrition,
)


def _two_waves(cohorts: list[str]) -> pd.DataFrame:
    """Six people rated by themselves at 3 and 6 months on one 1-5 item (the docstring's)."""
    people = ["p1", "p2", "p3", "p4", "p5", "p6"]
    return pd.DataFrame(
        {
            "cohort_id": np.repeat(cohorts, 2),
            "participant_id": np.repeat(people, 2),
            "rater": "self",
            "item": "b1",
            "months_after": [3, 6] * 6,
            "score": [3, 4, 2, 3, 4, 4, 3, 5, 2, 2, 3, 4],
            "scale_max": 5,
        }
    )


def test_behavior_change_descriptive_columns_by_hand():
    # index = score / 5 x 100: baseline 60, 40, 80, 60, 40, 60 (mean 340 / 6),
    # later 80, 60, 80, 100, 40, 80 (mean 440 / 6); d = 20, 20, 0, 40, 0, 20 (mean 100 / 6),
    # sum of squared deviations 3400 / 3, sd = sqrt(3400 / 15), d_z = mean / sd
    out = behavior_change(_two_waves(["a", "a", "b", "b", "c", "c"]))
    sd = np.sqrt(3400 / 15)
    assert out["mean_baseline"] == pytest.approx(340 / 6, rel=1e-12)
    assert out["mean_later"] == pytest.approx(440 / 6, rel=1e-12)
    assert out["mean_change"] == pytest.approx(100 / 6, rel=1e-12)
    assert out["sd_change"] == pytest.approx(sd, rel=1e-12)
    assert out["d_z"] == pytest.approx(100 / 6 / sd, rel=1e-12)
    assert out.name == "behavior_change"


def test_behavior_change_two_cohorts_are_clustered_not_paired():
    # cohorts a (p1-p3) and b (p4-p6): residuals d - 100/6 sum to -10 and +10 per cohort;
    # CR1 of lm(d ~ 1): G / (G - 1) x sum_g S_g^2 / n^2 = 2 x 200 / 36, se = 10 / 3, t on 1 df
    out = behavior_change(_two_waves(["a", "a", "a", "b", "b", "b"]))
    assert out["n_clusters"] == 2
    assert out["se"] == pytest.approx(10 / 3, rel=1e-12)
    assert out["df"] == 1
    assert out["t"] == pytest.approx(5.0, rel=1e-12)  # (100 / 6) / (10 / 3)
    # CR2: a_g = 1 / (1 - 3/6) = 2, var = 2 x (100 + 100) / 36, the same se here; two
    # clusters give df 1; neither path leaks a NumPy warning
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for vcov in ("CR1", "CR2"):
            out = behavior_change(_two_waves(["a", "a", "a", "b", "b", "b"]), vcov=vcov)
            assert out[["se", "df"]].tolist() == pytest.approx([10 / 3, 1.0], rel=1e-12), vcov


def test_behavior_change_constant_and_small_changes():
    # everybody gains exactly one point (20 index points): sd 0, so d_z is NaN and the
    # paired t is +inf
    fu = _two_waves(["a"] * 6)
    fu.loc[fu["months_after"] == 6, "score"] = (
        fu.loc[fu["months_after"] == 3, "score"].to_numpy() + 1
    )
    fu.loc[fu["months_after"] == 3, "score"] = fu.loc[fu["months_after"] == 3, "score"].clip(
        upper=4
    )
    fu.loc[fu["months_after"] == 6, "score"] = (
        fu.loc[fu["months_after"] == 3, "score"].to_numpy() + 1
    )
    with warnings.catch_warnings():  # no numpy warning reaches the caller
        warnings.simplefilter("error", RuntimeWarning)
        out = behavior_change(fu)
    assert out["mean_change"] == 20.0 and out["sd_change"] == 0.0
    assert np.isnan(out["d_z"]) and out["t"] == np.inf
    assert out["p"] == 0.0 and out["p_paired"] == 0.0  # an infinite t
    # changes of 0, 1, 1, 0, 1, 1 index points (scale 0-100): sd = sqrt(4 / 15) < 1, d_z
    # = (4 / 6) / sqrt(4 / 15)
    small = _two_waves(["a"] * 6).assign(scale_max=100)
    small.loc[small["months_after"] == 6, "score"] = small.loc[
        small["months_after"] == 3, "score"
    ].to_numpy() + [0, 1, 1, 0, 1, 1]
    out = behavior_change(small)
    assert out["d_z"] == pytest.approx((4 / 6) / np.sqrt(4 / 15), rel=1e-12)


def test_behavior_change_clustered_with_every_change_the_same():
    # every person gains exactly 20 index points in two or three cohorts: the residuals
    # are 0, so the cluster-robust se is 0 and t is +inf (p 0, interval [20, 20]), as the
    # paired t; no change at all gives t = 0 / 0 = NaN. No error, no NumPy warning.
    for cohorts in (["a", "a", "a", "b", "b", "b"], ["a", "a", "b", "b", "c", "c"]):
        fu = _two_waves(cohorts)
        fu.loc[fu["months_after"] == 6, "score"] = [3, 4, 5, 4, 3, 4]
        fu.loc[fu["months_after"] == 3, "score"] = [2, 3, 4, 3, 2, 3]
        for vcov in ("CR1", "CR2"):
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                out = behavior_change(fu, vcov=vcov)
            assert out["n_clusters"] == len(set(cohorts))
            assert (out["mean_change"], out["se"], out["t"]) == (20.0, 0.0, np.inf), vcov
            assert (out["p"], out["ci_low"], out["ci_high"]) == (0.0, 20.0, 20.0), vcov
        fu.loc[fu["months_after"] == 6, "score"] = [2, 3, 4, 3, 2, 3]
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            out = behavior_change(fu)
        assert out["mean_change"] == 0.0 and out["se"] == 0.0
        assert np.isnan(out["t"]) and np.isnan(out["p"]) and np.isnan(out["p_paired"])


def test_behavior_change_other_column_names_and_messages():
    fu = _two_waves(["a", "a", "b", "b", "c", "c"]).rename(
        columns={
            "participant_id": "nip",
            "rater": "penilai",
            "item": "butir",
            "score": "skor",
            "scale_max": "maks",
        }
    )
    names = dict(participant="nip", rater="penilai", item="butir", score="skor", scale_max="maks")
    assert behavior_change(fu, **names)["mean_change"] == pytest.approx(100 / 6, rel=1e-12)
    # raters passed on: the supervisor gave no rating, so nobody has two waves
    with pytest.raises(ParameterError, match=r"followup has no rows for raters \['supervisor'\]"):
        behavior_change(fu, raters=["supervisor"], **names)
    with pytest.raises(ParameterError, match=r"^behavior_change: parameter 'ci'"):
        behavior_change(fu, ci=0, **names)
    with pytest.raises(
        ParameterError, match=r"^behavior_change: followup has no column\(s\) \['unit'\]"
    ):
        behavior_change(fu, cluster="unit", **names)
    with pytest.raises(ParameterError, match=r"^behavior_change: parameter 'later' = 12"):
        behavior_change(fu, later=12, **names)


# --- wave_attrition ---------------------------------------------------------------------
def _attrition_data() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cohorts a, b, c on one 1-5 item (tests/reference/survivors_waves.R).

    Rated at 3 months: p1-p6 (a), q1, q2 (b, which has no 6-month wave: not due), r1, r2
    (c). At 6 months: p1, p2, p3, r1, r2 and p7 (first rated then, not a drop-out).
    """
    rows = [
        ("a", "p1", 3, 3), ("a", "p2", 3, 2), ("a", "p3", 3, 4), ("a", "p4", 3, 5),
        ("a", "p5", 3, 4), ("a", "p6", 3, 2), ("b", "q1", 3, 1), ("b", "q2", 3, 5),
        ("c", "r1", 3, 3), ("c", "r2", 3, 1),
        ("a", "p1", 6, 4), ("a", "p2", 6, 3), ("a", "p3", 6, 4), ("a", "p7", 6, 5),
        ("c", "r1", 6, 2), ("c", "r2", 6, 5),
    ]  # fmt: skip
    fu = pd.DataFrame(rows, columns=["cohort_id", "participant_id", "months_after", "score"])
    fu = fu.assign(rater="self", item="b1", scale_max=5)
    learning = pd.DataFrame(
        {
            "cohort_id": ["a"] * 6 + ["c", "c", "b"],
            "participant_id": ["p1", "p2", "p3", "p4", "p5", "p6", "r1", "r2", "q1"],
            "pre": [50, 40, 70, 60, 30, 20, 50, 40, 10],
            "post": [60, 45, 90, 55, 30, 35, np.nan, 70, 90],
        }
    )
    return fu, learning


_ATTRITION_R = {
    # prop.test(3, 8, correct = FALSE)$conf.int
    0.95: {
        "dropped_out": [0.136844285823597, 0.694257605397373],
        # t.test(c(100, 80, 40), c(60, 40, 80, 60, 20)): estimate, conf.int, p.value
        "index_baseline": [21.3333333333333, -39.6400485668927, 82.3067152335593,
                           0.364235078231045],
        # t.test(c(-5, 0, 15), c(10, 5, 20, 30)); r1 has no post-test
        "gain": [-12.9166666666667, -34.4615580655589, 8.62822473222553, 0.179701199084268],
    },
    0.90: {
        "dropped_out": [0.161172337760674, 0.652008561595267],
        "index_baseline": [21.3333333333333, -24.5322250298438, 67.1988916965105,
                           0.364235078231045],
        "gain": [-12.9166666666667, -29.6939164896458, 3.86058315631252, 0.179701199084268],
    },
}  # fmt: skip


def _check_attrition(out: pd.DataFrame, level: float) -> None:
    ref = _ATTRITION_R[level]
    assert out.index.name == "measure"
    assert out.index.tolist() == ["dropped_out", "index_baseline", "gain"]
    assert out.columns.tolist() == ["estimate", "ci_low", "ci_high", "p", "n", "n_dropped",
                                    "n_stayed", "mean_dropped", "mean_stayed"]  # fmt: skip
    drop = out.loc["dropped_out"]
    assert drop["estimate"] == 3 / 8
    np.testing.assert_allclose(drop[["ci_low", "ci_high"]].to_numpy(float), ref["dropped_out"],
                               rtol=1e-12)  # fmt: skip
    assert drop[["n", "n_dropped", "n_stayed"]].tolist() == [8.0, 3.0, 5.0]
    assert drop[["p", "mean_dropped", "mean_stayed"]].isna().all()
    for name in ("index_baseline", "gain"):
        np.testing.assert_allclose(
            out.loc[name, ["estimate", "ci_low", "ci_high", "p"]].to_numpy(float),
            ref[name],
            rtol=1e-12,
        )
    # means by hand: (100 + 80 + 40) / 3, (60 + 40 + 80 + 60 + 20) / 5; 10 / 3, 65 / 4
    base, gain = out.loc["index_baseline"], out.loc["gain"]
    assert base[["mean_dropped", "mean_stayed"]].tolist() == pytest.approx([220 / 3, 52])
    assert base[["n", "n_dropped", "n_stayed"]].tolist() == [8.0, 3.0, 5.0]
    assert gain[["mean_dropped", "mean_stayed"]].tolist() == pytest.approx([10 / 3, 65 / 4])
    assert gain[["n", "n_dropped", "n_stayed"]].tolist() == [7.0, 3.0, 4.0]


def test_wave_attrition_against_r_prop_test_and_welch():
    fu, learning = _attrition_data()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _check_attrition(wave_attrition(fu, learning=learning), 0.95)
        _check_attrition(wave_attrition(fu, learning=learning, ci=0.9), 0.90)


def test_wave_attrition_other_column_names_and_waves():
    fu, learning = _attrition_data()
    names = {"cohort_id": "angkatan", "participant_id": "nip", "months_after": "bulan",
             "rater": "penilai", "item": "butir", "score": "skor", "scale_max": "maks",
             "pre": "awal", "post": "akhir"}  # fmt: skip
    # the waves renumbered 1 and 2: baseline and later passed on
    fu = fu.assign(months_after=fu["months_after"] // 3).rename(columns=names)
    out = wave_attrition(
        fu, baseline=1, later=2, learning=learning.rename(columns=names), cohort="angkatan",
        participant="nip", months="bulan", rater="penilai", item="butir", score="skor",
        scale_max="maks", pre="awal", post="akhir",
    )  # fmt: skip
    _check_attrition(out, 0.95)
    # scale_min passed on: POMP of 1-5, (score - 1) / 4 x 100; dropped 100, 75, 25,
    # stayed 50, 25, 75, 50, 0: difference 200 / 3 - 40
    cols = dict(cohort="angkatan", participant="nip", months="bulan", rater="penilai",
                item="butir", score="skor", scale_max="maks")  # fmt: skip
    pomp = wave_attrition(fu, baseline=1, later=2, scale_min=1, **cols)
    assert pomp.loc["index_baseline", "estimate"] == pytest.approx(200 / 3 - 40, rel=1e-12)
    # raters passed on: a supervisor rating only
    with pytest.raises(ParameterError, match=r"followup has no rows for raters \['supervisor'\]"):
        wave_attrition(fu, baseline=1, later=2, raters=["supervisor"], **cols)


def test_wave_attrition_messages_and_too_few_to_compare():
    fu, learning = _attrition_data()
    with pytest.raises(ParameterError, match=r"^wave_attrition: parameter 'ci'"):
        wave_attrition(fu, ci=1)
    with pytest.raises(
        ParameterError, match=r"^wave_attrition: followup has no column\(s\) \['unit'\]"
    ):
        wave_attrition(fu, cohort="unit")
    with pytest.raises(ParameterError, match=r"^wave_attrition: parameter 'baseline' = 1 "):
        wave_attrition(fu, baseline=1)
    with pytest.raises(
        ParameterError, match=r"^wave_attrition: learning has no column\(s\) \['post'\]"
    ):
        wave_attrition(fu, learning=learning.drop(columns="post"))
    # nobody of cohort a rated at 3 months: wave 3 only in b, which is not due
    no_one = fu[~((fu["months_after"] == 3) & fu["cohort_id"].isin(["a", "c"]))]
    with pytest.raises(
        ParameterError,
        match=r"^wave_attrition: no one rated at wave 3 in a cohort with wave 6$",
    ):
        wave_attrition(no_one)
    # only p4 of those who dropped out has a gain: 1 and 4, too few; its row is NaN
    few = learning.assign(
        post=learning["post"].where(~learning["participant_id"].isin(["p5", "p6"]))
    )
    message = (
        "wave_attrition: 1 who dropped out and 4 who stayed have a gain: too few to compare "
        "(2 each needed); its row is NaN"
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = wave_attrition(fu, learning=few)
    assert [(w.category, str(w.message)) for w in caught] == [(EvalkitWarning, message)]
    gain = out.loc["gain"]
    assert gain[["n", "n_dropped", "n_stayed"]].tolist() == [5.0, 1.0, 4.0]
    assert gain[["estimate", "ci_low", "ci_high", "p", "mean_dropped", "mean_stayed"]].isna().all()
    # exactly 2 in each group is enough: p4 and p5 dropped, r1 and r2 of c stayed
    two = fu[~fu["participant_id"].isin(["p1", "p2", "p3", "p6"])]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = wave_attrition(two)
    # t.test(c(100, 80), c(60, 20)): difference 50 (hand: (180 - 80) / 2)
    assert out.loc["index_baseline", "estimate"] == pytest.approx(50.0, rel=1e-12)
    assert out.loc["index_baseline", ["n_dropped", "n_stayed"]].tolist() == [2.0, 2.0]


# --- attrition_by_wave, _welch, _person_waves -------------------------------------------
def _long_data() -> pd.DataFrame:
    """``_attrition_data`` plus waves 0 (p1), 12 (p1, p3) and 24 (s1 of cohort d alone).

    POMP of the 1-5 item (the default ``scale_min=1``): (score - 1) / 4 x 100.
    """
    fu, _ = _attrition_data()
    more = pd.DataFrame(
        {
            "cohort_id": ["a", "a", "a", "d"],
            "participant_id": ["p1", "p1", "p3", "s1"],
            "months_after": [0, 12, 12, 24],
            "score": [5, 5, 3, 4],
        }
    ).assign(rater="self", item="b1", scale_max=5)
    return pd.concat([fu, more], ignore_index=True)


def _learning_with_duplicate() -> pd.DataFrame:
    _, learning = _attrition_data()
    # a second row of p1 (say a retake): only the first counts
    dup = pd.DataFrame({"cohort_id": ["a"], "participant_id": ["p1"], "pre": [0], "post": [100]})
    return pd.concat([learning, dup], ignore_index=True)


_BY_WAVE_COLUMNS = ["months_after", "measure", "estimate", "ci_low", "ci_high", "p", "n",
                    "n_dropped", "n_stayed", "mean_dropped", "mean_stayed"]  # fmt: skip


def test_attrition_by_wave_against_r_prop_test_and_welch():
    # tests/reference/survivors_waves.R. Wave 6: cohorts a and c due, 8 rated at 3 months,
    # p4-p6 dropped. Wave 12: only cohort a due, 6 rated, p2, p4, p5, p6 dropped.
    # Wave 24: only cohort d due, nobody of it rated at 3 months (n = 0).
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = attrition_by_wave(_long_data(), learning=_learning_with_duplicate())
    assert out.columns.tolist() == _BY_WAVE_COLUMNS
    assert out["months_after"].tolist() == [6] * 4 + [12] * 4 + [24] * 4
    assert out["measure"].tolist() == ["dropped_out", "index_baseline", "pre", "gain"] * 3
    out = out.set_index(["months_after", "measure"])
    cols = ["estimate", "ci_low", "ci_high", "p"]
    ref = {
        # prop.test(3, 8) and prop.test(4, 6), correct = FALSE
        (6, "dropped_out"): [3 / 8, 0.136844285823597, 0.694257605397373],
        (12, "dropped_out"): [4 / 6, 0.299993315138392, 0.903228588894220],
        # Welch t.test(dropped, stayed): estimate, conf.int, p.value
        (6, "index_baseline"): [26.6666666666667, -49.5500607086158, 102.883394041949,
                                0.364235078231045],
        (6, "pre"): [-13.3333333333333, -56.5959855971652, 29.9293189304985, 0.390474928517848],
        (6, "gain"): [-12.9166666666667, -34.4615580655589, 8.62822473222553, 0.179701199084268],
        (12, "index_baseline"): [-6.25, -69.2568048509595, 56.7568048509594, 0.795486662978909],
        (12, "pre"): [-22.5, -68.9820502093996, 23.9820502093996, 0.20187753440856],
        (12, "gain"): [-11.25, -34.4910251046998, 11.9910251046998, 0.20187753440856],
    }  # fmt: skip
    for key, values in ref.items():
        np.testing.assert_allclose(out.loc[key, cols[: len(values)]].to_numpy(float), values,
                                   rtol=1e-12, err_msg=str(key))  # fmt: skip
    assert np.isnan(out.loc[(6, "dropped_out"), "p"])
    counts = ["n", "n_dropped", "n_stayed"]
    assert out.loc[(6, "dropped_out"), counts].tolist() == [8.0, 3.0, 5.0]
    assert out.loc[(6, "pre"), counts].tolist() == [8.0, 3.0, 5.0]
    assert out.loc[(6, "gain"), counts].tolist() == [7.0, 3.0, 4.0]  # r1 has no post-test
    assert out.loc[(12, "dropped_out"), counts].tolist() == [6.0, 4.0, 2.0]
    # means by hand: POMP 100, 75, 25 | 50, 25, 75, 50, 0; pre 60, 30, 20 | 50, 40, 70, 50,
    # 40; gain -5, 0, 15 | 10, 5, 20, 30. At 12: pre 40, 60, 30, 20 | 50, 70
    means = ["mean_dropped", "mean_stayed"]
    assert out.loc[(6, "index_baseline"), means].tolist() == pytest.approx([200 / 3, 40])
    assert out.loc[(6, "pre"), means].tolist() == pytest.approx([110 / 3, 50])
    assert out.loc[(6, "gain"), means].tolist() == pytest.approx([10 / 3, 65 / 4])
    assert out.loc[(12, "pre"), means].tolist() == pytest.approx([37.5, 60])
    assert out.loc[(6, "dropped_out"), means].isna().all()
    empty = out.loc[24]
    assert (empty[counts] == 0).all().all()
    assert empty[["estimate", "ci_low", "ci_high", "p", *means]].isna().all().all()


def test_attrition_by_wave_baseline_level_and_names():
    fu = _long_data()
    # baseline 6 given: waves 12 and 24 after it. At 12 (cohort a): p1, p2, p3, p7 rated at
    # 6, p2 and p7 dropped; POMP 50, 100 | 75, 75 (R: prop.test(2, 4), t.test, level 0.9)
    out = attrition_by_wave(fu, baseline=6, ci=0.9).set_index(["months_after", "measure"])
    assert out.index.get_level_values(0).unique().tolist() == [12, 24]
    np.testing.assert_allclose(
        out.loc[(12, "dropped_out"), ["estimate", "ci_low", "ci_high"]].to_numpy(float),
        [0.5, 0.182400163254645, 0.817599836745355], rtol=1e-12,
    )  # fmt: skip
    np.testing.assert_allclose(
        out.loc[(12, "index_baseline"), ["estimate", "ci_low", "ci_high", "p"]].to_numpy(float),
        [0, -157.843787866876, 157.843787866876, 1], rtol=1e-12, atol=1e-12,
    )  # fmt: skip
    # the level of the default baseline's interval: prop.test(3, 8, conf.level = 0.9)
    lvl = attrition_by_wave(fu, ci=0.9).set_index(["months_after", "measure"])
    np.testing.assert_allclose(
        lvl.loc[(6, "dropped_out"), ["ci_low", "ci_high"]].to_numpy(float),
        [0.161172337760674, 0.652008561595267], rtol=1e-12,
    )  # fmt: skip
    np.testing.assert_allclose(
        lvl.loc[(6, "index_baseline"), ["ci_low", "ci_high"]].to_numpy(float),
        [-30.6652812873048, 83.9986146206381], rtol=1e-12,
    )  # fmt: skip
    # scale_min passed on: percent of maximum, score / 5 x 100 at 3 months:
    # dropped 100, 80, 40 | stayed 60, 40, 80, 60, 20
    pct = attrition_by_wave(fu, scale_min=None).set_index(["months_after", "measure"])
    assert pct.loc[(6, "index_baseline"), "estimate"] == pytest.approx(220 / 3 - 52)
    # other column names
    learning = _learning_with_duplicate().rename(
        columns={"cohort_id": "angkatan", "pre": "awal", "post": "akhir"}
    )
    out = attrition_by_wave(
        fu.rename(columns={"cohort_id": "angkatan", "months_after": "bulan"}),
        learning=learning, cohort="angkatan",
        months="bulan", pre="awal", post="akhir",
    )  # fmt: skip
    assert out.columns[0] == "bulan"
    gain = out[(out["bulan"] == 6) & (out["measure"] == "gain")].iloc[0]
    assert gain["estimate"] == pytest.approx(-12.9166666666667, rel=1e-12)


def test_attrition_by_wave_waves_at_or_before_training_and_messages():
    # waves -3 and 0 only (ratings before and at the end of the training): nothing after
    # 0, so the first wave (-3) is the baseline and 0 the later wave
    fu = _long_data()
    early = fu[fu["months_after"].isin([3, 6])].replace({"months_after": {3: -3, 6: 0}})
    out = attrition_by_wave(early)
    assert out["months_after"].unique().tolist() == [0]
    assert out.iloc[0]["estimate"] == 3 / 8
    with pytest.raises(
        ParameterError,
        match=r"^attrition_by_wave: no wave after baseline 24 \(waves: \[0, 3, 6, 12, 24\]\)$",
    ):
        attrition_by_wave(fu, baseline=24)
    with pytest.raises(
        ParameterError, match=r"^attrition_by_wave: no wave after baseline 0 \(waves: \[0\]\)$"
    ):
        attrition_by_wave(fu[fu["months_after"] == 0])
    with pytest.raises(ParameterError, match=r"^attrition_by_wave: parameter 'ci'"):
        attrition_by_wave(fu, ci=1.5)
    with pytest.raises(
        ParameterError, match=r"^attrition_by_wave: followup has no column\(s\) \['unit'\]"
    ):
        attrition_by_wave(fu, cohort="unit")
    with pytest.raises(
        ParameterError, match=r"^attrition_by_wave: learning has no column\(s\) \['pre'\]"
    ):
        attrition_by_wave(fu, learning=_learning_with_duplicate().drop(columns="pre"))


def test_wave_indices_message_lists_the_waves():
    fu, _ = _attrition_data()
    with pytest.raises(
        ParameterError,
        match=r"^wave_attrition: parameter 'later' = 9 is not a wave of column 'months_after' "
        r"\(waves: \[3, 6\]\)$",
    ):
        wave_attrition(fu, later=9)


# --- persistence_curve, _person_waves ---------------------------------------------------
def _cohorts() -> pd.DataFrame:
    # a and b in program X, c in Y, d not listed ("?"); a second row of a is ignored; the
    # start column is not merged into the people
    return pd.DataFrame(
        {
            "cohort_id": ["a", "b", "c", "a"],
            "program_id": ["X", "X", "Y", "Z"],
            "index": [1.0, 2.0, 3.0, 4.0],
        }
    )


def test_persistence_curve_per_program_and_wave():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        curve = persistence_curve(_long_data(), cohorts=_cohorts())
    assert curve.columns.tolist() == ["program_id", "months_after", "n", "n_clusters", "mean",
                                      "sd", "se", "df", "ci_low", "ci_high", "method"]  # fmt: skip
    keys = list(zip(curve["program_id"], curve["months_after"], strict=True))
    assert keys == [("?", 24), ("X", 0), ("X", 3), ("X", 6), ("X", 12), ("Y", 3), ("Y", 6)]
    curve = curve.set_index(["program_id", "months_after"])
    # X at 3 months, cohorts a and b: POMP 50, 25, 75, 100, 75, 25 | 0, 100 (R:
    # coefci(lm(index ~ 1), vcovCL(type = "HC1"), df = 1) in tests/reference/survivors_waves.R)
    x3 = curve.loc[("X", 3)]
    assert x3[["n", "n_clusters", "df"]].tolist() == [8.0, 2.0, 1.0]
    assert x3["method"] == "cluster"
    np.testing.assert_allclose(
        x3[["mean", "sd", "se", "ci_low", "ci_high"]].to_numpy(float),
        [56.25, 37.2011904571422, 3.125, 16.5431101994541, 95.9568898005459], rtol=1e-12,
    )  # fmt: skip
    # X at 6 months, cohort a alone (p1, p2, p3, p7: 75, 50, 75, 100): classical,
    # sd sqrt(1250 / 3), se sd / 2, t on 3 df (qt(0.975, 3) = 3.18244630528371)
    x6 = curve.loc[("X", 6)]
    sd = np.sqrt(1250 / 3)
    assert x6["method"] == "classical"
    assert x6[["n", "n_clusters", "mean", "df"]].tolist() == [4.0, 1.0, 75.0, 3.0]
    assert x6[["sd", "se"]].tolist() == pytest.approx([sd, sd / 2], rel=1e-12)
    assert x6[["ci_low", "ci_high"]].tolist() == pytest.approx(
        [75 - 3.18244630528371 * sd / 2, 75 + 3.18244630528371 * sd / 2], rel=1e-12
    )
    # Y at 6: r1 25, r2 100; se 37.5, qt(0.975, 1) = 12.7062047361747
    y6 = curve.loc[("Y", 6)]
    assert y6[["mean", "se", "df"]].tolist() == pytest.approx([62.5, 37.5, 1.0], rel=1e-12)
    assert y6["ci_high"] == pytest.approx(62.5 + 12.7062047361747 * 37.5, rel=1e-12)
    # one person (X at 0, d's s1 at 24 under "?"): mean only
    for key, mean in ((("X", 0), 100.0), (("?", 24), 75.0)):
        row = curve.loc[key]
        assert row[["n", "n_clusters", "mean", "df"]].tolist() == [1.0, 1.0, mean, 0.0]
        assert row[["sd", "se", "ci_low", "ci_high"]].isna().all()
        assert row["method"] == "classical"


def test_persistence_curve_level_cr2_names_and_one_curve():
    fu = _long_data()
    # level passed on: coefci(..., level = 0.9)
    x3 = (
        persistence_curve(fu, cohorts=_cohorts(), ci=0.9)
        .set_index(["program_id", "months_after"])
        .loc[("X", 3)]
    )
    assert x3[["ci_low", "ci_high"]].tolist() == pytest.approx(
        [36.5195265166405, 75.9804734833595], rel=1e-12
    )
    # CR2: clubSandwich::coef_test(vcovCR(type = "CR2"), "Satterthwaite") SE, df 1
    cr2 = persistence_curve(fu, cohorts=_cohorts(), vcov="CR2").set_index(
        ["program_id", "months_after"]
    )
    assert cr2.loc[("X", 3), "se"] == pytest.approx(3.60843918243516, rel=1e-10)
    assert cr2.loc[("X", 3), "df"] == pytest.approx(1.0, rel=1e-10)
    assert cr2.loc[("X", 6), "se"] == pytest.approx(np.sqrt(1250 / 3) / 2, rel=1e-12)
    # without cohorts one curve "all"; scale_min passed on (score / 5 x 100 at 3 months:
    # 60, 40, 80, 100, 80, 40, 20, 100, 60, 20, mean 60)
    one = persistence_curve(fu, scale_min=None)
    assert set(one["program_id"]) == {"all"}
    assert one["months_after"].tolist() == [0, 3, 6, 12, 24]
    row = one.set_index("months_after").loc[3]
    assert row[["n", "n_clusters", "mean"]].tolist() == [10.0, 3.0, 60.0]
    # other column names
    renamed = persistence_curve(
        fu.rename(columns={"cohort_id": "angkatan", "months_after": "bulan"}),
        cohorts=_cohorts().rename(columns={"cohort_id": "angkatan", "program_id": "prog"}),
        program="prog", cohort="angkatan", months="bulan",
    )  # fmt: skip
    assert renamed.columns[:2].tolist() == ["prog", "bulan"]
    assert renamed.set_index(["prog", "bulan"]).loc[("X", 3), "se"] == pytest.approx(3.125)
    with pytest.raises(ParameterError, match=r"^persistence_curve: parameter 'ci'"):
        persistence_curve(fu, ci=0)
    with pytest.raises(
        ParameterError,
        match=r"^persistence_curve: cohorts has no column\(s\) \['program_id'\]",
    ):
        persistence_curve(fu, cohorts=_cohorts().drop(columns="program_id"))
    with pytest.raises(
        ParameterError, match=r"^persistence_curve: followup has no column\(s\) \['bulan'\]"
    ):
        persistence_curve(fu, months="bulan")


# --- long_term_evidence -----------------------------------------------------------------
def test_long_term_evidence_against_power_t_test():
    # changes from 3 months (tests/reference/survivors_waves.R): at 6, p1 25, p2 25, p3 0,
    # r1 -25, r2 100 (cohorts a, c); at 12, p1 50, p3 -25; at 24, nobody
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = long_term_evidence(_long_data())
    assert out.columns.tolist() == ["months_after", "n_pairs", "n_clusters", "mean_change",
                                    "sd_change", "mde_dz", "mde_points", "detectable"]  # fmt: skip
    assert out["months_after"].tolist() == [6, 12, 24]
    w6, w12, w24 = (out.iloc[i] for i in range(3))
    mde = 1.68199696595358  # power.t.test(n = 5, power = 0.8, type = "paired", strict = TRUE)$delta
    assert w6[["n_pairs", "n_clusters"]].tolist() == [5.0, 2.0]
    np.testing.assert_allclose(
        w6[["mean_change", "sd_change", "mde_dz", "mde_points"]].to_numpy(float),
        [25, 46.7707173346743, mde, mde * 46.7707173346743], rtol=1e-10,
    )  # fmt: skip
    assert not w6["detectable"]
    # 2 pairs: mean and sd, no MDE (3 pairs needed)
    assert w12[["n_pairs", "n_clusters", "mean_change"]].tolist() == [2.0, 1.0, 12.5]
    assert w12["sd_change"] == pytest.approx(53.0330085889911, rel=1e-12)
    assert np.isnan(w12["mde_dz"]) and np.isnan(w12["mde_points"]) and not w12["detectable"]
    assert w24[["n_pairs", "n_clusters"]].tolist() == [0.0, 0.0]
    assert w24[["mean_change", "sd_change", "mde_dz"]].isna().all() and not w24["detectable"]
    # alpha and power passed on: power.t.test(n = 5, sig.level = 0.1, power = 0.9)
    other = long_term_evidence(_long_data(), alpha=0.1, power=0.9)
    assert other.iloc[0]["mde_dz"] == pytest.approx(1.6099405277977, rel=1e-10)
    # baseline 6 given: 12 and 24 after it; at 12 p1 25, p3 -25
    from6 = long_term_evidence(_long_data(), baseline=6)
    assert from6["months_after"].tolist() == [12, 24]
    assert from6.iloc[0][["n_pairs", "mean_change"]].tolist() == [2.0, 0.0]


def test_long_term_evidence_detectable_decline_and_one_pair():
    # three people of cohorts e and f fall by 30, 40, 50 points from 3 to 6 months
    # (POMP 100 -> 70, 60, 50): mean -40, sd 10; MDE 3.26404354969677 (power.t.test, strict,
    # n = 3) x 10 = 32.6 < 40, detectable. One of them rated at 12 (a single pair: no sd).
    fu = pd.DataFrame(
        {
            "cohort_id": ["e", "e", "f", "e", "e", "f", "e"],
            "participant_id": ["u1", "u2", "u3", "u1", "u2", "u3", "u1"],
            "months_after": [3, 3, 3, 6, 6, 6, 12],
            "score": [5, 5, 5, 3.8, 3.4, 3.0, 4.0],
        }
    ).assign(rater="self", item="b1", scale_max=5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = long_term_evidence(fu.rename(columns={"cohort_id": "angkatan", "months_after": "bulan"}),
                                 cohort="angkatan", months="bulan")  # fmt: skip
    assert out.columns[0] == "bulan"
    w6, w12 = out.iloc[0], out.iloc[1]
    assert w6["n_clusters"] == 2.0
    assert w6[["mean_change", "sd_change"]].tolist() == pytest.approx([-40.0, 10.0], rel=1e-12)
    assert w6["mde_points"] == pytest.approx(32.6404354969677, rel=1e-10)
    assert w6["detectable"]
    assert w12[["n_pairs", "mean_change"]].tolist() == pytest.approx([1.0, -25.0])
    assert np.isnan(w12["sd_change"]) and not w12["detectable"]
    # waves before the training only: the first is the baseline
    early = long_term_evidence(fu.replace({"months_after": {3: -6, 6: -3, 12: 0}}))
    assert early["months_after"].tolist() == [-3, 0]


def test_wave_attrition_learning_messages_and_rows_after_a_too_few_row():
    fu, learning = _attrition_data()
    for column in ("awal", "akhir"):
        bad = learning.rename(columns={"pre": "awal", "post": "akhir"}).astype({column: object})
        bad.loc[0, column] = "tinggi"
        with pytest.raises(
            ParameterError,
            match=rf"^wave_attrition: column '{column}' must be numeric, got dtype object "
            r"\(e\.g\. value 'tinggi'\)$",
        ):
            wave_attrition(fu, learning=bad, pre="awal", post="akhir")
    # only p4 dropped out (p5, p6 left out): index_baseline 1 and 5, too few, and the gain
    # row still follows it (1 and 4)
    one = fu[~fu["participant_id"].isin(["p5", "p6"])]
    with pytest.warns(EvalkitWarning, match="too few to compare"):
        out = wave_attrition(one, learning=learning)
    assert out.index.tolist() == ["dropped_out", "index_baseline", "gain"]
    assert out.loc["gain", ["n_dropped", "n_stayed"]].tolist() == [1.0, 4.0]
    assert np.isnan(out.loc["gain", "estimate"])


def test_long_term_evidence_first_wave_after_training_messages_and_no_later_wave():
    fu = _long_data()
    # waves 0, 1 and 3 (3 and 6 renumbered 1 and 3): the first after training is 1
    early = fu[fu["months_after"].isin([0, 3, 6])].replace({"months_after": {3: 1, 6: 3}})
    out = long_term_evidence(early)
    assert out["months_after"].tolist() == [3]
    assert out.iloc[0][["n_pairs", "mean_change"]].tolist() == [5.0, 25.0]
    # one wave only: no row, the listed columns
    only = long_term_evidence(fu[fu["months_after"] == 3])
    assert only.empty
    assert only.columns.tolist() == ["months_after", "n_pairs", "n_clusters", "mean_change",
                                     "sd_change", "mde_dz", "mde_points", "detectable"]  # fmt: skip
    with pytest.raises(
        ParameterError, match=r"^long_term_evidence: followup has no column\(s\) \['unit'\]"
    ):
        long_term_evidence(fu, cohort="unit")


def test_attrition_by_wave_first_wave_after_training_and_learning_messages():
    fu = _long_data()
    # waves 0, 1 and 3 (3 and 6 renumbered 1 and 3): the first after training is 1
    early = fu[fu["months_after"].isin([0, 3, 6])].replace({"months_after": {3: 1, 6: 3}})
    out = attrition_by_wave(early)
    assert out["months_after"].unique().tolist() == [3]
    assert out.iloc[0][["n", "n_dropped"]].tolist() == [8.0, 3.0]
    _, learning = _attrition_data()
    for column in ("awal", "akhir"):
        bad = learning.rename(columns={"pre": "awal", "post": "akhir"}).astype({column: object})
        bad.loc[0, column] = "tinggi"
        with pytest.raises(
            ParameterError,
            match=rf"^attrition_by_wave: column '{column}' must be numeric, got dtype object "
            r"\(e\.g\. value 'tinggi'\)$",
        ):
            attrition_by_wave(fu, learning=bad, pre="awal", post="akhir")


def test_attrition_by_wave_one_person_rated_at_baseline():
    # one person, rated at 3 and 6 months: 0 of 1 dropped. Wilson at x = 0, n = 1 (hand):
    # low 0, high (z^2 / 2 + z^2 / 2) / (1 + z^2) = z^2 / (1 + z^2), z = qnorm(0.975)
    fu = pd.DataFrame(
        {"cohort_id": "a", "participant_id": "p1", "months_after": [3, 6], "score": [3, 4]}
    ).assign(rater="self", item="b1", scale_max=5)
    z2 = 1.959963984540054**2
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = attrition_by_wave(fu)
    row = out.iloc[0]
    assert row[["estimate", "ci_low", "n", "n_dropped", "n_stayed"]].tolist() == [0, 0, 1, 0, 1]
    assert row["ci_high"] == pytest.approx(z2 / (1 + z2), rel=1e-12)


def test_no_rated_wave_at_all():
    # every score missing: no person has an index at any wave
    fu = pd.DataFrame(
        {"cohort_id": "a", "participant_id": ["p", "q"], "months_after": [3, 6]}
    ).assign(score=np.nan, rater="self", item="b1", scale_max=5)
    with pytest.raises(
        ParameterError, match=r"^attrition_by_wave: no wave after baseline None \(waves: \[\]\)$"
    ):
        attrition_by_wave(fu)
    assert long_term_evidence(fu).empty


def test_wave_indices_months_column_message_and_text_waves():
    fu, _ = _attrition_data()
    with pytest.raises(
        ParameterError,
        match=r"^wave_attrition: followup has no column\(s\) \['bulan'\]; available: ",
    ):
        wave_attrition(fu, months="bulan")
    # a wave written as text ("baseline") is not a number: its rows are left out
    text = pd.concat(
        [fu.astype({"months_after": object}), fu.iloc[[0]].assign(months_after="baseline")],
        ignore_index=True,
    )
    out = wave_attrition(text)
    assert out.loc["dropped_out", ["n", "n_dropped"]].tolist() == [8.0, 3.0]


def test_behavior_change_later_wave_given_first():
    # baseline 6, later 3: the change is 3 - 6 months, minus the docstring's 100 / 6
    out = behavior_change(_two_waves(["a", "a", "b", "b", "c", "c"]), baseline=6, later=3)
    assert out["mean_change"] == pytest.approx(-100 / 6, rel=1e-12)
    assert out["mean_baseline"] == pytest.approx(440 / 6, rel=1e-12)


def test_welch_rows_when_neither_group_varies():
    # everybody's baseline index is 60 (score 3 of 5): the difference is exactly 0, and
    # with no spread in either group Welch's df is 0 / 0, so p and the interval are NaN
    # (R's t.test stops: "data are essentially constant"); no NumPy warning
    fu = pd.DataFrame(
        {"cohort_id": "a", "participant_id": ["p1", "p1", "p2", "p2", "p3", "p4"],
         "rater": "self", "item": "b1", "months_after": [3, 6, 3, 6, 3, 3], "score": 3,
         "scale_max": 5}
    )  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = wave_attrition(fu)
    row = out.loc["index_baseline"]
    assert (row["estimate"], row["mean_dropped"], row["mean_stayed"]) == (0.0, 60.0, 60.0)
    assert row[["p", "ci_low", "ci_high"]].isna().all()
    # the two groups apart but neither varying: those who stayed 80, who dropped out 60;
    # se 0, so t is infinite, but Welch's df is still 0 / 0: p and interval NaN
    apart = fu.assign(score=[4, 4, 4, 4, 3, 3])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        row = wave_attrition(apart).loc["index_baseline"]
    assert (row["estimate"], row["mean_dropped"], row["mean_stayed"]) == (-20.0, 60.0, 80.0)
    assert row[["p", "ci_low", "ci_high"]].isna().all()
    by_wave = fu.assign(months_after=[3, 12, 3, 12, 3, 3])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = attrition_by_wave(by_wave)
    row = out.set_index("measure").loc["index_baseline"]
    assert (row["estimate"], row["mean_dropped"], row["mean_stayed"]) == (0.0, 50.0, 50.0)
    assert row[["p", "ci_low", "ci_high"]].isna().all()
