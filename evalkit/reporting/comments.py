"""Themes of participants' free-text comments (Level 1), and example quotes.

Comments (the processed ``comments`` table: ``cohort_id``, ``participant_id``,
``text``, already scrubbed of NIPs, phone numbers and e-mail addresses) are sorted
into themes by a transparent, bilingual keyword dictionary, :data:`THEMES`, kept in
this module so that an evaluator can read, cite and correct it. A comment may belong
to several themes; one that matches none is counted as ``"other"``. Answers that say
nothing ("tidak ada", "-", "oke", "none") are not comments and are left out of every
count (:data:`NO_COMMENT`).

Classification is vectorised: one compiled regular expression per theme, applied to
the whole column with ``Series.str.contains``. Keywords are word stems matched at
the start of a word, case-insensitively, so Indonesian suffixes still match
(``materi`` finds "materinya"); praise words preceded by a negation ("kurang
bermanfaat", "tidak bagus") are not praise.

Disclosure: group-level k-anonymity
-----------------------------------
Comments follow the group-level rule of :mod:`evalkit.reporting.disclosure` (README,
"Privacy"; UU 27/2022), with its threshold
:data:`evalkit.reporting.disclosure.MIN_RESPONDENTS` (k = 5): a group (a cohort, or
the study in the overview) in which at least ``k`` people wrote a comment with content
(``n_respondents`` of :func:`comment_themes`) shows its themes with their counts and
shares, even a theme one person raised, and quotes from any theme; a smaller group
shows one sentence saying why (:func:`themes_conclusion`,
:func:`evalkit.reporting.disclosure.withheld_note`) and no theme, count or quote
(:func:`theme_table` is empty, :func:`example_quotes` has no row for it). Whether a
group is shown: :func:`comments_shown`.

Quotes are scrubbed and escaped. Cleaning masks NIPs, phone numbers and e-mail
addresses (``[telepon]``), and a comment holding a masked value is never quoted, since
it was written to share a contact. Quotes are data, never markup: :func:`quotes_html`
escapes every character HTML gives a meaning to, so a comment reading ``<script>`` or
``<b>`` is printed as those characters and runs nothing.

Examples
--------
>>> import pandas as pd
>>> comments = pd.DataFrame({
...     "participant_id": ["P1", "P2", "P3", "P4"],
...     "text": ["Materinya sangat bermanfaat.", "Jadwal terlalu padat.",
...              "Tidak ada.", "AC ruangan tidak dingin, materi kurang jelas"]})
>>> themes = comment_themes(comments)
>>> themes.loc[["content", "time", "facilities"], "n_comments"].to_dict()
{'content': 2, 'time': 1, 'facilities': 1}
>>> float(round(themes.loc["content", "pct_comments"], 1)), int(themes["n_total"].iloc[0])
(66.7, 3)
>>> comments_shown(themes)  # 3 people wrote a comment with content: fewer than 5
False
"""

from __future__ import annotations

import html
import re
from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from evalkit import constants as C
from evalkit.errors import ParameterError
from evalkit.reporting.disclosure import MIN_RESPONDENTS, group_is_small, withheld_note
from evalkit.reporting.formats import fmt_int, fmt_pct
from evalkit.reporting.terms import OTHER, Text, check_lang

#: Negations that stop a praise word from counting as praise ("kurang bermanfaat").
_NEGATED = r"(?<!kurang )(?<!tidak )(?<!belum )(?<!kurang\s)(?<!not )(?<!tdk )"


