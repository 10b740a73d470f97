"""SPSS .sav: reading raw exports with value labels, writing participant-level data."""

from __future__ import annotations

import pandas as pd
import pyreadstat
import pytest
from processed_fixture import write_processed_study

from evalkit.data.nip import parse_nip
from evalkit.data.spss_export import participant_data, write_participants_sav
from evalkit.errors import DataError, ParameterError
from evalkit.io.spss import read_sav, sav_rows, spss_name, write_sav


def test_read_applies_value_labels_and_keeps_unlabelled_numbers(tmp_path):
    frame = pd.DataFrame({"jk": [1.0, 2.0, 3.0, None], "nilai": [78.5, 80.0, 0.0, None],
                          "nama": ["Ana", "Budi", "", "Cici"]})  # fmt: skip
    pyreadstat.write_sav(frame, str(tmp_path / "a.sav"),
                         column_labels=["Jenis kelamin", "Nilai", "Nama"],
                         variable_value_labels={"jk": {1.0: "Laki-laki", 2.0: "Perempuan"}})  # fmt: skip
    out = read_sav(tmp_path / "a.sav")
    assert out.to_dict("list") == {
        "jk": ["Laki-laki", "Perempuan", "3", ""],
        "nilai": ["78.5", "80", "0", ""],
        "nama": ["Ana", "Budi", "", "Cici"],
    }
    assert all(out[c].dtype == object for c in out)
    assert out.attrs["variable_labels"]["jk"] == "Jenis kelamin"
    assert out.attrs["header_row"] == 1
    assert sav_rows(tmp_path / "a.sav")[0] == ["jk", "nilai", "nama"]


def test_the_codes_under_value_labels_come_along_for_number_columns(tmp_path):
    from evalkit.io.readers import read_table

    frame = pd.DataFrame({"nilai": [0.0, 23.5, 50.0, None], "jk": [1.0, 2.0, 2.0, 1.0],
                          "catatan": ["a", "", "b", "c"]})  # fmt: skip
    pyreadstat.write_sav(frame, str(tmp_path / "t.sav"), variable_value_labels={
        "nilai": {0.0: "tidak lulus", 50.0: "maksimal"}, "jk": {1.0: "L", 2.0: "P"}})  # fmt: skip
    rows = sav_rows(tmp_path / "t.sav")
    assert rows[1:] == [["tidak lulus", "L", "a"], ["23.5", "P", ""], ["maksimal", "P", "b"],
                        ["", "L", "c"]]  # fmt: skip
    assert rows.codes == {"nilai": ["0", "23.5", "50", ""], "jk": ["1", "2", "2", "1"]}
    table = read_table(tmp_path / "t.sav")
    assert table["nilai"].tolist() == ["tidak lulus", "23.5", "maksimal", ""]
    assert table.attrs["codes"] == rows.codes  # cleaning reads a score from these
    assert read_table(tmp_path / "t.sav", header_row=2).attrs["codes"] == {}  # no such headers


def test_a_nip_stored_as_a_number_is_never_read_with_wrong_digits(tmp_path):
    nip = "198505122010011002"
    pyreadstat.write_sav(pd.DataFrame({"nip": [float(nip)]}), str(tmp_path / "n.sav"))
    text = read_sav(tmp_path / "n.sav")["nip"].iloc[0]
    assert "e+" in text.lower()  # scientific notation, as Excel shows it
    value, reason = parse_nip(text)
    assert value in (nip, None)
    assert value is not None or reason.startswith(("nip_scientific_lossy", "nip_"))


def test_dates_read_as_iso_text(tmp_path):
    frame = pd.DataFrame({"mulai": pd.to_datetime(["2025-03-03", None])})
    pyreadstat.write_sav(frame, str(tmp_path / "d.sav"))
    assert read_sav(tmp_path / "d.sav")["mulai"].tolist()[0].startswith("2025-03-03")


