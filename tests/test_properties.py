"""Property-based tests (hypothesis) of the cell parsers, cleaning and the metrics.

Parsers: any text in a number, date, NIP, yes/no or Likert cell gives a value or a
reason with a documented code, never an exception; a whole study with arbitrary
text in its cells cleans with every row accounted for. Metrics: Cronbach's alpha is
at most 1, Hake's gain at most 1 when post <= max, and ``cronbach_alpha``,
``paired_change`` and ``ikm`` do not depend on the order of the rows.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from evalkit.data.clean import clean_study
from evalkit.data.codebook import LikertSet
from evalkit.data.nip import parse_nip
from evalkit.data.parse import parse_bool, parse_date, parse_datetime, parse_number
from evalkit.errors import DataError, ParameterError
from evalkit.metrics.learning import normalized_gain, paired_change
from evalkit.metrics.reaction import cronbach_alpha
from evalkit.metrics.results import ikm

BAD = Path(__file__).resolve().parent / "data" / "bad"
REASON = re.compile(r"^[a-z_]+: ")
NIP_CODES = {"nip_missing", "nip_scientific_lossy", "nip_not_numeric", "nip_wrong_length",
             "nip_bad_birth_date", "nip_bad_tmt", "nip_tmt_too_early", "nip_bad_sex_digit",
             "nip_bad_serial"}  # fmt: skip
SETUJU5 = LikertSet("setuju5", 5, {"sangat tidak setuju": 1, "tidak setuju": 2, "netral": 3,
                                   "setuju": 4, "sangat setuju": 5})  # fmt: skip
FAST = settings(max_examples=60, deadline=None)
SLOW = settings(max_examples=12, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip

#: Text as a cell might hold it: any characters, or something close to a real value.
cells = st.one_of(
    st.text(max_size=40),
    st.from_regex(r"\s*[0-9.,eE+\-' ]{1,25}\s*", fullmatch=True),
    st.from_regex(r"\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}( \d{1,2}[:.]\d{2}(:\d{2})?)?", fullmatch=True),
    st.sampled_from(["Setuju", " sangat SETUJU ", "4 - Setuju", "(5) sangat setuju", "7", "0",
                     "4,0", "ya", "Tidak", "1.98505E+17", "19850512 201001 1 002", "NaN", "-"]),
)  # fmt: skip


# --- single cells ---------------------------------------------------------------------
@FAST
@given(cells)
def test_number_date_and_bool_parsers_return_a_value_or_a_reason(text: str) -> None:
    for parser in (parse_number, parse_date, parse_datetime, parse_bool):
        value, reason = parser(text)
        assert value is None or reason is None
        assert reason is None or REASON.match(reason), reason
    value, reason = parse_number(text)
    assert value is None or np.isfinite(value)
    when, _ = parse_datetime(text)
    assert when is None or 1900 <= when.year <= 2100


@FAST
@given(st.one_of(cells, st.integers(), st.floats(allow_nan=True), st.none()))
def test_nip_parser_returns_a_nip_or_a_coded_reason(value: object) -> None:
    nip, reason = parse_nip(value)
    if nip is None:
        assert reason.split(":", 1)[0] in NIP_CODES, reason
    else:
        assert reason is None and re.fullmatch(r"[0-9]{18}", nip)
        assert nip[14] in "12" and nip[15:] != "000"
        assert parse_nip(nip) == (nip, None)  # idempotent


@FAST
@given(cells)
def test_likert_score_is_a_label_score_or_none(text: str) -> None:
    score = SETUJU5.score(text)
    assert score is None or (isinstance(score, int) and 1 <= score <= 5)


@SLOW
@given(
    rows=st.lists(
        st.tuples(
            st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=20),
            cells.filter(lambda t: not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", t)),
            cells.filter(lambda t: not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", t)),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_a_study_with_arbitrary_cells_cleans_with_every_row_accounted_for(
    rows: list[tuple[str, str, str]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    root = tmp_path_factory.mktemp("prop")
    raw = root / "raw"
    shutil.copytree(BAD / "base", raw)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["Timestamp", "NIP", "Nama", "Kode Angkatan", "Materi jelas",
                     "Narasumber menguasai materi", "Jadwal terlalu padat", "Saran"])  # fmt: skip
    for comment, nip, likert in rows:
        writer.writerow([likert, nip, "Paulus Tefa", "PP-2024-01", likert, "Setuju", nip, comment])
    (raw / "reaksi.csv").write_text(buffer.getvalue(), encoding="utf-8")
    try:
        summary = clean_study(raw, root / "out", progress=False, salt=b"s", dry_run=True)
    except DataError as err:  # documented: e.g. a cell whose lines look like rows
        assert "reaksi.csv" in str(err)
        return
    assert summary.rows_read == (
        summary.rows_kept + summary.duplicates + summary.quarantined + summary.empty
    )
    assert not (root / "out").exists()


# --- metrics --------------------------------------------------------------------------
likert_matrix = st.integers(min_value=3, max_value=25).flatmap(
    lambda n: st.lists(
        st.lists(st.integers(min_value=1, max_value=5), min_size=n, max_size=n),
        min_size=2,
        max_size=6,
    )
)


def _quiet(func, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return func(*args, **kwargs)
        except ParameterError:
            assume(False)


def _same(a: pd.Series, b: pd.Series) -> None:
    for key in a.index:
        x, y = a[key], b[key]
        if isinstance(x, (int, float, np.number)) and not isinstance(x, bool):
            assert np.isclose(x, y, rtol=1e-9, atol=1e-12, equal_nan=True), (key, x, y)
        else:
            assert x == y or (pd.isna(x) and pd.isna(y)), (key, x, y)


@FAST
@given(likert_matrix, st.randoms(use_true_random=False))
def test_cronbach_alpha_is_at_most_one_and_ignores_row_order(columns, rnd) -> None:
    items = pd.DataFrame({f"i{k}": col for k, col in enumerate(columns)})
    result = _quiet(cronbach_alpha, items)
    assert result["alpha"] <= 1 + 1e-12
    assert np.isnan(result["ci_high"]) or result["ci_high"] <= 1 + 1e-12
    order = list(range(len(items)))
    rnd.shuffle(order)
    _same(result, _quiet(cronbach_alpha, items.iloc[order].reset_index(drop=True)))


pairs = st.lists(
    st.tuples(st.floats(0, 100, allow_nan=False), st.floats(0, 100, allow_nan=False)),
    min_size=3,
    max_size=30,
)


@FAST
@given(pairs)
def test_hake_gain_is_at_most_one_when_post_is_at_most_max(scores) -> None:
    pre, post = (pd.Series(s) for s in zip(*scores, strict=True))
    g = _quiet(normalized_gain, pre, post, 100)
    assert (g.dropna() <= 1 + 1e-12).all()
    assert g[pre >= 100].isna().all()


@FAST
@given(pairs, st.randoms(use_true_random=False))
def test_paired_change_ignores_row_order(scores, rnd) -> None:
    pre, post = (pd.Series(s) for s in zip(*scores, strict=True))
    result = _quiet(paired_change, pre, post, 100)
    assert np.isnan(result["hake_g"]) or result["hake_g"] <= 1 + 1e-12
    order = list(range(len(pre)))
    rnd.shuffle(order)
    shuffled = _quiet(paired_change, pre.iloc[order].reset_index(drop=True),
                      post.iloc[order].reset_index(drop=True), 100)  # fmt: skip
    _same(result, shuffled)


@FAST
@given(
    st.lists(st.lists(st.integers(1, 4), min_size=9, max_size=9), min_size=1, max_size=30),
    st.randoms(use_true_random=False),
)
def test_ikm_is_within_25_100_and_ignores_row_order(answers, rnd) -> None:
    responses = pd.DataFrame(answers, columns=[f"u{i}" for i in range(1, 10)])
    result = _quiet(ikm, responses)
    assert 25 - 1e-9 <= result["ikm"] <= 100 + 1e-9
    order = list(range(len(responses)))
    rnd.shuffle(order)
    _same(result, _quiet(ikm, responses.iloc[order].reset_index(drop=True)))
