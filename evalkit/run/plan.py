"""Planning a report run: which reports, with which parameters, and are they up to date.

A study gets one report per cohort (``notebooks/cohort_report.ipynb``), a program
overview and an impact study (each when its notebook exists and the study has the
tables it needs, :data:`KIND_REQUIRES`). :func:`plan_jobs` turns the studies, cohorts and
kinds asked for into one :class:`ReportPlan` per report: the notebook, its parameters,
the files it writes and its **fingerprint**, the SHA-256 of

- the inputs: the processed tables (:func:`input_tables`) and the raw inputs their
  manifest lists; for a cohort report, only its cohort's rows of each table with a
  ``cohort_id`` and the other tables whole (:func:`cohort_inputs`), so that one changed
  answer re-runs that cohort's report and the study-level ones, not every cohort's;
- the parameters (study, cohort, language, processed folder);
- the code: the notebook and every evalkit source file (:func:`code_hash`);
- the options: the state layout version, evalkit's version and ``keep_code``.

:func:`up_to_date` compares a plan with the state file its last run left in
``reports/<study>/_executed/<report>.json``: a report whose fingerprint is unchanged
and whose files are all there is not run again.

A report exists once per language (:data:`LANGUAGES`): the Indonesian one is
``reports/<study>/<report>.html``, the English one ``<report>.en.html``, and every other
file of a report (executed notebook, state file, figures, tables) carries the same stem
(:func:`report_stem`), so that each language has its own fingerprint and state file.

Planning reads only ``data/processed/`` and ``reports/``; it never reads ``data/raw/``.

Examples
--------
>>> job = Job(study="demo", kind="cohort", cohort_id="C01")
>>> job.name, job.notebook_name, report_stem(job.name, "en")
('cohort-C01', 'cohort_report.ipynb', 'cohort-C01.en')
>>> run_languages("both")
('id', 'en')
>>> fingerprint({"a": 1}) == fingerprint({"a": 1}) != fingerprint({"a": 2})
True
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from evalkit import __version__
from evalkit import constants as C
from evalkit.data.freshness import missing_cohorts
from evalkit.data.processed import manifest_inputs
from evalkit.errors import ParameterError
from evalkit.io.atomic import atomic_write_text, sha256
from evalkit.reporting.terms import check_lang

#: kind -> (notebook file, one report per cohort?)
KINDS: dict[str, tuple[str, bool]] = {
    "cohort": ("cohort_report.ipynb", True),
    "overview": ("program_overview.ipynb", False),
    "impact": ("impact_study.ipynb", False),
}


#: Tables a kind needs, one of which suffices: a study with none of them gets no report of
#: that kind, and the run says why (:func:`why_not`). An impact study needs a unit table
#: with its design: the IKM survey, or the unit KPIs (service time, complaints).
KIND_REQUIRES: dict[str, tuple[str, ...]] = {
    "cohort": ("cohorts.parquet",),
    "overview": ("cohorts.parquet",),
    "impact": ("ikm.parquet", "unit_kpi.parquet"),
}


#: table -> (what it holds, the raw export it is cleaned from, what else its codebook
#: entry needs), in English and in Indonesian: the parts of the sentence saying why a
#: report cannot be made.
TABLE_SOURCES: dict[str, dict[str, tuple[str, str, str]]] = {
    "ikm": {
        "en": (
            "the public-satisfaction survey (SKM/IKM: one row per respondent with unit, "
            "period and the answers U1..U9)",
            "the SKM export (the demo study's skm_olah_data.xlsx)",
            ", with an `impact:` block naming the trained units (`treated_units`) and the "
            "first period after training (`post_from`)",
        ),
        "id": (
            "survei kepuasan masyarakat (SKM/IKM: satu baris per responden dengan unit, "
            "periode dan jawaban U1..U9)",
            "ekspor SKM (di studi demo: skm_olah_data.xlsx)",
            ", dengan blok `impact:` yang menyebut unit terlatih (`treated_units`) dan "
            "periode pertama setelah pelatihan (`post_from`)",
        ),
    },
    "unit_kpi": {
        "en": (
            "the unit KPIs: one row per unit and period with service time and complaints",
            "the unit KPI export (the demo study's kpi_unit.xlsx)",
            ", with the same `impact:` block",
        ),
        "id": (
            "kinerja unit: satu baris per unit dan periode dengan waktu layanan dan pengaduan",
            "ekspor kinerja unit (di studi demo: kpi_unit.xlsx)",
            ", dengan blok `impact:` yang sama",
        ),
    },
    "cohorts": {
        "en": (
            "the cohort list (daftar angkatan)",
            "the cohort list export (the demo study's daftar_angkatan.xlsx)",
            "",
        ),
        "id": (
            "daftar angkatan",
            "ekspor daftar angkatan (di studi demo: daftar_angkatan.xlsx)",
            "",
        ),
    },
}


#: The languages of a run: ``evalkit report --lang id|en|both``.
LANGUAGES: dict[str, tuple[str, ...]] = {"id": ("id",), "en": ("en",), "both": ("id", "en")}


def run_languages(lang: str) -> tuple[str, ...]:
    """The report languages of a run asked for with ``lang`` (``"id"``, ``"en"`` or ``"both"``).

    Raises
    ------
    ParameterError
        Any other ``lang``.

    Examples
    --------
    >>> run_languages("en"), run_languages("both")
    (('en',), ('id', 'en'))
    """
    if lang not in LANGUAGES:
        raise ParameterError(
            f"run_reports: parameter 'lang' must be one of {tuple(LANGUAGES)}, got {lang!r}"
        )
    return LANGUAGES[lang]


def report_stem(name: str, lang: str) -> str:
    """The file stem of report ``name`` in ``lang``: ``name`` in Indonesian, ``name.en`` in English.

    Every file of the report starts with it: ``<stem>.html``, ``_executed/<stem>.ipynb``
    and ``.json``, ``figures/<stem>-<n>.png``, ``tables/<stem>-<n>.csv``.

    Examples
    --------
    >>> report_stem("overview", "id"), report_stem("overview", "en")
    ('overview', 'overview.en')
    """
    return name if check_lang(lang, "report_stem") == 0 else f"{name}.en"


#: Bump when the layout of the state files or reports changes.
STATE_VERSION = 3


#: The status of a report in a run: executed now, up to date (not run), or failed.
STATUS_RAN, STATUS_SKIPPED, STATUS_FAILED = "ran", "up to date", "failed"


#: The status of a report the study cannot have (it lacks what the kind needs) when its
#: kind was not asked for by name: said in the run summary, not counted as a failure.
STATUS_NOT_MADE = "not made"


#: The name under which a study-level failure (no usable data) is listed.
STUDY_LEVEL = "(study)"


#: The evalkit package, whose source files are part of every report's fingerprint.
PACKAGE = Path(__file__).resolve().parent.parent


# --- jobs, results, plans --------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Job:
    """One report to produce: a notebook kind for a study (and a cohort)."""

    study: str
    kind: str
    cohort_id: str | None = None

    @property
    def name(self) -> str:
        """File stem of the report, e.g. ``cohort-C01`` or ``overview``."""
        return f"{self.kind}-{self.cohort_id}" if self.cohort_id is not None else self.kind

    @property
    def notebook_name(self) -> str:
        """File name of the notebook under ``notebooks/``."""
        return KINDS[self.kind][0]


@dataclasses.dataclass
class JobResult:
    """Outcome of one report: ``status`` is ``ran``, ``up to date`` or ``failed``.

    ``name`` is the report's file stem (:func:`report_stem`: ``cohort-C01.en`` for the
    English one).
    """

    study: str
    name: str
    status: str
    html: Path | None = None
    executed: Path | None = None
    seconds: float = 0.0
    error: str | None = None
    headline: dict[str, Any] = dataclasses.field(default_factory=dict)
    #: The report's language (None: a study-level result or a report not made).
    lang: str | None = None


def study_failure(study: str, error: str) -> JobResult:
    """The result listing a whole study as failed (e.g. it has no usable data).

    Examples
    --------
    >>> study_failure("demo", "no processed data").name
    '(study)'
    """
    return JobResult(study=study, name=STUDY_LEVEL, status=STATUS_FAILED, error=error)


@dataclasses.dataclass
class ReportPlan:
    """Everything needed to run one report, and to tell whether it must run."""

    #: The report.
    job: Job
    #: Its notebook under ``notebooks/``.
    notebook: Path
    #: The parameters papermill injects.
    parameters: dict[str, Any]
    #: SHA-256 over ``parts``.
    fingerprint: str
    #: The fingerprint's parts: ``inputs``, ``parameters``, ``code``, ``options``.
    parts: dict[str, str]
    #: ``reports/<study>/<report>.html``.
    html: Path
    #: The executed notebook, ``reports/<study>/_executed/<report>.ipynb``.
    executed: Path
    #: The state file, ``reports/<study>/_executed/<report>.json`` (written last).
    state: Path
    #: The processed tables read, with their SHA-256 (for the provenance block).
    tables: list[dict[str, str]]
    #: The processed study folder.
    processed: Path
    #: The report's language.
    lang: str = "id"

    @property
    def stem(self) -> str:
        """The file stem of every file of this report (:func:`report_stem`)."""
        return report_stem(self.job.name, self.lang)


# --- fingerprints and state files ------------------------------------------------------


def input_tables(processed: Path) -> list[dict[str, str]]:
    """The processed files a report reads, with their SHA-256 (manifest excluded).

    The manifest is left out because it carries the time of cleaning: re-cleaning
    unchanged raw data gives identical tables and must not re-run the reports.

    Examples
    --------
    >>> input_tables(Path("/nonexistent"))
    []
    """
    if not processed.is_dir():
        return []
    return [
        {"file": p.name, "sha256": sha256(p)}
        for p in sorted(processed.iterdir())
        if p.is_file() and p.name != "manifest.json" and not p.name.startswith(".")
    ]


def cohort_inputs(processed: Path, tables: list[dict[str, str]]) -> dict[str, list[dict[str, str]]]:
    """Per cohort, what its report reads: each table's digest of that cohort's rows only.

    A table with a ``cohort_id`` column enters a cohort's inputs as the SHA-256 of that
    cohort's rows (their row hashes, :func:`pandas.util.hash_pandas_object`, in table
    order); a table without one (``programs``, unit tables, ``reaction_items``) and every
    other file enters whole, as in ``tables`` (:func:`input_tables`). One changed answer
    in one cohort then changes that cohort's inputs only, and re-runs only its report
    (the study-level reports read every row and take the whole files).

    Returns
    -------
    dict
        Cohort id -> the list of ``{"file", "sha256"}`` its report's fingerprint takes.

    Examples
    --------
    >>> import tempfile
    >>> import pandas as pd
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     folder = Path(tmp)
    ...     frame = pd.DataFrame({"cohort_id": ["A", "A", "B"], "score": [1, 2, 3]})
    ...     frame.to_parquet(folder / "learning.parquet")
    ...     before = cohort_inputs(folder, input_tables(folder))
    ...     frame.assign(score=[1, 2, 4]).to_parquet(folder / "learning.parquet")
    ...     after = cohort_inputs(folder, input_tables(folder))
    >>> before["A"] == after["A"], before["B"] == after["B"]
    (True, False)
    """
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    per_table: dict[str, dict[str, str]] = {}
    cohorts: set[str] = set()
    for entry in tables:
        path = processed / entry["file"]
        if path.suffix != ".parquet":
            continue
        try:
            if C.COHORT_ID not in pq.read_schema(path).names:
                continue
            frame = pd.read_parquet(path)
        except (OSError, ValueError, pa.ArrowException):  # unreadable: taken whole; the
            continue  # report that reads it says what is wrong
        hashes = pd.util.hash_pandas_object(frame, index=False).to_numpy()
        keys = frame[C.COHORT_ID].astype("string").fillna("").to_numpy()
        groups = pd.Series(range(len(keys))).groupby(keys, sort=True).indices
        per_table[entry["file"]] = {
            str(cohort): hashlib.sha256(hashes[rows].tobytes()).hexdigest()
            for cohort, rows in groups.items()
        }
        cohorts.update(per_table[entry["file"]])
    empty = hashlib.sha256(b"").hexdigest()
    return {
        cohort: [
            {"file": e["file"], "sha256": per_table[e["file"]].get(cohort, empty)}
            if e["file"] in per_table
            else e
            for e in tables
        ]
        for cohort in sorted(cohorts)
    }


def code_hash(notebook: Path) -> str:
    """SHA-256 over the notebook and every evalkit source file (``.py``, ``.yaml``, ``.j2``)."""
    digest = hashlib.sha256(notebook.read_bytes())
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix in (".py", ".yaml", ".j2") and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(PACKAGE)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def fingerprint(parts: Mapping[str, Any]) -> str:
    """SHA-256 of ``parts`` as canonical JSON (keys sorted; other values as ``str``)."""
    text = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def read_state(path: Path) -> dict[str, Any] | None:
    """A JSON state (or tables) file of a report; None when missing or unreadable."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_json(path: Path, data: Any) -> None:
    """Write ``data`` to ``path`` as indented, key-sorted JSON, atomically."""
    atomic_write_text(path, json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False))


