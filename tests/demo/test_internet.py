"""The synthetic area internet file: shape, and calibration to the real CIUS and CRTC figures.

Tolerances (stated in playbook/demo/internet.py and the data README):
* per province x age group (CIUS 2020) and per province x urban/rural/reserve (CRTC 2021), the
  population-weighted mean of the leaves equals the real target within 0.01 percentage points;
* the published provincial rows (population-weighted parents, rounded to 0.1) match CRTC's
  provincial total within 0.15 points and CIUS's total 15+ within 2 points (the age structure of
  the demo is synthetic, so only the age-specific rates are matched exactly).
"""

import numpy as np
import pandas as pd
import pytest

from playbook.codes import PROVINCES
from playbook.demo import internet
from playbook.demo.calibrate import weighted_means
from playbook.sources import datasets

PROVINCES_10 = ["10", "11", "12", "13", "24", "35", "46", "47", "48", "59"]


@pytest.fixture(scope="module")
def leaves():
    return internet.leaf_values(2021)[1]


def test_columns_and_rows(area, profile):
    assert area.columns.tolist() == ["DGUID", "GEO_LEVEL", *internet.COLUMNS]
    geos = profile.drop_duplicates("DGUID")
    assert area["DGUID"].tolist() == geos["DGUID"].tolist()
    assert area["GEO_LEVEL"].tolist() == geos["GEO_LEVEL"].tolist()
    values = area[internet.COLUMNS]
    assert ((values >= 0) & (values <= 100) | values.isna()).all().all()
    small = geos["DGUID"][profile[profile["CHARACTERISTIC_ID"] == 1]["C1_COUNT_TOTAL"].lt(40).to_numpy()]
    assert area.set_index("DGUID").loc[small, internet.COLUMNS].isna().all().all()


def test_cius_targets_are_the_real_table():
    targets = internet.cius_targets().set_index(["pruid", "age"])["use_pct"]
    assert targets[("24", "65 years and over")] == 64.4 and targets[("01", "15 to 24 years")] == 98.0
    assert len(targets) == 44


@pytest.mark.parametrize("pruid", PROVINCES_10)
def test_internet_use_calibrated_by_province_and_age(leaves, pruid):
    real = internet.cius_targets().set_index(["pruid", "age"])["use_pct"]
    mine = leaves[leaves["pruid"] == pruid]
    for age, col in zip(internet.AGES, internet.AGE_COLUMNS, strict=True):
        target = max(100 - real[(pruid, age)], 100 * internet.FLOOR)
        reached = np.average(mine[f"nonuse_{col}"], weights=mine[col])
        assert reached == pytest.approx(target, abs=0.01), (pruid, age)


def test_broadband_calibrated_by_province_and_area_type():
    calibration = pd.read_csv(datasets.path("demo_internet_calibration_2021"), dtype={"pruid": str})
    crtc = internet.crtc_targets().set_index(["pruid", "area_type"])
    rows = calibration[calibration["indicator"] == "pct_no_broadband_50_10"]
    assert len(rows) == 39
    for row in rows.itertuples():
        real = 100 - crtc.loc[(row.pruid, row.cell), "available_pct"]
        assert row.target_pct == pytest.approx(np.clip(real, 0.3, 99.7), abs=0.001)
        if np.isnan(row.achieved_pct):  # no reserve recognised in that territory: nothing to calibrate
            assert row.cell == "First Nations reserves" and row.pruid in ("60", "61", "62"), row
            continue
        assert row.achieved_pct == pytest.approx(row.target_pct, abs=0.01)


def test_published_provincial_rows_match_real_totals(area):
    rows = area[area["GEO_LEVEL"].isin(["Province", "Territory"])]
    rows = rows.set_index(rows["DGUID"].str[-2:])
    crtc = internet.crtc_totals()
    for pruid, total in crtc.dropna().items():
        assert rows.loc[pruid, "pct_no_broadband_50_10"] == pytest.approx(100 - total, abs=0.15), pruid
    cius = pd.read_csv(datasets.path("cius_sdg_17_8_1"))
    cius = cius[(cius["Year"] == 2020) & (cius["Age group"] == "Total, 15 years and over")]
    names = pd.Series(PROVINCES.index, index=PROVINCES["name_en"])
    for row in cius.itertuples():
        assert rows.loc[names[row.Geography], "pct_no_home_internet"] == pytest.approx(100 - row.Value, abs=2.0)


def test_parents_are_population_weighted(leaves, area):
    values = area.set_index("DGUID")
    weight = leaves["t8"]
    pei = leaves[leaves["pruid"] == "11"]
    for csduid, group in pei.groupby("csduid"):
        if group["t8"].sum() < 40:  # suppressed
            continue
        expected = np.average(group["pct_no_broadband_50_10"], weights=group["t8"])
        assert values.loc["2021A0005" + csduid, "pct_no_broadband_50_10"] == pytest.approx(expected, abs=0.051)
    canada = weighted_means(leaves["pct_low_digital_skills"], weight, np.zeros(len(leaves)))[0]
    assert values.loc["2021A000011124", "pct_low_digital_skills"] == pytest.approx(canada, abs=0.051)


def test_patterns(leaves):
    big = leaves[leaves["t8"] >= 1000]
    seniors = big["a65"] / big[["a15_24", "a25_44", "a45_64", "a65"]].sum(axis=1)
    assert big["pct_no_home_internet"].corr(seniors) > 0.3
    assert (
        big.loc[big["reserve"], "pct_no_broadband_50_10"].median()
        > 2 * big.loc[~big["reserve"], "pct_no_broadband_50_10"].median()
    )
    assert (
        big.loc[big["cmauid"].notna(), "pct_no_broadband_50_10"].median()
        < big.loc[big["cmauid"].isna(), "pct_no_broadband_50_10"].median()
    )
    assert (big["pct_low_digital_skills"] >= big["pct_no_home_internet"]).all()
