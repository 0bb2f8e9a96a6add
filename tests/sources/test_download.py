"""``playbook.sources.download`` against a local HTTP server on 127.0.0.1 (no internet needed).

The server serves fixture zips by name, honours ``Range``, and has misbehaving routes: a truncated
zip, a connection dropped in the middle of the body (once, then fine: the client must resume), one
that always drops, and one that ignores ``Range``.
"""

from __future__ import annotations

import io
import json
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from playbook import cli
from playbook.errors import PlaybookError
from playbook.sources import download


def _zip_bytes(name: str, size: int = 200_000) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:  # stored: big enough to be cut mid-body
        zf.writestr(name, (b"2021,\"2021A000011124\",\"01\"\r\n" * (size // 26 + 1))[:size])
    return buf.getvalue()


GOOD = _zip_bytes("lpr_000b21a_e.shp")


class Handler(BaseHTTPRequestHandler):
    files: dict[str, bytes] = {}
    drops: dict[str, int] = {}  # name -> how many more times to drop the connection
    no_range: set[str] = set()
    requests: list[tuple[str, str | None]] = []

    def log_message(self, *args):  # keep test output quiet
        pass

    def do_GET(self):  # noqa: N802 - http.server API
        name = self.path.lstrip("/")
        rng = self.headers.get("Range")
        type(self).requests.append((name, rng))
        body = self.files.get(name)
        if body is None:
            self.send_error(404)
            return
        start = 0
        if rng and name not in self.no_range:
            start = int(rng.removeprefix("bytes=").split("-")[0])
            if start >= len(body):
                self.send_error(416)
                return
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
        else:
            self.send_response(200)
        chunk = body[start:]
        self.send_header("Content-Length", str(len(chunk)))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        if self.drops.get(name, 0) > 0:
            self.drops[name] -= 1
            self.wfile.write(chunk[: len(chunk) // 2])
            self.wfile.flush()
            self.connection.shutdown(2)  # drop the connection mid-body
            return
        self.wfile.write(chunk)


@pytest.fixture
def server():
    Handler.files = {
        "lpr_000b21a_e.zip": GOOD,
        "lcsd000b21a_e.zip": GOOD[: len(GOOD) - 5000],  # truncated: complete HTTP body, corrupt zip
        "lcma000b21a_e.zip": GOOD,  # dropped once mid-body, then resumed
        "lda_000b21a_e.zip": GOOD,  # always dropped
        "lcd_000b21a_e.zip": GOOD,  # ignores Range
        "98-401-X2021006_Atlantic_eng_CSV.zip": _zip_bytes("98-401-X2021006_English_CSV_data_Atlantic.csv", 1000),
        "98-401-X2021006_Quebec_eng_CSV.zip": _zip_bytes("98-401-X2021006_English_CSV_data_Quebec.csv", 1000),
    }
    Handler.drops = {"lcma000b21a_e.zip": 1, "lda_000b21a_e.zip": 10**6}
    Handler.no_range = {"lcd_000b21a_e.zip"}
    Handler.requests = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _fetch(server, level, dest, **kw):
    (target,) = download.targets("boundaries", 2021, level, base_url=server)
    return download.fetch(target, dest, progress=False, **kw)


def test_download_records_checksum_in_manifest_and_caches(server, tmp_path):
    path, fetched = _fetch(server, "pr", tmp_path)
    assert fetched and path.read_bytes() == GOOD and not list(tmp_path.glob("*.part"))
    entry = json.loads((tmp_path / "manifest.json").read_text())["lpr_000b21a_e.zip"]
    assert entry["sha256"] == download.sha256(path) and entry["size"] == len(GOOD)
    assert entry["url"] == f"{server}/lpr_000b21a_e.zip"
    n = len(Handler.requests)
    path2, fetched2 = _fetch(server, "pr", tmp_path)
    assert path2 == path and not fetched2 and len(Handler.requests) == n  # served from the local cache


def test_changed_local_file_is_downloaded_again(server, tmp_path):
    path, _ = _fetch(server, "pr", tmp_path)
    path.write_bytes(b"tampered")
    _, fetched = _fetch(server, "pr", tmp_path)
    assert fetched and path.read_bytes() == GOOD


def test_truncated_zip_is_refused_and_removed(server, tmp_path):
    with pytest.raises(PlaybookError, match="not a readable zip|corrupt") as info:
        _fetch(server, "csd", tmp_path)
    assert "lcsd000b21a_e.zip" in str(info.value)
    assert not list(tmp_path.glob("lcsd*"))  # neither the file nor its .part
    assert "lcsd000b21a_e.zip" not in download.read_manifest(tmp_path)


def test_dropped_connection_is_resumed_with_range(server, tmp_path):
    path, fetched = _fetch(server, "cma", tmp_path)
    assert fetched and path.read_bytes() == GOOD
    ranges = [r for name, r in Handler.requests if name == "lcma000b21a_e.zip"]
    assert ranges[0] is None and ranges[1] == f"bytes={len(GOOD) // 2}-"


def test_connection_that_keeps_dropping_fails_clearly_and_keeps_the_part_for_later(server, tmp_path):
    with pytest.raises(PlaybookError, match="dropped 3 times") as info:
        _fetch(server, "da", tmp_path, retries=2)
    assert "lda_000b21a_e.zip" in str(info.value) and "resume" in str(info.value)
    part = tmp_path / "lda_000b21a_e.zip.part"
    assert part.exists() and not (tmp_path / "lda_000b21a_e.zip").exists()
    Handler.drops["lda_000b21a_e.zip"] = 0  # the network is back: the next run resumes
    path, fetched = _fetch(server, "da", tmp_path)
    assert fetched and path.read_bytes() == GOOD
    assert Handler.requests[-1][1] is not None  # resumed, not restarted


def test_server_ignoring_range_restarts_cleanly(server, tmp_path):
    (tmp_path / "lcd_000b21a_e.zip.part").write_bytes(b"stale partial bytes")
    path, fetched = _fetch(server, "cd", tmp_path)
    assert fetched and path.read_bytes() == GOOD


def test_missing_file_is_a_clear_error(server, tmp_path):
    target = download.Target("census", "2021", "x", f"{server}/nope.zip", "nope.zip")
    with pytest.raises(PlaybookError, match="HTTP 404"):
        download.fetch(target, tmp_path, progress=False)


def test_unreachable_server(tmp_path):
    target = download.Target("census", "2021", "x", "http://127.0.0.1:9/x.zip", "x.zip")
    with pytest.raises(PlaybookError, match="cannot reach"):
        download.fetch(target, tmp_path, progress=False, timeout=2)


def test_expected_checksum_is_enforced(server, tmp_path):
    target = download.Target("boundaries", "2021", "pr", f"{server}/lpr_000b21a_e.zip", "lpr_000b21a_e.zip",
                             sha256="0" * 64)
    with pytest.raises(PlaybookError, match="SHA-256"):
        download.fetch(target, tmp_path, progress=False)
    assert not list(tmp_path.glob("lpr*"))


def test_cli_downloads_every_regional_file_of_a_level(server, tmp_path):
    dest = tmp_path / "raw"
    assert cli.main(["download", "census", "--year", "2021", "--level", "da-", "--dest", str(dest),
                     "--base-url", server, "--quiet"]) == 2  # no level named 'da-'
    assert cli.main(["download", "census", "--year", "2021", "--level", "da", "--dest", str(dest),
                     "--base-url", server, "--quiet"]) == 2  # only two of the six regions are served
    manifest = download.read_manifest(dest)
    assert "98-401-X2021006_Atlantic_eng_CSV.zip" in manifest


def test_cli_one_file_and_bad_choices(server, tmp_path, capsys):
    assert cli.main(["download", "boundaries", "--year", "2021", "--level", "pr", "--dest", str(tmp_path),
                     "--base-url", server]) == 0
    assert "lpr_000b21a_e.zip" in capsys.readouterr().out
    assert cli.main(["download", "boundaries", "--year", "1999", "--level", "pr", "--dest", str(tmp_path)]) == 2
    assert "2021" in capsys.readouterr().err


def test_url_table_has_every_required_file():
    files = {t.file for lvl in ("pr", "csd", "cma", "da") for t in download.targets("boundaries", 2021, lvl)}
    assert files == {"lpr_000b21a_e.zip", "lcsd000b21a_e.zip", "lcma000b21a_e.zip", "lda_000b21a_e.zip"}
    assert len(download.targets("census", 2021, "da")) == 6
    assert download.targets("census", 2016, "da")[0].url.endswith("GEONO=044")
    assert download.targets("geo-attributes", 2021, "all")[0].file == "2021_92-151_X.zip"
    (burolis,) = download.targets("service-points", "current", "burolis")
    assert burolis.status == "to verify" and not burolis.zip
    for kind in ("census", "boundaries", "geo-attributes"):
        for year, levels in download.catalogue()[kind].items():
            for level in levels:
                for t in download.targets(kind, year, level):
                    assert t.url.startswith("https://www12.statcan.gc.ca/census-recensement/")


def test_service_points_burolis_is_not_checked_as_a_zip(server, tmp_path):
    Handler.files["burolis.html"] = "<html>Burolis — bureaux fédéraux</html>".encode()
    assert cli.main(["download", "service-points", "--source", "burolis", "--dest", str(tmp_path),
                     "--base-url", server, "--quiet"]) == 0
    assert (tmp_path / "burolis.html").read_text(encoding="utf-8").startswith("<html>")
    assert download.read_manifest(tmp_path)["burolis.html"]["kind"] == "service-points"
