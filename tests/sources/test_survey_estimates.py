"""Weighted estimates, bootstrap intervals, CV flags and suppression on small hand-checked data."""

import numpy as np
import pandas as pd
import pytest

from playbook.errors import PlaybookError
from playbook.sources.survey_estimates import estimate, quality_flags

DATA = pd.DataFrame({"group": ["a", "a", "b", "b", "b"], "y": [1.0, 0.0, 1.0, 1.0, np.nan]})
WEIGHT = np.array([1.0, 3.0, 2.0, 2.0, 5.0])
# two replicates: a -> 2/4 = 50% and 0/4 = 0%; b -> 100% both times
REPLICATES = np.array([[2.0, 0.0], [2.0, 4.0], [1.0, 3.0], [3.0, 1.0], [5.0, 5.0]])
LOOSE = {"min_respondents": 1}


def test_weighted_percentage_and_bootstrap_se():
    out = estimate(DATA, "y", WEIGHT, REPLICATES, by=["group"], quality=LOOSE).set_index("group")
    assert out.loc["a", "estimate"] is np.nan or np.isnan(out.loc["a", "estimate"])  # cv 100% -> F, not released
    assert out.loc["a", "flag"] == "F"
    b = out.loc["b"]
    assert b["estimate"] == pytest.approx(100.0) and b["se"] == pytest.approx(0.0)
    assert b["n"] == 2 and b["population"] == pytest.approx(4.0)  # the NaN answer is not counted


def test_interval_is_estimate_plus_minus_z_se():
    data = pd.DataFrame({"y": [1.0, 0.0, 0.0, 0.0]})
    weight = np.ones(4)
    reps = np.array([[2, 0, 1, 1], [0, 1, 2, 1]], dtype=float).T  # 50% and 0% vs 25%
    out = estimate(data, "y", weight, reps, quality={"min_respondents": 1, "cv_unacceptable": 1000,
                                                     "cv_marginal": 1000}).iloc[0]
    assert out["estimate"] == pytest.approx(25.0)
    assert out["se"] == pytest.approx(25.0)
    assert out["cv"] == pytest.approx(100.0)
    assert out["lower"] == 0.0  # clipped
    assert out["upper"] == pytest.approx(25 + 1.959964 * 25)


def test_quality_flags_follow_the_cut_offs():
    flags = quality_flags([5.0, 16.5, 16.6, 33.3, 33.4, np.nan, 5.0], [100, 100, 100, 100, 100, 100, 29])
    assert list(flags) == ["", "", "E", "E", "F", "", "x"]


def test_suppression_below_min_respondents():
    out = estimate(DATA, "y", WEIGHT, REPLICATES, by=["group"], quality={"min_respondents": 3})
    assert list(out["flag"]) == ["x", "x"]
    assert out["estimate"].isna().all() and not out["released"].any()
    assert list(out["n"]) == [2, 2]  # counts stay visible


def test_default_threshold_is_30():
    data = pd.DataFrame({"y": [1.0, 0.0] * 15})
    out = estimate(data, "y", np.ones(30), np.ones((30, 3)))
    assert out["flag"].iloc[0] == "" and out["estimate"].iloc[0] == pytest.approx(50.0)
    out = estimate(data.iloc[:29], "y", np.ones(29), np.ones((29, 3)))
    assert out["flag"].iloc[0] == "x"


def test_without_replicates_no_interval():
    out = estimate(DATA, "y", WEIGHT, by=["group"], quality=LOOSE).set_index("group")
    assert out.loc["a", "estimate"] == pytest.approx(25.0)
    assert np.isnan(out.loc["a", "se"])


def test_unknown_outcome_is_a_clear_error():
    with pytest.raises(PlaybookError, match="no outcome 'z'"):
        estimate(DATA, "z", WEIGHT)


def test_a_group_nobody_answered_is_suppressed_quietly():
    import warnings

    data = pd.DataFrame({"group": ["a", "a", "b"], "y": [1.0, 0.0, np.nan]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "mean of empty slice" for group b
        out = estimate(data, "y", np.ones(3), np.ones((3, 2)), by=["group"], quality=LOOSE).set_index("group")
    assert out.loc["b", "n"] == 0 and out.loc["b", "flag"] == "x" and not out.loc["b", "released"]
    assert out.loc["a", "estimate"] == pytest.approx(50.0)
