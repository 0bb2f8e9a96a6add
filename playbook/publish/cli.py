"""``python -m playbook publish --out DIR [--postgres URL]``: the common database, disclosure-controlled."""

from __future__ import annotations

from pathlib import Path

from playbook import i18n, options
from playbook.codes import DEFAULT_DRAWS, DEFAULT_RADIUS_KM, DEFAULT_SEED
from playbook.errors import PlaybookError
from playbook.privacy import RULES


def _run(args) -> int:
    lang = i18n.language(args.lang)
    if args.out is None and not args.postgres:
        raise PlaybookError("nothing to publish to", field="--out/--postgres", expected="--out DIR and/or --postgres URL")
    from playbook.publish.database import publish  # the whole pipeline: loaded only when publishing
    from playbook.sources import manifest as manifests

    m = manifests.current(args.manifest)
    summary = publish(args.out, postgres=args.postgres, release=args.release, spec=args.spec, rules=args.rules,
                      draws=m.draws if args.draws is None else args.draws, seed=m.seed if args.seed is None else args.seed,
                      radius_km=m.radius_km if args.radius_km is None else args.radius_km, manifest=m)
    print(i18n.t("publish_done", lang, **{k: summary.get(k, "") for k in ("release", "tables", "suppressed_cells")}))
    for key in ("out", "postgres"):
        if key in summary:
            print(f"  {key}: {summary[key]}")
    return 0


def register(commands) -> None:
    p = commands.add_parser("publish", help="publish the common database (DuckDB, Parquet, CSV, PostgreSQL) "
                                            "with disclosure control")
    p.add_argument("--out", type=Path, default=None, help="folder to write the release into (replaced as a whole)")
    p.add_argument("--postgres", default=None, help="postgresql:// URL to load the release into (schema ddi)")
    p.add_argument("--release", default=None, help="release name (default: date and spec hash)")
    p.add_argument("--spec", type=Path, default=None, help="index spec (default: specs/evi.yml)")
    p.add_argument("--rules", type=Path, default=RULES, help="disclosure rules (default: specs/disclosure.yml)")
    p.add_argument("--manifest", type=Path, default=None,
                   help="analysis manifest naming the files to publish (default: $PLAYBOOK_MANIFEST, else the demo)")
    p.add_argument("--draws", type=options.positive_int, default=None,
                   help=f"Monte Carlo draws for the rank intervals (default: the manifest's, {DEFAULT_DRAWS})")
    p.add_argument("--seed", type=options.seed, default=None,
                   help=f"seed of the uncertainty analysis (default: the manifest's, {DEFAULT_SEED})")
    p.add_argument("--radius-km", type=options.positive_float, default=None,
                   help=f"catchment radius around service points (default: the manifest's, {DEFAULT_RADIUS_KM} km)")
    p.add_argument("--lang", choices=i18n.LANGUAGES, default=None, help="language of messages")
    p.set_defaults(func=_run)
