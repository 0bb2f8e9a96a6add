"""The audit at every level of a deep hierarchy, and Cronbach's alpha with missing values."""

import numpy as np
import pandas as pd
import pytest
import yaml

from playbook import cli
from playbook.errors import PlaybookError
from playbook.index import audit, build
from playbook.index.audit import cronbach_alpha, pca_shares
from tests.index.conftest import tiny_spec
from tests.index.test_audit_uncertainty import random_data
from tests.index.test_depth import deep_spec

N = np.nan


def test_cronbach_pairwise_and_complete_by_hand():
    x = np.array([[1, 2], [2, N], [3, 5], [4, 4], [N, 6]], dtype=float)
    # pairwise: var(x1) on 1..4 = 5/3, var(x2) on 2, 5, 4, 6 = 35/12, cov on rows 0, 2, 3 = 11/6;
    # sum of the matrix 99/12, trace 55/12 -> alpha = 2 (1 - 55/99) = 8/9
    assert cronbach_alpha(x) == pytest.approx(8 / 9, abs=1e-12)
    assert cronbach_alpha(x, "pairwise") == pytest.approx(8 / 9, abs=1e-12)
    # complete units (rows 0, 2, 3): var 7/3 and 7/3, cov 11/6 -> alpha = 2 (1 - (14/3) / (25/3)) = 22/25
    assert cronbach_alpha(x, "complete") == pytest.approx(22 / 25, abs=1e-12)
    full = np.array([[1, 2], [2, 3], [3, 5]], dtype=float)  # no missing value: both agree
    assert cronbach_alpha(full, "pairwise") == pytest.approx(cronbach_alpha(full, "complete")) == pytest.approx(18 / 19)
    with pytest.raises(PlaybookError, match="Cronbach"):
        cronbach_alpha(x, "listwise")


def test_cronbach_pairwise_matches_coinr():
    # COINr's documented example: get_cronbach(coin, dset = "Raw", iCodes = "P2P", Level = 1) on its
    # ASEM data prints 0.05126659 (pairwise covariances); 17 of the 408 values are missing
    data = pd.read_csv("tests/fixtures/coinr/asem_iData.csv")
    p2p = ["StMob", "Research", "Pat", "CultServ", "CultGood", "Tourist", "MigStock", "Lang"]
    x = data[p2p].to_numpy(dtype=float)
    assert np.isnan(x).sum() == 17
    assert cronbach_alpha(x) == pytest.approx(0.05126659, abs=5e-9)
    assert abs(cronbach_alpha(x, "complete") - 0.05126659) > 1e-3  # the complete-unit value differs


def test_audit_option_cronbach():
    data = random_data()  # x has 2 missing values
    spec = tiny_spec()
    x = build(spec, data).normalised[["x", "y"]].to_numpy()
    pair = audit(spec, data).dimensions.set_index("dimension")
    comp = audit(spec, data, cronbach="complete").dimensions.set_index("dimension")
    assert pair.loc["access", "cronbach_alpha"] == pytest.approx(cronbach_alpha(x, "pairwise"))
    assert comp.loc["access", "cronbach_alpha"] == pytest.approx(cronbach_alpha(x, "complete"))
    assert pair.loc["access", "cronbach_alpha"] != comp.loc["access", "cronbach_alpha"]
    with pytest.raises(PlaybookError, match="Cronbach"):
        audit(spec, data, cronbach="listwise")


