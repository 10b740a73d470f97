"""Facilitator evaluation conclusions: who was rated how, facilitator vs course, the link to learning.

Sentences in Indonesian or English for :func:`evalkit.facilitator_summary` (the
facilitators a shared report may show, :func:`evalkit.reporting.facilitator_tables.
shown_facilitators`), :func:`evalkit.facilitator_variance` and
:func:`evalkit.facilitator_gain_link`, :func:`role_conclusion` (with
:func:`role_estimates`, its ledger rows) for :func:`evalkit.facilitator_role_means` and
:func:`evalkit.facilitator_role_comparison`, and :func:`facilitator_note` for a study or
cohort without facilitator ratings. Facilitators are named by the label the caller
gives (the pseudonym unless the study allows names).

Examples
--------
>>> print(facilitator_note("study", "en"))
*No facilitator ratings in this study: the facilitator evaluation (evaluasi narasumber) has not been collected or mapped in the codebook.*
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import pandas as pd

from evalkit import constants as C
from evalkit.reporting.facilitator_tables import shown_facilitators, shown_roles
from evalkit.reporting.formats import fmt_ci, fmt_int, fmt_num, fmt_p, fmt_pct
from evalkit.reporting.sections import result_value
from evalkit.reporting.terms import Text, check_lang, is_missing, term

__all__ = [
    "facilitator_conclusion",
    "facilitator_note",
    "gain_link_conclusion",
    "role_conclusion",
    "role_estimates",
    "variance_conclusion",
]


def facilitator_note(key: str, lang: str = "id") -> Text:
    """One sentence for a report without facilitator ratings (``"study"`` or ``"cohort"``).

    Also ``"none_shown"`` (no facilitator rated by enough people) and ``"one_role"`` (the
    comparison by role needs two roles).

    Examples
    --------
    >>> print(facilitator_note("cohort", "id"))
    *Belum ada penilaian narasumber untuk angkatan ini.*
    """
    i = check_lang(lang, "facilitator_note")
    notes = {
        "study": ("Belum ada penilaian narasumber dalam studi ini: evaluasi narasumber belum "
                  "dikumpulkan atau belum dipetakan di codebook.",
                  "No facilitator ratings in this study: the facilitator evaluation (evaluasi "
                  "narasumber) has not been collected or mapped in the codebook."),
        "cohort": ("Belum ada penilaian narasumber untuk angkatan ini.",
                   "No facilitator ratings for this cohort."),
        "none_shown": (f"Tidak ada narasumber yang dinilai oleh sedikitnya {C.MIN_CELL_SIZE} "
                       "peserta, sehingga hasilnya tidak ditampilkan.",
                       f"No facilitator was rated by at least {C.MIN_CELL_SIZE} participants, "
                       "so no result is shown."),
        "one_role": ("Perbandingan menurut unsur memerlukan narasumber dari sedikitnya dua unsur "
                     "(widyaiswara, akademisi, praktisi) dengan unsur tercatat; studi ini belum "
                     "memilikinya.",
                     "The comparison by role needs facilitators of at least two roles "
                     "(widyaiswara, academic, practitioner) with their role recorded; this study "
                     "has not."),
    }  # fmt: skip
    return Text(f"*{notes[key][i]}*")


def facilitator_conclusion(
    summary: pd.DataFrame,
    lang: str = "id",
    *,
    labels: Mapping[str, str] | None = None,
    scale_max: Any = None,
    min_cell: int = C.MIN_CELL_SIZE,
) -> Text:
    """Word the facilitators' ratings: their range, the lowest rated, their reliability.

    Only facilitators rated by at least ``min_cell`` people are described (the others
    are counted as left out). The lowest rated facilitator is said to stand apart only
    when the upper end of their 95% CI lies below every other shown facilitator's mean.
    ``scale_max`` (the top of the answer scale) defaults to the summary's ``scale_max``
    column, else 5.

    Examples
    --------
    >>> s = pd.DataFrame({"n_raters": [40, 38, 35, 3], "n_cohorts": [3, 2, 3, 1],
    ...     "mean": [4.3, 4.0, 2.9, 4.8], "ci_low": [4.1, 3.7, 2.6, 4.0],
    ...     "ci_high": [4.5, 4.3, 3.2, 5.0], "alpha": [0.8, 0.75, 0.7, 0.9]},
    ...     index=pd.Index(["FA", "FB", "FC", "FD"], name="facilitator_id"))
    >>> print(facilitator_conclusion(s, "en"))  # doctest: +NORMALIZE_WHITESPACE
    3 facilitators were rated by at least 5 participants (1 with fewer is not shown); their mean ratings range from 2.90 to 4.30 on the 1-5 scale. The lowest rated, FC, has a mean of 2.90 (95% CI 2.60 to 3.20), below the mean of every other facilitator shown: worth a closer look (the sessions, the comments) before any conclusion about the person. Cronbach's alpha of the items ranges from .70 to .80.
    """
    i = check_lang(lang, "facilitator_conclusion")
    shown, hidden = shown_facilitators(summary, min_cell=min_cell)
    if shown.empty:
        return facilitator_note("none_shown", lang)
    labels = labels or {}
    if scale_max is None:
        scale_max = shown["scale_max"].max() if "scale_max" in shown else 5
    top = fmt_int(scale_max, lang)
    n = fmt_int(len(shown), lang)
    left = (
        (f" ({fmt_int(hidden, lang)} dengan penilai lebih sedikit tidak ditampilkan)" if i == 0
         else f" ({fmt_int(hidden, lang)} with fewer is not shown)" if hidden == 1
         else f" ({fmt_int(hidden, lang)} with fewer are not shown)")
        if hidden else ""
    )  # fmt: skip
    low, high = fmt_num(shown["mean"].min(), 2, lang), fmt_num(shown["mean"].max(), 2, lang)
    text = (
        f"{n} narasumber dinilai oleh sedikitnya {C.MIN_CELL_SIZE} peserta{left}; rerata "
        f"penilaiannya berkisar {low} s.d. {high} pada skala 1-{top}."
        if i == 0
        else f"{n} facilitator{'s were' if len(shown) != 1 else ' was'} rated by at least "
        f"{C.MIN_CELL_SIZE} participants{left}; their mean ratings range from {low} to "
        f"{high} on the 1-{top} scale."
    )
    if len(shown) >= 2:
        text += " " + _lowest(shown, labels, lang)
    alphas = shown["alpha"].dropna() if "alpha" in shown else pd.Series(dtype=float)
    if len(alphas):
        lz = i == 0
        a_low, a_high = fmt_num(alphas.min(), 2, lang, leading_zero=lz), fmt_num(
            alphas.max(), 2, lang, leading_zero=lz)  # fmt: skip
        floor = fmt_num(C.ALPHA_ACCEPTABLE, 2, lang, leading_zero=lz)
        text += (
            f" Alfa Cronbach butir-butirnya berkisar {a_low} s.d. {a_high}"
            if i == 0
            else f" Cronbach's alpha of the items ranges from {a_low} to {a_high}"
        )
        if alphas.min() < C.ALPHA_ACCEPTABLE:
            text += (
                f"; di bawah {floor} skor narasumber itu kurang konsisten antarbutir."
                if i == 0
                else f"; below {floor} a facilitator's score is less consistent across items."
            )
        else:
            text += "."
    anonymous = _anonymous_sentence(shown, lang)
    return Text(f"{text} {anonymous}" if anonymous else text)


def _anonymous_sentence(shown: pd.DataFrame, lang: str) -> str:
    """What anonymous forms change: raters are export rows, one cohort clustered by row."""
    if "n_anonymous" not in shown or not (shown["n_anonymous"] > 0).any():
        return ""
    i = check_lang(lang, "facilitator_conclusion")
    k, n = fmt_int(shown["n_anonymous"].sum(), lang), fmt_int(shown["n_forms"].sum(), lang)
    if i == 0:
        return (
            f"{k} dari {n} formulir anonim (tanpa NIP atau nama): setiap baris ekspor dihitung "
            "sebagai satu penilai, sehingga orang yang mengirim dua formulir terhitung dua kali, "
            "dan untuk narasumber satu angkatan IK-nya robust-klaster menurut baris ekspor: "
            "formulir di baris berbeda dianggap saling bebas."
        )
    return (
        f"{k} of the {n} forms are anonymous (no NIP or name): each row of the export counts "
        "as one rater, so a person who sent two forms counts twice, and for a facilitator of "
        "one cohort the interval is clustered by export row: forms on separate rows are "
        "treated as independent."
    )


def _lowest(shown: pd.DataFrame, labels: Mapping[str, str], lang: str) -> str:
    """The sentence on the lowest rated facilitator."""
    i = check_lang(lang, "facilitator_conclusion")
    fid = shown["mean"].idxmin()
    row = shown.loc[fid]
    others = shown.drop(index=fid)
    who = labels.get(str(fid), str(fid))
    mean, ci = fmt_num(row["mean"], 2, lang), fmt_ci(row["ci_low"], row["ci_high"], 2, lang)
    apart = not is_missing(row["ci_high"]) and float(row["ci_high"]) < float(others["mean"].min())
    if apart:
        return (
            f"Yang terendah, {who}, rata-rata {mean} ({ci}), di bawah rerata setiap narasumber "
            "lain yang ditampilkan: layak ditelaah lebih dekat (sesi-sesinya, komentar peserta) "
            "sebelum menyimpulkan apa pun tentang orangnya."
            if i == 0
            else f"The lowest rated, {who}, has a mean of {mean} ({ci}), below the mean of "
            "every other facilitator shown: worth a closer look (the sessions, the comments) "
            "before any conclusion about the person."
        )
    return (
        f"Yang terendah, {who}, rata-rata {mean} ({ci}); intervalnya mencakup rerata narasumber "
        "lain, sehingga tidak ada narasumber yang jelas tertinggal."
        if i == 0
        else f"The lowest rated, {who}, has a mean of {mean} ({ci}); its interval reaches "
        "another facilitator's mean, so no facilitator clearly falls behind."
    )


def variance_conclusion(split: pd.DataFrame, lang: str = "id") -> Text:
    """Word the split of rating variance (:func:`evalkit.facilitator_variance`), or why not.

    Examples
    --------
    >>> split = pd.DataFrame({"variance": [0.15, 0.07, 0.19], "share": [0.36, 0.17, 0.47],
    ...     "n": 1051, "n_facilitators": 8, "n_cohorts": 15, "design": "crossed",
    ...     "estimable": True, "reason": None},
    ...     index=pd.Index(["facilitator", "cohort", "residual"], name="component"))
    >>> print(variance_conclusion(split, "en"))  # doctest: +ELLIPSIS
    Of the variance of the ratings (1,051 ratings of 8 facilitators in 15 cohorts, facilitators and cohorts crossed), 36.0% lies between facilitators, 17.0% between cohorts ...
    >>> no = split.assign(estimable=False, reason="too_few_cohorts")
    >>> print(variance_conclusion(no, "en"))  # doctest: +ELLIPSIS
    The ratings cannot be split into a facilitator part and a course part: fewer than 3 cohorts. ...
    """
    i = check_lang(lang, "variance_conclusion")
    first = split.iloc[0]
    if not bool(first["estimable"]):
        why = {
            "too_few_facilitators": ("kurang dari 3 narasumber", "fewer than 3 facilitators"),
            "too_few_cohorts": ("kurang dari 3 angkatan", "fewer than 3 cohorts"),
            "confounded": ("setiap narasumber mengajar satu angkatan dan setiap angkatan punya "
                           "satu narasumber, sehingga keduanya tak dapat dipisahkan",
                           "each facilitator taught one cohort and each cohort had one "
                           "facilitator, so the two cannot be told apart"),
            "not_converged": ("modelnya tidak konvergen", "the model did not converge"),
        }[str(first["reason"])][i]  # fmt: skip
        return Text(
            f"Penilaian tidak dapat dipisahkan menjadi bagian narasumber dan bagian pelatihan: "
            f"{why}. Perbedaan antarnarasumber di atas dapat mencerminkan angkatan (materi, "
            "penyelenggaraan, kelompok) yang mereka ajar."
            if i == 0
            else "The ratings cannot be split into a facilitator part and a course part: "
            f"{why}. The differences between facilitators above may reflect the cohorts "
            "(course, organisation, group) they taught."
        )
    share = split["share"]
    pct = {k: fmt_pct(float(share[k]) * 100, 1, lang) for k in share.index}
    n, nf, nc = (fmt_int(first[k], lang) for k in ("n", "n_facilitators", "n_cohorts"))
    design = {
        "crossed": ("narasumber dan angkatan bersilang", "facilitators and cohorts crossed"),
        "facilitators_in_cohorts": ("setiap narasumber di satu angkatan",
                                    "each facilitator in one cohort"),
        "cohorts_in_facilitators": ("setiap angkatan dengan satu narasumber",
                                    "each cohort with one facilitator"),
    }[str(first["design"])][i]  # fmt: skip
    if i == 0:
        return Text(
            f"Dari ragam penilaian ({n} penilaian atas {nf} narasumber di {nc} angkatan, "
            f"{design}), {pct['facilitator']} terletak antarnarasumber, {pct['cohort']} "
            f"antarangkatan (materi, penyelenggaraan, kelompok dan harinya) dan "
            f"{pct['residual']} di dalamnya (antarpeserta dan antarsesi). Model intersep acak "
            "narasumber dan angkatan (REML); dengan sedikit narasumber dan angkatan, bagian "
            "ini kasar (tanpa IK)."
        )
    return Text(
        f"Of the variance of the ratings ({n} ratings of {nf} facilitators in {nc} cohorts, "
        f"{design}), {pct['facilitator']} lies between facilitators, {pct['cohort']} between "
        f"cohorts (the course, its organisation, the group and its day) and "
        f"{pct['residual']} within (between raters and sessions). Random intercepts for "
        "facilitator and cohort (REML); with few facilitators and cohorts these shares are "
        "rough (no CI)."
    )


def gain_link_conclusion(link: Mapping[str, Any] | pd.Series, lang: str = "id") -> Text:
    """Word the cohort-level link of facilitator ratings and learning gain, with its caveats.

    Examples
    --------
    >>> link = {"r": 0.653, "ci_low": 0.211, "ci_high": 0.873, "t": 3.11, "df": 13,
    ...         "p": 0.0083, "n": 15}
    >>> print(gain_link_conclusion(link, "en"))  # doctest: +ELLIPSIS
    Across 15 cohorts, cohorts whose facilitators were rated higher also gained more on the test: r = .65 (95% CI .21 to .87), t(13) = 3.11, p = .008. ...
    """
    i = check_lang(lang, "gain_link_conclusion")
    g = functools.partial(result_value, link)
    n = fmt_int(g("n"), lang)
    if is_missing(g("r")) or is_missing(g("ci_low")):
        return Text(
            f"Hubungan penilaian narasumber dengan kenaikan nilai tidak dihitung: hanya {n} "
            "angkatan yang memiliki keduanya (perlu sedikitnya 4)."
            if i == 0
            else f"The link between facilitator ratings and score gains is not computed: only "
            f"{n} cohorts have both (at least 4 are needed)."
        )
    lz = i == 0
    r = fmt_num(g("r"), 2, lang, leading_zero=lz)
    ci = fmt_ci(g("ci_low"), g("ci_high"), 2, lang, leading_zero=lz)
    test = f"t({fmt_num(g('df'), 0, lang)}) = {fmt_num(g('t'), 2, lang)}, {fmt_p(g('p'), lang)}"
    positive, negative = float(g("ci_low")) > 0, float(g("ci_high")) < 0
    if i == 0:
        head = (
            "angkatan yang narasumbernya dinilai lebih tinggi juga naik nilainya lebih banyak"
            if positive
            else "angkatan yang narasumbernya dinilai lebih tinggi justru naik nilainya lebih "
            "sedikit"
            if negative
            else "penilaian narasumber tidak terbukti berkaitan dengan kenaikan nilai"
        )
        return Text(
            f"Di {n} angkatan, {head}: r = {r} ({ci}), {test}. Ini korelasi rerata angkatan "
            "(ekologis): tidak berarti peserta yang menilai narasumbernya lebih tinggi belajar "
            "lebih banyak, angkatan berbeda dalam banyak hal selain narasumbernya, dan dengan "
            "sedikit angkatan intervalnya lebar. Bukan bukti sebab-akibat."
        )
    head = (
        "cohorts whose facilitators were rated higher also gained more on the test"
        if positive
        else "cohorts whose facilitators were rated higher gained less on the test"
        if negative
        else "facilitator ratings were not shown to go with score gains"
    )
    return Text(
        f"Across {n} cohorts, {head}: r = {r} ({ci}), {test}. This is a correlation of "
        "cohort means (ecological): it does not mean that participants who rated their "
        "facilitators higher learned more, cohorts differ in much besides their "
        "facilitators, and with few cohorts the interval is wide. It is not evidence of "
        "cause."
    )


def _role_order(roles: Any) -> list:
    order = {r: k for k, r in enumerate(C.FACILITATOR_ROLES)}
    return sorted(roles, key=lambda r: (order.get(str(r), len(order)), str(r)))


def _shown_contrasts(comparison: pd.DataFrame, shown: pd.Index) -> pd.DataFrame:
    """Contrast rows between two shown roles (a small role's contrasts are left out)."""
    pairs = comparison.drop(index="overall", errors="ignore")
    keep = pairs["group"].isin(shown) & pairs["reference"].isin(shown)
    return pairs[keep.to_numpy()]


def role_conclusion(
    means: pd.DataFrame,
    comparison: pd.DataFrame | None = None,
    lang: str = "id",
    *,
    min_cell: int = C.MIN_CELL_SIZE,
) -> Text:
    """Word the ratings by facilitator role, the difference test, and that role is confounded.

    Roles rated by fewer than ``min_cell`` people are not named (counted as left out);
    the contrasts shown are those between shown roles, and the overall F test only when
    every role is shown (it carries the left-out role's ratings).

    Parameters
    ----------
    means : DataFrame
        :func:`evalkit.facilitator_role_means`.
    comparison : DataFrame, optional
        :func:`evalkit.facilitator_role_comparison` (None: one role, no test).
    lang : {"id", "en"}

    Examples
    --------
    >>> m = pd.DataFrame({"n_facilitators": [2, 2], "n_raters": [60, 50], "mean": [3.93, 3.61],
    ...     "ci_low": [3.70, 3.11], "ci_high": [4.16, 4.10], "cluster": "cohort"},
    ...     index=pd.Index(["widyaiswara", "academic"], name="facilitator_role"))
    >>> c = pd.DataFrame({"group": ["academic", "all"], "reference": "widyaiswara",
    ...     "mean_diff": [-0.325, None], "ci_low": [-0.645, None], "ci_high": [-0.005, None],
    ...     "t": [-2.4, 5.76], "df1": [1.0, 1.0], "df2": [7.0, 7.0], "p": [0.048, 0.048],
    ...     "n_clusters": [8.0, 8.0], "cluster": "cohort"},
    ...     index=pd.Index(["academic - widyaiswara", "overall"], name="contrast"))
    >>> print(role_conclusion(m, c, "en"))  # doctest: +ELLIPSIS
    Ratings by facilitator role: Widyaiswara (2 facilitators, 3.93, 95% CI 3.70 to 4.16), academic (2 facilitators, 3.61, 95% CI 3.11 to 4.10). Academic facilitators were rated 0.33 lower than Widyaiswara (95% CI −0.65 to −0.01, p = .048; cluster-robust by cohort, 8 cohorts). Role is confounded with program and topic: ...
    """
    i = check_lang(lang, "role_conclusion")
    shown, hidden = shown_roles(means, min_cell=min_cell)
    left = ""
    if hidden:
        k = fmt_int(hidden, lang)
        left = (
            f" {k} unsur yang dinilai oleh kurang dari {min_cell} peserta tidak ditampilkan."
            if i == 0
            else f" {k} role{'s' if hidden != 1 else ''} rated by fewer than {min_cell} "
            f"participants {'are' if hidden != 1 else 'is'} not shown."
        )
    if shown.empty:
        return Text(
            f"Tidak ada unsur narasumber yang dinilai oleh sedikitnya {min_cell} peserta."
             if i == 0
             else f"No facilitator role was rated by at least {min_cell} participants."
        )  # fmt: skip
    parts = []
    for k, role in enumerate(_role_order(shown.index)):
        row = shown.loc[role]
        name = term(str(role), lang)
        name = name if k == 0 or str(role) == "widyaiswara" else name[:1].lower() + name[1:]
        nf = fmt_int(row["n_facilitators"], lang)
        ci = fmt_ci(row["ci_low"], row["ci_high"], 2, lang)
        word = "narasumber" if i == 0 else ("facilitator" if row["n_facilitators"] == 1
                                            else "facilitators")  # fmt: skip
        parts.append(f"{name} ({nf} {word}, {fmt_num(row['mean'], 2, lang)}, {ci})")
    text = ("Penilaian menurut unsur narasumber: " if i == 0
            else "Ratings by facilitator role: ") + ", ".join(parts) + "."  # fmt: skip
    text += left
    if comparison is not None and len(comparison):
        contrasts = _shown_contrasts(comparison, shown.index)
        for _, row in contrasts.iterrows():
            text += " " + _contrast_sentence(row, lang)
        if not hidden and "overall" in comparison.index and len(contrasts) > 1:
            o = comparison.loc["overall"]
            if not is_missing(o["t"]):
                f = (f"F({fmt_num(o['df1'], 0, lang)}, {fmt_num(o['df2'], 0, lang)}) = "
                     f"{fmt_num(o['t'], 2, lang)}, {fmt_p(o['p'], lang)}")  # fmt: skip
                text += (
                    f" Uji bersama bahwa semua unsur sama: {f}." if i == 0
                    else f" Joint test that all roles are rated alike: {f}."
                )  # fmt: skip
    text += (
        " Unsur narasumber berbaur dengan program dan topik: widyaiswara, akademisi dan "
        "praktisi mengajar materi yang berbeda di program dan angkatan yang berbeda, sehingga "
        "selisih ini menggambarkan siapa mengajar apa, bukan pengaruh unsur itu sendiri."
        if i == 0
        else " Role is confounded with program and topic: widyaiswara, academics and "
        "practitioners teach different subjects in different programs and cohorts, so a "
        "difference describes who taught what, not an effect of the role itself."
    )
    return Text(text)


def _contrast_sentence(row: pd.Series, lang: str) -> str:
    """``Academic facilitators were rated 0.33 lower than widyaiswara (95% CI ..., p = ...)``."""
    i = check_lang(lang, "role_conclusion")
    group, ref = term(str(row["group"]), lang), term(str(row["reference"]), lang)
    lower = ref if str(row["reference"]) == "widyaiswara" else ref[:1].lower() + ref[1:]
    diff = float(row["mean_diff"])
    size = fmt_num(abs(diff), 2, lang)
    ci = fmt_ci(row["ci_low"], row["ci_high"], 2, lang)
    g = fmt_int(row["n_clusters"], lang)
    by = str(row.get("cluster", "cohort"))
    if i == 0:
        unit = {"cohort": "angkatan", "row": "baris ekspor"}.get(by, "penilai")
        how = "lebih rendah" if diff < 0 else "lebih tinggi"
        return (f"Narasumber {group.lower()} dinilai {size} {how} daripada {lower} ({ci}, "
                f"{fmt_p(row['p'], lang)}; robust-klaster menurut {unit}, {g} {unit}).")  # fmt: skip
    unit = {"cohort": "cohort", "row": "export row"}.get(by, "rater")
    how = "lower" if diff < 0 else "higher"
    return (f"{group} facilitators were rated {size} {how} than {lower} ({ci}, "
            f"{fmt_p(row['p'], lang)}; cluster-robust by {unit}, {g} {unit}s).")  # fmt: skip


def role_estimates(
    means: pd.DataFrame, comparison: pd.DataFrame | None = None, *, min_cell: int = C.MIN_CELL_SIZE
) -> pd.DataFrame:
    """Ledger rows (level 1) of the ratings by role: each role's mean, and each shown contrast.

    A role rated by fewer than ``min_cell`` people keeps its ``n`` only (the ledger's
    rule); contrasts with such a role get no row.

    Examples
    --------
    >>> m = pd.DataFrame({"n_facilitators": [2], "n_raters": [60], "n_clusters": [8],
    ...     "mean": [3.93], "ci_low": [3.7], "ci_high": [4.16], "cluster": ["cohort"]},
    ...     index=pd.Index(["widyaiswara"], name="facilitator_role"))
    >>> role_estimates(m)[["group", "estimand", "estimate"]].values.tolist()
    [['widyaiswara', 'mean', 3.93]]
    """
    from evalkit.reporting.ledger import estimates

    outcome = "facilitator role: mean rating (item scale)"
    within = (
        "export row within one cohort (anonymous forms)"
        if (means["cluster"] == "row").any()
        else "rater within one cohort"
    )
    by = "cohort" if (means["cluster"] == "cohort").all() else f"cohort, or by {within}"
    parts = [
        estimates(means, level=1, outcome=outcome, estimand="mean",
                  method=f"mean of form ratings of the role's facilitators; CR1 SE by {by} "
                  "(t on clusters - 1 df)", estimate="mean", n="n_raters",
                  n_clusters="n_clusters", min_n=min_cell),
    ]  # fmt: skip
    if comparison is not None and len(comparison):
        shown, _ = shown_roles(means, min_cell=min_cell)
        rows = _shown_contrasts(comparison, shown.index)
        if len(rows):
            parts.append(
                estimates(rows, level=1, outcome=outcome, estimand="difference",
                          method="OLS form rating ~ role, CR1 SE by "
                          f"{rows['cluster'].iloc[0]} (t on clusters - 1 df); role is "
                          "confounded with program and topic; n: forms of the role", estimate="mean_diff", p="p",
                          n="n", n_clusters="n_clusters", min_n=None)
            )  # fmt: skip
    return pd.concat(parts, ignore_index=True)
