"""The results ledger's methods and outcomes in the words of a report's language.

The ledger's ``method`` and ``outcome`` columns are English: they are the ledger's
vocabulary, public API shared by every report and by whoever pools the ledgers. The
methods chapter of an Indonesian report (:func:`evalkit.reporting.methods.analysis_methods`)
reads them through :func:`method_text` and :func:`outcome_text`; an English report
shows them as they are.

Examples
--------
>>> method_text("paired t, person level, one cohort"), outcome_text("test score")
('t berpasangan, tingkat peserta, satu angkatan', 'nilai tes')
"""

from __future__ import annotations

import re

from evalkit.reporting.terms import TERMS, check_lang, term

__all__ = ["METHOD_PHRASES_ID", "OUTCOMES_ID", "method_text", "outcome_text"]


# --- the analysis methods in Indonesian -------------------------------------------------
# The ledger's ``method`` column is English (public API, shared by every report); the
# methods chapter of an Indonesian report reads it through :func:`method_text`. Each
# pair is (regex, replacement), applied in order (longer phrases first); ``{n}`` in a
# pattern stands for a number, kept in Indonesian notation.
_N = r"(\d[\d,]*)"
METHOD_PHRASES_ID: tuple[tuple[str, str], ...] = (
    # reliability, agreement, the role comparison, planning on transfer, small-sample L4
    (
        r"Bland-Altman on the 0-100 index; t CI of the mean difference, Bland & Altman "
        r"\(1999\) CI of each limit of agreement",
        "Bland-Altman pada indeks 0-100; IK t dari rerata selisih, IK Bland & Altman (1999) "
        "untuk tiap batas kesepakatan",
    ),
    (
        r"one-factor ML \(statsmodels, polished by Newton steps\), omega total",
        "ML satu faktor (statsmodels, dihaluskan dengan langkah Newton), omega total",
    ),
    (r"all fitted at once", "semuanya diestimasi sekaligus"),
    (
        r"percent of maximum \(score / max x 100\), self ratings only",
        "persen dari maksimum (skor / maks x 100), hanya penilaian diri sendiri",
    ),
    (
        r"percent of maximum \(score / max x 100\), supervisor ratings only",
        "persen dari maksimum (skor / maks x 100), hanya penilaian atasan",
    ),
    (
        r"mean of form ratings of the role's facilitators",
        "rerata penilaian formulir atas narasumber dengan peran itu",
    ),
    (
        r"CR1 SE by cohort \(t on clusters - 1 df\)",
        "SE CR1 menurut angkatan (t dengan df jumlah klaster - 1)",
    ),
    (r"OLS form rating ~ role", "OLS penilaian formulir ~ peran"),
    (r"role is confounded with program and topic", "peran berbaur dengan program dan topik"),
    (r"n: forms of the role", "n: formulir untuk peran itu"),
    (
        r"mean of the alumni's transfer index \(POMP 0-100; mean over self and supervisor\)",
        "rerata indeks transfer alumni (POMP 0-100; rerata diri sendiri dan atasan)",
    ),
    (
        r"observed mean transfer index \(POMP 0-100\) / observed cost per participant",
        "rerata indeks transfer teramati (POMP 0-100) / biaya teramati per peserta",
    ),
    (
        r"interval: the index's 95% CI over the range of the program's cohort costs "
        r"\(interval arithmetic\)",
        "interval: IK 95% indeks atas rentang biaya angkatan program (aritmetika interval)",
    ),
    (r"one-sample t of the mean transfer index", "t satu sampel atas rerata indeks transfer"),
    (
        r"in index points \(d x SD of the alumni's indices\)",
        "dalam poin indeks (d x SD indeks alumni)",
    ),
    (r"power \.80 \(noncentral t\)", "power 0,80 (t nonsentral)"),
    (r"CR2 cluster-robust SE by unit", "SE robust-klaster CR2 menurut unit"),
    # the overview's between-cohort comparisons and trends: CR2, Satterthwaite df, HTZ
    (
        r"CI from the CR2 cluster-robust CI with Satterthwaite df",
        "IK dari IK robust-klaster CR2 dengan df Satterthwaite",
    ),
    (
        r"interval: CR2 cluster-robust CI of the mean gain by cohort \(t with Satterthwaite "
        r"df\)",
        "interval: IK robust-klaster CR2 dari rerata gain menurut angkatan (t dengan df "
        "Satterthwaite)",
    ),
    (r"CR2 cluster-robust SE by cohort", "SE robust-klaster CR2 menurut angkatan"),
    (r"t with Satterthwaite df", "t dengan df Satterthwaite"),
    (r"HTZ Wald F of", "F Wald HTZ untuk"),
    (r"\(each method's cohorts\)", "(angkatan tiap metode)"),
    (r"\(each type's cohorts\)", "(angkatan tiap jenis narasumber)"),
    (r"\(each year's cohorts\)", "(angkatan tiap tahun)"),
    (r"participants as independent", "peserta dianggap saling bebas"),
    (
        r"percent change of the rate, \(rate ratio - 1\) x 100",
        "persen perubahan laju, (rasio laju - 1) x 100",
    ),
    (r"CI from the rate ratio's CI", "IK dari IK rasio laju"),
    (
        r"mean of the alumni rated at both waves \(the means the change is between\)",
        "rerata alumni yang dinilai pada kedua gelombang (rerata awal dan akhir perubahan)",
    ),
    (
        r"self ratings of the alumni with both; mean, person level \(the two means the "
        r"response shift is between\)",
        "penilaian diri alumni yang memiliki keduanya; rerata, tingkat peserta (dua rerata "
        "yang dibandingkan pergeseran respons)",
    ),
    (
        r"Phillips ROI with one stated assumption changed \(sensitivity scenario\); point "
        r"estimate, no interval",
        "ROI Phillips dengan satu asumsi diubah (skenario sensitivitas); estimasi titik, tanpa "
        "interval",
    ),
    (
        r"person-level mean of POMP 0-100 over all alumni rated on the item \(what each group "
        r"is set against\)",
        "rerata POMP 0-100 tingkat peserta atas semua alumni yang dinilai pada butir itu "
        "(pembanding tiap kelompok)",
    ),
    (r"not a test to rely on", "bukan uji yang dapat diandalkan"),
    (r"t with Satterthwaite (\d+)\.(\d+) df", r"t dengan \1,\2 df Satterthwaite"),
    (r"Satterthwaite (\d+)\.(\d+) df", r"Satterthwaite \1,\2 df"),
    (
        r"inverted randomisation test, constant effect \({n} exact assignments\)",
        r"uji randomisasi yang dibalik, efek konstan (\1 penugasan eksak)",
    ),
    # facilitator ratings, the retrospective (PTIA) follow-up, waves, planning
    (
        r"mean of form ratings \(a rater's item mean\)",
        "rerata penilaian formulir (rerata butir seorang penilai)",
    ),
    (r"SE by rater \(one cohort\)", "SE menurut penilai (satu angkatan)"),
    (
        r"CR1 SE by cohort \(t on cohorts - 1 df\) for facilitators of 2\+ cohorts, else by rater",
        "SE CR1 menurut angkatan (t dengan df jumlah angkatan - 1) bagi narasumber di 2+ angkatan, "
        "selain itu menurut penilai",
    ),
    (r"Cronbach's alpha over complete forms", "alfa Cronbach atas formulir lengkap"),
    (
        r"PTIA \(BPKP\) score per alumnus as the app computes it: rounded change per aspect "
        r"converted, weighted per rater, self \+ supervisor points capped at 100",
        "skor PTIA (BPKP) per alumni seperti dihitung aplikasinya: perubahan per aspek dibulatkan "
        "dan dikonversi, dibobot per penilai, poin diri sendiri + atasan paling tinggi 100",
    ),
    (
        r"PTIA \(BPKP\) score as the app computes it",
        "skor PTIA (BPKP) seperti dihitung aplikasinya",
    ),
    (
        r"then-test: before and now rated in one sitting, PTIA-weighted person index",
        "then-test: sebelum dan sekarang dinilai dalam satu kali pengisian, indeks per orang "
        "berbobot PTIA",
    ),
    (r"then-test, PTIA-weighted person index", "then-test, indeks per orang berbobot PTIA"),
    (
        r"response shift: paired t over alumni with both",
        "pergeseran respons: t berpasangan atas alumni yang memiliki keduanya",
    ),
    (r"paired t over alumni rated by both", "t berpasangan atas alumni yang dinilai keduanya"),
    (
        r"share of variance; REML, random intercepts for facilitator and cohort \(crossed\)",
        "porsi varians; REML, intersep acak untuk narasumber dan angkatan (bersilang)",
    ),
    (
        r"Pearson r of cohort mean rating and cohort mean gain \(ecological\)",
        "r Pearson antara rerata penilaian angkatan dan rerata gain angkatan (ekologis)",
    ),
    (r"person-level mean of POMP 0-100", "rerata POMP 0-100 tingkat peserta"),
    (r"\(CR1, t on cohorts - 1 df\)", "(CR1, t dengan df jumlah angkatan - 1)"),
    (
        r"\(CR1, G - 1 df\) where the wave has several cohorts, else classical",
        "(CR1, df G - 1) bila gelombangnya memuat beberapa angkatan, selain itu klasik",
    ),
    (
        r"where the wave has several cohorts, else classical",
        "bila gelombangnya memuat beberapa angkatan, selain itu klasik",
    ),
    (r"mean of alumni;", "rerata alumni;"),
    (
        r"share of alumni in cohorts that reached the wave",
        "porsi alumni di angkatan yang sudah mencapai gelombang itu",
    ),
    (
        r"paired MDE, {n}% power, alpha \.05, people as independent",
        r"MDE berpasangan, power \1%, alfa .05, peserta dianggap saling bebas",
    ),
    (r"mean gain / SD of the gains", "rerata gain / SD gain"),
    (
        r"interval: cluster-robust CI of the mean gain by cohort",
        "interval: IK robust-klaster dari rerata gain menurut angkatan",
    ),
    (r"over that SD", "dibagi SD itu"),
    (
        r"observed effect / observed cost per participant",
        "efek teramati / biaya teramati per peserta",
    ),
    (
        r"interval: the effect's 95% CI over the range of the program's cohort costs "
        r"\(interval arithmetic\)",
        "interval: IK 95% efek atas rentang biaya angkatan program (aritmetika interval)",
    ),
    (r"two-sided, alpha", "dua sisi, alpha"),
    (r"\(noncentral t\); design effect 1", "(t nonsentral); efek desain 1"),
    (r"Feldt CI", "IK Feldt"),
    (r"(?<![\w-])t CI\b", "IK t"),
    (r"Holm over the {n} secondary tests", r"Holm atas \1 uji sekunder"),
    (r"BH over {n} units", r"BH atas \1 unit"),
    (
        r"CI from the cluster-robust CI of the mean change",
        "IK dari IK robust-klaster atas rerata perubahan",
    ),
    (r"CI from the cluster-robust CI", "IK dari IK robust-klaster"),
    (r"cluster-robust SE by cohort", "SE robust-klaster menurut angkatan"),
    (r"cluster-robust SE by unit", "SE robust-klaster menurut unit"),
    (r"cluster-robust by unit", "robust-klaster menurut unit"),
    (r"cohorts that sat the same test pooled", "angkatan dengan tes yang sama digabung"),
    (
        r"subgroup minus the largest subgroup within cohorts",
        "subkelompok dikurangi subkelompok terbesar di dalam angkatan",
    ),
    (r"unit minus all other units", "unit dikurangi semua unit lain"),
    (r"OLS with cohort fixed effects", "OLS dengan efek tetap angkatan"),
    (r"cohort fixed effects", "efek tetap angkatan"),
    (r"classical SE", "SE klasik"),
    (
        r"joint Wald F test of the {n} pre-training event-study coefficients",
        r"uji F Wald gabungan atas \1 koefisien studi peristiwa sebelum pelatihan",
    ),
    (
        r"mean of the {n} event-study rate ratios before the reference period, all on the "
        r"side of the post-training mean",
        r"rerata \1 rasio laju studi peristiwa sebelum periode acuan, semuanya di sisi rerata "
        "sesudah pelatihan",
    ),
    (
        r"mean of the {n} event-study differences before the reference period, all on the "
        r"side of the post-training mean",
        r"rerata \1 selisih studi peristiwa sebelum periode acuan, semuanya di sisi rerata "
        "sesudah pelatihan",
    ),
    (r"mean of participants' index", "rerata indeks peserta"),
    (r"Wald F of", "F Wald untuk"),
    (r"F test of", "uji F untuk"),
    (r"Poisson TWFE event study", "studi peristiwa Poisson TWFE"),
    (r"event study \(saturated OLS\)", "studi peristiwa (OLS jenuh)"),
    (r"relative to", "relatif terhadap"),
    (r"t with {n} df", r"t dengan \1 df"),
    (
        r"randomisation inference \({n} exact assignments\)",
        r"inferensi randomisasi (\1 penugasan eksak)",
    ),
    (
        r"wild cluster restricted bootstrap, rademacher weights, all {n} draws",
        r"wild cluster bootstrap terbatas, bobot Rademacher, seluruh \1 undian",
    ),
    (r"linear DiD \(OLS\)", "DiD linear (OLS)"),
    (r"Cronbach's alpha", "alfa Cronbach"),
    (r"Feldt interval", "interval Feldt"),
    (r"KR-20 \(alpha of 0/1 items\)", "KR-20 (alfa butir 0/1)"),
    (r"Hedges' g over the pooled SD of participants", "Hedges' g atas SD gabungan peserta"),
    (r"Algina-Keselman noncentral-t CI", "IK t nonsentral Algina-Keselman"),
    (
        r"ICC\(2,1\), two-way random, absolute agreement",
        "ICC(2,1), acak dua arah, kesepakatan absolut",
    ),
    (
        r"of all respondents after minus before, per unit",
        "seluruh responden sesudah dikurangi sebelum, per unit",
    ),
    (
        r"POMP \(score - 1\) / \(max - 1\) x 100, mean of self and supervisor",
        "POMP (skor - 1) / (maks - 1) x 100, rerata diri sendiri dan atasan",
    ),
    (
        r"POMP = \(mean - 1\) / \(scale max - 1\) x 100",
        "POMP = (rerata - 1) / (maks skala - 1) x 100",
    ),
    (
        r"percent of maximum \(score / max x 100\), as the post-training apps",
        "persen dari maksimum (skor / maks x 100), seperti aplikasi pascapelatihan",
    ),
    (
        r"Phillips adjusted benefit \(estimate x attribution x confidence\), first year",
        "manfaat Phillips yang disesuaikan (estimasi x atribusi x keyakinan), tahun pertama",
    ),
    (
        r"percentile bootstrap over people within cohorts",
        "bootstrap persentil atas peserta di dalam angkatan",
    ),
    (r"percentile bootstrap over examinees", "bootstrap persentil atas peserta tes"),
    (r"percentile bootstrap over respondents", "bootstrap persentil atas responden"),
    (r"{n} resamples", r"\1 resampel"),
    (r"non-respondents count 0", "yang tidak menjawab dihitung 0"),
    (r"costs fully loaded, not resampled", "biaya penuh, tidak di-resampel"),
    (
        r"recorded costs, fully loaded \(incl\. participant time\)",
        "biaya tercatat, penuh (termasuk waktu peserta)",
    ),
    (r"no sampling error", "tanpa galat sampel"),
    (r"class-average Hake gain", "gain Hake rerata kelas"),
    (r"proportion correct", "proporsi benar"),
    (r"Wilson score interval", "interval skor Wilson"),
    (r"Wilson CI", "IK Wilson"),
    (r"upper-lower 27% D", "D atas-bawah 27%"),
    (r"corrected item-total r", "r butir-total terkoreksi"),
    (r"Fisher z interval", "interval z Fisher"),
    (r"mean of alumni \(self and supervisor\)", "rerata alumni (diri sendiri dan atasan)"),
    (r"mean of participants' item means", "rerata dari rerata butir tiap peserta"),
    (r"mean within-person change", "rerata perubahan dalam-orang"),
    (r"paired t of within-person change", "t berpasangan atas perubahan dalam-orang"),
    (r"one-factor ML \(statsmodels\), omega total", "ML satu faktor (statsmodels), omega total"),
    (r"one-way ANOVA of cohort mean gains", "ANOVA satu arah atas rerata gain angkatan"),
    (r"random intercept by unit \(REML\)", "intersep acak menurut unit (REML)"),
    (r"F interval of ICC\(1\)", "interval F dari ICC(1)"),
    (
        r"share of alumni rated at {n} months in cohorts followed up at {n}",
        r"porsi alumni yang dinilai pada bulan ke-\1 di angkatan yang dipantau pada bulan ke-\2",
    ),
    (r"share of alumni rated at {n} months", r"porsi alumni yang dinilai pada bulan ke-\1"),
    (r"share of change projects", "porsi aksi perubahan"),
    (r"two-sample t", "t dua sampel"),
    (r"{n} units per group", r"\1 unit per kelompok"),
    (r"n units per group", "n unit per kelompok"),
    (r"two-sided alpha", "alfa dua sisi"),
    (r"{n}% power", r"power \1%"),
    (r"paired t", "t berpasangan"),
    (r"secondary test", "uji sekunder"),
    (r"t interval", "interval t"),
    (r"person level", "tingkat peserta"),
    (r"cohort level", "tingkat angkatan"),
    (r"within cohorts?", "di dalam angkatan"),
    (r"one cohort", "satu angkatan"),
    (r"{n} cohorts", r"\1 angkatan"),
    (r"mean gain per year", "rerata gain per tahun"),
    (r"mean per year", "rerata per tahun"),
    (r"mean gain", "rerata gain"),
    (r"\bmean\b", "rerata"),
    (r"\bCI\b", "IK"),
    (r"\balpha\b", "alfa"),
    # variables of the model formulas (``gain ~ delivery``)
    (r"~ cohort \+ subgroup", "~ angkatan + subkelompok"),
    (r"~ delivery", "~ metode"),
    (r"~ year", "~ tahun"),
    (r"~ facilitator", "~ narasumber"),
    (r"~ gain", "~ gain"),
    (r"\bindex ~", "indeks ~"),
    (r"\bscore ~", "skor ~"),
)


