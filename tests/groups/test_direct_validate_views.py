"""Direct estimates by group, validation metrics, compositions and group views."""

import numpy as np
import pandas as pd
import pytest

from playbook.groups import composition, direct, validate, views
from playbook.groups.composition import census_extract, compositions
from tests.groups.census_files import pei_profile
from tests.groups.conftest import make_areas, make_survey


def test_direct_by_group_filters_members(age_survey):
    out = direct.direct_by_group(age_survey, outcomes=["y"], groups=["everyone", "seniors"])
    canada = out[out["geography"] == "01"].set_index("group")
    assert canada.loc["everyone", "estimate"] == pytest.approx(27.5)
    assert canada.loc["seniors", "estimate"] == pytest.approx(50.0)
    assert canada.loc["seniors", "n"] == 10
    assert set(out["geography"]) == {"01", "35"}


def test_direct_suppresses_small_groups(age_survey):
    age_survey.spec = {"outcomes": {"y": {}}, "quality": {"min_respondents": 30}}
    out = direct.direct_by_group(age_survey, outcomes=["y"], groups=["seniors"], provinces=False)
    assert out["flag"].iloc[0] == "x" and np.isnan(out["estimate"].iloc[0])


def test_against_truth_mae_and_coverage():
    est = pd.DataFrame({"DGUID": ["a", "b", "c"], "level": ["Census subdivision"] * 2 + ["Province"],
                        "method": "model", "outcome": "y", "estimate": [10.0, 20.0, 15.0],
                        "lower": [8.0, 19.0, 14.0], "upper": [12.0, 21.0, 16.0]})
    truth = pd.DataFrame({"DGUID": ["a", "b", "c"], "outcome": "y", "truth": [11.0, 23.0, 15.0]})
    out = validate.against_truth(est, truth)
    csd = out[(out["outcome"] == "y") & (out["level"] == "Census subdivision")].iloc[0]
    assert csd["mae"] == pytest.approx(2.0) and csd["coverage"] == pytest.approx(0.5) and csd["areas"] == 2
    assert csd["width"] == pytest.approx(3.0)


def test_composition_from_an_official_layout_profile(tmp_path):
    extract = census_extract(pei_profile(tmp_path))
    pei = extract[extract["c1"] >= 1000].head(5)  # large enough to have no suppressed value
    comp = compositions(pei)
    assert len(comp) == 5 and set(comp["pruid"]) == {"11"}
    ages = comp[[f"age_{a}" for a in composition.AGE_GROUPS]].sum(axis=1)
    assert ages.to_numpy() == pytest.approx(np.ones(5))
    row = comp.iloc[0]
    src = pei.set_index("DGUID").loc[row["DGUID"]]
    assert row["immigrant"] == pytest.approx(src["c1529"] / src["c1527"])
    assert row["age_65+"] == pytest.approx(src["c24"] / src["c1998"])
    assert row["rural"] == (src["c1"] < 10_000)


def test_group_view_suppresses_small_groups(age_survey):
    rows = []
    for prov in ("35",):
        for age, rate in (("15-24", 0.1), ("25-44", 0.1), ("45-64", 0.2), ("65+", 0.5)):
            rows += [{"province": prov, "age_group": age, "y": float(i < rate * 100)} for i in range(100)]
    frame = pd.DataFrame(rows)
    for o in views.OUTCOMES:
        frame[o] = frame["y"]
    survey = make_survey(frame)
    survey.spec = {"outcomes": {o: {} for o in views.OUTCOMES}, "quality": {}}
    areas = make_areas([{"ages": [0.25] * 4, "pop15": 1000.0}, {"ages": [0.25] * 4, "pop15": 100.0}])
    out = views.group_evi(survey, areas, "seniors", n_replicates=2)
    assert out["suppressed"].tolist() == [False, True]  # 25 seniors < 40
    assert out["evi"].iloc[0] == pytest.approx(50.0, abs=0.2)
    assert out["evi_everyone"].iloc[0] == pytest.approx(22.5, abs=0.2)
    assert out["gap"].iloc[0] == pytest.approx(27.5, abs=0.3)
    assert out["group_population"].iloc[0] == 250 and np.isnan(out["gap"].iloc[1])
