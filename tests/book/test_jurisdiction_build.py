"""A jurisdiction's edition builds and is about that jurisdiction: a large province, a territory
and the municipal example, one language each to keep the test short (slow: three book builds)."""

import html as htmllib
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from playbook import jurisdiction as jur
from playbook.book import templates
from playbook.book.build import build_book
from tests.book.test_build import front

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]

#: The notebooks these tests look at, and those whose pages link to files they write ({download}).
EXECUTED = ("notebooks/00-getting-started.ipynb", "book/05-access-and-privacy/legal-framework.ipynb",
            "notebooks/18-evi-results.ipynb", "notebooks/30-mapping-service-points.ipynb",
            "notebooks/50-common-database.ipynb")
CASES = {
    # code: (name, its main law, a place in its data, a place that must not appear)
    "on": ("Ontario", "Freedom of Information and Protection of Privacy Act", "Toronto", "Winnipeg"),
    "yt": ("Yukon", "Access to Information and Protection of Privacy Act", "Whitehorse", "Toronto"),
    "ottawa": ("Ottawa", "Municipal Freedom of Information and Protection of Privacy Act", "Ottawa", "Toronto"),
}


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    out = tmp_path_factory.mktemp("tailored")
    # Only EXECUTED notebooks run (the whole book is executed by test_book).
    return {code: build_book(langs=("en",), path_output=out, execute="force", strict=True, jurisdiction=code,
                             execute_only=EXECUTED, pdf=False) for code in CASES}


def text(path) -> str:
    return htmllib.unescape(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("code", CASES)
def test_site_goes_to_its_own_folder_with_a_landing_page(sites, code):
    assert sites[code].parts[-2:] == (code, "html")
    assert f"Data-Driven Insights playbook — {CASES[code][0]}" in text(sites[code] / "index.html")


@pytest.mark.parametrize("code", CASES)
def test_front_page_names_the_jurisdiction(sites, code):
    page = htmllib.unescape(front(sites[code], "en"))
    name = CASES[code][0]
    assert f"Data-Driven Insights playbook — {name}" in page  # the site title
    assert f"Edition: {name}." in page and f"This edition is tailored to {name}" in page


@pytest.mark.parametrize("code", CASES)
def test_chapters_use_the_jurisdictions_substitutions(sites, code):
    page = text(sites[code] / "en" / "book" / "05-access-and-privacy" / "index.html")
    assert f"In this edition: {CASES[code][1]}, overseen by the" in re.sub(r"<[^>]+>", "", page)
    assert "Privacy Act, overseen by the Office of the Privacy Commissioner of Canada" not in page


@pytest.mark.parametrize("code", CASES)
def test_legal_framework_highlights_the_jurisdictions_law(sites, code):
    page = text(sites[code] / "en" / "book" / "05-access-and-privacy" / "legal-framework.html")
    highlighted = [re.sub(r"<[^>]+>", " ", row) for row in re.findall(r"<tr>(.*?)</tr>", page, flags=re.S)
                   if "▶ this edition" in row]
    assert highlighted and all(CASES[code][0] in row for row in highlighted)
    assert any(CASES[code][1] in row for row in highlighted)


@pytest.mark.parametrize("code", CASES)
def test_notebook_output_is_about_the_jurisdiction(sites, code):
    page = text(sites[code] / "en" / "notebooks" / "00-getting-started.html")
    name, _, place, elsewhere = CASES[code]
    assert "Traceback" not in page
    assert f"The largest census subdivisions of {name}" in page
    assert place in page and elsewhere not in page


def test_templates_are_downloadable_from_the_site(sites):
    site = sites["on"] / "en"
    page = text(site / "book" / "templates" / "index.html")
    for name in templates.TEMPLATES:
        for suffix in (".docx", ".md"):
            link = re.search(rf'href="([^"]*_downloads/[^"]*/{name}{re.escape(suffix)})"', page)
            assert link, f"no download link for {name}{suffix}"
            target = (site / "book" / "templates" / link.group(1)).resolve()
            assert target.is_file() and target.stat().st_size > 1000


@pytest.mark.parametrize("code", [c for c in jur.shipped() if c not in CASES])
def test_every_other_profile_runs_the_notebooks_for_its_jurisdiction(code, monkeypatch):
    """The profiles not built above: their notebooks run and show their own places (no Sphinx build)."""
    monkeypatch.setenv(jur.ENV_VAR, code)
    profile = jur.load(code)
    for path in (ROOT / "notebooks" / "00-getting-started.ipynb",
                 ROOT / "book" / "05-access-and-privacy" / "legal-framework.ipynb"):
        nb = nbformat.read(path, as_version=4)
        resources = {"metadata": {"path": str(path.parent)}}
        NotebookClient(nb, timeout=300, kernel_name="python3", resources=resources).execute()
        outputs = "".join(o.get("data", {}).get("text/html", "") for c in nb.cells if c.cell_type == "code"
                          for o in c.outputs)
        if path.name.startswith("00"):
            assert f"The largest census subdivisions of {profile.name['en']}" in outputs
        else:
            assert outputs.count("▶ this edition") == (0 if profile.pan_canadian else len(profile.laws))
