"""The E-Vulnerability Index, end to end: what the EVI notebooks narrate.

The notebooks call these functions; the index itself is built by the index engine
(``playbook.index``) from the spec (``specs/evi.yml``), and the indicators by
``playbook.indicators`` from the sources the spec declares for them. This module only wires the stages together and shapes
results for tables, charts and exports.
"""

from __future__ import annotations

from collections.abc import Mapping
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from playbook import i18n
from playbook.codes import census_names, parse_dguid, province_names
from playbook.errors import PlaybookError
from playbook.indicators import POPULATION_ID, area_columns, census_ids, compute, indicator_table, read_spec
from playbook.sources import census, datasets

SpecLike = str | PathLike | Mapping[str, Any] | None


def _text(value: Any, lang: str) -> str:
    if isinstance(value, Mapping):
        value = value.get(lang, value.get("en", ""))
    return i18n.french_typography(str(value)) if lang == "fr" else str(value)


def dimension_labels(spec: SpecLike = None, lang: str | None = None) -> dict[str, str]:
    """Dimension id -> its name in ``lang``."""
    lang = i18n.language(lang)
    return {d["id"]: _text(d.get("name", d["id"]), lang) for d in read_spec(spec)["dimensions"]}


def indicator_labels(spec: SpecLike = None, lang: str | None = None) -> dict[str, str]:
    """Indicator id -> its name in ``lang``."""
    lang = i18n.language(lang)
    table = indicator_table(spec)
    return {i: _text(n or i, lang) for i, n in zip(table["id"], table["name"], strict=True)}


def effective_weights(spec: SpecLike = None, lang: str | None = None) -> pd.DataFrame:
    """How much each indicator counts in the index under arithmetic aggregation: its weight share
    within its dimension times the dimension's share among dimensions, in percent (sums to 100)."""
    lang = i18n.language(lang)
    raw = read_spec(spec)
    table = indicator_table(raw)
    dim_weight = {d["id"]: float(d.get("weight", 1)) for d in raw["dimensions"]}
    total = sum(dim_weight.values())
    within = table["weight"] / table.groupby("dimension")["weight"].transform("sum")
    share = 100 * within * table["dimension"].map(dim_weight) / total
    labels = dimension_labels(raw, lang)
    return pd.DataFrame(
        {
            "dimension": table["dimension"],
            "dimension_label": table["dimension"].map(labels),
            "id": table["id"],
            "label": table["id"].map(indicator_labels(raw, lang)),
            "share": share.astype("float64"),
        }
    )


def framework_table(spec: SpecLike = None, lang: str | None = None) -> pd.DataFrame:
    """Dimension, indicator and rationale, with labelled columns in ``lang`` (for display)."""
    lang = i18n.language(lang)
    raw = read_spec(spec)
    table = indicator_table(raw)
    return pd.DataFrame(
        {
            i18n.t("evi_dimension", lang): table["dimension"].map(dimension_labels(raw, lang)),
            i18n.t("evi_indicator", lang): table["id"].map(indicator_labels(raw, lang)),
            i18n.t("evi_dict_rationale", lang): [_text(r, lang) for r in table["rationale"]],
        }
    )


# --- Inputs: census extract + area file -> indicators ------------------------------------------------

#: Registry names of the embedded demo inputs: the Census Profile and the area internet file.
PROFILE = "demo_census_profile_2021"
AREA_FILE = "demo_area_internet_2021"
#: Geography levels the notebooks build the index for, as written in GEO_LEVEL.
#: Bootstrap replicates behind the small-area standard errors of survey outcomes used as indicators.
SAE_REPLICATES = 50
LEVELS = {
    "da": "Dissemination area",
    "csd": "Census subdivision",
    "cma": "Census metropolitan area",
    "ca": "Census agglomeration",
}
IDENTITY = ["DGUID", "ALT_GEO_CODE", "GEO_LEVEL", "GEO_NAME"]