#: theme -> (Indonesian label, English label, keyword stems). Stems match at the start
#: of a word, case-insensitively; spaces inside a stem match any whitespace; a stem
#: ending in ``$`` matches only the whole word (``pelatih$`` is a trainer, not
#: "pelatihan", training).
# fmt: off
THEMES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "content": (
        "Materi dan modul", "Content and materials",
        ("materi", "modul", "bahan ajar", "bahan bacaan", "slide", "handout", "kurikulum",
         "topik", "substansi", "content", "material", "module", "topic", "curricul"),
    ),
    "facilitator": (
        "Narasumber/widyaiswara", "Facilitators",
        ("narasumber", "nara sumber", "widyaiswara", "fasilitator", "pemateri", "pengajar",
         "instruktur", "pelatih$", "trainer", "facilitator", "speaker", "instructor",
         "lecturer", "presenter"),
    ),
    "time": (
        "Waktu dan jadwal", "Time and schedule",
        ("waktu", "jadwal", "durasi", "singkat", "padat", "sore", "malam", "akhir tahun",
         "molor", "terlambat", "jam$", "time", "schedul", "duration", "too short",
         "too long", "late", "hours"),
    ),
    "facilities": (
        "Sarana dan fasilitas", "Facilities",
        ("sarana", "fasilitas", "ruang", "ac$", "sound system", "pengeras suara", "mikrofon",
         "internet", "koneksi", "jaringan", "wifi", "wi-fi", "sinyal", "lcd", "proyektor",
         "layar", "laptop", "komputer", "listrik", "kursi", "toilet", "gedung", "facilit",
         "room", "venue", "projector", "connection", "air con", "microphone"),
    ),
    "catering": (
        "Konsumsi", "Catering",
        ("konsumsi", "makan", "snack", "kudapan", "kopi", "coffee", "katering", "catering",
         "minum", "food", "lunch", "meal"),
    ),
    "organisation": (
        "Penyelenggaraan dan administrasi", "Organisation and administration",
        ("panitia", "penyelenggara", "sertifikat", "informasi", "undangan", "pendaftaran",
         "administrasi", "koordinasi", "transport", "uang saku", "committee", "organi",
         "certificate", "registration", "information"),
    ),
    "relevance": (
        "Relevansi dan kebutuhan lapangan", "Relevance to the job and field needs",
        ("relevan", "kebutuhan", "lapangan", "bidang", "spesifik", "pekerjaan", "tugas",
         "sesuai kondisi", "kondisi di", "di daerah", "diterapkan", "menerapkan", "terapkan",
         "field", "specific", "job", "workplace", "apply", "applicable", "needs"),
    ),
    "practice": (
        "Praktik dan studi kasus", "Practice and case studies",
        ("praktik", "praktek", "latihan", "simulasi", "studi kasus", "contoh", "role play",
         "roleplay", "hands-on", "practice", "practical", "exercise", "case stud", "example"),
    ),
    "method": (
        "Metode dan interaksi", "Method and interaction",
        ("metode", "diskusi", "interaktif", "daring", "online", "tatap muka", "zoom",
         "ceramah", "kelompok", "method", "discussion", "interactive", "face-to-face",
         "lecture", "group work"),
    ),
    "follow_up": (
        "Tindak lanjut dan pelatihan lanjutan", "Follow-up and further training",
        ("lanjutan", "dilanjutkan", "tindak lanjut", "pendampingan", "mentoring", "coaching",
         "tahun depan", "berikutnya", "follow-up", "follow up", "further training",
         "next year"),
    ),
    "praise": (
        "Pujian dan apresiasi", "Praise and thanks",
        ("bagus", "sangat baik", "cukup baik", "sudah baik", "mantap", "bermanfaat",
         "manfaat", "terima kasih", "makasih", "puas", "luar biasa", "membantu", "menarik",
         "komunikatif", "keren", "sukses", "excellent", "great", "good", "useful", "helpful",
         "thank", "enjoy", "well done"),
    ),
}


# fmt: on
#: Labels of the theme of comments that match no keyword (:data:`OTHER`), id and en.
OTHER_LABELS = ("Lainnya (tanpa tema)", "Other (no theme)")


#: Whole answers that are not comments: "tidak ada", "-", "oke", "none" ...
NO_COMMENT = re.compile(
    r"^\W*(?:(?:tidak|tdk|ga|gak|belum)\s+ada(?:\s+(?:saran|komentar|masukan))?|nihil|"
    r"ok|oke|okey|okay|cukup|none|no|n/?a|nothing|no comments?|)\W*$",
    re.IGNORECASE,
)


