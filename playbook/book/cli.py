"""``python -m playbook build | translate | templates``: the book's own commands."""

from __future__ import annotations

from pathlib import Path

from playbook import i18n
from playbook import jurisdiction as jur
from playbook.book.build import EXECUTE_MODES, build_book
from playbook.book.templates import BUILD_DIR, build
from playbook.book.translate import status, update
from playbook.sources import manifest as manifests


def _register_build(commands) -> None:
    """``python -m playbook build``."""
    p = commands.add_parser("build", help="build the book (HTML, English and French) with every notebook executed")
    p.add_argument("--lang", choices=[*i18n.LANGUAGES, "all"], default="all", help="edition(s) to build (default: all)")
    p.add_argument("--execute", choices=EXECUTE_MODES, default="cache", help="notebook execution (default: cache)")
    p.add_argument("--path-output", type=Path, default=None, help="folder to build into (default: the repository)")
    p.add_argument("--jurisdiction", default=None,
                   help="build a jurisdiction's edition: a code from jurisdictions/ (e.g. mb) or a profile file")
    p.add_argument("--manifest", type=Path, default=None,
                   help="build the book from an analyst's own files: an analysis manifest (YAML; see book/10-adapt)")
    p.add_argument("--no-strict", dest="strict", action="store_false", help="do not treat warnings as errors")
    p.add_argument("--no-pdf", dest="pdf", action="store_false",
                   help="do not make the guide's PDF (made with Debian's chromium; linked from every page)")

    def run(a) -> None:
        langs = i18n.LANGUAGES if a.lang == "all" else (a.lang,)
        code = a.jurisdiction or (manifests.load(a.manifest).jurisdiction if a.manifest else None)
        if code and a.lang == "all":
            langs = jur.load(code).editions
        site = build_book(langs=langs, path_output=a.path_output, execute=a.execute, strict=a.strict,
                          jurisdiction=a.jurisdiction, manifest=a.manifest, pdf=a.pdf)
        print(site / "index.html")

    p.set_defaults(func=run)


def _update(args) -> int:
    pages = update(args.lang)
    print(f"updated {len(pages)} catalogues in locales/{args.lang}/LC_MESSAGES")
    return _status(args)


def _status(args) -> int:
    rows = status(args.lang)
    for row in rows:
        flag = "" if row.missing == 0 else f"  ({row.missing} to translate, {row.fuzzy} fuzzy)"
        print(f"{row.page:<50} {row.translated:>4}/{row.total:<4}{flag}")
    return 0


def _register_translate(commands) -> None:
    """``python -m playbook translate update|status``."""
    p = commands.add_parser("translate", help="keep the French edition's message catalogues in step with the sources")
    sub = p.add_subparsers(title="actions", metavar="ACTION", required=True)
    for name, func, text in (
        ("update", _update, "extract the book's paragraphs and merge them into locales/<lang> (.po files)"),
        ("status", _status, "show how much of each page is translated"),
    ):
        action = sub.add_parser(name, help=text)
        action.add_argument("--lang", default="fr", choices=["fr"], help="target language (default: fr)")
        action.set_defaults(func=func)


def _register_templates(commands) -> None:
    """``python -m playbook templates --out DIR``."""
    p = commands.add_parser("templates", help="write the guide's templates as Word (.docx) documents")
    p.add_argument("--out", type=Path, default=BUILD_DIR, help="folder to write into (default: book/templates/docx)")

    def run(args) -> int:
        for path in build(args.out):
            print(path)
        return 0

    p.set_defaults(func=run)


def register(commands) -> None:
    _register_build(commands)
    _register_translate(commands)
    _register_templates(commands)
