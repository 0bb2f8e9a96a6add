"""A four-level hierarchy (indicators -> sub-pillars -> pillars -> index) against hand computations."""

import numpy as np
import pandas as pd
import pytest

from playbook.index import build, load_spec
from playbook.index.uncertainty import uncertainty

GP = [0, 100]


def deep_spec(**changes) -> dict:
    spec = {"id": "deep", "unit_id": "id", "normalise": {"method": "goalposts", "range": [0, 100]},
            "min_coverage": 0.5, "dimensions": [
                {"id": "A", "weight": 2, "dimensions": [
                    {"id": "a1", "indicators": [{"id": "x", "goalposts": GP}, {"id": "y", "weight": 3, "goalposts": GP}]},
                    {"id": "a2", "indicators": [{"id": "z", "goalposts": GP}]}]},
                {"id": "B", "weight": 1, "dimensions": [{"id": "b1", "indicators": [{"id": "u", "goalposts": GP}]}]}]}
    spec.update(changes)
    return spec


def deep_data() -> pd.DataFrame:
    return pd.DataFrame({"id": ["p", "q", "r"], "x": [10.0, np.nan, 30.0], "y": [50.0, 20.0, 60.0],
                         "z": [40.0, 80.0, 10.0], "u": [70.0, np.nan, 20.0]})


def test_spec_levels():
    spec = load_spec(deep_spec())
    assert spec.depth == 4 and spec.dimension_ids == ["a1", "a2", "b1"] and spec.node_ids == ["a1", "a2", "b1", "A", "B"]
    assert spec.parents == ["A", "A", "B", None, None]
    assert spec.dimension_weights() == pytest.approx([0.5, 0.5, 1, 2 / 3, 1 / 3])  # normalised within the parent


def test_four_levels_by_hand():
    s = build(deep_spec(), deep_data()).scores.set_index("id")
    assert list(s.columns) == ["a1", "a2", "b1", "A", "B", "score", "rank", "quintile", "coverage"]
    # p: a1 = (10 + 3 * 50) / 4 = 40, a2 = 40, A = 40, B = b1 = 70, index = (2 * 40 + 70) / 3 = 50
    assert s.loc["p", ["a1", "a2", "b1", "A", "B", "score"]].tolist() == pytest.approx([40, 40, 70, 40, 70, 50])
    # q: a1 = 20 (y only), a2 = 80, A = 50; B has none of its 1 child: missing; the index has 1 of its
    # 2 children (0.5 >= min_coverage): 50; coverage = weight of y and z in the index = 1/4 + 1/3
    assert s.loc["q", ["a1", "a2", "A", "score"]].tolist() == pytest.approx([20, 80, 50, 50])
    assert np.isnan(s.loc["q", "B"]) and s.loc["q", "coverage"] == pytest.approx(7 / 12)
    # r: a1 = (30 + 180) / 4 = 52.5, a2 = 10, A = 31.25, B = 20, index = (62.5 + 20) / 3 = 27.5
    assert s.loc["r", "score"] == pytest.approx(27.5)
    strict = build(deep_spec(min_coverage=0.6), deep_data()).scores.set_index("id")
    # at 0.6, a1 (1 of 2) is missing, so A (1 of 2), so the index; a2 (1 of 1) stays
    assert strict.loc["q", ["a1", "A", "score"]].isna().all() and strict.loc["q", "a2"] == 80


def test_geometric_and_weights_table():
    r = build(deep_spec(aggregate="geometric"), deep_data())
    a1 = np.exp((np.log(10) + 3 * np.log(50)) / 4)
    big_a = np.sqrt(a1 * 40)
    assert r.scores.loc[0, "score"] == pytest.approx(np.exp((2 * np.log(big_a) + np.log(70)) / 3))
    w = r.weights.set_index("id")
    assert w.loc["a1", "dimension"] == "A" and w.loc["A", "dimension"] == "A" and w.loc["A", "weight"] == pytest.approx(2 / 3)


def test_uncertainty_with_depth_is_vectorised_and_runs():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"id": [f"u{i}" for i in range(30)], **{c: rng.uniform(1, 99, 30) for c in "xyzu"}})
    out = uncertainty(deep_spec(), frame, draws=40, seed=1)
    assert len(out.ranks) == 30 and out.ranks["median_rank"].notna().all()


def test_three_level_specs_unchanged():
    spec = load_spec("specs/evi.yml")
    assert spec.depth == 3 and spec.node_ids == spec.dimension_ids and not spec.tree
