"""Jurisdiction profiles: every shipped profile validates; bad ones fail with one clear message each."""

from pathlib import Path

import pandas as pd
import pytest
import yaml

from playbook import jurisdiction as jur
from playbook.book.build import jurisdiction_config, language_config
from playbook.codes import PROVINCES
from playbook.errors import PlaybookError
from playbook.paths import ROOT

GOOD = yaml.safe_load((jur.JURISDICTIONS_DIR / "mb.yml").read_text(encoding="utf-8"))


def write(tmp_path: Path, stem: str, **changes) -> Path:
    raw = {**GOOD, "code": stem, **changes}
    raw = {k: v for k, v in raw.items() if v is not None}
    path = tmp_path / f"{stem}.yml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("code", jur.shipped())
def test_every_shipped_profile_validates(code):
    raw, path = jur.read(code)
    assert jur.problems(raw, path) == []
    profile = jur.load(code)
    assert profile.code == code and profile.laws and profile.oversight
    for lang in ("en", "fr"):
        subs = profile.substitutions(lang)
        assert all(isinstance(v, str) and v for v in subs.values()), code


def test_profiles_cover_canada_every_province_and_territory_and_a_municipality():
    profiles = [jur.load(code) for code in jur.shipped()]
    provincial = [p for p in profiles if p.level in ("provincial", "territorial")]
    assert sorted(p.provinces[0] for p in provincial) == sorted(PROVINCES.index)
    assert [p.code for p in profiles if p.pan_canadian] == ["ca"]
    assert [p.code for p in profiles if p.level == "municipal"] == ["ottawa"]
    assert jur.load("ottawa").csds == ("3506008",)
    assert sum(p.level == "territorial" for p in profiles) == 3


def test_substitutions_name_the_jurisdictions_law_in_both_languages():
    mb = jur.load("mb")
    assert mb.substitutions("en")["privacy_law"] == "The Freedom of Information and Protection of Privacy Act"
    assert mb.substitutions("fr")["privacy_law"] == "Loi sur l'accès à l'information et la protection de la vie privée"
    assert mb.substitutions("en")["edition"] == "Manitoba"
    assert jur.load("ca").substitutions("en")["edition"] == "pan-Canadian"
    assert jur.load("ca").substitutions("fr")["edition"] == "pancanadienne"
    assert "City of Ottawa" in jur.load("ottawa").substitutions("en")["working_group_partners"]  # a text override
    assert "federal, provincial" in mb.substitutions("en")["working_group_partners"]  # the default text


DGUIDS = pd.DataFrame({"DGUID": [
    "2021A000011124",      # Canada
    "2021A000246",         # Manitoba
    "2021A00054611040",    # Winnipeg (CSD)
    "2021A00053506008",    # Ottawa (CSD)
    "2021A00053520005",    # Toronto (CSD)
    "2021S051211010001",   # a PEI dissemination area
    "2021S0503505",        # Ottawa-Gatineau (CMA)
]})


def test_filter_keeps_the_jurisdictions_rows():
    assert jur.load("mb").filter(DGUIDS)["DGUID"].tolist() == ["2021A000246", "2021A00054611040"]
    assert jur.load("on").filter(DGUIDS)["DGUID"].tolist() == ["2021A00053506008", "2021A00053520005"]
    assert jur.load("ottawa").filter(DGUIDS)["DGUID"].tolist() == ["2021A00053506008"]
    assert jur.load("pe").filter(DGUIDS)["DGUID"].tolist() == ["2021S051211010001"]
    assert jur.load("ca").filter(DGUIDS).equals(DGUIDS)


def test_municipal_filter_uses_the_csduid_column_when_there_is_one():
    areas = pd.DataFrame({"DGUID": ["2021S051235060001", "2021S051235200001"], "csduid": ["3506008", "3520005"]})
    assert jur.load("ottawa").filter(areas)["DGUID"].tolist() == ["2021S051235060001"]


def test_filter_without_the_column_names_it():
    with pytest.raises(PlaybookError, match="field 'geo'.*DGUID column"):
        jur.load("mb").filter(DGUIDS, dguid_col="geo")


def test_current_reads_the_argument_then_the_environment_then_defaults_to_canada(monkeypatch, tmp_path):
    monkeypatch.delenv(jur.ENV_VAR, raising=False)
    assert jur.current().code == "ca"
    monkeypatch.setenv(jur.ENV_VAR, "yt")
    assert jur.current().code == "yt"
    assert jur.current("nu").code == "nu"
    monkeypatch.setenv(jur.ENV_VAR, str(write(tmp_path, "mine")))
    assert jur.current().code == "mine"


def test_legal_framework_highlights_the_current_jurisdiction():
    table = jur.legal_framework("en", highlight="mb")
    assert table.loc[table["current"], "law"].tolist() == [
        "The Freedom of Information and Protection of Privacy Act", "The Personal Health Information Act"]
    assert table["jurisdiction"].iloc[0] == "Canada" and table["jurisdiction"].iloc[-1] == "Ottawa"
    assert table.loc[table["jurisdiction"] == "Alberta", "law"].str.endswith("(to verify)").all()
    html = jur.legal_framework_table("fr", highlight="mb").to_html()
    assert "▶ cette édition" in html and "Organisme de surveillance" in html


