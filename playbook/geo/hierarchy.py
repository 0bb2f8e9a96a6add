"""The provinces and territories in summary, and the census hierarchy DA -> CSD -> CD -> PR and
CSD -> CMA/CA from the geographic attribute file, with roll-ups along it.

The vocabulary (levels, DGUIDs, :func:`~playbook.codes.parse_dguid`, the provinces and their names)
is :mod:`playbook.codes`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from playbook.codes import LEVEL_SCHEMAS, PROVINCES, TERRITORIES, dguid, province_names
from playbook.errors import PlaybookError
from playbook.geo import attributes
from playbook.index import aggregate
from playbook.index.pipeline import int_array
from playbook.sources import datasets


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

#: Level -> the hierarchy column holding the code of a unit's parent at that level.
LEVEL_KEYS = {
    "Country": "country", "Province": "pruid", "Territory": "pruid", "Census division": "cduid",
    "Census subdivision": "csduid", "Census metropolitan area or agglomeration": "cmauid", "CMA/CA": "cmauid",
}
HIERARCHY_COLUMNS = ["DGUID", "level", "name", "pruid", "cduid", "csduid", "dauid", "cmauid", "cma_dguid",
                     "sac_type", "sac_synthetic", "population"]


def read_hierarchy(path=None, *, encoding: str | None = None) -> pd.DataFrame:
    """The geographic hierarchy from a 2021 Geographic Attribute File (official or demo; ``.zip`` or
    ``.csv``; default: the embedded demo file ``demo_geo_attributes_2021``).

    One row per Country, province/territory, census division, census subdivision, dissemination area
    and CMA/CA, with ``DGUID, level, name`` and the parent codes ``pruid, cduid, csduid, cmauid``
    (plus ``cma_dguid``), the Statistical Area Classification ``sac_type`` (1-8, CSDs and DAs),
    ``sac_synthetic`` (true where the file flags it) and the 2021 ``population``. Roll up with
    ``groupby`` on a parent column, or with :func:`rollup`.
    """
    path = datasets.path("demo_geo_attributes_2021") if path is None else path
    units = attributes.read_units(path, encoding=encoding or attributes.ENCODING)
    for col, default in (("cd_name", pd.NA), ("csd_name", pd.NA), ("pr_name", pd.NA), ("cma_dguid", ""),
                         ("cma_name", pd.NA), ("sac_synthetic", "0")):
        if col not in units:
            units[col] = default
    units["cmauid"] = units["cmauid"].replace("", pd.NA)
    member = units["cmauid"].notna()
    cma_code = units["cmauid"].fillna("")
    built = dguid("Census metropolitan area", cma_code).where(units["cma_type"].eq("B"),
                                                               dguid("Census agglomeration", cma_code))
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
        pd.DataFrame({"DGUID": [dguid("Country")], "level": ["Country"], "name": ["Canada"],
                      "population": [pr["population"].sum()]}),
        pr.assign(DGUID=dguid("Province", pr["pruid"]),
                  level=np.where(pr["pruid"].isin(TERRITORIES), "Territory", "Province")),
        cd.assign(DGUID=dguid("Census division", cd["cduid"]), level="Census division"),
        csd.assign(DGUID=dguid("Census subdivision", csd["csduid"]), level="Census subdivision",
                   name=csd["csd_name"]),
        da.assign(DGUID=dguid("Dissemination area", da["dauid"]), level="Dissemination area", name=da["dauid"]),
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
    data,
    by: str | pd.Series = "Province",
    values: str | list[str] | None = None,
    weights: str | pd.Series | None = None,
    *,
    hierarchy: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Population-weighted means of ``values`` per group ``by`` — the package's one roll-up.

    ``data`` is a table, or an index result (:class:`playbook.index.Result`), whose scores are rolled
    up: ``values`` default to its dimensions and the index ``score``, ``weights`` to the spec's
    population, and the groups get ``population_covered`` (the share of their population living in
    scored units), a ``rank`` (1 = most vulnerable) and a ``quintile`` (5 = most vulnerable); the
    summed weights are then called ``population``.

    ``by`` is a geographic level (``"Province"``, ``"Census division"``, ``"Census subdivision"``,
    ``"CMA/CA"``, ``"Country"``...), a column of the table (``"pruid"``, ``"cma_dguid"``,
    ``"area_class"``...) or a Series aligned with its rows. For a level, the table has a ``DGUID``
    column (any level below) or already the parent code column (``pruid``, ``cduid``, ``csduid``,
    ``cmauid``); otherwise ``hierarchy`` (default: the demo file, :func:`read_hierarchy`) supplies
    it, and the result starts with the parent's ``DGUID, level`` and code. ``weights`` is a column or
    a Series (missing weights count as 0).

    Each value is ``sum(w v) / sum(w)`` over the units of the group that have a value (missing
    values are left out of their column's mean and of its weight; a group with no value gets none).
    Units without a group (outside any CMA/CA, say) are left out. ``weights`` is summed over all the
    group's units. One row per group, sorted by group.
    """
    result = data if hasattr(data, "scores") and hasattr(data, "spec") else None
    if result is not None:
        spec = result.spec
        frame = result.data.reset_index(drop=True)
        values = [*spec.dimension_ids, "score"] if values is None else values
        weights = spec.population if weights is None else weights
        if weights is None:
            raise PlaybookError("no population to weight by", field="population",
                                expected="population: <column> in the spec, or the weights argument")
        scores = result.scores.reset_index(drop=True)
        frame = frame.drop(columns=[c for c in scores.columns if c in frame.columns and c != "DGUID"])
        frame = pd.concat([frame, scores.drop(columns=[c for c in ("DGUID",) if c in frame.columns])], axis=1)
    else:
        frame = data
    if values is None or weights is None:
        raise PlaybookError("a roll-up needs values and weights", field="values/weights",
                            expected="rollup(table, by, values, weights)")
    values = [values] if isinstance(values, str) else list(values)
    if isinstance(weights, str):
        weight_name = weights
    else:
        weight_name = getattr(weights, "name", None) or "population"
        frame = frame.assign(**{weight_name: np.asarray(weights)})
    missing = [c for c in [*values, weight_name] if c not in frame.columns]
    if missing:
        raise PlaybookError(
            f"column(s) {missing} not in the table", field=missing[0], expected=f"among {list(frame.columns)}"
        )
    level = None
    if isinstance(by, pd.Series):
        name = by.name or "group"
        groups = pd.Series(np.asarray(by), index=frame.index)
    elif by in frame.columns:
        name, groups = by, frame[by]
    elif by in LEVEL_KEYS:
        level, name = by, LEVEL_KEYS[by]
        if name == "country":
            groups = pd.Series("01", index=frame.index)
        elif name in frame.columns:
            groups = frame[name]
        elif "DGUID" not in frame.columns:
            raise PlaybookError(
                "the table has neither DGUID nor a parent code column", field=name, expected="a DGUID column"
            )
        else:
            hierarchy = read_hierarchy() if hierarchy is None else hierarchy
            parents = hierarchy.drop_duplicates("DGUID").set_index("DGUID")[name]
            groups = frame["DGUID"].astype("string").map(parents)
            unknown = groups.isna() & ~frame["DGUID"].isin(parents.index)
            if unknown.any():
                raise PlaybookError(f"DGUID '{frame.loc[unknown, 'DGUID'].iloc[0]}' is not in the hierarchy",
                                    field="DGUID", expected="a geography of the geographic attribute file")
    else:
        raise PlaybookError(f"unknown level '{by}'", field="by",
                            expected=f"a column of the table or one of {', '.join(LEVEL_KEYS)}")
    keep = groups.notna().to_numpy()
    keys = groups.to_numpy()[keep]
    w = pd.to_numeric(frame[weight_name], errors="coerce").fillna(0.0).to_numpy(dtype=float)[keep]
    x = frame[values].apply(pd.to_numeric, errors="coerce").astype("float64").to_numpy()[keep]
    has = ~np.isnan(x)
    sums = pd.DataFrame(np.hstack([np.where(has, w[:, None] * np.nan_to_num(x), 0.0), np.where(has, w[:, None], 0.0),
                                   w[:, None]])).groupby(keys, sort=True).sum()
    n = len(values)
    wx, wsum, total = sums.iloc[:, :n].to_numpy(), sums.iloc[:, n:2 * n].to_numpy(), sums.iloc[:, 2 * n].to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(wsum > 0, wx / wsum, np.nan)
    out = pd.DataFrame(means, columns=values)
    out.insert(0, name, sums.index.to_numpy())
    integer = result is None and pd.api.types.is_integer_dtype(frame[weight_name])
    out[weight_name] = total.round().astype("int64") if integer else total  # whole counts stay whole
    if result is not None:
        out = out.rename(columns={weight_name: "population"})
        covered = wsum[:, values.index("score")] if "score" in values else wsum[:, -1]
        with np.errstate(invalid="ignore", divide="ignore"):
            out["population_covered"] = np.where(total > 0, covered / total, np.nan)
        if "score" in values:
            rank = aggregate.ranks(out["score"].to_numpy(dtype=float))
            out["rank"] = int_array(rank)
            out["quintile"] = int_array(aggregate.quintiles(rank))
    if level is not None:
        out = _with_dguids(out, name, level, hierarchy)
    return out


def _with_dguids(out: pd.DataFrame, key: str, to: str, hierarchy: pd.DataFrame | None) -> pd.DataFrame:
    """``out`` (one row per code ``key`` of level ``to``) with the parents' ``DGUID`` and ``level`` first."""
    codes = out[key].astype(str)
    if key == "country":
        dguids, level = dguid("Country", codes), "Country"
        out = out.drop(columns=key)
    elif key == "cmauid":
        lookup = (hierarchy if hierarchy is not None else read_hierarchy()).dropna(subset=["cmauid", "cma_dguid"])
        dguids = codes.map(lookup.drop_duplicates("cmauid").set_index("cmauid")["cma_dguid"])
        cma = dguids.str[4:9] == LEVEL_SCHEMAS["Census metropolitan area"]
        level = np.where(cma, "Census metropolitan area", "Census agglomeration")
    else:
        name = "Province" if to == "Territory" else to
        dguids, level = dguid(name, codes), name
        if name == "Province":
            level = np.where(codes.isin(TERRITORIES), "Territory", "Province")
    out.insert(0, "level", level)
    out.insert(0, "DGUID", dguids.astype("string").to_numpy())
    return out
