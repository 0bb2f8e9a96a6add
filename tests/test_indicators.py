"""playbook.indicators: rates from numerators and denominators, as declared in the spec (each indicator's ``source``)."""

import copy
import math

import numpy as np
import pandas as pd
import pytest
import yaml

from playbook import indicators
from playbook.errors import PlaybookError

SPEC = {
    "id": "t",
    "unit_id": "DGUID",
    "dimensions": [
        {
            "id": "access",
            "indicators": [
                {
                    "id": "low_income",
                    "column": "low_income",
                    "direction": 1,
                    "weight": 1,
                    "source": {"census": {"numerator": [340], "denominator": 335}},
                },
                {
                    "id": "remoteness",
                    "column": "remoteness",
                    "direction": -1,
                    "weight": 1,
                    "source": {"census_value": 6},
                },
            ],
        },
        {
            "id": "comfort",
            "indicators": [
                {
                    "id": "seniors_75_plus",
                    "column": "seniors_75_plus",
                    "direction": 1,
                    "weight": 0.5,
                    "source": {"census": {"numerator": [27, 28, 29], "denominator": 8}},
                },
                {
                    "id": "no_home_internet",
                    "column": "no_home_internet",
                    "direction": 1,
                    "weight": 1,
                    "source": {"area_file": "pct_no_home_internet"},
                },
            ],
        },
    ],
}


def extract() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "DGUID": ["A", "B", "C", "D"],
            "GEO_LEVEL": ["Census subdivision"] * 4,
            "c6": [10.0, 0.5, np.nan, 3.0],
            "c8": [200.0, 1000.0, 50.0, 0.0],
            "c27": [10.0, 20.0, np.nan, 0.0],
            "c28": [6.0, 20.0, 5.0, 0.0],
            "c29": [4.0, 10.0, 5.0, 0.0],
            "c335": [400.0, 0.0, 80.0, np.nan],
            "c340": [50.0, 0.0, 20.0, 5.0],
        }
    )


def test_rates_in_percent_with_nan_where_denominator_or_numerator_missing():
    area = pd.DataFrame({"DGUID": ["B", "A"], "pct_no_home_internet": [7.5, 2.0]})
    out = indicators.compute(extract(), SPEC, area=area)
    assert list(out.columns) == ["DGUID", "low_income", "remoteness", "seniors_75_plus", "no_home_internet"]
    # A: 50/400 = 12.5 %; B: denominator 0 -> NaN; C: 20/80 = 25 %; D: denominator suppressed -> NaN
    assert out["low_income"].tolist()[0] == 12.5 and out["low_income"].tolist()[2] == 25.0
    assert math.isnan(out["low_income"][1]) and math.isnan(out["low_income"][3])
    # 75+: A (10+6+4)/200 = 10 %; B 50/1000 = 5 %; C one numerator suppressed -> NaN; D denominator 0 -> NaN
    assert out["seniors_75_plus"][0] == 10.0 and out["seniors_75_plus"][1] == 5.0
    assert out["seniors_75_plus"][2:].isna().all()
    # census_value passes through; area file merged on the unit id, absent units NaN
    assert out["remoteness"].tolist()[:2] == [10.0, 0.5] and math.isnan(out["remoteness"][2])
    assert out["no_home_internet"].tolist()[:2] == [2.0, 7.5] and out["no_home_internet"][2:].isna().all()


def test_area_columns_may_already_be_in_the_extract():
    data = extract().assign(pct_no_home_internet=[1.0, 2.0, 3.0, 4.0])
    out = indicators.compute(data, SPEC)
    assert out["no_home_internet"].tolist() == [1.0, 2.0, 3.0, 4.0]


def test_ids_and_area_columns_needed():
    assert indicators.census_ids(SPEC) == [1, 6, 8, 27, 28, 29, 335, 340]
    assert indicators.census_ids(SPEC, population=False)[0] == 6
    assert indicators.area_columns(SPEC) == ["pct_no_home_internet"]


def test_missing_column_names_it():
    with pytest.raises(PlaybookError, match="'c340' needed by indicator 'low_income'"):
        area = pd.DataFrame({"DGUID": [], "pct_no_home_internet": []})
        indicators.compute(extract().drop(columns="c340"), SPEC, area=area)


def test_missing_area_column_names_it():
    with pytest.raises(PlaybookError, match="pct_no_home_internet"):
        indicators.compute(extract(), SPEC)


def test_duplicate_units_are_refused():
    data = pd.concat([extract(), extract().iloc[[0]]])
    with pytest.raises(PlaybookError, match="unit 'A' appears more than once") as err:
        indicators.compute(data, SPEC)
    assert err.value.field == "DGUID"


