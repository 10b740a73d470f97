"""Level 4 unit outcomes in the impact study: difference-in-differences, trend, conclusion.

The impact study reports every unit outcome (public satisfaction IKM, service time,
complaints) the same way: the mean of trained and comparison units per period, the
difference-in-differences estimate with cluster-robust standard errors, and its worded
conclusion. :func:`did_section` does that for one outcome, so the notebook calls it
once per outcome instead of repeating the steps.

Examples
--------
>>> sorted(OUTCOMES)
['complaints', 'ikm', 'service_days']
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from evalkit import constants as C
from evalkit.errors import ParameterError
from evalkit.metrics.impact import did
from evalkit.reporting.conclusions.results import did_conclusion
from evalkit.reporting.figures import period_lines
from evalkit.reporting.terms import Text, check_lang

__all__ = ["OUTCOMES", "OutcomeWords", "DidSection", "did_section"]


@dataclass(frozen=True)
class OutcomeWords:
    """How a report names one outcome, each as (Indonesian, English).

    Attributes
    ----------
    what : (str, str)
        The outcome in a sentence (``"service time"``).
    unit : (str, str)
        Its unit (``"days"``).
    ylabel : (str, str)
        The y axis of its trend figure.
    """

    what: tuple[str, str]
    unit: tuple[str, str]
    ylabel: tuple[str, str]


#: The unit outcomes of the impact study (column of the unit-period table -> words).
OUTCOMES: dict[str, OutcomeWords] = {
    "ikm": OutcomeWords(
        what=("IKM", "public satisfaction (IKM)"),
        unit=("poin", "points"),
        ylabel=("Rerata IKM unit (25-100)", "Mean unit IKM (25-100)"),
    ),
    "service_days": OutcomeWords(
        what=("waktu layanan", "service time"),
        unit=("hari", "days"),
        ylabel=("Rerata waktu layanan (hari)", "Mean service time (days)"),
    ),
    "complaints": OutcomeWords(
        what=("jumlah pengaduan", "complaints"),
        unit=("pengaduan", "complaints"),
        ylabel=("Rerata pengaduan per unit", "Mean complaints per unit"),
    ),
}


@dataclass(frozen=True)
class DidSection:
    """What the impact study shows and records for one outcome.

    Attributes
    ----------
    effect : Series
        The :func:`evalkit.did` result (to record and for the headline).
    figure : Figure
        Mean outcome of trained and comparison units per period.
    conclusion : Text
        The worded conclusion (:func:`evalkit.reporting.did_conclusion`).
    n_treated : int
        Trained units in the data.
    """

    effect: pd.Series
    figure: Any
    conclusion: Text
    n_treated: int


def did_section(
    data: pd.DataFrame,
    outcome: str,
    *,
    labels: Mapping[Any, str],
    periods: Mapping[Any, str],
    first_post: float,
    lang: str = "id",
    words: OutcomeWords | None = None,
    treated: str = C.TREATED,
    post: str = C.POST,
    period: str = "period_index",
    cluster: str = C.UNIT,
) -> DidSection:
    """Difference-in-differences of one unit outcome, with its trend figure and conclusion.

    Parameters
    ----------
    data : DataFrame
        One row per unit x period: the ``outcome``, ``treated``, ``post``, the period
        index and the unit.
    outcome : str
        Column of the outcome; one of :data:`OUTCOMES` unless ``words`` are given.
    labels : mapping
        Legend label of the trained (True) and comparison (False) group.
    periods : mapping
        Period index -> its name on the x axis.
    first_post : number
        Index of the first period after the training (the dashed line is drawn half a
        period before it).
    lang : {"id", "en"}, default "id"
    words : OutcomeWords, optional
        How to name an outcome that is not in :data:`OUTCOMES`.
    treated, post, period, cluster : str
        Columns of the group, the after-training flag, the period index and the unit
        (the cluster of the standard errors).

    Returns
    -------
    DidSection
        The DiD result, the figure, the conclusion and the number of trained units.

    Raises
    ------
    ParameterError
        An outcome without words; as :func:`evalkit.did`.

    Examples
    --------
    >>> import pandas as pd
    >>> panel = pd.DataFrame({"unit": [1, 1, 2, 2, 3, 3, 4, 4],
    ...                       "treated": [True] * 4 + [False] * 4,
    ...                       "period_index": [0, 1] * 4,
    ...                       "ikm": [71, 79, 70, 77, 71, 73, 70, 72]})
    >>> panel["post"] = panel["period_index"] == 1
    >>> section = did_section(panel, "ikm", labels={True: "trained", False: "comparison"},
    ...                       periods={0: "2024-S1", 1: "2024-S2"}, first_post=1, lang="en")
    >>> round(float(section.effect["estimate"]), 6), section.n_treated  # (78 - 70.5) - (72.5 - 70.5)
    (5.5, 2)
    """
    i = check_lang(lang, "did_section")
    words = words or OUTCOMES.get(outcome)
    if words is None:
        raise ParameterError(
            f"did_section: outcome {outcome!r} has no words; give words=OutcomeWords(...) "
            f"or one of {sorted(OUTCOMES)}"
        )
    effect = did(data, outcome, treated=treated, post=post, cluster=cluster)
    trend = data.groupby([treated, period], as_index=False)[outcome].mean()
    figure = period_lines(
        trend,
        x=period,
        y=outcome,
        group=treated,
        labels=labels,
        marker_line=first_post - 0.5,
        xticklabels=periods,
        xlabel="Semester",
        ylabel=words.ylabel[i],
        lang=lang,
    )
    n_treated = int(data.loc[data[treated].astype(bool), cluster].nunique())
    conclusion = did_conclusion(effect, words.what, lang, unit=words.unit, n_treated=n_treated)
    return DidSection(effect=effect, figure=figure, conclusion=conclusion, n_treated=n_treated)
