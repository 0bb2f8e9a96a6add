"""Census Profile extract+pivot against three baselines, on one >= 1 GB file, in the same run.

Generates a 2021 Census Profile comprehensive file in the exact official layout (23 columns, six
``SYMBOL``, Latin-1, quoted text, CRLF; DA-like rows, 2,600 characteristics per geography) in a
temporary folder — fast, vectorised, checked byte for byte against
``playbook.sources.census.format.write_profile_2021`` on a sample — then times extract + pivot of
30 characteristics by:

* ``playbook``  — :func:`playbook.sources.census.extract` (PyArrow blocks; the thing measured);
* ``csv``       — Python's ``csv`` module streaming the file (baseline a; target >= 10x slower);
* ``pandas``    — ``pandas.read_csv(chunksize=...)`` (baseline b; target >= 5x slower);
* ``duckdb``    — a bare DuckDB ``count(*)`` scan of the same file (baseline c; target: ours
  reaches >= 60 % of its throughput).

Each method runs in its own subprocess, which reports its wall time and peak RSS
(``resource.getrusage``; target < 1.5 GB for ours). The file is deleted at the end.

    nice python bench/census_extract.py [--gb 1.0] [--keep DIR]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playbook.codes import dguid_prefix  # noqa: E402
from playbook.sources import census  # noqa: E402
from playbook.sources.census import load_spec  # noqa: E402
from playbook.sources.census.format import HEADER_2021, UNIQUE_HEADER_2021, write_profile_2021  # noqa: E402

N_CHARS = 2600
#: The 28 EVI characteristics (specs/census_2021.yml) and two more: 30 in all.
IDS = sorted(load_spec(2021)) + [2, 1414]
ROW_BYTES = 158  # about, for sizing


def _names() -> np.ndarray:
    spec = load_spec(2021)
    return np.array(
        [("  " + spec[c]["name"]) if c in spec else f"  Characteristic {c}" for c in range(1, N_CHARS + 1)],
        dtype=object,
    )


def _tenths(t: np.ndarray) -> np.ndarray:
    whole = (t // 10).astype(str).astype(object)
    frac = (t % 10).astype(str).astype(object)
    return np.where(t % 10 == 0, whole, whole + "." + frac)


def chunk_lines(first_geo: int, n_geo: int, seed: int) -> list[str]:
    """Lines for ``n_geo`` dissemination areas starting at ``first_geo`` (official formatting)."""
    rng = np.random.default_rng(seed)
    n = n_geo * N_CHARS
    daid = (10010000 + first_geo + np.arange(n_geo)).astype(str).astype(object)
    prefix = ('2021,"' + dguid_prefix("Dissemination area") + daid + '","' + daid + '","Dissemination area","' + daid
              + '",3.1,4.3,"00000",')
    cid = np.arange(1, N_CHARS + 1)
    names = _names()
    mid = cid.astype(str).astype(object) + ',"' + names + '",,'
    counts = rng.integers(0, 5000, n).astype(str).astype(object)
    men = rng.integers(0, 2500, n).astype(str).astype(object)
    rates = _tenths(rng.integers(0, 1000, n))
    values = (counts + ',"",' + men + ',"",' + men + ',"",' + rates + ',"",' + rates + ',"",' + rates + ',""')
    suppressed = rng.random(n) < 0.01  # every value empty, symbol x (C1_COUNT_TOTAL empty: the line goes on with ,"x")
    values = np.where(suppressed, ',"x",,"x",,"x",,"x",,"x",,"x"', values)
    lines = np.repeat(prefix, N_CHARS) + np.tile(mid, n_geo) + values
    return lines.tolist()


def _sample_rows(lines: list[str]) -> pd.DataFrame:
    """Parse generated lines back into long rows, to compare with the official writer."""
    return pd.DataFrame(list(csv.reader(lines)), columns=UNIQUE_HEADER_2021).replace("", None)


def check_format(tmp: Path) -> None:
    """The fast generator writes exactly what ``write_profile_2021`` writes for the same rows."""
    lines = chunk_lines(0, 2, seed=7)
    fast = ("\r\n".join([",".join(HEADER_2021), *lines]) + "\r\n").encode("latin-1")
    rows = _sample_rows(lines)
    for c in rows.columns:
        if "SYMBOL" in c:
            rows[c] = rows[c].fillna("")
    official = tmp / "official.csv"
    write_profile_2021(rows, official)
    if official.read_bytes() != fast:
        raise SystemExit("the fast generator does not match write_profile_2021")
    official.unlink()


def generate(path: Path, gb: float) -> int:
    n_geo = int(gb * 1e9 / (ROW_BYTES * N_CHARS)) + 1
    step = 100
    with open(path, "w", encoding="latin-1", newline="") as fh:
        fh.write(",".join(HEADER_2021) + "\r\n")
        for start in range(0, n_geo, step):
            lines = chunk_lines(start, min(step, n_geo - start), seed=start)
            fh.write("\r\n".join(lines) + "\r\n")
    while path.stat().st_size < gb * 1e9:  # top up if the estimate fell short
        with open(path, "a", encoding="latin-1", newline="") as fh:
            lines = chunk_lines(n_geo, step, seed=n_geo)
            fh.write("\r\n".join(lines) + "\r\n")
        n_geo += step
    return n_geo


# --- the methods, each run in a child process -------------------------------------------------

def run_playbook(path: str) -> int:
    return len(census.extract(path, IDS, cache=False, progress=False))


def _pivot(long: pd.DataFrame) -> int:
    long["v"] = pd.to_numeric(long["v"], errors="coerce")
    wide = long.pivot(index="DGUID", columns="CHARACTERISTIC_ID", values="v")
    return len(wide)


def run_csv(path: str) -> int:
    wanted = {str(i) for i in IDS}
    keep = []
    with open(path, encoding="latin-1", newline="") as fh:
        reader = csv.reader(fh)
        next(reader)
        for row in reader:
            if row[8] in wanted:
                keep.append((row[1], row[8], row[11]))
    return _pivot(pd.DataFrame(keep, columns=["DGUID", "CHARACTERISTIC_ID", "v"]))


def run_pandas(path: str) -> int:
    wanted = {str(i) for i in IDS}
    parts = []
    for chunk in pd.read_csv(path, encoding="latin-1", names=UNIQUE_HEADER_2021, header=0, dtype=str,
                             keep_default_na=False, chunksize=500_000,
                             usecols=["DGUID", "CHARACTERISTIC_ID", "C1_COUNT_TOTAL"]):
        parts.append(chunk[chunk["CHARACTERISTIC_ID"].isin(wanted)])
    long = pd.concat(parts).rename(columns={"C1_COUNT_TOTAL": "v"})
    return _pivot(long)


def run_duckdb(path: str) -> int:
    import duckdb

    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(23)) + "}"
    sql = (f"SELECT count(*) FROM read_csv('{path}', columns={columns}, header=true, delim=',', quote='\"', "
           "escape='\"', encoding='latin-1', auto_detect=false, strict_mode=true, all_varchar=true)")
    return int(duckdb.sql(sql).fetchall()[0][0])


METHODS = {"playbook": run_playbook, "csv": run_csv, "pandas": run_pandas, "duckdb": run_duckdb}


def _peak_rss_mb() -> float:
    """This process's peak RSS. VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec, so a child
    would report its parent's peak (the generator's)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(method: str, path: str) -> None:
    start = time.perf_counter()
    n = METHODS[method](path)
    seconds = time.perf_counter() - start
    rss_mb = _peak_rss_mb()
    print(json.dumps({"method": method, "seconds": seconds, "rows": n, "rss_mb": rss_mb}))


