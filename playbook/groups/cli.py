"""``python -m playbook groups estimate``: small-area estimates from a survey PUMF and a Census Profile."""

from __future__ import annotations

from playbook import options
from playbook.groups.composition import census_extract, compositions
from playbook.groups.sae import METHODS, estimate_areas
from playbook.io import atomic_path, check_outputs
from playbook.sources.survey import read_pumf


def _estimate(args) -> int:
    check_outputs([args.out], [args.survey, args.bootstrap, *args.census])
    survey = read_pumf(args.survey, cycle=args.cycle, bootstrap=args.bootstrap)
    comp = compositions(census_extract(args.census, level=args.level))
    outcomes = [o.strip() for o in args.outcomes.split(",")] if args.outcomes else None
    table = estimate_areas(survey, comp, method=args.method, outcomes=outcomes, n_replicates=args.replicates,
                           confidence=args.confidence, area_sd=args.area_sd)
    with atomic_path(args.out) as tmp:
        table.to_csv(tmp, index=False, float_format="%.4f")
    print(f"{len(table)} estimates ({args.method}) -> {args.out}")
    return 0


def register(commands) -> None:
    p = commands.add_parser("groups", help="population groups: small-area estimates from a survey and the census")
    sub = p.add_subparsers(title="groups commands", metavar="COMMAND", required=True)
    e = sub.add_parser("estimate", help="estimate each outcome for every area (synthetic or model-based)")
    e.add_argument("--survey", required=True, help="the PUMF (zip, or data file with its codebook)")
    e.add_argument("--census", required=True, nargs="+", help="Census Profile file(s), 2021 layout (zip or CSV)")
    e.add_argument("--method", required=True, choices=METHODS)
    e.add_argument("--out", required=True, help="output CSV")
    e.add_argument("--cycle", default="cius_2020_demo", help="survey cycle in specs/cius.yml")
    e.add_argument("--bootstrap", default=None, help="separate bootstrap-weights file, if any")
    e.add_argument("--level", default="Census subdivision", help="GEO_LEVEL of the areas to estimate for")
    e.add_argument("--outcomes", default=None, help="comma-separated outcomes (default: the EVI outcomes)")
    e.add_argument("--replicates", type=options.positive_int, default=None, help="use only the first N bootstrap weights")
    e.add_argument("--confidence", type=options.share, default=0.95)
    e.add_argument("--area-sd", type=options.non_negative_float, default=0.0,
                   help="assumed sd of unexplained area effects (log-odds) added to model intervals (default 0)")
    e.set_defaults(func=_estimate)