def _id_numbers(text: str) -> str:
    """English number notation in Indonesian: ``2,000`` -> ``2.000``, ``.05`` -> ``0,05``."""
    text = re.sub(
        r"\b(\d{1,3})((?:,\d{3})+)\b", lambda m: m.group(1) + m.group(2).replace(",", "."), text
    )
    return re.sub(r"(?<![\w.])\.(\d+)", r"0,\1", text)


def method_text(method: str, lang: str = "id") -> str:
    """A method of the results ledger (English) in the words of ``lang``.

    English is returned as it is. Indonesian replaces the phrases of
    :data:`METHOD_PHRASES_ID` in order and writes numbers the Indonesian way; a phrase
    the table does not know stays as it is (the names of tests and models, such as OLS,
    Welch t or TWFE, are the same in both languages).

    Examples
    --------
    >>> method_text("paired t, person level, cluster-robust SE by cohort (15 cohorts)")
    't berpasangan, tingkat peserta, SE robust-klaster menurut angkatan (15 angkatan)'
    >>> method_text("percentile bootstrap over examinees (1,000 resamples)")
    'bootstrap persentil atas peserta tes (1.000 resampel)'
    >>> method_text("paired t", "en")
    'paired t'
    """
    if check_lang(lang, "method_text") == 1:
        return method
    text = method
    for pattern, words in METHOD_PHRASES_ID:
        text = re.sub(pattern.replace("{n}", _N), words, text)
    return _id_numbers(text)


