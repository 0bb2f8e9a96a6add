"""Reader for Statistics Canada's 2021 Geographic Attribute File (92-151-X), as published.

``2021_92-151_X.csv`` (inside ``2021_92-151_X.zip``) has one row per dissemination block and, for
each, the codes, DGUIDs and names of every geography it lies in: province (``PRUID_PRIDU``), census
division (``CDUID_DRIDU``), census subdivision (``CSDUID_SDRIDU``), the Statistical Area
Classification (``SACTYPE_CSSGENRE``, ``SACCODE_CSSCODE``), CMA/CA (``CMAUID_RMRIDU``,
``CMATYPE_RMRGENRE``), dissemination area (``DAUID_ADIDU``) and the block's 2021 population
(``DBPOP2021_IDPOP2021``). Column names are English_French abbreviations; the text is Latin-1 /
Windows-1252. Layout: Statistics Canada, *Geographic Attribute File, Reference Guide*, 92-151-G2021001.

:func:`read_units` streams the file with PyArrow (memory does not grow with the file) and reduces it
to one row per dissemination area (or per census subdivision when a file has no DA codes, as the
demo file outside PEI). Errors name the file, the row and the field.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from os import PathLike
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from playbook.errors import PlaybookError
from playbook.io import require_columns

#: Encoding used to read and write (Windows-1252 is Latin-1 plus a few typographic characters
#: such as the apostrophe in "Sambaa K’e").
ENCODING = "cp1252"

#: The columns of the official 2021 file, in order.
COLUMNS_2021 = [
    "PRUID_PRIDU",
    "PRDGUID_PRIDUGD",
    "PRNAME_PRNOM",
    "PRENAME_PRANOM",
    "PRFNAME_PRFNOM",
    "PREABBR_PRAABBREV",
    "PRFABBR_PRFABBREV",
    "CDUID_DRIDU",
    "CDDGUID_DRIDUGD",
    "CDNAME_DRNOM",
    "CDTYPE_DRGENRE",
    "FEDUID_CEFIDU",
    "FEDDGUID_CEFIDUGD",
    "FEDNAME_CEFNOM",
    "CSDUID_SDRIDU",
    "CSDDGUID_SDRIDUGD",
    "CSDNAME_SDRNOM",
    "CSDTYPE_SDRGENRE",
    "DPLUID_LDIDU",
    "DPLDGUID_LDIDUGD",
    "DPLNAME_LDNOM",
    "DPLTYPE_LDGENRE",
    "ERUID_REIDU",
    "ERDGUID_REIDUGD",
    "ERNAME_RENOM",
    "CCSUID_SRUIDU",
    "CCSDGUID_SRUIDUGD",
    "CCSNAME_SRUNOM",
    "SACTYPE_CSSGENRE",
    "SACCODE_CSSCODE",
    "CMAPUID_RMRPIDU",
    "CMAPDGUID_RMRPIDUGD",
    "CMAUID_RMRIDU",
    "CMADGUID_RMRIDUGD",
    "CMANAME_RMRNOM",
    "CMATYPE_RMRGENRE",
    "CTUID_SRIDU",
    "CTDGUID_SRIDUGD",
    "CTCODE_SRCODE",
    "CTNAME_SRNOM",
    "POPCTRRAPUID_CTRPOPRRPIDU",
    "POPCTRRAPDGUID_CTRPOPRRPIDUGD",
    "POPCTRRAUID_CTRPOPRRIDU",
    "POPCTRRADGUID_CTRPOPRRIDUGD",
    "POPCTRRANAME_CTRPOPRRNOM",
    "POPCTRRATYPE_CTRPOPRRGENRE",
    "POPCTRRACLASS_CTRPOPRRCLASSE",
    "DAUID_ADIDU",
    "DADGUID_ADIDUGD",
    "DARPLAMX_ADLAMX",
    "DARPLAMY_ADLAMY",
    "DARPLAT_ADLAT",
    "DARPLONG_ADLONG",
    "DBUID_IDIDU",
    "DBDGUID_IDIDUGD",
    "DBPOP2021_IDPOP2021",
    "DBTDWELL2021_IDTLOG2021",
    "DBURDWELL2021_IDRHLOG2021",
    "DBAREA2021_IDSUP2021",
    "DBIR2021_IDRI2021",
    "ADAUID_ADAIDU",
    "ADADGUID_ADAIDUGD",
    "ADACODE_ADACODE",
]

#: Columns the hierarchy needs -> tidy names.
REQUIRED = {
    "PRUID_PRIDU": "pruid",
    "CDUID_DRIDU": "cduid",
    "CSDUID_SDRIDU": "csduid",
    "DAUID_ADIDU": "dauid",
    "SACTYPE_CSSGENRE": "sac_type",
    "CMAUID_RMRIDU": "cmauid",
    "CMATYPE_RMRGENRE": "cma_type",
    "DBPOP2021_IDPOP2021": "population",
}
#: Columns used when present.
OPTIONAL = {
    "CDNAME_DRNOM": "cd_name",
    "CSDNAME_SDRNOM": "csd_name",
    "PRENAME_PRANOM": "pr_name",
    "CMADGUID_RMRIDUGD": "cma_dguid",
    "CMANAME_RMRNOM": "cma_name",
    "DEMO_SYNTHETIC_SAC": "sac_synthetic",
}
#: Pattern each code must match (digits of the right length).
PATTERNS = {
    "pruid": r"^(10|11|12|13|24|35|46|47|48|59|60|61|62)$",
    "cduid": r"^\d{4}$",
    "csduid": r"^\d{7}$",
    "dauid": r"^(\d{8})?$",
    "sac_type": r"^[1-8]$",
    "cmauid": r"^(\d{3})?$",
    "population": r"^\d*$",
}
EXPECTED = {
    "pruid": "a province/territory code (10 ... 62)",
    "cduid": "4 digits",
    "csduid": "7 digits",
    "dauid": "8 digits or empty",
    "sac_type": "a SAC type 1-8",
    "cmauid": "3 digits or empty",
    "population": "a whole number or empty",
}
KEYS = ["pruid", "cduid", "csduid", "dauid", "sac_type", "cmauid", "cma_type"]


@contextmanager
def _open_text(path: Path) -> Iterator[io.BufferedIOBase]:
    """The CSV as a binary stream, inside a zip (the one ``.csv`` member) or as is."""
    if path.suffix.lower() == ".zip":
        try:
            archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise PlaybookError(
                f"cannot open the zip: {exc}", path=path, expected="a zip holding 2021_92-151_X.csv"
            ) from None
        with archive:
            members = [m for m in archive.namelist() if m.lower().endswith(".csv")]
            if len(members) != 1:
                raise PlaybookError(
                    f"the zip holds {len(members)} CSV files", path=path, expected="exactly one .csv member"
                )
            with archive.open(members[0]) as fh:
                yield fh
    else:
        try:
            with open(path, "rb") as fh:
                yield fh
        except OSError as exc:
            raise PlaybookError(f"cannot read the file: {exc.strerror}", path=path) from None


def _header(stream: io.BufferedIOBase, path: Path, encoding: str) -> list[str]:
    line = stream.readline()
    try:
        text = line.decode(encoding).lstrip("\ufeff").strip()
    except UnicodeDecodeError:
        raise PlaybookError("the header is not text", path=path, row=1, expected=f"{encoding} text") from None
    header = [h.strip().strip('"') for h in text.split(",")]
    require_columns(header, REQUIRED, path=path, expected="the header of the 2021 Geographic Attribute File (92-151-X)")
    return header


def _check(batch: pd.DataFrame, first_row: int, path: Path) -> None:
    for col, pattern in PATTERNS.items():
        bad = ~batch[col].str.match(pattern)
        if bad.any():
            at = int(bad.to_numpy().argmax())
            source = next(k for k, v in REQUIRED.items() if v == col)
            raise PlaybookError(
                f"'{batch[col].iloc[at]}' is not valid",
                path=path,
                row=first_row + at,
                field=source,
                expected=EXPECTED[col],
            )
    official = {v: k for k, v in REQUIRED.items()}
    for child, parent, width in (("cduid", "pruid", 2), ("csduid", "cduid", 4), ("dauid", "cduid", 4)):
        bad = (batch[child].str[:width] != batch[parent]) & (batch[child] != "")
        if bad.any():
            at = int(bad.to_numpy().argmax())
            raise PlaybookError(
                f"'{batch[child].iloc[at]}' does not lie in {official[parent]} '{batch[parent].iloc[at]}'",
                path=path,
                row=first_row + at,
                field=official[child],
                expected=f"a code starting with its {official[parent]}",
            )


def read_units(path: str | PathLike, *, encoding: str = ENCODING, block_size: int = 1 << 22) -> pd.DataFrame:
    """Stream the attribute file into one row per dissemination area (or per CSD where the file has
    no DA codes): ``pruid, cduid, csduid, dauid, sac_type, cmauid, cma_type, population`` and the
    optional name/flag columns present. Raises :class:`PlaybookError` on a bad file."""
    path = Path(path)
    bad_rows: list = []

    def on_bad_row(row) -> str:
        bad_rows.append(row)
        return "skip"

    parts = []
    with _open_text(path) as stream:
        header = _header(stream, path, encoding)
        present = {**REQUIRED, **{k: v for k, v in OPTIONAL.items() if k in header}}
        if not stream.peek(1):  # only the header
            raise PlaybookError("the file has no rows", path=path, row=2, expected="one row per dissemination block")
        reader = pacsv.open_csv(
            stream,
            read_options=pacsv.ReadOptions(
                column_names=header, encoding=encoding, block_size=block_size, use_threads=False
            ),
            parse_options=pacsv.ParseOptions(invalid_row_handler=on_bad_row),
            convert_options=pacsv.ConvertOptions(
                include_columns=list(present),
                column_types={c: pa.string() for c in present},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        row = 2
        try:
            for batch in reader:
                if bad_rows:
                    break
                frame = batch.to_pandas().rename(columns=present)
                frame = frame.apply(lambda s: s.str.strip())
                _check(frame, row, path)
                row += len(frame)
                parts.append(_reduce(frame, path))
        except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
            raise PlaybookError(
                f"cannot parse the file: {str(exc).splitlines()[0]}",
                path=path,
                expected="a comma-separated 2021_92-151_X.csv",
            ) from None
    if bad_rows:
        bad = bad_rows[0]
        # PyArrow counts lines after the header, which was read first: add one for the file's line number.
        raise PlaybookError(
            f"row has {bad.actual_columns} fields",
            path=path,
            row=None if bad.number is None else bad.number + 1,
            expected=f"{bad.expected_columns} fields",
        )
    if not parts:
        raise PlaybookError("the file has no rows", path=path, row=2, expected="one row per dissemination block")
    return _reduce(pd.concat(parts, ignore_index=True), path)


def _reduce(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Sum the population per unit (DA, or CSD where DAUID is empty) and check each DA lies in one CSD."""
    frame = frame.assign(population=pd.to_numeric(frame["population"].replace("", "0")))
    keys = [c for c in frame.columns if c != "population"]
    out = frame.groupby(keys, sort=False, dropna=False)["population"].sum().reset_index()
    das = out.loc[out["dauid"] != "", ["dauid", "csduid"]].drop_duplicates()
    twice = das["dauid"].duplicated()
    if twice.any():
        dauid = das.loc[twice, "dauid"].iloc[0]
        raise PlaybookError(
            f"dissemination area {dauid} lies in more than one census subdivision",
            path=path,
            field="DAUID_ADIDU",
            expected="each DA within one CSD",
        )
    return out
