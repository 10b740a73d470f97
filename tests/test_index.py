"""``reports/index.html`` from the reports' state files (no kernel needed)."""

from __future__ import annotations

import json
from pathlib import Path

from evalkit.run.index import study_title, write_index


def _state(folder: Path, state: dict, *, html: bool = True) -> None:
    executed = folder / "_executed"
    executed.mkdir(parents=True, exist_ok=True)
    (executed / f"{state['name']}.json").write_text(json.dumps(state), encoding="utf-8")
    if html and state.get("html"):
        (folder / state["html"]).write_text("<html></html>", encoding="utf-8")


def _manifest(root: Path, study: str, **extra) -> None:
    folder = root / "data" / "processed" / study
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "manifest.json").write_text(json.dumps({"study": study, **extra}))


def _rows(page: str) -> list[str]:
    return [line for line in page.splitlines() if line.startswith("<tr><td")]


def test_index_rows_read_each_kind_of_headline(tmp_path):
    reports = tmp_path / "reports"
    cohort = {
        "status": "ok", "kind": "cohort", "cohort_id": "A", "name": "cohort-A",
        "html": "cohort-A.html",
        "headline": {"study": "s", "cohort_id": "A", "program_name": "Pelayanan <Prima>",
                     "n": 24, "reaction_index": 76.82, "alpha": 0.8787, "mean_diff": 5.96,
                     "ci_low": 3.27, "ci_high": None, "d_z": 0.936, "hake_g": 0.131,
                     "transfer_index": 59.72, "legacy": 1},
    }  # fmt: skip
    overview = {
        "status": "ok", "kind": "overview", "cohort_id": None, "name": "overview",
        "html": "overview.html", "headline": {"study": "s", "n_cohorts": 15, "n": 1409},
    }  # fmt: skip
    impact = {
        "status": "ok", "kind": "impact", "cohort_id": None, "name": "impact",
        "html": "impact.html",
        "headline": {"did_ikm_estimate": 6.28, "did_ikm_ci_low": 5.17, "did_ikm_ci_high": 7.4},
    }  # fmt: skip
    failed = {"status": "failed", "kind": "cohort", "cohort_id": "B", "name": "cohort-B"}
    for state in (impact, failed, overview, cohort):
        _state(reports / "s", state)
    page = write_index(reports, lang="id", root=tmp_path).read_text(encoding="utf-8")
    assert _rows(page) == [
        '<tr><td><a href="s/cohort-A.html">Angkatan A</a></td><td>Pelayanan &lt;Prima&gt;</td>'
        + "<td></td>" * 2 + "<td>24</td><td>76,8</td><td>0,88</td><td>6,0 (3,3 s.d. –)</td>"
        "<td>0,94</td><td>0,13</td><td>59,7</td>" + "<td></td>" * 3 + "</tr>",
        "<tr><td>Angkatan B</td>" + "<td></td>" * 12 + '<td class="failed">gagal</td></tr>',
        '<tr><td><a href="s/overview.html">Ikhtisar program</a></td>' + "<td></td>" * 3
        + "<td>1.409</td>" + "<td></td>" * 9 + "</tr>",
        '<tr><td><a href="s/impact.html">Studi dampak</a></td>' + "<td></td>" * 11
        + "<td>6,3 (5,2 s.d. 7,4)</td><td></td></tr>",
    ]  # fmt: skip
    # with the processed cohorts: program, start, method and follow-up waves; flags
    import pandas as pd

    from evalkit.io.atomic import write_parquet

    processed = tmp_path / "data" / "processed" / "s"
    processed.mkdir(parents=True)
    cohorts = pd.DataFrame({"cohort_id": ["A"], "program_name": ["Pelayanan Prima"],
                            "start_date": pd.to_datetime(["2024-03-11"]),
                            "end_date": pd.to_datetime(["2024-03-13"]),
                            "delivery": ["klasikal"]})  # fmt: skip
    write_parquet(cohorts, processed / "cohorts.parquet")
    followup = pd.DataFrame({"cohort_id": ["A"] * 3, "months_after": [6, 3, 3]})
    write_parquet(followup, processed / "followup.parquet")
    cohort["headline"] = {**cohort["headline"], "kr20": 0.55, "n": 8}
    _state(reports / "s", cohort)
    row = _rows(write_index(reports, lang="id", root=tmp_path).read_text(encoding="utf-8"))[0]
    assert row.startswith(
        '<tr><td><a href="s/cohort-A.html">Angkatan A</a></td><td>Pelayanan Prima</td>'
        "<td>11 Maret 2024</td><td>Klasikal</td><td>8</td>"
    )
    assert row.endswith(
        "<td>3, 6</td><td></td>"
        "<td>reliabilitas tes rendah (KR-20 0,55); n kecil (8 peserta)</td></tr>"
    )
    english = _rows(write_index(reports, lang="en", root=tmp_path).read_text(encoding="utf-8"))
    assert "<td>11 March 2024</td><td>Classroom</td>" in english[0]
    assert "low test reliability (KR-20 .55); small n (8 participants)" in english[0]
    assert "<h2>s</h2>" in page  # no title in the manifest: the study's name


