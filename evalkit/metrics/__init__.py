"""Metrics: one module per Kirkpatrick level, plus ROI and power.

Every function takes a DataFrame and returns a tidy DataFrame; they import only
:mod:`evalkit.constants`, :mod:`evalkit.errors` and each other. The public ones are
at the package root (``evalkit.paired_change``).

- :mod:`~evalkit.metrics.reaction` (Level 1), :mod:`~evalkit.metrics.learning` (Level 2),
  :mod:`~evalkit.metrics.compare` (group comparisons);
- :mod:`~evalkit.metrics.behavior`, :mod:`~evalkit.metrics.agreement` (Level 3);
- :mod:`~evalkit.metrics.results`, :mod:`~evalkit.metrics.impact` (Level 4);
- :mod:`~evalkit.metrics.economics` (Level 5, ROI), :mod:`~evalkit.metrics.power`.
"""
