import zipfile

import pandas as pd
import pytest

from playbook.errors import PlaybookError
from playbook.sources import datasets
from playbook.sources.broadband import read_broadband

PHH = """PHH_ID,Type,Pop2021,TDwell2021_TLog2021,URDwell2021_RH2021,DBUID_Ididu,HEXUID_IdUHEX,Pruid_Pridu,Latitude,Longitude
1,3,10,4,4,11010043001,PE001,11,46.2,-63.1
2,3,30,12,10,11010043002,PE001,11,46.2,-63.1
3,4,20,8,8,11010044001,PE002,11,46.3,-63.2
4,4,40,16,15,11010044001,PE003,11,46.3,-63.2
5,8,0,0,0,11010044002,PE003,11,46.3,-63.2
"""
SPEEDS = """PHH_ID,Combined_50_10_Combine,Wired_50_10_Filaire,Wireless_50_10_Sans_fil,Combined_25_5_Combine
1,1,1,0,1
2,0,0,0,1
3,1,0,1,1
4,0,0,0,0
5,1,1,1,1
"""
# Both DAs in one CSD; the lookup's spellings are those of the hierarchy (dauid, csduid).
LOOKUP = pd.DataFrame({"dauid": ["11010043", "11010044"], "csduid": ["1101036", "1101036"]})
DA43, DA44, CSD = "2021S051211010043", "2021S051211010044", "2021A00051101036"
CRTC = (
    "Tableau 9 : Disponibilité / Table 9: Broadband availability by CMA and year\r\n"
    "Source : CRTC\r\n\r\n"
    "ID de la province / Province ID,ID de la subdivision de recensement / Census Subdivision ID,"
    "Centre de population / Population Centre,Vitesses / Speeds,Année / Year,Population / Population,"
    "Logements / Dwellings\r\n"
    '11,1101036,"Charlottetown\n(centre)",AllDemographics,2023,600,250\r\n'
    "11,1101036,,AllDemographics,2023,400,150\r\n"
    '11,1101036,"Charlottetown\n(centre)",50/10/Any,2023,500,200\r\n'
    "11,1101036,,50/10/Any,2023,100,40\r\n"
    "11,1101036,,50/10/U,2023,450,180\r\n"
    "11,1101036,,AllDemographics,2022,1000,400\r\n"
    "11,1101036,,50/10/Any,2022,200,80\r\n"
    "11,1102001,,AllDemographics,2023,50,20\r\n"
    "11,1102001,,Gigabit,2023,50,20\r\n"
)


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


@pytest.fixture
def phh_files(tmp_path):
    return [write(tmp_path, "PHH-PE.csv", PHH), write(tmp_path, "speeds.csv", SPEEDS)]


def column(frame, dguid, name="pct_no_broadband_50_10"):
    return frame.set_index("DGUID").loc[dguid, name]


def test_pseudo_households_weighted_by_population_hand_computed(phh_files):
    da = read_broadband(phh_files, level="da")
    assert da.columns.tolist() == ["DGUID", "population", "pct_no_broadband_50_10"]
    assert da["DGUID"].tolist() == [DA43, DA44] and str(da["DGUID"].dtype) == "string"
    # DA 43: PHH 1 (10 people, served) and 2 (30, not): 30/40 without. DA 44: 3 (20, served), 4 (40, not),
    # 5 (null point, no people): 40/60.
    assert da["population"].tolist() == [40.0, 60.0]
    assert column(da, DA43) == pytest.approx(75.0)
    assert column(da, DA44) == pytest.approx(200 / 3)
    assert da.attrs["layout"] == "ised_phh_speeds" and da.attrs["unmatched_phh"] == 0
    csd = read_broadband(phh_files, level="csd", da_csd=LOOKUP)
    assert csd["DGUID"].tolist() == [CSD]
    assert column(csd, CSD) == pytest.approx(70.0)  # (30 + 40) / 100
    assert column(csd, CSD, "population") == 100.0


