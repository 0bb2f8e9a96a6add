"""Uncertainty and sensitivity analysis: how much do the ranks depend on the choices made?

The uncertain choices (the spec's ``uncertainty`` block, defaults in :data:`DEFAULTS`) are the
*factors*: the normalisation method, the aggregation method, every weight multiplied by a factor
drawn uniformly in ``[1 - share, 1 + share]``, imputation on or off, one indicator removed
(or none), and — when the data carry standard errors — the **measurement error** of the values.
A Saltelli design is drawn with **SALib** (``SALib.sample.sobol``, scrambled Sobol' sequence,
seeded); each row is one run of the index. Per unit we report the nominal rank, the
median rank and the 5 % and 95 % rank percentiles over all runs; per factor the first-order and
total Sobol indices (``SALib.analyze.sobol``) of the mean absolute rank shift (the average over
units of ``|rank in the run - nominal rank|``).

Measurement error: an indicator whose column ``COL`` has a companion ``COL_se`` in the data (the
standard errors of small-area estimates, :func:`playbook.groups.sae.area_indicators`) is uncertain
in its values too. ``uncertainty.measurement.replicates`` (default 10) replicate data sets are
drawn, each value plus its standard error times an independent standard normal draw (seeded; a
column of values in 0-100 stays in 0-100, a non-negative one non-negative); the factor
``measurement`` picks, per run, the values as estimated (replicate 0) or one of the replicates, so
its Sobol indices say how much of the rank uncertainty comes from sampling error. ``measurement:
false`` (or ``replicates: 0``) leaves the values as estimated.

Vectorised over runs: the data are normalised once per (normalisation, imputation) combination;
runs sharing a combination and an aggregation method are then aggregated together, a batch of
runs at a time, as a 3-D array (units x runs x dimensions) from one matrix product. No pandas
object is built per run. :func:`uncertainty_loop` is the same analysis written run by run with
the pandas pipeline (the reference for tests and the benchmark).
"""

from __future__ import annotations

import itertools
import math
import warnings
from dataclasses import dataclass, field
from os import PathLike

import numpy as np
import pandas as pd
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import sobol as sobol_sample

from playbook.errors import PlaybookError
from playbook.index import parameters
from playbook.index.pipeline import build, int_array, one_blas_thread, prepare, score_ranks, screened_data
from playbook.index.spec import AGGREGATE_METHODS, IMPUTE_METHODS, NORMALISE_METHODS, Spec, load_spec, read_data

DEFAULTS = {
    "normalise": ["minmax", "percentile", "rank"],
    "aggregate": ["arithmetic", "geometric"],
    "weights": 0.25,
    "impute": None,  # [spec method, "none"], or ["none", "median"] when the spec imputes nothing
    "remove_indicator": True,
    "range": [1, 100],
    "parameters": {},  # PATH: [alternatives] or {range: [low, high]} (see playbook.index.parameters)
    "measurement": {"replicates": 10},  # replicate data sets drawn from the standard errors (COL_se columns)
}
#: Elements (units x runs x dimensions) aggregated at once; bounds the memory of a batch.
BATCH_ELEMENTS = 10_000_000


@dataclass
class Uncertainty:
    """Results: per-unit rank intervals, the Sobol table, and one row per run."""

    ranks: pd.DataFrame
    sobol: pd.DataFrame
    runs: pd.DataFrame


@dataclass
class Design:
    """The decoded Saltelli design: one entry per run."""

    problem: dict
    sample: np.ndarray
    normalise: np.ndarray
    aggregate: np.ndarray
    impute: np.ndarray
    removed: np.ndarray  # -1 = none
    w: np.ndarray  # (R, K) indicator weights
    v: np.ndarray  # (R, P) dimension weights
    options: dict
    params: list = field(default_factory=list)  # the uncertain spec parameters (parameters.Parameter)
    codes: dict = field(default_factory=dict)  # path -> per-run code (parameters.decode)
    measurement: np.ndarray | None = None  # replicate data set of each run (0 = the values as estimated)


