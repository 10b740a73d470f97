"""The quality log: one entry for every row or cell cleaning did not take as it was.

Where it sits in cleaning: every step of :func:`evalkit.data.clean.clean_study` adds to
one :class:`QualityLog` (a row dropped, quarantined or flagged, a cell repaired), which
is written as ``quality_log.csv`` beside the processed tables, in a deterministic order.
The values shown are masked (NIPs), replaced (names) or scrubbed of personal data
(:mod:`evalkit.data.scrub`) and defused against spreadsheet formulas, so the log can be
shared with the people who fix the raw data.

Examples
--------
>>> log = QualityLog()
>>> log.add("peserta.csv", 7, "NIP", "198505122010011002", "nip_bad_length: ...",
...         "quarantined", kind="nip")
>>> log.entries[0][1:4]
(7, 'NIP', '1985**************')
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from evalkit.data.scrub import NameScrubber, defuse, mask_nip, scrub_text, shorten

# --- the quality log ----------------------------------------------------------------
#: Columns of ``quality_log.csv``.
LOG_COLUMNS = ("file", "row", "column", "value", "reason", "action")


@dataclass
class QualityLog:
    """Entries of ``quality_log.csv``: file, row, column, value, reason, action."""

    entries: list[tuple[str, int, str, str, str, str]] = field(default_factory=list)
    names: NameScrubber | None = None

    def add(
        self, file: str, row: int | None, column: str, value: object, reason: str, action: str,
        *, kind: str = "str",
    ) -> None:  # fmt: skip
        """Add one entry; ``value`` is masked (``kind`` nip/name) and scrubbed."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            text = ""
        elif kind == "nip":
            text = mask_nip(str(value).strip())
        elif kind == "name":
            text = "[nama]" if str(value).strip() else ""
        else:
            text = scrub_text(str(value), self.names)
        self.entries.append(
            (file, int(row or 0), defuse(column), defuse(shorten(text)), str(reason), action)
        )

    def frame(self) -> pd.DataFrame:
        """The entries as a DataFrame in a deterministic order."""
        frame = pd.DataFrame(self.entries, columns=list(LOG_COLUMNS)).astype(
            {"file": object, "row": "int64", "column": object, "value": object,
             "reason": object, "action": object}
        )  # fmt: skip
        return frame.sort_values(list(LOG_COLUMNS), kind="mergesort").reset_index(drop=True)
