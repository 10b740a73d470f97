"""Facilitator evaluation in a shared report: who may be shown, under which label, and the table.

Facilitator results are personal data about staff (UU 27/2022). A shared report
identifies a facilitator by the pseudonym cleaning gave (``F`` + 10 hex characters)
unless the study's codebook allows names (``name_facilitators: true``, which makes
cleaning write ``facilitator_name``), and leaves out every facilitator rated by fewer
than :data:`evalkit.constants.MIN_CELL_SIZE` people (:func:`shown_facilitators`).
:func:`role_table` shows the ratings by role (:func:`evalkit.facilitator_role_means`),
leaving out every role rated by fewer than that many people (:func:`shown_roles`).

Examples
--------
>>> import pandas as pd
>>> summary = pd.DataFrame({"n_raters": [12, 3], "mean": [4.1, 2.0]},
...                        index=pd.Index(["FA", "FB"], name="facilitator_id"))
>>> shown, hidden = shown_facilitators(summary)
>>> list(shown.index), hidden
(['FA'], 1)
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from evalkit import constants as C
from evalkit.reporting.disclosure import is_small
from evalkit.reporting.formats import fmt_ci, fmt_int, fmt_num, fmt_pct
from evalkit.reporting.terms import MISSING, check_lang, term

__all__ = [
    "facilitator_labels",
    "facilitator_roles",
    "facilitator_table",
    "role_table",
    "shown_facilitators",
    "shown_roles",
    "variance_table",
]


def facilitator_labels(ratings: pd.DataFrame) -> dict[str, str]:
    """Facilitator id -> the label a report shows: the name where the study allows it, else the id.

    A name is there only when the codebook says ``name_facilitators: true`` (cleaning
    writes ``facilitator_name`` then, and leaves it empty otherwise).

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"facilitator_id": ["FA", "FB"], "facilitator_name": [None, "Ana"]})
    >>> facilitator_labels(r)
    {'FA': 'FA', 'FB': 'Ana'}
    """
    ids = ratings[C.FACILITATOR_ID]
    if C.FACILITATOR_NAME not in ratings:
        return {str(f): str(f) for f in pd.unique(ids.dropna())}
    names = ratings[C.FACILITATOR_NAME].where(ratings[C.FACILITATOR_NAME].notna(), None)
    first = pd.DataFrame({"id": ids, "name": names}).dropna(subset=["id"])
    named = first.dropna(subset=["name"]).groupby("id")["name"].first()
    return {str(f): str(named.get(f, f)) for f in pd.unique(first["id"])}


def facilitator_roles(ratings: pd.DataFrame) -> dict[str, str]:
    """Facilitator id -> their most frequent role (ties: alphabetical); missing roles left out.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"facilitator_id": ["FA", "FA", "FB"],
    ...                   "facilitator_role": ["widyaiswara", "widyaiswara", None]})
    >>> facilitator_roles(r)
    {'FA': 'widyaiswara'}
    """
    if C.FACILITATOR_ROLE not in ratings:
        return {}
    rows = ratings[[C.FACILITATOR_ID, C.FACILITATOR_ROLE]].dropna()
    counts = rows.groupby([C.FACILITATOR_ID, C.FACILITATOR_ROLE]).size().reset_index(name="n")
    counts = counts.sort_values(
        ["n", C.FACILITATOR_ROLE], ascending=[False, True], kind="mergesort"
    )
    return {str(k): str(v) for k, v in counts.drop_duplicates(C.FACILITATOR_ID).set_index(
        C.FACILITATOR_ID)[C.FACILITATOR_ROLE].items()}  # fmt: skip


def shown_facilitators(
    summary: pd.DataFrame, *, min_cell: int = C.MIN_CELL_SIZE
) -> tuple[pd.DataFrame, int]:
    """The rows of :func:`evalkit.facilitator_summary` a shared report may show, and how many not.

    A facilitator rated by fewer than ``min_cell`` people (``n_raters``) is left out.
    Each facilitator is a separate person, so no secondary suppression is needed: no
    total of raters is shown from which a left-out count could be recovered.

    Returns
    -------
    (DataFrame, int)
        The rows shown (in the order given) and the number left out.
    """
    small = is_small(summary["n_raters"], min_cell=min_cell).astype(bool)
    return summary[~small.to_numpy()], int(small.sum())


def facilitator_table(
    summary: pd.DataFrame,
    lang: str = "id",
    *,
    labels: dict[str, str] | None = None,
    roles: dict[str, str] | None = None,
    min_cell: int = C.MIN_CELL_SIZE,
) -> pd.DataFrame:
    """The facilitator table of a report: one row per facilitator rated by enough people.

    Parameters
    ----------
    summary : DataFrame
        :func:`evalkit.facilitator_summary` (indexed by facilitator id).
    lang : {"id", "en"}
    labels : dict, optional
        Facilitator id -> label (:func:`facilitator_labels`); default the id.
    roles : dict, optional
        Facilitator id -> role (:func:`facilitator_roles`).
    min_cell : int
        Facilitators with fewer raters are left out (:func:`shown_facilitators`).

    Returns
    -------
    DataFrame of str
        Sorted by mean rating, highest first: role, raters, cohorts (left out when every
        facilitator shown taught one cohort, as in a cohort's report), mean, its 95% CI
        (cluster-robust by cohort, or by rater for a facilitator of one cohort) and
        Cronbach's alpha with its 95% CI.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"n_raters": [12, 3], "n_cohorts": [2, 1], "mean": [4.12, 2.0],
    ...     "ci_low": [3.9, 1.0], "ci_high": [4.3, 3.0], "cluster": ["cohort", "rater"],
    ...     "alpha": [0.81, 0.5], "alpha_ci_low": [0.7, 0.1], "alpha_ci_high": [0.9, 0.8]},
    ...     index=pd.Index(["FA", "FB"], name="facilitator_id"))
    >>> facilitator_table(s, "en", roles={"FA": "widyaiswara"}).iloc[0].tolist()
    ['Widyaiswara', '12', '2', '4.12', '3.90 to 4.30 (cohorts)', '.81', '.70 to .90']
    """
    i = check_lang(lang, "facilitator_table")
    shown, _hidden = shown_facilitators(summary, min_cell=min_cell)
    shown = shown.sort_values("mean", ascending=False, kind="mergesort")
    labels, roles = labels or {}, roles or {}
    rows = []
    for fid, row in shown.iterrows():
        rows.append({
            term("facilitator", lang): labels.get(str(fid), str(fid)),
            term(C.FACILITATOR_ROLE, lang): term(roles[fid], lang) if fid in roles else MISSING,
            term("n_raters", lang): fmt_int(row["n_raters"], lang),
            term("n_cohorts_taught", lang): fmt_int(row["n_cohorts"], lang),
            term("mean", lang): fmt_num(row["mean"], 2, lang),
            term("ci", lang): _interval(row["ci_low"], row["ci_high"], lang, True)
            + f" ({term('clustered_by_' + str(row['cluster']), lang)})",
            term("alpha", lang): fmt_num(row["alpha"], 2, lang, leading_zero=i == 0),
            term("alpha_ci", lang): _interval(row["alpha_ci_low"], row["alpha_ci_high"], lang,
                                              i == 0),
        })  # fmt: skip
    out = pd.DataFrame(rows)
    if len(out) and (shown["n_cohorts"] == 1).all():  # a cohort's report: one cohort each
        out = out.drop(columns=term("n_cohorts_taught", lang))
    return out.set_index(term("facilitator", lang)) if len(out) else out


def shown_roles(
    means: pd.DataFrame, *, min_cell: int = C.MIN_CELL_SIZE
) -> tuple[pd.DataFrame, int]:
    """The rows of :func:`evalkit.facilitator_role_means` a shared report may show, and how many not.

    A role rated by fewer than ``min_cell`` people (``n_raters``) is left out: with one
    or two facilitators in it, its mean would be nearly a person's result.

    Examples
    --------
    >>> import pandas as pd
    >>> means = pd.DataFrame({"n_raters": [40, 4]}, index=["widyaiswara", "practitioner"])
    >>> shown, hidden = shown_roles(means)
    >>> list(shown.index), hidden
    (['widyaiswara'], 1)
    """
    small = is_small(means["n_raters"], min_cell=min_cell).astype(bool)
    return means[~small.to_numpy()], int(small.sum())


def role_table(
    means: pd.DataFrame, lang: str = "id", *, min_cell: int = C.MIN_CELL_SIZE
) -> pd.DataFrame:
    """Ratings by facilitator role as a display table; roles under ``min_cell`` raters left out.

    Parameters
    ----------
    means : DataFrame
        :func:`evalkit.facilitator_role_means` (indexed by role).
    lang : {"id", "en"}
    min_cell : int
        Roles with fewer raters are left out (:func:`shown_roles`).

    Returns
    -------
    DataFrame of str
        In the order widyaiswara, academic, practitioner (then any other role): the
        number of facilitators, raters and cohorts, the mean rating and its 95% CI
        (cluster-robust by cohort, or by rater within one cohort).

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame({"n_facilitators": [2], "n_raters": [60], "n_cohorts": [8],
    ...     "mean": [3.93], "ci_low": [3.7], "ci_high": [4.16], "cluster": ["cohort"]},
    ...     index=pd.Index(["widyaiswara"], name="facilitator_role"))
    >>> role_table(m, "en").loc["Widyaiswara"].tolist()
    ['2', '60', '8', '3.93', '3.70 to 4.16 (cohorts)']
    """
    check_lang(lang, "role_table")
    shown, _hidden = shown_roles(means, min_cell=min_cell)
    order = {r: k for k, r in enumerate(C.FACILITATOR_ROLES)}
    keys = sorted(shown.index, key=lambda r: (order.get(str(r), len(order)), str(r)))
    rows = {}
    for role in keys:
        row = shown.loc[role]
        rows[term(str(role), lang)] = {
            term("n_facilitators", lang): fmt_int(row["n_facilitators"], lang),
            term("n_raters", lang): fmt_int(row["n_raters"], lang),
            term("n_cohorts", lang): fmt_int(row["n_cohorts"], lang),
            term("mean", lang): fmt_num(row["mean"], 2, lang),
            term("ci", lang): _interval(row["ci_low"], row["ci_high"], lang, True)
            + f" ({term('clustered_by_' + str(row['cluster']), lang)})",
        }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = term(C.FACILITATOR_ROLE, lang)
    return out


def _interval(low: Any, high: Any, lang: str, leading_zero: bool) -> str:
    """``low to high`` (``s.d.`` in Indonesian), without the level."""
    text = fmt_ci(low, high, 2, lang, leading_zero=leading_zero)
    return text.split(" ", 2)[2]  # drop "IK 95%" / "95% CI"


def variance_table(split: pd.DataFrame, lang: str = "id") -> pd.DataFrame:
    """The split of rating variance (:func:`evalkit.facilitator_variance`) as a display table.

    Examples
    --------
    >>> import pandas as pd
    >>> split = pd.DataFrame({"variance": [0.15, 0.07, 0.19], "share": [0.366, 0.171, 0.463]},
    ...     index=pd.Index(["facilitator", "cohort", "residual"], name="component"))
    >>> variance_table(split, "en").iloc[1].tolist()
    ['0.070', '17.1%']
    """
    check_lang(lang, "variance_table")
    names = {"facilitator": "facilitator", "cohort": "cohort_component", "residual": "residual"}
    out = pd.DataFrame(
        {
            term("variance", lang): [fmt_num(v, 3, lang) for v in split["variance"]],
            term("share", lang): [fmt_pct(float(s) * 100, 1, lang) for s in split["share"]],
        },
        index=pd.Index([term(names.get(str(k), str(k)), lang) for k in split.index],
                       name=term("component", lang)),
    )  # fmt: skip
    return out
