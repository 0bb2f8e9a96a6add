"""Recognising a Census Profile file as published: where it is (a zip member or a plain file), its
encoding, its delimiter, and which of the two official layouts its header follows.

* **2021** (98-401-X2021NNN): long format, one row per geography x characteristic, the
  characteristic id in ``CHARACTERISTIC_ID``, values in ``C1_COUNT_TOTAL`` ... each followed by a
  ``SYMBOL`` column (the confidence-interval "CI" variant adds more value columns; they are found
  by name).
* **2016** (98-401-X2016NNN profiles and 98-400-X2016NNN data tables): ``DIM: <name> (n)``,
  ``Member ID: <name> (n)``, ``Notes: <name> (n)`` column triplets, then one value column per member
  of a wide dimension (``Dim: Sex (3): Member ID: [1]: Total - Sex`` ...). The characteristic is the
  *last* ``DIM`` triplet; the total is the first wide column. Symbols stand in the value cell.

Encoding: found from the bytes (:mod:`playbook.sources.census.text`): a UTF-8 byte-order mark
means UTF-8 (the 2016 data tables); otherwise a sample spread through the file (the head of a zip
member) is tested as strict UTF-8 — a file re-saved as UTF-8 without a mark is read as UTF-8, the
official Latin-1 ("Montréal") as Windows-1252, its superset for the en dashes and curly quotes some
files hold; UTF-16 is refused with a clear message. ``encoding=`` declares it instead.
"""

from __future__ import annotations

import csv
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path

from playbook.errors import PlaybookError
from playbook.sources.census import text as text_encoding
from playbook.sources.census.format import ID_COLUMNS_2021

BOM = text_encoding.BOM_UTF8
#: Members of an official zip that hold data (not the meta, README or Geo_starting_row files).
DATA_MEMBER = re.compile(r"(CSV|TAB)_data.*\.(csv|tab|txt)$", re.IGNORECASE)
DIM_2016 = re.compile(r"^DIM: (?P<name>.+) \((?P<n>\w+)\)$", re.IGNORECASE)
WIDE_2016 = re.compile(r"^Dim: (?P<dim>.+) \((?P<n>\w+)\): Member ID: \[(?P<member>\d+)\]: (?P<label>.*)$")
GEO_2016 = ["CENSUS_YEAR", "GEO_CODE (POR)", "GEO_LEVEL", "GEO_NAME", "ALT_GEO_CODE"]


@dataclass(frozen=True)
class Source:
    """One data file: a plain file, or a member of a zip archive."""

    path: Path
    member: str | None = None

    @property
    def label(self) -> str:
        """How error messages name the file."""
        return f"{self.path}!{self.member}" if self.member else str(self.path)

    def size(self) -> int:
        """Bytes of data (uncompressed size for a zip member)."""
        if self.member is None:
            return self.path.stat().st_size
        with zipfile.ZipFile(self.path) as zf:
            return zf.getinfo(self.member).file_size

    def head(self, n: int = 65536) -> bytes:
        """The first ``n`` bytes of the data."""
        if self.member is None:
            with open(self.path, "rb") as fh:
                return fh.read(n)
        try:
            with zipfile.ZipFile(self.path) as zf, zf.open(self.member) as fh:
                return fh.read(n)
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise PlaybookError(f"cannot decompress the member ({exc})", path=self.label,
                                expected="an intact zip archive") from None

    def encoding(self, declared: str | None = None) -> str:
        """The text encoding: ``declared`` (checked), else detected from a sample of the bytes
        (:func:`playbook.sources.census.text.detect`; :data:`~playbook.sources.census.text.UNDECIDED`
        when the sample is pure ASCII)."""
        chosen = text_encoding.declared(declared)
        head = self.head(4096)
        if chosen is not None:
            if chosen == "utf-8":
                text_encoding.refuse_bom(head, self.label)
            return chosen
        if self.member is not None:
            data = self.head(text_encoding.ZIP_HEAD)
            return text_encoding.detect(head, [(data, True, len(data) < text_encoding.ZIP_HEAD)], self.label)
        with open(self.path, "rb") as fh:
            size = fh.seek(0, 2)

            def read_at(offset: int, n: int) -> bytes:
                fh.seek(offset)
                return fh.read(n)

            return text_encoding.detect(head, text_encoding.sample_file(read_at, size), self.label)


@dataclass
class Layout:
    """Where things are in one file's columns (0-based indexes)."""

    year: int
    sep: str
    encoding: str  # "utf-8", "cp1252" (Latin-1 as published), "ascii" (undecided: see stream.py) or declared
    ncols: int
    geo: dict[str, int]  # DGUID?, ALT_GEO_CODE, GEO_LEVEL, GEO_NAME, CENSUS_YEAR, GEO_CODE (POR)?
    cid: int
    cname: int
    value: int
    value_symbol: int | None
    rate: int | None
    rate_symbol: int | None
    others: dict[str, int] = field(default_factory=dict)  # other dimensions: name -> Member ID column
    dimension: str = "Census Profile"  # the characteristic dimension's name

    @property
    def is_profile(self) -> bool:
        """True for a Census Profile (names checked against the specs), False for a data table."""
        return self.year == 2021 or self.dimension.lower().startswith("profile of")


