"""``python -m playbook groups estimate`` and ``groups indicators``: small-area estimates from a
survey PUMF and a Census Profile, by level and outcome, or as the index's area indicators."""

from __future__ import annotations

from playbook import options
from playbook.groups.composition import census_extract, compositions
from playbook.groups.sae import AREA_LEVELS, METHODS, absent_features, area_indicators, estimate_areas
from playbook.io import atomic_path, check_outputs
from playbook.sources.survey import read_pumf


def _outcomes(args) -> list[str] | None:
    return [o.strip() for o in args.outcomes.split(",")] if args.outcomes else None


def _note(survey, method: str) -> None:
    """Say which model features the cycle cannot inform (the model leaves them out)."""
    absent = absent_features(survey) if method == "model" else []
    if absent:
        print(f"model: {', '.join(absent)} not in cycle {survey.cycle}; left out (their census shares do not move "
              "the estimates)")


def _estimate(args) -> int:
    check_outputs([args.out], [args.survey, args.bootstrap, *args.census])
    survey = read_pumf(args.survey, cycle=args.cycle, bootstrap=args.bootstrap)
    comp = compositions(census_extract(args.census, level=args.level))
    table = estimate_areas(survey, comp, method=args.method, outcomes=_outcomes(args), n_replicates=args.replicates,
                           confidence=args.confidence, area_sd=args.area_sd)
    with atomic_path(args.out) as tmp:
        table.to_csv(tmp, index=False, float_format="%.4f")
    _note(survey, args.method)
    print(f"{len(table)} estimates ({args.method}) -> {args.out}")
    return 0


def _indicators(args) -> int:
    check_outputs([args.out], [args.survey, args.bootstrap, args.geo_attributes, *args.census])
    survey = read_pumf(args.survey, cycle=args.cycle, bootstrap=args.bootstrap)
    hierarchy = None
    if args.geo_attributes:
        from playbook.geo.hierarchy import read_hierarchy  # the geography stage, only when asked for

        hierarchy = read_hierarchy(args.geo_attributes)
    table = area_indicators(survey, census_extract(args.census, level=AREA_LEVELS[args.level]), level=args.level,
                            outcomes=_outcomes(args), method=args.method, n_replicates=args.replicates,
                            confidence=args.confidence, area_sd=args.area_sd, hierarchy=hierarchy)
    with atomic_path(args.out) as tmp:
        table.to_csv(tmp, index=False, float_format="%.4f")
    _note(survey, args.method)
    if table.attrs.get("unmeasured"):
        print(f"not measured by cycle {survey.cycle}: {', '.join(table.attrs['unmeasured'])}")
    columns = [c for c in table.columns if c != "DGUID" and not c.endswith("_se")]
    print(f"{len(table)} areas x {len(columns)} indicators ({args.method}, with standard errors) -> {args.out}")
    return 0


def _survey_arguments(p) -> None:
    p.add_argument("--survey", required=True, help="the PUMF (zip, or data file with its codebook)")
    p.add_argument("--census", required=True, nargs="+", help="Census Profile file(s), 2021 layout (zip or CSV)")
    p.add_argument("--out", required=True, help="output CSV")
    p.add_argument("--cycle", default="cius_2020_demo", help="survey cycle in specs/cius.yml")
    p.add_argument("--bootstrap", default=None,
                   help="separate bootstrap-weights file, if neither the data file nor the zip holds them")
    p.add_argument("--outcomes", default=None, help="comma-separated outcomes (default: the EVI outcomes)")
    p.add_argument("--replicates", type=options.positive_int, default=None, help="use only the first N bootstrap weights")
    p.add_argument("--confidence", type=options.share, default=0.95)
    p.add_argument("--area-sd", type=options.non_negative_float, default=0.0,
                   help="assumed sd of unexplained area effects (log-odds) added to model intervals (default 0)")


def register(commands) -> None:
    p = commands.add_parser("groups", help="population groups: small-area estimates from a survey and the census")
    sub = p.add_subparsers(title="groups commands", metavar="COMMAND", required=True)
    e = sub.add_parser("estimate", help="estimate each outcome for every area (synthetic or model-based)")
    _survey_arguments(e)
    e.add_argument("--method", required=True, choices=METHODS)
    e.add_argument("--level", default="Census subdivision", help="GEO_LEVEL of the areas to estimate for")
    e.set_defaults(func=_estimate)
    i = sub.add_parser("indicators", help="the survey outcomes as the index's area indicators (pct_*, pct_*_se)")
    _survey_arguments(i)
    i.add_argument("--level", default="csd", choices=list(AREA_LEVELS), help="census subdivisions or dissemination areas")
    i.add_argument("--method", default="model", choices=METHODS, help="small-area method (default: model)")
    i.add_argument("--geo-attributes", default=None,
                   help="Geographic Attribute File (92-151-X): CMA/CA membership for rurality (required with --level da)")
    i.set_defaults(func=_indicators)
