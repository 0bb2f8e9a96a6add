"""The build against hand-computed values on four units (see conftest: x up, y down, z)."""

import numpy as np
import pandas as pd
import pytest

from playbook.index import Pipeline, build, load_spec
from tests.index.conftest import tiny_data, tiny_spec


def test_minmax_arithmetic_by_hand(spec, data):
    r = build(spec, data)
    s = r.scores
    assert list(s.columns) == ["id", "access", "skills", "score", "rank", "quintile", "coverage"]
    # x -> 0, 50, 100, NaN ; y (direction -1) -> 0, 100, 50, 50 ; z -> 0, 33.3, 66.7, 100
    assert s["access"].tolist() == pytest.approx([0, 75, 75, 50])
    assert s["skills"].tolist() == pytest.approx([0, 100 / 3, 200 / 3, 100])
    # index = 1/3 access + 2/3 skills
    assert s["score"].tolist() == pytest.approx([0, 25 + 200 / 9, 25 + 400 / 9, 50 / 3 + 200 / 3])
    assert s["rank"].tolist() == [4, 3, 2, 1]
    assert s["quintile"].tolist() == [2, 3, 4, 5]
    # u4 misses x: weight 1/2 of access (1/3) is absent -> coverage 1 - 1/6
    assert s["coverage"].tolist() == pytest.approx([1, 1, 1, 5 / 6])


def test_normalised_and_recorded_choices(spec, data):
    r = build(spec, data)
    assert r.normalised["y"].tolist() == pytest.approx([0, 100, 50, 50])
    assert set(r.datasets) == {"raw", "imputed", "treated", "normalised", "dimensions"}
    assert r.choices["normalise"] == {"method": "minmax", "range": [0, 100]}
    assert r.weights.set_index("id")["weight"].to_dict() == pytest.approx({"x": .5, "y": .5, "z": 1, "access": 1 / 3,
                                                                           "skills": 2 / 3})


def test_missing_drops_out_and_min_coverage(data):
    # u4 has coverage 5/6; with min_coverage 0.9 it gets no score, no rank, no quintile
    r = build(tiny_spec(min_coverage=0.9), data)
    s = r.scores.set_index("id")
    assert np.isnan(s.loc["u4", "score"]) and pd.isna(s.loc["u4", "rank"]) and pd.isna(s.loc["u4", "quintile"])
    assert s.loc["u4", "coverage"] == pytest.approx(5 / 6)
    # its access dimension has coverage 1/2 < 0.9: no dimension score either
    assert np.isnan(s.loc["u4", "access"])
    assert s["rank"].dropna().tolist() == [3, 2, 1]


def test_weights_are_relative(data):
    scaled = tiny_spec()
    scaled["dimensions"][0]["weight"] = 10
    scaled["dimensions"][1]["weight"] = 20
    scaled["dimensions"][0]["indicators"][0]["weight"] = 7
    scaled["dimensions"][0]["indicators"][1]["weight"] = 7
    expected = build(tiny_spec(), data).scores["score"].tolist()
    assert build(scaled, data).scores["score"].tolist() == pytest.approx(expected)


def test_direction_reverses_the_scale(data):
    spec = tiny_spec()
    spec["dimensions"][1]["indicators"][0]["direction"] = -1
    assert build(spec, data).scores["skills"].tolist() == pytest.approx([100, 200 / 3, 100 / 3, 0])


def test_rescale_true_stretches_the_index(data):
    s = build(tiny_spec(rescale=True), data).scores
    assert s["score"].min() == pytest.approx(0) and s["score"].max() == pytest.approx(100)
    raw = build(tiny_spec(), data).scores["score"]
    assert s["score"].tolist() == pytest.approx(((raw - raw.min()) / (raw.max() - raw.min()) * 100).tolist())


def test_regenerate_changes_one_choice(spec, data):
    r = build(spec, data)
    g = r.regenerate(normalise={"method": "minmax", "range": [1, 100]}, aggregate="geometric")
    assert g.choices["aggregate"]["method"] == "geometric"
    # u2: access = sqrt(50.5 * 100), skills = 34, index = access^(1/3) skills^(2/3)
    access = np.sqrt(50.5 * 100)
    assert g.scores.loc[1, "access"] == pytest.approx(access)
    assert g.scores.loc[1, "score"] == pytest.approx(access ** (1 / 3) * 34 ** (2 / 3))
    pipe = Pipeline(spec, data)
    assert pipe.run().choices["aggregate"]["method"] == "arithmetic"
    assert pipe.regenerate(aggregate="minimum").choices["aggregate"]["method"] == "minimum"


def test_same_input_same_output(spec, data):
    a, b = build(spec, data).scores, build(load_spec(spec), data.copy()).scores
    pd.testing.assert_frame_equal(a, b)


def test_reads_csv_and_keeps_ids_as_text(tmp_path):
    path = tmp_path / "d.csv"
    data = tiny_data()
    data["id"] = ["001", "002", "003", "004"]
    data.to_csv(path, index=False)
    assert build(tiny_spec(), path).scores["id"].tolist() == ["001", "002", "003", "004"]
