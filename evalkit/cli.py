"""The ``evalkit`` command line.

Sub-commands import what they need only when run, so ``evalkit --help`` is fast.
Every :class:`~evalkit.errors.EvalkitError`, and any operating-system error (a
read-only or full disk, no permission, a file removed mid-run: the path and the
cause), is printed as one clear message (exit code 2), never as a traceback; ``check``
also exits 2 when a problem would stop
cleaning, like ``clean`` itself. ``report`` exits 1 when a report failed.

``clean`` and ``report`` take each study's lock (:mod:`evalkit.io.lock`): a second run
on the same study waits, saying who holds it, or with ``--no-wait`` stops (exit 2);
``--wait-timeout SECONDS`` stops it (exit 2) when the other run has not ended by then.

``report`` goes one way through the layers: first the data layer makes each study's
processed data current (:func:`evalkit.data.freshness.ensure_current` rebuilds a
corrupt, truncated or stale study from ``data/raw/``), then the runner
(:func:`evalkit.run.execute.run_reports`) reads only ``data/processed/``.

Examples
--------
>>> from evalkit.cli import build_parser
>>> build_parser().parse_args(["clean", "--study", "demo"]).study
['demo']
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from evalkit import __version__
from evalkit.errors import EvalkitError


def _studies(args: argparse.Namespace) -> list[str]:
    """Studies named with --study, or every study under data/raw with --all/none."""
    from evalkit.paths import project_root

    if args.study:
        return list(args.study)
    raw = project_root() / "data" / "raw"
    found = sorted(p.parent.name for p in raw.glob("*/codebook.yaml"))
    if not found:
        raise EvalkitError(
            f"no study found under {raw}: each study is a folder with a codebook.yaml "
            "(run `evalkit demo-data` for the demo study)"
        )
    return found


def _cmd_demo_data(args: argparse.Namespace) -> int:
    from evalkit.data.demo import write_demo
    from evalkit.paths import project_root

    raw = project_root() / "data" / "raw"
    if args.if_missing and any(raw.glob("*/codebook.yaml")):
        print(f"data/raw already holds a study; nothing written ({raw})")
        return 0
    out = Path(args.out) if args.out else raw / "demo"
    write_demo(out, seed=args.seed, progress=not args.quiet)
    print(f"demo study written to {out}")
    return 0


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _cmd_clean(args: argparse.Namespace) -> int:
    studies = _studies(args)
    from evalkit.data.clean import clean_study
    from evalkit.data.freshness import clean_reason
    from evalkit.io.lock import folder_lock
    from evalkit.paths import processed_dir, project_root, raw_dir

    root = project_root()
    for study in studies:
        # The study's lock, taken here to bound the wait; clean_study re-enters it.
        with folder_lock(processed_dir(study), wait=not args.no_wait, label=f"study {study}",
                         notify=_say, timeout=args.wait_timeout):  # fmt: skip
            why = None if args.force else clean_reason(root, study)
            if not args.force and why is None:
                print(
                    f"{study}: up to date (data/processed/{study} was cleaned from these raw "
                    "files, codebook and cleaning code; --force cleans it again)"
                )
                continue
            summary = clean_study(
                raw_dir(study), processed_dir(study), progress=not args.quiet, wait=not args.no_wait
            )
        print(summary)
    return 0


def _cmd_init(args: argparse.Namespace) -> int:
    from evalkit.data.onboard import init_study

    print(init_study(Path(args.path), study=args.study, force=args.force))
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    studies = _studies(args)
    from evalkit.data.onboard import check_study
    from evalkit.paths import raw_dir

    ok = True
    for study in studies:
        report = check_study(raw_dir(study))
        print(report)
        ok = ok and report.ok
    return 0 if ok else 2  # as clean and every other command: 2 = cannot proceed


def _cmd_export(args: argparse.Namespace) -> int:
    studies = _studies(args)
    from evalkit.data.exports import export_study
    from evalkit.paths import processed_dir

    formats = args.format or ["xlsx", "csv"]
    for study in studies:
        out = Path(args.out) / study if args.out else processed_dir(study) / "exports"
        written = export_study(processed_dir(study), out, formats=formats, study=study)
        print(f"study {study}: {len(written)} file(s) written to {out}")
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    """Make each study's processed data current (the data layer), then run its reports."""
    studies = _studies(args)
    from evalkit.data.freshness import ensure_current
    from evalkit.paths import project_root
    from evalkit.run.execute import check_arguments, study_locks

    check_arguments(lang=args.lang, jobs=args.jobs)  # a bad --jobs fails before any rebuild
    if args.pdf:
        from evalkit.run.pdf import find_browser

        find_browser()  # and so does --pdf without a browser
    root = project_root()
    locks = study_locks(studies, root=root, wait=not args.no_wait, timeout=args.wait_timeout)
    with locks:  # one run per study at once
        started = time.perf_counter()
        checked = {study: ensure_current(root, study) for study in dict.fromkeys(studies)}
        failures = {study: c.error for study, c in checked.items() if c.error}
        seconds = time.perf_counter() - started
        summary = _run(args, [study for study in checked if study not in failures], root)
    summary.add_checks([c.note for c in checked.values() if c.note], failures, seconds)
    print(summary)
    return 0 if summary.ok else 1