def deep_frame(n=40, seed=0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    latent = rng.normal(size=n)
    frame = pd.DataFrame({"id": [f"u{i:02d}" for i in range(n)],
                          **{c: np.clip(50 + 15 * (latent + rng.normal(size=n)), 1, 99) for c in "xyzu"}})
    frame.loc[[2, 5], "x"] = np.nan
    return frame


def test_three_level_audit_keeps_its_shape():
    report = audit(tiny_spec(), random_data())
    assert list(report.dimensions.columns) == ["dimension", "indicators", "cronbach_alpha", "pca_first_share", "r_index"]
    assert list(report.dimensions["dimension"]) == ["access", "skills", "(index)"]
    assert list(report.indicators.columns) == ["indicator", "dimension", "r_dimension", "r_index", "flag"]
    assert report.dimension_removal is None and "removal of each dimension" not in report.tables()


def test_audit_at_every_level():
    frame = deep_frame()
    result = build(deep_spec(), frame)
    report = audit(deep_spec(), frame)
    dims = report.dimensions.set_index("dimension")
    assert list(dims.index) == ["a1", "a2", "b1", "A", "B", "(index)"]
    assert dims["depth"].tolist() == [2, 2, 2, 3, 3, 4]
    assert dims["parent"].tolist() == ["A", "A", "B", "(index)", "(index)", ""]
    assert dims["children"].tolist() == [2, 1, 1, 2, 1, 2] and dims["indicators"].tolist() == [2, 1, 1, 3, 1, 4]
    # the lowest dimensions: their normalised indicators; above: the scores of their sub-dimensions
    x = result.normalised[["x", "y"]].to_numpy()
    assert dims.loc["a1", "cronbach_alpha"] == pytest.approx(cronbach_alpha(x))
    assert dims.loc["a1", "pca_first_share"] == pytest.approx(pca_shares(x)[0])
    sub = result.scores[["a1", "a2"]].to_numpy()
    assert dims.loc["A", "cronbach_alpha"] == pytest.approx(cronbach_alpha(sub))
    assert dims.loc["A", "pca_first_share"] == pytest.approx(pca_shares(sub)[0])
    assert dims.loc["(index)", "cronbach_alpha"] == pytest.approx(cronbach_alpha(result.scores[["A", "B"]].to_numpy()))
    assert np.isnan(dims.loc["a2", "cronbach_alpha"])  # one child: no alpha
    s = result.scores
    assert dims.loc["a1", "r_parent"] == pytest.approx(s["a1"].corr(s["A"]))
    assert dims.loc["A", "r_parent"] == pytest.approx(s["A"].corr(s["score"])) == pytest.approx(dims.loc["A", "r_index"])
    assert {"dim:a1", "dim:A", "dim:B", "index"} <= set(report.correlations.columns)
    ind = report.indicators.set_index("indicator")
    assert ind.loc["z", "dimension"] == "a2" and ind.loc["z", "r_dimension"] == pytest.approx(1)


def test_flags_of_aggregates():
    frame = deep_frame()
    rng = np.random.default_rng(3)
    frame["x"] = frame["y"] + rng.normal(0, 0.5, len(frame))  # a1 follows y,
    frame["z"] = frame["y"]  # and so does a2: collinear siblings
    frame["u"] = 100 - frame["y"]  # B runs against the index (2 A + B) / 3
    dims = audit(deep_spec(), frame).dimensions.set_index("dimension")
    assert dims.loc["a1", "flag"] == "collinear" and dims.loc["a2", "flag"] == "collinear"
    assert dims.loc["B", "flag"] == "negative" and dims.loc["B", "r_parent"] < 0
    assert dims.loc["A", "flag"] == "" and dims.loc["b1", "flag"] == ""


def _remove(spec: dict, name: str) -> dict:
    """The spec without the aggregate ``name`` (searched at every level)."""
    def prune(items):
        return [{**d, "dimensions": prune(d["dimensions"])} if "dimensions" in d else d
                for d in items if d["id"] != name]
    return {**spec, "dimensions": prune(spec["dimensions"])}


@pytest.mark.parametrize("name", ["a2", "a1", "A", "B"])
def test_dimension_removal_matches_a_rebuild(name):
    frame = deep_frame()
    nominal = build(deep_spec(), frame).scores["rank"].to_numpy(dtype=float)
    ranks = build(_remove(deep_spec(), name), frame).scores["rank"].to_numpy(dtype=float)
    row = audit(deep_spec(), frame).dimension_removal.set_index("dimension").loc[name]
    assert row["mean_abs_rank_shift"] == pytest.approx(np.abs(ranks - nominal).mean())
    assert row["max_abs_rank_shift"] == np.abs(ranks - nominal).max()


def test_removing_an_only_child_removes_its_parent():
    removal = audit(deep_spec(), deep_frame()).dimension_removal.set_index("dimension")
    assert removal.loc["b1"].drop("depth").tolist() == removal.loc["B"].drop("depth").tolist()
    assert removal["depth"].tolist() == [2, 2, 2, 3, 3]


def test_cli_audit_deep_and_cronbach_option(tmp_path, capsys):
    spec, data = tmp_path / "spec.yml", tmp_path / "data.csv"
    spec.write_text(yaml.safe_dump(deep_spec()), encoding="utf-8")
    deep_frame().to_csv(data, index=False)
    assert cli.main(["index", "audit", "--spec", str(spec), "--data", str(data), "--cronbach", "complete"]) == 0
    out = capsys.readouterr().out
    assert "== removal of each dimension ==" in out and "r_parent" in out
