"""playbook.groups.definitions: every population group defined once, used by direct and small-area estimates."""

import numpy as np
import pytest

from playbook import jurisdiction
from playbook.errors import PlaybookError
from playbook.groups import definitions, direct, sae


def test_small_area_groups_filter_the_characteristic_grid():
    grid = sae._grid()
    for name in definitions.SMALL_AREA_GROUPS:
        mask = sae.subgroup_mask(name)
        assert mask.dtype == bool and len(mask) == len(grid)
        column = definitions.GROUPS[name].grid
        if column is None:
            assert mask.all(), "everyone is every combination"
        else:
            assert 0 < mask.sum() < len(grid), f"{name} is a strict subset of the grid"
    assert sae.subgroup_mask("seniors").sum() == len(grid) // 4  # one age group of four


def test_groups_without_census_margins_have_no_small_area_estimates():
    for name in ("women", "rural"):
        assert name in definitions.GROUPS and name not in definitions.SMALL_AREA_GROUPS
        with pytest.raises(PlaybookError, match=f"unknown group '{name}'"):
            sae.subgroup_mask(name)


def test_direct_estimates_use_the_survey_filter(age_survey):
    everyone = direct.group_mask(age_survey, "everyone")
    seniors = direct.group_mask(age_survey, "seniors")
    assert everyone.all()
    assert np.array_equal(seniors, (age_survey.data["age_group"] == "65+").to_numpy())
    with pytest.raises(PlaybookError, match="unknown group 'teenagers'"):
        direct.group_mask(age_survey, "teenagers")


def test_focus_groups_of_profiles_stand_for_defined_groups():
    assert jurisdiction.POPULATION_GROUPS == tuple(definitions.FOCUS_GROUPS)
    for focus, estimated in definitions.FOCUS_GROUPS.items():
        assert estimated is None or estimated in definitions.GROUPS, focus
