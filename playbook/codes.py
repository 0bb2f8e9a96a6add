"""The geography and census vocabulary, written once: geographic levels and DGUIDs, the provinces and
territories, the default catchment radius, the uncertainty analysis's draws and seed, and the census
characteristics of the versioned mappings (``specs/census_2021.yml``, ``specs/census_2016.yml``).

A 2021 DGUID is ``VVVV`` (vintage) + ``T`` (type: ``A`` administrative, ``S`` statistical) +
``SSSS`` (schema) + the geographic code, e.g. ``2021A000235`` (Ontario), ``2021A00053520005``
(Toronto, a census subdivision), ``2021S051210010001`` (a dissemination area). Build them with
:func:`dguid`, split them with :func:`parse_dguid`.

This is the bottom layer: it imports nothing from the playbook but :mod:`playbook.errors`,
:mod:`playbook.io`, :mod:`playbook.paths` and :mod:`playbook.i18n` (itself built on errors and io
only, for the language of :func:`province_names`).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

from playbook import i18n
from playbook.errors import PlaybookError
from playbook.io import read_yaml
from playbook.paths import specs_dir

#: The census year of the geography and of the index inputs.
CENSUS_YEAR = 2021

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
#: Geographic level -> schema (``"Territory"`` shares the provinces' schema).
LEVEL_SCHEMAS = {level: schema for schema, level in SCHEMA_LEVELS.items()} | {"Territory": "A0002"}
#: Every geographic level name, as in GEO_LEVEL (the provinces' schema gives two: Province, Territory).
GEO_LEVELS = tuple(LEVEL_SCHEMAS)
#: Schemas of the levels nested in a province (their code starts with the province's).
NESTED_SCHEMAS = ("A0002", "A0003", "A0005", "S0512", "S0516")
#: The code of Canada in its DGUID (``2021A000011124``).
COUNTRY_CODE = "11124"

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
#: The codes of the three territories.
TERRITORIES = ("60", "61", "62")
#: The ten provinces, covered by the Canadian Internet Use Survey (the territories are covered by the
#: Northern Canada Internet Use Survey).
CIUS_PROVINCES = tuple(code for code in PROVINCES.index if code not in TERRITORIES)

#: The catchment radius around service points, in km, wherever none is given.
DEFAULT_RADIUS_KM = 50
#: Monte Carlo runs of the uncertainty analysis behind the published rank intervals, and their seed:
#: the same for the site (notebook 17) and the common database (``publish``), so that both show the
#: same intervals. 256 is a power of two, as the Sobol sequence of the Saltelli design prefers.
DEFAULT_DRAWS = 256
DEFAULT_SEED = 2021


def dguid_prefix(level: str, year: int | str = CENSUS_YEAR) -> str:
    """The vintage and schema that start the DGUIDs of ``level``: ``dguid_prefix("Province")`` -> ``"2021A0002"``."""
    if level not in LEVEL_SCHEMAS:
        raise PlaybookError(f"unknown level '{level}'", field="level", expected="one of " + ", ".join(LEVEL_SCHEMAS))
    return f"{year}{LEVEL_SCHEMAS[level]}"


def dguid(level: str, codes: pd.Series | str | None = None, year: int | str = CENSUS_YEAR) -> pd.Series | str:
    """DGUIDs of ``level`` from its geographic codes (vectorised over a Series; a string gives a
    string): ``dguid("Census subdivision", "3520005")`` -> ``"2021A00053520005"``. For
    ``"Country"`` the codes may be left out (Canada's code is :data:`COUNTRY_CODE`)."""
    prefix = dguid_prefix(level, year)
    if level == "Country":
        if isinstance(codes, pd.Series):
            return pd.Series(prefix + COUNTRY_CODE, index=codes.index, dtype="string")
        return prefix + COUNTRY_CODE
    if isinstance(codes, pd.Series):
        return prefix + codes.astype("string")
    if codes is None:
        raise PlaybookError(f"no code for level '{level}'", field="codes", expected="geographic codes")
    return prefix + str(codes)


def parse_dguid(dguid: pd.Series) -> pd.DataFrame:
    """Split DGUIDs into ``vintage``, ``type`` (``A`` administrative, ``S`` statistical), ``schema``,
    ``code``, ``geo_level`` and ``pruid`` (vectorised).

    ``pruid`` is the province/territory code for levels nested in a province (province, census
    division, census subdivision, dissemination area), and missing otherwise.
    """
    s = dguid.astype("string")
    schema = s.str[4:9]
    code = s.str[9:]
    level = schema.map(SCHEMA_LEVELS).astype("string")
    level = level.mask((schema == LEVEL_SCHEMAS["Province"]) & code.isin(list(TERRITORIES)), "Territory")
    nested = schema.isin(list(NESTED_SCHEMAS))
    return pd.DataFrame(
        {
            "vintage": s.str[:4],
            "type": s.str[4:5],
            "schema": schema,
            "code": code,
            "geo_level": level,
            "pruid": code.str[:2].where(nested),
        },
        index=dguid.index,
    )


def province_names(codes: pd.Series, lang: str | None = None) -> pd.Series:
    """Names of provinces/territories for 2-digit codes, in the requested language."""
    return codes.map(PROVINCES[f"name_{i18n.language(lang)}"])


def province_name(pruid: str, lang: str | None = None) -> str:
    """The name of one province or territory (``"24"`` -> ``"Quebec"`` / ``"Québec"``)."""
    return PROVINCES.loc[pruid, f"name_{i18n.language(lang)}"]


def pruid_of(abbreviation: str | pd.Series) -> str | pd.Series:
    """Province codes from abbreviations (``"MB"`` -> ``"46"``; missing where unknown)."""
    codes = pd.Series(PROVINCES.index, index=PROVINCES["abbreviation"])
    if isinstance(abbreviation, pd.Series):
        return abbreviation.map(codes)
    return codes.get(abbreviation)


# --- Census characteristics: the versioned mappings of specs/census_<year>.yml ---


def census_spec_path(year: int) -> Path:
    """The mapping file of the census characteristics for a census year."""
    return specs_dir() / f"census_{year}.yml"


@cache
def census_characteristics(year: int = CENSUS_YEAR) -> dict[int, dict]:
    """The versioned mapping for ``year``: characteristic id -> ``{indicator, name, role, ...}``
    (empty where no mapping file exists for that year)."""
    path = census_spec_path(year)
    if not path.is_file():
        return {}
    doc = read_yaml(path) or {}
    chars = doc.get("characteristics")
    if not isinstance(chars, dict):
        raise PlaybookError("no 'characteristics' mapping", path=path, field="characteristics",
                            expected="id: {indicator, name, role}")
    out = {}
    for cid, entry in chars.items():
        missing = {"indicator", "name", "role"} - set(entry or {})
        if missing:
            raise PlaybookError(f"entry lacks {sorted(missing)}", path=path, field=str(cid),
                                expected="indicator, name, role")
        if entry["role"] not in ("numerator", "denominator", "value"):
            raise PlaybookError(f"role '{entry['role']}'", path=path, field=str(cid),
                                expected="numerator, denominator or value")
        out[int(cid)] = dict(entry)
    return out


def census_ids(year: int = CENSUS_YEAR) -> list[int]:
    """The characteristic ids of the mapping for ``year``, ascending."""
    return sorted(census_characteristics(year))


def census_names(year: int = CENSUS_YEAR) -> dict[int, str]:
    """Characteristic id -> its published name (``CHARACTERISTIC_NAME`` without indentation or
    footnote number), from the mapping for ``year``."""
    return {cid: entry["name"] for cid, entry in sorted(census_characteristics(year).items())}


def census_id(indicator: str, year: int = CENSUS_YEAR) -> int:
    """The characteristic id of a mapped indicator (``census_id("population")`` -> ``1``)."""
    for cid, entry in census_characteristics(year).items():
        if entry["indicator"] == indicator:
            return cid
    raise PlaybookError(f"no characteristic '{indicator}'", path=census_spec_path(year), field="indicator",
                        expected="an indicator of the census mapping")