def settings(spec: Spec) -> dict:
    """The uncertainty block of ``spec`` completed with the defaults and checked."""
    block = {**DEFAULTS, **(spec.uncertainty or {})}
    if block["impute"] is None:
        block["impute"] = ["none", "median"] if spec.impute["method"] == "none" else [spec.impute["method"], "none"]
    lists = {"normalise": NORMALISE_METHODS, "aggregate": AGGREGATE_METHODS, "impute": IMPUTE_METHODS}
    for key, allowed in lists.items():
        if not isinstance(block[key], list) or not block[key]:
            raise PlaybookError("expected a non-empty list", path=spec.path, field=f"uncertainty.{key}")
        for name in block[key]:
            method = name["method"] if isinstance(name, dict) else name
            if method not in allowed and not callable(method):  # a custom function from Python
                raise PlaybookError(f"unknown method '{method}'", path=spec.path, field=f"uncertainty.{key}",
                                    expected=" | ".join(allowed))
    if "copeland" in block["aggregate"]:
        raise PlaybookError("copeland is not available in the uncertainty analysis", path=spec.path,
                            field="uncertainty.aggregate", expected="arithmetic | geometric | harmonic | minimum")
    share = float(block["weights"])
    if not 0 <= share < 1:
        raise PlaybookError(f"weight share {share} is not in [0, 1)", path=spec.path, field="uncertainty.weights")
    block["parameters"] = parameters.parse(spec, block["parameters"])
    block["measurement"] = measurement_replicates(block["measurement"], spec)
    return block


def measurement_replicates(value, spec: Spec) -> int:
    """The number of replicate data sets of ``uncertainty.measurement`` (``false`` -> 0)."""
    if value is False or value is None:
        return 0
    if value is True:
        value = DEFAULTS["measurement"]
    replicates = value.get("replicates") if isinstance(value, dict) else None
    if isinstance(replicates, bool) or not isinstance(replicates, int) or replicates < 0:
        raise PlaybookError(f"measurement is {value!r}", path=spec.path, field="uncertainty.measurement",
                            expected="false, or {replicates: N} with N >= 0 (e.g. 10)")
    return replicates


def standard_errors(spec: Spec, frame: pd.DataFrame) -> np.ndarray | None:
    """The standard errors of the indicators (units x indicators; 0 where none) from the ``COL_se``
    columns of ``frame``, or ``None`` when no indicator has one."""
    columns = [f"{i.column}_se" for i in spec.indicators]
    if not any(c in frame.columns for c in columns):
        return None
    se = np.column_stack([pd.to_numeric(frame[c], errors="coerce").to_numpy(float) if c in frame.columns
                          else np.zeros(len(frame)) for c in columns])
    se = np.where(np.isfinite(se) & (se > 0), se, 0.0)
    return se if se.any() else None


def measurement_replicate(spec: Spec, frame: pd.DataFrame, se: np.ndarray, replicate: int, seed: int) -> pd.DataFrame:
    """``frame`` with its indicator values drawn once more from their standard errors ``se``
    (replicate ``replicate`` >= 1 of the seeded draws; replicate 0 is ``frame`` itself)."""
    if replicate == 0:
        return frame
    rng = np.random.default_rng([int(seed), 7919, int(replicate)])
    z = rng.standard_normal(se.shape)
    out = frame.copy()
    for k, ind in enumerate(spec.indicators):
        if not se[:, k].any():
            continue
        values = pd.to_numeric(frame[ind.column], errors="coerce").to_numpy(float)
        present = values[np.isfinite(values)]
        low = 0.0 if present.size and present.min() >= 0 else -np.inf
        high = 100.0 if present.size and present.min() >= 0 and present.max() <= 100 else np.inf
        out[ind.column] = np.clip(values + z[:, k] * se[:, k], low, high)
    return out


def _normalise_block(spec: Spec, option: str | dict, rng: list) -> dict:
    if isinstance(option, dict):
        return option
    block = {k: v for k, v in spec.normalise.items() if option == spec.normalise["method"] and k != "range"}
    block["method"] = option
    if option in ("minmax", "percentile", "goalposts"):
        block["range"] = list(rng)
    return block


