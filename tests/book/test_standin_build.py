"""The English book builds from the stand-in manifest (playbook.demo.standin: official-layout files
that differ from the demo), and its EVI pages and exports show the stand-in's values, with real
names and no "synthetic" label — while the demo names no real place beside its synthetic scores
(issue 19, "Tests"). Slow: one book build and one execution of notebook 18 on the demo."""

import html as htmllib
import json
import os
import re
import shutil
import time
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbclient import NotebookClient

from playbook import evi
from playbook import jurisdiction as jur
from playbook.book.build import build_book
from playbook.demo import standin
from playbook.sources import census, datasets
from playbook.sources import manifest as manifests

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
#: Where notebook 18 writes its exports during a build (its folder: the book executes in place).
EXPORTS = ROOT / "notebooks" / "evi-exports"
#: The EVI pages built from the manifest.
EVI_PAGES = ["12-evi-indicators", "13-evi-missing-outliers", "14-evi-normalisation", "15-evi-weighting-aggregation",
             "16-evi-coherence", "17-evi-robustness", "18-evi-results", "19-evi-explorer"]
#: The stand-in's broadband files feed the index (tests/demo/test_standin.py::test_broadband_files_feed_the_index).
BROADBAND = True
CSV_EXPORTS = ("evi_csd.csv", "evi_da.csv", "evi_provinces.csv", "evi_cma_ca.csv", "evi_area_classes.csv")


@pytest.fixture(scope="module")
def standin_manifest(tmp_path_factory) -> Path:
    return standin.write_standin(tmp_path_factory.mktemp("standin_files"), broadband=BROADBAND)


