"""Time the full report regeneration against the floor.

The **full regeneration** is ``evalkit report --force`` on a study (every cohort report,
the program overview and the impact study when their notebooks exist): papermill
executes each notebook, nbconvert exports its HTML, and the index is written.

The **floor** is the same computations and figures done in one plain Python process
without notebooks: load the processed tables once, call the same evalkit functions,
draw the same figures to PNG and word the same conclusions, for every report.

Both run as fresh processes (imports included, as a user experiences them); the script
prints both wall times, their ratio (goal: within 1.5x) and the time of a no-op re-run.

Usage::

    python benchmarks/reports.py            # the demo study (run `make reports` first)
    python benchmarks/reports.py --study demo --jobs 2
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _cohort_floor(tables: dict, cohort_id: str, lang: str) -> int:
    """What notebooks/cohort_report.ipynb computes for one cohort; returns PNG bytes."""
    import evalkit as ek
    from evalkit import figures as ekf
    from evalkit import narrative as ekn

    data = {n: t[t["cohort_id"] == cohort_id] for n, t in tables.items() if "cohort_id" in t}
    cohort = data["cohorts"].iloc[0]
    people = data["participants"]
    png = 0
    ekn.cohort_title(cohort, len(people), lang)
    ekn.profile_table(people, lang)
    reaction = data.get("reaction")
    if reaction is not None and len(reaction):
        scores = ek.scale_scores(reaction, by=None)
        ek.scale_scores(reaction.assign(dimension="overall"), by=None)
        ekn.format_table(scores, lang)
        png += len(ekf.to_png(ekf.scale_scores_plot(scores, scale_max=5, lang=lang)))
        ekn.reaction_conclusion(scores, lang, scale_max=5)
        items = reaction.pivot_table(index="participant_id", columns="item", values="score")
        alpha = ek.cronbach_alpha(items)
        ekn.reliability_conclusion(alpha, lang)
        labels = ekn.item_labels(tables["reaction_items"])
        ekn.format_table(ek.item_analysis(items).rename(index=labels), lang)
        png += len(ekf.to_png(ekf.likert_bars(reaction, labels=labels, lang=lang)))
    learning = data.get("learning")
    n_pairs = len(people)
    if learning is not None and len(learning):
        change = ek.paired_change(
            learning["pre"], learning["post"], max_score=learning["max_score"]
        )
        n_pairs = int(change["n"])
        ekn.change_table(change, lang)
        ekn.learning_conclusion(change, lang)
        png += len(ekf.to_png(ekf.prepost_plot(learning, max_score=100, lang=lang)))
        gains = ek.normalized_gain(learning["pre"], learning["post"], learning["max_score"])
        png += len(ekf.to_png(ekf.gain_band_bars(gains, lang=lang)))
    test_items = data.get("test_items")
    if test_items is not None and len(test_items):
        result = ek.test_item_analysis(test_items)
        ekn.format_table(result, lang)
        ekn.knowledge_test_conclusion(result, lang)
    ekn.mde_conclusion(ek.minimum_detectable_effect(n_pairs), n_pairs, lang)
    followup = data.get("followup")
    if followup is not None and len(followup):
        transfer = ek.transfer_index(followup, by="months_after")
        wave = transfer.index.max()
        agreement = ek.rater_agreement(followup[followup["months_after"] == wave])
        ekn.format_table(transfer, lang)
        ekn.transfer_conclusion(transfer.loc[wave], agreement, lang, months=wave)
    projects = data.get("projects")
    if projects is not None and len(projects):
        rates = ek.project_rates(projects, by="months_after")
        last = projects[projects["months_after"] == rates.index.max()]
        counts = last["project_status"].value_counts()
        png += len(ekf.to_png(ekf.category_bars(counts, lang=lang)))
        ekn.project_conclusion(rates.iloc[-1], lang)
    costs = data.get("costs")
    if costs is not None and len(costs):
        summary = ek.cost_summary(costs, people, data["cohorts"], learning, by=None)
        ekn.cost_table(summary, lang)
    return png


def _overview_floor(tables: dict, lang: str) -> int:
    """What notebooks/program_overview.ipynb computes."""
    import evalkit as ek
    from evalkit import figures as ekf
    from evalkit import narrative as ekn

    cohorts, people = tables["cohorts"], tables["participants"]
    attributes = cohorts[["cohort_id", "program_name", "delivery", "facilitator_type"]]
    learning = tables["learning"].merge(attributes)
    learning = learning.assign(gain=learning["post"] - learning["pre"])
    by_cohort = ek.paired_change(
        learning["pre"], learning["post"], max_score=learning["max_score"], by=learning["cohort_id"]
    )
    reaction = tables["reaction"]
    ek.scale_scores(reaction.assign(dimension="all"), by="cohort_id")
    png = len(ekf.to_png(ekf.forest_plot(by_cohort, lang=lang)))
    gains = learning.dropna(subset=["gain"])
    by_delivery = ek.paired_change(gains["pre"], gains["post"], by=gains["delivery"])
    tests = ek.compare_groups(gains, "gain", "delivery")
    png += len(ekf.to_png(ekf.forest_plot(by_delivery, lang=lang)))
    ekn.comparison_conclusion(tests, by_delivery, ("a", "b"), lang)
    relevance = reaction[reaction["dimension"] == "relevance"].merge(attributes)
    per_person = relevance.groupby(["facilitator_type", "cohort_id", "participant_id"])[
        "score"
    ].mean()
    diff = ek.group_difference(per_person.loc["practitioner"], per_person.loc["academic"])
    ekn.difference_conclusion(diff, ("practitioner", "academic"), ("a", "b"), lang)
    ek.jp_compliance(people, cohorts, level="unit")
    if "followup" in tables:
        followup = tables["followup"].merge(people[["cohort_id", "participant_id", "unit"]])
        last = followup.groupby("cohort_id")["months_after"].transform("max")
        ekn.format_table(ek.transfer_index(followup[followup["months_after"] == last], by="unit"))
    if "costs" in tables:
        ekn.format_table(ek.cost_summary(tables["costs"], people, cohorts, tables["learning"]))
    return png


def _impact_floor(tables: dict, lang: str) -> int:
    """What notebooks/impact_study.ipynb computes."""
    import evalkit as ek
    from evalkit import figures as ekf
    from evalkit import narrative as ekn

    responses = tables["ikm"]
    design = responses.drop_duplicates(["unit", "period"])[
        ["unit", "period", "period_index", "post", "treated"]
    ]
    first_post = design.loc[design["post"], "period_index"].min()
    unit_ikm = ek.ikm(responses, by=["unit", "period"]).reset_index().merge(design)
    trend = unit_ikm.groupby(["treated", "period_index"], as_index=False)["ikm"].mean()
    png = len(ekf.to_png(ekf.period_lines(trend, x="period_index", y="ikm", group="treated")))
    ekn.did_conclusion(ek.did(unit_ikm, "ikm", cluster="unit"), ("a", "b"), lang)
    events = ek.event_study(unit_ikm, "ikm", period="period_index", reference=first_post - 1)
    png += len(ekf.to_png(ekf.event_study_plot(events, first_post=first_post, lang=lang)))
    if "unit_kpi" in tables:
        ek.did(tables["unit_kpi"], "service_days", cluster="unit")
        ek.did(tables["unit_kpi"], "complaints", cluster="unit")
    if "learning" in tables:
        people = tables["learning"].merge(
            tables["participants"][["cohort_id", "participant_id", "unit"]]
        )
        people = people.assign(gain=people["post"] - people["pre"]).dropna(subset=["gain"])
        ekn.icc_conclusion(ek.multilevel(people, "gain", "unit"), ("a", "b"), lang)
    n_units = int(design.groupby("treated")["unit"].nunique().min())
    ek.minimum_detectable_effect(n_units, design="two-sample")
    return png


def floor(study: str, lang: str = "id") -> None:
    """Run every report's computations and figures in this one process."""
    from evalkit.io import load_study
    from evalkit.paths import processed_dir

    warnings.simplefilter("ignore")
    tables = load_study(processed_dir(study))
    total = 0
    for cohort_id in sorted(tables["cohorts"]["cohort_id"].astype(str)):
        total += _cohort_floor(tables, cohort_id, lang)
    total += _overview_floor(tables, lang)
    if "ikm" in tables:
        total += _impact_floor(tables, lang)
    print(
        f"floor: {len(tables['cohorts'])} cohort reports + overview + impact, {total / 1e6:.1f} MB of PNG"
    )


def _timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--study", default="demo")
    parser.add_argument("--jobs", type=int, default=None, help="workers (default: cores)")
    parser.add_argument("--floor-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.floor_only:
        floor(args.study)
        return 0
    from evalkit.paths import processed_dir

    if not (processed_dir(args.study) / "cohorts.parquet").is_file():
        print(f"no processed study {args.study!r}: run `make reports` first", file=sys.stderr)
        return 2
    python = sys.executable
    evalkit = [python, "-m", "evalkit", "report", "--study", args.study, "-q"]
    if args.jobs:
        evalkit += ["--jobs", str(args.jobs)]
    full = _timed([*evalkit, "--force"])
    noop = _timed(evalkit)
    base = _timed([python, str(Path(__file__).resolve()), "--floor-only", "--study", args.study])
    cores = os.cpu_count()
    print(f"cores: {cores}")
    print(f"full regeneration (papermill + HTML + index): {full:6.1f} s")
    print(f"floor (one plain Python process):             {base:6.1f} s")
    print(f"ratio full / floor:                           {full / base:6.2f}x (goal <= 1.5x)")
    print(f"no-op re-run (nothing changed):               {noop:6.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
