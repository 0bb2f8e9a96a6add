import pandas as pd

from playbook.sources.census.format import HEADER_2021, UNIQUE_HEADER_2021, profile_2016_header, write_profile_2021

# Real rows of the 2021 comprehensive download, as quoted in public notes (see shared FORMAT_SPEC.md).
OFFICIAL = """\
CENSUS_YEAR,DGUID,ALT_GEO_CODE,GEO_LEVEL,GEO_NAME,TNR_SF,TNR_LF,DATA_QUALITY_FLAG,CHARACTERISTIC_ID,CHARACTERISTIC_NAME,CHARACTERISTIC_NOTE,C1_COUNT_TOTAL,SYMBOL,C2_COUNT_MEN+,SYMBOL,C3_COUNT_WOMEN+,SYMBOL,C10_RATE_TOTAL,SYMBOL,C11_RATE_MEN+,SYMBOL,C12_RATE_WOMEN+,SYMBOL\r
2021,"2021A000011124","01","Country","Canada",3.1,4.3,"20000",1,"Population, 2021",1,36991981,"",,"...",,"...",,"...",,"...",,"..."\r
2021,"2021S051610010001","10010001","Aggregate dissemination area","10010001",3.1,4.6,"00000",3,"Population percentage change, 2016 to 2021",,-4.9,"",,"...",,"...",-4.9,"",,"...",,"..."\r
2021,"2021A000011124","01","Country","Canada",3.1,4.3,"20000",652,"          Edo",,1685,"",745,"",940,"",0,"",0,"",0,""\r
"""


def test_header_has_six_symbol_columns():
    assert len(HEADER_2021) == 23 and HEADER_2021.count("SYMBOL") == 6
    assert len(set(UNIQUE_HEADER_2021)) == 23


def test_writer_reproduces_official_rows_byte_for_byte(tmp_path):
    n = None
    rows = pd.DataFrame(
        [
            [2021, "2021A000011124", "01", "Country", "Canada", 3.1, 4.3, "20000", 1, "Population, 2021", 1,
             36991981, "", n, "...", n, "...", n, "...", n, "...", n, "..."],
            [2021, "2021S051610010001", "10010001", "Aggregate dissemination area", "10010001", 3.1, 4.6, "00000", 3,
             "Population percentage change, 2016 to 2021", n, -4.9, "", n, "...", n, "...", -4.9, "", n, "...", n, "..."],
            [2021, "2021A000011124", "01", "Country", "Canada", 3.1, 4.3, "20000", 652, "          Edo", n,
             1685, "", 745, "", 940, "", 0, "", 0, "", 0, ""],
        ],
        columns=UNIQUE_HEADER_2021,
    )
    out = tmp_path / "profile.csv"
    write_profile_2021(rows, out)
    assert out.read_bytes() == OFFICIAL.encode("latin-1")


def test_latin1_names_and_tab_variant(tmp_path):
    row = {c: None for c in UNIQUE_HEADER_2021} | {"GEO_NAME": "Montréal", "CHARACTERISTIC_ID": 1}
    out = tmp_path / "profile.tab"
    write_profile_2021(pd.DataFrame([row]), out, sep="\t")
    text = out.read_bytes()
    assert b'"Montr\xe9al"' in text and text.split(b"\r\n")[0].count(b"\t") == 22


def test_2016_header():
    head = profile_2016_header("Census Subdivisions (CSD)", csd_type=True)
    assert head[9] == "DIM: Profile of Census Subdivisions (CSD) (2247)"
    assert head[10] == "Member ID: Profile of Census Subdivisions (CSD) (2247)"
    assert head[-1] == "Dim: Sex (3): Member ID: [3]: Female"
