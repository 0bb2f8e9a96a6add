"""The whole book builds with warnings as errors, executing every notebook (the promise of `make book`)."""

import re

import pytest

from playbook.build import build_book


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    return build_book(path_output=tmp_path_factory.mktemp("book"), execute="force", strict=True)


@pytest.mark.slow
def test_front_page_says_what_the_playbook_is_and_that_data_is_synthetic(site):
    redirect = (site / "index.html").read_text(encoding="utf-8")
    target = re.search(r'url=([^"]+)"', redirect).group(1)
    html = (site / target).read_text(encoding="utf-8")
    assert "Data-Driven Insights" in html
    assert "synthetic" in html


@pytest.mark.slow
def test_getting_started_is_rendered_with_its_figure_and_alt_text(site):
    html = (site / "notebooks" / "00-getting-started.html").read_text(encoding="utf-8")
    assert "Traceback" not in html
    images = re.findall(r'<img src="data:image/png;base64,[^"]+" alt="([^"]+)"', html)
    assert images and all(len(alt) > 40 for alt in images)
    assert "Source: Statistics Canada, Table 98-10-0002-01" in html


@pytest.mark.slow
def test_introduction_is_rendered(site):
    html = (site / "book" / "introduction" / "index.html").read_text(encoding="utf-8")
    assert "How to read, run and adapt it" in html
