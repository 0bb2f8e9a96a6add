"""Encodings of Census Profile files, found from their bytes (playbook.sources.census.text)."""

import codecs
import zipfile

import pytest

from playbook.errors import PlaybookError
from playbook.sources import census
from playbook.sources.census import text as encoding
from playbook.sources.census.layout import detect, sources
from tests.sources.census.helpers import rows_2021, write_2021, zip_of

MEMBER = "98-401-X2021001_English_CSV_data.csv"


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setattr(census, "cache_dir", lambda: tmp_path / "cache")


def _late_accent_rows(accented: range, n: int = 60):
    """``n`` geographies (about 400 bytes each), those at ``accented`` named with an accent (Lévis 1,
    ...): the head and the tail of the file are pure ASCII."""
    geos = [(f"2021A0005{1000000 + i}", str(1000000 + i), "Census subdivision",
             f"Lévis {i}" if i in accented else f"Town {i}") for i in range(n)]
    return rows_2021(geos=geos, chars=[1, 6])


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "cp1252", "latin-1"])
@pytest.mark.parametrize("packed", [False, True])
def test_montreal_in_every_encoding(tmp_path, codec, packed):
    path = write_2021(tmp_path / "p.csv", encoding=codec)
    source = zip_of(path, MEMBER) if packed else path
    out = census.extract(source, [1, 6], cache=False)
    assert out.loc[2, "GEO_NAME"] == "Montréal"


@pytest.mark.parametrize("codec", ["utf-8", "cp1252"])
@pytest.mark.parametrize("packed", [False, True])
def test_accents_beyond_the_sample_are_decided_from_the_values_kept(tmp_path, monkeypatch, codec, packed):
    monkeypatch.setattr(encoding, "SAMPLE_BYTES", 3000)
    monkeypatch.setattr(encoding, "EDGE", 1000)
    monkeypatch.setattr(encoding, "BLOCKS", 1)
    monkeypatch.setattr(encoding, "ZIP_HEAD", 2000)
    path = write_2021(tmp_path / "p.csv", _late_accent_rows(range(10, 12)), encoding=codec)
    source = zip_of(path, MEMBER) if packed else path
    assert sources([source])[0].encoding() == encoding.UNDECIDED  # head, middle and tail are ASCII
    out = census.extract(source, [1, 6], cache=False)
    assert out.loc[10, "GEO_NAME"] == "Lévis 10" and len(out) == 60
    kept = census.extract(source, [1], level="Census subdivision", cache=False)
    assert kept.loc[11, "GEO_NAME"] == "Lévis 11"


@pytest.mark.parametrize("codec", ["utf-8", "cp1252"])
def test_a_sample_spread_through_the_file_finds_a_late_accent(tmp_path, monkeypatch, codec):
    """The head (ASCII) would say nothing; a block sampled in the middle finds Montréal."""
    monkeypatch.setattr(encoding, "SAMPLE_BYTES", 1000 + 16 * 500)
    monkeypatch.setattr(encoding, "EDGE", 500)
    monkeypatch.setattr(encoding, "BLOCKS", 16)
    path = write_2021(tmp_path / "p.csv", _late_accent_rows(range(25, 35)), encoding=codec)
    size = path.stat().st_size
    assert size > encoding.SAMPLE_BYTES and "é".encode(codec) not in path.read_bytes()[:500] + path.read_bytes()[-500:]
    assert detect(sources([path])[0]).encoding == codec


def test_a_file_mixing_encodings_is_an_error_naming_the_line(tmp_path, monkeypatch):
    """The head of the member is UTF-8 (Montréal, line 10); a Windows-1252 row comes after it."""
    path = write_2021(tmp_path / "p.csv", encoding="utf-8")
    monkeypatch.setattr(encoding, "ZIP_HEAD", len(path.read_bytes()) - 10)
    path.write_bytes(path.read_bytes() + "2021,\"2021A00052466024\",\"2466024\",\"Census subdivision\",\"Lévis\","
                     .encode("cp1252") + b'3.1,4.3,"00000",1,"Population, 2021 (1)",1,5,"",,"...",,"...",1,"",,"...",,"..."\r\n')
    with pytest.raises(PlaybookError) as info:
        census.extract(zip_of(path, MEMBER), [1], cache=False)
    assert info.value.row == 18 and info.value.field == "GEO_NAME" and "utf-8" in str(info.value)


