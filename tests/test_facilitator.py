"""Facilitator evaluation: the table, its codebook shapes, the metrics against R, the demo.

Reference values come from ``tests/reference/facilitator.R`` (R 4.2.2; psych 2.2.9;
lme4 1.1-31; sandwich 3.0-2; lmtest), run on the synthetic data it writes
(``facilitator_ratings.csv``, ``facilitator_learning.csv``); its output is
``facilitator_output.txt``. Each literal below is quoted beside the R call.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evalkit import constants as C
from evalkit.data.build_facilitators import facilitator_ids
from evalkit.data.clean import clean_study
from evalkit.data.codebook import parse_codebook
from evalkit.data.codebook_blocks import expand_blocks
from evalkit.data.demo.facilitators import FACILITATORS, WEAK_FACILITATOR, teaching
from evalkit.data.demo.files import file_bytes
from evalkit.data.demo.study import build_demo, write_demo
from evalkit.errors import CodebookError, ParameterError
from evalkit.metrics.facilitator import (
    facilitator_forms,
    facilitator_gain_link,
    facilitator_role_comparison,
    facilitator_role_means,
    facilitator_summary,
    facilitator_variance,
)
from evalkit.metrics.planner import program_transfer

REF = Path(__file__).parent / "reference"
SALT = b"facilitator test salt"


@pytest.fixture(scope="module")
def ref_ratings() -> pd.DataFrame:
    return pd.read_csv(REF / "facilitator_ratings.csv")


@pytest.fixture(scope="module")
def ref_learning() -> pd.DataFrame:
    return pd.read_csv(REF / "facilitator_learning.csv")


# --- against R -------------------------------------------------------------------------
#: Per facilitator: fit <- lm(rating ~ 1, s); V <- vcovCL(fit, cluster = <cohort, or
#: participant for F6 who taught one cohort>, type = "HC1"); coeftest(fit, V, df = G - 1);
#: coefci(fit, V, df = G - 1): (n forms, mean, se, df, ci_low, ci_high).
R_MEANS = {
    "F1": (43, 4.05232558139535, 0.110605664195629, 4, 3.74523502643225, 4.35941613635845),
    "F2": (41, 3.80284552845528, 0.138677267423568, 3, 3.36151257111631, 4.24417848579426),
    "F3": (35, 3.07142857142857, 0.107822592758166, 3, 2.72828895947924, 3.41456818337791),
    "F4": (40, 4.07291666666667, 0.131367754716166, 3, 3.65484584103679, 4.49098749229654),
    "F5": (34, 3.80392156862745, 0.199112481283778, 2, 2.94720970750462, 4.66063342975029),
    "F6": (11, 4.24242424242424, 0.0782176333281231, 10, 4.06814449469544, 4.41670399015305),
}

#: psych::alpha(w)$total$raw_alpha over the complete forms w of each facilitator, and
#: psych::alpha.ci(alpha, n.obs = nrow(w), n.var = 4, p.val = .05): (alpha, n, low, high).
R_ALPHAS = {
    "F1": (0.515132540179503, 37, 0.197835694344929, 0.727668611526996),
    "F2": (0.662490098653417, 38, 0.445252984170107, 0.808808026986133),
    "F3": (0.540697674418605, 31, 0.204723887372275, 0.75718167202871),
    "F4": (0.66700218084214, 28, 0.406982634203469, 0.830546553048132),
    "F5": (0.481781376518219, 27, 0.0674830180861142, 0.740032345225872),
    "F6": (-0.0350877192982457, 10, -1.72316631030606, 0.711228483795873),
}


def test_forms_are_the_mean_of_the_answered_items(ref_ratings: pd.DataFrame) -> None:
    forms = facilitator_forms(ref_ratings)
    assert len(forms) == 204  # nrow(aggregate(score ~ facilitator + cohort + rater + session))
    one = ref_ratings[(ref_ratings["participant_id"] == "C1-P01")
                      & (ref_ratings["facilitator_id"] == "F1")]  # fmt: skip
    got = forms[(forms["participant_id"] == "C1-P01") & (forms["facilitator_id"] == "F1")]
    assert got["rating"].item() == pytest.approx(one["score"].mean(), rel=1e-15)


def test_summary_matches_r_per_facilitator(ref_ratings: pd.DataFrame) -> None:
    out = facilitator_summary(ref_ratings)
    assert list(out.index) == list(R_MEANS)
    for f, (n, mean, se, df, low, high) in R_MEANS.items():
        row = out.loc[f]
        assert row["n_forms"] == n and row["df"] == df, f
        assert row["cluster"] == ("rater" if f == "F6" else "cohort"), f
        np.testing.assert_allclose(
            row[["mean", "se", "ci_low", "ci_high"]].to_numpy(dtype=float),
            [mean, se, low, high], rtol=1e-12, err_msg=f,
        )  # fmt: skip
        alpha, n_alpha, a_low, a_high = R_ALPHAS[f]
        assert row["n_alpha"] == n_alpha and row["k"] == 4, f
        np.testing.assert_allclose(
            row[["alpha", "alpha_ci_low", "alpha_ci_high"]].to_numpy(dtype=float),
            [alpha, a_low, a_high], rtol=1e-10, err_msg=f,
        )  # fmt: skip
    assert out.loc["F6", "n_cohorts"] == 1 and out.loc["F1", "n_cohorts"] == 5
    assert (out["n_raters"] == out["n_forms"]).all()  # one session per facilitator and cohort


def test_variance_split_matches_lme4(ref_ratings: pd.DataFrame) -> None:
    out = facilitator_variance(ref_ratings)
    # lmer(rating ~ 1 + (1 | facilitator_id) + (1 | cohort_id), forms, REML = TRUE,
    #      control = lmerControl(optimizer = "bobyqa", optCtrl = list(rhoend = 1e-12)));
    # as.data.frame(VarCorr(m))$vcov (REMLcrit 198.032304850522)
    ref = np.array([0.107057014580368, 0.0605291377091809, 0.128870310272454])
    np.testing.assert_allclose(out["variance"].to_numpy(), ref, rtol=2e-6)
    np.testing.assert_allclose(out["share"].to_numpy(), ref / ref.sum(), rtol=2e-6)
    assert out["estimable"].all() and out["reason"].isna().all()
    assert out["design"].iloc[0] == "crossed"
    assert (out["n"].iloc[0], out["n_facilitators"].iloc[0], out["n_cohorts"].iloc[0]) == (
        204, 6, 8)  # fmt: skip


def test_link_matches_cor_test(ref_ratings: pd.DataFrame, ref_learning: pd.DataFrame) -> None:
    out = facilitator_gain_link(ref_ratings, ref_learning)
    # cor.test(tapply(forms$rating, forms$cohort_id, mean), tapply(post - pre, cohort_id, mean))
    ref = {"r": 0.894256382761523, "ci_low": 0.512606977197131, "ci_high": 0.980842993281675,
           "t": 4.89430706202586, "df": 6, "p": 0.00272651223318255, "n": 8}  # fmt: skip
    for key, value in ref.items():
        assert out[key] == pytest.approx(value, rel=1e-12), key


def test_variance_says_why_not(ref_ratings: pd.DataFrame) -> None:
    two = ref_ratings[ref_ratings["facilitator_id"].isin(["F1", "F2"])]
    assert facilitator_variance(two)["reason"].iloc[0] == "too_few_facilitators"
    few = ref_ratings[ref_ratings["cohort_id"].isin(["C1", "C2"])]
    assert facilitator_variance(few)["reason"].iloc[0] == "too_few_cohorts"
    # one facilitator per cohort, each in one cohort: facilitator and cohort coincide
    pairs = {"C1": "F1", "C3": "F2", "C5": "F3", "C7": "F5"}
    solo = ref_ratings[ref_ratings["cohort_id"].map(pairs) == ref_ratings["facilitator_id"]]
    out = facilitator_variance(solo)
    assert out["reason"].iloc[0] == "confounded" and out["variance"].isna().all()
    assert not out["estimable"].any()


def test_summary_and_link_refuse_bad_input(ref_ratings: pd.DataFrame) -> None:
    with pytest.raises(ParameterError, match="facilitator_summary.*'nope'"):
        facilitator_summary(ref_ratings, facilitator="nope")
    with pytest.raises(ParameterError, match="facilitator_forms.*score"):
        facilitator_forms(ref_ratings.assign(score="baik"))
    with pytest.raises(ParameterError, match="facilitator_summary.*ci"):
        facilitator_summary(ref_ratings, ci=1.5)
    with pytest.raises(ParameterError, match="facilitator_gain_link.*'post'"):
        facilitator_gain_link(ref_ratings, pd.DataFrame({"cohort_id": ["C1"], "pre": [1.0]}))
    with pytest.raises(ParameterError, match="no rating"):
        facilitator_summary(ref_ratings.assign(score=np.nan))


def test_link_with_few_cohorts_has_no_interval(ref_ratings, ref_learning) -> None:
    few = ref_ratings[ref_ratings["cohort_id"].isin(["C1", "C2", "C3"])]
    out = facilitator_gain_link(few, ref_learning)
    assert out["n"] == 3 and np.isnan(out["ci_low"]) and np.isfinite(out["r"])


# --- the codebook shapes -----------------------------------------------------------------
def _codebook(**extra) -> dict:
    return {
        "study": "s",
        "likert": {"baik5": {"max": 5, "labels": {"kurang": 2, "cukup": 3, "baik": 4,
                                                  "sangat baik": 5}}},
        "tables": {"evaluasi": {
            "table": "facilitator_ratings", "files": ["e.csv"],
            "columns": {"cohort_id": "Angkatan", "nip": "NIP"},
            "items": {"mastery": {"from": "Penguasaan materi", "likert": "baik5"},
                      "delivery": {"from": "Penyampaian", "likert": "baik5"}},
            **extra}},
    }  # fmt: skip


def test_blocks_expand_into_one_long_entry_each() -> None:
    blocks = {"n1": {"prefix": "Narasumber 1 - ",
                     "columns": {"facilitator_id": "Narasumber 1 - Nama",
                                 "session": {"value": "Sesi 1"}}},
              "n2": {"prefix": "Narasumber 2 - ",
                     "columns": {"facilitator_id": "Narasumber 2 - Nama"}}}  # fmt: skip
    cb = parse_codebook(_codebook(blocks=blocks))
    assert list(cb.tables) == ["evaluasi.n1", "evaluasi.n2"]
    n2 = cb.tables["evaluasi.n2"]
    assert n2.table == "facilitator_ratings"
    assert n2.items["delivery"].source == "Narasumber 2 - Penyampaian"
    assert n2.columns["facilitator_id"].source == "Narasumber 2 - Nama"
    assert cb.tables["evaluasi.n1"].columns["session"].value == "Sesi 1"
    assert not cb.name_facilitators


def test_codebook_errors_name_the_key_path() -> None:
    with pytest.raises(CodebookError, match=r"tables\.evaluasi\.columns: .*'facilitator_id'"):
        parse_codebook(_codebook())
    with pytest.raises(CodebookError, match=r"tables\.evaluasi\.blocks\.n1: needs a 'prefix'"):
        parse_codebook(_codebook(blocks={"n1": {"columns": {"facilitator_id": "X"}}}))
    with pytest.raises(CodebookError, match=r"blocks\.n1\.prefx: unknown key"):
        parse_codebook(_codebook(blocks={"n1": {"prefx": "a"}}))
    with pytest.raises(CodebookError, match=r"tables\.evaluasi\.blocks: must be a mapping"):
        parse_codebook(_codebook(blocks=["n1"]))
    with pytest.raises(CodebookError, match="only facilitator_ratings entries may have blocks"):
        expand_blocks({"r": {"table": "reaction", "blocks": {"a": {"prefix": "x"}}}})
    bad = {
        **_codebook(columns={"cohort_id": "A", "nip": "N", "facilitator_id": "F"}),
        "name_facilitators": "ya",
    }
    with pytest.raises(CodebookError, match="name_facilitators: must be true or false"):
        parse_codebook(bad)


def _write(raw: Path, codebook: str, rows: list[str]) -> Path:
    raw.mkdir(parents=True)
    (raw / "codebook.yaml").write_text(codebook, encoding="utf-8")
    (raw / "e.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return raw


WIDE = """study: w{extra}
likert:
  baik5: {{max: 5, labels: {{kurang: 2, cukup: 3, baik: 4, "sangat baik": 5}}}}
