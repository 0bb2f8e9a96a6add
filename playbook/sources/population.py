"""Reader for Statistics Canada Table 98-10-0002-01 (population and dwelling counts), as published.

The table's CSV download has one row per geography, a ``DGUID`` key, and after every value column a
``Symbols`` column (``..`` not available, ``...`` not applicable, ``r`` revised, ``E`` use with
caution, ``x`` suppressed). Values that carry no number are returned as missing, never as zero.
"""

from __future__ import annotations

from os import PathLike

import pandas as pd

from playbook.errors import PlaybookError
from playbook.geo.hierarchy import parse_dguid

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
    for needed in ("GEO", "DGUID"):
        if needed not in header:
            raise PlaybookError(f"column '{needed}' missing", path=path, row=1, expected="Table 98-10-0002-01")
    out = pd.DataFrame({"DGUID": raw["DGUID"]})
    out = out.join(parse_dguid(raw["DGUID"])[["geo_level", "pruid", "code"]])
    out["name"] = raw["GEO"]
    for title, name in COLUMNS.items():
        col = _column_for(title, header, path)
        values = pd.to_numeric(raw[col].replace("", None), errors="coerce")
        bad = raw[col].ne("") & values.isna()
        if bad.any():
            first = int(bad.to_numpy().argmax())
            raise PlaybookError(
                f"'{raw[col].iloc[first]}' is not a number",
                path=path,
                row=first + 2,
                field=col,
                expected="a number or an empty cell with a symbol",
            )
        out[name] = values.astype("float64")
    return out
