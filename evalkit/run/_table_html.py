"""The HTML of a report's tables: words aligned left, a row group's label on every row.

The report shows each pandas table as pandas writes it (``DataFrame.to_html``), with two
changes made by :func:`evalkit.run.export.render_html` before a table gets its caption:

- :func:`align_text_columns` marks the columns of words (class ``ek-text``), which the
  style sheet aligns left, numbers staying right;
- :func:`repeat_group_labels` writes the label of a row group (the outer level of a
  multi-level row index, which pandas writes once, in a cell spanning the group's rows)
  in every row of the group, muted after the first (class ``ek-repeat``): a group that
  a page break splits, such as the instruments of the methods chapter, is labelled on
  the next page too, and no row spans another.

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"Skala": ["1-5", "1-5", "0-100"]}, index=pd.MultiIndex.from_tuples(
...     [("Reaksi", "c1"), ("Reaksi", "c2"), ("Tes", "")]))
>>> html = repeat_group_labels(align_text_columns(frame.to_html()))
>>> html.count(">Reaksi</th>"), html.count('<th class="ek-repeat">Reaksi</th>'), "rowspan" in html
(2, 1, False)
"""

from __future__ import annotations

import html as _html
import re

_TABLE = re.compile(r'(<table\b[^>]*class="dataframe[^"]*"[^>]*>)(.*?)(</table>)', re.S)
_ROW = re.compile(r"(<tr\b[^>]*>)(.*?)(</tr>)", re.S)
_CELL = re.compile(r"<(t[hd])\b([^>]*)>(.*?)</\1>", re.S)
#: A cell that reads as a number: a digit before any letter (``< 5``, ``−0,04 s.d. 2,13``,
#: ``54%``), rupiah (``−Rp66.674.860``) or a test statistic (``t(23) = 4,59, p < 0,001``,
#: ``V = 253,5``).
_NUMERIC = re.compile(r"^(?:[^A-Za-z]*\d|[−\-+]?Rp\s?[−\-+]?\d|[A-Za-zχ²]{1,3}\s?[(=])")
_BLANK = {"", "–", "—", "-", "nan", "None"}
#: Words a number may carry and stay a number (``3,85 s.d. 4,26 (peserta)``, ``0,13
#: (rendah)``, ``Rp1,2 juta``); any other word of three letters or more makes a cell text
#: (``1-5 (Materi)``, ``1. Kualitas materi e-learning``).
_NUMBER_WORDS = frozenset({
    "peserta", "raters", "angkatan", "cohorts", "rendah", "low", "sedang", "medium",
    "tinggi", "high", "juta", "miliar", "million", "billion",
})  # fmt: skip


def _is_number(text: str) -> bool:
    """Whether a table cell reads as a number (:data:`_NUMERIC`, :data:`_NUMBER_WORDS`)."""
    words = re.findall(r"[^\W\d_]{3,}", text)
    return bool(_NUMERIC.match(text)) and all(w.lower() in _NUMBER_WORDS for w in words)


def _cell_text(inner: str) -> str:
    return _html.unescape(re.sub(r"<[^>]+>", "", inner)).strip()


def _with_class(tag: str, attrs: str, inner: str, name: str = "ek-text") -> str:
    if 'class="' in attrs:
        attrs = attrs.replace('class="', f'class="{name} ', 1)
    else:
        attrs = f'{attrs} class="{name}"'
    return f"<{tag}{attrs}>{inner}</{tag}>"


def align_text_columns(html: str) -> str:
    """Mark the columns of words of every pandas table in ``html`` (class ``ek-text``).

    The notebook theme right-aligns every table cell; the report's style sheet aligns
    numbers right and words left. A data column is of words when one of its cells does
    not read as a number (:func:`_is_number`; blanks and dashes are neither); its cells and
    its header get the class ``ek-text``, which the style sheet aligns left, as it does
    every row label (``tbody th``). Columns are counted from the right of each row, so
    the row labels a multi-level index spans over several rows do not shift them.

    Examples
    --------
    >>> table = ('<table border="1" class="dataframe"><thead><tr><th></th><th>n</th>'
    ...          '<th>Text</th></tr></thead><tbody><tr><th>b1</th><td>&lt; 5</td>'
    ...          '<td>Menerapkan</td></tr><tr><th>b2</th><td>12</td><td>–</td></tr>'
    ...          '</tbody></table>')
    >>> out = align_text_columns(table)
    >>> '<th class="ek-text">Text</th>' in out, '<td class="ek-text">Menerapkan</td>' in out
    (True, True)
    >>> '<td>12</td>' in out and '<th>n</th>' in out  # numbers stay as they were
    True
    """

    def one(match: re.Match[str]) -> str:
        head_open, body, close = match.groups()
        head, _, rest = body.partition("<tbody>") if "<tbody>" in body else ("", "", body)
        rows = [_CELL.findall(r[1]) for r in _ROW.findall(rest)]
        width = max((sum(c[0] == "td" for c in cells) for cells in rows), default=0)
        if width == 0:
            return match.group(0)
        words = [False] * width  # from the right: words[0] is the last column
        for cells in rows:
            data = [c for c in cells if c[0] == "td"]
            for k, (_, _, inner) in enumerate(reversed(data)):
                text = _cell_text(inner)
                if text not in _BLANK and not _is_number(text):
                    words[k] = True
        if not any(words):
            return match.group(0)

        def mark_row(row: re.Match[str], *, header: bool) -> str:
            cells = list(_CELL.finditer(row.group(2)))
            if header:  # the header row of the column names: as many th as columns, or more
                if len(cells) < width or any(c.group(1) != "th" for c in cells):
                    return row.group(0)
                slots = list(range(len(cells)))[-width:]
            else:
                slots = [i for i, c in enumerate(cells) if c.group(1) == "td"]
            marked = {slots[-1 - k] for k in range(min(width, len(slots))) if words[k]}
            inner, out, pos = row.group(2), [], 0
            for index, cell in enumerate(cells):
                out.append(inner[pos : cell.start()])
                marks = index in marked
                out.append(_with_class(*cell.groups()) if marks else cell.group(0))
                pos = cell.end()
            out.append(inner[pos:])
            return row.group(1) + "".join(out) + row.group(3)

        first = True

        def mark_head(row: re.Match[str]) -> str:
            nonlocal first
            if not first:
                return row.group(0)
            first = False
            return mark_row(row, header=True)

        head = _ROW.sub(mark_head, head)
        rest = _ROW.sub(lambda r: mark_row(r, header=False), rest)
        return head_open + head + ("<tbody>" if "<tbody>" in body else "") + rest + close

    return _TABLE.sub(one, html)