def design(spec: Spec, n_units_weights: tuple[np.ndarray, np.ndarray], draws: int, seed: int, *,
           measured: bool = False) -> Design:
    """Draw the Saltelli design (SALib) and decode it into the choices of every run; ``measured``:
    the data carry standard errors (the ``measurement`` factor is drawn)."""
    block = settings(spec)
    w0, v0 = n_units_weights
    k, p = len(w0), len(v0)
    options = {
        "normalise": [_normalise_block(spec, o, block["range"]) for o in block["normalise"]],
        "aggregate": list(block["aggregate"]),
        "impute": list(block["impute"]),
        "removed": list(range(-1, k)) if block["remove_indicator"] and k > 1 else [-1],
        "measurement": list(range(block["measurement"] + 1)) if measured else [0],
    }
    names, groups = [], []
    for factor in ("normalise", "aggregate", "impute", "removed", "measurement"):
        if len(options[factor]) > 1:
            names.append(factor)
            groups.append("remove_indicator" if factor == "removed" else factor)
    share = float(block["weights"])
    if share > 0:
        names += [f"w_{i}" for i in range(k + p)]
        groups += ["weights"] * (k + p)
    params = block["parameters"]
    names += [f"param:{q.path}" for q in params]
    groups += [q.path for q in params]
    if not names:
        raise PlaybookError("nothing is uncertain", path=spec.path, field="uncertainty",
                            expected="at least one factor with two options or a weight share > 0")
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names), "groups": groups}
    n_groups = len(dict.fromkeys(groups))
    base = max(2, math.ceil(draws / (n_groups + 2)))
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*(Convergence|balance) properties of.*Sobol.*")
        sample = sobol_sample.sample(problem, base, calc_second_order=False, scramble=True, seed=seed)
    runs = len(sample)
    col = {name: j for j, name in enumerate(names)}

    def pick(factor: str) -> np.ndarray:
        n = len(options[factor])
        if factor not in col:
            return np.zeros(runs, dtype=int)
        return np.minimum((sample[:, col[factor]] * n).astype(int), n - 1)

    removed = np.array(options["removed"])[pick("removed")]
    mult = np.ones((runs, k + p))
    if share > 0:
        mult = 1 - share + 2 * share * sample[:, [col[f"w_{i}"] for i in range(k + p)]]
    codes = {q.path: parameters.decode(q, sample[:, col[f"param:{q.path}"]]) for q in params}
    ids, node_ids = list(spec.indicator_ids), [str(n) for n in getattr(spec, "node_ids", spec.dimension_ids)]
    for q in (q for q in params if q.weight):  # value / spec weight times the run's weight (relative weights)
        values = codes[q.path] if q.continuous else np.array(q.values, dtype=float)[codes[q.path]]
        ident = q.path.partition(".")[2]
        column = ids.index(ident) if ident in ids else k + node_ids.index(ident)
        mult[:, column] *= values / parameters.spec_weight(spec, ident)
    w = w0[None, :] * mult[:, :k]
    w[removed >= 0, removed[removed >= 0]] = 0.0
    v = v0[None, :] * mult[:, k:] * spec.alive(w)  # every aggregate, at any depth
    return Design(problem, sample, pick("normalise"), pick("aggregate"), pick("impute"), removed, w, v, options,
                  params, codes, pick("measurement"))


def _quantiles(ranks: np.ndarray, qs: tuple[float, ...]) -> list[np.ndarray]:
    """Linear-interpolated quantiles of each row of ``ranks`` (N x R), ignoring NaN; ``ranks`` is sorted
    in place (NaN last)."""
    valid = np.sum(~np.isnan(ranks), axis=1)
    ranks.sort(axis=1)
    ordered = ranks
    out = []
    for q in qs:
        pos = q * np.maximum(valid - 1, 0)
        lo, hi = np.floor(pos).astype(int), np.ceil(pos).astype(int)
        a = np.take_along_axis(ordered, lo[:, None], axis=1)[:, 0]
        b = np.take_along_axis(ordered, hi[:, None], axis=1)[:, 0]
        out.append(np.where(valid > 0, a + (b - a) * (pos - lo), np.nan))
    return out


def rank_shift(ranks: np.ndarray, nominal: np.ndarray) -> np.ndarray:
    """Mean absolute rank shift of each run (column), over units ranked in both."""
    diff = np.abs(ranks - nominal[:, None])
    valid = ~np.isnan(diff)
    return np.where(valid, diff, 0.0).sum(axis=0) / np.maximum(valid.sum(axis=0), 1)


