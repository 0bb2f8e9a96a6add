"""Jurisdiction profiles: one YAML file per jurisdiction re-targets the whole playbook.

- :mod:`.profile` — reading and validating ``jurisdictions/<code>.yml``, substitutions, filters,
  the legal-framework table;
- :mod:`.cli` — ``python -m playbook jurisdiction new|check``.
"""

from playbook.jurisdiction.profile import (
    DEFAULT,
    ENV_VAR,
    GEO_LEVELS,
    JURISDICTIONS_DIR,
    LAW_KINDS,
    LEVELS,
    POPULATION_GROUPS,
    Entry,
    Profile,
    current,
    legal_framework,
    legal_framework_table,
    load,
    places_table,
    problems,
    profile_path,
    read,
    shipped,
)

__all__ = [
    "DEFAULT", "ENV_VAR", "GEO_LEVELS", "JURISDICTIONS_DIR", "LAW_KINDS", "LEVELS", "POPULATION_GROUPS",
    "Entry", "Profile", "current", "legal_framework", "legal_framework_table", "load", "places_table",
    "problems", "profile_path", "read", "shipped",
]
