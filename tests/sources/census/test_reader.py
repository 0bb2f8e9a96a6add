"""The Census Profile reader on every documented variant (files written in the official layouts)."""

import math
import os
import zipfile

import pandas as pd
import pytest

from playbook.errors import PlaybookError
from playbook.sources import census
from tests.sources.census.helpers import GEOS, rate, rows_2021, value, write_2016, write_2021, zip_of


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setattr(census, "cache_dir", lambda: tmp_path / "cache")


def _expected_counts(df, ids=(1, 6, 345)):
    for gi in range(len(GEOS)):
        for cid in ids:
            assert df.loc[gi, f"c{cid}"] == value(gi, cid)


def test_csv_2021_pivots_one_row_per_geography_in_file_order(tmp_path):
    df = census.extract(write_2021(tmp_path / "p.csv"), [1, 6, 345])
    assert list(df.columns) == ["DGUID", "ALT_GEO_CODE", "GEO_LEVEL", "GEO_NAME", "c1", "c6", "c345"]
    assert list(df["DGUID"]) == [g[0] for g in GEOS]
    _expected_counts(df)
    assert df.loc[0, "c1"] == 1001.0 and df.loc[3, "c345"] == 4345.0
    assert all(df[c].dtype == "float64" for c in ("c1", "c6", "c345"))


def test_requested_order_of_ids_is_kept(tmp_path):
    df = census.extract(write_2021(tmp_path / "p.csv"), "345,1")
    assert list(df.columns[4:]) == ["c345", "c1"]


def test_leading_zero_codes_and_cp1252_names_survive(tmp_path):
    rows = rows_2021()
    rows.loc[rows["GEO_NAME"] == "10010001", "GEO_NAME"] = "Rivière-du-Loup – Est"  # en dash: cp1252 0x96
    df = census.extract(write_2021(tmp_path / "p.csv", rows, encoding="cp1252"), [1])
    assert df.loc[0, "ALT_GEO_CODE"] == "01" and df["ALT_GEO_CODE"].dtype == "string"
    assert df.loc[2, "GEO_NAME"] == "Montréal"
    assert df.loc[3, "GEO_NAME"] == "Rivière-du-Loup – Est"


def test_rates_come_from_c10(tmp_path):
    df = census.extract(write_2021(tmp_path / "p.csv"), [1, 345], rates=True)
    assert list(df.columns[4:]) == ["c1", "c345", "r1", "r345"]
    assert df.loc[2, "r345"] == pytest.approx(rate(2, 345)) == pytest.approx(36.5)


def test_symbols_are_nan_never_zero_and_E_keeps_its_value(tmp_path):
    rows = rows_2021(symbols={(2, 345): "x", (1, 6): "...", (3, 1): "F", (0, 1): "E", (3, 6): ".."})
    df = census.extract(write_2021(tmp_path / "p.csv", rows), [1, 6, 345], rates=True)
    assert math.isnan(df.loc[2, "c345"]) and math.isnan(df.loc[2, "r345"])
    assert math.isnan(df.loc[1, "c6"]) and math.isnan(df.loc[3, "c1"]) and math.isnan(df.loc[3, "c6"])
    assert df.loc[0, "c1"] == 1001.0  # E: use with caution, value kept
    assert df.loc[1, "c345"] == value(1, 345)


