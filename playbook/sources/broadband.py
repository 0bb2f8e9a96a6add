"""Broadband availability by census subdivision (CSD) and dissemination area (DA), read from the open
files of ISED's National Broadband Data and the CRTC's availability table, as published.

:func:`read_broadband` returns one row per area: ``DGUID``, ``population`` and
``pct_no_broadband_<speed>`` (0-100: the share of the weight, people by default, where no service of
that speed is available). It takes one file or a list, each a CSV or a ``.zip`` of CSVs (a zip's
members are recognised by their header; members it does not know, such as ISED's ISP list, are
skipped), in one of these layouts:

**Pseudo-households (PHH) + availability per PHH** — the exact route. ISED places "pseudo-households"
(points carrying the census population and dwellings) along the road network; availability is
assessed at each point. The PHH file carries the geography, the speeds file the availability; they
join on ``PHH_ID``. Each PHH lies in a 2021 dissemination block whose first 8 digits are its DA, so
DAs are population-weighted sums of their points; a CSD is the sum of its DAs, which needs the
DA -> CSD lookup ``da_csd`` (the dissemination block code does not contain the CSD).

**Pseudo-households + availability per hexagon** — an approximation (every PHH of a hexagon gets the
hexagon's share), for hexagon files with an exact share or a 0/1 flag per hexagon, joined on the
PHH's ``HEXUID_IdUHEX``.

**A table by CSD** — the CRTC's Table 9 (population and dwellings per CSD x speed x year), or a
table in the playbook's own layout: a code column (``CSDUID``/``DAUID``/``DGUID``) and
``pct_no_broadband_<speed>`` or an availability share ``pct_broadband_<speed>``, with an optional
``population``.

Column names are compared without case, with or without the bilingual suffix (``DBUID_Ididu`` or
``DBUID``, ``Combined_50_10_Combine`` or ``Combined_50_10``); the shapefile editions' names cut to
10 characters are accepted too. Files are streamed (PyArrow's CSV reader, batch by batch, straight out
of a zip), checked where they are read, and summed batch by batch: a national PHH file (about 16.6
million rows) is never whole in memory (see :func:`_da_sums`).

Layouts verified from public material (ISED's own data dictionaries could not be read here; the
column lists below are those of several independent public scripts that read the real files, and
they agree):

* PHH demographic file, "Pseudo-household demographic distribution" (open.canada.ca, ISED;
  ``PHH_2021_CSV.zip`` -> ``PHH_2021_CSV/PHH-<PR>.csv``, one per province/territory): ``PHH_ID, Type,
  Pop2021, TDwell2021_TLog2021, URDwell2021_RH2021, DBUID_Ididu, HEXUID_IdUHEX, Pruid_Pridu, Latitude,
  Longitude``; the 2016 edition has ``Pop2016, TDwell2016_TLog2016, URDwell2016_RH2016`` and 2016
  blocks. ``Type`` 1-8 (8: null points added on highways, no population).
* ISED National Broadband Data, PHH speeds (``NBD_PHH_Speeds.zip`` ->
  ``PHH_Speeds_Current-PHH_Vitesses_Actuelles_<PR>.csv``; the zip also holds other variants, of which
  only the ``Current`` ones are read): ``PHH_ID``, 0/1 flags ``Combined_<t>_Combine``,
  ``Wired_<t>_Filaire``, ``Wireless_<t>_Sans_fil`` for ``t`` in ``lt5_1`` (wireless: ``lt5``), ``5_1``,
  ``10_2``, ``25_5``, ``50_10``, then ``Avail_LTE_Mobile_Dispo`` and the max-threshold enumerations
  (``Combined_Max_Threshold-Combine_Seuil_Max``...). No geography: joined to the PHH file on ``PHH_ID``.
  An older edition (``PHH_ID, Avail_5_1_Dispo, Avail_10_2_Dispo, Avail_25_5_Dispo,
  Avail_50_10_Dispo, Avail_LTE_Mobile_Dispo``; one public source) is read as the ``combined`` flags.
* 2021 dissemination block code ``DBUID``: 11 digits, PR(2) CD(2) DA(4) DB(3) (2016: 10 digits, DB(2));
  the DA is the first 8 digits in both (Statistics Canada's definition, and the public scripts).
* ISED hexagon file (``Map_Data_CSV`` -> ``Data_Hex_Données.csv``: ``HEXuid_HEXidu``,
  ``SumPop_2021_SommePop``, ..., ``Avail_5_1_75PctPlus_Dispo``, ``Avail_50_10_Gradient_Dispo``, the
  last two shipped as ``Expr1``/``Expr2`` in a recent release): the 50/10 share is given only in bands
  (">0% - 25%"...), so this file is refused with a pointer to the PHH speeds file.
* CRTC Communications Market Report, Table 9 (``data-mobile-and-broadband-availability.zip`` ->
  ``C-T9.csv``; one public source, cross-checked by a second script that reads it): Windows-1252, a
  banner of a few lines, then a bilingual header "French / English" (``ID de la subdivision de
  recensement / Census Subdivision ID``, ``Vitesses / Speeds``, ``Logements / Dwellings``...), long
  format: rows per CSD x speed x year (several per CSD: population centre, reserve), with counts of
  population and dwellings; ``AllDemographics`` rows are the denominator; fixed tiers include
  ``50/10/Any`` and ``50/10/U`` (unlimited data); years 2016-2024.

Assumptions, to verify against the real files:

* CRTC Table 9: the year and population columns are found by a header part ``Year``/``Année`` and
  ``Population`` (their exact titles were not seen); the header line is found by its content, not its
  number; numbers are written plainly (no thousands separators); a CSD without a row for the tier has
  no one with it; its CSD codes are on the geography of ``dguid_year``. ``speed="50_10"`` reads
  ``50/10/Any`` (like ISED's flags, no data-cap condition); ``"50_10_unlimited"`` reads ``50/10/U``.
* Hexagon files with an exact share (``Avail_<t>_Pct_Dispo``, 0-100: the column ISED's dictionary
  names as the source of its bands) or a 0/1 flag per hexagon (``Avail_<t>_Dispo``): not seen in a
  public file.
* Whether ISED's ``Combined`` flags count satellite service (one public script says they count
  low-earth-orbit satellites; not confirmed): ``technology`` chooses ``wired``, ``wireless`` or
  ``terrestrial`` (either) instead.
* Flags are 0/1 in the files seen; ``true/false``, ``T/F``, ``yes/no``, ``oui/non`` are accepted. A blank
  flag is unknown: that PHH counts in ``population`` but not in the share.
* Encoding: UTF-8 (with or without a byte-order mark), else Windows-1252.

Errors a user can cause raise :class:`~playbook.errors.PlaybookError` naming the file (a zip member as
``zip/member``), the row as a spreadsheet shows it (a line break inside quotes does not start a row)
and the column, with what was expected.
"""

