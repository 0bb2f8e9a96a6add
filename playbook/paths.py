"""Where the playbook's files live: the repository root, the embedded data, the build output."""

from __future__ import annotations

import os
from pathlib import Path

#: The repository root (the folder holding ``_config.yml`` and ``_toc.yml``).
ROOT = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """The data folder: ``$PLAYBOOK_DATA_DIR`` if set, else ``data/`` in the repository."""
    override = os.environ.get("PLAYBOOK_DATA_DIR")
    return Path(override) if override else ROOT / "data"


def specs_dir() -> Path:
    """Index and mapping specifications (YAML)."""
    return ROOT / "specs"
