"""Onboarding the exports of results: IKM, unit KPIs, benefits, the PTIA then-test.

The main test runs ``init`` on the demo's raw files without its codebook: the proposal
must map every one of these tables, and cleaning with it must give the tables the demo's
own codebook gives (the units' canonical names, which the proposal guesses, aside).
"""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest
import yaml

from evalkit.data.clean import clean_study
from evalkit.data.codebook import load_codebook, parse_codebook
from evalkit.data.onboard import build_proposal, render_codebook
from evalkit.data.onboard.draft import Draft, Proposal
from evalkit.data.onboard.outcome_tables import (
    ikm_elements,
    outcome_kind,
    period_value,
    rater_spec,
)
from evalkit.data.onboard.roles import guess_source
from evalkit.data.onboard.sources import Source
from evalkit.metrics.results import ikm

#: The demo codebook's entries of these tables, and the kind each must be proposed as.
OUTCOMES = {"ikm": "ikm", "unit_kpi": "unit_kpi", "benefits": "benefits",
            "retrospective": "retrospective", "retrospective_pretest": "retrospective",
            "followup_12_months": "followup"}  # fmt: skip


@pytest.fixture(scope="module")
def demo_raw(tmp_path_factory):
    """The demo's raw exports (no codebook, no truth) and its own codebook, apart."""
    from evalkit.data.demo import write_demo

    base = tmp_path_factory.mktemp("demo_outcomes")
    raw = write_demo(base / "demo", progress=False)
    bare = base / "bare"
    bare.mkdir()
    for path in raw.iterdir():
        if path.is_file() and path.name not in ("codebook.yaml", "truth.json"):
            shutil.copy2(path, bare / path.name)
    return raw, bare


def _by_file(codebook) -> dict[tuple[str, str], object]:
    return {(spec.files[0], spec.table): spec for spec in codebook.tables.values()}


