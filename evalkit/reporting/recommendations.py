"""Limitations and recommendations of a report, by documented rules from its ledger rows.

Limitations (:func:`limitations`) are read from the data: the n and the minimum
detectable effect, response rates under :data:`evalkit.reporting.methods.RESPONSE_LOW`,
reliability under :data:`evalkit.constants.ALPHA_ACCEPTABLE`, few clusters, self-report,
the absence of a comparison group, the follow-up lag and attrition.

Recommendations (:func:`recommend`) come from :data:`RULES`: each rule is a small
function of the ledger rows (and the response rates) that returns its sentence as an
(id, en) pair, naming its evidence, or None when it does not apply:

- ``support_transfer``: the learning gain is clear (its CI lies above 0) but the
  transfer index at the first follow-up is under :data:`TRANSFER_WEAK` of 100;
- ``revise_instrument``: a reliability coefficient (alpha, omega, KR-20) under .70;
- ``review_items``: items whose whole 95% CI of discrimination lies under
  :data:`DISCRIMINATION_LOW`;
- ``weakest_dimension``: a reaction dimension whose CI lies below every other one's;
- ``pool_or_enlarge``: the MDE is larger than the observed standardised gain;
- ``no_roi_claim``: the BCR's CI contains break-even (1), or lies below it;
- ``raise_supervisor_response``: supervisor ratings answered by fewer than 70%.

Examples
--------
>>> rows = [{"level": 5, "outcome": "Phillips ROI", "estimand": "bcr", "group": "",
...          "estimate": 1.2, "ci_low": 0.8, "ci_high": 1.6, "n": 30}]
>>> print(recommend(rows, "en"))  # doctest: +ELLIPSIS
- **Do not claim a return.** The BCR is 1.20 (95% CI 0.80 to 1.60; n = 30): ...
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from evalkit import constants as C
from evalkit.reporting.formats import fmt_ci, fmt_int, fmt_num
from evalkit.reporting.method_terms import outcome_text
from evalkit.reporting.methods import RESPONSE_LOW, response_text
from evalkit.reporting.summary import find_estimate, find_estimates, ledger_rows, share_text
from evalkit.reporting.terms import Text, check_lang, is_missing, term

__all__ = [
    "DISCRIMINATION_LOW",
    "FEW_CLUSTERS",
    "RULES",
    "TRANSFER_WEAK",
    "group_words",
    "limitations",
    "no_roi_claim",
    "outcome_words",
    "pool_or_enlarge",
    "raise_supervisor_response",
    "recommend",
    "review_items",
    "revise_instrument",
    "support_transfer",
    "weakest_dimension",
]

#: A transfer index (POMP 0-100) under this is weak (the post-training apps' band
#: "Berdampak" starts at 60 of 100).
TRANSFER_WEAK = 60.0

#: An item whose whole 95% CI of discrimination (corrected item-total r, or D) lies
#: under this is to be reviewed.
DISCRIMINATION_LOW = 0.30

#: Fewer clusters than this make cluster-robust standard errors unreliable
#: (as :data:`evalkit.reporting.conclusions.results.FEW_CLUSTERS`).
FEW_CLUSTERS = 30

Pair = tuple[str, str]

#: The reliability coefficients as a report names them: estimand -> (id, en).
COEFFICIENTS: dict[str, Pair] = {"alpha": ("alfa", "alpha"), "omega": ("omega", "omega"),
                                 "kr20": ("KR-20", "KR-20")}  # fmt: skip


def outcome_words(outcome: str, lang: str = "id") -> str:
    """A ledger outcome name (English, the ledger's vocabulary) in ``lang``.

    The one translation of the ledger's outcomes,
    :func:`evalkit.reporting.method_terms.outcome_text` (its dictionary
    :data:`~evalkit.reporting.method_terms.OUTCOMES_ID`, then the term dictionary).

    Examples
    --------
    >>> outcome_words("knowledge test"), outcome_words("facilitator rating items")
    ('tes pengetahuan', 'butir penilaian narasumber')
    >>> outcome_words("reaction scale", "en")
    'reaction scale'
    """
    check_lang(lang, "outcome_words")
    return outcome_text(outcome, lang)


def group_words(group: str, lang: str = "id") -> str:
    """A ledger group label in ``lang``: each part of ``a / b`` through the term dictionary.

    Codes and item texts (a facilitator's pseudonym, ``s07``, an item as asked) stay.

    Examples
    --------
    >>> group_words("form 1 / s07"), group_words("form 1 / s07", "en"), group_words("F0373C2ECFF")
    ('bentuk 1 / s07', 'form 1 / s07', 'F0373C2ECFF')
    """
    check_lang(lang, "group_words")
    return " / ".join(term(part, lang) for part in str(group).split(" / "))


def _ci(row: pd.Series, decimals: int, lang: str, *, leading_zero: bool = True) -> str:
    """``(95% CI a to b; n = N)``, or ``(n = N)`` without an interval."""
    parts = []
    if not (is_missing(row["ci_low"]) or is_missing(row["ci_high"])):
        parts.append(
            fmt_ci(row["ci_low"], row["ci_high"], decimals, lang, leading_zero=leading_zero)
        )
    if not is_missing(row["n"]):
        parts.append(f"n = {fmt_int(row['n'], lang)}")
    return f" ({'; '.join(parts)})" if parts else ""


def _both(make: Callable[[str], str]) -> Pair:
    """An (id, en) pair from a function of the language."""
    return make("id"), make("en")


# --- the rules -------------------------------------------------------------------------


def support_transfer(frame: pd.DataFrame, rates: pd.DataFrame | None = None) -> Pair | None:
    """A clear learning gain but a transfer index under :data:`TRANSFER_WEAK`.

    Examples
    --------
    >>> frame = ledger_rows([
    ...     {"level": 2, "outcome": "test score", "estimand": "mean_change", "group": "",
    ...      "estimate": 11.0, "ci_low": 7.8, "ci_high": 14.2, "n": 17, "primary": True},
    ...     {"level": 3, "outcome": "transfer index, 3 months", "estimand": "pomp",
    ...      "group": "3 months", "estimate": 52.0, "ci_low": 45.0, "ci_high": 59.0, "n": 18}])
    >>> support_transfer(frame)[1]  # doctest: +ELLIPSIS
    '**Support transfer on the job.** Test scores rose clearly (11.0 points; ...'
    """
    gain = find_estimate(frame, level=2, estimand="mean_change", outcome="test score",
                         group=["", "all"], primary=True)  # fmt: skip
    waves = find_estimates(frame, level=3, estimand="pomp", outcome_startswith="transfer index")
    waves = waves[waves["group"].str.endswith("months")]
    if gain is None or waves.empty or is_missing(gain["ci_low"]) or gain["ci_low"] <= 0:
        return None
    first = waves.iloc[0]
    if first["estimate"] >= TRANSFER_WEAK:
        return None
    months = first["group"].split()[0]

    def text(lang: str) -> str:
        i = check_lang(lang, "support_transfer")
        gained = f"{fmt_num(gain['estimate'], 1, lang)} {('poin', 'points')[i]}"
        index = fmt_num(first["estimate"], 1, lang) + _ci(first, 1, lang)
        weak = fmt_num(TRANSFER_WEAK, 0, lang)
        return (
            f"**Dukung penerapan di tempat kerja.** Nilai tes naik dengan jelas ({gained}; "
            f"{fmt_ci(gain['ci_low'], gain['ci_high'], 1, lang)}), tetapi indeks transfer "
            f"{months} bulan hanya {index}, di bawah {weak} dari 100: yang dipelajari belum "
            "banyak diterapkan. Beri tugas penerapan yang dibahas dengan atasan, pendampingan "
            "mentor, dan pantau aksi perubahan.",
            f"**Support transfer on the job.** Test scores rose clearly ({gained}; "
            f"{fmt_ci(gain['ci_low'], gain['ci_high'], 1, lang)}), but the {months}-month "
            f"transfer index is only {index}, under {weak} of 100: what was learnt is little "
            "applied. Give application assignments agreed with the supervisor, mentoring, and "
            "follow the change projects up.",
        )[i]

    return _both(text)


def revise_instrument(frame: pd.DataFrame, rates: pd.DataFrame | None = None) -> Pair | None:
    """A reliability coefficient (alpha, omega, KR-20) under .70.

    Examples
    --------
    >>> frame = ledger_rows([{"level": 2, "outcome": "knowledge test", "estimand": "kr20",
    ...     "group": "", "estimate": 0.58, "ci_low": 0.41, "ci_high": 0.72, "n": 30}])
    >>> revise_instrument(frame)[1]  # doctest: +ELLIPSIS
    '**Revise the instrument.** knowledge test: KR-20 .58 (95% CI .41 to .72; n = 30), under .70...'
    """
    low = find_estimates(frame, estimand=["alpha", "omega", "kr20"])
    low = low[low["estimate"] < C.ALPHA_ACCEPTABLE]
    if low.empty:
        return None

    def text(lang: str) -> str:
        i = check_lang(lang, "revise_instrument")
        limit = fmt_num(C.ALPHA_ACCEPTABLE, 2, lang, leading_zero=(i == 0))
        found = "; ".join(
            f"{outcome_words(row['outcome'], lang)}"
            f"{' ' + group_words(row['group'], lang) if row['group'] else ''}: "
            f"{COEFFICIENTS[row['estimand']][i]} "
            f"{fmt_num(row['estimate'], 2, lang, leading_zero=(i == 0))}"
            f"{_ci(row, 2, lang, leading_zero=(i == 0))}"
            for _, row in low.iterrows()
        )
        return (
            f"**Revisi instrumennya.** {found}, di bawah {limit}: skor instrumen ini belum "
            "cukup konsisten untuk menilai orang atau membandingkan angkatan. Ganti atau tulis "
            "ulang butir yang daya bedanya rendah dan uji lagi sebelum dipakai.",
            f"**Revise the instrument.** {found}, under {limit}: its scores are not "
            "consistent enough to judge people or compare cohorts. Replace or rewrite the "
            "items with low discrimination and try it out again before use.",
        )[i]

    return _both(text)


def review_items(frame: pd.DataFrame, rates: pd.DataFrame | None = None) -> Pair | None:
    """Items whose whole 95% CI of discrimination lies under :data:`DISCRIMINATION_LOW`.

    Examples
    --------
    >>> frame = ledger_rows([{"level": 2, "outcome": "test item", "group": "s07",
    ...     "estimand": "item_discrimination", "estimate": 0.05, "ci_low": -0.2,
    ...     "ci_high": 0.25, "n": 30}])
    >>> review_items(frame)[1]  # doctest: +ELLIPSIS
    '**Review the items s07 (test item).** Their whole 95% CI of discrimination lies under .30...'
    """
    items = find_estimates(frame, estimand="item_discrimination")
    items = items[items["ci_high"] < DISCRIMINATION_LOW]
    if items.empty:
        return None
    by_outcome = {o: list(g["group"]) for o, g in items.groupby("outcome", sort=False)}

    def text(lang: str) -> str:
        i = check_lang(lang, "review_items")
        which = "; ".join(
            f"{', '.join(group_words(g, lang) for g in names)} ({outcome_words(outcome, lang)})"
            for outcome, names in by_outcome.items()
        )
        limit = fmt_num(DISCRIMINATION_LOW, 2, lang, leading_zero=(i == 0))
        return (
            f"**Tinjau butir {which}.** Seluruh IK 95% daya bedanya di bawah {limit}: butir "
            "itu tidak membedakan peserta yang menguasai materi dari yang belum. Hanya butir "
            "yang IK-nya mendukung yang disebut di sini.",
            f"**Review the items {which}.** Their whole 95% CI of discrimination lies under "
            f"{limit}: they do not tell participants who master the content from those who "
            "do not. Only items whose CI supports it are named here.",
        )[i]

    return _both(text)


def weakest_dimension(frame: pd.DataFrame, rates: pd.DataFrame | None = None) -> Pair | None:
    """A reaction dimension whose 95% CI lies wholly below the CI of every other dimension.

    Examples
    --------
    >>> rows = [{"level": 1, "outcome": "reaction", "estimand": "pomp", "group": g,
    ...          "estimate": e, "ci_low": e - 4, "ci_high": e + 4, "n": 20}
    ...         for g, e in [("content", 70), ("facilities", 50), ("relevance", 68)]]
    >>> weakest_dimension(ledger_rows(rows))[1]  # doctest: +ELLIPSIS
    '**Improve Facilities first.** Its score is 50.0 of 100 (POMP; 95% CI 46.0 to 54.0; n = 20)...'
    """
    dims = find_estimates(frame, level=1, estimand="pomp", outcome="reaction")
    dims = dims[dims["group"].isin(list(C.REACTION_DIMENSIONS)) & dims["ci_high"].notna()]
    if len(dims) < 2:
        return None
    lowest = dims.loc[dims["estimate"].idxmin()]
    others = dims.drop(index=lowest.name)
    if not (lowest["ci_high"] < others["ci_low"]).all():
        return None

    def text(lang: str) -> str:
        i = check_lang(lang, "weakest_dimension")
        name = term(lowest["group"], lang)
        ci = _ci(lowest, 1, lang).replace(" (", "; ", 1)
        return (
            f"**Perbaiki {name} lebih dulu.** Skornya {fmt_num(lowest['estimate'], 1, lang)} "
            f"dari 100 (POMP{ci}, dan seluruh IK 95%-nya di bawah IK dimensi lain.",
            f"**Improve {name} first.** Its score is {fmt_num(lowest['estimate'], 1, lang)} of "
            f"100 (POMP{ci}, and its whole 95% CI lies below those of the other dimensions.",
        )[i]

    return _both(text)


def pool_or_enlarge(frame: pd.DataFrame, rates: pd.DataFrame | None = None) -> Pair | None:
    """The MDE (d_z) is larger than the observed standardised gain d_z.

    Examples
    --------
    >>> frame = ledger_rows([
    ...     {"level": 0, "outcome": "test score", "estimand": "mde", "estimate": 0.72, "n": 17},
    ...     {"level": 2, "outcome": "test score", "estimand": "d_z", "group": "",
    ...      "estimate": 0.40, "n": 17}])
    >>> pool_or_enlarge(frame)[1]  # doctest: +ELLIPSIS
    '**Pool cohorts or enlarge the sample.** With n = 17 the smallest effect ...'
    """
    mde = find_estimate(frame, level=0, estimand="mde", outcome="test score")
    dz = find_estimate(frame, level=2, estimand="d_z", outcome="test score", group=["", "all"])
    if mde is None or dz is None or mde["estimate"] <= abs(dz["estimate"]):
        return None

    def text(lang: str) -> str:
        i = check_lang(lang, "pool_or_enlarge")
        n = fmt_int(mde["n"], lang)
        m, d = fmt_num(mde["estimate"], 2, lang), fmt_num(dz["estimate"], 2, lang)
        return (
            f"**Gabungkan angkatan atau perbesar sampel.** Dengan n = {n}, efek terkecil yang "
            f"dapat dideteksi adalah d_z = {m}, lebih besar dari d_z teramati {d}: efek sebesar "
            "ini mudah terlewat. Gabungkan angkatan yang memakai tes yang sama (ikhtisar "
            "program) atau rencanakan angkatan yang lebih besar.",
            f"**Pool cohorts or enlarge the sample.** With n = {n} the smallest effect this "
            f"design detects is d_z = {m}, larger than the observed d_z of {d}: an effect of "
            "this size is easily missed. Pool the cohorts that sat the same test (program "
            "overview) or plan larger cohorts.",
        )[i]

    return _both(text)


def no_roi_claim(frame: pd.DataFrame, rates: pd.DataFrame | None = None) -> Pair | None:
    """The BCR's 95% CI contains break-even (1), or lies wholly below it.

    Examples
    --------
    >>> frame = ledger_rows([{"level": 5, "outcome": "Phillips ROI", "estimand": "bcr",
    ...     "group": "", "estimate": 0.2, "ci_low": 0.1, "ci_high": 0.3, "n": 30}])
    >>> no_roi_claim(frame)[1]  # doctest: +ELLIPSIS
    '**The benefits do not cover the costs.** The BCR is 0.20 ...'
    """
    bcr = find_estimate(frame, level=5, estimand="bcr", group="")
    if bcr is None:
        bcr = find_estimate(frame, level=5, estimand="bcr", group="portfolio")
    if bcr is None or is_missing(bcr["ci_low"]) or bcr["ci_low"] > 1:
        return None
    below = bcr["ci_high"] < 1

    def text(lang: str) -> str:
        i = check_lang(lang, "no_roi_claim")
        value = f"{fmt_num(bcr['estimate'], 2, lang)}{_ci(bcr, 2, lang)}"
        if below:
            return (
                f"**Manfaat tidak menutup biaya.** BCR {value}: seluruh IK 95% di bawah titik "
                "impas (1). Jangan mengklaim imbal hasil; tinjau biaya terbesar (termasuk waktu "
                "peserta) dan catat manfaat tak berwujud secara terpisah, tanpa dirupiahkan.",
                f"**The benefits do not cover the costs.** The BCR is {value}: its whole 95% CI "
                "lies below break-even (1). Do not claim a return; review the largest costs "
                "(participant time included) and report intangible benefits apart, unmonetised.",
            )[i]
        return (
            f"**Jangan mengklaim imbal hasil.** BCR {value}: IK 95% memuat titik impas (1), "
            "sehingga data ini tidak menunjukkan bahwa manfaat melebihi biaya. Kumpulkan "
            "estimasi manfaat dari lebih banyak peserta sebelum menyimpulkan.",
            f"**Do not claim a return.** The BCR is {value}: its 95% CI contains break-even "
            "(1), so these data do not show that benefits exceed costs. Collect benefit "
            "estimates from more participants before concluding.",
        )[i]

    return _both(text)


def raise_supervisor_response(
    frame: pd.DataFrame, rates: pd.DataFrame | None = None
) -> Pair | None:
    """Supervisor ratings answered by fewer than :data:`RESPONSE_LOW` of the alumni.

    Examples
    --------
    >>> rates = pd.DataFrame({"n": [21], "of": [32], "rate": [21 / 32]}, index=["supervisor_6"])
    >>> raise_supervisor_response(ledger_rows([]), rates)[1].startswith(
    ...     "**Raise the supervisors' response.** Response: supervisor ratings, 6 months 21/32 = 66%.")
    True
    """
    if rates is None or rates.empty:
        return None
    low = rates[
        rates.index.astype(str).str.startswith("supervisor_") & (rates["rate"] < RESPONSE_LOW)
    ]
    if low.empty:
        return None

    def text(lang: str) -> str:
        i = check_lang(lang, "raise_supervisor_response")
        said = str(response_text(low, lang)).split(". ")[0].rstrip(".") + "."
        return (
            f"**Tingkatkan respons atasan.** {said} Tanpa penilaian atasan, Level 3 bersandar "
            "pada penilaian diri. Kirim formulir atasan bersama formulir alumni, beri tenggat "
            "dan pengingat, dan minta pimpinan unit (melalui BKPSDM) menugaskannya.",
            f"**Raise the supervisors' response.** {said} Without supervisor ratings, Level 3 "
            "rests on self-ratings. Send the supervisor's form with the alumnus's, set a "
            "deadline and reminders, and have the unit head (through BKPSDM) assign it.",
        )[i]

    return _both(text)


#: The recommendation rules, in the order the report lists what they find.
RULES: tuple[Callable[[pd.DataFrame, pd.DataFrame | None], Pair | None], ...] = (
    support_transfer,
    weakest_dimension,
    revise_instrument,
    review_items,
    pool_or_enlarge,
    no_roi_claim,
    raise_supervisor_response,
)


def recommend(rows: Any, lang: str = "id", *, rates: pd.DataFrame | None = None) -> Text:
    """The recommendations :data:`RULES` draw from a report's ledger rows, as a list.

    Parameters
    ----------
    rows : list of dict or DataFrame
        The report's ledger rows.
    rates : DataFrame, optional
        :func:`evalkit.reporting.methods.response_rates`.

    Examples
    --------
    >>> print(recommend([], "en"))
    No rule of evalkit's recommendations applies to this report's results.
    """
    i = check_lang(lang, "recommendations")
    frame = ledger_rows(rows)
    found = [pair[i] for rule in RULES if (pair := rule(frame, rates)) is not None]
    if not found:
        return Text(
            (
                "Tidak ada aturan rekomendasi evalkit yang berlaku untuk hasil laporan ini.",
                "No rule of evalkit's recommendations applies to this report's results.",
            )[i]
        )
    return Text("\n".join(f"- {text}" for text in found))


def _reversion_limits(frame: pd.DataFrame, lang: str) -> list[str]:
    """A limitation per impact outcome whose event study signals regression to the mean."""
    i = check_lang(lang, "limitations")
    out = []
    for _, row in find_estimates(frame, level=4, estimand="mean_reversion").iterrows():
        what = outcome_words(row["outcome"], lang)
        what = what[:1].lower() + what[1:] if what[1:2].islower() else what  # not "iKM"
        count = (  # a count outcome's effect is a rate ratio (section_estimates)
            find_estimate(frame, level=4, estimand="rate_ratio", outcome=row["outcome"]) is not None
        )
        before = fmt_num(row["estimate"], 2, lang, sign=not count)
        side = (("rasio laju", "rate ratio") if count else ("selisih", "difference"))[i]
        out.append(
            (
                f"**Regresi ke rerata ({what}).** Sebelum periode acuan, {side} rerata unit "
                f"terlatih dan pembanding sudah {before}, di sisi yang sama dengan efeknya: "
                "periode acuan tidak biasa bagi unit terlatih, sehingga sebagian efek dapat "
                "berupa kembalinya nilai ke rerata, dan efek sebenarnya bisa lebih kecil.",
                f"**Regression to the mean ({what}).** Before the reference period the "
                f"trained-to-comparison {side} was already {before} on average, on the side of "
                "the effect: the reference period was unusual for the trained units, so part of "
                "the effect may be a return to their usual level, and the true effect may be "
                "smaller.",
            )[i]
        )
    return out


def limitations(
    rows: Any,
    lang: str = "id",
    *,
    report: str,
    rates: pd.DataFrame | None = None,
    waves: tuple[int, ...] | list[int] = (),
) -> Text:
    """The limitations of a report, read from its ledger rows and response rates.

    Parameters
    ----------
    rows : list of dict or DataFrame
        The report's ledger rows.
    report : {"cohort", "overview", "impact"}
    rates : DataFrame, optional
        :func:`evalkit.reporting.methods.response_rates`.
    waves : sequence of int
        The follow-up waves (months after the training); empty when there is none.

    Examples
    --------
    >>> rows = [{"level": 0, "outcome": "test score", "estimand": "mde", "estimate": 0.72,
    ...          "n": 17}]
    >>> print(limitations(rows, "en", report="cohort"))  # doctest: +ELLIPSIS
    - **Small n.** With n = 17 the smallest effect detectable (80% power, α = .05) is d_z = 0.72...
    """
    i = check_lang(lang, "limitations")
    frame = ledger_rows(rows)
    out: list[str] = []
    mde = find_estimate(frame, level=0, estimand="mde")
    if mde is not None:
        n, m = fmt_int(mde["n"], lang), fmt_num(mde["estimate"], 2, lang)
        if report == "impact":
            out.append(
                (
                    f"**Sedikit unit.** Dengan {n} unit per kelompok, perbedaan rerata unit terkecil "
                    f"yang dapat dideteksi (power 80%, α = 0,05) adalah {m} SB.",
                    f"**Few units.** With {n} units per group, the smallest difference in unit means "
                    f"detectable (80% power, α = .05) is {m} SD.",
                )[i]
            )
        else:
            out.append(
                (
                    f"**n kecil.** Dengan n = {n}, efek terkecil yang dapat dideteksi (power 80%, "
                    f"α = 0,05) adalah d_z = {m}; efek yang lebih kecil mudah terlewat.",
                    f"**Small n.** With n = {n} the smallest effect detectable (80% power, "
                    f"α = .05) is d_z = {m}; smaller effects are easily missed.",
                )[i]
            )
    at = frame[frame["level"] == 4] if report == "impact" else frame
    clusters = at["n_clusters"].dropna()
    clusters = clusters[clusters >= 2]
    if len(clusters) and clusters.max() < FEW_CLUSTERS:
        g = fmt_int(clusters.max(), lang)
        unit = (("unit", "units") if report == "impact" else ("angkatan", "cohorts"))[i]
        out.append(
            (
                f"**Sedikit klaster.** Hanya {g} {unit} (kurang dari {FEW_CLUSTERS}): SE robust-klaster "
                "dapat terlalu kecil"
                + (
                    "; kesimpulan bersandar pada inferensi randomisasi."
                    if report == "impact"
                    else "."
                ),
                f"**Few clusters.** Only {g} {unit} (fewer than {FEW_CLUSTERS}): cluster-robust SEs "
                "may be too small"
                + (
                    "; the conclusions rest on randomisation inference."
                    if report == "impact"
                    else "."
                ),
            )[i]
        )
    if rates is not None and not rates.empty:
        low = rates[rates["rate"] < RESPONSE_LOW]
        if not low.empty:
            said = str(response_text(low, lang)).split(". ")[0].rstrip(".")
            said = said.split(": ", 1)[-1]
            limit = fmt_num(100 * RESPONSE_LOW, 0, lang)
            out.append(
                (
                    f"**Respons rendah.** Di bawah {limit}%: {said}. Yang menjawab mungkin berbeda "
                    "dari yang tidak.",
                    f"**Low response.** Under {limit}%: {said}. Those who answered may differ from "
                    "those who did not.",
                )[i]
            )
    low_rel = find_estimates(frame, estimand=["alpha", "omega", "kr20"])
    low_rel = low_rel[low_rel["estimate"] < C.ALPHA_ACCEPTABLE]
    if not low_rel.empty:
        what = ", ".join(dict.fromkeys(outcome_words(o, lang) for o in low_rel["outcome"]))
        limit = fmt_num(C.ALPHA_ACCEPTABLE, 2, lang, leading_zero=(i == 0))
        out.append(
            (
                f"**Reliabilitas rendah.** {what}: di bawah {limit}, sehingga skornya mengandung "
                "banyak galat ukur.",
                f"**Low reliability.** {what}: under {limit}, so its scores carry much "
                "measurement error.",
            )[i]
        )
    if report != "impact":
        out.append(
            (
                "**Tanpa kelompok pembanding.** Perubahan pra-pasca tidak dapat dipisahkan "
                "sepenuhnya dari hal lain pada waktu yang sama; dampak pada unit ada di studi dampak.",
                "**No comparison group.** The pre/post change cannot be fully separated from other "
                "things at the same time; the impact on units is in the impact study.",
            )[i]
        )
        self_only = (
            rates is not None
            and not rates.empty
            and not any(str(k).startswith("supervisor_") for k in rates.index)
            and any(str(k).startswith("self_") for k in rates.index)
        )
        out.append(
            (
                "**Laporan diri.** Reaksi adalah penilaian peserta sendiri, dan penilaian perilaku "
                "diberikan oleh alumni"
                + (" saja" if self_only else " dan atasannya")
                + " secara retrospektif, bukan pengamatan.",
                "**Self-report.** Reaction is the participants' own rating, and behaviour is "
                "rated in retrospect by the alumni"
                + (" only" if self_only else " and their supervisors")
                + ", not observed.",
            )[i]
        )
    else:
        out.append(
            (
                "**Unit tidak diacak.** Unit terlatih dan pembanding dapat berbeda dalam tren yang "
                "tidak teramati; uji tren awal hanya memeriksa periode sebelum pelatihan.",
                "**Units not randomised.** Trained and comparison units may differ in unobserved "
                "trends; the pre-trend test checks only the periods before the training.",
            )[i]
        )
        out.extend(_reversion_limits(frame, lang))
    if report == "overview":
        out.append(
            (
                "**Metode bercampur dengan program.** Metode pembelajaran, jenis narasumber dan "
                "tahun ditetapkan per angkatan, sehingga perbedaannya dapat mencerminkan program.",
                "**Method confounded with program.** Delivery, facilitator type and year are fixed "
                "per cohort, so their differences may reflect the programs.",
            )[i]
        )
    if report != "impact":
        if waves:
            months = [str(int(w)) for w in sorted(waves)]
            months = (
                ", ".join(months[:-1]) + (" dan ", " and ")[i] if len(months) > 1 else ""
            ) + months[-1]
            out.append(
                (
                    f"**Jeda tindak lanjut.** Penerapan diukur {months} bulan setelah pelatihan; "
                    "efek yang lebih lama tidak diketahui.",
                    f"**Follow-up lag.** Application was measured {months} months after the "
                    "training; longer-term effects are unknown.",
                )[i]
            )
        else:
            out.append(
                (
                    "**Tanpa tindak lanjut.** Tidak ada data Level 3, sehingga penerapan di tempat "
                    "kerja tidak diketahui.",
                    "**No follow-up.** There are no Level 3 data, so application at work is unknown.",
                )[i]
            )
    attrition = find_estimate(frame, level=3, estimand="attrition", shown=False)
    if attrition is not None and not is_missing(attrition["n"]) and attrition["n"] > 0:
        if is_missing(attrition["estimate"]):
            lost = (f"kurang dari {C.MIN_CELL_SIZE}", f"fewer than {C.MIN_CELL_SIZE}")[i]
        else:
            lost = share_text(attrition, lang)
        out.append(
            (
                f"**Atrisi.** Alumni yang dinilai pada bulan ke-3 tetapi tidak pada bulan ke-6: {lost}.",
                f"**Attrition.** Alumni rated at 3 months but not at 6: {lost}.",
            )[i]
        )
    return Text("\n".join(f"- {text}" for text in out))