@pytest.fixture(scope="module")
def facts(standin_manifest) -> dict:
    return json.loads((standin_manifest.parent / standin.FACTS).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def site(standin_manifest, tmp_path_factory) -> Path:
    """The English site built from the stand-in manifest (every notebook executed, warnings are
    errors). The repository's own exports folder is put back afterwards, so that a later cached demo
    build never serves the stand-in's files."""
    backup = tmp_path_factory.mktemp("exports_backup") / "evi-exports"
    if EXPORTS.is_dir():
        shutil.copytree(EXPORTS, backup)
    start = time.perf_counter()
    try:
        built = build_book(langs=("en",), path_output=tmp_path_factory.mktemp("standin_book"), execute="force",
                           manifest=standin_manifest, pdf=False)  # the PDF is tested by the demo build
    finally:
        ours = EXPORTS / "evi_csd.csv"
        if backup.is_dir() and ours.is_file() and "Charlottetown" in ours.read_text(encoding="utf-8-sig"):
            shutil.rmtree(EXPORTS)
            shutil.copytree(backup, EXPORTS)
    seconds = time.perf_counter() - start
    (built.parent / "standin_build_seconds.txt").write_text(f"{seconds:.0f}\n")
    print(f"\nstand-in English book build: {seconds:.0f} s")
    return built


@pytest.fixture(scope="module")
def demo_exports(tmp_path_factory) -> Path:
    """Notebook 18 executed on the embedded demo (no manifest, pan-Canadian): its exports folder."""
    folder = tmp_path_factory.mktemp("demo_results")
    nb = nbformat.read(ROOT / "notebooks" / "18-evi-results.ipynb", as_version=4)
    saved = {k: os.environ.pop(k, None) for k in (manifests.ENV_VAR, jur.ENV_VAR, "PLAYBOOK_LANG")}
    os.environ["PLAYBOOK_LANG"] = "en"
    try:
        NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(folder)}}).execute()
    finally:
        for key, value in saved.items():
            os.environ.pop(key, None)
            if value is not None:
                os.environ[key] = value
    shown = "".join(o.get("data", {}).get("text/html", "") + o.get("data", {}).get("text/plain", "") + o.get("text", "")
                    for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    (folder / "outputs.html").write_text(shown, encoding="utf-8")
    return folder / "evi-exports"


def page(site: Path, name: str) -> str:
    return (site / "en" / "notebooks" / f"{name}.html").read_text(encoding="utf-8")


class _Outputs(HTMLParser):
    """Collects the text and the ``alt``/``title`` attributes inside each ``cell_output`` div."""

    VOID = {"img", "br", "hr", "meta", "link", "input", "source", "area", "col", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[list[str]] = []
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.depth:
            self.found[-1] += [v for k, v in attrs.items() if k in ("alt", "title", "aria-label") and v]
            if tag not in self.VOID:
                self.depth += 1
        elif tag == "div" and "cell_output" in (attrs.get("class") or "").split():
            self.found.append([])
            self.depth = 1

    def handle_endtag(self, tag):
        if self.depth and tag not in self.VOID:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.found[-1].append(data)


def outputs(text: str) -> list[str]:
    """The text of each cell output of a built page (with its images' alt text), prose left out."""
    parser = _Outputs()
    parser.feed(text)
    return [" ".join(parts) for parts in parser.found]


def download(site: Path, name: str, file: str) -> Path:
    """The file a page offers with {download} (copied into the site's ``_downloads``)."""
    link = re.search(rf'href="([^"]*_downloads/[^"]*/{re.escape(file)})"', page(site, name))
    assert link, f"no download link for {file} on {name}"
    return (site / "en" / "notebooks" / link.group(1)).resolve()


def test_book_builds_from_the_standin_manifest(site):
    for name in ["11-evi-data", *EVI_PAGES]:
        text = page(site, name)
        assert "Traceback" not in text and outputs(text), name


def test_standin_value_appears_on_the_indicator_page(site, facts):
    text = page(site, "12-evi-indicators")
    example = facts["example"]
    cells = set(re.findall(r"<td[^>]*>([^<]*)</td>", text))  # the tables' cells, numbers as readers see them
    assert f"{example['low_income_count']:,.0f}" in cells  # the count only the stand-in has
    assert f"{example['low_income_denominator']:,.0f}" in cells
    assert f"({example['low_income_pct']}" in htmllib.unescape(text).replace("np.float64(", "(")
    demo = census.extract(datasets.path("demo_census_profile_2021"), [340])
    demo_count = demo.loc[demo["DGUID"] == example["DGUID"], "c340"].iloc[0]
    assert f"{demo_count:,.0f}" not in cells


def test_no_synthetic_label_on_the_evi_pages(site):
    shown = []
    for name in EVI_PAGES:
        for chunk in outputs(page(site, name)):
            text = chunk
            assert not re.search(r"synth[eé]ti", text, flags=re.I), name
            assert "(demo)" not in text, name
            shown.append(text)
    assert standin.SOURCE["en"] in "".join(shown)  # the stand-in's own source line is what is shown


def test_a_real_place_name_sits_beside_its_score_on_the_results_page(site, standin_manifest):
    m = manifests.load(standin_manifest)
    spec = evi.analysis_spec(None, m)
    data = evi.indicator_data(evi.read_inputs(spec, manifest=m), spec)
    result = evi.compare.build(spec, evi.at_level(data, "csd"))
    top = result.scores.nsmallest(1, "rank").merge(data[["DGUID", "GEO_NAME"]], on="DGUID").iloc[0]
    names = census.extract(standin_manifest.parent / standin.CSD_ZIP, [1], level="Census subdivision")["GEO_NAME"]
    assert top["GEO_NAME"] in set(names) and "(demo)" not in top["GEO_NAME"]  # a real name, from the stand-in file
    rows = [htmllib.unescape(re.sub(r"<[^>]+>", " ", r)) for r in
            re.findall(r"<tr>(.*?)</tr>", page(site, "18-evi-results"), flags=re.S)]
    assert any(f" {top['GEO_NAME']} " in row and f" {top['score']:.1f} " in row for row in rows)


def test_exports_differ_from_the_demo_build(site, demo_exports, facts):
    for file in CSV_EXPORTS:
        ours, demo = download(site, "18-evi-results", file), demo_exports / file
        # equal when another build executed notebook 18 (on the demo) between this build's execution
        # and its copy of the downloads: notebooks/evi-exports is shared by every build of the checkout
        assert ours.read_bytes() != demo.read_bytes(), f"the stand-in site offers the demo's {file}"
    ours = pd.read_csv(download(site, "18-evi-results", "evi_csd.csv"), encoding="utf-8-sig", dtype={"DGUID": str})
    demo = pd.read_csv(demo_exports / "evi_csd.csv", encoding="utf-8-sig", dtype={"DGUID": str})
    assert len(ours) == facts["census_subdivisions"] < len(demo)
    assert set(ours["DGUID"].str[9:11]) == set(facts["provinces"])
    shared = ours.merge(demo, on="DGUID", suffixes=("", "_demo"))
    assert (shared["E-Vulnerability Index"] != shared["E-Vulnerability Index_demo"]).mean() > 0.95
    das = pd.read_csv(download(site, "18-evi-results", "evi_da.csv"), encoding="utf-8-sig", dtype={"DGUID": str})
    assert len(das) == sum(facts["dissemination_areas"].values())  # the demo has Prince Edward Island's only


def test_demo_names_no_real_place_beside_a_synthetic_score(demo_exports):
    demo = pd.read_csv(demo_exports / "evi_csd.csv", encoding="utf-8-sig", dtype={"DGUID": str})
    assert demo["Area"].str.fullmatch(r"CSD\u00a0\d{7} \(demo\)").all()
    shown = (demo_exports.parent / "outputs.html").read_text(encoding="utf-8")
    assert "(demo)" in shown and "Charlottetown" not in shown and "Halifax" not in shown
