"""The population groups the playbook estimates for, defined once.

Each group is a filter on the survey's mapped columns (direct estimates, :mod:`.direct`) and, where
census margins can describe it, on the grid of characteristic combinations that the small-area
model post-stratifies to (:mod:`.sae`). ``None`` means everyone.
"""

from __future__ import annotations

from dataclasses import dataclass

from playbook.errors import PlaybookError


@dataclass(frozen=True)
class Group:
    """One population group: ``survey`` is ``(column, value)`` in the mapped survey; ``grid`` is
    ``(column, value)`` on the characteristic grid of :func:`playbook.groups.sae.subgroup_mask`;
    ``small_area`` says whether census margins describe the group (so it has small-area estimates)."""

    survey: tuple[str, str] | None
    grid: tuple[str, object] | None
    small_area: bool = True


#: Every group, in the order tables show them.
GROUPS: dict[str, Group] = {
    "everyone": Group(None, None),
    "youth": Group(("age_group", "15-24"), ("age", "15-24")),
    "seniors": Group(("age_group", "65+"), ("age", "65+")),
    "women": Group(("sex", "women"), None, small_area=False),
    "low_income": Group(("income_quintile", "q1"), ("low_income", 1)),
    "no_certificate": Group(("education", "no_certificate"), ("no_certificate", 1)),
    "no_official_language": Group(("official_language", "neither"), ("no_official_language", 1)),
    "indigenous": Group(("indigenous", "yes"), ("indigenous", 1)),
    "immigrants": Group(("immigrant", "yes"), ("immigrant", 1)),
    "disability": Group(("disability", "yes"), ("disability", 1)),
    "rural": Group(("urban_rural", "rural"), None, small_area=False),
}

#: The groups with small-area estimates (census margins describe them).
SMALL_AREA_GROUPS = [name for name, group in GROUPS.items() if group.small_area]


def group(name: str, *, small_area: bool = False) -> Group:
    """The group ``name``; with ``small_area``, only a group that has small-area estimates."""
    names = SMALL_AREA_GROUPS if small_area else list(GROUPS)
    if name not in names:
        raise PlaybookError(f"unknown group '{name}'", field="group", expected=f"one of {sorted(names) if small_area else names}")
    return GROUPS[name]


#: The population groups a jurisdiction profile may list among its priorities (``population_groups``),
#: each with the estimated group that stands for it (``None``: no survey or census variable describes
#: it, such as official-language minority communities).
FOCUS_GROUPS: dict[str, str | None] = {
    "seniors": "seniors",
    "youth": "youth",
    "indigenous": "indigenous",
    "recent_immigrants": "immigrants",
    "official_language_minority": None,
    "no_official_language": "no_official_language",
    "low_income": "low_income",
    "rural_remote": "rural",
    "people_with_disabilities": "disability",
}
