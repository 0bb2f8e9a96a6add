"""A cached rebuild of the book against a forced one, in the same run (target: ratio <= 0.5).

Builds into a temporary folder: first with every notebook executed (``force``), then twice with
``cache`` (the first cache build fills the cache, the second is what `make book` costs after an
edit to a chapter).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from playbook.build import build_book


def timed(**kwargs) -> float:
    start = time.perf_counter()
    build_book(**kwargs)
    return time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        forced = timed(path_output=out / "force", execute="force")
        timed(path_output=out / "cache", execute="cache")
        cached = timed(path_output=out / "cache", execute="cache")
    ratio = cached / forced
    print(f"forced build {forced:.1f} s, cached rebuild {cached:.1f} s, ratio {ratio:.2f} (target <= 0.5)")


if __name__ == "__main__":
    main()
