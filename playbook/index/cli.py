"""``python -m playbook index build|audit|uncertainty``: the index engine on the command line.

- ``index build --spec SPEC.yml --data DATA.csv --out OUT.csv`` writes the unit id column, one
  column per dimension id, then ``score``, ``rank``, ``quintile``, ``coverage``;
- ``index audit --spec SPEC.yml --data DATA.csv [--cronbach pairwise|complete]`` prints the
  audit tables;
- ``index uncertainty --spec --data --draws N --seed S --out OUT.csv`` writes, per unit,
  ``rank`` (nominal), ``median_rank``, ``rank_p05``, ``rank_p95`` to ``OUT.csv`` and the Sobol
  table to ``OUT.sobol.csv`` (beside it, same stem).

Errors are :class:`~playbook.errors.PlaybookError` (exit status 2); nothing is written then.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from playbook import i18n, options
from playbook.io import atomic_path, check_outputs

FLOAT_FORMAT = "%.10g"


def write_csv(frame: pd.DataFrame, target: str | Path) -> None:
    """Write ``frame`` atomically, with a fixed float format (same input -> same bytes)."""
    with atomic_path(target) as tmp:
        frame.to_csv(tmp, index=False, float_format=FLOAT_FORMAT, lineterminator="\n")


def sobol_path(out: str | Path) -> Path:
    """Where ``index uncertainty`` writes the Sobol table: ``OUT.sobol.csv`` beside ``OUT.csv``."""
    out = Path(out)
    return out.with_name(f"{out.stem}.sobol{out.suffix or '.csv'}")


def _build(args) -> int:
    check_outputs([args.out], [args.spec, args.data])
    from playbook.index import build

    result = build(args.spec, args.data)
    write_csv(result.scores, args.out)
    print(i18n.t("index_cli_written", None, path=args.out, n=len(result.scores)))
    return 0


def _audit(args) -> int:
    from playbook.index.audit import audit

    report = audit(args.spec, args.data, cronbach=args.cronbach)
    with pd.option_context("display.width", 160, "display.max_columns", 20, "display.max_rows", 200):
        for title, table in report.tables().items():
            print(f"\n== {title} ==")
            print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    return 0


def _uncertainty(args) -> int:
    check_outputs([args.out, sobol_path(args.out)], [args.spec, args.data])
    from playbook.index.uncertainty import uncertainty

    res = uncertainty(args.spec, args.data, draws=args.draws, seed=args.seed)
    target, sobol = Path(args.out), sobol_path(args.out)
    with atomic_path(target) as tmp_ranks, atomic_path(sobol) as tmp_sobol:
        res.ranks.to_csv(tmp_ranks, index=False, float_format=FLOAT_FORMAT, lineterminator="\n")
        res.sobol.to_csv(tmp_sobol, index=False, float_format=FLOAT_FORMAT, lineterminator="\n")
    print(i18n.t("index_cli_written", None, path=target, n=len(res.ranks)))
    print(i18n.t("index_cli_written", None, path=sobol, n=len(res.sobol)))
    return 0


def register(commands) -> None:
    p = commands.add_parser("index", help="build, audit and test the robustness of a composite index from a YAML spec")
    sub = p.add_subparsers(title="index commands", metavar="STEP")
    p.set_defaults(func=lambda args: p.print_help() or 0)

    b = sub.add_parser("build", help="build the index: dimension scores, score, rank, quintile, coverage per unit")
    b.add_argument("--spec", required=True, help="index spec (YAML)")
    b.add_argument("--data", required=True, help="indicator table (CSV, one row per unit)")
    b.add_argument("--out", required=True, help="output CSV")
    b.set_defaults(func=_build)

    a = sub.add_parser(
        "audit",
        help="print correlations, Cronbach's alpha, PCA and the effect of removing each indicator",
    )
    a.add_argument("--spec", required=True, help="index spec (YAML)")
    a.add_argument("--data", required=True, help="indicator table (CSV, one row per unit)")
    a.add_argument("--cronbach", choices=("pairwise", "complete"), default="pairwise",
                   help="Cronbach's alpha with missing values: pairwise covariances (default, as COINr) or complete units")
    a.set_defaults(func=_audit)

    u = sub.add_parser("uncertainty", help="Monte Carlo rank intervals and Sobol sensitivity indices (SALib)")
    u.add_argument("--spec", required=True, help="index spec (YAML)")
    u.add_argument("--data", required=True, help="indicator table (CSV, one row per unit)")
    u.add_argument("--draws", type=options.positive_int, default=1000, help="number of model runs (default 1000)")
    u.add_argument("--seed", type=options.seed, default=0, help="random seed (same seed, same output bytes)")
    u.add_argument("--out", required=True, help="output CSV of rank intervals; the Sobol table goes to OUT.sobol.csv")
    u.set_defaults(func=_uncertainty)