#: A value masked by cleaning ("[telepon]", "[email]", "[NIP]"): such comments are not
#: quoted, since they were written to share a contact.
_MASKED = re.compile(r"\[[^\]]{1,20}\]")


#: Output columns of :func:`comment_themes`.
COLUMNS = ("n_comments", "n_people", "pct_comments", "n_total", "n_respondents")


def _pattern(stems: Sequence[str], *, negatable: bool = False) -> re.Pattern[str]:
    parts = [
        r"\s+".join(re.escape(w) for w in stem.rstrip("$").split())
        + (r"\b" if stem.endswith("$") else "")
        for stem in stems
    ]
    prefix = _NEGATED if negatable else ""
    return re.compile(prefix + r"\b(?:" + "|".join(parts) + ")", re.IGNORECASE)


#: theme -> compiled regular expression (built from :data:`THEMES`).
PATTERNS: dict[str, re.Pattern[str]] = {
    key: _pattern(stems, negatable=(key == "praise")) for key, (_, _, stems) in THEMES.items()
}


def theme_label(theme: str, lang: str = "id") -> str:
    """The display name of ``theme`` in ``lang``.

    Examples
    --------
    >>> theme_label("relevance"), theme_label("relevance", "en")
    ('Relevansi dan kebutuhan lapangan', 'Relevance to the job and field needs')
    """
    i = check_lang(lang, "theme_label")
    if theme == OTHER:
        return OTHER_LABELS[i]
    return THEMES[theme][i] if theme in THEMES else str(theme)


def no_quote(lang: str = "id") -> str:
    """Say that no comment could be quoted (each too long, holding a masked contact, or of no theme).

    Examples
    --------
    >>> no_quote("en")
    'No comment could be quoted (each was too long, held a masked contact or raised no theme).'
    """
    i = check_lang(lang, "no_quote")
    if i == 0:
        return (
            "Tidak ada komentar yang dapat dikutip (semuanya terlalu panjang, memuat kontak "
            "yang disamarkan, atau tanpa tema)."
        )
    return (
        "No comment could be quoted (each was too long, held a masked contact or raised no theme)."
    )


def _by_list(by: Any) -> list[Hashable]:
    if by is None:
        return []
    return [by] if isinstance(by, str) else list(by)


def _people(data: pd.DataFrame, participant: str) -> pd.Series:
    """The person of each comment: the pseudonym, or the row itself where there is none."""
    own = pd.Series("#" + data.index.astype(str), index=data.index, dtype="string")
    if participant not in data.columns:
        return own
    return data[participant].astype("string").fillna(own)


def _prepare(comments: pd.DataFrame, text: str, by: list[Hashable], func: str) -> pd.DataFrame:
    if not isinstance(comments, pd.DataFrame):
        raise ParameterError(
            f"{func}: parameter 'comments' must be a DataFrame, got {type(comments).__name__}"
        )
    missing = [c for c in [text, *by] if c not in comments.columns]
    if missing:
        raise ParameterError(
            f"{func}: column(s) {missing} not in comments; columns are {list(comments.columns)}"
        )
    words = comments[text].astype("string").str.replace(r"\s+", " ", regex=True).str.strip()
    keep = words.notna() & ~words.fillna("").str.fullmatch(NO_COMMENT)
    return comments.loc[keep].assign(**{text: words[keep]})


def classify(comments: pd.DataFrame, *, text: str = C.TEXT) -> pd.DataFrame:
    """Which themes each comment mentions: one boolean column per theme.

    Parameters
    ----------
    comments : DataFrame
        One row per comment with a ``text`` column; not modified.
    text : str
        Column of the comment text.

    Returns
    -------
    DataFrame
        Same index as the substantive comments (answers matching :data:`NO_COMMENT`
        and missing texts are dropped), one bool column per key of :data:`THEMES`
        and ``other`` (True when no theme matched).

    Raises
    ------
    ParameterError
        ``comments`` is not a DataFrame or lacks the ``text`` column.

    Examples
    --------
    >>> frame = pd.DataFrame({"text": ["Konsumsi cukup baik, terima kasih panitia.",
    ...                                "Materi kurang bermanfaat", "-", "Sertifikat?"]})
    >>> hits = classify(frame)
    >>> hits.columns[hits.loc[0]].tolist(), bool(hits.loc[1, "praise"]), len(hits)
    (['catering', 'organisation', 'praise'], False, 3)
    """
    data = _prepare(comments, text, [], "classify")
    texts = data[text].astype(str)
    hits = pd.DataFrame(
        {key: texts.str.contains(pattern, regex=True) for key, pattern in PATTERNS.items()},
        index=data.index,
        dtype=bool,
    )
    hits[OTHER] = ~hits.any(axis=1)
    return hits