def resolve(name_or_path: str | PathLike | None, default: str) -> Path:
    """A registry name (checksum-verified) or a path to a file of the user's."""
    value = default if name_or_path is None else name_or_path
    if isinstance(value, str) and value in datasets.registry():
        return datasets.path(value)
    path = Path(value)
    if not path.exists():
        raise PlaybookError("input file not found", path=path, expected="a registry name or an existing file")
    return path


def analysis_manifest(manifest):
    from playbook.sources import manifest as manifests

    return manifests.current(manifest)


def area_sources(manifest=None, spec: SpecLike = None) -> dict[str, Any]:
    """Area column the spec reads -> the manifest input that supplies it (the area file when it has
    the column, else the broadband file for ``pct_no_broadband_*``), for the columns that are supplied.

    When the analysis takes the embedded census profile (none of its own), the embedded area file
    goes with it: a demo index is demo throughout, never half real."""
    m = analysis_manifest(manifest)
    wanted = area_columns(spec)
    profile, fallback = m.or_demo("census.profile")
    area = m.or_demo("area_file")[0] if fallback else m.input("area_file")
    out: dict[str, Any] = {}
    if area is not None:
        header = pd.read_csv(area.path, nrows=0).columns
        out.update({c: area for c in wanted if c in header})
    broadband = None if fallback else m.input("broadband")
    if broadband is not None:
        out.update({c: broadband for c in wanted if c.startswith("pct_no_broadband_") and c not in out})
    pumf = None if fallback else m.input("survey.pumf")
    if pumf is not None:  # modelled: the survey's outcomes carried to small areas by their census make-up
        from playbook.sources.survey import load_spec

        measured = set(load_spec(m.cycle).get("outcomes") or {})
        out.update({c: pumf for c in wanted if c.startswith("pct_") and c[4:] in measured and c not in out})
    return out


def survey_values(source, columns: list[str], manifest=None) -> pd.DataFrame:
    """``DGUID``, the survey's outcomes as percentages and their standard errors (``<column>_se``) at
    the CSD and DA levels the census files hold: small-area estimates (the model-based method of
    :func:`playbook.groups.sae.area_indicators`) from the manifest's survey and census files."""
    from playbook.geo.hierarchy import read_hierarchy
    from playbook.groups.composition import census_extract
    from playbook.groups.sae import area_indicators
    from playbook.sources.survey import read_pumf

    m = analysis_manifest(manifest)
    bootstrap = m.input("survey.bootstrap")
    survey = read_pumf(source.path, cycle=m.cycle, bootstrap=None if bootstrap is None else bootstrap.path)
    hierarchy = read_hierarchy(geo_attributes(m))
    profiles = list(m.require("census.profile").paths)
    extract = census_extract(profiles)  # the characteristics the small-area model needs
    present = levels(extract)
    outcomes = [c[4:] for c in columns]
    frames = [area_indicators(survey, extract, level=lv, outcomes=outcomes, hierarchy=hierarchy, n_replicates=SAE_REPLICATES)
              for lv in present]
    values = pd.concat(frames, ignore_index=True)
    return values[["DGUID", *[c for col in columns for c in (col, f"{col}_se") if c in values.columns]]]


def analysis_spec(spec: SpecLike = None, manifest=None) -> dict:
    """The spec restricted to the indicators this analysis has inputs for: an indicator read from
    an area column that no input supplies is left out (a dimension left empty goes too), so an
    analysis with only its census files builds the index from the census indicators, and says so
    (:func:`left_out`)."""
    raw = read_spec(spec)
    dropped = set(left_out(raw, manifest))
    if not dropped:
        return raw

    def keep(dim: dict) -> dict | None:
        dim = dict(dim)
        if "indicators" in dim:
            dim["indicators"] = [i for i in dim["indicators"] if i.get("id") not in dropped]
            if not dim["indicators"]:
                return None
        if "dimensions" in dim:
            dim["dimensions"] = [d for d in (keep(x) for x in dim["dimensions"]) if d is not None]
            if not dim["dimensions"]:
                return None
        return dim

    raw["dimensions"] = [d for d in (keep(x) for x in raw["dimensions"]) if d is not None]
    if not raw["dimensions"]:
        raise PlaybookError("no indicator of the spec has an input in this analysis", field="dimensions",
                            expected="a census profile and/or an area file in the manifest")
    return raw


