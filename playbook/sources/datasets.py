"""The embedded datasets: a registry with checksums, provenance and an override folder.

Every file the book reads is declared in ``data/registry.yml`` with its SHA-256, whether it is
synthetic, its source line in English and French, and its licence. :func:`path` checks the checksum
before handing the file out, so a silently changed file fails loudly. ``PLAYBOOK_DATA_DIR`` reads
the same files from another folder (a mirror of ``data/``: the checksums must match). An
analyst's own files are not registry entries: they are named in an analysis manifest
(:mod:`playbook.sources.manifest`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from playbook import i18n
from playbook.errors import PlaybookError
from playbook.io import read_yaml
from playbook.paths import ROOT, data_dir

REGISTRY = ROOT / "data" / "registry.yml"


@dataclass(frozen=True)
class Dataset:
    """One registry entry."""

    name: str
    path: str
    sha256: str
    synthetic: bool
    title: dict[str, str]
    source: dict[str, str]
    licence: str
    provenance: str

    def source_line(self, lang: str | None = None) -> str:
        """The attribution printed under a figure or table, saying "synthetic" where so."""
        return i18n.source_line(self.source[i18n.language(lang)], synthetic=self.synthetic, lang=lang)


@cache
def registry() -> dict[str, Dataset]:
    """All datasets declared in ``data/registry.yml``."""
    entries = read_yaml(REGISTRY) or {}
    required = set(Dataset.__dataclass_fields__) - {"name"}
    out = {}
    for name, entry in entries.items():
        missing = required - set(entry)
        if missing:
            raise PlaybookError(
                f"dataset '{name}' lacks {', '.join(sorted(missing))}", path=REGISTRY, field=name
            )
        out[name] = Dataset(name=name, **{k: entry[k] for k in required})
    return out


def info(name: str) -> Dataset:
    """The registry entry for ``name``."""
    try:
        return registry()[name]
    except KeyError:
        known = ", ".join(sorted(registry()))
        raise PlaybookError(f"unknown dataset '{name}'", path=REGISTRY, expected=f"one of {known}") from None


def sha256_of(path: Path, chunk: int = 1 << 20) -> str:
    """SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


@cache
def _verified(path: Path, expected: str) -> Path:
    if not path.is_file():
        raise PlaybookError("embedded data file is missing", path=path, expected="the file listed in data/registry.yml")
    actual = sha256_of(path)
    if actual != expected:
        raise PlaybookError(
            f"checksum mismatch: the file changed (sha256 {actual[:12]}…)",
            path=path,
            expected=f"sha256 {expected[:12]}… as recorded in data/registry.yml",
        )
    return path


def path(name: str, *, verify: bool = True) -> Path:
    """The local path of dataset ``name``, checksum-verified (once per process) unless ``verify=False``."""
    entry = info(name)
    p = data_dir() / entry.path
    return _verified(p, entry.sha256) if verify else p