from __future__ import annotations

import codecs
import csv
import re
import zipfile
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from os import PathLike
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from playbook.codes import LEVEL_SCHEMAS, dguid
from playbook.errors import PlaybookError

#: Level keyword -> geographic level.
LEVELS = {"csd": "Census subdivision", "da": "Dissemination area"}
#: Speed tiers (download_upload in Mbps). ``50_10_unlimited`` exists in the CRTC table only.
SPEEDS = ("5_1", "10_2", "25_5", "50_10", "50_10_unlimited")
#: What the share is weighted by: PHH ``Pop``, ``TDwell`` (total private dwellings) or ``URDwell``
#: (dwellings occupied by usual residents, i.e. households).
WEIGHTS = ("population", "dwellings", "households")
#: Which flags of the PHH speeds file count: ISED's combined flag, wired, wireless, or either of the two.
TECHNOLOGIES = ("combined", "wired", "wireless", "terrestrial")
#: CRTC Table 9 speed label for each speed it has.
CRTC_SPEEDS = {"50_10": "50/10/any", "50_10_unlimited": "50/10/u"}
CRTC_TOTAL = "alldemographics"

#: The official headers (as the stand-in writer writes them).
PHH_COLUMNS = ("PHH_ID", "Type", "Pop{y}", "TDwell{y}_TLog{y}", "URDwell{y}_RH{y}", "DBUID_Ididu", "HEXUID_IdUHEX",
               "Pruid_Pridu", "Latitude", "Longitude")
TIERS = ("lt5_1", "5_1", "10_2", "25_5", "50_10")
SPEED_COLUMNS = ("PHH_ID", *[c for t in TIERS for c in (
    f"Combined_{t}_Combine", f"Wired_{t}_Filaire", f"Wireless_{'lt5' if t == 'lt5_1' else t}_Sans_fil")],
    "Avail_LTE_Mobile_Dispo", "Combined_Max_Threshold-Combine_Seuil_Max", "Wired_Max_Threshold-Filaire_Seuil_Max",
    "Wireless_Max_Threshold-Sans_fil_Seuil_Max", "Satellite_Max_Threshold-Satellite_Seuil_Max")

#: Canonical column -> accepted names (lower case; with and without the bilingual suffix).
PHH_ID = ("phh_id",)
DBUID = ("dbuid_ididu", "dbuid", "dbuid_idid")
HEXUID = ("hexuid_iduhex", "hexuid_hexidu", "hexuid", "hexuid_idu", "hexuid_hex")
PHH_WEIGHTS = {
    "population": tuple(f"pop{y}" for y in (2021, 2016)) + ("pop", "population"),
    "dwellings": tuple(n for y in (2021, 2016) for n in (f"tdwell{y}_tlog{y}", f"tdwell{y}")),
    "households": tuple(n for y in (2021, 2016) for n in (f"urdwell{y}_rh{y}", f"urdwell{y}")) + ("urdwell206",),
}
TABLE_CODES = {
    "csd": ("csduid", "csduid_sdridu", "csd_uid", "csd_code"),
    "da": ("dauid", "dauid_adidu", "da_uid", "da_code"),
}
#: CRTC Table 9: canonical -> header parts (a bilingual title "French / English" is split on "/").
CRTC_PARTS = {
    "csd": ("census subdivision id", "id de la subdivision de recensement", "csduid"),
    "speed": ("speeds", "speed", "vitesses", "vitesse"),
    "year": ("year", "année", "annee"),
    "population": ("population",),
    "dwellings": ("dwellings", "logements"),
}
LOOKUP = {"dauid": ("dauid", "dauid_adidu"), "csduid": ("csduid", "csduid_sdridu")}

BLOCK = 8 << 20
HEAD = 256 << 10
_NUMBER = r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$"
_TRUE = ["1", "1.0", "true", "t", "yes", "y", "oui", "vrai"]
_FALSE = ["0", "0.0", "false", "f", "no", "n", "non", "faux"]
_LAYOUTS = ("ISED's pseudo-household file (PHH-<PR>.csv) with its speeds file (PHH_Speeds_Current-...csv) or a "
            "hexagon file, the CRTC's Table 9 (C-T9.csv), or a table with CSDUID/DAUID/DGUID and pct_no_broadband_<speed>")
_CACHE: OrderedDict = OrderedDict()
_CACHE_SIZE = 4


# --- the files: plain CSVs and zip members, each recognised by its header -----------------------------

@dataclass(frozen=True)
class _Csv:
    path: Path
    member: str | None = None

    @property
    def label(self) -> str:
        return str(self.path) if self.member is None else f"{self.path}/{self.member}"

    @contextmanager
    def open(self):
        try:
            if self.member is None:
                with open(self.path, "rb") as fh:
                    yield fh
            else:
                with zipfile.ZipFile(self.path) as zf, zf.open(self.member) as fh:
                    yield fh
        except (OSError, zipfile.BadZipFile, EOFError) as exc:
            raise PlaybookError(f"cannot read the file: {exc}", path=self.label) from None


