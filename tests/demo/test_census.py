"""The demo Census Profile: official layout, real geography, suppression and rounding rules,
parents consistent with children."""

import zipfile

import numpy as np
import pandas as pd
import pytest

from playbook.demo import census
from playbook.sources import datasets
from playbook.sources.census.format import HEADER_2021
from playbook.sources.population import read_population_counts


def test_zip_holds_the_csv_and_a_notice():
    with zipfile.ZipFile(datasets.path("demo_census_profile_2021")) as archive:
        assert archive.namelist() == ["98-401-X2021_demo_English_CSV_data.csv", "README_demo.txt"]
        head = archive.read("98-401-X2021_demo_English_CSV_data.csv")[:400]
        notice = archive.read("README_demo.txt").decode()
    assert head.split(b"\r\n")[0].decode() == ",".join(HEADER_2021)
    assert "SYNTHETIC" in notice and "98-10-0002" in notice


def test_geographies(profile):
    geos = profile.drop_duplicates("DGUID")
    counts = geos["GEO_LEVEL"].value_counts()
    assert counts["Country"] == 1 and counts["Province"] == 10 and counts["Territory"] == 3
    assert counts["Census division"] == 293 and counts["Census subdivision"] == 5161
    assert counts["Dissemination area"] == 319
    assert counts["Census metropolitan area"] == 41 and counts["Census agglomeration"] == 110
    assert geos["DGUID"].iloc[0] == "2021A000011124" and geos["ALT_GEO_CODE"].iloc[0] == "01"
    da = geos[geos["GEO_LEVEL"] == "Dissemination area"]
    assert da["DGUID"].str.startswith("2021S051211").all() and (da["ALT_GEO_CODE"].str.len() == 8).all()
    # Every geography has every characteristic, in ID order.
    assert len(profile) == len(geos) * len(census.IDS)
    assert profile["CHARACTERISTIC_ID"].iloc[: len(census.IDS)].tolist() == census.IDS


def test_real_population_and_land_area(profile):
    real = read_population_counts(datasets.path("population_2021")).set_index("DGUID")
    pop = profile[profile["CHARACTERISTIC_ID"] == 1].set_index("DGUID")["C1_COUNT_TOTAL"]
    area = profile[profile["CHARACTERISTIC_ID"] == 7].set_index("DGUID")["C1_COUNT_TOTAL"]
    common = real.index
    assert pop.reindex(common).fillna(-1).equals(real["population_2021"].fillna(-1))
    assert np.allclose(area.reindex(common), real["land_area_km2"], equal_nan=True)
    assert pop["2021A000011124"] == 36_991_981
    assert profile.loc[profile["DGUID"].eq("2021A00053520005"), "GEO_NAME"].iloc[0] == "Toronto"


def test_c1_names_are_the_official_ones_with_indentation_and_notes(profile):
    names = profile.drop_duplicates("CHARACTERISTIC_ID").set_index("CHARACTERISTIC_ID")
    assert set(census.EVI_IDS) <= set(names.index)
    assert names.loc[1, "CHARACTERISTIC_NAME"] == "Population, 2021" and names.loc[1, "CHARACTERISTIC_NOTE"] == 1
    assert names.loc[387, "CHARACTERISTIC_NAME"] == "  Neither English nor French"
    assert names.loc[1536, "CHARACTERISTIC_NAME"] == "      2016 to 2021"
    assert names.loc[243, "CHARACTERISTIC_NAME"] == "  Median total income of household in 2020 ($)"
    assert names.loc[1403, "CHARACTERISTIC_NOTE"] == 45
    assert names.loc[2230, "CHARACTERISTIC_NAME"] == "Unemployment rate"


def _wide(profile, cid, col="C1_COUNT_TOTAL"):
    return profile[profile["CHARACTERISTIC_ID"] == cid].set_index("DGUID")[col]


def test_small_areas_suppressed_and_income_where_few_households(profile):
    pop = _wide(profile, 1)
    small = pop[pop < 40].index
    assert len(small) > 100
    rows = profile[profile["DGUID"].isin(small) & (profile["CHARACTERISTIC_ID"] >= 8)]
    assert rows["C1_COUNT_TOTAL"].isna().all() and (rows["C1_COUNT_TOTAL_SYMBOL"] == "x").all()
    assert (rows["C12_RATE_WOMEN+_SYMBOL"] == "x").all()
    households = _wide(profile, 50)
    income_symbol = _wide(profile, 243, "C1_COUNT_TOTAL_SYMBOL")
    few = households[households < 40].index
    assert (income_symbol[few] == "x").all()
    shown = households[households >= 40].index
    assert (income_symbol[shown] == "").all()
    # Nothing else is suppressed.
    big = profile[~profile["DGUID"].isin(small) & (profile["CHARACTERISTIC_ID"] != 243)]
    assert not (big["C1_COUNT_TOTAL_SYMBOL"] == "x").any()


def test_counts_randomly_rounded_to_base_5(profile):
    counts = profile[profile["CHARACTERISTIC_ID"].isin(list(census.TOTAL_OF))]
    for col in ("C1_COUNT_TOTAL", "C2_COUNT_MEN+", "C3_COUNT_WOMEN+"):
        values = counts[col].dropna()
        assert (values % 5 == 0).all()
    # Unbiased: over many areas, rounded sums stay close to the real population.
    total = _wide(profile, 8)
    pop = _wide(profile, 1)
    csd = profile.drop_duplicates("DGUID").set_index("DGUID")["GEO_LEVEL"] == "Census subdivision"
    csd = csd[csd].index
    assert abs(total[csd].sum() - pop[csd][total[csd].notna()].sum()) < 0.001 * pop[csd].sum()


