"""Book build times: cold (every notebook executed), warm (nothing changed) and warm with one
notebook's code changed — targets < 5 min cold and < 30 s warm on 2 cores; the ratio warm / cold
says what the execution cache saves.

Builds a copy of the repository's tracked files (so a notebook can be changed without touching the
working tree) into a temporary folder, both editions, warnings as errors, as `make book` does.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from playbook.book.build import build_book
from playbook.paths import ROOT


def copy_repository(target: Path) -> Path:
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, files.decode().split("\0")):
        dest = target / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, dest)
    return target


def timed(root: Path, out: Path, execute: str) -> float:
    start = time.perf_counter()
    build_book(root=root, path_output=out, execute=execute)
    return time.perf_counter() - start


def change_one_notebook(root: Path) -> str:
    notebook = sorted((root / "notebooks").glob("*.ipynb"))[-1]
    data = json.loads(notebook.read_text(encoding="utf-8"))
    cell = next(c for c in data["cells"] if c["cell_type"] == "code" and "parameters" not in c["metadata"].get("tags", []))
    cell["source"] = ["# benchmark: a changed cell\n", *cell["source"]]
    notebook.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
    return notebook.name


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_repository(Path(tmp) / "repo")
        out = Path(tmp) / "out"
        cold = timed(root, out, "cache")
        warm = timed(root, out, "cache")
        changed = change_one_notebook(root)
        warm_one = timed(root, out, "cache")
    print(f"cold build (all notebooks executed, en + fr): {cold:6.1f} s   target < 300 s")
    print(f"warm rebuild, nothing changed:               {warm:6.1f} s   target < 30 s   ({warm / cold:.2f} x cold)")
    print(f"warm rebuild, {changed} changed: {warm_one:6.1f} s   target < 30 s   ({warm_one / cold:.2f} x cold)")


if __name__ == "__main__":
    main()
