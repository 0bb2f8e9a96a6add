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

COINr's other normalisations (``n_dist2max``, ``n_dist2targ``, ``n_fracmax``, ``n_borda``; the
"Normalisation" vignette of COINr 1.1.14), on ``y = direction x`` as COINr does, each times the
block's ``scale`` (default 1):

- ``dist2max``: ``1 - (max y - y) / (max y - min y)`` (0 for the least vulnerable unit, 1 for the most);
- ``dist2targ``: ``(y - min y) / (t - min y)`` with ``t = direction target`` (the indicator's
  ``target``, or the block's), capped at 1 if ``cap_max: true``;
- ``fracmax``: ``y / max y`` (needs ``max y > 0``);
- ``borda``: ``rank(y) - 1``, ties at their lowest rank: the number of units a unit beats.

A custom function ``f(y) -> array (N x K)`` may be given as the method (see :mod:`playbook.index.custom`).

A constant indicator (``max = min``) normalises to the middle of the range (``minmax``), ``0``
(``zscore``) or ``1`` (``rank``).
"""

from __future__ import annotations

import numpy as np

from playbook.errors import PlaybookError
from playbook.index import custom
from playbook.index.aggregate import min_ranks


def min_rank(y: np.ndarray) -> np.ndarray:
    """Column-wise ranks, ties at their lowest rank, NaN kept (1 = smallest)."""
    return np.ascontiguousarray(min_ranks(y.T).T)


def normalise(
    raw: np.ndarray,
    directions: np.ndarray,
    block: dict,
    *,
    goalposts: np.ndarray | None = None,
    reference_row: int | None = None,
    targets: np.ndarray | None = None,
) -> np.ndarray:
    """Normalise ``raw`` (N x K) column by column according to the spec's ``normalise`` block.

    ``targets`` (K,) are the raw-unit targets of ``dist2targ``."""
    method = block["method"]
    y = raw * directions
    if callable(method):
        return custom.call("normalise", method, y, shape=y.shape)
    if method in COINR_METHODS:
        return COINR_METHODS[method](y, directions, block, targets) * float(block.get("scale", 1))
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


def dist2max(y: np.ndarray) -> np.ndarray:
    """COINr ``n_dist2max``: ``1 - (max y - y) / (max y - min y)``; a constant column gives NaN, as COINr."""
    lo, hi = np.nanmin(y, axis=0), np.nanmax(y, axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return 1.0 - (hi - y) / np.where(hi > lo, hi - lo, np.nan)


def dist2targ(y: np.ndarray, t: np.ndarray, cap_max: bool = False) -> np.ndarray:
    """COINr ``n_dist2targ`` (direction already applied to ``y`` and the targets ``t``):
    ``(y - min y) / (t - min y)``, capped at 1 if ``cap_max``."""
    lo = np.nanmin(y, axis=0)
    if np.any(t == lo):
        k = int(np.flatnonzero(t == lo)[0])
        raise PlaybookError(f"the target of indicator {k + 1} equals its lowest value: the distance is undefined",
                            field="normalise.target", expected="a target away from the worst value")
    out = (y - lo) / (t - lo)
    return np.where(cap_max & (out > 1), 1.0, out)


def fracmax(y: np.ndarray) -> np.ndarray:
    """COINr ``n_fracmax``: ``y / max y``."""
    hi = np.nanmax(y, axis=0)
    if np.any(hi <= 0):
        k = int(np.flatnonzero(hi <= 0)[0])
        raise PlaybookError(f"fracmax divides by the maximum, but indicator {k + 1} has max(direction x) <= 0",
                            field="normalise.method",
                            expected="positive values with direction 1, or another method (dist2max, minmax)")
    return y / hi


def borda(y: np.ndarray) -> np.ndarray:
    """COINr ``n_borda``: ``rank(y) - 1`` (ties at their lowest rank), the number of units beaten."""
    return min_rank(y) - 1.0


def _targets(y: np.ndarray, directions: np.ndarray, block: dict, targets: np.ndarray | None) -> np.ndarray:
    targets = np.full(y.shape[1], np.nan) if targets is None else np.asarray(targets, dtype=float)
    if block.get("target") is not None:  # the block's target for the indicators without their own
        targets = np.where(np.isnan(targets), float(block["target"]), targets)
    if np.isnan(targets).any():
        raise PlaybookError("dist2targ needs a target for every indicator", field="normalise.target",
                            expected="target: VALUE on each indicator or in the normalise block")
    return dist2targ(y, directions * targets, bool(block.get("cap_max", False)))


#: The COINr normalisations: ``(y, directions, block, targets) -> normalised`` (before ``scale``).
COINR_METHODS = {
    "dist2max": lambda y, d, block, t: dist2max(y),
    "dist2targ": _targets,
    "fracmax": lambda y, d, block, t: fracmax(y),
    "borda": lambda y, d, block, t: borda(y),
}
