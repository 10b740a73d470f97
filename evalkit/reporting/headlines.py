"""The headline numbers of each kind of report, as typed records.

A report notebook fills one headline from library results (a cohort report a
:class:`CohortHeadline`, the program overview an :class:`OverviewHeadline`, the impact
study an :class:`ImpactHeadline`) and records it with
:func:`evalkit.reporting.record.record`. The runner keeps the recorded values in the
report's state file; ``reports/index.html`` and the study's ``headline`` sheet read
them back. Every field is a recorded key, so the names declared here are the names in
the executed notebooks, the state files and ``tables/headline.csv``.

A field left at ``None`` was not measured (its section had no data) and is not
recorded; a measured value that is undefined is NaN and is recorded as ``null``.

Examples
--------
>>> h = CohortHeadline(study="demo", cohort_id="C01", program_name="Pelayanan", n=24)
>>> h = h.replace(kr20=0.81)
>>> h.to_record()
{'study': 'demo', 'cohort_id': 'C01', 'program_name': 'Pelayanan', 'n': 24, 'kr20': 0.81}
>>> headline_from_record("cohort", h.to_record()).kr20
0.81
"""

from __future__ import annotations

import dataclasses
import functools
import math
import typing
from collections.abc import Mapping
from typing import Any, Self

from evalkit.errors import ParameterError

__all__ = [
    "HEADLINES",
    "CohortHeadline",
    "Headline",
    "ImpactHeadline",
    "OverviewHeadline",
    "headline_from_record",
]


def _coerce(kind: type, value: Any) -> Any:
    """``value`` as the plain Python ``kind`` (numpy scalars included), or ValueError."""
    if isinstance(value, bool) and kind is not bool:
        raise ValueError("a boolean is not a number")
    if kind is float:
        return float(value)
    if kind is int:
        number = float(value)
        if not math.isfinite(number) or not number.is_integer():
            raise ValueError(f"{value!r} is not a whole number")
        return int(number)
    if kind is str:
        if not isinstance(value, str):
            raise ValueError(f"{value!r} is not text")
        return str(value)
    raise ValueError(f"no rule for {kind!r}")  # pragma: no cover - fields are float/int/str


@functools.cache
def _field_kinds(cls: type) -> dict[str, type]:
    """Field name -> its plain type (``float | None`` -> ``float``)."""
    kinds = {}
    for name, hint in typing.get_type_hints(cls).items():
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        kinds[name] = args[0] if args else hint
    return kinds


@dataclasses.dataclass(frozen=True, kw_only=True)
class Headline:
    """The headline numbers every report records.

    Attributes
    ----------
    study : str
        The study's name.
    title : str, optional
        The report's title (also the HTML page's title).
    """

    study: str
    title: str | None = None

    def __post_init__(self) -> None:
        for name, kind in _field_kinds(type(self)).items():
            value = getattr(self, name)
            if value is None:
                continue
            try:
                object.__setattr__(self, name, _coerce(kind, value))
            except (TypeError, ValueError) as err:
                raise ParameterError(
                    f"{type(self).__name__}: field {name!r} must be {kind.__name__}, "
                    f"got {value!r} ({err})"
                ) from None

    def replace(self, **changes: Any) -> Self:
        """A copy with some fields set (numpy and pandas scalars become plain values)."""
        try:
            return dataclasses.replace(self, **changes)
        except TypeError as err:  # an unknown field
            raise ParameterError(f"{type(self).__name__}.replace: {err}") from None

    def to_record(self) -> dict[str, Any]:
        """The recorded values: every field that is not ``None``, in declaration order."""
        return {
            f.name: getattr(self, f.name)
            for f in dataclasses.fields(self)
            if getattr(self, f.name) is not None
        }

    @classmethod
    def from_record(cls, values: Mapping[str, Any] | None) -> Self:
        """Read recorded values back (JSON ``null`` -> ``None``).

        A field the record lacks is ``None`` (even one a notebook must fill), keys this
        kind does not declare are ignored, and a value that does not fit its field is
        read as ``None``: an old or foreign state file never breaks the index.
        """
        values = values or {}
        known: dict[str, Any] = {}
        for name, kind in _field_kinds(cls).items():
            value = values.get(name)
            try:
                known[name] = None if value is None else _coerce(kind, value)
            except (TypeError, ValueError):
                known[name] = None
        return cls(**known)