def census_files(manifest=None, key: str = "census.profile") -> list[Path]:
    """The Census Profile files of the analysis (the embedded demo when it has none)."""
    return list(analysis_manifest(manifest).or_demo(key)[0].paths)


def geo_attributes(manifest=None) -> Path:
    """The geographic attribute file of the analysis (the embedded demo file when it has none)."""
    return analysis_manifest(manifest).or_demo("census.geo_attributes")[0].path


def levels(data: pd.DataFrame) -> list[str]:
    """The index levels (``csd``, ``da``) the data have rows for, in that order."""
    present = set(data["GEO_LEVEL"].astype("string"))
    return [key for key in ("csd", "da") if LEVELS[key] in present]


def edition_level(level: str | None, data: pd.DataFrame, jurisdiction=None) -> str:
    """The level a page builds the index for: ``level`` if given, else the edition's
    ``default_level`` (its jurisdiction profile's: dissemination areas for Prince Edward Island)
    when the data have it, else census subdivisions (or DAs for a DA-only analysis)."""
    present = levels(data)
    if level is not None:
        return level
    from playbook.jurisdiction import current

    wanted = {LEVELS["da"]: "da", LEVELS["csd"]: "csd"}.get(current(jurisdiction).default_level, "csd")
    return wanted if wanted in present else (present[0] if present else "csd")


def example_area(inputs: pd.DataFrame, preferred: str = "11") -> str:
    """The DGUID of the most populous census subdivision of province ``preferred`` (Prince Edward
    Island: small numbers are easy to check by hand), else of the data's first province; a
    dissemination area when the data have no census subdivision."""
    for level in ("Census subdivision", "Dissemination area"):
        rows = inputs[inputs["GEO_LEVEL"] == level]
        if rows.empty:
            continue
        province = parse_dguid(rows["DGUID"])["pruid"]
        chosen = rows[(province == preferred).to_numpy()]
        chosen = rows if chosen.empty else chosen
        return str(chosen.sort_values(f"c{POPULATION_ID}", ascending=False)["DGUID"].iloc[0])
    raise PlaybookError("no census subdivision or dissemination area in the data", field="GEO_LEVEL",
                        expected="a Census Profile file at the CSD or DA level")


def example_province(data: pd.DataFrame, preferred: str = "48") -> str:
    """``preferred`` (Alberta) when the data have it, else the province with most census subdivisions."""
    csd = data[data["GEO_LEVEL"] == LEVELS["csd"]]
    rows = csd if not csd.empty else data
    present = rows["pruid"].astype("string")
    return preferred if (present == preferred).any() else str(present.value_counts().index[0])


def left_out(spec: SpecLike = None, manifest=None) -> list[str]:
    """The indicators of ``spec`` (the full spec, not the analysis spec) that :func:`analysis_spec`
    leaves out for want of an input: area columns no input of the analysis supplies."""
    raw = read_spec(spec)
    supplied = set(area_sources(manifest, raw))
    table = indicator_table(raw)
    return sorted(table.loc[(table["source_kind"] == "area_file") & ~table["source"].isin(supplied), "id"])


