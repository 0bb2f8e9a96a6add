"""``python -m playbook datasets | census extract | download``: the sources' commands.

``census extract`` is a contract used by other stages; keep it stable::

    python -m playbook census extract PATH [PATH ...] --ids 1,6,345 \
        [--level "Census subdivision"] [--rates] --out OUT.csv

writes UTF-8 CSV ``DGUID, ALT_GEO_CODE, GEO_LEVEL, GEO_NAME, c<ID>..., [r<ID>...]``, empty cells
where a value is suppressed or not applicable. A bad input prints one line and exits 2, leaving no
output file.

``download`` fetches official files into a folder, with a checksum manifest::

    python -m playbook download census|boundaries|geo-attributes --year 2021 --level csd|da|... \
        --dest DIR [--base-url URL] [--timeout SECONDS]
    python -m playbook download service-points --source burolis --dest DIR [--base-url URL]

Every file of the level is attempted even when one fails (``--level da``: the six regional files);
each failure prints one ``error:`` line, and the command exits 2 at the end naming the files that
are missing (the manifest lists only the files that arrived whole). A server silent for
``--timeout`` seconds (default 60) is a failure, not a wait without end.
"""

from __future__ import annotations

import sys

from playbook import i18n
from playbook.errors import PlaybookError
from playbook.io import atomic_path, check_outputs
from playbook.options import positive_float
from playbook.sources import census, datasets, download


def _datasets(args) -> int:
    lang = i18n.language(args.lang)
    for entry in datasets.registry().values():
        status = ""
        if args.verify:
            datasets.path(entry.name)  # raises PlaybookError on a missing or changed file
            status = "  ok"
        kind = "synthetic" if entry.synthetic else "real"
        print(f"{entry.name:<24} {kind:<9} {entry.path}{status}\n    {entry.title[lang]}\n    {entry.source_line(lang)}")
    return 0


def _register_datasets(commands) -> None:
    p = commands.add_parser("datasets", help="list the embedded datasets (with --verify, check their checksums)")
    p.add_argument("--verify", action="store_true", help="check every file against its recorded SHA-256")
    p.add_argument("--lang", choices=i18n.LANGUAGES, default=None, help="language of titles and source lines")
    p.set_defaults(func=_datasets)


def _members(items: list[str] | None) -> dict[str, str]:
    out = {}
    for item in items or []:
        name, sep, member = item.rpartition("=")
        if not sep or not name or not member.strip().isdigit():
            raise PlaybookError(f"'{item}'", field="--member", expected="DIMENSION=ID such as 'Census year=1'")
        out[name.strip()] = member.strip()
    return out


def _extract(args) -> int:
    check_outputs([args.out], args.paths)
    table = census.extract(
        args.paths, args.ids, level=args.level, rates=args.rates, members=_members(args.member),
        cache=not args.no_cache, progress=False if args.quiet else None,
    )
    with atomic_path(args.out) as tmp:
        table.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n", float_format="%.12g")
    if not args.quiet:
        print(i18n.t("census_extract_done", rows=len(table), columns=len(table.columns), out=args.out))
    return 0


def _register_census(commands) -> None:
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


KINDS = ("census", "boundaries", "geo-attributes", "service-points")


def _download(args) -> int:
    if args.kind == "service-points":
        year, level = "current", args.source or "burolis"
    else:
        year, level = args.year, args.level or ("all" if args.kind == "geo-attributes" else None)
        if level is None:
            args.parser.error("--level is required for census and boundaries")
    chosen = download.targets(args.kind, year, level, base_url=args.base_url)
    failed = []
    for target in chosen:
        if target.status != "seen" and args.base_url is None:
            print(i18n.t("download_to_verify", name=target.file), file=sys.stderr)
        try:
            path, fetched = download.fetch(target, args.dest, timeout=args.timeout,
                                           progress=False if args.quiet else None)
        except PlaybookError as exc:
            if len(chosen) == 1:
                raise
            failed.append(target.file)  # one file missing does not stop the others
            message = str(exc) if target.file in str(exc) else f"{target.file}: {exc}"
            print(i18n.t("cli_error", message=message), file=sys.stderr)
            continue
        if args.quiet:
            continue
        if fetched:
            entry = download.read_manifest(path.parent)[target.file]
            digest = entry["sha256"][:16] + "…"
            print(i18n.t("download_done", name=target.file, size=entry["size"], sha256=digest, path=path))
        else:
            print(i18n.t("download_cached", name=target.file, path=path))
    if failed:
        saved = len(chosen) - len(failed)
        raise PlaybookError(f"{len(failed)} of {len(chosen)} files not downloaded ({', '.join(failed)}); "
                            f"{saved} saved: run the command again to retry the missing ones", path=args.dest)
    return 0


def _register_download(commands) -> None:
    p = commands.add_parser(
        "download", help="fetch official Statistics Canada / Treasury Board files (cache, checksums, resume)",
        description="Addresses come from specs/downloads.yml; a manifest.json in DEST records each file's SHA-256.",
    )
    p.add_argument("kind", choices=KINDS, help="what to fetch")
    p.add_argument("--year", default="2021", help="census year (2021 or 2016)")
    p.add_argument("--level", default=None, help="level: pr, csd, da (every da-* region), da-quebec, ct, cma, ...")
    p.add_argument("--source", default=None, help="service-points: which list (burolis)")
    p.add_argument("--dest", required=True, help="folder to save into (created if needed)")
    p.add_argument("--base-url", default=None, help="fetch <base-url>/<file> instead of the official address")
    p.add_argument("--timeout", type=positive_float, default=60.0, metavar="SECONDS",
                   help="give up on a server that sends nothing for this many seconds (default 60)")
    p.add_argument("--quiet", action="store_true", help="no progress bar, no summary")
    p.set_defaults(func=_download, parser=p)


def register(commands) -> None:
    _register_datasets(commands)
    _register_census(commands)
    _register_download(commands)
