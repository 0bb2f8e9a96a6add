"""Every method against values computed by hand on tiny data."""

import numpy as np
import pandas as pd
import pytest

from playbook.index import aggregate, build
from playbook.index.impute import impute
from playbook.index.normalise import normalise
from playbook.index.spec import load_spec
from playbook.index.treat import log_ct, skew_kurtosis, treat
from playbook.index.weights import optimised_weights, pca_weights, resolve
from tests.index.conftest import tiny_data, tiny_spec

COL = np.array([[2.0], [4.0], [6.0], [10.0]])
UP, DOWN = np.array([1.0]), np.array([-1.0])


def norm(method, directions=UP, **block):
    return normalise(COL, directions, {"method": method, **block}, goalposts=np.array([[0.0, 8.0]]),
                     reference_row=1)[:, 0].tolist()


def test_minmax_and_range():
    assert norm("minmax", range=[0, 100]) == pytest.approx([0, 25, 50, 100])
    assert norm("minmax", range=[1, 100]) == pytest.approx([1, 25.75, 50.5, 100])
    assert norm("minmax", DOWN, range=[0, 100]) == pytest.approx([100, 75, 50, 0])


def test_zscore():
    sd = np.sqrt(35 / 3)
    assert norm("zscore") == pytest.approx([(v - 5.5) / sd for v in (2, 4, 6, 10)])
    assert norm("zscore", mean=100, sd=10) == pytest.approx([100 + 10 * (v - 5.5) / sd for v in (2, 4, 6, 10)])


def test_rank_and_percentile_with_ties():
    assert norm("rank") == [1, 2, 3, 4]
    assert norm("rank", DOWN) == [4, 3, 2, 1]
    tied = normalise(np.array([[1.0], [2.0], [2.0], [3.0]]), UP, {"method": "rank"})[:, 0].tolist()
    assert tied == [1, 2, 2, 4]
    assert norm("percentile", range=[0, 100]) == pytest.approx([0, 100 / 3, 200 / 3, 100])


def test_goalposts_clip_and_direction():
    assert norm("goalposts", range=[0, 100]) == pytest.approx([25, 50, 75, 100])
    assert norm("goalposts", DOWN, range=[0, 100]) == pytest.approx([75, 50, 25, 0])


def test_distance_to_reference():
    assert norm("distance_to_reference", type="ratio") == pytest.approx([50, 100, 150, 250])
    assert norm("distance_to_reference", DOWN, type="ratio") == pytest.approx([200, 100, 400 / 6, 40])
    assert norm("distance_to_reference", type="difference") == pytest.approx([-2, 0, 2, 6])


def test_missing_values_stay_missing_and_are_ignored():
    x = np.array([[0.0], [np.nan], [5.0], [10.0]])
    out = normalise(x, UP, {"method": "minmax", "range": [0, 100]})[:, 0]
    assert np.isnan(out[1]) and out[[0, 2, 3]].tolist() == pytest.approx([0, 50, 100])


def test_impute_methods():
    x = np.array([[1.0, np.nan], [np.nan, np.nan], [3.0, 2.0], [8.0, 4.0]])
    groups = np.array(["a", "a", "b", "b"])
    assert impute(x, "none")[1, 0] != impute(x, "none")[1, 0]  # still NaN
    assert impute(x, "mean")[1].tolist() == [4.0, 3.0]
    assert impute(x, "median")[1].tolist() == [3.0, 3.0]
    out = impute(x, "group_median", groups)
    # group a: x -> median of {1} = 1 ; the second column has no value in group a -> overall median 3
    assert out[1].tolist() == [1.0, 3.0] and out[0].tolist() == [1.0, 3.0]
    assert impute(x, "group_mean", groups)[1, 0] == 1.0


def test_impute_in_the_pipeline(data):
    s = build(tiny_spec(impute={"method": "mean"}), data).scores
    assert s.loc[3, "access"] == pytest.approx((50 + 50) / 2) and s.loc[3, "coverage"] == 1
    g = build(tiny_spec(impute={"method": "group_median", "by": "region"}), data)
    assert g.datasets["imputed"].loc[3, "x"] == 10.0  # region b has only u3 (x = 10)


def test_skew_and_kurtosis_match_pandas():
    x = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30, 100], dtype=float)
    s, k = skew_kurtosis(x[:, None])
    assert s[0] == pytest.approx(pd.Series(x).skew()) and k[0] == pytest.approx(pd.Series(x).kurt())