def read_inputs(spec: SpecLike = None, *, profile=None, area_file=None, manifest=None) -> pd.DataFrame:
    """One row per geography: the census characteristics the spec needs (``c<ID>``, read with the
    census reader, names checked) and the area columns (merged on ``DGUID``).

    Inputs come from the analysis manifest (:mod:`playbook.sources.manifest`: ``manifest``, else
    ``$PLAYBOOK_MANIFEST``, else the embedded demo); ``profile`` (one file or several, such as the
    regional DA files) and ``area_file`` override it. ``attrs["synthetic"]`` says whether any input
    behind the values is synthetic (names are then withheld: see :func:`indicator_data`)."""
    m = analysis_manifest(manifest)
    if profile is None:
        census_input, fallback = m.or_demo("census.profile")
        profile_arg, synthetic = census_input.reader_arg(), census_input.synthetic
    else:
        fallback = False
        profile_arg = [resolve(p, PROFILE) for p in profile] if isinstance(profile, list | tuple) else resolve(profile, PROFILE)
        synthetic = provenance(((profile, PROFILE),))[1]
    paths = profile_arg if isinstance(profile_arg, list) else [profile_arg]
    extract = census.extract(paths, census_ids(spec))
    wanted = area_columns(spec)
    if area_file is not None or (m.embedded and profile is not None):
        area_path = resolve(area_file, AREA_FILE)
        groups = {str(area_path): (area_path, wanted)}
        synthetic = synthetic or provenance(((area_file, AREA_FILE),))[1]
    else:
        supplied = area_sources(m, spec)
        groups: dict = {}
        for column, source in supplied.items():
            groups.setdefault(source.key, (source, []))[1].append(column)
            synthetic = synthetic or source.synthetic
    out = extract
    for source, columns in groups.values():
        out = out.merge(area_values(source, columns, spec, m), on="DGUID", how="left", validate="one_to_one")
    for column in wanted:
        if column not in out.columns:
            out[column] = np.nan  # no input: the indicator is left out by analysis_spec
    out["DGUID"] = out["DGUID"].astype("string")
    out.attrs["synthetic"] = bool(synthetic)
    out.attrs["demo_fallback"] = bool(fallback)
    return out


def broadband_values(source, columns: list[str], manifest=None) -> pd.DataFrame:
    """``DGUID`` and the broadband columns at the CSD and DA levels from the manifest's broadband
    files (:func:`playbook.sources.broadband.read_broadband`, weighted by dwellings, the nearest to the
    indicator's households that both layouts count); DA -> CSD links from the analysis's geographic attribute file."""
    from playbook.geo.hierarchy import read_hierarchy
    from playbook.sources.broadband import read_broadband

    hierarchy = read_hierarchy(geo_attributes(manifest))
    da_csd = hierarchy.loc[hierarchy["level"] == "Dissemination area", ["dauid", "csduid"]].dropna()
    frames = []
    for level in ("csd", "da"):
        try:
            frames.append(read_broadband(source.reader_arg(), level=level, da_csd=da_csd, weight="dwellings"))
        except PlaybookError as exc:
            if level == "csd" or "pseudo-household" not in str(exc).lower():
                raise  # a CRTC table alone has no DAs: only then is a level skipped
    values = pd.concat(frames, ignore_index=True)
    return values[["DGUID", *[c for c in columns if c in values.columns]]]


def area_values(source, columns: list[str], spec: SpecLike, manifest=None) -> pd.DataFrame:
    """``DGUID`` and ``columns`` from one area input: a registry name/path (area file) or a manifest input."""
    if hasattr(source, "paths") and source.key == "broadband":
        return broadband_values(source, columns, manifest)
    if hasattr(source, "paths") and source.key == "survey.pumf":
        return survey_values(source, columns, manifest)
    path = source.path if hasattr(source, "paths") else Path(source)
    area = pd.read_csv(path, dtype={"DGUID": "string"}, usecols=lambda c: c == "DGUID" or c in columns)
    missing = [c for c in columns if c not in area.columns]
    if missing:
        raise PlaybookError(
            f"columns {missing} not in the area file",
            path=path,
            field=missing[0],
            expected="the columns named by the spec's area_file sources",
        )
    return area


#: Short level names used in the codes shown instead of names while scores are synthetic.
_LEVEL_KEYS = {"Dissemination area": "da", "Census subdivision": "csd", "Census metropolitan area": "cma",
               "Census agglomeration": "ca", "Census division": "cd", "Province": "pr", "Territory": "pr",
               "Country": "country"}


def demo_names(levels: pd.Series, codes: pd.Series, lang: str | None = None) -> pd.Series:
    """The label shown instead of a real place's name beside synthetic scores (the demo honesty
    rule): the level and the official code, tagged "demo" — "CSD 4806016 (demo)"."""
    lang = i18n.language(lang)
    short = levels.map(_LEVEL_KEYS).fillna("area")
    labels = {k: i18n.t(f"evi_demo_level_{k}", lang) for k in set(short)}
    tag = i18n.t("evi_demo_tag", lang)
    return (short.map(labels) + "\u00a0" + codes.astype("string") + " (" + tag + ")").astype("string")


