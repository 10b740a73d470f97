"""Level 4, results: did the unit perform better?

Public satisfaction (IKM, PermenPANRB 14/2017), difference-in-differences of trained
vs comparison units with cluster-robust standard errors, the per-period differences
behind a parallel-trends (event-study) plot, random-intercept multilevel models with
the ICC, compliance with the 20 JP a year right, and the SKP predicate.

Examples
--------
>>> import pandas as pd
>>> from evalkit.metrics.results import ikm, ikm_grade, skp_predicate
>>> answers = pd.DataFrame({f"u{i}": [3, 4, 3, 3] for i in range(1, 10)})
>>> res = ikm(answers)
>>> float(res["ikm"]), res["grade"], res["label"]
(81.25, 'B', 'Baik')
>>> ikm_grade(88.31), skp_predicate("above", "above")
('A', 'Sangat Baik')
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from evalkit import constants as C
from evalkit.errors import ParameterError
from evalkit.metrics._grouped import band, group_keys, wilson
from evalkit.metrics._validate import check_ci, py, require_columns, require_numeric, warn

__all__ = ["JpDenominator", "ikm", "ikm_grade", "jp_compliance", "jp_denominator", "skp_predicate"]


# --- shared checks ----------------------------------------------------------------
def indicator(func: str, values: pd.Series, column: Hashable) -> np.ndarray:
    """0/1 float array from a bool or 0/1 column."""
    if pd.api.types.is_bool_dtype(values):
        return values.to_numpy(dtype=float)
    if pd.api.types.is_numeric_dtype(values):
        uniq = set(pd.unique(values.dropna()).tolist())
        if uniq <= {0, 1}:
            return values.to_numpy(dtype=float)
    else:
        uniq = set(pd.unique(values.dropna()).tolist())
    raise ParameterError(
        f"{func}: column {column!r} must be boolean (True/False or 0/1), got values "
        f"{sorted(map(str, uniq))[:5]}"
    )


def require_did_cells(
    func: str, treated: np.ndarray, post: np.ndarray, names: tuple[Hashable, Hashable]
) -> None:
    """Refuse a DiD without rows in each of its four treated x post cells (0/1 arrays)."""
    for a in (0.0, 1.0):
        for b in (0.0, 1.0):
            if not ((treated == a) & (post == b)).any():
                raise ParameterError(
                    f"{func}: no rows with {names[0]}={bool(a)} and {names[1]}={bool(b)}; a DiD "
                    "needs all four treated x post cells"
                )


# --- IKM ----------------------------------------------------------------------------
def ikm_grade(score: float | Sequence[float] | pd.Series) -> str | pd.Series:
    """Grade (A-D) of a converted IKM score (25-100), PermenPANRB 14/2017.

    Parameters
    ----------
    score : float, array-like or Series
        Converted IKM score(s), 25-100. NaN gives a missing grade.

    Returns
    -------
    str or Series
        ``"A"`` (88.31-100, Sangat Baik), ``"B"`` (76.61-88.30, Baik), ``"C"``
        (65.00-76.60, Kurang Baik) or ``"D"`` (25.00-64.99, Tidak Baik); a Series (same
        index) for array-like input.

    Raises
    ------
    ParameterError
        If a score is non-numeric or outside [25, 100].

    Notes
    -----
    The regulation prints its bands to two decimals, leaving gaps (76.60 | 76.61).
    evalkit never rounds: a score gets the band of the highest lower bound it reaches
    (``constants.IKM_BANDS``), so 76.605 is C and 76.61 is B; 88.30999 is B. The
    comparison allows 1e-9 for floating-point representation only.

    References
    ----------
    Peraturan Menteri PANRB Nomor 14 Tahun 2017 tentang Pedoman Penyusunan Survei
    Kepuasan Masyarakat Unit Penyelenggara Pelayanan Publik, Lampiran.

    Examples
    --------
    >>> ikm_grade(76.605), ikm_grade(76.61), ikm_grade(100)
    ('C', 'B', 'A')
    >>> ikm_grade([64.99, 65.0]).tolist()
    ['D', 'C']
    """
    scalar = np.ndim(score) == 0 and not isinstance(score, pd.Series)
    if scalar and isinstance(score, np.ndarray):  # a 0-d array is one score
        score = score.item()
    s = pd.Series([score]) if scalar else pd.Series(score)
    values = require_numeric("ikm_grade", s, "score").to_numpy()
    finite = values[~np.isnan(values)]
    bad = finite[(finite < 25 - C.BAND_TOLERANCE) | (finite > 100 + C.BAND_TOLERANCE)]
    if bad.size:
        raise ParameterError(
            f"ikm_grade: parameter 'score' must be a converted IKM score in [25, 100], "
            f"got {float(bad[0])!r}"
        )
    grades = band(values, C.IKM_BANDS, tolerance=C.BAND_TOLERANCE, missing=None)
    if scalar:
        return grades[0]
    return pd.Series(grades, index=s.index, name="grade", dtype=object)


def ikm(
    responses: pd.DataFrame,
    *,
    elements: Sequence[str] = C.IKM_ELEMENTS,
    by: str | Sequence[str] | pd.Series | None = None,
) -> pd.Series | pd.DataFrame:
    """Public satisfaction index (IKM) of a service unit, PermenPANRB 14/2017.

    Parameters
    ----------
    responses : DataFrame
        One row per respondent, the element columns answered 1-4 (1 = tidak baik ...
        4 = sangat baik). Missing answers (NaN) are skipped element by element.
    elements : sequence of str, default ``constants.IKM_ELEMENTS`` (u1..u9)
        The element columns, matched in any case (``U1`` .. ``U9`` as the regulation
        writes them); ``nrr_<element>`` uses the names given. A survey with fewer
        elements weights each by 1/len(elements), as the regulation prescribes.
    by : column name(s) or Series aligned to the rows, optional
        Compute one IKM per group (for example per ``unit`` and ``period``).

    Returns
    -------
    Series or DataFrame
        ``ikm`` converted score (25-100); ``nrr`` the unconverted index (1-4, the
        weighted sum of element means); ``grade`` (A-D); ``label`` (Indonesian mutu
        pelayanan); ``label_en``; ``n`` respondents with at least one answer; and
        ``nrr_<element>`` the mean of each element. With ``by=``, a DataFrame indexed by
        group, one row per group.

    Raises
    ------
    ParameterError
        If an element column is missing, non-numeric, or holds an answer other than
        1, 2, 3 or 4, or ``responses`` has no rows.

    Warns
    -----
    EvalkitWarning
        If answers are missing (skipped), or an element has no answer at all in a group
        (its IKM is then NaN).

    Notes
    -----
    ``NRR_i = mean(u_i)``; ``IKM = sum_i NRR_i * (1/9)``; converted score
    ``= IKM * 25``; grade by ``constants.IKM_BANDS`` (see :func:`ikm_grade`).
    Validated against a hand computation with exact fractions and R
    (``sum(colMeans(d)) / 9 * 25``, ``tests/reference/level345.R``), relative error
    < 1e-14.

    References
    ----------
    Peraturan Menteri PANRB Nomor 14 Tahun 2017, Lampiran, Bab IV (pengolahan data).

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({f"u{i}": [4, 3, 3, 2] for i in range(1, 10)})
    >>> out = ikm(r)
    >>> float(out["ikm"]), float(out["nrr"]), out["grade"], int(out["n"])
    (75.0, 3.0, 'C', 4)
    """
    func = "ikm"
    elements = list(elements)
    if not elements:
        raise ParameterError(f"{func}: parameter 'elements' must name at least one column")
    folded: dict[str, list[object]] = {}  # element names match columns in any case (U1 = u1)
    for column in getattr(responses, "columns", ()):
        folded.setdefault(str(column).casefold(), []).append(column)
    columns = []
    for e in elements:
        same = folded.get(str(e).casefold(), [])
        columns.append(e if e in same or len(same) != 1 else same[0])
    require_columns(func, responses, columns, "responses")
    if len(responses) == 0:
        raise ParameterError(f"{func}: parameter 'responses' has no rows; need at least one")
    answers = pd.DataFrame(
        {e: require_numeric(func, responses[c], c) for e, c in zip(elements, columns, strict=True)},
        index=responses.index,
    )
    values = answers.to_numpy()
    valid = np.isnan(values) | np.isin(values, (1.0, 2.0, 3.0, 4.0))
    if not valid.all():
        row, col = np.argwhere(~valid)[0]
        raise ParameterError(
            f"{func}: column {columns[col]!r} must hold answers 1, 2, 3 or 4 "
            f"(row {py(responses.index[row])!r} has {float(values[row, col])!r})"
        )
    if np.isnan(values).any():
        warn(
            func,
            f"{int(np.isnan(values).sum())} missing answer(s) skipped; each element mean "
            "uses the answers given",
        )
    answered = pd.Series((~np.isnan(values)).any(axis=1), index=responses.index)
    if by is None:
        means = answers.mean().to_frame().T
        n = pd.Series([int(answered.sum())])
    else:
        keys = group_keys(func, responses, by)
        grouped = answers.groupby(keys, sort=True, dropna=False)
        means = grouped.mean()
        n = answered.groupby(keys, sort=True, dropna=False).sum().astype(int)
        n.index = means.index
    nrr = means.mean(axis=1, skipna=False)
    empty = means.isna().any(axis=1)
    if empty.any():
        warn(func, f"{int(empty.sum())} group(s) have an element without answers; their IKM is NaN")
    score = nrr * C.IKM_CONVERSION
    grade = band(score.to_numpy(dtype=float), C.IKM_BANDS, tolerance=C.BAND_TOLERANCE, missing=None)
    labels = {b[1]: (b[2], b[3]) for b in C.IKM_BANDS}
    out = pd.DataFrame(
        {
            "ikm": score.to_numpy(dtype=float),
            "nrr": nrr.to_numpy(dtype=float),
            "grade": grade,
            "label": [labels[g][0] if g else None for g in grade],
            "label_en": [labels[g][1] if g else None for g in grade],
            "n": n.to_numpy(),
        },
        index=means.index,
    )
    for e in elements:
        out[f"nrr_{e}"] = means[e].to_numpy(dtype=float)
    if by is None:
        return out.iloc[0].rename(None)
    return out


# --- 20 JP a year -----------------------------------------------------------------
def _cohort_calendar(
    func: str, cohorts: pd.DataFrame, *, cohort: str, jp: str, date: str
) -> pd.DataFrame:
    """Check the cohorts of :func:`jp_compliance`; one row per cohort: JP, date, year."""
    if cohorts[cohort].duplicated().any():
        dup = cohorts.loc[cohorts[cohort].duplicated(), cohort].iloc[0]
        raise ParameterError(f"{func}: cohorts has cohort {dup!r} more than once")
    jp_values = require_numeric(func, cohorts[jp], jp)
    if jp_values.isna().any() or (jp_values < 0).any():
        bad = cohorts.loc[jp_values.isna() | (jp_values < 0), cohort].iloc[0]
        raise ParameterError(
            f"{func}: column {jp!r} of cohorts must be a non-negative number; cohort "
            f"{py(bad)!r} has {py(cohorts.loc[cohorts[cohort] == bad, jp].iloc[0])!r}"
        )
    try:
        when = pd.to_datetime(cohorts[date])
    except (ValueError, TypeError) as err:
        raise ParameterError(
            f"{func}: column {date!r} of cohorts must hold dates (YYYY-MM-DD): {err}"
        ) from None
    if when.isna().any():
        bad = cohorts.loc[when.isna(), cohort].iloc[0]
        raise ParameterError(f"{func}: column {date!r} of cohorts is missing for cohort {bad!r}")
    info = pd.DataFrame(
        {
            cohort: cohorts[cohort].to_numpy(),
            "_jp": jp_values.to_numpy(),
            "_date": when.to_numpy(),
            "year": when.dt.year.to_numpy(),
        }
    )
    return info


def _home_units(
    func: str, att: pd.DataFrame, staff: pd.DataFrame | None, *, participant: str, unit: str
) -> pd.DataFrame:
    """Each person's unit: from ``staff`` when given, else the unit of their latest cohort."""
    if staff is not None:
        require_columns(func, staff, [participant, unit], "staff")
        roster = staff[[participant, unit]].drop_duplicates()
        if roster[participant].duplicated().any():
            who = roster.loc[roster[participant].duplicated(), participant].iloc[0]
            raise ParameterError(f"{func}: staff lists person {who!r} in more than one unit")
        extra = att.loc[~att[participant].isin(roster[participant])]
        extra = extra.sort_values("_date", kind="stable")  # the latest cohort, not the last row
        latest = extra.drop_duplicates(participant, keep="last")[[participant, unit]]
        home = pd.concat([roster, latest], ignore_index=True)
    else:
        home = att.sort_values("_date", kind="stable").drop_duplicates(participant, keep="last")
        home = home[[participant, unit]]
    return home


