"""English and French labels for figures, tables and messages: code is written once.

Labels live in ``catalogue.yml`` (``key: {en: ..., fr: ...}``); every key must exist in both
languages (a test checks). The language comes from the ``lang`` argument, else the
``PLAYBOOK_LANG`` environment variable (set by the French build), else English.

French follows Canadian conventions: a space (narrow no-break) as thousands separator, a decimal
comma, and a no-break space before ``; : ! ?`` and inside « guillemets ».
"""

from __future__ import annotations

import math
import os
from functools import cache
from pathlib import Path

import yaml

from playbook.errors import PlaybookError

LANGUAGES = ("en", "fr")
CATALOGUE = Path(__file__).with_name("catalogue.yml")
NNBSP = "\u202f"  # narrow no-break space: French thousands separator and before ; ! ?
NBSP = "\u00a0"  # no-break space: French before : and inside « »


def language(lang: str | None = None) -> str:
    """The language to use: ``lang``, else ``$PLAYBOOK_LANG``, else ``"en"``."""
    chosen = (lang or os.environ.get("PLAYBOOK_LANG") or "en").lower()[:2]
    if chosen not in LANGUAGES:
        raise PlaybookError(f"unknown language '{lang}'", field="lang", expected="'en' or 'fr'")
    return chosen


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """The whole catalogue: key -> {en, fr}."""
    return yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))


def t(key: str, lang: str | None = None, /, **values: object) -> str:
    """The label ``key`` in ``lang``, with ``{placeholders}`` filled from ``values``."""
    try:
        entry = catalogue()[key]
    except KeyError:
        raise PlaybookError(f"no label '{key}'", path=CATALOGUE, expected="a key defined in the catalogue") from None
    text = entry[language(lang)]
    return text.format(**values) if values else text


def format_number(value: float, lang: str | None = None, decimals: int = 0) -> str:
    """``1234567.8`` -> ``1,234,568`` (en) or ``1 234 568`` (fr, narrow no-break spaces)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "…" if language(lang) == "fr" else "..."
    text = f"{value:,.{decimals}f}"
    if language(lang) == "fr":
        text = text.replace(",", NNBSP).replace(".", ",")
    return text


def format_percent(value: float, lang: str | None = None, decimals: int = 1) -> str:
    """``12.34`` -> ``12.3%`` (en) or ``12,3 %`` (fr)."""
    number = format_number(value, lang, decimals)
    return f"{number}{NBSP}%" if language(lang) == "fr" else f"{number}%"


def source_line(source: str, *, synthetic: bool = False, lang: str | None = None) -> str:
    """"Source: <source>", ending "— demo data, synthetic" where the numbers are generated."""
    key = "source_line_synthetic" if synthetic else "source_line"
    return t(key, lang, source=source)
