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
    coverage = cache["present"] @ effective[-1][:, :, 0].T  # (N, B)
    index = np.full((n, b), np.nan)
    out_dims = np.full((n, b, nodes), np.nan) if dims else None
    if method in QUASI and len(full) and len(part) < n:
        if method not in cache:
            if method != "arithmetic":
                aggregate.check_positive(x, spec.indicator_ids, method, "indicator")
            with np.errstate(divide="ignore"):
                cache[method] = QUASI[method][0](x[full])
        gen, inv = QUASI[method]
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            index[full] = inv(cache[method] @ effective[-1][:, :, 0].T)
            if dims:
                values = np.concatenate([np.einsum("nk,bkp->nbp", cache[method], e) for e in effective[:-1]], axis=2)
                out_dims[full] = inv(values)
        if dims:
            out_dims[:, ~alive] = np.nan  # an aggregate whose indicators were all removed
        rows = part
    else:
        rows = np.arange(n)
    if len(rows):
        xr = x[rows]
        d, _cov = aggregate.dimensions(xr, w, spec.membership, method, spec.indicator_ids)
        d[availability(~np.isnan(xr), shares[0]) < spec.min_coverage - aggregate._EPS] = np.nan
        found = [d]
        for s in shares[1:]:
            if method in ("geometric", "harmonic") and np.nanmin(np.where(np.isnan(d), np.inf, d)) <= 0:
                raise PlaybookError(f"{method} aggregation needs dimension scores > 0", field="aggregate.method",
                                    expected=aggregate.POSITIVE_RANGE)
            up = np.stack([aggregate.combine(d, s[None, :, :, j], method) if method != "copeland"
                           else _copeland_level(d, s[:, :, j]) for j in range(s.shape[2])], axis=2)
            up[availability(~np.isnan(d), s) < spec.min_coverage - aggregate._EPS] = np.nan
            found.append(up)
            d = up
        index[rows] = found[-1][:, :, 0]
        if dims:
            out_dims[rows] = np.concatenate(found[:-1], axis=2)
    return {"dims": out_dims, "score": index, "coverage": coverage, "rank": aggregate.ranks(index)}


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
    cache = {} if cache is None else cache
    key = ("generalised", p)
    if key not in cache:
        aggregate.check_power(x, p, spec.indicator_ids)
        cache[key] = (aggregate.power(x, p), {})
    xp, inner = cache[key]
    out = score(spec, xp, w, v, "arithmetic", dims=dims, cache=inner)
    out["score"] = aggregate.power_inverse(out["score"], p)
    if dims:
        out["dims"] = aggregate.power_inverse(out["dims"], p)
    out["rank"] = aggregate.ranks(out["score"])
    return out


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