def test_rates_and_percentages(profile):
    canada = profile[profile["DGUID"] == "2021A000011124"].set_index("CHARACTERISTIC_ID")
    assert canada.loc[8, "C10_RATE_TOTAL"] == 100
    low = canada.loc[340, "C1_COUNT_TOTAL"] / canada.loc[335, "C1_COUNT_TOTAL"] * 100
    assert canada.loc[345, "C1_COUNT_TOTAL"] == pytest.approx(low, abs=0.1)
    assert canada.loc[345, "C10_RATE_TOTAL"] == canada.loc[345, "C1_COUNT_TOTAL"]
    assert 8 < canada.loc[2230, "C1_COUNT_TOTAL"] < 13
    assert canada.loc[1, "C10_RATE_TOTAL_SYMBOL"] == "..." and canada.loc[50, "C2_COUNT_MEN+_SYMBOL"] == "..."
    for cid, lo, hi in ((1403, 3, 8), (1529, 18, 28), (387, 0.5, 3), (24, 14, 22)):
        assert lo < canada.loc[cid, "C10_RATE_TOTAL"] < hi, cid


def test_parents_are_sums_of_children_before_rounding():
    geos = census.demo_geographies(2021)
    cols = ["t8", "t1403", "t340", "unemp", "income_x_hh"]
    csd = geos[geos["GEO_LEVEL"] == "Census subdivision"]
    cd = geos[geos["GEO_LEVEL"] == "Census division"].set_index("cduid")
    assert np.allclose(csd.groupby("cduid")[cols].sum().reindex(cd.index), cd[cols])
    pr = geos[geos["GEO_LEVEL"].isin(["Province", "Territory"])]
    canada = geos[geos["GEO_LEVEL"] == "Country"]
    assert np.allclose(pr[cols].sum().to_numpy(), canada[cols].to_numpy()[0])
    da = geos[geos["GEO_LEVEL"] == "Dissemination area"]
    pei = csd[csd["pruid"] == "11"].set_index("csduid")
    assert np.allclose(da.groupby("csduid")[cols].sum().reindex(pei.index), pei[cols])
    # PEI DA populations add up exactly to their CSD's real population.
    assert (da.groupby("csduid")["population_2021"].sum().reindex(pei.index) == pei["population_2021"]).all()
    cma = geos[geos["GEO_LEVEL"].isin(["Census metropolitan area", "Census agglomeration"])].set_index("cmauid")
    assert np.allclose(csd.dropna(subset=["cmauid"]).groupby("cmauid")["t8"].sum().reindex(cma.index), cma["t8"])


def test_rounded_parents_close_to_rounded_children(profile):
    geos = profile.drop_duplicates("DGUID").set_index("DGUID")
    total = _wide(profile, 1403)
    csd = geos[geos["GEO_LEVEL"] == "Census subdivision"]
    by_cd = total[csd.index].groupby(csd["ALT_GEO_CODE"].str[:4]).agg(["sum", "count"])
    cd = total[["2021A0003" + c for c in by_cd.index]].to_numpy()
    # Each rounding moves a count by less than 5: |sum of rounded children - rounded parent| < 5 (n + 1),
    # plus the suppressed children (counted in the parent, missing among the children).
    suppressed = csd.index.to_series().map(total.isna()).groupby(csd["ALT_GEO_CODE"].str[:4]).sum()
    slack = 5 * (by_cd["count"] + 1) + 40 * suppressed
    assert (np.abs(by_cd["sum"].to_numpy() - cd) <= slack.to_numpy()).all()


def test_random_round_is_unbiased_and_keeps_multiples():
    rng = np.random.default_rng(0)
    x = np.array([0, 5, 10, 12, 13.4, np.nan])
    out = census.random_round(x, rng)
    assert out[:3].tolist() == [0, 5, 10] and np.isnan(out[-1]) and set(out[3:5]) <= {10, 15}
    many = census.random_round(np.full(20_000, 12.0), rng)
    assert abs(many.mean() - 12) < 0.1


def test_sensible_geographic_patterns():
    geos = census.demo_geographies(2021)
    csd = geos[(geos["GEO_LEVEL"] == "Census subdivision") & (geos["population_2021"] >= 1000)]
    from playbook.demo import model

    _, leaf = model.leaves(2021)
    reserve = csd["csduid"].map(leaf.drop_duplicates("csduid").set_index("csduid")["reserve"]).astype(bool)
    share = csd["t1403"] / csd["t1402"]
    assert share[reserve].median() > 0.7 > 0.1 > share[~reserve].median()
    core = csd["cmauid"].notna()
    immigrants = csd["t1529"] / csd["t1527"]
    assert immigrants[core].median() > 2 * immigrants[~core].median()
    income = csd["income_x_hh"] / csd["t50"]
    assert income[reserve].median() < 0.8 * income[~reserve].median()
    assert pd.Series(csd["t340"] / csd["t335"]).corr(income) < -0.5


def test_census_reader_reads_the_demo_with_the_evi_names():
    """The census reader checks the name of every EVI characteristic against specs/census_2021.yml."""
    from playbook.sources.census import extract

    table = extract([datasets.path("demo_census_profile_2021")], census.EVI_IDS, level="Census subdivision")
    assert len(table) == 5161
    assert table.set_index("DGUID").loc["2021A00053520005", "c1"] == 2_794_356
