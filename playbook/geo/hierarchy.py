"""Statistics Canada geographic identifiers (DGUIDs) and the provinces and territories.

A 2021 DGUID is ``VVVV`` (vintage) + ``T`` (type: ``A`` administrative, ``S`` statistical) +
``SSSS`` (schema) + the geographic code, e.g. ``2021A000235`` (Ontario), ``2021A00053520005``
(Toronto, a census subdivision), ``2021S051210010001`` (a dissemination area).
"""

from __future__ import annotations

import pandas as pd

from playbook import i18n

#: Schema (type + 4 digits) -> geographic level, as written in the Census Profile's GEO_LEVEL.
SCHEMA_LEVELS = {
    "A0000": "Country",
    "A0002": "Province",  # "Territory" for codes 60-62, see parse_dguid
    "A0003": "Census division",
    "A0005": "Census subdivision",
    "S0503": "Census metropolitan area",
    "S0504": "Census agglomeration",
    "S0506": "Census metropolitan area part",
    "S0507": "Census tract",
    "S0512": "Dissemination area",
    "S0516": "Aggregate dissemination area",
}

#: The 13 provinces and territories: 2-digit code -> (abbreviation, English name, French name).
PROVINCES = pd.DataFrame(
    [
        ("10", "NL", "Newfoundland and Labrador", "Terre-Neuve-et-Labrador"),
        ("11", "PE", "Prince Edward Island", "Île-du-Prince-Édouard"),
        ("12", "NS", "Nova Scotia", "Nouvelle-Écosse"),
        ("13", "NB", "New Brunswick", "Nouveau-Brunswick"),
        ("24", "QC", "Quebec", "Québec"),
        ("35", "ON", "Ontario", "Ontario"),
        ("46", "MB", "Manitoba", "Manitoba"),
        ("47", "SK", "Saskatchewan", "Saskatchewan"),
        ("48", "AB", "Alberta", "Alberta"),
        ("59", "BC", "British Columbia", "Colombie-Britannique"),
        ("60", "YT", "Yukon", "Yukon"),
        ("61", "NT", "Northwest Territories", "Territoires du Nord-Ouest"),
        ("62", "NU", "Nunavut", "Nunavut"),
    ],
    columns=["pruid", "abbreviation", "name_en", "name_fr"],
).set_index("pruid")


def province_names(codes: pd.Series, lang: str | None = None) -> pd.Series:
    """Names of provinces/territories for 2-digit codes, in the requested language."""
    return codes.map(PROVINCES[f"name_{i18n.language(lang)}"])


def parse_dguid(dguid: pd.Series) -> pd.DataFrame:
    """Split DGUIDs into ``vintage``, ``schema``, ``code``, ``geo_level`` and ``pruid`` (vectorised).

    ``pruid`` is the province/territory code for levels nested in a province (province, census
    division, census subdivision, dissemination area), and missing otherwise.
    """
    s = dguid.astype("string")
    schema = s.str[4:9]
    code = s.str[9:]
    level = schema.map(SCHEMA_LEVELS).astype("string")
    level = level.mask((schema == "A0002") & code.isin(["60", "61", "62"]), "Territory")
    nested = schema.isin(["A0002", "A0003", "A0005", "S0512", "S0516"])
    return pd.DataFrame(
        {
            "vintage": s.str[:4],
            "schema": schema,
            "code": code,
            "geo_level": level,
            "pruid": code.str[:2].where(nested),
        },
        index=dguid.index,
    )


def province_summary(areas: pd.DataFrame, *, small: int = 10_000, lang: str | None = None) -> pd.DataFrame:
    """Per province/territory: population, number of census subdivisions, and the share of people
    living in census subdivisions under ``small`` people.

    ``areas`` is a tidy table with ``geo_level``, ``pruid`` and ``population_2021`` (for example
    from :func:`playbook.sources.population.read_population_counts`); only census subdivisions are
    used. Sorted by population, largest first.
    """
    csd = areas[areas["geo_level"] == "Census subdivision"]
    in_small = csd["population_2021"].where(csd["population_2021"] < small, 0)
    grouped = csd.assign(in_small=in_small).groupby("pruid", observed=True)
    out = pd.DataFrame(
        {
            "population_2021": grouped["population_2021"].sum(),
            "csd_count": grouped.size(),
            "csd_population_median": grouped["population_2021"].median(),
            "share_small_csd_pct": 100 * grouped["in_small"].sum() / grouped["population_2021"].sum(),
        }
    )
    out.insert(0, "province", province_names(out.index.to_series(), lang))
    out.insert(1, "abbreviation", out.index.map(PROVINCES["abbreviation"]))
    return out.sort_values("population_2021", ascending=False)
