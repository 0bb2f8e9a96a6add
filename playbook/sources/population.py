"""Reader for Statistics Canada Table 98-10-0002-01 (population and dwelling counts), as published.

The table's CSV download has one row per geography, a ``DGUID`` key, and after every value column a
``Symbols`` column (``..`` not available, ``...`` not applicable, ``r`` revised, ``E`` use with
caution, ``x`` suppressed). Values that carry no number are returned as missing, never as zero.
"""

from __future__ import annotations

from os import PathLike

import pandas as pd

from playbook.codes import parse_dguid
from playbook.errors import PlaybookError
from playbook.io import numbers, require_columns
from playbook.sources import datasets

#: Official column title prefix -> tidy name.
COLUMNS = {
    "Population, 2021": "population_2021",
    "Population, 2016": "population_2016",
    "Population percentage change, 2016 to 2021": "population_change_pct",
    "Total private dwellings, 2021": "private_dwellings_2021",
    "Private dwellings occupied by usual residents, 2021": "occupied_dwellings_2021",
    "Land area in square kilometres, 2021": "land_area_km2",
    "Population density per square kilometre, 2021": "density_km2",
}
PREFIX = "Population and dwelling counts (13): "


def _column_for(title: str, header: list[str], path) -> str:
    wanted = [h for h in header if h.startswith(PREFIX + title + " [")]
    if len(wanted) != 1:
        raise PlaybookError(
            f"column '{PREFIX}{title} [n]' not found in the header",
            path=path,
            row=1,
            expected="Statistics Canada Table 98-10-0002-01 as downloaded (CSV)",
        )
    return wanted[0]


def read_population_counts(path: str | PathLike) -> pd.DataFrame:
    """Read Table 98-10-0002-01 into one tidy row per geography.

    Columns: ``DGUID``, ``geo_level``, ``pruid``, ``code``, ``name``, then the values in
    :data:`COLUMNS` (floats; missing where the table has no number).
    """
    try:
        raw = pd.read_csv(path, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise PlaybookError(f"cannot read the table: {exc}", path=path) from None
    header = list(raw.columns)
    require_columns(header, ("GEO", "DGUID"), path=path, expected="Table 98-10-0002-01")
    out = pd.DataFrame({"DGUID": raw["DGUID"]})
    out = out.join(parse_dguid(raw["DGUID"])[["geo_level", "pruid", "code"]])
    out["name"] = raw["GEO"]
    for title, name in COLUMNS.items():
        col = _column_for(title, header, path)
        out[name] = numbers(raw[col], path=path, field=col, expected="a number or an empty cell with a symbol")
    return out


def census_subdivisions(path: str | PathLike | None = None) -> pd.DataFrame:
    """Every 2021 census subdivision of the table: ``DGUID, csduid, name, pruid, population`` (default:
    the embedded ``population_2021``)."""
    counts = read_population_counts(path or datasets.path("population_2021"))
    csd = counts.loc[counts["geo_level"] == "Census subdivision", ["DGUID", "code", "name", "pruid", "population_2021"]]
    return csd.rename(columns={"code": "csduid", "population_2021": "population"}).reset_index(drop=True)
