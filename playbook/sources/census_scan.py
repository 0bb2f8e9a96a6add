"""Streaming a Census Profile file through DuckDB: only the requested characteristics come out.

DuckDB reads the CSV with explicit column names and every column as text (``all_varchar``: codes
keep their leading zeros, symbols survive), filters on ``CHARACTERISTIC_ID`` while it reads, and
returns the few matching rows in file order. Memory stays flat whatever the file size.

A zip member is never unpacked to disk: a thread decompresses it into a named pipe (FIFO) that
DuckDB reads like a file. (On a system without FIFOs — Windows — the member is decompressed to a
temporary file instead, removed as soon as it has been read.)

Row numbers are not computed on the fast path (a window over the whole file costs ~70 % more
time); when something is wrong, :func:`locate` scans again to find the line to report.
"""

from __future__ import annotations

import codecs
import dataclasses
import os
import re
import shutil
import tempfile
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd
from tqdm.auto import tqdm

from playbook.errors import PlaybookError
from playbook.sources.census_layout import Layout, Source

#: Files above this size get a progress bar (bytes).
PROGRESS_BYTES = 50 * 1024 * 1024
_CHUNK = 1 << 20


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _read_csv(path: str, layout: Layout) -> str:
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(layout.ncols)) + "}"
    delim = "\\t" if layout.sep == "\t" else ","
    return (
        f"read_csv({_quote(path)}, columns={columns}, header=true, delim=E'{delim}', quote='\"', escape='\"', "
        f"encoding='{layout.encoding}', auto_detect=false, strict_mode=true, all_varchar=true)"
    )


def _select(layout: Layout, rates: bool = True) -> str:
    """The columns to keep (few: every projected column costs time on a multi-GB scan)."""
    g = layout.geo
    key = f"c{g['DGUID']}" if "DGUID" in g else f"c{g['GEO_CODE (POR)']} || '|' || c{g['GEO_LEVEL']}"
    cols = {
        "key": key, "ALT_GEO_CODE": f"c{g['ALT_GEO_CODE']}", "GEO_LEVEL": f"c{g['GEO_LEVEL']}",
        "GEO_NAME": f"c{g['GEO_NAME']}", "CID": f"c{layout.cid}", "CNAME": f"c{layout.cname}",
        "VAL": f"c{layout.value}",
        "VSYM": "NULL" if layout.value_symbol is None else f"c{layout.value_symbol}",
    }
    if rates:
        cols["RATE"] = "NULL" if layout.rate is None else f"c{layout.rate}"
        cols["RSYM"] = "NULL" if layout.rate_symbol is None else f"c{layout.rate_symbol}"
    return ", ".join(f"{expr} AS {name}" for name, expr in cols.items())


def _where(layout: Layout, ids: list[int], level: str | None, members: dict[str, str]) -> str:
    parts = [f"c{layout.cid} IN ({', '.join(_quote(str(i)) for i in ids)})"]
    if level is not None:
        parts.append(f"c{layout.geo['GEO_LEVEL']} = {_quote(level)}")
    for name, col in layout.others.items():
        parts.append(f"trim(c{col}) = {_quote(str(members.get(name, '1')))}")
    return " AND ".join(parts)


def _open_raw(src: Source):
    if src.member is None:
        return open(src.path, "rb")
    zf = zipfile.ZipFile(src.path)
    fh = zf.open(src.member)
    fh._playbook_zip = zf  # keep the archive open as long as the member
    return fh


@contextmanager
def readable(src: Source, bar: tqdm | None = None, *, transcode: bool = False) -> Iterator[str]:
    """A path DuckDB can read for ``src``: the file itself, or a FIFO fed from the zip member.

    With ``transcode``, the bytes are decoded as Windows-1252 and re-encoded as UTF-8 on the way
    (DuckDB's Latin-1 decoder refuses the bytes 0x80-0x9F that cp1252 uses for dashes and quotes).
    """
    if src.member is None and not transcode:
        yield str(src.path)
        return
    tmp = Path(tempfile.mkdtemp(prefix="playbook-census-"))
    pipe = tmp / Path(src.member or src.path.name).name
    decoder = codecs.getincrementaldecoder("cp1252")(errors="replace") if transcode else None

    def copy(out) -> None:
        with _open_raw(src) as fh:
            while chunk := fh.read(_CHUNK):
                out.write(decoder.decode(chunk).encode("utf-8") if decoder else chunk)
                if bar is not None:
                    bar.update(len(chunk))

    try:
        if not hasattr(os, "mkfifo"):  # Windows
            with open(pipe, "wb") as out:
                copy(out)
            yield str(pipe)
            return
        os.mkfifo(pipe)
        failure: list[BaseException] = []

        def feed() -> None:
            try:
                with open(pipe, "wb") as out:
                    copy(out)
            except BrokenPipeError:
                pass  # the reader stopped early (an error, reported by the reader)
            except (zipfile.BadZipFile, OSError, EOFError) as exc:
                failure.append(exc)

        thread = threading.Thread(target=feed, daemon=True)
        thread.start()
        try:
            yield str(pipe)
        finally:
            if thread.is_alive():  # the reader gave up: open and close the read end to release the writer
                fd = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)
                os.close(fd)
            thread.join(timeout=30)
        if failure:
            raise PlaybookError(f"cannot decompress the member ({failure[0]})", path=src.label,
                                expected="an intact zip archive")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


