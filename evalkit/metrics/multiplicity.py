"""Multiple testing: Holm and Benjamini-Hochberg adjusted p-values.

A report that runs many tests declares its primary outcomes and adjusts the p-values of
its secondary tests: Holm (family-wise error, for a handful of secondary tests) or
Benjamini-Hochberg (false discovery rate, where many units are ranked). Missing p-values
stay missing and are left out of the family, as R's ``p.adjust`` does.

Examples
--------
>>> adjust_p([0.01, 0.04, 0.03], method="holm").round(3).tolist()
[0.03, 0.06, 0.06]
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd

from evalkit.errors import ParameterError

__all__ = ["METHODS", "adjust_p"]

#: Adjustment methods: evalkit's name -> statsmodels' ``multipletests`` method.
METHODS = {"holm": "holm", "bh": "fdr_bh"}


def adjust_p(p: Any, method: Literal["holm", "bh"] = "holm") -> pd.Series:
    """Adjusted p-values (Holm or Benjamini-Hochberg), in the order of ``p``.

    Parameters
    ----------
    p : array-like or Series
        The unadjusted p-values of one family of tests. NaN (a test that could not be
        run) stays NaN and does not count in the family.
    method : {"holm", "bh"}
        ``"holm"``: Holm's step-down adjustment (controls the family-wise error rate);
        ``"bh"``: Benjamini-Hochberg (controls the false discovery rate).

    Returns
    -------
    Series
        Adjusted p-values, with the index of ``p`` (a Series) or a range index, named
        ``p_adjusted``. Equal to R's ``p.adjust(p, "holm")`` / ``p.adjust(p, "BH")``.

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.Series([0.01, float("nan"), 0.03, 0.8], index=list("abcd"))
    >>> adjust_p(p, method="bh").round(3).to_dict()
    {'a': 0.03, 'b': nan, 'c': 0.045, 'd': 0.8}
    >>> adjust_p([0.2, 1.5])
    Traceback (most recent call last):
    ...
    evalkit.errors.ParameterError: adjust_p: parameter 'p' must hold p-values in [0, 1] (or NaN), got 1.5
    """
    from statsmodels.stats.multitest import multipletests

    if method not in METHODS:
        raise ParameterError(
            f"adjust_p: parameter 'method' must be one of {sorted(METHODS)}, got {method!r}"
        )
    index = p.index if isinstance(p, pd.Series) else None
    try:
        values = np.asarray(p, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise ParameterError("adjust_p: parameter 'p' must be numeric p-values") from None
    bad = values[~np.isnan(values) & ((values < 0) | (values > 1))]
    if bad.size:
        raise ParameterError(
            f"adjust_p: parameter 'p' must hold p-values in [0, 1] (or NaN), got {float(bad[0])!r}"
        )
    out = np.full(values.shape, np.nan)
    present = ~np.isnan(values)
    if present.any():
        out[present] = multipletests(values[present], method=METHODS[method])[1]
    return pd.Series(out, index=index, name="p_adjusted")
