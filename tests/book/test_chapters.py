"""The guide's chapters follow their skeleton, are in the table of contents and the translation
list, and their templates generate as Word documents."""

import re
from pathlib import Path

import docx
import pytest
import yaml

from playbook.book import templates, translate
from tests.book.test_toc import toc_files
from tests.book.test_translate import pending_pages

ROOT = Path(__file__).resolve().parents[2]
CHAPTERS = sorted(p for p in (ROOT / "book").glob("[0-9][0-9]-*/index.md"))
SECTIONS = ("## Overview", "## Key takeaways", "## Questions to discuss", "## Checklist")


def prose(path: Path) -> str:
    """The page without its fenced code blocks (whose ``#`` lines are not headings)."""
    return re.sub(r"^```.*?^```", "", path.read_text(encoding="utf-8"), flags=re.S | re.M)


def test_there_are_nine_chapters_and_the_adaptation_chapter():
    names = [p.parent.name for p in CHAPTERS]
    assert names[:9] == ["01-why-ddi", "02-working-group", "03-data-governance", "04-sharing-data",
                         "05-access-and-privacy", "06-technology", "07-people-and-skills", "08-creating-demand",
                         "09-idea-to-pilot"]
    assert names[9] == "10-adapt"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.parent.name)
def test_chapter_has_its_sections_in_order(path):
    text = prose(path)
    lines = text.splitlines()
    assert lines[0].startswith("# ") and sum(line.startswith("# ") for line in lines) == 1
    positions = [lines.index(section) if section in lines else -1 for section in SECTIONS]
    assert -1 not in positions, f"{path}: missing {[s for s, p in zip(SECTIONS, positions, strict=True) if p < 0]}"
    assert positions == sorted(positions), f"{path}: sections out of order"
    checklist = text.split("## Checklist", 1)[1]
    assert len(re.findall(r"^- ☐ ", checklist, flags=re.M)) >= 3
    assert "- [ ]" not in text, "use '- ☐' (Markdown task lists render checkboxes without accessible labels)"
    questions = text.split("## Questions to discuss", 1)[1].split("## Checklist")[0]
    assert len(re.findall(r"^\d+\. ", questions, flags=re.M)) >= 3


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.parent.name)
def test_headings_never_skip_a_level(path):
    levels = [len(m) for m in re.findall(r"^(#+) ", prose(path), flags=re.M)]
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), path


def test_every_guide_page_is_in_the_toc_and_translated_or_pending():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    captions = [part["caption"] for part in toc["parts"]]
    assert "The guide" in captions and "Reference" in captions
    listed = set(toc_files(toc))
    pages = [p.relative_to(ROOT).with_suffix("").as_posix() for p in CHAPTERS]
    pages += [f"book/{name}/index" for name in ("glossary", "references", "templates", "style-guide")]
    pages += [f"book/templates/{name}" for name in templates.TEMPLATES]
    assert not set(pages) - listed
    translated = {s.page for s in translate.status("fr") if s.total and not s.missing}
    assert not set(pages) - pending_pages() - translated


def glossary_entries() -> dict[str, str]:
    """The one glossary's entries, term -> definition (the ``{glossary}`` blocks of book/glossary)."""
    text = (ROOT / "book" / "glossary" / "index.md").read_text(encoding="utf-8")
    entries = {}
    for block in re.findall(r"^```\{glossary\}\n(.*?)^```", text, flags=re.S | re.M):
        for entry in block.strip().split("\n\n"):
            term, *definition = entry.splitlines()
            entries[term] = " ".join(line.strip() for line in definition)
    return entries


def test_glossary_gives_every_term_in_english_and_french():
    entries = glossary_entries()
    assert len(entries) > 70
    assert all("French: *" in definition for definition in entries.values())
    assert "*évaluation des facteurs relatifs à la vie privée (EFVP)*" in entries["Privacy impact assessment (PIA)"]
    assert not list((ROOT / "book").glob("*/glossary.md")), "one glossary: book/glossary/index.md"


def test_every_term_the_book_links_is_in_the_glossary():
    terms = {term.lower() for term in glossary_entries()}
    pages = [*(ROOT / "book").rglob("*.md"), *(ROOT / "notebooks").glob("*.ipynb")]
    for page in pages:
        for role in re.findall(r"\{term\}`([^`]*)`", page.read_text(encoding="utf-8")):
            target = re.search(r"<([^>]*)>$", role)
            assert (target[1] if target else role).lower() in terms, f"{page.name}: {role}"


def test_chapters_only_substitute_keys_the_profiles_provide():
    from playbook.jurisdiction import load

    keys = set(load("ca").substitutions("en")) | {"lang"}
    pages = [*CHAPTERS, *(ROOT / "book").glob("*/index.md"), ROOT / "book" / "index.md"]
    for page in pages:
        text = re.sub(r"`[^`]*`", "", page.read_text(encoding="utf-8"))  # code spans are not substituted
        used = set(re.findall(r"\{\{\s*(\w+)\s*\}\}", text))
        assert used <= keys, f"{page}: unknown substitutions {used - keys}"


def test_templates_generate_word_documents_with_their_headings(tmp_path):
    written = templates.build(tmp_path)
    assert [p.name for p in written] == [f"{name}.docx" for name in templates.TEMPLATES]
    document = docx.Document(tmp_path / "information-sharing-agreement.docx")
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    for clause in ("2. Purpose", "3. Legal authority", "5. Safeguards", "8. Retention and disposal",
                   "9. Breach handling", "10. Audit and compliance"):
        assert clause in headings
    checklist = docx.Document(tmp_path / "pia-checklist.docx")
    assert sum(p.text.startswith("☐ ") for p in checklist.paragraphs) >= 20
    assert all("**" not in p.text for p in checklist.paragraphs)


def test_templates_command_writes_into_the_folder(tmp_path, capsys):
    from playbook import cli

    assert cli.main(["templates", "--out", str(tmp_path / "out")]) == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(f"{n}.docx" for n in templates.TEMPLATES)


def test_missing_template_source_is_named(tmp_path):
    from playbook.errors import PlaybookError

    with pytest.raises(PlaybookError, match="terms-of-reference.md: template source missing"):
        templates.build(tmp_path / "out", source=tmp_path)


def test_templates_are_byte_identical_from_one_build_to_the_next(tmp_path, monkeypatch):
    import time

    first = templates.build(tmp_path / "a")
    later = time.time() + 3 * 86_400
    monkeypatch.setattr(time, "time", lambda: later)  # zip entries would otherwise carry the clock's date
    second = templates.build(tmp_path / "b")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    properties = docx.Document(second[0]).core_properties
    assert properties.modified.date() == templates.FIXED_DATE.date() == properties.created.date()
