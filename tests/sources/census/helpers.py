"""Small Census Profile files in the exact official layouts, for the reader's tests."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd

from playbook.sources.census import load_spec
from playbook.sources.census.format import ENCODING, UNIQUE_HEADER_2021, profile_2016_header, write_profile_2021

#: DGUID, ALT_GEO_CODE, GEO_LEVEL, GEO_NAME
GEOS = [
    ("2021A000011124", "01", "Country", "Canada"),
    ("2021A000224", "24", "Province", "Quebec"),
    ("2021A00052466023", "2466023", "Census subdivision", "Montréal"),
    ("2021S051210010001", "10010001", "Dissemination area", "10010001"),
]
CHARS = [1, 2, 6, 345]


def name(cid: int, year: int = 2021) -> str:
    entry = load_spec(year).get(cid)
    return entry["name"] if entry else f"Characteristic {cid}"


def value(gi: int, cid: int) -> float:
    """The count written for geography ``gi`` and characteristic ``cid`` (hand-checkable)."""
    return 1000 * (gi + 1) + cid


def rate(gi: int, cid: int) -> float:
    return cid / 10 + gi


def rows_2021(geos=GEOS, chars=CHARS, symbols: dict | None = None, names: dict | None = None) -> pd.DataFrame:
    """Long rows; ``symbols`` maps (geo index, cid) -> symbol (value left empty unless 'E')."""
    symbols = symbols or {}
    names = names or {}
    out = []
    for gi, (dguid, alt, level, geo_name) in enumerate(geos):
        for cid in chars:
            sym = symbols.get((gi, cid), "")
            keep = sym in ("", "E")
            row = dict.fromkeys(UNIQUE_HEADER_2021)
            row.update({
                "CENSUS_YEAR": 2021, "DGUID": dguid, "ALT_GEO_CODE": alt, "GEO_LEVEL": level, "GEO_NAME": geo_name,
                "TNR_SF": 3.1, "TNR_LF": 4.3, "DATA_QUALITY_FLAG": "00000", "CHARACTERISTIC_ID": cid,
                "CHARACTERISTIC_NAME": "  " + names.get(cid, name(cid)) + (" (1)" if cid == 1 else ""),
                "CHARACTERISTIC_NOTE": 1 if cid == 1 else None,
                "C1_COUNT_TOTAL": value(gi, cid) if keep else None, "C1_COUNT_TOTAL_SYMBOL": sym,
                "C2_COUNT_MEN+": None, "C2_COUNT_MEN+_SYMBOL": "...", "C3_COUNT_WOMEN+": None,
                "C3_COUNT_WOMEN+_SYMBOL": "...", "C10_RATE_TOTAL": rate(gi, cid) if keep else None,
                "C10_RATE_TOTAL_SYMBOL": sym, "C11_RATE_MEN+": None, "C11_RATE_MEN+_SYMBOL": "...",
                "C12_RATE_WOMEN+": None, "C12_RATE_WOMEN+_SYMBOL": "...",
            })
            out.append(row)
    return pd.DataFrame(out, columns=UNIQUE_HEADER_2021)


def write_2021(path: Path, rows: pd.DataFrame | None = None, *, sep=",", encoding=ENCODING) -> Path:
    write_profile_2021(rows_2021() if rows is None else rows, path, sep=sep, encoding=encoding)
    return path


def zip_of(path: Path, member: str, out: Path | None = None) -> Path:
    """Pack ``path`` into an official-style zip (with meta and README beside the data member)."""
    out = out or path.with_suffix(".zip")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(path, member)
        zf.writestr("98-401-X2021001_English_meta.txt", "meta")
        zf.writestr("README_meta.txt", "readme")
        zf.writestr("98-401-X2021001_Geo_starting_row_CSV.csv", "Geo Code,Geo Name,Line Number\r\n")
    return out


def write_2016(path: Path, cells: dict | None = None, *, level_label="Census Subdivisions (CSD)") -> Path:
    """A 2016 profile (98-401-X2016NNN layout, latin-1) for two CSDs and ids 1, 857, 1290.

    ``cells`` maps (geo index, member id) -> text written in the "Total - Sex" cell.
    """
    cells = cells or {}
    head = profile_2016_header(level_label, csd_type=True)
    geos = [("1001105", "4", "Portugal Cove South", "Town"), ("2466023", "4", "Montréal", "Ville")]
    members = {1: "Population, 2016 (1)", 857: "Prevalence of low income based on the Low-income measure, "
               "after tax (LIM-AT) (%)", 1290: "  Aboriginal identity (105)"}
    lines = [",".join(f'"{h}"' for h in head)]
    for gi, (code, level, geo_name, csd_type) in enumerate(geos):
        for mid, mname in members.items():
            total = cells.get((gi, mid), str(value(gi, mid)))
            lines.append(f'2016,"{code}",{level},"{geo_name}",4.1,5.2,"00000","{csd_type}","{code}",'
                         f'"{mname}",{mid},,{total},{total},{total}')
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("latin-1"))
    return path
