"""The analysis manifest: validated inputs, absent means absent, provenance computed from the inputs."""

from __future__ import annotations

import pytest
import yaml

from playbook.errors import PlaybookError
from playbook.sources import datasets
from playbook.sources import manifest as manifests


def write(tmp_path, content: dict, name: str = "manifest.yml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(content), encoding="utf-8")
    return path


@pytest.fixture
def profile_copy(tmp_path):
    """The demo Census Profile copied as if it were an analyst's own file."""
    target = tmp_path / "files" / "98-401-X2021005_eng_CSV.zip"
    target.parent.mkdir()
    target.write_bytes(datasets.path("demo_census_profile_2021").read_bytes())
    return target


def test_the_default_manifest_is_the_embedded_demo():
    m = manifests.default()
    assert m.embedded
    profile = m.input("census.profile")
    assert profile.demo and profile.synthetic and profile.embedded == ("demo_census_profile_2021",)
    assert m.input("broadband") is None  # nothing embedded: the area file's column is used
    assert [p.network for p in m.service_points] == ["service_canada", "libraries"]
    assert m.levels == ("csd", "da") and m.spec.name == "evi.yml"
    assert m.synthetic("census.profile") and "demo data, synthetic" in m.source_line("census.profile", lang="en")


def test_paths_are_relative_to_the_manifest_and_left_out_inputs_are_absent(tmp_path, profile_copy):
    path = write(tmp_path, {"census": {"profile": ["files/98-401-X2021005_eng_CSV.zip"]},
                            "index": {"levels": "csd", "draws": 32, "seed": 5, "radius_km": 25}})
    m = manifests.load(path)
    assert not m.embedded and m.path == path.resolve()
    assert m.input("census.profile").paths == (profile_copy,)
    assert not m.input("census.profile").synthetic  # a file of the analyst's: real unless said otherwise
    assert m.input("census.profile").source_text("fr") == "votre fichier 98-401-X2021005_eng_CSV.zip"
    for key in ("area_file", "survey.pumf", "feedback", "census.profile_2016", "census.geo_attributes"):
        assert m.input(key) is None, key
    assert m.service_points == () and m.networks(demo=False) == ()
    assert (m.levels, m.draws, m.seed, m.radius_km) == (("csd",), 32, 5, 25.0)
    found, fallback = m.or_demo("survey.pumf")
    assert fallback and found.demo  # a page that shows the demo instead must say so


def test_an_input_can_say_it_is_synthetic_and_name_its_source(tmp_path, profile_copy):
    path = write(tmp_path, {"census": {"profile": {"path": "files/98-401-X2021005_eng_CSV.zip", "synthetic": True,
                                                   "source": {"en": "Test file", "fr": "Fichier d'essai"}}}})
    given = manifests.load(path).input("census.profile")
    assert given.synthetic and given.source_text("fr") == "Fichier d'essai"
    assert given.source_line("en").endswith("demo data, synthetic.")


def test_registry_names_mix_in_embedded_files_explicitly(tmp_path):
    m = manifests.load(write(tmp_path, {"area_file": "demo_area_internet_2021"}))
    assert m.input("area_file").demo and m.input("area_file").synthetic


@pytest.mark.parametrize(("content", "message"), [
    ({"cesus": {}}, "unknown key 'cesus'; did you mean 'census'?"),
    ({"census": {"profil": "x.zip"}}, "field 'census.profil': unknown key 'profil'; did you mean 'profile'?"),
    ({"index": {"level": ["csd"]}}, "did you mean 'levels'?"),
    ({"index": {"levels": ["cma"]}}, "field 'index.levels'"),
    ({"index": {"draws": 0}}, "field 'index.draws': 0 is out of range"),
    ({"index": {"draws": 2.5}}, "expected a whole number"),
    ({"index": {"radius_km": "far"}}, "field 'index.radius_km': expected a number"),
    ({"census": {"profile": "missing.zip"}}, "field 'census.profile': file not found"),
    ({"census": {"profile": []}}, "an empty list of files"),
    ({"area_file": ["a.csv", "b.csv"]}, "2 files given"),
    ({"census": {"profile": {"paht": "x.zip"}}}, "did you mean 'path'?"),
    ({"survey": {"pumf": "demo_cius_pumf", "cycle": None}}, "field 'survey.cycle'"),
    ({"service_points": [{"network": "sc", "path": "demo_cius_pumf"}, {"network": "sc", "path": "demo_cius_pumf"}]},
     "network 'sc' given twice"),
    ({"service_points": [{"network": "two words", "path": "x"}]}, "is not a short id"),
    ({"area_file": {"path": "demo_area_internet_2021", "synthetic": False}}, "keeps its registry provenance"),
    ([1, 2], "a manifest is a mapping"),
])
def test_mistakes_are_refused_with_the_field_and_what_was_expected(tmp_path, content, message):
    path = tmp_path / "manifest.yml"
    path.write_text(yaml.safe_dump(content), encoding="utf-8")
    with pytest.raises(PlaybookError) as err:
        manifests.load(path)
    assert message in str(err.value)
    assert str(path.resolve()) in str(err.value)


def test_a_folder_given_as_a_file_and_a_missing_manifest_are_refused(tmp_path):
    (tmp_path / "folder").mkdir()
    with pytest.raises(PlaybookError, match="is a folder"):
        manifests.load(write(tmp_path, {"area_file": "folder"}))
    with pytest.raises(PlaybookError, match="manifest not found"):
        manifests.load(tmp_path / "nope.yml")


def test_current_follows_the_environment(tmp_path, monkeypatch, profile_copy):
    path = write(tmp_path, {"census": {"profile": str(profile_copy)}})
    monkeypatch.delenv(manifests.ENV_VAR, raising=False)
    assert manifests.current().embedded
    monkeypatch.setenv(manifests.ENV_VAR, str(path))
    assert manifests.current().path == path.resolve()


def test_the_fingerprint_changes_with_the_files(tmp_path, profile_copy):
    path = write(tmp_path, {"census": {"profile": str(profile_copy)}})
    before = manifests.load(path).fingerprint()
    profile_copy.write_bytes(profile_copy.read_bytes() + b"\n")
    assert manifests.parse(yaml.safe_load(path.read_text()), path=path).fingerprint() != before


def test_the_feedback_input_names_its_text_column(tmp_path):
    (tmp_path / "comments.csv").write_text("id,comment\n1,Long wait\n", encoding="utf-8")
    assert manifests.default().input("feedback").text_column == "text"  # the demo corpus
    m = manifests.load(write(tmp_path, {"feedback": {"path": "comments.csv", "text_column": "comment"}}))
    assert m.input("feedback").text_column == "comment" and not m.input("feedback").synthetic
    assert manifests.load(write(tmp_path, {"feedback": "comments.csv"})).input("feedback").text_column == "text"
    with pytest.raises(PlaybookError, match="field 'feedback.text_column'"):
        manifests.load(write(tmp_path, {"feedback": {"path": "comments.csv", "text_column": ""}}))
    with pytest.raises(PlaybookError, match="unknown key 'text_column'"):
        manifests.load(write(tmp_path, {"area_file": {"path": "comments.csv", "text_column": "comment"}}))
