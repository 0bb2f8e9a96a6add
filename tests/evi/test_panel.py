"""The EVI over two census years: reading a 2016 and a 2021 layout into one long table, matching
areas by their geographic code, the unmatched-area report, the change table and chart."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from playbook import i18n
from playbook.codes import census_characteristics
from playbook.evi import method_charts, panel
from playbook.index import change
from playbook.sources import census, datasets

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "census" / "98-400-X2016001_slice_English_CSV_data.csv"


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setattr(census, "cache_dir", lambda: tmp_path / "cache")


def test_every_evi_census_characteristic_has_a_2016_id():
    ids = panel.year_ids(None, 2016)
    names_2016 = census_characteristics(2016)
    names_2021 = census_characteristics(2021)
    for id_2021, id_2016 in ids.items():
        assert names_2016[id_2016]["indicator"] == names_2021[id_2021]["indicator"]
    assert ids[340] == 852 and ids[1536] == 1149 and ids[1] == 1


def test_2016_fixture_and_2021_demo_slice_in_one_long_table():
    # the real 2016 data table: Canada, PEI, Charlottetown and Summerside (CAs), Montréal (CMA)
    real_2016 = census.extract(FIXTURE, [1])
    k16 = panel.geo_keys(real_2016, 2016)
    assert k16["kind"].tolist() == ["country", "pr", "cma_ca", "cma_ca", "cma_ca"]
    assert k16["code"].tolist() == ["01", "11", "105", "110", "462"]  # 11105 -> CMA/CA code 105
    demo_2021 = census.extract(datasets.path("demo_census_profile_2021"), [1])
    pei = demo_2021[demo_2021["GEO_NAME"].isin(["Canada", "Prince Edward Island", "Charlottetown", "Summerside"])
                    & demo_2021["GEO_LEVEL"].isin(["Country", "Province", "Census agglomeration"])]
    frames = {}
    for year, frame in ((2016, real_2016), (2021, pei.reset_index(drop=True))):
        keys = panel.geo_keys(frame, year)
        frames[year] = pd.concat([keys[["kind", "code"]], frame.assign(GEO_LEVEL=keys["GEO_LEVEL"])], axis=1).assign(
            year=year)
    long = panel.long_table(frames)
    assert long.groupby("unit")["year"].nunique().to_dict() == {
        "country:01": 2, "pr:11": 2, "cma_ca:105": 2, "cma_ca:110": 2, "cma_ca:462": 1}
    report = panel.unmatched(long)
    assert report[["unit", "GEO_NAME", "present"]].values.tolist() == [["cma_ca:462", "Montréal", "2016"]]
    pei_2016 = long[(long["unit"] == "pr:11") & (long["year"] == 2016)]
    assert float(pei_2016["c1"].iloc[0]) == 142910.0  # the real 2016 total, as published


@pytest.fixture(scope="module")
def demo_long():
    return panel.read_panel()


def test_demo_panel_reads_both_profiles_and_reports_unmatched_areas(demo_long):
    assert set(demo_long["year"]) == {2016, 2021}
    csd = panel.at_level(demo_long, "csd")
    assert set(csd["GEO_LEVEL"]) == {"Census subdivision"}
    report = panel.unmatched(demo_long)
    # the 14 CSDs without a 2016 population (table 98-10-0002) are in 2021 only; kinds absent from
    # the 2016 file (provinces, CMAs) are not compared
    assert len(report) == 14 and set(report["present"]) == {"2021"} and set(report["kind"]) == {"csd"}
    # the same spec gives the same indicators from both layouts
    mean = demo_long.groupby("year")["seniors_65_plus"].mean()
    assert mean[2016] < mean[2021]  # the population aged between 2016 and 2021


def test_demo_panel_change_table_is_protected_and_labelled(demo_long):
    p = panel.build(None, demo_long, "da")
    assert p.choices["panel"]["normalise"] == "pooled over periods"
    table = change(p, 2016, 2021)
    assert table["present"].eq("both").all()
    for lang in ("en", "fr"):
        shown = panel.change_table(p, demo_long, n=5, lang=lang)
        assert i18n.t("evi_panel_change", lang) in shown.columns
        pops = shown[i18n.t("evi_panel_population", lang, year=2021)].dropna()
        assert (pops % 5 == 0).all()  # randomly rounded counts
        assert i18n.t("evi_area_code", lang) in shown.columns and i18n.t("evi_area", lang) not in shown.columns
    named = panel.change_table(p, demo_long, n=5, names=True)  # only for inputs that are all real
    assert named[i18n.t("evi_area", "en")].notna().all()
    assert panel.synthetic()  # the demo inputs: scores go with codes, never names


def test_change_chart_labels_source_and_alt_text_in_both_languages():
    table = pd.DataFrame({"score_2016": [10.0, 20.0, 30.0, np.nan], "score_2021": [12.0, 18.0, 35.0, 40.0]})
    for lang in ("en", "fr"):
        source = panel.source_line(lang)
        figure = method_charts.change_chart(table, 2016, 2021, source=source, lang=lang)
        ax = figure.fig.axes[0]
        assert ax.get_xlabel() == i18n.t("evi_panel_score", lang, year=2016)
        assert ax.get_ylabel() == i18n.t("evi_panel_score", lang, year=2021)
        texts = [" ".join(t.get_text().split()) for t in [*figure.fig.texts, figure.fig._suptitle]]
        assert " ".join(i18n.t("evi_fig_change_title", lang, from_year=2016, to_year=2021).split()) in texts
        assert ("demo data, synthetic" if lang == "en" else "synthétiques") in source
        assert " ".join(source.split()) in texts
        assert "3" in figure.alt and "2016" in figure.alt
        assert ("areas lie above" if lang == "en" else "régions sont au-dessus") in figure.alt
