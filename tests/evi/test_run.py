"""The EVI from a manifest: indicators left out for want of input, names withheld beside synthetic
scores, the `evi indicators` and `evi results` commands."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from playbook import cli, evi
from playbook.evi import run
from playbook.sources import datasets
from playbook.sources import manifest as manifests

AREA_INDICATORS = {"no_home_internet", "no_broadband_50_10", "never_online_gov", "privacy_worries", "low_digital_skills"}


@pytest.fixture
def own_files(tmp_path):
    """The demo files copied as if they were the analyst's own, and a manifest naming them."""
    profile = tmp_path / "profile.zip"
    profile.write_bytes(datasets.path("demo_census_profile_2021").read_bytes())
    geo = tmp_path / "geo.zip"
    geo.write_bytes(datasets.path("demo_geo_attributes_2021").read_bytes())

    def manifest(**extra):
        path = tmp_path / "manifest.yml"
        path.write_text(yaml.safe_dump({"census": {"profile": "profile.zip", "geo_attributes": "geo.zip"}, **extra}))
        return manifests.load(path)

    return manifest


def test_without_an_area_file_the_area_indicators_are_left_out(own_files):
    m = own_files()
    spec = evi.analysis_spec(None, m)
    assert set(evi.left_out(None, m)) == AREA_INDICATORS
    kept = set(evi.inputs.indicator_table(spec)["id"])
    assert kept and not kept & AREA_INDICATORS
    assert evi.area_sources(m) == {}


def test_a_real_input_keeps_names_and_a_synthetic_one_withholds_them(own_files, tmp_path):
    m = own_files()
    spec = evi.analysis_spec(None, m)
    real = evi.indicator_data(evi.read_inputs(spec, manifest=m), spec)
    csd = real[real["GEO_LEVEL"] == "Census subdivision"]
    assert not csd["GEO_NAME"].str.contains("(demo)", regex=False).any()
    assert real.attrs["synthetic"] is False
    marked = own_files(area_file={"path": str(datasets.path("demo_area_internet_2021")), "synthetic": True})
    spec = evi.analysis_spec(None, marked)
    assert evi.left_out(None, marked) == []
    data = evi.indicator_data(evi.read_inputs(spec, manifest=marked), spec)
    csd = data[data["GEO_LEVEL"] == "Census subdivision"]
    assert csd["GEO_NAME"].str.fullmatch(r"CSD\u00a0\d{7} \(demo\)").all()
    provinces = data[data["GEO_LEVEL"] == "Province"]
    assert "Province\u00a046 (demo)" in set(provinces["GEO_NAME"]) and "Manitoba" not in set(provinces["GEO_NAME"])
    assert set(data.loc[data["GEO_LEVEL"] == "Country", "GEO_NAME"]) == {"Canada"}
    assert evi.source_line("en", manifest=marked, spec=spec).endswith("demo data, synthetic.")


def test_demo_names_are_translated():
    names = evi.demo_names(pd.Series(["Census subdivision", "Dissemination area"]), pd.Series(["4611040", "11010073"]), "fr")
    assert names.tolist() == ["SDR\u00a04611040 (démo)", "AD\u00a011010073 (démo)"]


def test_the_provenance_table_is_computed_from_the_inputs(own_files):
    m = own_files()
    table = run.provenance(evi.analysis_spec(None, m), m, "en")
    by = table.set_index("indicator")["provenance"]
    assert by["seniors_65_plus"] == "real" and by["no_home_internet"] == "absent"
    demo = run.provenance(None, manifests.default(), "en").set_index("indicator")["provenance"]
    assert set(demo) == {"synthetic"}


def test_evi_indicators_writes_the_table_and_its_provenance(own_files, tmp_path, capsys):
    m = own_files()
    out = tmp_path / "ind.csv"
    assert cli.main(["evi", "indicators", "--manifest", str(m.path), "--level", "csd", "--out", str(out)]) == 0
    table = pd.read_csv(out, dtype={"DGUID": str})
    assert len(table) == 5161 and table["GEO_LEVEL"].eq("Census subdivision").all()
    assert "seniors_65_plus" in table and "no_home_internet" not in table
    side = pd.read_csv(tmp_path / "ind.provenance.csv")
    assert set(side["provenance"]) == {"real", "absent"}
    assert "Left out of the index" in capsys.readouterr().out


def test_evi_indicators_refuses_to_overwrite_an_input(own_files, tmp_path, capsys):
    m = own_files()
    code = cli.main(["evi", "indicators", "--manifest", str(m.path), "--out", str(tmp_path / "profile.zip")])
    assert code == 2 and "would overwrite the input" in capsys.readouterr().err


def test_evi_results_on_a_csd_only_analysis(own_files, tmp_path):
    m = own_files(index={"levels": ["csd"]})
    written = run.write_results(m, tmp_path / "out", lang="fr")
    names = {p.name for p in written}
    assert {"evi_csd.csv", "evi_provinces.csv", "evi_cma_ca.csv", "evi_provenance.csv", "evi.xlsx"} <= names
    assert "evi_da.csv" not in names
    csd = evi.results.read_export(tmp_path / "out" / "evi_csd.csv")  # French: semicolons, decimal comma
    assert "Indice de cybervulnérabilité" in csd.columns or any("ICV" in c or "cybervuln" in c for c in csd.columns)
    assert not csd.iloc[:, 1].astype(str).str.contains("(démo)", regex=False).any()
    low, high = "Rang, 5e centile de l'analyse d'incertitude", "Rang, 95e centile de l'analyse d'incertitude"
    rank = next(c for c in csd.columns if c.startswith("Rang"))
    assert list(csd.columns).index(low) == list(csd.columns).index(rank) + 1  # the interval beside the rank
    ranked = csd[csd[rank].notna()]
    assert ranked[low].notna().all() and (ranked[low] <= ranked[high]).all()
    assert (ranked[high] - ranked[low]).max() > 0


