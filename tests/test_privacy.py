"""No NIP and no name from the raw exports reaches ``data/processed/``.

The demo study is written and cleaned into ``tmp_path``; every raw export is read
back (with the codebook, so only the NIP and name columns count as identifiers),
and every processed file is scanned for every identifier: Parquet files as the
text of all their cells (and their raw bytes), CSV and JSON as text. The number
of files, identifiers and hits is printed (``pytest -s``) and the hits must be 0.
HTML reports are scanned by the report tests.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from evalkit.data.clean import clean_study
from evalkit.data.codebook import load_codebook
from evalkit.data.nip import parse_nip
from evalkit.data.pseudonym import normalize_name
from evalkit.io.readers import read_table

SALT = b"privacy test salt"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    from evalkit.data.demo import write_demo

    root = tmp_path_factory.mktemp("privacy")
    raw = write_demo(root / "raw", progress=False)
    clean_study(raw, root / "processed", progress=False, salt=SALT)
    return raw, root / "processed"


def raw_identifiers(raw: Path) -> tuple[set[str], set[str], set[str]]:
    """NIPs (normalised), NIPs as written, and names, from every raw export."""
    codebook = load_codebook(raw / "codebook.yaml")
    nips, raw_nips, names = set(), set(), set()
    for spec in codebook.tables.values():
        wanted = {c.source: c.type for c in spec.columns.values() if c.type in ("nip", "name")}
        if not wanted:
            continue
        for pattern in spec.files:
            for path in sorted(raw.glob(pattern)):
                frame = read_table(path, sheet=spec.sheet, header_row=spec.header_row)
                for source, kind in wanted.items():
                    for value in frame[source].dropna().astype(str):
                        value = value.strip()
                        if not value:
                            continue
                        if kind == "nip":
                            nip, _reason = parse_nip(value)
                            if nip:
                                nips.add(nip)
                            if len(re.sub(r"\D", "", value)) >= 8:
                                raw_nips.add(value)
                        else:
                            names.add(value)
    return nips, raw_nips, names


def processed_texts(out: Path) -> dict[str, str]:
    """Every processed file as searchable text (Parquet: every cell, plus its bytes)."""
    texts: dict[str, str] = {}
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        if path.suffix == ".parquet":
            frame = pd.read_parquet(path)
            cells = "\n".join("\n".join(map(str, frame[col].tolist())) for col in frame.columns)
            texts[path.name] = "\n".join(
                [" ".join(map(str, frame.columns)), cells, path.read_bytes().decode("latin-1")]
            )
        else:
            texts[path.name] = path.read_text(encoding="utf-8", errors="replace")
    return texts


def test_no_identifier_reaches_the_processed_folder(demo) -> None:
    raw, out = demo
    nips, raw_nips, names = raw_identifiers(raw)
    texts = processed_texts(out)
    assert len(nips) > 50 and len(names) > 50 and {"manifest.json", "quality_log.csv"} <= set(texts)
    folded = {name: text.casefold() for name, text in texts.items()}
    hits: list[tuple[str, str]] = []
    for nip in sorted(nips):
        hits += [(f, nip) for f, t in texts.items() if nip in t]
    for value in sorted(raw_nips):
        hits += [(f, value) for f, t in texts.items() if value in t]
    for name in sorted(names):
        # the full name as written and as normalised (titles removed, case-folded)
        needles = {name.casefold(), normalize_name(name) or name.casefold()}
        needles = {n for n in needles if len(n) >= 6 and " " in n}
        hits += [(f, name) for f, t in folded.items() for n in needles if n in t]
    print(
        f"\nleak scan: {len(texts)} processed files scanned ({', '.join(sorted(texts))}); "
        f"identifiers searched: {len(nips)} NIPs (18-digit), {len(raw_nips)} NIPs as written "
        f"in the raw files, {len(names)} names; hits: {len(hits)}"
    )
    assert hits == [], hits[:10]


def test_comments_are_scrubbed(demo) -> None:
    _raw, out = demo
    texts = pd.read_parquet(out / "comments.parquet")["text"]
    assert len(texts) > 0
    joined = "\n".join(texts)
    assert not re.search(r"[\w.+\-]+@[\w\-]+\.[\w.\-]+", joined)  # e-mail addresses
    assert not re.search(r"(?:\+62|\b0)8\d{1,2}[\s.\-]?\d{3,4}[\s.\-]?\d{3,5}", joined)  # mobiles
    assert not re.search(r"\d(?:[ .\-]?\d){14,}", joined)  # NIP-like runs
    assert not re.search(r"\d{9,}", joined.replace("-", "").replace(" ", ""))


def test_quality_log_masks_identifiers(demo) -> None:
    raw, out = demo
    log = pd.read_csv(out / "quality_log.csv", dtype=str, keep_default_na=False)
    nip_rows = log[log["reason"].str.startswith("nip_")]
    assert len(nip_rows) > 0
    # at most the first 4 digits of a NIP are shown
    assert not nip_rows["value"].str.contains(r"\d{5}").any()
    assert not log["value"].str.contains(r"\d{15,}").any()
    _nips, _raw_nips, names = raw_identifiers(raw)
    values = "\n".join(log["value"]).casefold()
    assert not [n for n in names if len(n) >= 6 and " " in n and n.casefold() in values]
    assert not log["value"].str.match(r"^[=+@\t\r]").any()
