"""Weights: relative importance of indicators (within their dimension) and of dimensions.

All weights are relative and normalised to sum to 1 among the indicators of a dimension and among
the dimensions. Methods (the spec's ``weights: {method: ...}``):

- ``expert``: the weights written in the spec (default);
- ``equal``: every indicator and every dimension weighs the same;
- ``pca``: within each dimension, weights proportional to the squared loadings of the first
  principal component of the indicators' correlation matrix (complete units only; the OECD/JRC
  handbook's factor-analysis weights with one factor); dimension weights from the spec;
- ``optimised``: as COINr's ``get_opt_weights``: weights chosen so that each indicator's
  correlation with its dimension score, as a share of the dimension's total, matches its intended
  importance (the spec weights), then the same for the dimensions against the index. Minimises
  ``sum_k (r_k / sum r - t_k)^2`` with Nelder-Mead from the spec weights;
- a custom function ``f(normalised) -> (K,)`` (see :mod:`playbook.index.custom`): indicator
  weights, renormalised within each dimension; dimension weights from the spec.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize

from playbook.errors import PlaybookError
from playbook.index import aggregate, custom
from playbook.index.spec import Spec, normalise_within_parents


def _complete(x: np.ndarray) -> np.ndarray:
    return x[~np.isnan(x).any(axis=1)]


def pca_weights(x: np.ndarray) -> np.ndarray:
    """Squared first-component loadings of the correlation matrix of ``x``'s columns, summing to 1."""
    x = _complete(x)
    if x.shape[1] == 1:
        return np.ones(1)
    sd = x.std(axis=0)
    corr = np.corrcoef(x[:, sd > 0], rowvar=False) if (sd > 0).sum() > 1 else np.ones((1, 1))
    values, vectors = np.linalg.eigh(np.atleast_2d(corr))
    loadings = np.zeros(x.shape[1])
    loadings[sd > 0] = vectors[:, -1] ** 2 * values[-1]
    return loadings / loadings.sum()


def _correlations(x: np.ndarray, w: np.ndarray, method: str) -> np.ndarray:
    agg = aggregate.combine(x, w[None, :], method)
    xc, ac = x - x.mean(axis=0), agg - agg.mean()
    with np.errstate(divide="ignore", invalid="ignore"):
        r = (xc * ac[:, None]).sum(axis=0) / np.sqrt((xc**2).sum(axis=0) * (ac**2).sum())
    return np.nan_to_num(r)


def optimised_weights(x: np.ndarray, target: np.ndarray, method: str = "arithmetic") -> np.ndarray:
    """Weights (summing to 1) whose correlation shares with the aggregate match ``target``."""
    x = _complete(x)
    if x.shape[1] == 1 or len(x) < 3:
        return target / target.sum()
    t = target / target.sum()

    def objective(p: np.ndarray) -> float:
        w = np.abs(p) + 1e-12
        r = _correlations(x, w / w.sum(), method)
        share = r / r.sum() if r.sum() != 0 else r
        return float(np.sum((share - t) ** 2))

    res = minimize(objective, t, method="Nelder-Mead", options={"xatol": 1e-6, "fatol": 1e-10, "maxiter": 2000})
    w = np.abs(res.x)
    return w / w.sum()


def resolve(spec: Spec, normalised: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Indicator weights (K,) normalised within dimensions and dimension weights (P,) summing to 1."""
    method = spec.weights["method"]
    membership = spec.membership
    w, v = spec.indicator_weights(), spec.dimension_weights()
    if callable(method):
        raw = custom.call("weights", method, normalised, shape=w.shape)
        totals = membership @ (raw @ membership)
        if (raw < 0).any() or (totals <= 0).any():
            raise PlaybookError(f"custom weights {raw.tolist()} are negative or all zero in a dimension",
                                field="weights.method", expected="weights >= 0, at least one > 0 per dimension")
        w = raw / totals
    elif method == "equal":
        w = np.ones(len(w)) / (membership @ membership.sum(axis=0))
        v = normalise_within_parents(spec, np.ones(len(v)))  # each aggregate equal among its siblings
    elif method in ("pca", "optimised"):
        agg = spec.aggregate["method"]
        agg = agg if agg in ("arithmetic", "geometric", "harmonic") else "arithmetic"
        for p in range(membership.shape[1]):
            cols = membership[:, p] > 0
            if method == "pca":
                w[cols] = pca_weights(normalised[:, cols])
            else:
                w[cols] = optimised_weights(normalised[:, cols], w[cols], agg)
        if method == "optimised" and spec.depth == 3:  # deeper: the aggregates keep the spec weights
            dims, _cov = aggregate.dimensions(normalised, w[None, :], membership, agg)
            v = optimised_weights(dims[:, 0, :], v, agg)
    return w, v
