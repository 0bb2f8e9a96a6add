"""Write a release of the common database: DuckDB, (Geo)Parquet, CSV and a Frictionless package.

Only :class:`Protected` tables can be written, and the only way to make one is
:func:`protect_tables`, which applies the disclosure policy: a publication without disclosure
control cannot be produced through this module or the CLI.

A release is written into a temporary folder next to ``out`` and renamed into place at the end, so
a failure leaves no half-written release (and an earlier one at the same place stays untouched).

**Reproducible.** The same inputs, rules and seed give the same bytes in every file of a release but
one: a DuckDB file holds checksums and identifiers of its own that differ from one write to the
next (even single-threaded). Its canonical form is its content: :func:`content_digest` (every table
and view, in name order, with its columns, types and rows sorted) is what two releases are compared
by.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from playbook.errors import PlaybookError
from playbook.privacy import Policy, protect

DATABASE = "ddi.duckdb"


@dataclass(frozen=True)
class TableSpec:
    """A table to publish, its documentation and what :func:`playbook.privacy.protect` must know of it."""

    name: str
    frame: pd.DataFrame
    title: dict[str, str]
    columns: dict[str, dict[str, str]] = field(default_factory=dict)
    primary_key: tuple[str, ...] = ()
    counts: tuple[str, ...] = ()
    dependent: tuple[str, ...] = ()
    respondents: str | None = None
    estimates: tuple[str, ...] = ()
    margins: tuple[str, str, str] | None = None
    geometry: str | None = None  # WKT column holding the table's geometry, if any


@dataclass(frozen=True)
class Protected:
    """A table after disclosure control; made only by :func:`protect_tables`."""

    spec: TableSpec
    frame: pd.DataFrame
    _token: object = field(repr=False, compare=False, default=None)


_TOKEN = object()


def protect_tables(specs: list[TableSpec], policy: Policy | None = None) -> tuple[list[Protected], pd.DataFrame]:
    """Pass every table through :func:`playbook.privacy.protect` (the same disclosure control as the
    tables shown on the site) under ``policy`` (default: ``specs/disclosure.yml``); return the
    protected tables and the suppression report."""
    policy = policy if policy is not None else Policy.default()
    names = [s.name for s in specs]
    if len(set(names)) != len(names):
        raise PlaybookError("two tables have the same name", field="name", expected="unique table names")
    protected, reports = [], []
    for spec in specs:
        keys = list(spec.primary_key) or [spec.frame.columns[0]]
        frame, report = protect(spec.frame, spec.counts, name=spec.name, policy=policy, keys=keys,
                                dependent=spec.dependent, respondents=spec.respondents,
                                estimates=spec.estimates, margins=spec.margins, report=True)
        if "suppressed" not in spec.frame.columns:  # the report says which cells, the table stays as specified
            frame = frame.drop(columns="suppressed")
        protected.append(Protected(spec, frame, _TOKEN))
        if len(report):
            report = report.assign(row=report[keys].astype(str).agg(" | ".join, axis=1)).drop(columns=keys)
            reports.append(report[["table", "row", "column", "reason"]])
    report = pd.concat(reports, ignore_index=True) if reports else pd.DataFrame(columns=["table", "row", "column", "reason"])
    return protected, report


#: Table and column names the database accepts from the data: letters, digits, underscores (PostgreSQL: 63 at most).
SAFE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")


def quote_identifier(name: str) -> str:
    """A table or column name for SQL (DuckDB and PostgreSQL): checked against :data:`SAFE_NAME`, then
    double-quoted with any quote doubled. Values never go into SQL text: they are bound as parameters."""
    if not SAFE_NAME.fullmatch(str(name)):
        raise PlaybookError(f"name {name!r} cannot be published", field=str(name),
                            expected="letters, digits and underscores, starting with a letter or underscore")
    return '"' + str(name).replace('"', '""') + '"'


def _check(tables: list[Protected]) -> None:
    for t in tables:
        if not isinstance(t, Protected) or t._token is not _TOKEN:
            raise PlaybookError("a table reached publication without disclosure control", field=getattr(t, "name", "?"),
                                expected="tables made by playbook.publish.protect_tables")
        for name in (t.spec.name, *map(str, t.frame.columns)):
            quote_identifier(name)  # raises on a name that is not safe, before anything is written


FRICTIONLESS_TYPES = {"i": "integer", "u": "integer", "f": "number", "b": "boolean", "M": "datetime", "O": "string"}


def _field_type(series: pd.Series) -> str:
    return FRICTIONLESS_TYPES.get(series.dtype.kind, "string")


def datapackage(tables: list[Protected], metadata: dict, lang: str = "en") -> dict:
    """A Frictionless Data Package describing every CSV and Parquet file of the release."""
    resources = []
    for t in tables:
        fields = [{"name": c, "type": _field_type(t.frame[c]),
                   "description": t.spec.columns.get(c, {}).get(lang, "")} for c in t.frame.columns]
        schema = {"fields": fields, "missingValues": [""]}
        if t.spec.primary_key:
            schema["primaryKey"] = list(t.spec.primary_key)
        resources.append({"name": t.spec.name, "path": f"csv/{t.spec.name}.csv", "format": "csv", "mediatype": "text/csv",
                          "encoding": "utf-8", "title": t.spec.title.get(lang, t.spec.name),
                          "description": t.spec.title.get("fr", ""), "schema": schema})
        resources.append({"name": f"{t.spec.name}-parquet", "path": f"parquet/{t.spec.name}.parquet",
                          "format": "parquet", "mediatype": "application/vnd.apache.parquet",
                          "title": t.spec.title.get(lang, t.spec.name)})
    return {
        "name": "ddi-playbook-common-database",
        "title": metadata.get("title", "DDI playbook common database"),
        "version": metadata.get("release", "0"),
        "licenses": [{"name": "OGL-Canada-2.0", "title": "Open Government Licence - Canada",
                      "path": "https://open.canada.ca/en/open-government-licence-canada"}],
        "description": metadata.get("description", ""),
        "resources": resources,
    }


def _write_duckdb(path: Path, tables: list[Protected], metadata: dict, report: pd.DataFrame,
                  views: dict[str, str], lang: str) -> None:
    con = duckdb.connect(str(path))
    try:
        for t in tables:
            con.register("_frame", t.frame)
            table = quote_identifier(t.spec.name)
            con.execute(f"CREATE TABLE {table} AS SELECT * FROM _frame")
            con.unregister("_frame")
            con.execute(f"COMMENT ON TABLE {table} IS {_sql_text(t.spec.title.get(lang, ''))}")
            for column, text in t.spec.columns.items():
                if column in t.frame.columns and text.get(lang):
                    con.execute(f"COMMENT ON COLUMN {table}.{quote_identifier(column)} IS {_sql_text(text[lang])}")
        meta = pd.DataFrame({"key": list(metadata), "value": [str(v) for v in metadata.values()]})
        con.register("_meta", meta)
        con.execute("CREATE TABLE metadata AS SELECT * FROM _meta")
        con.register("_report", report.astype(str))
        con.execute("CREATE TABLE disclosure_report AS SELECT * FROM _report")
        for name, sql in views.items():
            con.execute(f"CREATE VIEW {quote_identifier(name)} AS {sql}")  # the views' SQL is the package's own
    finally:
        con.close()


def content_digest(path: str | Path) -> str:
    """The SHA-256 of the content of the DuckDB file ``path``: every table and view in name order,
    its column names and types, its comment, and its rows (sorted, as CSV text). Two releases made
    from the same inputs have the same digest although their files differ in bytes."""
    import hashlib

    digest = hashlib.sha256()
    con = duckdb.connect(str(path), read_only=True)
    try:
        objects = con.execute("SELECT table_name, table_type FROM information_schema.tables "
                              "WHERE table_schema = 'main' ORDER BY table_name").fetchall()
        for name, kind in objects:
            table = quote_identifier(name)
            columns = con.execute("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? "
                                  "ORDER BY ordinal_position", [name]).fetchall()
            comment = con.execute("SELECT comment FROM duckdb_tables() WHERE table_name = ?", [name]).fetchall()
            digest.update(repr((name, kind, columns, comment)).encode())
            frame = con.execute(f"SELECT * FROM {table}").df()
            rows = frame.astype(str).sort_values(list(frame.columns)).to_csv(index=False)
            digest.update(rows.encode())
    finally:
        con.close()
    return digest.hexdigest()


def _sql_text(text: str) -> str:
    """A text literal for DuckDB's COMMENT ON (which takes no parameters): quoted, quotes doubled."""
    return "'" + str(text).replace("'", "''") + "'"


