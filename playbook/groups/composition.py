"""Who lives where: each area's population aged 15+ and its group composition, from the Census Profile.

The census gives margins (the share of seniors, of people with low income, of immigrants ...), not
their joint distribution. Small-area estimation combines these margins with survey group rates
(:mod:`playbook.groups.sae`). The characteristics are census characteristics declared in ``specs/census_2021.yml``;
the extract is read with :func:`playbook.sources.census.extract` (names checked against the spec).
"""

from __future__ import annotations

from collections.abc import Sequence
from os import PathLike

import numpy as np
import pandas as pd

from playbook.codes import CIUS_PROVINCES, census_characteristics, census_id, parse_dguid
from playbook.errors import PlaybookError
from playbook.sources import datasets
from playbook.sources.census import extract

#: Age groups of the CIUS tables; the census characteristics give 15-24, 25-64 and 65+ by area.
AGE_GROUPS = ["15-24", "25-44", "45-64", "65+"]
#: Share of 25-64 year-olds who are 25-44 (Canada, 2021 Census: about half), used for every area.
SHARE_25_44_OF_25_64 = 0.5
#: Binary group margins: name -> the census indicator (``specs/census_2021.yml``) whose share it is.
MARGIN_INDICATORS = {
    "low_income": "low_income_lim_at",
    "no_certificate": "no_certificate",
    "no_official_language": "neither_official_language",
    "indigenous": "indigenous_identity",
    "immigrant": "immigrants",
}
#: Binary group margins: name -> (numerator ID, denominator ID), read from the census mapping.
MARGINS = {name: (census_id(ind), census_characteristics()[census_id(ind)]["denominator"])
           for name, ind in MARGIN_INDICATORS.items()}
#: The census indicators of the age shares and the other columns a composition reads.
AGE_INDICATORS = {"pop15": "education_total_15_plus", "young": ("age_15_19", "age_20_24"), "old": "age_65_plus"}
#: Census characteristic IDs (2021) used for group compositions.
CENSUS_IDS = sorted(
    {census_id(i) for i in ("population", "density_km2", "land_area_km2", "age_total", "age_15_19", "age_20_24",
                            "age_65_plus", "education_total_15_plus")}
    | {cid for pair in MARGINS.values() for cid in pair}
)
#: Areas under this population are treated as rural and small town (outside CMAs/CAs, whose core
#: has at least 10,000 people) when the extract has no CMA/CA membership column.
RURAL_POPULATION = 10_000


def census_extract(paths: str | PathLike | Sequence[str | PathLike], level: str | None = None) -> pd.DataFrame:
    """The census characteristics needed for compositions, one row per geography."""
    paths = [paths] if isinstance(paths, str | PathLike) else list(paths)
    return extract(paths, CENSUS_IDS, level=level)


def compositions(extract: pd.DataFrame) -> pd.DataFrame:
    """Area compositions from a census extract: ``DGUID, GEO_LEVEL, GEO_NAME, pruid, pop15, rural``,
    the age shares ``age_15-24 ... age_65+`` (of people 15+) and the binary shares of :data:`MARGINS`
    (fractions 0-1). Areas outside the ten provinces or without a population are dropped."""
    need = {f"c{i}" for i in CENSUS_IDS} - set(extract.columns)
    if need:
        raise PlaybookError(f"census extract lacks {sorted(need)}", field="census",
                            expected=f"characteristics {CENSUS_IDS}")
    out = extract[["DGUID", "GEO_LEVEL", "GEO_NAME"]].copy()
    out["pruid"] = parse_dguid(extract["DGUID"])["pruid"].astype("string")
    col = lambda indicator: extract[f"c{census_id(indicator)}"]  # noqa: E731
    pop15 = col(AGE_INDICATORS["pop15"]).astype(float)
    young = sum(col(i) for i in AGE_INDICATORS["young"]).astype(float)
    old = col(AGE_INDICATORS["old"]).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        a15, a65 = (young / pop15).clip(0, 1), (old / pop15).clip(0, 1)
        middle = (1 - a15 - a65).clip(lower=0)
        out["pop15"] = pop15
        out["age_15-24"], out["age_65+"] = a15, a65
        out["age_25-44"] = middle * SHARE_25_44_OF_25_64
        out["age_45-64"] = middle * (1 - SHARE_25_44_OF_25_64)
        for name, (num, den) in MARGINS.items():
            out[name] = (extract[f"c{num}"].astype(float) / extract[f"c{den}"].astype(float)).clip(0, 1)
    total = out[[f"age_{a}" for a in AGE_GROUPS]].sum(axis=1)
    out[[f"age_{a}" for a in AGE_GROUPS]] = out[[f"age_{a}" for a in AGE_GROUPS]].div(total, axis=0)
    out["rural"] = ~extract["cmauid"].notna() if "cmauid" in extract else col("population").astype(float) < RURAL_POPULATION
    out = out[out["pruid"].isin(list(CIUS_PROVINCES)) & (out["pop15"] > 0)]
    shares = [f"age_{a}" for a in AGE_GROUPS] + list(MARGINS)
    # suppressed rates (tiny areas): the province's mean rate
    prov = out.groupby("pruid")[shares].transform(lambda s: s.mean() if s.notna().any() else 0)
    out[shares] = out[shares].fillna(prov)
    return out.reset_index(drop=True)


def demo_compositions(name: str = "demo_census_profile_2021") -> pd.DataFrame:
    """CSD compositions from the embedded demo Census Profile (registry ``name``). For real data,
    pass the downloaded profile to :func:`census_extract` and :func:`compositions` instead."""
    return compositions(census_extract(datasets.path(name), level="Census subdivision"))