def _summarise(spec: Spec, ids: pd.Series, nominal: np.ndarray, ranks: np.ndarray, shift: np.ndarray, d: Design,
               seed: int) -> Uncertainty:
    """The summary of the runs' ``ranks`` (N x R; sorted in place) and rank shifts."""
    median, p05, p95 = _quantiles(ranks, (0.5, 0.05, 0.95))
    table = pd.DataFrame({spec.unit_id: ids.to_numpy(), "rank": nominal, "median_rank": median,
                          "rank_p05": p05, "rank_p95": p95})
    table["rank"] = int_array(nominal)
    y = np.nan_to_num(shift)
    groups = list(dict.fromkeys(d.problem["groups"]))
    if np.ptp(y) > 0:
        res = sobol_analyze.analyze(d.problem, y, calc_second_order=False, num_resamples=100, seed=seed)
        sob = pd.DataFrame({"factor": groups, "S1": res["S1"], "S1_conf": res["S1_conf"], "ST": res["ST"],
                            "ST_conf": res["ST_conf"]})
    else:  # no choice moves any rank: nothing to attribute
        sob = pd.DataFrame({"factor": groups, "S1": 0.0, "S1_conf": 0.0, "ST": 0.0, "ST_conf": 0.0})
    names = [b["method"] for b in d.options["normalise"]]
    runs = pd.DataFrame({
        "normalise": np.array(names)[d.normalise], "aggregate": np.array(d.options["aggregate"])[d.aggregate],
        "impute": np.array(d.options["impute"])[d.impute],
        "removed": np.where(d.removed >= 0, np.array(spec.indicator_ids + [""])[d.removed], ""),
        "mean_abs_rank_shift": shift,
    })
    if len(d.options.get("measurement", [0])) > 1:
        runs.insert(len(runs.columns) - 1, "measurement", d.measurement)
    for q in d.params:  # one column per uncertain parameter: its value in each run
        values = [parameters.value(q, c) for c in d.codes[q.path]]
        runs.insert(len(runs.columns) - 1, q.path, values if q.continuous else [str(v) for v in values])
    return Uncertainty(table, sob, runs)


def inputs(spec, data):
    """The spec, the data (and its label), the nominal build, its weights and its ranks."""
    spec = load_spec(spec)
    frame, label = read_data(data, spec)
    nominal = build(spec, frame)
    frame = screened_data(spec, frame, label)[0]  # the units of the nominal build
    w0 = nominal.weights.query("level == 'indicator'")["weight"].to_numpy()
    v0 = nominal.weights.query("level == 'dimension'")["weight"].to_numpy()
    rank = nominal.scores["rank"].to_numpy(dtype=float, na_value=np.nan)
    return spec, frame, label, nominal, (w0, v0), rank


def uncertainty(spec: Spec | str | PathLike | dict, data: pd.DataFrame | str | PathLike, *, draws: int = 1000,
                seed: int = 0) -> Uncertainty:
    """Monte Carlo rank intervals and Sobol indices, vectorised over runs (see the module doc)."""
    if draws < 1:
        raise PlaybookError(f"draws = {draws}", field="draws", expected="a positive number of runs")
    with one_blas_thread():
        return _uncertainty(spec, data, draws, seed)