@dataclass(frozen=True)
class _File:
    csv: _Csv
    kind: str  # phh, speeds, hex, crtc, table
    header: tuple[str, ...]
    offset: int  # bytes before the header line
    line: int  # the header's line number (1-based)
    encoding: str

    @property
    def label(self) -> str:
        return self.csv.label

    def find(self, names: Iterable[str], *, parts: bool = False) -> str | None:
        """The header column with one of ``names`` (compared lower case; ``parts``: or one of the
        "/"-separated parts of a bilingual title); ``None`` if none. Two candidates are an error."""
        names = set(names)
        hits = [h for h in self.header if _norm(h) in names or (parts and names & set(_parts(h)))]
        if len(hits) > 1:
            raise PlaybookError(f"columns {hits[0]!r} and {hits[1]!r} both look like the same field", path=self.label,
                                row=self.line, field=hits[1], expected="one such column")
        return hits[0] if hits else None

    def need(self, names: Iterable[str], what: str, *, parts: bool = False) -> str:
        names = tuple(names)
        found = self.find(names, parts=parts)
        if found is None:
            raise PlaybookError(f"no {what} column", path=self.label, row=self.line, field=names[0],
                                expected="a column named " + " or ".join(names[:4]))
        return found


def _norm(name: str) -> str:
    return name.strip().lstrip("\ufeff").strip().lower()


def _parts(name: str) -> list[str]:
    return [p.strip() for p in _norm(name).split("/")]


def _kind(header: list[str]) -> str | None:
    names = {_norm(h) for h in header}
    parts = {p for h in header for p in _parts(h)}
    if names & set(PHH_ID):
        return "phh" if names & set(DBUID) else "speeds"
    if names & set(HEXUID) and any(n.startswith("avail_") or n in ("expr1", "expr2") for n in names):
        return "hex"  # (ISED's list of ISPs per hexagon has no availability: not this)
    if parts & set(CRTC_PARTS["csd"]) and parts & set(CRTC_PARTS["speed"]):
        return "crtc"
    if names & {*TABLE_CODES["csd"], *TABLE_CODES["da"], "dguid"}:
        return "table"
    return None


def _expand(paths) -> list[_Csv]:
    items = [paths] if isinstance(paths, str | PathLike) else list(paths or [])
    if not items:
        raise PlaybookError("no broadband file given", field="paths", expected="a CSV or .zip file, or a list of them")
    out = []
    for item in items:
        path = Path(item)
        if not path.is_file():
            raise PlaybookError("file not found", path=path, expected="a CSV or .zip file of broadband availability")
        if not zipfile.is_zipfile(path):
            out.append(_Csv(path))
            continue
        try:
            with zipfile.ZipFile(path) as zf:
                members = sorted(m.filename for m in zf.infolist() if not m.is_dir()
                                 and m.filename.lower().endswith(".csv") and not m.filename.startswith("__MACOSX"))
        except (OSError, zipfile.BadZipFile) as exc:
            raise PlaybookError(f"cannot read the zip: {exc}", path=path) from None
        if not members:
            raise PlaybookError("the zip holds no CSV file", path=path, expected=_LAYOUTS)
        out += [_Csv(path, m) for m in members]
    return out


def _sniff(src: _Csv) -> _File | None:
    """The file's layout from its first lines (``None``: not a layout this reader knows)."""
    with src.open() as fh:
        head = fh.read(HEAD)
    bom = head.startswith(codecs.BOM_UTF8)
    body = head[3:] if bom else head
    if not body.strip():
        raise PlaybookError("the file is empty", path=src.label, row=1, expected=_LAYOUTS)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(body, final=len(head) < HEAD)
        encoding = "utf8"
    except UnicodeDecodeError:
        encoding = "cp1252"
    lines = body.split(b"\n")
    if len(head) == HEAD:
        lines = lines[:-1]  # the last line may be cut
    offset = 3 if bom else 0
    for number, line in enumerate(lines[:40], start=1):
        text = line.decode("utf-8" if encoding == "utf8" else "cp1252", errors="replace").rstrip("\r")
        row = next(csv.reader([text]), [])
        kind = _kind(row)
        if kind:
            return _File(src, kind, tuple(h.strip() for h in row), offset, number, encoding)
        offset += len(line) + 1
    return None


def _files(paths) -> list[_File]:
    found = []
    for src in _expand(paths):
        sniffed = _sniff(src)
        if sniffed is None and src.member is None:
            raise PlaybookError("not a broadband availability layout this reader knows", path=src.label, row=1,
                                expected=_LAYOUTS)
        if sniffed is not None:
            found.append(sniffed)
    if not found:
        raise PlaybookError("no broadband availability file in the zip", path=_expand(paths)[0].path, expected=_LAYOUTS)
    return found


# --- streaming a CSV through PyArrow, with values checked where they are read ---------------------------

def _batches(f: _File, columns: dict[str, str]) -> Iterator[tuple[int, dict[str, pa.Array]]]:
    """(file row of the batch's first record, canonical name -> text column) for each batch."""
    with f.csv.open() as fh:
        fh.read(f.offset)
        try:
            reader = pcsv.open_csv(
                fh, read_options=pcsv.ReadOptions(block_size=BLOCK, encoding=f.encoding),
                parse_options=pcsv.ParseOptions(newlines_in_values=f.kind == "crtc"),
                convert_options=pcsv.ConvertOptions(include_columns=list(columns.values()),
                                                    column_types={c: pa.string() for c in columns.values()}))
            row = f.line + 1
            for batch in reader:
                yield row, {k: batch.column(v) for k, v in columns.items()}
                row += batch.num_rows
        except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
            raise PlaybookError(f"cannot parse the file: {exc}", path=f.label, expected=_LAYOUTS) from None
    if row == f.line + 1:
        raise PlaybookError("the file has a header but no rows", path=f.label, row=f.line + 1, expected=_LAYOUTS)