def test_other_speed_weight_and_technology(phh_files):
    slow = read_broadband(phh_files, level="da", speed="25_5")
    assert slow.columns[-1] == "pct_no_broadband_25_5"
    assert slow["pct_no_broadband_25_5"].tolist() == pytest.approx([0.0, 40 / 60 * 100])
    homes = read_broadband(phh_files, level="da", weight="households", technology="wireless")
    # Wireless 50/10 only at PHH 3 (8 households of 4 + 10 in DA 43, 8 + 15 in DA 44).
    assert homes["households"].tolist() == [14.0, 23.0]
    assert homes["pct_no_broadband_50_10"].tolist() == pytest.approx([100.0, 15 / 23 * 100])
    either = read_broadband(phh_files, level="da", technology="terrestrial", weight="dwellings")
    assert either["pct_no_broadband_50_10"].tolist() == pytest.approx([12 / 16 * 100, 16 / 24 * 100])


def test_lookup_with_two_csds_and_a_da_outside_it(phh_files):
    two = pd.DataFrame({"DAUID": ["11010043", "11010044"], "CSDUID": ["1101036", "1102001"]})
    csd = read_broadband(phh_files, da_csd=two)
    assert csd["DGUID"].tolist() == ["2021A00051101036", "2021A00051102001"]
    assert csd["pct_no_broadband_50_10"].tolist() == pytest.approx([75.0, 200 / 3])
    one = read_broadband(phh_files, da_csd=two.iloc[:1])
    assert len(one) == 1 and one.attrs["unmatched_da"] == 1


def test_values_with_spaces_or_decimals_and_a_placeless_null_point_read_the_same(tmp_path, phh_files):
    messy = PHH.replace("1,3,10,4", " 1 ,3, 10 ,4").replace("11010043002", "11010043002.0")
    messy += "6,8,0,0,0,,,11,46.3,-63.2\n"  # a null point with no block and nobody: left out
    speeds = SPEEDS.replace("3,1,0,1,1", "3,True,0,1,1") + "6,0,0,0,0\n"
    got = read_broadband([write(tmp_path, "PHH-PE.csv", messy), write(tmp_path, "s.csv", speeds)], level="da")
    pd.testing.assert_frame_equal(got, read_broadband(phh_files, level="da"))


def test_2016_pseudo_households_on_the_2016_geography(tmp_path):
    old = PHH.replace("2021", "2016").replace("11010043001", "1101004301").replace("11010043002", "1101004302")
    old = old.replace("11010044001", "1101004401").replace("11010044002", "1101004402")
    da = read_broadband([write(tmp_path, "PHH-PE.csv", old), write(tmp_path, "s.csv", SPEEDS)], level="da", dguid_year=2016)
    assert da["DGUID"].tolist() == ["2016S051211010043", "2016S051211010044"]
    assert da["pct_no_broadband_50_10"].tolist() == pytest.approx([75.0, 200 / 3])


def test_blank_flag_is_unknown_and_counts_only_in_population(tmp_path):
    phh = write(tmp_path, "PHH-PE.csv", PHH)
    speeds = write(tmp_path, "speeds.csv", SPEEDS.replace("2,0,0,0,1", "2,,0,0,1"))
    da = read_broadband([phh, speeds], level="da")
    assert column(da, DA43, "population") == 40.0
    assert column(da, DA43) == 0.0  # only PHH 1 (served) is known


def test_zip_files_as_published(tmp_path):
    with zipfile.ZipFile(tmp_path / "PHH_2021_CSV.zip", "w") as zf:
        zf.writestr("PHH_2021_CSV/PHH-PE.csv", "\ufeff" + PHH)
    with zipfile.ZipFile(tmp_path / "NBD_PHH_Speeds.zip", "w") as zf:
        zf.writestr("PHH_Speeds_Current-PHH_Vitesses_Actuelles_PE.csv", SPEEDS)
        zf.writestr("PHH_Speeds_Other_Variant_PE.csv", SPEEDS.replace("1,1,1,0,1", "1,0,0,0,1"))  # not read
        zf.writestr("ISP_Hex_FSI.csv", "HEXuid,ISP,Technology\nPE001,Someone,Cable\n")  # not a layout: skipped
    da = read_broadband([tmp_path / "PHH_2021_CSV.zip", tmp_path / "NBD_PHH_Speeds.zip"], level="da")
    assert da["pct_no_broadband_50_10"].tolist() == pytest.approx([75.0, 200 / 3])


