"""The common database in one call: collect the tables, apply the disclosure rules, write the release.

:func:`publish` is what ``python -m playbook publish`` runs and what notebook 50 narrates.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from playbook.codes import DEFAULT_DRAWS, DEFAULT_RADIUS_KM, DEFAULT_SEED
from playbook.privacy import RULES, Policy
from playbook.publish import collect
from playbook.publish import postgres as pg
from playbook.publish import release as rel


def publish(out: Path | None, *, postgres: str | None = None, release: str | None = None, spec: Path | None = None,
            rules: Path = RULES, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED,
            radius_km: float = DEFAULT_RADIUS_KM, manifest=None) -> dict:
    """Collect, protect and write the release (files and/or PostgreSQL); return a summary.

    ``out`` is checked before any work (a folder that is not a release is refused). PostgreSQL is
    loaded first, in one transaction: if it fails, the release on disk is left as it was.
    ``manifest``: the analysis whose files are published (default: ``$PLAYBOOK_MANIFEST``, else the demo)."""
    if out is not None:
        rel.check_release_folder(out)
    policy = Policy.from_yaml(rules)
    specs, metadata = collect.collect(spec, draws=draws, seed=seed, radius_km=radius_km, manifest=manifest)
    release = release or f"{date.today():%Y.%m.%d}-{metadata['spec_hash'][:8]}"
    metadata |= {"release": release, "disclosure_threshold": policy.threshold,
                 "disclosure_min_respondents": policy.min_respondents, "disclosure_rounding_base": policy.rounding_base}
    tables, report = rel.protect_tables(specs, policy)
    summary = {"release": release, "tables": len(tables), "suppressed_cells": len(report)}
    if postgres:
        summary["postgres"] = pg.load(tables, report, postgres, release=release, metadata=metadata)
    if out is not None:
        views = collect.views_for(t.spec.name for t in tables)
        summary["out"] = str(rel.write_release(tables, report, out, metadata=metadata, views=views))
    return summary
