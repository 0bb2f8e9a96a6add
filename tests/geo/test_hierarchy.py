import pandas as pd

from playbook.codes import PROVINCES, parse_dguid
from playbook.geo.hierarchy import province_summary


def test_parse_dguid_levels_and_provinces():
    parsed = parse_dguid(
        pd.Series(["2021A000011124", "2021A000235", "2021A000262", "2021A00053520005", "2021S051210010001", "2021S0503535"])
    )
    assert parsed["geo_level"].tolist() == [
        "Country",
        "Province",
        "Territory",
        "Census subdivision",
        "Dissemination area",
        "Census metropolitan area",
    ]
    assert parsed["code"].tolist() == ["11124", "35", "62", "3520005", "10010001", "535"]
    assert parsed["pruid"].isna().tolist() == [True, False, False, False, False, True]
    assert parsed.loc[3, "pruid"] == "35"
    assert (parsed["vintage"] == "2021").all()


def test_thirteen_provinces_and_territories_in_both_languages():
    assert len(PROVINCES) == 13
    assert PROVINCES.loc["24", "name_fr"] == "Québec"


def test_province_summary_by_hand():
    areas = pd.DataFrame(
        {
            "geo_level": ["Census subdivision"] * 4 + ["Province"],
            "pruid": ["11", "11", "11", "12", "11"],
            "population_2021": [5_000.0, 20_000.0, 75_000.0, 900.0, 100_000.0],
        }
    )
    out = province_summary(areas, small=10_000, lang="fr")
    assert out.index.tolist() == ["11", "12"]
    assert out.loc["11", "population_2021"] == 100_000
    assert out.loc["11", "csd_count"] == 3
    assert out.loc["11", "share_small_csd_pct"] == 5.0
    assert out.loc["12", "share_small_csd_pct"] == 100.0
    assert out.loc["11", "province"] == "Île-du-Prince-Édouard"
