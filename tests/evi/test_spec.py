"""specs/evi.yml: the framework as data, consistent with the census characteristics of
``specs/census_2021.yml``, the area file's columns and the indicator sources."""

import yaml

from playbook import indicators
from playbook.paths import specs_dir

#: The census characteristics the EVI may use (those declared in specs/census_2021.yml).
CENSUS_CHARACTERISTICS = {
    1,
    6,
    7,
    8,
    14,
    15,
    24,
    27,
    28,
    29,
    50,
    51,
    243,
    335,
    340,
    345,
    383,
    387,
    1402,
    1403,
    1527,
    1529,
    1536,
    1998,
    1999,
    2223,
    2227,
    2230,
}
#: The columns of the area file (data/demo/internet/area_internet_2021_synthetic.csv).
AREA = {
    "pct_no_home_internet",
    "pct_no_broadband_50_10",
    "pct_never_online_gov",
    "pct_privacy_worries",
    "pct_low_digital_skills",
}
COLUMNS = ["dimension", "id", "source_kind", "direction", "weight"]
SPECS = ["evi.yml", "evi_alt_geometric.yml", "evi_alt_zscore_pca.yml"]


def load(name):
    return yaml.safe_load((specs_dir() / name).read_text(encoding="utf-8"))


def test_three_dimensions_access_comfort_skills():
    spec = load("evi.yml")
    assert [d["id"] for d in spec["dimensions"]] == ["access", "comfort", "skills"]
    assert spec["unit_id"] == "DGUID" and spec["population"] == "population"


def test_every_indicator_is_documented_in_both_languages():
    table = indicators.indicator_table(specs_dir() / "evi.yml")
    assert len(table) == 13 and table["id"].is_unique
    for field in ("name", "rationale", "definition"):
        for value in table[field]:
            assert value["en"] and value["fr"], field
    assert (table["column"] == table["id"]).all(), "compute() writes one column per indicator id"
    assert set(table["direction"]) <= {1, -1} and (table["weight"] > 0).all()


def test_sources_respect_the_contracts():
    assert set(indicators.census_ids(specs_dir() / "evi.yml")) <= CENSUS_CHARACTERISTICS
    assert set(indicators.area_columns(specs_dir() / "evi.yml")) == AREA


def test_alternative_specs_change_methods_only():
    base = indicators.indicator_table(specs_dir() / "evi.yml")[COLUMNS]
    methods = set()
    for name in SPECS:
        spec = load(name)
        table = indicators.indicator_table(spec)[COLUMNS]
        assert table.equals(base), name
        methods.add((spec["normalise"]["method"], spec["aggregate"]["method"]))
    assert len(methods) == len(SPECS), "each alternative spec makes other choices"
