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
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from docx import Document
from docx.shared import Pt

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


def markdown_to_docx(text: str, target: Path) -> Path:
    """Write the Markdown ``text`` as a Word document at ``target`` (atomically)."""
    document = Document()
    document.styles["Normal"].font.size = Pt(11)
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