def jp_compliance(
    participants: pd.DataFrame,
    cohorts: pd.DataFrame,
    *,
    level: Literal["person", "unit"] = "unit",
    staff: pd.DataFrame | None = None,
    years: Sequence[int] | None = None,
    target: float = C.JP_PER_YEAR,
    date: str = C.END_DATE,
    ci: float = 0.95,
    rule: Literal["all", "recent"] = "all",
    year: int | None = None,
    participant: str = C.PARTICIPANT_ID,
    cohort: str = C.COHORT_ID,
    unit: str = C.UNIT,
    jp: str = C.JP,
) -> pd.DataFrame:
    """Compliance with the right to 20 JP of competency development a year.

    Parameters
    ----------
    participants : DataFrame
        The ``participants`` table: one row per person per cohort attended
        (``cohort_id, participant_id, unit``).
    cohorts : DataFrame
        The ``cohorts`` table with the cohort's ``jp`` and its ``end_date``.
    level : {"unit", "person"}, default "unit"
        Result per person-year, or per unit-year.
    staff : DataFrame, optional
        The full roster (``participant_id, unit``), so that staff who attended no
        training count with 0 JP; it also fixes each person's unit. Without it, the
        population is the people in ``participants`` and each person's unit is the unit
        of their latest participation.
    years : sequence of int, optional
        Years to report (default: every year a cohort ended). Every person is counted
        in every reported year.
    target : float, default ``constants.JP_PER_YEAR`` (20)
        JP a person must reach in a year.
    date : str, default ``"end_date"``
        Cohort date column whose calendar year receives the cohort's JP.
    ci : float, default 0.95
        Level of the Wilson interval of the unit compliance rate.
    rule : {"all", "recent"}, default "all"
        Who is in the denominator. ``"all"``: every person of ``participants`` (or of
        ``staff``). ``"recent"``: the people a study can judge on one ``year``, those
        trained in that year or the year before (:func:`jp_denominator`); the result is
        then that year only.
    year : int, optional
        The year of ``rule="recent"`` (default: the latest year in which a cohort
        ended). Not allowed with ``rule="all"`` (use ``years``).
    participant, cohort, unit, jp : str
        Column names.

    Returns
    -------
    DataFrame
        ``level="person"``: columns ``participant_id, unit, year, jp, compliant,
        shortfall`` (``max(target - jp, 0)``). ``level="unit"``: indexed by (``unit``,
        ``year``), columns ``n_staff, n_compliant, compliance_rate, ci_low, ci_high,
        mean_jp, total_jp``.

    Raises
    ------
    ParameterError
        Missing columns, a cohort of ``participants`` absent from ``cohorts``, missing
        or negative JP, unparseable dates, a person with two units in ``staff``, an
        unknown ``level``.

    Warns
    -----
    EvalkitWarning
        Duplicate (cohort, person) rows are counted once.

    Notes
    -----
    ``jp_py = sum of jp over the cohorts person p completed in year y``; compliant
    when ``jp_py >= target``; the unit rate is the share of its staff compliant, with
    the Wilson score interval (R ``prop.test(x, n, correct = FALSE)``). Validated
    against R ``aggregate`` and ``prop.test`` in ``tests/reference/level345.R``
    (relative error < 1e-12).

    References
    ----------
    PP 11/2017 as amended by PP 17/2020, art. 203; Peraturan LAN 10/2018.
    Wilson, E. B. (1927). Probable inference... *JASA*, 22, 209-212.

    Examples
    --------
    >>> import pandas as pd
    >>> parts = pd.DataFrame({"cohort_id": ["A", "A", "B"],
    ...                       "participant_id": ["p1", "p2", "p1"],
    ...                       "unit": ["Bappeda", "Bappeda", "Bappeda"]})
    >>> cohs = pd.DataFrame({"cohort_id": ["A", "B"], "jp": [16, 8],
    ...                      "end_date": ["2024-03-01", "2024-09-01"]})
    >>> jp_compliance(parts, cohs, level="person")[["participant_id", "jp", "compliant"]]
      participant_id    jp  compliant
    0             p1  24.0       True
    1             p2  16.0      False
    >>> jp_compliance(parts, cohs)["compliance_rate"].tolist()
    [0.5]
    >>> cohs2 = cohs.assign(end_date=["2021-03-01", "2024-09-01"])  # p2 last trained 2021
    >>> jp_compliance(parts, cohs2, rule="recent", year=2024)["n_staff"].tolist()
    [1]
    """
    func = "jp_compliance"
    check_ci(func, ci)
    if rule not in ("all", "recent"):
        raise ParameterError(f"{func}: parameter 'rule' must be 'all' or 'recent', got {rule!r}")
    if rule == "all" and year is not None:
        raise ParameterError(
            f"{func}: parameter 'year' belongs to rule='recent'; with rule='all' give years=[...]"
        )
    if rule == "recent":
        if staff is not None:
            raise ParameterError(
                f"{func}: rule='recent' needs no staff roster (the roster is the denominator)"
            )
        counted = jp_denominator(participants, cohorts, year=year, date=date, cohort=cohort,
                                 participant=participant)  # fmt: skip
        if years is not None and list(years) != [counted.year]:
            raise ParameterError(
                f"{func}: rule='recent' reports one year ({counted.year}); got years={list(years)}"
            )
        participants, years = counted.participants, [counted.year]
    if level not in ("person", "unit"):
        raise ParameterError(f"{func}: parameter 'level' must be 'person' or 'unit', got {level!r}")
    require_columns(func, participants, [cohort, participant, unit], "participants")
    require_columns(func, cohorts, [cohort, jp, date], "cohorts")
    info = _cohort_calendar(func, cohorts, cohort=cohort, jp=jp, date=date)
    att = participants[[cohort, participant, unit]]
    dup = att.duplicated([cohort, participant])
    if dup.any():
        warn(func, f"{int(dup.sum())} duplicate (cohort, participant) row(s) counted once")
        att = att[~dup]
    unknown = ~att[cohort].isin(info[cohort])
    if unknown.any():
        raise ParameterError(
            f"{func}: cohort {att.loc[unknown, cohort].iloc[0]!r} of participants is not in cohorts"
        )
    att = att.merge(info, on=cohort, how="left")
    home = _home_units(func, att, staff, participant=participant, unit=unit)
    year_list = sorted(info["year"].unique().tolist()) if years is None else list(years)
    if not year_list:
        raise ParameterError(f"{func}: parameter 'years' is empty; give at least one year")
    totals = att.groupby([participant, "year"], sort=False)["_jp"].sum()
    grid = pd.MultiIndex.from_product(
        [home[participant].to_numpy(), year_list], names=[participant, "year"]
    )
    person = pd.DataFrame(index=grid).reset_index()
    person[unit] = np.repeat(home[unit].to_numpy(), len(year_list))
    person["jp"] = totals.reindex(grid).fillna(0.0).to_numpy()
    person["compliant"] = person["jp"] >= target
    person["shortfall"] = np.maximum(target - person["jp"], 0.0)
    person = person.sort_values([participant, "year"], kind="stable").reset_index(drop=True)
    person = person[[participant, unit, "year", "jp", "compliant", "shortfall"]]
    if level == "person":
        return person
    g = person.groupby([unit, "year"], sort=True)
    n_staff = g.size()
    n_comp = g["compliant"].sum()
    low, high = wilson(n_comp.to_numpy(), n_staff.to_numpy(), ci)
    return pd.DataFrame(
        {
            "n_staff": n_staff.astype(int),
            "n_compliant": n_comp.astype(int),
            "compliance_rate": n_comp / n_staff,
            "ci_low": low,
            "ci_high": high,
            "mean_jp": g["jp"].mean(),
            "total_jp": g["jp"].sum(),
        }
    )


