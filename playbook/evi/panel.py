"""The EVI over two census years: a 2016-layout and a 2021-layout Census Profile in one long table.

Characteristic ids differ between census years; indicators do not. :func:`read_year` reads the
characteristics the spec needs from a profile of either year (its ids translated through the
mappings ``specs/census_2016.yml`` and ``specs/census_2021.yml``, names checked by the census
reader) and renames them to the spec's 2021 ids, so the same spec computes the same indicators
from both. Areas are matched between years by their geographic code (the code part of the 2021
DGUID, the 2016 ``ALT_GEO_CODE``; the 2016 CMA/CA code ``PR+CMA`` is cut to the CMA code), at the
same kind of geography: codes change between censuses (new, merged or renumbered areas), so
:func:`unmatched` lists the areas found in one year only.

The area file (internet access, skills, worries) exists for 2021 only: its columns are joined to
both years by the area's code, so between the years only the census indicators move.
:func:`build` then runs :func:`playbook.index.build_panel` on one geography level.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from playbook import i18n, index, privacy
from playbook.codes import census_characteristics, census_id, dguid, province_names
from playbook.errors import PlaybookError
from playbook.evi.compare import engine_spec
from playbook.evi.inputs import (
    AREA_FILE,
    LEVELS,
    PROFILE,
    SpecLike,
    analysis_manifest,
    area_sources,
    area_values,
    indicator_data,
    provenance,
    resolve,
)
from playbook.indicators import area_columns, census_ids
from playbook.sources import census

#: Registry name of the embedded demo 2016-layout Census Profile.
PROFILE_2016 = "demo_census_profile_2016"
YEARS = (2016, 2021)
#: GEO_LEVEL (2021 names) -> kind of geography, the level at which codes are compared.
KINDS = {"Country": "country", "Province": "pr", "Territory": "pr", "Census division": "cd",
         "Census subdivision": "csd", "Dissemination area": "da", "Census metropolitan area": "cma_ca",
         "Census agglomeration": "cma_ca"}
#: Length of a 2016 ALT_GEO_CODE -> kind (level 0 is Canada).
KIND_2016 = {2: "pr", 4: "cd", 5: "cma_ca", 7: "csd", 8: "da"}
NAME_2016 = {"country": "Country", "pr": "Province", "cd": "Census division", "csd": "Census subdivision",
             "da": "Dissemination area", "cma_ca": "Census metropolitan area or census agglomeration"}
TERRITORIES = {"60", "61", "62"}


def year_ids(spec: SpecLike = None, year: int = 2021) -> dict[int, int]:
    """The spec's census characteristic ids (2021) -> their ids in ``year``'s profile (by indicator
    name, through the two mappings); fails naming the indicator missing from ``year``'s mapping."""
    ids = census_ids(spec)
    if year == 2021:
        return {i: i for i in ids}
    names = census_characteristics(2021)
    out = {}
    for cid in ids:
        if cid not in names:
            raise PlaybookError(f"characteristic {cid} is not in the 2021 mapping", field="source",
                                expected="ids of specs/census_2021.yml")
        out[cid] = census_id(names[cid]["indicator"], year)
    return out


