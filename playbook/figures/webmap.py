"""An offline vector web map: the service-point mapping tool of the site.

:func:`write_map` turns map layers (GeoDataFrames) into one self-contained HTML page and GeoJSON
files. The page draws the layers in the browser with Leaflet (copied from the npm package in
``node_modules``, pinned in ``package-lock.json``, and inlined into the page: no CDN, no map tiles,
no request at view time, and it works opened from disk). The reader can

- colour the areas by the E-Vulnerability Index (census subdivisions; dissemination areas when the
  analysis has them) or by the distance to the nearest point of the networks shown;
- show or hide each service-point network (a checkbox each): the distances, their colours and the
  line "N people live more than R km from any point" follow the networks ticked;
- size the points by the people living within the catchment radius;
- hover over or click an area or a point for its details (score, rank and 5-95 % rank interval,
  distance to each network), or find it by name or code in a search box whose matches are buttons.

Every control is a labelled HTML control reachable with the keyboard; the details and the search
results are announced to screen readers. Labels come from the i18n catalogue (``webmap.yml``) in
the page's language. While the scores are synthetic (``synthetic=True``) the page says so above the
map, and every GeoJSON feature carries the notice.

Inside the page, geometries are simplified (Douglas-Peucker in Statistics Canada Lambert, small
islands dropped, coordinates rounded to 5 decimals) and stored column by column, with polygon rings
in the Encoded Polyline format (precision 5): the page stays around 1 MB for every census
subdivision of Canada and two national networks. The GeoJSON files (RFC 7946, longitude/latitude)
hold the same simplified geometries with full property names.

:func:`embed` shows a written map inside a notebook page (the book's map page,
``notebooks/31-service-point-map.ipynb``); :func:`analysis_layers` assembles the layers of an
analysis from the package (the inputs of the manifest, the index, its uncertainty, the networks and
their catchments).
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from playbook import i18n
from playbook.errors import PlaybookError, check_keys
from playbook.figures.style import PALETTE
from playbook.io import atomic_path
from playbook.paths import ROOT

#: Leaflet's files in node_modules (installed by ``npm ci``), inlined into every map page.
LEAFLET_JS = "leaflet/dist/leaflet.js"
LEAFLET_CSS = "leaflet/dist/leaflet.css"
#: Layers a map may have: the areas by census subdivision (required), by dissemination area, the
#: service points (required) and a background (province outlines).
LAYERS = ("csd", "da", "points", "background")
#: Columns each layer needs (besides its geometry); ``csd`` also takes ``distance_<network>``.
AREA_COLUMNS = ("code", "name", "province", "population", "score", "quintile", "rank")
POINT_COLUMNS = ("network", "code", "name", "population_within")
OPTIONAL_AREA = ("rank_p05", "rank_p95")
OPTIONAL_POINT = ("vulnerable_within",)
#: Simplification per layer: Douglas-Peucker tolerance (m, in EPSG:3347) and the smallest polygon
#: part kept (km²; the largest part of an area is always kept).
SIMPLIFY = {"csd": (2000.0, 1.0), "da": (100.0, 0.01), "background": (5000.0, 50.0)}
PRECISION = 5
CRS_LAMBERT = "EPSG:3347"
#: Markers around the map in the written page; :func:`embed` takes what lies between them.
BEGIN, END = "<!-- playbook-webmap -->", "<!-- /playbook-webmap -->"
STEM = "service_point_map"


# --- geometry ------------------------------------------------------------------------------------


def compact(frame: gpd.GeoDataFrame, tolerance_m: float, min_part_km2: float = 0.0) -> gpd.GeoDataFrame:
    """``frame`` in longitude/latitude with its polygons simplified for the web: Douglas-Peucker at
    ``tolerance_m`` metres (in Statistics Canada Lambert, topology kept per polygon), parts smaller
    than ``min_part_km2`` dropped (an area's largest part always stays), coordinates rounded to
    :data:`PRECISION` decimals. Points are only rounded."""
    if frame.crs is None:
        raise PlaybookError("a map layer has no coordinate reference system", field="crs",
                            expected="a GeoDataFrame with its CRS set (EPSG:4326 or EPSG:3347)")
    projected = frame.to_crs(CRS_LAMBERT)
    geoms = projected.geometry.to_numpy()
    polygonal = np.isin(shapely.get_type_id(geoms), (3, 6))  # Polygon, MultiPolygon
    if polygonal.any():
        simple = shapely.simplify(geoms[polygonal], tolerance_m, preserve_topology=True)
        parts, owner = shapely.get_parts(simple, return_index=True)
        area = shapely.area(parts) / 1e6
        largest = pd.Series(area).groupby(owner).transform("max").to_numpy()
        keep = (area >= min_part_km2) | (area >= largest)
        geoms = geoms.copy()
        geoms[polygonal] = shapely.multipolygons(parts[keep], indices=owner[keep])
    out = gpd.GeoDataFrame(projected.drop(columns=projected.geometry.name), geometry=geoms, crs=CRS_LAMBERT)
    out = out.to_crs("EPSG:4326")
    out.geometry = shapely.transform(out.geometry.to_numpy(), lambda xy: np.round(xy, PRECISION))
    return out.reset_index(drop=True)


def _polyline(values: np.ndarray, starts: np.ndarray) -> tuple[str, np.ndarray]:
    """Encoded Polyline text of ``values`` (N x 2 integers, latitude and longitude times 10^5),
    each run beginning where ``starts`` is True encoded on its own; and the characters per row."""
    prev = np.vstack([np.zeros((1, 2), dtype=np.int64), values[:-1]])
    prev[starts] = 0
    delta = (values - prev).ravel()
    zigzag = (delta << 1) ^ (delta >> 63)
    k = np.arange(7)
    chunks = (zigzag[:, None] >> (5 * k)) & 31
    count = 1 + (zigzag[:, None] >= (np.int64(1) << (5 * k[1:]))).sum(axis=1)
    more = k[None, :] < (count[:, None] - 1)
    codes = (chunks | (more.astype(np.int64) << 5)) + 63
    text = codes[k[None, :] < count[:, None]].astype(np.uint8).tobytes().decode("ascii")
    return text, count.reshape(-1, 2).sum(axis=1)


def encode_geometries(geoms: np.ndarray) -> list:
    """Each geometry (longitude/latitude) as the page stores it: a point as ``[lat, lon]``; a
    (multi)polygon as a list of polygons, each a list of rings in Encoded Polyline format
    (precision 5, the closing vertex left out)."""
    out: list = [None] * len(geoms)
    types = shapely.get_type_id(geoms)
    for i in np.flatnonzero(types == 0):
        out[i] = [float(shapely.get_y(geoms[i])), float(shapely.get_x(geoms[i]))]
    polygonal = np.flatnonzero(np.isin(types, (3, 6)))
    if not len(polygonal):
        return out
    polys, poly_owner = shapely.get_parts(geoms[polygonal], return_index=True)
    rings, ring_poly = shapely.get_rings(polys, return_index=True)
    coords, coord_ring = shapely.get_coordinates(rings, return_index=True)
    last = np.append(coord_ring[1:] != coord_ring[:-1], True)  # the closing vertex of each ring
    coords, coord_ring = coords[~last], coord_ring[~last]
    starts = np.insert(coord_ring[1:] != coord_ring[:-1], 0, True)
    scaled = np.round(coords[:, ::-1] * 10**PRECISION).astype(np.int64)  # latitude first
    text, per_row = _polyline(scaled, starts)
    ends = np.cumsum(np.bincount(coord_ring, weights=per_row, minlength=len(rings)).astype(np.int64))
    begins = np.concatenate([[0], ends[:-1]])
    for r, (a, b) in enumerate(zip(begins, ends, strict=True)):
        feature = polygonal[poly_owner[ring_poly[r]]]
        if out[feature] is None:
            out[feature] = []
        polygons = out[feature]
        # group rings by polygon: a new polygon starts at its exterior ring
        is_exterior = r == 0 or ring_poly[r] != ring_poly[r - 1]
        if is_exterior:
            polygons.append([])
        polygons[-1].append(text[a:b])
    return out


# --- the page ----------------------------------------------------------------------------------


def _column(values: pd.Series, decimals: int | None = None) -> list:
    """A JSON-ready list: numbers rounded (integers when ``decimals`` is 0), missing values None."""
    if decimals is None:
        return [None if pd.isna(v) else str(v) for v in values]
    numbers = pd.to_numeric(values, errors="coerce").astype("float64").round(decimals)
    if decimals == 0:
        return [None if np.isnan(v) else int(v) for v in numbers.to_numpy()]
    return [None if np.isnan(v) else float(v) for v in numbers.to_numpy()]


def _hex_colours(name: str, n: int, reverse: bool = True) -> list[str]:
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    cmap = colormaps[name]
    colours = [to_hex(cmap(x)) for x in np.linspace(0.0, 1.0, n)]
    return colours[::-1] if reverse else colours


def _check_layers(layers: dict, networks: dict[str, str]) -> None:
    check_keys(layers, LAYERS, where="layers")
    for required in ("csd", "points"):
        if layers.get(required) is None:
            raise PlaybookError(f"the map has no '{required}' layer", field=f"layers.{required}",
                                expected="a GeoDataFrame (see playbook.figures.webmap.AREA_COLUMNS / POINT_COLUMNS)")
    needs = {"csd": AREA_COLUMNS, "da": AREA_COLUMNS, "points": POINT_COLUMNS, "background": ()}
    for name, frame in layers.items():
        if frame is None:
            continue
        if not isinstance(frame, gpd.GeoDataFrame):
            raise PlaybookError(f"the map layer '{name}' is not a GeoDataFrame", field=f"layers.{name}",
                                expected="a geopandas.GeoDataFrame with a CRS")
        missing = [c for c in needs[name] if c not in frame.columns]
        if missing:
            raise PlaybookError(f"the map layer '{name}' lacks columns {missing}", field=", ".join(missing),
                                expected=f"columns {list(needs[name])}")
    unknown = sorted(set(layers["points"]["network"].astype(str)) - set(networks))
    if unknown:
        raise PlaybookError(f"points of networks {unknown} have no label", field="networks",
                            expected=f"a label for every network: {sorted(networks)} given")


def _default_networks(points: pd.DataFrame, lang: str) -> dict[str, str]:
    labels = {}
    for network in dict.fromkeys(points["network"].astype(str)):
        key = f"webmap_network_{network}"
        labels[network] = i18n.t(key, lang) if key in i18n.catalogue() else network.replace("_", " ")
    return labels


def _area_payload(frame: gpd.GeoDataFrame, networks: dict[str, str], ranked: int | None, label: str,
                  with_distance: bool) -> dict:
    provinces = list(dict.fromkeys(frame["province"].astype(str)))
    where = {p: i for i, p in enumerate(provinces)}
    payload = {
        "label": label,
        "ranked": int(ranked if ranked is not None else frame["rank"].notna().sum()),
        "provinces": provinces,
        "code": _column(frame["code"]),
        "name": _column(frame["name"]),
        "pr": [where[p] for p in frame["province"].astype(str)],
        "pop": _column(frame["population"], 0),
        "score": _column(frame["score"], 1),
        "q": _column(frame["quintile"], 0),
        "rank": _column(frame["rank"], 0),
        "geom": encode_geometries(frame.geometry.to_numpy()),
    }
    if {"rank_p05", "rank_p95"} <= set(frame.columns):
        payload["lo"], payload["hi"] = _column(frame["rank_p05"], 0), _column(frame["rank_p95"], 0)
    if with_distance:
        payload["dist"] = {n: _column(frame[f"distance_{n}"], 1) if f"distance_{n}" in frame.columns
                           else [None] * len(frame) for n in networks}
    return payload


def _labels(lang: str, radius_km: float, da_place: str | None) -> dict[str, str]:
    radius = i18n.format_number(radius_km, lang, 0)
    keys = [k for k in i18n.catalogue() if k.startswith("webmap_")]
    labels = {k.removeprefix("webmap_"): i18n.t(k, lang) for k in keys}
    labels["reach_toggle"] = i18n.t("webmap_reach_toggle", lang, radius=radius)
    labels["layer_da"] = i18n.t("webmap_layer_da", lang, place=da_place or "")
    labels["level_csd"] = i18n.t("geo_level_census_subdivision", lang)
    labels["level_da"] = i18n.t("geo_level_dissemination_area", lang)
    return labels


def _leaflet(node_modules: Path) -> tuple[str, str, str]:
    """Leaflet's script and style sheet (no source map, no image URLs) and its version."""
    js_path, css_path = node_modules / LEAFLET_JS, node_modules / LEAFLET_CSS
    for path in (js_path, css_path):
        if not path.exists():
            raise PlaybookError("Leaflet, which the map page ships, is missing", path=path,
                                expected="the npm packages installed: run `make book` (it runs `npm ci`)")
    js = re.sub(r"//# sourceMappingURL=\S+\s*$", "", js_path.read_text(encoding="utf-8"))
    css = re.sub(r"url\(images/[^)]*\)", "none", css_path.read_text(encoding="utf-8"))
    version = json.loads((node_modules / "leaflet" / "package.json").read_text(encoding="utf-8"))["version"]
    return js, css, version


def _script_json(payload: dict) -> str:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False).replace("</", "<\\/")


