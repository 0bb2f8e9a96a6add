"""Streaming a Census Profile file through PyArrow's CSV parser: only the requested characteristics come out.

The file is cut into blocks of about :data:`BLOCK` bytes at line ends; PyArrow parses each block on
every core, converting only the few columns we keep, as raw bytes (no decoding of the millions of
rows we drop; codes keep their leading zeros, symbols survive); a vectorised filter on
``CHARACTERISTIC_ID`` (and the level) keeps the matching rows, and only those are decoded —
Latin-1/Windows-1252 or UTF-8 (:mod:`playbook.sources.census.text`; a file whose sample was pure
ASCII is decided from the values kept), strictly: a byte that is not text in the file's encoding is an
error naming its line, never a replacement character. Memory stays flat whatever the file size: a plain file is mapped and
each block's pages are released once parsed; a zip member is decompressed block by block in a
thread while the previous block is parsed, never unpacked to disk.

Every kept row carries its line number (header = 1): rows never span lines in the official files,
so a row's line is the block's first line plus its index (blank lines, which the official files do
not have, are skipped and not counted). A malformed block is parsed again on one
thread, which reports the physical row, so an error names its line without a second pass over the
file.
"""

from __future__ import annotations

import mmap
import queue
import threading
import zipfile
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
from tqdm.auto import tqdm

from playbook.errors import PlaybookError
from playbook.sources.census import text as text_encoding
from playbook.sources.census.layout import Layout, Source

#: Files above this size get a progress bar (bytes).
PROGRESS_BYTES = 50 * 1024 * 1024
#: Bytes per parse. 32 MB keeps both cores busy and memory small (measured in bench/census_extract.py).
BLOCK = 32 << 20
_ARROW_BLOCK = 8 << 20


def _columns(layout: Layout, rates: bool) -> dict[str, int | None]:
    """Output name -> column index (None: the layout has no such column)."""
    g = layout.geo
    cols: dict[str, int | None] = {
        "DGUID": g.get("DGUID"), "GEO_CODE": g.get("GEO_CODE (POR)"), "ALT_GEO_CODE": g["ALT_GEO_CODE"],
        "GEO_LEVEL": g["GEO_LEVEL"], "GEO_NAME": g["GEO_NAME"], "CID": layout.cid, "CNAME": layout.cname,
        "VAL": layout.value, "VSYM": layout.value_symbol,
    }
    if rates:
        cols |= {"RATE": layout.rate, "RSYM": layout.rate_symbol}
    return cols


# --- blocks of whole lines -----------------------------------------------------------------------

def _mapped_blocks(path: Path, start: int) -> Iterator[memoryview]:
    """Blocks of a plain file, each through its own memory map (no copy). A block's map is unmapped
    when the last thing made from it is gone, so memory does not grow with the file."""
    size = path.stat().st_size
    with open(path, "rb") as fh:
        pos = start
        while pos < size:
            base = pos - pos % mmap.ALLOCATIONGRANULARITY
            length = min(pos + BLOCK, size) - base
            while True:
                mapped = mmap.mmap(fh.fileno(), length, offset=base, access=mmap.ACCESS_READ)
                end = base + length
                cut = end if end == size else mapped.rfind(b"\n", pos - base) + 1 + base
                if cut > pos:
                    break
                length = min(2 * length, size - base)  # a line longer than a block
            yield memoryview(mapped)[pos - base: cut - base]
            pos = cut


def _zip_blocks(src: Source, start: int) -> Iterator[bytes]:
    """Blocks of a zip member, decompressed by a thread one block ahead of the parser."""
    q: queue.Queue = queue.Queue(maxsize=1)
    stop = threading.Event()

    def feed() -> None:
        try:
            with zipfile.ZipFile(src.path) as zf, zf.open(src.member) as fh:
                fh.read(start)
                rest = b""
                while not stop.is_set():
                    chunk = fh.read(BLOCK)
                    if not chunk:
                        if rest:
                            q.put(rest)
                        break
                    data = rest + chunk if rest else chunk
                    cut = data.rfind(b"\n") + 1
                    rest, data = (data, b"") if cut == 0 else (data[cut:], data[:cut])
                    if data:
                        q.put(data)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            q.put(PlaybookError(f"cannot decompress the member ({exc})", path=src.label,
                                expected="an intact zip archive"))
        q.put(None)

    thread = threading.Thread(target=feed, daemon=True)
    thread.start()
    try:
        while (item := q.get()) is not None:
            if isinstance(item, Exception):
                raise item
            yield item
    finally:
        stop.set()
        while thread.is_alive():  # unblock a feeder waiting on a full queue
            try:
                q.get_nowait()
            except queue.Empty:
                thread.join(0.05)


def _header_end(src: Source) -> int:
    """Bytes before the first data row (byte-order mark and header line)."""
    head = src.head()
    end = head.find(b"\n")
    return len(head) if end < 0 else end + 1


def blocks(src: Source) -> Iterator[memoryview | bytes]:
    """The data rows of ``src`` (after the header) in blocks of whole lines."""
    start = _header_end(src)
    yield from _mapped_blocks(src.path, start) if src.member is None else _zip_blocks(src, start)


