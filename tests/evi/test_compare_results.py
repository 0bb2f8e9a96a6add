"""evi_compare and evi_results on a small table, with the index engine."""

import numpy as np
import pandas as pd
import pytest

from playbook import evi, privacy


@pytest.fixture
def csd(indicator_data):
    return evi.at_level(indicator_data, "csd")


def test_variants_and_rank_changes(csd):
    results = evi.compare.variants(
        None,
        csd,
        {"spec": {}, "geo": {"normalise": {"method": "minmax", "range": [1, 100]}, "aggregate": {"method": "geometric"}}},
    )
    table = evi.compare.rank_changes(results, base="spec", top=5, lang="en").set_index("Variant")
    assert table.loc["As specified", "Mean rank shift"] == 0 and table.loc["As specified", "Top 5 kept"] == 5
    assert table.loc["As specified", "Rank correlation with the default"] == pytest.approx(1)
    assert 0 < table.loc["geo", "Rank correlation with the default"] < 1  # a variant the analyst named
    french = evi.compare.rank_changes(results, base="spec", top=5, lang="fr")
    assert "Selon la spécification" in set(french.iloc[:, 0])


def test_top_areas_pass_disclosure_control(csd):
    data = csd.copy()
    result = evi.compare.build(None, data)
    first = result.scores.sort_values("rank")["DGUID"].iloc[0]
    policy = privacy.Policy.default()
    data.loc[data["DGUID"] == first, "population"] = policy.threshold - 1  # under the policy's threshold
    table = evi.compare.top_areas(result, data, 3, lang="en")
    assert np.isnan(table.loc[0, "Population, 2021"]) and np.isnan(table.loc[0, "E-Vulnerability Index"])
    assert (table.loc[1:, "Population, 2021"] % policy.rounding_base == 0).all()  # rounded to the policy's base
    assert table["Rank"].tolist() == [1, 2, 3]


def test_rollup_is_population_weighted(csd):
    result = evi.compare.build(None, csd)
    provinces = evi.results.rollup(result, "pruid", lang="fr").set_index("pruid")
    units = result.scores.merge(csd[["DGUID", "pruid", "population"]], on="DGUID")
    ab = units[units["pruid"] == "48"]
    expected = (ab["score"] * ab["population"]).sum() / ab["population"].sum()
    assert provinces.loc["48", "score"] == pytest.approx(expected)
    assert provinces.loc["24", "name"] == "Province\u00a024 (démo)"  # the demo's scores are synthetic
    named = evi.results.rollup(result, "pruid", lang="fr", synthetic=False).set_index("pruid")
    assert named.loc["24", "name"] == "Québec"
    assert sorted(provinces["rank"].tolist()) == list(range(1, 14))


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_labelled_rollup_for_readers(csd, lang):
    from playbook import i18n

    result = evi.compare.build(None, csd)
    raw = evi.results.rollup(result, "pruid", lang=lang)
    table = evi.results.labelled(raw, "pruid", lang=lang)
    t = lambda key: i18n.t(key, lang)  # noqa: E731
    assert list(table.columns) == [t("evi_area"), *evi.dimension_labels(None, lang).values(), t("evi_score"),
                                   t("population_2021"), t("evi_population_covered"), t("evi_rank_short"),
                                   t("evi_quintile")]
    assert table[t("evi_rank_short")].tolist() == sorted(raw["rank"].tolist())  # most vulnerable first
    first = raw.loc[raw["rank"].idxmin()]
    row = table.iloc[0]
    assert row[t("evi_area")] == first["name"] and row[t("evi_score")] == pytest.approx(first["score"])
    base = privacy.Policy.default().rounding_base  # rounded to the policy's base
    assert row[t("population_2021")] % base == 0 and abs(row[t("population_2021")] - first["population"]) < base
    assert row[t("evi_population_covered")] == pytest.approx(100 * first["population_covered"], abs=0.05)
    cmas = raw.rename(columns={"pruid": "cma_dguid"})
    first_dimension = next(iter(evi.dimension_labels(None, lang).values()))
    assert list(evi.results.labelled(cmas, "cma_dguid", lang=lang).columns)[:3] == ["DGUID", t("evi_area"),
                                                                                   first_dimension]
    classes = raw.drop(columns="name").rename(columns={"pruid": "area_class"})
    assert list(evi.results.labelled(classes, "area_class", lang=lang).columns)[0] == t("evi_area_class")


