"""Catchments on a tiny map you can check by hand.

Five areas and two points on the meridian 100° W, where 0.1° of latitude is exactly
6,371.0088 km x pi/1800 = 11.11950802 km of great circle:

    lat   50.0  50.2  50.4  50.6  51.0
    area  A1    A2    A3    A4    A5      population 100 200 300 400 500, score 10 20 30 40 90
    point P1                P2

A5 alone is in the most vulnerable quintile (five areas, one per quintile).
"""

import math

import numpy as np
import pandas as pd
import pytest

from playbook import privacy
from playbook.errors import PlaybookError
from playbook.geo import catchments as c
from playbook.service_points import published

TENTH = 6371.0088 * math.pi / 1800  # km per 0.1 degree of latitude


@pytest.fixture
def areas():
    return pd.DataFrame(
        {
            "id": ["A1", "A2", "A3", "A4", "A5"],
            "lat": [50.0, 50.2, 50.4, 50.6, 51.0],
            "lon": [-100.0] * 5,
            "population": [100, 200, 300, 400, 500],
            "score": [10, 20, 30, 40, 90],
        }
    )


@pytest.fixture
def points():
    return pd.DataFrame({"id": ["P1", "P2"], "lat": [50.0, 50.6], "lon": [-100.0, -100.0]})


def test_haversine_hand_values():
    assert TENTH == pytest.approx(11.119508023)
    assert c.haversine_km(50.0, -100.0, 50.1, -100.0) == pytest.approx(TENTH, rel=1e-12)
    # one degree of longitude on the equator, and a quarter of the circumference pole to equator
    assert c.haversine_km(0.0, 0.0, 0.0, 1.0) == pytest.approx(111.19508023, rel=1e-9)
    assert c.haversine_km(90.0, 0.0, 0.0, 0.0) == pytest.approx(6371.0088 * math.pi / 2)
    # Ottawa to Montreal, by the formula worked out on paper: 2R asin(sqrt(h))
    lat1, lon1, lat2, lon2 = map(math.radians, (45.4215, -75.6972, 45.5017, -73.5673))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    assert c.haversine_km(45.4215, -75.6972, 45.5017, -73.5673) == pytest.approx(2 * 6371.0088 * math.asin(math.sqrt(h)))


def test_nearest_distance_and_count(areas, points):
    out = c.area_catchments(areas, points, radius=25)
    assert out["nearest_point"].tolist() == ["P1", "P1", "P2", "P2", "P2"]
    assert out["distance_km"].to_numpy() == pytest.approx([0, 2 * TENTH, 2 * TENTH, 0, 4 * TENTH], abs=1e-6)
    assert out["points_within"].tolist() == [1, 1, 1, 1, 0]
    wide = c.area_catchments(areas, points, radius=50)
    assert wide["points_within"].tolist() == [1, 2, 2, 1, 1]  # 4 tenths = 44.48 km <= 50


def test_detour_multiplies_distances(areas, points):
    out = c.area_catchments(areas, points, radius=25, source=c.GreatCircle(detour=1.3))
    assert out["distance_km"].to_numpy() == pytest.approx(np.array([0, 2, 2, 0, 4]) * TENTH * 1.3, abs=1e-6)
    assert out["points_within"].tolist() == [1, 0, 0, 1, 0]  # 28.9 km by road is beyond 25 km
    with pytest.raises(PlaybookError, match="detour"):
        c.GreatCircle(detour=0)


def test_per_point_population_score_and_vulnerable(areas, points):
    out = c.point_catchments(areas, points, radius=25).set_index("id")
    assert out.loc["P1", "population_within"] == 300
    assert out.loc["P1", "mean_score_within"] == pytest.approx((100 * 10 + 200 * 20) / 300)
    assert out.loc["P2", "population_within"] == 700
    assert out.loc["P2", "mean_score_within"] == pytest.approx((300 * 30 + 400 * 40) / 700)
    assert out["vulnerable_within"].tolist() == [0, 0]
    assert "sole_population" not in out  # only on request
    sole = c.point_catchments(areas, points, radius=25, sole=True)
    assert sole["sole_population"].tolist() == [300, 700]  # at 25 km no area sees both points
    wide = c.point_catchments(areas, points, radius=50, sole=True).set_index("id")
    assert wide["population_within"].tolist() == [600, 1400]
    assert wide.loc["P2", "vulnerable_within"] == 500
    # at 50 km A2 and A3 see both points: P1 alone serves A1 (100), P2 alone serves A4 and A5 (900)
    assert wide["sole_population"].tolist() == [100, 900] and wide["sole_vulnerable"].tolist() == [0, 500]


