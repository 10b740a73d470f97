"""Level 1 (evalkit.metrics.reaction) against R reference values, by= against per-group calls,
and every error path.

Reference numbers come from tests/reference/level12.R (output in level12_output.txt);
each literal names the R call that produced it. Tolerance: rel 1e-9 unless stated.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evalkit.errors import EvalkitWarning, ParameterError
from evalkit.metrics.reaction import cronbach_alpha, item_analysis, item_total_flag, scale_scores

REF = Path(__file__).parent / "reference"
RTOL = 1e-9


@pytest.fixture(scope="module")
def attitude() -> pd.DataFrame:
    return pd.read_csv(REF / "level12_attitude.csv")


@pytest.fixture(scope="module")
def bfi() -> pd.DataFrame:
    return pd.read_csv(REF / "level12_bfi.csv")


N_ITEMS = ["N1", "N2", "N3", "N4", "N5"]


# --- Cronbach's alpha -----------------------------------------------------------------


def test_alpha_attitude_matches_psych(attitude):
    res = cronbach_alpha(attitude)
    # psych::alpha(attitude)$total$raw_alpha, $std.alpha
    assert res["alpha"] == pytest.approx(0.84314276956476, rel=RTOL)
    assert res["std_alpha"] == pytest.approx(0.839083803029511, rel=RTOL)
    # psych::alpha.ci(raw_alpha, n.obs = 30, n.var = 7, p.val = 0.05)
    assert res["ci_low"] == pytest.approx(0.739375685643107, rel=RTOL)
    assert res["ci_high"] == pytest.approx(0.915773072159982, rel=RTOL)
    assert (res["n"], res["k"]) == (30, 7)


def test_alpha_ci_level(attitude):
    res = cronbach_alpha(attitude, ci=0.90)
    # psych::alpha.ci(raw_alpha, n.obs = 30, n.var = 7, p.val = 0.10)
    assert res["ci_low"] == pytest.approx(0.759569800642391, rel=RTOL)
    assert res["ci_high"] == pytest.approx(0.906628621750254, rel=RTOL)


def test_alpha_drops_incomplete_rows_like_na_omit(bfi):
    res = cronbach_alpha(bfi[N_ITEMS])
    # psych::alpha(na.omit(bfi[, N1:N5])): n = 2694
    assert res["n"] == 2694
    assert res["alpha"] == pytest.approx(0.813303143161439, rel=RTOL)
    assert res["std_alpha"] == pytest.approx(0.814072065651048, rel=RTOL)
    # psych::alpha.ci(raw_alpha, n.obs = 2694, n.var = 5, p.val = 0.05)
    assert res["ci_low"] == pytest.approx(0.801919990507684, rel=RTOL)
    assert res["ci_high"] == pytest.approx(0.824222922809719, rel=RTOL)


# psych::alpha(na.omit(bfi[, c(N1:N5, "education")]) subset by education) and
# psych::alpha.ci(raw_alpha, n, 5, .05); r_drop = item.stats$r.drop,
# alpha_if_dropped = alpha.drop$raw_alpha.
BFI_BY_EDUCATION = {
    1: dict(
        n=219.0, alpha=0.801565778613694, std_alpha=0.802512528084529,
        ci_low=0.756756676015599, ci_high=0.840280685353447,
        r_drop=[0.640823047341305, 0.566062338310701, 0.632904774500179, 0.52463449355324, 0.564812193498293],
        alpha_if_dropped=[0.746791605151306, 0.769264718616532, 0.748175191022806, 0.781485866948296, 0.771309504333585],
    ),
    2: dict(
        n=283.0, alpha=0.828115688647174, std_alpha=0.829159979728042,
        ci_low=0.794289992117185, ci_high=0.857862287392498,
        r_drop=[0.697166996928583, 0.675522944385867, 0.690228552245993, 0.570193954013803, 0.501161288152552],
        alpha_if_dropped=[0.772581259833804, 0.779936309134161, 0.774968142397079, 0.809476113748204, 0.829130157549503],
    ),
    3: dict(
        n=1201.0, alpha=0.816495408598301, std_alpha=0.816685439491316,
        ci_low=0.79955992991674, ci_high=0.832408594361238,
        r_drop=[0.680084158794949, 0.66177647782265, 0.669077733557475, 0.540319239883116, 0.490252365041872],
        alpha_if_dropped=[0.758138758034303, 0.764531499163457, 0.761352393122905, 0.799709442776554, 0.814812852734575],
    ),
    4: dict(
        n=376.0, alpha=0.81573254624933, std_alpha=0.817220015402158,
        ci_low=0.784554091904048, ci_high=0.843623673994751,
        r_drop=[0.684552244246724, 0.641455138888687, 0.678879449180836, 0.562396994768477, 0.474401481318687],
        alpha_if_dropped=[0.756949294837875, 0.769642186913549, 0.756785045137115, 0.792933519515671, 0.818443539274468],
    ),
    5: dict(
        n=402.0, alpha=0.793996746073614, std_alpha=0.795082985486477,
        ci_low=0.760351431263577, ci_high=0.824205489184997,
        r_drop=[0.592072596223595, 0.637942176939883, 0.693207172901491, 0.519964759167986, 0.439890359150513],
        alpha_if_dropped=[0.749251312061111, 0.734848013124347, 0.714638850298463, 0.771684183287785, 0.798507846841659],
    ),
}  # fmt: skip


def test_alpha_by_group_matches_psych(bfi):
    with pytest.warns(EvalkitWarning, match="missing 'by' value"):
        res = cronbach_alpha(bfi[N_ITEMS], by=bfi["education"])
    assert res.index.name == "education"
    assert list(res.index) == [1, 2, 3, 4, 5]
    for edu, ref in BFI_BY_EDUCATION.items():
        for col in ("n", "alpha", "std_alpha", "ci_low", "ci_high"):
            assert res.loc[edu, col] == pytest.approx(ref[col], rel=RTOL), (edu, col)


def test_item_analysis_by_group_matches_psych(bfi):
    with pytest.warns(EvalkitWarning):
        res = item_analysis(bfi[N_ITEMS + ["education"]], by="education")
    assert res.index.names == ["education", "item"]
    for edu, ref in BFI_BY_EDUCATION.items():
        got = res.loc[edu]
        np.testing.assert_allclose(got["r_drop"], ref["r_drop"], rtol=RTOL)
        np.testing.assert_allclose(got["alpha_if_dropped"], ref["alpha_if_dropped"], rtol=RTOL)


def test_item_analysis_attitude_matches_psych(attitude):
    res = item_analysis(attitude)
    assert list(res.index) == list(attitude.columns)
    # psych::alpha(attitude)$item.stats$mean, $sd, $r.drop
    np.testing.assert_allclose(
        res["mean"],
        [64.6333333333333, 66.6, 53.1333333333333, 56.3666666666667, 64.6333333333333,
         74.7666666666667, 42.9333333333333],
        rtol=RTOL,
    )  # fmt: skip
    np.testing.assert_allclose(
        res["sd"],
        [12.1725619475859, 13.3147571746799, 12.2354299935244, 11.7370128765529,
         10.3972255361983, 9.89490754895157, 10.2887060053424],
        rtol=RTOL,
    )  # fmt: skip
    np.testing.assert_allclose(
        res["r_drop"],
        [0.671262057223664, 0.742109710222238, 0.560711111480256, 0.714445498133676,
         0.7862755938344, 0.265034339196676, 0.460810549468496],
        rtol=RTOL,
    )  # fmt: skip
    # psych::alpha(attitude)$alpha.drop$raw_alpha
    np.testing.assert_allclose(
        res["alpha_if_dropped"],
        [0.809760206308921, 0.79691745727414, 0.827847765938659, 0.803030975022574,
         0.795386574198205, 0.863872311446437, 0.840464868265457],
        rtol=RTOL,
    )  # fmt: skip


def test_item_analysis_bfi_overall_matches_psych(bfi):
    res = item_analysis(bfi[N_ITEMS])
    # psych::alpha(na.omit(bfi[, N1:N5]))$item.stats$r.drop and $alpha.drop$raw_alpha
    np.testing.assert_allclose(
        res["r_drop"],
        [0.666285806231686, 0.650902055754828, 0.672947088258613, 0.542148997951895,
         0.486729437297526],
        rtol=RTOL,
    )  # fmt: skip
    np.testing.assert_allclose(
        res["alpha_if_dropped"],
        [0.7573075145153, 0.762678098025769, 0.754865352442729, 0.794558722107924,
         0.811613634382789],
        rtol=RTOL,
    )  # fmt: skip


def test_alpha_agrees_with_pingouin(attitude):
    pg = pytest.importorskip("pingouin")
    alpha, _ = pg.cronbach_alpha(attitude)  # pingouin rounds its CI; compare alpha only
    assert cronbach_alpha(attitude)["alpha"] == pytest.approx(alpha, rel=1e-12)


# --- by= in one pass equals the per-group call ------------------------------------------


def _many_cohorts(seed: int = 7, groups: int = 60, k: int = 6) -> tuple[pd.DataFrame, pd.Series]:
    rng = np.random.default_rng(seed)
    sizes = rng.integers(3, 40, size=groups)
    cohort = np.repeat([f"K{i:03d}" for i in range(groups)], sizes)
    latent = rng.normal(size=len(cohort))[:, None]
    raw = np.clip(np.rint(3 + latent + rng.normal(scale=1.2, size=(len(cohort), k))), 1, 5)
    items = pd.DataFrame(raw, columns=[f"q{j}" for j in range(k)])
    items.iloc[5, 2] = np.nan  # a missing answer is dropped listwise in its group
    order = rng.permutation(len(items))  # groups interleaved, as in real exports
    items = items.iloc[order].reset_index(drop=True)
    return items, pd.Series(cohort[order], name="cohort_id")


def test_alpha_by_equals_per_group_call():
    items, cohort = _many_cohorts()
    res = cronbach_alpha(items, by=cohort)
    assert len(res) == cohort.nunique()
    for key in res.index:
        one = cronbach_alpha(items[cohort.to_numpy() == key])
        np.testing.assert_allclose(res.loc[key].to_numpy(), one.to_numpy(), rtol=1e-9, atol=1e-12)


def test_item_analysis_by_equals_per_group_call():
    items, cohort = _many_cohorts(seed=11)
    res = item_analysis(items, by=cohort)
    for key in cohort.unique()[:15]:
        one = item_analysis(items[cohort.to_numpy() == key])
        numbers = one.select_dtypes("number").columns
        np.testing.assert_allclose(
            res.loc[key, numbers].to_numpy(), one[numbers].to_numpy(), rtol=1e-9, atol=1e-12
        )
        assert res.loc[key, "r_drop_flag"].tolist() == one["r_drop_flag"].tolist()


def test_by_accepts_column_name_and_array():
    items, cohort = _many_cohorts(seed=3, groups=5)
    a = cronbach_alpha(items, by=cohort)
    b = cronbach_alpha(items.assign(cohort_id=cohort), by="cohort_id")
    c = cronbach_alpha(items, by=cohort.to_numpy())
    pd.testing.assert_frame_equal(a, b)
    np.testing.assert_array_equal(a.to_numpy(), c.to_numpy())
    assert c.index.name == "group"


def test_inputs_are_not_mutated():
    items, cohort = _many_cohorts(seed=5, groups=4)
    before_items, before_cohort = items.copy(), cohort.copy()
    cronbach_alpha(items, by=cohort)
    item_analysis(items, by=cohort)
    pd.testing.assert_frame_equal(items, before_items)
    pd.testing.assert_series_equal(cohort, before_cohort)


# --- degenerate but legal input: NaN and a warning ------------------------------------


def test_group_too_small_gives_nan_and_warning():
    items = pd.DataFrame({"a": [1, 2, 3, 4.0], "b": [2, 2, 4, 3.0], "c": [1, 3, 3, 5.0]})
    with pytest.warns(EvalkitWarning, match="fewer than 2 rows"):
        res = cronbach_alpha(items, by=["x", "x", "x", "y"])
    assert np.isnan(res.loc["y", "alpha"]) and res.loc["y", "n"] == 1
    assert np.isfinite(res.loc["x", "alpha"])


def test_group_without_variance_gives_nan_and_warning():
    items = pd.DataFrame({"a": [1, 2, 3, 4, 4.0], "b": [2, 2, 4, 4, 4.0], "c": [1, 3, 3, 4, 4.0]})
    with pytest.warns(EvalkitWarning, match="same total score"):
        res = cronbach_alpha(items, by=["x", "x", "x", "y", "y"])
    assert np.isnan(res.loc["y", "alpha"])


def test_constant_item_makes_std_alpha_nan_with_warning():
    items = pd.DataFrame({"a": [1, 2, 3, 4.0], "b": [3, 3, 3, 3.0], "c": [1, 3, 3, 5.0]})
    with pytest.warns(EvalkitWarning, match="constant item"):
        res = cronbach_alpha(items)
    assert np.isfinite(res["alpha"]) and np.isnan(res["std_alpha"])
    with pytest.warns(EvalkitWarning, match=r"constant item\(s\) \['b'\]"):
        table = item_analysis(items)
    assert np.isnan(table.loc["b", "r_drop"]) and np.isfinite(table.loc["a", "r_drop"])


def test_two_items_alpha_if_dropped_is_nan_with_warning():
    items = pd.DataFrame({"a": [1, 2, 3, 4.0], "b": [2, 2, 4, 3.0]})
    with pytest.warns(EvalkitWarning, match="with 2 items"):
        res = item_analysis(items)
    assert res["alpha_if_dropped"].isna().all() and res["r_drop"].notna().all()


# --- errors ------------------------------------------------------------------------------


def test_alpha_rejects_non_dataframe():
    with pytest.raises(
        ParameterError, match="cronbach_alpha: parameter 'items' must be a DataFrame"
    ):
        cronbach_alpha([[1, 2], [3, 4]])


def test_alpha_rejects_empty():
    with pytest.raises(ParameterError, match="cronbach_alpha: parameter 'items' is empty"):
        cronbach_alpha(pd.DataFrame({"a": [], "b": []}))


def test_alpha_rejects_single_item():
    with pytest.raises(ParameterError, match="at least 2 item columns, got 1"):
        cronbach_alpha(pd.DataFrame({"a": [1, 2, 3]}))


def test_alpha_rejects_non_numeric_answers():
    items = pd.DataFrame({"a": [1, 2, 3], "b": ["4", "Setuju", "2"]})
    with pytest.raises(
        ParameterError, match="column 'b' must hold numbers, got non-numeric value 'Setuju'"
    ):
        cronbach_alpha(items)


def test_alpha_rejects_bad_ci():
    items = pd.DataFrame({"a": [1, 2, 3], "b": [2, 3, 3]})
    with pytest.raises(
        ParameterError,
        match=r"cronbach_alpha: parameter 'ci' must be a number in \(0, 1\), got 1.5",
    ):
        cronbach_alpha(items, ci=1.5)


def test_alpha_rejects_too_few_rows():
    items = pd.DataFrame({"a": [1, np.nan], "b": [2, 3]})
    with pytest.raises(ParameterError, match="at least 2 rows without a missing item, got 1"):
        cronbach_alpha(items)


def test_alpha_rejects_no_variance_without_by():
    items = pd.DataFrame({"a": [3, 3, 3], "b": [4, 4, 4]})
    with pytest.raises(ParameterError, match="same total score"):
        cronbach_alpha(items)


def test_by_of_wrong_length():
    items = pd.DataFrame({"a": [1, 2, 3], "b": [2, 3, 3]})
    with pytest.raises(
        ParameterError, match=r"parameter 'by' must have one value per row \(3\), got 2"
    ):
        cronbach_alpha(items, by=pd.Series(["x", "y"]))
    with pytest.raises(ParameterError, match=r"one value per row \(3\), got 4"):
        item_analysis(items, by=["x", "y", "z", "w"])


def test_by_series_with_other_index():
    items = pd.DataFrame({"a": [1, 2, 3], "b": [2, 3, 3]})
    with pytest.raises(ParameterError, match="index differs from the data's"):
        cronbach_alpha(items, by=pd.Series(["x", "x", "y"], index=[5, 6, 7]))


def test_by_unknown_column():
    items = pd.DataFrame({"a": [1, 2, 3], "b": [2, 3, 3]})
    with pytest.raises(ParameterError, match="parameter 'by' names column 'cohort', which is not"):
        item_analysis(items, by="cohort")


def test_by_two_dimensional():
    items = pd.DataFrame({"a": [1, 2, 3], "b": [2, 3, 3]})
    with pytest.raises(
        ParameterError, match="parameter 'by' must be a column name, a Series or a 1-D"
    ):
        cronbach_alpha(items, by=np.zeros((3, 2)))


# --- scale scores -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def bfi_long(bfi) -> pd.DataFrame:
    """First 300 rows of bfi as a long reaction table (A2-A5 content, C1-C4 facilitator)."""
    wide = bfi.iloc[:300].copy()
    wide["participant_id"] = [f"P{i:04d}" for i in range(len(wide))]
    long = wide.melt(
        id_vars=["participant_id", "gender"],
        value_vars=["A2", "A3", "A4", "A5", "C1", "C2", "C3", "C4"],
        var_name="item",
        value_name="score",
    )
    long["dimension"] = np.where(long["item"].str.startswith("A"), "content", "facilitator")
    long["scale_max"] = 6
    return long


# t.test(rowMeans(items, na.rm = TRUE)) per gender and dimension on bfi[1:300, ]:
# n, n_responses = sum(!is.na(items)), mean, sd, conf.int, 100 * mean(items >= 5, na.rm = TRUE)
SCALE_REF = {
    (1, "content"): [124.0, 496.0, 4.3125, 1.04454885815512, 4.12682220514705, 4.49817779485295, 51.008064516129],
    (1, "facilitator"): [124.0, 495.0, 3.86559139784946, 0.719196524031045, 3.73774785697015, 3.99343493872877, 37.979797979798],
    (2, "content"): [176.0, 698.0, 4.7907196969697, 0.8745968974589, 4.66060885800541, 4.92083053593398, 68.0515759312321],
    (2, "facilitator"): [176.0, 701.0, 3.92897727272727, 0.638828264267128, 3.83394094037875, 4.0240136050758, 42.3680456490728],
}  # fmt: skip


def test_scale_scores_match_r(bfi_long):
    res = scale_scores(bfi_long, by="gender")
    assert res.index.names == ["gender", "dimension"]
    cols = ["n", "n_responses", "mean", "sd", "ci_low", "ci_high", "pct_top_box"]
    for key, ref in SCALE_REF.items():
        np.testing.assert_allclose(res.loc[key, cols].to_numpy(float), ref, rtol=RTOL)
        assert res.loc[key, "pct_of_max"] == pytest.approx(100 * ref[2] / 6, rel=RTOL)
        # POMP on the 1-6 scale: 100 (x - 1) / 5 of R's mean and t interval
        pomp_ref = [100 * (ref[i] - 1) / 5 for i in (2, 4, 5)]
        got = res.loc[key, ["pomp", "pomp_ci_low", "pomp_ci_high"]].to_numpy(float)
        np.testing.assert_allclose(got, pomp_ref, rtol=RTOL)


def test_scale_scores_without_by_and_with_two_keys(bfi_long):
    one = scale_scores(bfi_long, by=None)
    assert list(one.index) == ["content", "facilitator"]
    two = scale_scores(bfi_long.assign(wave="w1"), by=["wave", "gender"])
    assert two.index.names == ["wave", "gender", "dimension"]
    np.testing.assert_allclose(
        two.loc[("w1", 2, "content"), ["mean", "ci_low"]].to_numpy(float),
        [4.7907196969697, 4.66060885800541],
        rtol=RTOL,
    )


def test_scale_scores_top_box_on_four_point_scale():
    long = pd.DataFrame(
        {
            "cohort_id": "K1",
            "participant_id": ["a", "b", "c", "d"],
            "item": "s1",
            "dimension": "facilities",
            "score": [4.0, 3, 2, 1],
            "scale_max": 4,
        }
    )
    res = scale_scores(long)
    assert res["pct_top_box"].iloc[0] == 50.0
    assert scale_scores(long, top_box=1)["pct_top_box"].iloc[0] == 25.0
    assert res["pct_of_max"].iloc[0] == pytest.approx(62.5)  # 2.5 / 4
    assert res["pomp"].iloc[0] == pytest.approx(50.0)  # (2.5 - 1) / (4 - 1): the midpoint
    assert "index" not in res.columns  # the old name, whose floor was 25 here, is gone


def test_scale_scores_single_participant_warns():
    long = pd.DataFrame(
        {
            "cohort_id": ["K1", "K1", "K2"],
            "participant_id": ["a", "b", "c"],
            "item": "m1",
            "dimension": "content",
            "score": [4.0, 5, 3],
            "scale_max": 5,
        }
    )
    with pytest.warns(EvalkitWarning, match="fewer than 2 participants"):
        res = scale_scores(long)
    assert np.isnan(res.loc[("K2", "content"), "ci_low"])
    assert res.loc[("K2", "content"), "mean"] == 3.0


def test_scale_scores_errors(bfi_long):
    with pytest.raises(
        ParameterError, match="scale_scores: parameter 'data' must be the long reaction"
    ):
        scale_scores(bfi_long.to_numpy())
    with pytest.raises(
        ParameterError, match="parameter 'by' names column 'cohort_id', which is not"
    ):
        scale_scores(bfi_long)
    with pytest.raises(ParameterError, match="parameter 'data' is empty"):
        scale_scores(bfi_long.iloc[:0], by="gender")
    with pytest.raises(ParameterError, match="parameter 'top_box' must be an integer >= 1, got 0"):
        scale_scores(bfi_long, by="gender", top_box=0)
    with pytest.raises(ParameterError, match="column 'score' has no non-missing value"):
        scale_scores(bfi_long.assign(score=np.nan), by="gender")
    mixed = bfi_long.copy()
    mixed.loc[mixed["item"] == "A2", "scale_max"] = 5
    with pytest.raises(ParameterError, match="must be the same for every item of a dimension"):
        scale_scores(mixed, by="gender")
    with pytest.raises(
        ParameterError,
        match=r"column .score. must lie between 1 and the item.s .scale_max., got 7.0 \(row \d+, scale_max 6.0\)",
    ):
        scale_scores(bfi_long.assign(score=bfi_long["score"].fillna(7)), by="gender")
    with pytest.raises(
        ParameterError, match="column 'score' must hold numbers, got non-numeric value 'Setuju'"
    ):
        scale_scores(bfi_long.assign(score="Setuju"), by="gender")
    with pytest.raises(ParameterError, match="parameter 'ci' must be a number"):
        scale_scores(bfi_long, by="gender", ci=0)


# --- boundaries, by hand -----------------------------------------------------------------


def test_alpha_with_total_variance_at_most_one_by_hand():
    # a: 1 1 1 2 (var 1/4); b: 1 1 2 2 (var 1/3); total 2 2 3 4 (var 11/12);
    # alpha = 2 x (1 - (1/4 + 1/3) / (11/12)) = 8/11
    items = pd.DataFrame({"a": [1, 1, 1, 2.0], "b": [1, 1, 2, 2.0]})
    assert cronbach_alpha(items)["alpha"] == pytest.approx(8 / 11, rel=1e-14)
    # both items 1 1 1 2: total variance exactly 1, alpha = 2 x (1 - (1/4 + 1/4) / 1) = 1
    same = pd.DataFrame({"a": [1, 1, 1, 2.0], "b": [1, 1, 1, 2.0]})
    assert cronbach_alpha(same)["alpha"] == pytest.approx(1.0, rel=1e-14)


def test_two_rows_are_enough_by_hand():
    # a: 1 3 (var 2); b: 2 3 (var 1/2); total 3 6 (var 9/2): alpha = 2 x (1 - 5/2 / 9/2) = 8/9
    items = pd.DataFrame({"a": [1, 3, 5, 1.0], "b": [2, 3, 4, 3.0]})
    res = cronbach_alpha(items, by=["x", "x", "y", "y"])
    assert res.loc["x", "alpha"] == pytest.approx(8 / 9, rel=1e-14)
    assert res.loc["x", "n"] == 2
    with pytest.warns(EvalkitWarning, match="with 2 items"):
        table = item_analysis(items, by=["x", "x", "y", "y"])
    assert table.loc[("x", "a"), "mean"] == 2.0 and table.loc[("x", "b"), "mean"] == 2.5
    assert table.loc[("x", "a"), "sd"] == pytest.approx(np.sqrt(2), rel=1e-14)
    assert table.loc[("x", "b"), "sd"] == pytest.approx(np.sqrt(0.5), rel=1e-14)
    # with two rows every correlation is +-1: a and b both rise from row 1 to row 2
    assert table.loc[("x", "a"), "r_drop"] == pytest.approx(1.0)
    assert table.loc[("x", "a"), "r_total"] == pytest.approx(1.0)


def test_item_analysis_r_total_agrees_with_numpy(attitude, bfi):
    # the uncorrected item-total r is Pearson's r of the item with the row total
    res = item_analysis(attitude)
    total = attitude.sum(axis=1).to_numpy()
    expected = [np.corrcoef(attitude[c].to_numpy(), total)[0, 1] for c in attitude.columns]
    np.testing.assert_allclose(res["r_total"], expected, rtol=1e-12)
    data = bfi[[*N_ITEMS, "education"]].dropna()
    by = item_analysis(data[N_ITEMS], by=data["education"])
    for edu, sub in data.groupby("education"):
        tot = sub[N_ITEMS].sum(axis=1).to_numpy()
        for item in N_ITEMS:
            r = np.corrcoef(sub[item].to_numpy(), tot)[0, 1]
            assert by.loc[(edu, item), "r_total"] == pytest.approx(r, rel=1e-12)


# cor.test(attitude[[j]], rowSums(attitude[, -j]))$conf.int (tests/reference/level2_omega.R)
ATTITUDE_R_DROP_CI = {
    "rating": (0.410191526963372, 0.830650795302102),
    "complaints": (0.52118382390135, 0.869823532224112),
    "privileges": (0.251182501464749, 0.766202166551163),
    "learning": (0.476936177545977, 0.854716827961148),
    "raises": (0.59437571241075, 0.893455013409084),
    "critical": (-0.105288191063422, 0.570801330073776),
    "advance": (0.120555442076581, 0.704175475945978),
}


def test_item_analysis_r_drop_interval_matches_cor_test(attitude):
    res = item_analysis(attitude)
    got = res.loc[list(ATTITUDE_R_DROP_CI), ["r_drop_ci_low", "r_drop_ci_high"]].to_numpy()
    np.testing.assert_allclose(got, list(ATTITUDE_R_DROP_CI.values()), rtol=1e-9)
    # "review" only when the whole interval is below .30: none here, although
    # critical's r_drop is below .30 by its point estimate
    assert res.loc["critical", "r_drop"] < 0.30
    assert res.loc["critical", "r_drop_flag"] == "uncertain"
    assert res.loc["raises", "r_drop_flag"] == "adequate"
    assert (res["r_drop_flag"] != "review").all()
    narrow = item_analysis(attitude, ci=0.5)
    assert (narrow["r_drop_ci_low"] > res["r_drop_ci_low"]).all()


def test_item_total_flag_review_needs_the_whole_interval_below():
    assert item_total_flag([-0.3, 0.30, 0.0], [0.2999, 0.9, 0.30]).tolist() == [
        "review", "adequate", "uncertain",
    ]  # fmt: skip
