"""Boundary files: the embedded simplified 2021 boundaries, and Statistics Canada's official zips as published.

- :func:`read_boundaries` reads an embedded boundary file by its registry name
  (``boundaries_provinces_2021``, ``boundaries_cd_2021``, ``boundaries_csd_2021_<ab|mb|nb|nt|ns|pe|sk|yt>``
  or ``boundaries_csd_2021`` for all eight together, ``boundaries_pei_da_2021``).
- :func:`read_boundary_zip` reads an official boundary file straight from its zip
  (``lpr_000b21a_e.zip``, ``lcd_000b21a_e.zip``, ``lcsd000b21a_e.zip``, ``lcma000b21a_e.zip``,
  ``lda_000b21a_e.zip``, the 2016 ``…b16a_e.zip`` equivalents, and the cartographic ``…b21a_e``/``…b21b_e``
  variants), shapefile or GeoPackage inside, no manual unzip. 2016 files carry no DGUID: it is
  built from the code (vintage + schema + code), so both years join on the same key.

Every result is a GeoDataFrame with a ``DGUID`` column, in Statistics Canada Lambert (EPSG:3347,
for maps) unless ``crs`` says otherwise (EPSG:4326 for distances); ``simplify_m`` simplifies the
outlines for maps (tolerance in metres, topology preserved per polygon).
"""

from __future__ import annotations

import re
import zipfile
from os import PathLike
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from playbook.codes import LEVEL_SCHEMAS, dguid
from playbook.errors import PlaybookError
from playbook.sources import datasets

#: Statistics Canada Lambert conformal conic: the projection of the official files, for maps.
CRS_MAPS = "EPSG:3347"
#: WGS84 longitude/latitude: for great-circle distances.
CRS_DEGREES = "EPSG:4326"
#: Provinces and territories that have an embedded CSD boundary file.
CSD_PROVINCES = ("ab", "mb", "nb", "nt", "ns", "pe", "sk", "yt")

#: Official file prefix -> (geographic level, id column, DGUID schema).
OFFICIAL = {
    prefix: (level, column, LEVEL_SCHEMAS[level])
    for prefix, level, column in (
        ("lpr", "Province", "PRUID"),
        ("lcd", "Census division", "CDUID"),
        ("lcsd", "Census subdivision", "CSDUID"),
        ("lcma", "Census metropolitan area", "CMAUID"),
        ("lda", "Dissemination area", "DAUID"),
    )
}
_NAME = re.compile(r"^(lpr|lcd|lcsd|lcma|lda)_?000([ab])(\d\d)([abg])_([ef])", re.IGNORECASE)
_READABLE = (".shp", ".gpkg", ".geojson", ".gml")


def _finish(gdf: gpd.GeoDataFrame, crs: str | None, simplify_m: float | None) -> gpd.GeoDataFrame:
    if simplify_m:
        projected = gdf.to_crs(CRS_MAPS)
        projected["geometry"] = projected.geometry.simplify(simplify_m, preserve_topology=True)
        gdf = projected
    return gdf.to_crs(crs) if crs else gdf


def read_boundaries(name: str, *, crs: str | None = CRS_MAPS, simplify_m: float | None = None) -> gpd.GeoDataFrame:
    """An embedded boundary file by registry name, with its ``DGUID``, in ``crs``.

    ``boundaries_csd_2021`` combines the eight provincial CSD files (AB, MB, NB, NT, NS, PE, SK, YT).
    """
    if name == "boundaries_csd_2021":
        parts = [read_boundaries(f"boundaries_csd_2021_{p}", crs=None) for p in CSD_PROVINCES]
        return _finish(gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=parts[0].crs), crs, simplify_m)
    if not name.startswith("boundaries_"):
        raise PlaybookError(
            f"'{name}' is not a boundary dataset", field="name", expected="a registry name starting with 'boundaries_'"
        )
    path = datasets.path(name)
    gdf = pyogrio.read_dataframe(path)
    if "DGUID" not in gdf.columns:
        raise PlaybookError("no DGUID column", path=path, expected="a DGUID property on every feature")
    return _finish(gdf, crs, simplify_m)


def _member(path: Path, names: list[str]) -> str:
    readable = [n for n in names if n.lower().endswith(_READABLE) and not n.startswith("__MACOSX")]
    if len(readable) != 1:
        raise PlaybookError(
            f"found {len(readable)} readable layers ({', '.join(readable) or 'none'})",
            path=path,
            expected="one .shp (with .dbf, .shx, .prj) or one .gpkg inside the zip",
        )
    return readable[0]


