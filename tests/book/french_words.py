"""English words in the visible text of French pages, by word frequencies (wordfreq, whose English and
French lists ship inside the package): a word is *English* when it is common in English (Zipf >= 3)
and at least 100 times rarer in French (a Zipf 2 lower: "the", "results", "shown", not "index",
"data" or "service", which French uses too).

Left out, because their English is not untranslated text:

- code: ``<code>``, ``<pre>``, syntax-highlighted and input cells (database keys, column names and
  file names are shown in code formatting);
- hidden text, scripts, styles, SVG and mathematics;
- the parts of a page marked in another language (``lang="en"`` on an element, WCAG 3.1.2
  "language of parts"): only genuine source data is marked so, such as the English-only labels of a
  source file shown as published, or the cited English title of a law;
- the pages whose English is intended (the glossary gives each term's English equivalent, the
  references cite English titles);
- the words of :data:`ALLOWED`, each with its reason.

``tests/book/test_french_site.py`` runs it on the French edition the test suite builds and fails on
any English word left. Report on a built site with::

    .venv/bin/python -m tests.book.french_words _build/html/fr
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

#: Pages whose English words are intended.
INTENDED = ("book/glossary/index.html", "book/references/index.html", "book/evi/references.html")
#: Words that are proper nouns or titles, not untranslated text: word -> why it is allowed. Keep it
#: short: fix the page (a label of the catalogue, code formatting, ``lang="en"`` on source data)
#: before adding a word here.
ALLOWED = {
    "care": "the CARE Principles for Indigenous Data Governance: a proper name, kept in French",
    "driven": "Data-Driven Insights, the name of the program the playbook serves: a proper name",
    "leaflet": "Leaflet, the web-map library: a product name",
    "address": "[ADDRESS], the typed placeholder redaction puts in comments: a code, the same in both editions",
}
SKIPPED_TAGS = {"script", "style", "pre", "code", "svg", "math"}
SKIPPED_CLASSES = ("cell_input", "highlight", "visually-hidden")
VOID = {"br", "img", "input", "meta", "link", "hr", "wbr", "source", "col"}
WORD = re.compile(r"[A-Za-zÀ-ÿ’']+")


class _Text(HTMLParser):
    def __init__(self, lang: str = "fr") -> None:
        super().__init__()
        self.lang = lang
        self.stack: list[bool] = []
        self.skipping = 0
        self.article = 0
        self.lines: list[str] = [""]

    def handle_starttag(self, tag, attrs):
        if tag == "article":
            self.article += 1
        if tag in VOID:
            return
        attributes = dict(attrs)
        classes = attributes.get("class") or ""
        part = (attributes.get("lang") or "").lower()[:2]
        if tag == "html":
            self.lang = part or self.lang
        skip = tag in SKIPPED_TAGS or any(c in classes for c in SKIPPED_CLASSES) \
            or (tag != "html" and bool(part) and part != self.lang)
        self.stack.append(skip)
        self.skipping += skip
        self.lines.append("")

    def handle_endtag(self, tag):
        if tag == "article":
            self.article -= 1
        if tag not in VOID and self.stack:
            self.skipping -= self.stack.pop()

    def handle_data(self, data):
        if self.article and not self.skipping:
            self.lines[-1] += data


def english_words(page_html: str) -> list[list[str]]:
    """The runs of consecutive English words (see the module docstring) in a page's article."""
    from wordfreq import zipf_frequency

    parser = _Text()
    parser.feed(page_html)
    runs = []
    for line in parser.lines:
        run: list[str] = []
        for word in [*WORD.findall(line), None]:
            lower = word.lower() if word else ""
            english = zipf_frequency(lower, "en") if word else 0.0
            if word and len(lower) > 1 and lower not in ALLOWED and english >= 3.0 \
                    and english - zipf_frequency(lower, "fr") >= 2.0:
                run.append(word)
            elif run:
                runs.append(run)
                run = []
    return runs


def site_english(french_site: Path) -> dict[str, list[list[str]]]:
    """Page -> its English runs, for every page of the French edition but the :data:`INTENDED` ones."""
    found = {}
    for page in sorted(french_site.rglob("*.html")):
        rel = page.relative_to(french_site).as_posix()
        if rel in INTENDED or rel.startswith(("_", "genindex", "search")):
            continue
        runs = english_words(page.read_text(encoding="utf-8"))
        if runs:
            found[rel] = runs
    return found


if __name__ == "__main__":
    import sys

    for page, runs in site_english(Path(sys.argv[1])).items():
        print(f"{page}: {len(runs)}: " + "; ".join(" ".join(run) for run in runs))