# --- parsing -------------------------------------------------------------------------------------

def _options(layout: Layout, include: list[int], *, threads: bool = True):
    names = [f"c{i}" for i in range(layout.ncols)]
    return dict(
        read_options=pcsv.ReadOptions(column_names=names, use_threads=threads, block_size=_ARROW_BLOCK),
        parse_options=pcsv.ParseOptions(delimiter=layout.sep, quote_char='"', double_quote=True,
                                        newlines_in_values=False),
        convert_options=pcsv.ConvertOptions(include_columns=[f"c{i}" for i in include],
                                            column_types={n: pa.binary() for n in names},
                                            strings_can_be_null=False, quoted_strings_can_be_null=False),
    )


def _bad_row(block, line: int, layout: Layout, include: list[int], src: Source) -> PlaybookError:
    """Parse a block that failed again, on one thread, to learn which row was wrong."""
    try:
        pcsv.read_csv(pa.py_buffer(block), **_options(layout, include, threads=False))
    except pa.ArrowInvalid as exc:
        message = str(exc).splitlines()[0]
        found = text_encoding.row_error(message)
        if found is None:
            return PlaybookError(message, path=src.label, row=line, expected="a Census Profile file as published")
        row, _expected, actual = found
        return PlaybookError(
            f"row has {actual} columns", path=src.label, row=None if row is None else line + row - 1,
            expected=f"{layout.ncols} columns, as in the header (is the file truncated, or a quote left open?)",
        )
    # cannot happen: the same bytes failed a moment ago
    return PlaybookError("unreadable block", path=src.label, row=line, expected="a Census Profile file as published")


def _parse(src: Source, layout: Layout, include: Callable[[], list[int]], keep, progress: bool | None) -> Iterator:
    """``(table, rows, line)`` per block: the ``include()`` columns of the rows ``keep(table)`` selects
    (a boolean mask, or None for all), their indexes in the block, and the block's first line number."""
    bar = _bar(src, progress)
    line = 2
    pool = ThreadPoolExecutor(max_workers=1)  # parses the next block while this one is filtered

    def parse(block) -> tuple:
        columns = include()
        try:
            return pcsv.read_csv(pa.py_buffer(block), **_options(layout, columns)), None
        except pa.ArrowInvalid:
            return None, columns

    try:
        parts = blocks(src)
        block = next(parts, None)
        ahead = pool.submit(parse, block) if block is not None else None
        while ahead is not None:
            table, failed = ahead.result()
            if failed is not None:
                raise _bad_row(block, line, layout, failed, src) from None
            nbytes = len(block)
            block = next(parts, None)
            ahead = pool.submit(parse, block) if block is not None else None
            mask = keep(table)
            rows = pc.indices_nonzero(mask) if mask is not None else None
            selected = table if mask is None else table.filter(mask)
            first, line = line, line + table.num_rows
            del table, mask  # the block's map can go once the caller drops ``selected``
            if bar is not None:
                bar.update(nbytes)
            yield selected, rows, first
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        if bar is not None:
            bar.close()


def _encoded(chunks: list[pa.Array]) -> pa.DictionaryArray:
    """Raw cells as a dictionary array: each distinct value once."""
    return pc.dictionary_encode(pa.chunked_array(chunks, type=pa.binary()).combine_chunks())


def _resolve(layout: Layout, columns: list[pa.DictionaryArray]) -> str:
    """The codec of the kept text: the layout's, or for an undecided (pure-ASCII sample) file, UTF-8 if
    every kept value is UTF-8, else Windows-1252."""
    if layout.encoding != text_encoding.UNDECIDED:
        return layout.encoding
    values = [v for column in columns for v in column.dictionary.to_pylist()]
    found = text_encoding.resolve(values)
    return "utf-8" if found == text_encoding.UNDECIDED else found


def _text(encoded: pa.DictionaryArray, codec: str, name: str, lines: np.ndarray, src: Source) -> pd.Series:
    """Raw cells -> text, decoding each distinct value once (missing cells -> None). A value that is not
    text in ``codec`` (a UTF-8 file with a Latin-1 row) is an error naming its line, never a ``?``."""
    decode = text_encoding.decoder(codec)
    uniques = []
    for k, raw in enumerate(encoded.dictionary.to_pylist()):
        try:
            uniques.append(decode(raw))
        except UnicodeDecodeError as exc:
            at = int(np.flatnonzero(encoded.indices.fill_null(-1).to_numpy() == k)[0])
            raise PlaybookError(f"bytes {raw[exc.start:exc.start + 4]!r} are not {codec} text", path=src.label,
                                row=int(lines[at]), field=FIELDS.get(name, name),
                                expected=f"one encoding for the whole file ({text_encoding.HINT})") from None
    decoded = np.array(uniques + [None], dtype=object)
    return pd.Series(decoded[encoded.indices.fill_null(len(uniques)).to_numpy()], dtype=object)


