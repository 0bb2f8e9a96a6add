"""The tables to share: distances withheld where a source covers a province poorly, and no real place
or office named beside a synthetic score (names back with real inputs)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from playbook import i18n
from playbook.geo import catchments as c
from playbook.service_points import networks as nw
from playbook.service_points import published
from playbook.service_points.areas import csd_areas
from playbook.sources import manifest as manifests


@pytest.fixture
def toy():
    """Four areas in two provinces, two points, 25 km: Saskatchewan's distances withheld."""
    areas = pd.DataFrame({"id": ["A1", "A2", "A3", "A4"], "name": ["One", "Two", "Three", "Four"],
                          "pruid": ["46", "46", "47", "47"], "population": [1000, 2000, 3000, 4000],
                          "score": [10.0, 20.0, 30.0, 90.0], "lat": [50.0, 50.1, 52.0, 52.5], "lon": [-100.0] * 4})
    points = pd.DataFrame({"id": ["P1", "P2"], "name_en": ["Office one", "Office two"], "lat": [50.0, 52.0],
                           "lon": [-100.0, -100.0]})
    return areas, points, c.area_catchments(areas, points, 25)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_reach_table_withholds_distances_where_the_source_is_poor(toy, lang):
    areas, points, near = toy
    hide = np.array([False, False, True, True])
    names = pd.Series(["Office one", "Office two"], index=["P1", "P2"])
    table = published.reach_table(areas, [published.Reach("clinics", "Clinics", near, names, hide)], radius_km=25,
                                  score_label="Score", lang=lang)
    distance = i18n.t("catchments_col_distance_network", lang, network="Clinics")
    nearest = i18n.t("catchments_col_nearest_network", lang, network="Clinics")
    rows = table.set_index("DGUID")
    assert rows.loc[["A3", "A4"], distance].isna().all() and rows.loc[["A3", "A4"], nearest].isna().all()
    assert rows.loc["A2", distance] == pytest.approx(near.loc[1, "distance_km"], abs=0.05)
    assert rows.loc["A1", nearest] == "Office one"
    unreported = i18n.t("catchments_col_unreported", lang)
    assert rows.loc[["A3", "A4"], unreported].tolist() == ["Clinics", "Clinics"]
    assert rows.loc[["A1", "A2"], unreported].isna().all()


def test_province_table_marks_the_withheld_provinces(toy):
    areas, points, near = toy
    hide = areas["pruid"].eq("47").to_numpy()
    table = published.province_table(areas, [published.Reach("clinics", "Clinics", near, None, hide)], radius_km=25,
                                     lang="en").set_index(i18n.t("catchments_col_province", "en"))
    within = i18n.t("catchments_col_within_pct", "en", radius="25")
    assert table.loc["Manitoba", within] == pytest.approx(100.0)
    assert pd.isna(table.loc["Saskatchewan", within])
    assert table.loc["Saskatchewan", i18n.t("catchments_col_coverage", "en")] == i18n.t("catchments_distance_withheld", "en")


def test_point_table_with_generic_names_drops_the_ids(toy):
    areas, points, _ = toy
    per_point = c.point_catchments(areas, points, 25, sole=True).merge(points, on="id").assign(province="Manitoba")
    names = pd.Series(["Service point 1 (demo)", "Service point 2 (demo)"], index=["P1", "P2"])
    table = published.point_table(per_point, lang="en", names=names, unreported=np.array([False, True]))
    assert "id" not in table.columns and set(table[i18n.t("catchments_col_point", "en")]) == set(names)
    sole = table.set_index(i18n.t("catchments_col_point", "en"))[i18n.t("catchments_col_sole_population", "en")]
    assert pd.isna(sole["Service point 2 (demo)"])  # its source is incomplete: "the only point" may not hold


def _texts(*frames: pd.DataFrame) -> str:
    return " ".join(" ".join(map(str, [*f.columns, *f.astype(str).to_numpy().ravel()])) for f in frames)


def _tables(m, lang: str = "en") -> tuple[str, pd.DataFrame]:
    """Every table the page shares, from the analysis ``m``, as the notebook builds them."""
    networks = nw.read_networks(m)
    areas = csd_areas("evi", m, lang=lang)
    scored = areas.dropna(subset=["score"]).reset_index(drop=True)
    primary = networks.primary
    synthetic = areas.attrs["synthetic"]
    names = nw.point_names(primary.points, synthetic, lang)
    near = c.area_catchments(scored, primary.located, 50)
    per_point = c.point_catchments(scored, primary.located, 50, sole=True).merge(primary.located[["id", "name_en"]], on="id")
    per_point["name_en"] = per_point["id"].map(names)
    per_point["province"] = ""
    reach = published.reach_table(scored, [published.Reach(primary.id, primary.label(lang), near, names)], radius_km=50,
                                  score_label="Score", lang=lang)
    points = published.point_table(per_point, lang=lang, names=names if synthetic else None)
    scenarios = published.what_if_table(scored, primary.located, per_point, names=names, radius_km=50, lang=lang)
    return _texts(reach, points, scenarios), scenarios


def test_the_demo_names_no_real_office_or_place_beside_its_synthetic_score():
    text, scenarios = _tables(manifests.default())
    offices = nw.read_networks(manifests.default()).primary.points["name_en"]
    assert "Bridgewater" not in text and "Service Canada Centre" not in text
    assert not any(name in text for name in offices)
    assert "Service point" in text and "(demo)" in text
    first = scenarios.iloc[0, 0]
    assert first.startswith("Close Service point") and first.endswith("(demo)")
    assert scenarios.iloc[1, 0].startswith("Open a point in CSD\u00a0")


def test_with_real_inputs_places_and_offices_are_named(csd_profile, offices, write_manifest):
    m = write_manifest(census={"profile": str(csd_profile)}, service_points=[{"network": "offices", "path": str(offices)}])
    text, scenarios = _tables(m)
    assert "Bridgewater Office" in text and "Charlottetown" in text and "(demo)" not in text
    assert scenarios.iloc[0, 0].endswith("Office")
