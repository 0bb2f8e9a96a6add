"""Every geography of the demo profile, with its leaves' values summed up (parents = sums of children).

Order (as in the official files): Canada; then each province or territory followed by its census
divisions, each followed by its census subdivisions (each PEI CSD followed by its dissemination
areas); then the CMAs/CAs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from playbook.codes import dguid
from playbook.demo import geography

#: Real columns of table 98-10-0002 carried on every row (summed for CMAs/CAs, split for DAs).
REAL = [
    "population_2021",
    "population_2016",
    "population_change_pct",
    "private_dwellings_2021",
    "occupied_dwellings_2021",
    "land_area_km2",
    "density_km2",
]
ID_COLUMNS = ["DGUID", "ALT_GEO_CODE", "GEO_LEVEL", "GEO_NAME", "pruid", "cduid", "csduid", "dauid", "cmauid"]


def _sum_by(leaf: pd.DataFrame, key: str, columns: list[str]) -> pd.DataFrame:
    return leaf.groupby(key, sort=True)[columns].sum(min_count=1).reset_index()


def geographies(geo: dict, leaf: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """All geographies (identifiers, real values, and the sums of ``columns`` over their leaves)."""
    table = geo["table"].set_index("DGUID")
    csd_real = geo["csd"]
    leaf = leaf.assign(country="01")
    blocks = []
    # Census subdivisions (PEI ones are sums of their DAs).
    csd = _sum_by(leaf, "csduid", columns).merge(
        csd_real[["DGUID", "csduid", "name", "pruid", "cduid", "cmauid"]], on="csduid", how="right"
    )
    csd = csd.assign(GEO_LEVEL="Census subdivision", ALT_GEO_CODE=csd["csduid"], GEO_NAME=csd["name"], rank=3)
    blocks.append(csd)
    das = leaf[leaf["level"] == "Dissemination area"]
    blocks.append(
        das[["DGUID", "dauid", "csduid", "cduid", "pruid", "cmauid", *columns]].assign(
            GEO_LEVEL="Dissemination area", ALT_GEO_CODE=das["dauid"], GEO_NAME=das["dauid"], rank=4
        )
    )
    cd = _sum_by(leaf, "cduid", columns)
    cd = cd.assign(
        DGUID=dguid("Census division", cd["cduid"]),
        pruid=cd["cduid"].str[:2],
        ALT_GEO_CODE=cd["cduid"],
        GEO_LEVEL="Census division",
        rank=2,
    )
    blocks.append(cd)
    pr = _sum_by(leaf, "pruid", columns)
    territory = pr["pruid"].isin(geography.TERRITORIES)
    pr = pr.assign(
        DGUID=dguid("Province", pr["pruid"]),
        ALT_GEO_CODE=pr["pruid"],
        GEO_LEVEL=np.where(territory, "Territory", "Province"),
        rank=1,
    )
    blocks.append(pr)
    canada = _sum_by(leaf, "country", columns).drop(columns="country")
    blocks.append(canada.assign(DGUID=dguid("Country"), ALT_GEO_CODE="01", GEO_LEVEL="Country", rank=0))
    cma = _sum_by(leaf.dropna(subset=["cmauid"]), "cmauid", columns).merge(
        geo["cma"][["cma_dguid", "cmauid", "cma_name", "cma_type"]], on="cmauid"
    )
    cma = cma.assign(
        DGUID=cma["cma_dguid"],
        ALT_GEO_CODE=cma["cmauid"],
        GEO_NAME=cma["cma_name"],
        rank=5,
        GEO_LEVEL=np.where(cma["cma_type"] == "CMA", "Census metropolitan area", "Census agglomeration"),
    )
    blocks.append(cma)
    out = pd.concat(blocks, ignore_index=True)
    names = table["name"].reindex(out["DGUID"]).to_numpy()
    out["GEO_NAME"] = out["GEO_NAME"].where(out["GEO_NAME"].notna(), pd.Series(names, index=out.index))
    out = _real_values(out, geo, leaf, table)
    for col in ("pruid", "cduid", "csduid", "dauid", "cmauid"):
        out[col] = out[col].astype("string")
    key = out[["pruid", "cduid", "csduid", "dauid"]].fillna("")
    hier = out["rank"] < 5
    order = pd.DataFrame(
        {
            "block": (~hier).astype(int),
            "pr": key["pruid"].where(hier, ""),
            "cd": key["cduid"].where(hier, ""),
            "csd": key["csduid"].where(hier, ""),
            "da": key["dauid"].where(hier, ""),
            "code": out["ALT_GEO_CODE"],
        }
    )
    out = out.loc[order.sort_values(["block", "pr", "cd", "csd", "da", "code"]).index].reset_index(drop=True)
    return out[[*ID_COLUMNS, "rank", *REAL, *columns]]


def _real_values(out: pd.DataFrame, geo: dict, leaf: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """Attach the real population, dwellings and land area (official rows; DA splits; CMA sums)."""
    real = table[REAL].reindex(out["DGUID"]).set_axis(out.index)
    das = leaf.set_index("DGUID")
    is_da = out["GEO_LEVEL"] == "Dissemination area"
    for col in ("population_2021", "private_dwellings_2021", "occupied_dwellings_2021", "land_area_km2", "density_km2"):
        real.loc[is_da, col] = das[col].reindex(out.loc[is_da, "DGUID"]).to_numpy()
    is_cma = out["rank"] == 5
    members = (
        geo["csd"]
        .dropna(subset=["cmauid"])
        .groupby("cmauid")[
            ["population_2021", "population_2016", "private_dwellings_2021", "occupied_dwellings_2021", "land_area_km2"]
        ]
        .sum(min_count=1)
    )
    sums = members.reindex(out.loc[is_cma, "cmauid"]).set_axis(out.index[is_cma])
    for col in sums.columns:
        real.loc[is_cma, col] = sums[col]
    real.loc[is_cma, "population_change_pct"] = (100 * (sums["population_2021"] / sums["population_2016"] - 1)).round(1)
    real.loc[is_cma, "density_km2"] = (sums["population_2021"] / sums["land_area_km2"]).round(1)
    real.loc[is_cma, "land_area_km2"] = sums["land_area_km2"].round(2)
    return pd.concat([out.drop(columns=[c for c in REAL if c in out.columns]), real], axis=1)
