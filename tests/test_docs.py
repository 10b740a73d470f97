"""The documentation, followed literally: its examples and commands run as written.

- every entry of ``docs/api.md`` is a doctest of its own, in a fresh namespace (so an
  example that lacks an import line fails here, as it would for a reader);
- the README's commands run in a clean temporary project through the project's venv,
  and leave no file that git would pick up;
- ``make clean`` keeps the tracked files; the command-line flags and the documents agree;
- the reason codes cleaning writes are documented; ``roi`` works as the data model says.
"""

from __future__ import annotations

import doctest
import os
import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest

from evalkit.errors import EvalkitWarning

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
VENV_BIN = Path(sys.executable).parent  # the venv the Makefile makes, running this test


def _api_entries() -> list[tuple[str, str]]:
    """(heading, docstring) of every ``### `` entry of docs/api.md."""
    text = (DOCS / "api.md").read_text(encoding="utf-8")
    entries = []
    for block in re.split(r"^### ", text, flags=re.M)[1:]:
        heading = block.splitlines()[0].strip("` ")
        body = re.search(r"```text\n(.*?)\n```", block, flags=re.S)
        assert body, f"docs/api.md entry {heading!r} has no docstring block"
        entries.append((heading.split("(")[0].replace("class `", ""), body.group(1)))
    return entries


API_ENTRIES = _api_entries()


