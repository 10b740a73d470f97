"""Level 4 unit outcomes in the impact study: difference-in-differences, trend, conclusion.

The impact study reports every unit outcome (public satisfaction IKM, service time,
complaints) the same way: the mean of trained and comparison units per period, the
difference-in-differences estimate with cluster-robust standard errors, and its worded
conclusion. :func:`impact_section` does that for one outcome, with the model its kind
calls for and few-cluster inference, so the notebook calls it once per outcome instead
of repeating the steps.

Examples
--------
>>> sorted(OUTCOMES)
['complaints', 'ikm', 'service_days']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from evalkit import constants as C
from evalkit.errors import ParameterError
from evalkit.metrics.counts import count_did, count_event_study, count_pretrend_test
from evalkit.metrics.impact import did, event_study, pretrend_test
from evalkit.metrics.inference import (
    randomization_ci,
    randomization_inference,
    wild_cluster_bootstrap,
)
from evalkit.metrics.multiplicity import adjust_p
from evalkit.metrics.treatment import period_window, treatment_cohorts, unit_training
from evalkit.reporting.conclusions.results import (
    count_conclusion,
    did_conclusion,
    inference_conclusion,
    mean_reversion,
    pretrend_conclusion,
    treated_conclusion,
)
from evalkit.reporting.disclosure import cell_label, is_small
from evalkit.reporting.figures import event_study_plot, period_lines
from evalkit.reporting.formats import fmt_int
from evalkit.reporting.ledger import estimates
from evalkit.reporting.tables import format_table
from evalkit.reporting.terms import Text, check_lang, term

__all__ = [
    "OUTCOMES",
    "ImpactSection",
    "OutcomeWords",
    "event_table",
    "impact_section",
    "inference_table",
    "section_estimates",
    "summary_table",
    "TreatmentOverview",
    "training_table",
    "transition_table",
    "treatment_overview",
]


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
    kind : {"score", "count"}, default "score"
        What the outcome is, which picks its model: a linear difference-in-differences
        for a score or a mean, a Poisson (or negative binomial) rate ratio for a count.
    """

    what: tuple[str, str]
    unit: tuple[str, str]
    ylabel: tuple[str, str]
    kind: str = "score"


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
        kind="count",
    ),
}


# --- the Level 4 section of one outcome: model by kind, event study, few-cluster checks ---
@dataclass(frozen=True)
class ImpactSection:
    """Everything the impact study shows and records for one outcome.

    Attributes
    ----------
    outcome, kind : str
        The outcome column and its kind (``"score"`` or ``"count"``).
    effect : Series
        :func:`evalkit.did` (scores) or :func:`evalkit.count_did` (counts).
    events : DataFrame
        The event study (:func:`evalkit.event_study` or :func:`evalkit.count_event_study`).
    pretrend : Series
        Its joint pre-trend test.
    ri : Series
        :func:`evalkit.randomization_inference` of the same model.
    wild : Series or None
        :func:`evalkit.wild_cluster_bootstrap` (scores only).
    figure, event_figure : Figure
        The trend of group means and the event-study plot.
    conclusion, pretrend_text, inference_text : Text
        The worded effect, the parallel-trends check and which inference it rests on.
    n_treated : int
        Trained units.
    method : str
        Model and inference, for the ledger's ``method``.
    event_caption : str
        The caption of its event-study table (:func:`event_table`), naming the outcome.
    reversion : (float, float) or None
        :func:`~evalkit.reporting.conclusions.results.mean_reversion` of its event study:
        the mean coefficient before the reference period and after the training (rate
        ratios for a count), when they signal regression to the mean; else None.
    """

    outcome: str
    kind: str
    effect: pd.Series
    events: pd.DataFrame
    pretrend: pd.Series
    ri: pd.Series
    wild: pd.Series | None
    figure: Any
    event_figure: Any
    conclusion: Text
    pretrend_text: Text
    inference_text: Text
    n_treated: int
    method: str
    event_caption: str = ""
    reversion: tuple[float, float] | None = None


