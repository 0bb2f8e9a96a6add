"""Assemble the common database's tables from the current build inputs (the same readers, spec and
engine as the notebooks): geographies, indicators (wide and long), index results per level with
uncertainty intervals, group estimates, service points and catchments.

Every table is declared as a :class:`~playbook.publish.release.TableSpec` with its documentation
(from the spec's data dictionary and the i18n catalogue) and its disclosure rules; nothing here
writes a file.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd

from playbook import __version__, evi, i18n, index
from playbook.codes import DEFAULT_DRAWS, DEFAULT_RADIUS_KM, DEFAULT_SEED, province_names
from playbook.evi.run import published_ranks
from playbook.geo.catchments.analysis import area_catchments, point_catchments
from playbook.geo.hierarchy import read_hierarchy, rollup
from playbook.geo.places import csd_locations
from playbook.groups import direct
from playbook.publish.release import TableSpec
from playbook.sources import manifest as manifests
from playbook.sources.servicepoints import read_odcaf_libraries, read_service_points
from playbook.sources.survey import read_pumf

SAC_LABELS = {1: "CMA", 2: "CA", 3: "CA (no tracts)", 4: "strong MIZ", 5: "moderate MIZ", 6: "weak MIZ",
              7: "no MIZ", 8: "territories outside CA"}
RURAL_REMOTE = {1: "urban", 2: "urban", 3: "urban", 4: "rural", 5: "rural", 6: "remote", 7: "remote", 8: "remote"}


def _labels(key: str) -> dict[str, str]:
    return {lang: i18n.t(key, lang) for lang in i18n.LANGUAGES}


def spec_hash(spec: dict) -> str:
    """A short hash of the spec's content (as parsed), recorded with every release."""
    return hashlib.sha256(json.dumps(spec, sort_keys=True, default=str).encode()).hexdigest()[:16]


def geographies(data: pd.DataFrame, hierarchy: pd.DataFrame) -> TableSpec:
    parents = hierarchy.drop_duplicates("DGUID").set_index("DGUID")
    frame = data[["DGUID", "ALT_GEO_CODE", "GEO_LEVEL", "GEO_NAME", "pruid", "population"]].copy()
    frame["province_en"] = province_names(frame["pruid"], "en").to_numpy()
    frame["province_fr"] = province_names(frame["pruid"], "fr").to_numpy()
    for column in ("cduid", "csduid", "cmauid", "sac_type"):
        if column in parents.columns:
            frame[column] = frame["DGUID"].map(parents[column]).to_numpy()
    sac = pd.to_numeric(frame.get("sac_type"), errors="coerce")
    frame["sac_label"] = sac.map(SAC_LABELS)
    frame["rural_remote"] = sac.map(RURAL_REMOTE)
    columns = {"DGUID": _labels("publish_col_dguid"), "population": _labels("population_2021"),
               "rural_remote": _labels("publish_col_rural_remote")}
    return TableSpec("geographies", frame, _labels("publish_table_geographies"), columns, primary_key=("DGUID",),
                     counts=("population",))


def indicator_tables(data: pd.DataFrame, spec) -> tuple[TableSpec, TableSpec]:
    ids = [i.id for d in index.load_spec(spec).dimensions for i in d.indicators]
    ids = [i for i in ids if i in data.columns]
    wide = data[["DGUID", "GEO_LEVEL", "population", *ids]].copy()
    described = {i: {lang: evi.indicator_labels(spec, lang)[i] for lang in i18n.LANGUAGES} for i in ids}
    long = wide.melt(id_vars=["DGUID", "GEO_LEVEL", "population"], value_vars=ids, var_name="indicator",
                     value_name="value")
    return (
        TableSpec("indicators_wide", wide, _labels("publish_table_indicators_wide"), described,
                  primary_key=("DGUID",), counts=("population",), dependent=tuple(ids)),
        TableSpec("indicators_long", long, _labels("publish_table_indicators_long"),
                  {"indicator": _labels("publish_col_indicator")}, primary_key=("DGUID", "indicator"),
                  counts=("population",), dependent=("value",)),
    )