def test_read_errors_name_the_file(tmp_path):
    with pytest.raises(DataError, match=r"file .*nope.sav: file does not exist"):
        read_sav(tmp_path / "nope.sav")
    (tmp_path / "bad.sav").write_text("NIP,Nama\n1,A\n")
    with pytest.raises(DataError, match=r"file bad.sav: cannot open as an SPSS .sav file"):
        read_sav(tmp_path / "bad.sav")


def test_write_round_trip_with_labels_and_measures(tmp_path):
    frame = pd.DataFrame({
        "sex": pd.array([1, 2, None], dtype="Int64"), "post": [80.5, 72.0, None],
        "unit": ["Bappeda", None, "DPMPTSP"], "lulus": [True, False, True],
    })  # fmt: skip
    path = write_sav(frame, tmp_path / "x.sav", variable_labels={"post": "Nilai post-test"},
                     value_labels={"sex": {1: "L", 2: "P"}}, measures={"sex": "nominal"})  # fmt: skip
    data, meta = pyreadstat.read_sav(str(path))
    assert meta.column_names_to_labels["post"] == "Nilai post-test"
    assert meta.variable_value_labels["sex"] == {1.0: "L", 2.0: "P"}
    assert meta.variable_measure["post"] == "scale" and meta.variable_measure["unit"] == "nominal"
    assert read_sav(path)["lulus"].tolist() == ["ya", "tidak", "ya"]
    assert not list(tmp_path.glob(".*tmp"))  # no temporary file left


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"frame": pd.DataFrame({"nilai akhir": [1]})},
            r"column 'nilai akhir' is not a valid SPSS",
        ),
        (
            {"variable_labels": {"zz": "x"}},
            r"parameter 'variable_labels' names column\(s\) \['zz'\]",
        ),
        ({"value_labels": {"zz": {1: "x"}}}, r"parameter 'value_labels' names column"),
        ({"measures": {"a": "interval"}}, r"parameter 'measures' has .*allowed: nominal, ordinal"),
    ],
)
def test_write_errors(tmp_path, kwargs, message):
    args = {"frame": pd.DataFrame({"a": [1]}), **kwargs}
    with pytest.raises(ParameterError, match=message):
        write_sav(args.pop("frame"), tmp_path / "x.sav", **args)


def test_spss_names_are_valid_and_unique():
    taken: set[str] = set()
    names = [spss_name(n, taken) for n in ["Nilai Akhir", "nilai_akhir", "1", "x" * 80, "é"]]
    assert names[:3] == ["Nilai_Akhir", "nilai_akhir_2", "v1"]
    assert len(names[3]) == 64 and names[4] == "v"
    assert len({n.lower() for n in names}) == len(names)


def test_participant_file_of_a_processed_study(tmp_path):
    folder = write_processed_study(tmp_path)
    frame, variable_labels, value_labels = participant_data(folder)
    people = pd.read_parquet(folder / "participants.parquet")
    assert len(frame) == len(people)
    assert not frame.duplicated(["cohort_id", "participant_id"]).any()
    assert {"pre", "post", "max_score"} <= set(frame.columns)
    items = pd.read_parquet(folder / "reaction_items.parquet")
    assert {f"r_{i}" for i in items["item"]} <= set(frame.columns)
    assert any(c.startswith("f_self_m") for c in frame.columns)
    assert variable_labels[f"r_{items['item'].iloc[0]}"] == items["text"].iloc[0]
    assert value_labels["sex"] == {1: "Laki-laki (male)", 2: "Perempuan (female)"}
    assert "nip" not in frame.columns and "name" not in frame.columns

    path = write_participants_sav(folder, tmp_path / "out" / "peserta.sav")
    back = read_sav(path)
    assert len(back) == len(frame)
    assert set(back["sex"]) <= {"Laki-laki (male)", "Perempuan (female)", ""}
    assert back.attrs["variable_labels"]["participant_id"].startswith("ID peserta")


def test_participant_file_needs_a_cleaned_study(tmp_path):
    with pytest.raises(DataError, match=r"no participants, learning or reaction table"):
        participant_data(tmp_path)