@pytest.mark.parametrize("doc", [d for _, d in API_ENTRIES], ids=[n for n, _ in API_ENTRIES])
def test_api_reference_example_runs_on_its_own(doc: str) -> None:
    """Copying an entry's examples into a fresh Python session works (no NameError)."""
    parser = doctest.DocTestParser()
    test = parser.get_doctest(doc, {}, "docs/api.md", "docs/api.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    out: list[str] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        runner.run(test, out=out.append)
    assert runner.failures == 0, "".join(out)


def test_api_reference_documents_what_readme_and_guides_use() -> None:
    api = (DOCS / "api.md").read_text(encoding="utf-8")
    documented = {name for name, _ in API_ENTRIES}
    used = set()
    for doc in ("README.md", "docs/guide.en.md", "docs/guide.id.md", "docs/data-model.md"):
        text = (ROOT / doc).read_text(encoding="utf-8")
        used |= set(re.findall(r"\bfrom evalkit[\w.]* import (\w+)", text))
        used |= set(re.findall(r"\bevalkit(?:\.\w+)*\.(\w+)\(", text))
        used |= set(re.findall(r"\bek\.(\w+)\(", text))
    missing = sorted(used - documented)
    assert not missing, f"used in the docs but not in docs/api.md: {missing}"
    assert "load_study" in api and "save_figure" in api and "run_reports" in api


def test_api_entries_examples_start_with_their_imports() -> None:
    """Every entry that calls its own function imports it (a reader copies from the top)."""
    lacking = []
    for name, doc in API_ENTRIES:
        code = "\n".join(e.source for e in doctest.DocTestParser().get_examples(doc))
        if re.search(rf"(?<![\w.]){name}\(", code) and not re.search(
            rf"import (\w+ as )?{name}\b|import .*\b{name}\b", code
        ):
            lacking.append(name)
    assert not lacking, lacking


# --- make clean, .gitignore -------------------------------------------------------------
def _tracked(path: str) -> bool:
    done = subprocess.run(
        ["git", "ls-files", "--error-unmatch", path], cwd=ROOT, capture_output=True, check=False
    )
    return done.returncode == 0


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_clean_keeps_tracked_files(tmp_path: Path) -> None:
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    keep = [tmp_path / "data/processed/README.md", tmp_path / "reports/README.md"]
    keep.append(tmp_path / "data/raw/demo/codebook.yaml")
    gone = [tmp_path / "data/processed/demo/x.parquet", tmp_path / "reports/demo/a.html"]
    gone.append(tmp_path / "reports/index.html")
    for path in keep + gone:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    done = subprocess.run(["make", "clean"], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert all(p.exists() for p in keep), [str(p) for p in keep if not p.exists()]
    assert not any(p.exists() for p in gone), [str(p) for p in gone if p.exists()]
    assert not (tmp_path / "data/processed/demo").exists()


def test_readme_files_kept_by_make_clean_are_tracked() -> None:
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    for path in ("data/processed/README.md", "reports/README.md"):
        assert _tracked(path), path


# --- the README's commands, run literally -----------------------------------------------
def _bash_blocks(doc: Path) -> list[str]:
    return re.findall(r"```bash\n(.*?)```", doc.read_text(encoding="utf-8"), flags=re.S)


def _papermill_block(doc: Path) -> str:
    blocks = [b for b in _bash_blocks(doc) if "papermill" in b]
    assert len(blocks) == 1, f"{doc.name} has one block of plain papermill/nbconvert commands"
    return blocks[0]


#: document -> (study its papermill block reads, its cohort id, what the report says)
PAPERMILL_DOCS = {
    "README.md": ("demo", "PPR-2024-02", "Participant profile", "Profil peserta"),
    "docs/guide.id.md": ("pelayanan", "PP-01", "Profil peserta", "Participant profile"),
}


def test_guides_papermill_blocks_differ_only_in_language() -> None:
    en, id_ = (_papermill_block(DOCS / f"guide.{lang}.md") for lang in ("en", "id"))
    swapped = id_.replace("lang id", "lang en").replace('"lang-en"', '"lang-id"')
    assert [line.split("#")[0] for line in swapped.splitlines()] == [
        line.split("#")[0] for line in en.splitlines()
    ]


def test_readme_commands_name_the_venv() -> None:
    """Every command of the README and the guides runs as typed: `.venv/bin/...` or make."""
    first_words = {"make", ".venv/bin/evalkit", ".venv/bin/papermill", ".venv/bin/jupyter"}
    first_words |= {".venv/bin/python", "source", "cd"}
    for doc in (ROOT / "README.md", DOCS / "guide.en.md", DOCS / "guide.id.md"):
        for block in _bash_blocks(doc):
            joined = re.sub(r"\\\n\s*", " ", block)
            for line in joined.splitlines():
                command = line.split("#")[0].strip()
                if command:
                    assert command.split()[0] in first_words, f"{doc.name}: {command!r}"


def _project(tmp_path: Path, study: str) -> Path:
    """A clean project: notebooks, .gitignore, the venv, one small processed study."""
    from processed_fixture import write_processed_study

    root = tmp_path / "project"
    root.mkdir()
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    shutil.copy(ROOT / ".gitignore", root / ".gitignore")
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    (root / ".venv").symlink_to(VENV_BIN.parent)
    (root / "evalkit").symlink_to(ROOT / "evalkit")  # a checkout holds the package
    for folder in ("data/processed", "reports"):
        (root / folder).mkdir(parents=True)
        (root / folder / "README.md").write_text("tracked\n")
    write_processed_study(root, study=study)
    return root


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
@pytest.mark.parametrize("doc", sorted(PAPERMILL_DOCS))
def test_papermill_commands_run_as_written_and_leave_no_stray_file(
    tmp_path: Path, doc: str
) -> None:
    """The document's papermill/nbconvert block, run literally in a clean project."""
    assert (VENV_BIN / "papermill").exists(), "papermill is not beside this Python: `make install`"
    study, cohort, says, not_says = PAPERMILL_DOCS[doc]
    root = _project(tmp_path, study)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "start"], cwd=root, check=True)
    block = _papermill_block(ROOT / doc).replace(cohort, "C01")  # the fixture's cohort
    env = {k: v for k, v in os.environ.items() if k not in ("EVALKIT_ROOT", "VIRTUAL_ENV")}
    env["PATH"] = "/usr/bin:/bin"  # no venv on PATH: the commands must name it
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", block],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    converted = re.findall(
        r"nbconvert .* (\S+)\.ipynb\s*$", re.sub(r"\\\n\s*", " ", block), flags=re.M
    )
    assert converted, f"{doc}'s nbconvert line converts an executed notebook"
    html = root / f"{converted[0]}.html"  # nbconvert writes beside its input
    assert html.is_file(), f"{html} was not written"
    text = html.read_text(encoding="utf-8")
    assert "C01" in text and says in text  # the report, in the document's language
    assert not_says not in text  # the other language's cells were removed
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert status == "", f"{doc}'s commands left files git would pick up:\n{status}"