#: The ledger's outcomes (English, public API) in Indonesian, for the methods chapter.
OUTCOMES_ID: dict[str, str] = {
    "Phillips ROI": "ROI Phillips",
    "adjusted benefits (IDR a year)": "manfaat yang disesuaikan (Rp per tahun)",
    "change project implementation": "keterlaksanaan aksi perubahan",
    "change project sustainment": "keberlanjutan aksi perubahan",
    "cost per participant (IDR)": "biaya per peserta (Rp)",
    "cost: cash (IDR)": "biaya: tunai (Rp)",
    "cost: other (IDR)": "biaya: lainnya (Rp)",
    "cost: participant time (IDR)": "biaya: waktu peserta (Rp)",
    "dropped out minus stayed": "yang keluar dikurangi yang bertahan",
    "knowledge test": "tes pengetahuan",
    "knowledge test (pooled)": "tes pengetahuan (gabungan)",
    "reaction": "reaksi",
    "reaction index (POMP 0-100)": "indeks reaksi (POMP 0-100)",
    "reaction item": "butir reaksi",
    "reaction scale": "skala reaksi",
    "score gain": "kenaikan nilai",
    "self vs supervisor rating": "penilaian diri vs atasan",
    "test item": "butir tes",
    "test item (pooled)": "butir tes (gabungan)",
    "test score": "nilai tes",
    "total cost (IDR)": "biaya total (Rp)",
    "transfer index (POMP 0-100)": "indeks transfer (POMP 0-100)",
    "transfer index": "indeks transfer",
    "unit mean difference": "selisih rerata unit",
    "facilitator rating (item scale)": "penilaian narasumber (skala butir)",
    "facilitator rating items": "butir penilaian narasumber",
    "facilitator rating vs score gain": "penilaian narasumber vs kenaikan nilai",
    "PTIA score, level 3 (0-100)": "skor PTIA, level 3 (0-100)",
    "behaviour rating (POMP 0-100), now - before": "penilaian perilaku (POMP 0-100), sekarang - sebelum",
    "behaviour rating (POMP 0-100), supervisor - self": "penilaian perilaku (POMP 0-100), atasan - diri sendiri",
    "retrospective before - prospective pretest (POMP 0-100)": "sebelum (retrospektif) - pretest prospektif (POMP 0-100)",
    "supervisor rating of a behaviour (POMP 0-100)": "penilaian atasan atas satu perilaku (POMP 0-100)",
    "relevance (POMP 0-100)": "relevansi (POMP 0-100)",
    "transfer index (POMP 0-100) per program and wave": "indeks transfer (POMP 0-100) per program dan gelombang",
    "rated at the first wave, not at this one": "dinilai pada gelombang pertama, tidak pada gelombang ini",
    "who left minus who stayed": "yang keluar dikurangi yang bertahan",
    "change of the transfer index from the first wave (points)": "perubahan indeks transfer dari gelombang pertama (poin)",
    "test score gain per program (planner)": "kenaikan nilai tes per program (perencana)",
    "d_z per IDR 1 million per participant": "d_z per Rp1 juta per peserta",
    "facilitator role: mean rating (item scale)": "peran narasumber: rerata penilaian (skala butir)",
    "transfer index, self ratings": "indeks transfer, penilaian diri sendiri",
    "transfer index, supervisor ratings": "indeks transfer, penilaian atasan",
    "self - supervisor rating (0-100)": "penilaian diri - atasan (0-100)",
    "behaviour rating (POMP 0-100), before": "penilaian perilaku (POMP 0-100), sebelum",
    "behaviour rating (POMP 0-100), now": "penilaian perilaku (POMP 0-100), sekarang",
    "transfer index points per IDR 1 million per participant": "poin indeks transfer per Rp1 juta per peserta",
}


