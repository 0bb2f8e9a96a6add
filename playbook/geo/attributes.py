"""Reader for Statistics Canada's 2021 Geographic Attribute File (92-151-X), as published.

``2021_92-151_X.csv`` (inside ``2021_92-151_X.zip``) has one row per dissemination block and, for
each, the codes, DGUIDs and names of every geography it lies in: province (``PRUID_PRIDU``), census
division (``CDUID_DRIDU``), census subdivision (``CSDUID_SDRIDU``), the Statistical Area
Classification (``SACTYPE_CSSGENRE``, ``SACCODE_CSSCODE``), CMA/CA (``CMAUID_RMRIDU``,
``CMATYPE_RMRGENRE``), dissemination area (``DAUID_ADIDU``) and the block's 2021 population
(``DBPOP2021_IDPOP2021``). Column names are English_French abbreviations; the text is Latin-1 /
Windows-1252 as published. Layout: Statistics Canada, *Geographic Attribute File, Reference Guide*,
92-151-G2021001.

The encoding is found from the bytes, not assumed (:mod:`playbook.sources.census.text`): a file
re-saved as UTF-8, with or without a byte-order mark, reads "Montréal", never "MontrÃ©al"; a sample
spread through the file (the head of a zip member) decides, and a file whose sample is pure ASCII is
read as UTF-8 and read again as Windows-1252 if a later row is not UTF-8. UTF-16 is refused with a
clear message; ``encoding=`` declares the encoding instead.

:func:`read_units` streams the file with PyArrow (memory does not grow with the file) and reduces it
to one row per dissemination area (or per census subdivision when a file has no DA codes, as the
demo file outside PEI). Errors name the file, the row and the field.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from os import PathLike
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from playbook.errors import PlaybookError
from playbook.io import require_columns
from playbook.sources.census import text as text_encoding


class OfficialEncoding(str):
    """The encoding of the official file (a ``str``: the demo writer writes with it). Given to
    :func:`read_units` — as :func:`playbook.geo.hierarchy.read_hierarchy` does when no encoding is
    declared — it means "detect, the official encoding being what a non-UTF-8 file is read as", so that
    a file re-saved as UTF-8 is not read as Windows-1252. Any other string declares the encoding."""


#: Encoding of the official file, used to write the demo (Windows-1252 is Latin-1 plus a few typographic
#: characters such as the apostrophe in "Sambaa K’e"); as a reader's argument: detect (see above).
ENCODING = OfficialEncoding("cp1252")

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
            try:
                with archive.open(members[0]) as fh:
                    yield fh
            except (zipfile.BadZipFile, zlib.error, EOFError) as exc:  # a damaged member, found while reading
                raise PlaybookError(f"cannot decompress {members[0]}: {exc}", path=path,
                                    expected="an intact zip (download it again)") from None
    else:
        try:
            with open(path, "rb") as fh:
                yield fh
        except OSError as exc:
            raise PlaybookError(f"cannot read the file: {exc.strerror}", path=path) from None


def _encoding(path: Path, declared: str | None) -> str:
    """The file's encoding: ``declared`` (checked) or detected from a sample (see the module)."""
    chosen = text_encoding.declared(None if declared is None or type(declared) is OfficialEncoding else declared)
    with _open_text(path) as stream:
        head = stream.read(4096)
        if not head.strip():
            raise PlaybookError("the file is empty", path=path, row=1, expected="a header row")
        if chosen is not None:
            if chosen == "utf-8":
                text_encoding.refuse_bom(head, path)
            return chosen
        if isinstance(stream, zipfile.ZipExtFile):
            data = (head + stream.read(max(0, text_encoding.ZIP_HEAD - len(head))))[:text_encoding.ZIP_HEAD]
            return text_encoding.detect(head, [(data, True, len(data) < text_encoding.ZIP_HEAD)], path)

        def read_at(offset: int, n: int) -> bytes:
            stream.seek(offset)
            return stream.read(n)

        return text_encoding.detect(head, text_encoding.sample_file(read_at, stream.seek(0, 2)), path)


def _header(stream: io.BufferedIOBase, path: Path, encoding: str) -> list[str]:
    line = stream.readline()
    try:
        text = line.decode(encoding).lstrip("\ufeff").strip()
    except UnicodeDecodeError:
        raise PlaybookError("the header is not text", path=path, row=1, expected=f"{encoding} text") from None
    if not text:
        raise PlaybookError("the first line is empty", path=path, row=1, expected="the header of the 2021 "
                            "Geographic Attribute File (92-151-X)")
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


