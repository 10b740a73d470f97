"""National-scale benchmark of cleaning (``clean_study``): rows/s and peak memory.

Builds a scaled study from the demo study (``evalkit demo-data``): the cohort list
(``daftar_angkatan.xlsx``, sheets Program and Angkatan), the rosters and the
reaction survey (``reaksi_*.csv``) are replicated, each copy with its own cohort
codes (``KMP-2023-01`` -> ``KMP-2023-01-R0007``) and fresh valid NIPs (the same
person keeps the same fresh NIP in the roster and the survey of one copy; mangled
NIPs of the demo are copied as they are, so that each copy has the demo's repairs,
duplicates and quarantined rows). The rosters are written as CSV (an XLSX roster of
a million rows is not what a national platform exports). Then each size is cleaned
in a fresh subprocess, whose peak RSS is taken from ``os.wait4`` (``ru_maxrss``);
a watchdog polls ``/proc/<pid>/status`` and stops the child above ``--limit-gb``.
Printed per size: wall seconds of ``clean_study`` inside the child, the child's CPU
seconds (user + system, the whole process: less sensitive than wall time to other work
on a shared machine), input rows read per wall second, peak RSS, peak RSS / input, and
the peak above a baseline (the demo study itself, cleaned the same way: the interpreter
and libraries) per MB of input, which is what grows with the input.

Goal (issue #12), on a 2-core machine: 1,000,000 reaction rows in at most 60 s with
a peak RSS of at most 2 GB, and peak RSS under 6x the input size. The script prints
the figures and whether each goal is met; it asserts nothing.

Usage::

    python benchmarks/clean.py                    # 50k and 200k reaction rows
    python benchmarks/clean.py --full             # also 1M
    python benchmarks/clean.py --sizes 20000 --profile prof.out   # cProfile one size
"""

from __future__ import annotations

import argparse
import math
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pandas as pd
import yaml

from evalkit.data.nip import parse_nip
from evalkit.io.readers import read_table

GOAL_SECONDS = 60.0
GOAL_RSS_MB = 2048.0
GOAL_RATIO = 6.0
KEEP_TABLES = ("programs", "cohorts", "participants", "reaction")
ROSTER_FILES = ("peserta_2023.xlsx", "peserta_2024.xlsx", "peserta_2025.csv")

CHILD = """
import sys, time
from evalkit.data.clean import clean_study
start = time.perf_counter()
summary = clean_study(sys.argv[1], sys.argv[2], progress=False, salt=b"benchmark salt")
print(f"{time.perf_counter() - start:.3f} {summary.rows_read}", flush=True)
"""


