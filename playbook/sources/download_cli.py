"""``python -m playbook download``: fetch official files into a folder, with a checksum manifest.

    python -m playbook download census|boundaries|geo-attributes --year 2021 --level csd|da|... \
        --dest DIR [--base-url URL]
    python -m playbook download service-points --source burolis --dest DIR [--base-url URL]
"""

from __future__ import annotations

import sys

from playbook import i18n
from playbook.sources import download

KINDS = ("census", "boundaries", "geo-attributes", "service-points")


def _run(args) -> int:
    if args.kind == "service-points":
        year, level = "current", args.source or "burolis"
    else:
        year, level = args.year, args.level or ("all" if args.kind == "geo-attributes" else None)
        if level is None:
            args.parser.error("--level is required for census and boundaries")
    for target in download.targets(args.kind, year, level, base_url=args.base_url):
        if target.status != "seen" and args.base_url is None:
            print(i18n.t("download_to_verify", name=target.file), file=sys.stderr)
        path, fetched = download.fetch(target, args.dest, progress=False if args.quiet else None)
        if args.quiet:
            continue
        if fetched:
            entry = download.read_manifest(path.parent)[target.file]
            digest = entry["sha256"][:16] + "…"
            print(i18n.t("download_done", name=target.file, size=entry["size"], sha256=digest, path=path))
        else:
            print(i18n.t("download_cached", name=target.file, path=path))
    return 0


def register(commands) -> None:
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
    p.add_argument("--quiet", action="store_true", help="no progress bar, no summary")
    p.set_defaults(func=_run, parser=p)