def outcome_text(outcome: str, lang: str = "id") -> str:
    """An outcome of the results ledger (English) in the words of ``lang``.

    A wave suffix (``, 3 months``) and the follow-up outcome ``rated at 3, not at 6
    months`` are translated too; an outcome :data:`OUTCOMES_ID` does not know is looked
    up in :data:`TERMS` (``complaints``, ``ikm``), else it stays.

    Examples
    --------
    >>> outcome_text("transfer index (POMP 0-100), 6 months"), outcome_text("test score", "en")
    ('indeks transfer (POMP 0-100), 6 bulan', 'test score')
    >>> outcome_text("rated at 3, not at 6 months")
    'dinilai pada bulan ke-3, tidak pada bulan ke-6'
    """
    if check_lang(lang, "outcome_text") == 1:
        return outcome
    planner = re.fullmatch(r"pre/post study of the participants IDR ([\d,]+) buys", outcome)
    if planner:
        return f"studi pra-pasca atas peserta yang terbiayai Rp{planner.group(1).replace(',', '.')}"
    planner = re.fullmatch(
        r"follow-up of the participants IDR ([\d,]+) buys \(transfer index points\)", outcome
    )
    if planner:
        rupiah = planner.group(1).replace(",", ".")
        return f"tindak lanjut atas peserta yang terbiayai Rp{rupiah} (poin indeks transfer)"
    rated = re.fullmatch(r"rated at (\d+), not at (\d+) months", outcome)
    if rated:
        return f"dinilai pada bulan ke-{rated.group(1)}, tidak pada bulan ke-{rated.group(2)}"
    wave = re.fullmatch(r"(.+), (\d+) months", outcome)
    if wave:
        return f"{OUTCOMES_ID.get(wave.group(1), wave.group(1))}, {wave.group(2)} bulan"
    if outcome in OUTCOMES_ID:
        return OUTCOMES_ID[outcome]
    return term(outcome, lang) if outcome in TERMS else outcome
