"""The guide's fill-in templates as Word documents, generated from their Markdown sources.

The templates (terms of reference, information-sharing agreement, privacy impact assessment
checklist, pilot charter) are written once, in Markdown, in ``book/templates/``. This module turns
each into a ``.docx`` file with python-docx, so the downloadable documents can never drift from the
text in the book and no binary file is edited by hand. The book build runs it before Sphinx (the
pages link the generated files with MyST's ``{download}`` role); ``python -m playbook templates
--out DIR`` writes them anywhere.

The converter understands the small Markdown subset the templates use: ``#`` headings, paragraphs,
``-`` and ``1.`` lists, ``- [ ]`` check boxes, pipe tables, ``**bold**`` and ``*italic*``; MyST
directives (lines starting with ``:::`` or ``{``) and HTML comments are skipped.

The French templates come from the same Markdown, translated block by block (headings, paragraphs,
list items, table cells) through the page's gettext catalogue — the one the French edition of the
page is built from (:mod:`playbook.book.translate`) — so a changed English sentence is flagged by
``python -m playbook translate update`` for the page and the downloads alike. :func:`build_translated`
writes them, Markdown and Word, under French file names (``template_file_*`` in the i18n catalogue)
into ``book/templates/_build/<lang>/`` (ignored by git).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from playbook import i18n
from playbook.errors import PlaybookError
from playbook.io import atomic_path
from playbook.paths import ROOT

SOURCE_DIR = ROOT / "book" / "templates"
#: Where the book build writes the generated documents (ignored by git).
BUILD_DIR = SOURCE_DIR / "docx"
#: Template pages (file stems in ``book/templates``), in the order of the book.
TEMPLATES = ("terms-of-reference", "information-sharing-agreement", "pia-checklist", "pilot-charter")
INLINE = re.compile(r"(\*\*[^*]+\*\*|\*[^*]+\*|`[^`]+`)")
SKIP = re.compile(r"^(:::|```|\{|<!--|\(.*\)=$)")
#: The date written into every generated document (properties and zip entries), so that the same
#: Markdown always gives the same bytes: a rebuild does not change the downloads.
FIXED_DATE = dt.datetime(2021, 5, 11)  # Census Day 2021 (UTC, naive as python-docx expects)
#: Where :func:`build_translated` writes the translated templates, one folder per language.
TRANSLATED_DIR = SOURCE_DIR / "_build"
#: The language tag written into a translated Word document (Word then spell-checks in it).
WORD_LANGUAGE = {"fr": "fr-CA"}


def _inline(paragraph, text: str) -> None:
    """Add ``text`` to ``paragraph`` with **bold**, *italic* and `code` runs; links keep their text."""
    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text)
    text = re.sub(r"\{[a-z]+\}`([^`<]+?)\s*(<[^>]*>)?`", r"\1", text)
    for part in INLINE.split(text):
        if not part:
            continue
        if part.startswith("**"):
            paragraph.add_run(part[2:-2]).bold = True
        elif part.startswith("`"):
            paragraph.add_run(part[1:-1]).font.name = "Courier New"
        elif part.startswith("*"):
            paragraph.add_run(part[1:-1]).italic = True
        else:
            paragraph.add_run(part)


def _table(document, rows: list[str]) -> None:
    cells = [[c.strip() for c in row.strip().strip("|").split("|")] for row in rows]
    cells = [r for r in cells if not all(re.fullmatch(r":?-{3,}:?", c) for c in r)]
    table = document.add_table(rows=len(cells), cols=max(len(r) for r in cells))
    table.style = "Table Grid"
    for i, row in enumerate(cells):
        for j, value in enumerate(row):
            _inline(table.cell(i, j).paragraphs[0], value)
            if i == 0:
                for run in table.cell(i, j).paragraphs[0].runs:
                    run.bold = True


def markdown_to_docx(text: str, target: Path, lang: str | None = None) -> Path:
    """Write the Markdown ``text`` as a Word document at ``target`` (atomically); with ``lang``
    (``"fr"``), the document and its text are marked as written in that language."""
    document = Document()
    document.styles["Normal"].font.size = Pt(11)
    if lang in WORD_LANGUAGE:
        _mark_language(document, WORD_LANGUAGE[lang])
    lines = text.splitlines()
    paragraph: list[str] = []
    table: list[str] = []
    in_fence = False

    def flush() -> None:
        if paragraph:
            _inline(document.add_paragraph(), " ".join(paragraph))
            paragraph.clear()
        if table:
            _table(document, table)
            table.clear()

    for line in lines:
        stripped = line.strip()
        if stripped.startswith(("```", ":::")):
            flush()
            in_fence = stripped.startswith("```") and not in_fence
            continue
        if in_fence or SKIP.match(stripped):
            continue
        if stripped.startswith("|"):
            if paragraph:
                flush()
            table.append(stripped)
            continue
        if table:
            flush()
        heading = re.match(r"^(#{1,4})\s+(.*)", stripped)
        item = re.match(r"^(?:[-*]|\d+\.)\s+(\[[ xX]\]\s+)?(.*)", stripped)
        if not stripped:
            flush()
        elif heading:
            flush()
            document.add_heading(heading.group(2), level=len(heading.group(1)) - 1 if len(heading.group(1)) > 1 else 0)
        elif item:
            flush()
            style = "List Number" if stripped[0].isdigit() else "List Bullet"
            box = "☐ " if item.group(1) else ""
            _inline(document.add_paragraph(style=style), box + item.group(2))
        elif line.startswith("  ") and not paragraph and document.paragraphs:
            _inline(document.paragraphs[-1], " " + stripped)  # continuation of a list item
        else:
            paragraph.append(stripped)
    flush()
    props = document.core_properties
    props.created = props.modified = props.last_printed = FIXED_DATE
    props.revision = 1
    saved = io.BytesIO()
    document.save(saved)
    with atomic_path(target) as tmp:
        _write_with_fixed_dates(saved, tmp)
    return target


def _mark_language(document, tag: str) -> None:
    """Mark the document (its properties and the Normal style, which every other style builds on)
    as written in ``tag`` (``fr-CA``)."""
    document.core_properties.language = tag
    rpr = document.styles["Normal"].element.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), tag)


def _write_with_fixed_dates(source: io.BytesIO, path: Path) -> None:
    """Copy the zip ``source`` to ``path`` with every entry dated :data:`FIXED_DATE` (same order, same data)."""
    stamp = FIXED_DATE.timetuple()[:6]
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type, fixed.external_attr = zipfile.ZIP_DEFLATED, info.external_attr
            zout.writestr(fixed, zin.read(info))


def build(out: Path = BUILD_DIR, source: Path = SOURCE_DIR) -> list[Path]:
    """Generate every template's ``.docx`` into ``out``; return the files written."""
    written = []
    for name in TEMPLATES:
        path = source / f"{name}.md"
        if not path.is_file():
            raise PlaybookError("template source missing", path=path, expected="a Markdown file in book/templates")
        written.append(markdown_to_docx(path.read_text(encoding="utf-8"), Path(out) / f"{name}.docx"))
    return written


