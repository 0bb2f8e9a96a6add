"""The notebook's areas: census subdivisions (and DAs) with a location, a population and a score, read
through the analysis manifest; names withheld beside a synthetic score."""

import pandas as pd
import pytest

from playbook import i18n
from playbook.errors import PlaybookError
from playbook.geo.catchments import population_weighted_centroids
from playbook.geo.places import PLACEMENTS, csd_locations, pei_dissemination_areas
from playbook.service_points import networks as nw
from playbook.service_points.areas import (
    by_census_division,
    csd_areas,
    csd_shapes,
    da_areas,
    division_shapes,
    stand_in_score,
)


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


def test_evi_switch_withholds_names_while_the_score_is_synthetic():
    areas = csd_areas("evi")
    assert areas["score"].notna().mean() > 0.5 and areas["score"].dropna().between(0, 100).all()
    assert areas.attrs["synthetic"] is True
    assert areas["name"].str.fullmatch(r"CSD\u00a0\d{7} \(demo\)").all()
    assert "Bridgewater" not in set(areas["name"])
    real = csd_areas("stand-in")
    assert real.attrs["synthetic"] is False and {"Bridgewater", "Toronto"} <= set(real["name"])


def test_a_csd_only_analysis_of_own_files(csd_profile, write_manifest):
    m = write_manifest(census={"profile": str(csd_profile)})
    areas = csd_areas("evi", m)
    assert set(areas["pruid"]) == {"11", "12"} and areas.attrs["synthetic"] is False and areas.attrs["unplaced"] == 0
    assert {"Charlottetown", "Bridgewater"} <= set(areas["name"])  # real inputs: names return
    populated = areas[areas["population"] > 0]
    assert populated["score"].notna().mean() > 0.9 and areas.loc[areas["population"] == 0, "score"].isna().all()
    assert areas["quintile"].dropna().between(1, 5).all()
    assert da_areas("evi", m) is None  # no dissemination area in a CSD-only analysis
    notes = nw.input_notes(m, nw.read_networks(m), synthetic=False, lang="en")
    assert any(n.startswith(i18n.t("evi_left_out", "en", indicators="")) for n in notes)  # no area file


def test_dissemination_areas_of_the_demo():
    detail = da_areas("evi")
    assert detail.province == "11" and detail.place == "Prince Edward Island" and detail.synthetic
    assert len(detail.areas) == 319 and detail.areas["name"].str.fullmatch(r"DA\u00a0\d{8} \(demo\)").all()
    assert detail.areas[["lat", "lon"]].notna().all().all()
    standin = da_areas("stand-in").areas
    land = detail.shapes.set_index("DGUID")["LANDAREA"]
    density = standin["population"] / standin["id"].map(land).to_numpy()
    assert standin.loc[density.idxmin(), "score"] == pytest.approx(100)  # the sparsest DA scores highest


def test_division_names_are_withheld_beside_a_synthetic_score():
    areas = csd_areas("stand-in")
    named = division_shapes(areas, synthetic=False)
    assert "Division No.  1" in set(named["CDNAME"]) and len(named) == 293
    masked = division_shapes(areas, synthetic=True, lang="fr")
    assert masked["CDNAME"].str.fullmatch(r"DR\u00a0\d{4} \(démo\)").all()


def test_csd_boundaries_of_a_province():
    assert set(csd_shapes("46")["PRUID"]) == {"46"}
    assert csd_shapes("35") is None  # Ontario's CSD boundaries are not embedded: the page maps its census divisions


def test_pei_dissemination_areas_and_weighted_centroid(tmp_path):
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
