"""The whole bilingual book builds with warnings as errors, executing every notebook (the promise
of `make book`), and the two editions mirror each other."""

import html as htmllib
import re
import shutil
from pathlib import Path

import pytest

from playbook.book import translate
from tests.book.test_translate import pending_pages
from tests.conftest import pages

pytestmark = pytest.mark.slow


def front(site: Path, lang: str) -> str:
    redirect = (site / lang / "index.html").read_text(encoding="utf-8")
    target = re.search(r'url=([^"]+)"', redirect).group(1)
    return (site / lang / target).read_text(encoding="utf-8")


def article_paragraphs(page: str) -> list[str]:
    body = page.split('<article class="bd-article">', 1)[-1].split("</article>", 1)[0]
    body = re.sub(r'<div class="cell_output.*?</div>\s*</div>', "", body, flags=re.S)
    paragraphs = re.findall(r"<p>(.*?)</p>", body, flags=re.S)
    return [htmllib.unescape(re.sub(r"<[^>]+>", "", p)).strip() for p in paragraphs]


ENGLISH = {"the", "and", "of", "to", "is", "are", "with", "that", "for", "this", "which", "from"}
FRENCH = {"le", "la", "les", "et", "des", "du", "est", "sont", "avec", "que", "pour", "dans", "une", "qui"}


def looks_english(text: str) -> bool:
    words = re.findall(r"[a-zà-ÿ']+", text.lower())
    return len(words) >= 6 and sum(w in ENGLISH for w in words) > 2 * sum(w in FRENCH for w in words)


def test_landing_page_offers_both_editions(site):
    landing = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="en/index.html"' in landing and 'href="fr/index.html"' in landing


def test_front_page_says_what_the_playbook_is_and_that_data_is_synthetic(site):
    english = front(site, "en")
    assert "Data-Driven Insights" in english and "synthetic" in english
    french = front(site, "fr")
    assert "Guide sur les renseignements axés sur les données" in french and "synthétiques" in french


def test_getting_started_is_rendered_with_its_figure_and_alt_text(site):
    for lang, source in (("en", "Source: Statistics Canada, Table 98-10-0002-01"),
                         ("fr", "Source\u00a0: Statistique Canada, tableau 98-10-0002-01")):
        page = (site / lang / "notebooks" / "00-getting-started.html").read_text(encoding="utf-8")
        assert "Traceback" not in page
        images = re.findall(r'<img src="data:image/png;base64,[^"]+" alt="([^"]+)"', page)
        assert images and all(len(alt) > 40 for alt in images)
        assert source in htmllib.unescape(page)


def test_introduction_is_rendered(site):
    page = (site / "en" / "book" / "introduction" / "index.html").read_text(encoding="utf-8")
    assert "How to read, run and adapt it" in page


def test_editions_have_the_same_pages_and_code(site):
    en, fr = pages(site / "en"), pages(site / "fr")
    assert en == fr
    for page in (p for p in en if p.startswith("notebooks/")):
        code = [re.findall(r'<div class="cell_input.*?<pre>(.*?)</pre>', (site / lang / page).read_text(encoding="utf-8"),
                           flags=re.S) for lang in ("en", "fr")]
        assert code[0] and code[0] == code[1], page


def test_language_switcher_round_trips_on_every_page(site):
    for lang, other in (("en", "fr"), ("fr", "en")):
        for page in pages(site / lang):
            text = (site / lang / page).read_text(encoding="utf-8")
            link = re.search(r'class="btn btn-sm playbook-language-switch" href="([^"]+)"', text)
            assert link, f"{lang}/{page}: no language switcher"
            target = (site / lang / page).parent / link.group(1)
            assert target.resolve() == (site / other / page).resolve(), f"{lang}/{page} -> {link.group(1)}"


def test_french_pages_have_no_english_paragraph(site):
    pending = pending_pages()
    for page in pages(site / "fr"):
        if page.removesuffix(".html") in pending:
            continue
        english = [p for p in article_paragraphs((site / "fr" / page).read_text(encoding="utf-8")) if looks_english(p)]
        assert not english, f"fr/{page} still has English: {english[:2]}"


def test_french_tables_use_french_number_formats(site):
    page = (site / "fr" / "notebooks" / "00-getting-started.html").read_text(encoding="utf-8")
    assert re.search("14\u202f223\u202f94[05]", page)  # Ontario, randomly rounded to a multiple of 5
    assert re.search(r"\d+,\d\u00a0%", page)


def test_catalogues_are_in_step_with_the_sources(tmp_path):
    root = Path(__file__).resolve().parents[2]
    shutil.copytree(root / "locales", tmp_path / "locales")
    translate.update("fr", root, tmp_path / "locales")
    pending = pending_pages()
    stale = [s for s in translate.status("fr", tmp_path / "locales") if s.missing and s.page not in pending]
    assert not stale, f"English text changed without its French translation: {stale}"


