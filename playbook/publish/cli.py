"""``python -m playbook publish --out DIR [--postgres URL]``: the common database, disclosure-controlled."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from playbook import i18n
from playbook.paths import ROOT
from playbook.privacy import Policy

DEFAULT_RULES = ROOT / "specs" / "disclosure.yml"


def publish(out: Path | None, *, postgres: str | None = None, release: str | None = None, spec: Path | None = None,
            rules: Path = DEFAULT_RULES, draws: int = 200, seed: int = 2021, radius_km: float = 50.0) -> dict:
    """Collect, protect and write the release (files and/or PostgreSQL); return a summary."""
    from playbook.publish import collect
    from playbook.publish import postgres as pg
    from playbook.publish import release as rel

    policy = Policy.from_yaml(rules)
    specs, metadata = collect.collect(spec, draws=draws, seed=seed, radius_km=radius_km)
    release = release or f"{date.today():%Y.%m.%d}-{metadata['spec_hash'][:8]}"
    metadata |= {"release": release, "disclosure_threshold": policy.threshold,
                 "disclosure_min_respondents": policy.min_respondents, "disclosure_rounding_base": policy.rounding_base}
    tables, report = rel.protect_tables(specs, policy)
    summary = {"release": release, "tables": len(tables), "suppressed_cells": len(report)}
    if out is not None:
        summary["out"] = str(rel.write_release(tables, report, out, metadata=metadata, views=collect.VIEWS))
    if postgres:
        summary["postgres"] = pg.load(tables, report, postgres, release=release, metadata=metadata)
    return summary


def _run(args) -> int:
    lang = i18n.language(args.lang)
    if args.out is None and not args.postgres:
        from playbook.errors import PlaybookError

        raise PlaybookError("nothing to publish to", field="--out/--postgres", expected="--out DIR and/or --postgres URL")
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
    p.add_argument("--rules", type=Path, default=DEFAULT_RULES, help="disclosure rules (default: specs/disclosure.yml)")
    p.add_argument("--draws", type=int, default=200, help="Monte Carlo draws for the rank intervals (default 200)")
    p.add_argument("--seed", type=int, default=2021, help="seed of the uncertainty analysis")
    p.add_argument("--radius-km", type=float, default=50.0, help="catchment radius around service points")
    p.add_argument("--lang", choices=i18n.LANGUAGES, default=None, help="language of messages")
    p.set_defaults(func=_run)