#: Figure titles and the event table's caption of one outcome, as (Indonesian, English);
#: ``{what}`` is the outcome's name, capitalised.
_TITLES = {
    "trend": ("{what}: unit terlatih dan pembanding per semester",
              "{what}: trained and comparison units per semester"),
    "score": ("{what}: selisih terlatih − pembanding per periode",
              "{what}: trained − comparison difference per period"),
    "count": ("{what}: rasio laju terlatih / pembanding per periode",
              "{what}: rate ratio trained / comparison per period"),
    "table": ("{what}: studi peristiwa, {how} per periode",
              "{what}: event study, {how} per period"),
}  # fmt: skip


def _title(key: str, words: OutcomeWords, i: int) -> str:
    what = words.what[i][:1].upper() + words.what[i][1:]
    how = {("count", 0): "rasio laju", ("count", 1): "rate ratio",
           ("score", 0): "selisih", ("score", 1): "difference"}[words.kind, i]  # fmt: skip
    return _TITLES[key][i].format(what=what, how=how)


def _reversion(
    events: pd.DataFrame, first_post: Any, reference: Any, *, count: bool
) -> tuple[float, float] | None:
    """:func:`mean_reversion` of an event study, as rate ratios for a count outcome."""
    means = mean_reversion(events, first_post=first_post, reference=reference)
    if means is None or not count:
        return means
    return float(np.exp(means[0])), float(np.exp(means[1]))