def test_area_classes_from_the_sac():
    data = pd.DataFrame({"sac_type": [1, 3, 4, 5, 6, 8, None]})
    classes = evi.results.area_classes(data, "en").str.split(" ").str[0].tolist()
    assert classes[:6] == ["Urban", "Urban", "Rural", "Rural", "Remote", "Remote"] and pd.isna(classes[6])


def test_export_writes_csv_excel_geojson(csd, tmp_path):
    import geopandas as gpd
    from openpyxl import load_workbook
    from shapely.geometry import Point

    result = evi.compare.build(None, csd)
    table = evi.results.published(result, csd, lang="en")
    shapes = gpd.GeoDataFrame({"DGUID": ["x"], "score": [1.0]}, geometry=[Point(0, 0)], crs="EPSG:4326")
    written = evi.results.export({"csd": table}, tmp_path, shapes={"points": shapes}, source="Source: test.")
    assert sorted(p.name for p in written) == ["evi.xlsx", "evi_csd.csv", "evi_points.geojson"]
    assert load_workbook(tmp_path / "evi.xlsx").sheetnames == ["source", "csd"]
    back = pd.read_csv(tmp_path / "evi_csd.csv", encoding="utf-8-sig")
    assert len(back) == len(csd) and "E-Vulnerability Index" in back.columns
    assert not list(tmp_path.glob(".*.part"))



@pytest.mark.parametrize("synthetic", [True, False])
def test_every_download_ends_with_its_source_in_its_language(csd, tmp_path, synthetic):
    import json

    import geopandas as gpd
    from shapely.geometry import Point

    from playbook import i18n

    result = evi.compare.build(None, csd)
    shapes = gpd.GeoDataFrame({"DGUID": ["x"], "score": [1.5]}, geometry=[Point(0, 0)], crs="EPSG:4326")
    for lang in ("en", "fr"):
        folder = tmp_path / f"{lang}-{synthetic}"
        source = i18n.source_line("Statistics Canada", synthetic=synthetic, lang=lang)
        table = evi.results.published(result, csd, lang=lang)
        evi.results.export({"csd": table}, folder, shapes={"points": shapes}, source=source, synthetic=synthetic,
                           lang=lang)
        back = evi.results.read_export(folder / "evi_csd.csv", dtype={"DGUID": str})
        assert list(back.columns) == [*table.columns, "source"]  # the contract kept, the source added at the end
        assert (back["source"] == source).all()
        marker = i18n.t("site_synthetic_marker", lang).lower()
        assert (marker in back["source"].iloc[0].lower()) is synthetic
        feature = json.loads((folder / "evi_points.geojson").read_text(encoding="utf-8"))["features"][0]
        assert feature["properties"]["source"] == source and feature["properties"]["synthetic"] is synthetic
        assert feature["properties"].get("notice") == (i18n.t("webmap_notice_short", lang) if synthetic else None)
        levels = set(back[i18n.t("evi_level", lang)])
        assert levels == {i18n.geo_level("Census subdivision", lang)}
        assert back[i18n.t("evi_score", lang)].dtype.kind == "f"  # numbers read back as numbers
    french = (tmp_path / f"fr-{synthetic}" / "evi_csd.csv").read_text(encoding="utf-8-sig")
    header, first = french.splitlines()[:2]
    assert header.count(";") == len(table.columns) and "," not in header.replace(", ", "")  # Excel in a French locale
    assert "Subdivision de recensement" in first and "Census subdivision" not in french
    assert "True" not in french and "False" not in french  # yes/no in French


def test_a_synthetic_flag_adds_the_notice_to_a_plain_source_line(csd, tmp_path):
    from playbook import i18n

    table = evi.results.published(evi.compare.build(None, csd), csd, lang="fr")
    evi.results.export({"csd": table}, tmp_path, source="Source : un fichier.", synthetic=True, lang="fr")
    back = evi.results.read_export(tmp_path / "evi_csd.csv")
    assert back["source"].iloc[0] == "Source : un fichier. " + i18n.t("site_synthetic_banner_title", "fr")

def test_compensation_example_by_hand():
    table = evi.compare.compensation_example("en").set_index("Area")
    assert table.loc["B", "Arithmetic mean"] == pytest.approx(50)
    assert table.loc["B", "Geometric mean"] == pytest.approx((90 * 10 * 50) ** (1 / 3))
    assert table.loc["B", "Minimum (non-compensatory)"] == pytest.approx(10)
