"""``python -m playbook datasets``: list the embedded datasets and verify their checksums."""

from __future__ import annotations

from playbook import datasets, i18n


def _run(args) -> int:
    lang = i18n.language(args.lang)
    for entry in datasets.registry().values():
        status = ""
        if args.verify:
            datasets.path(entry.name)  # raises PlaybookError on a missing or changed file
            status = "  ok"
        kind = "synthetic" if entry.synthetic else "real"
        print(f"{entry.name:<24} {kind:<9} {entry.path}{status}\n    {entry.title[lang]}\n    {entry.source_line(lang)}")
    return 0


def register(commands) -> None:
    p = commands.add_parser("datasets", help="list the embedded datasets (with --verify, check their checksums)")
    p.add_argument("--verify", action="store_true", help="check every file against its recorded SHA-256")
    p.add_argument("--lang", choices=i18n.LANGUAGES, default=None, help="language of titles and source lines")
    p.set_defaults(func=_run)
