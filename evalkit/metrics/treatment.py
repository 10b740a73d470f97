"""What a Level 4 impact study compares: the training behind "treated", and grade changes.

An impact study marks units as trained (``treated``) or comparison. Which training that
flag stands for is read from the data, not assumed: :func:`treatment_cohorts` finds the
cohorts whose trainees are all in the trained units and reach every one of them.
:func:`unit_training` counts, per unit, the staff trained in those cohorts and in every
other cohort of the study window, so a report can say when comparison units were
trained too (they are then "not trained in this program", not "untrained").
:func:`ikm_transitions` gives each unit's IKM grade (A-D) before and after.

Examples
--------
>>> import pandas as pd
>>> design = pd.DataFrame({"unit": ["a", "b", "c"], "treated": [True, False, False]})
>>> parts = pd.DataFrame({"cohort_id": ["X", "X", "Y"], "participant_id": ["p1", "p2", "p3"],
...                       "unit": ["a", "a", "b"]})
>>> cohs = pd.DataFrame({"cohort_id": ["X", "Y"], "program_id": ["P", "Q"],
...                      "program_name": ["Prima", "Other"],
...                      "start_date": pd.to_datetime(["2024-03-04", "2024-05-01"])})
>>> treatment_cohorts(parts, cohs, design)["defines_treated"].tolist()
[True, False]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from evalkit import constants as C
from evalkit.errors import ParameterError
from evalkit.metrics._validate import require_columns
from evalkit.metrics.results import ikm, ikm_grade, indicator

__all__ = [
    "IMPACT_TABLES",
    "PRIMARY_OUTCOMES",
    "ikm_transitions",
    "impact_design",
    "period_window",
    "primary_outcome",
    "treatment_cohorts",
    "unit_training",
]

#: The unit tables that carry an impact study's design (``unit``, ``period``,
#: ``period_index``, ``post``, ``treated``, written by cleaning from the codebook's
#: ``impact:`` block), in the order the design is taken from.
IMPACT_TABLES: tuple[str, ...] = ("ikm", "unit_kpi")

#: Table -> the primary outcome it gives an impact study, in order of precedence. The
#: rule is fixed before any data is seen: the IKM difference-in-differences when the study
#: has IKM data, else the service-time difference-in-differences (complaints, a count,
#: stay secondary).
PRIMARY_OUTCOMES: dict[str, str] = {"ikm": "ikm", "unit_kpi": C.SERVICE_DAYS}


def _unit_flags(
    func: str, design: pd.DataFrame, unit: str, treated: str, table: str = "design"
) -> pd.Series:
    """Each unit's ``treated`` flag (bool, indexed by unit) from ``table``'s rows."""
    require_columns(func, design, [unit, treated], table)
    flags = design[[unit, treated]].drop_duplicates()
    if flags[unit].duplicated().any():
        bad = flags.loc[flags[unit].duplicated(), unit].iloc[0]
        raise ParameterError(
            f"{func}: column {treated!r} of {table} must be constant within each unit; "
            f"unit {bad!r} has both values"
        )
    return pd.Series(indicator(func, flags[treated], treated) == 1, index=flags[unit].to_numpy())


def impact_design(
    tables: dict[str, pd.DataFrame],
    *,
    unit: str = C.UNIT,
    period: str = C.PERIOD,
    period_index: str = C.PERIOD_INDEX,
    post: str = C.POST,
    treated: str = C.TREATED,
) -> pd.DataFrame:
    """One row per unit and period: the impact study's design, from its unit tables.

    The design is read from the first of :data:`IMPACT_TABLES` that ``tables`` holds
    (the IKM survey, else the unit KPIs): cleaning writes the same ``post`` and
    ``treated`` flags into each from the codebook's ``impact:`` block, so a study with
    KPIs and no IKM survey still has a design.

    Parameters
    ----------
    tables : dict of str to DataFrame
        The study's processed tables by name (:func:`evalkit.data.processed.load_study`).
    unit, period, period_index, post, treated : str
        Column names.

    Returns
    -------
    DataFrame
        Columns ``unit, period, period_index, post, treated``, one row per unit and
        period, in the order of the table.

    Examples
    --------
    >>> kpi = pd.DataFrame({"unit": ["a", "a", "b", "b"], "period": ["S1", "S2"] * 2,
    ...                     "period_index": [0, 1] * 2, "post": [False, True] * 2,
    ...                     "treated": [True, True, False, False], "service_days": [5, 4, 6, 6]})
    >>> impact_design({"unit_kpi": kpi})["treated"].tolist()
    [True, True, False, False]
    """
    columns = [unit, period, period_index, post, treated]
    for name in IMPACT_TABLES:
        if name in tables:
            frame = tables[name]
            require_columns("impact_design", frame, columns, name)
            return frame.drop_duplicates([unit, period])[columns].reset_index(drop=True)
    raise ParameterError(
        f"impact_design: tables holds none of {', '.join(IMPACT_TABLES)}; got "
        f"{', '.join(sorted(tables)) or 'no table'}"
    )


def primary_outcome(tables: dict[str, pd.DataFrame]) -> str:
    """The impact study's primary outcome: the first of :data:`PRIMARY_OUTCOMES` present.

    Examples
    --------
    >>> primary_outcome({"ikm": None, "unit_kpi": None}), primary_outcome({"unit_kpi": None})
    ('ikm', 'service_days')
    """
    for name, outcome in PRIMARY_OUTCOMES.items():
        if name in tables:
            return outcome
    raise ParameterError(
        f"primary_outcome: tables holds none of {', '.join(PRIMARY_OUTCOMES)}; got "
        f"{', '.join(sorted(tables)) or 'no table'}"
    )


def treatment_cohorts(
    participants: pd.DataFrame,
    cohorts: pd.DataFrame,
    design: pd.DataFrame,
    *,
    unit: str = C.UNIT,
    treated: str = C.TREATED,
    cohort: str = C.COHORT_ID,
    participant: str = C.PARTICIPANT_ID,
) -> pd.DataFrame:
    """Per cohort: how its trainees fall on the trained and comparison units.

    Parameters
    ----------
    participants : DataFrame
        The ``participants`` table (``cohort_id, participant_id, unit``).
    cohorts : DataFrame
        The ``cohorts`` table (``cohort_id, program_id, program_name, start_date``).
    design : DataFrame
        The study's units with their ``treated`` flag (one or more rows per unit).
    unit, treated, cohort, participant : str
        Column names.

    Returns
    -------
    DataFrame
        Indexed by cohort (cohorts with a trainee in a study unit), sorted by start date:
        ``program_id, program_name, start_date, n_treated_units`` (trained units the
        cohort reached), ``n_in_treated, n_in_comparison`` (its trainees there),
        ``defines_treated`` (all its trainees in the study's units are in trained units
        and it reaches every trained unit: the training the ``treated`` flag stands for).

    Raises
    ------
    ParameterError
        Missing columns; ``treated`` not constant within a unit.

    Examples
    --------
    >>> import pandas as pd
    >>> design = pd.DataFrame({"unit": ["a", "b"], "treated": [True, False]})
    >>> parts = pd.DataFrame({"cohort_id": ["X", "Y", "Y"], "participant_id": ["p1", "p2", "p3"],
    ...                       "unit": ["a", "a", "b"]})
    >>> cohs = pd.DataFrame({"cohort_id": ["X", "Y"], "program_id": ["P", "Q"],
    ...                      "program_name": ["Prima", "Other"],
    ...                      "start_date": pd.to_datetime(["2024-03-04", "2024-05-01"])})
    >>> treatment_cohorts(parts, cohs, design)[["n_in_treated", "n_in_comparison"]].values.tolist()
    [[1, 0], [1, 1]]
    """
    func = "treatment_cohorts"
    require_columns(func, participants, [cohort, participant, unit], "participants")
    require_columns(func, cohorts, [cohort, C.PROGRAM_ID, C.PROGRAM_NAME, C.START_DATE], "cohorts")
    flags = _unit_flags(func, design, unit, treated)
    people = participants[[cohort, participant, unit]].drop_duplicates()
    people = people[people[unit].isin(flags.index)]
    people = people.assign(_t=people[unit].map(flags).astype(bool))
    in_treated = people["_t"].to_numpy()
    reached = people[in_treated].groupby(cohort)[unit].nunique()
    counts = people.groupby(cohort)["_t"].agg(["sum", "count"])  # every cohort seen
    out = pd.DataFrame(
        {
            "n_treated_units": reached.reindex(counts.index, fill_value=0).astype(int),
            "n_in_treated": counts["sum"].astype(int),
            "n_in_comparison": (counts["count"] - counts["sum"]).astype(int),
        }
    )
    info = cohorts.drop_duplicates(cohort).set_index(cohort)
    out = info[[C.PROGRAM_ID, C.PROGRAM_NAME, C.START_DATE]].join(out, how="inner")
    n_treated = int(flags.sum())
    out["defines_treated"] = (out["n_in_comparison"] == 0) & (out["n_treated_units"] == n_treated)
    return out.sort_values([C.START_DATE]).rename_axis(cohort)


def period_window(labels: Sequence[str]) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day of half-year periods labelled ``"YYYY-S1"`` / ``"YYYY-S2"``.

    Examples
    --------
    >>> [str(d.date()) for d in period_window(["2023-S1", "2025-S2", "2024-S1"])]
    ['2023-01-01', '2025-12-31']
    """
    parsed = []
    for label in labels:
        text = str(label)
        if len(text) != 7 or text[4:6] != "-S" or text[6] not in "12" or not text[:4].isdigit():
            raise ParameterError(
                f"period_window: period labels must look like '2024-S1' or '2024-S2', got {label!r}"
            )
        year, half = int(text[:4]), int(text[6])
        parsed.append((year, half))
    if not parsed:
        raise ParameterError("period_window: parameter 'labels' is empty")
    (y0, h0), (y1, h1) = min(parsed), max(parsed)
    start = pd.Timestamp(year=y0, month=1 if h0 == 1 else 7, day=1)
    end = pd.Timestamp(year=y1, month=6 if h1 == 1 else 12, day=30 if h1 == 1 else 31)
    return start, end


