"""Bad input: each case is one clear error naming the file, the row and what was expected."""

import zipfile

import pytest

from playbook.errors import PlaybookError
from playbook.sources import census
from tests.sources.census.helpers import rows_2021, write_2016, write_2021, zip_of


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setattr(census, "cache_dir", lambda: tmp_path / "cache")


def _error(paths, ids=(1, 6, 345), **kw) -> PlaybookError:
    with pytest.raises(PlaybookError) as info:
        census.extract(paths, list(ids), **kw)
    return info.value


def _lines(path):
    return path.read_bytes().split(b"\r\n")


def test_renamed_column(tmp_path):
    path = write_2021(tmp_path / "p.csv")
    path.write_bytes(path.read_bytes().replace(b"C1_COUNT_TOTAL", b"C1_COUNT", 1))
    err = _error(path)
    assert err.path == str(path) and err.row == 1 and err.field == "C1_COUNT_TOTAL"
    assert "C1_COUNT_TOTAL" in str(err) and "\n" not in str(err)


def test_missing_identifying_column(tmp_path):
    path = write_2021(tmp_path / "p.csv")
    path.write_bytes(path.read_bytes().replace(b"GEO_LEVEL,", b"", 1))
    err = _error(path)
    assert err.row == 1 and err.field == "GEO_LEVEL" and "column 4 is 'GEO_NAME'" in str(err)


def test_missing_symbol_column(tmp_path):
    path = write_2021(tmp_path / "p.csv")
    path.write_bytes(path.read_bytes().replace(b"C10_RATE_TOTAL,SYMBOL", b"C10_RATE_TOTAL,FLAG", 1))
    err = _error(path)
    assert err.row == 1 and err.field == "SYMBOL" and "column 19 is 'FLAG'" in str(err)


def test_not_a_census_profile(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("a,b,c\r\n1,2,3\r\n", encoding="latin-1")
    err = _error(path)
    assert err.row == 1 and "CENSUS_YEAR,DGUID" in str(err)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    assert _error(path).row == 1


def test_requested_id_absent(tmp_path):
    err = _error(write_2021(tmp_path / "p.csv"), ids=(1, 9999))
    assert "characteristic 9999 is not in the file" in str(err) and err.field == "CHARACTERISTIC_ID"
    assert str(tmp_path / "p.csv") in str(err)


def test_truncated_file_names_the_last_row(tmp_path):
    path = write_2021(tmp_path / "p.csv")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 60])  # cut inside the last row
    err = _error(path)
    assert err.row == 17 and "truncated" in str(err)


def test_short_row_in_the_middle(tmp_path):
    path = write_2021(tmp_path / "p.csv")
    lines = _lines(path)
    lines[5] = b'2021,"2021A000224","24","Province","Quebec"'
    path.write_bytes(b"\r\n".join(lines))
    err = _error(path)
    assert err.row == 6 and "row has 5 columns" in str(err) and "23 columns" in str(err)


def test_short_row_inside_a_zip(tmp_path):
    path = write_2021(tmp_path / "p.csv")
    lines = _lines(path)
    lines[9] = b"2021,"
    path.write_bytes(b"\r\n".join(lines))
    packed = zip_of(path, "98-401-X2021001_English_CSV_data.csv")
    err = _error(packed)
    assert err.row == 10 and err.path.endswith("p.zip!98-401-X2021001_English_CSV_data.csv")


def test_non_numeric_value_that_is_not_a_symbol(tmp_path):
    path = write_2021(tmp_path / "p.csv")  # Montréal (geography 2), characteristic 345: 3345 on line 13
    path.write_bytes(path.read_bytes().replace(b",3345,", b",12a,"))
    err = _error(path)
    assert err.row == 13 and err.field == "C1_COUNT_TOTAL" and "'12a'" in str(err) and "Montréal" in str(err)


def test_non_numeric_rate(tmp_path):
    path = write_2021(tmp_path / "p.csv")  # Quebec (geography 1), characteristic 6: rate 1.6 on line 8
    path.write_bytes(path.read_bytes().replace(b',2006,"",,"...",,"...",1.6,', b',2006,"",,"...",,"...",1.6%,'))
    assert census.extract(path, [6])["c6"].iloc[1] == 2006  # rates not asked for: not read
    err = _error(path, ids=(6,), rates=True)
    assert err.row == 8 and err.field == "C10_RATE_TOTAL" and "'1.6%'" in str(err)


def test_symbol_in_the_value_cell_is_accepted(tmp_path):
    path = write_2021(tmp_path / "p.csv")
    path.write_bytes(path.read_bytes().replace(b",3345,", b',"x",'))
    df = census.extract(path, [345])
    assert df["c345"].isna().tolist() == [False, False, True, False]


def test_unknown_symbol(tmp_path):
    rows = rows_2021(symbols={(1, 6): "zz"})
    err = _error(write_2021(tmp_path / "p.csv", rows))
    assert err.row == 8 and err.field == "SYMBOL" and "'zz'" in str(err)


def test_characteristic_name_mismatch(tmp_path):
    rows = rows_2021(names={345: "Prevalence of low income based on the Low-income cut-offs, after tax (LICO-AT) (%)"})
    err = _error(write_2021(tmp_path / "p.csv", rows))
    text = str(err)
    assert err.row == 5 and err.field == "CHARACTERISTIC_NAME"
    assert "LICO-AT" in text and "LIM-AT" in text and "census_2021.yml" in text and "345" in text


