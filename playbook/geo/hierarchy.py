"""Statistics Canada geographic identifiers (DGUIDs) and the provinces and territories.

A 2021 DGUID is ``VVVV`` (vintage) + ``T`` (type: ``A`` administrative, ``S`` statistical) +
``SSSS`` (schema) + the geographic code, e.g. ``2021A000235`` (Ontario), ``2021A00053520005``
(Toronto, a census subdivision), ``2021S051210010001`` (a dissemination area).
"""

from __future__ import annotations

import numpy as np
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
    """Split DGUIDs into ``vintage``, ``type`` (``A`` administrative, ``S`` statistical), ``schema``,
    ``code``, ``geo_level`` and ``pruid`` (vectorised).

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
            "type": s.str[4:5],
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


# --- The hierarchy DA -> CSD -> CD -> PR, and CSD -> CMA/CA, from the geographic attribute file ---

#: DGUID prefix (vintage + schema) of each level.
DGUID_PREFIX = {
    "Country": "2021A0000", "Province": "2021A0002", "Census division": "2021A0003",
    "Census subdivision": "2021A0005", "Dissemination area": "2021S0512",
    "Census metropolitan area": "2021S0503", "Census agglomeration": "2021S0504",
}
#: Level -> the hierarchy column holding the code of a unit's parent at that level.
LEVEL_KEYS = {
    "Country": "country", "Province": "pruid", "Territory": "pruid", "Census division": "cduid",
    "Census subdivision": "csduid", "Census metropolitan area or agglomeration": "cmauid", "CMA/CA": "cmauid",
}
HIERARCHY_COLUMNS = ["DGUID", "level", "name", "pruid", "cduid", "csduid", "dauid", "cmauid", "cma_dguid",
                     "sac_type", "sac_synthetic", "population"]


def make_dguid(level: str, codes: pd.Series) -> pd.Series:
    """2021 DGUIDs from codes of one level (``make_dguid("Census subdivision", "3520005")``)."""
    if level == "Country":
        return pd.Series("2021A000011124", index=codes.index, dtype="string")
    return DGUID_PREFIX["Province" if level == "Territory" else level] + codes.astype("string")


def read_hierarchy(path=None, *, encoding: str | None = None) -> pd.DataFrame:
    """The geographic hierarchy from a 2021 Geographic Attribute File (official or demo; ``.zip`` or
    ``.csv``; default: the embedded demo file ``demo_geo_attributes_2021``).

    One row per Country, province/territory, census division, census subdivision, dissemination area
    and CMA/CA, with ``DGUID, level, name`` and the parent codes ``pruid, cduid, csduid, cmauid``
    (plus ``cma_dguid``), the Statistical Area Classification ``sac_type`` (1-8, CSDs and DAs),
    ``sac_synthetic`` (true where the file flags it) and the 2021 ``population``. Roll up with
    ``groupby`` on a parent column, or with :func:`rollup`.
    """
    from playbook.geo import attributes
    from playbook.sources import datasets

    path = datasets.path("demo_geo_attributes_2021") if path is None else path
    units = attributes.read_units(path, encoding=encoding or attributes.ENCODING)
    for col, default in (("cd_name", pd.NA), ("csd_name", pd.NA), ("pr_name", pd.NA), ("cma_dguid", ""),
                         ("cma_name", pd.NA), ("sac_synthetic", "0")):
        if col not in units:
            units[col] = default
    units["cmauid"] = units["cmauid"].replace("", pd.NA)
    member = units["cmauid"].notna()
    built = np.where(units["cma_type"].eq("B"), "2021S0503", "2021S0504") + units["cmauid"].fillna("")
    units["cma_dguid"] = units["cma_dguid"].mask(units["cma_dguid"].eq(""), pd.Series(built, index=units.index))
    units["cma_dguid"] = units["cma_dguid"].where(member)
    units["sac_type"] = units["sac_type"].astype(int)
    units["sac_synthetic"] = units["sac_synthetic"].eq("1")
    units["dauid"] = units["dauid"].replace("", pd.NA)
    first = {"pruid": "first", "cduid": "first", "cmauid": "first", "cma_dguid": "first", "sac_type": "first",
             "sac_synthetic": "first", "csd_name": "first", "cd_name": "first", "pr_name": "first",
             "cma_name": "first", "cma_type": "first", "population": "sum"}
    da = units.dropna(subset=["dauid"]).groupby("dauid", sort=True).agg({**first, "csduid": "first"}).reset_index()
    csd = units.groupby("csduid", sort=True).agg(first).reset_index()
    cd = csd.groupby("cduid", sort=True).agg(pruid=("pruid", "first"), name=("cd_name", "first"),
                                             population=("population", "sum")).reset_index()
    pr = csd.groupby("pruid", sort=True).agg(name=("pr_name", "first"), population=("population", "sum")).reset_index()
    cma = csd.dropna(subset=["cmauid"]).groupby("cmauid", sort=True).agg(
        cma_dguid=("cma_dguid", "first"), name=("cma_name", "first"), cma_type=("cma_type", "first"),
        population=("population", "sum")).reset_index()
    frames = [
        pd.DataFrame({"DGUID": ["2021A000011124"], "level": ["Country"], "name": ["Canada"],
                      "population": [pr["population"].sum()]}),
        pr.assign(DGUID=make_dguid("Province", pr["pruid"]),
                  level=np.where(pr["pruid"].isin(["60", "61", "62"]), "Territory", "Province")),
        cd.assign(DGUID=make_dguid("Census division", cd["cduid"]), level="Census division"),
        csd.assign(DGUID=make_dguid("Census subdivision", csd["csduid"]), level="Census subdivision",
                   name=csd["csd_name"]),
        da.assign(DGUID=make_dguid("Dissemination area", da["dauid"]), level="Dissemination area", name=da["dauid"]),
        cma.assign(DGUID=cma["cma_dguid"], name=cma["name"],
                   level=np.where(cma["cma_type"].eq("B"), "Census metropolitan area", "Census agglomeration")),
    ]
    out = pd.concat(frames, ignore_index=True).reindex(columns=HIERARCHY_COLUMNS)
    for col in ("DGUID", "level", "name", "pruid", "cduid", "csduid", "dauid", "cmauid", "cma_dguid"):
        out[col] = out[col].astype("string")
    out["sac_type"] = out["sac_type"].astype("Int64")
    out["sac_synthetic"] = out["sac_synthetic"].astype("boolean")
    out["population"] = out["population"].astype("float64")
    return out


def rollup(
    df: pd.DataFrame,
    values: str | list[str],
    weights: str,
    to: str = "Province",
    *,
    hierarchy: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Weighted means of ``values`` over the units of ``df`` grouped at level ``to``.

    ``df`` has a ``DGUID`` column (any level below ``to``) or already the parent code column
    (``pruid``, ``cduid``, ``csduid``, ``cmauid``); otherwise ``hierarchy`` (default: the demo
    file, :func:`read_hierarchy`) supplies it. Missing values are left out of their column's mean
    (and of its weight). Returns one row per parent: ``DGUID, level``, the means, and ``weights``
    summed. Units outside any CMA/CA are left out of a CMA/CA roll-up.
    """
    from playbook.errors import PlaybookError

    values = [values] if isinstance(values, str) else list(values)
    if to not in LEVEL_KEYS:
        raise PlaybookError(f"unknown level '{to}'", field="to", expected=f"one of {', '.join(LEVEL_KEYS)}")
    key = LEVEL_KEYS[to]
    missing = [c for c in [*values, weights] if c not in df.columns]
    if missing:
        raise PlaybookError(
            f"column(s) {missing} not in the table", field=missing[0], expected=f"among {list(df.columns)}"
        )
    data = df.assign(country="01") if key == "country" else df
    if key not in data.columns:
        if "DGUID" not in data.columns:
            raise PlaybookError(
                "the table has neither DGUID nor a parent code column", field=key, expected="a DGUID column"
            )
        hierarchy = read_hierarchy() if hierarchy is None else hierarchy
        parents = hierarchy.drop_duplicates("DGUID").set_index("DGUID")[key]
        data = data.assign(**{key: data["DGUID"].astype("string").map(parents)})
        unknown = data[key].isna() & ~data["DGUID"].isin(parents.index)
        if unknown.any():
            raise PlaybookError(f"DGUID '{data.loc[unknown, 'DGUID'].iloc[0]}' is not in the hierarchy",
                                field="DGUID", expected="a geography of the geographic attribute file")
    data = data.dropna(subset=[key])
    w = data[weights].astype("float64")
    sums = {}
    for col in values:
        v = data[col].astype("float64")
        sums[f"{col}__wv"] = (w * v).where(v.notna(), 0.0)
        sums[f"{col}__w"] = w.where(v.notna(), 0.0)
    grouped = pd.DataFrame(sums, index=data.index).groupby(data[key].to_numpy(), sort=True).sum()
    out = pd.DataFrame(index=grouped.index)
    for col in values:
        out[col] = grouped[f"{col}__wv"] / grouped[f"{col}__w"].where(grouped[f"{col}__w"] > 0)
    out[weights] = w.groupby(data[key].to_numpy(), sort=True).sum()
    codes = pd.Series(out.index.astype(str), index=out.index)
    if key == "cmauid":
        lookup = (hierarchy if hierarchy is not None else read_hierarchy()).dropna(subset=["cmauid", "cma_dguid"])
        dguids = codes.map(lookup.drop_duplicates("cmauid").set_index("cmauid")["cma_dguid"])
        level = np.where(dguids.str[4:9] == "S0503", "Census metropolitan area", "Census agglomeration")
    else:
        name = "Province" if to == "Territory" else to
        dguids, level = make_dguid(name, codes), name
        if name == "Province":
            level = np.where(codes.isin(["60", "61", "62"]), "Territory", "Province")
    out.insert(0, "level", level)
    out.insert(0, "DGUID", dguids.astype("string").to_numpy())
    return out.reset_index(drop=True)
