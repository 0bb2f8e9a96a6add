"""Files in and out: outputs appear whole or not at all; YAML is parsed once per file version."""

from __future__ import annotations

import copy
import functools
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

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
    command never leaves a half-written output behind.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        if tmp_path.exists():  # mkstemp makes it private; give it the mode a new file would get
            tmp_path.chmod(0o666 & ~_umask())
        os.replace(tmp_path, target)
    finally:
        tmp_path.unlink(missing_ok=True)
