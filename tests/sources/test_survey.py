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


# --- which member is which: by content, never by name order ---------------------------------------

DATA_NO_REPS = HEADER.removesuffix(",WTBS_001,WTBS_002")
ROWS_NO_REPS = [r.rsplit(",", 2)[0] for r in ROWS]


def zip_of(tmp_path, members: dict[str, str], name="pumf.zip"):
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as zf:
        for member, text in members.items():
            zf.writestr(member, text)
    return path


def test_a_bootstrap_csv_sorting_first_is_not_taken_for_the_data(tmp_path):
    """The zip's first CSV alphabetically holds the bootstrap weights (with the weight repeated, as
    some releases do); the data come from the other one, the replicates are joined on the id."""
    path = zip_of(tmp_path, {
        "A_PUMF_BSW.csv": "PUMFID,WTPG,WTBS_001,WTBS_002,WTBS_003\n2,1200,7,8,9\n1,1500,1,2,3\n",
        "Z_PUMF.csv": "\n".join([DATA_NO_REPS, *ROWS_NO_REPS]) + "\n",
        "Z_PUMF_vale.sps": VALE,
    })
    survey = read_pumf(path)
    assert list(survey.data["province"]) == ["35", "24"]
    assert list(survey.weight) == [1500, 1200]
    assert survey.replicates.tolist() == [[1, 2, 3], [7, 8, 9]]
    assert survey.files == {"data": f"{path}:Z_PUMF.csv", "replicates": f"{path}:A_PUMF_BSW.csv"}


def test_two_data_files_are_refused_with_their_names(tmp_path):
    data = "\n".join([HEADER, *ROWS]) + "\n"
    path = zip_of(tmp_path, {"a.csv": data, "b.csv": data})
    with pytest.raises(PlaybookError, match=r"pumf.zip: 2 members look like the data file: a.csv, b.csv \(expected one"):
        read_pumf(path)


def test_two_bootstrap_files_or_two_sets_of_replicates_are_refused(tmp_path):
    boot = "PUMFID,WTBS_001\n1,5\n2,6\n"
    data = "\n".join([DATA_NO_REPS, *ROWS_NO_REPS]) + "\n"
    with pytest.raises(PlaybookError, match="2 members look like the bootstrap file: b1.csv, b2.csv"):
        read_pumf(zip_of(tmp_path, {"d.csv": data, "b1.csv": boot, "b2.csv": boot}))
    with pytest.raises(PlaybookError, match="replicate weights both in d.csv and in b1.csv"):
        read_pumf(zip_of(tmp_path, {"d.csv": "\n".join([HEADER, *ROWS]) + "\n", "b1.csv": boot}, name="two.zip"))


def test_no_replicates_anywhere_leaves_none(tmp_path):
    survey = read_pumf(zip_of(tmp_path, {"d.csv": "\n".join([DATA_NO_REPS, *ROWS_NO_REPS]) + "\n"}))
    assert survey.replicates is None and survey.files["replicates"] is None


def test_bootstrap_ids_join_without_leading_zeros(tmp_path):
    rows = [r.replace("1,", "000001,", 1) if r.startswith("1,") else r.replace("2,", "000002,", 1) for r in ROWS_NO_REPS]
    boot = tmp_path / "bsw.csv"
    boot.write_text("PUMFID,WTBS_1,WTBS_2\n2,5,6\n1,3,4\n")
    survey = read_pumf(zip_of(tmp_path, {"d.csv": "\n".join([DATA_NO_REPS, *rows]) + "\n"}), bootstrap=boot)
    assert list(survey.data["id"]) == ["000001", "000002"]
    assert survey.replicates.tolist() == [[3, 4], [5, 6]]


def test_replicate_prefixes_are_tried_in_turn():
    """cius_2020 looks for WRPG1.. then WTBS_001..: the demo file (WTBS_) reads under it too."""
    from playbook.sources import datasets

    assert load_spec("cius_2020")["replicates"] == ["WRPG", "WTBS_"]
    survey = read_pumf(datasets.path("demo_cius_pumf"), cycle="cius_2020")
    assert survey.replicates.shape == (len(survey.data), 200)


