"""National-scale benchmark of the Level 1-2 cohort metrics.

Generates a synthetic national data set (by default 1,000,000 participants in 5,000
cohorts, 20 reaction items on a 1-5 scale, pre/post test scores 0-100; fixed seed), runs
the cohort metrics with ``by=`` (Cronbach's alpha, item analysis, paired change with the
Wilcoxon signed-rank test), and prints wall time, peak memory and the speedup over a
per-cohort pingouin loop (timed on a sample of cohorts and scaled to all of them).

Goal on a 2-core machine: everything within 5 s and 1 GB peak memory, at least 100x
faster than the loop. The script prints the figures and whether each goal is met; it
asserts nothing.

Usage::

    python benchmarks/scale.py                       # national scale
    python benchmarks/scale.py --participants 100000 --cohorts 500
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import warnings

import numpy as np
import pandas as pd

from evalkit import constants as C
from evalkit.errors import EvalkitWarning
from evalkit.metrics.learning import paired_change
from evalkit.metrics.reaction import cronbach_alpha, item_analysis

GOAL_SECONDS = 5.0
GOAL_MEMORY_MB = 1024.0
GOAL_SPEEDUP = 100.0


def make_data(
    participants: int, cohorts: int, items: int, seed: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Wide reaction answers (one int8 column per item) and the learning table."""
    rng = np.random.default_rng(seed)
    cohort_code = np.sort(rng.integers(0, cohorts, size=participants))
    cohort_id = pd.Series(
        pd.Categorical.from_codes(cohort_code, [f"C{i:05d}" for i in range(cohorts)]),
        name=C.COHORT_ID,
    ).astype(str)
    cohort_effect = rng.normal(0, 0.3, size=cohorts)[cohort_code]
    latent = rng.normal(size=participants) + cohort_effect
    answers = {}
    for j in range(items):
        raw = 3.4 + 0.6 * latent + rng.normal(0, 1.0, size=participants)
        answers[f"q{j + 1:02d}"] = np.clip(np.rint(raw), 1, 5).astype(np.int8)
    reaction = pd.DataFrame(answers)
    pre = np.clip(np.rint(rng.normal(55, 15, size=participants)), 0, 100)
    gain = rng.normal(0.3, 0.2, size=participants) * (100 - pre)
    post = np.clip(np.rint(pre + gain), 0, 100)
    learning = pd.DataFrame({C.COHORT_ID: cohort_id, C.PRE: pre, C.POST: post, C.MAX_SCORE: 100})
    return reaction, learning


def timed(label: str, func, *args, **kwargs):
    start = time.perf_counter()
    result = func(*args, **kwargs)
    elapsed = time.perf_counter() - start
    print(f"  {label:<34s} {elapsed:8.3f} s")
    return result, elapsed


def pingouin_loop(reaction: pd.DataFrame, learning: pd.DataFrame, codes: np.ndarray) -> None:
    """The same metrics, one cohort at a time, the way a script with pingouin does it."""
    import pingouin as pg

    for code in codes:
        rows = learning.index[learning["_code"] == code]
        items = reaction.loc[rows].astype(float)
        pg.cronbach_alpha(data=items)
        total = items.sum(axis=1)
        for col in items.columns:  # item analysis: r_drop and alpha if dropped
            items[col].corr(total - items[col])
            pg.cronbach_alpha(data=items.drop(columns=col))
        part = learning.loc[rows]
        pg.ttest(part[C.POST], part[C.PRE], paired=True)
        pg.wilcoxon(part[C.POST], part[C.PRE])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=1_000_000)
    parser.add_argument("--cohorts", type=int, default=5_000)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--sample", type=int, default=50, help="cohorts timed in the loop")
    parser.add_argument("--seed", type=int, default=C.SEED)
    args = parser.parse_args(argv)

    print(
        f"evalkit scale benchmark: {args.participants:,} participants, {args.cohorts:,} "
        f"cohorts, {args.items} reaction items (seed {args.seed})"
    )
    start = time.perf_counter()
    reaction, learning = make_data(args.participants, args.cohorts, args.items, args.seed)
    print(f"  {'generate data':<34s} {time.perf_counter() - start:8.3f} s")

    cohort = learning[C.COHORT_ID]
    print("vectorised, every cohort in one pass (by=cohort_id):")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EvalkitWarning)  # tiny cohorts, if any
        alpha, t_alpha = timed("cronbach_alpha", cronbach_alpha, reaction, by=cohort)
        items, t_items = timed("item_analysis", item_analysis, reaction, by=cohort)
        change, t_change = timed(
            "paired_change (t, Wilcoxon, g CI)",
            paired_change,
            learning[C.PRE],
            learning[C.POST],
            max_score=100,
            by=cohort,
        )
    total = t_alpha + t_items + t_change
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"  {'total':<34s} {total:8.3f} s")
    print(f"  peak memory (process max RSS)      {peak_mb:8.0f} MB")
    print(
        f"  results: {len(alpha):,} cohorts, {len(items):,} item rows, {len(change):,} "
        f"paired rows; median alpha {alpha['alpha'].median():.3f}, "
        f"median d_z {change['d_z'].median():.3f}"
    )

    rng = np.random.default_rng(args.seed)
    codes_all = pd.factorize(cohort, sort=True)[0]
    sample = rng.choice(args.cohorts, size=min(args.sample, args.cohorts), replace=False)
    learning = learning.assign(_code=codes_all)
    print(f"per-cohort pingouin loop on {len(sample)} cohorts:")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, t_loop = timed("pingouin loop (sample)", pingouin_loop, reaction, learning, sample)
    loop_all = t_loop * args.cohorts / len(sample)
    speedup = loop_all / total
    print(f"  {'pingouin loop, scaled to all':<34s} {loop_all:8.1f} s")
    print(f"  speedup                            {speedup:8.0f} x")

    print("goals:")
    print(
        f"  wall time  {total:6.2f} s  <= {GOAL_SECONDS:.0f} s     {_verdict(total <= GOAL_SECONDS)}"
    )
    print(
        f"  memory     {peak_mb:6.0f} MB <= {GOAL_MEMORY_MB:.0f} MB  "
        f"{_verdict(peak_mb <= GOAL_MEMORY_MB)}"
    )
    print(
        f"  speedup    {speedup:6.0f} x  >= {GOAL_SPEEDUP:.0f} x   "
        f"{_verdict(speedup >= GOAL_SPEEDUP)}"
    )
    return 0


def _verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


if __name__ == "__main__":
    sys.exit(main())