def test_index_in_english_drops_leading_zeros_and_lists_nothing_without_html(tmp_path):
    reports = tmp_path / "reports"
    state = {
        "status": "ok", "kind": "cohort", "cohort_id": "A", "name": "cohort-A",
        "html": "cohort-A.html", "headline": {"n": 3, "alpha": 0.8787, "hake_g": 0.131},
    }  # fmt: skip
    _state(reports / "s", state)
    _state(reports / "t", {**state, "name": "cohort-Z", "html": "cohort-Z.html"}, html=False)
    page = write_index(reports, lang="en", root=tmp_path).read_text(encoding="utf-8")
    assert "<td>.88</td>" in page and "<td>.13</td>" in page
    assert "cohort-Z" not in page and "<h2>t</h2>" not in page  # its HTML is missing
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">')
    assert page.endswith("</body>\n</html>\n")


def test_index_of_no_reports(tmp_path):
    page = write_index(tmp_path / "reports", lang="en").read_text(encoding="utf-8")
    assert "<p>No reports yet.</p>" in page and "<table>" not in page
    assert 'font-family: system-ui, -apple-system, "Segoe UI"' in page  # CSS not escaped


def test_study_title_comes_from_the_processed_manifest_not_the_raw_codebook(tmp_path):
    codebook = tmp_path / "data" / "raw" / "demo" / "codebook.yaml"
    codebook.parent.mkdir(parents=True)
    codebook.write_text("title: {id: 'Judul mentah', en: 'Raw title'}\n")
    assert study_title(tmp_path, "demo", "en") == "demo"  # data/raw is never read
    _manifest(tmp_path, "demo", title={"id": "Evaluasi Kota Kupang", "en": "Kupang evaluation"})
    assert study_title(tmp_path, "demo", "en") == "Kupang evaluation (demo)"
    assert study_title(tmp_path, "demo", "id") == "Evaluasi Kota Kupang (demo)"
    _manifest(tmp_path, "solo", title={"id": "Hanya Indonesia"})
    assert study_title(tmp_path, "solo", "en") == "Hanya Indonesia (solo)"


def test_index_heading_uses_the_manifest_title(tmp_path):
    reports = tmp_path / "reports"
    _manifest(tmp_path, "demo", title={"id": "Evaluasi ASN (data demo)", "en": "ASN evaluation"})
    state = {
        "status": "ok", "kind": "impact", "cohort_id": None, "name": "impact",
        "html": "impact.html", "headline": {},
    }  # fmt: skip
    _state(reports / "demo", state)
    page = write_index(reports, lang="id", root=tmp_path).read_text(encoding="utf-8")
    assert "<h2>Evaluasi ASN (data demo)</h2>" in page
