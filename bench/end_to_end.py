"""Official-layout DA files through the analysis manifest to index results, against a DuckDB scan.

Generates the six regional dissemination-area files of the 2021 Census Profile (98-401-X2021006:
Atlantic, Quebec, Ontario, Prairies, BC, Territories) in the exact official layout — 23 columns, six
``SYMBOL``, quoted text, CRLF, Latin-1 (as published); each file holds Canada, its provinces, census divisions,
census subdivisions (real DGUIDs and names) and dissemination areas (made up: about one per 640
people, at least one per populated CSD, numbered within their census division) — plus an area file
(``DGUID`` + the spec's ``pct_*`` columns for every CSD and DA) and a ``manifest.yml`` naming them.
The data files are the CSVs the official zips hold (DuckDB cannot read inside a zip; the census
reader reads both). Then, each in its own process, with its wall time and peak RSS (VmHWM):

* ``pipeline`` — the thing measured: ``manifest.load`` -> ``evi.analysis_spec`` ->
  ``evi.read_inputs(manifest=...)`` (the census extract, from a fresh cache so every byte is read,
  and the area file) -> ``evi.indicator_data`` -> per level ``evi.compare.build`` and the published
  table (``evi.results.published``: disclosure control);
* ``duckdb`` — the baseline: a bare DuckDB ``SELECT count(*) FROM read_csv([...])`` scan of the
  same six files (target: the pipeline within 1.5x of it; peak RSS < 2 GB).

Size: every geography carries the spec's characteristics (real ids and names) plus filler
characteristics (real ids and names, spread over 1..2631) up to ``--gb`` in all; the official files
carry all 2,631 characteristics of the 2021 profile, about 24 GB for the 57,936 DAs, which
``--gb 24`` approaches when the disk allows (the script refuses to fill the disk).

    nice python bench/end_to_end.py --quick              # ~5,000 DAs, 1 GB: a few minutes
    nice python bench/end_to_end.py [--das 57936] [--gb 1.0] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from census_extract import _peak_rss_mb  # noqa: E402  (bench/ is on the path: the scripts run from it)

from playbook.codes import dguid  # noqa: E402
from playbook.demo.census import characteristic_names  # noqa: E402
from playbook.demo.geography import population_table  # noqa: E402
from playbook.demo.standin import REGIONS  # noqa: E402
from playbook.indicators import POPULATION_ID, area_columns, indicator_table  # noqa: E402
from playbook.sources.census.format import HEADER_2021  # noqa: E402

ALL_DAS = 57_936
QUICK_DAS = 5_000
#: Characteristics of the 2021 Census Profile (ids 1..2631).
PROFILE_CHARACTERISTICS = 2631
ROW_BYTES = 150  # about, for sizing (measured on the generated files)
CHUNK_ROWS = 400_000


# --- geography ---------------------------------------------------------------------------------------


def geographies(n_das: int) -> pd.DataFrame:
    """Canada, provinces, CDs, CSDs (real) and ``n_das`` made-up DAs in the official order (Canada;
    each province, its CDs, each CD's CSDs, each CSD followed by its DAs), with ``region``."""
    table = population_table()
    csd = table[table["geo_level"] == "Census subdivision"].copy()
    pop = csd["population_2021"].fillna(0).to_numpy(dtype=float)
    populated = pop > 0
    count = np.zeros(len(csd), dtype=int)
    if n_das < populated.sum():  # fewer DAs than populated CSDs: one each for the most populous
        count[np.argsort(-pop)[:n_das]] = 1
    else:
        count[populated] = 1
        ideal = (n_das - populated.sum()) * pop / pop.sum()
        count += np.floor(ideal).astype(int)
        rest = n_das - count.sum()
        count[np.argsort(-(ideal - np.floor(ideal)))[:rest]] += 1
    csd["das"] = count
    csd = csd[csd["das"] > 0]
    das = csd.loc[csd.index.repeat(csd["das"])].reset_index(drop=True)
    number = das.groupby("cduid").cumcount() + 1
    dauid = das["cduid"].astype(str) + number.astype(str).str.zfill(4)
    das = pd.DataFrame({"DGUID": dguid("Dissemination area", dauid), "code": dauid, "name": dauid,
                        "geo_level": "Dissemination area", "pruid": das["pruid"], "cduid": das["cduid"],
                        "csduid": das["code"], "population_2021": np.round(das["population_2021"] / das["das"]),
                        "density_km2": das["density_km2"]})
    kept_cd = set(csd["cduid"])
    cds = table[(table["geo_level"] == "Census division") & table["code"].isin(kept_cd)]
    prs = table[table["geo_level"].isin(["Province", "Territory"]) & table["code"].isin(set(csd["pruid"]))]
    parts = [
        prs.assign(k_pr=prs["code"], k_cd="", k_csd="", k_da=""),
        cds.assign(k_pr=cds["pruid"], k_cd=cds["code"], k_csd="", k_da=""),
        csd.assign(k_pr=csd["pruid"], k_cd=csd["cduid"], k_csd=csd["code"], k_da=""),
        das.assign(k_pr=das["pruid"], k_cd=das["cduid"], k_csd=das["csduid"], k_da=das["code"]),
    ]
    out = pd.concat(parts, ignore_index=True).sort_values(["k_pr", "k_cd", "k_csd", "k_da"], kind="stable")
    region = {p: r for r, (_, _, provinces) in REGIONS.items() for p in provinces}
    out["region"] = out["k_pr"].map(region)
    columns = ["DGUID", "code", "name", "geo_level", "pruid", "population_2021", "density_km2", "region"]
    return out[columns].reset_index(drop=True)


def canada() -> pd.DataFrame:
    table = population_table()
    return table[table["geo_level"] == "Country"].assign(region="")[
        ["DGUID", "code", "name", "geo_level", "pruid", "population_2021", "density_km2", "region"]]


# --- characteristics and values ----------------------------------------------------------------------


def characteristics(n_per_geo: int) -> tuple[np.ndarray, dict]:
    """The characteristic ids written for every geography (the spec's, plus fillers spread over the
    profile) and the spec's census sources (denominator -> numerators, values)."""
    table = indicator_table(None)
    census = table[table["source_kind"] == "census"]["source"].tolist()
    values = {int(v) for v in table.loc[table["source_kind"] == "census_value", "source"]}
    pairs = [(int(s["denominator"]), [int(n) for n in s["numerator"]]) for s in census]
    needed = {POPULATION_ID, *values, *(d for d, _ in pairs), *(n for _, ns in pairs for n in ns)}
    fillers = np.setdiff1d(np.unique(np.linspace(1, PROFILE_CHARACTERISTICS, max(n_per_geo - len(needed), 0) + 2)
                                     .round().astype(int)), sorted(needed))
    ids = np.union1d(sorted(needed), fillers[: max(n_per_geo - len(needed), 0)])
    return ids, {"pairs": pairs, "values": values}


def _tenths(t: np.ndarray) -> np.ndarray:
    whole = (t // 10).astype(str).astype(object)
    frac = (t % 10).astype(str).astype(object)
    return np.where(t % 10 == 0, whole, whole + "." + frac)


def lines(geos: pd.DataFrame, ids: np.ndarray, roles: dict, names: pd.Series, rng: np.random.Generator) -> list[str]:
    """The official lines of ``geos`` x ``ids`` (vectorised over the whole block)."""
    g, k = len(geos), len(ids)
    pop = geos["population_2021"].fillna(0).to_numpy(dtype=float)
    c1 = rng.integers(0, 5000, (g, k)).astype(np.int64)
    col = {int(c): i for i, c in enumerate(ids)}
    c1[:, col[POPULATION_ID]] = pop
    for denominator, numerators in roles["pairs"]:
        d = np.round(pop * (1.0 if denominator == 8 else rng.uniform(0.8, 1.0, g)))
        c1[:, col[denominator]] = d
        for n in numerators:
            c1[:, col[n]] = np.round(d * rng.uniform(0.0, 0.35 / len(numerators), g))
    tenths_cols = np.zeros(k, dtype=bool)
    for v in roles["values"]:
        c1[:, col[v]] = rng.integers(1, 50_000, g)
        tenths_cols[col[v]] = True
    c1 = c1.ravel()
    counts = np.where(np.tile(tenths_cols, g), _tenths(c1), c1.astype(str).astype(object))
    men = (c1 // 2).astype(str).astype(object)
    rates = _tenths(rng.integers(0, 1000, g * k))
    values = counts + ',"",' + men + ',"",' + men + ',"",' + rates + ',"",' + rates + ',"",' + rates + ',""'
    suppressed = (rng.random(g * k) < 0.01) & ~np.tile(np.isin(ids, [POPULATION_ID]), g)
    values = np.where(suppressed, ',"x",,"x",,"x",,"x",,"x",,"x"', values)
    quoted = geos["name"].astype(str).str.replace('"', '""', regex=False)
    prefix = ('2021,"' + geos["DGUID"].astype(str) + '","' + geos["code"].astype(str) + '","' + geos["geo_level"]
              + '","' + quoted + '",3.1,4.3,"00000",').to_numpy(dtype=object)
    mid = (pd.Series(ids).astype(str) + ',"' + names.reindex(ids).fillna("Characteristic").to_numpy() + '",,').to_numpy(
        dtype=object)
    return (np.repeat(prefix, k) + np.tile(mid, g) + values).tolist()


def write_region(path: Path, first: list[str], geos: pd.DataFrame, ids: np.ndarray, roles: dict, names: pd.Series,
                 seed: int) -> None:
    """One regional file: the header, the lines ``first`` (Canada: the same in every file) and ``geos``."""
    per_chunk = max(1, CHUNK_ROWS // len(ids))
    with open(path, "w", encoding="latin-1", errors="replace", newline="") as fh:
        fh.write("\r\n".join([",".join(HEADER_2021), *first]) + "\r\n")
        for n, start in enumerate(range(0, len(geos), per_chunk)):
            block = geos.iloc[start:start + per_chunk]
            fh.write("\r\n".join(lines(block, ids, roles, names, np.random.default_rng([seed, n]))) + "\r\n")


def area_file(path: Path, geos: pd.DataFrame, seed: int) -> None:
    rng = np.random.default_rng([seed, 99])
    rows = geos[geos["geo_level"].isin(["Census subdivision", "Dissemination area"])]
    frame = pd.DataFrame({"DGUID": rows["DGUID"].to_numpy(), "GEO_LEVEL": rows["geo_level"].to_numpy()})
    for column in area_columns(None):
        frame[column] = rng.uniform(2, 80, len(frame)).round(1)
    frame.to_csv(path, index=False)


def generate(folder: Path, n_das: int, gb: float, seed: int = 2021) -> dict:
    """Write the six regional files, the area file and the manifest; return what was written."""
    geos = geographies(n_das)
    n_geo = len(geos) + 6  # Canada in each file
    per_geo = int(min(PROFILE_CHARACTERISTICS, max(1, gb * 1e9 / (n_geo * ROW_BYTES))))
    ids, roles = characteristics(per_geo)
    names = characteristic_names()["name"].str.replace('"', '""', regex=False)
    country = lines(canada(), ids, roles, names, np.random.default_rng([seed, 0]))
    files = []
    for n, (region, (_, suffix, _)) in enumerate(REGIONS.items(), start=1):
        path = folder / f"98-401-X2021006_English_CSV_data_{suffix}.csv"
        write_region(path, country, geos[geos["region"] == region], ids, roles, names, seed + n)
        files.append(path)
    area_file(folder / "area_indicators.csv", geos, seed)
    manifest = {"census": {"profile": [p.name for p in files]}, "area_file": "area_indicators.csv",
                "index": {"levels": ["csd", "da"]}}
    (folder / "manifest.yml").write_text(yaml.safe_dump(manifest), encoding="utf-8")
    return {"files": files, "das": int((geos["geo_level"] == "Dissemination area").sum()),
            "csds": int((geos["geo_level"] == "Census subdivision").sum()), "characteristics": len(ids)}


# --- the methods, each in a child process --------------------------------------------------------------


def run_pipeline(folder: str) -> dict:
    from playbook import evi
    from playbook.sources import census
    from playbook.sources import manifest as manifests

    cache = tempfile.mkdtemp(prefix="end-to-end-cache-")
    census.cache_dir = lambda: Path(cache)  # a fresh cache: the extract reads every byte, as a first run does
    try:
        m = manifests.load(Path(folder) / "manifest.yml")
        spec = evi.analysis_spec(None, m)
        data = evi.indicator_data(evi.read_inputs(spec, manifest=m), spec)
        scored = {}
        for level in evi.levels(data):
            units = evi.at_level(data, level)
            result = evi.compare.build(spec, units)
            table = evi.results.published(result, units, spec=spec, lang="en")
            scored[level] = int(table.iloc[:, 0].notna().sum())
        return {"rows": scored}
    finally:
        shutil.rmtree(cache, ignore_errors=True)


def run_duckdb(folder: str) -> dict:
    import duckdb

    files = sorted(str(p) for p in Path(folder).glob("98-401-X2021006_English_CSV_data_*.csv"))
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(23)) + "}"
    sql = (f"SELECT count(*) FROM read_csv({files!r}, columns={columns}, header=true, delim=',', quote='\"', "
           "escape='\"', encoding='latin-1', auto_detect=false, strict_mode=true, all_varchar=true)")
    return {"rows": int(duckdb.sql(sql).fetchall()[0][0])}


METHODS = {"pipeline": run_pipeline, "duckdb": run_duckdb}


def child(method: str, folder: str) -> None:
    start = time.perf_counter()
    result = METHODS[method](folder)
    print(json.dumps({"method": method, "seconds": time.perf_counter() - start, "rss_mb": _peak_rss_mb(), **result}))


def measure(method: str, folder: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", method, str(folder)], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    if out.returncode:
        raise SystemExit(f"{method} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--das", type=int, default=ALL_DAS, help=f"dissemination areas (default: all {ALL_DAS:,})")
    p.add_argument("--quick", action="store_true", help=f"{QUICK_DAS:,} dissemination areas, to try it")
    p.add_argument("--gb", type=float, default=1.0, help="total size of the six files, GB (official: about 24)")
    p.add_argument("--keep", type=Path, metavar="DIR", help="write the files in DIR and keep them (reused if there)")
    p.add_argument("--child", nargs=2, metavar=("METHOD", "FOLDER"), help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        child(*args.child)
        return
    n_das = QUICK_DAS if args.quick else args.das
    with tempfile.TemporaryDirectory(prefix="end-to-end-bench-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        free = shutil.disk_usage(folder).free / 1e9
        if args.gb > free - 5:
            raise SystemExit(f"--gb {args.gb} would leave under 5 GB free on {folder} ({free:.0f} GB free)")
        t = time.perf_counter()
        if args.keep and (folder / "manifest.yml").exists():
            info = {"files": sorted(folder.glob("98-401-X2021006_English_CSV_data_*.csv")), "das": "?", "csds": "?",
                    "characteristics": "?"}
        else:
            info = generate(folder, n_das, args.gb)
        size = sum(p.stat().st_size for p in info["files"])
        print(f"generated {size / 1e9:.2f} GB in six regional files ({info['das']:,} DAs, {info['csds']:,} CSDs, "
              f"{info['characteristics']} characteristics per geography) in {time.perf_counter() - t:.0f} s")
        results = {m: measure(m, folder) for m in ("duckdb", "pipeline")}
    for m, r in results.items():
        print(f"  {m:<9} {r['seconds']:7.2f} s  {size / 1e6 / r['seconds']:6.0f} MB/s  peak RSS {r['rss_mb']:6.0f} MB  "
              f"rows {r['rows']}")
    ratio = results["pipeline"]["seconds"] / results["duckdb"]["seconds"]
    rss = results["pipeline"]["rss_mb"]
    print(f"pipeline / DuckDB count(*) scan: {ratio:4.2f}x  (target <= 1.5x)  {'ok' if ratio <= 1.5 else 'MISSED'}")
    print(f"peak RSS of the pipeline:        {rss:5.0f} MB (target < 2048 MB) {'ok' if rss < 2048 else 'MISSED'}")


if __name__ == "__main__":
    main()