def relative_to_root(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` when it lies under it (symlinks not followed).

    Examples
    --------
    >>> relative_to_root(Path("/p/data/processed/demo"), Path("/p"))
    'data/processed/demo'
    >>> relative_to_root(Path("/elsewhere"), Path("/p"))
    '/elsewhere'
    """
    for a, b in (
        (path, root),
        (path.absolute(), root.absolute()),
        (path.resolve(), root.resolve()),
    ):
        try:
            return a.relative_to(b).as_posix()
        except ValueError:
            continue
    return str(path)


# --- planning -------------------------------------------------------------------------


def wanted_kinds(kinds: list[str] | None, cohorts: list[str] | None, notebooks: Path) -> list[str]:
    """The kinds of report to plan: those asked for, else every kind with a notebook.

    Asking for cohorts without kinds means cohort reports only.

    Raises
    ------
    ParameterError
        An unknown kind, or a kind asked for whose notebook does not exist.
    """
    if kinds is None:
        if cohorts:
            return ["cohort"]
        return [k for k in KINDS if (notebooks / KINDS[k][0]).is_file()]
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown:
        raise ParameterError(
            f"run_reports: parameter 'kinds' has unknown kind(s) {unknown}; allowed: {list(KINDS)}"
        )
    wanted = list(dict.fromkeys(kinds))
    missing = [k for k in wanted if not (notebooks / KINDS[k][0]).is_file()]
    if missing:
        raise ParameterError(
            f"run_reports: no notebook for kind(s) {missing} "
            f"(expected {[str(notebooks / KINDS[k][0]) for k in missing]})"
        )
    return wanted


def cohort_ids(processed: Path) -> list[str]:
    """The cohort ids of a processed study (its ``cohorts.parquet``), sorted."""
    import pyarrow.parquet as pq

    table = pq.read_table(processed / "cohorts.parquet", columns=["cohort_id"])
    return sorted({str(v) for v in table.column("cohort_id").to_pylist() if v is not None})


def _mapped_files(processed: Path, table: str) -> list[str]:
    """The raw files cleaning read for ``table`` (per the manifest's row accounting)."""
    manifest = read_state(processed / "manifest.json") or {}
    rows = (manifest.get("rows") or {}).get("by_table_and_file") or {}
    files = []
    for key in rows if isinstance(rows, Mapping) else ():
        spec, _, file = str(key).partition(":")
        if spec == table or spec.startswith(f"{table}_"):
            files.append(file)
    return sorted(set(files))


def _missing_table(study: str, processed: Path, table: str, lang: str = "en") -> str:
    """Why ``table`` is not in ``processed``, and from which raw export it would come."""
    default = (f"table {table!r}", "its export", "")
    what, export, extra = TABLE_SOURCES.get(table, {}).get(lang, default)
    codebook = f"data/raw/{study}/codebook.yaml"
    mapped = _mapped_files(processed, table)
    if lang == "id":
        where = f"data/processed/{study} tidak memiliki tabel {table}"
        if mapped:
            return (
                f"{where}: codebook memetakannya dari {', '.join(mapped)}, tetapi pembersihan "
                f"tidak menyisakan satu baris pun (lihat data/processed/{study}/quality_log.csv)"
            )
        return (
            f"{where}, {what}: {codebook} tidak memetakan tabel {table!r}; tambahkan {export} "
            f"ke data/raw/{study}/ dan petakan sebagai tabel {table!r}{extra} "
            f"(docs/data-model.md), lalu jalankan `evalkit clean --study {study}`"
        )
    where = f"data/processed/{study} has no {table} table"
    if mapped:
        return (
            f"{where}: the codebook maps it from {', '.join(mapped)}, but cleaning kept no "
            f"row of it (data/processed/{study}/quality_log.csv says why)"
        )
    return (
        f"{where}, {what}: {codebook} maps no table {table!r}; add {export} to "
        f"data/raw/{study}/ and map it as table {table!r}{extra} (docs/data-model.md), "
        f"then run `evalkit clean --study {study}`"
    )


#: What the ``ikm`` table lacks for a difference-in-differences: (en, id) of the part
#: missing, the codebook key responsible, and why (en, id).
_IMPACT_LACKS = (
    (("trained unit", "unit terlatih"), "treated_units",
     ("names none of its units", "tidak menyebut satu pun unitnya")),
    (("comparison unit", "unit pembanding"), "treated_units",
     ("names every one of its units", "menyebut semua unitnya")),
    (("period after training", "periode setelah pelatihan"), "post_from",
     ("is after its last period", "jatuh setelah periode terakhirnya")),
    (("period before training", "periode sebelum pelatihan"), "post_from",
     ("is its first period or earlier", "jatuh pada periode pertamanya atau sebelumnya")),
)  # fmt: skip


def _impact_design(study: str, processed: Path, lang: str = "en") -> str | None:
    """Why no unit table of the study can carry a difference-in-differences, or None.

    The impact study compares trained with comparison units, before with after
    training: its unit table (the IKM survey, else the unit KPIs) needs rows, both kinds
    of unit and both kinds of period. The reason given is the first table's.
    """
    present = [name for name in KIND_REQUIRES["impact"] if (processed / name).is_file()]
    reasons = [_unit_table_design(study, processed, name, lang) for name in present]
    return None if None in reasons else reasons[0]


def _unit_table_design(study: str, processed: Path, file: str, lang: str) -> str | None:
    """Why the unit table ``file`` cannot carry a difference-in-differences, or None."""
    import pyarrow.parquet as pq

    i = 1 if lang == "id" else 0
    name = file.removesuffix(".parquet")
    path = f"data/processed/{study}/{file}"
    try:
        table = pq.read_table(processed / file, columns=["treated", "post"])
    except (OSError, ValueError, KeyError) as err:  # the notebook will say more
        return f"{path} {('cannot be read', 'tidak dapat dibaca')[i]} ({type(err).__name__})"
    treated = {bool(v) for v in table.column("treated").to_pylist() if v is not None}
    post = {bool(v) for v in table.column("post").to_pylist() if v is not None}
    if table.num_rows == 0:
        return f"{path} {('has no rows', 'tidak memiliki baris')[i]}"
    missing = (True not in treated, False not in treated, True not in post, False not in post)
    for lacking, (what, key, because) in zip(missing, _IMPACT_LACKS, strict=True):
        if lacking:
            if i:
                return (
                    f"tabel {name} tidak memiliki {what[1]}: `impact: {key}` di "
                    f"data/raw/{study}/codebook.yaml {because[1]}"
                )
            return (
                f"the {name} table has no {what[0]}: `impact: {key}` in "
                f"data/raw/{study}/codebook.yaml {because[0]}"
            )
    return None


def why_not(study: str, processed: Path, kind: str, lang: str = "en") -> str | None:
    """Why ``study`` cannot have a report of ``kind`` (one sentence), or None if it can.

    None of the tables the kind needs (:data:`KIND_REQUIRES`) is there: the sentence
    names the first, the raw export it is cleaned from and the codebook entry that maps
    it, and the others. For the impact study, also a unit table (``ikm``, else
    ``unit_kpi``) without trained or comparison units, or without periods before or
    after training. ``lang`` is the sentence's language
    (English for the run summary, the index's language in the index).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     print(why_not("s", Path(tmp), "impact"))  # doctest: +NORMALIZE_WHITESPACE
    data/processed/s has no ikm table, the public-satisfaction survey (SKM/IKM: one row
    per respondent with unit, period and the answers U1..U9): data/raw/s/codebook.yaml
    maps no table 'ikm'; add the SKM export (the demo study's skm_olah_data.xlsx) to
    data/raw/s/ and map it as table 'ikm', with an `impact:` block naming the trained
    units (`treated_units`) and the first period after training (`post_from`)
    (docs/data-model.md), then run `evalkit clean --study s`; nor is there a unit_kpi
    table (the unit KPIs: one row per unit and period with service time and complaints)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     print(why_not("s", Path(tmp), "overview", lang="id").split(":")[0])
    data/processed/s tidak memiliki tabel cohorts, daftar angkatan
    """
    check_lang(lang, "why_not")
    needed = KIND_REQUIRES[kind]
    if not any((processed / name).is_file() for name in needed):
        why = _missing_table(study, processed, needed[0].removesuffix(".parquet"), lang)
        for other in needed[1:]:
            table = other.removesuffix(".parquet")
            what = TABLE_SOURCES.get(table, {}).get(lang, (f"table {table!r}",))[0]
            why += (f"; tabel {table} ({what}) juga tidak ada" if lang == "id"
                    else f"; nor is there a {table} table ({what})")  # fmt: skip
        return why
    if kind == "impact":
        return _impact_design(study, processed, lang)
    return None


def study_jobs(
    study: str, processed: Path, kinds: list[str], cohorts: list[str] | None
) -> list[Job]:
    """The reports of one study: per cohort (only ``cohorts`` when given) and per study.

    A kind the study cannot have (:func:`why_not`) gets no report.
    """
    jobs: list[Job] = []
    for kind in kinds:
        if why_not(study, processed, kind) is not None:
            continue
        if not KINDS[kind][1]:
            jobs.append(Job(study, kind))
            continue
        ids = cohort_ids(processed)
        jobs += [Job(study, kind, c) for c in ids if not cohorts or c in cohorts]
    return jobs


def report_plan(
    job: Job,
    *,
    processed: Path,
    inputs: Mapping[str, Any],
    code: str,
    root: Path,
    reports: Path,
    lang: str,
    keep_code: bool,
    read: list[dict[str, str]] | None = None,
) -> ReportPlan:
    """The plan of one report in ``lang``: its parameters, fingerprint and files.

    ``inputs`` are the study's processed tables and raw inputs (as the manifest lists
    them), ``code`` the :func:`code_hash` of its notebook. ``read``, for a cohort report,
    is what it reads (:func:`cohort_inputs`): its fingerprint then takes those digests
    instead of ``inputs``, so that a change in another cohort's rows, or in a raw file
    that leaves this cohort's rows as they were, does not re-run it. (Its provenance
    still lists the raw files as they were when it ran.)
    """
    parameters: dict[str, Any] = {
        "study": job.study,
        "lang": lang,
        "processed_dir": relative_to_root(processed, root),
    }
    if job.cohort_id is not None:
        parameters["cohort_id"] = job.cohort_id
    parts = {
        "inputs": fingerprint(inputs if read is None else {"cohort_tables": read}),
        "parameters": fingerprint(parameters),
        "code": code,
        "options": fingerprint(
            {"version": STATE_VERSION, "evalkit": __version__, "keep_code": keep_code}
        ),
    }
    folder = reports / job.study
    return ReportPlan(
        job=job,
        notebook=root / "notebooks" / job.notebook_name,
        parameters=parameters,
        fingerprint=fingerprint(parts),
        parts=parts,
        html=folder / f"{report_stem(job.name, lang)}.html",
        executed=folder / "_executed" / f"{report_stem(job.name, lang)}.ipynb",
        state=folder / "_executed" / f"{report_stem(job.name, lang)}.json",
        tables=inputs["tables"],
        processed=processed,
        lang=lang,
    )


def plan_jobs(
    studies: list[str],
    cohorts: list[str] | None,
    kinds: list[str] | None,
    *,
    root: Path,
    reports: Path,
    lang: str,
    keep_code: bool,
) -> tuple[list[ReportPlan], list[JobResult]]:
    """Every report to consider, with its fingerprint; plus study-level results.

    ``lang`` is ``"id"``, ``"en"`` or ``"both"`` (:func:`run_languages`): with both, each
    report is planned once per language, the Indonesian one first. A study without ``cohorts.parquet`` is a failure that says why
    (:func:`evalkit.data.freshness.missing_cohorts`). A kind the study cannot have
    (:func:`why_not`, e.g. an impact study without IKM data) is a failure that says why
    when ``kinds`` names it, and otherwise a result of status :data:`STATUS_NOT_MADE`
    saying why (the run summary gives it one line).

    Raises
    ------
    ParameterError
        An unknown kind, a kind without notebook (:func:`wanted_kinds`), or a cohort
        asked for that no study has.
    """
    asked = kinds is not None
    languages = run_languages(lang)
    kinds = wanted_kinds(kinds, cohorts, root / "notebooks")
    codes = {k: code_hash(root / "notebooks" / KINDS[k][0]) for k in kinds}
    plans: list[ReportPlan] = []
    failures: list[JobResult] = []
    for study in studies:
        processed = root / "data" / "processed" / study
        if not (processed / "cohorts.parquet").is_file():
            failures.append(study_failure(study, missing_cohorts(root, study)))
            continue
        reasons = {kind: why_not(study, processed, kind) for kind in kinds}
        for kind, reason in reasons.items():
            if reason is not None:
                status = STATUS_FAILED if asked else STATUS_NOT_MADE
                failures.append(JobResult(study, kind, status, error=f"no {kind} report: {reason}"))
        inputs = {"tables": input_tables(processed), "raw": manifest_inputs(processed)}
        jobs = study_jobs(study, processed, kinds, cohorts)
        per_cohort = (
            cohort_inputs(processed, inputs["tables"])
            if any(j.cohort_id is not None for j in jobs)
            else {}
        )
        plans += [
            report_plan(
                job,
                processed=processed,
                inputs=inputs,
                read=None if job.cohort_id is None else per_cohort.get(job.cohort_id, []),
                code=codes[job.kind],
                root=root,
                reports=reports,
                lang=language,
                keep_code=keep_code,
            )
            for job in jobs
            for language in languages
        ]
    if cohorts:
        unknown = sorted(set(cohorts) - {p.job.cohort_id for p in plans})
        if unknown:
            raise ParameterError(
                f"run_reports: cohort(s) {unknown} not found in the cohorts table of "
                f"study/studies {studies}"
            )
    return plans, failures


def up_to_date(plan: ReportPlan) -> JobResult | None:
    """The result of a report that need not run (same fingerprint, every file there).

    Returns None when the report must run: no state, a failed or different last run,
    or a file of its last run missing.
    """
    state = read_state(plan.state)
    folder = plan.html.parent
    if (
        state
        and state.get("status") == "ok"
        and state.get("fingerprint") == plan.fingerprint
        and plan.html.is_file()
        and all((folder / name).is_file() for name in state.get("outputs") or [])
    ):
        return JobResult(
            study=plan.job.study,
            name=plan.stem,
            status=STATUS_SKIPPED,
            html=plan.html,
            executed=plan.executed,
            headline=state.get("headline") or {},
            lang=plan.lang,
        )
    return None
