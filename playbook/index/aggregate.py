"""Aggregation of normalised indicators into dimension scores, and of dimensions into the index.

Weights are relative; for each unit they are renormalised over the values present (a missing
indicator drops out). With ``w`` the weights of the values ``x`` present:

- ``arithmetic``: ``sum(w x) / sum(w)``;
- ``geometric``: ``exp(sum(w ln x) / sum(w))`` — needs every value > 0;
- ``harmonic``: ``sum(w) / sum(w / x)`` — needs every value > 0;
- ``minimum`` (non-compensatory): the smallest value among those with ``w > 0``;
- ``copeland`` (non-compensatory, outranking): unit ``i`` beats ``j`` when the indicators on which
  ``i`` is higher carry more weight than those on which ``j`` is higher; the score is the number
  of wins minus the number of losses (between ``-(n - 1)`` and ``n - 1``). Quadratic in the number
  of units: limited to :data:`COPELAND_MAX_UNITS`;
- ``generalised`` (power mean, parameter ``p``): ``(sum(w x^p) / sum(w))^(1/p)``, and
  ``exp(sum(w ln x) / sum(w))`` at ``p = 0`` (its limit): ``p = 1`` arithmetic, ``p = 0``
  geometric, ``p = -1`` harmonic; needs every value > 0 when ``p <= 0`` and >= 0 otherwise. See
  :func:`generalised_mean`; nested power means with the same ``p`` are the arithmetic aggregation
  of ``x^p`` mapped back by ``^(1/p)`` (:func:`power`, :func:`power_inverse`).

A custom function ``f(values (N x J), weights (J,)) -> (N,)`` may be given as the method (see
:mod:`playbook.index.custom`).

Every function is vectorised over units *and* over draws (a leading ``B`` axis of weight vectors),
which is what the uncertainty analysis runs thousands of times. Indicators -> dimension uses one
matrix product per draw batch: ``(N x K) @ (K x B·P)``.
"""

from __future__ import annotations

import numpy as np

from playbook.errors import PlaybookError
from playbook.index.custom import call

COPELAND_MAX_UNITS = 20_000
_EPS = 1e-9
POSITIVE_RANGE = "a positive normalisation range, e.g. normalise: {method: minmax, range: [1, 100]}"


def check_positive(x: np.ndarray, names: list[str], method: str, level: str) -> None:
    """Geometric and harmonic means need values > 0: say which column and what to do."""
    bad = np.nanmin(np.where(np.isnan(x), np.inf, x), axis=0) <= 0
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        raise PlaybookError(
            f"{method} aggregation needs values > 0, but {level} '{names[k]}' has values <= 0",
            field="aggregate.method",
            expected=POSITIVE_RANGE,
        )


def flat_weights(weights: np.ndarray, membership: np.ndarray) -> np.ndarray:
    """(B, K) weights and (K, P) membership -> (K, B*P) so that X @ it gives (N, B*P)."""
    b, k = weights.shape
    w3 = weights[:, :, None] * membership[None, :, :]
    return w3.transpose(1, 0, 2).reshape(k, b * membership.shape[1])


