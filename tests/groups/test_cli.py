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


def test_model_method_on_every_cycle_layout_has_no_traceback(tmp_path, capsys):
    """CIUS 2018 lacks immigration and disability: the model leaves them out and says so."""
    from playbook.demo.survey import write_standin_pumf

    profile = str(pei_profile(tmp_path))
    for cycle, inside in (("cius_2018", True), ("cius_2020", False), ("cius_2022", True)):
        pumf = write_standin_pumf(tmp_path / f"{cycle}.zip", cycle, bootstrap_inside=inside, seed=4, respondents=1500,
                                  replicates=10)
        out = tmp_path / f"{cycle}.csv"
        assert main(["groups", "estimate", "--survey", str(pumf), "--cycle", cycle, "--census", profile,
                     "--method", "model", "--out", str(out)]) == 0, capsys.readouterr().err
        table = pd.read_csv(out)
        outcomes = {"never_online_gov"} if cycle != "cius_2020" else {
            "no_home_internet", "never_online_gov", "privacy_worries", "low_digital_skills"}
        assert set(table["outcome"]) == outcomes and table["se"].gt(0).all()
        said = capsys.readouterr().out
        assert ("immigrant, disability not in cycle" in said) == (cycle != "cius_2020")


def test_indicators_writes_the_area_file_with_standard_errors(tmp_path, capsys):
    from playbook.demo.survey import write_standin_pumf

    pumf = write_standin_pumf(tmp_path / "s.zip", "cius_2020", bootstrap_inside=False, seed=2, respondents=1500,
                              replicates=10)
    out = tmp_path / "area.csv"
    args = ["groups", "indicators", "--survey", str(pumf), "--cycle", "cius_2020", "--census",
            str(pei_profile(tmp_path)), "--out", str(out)]
    assert main(args) == 0
    table = pd.read_csv(out)
    assert list(table.columns) == ["DGUID", "pct_no_home_internet", "pct_no_home_internet_se", "pct_never_online_gov",
                                   "pct_never_online_gov_se", "pct_privacy_worries", "pct_privacy_worries_se",
                                   "pct_low_digital_skills", "pct_low_digital_skills_se"]
    assert table["DGUID"].str.startswith("2021A000511").all() and table["DGUID"].is_unique
    assert "not measured by cycle cius_2020: pct_no_broadband_50_10" in capsys.readouterr().out
    da = ["groups", "indicators", "--survey", str(pumf), "--cycle", "cius_2020", "--census",
          str(datasets.path("demo_census_profile_2021")), "--level", "da", "--outcomes", "no_home_internet",
          "--out", str(tmp_path / "da.csv")]
    assert main(da) == 2 and "--geo-attributes FILE" in capsys.readouterr().err
    assert main([*da, "--geo-attributes", str(datasets.path("demo_geo_attributes_2021"))]) == 0
    table = pd.read_csv(tmp_path / "da.csv")
    assert list(table.columns) == ["DGUID", "pct_no_home_internet", "pct_no_home_internet_se"]
    assert len(table) > 200 and table["DGUID"].str.startswith("2021S0512").all()
