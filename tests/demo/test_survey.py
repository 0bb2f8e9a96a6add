"""The synthetic CIUS-style PUMF: determinism, design and weights, reproduction of committed files."""

import numpy as np
import pandas as pd
import pytest

from playbook.demo import survey as gen
from playbook.sources import datasets
from playbook.sources.survey import read_pumf


def small_areas():
    rng = np.random.default_rng(0)
    n = 12
    areas = pd.DataFrame({
        "DGUID": [f"2021A0005{p}01{i:03d}" for p, i in zip(["35"] * 6 + ["24"] * 6, range(n), strict=True)],
        "pruid": ["35"] * 6 + ["24"] * 6,
        "pop15": rng.integers(200_000, 2_000_000, n).astype(float),
        "rural": [True, False] * 6,
    })
    for a, v in zip(["age_15-24", "age_25-44", "age_45-64", "age_65+"], [0.15, 0.3, 0.3, 0.25], strict=True):
        areas[f"{a}"] = v
    for m in gen.MARGINS:
        areas[m] = 0.1
    return areas


def test_sampling_and_weights_are_deterministic():
    areas = small_areas()
    runs = []
    for _ in range(2):
        rng = np.random.default_rng([7, 56])
        strata = gen._allocate(areas)
        people = gen._draw_people(rng, areas, strata)
        runs.append((people, *gen._weights(rng, people, strata)))
    pd.testing.assert_frame_equal(runs[0][0], runs[1][0])
    assert np.array_equal(runs[0][2], runs[1][2])


def test_weights_sum_to_the_population_and_replicates_average_to_it():
    areas = small_areas()
    rng = np.random.default_rng(1)
    strata = gen._allocate(areas)
    people = gen._draw_people(rng, areas, strata)
    weight, reps = gen._weights(rng, people, strata)
    assert weight.sum() == pytest.approx(areas["pop15"].sum(), rel=1e-3)
    assert reps.shape == (len(people), gen.N_REPLICATES)
    assert reps.sum(axis=0).mean() == pytest.approx(weight.sum(), rel=0.05)  # Rao-Wu: unbiased on average


def test_true_probabilities_are_consistent():
    x = np.zeros((3, len(gen.COVARIATES)), np.uint8)
    x[1, gen.COVARIATES.index("age_65+")] = 1
    probs = gen.true_probabilities(x, np.array([-3.0, -1.0, 0.0]), np.zeros((3, 5)))
    p0 = 1 - probs["internet_use"]
    assert np.allclose(p0, 1 / (1 + np.exp([3.0, 1.0, 0.0])))
    assert np.all(probs["never_online_gov"] >= p0) and np.all(probs["low_digital_skills"] >= p0)


def test_committed_pumf_reads_and_is_calibrated():
    survey = read_pumf(datasets.path("demo_cius_pumf"))
    assert len(survey.data) >= 20_000 and survey.data["province"].nunique() == 10
    assert 200 <= survey.replicates.shape[1] <= 500
    truth = pd.read_csv(datasets.path("demo_cius_truth_areas"), dtype={"pruid": str})
    canada = truth[truth["level"] == "Province"]
    use = np.average(canada["pct_internet_use"], weights=canada["pop15"])
    assert use == pytest.approx(92.3, abs=0.5)  # CIUS 2020, Canada 15+: 92.3%


@pytest.mark.slow
def test_generator_reproduces_the_committed_files(tmp_path):
    written = gen.generate(tmp_path, 2021)
    for path in written:
        name = {gen.PUMF_NAME: "demo_cius_pumf", gen.TRUTH_PERSONS: "demo_cius_truth_persons",
                gen.TRUTH_AREAS: "demo_cius_truth_areas"}[path.name]
        assert path.read_bytes() == datasets.path(name).read_bytes(), path.name