def unit_training(
    participants: pd.DataFrame,
    cohorts: pd.DataFrame,
    design: pd.DataFrame,
    *,
    window: tuple[Any, Any] | None,
    defining: Sequence[str],
    unit: str = C.UNIT,
    treated: str = C.TREATED,
    cohort: str = C.COHORT_ID,
    participant: str = C.PARTICIPANT_ID,
    date: str = C.START_DATE,
) -> pd.DataFrame:
    """Staff of each study unit trained in the defining cohorts and in other cohorts.

    Parameters
    ----------
    participants, cohorts, design
        As :func:`treatment_cohorts`.
    window : (date, date) or None
        The study window (e.g. :func:`period_window` of the panel's periods); only
        cohorts starting in it count. None counts every cohort.
    defining : sequence of str
        The cohorts the ``treated`` flag stands for (``defines_treated`` of
        :func:`treatment_cohorts`).
    unit, treated, cohort, participant, date : str
        Column names (``date``: the cohort's start date).

    Returns
    -------
    DataFrame
        Indexed by unit (trained units first): ``treated``, ``n_defining`` (staff trained
        in the defining cohorts), ``n_other`` (distinct staff trained in other cohorts
        starting in the window), ``n_other_cohorts`` (how many such cohorts).

    Raises
    ------
    ParameterError
        Missing columns; ``treated`` not constant within a unit; unparseable dates.

    Examples
    --------
    >>> import pandas as pd
    >>> design = pd.DataFrame({"unit": ["a", "b"], "treated": [True, False]})
    >>> parts = pd.DataFrame({"cohort_id": ["X", "Y", "Y"], "participant_id": ["p1", "p2", "p3"],
    ...                       "unit": ["a", "a", "b"]})
    >>> cohs = pd.DataFrame({"cohort_id": ["X", "Y"], "start_date": ["2024-03-04", "2024-05-01"]})
    >>> unit_training(parts, cohs, design, window=("2024-01-01", "2024-12-31"),
    ...               defining=["X"])[["n_defining", "n_other"]].values.tolist()
    [[1, 1], [0, 1]]
    """
    func = "unit_training"
    require_columns(func, participants, [cohort, participant, unit], "participants")
    require_columns(func, cohorts, [cohort, date], "cohorts")
    flags = _unit_flags(func, design, unit, treated)
    try:
        start, end = (pd.Timestamp(w) for w in window) if window is not None else (None, None)
        dates = pd.to_datetime(cohorts.drop_duplicates(cohort).set_index(cohort)[date])
    except (ValueError, TypeError) as err:
        raise ParameterError(f"{func}: 'window' and column {date!r} must be dates: {err}") from None
    people = participants[[cohort, participant, unit]].drop_duplicates()
    people = people[people[unit].isin(flags.index)]
    starts = people[cohort].map(dates)
    in_window = (
        starts.between(start, end) if window is not None else pd.Series(True, index=starts.index)
    )
    is_defining = people[cohort].isin(list(defining))
    other = people[in_window & ~is_defining]
    out = pd.DataFrame(
        {
            treated: flags,
            "n_defining": people[is_defining].groupby(unit)[participant].nunique(),
            "n_other": other.groupby(unit)[participant].nunique(),
            "n_other_cohorts": other.groupby(unit)[cohort].nunique(),
        }
    )
    out[["n_defining", "n_other", "n_other_cohorts"]] = (
        out[["n_defining", "n_other", "n_other_cohorts"]].fillna(0).astype(int)
    )
    out = out.rename_axis(unit).reset_index()
    out = out.sort_values([treated, unit], ascending=[False, True]).set_index(unit)
    return out


