"""Outlier treatment with COINr's rule (``Treat()``, ``winsorise()``, ``log_CT()``).

An indicator *fails* when its absolute skewness exceeds ``skew`` (default 2) **and** its kurtosis
exceeds ``kurtosis`` (default 3.5); skewness and excess kurtosis are the bias-corrected sample
statistics (e1071 type 2, as Excel and COINr). Only failing indicators are treated:

- ``winsorise``: the highest value(s) (lowest if the skew is negative) are set to the next value,
  round by round, until the indicator passes or ``winmax`` (default 5) *points* have been
  winsorised (tied values count one each, as in COINr); if it still fails, the
  ``fallback`` (``log``, default, or ``none``) is applied to the original values instead;
- ``log``: COINr's ``log_CT``, ``ln(x - min(x) + 0.01 (max(x) - min(x)))``.

All indicators are processed together (vectorised over columns). A custom function
``f(x) -> (N x K)`` may be given as the method (see :mod:`playbook.index.custom`): it is applied to
every indicator and recorded as the action.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from playbook.index import custom
from playbook.index.spec import function_name


def skew_kurtosis(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Bias-corrected sample skewness and excess kurtosis of each column (NaN ignored)."""
    n = np.sum(~np.isnan(x), axis=0).astype(float)
    d = x - np.nanmean(x, axis=0)
    d[np.isnan(d)] = 0.0
    d2 = d * d
    m2, m3, m4 = d2.sum(axis=0), (d2 * d).sum(axis=0), (d2 * d2).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        g1 = np.sqrt(n) * m3 / m2**1.5
        skew = g1 * np.sqrt(n * (n - 1)) / (n - 2)
        r = n * m4 / m2**2
        kurt = ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))
    skew = np.where((n >= 3) & (m2 > 0), skew, np.nan)
    kurt = np.where((n >= 4) & (m2 > 0), kurt, np.nan)
    return skew, kurt


def failing(x: np.ndarray, skew: float = 2.0, kurtosis: float = 3.5) -> np.ndarray:
    """Columns that fail COINr's check: ``|skew| >= skew`` and ``kurtosis >= kurtosis``."""
    s, k = skew_kurtosis(x)
    return (np.abs(s) >= skew) & (k >= kurtosis)


def log_ct(x: np.ndarray) -> np.ndarray:
    """COINr's ``log_CT`` of each column: ``ln(x - min + 0.01 (max - min))``."""
    lo, hi = np.nanmin(x, axis=0), np.nanmax(x, axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log(x - lo + 0.01 * (hi - lo))


def winsorise(
    x: np.ndarray, columns: np.ndarray, *, winmax: int, skew: float, kurtosis: float
) -> tuple[np.ndarray, np.ndarray]:
    """Winsorise the selected columns as COINr's ``winsorise()``; returns the array and the number of
    points changed per column.

    Each round sets the value(s) at the extreme (the highest if the skew is >= 0, else the lowest;
    tied values together, and with them the points winsorised before, now tied at that level) to the
    next value. COINr counts the points so winsorised (``nwin``, the points at the extreme level(s)),
    not the rounds, and stops once ``winmax`` points are reached or the column passes.
    """
    out = x.copy()
    nwin = np.zeros(x.shape[1], dtype=int)
    last_hi = np.zeros(x.shape, dtype=bool)
    last_lo = np.zeros(x.shape, dtype=bool)
    active = columns & failing(out, skew, kurtosis)
    for _ in range(x.shape[0]):  # at most one round per point
        if not active.any():
            break
        s, _k = skew_kurtosis(out)
        high = active & (s >= 0)
        low = active & ~(s >= 0)
        col_max, col_min = np.nanmax(out, axis=0), np.nanmin(out, axis=0)
        hit_hi = high & (out == col_max)
        hit_lo = low & (out == col_min)
        next_hi = np.nanmax(np.where(hit_hi | np.isnan(out), -np.inf, out), axis=0)
        next_lo = np.nanmin(np.where(hit_lo | np.isnan(out), np.inf, out), axis=0)
        out = np.where(hit_hi, next_hi, np.where(hit_lo, next_lo, out))
        last_hi = np.where(high, hit_hi, last_hi)
        last_lo = np.where(low, hit_lo, last_lo)
        nwin = np.where(active, last_hi.sum(axis=0) + last_lo.sum(axis=0), nwin)
        active = active & (nwin < winmax) & failing(out, skew, kurtosis)
    changed = np.sum((out != x) & ~np.isnan(x), axis=0)
    return out, changed


def treat(x: np.ndarray, spec_treat: dict, ids: list[str]) -> tuple[np.ndarray, pd.DataFrame]:
    """Apply the treatment block of a spec; returns the treated array and a table of what was done."""
    method = spec_treat["method"]
    s, k = skew_kurtosis(x)
    if callable(method):
        out = custom.call("treat", method, x.copy(), shape=x.shape)
        s2, k2 = skew_kurtosis(out)
        return out, pd.DataFrame({"indicator": ids, "skew": s, "kurtosis": k, "action": function_name(method),
                                  "points_winsorised": 0, "skew_after": s2, "kurtosis_after": k2})
    fails = failing(x, spec_treat["skew"], spec_treat["kurtosis"]) if method != "none" else np.zeros(x.shape[1], bool)
    out, changed = x.copy(), np.zeros(x.shape[1], dtype=int)
    action = np.where(fails, method, "none").astype(object)
    if method == "winsorise" and fails.any():
        out, changed = winsorise(x, fails, winmax=int(spec_treat["winmax"]), skew=spec_treat["skew"],
                                 kurtosis=spec_treat["kurtosis"])
        still = fails & failing(out, spec_treat["skew"], spec_treat["kurtosis"])
        if spec_treat["fallback"] == "log" and still.any():
            out[:, still] = log_ct(x[:, still])
            changed[still] = 0
            action[still] = "log"
    elif method == "log" and fails.any():
        out[:, fails] = log_ct(x[:, fails])
    s2, k2 = skew_kurtosis(out) if fails.any() else (s, k)
    table = pd.DataFrame({
        "indicator": ids, "skew": s, "kurtosis": k, "action": action, "points_winsorised": changed,
        "skew_after": s2, "kurtosis_after": k2,
    })
    return out, table
