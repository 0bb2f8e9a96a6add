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
    x: np.ndarray, weights: np.ndarray, membership: np.ndarray, method: str, names: list[str] | None = None, *,
    coverage: bool = True, cache: dict | None = None,
) -> tuple[np.ndarray, np.ndarray | None]:
    """Dimension scores and dimension coverage, both (N, B, P), for weight draws ``weights`` (B, K).

    ``x`` is (N, K) with NaN for missing values; coverage is the share of the dimension's weight
    present (``None`` if not ``coverage``). A dimension with no value present is NaN. ``cache`` (a
    dict reused across calls with the same ``x``) keeps what depends on ``x`` only.
    """
    n, k = x.shape
    b, p = weights.shape[0], membership.shape[1]
    cache = {} if cache is None else cache
    if "present" not in cache:
        cache["present"] = ~np.isnan(x)
        cache["present_float"] = cache["present"].astype(float)
    present = cache["present"]
    if method in ("geometric", "harmonic") and ("checked", method) not in cache:
        check_positive(x, names or [str(i) for i in range(k)], method, "indicator")
        cache["checked", method] = True
    flat = flat_weights(weights, membership)
    den = (cache["present_float"] @ flat).reshape(n, b, p)
    total = (weights @ membership)[None, :, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        # a dimension with no value present gives 0 / 0 = NaN
        shares = den / np.where(total > 0, total, np.inf) if coverage else None
        if method in ("arithmetic", "geometric", "harmonic") and ("filled", method) not in cache:
            if method == "arithmetic":
                cache["filled", method] = np.where(present, x, 0.0)
            elif method == "geometric":
                cache["filled", method] = np.where(present, np.log(np.where(present, x, 1.0)), 0.0)
            else:
                cache["filled", method] = np.where(present, 1.0 / np.where(present, x, 1.0), 0.0)
        if method == "arithmetic":
            out = (cache["filled", method] @ flat).reshape(n, b, p)
            out /= den
        elif method == "geometric":
            out = (cache["filled", method] @ flat).reshape(n, b, p)
            out /= den
            np.exp(out, out=out)
        elif method == "harmonic":
            out = den / (cache["filled", method] @ flat).reshape(n, b, p)
        else:
            out = np.empty((n, b, p))
            for j in range(p):
                cols = membership[:, j] > 0
                out[:, :, j] = combine(x[:, None, cols], weights[None, :, cols], method)
            out[den <= 0] = np.nan
    return out, shares


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

    Vectorised over the columns (runs): :func:`min_ranks` of ``-score``.
    """
    flat = score.ndim == 1
    s = np.atleast_2d(score if flat else score.T)  # (runs, units)
    keys = np.empty(s.shape)
    np.negative(s, out=keys)
    out = _min_ranks(keys)
    return out[0] if flat else out.T


#: Sign bit of a float64 / uint64.
_SIGN = np.uint64(1 << 63)


def min_ranks(values: np.ndarray) -> np.ndarray:
    """Ranks of each row of ``values`` (B, N) in increasing order: 1 = smallest, ties share the lowest
    rank, NaN kept (a NaN counts as larger than every value).

    A rank depends on the values only (1 + the number of smaller values), whatever the sort. The
    fast path sorts one 64-bit integer per value with NumPy's SIMD sort, not an argsort: the value's
    bits, made to order as the floats do, with their lowest bits replaced by the unit's index. Values
    that agree on the bits kept are then in index order: when they are all equal that is a tie,
    otherwise (values a few ulps apart) the row is ranked again by an argsort. One row at a time:
    a row's arrays stay in the CPU cache.
    """
    keys = np.empty(np.shape(values))
    keys[...] = values
    return _min_ranks(keys)


def _min_ranks(keys: np.ndarray, ids: np.ndarray | None = None, out: np.ndarray | None = None) -> np.ndarray:
    """:func:`min_ranks` of ``keys`` (B, N), a C-contiguous float64 array of the caller's: overwritten.

    ``ids`` (N,), a permutation: column ``i`` of ``keys`` is unit ``ids[i]`` of the output (default:
    the identity). ``out``: an array (B, N) to write the ranks to (float64 or float32: exact below
    2**24 units).
    """
    b, n = keys.shape
    out = np.empty((b, n)) if out is None else out
    bits = max(1, (n - 1).bit_length())
    if bits > 24:  # too few value bits left: the argsort
        ranked = _argsort_min_ranks(keys)
        if ids is None:
            out[...] = ranked
        else:
            out[:, ids] = ranked
        return out
    low, shift = np.uint64((1 << bits) - 1), np.uint64(bits)
    ids = np.arange(n) if ids is None else np.asarray(ids, dtype=np.intp)
    index = ids.astype(np.uint64)
    position = np.arange(1.0, n + 1.0)
    for r in range(b):
        row, ranked = keys[r], out[r]
        row += 0.0  # -0.0 -> +0.0: equal values, one key
        missing = np.isnan(row)
        valid = n - int(np.count_nonzero(missing))
        if valid < n:
            row[missing] = np.nan  # one NaN, positive: its key sorts after +inf
        raw = row.view(np.uint64)
        packed = (raw.view(np.int64) >> 63).view(np.uint64)  # all ones for a negative value, else 0
        packed |= _SIGN
        packed ^= raw  # unsigned order = float order
        packed &= ~low
        packed |= index
        packed.sort()
        order = (packed & low).astype(np.intp)  # unit ids, in sorted order
        packed >>= shift
        tie = packed[1:valid] == packed[:valid - 1]  # the NaNs, sorted last, left out
        if not tie.any():
            ranked[order] = position
        else:
            at = np.flatnonzero(tie)
            values = np.empty(n)
            values[ids] = row  # by unit id
            if np.any(values[order[at]] != values[order[at + 1]]):  # equal bits kept, unequal values
                ranked[ids] = _argsort_min_ranks(keys[r:r + 1])[0]
                continue
            ranked[order[:valid]] = _positions(tie[None, :], 1, valid)[0] + 1.0
        ranked[order[valid:]] = np.nan
    return out


def _positions(tie: np.ndarray, b: int, n: int) -> np.ndarray:
    """Positions in sorted order, a tied value taking the position of the first of its run: (B, N)."""
    if not tie.any():
        return np.broadcast_to(np.arange(n, dtype=np.float64), (b, n))
    first = np.zeros((b, n), dtype=np.int64)
    first[:, 1:] = np.where(tie, 0, np.arange(1, n))
    np.maximum.accumulate(first, axis=1, out=first)
    return first.astype(np.float64)


def _argsort_min_ranks(keys: np.ndarray) -> np.ndarray:
    """:func:`min_ranks` by an argsort of the floats (NaN sorted last): the reference, and the fallback."""
    b, n = keys.shape
    keys = keys + 0.0
    order = np.argsort(keys, axis=1)
    ordered = np.take_along_axis(keys, order, axis=1)
    out = np.empty((b, n))
    np.put_along_axis(out, order, _positions(ordered[:, 1:] == ordered[:, :-1], b, n) + 1.0, axis=1)
    out[np.isnan(keys)] = np.nan
    return out


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