def test_evi_results_intervals_are_those_of_the_uncertainty_analysis(own_files, tmp_path):
    from playbook import index

    m = own_files(index={"levels": ["csd"], "draws": 60, "seed": 3})
    run.write_results(m, tmp_path / "a", lang="en")
    csd = pd.read_csv(tmp_path / "a" / "evi_csd.csv", encoding="utf-8-sig", dtype={"DGUID": str})
    spec = evi.analysis_spec(None, m)
    rows = evi.at_level(evi.indicator_data(evi.read_inputs(spec, manifest=m), spec), "csd")
    ranks = index.uncertainty(evi.compare.engine_spec(spec), rows, draws=60, seed=3).ranks.set_index("DGUID")
    got = csd.set_index("DGUID")["Rank, 95th percentile of the uncertainty analysis"].dropna()
    assert len(got) > 100
    pd.testing.assert_series_equal(got, ranks.loc[got.index, "rank_p95"].round(1), check_names=False)


@pytest.mark.parametrize("files", [("phh", "speeds"), ("crtc",), ("phh", "speeds", "crtc")])
def test_broadband_files_supply_the_broadband_indicator(own_files, tmp_path, files):
    from playbook.demo.broadband import write_standin
    from playbook.geo.hierarchy import read_hierarchy

    hierarchy = read_hierarchy(datasets.path("demo_geo_attributes_2021"))
    das = hierarchy[hierarchy["level"] == "Dissemination area"].assign(population=lambda d: d["population"].fillna(0))
    written = write_standin(tmp_path / "bb", das[["DGUID", "population", "csduid"]])
    m = own_files(broadband=[str(written[k]) for k in files])
    spec = evi.analysis_spec(None, m)
    assert "no_broadband_50_10" not in evi.left_out(None, m)
    data = evi.indicator_data(evi.read_inputs(spec, manifest=m), spec)
    csd_values = data.loc[data["GEO_LEVEL"] == "Census subdivision", "no_broadband_50_10"]
    assert csd_values.notna().sum() > 0 and csd_values.max() <= 100
    da_values = data.loc[data["GEO_LEVEL"] == "Dissemination area", "no_broadband_50_10"]
    assert (da_values.notna().sum() > 0) == ("phh" in files)  # a CRTC table alone has no DAs
    assert evi.source_line("en", manifest=m, spec=spec).count("your file") == 2  # census + broadband


def test_a_survey_supplies_the_internet_indicators_as_modelled_small_area_estimates(own_files, tmp_path):
    m = own_files(survey={"pumf": str(datasets.path("demo_cius_pumf")), "cycle": "cius_2020_demo"})
    assert not m.input("survey.pumf").demo  # given by path: the analyst's file
    assert evi.left_out(None, m) == ["no_broadband_50_10"]  # the survey does not measure broadband
    spec = evi.analysis_spec(None, m)
    inputs = evi.read_inputs(spec, manifest=m)
    csd = inputs[inputs["GEO_LEVEL"] == "Census subdivision"]
    assert csd["pct_no_home_internet"].between(0, 100).mean() > 0.8
    assert (csd["pct_no_home_internet_se"] > 0).mean() > 0.8  # the intervals travel with the values
    table = run.provenance(spec, m, "en").set_index("indicator")["provenance"]
    assert table["no_home_internet"] == "modelled" and table["seniors_65_plus"] == "real"
    assert table["no_broadband_50_10"] == "absent"
    # the standard errors reach the index data and the uncertainty analysis draws from them
    from playbook import index

    data = evi.indicator_data(inputs, spec)
    assert {"no_home_internet_se", "low_digital_skills_se"} <= set(data.columns)
    rows = evi.at_level(data, "csd")
    u = index.uncertainty(evi.compare.engine_spec(spec), rows, draws=60, seed=1)
    assert "measurement" in set(u.sobol["factor"]) and u.runs["measurement"].nunique() > 1


def test_one_set_of_rank_intervals_for_the_exports_the_map_and_the_database(own_files, tmp_path):
    """The intervals of `evi results`, of the service-point map and of the common database are the
    same figures: one function computes them from the analysis's draws and seed."""
    from playbook.figures import webmap
    from playbook.publish import collect

    m = own_files(index={"levels": ["csd"], "draws": 40, "seed": 11})
    run.write_results(m, tmp_path / "out", lang="en")
    exported = pd.read_csv(tmp_path / "out" / "evi_csd.csv", encoding="utf-8-sig", dtype={"DGUID": str}).set_index("DGUID")
    exported = exported["Rank, 95th percentile of the uncertainty analysis"].dropna()
    spec = evi.analysis_spec(None, m)
    data = evi.indicator_data(evi.read_inputs(spec, manifest=m), spec)
    database = collect.index_results(data, spec, draws=m.draws, seed=m.seed).frame
    database = database[database["level"] == "csd"].set_index("DGUID")["rank_p95"].astype(float)
    mapped = webmap.analysis_layers(m, lang="en").layers["csd"]
    mapped = pd.DataFrame(mapped.drop(columns="geometry")).set_index("code")["rank_p95"].dropna()
    mapped.index = "2021A0005" + mapped.index.astype(str)  # the map shows the CSD code; DGUID = vintage, type, schema, code
    assert len(exported) > 100 and len(mapped) > 100
    database.index, mapped.index = database.index.astype(str), mapped.index.astype(str)
    assert database.loc[exported.index].tolist() == exported.tolist()
    common = [g for g in exported.index if g in mapped.index]
    assert len(common) > 100
    assert mapped.loc[common].astype(float).tolist() == exported.loc[common].tolist()