def geo_keys(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    """``kind`` and ``code`` of each geography of an extract (vectorised), and a harmonised
    ``GEO_LEVEL`` (2021 names)."""
    code = frame["ALT_GEO_CODE"].astype("string").str.strip()
    if year == 2021:
        kind = frame["GEO_LEVEL"].astype("string").map(KINDS).astype("string")
        level = frame["GEO_LEVEL"].astype("string")
    else:
        kind = code.str.len().map(KIND_2016).astype("string")
        kind = kind.mask(frame["GEO_LEVEL"].astype("string").str.strip() == "0", "country")
        code = code.mask(kind == "cma_ca", code.str[-3:])
        level = kind.map(NAME_2016).astype("string")
        level = level.mask((kind == "pr") & code.isin(list(TERRITORIES)), "Territory")
    return pd.DataFrame({"kind": kind.to_numpy(), "code": code.to_numpy(), "GEO_LEVEL": level.to_numpy()},
                        index=frame.index)


def read_year(spec: SpecLike = None, profile=None, year: int | None = None) -> pd.DataFrame:
    """The census characteristics ``spec`` needs from one profile (2016 or 2021 layout, detected),
    as ``c<2021 id>`` columns, with ``year``, ``kind``, ``code`` and the identity columns."""
    default = PROFILE if year in (None, 2021) else PROFILE_2016
    paths = [resolve(p, default) for p in profile] if isinstance(profile, list | tuple) else [resolve(profile, default)]
    layout = census.detect(census.sources(paths)[0])
    if year is not None and layout.year != year:
        raise PlaybookError(f"a {layout.year} profile given for {year}", path=paths[0], field="profile",
                            expected=f"a {year} Census Profile")
    ids = year_ids(spec, layout.year)
    extract = census.extract(paths, list(ids.values()))
    extract = extract.rename(columns={f"c{v}": f"c{k}" for k, v in ids.items()})
    keys = geo_keys(extract, layout.year)
    extract["GEO_LEVEL"] = keys["GEO_LEVEL"]
    if layout.year != 2021:
        known = keys["kind"].isin(list(NAME_2016)).to_numpy()
        extract["DGUID"] = pd.Series(pd.NA, index=extract.index, dtype="string")
        for kind in keys["kind"][known].unique():  # one vectorised call per kind of geography
            rows = (keys["kind"] == kind).to_numpy()
            level = "Country" if kind == "country" else NAME_2016[kind].split(" or ")[0]
            extract.loc[rows, "DGUID"] = dguid(level, keys["code"][rows], year=layout.year).to_numpy()
    out = pd.concat([keys[["kind", "code"]], extract], axis=1)
    out.insert(0, "year", layout.year)
    return out


def long_table(years: dict[int, pd.DataFrame]) -> pd.DataFrame:
    """Extracts of several years (from :func:`read_year`) as one long table, one row per area x
    year, with ``unit`` = ``kind:code`` (the key matched between years)."""
    out = pd.concat(list(years.values()), ignore_index=True)
    out.insert(1, "unit", (out["kind"].astype("string") + ":" + out["code"].astype("string")))
    return out


def unmatched(long: pd.DataFrame, years: tuple = YEARS) -> pd.DataFrame:
    """Areas present in some of ``years`` only: ``unit, kind, code, GEO_LEVEL, GEO_NAME`` and
    ``present`` (the years it is found in, e.g. ``"2021"``). Only kinds of geography found in every
    year are compared (a 2016 file of CSDs says nothing about the 2021 provinces)."""
    rows = long[long["year"].isin(years)]
    kind = rows["unit"].str.split(":").str[0]
    shared = kind.groupby(rows["year"]).agg(set)
    common = set.intersection(*shared.tolist()) if len(shared) == len(years) else set()
    rows = rows[kind.isin(list(common))]
    years_of = rows.groupby("unit", sort=False)["year"]
    found = years_of.agg(lambda y: " ".join(map(str, sorted(y))))
    partial = found[(years_of.nunique() < len(years)).to_numpy()]
    last = rows.drop_duplicates("unit", keep="last").set_index("unit")
    out = last.loc[partial.index, ["code", "GEO_LEVEL", "GEO_NAME"]].reset_index()
    out.insert(1, "kind", out["unit"].str.split(":").str[0])
    out["present"] = partial.to_numpy()
    return out.sort_values(["present", "kind", "code"], kind="stable").reset_index(drop=True)


def available(manifest=None) -> bool:
    """Whether the analysis can compare two censuses: the embedded demo, or a manifest naming a
    2016 profile (with a 2021 one)."""
    m = analysis_manifest(manifest)
    return m.embedded or (m.input("census.profile_2016") is not None and m.input("census.profile") is not None)


def _from_manifest(manifest, spec):
    """``profile_2016``, ``profile``, the area inputs and whether any is synthetic, from the manifest."""
    m = analysis_manifest(manifest)
    p2016, p2021 = m.or_demo("census.profile_2016")[0], m.or_demo("census.profile")[0]
    area = area_sources(m, spec)
    used = [p2016, p2021, *{i.key: i for i in area.values()}.values()]
    return list(p2016.paths), list(p2021.paths), area, any(i.synthetic for i in used), used


def read_panel(spec: SpecLike = None, *, profile_2016=None, profile=None, area_file=None, manifest=None) -> pd.DataFrame:
    """The EVI's indicators for both census years, one row per area x year: ``year``, ``unit``,
    ``kind``, ``code``, identity columns, ``pruid``, ``population`` and one column per indicator.
    The area inputs (2021) are joined to both years by the area's code. Inputs come from the
    manifest (see :func:`playbook.evi.inputs.read_inputs`) unless given; names are withheld while
    any input is synthetic."""
    if profile_2016 is None and profile is None and area_file is None:
        profile_2016, profile, area, synthetic_, _ = _from_manifest(manifest, spec)
        groups = {}
        for column, source in area.items():
            groups.setdefault(source.key, (source, []))[1].append(column)
        sources = list(groups.values())
    else:
        synthetic_ = synthetic(profile_2016=profile_2016, profile=profile, area_file=area_file)
        sources = [(resolve(area_file, AREA_FILE), area_columns(spec))] if area_columns(spec) else []
    long = long_table({2016: read_year(spec, profile_2016, 2016), 2021: read_year(spec, profile, 2021)})
    code = long.loc[long["year"] == 2021, ["DGUID", "unit"]]
    for source, columns in sources:
        area = area_values(source, columns, spec, manifest)
        area = area.merge(code, on="DGUID", how="inner").drop(columns="DGUID")
        long = long.merge(area, on="unit", how="left", validate="many_to_one")
    for column in area_columns(spec):
        if column not in long.columns:
            long[column] = np.nan
    values = indicator_data(long.drop(columns=["year", "unit", "kind", "code"]), spec, synthetic=synthetic_)
    values.insert(0, "code", long["code"].to_numpy())
    values.insert(0, "kind", long["kind"].to_numpy())
    values.insert(0, "unit", long["unit"].to_numpy())
    values.insert(0, "year", long["year"].to_numpy())
    values["GEO_LEVEL"] = long["GEO_LEVEL"].to_numpy()
    return values


def at_level(long: pd.DataFrame, level: str) -> pd.DataFrame:
    """The rows of one level (a key of :data:`playbook.evi.LEVELS`, ``"cma_ca"``, or a ``kind``)."""
    kind = {"cma": "cma_ca", "ca": "cma_ca"}.get(level, KINDS.get(LEVELS.get(level, level), level))
    rows = long[long["unit"].str.startswith(f"{kind}:")]
    if rows.empty:
        raise PlaybookError(f"no rows at level '{level}'", field="GEO_LEVEL", expected=" | ".join([*LEVELS, "cma_ca"]))
    return rows.reset_index(drop=True)


def build(spec: SpecLike, long: pd.DataFrame, level: str, **changes) -> index.PanelResult:
    """The panel of one level: treatment and normalisation pooled over the two years."""
    return index.build_panel(engine_spec(spec, **changes), at_level(long, level), period="year", unit="unit")


def change_table(panel: index.PanelResult, long: pd.DataFrame, *, from_year: int = 2016, to_year: int = 2021,
                 n: int | None = None, spec: SpecLike = None, lang: str | None = None,
                 policy: privacy.Policy | None = None, names: bool = False) -> pd.DataFrame:
    """The change by area, labelled in ``lang``, after disclosure control (populations of both
    years are counts; scores and changes are suppressed with them): area code (or, with ``names``,
    the area's name: only where no input is synthetic, see :func:`synthetic`), province,
    populations, score in each year, change, rank change and the years the area is found in.
    ``n`` keeps the areas whose score rose most (then those found in one year only)."""
    lang = i18n.language(lang)
    table = index.change(panel, from_year, to_year)
    places = long.sort_values("year").drop_duplicates("unit", keep="last").set_index("unit")[["GEO_NAME", "pruid"]]
    pops = long.pivot_table(index="unit", columns="year", values="population", aggfunc="first")
    table = table.join(places, on="unit")
    for year in (from_year, to_year):
        table[f"population_{year}"] = table["unit"].map(pops[year]) if year in pops else np.nan
    if n is not None:
        table = pd.concat([table[table["present"] == "both"].head(n), table[table["present"] != "both"]])
    scores = [f"score_{from_year}", f"score_{to_year}", "change"]
    protected = privacy.protect(table.reset_index(drop=True), counts=[f"population_{y}" for y in (from_year, to_year)],
                                dependent=[*scores, "rank_change"], policy=policy)
    protected["pruid"] = province_names(protected["pruid"], lang).to_numpy()
    present = {"both": i18n.t("evi_panel_both_years", lang)}
    present |= {f"only {y}": i18n.t("evi_panel_only_year", lang, year=y) for y in (from_year, to_year)}
    protected["present"] = protected["present"].map(present)
    labels = {
        **({"GEO_NAME": i18n.t("evi_area", lang)} if names else {"unit": i18n.t("evi_area_code", lang)}),
        "pruid": i18n.t("province_or_territory", lang),
        f"population_{from_year}": i18n.t("evi_panel_population", lang, year=from_year),
        f"population_{to_year}": i18n.t("evi_panel_population", lang, year=to_year),
        f"score_{from_year}": i18n.t("evi_panel_score", lang, year=from_year),
        f"score_{to_year}": i18n.t("evi_panel_score", lang, year=to_year),
        "change": i18n.t("evi_panel_change", lang),
        "rank_change": i18n.t("evi_panel_rank_change", lang),
        "present": i18n.t("evi_panel_present", lang),
    }
    return protected[list(labels)].rename(columns=labels).reset_index(drop=True)


def inputs(*, profile_2016=None, profile=None, area_file=None) -> tuple:
    """The panel's inputs as ``(value, default)`` pairs for :func:`playbook.evi.inputs.provenance`."""
    return ((profile_2016, PROFILE_2016), (profile, PROFILE), (area_file, AREA_FILE))


def synthetic(*, profile_2016=None, profile=None, area_file=None, manifest=None, spec: SpecLike = None) -> bool:
    """Whether any input of the panel is synthetic (then its scores are shown with area codes, not names)."""
    if profile_2016 is None and profile is None and area_file is None:
        return _from_manifest(manifest, spec)[3]
    return provenance(inputs(profile_2016=profile_2016, profile=profile, area_file=area_file))[1]


def source_line(lang: str | None = None, *, profile_2016=None, profile=None, area_file=None, manifest=None,
                spec: SpecLike = None) -> str:
    """The source line of a figure of the two census years: the sources of both profiles and of
    the area inputs, ending "demo data, synthetic" when any of them is synthetic."""
    if profile_2016 is None and profile is None and area_file is None:
        used = _from_manifest(manifest, spec)[4]
        return i18n.source_line("; ".join(dict.fromkeys(i.source_text(lang) for i in used)),
                                synthetic=any(i.synthetic for i in used), lang=i18n.language(lang))
    parts, synthetic_ = provenance(inputs(profile_2016=profile_2016, profile=profile, area_file=area_file), lang)
    return i18n.source_line("; ".join(parts), synthetic=synthetic_, lang=i18n.language(lang))
