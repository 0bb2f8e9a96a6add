"""playbook.index.spec: every key checked at every level, YAML types checked, data files read safely."""

import copy
from pathlib import Path

import pandas as pd
import pytest
import yaml

from playbook.errors import PlaybookError
from playbook.index import build, load_spec
from playbook.index.spec import check_structure, read_data
from tests.index.conftest import tiny_data, tiny_spec

SPECS = Path(__file__).resolve().parents[2] / "specs"


def nested_spec() -> dict:
    """Four levels: indicators -> sub-dimensions -> dimensions -> index."""
    return tiny_spec(dimensions=[
        {"id": "top", "weight": 1, "dimensions": [
            {"id": "access", "indicators": [{"id": "x"}, {"id": "y", "direction": -1}]},
        ]},
        {"id": "other", "dimensions": [{"id": "skills", "indicators": [{"id": "z"}]}]},
    ])


def error(spec) -> PlaybookError:
    with pytest.raises(PlaybookError) as info:
        load_spec(spec)
    return info.value


@pytest.mark.parametrize("name", ["evi.yml", "evi_alt_geometric.yml", "evi_alt_zscore_pca.yml", "evi_groups.yml"])
def test_the_shipped_specs_load(name):
    spec = load_spec(SPECS / name)
    assert spec.indicator_ids and spec.path == str(SPECS / name)


def _set(path: list, key: str, value):
    def change(spec):
        node = spec
        for step in path:
            node = node[step]
        node[key] = value
        return spec
    return change


MISSPELT = [
    # (where the key goes, misspelt key, the field named, the suggestion)
    ([], "normalize", "normalize", "normalise"),
    ([], "agregate", "agregate", "aggregate"),
    ([], "unit", None, None),  # a documentation key: allowed
    ([], "min_coverge", "min_coverge", "min_coverage"),
    ([], "dimension", "dimension", "dimensions"),
    (["dimensions", 0], "wieght", "dimensions[access].wieght", "weight"),
    (["dimensions", 0], "indicator", "dimensions[access].indicator", "indicators"),
    (["dimensions", 0, "indicators", 0], "wieght", "dimensions[access].indicators[0].wieght", "weight"),
    (["dimensions", 0, "indicators", 1], "directon", "dimensions[access].indicators[1].directon", "direction"),
    (["dimensions", 1, "indicators", 0], "colum", "dimensions[skills].indicators[0].colum", "column"),
    (["dimensions", 1, "indicators", 0], "denominater", "dimensions[skills].indicators[0].denominater", "denominator"),
]


@pytest.mark.parametrize(("path", "key", "field", "hint"), MISSPELT)
def test_a_misspelt_key_is_refused_with_a_did_you_mean(path, key, field, hint, tmp_path):
    spec = _set(path, key, 2)(tiny_spec())
    if field is None:
        load_spec(spec)  # documentation keys are kept and ignored
        return
    file = tmp_path / "spec.yml"
    file.write_text(yaml.safe_dump(spec), encoding="utf-8")
    err = error(file)
    assert err.path == str(file) and err.field == field
    assert f"unknown key '{key}'; did you mean '{hint}'?" in str(err) and "\n" not in str(err)


@pytest.mark.parametrize(("block", "value", "field", "hint"), [
    ("normalise", {"method": "minmax", "rnage": [0, 100]}, "normalise.rnage", "range"),
    ("treat", {"method": "winsorise", "winmx": 3}, "treat.winmx", "winmax"),
    ("impute", {"method": "group_mean", "bye": "region"}, "impute.bye", "by"),
    ("aggregate", {"method": "generalised", "pp": 1}, "aggregate.pp", "p"),
    ("weights", {"method": "expert", "methd": "equal"}, "weights.methd", "method"),
    ("screen", {"min_availabilty": 0.5}, "screen.min_availabilty", "min_availability"),
    ("uncertainty", {"normalize": ["minmax"]}, "uncertainty.normalize", "normalise"),
    ("uncertainty", {"remove_indicators": True}, "uncertainty.remove_indicators", "remove_indicator"),
])
def test_a_misspelt_key_in_a_block_is_refused(block, value, field, hint):
    err = error(tiny_spec(**{block: value}))
    assert err.field == field and f"did you mean '{hint}'?" in str(err)


