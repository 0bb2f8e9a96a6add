"""One location per census subdivision, for placing areas and service points known only by their CSD.

The embedded boundaries cover CSDs in eight provinces and territories only, so each of the 5,161
2021 CSDs gets the best location available, in this order (column ``placement``):

0. ``population_weighted`` — the population-weighted centroid of its dissemination areas, where
   their populations and boundaries are embedded (Prince Edward Island, with the demo census profile);
1. ``csd_centroid`` — the centroid of its boundary (AB, MB, NB, NT, NS, PE, SK, YT);
2. ``library_mean`` — the mean location of the ODCAF libraries and archives in that CSD (a point in
   the settled part of the CSD: good for towns, rough for large rural CSDs);
3. ``cd_centroid`` — the centroid of its census division (national boundaries): the documented
   fallback, coarse in large northern divisions.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from playbook.geo.catchments.analysis import population_weighted_centroids
from playbook.sources import datasets
from playbook.sources.boundaries import centroids, read_boundaries
from playbook.sources.census import extract
from playbook.sources.population import census_subdivisions
from playbook.sources.service_canada import read_service_canada_list
from playbook.sources.servicepoints import read_burolis_list, read_odcaf_libraries

PLACEMENTS = ("population_weighted", "csd_centroid", "library_mean", "cd_centroid")
#: Registry names of the inputs of the population-weighted centroids (Prince Edward Island).
DA_INPUTS = ("demo_census_profile_2021", "pei_da_2021")


def pei_dissemination_areas(profile=None, da_csd=None) -> pd.DataFrame:
    """PEI dissemination areas: ``id`` (DGUID), ``csduid``, ``population``, ``land_area_km2``, ``lat``,
    ``lon`` (boundary centroid). Populations come from the demo census profile (``profile``; the DA
    split of CSD populations is synthetic there) and the DA -> CSD link from ``da_csd``; both default
    to the registry and the result is empty when they are not embedded."""
    if profile is None or da_csd is None:
        if not set(DA_INPUTS) <= set(datasets.registry()):
            return pd.DataFrame(columns=["id", "csduid", "population", "land_area_km2", "lat", "lon"])
        profile, da_csd = (profile or datasets.path(DA_INPUTS[0])), (da_csd or datasets.path(DA_INPUTS[1]))
    counts = extract(profile, [1, 7], level="Dissemination area")
    link = pd.read_csv(da_csd, dtype=str)[["DGUID", "CSDUID"]]
    where = centroids(read_boundaries("boundaries_pei_da_2021", crs=None))
    out = where.merge(link, on="DGUID").merge(counts[["DGUID", "c1", "c7"]], on="DGUID", how="left")
    return out.rename(columns={"DGUID": "id", "CSDUID": "csduid", "c1": "population", "c7": "land_area_km2"})[
        ["id", "csduid", "population", "land_area_km2", "lat", "lon"]
    ]


@cache
def _csd_locations() -> pd.DataFrame:
    csd = census_subdivisions()
    by_boundary = centroids(read_boundaries("boundaries_csd_2021", crs=None)).set_index("DGUID")
    libraries = read_odcaf_libraries()
    by_library = libraries.groupby("csduid")[["lat", "lon"]].mean()
    cd = centroids(read_boundaries("boundaries_cd_2021", crs=None))
    by_cd = cd.assign(cduid=cd["DGUID"].str[-4:]).set_index("cduid")[["lat", "lon"]]
    das = pei_dissemination_areas()
    weighted = population_weighted_centroids(das.dropna(subset=["population"]), by="csduid").set_index("csduid")
    out = csd.copy()
    out["placement"] = np.select(
        [csd["csduid"].isin(weighted.index), csd["DGUID"].isin(by_boundary.index), csd["csduid"].isin(by_library.index)],
        PLACEMENTS[:3],
        PLACEMENTS[3],
    )
    for axis in ("lat", "lon"):
        candidates = [
            csd["csduid"].map(weighted[axis]),
            csd["DGUID"].map(by_boundary[axis]),
            csd["csduid"].map(by_library[axis]),
            csd["csduid"].str[:4].map(by_cd[axis]),
        ]
        out[axis] = pd.concat([c.astype("float64") for c in candidates], axis=1).bfill(axis=1).iloc[:, 0]
    return out


def csd_locations() -> pd.DataFrame:
    """Every 2021 CSD: ``DGUID, csduid, name, pruid, population, placement, lat, lon``."""
    return _csd_locations().copy()


def place_at_csd(points: pd.DataFrame) -> pd.DataFrame:
    """Fill missing ``lat``/``lon`` of points from their ``csduid``; add ``placement``.

    ``placement`` is ``"coordinates"`` for points that had them, one of :data:`PLACEMENTS` for points
    placed at their CSD, and empty for points that could not be placed (no or unknown ``csduid``).
    """
    out = points.copy()
    has = out["lat"].notna() & out["lon"].notna() if "lat" in out else pd.Series(False, index=out.index)
    locations = _csd_locations().set_index("csduid")
    code = out["csduid"].astype(str).str.strip() if "csduid" in out else pd.Series("", index=out.index)
    for axis in ("lat", "lon"):
        placed = code.map(locations[axis]).astype("float64")
        out[axis] = out[axis].astype("float64").where(has, placed) if axis in out else placed
    out["placement"] = np.where(has, "coordinates", code.map(locations["placement"]).fillna(""))
    return out


def read_service_canada_points(path=None, addresses=None) -> pd.DataFrame:
    """The Service Canada points of service (:func:`playbook.sources.service_canada.read_service_canada_list`:
    ``id``, ``name_en``, ``type``, ``language``, ``province``, ``town``, ``csduid``, ``match``), placed
    at their census subdivision's location: ``placement``, ``lat``, ``lon`` (:func:`place_at_csd`).

    Unmatched points keep missing coordinates; ``attrs["match_rate"]`` (0-1) and
    ``attrs["matched_by"]`` (counts per method) report the matching.
    """
    listed = read_service_canada_list(path, addresses)
    points = place_at_csd(listed.assign(lat=float("nan"), lon=float("nan")))
    points.attrs = dict(listed.attrs)
    return points


def read_burolis(path) -> pd.DataFrame:
    """A BUROLIS extract (:func:`playbook.sources.servicepoints.read_burolis_list`) with the offices
    that lack coordinates placed at their census subdivision (:func:`place_at_csd`; ``placement``
    says how)."""
    return place_at_csd(read_burolis_list(path))
