"""A real PostgreSQL server for the publishing tests, started in a temporary folder.

Debian's `postgresql` package is installed by `make test` (make system-deps). Where it cannot be
installed, set PLAYBOOK_SKIP_POSTGRES to the reason: the tests then skip with that message; they
never skip silently.
"""

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest


def _bin(name: str) -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    return found[-1] if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def postgres_url():
    reason = os.environ.get("PLAYBOOK_SKIP_POSTGRES")
    if reason:
        pytest.skip(f"PostgreSQL tests skipped: {reason}")
    initdb, pg_ctl = _bin("initdb"), _bin("pg_ctl")
    if initdb is None:
        pytest.fail("PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin/initdb): run `make test`, "
                    "which installs Debian's postgresql, or set PLAYBOOK_SKIP_POSTGRES=<reason>")
    base = Path(tempfile.mkdtemp(prefix="playbook-pg-"))  # under /tmp, reachable by the postgres user
    data = base / "data"
    as_user: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        shutil.chown(base, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    subprocess.run([*as_user, str(initdb), "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync"],
                   check=True, capture_output=True)
    options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run([*as_user, str(pg_ctl), "-D", str(data), "-o", options, "-w", "-l", str(base / "log"), "start"],
                   check=True, capture_output=True)
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_user, str(pg_ctl), "-D", str(data), "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)
