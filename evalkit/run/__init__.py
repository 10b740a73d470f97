"""Running reports: plan, kernel, execute, outputs, HTML export, index and appendix.

:func:`evalkit.run.execute.run_reports` executes the notebooks through papermill
over the processed data and writes ``reports/``. It never cleans and never reads
``data/raw/``: ``evalkit report`` first makes each study's processed data current
(:func:`evalkit.data.freshness.ensure_current`).

- :mod:`~evalkit.run.plan`: which reports, their parameters and fingerprints;
- :mod:`~evalkit.run.kernel`: the warm kernel and the papermill engine;
  :mod:`~evalkit.run.hooks`: the code that runs inside the kernel (warm-up, reset);
- :mod:`~evalkit.run.execute`: running the reports on worker threads;
- :mod:`~evalkit.run.outputs`: each report's figure and table files;
  :mod:`~evalkit.run.export`: its HTML; :mod:`~evalkit.run.appendix`: a study's XLSX;
  :mod:`~evalkit.run.index`: ``reports/index.html``.
"""