def comment_themes(
    comments: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = None,
    text: str = C.TEXT,
    participant: str = C.PARTICIPANT_ID,
) -> pd.DataFrame:
    """How many comments, and people, mention each theme; all groups in one pass.

    Parameters
    ----------
    comments : DataFrame
        The processed ``comments`` table (one row per comment); not modified.
    by : str, list of str or None
        Column(s) to group by (e.g. ``"cohort_id"``); None for one result.
    text, participant : str
        Columns of the text and of the participant's pseudonym. Without a
        ``participant`` column (or where it is missing) each comment counts as one
        person.

    Returns
    -------
    DataFrame
        Indexed by the ``by`` columns and ``theme`` (every key of :data:`THEMES`, in
        its order, then ``"other"``), columns ``n_comments`` (comments mentioning the
        theme), ``n_people`` (distinct participants among them), ``pct_comments``
        (``n_comments`` / ``n_total`` x 100), ``n_total`` (substantive comments in
        the group) and ``n_respondents`` (distinct people who wrote them: the group's
        size for the disclosure rule, :func:`comments_shown`). Shares add up to more
        than 100 because a comment may mention several themes.

    Raises
    ------
    ParameterError
        ``comments`` is not a DataFrame or lacks a named column.

    Notes
    -----
    Keyword matching is a transparent first pass, not a validated coding scheme: an
    evaluator should read the quotes (:func:`example_quotes`) and adjust
    :data:`THEMES` to their own forms. Comparable to coding each comment with a
    dictionary in a qualitative data tool (e.g. the ``quanteda`` R package's
    ``dfm_lookup`` with a glob dictionary).

    Examples
    --------
    >>> frame = pd.DataFrame({"cohort_id": ["A", "A", "B"], "participant_id": ["P1", "P1", "P2"],
    ...                       "text": ["Jadwal padat", "Waktu singkat", "Modul bagus"]})
    >>> comment_themes(frame, by="cohort_id").query("n_comments > 0")  # doctest: +NORMALIZE_WHITESPACE
                       n_comments  n_people  pct_comments  n_total  n_respondents
    cohort_id theme
    A         time              2         1         100.0        2              1
    B         content           1         1         100.0        1              1
              praise            1         1         100.0        1              1
    """
    keys = _by_list(by)
    data = _prepare(comments, text, keys, "comment_themes")
    hits = classify(data, text=text)
    themes = list(hits.columns)
    person = _people(data, participant)
    groups = data[keys] if keys else pd.DataFrame({"_all": 0}, index=data.index)
    gcols = list(groups.columns)
    long = (
        hits.assign(**groups, _person=person)
        .melt(id_vars=[*gcols, "_person"], var_name="theme", value_name="hit")
        .query("hit")
    )
    counts = long.groupby([*gcols, "theme"], sort=False, observed=True).agg(
        n_comments=("hit", "size"), n_people=("_person", "nunique")
    )
    totals = groups.assign(_n=1).groupby(gcols, sort=True, observed=True)["_n"].sum()
    writers = groups.assign(_p=person).groupby(gcols, sort=True, observed=True)["_p"].nunique()
    full = pd.MultiIndex.from_tuples(
        [(*(g if isinstance(g, tuple) else (g,)), t) for g in totals.index for t in themes],
        names=[*gcols, "theme"],
    )
    out = counts.reindex(full, fill_value=0).astype("int64")
    n_total = totals.reindex(full.droplevel("theme")).to_numpy(dtype="int64")
    out["pct_comments"] = (
        100 * out["n_comments"].to_numpy() / np.where(n_total > 0, n_total, np.nan)
    )
    out["n_total"] = n_total
    out["n_respondents"] = writers.reindex(full.droplevel("theme")).to_numpy(dtype="int64")
    out = out[list(COLUMNS)]
    if not keys:
        out = out.droplevel("_all")
    elif isinstance(out.index, pd.MultiIndex):
        out.index = out.index.set_names([*keys, "theme"])
    return out