class _NotLatin1(Exception):
    """DuckDB refused a byte of a cp1252 file: read it again through the transcoder."""


def _duckdb_error(exc: Exception, src: Source, layout: Layout) -> Exception:
    text = str(exc)
    if "not latin-1 encoded" in text:
        return _NotLatin1(text)
    line = re.search(r"Line: (\d+)", text)
    found = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", text)
    if found:
        message = f"row has {found.group(2)} columns"
        expected = f"{layout.ncols} columns, as in the header (is the file truncated?)"
    elif "unterminated" in text.lower() or "quote" in text.lower():
        message = "a quoted field is not closed"
        expected = "complete rows (is the file truncated?)"
    else:
        message = text.splitlines()[0].removeprefix("Invalid Input Error: ")
        expected = "a Census Profile file as published"
    return PlaybookError(message, path=src.label, row=int(line.group(1)) if line else None, expected=expected)


def _poll(con: duckdb.DuckDBPyConnection, bar: tqdm, stop: threading.Event) -> None:
    while not stop.wait(0.25):
        try:
            pct = con.query_progress()
        except Exception:  # noqa: BLE001 - progress is cosmetic
            return
        if pct and pct > 0:
            bar.n = int(bar.total * min(pct, 100.0) / 100.0)
            bar.refresh()


def _run(con: duckdb.DuckDBPyConnection, sql: str, src: Source, layout: Layout, bar: tqdm | None) -> pd.DataFrame:
    stop = threading.Event()
    poller = None
    if bar is not None and src.member is None:
        poller = threading.Thread(target=_poll, args=(con, bar, stop), daemon=True)
        poller.start()
    try:
        return con.sql(sql).df()
    except duckdb.Error as exc:
        raise _duckdb_error(exc, src, layout) from None
    finally:
        stop.set()
        if poller is not None:
            poller.join()


def _bar(src: Source, progress: bool | None) -> tqdm | None:
    size = src.size()
    if progress is False or (progress is None and size <= PROGRESS_BYTES):
        return None
    return tqdm(total=size, unit="B", unit_scale=True, desc=Path(src.member or src.path).name, leave=False)


def _connect() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = true")
    con.execute("SET enable_progress_bar = true")
    con.execute("SET enable_progress_bar_print = false")
    return con


def _query(src: Source, layout: Layout, build, bar: tqdm | None = None) -> pd.DataFrame:
    """Run ``build(path, layout)`` (SQL) on ``src``; on a cp1252 byte, again through the transcoder."""
    con = _connect()
    try:
        try:
            with readable(src, bar) as path:
                return _run(con, build(path, layout), src, layout, bar)
        except _NotLatin1:
            utf8 = dataclasses.replace(layout, encoding="utf-8")
            if bar is not None:
                bar.reset()
            with readable(src, bar, transcode=True) as path:
                return _run(con, build(path, utf8), src, utf8, bar)
    finally:
        con.close()


def scan(src: Source, layout: Layout, ids: list[int], *, level: str | None = None, rates: bool = False,
         members: dict[str, str] | None = None, progress: bool | None = None) -> pd.DataFrame:
    """The rows of ``src`` for characteristics ``ids`` (and ``level``), in file order, all text.

    Columns: ``key`` (the geography: DGUID in 2021), ``ALT_GEO_CODE``, ``GEO_LEVEL``, ``GEO_NAME``,
    ``CID``, ``CNAME``, ``VAL``, ``VSYM`` and, with ``rates``, ``RATE``, ``RSYM``.
    """
    where = _where(layout, ids, level, members or {})
    bar = _bar(src, progress)
    try:
        return _query(src, layout,
                      lambda path, lay: f"SELECT {_select(lay, rates)} FROM {_read_csv(path, lay)} WHERE {where}", bar)
    finally:
        if bar is not None:
            bar.close()


def levels(src: Source, layout: Layout) -> list[str]:
    """The distinct GEO_LEVEL values of ``src`` (for an error message; scans the file)."""
    col = f"c{layout.geo['GEO_LEVEL']}"
    found = _query(src, layout, lambda path, lay: f"SELECT DISTINCT {col} AS level FROM {_read_csv(path, lay)}")
    return sorted(str(v) for v in found["level"].dropna())


def locate(src: Source, layout: Layout, key: str, cid: str) -> int | None:
    """The line number (header = 1) of the row for geography ``key`` and characteristic ``cid``."""
    def build(path, lay):
        inner = f"SELECT row_number() OVER () + 1 AS line, {_select(lay, False)} FROM {_read_csv(path, lay)}"
        return f"SELECT min(line) AS line FROM ({inner}) WHERE key = {_quote(key)} AND CID = {_quote(cid)}"
    found = _query(src, layout, build)["line"].iloc[0]
    return None if pd.isna(found) else int(found)
