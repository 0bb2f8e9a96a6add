"""The French edition's bibliography style: pybtex's ``unsrt`` with French connecting words.

The French build reads ``references.fr.bib`` (the same keys as ``references.bib``, with the
official French titles of Canadian government sources and French notes) and formats it with this
style, registered as ``playbook_fr``: « et » between authors, « Rapport technique », « URL : ».
"""

from __future__ import annotations

from pybtex.plugin import register_plugin
from pybtex.richtext import Text
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.template import field, href, names, sentence, words

from playbook.i18n import NBSP

STYLE_NAME = "playbook_fr"


class FrenchStyle(UnsrtStyle):
    """``unsrt`` with French words; titles stay as published."""

    default_sorting_style = "none"

    def format_names(self, role, as_sentence=True):
        formatted = names(role, sep=", ", sep2=" et ", last_sep=" et ")
        return sentence[formatted] if as_sentence else formatted

    def format_url(self, e):
        url = field("url", raw=True)
        return words[Text(f"URL{NBSP}:"), href(url)[url]]

    def get_techreport_template(self, e):
        template = super().get_techreport_template(e)
        return _replace_word(template, "Technical Report", "Rapport technique")


def _replace_word(template, old: str, new: str):
    """Swap a literal word in a pybtex template tree (used for the few English constants)."""
    children = getattr(template, "children", None)
    if children is None:
        return template
    template.children = [new if child == old else _replace_word(child, old, new) for child in children]
    return template


def register() -> None:
    """Make the style available to sphinxcontrib-bibtex as ``playbook_fr`` (idempotent)."""
    try:
        register_plugin("pybtex.style.formatting", STYLE_NAME, FrenchStyle)
    except ValueError:  # already registered in this process
        pass