def province_labels(pruid: pd.Series, synthetic: bool, lang: str | None = None) -> pd.Series:
    """Province and territory names in ``lang`` — or, beside synthetic scores, "Province 46 (demo)"."""
    if not synthetic:
        return province_names(pruid, lang)
    return demo_names(pd.Series("Province", index=pruid.index), pruid.astype("string"), lang)


def mask_names(frame: pd.DataFrame, synthetic: bool, *, name: str = "GEO_NAME", level: str = "GEO_LEVEL",
               code: str = "ALT_GEO_CODE", lang: str | None = None) -> pd.DataFrame:
    """``frame`` with ``name`` replaced by :func:`demo_names` when ``synthetic`` (a copy); unchanged
    otherwise. Only the country keeps its name (a national total is not a place ranked)."""
    if not synthetic or name not in frame.columns:
        return frame
    out = frame.copy()
    levels = out[level] if level in out.columns else pd.Series("area", index=out.index)
    keep = levels.isin(["Country"])
    codes = out[code] if code in out.columns else out["DGUID"].astype("string").str[9:]
    out[name] = out[name].astype("string").where(keep, demo_names(levels, codes, lang))
    return out


def indicator_data(inputs: pd.DataFrame, spec: SpecLike = None, *, synthetic: bool | None = None,
                   lang: str | None = None) -> pd.DataFrame:
    """Identity columns, ``pruid``, ``population`` (characteristic 1) and one column per indicator.

    While any input is synthetic (``synthetic``, by default ``inputs.attrs["synthetic"]``), the
    names of places are replaced by their level and code, tagged "demo" (:func:`mask_names`): a
    score computed from invented values never sits beside a real place's name."""
    raw = read_spec(spec)
    values = compute(inputs, raw)
    ids = inputs[[c for c in IDENTITY if c in inputs.columns]].reset_index(drop=True)
    ids["pruid"] = parse_dguid(ids["DGUID"])["pruid"].to_numpy()
    ids[raw.get("population") or "population"] = inputs[f"c{POPULATION_ID}"].to_numpy(dtype="float64")
    synthetic = inputs.attrs.get("synthetic", True) if synthetic is None else synthetic
    ids = mask_names(ids, synthetic, lang=lang)
    out = pd.concat([ids, values.drop(columns=raw.get("unit_id", "DGUID")), standard_errors(inputs, raw)], axis=1)
    out.attrs["synthetic"] = bool(synthetic)
    return out


def standard_errors(inputs: pd.DataFrame, spec: SpecLike = None) -> pd.DataFrame:
    """``<indicator>_se`` for each indicator whose area column has standard errors beside it
    (``<column>_se``: the small-area estimates of the survey), which the uncertainty analysis
    draws from (:mod:`playbook.index.uncertainty`, factor ``measurement``); none otherwise."""
    table = indicator_table(spec)
    columns = {f"{ind.id}_se": f"{ind.source}_se" for ind in table.itertuples(index=False)
               if ind.source_kind == "area_file" and f"{ind.source}_se" in inputs.columns}
    return pd.DataFrame({k: pd.to_numeric(inputs[v], errors="coerce").to_numpy("float64") for k, v in columns.items()},
                        index=pd.RangeIndex(len(inputs)))


def at_level(data: pd.DataFrame, level: str, province: str | None = None) -> pd.DataFrame:
    """The rows of one geography level (a key of :data:`LEVELS` or a GEO_LEVEL), optionally of one
    province (``pruid``); CMA and CA can be asked together as ``"cma_ca"``."""
    wanted = [LEVELS["cma"], LEVELS["ca"]] if level == "cma_ca" else [LEVELS.get(level, level)]
    rows = data[data["GEO_LEVEL"].isin(wanted)]
    if province:
        rows = rows[rows["pruid"] == province]
    if rows.empty:
        raise PlaybookError(
            f"no rows at level '{level}'" + (f" in province {province}" if province else ""),
            field="GEO_LEVEL",
            expected=" | ".join([*LEVELS, "cma_ca"]),
        )
    return rows.reset_index(drop=True)


