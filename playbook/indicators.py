"""Indicators: numerators and denominators turned into rates, as declared in an index spec (YAML).

Each indicator of ``specs/evi.yml`` declares where its values come from (its ``source``)::

    source: {census: {numerator: [340], denominator: 335}}   # 100 * sum(numerators) / denominator
    source: {census_value: 6}                                # the published value, as is
    source: {area_file: pct_no_home_internet}                # a column of the area file

:func:`compute` turns a census extract (``playbook.sources.census.extract``: ``DGUID``, ``c<ID>``
columns, NaN where suppressed) into one column per indicator, in percent, vectorised over areas.
A rate is missing (NaN) where its denominator is missing or zero, or where a numerator is
missing: a suppressed count is never read as zero.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from playbook.codes import census_id
from playbook.errors import PlaybookError, check_keys
from playbook.index.spec import check_structure
from playbook.io import read_yaml
from playbook.paths import specs_dir

#: Census characteristic of the 2021 population (used for population-weighted roll-ups).
POPULATION_ID = census_id("population")
SOURCE_KINDS = ("census", "census_value", "area_file")


def read_spec(spec: str | PathLike | Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The spec as a dict: a path to YAML, a mapping (returned as a copy), or ``None`` for
    ``specs/evi.yml``.

    Its keys and YAML types are checked at every level (:func:`playbook.index.spec.check_structure`):
    a misspelt key (``wieght``, ``sorce``) is refused with a "did you mean", never ignored.
    """
    if spec is None:
        spec = specs_dir() / "evi.yml"
    if isinstance(spec, Mapping):
        loaded, path = copy.deepcopy(dict(spec)), None
    elif hasattr(spec, "raw") and isinstance(spec.raw, Mapping):  # an engine Spec object that keeps its YAML
        return read_spec(spec.raw)
    else:
        path = Path(spec)
        try:
            loaded = read_yaml(path)
        except yaml.YAMLError as exc:
            raise PlaybookError(" ".join(f"invalid YAML: {exc}".split()), path=path,
                                expected="a YAML index spec") from None
        except UnicodeDecodeError:
            raise PlaybookError("not UTF-8 text", path=path, expected="a YAML index spec saved as UTF-8") from None
        except OSError as exc:
            raise PlaybookError(f"cannot read the spec: {exc.strerror or exc}", path=path,
                                expected="a YAML index spec") from None
    if not isinstance(loaded, dict) or "dimensions" not in loaded:
        raise PlaybookError(
            "no 'dimensions' list", path=path, field="dimensions", expected="an index spec (see specs/evi.yml)"
        )
    check_structure(loaded, None if path is None else str(path))
    return loaded


def _check_source(source: Any, where: str) -> tuple[str, Any]:
    if not isinstance(source, Mapping) or len(source) != 1 or next(iter(source)) not in SOURCE_KINDS:
        raise PlaybookError(
            f"bad source {source!r}", field=f"{where}.source", expected="one key among " + ", ".join(SOURCE_KINDS)
        )
    kind, value = next(iter(source.items()))
    if kind == "census":
        if isinstance(value, Mapping):
            check_keys(value, ("numerator", "denominator"), where=f"{where}.source.census")
        if not isinstance(value, Mapping) or set(value) != {"numerator", "denominator"}:
            raise PlaybookError(
                f"bad census source {value!r}",
                field=f"{where}.source.census",
                expected="{numerator: [ids], denominator: id}",
            )
        numerator = value["numerator"] if isinstance(value["numerator"], list) else [value["numerator"]]
        ids = [*numerator, value["denominator"]]
        if not numerator or not all(isinstance(i, int) and not isinstance(i, bool) and i > 0 for i in ids):
            raise PlaybookError(
                "census ids must be integers",
                field=f"{where}.source.census",
                expected="CHARACTERISTIC_IDs such as 340 and 335",
            )
        return kind, {"numerator": numerator, "denominator": value["denominator"]}
    if kind == "census_value" and (not isinstance(value, int) or isinstance(value, bool) or value <= 0):
        raise PlaybookError(
            f"bad census_value {value!r}", field=f"{where}.source.census_value", expected="a CHARACTERISTIC_ID"
        )
    if kind == "area_file" and (not isinstance(value, str) or not value):
        raise PlaybookError(
            f"bad area_file column {value!r}", field=f"{where}.source.area_file", expected="a column name"
        )
    return kind, value