def _fast(raw: pa.Array, to: pa.DataType) -> pa.Array | None:
    """``raw`` cast straight to ``to`` when every value is already clean (the common case: no regular
    expression runs over millions of rows), else ``None`` (then the checks find the faulty row)."""
    try:
        return pc.cast(raw, to)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None


def _first(bad: pa.Array) -> int | None:
    found = np.flatnonzero(bad.fill_null(False).to_numpy(zero_copy_only=False))
    return int(found[0]) if found.size else None


def _refuse(bad, raw, f: _File, row: int, field: str, noun: str, expected: str) -> None:
    index = _first(bad)
    if index is not None:
        raise PlaybookError(f"'{raw[index].as_py()}' is not {noun}", path=f.label, row=row + index, field=field,
                            expected=expected)


def _numbers(raw, f, row, field, *, expected, low=None, high=None, required=False) -> pa.Array:
    """Text -> float64 (blank: null, or refused when ``required``); anything else, or a value outside
    [low, high], is refused."""
    values = _fast(raw, pa.float64())
    if values is None or values.null_count or not pc.all(pc.is_finite(values)).as_py():
        text = pc.utf8_trim_whitespace(raw)
        blank = pc.equal(text, "")
        if required:
            _refuse(blank, raw, f, row, field, "a number", expected)
        _refuse(pc.invert(pc.or_(blank, pc.match_substring_regex(text, _NUMBER))), raw, f, row, field, "a number",
                expected)
        values = pc.cast(pc.if_else(blank, pa.scalar(None, pa.string()), text), pa.float64())
    if low is not None or high is not None:
        out = pc.or_(pc.less(values, low if low is not None else -np.inf),
                     pc.greater(values, high if high is not None else np.inf))
        _refuse(out, raw, f, row, field, f"between {low} and {high}" if high is not None else f"at least {low}", expected)
    return values


def _flags(raw, f, row, field) -> pa.Array:
    """Text -> int8 1/0 (blank: null)."""
    fast = _fast(raw, pa.int8())
    if fast is not None and not fast.null_count and pc.all(pc.is_in(fast, value_set=pa.array([0, 1], pa.int8()))).as_py():
        return fast
    text = pc.utf8_lower(pc.utf8_trim_whitespace(raw))
    yes, no = pc.is_in(text, value_set=pa.array(_TRUE)), pc.is_in(text, value_set=pa.array(_FALSE))
    blank = pc.equal(text, "")
    _refuse(pc.invert(pc.or_(pc.or_(yes, no), blank)), raw, f, row, field, "an availability flag",
            "1 or 0 (true/false, T/F, yes/no)")
    return pc.if_else(blank, pa.scalar(None, pa.int8()), pc.cast(yes, pa.int8()))


def _ids(raw, f, row, field) -> pa.Array:
    """PHH_ID text -> int64 (the files' identifiers are whole numbers; joins on integers are fast)."""
    fast = _fast(raw, pa.int64())
    if fast is not None and not fast.null_count and (not len(fast) or pc.min(fast).as_py() >= 0):
        return fast
    text = pc.replace_substring_regex(pc.utf8_trim_whitespace(raw), r"\.0+$", "")
    _refuse(pc.invert(pc.match_substring_regex(text, r"^\d{1,18}$")), raw, f, row, field, "a pseudo-household id",
            "the whole-number PHH_ID of ISED's files on every row")
    return pc.cast(text, pa.int64())


# --- pseudo-households joined with their availability, summed by DA ------------------------------

PHH_SCHEMA = pa.schema([("phh_id", pa.int64()), ("hexuid", pa.string()), ("dauid", pa.int32()),
                        ("pop", pa.float64()), ("w", pa.float64())])


def _vintage(name: str) -> int | None:
    found = re.search(r"(20\d\d)", name)
    return int(found.group(1)) if found else None


def _fast_dauid(raw: pa.Array) -> pa.Array | None:
    """The DA (first 8 digits) of clean block codes, by arithmetic: 11 digits (2021) or 10 (2016)."""
    code = _fast(raw, pa.int64())
    if code is None or code.null_count:
        return None
    digits = pc.utf8_length(raw)
    eleven = pc.and_(pc.equal(digits, 11), pc.and_(pc.greater_equal(code, 10**10), pc.less(code, 10**11)))
    ten = pc.and_(pc.equal(digits, 10), pc.and_(pc.greater_equal(code, 10**9), pc.less(code, 10**10)))
    if not pc.all(pc.or_(eleven, ten)).as_py():
        return None
    return pc.cast(pc.if_else(eleven, pc.divide(code, 1000), pc.divide(code, 100)), pa.int32())


