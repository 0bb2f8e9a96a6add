"""The French edition: catalogues merge correctly, are complete and follow French typography."""

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from playbook.book import translate
from playbook.i18n import french_typography

ROOT = Path(__file__).resolve().parents[2]
PENDING = ROOT / "locales" / "fr" / "PENDING.txt"


def _write_pot(path: Path, messages: list[str]) -> None:
    catalogue = Catalog(project="t")
    for m in messages:
        catalogue.add(m)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        write_po(fh, catalogue)


def test_merge_keeps_translations_marks_changes_and_drops_removed(tmp_path):
    pots, locales = tmp_path / "pot", tmp_path / "locales"
    _write_pot(pots / "book" / "a.pot", ["Hello", "A long paragraph about the index."])
    assert translate.merge_templates(pots, "fr", locales) == ["book/a"]
    po = translate.catalogue_path("book/a", "fr", locales)
    catalogue = translate.read_catalogue(po)
    catalogue["Hello"].string = "Bonjour"
    catalogue["A long paragraph about the index."].string = "Un long paragraphe sur l'indice."
    with open(po, "wb") as fh:
        write_po(fh, catalogue)
    assert [(s.total, s.translated) for s in translate.status("fr", locales)] == [(2, 2)]

    _write_pot(pots / "book" / "a.pot", ["Hello", "A long paragraph about the new index.", "New"])
    translate.merge_templates(pots, "fr", locales)
    merged = translate.read_catalogue(po)
    assert merged["Hello"].string == "Bonjour"
    changed = merged["A long paragraph about the new index."]
    assert changed.fuzzy and changed.string == "Un long paragraphe sur l'indice."
    assert merged["New"].string == ""
    assert merged.get("A long paragraph about the index.") is None
    [state] = translate.status("fr", locales)
    assert (state.total, state.translated, state.fuzzy, state.missing) == (3, 1, 1, 2)


def pending_pages() -> set[str]:
    if not PENDING.exists():
        return set()
    lines = PENDING.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def test_every_page_is_translated_or_listed_as_pending():
    import yaml

    from tests.book.test_toc import resolve, toc_files  # the same TOC walk as the TOC tests

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    pages = {resolve(e).relative_to(ROOT).with_suffix("").as_posix() for e in toc_files(toc)}
    states = {s.page: s for s in translate.status("fr")}
    pending = pending_pages()
    assert pending <= pages, f"PENDING.txt lists pages that do not exist: {sorted(pending - pages)}"
    for page in sorted(pages - pending):
        assert page in states, f"{page}: no French catalogue (run `python -m playbook translate update`)"
        state = states[page]
        assert state.missing == 0, f"{page}: {state.missing} paragraphs to translate ({state.fuzzy} fuzzy)"


def test_french_translations_follow_canadian_typography():
    for po in (ROOT / "locales" / "fr" / "LC_MESSAGES").rglob("*.po"):
        for message in translate.read_catalogue(po):
            if message.id and message.string:
                assert french_typography(message.string) == message.string, f"{po.name}: {message.string[:60]}"


def test_french_bibliography_has_the_same_entries_and_is_used_by_the_french_build():
    import yaml
    from pybtex.database import parse_file

    from playbook.book import bibliography
    from playbook.book.build import language_config

    english, french = parse_file(ROOT / "references.bib"), parse_file(ROOT / "references.fr.bib")
    assert set(french.entries) == set(english.entries)
    base = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    fr = language_config(base, "fr", "off")
    assert fr["bibtex_bibfiles"] == ["references.fr.bib"]
    assert fr["sphinx"]["config"]["bibtex_default_style"] == bibliography.STYLE_NAME
    assert language_config(base, "en", "off")["bibtex_bibfiles"] == ["references.bib"]


def test_french_bibliography_style_uses_french_words():
    from pybtex.database import parse_string
    from pybtex.plugin import find_plugin

    from playbook.book import bibliography

    bibliography.register()
    entries = parse_string(
        "@techreport{k, author={Doe, Jane and Roe, Rick}, title={T}, institution={I}, year={2019},"
        " url={https://example.org}}", "bibtex").entries
    style = find_plugin("pybtex.style.formatting", bibliography.STYLE_NAME)()
    [entry] = style.format_entries(entries.values())
    text = entry.text.render_as("text")
    assert text.startswith("Jane Doe et Rick Roe. T. Rapport technique, I, 2019. URL\u00a0: https://example.org")
