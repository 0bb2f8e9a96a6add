"""The static site's own JavaScript, shipped with it: nothing is fetched from a CDN at view time.

Two parts:

* :func:`vendor_assets` copies the few files the site needs from ``node_modules`` (installed from
  the npm registry by ``make book`` / ``make test`` with ``npm ci``, versions pinned in
  ``package-lock.json``) into a folder that the build adds to Sphinx's ``html_static_path``:
  Vega, Vega-Lite and Vega-Embed for interactive charts, MathJax for formulas.
* :func:`setup` is a small Sphinx extension: it adds the Vega scripts only to the pages that hold
  an interactive chart (so other pages stay light), and loads MathJax from the shipped copy; it
  keeps the language switcher and the page's furniture out of search snippets
  (:data:`SNIPPET_SKIP`), and sets up :mod:`playbook.book.page_details` (date modified, report a
  problem, the PDF link).
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

from playbook import i18n
from playbook.book import bibliography, sphinx_speed
from playbook.errors import PlaybookError
from playbook.figures.style import VEGA_MARKER
from playbook.paths import ROOT

#: Files copied from node_modules → _static/vendor/, in load order for the Vega ones.
VEGA_FILES = {
    "vega/build/vega.min.js": "vega/vega.min.js",
    "vega-lite/build/vega-lite.min.js": "vega/vega-lite.min.js",
    "vega-embed/build/vega-embed.min.js": "vega/vega-embed.min.js",
}
MATHJAX_FILES = {
    "mathjax/es5/tex-mml-chtml.js": "mathjax/tex-mml-chtml.js",
    "mathjax/es5/output/chtml/fonts/woff-v2": "mathjax/output/chtml/fonts/woff-v2",
}
MATHJAX_PATH = "vendor/mathjax/tex-mml-chtml.js"


def vendor_assets(target: Path, node_modules: Path | None = None) -> Path:
    """Copy the site's JavaScript into ``target/vendor`` and return ``target`` (a static path)."""
    node_modules = node_modules or ROOT / "node_modules"
    vendor = Path(target) / "vendor"
    for source, dest in {**VEGA_FILES, **MATHJAX_FILES}.items():
        src = node_modules / source
        if not src.exists():
            raise PlaybookError(
                "a JavaScript file the site ships is missing", path=src,
                expected="the npm packages installed: run `make book` (it runs `npm ci`)",
            )
        out = vendor / dest
        out.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, out, dirs_exist_ok=True)
        else:
            shutil.copy2(src, out)
    return Path(target)


def _unwanted(script) -> bool:
    # Jupyter Book adds Thebe's configuration twice (a script error on every page) and points it at
    # a CDN; the playbook does not offer live code on the site. The saved ipywidgets state (up to
    # 0.5 MB a page) is useless without the widget JavaScript, which would come from a CDN: the site
    # shows pre-rendered views and interactive Vega charts instead.
    attributes = getattr(script, "attributes", {}) or {}
    return ("thebe" in str(getattr(script, "filename", script) or "").lower()
            or "THEBE_JS_URL" in attributes.get("body", "")
            or attributes.get("type") == "application/vnd.jupyter.widget-state+json")


def _drop_unwanted_scripts(context) -> None:
    kept = [s for s in context.get("script_files", []) if not _unwanted(s)]
    context["script_files"][:] = kept  # in place: Sphinx adds per-page files to this same list


_CITATIONS = '<div role="list" class="citation-list">'
_TASK = re.compile(r'<p>(<input class="task-list-item-checkbox"[^>]*>)(.*?)</p>', re.S)
_SUMMARY = '<summary><span class="toctree-toggle" role="presentation">'
_TOGGLE = '<summary aria-label="Toggle hidden content">'