def impact_section(
    data: pd.DataFrame,
    outcome: str,
    *,
    labels: Mapping[Any, str],
    periods: Mapping[Any, str],
    first_post: Any,
    lang: str = "id",
    words: OutcomeWords | None = None,
    treated: str = C.TREATED,
    post: str = C.POST,
    period: str = "period_index",
    cluster: str = C.UNIT,
    seed: int = 20240,
) -> ImpactSection:
    """One Level 4 outcome with the model its kind calls for and few-cluster inference.

    A score gets :func:`evalkit.did` and the event study :func:`evalkit.event_study`, a
    count :func:`evalkit.count_did` (Poisson, negative binomial when overdispersed) and
    :func:`evalkit.count_event_study`; both get the joint pre-trend test relative to the
    last period before ``first_post``, randomisation inference over the assignments of
    the trained units, and (scores) the wild cluster bootstrap.

    Parameters
    ----------
    data : DataFrame
        One row per unit x period.
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
    seed : int, default 20240
        Seed of the sampled assignments or weights (used only when they are not
        enumerated).

    Returns
    -------
    ImpactSection

    Raises
    ------
    ParameterError
        An outcome without words; as the metric functions.

    Examples
    --------
    >>> import pandas as pd
    >>> panel = pd.DataFrame({"unit": list("aaabbbcccdddeee"),
    ...                       "treated": [True] * 6 + [False] * 9,
    ...                       "period_index": [0, 1, 2] * 5,
    ...                       "complaints": [8, 9, 4, 6, 7, 3, 5, 6, 6, 7, 6, 7, 4, 5, 5]})
    >>> panel["post"] = panel["period_index"] == 2
    >>> s = impact_section(panel, "complaints", labels={True: "t", False: "c"},
    ...                    periods={0: "S1", 1: "S2", 2: "S3"}, first_post=2, lang="en")
    >>> s.kind, int(s.ri["n_assignments"]), s.wild is None
    ('count', 10, True)
    """
    i = check_lang(lang, "impact_section")
    words = words or OUTCOMES.get(outcome)
    if words is None:
        raise ParameterError(
            f"impact_section: outcome {outcome!r} has no words; give words=OutcomeWords(...) "
            f"or one of {sorted(OUTCOMES)}"
        )
    order = sorted(pd.unique(data[period]))
    before = [p for p in order if p < first_post]
    if not before:
        raise ParameterError(
            f"impact_section: no period before first_post={first_post!r}; an event study needs one"
        )
    reference = before[-1]
    where = dict(treated=treated, period=period, cluster=cluster)
    n_treated = int(data.loc[data[treated].astype(bool), cluster].nunique())
    if words.kind == "count":
        effect = count_did(data, outcome, treated, post, period, cluster)
        events = count_event_study(data, outcome, **where, reference=reference)
        pre = count_pretrend_test(
            data, outcome, **where, reference=reference, first_post=first_post
        )
        ri = randomization_inference(data, outcome, treated, post, period, cluster,
                                     model="poisson", seed=seed)  # fmt: skip
        wild = None
        conclusion = count_conclusion(effect, words.what, lang, n_treated=n_treated, caveat=False)
        shown = events.assign(estimate=events["rate_ratio"])
        ylabel = ("Rasio laju terlatih / pembanding" if i == 0
                  else "Rate ratio trained / comparison")  # fmt: skip
        model = ("Negative binomial" if effect["family"] == "negbin" else "Poisson") + " TWFE"
        event_figure = event_study_plot(shown, labels=periods, first_post=first_post,
                                        lang=lang, ylabel=ylabel, baseline=1.0, log=True,
                                        title=_title("count", words, i))  # fmt: skip
    else:
        # 13 or so units: CR2 with Satterthwaite df (Pustejovsky & Tipton 2018), and the
        # interval from inverting the randomisation test beside its p
        effect = did(data, outcome, treated=treated, post=post, cluster=cluster, vcov="CR2")
        events = event_study(data, outcome, **where, reference=reference)
        pre = pretrend_test(data, outcome, **where, reference=reference, first_post=first_post)
        ri = randomization_inference(data, outcome, treated, post, period, cluster, seed=seed)
        ri_ci = randomization_ci(data, outcome, treated, post, cluster, seed=seed)
        ri = pd.concat([ri, ri_ci[["ci_low", "ci_high", "connected"]]])
        wild = wild_cluster_bootstrap(data, outcome, treated, post, cluster, seed=seed)
        conclusion = did_conclusion(
            effect, words.what, lang, unit=words.unit, n_treated=n_treated, caveat=False
        )
        event_figure = event_study_plot(events, labels=periods, first_post=first_post,
                                        lang=lang, title=_title("score", words, i))  # fmt: skip
        model = "linear DiD (OLS)"
    how = "exact" if ri["exact"] else "sampled"
    se = ("CR2 cluster-robust SE by unit (CI: t, Satterthwaite "
          f"{effect['df']:.1f} df)" if words.kind != "count" else
          f"cluster-robust SE by unit (CI: t, {int(effect['n_clusters']) - 1} df)")  # fmt: skip
    method = f"{model}, {se}; p: randomisation inference ({int(ri['n_assignments']):,} {how} assignments)"
    trend = data.groupby([treated, period], as_index=False)[outcome].mean()
    figure = period_lines(trend, x=period, y=outcome, group=treated, labels=labels,
                          marker_line=first_post - 0.5, xticklabels=periods,
                          xlabel="Semester", ylabel=words.ylabel[i], lang=lang,
                          title=_title("trend", words, i))  # fmt: skip
    return ImpactSection(
        outcome=outcome,
        kind=words.kind,
        effect=effect,
        events=events,
        pretrend=pre,
        ri=ri,
        wild=wild,
        figure=figure,
        event_figure=event_figure,
        conclusion=conclusion,
        pretrend_text=pretrend_conclusion(
            pre,
            events,
            words.what,
            lang,
            first_post=first_post,
            reference=reference,
            log=words.kind == "count",
        ),  # fmt: skip
        inference_text=inference_conclusion(effect, ri, wild, lang),
        n_treated=n_treated,
        method=method,
        event_caption=_title("table", words, i),
        reversion=_reversion(events, first_post, reference, count=words.kind == "count"),
    )


