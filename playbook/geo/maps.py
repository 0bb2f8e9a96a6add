"""Static maps that meet the figure rules: classed choropleths with points and catchments on top.

:func:`choropleth` colours areas in classes chosen by ``mapclassify`` (quantiles by default) with a
colour-blind-safe sequential palette (:data:`playbook.figures.SEQUENTIAL`, darker = higher), draws a
legend with the class bounds, overlays service points (one marker shape per network) and their
catchment circles, and stamps the title and source line; it can join values on ``DGUID``, hatch the
areas without a value and name the highest and lowest area in its alt text. It returns a :class:`Map`
(the figure contract of :mod:`playbook.figures`), which displays as an accessible figure (alt text
included) in a notebook. Everything is drawn in Statistics Canada
Lambert (EPSG:3347); no web tiles are used, so maps build offline and print well.
"""

from __future__ import annotations

import textwrap

import geopandas as gpd
import mapclassify
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import to_rgba
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from playbook import figures, i18n
from playbook.errors import PlaybookError
from playbook.sources.boundaries import CRS_MAPS

#: Marker shape and colour per overlaid network, in order (Okabe-Ito colours that stand out on cividis).
MARKERS = [("o", figures.PALETTE[3]), ("^", figures.PALETTE[4]), ("s", figures.PALETTE[7]), ("D", figures.PALETTE[2])]
MISSING_COLOUR = "#d9d9d9"


class Map(figures.Figure):
    """A finished map (the figure contract, :class:`playbook.figures.Figure`) that also carries the
    upper bounds of its classes, ``bins``."""

    def __init__(self, fig, alt: str, caption: str | None = None, *, bins: list[float] | None = None) -> None:
        super().__init__(fig, alt, caption)
        self.bins = list(bins or [])


def classify(values: pd.Series, scheme: str = "Quantiles", k: int = 5) -> tuple[np.ndarray, list[float]]:
    """Class of each value (0..k-1; -1 where missing) and the upper bounds, with ``mapclassify``."""
    valid = values.notna().to_numpy()
    if valid.sum() == 0:
        raise PlaybookError("no value to classify", field="values", expected="at least one area with a value")
    k = min(k, int(values[valid].nunique()))  # a small jurisdiction may have fewer areas than classes
    try:
        classifier = mapclassify.classify(values[valid].to_numpy(float), scheme=scheme, k=k)
    except (ValueError, KeyError) as exc:
        raise PlaybookError(f"cannot classify with '{scheme}': {exc}", field="scheme", expected="a mapclassify scheme") from None
    classes = np.full(len(values), -1)
    classes[valid] = classifier.yb
    return classes, [float(b) for b in classifier.bins]


def _to_map_crs(frame) -> gpd.GeoDataFrame:
    if isinstance(frame, gpd.GeoDataFrame):
        return frame.to_crs(CRS_MAPS)
    points = gpd.points_from_xy(frame["lon"], frame["lat"], crs="EPSG:4326")
    return gpd.GeoDataFrame(frame, geometry=points).to_crs(CRS_MAPS)


def _class_labels(bins: list[float], low: float, lang: str | None, decimals: int) -> list[str]:
    edges = [low, *bins]
    return [
        f"{i18n.format_number(a, lang, decimals)} – {i18n.format_number(b, lang, decimals)}"
        for a, b in zip(edges[:-1], edges[1:], strict=True)
    ]


