"""The site's JavaScript is copied from the pinned npm packages; nothing points at a CDN."""

import pytest

from playbook.book import site
from playbook.book.build import language_config
from playbook.errors import PlaybookError


def test_vendor_assets_copies_vega_and_mathjax(tmp_path, root):
    static = site.vendor_assets(tmp_path / "static")
    for dest in site.VEGA_FILES.values():
        assert (static / "vendor" / dest).stat().st_size > 10_000
    assert (static / "vendor" / "mathjax" / "tex-mml-chtml.js").exists()
    assert any((static / "vendor" / "mathjax" / "output" / "chtml" / "fonts" / "woff-v2").glob("*.woff"))


def test_missing_npm_packages_give_one_clear_error(tmp_path):
    with pytest.raises(PlaybookError, match=r"npm ci"):
        site.vendor_assets(tmp_path / "static", node_modules=tmp_path / "nowhere")


def test_book_config_loads_nothing_from_a_cdn(tmp_path):
    config = language_config({}, "fr", "force", tmp_path)
    sphinx = config["sphinx"]
    assert "playbook.book.site" in sphinx["extra_extensions"]
    assert sphinx["config"]["nb_ipywidgets_js"] == {}
    assert sphinx["config"]["mathjax_path"] == site.MATHJAX_PATH
    assert sphinx["config"]["html_static_path"] == [str(tmp_path)]
