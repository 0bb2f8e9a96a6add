"""Boundaries for the maps of the E-Vulnerability Index.

:func:`boundaries` reads an embedded boundary file (a GeoDataFrame with ``DGUID``); the maps
themselves are drawn by the one choropleth, :func:`playbook.geo.maps.choropleth` (values joined on
``DGUID`` with ``values=``, missing areas hatched, highest and lowest area named in the alt text),
with the EVI's options from :func:`map_options`.
"""

from __future__ import annotations

import geopandas as gpd

from playbook.i18n import t
from playbook.sources.boundaries import read_boundaries


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
