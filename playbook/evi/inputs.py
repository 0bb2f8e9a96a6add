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

import pandas as pd

from playbook import i18n
from playbook.codes import census_names, parse_dguid
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


def read_inputs(spec: SpecLike = None, *, profile=None, area_file=None) -> pd.DataFrame:
    """One row per geography: the census characteristics the spec needs (``c<ID>``, read with the
    census reader, names checked) and the area file's columns (merged on ``DGUID``)."""
    extract = census.extract(resolve(profile, PROFILE), census_ids(spec))
    area_path = resolve(area_file, AREA_FILE)
    wanted = area_columns(spec)
    area = pd.read_csv(area_path, dtype={"DGUID": "string"}, usecols=lambda c: c == "DGUID" or c in wanted)
    missing = [c for c in wanted if c not in area.columns]
    if missing:
        raise PlaybookError(
            f"columns {missing} not in the area file",
            path=area_path,
            field=missing[0],
            expected="the columns named by the spec's area_file sources",
        )
    out = extract.merge(area, on="DGUID", how="left", validate="one_to_one")
    out["DGUID"] = out["DGUID"].astype("string")
    return out


def indicator_data(inputs: pd.DataFrame, spec: SpecLike = None) -> pd.DataFrame:
    """Identity columns, ``pruid``, ``population`` (characteristic 1) and one column per indicator."""
    raw = read_spec(spec)
    values = compute(inputs, raw)
    ids = inputs[[c for c in IDENTITY if c in inputs.columns]].reset_index(drop=True)
    ids["pruid"] = parse_dguid(ids["DGUID"])["pruid"].to_numpy()
    ids[raw.get("population") or "population"] = inputs[f"c{POPULATION_ID}"].to_numpy(dtype="float64")
    return pd.concat([ids, values.drop(columns=raw.get("unit_id", "DGUID"))], axis=1)


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


def source_line(lang: str | None = None, *, profile=None, area_file=None) -> str:
    """The source line of a figure made from the census profile and the area file: the registry's
    sources, ending "demo data, synthetic" when either input is synthetic."""
    parts, synthetic = provenance(((profile, PROFILE), (area_file, AREA_FILE)), lang)
    return i18n.source_line("; ".join(parts), synthetic=synthetic, lang=i18n.language(lang))


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
