"""Imputation of missing indicator values (units x indicators arrays, NaN = missing).

``none`` leaves gaps (the aggregation then renormalises the weights of the indicators present);
``mean`` / ``median`` fill each indicator with its mean / median over all units; ``group_mean`` /
``group_median`` fill with the mean / median of the unit's group (the ``by`` column), falling back
to the overall value when the whole group is missing. A custom function ``f(raw) -> (N x K)`` may
be given as the method (see :mod:`playbook.index.custom`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from playbook.index import custom


def impute(raw: np.ndarray, method: str, groups: np.ndarray | None = None) -> np.ndarray:
    """Fill the NaNs of ``raw`` (N x K) by ``method``; returns a new array."""
    if callable(method):
        return custom.call("impute", method, raw.copy(), shape=raw.shape)
    if method == "none" or not np.isnan(raw).any():
        return raw.copy()
    stat = "mean" if method.endswith("mean") else "median"
    overall = getattr(np, f"nan{stat}")(raw, axis=0) if np.isfinite(raw).any() else np.full(raw.shape[1], np.nan)
    fill = np.broadcast_to(overall, raw.shape)
    if method.startswith("group_"):
        frame = pd.DataFrame(raw)
        by_group = frame.groupby(pd.Series(groups, name="_group"), dropna=False).transform(stat).to_numpy()
        fill = np.where(np.isnan(by_group), fill, by_group)
    return np.where(np.isnan(raw), fill, raw)
