"""The layout of Statistics Canada's Census Profile comprehensive downloads, and a writer for it.

One module holds the facts both the reader (``playbook.sources.census``) and the demo-data
generator (``playbook.demo``) rely on, so they cannot drift apart: the 2021 header with its six
``SYMBOL`` columns, the symbols, the encoding, and the quoting style of the official CSV (text
fields double-quoted, numbers bare, an empty symbol written ``""``).
"""

from __future__ import annotations

from collections.abc import Sequence
from os import PathLike

import pandas as pd

#: Encoding of the official files (names such as "Montréal").
ENCODING = "latin-1"

#: Value columns of the 2021 comprehensive download, each followed by a ``SYMBOL`` column.
VALUE_COLUMNS_2021 = [
    "C1_COUNT_TOTAL",
    "C2_COUNT_MEN+",
    "C3_COUNT_WOMEN+",
    "C10_RATE_TOTAL",
    "C11_RATE_MEN+",
    "C12_RATE_WOMEN+",
]

#: Identifying columns of the 2021 comprehensive download, before the values.
ID_COLUMNS_2021 = [
    "CENSUS_YEAR",
    "DGUID",
    "ALT_GEO_CODE",
    "GEO_LEVEL",
    "GEO_NAME",
    "TNR_SF",
    "TNR_LF",
    "DATA_QUALITY_FLAG",
    "CHARACTERISTIC_ID",
    "CHARACTERISTIC_NAME",
    "CHARACTERISTIC_NOTE",
]

#: The exact 23-column header, with ``SYMBOL`` six times.
HEADER_2021 = ID_COLUMNS_2021 + [c for v in VALUE_COLUMNS_2021 for c in (v, "SYMBOL")]

#: Unique names for the header's columns (``SYMBOL`` -> ``C1_COUNT_TOTAL_SYMBOL`` ...), for readers.
UNIQUE_HEADER_2021 = ID_COLUMNS_2021 + [c for v in VALUE_COLUMNS_2021 for c in (v, f"{v}_SYMBOL")]

#: Symbols that stand in place of a value (the value cell is then empty).
SYMBOLS = {
    "..": "not available for a specific reference period",
    "...": "not applicable",
    "x": "suppressed to meet the confidentiality requirements of the Statistics Act",
    "F": "too unreliable to be published",
    "E": "use with caution",
    "r": "revised",
    "rE": "revised; use with caution",
}

#: Text columns (kept as text: ALT_GEO_CODE and DATA_QUALITY_FLAG have leading zeros).
TEXT_COLUMNS_2021 = ["DGUID", "ALT_GEO_CODE", "GEO_LEVEL", "GEO_NAME", "DATA_QUALITY_FLAG", "CHARACTERISTIC_NAME"]


def _number_text(values: pd.Series) -> pd.Series:
    """Numbers as the official files write them: ``36991981``, ``-4.9``, empty when missing."""
    x = pd.to_numeric(values, errors="coerce").astype("float64")
    whole = x.notna() & (x == x.round())
    text = x.astype("string")
    text = text.mask(whole, x.where(whole).astype("Int64").astype("string"))
    return text.fillna("")


def _quoted_text(values: pd.Series) -> pd.Series:
    return '"' + values.astype("string").fillna("").str.replace('"', '""', regex=False) + '"'


def write_profile_2021(
    rows: pd.DataFrame,
    path: str | PathLike,
    *,
    sep: str = ",",
    encoding: str = ENCODING,
    mode: str = "w",
    header: bool = True,
) -> None:
    """Write long-format rows (columns :data:`UNIQUE_HEADER_2021`) as an official 2021 file.

    As Statistics Canada writes them: a bare header, numbers bare (``36991981``, ``-4.9``), text
    double-quoted, missing values as empty cells, symbols in the ``*_SYMBOL`` columns (``""`` when
    there is none), CRLF line ends. ``sep="\t"`` writes the TAB variant. ``mode="a"`` with
    ``header=False`` appends a chunk (for large files).
    """
    missing = [c for c in UNIQUE_HEADER_2021 if c not in rows.columns]
    if missing:
        raise ValueError(f"rows lack columns {missing}")
    quoted = set(TEXT_COLUMNS_2021) | {f"{v}_SYMBOL" for v in VALUE_COLUMNS_2021}
    cells = [_quoted_text(rows[c]) if c in quoted else _number_text(rows[c]) for c in UNIQUE_HEADER_2021]
    lines = cells[0].str.cat(cells[1:], sep=sep)
    with open(path, mode, encoding=encoding, newline="") as fh:
        if header:
            fh.write(sep.join(HEADER_2021) + "\r\n")
        if len(lines):
            fh.write("\r\n".join(lines.tolist()) + "\r\n")


def profile_2016_header(level_label: str, members: int = 2247, csd_type: bool = False) -> Sequence[str]:
    """The header of a 2016 comprehensive profile (98-401-X2016NNN) for a geography label such as
    ``"Census Subdivisions (CSD)"``: wide by sex, the characteristic id in the ``Member ID`` column."""
    dim = f"Profile of {level_label} ({members})"
    head = ["CENSUS_YEAR", "GEO_CODE (POR)", "GEO_LEVEL", "GEO_NAME", "GNR", "GNR_LF", "DATA_QUALITY_FLAG"]
    if csd_type:
        head.append("CSD_TYPE_NAME")
    return head + [
        "ALT_GEO_CODE",
        f"DIM: {dim}",
        f"Member ID: {dim}",
        f"Notes: {dim}",
        "Dim: Sex (3): Member ID: [1]: Total - Sex",
        "Dim: Sex (3): Member ID: [2]: Male",
        "Dim: Sex (3): Member ID: [3]: Female",
    ]
