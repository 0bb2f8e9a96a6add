"""Reproducible zip files: fixed member order, timestamps and permissions, written atomically."""

from __future__ import annotations

import zipfile
from pathlib import Path

from playbook.io import atomic_path

#: Timestamp stored for every member (the 2021 Census Profile release date), so bytes do not depend on the clock.
STAMP = (2022, 12, 15, 0, 0, 0)


def write_zip(target: Path, members: dict[str, bytes]) -> Path:
    """Write ``members`` (name -> bytes, in order) to ``target`` as a deflated zip, byte-reproducibly."""
    with atomic_path(target) as tmp:
        with zipfile.ZipFile(tmp, "w") as archive:
            for name, data in members.items():
                info = zipfile.ZipInfo(name, date_time=STAMP)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, data, compresslevel=6)
    return target