#: The attributes of a cell spanning rows: its span, and pandas' top alignment of it.
_ROWSPAN = re.compile(r'\s*rowspan="(\d+)"')
_VALIGN = re.compile(r'\s*valign="top"')


def repeat_group_labels(html: str) -> str:
    """Write each row group's label in every row of its group, muted after the first.

    pandas writes the label of a multi-level row index once per group, in a cell that
    spans the group's rows (``<th rowspan="17">``); a page break within the group leaves
    the rows on the next page without it. Here the spanning cell becomes a cell of its
    first row, and every later row of the group gets the same label, marked ``ek-repeat``
    (the style sheet mutes it). Labels of nested levels are carried the same way, the
    outer first. Only the body of pandas tables (``class="dataframe"``) is changed.

    Examples
    --------
    >>> table = ('<table class="dataframe"><thead><tr><th></th><th></th><th>n</th></tr>'
    ...          '</thead><tbody><tr><th rowspan="2" valign="top">Reaksi</th><th>c1</th>'
    ...          '<td>5</td></tr><tr><th>c2</th><td>6</td></tr></tbody></table>')
    >>> print(repeat_group_labels(table).split("<tbody>")[1].replace("</tr>", "</tr>\\n"))
    <tr><th>Reaksi</th><th>c1</th><td>5</td></tr>
    <tr><th class="ek-repeat">Reaksi</th><th>c2</th><td>6</td></tr>
    </tbody></table>
    >>> repeat_group_labels("<table><tbody><tr><td>1</td></tr></tbody></table>")  # no dataframe
    '<table><tbody><tr><td>1</td></tr></tbody></table>'
    """

    def one(match: re.Match[str]) -> str:
        head_open, body, close = match.groups()
        if "<tbody>" not in body or "rowspan" not in body.partition("<tbody>")[2]:
            return match.group(0)
        head, _, rest = body.partition("<tbody>")
        carried: list[list] = []  # [the label's cell in later rows, rows left], outer first

        def label(cell: re.Match[str], found: list[list]) -> str:
            tag, attrs, inner = cell.groups()
            span = _ROWSPAN.search(attrs) if tag == "th" else None
            if span is None:
                return cell.group(0)
            attrs = _VALIGN.sub("", attrs.replace(span.group(0), "", 1), count=1)
            if int(span.group(1)) > 1:
                found.append([_with_class(tag, attrs, inner, "ek-repeat"), int(span.group(1)) - 1])
            return f"<{tag}{attrs}>{inner}</{tag}>"

        def row(match: re.Match[str]) -> str:
            nonlocal carried
            before = "".join(cell for cell, _ in carried)
            carried = [[cell, left - 1] for cell, left in carried if left > 1]
            found: list[list] = []
            inner = _CELL.sub(lambda cell: label(cell, found), match.group(2))
            carried += found
            return match.group(1) + before + inner + match.group(3)

        return head_open + head + "<tbody>" + _ROW.sub(row, rest) + close

    return _TABLE.sub(one, html)


_COLSPAN = re.compile(r'colspan="(\d+)"')


def table_columns(html: str) -> int:
    """The number of columns of the first table in ``html`` (its first row, spans counted).

    Examples
    --------
    >>> table_columns('<table><tr><th colspan="2">a</th><th>b</th></tr><tr><td>1</td></tr>')
    3
    >>> table_columns("<p>no table</p>")
    0
    """
    row = _ROW.search(html)
    if row is None:
        return 0
    return sum(
        int(span.group(1)) if (span := _COLSPAN.search(attrs)) else 1
        for _tag, attrs, _inner in _CELL.findall(row.group(2))
    )
