"""Remove personal information from client comments before anything else reads them.

Each kind of personal information is replaced by a typed placeholder:

=========  ===============================================================================
``[EMAIL]``    e-mail addresses
``[PHONE]``    North American phone numbers in English and French layouts ("(613) 555-0199",
               "514 555-1234", "1-800-555-0199", "613.555.0199 poste 123", "+1 416 555 0100")
``[SIN]``      Social Insurance Numbers: nine digits that pass the Luhn check (nine digits that
               fail it are file or reference numbers and are left alone)
``[POSTAL]``   Canadian postal codes ("K1A 0B1", "h2x1y4")
``[ADDRESS]``  street addresses ("123 rue Saint-Denis", "45 Main St.", "4-210 boul. René-Lévesque Ouest")
``[DOB]``      dates of birth, when a birth cue introduces them ("born on", "date de naissance", "née le")
``[NAME]``     names of persons: after a title or cue ("Mme", "Mr.", "my name is", "je m'appelle",
               "agent"), or a given name from the gazetteer ``names.yml`` with the surname after it
=========  ===============================================================================

The approach is documented and offline: regular expressions for the pattern-based types (with the
Luhn check for SINs and the North American numbering plan for phones), and cues plus a gazetteer for
names. Numbers that merely look like phone numbers — amounts, file and reference numbers, dates —
are left alone: a phone needs the 3-3-4 shape with a valid area code and exchange, and a number
right after a reference cue ("file", "dossier", "confirmation") is not a phone. Text that is already
redacted stays as it is (redaction is idempotent).

:func:`find_spans` returns the spans (start, end, type) so redaction can be measured against labelled
spans (:func:`evaluate`); :func:`redact` and :func:`redact_series` replace them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd
import yaml

from playbook.errors import PlaybookError
from playbook.feedback.words import function_words

#: The placeholder types, in order of priority when two detections overlap.
TYPES = ("EMAIL", "DOB", "SIN", "PHONE", "POSTAL", "ADDRESS", "NAME")
#: Types found by patterns (the recall target of 99 % applies to these); NAME uses cues and a gazetteer.
PATTERN_TYPES = ("EMAIL", "DOB", "SIN", "PHONE", "POSTAL", "ADDRESS")
NAMES_FILE = Path(__file__).with_name("names.yml")

UPPER = "A-ZÀ-ÖØ-Þ"
LOWER = "a-zß-öø-ÿ"
_PLACEHOLDER = re.compile(r"\[(?:" + "|".join(TYPES) + r")\]")


@dataclass(frozen=True, order=True)
class Span:
    """A piece of personal information: ``text[start:end]`` is of ``type``."""

    start: int
    end: int
    type: str


# --- pattern-based types ---------------------------------------------------------------------

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b")

_REF_CUE = (
    r"(?i:file|case|ref(?:erence)?|confirmation|account|acct|claim|invoice|order|ticket|request|application|"
    r"tracking|dossier|r[ée]f[ée]rence|demande|facture|compte|commande|billet|r[ée]clamation|no|num[ée]ro|n[o°º])"
)
# A phone: optional +1/1, a 3-digit area code (2-9xx) maybe in parentheses, a 2-9xx exchange, 4 digits;
# separators space, dot or hyphen; an optional extension (ext., x, poste, p.).
PHONE = re.compile(
    r"(?<![\w$.,-])(?:\+?1[\s.-]?)?(?:\([2-9]\d\d\)\s?|[2-9]\d\d[\s.-]?)[2-9]\d\d[\s.-]?\d{4}(?!\w|[.,]\d)"
    r"(?:\s?(?:,\s?)?(?i:ext\.?|extension|x|poste|p\.)\s?\d{1,5}\b)?"
)
_REF_BEFORE = re.compile(_REF_CUE + r"\.?\s*(?:#|:|no\.?|n[o°º]\.?|number|num[ée]ro)?\s*(?:de\s+\w+\s*)?:?\s*$")
SIN = re.compile(r"(?<![\w$.,-])\d{3}([\s-]?)\d{3}\1\d{3}(?![\w-]|[.,]\d|\s\d)")
POSTAL = re.compile(
    r"(?<![\w-])(?i:[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z])[\s-]?(?i:\d[ABCEGHJ-NPRSTV-Z]\d)(?![\w-])"
)

_FR_STREET = (
    r"(?i:rue|avenue|av\.|boulevard|boul\.|bd|chemin|ch\.|route|rang|place|c[ôo]te|mont[ée]e|all[ée]e|"
    r"impasse|croissant|promenade|ruelle|terrasse|carr[ée])"
)
_EN_STREET = (
    r"(?i:street|st\.?|avenue|ave\.?|road|rd\.?|boulevard|blvd\.?|drive|dr\.?|lane|ln\.?|crescent|cres\.?|"
    r"court|ct\.?|way|place|pl\.?|terrace|parkway|pkwy\.?|highway|hwy\.?|circle|trail|square)"
)
_WORD = rf"[{UPPER}0-9][\w'’]*(?:-[\w'’]+)*"
_DIRECTION = r"(?:\s+(?i:east|west|north|south|est|ouest|nord|sud|[NSEOW]\.?)(?![\w]))?"
ADDRESS = re.compile(
    r"(?<![\w$.,-])(?:(?i:apt\.?|app\.?|unit|suite|bureau|appartement)\s*\d+[A-Za-z]?,?\s+|\d{1,5}[A-Za-z]?-)?"
    r"\d{1,6}[A-Za-z]?,?\s+"
    r"(?:" + _FR_STREET + r"\s+(?:(?i:de\s+la|de\s+l'|de\s+l’|du|des|de|d'|d’)\s*)?"
    + _WORD + r"(?:[\s-]" + _WORD + r"){0,3}"
    r"|(?:" + _WORD + r"\s+){1,3}" + _EN_STREET + r"(?![\w]))" + _DIRECTION
    + r"(?:,?\s+(?i:apt\.?|app\.?|unit|suite|bureau|appartement|#)\s*\d+[A-Za-z]?)?"
)

_MONTHS = (
    r"(?i:jan(?:uary|vier)?|f[ée]v(?:rier)?|feb(?:ruary)?|mar(?:ch|s)?|apr(?:il)?|avr(?:il)?|may|mai|"
    r"june?|juin|july?|juil(?:let)?|aug(?:ust)?|ao[ûu]t|sept?(?:ember|embre)?|oct(?:ober|obre)?|"
    r"nov(?:ember|embre)?|d[ée]c(?:ember|embre)?)\.?"
)
_DATE = (
    r"(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"
    r"|\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})"
    r"|(?:1er|\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTHS + r",?\s+\d{4}"
    r"|" + _MONTHS + r"\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4})"
)
_BIRTH_CUE = (
    r"(?i:born(?:\s+on)?|birth\s?date|date\s+of\s+birth|d\.?o\.?b\.?|birthday(?:\s+is)?|"
    r"n[ée]e?(?:\(e\))?\s+le|date\s+de\s+naissance|naissance|d\.?d\.?n\.?)"
)
DOB = re.compile(_BIRTH_CUE + r"\s*(?:(?i:is|was|est|:|-|,|on|le|the)\s*){0,2}(?P<date>" + _DATE + r")")
# A full date with a year before 2010 is a birth date even without a cue (or with a misspelt one):
# comments are about recent service events, and old full dates in them are almost always birth dates.
_OLD_YEAR = r"(?:19\d\d|200\d)"
OLD_DATE = re.compile(
    r"(?<![\w/.-])(?:" + _OLD_YEAR + r"[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]" + _OLD_YEAR
    + r"|(?:1er|\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTHS + r",?\s+" + _OLD_YEAR
    + r"|" + _MONTHS + r"\s+\d{1,2}(?:st|nd|rd|th)?,?\s+" + _OLD_YEAR + r")(?![\w/-])"
)


_DIGIT = re.compile(r"\d")


def luhn_valid(digits: str) -> bool:
    """The Luhn (mod 10) check that every Social Insurance Number passes."""
    numbers = [int(c) for c in digits if c.isdigit()]
    total = 0
    for i, n in enumerate(reversed(numbers)):
        if i % 2 == 1:
            n *= 2
            n = n - 9 if n > 9 else n
        total += n
    return bool(numbers) and total % 10 == 0


def _after_reference_cue(text: str, start: int) -> bool:
    return bool(_REF_BEFORE.search(text[max(0, start - 30):start]))


def _pattern_spans(text: str) -> list[Span]:
    spans = [Span(m.start(), m.end(), "EMAIL") for m in EMAIL.finditer(text)] if "@" in text else []
    if _DIGIT.search(text):
        spans += [Span(m.start("date"), m.end("date"), "DOB") for m in DOB.finditer(text)]
        spans += [Span(m.start(), m.end(), "DOB") for m in OLD_DATE.finditer(text)]
        spans += [Span(m.start(), m.end(), "SIN") for m in SIN.finditer(text)
                  if luhn_valid(m.group()) and not _after_reference_cue(text, m.start())]
        spans += [Span(m.start(), m.end(), "PHONE") for m in PHONE.finditer(text)
                  if not _after_reference_cue(text, m.start())]
        spans += [Span(m.start(), m.end(), "POSTAL") for m in POSTAL.finditer(text)]
        spans += [Span(m.start(), m.end(), "ADDRESS") for m in ADDRESS.finditer(text)]
    return spans


# --- names -------------------------------------------------------------------------------------

_NAME_TOKEN = rf"[{UPPER}][{LOWER}'’]*(?:[{UPPER}][{LOWER}]+)?(?:-[{UPPER}][{LOWER}]+)*"
CAPITALIZED = re.compile(rf"(?<![\w\[-])({_NAME_TOKEN})(?:'s|’s)?(?![\w\]-])")
# Titles and cues before a name, searched in the lowercased text (much faster than a case-insensitive
# search); the name after the cue is then matched, capitalized, in the original text.
_CUE = re.compile(
    r"\b(?:m\.|mme|mlle|mrs?\.?|ms\.?|miss|dre?\.?|monsieur|madame|mademoiselle|agente?|officer|conseill[eè]re?|"
    r"advis[eo]r|representative|repr[ée]sentante?|préposée?|clerk|supervisor|superviseure?|gestionnaire|manager|"
    r"employee|employée?|worker|caseworker|l['’]agente?|my\s+name\s+is|my\s+name's|je\s+m['’]appelle|"
    r"mon\s+nom\s+est|moi\s+c['’]est|name\s*:|nom\s*:|signed\s*,?|sign[ée]\s*,?|spoke\s+(?:to|with)|"
    r"parl[ée]\s+(?:à|avec)|thanks\s+to|merci\s+à|de\s+la\s+part\s+de)"
)
# Greetings and sign-offs introduce a name only when the name ends the clause ("Thanks, Oksana").
_WEAK_CUE = r"(?i:thanks|thank\s+you|merci|regards|cordialement|sincerely|bonjour|hello|hi|hey|dear|cher|chère|allo)"
_PLACE_BEFORE = re.compile(
    r"(?i:\b(?:the|le|la|les|du|des|au|aux|rue|avenue|av\.|boulevard|boul\.|street|chemin|station|m[ée]tro|"
    r"pavillon|complexe|place|parc|park|lac|lake|mont|mount))\s+$"
)
LOWER_WORD = re.compile(rf"(?<![\w'’-])[{LOWER}]{{3,}}(?:-[{LOWER}]+)?(?![\w'’-])")
_NAME_AT = re.compile(rf"[\s,:]+(?P<name>{_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{0,2}})(?![\w-])")
_NAME_AFTER_WEAK = re.compile(
    rf"\b{_WEAK_CUE}[\s,:]+(?P<name>{_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{0,2}})(?=\s*(?:[,.!;:)\n]|$))"
)


# After a formal title the next word is a name even when typed in lowercase ("mme bergeron").
_FORMAL_TITLE = re.compile(r"\b(?:m\.|mme|mlle|mrs?\.?|ms\.?|dre?\.?|monsieur|madame|mademoiselle)")
_LOWER_NAME_AT = re.compile(rf"\s+(?P<name>[{LOWER}][{LOWER}'’]+(?:-[{LOWER}]+)?)(?![\w-])")


def _lowercase_names_after_titles(text: str, lowered: str) -> Iterator[Span]:
    for cue in _FORMAL_TITLE.finditer(lowered):
        m = _LOWER_NAME_AT.match(text, cue.end())
        if m and m.group("name") not in function_words():
            yield Span(m.start("name"), m.end("name"), "NAME")


def _names_after_cues(text: str, lowered: str) -> Iterator[tuple[int, str]]:
    """(start, text) of each run of capitalized words right after a title or cue."""
    if len(lowered) == len(text):
        for cue in _CUE.finditer(lowered):
            m = _NAME_AT.match(text, cue.end())
            if m:
                yield m.start("name"), m.group("name")
    for m in _NAME_AFTER_WEAK.finditer(text):
        yield m.start("name"), m.group("name")


@cache
def gazetteer() -> dict[str, frozenset[str]]:
    """The name lists of ``names.yml``: ``given`` (both languages), ``ambiguous`` and ``not_names``."""
    raw = yaml.safe_load(NAMES_FILE.read_text(encoding="utf-8"))
    not_names = frozenset(raw["not_names"])
    given = frozenset(n for names in raw["given"].values() for n in names)
    return {
        "given": given - not_names - frozenset(raw["ambiguous"]),
        "ambiguous": frozenset(raw["ambiguous"]) | (given & not_names),
        "not_names": not_names,
        # lowercase given names ("thanks, laura") except those that are also common words
        "lowercase": frozenset(n.lower() for n in given - not_names) - frozenset(raw["lowercase_homographs"]),
    }


def _name_spans(text: str) -> list[Span]:
    names = gazetteer()
    given, ambiguous, stop = names["given"], names["ambiguous"], names["not_names"]
    spans: list[Span] = []
    lowered_text = text.lower()
    for base, run in _names_after_cues(text, lowered_text):
        kept = []
        for tok in CAPITALIZED.finditer(run):
            if tok.group(1) in stop:
                break
            kept.append(tok)
        if kept:
            spans.append(Span(base + kept[0].start(1), base + kept[-1].end(1), "NAME"))
    if len(lowered_text) == len(text):
        spans += _lowercase_names_after_titles(text, lowered_text)
    lowered = names["lowercase"]
    spans += [Span(m.start(), m.end(), "NAME") for m in LOWER_WORD.finditer(text)
              if m.group() in lowered and not _PLACE_BEFORE.search(text, max(0, m.start() - 16), m.start())]
    tokens = list(CAPITALIZED.finditer(text))
    i = 0
    while i < len(tokens):
        word = tokens[i].group(1)
        first = word.split("-")[0]
        if _PLACE_BEFORE.search(text, max(0, tokens[i].start() - 16), tokens[i].start()):
            i += 1  # "the Jean-Talon office", "rue Saint-Denis": a place, not a person
            continue
        if word in given or (first in given and word not in stop) or word in ambiguous:
            j = i
            while (j + 1 < len(tokens) and j - i < 2 and tokens[j + 1].group(1) not in stop
                   and text[tokens[j].end():tokens[j + 1].start()].strip() == ""
                   and "'" not in tokens[j].group(0)[-2:] and "’" not in tokens[j].group(0)[-2:]):
                j += 1
            if word not in ambiguous or j > i:
                spans.append(Span(tokens[i].start(1), tokens[j].end(1), "NAME"))
            i = j + 1
        else:
            i += 1
    return spans


# --- resolution and replacement ----------------------------------------------------------------

def _resolve(spans: Iterable[Span], text: str) -> list[Span]:
    """Keep non-overlapping spans, higher-priority types first, then longer spans."""
    priority = {t: i for i, t in enumerate(TYPES)}
    chosen: list[Span] = []
    taken = [m.span() for m in _PLACEHOLDER.finditer(text)]
    for span in sorted(spans, key=lambda s: (priority[s.type], -(s.end - s.start), s.start)):
        if all(span.end <= a or span.start >= b for a, b in taken):
            chosen.append(span)
            taken.append((span.start, span.end))
    return sorted(chosen)


def find_spans(text: str) -> list[Span]:
    """Every piece of personal information in ``text``, as non-overlapping sorted spans."""
    if not isinstance(text, str) or not text:
        return []
    return _resolve([*_pattern_spans(text), *_name_spans(text)], text)


def replace_spans(text: str, spans: Sequence[Span]) -> str:
    """``text`` with each span replaced by its placeholder, e.g. ``[PHONE]``."""
    out, last = [], 0
    for span in spans:
        out.append(text[last:span.start])
        out.append(f"[{span.type}]")
        last = span.end
    out.append(text[last:])
    return "".join(out)


def redact(text: str) -> str:
    """``text`` with its personal information replaced by typed placeholders."""
    return replace_spans(text, find_spans(text)) if isinstance(text, str) else ""


class Redacted(pd.Series):
    """A Series of comments that went through :func:`redact_series`.

    The analysis functions of :mod:`playbook.feedback` (language, topics, classifier, sentiment)
    accept only this type, so raw text cannot reach a model or a chart by mistake.
    """

    @property
    def _constructor(self):
        return Redacted


def _redact_many(texts: list[str]) -> list[str]:
    return [redact(t) for t in texts]


def redact_series(texts: Iterable[str] | pd.Series, *, workers: int = 1) -> Redacted:
    """Redact every comment; missing values become empty strings. Keeps the index of a Series.

    ``workers`` > 1 spreads large inputs over that many processes (the work is pure Python).
    """
    series = texts if isinstance(texts, pd.Series) else pd.Series(list(texts))
    plain = series.fillna("").astype(str).tolist()
    if workers > 1 and len(plain) >= 10_000:
        from concurrent.futures import ProcessPoolExecutor

        gazetteer()  # load once before the processes start
        size = -(-len(plain) // (workers * 4))
        chunks = [plain[i:i + size] for i in range(0, len(plain), size)]
        with ProcessPoolExecutor(workers) as pool:
            values = [v for part in pool.map(_redact_many, chunks) for v in part]
    else:
        values = _redact_many(plain)
    return Redacted(values, index=series.index, name=series.name, dtype="object")


def require_redacted(texts: object, where: str) -> Redacted:
    """Raise unless ``texts`` came out of :func:`redact_series` (the pipeline's guarantee)."""
    if not isinstance(texts, Redacted):
        raise PlaybookError(
            f"{where} needs redacted text", field="texts",
            expected="the output of playbook.feedback.redact.redact_series (personal information removed first)",
        )
    return texts


# --- measuring it ------------------------------------------------------------------------------

def evaluate(texts: Sequence[str], truth: Sequence[Sequence[tuple[int, int, str]]]) -> pd.DataFrame:
    """Precision and recall per type against labelled spans.

    A labelled span is *found* when a predicted span of the same type overlaps it; a predicted span
    is *correct* when it overlaps a labelled span of the same type. ``leak_free`` is the share of
    labelled spans overlapped by a predicted span of any type (what matters for privacy).
    Returns one row per type plus ``ALL``: ``type, labelled, predicted, found, correct, precision,
    recall, leak_free``.
    """
    rows = {t: dict(labelled=0, predicted=0, found=0, correct=0, covered=0) for t in TYPES}
    for text, labels in zip(texts, truth, strict=True):
        pred = find_spans(text)
        for start, end, kind in labels:
            rows[kind]["labelled"] += 1
            hits = [p for p in pred if p.start < end and p.end > start]
            rows[kind]["found"] += any(p.type == kind for p in hits)
            rows[kind]["covered"] += bool(hits)
        for p in pred:
            rows[p.type]["predicted"] += 1
            rows[p.type]["correct"] += any(s < p.end and e > p.start and k == p.type for s, e, k in labels)
    table = pd.DataFrame.from_dict(rows, orient="index").rename_axis("type").reset_index()
    total = table.drop(columns="type").sum()
    table = pd.concat([table, pd.DataFrame([{"type": "ALL", **total}])], ignore_index=True)
    table["precision"] = table["correct"] / table["predicted"].where(table["predicted"] > 0)
    table["recall"] = table["found"] / table["labelled"].where(table["labelled"] > 0)
    table["leak_free"] = table["covered"] / table["labelled"].where(table["labelled"] > 0)
    return table.drop(columns="covered")
