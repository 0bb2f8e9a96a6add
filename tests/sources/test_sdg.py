"""playbook.sources.sdg: the real CIUS and CRTC provincial files, read as published."""

import math

import pytest

from playbook.errors import PlaybookError
from playbook.sources import sdg


def test_internet_use_by_age_real_values():
    table = sdg.internet_use_by_age()
    assert list(table.columns) == ["year", "geography", "pruid", "age_group", "value"]
    canada = table[(table["geography"] == "Canada") & (table["age_group"] == "Total, 15 years and over")]
    assert canada.set_index("year")["value"].to_dict() == {2018: 91.3, 2020: 92.3, 2022: 94.5}
    nl = table[(table["pruid"] == "10") & (table["year"] == 2018) & (table["age_group"] == "65 years and over")]
    assert nl["value"].tolist() == [64.7]
    assert set(table["pruid"].dropna()) == {"10", "11", "12", "13", "24", "35", "46", "47", "48", "59"}


def test_broadband_by_population_centre():
    table = sdg.broadband_50_10()
    rural = table[(table["year"] == 2021) & (table["population_centre"] == "Rural areas")].set_index("geography")
    assert rural.loc["Manitoba", "value"] == 38.8 and rural.loc["Canada", "value"] == 62.0
    assert math.isnan(rural.loc["Nunavut", "value"])  # empty in the source: missing, not zero
    national = table[(table["geography"] == "Canada") & (table["population_centre"] == "Total population centre")]
    assert national.set_index("year").loc[2016, "value"] == 84.3


def test_mobile_coverage_names_the_technology():
    table = sdg.mobile_coverage()
    assert table.loc[0].to_dict() == {"year": 2016, "technology": "Long-Term Evolution (LTE)", "value": 98.55}


def test_bad_value_names_row_and_field(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text('"Year","Geography","Value"\n"2018","",91.3\n"2020","",lots\n', encoding="utf-8")
    with pytest.raises(PlaybookError, match="'lots' is not a number") as err:
        sdg.read_sdg(path)
    assert (err.value.row, err.value.field, err.value.path) == (3, "Value", str(path))


def test_missing_column(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text('"Year","Geography"\n"2018",""\n', encoding="utf-8")
    with pytest.raises(PlaybookError, match=r"column\(s\) Value missing"):
        sdg.read_sdg(path)
