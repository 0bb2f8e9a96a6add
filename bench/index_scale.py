"""The index engine at dissemination-area scale (targets: build < 1 s; uncertainty >= 20x the loop).

57,936 units (the number of 2021 dissemination areas) x 20 indicators, 2 % of values missing,
synthetic, in two hierarchies over the same data: three levels (20 indicators -> 3 dimensions of
7, 7, 6 -> index) and four (20 indicators -> 6 sub-pillars of 4, 3, 4, 3, 3, 3 -> 3 pillars ->
index). Measures, in the same run, for each hierarchy:

1. one ``build`` (best of three);
2. the uncertainty analysis with ``--draws`` runs (default 1,000), vectorised over runs;
3. the baseline: the same analysis as a loop rebuilding with the engine's own ``build`` (NumPy
   over units) for every run: this isolates the gain of vectorising over runs;
4. for three levels, also the loop that rebuilds the pipeline with pandas for every run
   (:func:`tests.index.reference.build_pandas`, plain pandas: long format, groupby; three levels only).

``--loop-runs N`` times only the first N runs of each loop and extrapolates linearly to all runs
(the output says so); ``--loop-runs 0`` times every run. Only the loops' rebuilds are timed, not
their set-up or summary (in favour of the loops). Run it with ``nice``: minutes of CPU.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from playbook.codes import dguid_prefix
from playbook.index import build, uncertainty
from playbook.index.uncertainty import design, inputs, run_spec
from tests.index.reference import build_pandas

UNITS, SIZES = 57_936, (7, 7, 6)
#: The four-level hierarchy over the same 20 indicators: pillar -> sub-pillar sizes.
DEEP = {"p0": (4, 3), "p1": (4, 3), "p2": (3, 3)}


def synthetic(units: int = UNITS, seed: int = 0) -> tuple[dict, pd.DataFrame]:
    """A spec with three dimensions and a data table of ``units`` rows, correlated indicators."""
    rng = np.random.default_rng(seed)
    latent = rng.normal(size=(units, len(SIZES)))
    columns, dims, k = {}, [], 0
    for p, size in enumerate(SIZES):
        inds = []
        for _ in range(size):
            values = 20 + 8 * (latent[:, p] + rng.normal(size=units)) + rng.gamma(1.5, 2, units)
            values[rng.random(units) < 0.02] = np.nan
            columns[f"i{k:02d}"] = np.clip(values, 0, 100)
            inds.append({"id": f"i{k:02d}", "column": f"i{k:02d}", "direction": 1 if k % 5 else -1,
                         "weight": 1 + k % 3})
            k += 1
        dims.append({"id": f"d{p}", "weight": 1, "indicators": inds})
    data = pd.DataFrame({"DGUID": [f"{dguid_prefix('Dissemination area')}{i:08d}" for i in range(units)], **columns})
    spec = {"id": "bench", "unit_id": "DGUID", "min_coverage": 0.5, "dimensions": dims}
    return spec, data


def deep(spec: dict) -> dict:
    """The same indicators in four levels: indicators -> sub-pillars -> pillars -> index."""
    inds = iter([i for d in spec["dimensions"] for i in d["indicators"]])
    pillars = [{"id": p, "weight": 1 + j % 2, "dimensions": [
        {"id": f"{p}s{q}", "weight": 1, "indicators": [next(inds) for _ in range(size)]}
        for q, size in enumerate(sizes)]} for j, (p, sizes) in enumerate(DEEP.items())]
    return {**spec, "id": "bench_deep", "dimensions": pillars}


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return time.perf_counter() - start, out


def _loop(level: str, name: str, spec, data, args, runs: int, vec_time: float, builder) -> float:
    """Time the per-run rebuilds only (the loop's set-up and summary are not counted: conservative)."""
    spec, frame, _label, _nominal, weights, _rank = inputs(spec, data)
    d = design(spec, weights, args.draws, 1)
    done = runs if not args.loop_runs else min(args.loop_runs, runs)
    start = time.perf_counter()
    for r in range(done):
        builder(run_spec(spec, d, r), frame)
    seconds = time.perf_counter() - start
    full = seconds * runs / done
    how = f"all {runs:,} runs" if done == runs else f"{done} runs in {seconds:.1f} s, extrapolated to {runs:,}"
    print(f"{level}: uncertainty, per-run loop rebuilding with {name}: {full:.1f} s ({how}; {1000 * full / runs:.0f} ms per run)"
          f" -> vectorised is {full / vec_time:.1f}x faster")
    return full


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=UNITS)
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--loop-runs", type=int, default=50, help="runs of each loop to time (0: all)")
    args = parser.parse_args(argv)
    spec, data = synthetic(args.units)
    for name, s in (("3 levels", spec), ("4 levels", deep(spec))):
        builds = [timed(build, s, data)[0] for _ in range(3)]
        print(f"\n{name}: build: {args.units:,} units x 20 indicators: {min(builds):.3f} s (best of 3; target < 1 s)")
        vec_time, vec = timed(uncertainty, s, data, draws=args.draws, seed=1)
        runs = len(vec.runs)
        print(f"{name}: uncertainty, vectorised: {runs:,} runs in {vec_time:.1f} s ({1000 * vec_time / runs:.0f} ms per run)")
        full = _loop(name, "the engine's NumPy build", s, data, args, runs, vec_time, lambda s, f: build(s, f).scores)
        print(f"{name}: ratio per-run engine loop / vectorised: {full / vec_time:.1f}x (target >= 20x)")
        if name == "3 levels":
            full = _loop(name, "pandas (reference pipeline)", s, data, args, runs, vec_time,
                         lambda s, f: build_pandas(s, f))
            print(f"{name}: ratio per-run pandas loop / vectorised: {full / vec_time:.1f}x (target >= 20x)")


if __name__ == "__main__":
    main()
