"""Audit numbers by hand, uncertainty analysis (SALib Sobol) sanity, determinism, roll-up."""

import numpy as np
import pandas as pd
import pytest
import yaml

from playbook import cli
from playbook.errors import PlaybookError
from playbook.geo.hierarchy import rollup
from playbook.index import audit, build, uncertainty
from playbook.index.audit import cronbach_alpha, pca_shares
from playbook.index.cli import sobol_path
from playbook.index.uncertainty import design, uncertainty_loop
from tests.index.conftest import tiny_data, tiny_spec


def random_data(n=40, seed=1, missing=True):
    rng = np.random.default_rng(seed)
    data = pd.DataFrame({"id": [f"u{i:02d}" for i in range(n)], "x": rng.uniform(0, 10, n), "y": rng.uniform(0, 10, n),
                         "z": rng.gamma(2, 2, n), "pop": rng.integers(50, 500, n).astype(float),
                         "region": rng.choice(["a", "b", "c"], n)})
    if missing:
        data.loc[[3, 7], "x"] = np.nan
    return data


def test_cronbach_alpha_by_hand():
    # var(x1) = 1, var(x2) = 7/3, var(x1 + x2) = 19/3 -> alpha = 2 (1 - (10/3) / (19/3)) = 18/19
    assert cronbach_alpha(np.array([[1, 2], [2, 3], [3, 5]], dtype=float)) == pytest.approx(18 / 19)
    assert np.isnan(cronbach_alpha(np.array([[1.0], [2.0]])))


def test_pca_shares_by_hand():
    x = np.array([[1, 2, 1], [2, 4, -1], [3, 6, -1], [4, 8, 1]], dtype=float)  # r(x1,x2) = 1, x3 uncorrelated
    assert pca_shares(x) == pytest.approx([2 / 3, 1 / 3, 0], abs=1e-12)


def test_audit_tables():
    data = random_data()
    data["y"] = -data["x"] + np.random.default_rng(0).normal(0, 0.1, len(data))  # y (direction -1) follows x
    spec = tiny_spec()
    # "anti" is x reversed: the dimension follows x and y, so anti is negatively correlated with it
    spec["dimensions"][0]["indicators"].append({"id": "anti", "column": "x", "direction": -1})
    report = audit(spec, data)
    ind = report.indicators.set_index("indicator")
    assert ind.loc["x", "r_dimension"] > 0.9 and "collinear" in ind.loc["x", "flag"]
    assert ind.loc["anti", "flag"] == "negative" and ind.loc["anti", "r_dimension"] < 0
    dims = report.dimensions.set_index("dimension")
    x = build(spec, data).normalised[["x", "y", "anti"]].to_numpy()
    assert dims.loc["access", "cronbach_alpha"] == pytest.approx(cronbach_alpha(x))
    assert report.pca["variance_share"].sum() == pytest.approx(1)
    assert list(report.removal["indicator"]) == ["x", "y", "anti", "z"]
    assert (report.removal["mean_abs_rank_shift"] >= 0).all()
    assert set(report.tables()) == {"indicators", "dimensions", "correlations", "pca", "removal of each indicator"}


def test_removal_effect_matches_a_rebuild():
    data = random_data(missing=False)
    report = audit(tiny_spec(), data)
    nominal = build(tiny_spec(), data).scores["rank"].to_numpy(dtype=float)
    spec = tiny_spec()
    del spec["dimensions"][0]["indicators"][1]  # remove y
    ranks = build(spec, data).scores["rank"].to_numpy(dtype=float)
    row = report.removal.set_index("indicator").loc["y"]
    assert row["mean_abs_rank_shift"] == pytest.approx(np.abs(ranks - nominal).mean())
    assert row["max_abs_rank_shift"] == np.abs(ranks - nominal).max()


def test_vectorised_equals_run_by_run():
    data = random_data()
    u = uncertainty(tiny_spec(), data, draws=150, seed=5)
    loop = uncertainty_loop(tiny_spec(), data, draws=150, seed=5)
    pd.testing.assert_frame_equal(u.ranks, loop.ranks)
    pd.testing.assert_frame_equal(u.sobol, loop.sobol)