def _uncertainty(spec, data, draws: int, seed: int) -> Uncertainty:
    spec, frame, label, nominal, w0v0, rank0 = inputs(spec, data)
    se = standard_errors(spec, frame)
    d = design(spec, w0v0, draws, seed, measured=se is not None)
    n, runs = len(frame), len(d.sample)
    # the ranks of every run, exact below 2**24 units; the runs in the order they are done (the summary
    # is by unit, over all runs: their order does not matter)
    ranks = np.full((n, runs), np.nan, dtype=np.float32)
    done = 0
    shift = np.zeros(runs)
    batch = max(1, BATCH_ELEMENTS // max(1, n * len(spec.dimensions)))
    work = {}  # the buffers of a batch, reused
    # runs grouped by the values of the uncertain parameters that change the data: one preparation each
    groups = list(_groups(spec, d))  # one spec per combination of the uncertain parameters, for every replicate
    for c_meas in d.options["measurement"]:
        frame_m = frame if se is None else measurement_replicate(spec, frame, se, c_meas, seed)
        raw = nominal.datasets.array("raw") if c_meas == 0 else None  # a replicate is checked afresh
        for (spec_g, in_group, changes), (c_norm, block) in itertools.product(groups,
                                                                            enumerate(d.options["normalise"])):
            block = {**block, **changes}
            in_group = in_group & (d.measurement == c_meas)
            for c_imp, imp in enumerate(d.options["impute"]):
                x = None
                for c_agg, method in enumerate(d.options["aggregate"]):
                    sel = np.flatnonzero(in_group & (d.normalise == c_norm) & (d.impute == c_imp)
                                         & (d.aggregate == c_agg))
                    if not len(sel):
                        continue
                    if x is None:
                        x = prepare(spec_g, frame_m, label, impute_method=imp, normalise_block=block,
                                    raw=raw).normalised
                        cache = {}
                    for start in range(0, len(sel), batch):
                        part = sel[start:start + batch]
                        r = score_ranks(spec_g, x, d.w[part], d.v[part], method, cache=cache, work=work).T
                        ranks[:, done:done + len(part)] = r
                        done += len(part)
                        shift[part] = rank_shift(r, rank0)
    return _summarise(spec, nominal.scores[spec.unit_id], rank0, ranks, shift, d, seed)


def _groups(spec: Spec, d: Design):
    """(spec, runs, normalise changes) for each distinct combination of the uncertain parameters that
    are not weights, in sorted order of their codes; the spec itself for every run if there are none."""
    rebuild = [q for q in d.params if not q.weight]
    runs = len(d.sample)
    if not rebuild:
        yield spec, np.ones(runs, dtype=bool), {}
        return
    codes = np.column_stack([d.codes[q.path] for q in rebuild])
    for row in np.unique(codes, axis=0):
        raw, changes = spec.raw, {}
        for q, code in zip(rebuild, row, strict=True):
            value = parameters.value(q, code)
            raw = parameters.apply(raw, q.path, value)
            if q.path.startswith("normalise."):
                changes[q.path.partition(".")[2]] = value
        yield load_spec(raw, source=spec.path), (codes == row).all(axis=1), changes


def run_spec(spec: Spec, d: Design, r: int) -> Spec:
    """The spec of run ``r`` of the design, as a plain spec (for the run-by-run reference)."""
    raw = dict(spec.raw)
    k, node = 0, {i: p for p, i in enumerate(spec.node_ids)}

    def level(entries: list) -> list:  # the spec's dimensions with this run's weights, at any depth
        nonlocal k
        out = []
        for dim in entries:
            if "dimensions" in dim:
                children = level(dim["dimensions"])
                if children:
                    out.append({**dim, "weight": float(d.v[r, node[str(dim["id"])]]), "dimensions": children})
                continue
            inds = []
            for ind in dim["indicators"]:
                if k != d.removed[r]:
                    inds.append({**ind, "weight": float(d.w[r, k])})
                k += 1
            if inds:
                out.append({**dim, "weight": float(d.v[r, node[str(dim["id"])]]), "indicators": inds})
        return out

    dims = level(spec.raw["dimensions"])
    raw.update(dimensions=dims, weights={"method": "expert"}, normalise=d.options["normalise"][d.normalise[r]],
               aggregate={**{k: v for k, v in spec.aggregate.items() if k == "p"},
                          "method": d.options["aggregate"][d.aggregate[r]]},
               impute={**spec.impute, "method": d.options["impute"][d.impute[r]]})
    for q in d.params:  # the uncertain parameters that are not weights (the weights are in d.w, d.v)
        if not q.weight:
            raw = parameters.apply(raw, q.path, parameters.value(q, d.codes[q.path][r]))
    return load_spec(raw, source=spec.path)


def _engine_scores(spec: Spec, frame: pd.DataFrame) -> pd.DataFrame:
    return build(spec, frame).scores


def uncertainty_loop(spec: Spec | str | PathLike | dict, data: pd.DataFrame | str | PathLike, *, draws: int = 1000,
                     seed: int = 0, limit: int | None = None, builder=None) -> Uncertainty:
    """The same analysis, one run at a time, rebuilding the whole pipeline for every run.

    ``builder(spec, data) -> scores`` rebuilds the index: by default the engine's own
    :func:`~playbook.index.build`; :func:`tests.index.reference.build_pandas` gives the plain
    pandas pipeline. The reference for tests and the benchmark's baseline. ``limit`` stops after
    that many runs (the runs not done are left out of the summary).
    """
    builder = builder or _engine_scores
    spec, frame, _label, nominal, w0v0, rank0 = inputs(spec, data)
    se = standard_errors(spec, frame)
    d = design(spec, w0v0, draws, seed, measured=se is not None)
    runs = len(d.sample) if limit is None else min(limit, len(d.sample))
    ranks = np.full((len(frame), len(d.sample)), np.nan, dtype=np.float32)
    replicates = {}
    for r in range(runs):
        c = int(d.measurement[r])
        if c not in replicates:
            replicates[c] = frame if se is None else measurement_replicate(spec, frame, se, c, seed)
        scores = builder(run_spec(spec, d, r), replicates[c])
        ranks[:, r] = scores["rank"].to_numpy(dtype=float, na_value=np.nan)
    return _summarise(spec, nominal.scores[spec.unit_id], rank0, ranks, rank_shift(ranks, rank0), d, seed)


__all__ = ["Uncertainty", "design", "inputs", "measurement_replicate", "run_spec", "standard_errors", "uncertainty",
           "uncertainty_loop"]
