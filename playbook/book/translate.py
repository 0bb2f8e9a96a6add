"""The French edition's translations: gettext catalogues kept in step with the English sources.

The book has one source — English chapters and notebooks — and the French edition is that source
translated paragraph by paragraph through gettext message catalogues in ``locales/fr/LC_MESSAGES/``
(one ``.po`` file per page; Sphinx compiles them when it builds). Code cells are never translated,
so code cannot drift between languages; figure and table labels come from ``playbook.i18n``.

``python -m playbook translate update`` extracts every paragraph of the book (Sphinx's ``gettext``
builder) and merges it into the catalogues with Babel: new paragraphs appear untranslated, changed
ones are marked fuzzy with the old translation kept as a hint, removed ones become obsolete.
``python -m playbook translate status`` reports what is left to translate.

Navigation is translated through the same catalogues: page titles are the pages' own headings, and
the sidebar's section headings (the ``caption:`` entries of ``_toc.yml``) are extracted into
``book/_toc.po``; the French build gets its own table of contents with those captions
(:func:`localised_toc`). The catalogues the build reads are compiled by :func:`build_catalogues`,
which makes each translation parse as the MyST its English source was (a heading translated as
``5. Concilier…`` would otherwise be read as a numbered list, and stay English).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from playbook.errors import PlaybookError
from playbook.i18n import french_typography  # noqa: F401  (re-exported for translators' tools)
from playbook.io import atomic_path
from playbook.paths import ROOT

LOCALES = ROOT / "locales"
#: The catalogue of the table of contents' captions (the sidebar's section headings).
TOC_PAGE = "book/_toc"


@dataclass(frozen=True)
class Status:
    """Translation state of one page's catalogue."""

    page: str
    total: int
    translated: int
    fuzzy: int

    @property
    def missing(self) -> int:
        return self.total - self.translated


def catalogue_path(page: str, lang: str = "fr", locales: Path = LOCALES) -> Path:
    return locales / lang / "LC_MESSAGES" / f"{page}.po"


def read_catalogue(path: Path) -> Catalog:
    try:
        with open(path, "rb") as fh:
            return read_po(fh, abort_invalid=True)
    except (OSError, ValueError) as exc:
        raise PlaybookError(f"cannot read the message catalogue: {exc}", path=path, expected="a valid .po file") from None


#: Message domains of the HTML templates (the theme's search button...): the theme ships their
#: translations, so they are not the book's to translate.
THEME_DOMAINS = {"sphinx"}


def merge_templates(pot_dir: Path, lang: str = "fr", locales: Path = LOCALES) -> list[str]:
    """Merge every ``.pot`` template under ``pot_dir`` into ``locales/<lang>``; return the pages."""
    pages = []
    for pot in sorted(pot_dir.rglob("*.pot")):
        page = pot.relative_to(pot_dir).with_suffix("").as_posix()
        if page in THEME_DOMAINS:
            continue
        with open(pot, "rb") as fh:
            template = read_po(fh)
        target = catalogue_path(page, lang, locales)
        catalogue = read_catalogue(target) if target.exists() else Catalog(locale=lang, project="ddi-playbook")
        created = catalogue.creation_date if target.exists() else template.creation_date
        catalogue.update(template, update_header_comment=False)
        catalogue.creation_date = created  # a stable header: no diff (or merge conflict) when nothing changed
        catalogue.obsolete.clear()  # obsolete entries are history; git keeps them
        with atomic_path(target) as tmp, open(tmp, "wb") as fh:
            write_po(fh, catalogue, width=100, omit_header=False, no_location=True, sort_output=False)
        pages.append(page)
    return pages


def status(lang: str = "fr", locales: Path = LOCALES) -> list[Status]:
    """How much of each page is translated (fuzzy entries do not count: Sphinx ignores them)."""
    out = []
    for po in sorted((locales / lang / "LC_MESSAGES").rglob("*.po")):
        catalogue = read_catalogue(po)
        messages = [m for m in catalogue if m.id]
        done = [m for m in messages if m.string and not m.fuzzy]
        page = po.relative_to(locales / lang / "LC_MESSAGES").with_suffix("").as_posix()
        out.append(Status(page, len(messages), len(done), sum(m.fuzzy for m in messages)))
    return out


