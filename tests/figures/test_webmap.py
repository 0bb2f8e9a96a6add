"""The offline web map: geometry encoding, the written page and GeoJSON, embedding, the layers of
the embedded demo analysis, and the page in a real browser (Debian's Chromium, headless)."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from playbook import i18n
from playbook.errors import PlaybookError
from playbook.evi.inputs import demo_names
from playbook.figures import webmap
from playbook.privacy import Policy

NETWORKS = ("service_canada", "libraries")


def decode(text: str) -> list[tuple[float, float]]:
    """Longitude/latitude pairs of an Encoded Polyline (precision 5, latitude first)."""
    coords, i, lat, lon = [], 0, 0, 0
    while i < len(text):
        pair = []
        for _ in range(2):
            shift = result = 0
            while True:
                b = ord(text[i]) - 63
                i += 1
                result |= (b & 31) << shift
                shift += 5
                if b < 32:
                    break
            pair.append(~(result >> 1) if result & 1 else result >> 1)
        lat, lon = lat + pair[0], lon + pair[1]
        coords.append((lon / 1e5, lat / 1e5))
    return coords


def test_encoded_rings_decode_to_the_input_coordinates():
    holed = shapely.Polygon([(-75.712345, 45.401234), (-75.5, 45.4), (-75.6, 45.55), (-75.712345, 45.401234)],
                            holes=[[(-75.62, 45.43), (-75.58, 45.43), (-75.6, 45.46), (-75.62, 45.43)]])
    far = shapely.Polygon([(-141.000004, 69.646), (-52.61, 47.56), (-123.1, 48.3), (-141.000004, 69.646)])
    multi = shapely.MultiPolygon([holed, far])
    point = shapely.Point(-79.383186, 43.653226)
    encoded = webmap.encode_geometries(np.array([point, multi, far], dtype=object))
    assert encoded[0] == pytest.approx([43.653226, -79.383186])
    for geometry, polygons in ((multi, encoded[1]), (shapely.MultiPolygon([far]), encoded[2])):
        assert len(polygons) == len(geometry.geoms)
        for polygon, rings in zip(geometry.geoms, polygons, strict=True):
            expected = [polygon.exterior, *polygon.interiors]
            assert len(rings) == len(expected)
            for ring, text in zip(expected, rings, strict=True):
                np.testing.assert_allclose(decode(text), np.asarray(ring.coords)[:-1], atol=1e-5, rtol=0)


def test_compact_simplifies_drops_small_parts_and_keeps_the_largest():
    centre = gpd.GeoSeries([shapely.Point(-75.7, 45.4)], crs="EPSG:4326").to_crs(webmap.CRS_LAMBERT)[0]
    disc = centre.buffer(10_000, quad_segs=256)  # ~314 km², 1024 vertices
    islet = shapely.Point(centre.x + 30_000, centre.y).buffer(200)  # ~0.13 km²
    frame = gpd.GeoDataFrame({"code": ["a", "b"]}, geometry=[shapely.MultiPolygon([disc, islet]), islet],
                             crs=webmap.CRS_LAMBERT)
    out = webmap.compact(frame, 2000.0, min_part_km2=1.0)
    assert out.crs.to_epsg() == 4326 and list(out["code"]) == ["a", "b"]
    assert shapely.get_num_geometries(out.geometry[0]) == 1
    assert shapely.get_num_coordinates(out.geometry[0]) < shapely.get_num_coordinates(disc) / 10
    assert shapely.get_num_geometries(out.geometry[1]) == 1  # below the minimum, but an area's only part
    coords = shapely.get_coordinates(out.geometry.to_numpy())
    np.testing.assert_array_equal(coords, np.round(coords, webmap.PRECISION))
    assert shapely.get_num_geometries(webmap.compact(frame, 2000.0).geometry[0]) == 2
    with pytest.raises(PlaybookError, match="coordinate reference system"):
        webmap.compact(gpd.GeoDataFrame(geometry=[disc]), 100.0)


# --- the written page ----------------------------------------------------------------------------


def make_layers() -> dict:
    codes = ["3506008", "3506014", "2466023"]
    csd = gpd.GeoDataFrame({
        "code": codes, "name": [f"CSD {c} (demo)" for c in codes],
        "province": ["Province 35 (demo)", "Province 35 (demo)", "Province 24 (demo)"],
        "population": [1000, 2000, 3000], "score": [20.5, 55.0, 80.2], "quintile": [1, 3, 5], "rank": [3, 2, 1],
        "distance_service_canada": [10.0, 120.0, 200.0], "distance_libraries": [80.0, 30.0, 300.0],
    }, geometry=[shapely.box(-75.8, 45.3, -75.7, 45.4), shapely.box(-75.7, 45.3, -75.6, 45.4),
                 shapely.box(-73.7, 45.4, -73.6, 45.5)], crs="EPSG:4326")
    points = gpd.GeoDataFrame({
        "network": ["service_canada", "service_canada", "libraries", "libraries"],
        "code": ["sc1", "sc2", "lib1", "lib2"],
        "name": ["Service point 1 (demo)", "Service point 2 (demo)", "Library point 1 (demo)", "Library point 2 (demo)"],
        "population_within": [5000, 3000, 2000, 1000],
    }, geometry=gpd.points_from_xy([-75.75, -73.65, -75.65, -74.0], [45.35, 45.45, 45.35, 45.0]), crs="EPSG:4326")
    return {"csd": csd, "points": points}


MAP_ARGS = {"title": "Test map & <demo>", "source": "Source: a test, demo data.", "synthetic": True}


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict[str, Path]:
    return {lang: webmap.write_map(tmp_path_factory.mktemp(f"map-{lang}"), make_layers(), lang=lang, **MAP_ARGS)
            for lang in ("en", "fr")}


def test_page_is_self_contained_and_says_the_data_are_synthetic(written):
    page = written["en"]
    assert page.name == "service_point_map.html"
    text = page.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and '<html lang="en">' in text
    tags = re.findall(r"<(?:script|img|iframe)\b[^>]*\bsrc\s*=|<link\b[^>]*\bhref\s*=|@import", text, re.I)
    files = re.findall(r"(?<![\w.])url\(\s*[\"']?(?!data:|#)[^)]*\)", text)  # not data: URIs, not #VML behaviours
    assert tags == [] and files == []
    assert "L.map(" in text  # Leaflet itself is inlined
    assert html.escape(i18n.t("webmap_notice", "en")) in text
    assert html.escape(i18n.t("webmap_notice", "fr")) not in text
    assert "Test map &amp; &lt;demo&gt;" in text and "<demo>" not in text
    assert html.escape(MAP_ARGS["source"]) in text


def test_geojson_layers_carry_the_notice_and_an_absent_da_layer_is_empty(written):
    for lang, page in written.items():
        notice = i18n.t("webmap_notice_short", lang)
        csd, points, da = (json.loads((page.parent / f"service_point_map_{k}.geojson").read_text(encoding="utf-8"))
                           for k in ("csd", "points", "da"))
        assert da == {"type": "FeatureCollection", "features": []}
        assert csd["type"] == points["type"] == "FeatureCollection"
        assert [f["properties"]["code"] for f in csd["features"]] == ["3506008", "3506014", "2466023"]
        assert len(points["features"]) == 4
        for feature in csd["features"] + points["features"]:
            assert feature["properties"]["synthetic"] is True and feature["properties"]["notice"] == notice
        assert csd["features"][0]["geometry"]["type"] in {"Polygon", "MultiPolygon"}
        assert points["features"][0]["geometry"]["coordinates"] == pytest.approx([-75.75, 45.35])


def test_french_page_uses_the_french_labels(written):
    text = written["fr"].read_text(encoding="utf-8")
    assert '<html lang="fr">' in text and 'lang="fr" aria-label=' in text
    for phrase in ("Colorer les territoires selon", "Réseaux de points de service affichés",
                   "Bibliothèques et archives (BDOICA)", html.escape(i18n.t("webmap_notice", "fr"))):
        assert phrase in text
    assert "Colour the areas by" not in text and html.escape(i18n.t("webmap_notice", "en")) not in text


def test_a_failing_build_leaves_no_page_behind(tmp_path, written):
    layers = make_layers()
    layers["csd"] = layers["csd"].drop(columns="score")
    fresh = tmp_path / "fresh"
    with pytest.raises(PlaybookError) as error:
        webmap.write_map(fresh, layers, lang="en", **MAP_ARGS)
    assert error.value.field == "score"
    assert list(fresh.iterdir()) == []
    before = written["en"].read_bytes()
    with pytest.raises(PlaybookError):
        webmap.write_map(written["en"].parent, layers, lang="en", **MAP_ARGS)
    assert written["en"].read_bytes() == before
    unlabelled = make_layers()
    unlabelled["points"]["network"] = "ferries"
    with pytest.raises(PlaybookError, match="ferries"):
        webmap.build_map(unlabelled, lang="en", networks={"service_canada": "SC"}, **MAP_ARGS)


def test_embed_round_trips_the_written_map(written, tmp_path):
    built = webmap.build_map(make_layers(), lang="en", **MAP_ARGS)
    shown = webmap.embed(written["en"])
    assert shown.alt == built.alt and shown.alt.startswith("Interactive map of 3 areas")
    assert shown.data_bytes == built.data_bytes > 0
    assert shown.html == built.html and shown._repr_html_() == built.html and shown.path == written["en"]
    other = tmp_path / "other.html"
    other.write_text("<!DOCTYPE html><html><body><p>Not a map</p></body></html>", encoding="utf-8")
    with pytest.raises(PlaybookError, match="not a map page"):
        webmap.embed(other)


# --- the layers of the embedded demo -------------------------------------------------------------


@pytest.fixture(scope="module")
def demo() -> webmap.MapInputs:
    return webmap.analysis_layers(lang="en")


def test_demo_layers_are_synthetic_and_named_by_codes(demo):
    assert demo.synthetic is True and set(demo.networks) == set(NETWORKS)
    for layer, level in (("csd", "Census subdivision"), ("da", "Dissemination area")):
        frame = demo.layers[layer]
        expected = demo_names(pd.Series(level, index=frame.index), frame["code"], "en")
        assert (frame["name"].astype(str) == expected.astype(str)).all(), layer
    names = demo.layers["points"]["name"].astype(str)
    assert names.str.fullmatch(r"Service point \d+ \(demo\)").all()
    assert demo.ranked["csd"] == int(demo.layers["csd"]["rank"].notna().sum())


def test_demo_distances_are_withheld_where_a_source_covers_too_little(demo):
    csd = demo.layers["csd"]
    province = csd["code"].astype(str).str[:2]
    assert sum(map(len, demo.withheld.values())) > 0  # the demo libraries miss some provinces
    for network in NETWORKS:
        held = province.isin(demo.withheld[network])
        distance = csd[f"distance_{network}"]
        assert distance[held].isna().all(), network
        assert distance[~held].notna().all(), network
        assert all(re.fullmatch(r"\d\d", p) for p in demo.withheld[network]), demo.withheld[network]


def test_demo_counts_pass_disclosure_control(demo):
    policy = Policy.default()
    counts = [demo.layers["csd"]["population"], demo.layers["da"]["population"],
              demo.layers["points"]["population_within"], demo.layers["points"]["vulnerable_within"]]
    for values in counts:
        shown = values.dropna().to_numpy(float)
        assert len(shown) > 0
        assert (shown % policy.rounding_base == 0).all(), values.name
        assert (shown >= policy.threshold).all(), values.name


# --- in a browser ------------------------------------------------------------------------------


@pytest.fixture
def browser_page(browser_context):
    """A page of the session's Chromium (tests/conftest.py) that may load only files and data URLs
    (its own route, which takes precedence over any route of the shared context)."""
    page = browser_context.new_page()
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort())
    yield page
    page.close()

@pytest.mark.slow
def test_map_renders_and_its_controls_work(browser_page, written):
    page, errors, requests = browser_page, [], []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(written["en"].as_uri(), wait_until="load")
    page.wait_for_function("() => document.querySelector('.pbm').playbookMap !== undefined")
    assert errors == []
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
    state = page.evaluate("""() => { const m = document.querySelector('.pbm').playbookMap;
        return {areas: m.levels.csd.layers.length, points: m.points.layers.length, zoom: m.map.getZoom(),
                canvases: document.querySelectorAll('.pbm-map canvas').length}; }""")
    assert state["areas"] == 3 and state["points"] == 4 and state["canvases"] >= 1 and state["zoom"] > 2
    summary = page.locator(".pbm-summary")
    assert summary.text_content() == i18n.t("webmap_summary", "en", far="3,000", share="50.0%", radius="50")
    page.locator(".pbm-networks input[value=libraries]").uncheck()
    assert summary.text_content() == i18n.t("webmap_summary", "en", far="5,000", share="83.3%", radius="50")
    page.locator(".pbm-networks input[value=service_canada]").uncheck()
    assert summary.text_content() == i18n.t("webmap_summary_none", "en")
    page.locator(".pbm-search input").fill("3506014")
    buttons = page.locator(".pbm-results button")
    assert buttons.count() == 1 and buttons.first.text_content().startswith("CSD 3506014 (demo)")
    buttons.first.click()
    details = page.locator(".pbm-details .pbm-body").text_content()
    assert "CSD 3506014 (demo)" in details and "Population, 2021: 2,000" in details
    assert errors == []
