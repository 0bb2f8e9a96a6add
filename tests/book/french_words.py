"""English words in the visible text of French pages, by word frequencies (wordfreq, whose English and
French lists ship inside the package): a word is *English* when it is common in English (Zipf >= 3)
and at least 100 times rarer in French (a Zipf 2 lower: "the", "results", "shown", not "index",
"data" or "service", which French uses too). Code, syntax-highlighted cells, hidden text, scripts and styles are
left out; so are the pages whose English is intended (the glossary gives each term's English
equivalent, the references cite English titles).

Not yet a test of the built site (issue 21 is open): on the build of 2026-12-07 it finds 219 words,
mostly raw data shown as data (client comments, the English Census Profile's labels, database
keys), titles of laws and principles (CARE), and a few untranslated table headers. Report with::

    .venv/bin/python -m tests.book.french_words _build/html/fr
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

#: Pages whose English words are intended.
INTENDED = ("book/glossary/index.html", "book/references/index.html", "book/evi/references.html")
#: Words that are names or data, not untranslated text: cited titles (the Social Vulnerability Index,
#: the Handbook on Constructing Composite Indicators), software (Leaflet), and the English Census
#: Profile's own labels and raw comments shown as data.
ALLOWED = {"leaflet", "constructing", "vulnerability", "guiding", "australia's", "households", "dissemination",
           "suppressed", "rows", "respondents", "rounding", "labelled", "predicted", "processed", "impressed",
           "invoice", "outputs"}
SKIPPED_TAGS = {"script", "style", "pre", "code", "svg", "math"}
SKIPPED_CLASSES = ("cell_input", "highlight", "visually-hidden")
VOID = {"br", "img", "input", "meta", "link", "hr", "wbr", "source", "col"}
WORD = re.compile(r"[A-Za-zÀ-ÿ’']+")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[bool] = []
        self.skipping = 0
        self.article = 0
        self.lines: list[str] = [""]

    def handle_starttag(self, tag, attrs):
        if tag == "article":
            self.article += 1
        if tag in VOID:
            return
        classes = dict(attrs).get("class") or ""
        skip = tag in SKIPPED_TAGS or any(c in classes for c in SKIPPED_CLASSES)
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
