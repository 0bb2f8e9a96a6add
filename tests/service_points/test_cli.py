"""The `catchments` command: its contract (columns, values), and clean failures."""

import math
import subprocess
import sys

import pandas as pd
import pytest

from playbook import cli

TENTH = 6371.0088 * math.pi / 1800
AREAS = (
    "id,lat,lon,population,score\nA1,50.0,-100.0,100,10\nA2,50.2,-100.0,200,20\nA3,50.4,-100.0,300,30\n"
    "A4,50.6,-100.0,400,40\nA5,51.0,-100.0,500,90\n"
)
POINTS = "id,name,lat,lon\nP1,First,50.0,-100.0\nP2,Second,50.6,-100.0\n"


def command(files, *extra, areas="areas.csv"):
    """The catchments command line on the fixture files, plus ``extra`` options."""
    return ["catchments", "--areas", str(files / areas), "--points", str(files / "points.csv"), *map(str, extra)]


@pytest.fixture
def files(tmp_path):
    (tmp_path / "areas.csv").write_text(AREAS)
    (tmp_path / "points.csv").write_text(POINTS)
    return tmp_path


def test_contract_end_to_end(files):
    out, per_point = files / "out.csv", files / "points_out.csv"
    args = command(files, "--radius-km", 50, "--out", out, "--points-out", per_point)
    result = subprocess.run([sys.executable, "-m", "playbook", *args], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    table = pd.read_csv(out, dtype={"id": str, "nearest_point": str})
    assert list(table.columns) == ["id", "nearest_point", "distance_km", "points_within"]
    assert table["nearest_point"].tolist() == ["P1", "P1", "P2", "P2", "P2"]
    assert table["distance_km"].tolist() == pytest.approx([0, 2 * TENTH, 2 * TENTH, 0, 4 * TENTH], abs=1e-3)
    assert table["points_within"].tolist() == [1, 2, 2, 1, 1]
    points = pd.read_csv(per_point)
    assert list(points.columns) == ["id", "population_within", "mean_score_within", "vulnerable_within"]
    assert points["population_within"].tolist() == [600, 1400]
    expected_mean = [(1000 + 4000 + 9000) / 600, (4000 + 9000 + 16000 + 45000) / 1400]
    assert points["mean_score_within"].tolist() == pytest.approx(expected_mean, abs=1e-3)
    assert points["vulnerable_within"].tolist() == [0, 500]


def test_detour_option(files):
    assert cli.main(command(files, "--radius-km", 50, "--out", files / "out.csv", "--detour", 1.3)) == 0
    table = pd.read_csv(files / "out.csv")
    assert table["distance_km"].tolist() == pytest.approx([0, 2.6 * TENTH, 2.6 * TENTH, 0, 5.2 * TENTH], abs=1e-3)
    assert table["points_within"].tolist() == [1, 1, 1, 1, 0]  # 57.8 km by road > 50


def test_travel_matrix_option(files):
    (files / "m.csv").write_text("area_id,point_id,distance_km\nA1,P1,3\nA5,P2,61\n")
    assert cli.main(command(files, "--out", files / "out.csv", "--travel-matrix", files / "m.csv")) == 0
    table = pd.read_csv(files / "out.csv", keep_default_na=False)
    assert table["distance_km"].astype(str).tolist() == ["3.000", "", "", "", "61.000"]
    assert table["points_within"].tolist() == [1, 0, 0, 0, 0]


def test_without_score_the_score_columns_are_empty(files):
    (files / "plain.csv").write_text("id,lat,lon,population\nA1,50.0,-100.0,100\n")
    args = command(files, "--out", files / "o.csv", "--points-out", files / "p.csv", areas="plain.csv")
    assert cli.main(args) == 0
    points = pd.read_csv(files / "p.csv")
    assert points["population_within"].tolist() == [100, 0]
    assert points["mean_score_within"].isna().all() and points["vulnerable_within"].isna().all()


@pytest.mark.parametrize(
    "areas,message",
    [
        ("id,lat,lon\nA1,50,-100\n", r"areas.csv, row 1, field 'population': column\(s\) population missing"),
        ("id,lat,lon,population\nA1,50,-100,10\nA1,51,-100,10\n", r"areas.csv, row 3, field 'id': duplicate id 'A1'"),
        (
            "id,lat,lon,population\nA1,50,-100,10\nA2,30,-100,10\n",
            r"areas.csv, row 3, field 'lat': 30 is outside Canada",
        ),
        ("id,lat,lon,population\nA1,50,-100,many\n", r"areas.csv, row 2, field 'population': 'many' is not valid"),
        ("id,lat,lon,population\nA1,50,-100,-5\n", r"areas.csv, row 2, field 'population': '-5' is not valid"),
    ],
)
def test_bad_areas_exit_2_and_leave_nothing(files, capsys, areas, message):
    (files / "areas.csv").write_text(areas)
    status = cli.main(command(files, "--out", files / "out.csv", "--points-out", files / "p.csv"))
    err = capsys.readouterr().err.strip()
    assert status == 2 and "\n" not in err
    assert pd.Series([err]).str.contains(message).all(), err
    assert sorted(p.name for p in files.iterdir()) == ["areas.csv", "points.csv"]  # no output, no temporary file


def test_bad_points_name_the_row(files, capsys):
    (files / "points.csv").write_text("id,lat,lon\nP1,50,-100\nP1,51,-100\n")
    assert cli.main(command(files, "--out", files / "out.csv")) == 2
    assert "points.csv, row 3, field 'id': duplicate id 'P1' (first on row 2)" in capsys.readouterr().err
    assert not (files / "out.csv").exists()


def test_bad_radius(files, capsys):
    with pytest.raises(SystemExit) as stop:  # refused where the option is read (playbook.options)
        cli.main(command(files, "--radius-km", 0, "--out", files / "out.csv"))
    assert stop.value.code == 2
    assert "--radius-km" in capsys.readouterr().err


def test_from_a_manifest_its_areas_and_network(csd_profile, offices, write_manifest, tmp_path, capsys):
    m = write_manifest(census={"profile": str(csd_profile)}, service_points=[{"network": "offices", "path": str(offices)}],
                       index={"radius_km": 30})
    out, per_point = tmp_path / "out.csv", tmp_path / "per_point.csv"
    assert cli.main(["catchments", "--manifest", str(m.path), "--out", str(out), "--points-out", str(per_point)]) == 0
    printed = capsys.readouterr().out
    assert "network offices: 3 points, 3 with a location" in printed and "radius 30 km" in printed
    assert "Not in this analysis: Service Canada points of service" in printed
    assert "Distances not reported" not in printed  # the offices cover the analysis' two provinces
    table = pd.read_csv(out, dtype={"id": str, "nearest_point": str})
    assert list(table.columns) == ["id", "nearest_point", "distance_km", "points_within"]
    assert table["id"].str[9:11].isin(["11", "12"]).all() and set(table["nearest_point"]) <= {"OF-1", "OF-2", "OF-3"}
    bridgewater = table.set_index("id").loc["2021A00051206004"]
    assert bridgewater["nearest_point"] == "OF-2" and bridgewater["distance_km"] == pytest.approx(0, abs=1e-6)
    assert pd.read_csv(per_point)["population_within"].gt(0).all()


def test_a_manifest_network_that_does_not_exist_and_a_missing_input(csd_profile, write_manifest, tmp_path, capsys):
    m = write_manifest(census={"profile": str(csd_profile)})
    assert cli.main(["catchments", "--manifest", str(m.path), "--network", "vans", "--out", str(tmp_path / "o.csv")]) == 2
    err = capsys.readouterr().err
    assert "no network 'vans' in the analysis" in err and "service_canada, libraries" in err
    assert cli.main(["catchments", "--points", str(tmp_path / "p.csv"), "--out", str(tmp_path / "o.csv")]) == 2
    assert "--areas and --points are both needed without --manifest" in capsys.readouterr().err


def test_from_a_manifest_without_networks_the_embedded_ones_are_named_and_flagged(csd_profile, write_manifest, tmp_path,
                                                                                  capsys):
    m = write_manifest(census={"profile": str(csd_profile)})
    out = tmp_path / "out.csv"
    assert cli.main(["catchments", "--manifest", str(m.path), "--network", "libraries", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "names no service points" in printed  # the embedded networks, said so
    assert "Prince Edward Island (1 of 2 with a location)" in printed  # ODCAF lists 2 PEI libraries, 1 located
    assert set(pd.read_csv(out, dtype={"nearest_point": str})["nearest_point"].str[:6]) == {"ODCAF-"}
