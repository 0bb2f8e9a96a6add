"""Publishing mechanics on small tables: disclosure control is unavoidable, files are complete,
the Frictionless package validates, and PostgreSQL releases are idempotent and atomic."""

import json

import duckdb
import pandas as pd
import pytest

from playbook.errors import PlaybookError
from playbook.privacy import Policy
from playbook.publish import postgres
from playbook.publish import release as rel
from playbook.publish.release import MARKER, Protected, TableSpec, protect_tables, write_release


@pytest.fixture
def specs():
    areas = pd.DataFrame({"DGUID": ["A", "B", "C"], "population": [1234, 7, 560], "score": [80.5, 20.1, 55.0],
                          "geometry": ["POINT (-75 45)", "POINT (-79 43)", "POINT (-123 49)"]})
    groups = pd.DataFrame({"province": ["10", "10", "11", "11"], "group": ["seniors", "youth"] * 2,
                           "count": [4, 40, 55, 65], "respondents": [90, 12, 60, 70], "rate": [1.0, 2.0, 3.0, 4.0]})
    return [
        TableSpec("areas", areas, {"en": "Areas", "fr": "Zones"},
                  {"score": {"en": "Index score", "fr": "Note de l'indice"}}, primary_key=("DGUID",),
                  counts=("population",), dependent=("score",), geometry="geometry"),
        TableSpec("groups", groups, {"en": "Groups", "fr": "Groupes"}, primary_key=("province", "group"),
                  counts=("count",), respondents="respondents", estimates=("rate",), margins=("province", "group", "count")),
    ]


@pytest.fixture
def release(specs, tmp_path):
    tables, report = protect_tables(specs, Policy(threshold=10, min_respondents=30, rounding_base=5, seed=3))
    out = write_release(tables, report, tmp_path / "release", metadata={"release": "r1", "synthetic": True},
                        views={"v_top": "SELECT DGUID, score FROM areas ORDER BY score DESC"})
    return out, tables, report


def test_release_holds_every_format_with_disclosure_applied(release):
    out, tables, report = release
    files = {"ddi.duckdb", "csv", "parquet", "datapackage.json", "disclosure_report.csv", MARKER}
    assert {p.name for p in out.iterdir()} == files
    con = duckdb.connect(str(out / "ddi.duckdb"), read_only=True)
    areas = con.execute("SELECT * FROM areas ORDER BY DGUID").df()
    assert areas["population"].isna().tolist() == [False, True, False]  # 7 < 10
    assert pd.isna(areas.loc[1, "score"]) and areas.loc[0, "score"] == 80.5
    assert (areas["population"].dropna() % 5 == 0).all()
    assert con.execute("SELECT count(*) FROM v_top").fetchone()[0] == 3
    comment = con.execute("SELECT comment FROM duckdb_columns() WHERE table_name='areas' AND column_name='score'").fetchone()
    assert comment[0] == "Index score"
    assert dict(con.execute("SELECT key, value FROM metadata").fetchall())["synthetic"] == "True"
    reasons = set(map(tuple, con.execute("SELECT \"table\", reason FROM disclosure_report").fetchall()))
    assert {("areas", "threshold"), ("groups", "threshold"), ("groups", "respondents"), ("groups", "complementary")} <= reasons
    import geopandas as gpd
    assert gpd.read_parquet(out / "parquet" / "areas.parquet").crs.to_epsg() == 4326
    assert len(pd.read_csv(out / "csv" / "groups.csv")) == 4


def test_frictionless_package_validates(release):
    frictionless = pytest.importorskip("frictionless")
    out, _, _ = release
    package = json.loads((out / "datapackage.json").read_text())
    assert {r["name"] for r in package["resources"]} >= {"areas", "groups"}
    csv_only = {**package, "resources": [r for r in package["resources"] if r["format"] == "csv"]}
    (out / "csv-package.json").write_text(json.dumps(csv_only))
    report = frictionless.validate(str(out / "csv-package.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_unprotected_tables_cannot_be_published(specs, tmp_path):
    fake = Protected(specs[0], specs[0].frame)
    with pytest.raises(PlaybookError, match="without disclosure control"):
        write_release([fake], pd.DataFrame(), tmp_path / "x", metadata={})
    assert not (tmp_path / "x").exists()


def test_a_failed_write_leaves_the_previous_release(release, specs, monkeypatch):
    out, tables, report = release
    before = sorted(p.name for p in (out / "csv").iterdir())
    monkeypatch.setattr("playbook.publish.release.datapackage", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        write_release(tables, report, out, metadata={"release": "r2"})
    assert sorted(p.name for p in (out / "csv").iterdir()) == before
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".release.")]


def test_postgres_release_is_idempotent_and_atomic(release, postgres_url):
    import psycopg

    _, tables, report = release
    first = postgres.load(tables, report, postgres_url, release="2026.1", metadata={"synthetic": True})
    again = postgres.load(tables, report, postgres_url, release="2026.1", metadata={"synthetic": True})
    assert first["tables"] == again["tables"]
    with psycopg.connect(postgres_url) as conn:
        rows = conn.execute("SELECT count(*) FROM ddi.areas WHERE release = '2026.1'").fetchone()[0]
        assert rows == 3  # replaced, not appended
        assert conn.execute("SELECT count(*) FROM ddi.releases WHERE release = '2026.1'").fetchone()[0] == 1
        if first["postgis"]:
            assert conn.execute("SELECT ST_SRID(geometry) FROM ddi.areas LIMIT 1").fetchone()[0] == 4326
    broken = Protected(tables[1].spec, tables[1].frame.assign(count="not a number"), tables[1]._token)
    with pytest.raises(psycopg.Error):
        postgres.load([tables[0], broken], report, postgres_url, release="2026.1", metadata={})
    with psycopg.connect(postgres_url) as conn:
        assert conn.execute("SELECT count(*) FROM ddi.latest_areas").fetchone()[0] == 3
        assert conn.execute("SELECT count(*) FROM ddi.groups WHERE release = '2026.1'").fetchone()[0] == 4


def test_a_release_is_marked_and_replaces_only_a_release(release, tmp_path):
    out, tables, report = release
    assert (out / MARKER).read_text(encoding="utf-8").strip() == "r1"
    write_release(tables, report, out, metadata={"release": "r2"})  # an earlier release: replaced whole
    assert (out / MARKER).read_text(encoding="utf-8").strip() == "r2"
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".release.")]
    empty = tmp_path / "empty"
    empty.mkdir()
    write_release(tables, report, empty, metadata={"release": "r3"})  # an empty folder is fine
    assert (empty / MARKER).is_file()
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "budget.xlsx").write_bytes(b"not mine to delete")
    with pytest.raises(PlaybookError, match="not a release"):
        write_release(tables, report, mine, metadata={"release": "r4"})
    assert [p.name for p in mine.iterdir()] == ["budget.xlsx"]
    (tmp_path / "file").write_text("x")
    with pytest.raises(PlaybookError, match="is a file"):
        write_release(tables, report, tmp_path / "file", metadata={})


