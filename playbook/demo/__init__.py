"""Seeded generators of the embedded demo data, in the official formats.

Geography and population are real (table 98-10-0002, the CMA/CA list, the PEI dissemination areas);
the small-area indicators that no open file gives are synthetic, calibrated to real provincial
aggregates (CIUS, CRTC). Each module in :data:`GENERATORS` exposes
``generate(out_dir: Path, seed: int) -> list[Path]`` and writes its files under ``out_dir``
(the layout of ``data/``, e.g. ``out_dir/demo/census/...``). ``python -m playbook demo-data``
runs them all; a test checks that the committed files are reproduced byte for byte.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from playbook.sources import datasets

#: Generator modules, run in this order (later ones may read what earlier ones wrote).
GENERATORS = [
    "playbook.demo.census", "playbook.demo.census_2016", "playbook.demo.internet", "playbook.demo.survey",
    "playbook.demo.feedback",
]

#: The seed of the committed demo data.
DEFAULT_SEED = 2021


def generators() -> list[ModuleType]:
    """The generator modules, in the order of :data:`GENERATORS` (imported when first needed, so
    that the command line starts without them)."""
    from playbook.demo import census, census_2016, feedback, internet, survey

    return [census, census_2016, internet, survey, feedback]


def generate_all(out_dir: str | Path, seed: int = DEFAULT_SEED) -> list[Path]:
    """Run every generator into ``out_dir``; return the files written."""
    written: list[Path] = []
    for module in generators():
        written += module.generate(Path(out_dir), seed)
    return written


#: Registry names of the files the generators write.
DATASETS = [
    "demo_census_profile_2021",
    "demo_census_profile_2016",
    "demo_geo_attributes_2021",
    "demo_area_internet_2021",
    "demo_internet_calibration_2021",
    "demo_feedback_comments",
]


def refresh_checksums(names: list[str] | None = None) -> list[str]:
    """After regenerating into ``data/`` on purpose (a changed generator), rewrite the ``sha256``
    of the demo datasets in ``data/registry.yml`` (text edit: comments and layout are kept).
    Returns the names whose checksum changed."""
    import re

    text = datasets.REGISTRY.read_text(encoding="utf-8")
    changed = []
    for name in names or DATASETS:
        entry = datasets.info(name)
        new = datasets.sha256_of(datasets.path(name, verify=False))
        pattern = re.compile(rf"(^{re.escape(name)}:\n(?:[ ].*\n)*?  sha256: )([0-9a-f]{{64}})", re.M)
        text, count = pattern.subn(rf"\g<1>{new}", text)
        if count and new != entry.sha256:
            changed.append(name)
    datasets.REGISTRY.write_text(text, encoding="utf-8")
    datasets.registry.cache_clear()
    return changed