def test_winsorise_follows_coinr():
    x = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30, 100], dtype=float)
    ok = np.arange(1, 13, dtype=float)
    out, table = treat(np.column_stack([x, ok]), {"method": "winsorise", "winmax": 5, "skew": 2, "kurtosis": 3.5,
                                                  "fallback": "log"}, ["outliers", "fine"])
    # fails at first (skew 3.1, kurtosis 9.7); step 1: 100 -> 30, then skew 1.7 < 2: passes, stop
    assert pd.Series(x).skew() > 2 and pd.Series(x).kurt() > 3.5
    first = x.copy()
    first[-1] = 30
    assert pd.Series(first).skew() < 2
    assert out[:, 0].tolist() == first.tolist()
    assert table["action"].tolist() == ["winsorise", "none"] and table["points_winsorised"].tolist() == [1, 0]
    assert out[:, 1].tolist() == ok.tolist()


def test_winsorise_falls_back_to_log_and_log_method():
    x = np.array([0.0] * 20 + [1000.0] * 1 + [5000.0] * 1 + [9000.0] * 1)
    block = {"method": "winsorise", "winmax": 1, "skew": 2, "kurtosis": 3.5, "fallback": "log"}
    out, table = treat(x[:, None], block, ["a"])
    assert table["action"].tolist() == ["log"] and out[:, 0] == pytest.approx(log_ct(x[:, None])[:, 0])
    y = np.array([1.0, 2.0, 3.0, 100.0])
    assert log_ct(y[:, None])[:, 0] == pytest.approx(np.log([0.99, 1.99, 2.99, 99.99]))


def test_aggregation_methods_by_hand():
    x = np.array([[20.0, 80.0]])
    w = np.array([1.0, 3.0])
    got = {m: aggregate.combine(x[:, None, :], w, m)[0, 0] for m in ("arithmetic", "geometric", "harmonic", "minimum")}
    assert got["arithmetic"] == pytest.approx(65)
    assert got["geometric"] == pytest.approx(20**0.25 * 80**0.75)
    assert got["harmonic"] == pytest.approx(4 / (1 / 20 + 3 / 80))
    assert got["minimum"] == 20


def test_dimension_matrix_product_matches_combine():
    rng = np.random.default_rng(0)
    x = rng.uniform(1, 100, (6, 4))
    x[2, 1] = np.nan
    m = np.array([[1, 0], [1, 0], [0, 1], [0, 1]], dtype=float)
    w = rng.uniform(0.5, 2, (3, 4))
    for method in ("arithmetic", "geometric", "harmonic", "minimum"):
        dims, cov = aggregate.dimensions(x, w, m, method)
        for b in range(3):
            expected = aggregate.combine(x[:, None, :2], w[b, :2], method)[:, 0]
            assert dims[:, b, 0] == pytest.approx(expected)
    assert cov[2, :, 0] == pytest.approx(w[:, 0] / w[:, :2].sum(axis=1))


def test_copeland_outranking():
    x = np.array([[3.0, 1.0], [2.0, 2.0], [1.0, 3.0]])
    assert aggregate.copeland(x, np.array([1.0, 1.0])).tolist() == [0, 0, 0]
    assert aggregate.copeland(x, np.array([2.0, 1.0])).tolist() == [2, 0, -2]
    s = build(tiny_spec(aggregate="copeland"), tiny_data()).scores
    assert s["rank"].tolist() == [4, 3, 2, 1]


def test_ranks_and_quintiles():
    score = np.array([10.0, 30.0, 30.0, np.nan, 5.0, 50.0])
    r = aggregate.ranks(score)
    assert r[[0, 1, 2, 4, 5]].tolist() == [4, 2, 2, 5, 1] and np.isnan(r[3])
    ten = aggregate.quintiles(np.arange(1.0, 11.0))
    assert ten.tolist() == [5, 5, 4, 4, 3, 3, 2, 2, 1, 1]


def test_equal_pca_and_expert_weights(data):
    spec = load_spec(tiny_spec(weights="equal"))
    w, v = resolve(spec, np.ones((4, 3)))
    assert w.tolist() == [0.5, 0.5, 1.0] and v.tolist() == [0.5, 0.5]
    x = np.array([[1, 2, 1], [2, 4, -1], [3, 6, -1], [4, 8, 1]], dtype=float)
    assert pca_weights(x) == pytest.approx([0.5, 0.5, 0])
    w, v = resolve(load_spec(tiny_spec()), np.ones((4, 3)))
    assert w.tolist() == [0.5, 0.5, 1.0] and v == pytest.approx([1 / 3, 2 / 3])