def respondents(
    comments: pd.DataFrame, *, text: str = C.TEXT, participant: str = C.PARTICIPANT_ID
) -> int:
    """How many distinct people wrote a comment with content (the group's size for the rule).

    Answers that say nothing (:data:`NO_COMMENT`) are not comments; a comment without a
    pseudonym counts as one person.

    Examples
    --------
    >>> respondents(pd.DataFrame({"participant_id": ["a", "a", "b", "c", None],
    ...     "text": ["Jadwal padat", "Modul bagus", "Tidak ada", "AC dingin", "Materi jelas"]}))
    3
    """
    data = _prepare(comments, text, [], "respondents")
    return int(_people(data, participant).nunique())


def comments_shown(themes: pd.DataFrame, *, min_respondents: int = MIN_RESPONDENTS) -> bool:
    """Whether one group's comments, themes and quotes may be shown (group-level k-anonymity).

    True when at least ``min_respondents`` people of the group wrote a comment with
    content (:func:`evalkit.reporting.disclosure.group_is_small` of ``n_respondents``);
    False for a smaller group and for a group without comments.

    Parameters
    ----------
    themes : DataFrame
        :func:`comment_themes` of one group.

    Examples
    --------
    >>> frame = pd.DataFrame({"participant_id": list("abcde"), "text": ["Jadwal padat"] * 5})
    >>> comments_shown(comment_themes(frame)), comments_shown(comment_themes(frame.iloc[:4]))
    (True, False)
    """
    if "n_respondents" not in themes.columns:
        raise ParameterError(
            "comments_shown: parameter 'themes' must be a comment_themes result (column "
            f"'n_respondents'); columns are {list(themes.columns)}"
        )
    if themes.empty:
        return False
    n = int(themes["n_respondents"].max())
    return not bool(group_is_small(n, min_respondents=min_respondents))