def choropleth(
    areas: gpd.GeoDataFrame,
    column: str,
    *,
    title: str,
    source: str,
    legend_title: str,
    lang: str | None = None,
    values: pd.DataFrame | None = None,
    names: str | None = None,
    place: str | None = None,
    scheme: str = "Quantiles",
    k: int = 5,
    decimals: int = 0,
    hatch_missing: bool = False,
    missing_label: str | None = None,
    points: dict[str, pd.DataFrame] | None = None,
    radius_km: float | None = None,
    background: gpd.GeoDataFrame | None = None,
    alt: str | None = None,
    figsize: tuple[float, float] | None = (8.5, 7.5),
) -> Map:
    """A classed map of ``areas[column]``, drawn in :data:`~playbook.sources.boundaries.CRS_MAPS`, with
    optional point networks (``{label: DataFrame with lat, lon}``), catchment circles of ``radius_km``
    around the first network, and ``background`` outlines. Returns a :class:`Map`.

    ``values``: a table with ``DGUID`` and ``column`` (and ``names``) joined to ``areas`` on ``DGUID``
    (areas without a row have no value). Areas without a value are grey (and hatched with
    ``hatch_missing``) and listed in the legend as ``missing_label`` (default "No data"). The legend
    gives the class bounds. ``alt`` defaults to a description of the classes and networks; with
    ``names`` (a column naming the areas) and ``place``, it names the highest and lowest area.
    ``figsize=None`` fits the figure's height to the areas' shape.
    """
    lang = i18n.language(lang)
    if values is not None:
        keep = list(dict.fromkeys(["DGUID", column, *([names] if names else [])]))
        areas = areas.drop(columns=[c for c in keep if c != "DGUID" and c in areas.columns])
        areas = areas.merge(values[keep], on="DGUID", how="left")
    shapes = _to_map_crs(areas)
    classes, bins = classify(shapes[column], scheme, k)
    k = len(bins)
    colours = plt.get_cmap(f"{figures.SEQUENTIAL}_r")(np.linspace(0.1, 0.95, k))
    if figsize is None:
        x0, y0, x1, y1 = shapes.total_bounds
        figsize = (9.0, float(np.clip(7.5 * (y1 - y0) / max(x1 - x0, 1e-9), 3.0, 7.0)) + 1.6)
    fig, ax = plt.subplots(figsize=figsize)
    if background is not None:
        _to_map_crs(background).plot(ax=ax, facecolor="none", edgecolor="#777777", linewidth=0.4)
    fill = np.array([colours[c] if c >= 0 else to_rgba(MISSING_COLOUR) for c in classes])
    shapes.plot(ax=ax, color=fill, edgecolor="white", linewidth=0.1)
    hatch = "///" if hatch_missing else None
    if hatch and (classes < 0).any():
        shapes[classes < 0].plot(ax=ax, facecolor="none", edgecolor="#777777", hatch=hatch, linewidth=0.3)
    handles = [
        Patch(facecolor=colours[i], label=label)
        for i, label in enumerate(_class_labels(bins, float(shapes[column].min()), lang, decimals))
    ]
    if (classes < 0).any():
        handles.append(Patch(facecolor=MISSING_COLOUR, edgecolor="#777777" if hatch else None, hatch=hatch,
                             label=missing_label or i18n.t("maps_no_data", lang)))
    described = []
    for n, (label, frame) in enumerate((points or {}).items()):
        marker, colour = MARKERS[n % len(MARKERS)]
        located = _to_map_crs(frame.dropna(subset=["lat", "lon"]))
        if n == 0 and radius_km:
            circles = gpd.GeoSeries(located.geometry.buffer(radius_km * 1000), crs=CRS_MAPS)
            # outlines only: a fill would blend with the area colours where catchments overlap
            circles.plot(ax=ax, facecolor="none", edgecolor=colour, linewidth=0.9, linestyle="--")
            handles.append(
                Patch(
                    facecolor="none",
                    linestyle="--",
                    edgecolor=colour,
                    label=i18n.t("maps_catchment", lang, radius=i18n.format_number(radius_km, lang)),
                )
            )
        ax.scatter(
            located.geometry.x,
            located.geometry.y,
            s=14 if len(located) > 50 else 45,
            marker=marker,
            color=colour,
            edgecolor="white",
            linewidth=0.4,
            zorder=3,
        )
        handles.append(
            Line2D(
                [],
                [],
                marker=marker,
                linestyle="",
                color=colour,
                markeredgecolor="white",
                label=f"{label} ({i18n.format_number(len(located), lang)})",
            )
        )
        described.append(f"{i18n.format_number(len(located), lang)} {label}")
    ax.legend(
        handles=handles,
        title="\n".join(textwrap.wrap(legend_title, 30)),
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        fontsize=7,
        title_fontsize=8,
        frameon=False,
    )
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_ylabel("")
    ax.set_aspect("equal")
    figures.finish(fig, title=title, source=source, xlabel=i18n.t("maps_projection", lang), ax=ax)
    if alt is None and names and place:
        alt = _named_alt(shapes, column, names, place, legend_title, scheme, k, decimals, int((classes < 0).sum()), lang)
    if alt is None:
        alt = i18n.t(
            "maps_alt",
            lang,
            n=i18n.format_number(len(shapes), lang),
            what=legend_title,
            k=k,
            low=i18n.format_number(float(shapes[column].min()), lang, decimals),
            high=i18n.format_number(float(shapes[column].max()), lang, decimals),
        )
        if described:
            alt += " " + i18n.t("maps_alt_points", lang, points=", ".join(described))
    return Map(fig, alt, bins=bins)


def _named_alt(shapes, column, names, place, what, scheme, k, decimals, missing, lang) -> str:
    """Alt text naming the areas with the highest and the lowest value."""
    known = shapes[shapes[column].notna()].sort_values(column)
    try:
        scheme_label = i18n.t(f"maps_scheme_{scheme.lower()}", lang)
    except PlaybookError:  # a mapclassify scheme without a label of its own
        scheme_label = scheme
    return i18n.t(
        "maps_alt_named",
        lang,
        what=what,
        place=place,
        n=len(shapes),
        k=k,
        scheme=scheme_label,
        high=known[names].iloc[-1],
        high_value=i18n.format_number(known[column].iloc[-1], lang, decimals),
        low=known[names].iloc[0],
        low_value=i18n.format_number(known[column].iloc[0], lang, decimals),
        missing=missing,
    )