_HEADING = re.compile(r"^(#{1,6}\s+)(.*)$")
_ITEM = re.compile(r"^(\s*(?:[-*]|\d+\.)\s+)(.*)$")
_SEPARATOR = re.compile(r"^\|?(\s*:?-{3,}:?\s*\|)+\s*:?-{0,}:?\s*$")


def translate_markdown(text: str, translate) -> str:
    """The Markdown ``text`` with every heading, paragraph, list item and table cell replaced by
    ``translate(message)``, where ``message`` is the block's text as Sphinx extracts it for the
    catalogue (lines joined by a space). Fences, directives and comments are kept as they are.
    Each translated block is written on one line (a wrapped line could start like a list item)."""
    out: list[str] = []
    block: list[str] = []  # the lines of the current paragraph or list item
    prefix = ""
    in_fence = False

    def flush() -> None:
        nonlocal prefix
        if block:
            out.append(prefix + translate(" ".join(line.strip() for line in block).strip()))
            block.clear()
        prefix = ""

    for line in text.splitlines():
        stripped = line.strip()
        if in_fence or stripped.startswith(("```", ":::")) or SKIP.match(stripped):
            flush()
            if stripped.startswith("```"):
                in_fence = not in_fence
            out.append(line)
            continue
        if not stripped:
            flush()
            out.append("")
        elif stripped.startswith("|"):
            flush()
            if _SEPARATOR.match(stripped):
                out.append(stripped)
            else:
                cells = [c.strip() for c in stripped.strip("|").split("|")]
                out.append("| " + " | ".join(translate(c) if c else "" for c in cells) + " |")
        elif heading := _HEADING.match(stripped):
            flush()
            out.append(heading.group(1) + translate(heading.group(2).strip()))
        elif item := _ITEM.match(line):
            flush()
            prefix, block[:] = item.group(1), [item.group(2)]
        else:
            block.append(stripped)  # a paragraph's line, or the continuation of a list item
    flush()
    return "\n".join(out).rstrip("\n") + "\n"


def file_stem(name: str, lang: str) -> str:
    """The file name (without suffix) of the template ``name`` in ``lang`` (``pia-checklist`` ->
    ``liste-de-verification-efvp``), from the i18n catalogue."""
    return i18n.t(f"template_file_{name.replace('-', '_')}", lang)


def build_translated(lang: str, out: Path = TRANSLATED_DIR, source: Path = SOURCE_DIR,
                     locales: Path | None = None) -> list[Path]:
    """Write every template in ``lang``, Markdown and Word, into ``<out>/<lang>/`` (under the file
    names of :func:`file_stem`), translated through the pages' catalogues; return the files
    written. A sentence not yet translated stays in English, as on the page."""
    from playbook.book import translate

    locales = locales or translate.LOCALES
    written = []
    for name in TEMPLATES:
        path = source / f"{name}.md"
        if not path.is_file():
            raise PlaybookError("template source missing", path=path, expected="a Markdown file in book/templates")
        messages = translate.translations(f"book/templates/{name}", lang, locales)
        text = translate_markdown(path.read_text(encoding="utf-8"), lambda m, known=messages: known.get(m, m))
        stem = Path(out) / lang / file_stem(name, lang)
        markdown = stem.with_suffix(".md")
        with atomic_path(markdown) as tmp:
            tmp.write_text(text, encoding="utf-8")
        written += [markdown, markdown_to_docx(text, stem.with_suffix(".docx"), lang)]
    return written
