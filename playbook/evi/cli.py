"""``python -m playbook evi ...``: the E-Vulnerability Index's own commands.

``evi dictionary`` regenerates the data dictionary page from the spec (``--check`` only compares,
and exits 1 when the committed page is out of date).
"""

from __future__ import annotations

import sys
from pathlib import Path

from playbook import i18n
from playbook.io import atomic_path


def _dictionary(args) -> int:
    from playbook.evi.dictionary import PAGE, dictionary_markdown

    text = dictionary_markdown(args.spec, args.lang)
    out = Path(args.out) if args.out else PAGE
    if args.check:
        current = out.read_text(encoding="utf-8") if out.is_file() else ""
        if current != text:
            print(f"{out} is out of date: run `python -m playbook evi dictionary`", file=sys.stderr)
            return 1
        return 0
    with atomic_path(out) as tmp:
        tmp.write_text(text, encoding="utf-8")
    print(out)
    return 0


def register(commands) -> None:
    p = commands.add_parser("evi", help="E-Vulnerability Index: data dictionary")
    sub = p.add_subparsers(title="evi commands", metavar="COMMAND")
    d = sub.add_parser("dictionary", help="write the data dictionary page generated from the spec")
    d.add_argument("--spec", default=None, help="index spec (default: specs/evi.yml)")
    d.add_argument("--out", default=None, help="page to write (default: book/evi/data-dictionary.md)")
    d.add_argument("--lang", choices=i18n.LANGUAGES, default="en", help="language of the page (default: en)")
    d.add_argument("--check", action="store_true", help="only check that the page is up to date")
    d.set_defaults(func=_dictionary)
    p.set_defaults(func=lambda a: (p.print_help(), 0)[1])