def test_a_law_with_no_french_title_is_marked_as_english_in_the_french_table():
    html = jur.legal_framework_table("fr").to_html()
    assert '<span lang="en">Municipal Government Act</span>, partie XX' in html  # Nova Scotia's, English only
    assert '<span lang="en">Loi' not in html  # a French title is not marked
    assert 'lang="en"' not in jur.legal_framework_table("en").to_html()


@pytest.mark.parametrize("changes,field,words", [
    ({"colour": "blue"}, "colour", "unknown key 'colour'"),
    ({"provinces": ["99"]}, "provinces", "'99' is not a province or territory code"),
    ({"provinces": ["MB"], "csds": ["3506008"]}, "csds", "outside the profile's provinces"),
    ({"service_points": "nowhere.csv"}, "service_points", "file 'nowhere.csv' not found"),
    ({"name": {"en": "Manitoba"}}, "name", "needs an English and a French text"),
    ({"level": "regional"}, "level", "unknown level 'regional'"),
    ({"default_level": "Street"}, "default_level", "unknown geographic level"),
    ({"population_groups": ["cats"]}, "population_groups", "unknown value 'cats'"),
    ({"text": {"preface": {"en": "a", "fr": "b"}}}, "text.preface", "unknown text key"),
    ({"laws": [{"name": {"en": "A", "fr": "B"}, "kind": "tax"}]}, "laws[0].kind", "unknown kind 'tax'"),
    ({"laws": None}, "laws", "missing"),
    ({"default_levl": "Province"}, "default_levl", "did you mean 'default_level'?"),
    ({"manifest": "missing.yml"}, "manifest", "file 'missing.yml' not found"),
])
def test_bad_profile_gives_one_clear_message_naming_file_and_field(tmp_path, changes, field, words):
    path = write(tmp_path, "bad", **changes)
    with pytest.raises(PlaybookError) as info:
        jur.load(path)
    message = str(info.value)
    assert str(path) in message and f"field '{field}'" in message and words in message
    assert "\n" not in message


def test_code_must_match_the_file_and_yaml_booleans_are_explained(tmp_path):
    path = write(tmp_path, "good")
    path.rename(tmp_path / "other.yml")
    with pytest.raises(PlaybookError, match="does not match the file name 'other.yml'"):
        jur.load(tmp_path / "other.yml")
    (tmp_path / "on.yml").write_text((jur.JURISDICTIONS_DIR / "on.yml").read_text().replace("code: 'on'", "code: on"))
    with pytest.raises(PlaybookError, match="YAML read the code as true.*code: 'on'"):
        jur.load(tmp_path / "on.yml")


def test_unknown_code_lists_the_shipped_ones():
    with pytest.raises(PlaybookError, match="no jurisdiction profile 'zz'.*ab, bc, ca"):
        jur.load("zz")


def test_jurisdiction_config_titles_the_edition_and_sets_substitutions():
    base = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    default = jurisdiction_config(language_config(base, "en", "off"), None, "en")
    assert default["title"] == "Data-Driven Insights playbook"
    assert default["parse"]["myst_substitutions"]["edition"] == "pan-Canadian"
    mb = jurisdiction_config(language_config(base, "fr", "off"), jur.load("mb"), "fr")
    assert mb["title"] == "Guide sur les renseignements axés sur les données — Manitoba"
    assert mb["parse"]["myst_substitutions"]["oversight_body"] == "Ombudsman du Manitoba"
    assert mb["parse"]["myst_substitutions"]["lang"] == "fr"


def test_filter_keeps_a_geodataframe_a_geodataframe():
    geopandas = pytest.importorskip("geopandas")
    from shapely.geometry import Point

    areas = geopandas.GeoDataFrame({"DGUID": ["2021A000246", "2021A000235"]},
                                   geometry=[Point(0, 0), Point(1, 1)], crs="EPSG:3347")
    kept = jur.load("mb").filter(areas)
    assert isinstance(kept, geopandas.GeoDataFrame) and kept["DGUID"].tolist() == ["2021A000246"]
    assert kept.crs == areas.crs



def test_places_table_lists_the_largest_places_after_disclosure_control():
    areas = pd.DataFrame({"geo_level": ["Census subdivision"] * 3 + ["Province"], "name": ["A", "B", "C", "P"],
                          "population_2021": [7.0, 1234.0, 98.0, 5000.0]})
    html = jur.places_table(areas, jur.load("yt"), "en", source="Source: test.", top=2).to_html()
    assert "The largest census subdivisions of Yukon — Source: test." in html
    assert html.index(">B<") < html.index(">C<") and ">A<" not in html and ">P<" not in html
    assert "1,235" in html or "1,230" in html  # rounded to a multiple of 5


def test_a_profile_can_name_its_analysis_manifest(tmp_path):
    (tmp_path / "analysis.yml").write_text("index: {levels: [csd]}\n", encoding="utf-8")
    profile = jur.load(write(tmp_path, "good", manifest="analysis.yml"))
    assert profile.manifest == tmp_path / "analysis.yml"
