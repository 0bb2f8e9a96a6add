"""Both small-area methods on small hand-checked data."""

import numpy as np
import pandas as pd
import pytest

from playbook.errors import PlaybookError
from playbook.groups import sae
from tests.groups.conftest import make_areas, make_survey


def test_synthetic_applies_province_age_rates_to_area_shares(age_survey):
    areas = make_areas([{"ages": [0.25, 0.25, 0.25, 0.25]}, {"ages": [0, 0, 0, 1], "pop15": 3000.0}])
    out = sae.synthetic(age_survey, "y", areas).set_index(["level", "DGUID"])
    csd = out.loc["Census subdivision"]
    assert csd["estimate"].tolist() == pytest.approx([27.5, 50.0])  # (10+20+30+50)/4 ; all seniors
    assert csd["se"].tolist() == pytest.approx([0, 0])  # identical replicates
    # roll-up by population 15+: (1000 * 27.5 + 3000 * 50) / 4000
    assert out.loc["Province", "estimate"].iloc[0] == pytest.approx(44.375)
    assert out.loc["Census division", "pop15"].iloc[0] == 4000


def test_synthetic_interval_from_replicates():
    frame = pd.DataFrame({"age_group": ["15-24"] * 4, "y": [1.0, 0.0, 0.0, 0.0]})
    survey = make_survey(frame)
    survey.replicates = np.array([[2, 0, 1, 1], [0, 1, 2, 1]], float).T  # 50% and 0%
    areas = make_areas([{"ages": [1, 0, 0, 0]}])
    row = sae.synthetic(survey, "y", areas).iloc[0]
    assert row["estimate"] == pytest.approx(25.0) and row["se"] == pytest.approx(25.0)
    assert row["lower"] == 0 and row["upper"] == pytest.approx(25 + 1.959964 * 25)


def test_synthetic_needs_respondents_where_areas_have_people(age_survey):
    areas = make_areas([{"pruid": "24"}])
    with pytest.raises(PlaybookError, match="no respondents in province 24, age 15-24"):
        sae.synthetic(age_survey, "y", areas)


def test_model_recovers_rates_for_homogeneous_areas():
    # seniors 50%, others 10%, regardless of anything else; two provinces so the dummies are estimable
    rows = []
    for prov in ("35", "24"):
        for age, rate in (("15-24", 0.1), ("25-44", 0.1), ("45-64", 0.1), ("65+", 0.5)):
            rows += [{"province": prov, "age_group": age, "y": float(i < rate * 100)} for i in range(100)]
    survey = make_survey(pd.DataFrame(rows))
    areas = make_areas([{"ages": [0, 0, 0, 1]}, {"ages": [1, 0, 0, 0], "pruid": "24"},
                        {"ages": [0.5, 0, 0, 0.5]}])
    out = sae.model_based(survey, "y", areas)
    csd = out[out["level"] == "Census subdivision"]["estimate"].tolist()
    assert csd == pytest.approx([50.0, 10.0, 30.0], abs=0.1)


def test_model_subgroup_restricts_the_population():
    rows = [{"age_group": a, "y": float(i < (50 if a == "65+" else 10))} for a in ("25-44", "65+") for i in range(100)]
    survey = make_survey(pd.DataFrame(rows))
    areas = make_areas([{"ages": [0, 0.5, 0, 0.5], "pop15": 2000.0}])
    out = sae.model_based(survey, "y", areas, subgroup=sae.subgroup_mask("seniors"))
    row = out[out["level"] == "Census subdivision"].iloc[0]
    assert row["estimate"] == pytest.approx(50.0, abs=0.1)
    assert row["pop15"] == pytest.approx(1000.0)  # the seniors of the area


def test_replicate_coefficients_approximate_refits():
    """One Newton step per replicate is close to refitting with the replicate weight."""
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(0)
    n = 3000
    frame = pd.DataFrame({"age_group": rng.choice(["15-24", "25-44", "45-64", "65+"], n)})
    frame["y"] = (rng.random(n) < np.where(frame["age_group"] == "65+", 0.5, 0.15)).astype(float)
    survey = make_survey(frame)
    reps = rng.poisson(1.0, size=(n, 3)).astype(float)
    survey.replicates = np.column_stack([np.ones(n), reps])  # the first replicate is the full sample
    betas = sae.fit_model(survey, "y", n_replicates=None)
    assert betas[:, 1] == pytest.approx(betas[:, 0], abs=1e-6)
    x, _ = sae.design_matrix(survey)
    ref = LogisticRegression(C=1e8, tol=1e-10, max_iter=2000).fit(x, frame["y"], sample_weight=reps[:, 0])
    age_65 = 1 + sae.FEATURES.index("age_65+")
    assert betas[age_65, 2] == pytest.approx(ref.coef_[0][age_65 - 1], abs=0.05)


def test_unknown_method_and_group(age_survey):
    with pytest.raises(PlaybookError, match="unknown method 'magic'"):
        sae.estimate_areas(age_survey, make_areas([{}]), method="magic")
    with pytest.raises(PlaybookError, match="unknown group 'martians'"):
        sae.subgroup_mask("martians")


def test_area_sd_widens_intervals_as_the_delta_method_says(age_survey):
    areas = make_areas([{"ages": [0, 0, 0, 1]}, {"ages": [0, 0, 0, 1]}])
    plain = sae.model_based(age_survey, "y", areas)
    wide = sae.model_based(age_survey, "y", areas, area_sd=0.2)
    csd = wide[wide["level"] == "Census subdivision"].iloc[0]
    p = csd["estimate"] / 100
    base = plain[plain["level"] == "Census subdivision"].iloc[0]["se"] / 100
    assert csd["se"] / 100 == pytest.approx(np.sqrt(base**2 + (p * (1 - p) * 0.2) ** 2))
    prov = wide[wide["level"] == "Province"].iloc[0]  # two equal areas: the model variance halves
    assert (prov["se"] / 100) ** 2 == pytest.approx(base**2 + (p * (1 - p) * 0.2) ** 2 / 2, rel=1e-3)