def ikm_transitions(
    responses: pd.DataFrame,
    *,
    unit: str = C.UNIT,
    post: str = C.POST,
    treated: str = C.TREATED,
    elements: Sequence[str] = C.IKM_ELEMENTS,
) -> pd.DataFrame:
    """Each unit's IKM and grade (A-D) before and after the training.

    The IKM of all respondents of a unit in the periods before (``post`` False) and in
    those after, each graded by :func:`evalkit.ikm_grade`.

    Parameters
    ----------
    responses : DataFrame
        One row per respondent (the ``ikm`` table): ``unit``, ``post``, ``treated`` and
        the element answers.
    unit, post, treated : str
        Column names.
    elements : sequence of str, default ``u1..u9``

    Returns
    -------
    DataFrame
        Indexed by unit (trained units first): ``treated, ikm_pre, grade_pre, ikm_post,
        grade_post, transition`` (``"C → B"``, or the grade when it did not change),
        ``change`` (``ikm_post - ikm_pre``).

    Raises
    ------
    ParameterError
        As :func:`evalkit.ikm`; a unit without respondents before or after.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"unit": ["a"] * 4, "post": [False, False, True, True],
    ...                   "treated": [True] * 4, "u1": [3, 3, 4, 4]})
    >>> ikm_transitions(r, elements=["u1"])[["grade_pre", "grade_post", "transition"]].values.tolist()
    [['C', 'A', 'C → A']]
    """
    func = "ikm_transitions"
    require_columns(func, responses, [unit, post, treated], "responses")
    flags = _unit_flags(func, responses, unit, treated, "responses")
    post_flag = pd.Series(indicator(func, responses[post], post) == 1, index=responses.index)
    scores = ikm(responses.assign(**{post: post_flag}), elements=elements, by=[unit, post])
    wide = scores["ikm"].unstack(post)  # with by=, ikm gives a DataFrame
    for flag in (False, True):
        if flag not in wide.columns or wide[flag].isna().any():
            missing = wide.index[wide[flag].isna()][0] if flag in wide.columns else wide.index[0]
            raise ParameterError(
                f"{func}: unit {missing!r} has no respondents {'after' if flag else 'before'} "
                "the training"
            )
    out = pd.DataFrame(
        {
            treated: flags.reindex(wide.index),
            "ikm_pre": wide[False],
            "grade_pre": ikm_grade(wide[False]),
            "ikm_post": wide[True],
            "grade_post": ikm_grade(wide[True]),
        }
    )
    same = out["grade_pre"] == out["grade_post"]
    out["transition"] = np.where(
        same, out["grade_pre"], out["grade_pre"] + " → " + out["grade_post"]
    )
    out["change"] = out["ikm_post"] - out["ikm_pre"]
    out = out.rename_axis(unit).reset_index()
    return out.sort_values([treated, unit], ascending=[False, True]).set_index(unit)