def _phh_batches(f: _File, weight: str, dguid_year: int, hexes: bool) -> Iterator[pa.RecordBatch]:
    cols = {"phh_id": f.need(PHH_ID, "PHH_ID"), "dbuid": f.need(DBUID, "dissemination block (DBUID_Ididu)"),
            "pop": f.need(PHH_WEIGHTS["population"], "population (Pop2021)")}
    if weight != "population":
        cols["w"] = f.need(PHH_WEIGHTS[weight], f"{weight} weight")
    if hexes:
        cols["hexuid"] = f.need(HEXUID, "hexagon (HEXUID_IdUHEX)")
    year = _vintage(cols["pop"])
    if year is not None and year != dguid_year:
        raise PlaybookError(f"the pseudo-households are on the {year} geography ({cols['pop']}), DGUIDs of {dguid_year} "
                            "were asked", path=f.label, row=f.line, field=cols["pop"],
                            expected=f"the {dguid_year} PHH file, or dguid_year={year}")
    for row, c in _batches(f, cols):
        ids = _ids(c["phh_id"], f, row, cols["phh_id"])
        pop = _numbers(c["pop"], f, row, cols["pop"], expected="a population of at least 0", low=0, required=True)
        w = pop if weight == "population" else _numbers(c["w"], f, row, cols["w"], expected="a count of at least 0",
                                                        low=0, required=True)
        dauid = _fast_dauid(c["dbuid"])
        if dauid is not None:
            hexuid = pc.utf8_trim_whitespace(c["hexuid"]) if hexes else pa.nulls(len(ids), pa.string())
            yield pa.record_batch([ids, hexuid, dauid, pop, w], schema=PHH_SCHEMA)
            continue
        block = pc.replace_substring_regex(pc.utf8_trim_whitespace(c["dbuid"]), r"\.0+$", "")
        blank = pc.equal(block, "")
        bad = pc.and_(pc.invert(blank), pc.invert(pc.match_substring_regex(block, r"^\d{10,11}$")))
        _refuse(bad, c["dbuid"], f, row, cols["dbuid"], "a dissemination block code", "10 or 11 digits (PR CD DA DB)")
        _refuse(pc.and_(blank, pc.greater(pop, 0)), c["dbuid"], f, row, cols["dbuid"],
                "a dissemination block code", "a DBUID on every pseudo-household with people")
        keep = pc.invert(blank)
        hexuid = pc.utf8_trim_whitespace(c["hexuid"]) if hexes else pa.nulls(len(ids), pa.string())
        dauid = pc.cast(pc.utf8_slice_codeunits(pc.if_else(blank, "0", block), 0, 8), pa.int32())
        batch = pa.record_batch([ids, hexuid, dauid, pop, w], schema=PHH_SCHEMA)
        yield batch.filter(keep)


def _speed_batches(f: _File, speed: str, technology: str) -> Iterator[pa.RecordBatch]:
    names = {
        "combined": (f"combined_{speed}_combine", f"combined_{speed}", f"avail_{speed}_dispo", f"avail_{speed}"),
        "wired": (f"wired_{speed}_filaire", f"wired_{speed}"),
        "wireless": (f"wireless_{speed}_sans_fil", f"wireless_{speed}"),
    }
    wanted = ("wired", "wireless") if technology == "terrestrial" else (technology,)
    cols = {"phh_id": f.need(PHH_ID, "PHH_ID")} | {t: f.need(names[t], f"{t} {speed} availability flag") for t in wanted}
    for row, c in _batches(f, cols):
        flags = [_flags(c[t], f, row, cols[t]) for t in wanted]
        flag = flags[0] if len(flags) == 1 else pc.max_element_wise(*flags)
        yield pa.record_batch([_ids(c["phh_id"], f, row, cols["phh_id"]), flag], names=["phh_id", "flag"])


def _hex_batches(f: _File, speed: str, technology: str) -> Iterator[pa.RecordBatch]:
    if technology != "combined":
        raise PlaybookError(f"a hexagon file has no {technology} availability", path=f.label, field="technology",
                            expected="technology='combined' with a hexagon file")
    hexuid = f.need(HEXUID, "hexagon (HEXuid_HEXidu)")
    pct, flag = f.find((f"avail_{speed}_pct_dispo", f"avail_{speed}_pct")), f.find((f"avail_{speed}_dispo", f"avail_{speed}"))
    banded = f.find((f"avail_{speed}_gradient_dispo", "expr2"))
    if pct is None and flag is None:
        hint = "its availability is given in bands (ISED's map file), which cannot be summed exactly; " if banded else ""
        raise PlaybookError(f"no {speed} availability share for the hexagons: {hint}use ISED's PHH speeds file "
                            "(NBD_PHH_Speeds.zip)", path=f.label, row=f.line, field=banded or f"Avail_{speed}_Pct_Dispo",
                            expected=f"Avail_{speed}_Pct_Dispo (0-100) or Avail_{speed}_Dispo (0/1) per hexagon")
    cols = {"hexuid": hexuid, "value": pct or flag}
    for row, c in _batches(f, cols):
        share = (pc.divide(_numbers(c["value"], f, row, pct, expected="a percentage between 0 and 100", low=0, high=100,
                                    required=True), 100.0)
                 if pct else pc.cast(_flags(c["value"], f, row, flag), pa.float64()))
        yield pa.record_batch([pc.utf8_trim_whitespace(c["hexuid"]), share], names=["hexuid", "share"])


def _chain(files: list[_File], make) -> Iterator[pa.RecordBatch]:
    for f in files:
        yield from make(f)


def _current(files: list[_File]) -> list[_File]:
    """Of a zip's speeds files, only the ``Current`` ones when the zip has them (it also holds variants)."""
    by_zip: dict[Path, list[_File]] = {}
    for f in files:
        by_zip.setdefault(f.csv.path, []).append(f)
    kept = []
    for group in by_zip.values():
        current = [f for f in group if f.csv.member and re.search(r"current|actuelles", f.csv.member, re.IGNORECASE)]
        kept += current or group
    return kept


def _once(keys: np.ndarray, files: list[_File], key: str, what: str) -> None:
    """Refuse a key present twice (``keys`` sorted)."""
    twice = np.flatnonzero(keys[1:] == keys[:-1])
    if twice.size:
        raise PlaybookError(f"{key} '{keys[twice[0]]}' appears more than once in the {what}",
                            path=", ".join(f.label for f in files), field=key,
                            expected=f"one row per {key} (each province's file once)")


