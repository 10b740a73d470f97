"""Results shared by the reporting tests: a paired change and unit 20-JP compliance.

:data:`CHANGE` is one row of :func:`evalkit.paired_change` (28 pairs, a large gain);
:data:`COMPLIANCE` is :func:`evalkit.jp_compliance` of three units, one with fewer
than 5 compliant staff and one with fewer than 5 not compliant.
"""

from __future__ import annotations

import pandas as pd

#: A row of :func:`evalkit.paired_change`.
CHANGE = {
    "n": 28,
    "mean_pre": 55.0,
    "mean_post": 69.2,
    "mean_diff": 14.21,
    "sd_diff": 12.7,
    "ci_low": 10.1,
    "ci_high": 18.3,
    "t": 5.93,
    "df": 27,
    "p": 2e-6,
    "d_z": 1.12,
    "d_av": 0.9,
    "hedges_g": 0.88,
    "hedges_g_ci_low": 0.55,
    "hedges_g_ci_high": 1.2,
    "wilcoxon_w": 390.0,
    "wilcoxon_p": 1e-5,
    "hake_g": 0.45,
}


#: :func:`evalkit.jp_compliance` at unit level: Dinsos has 3 compliant, Dinkes 2 not.
COMPLIANCE = pd.DataFrame(
    {
        "n_staff": [12, 20, 9],
        "n_compliant": [3, 10, 7],
        "compliance_rate": [0.25, 0.5, 7 / 9],
        "ci_low": [0.09, 0.3, 0.45],
        "ci_high": [0.53, 0.7, 0.94],
        "mean_jp": [10.0, 20.0, 25.0],
        "total_jp": [120.0, 400.0, 225.0],
    },
    index=pd.Index(["Dinsos", "Bappeda", "Dinkes"], name="unit"),
)