def inference_table(sections: Sequence[ImpactSection], *, primary: str) -> pd.DataFrame:
    """One row per outcome: the estimate, its interval and every p, Holm over the secondary.

    The primary outcome's p is not adjusted; the secondary outcomes' randomisation p
    (the inference the conclusions rest on) are Holm-adjusted as one family
    (:func:`evalkit.adjust_p`).

    Parameters
    ----------
    sections : sequence of ImpactSection
    primary : str
        The declared primary outcome (e.g. ``"ikm"``).

    Returns
    -------
    DataFrame
        Indexed by outcome: ``role`` (``primary``/``secondary``), ``estimand``
        (``did`` or ``rate_ratio``), ``estimate, ci_low, ci_high, cluster_p, ri_p,
        wild_p, holm_p, pretrend_p, n_obs, n_clusters``.

    Raises
    ------
    ParameterError
        ``primary`` is not one of the sections' outcomes.

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace as NS
    >>> sec = [NS(outcome=o, kind="score", effect=pd.Series({"estimate": 1.0, "ci_low": 0.5,
    ...           "ci_high": 1.5, "p": 0.01, "n_obs": 20, "n_clusters": 10}),
    ...           ri=pd.Series({"p": p}), wild=None, pretrend=pd.Series({"p": 0.5}))
    ...        for o, p in [("ikm", 0.002), ("a", 0.01), ("b", 0.04)]]
    >>> inference_table(sec, primary="ikm")["holm_p"].tolist()
    [nan, 0.02, 0.04]
    """
    names = [s.outcome for s in sections]
    if primary not in names:
        raise ParameterError(
            f"inference_table: parameter 'primary' must be one of {names}, got {primary!r}"
        )
    rows = []
    for s in sections:
        count = s.kind == "count"
        e = s.effect
        rows.append(
            {
                "role": "primary" if s.outcome == primary else "secondary",
                "estimand": "rate_ratio" if count else "did",
                "estimate": float(e["rate_ratio"] if count else e["estimate"]),
                "ci_low": float(e["ci_low"]),
                "ci_high": float(e["ci_high"]),
                "cluster_p": float(e["p"]),
                "ri_p": float(s.ri["p"]),
                "wild_p": float(s.wild["p"]) if s.wild is not None else float("nan"),
                "pretrend_p": float(s.pretrend["p"]),
                "n_obs": int(e["n_obs"]),
                "n_clusters": int(e["n_clusters"]),
            }
        )
    out = pd.DataFrame(rows, index=pd.Index(names, name="outcome"))
    secondary = out["role"] == "secondary"
    out["holm_p"] = float("nan")
    if secondary.any():
        out.loc[secondary, "holm_p"] = adjust_p(
            out.loc[secondary, "ri_p"], method="holm"
        ).to_numpy()
    return out