def sources(paths: list[str | PathLike]) -> list[Source]:
    """The data files behind ``paths``: each plain file as is, each zip's ``*_data`` members."""
    out: list[Source] = []
    for raw in paths:
        path = Path(raw)
        if not path.is_file():
            raise PlaybookError("file not found", path=path, expected="a Census Profile .zip, .csv or .tab file")
        if path.suffix.lower() != ".zip" and not zipfile.is_zipfile(path):
            out.append(Source(path))
            continue
        try:
            with zipfile.ZipFile(path) as zf:
                names = [n for n in zf.namelist() if DATA_MEMBER.search(n)]
                bad = zf.testzip() if path.stat().st_size < 50_000_000 else None
        except (zipfile.BadZipFile, OSError) as exc:
            raise PlaybookError(f"cannot read the zip archive ({exc})", path=path,
                                expected="the zip as downloaded from Statistics Canada") from None
        if bad:
            raise PlaybookError(f"member '{bad}' is corrupt", path=path, expected="an intact zip archive")
        if not names:
            raise PlaybookError("no data member in the archive", path=path,
                                expected="a member named like '98-401-X2021006_English_CSV_data.csv'")
        out.extend(Source(path, n) for n in sorted(names))
    return out


def _header(src: Source, declared: str | None = None) -> tuple[list[str], str, str]:
    head = src.head()
    if not head.removeprefix(BOM).strip():
        raise PlaybookError("the file is empty", path=src.label, row=1, expected="a header row")
    encoding = src.encoding(declared)
    head = head.removeprefix(BOM)
    line = head.split(b"\n", 1)[0].rstrip(b"\r")
    if not line:
        raise PlaybookError("the first line is empty", path=src.label, row=1, expected="a header row")
    sep = "\t" if b"\t" in line else ","
    text = line.decode("utf-8" if encoding == text_encoding.UNDECIDED else encoding, errors="replace")
    try:
        header = next(csv.reader([text], delimiter=sep, strict=True))
    except csv.Error as exc:
        raise PlaybookError(f"the header cannot be read ({exc})", path=src.label, row=1,
                            expected="a header row of column names") from None
    return header, sep, encoding


def detect(src: Source, encoding: str | None = None) -> Layout:
    """Read the header of ``src`` and say where everything is, or fail naming the column.

    ``encoding`` declares the file's encoding (default: detected, see :meth:`Source.encoding`)."""
    header, sep, encoding = _header(src, encoding)
    if header[:2] == ["CENSUS_YEAR", "DGUID"]:
        return _layout_2021(src, header, sep, encoding)
    if len(header) > 1 and header[1] == "GEO_CODE (POR)":
        return _layout_2016(src, header, sep, encoding)
    raise PlaybookError(
        f"header starts with {header[:3]}", path=src.label, row=1,
        expected="a 2021 Census Profile header (CENSUS_YEAR,DGUID,...) "
        "or a 2016 one (CENSUS_YEAR,\"GEO_CODE (POR)\",...)",
    )


def _missing(src: Source, column: str, position: int, header: list[str]) -> PlaybookError:
    found = header[position] if position < len(header) else "nothing"
    return PlaybookError(f"column {position + 1} is '{found}'", path=src.label, row=1, field=column,
                         expected=f"'{column}' as in the official layout")


def _layout_2021(src: Source, header: list[str], sep: str, encoding: str) -> Layout:
    for i, name in enumerate(ID_COLUMNS_2021):
        if i >= len(header) or header[i] != name:
            raise _missing(src, name, i, header)
    index = {name: i for i, name in enumerate(header) if name != "SYMBOL"}
    for value in ("C1_COUNT_TOTAL", "C10_RATE_TOTAL"):
        i = index.get(value)
        if i is None:
            raise PlaybookError(f"no column '{value}'", path=src.label, row=1, field=value,
                                expected="the 2021 Census Profile header with its value and SYMBOL columns")
        if i + 1 >= len(header) or header[i + 1] != "SYMBOL":
            raise _missing(src, "SYMBOL", i + 1, header)
    return Layout(
        year=2021, sep=sep, encoding=encoding, ncols=len(header),
        geo={k: index[k] for k in ("DGUID", "ALT_GEO_CODE", "GEO_LEVEL", "GEO_NAME", "CENSUS_YEAR")},
        cid=index["CHARACTERISTIC_ID"], cname=index["CHARACTERISTIC_NAME"],
        value=index["C1_COUNT_TOTAL"], value_symbol=index["C1_COUNT_TOTAL"] + 1,
        rate=index["C10_RATE_TOTAL"], rate_symbol=index["C10_RATE_TOTAL"] + 1,
    )


def _layout_2016(src: Source, header: list[str], sep: str, encoding: str) -> Layout:
    index = {name: i for i, name in enumerate(header)}
    for name in GEO_2016:
        if name not in index:
            raise PlaybookError(f"no column '{name}'", path=src.label, row=1, field=name,
                                expected="the 2016 layout (CENSUS_YEAR, GEO_CODE (POR), GEO_LEVEL, "
                                "GEO_NAME, ..., ALT_GEO_CODE)")
    dims = [(i, m.group("name")) for i, h in enumerate(header) if (m := DIM_2016.match(h))]
    if not dims:
        raise PlaybookError("no 'DIM: <name> (n)' column", path=src.label, row=1,
                            expected="'DIM:', 'Member ID:' and 'Notes:' columns (2016 layout)")
    for i, _name in dims:
        member = f"Member ID: {header[i][5:]}"
        if index.get(member) != i + 1:
            raise _missing(src, member, i + 1, header)
    wide = [i for i, h in enumerate(header) if WIDE_2016.match(h)]
    if not wide:
        raise PlaybookError("no value column 'Dim: <name> (n): Member ID: [1]: ...'", path=src.label, row=1,
                            expected="the wide value columns of the 2016 layout")
    char_col, char_name = dims[-1]
    return Layout(
        year=2016, sep=sep, encoding=encoding, ncols=len(header),
        geo={k: index[k] for k in GEO_2016},
        cid=char_col + 1, cname=char_col, value=wide[0], value_symbol=None, rate=None, rate_symbol=None,
        others={name: i + 1 for i, name in dims[:-1]}, dimension=char_name,
    )
