"""The notebook's areas: every CSD with a location, population and the stand-in score."""

import pandas as pd
import pytest

from playbook.errors import PlaybookError
from playbook.geo.places import PLACEMENTS, csd_locations
from playbook.service_points.areas import by_census_division, csd_areas, stand_in_score


def test_every_csd_has_a_location():
    places = csd_locations()
    assert len(places) == 5161 and places[["lat", "lon"]].notna().all().all()
    counts = places["placement"].value_counts()
    assert counts["csd_centroid"] + counts.get("population_weighted", 0) == 2148  # the 8 provinces with boundaries
    assert counts.get("population_weighted", 0) in (0, 98)  # PEI's 98 CSDs, once the demo DAs are embedded
    assert set(places["placement"]) <= set(PLACEMENTS)


def test_stand_in_score_ranks_sparse_and_shrinking_highest():
    counts = pd.DataFrame({"density_km2": [1000.0, 10.0, 1.0], "population_change_pct": [5.0, 0.0, -5.0]})
    assert stand_in_score(counts).tolist() == pytest.approx([100 / 3, 200 / 3, 100])


def test_csd_areas_and_rollup():
    areas = csd_areas()
    assert areas["id"].is_unique and areas["quintile"].dropna().between(1, 5).all()
    assert areas.loc[areas["population"] == 0, "score"].isna().all()
    divisions = by_census_division(areas)
    assert len(divisions) == 293 and divisions["population"].sum() == areas["population"].sum()
    with pytest.raises(PlaybookError, match="score='index'"):
        csd_areas("index")


def test_evi_switch():
    areas = csd_areas("evi")
    assert areas["score"].notna().mean() > 0.5 and areas["score"].dropna().between(0, 100).all()


def test_pei_dissemination_areas_and_weighted_centroid(tmp_path):
    from playbook.geo.catchments import population_weighted_centroids
    from playbook.geo.places import pei_dissemination_areas
    from playbook.service_points.areas import pei_da_areas
    from tests.sources.census.helpers import rows_2021, write_2021

    geos = [(f"2021S05121101004{i}", f"1101004{i}", "Dissemination area", f"1101004{i}") for i in (3, 4)]
    profile = write_2021(tmp_path / "profile.csv", rows_2021(geos=geos, chars=[1, 7]))
    link = tmp_path / "da_csd.csv"
    link.write_text(
        "DAUID,DGUID,CSDUID,LANDAREA\n11010043,2021S051211010043,1101036,0.5679\n11010044,2021S051211010044,1101036,3.0406\n"
    )
    das = pei_dissemination_areas(profile, link)
    assert das["population"].tolist() == [1001, 2001] and das["land_area_km2"].tolist() == [1007, 2007]
    centre = population_weighted_centroids(das, by="csduid").iloc[0]
    expected = (1001 * das["lat"].iloc[0] + 2001 * das["lat"].iloc[1]) / 3002  # 3 km apart: planar mean
    assert centre["lat"] == pytest.approx(expected, abs=1e-5)
    areas = pei_da_areas(profile=profile, da_csd=link)
    assert areas["score"].tolist() == pytest.approx([100, 50])  # 1001/1007 < 2001/2007: the first is sparser
