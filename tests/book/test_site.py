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


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_page_with_synthetic_numbers_gets_the_banner_in_its_language(lang):
    from playbook import i18n

    caption = i18n.source_line("Statistics Canada", synthetic=True, lang=lang)
    body = f"<p>{caption}</p>"
    out = site.synthetic_banner(body, lang)
    assert out.endswith(body) and out.startswith('<div class="playbook-synthetic-banner" role="note"')
    assert i18n.t("site_synthetic_banner_title", lang) in out
    assert site.synthetic_banner(out.replace(caption, ""), lang).count("playbook-synthetic-banner") == 1  # once
    real = f"<p>{i18n.source_line('Statistics Canada', synthetic=False, lang=lang)}</p>"
    assert site.synthetic_banner(real, lang) == real


def test_the_banner_has_at_least_4_5_to_1_contrast():
    import re

    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    background = re.search(r"background:(#[0-9a-f]{6})", site._BANNER).group(1)
    for colour in re.findall(r"[^-]color:(#[0-9a-f]{6})", site._BANNER):
        high, low = sorted([luminance(background), luminance(colour)], reverse=True)
        assert (high + 0.05) / (low + 0.05) >= 4.5


def test_a_collapsed_code_cell_is_named_by_its_own_text():
    context = {"body": '<details class="hide above-input"><summary aria-label="Toggle hidden content">\n'
                       '<span class="collapsed">Afficher le code</span></summary></details>'}
    site._accessible_markup(context)
    assert "aria-label" not in context["body"] and "<summary>\n<span" in context["body"]


def test_the_french_word_check_finds_english():
    from tests.book.french_words import english_words

    page = ("<article><p>Les résultats de l'indice</p><p>The results of the index are shown below</p>"
            "<pre>print('the results')</pre></article>")
    assert [" ".join(r) for r in english_words(page)] == ["The results of the", "are shown below"]



def test_search_snippets_leave_out_the_language_switcher_and_the_page_furniture():
    from types import SimpleNamespace

    script = site.search_snippets_script()
    for selector in (".bd-header-article", ".playbook-synthetic-banner", ".playbook-page-details", ".onlyprint"):
        assert selector in script  # the header holds the switcher ("Français") and the download button (".md")
    added = []
    app = SimpleNamespace(add_js_file=lambda name, **kw: added.append(kw.get("body")))
    site._page_scripts(app, "search", "search.html", {"script_files": []}, None)
    assert added == [script]
    site._page_scripts(app, "book/index", "page.html", {"script_files": [], "body": ""}, object())
    assert added == [script]  # only the search page