class _Availability:
    """The availability of each key: sorted PHH ids with their 1/0 flags, or hexagon ids with their
    shares (NaN: unknown). For the whole country: two arrays of 16.6 million (about 200 MB)."""

    def __init__(self, avail: list[_File], hexes: bool, speed: str, technology: str):
        self.hexes = hexes
        make = (lambda f: _hex_batches(f, speed, technology)) if hexes else (lambda f: _speed_batches(f, speed, technology))
        batches = list(_chain(avail, make))
        if hexes:
            keys = pa.concat_arrays([b.column(0) for b in batches])
            order = pc.array_sort_indices(keys)
            self.keys = keys.take(order)
            self.values = np.concatenate([b.column(1).to_numpy(zero_copy_only=False) for b in batches])[order.to_numpy()]
            _once(np.asarray(self.keys.to_pylist(), dtype=object), avail, "hexuid", "hexagon files")
        else:
            keys = np.concatenate([b.column(0).to_numpy() for b in batches])
            order = np.argsort(keys, kind="stable")
            self.keys = keys[order]
            flags = np.concatenate([b.column(1).to_numpy(zero_copy_only=False) for b in batches]).astype(np.float32)
            self.values = flags[order]
            _once(self.keys, avail, "phh_id", "availability files")

    def of(self, batch: pa.RecordBatch) -> tuple[np.ndarray, np.ndarray]:
        """(found, value) for the pseudo-households of ``batch``."""
        if self.hexes:
            index = pc.index_in(batch.column("hexuid"), value_set=self.keys).fill_null(-1).to_numpy()
            found = index >= 0
            return found, np.where(found, self.values[np.maximum(index, 0)], np.nan) if len(self.values) else index * np.nan
        ids = batch.column("phh_id").to_numpy()
        pos = np.minimum(np.searchsorted(self.keys, ids), max(len(self.keys) - 1, 0))
        found = self.keys[pos] == ids if len(self.keys) else np.zeros(len(ids), bool)
        return found, np.where(found, self.values[pos], np.nan)


def _da_sums(phh: list[_File], avail: list[_File], hexes: bool, speed: str, weight: str, technology: str,
             dguid_year: int) -> pd.DataFrame:
    """Per DA code: ``population``, ``w`` (the weight where availability is known), ``w_avail``.

    The availability is read first and held as arrays; the pseudo-households then stream past it batch
    by batch (a sorted search finds each one's flag), each batch summed by DA: they are never all in
    memory, only their ids (to refuse one given twice)."""
    if speed not in ("5_1", "10_2", "25_5", "50_10"):
        raise PlaybookError(f"ISED's files have no '{speed}' tier", field="speed", expected="5_1, 10_2, 25_5 or 50_10")
    table = _Availability(avail, hexes, speed, technology)
    parts, ids, unmatched, unmatched_pop = [], [], 0, 0.0
    for batch in _chain(phh, lambda f: _phh_batches(f, weight, dguid_year, hexes)):
        found, value = table.of(batch)
        pop, w = batch.column("pop").to_numpy(), batch.column("w").to_numpy()
        known = found & ~np.isnan(value)
        frame = pd.DataFrame({"dauid": batch.column("dauid").to_numpy()[found], "population": pop[found],
                              "w": np.where(known, w, 0.0)[found],
                              "w_avail": np.where(known, w * np.nan_to_num(value), 0.0)[found]})
        parts.append(frame.groupby("dauid").sum())
        ids.append(batch.column("phh_id").to_numpy())
        unmatched += int((~found).sum())
        unmatched_pop += float(pop[~found].sum())
    _once(np.sort(np.concatenate(ids)), phh, "phh_id", "pseudo-household files")
    sums = pd.concat(parts).groupby(level=0).sum().sort_index()
    if sums.empty:
        key = "hexuid" if hexes else "phh_id"
        raise PlaybookError(f"no pseudo-household of the PHH files is in the availability files (joined on {key})",
                            path=", ".join(f.label for f in avail), field=key,
                            expected="the availability files of the same provinces and release as the PHH files")
    sums = sums.reset_index()
    sums["dauid"] = sums["dauid"].astype(str)
    sums.attrs.update(unmatched_phh=unmatched, unmatched_population=unmatched_pop)
    return sums


def _identity(files: list[_File]) -> tuple:
    return tuple((f.label, f.csv.path.stat().st_size, f.csv.path.stat().st_mtime_ns) for f in files)


def _cached_da_sums(phh, avail, hexes, speed, weight, technology, dguid_year) -> pd.DataFrame:
    """:func:`_da_sums`, kept for the same files and choices: the CSD and DA tables of one analysis are
    read from one pass over the files."""
    key = (_identity(phh), _identity(avail), hexes, speed, weight, technology, dguid_year)
    if key not in _CACHE:
        _CACHE[key] = _da_sums(phh, avail, hexes, speed, weight, technology, dguid_year)
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    _CACHE.move_to_end(key)
    out = _CACHE[key].copy()
    out.attrs = dict(_CACHE[key].attrs)
    return out


def _lookup(da_csd) -> pd.DataFrame:
    """``dauid, csduid`` (text) from a DA -> CSD table (e.g. the hierarchy of
    :func:`playbook.geo.hierarchy.read_hierarchy`, or a DAUID/CSDUID file)."""
    if da_csd is None:
        raise PlaybookError("summing pseudo-households to census subdivisions needs the DA -> CSD lookup",
                            field="da_csd", expected="a table with columns dauid and csduid (the geographic hierarchy)")
    columns = {_norm(str(c)): c for c in da_csd.columns}
    picked = {}
    for canonical, names in LOOKUP.items():
        found = next((columns[n] for n in names if n in columns), None)
        if found is None:
            raise PlaybookError(f"the DA -> CSD lookup has no column {canonical}", field="da_csd",
                                expected="columns dauid and csduid")
        picked[canonical] = da_csd[found].astype("string").str.strip()
    table = pd.DataFrame(picked).dropna().drop_duplicates()
    twice = table["dauid"].duplicated(keep=False)
    if twice.any():
        da = table.loc[twice, "dauid"].iloc[0]
        raise PlaybookError(f"dissemination area {da} is in more than one CSD in the lookup", field="da_csd",
                            expected="each DA in one CSD")
    return table


