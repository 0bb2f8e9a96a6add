"""Load a release of the common database into PostgreSQL (PostGIS geometries when available).

Layout, in the schema ``ddi`` (created if needed):

* ``ddi.releases`` — one row per release: name, time, metadata (JSON);
* one table per published table, with a leading ``release`` column;
* ``ddi.metadata`` and ``ddi.disclosure_report``, also by release;
* views ``ddi.latest_<table>`` showing the most recent release.

Publishing is idempotent and atomic: within ONE transaction the rows of that release are deleted
and inserted again; if anything fails the transaction rolls back, so the previous content of every
release (including an earlier copy of this one) stays queryable.
"""

from __future__ import annotations

import json

import pandas as pd

from playbook.errors import PlaybookError
from playbook.publish.release import Protected, _check, quote_identifier

SCHEMA = "ddi"
PG_TYPES = {"i": "bigint", "u": "bigint", "f": "double precision", "b": "boolean", "M": "timestamp"}


def _pg_type(series: pd.Series) -> str:
    return PG_TYPES.get(series.dtype.kind, "text")


def _connect(url: str):
    import psycopg

    try:
        return psycopg.connect(url)
    except psycopg.OperationalError as exc:
        raise PlaybookError(f"cannot connect to PostgreSQL: {str(exc).strip().splitlines()[0]}", field="--postgres",
                            expected="a reachable postgresql:// URL") from exc


def _has_postgis(cur) -> bool:
    cur.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")
    if cur.fetchone() is None:
        return False
    cur.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    return True


def _ensure_table(cur, name: str, frame: pd.DataFrame, geometry: str | None, postgis: bool) -> None:
    columns = ["release text NOT NULL"]
    for column in frame.columns:
        kind = "geometry(Geometry, 4326)" if column == geometry and postgis else _pg_type(frame[column])
        columns.append(f"{quote_identifier(column)} {kind}")
    cur.execute(f"CREATE TABLE IF NOT EXISTS {SCHEMA}.{quote_identifier(name)} ({', '.join(columns)})")
    for column in columns[1:]:  # a later release may add columns
        cur.execute(f"ALTER TABLE {SCHEMA}.{quote_identifier(name)} ADD COLUMN IF NOT EXISTS {column}")
    index, table = quote_identifier(name + "_release"), quote_identifier(name)
    cur.execute(f"CREATE INDEX IF NOT EXISTS {index} ON {SCHEMA}.{table} (release)")


def _copy(cur, name: str, frame: pd.DataFrame, release: str, geometry: str | None, postgis: bool) -> None:
    columns = ["release", *frame.columns]
    cols = ", ".join(quote_identifier(c) for c in columns)
    with cur.copy(f"COPY {SCHEMA}.{quote_identifier(name)} ({cols}) FROM STDIN") as copy:
        values = frame.astype(object).where(frame.notna(), None)
        if geometry and postgis:
            values[geometry] = values[geometry].map(lambda w: None if w is None else f"SRID=4326;{w}")
        for row in values.itertuples(index=False, name=None):
            copy.write_row((release, *row))


def load(tables: list[Protected], report: pd.DataFrame, url: str, *, release: str, metadata: dict) -> dict:
    """Load (or replace) ``release`` in the database at ``url``; return a summary."""
    _check(tables)
    extra = {
        "metadata": pd.DataFrame({"key": list(metadata), "value": [str(v) for v in metadata.values()]}),
        "disclosure_report": report.astype(str),
    }
    with _connect(url) as conn:
        with conn.transaction(), conn.cursor() as cur:
            cur.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
            postgis = _has_postgis(cur)
            cur.execute(f"CREATE TABLE IF NOT EXISTS {SCHEMA}.releases (release text PRIMARY KEY, "
                        "published_at timestamptz NOT NULL DEFAULT now(), metadata jsonb)")
            frames = [(t.spec.name, t.frame, t.spec.geometry) for t in tables]
            frames += [(name, frame, None) for name, frame in extra.items()]
            for name, frame, geometry in frames:
                _ensure_table(cur, name, frame, geometry, postgis)
                cur.execute(f"DELETE FROM {SCHEMA}.{quote_identifier(name)} WHERE release = %s", (release,))
                _copy(cur, name, frame, release, geometry, postgis)
                latest, table = quote_identifier("latest_" + name), quote_identifier(name)
                cur.execute(
                    f"CREATE OR REPLACE VIEW {SCHEMA}.{latest} AS SELECT * FROM {SCHEMA}.{table} "
                    f"WHERE release = (SELECT release FROM {SCHEMA}.releases ORDER BY published_at DESC, release DESC LIMIT 1)"
                )
            cur.execute(f"INSERT INTO {SCHEMA}.releases (release, metadata) VALUES (%s, %s) "
                        "ON CONFLICT (release) DO UPDATE SET published_at = now(), metadata = EXCLUDED.metadata",
                        (release, json.dumps(metadata, default=str)))
    return {"release": release, "tables": len(frames), "postgis": postgis}
