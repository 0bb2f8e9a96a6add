"""The networks of an analysis: read through its manifest (and the jurisdiction profile's file),
source coverage by province before any distance, generic names beside synthetic scores."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from playbook import i18n
from playbook.jurisdiction import load
from playbook.paths import ROOT
from playbook.service_points import networks as nw
from playbook.sources import manifest as manifests


def _network(network: str, rows: list[tuple[str, float | None]]) -> nw.Network:
    """A hand-made network: (province, latitude or None) per point."""
    points = pd.DataFrame({"id": [f"P{i}" for i in range(len(rows))], "name_en": [f"Office {i}" for i in range(len(rows))],
                           "pruid": pd.array([p for p, _ in rows], dtype="string"), "lat": [lat for _, lat in rows],
                           "lon": [None if lat is None else -100.0 for _, lat in rows], "number": range(1, len(rows) + 1)})
    points["placement"] = points["lat"].notna().map({True: "coordinates", False: ""})
    given = manifests.Input(key=f"service_points.{network}", paths=(ROOT / "README.md",), synthetic=False,
                            source={"en": "Test", "fr": "Test"})
    return nw.Network(network, {"en": network, "fr": network}, points, given)


def test_coverage_flags_provinces_without_points_or_with_few_located():
    # Manitoba: 5 of 5 located; Saskatchewan: 3 of 4 (75 %, under 80 %); Alberta: listed, none located
    rows = [("46", 50.0)] * 5 + [("47", 50.0)] * 3 + [("47", None), ("48", None)]
    table = nw.coverage([_network("clinics", rows)], ["46", "47", "48", "59"])
    by = table.set_index("pruid")
    assert by["points"].tolist() == [5, 4, 1, 0] and by["located"].tolist() == [5, 3, 0, 0]
    assert by["flag"].tolist() == ["", "poor", "none", "none"]
    assert nw.flagged(table) == {"clinics": ["47", "48", "59"]}
    areas = pd.DataFrame({"pruid": ["46", "47", "59"]})
    assert nw.unreported(areas, table, "clinics").tolist() == [False, True, True]
    line = nw.flagged_line(table, [_network("clinics", rows)], "en")
    assert "Saskatchewan (3 of 4 with a location)" in line and "Alberta, British Columbia (no point with a location)" in line
    assert i18n.french_typography(nw.flagged_line(table, [_network("clinics", rows)], "fr")) == \
        nw.flagged_line(table, [_network("clinics", rows)], "fr")


def test_the_embedded_networks_and_their_source_coverage():
    networks = nw.read_networks(manifests.default())
    assert networks.ids() == ["service_canada", "libraries"] and not networks.fallback
    table = nw.coverage(networks).set_index(["network", "pruid"])
    saskatchewan = table.loc[("libraries", "47")]
    assert (saskatchewan["points"], saskatchewan["located"], saskatchewan["flag"]) == (353, 68, "poor")
    assert table.loc[("libraries", "62"), "flag"] == "none" and table.loc[("libraries", "61"), "flag"] == "none"
    assert (table.loc["service_canada", "flag"] == "").all()  # every province well covered
    assert nw.unplaced(networks) == {"service_canada": 0, "libraries": 0}  # provinces from postal codes too


def test_province_of_reads_codes_abbreviations_names_csd_codes_and_postal_codes():
    points = pd.DataFrame({"province": ["46", "sk", "Québec", "", "", ""],
                           "csduid": ["", "", "", "1206004", "", ""],
                           "postal_code": ["", "", "", "", "X0A 0H0", "Z9Z"]})
    assert nw.province_of(points).tolist() == ["46", "47", "24", "12", "62", pd.NA]


def test_a_network_file_of_the_manifest_is_read_placed_and_named(csd_profile, offices, write_manifest):
    named = {"network": "offices", "path": str(offices), "name": {"en": "Our offices", "fr": "Nos bureaux"}}
    m = write_manifest(census={"profile": str(csd_profile)}, service_points=[named])
    networks = nw.read_networks(m)
    assert networks.ids() == ["offices"] and not networks.fallback
    points = networks["offices"].points.set_index("id")
    assert points.loc["OF-2", "placement"] == "csd_centroid"  # no coordinates: placed at its census subdivision
    assert points["pruid"].tolist() == ["11", "12", "12"]
    assert networks["offices"].label("fr") == "Nos bureaux" and len(networks["offices"].located) == 3
    notes = nw.input_notes(m, networks, synthetic=False, lang="en")
    assert i18n.t("catchments_note_absent_network", "en", network=i18n.t("catchments_libraries", "en")) in notes
    assert i18n.t("catchments_note_real", "en") in notes
    assert not any("embedded" in n for n in notes)


def test_a_burolis_export_in_the_manifest_is_read_with_its_own_columns(csd_profile, tmp_path, write_manifest):
    export = tmp_path / "burolis.csv"
    export.write_text(
        "Office ID,Institution,Office Name,Address,City,Province,Postal Code,CSD Code,CSD Name,CMA Code,"
        "Language Obligation\n"
        "B1,Service Canada,Charlottetown SCC,191 Great George St,Charlottetown,PE,C1A 4L2,1102075,Charlottetown,105,B\n"
        "B2,Canada Revenue Agency,Summerside TSO,1 Water St,Summerside,PE,C1N 1A1,1103025,Summerside,,A\n",
        encoding="utf-8")
    m = write_manifest(census={"profile": str(csd_profile)}, service_points=[{"network": "burolis", "path": str(export)}])
    points = nw.read_networks(m)["burolis"].points.set_index("id")
    assert points.loc["B1", "language"] == "English and French"  # BUROLIS's obligation code, read as such
    assert points["pruid"].tolist() == ["11", "11"] and points["lat"].notna().all()


def test_an_analysis_without_networks_shows_the_embedded_ones_and_says_so(csd_profile, write_manifest):
    m = write_manifest(census={"profile": str(csd_profile)})
    networks = nw.read_networks(m)
    assert networks.fallback and networks.ids() == ["service_canada", "libraries"]
    notes = nw.input_notes(m, networks, synthetic=False, lang="fr")
    said = i18n.t("catchments_note_no_networks", "fr", networks=", ".join(n.label("fr") for n in networks))
    assert said in notes


def test_the_jurisdiction_profile_service_points_file_is_read(tmp_path, offices):
    profile_path = tmp_path / "pe.yml"
    shutil.copy(ROOT / "jurisdictions" / "pe.yml", profile_path)
    with profile_path.open("a", encoding="utf-8") as f:
        f.write(f"\nservice_points: {offices.name}\n")
    profile = load(profile_path)
    assert profile.service_points == offices
    networks = nw.read_networks(manifests.default(), profile)
    assert networks.ids() == ["service_canada", "libraries", nw.PROFILE_NETWORK]
    own = networks[nw.PROFILE_NETWORK]
    assert own.origin == "profile" and len(own.points) == 3 and "Charlottetown Office" in set(own.points["name_en"])
    assert own.label("en") == i18n.t("catchments_profile_network", "en", jurisdiction=profile.label("en"))
    notes = nw.input_notes(manifests.default(), networks, lang="en")
    assert i18n.t("catchments_note_profile_network", "en", network=own.label("en"), file="offices.csv") in notes


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_point_names_are_generic_beside_a_synthetic_score(lang, offices):
    points = nw._read("offices", manifests.Input("service_points.offices", (offices,), False, {"en": "", "fr": ""}))[0]
    demo = nw.point_names(points, True, lang)
    assert demo.tolist() == [i18n.t("catchments_demo_point", lang, n=n) for n in (1, 2, 3)]
    assert not demo.str.contains("Office").any() and demo.index.tolist() == ["OF-1", "OF-2", "OF-3"]
    assert nw.point_names(points, False, lang).tolist() == ["Charlottetown Office", "Bridgewater Office", "Halifax Office"]


def test_the_source_line_follows_the_inputs(csd_profile, offices, write_manifest):
    demo = nw.source_line(manifests.default(), nw.read_networks(manifests.default()), score="evi", lang="en")
    assert demo.endswith(i18n.source_line("x", synthetic=True, lang="en")[len("Source: x"):])
    m = write_manifest(census={"profile": str(csd_profile)}, service_points=[{"network": "offices", "path": str(offices)}])
    own = nw.source_line(m, nw.read_networks(m), score="evi", lang="en")
    assert "offices.csv" in own and csd_profile.name in own and "synthetic" not in own


def test_the_french_page_says_when_real_point_names_are_in_english_only():
    networks = nw.read_networks(manifests.load(None))
    notes = nw.input_notes(None, networks, synthetic=False, lang="fr")
    said = [n for n in notes if "qu'en anglais" in n]
    assert len(said) == 1 and networks["service_canada"].label("fr") in said[0]
    assert networks["libraries"].label("fr") not in said[0]  # ODCAF names are in each facility's own language
    assert not [n for n in nw.input_notes(None, networks, synthetic=True, lang="fr") if "qu'en anglais" in n]
    assert not [n for n in nw.input_notes(None, networks, synthetic=False, lang="en") if "English only" in n]