def test_brute_force_agrees_with_balltree(areas, points):
    idx, dist, within = c.brute_force_nearest(areas, points, radius=50)
    tree = c.area_catchments(areas, points, radius=50)
    assert points["id"].to_numpy()[idx].tolist() == tree["nearest_point"].tolist()
    assert dist == pytest.approx(tree["distance_km"].to_numpy(), abs=1e-6)
    assert within.tolist() == tree["points_within"].tolist()


def test_brute_force_agrees_on_random_areas():
    rng = np.random.default_rng(1)
    areas = pd.DataFrame({"id": range(2000), "lat": rng.uniform(42, 60, 2000), "lon": rng.uniform(-130, -55, 2000)})
    points = pd.DataFrame({"id": range(60), "lat": rng.uniform(42, 60, 60), "lon": rng.uniform(-130, -55, 60)})
    idx, dist, within = c.brute_force_nearest(areas, points, radius=300, detour=1.2)
    tree = c.area_catchments(areas, points, radius=300, source=c.GreatCircle(1.2))
    assert (tree["nearest_point"].astype(int).to_numpy() == idx).all()
    assert tree["distance_km"].to_numpy() == pytest.approx(dist, rel=1e-9)
    assert (tree["points_within"].to_numpy() == within).all()


def test_quintiles_and_vulnerable_flag(areas):
    assert c.quintiles(areas["score"]).tolist() == [1, 2, 3, 4, 5]
    assert c.vulnerable_flag(areas).tolist() == [False, False, False, False, True]
    assert c.vulnerable_flag(areas.assign(quintile=[5, 1, 1, 1, 1])).tolist() == [True, False, False, False, False]


def test_population_weighted_centroid():
    parts = pd.DataFrame(
        {
            "csd": ["X", "X", "Y"],
            "lat": [50.0, 50.2, 60.0],
            "lon": [-100.0, -100.0, -120.0],
            "population": [300, 100, 0],
        }
    )
    out = c.population_weighted_centroids(parts, by="csd").set_index("csd")
    assert out.loc["X", "lat"] == pytest.approx(50.05, abs=1e-3)  # 3:1 weights on a meridian
    assert out.loc["X", "lon"] == pytest.approx(-100.0)
    assert out.loc["Y", ["lat", "lon"]].tolist() == pytest.approx([60.0, -120.0])  # zero weight: plain mean


def test_close_a_point(areas, points):
    s = c.what_if(areas, points, radius=25, close=["P2"])
    assert s.areas.set_index("id")["change"].to_dict() == {"A1": "", "A2": "", "A3": "loses", "A4": "loses", "A5": ""}
    row = s.summary.iloc[0]
    assert (row["people_losing"], row["people_gaining"], row["vulnerable_losing"]) == (700, 0, 0)
    assert (row["people_covered_before"], row["people_covered_after"]) == (1000, 300)
    assert s.areas["distance_after"].to_numpy() == pytest.approx(np.array([0, 2, 4, 6, 10]) * TENTH, abs=1e-6)


def test_add_a_point_at_an_area_and_at_coordinates(areas, points):
    at_area = c.what_if(areas, points, radius=25, add=["A5"])
    assert at_area.summary.iloc[0]["vulnerable_gaining"] == 500
    assert at_area.areas.set_index("id").loc["A5", "change"] == "gains"
    at_coords = c.what_if(areas, points, radius=25, add=[("new", 50.8, -100.0)])  # 22.2 km from A5 and A4
    assert at_coords.summary.iloc[0]["people_gaining"] == 500
    with pytest.raises(PlaybookError, match="cannot add point"):
        c.what_if(areas, points, radius=25, add=["nowhere"])


def test_change_the_radius(areas, points):
    s = c.what_if(areas, points, radius=25, new_radius=50)
    assert s.summary.iloc[0][["people_gaining", "vulnerable_gaining", "people_losing"]].tolist() == [500, 500, 0]
    smaller = c.what_if(areas, points, radius=25, new_radius=10)
    assert smaller.summary.iloc[0]["people_losing"] == 500  # A2 and A3 are 22 km away


def test_close_unknown_point_is_an_error(areas, points):
    with pytest.raises(PlaybookError, match="unknown point"):
        c.what_if(areas, points, radius=25, close=["P9"])


def test_greedy_picks_the_vulnerable_area(areas, points):
    out = c.greedy_locations(areas, points, k=2, radius=25)
    assert out["id"].tolist() == ["A5"]  # after A5 nobody vulnerable is left uncovered: stops early
    assert out.iloc[0]["vulnerable_gained"] == 500 and out.iloc[0]["vulnerable_covered_pct"] == 100
    # without any existing point, one location at A4 (50.6) reaches A3, A4 within 25 km but not A5;
    # A5 is the only vulnerable area, so the first pick must reach it
    none = c.greedy_locations(areas, points.iloc[:0], k=1, radius=50)
    assert none.iloc[0]["vulnerable_gained"] == 500
    with pytest.raises(PlaybookError, match="k = 0"):
        c.greedy_locations(areas, points, k=0, radius=25)


