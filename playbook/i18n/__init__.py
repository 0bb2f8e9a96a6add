"""English and French labels for figures, tables and messages: code is written once.

Labels live in YAML files beside this module (``catalogue.yml`` for shared labels, one file per
area such as ``census.yml`` or ``index.yml``), each ``key: {en: ..., fr: ...}``; every key must
exist in both languages and be defined once (tests check). The language comes from the ``lang`` argument, else the
``PLAYBOOK_LANG`` environment variable (set by the French build), else English.

French follows Canadian conventions: a space (narrow no-break) as thousands separator, a decimal
comma, and a no-break space before ``; : ! ?`` and inside « guillemets ».
"""

from __future__ import annotations

import math
import os
import re
from functools import cache
from pathlib import Path

from playbook.errors import PlaybookError
from playbook.io import read_yaml

LANGUAGES = ("en", "fr")
CATALOGUE_DIR = Path(__file__).parent
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
    """The whole catalogue, merged from every YAML file beside this module: key -> {en, fr}."""
    merged: dict[str, dict[str, str]] = {}
    for path in sorted(CATALOGUE_DIR.glob("*.yml")):
        for key, entry in (read_yaml(path) or {}).items():
            if key in merged:
                raise PlaybookError(f"label '{key}' is defined twice", path=path, field=key, expected="unique keys")
            merged[key] = entry
    return merged


def t(key: str, lang: str | None = None, /, **values: object) -> str:
    """The label ``key`` in ``lang``, with ``{placeholders}`` filled from ``values``."""
    try:
        entry = catalogue()[key]
    except KeyError:
        raise PlaybookError(f"no label '{key}'", path=CATALOGUE_DIR, expected="a key defined in a catalogue file") from None
    lang = language(lang)
    text = entry[lang].format(**values) if values else entry[lang]
    return french_typography(text) if lang == "fr" else text


_CODE_SPAN = re.compile(r"`[^`]*`")


def french_typography(text: str) -> str:
    """Canadian French spacing: a no-break space before ``:`` and inside « », a narrow no-break
    space before ``; ! ?`` (only where the mark ends a word: URLs and Markdown are left alone, and
    so is code between backticks, such as a YAML key and its value)."""
    code = _CODE_SPAN.findall(text)
    slots = iter(range(len(code)))
    text = _CODE_SPAN.sub(lambda _: f"\ue000{next(slots)}\ue001", text)
    text = re.sub(r"[ \u00a0\u202f]?:(?=\s|$)", NBSP + ":", text)
    text = re.sub(r"(?<=[^\s\u00a0\u202f(])[ \u00a0]?([;!?])(?=\s|$)", NNBSP + r"\1", text)
    text = re.sub(r"«[ \u00a0]?", "«" + NBSP, text)
    text = re.sub(r"[ \u00a0]?»", NBSP + "»", text)
    return re.sub(r"\ue000(\d+)\ue001", lambda m: code[int(m.group(1))], text)


#: Geographic levels of the Census Profile files (``GEO_LEVEL``) whose catalogue key is not their name.
_GEO_LEVEL_KEYS = {"census metropolitan area": "geo_level_cma", "census agglomeration": "geo_level_ca"}


def geo_level(level: str, lang: str | None = None) -> str:
    """A ``GEO_LEVEL`` of the Census Profile in ``lang`` (``"Dissemination area"`` -> "Aire de
    diffusion"); a level the catalogue does not know is shown as the file gives it."""
    name = str(level).strip().lower()
    key = _GEO_LEVEL_KEYS.get(name, "geo_level_" + name.replace(" ", "_"))
    return t(key, lang) if key in catalogue() else str(level)


#: The Babel (CLDR) locale of each language's numbers: Canadian English; French with the narrow
#: no-break space between thousands (CLDR ``fr``, the typographic thin space; ``fr_CA`` has a full
#: no-break space) and the decimal comma.
NUMBER_LOCALES = {"en": "en_CA", "fr": "fr"}


@cache
def _pattern(decimals: int) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


def format_number(value: float, lang: str | None = None, decimals: int = 0) -> str:
    """``1234567.8`` -> ``1,234,568`` (en) or ``1 234 568`` (fr, narrow no-break spaces), by
    Babel's locale data (:data:`NUMBER_LOCALES`); ``decimals`` fixed decimals, rounded half to even
    on the decimal value (``2.675`` -> ``2.68``)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "…" if language(lang) == "fr" else "..."
    from babel.numbers import format_decimal

    return format_decimal(value, format=_pattern(max(0, int(decimals))), locale=NUMBER_LOCALES[language(lang)],
                          decimal_quantization=True, group_separator=True)


def format_money(value: float, lang: str | None = None, decimals: int = 0) -> str:
    """Canadian dollars in the page's language: ``$84,000`` (en), ``84 000 $`` (fr; the number by
    :func:`format_number`, the sign before the symbol in English)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "…" if language(lang) == "fr" else "..."
    number = format_number(abs(value), lang, decimals)
    sign = "-" if value < 0 else ""
    return f"{sign}{number}{NBSP}$" if language(lang) == "fr" else f"{sign}${number}"


def format_list(items, lang: str | None = None) -> str:
    """``["a", "b", "c"]`` -> ``a, b, and c`` (en) or ``a, b et c`` (fr), by Babel's locale data."""
    from babel.lists import format_list as babel_format_list

    return babel_format_list([str(i) for i in items], locale=NUMBER_LOCALES[language(lang)])


def format_percent(value: float, lang: str | None = None, decimals: int = 1) -> str:
    """``12.34`` -> ``12.3%`` (en) or ``12,3 %`` (fr)."""
    number = format_number(value, lang, decimals)
    return f"{number}{NBSP}%" if language(lang) == "fr" else f"{number}%"


def says_synthetic(text: str) -> bool:
    """Whether ``text`` (a source line or caption, in either language) says its numbers are synthetic."""
    return any(t("site_synthetic_marker", lang).lower() in text.lower() for lang in LANGUAGES)


def with_synthetic_notice(text: str | None, synthetic: bool, lang: str | None = None) -> str | None:
    """``text`` (a caption, a download's source line) ending with the "Demo data, synthetic." notice
    when ``synthetic`` and it does not say so yet; the notice alone when there is no text."""
    if not synthetic or (text and says_synthetic(text)):
        return text
    notice = t("site_synthetic_banner_title", lang)
    if not text:
        return notice
    return f"{text.rstrip()}{'' if text.rstrip().endswith(('.', '!', '?')) else '.'} {notice}"


def source_line(source: str, *, synthetic: bool = False, lang: str | None = None) -> str:
    """"Source: <source>", ending "— demo data, synthetic" where the numbers are generated."""
    key = "source_line_synthetic" if synthetic else "source_line"
    return t(key, lang, source=source)
