"""The geographic attribute file reader, the hierarchy and roll-ups, on hand-made files and the demo."""

import zipfile

import numpy as np
import pandas as pd
import pytest

from playbook.codes import dguid
from playbook.errors import PlaybookError
from playbook.geo.attributes import COLUMNS_2021, read_units
from playbook.geo.hierarchy import read_hierarchy, rollup

# Dissemination blocks: (PRUID, CDUID, CSDUID, CSDNAME, DAUID, SACTYPE, CMAUID, CMATYPE, DBPOP)
BLOCKS = [
    ("11", "1102", "1102075", "Charlottetown", "11020001", "3", "105", "D", "100"),
    ("11", "1102", "1102075", "Charlottetown", "11020001", "3", "105", "D", "50"),
    ("11", "1102", "1102075", "Charlottetown", "11020002", "3", "105", "D", "250"),
    ("11", "1102", "1102080", "Stratford", "11020003", "5", "", "H", "400"),
    ("24", "2466", "2466023", "Montréal", "24660001", "1", "462", "B", "1000"),
    ("24", "2466", "2466023", "Montréal", "24660002", "1", "462", "B", ""),
    ("24", "2498", "2498012", "Kuujjuaq", "24980001", "7", "", "J", "2000"),
]


def write_gaf(path, rows=BLOCKS, columns=COLUMNS_2021, encoding="cp1252"):
    frame = pd.DataFrame("", index=range(len(rows)), columns=COLUMNS_2021)
    for i, (pr, cd, csd, name, da, sac, cma, cmatype, pop) in enumerate(rows):
        frame.loc[
            i,
            [
                "PRUID_PRIDU",
                "CDUID_DRIDU",
                "CSDUID_SDRIDU",
                "CSDNAME_SDRNOM",
                "DAUID_ADIDU",
                "SACTYPE_CSSGENRE",
                "CMAUID_RMRIDU",
                "CMATYPE_RMRGENRE",
                "DBPOP2021_IDPOP2021",
            ],
        ] = [pr, cd, csd, name, da, sac, cma, cmatype, pop]
        frame.loc[i, "DBUID_IDIDU"] = f"{da}{i:03d}"
        frame.loc[i, "PRENAME_PRANOM"] = {"11": "Prince Edward Island", "24": "Quebec"}[pr]
    frame[columns].to_csv(path, index=False, encoding=encoding, lineterminator="\r\n")
    return path


@pytest.fixture
def gaf(tmp_path):
    return write_gaf(tmp_path / "2021_92-151_X.csv")


def test_units_sum_block_populations(gaf):
    units = read_units(gaf).set_index("dauid")
    assert units.loc["11020001", "population"] == 150
    assert units.loc["24660002", "population"] == 0
    assert units.loc["24660001", "csd_name"] == "Montréal"
    assert len(units) == 6


def test_hierarchy_levels_and_parents(gaf):
    h = read_hierarchy(gaf).set_index("DGUID")
    assert h["level"].value_counts().to_dict() == {
        "Dissemination area": 6,
        "Census subdivision": 4,
        "Census division": 3,
        "Province": 2,
        "Census agglomeration": 1,
        "Census metropolitan area": 1,
        "Country": 1,
    }
    da = h.loc["2021S051211020002"]
    assert (da["csduid"], da["cduid"], da["pruid"], da["cmauid"], da["sac_type"]) == ("1102075", "1102", "11", "105", 3)
    assert h.loc["2021S051211020002", "cma_dguid"] == "2021S0504105"
    assert h.loc["2021A00051102080", "sac_type"] == 5 and pd.isna(h.loc["2021A00051102080", "cmauid"])
    assert h.loc["2021A00052498012", "sac_type"] == 7
    assert h.loc["2021A00051102075", "population"] == 400
    assert h.loc["2021A0003" + "1102", "population"] == 800
    assert h.loc["2021A000224", "population"] == 3000
    assert h.loc["2021A000011124", "population"] == 3800
    assert h.loc["2021S0503462", "population"] == 1000 and h.loc["2021S0503462", "level"] == "Census metropolitan area"


def test_zip_as_published(tmp_path, gaf):
    archive = tmp_path / "2021_92-151_X.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(gaf, "2021_92-151_X.csv")
        z.writestr("README.txt", "notes")
    assert len(read_hierarchy(archive)) == 18