def test_true_internet_use_matches_cius_2020_by_province():
    """Calibrated by province x age; the province totals then follow within a point (the demo
    census's age structure differs a little from the survey's)."""
    truth = pd.read_csv(datasets.path("demo_cius_truth_areas"), dtype={"pruid": str})
    prov = truth[truth["level"] == "Province"].set_index("pruid")["pct_internet_use"]
    sdg = pd.read_csv(datasets.path("cius_sdg_17_8_1"), dtype=str)
    total = sdg[(sdg["Year"] == "2020") & (sdg["Age group"] == "Total, 15 years and over")]
    cius = total.set_index("GeoCode")["Value"].astype(float)
    assert len(prov) == 10
    assert (prov - cius.reindex(prov.index)).abs().max() < 1.0


def test_weighted_internet_use_by_province_and_age_is_near_cius():
    from playbook.sources.survey_estimates import estimate

    survey = read_pumf(datasets.path("demo_cius_pumf"))
    est = estimate(survey.data, "internet_use", survey.weight, survey.replicates, by=["province", "age_group"])
    targets = gen._targets().rename(columns={"pruid": "province", "age": "age_group"})
    merged = est.merge(targets, on=["province", "age_group"])
    assert len(merged) == 40
    assert (merged["estimate"] - merged["use_pct"]).abs().mean() < 2.0  # sampling error only


# --- stand-in PUMFs in the layouts of the real cycles --------------------------------------------

STANDIN_POPULATION = sum(pop for pop, _ in gen.STANDIN_PROVINCES.values())


@pytest.mark.parametrize("cycle", ["cius_2018", "cius_2020", "cius_2022"])
@pytest.mark.parametrize("inside", [True, False])
def test_standin_pumf_reads_in_its_cycle_layout(tmp_path, cycle, inside):
    import zipfile

    path = gen.write_standin_pumf(tmp_path / "standin.zip", cycle, bootstrap_inside=inside, seed=11,
                                  respondents=1200, replicates=12)
    form = gen.STANDIN_LAYOUTS[cycle]
    names = zipfile.ZipFile(path).namelist()
    survey = read_pumf(path, cycle=cycle)
    assert survey.files["data"] == f"{path}:{form['data']}"
    assert survey.files["replicates"] == f"{path}:{form['data' if inside else 'bootstrap']}"
    if not inside:  # the bootstrap file sorts first: a reader taking the first CSV would misread the zip
        assert form["bootstrap"] in names and sorted(n for n in names if n.endswith(".csv"))[0] == form["bootstrap"]
    assert survey.replicates.shape == (len(survey.data), 12) and len(survey.data) >= 1200
    assert survey.weight.sum() == pytest.approx(STANDIN_POPULATION, rel=1e-6)  # implied decimals read right
    assert survey.replicates.sum(axis=0).mean() == pytest.approx(STANDIN_POPULATION, rel=0.05)
    assert survey.data["province"].nunique() == 10 and survey.data["age_group"].nunique() == 4
    assert 0.2 < np.average(survey.data["never_online_gov"], weights=survey.weight) < 0.8


def test_standin_is_reproducible_and_unlike_the_demo(tmp_path):
    a = gen.write_standin_pumf(tmp_path / "a.zip", "cius_2020", bootstrap_inside=True, seed=5, respondents=800)
    b = gen.write_standin_pumf(tmp_path / "b.zip", "cius_2020", bootstrap_inside=True, seed=5, respondents=800)
    c = gen.write_standin_pumf(tmp_path / "c.zip", "cius_2020", bootstrap_inside=True, seed=6, respondents=800)
    assert a.read_bytes() == b.read_bytes() != c.read_bytes()
    standin = read_pumf(a, cycle="cius_2020")
    demo = read_pumf(datasets.path("demo_cius_pumf"))
    rates = [np.nanmean(s.data["low_digital_skills"]) for s in (standin, demo)]
    assert abs(rates[0] - rates[1]) > 0.05  # other coefficients: a value only the stand-in has
    assert set(standin.data.columns) == set(demo.data.columns)


def test_standin_unknown_cycle(tmp_path):
    from playbook.errors import PlaybookError

    with pytest.raises(PlaybookError, match="no stand-in layout for cycle 'cius_1999'"):
        gen.write_standin_pumf(tmp_path / "x.zip", "cius_1999", bootstrap_inside=True, seed=1)
