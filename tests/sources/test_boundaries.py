"""Boundary readers: the embedded simplified files, and official zips read as published (tiny fixtures
written here as a shapefile or a GeoPackage with the official column names)."""

import zipfile

import geopandas as gpd
import pytest
from shapely.geometry import box

from playbook.errors import PlaybookError
from playbook.sources import boundaries as b


def _squares(columns: dict, crs="EPSG:3347") -> gpd.GeoDataFrame:
    n = len(next(iter(columns.values())))
    # 10 km squares near Regina in Statistics Canada Lambert
    geoms = [box(5_000_000 + 20_000 * i, 1_700_000, 5_010_000 + 20_000 * i, 1_710_000) for i in range(n)]
    return gpd.GeoDataFrame(columns, geometry=geoms, crs=crs)


def shapefile_zip(tmp_path, name, gdf, *, drop=()):
    folder = tmp_path / name
    folder.mkdir()
    gdf.to_file(folder / f"{name}.shp", encoding="latin1")
    path = tmp_path / f"{name}.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for part in folder.iterdir():
            if part.suffix not in drop:
                zf.write(part, part.name)
    return path


def geopackage_zip(tmp_path, name, gdf):
    gpkg = tmp_path / f"{name}.gpkg"
    gdf.to_file(gpkg, driver="GPKG")
    path = tmp_path / f"{name}.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.write(gpkg, gpkg.name)
    return path


def test_csd_2021_shapefile_zip(tmp_path):
    gdf = _squares(
        {
            "CSDUID": ["4706027", "4706028"],
            "DGUID": ["2021A00054706027", "2021A00054706028"],
            "CSDNAME": ["Regina", "Lumsden No. 189"],
            "PRUID": ["47", "47"],
        }
    )
    out = b.read_boundary_zip(shapefile_zip(tmp_path, "lcsd000b21a_e", gdf, drop=(".cpg",)), crs=b.CRS_DEGREES)
    assert out["DGUID"].tolist() == ["2021A00054706027", "2021A00054706028"]
    assert out.crs.to_epsg() == 4326 and out.attrs["level"] == "Census subdivision"
    assert out.geometry.representative_point().y.between(49, 52).all()  # near Regina, 50.4 N


def test_latin1_names_are_read(tmp_path):
    gdf = _squares({"PRUID": ["24"], "DGUID": ["2021A000224"], "PRNAME": ["Quebec / Québec"]})
    out = b.read_boundary_zip(shapefile_zip(tmp_path, "lpr_000b21a_e", gdf, drop=(".cpg",)))
    assert out.loc[0, "PRNAME"] == "Quebec / Québec" and out.crs.to_epsg() == 3347


def test_2016_files_get_a_dguid(tmp_path):
    pr = b.read_boundary_zip(geopackage_zip(tmp_path, "lpr_000b16a_e", _squares({"PRUID": ["35", "62"]})))
    assert pr["DGUID"].tolist() == ["2016A000235", "2016A000262"]
    cma = _squares({"CMAUID": ["505", "015"], "CMATYPE": ["B", "K"], "PRUID": ["35", "10"]})
    out = b.read_boundary_zip(shapefile_zip(tmp_path, "lcma000b16a_e", cma))
    assert out["DGUID"].tolist() == ["2016S0503505", "2016S0504015"]
    da = b.read_boundary_zip(geopackage_zip(tmp_path, "lda_000b16a_e", _squares({"DAUID": ["11010043"]})))
    assert da["DGUID"].tolist() == ["2016S051211010043"]


def test_simplify_for_maps(tmp_path):
    gdf = _squares({"PRUID": ["47"], "DGUID": ["2021A000247"]})
    out = b.read_boundary_zip(geopackage_zip(tmp_path, "lpr_000b21a_e", gdf), simplify_m=500)
    assert out.geometry.iloc[0].area == pytest.approx(1e8)


def test_missing_id_column_names_the_field(tmp_path):
    path = geopackage_zip(tmp_path, "lcsd000b21a_e", _squares({"NAME": ["x"]}))
    with pytest.raises(PlaybookError, match=r"lcsd000b21a_e.zip, field 'CSDUID': column 'CSDUID' missing"):
        b.read_boundary_zip(path)


def test_truncated_zip_is_refused(tmp_path):
    good = geopackage_zip(tmp_path, "lpr_000b21a_e", _squares({"PRUID": ["47"], "DGUID": ["2021A000247"]}))
    bad = tmp_path / "broken" / "lpr_000b21a_e.zip"
    bad.parent.mkdir()
    bad.write_bytes(good.read_bytes()[:200])
    with pytest.raises(PlaybookError, match="not a readable zip file"):
        b.read_boundary_zip(bad)


def test_zip_without_a_layer(tmp_path):
    path = tmp_path / "lpr_000b21a_e.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "nothing here")
    with pytest.raises(PlaybookError, match=r"found 0 readable layers .*expected one .shp"):
        b.read_boundary_zip(path)


@pytest.mark.parametrize(
    "name,count",
    [
        ("boundaries_provinces_2021", 13),
        ("boundaries_cd_2021", 293),
        ("boundaries_csd_2021_sk", 951),
        ("boundaries_csd_2021", 2148),
        ("boundaries_pei_da_2021", 319),
    ],
)
def test_embedded_boundaries(name, count):
    gdf = b.read_boundaries(name)
    assert len(gdf) == count and gdf["DGUID"].is_unique and gdf.crs.to_epsg() == 3347


def test_centroids_in_degrees():
    c = b.centroids(b.read_boundaries("boundaries_provinces_2021")).set_index("DGUID")
    assert c.loc["2021A000211", "lat"] == pytest.approx(46.4, abs=0.3)  # Prince Edward Island
    assert c.loc["2021A000211", "lon"] == pytest.approx(-63.2, abs=0.5)


def test_unknown_boundary_name():
    with pytest.raises(PlaybookError, match="not a boundary dataset"):
        b.read_boundaries("population_2021")
