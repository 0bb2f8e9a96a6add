"""``python -m playbook hierarchy [PATH] --out OUT.csv``: the geographic hierarchy as a table.

Reads a 2021 Geographic Attribute File (official ``2021_92-151_X.zip``/``.csv`` or the embedded
demo, the default) and writes one row per geography with its parent codes (UTF-8 CSV), through a
temporary file so that a failed run leaves nothing behind.
"""

from __future__ import annotations

from playbook import i18n
from playbook.errors import PlaybookError
from playbook.geo.hierarchy import read_hierarchy
from playbook.io import atomic_path, check_outputs


def _run(args) -> int:
    check_outputs([args.out], [args.path])
    table = read_hierarchy(args.path)
    if args.level:
        unknown = sorted(set(args.level) - set(table["level"]))
        if unknown:
            raise PlaybookError(f"no geography at level {', '.join(map(repr, unknown))}", field="--level",
                                expected="one of " + ", ".join(sorted(table["level"].unique())))
        table = table[table["level"].isin(args.level)]
    with atomic_path(args.out) as tmp:
        table.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n")
    print(i18n.t("geo_hierarchy_written", args.lang, rows=i18n.format_number(len(table), args.lang), path=args.out))
    return 0


def register(commands) -> None:
    p = commands.add_parser(
        "hierarchy",
        help="write the geographic hierarchy (DA -> CSD -> CD -> PR, CSD -> CMA/CA, SAC type) from a "
        "2021 geographic attribute file",
    )
    p.add_argument("path", nargs="?", default=None, help="2021_92-151_X.zip or .csv (default: the embedded demo file)")
    p.add_argument("--out", required=True, help="output CSV (UTF-8)")
    p.add_argument("--level", action="append", help="keep only this level (repeatable), e.g. 'Census subdivision'")
    p.add_argument("--lang", choices=i18n.LANGUAGES, default=None, help="language of the messages")
    p.set_defaults(func=_run)
