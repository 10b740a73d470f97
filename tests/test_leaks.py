"""No NIP, name or participant id from the demo reaches the processed data or the reports.

One module-scoped run does the whole demo in a temporary project (``EVALKIT_ROOT``,
with a copy of the notebooks): ``demo-data`` -> ``clean`` -> ``report``. Then every
processed file and every file under ``reports/`` (HTML, executed notebooks, state and
table JSON, CSV, SVG, the XLSX appendix unzipped) is scanned for every identifier found
in the raw exports (the columns the codebook types ``nip`` and ``name``):

- **NIPs**: any run of 12 or more consecutive digits that contains 12 consecutive digits
  of a NIP. This finds the normalised 18 digits, the NIP as written in the raw file
  (with a leading apostrophe, ``.0`` or the like), and Excel-mangled forms that kept 12
  digits (``198505122010011000`` after float rounding, ``1.98505122010011E+17``); a
  NIP written with separators (``19850512 201001 1 002``) and no 12-digit run is
  searched as written.
- **Names**: every person's name, normalised as cleaning does (titles and punctuation
  dropped, case-folded) and matched as whole words (a sequence of word tokens), so
  ``Maria Ndun`` does not match inside ``Mariandun``. A name is **not** searched when
  every word of it is a word the reports are made of anyway: words of the notebooks,
  of the evalkit modules that write report text (:data:`REPORT_MODULES`), of the
  codebook, and of the non-personal processed tables (program, cohort, unit and item
  names); names shorter than 3 letters are not searched either. Such a "name" (a person
  called ``Prima``, say, in a study of *Pelayanan Prima*) would be found in every
  report without any leak; the test prints how many names were skipped.
- **participant ids** (the salted pseudonyms): must not appear in the HTML reports, the
  figures (SVG) or the tables (CSV, XLSX) either; they may appear in processed data.

PNG files are not scanned (pixels; their text is in the SVG twin). The scanner is first
run on the raw exports, where it must find the identifiers (so it can fail). The
numbers are printed (``pytest -s``).
"""

from __future__ import annotations

import html
import json
import re
import zipfile
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest

from evalkit.data.codebook import load_codebook
from evalkit.data.nip import parse_nip
from evalkit.data.pseudonym import normalize_name
from evalkit.io.readers import read_table

REPO = Path(__file__).resolve().parent.parent
WINDOW = 12  # digits of a NIP that identify it
_DIGITS = re.compile(rf"\d{{{WINDOW},}}")
_WORD = re.compile(r"\w+")
#: evalkit modules whose words (labels, narrative) make up the reports. Not the demo
#: generator, whose lists of first names and surnames are exactly what is searched for.
REPORT_MODULES = ("reporting", "run")
#: Processed tables that hold no person-level text (their words may be in any report).
NON_PERSONAL = ("cohorts", "programs", "reaction_items", "followup_items", "unit_kpi")


# The `demo` fixture (the whole demo, built once per session) is in tests/conftest.py.


# --- what to look for -------------------------------------------------------------------


def raw_identifiers(raw: Path) -> tuple[set[str], set[str], set[str]]:
    """NIPs (18 digits), NIPs as written, and names, from the codebook's nip/name columns."""
    codebook = load_codebook(raw / "codebook.yaml")
    nips, written, names = set(), set(), set()
    for spec in codebook.tables.values():
        wanted = {c.source: c.type for c in spec.columns.values() if c.type in ("nip", "name")}
        for pattern in spec.files if wanted else []:
            for path in sorted(raw.glob(pattern)):
                frame = read_table(path, sheet=spec.sheet, header_row=spec.header_row)
                for source, kind in wanted.items():
                    for value in frame[source].dropna().astype(str).str.strip():
                        if not value:
                            continue
                        if kind == "name":
                            names.add(value)
                            continue
                        nip, _reason = parse_nip(value)
                        if nip:
                            nips.add(nip)
                            written.add(value)
    return nips, written, names


