"""The table of contents lists every chapter and notebook, and every entry exists."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def toc_files(node):
    if isinstance(node, dict):
        if "file" in node:
            yield node["file"]
        if "root" in node:
            yield node["root"]
        for value in node.values():
            yield from toc_files(value)
    elif isinstance(node, list):
        for item in node:
            yield from toc_files(item)


def resolve(entry: str) -> Path | None:
    for suffix in ("", ".md", ".ipynb"):
        p = ROOT / f"{entry}{suffix}"
        if p.is_file():
            return p
    return None


def test_every_toc_entry_exists():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    missing = [e for e in toc_files(toc) if resolve(e) is None]
    assert not missing, f"_toc.yml lists files that do not exist: {missing}"


def test_every_chapter_and_notebook_is_in_the_toc():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    listed = {resolve(e) for e in toc_files(toc)}
    pages = [p for p in (ROOT / "book").rglob("*.md")] + list((ROOT / "notebooks").rglob("*.ipynb"))
    pages = [p for p in pages if ".ipynb_checkpoints" not in p.parts and "_build" not in p.parts]
    orphans = sorted(str(p.relative_to(ROOT)) for p in pages if p not in listed)
    assert not orphans, f"pages missing from _toc.yml: {orphans}"


def test_toc_entries_are_unique():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    entries = list(toc_files(toc))
    assert len(entries) == len(set(entries))
