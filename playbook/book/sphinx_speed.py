"""Three build-time fixes for inefficiencies in the libraries the book is built with: same pages, less time.

* MyST's renderer evaluates ``options.get("document", make_document())`` eagerly, so every parse
  builds a docutils document with fresh default settings (an optparse run over ~70 options, about
  0.5 ms) and throws it away. The French edition parses each of its ~3,600 translated paragraphs
  on its own, which made that waste about 2 s of every French build. Here the default settings
  are computed once per parser class and each document gets its own deep copy (0.04 ms).
* MyST builds a new Markdown parser (every rule chain and plugin) for every parse, so again for
  each translated paragraph (about 1.5 s per French build). The parser made for a configuration
  is kept and reused while it is not in use; a parse that starts during another one (an included
  file) gets a fresh parser, as before.
* Sphinx's French search indexer stems every word of every page with Snowball, without a cache
  (about 1 s per build). Stems are memoised: the stemmer is a pure function of the word.

Each patch checks that the function it replaces is still there; a library upgrade that removes or
renames it turns the patch into a no-op rather than an error. ``bench/book_build.py`` measures the
build times; the book tests check the pages.
"""

from __future__ import annotations

import copy
import functools
import importlib
import os

_MARK = "_playbook_fast"


def _replace(module: str, name: str, make) -> bool:
    """Set ``module``'s ``name`` (``"Class.method"`` for a method) to ``make(original)``, once;
    False when the module or the name is not there."""
    owner_path, _, attr = name.rpartition(".")
    try:
        owner = importlib.import_module(module)
    except ImportError:
        return False
    for part in filter(None, owner_path.split(".")):
        owner = getattr(owner, part, None)
    original = getattr(owner, attr, None)
    if original is None:
        return False
    if not getattr(original, _MARK, False):
        faster = make(original)
        setattr(faster, _MARK, True)
        setattr(owner, attr, faster)
    return True


def fast_make_document() -> bool:
    """Replace ``myst_parser``'s ``make_document`` with one that reuses default settings."""

    def make(original):
        from docutils.utils import new_document
        from myst_parser.mdit_to_docutils.base import RSTParser

        @functools.cache
        def defaults(parser_cls):
            return original(parser_cls=parser_cls).settings

        def make_document(source_path="notset", parser_cls=RSTParser):
            return new_document(source_path, settings=copy.deepcopy(defaults(parser_cls)))

        return make_document

    return _replace("myst_parser.mdit_to_docutils.base", "make_document", make)


def reused_md_parser() -> bool:
    """Reuse the Markdown parser MyST makes for a configuration, when it is not in use."""

    def make(original):
        kept: dict[tuple[int, type], tuple[object, object, list[bool]]] = {}  # (config, parser, busy)

        def create_md_parser(config, renderer):
            key = (id(config), renderer)
            hit = kept.get(key)
            if hit is not None and hit[0] is config:
                if not hit[2][0]:
                    return hit[1]
                return original(config, renderer)  # a parse inside a parse: a parser of its own
            parser = original(config, renderer)
            busy = [False]
            render = parser.render

            def guarded(src, env=None):
                busy[0] = True
                try:
                    return render(src, env)
                finally:
                    busy[0] = False

            parser.render = guarded
            kept[key] = (config, parser, busy)
            return parser

        return create_md_parser

    return _replace("myst_parser.parsers.sphinx_", "create_md_parser", make)


def cached_french_stemmer() -> bool:
    """Memoise Sphinx's French search stemmer."""

    def make(original):
        stems: dict[str, str] = {}

        def stem(self, word: str) -> str:
            try:
                return stems[word]
            except KeyError:
                stems[word] = found = original(self, word)
                return found

        return stem

    return _replace("sphinx.search.fr", "SearchFrench.stem", make)


def apply() -> None:
    """The three patches (called by the site's Sphinx extension), unless PLAYBOOK_SPHINX_SPEED=0."""
    if os.environ.get("PLAYBOOK_SPHINX_SPEED", "1") == "0":
        return
    fast_make_document()
    reused_md_parser()
    cached_french_stemmer()
