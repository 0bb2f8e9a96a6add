"""Streaming a Census Profile file through DuckDB: only the requested characteristics come out.

DuckDB reads the CSV with explicit column names and every column as text (``all_varchar``: codes
keep their leading zeros, symbols survive), filters on ``CHARACTERISTIC_ID`` while it reads, and
returns the few matching rows in file order. Memory stays flat whatever the file size.

A zip member is never unpacked to disk: a thread decompresses it into a named pipe (FIFO) that
DuckDB reads like a file. (On a system without FIFOs — Windows — the member is decompressed to a
temporary file beside the cache instead, and removed afterwards.)

Row numbers are not computed on the fast path (a window over the whole file costs ~70 % more
time); when something is wrong, :func:`locate` scans again to find the line to report.
"""

from __future__ import annotations

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


def _select(layout: Layout) -> str:
    g = layout.geo
    dguid = f"c{g['DGUID']}" if "DGUID" in g else "NULL"
    key = f"c{g['DGUID']}" if "DGUID" in g else f"c{g['GEO_CODE (POR)']} || '|' || c{g['GEO_LEVEL']}"
    cols = {
        "key": key, "DGUID": dguid, "ALT_GEO_CODE": f"c{g['ALT_GEO_CODE']}", "GEO_LEVEL": f"c{g['GEO_LEVEL']}",
        "GEO_NAME": f"c{g['GEO_NAME']}", "YEAR": f"c{g['CENSUS_YEAR']}", "CID": f"trim(c{layout.cid})",
        "CNAME": f"c{layout.cname}", "VAL": f"c{layout.value}",
        "VSYM": "NULL" if layout.value_symbol is None else f"c{layout.value_symbol}",
        "RATE": "NULL" if layout.rate is None else f"c{layout.rate}",
        "RSYM": "NULL" if layout.rate_symbol is None else f"c{layout.rate_symbol}",
    }
    return ", ".join(f"{expr} AS {name}" for name, expr in cols.items())


def _where(layout: Layout, ids: list[int], level: str | None, members: dict[str, str]) -> str:
    parts = [f"trim(c{layout.cid}) IN ({', '.join(_quote(str(i)) for i in ids)})"]
    if level is not None:
        parts.append(f"c{layout.geo['GEO_LEVEL']} = {_quote(level)}")
    for name, col in layout.others.items():
        parts.append(f"trim(c{col}) = {_quote(str(members.get(name, '1')))}")
    return " AND ".join(parts)


@contextmanager
def readable(src: Source, bar: tqdm | None = None) -> Iterator[str]:
    """A path DuckDB can read for ``src``: the file itself, or a FIFO fed from the zip member."""
    if src.member is None:
        yield str(src.path)
        return
    tmp = Path(tempfile.mkdtemp(prefix="playbook-census-"))
    pipe = tmp / Path(src.member).name
    try:
        if not hasattr(os, "mkfifo"):  # pragma: no cover - Windows
            with zipfile.ZipFile(src.path) as zf, zf.open(src.member) as fh, open(pipe, "wb") as out:
                shutil.copyfileobj(fh, out, _CHUNK)
            yield str(pipe)
            return
        os.mkfifo(pipe)
        failure: list[BaseException] = []

        def feed() -> None:
            try:
                with zipfile.ZipFile(src.path) as zf, zf.open(src.member) as fh, open(pipe, "wb") as out:
                    while chunk := fh.read(_CHUNK):
                        out.write(chunk)
                        if bar is not None:
                            bar.update(len(chunk))
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


def _duckdb_error(exc: Exception, src: Source, layout: Layout) -> PlaybookError:
    text = str(exc)
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


def scan(src: Source, layout: Layout, ids: list[int], *, level: str | None = None,
         members: dict[str, str] | None = None, progress: bool | None = None) -> pd.DataFrame:
    """The rows of ``src`` for characteristics ``ids`` (and ``level``), in file order, all text.

    Columns: ``key`` (the geography), ``DGUID``, ``ALT_GEO_CODE``, ``GEO_LEVEL``, ``GEO_NAME``,
    ``YEAR``, ``CID``, ``CNAME``, ``VAL``, ``VSYM``, ``RATE``, ``RSYM``.
    """
    members = members or {}
    bar = _bar(src, progress)
    con = _connect()
    try:
        with readable(src, bar) as path:
            sql = f"SELECT {_select(layout)} FROM {_read_csv(path, layout)} WHERE {_where(layout, ids, level, members)}"
            return _run(con, sql, src, layout, bar)
    finally:
        con.close()
        if bar is not None:
            bar.close()


def levels(src: Source, layout: Layout) -> list[str]:
    """The distinct GEO_LEVEL values of ``src`` (for an error message; scans the file)."""
    con = _connect()
    try:
        with readable(src) as path:
            sql = f"SELECT DISTINCT c{layout.geo['GEO_LEVEL']} AS level FROM {_read_csv(path, layout)}"
            return sorted(str(v) for v in _run(con, sql, src, layout, None)["level"].dropna())
    finally:
        con.close()


def locate(src: Source, layout: Layout, key: str, cid: str) -> int | None:
    """The line number (header = 1) of the row for geography ``key`` and characteristic ``cid``."""
    con = _connect()
    try:
        with readable(src) as path:
            inner = f"SELECT row_number() OVER () + 1 AS line, {_select(layout)} FROM {_read_csv(path, layout)}"
            sql = f"SELECT min(line) AS line FROM ({inner}) WHERE key = {_quote(key)} AND CID = {_quote(cid)}"
            found = _run(con, sql, src, layout, None)["line"].iloc[0]
    finally:
        con.close()
    return None if pd.isna(found) else int(found)