def test_synthetic_pages_carry_the_banner_and_code_is_collapsed(site):
    from playbook import i18n

    for lang in ("en", "fr"):
        results = (site / lang / "notebooks" / "18-evi-results.html").read_text(encoding="utf-8")
        assert results.count('class="playbook-synthetic-banner"') == 1, f"{lang}: no banner above synthetic numbers"
        assert htmllib.escape(i18n.t("site_synthetic_banner_title", lang), quote=False) in results
        assert i18n.t("site_code_show", lang) in results and "Show code cell" not in results
        guide = (site / lang / "book" / "01-why-ddi" / "index.html").read_text(encoding="utf-8")
        assert "playbook-synthetic-banner" not in guide  # a chapter with no synthetic numbers


def test_results_at_a_glance_comes_first_with_its_findings_and_warnings(site):
    for lang, box, finding, principles in (
            ("en", "How not to use this index", "most e-vulnerable fifth", "OCAP®"),
            ("fr", "Comment ne pas utiliser cet indice", "cinquième le plus cybervulnérable", "PCAP®")):
        start = front(site, lang).split('id="where-to-start"', 1)[-1] if 'id="where-to-start"' in front(site, lang) \
            else front(site, lang).split("par-ou-commencer", 1)[-1]
        first = re.search(r'<a class="reference internal" href="([^"]+)"', start).group(1)
        assert "01-results-at-a-glance" in first, f"{lang}: the first link of the front page is {first}"
        page = htmllib.unescape((site / lang / "notebooks" / "01-results-at-a-glance.html").read_text(encoding="utf-8"))
        assert box in page and finding in page and principles in page
        assert "playbook-synthetic-banner" in page  # the demo's findings are synthetic, and say so


# Issue 22, "the site for the people who read it": what the foot of every page offers.

def test_every_page_has_its_date_modified_and_a_working_report_link(site):
    from playbook import i18n

    for lang in ("en", "fr"):
        label = re.escape(htmllib.escape(i18n.t("site_date_modified", lang), quote=False))
        for page in sorted(pages(site / lang)):
            text = (site / lang / page).read_text(encoding="utf-8")
            assert re.search(rf'<dt[^>]*>{label}</dt> <dd[^>]*><time datetime="\d{{4}}-\d{{2}}-\d{{2}}">', text), \
                f"{lang}/{page}: no date modified"
            link = re.search(r'<a class="playbook-report-problem" href="([^"]+)">([^<]+)</a>', text)
            assert link and link.group(2) == i18n.t("site_report_problem", lang), f"{lang}/{page}: no report link"
            target = htmllib.unescape(link.group(1))
            if not target.startswith(("https://", "http://", "mailto:")):
                path, _, anchor = target.partition("#")
                linked = ((site / lang / page).parent / path).resolve() if path else site / lang / page
                assert linked.is_file() and f'id="{anchor}"' in linked.read_text(encoding="utf-8"), f"{lang}/{page} -> {target}"


def test_front_page_and_every_footer_offer_the_pdf(site):
    from playbook import i18n
    from playbook.book import pdf

    pypdf = pytest.importorskip("pypdf", reason="pypdf is in requirements-dev.txt")
    for lang in ("en", "fr"):
        made = site / lang / pdf.file_name(lang)
        assert made.is_file(), f"no PDF in the {lang} edition (is chromium installed?)"
        label = i18n.t("site_pdf_link", lang, pages=len(pypdf.PdfReader(made).pages))
        link = re.compile(r'<a class="playbook-pdf-link" href="([^"]+)" download>([^<]+)</a>')
        on_front = re.search(r'<p class="playbook-pdf-download">' + link.pattern, front(site, lang))
        assert on_front and on_front.group(2) == label
        for page in sorted(pages(site / lang)):
            found = link.findall((site / lang / page).read_text(encoding="utf-8"))
            assert found, f"{lang}/{page}: no PDF link in the footer"
            assert all(((site / lang / page).parent / href).resolve() == made.resolve() for href, _ in found), page


def test_front_page_offers_four_reading_paths_and_the_introduction_links_them(site):
    for lang in ("en", "fr"):
        page = front(site, lang)
        for path in ("path-managers", "path-analysts", "path-working-group-leads", "path-adapters"):
            section = page.split(f'id="{path}"', 1)[1].split("</section>", 1)[0]
            links = re.findall(r'<a class="reference internal" href="([^"#]+)', section)
            assert 3 <= len(links) <= 6, f"{lang}: {path} has {len(links)} links"
            for href in links:
                assert (site / lang / "book" / href).resolve().is_file(), f"{lang}: {path} -> {href}"
        managers = page.split('id="path-managers"', 1)[1]
        assert re.findall(r'href="([^"#]+)', managers)[:2] == ["../notebooks/01-results-at-a-glance.html",
                                                              "../notebooks/31-service-point-map.html"]
        intro = (site / lang / "book" / "introduction" / "index.html").read_text(encoding="utf-8")
        for path in ("path-managers", "path-analysts", "path-working-group-leads", "path-adapters"):
            assert f'href="../index.html#{path}"' in intro, f"{lang}: the introduction does not link {path}"