def test_suppressed_cells_are_empty_in_the_cli_csv(tmp_path):
    from playbook import cli

    rows = rows_2021(symbols={(2, 345): "x"})
    out = tmp_path / "out.csv"
    assert cli.main(["census", "extract", str(write_2021(tmp_path / "p.csv", rows)), "--ids", "345",
                     "--out", str(out), "--quiet", "--no-cache"]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[3] == "2021A00052466023,2466023,Census subdivision,Montréal,"


def test_level_filter(tmp_path):
    df = census.extract(write_2021(tmp_path / "p.csv"), [1], level="Census subdivision")
    assert list(df["GEO_NAME"]) == ["Montréal"] and df.loc[0, "c1"] == value(2, 1)


@pytest.mark.parametrize("member", ["98-401-X2021001_English_CSV_data.csv", "98-401-X2021001_English_TAB_data.csv"])
def test_zip_is_read_inside_without_unpacking(tmp_path, member):
    sep = "\t" if "TAB" in member else ","
    data = write_2021(tmp_path / "data.csv", sep=sep)
    packed = zip_of(data, member, tmp_path / "98-401-X2021001_eng_CSV.zip")
    data.unlink()
    before = set(tmp_path.rglob("*"))
    df = census.extract(packed, [1, 6, 345], cache=False)
    _expected_counts(df)
    assert set(tmp_path.rglob("*")) == before  # nothing unpacked beside the zip


def test_tab_variant_plain_file(tmp_path):
    df = census.extract(write_2021(tmp_path / "98-401-X2021001_English_TAB_data.tab", sep="\t"), [1, 6, 345])
    _expected_counts(df)


def test_several_paths_are_read_as_one_and_shared_rows_deduplicated(tmp_path):
    rows = rows_2021()
    first = rows[rows["DGUID"].isin([GEOS[0][0], GEOS[1][0]])]
    second = rows[rows["DGUID"].isin([GEOS[0][0], GEOS[2][0], GEOS[3][0]])]  # Canada in both regional files
    a = write_2021(tmp_path / "a.csv", first)
    b = zip_of(write_2021(tmp_path / "b.csv", second), "98-401-X2021006_English_CSV_data_Quebec.csv")
    df = census.extract([a, b], [1, 6, 345])
    assert list(df["DGUID"]) == [g[0] for g in GEOS]
    _expected_counts(df)


def test_zip_with_several_regional_members(tmp_path):
    rows = rows_2021()
    packed = tmp_path / "98-401-X2016044_eng_CSV.zip"
    with zipfile.ZipFile(packed, "w") as zf:
        for i, region in enumerate(["ATLANTIC", "QUEBEC"]):
            keep = rows["DGUID"].isin([g[0] for g in GEOS[2 * i:2 * i + 2]])
            part = write_2021(tmp_path / f"{region}.csv", rows[keep])
            zf.write(part, f"98-401-X2021006_{region}_English_CSV_data.csv")
    df = census.extract(packed, [1])
    assert len(df) == 4 and df.loc[3, "c1"] == value(3, 1)


def test_2016_profile_layout(tmp_path):
    path = write_2016(tmp_path / "98-401-X2016044_English_CSV_data.csv", cells={(1, 857): "x", (0, 1290): "..."})
    df = census.extract(path, [1, 857, 1290], rates=True)
    assert list(df["GEO_NAME"]) == ["Portugal Cove South", "Montréal"]
    assert list(df["ALT_GEO_CODE"]) == ["1001105", "2466023"]
    assert df["DGUID"].isna().all()  # the 2016 layout has no DGUID
    assert df.loc[0, "c1"] == 1001.0 and df.loc[1, "c1"] == 2001.0 and df.loc[0, "c857"] == 1857.0
    assert math.isnan(df.loc[1, "c857"]) and math.isnan(df.loc[0, "c1290"])
    assert df[["r1", "r857", "r1290"]].isna().all().all()  # no rate column in 2016


def test_2016_level_filter_uses_the_files_own_codes(tmp_path):
    df = census.extract(write_2016(tmp_path / "p.csv"), [1], level="4")
    assert len(df) == 2


def test_two_census_years_line_up_by_indicator(tmp_path):
    d21 = census.by_indicator(census.extract(write_2021(tmp_path / "p21.csv"), [1, 345]), 2021)
    d16 = census.by_indicator(census.extract(write_2016(tmp_path / "p16.csv"), [1, 857]), 2016)
    assert list(d21.columns[4:]) == list(d16.columns[4:]) == ["population", "low_income_lim_at_pct"]
    both = d21.merge(d16, on="ALT_GEO_CODE", suffixes=("_2021", "_2016"))
    assert both.loc[0, "population_2021"] == value(2, 1) and both.loc[0, "population_2016"] == 2001.0


def test_files_of_two_years_together_are_refused(tmp_path):
    with pytest.raises(census.PlaybookError, match="census years"):
        census.extract([write_2021(tmp_path / "a.csv"), write_2016(tmp_path / "b.csv")], [1])


def test_cache_is_used_and_invalidated_by_a_changed_file(tmp_path, monkeypatch):
    path = write_2021(tmp_path / "p.csv")
    first = census.extract(path, [1, 6])
    assert len(list((tmp_path / "cache").glob("*.parquet"))) == 1

    def boom(*a, **k):
        raise AssertionError("the file was read again")

    monkeypatch.setattr(census, "scan", boom)
    again = census.extract(path, [1, 6])
    pd.testing.assert_frame_equal(first, again)
    assert again["ALT_GEO_CODE"].iloc[0] == "01"
    with pytest.raises(AssertionError, match="read again"):
        census.extract(path, [1, 6, 345])  # another selection: another key
    rows = rows_2021()
    rows["C1_COUNT_TOTAL"] = rows["C1_COUNT_TOTAL"] + 1
    write_2021(path, rows)
    with pytest.raises(AssertionError, match="read again"):
        census.extract(path, [1, 6])  # same path, new size/mtime: not served from the cache


def test_clean_name():
    assert census.clean_name("    Immigrants (81)") == "Immigrants"
    assert census.clean_name("Population, 2021 (1)") == "Population, 2021"
    assert census.clean_name("Prevalence of low income (LIM-AT) (%)") == "Prevalence of low income (LIM-AT) (%)"


def test_specs_cover_the_c1_characteristics():
    c1 = {1, 6, 7, 8, 14, 15, 24, 27, 28, 29, 50, 51, 243, 335, 340, 345, 383, 387, 1402, 1403, 1527, 1529, 1536,
          1998, 1999, 2223, 2227, 2230}
    spec21, spec16 = census.load_spec(2021), census.load_spec(2016)
    assert set(spec21) == c1
    assert {e["indicator"] for e in spec21.values()} == {e["indicator"] for e in spec16.values()}
    for spec in (spec21, spec16):
        for entry in spec.values():
            if entry["role"] == "numerator":
                assert spec[entry["denominator"]]["role"] == "denominator"


@pytest.mark.parametrize("packed", [False, True])
def test_progress_bar_in_bytes_above_the_threshold(tmp_path, monkeypatch, capsys, packed):
    from playbook.sources.census import stream as census_scan

    path = write_2021(tmp_path / "p.csv")
    if packed:
        path = zip_of(path, "98-401-X2021001_English_CSV_data.csv")
    census.extract(path, [1], cache=False)  # small file: no bar
    assert "B/s" not in capsys.readouterr().err
    monkeypatch.setattr(census_scan, "PROGRESS_BYTES", 100)
    df = census.extract(path, [1], cache=False)
    assert "B" in capsys.readouterr().err and df.loc[0, "c1"] == 1001.0
    census.extract(path, [1], cache=False, progress=False)
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("packed", [False, True])
@pytest.mark.parametrize("block", [97, 1000, 1 << 20])
def test_results_and_line_numbers_do_not_depend_on_block_size(tmp_path, monkeypatch, packed, block):
    """Blocks are cut at line ends; a row's line is its block's first line plus its index."""
    from playbook.sources.census import stream as census_scan

    path = write_2021(tmp_path / "p.csv")
    whole = census.extract(path, [1, 6, 345], rates=True, cache=False)
    monkeypatch.setattr(census_scan, "BLOCK", block)
    source = zip_of(path, "98-401-X2021001_English_CSV_data.csv") if packed else path
    pd.testing.assert_frame_equal(census.extract(source, [1, 6, 345], rates=True, cache=False), whole)
    lines = path.read_bytes().split(b"\r\n")
    lines[13] = b"2021,"  # line 14
    path.write_bytes(b"\r\n".join(lines))
    source = zip_of(path, "98-401-X2021001_English_CSV_data.csv") if packed else path
    with pytest.raises(PlaybookError) as info:
        census.extract(source, [1], cache=False)
    assert info.value.row == 14 and "row has 2 columns" in str(info.value)


def test_scan_reports_each_rows_line(tmp_path):
    from playbook.sources.census.layout import detect, sources
    from playbook.sources.census.stream import scan

    path = write_2021(tmp_path / "p.csv")
    src = sources([path])[0]
    rows = scan(src, detect(src), [6, 345])
    text = path.read_bytes().decode("latin-1").split("\r\n")
    for _, row in rows.iterrows():
        assert f',{row["CID"]},' in text[row["LINE"] - 1] and row["key"] in text[row["LINE"] - 1]


def test_confidence_interval_variant_finds_its_columns_by_name(tmp_path):
    """The "CI" downloads (98-401-X2021006CI) carry 47 columns: counts, CI bounds, rates, CI bounds."""
    import csv

    plain = write_2021(tmp_path / "plain.csv")
    kinds = [f"{b}_CI_{s}" for b in ("LOW", "HI") for s in ("TOTAL", "MEN+", "WOMEN+")]
    ci_names = [f"C{4 + k}_COUNT_{kind}" for k, kind in enumerate(kinds)]
    ci_rates = [f"C{13 + k}_RATE_{kind}" for k, kind in enumerate(kinds)]
    with open(plain, encoding="latin-1", newline="") as fh:
        rows = list(csv.reader(fh))
    out = tmp_path / "98-401-X2021006CI_English_CSV_data.csv"
    with open(out, "w", encoding="latin-1", newline="") as fh:
        w = csv.writer(fh, lineterminator="\r\n")
        for i, row in enumerate(rows):
            extra = [x for name in ci_names for x in ((name, "SYMBOL") if i == 0 else ("1", ""))]
            extra_r = [x for name in ci_rates for x in ((name, "SYMBOL") if i == 0 else ("0.5", ""))]
            w.writerow(row[:17] + extra + row[17:] + extra_r)
    assert len(rows[0]) + 24 == 47
    df = census.extract(out, [1, 6, 345], rates=True)
    _expected_counts(df)
    assert df.loc[2, "r345"] == pytest.approx(rate(2, 345))


def _same_size_and_time(path, new_bytes: bytes) -> None:
    """Replace ``path``'s bytes by others of the same length, then give it back its exact mtime."""
    st = path.stat()
    assert len(new_bytes) == st.st_size
    path.write_bytes(new_bytes)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_mtime_ns == st.st_mtime_ns


def test_cache_is_keyed_by_content_not_by_size_and_mtime(tmp_path):
    path = write_2021(tmp_path / "p.csv")
    first = census.extract(path, [1, 6])
    data = path.read_bytes()
    _same_size_and_time(path, data.replace(b"1001,", b"1002,", 1))  # another count, same size and mtime
    again = census.extract(path, [1, 6])
    assert first.loc[0, "c1"] == 1001.0 and again.loc[0, "c1"] == 1002.0
    assert len(list((tmp_path / "cache").glob("*.parquet"))) == 2


@pytest.mark.parametrize("where", ["head", "middle", "tail"])
def test_fingerprint_of_a_large_file_samples_head_blocks_and_tail(tmp_path, monkeypatch, where):
    monkeypatch.setattr(census, "FULL_HASH_BYTES", 1000)
    monkeypatch.setattr(census, "_EDGE", 100)
    monkeypatch.setattr(census, "SAMPLED_BLOCKS", 4)
    monkeypatch.setattr(census, "SAMPLED_BLOCK", 50)
    path = tmp_path / "big.bin"
    data = bytearray(b"x" * 5000)
    path.write_bytes(bytes(data))
    before = census.fingerprint(path)
    step = (5000 - 200 - 50) // 3
    offset = {"head": 0, "middle": 100 + 2 * step + 10, "tail": 4999}[where]
    data[offset] = ord("y")
    _same_size_and_time(path, bytes(data))
    after = census.fingerprint(path)
    assert before[:2] == after[:2] and before[2] != after[2]


def test_a_zip_changed_anywhere_gets_a_new_fingerprint(tmp_path, monkeypatch):
    """A zip's headers and central directory (in its last MB) hold each member's CRC-32: a changed count
    deep inside the member changes them, even when the sampled blocks miss the change itself."""
    monkeypatch.setattr(census, "FULL_HASH_BYTES", 100)
    monkeypatch.setattr(census, "_EDGE", 100)
    monkeypatch.setattr(census, "SAMPLED_BLOCKS", 2)
    monkeypatch.setattr(census, "SAMPLED_BLOCK", 10)
    data = write_2021(tmp_path / "p.csv").read_bytes()

    def packed(path, content: bytes):
        with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
            zf.writestr(zipfile.ZipInfo("98-401-X2021001_English_CSV_data.csv", (2021, 1, 1, 0, 0, 0)), content)
        return path

    original = packed(tmp_path / "a.zip", data)
    before = census.fingerprint(original)
    other = packed(tmp_path / "b.zip", data.replace(b",3345,", b",3346,", 1)).read_bytes()
    offset = data.index(b",3345,")
    assert 100 + 10 < offset < len(data) - 200  # the change itself is in no sampled block
    _same_size_and_time(original, other)
    after = census.fingerprint(original)
    assert before[:2] == after[:2] and before[2] != after[2]


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty", "other columns"])
def test_a_damaged_cache_file_is_discarded_and_rebuilt(tmp_path, damage):
    path = write_2021(tmp_path / "p.csv")
    first = census.extract(path, [1, 6])
    [cached] = (tmp_path / "cache").glob("*.parquet")
    data = cached.read_bytes()
    content = {"truncated": data[: len(data) // 2], "garbage": b"not parquet at all", "empty": b""}
    if damage == "other columns":
        pd.DataFrame({"a": [1]}).to_parquet(cached)
    else:
        cached.write_bytes(content[damage])
    with pytest.warns(UserWarning, match="could not be used"):
        again = census.extract(path, [1, 6])
    pd.testing.assert_frame_equal(first, again)
    pd.testing.assert_frame_equal(pd.read_parquet(cached), first)  # rebuilt, good for the next run
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pd.testing.assert_frame_equal(census.extract(path, [1, 6]), first)


def test_a_cache_that_cannot_be_written_is_not_fatal(tmp_path, monkeypatch):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder should be")
    monkeypatch.setattr(census, "cache_dir", lambda: blocked / "census")
    with pytest.warns(UserWarning, match="census cache not written"):
        out = census.extract(write_2021(tmp_path / "p.csv"), [1])
    assert out.loc[0, "c1"] == 1001.0 and not list(tmp_path.glob("**/*.part"))
