"""Level 4 conclusions: difference-in-differences of unit outcomes and 20-JP compliance.

:func:`did_conclusion` words :func:`evalkit.did` and warns when there are fewer than
:data:`FEW_CLUSTERS` units, whose cluster-robust standard errors can be too small;
:func:`compliance_note` says which year and which staff a compliance table
describes, and how its small rates are suppressed
(:mod:`evalkit.reporting.disclosure`).

Examples
--------
>>> FEW_CLUSTERS
30
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from evalkit import constants as C
from evalkit.metrics.impact import rate_change
from evalkit.reporting.disclosure import cell_label
from evalkit.reporting.formats import fmt_ci, fmt_date, fmt_int, fmt_num, fmt_p
from evalkit.reporting.sections import result_value
from evalkit.reporting.terms import Text, check_lang, is_missing, term


def did_conclusion(
    result: Mapping[str, Any] | pd.Series,
    what: tuple[str, str],
    lang: str = "id",
    *,
    decimals: int = 1,
    unit: tuple[str, str] = ("poin", "points"),
    n_treated: Any = None,
    caveat: bool = True,
) -> Text:
    """Word a difference-in-differences estimate (:func:`evalkit.did`).

    With fewer than :data:`FEW_CLUSTERS` units (clusters) the sentence adds a caveat:
    cluster-robust standard errors from few clusters, and especially from few trained
    ones, are often too small, so the interval is too narrow and p too small
    (Cameron & Miller 2015; MacKinnon & Webb 2017). ``n_treated`` (trained units)
    is named in the caveat. ``caveat=False`` leaves it out, for a report that shows the
    few-cluster inference itself (:func:`inference_conclusion`).

    Examples
    --------
    >>> res = {"estimate": 6.28, "ci_low": 5.17, "ci_high": 7.40, "t": 12.27, "df": 12,
    ...        "p": 4e-8, "n_obs": 78, "n_clusters": 13}
    >>> print(did_conclusion(res, ("IKM", "public satisfaction (IKM)"), "en", n_treated=5))
    After training, public satisfaction (IKM) in trained units rose by 6.3 points more than in comparison units (difference-in-differences, 95% CI 5.2 to 7.4; standard errors clustered by unit, 13 units, 78 observations); t(12) = 12.27, p < .001. **Caution:** with only 13 units, 5 of them trained, cluster-robust standard errors can be too small, so the interval may be too narrow and p too small; read the size and direction of the difference rather than its p value, and confirm with more units or a wild cluster bootstrap.
    """
    i = check_lang(lang, "did_conclusion")
    g = functools.partial(result_value, result)
    est = float(g("estimate"))
    ci = fmt_ci(g("ci_low"), g("ci_high"), decimals, lang)
    sep = "; " if i == 0 else ", "
    df = float(g("df"))  # Satterthwaite's df (CR2) is not a whole number
    df_text = fmt_num(df, 0 if df.is_integer() else 1, lang)
    test = f"t({df_text}) = {fmt_num(g('t'), 2, lang)}{sep}{fmt_p(g('p'), lang)}"
    size = fmt_num(abs(est), decimals, lang)
    significant = float(g("ci_low")) > 0 or float(g("ci_high")) < 0
    n_units, n_obs = fmt_int(g("n_clusters"), lang), fmt_int(g("n_obs"), lang)
    if i == 0:
        verb = "naik" if est > 0 else "turun"
        body = (
            f"Setelah pelatihan, {what[0]} unit yang dilatih {verb} {size} {unit[0]} lebih "
            "banyak daripada unit pembanding"
            if significant
            else f"Setelah pelatihan, perubahan {what[0]} unit yang dilatih tidak berbeda "
            f"bermakna dari unit pembanding (selisih {fmt_num(est, decimals, lang, sign=True)} "
            f"{unit[0]})"
        )
        text = (
            f"{body} (selisih-dari-selisih, {ci}; galat baku dikelompokkan per unit, "
            f"{n_units} unit; {n_obs} pengamatan); {test}."
        )
        return Text(text + (_few_clusters(g("n_clusters"), n_treated, lang) if caveat else ""))
    verb = "rose" if est > 0 else "fell"
    body = (
        f"After training, {what[1]} in trained units {verb} by {size} {unit[1]} more than in "
        "comparison units"
        if significant
        else f"After training, the change in {what[1]} in trained units did not differ "
        f"significantly from comparison units ({fmt_num(est, decimals, lang, sign=True)} "
        f"{unit[1]})"
    )
    text = (
        f"{body} (difference-in-differences, {ci}; standard errors clustered by unit, "
        f"{n_units} units, {n_obs} observations); {test}."
    )
    return Text(text + (_few_clusters(g("n_clusters"), n_treated, lang) if caveat else ""))


#: Below this many clusters a DiD conclusion warns that cluster-robust SEs may be too small.
FEW_CLUSTERS = 30


def _few_clusters(n_clusters: Any, n_treated: Any, lang: str) -> str:
    if is_missing(n_clusters) or int(n_clusters) >= FEW_CLUSTERS:
        return ""
    i = check_lang(lang, "did_conclusion")
    g = fmt_int(n_clusters, lang)
    if i == 0:
        of = "" if n_treated is None else f", {fmt_int(n_treated, lang)} di antaranya dilatih"
        return (
            f" **Perhatian:** dengan hanya {g} unit{of}, galat baku klaster dapat terlalu "
            "kecil, sehingga IK dapat terlalu sempit dan p terlalu kecil; baca besar dan arah "
            "selisihnya, bukan nilai p-nya, dan pastikan dengan lebih banyak unit atau "
            "*wild cluster bootstrap*."
        )
    of = "" if n_treated is None else f", {fmt_int(n_treated, lang)} of them trained"
    return (
        f" **Caution:** with only {g} units{of}, cluster-robust standard errors can be too "
        "small, so the interval may be too narrow and p too small; read the size and "
        "direction of the difference rather than its p value, and confirm with more units "
        "or a wild cluster bootstrap."
    )


def compliance_note(year: Any, lang: str = "id", *, min_cell: int = C.MIN_CELL_SIZE) -> Text:
    """Say which year a 20-JP compliance table shows and whom its rates are among.

    The study knows only staff who took part in a training of the study; staff
    trained only in earlier years would count with 0 JP, so the denominator is the
    staff with a training record in the year shown or the year before.

    Examples
    --------
    >>> print(compliance_note(2025, "en"))  # doctest: +ELLIPSIS
    Year 2025. Compliance is among staff who took part in a training of this study in 2024 or 2025, not among all staff of the unit: ...
    """
    i = check_lang(lang, "compliance_note")
    y, prev = int(year), int(year) - 1
    small = cell_label(min_cell=min_cell)
    if i == 0:
        return Text(
            f"Tahun {y}. Kepatuhan dihitung di antara pegawai yang mengikuti pelatihan dalam "
            f"studi ini pada {prev} atau {y}, bukan di antara seluruh pegawai unit: studi ini "
            "tidak memiliki daftar pegawai, dan JP dari pelatihan di luar studi tidak tercatat, "
            f"sehingga angka ini batas bawah. Persentase yang menggambarkan kurang dari {min_cell} "
            f'orang (patuh atau tidak patuh) ditampilkan sebagai "{small}"; IK 95% Wilson.'
        )
    return Text(
        f"Year {y}. Compliance is among staff who took part in a training of this study in "
        f"{prev} or {y}, not among all staff of the unit: the study has no staff roster, and "
        "JP from trainings outside the study are not recorded, so these rates are a lower "
        f"bound. Rates that would describe fewer than {min_cell} people (compliant or not) "
        f'are shown as "{small}"; Wilson 95% CI.'
    )


# --- Level 4 inference: counts, pre-trends, few clusters, what was evaluated ---------------
def count_conclusion(
    result: Mapping[str, Any] | pd.Series,
    what: tuple[str, str],
    lang: str = "id",
    *,
    n_treated: Any = None,
    caveat: bool = True,
) -> Text:
    """Word a rate ratio of a count outcome (:func:`evalkit.count_did`).

    With fewer than :data:`FEW_CLUSTERS` units the few-cluster caveat of
    :func:`did_conclusion` follows, unless ``caveat=False``.

    Examples
    --------
    >>> res = {"rate_ratio": 0.42, "ci_low": 0.29, "ci_high": 0.63, "family": "poisson",
    ...        "n_obs": 78, "n_clusters": 13, "overdispersion_p": 1.0}
    >>> print(count_conclusion(res, ("pengaduan", "complaints"), "en"))  # doctest: +ELLIPSIS
    After training, trained units had 0.42 times the comparison units' rate of complaints (58% fewer; rate ratio, 95% CI 0.29 to 0.63; Poisson regression with unit and period fixed effects, ...
    """
    i = check_lang(lang, "count_conclusion")
    g = functools.partial(result_value, result)
    rr, low, high = float(g("rate_ratio")), float(g("ci_low")), float(g("ci_high"))
    ci = fmt_ci(low, high, 2, lang)
    pct = fmt_num(abs(rate_change(result)["pct_change"]), 0, lang)  # a ledger row's number
    n_units, n_obs = fmt_int(g("n_clusters"), lang), fmt_int(g("n_obs"), lang)
    nb = g("family") == "negbin"
    if i == 0:
        fewer = f"{pct}% {'lebih sedikit' if rr < 1 else 'lebih banyak'}"
        model = (
            "regresi binomial negatif (data terlalu tersebar untuk Poisson)"
            if nb
            else "regresi Poisson"
        )
        body = (
            f"Setelah pelatihan, laju {what[0]} unit terlatih {fmt_num(rr, 2, lang)} kali laju "
            f"unit pembanding ({fewer}; rasio laju, {ci}; {model} dengan efek tetap unit dan "
            f"periode, galat baku dikelompokkan per unit, {n_units} unit, {n_obs} pengamatan)."
        )
        if low <= 1 <= high:
            body += " Interval mencakup 1 (tidak ada perubahan)."
        return Text(body + (_few_clusters(g("n_clusters"), n_treated, lang) if caveat else ""))
    fewer = f"{pct}% {'fewer' if rr < 1 else 'more'}"
    model = (
        "negative binomial regression (the counts are overdispersed for a Poisson model)"
        if nb
        else "Poisson regression"
    )
    body = (
        f"After training, trained units had {fmt_num(rr, 2, lang)} times the comparison "
        f"units' rate of {what[1]} ({fewer}; rate ratio, {ci}; {model} with unit and period "
        f"fixed effects, standard errors clustered by unit, {n_units} units, {n_obs} "
        "observations)."
    )
    if low <= 1 <= high:
        body += " The interval includes 1 (no change)."
    return Text(body + (_few_clusters(g("n_clusters"), n_treated, lang) if caveat else ""))


#: Share of the mean post-training coefficient that the mean pre-training one must reach
#: (same sign, every pre-period) for :func:`pretrend_conclusion` to warn of regression
#: to the mean.
MEAN_REVERSION_SHARE = 0.25


def mean_reversion(
    events: pd.DataFrame, *, first_post: Any, reference: Any
) -> tuple[float, float] | None:
    """The sign of regression to the mean in an event study, or None when there is none.

    ``events`` holds the coefficient of each period (``estimate``, relative to the
    ``reference`` period; log rate ratios for counts), in period order. When every
    period before the reference lies on the same side of zero as the mean of the periods
    from ``first_post`` on, and their mean reaches :data:`MEAN_REVERSION_SHARE` of it,
    the trained units' reference period was unusual for them (a spike or a dip) and part
    of the apparent effect may be a return to their usual level. Returns the two means
    (before the reference, from ``first_post`` on), in the scale of ``estimate``.

    Examples
    --------
    >>> import pandas as pd
    >>> ev = pd.DataFrame({"estimate": [-2.0, -2.2, 0.0, -8.3, -6.6]})
    >>> [round(m, 2) for m in mean_reversion(ev, first_post=3, reference=2)]
    [-2.1, -7.45]
    >>> ev["estimate"] = [0.3, -0.1, 0.0, -8.3, -6.6]  # one period on the other side
    >>> mean_reversion(ev, first_post=3, reference=2) is None
    True
    """
    order = list(events.index)
    post = events.loc[[k for k in order if order.index(k) >= order.index(first_post)], "estimate"]
    pre = events.loc[
        [k for k in order if order.index(k) < order.index(first_post) and k != reference],
        "estimate",
    ]
    post_mean, pre_mean = float(post.mean()), float(pre.mean())
    reverting = (
        len(pre) > 0
        and post_mean != 0
        and bool((np.sign(pre) == np.sign(post_mean)).all())
        and abs(pre_mean) >= MEAN_REVERSION_SHARE * abs(post_mean)
    )
    return (pre_mean, post_mean) if reverting else None


def pretrend_conclusion(
    test: Mapping[str, Any] | pd.Series,
    events: pd.DataFrame,
    what: tuple[str, str],
    lang: str = "id",
    *,
    first_post: Any,
    reference: Any,
    log: bool = False,
) -> Text:
    """Word the parallel-trends check of an event study, and spot regression to the mean.

    ``test`` is :func:`evalkit.pretrend_test` or :func:`evalkit.count_pretrend_test`,
    ``events`` the event study it tested (``estimate`` per period; log rate ratios for
    counts). Besides the joint test, it warns of regression to the mean when
    :func:`mean_reversion` finds its sign. ``log=True`` (a Poisson event study, whose
    estimates are log rate ratios) prints the two means as rate ratios.

    Examples
    --------
    >>> import pandas as pd
    >>> ev = pd.DataFrame({"estimate": [-2.0, -2.2, 0.0, -8.3, -6.6]}, index=[0, 1, 2, 3, 4])
    >>> test = {"statistic": 1.31, "df1": 2, "df2": 12, "p": 0.31}
    >>> print(pretrend_conclusion(test, ev, ("pengaduan", "complaints"), "en",
    ...                           first_post=3, reference=2))  # doctest: +ELLIPSIS
    Before the training, the differences in complaints did not differ jointly from the reference period (F(2, 12) = 1.31, p = .310)... **Regression to the mean?** ...
    """
    i = check_lang(lang, "pretrend_conclusion")
    g = functools.partial(result_value, test)
    f_text = (
        f"F({fmt_int(g('df1'), lang)}, {fmt_int(g('df2'), lang)}) = "
        f"{fmt_num(g('statistic'), 2, lang)}{'; ' if i == 0 else ', '}{fmt_p(g('p'), lang)}"
    )
    rejects = float(g("p")) < 0.05
    means = mean_reversion(events, first_post=first_post, reference=reference)
    reverting = means is not None
    pre_mean, post_mean = means or (np.nan, np.nan)
    if log:
        pre_txt, post_txt = (fmt_num(np.exp(x), 2, lang) for x in (pre_mean, post_mean))
        means = (f"rasio laju rerata {pre_txt} berbanding {post_txt}" if i == 0
                 else f"mean rate ratio {pre_txt} against {post_txt}")  # fmt: skip
    else:
        pre_txt, post_txt = (fmt_num(x, 2, lang, sign=True) for x in (pre_mean, post_mean))
        means = (f"rerata {pre_txt} berbanding {post_txt}" if i == 0
                 else f"mean {pre_txt} against {post_txt}")  # fmt: skip
    if i == 0:
        text = (
            f"Sebelum pelatihan, selisih {what[0]} secara bersama-sama "
            + ("**berbeda** dari periode acuan" if rejects else "tidak berbeda dari periode acuan")
            + f" ({f_text})"
            + (
                ": asumsi tren paralel diragukan, sehingga selisih-dari-selisih dapat bias."
                if rejects
                else "; tidak ada tanda yang menentang tren paralel, meski dengan sedikit unit "
                "uji ini lemah."
            )
        )
        if reverting:
            text += (
                " **Regresi ke rerata?** Semua periode sebelum periode acuan berada di sisi "
                f"yang sama dengan periode sesudah pelatihan ({means}): periode terakhir sebelum "
                "pelatihan tidak biasa bagi unit terlatih (lonjakan atau penurunan), sehingga "
                "sebagian efek yang tampak dapat berupa kembalinya nilai ke rerata, bukan "
                "dampak pelatihan."
            )
        return Text(text)
    text = (
        f"Before the training, the differences in {what[1]} "
        + (
            "**differed** jointly from the reference period"
            if rejects
            else "did not differ jointly from the reference period"
        )  # fmt: skip
        + f" ({f_text})"
        + (
            ": parallel trends are in doubt, so the difference-in-differences may be biased."
            if rejects
            else "; nothing speaks against parallel trends, though with few units this test "
            "is weak."
        )
    )
    if reverting:
        text += (
            " **Regression to the mean?** Every period before the reference lies on the same "
            f"side as the post-training periods ({means}): the trained units' last period "
            "before the training was unusual for them (a spike or a dip), so part of the "
            "apparent effect may be a return to their usual level rather than an effect of "
            "the training."
        )
    return Text(text)


def inference_conclusion(
    effect: Mapping[str, Any] | pd.Series,
    ri: Mapping[str, Any] | pd.Series,
    wild: Mapping[str, Any] | pd.Series | None,
    lang: str = "id",
) -> Text:
    """Say which inference a Level 4 conclusion rests on: randomisation inference.

    ``effect`` is the cluster-robust result (:func:`evalkit.did` or
    :func:`evalkit.count_did`), ``ri`` :func:`evalkit.randomization_inference`, ``wild``
    :func:`evalkit.wild_cluster_bootstrap` (None for counts). When ``ri`` also holds
    ``ci_low`` and ``ci_high`` (:func:`evalkit.randomization_ci`, the linear DiD), the
    interval from inverting the test is stated beside its p.

    Examples
    --------
    >>> ri = {"p": 1 / 1287, "n_assignments": 1287, "n_as_extreme": 1, "exact": True}
    >>> wild = {"p": 2 / 8192, "n_draws": 8192, "enumerated": True, "weights": "rademacher"}
    >>> print(inference_conclusion({"p": 1e-6, "n_clusters": 13}, ri, wild, "en"))  # doctest: +ELLIPSIS
    The conclusion rests on randomisation inference: of all 1,287 ways to choose the trained units among the 13 units, 1 (the actual one included) gives an effect at least as large as the observed one (p = 1/1,287 < .001)...
    """
    i = check_lang(lang, "inference_conclusion")
    n_a, n_x = fmt_int(ri["n_assignments"], lang), fmt_int(ri["n_as_extreme"], lang)
    p_ri = fmt_p(ri["p"], lang)
    exact = bool(ri["exact"])
    units = fmt_int(result_value(effect, "n_clusters"), lang)
    p_cr = fmt_p(result_value(effect, "p"), lang)
    frac = f"{n_x}/{n_a}"
    p_ri = f"p = {frac}{' < ' + p_ri[4:] if p_ri.startswith('p <') else ' = ' + p_ri[4:]}"
    if i == 0:
        how = f"dari semua {n_a} cara" if exact else f"dari {n_a} cara acak"
        text = (
            f"Kesimpulan ini bersandar pada inferensi randomisasi: {how} memilih unit terlatih "
            f"di antara {units} unit, {n_x} (termasuk pilihan yang sebenarnya) memberi efek "
            f"setidaknya sebesar yang teramati ({p_ri}). Uji ini tidak memerlukan banyak "
            "klaster dan tidak bergantung pada galat baku."
        )
        if wild is not None:
            draws = fmt_int(wild["n_draws"], lang)
            kind = "Rademacher" if wild["weights"] == "rademacher" else "Webb"
            full = (
                f"semua {draws} vektor bobot {kind}"
                if wild["enumerated"]
                else f"{draws} undian bobot {kind}"
            )
            text += f" *Wild cluster bootstrap* ({full}) memberi {fmt_p(wild['p'], lang)}."
        if "ci_low" in ri:  # the interval from inverting the test (linear DiD)
            text += (
                f" Membalik uji ini memberi {fmt_ci(ri['ci_low'], ri['ci_high'], 1, lang)}: "
                "efek konstan di luar rentang itu ditolak pada taraf 5%."
            )
        text += (
            f" Nilai p galat baku klaster ({p_cr}) dan IK-nya ditampilkan sebagai pembanding; "
            f"dengan {units} unit keduanya cenderung terlalu optimistis."
        )
        return Text(text)
    how = f"of all {n_a} ways" if exact else f"of {n_a} random ways"
    text = (
        f"The conclusion rests on randomisation inference: {how} to choose the trained "
        f"units among the {units} units, {n_x} (the actual one included) "
        f"{'gives' if ri['n_as_extreme'] == 1 else 'give'} an effect at least as large as the "
        f"observed one ({p_ri}). This test does not need many clusters and does not rely on "
        "standard errors."
    )
    if wild is not None:
        draws = fmt_int(wild["n_draws"], lang)
        kind = "Rademacher" if wild["weights"] == "rademacher" else "Webb"
        full = (
            f"all {draws} {kind} weight vectors" if wild["enumerated"] else f"{draws} {kind} draws"
        )
        text += f" The wild cluster bootstrap ({full}) gives {fmt_p(wild['p'], lang)}."
    if "ci_low" in ri:  # the interval from inverting the test (linear DiD)
        text += (
            f" Inverting this test gives {fmt_ci(ri['ci_low'], ri['ci_high'], 1, lang)}: "
            "constant effects outside it are rejected at the 5% level."
        )
    text += (
        f" The cluster-robust p ({p_cr}) and interval are shown for comparison; with "
        f"{units} units both tend to be too optimistic."
    )
    return Text(text)


def treated_conclusion(cohorts: pd.DataFrame, training: pd.DataFrame, lang: str = "id") -> Text:
    """Name the program and cohorts behind "trained", and what the comparison units had.

    ``cohorts`` is :func:`evalkit.treatment_cohorts`, ``training``
    :func:`evalkit.unit_training` (with the defining cohorts of ``cohorts``).

    Examples
    --------
    >>> import pandas as pd
    >>> coh = pd.DataFrame({"program_name": ["Pelayanan Prima", "SPBE"],
    ...                     "start_date": pd.to_datetime(["2024-03-04", "2024-09-09"]),
    ...                     "defines_treated": [True, False], "n_in_treated": [32, 14]},
    ...                    index=pd.Index(["PPR-2024-02", "SPBE-2024-02"], name="cohort_id"))
    >>> tr = pd.DataFrame({"treated": [True, False, False], "n_defining": [6, 0, 0],
    ...                    "n_other": [9, 8, 18], "n_other_cohorts": [8, 7, 11]})
    >>> print(treated_conclusion(coh, tr, "en"))  # doctest: +ELLIPSIS
    "Trained units" are the units whose staff attended Pelayanan Prima, cohort PPR-2024-02 (from 4 March 2024; 32 staff): ... **Caution:** all 2 comparison units sent staff to other trainings in the study window (8 to 18 staff each, ...
    """
    i = check_lang(lang, "treated_conclusion")
    defining = cohorts[cohorts["defines_treated"].astype(bool)]
    comparison = training[~training[C.TREATED].astype(bool)]
    n_trained = int(training[C.TREATED].astype(bool).sum())
    if defining.empty:
        return Text(
            "Tidak ada angkatan yang pesertanya tepat berada di unit terlatih; periksa definisi "
            "kelompok terlatih."
            if i == 0
            else "No cohort's trainees are exactly the trained units; check how the trained "
            "group is defined."
        )
    names = sorted(set(defining[C.PROGRAM_NAME]))
    ids = ", ".join(defining.index.astype(str))
    start = fmt_date(defining[C.START_DATE].min(), lang)
    staff = fmt_int(defining["n_in_treated"].sum(), lang)
    trained_other = comparison[comparison["n_other"] > 0]
    # counts of staff under the small-cell limit are not printed (disclosure rule)
    counts = trained_other["n_other"] if len(trained_other) else comparison["n_other"]
    lo, hi = (
        cell_label() if 0 < v < C.MIN_CELL_SIZE else fmt_int(v, lang)
        for v in (int(counts.min()), int(counts.max()))
    )
    span = lo if lo == hi else f"{lo} {'sampai' if i == 0 else 'to'} {hi}"
    k_other = fmt_int(len(trained_other), lang)
    n_c, n_t = fmt_int(len(comparison), lang), fmt_int(n_trained, lang)
    who_id = (
        f"semua {k_other}" if len(trained_other) == len(comparison) else f"{k_other} dari {n_c}"
    )
    if i == 0:
        text = (
            f'"Unit terlatih" adalah unit yang stafnya mengikuti {" dan ".join(names)}, '
            f"angkatan {ids} (mulai {start}; {staff} pegawai): semua peserta angkatan itu di "
            f"unit studi berasal dari {n_t} unit ini, dan tiap unit ini mengirim peserta. "
            f"Unit pembanding adalah {n_c} unit lain dalam data IKM/KPI yang tidak mengirim "
            "peserta ke angkatan tersebut."
        )
        if len(trained_other):
            text += (
                f" **Perhatian:** {who_id} unit pembanding "
                f"mengirim staf ke pelatihan lain dalam jendela studi ({span} pegawai "
                'per unit, lihat tabel): unit pembanding bukan unit "belum dilatih", melainkan '
                "unit yang tidak mengikuti program ini. Efek yang diukur adalah efek program ini "
                "dibanding pelatihan lain yang biasa."
            )
        return Text(text)
    text = (
        f'"Trained units" are the units whose staff attended {" and ".join(names)}, cohort '
        f"{ids} (from {start}; {staff} staff): every trainee of that cohort in the study's "
        f"units comes from these {n_t} units, and each of them sent trainees. The comparison "
        f"units are the {n_c} other units of the IKM/KPI data, which sent no one to that cohort."
    )
    if len(trained_other):
        k = fmt_int(len(trained_other), lang)
        who = f"all {k}" if len(trained_other) == len(comparison) else f"{k} of the {n_c}"
        text += (
            f" **Caution:** {who} comparison units sent staff to other trainings in the study "
            f'window ({span} staff each, see the table): they are not "untrained" units '
            "but units that did not take part in this program. The effect measured is that of "
            "this program against the usual other trainings."
        )
    return Text(text)


def transition_conclusion(transitions: pd.DataFrame, lang: str = "id") -> Text:
    """Count the units whose IKM grade rose, stayed or fell, trained vs comparison.

    ``transitions`` is :func:`evalkit.ikm_transitions`.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"treated": [True, True, False], "grade_pre": ["C", "C", "C"],
    ...                   "grade_post": ["B", "C", "C"]})
    >>> print(transition_conclusion(t, "en"))
    IKM grade (A-D) before and after the training: of 2 trained units, 1 moved up a grade, 1 kept it and 0 moved down; of 1 comparison unit, 0 moved up, 1 kept it and 0 moved down.
    """
    i = check_lang(lang, "transition_conclusion")
    order = {"D": 0, "C": 1, "B": 2, "A": 3}
    step = transitions["grade_post"].map(order) - transitions["grade_pre"].map(order)
    parts = []
    for flag in (True, False):
        s = step[transitions[C.TREATED].astype(bool) == flag]
        up, same, down = (
            fmt_int(int(x), lang) for x in ((s > 0).sum(), (s == 0).sum(), (s < 0).sum())
        )
        n = fmt_int(len(s), lang)
        if i == 0:
            who = "unit terlatih" if flag else "unit pembanding"
            parts.append(f"dari {n} {who}, {up} naik kategori, {same} tetap dan {down} turun")
        else:
            who = ("trained unit" if flag else "comparison unit") + ("" if len(s) == 1 else "s")
            parts.append(
                f"of {n} {who}, {up} moved up{' a grade' if flag else ''}, {same} kept it and "
                f"{down} moved down"
            )
    head = (
        "Kategori IKM (A-D) sebelum dan sesudah pelatihan: "
        if i == 0
        else "IKM grade (A-D) before and after the training: "
    )
    return Text(head + "; ".join(parts) + ".")


def multiplicity_conclusion(summary: pd.DataFrame, lang: str = "id") -> Text:
    """Name the primary outcome and say how the secondary ones are adjusted.

    ``summary`` is :func:`evalkit.reporting.inference_table` (outcome words through
    :func:`evalkit.reporting.term`).

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"role": ["primary", "secondary", "secondary"]},
    ...                  index=["ikm", "service_days", "complaints"])
    >>> print(multiplicity_conclusion(s, "en"))  # doctest: +ELLIPSIS
    Primary outcome, declared before the analysis: IKM. Secondary: Service time (days), Complaints; their randomisation p-values are Holm-adjusted as one family of 2 tests...
    """
    i = check_lang(lang, "multiplicity_conclusion")
    primary = [term(str(k), lang) for k in summary.index[summary["role"] == "primary"]]
    secondary = [term(str(k), lang) for k in summary.index[summary["role"] == "secondary"]]
    k = fmt_int(len(secondary), lang)
    if i == 0:
        return Text(
            f"Hasil utama, ditetapkan sebelum analisis: {', '.join(primary)}. Sekunder: "
            f"{', '.join(secondary)}; nilai p randomisasinya disesuaikan dengan metode Holm "
            f"sebagai satu keluarga {k} uji. Uji tren awal adalah pemeriksaan asumsi, bukan uji "
            "efek, dan tidak disesuaikan. Kesimpulan tentang dampak pelatihan bersandar pada "
            "hasil utama; hasil sekunder mendukung atau memberi catatan."
        )
    return Text(
        f"Primary outcome, declared before the analysis: {', '.join(primary)}. Secondary: "
        f"{', '.join(secondary)}; their randomisation p-values are Holm-adjusted as one "
        f"family of {k} tests. The pre-trend tests check an assumption, they do not test an "
        "effect, and are not adjusted. The conclusion about the training's impact rests on "
        "the primary outcome; the secondary ones support it or qualify it."
    )
