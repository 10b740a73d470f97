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

Small cells
-----------
A theme count describes the people who raised it, so the reports follow the
convention of every other count they print (README, "Privacy"; UU 27/2022), the
rule of :mod:`evalkit.reporting.disclosure`: a theme raised by fewer than
:data:`evalkit.constants.MIN_CELL_SIZE` people is listed, so that readers know it
came up, but its count is shown as ``"< 5"`` and its share is hidden. Theme counts
overlap (a comment may raise several themes), so no secondary suppression applies.
Quotes are shown only for themes raised by at least that many people: a quote then
illustrates a pattern, not one person's remark, and a rare remark, whose wording is
the easiest to trace back to its author, is not reprinted.

Quotes are data, never markup: :func:`quotes_html` escapes every character HTML
gives a meaning to, so a comment reading ``<script>`` or ``<b>`` is printed as
those characters and runs nothing.

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
from evalkit.reporting.disclosure import cell_label, is_small
from evalkit.reporting.formats import fmt_int, fmt_pct
from evalkit.reporting.terms import MISSING, OTHER, Text, check_lang

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
COLUMNS = ("n_comments", "n_people", "pct_comments", "n_total")


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


def no_large_theme(lang: str = "id", *, min_cell: int = C.MIN_CELL_SIZE) -> str:
    """Say that no theme was raised by enough people to be named or quoted.

    Examples
    --------
    >>> no_large_theme("en")
    'No theme was raised by at least 5 people'
    """
    i = check_lang(lang, "no_large_theme")
    if i == 0:
        return f"Tidak ada tema yang disebut oleh sedikitnya {min_cell} orang"
    return f"No theme was raised by at least {min_cell} people"


def _by_list(by: Any) -> list[Hashable]:
    if by is None:
        return []
    return [by] if isinstance(by, str) else list(by)


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
        (``n_comments`` / ``n_total`` x 100) and ``n_total`` (substantive comments in
        the group). Shares add up to more than 100 because a comment may mention
        several themes.

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
                       n_comments  n_people  pct_comments  n_total
    cohort_id theme
    A         time              2         1         100.0        2
    B         content           1         1         100.0        1
              praise            1         1         100.0        1
    """
    keys = _by_list(by)
    data = _prepare(comments, text, keys, "comment_themes")
    hits = classify(data, text=text)
    themes = list(hits.columns)
    if participant in data.columns:
        person = data[participant].astype("string")
        person = person.fillna(pd.Series("#" + data.index.astype(str), index=data.index))
    else:
        person = pd.Series("#" + data.index.astype(str), index=data.index, dtype="string")
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
    out = out[list(COLUMNS)]
    if not keys:
        out = out.droplevel("_all")
    elif isinstance(out.index, pd.MultiIndex):
        out.index = out.index.set_names([*keys, "theme"])
    return out


def example_quotes(
    comments: pd.DataFrame,
    *,
    k: int = 3,
    by: str | Sequence[str] | None = None,
    max_chars: int = 160,
    min_words: int = 3,
    min_people: int = C.MIN_CELL_SIZE,
    text: str = C.TEXT,
    participant: str = C.PARTICIPANT_ID,
) -> pd.DataFrame:
    """Up to ``k`` short example quotes per theme, chosen deterministically.

    Within a theme (and group), identical comments (ignoring case and spacing) count
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
    min_people : int
        Quote only themes raised by at least this many people (default
        :data:`evalkit.constants.MIN_CELL_SIZE`; 1 quotes every theme).
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
        A bad ``k``, ``max_chars``, ``min_words`` or ``min_people``, or a missing column.

    Examples
    --------
    >>> frame = pd.DataFrame({"participant_id": list("ABCD"),
    ...     "text": ["Jadwal padat", "Waktu terlalu singkat, mohon ditambah",
    ...              "waktu  terlalu singkat, mohon ditambah", "Jadwal terlalu padat sampai sore"]})
    >>> example_quotes(frame, k=2, min_people=1)["quote"].tolist()
    ['Jadwal terlalu padat sampai sore', 'Waktu terlalu singkat, mohon ditambah']
    """
    for name, value, low in (("k", k, 1), ("max_chars", max_chars, 1), ("min_words", min_words, 0),
                             ("min_people", min_people, 1)):  # fmt: skip
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
    enough = themes[~is_small(themes["n_people"], min_cell=min_people)]
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
        sentence saying why none are shown.

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
        return Html(
            "<p><em>"
            + html.escape(
                no_large_theme(lang)
                + ("; kutipan tidak ditampilkan." if i == 0 else "; no quotes are shown.")
            )
            + "</em></p>"
        )
    parts = ['<div class="ek-quotes">']
    for theme, group in quotes.groupby("theme", sort=False):
        parts.append(f"<p><strong>{html.escape(theme_label(str(theme), lang))}</strong></p><ul>")
        parts += [
            f"\n<li>&ldquo;{html.escape(str(q), quote=True)}&rdquo;</li>" for q in group["quote"]
        ]
        parts.append("</ul>")
    parts.append("</div>")
    return Html("".join(parts))


def theme_table(
    themes: pd.DataFrame, lang: str = "id", *, min_cell: int = C.MIN_CELL_SIZE
) -> pd.DataFrame:
    """A presentation table of :func:`comment_themes` (one group), small cells suppressed.

    Themes nobody mentioned are left out; themes mentioned by fewer than ``min_cell``
    people show ``"< 5"`` and no share (see the module notes). Rows are sorted by
    the number of people, most first, with "other" last.

    Returns
    -------
    DataFrame of str
        Indexed by the theme's label, columns: comments, people, % of comments.

    Examples
    --------
    >>> res = pd.DataFrame({"n_comments": [7.0, 2.0, 0.0], "n_people": [6.0, 2.0, 0.0],
    ...     "pct_comments": [70.0, 20.0, 0.0], "n_total": [10.0] * 3},
    ...     index=pd.Index(["praise", "time", "content"], name="theme"))
    >>> theme_table(res, "en").to_dict("index")["Praise and thanks"]
    {'Comments': '7', 'People': '6', '% of comments': '70%'}
    >>> theme_table(res, "en").loc["Time and schedule"].tolist()
    ['< 5', '< 5', '–']
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
    data = themes[themes["n_comments"] > 0]
    order = data.assign(_other=data.index == OTHER).sort_values(
        ["_other", "n_people", "n_comments"], ascending=[True, False, False], kind="stable"
    )
    small = is_small(order["n_people"], min_cell=min_cell)
    hidden = cell_label(min_cell=min_cell)
    labels = (("Komentar", "Comments"), ("Orang", "People"), ("% komentar", "% of comments"))
    return pd.DataFrame(
        {
            labels[0][i]: [hidden if s else fmt_int(v, lang) for v, s in zip(order["n_comments"], small, strict=True)],
            labels[1][i]: [hidden if s else fmt_int(v, lang) for v, s in zip(order["n_people"], small, strict=True)],
            labels[2][i]: [MISSING if s else fmt_pct(v, 0, lang) for v, s in zip(order["pct_comments"], small, strict=True)],
        },
        index=pd.Index([theme_label(str(t), lang) for t in order.index], name=("Tema", "Theme")[i]),
    )  # fmt: skip