def test_rollup_by_hand(gaf):
    h = read_hierarchy(gaf)
    da = pd.DataFrame(
        {
            "DGUID": dguid("Dissemination area", pd.Series(["11020001", "11020002", "11020003", "24660001", "24980001"])),
            "rate": [10.0, 20.0, 40.0, 5.0, np.nan],
            "people": [100.0, 300.0, 600.0, 1000.0, 2000.0],
        }
    )
    csd = rollup(da, "Census subdivision", "rate", "people", hierarchy=h).set_index("DGUID")
    assert csd.loc["2021A00051102075", "rate"] == pytest.approx((10 * 100 + 20 * 300) / 400)
    assert pd.isna(csd.loc["2021A00052498012", "rate"])  # only missing values: no mean
    pr = rollup(da, "Province", ["rate"], "people", hierarchy=h).set_index("DGUID")
    assert pr.loc["2021A000211", "rate"] == pytest.approx(31.0)  # (10 x 100 + 20 x 300 + 40 x 600) / 1000
    assert pr.loc["2021A000211", "people"] == 1000 and pr.loc["2021A000211", "level"] == "Province"
    assert pr.loc["2021A000224", "rate"] == 5.0  # Kuujjuaq's missing value does not count
    cma = rollup(da, "CMA/CA", "rate", "people", hierarchy=h).set_index("DGUID")
    assert cma.index.tolist() == ["2021S0504105", "2021S0503462"]
    assert cma.loc["2021S0504105", "level"] == "Census agglomeration"
    canada = rollup(da, "Country", "rate", "people", hierarchy=h)
    assert canada["rate"].iloc[0] == pytest.approx((1000 + 6000 + 24000 + 5000) / 2000)
    # A table that already carries the parent code needs no hierarchy.
    tidy = pd.DataFrame({"pruid": ["11", "11", "60"], "v": [1.0, 3.0, 2.0], "w": [1.0, 3.0, 5.0]})
    out = rollup(tidy, "Province", "v", "w")
    assert out["v"].tolist() == [2.5, 2.0] and out["level"].tolist() == ["Province", "Territory"]


def test_rollup_errors(gaf):
    h = read_hierarchy(gaf)
    with pytest.raises(PlaybookError, match="unknown level 'Ward'"):
        rollup(pd.DataFrame({"DGUID": [], "v": [], "w": []}), "Ward", "v", "w", hierarchy=h)
    with pytest.raises(PlaybookError, match="'2021A00059999999' is not in the hierarchy"):
        rollup(pd.DataFrame({"DGUID": ["2021A00059999999"], "v": [1.0], "w": [1.0]}), "Province", "v", "w", hierarchy=h)
    with pytest.raises(PlaybookError, match="field 'people'"):
        rollup(pd.DataFrame({"DGUID": ["x"], "v": [1.0]}), "Province", "v", "people", hierarchy=h)


def test_missing_column_named(tmp_path):
    path = write_gaf(tmp_path / "gaf.csv", columns=[c for c in COLUMNS_2021 if c != "SACTYPE_CSSGENRE"])
    with pytest.raises(PlaybookError) as err:
        read_hierarchy(path)
    assert "gaf.csv" in str(err.value) and "row 1" in str(err.value) and "field 'SACTYPE_CSSGENRE'" in str(err.value)


@pytest.mark.parametrize(
    "index,position,value,field",
    [
        (3, 2, "110208", "CSDUID_SDRIDU"),
        (5, 5, "9", "SACTYPE_CSSGENRE"),
        (2, 8, "12a", "DBPOP2021_IDPOP2021"),
        (4, 1, "2566", "CDUID_DRIDU"),
    ],
)
def test_bad_value_names_row_and_field(tmp_path, index, position, value, field):
    rows = [list(r) for r in BLOCKS]
    rows[index][position] = value
    path = write_gaf(tmp_path / "gaf.csv", rows=[tuple(r) for r in rows])
    with pytest.raises(PlaybookError) as err:
        read_hierarchy(path)
    text = str(err.value)
    assert f"row {index + 2}" in text and f"field '{field}'" in text and f"'{value}'" in text


def test_short_row(tmp_path, gaf):
    lines = gaf.read_bytes().split(b"\r\n")
    lines[4] = b",".join(lines[4].split(b",")[:20])
    path = tmp_path / "short.csv"
    path.write_bytes(b"\r\n".join(lines))
    with pytest.raises(PlaybookError, match=r"short.csv, row 5: row has 20 fields \(a quote left open\?\) \(expected 63"):
        read_hierarchy(path)


def test_da_in_two_csds(tmp_path):
    rows = BLOCKS + [("11", "1102", "1102080", "Stratford", "11020001", "5", "", "H", "10")]
    with pytest.raises(PlaybookError, match="11020001 lies in more than one census subdivision"):
        read_hierarchy(write_gaf(tmp_path / "gaf.csv", rows=rows))