def _run(args: argparse.Namespace, studies: list[str], root: Path) -> Any:
    """Run the reports of ``studies`` (their locks are held by the caller)."""
    from evalkit.run.execute import run_reports

    return run_reports(
        studies=studies,
        cohorts=args.cohort,
        kinds=args.kind,
        force=args.force,
        jobs=args.jobs,
        keep_code=args.keep_code,
        progress=not args.quiet,
        lang=args.lang,
        root=root,
        pdf=args.pdf,
    )


def _rupiah(text: str, name: str) -> float:
    """A positive amount of rupiah from the command line (``250000000``, ``250_000_000``)."""
    try:
        value = float(str(text).replace("_", ""))
    except ValueError:
        value = float("nan")
    if not value > 0 or value == float("inf"):
        raise EvalkitError(f"{name} must be a positive amount of rupiah, got {text!r}")
    return value


def _cmd_plan(args: argparse.Namespace) -> int:
    """The budget planner of one study: print its table, write its CSV and figure."""
    from evalkit.data.processed import load_study
    from evalkit.paths import processed_dir, reports_dir
    from evalkit.reporting.planning_figures import write_plan

    budget = _rupiah(args.budget, "--budget")
    size = None if args.cohort_size is None else _rupiah(args.cohort_size, "--cohort-size")
    folder = processed_dir(args.study)
    if not (folder / "manifest.json").exists():
        raise EvalkitError(
            f"unknown study {args.study!r}: no processed data in {folder} (clean it first: "
            f"`evalkit clean --study {args.study}`)"
        )
    out = Path(args.out) if args.out else reports_dir() / args.study / "planning"
    text, _ = write_plan(load_study(folder), out, budget=budget, cohort_size=size,
                         lang=args.lang, study=args.study, outcome=args.outcome)  # fmt: skip
    print(text)
    return 0