def _to_csd(das: pd.DataFrame, da_csd) -> pd.DataFrame:
    table = _lookup(da_csd)
    joined = das.merge(table, on="dauid", how="inner")
    if joined.empty:
        raise PlaybookError(f"none of the {len(das)} dissemination areas of the pseudo-household files is in the "
                            "DA -> CSD lookup", field="da_csd", expected="the lookup of the same census year and region")
    csd = joined.groupby("csduid", sort=True)[["population", "w", "w_avail"]].sum(min_count=1).reset_index()
    csd.attrs = dict(das.attrs, unmatched_da=int(len(das) - len(joined)))
    return csd.rename(columns={"csduid": "code"})


# --- tables by area: the CRTC's Table 9 and the playbook's own layout ---------------------------------------

def _crtc(f: _File, level: str, speed: str, weight: str, data_year: int | None) -> pd.DataFrame:
    if level != "csd":
        raise PlaybookError("the CRTC table is by census subdivision", path=f.label, field="level",
                            expected="level='csd', or ISED's pseudo-household files for dissemination areas")
    if speed not in CRTC_SPEEDS:
        raise PlaybookError(f"the CRTC table has no '{speed}' tier with an upload speed", path=f.label, field="speed",
                            expected=" or ".join(CRTC_SPEEDS))
    if weight == "households":
        raise PlaybookError("the CRTC table counts population and dwellings, not households", path=f.label,
                            field="weight", expected="weight='population' or 'dwellings'")
    cols = {k: f.need(CRTC_PARTS[k], k, parts=True) for k in ("csd", "speed", "year", "population")}
    if weight == "dwellings":
        cols["w"] = f.need(CRTC_PARTS["dwellings"], "dwellings", parts=True)
    frames = []
    for row, c in _batches(f, cols):
        code = pc.utf8_trim_whitespace(c["csd"])
        _refuse(pc.invert(pc.match_substring_regex(code, r"^\d{7}$")), c["csd"], f, row, cols["csd"],
                "a census subdivision code", "7 digits")
        year = _numbers(c["year"], f, row, cols["year"], expected="a year")
        pop = _numbers(c["population"], f, row, cols["population"], expected="a count of at least 0", low=0)
        w = pop if weight == "population" else _numbers(c["w"], f, row, cols["w"], expected="a count of at least 0", low=0)
        label = pc.replace_substring(pc.utf8_lower(pc.utf8_trim_whitespace(c["speed"])), " ", "")
        frames.append(pd.DataFrame({"code": code.to_pandas(), "speed": label.to_pandas(), "year": year.to_pandas(),
                                    "population": pop.to_pandas(), "w": w.to_pandas()}))
    rows = pd.concat(frames, ignore_index=True)
    target = CRTC_SPEEDS[speed]
    years = rows.loc[rows["speed"].eq(target), "year"].dropna()
    if years.empty:
        raise PlaybookError(f"no row with speed '{target}'", path=f.label, field=cols["speed"],
                            expected=f"rows of the tier {target} and {CRTC_TOTAL}")
    year = int(years.max()) if data_year is None else int(data_year)
    if not years.eq(year).any():
        raise PlaybookError(f"no row of year {year}", path=f.label, field=cols["year"],
                            expected="one of " + ", ".join(str(int(y)) for y in sorted(years.unique())))
    rows = rows[rows["year"].eq(year)]
    total = rows[rows["speed"].eq(CRTC_TOTAL)].groupby("code")[["population", "w"]].sum()
    if total.empty:
        raise PlaybookError(f"no '{CRTC_TOTAL}' row (the denominator) in {year}", path=f.label, field=cols["speed"],
                            expected=f"a {CRTC_TOTAL} row per CSD")
    avail = rows[rows["speed"].eq(target)].groupby("code")["w"].sum()
    out = total.assign(w_avail=avail.reindex(total.index).fillna(0.0)).reset_index()
    over = out["w_avail"] > out["w"] * (1 + 1e-9)
    if over.any():
        raise PlaybookError(f"CSD {out.loc[over, 'code'].iloc[0]} has more with '{target}' than in total ({year})",
                            path=f.label, field=cols["population"] if weight == "population" else cols["w"],
                            expected=f"counts of the tier at most the {CRTC_TOTAL} count")
    out.attrs["data_year"] = year
    return out


def _table(f: _File, level: str, speed: str, dguid_year: int) -> pd.DataFrame:
    no = f.find((f"pct_no_broadband_{speed}",))
    yes = f.find((f"pct_broadband_{speed}", f"pct_available_{speed}", f"pct_avail_{speed}", f"avail_{speed}_pct_dispo"))
    if no is None and yes is None:
        raise PlaybookError(f"no {speed} availability column", path=f.label, row=f.line, field=f"pct_no_broadband_{speed}",
                            expected=f"pct_no_broadband_{speed} or pct_broadband_{speed} (0-100)")
    code = f.find(TABLE_CODES[level]) or f.find(("dguid",))
    if code is None:
        other = "csd" if level == "da" else "da"
        raise PlaybookError(f"the table has no {level.upper()} code column (it is by {other.upper()})", path=f.label,
                            row=f.line, field=TABLE_CODES[level][0].upper(),
                            expected=f"{TABLE_CODES[level][0].upper()} or DGUID, or level='{other}'")
    cols = {"code": code, "share": no or yes}
    population = f.find(PHH_WEIGHTS["population"])
    if population:
        cols["population"] = population
    frames = []
    for row, c in _batches(f, cols):
        share = _numbers(c["share"], f, row, cols["share"], expected="a percentage between 0 and 100", low=0, high=100)
        pop = (_numbers(c["population"], f, row, population, expected="a population of at least 0", low=0)
               if population else pa.nulls(len(share), pa.float64()))
        frames.append(pd.DataFrame({"code": pc.utf8_trim_whitespace(c["code"]).to_pandas(), "share": share.to_pandas(),
                                    "population": pop.to_pandas()}))
    rows = pd.concat(frames, ignore_index=True)
    if _norm(code) == "dguid":
        prefix = f"{dguid_year}{LEVEL_SCHEMAS[LEVELS[level]]}"
        rows = rows[rows["code"].str.startswith(prefix)].assign(code=lambda t: t["code"].str[len(prefix):])
        if rows.empty:
            raise PlaybookError(f"no DGUID of a {LEVELS[level].lower()} of {dguid_year} ({prefix}...)", path=f.label,
                                field=code, expected=f"DGUIDs starting {prefix}, or another level or dguid_year")
    pct = rows["share"] if no else 100.0 - rows["share"]
    return pd.DataFrame({"code": rows["code"], "population": rows["population"], "pct": pct})