@pytest.mark.parametrize(("bom", "name"), [(codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"),
                                           (codecs.BOM_UTF32_LE, "UTF-32")])
def test_utf16_and_utf32_are_refused_clearly(tmp_path, bom, name):
    path = tmp_path / "p.csv"
    path.write_bytes(bom + b"C\x00E\x00")
    with pytest.raises(PlaybookError, match=f"the file is {name} text") as info:
        census.extract(path, [1], cache=False)
    assert info.value.row == 1 and "--encoding" in info.value.expected


def test_utf16_without_bom_is_refused(tmp_path):
    path = tmp_path / "p.csv"
    path.write_bytes(write_2021(tmp_path / "q.csv").read_bytes().decode("latin-1").encode("utf-16-le"))
    with pytest.raises(PlaybookError, match="NUL bytes"):
        census.extract(zip_of(path, MEMBER), [1], cache=False)


def test_declared_encoding_overrides_detection(tmp_path):
    path = write_2021(tmp_path / "p.csv", encoding="utf-8")
    assert census.extract(path, [1], cache=False).loc[2, "GEO_NAME"] == "Montréal"
    assert census.extract(path, [1], cache=False, encoding="latin-1").loc[2, "GEO_NAME"] == "MontrÃ©al"
    latin = write_2021(tmp_path / "l.csv", encoding="cp1252")
    with pytest.raises(PlaybookError) as info:
        census.extract(latin, [1], cache=False, encoding="UTF8")
    assert info.value.row == 10 and info.value.field == "GEO_NAME"


@pytest.mark.parametrize(("name", "says"), [("klingon", "unknown encoding 'klingon'"),
                                            ("utf-16", "cannot be streamed"), ("utf-32-le", "cannot be streamed")])
def test_bad_declared_encodings(tmp_path, name, says):
    with pytest.raises(PlaybookError, match=says) as info:
        census.extract(write_2021(tmp_path / "p.csv"), [1], cache=False, encoding=name)
    assert info.value.field == "encoding"


def test_declared_names_are_normalised():
    assert encoding.declared("UTF8") == "utf-8" and encoding.declared("utf-8-sig") == "utf-8"
    assert encoding.declared("Windows-1252") == "cp1252" and encoding.declared("latin1") == "iso8859-1"
    assert encoding.declared(None) is None


def test_classify_tolerates_characters_cut_at_the_edges_of_a_block():
    text = "Montréal, Lévis, Gaspé".encode()
    cut = text.index("é".encode()) + 1  # inside the two bytes of é
    assert encoding.classify([(text[:cut], True, False), (text[cut:], False, True)]) == "utf-8"
    assert encoding.classify([("Montréal".encode("cp1252"), True, True)]) == "cp1252"
    assert encoding.classify([(b"Montreal", True, True)]) == encoding.UNDECIDED
    assert encoding.classify([(text[:cut], True, True)]) == "cp1252"  # cut at the real end: not UTF-8


def test_undefined_windows_1252_bytes_read_as_latin1():
    assert encoding.decoder("cp1252")(b"\x81caf\xe9") == "\x81café"
    with pytest.raises(UnicodeDecodeError):
        encoding.decoder("utf-8")(b"caf\xe9")


def test_a_zip_member_is_sampled_from_its_head(tmp_path):
    path = write_2021(tmp_path / "p.csv", encoding="utf-8")
    packed = zip_of(path, MEMBER)
    with zipfile.ZipFile(packed) as zf:
        assert zf.getinfo(MEMBER).file_size == path.stat().st_size
    assert sources([packed])[0].encoding() == "utf-8"
