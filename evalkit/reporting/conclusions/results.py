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

import pandas as pd

from evalkit import constants as C
from evalkit.reporting.disclosure import cell_label
from evalkit.reporting.formats import fmt_ci, fmt_int, fmt_num, fmt_p
from evalkit.reporting.sections import result_value
from evalkit.reporting.terms import Text, check_lang, is_missing


def did_conclusion(
    result: Mapping[str, Any] | pd.Series,
    what: tuple[str, str],
    lang: str = "id",
    *,
    decimals: int = 1,
    unit: tuple[str, str] = ("poin", "points"),
    n_treated: Any = None,
) -> Text:
    """Word a difference-in-differences estimate (:func:`evalkit.did`).

    With fewer than :data:`FEW_CLUSTERS` units (clusters) the sentence adds a caveat:
    cluster-robust standard errors from few clusters, and especially from few trained
    ones, are often too small, so the interval is too narrow and p too small
    (Cameron & Miller 2015; MacKinnon & Webb 2017). ``n_treated`` (trained units)
    is named in the caveat.

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
    test = f"t({fmt_num(g('df'), 0, lang)}) = {fmt_num(g('t'), 2, lang)}{sep}{fmt_p(g('p'), lang)}"
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
        return Text(text + _few_clusters(g("n_clusters"), n_treated, lang))
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
    return Text(text + _few_clusters(g("n_clusters"), n_treated, lang))


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
