"""The areas of the service-point notebook: census subdivisions (and the dissemination areas of one
province) with a location, a population and a vulnerability score, read through the analysis manifest.

``score="evi"`` takes the E-Vulnerability Index built by :mod:`playbook.index` on the inputs of the
analysis (:mod:`playbook.sources.manifest`: ``manifest``, else ``$PLAYBOOK_MANIFEST``, else the
embedded demo; the indicators the analysis has inputs for, :func:`playbook.evi.analysis_spec`): the
areas are the census subdivisions of its census files, with their populations. While any input behind
the score is synthetic, their names are withheld (level and code, tagged "demo":
:func:`playbook.evi.mask_names`).

``score="stand-in"`` computes a clearly labelled **stand-in** from real data on population and land
(Table 98-10-0002-01, embedded): the mean percentile rank of low population density and of
population decline 2016-2021, 0 (dense, growing) to 100 (sparse, shrinking), for all 5,161 census
subdivisions. It is not the EVI and says nothing about internet use; it shows what the catchment tools
do with real data alone. Its areas keep their names.

Each census subdivision is placed at the best location available (:func:`playbook.geo.places.csd_locations`);
a dissemination area at the centroid of its boundary (the manifest's ``boundaries.da`` file, else
the embedded Prince Edward Island boundaries: :func:`playbook.evi.maps.detail`).
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from playbook import evi
from playbook.codes import PROVINCES
from playbook.errors import PlaybookError
from playbook.evi import maps as evi_maps
from playbook.geo.catchments import quintiles
from playbook.geo.hierarchy import rollup
from playbook.geo.places import csd_locations
from playbook.sources import datasets
from playbook.sources import manifest as manifests
from playbook.sources.boundaries import CSD_PROVINCES, centroids, read_boundaries, read_boundary_zip
from playbook.sources.population import read_population_counts

SCORES = ("stand-in", "evi")
#: Read once per session per analysis (manifest fingerprint): the spec and the inputs; the scores.
_INPUTS: dict[str, tuple[dict, pd.DataFrame]] = {}
_SCORES: dict[tuple[str, str], pd.Series] = {}


def _check_score(score: str) -> None:
    if score not in SCORES:
        raise PlaybookError(f"score='{score}'", field="score", expected=f"one of {SCORES}")


def stand_in_score(counts: pd.DataFrame) -> pd.Series:
    """0-100: mean percentile rank of low density and of population decline (missing change: density only)."""
    low_density = counts["density_km2"].rank(pct=True, ascending=False)
    decline = counts["population_change_pct"].rank(pct=True, ascending=False)
    return 100 * pd.concat([low_density, decline], axis=1).mean(axis=1, skipna=True)


def evi_inputs(manifest=None) -> tuple[dict, pd.DataFrame]:
    """The analysis spec and the census + area inputs of the analysis (read once per session):
    :func:`playbook.evi.analysis_spec` and :func:`playbook.evi.read_inputs` (``attrs["synthetic"]``)."""
    m = manifests.current(manifest)
    key = m.fingerprint()
    if key not in _INPUTS:
        spec = evi.analysis_spec(m.spec, m)
        _INPUTS[key] = (spec, evi.read_inputs(spec, manifest=m))
    return _INPUTS[key]


def evi_data(manifest=None, lang: str | None = None) -> pd.DataFrame:
    """The indicator data of the analysis (:func:`playbook.evi.indicator_data`), names withheld
    while any input is synthetic; ``attrs["synthetic"]``."""
    spec, inputs = evi_inputs(manifest)
    return evi.indicator_data(inputs, spec, lang=lang)


def evi_scores(level: str = "csd", manifest=None) -> pd.Series:
    """EVI score per DGUID of ``level`` (``"csd"`` or ``"da"``): the index engine on the analysis
    spec and the inputs of ``manifest``, normalised among the areas of that level.
    ``attrs["synthetic"]`` says whether any input behind it is synthetic."""
    m = manifests.current(manifest)
    key = (m.fingerprint(), level)
    if key not in _SCORES:
        spec, inputs = evi_inputs(m)
        data = evi.indicator_data(inputs, spec, synthetic=False)
        scores = evi.compare.build(spec, evi.at_level(data, level)).scores
        values = pd.Series(scores["score"].to_numpy(float), index=scores["DGUID"].astype(str))
        values.attrs["synthetic"] = bool(inputs.attrs["synthetic"])
        _SCORES[key] = values
    return _SCORES[key]


def _finish(areas: pd.DataFrame, score: str, synthetic: bool) -> pd.DataFrame:
    areas.loc[~(areas["population"] > 0), "score"] = np.nan
    areas["quintile"] = quintiles(areas["score"])
    areas.attrs.update(score=score, synthetic=bool(synthetic))
    return areas


def csd_areas(score: str = "stand-in", manifest=None, *, lang: str | None = None) -> pd.DataFrame:
    """``id`` (DGUID), ``csduid``, ``name``, ``pruid``, ``population``, ``lat``, ``lon``, ``placement``,
    ``score`` and ``quintile`` (1-5, 5 = most vulnerable) per census subdivision.

    ``score="evi"``: the census subdivisions of the analysis' census files (their populations), the
    EVI of the analysis, names withheld while it is synthetic; ``"stand-in"``: all 5,161 CSDs of the
    embedded Table 98-10-0002-01 (real). CSDs with no population get no score. ``attrs``: ``score``,
    ``synthetic`` and ``unplaced`` (CSDs of the census files without a known location, left out).
    """
    _check_score(score)
    places = csd_locations()
    if score == "stand-in":
        counts = read_population_counts(datasets.path("population_2021"))
        counts = counts[counts["geo_level"] == "Census subdivision"].set_index("DGUID")
        areas = places.rename(columns={"DGUID": "id"})
        areas["score"] = areas["id"].map(stand_in_score(counts)).astype("float64")
        areas.attrs["unplaced"] = 0
        return _finish(areas, score, synthetic=False)
    data = evi_data(manifest, lang)
    rows = evi.at_level(data, "csd")
    located = places.set_index("DGUID")
    known = rows["DGUID"].astype(str).isin(located.index).to_numpy()
    rows = rows[known].reset_index(drop=True)
    where = located.loc[rows["DGUID"].astype(str)]
    areas = pd.DataFrame({
        "id": rows["DGUID"].astype(str).to_numpy(),
        "csduid": rows["ALT_GEO_CODE"].astype(str).to_numpy(),
        "name": rows["GEO_NAME"].astype("string").to_numpy(),
        "pruid": rows["pruid"].astype(str).to_numpy(),
        "population": rows["population"].to_numpy(float),
        "placement": where["placement"].to_numpy(),
        "lat": where["lat"].to_numpy(float),
        "lon": where["lon"].to_numpy(float),
    })
    scores = evi_scores("csd", manifest)
    areas["score"] = areas["id"].map(scores).astype("float64")
    areas.attrs["unplaced"] = int((~known).sum())
    return _finish(areas, score, synthetic=data.attrs["synthetic"])


def by_census_division(areas: pd.DataFrame, value: str = "score") -> pd.DataFrame:
    """Population-weighted mean of ``value`` and total population per census division
    (``DGUID`` of the division, from the first four digits of the CSD code), with the one roll-up
    (:func:`playbook.geo.hierarchy.rollup`)."""
    divisions = rollup(areas.assign(cduid=areas["csduid"].str[:4]), "Census division", value, "population")
    return divisions[["DGUID", "population", value]]


def division_shapes(areas: pd.DataFrame, *, synthetic: bool, lang: str | None = None) -> gpd.GeoDataFrame:
    """The census divisions that hold ``areas``, with their population-weighted ``score``
    (:func:`by_census_division`); the division names (``CDNAME``) withheld while ``synthetic``."""
    shapes = read_boundaries("boundaries_cd_2021").merge(by_census_division(areas), on="DGUID", how="inner")
    if synthetic:
        shapes["CDNAME"] = evi.demo_names(pd.Series("Census division", index=shapes.index), shapes["CDUID"], lang)
    return shapes


def csd_shapes(province: str, manifest=None) -> gpd.GeoDataFrame | None:
    """The census subdivision boundaries of ``province``: the manifest's ``boundaries.csd`` file
    (simplified for the web) when it names one, else the embedded file where there is one (eight
    provinces and territories), else None (the page then maps census divisions)."""
    m = manifests.current(manifest)
    official = m.input("boundaries.csd")
    if official is not None:
        shapes = read_boundary_zip(official.path, simplify_m=evi_maps.SIMPLIFY_M)
        shapes["DGUID"] = shapes["DGUID"].astype(str)
        return shapes[shapes["DGUID"].str[9:11] == province].reset_index(drop=True)
    abbr = PROVINCES.loc[province, "abbreviation"].lower()
    return read_boundaries(f"boundaries_csd_2021_{abbr}") if abbr in CSD_PROVINCES else None


@dataclass(frozen=True)
class Detail:
    """The dissemination areas of one province as areas (``id``, ``name``, ``pruid``, ``population``,
    ``lat``, ``lon``, ``score``, ``quintile``), with their shapes, the province and its name."""

    areas: pd.DataFrame
    shapes: gpd.GeoDataFrame
    province: str
    place: str
    synthetic: bool


def da_areas(score: str = "stand-in", manifest=None, *, province: str | None = None,
             lang: str | None = None) -> Detail | None:
    """The dissemination areas of one province of the analysis (:func:`playbook.evi.maps.detail`:
    ``province``, default Prince Edward Island when present, else the province with most DAs), or None
    when the analysis has no DA, or no boundary file covers them. Each DA is placed at the centroid
    of its boundary. ``score="evi"``: the EVI of the analysis at the DA level; ``"stand-in"``: the
    percentile rank of low population density (population from the census files, land area from
    the boundaries). ``synthetic``: whether an input behind the score is (the census profile for
    the stand-in)."""
    _check_score(score)
    m = manifests.current(manifest)
    data = evi_data(m, lang)
    detail = evi_maps.detail(data, m, province=province, lang=lang)
    if detail is None:
        return None
    values = detail.values
    where = centroids(detail.shapes).set_index("DGUID")
    values = values[values["DGUID"].astype(str).isin(where.index)].reset_index(drop=True)
    ids = values["DGUID"].astype(str)
    areas = pd.DataFrame({
        "id": ids.to_numpy(),
        "name": values["GEO_NAME"].astype("string").to_numpy(),
        "pruid": values["pruid"].astype(str).to_numpy(),
        "population": values["population"].to_numpy(float),
        "lat": where.loc[ids, "lat"].to_numpy(float),
        "lon": where.loc[ids, "lon"].to_numpy(float),
    })
    if score == "stand-in":
        shapes = detail.shapes.assign(DGUID=detail.shapes["DGUID"].astype(str)).set_index("DGUID")
        land = areas["id"].map(shapes["LANDAREA"]).astype("float64") if "LANDAREA" in shapes \
            else pd.Series(np.nan, index=areas.index)
        density = areas["population"] / land.where(land > 0)
        areas["score"] = 100 * density.rank(pct=True, ascending=False)
        synthetic = m.or_demo("census.profile")[0].synthetic
    else:
        areas["score"] = areas["id"].map(evi_scores("da", m)).astype("float64")
        synthetic = bool(data.attrs["synthetic"])
    return Detail(_finish(areas, score, synthetic), detail.shapes, detail.province, detail.place, bool(synthetic))
