"""The French edition's translations: gettext catalogues kept in step with the English sources.

The book has one source — English chapters and notebooks — and the French edition is that source
translated paragraph by paragraph through gettext message catalogues in ``locales/fr/LC_MESSAGES/``
(one ``.po`` file per page; Sphinx compiles them when it builds). Code cells are never translated,
so code cannot drift between languages; figure and table labels come from ``playbook.i18n``.

``python -m playbook translate update`` extracts every paragraph of the book (Sphinx's ``gettext``
builder) and merges it into the catalogues with Babel: new paragraphs appear untranslated, changed
ones are marked fuzzy with the old translation kept as a hint, removed ones become obsolete.
``python -m playbook translate status`` reports what is left to translate.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from playbook.errors import PlaybookError
from playbook.i18n import french_typography  # noqa: F401  (re-exported for translators' tools)
from playbook.io import atomic_path
from playbook.paths import ROOT

LOCALES = ROOT / "locales"


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

    import yaml

    from playbook.book.build import _run_jupyter_book, jurisdiction_config, language_config, word_templates

    word_templates(root)  # the templates page links them
    base = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    config = jurisdiction_config(language_config(base, "en", "off"), None, "en")
    with tempfile.TemporaryDirectory() as tmp:
        pot_dir = _run_jupyter_book(root, Path(tmp), config, "en", strict=False, builder="gettext")
        return merge_templates(pot_dir, lang, locales or root / "locales")