def report_vocabulary(root: Path) -> set[str]:
    """Words the reports are made of whatever the data: notebooks, sources, labels."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((root / "notebooks").glob("*.ipynb"))]
    sources = [REPO / "evalkit" / "constants.py"]
    sources += [
        p for module in REPORT_MODULES for p in sorted((REPO / "evalkit" / module).rglob("*.py"))
    ]
    assert len(sources) > 10, sources  # the report vocabulary is read, not silently empty
    texts += [p.read_text(encoding="utf-8") for p in sources]
    texts.append((root / "data/raw/demo/codebook.yaml").read_text(encoding="utf-8"))
    processed = root / "data" / "processed" / "demo"
    for name in NON_PERSONAL:
        if (processed / f"{name}.parquet").is_file():
            frame = pd.read_parquet(processed / f"{name}.parquet")
            texts += [" ".join(map(str, frame[c].tolist())) for c in frame.columns]
    units = pd.read_parquet(processed / "participants.parquet", columns=["unit"])["unit"]
    texts.append(" ".join(map(str, units.dropna().unique())))
    return set(_WORD.findall(html.unescape("\n".join(texts)).casefold()))


class Scanner:
    """Every identifier's occurrences in a set of texts."""

    def __init__(self, nips: set[str], written: set[str], names: set[str], vocabulary: set[str]):
        self.windows = {nip[i : i + WINDOW]: nip for nip in nips for i in range(19 - WINDOW)}
        # NIPs as written without a 12-digit run (separators): searched literally
        self.literal = {w for w in written if not _DIGITS.search(w)}
        self.names: dict[tuple[str, ...], str] = {}
        self.skipped: set[str] = set()
        for name in names:
            words = tuple((normalize_name(name) or "").split())
            if len("".join(words)) < 3 or set(words) <= vocabulary:
                self.skipped.add(name)
            else:
                self.names[words] = name
        self.by_first = defaultdict(list)
        for words in self.names:
            self.by_first[words[0]].append(words)

    @property
    def searched(self) -> int:
        return len(set(self.windows.values())) + len(self.literal) + len(self.names)

    def hits(self, file: str, text: str) -> list[tuple[str, str, str]]:
        """(file, kind, identifier) for every identifier found in ``text``."""
        found = set()
        for run in _DIGITS.findall(text):
            for i in range(len(run) - WINDOW + 1):
                if run[i : i + WINDOW] in self.windows:
                    found.add(("nip", self.windows[run[i : i + WINDOW]]))
        found |= {("nip as written", w) for w in self.literal if w in text}
        tokens = _WORD.findall(html.unescape(text).casefold())
        for i, token in enumerate(tokens):
            for words in self.by_first.get(token, ()):
                if tuple(tokens[i : i + len(words)]) == words:
                    found.add(("name", self.names[words]))
        return [(file, kind, value) for kind, value in sorted(found)]


def file_texts(path: Path) -> list[str] | None:
    """The searchable text of a file (None: not scanned, e.g. a PNG)."""
    suffix = path.suffix.lower()
    if suffix == ".png":
        return None
    if suffix == ".parquet":
        frame = pd.read_parquet(path)
        cells = [" ".join(map(str, frame[c].tolist())) for c in frame.columns]
        return [" ".join(map(str, frame.columns)), *cells, path.read_bytes().decode("latin-1")]
    if suffix == ".xlsx":
        with zipfile.ZipFile(path) as book:
            return [book.read(n).decode("utf-8", "replace") for n in book.namelist()]
    return [path.read_text(encoding="utf-8", errors="replace")]


def scan(folder: Path, scanner: Scanner) -> tuple[list[str], list[str], list[tuple[str, ...]]]:
    """(files scanned, files skipped, hits) over every file under ``folder``."""
    scanned, skipped, hits = [], [], []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        texts = file_texts(path)
        if texts is None:
            skipped.append(name)
            continue
        scanned.append(name)
        hits += scanner.hits(name, "\n".join(texts))
    return scanned, skipped, hits