def test_2016_non_numeric_value(tmp_path):
    err = _error(write_2016(tmp_path / "p.csv", cells={(1, 857): "n/a"}), ids=(1, 857))
    assert err.row == 6 and err.field == "Total - Sex" and "'n/a'" in str(err)


def test_2016_name_mismatch(tmp_path):
    path = write_2016(tmp_path / "p.csv")
    path.write_bytes(path.read_bytes().replace(b"Population, 2016", b"Population, 2011"))
    err = _error(path, ids=(1,))
    assert err.row == 2 and "census_2016.yml" in str(err)


def test_level_absent_lists_the_levels_found(tmp_path):
    err = _error(write_2021(tmp_path / "p.csv"), level="Census tract")
    assert "Census tract" in str(err) and "'Census subdivision'" in str(err) and "'Country'" in str(err)


@pytest.mark.parametrize("content", [b"not a zip at all", b"PK\x03\x04garbage"])
def test_unreadable_zip(tmp_path, content):
    path = tmp_path / "98-401-X2021001_eng_CSV.zip"
    path.write_bytes(content)
    err = _error(path)
    assert err.path == str(path) and "zip" in str(err)


def test_truncated_zip(tmp_path):
    packed = zip_of(write_2021(tmp_path / "p.csv"), "98-401-X2021001_English_CSV_data.csv")
    data = packed.read_bytes()
    packed.write_bytes(data[: len(data) // 2])
    err = _error(packed)
    assert "zip" in str(err)


def test_zip_without_data_member(tmp_path):
    path = tmp_path / "x.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("README_meta.txt", "readme")
    err = _error(path)
    assert "no data member" in str(err) and "CSV_data.csv" in str(err)


def test_missing_file(tmp_path):
    assert "not found" in str(_error(tmp_path / "nope.csv"))


def test_conflicting_rows_across_files(tmp_path):
    rows = rows_2021()
    a = write_2021(tmp_path / "a.csv", rows)
    other = rows.copy()
    other["C1_COUNT_TOTAL"] = other["C1_COUNT_TOTAL"] + 1
    b = write_2021(tmp_path / "b.csv", other)
    err = _error([a, b], ids=(1,))
    assert "twice" in str(err) and str(b) in str(err)


@pytest.mark.parametrize("ids", ["1,x", "", "1;2"])
def test_bad_id_list(tmp_path, ids):
    with pytest.raises(PlaybookError):
        census.extract(write_2021(tmp_path / "p.csv"), ids)


@pytest.mark.parametrize("text", [b"inf", b"1e999", b"-Infinity"])
def test_an_infinite_count_is_refused(tmp_path, text):
    path = write_2021(tmp_path / "p.csv")
    lines = _lines(path)
    line = next(n for n, row in enumerate(lines) if b",2006," in row)  # geography 2, characteristic 6
    lines[line] = lines[line].replace(b",2006,", b"," + text + b",", 1)
    path.write_bytes(b"\r\n".join(lines))
    err = _error(path)
    assert err.field == "C1_COUNT_TOTAL" and text.decode() in str(err) and err.row == line + 1


def _edit(line: int, change):
    def apply(path):
        lines = _lines(path)
        lines[line - 1] = change(lines[line - 1])
        path.write_bytes(b"\r\n".join(lines))
    return apply


@pytest.mark.parametrize("packed", [False, True])
@pytest.mark.parametrize(("damage", "row", "says"), [
    (_edit(4, lambda b: b.replace(b'"Country"', b'"Country', 1)), 4, "row has 22 columns"),  # quote left open
    (_edit(4, lambda b: b + b',"extra"'), 4, "row has 24 columns"),
    (_edit(12, lambda b: b + b",,"), 12, "row has 25 columns"),
    (_edit(17, lambda b: b[:40]), 17, "row has 4 columns"),
    (lambda p: p.write_bytes(_lines(p)[0] + b"\r\n"), 2, "a header but no data rows"),
    (lambda p: p.write_bytes(_lines(p)[0]), 2, "a header but no data rows"),
    (lambda p: p.write_bytes(_lines(p)[0] + b"\r\n\r\n\r\n"), 2, "a header but no data rows"),
    (lambda p: p.write_bytes(b"\r\n\r\n"), 1, "the file is empty"),
    (lambda p: p.write_bytes(b"\xef\xbb\xbf"), 1, "the file is empty"),
    (lambda p: p.write_bytes(p.read_bytes().decode("latin-1").encode("utf-16")), 1, "UTF-16"),
])
def test_bad_csv_is_one_error_with_file_row_and_expected(tmp_path, packed, damage, row, says):
    path = write_2021(tmp_path / "p.csv")
    damage(path)
    source = zip_of(path, "98-401-X2021001_English_CSV_data.csv") if packed else path
    err = _error(source)
    assert err.row == row and says in str(err) and err.expected and err.path.startswith(str(source))
    assert "\n" not in str(err)


def test_every_row_is_read_or_refused_never_dropped(tmp_path):
    """A quote left open at the end of a row cannot swallow the rows after it (rows never span lines)."""
    path = write_2021(tmp_path / "p.csv")
    _edit(5, lambda b: b.replace(b'"Canada"', b'"Canada,', 1))(path)
    with pytest.raises(PlaybookError) as info:
        census.extract(path, [1, 2, 6, 345], cache=False)
    assert info.value.row == 5