def themes_conclusion(
    themes: pd.DataFrame,
    lang: str = "id",
    *,
    n_participants: int | None = None,
    min_cell: int = C.MIN_CELL_SIZE,
) -> str:
    """One sentence on the comments of one group: how many, and the commonest themes.

    Only themes raised by at least ``min_cell`` people are named; fewer than
    ``min_cell`` comments in all are counted as ``"< 5"``.

    Examples
    --------
    >>> res = pd.DataFrame({"n_comments": [7.0, 6.0, 2.0], "n_people": [6.0, 6.0, 2.0],
    ...     "pct_comments": [70.0, 60.0, 20.0], "n_total": [10.0] * 3},
    ...     index=pd.Index(["praise", "relevance", "time"], name="theme"))
    >>> print(themes_conclusion(res, "en", n_participants=24))
    10 comments with content were collected from 24 participants. Most often raised: praise and thanks (70% of comments) and relevance to the job and field needs (60%).
    """
    i = check_lang(lang, "themes_conclusion")
    total = int(themes["n_total"].max()) if len(themes) else 0
    if total == 0:
        return Text(
            "Tidak ada komentar berisi." if i == 0 else "There were no comments with content."
        )
    of = f" dari {fmt_int(n_participants, lang)} peserta" if i == 0 and n_participants else ""
    of_en = f" from {fmt_int(n_participants, lang)} participants" if n_participants else ""
    count = (
        cell_label(min_cell=min_cell)
        if is_small(total, min_cell=min_cell)
        else fmt_int(total, lang)
    )
    who = (
        f"Terkumpul {count} komentar berisi{of}."
        if i == 0
        else f"{count} comments with content were collected{of_en}."
    )
    named = themes.drop(index=OTHER, errors="ignore")
    named = named[~is_small(named["n_people"], min_cell=min_cell)].sort_values(
        ["n_people", "n_comments"], ascending=False, kind="stable"
    )
    if named.empty:
        return Text(f"{who} {no_large_theme(lang, min_cell=min_cell)}.")
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