def section_estimates(
    section: ImpactSection,
    table: pd.DataFrame,
    *,
    periods: Mapping[Any, str],
    outcome_name: str | None = None,
) -> pd.DataFrame:
    """Ledger rows (:func:`evalkit.reporting.estimates`) of everything a section shows.

    The effect (``did`` or ``rate_ratio``: cluster-robust CI, randomisation p, Holm p
    for a secondary outcome, ``primary`` from ``table``), the same estimate with the
    cluster-robust p and (scores) with the wild bootstrap p, each event-study period
    (``difference`` or ``rate_ratio``, cluster-robust CI and p, grouped by period name;
    the reference period has no row) and the joint pre-trend test (``pre_trend``:
    estimate = F, its p).

    Parameters
    ----------
    section : ImpactSection
    table : DataFrame
        :func:`inference_table` of the report (for ``role`` and ``holm_p``).
    periods : mapping
        Period index -> its name.
    outcome_name : str, optional
        The ledger's ``outcome`` (default: the outcome column).

    Examples
    --------
    >>> import pandas as pd
    >>> panel = pd.DataFrame({"unit": list("aaabbbcccdddeee"),
    ...                       "treated": [True] * 6 + [False] * 9,
    ...                       "period_index": [0, 1, 2] * 5,
    ...                       "ikm": [70.0, 71, 78, 72, 71, 79, 70, 71, 72, 73, 72, 73, 71, 70, 72]})
    >>> panel["post"] = panel["period_index"] == 2
    >>> s = impact_section(panel, "ikm", labels={True: "t", False: "c"},
    ...                    periods={0: "S1", 1: "S2", 2: "S3"}, first_post=2, lang="en")
    >>> rows = section_estimates(s, inference_table([s], primary="ikm"),
    ...                          periods={0: "S1", 1: "S2", 2: "S3"})
    >>> rows[["estimand", "group", "primary"]].values.tolist()
    [['did', '', True], ['did', '', False], ['did', '', False], ['difference', 'S1', False], ['difference', 'S3', False], ['pre_trend', '', False]]
    """
    name = outcome_name or section.outcome
    row = table.loc[section.outcome]
    count = section.kind == "count"
    units = int(section.effect["n_clusters"])
    main = estimates(
        section.effect,
        level=4,
        outcome=name,
        estimand="rate_ratio" if count else "did",
        method=section.method,
        estimate="rate_ratio" if count else "estimate",
        p=float(section.ri["p"]),
        p_adjusted=None if row["role"] == "primary" else float(row["holm_p"]),
        n="n_obs",
        n_clusters=units,
        group="",
        primary=row["role"] == "primary",
    )
    model_name = section.method.split(",")[0]
    same = dict(level=4, outcome=name, estimand="rate_ratio" if count else "did",
                estimate="rate_ratio" if count else "estimate", n="n_obs", n_clusters=units,
                group="")  # fmt: skip
    checks = [
        estimates(
            section.effect,
            **same,
            p="p",
            method=f"{model_name}; p: cluster-robust SE by unit, t with {units - 1} df"
            if count
            else f"{model_name}; p: CR2 cluster-robust SE by unit, t with Satterthwaite "
            f"{section.effect['df']:.1f} df",
        )  # fmt: skip
    ]
    if section.wild is not None:
        w = section.wild
        full = "all" if w["enumerated"] else "sampled"
        checks.append(
            estimates(
                section.effect,
                **same,
                p=float(w["p"]),
                method=f"{model_name}; p: wild cluster restricted bootstrap, "
                f"{w['weights']} weights, {full} {int(w['n_draws']):,} draws",
            )  # fmt: skip
        )
    ev = section.events.dropna(subset=["ci_low"]).rename(index=dict(periods))
    model = ("Poisson TWFE event study" if count
             else "event study (saturated OLS)")  # fmt: skip
    reference = [periods.get(k, k) for k in section.events.index[section.events["ci_low"].isna()]]
    ev_method = (
        f"{model}, relative to {', '.join(map(str, reference))}; cluster-robust SE by unit, "
        f"t with {units - 1} df"
    )
    events = estimates(
        ev.assign(n=ev["n_treated"] + ev["n_control"]),
        level=4,
        outcome=name,
        estimand="rate_ratio" if count else "difference",
        method=ev_method,
        estimate="rate_ratio" if count else "estimate",
        p="p",
        n="n",
        n_clusters=units,
        min_n=None,
    )
    pre = section.pretrend
    trend = estimates(
        pre,
        level=4,
        outcome=name,
        estimand="pre_trend",
        method=(
            f"joint Wald F test of the {int(pre['df1'])} pre-training event-study "
            f"coefficients, F({int(pre['df1'])}, {int(pre['df2'])}); cluster-robust by unit"
        ),
        estimate="statistic",
        ci=None,
        p="p",
        n=int(section.effect["n_obs"]),
        n_clusters=units,
        group="",
    )
    rows = [main, *checks, events, trend]
    if section.reversion is not None:  # the sign of regression to the mean, when present
        n_pre = int(np.flatnonzero(section.events["ci_low"].isna().to_numpy())[0])
        scale = "rate ratios" if count else "differences"
        rows.append(estimates(
            pd.Series({"pre_mean": section.reversion[0]}),
            level=4, outcome=name, estimand="mean_reversion", estimate="pre_mean", ci=None,
            n=int(section.effect["n_obs"]), n_clusters=units, group="", min_n=None,
            method=f"mean of the {n_pre} event-study {scale} before the reference period, "
            "all on the side of the post-training mean",
        ))  # fmt: skip
    return pd.concat(rows, ignore_index=True)