def _git_clean_project(root: Path) -> list[str]:
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "start"], cwd=root, check=True)
    return git


def _own_study_block() -> str:
    blocks = [b for b in _bash_blocks(ROOT / "README.md") if "evalkit init" in b]
    assert len(blocks) == 1, "the README has one block for your own study"
    return blocks[0]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_readme_own_study_commands_run_as_written(tmp_path: Path) -> None:
    """init, check, clean, report, export on a folder of exports at ~/exports/pelayanan_prima."""
    from test_onboard import write_second_study

    if not (VENV_BIN / "evalkit").exists():
        pytest.skip("evalkit is not installed beside this Python (run `make install`)")
    root = _project(tmp_path, "unused")
    shutil.rmtree(root / "data" / "processed" / "unused")
    home = tmp_path / "home"
    write_second_study(home / "exports" / "pelayanan_prima", roster="csv")
    _git_clean_project(root)
    env = {k: v for k, v in os.environ.items() if k not in ("EVALKIT_ROOT", "VIRTUAL_ENV")}
    env.update(PATH="/usr/bin:/bin", HOME=str(home))
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", _own_study_block()],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert (root / "data/raw/pelayanan/codebook.yaml").is_file()
    assert (root / "data/processed/pelayanan/quality_log.csv").is_file()
    assert (root / "reports/pelayanan/overview.html").is_file()
    assert (root / "reports/index.html").is_file()
    assert list((root / "data/processed/pelayanan/exports").glob("*.xlsx"))
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert status == "", f"the README's commands left files git would pick up:\n{status}"


def test_guides_first_steps_are_the_readme_commands() -> None:
    """The guides' first block runs the README's tested commands (after `make install`)."""

    def commands(block: str) -> list[str]:
        lines = [line.split("#")[0].split() for line in block.splitlines()]
        return [" ".join(w[:2]) for w in lines if w and w[0] != "make"]

    readme = commands(_own_study_block())
    for lang in ("en", "id"):
        first = _bash_blocks(DOCS / f"guide.{lang}.md")[0]
        assert "make install" in first
        assert set(commands(first)) <= set(readme), lang


# --- command line and documents agree ---------------------------------------------------
def _cli_flags() -> dict[str, set[str]]:
    from evalkit.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    flags = {}
    for name, p in sub.choices.items():
        flags[name] = {o for a in p._actions for o in a.option_strings if o.startswith("--")}
        flags[name] -= {"--help"}
    return flags


def test_every_cli_flag_is_documented() -> None:
    guides = "".join((DOCS / g).read_text(encoding="utf-8") for g in ("guide.en.md", "guide.id.md"))
    docs = (ROOT / "README.md").read_text(encoding="utf-8") + guides
    missing = [
        f"evalkit {cmd} {flag}"
        for cmd, flags in _cli_flags().items()
        for flag in sorted(flags)
        if flag not in docs
    ]
    assert not missing, f"flags documented nowhere: {missing}"


def test_every_documented_flag_exists() -> None:
    flags = _cli_flags()
    known = set().union(*flags.values())
    for doc in (ROOT / "README.md", DOCS / "guide.en.md", DOCS / "guide.id.md"):
        text = doc.read_text(encoding="utf-8")
        for cmd, rest in re.findall(r"evalkit (\w[\w-]*)([^\n`]*)", text):
            if cmd not in flags:
                continue
            for flag in re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", rest):
                assert flag in flags[cmd], f"{doc.name}: `evalkit {cmd} {flag}` does not exist"
        for flag in re.findall(r"`(--[a-z][a-z-]*)", text):
            assert flag in known or flag in {
                "--to",
                "--no-input",
                "--help-notebook",
                "--allow-root",
            }, f"{doc.name}: {flag} is no flag of evalkit"