def test_uncertainty_outputs_and_sobol_sanity():
    data = random_data(missing=False)
    u = uncertainty(tiny_spec(), data, draws=800, seed=2)
    r = u.ranks
    assert list(r.columns) == ["id", "rank", "median_rank", "rank_p05", "rank_p95"]
    assert (r["rank_p05"] <= r["median_rank"]).all() and (r["median_rank"] <= r["rank_p95"]).all()
    assert r["rank_p05"].min() >= 1 and r["rank_p95"].max() <= len(data)
    s = u.sobol.set_index("factor")
    assert list(s.index) == ["normalise", "aggregate", "impute", "remove_indicator", "weights"]
    # no missing data: imputation on/off changes nothing, so both indices are exactly 0
    assert s.loc["impute", "S1"] == 0 and s.loc["impute", "ST"] == 0
    # total >= first order (within the bootstrap half-width); first-order indices sum to at most ~1
    assert (s["ST"] >= s["S1"] - s["S1_conf"] - s["ST_conf"]).all()
    assert s["S1"].sum() <= 1 + s["S1_conf"].sum()
    assert (s["ST"] >= -s["ST_conf"]).all()
    # removing one of three indicators moves ranks far more than the other choices
    assert s["ST"].idxmax() == "remove_indicator"
    assert len(u.runs) == 115 * (5 + 2)  # base ceil(800 / 7) and (u.runs["mean_abs_rank_shift"] >= 0).all()


def test_only_the_factor_that_matters_gets_the_variance():
    spec = tiny_spec(uncertainty={"normalise": ["minmax"], "aggregate": ["arithmetic"], "impute": ["none", "median"],
                                  "weights": 0.5, "remove_indicator": False})
    u = uncertainty(spec, random_data(missing=False), draws=600, seed=1)
    s = u.sobol.set_index("factor")
    assert list(s.index) == ["impute", "weights"]
    # weights explain everything: S1 = ST = 1 up to the estimator's error (95 % bootstrap half-width)
    assert s.loc["impute", "ST"] == 0
    assert abs(s.loc["weights", "S1"] - 1) <= 2 * s.loc["weights", "S1_conf"]
    assert abs(s.loc["weights", "ST"] - 1) <= 2 * s.loc["weights", "ST_conf"]


def test_same_seed_same_bytes_other_seed_differs(tmp_path):
    spec, data = tmp_path / "spec.yml", tmp_path / "data.csv"
    spec.write_text(yaml.safe_dump(tiny_spec()), encoding="utf-8")
    random_data().to_csv(data, index=False)
    outs = []
    for name, seed in (("a", 3), ("b", 3), ("c", 4)):
        out = tmp_path / f"{name}.csv"
        args = ["index", "uncertainty", "--spec", str(spec), "--data", str(data), "--draws", "70", "--seed", str(seed)]
        assert cli.main([*args, "--out", str(out)]) == 0
        outs.append((out.read_bytes(), sobol_path(out).read_bytes()))
    assert outs[0] == outs[1] and outs[0] != outs[2]
    assert sobol_path(tmp_path / "a.csv").name == "a.sobol.csv"
    header = outs[0][0].decode().splitlines()[0]
    assert header == "id,rank,median_rank,rank_p05,rank_p95"


def test_uncertainty_bad_settings():
    with pytest.raises(PlaybookError) as info:
        uncertainty(tiny_spec(uncertainty={"aggregate": ["mean"]}), tiny_data(), draws=10)
    assert info.value.field == "uncertainty.aggregate"
    with pytest.raises(PlaybookError, match="positive"):
        uncertainty(tiny_spec(uncertainty={"normalise": ["zscore"]}), tiny_data(), draws=10)


def test_design_size_and_removal():
    spec = build(tiny_spec(), tiny_data()).spec
    d = design(spec, (np.array([0.5, 0.5, 1.0]), np.array([1 / 3, 2 / 3])), 100, 0)
    assert len(d.sample) == 15 * 7  # base ceil(100 / 7) = 15, 5 groups + 2
    removed_z = d.removed == 2
    assert (d.w[removed_z, 2] == 0).all() and (d.v[removed_z, 1] == 0).all()


def test_rollup_population_weighted(spec, data):
    out = rollup(build(spec, data), "region").set_index("region")
    assert out.loc["a", "score"] == pytest.approx((0 * 100 + (25 + 200 / 9) * 300) / 400)
    assert out.loc["b", "score"] == pytest.approx(((25 + 400 / 9) * 200 + (50 / 3 + 200 / 3) * 400) / 600)
    assert out.loc["b", "population"] == 600 and out["rank"].tolist() == [2, 1]
    low = rollup(build(tiny_spec(min_coverage=0.9), data), "region").set_index("region")
    assert low.loc["b", "population_covered"] == pytest.approx(200 / 600)
    assert low.loc["b", "score"] == pytest.approx(25 + 400 / 9)
