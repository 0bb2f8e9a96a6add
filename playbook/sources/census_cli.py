"""``python -m playbook census extract``: characteristics from Census Profile files to one CSV.

Contract (used by other stages; keep it stable)::

    python -m playbook census extract PATH [PATH ...] --ids 1,6,345 \
        [--level "Census subdivision"] [--rates] --out OUT.csv

writes UTF-8 CSV ``DGUID, ALT_GEO_CODE, GEO_LEVEL, GEO_NAME, c<ID>..., [r<ID>...]``, empty cells
where a value is suppressed or not applicable. A bad input prints one line and exits 2, leaving no
output file.
"""

from __future__ import annotations

from playbook import i18n
from playbook.errors import PlaybookError
from playbook.io import atomic_path
from playbook.sources import census


def _members(items: list[str] | None) -> dict[str, str]:
    out = {}
    for item in items or []:
        name, sep, member = item.rpartition("=")
        if not sep or not name or not member.strip().isdigit():
            raise PlaybookError(f"'{item}'", field="--member", expected="DIMENSION=ID such as 'Census year=1'")
        out[name.strip()] = member.strip()
    return out


def _extract(args) -> int:
    table = census.extract(
        args.paths, args.ids, level=args.level, rates=args.rates, members=_members(args.member),
        cache=not args.no_cache, progress=False if args.quiet else None,
    )
    with atomic_path(args.out) as tmp:
        table.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n", float_format="%.12g")
    if not args.quiet:
        print(i18n.t("census_extract_done", rows=len(table), columns=len(table.columns), out=args.out))
    return 0


def register(commands) -> None:
    p = commands.add_parser("census", help="read Statistics Canada Census Profile files as published")
    sub = p.add_subparsers(title="census commands", metavar="ACTION")
    e = sub.add_parser(
        "extract", help="pick characteristics from Census Profile files (.zip, .csv, TAB; 2021 or 2016) into one CSV",
        description="One row per geography, columns DGUID, ALT_GEO_CODE, GEO_LEVEL, GEO_NAME, c<ID> "
        "(and r<ID> with --rates).",
    )
    e.add_argument("paths", nargs="+", metavar="PATH", help="Census Profile files; several are read as one")
    e.add_argument("--ids", required=True, help="characteristic ids, comma-separated (e.g. 1,6,345)")
    e.add_argument("--level", default=None, help='keep one GEO_LEVEL (e.g. "Census subdivision")')
    e.add_argument("--rates", action="store_true", help="also write r<ID> from C10_RATE_TOTAL")
    e.add_argument("--out", required=True, help="output CSV (UTF-8)")
    e.add_argument("--member", action="append", metavar="DIM=ID",
                   help="2016 data tables: member of another dimension to keep (default: 1)")
    e.add_argument("--no-cache", action="store_true", help="do not read or write data/cache/census")
    e.add_argument("--quiet", action="store_true", help="no progress bar, no summary line")
    e.set_defaults(func=_extract)
    p.set_defaults(func=lambda args: p.print_help() or 0)
