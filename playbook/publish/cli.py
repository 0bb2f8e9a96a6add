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

    summary = publish(args.out, postgres=args.postgres, release=args.release, spec=args.spec, rules=args.rules,
                      draws=args.draws, seed=args.seed, radius_km=args.radius_km)
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
    p.add_argument("--draws", type=options.positive_int, default=DEFAULT_DRAWS,
                   help=f"Monte Carlo draws for the rank intervals (default {DEFAULT_DRAWS})")
    p.add_argument("--seed", type=options.seed, default=DEFAULT_SEED, help="seed of the uncertainty analysis")
    p.add_argument("--radius-km", type=options.positive_float, default=DEFAULT_RADIUS_KM,
                   help="catchment radius around service points")
    p.add_argument("--lang", choices=i18n.LANGUAGES, default=None, help="language of messages")
    p.set_defaults(func=_run)