def provenance(inputs, lang: str | None = None) -> tuple[list[str], bool]:
    """The source of each input and whether any is synthetic. ``inputs``: pairs ``(value, default)``
    where ``value`` is a registry name, a path or ``None`` (the registry entry ``default``)."""
    lang = i18n.language(lang)
    parts, synthetic = [], False
    for value, default in inputs:
        name = default if value is None else value
        if isinstance(name, str) and name in datasets.registry():
            entry = datasets.info(name)
            parts.append(entry.source[lang])
            synthetic = synthetic or entry.synthetic
        else:
            parts.append(i18n.t("evi_source_user_file", lang, file=Path(name).name))
    return list(dict.fromkeys(parts)), synthetic


def source_line(lang: str | None = None, *, profile=None, area_file=None, manifest=None, spec: SpecLike = None) -> str:
    """The source line of a figure made from the census profile and the area inputs: their
    sources, ending "demo data, synthetic" when any is synthetic. From the manifest (see
    :func:`read_inputs`) unless ``profile`` or ``area_file`` is given."""
    if profile is not None or area_file is not None:
        parts, synthetic = provenance(((profile, PROFILE), (area_file, AREA_FILE)), lang)
        return i18n.source_line("; ".join(parts), synthetic=synthetic, lang=i18n.language(lang))
    m = analysis_manifest(manifest)
    census_input, fallback = m.or_demo("census.profile")
    used = [census_input, *{i.key: i for i in area_sources(m, spec).values()}.values()]
    parts = list(dict.fromkeys(i.source_text(lang) for i in used))
    return i18n.source_line("; ".join(parts), synthetic=any(i.synthetic for i in used), lang=i18n.language(lang))


def rate_example(inputs: pd.DataFrame, indicator: str, unit: str, spec: SpecLike = None) -> pd.DataFrame:
    """The census counts one indicator of one area is computed from (numerators, then the denominator)."""
    table = indicator_table(spec).set_index("id")
    if indicator not in table.index or table.loc[indicator, "source_kind"] != "census":
        raise PlaybookError(
            f"'{indicator}' is not a census rate of the spec",
            field="indicator",
            expected="an indicator with source {census: {numerator, denominator}}",
        )
    row = inputs.loc[inputs["DGUID"] == unit]
    if row.empty:
        raise PlaybookError(f"no area '{unit}'", field="DGUID", expected="a DGUID of the data")
    source = table.loc[indicator, "source"]
    ids = [*source["numerator"], source["denominator"]]
    return pd.DataFrame(
        {
            "role": ["numerator"] * len(source["numerator"]) + ["denominator"],
            "characteristic": ids,
            "name": [census_names().get(i, "") for i in ids],
            "count": [float(row[f"c{i}"].iloc[0]) for i in ids],
        }
    )


def summary_table(data: pd.DataFrame, spec: SpecLike = None, lang: str | None = None) -> pd.DataFrame:
    """Per indicator: areas with a value, areas missing, and the minimum, median and maximum."""
    lang = i18n.language(lang)
    labels = indicator_labels(spec, lang)
    values = data[list(labels)]
    return pd.DataFrame(
        {
            i18n.t("evi_indicator", lang): list(labels.values()),
            i18n.t("evi_with_value", lang): values.notna().sum().to_numpy(),
            i18n.t("evi_missing", lang): values.isna().sum().to_numpy(),
            i18n.t("evi_minimum", lang): values.min().to_numpy(),
            i18n.t("evi_median", lang): values.median().to_numpy(),
            i18n.t("evi_maximum", lang): values.max().to_numpy(),
        }
    )


def count_columns(spec: SpecLike = None) -> list[str]:
    """The ``c<ID>`` columns that hold counts of people or households (for disclosure control)."""
    table = indicator_table(spec)
    ids = {POPULATION_ID}
    for source in table.loc[table["source_kind"] == "census", "source"]:
        ids.update([*source["numerator"], source["denominator"]])
    return [f"c{i}" for i in sorted(ids)]
