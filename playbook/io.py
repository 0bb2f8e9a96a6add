"""Files in and out: outputs appear whole or not at all; YAML is parsed once per file version;
what a reader found is checked the same way everywhere (:func:`require_columns`, :func:`numbers`)."""

from __future__ import annotations

import copy
import functools
import glob
import os
import socket
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from playbook.errors import PlaybookError

#: libyaml's loader when PyYAML was built with it (about 10x faster), else the pure-Python one.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: str | os.PathLike) -> Any:
    """The parsed content of a YAML file (safe types only); raises ``OSError`` or ``yaml.YAMLError``.

    A file is parsed once per version (path, size, modification time) and each call gets its own
    copy, so callers may change what they get: specs are read many times while a book builds.
    """
    path = Path(path)
    st = path.stat()
    return copy.deepcopy(_parsed(str(path.resolve()), st.st_size, st.st_mtime_ns))


@functools.lru_cache(maxsize=128)
def _parsed(path: str, size: int, mtime_ns: int) -> Any:
    with open(path, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_LOADER)  # noqa: S506 - a safe loader


def _umask() -> int:
    """The process's file-creation mask (read from /proc where possible: setting it to read it is
    not thread-safe)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextmanager
def atomic_path(target: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it onto ``target`` only on success.

    If the body raises, the temporary file is removed and ``target`` is left untouched, so a failed
    command never leaves a half-written output behind. The temporary file is named
    ``.<name>.<host>.<pid>.<random>.part``: one left by a process that was killed (``kill -9``, a
    power cut) is removed by the next write of the same output, on the same machine, once that
    process no longer exists; a part of a run still going, or of another machine, is left alone.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_parts(target)
    fd, tmp = tempfile.mkstemp(prefix=f"{_part_prefix(target)}{os.getpid()}.", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        if tmp_path.exists():  # mkstemp makes it private; give it the mode a new file would get
            tmp_path.chmod(0o666 & ~_umask())
        os.replace(tmp_path, target)
    finally:
        tmp_path.unlink(missing_ok=True)


def _part_prefix(target: Path) -> str:
    host = "".join(c if c.isalnum() or c in "-_" else "_" for c in socket.gethostname()) or "host"
    return f".{target.name}.{host}."


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: it exists
        return True
    return True


def _remove_stale_parts(target: Path) -> None:
    """Remove the temporary files of earlier writes of ``target`` whose process has died."""
    prefix = _part_prefix(target)
    for part in target.parent.glob(glob.escape(prefix) + "*.part"):
        pid = part.name[len(prefix):].split(".", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            part.unlink(missing_ok=True)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def check_outputs(outputs, inputs, *, field: str = "--out") -> None:
    """Refuse, before any work, an output that would destroy what the command reads or is a folder:
    an output path equal to an input (or inside an input folder), or an existing folder. ``None``
    entries (optional arguments not given) are skipped."""
    sources = [Path(i) for i in inputs if i is not None]
    for out in (Path(o) for o in outputs if o is not None):
        if out.is_dir():
            raise PlaybookError("is a folder", path=out, field=field, expected="a file path to write")
        resolved = out.resolve()
        for source in sources:
            inside = source.is_dir() and resolved.is_relative_to(source.resolve())
            if inside or resolved == source.resolve() or _same_file(out, source):
                raise PlaybookError(f"would overwrite the input {source}", path=out, field=field,
                                    expected="an output path that is not one of the command's inputs")


def require_columns(columns, required, *, path: str | os.PathLike, expected: str) -> None:
    """Raise a :class:`PlaybookError` naming the first of ``required`` absent from ``columns`` (the
    header, row 1), with ``expected`` describing the file's layout."""
    missing = [c for c in required if c not in columns]
    if missing:
        raise PlaybookError(f"column(s) {', '.join(map(str, missing))} missing", path=path, row=1, field=missing[0],
                            expected=expected)


def numbers(
    values: pd.Series,
    *,
    path: str | os.PathLike,
    field: str,
    expected: str,
    blanks: tuple[str, ...] = ("",),
    required: bool = False,
    minimum: float | None = None,
    noun: str = "a number",
    first_row: int = 2,
) -> pd.Series:
    """A column read as text, as ``float64``: empty cells (any of ``blanks``, or missing) become NaN,
    or are refused when ``required``; anything else that is not a number, or is below ``minimum``,
    raises a :class:`PlaybookError` naming its row (``first_row`` is the file row of the first value:
    2 below a header) and field."""
    text = values.astype("string").str.strip()
    blank = text.isna() | text.isin(list(blanks))
    parsed = pd.to_numeric(text.mask(blank), errors="coerce").astype("float64")
    bad = (parsed.isna() & ~blank) | (blank if required else False)
    if minimum is not None:
        bad |= parsed.lt(minimum)
    if bad.any():
        row = int(np.flatnonzero(np.asarray(bad, dtype=bool))[0])
        raise PlaybookError(f"'{values.iloc[row]}' is not {noun}", path=path, row=row + first_row, field=field,
                            expected=expected)
    return parsed
