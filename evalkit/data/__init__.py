"""Data: from a study's raw exports to its processed tables, and access to them.

``data/raw/<study>/`` (read-only) --codebook--> cleaning --> ``data/processed/<study>/``.

- :mod:`~evalkit.data.codebook`: the codebook format; :mod:`~evalkit.data.schema`: the
  processed tables' columns (one copy);
- :mod:`~evalkit.data.parse`, :mod:`~evalkit.data.cells`: cell parsers;
  :mod:`~evalkit.data.scrub`: personal data scrubbing; :mod:`~evalkit.data.nip`,
  :mod:`~evalkit.data.pseudonym`: NIPs and pseudonymous ids;
- :mod:`~evalkit.data.clean`: :func:`~evalkit.data.clean.clean_study`, over
  :mod:`~evalkit.data.read`, :mod:`~evalkit.data.identify`, :mod:`~evalkit.data.build`
  and :mod:`~evalkit.data.quality`;
- :mod:`~evalkit.data.processed`: :func:`~evalkit.data.processed.load_study` and the manifest;
  :mod:`~evalkit.data.freshness`: rebuilding a stale processed study;
- :mod:`~evalkit.data.onboard`, :mod:`~evalkit.data.exports`,
  :mod:`~evalkit.data.spss_export`, :mod:`~evalkit.data.demo`.
"""
