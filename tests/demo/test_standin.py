"""The stand-in official-layout files (playbook.demo.standin) read with the package's own readers,
through the manifest, on the real-data code path: no name masked, nothing left out, no demo fallback."""

import json
import zipfile

import pandas as pd
import pytest
import yaml

from playbook import evi
from playbook.demo import standin as gen
from playbook.errors import PlaybookError
from playbook.geo.hierarchy import read_hierarchy
from playbook.sources import census, datasets
from playbook.sources import manifest as manifests
from playbook.sources.census.format import HEADER_2021
from playbook.sources.servicepoints import read_service_points

AREA_INDICATORS = ["never_online_gov", "low_digital_skills", "no_broadband_50_10", "no_home_internet", "privacy_worries"]


@pytest.fixture(scope="module")
def full(tmp_path_factory):
    """The stand-in with every file its writers can make (broadband files feed the 50/10 indicator)."""
    return gen.write_standin(tmp_path_factory.mktemp("standin"))


@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    """The stand-in without broadband files: the area file has every area column."""
    return gen.write_standin(tmp_path_factory.mktemp("standin_plain"), broadband=False)


def facts_of(manifest_path) -> dict:
    return json.loads((manifest_path.parent / gen.FACTS).read_text(encoding="utf-8"))


def variant(manifest_path, tmp_path, **changes):
    """A copy of the manifest (absolute paths) with top-level keys changed (None: removed)."""
    raw = yaml.safe_load(manifest_path.read_text(encoding="utf-8"))
    base = manifest_path.parent

    def absolute(value):
        if isinstance(value, dict):
            return {k: absolute(v) if k in ("path", "pumf", "profile", "geo_attributes") else v for k, v in value.items()}
        if isinstance(value, list):
            return [absolute(v) for v in value]
        return str(base / value) if isinstance(value, str) else value

    for key in ("census", "area_file", "broadband", "survey"):
        if key in raw:
            raw[key] = absolute(raw[key])
    raw["service_points"] = [absolute(p) for p in raw["service_points"]]
    for key, value in changes.items():
        if value is None:
            raw.pop(key, None)
        else:
            raw[key] = value
    path = tmp_path / "manifest.yml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    return path


def test_files_have_the_official_names_and_layout(full):
    folder, facts = full.parent, facts_of(full)
    assert facts["files"]["da"] == ["98-401-X2021006_Atlantic_Atlantique_eng_CSV.zip", "98-401-X2021006_Prairies_eng_CSV.zip"]
    for name, member in ((gen.CSD_ZIP, "98-401-X2021005_English_CSV_data.csv"),
                         (facts["files"]["da"][0], "98-401-X2021006_English_CSV_data_Atlantic.csv"),
                         (facts["files"]["da"][1], "98-401-X2021006_English_CSV_data_Prairies.csv")):
        with zipfile.ZipFile(folder / name) as zf:
            assert member in zf.namelist() and any("Geo_starting_row" in n for n in zf.namelist())
            head = zf.read(member)[:4000].decode("cp1252")
        assert head.split("\r\n")[0] == ",".join(HEADER_2021)
    csd = zipfile.ZipFile(folder / gen.CSD_ZIP).read("98-401-X2021005_English_CSV_data.csv").decode("cp1252")
    assert '"Census subdivision"' in csd and '"Dissemination area"' not in csd  # the CSD file has no DA


def test_manifest_names_every_input_as_real_with_the_standin_source(full):
    m = manifests.load(full)
    present = {k: v for k, v in m.inputs.items() if v is not None}
    assert {"census.profile", "census.geo_attributes", "area_file"} <= set(present)
    assert all(not v.synthetic and not v.demo for v in present.values())
    assert {v.source_text("en") for v in present.values()} == {gen.SOURCE["en"]}
    assert m.source_line("census.profile", "area_file", lang="en") == f"Source: {gen.SOURCE['en']}."
    assert len(m.input("census.profile").paths) == 3 and m.levels == ("csd", "da")
    facts = facts_of(full)
    if facts["files"]["broadband"]:
        assert [p.name for p in m.input("broadband").paths] == [facts["files"]["broadband"][k] for k in ("phh", "speeds")]
    else:
        assert m.input("broadband") is None and "broadband" in facts["left_out_of_manifest"]
    assert (m.input("survey.pumf") is None) == (facts["files"]["survey"] is None)


