"""Level 2 (evalkit.metrics.learning) against R reference values and SciPy, by= against per-group
calls, and every error path.

Reference numbers come from tests/reference/level12.R (output in level12_output.txt);
each literal names the R call that produced it. Tolerance: rel 1e-9 unless stated.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from evalkit.errors import EvalkitWarning, ParameterError
from evalkit.metrics.knowledge_test import test_item_analysis
from evalkit.metrics.learning import (
    ancova,
    clustered_change,
    hake_band,
    normalized_gain,
    paired_change,
    pass_rate,
)

REF = Path(__file__).parent / "reference"
RTOL = 1e-9


@pytest.fixture(scope="module")
def anorexia() -> pd.DataFrame:
    return pd.read_csv(REF / "level12_anorexia.csv")


@pytest.fixture(scope="module")
def scores() -> pd.DataFrame:
    return pd.read_csv(REF / "level12_scores.csv")


# paired(key, pre, post, max_score) in level12.R:
#   t.test(post, pre, paired = TRUE)                    -> t, df, p, ci_low, ci_high
#   wilcox.test(post, pre, paired = TRUE, exact = FALSE, correct = FALSE) -> V, p
#   mean(d) / sd(d); mean(d) / sqrt((var(pre) + var(post)) / 2); hedges_j(n - 1) * d_av
#   hedges_g CI: uniroot on pt(t, n - 1, ncp) for the noncentral-t limits, rescaled
#   (mean(post) - mean(pre)) / (max - mean(pre)); mean of individual gains where pre < max
PAIRED_REF = {
    "anorexia": dict(n=72.0, mean_diff=2.76388888888889, sd_diff=7.98359771975397, t=2.93756971889067, df=71.0, p=0.00445771807867015, ci_low=0.887835400175987, ci_high=4.63994237760179, d_z=0.346195911405975, d_av=0.408799451422806, hedges_g=0.404463328013506, hedges_g_ci_low=0.125208437447717, hedges_g_ci_high=0.68103012161638, wilcoxon_w=1724.5, wilcoxon_p=0.010515250346046),
    "anorexia.CBT": dict(n=29.0, mean_diff=3.00689655172414, sd_diff=7.30850439236387, t=2.21558784393117, df=28.0, p=0.0350225975621888, ci_low=0.226890158358777, ci_high=5.7869029450895, d_z=0.411424333939763, d_av=0.440400305262715, hedges_g=0.42847960047058, hedges_g_ci_low=0.0298036666765898, hedges_g_ci_high=0.820129411882611, wilcoxon_w=303.5, wilcoxon_p=0.0629197226260267),
    "anorexia.Cont": dict(n=26.0, mean_diff=-0.449999999999999, sd_diff=7.98870452576637, t=-0.287225391015025, df=25.0, p=0.776307062219417, ci_low=-3.67670758829431, ci_high=2.77670758829431, d_z=-0.0563295335994205, d_av=-0.0857504781692692, hedges_g=-0.0831475721068335, hedges_g_ci_low=-0.650165947765638, hedges_g_ci_high=0.485522410912358, wilcoxon_w=150.0, wilcoxon_p=0.736605730258806),
    "anorexia.FT": dict(n=17.0, mean_diff=7.26470588235294, sd_diff=7.15742107679772, t=4.18490813529003, df=16.0, p=0.000700253105600539, ci_low=3.58469953587755, ci_high=10.9447122288283, d_z=1.0149893103122, d_av=1.04318299829122, hedges_g=0.993375010525513, hedges_g_ci_low=0.406297120158503, hedges_g_ci_high=1.56030943870164, wilcoxon_w=142.0, wilcoxon_p=0.00193098993575791),
    "sleep": dict(n=10.0, mean_diff=1.58, sd_diff=1.22999548327987, t=4.06212768338204, df=9.0, p=0.00283289019738427, ci_low=0.700114236723018, ci_high=2.45988576327698, d_z=1.28455756259105, d_av=0.83218108134954, hedges_g=0.76050939567012, hedges_g_ci_low=0.245476196330726, hedges_g_ci_high=1.25395039192715, wilcoxon_w=45.0, wilcoxon_p=0.00763244164820552),
    "scores": dict(n=24.0, mean_diff=11.25, sd_diff=7.10939366337732, t=7.75221092292698, df=23.0, p=7.32732494723254e-08, ci_low=8.24796634165529, ci_high=14.2520336583447, d_z=1.58241342830011, d_av=0.752808572147611, hedges_g=0.7279449018293, hedges_g_ci_low=0.445863219830863, hedges_g_ci_high=1.00295143569027, wilcoxon_w=190.0, wilcoxon_p=9.83526740638206e-05, hake_g=0.291891891891892, hake_g_mean=0.298447566925828),
    "scores.K1": dict(n=12.0, mean_diff=12.0833333333333, sd_diff=7.82139644975515, t=5.35171625490973, df=11.0, p=0.000233199555192585, ci_low=7.11385511656343, ci_high=17.0528115501032, d_z=1.54490741019931, d_av=0.733339146587818, hedges_g=0.681975933408607, hedges_g_ci_low=0.299160072026693, hedges_g_ci_high=1.05146296972008, wilcoxon_w=45.0, wilcoxon_p=0.00645895426689299, hake_g=0.302083333333333, hake_g_mean=0.319687887869706),
    "scores.K2": dict(n=12.0, mean_diff=10.4166666666667, sd_diff=6.55686085275753, t=5.50330297297312, df=11.0, p=0.000185312690571708, ci_low=6.2506360367796, ci_high=14.5826972965537, d_z=1.58866672643905, d_av=0.75037528148458, hedges_g=0.697818854179922, hedges_g_ci_low=0.310979039953295, hedges_g_ci_high=1.07145691694575, wilcoxon_w=55.0, wilcoxon_p=0.00445535235547175, hake_g=0.280898876404494, hake_g_mean=0.278977272727273),
}  # fmt: skip

SLEEP_PRE = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_POST = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]


def _check(row: pd.Series, ref: dict, rtol: float = RTOL) -> None:
    for col, value in ref.items():
        assert row[col] == pytest.approx(value, rel=rtol), col


def test_paired_change_anorexia_matches_r(anorexia):
    _check(paired_change(anorexia["Prewt"], anorexia["Postwt"]), PAIRED_REF["anorexia"])


def test_paired_change_by_treatment_matches_r(anorexia):
    res = paired_change(anorexia["Prewt"], anorexia["Postwt"], by=anorexia["Treat"])
    assert list(res.index) == ["CBT", "Cont", "FT"] and res.index.name == "Treat"
    for treat in res.index:
        _check(res.loc[treat], PAIRED_REF[f"anorexia.{treat}"])


def test_paired_change_sleep_matches_r():
    _check(paired_change(SLEEP_PRE, SLEEP_POST), PAIRED_REF["sleep"])


def test_paired_change_ties_zeros_and_hake_match_r(scores):
    # integer scores with tied |d| and zero differences: tie and zero corrections
    _check(paired_change(scores["pre"], scores["post"], max_score=100), PAIRED_REF["scores"])
    res = paired_change(scores["pre"], scores["post"], max_score=100, by=scores["cohort_id"])
    for cohort in ("K1", "K2"):
        _check(res.loc[cohort], PAIRED_REF[f"scores.{cohort}"])
    assert res.loc["K1", "wilcoxon_n"] == 9  # 3 zero differences dropped


def test_wilcoxon_matches_scipy_approx():
    rng = np.random.default_rng(20251127)
    pre = rng.integers(30, 80, size=300).astype(float)
    post = pre + rng.integers(-6, 12, size=300)  # many ties and zeros
    res = paired_change(pre, post)
    ref = stats.wilcoxon(post - pre, method="approx", zero_method="wilcox", correction=False)
    assert res["wilcoxon_p"] == pytest.approx(ref.pvalue, rel=1e-12)
    n = res["wilcoxon_n"]
    assert min(res["wilcoxon_w"], n * (n + 1) / 2 - res["wilcoxon_w"]) == ref.statistic


def test_paired_change_agrees_with_pingouin(anorexia):
    pg = pytest.importorskip("pingouin")
    ours = paired_change(anorexia["Prewt"], anorexia["Postwt"])
    ref = pg.ttest(anorexia["Postwt"], anorexia["Prewt"], paired=True)
    # pingouin 0.7 names the p-value column p_val; its CI95 is rounded, so not compared
    assert ours["t"] == pytest.approx(ref["T"].iloc[0], rel=1e-12)
    assert ours["p"] == pytest.approx(ref["p_val"].iloc[0], rel=1e-10)


def _cohorts(seed: int = 1, groups: int = 80) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    sizes = rng.integers(2, 30, size=groups)
    cohort = np.repeat([f"K{i:03d}" for i in range(groups)], sizes)
    pre = rng.integers(20, 90, size=len(cohort)).astype(float)
    post = np.minimum(100, pre + rng.integers(-10, 25, size=len(cohort)))
    df = pd.DataFrame({"cohort_id": cohort, "pre": pre, "post": post})
    df.loc[3, "post"] = np.nan
    return df.sample(frac=1, random_state=seed).reset_index(drop=True)


def test_paired_change_by_equals_per_group_call():
    df = _cohorts()
    res = paired_change(df["pre"], df["post"], max_score=100, by=df["cohort_id"])
    assert len(res) == df["cohort_id"].nunique()
    for key in res.index:
        part = df[df["cohort_id"] == key]
        with np.errstate(all="ignore"):
            one = paired_change(part["pre"], part["post"], max_score=100)
        np.testing.assert_allclose(res.loc[key].to_numpy(float), one.to_numpy(float), rtol=1e-9)


def test_normalized_gain_matches_r(scores):
    with pytest.warns(EvalkitWarning, match="1 participant"):
        g = normalized_gain(scores["pre"], scores["post"], 100)
    # (post - pre) / (100 - pre) in R; NaN where pre = 100
    ref = [0.333333333333333, 0.333333333333333, 0.0, 0.375, 0.5, 0.363636363636364, 0.0,
           0.428571428571429, 0.5, np.nan, 0.307692307692308, 0.375, 0.3, 0.2, 0.0, 0.5,
           0.333333333333333, 0.333333333333333, 0.5, 0.2, 0.375, 0.272727272727273, 0.0,
           0.333333333333333]  # fmt: skip
    np.testing.assert_allclose(g.to_numpy(), ref, rtol=1e-12)
    assert g.name == "hake_g" and g.index.equals(scores.index)


def test_normalized_gain_per_person_max():
    g = normalized_gain(pd.Series([5.0, 10]), pd.Series([7.5, 15]), [10, 20])
    assert g.tolist() == [0.5, 0.5]


def test_hake_bands():
    assert hake_band(pd.Series([0.29, 0.3, 0.7, np.nan])).tolist() == [
        "low",
        "medium",
        "high",
        np.nan,
    ]
    assert hake_band(0.5).tolist() == ["medium"]


def test_pass_rate_matches_prop_test(scores):
    res = pass_rate(scores["post"], 70)
    # prop.test(sum(post >= 70), 24, correct = FALSE)$conf.int
    assert (res["n"], res["n_pass"]) == (24, 14)
    assert res["ci_low"] == pytest.approx(0.388346658652288, rel=RTOL)
    assert res["ci_high"] == pytest.approx(0.755323973901882, rel=RTOL)
    by = pass_rate(scores["post"], 70, by=scores["cohort_id"])
    for cohort in ("K1", "K2"):
        # prop.test(7, 12, correct = FALSE)$conf.int
        assert by.loc[cohort, "n_pass"] == 7
        assert by.loc[cohort, "ci_low"] == pytest.approx(0.31951131254955, rel=RTOL)
        assert by.loc[cohort, "ci_high"] == pytest.approx(0.806739686341243, rel=RTOL)


def test_ancova_matches_car_anova(anorexia):
    res = ancova(anorexia, group="Treat", dv="Postwt", covariate="Prewt")
    assert list(res.index) == ["Prewt", "Treat", "residual"]
    # car::Anova(lm(Postwt ~ Prewt + Treat, data = anorexia), type = 2)
    np.testing.assert_allclose(
        res["ss"], [353.794908555968, 766.272812755677, 3311.26261991961], rtol=RTOL
    )
    np.testing.assert_allclose(res["df"], [1.0, 2.0, 68.0])
    np.testing.assert_allclose(res["f"][:2], [7.26552271543774, 7.86807892462649], rtol=RTOL)
    np.testing.assert_allclose(res["p"][:2], [0.008850032313948, 0.000843839823857504], rtol=RTOL)
    eta = res["partial_eta_sq"]
    assert eta["Treat"] == pytest.approx(766.272812755677 / (766.272812755677 + 3311.26261991961))


# --- test item analysis -------------------------------------------------------------------


@pytest.fixture(scope="module")
def lsat6() -> pd.DataFrame:
    return pd.read_csv(REF / "level12_lsat6.csv")


def test_test_item_analysis_matches_r(lsat6):
    res = test_item_analysis(lsat6)
    assert list(res.index) == ["Q1", "Q2", "Q3", "Q4", "Q5"]
    # colMeans(lsat6)
    np.testing.assert_allclose(res["difficulty"], [0.924, 0.709, 0.553, 0.763, 0.87], rtol=RTOL)
    # sapply(lsat6, function(x) cor(x, rowSums(lsat6)))
    np.testing.assert_allclose(
        res["point_biserial"],
        [0.362010437161764, 0.566772095384459, 0.618439753567376, 0.534418326243924,
         0.435366427887606],
        rtol=RTOL,
    )  # fmt: skip
    # psych::alpha(lsat6)$total$raw_alpha (KR-20), $item.stats$r.drop, $alpha.drop$raw_alpha
    np.testing.assert_allclose(res["kr20"], 0.294997192215944, rtol=RTOL)
    np.testing.assert_allclose(
        res["r_drop"],
        [0.112832688922342, 0.15317812011653, 0.17277894329109, 0.144428095247094,
         0.121596402547096],
        rtol=RTOL,
    )  # fmt: skip
    np.testing.assert_allclose(
        res["kr20_if_dropped"],
        [0.275356210798234, 0.237583904646682, 0.216799462943282, 0.245932710433571,
         0.266294411208251],
        rtol=RTOL,
    )  # fmt: skip
    # colMeans(lsat6[total >= high_cut, ]) and [total <= low_cut, ], m = floor(.27 n + .5)
    np.testing.assert_allclose(res["p_upper"], [1.0, 1.0, 1.0, 1.0, 1.0])
    np.testing.assert_allclose(
        res["p_lower"],
        [0.823188405797101, 0.388405797101449, 0.205797101449275, 0.489855072463768,
         0.704347826086957],
        rtol=RTOL,
    )  # fmt: skip
    assert res["discrimination_band"].tolist() == [
        "drop",
        "very good",
        "very good",
        "very good",
        "revise",
    ]
    assert res["difficulty_band"].tolist() == ["easy", "easy", "ideal", "easy", "easy"]


def test_kr20_agrees_with_pingouin(lsat6):
    pg = pytest.importorskip("pingouin")
    alpha, _ = pg.cronbach_alpha(lsat6)
    assert test_item_analysis(lsat6)["kr20"].iloc[0] == pytest.approx(alpha, rel=1e-12)


def _long_from_wide(wide: pd.DataFrame, cohort: np.ndarray) -> pd.DataFrame:
    frame = wide.assign(participant_id=[f"P{i:05d}" for i in range(len(wide))], cohort_id=cohort)
    long = frame.melt(["cohort_id", "participant_id"], var_name="item", value_name="correct")
    pre = long.assign(phase="pre", correct=1 - long["correct"])  # a different pre test
    return pd.concat([pre, long.assign(phase="post")], ignore_index=True)


def test_test_item_analysis_long_table_equals_wide(lsat6):
    cohort = np.where(np.arange(len(lsat6)) % 3 == 0, "K1", "K2")
    long = _long_from_wide(lsat6, cohort)
    wide_res = test_item_analysis(lsat6.assign(cohort_id=cohort), by="cohort_id")
    long_res = test_item_analysis(long, by="cohort_id")
    pd.testing.assert_frame_equal(long_res, wide_res)
    overall = test_item_analysis(long.drop(columns="cohort_id"), phase="post")
    pd.testing.assert_frame_equal(overall, test_item_analysis(lsat6))


def test_test_item_analysis_by_equals_per_group_call(lsat6):
    rng = np.random.default_rng(4)
    cohort = pd.Series(rng.integers(0, 25, size=len(lsat6)), name="cohort_id")
    res = test_item_analysis(lsat6, by=cohort)
    for key in range(25):
        one = test_item_analysis(lsat6[cohort.to_numpy() == key])
        for col in one.columns:
            got, want = res.loc[key][col].to_numpy(), one[col].to_numpy()
            if got.dtype == object:
                assert got.tolist() == want.tolist(), (key, col)
            else:
                np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12)


def test_discrimination_includes_ties_at_the_cut():
    # totals 0,1,1,1,2,3 (n = 6, m = 2): lower = totals <= 1 (4 examinees), upper >= 2
    wide = pd.DataFrame({"a": [0, 1, 0, 0, 1, 1], "b": [0, 0, 1, 0, 1, 1], "c": [0, 0, 0, 1, 0, 1]})
    res = test_item_analysis(wide)
    np.testing.assert_allclose(res["p_lower"], [0.25, 0.25, 0.25])
    np.testing.assert_allclose(res["p_upper"], [1.0, 1.0, 0.5])
    shuffled = test_item_analysis(wide.iloc[::-1])
    pd.testing.assert_frame_equal(res, shuffled)


# --- warnings on degenerate input --------------------------------------------------------


def test_paired_change_degenerate_groups_warn():
    pre = [1.0, 2, 3, 5, 6, 7]
    post = [2.0, 3, 4, 5, 6, 8]
    with pytest.warns(EvalkitWarning) as record:
        res = paired_change(pre, post, by=["a", "a", "a", "b", "b", "c"])
    messages = " ".join(str(w.message) for w in record)
    assert "1 group(s) have fewer than 2 complete pairs" in messages
    assert "2 group(s) have identical differences" in messages
    assert "1 group(s) have no non-zero difference" in messages
    assert np.isnan(res.loc["c", "t"]) and res.loc["c", "n"] == 1
    assert np.isnan(res.loc["a", "t"]) and res.loc["a", "mean_diff"] == 1
    assert np.isnan(res.loc["b", "wilcoxon_p"]) and res.loc["a", "wilcoxon_n"] == 3


def test_test_item_analysis_warnings():
    wide = pd.DataFrame({"a": [1, 1, 1, 1], "b": [0, 1, 1, 0], "c": [0, 1, np.nan, 1]})
    with pytest.warns(EvalkitWarning) as record:
        res = test_item_analysis(wide)
    messages = " ".join(str(w.message) for w in record)
    assert "1 examinee(s) with an unanswered item" in messages
    assert "['a'] were answered alike by everybody" in messages
    assert np.isnan(res.loc["a", "point_biserial"]) and res.loc["a", "difficulty"] == 1


def test_pass_rate_empty_group_warns():
    with pytest.warns(EvalkitWarning, match="1 group"):
        res = pass_rate([70.0, 60, np.nan], 65, by=["a", "a", "b"])
    assert np.isnan(res.loc["b", "pass_rate"]) and res.loc["a", "pass_rate"] == 0.5


def test_inputs_are_not_mutated(scores):
    before = scores.copy()
    paired_change(scores["pre"], scores["post"], max_score=100, by=scores["cohort_id"])
    pass_rate(scores["post"], 70, by=scores["cohort_id"])
    pd.testing.assert_frame_equal(scores, before)


# --- errors ------------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore::evalkit.errors.EvalkitWarning")
def test_paired_change_errors():
    with pytest.raises(
        ParameterError,
        match=r"paired_change: parameters 'pre' and 'post' must have the same length .* got 3 and 2",
    ):
        paired_change([1, 2, 3], [1, 2])
    with pytest.raises(
        ParameterError, match="paired_change: parameters 'pre' and 'post' are empty"
    ):
        paired_change([], [])
    with pytest.raises(ParameterError, match="needs at least 2 complete pre/post pairs, got 1"):
        paired_change([1.0, np.nan], [2.0, 3.0])
    with pytest.raises(
        ParameterError, match="column 'post' must hold numbers, got non-numeric value 'lulus'"
    ):
        paired_change([1, 2], pd.Series([3, "lulus"], name="post"))
    with pytest.raises(ParameterError, match="parameter 'pre' must be one column"):
        paired_change(pd.DataFrame({"a": [1, 2]}), [1, 2])
    with pytest.raises(
        ParameterError, match=r"parameter 'post' must not exceed max_score, got 105.0 > 100.0"
    ):
        paired_change([50, 60], [105, 70], max_score=100)
    with pytest.raises(ParameterError, match="parameter 'max_score' must be positive, got 0.0"):
        paired_change([50, 60], [55, 70], max_score=0)
    with pytest.raises(
        ParameterError, match="parameter 'max_score' must be a positive number, got 'seratus'"
    ):
        paired_change([50, 60], [55, 70], max_score="seratus")
    with pytest.raises(
        ParameterError, match=r"'max_score' must be one number or one per pair \(2\), got 3"
    ):
        paired_change([50, 60], [55, 70], max_score=[100, 100, 100])
    with pytest.raises(
        ParameterError,
        match="'max_score' must be constant within a group in group 'a', got 10.0 and 100.0",
    ):
        paired_change([5, 6, 50], [6, 7, 55], max_score=[10, 100, 100], by=["a", "a", "b"])
    with pytest.raises(
        ParameterError, match=r"parameter 'by' must have one value per row \(2\), got 3"
    ):
        paired_change([1, 2], [2, 3], by=["a", "b", "c"])
    with pytest.raises(ParameterError, match="paired_change: parameter 'ci' must be a number"):
        paired_change([1, 2], [2, 4], ci=95)


def test_normalized_gain_errors():
    with pytest.raises(
        ParameterError,
        match=r"normalized_gain: parameters 'pre' and 'post' must have the same length",
    ):
        normalized_gain([1, 2], [1], 10)
    with pytest.raises(
        ParameterError,
        match=r"normalized_gain: parameter 'pre' must not exceed max_score, got 12.0 > 10.0 at position 1",
    ):
        normalized_gain([1, 12], [2, 3], 10)
    with pytest.raises(
        ParameterError, match="normalized_gain: parameter 'max_score' must be positive, got -5.0"
    ):
        normalized_gain([1, 2], [2, 3], -5)


def test_pass_rate_errors():
    with pytest.raises(ParameterError, match="pass_rate: parameter 'scores' is empty"):
        pass_rate([], 70)
    with pytest.raises(
        ParameterError, match="pass_rate: parameter 'threshold' must be a number, got 'KKM'"
    ):
        pass_rate([70, 80], "KKM")
    with pytest.raises(
        ParameterError, match="pass_rate: parameter 'scores' has no non-missing value"
    ):
        pass_rate([np.nan, np.nan], 70)


def test_test_item_analysis_errors(lsat6):
    tia = test_item_analysis
    with pytest.raises(
        ParameterError, match="test_item_analysis: parameter 'data' must be a DataFrame"
    ):
        tia(lsat6.to_numpy())
    with pytest.raises(
        ParameterError, match=r"item 'Q2' must be scored 0/1 \(wrong/right\), got 2.0"
    ):
        tia(lsat6.assign(Q2=lsat6["Q2"] * 2))
    with pytest.raises(
        ParameterError, match=r"parameter 'fraction' must be in \(0, 0.5\], got 0.6"
    ):
        tia(lsat6, fraction=0.6)
    with pytest.raises(
        ParameterError, match=r"the test must have at least 2 items, got 1 \(\['Q1'\]\)"
    ):
        tia(lsat6[["Q1"]])
    with pytest.raises(
        ParameterError, match="needs at least 2 examinees who answered every item, got 1"
    ):
        tia(lsat6.iloc[:1])
    long = _long_from_wide(lsat6.iloc[:20], np.array(["K1"] * 20))
    with pytest.raises(ParameterError, match="answers item 'Q1' twice"):
        tia(long, phase=None)
    with pytest.raises(
        ParameterError,
        match=r"parameter 'phase' is 'akhir', but column 'phase' holds only \['post', 'pre'\]",
    ):
        tia(long, phase="akhir")
    with pytest.raises(
        ParameterError, match="with the long test_items table, 'by' must be a column name"
    ):
        tia(long, by=long["cohort_id"])
    with pytest.raises(
        ParameterError, match="parameter 'participant' names column 'nip', which is not"
    ):
        tia(long, participant="nip")


def test_ancova_errors(anorexia):
    with pytest.raises(ParameterError, match="ancova: parameter 'data' must be a DataFrame"):
        ancova(anorexia.to_numpy())
    with pytest.raises(
        ParameterError, match="ancova: parameter 'group' names column 'delivery', which is not"
    ):
        ancova(anorexia, dv="Postwt", covariate="Prewt")
    with pytest.raises(
        ParameterError, match=r"column 'Treat' must hold at least 2 groups, got \['FT'\]"
    ):
        ancova(anorexia[anorexia["Treat"] == "FT"], group="Treat", dv="Postwt", covariate="Prewt")
    with pytest.raises(ParameterError, match="needs more than 4 complete rows for 3 groups"):
        ancova(anorexia.iloc[[0, 1, 30, 70]], group="Treat", dv="Postwt", covariate="Prewt")
    with pytest.raises(
        ParameterError, match="column 'Prewt' is constant; it cannot be a covariate"
    ):
        ancova(anorexia.assign(Prewt=80.0), group="Treat", dv="Postwt", covariate="Prewt")


# --- boundaries and columns a report shows, by hand ----------------------------------------


def test_ancova_mean_squares_and_covariate_eta_from_car_anova(anorexia):
    res = ancova(anorexia, group="Treat", dv="Postwt", covariate="Prewt")
    # car::Anova(..., type = 2): Sum Sq / Df; partial eta^2 = SS / (SS + SS_residual)
    ss = [353.794908555968, 766.272812755677, 3311.26261991961]
    np.testing.assert_allclose(res["ms"], [ss[0] / 1, ss[1] / 2, ss[2] / 68], rtol=RTOL)
    assert res.loc["Prewt", "partial_eta_sq"] == pytest.approx(ss[0] / (ss[0] + ss[2]), rel=RTOL)
    assert np.isnan(res.loc["residual", "partial_eta_sq"]) and np.isnan(res.loc["residual", "f"])


def test_normalized_gain_at_the_ceiling():
    # pre at the maximum: no room to gain (NaN, warned); post at the maximum: g = 1
    with pytest.warns(EvalkitWarning, match="1 participant"):
        g = normalized_gain(pd.Series([100.0, 60, 99], index=["a", "b", "c"]), [100, 100, 99], 100)
    assert np.isnan(g["a"]) and g["b"] == 1.0 and g["c"] == 0.0
    assert list(g.index) == ["a", "b", "c"]
    # a per-person maximum: 10 of 10 is the ceiling, 10 of 20 is not
    with pytest.warns(EvalkitWarning, match="1 participant"):
        per = normalized_gain([10.0, 10], [10.0, 15], [10, 20])
    assert np.isnan(per.iloc[0]) and per.iloc[1] == 0.5
    with pytest.raises(ParameterError, match=r"parameter 'post' must not exceed max_score"):
        normalized_gain([10.0], [10.5], 10)


def test_paired_change_two_pairs_by_hand():
    # diffs 2 and 3: mean 2.5, sd sqrt(1/2), se 1/2, t = 5 on 1 df; t(1) is the Cauchy
    # distribution, so p = 1 - 2 atan(5) / pi
    res = paired_change([1.0, 2.0], [3.0, 5.0])
    assert res["n"] == 2 and res["df"] == 1
    assert res["sd_diff"] == pytest.approx(np.sqrt(0.5), rel=1e-14)
    assert res["t"] == pytest.approx(5.0, rel=1e-14)
    assert res["p"] == pytest.approx(1 - 2 * np.arctan(5) / np.pi, rel=1e-12)
    with pytest.raises(ParameterError, match="needs at least 2 complete pre/post pairs, got 1"):
        paired_change([1.0, np.nan], [3.0, 5.0])
    with pytest.warns(EvalkitWarning, match="1 group"):
        by = paired_change([1.0, 2.0, 4.0], [3.0, 5.0, 4.5], by=["x", "x", "y"])
    assert by.loc["x", "t"] == pytest.approx(5.0) and np.isnan(by.loc["y", "t"])
    assert by.loc["y", "mean_diff"] == 0.5  # shown even for a single pair


def test_test_item_analysis_constant_items_and_difficulty_edges():
    # 10 examinees: q1 3 correct (p = .30), q2 7 (.70), q3 none (0), q4 9 (.90), q5 1 (.10)
    wide = pd.DataFrame(
        {
            "q1": [1] * 3 + [0] * 7,
            "q2": [1] * 7 + [0] * 3,
            "q3": [0] * 10,
            "q4": [1] * 9 + [0],
            "q5": [1] + [0] * 9,
        }
    )
    with pytest.warns(EvalkitWarning, match=r"item\(s\) \['q3'\] were answered alike"):
        res = test_item_analysis(wide)
    assert res["difficulty"].tolist() == [0.3, 0.7, 0.0, 0.9, 0.1]
    # the ideal band is 0.30-0.70 inclusive; below it "hard", above it "easy"
    assert res["difficulty_band"].tolist() == ["ideal", "ideal", "hard", "easy", "hard"]
    assert np.isnan(res.loc["q3", "point_biserial"]) and np.isnan(res.loc["q3", "r_drop"])
    total = wide.sum(axis=1).to_numpy()
    for q in ("q1", "q2", "q4", "q5"):
        r = np.corrcoef(wide[q].to_numpy(), total)[0, 1]
        assert res.loc[q, "point_biserial"] == pytest.approx(r, rel=1e-12)
    # everybody right is constant too
    with pytest.warns(EvalkitWarning, match=r"\['q3'\] were answered alike"):
        ones = test_item_analysis(wide.assign(q3=1))
    assert np.isnan(ones.loc["q3", "point_biserial"]) and ones.loc["q3", "difficulty"] == 1.0


def test_test_item_analysis_two_examinees_are_enough():
    wide = pd.DataFrame({"q1": [1, 0, 1, 1, 0], "q2": [1, 1, 0, 1, 0]})
    with (
        pytest.warns(EvalkitWarning, match="1 group"),
        pytest.warns(EvalkitWarning, match="answered alike"),  # q2 in a, q1 in b
    ):
        res = test_item_analysis(wide, by=pd.Series(["a", "a", "b", "b", "c"]))
    assert res.loc[("a", "q1"), "difficulty"] == 0.5 and res.loc[("a", "q2"), "difficulty"] == 1.0
    assert res.loc[("b", "q1"), "difficulty"] == 1.0 and res.loc[("b", "q2"), "difficulty"] == 0.5
    assert np.isnan(res.loc[("c", "q1"), "difficulty"])


# --- pooled cohorts: person-level change, cluster-robust by cohort (level3u.R) --------
def test_clustered_change_matches_r():
    people = pd.read_csv(REF / "level3u_people.csv")
    out = clustered_change(people["pre"], people["post"], people["cohort_id"])
    # coeftest(lm(gain ~ 1, people), vcovCL(fit, cluster = ~cohort_id), df = G - 1)
    np.testing.assert_allclose(
        out[["mean_diff", "se", "p", "ci_low", "ci_high"]].to_numpy(dtype=float),
        [9.4375, 0.652045428861913, 1.65885192509619e-08, 8.00235768736934, 10.8726423126307],
        rtol=1e-10,
    )
    # pooled.g = J(n - 1) mean(gain) / s_av, pooled.g.ci = J / s_av x CR1 interval,
    # pooled.dz = mean(gain) / sd(gain)
    np.testing.assert_allclose(
        out[["hedges_g", "hedges_g_ci_low", "hedges_g_ci_high", "d_z"]].to_numpy(dtype=float),
        [0.904725359997014, 0.767145530016434, 1.04230518997759, 1.41615532254644],
        rtol=1e-10,
    )
    assert (out["n"], out["n_clusters"], out["df"]) == (160, 12, 11)
    np.testing.assert_allclose(out["design_effect"], (out["se"] / out["se_naive"]) ** 2)
    # the point estimates are paired_change's (people pooled)
    plain = paired_change(people["pre"], people["post"])
    np.testing.assert_allclose(out["hedges_g"], plain["hedges_g"], rtol=1e-12)


def test_clustered_change_bad_input():
    with pytest.raises(ParameterError, match="clusters"):
        clustered_change([1.0, 2, 3], [2.0, 3, 4], ["a", "b"])
    with pytest.raises(ParameterError, match="at least 2 cohorts"):
        clustered_change([1.0, 2, 3], [2.0, 3, 5], ["a", "a", "a"])


def test_ancova_refuses_an_outcome_without_residual_variation():
    # post = pre for everybody: the model fits exactly (SS_residual = 0), so F = SS / 0 and
    # the group's SS is rounding noise (it gave F = inf, p = 0, partial eta^2 = 1)
    same = pd.DataFrame(
        {"pre": [3.0, 4, 5, 3, 6, 7, 8], "delivery": ["a", "b", "a", "b", "a", "b", "a"]}
    )
    with pytest.raises(ParameterError) as err:
        ancova(same.assign(post=same["pre"]))
    assert str(err.value) == (
        "ancova: column 'post' is an exact linear function of 'pre' and 'delivery' "
        "(no residual variation); F and p are undefined"
    )
    # everybody scored the same post-test (it gave negative sums of squares and
    # partial eta^2 = -16.7)
    with pytest.raises(ParameterError) as err:
        ancova(same.assign(post=80.0))
    assert str(err.value) == "ancova: column 'post' is constant; there is no variation to explain"


@pytest.mark.parametrize(("c", "refused"), [(1e-5, False), (4e-7, True)])
def test_ancova_residual_threshold_is_relative_to_the_outcome_variation(c, refused):
    # post = 100 + pre + 10 x (group b) + c v, v = (0, 0, 1, -2, 1) orthogonal to the
    # intercept, pre and the dummy, so SS_res = 6 c^2 exactly and SS_total = 190 + 6 c^2
    # (deviations -8, -7, 4, 5, 6). The threshold is 1e-12 x SS_total = 1.9e-10:
    # c = 1e-5 gives SS_res = 6e-10 (a real, tiny residual); c = 4e-7 gives 9.6e-13 (noise)
    pre = np.array([1.0, 2, 3, 4, 5])
    group = np.array(["a", "a", "b", "b", "b"])
    post = 100 + pre + 10 * (group == "b") + c * np.array([0.0, 0, 1, -2, 1])
    data = pd.DataFrame({"pre": pre, "post": post, "delivery": group})
    if refused:
        with pytest.raises(ParameterError, match="exact linear function"):
            ancova(data)
    else:
        res = ancova(data)
        assert res.loc["residual", "ss"] == pytest.approx(6 * c**2, rel=1e-4)
        assert res.loc["residual", "df"] == 2.0