@dataclass(frozen=True)
class WebMap:
    """A written map as a notebook shows it: the map's HTML (``_repr_html_``), its text
    alternative and the page it comes from."""

    html: str
    alt: str
    path: Path | None = None
    data_bytes: int = 0

    def _repr_html_(self) -> str:
        return self.html


def build_map(layers: dict, *, lang: str | None = None, title: str, source: str, synthetic: bool,
              networks: dict[str, str] | None = None, radius_km: float = 50.0, da_place: str | None = None,
              ranked: dict[str, int] | None = None, node_modules: Path | None = None) -> WebMap:
    """The map's HTML fragment (Leaflet, the data and the controls, no outside reference); see
    :func:`write_map` for the arguments."""
    lang = i18n.language(lang)
    layers = {k: v for k, v in layers.items() if v is not None}
    networks = networks or _default_networks(layers.get("points", pd.DataFrame({"network": []})), lang)
    _check_layers(layers, networks)
    ranked = ranked or {}
    js, css, version = _leaflet(Path(node_modules or ROOT / "node_modules"))
    shapes = {name: compact(frame, *SIMPLIFY.get(name, (0.0, 0.0))) if name != "points" else compact(frame, 0.0)
              for name, frame in layers.items()}
    points = shapes["points"]
    ids = list(networks)
    payload = {
        "lang": lang, "radius": float(radius_km), "synthetic": bool(synthetic),
        "labels": _labels(lang, radius_km, da_place),
        "colours": {"score": _hex_colours("cividis", 5), "distance": _hex_colours("viridis", 6)},
        "networks": [{"id": n, "label": networks[n], "colour": PALETTE[i % len(PALETTE)],
                      "count": int((points["network"].astype(str) == n).sum())} for i, n in enumerate(ids)],
        "levels": {"csd": _area_payload(shapes["csd"], networks, ranked.get("csd"), i18n.t("webmap_layer_csd", lang), True)},
        "points": {
            "net": [ids.index(n) for n in points["network"].astype(str)],
            "code": _column(points["code"]),
            "name": _column(points["name"]),
            "within": _column(points["population_within"], 0),
            "vuln": _column(points["vulnerable_within"], 0) if "vulnerable_within" in points else None,
            "geom": encode_geometries(points.geometry.to_numpy()),
        },
        "background": encode_geometries(shapes["background"].geometry.to_numpy()) if "background" in shapes else [],
    }
    if "da" in shapes:
        payload["levels"]["da"] = _area_payload(shapes["da"], networks, ranked.get("da"),
                                                i18n.t("webmap_layer_da", lang, place=da_place or ""), False)
    data = _script_json(payload)
    digest = hashlib.sha256(data.encode()).hexdigest()[:10]
    element = f"pbm-{digest}"
    areas = sum(len(shapes[k]) for k in ("csd", "da") if k in shapes)
    alt = i18n.t("webmap_alt", lang, areas=i18n.format_number(areas, lang), points=i18n.format_number(len(points), lang),
                 networks=len(ids))
    region = i18n.t("webmap_region", lang, title=title)
    e = html.escape
    notice = f'<p class="pbm-notice" role="note"><strong>{e(i18n.t("webmap_notice", lang))}</strong></p>' if synthetic else ""
    fragment = f"""{BEGIN}
<style>{css}
{_CSS}</style>
<section class="pbm" id="{element}" lang="{lang}" aria-label="{e(title)}">
<p class="pbm-title">{e(title)}</p>
{notice}
<div class="pbm-controls">
<fieldset class="pbm-modes"><legend>{e(i18n.t("webmap_colour_by", lang))}</legend></fieldset>
<fieldset class="pbm-networks"><legend>{e(i18n.t("webmap_networks", lang))}</legend></fieldset>
<div class="pbm-search"><label for="{element}-q">{e(i18n.t("webmap_search_label", lang))}</label>
<input type="search" id="{element}-q" autocomplete="off" aria-describedby="{element}-qh {element}-qs">
<p class="pbm-hint" id="{element}-qh">{e(i18n.t("webmap_search_hint", lang))}</p>
<p class="pbm-hint" id="{element}-qs" aria-live="polite"></p>
<ul class="pbm-results"></ul></div>
</div>
<div class="pbm-map" role="region" aria-label="{e(region)}" aria-describedby="{element}-alt"></div>
<p class="pbm-vh" id="{element}-alt">{e(alt)}</p>
<noscript><p>{e(i18n.t("webmap_noscript", lang))}</p></noscript>
<p class="pbm-summary" aria-live="polite"></p>
<div class="pbm-below">
<div class="pbm-legend"><p class="pbm-head">{e(i18n.t("webmap_legend", lang))}</p><ul></ul></div>
<div class="pbm-details"><p class="pbm-head">{e(i18n.t("webmap_details", lang))}</p>
<div class="pbm-body"><p>{e(i18n.t("webmap_details_hint", lang))}</p></div></div>
</div>
<p class="pbm-vh pbm-status" aria-live="polite"></p>
<p class="pbm-source">{e(source)} {e(i18n.t("webmap_credits", lang, version=version))}</p>
<script type="application/json" class="pbm-data">{data}</script>
</section>
<script>if(!window.L){{{js}
}}</script>
<script>{_JS.replace("__ID__", element)}</script>
{END}"""
    return WebMap(fragment, alt, None, len(data.encode()))