def index_results(data: pd.DataFrame, spec, *, draws: int, seed: int) -> TableSpec:
    """The index per area at each level it is built for (CSD, DA), with rank intervals, and the
    population-weighted roll-ups to CMA/CA and province."""
    frames = []
    for level in ("csd", "da"):
        try:
            rows = evi.at_level(data, level)
        except Exception:  # noqa: BLE001 - a level absent from the inputs is simply not published
            continue
        result = index.build(spec, rows)
        scores = result.scores.assign(level=level)
        if draws:  # the intervals of every page and export (one function: one set of figures per build)
            unc = published_ranks(spec, rows, draws=draws, seed=seed)
            scores = scores.merge(unc[["DGUID", "median_rank", "rank_p05", "rank_p95"]].astype({"DGUID": scores["DGUID"].dtype}),
                                  on="DGUID", how="left")
        scores = scores.merge(rows[["DGUID", "population", "pruid"]], on="DGUID", how="left")
        frames.append(scores)
        if level == "csd":  # the one roll-up: provinces (with their DGUIDs) and CMAs/CAs
            if "pruid" in rows.columns:
                frames.append(rollup(result, "Province").assign(level="province"))
            if "cma_dguid" in rows.columns:
                rolled = rollup(result, "cma_dguid").rename(columns={"cma_dguid": "DGUID"})
                frames.append(rolled.assign(level="cma_ca"))
    frame = pd.concat(frames, ignore_index=True)
    dims = [d.id for d in index.load_spec(spec).dimensions]
    columns = {d: {lang: evi.dimension_labels(spec, lang)[d] for lang in i18n.LANGUAGES} for d in dims}
    columns |= {"score": _labels("evi_score"), "rank": _labels("evi_rank_short"), "quintile": _labels("evi_quintile"),
                "coverage": _labels("evi_coverage"), "rank_p05": _labels("publish_col_rank_p05"),
                "rank_p95": _labels("publish_col_rank_p95")}
    keep = ["DGUID", "level", "pruid", "population", *dims, "score", "rank", "quintile", "coverage",
            *[c for c in ("median_rank", "rank_p05", "rank_p95") if c in frame.columns]]
    frame = frame[[c for c in keep if c in frame.columns]]
    return TableSpec("index_results", frame, _labels("publish_table_index_results"), columns,
                     primary_key=("DGUID", "level"), counts=("population",), dependent=(*dims, "score"))


def group_estimates(manifest=None) -> TableSpec | None:
    """Direct estimates by population group from the analysis's survey (None when it has none)."""
    m = manifests.current(manifest)
    pumf = m.input("survey.pumf")
    if pumf is None:
        return None
    survey = read_pumf(pumf.path, cycle=m.cycle)
    frame = direct.direct_by_group(survey)
    frame = frame.drop(columns=[c for c in ("released",) if c in frame.columns])
    return TableSpec("group_estimates", frame, _labels("publish_table_group_estimates"),
                     {"estimate": _labels("publish_col_estimate"), "n": _labels("publish_col_respondents")},
                     primary_key=("group", "outcome", "geography"), respondents="n",
                     estimates=tuple(c for c in ("estimate", "se", "cv", "lower", "upper") if c in frame.columns))


def _points(manifest) -> pd.DataFrame | None:
    """The service points of the analysis: its networks (with a ``network`` column), or for the
    embedded demo the public libraries (ODCAF); None when the analysis names no network."""
    m = manifests.current(manifest)
    if m.embedded:
        return read_odcaf_libraries().assign(network="libraries")
    frames = [read_service_points(n.input.path).assign(network=n.network) for n in m.networks(demo=False)]
    return pd.concat(frames, ignore_index=True) if frames else None


def service_points_and_catchments(results: pd.DataFrame, data: pd.DataFrame, radius_km: float,
                                  manifest=None) -> list[TableSpec]:
    points = _points(manifest)
    if points is None:
        return []
    keep = [c for c in ("id", "network", "name_en", "name_fr", "organization", "csduid", "province", "lat", "lon")
            if c in points]
    points = points[keep].copy()
    points["geometry"] = "POINT (" + points["lon"].astype(str) + " " + points["lat"].astype(str) + ")"
    csd = results[results["level"] == "csd"][["DGUID", "score", "quintile", "population"]]
    places = csd_locations()[["DGUID", "lat", "lon"]].astype({"DGUID": str})
    areas = csd.merge(places, on="DGUID", how="inner")
    areas = areas.rename(columns={"DGUID": "id"})
    per_area = area_catchments(areas, points, radius_km).rename(columns={"id": "DGUID"})
    per_area = per_area.merge(csd[["DGUID", "population", "score"]], on="DGUID", how="left")
    per_point = point_catchments(areas, points, radius_km)
    return [
        TableSpec("service_points", points, _labels("publish_table_service_points"), primary_key=("id",),
                  geometry="geometry"),
        TableSpec("catchments_areas", per_area, _labels("publish_table_catchments_areas"),
                  {"distance_km": _labels("publish_col_distance_km")}, primary_key=("DGUID",),
                  counts=("population",), dependent=("score",)),
        TableSpec("catchments_points", per_point.rename(columns={"id": "point_id"}),
                  _labels("publish_table_catchments_points"), primary_key=("point_id",),
                  counts=("population_within", "vulnerable_within"), dependent=("mean_score_within",)),
    ]