def test_hexagon_share_and_flag(tmp_path):
    phh = write(tmp_path, "PHH-PE.csv", PHH)
    pct = write(tmp_path, "hex.csv", "HEXuid_HEXidu,Avail_50_10_Pct_Dispo\nPE001,50\nPE002,100\nPE003,25\n")
    da = read_broadband([phh, pct], level="da")
    # DA 43: every point in PE001 (50 %); DA 44: 20 people at 100 %, 40 at 25 % -> 30 of 60 served.
    assert da["pct_no_broadband_50_10"].tolist() == pytest.approx([50.0, 50.0])
    assert da.attrs["layout"] == "ised_phh_hexagons"
    flag = write(tmp_path, "hexflag.csv", "HEXUID_IdUHEX,Avail_50_10_Dispo\nPE001,T\nPE002,F\nPE003,F\n")
    assert read_broadband([phh, flag], level="da")["pct_no_broadband_50_10"].tolist() == pytest.approx([0.0, 100.0])


def test_banded_hexagon_file_refused_alone_ignored_beside_speeds(tmp_path, phh_files):
    banded = write(tmp_path, "Data_Hex.csv", "HEXuid_HEXidu,SumPop_2021_SommePop,Expr1,Expr2\nPE001,40,T,>0% - 25%\n")
    with pytest.raises(PlaybookError, match=r"Data_Hex.csv, row 1, field 'Expr2': .*bands.*NBD_PHH_Speeds"):
        read_broadband([phh_files[0], banded], level="da")
    assert len(read_broadband([*phh_files, banded], level="da")) == 2


def test_crtc_table_9(tmp_path):
    path = write(tmp_path, "C-T9.csv", CRTC, encoding="cp1252")
    csd = read_broadband(path)
    assert csd["DGUID"].tolist() == ["2021A00051101036", "2021A00051102001"]
    # 2023 (the latest): 600 of 1000 people with 50/10; the second CSD has no 50/10 row: nobody.
    assert csd["pct_no_broadband_50_10"].tolist() == pytest.approx([40.0, 100.0])
    assert csd["population"].tolist() == [1000.0, 50.0]
    assert csd.attrs == {"layout": "crtc_table_9", "data_year": 2023}
    assert read_broadband(path, data_year=2022)["pct_no_broadband_50_10"].iloc[0] == pytest.approx(80.0)
    assert read_broadband(path, speed="50_10_unlimited")["pct_no_broadband_50_10_unlimited"].iloc[0] == pytest.approx(55.0)
    homes = read_broadband(path, weight="dwellings")
    assert homes["pct_no_broadband_50_10"].iloc[0] == pytest.approx(40.0) and homes["dwellings"].iloc[0] == 400.0
    with zipfile.ZipFile(tmp_path / "data-mobile-and-broadband-availability.zip", "w") as zf:
        zf.writestr("C-T9.csv", CRTC.encode("cp1252"))
    assert read_broadband(tmp_path / "data-mobile-and-broadband-availability.zip").equals(csd)


def test_crtc_table_for_csds_pseudo_households_for_das(tmp_path, phh_files):
    crtc = write(tmp_path, "C-T9.csv", CRTC, encoding="cp1252")
    csd = read_broadband([*phh_files, crtc])
    assert csd["pct_no_broadband_50_10"].tolist() == pytest.approx([40.0, 100.0])  # the table's, not the PHH's 70
    assert csd.attrs["layout"] == "crtc_table_9" and csd.attrs["not_read"] == [str(p) for p in phh_files]
    da = read_broadband([*phh_files, crtc], level="da")
    assert da["pct_no_broadband_50_10"].tolist() == pytest.approx([75.0, 200 / 3])
    assert da.attrs["not_read"] == [str(crtc)]


def test_table_by_area_in_the_playbook_layout(tmp_path):
    path = write(tmp_path, "csd.csv", "CSDUID_SDRIDU,pct_broadband_50_10,Population\n1101036,75,1000\n1102001,,20\n")
    csd = read_broadband(path)
    assert csd["pct_no_broadband_50_10"].tolist()[0] == 25.0 and pd.isna(csd["pct_no_broadband_50_10"].iloc[1])
    area = datasets.path("demo_area_internet_2021")
    da = read_broadband(area, level="da")
    demo = pd.read_csv(area, dtype={"DGUID": "string"})
    demo = demo[demo["GEO_LEVEL"] == "Dissemination area"].set_index("DGUID")["pct_no_broadband_50_10"]
    assert len(da) == len(demo) == 319
    pd.testing.assert_series_equal(da.set_index("DGUID")["pct_no_broadband_50_10"], demo.sort_index(),
                                   check_names=False, check_index_type=False)