def _seconds(text: str) -> float:
    """``--wait-timeout``'s value: seconds, 0 or more."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"expected seconds (a number >= 0), got {text!r}")
    return value


def _lock_options(p: argparse.ArgumentParser) -> None:
    """``--no-wait`` and ``--wait-timeout``: what to do while another run uses the study."""
    p.add_argument(
        "--no-wait",
        action="store_true",
        help="if another run is using the study, stop at once (exit 2) instead of waiting",
    )
    p.add_argument(
        "--wait-timeout",
        type=_seconds,
        metavar="SECONDS",
        help="wait at most this long for another run using the study, then stop (exit 2); "
        "default: wait until it ends",
    )


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``evalkit`` command."""
    from evalkit.constants import SEED

    parser = argparse.ArgumentParser(
        prog="evalkit",
        description="Evaluation studies of ASN training programs (Kirkpatrick levels 1-4 + Phillips ROI).",
    )
    parser.add_argument("--version", action="version", version=f"evalkit {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("demo-data", help="write the synthetic Kota Kupang demo study")
    p.add_argument("--out", help="folder to write (default: data/raw/demo)")
    p.add_argument("--seed", type=int, default=SEED, help=f"random seed (default: {SEED})")
    p.add_argument(
        "--if-missing", action="store_true", help="do nothing if data/raw already holds a study"
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_demo_data)

    p = sub.add_parser("clean", help="clean raw exports into data/processed (Parquet)")
    p.add_argument("--study", action="append", help="study folder under data/raw (repeatable)")
    p.add_argument("--all", action="store_true", help="every study under data/raw (default)")
    p.add_argument(
        "--force",
        action="store_true",
        help="clean a study whose raw files, codebook and cleaning code are unchanged",
    )
    _lock_options(p)
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_clean)

    p = sub.add_parser(
        "init", help="start a study from a folder of exports: propose its codebook.yaml"
    )
    p.add_argument("path", help="folder of raw exports (copied to data/raw/<study> if elsewhere)")
    p.add_argument("--study", help="study name (default: the folder's name)")
    p.add_argument("--force", action="store_true", help="replace an existing codebook.yaml")
    p.set_defaults(func=_cmd_init)

    p = sub.add_parser(
        "check", help="validate raw exports against the codebook; list what would be quarantined"
    )
    p.add_argument("--study", action="append", help="study folder under data/raw (repeatable)")
    p.add_argument("--all", action="store_true", help="every study under data/raw (default)")
    p.set_defaults(func=_cmd_check)

    p = sub.add_parser("export", help="export processed tables to XLSX, CSV and SPSS .sav")
    p.add_argument("--study", action="append", help="study folder under data/raw (repeatable)")
    p.add_argument("--all", action="store_true", help="every study under data/raw (default)")
    p.add_argument(
        "--format",
        action="append",
        choices=("xlsx", "csv", "sav"),
        help="xlsx (one sheet per table), csv, sav (participant level); default: xlsx and csv",
    )
    p.add_argument("--out", help="folder to write into (default: data/processed/<study>/exports)")
    p.set_defaults(func=_cmd_export)

    p = sub.add_parser("report", help="run the notebooks through papermill and export HTML")
    p.add_argument("--study", action="append", help="study folder under data/raw (repeatable)")
    p.add_argument("--all", action="store_true", help="every study and cohort (default)")
    p.add_argument("--cohort", action="append", help="only this cohort id (repeatable)")
    p.add_argument(
        "--kind",
        action="append",
        choices=("cohort", "overview", "impact"),
        help="only this kind of report (repeatable)",
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="re-run reports whose inputs, parameters and code are unchanged",
    )
    p.add_argument("--jobs", type=int, help="parallel workers (default: number of cores)")
    p.add_argument("--keep-code", action="store_true", help="keep code cells in the HTML")
    p.add_argument(
        "--pdf",
        action="store_true",
        help="also print each report to PDF beside its HTML (<report>.pdf; needs Chromium or "
        "Chrome, or EVALKIT_BROWSER naming one)",
    )
    p.add_argument(
        "--lang",
        choices=("id", "en", "both"),
        default="id",
        help="language of the reports: id (Bahasa Indonesia, <report>.html; the default), "
        "en (English, <report>.en.html) or both",
    )
    _lock_options(p)
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_report)

    p = sub.add_parser(
        "plan", help="budget planner: participants, gain per rupiah and MDE a budget buys"
    )
    p.add_argument("--study", required=True, help="study folder under data/processed")
    p.add_argument("--budget", required=True, help="the budget in rupiah, e.g. 250000000")
    p.add_argument(
        "--cohort-size",
        help="participants per cohort (default: each program's observed median)",
    )
    p.add_argument(
        "--outcome",
        choices=("gain", "transfer"),
        default="gain",
        help="plan on the pre/post gain (d_z) or the follow-up transfer index (default: gain)",
    )
    p.add_argument(
        "--lang", choices=("id", "en"), default="id", help="language of the table (default: id)"
    )
    p.add_argument(
        "--out", help="folder for plan.csv and plan.png (default: reports/<study>/planning)"
    )
    p.set_defaults(func=_cmd_plan)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    from evalkit.run.kernel import Terminated, terminate_cleanly

    args = build_parser().parse_args(argv)
    try:
        with terminate_cleanly():  # SIGTERM: clean up (staging, kernels) and exit 143
            return int(args.func(args))
    except Terminated as stop:
        print(f"evalkit {args.command}: terminated", file=sys.stderr)
        return int(stop.code or 143)
    except EvalkitError as err:
        print(f"evalkit {args.command}: error: {err}", file=sys.stderr)
        return 2
    except OSError as err:  # a file operation the handlers did not foresee: still no traceback
        from evalkit.io.atomic import storage_error

        print(f"evalkit {args.command}: error: {storage_error(err, action='use')}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"evalkit {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
