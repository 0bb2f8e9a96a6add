"""The index engine at dissemination-area scale (targets: build < 1 s; uncertainty >= 20x the loop).

57,936 units (the number of 2021 dissemination areas) x 20 indicators in 3 dimensions (7, 7, 6),
2 % of values missing, synthetic. Measures, in the same run:

1. one ``build`` (best of three);
2. the uncertainty analysis with ``--draws`` runs (default 1,000), vectorised over runs;
3. the baseline: the same analysis written as a loop that rebuilds the pipeline with pandas for
   every run (:func:`tests.index.reference.build_pandas`, plain pandas: long format, groupby);
4. for comparison, the same loop rebuilding with the engine's own ``build`` (NumPy over units):
   this isolates the gain of vectorising over runs from the gain of NumPy over pandas.

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


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return time.perf_counter() - start, out


def _loop(name: str, spec, data, args, runs: int, vec_time: float, builder) -> float:
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
    print(f"uncertainty, per-run loop rebuilding with {name}: {full:.1f} s ({how}; {1000 * full / runs:.0f} ms per run)"
          f" -> vectorised is {full / vec_time:.1f}x faster")
    return full


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=UNITS)
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--loop-runs", type=int, default=50, help="runs of each loop to time (0: all)")
    args = parser.parse_args(argv)
    spec, data = synthetic(args.units)
    builds = [timed(build, spec, data)[0] for _ in range(3)]
    print(f"build: {args.units:,} units x 20 indicators: {min(builds):.3f} s (best of 3; target < 1 s)")

    vec_time, vec = timed(uncertainty, spec, data, draws=args.draws, seed=1)
    runs = len(vec.runs)
    print(f"uncertainty, vectorised: {runs:,} runs in {vec_time:.1f} s ({1000 * vec_time / runs:.0f} ms per run)")
    full = _loop("pandas (reference pipeline)", spec, data, args, runs, vec_time, lambda s, f: build_pandas(s, f))
    print(f"ratio per-run pandas loop / vectorised: {full / vec_time:.1f}x (target >= 20x)")
    _loop("the engine's NumPy build", spec, data, args, runs, vec_time, lambda s, f: build(s, f).scores)


if __name__ == "__main__":
    main()
