"""Retrospective (then-test) follow-up and long-term conclusions, in both languages.

Sentences for PTIA's score (:func:`evalkit.ptia_summary`), the within-person change
and the supervisor-self gap (:func:`evalkit.retrospective_change`,
:func:`evalkit.rater_gap`), the response shift (:func:`evalkit.response_shift`) and its
limitation, and for the long term: the persistence curve
(:func:`evalkit.persistence_curve`), attrition per wave
(:func:`evalkit.attrition_by_wave`) and what the study can and cannot say at its n
(:func:`evalkit.long_term_evidence`).

Examples
--------
>>> print(no_retrospective_note("en"))
This study has no retrospective follow-up (PTIA-style ratings of before and now in one sitting), so this section is empty.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from evalkit.reporting.formats import fmt_ci, fmt_int, fmt_num, fmt_p, fmt_pct
from evalkit.reporting.terms import Text, check_lang, is_missing, term

__all__ = [
    "attrition_by_wave_conclusion",
    "long_term_statement",
    "no_retrospective_note",
    "persistence_conclusion",
    "ptia_conclusion",
    "rater_gap_conclusion",
    "response_shift_conclusion",
    "response_shift_estimates",
    "response_shift_limitation",
    "retro_change_conclusion",
]


def _pick(i: int, id_text: str, en_text: str) -> str:
    return id_text if i == 0 else en_text


def no_retrospective_note(lang: str = "id") -> Text:
    """The one sentence of a study without retrospective data.

    Examples
    --------
    >>> print(no_retrospective_note())  # doctest: +ELLIPSIS
    Studi ini tidak memiliki tindak lanjut retrospektif ...
    """
    i = check_lang(lang, "no_retrospective_note")
    return Text(_pick(
        i,
        "Studi ini tidak memiliki tindak lanjut retrospektif (penilaian sebelum dan sesudah "
        "dalam satu kali pengisian, seperti PTIA), jadi bagian ini kosong.",
        "This study has no retrospective follow-up (PTIA-style ratings of before and now in "
        "one sitting), so this section is empty.",
    ))  # fmt: skip


def ptia_conclusion(summary: Mapping[str, Any] | pd.Series, lang: str = "id") -> Text:
    """Word PTIA's score as the app would show it, and the interval it does not.

    Parameters
    ----------
    summary : mapping or Series
        A row of :func:`evalkit.ptia_summary`: ``n, mean, ci_low, ci_high, band``.

    Examples
    --------
    >>> row = {"n": 381.0, "mean": 47.27, "ci_low": 45.56, "ci_high": 48.98,
    ...        "band": "Kurang berdampak"}
    >>> print(ptia_conclusion(row, "en"))  # doctest: +NORMALIZE_WHITESPACE
    PTIA score (level 3, computed as the app computes it): 47.3 of 100, band "Low impact"
    (95% CI 45.6 to 49.0; n = 381 alumni). The app shows the average and its band only;
    the interval is evalkit's.
    """
    i = check_lang(lang, "ptia_conclusion")
    ci = fmt_ci(summary["ci_low"], summary["ci_high"], 1, lang)
    m, n = fmt_num(summary["mean"], 1, lang), fmt_int(summary["n"], lang)
    band = term(str(summary["band"]), lang)
    return Text(_pick(
        i,
        f"Skor PTIA (level 3, dihitung seperti aplikasinya): {m} dari 100, kategori "
        f"\"{band}\" ({ci}; n = {n} alumni). Aplikasi hanya menampilkan rerata dan "
        "kategorinya; selang kepercayaan ini dari evalkit.",
        f"PTIA score (level 3, computed as the app computes it): {m} of 100, band "
        f"\"{band}\" ({ci}; n = {n} alumni). The app shows the average and its band only; "
        "the interval is evalkit's.",
    ))  # fmt: skip


def retro_change_conclusion(change: pd.DataFrame, lang: str = "id") -> Text:
    """Word the within-person change (now - before) per rater.

    Parameters
    ----------
    change : DataFrame
        :func:`evalkit.retrospective_change` indexed by rater: ``n, mean_before,
        mean_now, mean_change, ci_low, ci_high, p``.

    Examples
    --------
    >>> ch = pd.DataFrame({"n": [317.0, 275.0], "mean_before": [33.3, 27.8],
    ...     "mean_now": [72.4, 67.0], "mean_change": [39.15, 39.2], "ci_low": [38.1, 38.2],
    ...     "ci_high": [40.2, 40.3], "p": [1e-40, 1e-40]},
    ...     index=pd.Index(["self", "supervisor"], name="rater"))
    >>> print(retro_change_conclusion(ch, "en"))  # doctest: +NORMALIZE_WHITESPACE
    Rated in one sitting, alumni put their behaviour 39.1 points higher now than before
    training (POMP 0-100: 33.3 to 72.4; 95% CI 38.1 to 40.2; p < .001; n = 317);
    supervisors 39.2 points (27.8 to 67.0; 95% CI 38.2 to 40.3; p < .001; n = 275).
    """
    i = check_lang(lang, "retro_change_conclusion")
    parts = []
    for rater, row in change.iterrows():
        ci = fmt_ci(row["ci_low"], row["ci_high"], 1, lang)
        d, n = fmt_num(row["mean_change"], 1, lang), fmt_int(row["n"], lang)
        b, a = fmt_num(row["mean_before"], 1, lang), fmt_num(row["mean_now"], 1, lang)
        p = fmt_p(row["p"], lang)
        first = not parts
        if rater == "self":
            who = _pick(i, "alumni menilai perilakunya", "alumni put their behaviour")
        else:
            who = _pick(i, "atasan", "supervisors")
        scale = _pick(i, "POMP 0-100: ", "POMP 0-100: ") if first else ""
        if first:
            parts.append(_pick(
                i,
                f"{who} {d} poin lebih tinggi sekarang daripada sebelum pelatihan ({scale}{b} "
                f"ke {a}; {ci}; {p}; n = {n})",
                f"{who} {d} points higher now than before training ({scale}{b} to {a}; {ci}; "
                f"{p}; n = {n})",
            ))  # fmt: skip
        else:
            parts.append(_pick(i, f"{who} {d} poin ({b} ke {a}; {ci}; {p}; n = {n})",
                               f"{who} {d} points ({b} to {a}; {ci}; {p}; n = {n})"))  # fmt: skip
    head = _pick(i, "Dinilai dalam satu kali pengisian, ", "Rated in one sitting, ")
    return Text(head + "; ".join(parts) + ".")


def rater_gap_conclusion(gap: pd.DataFrame, lang: str = "id") -> Text:
    """Word the supervisor-self gap (before, now) and the gap in the change.

    Parameters
    ----------
    gap : DataFrame
        :func:`evalkit.rater_gap` indexed by measure (``before, now, change``): ``n, gap,
        ci_low, ci_high, p``.

    Examples
    --------
    >>> g = pd.DataFrame({"n": [211.0] * 3, "gap": [-5.5, -5.8, -0.3],
    ...     "ci_low": [-6.7, -7.0, -2.1], "ci_high": [-4.2, -4.5, 1.5], "p": [1e-9, 1e-9, 0.7]},
    ...     index=pd.Index(["before", "now", "change"], name="measure"))
    >>> print(rater_gap_conclusion(g, "en"))  # doctest: +NORMALIZE_WHITESPACE
    For the 211 alumni rated by both, supervisors rate the behaviour now 5.8 points lower
    than the alumni themselves (95% CI −7.0 to −4.5; p < .001); the change they see differs
    from the alumni's by −0.3 points (95% CI −2.1 to 1.5; p = .700).
    """
    i = check_lang(lang, "rater_gap_conclusion")
    now, ch = gap.loc["now"], gap.loc["change"]
    n = fmt_int(now["n"], lang)
    size = fmt_num(abs(now["gap"]), 1, lang)
    lower = now["gap"] < 0
    side = _pick(i, "lebih rendah" if lower else "lebih tinggi", "lower" if lower else "higher")
    ci_now, ci_ch = (fmt_ci(r["ci_low"], r["ci_high"], 1, lang) for r in (now, ch))
    d = fmt_num(ch["gap"], 1, lang)
    return Text(_pick(
        i,
        f"Untuk {n} alumni yang dinilai keduanya, atasan menilai perilaku sekarang {size} "
        f"poin {side} daripada alumni sendiri ({ci_now}; {fmt_p(now['p'], lang)}); perubahan "
        f"yang mereka lihat berbeda {d} poin dari perubahan menurut alumni ({ci_ch}; "
        f"{fmt_p(ch['p'], lang)}).",
        f"For the {n} alumni rated by both, supervisors rate the behaviour now {size} points "
        f"{side} than the alumni themselves ({ci_now}; {fmt_p(now['p'], lang)}); the change "
        f"they see differs from the alumni's by {d} points ({ci_ch}; {fmt_p(ch['p'], lang)}).",
    ))  # fmt: skip


def response_shift_conclusion(shift: Mapping[str, Any] | pd.Series, lang: str = "id") -> Text:
    """Word the response shift: retrospective "before" against the prospective pretest.

    Examples
    --------
    >>> s = {"n": 287.0, "mean_retrospective": 33.2, "mean_prospective": 42.9,
    ...      "shift": -9.68, "ci_low": -10.83, "ci_high": -8.53, "p": 1e-40}
    >>> print(response_shift_conclusion(s, "en"))  # doctest: +NORMALIZE_WHITESPACE
    The 287 alumni who also rated themselves before training now recall their "before"
    9.7 points lower than they rated it then (33.2 against 42.9, POMP 0-100; 95% CI −10.8
    to −8.5; p < .001): a then-test change is larger than the prospective one by about
    that much.
    """
    i = check_lang(lang, "response_shift_conclusion")
    n, s = fmt_int(shift["n"], lang), fmt_num(abs(shift["shift"]), 1, lang)
    ci = fmt_ci(shift["ci_low"], shift["ci_high"], 1, lang)
    r, pr = (
        fmt_num(shift["mean_retrospective"], 1, lang),
        fmt_num(shift["mean_prospective"], 1, lang),
    )
    lower = shift["shift"] < 0
    side = _pick(i, "lebih rendah" if lower else "lebih tinggi", "lower" if lower else "higher")
    bigger = _pick(i, "lebih besar" if lower else "lebih kecil", "larger" if lower else "smaller")
    return Text(_pick(
        i,
        f"{n} alumni yang juga menilai diri sebelum pelatihan kini mengingat \"sebelum\"-nya "
        f"{s} poin {side} daripada penilaian mereka saat itu ({r} terhadap {pr}, POMP 0-100; "
        f"{ci}; {fmt_p(shift['p'], lang)}): perubahan retrospektif {bigger} daripada "
        "perubahan prospektif kira-kira sebesar itu.",
        f"The {n} alumni who also rated themselves before training now recall their "
        f"\"before\" {s} points {side} than they rated it then ({r} against {pr}, POMP "
        f"0-100; {ci}; {fmt_p(shift['p'], lang)}): a then-test change is {bigger} than the "
        "prospective one by about that much.",
    ))  # fmt: skip


def response_shift_estimates(shift: Mapping[str, Any] | pd.Series) -> pd.DataFrame:
    """Ledger rows of the two means :func:`response_shift_conclusion` sets side by side.

    The retrospective "before" and the prospective pretest of the alumni with both
    (:func:`evalkit.response_shift`), as ``pomp`` rows without an interval (the shift,
    with its paired-t interval, is a ``difference`` row of its own), ``n`` those alumni.

    Examples
    --------
    >>> s = {"n": 287.0, "mean_retrospective": 33.2, "mean_prospective": 42.9}
    >>> response_shift_estimates(s)[["group", "estimate"]].values.tolist()
    [['retrospective before (then-test)', 33.2], ['prospective pretest, same alumni', 42.9]]
    """
    from evalkit.reporting.ledger import estimates

    frame = pd.DataFrame(
        {"mean": [float(shift["mean_retrospective"]), float(shift["mean_prospective"])],
         "n": [float(shift["n"])] * 2},
        index=["retrospective before (then-test)", "prospective pretest, same alumni"],
    )  # fmt: skip
    return estimates(
        frame, level=3, outcome="behaviour rating (POMP 0-100), before", estimand="pomp",
        estimate="mean", ci=None, n="n", method="self ratings of the alumni with both; mean, "
        "person level (the two means the response shift is between)",
    )  # fmt: skip


def response_shift_limitation(shift: Mapping[str, Any] | pd.Series | None = None,
                              lang: str = "id") -> Text:  # fmt: skip
    """The limitations sentence about response shift and recall in then-test ratings.

    Parameters
    ----------
    shift : mapping or Series, optional
        A :func:`evalkit.response_shift` result; None when the study has no prospective
        pretest to compare with.

    Examples
    --------
    >>> print(response_shift_limitation(None, "en"))  # doctest: +NORMALIZE_WHITESPACE
    Limitation: "before" and "now" were rated in one sitting. That avoids the response
    shift of a pretest (people judge themselves by a standard the training changes) but
    adds recall and effort-justification bias (Howard 1980); without a prospective pretest
    the study cannot tell how large these are, so the change is an upper bound rather than
    a measured effect.
    """
    i = check_lang(lang, "response_shift_limitation")
    head = _pick(
        i,
        "Keterbatasan: \"sebelum\" dan \"sekarang\" dinilai dalam satu kali pengisian. Cara "
        "itu menghindari pergeseran respons pada pretes (orang menilai diri dengan standar "
        "yang diubah oleh pelatihan) tetapi menambah bias ingatan dan pembenaran usaha "
        "(Howard 1980); ",
        "Limitation: \"before\" and \"now\" were rated in one sitting. That avoids the "
        "response shift of a pretest (people judge themselves by a standard the training "
        "changes) but adds recall and effort-justification bias (Howard 1980); ",
    )  # fmt: skip
    if shift is None or is_missing(shift.get("shift")):
        tail = _pick(
            i,
            "tanpa pretes prospektif studi ini tidak dapat mengetahui besarnya, jadi "
            "perubahan itu batas atas, bukan efek yang terukur.",
            "without a prospective pretest the study cannot tell how large these are, so the "
            "change is an upper bound rather than a measured effect.",
        )  # fmt: skip
    else:
        s = fmt_num(shift["shift"], 1, lang)
        ci = fmt_ci(shift["ci_low"], shift["ci_high"], 1, lang)
        tail = _pick(
            i,
            f"pada alumni dengan pretes prospektif, \"sebelum\" retrospektif berbeda {s} poin "
            f"dari pretes ({ci}), jadi perubahan retrospektif perlu dibaca dengan koreksi "
            "sebesar itu.",
            f"in the alumni with a prospective pretest the retrospective \"before\" differs by "
            f"{s} points from the pretest ({ci}), so the retrospective change should be read "
            "as off by about that much.",
        )  # fmt: skip
    return Text(head + tail)


def persistence_conclusion(curve: pd.DataFrame, lang: str = "id") -> Text:
    """Word the persistence curve: each program's transfer at its first and last wave.

    Parameters
    ----------
    curve : DataFrame
        :func:`evalkit.persistence_curve`: ``program_id, months_after, n, mean, ci_low,
        ci_high``.

    Examples
    --------
    >>> c = pd.DataFrame({"program_id": ["A", "A", "B"], "months_after": [3, 12, 3],
    ...     "n": [80.0, 40.0, 45.0], "n_clusters": [3.0, 2.0, 2.0], "mean": [57.4, 48.8, 60.7],
    ...     "ci_low": [54.0, 44.1, 33.1], "ci_high": [60.8, 53.5, 88.3]})
    >>> print(persistence_conclusion(c, "en"))  # doctest: +NORMALIZE_WHITESPACE
    Transfer index (POMP 0-100) from the first to the last follow-up wave: A 57.4 at 3
    months to 48.8 at 12 months (95% CI 44.1 to 53.5; n = 40 in 2 cohorts); B one wave
    only (3 months, 60.7). The later waves hold fewer alumni and cohorts, so a falling
    curve mixes decay with who is still rated; with two or three cohorts the interval is
    wide.
    """
    i = check_lang(lang, "persistence_conclusion")
    parts = []
    for prog, g in curve.sort_values("months_after").groupby("program_id", sort=True):
        first, last = g.iloc[0], g.iloc[-1]
        m0, m1 = fmt_int(first["months_after"], lang), fmt_int(last["months_after"], lang)
        if len(g) == 1:
            parts.append(_pick(i, f"{prog} hanya satu gelombang ({m0} bulan, "
                                  f"{fmt_num(first['mean'], 1, lang)})",
                               f"{prog} one wave only ({m0} months, "
                               f"{fmt_num(first['mean'], 1, lang)})"))  # fmt: skip
            continue
        ci = fmt_ci(last["ci_low"], last["ci_high"], 1, lang)
        a, b = fmt_num(first["mean"], 1, lang), fmt_num(last["mean"], 1, lang)
        n = fmt_int(last["n"], lang)
        g = last.get("n_clusters")
        k = "" if is_missing(g) else fmt_int(g, lang)
        where = (_pick(i, f"; n = {n} dari {k} angkatan", f"; n = {n} in {k} cohorts") if k
                 else f"; n = {n}")  # fmt: skip
        parts.append(_pick(i, f"{prog} {a} pada {m0} bulan ke {b} pada {m1} bulan ({ci}{where})",
                           f"{prog} {a} at {m0} months to {b} at {m1} months ({ci}{where})"))  # fmt: skip
    head = _pick(i, "Indeks transfer (POMP 0-100) dari gelombang tindak lanjut pertama ke "
                    "terakhir: ",
                 "Transfer index (POMP 0-100) from the first to the last follow-up wave: ")  # fmt: skip
    tail = _pick(i, " Gelombang yang lebih lambat berisi lebih sedikit alumni dan angkatan, "
                    "jadi kurva yang menurun mencampur penurunan dengan siapa yang masih dinilai; "
                    "dengan dua atau tiga angkatan selang kepercayaannya lebar.",
                 " The later waves hold fewer alumni and cohorts, so a falling curve mixes "
                 "decay with who is still rated; with two or three cohorts the interval is "
                 "wide.")  # fmt: skip
    return Text(head + "; ".join(parts) + "." + tail)


def attrition_by_wave_conclusion(attrition: pd.DataFrame, lang: str = "id") -> Text:
    """Word attrition at each later wave and how who left differed from who stayed.

    Parameters
    ----------
    attrition : DataFrame
        :func:`evalkit.attrition_by_wave`.

    Examples
    --------
    >>> a = pd.DataFrame({"months_after": [12, 12], "measure": ["dropped_out", "gain"],
    ...     "estimate": [0.31, -3.2], "ci_low": [0.27, -6.0], "ci_high": [0.36, -0.4],
    ...     "p": [float("nan"), 0.03], "n": [356.0, 300.0], "n_dropped": [111.0, 90.0],
    ...     "n_stayed": [245.0, 210.0]})
    >>> print(attrition_by_wave_conclusion(a, "en"))  # doctest: +NORMALIZE_WHITESPACE
    At 12 months 31.0% of the 356 alumni rated at the first wave (in cohorts that reached
    it) were not rated again (95% CI 27.0% to 36.0%); those who left differed from those
    who stayed in: learning gain −3.2 (95% CI −6.0 to −0.4).
    """
    i = check_lang(lang, "attrition_by_wave_conclusion")
    labels = {"index_baseline": ("indeks transfer awal", "first-wave transfer index"),
              "pre": ("nilai pretes", "pre-test score"), "gain": ("kenaikan nilai", "learning gain")}  # fmt: skip
    sentences = []
    for wave, g in attrition.groupby("months_after", sort=True):
        g = g.set_index("measure")
        d = g.loc["dropped_out"]
        share = fmt_pct(100 * d["estimate"], 1, lang)
        lo, hi = fmt_pct(100 * d["ci_low"], 1, lang), fmt_pct(100 * d["ci_high"], 1, lang)
        m, n = fmt_int(wave, lang), fmt_int(d["n"], lang)
        ci_word = _pick(i, "IK 95%", "95% CI")
        to = _pick(i, "s.d.", "to")
        text = _pick(
            i,
            f"Pada {m} bulan {share} dari {n} alumni yang dinilai pada gelombang pertama (di "
            f"angkatan yang sampai ke sana) tidak dinilai lagi ({ci_word} {lo} {to} {hi})",
            f"At {m} months {share} of the {n} alumni rated at the first wave (in cohorts that "
            f"reached it) were not rated again ({ci_word} {lo} {to} {hi})",
        )  # fmt: skip
        differ = [
            f"{labels[k][i]} {fmt_num(r['estimate'], 1, lang)} "
            f"({fmt_ci(r['ci_low'], r['ci_high'], 1, lang)})"
            for k, r in g.drop(index="dropped_out").iterrows()
            if k in labels and not is_missing(r["p"]) and r["p"] < 0.05
        ]
        if differ:
            text += _pick(i, "; yang keluar berbeda dari yang bertahan dalam: ",
                          "; those who left differed from those who stayed in: ")  # fmt: skip
            text += ", ".join(differ)
        elif len(g) > 1:
            text += _pick(i, "; yang keluar tidak berbeda jelas dari yang bertahan",
                          "; those who left did not clearly differ from those who stayed")  # fmt: skip
        sentences.append(text + ".")
    return Text(" ".join(sentences))


def long_term_statement(evidence: pd.DataFrame, lang: str = "id") -> Text:
    """What the study can and cannot say about long-term impact at its n.

    Parameters
    ----------
    evidence : DataFrame
        :func:`evalkit.long_term_evidence`: ``months_after, n_pairs, n_clusters,
        mean_change, mde_points, mde_dz, detectable``.

    Examples
    --------
    >>> e = pd.DataFrame({"months_after": [12], "n_pairs": [246.0], "n_clusters": [11.0],
    ...     "mean_change": [-8.66], "sd_change": [17.0], "mde_dz": [0.179],
    ...     "mde_points": [3.06], "detectable": [True]})
    >>> print(long_term_statement(e, "en"))  # doctest: +NORMALIZE_WHITESPACE
    Long term: 246 alumni in 11 cohorts were rated both at the first wave and at 12
    months; at that n the study detects (80% power, 5% two-sided) a change of at least
    3.1 points (d_z = 0.18). The observed change, −8.7 points, is larger than that: the
    study can say transfer changed by 12 months in these alumni. It cannot say what
    happens after its last wave, nor for cohorts that have not reached it; with people as
    independent and few cohorts the true detectable change is larger still.
    """
    i = check_lang(lang, "long_term_statement")
    if evidence.empty:
        return Text(_pick(
            i,
            "Jangka panjang: studi ini hanya punya satu gelombang tindak lanjut, jadi tidak "
            "dapat mengatakan apakah penerapan bertahan.",
            "Long term: the study has a single follow-up wave, so it cannot say whether "
            "transfer lasts.",
        ))  # fmt: skip
    last = evidence.sort_values("months_after").iloc[-1]
    m = fmt_int(last["months_after"], lang)
    n, g = fmt_int(last["n_pairs"], lang), fmt_int(last["n_clusters"], lang)
    if is_missing(last["mde_points"]):
        body = _pick(
            i,
            f"Jangka panjang: hanya {n} alumni dinilai pada gelombang pertama dan pada {m} "
            "bulan, terlalu sedikit untuk menguji perubahan; studi ini tidak dapat mengatakan "
            "apakah penerapan bertahan.",
            f"Long term: only {n} alumni were rated both at the first wave and at {m} months, "
            "too few to test a change; the study cannot say whether transfer lasts.",
        )  # fmt: skip
        return Text(body)
    mde, dz = fmt_num(last["mde_points"], 1, lang), fmt_num(last["mde_dz"], 2, lang)
    obs = fmt_num(last["mean_change"], 1, lang)
    head = _pick(
        i,
        f"Jangka panjang: {n} alumni dari {g} angkatan dinilai pada gelombang pertama dan pada "
        f"{m} bulan; dengan n itu studi ini mendeteksi (kuasa 80%, 5% dua sisi) perubahan "
        f"minimal {mde} poin (d_z = {dz}). ",
        f"Long term: {n} alumni in {g} cohorts were rated both at the first wave and at {m} "
        f"months; at that n the study detects (80% power, 5% two-sided) a change of at least "
        f"{mde} points (d_z = {dz}). ",
    )  # fmt: skip
    if bool(last["detectable"]):
        mid = _pick(
            i,
            f"Perubahan yang teramati, {obs} poin, lebih besar dari itu: studi ini dapat "
            f"mengatakan bahwa penerapan berubah sampai {m} bulan pada alumni ini. ",
            f"The observed change, {obs} points, is larger than that: the study can say "
            f"transfer changed by {m} months in these alumni. ",
        )  # fmt: skip
    else:
        mid = _pick(
            i,
            f"Perubahan yang teramati, {obs} poin, lebih kecil dari itu: studi ini tidak dapat "
            "membedakannya dari tidak ada perubahan, dan itu bukan bukti bahwa penerapan "
            "bertahan. ",
            f"The observed change, {obs} points, is smaller than that: the study cannot tell "
            "it from no change, and that is not evidence that transfer lasts. ",
        )  # fmt: skip
    tail = _pick(
        i,
        "Studi ini tidak dapat mengatakan apa yang terjadi setelah gelombang terakhirnya, "
        "ataupun untuk angkatan yang belum sampai ke sana; dengan orang dianggap independen "
        "dan sedikit angkatan, perubahan yang benar-benar terdeteksi lebih besar lagi.",
        "It cannot say what happens after its last wave, nor for cohorts that have not "
        "reached it; with people as independent and few cohorts the true detectable change "
        "is larger still.",
    )  # fmt: skip
    return Text(head + mid + tail)