def test_census_extract_reads_the_csd_and_both_regional_da_files_at_once(full):
    facts = facts_of(full)
    paths = manifests.load(full).input("census.profile").paths
    data = census.extract(list(paths), [1, 335, 340], cache=False)
    assert not data["DGUID"].duplicated().any()  # CSDs in the CSD file and in their region's file: read once
    counts = data["GEO_LEVEL"].value_counts()
    assert counts["Dissemination area"] == sum(facts["dissemination_areas"].values())
    assert counts["Census subdivision"] == facts["census_subdivisions"]
    assert data.loc[data["GEO_LEVEL"] == "Country", "GEO_NAME"].tolist() == ["Canada"]
    provinces = data.loc[data["GEO_LEVEL"] == "Dissemination area", "DGUID"].str[9:11].value_counts().to_dict()
    assert provinces == facts["dissemination_areas"]
    example = data[data["DGUID"] == facts["example"]["DGUID"]].iloc[0]
    assert example["GEO_NAME"] == gen.EXAMPLE_NAME
    assert example["c340"] == gen.EXAMPLE_LOW_INCOME == facts["example"]["low_income_count"]
    demo = census.extract(datasets.path("demo_census_profile_2021"), [340])
    assert demo.loc[demo["DGUID"] == facts["example"]["DGUID"], "c340"].iloc[0] != gen.EXAMPLE_LOW_INCOME
    # the made-up DAs of a Nova Scotia CSD add up to it, give or take the random rounding of each count
    das = data[data["GEO_LEVEL"] == "Dissemination area"]
    halifax = data[(data["GEO_NAME"] == "Halifax") & (data["GEO_LEVEL"] == "Census subdivision")].iloc[0]
    hierarchy = read_hierarchy(manifests.load(full).input("census.geo_attributes").path)
    das_of = (hierarchy["level"] == "Dissemination area") & (hierarchy["csduid"] == halifax["ALT_GEO_CODE"])
    inside = hierarchy.loc[das_of, "DGUID"]
    assert len(inside) > 100
    total = das.loc[das["DGUID"].isin(set(inside)), "c335"].sum()
    assert abs(total - halifax["c335"]) < 0.02 * halifax["c335"]


def test_geo_attribute_file_links_every_da_to_its_csd(full):
    hierarchy = read_hierarchy(manifests.load(full).input("census.geo_attributes").path)
    das = hierarchy[hierarchy["level"] == "Dissemination area"]
    assert das["dauid"].str[:2].value_counts().to_dict() == facts_of(full)["dissemination_areas"]
    assert das["csduid"].notna().all() and (das["dauid"].str[:4] == das["csduid"].str[:4]).all()
    assert not hierarchy["sac_synthetic"].any()  # no demo flag: the official layout


def test_indicator_data_carry_the_standin_values_and_real_names(plain):
    facts = facts_of(plain)
    m = manifests.load(plain)
    spec = evi.analysis_spec(None, m)
    inputs = evi.read_inputs(spec, manifest=m)
    assert inputs.attrs == {"synthetic": False, "demo_fallback": False}
    data = evi.indicator_data(inputs, spec)
    row = data[data["DGUID"] == facts["example"]["DGUID"]].iloc[0]
    assert row["GEO_NAME"] == gen.EXAMPLE_NAME  # names are not masked: no input is synthetic
    assert row["low_income"] == pytest.approx(facts["example"]["low_income_pct"], abs=0.01)
    area = facts["area_example"][0]
    assert row["no_home_internet"] == pytest.approx(area["pct_no_home_internet"])
    csd = data[data["GEO_LEVEL"] == "Census subdivision"]
    assert not csd["GEO_NAME"].str.contains("(demo)", regex=False).any()
    assert set(facts["real_names"]) <= set(csd["GEO_NAME"])
    assert csd.loc[csd["population"] > 0, AREA_INDICATORS].notna().all().all()  # the area file covers every CSD with people
    demo = evi.indicator_data(evi.read_inputs(spec, manifest=manifests.default()), spec)
    assert demo.attrs["synthetic"] and demo.loc[demo["DGUID"] == row["DGUID"], "GEO_NAME"].iloc[0] != gen.EXAMPLE_NAME
    assert demo.loc[demo["DGUID"] == row["DGUID"], "low_income"].iloc[0] != pytest.approx(row["low_income"], abs=0.5)


