"""The measurement-error factor of the uncertainty analysis: standard errors (``COL_se``) of the data."""

import numpy as np
import pandas as pd
import pytest

from playbook.errors import PlaybookError
from playbook.index import build, load_spec, uncertainty
from playbook.index.uncertainty import measurement_replicate, standard_errors, uncertainty_loop
from tests.index.conftest import tiny_spec

ONLY_MEASUREMENT = {"normalise": ["minmax"], "aggregate": ["arithmetic"], "impute": ["none"], "weights": 0.0,
                    "remove_indicator": False}


def estimates(n: int = 60, se: float = 2.0, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"id": [f"u{i}" for i in range(n)], "x": rng.uniform(0, 100, n), "y": rng.uniform(0, 100, n),
                          "z": rng.uniform(1, 9, n), "pop": rng.integers(100, 1000, n).astype(float)})
    frame["x_se"] = se
    frame.loc[::7, "x_se"] = np.nan  # an area whose estimate has no standard error keeps its value
    return frame


def test_no_standard_errors_no_factor():
    data = estimates().drop(columns="x_se")
    assert standard_errors(load_spec(tiny_spec()), data) is None
    s = uncertainty(tiny_spec(), data, draws=100, seed=1).sobol
    assert "measurement" not in set(s["factor"])


def test_replicates_are_seeded_bounded_and_touch_only_what_has_an_error():
    spec, data = load_spec(tiny_spec()), estimates(se=30.0)
    se = standard_errors(spec, data)
    assert se.shape == (60, 3) and (se[:, 1:] == 0).all() and (se[::7, 0] == 0).all()
    one = measurement_replicate(spec, data, se, 1, seed=4)
    assert one is not data and measurement_replicate(spec, data, se, 0, seed=4) is data
    pd.testing.assert_frame_equal(one, measurement_replicate(spec, data, se, 1, seed=4))
    assert not one["x"].equals(measurement_replicate(spec, data, se, 2, seed=4)["x"])
    assert not one["x"].equals(measurement_replicate(spec, data, se, 1, seed=5)["x"])
    assert one["x"].between(0, 100).all()  # a percentage stays a percentage, even with a large error
    pd.testing.assert_series_equal(one["y"], data["y"]) and pd.testing.assert_series_equal(one["z"], data["z"])
    assert (one["x"][::7] == data["x"][::7]).all()
    moved = (one["x"] - data["x"]).abs()
    assert moved[data["x_se"].notna()].gt(0).mean() > 0.5


def test_vectorised_equals_run_by_run_with_measurement_error():
    data = estimates()
    u = uncertainty(tiny_spec(), data, draws=150, seed=5)
    loop = uncertainty_loop(tiny_spec(), data, draws=150, seed=5)
    pd.testing.assert_frame_equal(u.ranks, loop.ranks)
    pd.testing.assert_frame_equal(u.sobol, loop.sobol)
    assert "measurement" in set(u.sobol["factor"]) and set(u.runs["measurement"]) == set(range(11))


def test_larger_errors_widen_the_intervals_and_take_the_variance():
    spec = tiny_spec(uncertainty=ONLY_MEASUREMENT)
    width = {}
    for se in (2.0, 20.0):
        u = uncertainty(spec, estimates(se=se), draws=300, seed=2)
        assert list(u.sobol["factor"]) == ["measurement"]
        width[se] = (u.ranks["rank_p95"] - u.ranks["rank_p05"]).mean()
        nominal = build(spec, estimates(se=se)).scores["rank"].to_numpy(float)
        np.testing.assert_array_equal(u.ranks["rank"].to_numpy(float), nominal)
    assert width[20.0] > 2 * width[2.0] > 0


def test_measurement_off_and_bad_settings():
    off = uncertainty(tiny_spec(uncertainty={"measurement": False}), estimates(), draws=100, seed=1)
    assert "measurement" not in set(off.sobol["factor"])
    zero = uncertainty(tiny_spec(uncertainty={"measurement": {"replicates": 0}}), estimates(), draws=100, seed=1)
    pd.testing.assert_frame_equal(off.ranks, zero.ranks)
    for bad in ({"replicates": -1}, {"replicates": "ten"}, {"draws": 3}, "yes"):
        with pytest.raises(PlaybookError) as info:
            uncertainty(tiny_spec(uncertainty={"measurement": bad}), estimates(), draws=10)
        assert info.value.field == "uncertainty.measurement"