def measure(method: str, path: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", method, str(path)], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    if out.returncode:
        raise SystemExit(f"{method} failed:\n{out.stderr}")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["children_maxrss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return result


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--gb", type=float, default=1.0, help="size of the generated file (GB)")
    p.add_argument("--keep", type=Path, metavar="DIR",
                   help="keep the generated file in DIR (and reuse it if it is already there)")
    p.add_argument("--child", nargs=2, metavar=("METHOD", "PATH"), help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory(prefix="census-bench-") as tmp:
        tmp = Path(tmp)
        check_format(tmp)
        folder = args.keep or tmp
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "98-401-X2021006_English_CSV_data_Bench.csv"
        t = time.perf_counter()
        if args.keep and path.exists():
            n_geo = sum(1 for _ in open(path, "rb")) // N_CHARS  # reuse the kept file
        else:
            n_geo = generate(path, args.gb)
        size = path.stat().st_size
        print(f"generated {size / 1e9:.2f} GB, {n_geo:,} geographies x {N_CHARS:,} characteristics "
              f"in {time.perf_counter() - t:.0f} s; extracting {len(IDS)} characteristics")
        results = {m: measure(m, path) for m in ("duckdb", "playbook", "pandas", "csv")}
    for m, r in results.items():
        print(f"  {m:<9} {r['seconds']:7.2f} s  {size / 1e6 / r['seconds']:7.0f} MB/s  peak RSS {r['rss_mb']:6.0f} MB"
              f"  ({r['rows']:,} rows)")
    ours = results["playbook"]["seconds"]
    vs_csv = results["csv"]["seconds"] / ours
    vs_pandas = results["pandas"]["seconds"] / ours
    vs_duck = results["duckdb"]["seconds"] / ours
    rss = results["playbook"]["rss_mb"]
    print(f"speed-up vs csv streaming:   {vs_csv:5.1f}x   (target >= 10x)  {'ok' if vs_csv >= 10 else 'MISSED'}")
    print(f"speed-up vs pandas chunks:   {vs_pandas:5.1f}x   (target >= 5x)   {'ok' if vs_pandas >= 5 else 'MISSED'}")
    print(f"throughput vs DuckDB count:  {vs_duck:5.0%}    (target >= 60%)  {'ok' if vs_duck >= 0.6 else 'MISSED'}")
    print(f"peak RSS of the extract:     {rss:5.0f} MB (target < 1536 MB) {'ok' if rss < 1536 else 'MISSED'}")


if __name__ == "__main__":
    main()