@dataclasses.dataclass(frozen=True, kw_only=True)
class CohortHeadline(Headline):
    """Headline numbers of one cohort's report (``cohort_report.ipynb``).

    Attributes
    ----------
    cohort_id, program_name : str
        The cohort and its program.
    n : int
        Participants.
    reaction_n, reaction_n_responses, reaction_mean, reaction_sd, reaction_ci_low,
    reaction_ci_high, reaction_pct_top_box, reaction_index, reaction_scale_max : float
        The :func:`evalkit.scale_scores` row of all reaction answers pooled
        (``reaction_index`` is its ``pomp``, 0-100).
    alpha, alpha_ci_low, alpha_ci_high : float
        :func:`evalkit.cronbach_alpha` of the reaction items.
    mean_pre, ..., hake_g_mean : float
        The :func:`evalkit.paired_change` columns other than ``n``; ``n_pairs`` is its
        ``n``.
    kr20 : float
        KR-20 of the knowledge test (:func:`evalkit.test_item_analysis`).
    mde : float
        Minimum detectable effect (d_z) for the number of pairs.
    transfer_index, icc : float
        Transfer index of the last follow-up wave and the raters' ICC.
    implementation_rate : float
        Share of change projects implemented at the last wave.
    total_cost, cost_per_participant, cost_per_gain_point : float
        From :func:`evalkit.cost_summary`.
    cost_cash, cost_participant_time, cost_other : float
        The total cost by kind (:func:`evalkit.cost_items`).
    bcr, roi_pct : float
        The base scenario of :func:`evalkit.roi_scenarios` (Phillips-adjusted).
    bcr_ci_low, bcr_ci_high, roi_ci_low, roi_ci_high : float
        Their bootstrap 95% CIs (:func:`evalkit.roi_bootstrap`).
    break_even : str
        ``above``, ``below`` or ``indistinguishable`` (:func:`evalkit.break_even`).
    n_benefit_respondents, n_benefit_unit_rows : int
        People who gave a benefit estimate, and unit-level estimates.
    withheld : str
        ``"reaction"`` when the group-level rule withheld the cohort's reaction results
        (:func:`evalkit.reporting.disclosure.reaction_withheld`): no ``reaction_*`` or
        ``alpha`` number is recorded, and the index says why.
    """

    cohort_id: str
    program_name: str
    n: int
    reaction_n: float | None = None
    reaction_n_responses: float | None = None
    reaction_mean: float | None = None
    reaction_sd: float | None = None
    reaction_ci_low: float | None = None
    reaction_ci_high: float | None = None
    reaction_pct_top_box: float | None = None
    reaction_index: float | None = None
    reaction_scale_max: float | None = None
    alpha: float | None = None
    alpha_ci_low: float | None = None
    alpha_ci_high: float | None = None
    mean_pre: float | None = None
    mean_post: float | None = None
    mean_diff: float | None = None
    sd_diff: float | None = None
    t: float | None = None
    df: float | None = None
    p: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    d_z: float | None = None
    d_av: float | None = None
    hedges_g: float | None = None
    hedges_g_ci_low: float | None = None
    hedges_g_ci_high: float | None = None
    wilcoxon_n: float | None = None
    wilcoxon_w: float | None = None
    wilcoxon_z: float | None = None
    wilcoxon_p: float | None = None
    hake_g: float | None = None
    hake_g_mean: float | None = None
    n_pairs: float | None = None
    kr20: float | None = None
    mde: float | None = None
    transfer_index: float | None = None
    icc: float | None = None
    implementation_rate: float | None = None
    total_cost: float | None = None
    cost_per_participant: float | None = None
    cost_per_gain_point: float | None = None
    bcr: float | None = None
    roi_pct: float | None = None
    cost_cash: float | None = None
    cost_participant_time: float | None = None
    cost_other: float | None = None
    bcr_ci_low: float | None = None
    bcr_ci_high: float | None = None
    roi_ci_low: float | None = None
    roi_ci_high: float | None = None
    break_even: str | None = None
    n_benefit_respondents: int | None = None
    n_benefit_unit_rows: int | None = None
    withheld: str | None = None

    def with_reaction(self, overall: Mapping[str, Any]) -> Self:
        """Set the ``reaction_*`` fields from the pooled :func:`evalkit.scale_scores` row."""
        return self.replace(
            reaction_n=overall["n"],
            reaction_n_responses=overall["n_responses"],
            reaction_mean=overall["mean"],
            reaction_sd=overall["sd"],
            reaction_ci_low=overall["ci_low"],
            reaction_ci_high=overall["ci_high"],
            reaction_pct_top_box=overall["pct_top_box"],
            reaction_index=overall["pomp"],
            reaction_scale_max=overall["scale_max"],
        )

    def with_reliability(self, alpha: Mapping[str, Any]) -> Self:
        """Set ``alpha`` and its CI from :func:`evalkit.cronbach_alpha`."""
        return self.replace(
            alpha=alpha["alpha"], alpha_ci_low=alpha["ci_low"], alpha_ci_high=alpha["ci_high"]
        )

    def with_learning(self, change: Mapping[str, Any]) -> Self:
        """Set the learning fields from a :func:`evalkit.paired_change` result."""
        names = (
            "mean_pre mean_post mean_diff sd_diff t df p ci_low ci_high d_z d_av hedges_g "
            "hedges_g_ci_low hedges_g_ci_high wilcoxon_n wilcoxon_w wilcoxon_z wilcoxon_p "
            "hake_g hake_g_mean"
        ).split()
        return self.replace(n_pairs=change["n"], **{name: change[name] for name in names})

    def with_costs(self, costs: Mapping[str, Any], items: Mapping[str, Any] | None = None) -> Self:
        """Set the cost fields from :func:`evalkit.cost_summary` (and :func:`evalkit.cost_items`)."""
        out = self.replace(
            total_cost=costs["total_cost"],
            cost_per_participant=costs["cost_per_participant"],
            cost_per_gain_point=costs["cost_per_gain_point"],
        )
        if items is None:
            return out
        return out.replace(
            cost_cash=items["cash"],
            cost_participant_time=items["participant_time"],
            cost_other=items["other"],
        )

    def with_roi(self, scenarios: Any, interval: Mapping[str, Any] | None = None) -> Self:
        """Set ``bcr`` and ``roi_pct`` from the base row of :func:`evalkit.roi_scenarios`.

        With ``interval`` (:func:`evalkit.roi_bootstrap` of the cohort), also their CIs,
        the break-even statement and the counts of respondents and unit-level rows.
        """
        out = self.replace(
            bcr=scenarios.loc["base", "bcr"], roi_pct=scenarios.loc["base", "roi_pct"]
        )
        if interval is None:
            return out
        return out.replace(
            bcr_ci_low=interval["bcr_ci_low"],
            bcr_ci_high=interval["bcr_ci_high"],
            roi_ci_low=interval["roi_ci_low"],
            roi_ci_high=interval["roi_ci_high"],
            break_even=str(interval["break_even"]),
            n_benefit_respondents=interval["n_respondents"],
            n_benefit_unit_rows=interval["n_unit_rows"],
        )