def _dguid(gdf: pd.DataFrame, kind: str | None, vintage: str | None, path: Path) -> pd.Series:
    """Build DGUIDs for files that lack them (2016): vintage + schema + code."""
    if kind is None or vintage is None:
        raise PlaybookError(
            "no DGUID column and the file name does not say the level and year",
            path=path,
            expected="a DGUID column, or an official name such as lcsd000b16a_e.zip",
        )
    level, column, _ = OFFICIAL[kind]
    code = gdf[column].astype(str)
    out = dguid(level, code, year=vintage)
    if kind == "lcma" and "CMATYPE" in gdf:  # B = CMA; D, K = CA
        out = out.where(gdf["CMATYPE"].astype(str).eq("B"), dguid("Census agglomeration", code, year=vintage))
    return out


def read_boundary_zip(
    path: str | PathLike, *, crs: str | None = CRS_MAPS, simplify_m: float | None = None, encoding: str | None = None
) -> gpd.GeoDataFrame:
    """Read an official Statistics Canada boundary file from its zip, as published.

    The level and year are taken from the file name (``lcsd000b21a_e.zip`` → census subdivisions,
    2021); the id column (``PRUID``, ``CDUID``, ``CSDUID``, ``CMAUID``, ``DAUID``) must be present.
    Shapefile attributes are read as Latin-1 unless the zip has a ``.cpg`` (or ``encoding`` is given).
    """
    path = Path(path)
    if not path.is_file():
        raise PlaybookError("boundary file not found", path=path, expected="a .zip downloaded from Statistics Canada")
    if not zipfile.is_zipfile(path):
        raise PlaybookError(
            "not a readable zip file (truncated or corrupt download?)", path=path, expected="a .zip archive"
        )
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
    member = _member(path, names)
    match = _NAME.match(path.name) or _NAME.match(Path(member).name)
    kind = match.group(1).lower() if match else None
    vintage = f"20{match.group(3)}" if match else None
    options = {}
    if member.lower().endswith(".shp") and not any(n.lower().endswith(".cpg") for n in names):
        options["encoding"] = encoding or "latin1"
    elif encoding:
        options["encoding"] = encoding
    try:
        gdf = pyogrio.read_dataframe(f"/vsizip/{path.resolve()}/{member}", **options)
    except Exception as exc:  # GDAL errors have many types; the message is what matters
        raise PlaybookError(
            f"cannot read layer '{member}': {exc}", path=path, expected="a valid shapefile or GeoPackage"
        ) from None
    expected_id = OFFICIAL[kind][1] if kind else None
    if expected_id and expected_id not in gdf.columns:
        raise PlaybookError(
            f"column '{expected_id}' missing (found {', '.join(map(str, gdf.columns[:8]))})",
            path=path,
            field=expected_id,
            expected=f"the official {OFFICIAL[kind][0].lower()} boundary file",
        )
    if gdf.crs is None:
        raise PlaybookError(
            "the layer has no coordinate reference system", path=path, expected="a .prj file (EPSG:3347)"
        )
    if "DGUID" not in gdf.columns:
        gdf["DGUID"] = _dguid(gdf, kind, vintage, path)
    gdf.attrs["level"] = OFFICIAL[kind][0] if kind else None
    return _finish(gdf, crs, simplify_m)


def centroids(gdf: gpd.GeoDataFrame) -> pd.DataFrame:
    """``DGUID, lat, lon`` of each polygon's centroid (computed in EPSG:3347, returned in degrees).

    The centroid of an irregular polygon (a bay, an archipelago) can fall outside it; where it does,
    the polygon's representative point (always inside) is used instead.
    """
    projected = gdf.to_crs(CRS_MAPS)
    centre = projected.geometry.centroid
    inside = centre.within(projected.geometry)
    centre = gpd.GeoSeries(np.where(inside, centre, projected.geometry.representative_point()), crs=CRS_MAPS)
    degrees = centre.to_crs(CRS_DEGREES)
    return pd.DataFrame({"DGUID": gdf["DGUID"].to_numpy(), "lat": degrees.y.to_numpy(), "lon": degrees.x.to_numpy()})