#: The file that marks a folder as a release written by the playbook (and so replaceable as a whole).
MARKER = ".playbook-release"


def _is_release(folder: Path) -> bool:
    """A release: its marker, or (a release written before the marker existed) the database and the
    data package side by side and nothing the playbook does not write."""
    if (folder / MARKER).is_file():
        return True
    names = {p.name for p in folder.iterdir()}
    return {DATABASE, "datapackage.json"} <= names and names <= {DATABASE, "datapackage.json", "csv", "parquet",
                                                                 "disclosure_report.csv"}


def check_release_folder(out: str | Path) -> Path:
    """``out`` may receive a release: it does not exist, is an empty folder, or holds an earlier
    release (its :data:`MARKER` file). Anything else is the user's folder and is never replaced."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise PlaybookError("is a file", path=out, field="--out",
                            expected="a folder for the release (new, empty, or an earlier release)")
    if out.is_dir() and any(out.iterdir()) and not _is_release(out):
        raise PlaybookError("the folder holds files that are not a release: nothing was changed", path=out, field="--out",
                            expected=f"a new or empty folder, or an earlier release (with its {MARKER} file)")
    return out


def write_release(tables: list[Protected], report: pd.DataFrame, out: str | Path, *, metadata: dict,
                  views: dict[str, str] | None = None, lang: str = "en") -> Path:
    """Write the release into ``out`` (an earlier release there is replaced as a whole, only once the
    new one is complete; a folder that is not a release is refused); return ``out``."""
    _check(tables)
    out = check_release_folder(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        (work / "csv").mkdir()
        (work / "parquet").mkdir()
        for t in tables:
            t.frame.to_csv(work / "csv" / f"{t.spec.name}.csv", index=False, encoding="utf-8")
            if t.spec.geometry:
                _write_geoparquet(t, work / "parquet" / f"{t.spec.name}.parquet")
            else:
                t.frame.to_parquet(work / "parquet" / f"{t.spec.name}.parquet", index=False)
        report.to_csv(work / "disclosure_report.csv", index=False, encoding="utf-8")
        _write_duckdb(work / DATABASE, tables, metadata, report, views or {}, lang)
        package = datapackage(tables, metadata, lang)
        (work / "datapackage.json").write_text(json.dumps(package, indent=2, ensure_ascii=False), encoding="utf-8")
        (work / MARKER).write_text(f"{metadata.get('release', '')}\n", encoding="utf-8")
        work.chmod(0o755)  # mkdtemp makes it private; a release is for sharing
        previous = None
        if out.exists():  # an earlier release (checked above): set aside until the new one is in place
            previous = Path(tempfile.mkdtemp(prefix=f".{out.name}.previous.", dir=out.parent))
            previous.rmdir()
            out.rename(previous)
        try:
            work.rename(out)
        except BaseException:
            if previous is not None:
                previous.rename(out)
            raise
        if previous is not None:
            shutil.rmtree(previous, ignore_errors=True)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return out


def _write_geoparquet(t: Protected, path: Path) -> None:
    import geopandas as gpd

    frame = t.frame.copy()
    geometry = gpd.GeoSeries.from_wkt(frame.pop(t.spec.geometry), crs="EPSG:4326")
    gpd.GeoDataFrame(frame, geometry=geometry).to_parquet(path, index=False)
