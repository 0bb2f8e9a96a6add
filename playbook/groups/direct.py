"""Direct survey estimates by population group and province.

A group is a filter on the survey's mapped columns (:data:`playbook.groups.definitions.GROUPS`); every estimate comes from
:func:`playbook.sources.survey_estimates.estimate`, so it carries a bootstrap interval, a CV flag and
is suppressed below the minimum number of respondents. Rows for Canada (the ten provinces) have
``geography`` ``"01"``, as the census writes Canada's ALT_GEO_CODE.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from playbook.groups.definitions import GROUPS
from playbook.groups.definitions import group as group_definition
from playbook.sources.survey_estimates import estimate

CANADA = "01"


def group_mask(survey, group: str) -> np.ndarray:
    """Respondents who belong to ``group``."""
    definition = group_definition(group)
    if definition.survey is None:
        return np.ones(len(survey.data), bool)
    column, value = definition.survey
    return (survey.data[column] == value).fillna(False).to_numpy(bool)


def direct_by_group(survey, *, outcomes: Sequence[str] | None = None, groups: Sequence[str] | None = None,
                    provinces: bool = True) -> pd.DataFrame:
    """Weighted estimates (%) of each outcome for each group, for Canada and (``provinces``) each province.

    Columns: ``group, outcome, geography, n, population, estimate, se, cv, lower, upper, flag, released``.
    """
    outcomes = list(outcomes or survey.outcomes)
    parts = []
    for group in groups or list(GROUPS):
        mask = group_mask(survey, group)
        data = survey.data.loc[mask]
        reps = None if survey.replicates is None else survey.replicates[mask]
        for outcome in outcomes:
            args = (data, outcome, survey.weight[mask], reps)
            quality = survey.spec.get("quality")
            national = estimate(*args, quality=quality).assign(geography=CANADA)
            frames = [national]
            if provinces:
                by_province = estimate(*args, by=["province"], quality=quality)
                frames.append(by_province.rename(columns={"province": "geography"}))
            parts.append(pd.concat(frames, ignore_index=True).assign(group=group, outcome=outcome))
    out = pd.concat(parts, ignore_index=True)
    first = ["group", "outcome", "geography"]
    return out[first + [c for c in out.columns if c not in first]]