@pytest.mark.parametrize(("path", "key", "field"), [
    (["dimensions", 0], "wieght", "dimensions[top].wieght"),
    (["dimensions", 0, "dimensions", 0], "wieght", "dimensions[top].dimensions[access].wieght"),
    (["dimensions", 1, "dimensions", 0, "indicators", 0], "wieght",
     "dimensions[other].dimensions[skills].indicators[0].wieght"),
])
def test_keys_are_checked_at_any_depth(path, key, field):
    load_spec(nested_spec())
    err = error(_set(path, key, 1)(nested_spec()))
    assert err.field == field and "did you mean 'weight'?" in str(err)


@pytest.mark.parametrize(("change", "field", "says"), [
    ({"dimensions": "access"}, "dimensions", "not a list"),
    ({"dimensions": {"id": "access"}}, "dimensions", "not a list"),
    ({"dimensions": ["access"]}, "dimensions[0]", "a dimension is a str"),
    ({"rescale": "no"}, "rescale", "true or false"),
    ({"unit_id": ["id"]}, "unit_id", "a name"),
    ({"name": ["E", "V"]}, "name", "name is a list"),
    ({"normalise": ["minmax"]}, "normalise", "normalise is a list"),
    ({"normalise": {"method": "minmax", "range": ["a", "b"]}}, "normalise.range", "'a' is not a number"),
    ({"normalise": {"method": "minmax", "range": 100}}, "normalise.range", "not two numbers"),
    ({"normalise": {"method": ["minmax"]}}, "normalise.method", "unknown method"),
    ({"normalise": {"method": "zscore", "sd": 0}}, "normalise.sd", "not positive"),
    ({"treat": {"method": "winsorise", "winmax": "five"}}, "treat.winmax", "not a whole number"),
    ({"treat": {"method": "winsorise", "winmax": 2.5}}, "treat.winmax", "not a whole number"),
    ({"treat": {"method": "winsorise", "skew": "high"}}, "treat.skew", "not a number"),
    ({"aggregate": {"method": "generalised", "p": "half"}}, "aggregate.p", "not a number"),
    ({"impute": {"method": "group_mean", "by": ["region"]}}, "impute.by", "not a column name"),
    ({"screen": ["min_availability"]}, "screen", "not a mapping"),
    ({"uncertainty": "yes"}, "uncertainty", "not a mapping"),
    ({"uncertainty": {"weights": "abc"}}, "uncertainty.weights", "a share in [0, 1)"),
    ({"uncertainty": {"weights": 1.5}}, "uncertainty.weights", "a share in [0, 1)"),
    ({"uncertainty": {"normalise": "minmax"}}, "uncertainty.normalise", "a list of methods"),
    ({"uncertainty": {"remove_indicator": "no"}}, "uncertainty.remove_indicator", "true or false"),
    ({"uncertainty": {"range": [100, 1]}}, "uncertainty.range", "low < high"),
    ({"uncertainty": {"parameters": ["weights.access"]}}, "uncertainty.parameters", "PATH"),
    ({"min_coverage": True}, "min_coverage", "True is not a number"),
])
def test_a_wrong_yaml_type_is_one_error_naming_the_key(change, field, says):
    err = error(tiny_spec(**change))
    assert err.field == field and says in str(err) and "\n" not in str(err)


@pytest.mark.parametrize(("where", "key", "value", "field"), [
    (["dimensions", 0, "indicators", 0], "weight", True, "dimensions[access].indicators[0].weight"),
    (["dimensions", 0, "indicators", 0], "direction", True, "dimensions[access].indicators[0].direction"),
    (["dimensions", 0], "indicators", {"id": "x"}, "dimensions[access].indicators"),
    (["dimensions", 0], "indicators", ["x"], "dimensions[access].indicators[0]"),
    (["dimensions", 0], "weight", "heavy", "dimensions[access].weight"),
])
def test_wrong_types_inside_dimensions(where, key, value, field):
    err = error(_set(where, key, value)(tiny_spec()))
    assert err.field == field


def test_a_spec_that_is_not_a_mapping(tmp_path):
    file = tmp_path / "spec.yml"
    file.write_text("- id: evi\n", encoding="utf-8")
    err = error(file)
    assert err.path == str(file) and "not a mapping" in str(err)
    with pytest.raises(PlaybookError, match="not a mapping"):
        check_structure(["id"])


@pytest.mark.parametrize(("content", "says"), [
    (b"id: [\n", "invalid YAML"),
    ("id: évi\n".encode("cp1252"), "not UTF-8 text"),
])
def test_unreadable_spec_files(tmp_path, content, says):
    file = tmp_path / "spec.yml"
    file.write_bytes(content)
    err = error(file)
    assert says in str(err) and err.path == str(file) and "\n" not in str(err)