def _geojson(frame: gpd.GeoDataFrame, *, synthetic: bool, notice: str) -> str:
    """A FeatureCollection (RFC 7946) of ``frame`` (already in longitude/latitude, rounded), every
    feature saying whether its numbers are synthetic (and the notice when they are)."""
    out = frame.copy()
    out["synthetic"] = bool(synthetic)
    if synthetic:
        out["notice"] = notice
    return out.to_json(drop_id=True, na="null", ensure_ascii=False, separators=(",", ":"))


def write_map(folder: str | Path, layers: dict, *, lang: str | None = None, title: str, source: str, synthetic: bool,
              networks: dict[str, str] | None = None, radius_km: float = 50.0, da_place: str | None = None,
              ranked: dict[str, int] | None = None, node_modules: Path | None = None) -> Path:
    """Write the map page ``<folder>/service_point_map.html`` (self-contained: Leaflet, data and
    controls inline, no outside reference) and its layers as GeoJSON
    (``service_point_map_<layer>.geojson``; an empty collection for an absent DA layer, so that a
    page can always link it); return the page's path.

    ``layers``: ``csd`` (areas by census subdivision: :data:`AREA_COLUMNS`, optionally
    ``rank_p05``/``rank_p95`` and ``distance_<network>`` in km, missing where not reported;
    polygons, or points where an area has no boundary), ``da`` (the same without distances,
    optional), ``points`` (:data:`POINT_COLUMNS`, optionally ``vulnerable_within``) and
    ``background`` (outlines drawn under everything, optional). Names must already be what may be
    shown (codes while ``synthetic``). ``networks``: network id -> label (default from the
    catalogue). ``ranked``: level -> number of areas ranked (default: those with a rank in the
    layer). ``da_place``: the place the DA layer covers. ``source``: the source line shown.
    """
    lang = i18n.language(lang)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    built = build_map(layers, lang=lang, title=title, source=source, synthetic=synthetic, networks=networks,
                      radius_km=radius_km, da_place=da_place, ranked=ranked, node_modules=node_modules)
    page = folder / f"{STEM}.html"
    document = _PAGE.format(lang=lang, title=html.escape(title), body=built.html)
    with atomic_path(page) as tmp:
        tmp.write_text(document, encoding="utf-8")
    notice = i18n.t("webmap_notice_short", lang)
    for name in ("csd", "da", "points"):
        frame = layers.get(name)
        if frame is None:
            text = json.dumps({"type": "FeatureCollection", "features": []})
        else:
            tolerance = SIMPLIFY.get(name, (0.0, 0.0)) if name != "points" else (0.0, 0.0)
            text = _geojson(compact(frame, *tolerance), synthetic=synthetic, notice=notice)
        with atomic_path(folder / f"{STEM}_{name}.geojson") as tmp:
            tmp.write_text(text, encoding="utf-8")
    return page