def test_greedy_prefers_the_larger_gain():
    areas = pd.DataFrame(
        {
            "id": ["a", "b", "c"],
            "lat": [50.0, 50.1, 55.0],
            "lon": [-100.0] * 3,
            "population": [100, 100, 150],
            "vulnerable": [True, True, True],
        }
    )
    out = c.greedy_locations(areas, areas.iloc[:0], k=2, radius=20)
    assert out["vulnerable_gained"].tolist() == [200, 150]  # a+b (11 km apart) first, then c
    assert out["vulnerable_covered_pct"].tolist() == pytest.approx([200 / 350 * 100, 100])


def test_matrix_quadrants_and_coverage_curve(areas, points):
    nearest = c.area_catchments(areas, points, radius=25)
    m = c.distance_matrix(nearest, areas)
    assert m.loc[5, "25–50"] == 500 and m.to_numpy().sum() == 1500
    assert m.loc[1, "0–10"] == 100 and m.loc[2, "10–25"] == 200
    q = c.quadrants(nearest, areas, radius=25).set_index(["vulnerable", "far"])
    assert q.loc[(True, True), "population"] == 500 and q.loc[(False, False), "population"] == 1000
    curve = c.coverage_curve(nearest, areas, distances=[0, 25, 50])
    assert curve["share_all_pct"].tolist() == pytest.approx([500 / 1500 * 100, 1000 / 1500 * 100, 100])
    assert curve["share_vulnerable_pct"].tolist() == pytest.approx([0, 0, 100])


def test_travel_matrix_replaces_straight_lines(tmp_path, areas, points):
    path = tmp_path / "matrix.csv"
    path.write_text("area_id,point_id,minutes\nA1,P1,5\nA1,P2,40\nA5,P2,70\nA5,P1,65\nA2,P1,12\n")
    source = c.TravelMatrix.from_csv(path)
    out = c.area_catchments(areas, points, radius=60, source=source)
    assert source.unit == "min"
    assert out["nearest_point"].tolist() == ["P1", "P1", "", "", "P1"]
    assert out["distance_km"].tolist()[:2] == [5, 12] and np.isnan(out["distance_km"].iloc[2])
    assert out["points_within"].tolist() == [2, 1, 0, 0, 0]
    bad = tmp_path / "bad.csv"
    bad.write_text("area_id,point_id,distance_km\nA1,P1,far\n")
    with pytest.raises(PlaybookError, match=r"bad.csv, row 2, field 'distance_km'"):
        c.TravelMatrix.from_csv(bad)
    with pytest.raises(PlaybookError, match="no row in the travel matrix"):
        c.what_if(areas, points, radius=60, add=[("X", 50.0, -100.0)], source=source)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_published_tables_are_labelled_and_protected(areas, points, lang):
    from playbook import i18n

    areas = areas.assign(name=[f"Place {i}" for i in range(5)], pruid="46", population=[100, 204, 5, 400, 500])
    named = points.assign(name_en=["Office one", "Office two"], province="MB")
    near = c.area_catchments(areas, named, 25)
    table = published.area_table(areas, near, near, named, radius_km=25, score_label="Score", lang=lang)
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    assert list(table.columns) == ["DGUID", t("catchments_col_place"), t("catchments_col_province"),
                                   t("population_2021"), "Score", t("catchments_col_nearest_sc"),
                                   t("catchments_col_distance_sc"), t("catchments_col_sc_within", radius="25"),
                                   t("catchments_col_distance_library")]
    rows = table.set_index("DGUID")
    base = privacy.Policy.default().rounding_base
    a2 = rows.loc["A2", t("population_2021")]
    assert a2 % base == 0 and abs(a2 - 204) < base  # rounded to a neighbouring multiple of the policy's base
    assert pd.isna(rows.loc["A3", t("population_2021")]) and pd.isna(rows.loc["A3", "Score"])  # under the threshold
    assert rows.loc["A1", t("catchments_col_nearest_sc")] == "Office one"
    assert table[t("catchments_col_distance_sc")].tolist() == sorted(table[t("catchments_col_distance_sc")],
                                                                      reverse=True)  # farthest first
    per_point = c.point_catchments(areas, named, 25, sole=True).merge(named, on="id")
    points_table = published.point_table(per_point, lang=lang).set_index("id")
    assert points_table.loc["P1", t("catchments_col_population_within")] % base == 0
    score = points_table.loc["P1", t("catchments_col_mean_score")]
    assert score == pytest.approx(round(per_point.set_index("id").loc["P1", "mean_score_within"], 1))
