"""Exports: XLSX appendix and CSV without formula injection, figures, study export."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest
from matplotlib.figure import Figure
from processed_fixture import write_processed_study

from evalkit.data.exports import export_study
from evalkit.errors import DataError, ParameterError
from evalkit.io.sheets import neutralize, neutralize_frame, sheet_names, write_csv, write_xlsx
from evalkit.reporting.figure_files import save_figure

# OWASP "CSV Injection" payloads and harmless look-alikes
DANGEROUS = ["=1+1", '=HYPERLINK("http://x","klik")', "+62 812 3456", "-2+3+cmd|' /C calc'!A0",
             "@SUM(A1:A3)", "\t=1", "\r=1", "-", "+", "=", "@"]  # fmt: skip
HARMLESS = ["-5", "-2,5", "+3.5", "-1e3", "12%", "baik", "Rp 1.000", "a=b", " =1", "", "-0.25"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_formula_like_text_is_prefixed(text):
    assert neutralize(text) == "'" + text


@pytest.mark.parametrize("text", HARMLESS)
def test_numbers_and_plain_text_are_left_alone(text):
    assert neutralize(text) == text


@pytest.mark.parametrize(
    "value", [-5, -2.5, 0, None, float("nan"), True, pd.Timestamp("2025-01-01")]
)
def test_non_text_values_are_never_touched(value):
    out = neutralize(value)
    assert out is value or (out != out and value != value)


def test_neutralize_frame_keeps_numeric_columns_numeric():
    frame = pd.DataFrame(
        {"t": ["=cmd", "ok"], "d": [-0.41, 1.2], "n": pd.array([-1, None], dtype="Int64")}
    )
    out = neutralize_frame(frame)
    assert out["t"].tolist() == ["'=cmd", "ok"]
    assert out["d"].dtype == frame["d"].dtype and out["n"].dtype == frame["n"].dtype
    assert frame["t"].tolist() == ["=cmd", "ok"]  # the input is not changed


def test_csv_has_bom_and_neutralised_cells(tmp_path):
    frame = pd.DataFrame({"=kolom": ["=1+1", "-3"], "d": [-1.5, 2.0]})
    path = write_csv(frame, tmp_path / "sub" / "t.csv")
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig") == "'=kolom,d\n'=1+1,-1.5\n-3,2.0\n"


def test_xlsx_writes_text_as_text_and_numbers_as_numbers(tmp_path):
    frame = pd.DataFrame({
        "text": ["=1+1", "@SUM(A1)", "biasa"], "d_z": [-0.42, 0.8, None],
        "n": pd.array([3, None, -1], dtype="Int64"), "when": pd.to_datetime(["2025-03-03", None, None]),
        "ok": [True, False, True],
    })  # fmt: skip
    path = write_xlsx({"effect sizes/d": frame}, tmp_path / "a.xlsx", notes={"study": "uji"})
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["README", "effect sizes_d"]
    ws = book["effect sizes_d"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("text", "d_z", "n", "when", "ok")
    assert rows[1][:3] == ("'=1+1", -0.42, 3) and rows[2][1:3] == (0.8, None)
    assert rows[3][2] == -1 and rows[1][4] is True
    assert rows[1][3].year == 2025
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    assert ws.freeze_panes == "A2"


def test_xlsx_is_deterministic(tmp_path):
    tables = {"t": pd.DataFrame({"a": [1, 2], "b": ["x", "=y"]})}
    a = write_xlsx(tables, tmp_path / "a.xlsx").read_bytes()
    b = write_xlsx(tables, tmp_path / "b.xlsx").read_bytes()
    assert a == b


def test_a_failed_xlsx_write_leaves_the_previous_file(tmp_path):
    path = write_xlsx({"t": pd.DataFrame({"a": [1]})}, tmp_path / "a.xlsx")
    before = path.read_bytes()
    with pytest.raises(ParameterError, match=r"table 't' row 2 column 'a': a list"):
        write_xlsx({"t": pd.DataFrame({"a": ["x", [1, 2]]}).iloc[1:]}, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["a.xlsx"]


def test_xlsx_errors(tmp_path):
    with pytest.raises(ParameterError, match=r"parameter 'tables' is empty"):
        write_xlsx({}, tmp_path / "a.xlsx")
    with pytest.raises(ParameterError, match=r"table 't' is a list, not a DataFrame"):
        write_xlsx({"t": [1]}, tmp_path / "a.xlsx")


def test_sheet_names_are_valid_and_unique():
    names = sheet_names(["a:b", "A_B", "x" * 40, "x" * 40, "'q'"])
    assert names[:2] == ["a_b", "A_B~2"]
    assert all(len(n) <= 31 for n in names) and len({n.lower() for n in names}) == 5


def test_save_figure_writes_png_and_svg(tmp_path):
    fig = Figure(figsize=(2, 2))
    fig.subplots().bar(["a", "b"], [1, 2])
    png, svg = save_figure(fig, tmp_path / "figs" / "reaksi")
    assert png.read_bytes()[:4] == b"\x89PNG" and b"<svg" in svg.read_bytes()[:400]
    again = save_figure(fig, tmp_path / "figs" / "reaksi2", formats=["svg"])
    assert again[0].read_bytes() == svg.read_bytes()
    with pytest.raises(ParameterError, match=r"parameter 'formats' has \['gif'\]"):
        save_figure(fig, tmp_path / "x", formats=["gif"])


def test_export_study_writes_every_table(tmp_path):
    folder = write_processed_study(tmp_path)
    tables = sorted(p.stem for p in folder.glob("*.parquet"))
    written = export_study(folder, tmp_path / "out", formats=["xlsx", "csv", "sav"], study="uji")
    names = {p.name for p in written}
    assert {"uji_tables.xlsx", "uji_participants.sav"} <= names
    assert {f"{t}.csv" for t in tables} <= names
    book = openpyxl.load_workbook(tmp_path / "out" / "uji_tables.xlsx", read_only=True)
    assert book.sheetnames == ["README", *tables]
    readme = dict(book["README"].iter_rows(min_row=2, values_only=True))
    assert "UU 27/2022" in readme["privacy"]
    costs = pd.read_csv(tmp_path / "out" / "csv" / "costs.csv", encoding="utf-8-sig")
    assert len(costs) == len(pd.read_parquet(folder / "costs.parquet"))


def test_export_study_errors(tmp_path):
    with pytest.raises(ParameterError, match=r"parameter 'formats' has \['pdf'\]"):
        export_study(tmp_path, tmp_path / "o", formats=["pdf"])
    with pytest.raises(DataError, match=r"no processed table"):
        export_study(tmp_path, tmp_path / "o")


def test_xlsx_bytes_do_not_depend_on_the_time_of_writing(tmp_path):
    """openpyxl stamps the save time into docProps/core.xml; equal tables, equal bytes."""
    import time

    from evalkit.io.sheets import write_xlsx

    table = {"t": pd.DataFrame({"a": [1, 2]})}
    first = write_xlsx(table, tmp_path / "a.xlsx").read_bytes()
    time.sleep(1.1)  # the stamp has whole seconds
    assert write_xlsx(table, tmp_path / "b.xlsx").read_bytes() == first