def spec_ids(spec) -> set[str]:
    return {i["id"] for d in spec["dimensions"] for i in d.get("indicators", [])}


def test_nothing_is_left_out_when_the_area_file_has_every_column(plain, tmp_path):
    every = spec_ids(evi.analysis_spec(None, manifests.default()))
    m = manifests.load(plain)
    assert evi.left_out(None, m) == [] and spec_ids(evi.analysis_spec(None, m)) == every
    without = manifests.load(variant(plain, tmp_path, area_file=None))
    assert evi.left_out(None, without) == sorted(AREA_INDICATORS)
    assert spec_ids(evi.analysis_spec(None, without)) == every - set(AREA_INDICATORS)
    area = pd.read_csv(plain.parent / gen.AREA_FILE, dtype={"DGUID": str}).drop(columns=["pct_privacy_worries"])
    area.to_csv(tmp_path / "area.csv", index=False)
    fewer = manifests.load(variant(plain, tmp_path, area_file=str(tmp_path / "area.csv")))
    assert evi.left_out(None, fewer) == ["privacy_worries"]


def test_broadband_files_supply_the_column_the_area_file_leaves_out(full):
    if not facts_of(full)["files"]["broadband"]:
        pytest.skip("playbook.demo.broadband.write_standin is not available")
    m = manifests.load(full)
    assert "pct_no_broadband_50_10" not in pd.read_csv(full.parent / gen.AREA_FILE, nrows=0).columns
    assert evi.area_sources(m)["pct_no_broadband_50_10"].key == "broadband"
    assert evi.left_out(None, m) == []


def test_broadband_files_feed_the_index(full):
    assert facts_of(full)["files"]["broadband"], "the stand-in writes broadband files"
    m = manifests.load(full)
    spec = evi.analysis_spec(None, m)
    data = evi.indicator_data(evi.read_inputs(spec, manifest=m), spec)
    for level in ("Census subdivision", "Dissemination area"):
        values = data.loc[data["GEO_LEVEL"] == level, "no_broadband_50_10"]
        assert values.notna().mean() > 0.95
        assert values.median() > 50  # the broadband stand-in: 60-95 % lack 50/10 (the demo's DAs: about 11 %)


def test_service_points_read_with_the_package_reader(full):
    m = manifests.load(full)
    (network,) = m.networks()
    assert network.network == "service_canada" and network.name["en"] == "Stand-in service points"
    points = read_service_points(network.input.path)
    assert len(points) == facts_of(full)["service_points"] and points["id"].is_unique
    assert set(points["csduid"].str[:2]) == set(facts_of(full)["provinces"])
    assert points[["lat", "lon"]].notna().all().all()


def test_survey_stand_ins_read_in_their_cycles(full):
    from playbook.sources.survey import read_pumf

    facts = facts_of(full)
    if not facts["files"]["survey"]:
        pytest.skip("playbook.demo.survey.write_standin_pumf is not available")
    m = manifests.load(full)
    for path, cycle in ((m.input("survey.pumf").path, m.cycle), (full.parent / facts["files"]["survey_2018"], "cius_2018")):
        survey = read_pumf(path, cycle=cycle)
        assert survey.replicates.shape[0] == len(survey.data) > 1000  # bootstrap weights inside the data file


def test_unknown_province_is_refused(tmp_path):
    with pytest.raises(PlaybookError, match="unknown province"):
        gen.write_standin(tmp_path, provinces=("11", "99"))
    assert not (tmp_path / gen.MANIFEST).exists()
