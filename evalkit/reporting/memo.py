"""Slow results shared by the reports of one run: each computed once, not once per report.

A run of ``evalkit report --lang both`` executes every cohort report twice, once per
language, and the cuts of a study often hold the same answers. The bootstrap of
McDonald's omega (a one-factor model fitted to each of 1,000 resamples) is the slowest
step of a cohort report, and gives the same numbers in both languages. :func:`memoized`
keeps such a result for the rest of the run.

The results are kept on disk, because a run's kernels are separate processes, with
``joblib.Memory``. The folder is private (mode 0700). The runner makes it for the run,
names it in the kernels' environment (:data:`MEMO_ENV`), and removes it when the run
ends, so nothing is kept from one run to the next and no result can be stale. Outside
a run (a notebook opened by hand, a script), :func:`memoized` just calls the function.

Only deterministic functions may be memoized: evalkit's bootstraps take a fixed
``seed``. The result is then the same whether it was computed or read back. The
warnings the computation gave are given again on every call, so that both languages'
reports say the same. A kernel that asks for a result another kernel is computing
waits for it (a lock per result), so twins running side by side compute it once too.

Examples
--------
>>> import os, tempfile
>>> import pandas as pd
>>> from evalkit.metrics.reaction import cronbach_alpha
>>> alpha = memoized(cronbach_alpha)
>>> items = pd.DataFrame({"q1": [1, 2, 3, 4, 5], "q2": [2, 2, 3, 5, 5], "q3": [1, 3, 3, 4, 4]})
>>> with tempfile.TemporaryDirectory() as folder:
...     os.environ[MEMO_ENV] = folder
...     try:
...         first, again = alpha(items), alpha(items)  # computed, then read back
...     finally:
...         del os.environ[MEMO_ENV]
>>> bool(first.equals(again)), bool(first.equals(cronbach_alpha(items)))
(True, True)
"""

from __future__ import annotations

import functools
import os
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from evalkit.io.lock import folder_lock

__all__ = ["MEMO_ENV", "memoized"]

#: The environment variable naming the run's folder of kept results.
MEMO_ENV = "EVALKIT_MEMO_DIR"

T = TypeVar("T")


def _recorded(func: Callable[..., Any], args: tuple, kwargs: dict) -> tuple[Any, list[Warning]]:
    """``func(*args, **kwargs)`` and every warning it gave (kept with the result)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = func(*args, **kwargs)
    return result, [w.message for w in caught]


def memoized(func: Callable[..., T]) -> Callable[..., T]:
    """``func``, with its results kept for the rest of the report run.

    Parameters
    ----------
    func : callable
        A deterministic function (the same arguments always give the same result),
        whose arguments and result can be pickled.

    Returns
    -------
    callable
        Called with the same arguments as ``func``. Inside a report run (the folder
        named by :data:`MEMO_ENV` exists) the first call with given arguments computes
        and keeps the result, and later calls, in any kernel of the run, read it back;
        elsewhere every call computes. Warnings are given again on every call.

    Examples
    --------
    >>> from evalkit.metrics.reaction import cronbach_alpha
    >>> memoized(cronbach_alpha).__name__  # outside a run: the function itself is called
    'cronbach_alpha'
    """

    @functools.wraps(func)
    def call(*args: Any, **kwargs: Any) -> T:
        folder = os.environ.get(MEMO_ENV)
        if not folder or not Path(folder).is_dir():
            return func(*args, **kwargs)
        from joblib import Memory, hash

        # one computation per key: a kernel asking for a result another kernel is
        # computing waits for it, then reads it back
        with folder_lock(Path(folder) / "locks" / hash((func, args, kwargs)), notify=None):
            result, caught = Memory(folder, verbose=0).cache(_recorded)(func, args, kwargs)
        for message in caught:
            warnings.warn(message, stacklevel=2)
        return result

    return call