def test_one_pass_serves_both_levels_and_a_changed_file_is_read_again(tmp_path):
    phh = write(tmp_path, "PHH-PE.csv", PHH)
    speeds = write(tmp_path, "speeds.csv", SPEEDS)
    first = read_broadband([phh, speeds], level="da")
    first["population"] = -1.0  # the caller's copy, not the cached one
    assert read_broadband([phh, speeds], level="da")["population"].tolist() == [40.0, 60.0]
    speeds.write_text(SPEEDS.replace("2,0,0,0,1", "2,1,1,0,1"))
    assert column(read_broadband([phh, speeds], level="da"), DA43) == 0.0


# --- errors a user can cause --------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "message"), [
    ("PHH_ID,Type,DBUID_Ididu\n1,3,11010043001\n", r"PHH-PE.csv, row 1, field 'pop2021': no population \(Pop2021\) column"),
    (PHH.replace("1,3,10,4", "1,3,ten,4"), r"PHH-PE.csv, row 2, field 'Pop2021': 'ten' is not a number"),
    (PHH.replace("2,3,30,12", "2,3,-30,12"), r"row 3, field 'Pop2021': '-30' is not at least 0"),
    (PHH.replace("11010044001,PE002", "1101004,PE002"), r"row 4, field 'DBUID_Ididu': '1101004' is not a dissemination block"),
    (PHH.replace("Pop2021", "Pop2016"), r"on the 2016 geography \(Pop2016\), DGUIDs of 2021 were asked"),
])
def test_bad_pseudo_household_file(tmp_path, text, message):
    with pytest.raises(PlaybookError, match=message):
        read_broadband([write(tmp_path, "PHH-PE.csv", text), write(tmp_path, "s.csv", SPEEDS)], level="da")


@pytest.mark.parametrize(("text", "kwargs", "message"), [
    (SPEEDS.replace("3,1,0,1,1", "3,maybe,0,1,1"), {}, r"s.csv, row 4, field 'Combined_50_10_Combine': 'maybe' is not an "
                                                        r"availability flag \(expected 1 or 0"),
    ("PHH_ID,Combined_5_1_Combine\n1,1\n", {}, r"field 'combined_50_10_combine': no combined 50_10 availability flag"),
    (SPEEDS + "1,1,1,1,1\n", {}, r"phh_id '1' appears more than once in the availability files"),
    (SPEEDS, {"speed": "50_10_unlimited"}, r"field 'speed': ISED's files have no '50_10_unlimited' tier"),
    ("PHH_ID,Combined_50_10_Combine\n99,1\n", {}, r"no pseudo-household of the PHH files is in the availability files"),
])
def test_bad_speeds_file(tmp_path, text, kwargs, message):
    with pytest.raises(PlaybookError, match=message):
        read_broadband([write(tmp_path, "PHH-PE.csv", PHH), write(tmp_path, "s.csv", text)], level="da", **kwargs)


@pytest.mark.parametrize(("text", "kwargs", "message"), [
    ("CSDUID,pct_no_broadband_50_10\n1101036,lots\n", {},
     r"t.csv, row 2, field 'pct_no_broadband_50_10': 'lots' is not a number"),
    ("CSDUID,pct_no_broadband_50_10\n1101036,10\n1101037,120\n", {}, r"row 3, field 'pct_no_broadband_50_10': '120' is not "
                                                                     r"between 0 and 100"),
    ("CSDUID,population\n1101036,10\n", {}, r"t.csv, row 1, field 'pct_no_broadband_50_10': no 50_10 availability column"),
    ("CSDUID,pct_no_broadband_50_10\n1101036,10\n1101036,20\n", {}, r"area 1101036 is given more than once"),
    ("CSDUID,pct_no_broadband_50_10\n1101036,10\n", {"level": "da"}, r"no DA code column \(it is by CSD\)"),
    ("DGUID,pct_no_broadband_50_10\n2021A00051101036,10\n", {"dguid_year": 2016}, r"no DGUID of a census subdivision of 2016"),
])
def test_bad_table(tmp_path, text, kwargs, message):
    with pytest.raises(PlaybookError, match=message):
        read_broadband(write(tmp_path, "t.csv", text), **kwargs)


