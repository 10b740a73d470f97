"""Part of evalkit.clean."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from evalkit.data.scrub import NameScrubber, defuse, mask_nip, scrub_text, shorten

# --- the quality log ----------------------------------------------------------------
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
