"""``python -m playbook groups estimate``: the CLI contract and its bad-input behaviour."""

import pandas as pd

from playbook.cli import main
from playbook.sources import datasets
from tests.groups.census_files import pei_profile


def test_estimate_writes_every_level(tmp_path):
    out = tmp_path / "est.csv"
    args = ["groups", "estimate", "--survey", str(datasets.path("demo_cius_pumf")), "--census",
            str(pei_profile(tmp_path)), "--method", "synthetic", "--out", str(out), "--outcomes", "no_home_internet"]
    assert main(args) == 0
    table = pd.read_csv(out, dtype={"pruid": str})
    assert list(table.columns) == ["DGUID", "level", "pruid", "pop15", "method", "outcome", "estimate", "se",
                                   "lower", "upper"]
    assert set(table["level"]) == {"Census subdivision", "Census division", "Province"}
    assert (table["lower"] <= table["estimate"]).all() and (table["estimate"] <= table["upper"]).all()


def test_model_method_with_fewer_replicates(tmp_path):
    out = tmp_path / "model.csv"
    args = ["groups", "estimate", "--survey", str(datasets.path("demo_cius_pumf")), "--census",
            str(pei_profile(tmp_path)), "--method", "model", "--replicates", "20", "--out", str(out)]
    assert main(args) == 0
    table = pd.read_csv(out)
    assert set(table["method"]) == {"model"} and table["outcome"].nunique() == 4


def test_bad_survey_exits_2_and_writes_nothing(tmp_path, capsys):
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"not a zip")
    out = tmp_path / "est.csv"
    code = main(["groups", "estimate", "--survey", str(bad), "--census", str(pei_profile(tmp_path)),
                 "--method", "model", "--out", str(out)])
    assert code == 2
    assert "bad.zip: cannot open the zip" in capsys.readouterr().err
    assert not out.exists() and list(tmp_path.glob("*.part")) == []
