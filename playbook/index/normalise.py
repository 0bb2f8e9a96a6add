"""Normalisation: bring every indicator to a common scale where higher = more vulnerable.

The direction (``1`` or ``-1``) is applied first: ``y = direction * x``. Then, over all units with
a value (NaN stays NaN), with ``[a, b]`` the spec's ``range``:

- ``minmax``: ``a + (b - a) (y - min y) / (max y - min y)``;
- ``zscore``: ``(y - mean y) / sd y`` (sample standard deviation), times ``sd`` plus ``mean`` if given;
- ``rank``: the rank of ``y``, ``1`` = least vulnerable (ties take the lowest rank);
- ``percentile``: ``a + (b - a) (rank - 1) / (n - 1)`` (the percent rank);
- ``goalposts``: ``a + (b - a) clip((y - g_lo) / (g_hi - g_lo), 0, 1)`` where ``(g_lo, g_hi)`` are
  the goalposts ``[low, high]`` given in raw units, multiplied by the direction and sorted;
- ``distance_to_reference``: with ``x_r`` the reference unit's value, ``type: ratio`` gives
  ``100 (x / x_r) ** direction``, ``type: difference`` gives ``direction (x - x_r)``.

A constant indicator (``max = min``) normalises to the middle of the range (``minmax``), ``0``
(``zscore``) or ``1`` (``rank``).
"""

from __future__ import annotations

import numpy as np
from scipy.stats import rankdata

from playbook.errors import PlaybookError


def min_rank(y: np.ndarray) -> np.ndarray:
    """Column-wise ranks, ties at their lowest rank, NaN kept (1 = smallest)."""
    filled = np.where(np.isnan(y), np.inf, y)
    ranks = rankdata(filled, method="min", axis=0).astype(float)
    return np.where(np.isnan(y), np.nan, ranks)


def normalise(
    raw: np.ndarray,
    directions: np.ndarray,
    block: dict,
    *,
    goalposts: np.ndarray | None = None,
    reference_row: int | None = None,
) -> np.ndarray:
    """Normalise ``raw`` (N x K) column by column according to the spec's ``normalise`` block."""
    method = block["method"]
    y = raw * directions
    a, b = (float(v) for v in block.get("range", (0, 100)))
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "minmax":
            lo, hi = np.nanmin(y, axis=0), np.nanmax(y, axis=0)
            share = np.where(hi > lo, (y - lo) / (hi - lo), 0.5)
            return np.where(np.isnan(y), np.nan, a + (b - a) * share)
        if method == "zscore":
            sd = np.nanstd(y, axis=0, ddof=1)
            z = np.where(sd > 0, (y - np.nanmean(y, axis=0)) / sd, 0.0)
            return np.where(np.isnan(y), np.nan, float(block.get("mean", 0)) + float(block.get("sd", 1)) * z)
        if method == "rank":
            return min_rank(y)
        if method == "percentile":
            n = np.sum(~np.isnan(y), axis=0)
            share = np.where(n > 1, (min_rank(y) - 1) / (n - 1), 0.5)
            return np.where(np.isnan(y), np.nan, a + (b - a) * share)
        if method == "goalposts":
            g = np.sort(goalposts * directions[:, None], axis=1)
            share = np.clip((y - g[:, 0]) / (g[:, 1] - g[:, 0]), 0, 1)
            return np.where(np.isnan(y), np.nan, a + (b - a) * share)
        if method == "distance_to_reference":
            ref = raw[reference_row]
            if block.get("type", "ratio") == "difference":
                return directions * (raw - ref)
            if np.any(ref == 0):
                raise PlaybookError("the reference unit has a zero value: a ratio is undefined",
                                    field="normalise.reference", expected="type: difference, or another reference")
            return 100.0 * (raw / ref) ** directions
    raise PlaybookError(f"unknown method '{method}'", field="normalise.method")
