"""Intervals and interval-based flags of the test item analysis (evalkit.metrics.knowledge_test).

Reference values are literals from ``tests/reference/level2_omega.R`` (R 4.2.2, psych
2.2.9) on 30 examinees of ``psych::lsat6`` (``level2_lsat6_30.csv``); the R call is
beside each. The point statistics (p, D, r, KR-20) are validated in test_learning.py.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import evalkit as ek
from evalkit import reporting as ekr
from evalkit.errors import ParameterError
from evalkit.metrics.knowledge_test import (
    difficulty_flag,
    discrimination_flag,
    discrimination_resamples,
    same_test_groups,
    test_item_analysis,
)

REF = Path(__file__).parent / "reference"
RTOL = 1e-9


@pytest.fixture(scope="module")
def lsat30() -> pd.DataFrame:
    return pd.read_csv(REF / "level2_lsat6_30.csv")


@pytest.fixture(scope="module")
def result(lsat30) -> pd.DataFrame:
    return test_item_analysis(lsat30, n_boot=200)


def test_difficulty_interval_is_prop_test_wilson(result):
    # prop.test(sum(X[[j]]), 30, correct = FALSE)$conf.int, Q1..Q5
    ref = [
        [0.833296090085908, 0.994091409618387],
        [0.455135636547949, 0.781260791938993],
        [0.302323889076998, 0.638577003801267],
        [0.626943035868518, 0.904948928227101],
        [0.833296090085908, 0.994091409618387],
    ]
    got = result[["difficulty_ci_low", "difficulty_ci_high"]].to_numpy()
    np.testing.assert_allclose(got, ref, rtol=RTOL)
    # and it lies inside binom.test's exact (Clopper-Pearson) interval for Q2:
    # binom.test(19, 30)$conf.int = 0.438559849011957 to 0.800701374987965
    assert 0.438559849011957 < got[1, 0] and got[1, 1] < 0.800701374987965


def test_correlation_intervals_are_cor_test_fisher_z(result):
    # cor.test(X[[j]], rowSums(X))$conf.int
    pb = [
        [0.0220550263400334, 0.65066385157011],
        [0.348047087116985, 0.806736141305245],
        [0.446241389260737, 0.84384733100662],
        [0.0128393694880437, 0.645316186487539],
        [-0.200296951382244, 0.501530270742375],
    ]
    # cor.test(X[[j]], rowSums(X) - X[[j]])$conf.int
    rd = [
        [-0.182527089429663, 0.515208604573022],
        [-0.252856509191561, 0.458909039861087],
        [-0.183071995437991, 0.514794380530802],
        [-0.427725984598547, 0.288821777556213],
        [-0.38438707311651, 0.335659929498319],
    ]
    cols = ["point_biserial_ci_low", "point_biserial_ci_high"]
    np.testing.assert_allclose(result[cols].to_numpy(), pb, rtol=RTOL)
    cols = ["r_drop_ci_low", "r_drop_ci_high"]
    np.testing.assert_allclose(result[cols].to_numpy(), rd, rtol=RTOL)


def test_kr20_interval_is_feldt(result):
    # psych::alpha(X)$total$raw_alpha; psych::alpha.ci(kr20, n.obs = 30, n.var = 5)
    assert result["kr20"].iloc[0] == pytest.approx(0.155172413793103, rel=RTOL)
    low, high = result[["kr20_ci_low", "kr20_ci_high"]].iloc[0]
    assert low == pytest.approx(-0.439718201791794, rel=RTOL)
    assert high == pytest.approx(0.552694829712909, rel=RTOL)


def test_discrimination_bootstrap_on_resamples_drawn_in_r(lsat30):
    idx = np.loadtxt(REF / "level2_lsat30_boot.csv", delimiter=",", dtype=int) - 1
    boot = discrimination_resamples(lsat30.to_numpy(float), idx)
    assert boot.shape == (200, 5)
    # quantile(boot_d[, j], c(.025, .975), type = 7): D recomputed in R on each resample
    ref = [
        [0.0, 0.274242424242425],
        [0.199528985507246, 1.0],
        [0.299444444444444, 1.0],
        [-0.00510620915032688, 0.600277777777778],
        [0.0, 0.286071428571429],
    ]
    np.testing.assert_allclose(np.quantile(boot, [0.025, 0.975], axis=0).T, ref, atol=1e-12)
    # the identity resample gives the point estimate: disc(X) in R
    same = discrimination_resamples(lsat30.to_numpy(float), np.arange(30)[None, :])
    np.testing.assert_allclose(
        same[0], [0.0909090909090909, 0.727272727272727, 0.909090909090909,
                  0.363636363636364, 0.0909090909090909], rtol=RTOL,
    )  # fmt: skip


def test_discrimination_resamples_in_chunks_equal_one_pass(lsat30, monkeypatch):
    from evalkit.metrics import knowledge_test

    idx = np.random.default_rng(0).integers(0, 30, size=(57, 30))
    whole = discrimination_resamples(lsat30.to_numpy(float), idx)
    monkeypatch.setattr(knowledge_test, "_CHUNK_CELLS", 30 * 5 * 4)  # 4 resamples a chunk
    np.testing.assert_array_equal(discrimination_resamples(lsat30.to_numpy(float), idx), whole)


def test_discrimination_interval_is_reproducible(lsat30, result):
    again = test_item_analysis(lsat30, n_boot=200)
    pd.testing.assert_frame_equal(result, again)
    other = test_item_analysis(lsat30, n_boot=200, seed=1)
    assert not np.array_equal(
        other["discrimination_ci_low"].to_numpy(), result["discrimination_ci_low"].to_numpy()
    )
    none = test_item_analysis(lsat30, n_boot=0)
    assert none["discrimination_ci_low"].isna().all()
    assert none["discrimination_flag"].isna().all()


def test_flags_follow_the_interval(result):
    # Q3: p .467, Wilson .302-.639, inside .30-.70 -> ideal; Q1 .833-.994 -> easy
    assert result.loc["Q3", "difficulty_flag"] == "ideal"
    assert result.loc["Q1", "difficulty_flag"] == "easy"
    assert result.loc["Q2", "difficulty_flag"] == "uncertain"  # .455-.781 spans .70
    # Q2's D = .73 is "very good" by the point estimate, but its interval starts near .2
    assert result.loc["Q2", "discrimination_band"] == "very good"
    assert result.loc["Q2", "discrimination_flag"] == "uncertain"
    # Q5: D = .09 ("drop" by the point); its interval (0 to about .3) supports at most
    # "revise", never "drop"
    assert result.loc["Q5", "discrimination_band"] == "drop"
    assert result.loc["Q5", "discrimination_flag"] in ("revise", "uncertain")
    expected = discrimination_flag(
        result["discrimination_ci_low"], result["discrimination_ci_high"]
    )
    assert result["discrimination_flag"].tolist() == expected.tolist()


def test_flag_rules_at_the_bounds():
    assert discrimination_flag([0.40, 0.30, -0.5, -0.5, 0.29], [1, 1, 0.1999, 0.20, 0.30]).tolist() == [
        "very good", "good", "drop", "revise", "uncertain",
    ]  # fmt: skip
    assert difficulty_flag([0.30, 0.71, 0.0, 0.2], [0.70, 0.9, 0.29, 0.3]).tolist() == [
        "ideal", "easy", "hard", "uncertain",
    ]  # fmt: skip
    assert pd.isna(discrimination_flag([np.nan], [0.5])[0])
    assert pd.isna(difficulty_flag([0.2], [np.nan])[0])


def test_coin_flip_item_is_rarely_judged_good_at_cohort_size():
    """A planted coin-flip item in 40 cohorts of 25: the point band calls it good or very
    good in about a third of them, the interval in at most the 1-2 a 95% interval allows."""
    rng = np.random.default_rng(2)
    ability = rng.normal(size=(1000, 1))
    items = (ability + rng.normal(size=(1000, 10)) > 0).astype(int)
    items[:, 9] = rng.random(1000) < 0.5  # the coin flip
    wide = pd.DataFrame(items, columns=[f"s{j:02d}" for j in range(1, 11)])
    res = test_item_analysis(wide, by=np.repeat(np.arange(40), 25), n_boot=300)
    coin = res.xs("s10", level="item")
    assert coin["discrimination_band"].isin(["very good", "good"]).sum() >= 10
    assert coin["discrimination_flag"].isin(["very good", "good"]).sum() <= 2
    pooled = test_item_analysis(wide, n_boot=300)
    # n = 1000 settles it: D of a coin flip is about .2 (it is part of the total it is
    # judged by), "revise" at best; the real items are "very good"
    assert pooled.loc["s10", "discrimination_flag"] in ("revise", "drop")
    assert (pooled.drop(index="s10")["discrimination_flag"] == "very good").all()


@pytest.mark.filterwarnings("ignore:test_item_analysis. item.s. .'Q1'")
def test_by_equals_per_group_call_with_intervals(lsat30):
    groups = np.repeat(["a", "b"], 15)
    res = test_item_analysis(lsat30, by=groups, n_boot=100)
    for key in ("a", "b"):
        one = test_item_analysis(lsat30[groups == key], n_boot=100)
        pd.testing.assert_frame_equal(res.loc[key], one)


def test_same_test_groups():
    long = pd.DataFrame(
        {
            "cohort_id": ["K2", "K2", "K1", "K1", "K3", "K3", "K3"],
            "item": ["s01", "s02", "s02", "s01", "s01", "s02", "s03"],
        }
    )
    forms = same_test_groups(long)
    assert forms.to_dict() == {"K1": "form 1", "K2": "form 1", "K3": "form 2"}
    assert forms.name == "test_form"
    with pytest.raises(ParameterError, match="same_test_groups: .*'cohort'"):
        same_test_groups(long.drop(columns="cohort_id"))
    assert ek.same_test_groups is same_test_groups


def test_interval_errors(lsat30):
    with pytest.raises(ParameterError, match="test_item_analysis: parameter 'n_boot'"):
        test_item_analysis(lsat30, n_boot=1.5)
    with pytest.raises(ParameterError, match="test_item_analysis: parameter 'ci'"):
        test_item_analysis(lsat30, ci=0)


# --- the demo's planted items ------------------------------------------------------------
@pytest.fixture(scope="module")
def demo_test_items(tmp_path_factory) -> pd.DataFrame:
    from evalkit.data import demo
    from evalkit.data.clean import clean_study

    root = tmp_path_factory.mktemp("demo")
    raw = demo.write_demo(root / "raw" / "demo", progress=False)
    clean_study(raw, root / "processed" / "demo", progress=False)
    return pd.read_parquet(root / "processed" / "demo" / "test_items.parquet")


@pytest.mark.filterwarnings("ignore::evalkit.errors.EvalkitWarning")
def test_demo_coin_flip_item_and_drop_list(demo_test_items):
    """Planted: s13 is a coin flip, s07 is answered right by (nearly) everyone."""
    res = test_item_analysis(demo_test_items, by="cohort_id")
    coin = res.xs("s13", level="item")
    # the point band calls the coin flip "very good" in one cohort ...
    assert (coin["discrimination_band"] == "very good").any()
    # ... the interval never does
    assert not coin["discrimination_flag"].isin(["very good", "good"]).any()
    # the point bands drop 8 or more of 20 items in a cohort; the intervals only items
    # that everybody answered alike (no information at all in that cohort)
    drops = (res["discrimination_band"] == "drop").groupby(level="cohort_id").sum()
    assert drops.max() >= 8
    flagged = res[res["discrimination_flag"] == "drop"]
    assert len(flagged) <= 6
    assert flagged["difficulty"].isin([0.0, 1.0]).all()
    assert "s07" in flagged.index.get_level_values("item")
    # pooled over the cohorts that sat the same test, the coin flip is still not judged
    # good, and the easy item is dropped
    pooled = ek.pooled_item_analysis(demo_test_items).droplevel("test_form")
    assert pooled["n_cohorts"].iloc[0] == 3
    assert pooled.loc["s13", "discrimination_flag"] not in ("very good", "good")
    assert pooled.loc["s07", "discrimination_flag"] == "drop"
    # its item-rest correlation's interval covers 0, as for an item unrelated to the rest
    assert pooled.loc["s13", "r_drop_ci_low"] < 0 < pooled.loc["s13", "r_drop_ci_high"]


# --- wording -------------------------------------------------------------------------------
def test_conclusion_uses_the_intervals(result):
    text = ekr.knowledge_test_conclusion(result, "en")
    # KR-20 .16 with Feldt's CI -.44 to .55 (psych::alpha.ci), n = 30
    assert "KR-20 = .16; 95% CI −.44 to .55; n = 30" in text
    flags = result["discrimination_flag"]
    n_unsure = int((flags == "uncertain").sum())
    assert f"{n_unsure} items cannot be judged at this n" in text
    assert "should be dropped" not in text or (flags == "drop").any()
    words = ekr.knowledge_test_conclusion(result, "id")
    assert "belum dapat dinilai pada n ini" in words and "KR-20 = 0,16" in words


def test_pooled_conclusion_names_the_cohorts():
    items = pd.DataFrame(
        {"kr20": [0.8, 0.8], "kr20_ci_low": [0.7, 0.7], "kr20_ci_high": [0.86, 0.86],
         "n": [87.0, 87.0], "discrimination_band": ["good", "drop"],
         "discrimination_flag": ["good", "revise"]},
        index=["s1", "s2"],
    )  # fmt: skip
    pooled = {"n_cohorts": 3, "n": 87, "cohorts": "K1, K2, K3"}
    text = ekr.knowledge_test_conclusion(items, "en", pooled=pooled)
    assert text.startswith(
        "Test reliability over the 3 cohorts that sat the same test (K1, K2, K3; n = 87)"
    )
    assert "1 item should be revised (the whole 95% CI of D lies below .30): s2." in text
    assert "cannot be judged" not in text


def test_demo_ledger_item_rows(demo):
    """From the results ledger of the whole demo: the coin-flip item s13 has no interval
    that supports "good" in any cohort report, few items have an interval below .20,
    and KR-20 and omega carry their intervals."""
    root, _ = demo
    ledger = pd.read_csv(root / "reports" / "demo" / "results.csv")
    items = ledger[(ledger["estimand"] == "item_discrimination") & (ledger["level"] == 2)]
    coin = items[items["group"].astype(str).str.endswith("s13")]
    assert len(coin) >= 3  # the three cohorts with item answers (and the pooled row)
    assert (coin["ci_low"] < 0.30).all()
    per_report = items[items["ci_high"] < 0.20].groupby("report").size()
    assert per_report.max() <= 3
    for estimand in ("kr20", "omega", "alpha"):
        rows = ledger[ledger["estimand"] == estimand]
        assert len(rows) and rows[["ci_low", "ci_high"]].notna().all().all(), estimand
        assert (rows["ci_low"] <= rows["estimate"]).all() and (
            rows["estimate"] <= rows["ci_high"]
        ).all()
    pomp = ledger[ledger["estimand"] == "pomp"]
    assert pomp["estimate"].between(0, 100).all()
    # every POMP row has its interval, but the reference means a sentence names beside an
    # estimate that has one: the two means a 3 -> 6 month change or the response shift is
    # between, and the all-alumni value each needs group is set against
    auxiliary = "the means the change is between|what each group is set against|the two means"
    between = pomp["method"].str.contains(auxiliary)
    assert between.any() and pomp.loc[~between, "ci_low"].notna().all()
    assert (
        ledger.loc[(ledger["estimand"] == "change") & (ledger["level"] == 3), "ci_low"]
        .notna()
        .any()
    )