@pytest.mark.parametrize(
    "content,message",
    [
        (b"not a zip", "cannot open the zip"),
        (None, "holds 2 CSV files"),
    ],
)
def test_bad_zips(tmp_path, gaf, content, message):
    path = tmp_path / "gaf.zip"
    if content is None:
        with zipfile.ZipFile(path, "w") as z:
            z.write(gaf, "a.csv")
            z.write(gaf, "b.csv")
    else:
        path.write_bytes(content)
    with pytest.raises(PlaybookError, match=message):
        read_hierarchy(path)


def test_empty_and_missing_files(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text(",".join(COLUMNS_2021) + "\r\n", encoding="cp1252")
    with pytest.raises(PlaybookError, match="no rows"):
        read_hierarchy(empty)
    with pytest.raises(PlaybookError, match="file not found") as err:
        read_hierarchy(tmp_path / "nope.csv")
    assert err.value.path == str(tmp_path / "nope.csv")
    with pytest.raises(PlaybookError, match="not a file"):
        read_hierarchy(tmp_path)
    blank = tmp_path / "blank.csv"
    for content in (b"", b"\r\n\r\n"):
        blank.write_bytes(content)
        with pytest.raises(PlaybookError, match="the file is empty") as err:
            read_hierarchy(blank)
        assert err.value.row == 1


def test_demo_file_has_the_real_geography():
    h = read_hierarchy()
    counts = h["level"].value_counts()
    assert counts["Census subdivision"] == 5161 and counts["Dissemination area"] == 319
    assert counts["Census division"] == 293 and counts["Province"] + counts["Territory"] == 13
    assert h.loc[h["level"] == "Country", "population"].iloc[0] == 36_991_981
    pei = h[h["level"] == "Dissemination area"]
    assert (pei["pruid"] == "11").all() and pei["csduid"].str.startswith("11").all()
    csd = h[h["level"] == "Census subdivision"]
    assert csd["sac_type"].between(1, 8).all() and csd["sac_synthetic"].all()
    toronto = csd.set_index("csduid").loc["3520005"]
    assert toronto["cmauid"] == "535" and toronto["sac_type"] == 1 and toronto["cma_dguid"] == "2021S0503535"
    assert (csd.loc[csd["pruid"].isin(["60", "61", "62"]) & csd["cmauid"].isna(), "sac_type"] == 8).all()


def test_dguid_type_and_builder():
    from playbook.codes import parse_dguid

    parsed = parse_dguid(pd.Series(["2021A00053520005", "2021S051211020001", "2021S0504105"]))
    assert parsed["type"].tolist() == ["A", "S", "S"]
    assert parsed["geo_level"].tolist() == ["Census subdivision", "Dissemination area", "Census agglomeration"]
    assert dguid("Territory", pd.Series(["62"])).tolist() == ["2021A000262"]
    assert dguid("Country", pd.Series(["01"])).tolist() == ["2021A000011124"]


def test_hierarchy_cli(tmp_path, gaf, capsys):
    from playbook import cli

    out = tmp_path / "h.csv"
    assert cli.main(["hierarchy", str(gaf), "--out", str(out), "--level", "Census subdivision"]) == 0
    table = pd.read_csv(out, dtype=str)
    assert table["csduid"].tolist() == ["1102075", "1102080", "2466023", "2498012"]
    assert "wrote 4 geographies" in capsys.readouterr().out


def test_hierarchy_cli_bad_file_leaves_nothing(tmp_path, capsys):
    from playbook import cli

    bad = tmp_path / "bad.csv"
    bad.write_text("PRUID_PRIDU,CDUID_DRIDU\r\n10,1001\r\n", encoding="cp1252")
    out = tmp_path / "h.csv"
    assert cli.main(["hierarchy", str(bad), "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert "bad.csv, row 1, field 'CSDUID_SDRIDU'" in err and "\n" not in err
    assert list(tmp_path.iterdir()) == [bad]


def test_hierarchy_cli_unknown_level_is_an_error_not_an_empty_file(tmp_path, gaf, capsys):
    from playbook import cli

    out = tmp_path / "h.csv"
    assert cli.main(["hierarchy", str(gaf), "--out", str(out), "--level", "Census subdivisoin"]) == 2
    err = capsys.readouterr().err
    assert "no geography at level 'Census subdivisoin'" in err and "Census subdivision" in err
    assert not out.exists()


# --- encodings and damaged files ----------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "utf-8", "utf-8-sig"])
@pytest.mark.parametrize("packed", [False, True])
def test_every_encoding_reads_montreal(tmp_path, encoding, packed):
    path = write_gaf(tmp_path / "2021_92-151_X.csv", encoding=encoding)
    if packed:
        with zipfile.ZipFile(tmp_path / "gaf.zip", "w", zipfile.ZIP_DEFLATED) as z:
            z.write(path, "2021_92-151_X.csv")
        path = tmp_path / "gaf.zip"
    names = set(read_hierarchy(path)["name"].dropna())  # as the hierarchy command reads it
    assert "Montréal" in names and not any("Ã" in n for n in names)


def _late_accent_blocks(n: int = 80):
    """ASCII blocks around one Montréal block, far from the head and the tail of the file."""
    rows = [("11", "1102", "1102075", "Charlottetown", f"1102{i:04d}", "3", "105", "D", "10") for i in range(n)]
    rows.insert(n // 3, ("24", "2466", "2466023", "Montréal", "24660001", "1", "462", "B", "1000"))
    return rows


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8"])
@pytest.mark.parametrize("packed", [False, True])
def test_an_accent_beyond_the_sample_is_read_right(tmp_path, monkeypatch, encoding, packed):
    """The sample sees only ASCII: the file is read as UTF-8 and, if a row says otherwise, again as Windows-1252."""
    from playbook.sources.census import text

    monkeypatch.setattr(text, "SAMPLE_BYTES", 3000)
    monkeypatch.setattr(text, "EDGE", 1000)
    monkeypatch.setattr(text, "BLOCKS", 1)
    monkeypatch.setattr(text, "ZIP_HEAD", 2000)
    path = write_gaf(tmp_path / "2021_92-151_X.csv", rows=_late_accent_blocks(), encoding=encoding)
    if packed:
        with zipfile.ZipFile(tmp_path / "gaf.zip", "w") as z:
            z.write(path, "2021_92-151_X.csv")
        path = tmp_path / "gaf.zip"
    from playbook.geo import attributes

    assert attributes._encoding(path, None) == text.UNDECIDED
    units = read_units(path, block_size=1024)  # several batches: the bad one comes after good ones
    assert units.loc[units["csduid"] == "2466023", "csd_name"].tolist() == ["Montréal"]
    assert len(units) == 81


def test_declared_encoding_is_used(tmp_path):
    path = write_gaf(tmp_path / "gaf.csv", encoding="utf-8")
    assert "MontrÃ©al" in set(read_units(path, encoding="cp1252")["csd_name"])
    with pytest.raises(PlaybookError, match="unknown encoding"):
        read_units(path, encoding="klingon")
    latin = write_gaf(tmp_path / "latin.csv", encoding="cp1252")
    with pytest.raises(PlaybookError, match="not UTF-8 text"):
        read_units(latin, encoding="utf-8")


@pytest.mark.parametrize(("encoding", "says"), [("utf-16", "UTF-16 text"), ("utf-16-le", "NUL bytes"),
                                                ("utf-32", "UTF-32 text")])
def test_utf16_is_refused_clearly(tmp_path, encoding, says):
    path = write_gaf(tmp_path / "gaf.csv", encoding=encoding)
    with pytest.raises(PlaybookError, match=says) as err:
        read_hierarchy(path)
    assert err.value.row == 1 and "UTF-8" in err.value.expected


def _edit(index: int, change):
    def apply(path):
        lines = path.read_bytes().split(b"\r\n")
        lines[index] = change(lines[index])
        path.write_bytes(b"\r\n".join(lines))
    return apply


@pytest.mark.parametrize(("damage", "row", "says"), [
    (_edit(2, lambda b: b'"' + b), 3, "row has 1 fields (a quote left open?)"),
    (_edit(2, lambda b: b + b",extra"), 3, "row has 64 fields"),
    (_edit(7, lambda b: b + b",,"), 8, "row has 65 fields"),
    (_edit(1, lambda b: b[:30]), 2, "fields (a quote left open?)"),
    (lambda p: p.write_bytes(p.read_bytes().split(b"\r\n")[0]), 2, "the file has no rows"),
    (lambda p: p.write_bytes(p.read_bytes().split(b"\r\n")[0] + b"\r\n\r\n"), 2, "the file has no rows"),
    (lambda p: p.write_bytes(b"\xef\xbb\xbf\r\n"), 1, "the first line is empty"),
])
def test_bad_csv_is_one_error_naming_the_row(tmp_path, gaf, damage, row, says):
    damage(gaf)
    with pytest.raises(PlaybookError) as err:
        read_hierarchy(gaf)
    assert err.value.row == row and says in str(err.value) and err.value.expected and err.value.path == str(gaf)


def test_a_damaged_zip_member_is_an_error(tmp_path, gaf):
    path = tmp_path / "gaf.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        z.write(gaf, "2021_92-151_X.csv")
    data = bytearray(path.read_bytes())
    data[200] ^= 0x01  # a byte of the member's data: its CRC-32 no longer matches
    path.write_bytes(bytes(data))
    with pytest.raises(PlaybookError, match="cannot decompress 2021_92-151_X.csv") as err:
        read_hierarchy(path)
    assert "download it again" in err.value.expected
