import pytest

from playbook.errors import PlaybookError
from playbook.sources import datasets
from playbook.sources.population import read_population_counts


@pytest.fixture(scope="module")
def counts():
    return read_population_counts(datasets.path("population_2021"))


def test_reads_the_real_table(counts):
    assert counts["geo_level"].value_counts().to_dict() == {
        "Census subdivision": 5161, "Census division": 293, "Province": 10, "Territory": 3, "Country": 1,
    }
    canada = counts.loc[counts["geo_level"] == "Country"].iloc[0]
    assert canada["population_2021"] == 36_991_981
    assert canada["land_area_km2"] == pytest.approx(8_788_702.80)


def test_provinces_and_csds_add_up_to_canada(counts):
    pr = counts[counts["geo_level"].isin(["Province", "Territory"])]
    csd = counts[counts["geo_level"] == "Census subdivision"]
    assert pr["population_2021"].sum() == 36_991_981
    assert csd["population_2021"].sum() == 36_991_981


def test_symbols_become_missing_not_zero(counts):
    # Canada has no national rank; some CSDs have no 2016 population ('..').
    assert counts["population_2016"].isna().sum() == 14
    assert (counts["population_2016"].dropna() >= 0).all()


def _write(tmp_path, text):
    p = tmp_path / "98100002.csv"
    p.write_text(text, encoding="utf-8-sig")
    return p


def test_wrong_table_is_a_clear_error(tmp_path):
    p = _write(tmp_path, '"REF_DATE","GEO","DGUID","Something else"\n"2021","Canada","2021A000011124","1"\n')
    with pytest.raises(PlaybookError, match=r"98100002.csv, row 1: column .*Population, 2021 \[n\]' not found"):
        read_population_counts(p)


def test_non_numeric_value_names_row_and_field(tmp_path, root):
    src = (root / "data" / datasets.info("population_2021").path).read_text(encoding="utf-8-sig")
    lines = src.splitlines()
    lines[2] = lines[2].replace('"510550"', '"lots"', 1)
    p = _write(tmp_path, "\n".join(lines) + "\n")
    with pytest.raises(PlaybookError, match=r"row 3, field 'Population and dwelling counts \(13\): Population, 2021 \[1\]'"):
        read_population_counts(p)