def example_quotes(
    comments: pd.DataFrame,
    *,
    k: int = 3,
    by: str | Sequence[str] | None = None,
    max_chars: int = 160,
    min_words: int = 3,
    min_respondents: int = MIN_RESPONDENTS,
    text: str = C.TEXT,
    participant: str = C.PARTICIPANT_ID,
) -> pd.DataFrame:
    """Up to ``k`` short example quotes per theme, chosen deterministically.

    Only groups in which at least ``min_respondents`` people wrote a comment with
    content are quoted (the group-level rule, :func:`comments_shown`); in such a group
    every theme may be quoted. Within a theme (and group), identical comments (ignoring case and spacing) count
    once, and a comment is quoted under one theme only (themes with the fewest
    candidate quotes choose first); comments longer than ``max_chars``, and comments in which cleaning masked a
    phone number, e-mail address or NIP (``[telepon]``), are not quoted; comments of at least
    ``min_words`` words come first, then the shorter, then in alphabetical order.
    The choice does not depend on the order of the rows, so the same comments always
    give the same quotes.

    Parameters
    ----------
    comments : DataFrame
        The processed ``comments`` table; not modified.
    k : int
        Most quotes per theme (>= 1).
    by : str, list of str or None
        Column(s) to group by.
    max_chars, min_words : int
        Longest quotable comment (characters) and shortest preferred one (words).
    min_respondents : int
        Quote only groups in which at least this many people wrote a comment with
        content (default :data:`evalkit.reporting.disclosure.MIN_RESPONDENTS`; 1 quotes
        every group, for a group whose size was checked already).
    text, participant : str
        Column names.

    Returns
    -------
    DataFrame
        Columns ``by`` (if any), ``theme``, ``rank`` (1..k) and ``quote``, themes in
        the order of :data:`THEMES`; no rows for ``"other"``.

    Raises
    ------
    ParameterError
        A bad ``k``, ``max_chars``, ``min_words`` or ``min_respondents``, or a missing column.

    Examples
    --------
    >>> frame = pd.DataFrame({"participant_id": list("ABCDE"),
    ...     "text": ["Jadwal padat", "Waktu terlalu singkat, mohon ditambah",
    ...              "waktu  terlalu singkat, mohon ditambah", "Jadwal terlalu padat sampai sore",
    ...              "Konsumsi enak"]})
    >>> example_quotes(frame, k=2)[["theme", "quote"]].values.tolist()
    [['time', 'Jadwal terlalu padat sampai sore'], ['time', 'Waktu terlalu singkat, mohon ditambah'], ['catering', 'Konsumsi enak']]
    >>> example_quotes(frame.iloc[:4], k=2).empty  # 4 people wrote: fewer than 5
    True
    """
    for name, value, low in (("k", k, 1), ("max_chars", max_chars, 1), ("min_words", min_words, 0),
                             ("min_respondents", min_respondents, 1)):  # fmt: skip
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
            raise ParameterError(
                f"example_quotes: parameter {name!r} must be an integer >= {low}, got {value!r}"
            )
    keys = _by_list(by)
    data = _prepare(comments, text, keys, "example_quotes")
    columns = [*keys, "theme", "rank", "quote"]
    if data.empty:
        return pd.DataFrame(columns=columns)
    themes = comment_themes(data, by=keys or None, text=text, participant=participant)
    hits = classify(data, text=text).drop(columns=OTHER)
    quote = data[text].astype(str)
    long = (
        hits.assign(**{f"_by{i}": data[c] for i, c in enumerate(keys)}, quote=quote)
        .melt(id_vars=[f"_by{i}" for i in range(len(keys))] + ["quote"], var_name="theme",
              value_name="hit")
        .query("hit")
        .drop(columns="hit")
    )  # fmt: skip
    long.columns = [*keys, "quote", "theme"]
    enough = themes[~group_is_small(themes["n_respondents"], min_respondents=min_respondents)]
    enough = enough.reset_index()[[*keys, "theme"]]
    long = long.merge(enough, on=[*keys, "theme"], how="inner")
    long = long[(long["quote"].str.len() <= max_chars) & ~long["quote"].str.contains(_MASKED)]
    long = long.assign(
        _key=long["quote"].str.casefold(),
        _short=long["quote"].str.split().str.len() < min_words,
        _len=long["quote"].str.len(),
        _order=long["theme"].map({t: i for i, t in enumerate(THEMES)}),
    )
    long = long.drop_duplicates([*keys, "theme", "_key"])
    long = long.sort_values([*keys, "_order", "_short", "_len", "_key"], kind="stable")
    # Each comment is quoted once (within a group): themes with the fewest candidate
    # quotes choose first, then in the order of THEMES, so a comment that fits several
    # themes illustrates the one that has least else to show.
    long = long.assign(_candidates=long.groupby([*keys, "theme"])["_key"].transform("size"))
    turn = long.drop_duplicates([*keys, "theme"]).sort_values(
        [*keys, "_candidates", "_order"], kind="stable"
    )
    chosen: list[Any] = []
    used: set[tuple[Any, ...]] = set()
    for _, head in turn.iterrows():
        group = tuple(head[c] for c in keys)
        rows = long[(long["theme"] == head["theme"])]
        for c in keys:
            rows = rows[rows[c] == head[c]]
        taken = 0
        for index, key in zip(rows.index, rows["_key"], strict=True):
            if taken == k:
                break
            if (*group, key) not in used:
                used.add((*group, key))
                chosen.append(index)
                taken += 1
    long = long.loc[long.index.isin(chosen)]
    long["rank"] = long.groupby([*keys, "theme"], sort=False).cumcount() + 1
    return long[columns].reset_index(drop=True)