def indicator_table(spec: str | PathLike | Mapping[str, Any] | None = None) -> pd.DataFrame:
    """One row per indicator: ``dimension``, ``id``, ``column``, ``direction``, ``weight``,
    ``source_kind``, ``source`` (normalised), ``unit``, ``synthetic``, and the names/texts as given."""
    raw = read_spec(spec)
    rows = []
    for where_dim, dim in _lowest_dimensions(raw.get("dimensions") or [], "dimensions"):
        for i_pos, ind in enumerate(dim.get("indicators") or []):
            where = f"{where_dim}.indicators[{i_pos}]"
            if "id" not in ind:
                raise PlaybookError(
                    "an indicator has no id", field=where, expected="id, column, direction, weight, source"
                )
            kind, source = _check_source(ind.get("source"), f"{where} ({ind['id']})")
            rows.append(
                {
                    "dimension": dim["id"],
                    "id": ind["id"],
                    "column": ind.get("column", ind["id"]),
                    "direction": ind.get("direction", 1),
                    "weight": ind.get("weight", 1),
                    "source_kind": kind,
                    "source": source,
                    "unit": ind.get("unit", "percent"),
                    "synthetic": bool(ind.get("synthetic", False)),
                    "name": ind.get("name", {}),
                    "rationale": ind.get("rationale", {}),
                    "definition": ind.get("definition", {}),
                }
            )
    return pd.DataFrame(rows)


def _lowest_dimensions(dims: list, prefix: str) -> list[tuple[str, dict]]:
    """``(where, dimension)`` for every dimension that holds indicators, at any depth, in spec order."""
    out = []
    for pos, dim in enumerate(dims):
        where = f"{prefix}[{pos}]"
        if "dimensions" in dim:
            out += _lowest_dimensions(dim["dimensions"] or [], f"{where}.dimensions")
        else:
            out.append((where, dim))
    return out


def census_ids(spec: str | PathLike | Mapping[str, Any] | None = None, *, population: bool = True) -> list[int]:
    """Every census characteristic ID the spec needs (plus the population, ID 1), sorted."""
    ids = {POPULATION_ID} if population else set()
    for kind, source in indicator_table(spec)[["source_kind", "source"]].itertuples(index=False):
        if kind == "census":
            ids.update(source["numerator"])
            ids.add(source["denominator"])
        elif kind == "census_value":
            ids.add(source)
    return sorted(ids)


def area_columns(spec: str | PathLike | Mapping[str, Any] | None = None) -> list[str]:
    """The columns the spec reads from the area file."""
    table = indicator_table(spec)
    return table.loc[table["source_kind"] == "area_file", "source"].tolist()


def _column(data: pd.DataFrame, name: str, indicator: str) -> pd.Series:
    if name not in data.columns:
        raise PlaybookError(
            f"column '{name}' needed by indicator '{indicator}' is not in the data",
            field=name,
            expected="a census extract with this characteristic (or the area file merged in)",
        )
    return pd.to_numeric(data[name], errors="coerce").astype("float64")


def rate(numerators: pd.DataFrame, denominator: pd.Series) -> pd.Series:
    """``100 * sum(numerators) / denominator``; NaN where a numerator or the denominator is missing,
    or the denominator is zero."""
    top = numerators.sum(axis=1, min_count=numerators.shape[1]).where(numerators.notna().all(axis=1))
    bottom = denominator.where(denominator != 0)
    return (100.0 * top / bottom).astype("float64")


def compute(
    extract: pd.DataFrame,
    spec: str | PathLike | Mapping[str, Any] | None = None,
    *,
    area: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The indicators of ``spec`` for every unit of ``extract``: the unit id column, then one
    column per indicator id (rates in percent; census values as published).

    ``extract`` has the spec's ``unit_id`` column (``DGUID``) and ``c<ID>`` columns. Columns of
    ``area_file`` sources are taken from ``extract`` or, if given, from ``area`` (merged on the
    unit id; units absent from ``area`` get NaN).
    """
    raw = read_spec(spec)
    unit = raw.get("unit_id", "DGUID")
    if unit not in extract.columns:
        raise PlaybookError(f"unit id column '{unit}' is not in the extract", field=unit, expected="the spec's unit_id")
    if extract[unit].duplicated().any():
        dup = extract.loc[extract[unit].duplicated(), unit].iloc[0]
        raise PlaybookError(f"unit '{dup}' appears more than once", field=unit, expected="one row per unit")
    data = extract
    wanted = area_columns(raw)
    if area is not None and wanted:
        take = [c for c in wanted if c in area.columns and c not in extract.columns]
        data = extract.merge(area[[unit, *take]], on=unit, how="left", validate="one_to_one")
    out = {unit: data[unit].to_numpy()}
    for ind in indicator_table(raw).itertuples(index=False):
        if ind.source_kind == "census":
            numerators = pd.concat([_column(data, f"c{i}", ind.id) for i in ind.source["numerator"]], axis=1)
            values = rate(numerators, _column(data, f"c{ind.source['denominator']}", ind.id))
        elif ind.source_kind == "census_value":
            values = _column(data, f"c{ind.source}", ind.id)
        else:
            values = _column(data, ind.source, ind.id)
        out[ind.id] = values.to_numpy(dtype="float64")
    result = pd.DataFrame(out)
    result[result.columns[1:]] = result[result.columns[1:]].replace([np.inf, -np.inf], np.nan)
    return result