VIEWS = {
    "v_most_vulnerable_csd": (
        "SELECT g.GEO_NAME, g.province_en, g.province_fr, r.score, r.rank, r.rank_p05, r.rank_p95, r.quintile "
        "FROM index_results r JOIN geographies g USING (DGUID) WHERE r.level = 'csd' AND r.quintile = 5 "
        "ORDER BY r.rank"
    ),
    "v_province_summary": (
        "SELECT g.province_en, g.province_fr, r.score, r.rank FROM index_results r "
        "JOIN geographies g USING (DGUID) WHERE r.level = 'province' ORDER BY r.rank"
    ),
    "v_far_and_vulnerable": (
        "SELECT g.GEO_NAME, g.province_en, g.province_fr, c.distance_km, c.nearest_point, r.score, r.quintile "
        "FROM catchments_areas c JOIN index_results r ON r.DGUID = c.DGUID AND r.level = 'csd' "
        "JOIN geographies g ON g.DGUID = c.DGUID WHERE r.quintile >= 4 AND c.distance_km > 50 "
        "ORDER BY r.score DESC"
    ),
}


def views_for(names) -> dict[str, str]:
    """The views whose tables are all in the release (an analysis without service points has no
    catchment tables, so no view over them)."""
    present = set(names)
    needs = {"v_far_and_vulnerable": {"catchments_areas", "index_results", "geographies"}}
    return {k: v for k, v in VIEWS.items() if needs.get(k, {"index_results", "geographies"}) <= present}


def collect(spec_path: str | Path | None = None, *, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED,
            radius_km: float = DEFAULT_RADIUS_KM, manifest=None) -> tuple[list[TableSpec], dict]:
    """Every table of the common database and the release metadata, from the analysis manifest
    (``manifest``, else ``$PLAYBOOK_MANIFEST``, else the embedded demo)."""
    m = manifests.current(manifest)
    spec = evi.analysis_spec(spec_path or m.spec, m)
    hierarchy = read_hierarchy(evi.geo_attributes(m))
    data = evi.indicator_data(evi.read_inputs(spec, manifest=m), spec)
    parents = hierarchy[[c for c in ("DGUID", "cma_dguid", "sac_type", "cduid", "csduid", "cmauid")
                         if c in hierarchy.columns]].drop_duplicates("DGUID")
    data = data.merge(parents.drop(columns=[c for c in parents.columns if c in data.columns and c != "DGUID"]),
                      on="DGUID", how="left")
    data["DGUID"] = data["DGUID"].astype(str)
    tables = [geographies(data, hierarchy), *indicator_tables(data, spec)]
    results = index_results(data, spec, draws=draws, seed=seed)
    groups = group_estimates(m)
    tables += [results, *([groups] if groups is not None else []),
               *service_points_and_catchments(results.frame, data, radius_km, m)]
    used = [i for i in m.inputs.values() if i is not None]
    metadata = {
        "title": i18n.t("publish_title", "en"),
        "title_fr": i18n.t("publish_title", "fr"),
        "generator": f"playbook {__version__}",
        "census_year": 2021,
        "spec_id": spec.get("id", "evi"),
        "spec_hash": spec_hash(spec),
        "synthetic_demo_data": any(i.synthetic for i in used),
        "sources": "; ".join(sorted({i.source["en"] for i in used})),
        "manifest": str(m.path) if m.path else "embedded demo",
        "uncertainty_draws": draws,
        "seed": seed,
        "radius_km": float(radius_km),
    }
    return tables, metadata