@dataclasses.dataclass(frozen=True, kw_only=True)
class OverviewHeadline(Headline):
    """Headline numbers of the program overview (``program_overview.ipynb``).

    Attributes
    ----------
    n_cohorts, n : int
        Cohorts and participants of the study.
    delivery_welch_p, delivery_eta_sq : float
        Welch's ANOVA p and η² of score gains by delivery method (cohort means).
    relevance_diff, relevance_p : float
        Practitioner minus academic relevance (0-100, cohort means) and its p.
    trend_gain_welch_p : float
        Welch's ANOVA p of score gains by year.
    jp_year : int
        The year of the 20-JP compliance table.
    n_cohorts_bcr_above_1, n_cohorts_bcr_below_1, n_cohorts_bcr_indistinguishable : int
        Cohorts above break-even (the lower bound of the BCR's 95% CI above 1), below
        it (the upper bound below 1), and neither (:func:`evalkit.break_even`).
    portfolio_bcr, portfolio_bcr_ci_low, portfolio_bcr_ci_high, portfolio_roi_pct,
    portfolio_roi_ci_low, portfolio_roi_ci_high : float
        BCR and ROI % of all cohorts with estimates, with their bootstrap 95% CIs.
    """

    n_cohorts: int
    n: int
    delivery_welch_p: float | None = None
    delivery_eta_sq: float | None = None
    relevance_diff: float | None = None
    relevance_p: float | None = None
    trend_gain_welch_p: float | None = None
    jp_year: int | None = None
    n_cohorts_bcr_above_1: int | None = None
    n_cohorts_bcr_below_1: int | None = None
    n_cohorts_bcr_indistinguishable: int | None = None
    portfolio_bcr: float | None = None
    portfolio_bcr_ci_low: float | None = None
    portfolio_bcr_ci_high: float | None = None
    portfolio_roi_pct: float | None = None
    portfolio_roi_ci_low: float | None = None
    portfolio_roi_ci_high: float | None = None

    def with_roi(self, returns: Any, portfolio: Mapping[str, Any] | None = None) -> Self:
        """Set the break-even counts from :func:`evalkit.roi_bootstrap` by cohort.

        A cohort counts as above break-even only when the lower bound of its BCR's CI
        is above 1, below only when the upper bound is below 1. With ``portfolio``
        (:func:`evalkit.roi_bootstrap` without ``by``), also the portfolio's BCR and ROI.
        """
        verdict = list(returns["break_even"])
        out = self.replace(
            n_cohorts_bcr_above_1=verdict.count("above"),
            n_cohorts_bcr_below_1=verdict.count("below"),
            n_cohorts_bcr_indistinguishable=verdict.count("indistinguishable"),
        )
        if portfolio is None:
            return out
        return out.replace(
            portfolio_bcr=portfolio["bcr"],
            portfolio_bcr_ci_low=portfolio["bcr_ci_low"],
            portfolio_bcr_ci_high=portfolio["bcr_ci_high"],
            portfolio_roi_pct=portfolio["roi_pct"],
            portfolio_roi_ci_low=portfolio["roi_ci_low"],
            portfolio_roi_ci_high=portfolio["roi_ci_high"],
        )