def test_a_failed_postgres_load_leaves_the_release_on_disk(release, specs, monkeypatch):
    from playbook.publish import database

    out, _, _ = release
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    monkeypatch.setattr(database.collect, "collect", lambda *a, **k: (specs, {"spec_hash": "0" * 16}))

    def refused(*args, **kwargs):
        raise PlaybookError("connection refused", field="--postgres")

    monkeypatch.setattr(database.pg, "load", refused)
    with pytest.raises(PlaybookError, match="connection refused"):
        database.publish(out, postgres="postgresql://127.0.0.1:1/none", release="r9")
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize("name", ['x"; DELETE FROM geographies; --', 'with"quote', "1starts_with_a_digit", "é"])
def test_names_from_the_data_never_reach_sql_unchecked(specs, tmp_path, name):
    renamed = [TableSpec(s.name, s.frame.rename(columns={"score": name}), s.title, {}, primary_key=s.primary_key,
                         counts=s.counts, dependent=tuple(name if c == "score" else c for c in s.dependent),
                         geometry=s.geometry) if s.name == "areas" else s for s in specs]
    tables, report = protect_tables(renamed, Policy(threshold=10, min_respondents=30, rounding_base=5, seed=3))
    with pytest.raises(PlaybookError, match="cannot be published"):
        write_release(tables, report, tmp_path / "out", metadata={})
    assert not (tmp_path / "out").exists()


def test_a_spec_id_must_be_a_safe_name(tmp_path):
    from playbook.index import load_spec
    from tests.index.conftest import tiny_spec

    spec = tiny_spec()
    spec["dimensions"][0]["indicators"][0]["id"] = 'x"; DELETE FROM geographies; --'
    with pytest.raises(PlaybookError, match="is not a safe name"):
        load_spec(spec)


def test_a_release_written_before_the_marker_is_still_recognised(release, tmp_path):
    out, tables, report = release
    (out / MARKER).unlink()  # as written by an earlier version of the playbook
    write_release(tables, report, out, metadata={"release": "r2"})
    assert (out / MARKER).read_text(encoding="utf-8").strip() == "r2"
    (out / MARKER).unlink()
    (out / "my notes.txt").write_text("mine")  # not only what a release holds: not replaced
    with pytest.raises(PlaybookError, match="not a release"):
        write_release(tables, report, out, metadata={"release": "r3"})
    assert (out / "my notes.txt").read_text() == "mine"


def test_two_identical_releases_have_the_same_content(specs, tmp_path):
    """Every file byte for byte, except the DuckDB file, compared by its canonical content digest."""
    releases = []
    for name in ("one", "two"):
        tables, report = rel.protect_tables(specs, Policy(threshold=10, min_respondents=30, rounding_base=5, seed=3))
        releases.append(rel.write_release(tables, report, tmp_path / name, metadata={"release": "r"}))
    one, two = releases
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(two) for p in two.rglob("*") if p.is_file())
    for path in files:
        if path.name != rel.DATABASE:
            assert (one / path).read_bytes() == (two / path).read_bytes(), path
    assert rel.content_digest(one / rel.DATABASE) == rel.content_digest(two / rel.DATABASE)
    tables, report = rel.protect_tables(specs, Policy(threshold=10, min_respondents=30, rounding_base=5, seed=3))
    changed = rel.write_release(tables, report.iloc[1:], tmp_path / "three", metadata={"release": "r"})
    assert rel.content_digest(changed / rel.DATABASE) != rel.content_digest(one / rel.DATABASE)