@pytest.mark.parametrize(("edit", "kwargs", "message"), [
    (lambda t: t, {"level": "da"}, r"field 'level': the CRTC table is by census subdivision"),
    (lambda t: t, {"speed": "25_5"}, r"the CRTC table has no '25_5' tier"),
    (lambda t: t, {"data_year": 2019}, r"no row of year 2019 \(expected one of 2022, 2023\)"),
    (lambda t: t, {"weight": "households"}, r"counts population and dwellings, not households"),
    (lambda t: t.replace(",50/10/Any,2023,100,", ",50/10/Any,2023,many,"), {}, r"row 8, field 'Population / Population': "
                                                                                r"'many' is not a number"),
    (lambda t: t.replace("11,1102001,", "11,11020,"), {}, r"'11020' is not a census subdivision code \(expected 7 digits\)"),
    (lambda t: t.replace(",50/10/Any,2023,500,", ",50/10/Any,2023,5000,"), {}, r"CSD 1101036 has more with '50/10/any' than"),
])
def test_bad_crtc_table(tmp_path, edit, kwargs, message):
    with pytest.raises(PlaybookError, match=message):
        read_broadband(write(tmp_path, "C-T9.csv", edit(CRTC), encoding="cp1252"), **kwargs)


def test_bad_arguments_and_combinations(tmp_path, phh_files):
    for kwargs, message in [({"speed": "100_20"}, r"field 'speed': unknown speed '100_20' \(expected one of 5_1, 10_2"),
                            ({"level": "cma"}, r"field 'level': unknown level 'cma' \(expected one of csd, da\)"),
                            ({"weight": "people"}, r"unknown weight 'people'"),
                            ({"technology": "fibre"}, r"unknown technology 'fibre'"),
                            ({}, r"field 'da_csd': summing pseudo-households to census subdivisions needs the DA -> CSD"),
                            ({"da_csd": pd.DataFrame({"dauid": ["11010043"]})}, r"the DA -> CSD lookup has no column csduid"),
                            ({"da_csd": pd.DataFrame({"dauid": ["11010043"] * 2, "csduid": ["1101036", "1101037"]})},
                             r"dissemination area 11010043 is in more than one CSD")]:
        with pytest.raises(PlaybookError, match=message):
            read_broadband(phh_files, **kwargs)
    with pytest.raises(PlaybookError, match=r"availability files carry no geography"):
        read_broadband(phh_files[1], level="da")
    with pytest.raises(PlaybookError, match=r"PHH-PE.csv, field 'paths': pseudo-households without availability"):
        read_broadband(phh_files[0], level="da")
    table = write(tmp_path, "t.csv", "CSDUID,pct_no_broadband_50_10\n1101036,10\n")
    with pytest.raises(PlaybookError, match=r"both a table by area and pseudo-household files"):
        read_broadband([*phh_files, table])


def test_files_that_are_not_broadband_files(tmp_path):
    cases = [(write(tmp_path, "empty.csv", ""), r"empty.csv, row 1: the file is empty"),
             (write(tmp_path, "header.csv", "CSDUID,pct_no_broadband_50_10\n"),
              r"header.csv, row 2: the file has a header but no rows"),
             (write(tmp_path, "other.csv", "a,b\n1,2\n"), r"other.csv, row 1: not a broadband availability layout"),
             (tmp_path / "missing.csv", r"missing.csv: file not found")]
    with zipfile.ZipFile(tmp_path / "docs.zip", "w") as zf:
        zf.writestr("readme.txt", "hello")
    cases.append((tmp_path / "docs.zip", r"docs.zip: the zip holds no CSV file"))
    for path, message in cases:
        with pytest.raises(PlaybookError, match=message):
            read_broadband(path)
    with pytest.raises(PlaybookError, match=r"field 'paths': no broadband file given"):
        read_broadband([])
