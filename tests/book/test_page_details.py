"""The foot of every page (playbook.book.page_details): the date modified from git, the "Report a
problem" link naming the page, and the PDF link only when the build made the PDF. A one-page Sphinx
build outside git (a second or two)."""

import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from playbook import i18n
from playbook.book import page_details, pdf


def sphinx_build(tmp_path: Path, lang: str = "en", **overrides) -> str:
    from sphinx.application import Sphinx

    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["playbook.book.page_details"]\nhtml_last_updated_fmt = "%Y"\n')
    (src / "index.rst").write_text("The front page\n==============\n\nSome text.\n")
    app = Sphinx(str(src), str(src), str(tmp_path / "out"), str(tmp_path / "doctrees"), "html",
                 confoverrides={"language": lang, **overrides}, status=None, warning=None, freshenv=True)
    app.build()
    return (tmp_path / "out" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_page_has_its_date_modified_and_a_report_link(tmp_path, lang):
    import datetime as dt

    page = sphinx_build(tmp_path, lang, playbook_report_url="mailto:someone@example.org")
    today = dt.date.today().isoformat()  # outside a git repository: the build date
    assert f"{i18n.t('site_date_modified', lang)}</dt>" in page and f'<time datetime="{today}">{today}</time>' in page
    href = page.split('class="playbook-report-problem" href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    parts = urlsplit(href)
    assert parts.scheme == "mailto" and parts.path == "someone@example.org"
    query = parse_qs(parts.query)
    assert "The front page" in query["subject"][0] and "index.html" in query["body"][0]
    assert i18n.t("site_report_problem", lang) in page
    assert "playbook-pdf-link" not in page  # no PDF made: no link


def test_the_pdf_link_shows_when_the_pdf_was_made(tmp_path):
    made = pdf.Pdf(tmp_path / "ddi-playbook.pdf", 73, 1.0)
    page = sphinx_build(tmp_path, "en", **pdf.site_config(made))
    assert page.count('<a class="playbook-pdf-link" href="ddi-playbook.pdf" download>Download the guide (PDF, 73 pages)</a>') == 1
    assert pdf.site_config(pdf.Pdf(made.path, 0, 1.0)) == {}


def test_an_issue_tracker_gets_the_title_and_body_in_its_query():
    href = page_details.report_href("https://example.org/team/playbook/issues/new", title="3. Data governance",
                                    address="https://example.org/en/book/03-data-governance/index.html", lang="fr")
    query = parse_qs(urlsplit(href).query)
    assert query["title"] == [i18n.t("site_report_subject", "fr", title="3. Data governance")]
    assert "https://example.org/en/book/03-data-governance/index.html" in query["body"][0]


def test_dates_come_from_one_pass_over_the_git_history(root, tmp_path):
    dates = page_details.git_dates(root)
    for name in ("LICENSE", "_toc.yml", "book/01-why-ddi/index.md"):
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--", name],
                               capture_output=True, text=True).stdout.strip()
        last = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%cs", "--", name],
                              capture_output=True, text=True).stdout.strip()
        assert dates.get(name) == (None if dirty else last), name
    assert page_details.git_dates(tmp_path) == {}  # not a repository: every page gets the build date
    assert page_details.page_date("x", "x.md", "en", {}, "2026-12-07", tmp_path) == "2026-12-07"