@pytest.fixture(scope="module")
def scanner(demo) -> Scanner:
    root, _ = demo
    nips, written, names = raw_identifiers(root / "data" / "raw" / "demo")
    return Scanner(nips, written, names, report_vocabulary(root))


# --- the tests ----------------------------------------------------------------------------


@pytest.mark.slow
def test_the_whole_demo_ran(demo):
    root, summary = demo
    assert summary.ok, str(summary)
    assert len(summary.ran) == len(summary.results) >= 17
    assert len(list((root / "reports" / "demo").glob("*.html"))) == len(summary.ran)


@pytest.mark.slow
def test_the_scanner_finds_identifiers_in_the_raw_exports(demo, scanner):
    root, _ = demo
    _scanned, _skipped, hits = scan(root / "data" / "raw" / "demo", scanner)
    kinds = {kind for _f, kind, _v in hits}
    nips = {v for _f, kind, v in hits if kind == "nip"}
    names = {v for _f, kind, v in hits if kind == "name"}
    assert {"nip", "name"} <= kinds
    assert len(nips) > 0.9 * len(set(scanner.windows.values()))
    assert len(names) > 0.9 * len(scanner.names)


@pytest.mark.slow
def test_no_nip_or_name_in_processed_data_or_reports(demo, scanner):
    root, _ = demo
    hits, scanned, skipped = [], [], []
    for top in ("data/processed", "reports"):
        files, not_scanned, found = scan(root / top, scanner)
        scanned += [f"{top}/{f}" for f in files]
        skipped += not_scanned
        hits += [(f"{top}/{f}", kind, value) for f, kind, value in found]
    nips = len(set(scanner.windows.values()))
    print(
        f"\nleak scan: {len(scanned)} files scanned ("
        f"{sum(f.startswith('data/') for f in scanned)} processed, "
        f"{sum(f.endswith('.html') for f in scanned)} HTML, "
        f"{sum(f.endswith('.ipynb') for f in scanned)} executed notebooks, "
        f"{sum(f.endswith(('.csv', '.xlsx', '.svg', '.json')) for f in scanned)} other report "
        f"files), {len(skipped)} PNG not scanned; identifiers searched: {nips} NIPs "
        f"(any {WINDOW} consecutive digits), {len(scanner.literal)} NIPs as written with "
        f"separators, {len(scanner.names)} names ({len(scanner.skipped)} skipped as "
        f"ordinary report words: {sorted(scanner.skipped)[:8]}); hits: {len(hits)}"
    )
    assert any(f.endswith(".ipynb") for f in scanned) and any(f.endswith(".xlsx") for f in scanned)
    assert hits == [], hits[:20]


@pytest.mark.slow
def test_no_participant_id_in_reports_figures_or_tables(demo):
    root, _ = demo
    processed = root / "data" / "processed" / "demo"
    ids = set()
    for path in processed.glob("*.parquet"):
        frame = pd.read_parquet(path)
        if "participant_id" in frame.columns:
            ids |= set(frame["participant_id"].dropna().astype(str))
    assert len(ids) > 300
    folded = {i.casefold() for i in ids}
    shared = [
        p
        for p in sorted((root / "reports").rglob("*"))
        if p.suffix in (".html", ".svg", ".csv", ".xlsx") or p.name.endswith(".json")
    ]
    hits = []
    for path in shared:
        tokens = set(_WORD.findall("\n".join(file_texts(path) or []).casefold()))
        hits += [(path.name, i) for i in sorted(tokens & folded)]
    print(
        f"\nparticipant ids: {len(ids)} searched in {len(shared)} report files; hits: {len(hits)}"
    )
    assert sum(p.suffix == ".html" for p in shared) >= 18
    assert hits == [], hits[:20]
    # the ids are there to be found: the processed tables hold them
    participants = json.dumps(pd.read_parquet(processed / "participants.parquet").to_dict("list"))
    assert set(_WORD.findall(participants.casefold())) & folded