def test_optimised_weights_balance_correlations():
    rng = np.random.default_rng(1)
    base = rng.normal(size=200)
    x = np.column_stack([base + rng.normal(size=200), 5 * (base + rng.normal(size=200)), base + rng.normal(size=200)])
    w = optimised_weights(x, np.ones(3))
    agg = x @ w
    r = np.array([np.corrcoef(x[:, k], agg)[0, 1] for k in range(3)])
    assert r / r.sum() == pytest.approx([1 / 3] * 3, abs=1e-3)
    equal = np.array([np.corrcoef(x[:, k], x.mean(axis=1))[0, 1] for k in range(3)])
    assert np.ptp(r) < np.ptp(equal)
    result = build(tiny_spec(weights="optimised"), tiny_data())
    assert result.weights["weight"].notna().all()


def test_coverage_boundary_is_inclusive(data):
    # the threshold applies at every level, to the share of children available (COINr's dat_thresh):
    # u4 has 1 of the 2 indicators of access (share 0.5) and both dimensions then (share 1)
    s = build(tiny_spec(min_coverage=0.5), data).scores
    assert s.loc[3, "access"] == 50  # only y present in access: weight renormalised to 1
    assert not np.isnan(s.loc[3, "score"]) and s.loc[3, "coverage"] == pytest.approx(5 / 6)
    s = build(tiny_spec(min_coverage=0.51), data).scores
    # access is missing (0.5 < 0.51), so the index has 1 of its 2 dimensions: missing too, although
    # 5/6 of the indicators' weight is present
    assert np.isnan(s.loc[3, "access"]) and np.isnan(s.loc[3, "score"])


def test_winsorise_several_points_including_ties():
    # 300 -> 200 (one point), then the two 200s -> 20 together (ties are winsorised at once)
    x = np.array(list(range(1, 21)) + [200, 300], dtype=float)
    block = {"method": "winsorise", "winmax": 5, "skew": 2, "kurtosis": 3.5, "fallback": "log"}
    out, table = treat(x[:, None], block, ["a"])
    step1 = x.copy()
    step1[-1] = 200
    assert pd.Series(step1).skew() >= 2 and pd.Series(step1).kurt() >= 3.5
    expected = np.array(list(range(1, 21)) + [20, 20], dtype=float)
    assert pd.Series(expected).skew() < 2
    # two points changed (the 300 and the 200): counted once each, not once per round (COINr's nwin)
    assert out[:, 0].tolist() == expected.tolist() and table["points_winsorised"].tolist() == [2]


def test_winsorise_stops_at_winmax_points_with_ties():
    # round 1: the three tied 500s -> 200 (3 points: winmax 2 is passed, the indicator still fails, so
    # COINr, and the engine, fall back to the log transform of the original values); with winmax 5,
    # round 2: the four 200s (three of them winsorised before) -> 30: 4 points in all, and it passes
    x = np.array(list(range(1, 31)) + [200, 500, 500, 500], dtype=float)
    block = {"method": "winsorise", "winmax": 2, "skew": 2, "kurtosis": 3.5, "fallback": "log"}
    out, table = treat(x[:, None], block, ["a"])
    assert table["action"].tolist() == ["log"] and out[:, 0] == pytest.approx(log_ct(x[:, None])[:, 0])
    out, table = treat(x[:, None], {**block, "winmax": 5}, ["a"])
    assert table["action"].tolist() == ["winsorise"] and table["points_winsorised"].tolist() == [4]
    assert out[-4:, 0].tolist() == [30.0] * 4


def test_constant_indicator():
    c = np.full((3, 1), 7.0)
    assert normalise(c, UP, {"method": "minmax", "range": [0, 100]})[:, 0].tolist() == [50, 50, 50]
    assert normalise(c, UP, {"method": "zscore"})[:, 0].tolist() == [0, 0, 0]
    assert normalise(c, UP, {"method": "rank"})[:, 0].tolist() == [1, 1, 1]
    assert normalise(c, UP, {"method": "percentile", "range": [0, 100]})[:, 0].tolist() == [0, 0, 0]


def test_a_constant_indicator_is_dropped_with_a_warning_as_coinr_does():
    data = tiny_data().assign(y=5.0)  # access: x varies, y is the same everywhere
    with pytest.warns(UserWarning, match="constant indicator.*y"):
        result = build(load_spec(tiny_spec()), data)
    assert np.isnan(result.normalised["y"]).all()
    without = tiny_spec()
    without["dimensions"][0]["indicators"] = without["dimensions"][0]["indicators"][:1]
    alone = build(load_spec(without), data.drop(columns="y"))
    pd.testing.assert_series_equal(result.scores["score"], alone.scores["score"])  # its weight went to x
    ranked = load_spec(tiny_spec(normalise={"method": "rank"}))
    assert not np.isnan(build(ranked, data).normalised["y"]).any()  # ranks stay defined