def test_an_unknown_key_in_a_cycle_mapping(tmp_path):
    spec = tmp_path / "cius.yml"
    spec.write_text("c1:\n  id: PUMFID\n  weight: W\n  replicats: R\n  variables: {}\n  outcomes: {}\n  quality: {}\n")
    with pytest.raises(PlaybookError, match=r"field 'c1.replicats': unknown key 'replicats'; did you mean 'replicates'"):
        load_spec("c1", spec)


# --- fixed width: implied decimals, replicates inside, files that are not data ------------------------

LAYOUT_2018 = """DATA LIST FILE = INFILE NOTABLE/
    PUMFID          1 -     6
    PROVINCE        7 -     8
    LUC_RST         9 -     9
    ABOSTAT        10 -    10
    G_EDUC         11 -    11
    GENDER         12 -    12
    AGE_GRP        13 -    14   (A)
    LAN_Q01        15 -    15
    HINCQUIN       16 -    16
    GV_USER        17 -    17
    WTPM           18 -    32   (9)
    WRPM1          33 -    47   (9)
    WRPM2          48 -    62   (9)
    .
"""


def test_layout_reads_implied_decimals_and_text_columns():
    layout = parse_spss_layout(LAYOUT_2018).set_index("name")
    assert layout.loc["WTPM", ["start", "end", "decimals"]].tolist() == [18, 32, 9]
    assert layout.loc["AGE_GRP", "decimals"] == 0 and layout.loc["PUMFID", "decimals"] == 0


def test_2018_layout_with_replicates_in_the_data_file(tmp_path):
    """As the 2018 DATA LIST declares them: WTPM and WRPM1.. with 9 implied decimals. A cell without
    a decimal point is divided by 10^9; one with a point is read as written. A readme and a
    tabulation file beside the data are not data."""
    records = [
        "000001" "35" "1" "2" "1" "2" "06" "1" "3" "2" f"{950_500_000_000:>15}" f"{1_901_000_000_000:>15}" f"{0:>15}",
        "000002" "46" "2" "1" "3" "1" "02" "2" "5" "1" f"{'1050.25':>15}" f"{'0':>15}" f"{'2100.5':>15}",
    ]
    assert {len(r) for r in records} == {62}
    path = zip_of(tmp_path, {
        "README.txt": "Canadian Internet Use Survey 2018\nPublic use microdata file\n",
        "CIUS2018PUMF_label.txt": "PUMFID      Record id\nPROVINCE    Province\n",
        "CIUS2018PUMF.txt": "\r\n".join(records) + "\r\n",
        "CIUS2018PUMF_i.sps": LAYOUT_2018,
    }, name="cius2018.zip")
    survey = read_pumf(path, cycle="cius_2018")
    assert survey.files["data"].endswith(":CIUS2018PUMF.txt")
    assert list(survey.data["province"]) == ["35", "46"]
    assert list(survey.data["age_group"]) == ["65+", "25-44"]
    assert list(survey.data["never_online_gov"]) == [1.0, 0.0]  # GV_USER 2: not a user
    assert survey.weight.tolist() == pytest.approx([950.5, 1050.25])
    assert survey.replicates.ravel().tolist() == pytest.approx([1901.0, 0.0, 0.0, 2100.5])


def test_fixed_width_errors_name_the_record(tmp_path):
    good = "000001" "35" "1" "2" "1" "2" "06" "1" "3" "2" + f"{'950.5':>15}" * 3
    bad_code = good[:16] + "x" + good[17:]
    path = zip_of(tmp_path, {"d.txt": good + "\n" + bad_code + "\n", "d_i.sps": LAYOUT_2018})
    with pytest.raises(PlaybookError, match=r"d.txt, row 2, field 'GV_USER': 'x' is not a code"):
        read_pumf(path, cycle="cius_2018")
    path = zip_of(tmp_path, {"d.txt": good + "\n" + good + "   9\n", "d_i.sps": LAYOUT_2018}, name="long.zip")
    with pytest.raises(PlaybookError, match=r"row 2: record of 66 characters \(expected at most 62"):
        read_pumf(path, cycle="cius_2018")


def test_a_csv_with_a_byte_order_mark(tmp_path):
    path = tmp_path / "bom.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("DEMO_PUMF.csv", b"\xef\xbb\xbf" + ("\r\n".join([HEADER, *ROWS]) + "\r\n").encode())
    assert list(read_pumf(path).data["id"]) == ["1", "2"]
