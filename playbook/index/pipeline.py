"""The index pipeline: screen -> impute -> treat -> normalise -> weight -> aggregate.

:func:`build` runs every step on a data table and returns a :class:`Result` that keeps each
intermediate data set by name (``raw``, ``imputed``, ``treated``, ``normalised``, ``dimensions``),
the weights used and every choice made, so the same index with one choice changed is one call:
``result.regenerate(aggregate="geometric")`` (COINr's "regenerate").
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from os import PathLike
from typing import Any

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from playbook.errors import PlaybookError
from playbook.index import aggregate, denominate, screen, weights
from playbook.index.impute import impute
from playbook.index.normalise import normalise
from playbook.index.spec import Spec, check_data, load_spec, read_data
from playbook.index.treat import treat

SCORE_COLUMNS = ("score", "rank", "quintile", "coverage")


@dataclass
class Prepared:
    """The data of a spec after screening, imputation, treatment and normalisation (NumPy arrays)."""

    ids: pd.Series
    raw: np.ndarray
    imputed: np.ndarray
    treated: np.ndarray
    normalised: np.ndarray
    treatment: pd.DataFrame
    population: np.ndarray | None = None
    groups: np.ndarray | None = None
    denominated: np.ndarray | None = None


class Datasets(dict):
    """The named intermediate data sets of a build, made into DataFrames when first looked up."""

    def __init__(self, name: str, ids: pd.Series, columns: list[str], arrays: dict[str, np.ndarray]) -> None:
        super().__init__()
        self._make = (name, ids, columns)
        self._arrays = arrays

    def array(self, key: str) -> np.ndarray:
        """The data set ``key`` as the NumPy array it was computed as (units x indicators)."""
        return self._arrays[key]

    def __missing__(self, key: str) -> pd.DataFrame:
        if key not in self._arrays:
            raise KeyError(key)
        frame = _frame(self._make[1], self._make[0], self._arrays[key], self._make[2])
        self[key] = frame
        return frame

    def keys(self):  # noqa: D102 - every data set, made or not yet
        return list(dict.fromkeys([*self._arrays, *super().keys()]))

    def __iter__(self):
        return iter(self.keys())

    def items(self):  # noqa: D102
        return [(key, self[key]) for key in self.keys()]

    def values(self):  # noqa: D102
        return [self[key] for key in self.keys()]

    def __len__(self) -> int:
        return len(self.keys())

    def __contains__(self, key: object) -> bool:
        return key in self._arrays or super().__contains__(key)


@dataclass
class Result:
    """An index built from a spec and data: scores, every intermediate data set and every choice."""

    spec: Spec
    scores: pd.DataFrame
    datasets: Datasets
    weights: pd.DataFrame
    treatment: pd.DataFrame
    choices: dict[str, Any]
    data: pd.DataFrame = field(repr=False)
    #: The units left out by the spec's ``screen`` block, with the reason (empty without screening).
    screened: pd.DataFrame | None = None

    @property
    def normalised(self) -> pd.DataFrame:
        """Unit id and one column per indicator, normalised (higher = more vulnerable)."""
        return self.datasets["normalised"]

    def regenerate(self, **changes: Any) -> Result:
        """The same index on the same data with some choices changed, e.g. ``aggregate="geometric"``."""
        return build(self.spec.with_changes(**changes), self.data)


def prepare(spec: Spec, data: pd.DataFrame, label: str = "<data>", *, impute_method: str | None = None,
            normalise_block: dict | None = None, raw: np.ndarray | None = None) -> Prepared:
    """Screen, impute, treat and normalise (the steps before weighting); ``raw`` skips the screening
    when the data were already checked."""
    raw = check_data(spec, data, label) if raw is None else raw
    denominated = denominate.apply(spec, data, raw, label)
    groups = data[spec.impute["by"]].to_numpy() if str(spec.impute["method"]).startswith("group_") else None
    method = impute_method or spec.impute["method"]
    if str(method).startswith("group_") and groups is None:
        raise PlaybookError("group imputation needs 'by' in the spec's impute block", path=spec.path, field="impute.by")
    imputed = impute(raw if denominated is None else denominated, method, groups)
    treated, treatment = treat(imputed, spec.treat, spec.indicator_ids)
    block = normalise_block or spec.normalise
    reference_row = None
    if block["method"] == "distance_to_reference":
        hits = np.flatnonzero(data[spec.unit_id].astype(str).to_numpy() == str(block["reference"]))
        if not len(hits):
            raise PlaybookError(f"reference unit '{block['reference']}' is not in the data", path=label,
                                field=spec.unit_id, expected="the id of one unit")
        reference_row = int(hits[0])
        if np.isnan(treated[reference_row]).any():
            raise PlaybookError(f"reference unit '{block['reference']}' has missing values", path=label,
                                field=spec.unit_id, expected="a reference unit with every indicator")
    goalposts = None
    if block["method"] == "goalposts":
        shared = block.get("goalposts")
        goalposts = np.array([i.goalposts or shared for i in spec.indicators], dtype=float)
    directions = np.array([i.direction for i in spec.indicators], dtype=float)
    targets = np.array([np.nan if i.target is None else i.target for i in spec.indicators], dtype=float)
    normalised = normalise(treated, directions, block, goalposts=goalposts, reference_row=reference_row,
                           targets=targets)
    normalised = drop_constant(normalised, treated, block["method"], spec.indicator_ids)
    population = None
    if spec.population:
        population = pd.to_numeric(data[spec.population], errors="coerce").to_numpy(dtype=float)
    return Prepared(data[spec.unit_id].reset_index(drop=True), raw, imputed, treated, normalised, treatment,
                    population, groups, denominated)


#: Normalisations that divide by the spread of the data: a constant indicator has none (0/0).
SPREAD_METHODS = ("minmax", "zscore", "dist2max")


def drop_constant(normalised: np.ndarray, treated: np.ndarray, method: str, ids: list[str]) -> np.ndarray:
    """As COINr does, an indicator with one value for every unit (no spread) is dropped: NaN, with a
    warning naming it, so it takes no part in the aggregation (its weight goes to its siblings).
    Only for normalisations that divide by the spread; ranks and goalposts stay defined."""
    if method not in SPREAD_METHODS:
        return normalised
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns
        spread = np.nanmax(treated, axis=0) - np.nanmin(treated, axis=0)
    constant = np.flatnonzero(spread == 0)
    if not len(constant):
        return normalised
    warnings.warn(f"constant indicator(s) {', '.join(ids[k] for k in constant)} dropped: one value for every unit, "
                  f"nothing to normalise with '{method}'", UserWarning, stacklevel=3)
    out = normalised.copy()
    out[:, constant] = np.nan
    return out


#: Quasi-arithmetic means: generator and its inverse. Nested means with the same generator collapse
#: (for a unit with every indicator present): f(index) = sum_k e_k f(x_k), e_k = v_p w_k / W_p.
QUASI = {
    "arithmetic": (lambda a: a, lambda a: a),
    "geometric": (np.log, np.exp),
    "harmonic": (np.reciprocal, np.reciprocal),
}


def effective_weights(w: np.ndarray, v: np.ndarray, membership: np.ndarray) -> np.ndarray:
    """Weight of each indicator in the index (B, K): dimension share x share within the dimension."""
    totals = w @ membership  # (B, P)
    vmask = np.where(totals > 0, v, 0.0)
    vshare = vmask / vmask.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        per_dim = np.where(totals > 0, vshare / totals, 0.0)  # (B, P)
    return w * (per_dim @ membership.T)


def level_shares(spec: Spec, w: np.ndarray, v: np.ndarray) -> list[np.ndarray]:
    """Weight shares within each parent, level by level: (B, K, P1) indicators in their dimension,
    (B, P1, P2) dimensions in their parent, ..., and last (B, P_top, 1) the top level in the index.
    A child whose weight is 0 (or with nothing of weight > 0 beneath) has share 0."""
    ms = spec.level_membership()
    alive = spec.alive(w)
    out, start = [], 0
    child_w = w
    for level, m in enumerate([*ms, None]):
        if m is None:
            m = np.ones((child_w.shape[1], 1))
        totals = child_w @ m  # (B, P)
        with np.errstate(invalid="ignore", divide="ignore"):
            out.append(np.where(totals[:, None, :] > 0, child_w[:, :, None] * m[None] / totals[:, None, :], 0.0))
        if level < len(ms):
            size = len(spec.levels[level])
            child_w = np.where(alive[:, start:start + size], v[:, start:start + size], 0.0)
            start += size
    return out


def _unavailable(cache: dict, shares: np.ndarray, threshold: float) -> np.ndarray:
    """``availability(cache["present"], shares) < threshold`` (N, B, P), from one mask per pattern of the
    indicators of weight > 0 (a removed indicator gives another pattern), kept in ``cache``."""
    masks = cache.setdefault(("unavailable", threshold), {})
    counted = shares > 0  # (B, K, P)
    keys = [counted[r].tobytes() for r in range(len(counted))]
    for r, key in enumerate(keys):
        if key not in masks:
            masks[key] = (availability(cache["present"], shares[r:r + 1]) < threshold)[:, 0, :]
    return np.stack([masks[key] for key in keys], axis=1)


def availability(present: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """Share of each parent's children (of weight > 0) that are present: (N, B, C) x (B, C, P) -> (N, B, P)."""
    counted = (shares > 0).astype(float)
    n_children = counted.sum(axis=1)  # (B, P)
    b, c, p = counted.shape
    if present.ndim == 2:  # (N, C): the same for every draw; one matrix product (counts of 0/1: exact)
        hits = (present.astype(float) @ counted.transpose(1, 0, 2).reshape(c, b * p)).reshape(len(present), b, p)
    else:
        hits = np.matmul(present.astype(float).transpose(1, 0, 2), counted).transpose(1, 0, 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        return hits / n_children[None]


def score(spec: Spec, x: np.ndarray, w: np.ndarray, v: np.ndarray, method: str | None = None, *,
          dims: bool = True, cache: dict | None = None) -> dict[str, np.ndarray]:
    """Aggregate normalised values ``x`` (N, K) with weight draws ``w`` (B, K), ``v`` (B, nodes).

    ``v`` holds the weights of every aggregate of :attr:`Spec.node_ids` (for three levels, the
    dimension weights). Aggregates level by level, each level's weights renormalised within its
    parent over the children present. Returns ``score``, ``coverage`` (the weighted share of the
    indicators present), ``rank`` (N, B) and, if ``dims``, the scores of every aggregate (N, B,
    nodes). At every level an aggregate is NaN when fewer than ``min_coverage`` of its children
    (of weight > 0) are available (COINr's ``dat_thresh``), and so is the rank. Units with every
    indicator present take a shortcut for arithmetic, geometric and harmonic means (one matrix
    product, see :data:`QUASI`); the others go level by level. ``cache`` (a dict reused across
    calls with the same ``x``) keeps the transformed values.
    """
    method = method or spec.aggregate["method"]
    if method == "generalised":
        return _generalised(spec, x, w, v, dims=dims, cache=cache)
    cache = {} if cache is None else cache
    values, units, out_dims, coverage = _aggregate(spec, x, w, v, method, cache, dims=dims, coverage=True)
    index = values
    if units is not None:  # back to the order of the units
        index = np.empty_like(values)
        index[units] = values
    return {"dims": out_dims, "score": index, "coverage": coverage, "rank": aggregate.ranks(index)}


def score_ranks(spec: Spec, x: np.ndarray, w: np.ndarray, v: np.ndarray, method: str | None = None, *,
                cache: dict, work: dict) -> np.ndarray:
    """The ranks of :func:`score`, transposed: (B, N) float32, identical values, for the uncertainty
    analysis. Neither the coverage nor the aggregates are computed, the units are not put back in
    order before ranking, and the arrays of a batch are the buffers of ``work`` (a dict reused
    across calls): overwritten by the next call."""
    method = method or spec.aggregate["method"]
    n, b = len(x), len(w)
    values = _buffer(work, "score", (n, b), np.float64)
    if method == "generalised":
        p = float(spec.aggregate.get("p", 1.0))
        xp, inner = _power_cache(spec, x, p, cache)
        values, units, _, _ = _aggregate(spec, xp, w, v, "arithmetic", inner, dims=False, coverage=False, out=values)
        values[...] = aggregate.power_inverse(values, p)
    else:
        values, units, _, _ = _aggregate(spec, x, w, v, method, cache, dims=False, coverage=False, out=values)
    keys = _buffer(work, "keys", (b, n), np.float64)
    np.negative(values.T, out=keys)
    return aggregate._min_ranks(keys, units, out=_buffer(work, "ranks", (b, n), np.float32))


def _buffer(work: dict, name: str, shape: tuple[int, ...], dtype) -> np.ndarray:
    """An array of ``shape`` from the reusable buffer ``work[name]`` (made larger when needed)."""
    size = int(np.prod(shape))
    flat = work.get(name)
    if flat is None or flat.size < size or flat.dtype != dtype:
        flat = work[name] = np.empty(size, dtype=dtype)
    return flat[:size].reshape(shape)


def _aggregate(spec: Spec, x: np.ndarray, w: np.ndarray, v: np.ndarray, method, cache: dict, *, dims: bool,
               coverage: bool, out: np.ndarray | None = None):
    """The index (N, B) of :func:`score` in the order ``units`` (``None``: the units' order), written
    to ``out`` if given; the aggregates (``dims``, in the units' order) and the coverage, or ``None``."""
    n, b, nodes = len(x), len(w), len(spec.node_ids)
    shares = level_shares(spec, w, v)
    effective = [shares[0]]
    for s in shares[1:]:
        effective.append(effective[-1] @ s)  # (B, K, P_level): indicator weights in each aggregate
    alive = spec.alive(w)
    if "complete" not in cache:
        cache["complete"] = np.flatnonzero(~np.isnan(x).any(axis=1))
        cache["partial"] = np.flatnonzero(np.isnan(x).any(axis=1))
        cache["present"] = (~np.isnan(x)).astype(float)
    full, part = cache["complete"], cache["partial"]
    top = effective[-1][:, :, 0]
    cover = cache["present"] @ top.T if coverage else None  # (N, B)
    values = np.empty((n, b)) if out is None else out
    out_dims = np.full((n, b, nodes), np.nan) if dims else None
    quasi = method in QUASI and len(full) and len(part) < n
    if quasi:  # the complete units first, then the others
        if method not in cache:
            if method != "arithmetic":
                aggregate.check_positive(x, spec.indicator_ids, method, "indicator")
            with np.errstate(divide="ignore"):
                cache[method] = QUASI[method][0](x[full])
        inv = QUASI[method][1]
        head = values[:len(full)]
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            np.matmul(cache[method], top.T, out=head)
            if method != "arithmetic":
                inv(head, out=head)
            if dims:
                found = np.concatenate([np.einsum("nk,bkp->nbp", cache[method], e) for e in effective[:-1]], axis=2)
                out_dims[full] = inv(found)
        if dims:
            out_dims[:, ~alive] = np.nan  # an aggregate whose indicators were all removed
        rows, units, start = part, np.concatenate([full, part]), len(full)
    else:
        rows, units, start = np.arange(n), None, 0
    if len(rows):
        sub = cache.setdefault(("rows", bool(quasi)), {})  # what depends on these rows of x only
        if "x" not in sub:
            sub["x"] = x[rows]
        xr = sub["x"]
        d, _cov = aggregate.dimensions(xr, w, spec.membership, method, spec.indicator_ids, coverage=False, cache=sub)
        threshold = spec.min_coverage - aggregate._EPS
        if threshold > 0:  # (an availability is >= 0, or NaN)
            np.copyto(d, np.nan, where=_unavailable(sub, shares[0], threshold))
        found = [d]
        for s in shares[1:]:
            if method in ("geometric", "harmonic") and np.nanmin(np.where(np.isnan(d), np.inf, d)) <= 0:
                raise PlaybookError(f"{method} aggregation needs dimension scores > 0", field="aggregate.method",
                                    expected=aggregate.POSITIVE_RANGE)
            d = _level(d, s, method, threshold)
            if dims:
                found.append(d)
        values[start:] = d[:, :, 0]
        if dims:
            out_dims[rows] = np.concatenate(found[:-1], axis=2)
    return values, units, out_dims, cover


#: Methods whose parent scores :func:`_level_by_members` computes from the members only.
MEMBER_METHODS = ("arithmetic", "geometric", "harmonic")
#: NumPy sums fewer than 8 values in order (its pairwise summation starts at 8): below that, a sum
#: over the members only, in order, is the same number as the sum over every child with zeros.
MEMBER_MAX_CHILDREN = 7


def _level(d: np.ndarray, s: np.ndarray, method, threshold: float) -> np.ndarray:
    """The scores (N, B, P) of the parents from their children's ``d`` (N, B, C) with the shares ``s``
    (B, C, P); NaN where fewer than the threshold of the children (of share > 0) are available."""
    if method in MEMBER_METHODS and d.shape[2] <= MEMBER_MAX_CHILDREN:
        return np.moveaxis(_level_by_members(np.ascontiguousarray(np.moveaxis(d, 2, 0)), s, method, threshold), 0, 2)
    d = np.ascontiguousarray(d)  # the sums run over the last axis, as in the units' order
    up = np.stack([aggregate.combine(d, s[None, :, :, j], method) if method != "copeland"
                   else _copeland_level(d, s[:, :, j]) for j in range(s.shape[2])], axis=2)
    up[availability(~np.isnan(d), s) < threshold] = np.nan
    return up


def _level_by_members(d: np.ndarray, s: np.ndarray, method: str, threshold: float) -> np.ndarray:
    """:func:`_level` on ``d`` (C, N, B), giving (P, N, B), parent by parent over its members only,
    term by term as :func:`aggregate.combine` does: the same products, summed in the same order,
    leaving out the zeros of the other children and of the children missing or of weight 0 (see
    :data:`MEMBER_MAX_CHILDREN`); and the same availability."""
    _c, n, b = d.shape
    p = s.shape[2]
    present = ~np.isnan(d)
    counted = s > 0
    n_children = counted.astype(float).sum(axis=1)  # (B, P)
    up = np.empty((p, n, b))
    wsum, term, hits, use = np.empty((n, b)), np.empty((n, b)), np.empty((n, b)), np.empty((n, b), dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        for j in range(p):
            total = up[j]
            total.fill(0.0)
            wsum.fill(0.0)
            hits.fill(0.0)
            for c in np.flatnonzero(counted[:, :, j].any(axis=0)):
                wc = s[:, c, j]
                np.logical_and(present[c], wc > 0, out=use)
                if method == "arithmetic":
                    np.multiply(wc, d[c], out=term)
                elif method == "geometric":
                    np.log(d[c], out=term)
                    np.multiply(wc, term, out=term)
                else:
                    np.divide(wc, d[c], out=term)
                np.add(total, term, out=total, where=use)
                np.add(wsum, wc, out=wsum, where=use)
                hits += use
            wsum += 0.0
            total += 0.0
            if method == "arithmetic":
                np.divide(total, wsum, out=total)
            elif method == "geometric":
                np.divide(total, wsum, out=total)
                np.exp(total, out=total)
            else:
                np.divide(wsum, total, out=total)
            total[~(wsum > 0)] = np.nan
            if threshold > 0:
                hits /= n_children[None, :, j]
                total[hits < threshold] = np.nan
    return up


def _copeland_level(values: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """Copeland scores of (N, B, C) values with (B, C) criterion weights, draw by draw (N, B)."""
    out = np.full(values.shape[:2], np.nan)
    for r in range(values.shape[1]):
        cols = shares[r] > 0
        if cols.any():
            out[:, r] = aggregate.copeland(values[:, r, cols], shares[r, cols])
    return out


def _generalised(spec: Spec, x: np.ndarray, w: np.ndarray, v: np.ndarray, *, dims: bool,
                 cache: dict | None) -> dict[str, np.ndarray]:
    """The power mean of order ``p`` at every level: the arithmetic aggregation of ``x^p``, mapped back
    by ``^(1/p)`` (``ln`` / ``exp`` at ``p = 0``); weights renormalised over the values present as ever."""
    p = float(spec.aggregate.get("p", 1.0))
    xp, inner = _power_cache(spec, x, p, {} if cache is None else cache)
    out = score(spec, xp, w, v, "arithmetic", dims=dims, cache=inner)
    out["score"] = aggregate.power_inverse(out["score"], p)
    if dims:
        out["dims"] = aggregate.power_inverse(out["dims"], p)
    out["rank"] = aggregate.ranks(out["score"])
    return out


def _power_cache(spec: Spec, x: np.ndarray, p: float, cache: dict) -> tuple[np.ndarray, dict]:
    """``x^p`` (checked) and the cache of its aggregation, kept in ``cache``."""
    key = ("generalised", p)
    if key not in cache:
        aggregate.check_power(x, p, spec.indicator_ids)
        cache[key] = (aggregate.power(x, p), {})
    return cache[key]


def _rescale(values: np.ndarray, block: dict) -> np.ndarray:
    a, b = (float(x) for x in block.get("range", (0, 100)))
    lo, hi = np.nanmin(values, axis=0), np.nanmax(values, axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(hi > lo, a + (b - a) * (values - lo) / (hi - lo), (a + b) / 2)


def int_array(values: np.ndarray) -> pd.arrays.IntegerArray:
    """Whole numbers with NaN as a nullable integer column (written as an empty cell)."""
    missing = np.isnan(values)
    return pd.arrays.IntegerArray(np.where(missing, 0, values).astype(np.int64), missing)


def _frame(ids: pd.Series, name: str, values: np.ndarray, columns: list[str]) -> pd.DataFrame:
    out = pd.DataFrame(values, columns=columns)
    out.insert(0, name, ids.array)
    return out


def one_blas_thread():
    """Run with one BLAS thread: the matrix products here are thin (K = tens of indicators), and
    BLAS worker threads only add contention (on a busy 2-core machine, 20x slower)."""
    return threadpool_limits(1, user_api="blas")


def build(spec: Spec | str | PathLike | dict, data: pd.DataFrame | str | PathLike) -> Result:
    """Build the index of ``spec`` on ``data`` (a DataFrame or a CSV path)."""
    with one_blas_thread():
        return _build(load_spec(spec), data)


def _build(spec: Spec, data: pd.DataFrame | str | PathLike) -> Result:
    data_in, label = read_data(data, spec)
    frame, screened = screened_data(spec, data_in, label)
    prep = prepare(spec, frame, label)
    w, v = weights.resolve(spec, prep.normalised)
    out = score(spec, prep.normalised, w[None, :], v[None, :])
    dims, index = out["dims"][:, 0, :], out["score"][:, 0]
    if spec.rescale:
        dims, index = _rescale(dims, spec.normalise), _rescale(index, spec.normalise)
    rank = aggregate.ranks(index)
    scores = _frame(prep.ids, spec.unit_id, dims, spec.node_ids)
    scores["score"] = index
    scores["rank"] = int_array(rank)
    scores["quintile"] = int_array(aggregate.quintiles(rank))
    scores["coverage"] = out["coverage"][:, 0]
    ids = spec.indicator_ids
    arrays = {"raw": prep.raw, "imputed": prep.imputed, "treated": prep.treated, "normalised": prep.normalised}
    if prep.denominated is not None:
        arrays = {"raw": prep.raw, "denominated": prep.denominated, **arrays}
    datasets = Datasets(spec.unit_id, prep.ids, ids, arrays)
    datasets["dimensions"] = scores[[spec.unit_id, *spec.node_ids]]
    dim_of = [d.id for d in spec.dimensions for _ in d.indicators]
    # "dimension": the parent aggregate (an aggregate of the top level names itself)
    parents = [p or i for i, p in zip(spec.node_ids, spec.parents, strict=True)]
    table = pd.DataFrame({
        "level": ["indicator"] * len(ids) + ["dimension"] * len(spec.node_ids),
        "id": ids + spec.node_ids,
        "dimension": dim_of + parents,
        "weight": np.concatenate([w, v]),
    })
    if spec.depth > 3:
        table["depth"] = [1] * len(ids) + [lv + 2 for lv, level in enumerate(spec.levels) for _ in level]
    return Result(spec, scores, datasets, table, prep.treatment, spec.choices(), data_in, screened)


def screened_data(spec: Spec, frame: pd.DataFrame, label: str = "<data>") -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows of ``frame`` kept by the spec's ``screen`` block, and the table of those left out."""
    if not spec.screen:
        return frame, screen.empty(spec)
    keep, table = screen.screen(spec, frame[spec.unit_id], check_data(spec, frame, label))
    return (frame if keep.all() else frame.loc[keep].reset_index(drop=True)), table


class Pipeline:
    """A spec bound to data: ``Pipeline(spec, data).run()``; ``.regenerate(**changes)`` rebuilds."""

    def __init__(self, spec: Spec | str | PathLike | dict, data: pd.DataFrame | str | PathLike) -> None:
        self.spec = load_spec(spec)
        self.data, self.label = read_data(data, self.spec)

    @property
    def choices(self) -> dict[str, Any]:
        return self.spec.choices()

    def run(self) -> Result:
        return build(self.spec, self.data)

    def regenerate(self, **changes: Any) -> Result:
        return build(self.spec.with_changes(**changes), self.data)
