"""Boundaries for the maps of the E-Vulnerability Index.

:func:`boundaries` reads an embedded boundary file (a GeoDataFrame with ``DGUID``); the maps
themselves are drawn by the one choropleth, :func:`playbook.geo.maps.choropleth` (values joined on
``DGUID`` with ``values=``, missing areas hatched, highest and lowest area named in the alt text),
with the EVI's options from :func:`map_options`.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from playbook.codes import province_name
from playbook.i18n import t
from playbook.sources.boundaries import read_boundaries, read_boundary_zip

#: The embedded dissemination-area boundaries cover Prince Edward Island only.
EMBEDDED_DA = ("11", "boundaries_pei_da_2021")
#: Simplification of official boundary files for the web (metres, in Statistics Canada Lambert).
SIMPLIFY_M = 50.0


@dataclass(frozen=True)
class Detail:
    """The dissemination areas of one province, ready to map: values, shapes and the place's name."""

    values: pd.DataFrame
    shapes: gpd.GeoDataFrame
    province: str
    place: str


def map_options(lang: str | None = None) -> dict:
    """The EVI maps' options for :func:`playbook.geo.maps.choropleth`: one decimal, areas without a
    value hatched and labelled "Suppressed or no score", the figure's height fitted to the areas."""
    return {"lang": lang, "decimals": 1, "hatch_missing": True, "missing_label": t("evi_map_missing", lang),
            "figsize": None}


def boundaries(name: str) -> gpd.GeoDataFrame:
    """The boundary file ``name`` from the registry (``boundaries_provinces_2021``,
    ``boundaries_pei_da_2021``...), with ``DGUID`` as text."""
    frame = read_boundaries(name)  # Statistics Canada Lambert, the projection of every map
    frame["DGUID"] = frame["DGUID"].astype(str)
    return frame


def detail(data: pd.DataFrame, manifest=None, *, province: str | None = None, lang: str | None = None) -> Detail | None:
    """The dissemination areas of one province with their boundaries, or None when the data have
    no dissemination area (a CSD-only analysis) or no boundaries cover them.

    Boundaries come from the manifest's official DA boundary file (simplified for the web) when it
    names one, else from the embedded file (Prince Edward Island only). ``province``: the province
    to map (default: Prince Edward Island when present, else the one with most DAs)."""
    from playbook.evi.inputs import LEVELS
    from playbook.sources import manifest as manifests

    m = manifests.current(manifest)
    da = data[data["GEO_LEVEL"] == LEVELS["da"]]
    if da.empty:
        return None
    official = m.input("boundaries.da")
    present = da["pruid"].astype("string")
    if province is None:
        province = EMBEDDED_DA[0] if (present == EMBEDDED_DA[0]).any() else str(present.value_counts().index[0])
    if official is None and province != EMBEDDED_DA[0]:
        return None
    values = da[(present == province).to_numpy()].reset_index(drop=True)
    if values.empty:
        return None
    if official is not None:
        shapes = read_boundary_zip(official.path, simplify_m=SIMPLIFY_M)
        shapes = shapes[shapes["DGUID"].astype(str).isin(set(values["DGUID"].astype(str)))]
        shapes["DGUID"] = shapes["DGUID"].astype(str)
    else:
        shapes = boundaries(EMBEDDED_DA[1])
    return Detail(values=values, shapes=shapes.reset_index(drop=True), province=province,
                  place=province_name(province, lang))