class Html(str):
    """A block of report HTML that notebooks display as HTML (already escaped)."""

    def _repr_html_(self) -> str:
        return str(self)


def quotes_html(quotes: pd.DataFrame, lang: str = "id") -> Html:
    """Example quotes as an HTML block, every quote escaped (shown as text, never run).

    Parameters
    ----------
    quotes : DataFrame
        The result of :func:`example_quotes` (columns ``theme`` and ``quote``), for one
        group.
    lang : {"id", "en"}

    Returns
    -------
    Html
        A ``str`` whose ``_repr_html_`` is itself: one heading per theme and its quotes
        in a list, each quote passed through :func:`html.escape`. Without quotes, a
        sentence saying why none could be quoted (:func:`no_quote`; a group too small
        to be shown gets :func:`themes_conclusion`'s sentence instead, and no quotes).

    Examples
    --------
    >>> q = pd.DataFrame({"theme": ["content"], "quote": ["Modul <b>bagus</b> & jelas"]})
    >>> print(quotes_html(q, "en"))  # doctest: +NORMALIZE_WHITESPACE
    <div class="ek-quotes"><p><strong>Content and materials</strong></p><ul>
    <li>&ldquo;Modul &lt;b&gt;bagus&lt;/b&gt; &amp; jelas&rdquo;</li></ul></div>
    """
    i = check_lang(lang, "quotes_html")
    missing = [c for c in ("theme", "quote") if c not in quotes.columns]
    if missing:
        raise ParameterError(
            f"quotes_html: column(s) {missing} not in quotes; columns are {list(quotes.columns)}"
        )
    if quotes.empty:
        return Html("<p><em>" + html.escape(no_quote(("id", "en")[i])) + "</em></p>")
    parts = ['<div class="ek-quotes">']
    for theme, group in quotes.groupby("theme", sort=False):
        parts.append(f"<p><strong>{html.escape(theme_label(str(theme), lang))}</strong></p><ul>")
        parts += [
            f"\n<li>&ldquo;{html.escape(str(q), quote=True)}&rdquo;</li>" for q in group["quote"]
        ]
        parts.append("</ul>")
    parts.append("</div>")
    return Html("".join(parts))


def theme_table(themes: pd.DataFrame, lang: str = "id") -> pd.DataFrame:
    """A presentation table of :func:`comment_themes` (one group), under the group-level rule.

    A group in which fewer than :data:`evalkit.reporting.disclosure.MIN_RESPONDENTS`
    people wrote a comment gives an empty table (:func:`comments_shown`: nothing is
    shown, :func:`themes_conclusion` says why); a larger group shows every theme
    someone mentioned with its counts and share, however few raised it (see the module
    notes). Rows are sorted by the number of people, most first, with "other" last.

    Returns
    -------
    DataFrame of str
        Indexed by the theme's label, columns: comments, people, % of comments.

    Examples
    --------
    >>> res = pd.DataFrame({"n_comments": [7, 2, 0], "n_people": [6, 2, 0],
    ...     "pct_comments": [70.0, 20.0, 0.0], "n_total": [10] * 3, "n_respondents": [9] * 3},
    ...     index=pd.Index(["praise", "time", "content"], name="theme"))
    >>> theme_table(res, "en").to_dict("index")  # doctest: +NORMALIZE_WHITESPACE
    {'Praise and thanks': {'Comments': '7', 'People': '6', '% of comments': '70%'},
     'Time and schedule': {'Comments': '2', 'People': '2', '% of comments': '20%'}}
    >>> theme_table(res.assign(n_respondents=4), "en").empty
    True
    """
    i = check_lang(lang, "theme_table")
    missing = [c for c in COLUMNS if c not in themes.columns]
    if missing:
        raise ParameterError(
            f"theme_table: column(s) {missing} not in themes; columns are {list(themes.columns)}"
        )
    if isinstance(themes.index, pd.MultiIndex):
        raise ParameterError(
            "theme_table: parameter 'themes' must hold one group (index 'theme'); select "
            "one group first, e.g. themes.xs('C01', level='cohort_id')"
        )
    data = themes[themes["n_comments"] > 0] if comments_shown(themes) else themes.iloc[:0]
    order = data.assign(_other=data.index == OTHER).sort_values(
        ["_other", "n_people", "n_comments"], ascending=[True, False, False], kind="stable"
    )
    labels = (("Komentar", "Comments"), ("Orang", "People"), ("% komentar", "% of comments"))
    return pd.DataFrame(
        {
            labels[0][i]: [fmt_int(v, lang) for v in order["n_comments"]],
            labels[1][i]: [fmt_int(v, lang) for v in order["n_people"]],
            labels[2][i]: [fmt_pct(v, 0, lang) for v in order["pct_comments"]],
        },
        index=pd.Index([theme_label(str(t), lang) for t in order.index], name=("Tema", "Theme")[i]),
        dtype=object,
    )


