"""Scores on a true 0-100 scale: the percent of maximum possible (POMP).

A mean of 4 on a 1-5 scale and a mean of 3.4 on a 1-4 scale cannot be compared as they
are, nor as "% of the maximum" (mean / max x 100, whose floor is 20 or 25). The POMP
score (Cohen, Cohen, Aiken & West 1999, *Multivariate Behavioral Research* 34(3),
315-346) maps the scale's minimum to 0 and its maximum to 100:

    POMP = (score - minimum) / (maximum - minimum) x 100

so that 4 on 1-5 and 3.25 on 1-4 are both 75.

Examples
--------
>>> pomp(4, minimum=1, maximum=5)
75.0
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from evalkit.errors import ParameterError

__all__ = ["pomp"]


def pomp(score: Any, *, minimum: Any, maximum: Any) -> Any:
    """Scores as percent of maximum possible: ``(score - minimum) / (maximum - minimum) * 100``.

    Parameters
    ----------
    score : number, array-like or Series
        Scores (item answers, scale means or their CI bounds) on the raw scale.
    minimum, maximum : number or array-like
        The lowest and highest possible score of the scale, per value or one for all
        (e.g. 1 and 5 for a five-point Likert scale, 0 and ``max_score`` for a test).

    Returns
    -------
    float, ndarray or Series
        The scores on 0-100 (a Series keeps its index and name). A score outside
        [minimum, maximum] gives a value outside 0-100: that is the caller's signal of a
        wrong scale, not clipped away.

    Examples
    --------
    >>> import pandas as pd
    >>> pomp(pd.Series([1, 3.25, 4]), minimum=1, maximum=pd.Series([5, 4, 4])).tolist()
    [0.0, 75.0, 100.0]
    >>> pomp(3, minimum=5, maximum=5)
    Traceback (most recent call last):
    ...
    evalkit.errors.ParameterError: pomp: parameter 'maximum' must be greater than 'minimum', got minimum 5 and maximum 5
    """
    lo = np.asarray(minimum, dtype=float)
    hi = np.asarray(maximum, dtype=float)
    bad = ~(hi > lo) & ~np.isnan(hi) & ~np.isnan(lo)  # a missing end gives NaN, not an error
    if np.any(bad):
        first = np.broadcast_to(bad, np.broadcast(lo, hi).shape).argmax()
        lo_v = np.broadcast_to(lo, np.broadcast(lo, hi).shape).flat[first]
        hi_v = np.broadcast_to(hi, np.broadcast(lo, hi).shape).flat[first]
        raise ParameterError(
            "pomp: parameter 'maximum' must be greater than 'minimum', got minimum "
            f"{lo_v:g} and maximum {hi_v:g}"
        )
    if isinstance(score, pd.Series):
        values = score.to_numpy(dtype=float)
        scaled = (values - np.asarray(lo)) / (np.asarray(hi) - np.asarray(lo)) * 100
        return pd.Series(scaled, index=score.index, name=score.name)
    scaled = (np.asarray(score, dtype=float) - lo) / (hi - lo) * 100
    return float(scaled) if np.ndim(scaled) == 0 else scaled
