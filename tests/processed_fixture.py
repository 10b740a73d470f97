"""A small synthetic *processed* study, written the way ``evalkit clean`` writes one.

The report tests need processed tables (see ``docs/data-model.md``) without
depending on the demo generator or on cleaning. :func:`write_processed_study`
writes every table of the data model for a few cohorts into
``<root>/data/processed/<study>/``, with a ``manifest.json``.

Planted features the tests rely on:

- cohort ``C01`` has one golongan with fewer than 5 people (small-cell suppression);
- cohort ``C02`` has a reaction scale whose Cronbach's alpha is below .70
  (items answered independently of each other);
- cohort ``C03`` has no follow-up, no change projects and no test items;
- ``reaction_respondents`` keeps a cohort's reaction answers of its first few
  participants only (``{"C03": 4}``: a cohort whose reaction results the group rule
  withholds);
- every cohort has the comments of :data:`COMMENTS` (one theme above the small-cell
  limit, one below, a placeholder answer and one holding ``<script>`` markup).

Examples
--------
>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as tmp:
...     folder = write_processed_study(pathlib.Path(tmp))
...     sorted(p.name for p in folder.iterdir())[:3]
['cohorts.parquet', 'comments.parquet', 'costs.parquet']
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd

UNITS = (
    "Dinas Kesehatan",
    "Bappeda",
    "DPMPTSP",
    "Dinas Kependudukan dan Pencatatan Sipil",
    "Kecamatan Oebobo",
)
DIMENSIONS = ("content", "facilitator", "organisation", "facilities", "relevance")
ITEMS_PER_DIMENSION = 3

#: cohort id -> (program_id, size, delivery, facilitator type, true gain, has follow-up)
COHORTS = {
    "C01": ("PR1", 24, "klasikal", "academic", 15.0, True),
    "C02": ("PR1", 18, "e-learning", "practitioner", 8.0, True),
    "C03": ("PR2", 12, "workshop", "practitioner", 12.0, False),
}
#: Comments of each cohort, one per participant: 6 about time and schedule (a theme
#: above the small-cell limit), 2 about catering (below it), a placeholder answer and a
#: comment holding markup, which the reports must print as text.
COMMENTS = (
    "Jadwal terlalu padat sampai sore.",
    "Waktu pelatihan terlalu singkat, mohon ditambah.",
    "Durasi sesi praktik kurang lama.",
    "Jadwal bertabrakan dengan pekerjaan kantor.",
    "Waktu istirahat terlalu pendek.",
    "Jadwal sebaiknya tidak di akhir tahun anggaran.",
    "Konsumsi cukup baik, terima kasih panitia.",
    "Konsumsi kurang bervariasi.",
    "Tidak ada.",
    "Materi bagus <script>alert(1)</script> <b>tebal</b>",
)
PROGRAMS = {
    "PR1": ("Pelayanan Prima", "soft"),
    "PR2": ("Pemerintahan Digital", "technical"),
}


def _unit_tables(rng: np.random.Generator) -> dict[str, pd.DataFrame]:
    """IKM answers and unit KPIs with a planted difference-in-differences of 6 points."""
    answers, kpi = [], []
    for u in range(8):
        unit, treated = f"Unit {u + 1}", u < 4
        base = 70 + rng.normal(0, 2)
        for period in range(4):
            post = period >= 2
            mean = base + 0.5 * period + (6.0 if treated and post else 0.0)
            for r in range(12):
                level = np.clip(rng.normal(mean, 4) / 25, 1, 4)
                row = {f"u{i}": float(np.clip(np.round(level + rng.normal(0, 0.3)), 1, 4))
                       for i in range(1, 10)}  # fmt: skip
                answers.append(
                    {"unit": unit, "period": f"2024-S{period + 1}", "period_index": period,
                     "post": post, "treated": treated, "respondent_id": f"R{u}{period}{r:02d}",
                     **row}
                )  # fmt: skip
            kpi.append(
                {"unit": unit, "period": f"2024-S{period + 1}", "period_index": period,
                 "post": post, "treated": treated,
                 "service_days": float(round(5 - (1.0 if treated and post else 0) + rng.normal(0, 0.3), 1)),
                 "complaints": int(rng.poisson(8 - (3 if treated and post else 0)))}
            )  # fmt: skip
    return {"ikm": pd.DataFrame(answers), "unit_kpi": pd.DataFrame(kpi)}


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    frame.to_parquet(path, index=False)


def write_processed_study(
    root: Path,
    study: str = "demo",
    *,
    seed: int = 7,
    cohorts: tuple[str, ...] | None = None,
    broken: str | None = None,
    impact: bool = True,
    reaction_respondents: dict[str, int] | None = None,
) -> Path:
    """Write a small synthetic processed study; return its folder.

    Parameters
    ----------
    root : Path
        Project root; tables go to ``root/data/processed/<study>/``.
    study : str
        Study name.
    seed : int
        Seed of the random generator (the same seed writes the same tables).
    cohorts : tuple of str, optional
        Subset of ``COHORTS`` to write (default: all).
    broken : str, optional
        A cohort whose learning table is made invalid (a post-test above the maximum
        score), so that its report fails while the others succeed.
    impact : bool
        Write the unit tables (``ikm``, ``unit_kpi``): 4 trained and 4 comparison units
        over 4 semesters, the trained units' IKM rising by 6 points from the third.
    reaction_respondents : dict, optional
        Cohort -> how many of its participants (the first ones) answered the reaction
        survey; the others' answers are left out (default: everyone answered).

    Returns
    -------
    Path
        The processed-study folder.
    """
    rng = np.random.default_rng(seed)
    out = Path(root) / "data" / "processed" / study
    out.mkdir(parents=True, exist_ok=True)
    chosen = {k: v for k, v in COHORTS.items() if cohorts is None or k in cohorts}

    programs = pd.DataFrame(
        [
            {"program_id": pid, "program_name": name, "skill_type": skill}
            for pid, (name, skill) in PROGRAMS.items()
        ]
    )
    cohort_rows, people, reaction, learning, test_items = [], [], [], [], []
    followup, projects, costs, comments = [], [], [], []
    serial = 0
    for index, (cid, (pid, size, delivery, fac, gain, has_followup)) in enumerate(chosen.items()):
        start = pd.Timestamp("2024-02-05") + pd.Timedelta(days=70 * index)
        cohort_rows.append(
            {
                "cohort_id": cid,
                "program_id": pid,
                "program_name": PROGRAMS[pid][0],
                "skill_type": PROGRAMS[pid][1],
                "batch": index + 1,
                "start_date": start.date(),
                "end_date": (start + pd.Timedelta(days=4)).date(),
                "delivery": delivery,
                "facilitator_type": fac,
                "jp": 40,
            }
        )
        golongan = ["III/a"] * (size - 3) + ["IV/a"] * 3  # IV/a: a cell of 3 people
        for i in range(size):
            serial += 1
            person = f"P{serial:010x}"
            people.append(
                {
                    "cohort_id": cid,
                    "participant_id": person,
                    "sex": "L" if i % 2 else "P",
                    "age_band": ("<30", "30-39", "40-49", "50+")[i % 4],
                    "golongan": golongan[i],
                    "position_type": ("struktural", "fungsional", "pelaksana")[i % 3],
                    "unit": UNITS[i % len(UNITS)],
                }
            )
            trait = rng.normal(0, 0.8)
            for dim in DIMENSIONS:
                for k in range(1, ITEMS_PER_DIMENSION + 1):
                    # C02: items unrelated to the person's trait -> low alpha
                    latent = (0 if cid == "C02" else trait) + rng.normal(0, 0.6)
                    score = float(np.clip(np.round(3.8 + latent), 1, 5))
                    reaction.append(
                        {
                            "cohort_id": cid,
                            "participant_id": person,
                            "item": f"{dim}_{k}",
                            "dimension": dim,
                            "score": score,
                            "scale_max": 5,
                            "submitted_at": pd.Timestamp(start) + pd.Timedelta(days=4, hours=i),
                        }
                    )
            pre = float(np.clip(rng.normal(55, 10), 0, 100))
            post = float(np.clip(pre + rng.normal(gain, 7), 0, 100))
            learning.append(
                {
                    "cohort_id": cid,
                    "participant_id": person,
                    "pre": round(pre, 1),
                    "post": round(post, 1) if i != 0 else np.nan,  # one missing post-test
                    "max_score": 100.0,
                }
            )
            if has_followup:
                for phase, p_correct in (("pre", pre / 100), ("post", post / 100)):
                    for item in range(1, 11):
                        test_items.append(
                            {
                                "cohort_id": cid,
                                "participant_id": person,
                                "phase": phase,
                                "item": f"q{item:02d}",
                                "correct": int(rng.random() < p_correct),
                            }
                        )
                for rater, shift in (("self", 0.3), ("supervisor", 0.0)):
                    for item in range(1, 5):
                        followup.append(
                            {
                                "cohort_id": cid,
                                "participant_id": person,
                                "rater": rater,
                                "months_after": 6,
                                "item": f"b{item}",
                                "score": float(np.clip(np.round(3.6 + shift + trait), 1, 5)),
                                "scale_max": 5,
                            }
                        )
                projects.append(
                    {
                        "cohort_id": cid,
                        "participant_id": person,
                        "months_after": 6,
                        "project_status": ("implemented", "sustained", "in_progress")[i % 3],
                    }
                )
        for category, amount in (("venue", 12_500_000.0), ("facilitator", 18_000_000.0)):
            costs.append({"cohort_id": cid, "category": category, "amount_idr": amount})
        cohort_people = [p["participant_id"] for p in people if p["cohort_id"] == cid]
        for person, text in zip(cohort_people, COMMENTS, strict=False):
            comments.append({"cohort_id": cid, "participant_id": person, "text": text})

    items = pd.DataFrame(
        [
            {
                "item": f"{dim}_{k}",
                "dimension": dim,
                "scale_max": 5,
                "reverse": False,
                "text": f"Pernyataan {dim} {k}",
            }
            for dim in DIMENSIONS
            for k in range(1, ITEMS_PER_DIMENSION + 1)
        ]
    )
    reaction_table = pd.DataFrame(reaction)
    for cid, keep in (reaction_respondents or {}).items():
        mine = reaction_table["cohort_id"] == cid
        first = reaction_table.loc[mine, "participant_id"].drop_duplicates().iloc[:keep]
        reaction_table = reaction_table[~mine | reaction_table["participant_id"].isin(first)]
    learning_table = pd.DataFrame(learning)
    if broken is not None:
        rows = learning_table.index[learning_table["cohort_id"] == broken]
        learning_table.loc[rows[1], "post"] = 150.0  # above max_score: paired_change refuses
    tables = {
        "programs": programs,
        "cohorts": pd.DataFrame(cohort_rows),
        "participants": pd.DataFrame(people),
        "reaction": reaction_table.reset_index(drop=True),
        "reaction_items": items,
        "learning": learning_table,
        "test_items": pd.DataFrame(test_items),
        "followup": pd.DataFrame(followup),
        "projects": pd.DataFrame(projects),
        "costs": pd.DataFrame(costs),
        "comments": pd.DataFrame(comments),
    }
    if impact:
        tables.update(_unit_tables(rng))
    for name, frame in tables.items():
        if len(frame):
            _write_parquet(frame, out / f"{name}.parquet")
    pd.DataFrame(columns=["file", "row", "column", "value", "reason", "action"]).to_csv(
        out / "quality_log.csv", index=False
    )
    raw = {"reaksi_2024.csv": b"synthetic", "nilai_pre_post.xlsx": b"synthetic too"}
    outputs = {
        path.stem: {"file": path.name, "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
        for path in sorted(out.glob("*.parquet"))
    }
    manifest = {  # the layout evalkit.clean writes
        "study": study,
        "evalkit_version": "0.1.0",
        "created_utc": "2025-11-27T09:00:00+00:00",
        "codebook": {"file": "codebook.yaml", "sha256": hashlib.sha256(b"codebook").hexdigest()},
        "inputs": [
            {"file": name, "sha256": hashlib.sha256(content).hexdigest()}
            for name, content in raw.items()
        ],
        "outputs": outputs,
        "quality_log": {"file": "quality_log.csv", "entries": 0},
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return out
