"""Group views of the index: the E-Vulnerability Index for one population group, and group gaps.

The three dimensions are read from the model-based small-area estimates (percent of people 15+):
access = no home Internet; comfort = "never used online government services" and "worried about
privacy online"; skills = low digital skills. The index engine (:func:`playbook.index.build`) scores
them with the spec ``specs/evi_groups.yml``: goalposts 0-100 (the percent scale, the same for every
group, so that groups can be compared), equal weights, arithmetic mean (0-100, higher = more
e-vulnerable). The gap is the group's score minus everyone's in the same area. Before a table
leaves this module it passes :func:`playbook.privacy.protect` with the disclosure rules of
``specs/disclosure.yml``, its threshold raised to ``min_population`` (40 people 15+: a model-based
estimate for a smaller group is not shown): areas where the group counts fewer are suppressed, and
counts are randomly rounded to the rules' base.
"""

from __future__ import annotations

import pandas as pd

from playbook import index, privacy
from playbook.groups.sae import cells_of, fit_all, model_based, subgroup_mask
from playbook.paths import specs_dir

SPEC = specs_dir() / "evi_groups.yml"

DIMENSIONS = {
    "access": ["no_home_internet"],
    "comfort": ["never_online_gov", "privacy_worries"],
    "skills": ["low_digital_skills"],
}


OUTCOMES = [o for dim in DIMENSIONS.values() for o in dim]


def _scores(survey, comp, group: str, fits: dict, level: str, cells: tuple) -> pd.DataFrame:
    mask = subgroup_mask(group)
    parts = [model_based(survey, o, comp, subgroup=mask, betas=fits[o], cells=cells) for o in OUTCOMES]
    est = pd.concat(parts, ignore_index=True)
    est = est[est["level"] == level]
    wide = est.pivot_table(index="DGUID", columns="outcome", values="estimate", sort=False).reset_index()
    scores = index.build(index.load_spec(SPEC), wide).scores.rename(columns={"score": "evi"})
    out = scores[["DGUID", *DIMENSIONS, "evi"]].merge(est.drop_duplicates("DGUID")[["DGUID", "pruid", "pop15"]],
                                                      on="DGUID", how="left")
    out = out.rename(columns={"pop15": "group_population"})
    return out[["DGUID", "pruid", *DIMENSIONS, "evi", "group_population"]]


def group_evi(survey, comp: pd.DataFrame, group: str, *, level: str = "Census subdivision",
              n_replicates: int | None = 50, min_population: int = 40, fits: dict | None = None,
              policy: privacy.Policy | None = None) -> pd.DataFrame:
    """EVI and its dimensions for ``group`` in each area of ``level``, with the gap to everyone.

    Columns: ``DGUID, pruid, access, comfort, skills, evi, group_population, evi_everyone, gap,
    suppressed`` (scores in percent; ``gap`` in points). ``fits``: from :func:`playbook.groups.sae.fit_all`.
    ``policy``: the disclosure rules (default ``specs/disclosure.yml``), whose threshold is raised to
    ``min_population`` if it is lower."""
    fits = fits if fits is not None and set(OUTCOMES) <= set(fits) else fit_all(
        survey, comp, OUTCOMES, n_replicates=n_replicates)
    cells = cells_of(comp, survey)
    mine = _scores(survey, comp, group, fits, level, cells)
    everyone = _scores(survey, comp, "everyone", fits, level, cells)[["DGUID", "evi"]]
    out = mine.merge(everyone.rename(columns={"evi": "evi_everyone"}), on="DGUID", how="left")
    out["gap"] = out["evi"] - out["evi_everyone"]
    rules = policy if policy is not None else privacy.Policy.default()
    rules = rules.replace(threshold=max(rules.threshold, min_population))
    return privacy.protect(out, counts=["group_population"], dependent=[*DIMENSIONS, "evi", "gap"], policy=rules)
