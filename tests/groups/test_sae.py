"""Both small-area methods on small hand-checked data, and the area indicators they give the index."""

import zipfile

import numpy as np
import pandas as pd
import pytest

from playbook.errors import PlaybookError
from playbook.geo.hierarchy import read_hierarchy
from playbook.groups import sae
from playbook.groups.composition import CENSUS_IDS
from playbook.sources import datasets
from playbook.sources.census import extract
from playbook.sources.survey import read_pumf
from tests.groups.census_files import pei_profile
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


# --- cycles without some variables (CIUS 2018: no immigration, no disability) ---------------------


def two_province_survey(**blank):
    rows = []
    for prov in ("35", "24"):
        for age, rate in (("15-24", 0.1), ("25-44", 0.1), ("45-64", 0.1), ("65+", 0.5)):
            rows += [{"province": prov, "age_group": age, "y": float(i < rate * 100)} for i in range(100)]
    frame = pd.DataFrame(rows)
    for column in blank:
        frame[column] = pd.NA
    return make_survey(frame)


def test_model_leaves_out_what_the_cycle_lacks():
    survey = two_province_survey(immigrant=True, disability=True)
    assert sae.absent_features(survey) == ["immigrant", "disability"]
    betas = sae.fit_model(survey, "y")
    for name in ("immigrant", "disability", "low_income"):  # low_income: no one is in q1 (no variation)
        assert np.all(betas[1 + sae.FEATURES.index(name)] == 0)
    assert "immigrant" not in sae.model_features(survey, "y") and "age_65+" in sae.model_features(survey, "y")
    areas = make_areas([{"ages": [0, 0, 0, 1], "immigrant": 0.9}, {"ages": [0, 0, 0, 1], "immigrant": 0.0}])
    csd = sae.model_based(survey, "y", areas, betas=betas)
    csd = csd[csd["level"] == "Census subdivision"]["estimate"].tolist()
    assert csd == pytest.approx([50.0, 50.0], abs=0.1)  # the immigrant share moves nothing


def test_model_needs_respondents_in_every_province_and_both_answers():
    survey = two_province_survey()
    with pytest.raises(PlaybookError, match="no respondents in province 59"):
        sae.model_based(survey, "y", make_areas([{"pruid": "59"}]))
    survey.data["y"] = 1.0
    with pytest.raises(PlaybookError, match="800 respondents answered 'y' all alike"):
        sae.fit_model(survey, "y")


# --- survey -> small areas -> the index -------------------------------------------------------------


def test_area_indicators_one_row_per_area_with_standard_errors(age_survey):
    areas = make_areas([{"ages": [0.25, 0.25, 0.25, 0.25]}, {"ages": [0, 0, 0, 1], "pop15": 3000.0}])
    out = sae.area_indicators(age_survey, areas, outcomes=["y"], method="synthetic")
    assert list(out.columns) == ["DGUID", "pct_y", "pct_y_se"]
    assert out["DGUID"].tolist() == areas["DGUID"].tolist()
    assert out["pct_y"].tolist() == pytest.approx([27.5, 50.0])  # (10+20+30+50)/4 ; all seniors
    assert out["pct_y_se"].tolist() == pytest.approx([0.0, 0.0])  # identical replicates
    frame = pd.DataFrame({"age_group": ["15-24"] * 4, "y": [1.0, 0.0, 0.0, 0.0]})
    survey = make_survey(frame)
    survey.replicates = np.array([[2, 0, 1, 1], [0, 1, 2, 1]], float).T  # 50% and 0% around 25%
    row = sae.area_indicators(survey, make_areas([{"ages": [1, 0, 0, 0]}]), outcomes=["y"], method="synthetic").iloc[0]
    assert row["pct_y"] == pytest.approx(25.0) and row["pct_y_se"] == pytest.approx(25.0)


def census_row(dguid: str, level: str, *, pop15: float, young: float, old: float, cmauid=None) -> dict:
    """One area of a census extract (the ``c<ID>`` columns a composition reads), with no one in any margin."""
    from playbook.codes import census_id
    from playbook.groups.composition import MARGINS

    row = {"DGUID": dguid, "GEO_LEVEL": level, "GEO_NAME": dguid[-4:]} | {f"c{i}": 0.0 for i in CENSUS_IDS}
    row |= {f"c{census_id('education_total_15_plus')}": pop15, f"c{census_id('age_15_19')}": young / 2,
            f"c{census_id('age_20_24')}": young / 2, f"c{census_id('age_65_plus')}": old,
            f"c{census_id('population')}": pop15 * 1.2}
    row |= {f"c{den}": pop15 for _, den in MARGINS.values()}
    return row