values:
  role: {{widyaiswara: widyaiswara, praktisi: practitioner}}
tables:
  evaluasi:
    table: facilitator_ratings
    files: [e.csv]
    columns: {{cohort_id: Angkatan, nip: NIP}}
    items:
      mastery: {{from: "Penguasaan materi", likert: baik5}}
      delivery: {{from: "Penyampaian", likert: baik5}}
    blocks:
      n1:
        prefix: "N1 - "
        columns:
          facilitator_id: "N1 - Nama"
          facilitator_role: {{from: "N1 - Unsur", type: category, values: role}}
          session: {{value: "1"}}
      n2:
        prefix: "N2 - "
        columns: {{facilitator_id: "N2 - Nama", session: {{value: "2"}}}}
"""

NIPS = ("198505122010011002", "199001012015032001", "198712302012121003")


def _wide_rows() -> list[str]:
    head = "Angkatan,NIP,N1 - Nama,N1 - Unsur,N1 - Penguasaan materi,N1 - Penyampaian,"
    head += "N2 - Nama,N2 - Penguasaan materi,N2 - Penyampaian"
    return [
        head,
        f'A1,{NIPS[0]},"Dr. Maria Ndun, M.Si",Widyaiswara,Baik,Sangat Baik,Yosef Lay,Cukup,Baik',
        f"A1,{NIPS[1]},maria ndun,Widyaiswara,Baik,Lumayan,Yosef Lay,Kurang,",
        f"A1,{NIPS[2]},Maria Ndun,Widyaiswara,Baik,Baik,,Cukup,Cukup",
        f"A1,{NIPS[0].replace('1002', '1004')},Maria Ndun,Dosen,Baik,Baik,Yosef Lay,,",
    ]


def test_wide_export_is_cleaned_pseudonymised_and_quarantined(tmp_path: Path) -> None:
    raw = _write(tmp_path / "raw", WIDE.format(extra=""), _wide_rows())
    summary = clean_study(raw, tmp_path / "out", progress=False, salt=SALT)
    table = pd.read_parquet(tmp_path / "out" / "facilitator_ratings.parquet")
    maria, yosef = facilitator_ids(pd.Series(["Maria Ndun", "Yosef Lay"]), salt=SALT)
    assert set(table[C.FACILITATOR_ID]) == {maria, yosef}
    assert table[C.FACILITATOR_NAME].isna().all()
    text = (tmp_path / "out" / "facilitator_ratings.parquet").read_bytes()
    assert b"Ndun" not in text and b"Yosef" not in text
    # answers kept: row 2 both blocks (2 + 2); row 3 block 2 only (a bad label in block 1,
    # one answer in block 2); row 4 block 1 only (block 2 names nobody); row 5 neither
    assert table.groupby(C.FACILITATOR_ID).size().to_dict() == {maria: 4, yosef: 3}
    assert set(table.loc[table[C.FACILITATOR_ID] == maria, C.FACILITATOR_ROLE]) == {
        "widyaiswara"}  # fmt: skip
    log = pd.read_csv(tmp_path / "out" / "quality_log.csv", keep_default_na=False)
    reasons = {(r["row"], r["reason"].split(":")[0], r["column"]) for _, r in log.iterrows()}
    assert (3, "likert_unknown_label", "N1 - Penyampaian") in reasons
    assert (4, "missing_required", "N2 - Nama") in reasons  # answers, no facilitator named
    assert (5, "unknown_category", "N1 - Unsur") in reasons  # "Dosen" is not in the map
    assert (5, "empty_response", "") in reasons  # block 2 left empty
    assert summary.tables["facilitator_ratings"] == 7


def test_names_are_written_only_when_the_codebook_allows(tmp_path: Path) -> None:
    raw = _write(tmp_path / "raw", WIDE.format(extra="\nname_facilitators: true"), _wide_rows())
    clean_study(raw, tmp_path / "out", progress=False, salt=SALT)
    table = pd.read_parquet(tmp_path / "out" / "facilitator_ratings.parquet")
    assert "Yosef Lay" in set(table[C.FACILITATOR_NAME])


def test_long_export_dedupes_per_facilitator(tmp_path: Path) -> None:
    codebook = WIDE.format(extra="").split("    blocks:")[0].replace(
        "columns: {cohort_id: Angkatan, nip: NIP}",
        "columns: {cohort_id: Angkatan, nip: NIP, facilitator_id: Narasumber, session: Sesi}",
    )  # fmt: skip
    rows = ["Angkatan,NIP,Narasumber,Sesi,Penguasaan materi,Penyampaian",
            f"A1,{NIPS[0]},Maria Ndun,1,Baik,Baik", f"A1,{NIPS[0]},Yosef Lay,2,Cukup,Baik",
            f"A1,{NIPS[0]},Yosef Lay,2,Kurang,Kurang"]  # fmt: skip
    raw = _write(tmp_path / "raw", codebook, rows)
    summary = clean_study(raw, tmp_path / "out", progress=False, salt=SALT)
    table = pd.read_parquet(tmp_path / "out" / "facilitator_ratings.parquet")
    assert summary.duplicates == 1 and len(table) == 4
    yosef = facilitator_ids(pd.Series(["Yosef Lay"]), salt=SALT)[0]
    assert table.loc[table[C.FACILITATOR_ID] == yosef, C.SCORE].tolist() == [2.0, 2.0]


# --- the demo --------------------------------------------------------------------------
#: SHA-256 of every demo file before the facilitator exports were added (build_demo() on
#: main at 9a8a1ca): the facilitator generator draws from its own stream, so these stay.
DEMO_HASHES = {
    "daftar_angkatan.xlsx": "3194c7a2707cc65860df83913348afb63026385d6c4be6096923a88d752104b5",
    "peserta_2023.xlsx": "005bc42240ded125e4a4828a612a3e277d35c4589349bc462f0ec83cec3a2e95",
    "peserta_2024.xlsx": "d9b0d759e49fa4251cad6f65f482fa8e7a32123ea74f69b83dea6136ea48d35d",
    "peserta_2025.csv": "0bb4425aefd021162aa1083302e885954538bbbb8ecdbf0d4fdad62ef1ffc6f5",
    "reaksi_PKP.csv": "e1104b7485aea14c3d5046a64721fbcf003659cfe132a7c8f91053c5b07134c3",
    "reaksi_KMP.csv": "2d651cee48129e5111c85299f984d549bb4c0d3a5ce90832a68d6789f2e5043e",
    "reaksi_KST.csv": "50220359f8c7f8badbbee0f49eef7dbdfcdb809f4111e515b699641061f53ebf",
    "reaksi_MWT.csv": "7e15f33f0380a641b150f9362606321d9227fd135d8cdce172cfddaac4b005ba",
    "reaksi_PPR.csv": "f630d30faf43b61e991ff9790e60a48146363aee8d41aabddec87964dc933add",
    "reaksi_SPBE.csv": "4a5959bddb3f3ab1fe2a6fa3d96415a311a1812c21db2114ba4526ca28a4a543",
    "survei_lms_SPBE-2024-02.csv": "2844647da895ba1e503a35b6497f5b95d5e1b56d3f5e29edba4663170eaa6d36",
    "nilai_tes.csv": "a65cfad3161d59d2aa12eec5f261ebbf9368295a18c2b5e2cfff12d37f4437ab",
    "butir_tes_PPR-2024-02.csv": "d84b27f843770637c0ce5d54da608fd64a0f9f3606937459bee291d0eeabd254",
    "butir_tes_SPBE-2024-02.csv": "7a3e1e9e99d0890cfe8c4ac2647c9f21cdfb962b48e699ac9d392e8990ddb528",
    "butir_tes_KST-2025-02.csv": "86362dbf1cb641ea2fd6753def2ed83cb8f9b967e639c3f3d248fc34dc568a38",
    "tindak_lanjut_alumni.xlsx": "52b02d2b010441db058eb1627212aecd4ec7aebb875313372d92a9bc320f8b62",
    "tindak_lanjut_atasan.xlsx": "0859cbed2cdb9452ae05ba2b692d130256addbd693c701220f94f4b54b061826",
    "monitoring_aksi_perubahan.xlsx": "7875cc8ad3a0cd157bd3ae32df4256340d21eed8e242cfce73399db1f4f739ca",
    "skm_olah_data.xlsx": "b8bbf85d193bb88f46f6f31b2d1f4283df336a24fd05c673cd1258614d4aa2ea",
    "kpi_unit.xlsx": "7c8794c78ace130488de6ca9cc1bdcfd58de5c9ae030dd46578596013bab0b52",
    "rincian_biaya.xlsx": "4743ecb160b39bec9f9739ded9ac6141cc370f5ff39c3e29fb81b99636d92d5e",
    "estimasi_manfaat.xlsx": "0191ac8bddbe9fbd7fdab3a22bf9e8c58acaeb910b9371e67479cbd7554345fc",
}


def test_other_demo_files_are_unchanged_by_the_facilitator_exports() -> None:
    files, _truth = build_demo()
    got = {f.name: hashlib.sha256(file_bytes(f)).hexdigest() for f in files}
    assert {k: got[k] for k in DEMO_HASHES} == DEMO_HASHES
    # new beside the facilitator exports: the retrospective (PTIA) exports and 12-month wave
    assert set(got) - set(DEMO_HASHES) == {
        "evaluasi_narasumber.csv", "evaluasi_widyaiswara_2025.xlsx",
        "ptia_jawaban_kuesioner.xlsx", "swanilai_awal_pelatihan.xlsx", "tindak_lanjut_12bulan.xlsx",
    }  # fmt: skip


@pytest.fixture(scope="module")
def demo_study(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    root = tmp_path_factory.mktemp("facdemo")
    raw = write_demo(root / "raw", progress=False)
    clean_study(raw, root / "out", progress=False, salt=SALT)
    return root / "out", json.loads((raw / "truth.json").read_text(encoding="utf-8"))


def test_demo_recovers_the_weak_facilitator(demo_study) -> None:
    out, truth = demo_study
    ratings = pd.read_parquet(out / "facilitator_ratings.parquet")
    assert truth["effects"]["weak_facilitator"]["value"] == WEAK_FACILITATOR
    weak = facilitator_ids(pd.Series([WEAK_FACILITATOR]), salt=SALT)[0]
    summary = facilitator_summary(ratings)
    assert len(summary) == 8 and summary["mean"].idxmin() == weak
    others = summary.drop(index=weak)
    assert summary.loc[weak, "ci_high"] < others["mean"].min()
    taught = sum(WEAK_FACILITATOR in names for names in teaching().values())
    assert summary.loc[weak, "n_cohorts"] == taught and summary.loc[weak, "cluster"] == "cohort"
    assert (summary["n_raters"] >= 5).all() and summary["alpha"].between(0.5, 1).all()


def test_demo_variance_and_link_follow_the_planted_design(demo_study) -> None:
    out, truth = demo_study
    ratings = pd.read_parquet(out / "facilitator_ratings.parquet")
    split = facilitator_variance(ratings)
    assert split["estimable"].all() and split["design"].iloc[0] == "crossed"
    planted = np.var(list(truth["effects"]["facilitator_effects"]["value"].values()), ddof=1)
    assert split.loc["facilitator", "variance"] == pytest.approx(planted, rel=0.5)
    link = facilitator_gain_link(ratings, pd.read_parquet(out / "learning.parquet"))
    assert truth["effects"]["facilitator_gain_link"]["value"] > 0
    assert link["n"] == 15 and link["r"] > 0.3


# --- reporting -------------------------------------------------------------------------
def test_table_suppresses_small_facilitators_and_uses_pseudonyms(ref_ratings) -> None:
    from evalkit import reporting as ekr

    summary = facilitator_summary(ref_ratings)
    assert (summary["n_clusters"] == summary["df"] + 1).all()
    assert summary.loc["F1", "n_clusters"] == 5 and summary.loc["F6", "n_clusters"] == 11
    few = ref_ratings[~((ref_ratings["facilitator_id"] == "F6")
                        & ~ref_ratings["participant_id"].isin(["C6-P01", "C6-P02"]))]  # fmt: skip
    small = facilitator_summary(few)
    assert small.loc["F6", "n_raters"] == 2
    table = ekr.facilitator_table(small, "en", labels={"F1": "F1"}, roles={"F1": "widyaiswara"})
    assert "F6" not in table.index and len(table) == 5
    assert table.loc["F1", "Role"] == "Widyaiswara" and table.index[0] == "F4"  # highest mean
    text = ekr.facilitator_conclusion(small, "en")
    assert (
        "5 facilitators were rated by at least 5 participants (1 with fewer is not shown)" in text
    )
    assert "F6" not in text and "The lowest rated, F3, has a mean of 3.07" in text
    id_text = ekr.facilitator_conclusion(small, "id")
    assert "5 narasumber dinilai" in id_text and "3,07" in id_text
    labels = ekr.facilitator_labels(ref_ratings.assign(facilitator_name=None))
    assert labels["F1"] == "F1"
    named = ekr.facilitator_labels(ref_ratings.assign(facilitator_name="Ana"))
    assert set(named.values()) == {"Ana"}


def test_variance_and_link_sentences(ref_ratings, ref_learning) -> None:
    from evalkit import reporting as ekr

    split = facilitator_variance(ref_ratings)
    share = split["share"].to_numpy() * 100
    text = ekr.variance_conclusion(split, "en")
    assert f"{share[0]:.1f}% lies between facilitators" in text
    assert f"{share[1]:.1f}% between cohorts" in text and "crossed" in text
    assert ekr.variance_table(split, "id").shape == (3, 2)
    few = ref_ratings[ref_ratings["cohort_id"].isin(["C1", "C2"])]
    assert "fewer than 3 cohorts" in ekr.variance_conclusion(facilitator_variance(few), "en")
    link = facilitator_gain_link(ref_ratings, ref_learning)
    en = ekr.gain_link_conclusion(link, "en")
    assert "Across 8 cohorts, cohorts whose facilitators were rated higher" in en
    assert "r = .89 (95% CI .51 to .98), t(6) = 4.89, p = .003" in en and "ecological" in en
    assert "r = 0,89 (IK 95% 0,51 s.d. 0,98)" in ekr.gain_link_conclusion(link, "id")
    three = facilitator_gain_link(few, ref_learning)
    assert "only 2 cohorts have both" in ekr.gain_link_conclusion(three, "en")
    assert "Belum ada penilaian narasumber" in ekr.facilitator_note("study", "id")


def test_facilitator_names_are_scrubbed_from_comments(tmp_path: Path) -> None:
    codebook = WIDE.format(extra="").split("    blocks:")[0].replace(
        "columns: {cohort_id: Angkatan, nip: NIP}",
        "columns: {cohort_id: Angkatan, nip: NIP, facilitator_id: Narasumber}\n"
        "    comments: {from: Saran}",
    )  # fmt: skip
    rows = ["Angkatan,NIP,Narasumber,Penguasaan materi,Penyampaian,Saran",
            f"A1,{NIPS[0]},\"Dr. Maria Ndun, M.Si\",Baik,Baik,Ibu Maria Ndun sangat jelas",
            f"A1,{NIPS[1]},Yosef Lay,Cukup,Baik,terlalu cepat"]  # fmt: skip
    raw = _write(tmp_path / "raw", codebook, rows)
    clean_study(raw, tmp_path / "out", progress=False, salt=SALT)
    comments = pd.read_parquet(tmp_path / "out" / "comments.parquet")
    assert sorted(comments["text"]) == ["Ibu [nama] sangat jelas", "terlalu cepat"]


# --- the notebooks -----------------------------------------------------------------------
def weak_id(ratings: pd.DataFrame) -> str:
    """The weak facilitator's pseudonym (this test's salt), checked to be in the table."""
    fid = facilitator_ids(pd.Series([WEAK_FACILITATOR]), salt=SALT)[0]
    assert fid in set(ratings[C.FACILITATOR_ID])
    return fid


def _run_notebook(name: str, root: Path):
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(Path(__file__).resolve().parent.parent / "notebooks" / name, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(root / "notebooks")}}).execute()  # fmt: skip
    return nb


@pytest.mark.slow
def test_notebooks_record_the_facilitator_estimates(demo_study, tmp_path, monkeypatch) -> None:
    import shutil

    from evalkit.reporting.record import recorded_estimates

    out, _truth = demo_study
    root = tmp_path / "project"
    (root / "evalkit").mkdir(parents=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'scratch'\n")
    (root / "notebooks").mkdir()
    shutil.copytree(out, root / "data" / "processed" / "demo")
    monkeypatch.delenv("EVALKIT_ROOT", raising=False)
    ratings = pd.read_parquet(out / "facilitator_ratings.parquet")
    overview = _run_notebook("program_overview.ipynb", root)
    rows = pd.DataFrame(recorded_estimates(overview))
    mine = rows[rows["outcome"].str.startswith("facilitator rating")]
    summary = facilitator_summary(ratings)
    means = mine[mine["estimand"] == "mean"].set_index("group")
    assert sorted(means.index) == sorted(summary.index)  # every facilitator has >= 5 raters
    np.testing.assert_allclose(means.loc[summary.index, "estimate"], summary["mean"], rtol=1e-12)
    np.testing.assert_allclose(means.loc[summary.index, "ci_low"], summary["ci_low"], rtol=1e-12)
    split = facilitator_variance(ratings)
    icc = mine[mine["estimand"] == "icc"].set_index("group")["estimate"]
    assert icc["facilitator"] == pytest.approx(split.loc["facilitator", "share"], rel=1e-9)
    link = facilitator_gain_link(ratings, pd.read_parquet(out / "learning.parquet"))
    r = mine[mine["estimand"] == "correlation"].iloc[0]
    assert r["estimate"] == pytest.approx(link["r"], rel=1e-12) and r["n"] == 15
    # ratings by role: each role's mean, and the differences from widyaiswara
    roles = rows[rows["outcome"].str.startswith("facilitator role")]
    role_means = facilitator_role_means(ratings)
    got_roles = roles[roles["estimand"] == "mean"].set_index("group")
    assert sorted(got_roles.index) == ["academic", "practitioner", "widyaiswara"]
    np.testing.assert_allclose(got_roles.loc[role_means.index, "estimate"], role_means["mean"],
                               rtol=1e-12)  # fmt: skip
    role_cmp = facilitator_role_comparison(ratings).drop(index="overall")
    diffs = roles[roles["estimand"] == "difference"].set_index("group")
    np.testing.assert_allclose(diffs.loc[role_cmp.index, "p_value"], role_cmp["p"], rtol=1e-12)
    # the planner on transfer: each program's 3-month index, per million rupiah, the MDE
    followup = pd.read_parquet(out / "followup.parquet")
    cohorts = pd.read_parquet(out / "cohorts.parquet")
    transfer = program_transfer(followup, cohorts, months=3)
    planned = rows[rows["outcome"] == "transfer index per program (planner), 3 months"]
    planned = planned.set_index("group")
    np.testing.assert_allclose(planned.loc[transfer.index, "estimate"], transfer["transfer"],
                               rtol=1e-12)  # fmt: skip
    per = rows[rows["outcome"].str.startswith("transfer index points per IDR 1 million")]
    mde = rows[rows["outcome"].str.startswith("follow-up of the participants")]
    assert len(per) == len(mde) == len(transfer) and per["estimate"].notna().all()
    cohort = _run_notebook("cohort_report.ipynb", root)
    rows = pd.DataFrame(recorded_estimates(cohort))
    first = pd.read_parquet(out / "cohorts.parquet")["cohort_id"].iloc[0]
    own = facilitator_summary(ratings[ratings["cohort_id"] == first])
    got = rows[rows["outcome"] == "facilitator rating (item scale)"].set_index("group")
    np.testing.assert_allclose(got.loc[own.index, "estimate"], own["mean"], rtol=1e-12)
    # no facilitator is named in either report (the demo does not allow names)
    shown = json.dumps([c.get("outputs", []) for nb in (overview, cohort) for c in nb.cells])
    surnames = {name.split(",")[0].split()[-1] for name in FACILITATORS}
    assert not [s for s in surnames if s in shown] and weak_id(ratings) in shown
