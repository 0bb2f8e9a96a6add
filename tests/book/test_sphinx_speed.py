"""The build-time patches change nothing but the time: same documents, same stems."""

import copy

from playbook.book import sphinx_speed


def test_make_document_gives_independent_documents_with_the_default_settings():
    from myst_parser.mdit_to_docutils import base

    reference = base.make_document("a.md").settings  # the original, or an earlier patch: same values
    assert sphinx_speed.fast_make_document()
    assert sphinx_speed.fast_make_document()  # idempotent
    first, second = base.make_document("a.md"), base.make_document("b.md")
    expected = {k: v for k, v in vars(reference).items() if k != "record_dependencies"}
    assert {k: v for k, v in vars(first.settings).items() if k != "record_dependencies"} == expected
    first.settings.report_level = 5
    assert second.settings.report_level == reference.report_level  # copies, not one shared object
    assert first["source"] == "a.md" and second["source"] == "b.md"


def test_french_stems_are_unchanged_and_memoised():
    from sphinx.search import fr

    words = ["vulnérabilité", "vulnérabilités", "données", "services", "services"]
    searcher = fr.SearchFrench.__new__(fr.SearchFrench)
    searcher.init({})
    before = [searcher.stem(w) for w in words]
    assert sphinx_speed.cached_french_stemmer()
    after = [searcher.stem(w) for w in words]
    assert after == before and before[0] == before[1]
    assert copy.copy(searcher).stem("données") == before[2]


def test_markdown_parser_is_reused_but_never_while_in_use():
    from myst_parser.config.main import MdParserConfig
    from myst_parser.mdit_to_docutils.base import DocutilsRenderer
    from myst_parser.parsers import sphinx_ as myst_sphinx

    assert sphinx_speed.reused_md_parser()
    config = MdParserConfig()
    first = myst_sphinx.create_md_parser(config, DocutilsRenderer)
    assert myst_sphinx.create_md_parser(config, DocutilsRenderer) is first
    assert myst_sphinx.create_md_parser(MdParserConfig(), DocutilsRenderer) is not first  # another config
    inner = []
    original = first.renderer.render

    def nested(tokens, options, env):  # a parse that starts while the first one runs
        inner.append(myst_sphinx.create_md_parser(config, DocutilsRenderer))
        return original(tokens, options, env)

    first.renderer.render = nested
    first.render("*a*")
    assert inner and inner[0] is not first
    assert myst_sphinx.create_md_parser(config, DocutilsRenderer) is first  # free again
