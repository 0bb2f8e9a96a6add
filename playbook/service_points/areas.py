"""The areas of the service-point notebook: every 2021 census subdivision with a location, its
population and a vulnerability score.

``score="evi"`` takes the E-Vulnerability Index from :mod:`playbook.index` on the demo data.
``score="stand-in"`` computes a clearly labelled **stand-in** from real data on population and land
(Table 98-10-0002-01): the mean percentile rank of low population density and of population decline
2016-2021, 0 (dense, growing) to 100 (sparse, shrinking). It is not the EVI and says nothing about
internet use; it shows what the catchment tools do with real data alone, without the EVI's synthetic
indicators.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from playbook import evi
from playbook.errors import PlaybookError
from playbook.geo.catchments import quintiles
from playbook.geo.hierarchy import rollup
from playbook.geo.places import csd_locations, pei_dissemination_areas
from playbook.index import build, load_spec
from playbook.paths import ROOT
from playbook.sources import datasets
from playbook.sources.population import read_population_counts

SCORES = ("stand-in", "evi")


def stand_in_score(counts: pd.DataFrame) -> pd.Series:
    """0-100: mean percentile rank of low density and of population decline (missing change: density only)."""
    low_density = counts["density_km2"].rank(pct=True, ascending=False)
    decline = counts["population_change_pct"].rank(pct=True, ascending=False)
    return 100 * pd.concat([low_density, decline], axis=1).mean(axis=1, skipna=True)


@cache
def _evi_inputs():
    """The EVI spec and indicator data of every geography (read once per session)."""
    return load_spec(ROOT / "specs" / "evi.yml"), evi.indicator_data(evi.read_inputs())


def evi_scores(level: str = "csd") -> pd.Series:
    """EVI score per DGUID of ``level`` (``"csd"`` or ``"da"``): the index engine (``playbook.index``)
    on the EVI spec and the demo data (``playbook.evi.inputs``: the demo census profile and area
    internet file, indicators as declared in the spec), normalised among the areas of that level."""
    spec, data = _evi_inputs()
    scores = build(spec, evi.at_level(data, level)).scores
    return pd.Series(scores["score"].to_numpy(float), index=scores[spec.unit_id].astype(str))


def csd_areas(score: str = "stand-in") -> pd.DataFrame:
    """``id`` (DGUID), ``csduid``, ``name``, ``pruid``, ``population``, ``lat``, ``lon``, ``placement``,
    ``score`` and ``quintile`` (1-5, 5 = most vulnerable) for the 5,161 CSDs.

    CSDs with no population (unpopulated or not enumerated) get no score.
    """
    if score not in SCORES:
        raise PlaybookError(f"score='{score}'", field="score", expected=f"one of {SCORES}")
    places = csd_locations()
    counts = read_population_counts(datasets.path("population_2021"))
    counts = counts[counts["geo_level"] == "Census subdivision"].set_index("DGUID")
    values = stand_in_score(counts) if score == "stand-in" else evi_scores()
    areas = places.rename(columns={"DGUID": "id"})
    areas["score"] = areas["id"].map(values).astype("float64")
    areas.loc[~(areas["population"] > 0), "score"] = np.nan
    areas["quintile"] = quintiles(areas["score"])
    areas.attrs["score"] = score
    return areas


def by_census_division(areas: pd.DataFrame, value: str = "score") -> pd.DataFrame:
    """Population-weighted mean of ``value`` and total population per census division
    (``DGUID`` of the division, from the first four digits of the CSD code), with the one roll-up
    (:func:`playbook.geo.hierarchy.rollup`)."""
    divisions = rollup(areas.assign(cduid=areas["csduid"].str[:4]), "Census division", value, "population")
    return divisions[["DGUID", "population", value]]


def pei_da_areas(score: str = "stand-in", **inputs) -> pd.DataFrame:
    """Prince Edward Island's dissemination areas as areas: ``id``, ``csduid``, ``population``, ``lat``,
    ``lon``, ``score``, ``quintile`` (quintiles among PEI's DAs). Empty when the demo census profile is
    not embedded. The stand-in score here is the percentile rank of low population density only.
    ``inputs``: ``profile=`` and ``da_csd=`` paths (see :func:`playbook.geo.places.pei_dissemination_areas`).
    """
    if score not in SCORES:
        raise PlaybookError(f"score='{score}'", field="score", expected=f"one of {SCORES}")
    areas = pei_dissemination_areas(**inputs)
    if areas.empty:
        return areas.assign(score=pd.Series(dtype="float64"), quintile=pd.Series(dtype="Int64"))
    if score == "stand-in":
        density = areas["population"] / areas["land_area_km2"].where(areas["land_area_km2"] > 0)
        values = 100 * density.rank(pct=True, ascending=False)
    else:
        values = areas["id"].map(evi_scores("da")).astype("float64")
    areas["score"] = values.where(areas["population"] > 0)
    areas["quintile"] = quintiles(areas["score"])
    areas.attrs["score"] = score
    return areas
