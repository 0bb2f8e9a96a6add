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
