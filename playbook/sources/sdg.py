"""Reader for Statistics Canada's Canadian SDG data hub files (Open SDG tidy CSV), as published.

Each file has a ``Year`` column, optional ``Series`` and ``Units``, disaggregation columns (such as
``Geography``, ``Age group``, ``Population centres``), ``GeoCode`` (the province code where set) and
``Value``. Rows whose disaggregation cells are all empty are the national series. Empty values are
missing, never zero. The playbook uses three of them (real provincial figures, before any modelling):

- ``cius_sdg_17_8_1``: internet use by province and age group, CIUS 2018, 2020, 2022 (Table 22-10-0135-01);
- ``crtc_sdg_17_6_1``: households with 50/10 Mbps broadband available, 2016–2024, by province and
  urban centres / rural areas / First Nations reserves (CRTC);
- ``crtc_sdg_9_c_1``: population covered by a mobile network, by technology (CRTC).
"""

from __future__ import annotations

from os import PathLike

import pandas as pd

from playbook.codes import PROVINCES
from playbook.errors import PlaybookError
from playbook.io import numbers, require_columns
from playbook.sources import datasets

CANADA = "Canada"


def _snake(name: str) -> str:
    return name.strip().lower().replace(" ", "_")


def read_sdg(path: str | PathLike) -> pd.DataFrame:
    """Read an Open SDG tidy CSV: snake_case columns, ``year`` integer, ``value`` float (NaN where
    empty), text columns with empty cells as missing, ``geography`` "Canada" where the row is national."""
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise PlaybookError(f"cannot read the SDG file: {exc}", path=path) from None
    require_columns(raw.columns, ("Year", "Value"), path=path, expected="an Open SDG data file")
    out = raw.rename(columns=_snake).replace("", pd.NA)
    out["value"] = numbers(out["value"], path=path, field="Value", expected="a number or an empty cell")
    out["year"] = pd.to_numeric(out["year"], errors="raise").astype("int64")
    if "geography" in out.columns:
        out["geography"] = out["geography"].fillna(CANADA)
    return out


def _with_pruid(table: pd.DataFrame) -> pd.DataFrame:
    codes = pd.Series(PROVINCES.index, index=PROVINCES["name_en"])
    table.insert(table.columns.get_loc("geography") + 1, "pruid", table["geography"].map(codes).astype("string"))
    return table.drop(columns=[c for c in ("geocode",) if c in table.columns])


def internet_use_by_age(path: str | PathLike | None = None) -> pd.DataFrame:
    """Percentage of people using the internet (CIUS), tidy: ``year, geography, pruid, age_group, value``.
    The national total series gets ``age_group`` "Total, 15 years and over"."""
    table = read_sdg(path or datasets.path("cius_sdg_17_8_1"))
    table["age_group"] = table["age_group"].fillna("Total, 15 years and over")
    return _with_pruid(table[["year", "geography", "age_group", "geocode", "value"]].copy())


def broadband_50_10(path: str | PathLike | None = None) -> pd.DataFrame:
    """Percentage of households with 50/10 Mbps broadband available (CRTC), tidy:
    ``year, geography, pruid, population_centre, value``; the national series is "Total population centre"."""
    table = read_sdg(path or datasets.path("crtc_sdg_17_6_1"))
    table = table[table["series"].str.contains("50/10", na=False)].copy()
    table["population_centre"] = table["population_centres"].fillna("Total population centre")
    return _with_pruid(table[["year", "geography", "population_centre", "geocode", "value"]].reset_index(drop=True))


def mobile_coverage(path: str | PathLike | None = None) -> pd.DataFrame:
    """Percentage of the population covered by a mobile network, by technology (CRTC), Canada."""
    table = read_sdg(path or datasets.path("crtc_sdg_9_c_1"))
    table["technology"] = table["technology"].fillna(table["series"])  # the series names the technology
    return table[["year", "technology", "value"]].reset_index(drop=True)
