"""``python -m playbook catchments``: nearest service point and points within a radius, per area and per point.

Contract (kept stable)::

    python -m playbook catchments --areas AREAS.csv --points POINTS.csv --radius-km 50 --out OUT.csv
        [--points-out FILE] [--detour 1.3] [--travel-matrix MATRIX.csv]

AREAS.csv: ``id, lat, lon, population`` and optionally ``score`` (higher = more vulnerable).
POINTS.csv: a service-point file (``id, lat, lon``, optional names…; see
:mod:`playbook.sources.servicepoints`). OUT.csv: per area ``id, nearest_point, distance_km,
points_within``. ``--points-out``: per point ``id, population_within, mean_score_within,
vulnerable_within``. Distances are great-circle on a sphere of radius 6,371.0088 km times the detour
factor (default 1.0), or read from ``--travel-matrix`` (``area_id, point_id, distance_km``). Both
outputs are written whole or not at all.

From an analysis manifest (:mod:`playbook.sources.manifest`)::

    python -m playbook catchments --manifest FILE [--network ID] --out OUT.csv [--points-out FILE]

takes the areas of the analysis (its census subdivisions, scored by the EVI of its inputs, in its
jurisdiction: :func:`playbook.service_points.areas.csd_areas`) and the points of one of its networks
(``--network``, default the first; ``jurisdiction`` for the profile's own file), with the manifest's
radius unless ``--radius-km`` is given. ``--areas`` or ``--points`` still override. It says what it
used, which inputs it took from the embedded demo, and the provinces whose source coverage is too
poor for their distances to be findings.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from playbook import options
from playbook.codes import DEFAULT_RADIUS_KM
from playbook.errors import PlaybookError
from playbook.io import atomic_path, check_outputs, numbers, require_columns
from playbook.sources.servicepoints import read_service_points, validate

AREA_COLUMNS = ["id", "lat", "lon", "population"]


def read_areas(path: str | Path) -> pd.DataFrame:
    """Read and check AREAS.csv: ``id, lat, lon, population`` (+ optional ``score``)."""
    path = Path(path)
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except FileNotFoundError:
        raise PlaybookError("file not found", path=path, expected="a CSV with id, lat, lon, population") from None
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise PlaybookError(f"cannot read the CSV: {exc}", path=path, expected="a UTF-8 CSV with a header") from None
    raw.columns = [c.strip() for c in raw.columns]
    require_columns(raw.columns, AREA_COLUMNS, path=path, expected="columns id, lat, lon, population and optionally score")
    if raw.empty:
        raise PlaybookError("no areas in the file (a header only)", path=path, expected="one row per area")
    out = validate(raw[["id", "lat", "lon"]], path)  # unique ids, coordinates inside Canada
    for col, expected in (("population", "a number >= 0"), ("score", "a number (or empty)")):
        if col not in raw.columns:
            continue
        population = col == "population"
        out[col] = numbers(raw[col], path=path, field=col, expected=expected, required=population,
                           minimum=0 if population else None, noun="valid")
    return out


def _from_manifest(args) -> tuple[pd.DataFrame | None, pd.DataFrame | None, float, list[str]]:
    """Areas, points, radius and the notes to print, from ``--manifest`` (None where an option overrides)."""
    from playbook.jurisdiction import current
    from playbook.service_points import networks as nw
    from playbook.service_points.areas import csd_areas
    from playbook.sources import manifest as manifests

    m = manifests.load(args.manifest)
    profile = current(m.jurisdiction)
    notes: list[str] = []
    areas, synthetic = None, False
    if args.areas is None:
        analysed = csd_areas("evi", m, lang="en")
        scored = profile.filter(analysed, dguid_col="id").dropna(subset=["score"])
        areas = scored[["id", "lat", "lon", "population", "score"]].reset_index(drop=True)
        synthetic = analysed.attrs["synthetic"]
    points = None
    networks = nw.read_networks(m, profile)
    if args.points is None:
        wanted = args.network or networks.primary.id
        if wanted not in networks.ids():
            raise PlaybookError(f"no network '{wanted}' in the analysis", path=m.path, field="--network",
                                expected="one of " + ", ".join(networks.ids()))
        chosen = networks[wanted]
        points = chosen.located
        provinces = sorted(set(scored["pruid"])) if args.areas is None else list(profile.provinces)
        table = nw.coverage([chosen], provinces or None)
        notes.append(f"network {chosen.id}: {len(chosen.points)} points, {len(points)} with a location")
        if (table["flag"] != "").any():
            notes.append(nw.flagged_line(table, [chosen], "en"))
    notes += nw.input_notes(m, networks, score="evi", synthetic=synthetic, lang="en")
    radius = args.radius_km if args.radius_km is not None else m.radius_km
    return areas, points, radius, notes


def _run(args) -> int:
    from playbook.geo.catchments import (
        GreatCircle,
        TravelMatrix,
        area_catchments,
        point_catchments,
    )  # scikit-learn: load on use

    if args.manifest is None and (args.areas is None or args.points is None):
        raise PlaybookError("--areas and --points are both needed without --manifest", field="--areas",
                            expected="--areas AREAS.csv --points POINTS.csv, or --manifest FILE")
    notes: list[str] = []
    areas = points = None
    radius = args.radius_km if args.radius_km is not None else DEFAULT_RADIUS_KM
    if args.manifest is not None:
        areas, points, radius, notes = _from_manifest(args)
    if not radius > 0:
        raise PlaybookError(f"radius {radius}", field="--radius-km", expected="a distance > 0 (km)")
    inputs = [args.areas, args.points, args.travel_matrix, args.manifest]
    check_outputs([args.out], inputs)
    check_outputs([args.points_out], [*inputs, args.out], field="--points-out")
    areas = read_areas(args.areas) if args.areas is not None else areas
    points = read_service_points(args.points, extra="keep") if args.points is not None else points
    source = TravelMatrix.from_csv(args.travel_matrix) if args.travel_matrix else GreatCircle(detour=args.detour)
    per_area = area_catchments(areas, points, radius, source)
    per_point = point_catchments(areas, points, radius, source) if args.points_out else None
    with atomic_path(args.out) as tmp_out:
        per_area.to_csv(tmp_out, index=False, float_format="%.3f")
        if per_point is not None:
            with atomic_path(args.points_out) as tmp_points:
                columns = ["id", "population_within", "mean_score_within", "vulnerable_within"]
                per_point[columns].to_csv(tmp_points, index=False, float_format="%.3f")
    for note in notes:
        print(note)
    print(
        f"{len(per_area)} areas, {len(points)} points, radius {radius:g} {source.unit}: wrote {args.out}"
        + (f" and {args.points_out}" if args.points_out else "")
    )
    return 0


def register(commands) -> None:
    p = commands.add_parser(
        "catchments",
        help="nearest service point and points within a radius, per area (and per point with --points-out)",
        description="Nearest service point and points within a radius, per area (and per point). Distances are "
        "great-circle on a sphere of radius 6,371.0088 km times --detour, or read from --travel-matrix.",
    )
    p.add_argument("--areas", default=None, help="CSV with id, lat, lon, population[, score] (needed without --manifest)")
    p.add_argument("--points", default=None,
                   help="service points (CSV or GeoJSON) with id, lat, lon (needed without --manifest)")
    p.add_argument("--manifest", default=None,
                   help="an analysis manifest: its scored census subdivisions and the points of one of its networks")
    p.add_argument("--network", default=None, help="with --manifest: the network to use (default: the first it names)")
    p.add_argument("--radius-km", type=options.positive_float, default=None,
                   help=f"catchment radius in km (default: the manifest's, else {DEFAULT_RADIUS_KM:g})")
    p.add_argument("--out", required=True, help="per-area output CSV: id, nearest_point, distance_km, points_within")
    p.add_argument(
        "--points-out",
        default=None,
        help="per-point output CSV: id, population_within, mean_score_within, vulnerable_within",
    )
    p.add_argument("--detour", type=options.positive_float, default=1.0,
                   help="factor applied to great-circle distances (default 1.0)")
    p.add_argument(
        "--travel-matrix", default=None, help="CSV area_id, point_id, distance_km: distances computed elsewhere"
    )
    p.set_defaults(func=_run)
