"""What the foot of every page tells its reader, Canada.ca style: when the page last changed, where to
report a problem with it, and where to download the whole guide as a PDF.

A small Sphinx extension (registered by :mod:`playbook.book.site`), on ``html-page-context``:

* **Date modified** — the date of the last commit of the page's source (``git log``, read once
  for the whole repository, not once a page); for the French edition, of the page or of its
  translation catalogue, whichever changed last. A file with uncommitted changes, an untracked
  file, or a build outside a git repository gets the build date. The theme's "Last updated" line
  in the footer shows the same date.
* **Report a problem** — a link to ``playbook_report_url`` (the jurisdiction profile's
  ``report_problem``, set by :mod:`playbook.book.build`): an issue tracker's "new issue" address
  gets the page's title and address as ``?title=…&body=…``, a ``mailto:`` address as
  ``?subject=…&body=…``; with none configured the link goes to the introduction's section on
  reporting a problem (:data:`REPORT_PAGE`).
* **Download the guide (PDF, N pages)** — on the front page and in every footer, when the build made
  the PDF (``playbook_pdf_file``, ``playbook_pdf_pages``; see :mod:`playbook.book.pdf`).

Labels come from the i18n catalogue (``site_date_modified``, ``site_report_problem``,
``site_report_subject``, ``site_pdf_link``), in the page's language.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import subprocess
from pathlib import Path
from urllib.parse import quote, urlencode

from playbook import i18n

#: The page (and anchor) that says how to report a problem, when no address is configured.
REPORT_PAGE = "book/introduction/index"
REPORT_ANCHOR = "report-a-problem"
#: The class of the block of page details (the search snippets leave it out, see playbook.book.site).
CLASS = "playbook-page-details"


def git_dates(root: Path) -> dict[str, str]:
    """``path`` (relative to ``root``, POSIX) -> ISO date of the last commit that changed it, for
    every committed file under ``root``; files with uncommitted changes and untracked files are
    left out (their date is the build's). Empty outside a git repository or without git."""
    root = Path(root)

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=False)
        except OSError:
            return None
        return done.stdout if done.returncode == 0 else None

    # one pass over the history, newest first: the first date a path appears under is its latest
    log = git("log", "--relative", "--format=%x00%cs", "--name-only", "--no-renames", "--", ".")
    if log is None:
        return {}
    dates: dict[str, str] = {}
    for block in log.split("\x00")[1:]:
        lines = block.strip("\n").split("\n")
        date, files = lines[0].strip(), lines[1:]
        for name in files:
            if name and name not in dates:
                dates[name] = date
    status = git("status", "--porcelain", "-z", "--untracked-files=all", "--no-renames", "--", ".")
    top = git("rev-parse", "--show-prefix")
    prefix = (top or "").strip()
    for entry in (status or "").split("\x00"):
        if len(entry) > 3:
            name = entry[3:]
            dates.pop(name[len(prefix):] if prefix and name.startswith(prefix) else name, None)
    return dates


def page_date(docname: str, source: str, lang: str, dates: dict[str, str], today: str, root: Path) -> str:
    """The date modified of ``docname`` (source file ``source``, relative to ``root``): its last
    commit, or for a translated edition the later of its last commit and its catalogue's; the build
    date (``today``) for a file not committed as it is."""
    found = [dates.get(source, today)]
    po = f"locales/{lang}/LC_MESSAGES/{docname}.po"
    if lang != "en" and (Path(root) / po).exists():
        found.append(dates.get(po, today))
    return max(found)


def report_href(base: str, *, title: str, address: str, lang: str) -> str:
    """The "report a problem" address for the page ``title`` at ``address``: ``base`` with the page
    named in its query (``title``/``body`` for an issue tracker, ``subject``/``body`` for mail)."""
    subject = i18n.t("site_report_subject", lang, title=title)
    body = i18n.t("site_report_body", lang, title=title, address=address)
    if base.startswith("mailto:"):
        query = urlencode({"subject": subject, "body": body}, quote_via=quote)
    else:
        query = urlencode({"title": subject, "body": body}, quote_via=quote)
    return f"{base}{'&' if '?' in base else '?'}{query}"