def test_report_help_speaks_of_reports() -> None:
    from evalkit.cli import build_parser

    report = build_parser()._subparsers._group_actions[0].choices["report"]  # type: ignore[union-attr]
    helps = {o: a.help for a in report._actions for o in a.option_strings}
    assert "report" in helps["--kind"] and "stud" not in helps["--kind"]
    assert "report" in helps["--force"] and "stud" not in helps["--force"]


def test_environment_variables_are_documented() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    source = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "evalkit").rglob("*.py"))
    for name in sorted(set(re.findall(r"environ(?:\.get)?\(\s*[\"'](EVALKIT_\w+)", source))):
        assert name in readme, f"{name} is read by evalkit but the README does not say so"


def test_make_lab_runs_as_root_and_names_the_kernel() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    lab = re.search(r"^lab:.*\n\t.*", makefile, flags=re.M)
    assert lab and "--allow-root" in lab.group(0) and "Python 3 (ipykernel)" in lab.group(0)


def test_make_bench_prepares_its_data_and_says_it_forces() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    bench = re.search(r"^bench:(.*)", makefile, flags=re.M)
    assert bench and "clean-data" in bench.group(1) and "--force" in bench.group(1)


# --- reason codes -----------------------------------------------------------------------
CLEANING_MODULES = (
    "cells",
    "parse",
    "nip",
    "identify",
    "read",
    "build",
    "clean",
    "derived_cohorts",
)


def test_every_reason_code_is_documented_in_the_cleaning_docstring() -> None:
    import evalkit.data.clean as clean

    doc = clean.__doc__ or ""
    section = doc[doc.index("Reason codes") :]
    codes = set()
    for module in CLEANING_MODULES:
        text = (ROOT / "evalkit" / "data" / f"{module}.py").read_text(encoding="utf-8")
        codes |= set(re.findall(r'f?"([a-z]+(?:_[a-z]+)+): ', text))  # ruff writes "..."
        codes |= set(re.findall(r"what: str = \"([a-z_]+)\"", text))
    functions = {n for n in dir(clean) if callable(getattr(clean, n))} | {"clean_study"}
    codes -= functions
    assert {"likert_unknown_label", "unit_variant", "nip_scientific_lossy"} <= codes
    missing = sorted(c for c in codes if f"``{c}``" not in section)
    assert not missing, f"reason codes missing from evalkit.data.clean's docstring: {missing}"


# --- the data model's ROI, on tables with different cohorts -----------------------------
def test_roi_per_cohort_as_the_data_model_says() -> None:
    """Benefits of 2 cohorts, costs of 3: ROI of the 2, the third named (hand-computed)."""
    import evalkit as ek

    benefits = pd.DataFrame(
        {
            "cohort_id": ["A", "A", "B"],
            "benefit_idr": [10e6, 5e6, 8e6],
            "attribution": [0.5, 0.8, 1.0],
            "confidence": [0.8, 0.5, 0.5],
        }
    )
    costs = pd.DataFrame({"cohort_id": ["A", "A", "B", "C"], "amount_idr": [3e6, 1e6, 2e6, 9e6]})
    benefit = ek.phillips_benefit(benefits, by="cohort_id")["benefit_adjusted"]
    cost = costs.groupby("cohort_id")["amount_idr"].sum()
    with pytest.warns(EvalkitWarning, match=r"costs but no benefits have no ROI: C"):
        out = ek.roi(benefit, cost)
    # A: 10e6*.5*.8 + 5e6*.8*.5 = 6e6 against 4e6 -> BCR 1.5, ROI 50 %;
    # B: 8e6*1*.5 = 4e6 against 2e6 -> BCR 2, ROI 100 %
    assert out.index.tolist() == ["A", "B"]
    assert out["bcr"].tolist() == [1.5, 2.0]
    assert out["roi_pct"].tolist() == [50.0, 100.0]
    assert out["net_benefit"].tolist() == [2e6, 2e6]
    scenarios = ek.roi_scenarios(benefits, costs, by="cohort_id")
    assert scenarios["roi_pct"].tolist() == out["roi_pct"].tolist()