def themes_conclusion(
    themes: pd.DataFrame, lang: str = "id", *, n_participants: int | None = None
) -> Text:
    """One sentence on the comments of one group: how many, by how many people, the commonest themes.

    A group in which fewer than :data:`evalkit.reporting.disclosure.MIN_RESPONDENTS`
    people wrote a comment gets the sentence of
    :func:`evalkit.reporting.disclosure.withheld_note` instead, and no number.

    Examples
    --------
    >>> res = pd.DataFrame({"n_comments": [7, 6, 2], "n_people": [6, 6, 2],
    ...     "pct_comments": [70.0, 60.0, 20.0], "n_total": [10] * 3, "n_respondents": [9] * 3},
    ...     index=pd.Index(["praise", "relevance", "time"], name="theme"))
    >>> print(themes_conclusion(res, "en", n_participants=24))
    9 of 24 participants wrote 10 comments with content. Most often raised: praise and thanks (70% of comments), relevance to the job and field needs (60%) and time and schedule (20%).
    >>> print(themes_conclusion(res.assign(n_respondents=4), "en"))  # doctest: +ELLIPSIS
    Fewer than 5 participants wrote a comment with content, so the comments, ... are not shown: ...
    """
    i = check_lang(lang, "themes_conclusion")
    lang = ("id", "en")[i]
    total = int(themes["n_total"].max()) if len(themes) else 0
    if total == 0:
        return Text(
            "Tidak ada komentar berisi." if i == 0 else "There were no comments with content."
        )
    if not comments_shown(themes):
        return withheld_note(lang)
    writers = fmt_int(int(themes["n_respondents"].max()), lang)
    count = fmt_int(total, lang)
    if n_participants:
        of = fmt_int(n_participants, lang)
        who = (f"{writers} dari {of} peserta menulis {count} komentar berisi.",
               f"{writers} of {of} participants wrote {count} comments with content.")[i]  # fmt: skip
    else:
        who = (f"{writers} peserta menulis {count} komentar berisi.",
               f"{writers} participants wrote {count} comments with content.")[i]  # fmt: skip
    named = themes.drop(index=OTHER, errors="ignore")
    named = named[named["n_people"] > 0].sort_values(
        ["n_people", "n_comments"], ascending=False, kind="stable"
    )
    if named.empty:
        return Text(
            f"{who} Tidak satu pun menyentuh tema kamus kata kunci."
            if i == 0
            else f"{who} None of them raised a theme of the keyword dictionary."
        )
    top = named.head(3)
    items = [
        f"{theme_label(str(t), lang).lower()} ({fmt_pct(p, 0, lang)}"
        + ((" komentar)" if i == 0 else " of comments)") if n == 0 else ")")
        for n, (t, p) in enumerate(top["pct_comments"].items())
    ]
    joined = (
        items[0]
        if len(items) == 1
        else ", ".join(items[:-1]) + (" dan " if i == 0 else " and ") + items[-1]
    )
    return Text(
        f"{who} Tema yang paling sering muncul: {joined}."
        if i == 0
        else f"{who} Most often raised: {joined}."
    )
