"""Planting mess in the demo exports, and recording every piece of it.

:class:`Mess` is the log of planted mess that becomes ``truth.json``'s
``mess`` section: each event names its kind, file, sheet, spreadsheet row,
column, the value written, the true value and what cleaning is expected to do
with it. It also keeps, per sheet, the rows already messed with, so that two
kinds of mess never land on the same row (:meth:`Mess.pick`).

The shared kinds of mess are planted here: NIPs mangled as people and
spreadsheets mangle them (:data:`NIP_MANGLERS`: spaces, dots, scientific
notation, Excel numbers, a lost first digit, impossible dates) and unit names
written as case variants, abbreviations or typos (:func:`mess_units`).

Examples
--------
>>> mess = Mess()
>>> mess.add("nip_spaces", "a.csv", 0, "NIP", "1985 05", "repaired")
>>> mess.events[0]["row"], mess.counts()
(2, {'nip_spaces': 1})
>>> NIP_MANGLERS["nip_dots"][0]("198505122010011002")
'19850512.201001.1.002'
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

from evalkit.data.demo.design import UNITS
from evalkit.data.demo.files import RawFile


class Mess:
    """Records every planted piece of mess (kind, file, row, column, value)."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self.used: dict[tuple[str, str], set[int]] = {}

    def add(self, kind: str, file: str, row: int, column: str | None, value: Any, expected: str,
            true_value: Any = None, sheet: str | None = None, header_row: int = 1) -> None:  # fmt: skip
        """Record one event; ``row`` is the 0-based data row (-1: the whole file)."""
        event = {
            "kind": kind,
            "file": file,
            "sheet": sheet,
            "row": None if row < 0 else row + header_row + 1,  # None: the whole file
            "column": column,
            "value": value,
            "true_value": true_value,
            "expected": expected,
        }
        self.events.append(event)

    def pick(self, rng: np.random.Generator, file: str, sheet: str, n_rows: int, k: int,
             allowed: list[int] | None = None) -> list[int]:  # fmt: skip
        """Pick k distinct rows not used by another planted mess of the same sheet."""
        used = self.used.setdefault((file, sheet), set())
        pool = [i for i in (range(n_rows) if allowed is None else allowed) if i not in used]
        chosen = sorted(int(i) for i in rng.choice(pool, size=min(k, len(pool)), replace=False))
        used.update(chosen)
        return chosen

    def protect(self, file: str, sheet: str, rows: Any) -> None:
        """Mark rows as used, so that no later mess lands on them."""
        self.used.setdefault((file, sheet), set()).update(rows)

    def counts(self) -> dict[str, int]:
        """Number of events of each kind, by kind."""
        return dict(sorted(Counter(e["kind"] for e in self.events).items()))


# --- NIPs -------------------------------------------------------------------------
#: NIP mess kind -> (function of the true NIP, expected handling)
NIP_MANGLERS = {
    "nip_spaces": (lambda n: f"{n[:8]} {n[8:14]} {n[14]} {n[15:]}", "repaired"),
    "nip_dots": (lambda n: f"{n[:8]}.{n[8:14]}.{n[14]}.{n[15:]}", "repaired"),
    "nip_scientific_exact": (lambda n: f"{n[0]}.{n[1:]}E+17", "repaired"),
    "nip_scientific_lossy": (lambda n: f"{float(n):.5E}", "unusable: pseudonym from the name"),
    "nip_excel_number": (
        lambda n: float(f"{float(n):.15g}"),
        "unusable (float lost digits): pseudonym from the name",
    ),
    "nip_lost_leading": (lambda n: n[1:], "unusable (17 digits): pseudonym from the name"),
    "nip_bad_birth_date": (lambda n: n[:4] + "13" + n[6:], "unusable: pseudonym from the name"),
    "nip_bad_sex_digit": (lambda n: n[:14] + "3" + n[15:], "unusable: pseudonym from the name"),
    "nip_wrong_length": (lambda n: n[:10] + n[9] + n[10:], "unusable: pseudonym from the name"),
}


#: NIP mess kinds whose 18 digits can still be recovered exactly.
NIP_RECOVERABLE = ("nip_spaces", "nip_dots", "nip_scientific_exact")


def mangle_nips(rng: np.random.Generator, mess: Mess, f: RawFile, sheet: str, column: str,
                plan: dict[str, int], allowed: list[int] | None = None) -> None:  # fmt: skip
    """Mangle the NIPs of a column: ``plan`` maps a kind of :data:`NIP_MANGLERS` to a count.

    Rows come from :meth:`Mess.pick` (among ``allowed`` when given); each is recorded.

    Examples
    --------
    >>> from evalkit.data.demo.files import Sheet
    >>> f = RawFile("a.csv", {"S": Sheet(["NIP"], [["198505122010011002"], ["199001012015032001"]])},
    ...             "test", [])
    >>> mess = Mess()
    >>> mangle_nips(np.random.default_rng(0), mess, f, "S", "NIP", {"nip_spaces": 1})
    >>> f.sheets["S"].rows, mess.events[0]["kind"], mess.events[0]["row"]
    ([['198505122010011002'], ['19900101 201503 2 001']], 'nip_spaces', 3)
    """
    sh = f.sheets[sheet]
    j = sh.col(column)
    for kind, k in plan.items():
        func, expected = NIP_MANGLERS[kind]
        for i in mess.pick(rng, f.name, sheet, len(sh.rows), k, allowed):
            true = sh.rows[i][j]
            sh.rows[i][j] = func(true)
            mess.add(kind, f.name, i, column, sh.rows[i][j], expected, true, sheet, sh.header_row)


# --- unit names -------------------------------------------------------------------
def _unit_variant(rng: np.random.Generator, unit: str) -> tuple[str, str]:
    abbrev, typos = UNITS[unit]
    kind = str(rng.choice(["unit_case_variant", "unit_abbreviation", "unit_typo"]))
    if kind == "unit_case_variant":
        upper = unit.upper()
        if upper == unit or rng.random() < 0.5:
            return (unit.lower() + " " if upper == unit else upper), kind
        return unit.lower() + " ", kind
    pool = abbrev if kind == "unit_abbreviation" else typos
    value = str(pool[int(rng.integers(len(pool)))])
    if kind == "unit_abbreviation" and rng.random() < 0.4:
        value = value.lower()
    return value, kind


def mess_units(rng: np.random.Generator, mess: Mess, f: RawFile, sheet: str, column: str,
               k: int) -> None:  # fmt: skip
    """Write the unit of ``k`` rows as a case variant, abbreviation or typo (recorded).

    Examples
    --------
    >>> from evalkit.data.demo.files import Sheet
    >>> f = RawFile("a.csv", {"S": Sheet(["Unit"], [["Dinas Kesehatan"], ["Bappeda"]])}, "test", [])
    >>> mess = Mess()
    >>> mess_units(np.random.default_rng(1), mess, f, "S", "Unit", 2)
    >>> f.sheets["S"].rows, [e["kind"] for e in mess.events]
    ([['Dinas Kesehtan'], ['Bapeda']], ['unit_typo', 'unit_typo'])
    """
    sh = f.sheets[sheet]
    j = sh.col(column)
    for i in mess.pick(rng, f.name, sheet, len(sh.rows), k):
        true = sh.rows[i][j]
        sh.rows[i][j], kind = _unit_variant(rng, true)
        mess.add(kind, f.name, i, column, sh.rows[i][j], "repaired (mapped to canonical unit)",
                 true, sheet, sh.header_row)  # fmt: skip