def update(lang: str = "fr", root: Path = ROOT, locales: Path | None = None) -> list[str]:
    """Extract the book's paragraphs with Sphinx's gettext builder and merge them into the
    catalogues (``locales``, default ``<root>/locales``)."""
    import tempfile

    from playbook.book.build import _run_jupyter_book, jurisdiction_config, language_config, word_templates

    word_templates(root)  # the templates page links them
    base = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    config = jurisdiction_config(language_config(base, "en", "off"), None, "en")
    with tempfile.TemporaryDirectory() as tmp:
        pot_dir = _run_jupyter_book(root, Path(tmp), config, "en", strict=False, builder="gettext")
        write_toc_template(root / "_toc.yml", pot_dir)
        return merge_templates(pot_dir, lang, locales or root / "locales")


def toc_captions(toc: dict) -> list[str]:
    """The ``caption:`` entries of a table of contents (``_toc.yml`` loaded), in order, once each."""
    found: list[str] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            caption = node.get("caption")
            if isinstance(caption, str) and caption.strip() and caption not in found:
                found.append(caption)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(toc)
    return found


def write_toc_template(toc_path: Path, pot_dir: Path) -> Path:
    """Write the captions of ``toc_path`` as the template ``<pot_dir>/book/_toc.pot`` (merged by
    :func:`merge_templates` like a page's, so a changed caption is marked fuzzy)."""
    toc = yaml.safe_load(Path(toc_path).read_text(encoding="utf-8"))
    template = Catalog(project="ddi-playbook")
    for caption in toc_captions(toc):
        template.add(caption, auto_comments=["caption in _toc.yml (sidebar section heading)"])
    target = pot_dir / f"{TOC_PAGE}.pot"
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as fh:
        write_po(fh, template, width=100, no_location=True)
    return target


def translations(page: str, lang: str, locales: Path) -> dict[str, str]:
    """msgid -> msgstr of the translated, not fuzzy, entries of ``page`` (empty without a catalogue)."""
    path = catalogue_path(page, lang, locales)
    if not path.exists():
        return {}
    return {m.id: m.string for m in read_catalogue(path) if m.id and m.string and not m.fuzzy}


def localised_toc(toc_path: Path, lang: str, target: Path, locales: Path = LOCALES) -> Path:
    """Write ``toc_path`` (``_toc.yml``) to ``target`` with its captions in ``lang`` from the
    ``book/_toc`` catalogue (an untranslated caption stays as it is, as Sphinx does for a page)."""
    toc = yaml.safe_load(Path(toc_path).read_text(encoding="utf-8"))
    words = translations(TOC_PAGE, lang, locales)

    def walk(node):
        if isinstance(node, dict):
            return {k: (words.get(v, v) if k == "caption" and isinstance(v, str) else walk(v)) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(target) as tmp:
        tmp.write_text(yaml.safe_dump(walk(toc), allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


#: A translation that starts like a Markdown block (``5. Titre``, ``- x``, ``# x``) would be parsed
#: as a list or heading by Sphinx, which then drops it: the marker is escaped.
_BLOCK_START = re.compile(r"^(\d{1,9})([.)])(?=\s)|^([-+*#>])(?=\s)")
#: ``l'**indice**``, ``L'{term}`…``: an apostrophe just before inline markup is read by the smart
#: quotes as a closing quote (``l”indice``); the typographic apostrophe is what French prints anyway.
_APOSTROPHE_BEFORE_MARKUP = re.compile(r"(?<=\w)'(?=[*_`{\[])")


def myst_ready(msgstr: str) -> str:
    """``msgstr`` as Sphinx must parse it to print what the translator wrote (see the patterns above)."""
    text = _BLOCK_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(1) else f"\\{m.group(3)}", msgstr)
    return _APOSTROPHE_BEFORE_MARKUP.sub("\u2019", text)


def build_catalogues(lang: str, out: Path, locales: Path = LOCALES) -> Path:
    """Compile every catalogue of ``locales/<lang>`` to ``<out>/<lang>/LC_MESSAGES/*.mo`` (the
    translated, not fuzzy, entries, through :func:`myst_ready`); return ``out`` for ``locale_dirs``."""
    source = locales / lang / "LC_MESSAGES"
    target_root = out / lang / "LC_MESSAGES"
    for po in sorted(source.rglob("*.po")):
        catalogue = read_catalogue(po)
        for message in catalogue:
            if message.id and isinstance(message.string, str) and message.string:
                message.string = myst_ready(message.string)
        target = target_root / po.relative_to(source).with_suffix(".mo")
        target.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(target) as tmp, open(tmp, "wb") as fh:
            write_mo(fh, catalogue, use_fuzzy=False)
    return out
