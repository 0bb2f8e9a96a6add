"""One location per census subdivision, for placing areas and service points known only by their CSD.

The embedded boundaries cover CSDs in eight provinces and territories only, so each of the 5,161
2021 CSDs gets the best location available, in this order (column ``placement``):

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

from playbook import datasets
from playbook.sources.boundaries import centroids, read_boundaries
from playbook.sources.population import read_population_counts

PLACEMENTS = ("csd_centroid", "library_mean", "cd_centroid")


@cache
def _csd_locations() -> pd.DataFrame:
    from playbook.sources.servicepoints import read_odcaf_libraries

    counts = read_population_counts(datasets.path("population_2021"))
    csd = counts.loc[counts["geo_level"] == "Census subdivision", ["DGUID", "code", "name", "pruid", "population_2021"]]
    csd = csd.rename(columns={"code": "csduid", "population_2021": "population"}).reset_index(drop=True)
    by_boundary = centroids(read_boundaries("boundaries_csd_2021", crs=None)).set_index("DGUID")
    libraries = read_odcaf_libraries()
    by_library = libraries.groupby("csduid")[["lat", "lon"]].mean()
    cd = centroids(read_boundaries("boundaries_cd_2021", crs=None))
    by_cd = cd.assign(cduid=cd["DGUID"].str[-4:]).set_index("cduid")[["lat", "lon"]]
    out = csd.copy()
    out["placement"] = np.select(
        [csd["DGUID"].isin(by_boundary.index), csd["csduid"].isin(by_library.index)], PLACEMENTS[:2], PLACEMENTS[2]
    )
    for axis in ("lat", "lon"):
        out[axis] = (
            csd["DGUID"]
            .map(by_boundary[axis])
            .astype("float64")
            .fillna(csd["csduid"].map(by_library[axis]).astype("float64"))
            .fillna(csd["csduid"].str[:4].map(by_cd[axis]).astype("float64"))
        )
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
