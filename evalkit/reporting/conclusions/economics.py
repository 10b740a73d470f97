"""ROI conclusions (Phillips Level 5): one cohort's return and the spread over cohorts.

:func:`roi_conclusion` words the base scenario of :func:`evalkit.roi_sensitivity`
with its range; :func:`roi_cohorts_conclusion` counts the cohorts above break-even.
Both say that the benefits are the participants' own estimates.

Examples
--------
>>> print(roi_cohorts_conclusion(pd.DataFrame({"roi_pct": []}), "en"))
No cohort has benefit estimates yet.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import pandas as pd

from evalkit.reporting.formats import fmt_idr, fmt_int, fmt_num, fmt_pct
from evalkit.reporting.sections import result_value
from evalkit.reporting.terms import Text, check_lang


def roi_conclusion(
    benefit: Mapping[str, Any] | pd.Series, scenarios: pd.DataFrame, lang: str = "id"
) -> Text:
    """Word the Phillips ROI of a cohort: benefits, costs, BCR, ROI % and its range.

    Parameters
    ----------
    benefit : Series
        :func:`evalkit.phillips_benefit` result (``n``, ``benefit_raw``,
        ``benefit_adjusted``).
    scenarios : DataFrame
        :func:`evalkit.roi_sensitivity` result, rows ``low, base, high``.

    Examples
    --------
    >>> from evalkit.metrics.economics import roi_sensitivity
    >>> b = {"n": 12, "benefit_raw": 90e6, "benefit_adjusted": 60e6}
    >>> print(roi_conclusion(b, roi_sensitivity((30e6, 60e6, 90e6), 50e6), "en"))
    From 12 participants' estimates, discounted for attribution and confidence, the training yields benefits of IDR 60,000,000 a year against costs of IDR 50,000,000: BCR = 1.20, ROI = 20% (range −40% to 80%). The benefits are estimates by the participants themselves: treat the ROI as indicative.
    """
    i = check_lang(lang, "roi_conclusion")
    g = functools.partial(result_value, benefit)
    base, low, high = scenarios.loc["base"], scenarios.loc["low"], scenarios.loc["high"]
    values = dict(
        n=fmt_int(g("n"), lang),
        benefit=fmt_idr(base["benefits"], lang),
        cost=fmt_idr(base["costs"], lang),
        bcr=fmt_num(base["bcr"], 2, lang),
        roi=fmt_pct(base["roi_pct"], 0, lang),
        low=fmt_pct(low["roi_pct"], 0, lang),
        high=fmt_pct(high["roi_pct"], 0, lang),
    )
    text = (
        "Dari estimasi {n} peserta, setelah dikoreksi atribusi dan tingkat keyakinan, "
        "pelatihan ini menghasilkan manfaat {benefit} per tahun terhadap biaya {cost}: "
        "BCR = {bcr}, ROI = {roi} (rentang {low} s.d. {high}). Manfaat adalah perkiraan "
        "peserta sendiri: perlakukan ROI ini sebagai indikatif.",
        "From {n} participants' estimates, discounted for attribution and confidence, the "
        "training yields benefits of {benefit} a year against costs of {cost}: BCR = {bcr}, "
        "ROI = {roi} (range {low} to {high}). The benefits are estimates by the participants "
        "themselves: treat the ROI as indicative.",
    )[i]
    return Text(text.format(**values))


def roi_cohorts_conclusion(returns: pd.DataFrame, lang: str = "id") -> Text:
    """Word the Phillips ROI of several cohorts: how many are above break-even.

    Parameters
    ----------
    returns : DataFrame
        One row per cohort with ``roi_pct`` (base scenario, from :func:`evalkit.roi`)
        and optionally ``roi_low_pct`` and ``roi_high_pct`` (the pessimistic and
        optimistic scenarios, as in :func:`evalkit.roi_sensitivity`).

    Examples
    --------
    >>> r = pd.DataFrame({"roi_pct": [120.0, 15.0, -30.0], "roi_low_pct": [10.0, -42.5, -65.0],
    ...                   "roi_high_pct": [250.0, 90.0, 20.0]}, index=["A", "B", "C"])
    >>> print(roi_cohorts_conclusion(r, "en"))
    Of 3 cohorts with benefit estimates, 2 are above break-even (ROI > 0%) in the base scenario and 1 even in the pessimistic one; ROI ranges from −30% to 120%. The benefits are the participants' own estimates: treat these ROIs as indicative.
    """
    i = check_lang(lang, "roi_cohorts_conclusion")
    valid = returns.dropna(subset=["roi_pct"])
    n = fmt_int(len(valid), lang)
    if valid.empty:
        return Text(
            "Belum ada angkatan dengan estimasi manfaat."
            if i == 0
            else "No cohort has benefit estimates yet."
        )
    above = fmt_int(int((valid["roi_pct"] > 0).sum()), lang)
    low = ""
    if "roi_low_pct" in valid and (valid["roi_pct"] > 0).any():
        k = fmt_int(int((valid["roi_low_pct"] > 0).sum()), lang)
        low = (
            f" dan {k} bahkan pada skenario pesimis"
            if i == 0
            else f" and {k} even in the pessimistic one"
        )
    lo, hi = fmt_pct(valid["roi_pct"].min(), 0, lang), fmt_pct(valid["roi_pct"].max(), 0, lang)
    zero = fmt_pct(0, 0, lang)
    if i == 0:
        return Text(
            f"Dari {n} angkatan yang memiliki estimasi manfaat, {above} berada di atas titik "
            f"impas (ROI > {zero}) pada skenario dasar{low}; ROI berkisar {lo} s.d. {hi}. "
            "Manfaat adalah perkiraan peserta sendiri: perlakukan ROI ini sebagai indikatif."
        )
    return Text(
        f"Of {n} cohorts with benefit estimates, {above} are above break-even (ROI > {zero}) in "
        f"the base scenario{low}; ROI ranges from {lo} to {hi}. The benefits are the "
        "participants' own estimates: treat these ROIs as indicative."
    )
