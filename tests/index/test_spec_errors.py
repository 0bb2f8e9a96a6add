"""Every bad input gives one clear PlaybookError naming the file and key/column."""

import numpy as np
import pytest
import yaml

from playbook.errors import PlaybookError
from playbook.index import build, load_spec
from tests.index.conftest import tiny_data, tiny_spec


def error(spec, data=None) -> PlaybookError:
    with pytest.raises(PlaybookError) as info:
        build(spec, tiny_data() if data is None else data)
    return info.value


@pytest.mark.parametrize("key", ["impute", "treat", "normalise", "weights", "aggregate"])
def test_unknown_method_names_key_and_choices(key, tmp_path):
    path = tmp_path / "evi.yml"
    path.write_text(yaml.safe_dump(tiny_spec(**{key: {"method": "magic"}})), encoding="utf-8")
    err = error(path)
    assert err.path == str(path) and err.field == f"{key}.method" and "magic" in str(err) and "|" in err.expected


def test_spec_column_absent_from_data(tmp_path):
    path = tmp_path / "d.csv"
    tiny_data().drop(columns="y").to_csv(path, index=False)
    err = error(tiny_spec(), path)
    assert err.path == str(path) and err.field == "y" and "not in the data" in str(err)


def test_non_numeric_indicator_names_row_and_column(tmp_path):
    data = tiny_data().astype({"z": object})
    data.loc[2, "z"] = "x"
    path = tmp_path / "d.csv"
    data.to_csv(path, index=False)
    err = error(tiny_spec(), path)
    assert err.field == "z" and err.row == 4 and "'x'" in str(err)


def test_duplicate_unit_ids():
    data = tiny_data()
    data.loc[3, "id"] = "u1"
    err = error(tiny_spec(), data)
    assert err.field == "id" and err.row == 5 and "duplicate" in str(err)


def test_all_zero_indicator_weights():
    spec = tiny_spec()
    for ind in spec["dimensions"][0]["indicators"]:
        ind["weight"] = 0
    err = error(spec)
    assert err.field == "dimensions[access].indicators.weight" and "zero" in str(err)


def test_all_zero_dimension_weights():
    spec = tiny_spec()
    for dim in spec["dimensions"]:
        dim["weight"] = 0
    assert error(spec).field == "dimensions.weight"


@pytest.mark.parametrize("change,field", [
    ({"dimensions": []}, "dimensions"),
    ({"min_coverage": 2}, "min_coverage"),
    ({"normalise": {"method": "minmax", "range": [100, 0]}}, "normalise.range"),
    ({"normalise": {"method": "goalposts"}}, "normalise.goalposts"),
    ({"normalise": {"method": "distance_to_reference"}}, "normalise.reference"),
    ({"impute": {"method": "group_median"}}, "impute.by"),
])
def test_other_spec_errors(change, field):
    with pytest.raises(PlaybookError) as info:
        load_spec(tiny_spec(**change))
    assert info.value.field == field


def test_bad_direction_and_duplicate_ids():
    spec = tiny_spec()
    spec["dimensions"][0]["indicators"][0]["direction"] = 2
    with pytest.raises(PlaybookError, match="direction"):
        load_spec(spec)
    spec = tiny_spec()
    spec["dimensions"][1]["indicators"][0]["id"] = "x"
    with pytest.raises(PlaybookError, match="used twice"):
        load_spec(spec)


def test_missing_spec_file(tmp_path):
    with pytest.raises(PlaybookError, match="not found"):
        load_spec(tmp_path / "nope.yml")


def test_geometric_on_zero_says_use_a_positive_range():
    err = error(tiny_spec(aggregate="geometric"))
    assert err.field == "aggregate.method" and "positive" in err.expected and "'x'" in str(err)
    ok = build(tiny_spec(aggregate="geometric", normalise={"method": "minmax", "range": [1, 100]}), tiny_data())
    assert np.isfinite(ok.scores["score"]).all()


def test_unknown_reference_unit():
    err = error(tiny_spec(normalise={"method": "distance_to_reference", "reference": "nope"}))
    assert "nope" in str(err) and err.field == "id"


@pytest.mark.parametrize(("column", "value", "says"), [("z", "inf", "infinite value inf"), ("z", "1e999", "infinite value inf"),
                                                       ("x", "-inf", "infinite value -inf"),
                                                       ("pop", "-5", "negative population -5")])
def test_counts_and_values_are_checked_by_meaning(column, value, says):
    data = tiny_data().astype({column: object})
    data.loc[2, column] = value  # the third unit: line 4 of the file
    err = error(tiny_spec(), data)
    assert says in str(err) and err.row == 4 and err.field == column
