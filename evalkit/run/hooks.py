"""Kernel-side hooks of a report run: warm-up, output formatters, state snapshot and reset.

These run inside the notebook's kernel (the runner sends one line that calls
them, :mod:`evalkit.run.kernel`), so this module imports nothing of the runner: a
kernel loads only the standard library, IPython, the scientific stack and the
evalkit modules the notebooks use.

- :func:`kernel_warm_up`, once per kernel: import what the notebooks use, render one
  figure, install :func:`kernel_formatters`, then :func:`kernel_snapshot`;
- :func:`kernel_reset`, before each notebook: back to the snapshot.

Examples
--------
>>> "pandas" in WARM_MODULES and "evalkit.reporting.figures" in WARM_MODULES
True
"""

from __future__ import annotations

import os
from typing import Any

import evalkit
from evalkit.constants import SEED
from evalkit.reporting.record import TABLE_MIMETYPE, figure_svg, table_payload

#: Modules a warm kernel imports before its first notebook (besides every module of
#: evalkit's public API, :data:`evalkit.__all__`).
WARM_MODULES = (
    "numpy",
    "pandas",
    "pyarrow.parquet",
    "matplotlib",
    "IPython.display",
    "evalkit",
    "evalkit.io",
    "evalkit.data.processed",
    "evalkit.reporting",
    "evalkit.reporting.figures",
    "evalkit.reporting.record",
    "evalkit.run.hooks",
)


def _import_stack(modules: tuple[str, ...]) -> list[str]:
    """Import ``modules`` and the modules of evalkit's public API; return those that failed.

    A module that fails to import fails the notebooks that use it, not the kernel.
    """
    import importlib

    failed = []
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:
            failed.append(name)
    for name in evalkit.__all__:
        try:
            getattr(evalkit, name)  # imports the module that defines it
        except Exception:
            failed.append(f"evalkit.{name}")
    return failed


def _render_one_figure() -> None:
    """Draw and render one figure, so that the first report does not load the font cache."""
    import pandas as pd

    from evalkit.reporting import figures

    figures.to_png(figures.likert_bars(pd.DataFrame({"item": ["a"], "score": [3]}), scale_max=5))


def kernel_warm_up(modules: tuple[str, ...] = WARM_MODULES) -> list[str]:
    """Warm a new kernel up: import the stack, render a figure, install formatters, snapshot.

    Run once in each new kernel (:meth:`evalkit.run.kernel.WarmKernel.warm_up`). An
    import that fails, a figure that cannot be drawn or formatters that cannot be
    installed do not fail the kernel: the notebooks that need them fail instead (or,
    without formatters, their SVG and table files are missing). Only a failed snapshot
    fails the warm-up. Harmless outside a kernel (it then only imports and snapshots).

    Parameters
    ----------
    modules : tuple of str
        Modules to import first (default :data:`WARM_MODULES`).

    Returns
    -------
    list of str
        What failed: modules that could not be imported, ``"figure"``, ``"formatters"``.
    """
    failed = _import_stack(modules)
    for name, step in (("figure", _render_one_figure), ("formatters", kernel_formatters)):
        try:
            step()
        except Exception:
            failed.append(name)
    kernel_snapshot()
    return failed


def kernel_formatters() -> None:
    """Make the kernel render an SVG of evalkit figures and a JSON copy of DataFrames.

    Adds an ``image/svg+xml`` rendering to :class:`evalkit.reporting.figures.ReportFigure` and a
    :data:`TABLE_MIMETYPE` formatter for DataFrames, so that the runner finds both in
    the executed notebook. Runs inside a kernel; harmless elsewhere.
    """
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None:
        return
    formatters = shell.display_formatter.formatters
    try:
        from evalkit.reporting.figures import ReportFigure

        formatters["image/svg+xml"].for_type(ReportFigure, figure_svg)
    except ImportError:
        pass
    if TABLE_MIMETYPE not in formatters:
        from IPython.core.formatters import BaseFormatter
        from traitlets import ObjectName, Unicode

        class TableFormatter(BaseFormatter):
            format_type = Unicode(TABLE_MIMETYPE)
            print_method = ObjectName("_repr_evalkit_table_")
            _return_type = (dict,)

        formatters[TABLE_MIMETYPE] = TableFormatter(parent=shell.display_formatter)
    import pandas as pd

    formatters[TABLE_MIMETYPE].for_type(pd.DataFrame, table_payload)


# --- kernel state reset (called inside the kernel) ------------------------------------

_SNAPSHOT: dict[str, Any] = {}


def kernel_snapshot() -> None:
    """Remember the kernel's state after warm-up; :func:`kernel_reset` returns to it.

    Runs inside a kernel; harmless elsewhere.
    """
    import random
    import sys
    import warnings

    _SNAPSHOT.clear()
    _SNAPSHOT.update(
        cwd=os.getcwd(),
        path=list(sys.path),
        environ=dict(os.environ),
        filters=list(warnings.filters),
        argv=list(sys.argv),
    )
    random.seed(SEED)
    if "matplotlib" in sys.modules:
        import matplotlib

        _SNAPSHOT["rc"] = dict(matplotlib.rcParams)
    if "pandas" in sys.modules:
        import copy

        from pandas._config import config as pd_config

        _SNAPSHOT["pandas_options"] = copy.deepcopy(pd_config._global_config)
    if "numpy" in sys.modules:
        import numpy as np

        np.random.seed(SEED % 2**32)  # noqa: NPY002 - the legacy global state
        _SNAPSHOT["np_state"] = np.random.get_state()  # noqa: NPY002
    _SNAPSHOT["random_state"] = random.getstate()


def kernel_reset() -> None:
    """Return a warm kernel to its post-warm-up state before the next notebook.

    Clears the IPython user namespace and history (the execution counter restarts at
    1), closes figures, restores matplotlib's rcParams, pandas options, warning
    filters (and forgets which warnings were already shown), the working directory,
    ``sys.path``, ``sys.argv``, the environment and the random states. Imported
    modules are kept.
    """
    import gc
    import random
    import sys
    import warnings

    from IPython import get_ipython

    shell = get_ipython()
    if shell is not None:
        shell.reset(new_session=True)
    if not _SNAPSHOT:
        return
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
    if "rc" in _SNAPSHOT and "matplotlib" in sys.modules:
        import matplotlib

        dict.update(matplotlib.rcParams, _SNAPSHOT["rc"])
    if "pandas_options" in _SNAPSHOT:
        import copy

        from pandas._config import config as pd_config

        # pd.reset_option("all") takes ~0.1 s; comparing the option tree is instant
        if pd_config._global_config != _SNAPSHOT["pandas_options"]:
            pd_config._global_config.clear()
            pd_config._global_config.update(copy.deepcopy(_SNAPSHOT["pandas_options"]))
    warnings.filters[:] = _SNAPSHOT["filters"]
    warnings._filters_mutated()  # forget the "already shown once" registries
    os.chdir(_SNAPSHOT["cwd"])
    sys.path[:] = _SNAPSHOT["path"]
    sys.argv[:] = _SNAPSHOT["argv"]
    if dict(os.environ) != _SNAPSHOT["environ"]:
        os.environ.clear()
        os.environ.update(_SNAPSHOT["environ"])
    random.setstate(_SNAPSHOT["random_state"])
    if "np_state" in _SNAPSHOT:
        import numpy as np

        np.random.set_state(_SNAPSHOT["np_state"])  # noqa: NPY002
    gc.collect()