def test_init_on_the_demo_maps_ikm_kpi_benefits_and_retrospective(demo_raw, tmp_path):
    raw, bare = demo_raw
    proposal = build_proposal(bare, "demo")
    text = render_codebook(proposal)
    proposed = parse_codebook(yaml.safe_load(text))
    demo = load_codebook(raw)
    mine = _by_file(proposed)
    assert not [u for u in proposal.unused if "skm_olah" in u or "kpi_unit" in u]
    assert not [u for u in proposal.unused if "estimasi" in u or "swanilai" in u]
    for key, table in OUTCOMES.items():
        theirs = demo.tables[key]
        assert theirs.table == table
        ours = mine[(theirs.files[0], table)]  # same file, same table
        for name, col in theirs.columns.items():
            assert name in ours.columns, (key, name)
            got = ours.columns[name]
            assert (got.source, got.value) == (col.source, col.value), (key, name)
            if col.values is not None:  # labels mapped as the demo maps them, whatever the name
                assert got.values, (key, name)
                assert all(col.values.get(k) == v for k, v in got.values.items()), (key, name)
        assert set(ours.columns) == set(theirs.columns), key
        if theirs.dedupe is not None:
            assert set(ours.dedupe.key) == set(theirs.dedupe.key), key
    notes = proposal.notes
    ikm_key = next(k for k, v in proposed.tables.items() if v.table == "ikm")
    assert "impact" in notes[f"tables.{ikm_key}"]

    # cleaning with the proposal gives the demo's tables
    keep = {"participants", "cohorts", *OUTCOMES.values()}
    cuts = {}
    for name, folder, data in (("demo", raw, yaml.safe_load((raw / "codebook.yaml").read_text())),
                               ("mine", bare, yaml.safe_load(text))):  # fmt: skip
        data["tables"] = {k: v for k, v in data["tables"].items()
                          if v.get("table", k) in keep}  # fmt: skip
        data.pop("impact", None)
        cut = tmp_path / name
        cut.mkdir()
        for file in {f for v in data["tables"].values() for f in v["files"]}:
            for path in folder.glob(file):
                shutil.copy2(path, cut / path.name)
        (cut / "codebook.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
        cuts[name] = clean_study(cut, tmp_path / f"out_{name}", progress=False, salt=b"s")
    for table in ("ikm", "unit_kpi", "benefits", "retrospective", "followup", "cohorts"):
        a = pd.read_parquet(tmp_path / "out_demo" / f"{table}.parquet")
        b = pd.read_parquet(tmp_path / "out_mine" / f"{table}.parquet")
        assert len(a) == len(b) > 0, table
        if "unit" in a:  # the proposal's canonical unit names are guesses (REVIEW)
            rest = [c for c in a.columns if c != "unit"]
            a, b = (x.sort_values(rest, kind="mergesort").reset_index(drop=True) for x in (a, b))
            assert (a["unit"] == b["unit"]).mean() > 0.98, table
            a, b = a[rest], b[rest]
        pd.testing.assert_frame_equal(a, b, obj=table)


def test_ikm_needs_all_nine_elements_and_answers_1_to_4():
    frame = pd.DataFrame({"Unit Layanan": ["Dinkes"] * 3, "Periode": ["2024-S1"] * 3,
                          **{f"U{k}": ["1", "4", "3"] for k in range(1, 10)}})  # fmt: skip
    g = guess_source(Source("skm.xlsx", None, 1, frame))
    assert list(ikm_elements(g)) == [f"u{k}" for k in range(1, 10)]
    assert outcome_kind(g) == "ikm"
    assert ikm_elements(guess_source(Source("s.xlsx", None, 1, frame.drop(columns="U9")))) == {}
    five = frame.assign(U3=["1", "5", "2"])
    assert ikm_elements(guess_source(Source("s.xlsx", None, 1, five))) == {}


@pytest.mark.parametrize(
    ("columns", "kind"),
    [
        ({"Unit Kerja": ["Dinkes"], "Periode": ["2024-S1"], "Jumlah Pengaduan": ["3"]},
         "unit_kpi"),
        ({"Unit Kerja": ["Dinkes"], "Periode": ["2024-S1"], "Lama layanan (hari)": ["2,5"]},
         "unit_kpi"),
        ({"Unit Kerja": ["Dinkes"], "Keterangan": ["x"]}, None),
        ({"NIP": ["198505122010011002"], "Angkatan": ["K1"], "Nilai manfaat per tahun": ["1"],
          "Atribusi": ["60%"], "Keyakinan": ["80%"]}, "benefits"),
        ({"NIP": ["198505122010011002"], "Angkatan": ["K1"], "Atribusi": ["60%"],
          "Keyakinan": ["80%"]}, None),
        ({"NIP": ["198505122010011002"], "Kode Diklat": ["K1"], "Responden": ["Atasan"],
          "Kode Pertanyaan": ["b1"], "Nilai Sebelum": ["2"], "Nilai Sesudah": ["3"]},
         "retrospective"),
        ({"NIP": ["198505122010011002"], "Kode Diklat": ["K1"], "Aspek": ["Motivasi"],
          "Kode Pertanyaan": ["b1"], "Nilai": ["2"]}, "retrospective"),
        ({"NIP": ["198505122010011002"], "Kode Diklat": ["K1"], "Nilai Sebelum": ["2"],
          "Nilai Sesudah": ["3"]}, None),  # no question code: not the then-test
    ],
)  # fmt: skip
def test_outcome_kind_from_the_headers(columns, kind):
    assert outcome_kind(guess_source(Source("x.xlsx", None, 1, pd.DataFrame(columns)))) == kind


def test_periods_in_the_spelling_cleaning_orders():
    assert [period_value(p) for p in ("Semester I 2023", "semester ii 2024", "S2 2025",
                                      "2024-S1", "Triwulan III 2023", "TW 4 2024", "Q1 2025",
                                      "2024", "Semester III 2024", "Juni 2024")] == [
        "2023-S1", "2024-S2", "2025-S2", "2024-S1", "2023-Q3", "2024-Q4", "2025-Q1", "2024",
        None, None]  # fmt: skip


def test_the_rater_column_maps_alumni_and_supervisors():
    g = guess_source(Source("ptia.xlsx", None, 1, pd.DataFrame({"Responden": ["Alumni", "Atasan",
                                                                              "Mentor", "Tamu"]})))  # fmt: skip
    draft = Draft(Proposal({}), {}, set())
    spec = rater_spec(draft, g, "Responden", "tables.r.columns.rater")
    assert spec["values"] == {"alumni": "self", "atasan": "supervisor", "mentor": "supervisor"}
    assert "'tamu'" in draft.proposal.notes["tables.r.columns.rater"]
    constant = rater_spec(draft, _guess_of("tindak_lanjut_atasan.xlsx"), None, "p")
    assert constant == {"value": "supervisor"} and draft.proposal.notes["p"].startswith("REVIEW")


def _guess_of(file: str):
    return guess_source(Source(file, None, 1, pd.DataFrame({"NIP": ["198505122010011002"]})))


def test_ikm_takes_the_element_names_in_any_case():
    rng = np.random.default_rng(3)
    lower = pd.DataFrame({f"u{k}": rng.integers(1, 5, 40) for k in range(1, 10)})
    upper = lower.rename(columns=str.upper)
    # the regulation's computation by hand: mean of the nine element means, times 25
    by_hand = sum(lower[f"u{k}"].mean() for k in range(1, 10)) / 9 * 25
    assert float(ikm(upper)["ikm"]) == pytest.approx(by_hand, rel=1e-14)
    named = ikm(lower, elements=[f"U{k}" for k in range(1, 10)])
    assert float(named["ikm"]) == pytest.approx(by_hand, rel=1e-14)
    assert named["nrr_U1"] == pytest.approx(lower["u1"].mean(), rel=1e-14)
    from evalkit.errors import ParameterError

    both = lower.assign(U1=lower["u1"])  # 'u1' exactly, so no doubt which column
    assert float(ikm(both)["ikm"]) == pytest.approx(by_hand, rel=1e-14)
    with pytest.raises(ParameterError, match="'u7'"):
        ikm(upper.drop(columns="U7"))
