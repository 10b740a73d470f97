"""Part of evalkit.spss."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from evalkit import constants as C
from evalkit.errors import DataError
from evalkit.io.spss import spss_name, write_sav

#: Labels of the coded categorical columns of the participant file (code -> label).
CATEGORY_LABELS: dict[str, dict[str, str]] = {
    C.SEX: {"L": "Laki-laki (male)", "P": "Perempuan (female)"},
    C.AGE_BAND: {"<30": "< 30", "30-39": "30-39", "40-49": "40-49", "50+": "50+"},
    C.POSITION_TYPE: {
        "struktural": "Struktural",
        "fungsional": "Fungsional",
        "pelaksana": "Pelaksana",
    },
}


#: Variable labels of the participant file's fixed columns.
VARIABLE_LABELS: dict[str, str] = {
    C.COHORT_ID: "Kode angkatan (cohort)",
    C.PARTICIPANT_ID: "ID peserta, pseudonim (pseudonymous participant id)",
    C.SEX: "Jenis kelamin (sex)",
    C.AGE_BAND: "Kelompok umur (age band)",
    C.GOLONGAN: "Golongan/ruang (civil-service grade)",
    C.POSITION_TYPE: "Jenis jabatan (position type)",
    C.UNIT: "Unit kerja / OPD (unit)",
    C.PRE: "Nilai pre-test (pre-test score)",
    C.POST: "Nilai post-test (post-test score)",
    C.MAX_SCORE: "Nilai maksimum tes (maximum test score)",
}


# --- the participant-level file of a cleaned study ----------------------------------
def _wide(long: pd.DataFrame, column: str, prefix: str) -> pd.DataFrame:
    """Long item rows -> one column per item (``<prefix><item>``), by participant."""
    wide = long.pivot_table(
        index=[C.COHORT_ID, C.PARTICIPANT_ID], columns=column, values=C.SCORE, aggfunc="last",
        sort=True,
    )  # fmt: skip
    wide.columns = [f"{prefix}{c}" for c in wide.columns]
    return wide.reset_index()


def participant_data(processed_dir: Path | str) -> tuple[pd.DataFrame, dict[str, str], dict]:
    """One row per participant in a cohort, for SPSS users.

    Parameters
    ----------
    processed_dir : Path or str
        A cleaned study folder (``data/processed/<study>``).

    Returns
    -------
    frame : pandas.DataFrame
        Columns ``cohort_id``, ``participant_id``, ``sex``, ``age_band``,
        ``golongan``, ``position_type`` and ``unit`` (each present when the
        study has it; ``sex``, ``age_band`` and ``position_type`` as numeric
        codes), ``pre``, ``post``, ``max_score`` (with a learning table), one
        column per reaction item (``r_<item>``, score with reverse-keyed items
        already reversed) and one per follow-up item, rater and month
        (``f_<rater>_m<months>_<item>``). Participants are those of the
        ``participants`` table, plus anyone with learning or reaction data.
    variable_labels : dict
        Column -> label (the question text of reaction items).
    value_labels : dict
        Coded column -> {code: label}.

    Raises
    ------
    DataError
        If the folder has none of the participant tables.

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = pd.DataFrame({"cohort_id": ["A"], "participant_id": ["P1"], "sex": ["P"]}
    ...                      ).to_parquet(Path(tmp) / "participants.parquet")
    ...     frame, var, val = participant_data(tmp)
    >>> frame.to_dict("records"), val["sex"][2]
    ([{'cohort_id': 'A', 'participant_id': 'P1', 'sex': 2}], 'Perempuan (female)')
    """
    from evalkit.io.atomic import read_parquet

    folder = Path(processed_dir)
    tables = {
        name: read_parquet(folder / f"{name}.parquet")
        for name in ("participants", "learning", "reaction", "reaction_items", "followup")
        if (folder / f"{name}.parquet").is_file()
    }
    keys = [C.COHORT_ID, C.PARTICIPANT_ID]
    parts = [tables[t][keys] for t in ("participants", "learning", "reaction") if t in tables]
    if not parts:
        raise DataError(
            "no participants, learning or reaction table; run `evalkit clean` first",
            file=str(folder),
        )
    frame = pd.concat(parts, ignore_index=True).drop_duplicates().sort_values(keys)
    variable_labels = {k: v for k, v in VARIABLE_LABELS.items()}
    value_labels: dict[str, dict[int, str]] = {}
    if "participants" in tables:
        people = tables["participants"].drop_duplicates(keys, keep="last")
        frame = frame.merge(people, on=keys, how="left")
    if "learning" in tables:
        learning = tables["learning"][[*keys, C.PRE, C.POST, C.MAX_SCORE]]
        frame = frame.merge(learning.drop_duplicates(keys, keep="last"), on=keys, how="left")
    if "reaction" in tables and not tables["reaction"].empty:
        frame = frame.merge(_wide(tables["reaction"], C.ITEM, "r_"), on=keys, how="left")
        texts = {}
        if "reaction_items" in tables:
            texts = dict(zip(tables["reaction_items"][C.ITEM], tables["reaction_items"][C.TEXT],
                             strict=True))  # fmt: skip
        for item in tables["reaction"][C.ITEM].unique():
            variable_labels[f"r_{item}"] = str(texts.get(item) or item)
    if "followup" in tables and not tables["followup"].empty:
        fu = tables["followup"].copy()
        months = fu[C.MONTHS_AFTER].astype("Int64").astype(object)
        fu["_col"] = [
            f"f_{r}_m{'' if m is None or m is pd.NA else m}_{i}"
            for r, m, i in zip(fu[C.RATER], months, fu[C.ITEM], strict=True)
        ]
        frame = frame.merge(_wide(fu, "_col", ""), on=keys, how="left")
        for col in fu["_col"].unique():
            variable_labels[col] = f"Tindak lanjut / follow-up: {col[2:]}"
    for column, labels in CATEGORY_LABELS.items():
        if column in frame:
            codes = {value: i for i, value in enumerate(labels, start=1)}
            extra = sorted(set(frame[column].dropna()) - set(codes))
            for value in extra:
                codes[value] = len(codes) + 1
            frame[column] = frame[column].map(codes).astype("Int64")
            value_labels[column] = {i: labels.get(value, str(value)) for value, i in codes.items()}
    frame = frame.reset_index(drop=True)
    variable_labels = {k: v for k, v in variable_labels.items() if k in frame}
    return frame, variable_labels, value_labels


def write_participants_sav(processed_dir: Path | str, path: Path | str) -> Path:
    """Write a cleaned study's participant-level data (:func:`participant_data`) to ``.sav``.

    Column names are made valid SPSS names (:func:`spss_name`); the original
    name is kept in the variable label when it changes.

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> from evalkit.io.spss import read_sav
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = pd.DataFrame({"cohort_id": ["A"], "participant_id": ["P1"], "pre": [40.0],
    ...                       "post": [70.0], "max_score": [100.0]}
    ...                      ).to_parquet(Path(tmp) / "learning.parquet")
    ...     p = write_participants_sav(tmp, Path(tmp) / "peserta.sav")
    ...     read_sav(p).attrs["variable_labels"]["post"]
    'Nilai post-test (post-test score)'
    """
    frame, variable_labels, value_labels = participant_data(processed_dir)
    taken: set[str] = set()
    names = {c: spss_name(c, taken) for c in frame.columns}
    renamed = frame.rename(columns=names)
    labels = {}
    for old, new in names.items():
        label = variable_labels.get(old, old)
        labels[new] = label if old == new else f"{label} [{old}]"
    values = {names[k]: v for k, v in value_labels.items()}
    measures = {names[c]: "ordinal" for c in frame.columns if c.startswith(("r_", "f_"))}
    return write_sav(renamed, path, variable_labels=labels, value_labels=values,
                     measures=measures, file_label="evalkit participant data")  # fmt: skip