def dimensions(
    x: np.ndarray, weights: np.ndarray, membership: np.ndarray, method: str, names: list[str] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Dimension scores and dimension coverage, both (N, B, P), for weight draws ``weights`` (B, K).

    ``x`` is (N, K) with NaN for missing values; coverage is the share of the dimension's weight
    present. A dimension with no value present is NaN.
    """
    n, k = x.shape
    b, p = weights.shape[0], membership.shape[1]
    present = ~np.isnan(x)
    if method in ("geometric", "harmonic"):
        check_positive(x, names or [str(i) for i in range(k)], method, "indicator")
    flat = flat_weights(weights, membership)
    den = (present.astype(float) @ flat).reshape(n, b, p)
    total = (weights @ membership)[None, :, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        coverage = den / np.where(total > 0, total, np.inf)
        # a dimension with no value present gives 0 / 0 = NaN
        if method == "arithmetic":
            out = (np.where(present, x, 0.0) @ flat).reshape(n, b, p)
            out /= den
        elif method == "geometric":
            out = (np.where(present, np.log(np.where(present, x, 1.0)), 0.0) @ flat).reshape(n, b, p)
            out /= den
            np.exp(out, out=out)
        elif method == "harmonic":
            out = den / (np.where(present, 1.0 / np.where(present, x, 1.0), 0.0) @ flat).reshape(n, b, p)
        else:
            out = np.empty((n, b, p))
            for j in range(p):
                cols = membership[:, j] > 0
                out[:, :, j] = combine(x[:, None, cols], weights[None, :, cols], method)
            out[den <= 0] = np.nan
    return out, coverage


def combine(values: np.ndarray, weights: np.ndarray, method: str) -> np.ndarray:
    """Aggregate the last axis of ``values`` (NaN = missing) with ``weights`` (broadcastable).

    Both are broadcast to (N, B, J); ``copeland`` needs that 3-D shape.
    """
    values, w = np.broadcast_arrays(values, weights)
    use = ~np.isnan(values) & (w > 0)
    wsum = np.sum(np.where(use, w, 0.0), axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "arithmetic":
            out = np.sum(np.where(use, w * values, 0.0), axis=-1) / wsum
        elif method == "geometric":
            out = np.exp(np.sum(np.where(use, w * np.log(np.where(use, values, 1.0)), 0.0), axis=-1) / wsum)
        elif method == "harmonic":
            out = wsum / np.sum(np.where(use, w / np.where(use, values, 1.0), 0.0), axis=-1)
        elif method == "minimum":
            out = np.min(np.where(use, values, np.inf), axis=-1)
        elif method == "copeland":
            out = np.stack([copeland(values[:, j, :], w[0, j, :]) for j in range(values.shape[1])], axis=1)
        elif callable(method):
            out = custom_combine(method, values, w)
        else:
            raise PlaybookError(f"unknown method '{method}'", field="aggregate.method")
    return np.where(wsum > 0, out, np.nan)


def copeland(values: np.ndarray, weights: np.ndarray, block: int = 512) -> np.ndarray:
    """Copeland scores of the rows of ``values`` (N x J) with criterion ``weights`` (J,)."""
    n = values.shape[0]
    if n > COPELAND_MAX_UNITS:
        raise PlaybookError(f"copeland aggregation compares every pair of units; {n} units is too many",
                            field="aggregate.method", expected=f"at most {COPELAND_MAX_UNITS} units, or another method")
    scores = np.zeros(n)
    for start in range(0, n, block):
        part = values[start:start + block]
        diff = np.sign(part[:, None, :] - values[None, :, :])
        margin = np.nan_to_num(diff, nan=0.0) @ weights
        scores[start:start + block] = np.sign(margin).sum(axis=1)
    return np.where(np.isnan(values).all(axis=1), np.nan, scores)


def index(
    dims: np.ndarray, coverage: np.ndarray, dim_weights: np.ndarray, method: str
) -> tuple[np.ndarray, np.ndarray]:
    """Index (N, B) from dimension scores (N, B, P) with dimension weights (B, P); and its coverage.

    Overall coverage = sum over dimensions of (dimension coverage x dimension weight share).
    """
    v = dim_weights / dim_weights.sum(axis=-1, keepdims=True)
    total_cov = np.einsum("nbp,bp->nb", coverage, v)
    if method in ("geometric", "harmonic") and np.nanmin(np.where(np.isnan(dims), np.inf, dims)) <= 0:
        raise PlaybookError(f"{method} aggregation needs dimension scores > 0", field="aggregate.method",
                            expected=POSITIVE_RANGE)
    if method == "copeland":
        score = np.stack([copeland(dims[:, j, :], v[j]) for j in range(dims.shape[1])], axis=1)
    else:
        score = combine(dims, v[None, :, :], method)
    return score, total_cov


def apply_min_coverage(values: np.ndarray, coverage: np.ndarray, min_coverage: float) -> np.ndarray:
    """Set ``values`` to NaN, in place, where the coverage is below ``min_coverage`` (rounding tolerated)."""
    if min_coverage > 0:
        values[coverage < min_coverage - _EPS] = np.nan
    return values


def ranks(score: np.ndarray) -> np.ndarray:
    """Ranks along axis 0: 1 = highest score (most vulnerable), ties share the lowest rank, NaN kept.

    Vectorised over the columns (runs): one sort per column; ties, rare, are found in sorted order.
    """
    flat = score.ndim == 1
    s = np.atleast_2d(score if flat else score.T)  # (runs, units)
    b, n = s.shape
    neg = np.where(np.isnan(s), np.inf, -s)
    order = np.argsort(neg, axis=1)
    where = order + (np.arange(b) * n)[:, None]  # flat positions, sorted order
    ordered = neg.ravel()[where]
    tie = ordered[:, 1:] == ordered[:, :-1]
    if tie.any():  # a tied value takes the position of the first of its run
        first = np.zeros((b, n), dtype=np.int64)
        first[:, 1:] = np.where(tie, 0, np.arange(1, n))
        np.maximum.accumulate(first, axis=1, out=first)
        position = first.astype(np.float64)
    else:
        position = np.broadcast_to(np.arange(n, dtype=np.float64), (b, n))
    out = np.empty(b * n)
    out[where.ravel()] = position.ravel() + 1.0
    out = out.reshape(b, n)
    out[np.isnan(s)] = np.nan
    return out[0] if flat else out.T


def quintiles(rank: np.ndarray) -> np.ndarray:
    """Quintiles from ranks: 5 = the most vulnerable fifth, 1 = the least; NaN kept."""
    n = np.sum(~np.isnan(rank), axis=0)
    with np.errstate(invalid="ignore"):
        return 5.0 - np.floor(5.0 * (rank - 1.0) / np.maximum(n, 1))


def power(x: np.ndarray, p: float) -> np.ndarray:
    """The generator of the power mean: ``x^p`` (``ln x`` at ``p = 0``); NaN kept."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log(x) if p == 0 else np.power(x, p)


def power_inverse(y: np.ndarray, p: float) -> np.ndarray:
    """The inverse of :func:`power`: ``y^(1/p)`` (``exp y`` at ``p = 0``)."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return np.exp(y) if p == 0 else np.power(y, 1.0 / p)


def check_power(x: np.ndarray, p: float, names: list[str], level: str = "indicator") -> None:
    """The power mean of order ``p`` needs values > 0 (``p <= 0``) or >= 0 (``p > 0``)."""
    low = np.nanmin(np.where(np.isnan(x), np.inf, x), axis=0)
    bad = low <= 0 if p <= 0 else low < 0
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        sign = "> 0" if p <= 0 else ">= 0"
        raise PlaybookError(f"generalised mean with p = {p} needs values {sign}, but {level} '{names[k]}' has not",
                            field="aggregate.p", expected=POSITIVE_RANGE)


def generalised_mean(values: np.ndarray, weights: np.ndarray, p: float) -> np.ndarray:
    """Weighted power mean of the last axis of ``values`` (NaN = missing, weights renormalised).

    ``(sum(w x^p) / sum(w))^(1/p)``; ``p = 0`` gives the geometric mean (the limit), ``p = 1`` the
    arithmetic, ``p = -1`` the harmonic. Vectorised: ``values`` and ``weights`` broadcast together.
    """
    values, w = np.broadcast_arrays(np.asarray(values, dtype=float), np.asarray(weights, dtype=float))
    use = ~np.isnan(values) & (w > 0)
    wsum = np.sum(np.where(use, w, 0.0), axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.sum(np.where(use, w * power(np.where(use, values, 1.0), p), 0.0), axis=-1) / wsum
    return np.where(wsum > 0, power_inverse(mean, p), np.nan)


def custom_combine(function, values: np.ndarray, w: np.ndarray) -> np.ndarray:
    """A custom aggregation ``f(values (N x J), weights (J,)) -> (N,)``, run for each weight draw."""
    n, b, _j = values.shape
    return np.stack([call("aggregate", function, values[:, r, :], w[0, r, :], shape=(n,)) for r in range(b)], axis=1)
