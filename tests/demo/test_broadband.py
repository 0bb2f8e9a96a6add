import io
import zipfile

import numpy as np
import pandas as pd
import pytest

from playbook.demo.broadband import CRTC_HEADER, write_standin
from playbook.errors import PlaybookError
from playbook.geo.hierarchy import read_hierarchy
from playbook.sources import datasets
from playbook.sources.broadband import PHH_COLUMNS, SPEED_COLUMNS, read_broadband


@pytest.fixture(scope="module")
def hierarchy():
    return read_hierarchy()


@pytest.fixture(scope="module")
def standin(hierarchy, tmp_path_factory):
    das = hierarchy[hierarchy["level"] == "Dissemination area"]
    csds = hierarchy[hierarchy["level"] == "Census subdivision"]
    return write_standin(tmp_path_factory.mktemp("standin"), das, seed=7, csds=csds)


def members(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def test_official_names_and_headers(standin):
    phh, speeds = members(standin["phh"]), members(standin["speeds"])
    assert list(phh) == ["PHH_2021_CSV/PHH-PE.csv"]
    assert list(speeds) == ["PHH_Speeds_Current-PHH_Vitesses_Actuelles_PE.csv"]
    text = phh["PHH_2021_CSV/PHH-PE.csv"].decode("utf-8-sig")
    assert text.splitlines()[0].split(",") == [c.format(y=2021) for c in PHH_COLUMNS]
    assert speeds["PHH_Speeds_Current-PHH_Vitesses_Actuelles_PE.csv"].decode("utf-8-sig").splitlines()[0].split(",") == list(
        SPEED_COLUMNS)
    crtc = members(standin["crtc"])["C-T9.csv"].decode("cp1252").split("\r\n")
    assert next(csv for csv in crtc if csv.startswith("ID de la province")).split(",") == CRTC_HEADER


def expected_da_shares(standin) -> pd.Series:
    """The DA shares recomputed with plain pandas from the written files (independently of the reader)."""
    phh = pd.read_csv(io.BytesIO(members(standin["phh"])["PHH_2021_CSV/PHH-PE.csv"]), encoding="utf-8-sig",
                      dtype={"DBUID_Ididu": str})
    speeds = pd.read_csv(io.BytesIO(members(standin["speeds"])["PHH_Speeds_Current-PHH_Vitesses_Actuelles_PE.csv"]),
                         encoding="utf-8-sig")
    both = phh.merge(speeds, on="PHH_ID")
    both["without"] = both["Pop2021"] * (1 - both["Combined_50_10_Combine"])
    sums = both.groupby(both["DBUID_Ididu"].str[:8])[["without", "Pop2021"]].sum()
    shares = 100 * sums["without"] / sums["Pop2021"].where(sums["Pop2021"] > 0)
    shares.index = "2021S0512" + shares.index
    return shares


def test_round_trip_da_and_csd_agree_with_the_files_and_with_each_other(standin, hierarchy):
    da = read_broadband([standin["phh"], standin["speeds"]], level="da")
    das = hierarchy.loc[hierarchy["level"] == "Dissemination area", "DGUID"]
    assert set(da["DGUID"]) == set(das)
    np.testing.assert_allclose(da.set_index("DGUID")["pct_no_broadband_50_10"],
                               expected_da_shares(standin).reindex(da["DGUID"]), equal_nan=True)
    population = hierarchy.set_index("DGUID")["population"].reindex(da["DGUID"]).fillna(0).round()
    np.testing.assert_array_equal(da["population"], population)
    from_phh = read_broadband([standin["phh"], standin["speeds"]], level="csd", da_csd=hierarchy)
    from_crtc = read_broadband(standin["crtc"])
    assert len(from_crtc) == 5161 and from_crtc.attrs["data_year"] == 2023
    both = from_phh.merge(from_crtc, on="DGUID", suffixes=("_phh", "_crtc"))
    assert len(both) == len(from_phh) > 50
    np.testing.assert_allclose(both["pct_no_broadband_50_10_phh"], both["pct_no_broadband_50_10_crtc"], equal_nan=True)
    np.testing.assert_array_equal(both["population_phh"], both["population_crtc"])


def test_values_differ_from_the_demo_area_file(standin):
    da = read_broadband([standin["phh"], standin["speeds"]], level="da").set_index("DGUID")
    demo = pd.read_csv(datasets.path("demo_area_internet_2021"), dtype={"DGUID": str})
    demo = demo.set_index("DGUID")["pct_no_broadband_50_10"].reindex(da.index)
    gap = (da["pct_no_broadband_50_10"] - demo).abs()
    assert gap.mean() > 30
    assert da["pct_no_broadband_50_10"].mean() > 60 > demo.mean() + 40


def test_same_seed_same_files_other_seed_other_values(hierarchy, tmp_path, standin):
    das = hierarchy[hierarchy["level"] == "Dissemination area"].head(20)
    one = write_standin(tmp_path / "a", das, seed=3)
    two = write_standin(tmp_path / "b", das, seed=3)
    other = write_standin(tmp_path / "c", das, seed=4)
    for key in ("phh", "speeds", "crtc"):
        assert members(one[key]) == members(two[key])
        assert members(one[key]) != members(other[key])


def test_refuses_areas_it_cannot_use(hierarchy, tmp_path):
    with pytest.raises(PlaybookError, match=r"field 'csduid': the areas lack \['csduid'\]"):
        write_standin(tmp_path, pd.DataFrame({"DGUID": ["2021S051211010043"], "population": [10]}))
    csds = hierarchy[hierarchy["level"] == "Census subdivision"].head(3)
    with pytest.raises(PlaybookError, match=r"not all dissemination areas"):
        write_standin(tmp_path, csds)