def test_regenerate_refuses_a_misspelt_change():
    result = build(tiny_spec(), tiny_data())
    with pytest.raises(PlaybookError, match="did you mean 'aggregate'"):
        result.regenerate(agregate="geometric")
    assert result.regenerate(aggregate="minimum").choices["aggregate"]["method"] == "minimum"


def test_documentation_keys_are_kept_and_ignored():
    spec = tiny_spec(description="a test", notes="n")
    spec["dimensions"][0]["name"] = {"en": "Access", "fr": "Accès"}
    spec["dimensions"][0]["indicators"][0].update(unit="percent", source={"area_file": "x"}, synthetic=True)
    loaded = load_spec(copy.deepcopy(spec))
    assert loaded.raw["description"] == "a test" and loaded.indicators[0].id == "x"


# --- data files -------------------------------------------------------------------------------------

def _data_file(tmp_path, text: str | bytes, encoding="utf-8") -> Path:
    path = tmp_path / "data.csv"
    path.write_bytes(text if isinstance(text, bytes) else text.encode(encoding))
    return path


def _lines() -> list[str]:
    return tiny_data().to_csv(index=False).splitlines()


def _with(index: int, line: str) -> str:
    lines = _lines()
    lines[index] = line
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(("text", "row", "says"), [
    (_with(2, _lines()[2] + ",9"), 3, "row has 7 fields (a comma inside an unquoted value?)"),
    (_with(2, _lines()[2].rsplit(",", 1)[0]), 3, "row has 5 fields (a missing field, or a quote left open?)"),
    (_with(2, '"' + _lines()[2]), 3, "row has 1 fields"),
    (_with(3, '"' + _lines()[3]).replace(_lines()[4], _lines()[4] + '"'), 4, "row has 1 fields"),
    ("", 1, "the file is empty"),
    ("\n\n", 1, "the file is empty"),
    (_lines()[0] + "\n", 2, "the file has a header but no rows"),
])
def test_bad_data_files_name_the_row_and_lose_nothing(tmp_path, text, row, says):
    path = _data_file(tmp_path, text)
    with pytest.raises(PlaybookError) as info:
        read_data(path, load_spec(tiny_spec()))
    assert info.value.path == str(path) and info.value.row == row and says in str(info.value)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_data_files_in_utf8_or_cp1252_read_the_same(tmp_path, encoding):
    data = tiny_data().assign(id=["Montréal", "Lévis", "Sept-Îles", "Gaspé"])
    path = tmp_path / "data.csv"
    data.to_csv(path, index=False, encoding=encoding)
    frame, label = read_data(path, load_spec(tiny_spec()))
    assert frame["id"].tolist() == ["Montréal", "Lévis", "Sept-Îles", "Gaspé"] and label == str(path)


def test_a_utf8_data_file_whose_accents_come_late_is_still_utf8(tmp_path, monkeypatch):
    from playbook.sources.census import text as encoding

    monkeypatch.setattr(encoding, "SAMPLE_BYTES", 64)  # the sample (head and tail) sees ASCII only
    monkeypatch.setattr(encoding, "EDGE", 32)
    monkeypatch.setattr(encoding, "BLOCKS", 0)
    rows = [f"u{i},1,2,3,4,a" for i in range(20)]
    rows[10] = "Montréal,1,2,3,4,a"
    text = "id,x,y,z,pop,region\n" + "\n".join(rows) + "\n"
    for codec in ("utf-8", "cp1252"):
        path = _data_file(tmp_path, text, codec)
        assert encoding.of_path(path) == encoding.UNDECIDED
        frame, _ = read_data(path, load_spec(tiny_spec()))
        assert frame["id"].iloc[10] == "Montréal", codec


def test_utf16_data_is_refused_clearly(tmp_path):
    path = tmp_path / "data.csv"
    tiny_data().to_csv(path, index=False, encoding="utf-16")
    with pytest.raises(PlaybookError, match="UTF-16") as info:
        read_data(path, load_spec(tiny_spec()))
    assert info.value.row == 1 and "re-save" in info.value.expected


def test_declared_encoding_is_used(tmp_path):
    path = tmp_path / "data.csv"
    tiny_data().assign(id=["é", "è", "à", "ç"]).to_csv(path, index=False, encoding="utf-8")
    frame, _ = read_data(path, load_spec(tiny_spec()), encoding="latin-1")
    assert frame["id"].iloc[0] == "Ã©"  # what the user asked for
    with pytest.raises(PlaybookError, match="unknown encoding 'klingon'"):
        read_data(path, load_spec(tiny_spec()), encoding="klingon")
    assert pd.api.types.is_float_dtype(frame["x"])