class _NotThisEncoding(Exception):
    """The file is not text in the encoding tried (an undecided file read as UTF-8 first)."""


def read_units(path: str | PathLike, *, encoding: str | None = None, block_size: int = 1 << 22) -> pd.DataFrame:
    """Stream the attribute file into one row per dissemination area (or per CSD where the file has
    no DA codes): ``pruid, cduid, csduid, dauid, sac_type, cmauid, cma_type, population`` and the
    optional name/flag columns present. ``encoding`` declares the file's encoding (default, or
    :data:`ENCODING`: detected from its bytes). Raises :class:`PlaybookError` on a bad file."""
    path = Path(path)
    if not path.is_file():
        raise PlaybookError("file not found" if not path.exists() else "not a file", path=path,
                            expected="2021_92-151_X.zip or 2021_92-151_X.csv")
    found = _encoding(path, encoding)
    if found != text_encoding.UNDECIDED:
        return _read(path, found, block_size, strict=True)
    try:  # a pure-ASCII sample: UTF-8 unless a later row says otherwise
        return _read(path, "utf-8", block_size, strict=False)
    except _NotThisEncoding:
        return _read(path, text_encoding.FALLBACK, block_size, strict=True)


def _read(path: Path, encoding: str, block_size: int, *, strict: bool) -> pd.DataFrame:
    """Read in ``encoding``; ``strict=False``: raise :class:`_NotThisEncoding` where the text is not in it."""
    if encoding == text_encoding.FALLBACK:
        try:
            return _read(path, _CP1252_STRICT, block_size, strict=False)
        except _NotThisEncoding:  # one of the five bytes Windows-1252 leaves undefined: Latin-1, as published
            return _read(path, "latin-1", block_size, strict=True)
    codec = text_encoding.FALLBACK if encoding == _CP1252_STRICT else encoding
    parts = []
    with _open_text(path) as stream:
        header = _header(stream, path, codec)
        present = {**REQUIRED, **{k: v for k, v in OPTIONAL.items() if k in header}}
        if not stream.peek(1).strip():  # only the header
            raise PlaybookError("the file has no rows", path=path, row=2, expected="one row per dissemination block")
        row = 2
        try:
            reader = pacsv.open_csv(
                stream,
                read_options=pacsv.ReadOptions(
                    column_names=header, encoding=codec, block_size=block_size, use_threads=False
                ),
                parse_options=pacsv.ParseOptions(newlines_in_values=False),
                convert_options=pacsv.ConvertOptions(
                    include_columns=list(present),
                    column_types={c: pa.string() for c in present},
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
            for batch in reader:
                frame = batch.to_pandas().rename(columns=present)
                frame = frame.apply(lambda s: s.str.strip())
                _check(frame, row, path)
                row += len(frame)
                parts.append(_reduce(frame, path))
        except UnicodeDecodeError as exc:
            if not strict:
                raise _NotThisEncoding from None
            raise PlaybookError(f"bytes {exc.object[exc.start:exc.start + 4]!r} are not {codec} text", path=path,
                                row=row, expected=text_encoding.HINT) from None
        except pa.ArrowInvalid as exc:
            raise _parse_error(str(exc).splitlines()[0], path, row, strict) from None
    if not parts:
        raise PlaybookError("the file has no rows", path=path, row=2, expected="one row per dissemination block")
    return _reduce(pd.concat(parts, ignore_index=True), path)


#: Windows-1252 without the Latin-1 fallback (PyArrow decodes through Python's strict codec).
_CP1252_STRICT = "cp1252 (strict)"


def _parse_error(message: str, path: Path, row: int, strict: bool) -> Exception:
    """The error for a PyArrow parse failure in the batch starting at file line ``row``."""
    found = text_encoding.row_error(message)
    if found is not None:
        # PyArrow counts lines after the header, which was read first: add one for the file's line number.
        number, expected, actual = found
        return PlaybookError(f"row has {actual} fields" + (" (a quote left open?)" if actual < expected else ""),
                             path=path, row=None if number is None else number + 1, expected=f"{expected} fields")
    if "UTF8" in message or "UTF-8" in message:
        if not strict:
            return _NotThisEncoding()
        return PlaybookError(f"a value is not UTF-8 text, in the rows from {row} ({message})", path=path,
                             expected="one encoding for the whole file (" + text_encoding.HINT + ")")
    return PlaybookError(f"cannot parse the file: {message}", path=path, row=row,
                         expected="a comma-separated 2021_92-151_X.csv")


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
