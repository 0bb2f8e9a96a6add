"""The reader on real official-format files (not written by our own writer).

``tests/fixtures/census/98-400-X2016001_slice_English_CSV_data.csv`` is a byte-exact slice of the
real 2016 data table 98-400-X2016001 (see the PROVENANCE.md beside it): UTF-8 with a byte-order
mark, two dimensions (census year, age) and a wide sex dimension.
"""

from pathlib import Path

import pytest

from playbook.sources import census, datasets
from playbook.sources.population import read_population_counts

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "census" / "98-400-X2016001_slice_English_CSV_data.csv"


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setattr(census, "cache_dir", lambda: tmp_path / "cache")


def test_real_2016_table_values():
    df = census.extract(FIXTURE, [1, 2, 127])  # Total - Age, 0 to 14 years, Average age
    assert list(df["GEO_NAME"]) == ["Canada", "Prince Edward Island", "Charlottetown", "Summerside", "Montréal"]
    assert list(df["ALT_GEO_CODE"]) == ["01", "11", "11105", "11110", "24462"]
    assert list(df["GEO_LEVEL"]) == ["0", "1", "2", "2", "2"]
    assert df.loc[0, "c1"] == 35151725 and df.loc[0, "c2"] == 5839565
    assert df.loc[1, "c1"] == 142910 and df.loc[2, "c1"] == 69325 and df.loc[4, "c1"] == 4098930
    assert df.loc[0, "c127"] == pytest.approx(41.0)


def test_real_2016_table_other_census_year_member():
    df = census.extract(FIXTURE, [1], members={"Census year": 2})  # the 2011 column of the same table
    assert df.loc[0, "c1"] == 33476685 and df.loc[1, "c1"] == 140205 and df.loc[4, "c1"] == 3934075


def test_real_2016_table_level_filter_and_zip(tmp_path):
    import zipfile

    packed = tmp_path / "98-400-X2016001_ENG_CSV.zip"
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(FIXTURE, "98-400-X2016001_English_CSV_data.csv")
    df = census.extract(packed, [1], level="2")
    assert list(df["GEO_NAME"]) == ["Charlottetown", "Summerside", "Montréal"]


def test_real_2016_totals_agree_with_table_98_10_0002():
    """Two real Statistics Canada products, two readers: 2016 populations agree within rounding."""
    table = read_population_counts(datasets.path("population_2021"))
    df = census.extract(FIXTURE, [1], level="1")  # provinces
    pei = table.loc[table["DGUID"] == "2021A000211", "population_2016"].iloc[0]
    canada = table.loc[table["DGUID"] == "2021A000011124", "population_2016"].iloc[0]
    assert abs(df.loc[0, "c1"] - pei) <= 5
    assert abs(census.extract(FIXTURE, [1], level="0").loc[0, "c1"] - canada) <= 5


def test_real_file_is_not_a_census_profile_so_names_are_not_checked_against_the_profile_spec():
    # member 1 of this table's age dimension is "Total - Age", not the profile's "Population, 2016"
    assert census.extract(FIXTURE, [1]).loc[0, "c1"] == 35151725
