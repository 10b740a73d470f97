"""Disclosure control: the one small-cell rule of every table, figure and comment count.

A count, or a share that gives a count back, describing fewer than
:data:`evalkit.constants.MIN_CELL_SIZE` (5) people is not printed: the reports
protect personal data (UU 27/2022, README "Privacy"), and in a cohort of twenty a
cell of two people can name them. This module holds the rule and its wording, and
the tables (:mod:`~evalkit.reporting.tables`), figures
(:func:`~evalkit.reporting.figures.category_bars`) and comment themes
(:mod:`~evalkit.reporting.comments`) all call it:

- :func:`is_small`: a count under the minimum cell size;
- :func:`suppressed`: which cells of a set of disjoint counts are hidden, with the
  secondary suppression that stops a hidden cell being recovered from the total;
- :func:`cell_label`: what a hidden cell reads (``"< 5"``, or ``"≥ 5"`` for one hidden
  with it);
- :func:`suppression_note`: the sentence printed under such a table;
- :func:`compliance_safe`: the rule applied to unit compliance rates;
- :func:`share_is_small` and :func:`small_share_side`: a share of people that gives a
  count under the minimum back (either side), for the ledger, the result tables
  (:func:`safe_table`, also the top-two-box shares :data:`SHARES_OF`) and the sentences
  (:func:`evalkit.reporting.summary.share_text`);
- :func:`group_is_small` and :func:`withheld_note`: the group-level rule of free text,
  and :func:`reaction_withheld`: the same rule for a cohort's whole reaction section.

Free text: group-level k-anonymity
----------------------------------
Comments are not counts of a category of people but what some of a group wrote. Their
rule is therefore set for the group (a cohort in a cohort report, the study in the
overview), with the threshold :data:`MIN_RESPONDENTS` (k = 5): a group's comments, their
themes with their counts and shares, and quotes from them, are shown only when at least
``k`` people of the group wrote a comment with content; a smaller group's comments get
one sentence saying why (:func:`withheld_note`) and no theme, count or quote. Within a
group of at least ``k`` respondents a theme count is shown as it is, even under 5: a
theme says what was written, not who wrote it, themes overlap (one comment may raise
several), and any quote is one of at least ``k`` people's. Quotes stay scrubbed (cleaning
masks NIPs, phone numbers and e-mail addresses, and a comment with a masked value is not
quoted) and HTML-escaped (:func:`evalkit.reporting.comments.quotes_html`).

The same group rule covers a cohort's whole reaction (Level 1) section
(:func:`reaction_withheld`): a cohort in which fewer than ``k`` distinct people answered
the reaction survey shows one sentence (:func:`withheld_note` with ``what="reaction"``)
instead of its dimension scores, reliability, item table and answer chart, with no
subheading or method text of those parts
(:func:`evalkit.reporting.sections.reaction_method`), and writes no reaction table,
ledger row or headline number; its executive summary says the results
are withheld, and the program overview leaves the cohort's answers out of every reaction
result, pooled ones too (:func:`withheld_cohorts_note`), which would otherwise give them
back by subtraction. Within a cohort that is shown, the answer chart prints no percentage
on a segment of fewer than 5 answers, or of all but fewer than 5
(:func:`evalkit.reporting.figures.likert_bars`, by :func:`share_is_small`).

Examples
--------
>>> is_small(3), cell_label(), cell_label(False)
(True, '< 5', '≥ 5')
>>> group_is_small(4), group_is_small(5)
(True, False)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from evalkit import constants as C
from evalkit.errors import ParameterError
from evalkit.reporting.terms import Text, check_lang


def is_small(count: Any, *, min_cell: int = C.MIN_CELL_SIZE) -> Any:
    """Whether a count of people is under ``min_cell``, too small to show (elementwise).

    Parameters
    ----------
    count : int, float, Series or array
        Number(s) of people.
    min_cell : int
        Smallest count shown (default :data:`evalkit.constants.MIN_CELL_SIZE`).

    Returns
    -------
    bool or Series/array of bool
        Same shape as ``count``.

    Examples
    --------
    >>> is_small(4), is_small(5), is_small(pd.Series([2, 9])).tolist()
    (True, False, [True, False])
    """
    return count < min_cell


def cell_label(small: bool = True, *, min_cell: int = C.MIN_CELL_SIZE) -> str:
    """What a suppressed cell reads: ``"< 5"``, or ``"≥ 5"`` for a cell hidden with a small one.

    Examples
    --------
    >>> cell_label(), cell_label(False), cell_label(min_cell=10)
    ('< 5', '≥ 5', '< 10')
    """
    return f"{'<' if small else '≥'} {min_cell}"


def suppression_note(lang: str = "id", *, min_cell: int = C.MIN_CELL_SIZE) -> Text:
    """The note printed under tables whose small cells were suppressed.

    Examples
    --------
    >>> print(suppression_note("en"))  # doctest: +ELLIPSIS
    Cells describing fewer than 5 people are shown as "< 5"; ...
    """
    i = check_lang(lang, "suppression_note")
    small, hidden = cell_label(min_cell=min_cell), cell_label(False, min_cell=min_cell)
    if i == 0:
        return Text(
            f'Sel yang menggambarkan kurang dari {min_cell} orang ditampilkan sebagai "{small}"; '
            f'bila hanya satu sel yang disembunyikan, sel terkecil berikutnya ditampilkan sebagai "{hidden}" '
            "agar jumlahnya tidak dapat dihitung balik dari total. Ini melindungi data pribadi "
            "(UU 27/2022)."
        )
    return Text(
        f'Cells describing fewer than {min_cell} people are shown as "{small}"; where only '
        f'one cell would be hidden, the next smallest is shown as "{hidden}" so that it cannot '
        "be recovered by subtraction from the total. This protects personal data (UU 27/2022)."
    )


def suppressed(
    counts: pd.Series, *, min_cell: int = C.MIN_CELL_SIZE
) -> tuple[pd.Series, pd.Series]:
    """Which counts are too small to show, and which must be hidden with them.

    A count under ``min_cell`` is small. When exactly one count is small, the next
    smallest is hidden too, so that the small one cannot be recovered from the total
    (secondary suppression). :func:`evalkit.reporting.tables.count_table` and
    :func:`evalkit.reporting.figures.category_bars` share this rule; the counts must
    be of disjoint groups (one person in one cell).

    Returns
    -------
    (Series of bool, Series of bool)
        ``small`` (under ``min_cell``) and ``hidden`` (small or hidden with it), aligned
        to ``counts``.

    Examples
    --------
    >>> small, hidden = suppressed(pd.Series({"a": 9, "b": 3, "c": 12}))
    >>> small.tolist(), hidden.tolist()
    ([False, True, False], [True, True, False])
    """
    small = is_small(counts, min_cell=min_cell)
    hidden = small.copy()
    if small.sum() == 1 and len(counts) > 1:
        hidden[counts[~small].idxmin()] = True
    return small, hidden


def compliance_safe(
    compliance: pd.DataFrame,
    *,
    min_cell: int = C.MIN_CELL_SIZE,
    count: str = "n_compliant",
    total: str = "n_staff",
) -> pd.DataFrame:
    """Unit compliance rates with the rates that would describe fewer than ``min_cell`` people blanked.

    A rate reveals its count (rate x n), so when the compliant count or its complement
    (staff not compliant) is under ``min_cell``, the rate, its interval and the mean JP
    (which gives the count back when every training has the same JP) are set to NaN and
    ``suppressed`` says which side was small. The count itself is dropped.

    Parameters
    ----------
    compliance : DataFrame
        :func:`evalkit.jp_compliance` at ``level="unit"`` (one year), columns
        ``n_staff, n_compliant, compliance_rate, ci_low, ci_high, mean_jp``.

    Returns
    -------
    DataFrame
        The input without ``count`` (and ``total_jp``), rates, intervals and mean JP NaN
        where suppressed, plus ``suppressed``: ``""``, ``"compliant"`` or ``"not_compliant"``.

    Examples
    --------
    >>> t = pd.DataFrame({"n_staff": [12, 20, 9], "n_compliant": [3, 10, 7],
    ...     "compliance_rate": [0.25, 0.5, 7 / 9], "ci_low": [0.1, 0.3, 0.4],
    ...     "ci_high": [0.5, 0.7, 0.9], "mean_jp": [10.0, 20.0, 25.0]}, index=["A", "B", "C"])
    >>> safe = compliance_safe(t)
    >>> safe["suppressed"].tolist(), safe["compliance_rate"].notna().tolist()
    (['compliant', '', 'not_compliant'], [False, True, False])
    """
    missing = [c for c in (count, total) if c not in compliance.columns]
    if missing:
        raise ParameterError(
            f"compliance_safe: column(s) {missing} not in compliance; columns are "
            f"{list(compliance.columns)}"
        )
    yes = compliance[count]
    no = compliance[total] - yes
    side = pd.Series("", index=compliance.index)
    side[is_small(no, min_cell=min_cell)] = "not_compliant"
    side[is_small(yes, min_cell=min_cell)] = "compliant"
    out = compliance.drop(columns=[c for c in (count, "total_jp") if c in compliance])
    # mean JP too: when every training has the same JP, it would give the count back
    rates = [c for c in ("compliance_rate", "ci_low", "ci_high", "mean_jp") if c in out]
    out[rates] = out[rates].astype(float).where(side == "", float("nan"))
    return out.assign(suppressed=side)


# --- free text: group-level k-anonymity -------------------------------------------------
#: The group-level k of free text: the fewest people of a group (a cohort, the study) who
#: wrote a comment with content for the group's comments, themes and quotes to be shown.
MIN_RESPONDENTS: int = C.MIN_CELL_SIZE


def group_is_small(respondents: Any, *, min_respondents: int = MIN_RESPONDENTS) -> Any:
    """Whether a group has too few respondents for its free text to be shown (elementwise).

    The group-level rule of comments (see the module notes): a group of fewer than
    ``min_respondents`` people who wrote a comment with content shows none of it, no
    theme, no count and no quote; a larger group shows all of it.

    Parameters
    ----------
    respondents : int, float, Series or array
        Number(s) of distinct people of the group who wrote a comment with content
        (:func:`evalkit.reporting.comments.comment_themes`, column ``n_respondents``).
    min_respondents : int
        Fewest respondents shown (default :data:`MIN_RESPONDENTS`).

    Examples
    --------
    >>> group_is_small(4), group_is_small(5), group_is_small(pd.Series([0, 7])).tolist()
    (True, False, [True, False])
    """
    return respondents < min_respondents


#: What a group's withheld results are, for :func:`withheld_note`: key -> (id, en) of what
#: fewer than k people did, what is not shown, and what could be traced.
WITHHELD: dict[str, tuple[tuple[str, str, str], tuple[str, str, str]]] = {
    "comments": (
        ("menulis komentar berisi", "komentar, temanya dan kutipannya",
         "komentar dapat ditelusuri ke penulisnya"),
        ("wrote a comment with content", "comments, their themes and quotes",
         "a comment can be traced to its author"),
    ),
    "reaction": (
        ("mengisi survei reaksi", "hasil reaksi Level 1 (skor dimensi, reliabilitas, butir dan "
         "sebaran jawabannya)", "jawaban dapat ditelusuri ke pengisinya"),
        ("answered the reaction survey", "Level 1 reaction results (the dimension scores, "
         "reliability, items and the spread of answers)", "an answer can be traced to the "
         "person who gave it"),
    ),
}  # fmt: skip


def withheld_note(
    lang: str = "id", *, min_respondents: int = MIN_RESPONDENTS, what: str = "comments"
) -> Text:
    """The one sentence a group with too few respondents shows instead of its results.

    The group-level rule (:func:`group_is_small`) withholds a group's free-text comments
    (``what="comments"``) and, in a cohort report, the whole reaction section of a
    cohort with fewer than ``min_respondents`` reaction respondents (``what="reaction"``,
    :func:`reaction_withheld`).

    Parameters
    ----------
    lang : {"id", "en"}
    min_respondents : int
        The group-level k (default :data:`MIN_RESPONDENTS`).
    what : {"comments", "reaction"}
        Which results are withheld (:data:`WITHHELD`).

    Examples
    --------
    >>> print(withheld_note("en"))  # doctest: +ELLIPSIS
    Fewer than 5 participants wrote a comment with content, so the comments, ... are not shown: ...
    >>> print(withheld_note("en", what="reaction"))  # doctest: +ELLIPSIS
    Fewer than 5 participants answered the reaction survey, so the Level 1 reaction results ...
    """
    i = check_lang(lang, "withheld_note")
    if what not in WITHHELD:
        raise ParameterError(
            f"withheld_note: parameter 'what' must be one of {tuple(WITHHELD)}, got {what!r}"
        )
    did, results, traced = WITHHELD[what][i]
    if i == 0:
        return Text(
            f"Kurang dari {min_respondents} peserta {did}, sehingga {results} tidak "
            f"ditampilkan: dalam kelompok sekecil ini {traced} (UU 27/2022)."
        )
    return Text(
        f"Fewer than {min_respondents} participants {did}, so the {results} are not shown: "
        f"in a group this small {traced} (UU 27/2022)."
    )


def reaction_withheld(
    answers: pd.DataFrame | None, *, min_respondents: int = MIN_RESPONDENTS
) -> bool:
    """Whether a cohort's reaction results are withheld: fewer than ``min_respondents`` answered.

    The group-level rule applied to a cohort's whole reaction (Level 1) section: when
    fewer than ``min_respondents`` distinct people answered the reaction survey, the
    cohort report shows :func:`withheld_note` (``what="reaction"``) instead of the
    dimension scores, reliability, item table, answer chart and reaction headline (and
    of their subheadings and methods, :func:`evalkit.reporting.sections.reaction_method`),
    and writes no reaction table, ledger row or headline number. A cohort without answers
    is not withheld (it has nothing to show; the report says so).

    Parameters
    ----------
    answers : DataFrame or None
        The cohort's processed ``reaction`` table (one row per person x item), with
        ``participant_id``.

    Examples
    --------
    >>> four = pd.DataFrame({"participant_id": ["a", "a", "b", "c", "d"], "score": [4] * 5})
    >>> reaction_withheld(four), reaction_withheld(four.iloc[:0])
    (True, False)
    >>> reaction_withheld(four, min_respondents=4)
    False
    """
    if answers is None or answers.empty:
        return False
    if C.PARTICIPANT_ID not in answers.columns:
        raise ParameterError(
            f"reaction_withheld: column {C.PARTICIPANT_ID!r} not in answers; columns are "
            f"{list(answers.columns)}"
        )
    respondents = answers[C.PARTICIPANT_ID].dropna().nunique()
    return bool(group_is_small(respondents, min_respondents=min_respondents))


def withheld_cohorts(
    answers: pd.DataFrame | None, *, by: str = C.COHORT_ID, min_respondents: int = MIN_RESPONDENTS
) -> list[Any]:
    """The cohorts whose reaction results are withheld (:func:`reaction_withheld`), for the overview.

    The program overview leaves these cohorts' answers out of every reaction result, the
    per-cohort ones (as their own reports withhold them) and the pooled ones (which,
    beside the other cohorts' results, would give them back by subtraction), and says so
    (:func:`withheld_cohorts_note`).

    Examples
    --------
    >>> answers = pd.DataFrame({"cohort_id": ["A"] * 4 + ["B"] * 5,
    ...                         "participant_id": list("abcdefghi")})
    >>> withheld_cohorts(answers), withheld_cohorts(answers, min_respondents=4)
    (['A'], [])
    """
    if answers is None or answers.empty:
        return []
    missing = [c for c in (by, C.PARTICIPANT_ID) if c not in answers.columns]
    if missing:
        raise ParameterError(
            f"withheld_cohorts: column(s) {missing} not in answers; columns are "
            f"{list(answers.columns)}"
        )
    respondents = answers.groupby(by, observed=True)[C.PARTICIPANT_ID].nunique()
    return respondents.index[group_is_small(respondents, min_respondents=min_respondents)].tolist()


def withheld_cohorts_note(
    cohorts: Sequence[Any], lang: str = "id", *, min_respondents: int = MIN_RESPONDENTS
) -> Text:
    """The sentence of the program overview that leaves withheld cohorts out of Level 1.

    The cohorts of :func:`withheld_cohorts` are left out of every reaction result of the
    overview, the pooled ones too: a pooled mean beside the other cohorts' means would
    give a withheld cohort's answers back by subtraction.

    Examples
    --------
    >>> print(withheld_cohorts_note(["C03"], "en"))  # doctest: +ELLIPSIS
    Cohort C03 is left out of every reaction result below: fewer than 5 of its ...
    """
    i = check_lang(lang, "withheld_cohorts_note")
    names = ", ".join(map(str, cohorts))
    if i == 0:
        return Text(
            f"Angkatan {names} tidak diikutsertakan dalam semua hasil reaksi di bawah: kurang "
            f"dari {min_respondents} pesertanya mengisi survei reaksi, sehingga laporannya "
            "sendiri tidak menampilkan hasil itu, dan angka gabungan dapat mengembalikan "
            "jawaban mereka lewat pengurangan (UU 27/2022)."
        )
    one = len(cohorts) == 1
    return Text(
        f"{'Cohort' if one else 'Cohorts'} {names} {'is' if one else 'are'} left out of every "
        f"reaction result below: fewer than {min_respondents} of "
        f"{'its participants' if one else 'the participants of each'} answered the reaction survey, so {'its' if one else 'their'} own "
        f"report{'' if one else 's'} withhold{'s' if one else ''} those results, and a pooled "
        "number could give the answers back by subtraction (UU 27/2022)."
    )


# --- the shareable files: result tables (CSV, XLSX) and the results ledger --------------
#: The note a suppressed ledger row's ``method`` ends with (:func:`evalkit.reporting.
#: ledger.estimates`), as a regular expression.
SUPPRESSED_NOTE = r";\s*suppressed: n < \d+"

#: Ledger estimands that are a share of the row's ``n`` people: ``estimate x n`` of them
#: are in the category and the others are not.
PEOPLE_SHARES = ("proportion",)

#: Count columns of result tables that count no people (resamples, clusters, cohorts,
#: units, subgroup levels, estimates, observations of unit tables).
NOT_PEOPLE = frozenset({
    "n_boot", "n_clusters", "n_cohorts", "n_estimates", "n_in_instrument", "n_levels",
    "n_obs", "n_suppressed", "n_treated_units", "n_unit_rows", "n_items", "n_units",
    "n_periods", "n_programs", "n_comments",
})  # fmt: skip

#: Result tables whose counts are of units, cohorts or observations, not of people (the
#: impact study's unit-period models, cohort-level comparisons), as a regex of the name.
COUNTS_NOT_OF_PEOPLE = (
    r"(did|effect|event_study)_.*|inference_summary|ikm_transitions|.*_cohort_means"
)

#: Result tables whose every number of a row describes one small group when one of its
#: counts is small (the people who left and those who stayed).
WHOLE_ROW_TABLES = r"transfer_attrition.*|attrition.*"

#: Percentage columns of result tables that are a share of a count (column -> that
#: count's column): ``pct_top_box`` of :func:`evalkit.scale_scores` is the % of the
#: ``n_responses`` answers in the top two categories ("% top two"). Where the answers it
#: counts, or the others, are fewer than the minimum (:func:`share_is_small`), so are
#: the people who gave them, and the share is blank. The headline's pooled reaction
#: share is held to the same rule (:func:`safe_headline`, :data:`HEADLINE_SHARES`).
SHARES_OF: dict[str, str] = {"pct_top_box": "n_responses"}

#: Headline keys that are a percentage share of another headline key (key -> its count).
HEADLINE_SHARES: dict[str, str] = {"reaction_pct_top_box": "reaction_n_responses"}


def share_is_small(share: Any, n: Any, *, min_cell: int = C.MIN_CELL_SIZE) -> Any:
    """Whether a share of ``n`` people gives back fewer than ``min_cell`` people.

    A share with its ``n`` shown tells both counts: the ``round(share x n)`` people it
    counts and the ``n`` minus those it does not. Either under ``min_cell`` is small
    (``6% sustained`` of 18 projects is one person; ``94%`` of 18 leaves one out).
    A missing share or ``n`` is not small (there is nothing to give back).

    Examples
    --------
    >>> share_is_small(1 / 18, 18), share_is_small(17 / 18, 18), share_is_small(0.5, 18)
    (True, True, False)
    >>> share_is_small(pd.Series([0.25, 0.5]), pd.Series([20, 20])).tolist()
    [False, False]
    """
    count, rest = _share_counts(share, n)
    small = (count < min_cell) | (rest < min_cell)
    if isinstance(share, pd.Series):
        return pd.Series(small, index=share.index)
    return bool(small)


def _share_counts(share: Any, n: Any) -> tuple[np.ndarray, np.ndarray]:
    """The people a share of ``n`` counts, ``round(share x n)``, and the rest."""
    share = pd.to_numeric(share, errors="coerce") if isinstance(share, pd.Series) else share
    count = np.round(np.asarray(share, dtype=float) * np.asarray(n, dtype=float))
    return count, np.asarray(n, dtype=float) - count


def small_share_side(share: float, n: float, *, min_cell: int = C.MIN_CELL_SIZE) -> str:
    """Which side of a share of ``n`` people is small (:func:`share_is_small`), for its wording.

    Returns
    -------
    str
        ``"count"`` when the people it counts are fewer than ``min_cell`` ("fewer than 5
        of 18"), else ``"rest"`` when those it does not count are ("all but fewer than 5
        of 18"), else ``""`` (the share may be shown).

    Examples
    --------
    >>> small_share_side(1 / 18, 18), small_share_side(17 / 18, 18), small_share_side(0.5, 18)
    ('count', 'rest', '')
    """
    count, rest = _share_counts(share, n)
    if count < min_cell:
        return "count"
    return "rest" if rest < min_cell else ""


def _people_counts(frame: pd.DataFrame) -> list[str]:
    """The columns of a result table that count people: ``n`` and ``n_*`` but
    :data:`NOT_PEOPLE`, numeric."""
    return [
        c for c in frame.columns
        if (c == "n" or str(c).startswith("n_")) and c not in NOT_PEOPLE
        and pd.api.types.is_numeric_dtype(pd.to_numeric(frame[c], errors="coerce"))
    ]  # fmt: skip


def _project_rates_safe(frame: pd.DataFrame, min_cell: int) -> pd.DataFrame:
    """:func:`evalkit.project_rates` with the status counts the report's bar chart hides.

    The statuses are disjoint (not started, in progress, implemented only, sustained;
    ``n_implemented`` counts implemented and sustained): :func:`suppressed` hides a
    small one and, when it is the only one, the next smallest, as the chart does. A
    count is blank when its status is hidden (``n_implemented`` when either of its two
    parts is), and so is each rate, with its interval, made from a blank count.
    """
    out = frame.copy()
    cols = ["n_not_started", "n_in_progress", "n_implemented", "n_sustained"]
    if not set(cols) <= set(out.columns):
        return out
    for col in cols:
        out[col] = pd.to_numeric(out[col], errors="coerce").astype(float)
    rates = {
        "n_implemented": ["implementation_rate", "implementation_ci_low", "implementation_ci_high"],
        "n_sustained": ["sustainment_rate", "sustainment_ci_low", "sustainment_ci_high"],
    }
    ratio = ["sustained_of_implemented", "sustained_of_implemented_ci_low",
             "sustained_of_implemented_ci_high"]  # fmt: skip
    for idx, row in out[cols].iterrows():  # numbers (a blank from JSON is None)
        counts = pd.Series({
            "not_started": row["n_not_started"], "in_progress": row["n_in_progress"],
            "implemented": row["n_implemented"] - row["n_sustained"],
            "sustained": row["n_sustained"],
        }).astype(float)  # fmt: skip
        present = counts[counts > 0]  # as the chart: a status with no one reads 0
        _, hidden = suppressed(present, min_cell=min_cell)
        hide = set(hidden[hidden].index)
        blank = {f"n_{s}" for s in ("not_started", "in_progress", "sustained") if s in hide}
        if {"implemented", "sustained"} & hide:
            blank.add("n_implemented")
        for count in sorted(blank):
            out.loc[idx, count] = np.nan
            out.loc[idx, [c for c in rates.get(count, []) if c in out]] = np.nan
        if blank & {"n_implemented", "n_sustained"}:
            out.loc[idx, [c for c in ratio if c in out]] = np.nan
    return out


def safe_table(
    frame: pd.DataFrame, name: str = "", *, min_cell: int = C.MIN_CELL_SIZE
) -> pd.DataFrame:
    """A result table as the shareable files may hold it: no number about fewer than ``min_cell`` people.

    The rule of the reports, applied to the full-precision tables written beside them
    (``tables/<report>-<name>.csv`` and the XLSX appendix):

    - a count of people (``n`` or ``n_<group>``, not :data:`NOT_PEOPLE`) of 1 to
      ``min_cell - 1`` is blank (a count of no one stays, as the charts show it); with it the numbers it is the size of: the row's every
      number for ``n`` (or for a table of :data:`WHOLE_ROW_TABLES`), else the columns
      named for its group (``mean_dropped`` for ``n_dropped``, ``index_self`` for
      ``n_self``), else the row's every number;
    - ``project_rates``: the status counts and rates the report's chart hides, with the
      complementary suppression of :func:`suppressed`;
    - a percentage share of a count (:data:`SHARES_OF`: the top-two-box share of the
      answers) is blank where it gives back fewer than ``min_cell`` on either side;
    - a table whose counts are of units or cohorts (:data:`COUNTS_NOT_OF_PEOPLE`) and a
      table without counts are returned as they are.

    Examples
    --------
    >>> t = pd.DataFrame({"n": [30, 3], "mean": [3.9, 4.2], "n_self": [28, 3],
    ...                   "index_self": [70.0, 80.0]}, index=["A", "B"])
    >>> safe_table(t).isna().sum().tolist()
    [1, 1, 1, 1]
    >>> safe_table(t.assign(n=[30, 30]))["mean"].tolist()
    [3.9, 4.2]
    >>> top = pd.DataFrame({"n": [20, 20], "n_responses": [20, 60], "pct_top_box": [85.0, 85.0]})
    >>> safe_table(top, "scale_scores")["pct_top_box"].tolist()  # 3 of 20 answers not top two
    [nan, 85.0]
    """
    import re

    if re.fullmatch(COUNTS_NOT_OF_PEOPLE, name):
        return frame
    projects = name == "project_rates"
    out = _project_rates_safe(frame, min_cell) if projects else frame.copy()
    for share, of in SHARES_OF.items():
        if share in out.columns and of in out.columns:
            pct = pd.to_numeric(out[share], errors="coerce").astype(float)
            base = pd.to_numeric(out[of], errors="coerce").astype(float)
            small = share_is_small(pct / 100, base, min_cell=min_cell) & pct.notna()
            out[share] = pct.where(~small)
    counts = [c for c in _people_counts(out) if c == "n" or not projects]
    if not counts:
        return out
    numbers = [c for c in out.columns if c not in counts
               and pd.api.types.is_numeric_dtype(out[c]) and not pd.api.types.is_bool_dtype(out[c])]  # fmt: skip
    whole = bool(re.fullmatch(WHOLE_ROW_TABLES, name))
    for count in counts:
        values = pd.to_numeric(out[count], errors="coerce")
        small = is_small(values, min_cell=min_cell) & (values > 0)  # 0: no one described
        if not small.any():
            continue
        group = str(count)[2:]
        named = [c for c in numbers if group and group in str(c).split("_")]
        hide = numbers if count == "n" or whole or not named else named
        out[count] = values.astype(float).where(~small)
        for col in hide:
            out[col] = pd.to_numeric(out[col], errors="coerce").astype(float).where(~small)
    return out


def safe_headline(values: dict[str, Any], *, min_cell: int = C.MIN_CELL_SIZE) -> dict[str, Any]:
    """A report's headline numbers as the workbook and ``tables/headline.csv`` may hold them.

    A share of :data:`HEADLINE_SHARES` (the pooled top-two-box share of the reaction
    answers) that gives back fewer than ``min_cell`` answers on either side
    (:func:`share_is_small`) is None, as :func:`safe_table` blanks it in the result tables.

    Examples
    --------
    >>> safe_headline({"reaction_pct_top_box": 97.5, "reaction_n_responses": 80})
    {'reaction_pct_top_box': None, 'reaction_n_responses': 80}
    >>> safe_headline({"reaction_pct_top_box": 60.0, "reaction_n_responses": 80})
    {'reaction_pct_top_box': 60.0, 'reaction_n_responses': 80}
    """
    out = dict(values)
    for share, of in HEADLINE_SHARES.items():
        pct, base = out.get(share), out.get(of)
        if pct is None or base is None or pd.isna(pct) or pd.isna(base):
            continue
        if share_is_small(float(pct) / 100, float(base), min_cell=min_cell):
            out[share] = None
    return out


def safe_ledger(rows: pd.DataFrame, *, min_cell: int = C.MIN_CELL_SIZE) -> pd.DataFrame:
    """Results-ledger rows as ``results.csv`` and the workbook may hold them.

    A share of people (:data:`PEOPLE_SHARES`) that gives back fewer than ``min_cell``
    people (:func:`share_is_small`) loses its estimate, interval and p-values and its
    ``method`` says ``suppressed: n < 5``, as a row about fewer than ``min_cell`` people
    does already (:func:`evalkit.reporting.ledger.estimates`); and every suppressed row
    loses its ``n`` too, which counts that small group.

    Examples
    --------
    >>> rows = pd.DataFrame({"estimand": ["proportion", "proportion", "mean"],
    ...     "estimate": [1 / 18, 0.5, float("nan")], "ci_low": [0.01, 0.3, float("nan")],
    ...     "ci_high": [0.26, 0.7, float("nan")], "n": [18.0, 18.0, 3.0],
    ...     "method": ["Wilson CI", "Wilson CI", "t; suppressed: n < 5"]})
    >>> safe = safe_ledger(rows)
    >>> safe["estimate"].notna().tolist(), safe["n"].tolist()
    ([False, True, False], [nan, 18.0, nan])
    >>> safe.loc[0, "method"]
    'Wilson CI; suppressed: n < 5'
    """
    out = rows.copy()
    numbers = [c for c in ("estimate", "ci_low", "ci_high", "p_value", "p_adjusted") if c in out]
    shares = out["estimand"].isin(PEOPLE_SHARES) & out["estimate"].notna() & out["n"].notna()
    small = shares & share_is_small(out["estimate"], out["n"], min_cell=min_cell)
    if small.any():
        out.loc[small, numbers] = np.nan
        out.loc[small, "method"] = (
            out.loc[small, "method"].astype(str) + f"; suppressed: n < {min_cell}"
        )
    noted = out["method"].astype(str).str.contains(SUPPRESSED_NOTE, regex=True)
    out["n"] = pd.to_numeric(out["n"], errors="coerce").astype(float).where(~noted)
    return out
