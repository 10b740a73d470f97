"""Starting a study from a folder of exports: copy them under ``data/raw`` and write a codebook.

:func:`init_study` copies the exports into ``data/raw/<study>/`` (unless they
are already there; originals are never changed, and a copied file that would
replace a different one is refused unless forced), proposes a codebook
(:func:`~evalkit.data.onboard.proposal.build_proposal`), checks that it parses,
and writes it as ``codebook.yaml`` with a header saying what to do next and a
``# REVIEW:`` comment on every guess. An existing codebook is never replaced
unless asked. :class:`InitResult` says what was written.

Examples
--------
>>> _study_name(Path("/p/data/raw/uji/2025"), Path("/p/data/raw"), None)
'uji'
>>> _study_name(Path("/home/ana/Ekspor Pelatihan"), Path("/p/data/raw"), None)
'ekspor-pelatihan'
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from pathlib import Path

from evalkit.data.onboard.draft import NO_COHORT_LIST, REVIEW, maps_cohorts, slug
from evalkit.data.onboard.proposal import build_proposal
from evalkit.data.onboard.render import render_codebook
from evalkit.data.onboard.sources import RAW_SUFFIXES, is_export
from evalkit.errors import DataError, ParameterError


@dataclass(frozen=True)
class InitResult:
    """What :func:`init_study` did.

    Attributes
    ----------
    study : str
        The study name (folder under ``data/raw``).
    raw_dir : Path
        The study folder holding the exports and the codebook.
    codebook : Path
        The codebook written.
    copied : tuple of str
        Exports copied into ``raw_dir`` (when ``path`` was elsewhere).
    tables : dict of str to list
        Codebook entry -> its files.
    review : int
        Lines marked ``REVIEW`` in the codebook.
    unused : tuple of str
        Files or sheets not used, with the reason.
    cohorts : bool
        Whether the codebook maps a cohort list (reports need one).
    """

    study: str
    raw_dir: Path
    codebook: Path
    copied: tuple[str, ...]
    tables: dict[str, list[str]]
    review: int
    unused: tuple[str, ...]
    cohorts: bool = True

    def __str__(self) -> str:
        lines = [f"study {self.study}: codebook proposed at {self.codebook}"]
        if self.copied:
            lines.append(f"  {len(self.copied)} export(s) copied into {self.raw_dir}")
        for key, files in self.tables.items():
            lines.append(f"  {key}: {', '.join(files)}")
        for text in self.unused:
            lines.append(f"  not used: {text}")
        if not self.cohorts:
            lines.append(f"  {NO_COHORT_LIST}")
        lines.append(
            f"  {self.review} line(s) marked {REVIEW}: read them, then run "
            f"`evalkit check --study {self.study}` and `evalkit clean --study {self.study}`"
        )
        return "\n".join(lines)


def _within(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
    except ValueError:
        return False
    return True


def _study_name(source: Path, raw_root: Path, study: str | None) -> str:
    """The study name: as given, else the folder under ``data/raw``, else the folder's slug."""
    if study is None:
        if _within(source, raw_root) and source != raw_root:
            study = source.relative_to(raw_root).parts[0]
        else:
            study = slug(source.name).replace("_", "-")
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_\-]*", study):
        raise ParameterError(
            f"init_study: parameter 'study' must be a folder name of letters, digits, - and _, "
            f"got {study!r}"
        )
    return study


def _copy_exports(source: Path, target: Path, raw_root: Path, force: bool) -> list[str]:
    """Copy the exports of ``source`` into ``target`` (files that differ only); return them."""
    import shutil

    from evalkit.io.atomic import sha256

    if _within(target, source):
        raise ParameterError(
            f"init_study: parameter 'path' ({source}) contains the study folder {target}"
        )
    files = sorted(p for p in source.rglob("*") if is_export(p) and not _within(p, raw_root))
    if not files:
        raise DataError(f"no export ({', '.join(RAW_SUFFIXES)}) in the folder", file=str(source))
    copied: list[str] = []
    for file in files:
        rel = file.relative_to(source)
        dest = target / rel
        if dest.exists() and sha256(dest) != sha256(file) and not force:
            raise ParameterError(
                f"init_study: {dest} already exists with other content; "
                "use force=True (--force) to replace it"
            )
        if not dest.exists() or sha256(dest) != sha256(file):
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(file, dest)
            copied.append(rel.as_posix())
    return copied