def pdf_link(href: str, pages: int, lang: str) -> str:
    label = html.escape(i18n.t("site_pdf_link", lang, pages=pages))
    return f'<a class="playbook-pdf-link" href="{html.escape(href)}" download>{label}</a>'


def details_html(*, date: str, report: str, lang: str) -> str:
    """The block at the foot of a page: "Report a problem" (when ``report`` is an address) and
    "Date modified: YYYY-MM-DD"."""
    link = (f'<p><a class="playbook-report-problem" href="{html.escape(report)}">'
            f"{html.escape(i18n.t('site_report_problem', lang))}</a></p>") if report else ""
    return (
        f'<div class="{CLASS}" style="margin-top:3rem;padding-top:1rem;border-top:1px solid var(--pst-color-border)">'
        f"{link}"
        f'<dl style="margin:0"><dt style="display:inline;font-weight:normal">'
        f"{html.escape(i18n.t('site_date_modified', lang))}</dt> "
        f'<dd style="display:inline;margin:0"><time datetime="{date}">{date}</time></dd></dl></div>'
    )


def _relative(pagename: str, target: str) -> str:
    """``target`` (a file at the edition's root, such as the PDF) as linked from ``pagename``."""
    return "../" * pagename.count("/") + target


def _page_details(app, pagename, templatename, context, doctree) -> None:
    if doctree is None or "body" not in context:
        return  # generated pages (search, index)
    lang = i18n.language(app.config.language or None)
    dates, today = app.playbook_dates
    try:
        source = Path(app.env.doc2path(pagename)).resolve().relative_to(Path(app.srcdir).resolve()).as_posix()
    except ValueError:
        source = ""
    date = page_date(pagename, source, lang, dates, today, Path(app.srcdir))
    _last_updated(app, context, date, lang)
    title = html.unescape(_strip_tags(context.get("title") or pagename))
    base = app.config.playbook_report_url
    if base:
        # the page's address: absolute with html_baseurl, else from the site's root (<lang>/<page>.html)
        where = app.config.html_baseurl.rstrip("/") + "/" if app.config.html_baseurl else f"{lang}/"
        address = f"{where}{pagename}.html"
        report = report_href(base, title=title, address=address, lang=lang)
    elif REPORT_PAGE in app.env.all_docs:
        report = f"{app.builder.get_relative_uri(pagename, REPORT_PAGE)}#{REPORT_ANCHOR}"
    else:
        report = ""
    context["body"] += details_html(date=date, report=report, lang=lang)
    pdf, pages = app.config.playbook_pdf_file, app.config.playbook_pdf_pages
    if pdf and pages:
        link = pdf_link(_relative(pagename, pdf), pages, lang)
        footer = context.get("theme_extra_footer") or ""
        context["theme_extra_footer"] = f"{footer}<p>{link}</p>"
        if pagename == app.config.root_doc:
            body = context["body"]
            at = body.find("</h1>")
            paragraph = f'<p class="playbook-pdf-download">{link}</p>'
            context["body"] = body[: at + 5] + paragraph + body[at + 5:] if at >= 0 else paragraph + body


def _strip_tags(text: str) -> str:
    return re.sub(r"<[^>]+>", "", text)


def _last_updated(app, context, date: str, lang: str) -> None:
    """The theme's footer line "Last updated on …" shows the page's date modified, not the build's."""
    fmt = app.config.html_last_updated_fmt
    if fmt is None or not context.get("last_updated"):
        return
    from sphinx.util.i18n import format_date

    context["last_updated"] = format_date(fmt or "%b %d, %Y", date=dt.date.fromisoformat(date),
                                          language=app.config.language or "en")


def _read_dates(app) -> None:
    app.playbook_dates = (git_dates(Path(app.srcdir)), dt.date.today().isoformat())


def setup(app):
    app.add_config_value("playbook_report_url", "", "html", types=[str])
    app.add_config_value("playbook_pdf_file", "", "html", types=[str])
    app.add_config_value("playbook_pdf_pages", 0, "html", types=[int])
    app.connect("builder-inited", _read_dates)
    app.connect("html-page-context", _page_details)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