# --- display tables of the impact study ------------------------------------------------------
def _group_labels(flags: pd.Series, lang: str) -> list[str]:
    return [term("trained" if bool(v) else "comparison", lang) for v in flags]


def training_table(training: pd.DataFrame, lang: str = "id") -> pd.DataFrame:
    """Display copy of :func:`evalkit.unit_training`: staff counts under 5 are hidden.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"treated": [True, False], "n_defining": [6, 0], "n_other": [3, 12],
    ...                   "n_other_cohorts": [2, 9]}, index=pd.Index(["a", "b"], name="unit"))
    >>> training_table(t, "en").values.tolist()
    [['Trained units', '6', '< 5', '2'], ['Comparison units', '0', '12', '9']]
    """
    check_lang(lang, "training_table")
    out = pd.DataFrame(index=training.index)
    out[term("group", lang)] = _group_labels(training[C.TREATED], lang)
    for col in ("n_defining", "n_other"):
        values = training[col]
        hide = (values > 0) & is_small(values)
        out[term(col, lang)] = [
            cell_label() if h else fmt_int(v, lang) for v, h in zip(values, hide, strict=True)
        ]
    out[term("n_other_cohorts", lang)] = [fmt_int(v, lang) for v in training["n_other_cohorts"]]
    out.index.name = term(str(training.index.name), lang) if training.index.name else None
    return out


def event_table(
    section: ImpactSection, periods: Mapping[Any, str], lang: str = "id"
) -> pd.DataFrame:
    """Display copy of a section's event study: n per group, the estimate, CI and p.

    Rate ratios for a count outcome, differences for a score.

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace as NS
    >>> ev = pd.DataFrame({"n_treated": [5, 5], "n_control": [8, 8], "estimate": [0.0, 2.5],
    ...                    "ci_low": [float("nan"), 1.0], "ci_high": [float("nan"), 4.0],
    ...                    "p": [float("nan"), 0.01]}, index=pd.Index([0, 1], name="period_index"))
    >>> event_table(NS(kind="score", events=ev), {0: "2024-S1", 1: "2024-S2"}, "en").iloc[1].tolist()
    ['5', '8', '2.50', '1.00', '4.00', '.010']
    """
    check_lang(lang, "event_table")
    count = section.kind == "count"
    shown = section.events.rename(index=dict(periods)).rename_axis("period")
    if count:
        shown = shown.drop(columns="estimate")
    else:
        shown = shown.rename(columns={"estimate": "difference"})
    first = "rate_ratio" if count else "difference"
    table = format_table(
        shown,
        lang,
        columns=["n_treated", "n_control", first, "ci_low", "ci_high", "p"],
        integer=["n_treated", "n_control"],
    )
    if getattr(section, "event_caption", ""):
        table.attrs["caption"] = section.event_caption  # the report's "Tabel N." caption
    return table


def transition_table(transitions: pd.DataFrame, lang: str = "id") -> pd.DataFrame:
    """Display copy of :func:`evalkit.ikm_transitions`.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"treated": [True], "ikm_pre": [74.5], "grade_pre": ["C"],
    ...                   "ikm_post": [81.0], "grade_post": ["B"], "transition": ["C → B"],
    ...                   "change": [6.5]}, index=pd.Index(["a"], name="unit"))
    >>> transition_table(t, "en").iloc[0].tolist()
    ['Trained units', '74.5', 'C', '81.0', 'B', 'C → B', '6.5']
    """
    check_lang(lang, "transition_table")
    cols = ["ikm_pre", "grade_pre", "ikm_post", "grade_post", "transition", "change"]
    out = format_table(transitions, lang, columns=cols, decimals=1)
    out.insert(0, term("group", lang), _group_labels(transitions[C.TREATED], lang))
    return out