# --- the reader -----------------------------------------------------------------------------------------------

def _choice(value, allowed, field: str) -> None:
    if value not in allowed:
        raise PlaybookError(f"unknown {field} '{value}'", field=field, expected="one of " + ", ".join(allowed))


def read_broadband(
    paths: str | PathLike | Iterable[str | PathLike],
    *,
    level: str = "csd",
    speed: str = "50_10",
    dguid_year: int = 2021,
    da_csd: pd.DataFrame | None = None,
    weight: str = "population",
    technology: str = "combined",
    data_year: int | None = None,
) -> pd.DataFrame:
    """One row per area of ``level`` (``"csd"`` or ``"da"``): ``DGUID`` (of ``dguid_year``),
    ``population`` and ``pct_no_broadband_<speed>`` (0-100, missing where the area's weight is 0),
    sorted by DGUID; with ``weight="dwellings"`` or ``"households"`` a column of that weight follows.

    ``paths``: one file or a list, CSV or zip, in the layouts of the module docstring. Pseudo-household
    files go with their availability files (speeds per PHH, or a hexagon file); CSDs from them need
    ``da_csd`` (columns ``dauid, csduid``: the geographic hierarchy or a DA -> CSD file). Given with
    the CRTC's table too, CSDs come from the table and DAs from the pseudo-households (``attrs["not_read"]``
    lists the files left aside at the level asked). ``technology``
    picks ISED's flags (``combined``, ``wired``, ``wireless``, ``terrestrial`` = either); ``data_year``
    picks the year of the CRTC table (default: its latest). ``attrs`` say what was read: ``layout``,
    and where it applies ``unmatched_phh`` (pseudo-households without an availability row, left out),
    ``unmatched_da`` (DAs not in the lookup, left out) and ``data_year``.
    """
    _choice(level, tuple(LEVELS), "level")
    _choice(speed, SPEEDS, "speed")
    _choice(weight, WEIGHTS, "weight")
    _choice(technology, TECHNOLOGIES, "technology")
    files = _files(paths)
    kinds = {k: [f for f in files if f.kind == k] for k in ("phh", "speeds", "hex", "crtc", "table")}
    ised = kinds["phh"] + kinds["speeds"] + kinds["hex"]
    not_read = []
    if kinds["table"] and ised:
        raise PlaybookError("both a table by area and pseudo-household files were given", field="paths",
                            path=kinds["table"][0].label, expected="one or the other")
    if kinds["crtc"] and ised:  # CSDs from the CRTC's table, DAs from the pseudo-households
        not_read = [f.label for f in (ised if level == "csd" else kinds["crtc"])]
        kinds = {k: ([] if (k == "crtc") == (level == "da") else v) for k, v in kinds.items()}
    column = f"pct_no_broadband_{speed}"
    if kinds["crtc"] or kinds["table"]:
        frames, attrs = [], {}
        for f in kinds["crtc"]:
            sums = _crtc(f, level, speed, weight, data_year)
            attrs = {"layout": "crtc_table_9", "data_year": sums.attrs["data_year"]}
            frames.append(sums.assign(pct=100.0 * (1.0 - sums["w_avail"] / sums["w"].where(sums["w"] > 0))))
        if kinds["table"]:
            if weight != "population":
                raise PlaybookError("a table of shares has no weight to choose", field="weight",
                                    expected="weight='population'")
            frames += [_table(f, level, speed, dguid_year) for f in kinds["table"]]
            attrs.setdefault("layout", "table")
        areas = pd.concat(frames, ignore_index=True)
        twice = areas["code"].duplicated()
        if twice.any():
            raise PlaybookError(f"area {areas.loc[twice, 'code'].iloc[0]} is given more than once", field="paths",
                                path=", ".join(f.label for f in kinds["crtc"] + kinds["table"]), expected="each area once")
    else:
        if not kinds["phh"]:
            raise PlaybookError("availability files carry no geography: the pseudo-household file is missing",
                                path=(kinds["speeds"] + kinds["hex"])[0].label, field="paths",
                                expected="ISED's PHH demographic file (PHH_2021_CSV.zip) with the availability files")
        hexes = not kinds["speeds"]
        avail = _current(kinds["speeds"]) if kinds["speeds"] else kinds["hex"]
        if not avail:
            raise PlaybookError("pseudo-households without availability", path=kinds["phh"][0].label, field="paths",
                                expected="ISED's PHH speeds file (NBD_PHH_Speeds.zip) or a hexagon availability file")
        sums = _cached_da_sums(kinds["phh"], avail, hexes, speed, weight, technology, dguid_year)
        areas = _to_csd(sums, da_csd) if level == "csd" else sums.rename(columns={"dauid": "code"})
        attrs = dict(areas.attrs, layout="ised_phh_hexagons" if hexes else "ised_phh_speeds")
        areas = areas.assign(pct=100.0 * (1.0 - areas["w_avail"] / areas["w"].where(areas["w"] > 0)))
    out = pd.DataFrame({
        "DGUID": dguid(LEVELS[level], areas["code"].astype("string"), dguid_year).astype("string"),
        "population": areas["population"].astype("float64"),
        column: areas["pct"].astype("float64").clip(0.0, 100.0),
    })
    if weight != "population":
        out[weight] = areas["w"].astype("float64")
    out = out.sort_values("DGUID", ignore_index=True)
    out.attrs = attrs | ({"not_read": not_read} if not_read else {})
    return out
