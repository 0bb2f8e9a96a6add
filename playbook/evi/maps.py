"""Choropleth maps of the E-Vulnerability Index: classed with mapclassify, colour-blind safe.

:func:`boundaries` reads an embedded boundary file (a GeoDataFrame with ``DGUID``);
:func:`choropleth` joins values to it, classes them (quantiles by default, or any mapclassify
scheme), and draws a map with a legend of class bounds, missing areas hatched, a title, a source
line and alt text. Returns ``(figure, alt text)`` like the other EVI charts.
"""

from __future__ import annotations

import geopandas as gpd
import mapclassify
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.patches import Patch

from playbook import figures, i18n
from playbook.errors import PlaybookError
from playbook.i18n import format_number, t
from playbook.sources import datasets

SCHEMES = ("Quantiles", "EqualInterval", "NaturalBreaks", "FisherJenks")


def boundaries(name: str) -> gpd.GeoDataFrame:
    """The boundary file ``name`` from the registry (``boundaries_provinces_2021``,
    ``boundaries_pei_da_2021``...), with ``DGUID`` as text."""
    try:  # the shared reader (contract C2), when present
        from playbook.sources.boundaries import read_boundaries
    except ImportError:
        frame = gpd.read_file(datasets.path(name))
    else:
        frame = read_boundaries(name, crs="EPSG:4326")  # longitude/latitude, as the maps label their axes
    frame["DGUID"] = frame["DGUID"].astype(str)
    return frame


def classify(values: pd.Series, k: int = 5, scheme: str = "Quantiles") -> tuple[np.ndarray, list[float]]:
    """Class of each value (0 = lowest, -1 = missing) and the classes' upper bounds."""
    if scheme not in SCHEMES:
        raise PlaybookError(f"unknown classification '{scheme}'", field="scheme", expected=" | ".join(SCHEMES))
    known = values.dropna().to_numpy(dtype=float)
    if not len(known):
        raise PlaybookError(
            "no values to map: no area of the data matches the boundaries",
            field="DGUID",
            expected="values for areas of the boundary file",
        )
    k = max(1, min(k, len(np.unique(known))))
    classifier = getattr(mapclassify, scheme)(known, k=k)
    classes = np.full(len(values), -1)
    classes[values.notna().to_numpy()] = classifier.yb
    return classes, [float(b) for b in classifier.bins]


def choropleth(
    shapes: gpd.GeoDataFrame,
    values: pd.DataFrame,
    column: str,
    *,
    title: str,
    source: str,
    legend: str,
    place: str,
    lang: str | None = None,
    k: int = 5,
    scheme: str = "Quantiles",
    names: str | None = None,
    decimals: int = 1,
):
    """A classed map of ``values[column]`` (joined on ``DGUID``) over ``shapes``; returns (fig, alt)."""
    lang = i18n.language(lang)
    merged = shapes.merge(values[["DGUID", column, *([names] if names else [])]], on="DGUID", how="left")
    classes, bounds = classify(merged[column], k, scheme)
    cmap = plt.get_cmap(f"{figures.SEQUENTIAL}_r", max(len(bounds), 2))  # light = low, dark = high
    colours = np.array([cmap(i) for i in range(len(bounds))] + [(0.85, 0.85, 0.85, 1.0)])
    x0, y0, x1, y1 = merged.total_bounds
    stretch = 1 / np.cos(np.deg2rad((y0 + y1) / 2))  # degrees of longitude are shorter than of latitude
    height = float(np.clip(7.5 * (y1 - y0) * stretch / max(x1 - x0, 1e-9), 3.0, 7.0))
    fig, ax = plt.subplots(figsize=(9, height + 1.6))
    merged.plot(ax=ax, color=colours[classes], edgecolor="white", linewidth=0.3)
    if (classes == -1).any():
        merged[classes == -1].plot(ax=ax, facecolor="none", edgecolor="#777777", hatch="///", linewidth=0.3)
    lower = [float(np.nanmin(merged[column]))] + bounds[:-1]
    handles = [
        Patch(color=colours[i], label=f"{format_number(lo, lang, decimals)} – {format_number(hi, lang, decimals)}")
        for i, (lo, hi) in enumerate(zip(lower, bounds, strict=True))
    ]
    if (classes == -1).any():
        handles.append(Patch(facecolor=colours[-1], edgecolor="#777777", hatch="///", label=t("evi_map_missing", lang)))
    ax.legend(handles=handles, title=legend, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, title_fontsize=8)
    ax.set_aspect(stretch)
    ax.grid(False)
    figures.finish(fig, title=title, source=source, xlabel=t("evi_longitude", lang), ylabel=t("evi_latitude", lang))
    known = merged[merged[column].notna()].sort_values(column)
    label = names or "DGUID"
    alt = t(
        "evi_map_alt",
        lang,
        what=legend,
        place=place,
        n=len(merged),
        k=len(bounds),
        scheme=t(f"evi_scheme_{scheme.lower()}", lang),
        high=known[label].iloc[-1],
        high_value=format_number(known[column].iloc[-1], lang, decimals),
        low=known[label].iloc[0],
        low_value=format_number(known[column].iloc[0], lang, decimals),
        missing=int((classes == -1).sum()),
    )
    return fig, alt
