"""The vectorised engine agrees with the plain pandas reference pipeline, method by method."""

import pandas as pd
import pytest

from playbook.index import build, load_spec
from playbook.index.uncertainty import uncertainty, uncertainty_loop
from tests.index.conftest import tiny_data, tiny_spec
from tests.index.reference import build_pandas
from tests.index.test_audit_uncertainty import random_data

CHANGES = [
    {},
    {"aggregate": "minimum"},
    {"normalise": {"method": "percentile", "range": [1, 100]}, "aggregate": "geometric"},
    {"normalise": {"method": "rank"}, "aggregate": "harmonic"},
    {"normalise": {"method": "zscore", "mean": 50, "sd": 10}},
    {"normalise": {"method": "goalposts", "goalposts": [0, 8]}},
    {"normalise": {"method": "distance_to_reference", "reference": "u02", "type": "difference"}},
    {"impute": {"method": "group_median", "by": "region"}},
    {"impute": {"method": "mean"}, "weights": "equal"},
    {"weights": "pca"},
    {"min_coverage": 0.9},
]


@pytest.mark.parametrize("change", CHANGES)
def test_engine_equals_pandas_reference(change):
    data = random_data()
    spec = load_spec(tiny_spec(**change))
    engine = build(spec, data).scores
    reference = build_pandas(spec, data)
    pd.testing.assert_frame_equal(engine, reference, check_dtype=False, atol=1e-9)


def test_tiny_data_too():
    spec = load_spec(tiny_spec())
    pd.testing.assert_frame_equal(build(spec, tiny_data()).scores, build_pandas(spec, tiny_data()),
                                  check_dtype=False)


def test_uncertainty_equals_the_pandas_loop():
    data = random_data(n=25)
    vec = uncertainty(tiny_spec(), data, draws=60, seed=9)
    loop = uncertainty_loop(tiny_spec(), data, draws=60, seed=9, builder=build_pandas)
    pd.testing.assert_frame_equal(vec.ranks, loop.ranks)
    pd.testing.assert_frame_equal(vec.sobol, loop.sobol)