@dataclass(frozen=True)
class JpDenominator:
    """Who counts for the 20-JP compliance of one year (see :func:`jp_denominator`).

    Attributes
    ----------
    year : int
        The year whose compliance is shown.
    participants : DataFrame
        Every ``participants`` row (all cohorts) of the people who count.
    n_people : int
        How many people count.
    """

    year: int
    participants: pd.DataFrame
    n_people: int


def jp_denominator(
    participants: pd.DataFrame,
    cohorts: pd.DataFrame,
    *,
    year: int | None = None,
    date: str = C.END_DATE,
    cohort: str = C.COHORT_ID,
    participant: str = C.PARTICIPANT_ID,
) -> JpDenominator:
    """The people a study can judge on the 20 JP of one year: trained then or the year before.

    A study only sees the JP of the trainings it evaluates. Someone whose last training
    in the study was several years ago would count with 0 JP in the year shown,
    although the study simply cannot see what they attended since. So the
    denominator of a year is the people with a training record (a cohort ending) in
    that year or the year before.

    Parameters
    ----------
    participants : DataFrame
        The ``participants`` table (``cohort_id, participant_id``, ...).
    cohorts : DataFrame
        The ``cohorts`` table with the cohort's ``end_date``.
    year : int, optional
        The year shown (default: the latest year in which a cohort with participants
        ended).
    date : str, default ``"end_date"``
        Cohort date column whose calendar year is the year of the training (as in
        :func:`jp_compliance`).
    cohort, participant : str
        Column names.

    Returns
    -------
    JpDenominator
        The year, the ``participants`` rows of the people who count (all their rows,
        for :func:`jp_compliance`) and their number.

    Raises
    ------
    ParameterError
        Missing columns, unparseable dates, a ``year`` that is not a whole number, no
        participant in a cohort with a date.

    Examples
    --------
    >>> import pandas as pd
    >>> parts = pd.DataFrame({"cohort_id": ["A", "B", "C", "C"],
    ...                       "participant_id": ["p1", "p2", "p3", "p1"]})
    >>> cohs = pd.DataFrame({"cohort_id": ["A", "B", "C"],
    ...                      "end_date": ["2021-05-01", "2023-06-01", "2024-03-01"]})
    >>> counted = jp_denominator(parts, cohs)  # p1 and p3 trained in 2024, p2 in 2023
    >>> counted.year, counted.n_people, sorted(counted.participants["participant_id"])
    (2024, 3, ['p1', 'p1', 'p2', 'p3'])
    >>> jp_denominator(parts, cohs, year=2022).n_people  # only p1 (2021)
    1
    """
    func = "jp_denominator"
    require_columns(func, participants, [cohort, participant], "participants")
    require_columns(func, cohorts, [cohort, date], "cohorts")
    if year is not None and (
        isinstance(year, bool) or not isinstance(year, (int, np.integer, float)) or year % 1
    ):
        raise ParameterError(f"{func}: parameter 'year' must be a whole year, got {year!r}")
    # only the key columns: a participants column named like the date must not collide
    attended = participants[[cohort, participant]].merge(cohorts[[cohort, date]], on=cohort)
    try:
        years = pd.to_datetime(attended[date]).dt.year
    except (ValueError, TypeError) as err:
        raise ParameterError(
            f"{func}: column {date!r} of cohorts must hold dates (YYYY-MM-DD): {err}"
        ) from None
    attended = attended.assign(_year=years).dropna(subset=["_year"])
    if attended.empty:
        raise ParameterError(
            f"{func}: no participant attended a cohort with a {date!r}; nothing to count"
        )
    shown = int(attended["_year"].max()) if year is None else int(year)
    recent = attended["_year"].between(shown - 1, shown)
    ids = attended.loc[recent, participant].unique()
    counted = participants[participants[participant].isin(ids)]
    return JpDenominator(year=shown, participants=counted, n_people=len(ids))