#: How errors name the columns of :func:`scan` (the official names where they differ).
FIELDS = {"CID": "CHARACTERISTIC_ID", "CNAME": "CHARACTERISTIC_NAME", "VAL": "C1_COUNT_TOTAL", "VSYM": "SYMBOL",
          "RATE": "C10_RATE_TOTAL", "RSYM": "SYMBOL", "GEO_CODE": "GEO_CODE (POR)"}


def _bar(src: Source, progress: bool | None) -> tqdm | None:
    size = src.size()
    if progress is False or (progress is None and size <= PROGRESS_BYTES):
        return None
    return tqdm(total=size, unit="B", unit_scale=True, desc=Path(src.member or src.path).name, leave=False)


def _encodings(text: str, layout: Layout) -> list[bytes]:
    """``text`` as the file would write it (both candidates while the encoding is undecided)."""
    codecs = ["utf-8", text_encoding.FALLBACK] if layout.encoding == text_encoding.UNDECIDED else [layout.encoding]
    return list(dict.fromkeys(text.encode(c, errors="replace") for c in codecs))


def scan(src: Source, layout: Layout, ids: list[int], *, level: str | None = None, rates: bool = False,
         members: dict[str, str] | None = None, progress: bool | None = None) -> pd.DataFrame:
    """The rows of ``src`` for characteristics ``ids`` (and ``level``), in file order, all text.

    Columns: ``key`` (the geography: DGUID in 2021, ``GEO_CODE (POR)|GEO_LEVEL`` in 2016),
    ``ALT_GEO_CODE``, ``GEO_LEVEL``, ``GEO_NAME``, ``CID``, ``CNAME``, ``VAL``, ``VSYM`` and, with
    ``rates``, ``RATE``, ``RSYM`` (None where the layout has no such column); ``LINE``, the row's
    line number in the file (header = 1). ``CNAME`` is read until every id has been seen once, then
    left empty: names are checked on each characteristic's first row, and the long name column
    costs parsing time on every block.
    """
    cols = _columns(layout, rates)
    others = layout.others
    include = sorted({c for c in cols.values() if c is not None} | set(others.values()))
    wanted = pa.array([str(i).encode() for i in ids], type=pa.binary())
    level_raw = None if level is None else pa.array(_encodings(level, layout), type=pa.binary())
    member_raw = {col: str((members or {}).get(name, "1")).strip() for name, col in others.items()}

    def keep(table: pa.Table):
        mask = pc.is_in(table[f"c{layout.cid}"], value_set=wanted)
        if level_raw is not None:
            mask = pc.and_(mask, pc.is_in(table[f"c{layout.geo['GEO_LEVEL']}"], value_set=level_raw))
        for col, value in member_raw.items():  # Member ID cells are digits, maybe padded: compare trimmed
            trimmed = pc.utf8_trim_whitespace(table[f"c{col}"].cast(pa.string()))
            mask = pc.and_(mask, pc.equal(trimmed, value))
        return mask

    pending = {str(i).encode() for i in ids}  # ids whose name has not been read yet

    def columns() -> list[int]:
        return include if pending else [c for c in include if c != layout.cname]

    found: dict[int, list] = {c: [] for c in include}
    lines: list[np.ndarray] = []
    for table, rows, line in _parse(src, layout, columns, keep, progress):
        for c in include:
            name = f"c{c}"
            found[c].append(table[name].combine_chunks() if name in table.column_names
                            else pa.nulls(len(table), pa.binary()))
        if pending:
            pending -= set(pc.unique(table[f"c{layout.cid}"]).to_pylist())
        lines.append(rows.to_numpy(zero_copy_only=False) + line)
    n = sum(len(x) for x in lines)
    line_numbers = np.concatenate(lines) if lines else np.array([], dtype=np.int64)
    encoded = {c: _encoded(found[c]) for c in include}
    codec = _resolve(layout, [encoded[c] for c in include])
    out = {name: _text(encoded[c], codec, name, line_numbers, src) if c is not None
           else pd.Series([None] * n, dtype=object) for name, c in cols.items()}
    frame = pd.DataFrame(out)
    if layout.geo.get("DGUID") is not None:
        frame.insert(0, "key", frame.pop("DGUID"))
        frame.pop("GEO_CODE")
    else:
        frame.insert(0, "key", frame.pop("GEO_CODE") + "|" + frame["GEO_LEVEL"])
        frame.pop("DGUID")
    frame["LINE"] = line_numbers
    return frame


def levels(src: Source, layout: Layout) -> list[str]:
    """The distinct GEO_LEVEL values of ``src`` (for an error message; scans the file)."""
    col = layout.geo["GEO_LEVEL"]
    seen: set[bytes] = set()
    for table, _rows, _line in _parse(src, layout, lambda: [col], lambda table: None, False):
        seen.update(pc.unique(table[f"c{col}"]).to_pylist())
    codec = layout.encoding
    if codec == text_encoding.UNDECIDED:
        codec = text_encoding.resolve(list(seen))
        codec = "utf-8" if codec == text_encoding.UNDECIDED else codec
    decode = text_encoding.decoder(codec)
    out = set()
    for v in seen:
        try:
            out.add(decode(v))
        except UnicodeDecodeError:
            out.add(v.decode(codec, errors="replace"))
    return sorted(out)
