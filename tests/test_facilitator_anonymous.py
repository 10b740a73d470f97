"""Anonymous facilitator forms: no NIP or name of the rater, in long and wide exports.

Cleaning gives each row of an anonymous export its own rater key (shared by the blocks of
one row of a wide export), looks nobody up on the roster and adds no participant; the
metrics then count export rows as raters and, within one cohort, cluster by export row.
The one-cohort interval is checked against scipy's one-sample t (forms as independent).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from evalkit import constants as C
from evalkit.data.build_facilitators import anonymous_raters, facilitator_ids
from evalkit.data.clean import clean_study
from evalkit.data.codebook import parse_codebook
from evalkit.errors import CodebookError
from evalkit.metrics.facilitator import (
    facilitator_forms,
    facilitator_role_comparison,
    facilitator_role_means,
    facilitator_summary,
)
from evalkit.reporting.conclusions.facilitator import facilitator_conclusion, role_conclusion
from evalkit.reporting.facilitator_tables import facilitator_table

SALT = b"anonymous facilitator test salt"
NIPS = ("198505122010011002", "199001012015032001", "198712302012121003")

HEAD = """study: anon
likert:
  baik5: {max: 5, labels: {kurang: 2, cukup: 3, baik: 4, "sangat baik": 5}}
values:
  role: {widyaiswara: widyaiswara, praktisi: practitioner}
tables:
  peserta:
    table: participants
    files: [p.csv]
    columns: {cohort_id: Angkatan, nip: NIP, name: Nama}
"""

LONG = (
    HEAD
    + """  evaluasi:
    table: facilitator_ratings
    files: [e.csv]
    columns:
      cohort_id: Angkatan
      facilitator_id: Narasumber
      facilitator_role: {from: Unsur, type: category, values: role}
      session: Sesi
    items:
      mastery: {from: "Penguasaan materi", likert: baik5}
      delivery: {from: "Penyampaian", likert: baik5}
"""
)

WIDE = (
    HEAD
    + """  evaluasi:
    table: facilitator_ratings
    anonymous: true
    files: [e.csv]
    columns: {cohort_id: Angkatan}
    items:
      mastery: {from: "Penguasaan materi", likert: baik5}
      delivery: {from: "Penyampaian", likert: baik5}
    blocks:
      n1:
        prefix: "N1 - "
        columns:
          facilitator_id: "N1 - Nama"
          facilitator_role: {value: widyaiswara}
          session: {value: "1"}
      n2:
        prefix: "N2 - "
        columns:
          facilitator_id: "N2 - Nama"
          facilitator_role: {value: practitioner}
          session: {value: "2"}
