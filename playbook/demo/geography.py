"""The real geography under the demo data: Canada, provinces, census divisions, census subdivisions,
the dissemination areas of Prince Edward Island and the CMAs/CAs.

Everything here is read from the real files embedded in ``data/real/`` (table 98-10-0002, the CMA/CA
list, the PEI DA list). Two things the open files do not give are filled in, and flagged:

* **CMA/CA membership**: a CMA or CA is matched to the census subdivision(s) of the same name in its
  province ("Kitchener - Cambridge - Waterloo" -> three CSDs). Only those are treated as members,
  so a CMA row of the demo profile covers its core municipalities, not its whole delineation.
* **Statistical Area Classification** outside CMAs/CAs (metropolitan influenced zones): synthetic,
  from population density and whether the census division holds a CMA/CA core
  (``sac_synthetic`` is true for every CSD).

Reserves are recognised by name (a number at the end, as in "Capilano 5"), since table 98-10-0002
gives no CSD type: an approximation, flagged in the data dictionary.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from playbook.codes import PROVINCES, TERRITORIES
from playbook.sources import datasets
from playbook.sources.population import read_population_counts

#: Statistical Area Classification types (SACTYPE in the geographic attribute file).
SAC_TYPES = {
    1: "Census metropolitan area",
    2: "Tracted census agglomeration",
    3: "Non-tracted census agglomeration",
    4: "Strong metropolitan influenced zone",
    5: "Moderate metropolitan influenced zone",
    6: "Weak metropolitan influenced zone",
    7: "No metropolitan influenced zone",
    8: "Territories (outside census agglomerations)",
}

#: Remoteness score (0 = metropolitan core, 1 = most remote) given to each SAC type.
SAC_REMOTENESS = {1: 0.0, 2: 0.15, 3: 0.25, 4: 0.4, 5: 0.6, 6: 0.78, 7: 0.92, 8: 0.95}

_RESERVE_NAME = r"\s\d+[A-Z]?(?:-\d*[A-Z]*\d*)?(?:\s\(Part\))?$"


def _fold(names: pd.Series) -> pd.Series:
    """Lower-case, accent-free names for matching ("Montréal" -> "montreal"), vectorised."""
    folded = names.astype("string").str.normalize("NFKD").str.encode("ascii", "ignore").str.decode("ascii")
    return folded.str.lower().str.strip()


def population_table() -> pd.DataFrame:
    """Table 98-10-0002 (real), with ``cduid`` added for census subdivisions."""
    table = read_population_counts(datasets.path("population_2021"))
    table["cduid"] = table["code"].str[:4].where(table["geo_level"].isin(["Census division", "Census subdivision"]))
    return table


def cma_list() -> pd.DataFrame:
    """The 152 CMAs/CAs: ``cma_dguid, cmauid, cma_name, cma_type (CMA|CA), pruid``."""
    raw = pd.read_csv(datasets.path("cma_ca_2021"), dtype=str, encoding="utf-8-sig")
    abbr = pd.Series(PROVINCES.index, index=PROVINCES["abbreviation"])
    return pd.DataFrame(
        {
            "cma_dguid": raw["ID"],
            "cmauid": raw["ID"].str[-3:],
            "cma_name": raw["NAME"],
            "cma_type": raw["TYPE"],
            "pruid": raw["PROVINCE"].map(abbr),
        }
    )


def match_cma_members(csd: pd.DataFrame, cmas: pd.DataFrame) -> pd.DataFrame:
    """CSD -> CMA/CA by name: each part of a CMA/CA name (split on " - ") is matched to the most
    populous CSD of that name in the CMA's province, else to the only CSD of that name in Canada.

    Returns ``csduid, cmauid`` (one CMA per CSD; CSDs without a match are absent).
    """
    parts = cmas.assign(part=cmas["cma_name"].str.split(r"\s+-\s+")).explode("part")
    parts["key"] = _fold(parts["part"])
    names = csd.assign(key=_fold(csd["name"]).str.replace(r"\s*\(part\)$", "", regex=True).str.split(r"\s+/\s+"))
    names = names.explode("key")
    names = pd.concat([names, names.assign(key=names["key"].str.replace(r"\s+county$", "", regex=True))])
    names = names.drop_duplicates(["key", "code"])
    names = names.sort_values(["population_2021", "code"], ascending=[False, True])
    in_province = names.drop_duplicates(["key", "pruid"])
    local = parts.merge(in_province[["key", "pruid", "code"]], on=["key", "pruid"], how="left")
    unique_names = names.drop_duplicates(["key", "pruid"])
    unique_names = unique_names[~unique_names["key"].duplicated(keep=False)][["key", "code"]]
    national = local.loc[local["code"].isna(), ["cmauid", "key"]].merge(unique_names, on="key")
    found = pd.concat([local.dropna(subset=["code"]), national])[["code", "cmauid"]]
    found = found.drop_duplicates("code").rename(columns={"code": "csduid"})
    return found.sort_values("csduid").reset_index(drop=True)


def _sac_types(csd: pd.DataFrame, rng: np.random.Generator) -> pd.Series:
    """Synthetic SAC type for CSDs outside CMAs/CAs: strong/moderate/weak/no metropolitan influence
    from density and whether the census division holds a CMA/CA core; 8 in the territories."""
    density = csd["density_km2"].fillna(0).clip(lower=0.01)
    cd_has_core = csd.groupby("cduid")["cmauid"].transform(lambda s: s.notna().any())
    score = np.log10(density) + 0.9 * cd_has_core.astype(float) + rng.normal(0, 0.5, len(csd))
    cut = np.quantile(score, [0.25, 0.55, 0.85])  # ~15 % strong, 30 % moderate, 30 % weak, 25 % none
    sac = np.select([score >= cut[2], score >= cut[1], score >= cut[0]], [4, 5, 6], default=7)
    sac = np.where(csd["pruid"].isin(TERRITORIES), 8, sac)
    return pd.Series(sac, index=csd.index)


def build(rng: np.random.Generator) -> dict[str, pd.DataFrame]:
    """The demo's real geography: ``{"table": 98-10-0002, "csd": ..., "da": ..., "cma": ...}``.

    ``csd`` has ``DGUID, csduid, name, pruid, cduid, population, land_area, density, dwellings,
    cmauid, cma_type, sac_type, sac_synthetic, reserve, remoteness``; ``da`` has the PEI DAs with
    ``DGUID, dauid, csduid, cduid, pruid, land_area``.
    """
    table = population_table()
    cmas = cma_list()
    csd = table[table["geo_level"] == "Census subdivision"].copy()
    csd = csd.rename(columns={"code": "csduid"})
    members = match_cma_members(csd.rename(columns={"csduid": "code"}), cmas)
    csd = csd.merge(members, on="csduid", how="left").merge(cmas[["cmauid", "cma_type"]], on="cmauid", how="left")
    cma_pop = csd.groupby("cmauid")["population_2021"].transform("sum")
    member_type = np.select(
        [csd["cma_type"].eq("CMA"), csd["cma_type"].eq("CA") & (cma_pop >= 50_000), csd["cma_type"].eq("CA")],
        [1, 2, 3],
        default=0,
    )
    csd["sac_type"] = np.where(member_type > 0, member_type, _sac_types(csd, rng))
    csd["sac_synthetic"] = True
    csd["reserve"] = csd["name"].str.contains(_RESERVE_NAME, regex=True) & ~csd["name"].str.contains(
        r"No\.|, Part \d|Subd\.", regex=True
    )
    csd["remoteness"] = csd["sac_type"].map(SAC_REMOTENESS).to_numpy() + rng.normal(0, 0.05, len(csd))
    csd["remoteness"] = csd["remoteness"].clip(0, 1)
    da = pd.read_csv(datasets.path("pei_da_2021"), dtype={"DAUID": str, "CSDUID": str})
    da = pd.DataFrame(
        {
            "DGUID": da["DGUID"],
            "dauid": da["DAUID"],
            "csduid": da["CSDUID"],
            "cduid": da["DAUID"].str[:4],
            "pruid": da["DAUID"].str[:2],
            "land_area_km2": da["LANDAREA"].astype(float),
        }
    )
    return {"table": table, "csd": csd.reset_index(drop=True), "da": da, "cma": cmas}


def split_population(da: pd.DataFrame, csd: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Share each CSD's real population and dwellings among its DAs (random, gamma-distributed
    weights; integer counts that add up exactly to the CSD's, by largest remainder). Vectorised."""
    out = da.merge(
        csd[["csduid", "population_2021", "private_dwellings_2021", "occupied_dwellings_2021"]], on="csduid", how="left"
    )
    weight = rng.gamma(6.0, 1.0, len(out))
    share = weight / pd.Series(weight).groupby(out["csduid"]).transform("sum").to_numpy()
    for col in ("population_2021", "private_dwellings_2021", "occupied_dwellings_2021"):
        total = out[col].fillna(0).to_numpy()
        exact = share * total
        base = np.floor(exact)
        left = (total - pd.Series(base).groupby(out["csduid"]).transform("sum")).to_numpy()
        rank = pd.Series(exact - base).groupby(out["csduid"]).rank(method="first", ascending=False).to_numpy()
        out[col] = base + (rank <= left)
    out["density_km2"] = (out["population_2021"] / out["land_area_km2"]).round(1)
    return out
