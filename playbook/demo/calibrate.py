"""Calibration of synthetic area rates to real aggregates (vectorised raking on the logit scale).

A synthetic rate for area *a* in cell *c* (say, a province x age group) is
``sigmoid(base[a] + shift[c])``: ``base`` carries the area's own effects (income, rurality, ...), and
``shift`` is solved so that the weighted mean over the areas of each cell equals the cell's real
target. Newton steps on all cells at once; no loop per area.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def logit(p: np.ndarray | float) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def calibrate_shift(
    base: np.ndarray,
    weights: np.ndarray,
    cells: np.ndarray,
    targets: pd.Series,
    *,
    iterations: int = 50,
    tol: float = 1e-10,
) -> np.ndarray:
    """The per-area shift (``shift[cell of area]``) that makes ``sum(w * sigmoid(base + shift)) /
    sum(w)`` equal ``targets[cell]`` (a proportion) in every cell. Areas whose cell has no target get
    a shift of 0."""
    codes, uniques = pd.factorize(pd.Series(cells), use_na_sentinel=True)
    target = pd.Series(uniques).map(targets).to_numpy(dtype=float)
    n = len(uniques)
    w = np.asarray(weights, dtype=float)
    valid = codes >= 0
    wsum = np.bincount(codes[valid], weights=w[valid], minlength=n)
    start = logit(np.nan_to_num(target, nan=0.5)) - _mean_base(base, w, codes, valid, n, wsum)
    shift = np.where(np.isnan(target), 0.0, start)
    for _ in range(iterations):
        p = sigmoid(base[valid] + shift[codes[valid]])
        mean = np.bincount(codes[valid], weights=w[valid] * p, minlength=n) / np.where(wsum > 0, wsum, 1)
        slope = np.bincount(codes[valid], weights=w[valid] * p * (1 - p), minlength=n) / np.where(wsum > 0, wsum, 1)
        step = np.where(np.isnan(target) | (slope <= 0), 0.0, (target - mean) / np.maximum(slope, 1e-12))
        shift += np.clip(step, -2, 2)
        if np.nanmax(np.abs(np.where(np.isnan(target), 0, target - mean)), initial=0) < tol:
            break
    out = np.zeros(len(base))
    out[valid] = shift[codes[valid]]
    return out


def _mean_base(base, w, codes, valid, n, wsum) -> np.ndarray:
    total = np.bincount(codes[valid], weights=w[valid] * base[valid], minlength=n)
    return total / np.where(wsum > 0, wsum, 1)


def weighted_means(values: np.ndarray, weights: np.ndarray, cells: np.ndarray) -> pd.Series:
    """Weighted mean of ``values`` per cell (cells without weight are left out)."""
    frame = pd.DataFrame({"cell": cells, "wv": np.asarray(weights) * np.asarray(values), "w": weights})
    sums = frame.groupby("cell", sort=True)[["wv", "w"]].sum()
    return sums["wv"] / sums["w"]
