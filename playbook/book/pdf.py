"""The guide as one PDF per language, made offline: Sphinx's ``singlehtml`` builder, printed by
Debian's Chromium.

:func:`build_pdf` builds the guide's own pages (:data:`PAGES`: the front page, the introduction,
the ten chapters, the glossary, the references and the appendix) into one HTML page with Jupyter
Book's ``singlehtml`` builder, from the same sources, configuration and translations as the site
(the French PDF from the French catalogues), adds a title page and print styles, and prints it with
``chromium --headless --print-to-pdf``. The notebooks (the analyses, which need their outputs) and
the legal-framework table, the templates (offered as Word documents), the data dictionary, the
census-file guide and the style guide are left out, and the title page says so; a link to a page left
out becomes its title in italics (:func:`_missing_page`, a small Sphinx extension loaded by this build
only).

``python -m playbook build`` calls it for each edition before the site is built, so that the site's
front page and footer can offer "Download the guide (PDF, N pages)" (see
:mod:`playbook.book.page_details`). Without Chromium the build says so in one line and the site has
no PDF link (never a dead one). No LaTeX, no downloaded browser: ``make book`` installs Debian's
``chromium`` with apt-get.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml
from babel.messages.pofile import read_po

from playbook import i18n
from playbook.errors import PlaybookError

#: The pages of the PDF, in order (the site's table of contents without the notebooks).
PAGES = (
    "book/index",
    "book/introduction/index",
    "book/01-why-ddi/index",
    "book/02-working-group/index",
    "book/03-data-governance/index",
    "book/04-sharing-data/index",
    "book/05-access-and-privacy/index",
    "book/06-technology/index",
    "book/07-people-and-skills/index",
    "book/08-creating-demand/index",
    "book/09-idea-to-pilot/index",
    "book/10-adapt/index",
    "book/glossary/index",
    "book/references/index",
    "book/appendix/index-spec",
    "book/appendix/decision-log",
    "book/evi/references",
)
#: Where Debian installs Chromium, looked up on PATH.
CHROMIUM_NAMES = ("chromium", "chromium-browser")
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--no-pdf-header-footer")
#: Print layout: Letter paper, only the article (no navigation, buttons or footer), a page break
#: before each chapter, links shown as text.
PRINT_CSS = """
@page { size: Letter; margin: 18mm 16mm 20mm 16mm; }
html, body { background: #fff !important; color: #000 !important; }
.bd-header, .bd-sidebar-primary, .bd-sidebar-secondary, .bd-header-article, .bd-footer, .bd-footer-article,
.bd-footer-content, .prev-next-area, .headerlink, .playbook-page-details, .playbook-pdf-download,
.search-button-field, .pst-js-only, #pst-back-to-top, .skip-link, .primary-toggle,
.secondary-toggle { display: none !important; }
.bd-main, .bd-content, .bd-article-container, .bd-page-width, .bd-container, .bd-container__inner,
.bd-article { max-width: none !important; width: auto !important; margin: 0 !important; padding: 0 !important;
  display: block !important; overflow: visible !important; height: auto !important; }
html, body { overflow: visible !important; height: auto !important; }
body { font-size: 10.5pt; line-height: 1.45; }
a { color: #0b4a8b !important; text-decoration: none; }
h1, h2, h3 { break-after: avoid; }
span[id^="document-"] { display: block; height: 0; break-before: page; }
#playbook-pdf-cover, #jb-print-docs-body { break-after: page; }
#jb-print-docs-body > h1 { display: none; }
table, figure, pre, .admonition { break-inside: avoid; }
#playbook-pdf-cover { padding-top: 30vh; }
#playbook-pdf-cover h1 { font-size: 26pt; margin-bottom: 1rem; }
#playbook-pdf-cover p { font-size: 12pt; max-width: 38rem; }
"""


@dataclass(frozen=True)
class Pdf:
    """A PDF of the guide: its file, number of pages and the seconds it took."""

    path: Path
    pages: int
    seconds: float


def site_config(made: Pdf | None) -> dict:
    """The Sphinx settings that make the site link ``made`` (none without a PDF: no dead link)."""
    if made is None or made.pages <= 0:
        return {}
    return {"playbook_pdf_file": made.path.name, "playbook_pdf_pages": made.pages}


def file_name(lang: str) -> str:
    """The PDF's file name in ``lang`` (``ddi-playbook.pdf``, ``guide-rad.pdf``)."""
    return i18n.t("site_pdf_file", lang) + ".pdf"


def chromium() -> str | None:
    """The Chromium executable on PATH, or None."""
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def page_count(pdf: Path) -> int:
    """The number of pages of ``pdf`` (the largest ``/Count`` of its page tree, as Chromium writes it)."""
    data = Path(pdf).read_bytes()
    counts = [int(n) for n in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", data)]
    counts += [int(n) for n in re.findall(rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", data)]
    return max(counts, default=0) or len(re.findall(rb"/Type\s*/Page\b(?!s)", data))


def write_toc(target: Path, pages: tuple[str, ...] = PAGES) -> Path:
    """The PDF's table of contents: ``pages[0]`` as root, the others as chapters."""
    toc = {"format": "jb-book", "root": pages[0], "chapters": [{"file": p} for p in pages[1:]]}
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(toc, sort_keys=False), encoding="utf-8")
    return target


def pdf_config(config: dict) -> dict:
    """The site's configuration for ``lang`` made into the PDF's: no execution, this module's
    extension, no site JavaScript."""
    config = yaml.safe_load(yaml.safe_dump(config))  # deep copy
    config.setdefault("execute", {})["execute_notebooks"] = "off"
    sphinx = config.setdefault("sphinx", {})
    sphinx["extra_extensions"] = [*(sphinx.get("extra_extensions") or []), "playbook.book.pdf"]
    options = sphinx.setdefault("config", {})
    for key in ("playbook_pdf_file", "playbook_pdf_pages"):
        options.pop(key, None)
    return config


def cover(title: str, lang: str, date: str) -> str:
    """The title page: the guide's title, its date and what the PDF leaves out."""
    note = i18n.t("site_pdf_title_note", lang, date=date)
    return (f'<section id="playbook-pdf-cover" lang="{lang}"><h1>{html.escape(title)}</h1>'
            f"<p>{html.escape(note)}</p></section>")


def printable(page: str, title: str, lang: str, date: str) -> str:
    """The singlehtml page ready to print: print styles, and the title page before the theme's
    printed table of contents (or, without one, at the top of the article)."""
    page = page.replace("</head>", f"<style>{PRINT_CSS}</style></head>", 1)
    at = page.find('<div id="jb-print-docs-body"')
    if at < 0:
        at = page.find('<article class="bd-article">')
        if at < 0:
            raise PlaybookError("the single-page build has no article to print", expected="a sphinx-book-theme page")
        at += len('<article class="bd-article">')
    return page[:at] + cover(title, lang, date) + page[at:]


def print_pdf(source: Path, out: Path, executable: str, timeout: float = 300) -> Path:
    """Print the HTML page ``source`` to ``out`` with headless Chromium (a fresh profile)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="playbook-chromium-") as profile:
        cmd = [executable, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={out}",
               Path(source).resolve().as_uri()]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise PlaybookError(f"chromium did not print the PDF within {timeout:.0f} s", path=source) from None
    if not out.exists() or out.stat().st_size == 0:
        raise PlaybookError(f"chromium did not print the PDF (exit code {done.returncode}): {done.stderr.strip()[-500:]}",
                            path=source, expected="Debian's chromium package")
    return out


def build_pdf(root: Path, work: Path, config: dict, lang: str, *, run, pages: tuple[str, ...] = PAGES,
              profile=None, manifest=None) -> Pdf | None:
    """Build the guide's PDF in ``lang`` into ``work`` and return it; None, after one line saying
    why, when Chromium is not installed. ``config`` is the edition's site configuration, its
    translations already compiled; ``run`` builds a book as the site is built
    (:func:`playbook.book.build._run_jupyter_book`)."""
    executable = chromium()
    if executable is None:
        print(f"playbook: {i18n.t('site_pdf_missing', 'en')}", file=sys.stderr)
        return None
    start = time.perf_counter()
    pages = tuple(p for p in pages if any((root / p).with_suffix(s).is_file() for s in (".md", ".ipynb")))
    toc = write_toc(work / "_build" / "_toc.pdf.yml", pages)
    built = run(root, work, pdf_config(config), lang, strict=False, builder="singlehtml",
                profile=profile, manifest=manifest, toc=toc)
    index = built.joinpath(*pages[0].split("/")).with_suffix(".html")  # index.html only redirects to it
    date = dt.date.today().isoformat()
    page = printable(index.read_text(encoding="utf-8"), config.get("title") or i18n.t("playbook_title", lang), lang, date)
    source = built / "print.html"  # the single page's links are relative to the build's root
    source.write_text(page, encoding="utf-8")
    out = print_pdf(source, work / file_name(lang), executable)
    return Pdf(out, page_count(out), time.perf_counter() - start)


# The Sphinx extension of the PDF build: a link to a page left out of the PDF (a notebook) is
# printed as that page's title, in italics, instead of a warning and a bare path.

def _page_title(path: Path, lang: str, srcdir: Path) -> str | None:
    """The ``#`` heading of a page's source (a notebook's first Markdown cell, or a Markdown file),
    translated through the page's catalogue for a translated edition."""
    try:
        if path.suffix == ".ipynb":
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
            text = "\n".join("".join(c.get("source", [])) for c in cells if c.get("cell_type") == "markdown")
        else:
            text = path.read_text(encoding="utf-8")
    except (OSError, ValueError, KeyError):
        return None
    heading = re.search(r"^# (.+)$", text, flags=re.M)
    if heading is None:
        return None
    title = heading.group(1).strip()
    po = srcdir / "locales" / lang / "LC_MESSAGES" / path.resolve().relative_to(srcdir.resolve()).with_suffix(".po")
    if lang != "en" and po.is_file():
        with open(po, "rb") as fh:
            found = read_po(fh).get(title)
        if found is not None and found.string and not found.fuzzy:
            title = found.string
    return title


def _missing_page(app, env, node, contnode):
    """``missing-reference``: a link to a page the PDF leaves out keeps its own text (a ``{doc}``
    link without text gets the page's title, in italics); the strict HTML build of the site
    catches the links that are really broken."""
    from docutils import nodes

    if node.get("reftype") not in ("doc", "myst"):
        return None
    if node.get("reftype") == "myst" or node.get("refexplicit"):
        return contnode
    target = str(node.get("reftarget", "")).split("#")[0]
    base = Path(env.doc2path(node.get("refdoc") or env.docname)).parent
    found = next((c for c in (base / f"{target}.ipynb", base / f"{target}.md") if c.is_file()), None)
    if found is None:
        return None  # a page that does not exist: Sphinx warns
    return nodes.emphasis(text=_page_title(found, app.config.language or "en", Path(app.srcdir)) or contnode.astext())


def setup(app):
    app.connect("missing-reference", _missing_page)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