@pytest.mark.parametrize(
    "source, expected",
    [
        ({"census": {"numerator": [340]}}, "numerator: \\[ids\\], denominator: id"),
        ({"survey": "x"}, "one key among census, census_value, area_file"),
        ({"census_value": "six"}, "a CHARACTERISTIC_ID"),
        ({"census": {"numerator": ["340"], "denominator": 335}}, "CHARACTERISTIC_IDs"),
    ],
)
def test_bad_sources_name_the_indicator(source, expected):
    spec = {"unit_id": "DGUID", "dimensions": [{"id": "a", "indicators": [{"id": "bad", "source": source}]}]}
    with pytest.raises(PlaybookError, match=expected) as err:
        indicators.indicator_table(spec)
    assert "dimensions[0].indicators[0] (bad).source" in err.value.field


def test_unreadable_spec_names_the_file(tmp_path):
    path = tmp_path / "spec.yml"
    path.write_text("id: x\n", encoding="utf-8")
    with pytest.raises(PlaybookError, match="no 'dimensions' list") as err:
        indicators.read_spec(path)
    assert err.value.path == str(path)


def test_rate_helper():
    num = pd.DataFrame({"a": [1.0, np.nan, 3.0], "b": [1.0, 1.0, 1.0]})
    den = pd.Series([4.0, 4.0, 0.0])
    out = indicators.rate(num, den)
    assert out[0] == 50.0 and out[1:].isna().all()


@pytest.mark.parametrize(
    ("change", "field", "hint"),
    [
        (lambda s: s.update(dimensionz=[]), "dimensionz", "dimensions"),
        (lambda s: s["dimensions"][0].update(wieght=2), "dimensions[access].wieght", "weight"),
        (lambda s: s["dimensions"][1]["indicators"][0].update(sorce={"census_value": 6}),
         "dimensions[comfort].indicators[0].sorce", "source"),
        (lambda s: s["dimensions"][0]["indicators"][1].update(synthtic=True),
         "dimensions[access].indicators[1].synthtic", "synthetic"),
    ],
)
def test_misspelt_keys_are_refused_at_every_level(change, field, hint, tmp_path):
    spec = copy.deepcopy(SPEC)
    change(spec)
    with pytest.raises(PlaybookError, match=f"did you mean '{hint}'") as err:
        indicators.read_spec(spec)
    assert err.value.field == field
    path = tmp_path / "spec.yml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    with pytest.raises(PlaybookError) as err:
        indicators.census_ids(path)
    assert err.value.path == str(path) and err.value.field == field


def test_a_misspelt_census_source_key_gets_a_suggestion():
    spec = copy.deepcopy(SPEC)
    spec["dimensions"][0]["indicators"][0]["source"] = {"census": {"numerator": [340], "denominater": 335}}
    with pytest.raises(PlaybookError, match="unknown key 'denominater'; did you mean 'denominator'") as err:
        indicators.indicator_table(spec)
    assert err.value.field.endswith("source.census.denominater")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ({"census_value": True}, "a CHARACTERISTIC_ID"),
        ({"census_value": -6}, "a CHARACTERISTIC_ID"),
        ({"census": {"numerator": [340], "denominator": 0}}, "CHARACTERISTIC_IDs"),
        ({"area_file": ""}, "a column name"),
        ("census", "one key among"),
    ],
)
def test_more_bad_sources(source, expected):
    spec = {"unit_id": "DGUID", "dimensions": [{"id": "a", "indicators": [{"id": "bad", "source": source}]}]}
    with pytest.raises(PlaybookError, match=expected):
        indicators.indicator_table(spec)


@pytest.mark.parametrize(
    ("content", "says"),
    [("dimensions: [\n", "invalid YAML"), ("dimensions: access\n", "not a list"), ("- 1\n", "no 'dimensions' list")],
)
def test_bad_yaml_is_one_error(tmp_path, content, says):
    path = tmp_path / "spec.yml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(PlaybookError, match=says) as err:
        indicators.read_spec(path)
    assert err.value.path == str(path) and "\n" not in str(err.value)


def test_indicators_of_nested_dimensions_are_all_listed():
    spec = copy.deepcopy(SPEC)
    spec["dimensions"] = [{"id": "top", "dimensions": spec["dimensions"]}]
    table = indicators.indicator_table(spec)
    assert table["id"].tolist() == ["low_income", "remoteness", "seniors_75_plus", "no_home_internet"]
    assert table["dimension"].tolist() == ["access", "access", "comfort", "comfort"]
    assert indicators.census_ids(spec) == indicators.census_ids(SPEC)
