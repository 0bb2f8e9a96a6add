"""The hand-written evaluation set of client feedback (``tests/feedback/handwritten_feedback.tsv``).

Comments written one by one in the style of Canada.ca page feedback and service-centre comment cards,
in English and French, each labelled with a language, one or more category ids of
``specs/feedback_categories.yml`` and a sentiment. Personal information is marked ``{TYPE:text}``
(as in ``tests/feedback/handwritten_pii.txt``); ``\\n`` written in a comment is a line break.

File format (UTF-8, tab-separated): lines starting with ``#`` come first, then the header
``id<TAB>language<TAB>tags<TAB>sentiment<TAB>text``, then one comment a line. Tags are separated by
``;``; ``other`` stands alone.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import yaml

from playbook.errors import PlaybookError
from playbook.paths import ROOT, specs_dir

#: The default evaluation set.
EVALSET_FILE = ROOT / "tests" / "feedback" / "handwritten_feedback.tsv"
HEADER = ("id", "language", "tags", "sentiment", "text")
LANGUAGES = ("en", "fr", "mixed")
SENTIMENTS = ("neg", "neu", "pos")
#: The kinds of personal information a mark may name.
MARK_TYPES = ("NAME", "PHONE", "EMAIL", "SIN", "POSTAL", "ADDRESS", "DOB")
MARK = re.compile(r"\{([A-Z]+):([^{}]*)\}")
_ID = re.compile(r"hf\d{3,}")


def parse_marked(line: str) -> tuple[str, tuple[tuple[str, int, int], ...]]:
    """A marked comment without its marks, and the marked spans ``(type, start, end)`` in that text.

    ``\\n`` (backslash, n) becomes a line break before the spans are counted. Raises
    :class:`PlaybookError` for a brace that is not part of a well-formed ``{TYPE:text}`` mark, an
    unknown type or an empty mark.
    """
    line = line.replace("\\n", "\n")
    parts: list[str] = []
    spans: list[tuple[str, int, int]] = []
    pos = 0
    for m in MARK.finditer(line):
        parts.append(line[pos:m.start()])
        kind, value = m.group(1), m.group(2)
        if kind not in MARK_TYPES:
            raise PlaybookError(f"unknown mark type '{kind}'", expected="one of " + ", ".join(MARK_TYPES))
        if not value.strip() or value.strip() != value:
            raise PlaybookError(f"empty or padded mark '{m.group(0)}'", expected="{TYPE:text} with text")
        start = sum(map(len, parts))
        parts.append(value)
        spans.append((kind, start, start + len(value)))
        pos = m.end()
    parts.append(line[pos:])
    text = "".join(parts)
    if "{" in text or "}" in text:
        raise PlaybookError("unbalanced markup: a brace outside a {TYPE:text} mark",
                            expected="marks written {TYPE:text}, no other braces")
    return text, tuple(spans)


def category_ids(path: str | Path | None = None) -> tuple[str, ...]:
    """The category ids of ``specs/feedback_categories.yml`` (or ``path``), ``other`` included."""
    path = Path(path or specs_dir() / "feedback_categories.yml")
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    ids = tuple(str(k) for k in (raw.get("categories") or {}))
    return ids if "other" in ids else (*ids, "other")


def _tags(value: str, allowed: tuple[str, ...], where: dict) -> tuple[str, ...]:
    tags = tuple(t.strip() for t in value.split(";"))
    expected = "one or more of " + ", ".join(t for t in allowed if t != "other") + " separated by ';', or 'other' alone"
    for tag in tags:
        if tag not in allowed:
            raise PlaybookError(f"unknown tag '{tag}'", field="tags", expected=expected, **where)
    if len(set(tags)) != len(tags):
        raise PlaybookError(f"repeated tag in '{value}'", field="tags", expected=expected, **where)
    if "other" in tags and len(tags) > 1:
        raise PlaybookError(f"'other' combined with another tag in '{value}'", field="tags", expected=expected,
                            **where)
    return tags


def read_evalset(path: str | Path | None = None, *, categories: str | Path | None = None) -> pd.DataFrame:
    """The evaluation set: one row a comment, columns ``id, language, tags, sentiment, text, marked, spans``.

    ``tags`` and ``spans`` are tuples; ``text`` has the marks removed and real line breaks, ``marked``
    is the comment as written; ``spans`` are ``(type, start, end)`` in ``text``. A malformed file
    raises :class:`PlaybookError` naming the path, the row (line number), the field and what was
    expected.
    """
    path = Path(path or EVALSET_FILE)
    allowed = category_ids(categories)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise PlaybookError("cannot read the evaluation set: " + " ".join(str(exc).split()), path=path,
                            expected="a UTF-8 tab-separated file") from None
    rows, seen, header_seen = [], {}, False
    for number, line in enumerate(lines, start=1):
        if not header_seen:
            if line.startswith("#") or not line.strip():
                continue
            if tuple(line.split("\t")) != HEADER:
                raise PlaybookError(f"bad header {line!r}", path=path, row=number, field="header",
                                    expected="\\t".join(HEADER))
            header_seen = True
            continue
        if not line.strip():
            continue
        where = dict(path=path, row=number)
        fields = line.split("\t")
        if len(fields) != len(HEADER):
            raise PlaybookError(f"{len(fields)} tab-separated fields", field="text",
                                expected=f"{len(HEADER)} fields: " + ", ".join(HEADER) + " (no tab inside a comment)",
                                **where)
        cid, language, tags, sentiment, marked = fields
        if not _ID.fullmatch(cid):
            raise PlaybookError(f"bad id '{cid}'", field="id", expected="hf followed by digits, e.g. hf001", **where)
        if cid in seen:
            raise PlaybookError(f"duplicate id '{cid}' (first on row {seen[cid]})", field="id",
                                expected="ids that are unique", **where)
        seen[cid] = number
        if language not in LANGUAGES:
            raise PlaybookError(f"unknown language '{language}'", field="language",
                                expected="one of " + ", ".join(LANGUAGES), **where)
        if sentiment not in SENTIMENTS:
            raise PlaybookError(f"unknown sentiment '{sentiment}'", field="sentiment",
                                expected="one of " + ", ".join(SENTIMENTS), **where)
        if not marked.strip():
            raise PlaybookError("empty comment", field="text", expected="a comment", **where)
        try:
            text, spans = parse_marked(marked)
        except PlaybookError as exc:
            raise PlaybookError(exc.message, field="text", expected=exc.expected, **where) from None
        rows.append(dict(id=cid, language=language, tags=_tags(tags, allowed, where), sentiment=sentiment,
                         text=text, marked=marked, spans=spans))
    if not header_seen:
        raise PlaybookError("no header", path=path, field="header", expected="\\t".join(HEADER))
    return pd.DataFrame(rows, columns=[*HEADER, "marked", "spans"])