# --- building the scaled study --------------------------------------------------------
def fresh_nip(i: int, sex: str) -> str:
    """A valid NIP, unique for ``i`` below 11.7 million, with the given sex digit."""
    year, month, day = 1965 + i % 35, 1 + (i // 35) % 12, 1 + (i // 420) % 28
    serial = 1 + (i // 11760) % 999
    return f"{year:04d}{month:02d}{day:02d}{year + 22:04d}{1 + i % 12:02d}{sex}{serial:03d}"


def demo_raw(root: Path) -> Path:
    """The demo study's raw folder (written with ``evalkit demo-data`` if missing)."""
    raw = root / "demo-raw"
    if not (raw / "codebook.yaml").is_file():
        from evalkit.data.demo import write_demo

        write_demo(raw, progress=False)
    return raw


def build_scaled(demo: Path, target: Path, reaction_rows: int) -> int:
    """Write the scaled study into ``target``; return the number of reaction rows."""
    target.mkdir(parents=True, exist_ok=True)
    book = yaml.safe_load((demo / "codebook.yaml").read_text(encoding="utf-8"))
    book["tables"] = {k: v for k, v in book["tables"].items() if k in KEEP_TABLES}
    book["tables"]["participants"]["files"] = ["peserta_*.csv"]
    reactions = {p.name: read_table(p) for p in sorted(demo.glob("reaksi_*.csv"))}
    copies = math.ceil(reaction_rows / sum(len(f) for f in reactions.values()))

    rosters = {
        Path(name).stem + ".csv": read_table(demo / name, sheet="Peserta" if
                                             name.endswith(".xlsx") else None)
        for name in ROSTER_FILES
    }  # fmt: skip
    nips = sorted({n for f in (*rosters.values(), *reactions.values()) for n in f["NIP"]
                   if parse_nip(n)[1] is None and parse_nip(n)[0] == n})  # fmt: skip
    ordinal = {n: i for i, n in enumerate(nips)}

    def replicate(frame: pd.DataFrame, cohort: str) -> pd.DataFrame:
        parts = []
        for r in range(copies):
            part = frame.copy()
            part[cohort] = part[cohort].where(part[cohort].str.strip() == "",
                                              part[cohort].str.strip() + f"-R{r:04d}")  # fmt: skip
            part["NIP"] = [
                fresh_nip(r * len(nips) + ordinal[n], n[14]) if n in ordinal else n
                for n in part["NIP"]
            ]
            parts.append(part)
        return pd.concat(parts, ignore_index=True)

    for name, frame in rosters.items():
        replicate(frame, "Kode Angkatan").to_csv(target / name, index=False)
    left = reaction_rows
    for i, (name, frame) in enumerate(reactions.items()):
        big = replicate(frame, "Kode Angkatan")
        share = left if i == len(reactions) - 1 else round(reaction_rows * len(frame) /
                                                           sum(map(len, reactions.values())))  # fmt: skip
        big.iloc[:share].to_csv(target / name, index=False)
        left -= share
    _cohort_list(demo / "daftar_angkatan.xlsx", target / "daftar_angkatan.xlsx", copies)
    (target / "codebook.yaml").write_text(yaml.safe_dump(book, allow_unicode=True), "utf-8")
    return reaction_rows


def _cohort_list(source: Path, target: Path, copies: int) -> None:
    """The cohort list with every cohort repeated ``copies`` times (codes ``-Rnnnn``)."""
    import openpyxl

    programs = read_table(source, sheet="Program")
    cohorts = read_table(source, sheet="Angkatan", header_row=4)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Program")
    sheet.append(list(programs.columns))
    for row in programs.itertuples(index=False):
        sheet.append(list(row))
    sheet = book.create_sheet("Angkatan")
    for title in ("Daftar angkatan pelatihan (skala)", "benchmark", ""):
        sheet.append([title])
    sheet.append(list(cohorts.columns))
    code = list(cohorts.columns).index("Kode Angkatan")
    for r in range(copies):
        for row in cohorts.itertuples(index=False):
            cells = list(row)
            if cells[code].strip():
                cells[code] = cells[code].strip() + f"-R{r:04d}"
            sheet.append(cells)
    book.save(target)


# --- measuring ------------------------------------------------------------------------
def measure(raw: Path, out: Path, limit_mb: float, profile: str | None) -> dict[str, float]:
    """Clean ``raw`` in a subprocess; wall seconds, peak RSS (MB), whether it was stopped."""
    code = CHILD
    if profile:
        code = "import cProfile, sys\ncProfile.run(" + repr(CHILD) + f", {profile!r})\n"
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", code, str(raw), str(out)],
                             stdout=subprocess.PIPE, text=True)  # fmt: skip
    stopped = threading.Event()

    def watch() -> None:
        status = Path(f"/proc/{child.pid}/status")
        while child.returncode is None:
            try:
                text = status.read_text()
            except OSError:
                return
            match = re.search(r"VmRSS:\s+(\d+) kB", text)
            if match and int(match.group(1)) / 1024 > limit_mb:
                stopped.set()
                os.kill(child.pid, signal.SIGKILL)
                return
            time.sleep(0.2)

    threading.Thread(target=watch, daemon=True).start()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    line = child.stdout.read().strip().splitlines() if child.stdout else []
    inner = float(line[-1].split()[0]) if line and child.returncode == 0 else math.nan
    rows = int(line[-1].split()[1]) if line and child.returncode == 0 else 0
    return {"wall": wall, "clean": inner, "rss": usage.ru_maxrss / 1024, "rows_read": rows,
            "cpu": usage.ru_utime + usage.ru_stime, "stopped": stopped.is_set(),
            "code": child.returncode}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[50_000, 200_000])
    parser.add_argument("--full", action="store_true", help="also 1,000,000 reaction rows")
    parser.add_argument(
        "--work", type=Path, default=Path(tempfile.gettempdir()) / "evalkit-clean-bench"
    )
    parser.add_argument("--limit-gb", type=float, default=8.0, help="stop a child above this RSS")
    parser.add_argument("--profile", help="write a cProfile of the (last) run to this file")
    args = parser.parse_args(argv)
    sizes = [*args.sizes, *([1_000_000] if args.full else [])]
    demo = demo_raw(args.work)
    print(f"evalkit clean benchmark: reaction rows {', '.join(f'{n:,}' for n in sizes)} "
          f"(study in {args.work}; a child is stopped above {args.limit_gb:g} GB)")  # fmt: skip
    # the fixed part of the peak: the interpreter, the libraries and a study of demo size
    base = measure(demo, args.work / "processed-demo", args.limit_gb * 1024, None)["rss"]
    print(f"baseline: cleaning the demo itself peaks at {base:,.0f} MB of RSS (interpreter, "
          "libraries, a study of a few thousand rows)")  # fmt: skip
    header = (f"{'reaction rows':>14} {'input MB':>9} {'rows read':>10} {'clean s':>8} "
              f"{'cpu s':>7} {'rows/s':>9} {'peak RSS MB':>12} {'RSS/input':>10} "
              f"{'above base/input':>17}")  # fmt: skip
    print(header)
    results = []
    for n in sizes:
        raw = args.work / f"raw-{n}"
        if not (raw / "codebook.yaml").is_file():
            build_scaled(demo, raw, n)
        size_mb = sum(p.stat().st_size for p in raw.iterdir()) / 2**20
        out = args.work / f"processed-{n}"
        r = measure(raw, out, args.limit_gb * 1024, args.profile)
        results.append((n, size_mb, r))
        if r["code"] != 0:
            why = "stopped by the watchdog" if r["stopped"] else f"exit code {r['code']}"
            print(f"{n:>14,} {size_mb:>9.1f} {'-':>10} {'-':>8} {r['cpu']:>7.1f} {'-':>9} "
                  f"{r['rss']:>12,.0f} "
                  f"{r['rss'] / size_mb:>10.1f}  {why} after {r['wall']:.0f} s")  # fmt: skip
            continue
        print(f"{n:>14,} {size_mb:>9.1f} {r['rows_read']:>10,} {r['clean']:>8.2f} "
              f"{r['cpu']:>7.1f} {r['rows_read'] / r['clean']:>9,.0f} {r['rss']:>12,.0f} "
              f"{r['rss'] / size_mb:>10.1f} {(r['rss'] - base) / size_mb:>17.1f}")  # fmt: skip
    for n, _size, r in results:
        if n == 1_000_000 and r["code"] == 0:
            print(f"goal at 1M: clean {r['clean']:.1f} s <= {GOAL_SECONDS:g} s: "
                  f"{'met' if r['clean'] <= GOAL_SECONDS else 'NOT met'}; peak RSS "
                  f"{r['rss']:,.0f} MB <= {GOAL_RSS_MB:,.0f} MB: "
                  f"{'met' if r['rss'] <= GOAL_RSS_MB else 'NOT met'}")  # fmt: skip
    done = [(n, s, r) for n, s, r in results if r["code"] == 0]
    for (n0, s0, r0), (n1, s1, r1) in zip(done, done[1:], strict=False):
        print(f"growth {n0:,} -> {n1:,} rows: {(r1['rss'] - r0['rss']) / (s1 - s0):.1f} MB of "
              "peak RSS per MB of input (the interpreter and libraries come on top, once)")  # fmt: skip
    ratios = [r["rss"] / s for _, s, r in done]
    above = [(r["rss"] - base) / s for _, s, r in done]
    if ratios:
        print(f"peak RSS / input at most {max(ratios):.1f}x; above the baseline, at most "
              f"{max(above):.1f}x (goal < {GOAL_RATIO:g}x): "
              f"{'met' if max(above) < GOAL_RATIO else 'NOT met'}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
