"""`python -m playbook publish` end to end on the demo data: files, DuckDB, PostgreSQL, Frictionless."""

import json

import duckdb
import pandas as pd
import pytest

from playbook import cli

pytestmark = pytest.mark.slow
TABLES = {"geographies", "indicators_wide", "indicators_long", "index_results", "group_estimates",
          "service_points", "catchments_areas", "catchments_points"}


@pytest.fixture(scope="module")
def published(tmp_path_factory, postgres_url):
    out = tmp_path_factory.mktemp("publish") / "release"
    args = ["publish", "--out", str(out), "--postgres", postgres_url, "--draws", "10", "--release", "test-1"]
    assert cli.main(args) == 0
    return out


def test_every_table_view_and_metadata_is_in_the_database(published):
    con = duckdb.connect(str(published / "ddi.duckdb"), read_only=True)
    names = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert TABLES | {"metadata", "disclosure_report", "v_most_vulnerable_csd", "v_province_summary",
                     "v_far_and_vulnerable"} <= names
    meta = dict(con.execute("SELECT key, value FROM metadata").fetchall())
    assert meta["synthetic_demo_data"] == "True" and meta["census_year"] == "2021" and len(meta["spec_hash"]) == 16
    levels = set(con.execute("SELECT DISTINCT level FROM index_results").df()["level"])
    assert {"csd", "da", "province", "cma_ca"} <= levels
    assert con.execute("SELECT count(*) FROM index_results WHERE rank_p05 > rank_p95").fetchone()[0] == 0
    comment = con.execute("SELECT comment FROM duckdb_tables() WHERE table_name = 'index_results'").fetchone()[0]
    assert "E-Vulnerability Index" in comment
    assert con.execute("SELECT count(*) FROM v_province_summary").fetchone()[0] == 13


def test_published_counts_are_protected(published):
    geo = pd.read_csv(published / "csv" / "geographies.csv", dtype={"DGUID": str})
    population = geo["population"].dropna()
    assert (population % 5 == 0).all() and (population >= 10).all()
    report = pd.read_csv(published / "disclosure_report.csv")
    assert {"threshold"} <= set(report["reason"]) and set(report.columns) == {"table", "row", "column", "reason"}
    assert {r[0] for r in duckdb.connect(str(published / "ddi.duckdb"), read_only=True)
            .execute("SELECT DISTINCT \"table\" FROM disclosure_report").fetchall()} <= TABLES


def test_frictionless_package_describes_every_file_and_validates(published):
    frictionless = pytest.importorskip("frictionless")
    package = json.loads((published / "datapackage.json").read_text(encoding="utf-8"))
    paths = {r["path"] for r in package["resources"]}
    assert {f"csv/{t}.csv" for t in TABLES} | {f"parquet/{t}.parquet" for t in TABLES} <= paths
    assert all((published / p).exists() for p in paths)
    csv = {**package, "resources": [r for r in package["resources"] if r["format"] == "csv"]}
    descriptor = published.parent / "csv-package.json"
    descriptor.write_text(json.dumps(csv), encoding="utf-8")
    (published.parent / "csv").symlink_to(published / "csv")
    report = frictionless.validate(str(descriptor))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]


def test_postgres_holds_the_same_release_and_republishing_replaces_it(published, postgres_url):
    import psycopg

    with psycopg.connect(postgres_url) as conn:
        count = conn.execute("SELECT count(*) FROM ddi.index_results WHERE release = 'test-1'").fetchone()[0]
    local = duckdb.connect(str(published / "ddi.duckdb"), read_only=True).execute(
        "SELECT count(*) FROM index_results").fetchone()[0]
    assert count == local
    assert cli.main(["publish", "--postgres", postgres_url, "--draws", "10", "--release", "test-1"]) == 0
    with psycopg.connect(postgres_url) as conn:
        assert conn.execute("SELECT count(*) FROM ddi.index_results WHERE release = 'test-1'").fetchone()[0] == local
        assert conn.execute("SELECT count(*) FROM ddi.latest_geographies").fetchone()[0] > 5000


def test_publishing_nowhere_is_a_clear_error(capsys):
    assert cli.main(["publish"]) == 2
    assert "--out" in capsys.readouterr().err
