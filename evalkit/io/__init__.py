"""Files: reading exports (CSV, XLSX, SPSS) as text cells and writing files atomically.

Nothing here knows what a study, a cohort or a codebook is; the data layer
(:mod:`evalkit.data`) gives the cells their meaning.

- :mod:`~evalkit.io.readers`: :func:`read_table` and :func:`read_rows`, any format;
- :mod:`~evalkit.io.text`, :mod:`~evalkit.io.excel`, :mod:`~evalkit.io.spss`: one reader per format;
- :mod:`~evalkit.io.atomic`: atomic writes, Parquet/CSV/JSON, hashes;
- :mod:`~evalkit.io.sheets`: spreadsheet-safe CSV and XLSX for sharing.
"""