"""
)

LABELS = ("Kurang", "Cukup", "Baik", "Sangat Baik")


def _write(raw: Path, codebook: str, rows: list[str]) -> Path:
    raw.mkdir(parents=True)
    (raw / "codebook.yaml").write_text(codebook, encoding="utf-8")
    (raw / "e.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    roster = ["Angkatan,NIP,Nama"] + [f"A1,{nip},Peserta {k}" for k, nip in enumerate(NIPS)]
    (raw / "p.csv").write_text("\n".join(roster) + "\n", encoding="utf-8")
    return raw


def _long_rows() -> list[str]:
    rng = np.random.default_rng(7)
    rows = ["Angkatan,Narasumber,Unsur,Sesi,Penguasaan materi,Penyampaian"]
    for name, role, session, base in (("Maria Ndun", "Widyaiswara", 1, 2),
                                      ("Yosef Lay", "Praktisi", 2, 1)):  # fmt: skip
        for _ in range(8):
            a, b = (LABELS[min(3, base + int(rng.integers(0, 2)))] for _ in range(2))
            rows.append(f"A1,{name},{role},{session},{a},{b}")
    rows.append("A1,Maria Ndun,Widyaiswara,1,Baik,Baik")  # the same answers again: kept
    return rows


def _wide_rows() -> list[str]:
    rows = ["Angkatan,N1 - Nama,N1 - Penguasaan materi,N1 - Penyampaian,"
            "N2 - Nama,N2 - Penguasaan materi,N2 - Penyampaian"]  # fmt: skip
    answers = [("Baik", "Sangat Baik", "Cukup", "Baik"), ("Baik", "Baik", "Kurang", "Cukup"),
               ("Sangat Baik", "Baik", "Baik", "Baik"), ("Cukup", "Baik", "Cukup", "Cukup"),
               ("Baik", "Baik", "Cukup", "Kurang"), ("Sangat Baik", "Sangat Baik", "Baik", ""),
               ("Baik", "Cukup", "Cukup", "Cukup")]  # fmt: skip
    for a, b, c, d in answers:
        rows.append(f"A1,Maria Ndun,{a},{b},Yosef Lay,{c},{d}")
    return rows


@pytest.fixture(scope="module")
def long_study(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("anonlong")
    clean_study(_write(root / "raw", LONG, _long_rows()), root / "out", progress=False, salt=SALT)
    return root / "out"


@pytest.fixture(scope="module")
def wide_study(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("anonwide")
    clean_study(_write(root / "raw", WIDE, _wide_rows()), root / "out", progress=False, salt=SALT)
    return root / "out"


def _log(out: Path) -> pd.DataFrame:
    return pd.read_csv(out / "quality_log.csv", keep_default_na=False)


def test_long_anonymous_export_gives_each_row_its_own_rater(long_study: Path) -> None:
    table = pd.read_parquet(long_study / "facilitator_ratings.parquet")
    forms = facilitator_forms(table)
    assert len(forms) == 17  # every row a form, the repeated answers too (no dedupe)
    assert forms[C.PARTICIPANT_ID].nunique() == 17
    assert forms[C.PARTICIPANT_ID].str.fullmatch(r"A[0-9A-F]{10}").all()
    # no rater is looked up on the roster, none is quarantined, none becomes a participant
    log = _log(long_study)
    assert not log["reason"].str.startswith(("not_on_roster", "missing_required")).any()
    assert not (log["action"] == "quarantined").any()
    people = pd.read_parquet(long_study / "participants.parquet")
    assert len(people) == 3 and not people[C.PARTICIPANT_ID].isin(forms[C.PARTICIPANT_ID]).any()
    maria = facilitator_ids(pd.Series(["Maria Ndun"]), salt=SALT)[0]
    assert set(table[C.FACILITATOR_ID]) == {maria, facilitator_ids(pd.Series(["Yosef Lay"]),
                                                                    salt=SALT)[0]}  # fmt: skip


def test_wide_anonymous_export_keeps_a_rows_blocks_together(wide_study: Path) -> None:
    table = pd.read_parquet(wide_study / "facilitator_ratings.parquet")
    forms = facilitator_forms(table)
    assert len(forms) == 14  # 7 rows x 2 blocks
    per_rater = forms.groupby(C.PARTICIPANT_ID)[C.FACILITATOR_ID].nunique()
    assert len(per_rater) == 7 and (per_rater == 2).all()  # one key per row, both blocks
    assert set(table[C.FACILITATOR_ROLE]) == {"widyaiswara", "practitioner"}
    log = _log(wide_study)
    assert not log["reason"].str.startswith(("not_on_roster", "missing_required")).any()
    assert len(pd.read_parquet(wide_study / "participants.parquet")) == 3


def test_one_cohort_interval_treats_export_rows_as_raters(long_study: Path) -> None:
    table = pd.read_parquet(long_study / "facilitator_ratings.parquet")
    summary = facilitator_summary(table)
    forms = facilitator_forms(table)
    for fid, row in summary.iterrows():
        y = forms.loc[forms[C.FACILITATOR_ID] == fid, "rating"].to_numpy()
        assert (row["cluster"], row["n_anonymous"], row["n_raters"]) == ("row", len(y), len(y))
        # each form its own cluster: CR1 reduces to the one-sample t interval
        low, high = stats.t.interval(0.95, len(y) - 1, loc=y.mean(), scale=stats.sem(y))
        assert row["se"] == pytest.approx(stats.sem(y), rel=1e-12)
        assert (row["ci_low"], row["ci_high"]) == pytest.approx((low, high), rel=1e-12)
    words = facilitator_conclusion(summary, "en")
    assert "17 of the 17 forms are anonymous (no NIP or name)" in words
    assert "a person who sent two forms counts twice" in words
    assert "formulir anonim" in facilitator_conclusion(summary, "id")
    shown = facilitator_table(summary, "en")
    assert shown.iloc[0]["95% CI"].endswith("(export rows)")


def test_roles_within_one_anonymous_cohort_cluster_by_export_row(wide_study: Path) -> None:
    table = pd.read_parquet(wide_study / "facilitator_ratings.parquet")
    means = facilitator_role_means(table)
    assert means["cluster"].eq("row").all() and means["n_anonymous"].eq(7).all()
    cmp = facilitator_role_comparison(table)
    row = cmp.loc["practitioner - widyaiswara"]
    assert (row["cluster"], row["n_clusters"]) == ("row", 7)
    # the blocks of one row are one respondent: the contrast is the paired difference
    forms = facilitator_forms(table)
    wide = forms.pivot(index=C.PARTICIPANT_ID, columns=C.FACILITATOR_ID, values="rating")
    roles = table.drop_duplicates(C.FACILITATOR_ID).set_index(C.FACILITATOR_ID)[C.FACILITATOR_ROLE]
    d = (wide[roles[roles == "practitioner"].index[0]]
         - wide[roles[roles == "widyaiswara"].index[0]]).to_numpy()  # fmt: skip
    assert row["mean_diff"] == pytest.approx(d.mean(), rel=1e-12)
    # CR1 of a two-group OLS with both groups in every cluster (balanced): the paired t
    # scaled by the small-sample factor (N - 1) / (N - K) with N = 14 forms, K = 2
    paired = stats.ttest_1samp(d, 0.0)
    factor = np.sqrt((14 - 1) / (14 - 2))
    assert row["se"] == pytest.approx(stats.sem(d) * factor, rel=1e-12)
    assert row["p"] == pytest.approx(
        2 * stats.t.sf(abs(paired.statistic) / factor, len(d) - 1), rel=1e-10
    )
    words = role_conclusion(means, cmp, "en")
    assert "cluster-robust by export row, 7 export rows" in words


def test_anonymous_key_is_checked() -> None:
    import yaml

    base = yaml.safe_load(WIDE)
    parse_codebook(base)  # anonymous: true, no rater column: valid
    named = yaml.safe_load(WIDE)
    named["tables"]["evaluasi"]["columns"]["nip"] = "NIP"
    with pytest.raises(CodebookError, match=r"tables\.evaluasi\.anonymous: an anonymous entry "
                       "maps no rater, but it maps 'nip'"):  # fmt: skip
        parse_codebook(named)
    flag = yaml.safe_load(WIDE)
    flag["tables"]["evaluasi"]["anonymous"] = "ya"
    with pytest.raises(CodebookError, match=r"anonymous: must be true or false"):
        parse_codebook(flag)
    other = yaml.safe_load(WIDE)
    other["tables"]["peserta"]["anonymous"] = True
    with pytest.raises(CodebookError, match="only facilitator_ratings entries may be anonymous"):
        parse_codebook(other)


def test_rater_keys_are_per_file_and_row() -> None:
    frame = pd.DataFrame({"_file": ["a.csv", "b.csv", "a.csv"], "_row": [2, 2, 2]})
    keys = anonymous_raters(frame, salt=SALT)
    assert keys[0] == keys[2] and keys[0] != keys[1]
    assert anonymous_raters(frame, salt=b"other")[0] != keys[0]