def _accessible_markup(context) -> None:
    """Fixes for axe's serious/critical rules: a checklist's checkboxes get their item's text as
    label (``label``), the sidebar's expand buttons get a name (``summary-name``), a collapsed code
    cell's toggle keeps the name its text gives (``label-content-name-mismatch``), and a
    bibliography is not announced as a list whose children are not list items
    (``aria-required-children``)."""
    if "body" in context:
        body = _TASK.sub(r"<p><label>\1\2</label></p>", context["body"])
        body = body.replace(_CITATIONS, '<div class="citation-list">')
        # a collapsed code cell's toggle is named by its own text ("Show the code", in the page's
        # language), not by myst-nb's English label, which axe flags (label-content-name-mismatch)
        context["body"] = body.replace(_TOGGLE, "<summary>")
    toctree = context.get("generate_toctree_html")
    if callable(toctree):
        name = i18n.t("site_show_subsections", context.get("language") or None)
        labelled = f'<summary><span class="visually-hidden">{name}</span><span class="toctree-toggle" role="presentation">'

        def generate_toctree_html(*args, **kwargs):
            return toctree(*args, **kwargs).replace(_SUMMARY, labelled)

        context["generate_toctree_html"] = generate_toctree_html


#: The notice above a page whose numbers are synthetic (inline colours: the same contrast, 11:1, in
#: light and dark mode).
_BANNER = ('<div class="playbook-synthetic-banner" role="note" style="background:#fff4ce;color:#3d2e00;'
           'border:1px solid #7a5c00;border-left:6px solid #7a5c00;border-radius:3px;padding:.5rem .75rem;'
           'margin:0 0 1rem"><p style="margin:0;color:#3d2e00"><strong>{title}</strong> {text}</p></div>')


def synthetic_banner(body: str, lang: str | None = None) -> str:
    """``body`` (a page's HTML) with the synthetic-data notice on top when the page shows numbers
    labelled synthetic (a source line or caption saying "demo data, synthetic"), else unchanged."""
    marker = i18n.t("site_synthetic_marker", lang).lower()
    if 'class="playbook-synthetic-banner"' in body or marker not in html.unescape(body).lower():
        return body
    notice = _BANNER.format(title=html.escape(i18n.t("site_synthetic_banner_title", lang)),
                            text=html.escape(i18n.t("site_synthetic_banner", lang)))
    return notice + body


def _page_markup(app, pagename, templatename, context, doctree) -> None:
    _accessible_markup(context)
    if context.get("body"):
        context["body"] = synthetic_banner(context["body"], context.get("language") or None)


#: What a search result's snippet leaves out: Sphinx's search shows the text of the page's
#: ``[role="main"]``, which also holds the article header (the language switcher: "Français", the
#: download button: ".md"), the theme's print-only table of contents, the synthetic-data banner,
#: the page details and the previous/next links.
SNIPPET_SKIP = (".bd-header-article", ".playbook-synthetic-banner", ".playbook-page-details", ".prev-next-area",
                ".bd-footer-article", ".bd-sidebar-secondary", ".playbook-pdf-download", ".onlyprint", "footer")
_SEARCH_SNIPPETS = """document.addEventListener("DOMContentLoaded", () => {
  if (typeof Search === "undefined" || !Search.htmlToText) return;
  const pageText = Search.htmlToText;
  Search.htmlToText = (htmlString, anchor) => {
    const page = new DOMParser().parseFromString(htmlString, "text/html");
    page.querySelectorAll(%s).forEach((el) => el.remove());
    return pageText(page.documentElement.outerHTML, anchor);
  };
});"""


def search_snippets_script() -> str:
    """The search page's script that makes result snippets show the page's own text."""
    import json

    return _SEARCH_SNIPPETS % json.dumps(", ".join(SNIPPET_SKIP))


def _page_scripts(app, pagename, templatename, context, doctree) -> None:
    _drop_unwanted_scripts(context)
    if pagename == "search":
        app.add_js_file(None, body=search_snippets_script())  # runs before searchtools.js is used
    if doctree is None or VEGA_MARKER not in context.get("body", ""):
        return
    for dest in VEGA_FILES.values():
        app.add_js_file(f"vendor/{dest}")  # called here, it applies to this page only


def setup(app):
    bibliography.register()  # the French edition's bibliography style (playbook_fr)
    sphinx_speed.apply()  # three library inefficiencies that cost seconds per build
    app.setup_extension("playbook.book.page_details")  # date modified, report a problem, the PDF link
    app.connect("html-page-context", _page_markup)
    app.connect("html-page-context", _page_scripts, priority=900)  # after myst-nb adds its scripts
    return {"parallel_read_safe": True, "parallel_write_safe": True}
