"""The guide's PDF (playbook.book.pdf): built offline with Sphinx's singlehtml builder and Debian's
Chromium, in both languages; without Chromium the build says so in one line and the site has no PDF
link. Slow: two small book builds (the front page and the introduction), about 10 s each."""

import shutil
from pathlib import Path

import pytest
import yaml

from playbook import i18n
from playbook.book import build, pdf
from playbook.paths import ROOT

pytestmark = pytest.mark.slow
pypdf = pytest.importorskip("pypdf", reason="pypdf is in requirements-dev.txt")

SUBSET = ("book/index", "book/introduction/index")


def edition_config(lang: str, work: Path) -> dict:
    base = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config = build.jurisdiction_config(build.language_config(base, lang, "off"), None, lang)
    build.translated_sources(ROOT, work, config, lang)  # the French catalogues, as the French site
    return config


@pytest.fixture(scope="module", params=["en", "fr"])
def made(request, tmp_path_factory):
    if pdf.chromium() is None:
        pytest.fail("Debian's chromium is missing: `make test` installs it with apt-get (make system-deps)")
    lang = request.param
    work = tmp_path_factory.mktemp(f"pdf-{lang}")
    return lang, pdf.build_pdf(ROOT, work, edition_config(lang, work), lang, run=build._run_jupyter_book, pages=SUBSET)


def test_the_pdf_exists_with_a_sane_number_of_pages(made):
    lang, result = made
    assert result.path.is_file() and result.path.name == pdf.file_name(lang)
    pages = len(pypdf.PdfReader(result.path).pages)
    assert 3 <= pages <= 40  # title page, contents, front page, introduction
    assert result.pages == pages  # the count the site's link shows


def test_the_title_page_is_in_the_edition_language(made):
    lang, result = made
    other = "fr" if lang == "en" else "en"
    first = " ".join(pypdf.PdfReader(result.path).pages[0].extract_text().split())
    assert " ".join(i18n.t("playbook_title", lang).split()) in first
    assert i18n.t("playbook_title", other) not in first
    assert " ".join(i18n.t("site_pdf_title_note", lang, date="").split()[:4]) in first  # "This PDF holds the"
    text = " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(result.path).pages)
    assert {"en": "Who this playbook is for", "fr": "À qui s’adresse ce guide"}[lang] in text


def test_without_chromium_the_build_says_so_and_makes_no_link(tmp_path, monkeypatch, capsys):
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert shutil.which("chromium") is None
    assert pdf.build_pdf(ROOT, tmp_path / "work", {}, "en", run=build._run_jupyter_book, pages=SUBSET) is None
    said = capsys.readouterr().err.strip().splitlines()
    assert len(said) == 1 and "chromium" in said[0] and "PDF" in said[0]
    assert pdf.site_config(None) == {}  # so the site gets no "Download the guide" link (see test_page_details)
    assert not (tmp_path / "work").exists()
