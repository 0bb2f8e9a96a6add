"""The built site in a real browser (Debian's Chromium driven by Playwright), served on 127.0.0.1.

Every page of both editions is visited once (see ``visits``) with all requests outside 127.0.0.1
blocked: the page must load without console errors, without a failed or outside request, within
its weight budget, and with zero serious or critical axe-core violations (axe-core from the npm
registry, injected into the page). Then navigation, search, the language switcher, the interactive
charts and the downloads are exercised like a reader would. Screenshots and a page-weight report
go to ``test-artifacts/``.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import ROOT, pages

pytestmark = pytest.mark.slow
playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is in requirements-dev.txt")

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
PAGE_BUDGET = 2 * 1024 * 1024
#: A page's own weight, as the budget defines it: its HTML, images and scripts (not the theme's
#: style sheets and fonts, shared by every page and cached).
PAGE_OWN_TYPES = {"document", "script", "image"}
#: axe impacts that fail the build, and rules that fail it whatever their impact.
FAILING_IMPACTS = {"serious", "critical"}
FAILING_RULES = {"heading-order", "image-alt", "color-contrast", "page-has-heading-one"}


@dataclass
class Visit:
    url: str
    errors: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    weight: int = 0
    violations: list[tuple[str, str, int, str]] = field(default_factory=list)

# browser_context: one Chromium for the session, shared with tests/figures/test_webmap.py (tests/conftest.py)

def _block_outside(context, base: str, outside: list[str]) -> None:
    def route(r):
        if r.request.url.startswith(base) or r.request.url.startswith("data:"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)


def all_pages(site: Path) -> list[str]:
    return sorted(f"{lang}/{p}" for lang in ("en", "fr") for p in pages(site / lang))


@pytest.fixture(scope="session")
def visits(site, served_site, browser_context) -> dict[str, Visit]:
    """Visit every content page of both editions once; record what the checks need."""
    if not AXE.exists():
        pytest.fail("axe-core is missing: `make test` installs it with npm ci")
    axe = AXE.read_text(encoding="utf-8")
    outside: list[str] = []
    _block_outside(browser_context, served_site, outside)
    page = browser_context.new_page()
    results: dict[str, Visit] = {}
    current: list[Visit] = []
    page.on("console", lambda m: m.type == "error" and current[-1].errors.append(m.text))
    page.on("pageerror", lambda e: current[-1].errors.append(str(e)))

    def on_response(response):
        visit = current[-1]
        if response.status >= 400:
            visit.failed.append(f"{response.status} {response.url}")
        if response.request.resource_type in PAGE_OWN_TYPES:
            visit.weight += int(response.headers.get("content-length", 0))

    page.on("response", on_response)
    for rel in all_pages(site):
        visit = Visit(served_site + rel)
        current.append(visit)
        before = len(outside)
        page.goto(visit.url, wait_until="networkidle")
        page.wait_for_timeout(150)
        visit.outside = outside[before:]
        page.add_script_tag(content=axe)
        found = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".map(v => [v.id, v.impact, v.nodes.length, v.nodes[0].target.join(' ')])"
        )
        visit.violations = [tuple(v) for v in found]
        results[rel] = visit
    page.close()
    _write_weights(results)
    return results


def _write_weights(results: dict[str, Visit]) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    with open(ARTIFACTS / "page-weights.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["page", "bytes"])
        for rel, visit in sorted(results.items(), key=lambda kv: -kv[1].weight):
            writer.writerow([rel, visit.weight])


def test_every_page_loads_without_errors_or_outside_requests(visits):
    assert len(visits) >= 4
    problems = {rel: v.errors + v.failed + [f"outside request: {u}" for u in v.outside]
                for rel, v in visits.items() if v.errors or v.failed or v.outside}
    assert not problems, problems


def test_every_page_passes_axe(visits):
    failing = {rel: [v for v in visit.violations if v[1] in FAILING_IMPACTS or v[0] in FAILING_RULES]
               for rel, visit in visits.items()}
    failing = {rel: v for rel, v in failing.items() if v}
    assert not failing, failing


def test_every_page_is_within_its_weight_budget(visits):
    largest = max(visits.items(), key=lambda kv: kv[1].weight)
    print(f"largest page: {largest[0]} {largest[1].weight / 1024:.0f} KiB")
    over = {rel: v.weight for rel, v in visits.items() if v.weight > PAGE_BUDGET}
    assert not over, over
    assert all(v.weight > 10_000 for v in visits.values())  # the measurement saw the page's files


def test_every_image_has_alt_text(site):
    for rel in all_pages(site):
        html = (site / rel).read_text(encoding="utf-8")
        for img in re.findall(r"<img\b[^>]*>", html):
            alt = re.search(r'\balt="([^"]*)"', img)
            assert alt is not None, f"{rel}: image without alt: {img[:120]}"


def test_next_links_walk_through_every_page_in_order(site, served_site, browser_context):
    page = browser_context.new_page()
    for lang in ("en", "fr"):
        page.goto(f"{served_site}{lang}/index.html", wait_until="networkidle")
        seen = [page.url]
        while (nxt := page.locator("a.right-next")).count():
            nxt.first.click()
            page.wait_for_load_state("networkidle")
            assert page.url not in seen, f"next link loops back to {page.url}"
            seen.append(page.url)
        reached = {u.removeprefix(f"{served_site}{lang}/") for u in seen}
        assert reached == pages(site / lang), sorted(pages(site / lang) ^ reached)
    page.close()


def test_sidebar_links_to_every_page(site, served_site, browser_context):
    page = browser_context.new_page()
    for lang in ("en", "fr"):
        page.goto(f"{served_site}{lang}/index.html", wait_until="networkidle")
        hrefs = page.eval_on_selector_all("nav.bd-links a[href], a.navbar-brand[href]", "as => as.map(a => a.href)")
        linked = {h.split("#")[0].removeprefix(f"{served_site}{lang}/") for h in hrefs}
        assert pages(site / lang) <= linked, sorted(pages(site / lang) - linked)
    page.close()


@pytest.mark.parametrize("lang, word", [("en", "vulnerability"), ("fr", "vulnérabilité")])
def test_search_finds_the_index(served_site, browser_context, lang, word):
    page = browser_context.new_page()
    page.goto(f"{served_site}{lang}/search.html?q={word}", wait_until="networkidle")
    results = page.locator("#search-results ul.search li")
    results.first.wait_for(timeout=15_000)
    assert results.count() >= 1
    page.close()


def test_language_switcher_round_trips_in_the_browser(served_site, browser_context):
    page = browser_context.new_page()
    start = f"{served_site}en/notebooks/00-getting-started.html"
    page.goto(start, wait_until="networkidle")
    page.locator("a.playbook-language-switch").first.click()
    page.wait_for_load_state("networkidle")
    assert page.url == f"{served_site}fr/notebooks/00-getting-started.html"
    assert page.locator("html").get_attribute("lang") == "fr"
    page.locator("a.playbook-language-switch").first.click()
    page.wait_for_load_state("networkidle")
    assert page.url == start
    page.close()


def test_interactive_chart_responds_without_a_kernel_or_network(served_site, browser_context):
    page = browser_context.new_page()
    page.goto(f"{served_site}en/notebooks/00-getting-started.html", wait_until="networkidle")
    chart = page.locator(".playbook-vega").first
    chart.locator("svg").first.wait_for(timeout=15_000)
    labels = lambda: chart.locator("svg g.mark-text.role-axis-label text").all_text_contents()  # noqa: E731
    first = labels()
    assert "St. John's" in first and len(first) >= 15  # Newfoundland and Labrador comes first
    chart.locator("select").first.select_option(label="Quebec")
    page.wait_for_timeout(300)
    second = labels()
    assert "Montréal" in second and "St. John's" not in second
    chart.locator("svg g.mark-rect path").first.hover()
    page.locator("#vg-tooltip-element").wait_for(state="visible", timeout=5_000)
    tip = page.locator("#vg-tooltip-element").inner_text()
    assert "Population, 2021" in tip and any(name in tip for name in second), tip
    page.close()


def test_notebook_pages_offer_their_ipynb(site, served_site, browser_context):
    page = browser_context.new_page()
    for rel in (p for p in pages(site / "en") if p.startswith("notebooks/")):
        page.goto(f"{served_site}en/{rel}", wait_until="networkidle")
        link = page.locator("a[href$='.ipynb']").first
        href = link.get_attribute("href")
        assert href, f"{rel}: no .ipynb download"
        response = page.request.get(page.url.rsplit("/", 1)[0] + "/" + href)
        assert response.ok and b'"cells"' in response.body(), f"{rel}: {href}"
    page.close()


#: Result pages and the files they offer: CSV -> a label its header must hold, GeoJSON -> a property
#: its features must have, Excel -> None.
RESULT_DOWNLOADS = {
    "notebooks/18-evi-results.html": {
        "evi_csd.csv": "evi_score", "evi_da.csv": "evi_score", "evi_provinces.csv": "evi_score",
        "evi_cma_ca.csv": "evi_score", "evi_area_classes.csv": "evi_score", "evi.xlsx": None,
        "evi_provinces.geojson": "score", "evi_da.geojson": "score",
    },
    "notebooks/30-mapping-service-points.html": {
        "service_points_areas.csv": "catchments_col_distance_sc",
        "service_points_points.csv": "catchments_col_population_within", "service_points.xlsx": None,
        "service_points_census_divisions.geojson": "score",
    },
}


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("rel", RESULT_DOWNLOADS)
def test_results_pages_offer_the_files_they_show(site, served_site, browser_context, rel, lang):
    """Each results page links the CSV, Excel and GeoJSON files its notebook wrote; each downloads,
    in the page's language."""
    from playbook import i18n

    page = browser_context.new_page()
    page.goto(f"{served_site}{lang}/{rel}", wait_until="networkidle")
    for name, expected in RESULT_DOWNLOADS[rel].items():
        link = page.locator(f"a.download[href$='/{name}']")
        assert link.count() == 1, f"{lang}/{rel}: no download link for {name}"
        body = page.request.get(page.url.rsplit("/", 1)[0] + "/" + link.get_attribute("href")).body()
        if name.endswith(".csv"):
            delimiter = ";" if lang == "fr" else ","  # French files for Excel in a French locale
            header = next(csv.reader([body.decode("utf-8-sig").splitlines()[0]], delimiter=delimiter))
            rows = body.count(b"\n") - 1
            assert i18n.t(expected, lang) in header and rows > 0, f"{name}: {header[:6]}, {rows} rows"
            assert header[-1] == "source", f"{name}: no source column at the end"
        elif name.endswith(".geojson"):
            data = json.loads(body)
            assert data["type"] == "FeatureCollection" and data["features"], name
            assert expected in data["features"][0]["properties"], name
            assert "source" in data["features"][0]["properties"], name
            point = data["features"][0]["geometry"]["coordinates"]
            while isinstance(point[0], list):  # (multi)polygon rings down to one position
                point = point[0]
            lon, lat = point[:2]  # RFC 7946: longitude, latitude
            assert -142 < lon < -52 and 41 < lat < 84, f"{name}: not in longitude/latitude ({lon}, {lat})"
        else:
            assert body[:2] == b"PK", f"{name} is not an Excel workbook"
    page.close()


def test_screenshots_of_front_page_chapter_and_results(site, served_site, browser_context):
    shots = ARTIFACTS / "screenshots"
    shutil.rmtree(shots, ignore_errors=True)
    shots.mkdir(parents=True)
    candidates = sorted(p for p in pages(site / "en") if p.startswith("notebooks/"))
    results = next((p for p in candidates if "result" in p), candidates[0])
    chapter = next(p for p in sorted(pages(site / "en")) if p.startswith("book/") and p != "book/index.html")
    page = browser_context.new_page()
    for name, rel in (("front", "index.html"), ("chapter", chapter), ("results", results)):
        page.goto(f"{served_site}en/{rel}", wait_until="networkidle")
        page.wait_for_timeout(300)
        page.screenshot(path=str(shots / f"{name}.png"), full_page=False)
        assert (shots / f"{name}.png").stat().st_size > 10_000
    page.close()