def test_roi_refuses_repeated_labels_when_indexes_differ() -> None:
    import evalkit as ek
    from evalkit.errors import ParameterError

    with pytest.raises(ParameterError, match="repeated labels"):
        ek.roi(pd.Series([1.0, 2.0], index=["A", "A"]), pd.Series([1.0], index=["A"]))


# --- the rebuild note -------------------------------------------------------------------
def test_rebuild_note_does_not_ask_for_what_was_done(tmp_path: Path) -> None:
    """After a rebuild the run summary says it was rebuilt, not "run `evalkit clean`"."""
    from evalkit.data.clean import clean_study
    from evalkit.data.freshness import ensure_current

    raw, processed = tmp_path / "data/raw/s", tmp_path / "data/processed/s"
    shutil.copytree(ROOT / "tests/data/bad/base", raw)
    clean_study(raw, processed, progress=False)
    table = processed / "learning.parquet"
    table.write_bytes(table.read_bytes()[:100])
    found = ensure_current(tmp_path, "s")
    assert found.error is None and found.note is not None
    assert found.note.startswith("rebuilt data/processed/s from data/raw/s: ")
    assert "learning" in found.note and "evalkit clean" not in found.note


# --- the README's module list -----------------------------------------------------------
def _readme_modules() -> dict[str, set[str]]:
    """package -> the modules (and ``sub/`` packages) the README's module table lists."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `(evalkit(?:\.\w+)*)` \| (.*) \|$", text, flags=re.M)
    assert rows, "the README has a module table (| `evalkit.x` | `module`, ... |)"
    listed: dict[str, set[str]] = {}
    for package, cell in rows:
        cell = re.sub(r"\([^)]*\)", "", cell)  # a module's note may name commands in ``
        assert package not in listed, f"README lists package {package} twice"
        listed[package] = set(re.findall(r"`(\w+/?)`", cell))
    return listed


def _package_modules() -> dict[str, set[str]]:
    """package -> its public modules and sub-packages (``name/``), for evalkit and its
    first-level packages (a sub-package's own modules are left to docs/architecture.md)."""
    found: dict[str, set[str]] = {}
    packages = [ROOT / "evalkit"] + sorted(
        p for p in (ROOT / "evalkit").iterdir() if (p / "__init__.py").is_file()
    )
    for folder in packages:
        name = ".".join(folder.relative_to(ROOT).parts)
        modules = {p.stem for p in folder.glob("*.py") if not p.stem.startswith("_")}
        subs = {f"{p.name}/" for p in folder.iterdir() if (p / "__init__.py").is_file()}
        found[name] = modules | subs
    found["evalkit"] = {m for m in found["evalkit"] if not m.endswith("/")}  # rows of their own
    return found


def test_readme_module_list_matches_the_package() -> None:
    listed, actual = _readme_modules(), _package_modules()
    assert sorted(listed) == sorted(actual), "the README's module table has one row per package"
    for package in actual:
        missing = sorted(actual[package] - listed[package])
        extra = sorted(listed[package] - actual[package])
        assert not missing, f"README's module table lacks {package}: {missing}"
        assert not extra, f"README's module table lists what {package} does not hold: {extra}"


def test_readme_command_table_lists_each_commands_flags() -> None:
    """Each row of the README's command table gives exactly the flags of its commands."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text[text.index("## Commands and options") :]
    rows = re.findall(r"^\| (`evalkit [^|]*`) \| (.*) \|$", table, flags=re.M)
    flags = _cli_flags()
    seen = set()
    for commands, options in rows:
        names = re.findall(r"`evalkit ([a-z][\w-]*)", commands)
        if not names:
            continue  # `evalkit --version`
        shown = set(re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", options))
        union = set().union(*(flags[n] for n in names))
        for name in names:
            missing = sorted(flags[name] - shown)
            assert not missing, f"README's row for `evalkit {name}` lacks {missing}"
        assert shown <= union, f"README's row for {names} lists {sorted(shown - union)}"
        seen |= set(names)
    assert seen == set(flags), f"commands without a row: {sorted(set(flags) - seen)}"
    assert "--wait-timeout SECONDS" in table and "--no-wait" in table
