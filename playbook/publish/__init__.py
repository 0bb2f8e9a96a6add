"""The common database: harmonised indicators and index results, published with disclosure control.

* :mod:`playbook.publish.collect` — the tables, from the current build inputs;
* :mod:`playbook.publish.release` — disclosure control (unavoidable) and the files: DuckDB,
  (Geo)Parquet, CSV, Frictionless ``datapackage.json``;
* :mod:`playbook.publish.postgres` — the same release loaded into PostgreSQL (PostGIS when present),
  idempotently and atomically;
* :mod:`playbook.publish.database` — :func:`publish`: all of the above in one call;
* :mod:`playbook.publish.cli` — ``python -m playbook publish``.
"""

from playbook.publish.database import publish
from playbook.publish.release import Protected, TableSpec, protect_tables, write_release

__all__ = ["Protected", "TableSpec", "protect_tables", "publish", "write_release"]