def _codebook_header(study: str, unused: list[str]) -> list[str]:
    """The comment lines above a proposed codebook: where it came from, what to do next."""
    header = [
        f"Codebook of study {study!r}, proposed by `evalkit init` on "
        f"{_dt.date.today().isoformat()} from the exports in this folder.",
        "Format: docs/data-model.md (section Codebook); a complete example: "
        "evalkit/data/demo_codebook.yaml.",
        f"Every line marked {REVIEW} is a guess: confirm or correct it, then run",
        f"`evalkit check --study {study}` to see what cleaning would quarantine, and why.",
    ]
    if unused:
        header += ["", "Not used:"] + [f"  {u}" for u in unused]
    return header


def init_study(
    path: Path | str,
    *,
    study: str | None = None,
    force: bool = False,
    root: Path | None = None,
) -> InitResult:
    """Start a study from a folder of exports: propose and write its codebook.

    Parameters
    ----------
    path : Path or str
        A folder of raw exports. If it is not already a study folder under
        ``data/raw`` of the project, its exports (CSV, TSV, TXT, XLSX, SAV) are
        copied into ``data/raw/<study>/``; the originals are never changed.
    study : str, optional
        Study name (default: the folder's name as a slug).
    force : bool, default False
        Overwrite an existing ``codebook.yaml`` (and copied exports that differ).
    root : Path, optional
        Project root (default: :func:`evalkit.paths.project_root`).

    Returns
    -------
    InitResult
        What was written; ``str(result)`` is a short report.

    Raises
    ------
    ParameterError
        If the study already has a ``codebook.yaml`` (or a copied export would
        replace a different file) and ``force`` is false, or ``study`` is not a
        folder name of letters, digits, ``-`` and ``_``.
    DataError
        If ``path`` does not exist or holds no recognisable export.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     raw = Path(tmp) / "data" / "raw" / "uji"; raw.mkdir(parents=True)
    ...     _ = (raw / "nilai.csv").write_text("NIP,Kelas,Pre-test,Post-test\\n"
    ...                                        "198505122010011002,K1,40,70\\n")
    ...     result = init_study(raw, root=Path(tmp))
    ...     result.tables, result.codebook.name
    ({'learning': ['nilai.csv']}, 'codebook.yaml')
    """
    import yaml

    from evalkit.data.codebook import parse_codebook
    from evalkit.io.atomic import atomic_write
    from evalkit.paths import project_root

    source = Path(path).expanduser().resolve()
    if not source.is_dir():
        raise DataError("folder of exports does not exist", file=str(source))
    root = Path(root).resolve() if root is not None else project_root()
    raw_root = root / "data" / "raw"
    study = _study_name(source, raw_root, study)
    target = raw_root / study
    copied = _copy_exports(source, target, raw_root, force) if source != target else []
    codebook_path = target / "codebook.yaml"
    if codebook_path.exists() and not force:
        raise ParameterError(
            f"init_study: {codebook_path} already exists; edit it, or use force=True "
            "(--force) to replace it with a new proposal"
        )
    proposal = build_proposal(target, study)
    header = _codebook_header(study, proposal.unused)
    text = render_codebook(proposal, header=header)
    parse_codebook(yaml.safe_load(text))  # never write an invalid codebook
    atomic_write(codebook_path, lambda fh: fh.write(text), binary=False)
    return InitResult(
        study=study,
        raw_dir=target,
        codebook=codebook_path,
        copied=tuple(copied),
        tables={k: list(v["files"]) for k, v in proposal.data["tables"].items()},
        review=sum(REVIEW in line for line in text.splitlines()[len(header) :]),
        unused=tuple(proposal.unused),
        cohorts=maps_cohorts(proposal.data["tables"]),
    )
