"""Read Statistics Canada Census Profile comprehensive downloads as published (2021 and 2016).

:func:`extract` takes the files the analyst downloaded — the ``.zip`` itself (read inside, never
unpacked to disk), its ``CSV_data.csv`` or the ``TAB`` variant, 2021 or 2016 layout — and returns
one row per geography with the requested characteristics::

    extract(["98-401-X2021006_eng_CSV.zip"], [1, 6, 345], level="Dissemination area", rates=True)

Columns ``DGUID, ALT_GEO_CODE, GEO_LEVEL, GEO_NAME`` (text: codes keep their leading zeros), then
``c<ID>`` (``C1_COUNT_TOTAL``; the 2016 "Total - Sex" column) and, with ``rates=True``, ``r<ID>``
(``C10_RATE_TOTAL``; 2016 files have no rate column, so ``r<ID>`` is empty there). Values are floats;
suppressed or not-applicable cells (symbols ``x``, ``F``, ``..``, ``...``) are NaN, never 0.
Rows come in the order geographies first appear; several paths (the regional DA files) are read as
one. Every selected id's ``CHARACTERISTIC_NAME`` is checked against the versioned mapping
(``specs/census_2021.yml``, ``specs/census_2016.yml``) because ids change between census years.

The encoding is found from the bytes (a sample spread through the file, see
:mod:`playbook.sources.census.text`) or declared with ``encoding=``: a file re-saved as UTF-8
without a byte-order mark reads "Montréal", never "MontrÃ©al".

Results are cached as Parquet under ``data/cache/census/``, keyed by each file's *content
fingerprint* (:func:`fingerprint`), the selection, the declared encoding and the content of the
mapping files. The fingerprint is the size, the modification time and a BLAKE2 hash of the whole
file when it is under :data:`FULL_HASH_BYTES`; of a larger file, of its first and last MB and
:data:`SAMPLED_BLOCKS` blocks spread evenly between them (about 4 MB read, milliseconds, where a full
hash of a 2.6 GB file would cost the full read the cache exists to avoid). The trade-off: a large
plain file edited in place in a byte outside the sampled blocks *and* given back its size and
modification time to the nanosecond would be served stale; every other change — any file replaced
by another, with the same size and mtime or not, any change to a zip (its central directory, in the
last MB, holds the CRC-32 of every member) — gives a new key. A cache file that cannot be read back
(truncated, damaged, another version's columns) is discarded and rebuilt; a cache that cannot be
written (read-only folder, full disk) only costs the next run its speed.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import warnings
from collections.abc import Iterable, Sequence
from os import PathLike
from pathlib import Path

import numpy as np
import pandas as pd

from playbook.codes import census_characteristics, census_spec_path
from playbook.errors import PlaybookError
from playbook.paths import ROOT
from playbook.sources.census import text as text_encoding
from playbook.sources.census.format import SYMBOLS
from playbook.sources.census.layout import Layout, Source, detect, sources
from playbook.sources.census.stream import levels, scan

GEO_COLUMNS = ["DGUID", "ALT_GEO_CODE", "GEO_LEVEL", "GEO_NAME"]
#: Symbols that mean "no value" (``E`` and ``r`` qualify a value that is kept).
NO_VALUE = {"x", "F", "..", "..."}
#: Bump when the output of :func:`extract` changes, to invalidate old caches.
CACHE_VERSION = 2
#: Files up to this size are hashed whole for the cache key; larger ones are sampled (see the module).
FULL_HASH_BYTES = 32 << 20
#: Blocks of :data:`SAMPLED_BLOCK` bytes hashed between the first and last MB of a larger file.
SAMPLED_BLOCKS = 32
SAMPLED_BLOCK = 64 << 10
_EDGE = 1 << 20
_FOOTNOTE = re.compile(r"(\s*\(\d+\))+\s*$")


def cache_dir() -> Path:
    """Where extracts are cached (``data/cache/census``, ignored by git)."""
    return ROOT / "data" / "cache" / "census"


def clean_name(name: str) -> str:
    """A characteristic name without its indentation and footnote numbers: ``"  Immigrants (81)"``
    -> ``"Immigrants"``."""
    return " ".join(_FOOTNOTE.sub("", str(name)).split())


#: The mapping file for a census year, and the mapping itself (characteristic id -> ``{indicator,
#: name, role, ...}``): :mod:`playbook.codes` reads them.
spec_path = census_spec_path
load_spec = census_characteristics


def parse_ids(ids: str | Iterable[int | str]) -> list[int]:
    """``"1,6,345"`` or ``[1, 6, 345]`` -> ``[1, 6, 345]`` (order kept, duplicates dropped)."""
    items = ids.split(",") if isinstance(ids, str) else list(ids)
    out: list[int] = []
    for item in items:
        text = str(item).strip()
        if not text.isdigit():
            raise PlaybookError(f"'{text}' is not a characteristic id", field="ids",
                                expected="positive whole numbers such as 1,6,345")
        if int(text) not in out:
            out.append(int(text))
    if not out:
        raise PlaybookError("no characteristic id given", field="ids", expected="at least one id such as 1")
    return out


def _numbers(rows: pd.DataFrame, value: str, symbol: str, src: Source, layout: Layout) -> pd.Series:
    """Parse a value column: numbers stay, known symbols (in the value or SYMBOL cell) become NaN."""
    raw = rows[value].fillna("").str.strip()
    sym = rows[symbol].fillna("").str.strip()
    known = raw.isin(list(SYMBOLS)) | raw.eq("")
    numbers = pd.to_numeric(raw.where(~known), errors="coerce")
    bad = ~known & (numbers.isna() | numbers.abs().eq(np.inf))  # "inf", "1e999": not a published value
    bad_symbol = ~sym.isin(list(SYMBOLS) + [""])
    for mask, what, shown, expected in (
        (bad, value, raw, "a number, an empty cell or a symbol (x, F, .., ..., E)"),
        (bad_symbol, "SYMBOL", sym, f"one of {sorted(SYMBOLS)} or empty"),
    ):
        if mask.any():
            first = rows[mask].iloc[0]
            line = int(first["LINE"])
            raise PlaybookError(f"'{shown[mask].iloc[0]}' for characteristic {first['CID']} of {first['GEO_NAME']}",
                                path=src.label, row=line, field=_field(what, layout), expected=expected)
    return numbers.mask(sym.isin(list(NO_VALUE)))


def _field(what: str, layout: Layout) -> str:
    names = {"VAL": "C1_COUNT_TOTAL", "RATE": "C10_RATE_TOTAL"} if layout.year == 2021 else {"VAL": "Total - Sex"}
    return names.get(what, what)


def _check_names(rows: pd.DataFrame, ids: list[int], src: Source, layout: Layout) -> None:
    if not layout.is_profile:
        return
    spec = load_spec(layout.year)
    first = rows.drop_duplicates("CID")
    for _, row in first.iterrows():
        expected = spec.get(int(row["CID"]), {}).get("name")
        found = clean_name(row["CNAME"])
        if expected is not None and clean_name(expected) != found:
            raise PlaybookError(
                f"characteristic {row['CID']} is named '{found}'", path=src.label,
                row=int(row["LINE"]), field="CHARACTERISTIC_NAME",
                expected=f"'{clean_name(expected)}' ({spec_path(layout.year).name}; ids change between census years)",
            )


def _no_rows(src: Source) -> bool:
    """True when nothing but blank lines follows the header."""
    size = src.size()
    if size > 1 << 16:
        return False
    head = src.head(size + 1)
    end = head.find(b"\n")
    return end < 0 or not head[end + 1:].strip()


def _read_one(src: Source, ids: list[int], level: str | None, rates: bool,
              members: dict[str, str] | None, progress: bool | None,
              encoding: str | None = None) -> tuple[pd.DataFrame, Layout]:
    layout = detect(src, encoding)
    if _no_rows(src):
        raise PlaybookError("the file has a header but no data rows", path=src.label, row=2,
                            expected="one row per geography and characteristic (is the file truncated?)")
    rows = scan(src, layout, ids, level=level, rates=rates, members=members, progress=progress)
    if rows.empty:
        if level is not None:
            found = levels(src, layout)
            raise PlaybookError(f"no geography at level '{level}'", path=src.label, field="GEO_LEVEL",
                                expected="one of " + ", ".join(f"'{v}'" for v in found))
        raise PlaybookError(f"none of the characteristics {ids} is in the file", path=src.label,
                            field="CHARACTERISTIC_ID", expected="ids of this census year's profile")
    present = set(rows["CID"].astype(int))
    absent = [i for i in ids if i not in present]
    if absent:
        raise PlaybookError(f"characteristic {absent[0]} is not in the file", path=src.label, field="CHARACTERISTIC_ID",
                            expected=f"a CHARACTERISTIC_ID of the {layout.year} file (ids differ between census years; "
                            f"see {spec_path(layout.year).name})")
    _check_names(rows, ids, src, layout)
    rows["value"] = _numbers(rows, "VAL", "VSYM", src, layout)
    rows["rate"] = _numbers(rows, "RATE", "RSYM", src, layout) if rates else float("nan")
    rows["source"] = src.label
    rows["YEAR"] = str(layout.year)
    rows["DGUID"] = rows["key"]
    return rows, layout


def _pivot(rows: pd.DataFrame, ids: list[int], rates: bool) -> pd.DataFrame:
    rows = rows.drop_duplicates(["key", "CID", "value", "rate"])  # the same geography in two regional files
    dup = rows.duplicated(["key", "CID"])
    if dup.any():
        first = rows[dup].iloc[0]
        raise PlaybookError(f"geography {first['key']} has characteristic {first['CID']} twice, with different values",
                            path=first["source"], field="CHARACTERISTIC_ID",
                            expected="one row per geography and characteristic")
    rows = rows.assign(CID=rows["CID"].astype(int))
    order = pd.unique(rows["key"])
    geo = rows.drop_duplicates("key").set_index("key")[GEO_COLUMNS].astype("string")
    if (rows["YEAR"] != "2021").all():
        geo["DGUID"] = pd.NA  # the 2016 layout has no DGUID (key = GEO_CODE (POR) | GEO_LEVEL)
    parts = [geo]
    values = rows.pivot(index="key", columns="CID", values="value").reindex(columns=ids)
    parts.append(values.rename(columns=lambda i: f"c{i}"))
    if rates:
        r = rows.pivot(index="key", columns="CID", values="rate").reindex(columns=ids)
        parts.append(r.rename(columns=lambda i: f"r{i}"))
    out = pd.concat(parts, axis=1).reindex(order).reset_index(drop=True)
    value_cols = [c for c in out.columns if c not in GEO_COLUMNS]
    out[value_cols] = out[value_cols].astype("float64")
    out.columns.name = None
    return out


def fingerprint(path: str | PathLike) -> list:
    """``[size, mtime_ns, hash]`` of a file's content, cheap whatever its size (see the module for what
    it reads and the trade-off): the whole file up to :data:`FULL_HASH_BYTES`, else its first and last MB
    and :data:`SAMPLED_BLOCKS` evenly spaced blocks."""
    path = Path(path)
    digest = hashlib.blake2b(digest_size=20)
    with open(path, "rb") as fh:
        st = os.fstat(fh.fileno())
        size = st.st_size
        if size <= FULL_HASH_BYTES:
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
        else:
            step = (size - 2 * _EDGE - SAMPLED_BLOCK) // (SAMPLED_BLOCKS - 1)
            spans = [(0, _EDGE), *((_EDGE + k * step, SAMPLED_BLOCK) for k in range(SAMPLED_BLOCKS)),
                     (size - _EDGE, _EDGE)]
            for offset, n in spans:
                fh.seek(offset)
                digest.update(fh.read(n))
    return [size, st.st_mtime_ns, digest.hexdigest()]


def _cache_key(paths: Sequence[Path], ids: list[int], level, rates, members, encoding=None) -> str:
    prints = [fingerprint(p) for p in paths]
    specs = [spec_path(y).read_text(encoding="utf-8") if spec_path(y).is_file() else "" for y in (2016, 2021)]
    blob = json.dumps([CACHE_VERSION, prints, ids, level, rates, sorted((members or {}).items()), encoding, specs])
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


def _columns(ids: list[int], rates: bool) -> list[str]:
    return GEO_COLUMNS + [f"c{i}" for i in ids] + ([f"r{i}" for i in ids] if rates else [])


def _from_cache(target: Path, columns: list[str]) -> pd.DataFrame | None:
    """The cached extract, or None (absent; or damaged, truncated or of other columns: then removed)."""
    if not target.is_file():
        return None
    try:
        out = pd.read_parquet(target)
        if list(out.columns) == columns:
            return out
        problem = "other columns"
    except Exception as exc:  # noqa: BLE001 - any unreadable cache file is rebuilt, whatever the reader says
        problem = f"{type(exc).__name__}: {exc}"
    warnings.warn(f"census cache {target.name} could not be used ({problem}); rebuilding it", stacklevel=3)
    target.unlink(missing_ok=True)
    return None


def _to_cache(out: pd.DataFrame, target: Path) -> None:
    """Write the cache through a temporary file in the same folder; a failure (read-only, full) is not fatal."""
    tmp = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}.", suffix=".part")
        os.close(fd)
        out.to_parquet(tmp, index=False)
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        warnings.warn(f"census cache not written ({exc.strerror or exc}); the next run reads the file again",
                      stacklevel=3)
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


def extract(
    paths: str | PathLike | Sequence[str | PathLike],
    ids: str | Iterable[int | str],
    *,
    level: str | None = None,
    rates: bool = False,
    members: dict[str, str | int] | None = None,
    cache: bool = True,
    progress: bool | None = None,
    encoding: str | None = None,
) -> pd.DataFrame:
    """One row per geography with characteristics ``ids`` from Census Profile files ``paths``.

    ``level`` keeps one ``GEO_LEVEL`` (``"Census subdivision"``; 2016 files write a number).
    ``members`` fixes the other dimensions of a 2016 data table (``{"Census year": 2}``; default:
    member 1 of each). ``progress`` forces the byte progress bar on or off (default: on for files
    over 50 MB). ``encoding`` declares the files' encoding (``"utf-8"``, ``"cp1252"``, ``"latin-1"``...;
    default: detected from their bytes). Raises :class:`~playbook.errors.PlaybookError` naming file,
    row and what was expected for a bad file.
    """
    path_list = [Path(paths)] if isinstance(paths, (str, PathLike)) else [Path(p) for p in paths]
    if not path_list:
        raise PlaybookError("no file given", field="paths", expected="one or more Census Profile files")
    ids = parse_ids(ids)
    encoding = text_encoding.declared(encoding)
    members = {k: str(v) for k, v in (members or {}).items()}
    srcs = sources(path_list)
    target = cache_dir() / f"{_cache_key(path_list, ids, level, rates, members, encoding)}.parquet"
    if cache and (hit := _from_cache(target, _columns(ids, rates))) is not None:
        return hit
    frames, years = [], set()
    for src in srcs:
        rows, layout = _read_one(src, ids, level, rates, members, progress, encoding)
        frames.append(rows)
        years.add(layout.year)
    if len(years) > 1:
        raise PlaybookError(f"files from census years {sorted(years)} given together", field="paths",
                            expected="files of one census year (extract each year separately, then compare)")
    out = _pivot(pd.concat(frames, ignore_index=True), ids, rates)
    if cache:
        _to_cache(out, target)
    return out


def by_indicator(extracted: pd.DataFrame, year: int) -> pd.DataFrame:
    """Rename ``c<ID>`` columns to the indicator names of the ``year`` mapping, so that a 2016 and
    a 2021 extract line up column by column (ids differ, indicators do not)."""
    spec = load_spec(year)
    names = {f"c{cid}": entry["indicator"] for cid, entry in spec.items()}
    names |= {f"r{cid}": f"{entry['indicator']}_rate" for cid, entry in spec.items()}
    return extracted.rename(columns=names)