@dataclasses.dataclass(frozen=True, kw_only=True)
class ImpactHeadline(Headline):
    """Headline numbers of the impact study (``impact_study.ipynb``).

    Attributes
    ----------
    did_ikm_estimate, did_ikm_se, did_ikm_t, did_ikm_df, did_ikm_p, did_ikm_ci_low,
    did_ikm_ci_high, did_ikm_n_obs, did_ikm_n_clusters : float
        The :func:`evalkit.did` result for the units' IKM.
    did_days, did_complaints : float
        Linear DiD estimates for service time (days) and complaints; the impact study
        now models complaints as a count (``complaints_rate_ratio``) and leaves
        ``did_complaints`` unset.
    ri_p_ikm, wild_p_ikm : float
        Randomisation-inference and wild-cluster-bootstrap p of the IKM DiD.
    complaints_rate_ratio, complaints_rr_ci_low, complaints_rr_ci_high : float
        Rate ratio of complaints (:func:`evalkit.count_did`) and its CI.
    icc_units : float
        Share of the variance of score gains between units (:func:`evalkit.multilevel`).
    icc_units_ci_low, icc_units_ci_high : float
        Its F interval.
    mde_units : float
        Minimum detectable difference of unit means (d).
    n_units : int
        Units in the study.
    """

    did_ikm_estimate: float | None = None
    did_ikm_se: float | None = None
    did_ikm_t: float | None = None
    did_ikm_df: float | None = None
    did_ikm_p: float | None = None
    did_ikm_ci_low: float | None = None
    did_ikm_ci_high: float | None = None
    did_ikm_n_obs: float | None = None
    did_ikm_n_clusters: float | None = None
    did_days: float | None = None
    did_complaints: float | None = None
    icc_units: float | None = None
    ri_p_ikm: float | None = None
    wild_p_ikm: float | None = None
    complaints_rate_ratio: float | None = None
    complaints_rr_ci_low: float | None = None
    complaints_rr_ci_high: float | None = None
    icc_units_ci_low: float | None = None
    icc_units_ci_high: float | None = None
    mde_units: float | None = None
    n_units: int | None = None

    def with_did(self, outcome: str, effect: Mapping[str, Any]) -> Self:
        """Set the DiD fields of ``outcome`` (``ikm``, ``service_days``, ``complaints``).

        For the IKM every :func:`evalkit.did` value is kept, for the others the estimate.
        """
        if outcome == "ikm":
            return self.replace(
                did_ikm_estimate=effect["estimate"],
                did_ikm_se=effect["se"],
                did_ikm_t=effect["t"],
                did_ikm_df=effect["df"],
                did_ikm_p=effect["p"],
                did_ikm_ci_low=effect["ci_low"],
                did_ikm_ci_high=effect["ci_high"],
                did_ikm_n_obs=effect["n_obs"],
                did_ikm_n_clusters=effect["n_clusters"],
            )
        fields = {"service_days": "did_days", "complaints": "did_complaints"}
        if outcome not in fields:
            raise ParameterError(
                f"ImpactHeadline.with_did: parameter 'outcome' must be one of "
                f"['ikm', {', '.join(map(repr, fields))}], got {outcome!r}"
            )
        return self.replace(**{fields[outcome]: effect["estimate"]})


#: Report kind (as in ``evalkit.run.plan.KINDS``) -> its headline type.
HEADLINES: dict[str, type[Headline]] = {
    "cohort": CohortHeadline,
    "overview": OverviewHeadline,
    "impact": ImpactHeadline,
}


def headline_from_record(kind: str | None, values: Mapping[str, Any] | None) -> Headline:
    """The typed headline of a report of ``kind`` from its recorded values.

    An unknown kind gives the common :class:`Headline` (study and title only).

    Examples
    --------
    >>> h = headline_from_record("impact", {"study": "demo", "did_ikm_estimate": 6.3})
    >>> type(h).__name__, h.did_ikm_estimate, h.did_days
    ('ImpactHeadline', 6.3, None)
    """
    return HEADLINES.get(kind or "", Headline).from_record(values)
