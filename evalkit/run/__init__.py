"""Running reports: plan, kernel, execute, HTML export, index and appendix.

:func:`evalkit.run.execute.run_reports` executes the notebooks through papermill
over the processed data and writes ``reports/``. It never reads ``data/raw/``.
"""