def summary_table(summary: pd.DataFrame, lang: str = "id") -> pd.DataFrame:
    """Display copy of :func:`inference_table`.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"role": ["primary"], "estimand": ["did"], "estimate": [6.28],
    ...                   "ci_low": [5.17], "ci_high": [7.4], "cluster_p": [4e-8],
    ...                   "ri_p": [1 / 1287], "wild_p": [2 / 8192], "holm_p": [float("nan")],
    ...                   "pretrend_p": [0.85], "n_obs": [78], "n_clusters": [13]},
    ...                  index=pd.Index(["ikm"], name="outcome"))
    >>> summary_table(s, "en").iloc[0].tolist()[:4]
    ['primary', 'Difference-in-differences', '6.28', '5.17']
    """
    cols = ["role", "estimand", "estimate", "ci_low", "ci_high", "cluster_p", "ri_p",
            "wild_p", "holm_p", "pretrend_p", "n_units"]  # fmt: skip
    shown = summary.rename(columns={"n_clusters": "n_units"})  # the clusters are units
    return format_table(shown, lang, columns=cols, integer=["n_units"])


@dataclass(frozen=True)
class TreatmentOverview:
    """What "trained" means in an impact study (:func:`treatment_overview`).

    Attributes
    ----------
    cohorts : DataFrame
        :func:`evalkit.treatment_cohorts`.
    training : DataFrame
        :func:`evalkit.unit_training` with the defining cohorts.
    window : (Timestamp, Timestamp) or None
        The study window, when the period labels give one.
    conclusion : Text
        :func:`evalkit.reporting.treated_conclusion`.
    table : DataFrame
        :func:`training_table`.
    """

    cohorts: pd.DataFrame
    training: pd.DataFrame
    window: tuple[pd.Timestamp, pd.Timestamp] | None
    conclusion: Text
    table: pd.DataFrame


def treatment_overview(
    participants: pd.DataFrame,
    cohorts: pd.DataFrame,
    design: pd.DataFrame,
    lang: str = "id",
    *,
    period: str = C.PERIOD,
) -> TreatmentOverview:
    """The program and cohorts behind "trained", and the training of comparison units.

    The study window is :func:`evalkit.period_window` of the design's ``period`` labels
    (``"2024-S1"``); labels of another form give no window, and then every cohort counts.

    Examples
    --------
    >>> import pandas as pd
    >>> design = pd.DataFrame({"unit": ["a", "b"], "treated": [True, False],
    ...                        "period": ["2024-S1", "2024-S2"]})
    >>> parts = pd.DataFrame({"cohort_id": ["X"] * 6, "participant_id": list("pqrstu"),
    ...                       "unit": ["a"] * 6})
    >>> cohs = pd.DataFrame({"cohort_id": ["X"], "program_id": ["P"], "program_name": ["Prima"],
    ...                      "start_date": pd.to_datetime(["2024-03-04"])})
    >>> treatment_overview(parts, cohs, design, "en").cohorts["defines_treated"].tolist()
    [True]
    """
    check_lang(lang, "treatment_overview")
    used = treatment_cohorts(participants, cohorts, design)
    try:
        window = period_window(pd.unique(design[period]))
    except ParameterError:
        window = None
    training = unit_training(
        participants, cohorts, design, window=window,
        defining=used.index[used["defines_treated"].astype(bool)],
    )  # fmt: skip
    return TreatmentOverview(
        cohorts=used,
        training=training,
        window=window,
        conclusion=treated_conclusion(used, training, lang),
        table=training_table(training, lang),
    )
