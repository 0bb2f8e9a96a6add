"""A stand-in for the demo Census Profile, for the survey generator and tests while it is absent.

The demo Census Profile (``data/demo/census/98-401-X2021_demo_eng_CSV.zip``, written by
:mod:`playbook.demo.census`) is the source of area compositions. Where it is not available (a
branch without it, a small test), this module makes an extract of the same shape — real CSD
populations from table 98-10-0002, synthetic group rates — and can write it in the official 2021
layout (:func:`write_profile`), so that the same readers serve both.
"""

from __future__ import annotations

from os import PathLike

import numpy as np
import pandas as pd

from playbook.sources import datasets
from playbook.sources.census.format import UNIQUE_HEADER_2021, write_profile_2021
from playbook.sources.population import read_population_counts

#: Characteristic names (2021 list, with their indentation; note numbers dropped) of the IDs written.
NAMES = {
    1: 'Population, 2021',
    6: 'Population density per square kilometre',
    7: 'Land area in square kilometres',
    8: 'Total - Age groups of the population - 100% data',
    14: '    15 to 19 years',
    15: '    20 to 24 years',
    24: '  65 years and over',
    335: 'Total - LIM low-income status in 2020 for the population in private households - 100% data',
    340: 'In low income based on the Low-income measure, after tax (LIM-AT)',
    383: ('Total - Knowledge of official languages for the total population excluding institutional'
           ' residents - 100% data'),
    387: '  Neither English nor French',
    1402: 'Total - Indigenous identity for the population in private households - 25% sample data',
    1403: '  Indigenous identity',
    1527: ('Total - Immigrant status and period of immigration for the population in private'
            ' households - 25% sample data'),
    1529: '  Immigrants',
    1998: ('Total - Highest certificate, diploma or degree for the population aged 15 years and over'
            ' in private households - 25% sample data'),
    1999: '  No certificate, diploma or degree',
}


def stand_in_extract(seed: int = 2021, *, level: str = "Census subdivision") -> pd.DataFrame:
    """Real CSD populations with synthetic group counts, in the shape of a census extract."""
    rng = np.random.default_rng(seed)
    pop = read_population_counts(datasets.path("population_2021"))
    pop = pop[pop["geo_level"] == level].reset_index(drop=True)
    n = len(pop)
    p = pop["population_2021"].fillna(0).to_numpy(float)
    small = p < 10_000
    noise = lambda sd: np.exp(rng.normal(0, sd, n))  # noqa: E731
    share15 = np.clip(0.84 * noise(0.03), 0.6, 0.95)
    rates = {
        14: 0.055 * noise(0.15), 15: 0.058 * noise(0.15), 24: np.where(small, 0.24, 0.18) * noise(0.2),
        340: np.where(small, 0.12, 0.11) * noise(0.35), 387: np.where(small, 0.004, 0.02) * noise(0.6),
        1403: np.where(small, 0.12, 0.03) * noise(0.9), 1529: np.where(small, 0.05, 0.22) * noise(0.4),
        1999: np.where(small, 0.22, 0.15) * noise(0.25),
    }
    out = pd.DataFrame({"DGUID": pop["DGUID"], "ALT_GEO_CODE": pop["code"], "GEO_LEVEL": level,
                        "GEO_NAME": pop["name"]})
    counts = {1: p, 6: pop["density_km2"].to_numpy(float), 7: pop["land_area_km2"].to_numpy(float), 8: p,
              335: p, 383: p, 1402: p, 1527: p, 1998: np.round(p * share15)}
    for cid, rate in rates.items():
        base = counts[1998] if cid == 1999 else p
        counts[cid] = np.round(base * np.clip(rate, 0, 0.95))
    for cid in sorted(NAMES):
        out[f"c{cid}"] = counts[cid]
    tiny = p < 40  # suppressed like the official files
    out.loc[tiny, [f"c{c}" for c in NAMES if c not in (1, 6, 7)]] = np.nan
    return out


def write_profile(extract: pd.DataFrame, path: str | PathLike) -> None:
    """Write an extract (``c<ID>`` columns) as an official 2021 Census Profile CSV."""
    ids = sorted(int(c[1:]) for c in extract.columns if c.startswith("c") and c[1:].isdigit())
    long = extract.melt(id_vars=["DGUID", "ALT_GEO_CODE", "GEO_LEVEL", "GEO_NAME"],
                        value_vars=[f"c{i}" for i in ids], var_name="cid", value_name="C1_COUNT_TOTAL")
    long["CHARACTERISTIC_ID"] = long["cid"].str[1:].astype(int)
    long = long.sort_values(["DGUID", "CHARACTERISTIC_ID"], kind="stable")
    long["CHARACTERISTIC_NAME"] = long["CHARACTERISTIC_ID"].map(NAMES)
    long["CENSUS_YEAR"] = 2021
    long["C1_COUNT_TOTAL_SYMBOL"] = np.where(long["C1_COUNT_TOTAL"].isna(), "x", "")
    for col in UNIQUE_HEADER_2021:
        if col not in long:
            long[col] = None
    write_profile_2021(long[UNIQUE_HEADER_2021], path)