def embed(page: str | Path) -> WebMap:
    """The map of a page written by :func:`write_map`, to show inside a notebook (ends a cell)."""
    page = Path(page)
    text = page.read_text(encoding="utf-8")
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < 0:
        raise PlaybookError("not a map page written by write_map", path=page, expected=f"the markers {BEGIN} ... {END}")
    fragment = text[start:end + len(END)]
    alt = re.search(r'<p class="pbm-vh" id="[^"]*-alt">([^<]*)</p>', fragment)
    data = re.search(r'<script type="application/json" class="pbm-data">(.*?)</script>', fragment, re.S)
    return WebMap(fragment, html.unescape(alt.group(1)) if alt else "", page, len(data.group(1).encode()) if data else 0)


# --- the layers of an analysis -------------------------------------------------------------------


@dataclass(frozen=True)
class MapInputs:
    """What :func:`write_map` needs for the map of an analysis."""

    layers: dict
    networks: dict[str, str]
    source: str
    synthetic: bool
    radius_km: float
    ranked: dict[str, int]
    da_place: str | None = None
    withheld: dict[str, list[str]] = field(default_factory=dict)

    def write(self, folder: str | Path, *, lang: str | None = None, title: str | None = None) -> Path:
        """:func:`write_map` with these inputs."""
        lang = i18n.language(lang)
        return write_map(folder, self.layers, lang=lang, title=title or i18n.t("webmap_title", lang),
                         source=self.source, synthetic=self.synthetic, networks=self.networks,
                         radius_km=self.radius_km, da_place=self.da_place, ranked=self.ranked)