def test_area_indicators_from_a_census_extract_by_hand(age_survey):
    """Ages 15-24 20%, 65+ 30%, the middle split evenly: 0.2*10 + 0.25*20 + 0.25*30 + 0.3*50 = 29.5."""
    extract = pd.DataFrame([
        census_row("2021A000235", "Province", pop15=9e6, young=1e6, old=2e6),
        census_row("2021A00053501001", "Census subdivision", pop15=1000, young=200, old=300),
        census_row("2021A00053501002", "Census subdivision", pop15=500, young=0, old=500),
    ])
    out = sae.area_indicators(age_survey, extract, outcomes=["y"], method="synthetic")
    assert out["DGUID"].tolist() == ["2021A00053501001", "2021A00053501002"]  # the province row is not an area
    assert out["pct_y"].tolist() == pytest.approx([29.5, 50.0])
    with pytest.raises(PlaybookError, match="no areas at level 'Dissemination area'"):
        sae.area_indicators(age_survey, extract.assign(cmauid=None), level="da", outcomes=["y"], method="synthetic")


def test_area_indicators_default_outcomes_are_the_specs_area_columns_the_cycle_measures(age_survey):
    survey = two_province_survey()
    survey.data = survey.data.rename(columns={"y": "never_online_gov"})
    survey.spec = {"outcomes": {"never_online_gov": {}}, "quality": {}}
    areas = make_areas([{"ages": [0, 0, 0, 1]}])
    out = sae.area_indicators(survey, areas)
    assert list(out.columns) == ["DGUID", "pct_never_online_gov", "pct_never_online_gov_se"]
    assert out["pct_never_online_gov"].iloc[0] == pytest.approx(50.0, abs=0.1)
    assert "pct_no_home_internet" in out.attrs["unmeasured"] and out.attrs["method"] == "model"
    with pytest.raises(PlaybookError, match="has no outcome 'privacy_worries'"):
        sae.area_indicators(survey, areas, outcomes=["privacy_worries"])
    with pytest.raises(PlaybookError, match="measures none of the index's area indicators"):
        sae.area_indicators(age_survey, areas)
    with pytest.raises(PlaybookError, match="unknown level 'ct'"):
        sae.area_indicators(survey, areas, level="ct")


def test_area_indicators_from_an_official_csd_profile(tmp_path):
    """The Census Profile as published (PEI's census subdivisions of the demo file), through the reader."""
    survey = read_pumf(datasets.path("demo_cius_pumf"))
    census = extract(pei_profile(tmp_path), CENSUS_IDS)
    csds = census[census["GEO_LEVEL"] == "Census subdivision"]
    out = sae.area_indicators(survey, census, n_replicates=20)
    assert set(out["DGUID"]) <= set(csds["DGUID"]) and len(out) >= 0.8 * len(csds)  # areas with people 15+
    assert list(out.columns[1::2]) == ["pct_no_home_internet", "pct_never_online_gov", "pct_privacy_worries",
                                       "pct_low_digital_skills"]
    values = out[[c for c in out.columns if c.startswith("pct_") and not c.endswith("_se")]]
    assert ((values > 0) & (values < 100)).all().all()
    assert (out[[c for c in out.columns if c.endswith("_se")]] > 0).all().all()


def pei_da_profile(tmp_path):
    """The dissemination areas of the demo Census Profile (Prince Edward Island), as an official CSV."""
    with zipfile.ZipFile(datasets.path("demo_census_profile_2021")) as archive:
        member = next(n for n in archive.namelist() if n.endswith("_CSV_data.csv"))
        with archive.open(member) as fh:
            header, *rows = fh.readlines()
    path = tmp_path / "da_profile.csv"
    path.write_bytes(header + b"".join(r for r in rows if b',"Dissemination area",' in r))
    return path


def test_area_indicators_for_dissemination_areas_take_rurality_from_the_hierarchy(tmp_path):
    survey = read_pumf(datasets.path("demo_cius_pumf"))
    census = extract(pei_da_profile(tmp_path), CENSUS_IDS)
    with pytest.raises(PlaybookError, match="dissemination areas need their CMA/CA membership"):
        sae.area_indicators(survey, census, level="da")
    hierarchy = read_hierarchy()
    out = sae.area_indicators(survey, census, level="da", hierarchy=hierarchy, outcomes=["no_home_internet"],
                              n_replicates=20)
    assert len(out) > 200 and out["DGUID"].str.startswith("2021S051211").all()
    das = hierarchy[hierarchy["level"] == "Dissemination area"].set_index("DGUID")
    rural = das.loc[out["DGUID"], "cmauid"].isna().to_numpy()
    assert 0 < rural.sum() < len(out)
    # the model's rural effect is positive for no home Internet: rural DAs average higher
    assert out.loc[rural, "pct_no_home_internet"].mean() > out.loc[~rural, "pct_no_home_internet"].mean()