# --- SKP -------------------------------------------------------------------------
def skp_predicate(
    results_rating: str | pd.Series, behaviour_rating: str | pd.Series
) -> str | pd.Series:
    """SKP performance predicate from the two ratings, PermenPANRB 6/2022.

    Parameters
    ----------
    results_rating : str or Series
        Rating of work results (hasil kerja): ``"above"``, ``"meets"``, ``"below"``
        (or ``"di atas ekspektasi"``, ``"sesuai ekspektasi"``, ``"di bawah ekspektasi"``;
        case and surrounding spaces ignored).
    behaviour_rating : str or Series
        Rating of work behaviour (perilaku kerja, the BerAKHLAK values), same values.

    Returns
    -------
    str or Series
        One of ``constants.SKP_PREDICATES``: Sangat Baik, Baik, Butuh Perbaikan, Kurang,
        Sangat Kurang. Missing ratings give a missing predicate. A Series when either
        input is a Series.

    Raises
    ------
    ParameterError
        If a rating is not one of the accepted values, or two Series do not share an
        index.

    Notes
    -----
    above x above -> Sangat Baik; any other above/meets pair -> Baik; results below with
    behaviour meets/above -> Butuh Perbaikan; results meets/above with behaviour below
    -> Kurang; below x below -> Sangat Kurang (the matrix of the regulation's annex).

    References
    ----------
    Peraturan Menteri PANRB Nomor 6 Tahun 2022 tentang Pengelolaan Kinerja Pegawai
    Aparatur Sipil Negara, Lampiran.

    Examples
    --------
    >>> skp_predicate("Di atas ekspektasi", "meets")
    'Baik'
    >>> import pandas as pd
    >>> skp_predicate(pd.Series(["below", "meets"]), pd.Series(["below", "below"])).tolist()
    ['Sangat Kurang', 'Kurang']
    """
    func = "skp_predicate"
    series = [x for x in (results_rating, behaviour_rating) if isinstance(x, pd.Series)]
    if not series:
        r = _skp_normalise(func, pd.Series([results_rating]), "results_rating")[0]
        b = _skp_normalise(func, pd.Series([behaviour_rating]), "behaviour_rating")[0]
        return C.SKP_MATRIX.get((r, b)) if r is not None and b is not None else None
    index = series[0].index
    if len(series) == 2 and not series[1].index.equals(index):
        raise ParameterError(
            f"{func}: results_rating and behaviour_rating must share an index "
            f"({len(results_rating)} and {len(behaviour_rating)} rows given)"
        )
    res = (
        results_rating
        if isinstance(results_rating, pd.Series)
        else pd.Series(results_rating, index=index)
    )
    beh = (
        behaviour_rating
        if isinstance(behaviour_rating, pd.Series)
        else pd.Series(behaviour_rating, index=index)
    )
    r = _skp_normalise(func, res, "results_rating")
    b = _skp_normalise(func, beh, "behaviour_rating")
    out = [
        C.SKP_MATRIX.get((x, y)) if x is not None and y is not None else None
        for x, y in zip(r, b, strict=True)
    ]
    return pd.Series(out, index=index, name="skp_predicate", dtype=object)


def _skp_normalise(func: str, values: pd.Series, param: str) -> list[str | None]:
    out: list[str | None] = []
    for v in values.tolist():
        if v is None or (isinstance(v, float) and np.isnan(v)):
            out.append(None)
            continue
        key = C.SKP_RATING_ALIASES.get(str(v).strip().lower()) if isinstance(v, str) else None
        if key is None:
            raise ParameterError(
                f"{func}: parameter {param!r} must be one of {C.SKP_RATINGS} (or "
                f"'di atas/sesuai/di bawah ekspektasi'), got {v!r}"
            )
        out.append(key)
    return out