def analysis_layers(manifest=None, *, profile=None, lang: str | None = None) -> MapInputs:
    """The map layers of the analysis ``manifest`` (default: the build's, else the embedded demo):

    - ``csd``: every census subdivision of its census files with the index (the same engine, spec and
      inputs as the EVI notebooks), its rank and 5-95 % rank interval (the uncertainty analysis with
      the manifest's draws and seed), its population after disclosure control, and its distance to
      the nearest located point of each network (withheld in the provinces where that network's
      source locates under 80 % of its points); drawn with its boundary (the manifest's
      ``boundaries.csd`` file, else the embedded ones) or at its location where it has none;
    - ``da``: the dissemination areas of one province when the analysis has them and boundaries;
    - ``points``: the located points of every network with the people within the radius (and those
      of the most vulnerable quintile), after disclosure control;
    - ``background``: the province and territory outlines.

    While the scores are synthetic, areas are named by their codes and points by a generic label
    with their number in their network ("Service point 12 (demo)": see
    :func:`playbook.service_points.networks.point_names`). ``profile`` (a jurisdiction profile)
    keeps the areas of its jurisdiction (every point stays)."""
    from playbook import evi, privacy
    from playbook.evi.maps import detail
    from playbook.evi.run import published_ranks
    from playbook.geo import catchments as c
    from playbook.geo.places import csd_locations
    from playbook.service_points import networks as nw
    from playbook.sources import datasets
    from playbook.sources import manifest as manifests
    from playbook.sources.boundaries import read_boundaries, read_boundary_zip

    lang = i18n.language(lang)
    m = manifests.current(manifest)
    spec = evi.analysis_spec(m.spec, m)
    inputs = evi.read_inputs(spec, manifest=m)
    data = evi.indicator_data(inputs, spec, lang=lang)
    synthetic = bool(data.attrs["synthetic"])

    def keep(frame: pd.DataFrame) -> pd.DataFrame:
        return frame if profile is None else profile.filter(frame, dguid_col="DGUID")

    def scored(rows: pd.DataFrame) -> pd.DataFrame:
        scores = evi.compare.build(spec, rows).scores[["DGUID", "score", "rank", "quintile"]]
        if m.draws:
            ranks = published_ranks(spec, rows, draws=m.draws, seed=m.seed)  # the figures of every page and export
            scores = scores.merge(ranks[["DGUID", "rank_p05", "rank_p95"]].astype({"DGUID": scores["DGUID"].dtype}),
                                  on="DGUID", how="left")
        out = rows[["DGUID", "ALT_GEO_CODE", "GEO_NAME", "pruid", "population"]].merge(scores, on="DGUID", how="left")
        out["DGUID"] = out["DGUID"].astype(str)
        return out

    # Census subdivisions: scores, locations and shapes.
    csd = scored(evi.at_level(data, "csd"))
    ranked = {"csd": int(csd["rank"].notna().sum())}
    places = csd_locations().set_index("DGUID")
    csd = keep(csd[csd["DGUID"].isin(places.index)]).reset_index(drop=True)
    csd["lat"] = csd["DGUID"].map(places["lat"]).to_numpy(float)
    csd["lon"] = csd["DGUID"].map(places["lon"]).to_numpy(float)
    official = m.input("boundaries.csd")
    outlines = read_boundary_zip(official.path) if official is not None else read_boundaries("boundaries_csd_2021")
    outlines = outlines.assign(DGUID=outlines["DGUID"].astype(str)).drop_duplicates("DGUID").set_index("DGUID")
    outlines = outlines.to_crs("EPSG:4326")
    located = gpd.points_from_xy(csd["lon"], csd["lat"], crs="EPSG:4326")
    shape = csd["DGUID"].map(outlines.geometry)
    geometry = np.where(shape.notna().to_numpy(), shape.to_numpy(), np.asarray(located))
    # Networks: points, source coverage per province, distances and people within reach.
    radius = float(m.radius_km)
    read = nw.read_networks(m, profile)
    networks = {n.id: n.label(lang) for n in read}
    withheld = nw.flagged(nw.coverage(read, sorted(set(csd["pruid"].astype(str)))))
    frames = []
    areas = csd.rename(columns={"DGUID": "id"})
    for network in read:
        points = network.located
        near = c.area_catchments(areas, points, radius, c.GreatCircle())
        held = csd["pruid"].astype(str).isin(withheld[network.id]).to_numpy()
        csd[f"distance_{network.id}"] = near["distance_km"].where(~held)
        reach = c.point_catchments(areas.dropna(subset=["population"]), points, radius, c.GreatCircle())
        points = points.merge(reach[["id", "population_within", "vulnerable_within"]], on="id", how="left")
        names = nw.point_names(points, synthetic, lang)
        frames.append(gpd.GeoDataFrame(
            {"network": network.id, "code": points["id"].astype(str).to_numpy(),
             "name": np.asarray(names.to_numpy(), dtype=object),
             "population_within": points["population_within"].to_numpy(float),
             "vulnerable_within": points["vulnerable_within"].to_numpy(float)},
            geometry=gpd.points_from_xy(points["lon"], points["lat"]), crs="EPSG:4326"))
    points = pd.concat(frames, ignore_index=True)
    points = privacy.protect(points, counts=["population_within", "vulnerable_within"]).drop(columns="suppressed")
    points = gpd.GeoDataFrame(points, geometry="geometry", crs="EPSG:4326")

    def area_layer(frame: pd.DataFrame, geometry, extra: list[str]) -> gpd.GeoDataFrame:
        dependent = ["score", "quintile", "rank", *[k for k in ("rank_p05", "rank_p95") if k in frame]]
        frame = privacy.protect(frame, counts=["population"], dependent=dependent)
        frame["province"] = evi.province_labels(frame["pruid"].astype(str), synthetic, lang).to_numpy()
        columns = {"ALT_GEO_CODE": "code", "GEO_NAME": "name"}
        wanted = ["code", "name", "province", "population", "score", "quintile", "rank",
                  *[k for k in ("rank_p05", "rank_p95") if k in frame], *extra]
        return gpd.GeoDataFrame(frame.rename(columns=columns)[wanted], geometry=list(geometry), crs="EPSG:4326")

    layers = {"csd": area_layer(csd, geometry, [f"distance_{n}" for n in networks]), "points": points,
              "background": read_boundaries("boundaries_provinces_2021")[["DGUID", "geometry"]]}
    da_place = None
    if "da" in evi.levels(data):
        wanted = None if profile is None or profile.pan_canadian else profile.provinces[0]
        found = detail(data, m, province=wanted, lang=lang)
        if found is not None:
            das = scored(found.values)
            ranked["da"] = int(das["rank"].notna().sum())
            shapes = found.shapes.assign(DGUID=found.shapes["DGUID"].astype(str)).set_index("DGUID").to_crs("EPSG:4326")
            das = das[das["DGUID"].isin(shapes.index)].reset_index(drop=True)
            layers["da"] = area_layer(das, das["DGUID"].map(shapes.geometry).to_numpy(), [])
            da_place = found.place
    census, _ = m.or_demo("census.profile")
    used = [census, *{i.key: i for i in evi.area_sources(m, spec).values()}.values(), *(n.input for n in read)]
    texts = [*dict.fromkeys(i.source_text(lang) for i in used), datasets.info("boundaries_provinces_2021").source[lang]]
    source = i18n.source_line("; ".join(texts), synthetic=synthetic, lang=lang)
    return MapInputs(layers, networks, source, synthetic, radius, ranked, da_place, withheld)


# --- the page's style and script ----------------------------------------------------------------

_PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>body{{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:72rem;padding:1rem;
color:#1a1a1a;background:#fff;line-height:1.45}} h1{{font-size:1.5rem;margin:.5rem 0 1rem}}</style>
</head>
<body>
<main>
<h1>{title}</h1>
{body}
</main>
</body>
</html>
"""

#: The map's style and script (files beside this module; ``__ID__`` in the script is the map's element id).
_CSS = (Path(__file__).with_name("webmap.css")).read_text(encoding="utf-8")
_JS = (Path(__file__).with_name("webmap.js")).read_text(encoding="utf-8")
