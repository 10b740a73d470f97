"""Facilitator evaluation (widyaiswara/narasumber): ratings per facilitator, course vs facilitator, link to learning.

Participants rate each facilitator of their cohort on a few items (the
``facilitator_ratings`` table: one row per answer). The unit of these functions is the
**form**: one participant's ratings of one facilitator in one session, scored as the
mean of its answered items (:func:`facilitator_forms`). Then:

- :func:`facilitator_summary`: per facilitator, across the cohorts they taught, the mean
  rating with a cluster-robust CI (by cohort when they taught more than one, else by
  rater), the number of raters, and Cronbach's alpha of the items with its Feldt CI;
- :func:`facilitator_variance`: how much of the variance of ratings lies between
  facilitators and how much between cohorts (the course and its group), from a
  cross-classified random-intercept model fitted by REML, or why the data do not allow
  it;
- :func:`facilitator_role_means` and :func:`facilitator_role_comparison`: ratings by the
  facilitator's role (widyaiswara, academic, practitioner), with the number of
  facilitators per role and a cluster-robust test of the difference (role goes with
  program and topic, so a difference is not an effect of role);
- :func:`facilitator_gain_link`: the cohort-level correlation between the cohorts' mean
  facilitator rating and their mean learning gain (ecological: a correlation of cohort
  means says nothing about individual participants, and few cohorts make it imprecise).

Anonymous forms (no NIP or name of the rater) carry a rater key per row of the export
(``A`` + 10 hex, :data:`evalkit.constants.ANONYMOUS_RATER_PREFIX`): the raters counted are
then rows of the export, and where a statistic would cluster by rater (a facilitator or
role within one cohort) it clusters by export row, labelled ``"row"``: the forms of one
row of a wide export stay together, but a person's forms on separate rows of a long
export cannot be linked and count as independent. ``n_anonymous`` counts such forms.

Examples
--------
>>> import pandas as pd
>>> from evalkit.metrics.facilitator import facilitator_forms
>>> r = pd.DataFrame({"cohort_id": ["A"] * 4, "participant_id": ["p1", "p1", "p2", "p2"],
...     "facilitator_id": "F1", "session": "S1", "item": ["a", "b"] * 2,
...     "score": [4.0, 5, 3, 3], "scale_max": 5})
>>> facilitator_forms(r)["rating"].tolist()
[4.5, 3.0]
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
from scipy import stats

from evalkit import constants as C
from evalkit.errors import EvalkitWarning, ParameterError
from evalkit.metrics._validate import (
    check_ci,
    numeric_column,
    require_frame,
    require_named_columns,
)
from evalkit.metrics.clustered import clustered_comparison
from evalkit.metrics.reaction import cronbach_alpha, fisher_z_interval

__all__ = [
    "VARIANCE_REASONS",
    "facilitator_forms",
    "facilitator_gain_link",
    "facilitator_role_comparison",
    "facilitator_role_means",
    "facilitator_summary",
    "facilitator_variance",
]

#: A rater key of an anonymous form (:func:`evalkit.data.build_facilitators.anonymous_raters`).
_ANONYMOUS = re.compile(rf"^{C.ANONYMOUS_RATER_PREFIX}[0-9A-F]{{10}}$")


def _anonymous(raters: pd.Series) -> np.ndarray:
    """Which rater keys are anonymous export rows, not participants."""
    return np.fromiter(
        (isinstance(r, str) and _ANONYMOUS.match(r) is not None for r in raters.tolist()),
        bool, count=len(raters),
    )  # fmt: skip


#: The columns of :func:`cronbach_alpha` that :func:`facilitator_summary` shows, renamed.
_ALPHA_COLUMNS = {"alpha": "alpha", "ci_low": "alpha_ci_low", "ci_high": "alpha_ci_high",
                  "n": "n_alpha", "k": "k"}  # fmt: skip

#: Why :func:`facilitator_variance` gives no split (its ``reason``), in words.
VARIANCE_REASONS = {
    "too_few_facilitators": "fewer than 3 facilitators",
    "too_few_cohorts": "fewer than 3 cohorts",
    "confounded": "each facilitator taught one cohort and each cohort had one facilitator, "
    "so facilitator and cohort cannot be told apart",
    "not_converged": "the model did not converge",
}


def _form_frame(
    func: str, ratings: pd.DataFrame, columns: dict[str, str]
) -> tuple[pd.DataFrame, np.ndarray]:
    """The rows with a score, and the scores, after checking the columns."""
    require_frame(func, ratings, "ratings")
    require_named_columns(func, ratings, tuple(columns.items()))
    score = numeric_column(func, columns["score"], ratings[columns["score"]])
    keep = ~np.isnan(score)
    for name in ("cohort", "rater", "facilitator"):
        keep &= ratings[columns[name]].notna().to_numpy()
    return ratings.loc[keep], score[keep]


def facilitator_forms(
    ratings: pd.DataFrame,
    *,
    facilitator: str = C.FACILITATOR_ID,
    cohort: str = C.COHORT_ID,
    rater: str = C.PARTICIPANT_ID,
    session: str | None = C.SESSION,
    item: str = C.ITEM,
    score: str = C.SCORE,
) -> pd.DataFrame:
    """One row per form: a rater's mean rating of one facilitator in one session.

    Parameters
    ----------
    ratings : DataFrame
        One row per answer (the ``facilitator_ratings`` table).
    facilitator, cohort, rater, item, score : str
        Columns of the facilitator, the cohort, the rater (participant), the item and the
        answer (on the item's scale).
    session : str or None, default ``"session"``
        Column of the session; None (or a column that is absent) when each rater rated
        each facilitator once.

    Returns
    -------
    DataFrame
        Columns ``facilitator, cohort, rater`` (their own names), ``session`` when given,
        ``rating`` (the mean of the form's answered items) and ``n_items``, sorted.

    Raises
    ------
    ParameterError
        Missing columns or a non-numeric score.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"cohort_id": ["A"] * 3, "participant_id": "p1",
    ...     "facilitator_id": "F1", "session": "S1", "item": ["a", "b", "c"],
    ...     "score": [4.0, 5, float("nan")]})
    >>> facilitator_forms(r)[["rating", "n_items"]].values.tolist()
    [[4.5, 2.0]]
    """
    return _forms("facilitator_forms", ratings, facilitator, cohort, rater, session, item, score)


def _forms(
    func: str, ratings: pd.DataFrame, facilitator: str, cohort: str, rater: str,
    session: str | None, item: str, score: str,
) -> pd.DataFrame:  # fmt: skip
    """:func:`facilitator_forms`, with errors naming the function ``func``."""
    cols = {"facilitator": facilitator, "cohort": cohort, "rater": rater, "item": item,
            "score": score}  # fmt: skip
    rows, y = _form_frame(func, ratings, cols)
    keys = [facilitator, cohort, rater]
    if session is not None and session in rows:
        keys.append(session)
    frame = rows[keys].astype(object).where(rows[keys].notna(), "")
    frame = frame.assign(_score=y)
    grouped = frame.groupby(keys, sort=True)["_score"]
    out = pd.DataFrame({"rating": grouped.mean(), "n_items": grouped.size().astype(float)})
    return out.reset_index()


def facilitator_summary(
    ratings: pd.DataFrame,
    *,
    facilitator: str = C.FACILITATOR_ID,
    cohort: str = C.COHORT_ID,
    rater: str = C.PARTICIPANT_ID,
    session: str | None = C.SESSION,
    item: str = C.ITEM,
    score: str = C.SCORE,
    scale_max: str = C.SCALE_MAX,
    ci: float = 0.95,
) -> pd.DataFrame:
    """Each facilitator's mean rating with a cluster-robust CI, n raters and alpha.

    Parameters
    ----------
    ratings : DataFrame
        One row per answer (the ``facilitator_ratings`` table).
    facilitator, cohort, rater, session, item, score : str
        Columns, as in :func:`facilitator_forms`.
    scale_max : str, default ``"scale_max"``
        Column of the top of the answer scale (used only when present).
    ci : float, default 0.95
        Confidence level of the intervals.

    Returns
    -------
    DataFrame
        Indexed by facilitator (sorted): ``n_raters`` (distinct raters), ``n_forms``
        (ratings of a facilitator by a rater in a session), ``n_cohorts``, ``mean`` (of
        the form ratings, on the items' scale), ``sd``, ``se``, ``df``, ``ci_low``,
        ``ci_high``, ``cluster`` (``"cohort"`` or ``"rater"``: what the SE is robust
        to; ``"row"`` for anonymous forms of one cohort, see the module notes),
        ``n_clusters`` (cohorts, raters or rows), ``n_anonymous`` (forms without a
        known rater), ``scale_max`` (the largest top of
        the answer scale, when ``scale_max`` is a column), ``alpha``, ``alpha_ci_low``, ``alpha_ci_high`` (Feldt), ``n_alpha`` (forms
        that answered every item) and ``k`` (items).

    Raises
    ------
    ParameterError
        Missing columns, a non-numeric score, ``ci`` outside (0, 1), no rows.

    Notes
    -----
    The mean is the intercept of ``rating ~ 1`` over a facilitator's forms, with the CR1
    cluster-robust variance :math:`\\frac{G}{G-1}\\sum_g (\\sum_{i\\in g} e_i)^2 / n^2`
    and a t interval on G - 1 df. The clusters are the cohorts when the facilitator
    taught two or more (raters of one cohort share its course and day), else the raters
    (with one form per rater this is the classical t interval). With two cohorts the
    interval has 1 df and is very wide: that is the honest width. Alpha is Cronbach's
    alpha of the items over the facilitator's complete forms, with the Feldt interval
    (:func:`evalkit.metrics.reaction.cronbach_alpha`); NaN with fewer than 2 complete
    forms. Validated against R 4 ``coeftest(lm(rating ~ 1), vcovCL(fit, cluster =
    ~cohort), df = G - 1)`` and ``psych::alpha``/``alpha.ci`` per facilitator
    (``tests/reference/facilitator.R``).

    Examples
    --------
    >>> import pandas as pd
    >>> from evalkit.metrics.facilitator import facilitator_summary
    >>> r = pd.DataFrame({"cohort_id": list("AAAABBBB"), "participant_id": list("ppqqrrss"),
    ...     "facilitator_id": "F1", "session": "S1", "item": list("abababab"),
    ...     "score": [4.0, 5, 3, 3, 5, 5, 4, 3]})
    >>> out = facilitator_summary(r)
    >>> out[["n_raters", "n_cohorts", "mean", "cluster"]].values.tolist()
    [[4, 2, 4.0, 'cohort']]
    """
    func = "facilitator_summary"
    level = check_ci(func, ci, say_number=True)
    forms = _forms(func, ratings, facilitator, cohort, rater, session, item, score)
    if forms.empty:
        raise ParameterError(f"{func}: no rating with a score, cohort, rater and facilitator")
    codes, labels = pd.factorize(forms[facilitator], sort=True)
    out = _clustered_form_means(forms, codes, len(labels), cohort, rater, level)
    out.index = pd.Index(labels, name=facilitator)
    if scale_max in ratings:
        tops = pd.to_numeric(ratings[scale_max], errors="coerce").astype(float)
        out["scale_max"] = (
            tops.groupby(ratings[facilitator].to_numpy()).max().reindex(labels).to_numpy()
        )
    return out.join(_alphas(ratings, forms, facilitator, item, score, level))


def _clustered_form_means(
    forms: pd.DataFrame, codes: np.ndarray, k: int, cohort: str, rater: str, level: float
) -> pd.DataFrame:
    """Mean form rating per group (``codes``) with its CR1 interval, in one vectorised pass.

    A group's clusters are its cohorts when it spans two or more, else its raters (one
    cohort: a rater's forms are alike; ``"row"`` when they are anonymous export rows);
    t on G - 1 df, NaN with one cluster.
    """
    anonymous = _anonymous(forms[rater])
    y = forms["rating"].to_numpy(dtype=float)
    n = np.bincount(codes, minlength=k).astype(float)
    n_cohorts = forms.groupby(codes)[cohort].nunique().reindex(range(k)).to_numpy()
    n_raters = forms.groupby(codes)[rater].nunique().reindex(range(k)).to_numpy()
    by_cohort = n_cohorts[codes] >= 2
    cluster = np.where(by_cohort, "c:" + forms[cohort].astype(str), "r:" + forms[rater].astype(str))
    mean = np.bincount(codes, weights=y, minlength=k) / n
    resid = y - mean[codes]
    pairs, _ = pd.factorize(pd.MultiIndex.from_arrays([codes, cluster]))
    pair_group = np.zeros(pairs.max() + 1, dtype=np.intp)
    pair_group[pairs] = codes
    pair_sum = np.bincount(pairs, weights=resid)
    g = np.bincount(pair_group, minlength=k).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        sd = np.sqrt(np.bincount(codes, weights=resid**2, minlength=k) / (n - 1))
        var = g / (g - 1) * np.bincount(pair_group, weights=pair_sum**2, minlength=k) / n**2
        se = np.where(g > 1, np.sqrt(var), np.nan)
        df = np.where(g > 1, g - 1, np.nan)
        half = stats.t.ppf(0.5 + level / 2, df) * se
    return pd.DataFrame(
        {
            "n_raters": n_raters.astype(int),
            "n_forms": n.astype(int),
            "n_cohorts": n_cohorts.astype(int),
            "mean": mean,
            "sd": sd,
            "se": se,
            "df": df,
            "ci_low": mean - half,
            "ci_high": mean + half,
            "cluster": np.where(n_cohorts >= 2, "cohort", np.where(
                np.bincount(codes, weights=anonymous, minlength=k) == n, "row", "rater")),
            "n_clusters": g.astype(int),
            "n_anonymous": np.bincount(codes, weights=anonymous, minlength=k).astype(int),
        }
    )  # fmt: skip


def _alphas(
    ratings: pd.DataFrame, forms: pd.DataFrame, facilitator: str, item: str, score: str,
    level: float,
) -> pd.DataFrame:  # fmt: skip
    """Cronbach's alpha of the items per facilitator (complete forms only).

    Indexed by the facilitators that have answers; the caller's join gives the others NaN.
    """
    keys = [c for c in forms.columns if c not in ("rating", "n_items")]
    rows = ratings.dropna(subset=[*keys[:3], score])
    frame = rows[keys].astype(object).where(rows[keys].notna(), "")
    wide = frame.assign(_item=rows[item].to_numpy(), _score=rows[score].to_numpy(dtype=float))
    wide = wide.pivot_table(index=keys, columns="_item", values="_score", aggfunc="mean")
    if wide.shape[1] < 2:
        return pd.DataFrame(columns=list(_ALPHA_COLUMNS.values()), dtype=float)
    items = wide.reset_index(drop=True)
    groups = wide.index.get_level_values(facilitator).to_numpy()
    with warnings.catch_warnings():  # facilitators with too few complete forms: NaN
        warnings.simplefilter("ignore", EvalkitWarning)
        alpha = cronbach_alpha(items, ci=level, by=groups)
    return alpha[list(_ALPHA_COLUMNS)].rename(columns=_ALPHA_COLUMNS)


def _role_forms(
    func: str, ratings: pd.DataFrame, facilitator: str, cohort: str, rater: str,
    session: str | None, item: str, score: str, role: str,
) -> pd.DataFrame:  # fmt: skip
    """The forms with the facilitator's role (their most frequent; ties alphabetical)."""
    forms = _forms(func, ratings, facilitator, cohort, rater, session, item, score)
    require_named_columns(func, ratings, (("role", role),))
    pairs = ratings[[facilitator, role]].dropna()
    counts = pairs.groupby([facilitator, role]).size().reset_index(name="_n")
    counts = counts.sort_values(["_n", role], ascending=[False, True], kind="mergesort")
    roles = counts.drop_duplicates(facilitator).set_index(facilitator)[role]
    forms[role] = forms[facilitator].map(roles)
    forms = forms.dropna(subset=[role])
    if forms.empty:
        raise ParameterError(f"{func}: no rated facilitator has a role in column {role!r}")
    return forms


def facilitator_role_means(
    ratings: pd.DataFrame,
    *,
    role: str = C.FACILITATOR_ROLE,
    facilitator: str = C.FACILITATOR_ID,
    cohort: str = C.COHORT_ID,
    rater: str = C.PARTICIPANT_ID,
    session: str | None = C.SESSION,
    item: str = C.ITEM,
    score: str = C.SCORE,
    ci: float = 0.95,
) -> pd.DataFrame:
    """Mean rating per facilitator role, with a cluster-robust CI and the facilitators counted.

    Parameters
    ----------
    ratings : DataFrame
        One row per answer (the ``facilitator_ratings`` table), with ``role``.
    role : str, default ``"facilitator_role"``
        Column of the role (widyaiswara / academic / practitioner). A facilitator's role
        is their most frequent one; facilitators without a role are left out.
    facilitator, cohort, rater, session, item, score : str
        Columns, as in :func:`facilitator_forms`.
    ci : float, default 0.95

    Returns
    -------
    DataFrame
        Indexed by role (sorted): ``n_facilitators``, and as
        :func:`facilitator_summary`: ``n_raters``, ``n_forms``, ``n_cohorts``, ``mean``
        (of the form ratings), ``sd``, ``se``, ``df``, ``ci_low``, ``ci_high``,
        ``cluster`` (``"cohort"`` when the role's forms span two or more cohorts, else
        ``"rater"``, or ``"row"`` for anonymous forms), ``n_clusters`` and
        ``n_anonymous``.

    Raises
    ------
    ParameterError
        Missing columns, a non-numeric score, no facilitator with a role.

    Notes
    -----
    The forms of one cohort share its course and day, and a rater rates several
    facilitators: the CR1 variance by cohort (t on G - 1 df) covers both. Validated
    against R 4 ``coeftest(lm(rating ~ 1), vcovCL(fit, cluster = ~cohort_id), df = G -
    1)`` per role (``tests/reference/facilitator.R``).

    Examples
    --------
    >>> r = pd.DataFrame({"cohort_id": list("AABB"), "participant_id": list("pqrs"),
    ...     "facilitator_id": ["F1", "F2", "F1", "F2"], "item": "a",
    ...     "facilitator_role": ["widyaiswara", "academic"] * 2, "score": [4.0, 3, 5, 3]})
    >>> out = facilitator_role_means(r)
    >>> out[["n_facilitators", "mean", "cluster"]].values.tolist()
    [[1, 3.0, 'cohort'], [1, 4.5, 'cohort']]
    """
    func = "facilitator_role_means"
    level = check_ci(func, ci, say_number=True)
    forms = _role_forms(func, ratings, facilitator, cohort, rater, session, item, score, role)
    codes, labels = pd.factorize(forms[role], sort=True)
    out = _clustered_form_means(forms, codes, len(labels), cohort, rater, level)
    n_fac = forms.groupby(codes)[facilitator].nunique().reindex(range(len(labels)))
    out.insert(0, "n_facilitators", n_fac.to_numpy().astype(int))
    out.index = pd.Index(labels, name=role)
    return out


def facilitator_role_comparison(
    ratings: pd.DataFrame,
    *,
    role: str = C.FACILITATOR_ROLE,
    reference: str | None = None,
    facilitator: str = C.FACILITATOR_ID,
    cohort: str = C.COHORT_ID,
    rater: str = C.PARTICIPANT_ID,
    session: str | None = C.SESSION,
    item: str = C.ITEM,
    score: str = C.SCORE,
    ci: float = 0.95,
) -> pd.DataFrame:
    """Differences of the mean rating between facilitator roles, cluster-robust, with a Wald test.

    Parameters
    ----------
    ratings : DataFrame
        One row per answer (the ``facilitator_ratings`` table), with ``role``.
    role : str, default ``"facilitator_role"``
        Column of the role (as :func:`facilitator_role_means`).
    reference : str, optional
        The role the others are compared with; default ``"widyaiswara"`` when rated,
        else the role with most forms.
    facilitator, cohort, rater, session, item, score : str
        Columns, as in :func:`facilitator_forms`.
    ci : float, default 0.95

    Returns
    -------
    DataFrame
        As :func:`evalkit.clustered_comparison` on the forms (``rating ~ role``): one row
        per contrast ``"<role> - <reference>"`` and an ``"overall"`` Wald F row, with
        ``n`` and ``n_reference`` counting forms; plus ``cluster`` (``"cohort"``, or
        ``"rater"`` when every form comes from one cohort, ``"row"`` when those forms are
        anonymous) and ``n_facilitators`` (of the
        contrast's role; all roles on the ``overall`` row).

    Raises
    ------
    ParameterError
        As :func:`facilitator_role_means`; fewer than 2 roles rated; an unknown
        ``reference``; too few clusters.

    Notes
    -----
    OLS of the form ratings on role dummies with the CR1 covariance by cohort, t and F on
    G - 1 df (:func:`evalkit.metrics.clustered.cluster_robust_ols`). Role is fixed per
    facilitator and goes with the program, the topic and the cohorts a facilitator is
    given: the difference describes who taught what, it is not an effect of role.
    Validated against R 4 ``lm(rating ~ role)``, ``coeftest(fit, vcovCL(fit, cluster =
    ~cohort_id), df = G - 1)`` and ``car::linearHypothesis(test = "F")``
    (``tests/reference/facilitator.R``).

    Examples
    --------
    >>> r = pd.DataFrame({"cohort_id": list("AABBCC"), "participant_id": list("pqrstu"),
    ...     "facilitator_id": ["F1", "F2"] * 3, "item": "a",
    ...     "facilitator_role": ["widyaiswara", "academic"] * 3,
    ...     "score": [4.0, 3, 5, 3, 4, 4]})
    >>> out = facilitator_role_comparison(r)
    >>> out.index.tolist(), round(float(out.loc["academic - widyaiswara", "mean_diff"]), 10)
    (['academic - widyaiswara', 'overall'], -1.0)
    """
    func = "facilitator_role_comparison"
    check_ci(func, ci, say_number=True)
    forms = _role_forms(func, ratings, facilitator, cohort, rater, session, item, score, role)
    counts = forms[role].value_counts()
    if len(counts) < 2:
        raise ParameterError(
            f"{func}: column {role!r} must hold at least 2 rated roles, got {list(counts.index)}"
        )
    if reference is None:
        reference = "widyaiswara" if "widyaiswara" in counts.index else None
    elif reference not in counts.index:
        raise ParameterError(
            f"{func}: parameter 'reference' must be one of the rated roles "
            f"{sorted(map(str, counts.index))}, got {reference!r}"
        )
    by_cohort = forms[cohort].nunique() >= 2
    forms["_cluster"] = (forms[cohort] if by_cohort else forms[rater]).astype(str)
    out = clustered_comparison(forms, "rating", role, cluster="_cluster", reference=reference,
                               ci=ci)  # fmt: skip
    n_fac = forms.groupby(role)[facilitator].nunique()
    anonymous = _anonymous(forms[rater]).all()
    out["cluster"] = "cohort" if by_cohort else ("row" if anonymous else "rater")
    out["n_facilitators"] = [
        float(n_fac.sum()) if g == "all" else float(n_fac[g]) for g in out["group"]
    ]
    return out


def facilitator_variance(
    ratings: pd.DataFrame,
    *,
    facilitator: str = C.FACILITATOR_ID,
    cohort: str = C.COHORT_ID,
    rater: str = C.PARTICIPANT_ID,
    session: str | None = C.SESSION,
    item: str = C.ITEM,
    score: str = C.SCORE,
) -> pd.DataFrame:
    """Variance of form ratings between facilitators, between cohorts, and within.

    Parameters
    ----------
    ratings : DataFrame
        One row per answer (the ``facilitator_ratings`` table).
    facilitator, cohort, rater, session, item, score : str
        Columns, as in :func:`facilitator_forms`.

    Returns
    -------
    DataFrame
        Rows ``facilitator``, ``cohort``, ``residual``; columns ``variance`` (REML),
        ``share`` (of the total: the facilitator row is the facilitator ICC), ``n``
        (forms), ``n_facilitators``, ``n_cohorts``, ``design`` (``"crossed"``,
        ``"facilitators_in_cohorts"`` or ``"cohorts_in_facilitators"``), ``estimable``
        (bool) and ``reason`` (a key of :data:`VARIANCE_REASONS` when not estimable,
        else None). When the data do not allow the split, ``variance`` and ``share``
        are NaN.

    Raises
    ------
    ParameterError
        Missing columns or a non-numeric score.

    Notes
    -----
    The model is ``rating ~ 1 + (1 | facilitator) + (1 | cohort)``, random intercepts
    for facilitator and cohort, crossed (a facilitator teaches several cohorts, a cohort
    has several facilitators) or nested, fitted by REML with statsmodels ``MixedLM``
    (one group, the two intercepts as variance components). The split needs at least
    3 facilitators and 3 cohorts, and facilitator and cohort must not coincide (every
    facilitator in one cohort and every cohort with one facilitator). The cohort
    variance holds everything a cohort shares: the course, its organisation, the group
    and its day. Rater leniency stays in the residual. The REML surface is flat near its
    optimum, so the optimisers run to a tight tolerance (BFGS to a gradient of 1e-12, then
    Powell, then Nelder-Mead, the first that converges). Validated against R 4 ``lme4::
    lmer(rating ~ 1 + (1 | facilitator) + (1 | cohort), REML = TRUE)`` with bobyqa run to
    ``rhoend = 1e-12`` (lme4's default stopping rule ends about 1e-5, relative, short of the
    optimum), agreement within 2e-6 relative (``tests/reference/facilitator.R``). No
    interval is given for the variances.

    Examples
    --------
    >>> import pandas as pd
    >>> from evalkit.metrics.facilitator import facilitator_variance
    >>> r = pd.DataFrame({"cohort_id": ["A", "A"], "participant_id": ["p", "q"],
    ...     "facilitator_id": ["F1", "F2"], "item": "a", "score": [4.0, 3.0]})
    >>> out = facilitator_variance(r)
    >>> bool(out["estimable"].iloc[0]), out["reason"].iloc[0]
    (False, 'too_few_facilitators')
    """
    func = "facilitator_variance"
    forms = _forms(func, ratings, facilitator, cohort, rater, session, item, score)
    n_f, n_c = forms[facilitator].nunique(), forms[cohort].nunique()
    per_f = forms.groupby(facilitator)[cohort].nunique()
    per_c = forms.groupby(cohort)[facilitator].nunique()
    many_c, many_f = bool((per_f >= 2).any()), bool((per_c >= 2).any())
    design = ("crossed" if many_c and many_f else
              "cohorts_in_facilitators" if many_c else "facilitators_in_cohorts")  # fmt: skip
    reason = ("too_few_facilitators" if n_f < 3 else "too_few_cohorts" if n_c < 3 else
              None if many_c or many_f else "confounded")  # fmt: skip
    variance = np.full(3, np.nan)
    if reason is None:
        fitted = _reml_components(forms, facilitator, cohort)
        if fitted is None:
            reason = "not_converged"
        else:
            variance = fitted
    return pd.DataFrame(
        {
            "variance": variance,
            "share": variance / variance.sum(),
            "n": len(forms),
            "n_facilitators": n_f,
            "n_cohorts": n_c,
            "design": design,
            "estimable": reason is None,
            "reason": reason,
        },
        index=pd.Index(["facilitator", "cohort", "residual"], name="component"),
    )


#: Optimisers tried in turn for the REML fit: the REML surface is flat near its optimum,
#: so each runs to a tight tolerance (lme4's default stops about 1e-5 short of it).
_OPTIMISERS = (
    {"method": "bfgs", "gtol": 1e-12},
    {"method": "powell", "xtol": 1e-12, "ftol": 1e-14},
    {"method": "nm", "xtol": 1e-12, "ftol": 1e-14, "maxiter": 20000},
)


def _reml_components(forms: pd.DataFrame, facilitator: str, cohort: str) -> np.ndarray | None:
    """REML variances (facilitator, cohort, residual) of the crossed model, or None."""
    from statsmodels.regression.mixed_linear_model import MixedLM, VCSpec

    y = forms["rating"].to_numpy(dtype=float)
    # one group holding every form; the two random intercepts as variance components
    mats = [np.eye(int(codes.max()) + 1)[codes]
            for codes in (pd.factorize(forms[facilitator], sort=True)[0],
                          pd.factorize(forms[cohort], sort=True)[0])]  # fmt: skip
    spec = VCSpec(["f", "c"], [[[f"f{j}" for j in range(m.shape[1])]] for m in mats],
                  [[m] for m in mats])  # fmt: skip
    model = MixedLM(y, np.ones((len(y), 1)), np.zeros(len(y)), exog_vc=spec)
    for options in _OPTIMISERS:  # the first that converges, to a tight tolerance
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                fit = model.fit(reml=True, **options)
        except (np.linalg.LinAlgError, ValueError):
            continue
        if fit.converged and np.isfinite(fit.vcomp).all():
            vc = dict(zip(spec.names, np.asarray(fit.vcomp, dtype=float), strict=True))
            return np.array([vc["f"], vc["c"], float(fit.scale)])
    return None


def facilitator_gain_link(
    ratings: pd.DataFrame,
    learning: pd.DataFrame,
    *,
    cohort: str = C.COHORT_ID,
    facilitator: str = C.FACILITATOR_ID,
    rater: str = C.PARTICIPANT_ID,
    session: str | None = C.SESSION,
    item: str = C.ITEM,
    score: str = C.SCORE,
    pre: str = C.PRE,
    post: str = C.POST,
    ci: float = 0.95,
) -> pd.Series:
    """Cohort-level correlation of the mean facilitator rating with the mean learning gain.

    Parameters
    ----------
    ratings : DataFrame
        One row per answer (the ``facilitator_ratings`` table).
    learning : DataFrame
        One row per participant with ``pre`` and ``post`` (the ``learning`` table).
    cohort, facilitator, rater, session, item, score, pre, post : str
        Columns.
    ci : float, default 0.95
        Confidence level.

    Returns
    -------
    Series
        ``r`` (Pearson, over cohorts), ``ci_low``, ``ci_high`` (Fisher z), ``t``, ``df``
        (n - 2), ``p`` (two-sided, r = 0), ``n`` (cohorts with both a rating and a
        gain), ``mean_rating`` and ``mean_gain`` (over those cohorts). NaN r with fewer
        than 3 cohorts, NaN CI with fewer than 4.

    Raises
    ------
    ParameterError
        Missing columns, non-numeric scores, ``ci`` outside (0, 1).

    Notes
    -----
    A cohort's rating is the mean of its form ratings (:func:`facilitator_forms`, over
    all its facilitators), its gain the mean of ``post - pre`` over participants with
    both. The correlation is of cohort means (ecological): it does not say that
    participants who rated their facilitators higher learned more, cohorts differ in
    much besides their facilitators, and with few cohorts its interval is wide. The
    Fisher z interval :math:`\\tanh(\\operatorname{atanh} r \\pm z/\\sqrt{n-3})` and the t
    test on n - 2 df are those of R 4 ``cor.test(rating, gain)``
    (``tests/reference/facilitator.R``).

    Examples
    --------
    >>> import pandas as pd
    >>> from evalkit.metrics.facilitator import facilitator_gain_link
    >>> r = pd.DataFrame({"cohort_id": list("ABCDE"), "participant_id": "p",
    ...     "facilitator_id": "F1", "item": "a", "score": [3.0, 4, 4, 5, 5]})
    >>> l = pd.DataFrame({"cohort_id": list("ABCDE"), "pre": 50.0,
    ...     "post": [55.0, 60, 58, 70, 66]})
    >>> round(float(facilitator_gain_link(r, l)["r"]), 4)  # cor(c(3,4,4,5,5), c(5,10,8,20,16))
    0.9406
    """
    func = "facilitator_gain_link"
    level = check_ci(func, ci, say_number=True)
    forms = _forms(func, ratings, facilitator, cohort, rater, session, item, score)
    require_frame(func, learning, "learning")
    require_named_columns(func, learning, (("cohort", cohort), ("pre", pre), ("post", post)))
    gain = numeric_column(func, post, learning[post]) - numeric_column(func, pre, learning[pre])
    gains = pd.Series(gain).groupby(learning[cohort].to_numpy()).mean()
    rating = forms.groupby(cohort)["rating"].mean()
    both = pd.concat([rating.rename("rating"), gains.rename("gain")], axis=1).dropna()
    n = len(both)
    x, y = both["rating"].to_numpy(), both["gain"].to_numpy()
    ok = n >= 3 and x.std() > 0 and y.std() > 0
    r = np.corrcoef(x, y)[0, 1] if ok else np.float64(np.nan)  # NumPy: r = 1 divides to inf
    df = n - 2  # r is NaN below 3 cohorts, and so are t, p and (below 4) the interval
    with np.errstate(divide="ignore"):  # r = +-1: t is infinite, p 0
        t = r * np.sqrt(df / (1 - r**2))
    p = 2 * stats.t.sf(abs(t), df)
    low, high = fisher_z_interval(np.array([r]), np.array([float(n)]), level)
    return pd.Series(
        {
            "r": float(r),
            "ci_low": float(low[0]),
            "ci_high": float(high[0]),
            "t": t,
            "df": float(df),
            "p": float(p),
            "n": n,
            "mean_rating": float(x.mean()) if n else np.nan,
            "mean_gain": float(y.mean()) if n else np.nan,
        },
        name="facilitator_gain_link",
    )
