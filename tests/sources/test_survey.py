"""The PUMF reader: mapping through specs/cius.yml, codebook checks, and bad-input errors."""

import zipfile

import numpy as np
import pytest

from playbook.errors import PlaybookError
from playbook.sources.survey import load_spec, parse_spss_labels, parse_spss_layout, read_pumf

HEADER = ("PUMFID,GEO_PRV,LUC_RST,AGE_GRP,GENDER,G_EDUC,HINCQUIN,LAN_Q01,ABOSTAT,IMMSTAT,DISABFLG,"
          "UI_050A,AC_110A,GV_USER,SP_440A,DS_490A,DS_490B,DS_490C,DS_490D,DS_490E,DS_490F,DS_490G,"
          "WTPG,WTBS_001,WTBS_002")
ROWS = [
    "1,35,1,06,2,1,1,4,2,1,1,3,3,2,1,6,6,6,6,6,6,6,1500,3000,0",
    "2,24,2,02,1,3,5,2,1,2,2,1,1,1,9,1,1,1,3,3,3,3,1200,0,2400",
]
VALE = """VALUE LABELS
              /GEO_PRV
                   24   "Quebec"
                   35   "Ontario"
              /LUC_RST
                    1   "Larger Urban Centres (CMA/CA)"
                    2   "Rural and Small Town (non-CMA/CA)"
                    3   "Prince Edward Island"
              /UI_050A AC_110A SP_440A DS_490A DS_490B DS_490C DS_490D DS_490E DS_490F DS_490G
                    1   "Yes"
                    3   "No"
                    6   "Valid skip"
                    9   "Not stated"
    .
"""


def make_pumf(tmp_path, rows=ROWS, header=HEADER, vale=VALE, name="pumf.zip"):
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("DEMO_PUMF.csv", "\r\n".join([header, *rows]) + "\r\n")
        zf.writestr("DEMO_PUMF_vale.sps", vale)
    return path


def test_reads_and_maps_through_the_spec(tmp_path):
    survey = read_pumf(make_pumf(tmp_path))
    d = survey.data
    assert list(d["province"]) == ["35", "24"]
    assert list(d["age_group"]) == ["65+", "25-44"]  # AGE_GRP 06 -> 65+, 02 -> 25-44
    assert list(d["urban_rural"]) == ["urban", "rural"]
    assert list(d["official_language"]) == ["neither", "french"]
    assert list(d["internet_use"]) == [0.0, 1.0]
    assert list(d["no_home_internet"]) == [1.0, 0.0]
    assert d["privacy_worries"].iloc[1] != d["privacy_worries"].iloc[1]  # 9 "not stated" -> missing
    assert list(d["low_digital_skills"]) == [1.0, 0.0]  # valid skips count as not done; 3 of 7 done
    assert list(survey.weight) == [1500, 1200]
    assert survey.replicates.tolist() == [[3000, 0], [0, 2400]]


def test_spss_value_labels_apply_to_every_listed_variable():
    _, values = parse_spss_labels(VALE)
    assert values["GEO_PRV"] == {24: "Quebec", 35: "Ontario"}
    assert values["DS_490G"][6] == "Valid skip"


def test_missing_column_names_the_field(tmp_path):
    path = make_pumf(tmp_path, header=HEADER.replace("GENDER", "SEX"))
    with pytest.raises(PlaybookError, match=r"pumf.zip:DEMO_PUMF.csv, row 1, field 'GENDER'"):
        read_pumf(path)


def test_non_integer_code_names_row_and_field(tmp_path):
    rows = [ROWS[0], ROWS[1].replace(",24,2,02,", ",24,2,x2,")]
    with pytest.raises(PlaybookError, match=r"row 3, field 'AGE_GRP': 'x2' is not a code \(expected an integer code\)"):
        read_pumf(make_pumf(tmp_path, rows=rows))


def test_code_outside_the_codebook(tmp_path):
    rows = [ROWS[0].replace("1,35,1,", "1,36,1,", 1), ROWS[1]]
    with pytest.raises(PlaybookError, match=r"row 2, field 'GEO_PRV': code 36 is not in the codebook"):
        read_pumf(make_pumf(tmp_path, rows=rows))


def test_bad_weight(tmp_path):
    rows = [ROWS[0], ROWS[1].replace(",1200,", ",-5,")]
    with pytest.raises(PlaybookError, match=r"row 3, field 'WTPG'.*expected a number >= 0"):
        read_pumf(make_pumf(tmp_path, rows=rows))


def test_replicate_weights_with_a_gap(tmp_path):
    path = make_pumf(tmp_path, header=HEADER.replace("WTBS_002", "WTBS_003"))
    with pytest.raises(PlaybookError, match="not numbered 1..n without gaps"):
        read_pumf(path)


def test_empty_file_and_broken_zip(tmp_path):
    with pytest.raises(PlaybookError, match="no respondents"):
        read_pumf(make_pumf(tmp_path, rows=[]))
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(PlaybookError, match="broken.zip: cannot open the zip"):
        read_pumf(broken)
    nodata = tmp_path / "nodata.zip"
    with zipfile.ZipFile(nodata, "w") as zf:
        zf.writestr("readme.txt.sps", "")
    with pytest.raises(PlaybookError, match="no data file"):
        read_pumf(nodata)


def test_unknown_cycle():
    with pytest.raises(PlaybookError, match="unknown survey cycle 'cius_1999'"):
        load_spec("cius_1999")


def test_fixed_width_2018_layout_with_separate_bootstrap_file(tmp_path):
    """The 2018 cycle: fixed-width data, SPSS DATA LIST layout, bootstrap weights in their own file."""
    names = ["PUMFID", "PROVINCE", "LUC_RST", "ABOSTAT", "G_EDUC", "GENDER", "AGE_GRP", "LAN_Q01", "GV_USER",
             "HINCQUIN", "WTPM"]
    widths = [6, 2, 1, 1, 1, 1, 2, 1, 1, 1, 8]
    layout, pos = ["DATA LIST FILE = INFILE NOTABLE/"], 1
    for n, w in zip(names, widths, strict=True):
        layout.append(f"    {n:<20} {pos:>4} - {pos + w - 1:>4}")
        pos += w
    assert parse_spss_layout("\n".join(layout))["end"].iloc[-1] == pos - 1
    records = ["00000135111106121" "00000950", "00000246221202213" "00001050"]
    path = tmp_path / "cius2018.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("CIUS2018PUMF.txt", "\n".join(records) + "\n")
        zf.writestr("CIUS2018PUMF_i.sps", "\n".join(layout) + "\n.\n")
    boot = tmp_path / "bsw.csv"
    boot.write_text("PUMFID,WRPM1,WRPM2,WRPM3\n000002,1,2,3\n000001,4,5,6\n")
    survey = read_pumf(path, cycle="cius_2018", bootstrap=boot)
    assert list(survey.data["province"]) == ["35", "46"]
    assert list(survey.data["never_online_gov"]) == [1.0, 0.0]
    assert survey.data["immigrant"].isna().all()  # unavailable in 2018
    assert np.array_equal(survey.weight, [950, 1050])
    assert survey.replicates.tolist() == [[4, 5, 6], [1, 2, 3]]  # joined on PUMFID


def test_bootstrap_file_missing_a_respondent(tmp_path):
    boot = tmp_path / "bsw.csv"
    boot.write_text("PUMFID,WTBS_1\n1,5\n")
    with pytest.raises(PlaybookError, match="respondent '2' has no bootstrap weights"):
        read_pumf(make_pumf(tmp_path), bootstrap=boot)
