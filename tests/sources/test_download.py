"""``playbook.sources.download`` against a local HTTP server on 127.0.0.1 (no internet needed).

The server serves fixture zips by name, honours ``Range`` (416 with ``Content-Range: bytes */N``
past the end), and has misbehaving routes: a truncated zip, a connection dropped in the middle of
the body (once, then fine: the client must resume), one that always drops, one that ignores
``Range``, one that stalls mid-body, and one that reads the request and never answers.
"""

from __future__ import annotations

import io
import json
import os
import socket
import threading
import time
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


def _damaged_deflate_zip() -> bytes:
    """A zip whose directory is intact but whose deflate stream is garbage (zlib.error when read)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("lpr_000b21a_e.shp", b"0123456789" * 5000)
    data = bytearray(buf.getvalue())
    start = 30 + len("lpr_000b21a_e.shp")  # after the local file header
    data[start:start + 8] = b"\xff" * 8
    return bytes(data)


GOOD = _zip_bytes("lpr_000b21a_e.shp")
ATLANTIC = "98-401-X2021006_Atlantic_Atlantique_eng_CSV.zip"
QUEBEC = "98-401-X2021006_Quebec_eng_CSV.zip"
ONTARIO = "98-401-X2021006_Ontario_eng_CSV.zip"
PRAIRIES = "98-401-X2021006_Prairies_eng_CSV.zip"


class Handler(BaseHTTPRequestHandler):
    files: dict[str, bytes] = {}
    drops: dict[str, int] = {}  # name -> how many more times to drop the connection
    stalls: dict[str, int] = {}  # name -> how many more times to send half the body, then nothing
    silent: set[str] = set()  # read the request, never answer
    no_range: set[str] = set()
    requests: list[tuple[str, str | None]] = []
    release = threading.Event()  # set at teardown: stalled and silent handlers end

    def log_message(self, *args):  # keep test output quiet
        pass

    def do_GET(self):  # noqa: N802 - http.server API
        name = self.path.lstrip("/")
        rng = self.headers.get("Range")
        type(self).requests.append((name, rng))
        if name in self.silent:
            self.release.wait(10)
            return
        body = self.files.get(name)
        if body is None:
            self.send_error(404)
            return
        start = 0
        if rng and name not in self.no_range:
            start = int(rng.removeprefix("bytes=").split("-")[0])
            if start >= len(body):
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{len(body)}")
                self.send_header("Content-Length", "0")
                self.end_headers()
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
        if self.stalls.get(name, 0) > 0:
            self.stalls[name] -= 1
            self.wfile.write(chunk[: len(chunk) // 2])
            self.wfile.flush()
            self.release.wait(10)  # then nothing: the client's read times out
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
        "stall.zip": GOOD,  # stalls once mid-body
        ATLANTIC: _zip_bytes("98-401-X2021006_English_CSV_data_Atlantic.csv", 1000),
        QUEBEC: _zip_bytes("98-401-X2021006_English_CSV_data_Quebec.csv", 1000),
    }
    Handler.drops = {"lcma000b21a_e.zip": 1, "lda_000b21a_e.zip": 10**6}
    Handler.stalls = {"stall.zip": 1}
    Handler.silent = {"silent.zip"}
    Handler.no_range = {"lcd_000b21a_e.zip"}
    Handler.requests = []
    Handler.release = threading.Event()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    Handler.release.set()
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def mute_server():
    """A socket that listens and never accepts: the kernel completes the connection, nothing ever answers."""
    sock = socket.create_server(("127.0.0.1", 0), backlog=8)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    sock.close()


def _fetch(server, level, dest, **kw):
    (target,) = download.targets("boundaries", 2021, level, base_url=server)
    return download.fetch(target, dest, progress=False, **kw)


def _target(server, name, **kw):
    return download.Target("boundaries", "2021", "x", f"{server}/{name}", name, **kw)


def _ranges(name):
    return [r for n, r in Handler.requests if n == name]


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


def test_zip_with_a_damaged_deflate_stream_is_an_error_not_a_traceback(server, tmp_path):
    Handler.files["bad.zip"] = _damaged_deflate_zip()
    with pytest.raises(PlaybookError, match="not a readable zip"):  # zlib.error before the fix
        download.fetch(_target(server, "bad.zip"), tmp_path, progress=False)
    assert not list(tmp_path.glob("bad.zip*"))


def test_dropped_connection_is_resumed_with_range(server, tmp_path):
    path, fetched = _fetch(server, "cma", tmp_path)
    assert fetched and path.read_bytes() == GOOD
    ranges = _ranges("lcma000b21a_e.zip")
    assert ranges[0] is None and ranges[1] == f"bytes={len(GOOD) // 2}-"


def test_body_that_stalls_is_resumed_after_the_timeout(server, tmp_path):
    path, fetched = download.fetch(_target(server, "stall.zip"), tmp_path, progress=False, timeout=0.5)
    assert fetched and path.read_bytes() == GOOD
    first, then = _ranges("stall.zip")
    assert first is None and 0 < int(then.removeprefix("bytes=").rstrip("-")) <= len(GOOD) // 2  # resumed from what arrived


def test_connection_that_keeps_dropping_fails_clearly_and_keeps_the_part_for_later(server, tmp_path):
    with pytest.raises(PlaybookError, match="dropped 3 times") as info:
        _fetch(server, "da", tmp_path, retries=2)
    assert "lda_000b21a_e.zip" in str(info.value) and "resume" in str(info.value)
    part = tmp_path / "lda_000b21a_e.zip.part"
    assert part.exists() and not (tmp_path / "lda_000b21a_e.zip").exists()
    assert "lda_000b21a_e.zip.part" not in download.read_manifest(tmp_path)  # a .part is never a downloaded file
    assert "lda_000b21a_e.zip" not in download.read_manifest(tmp_path)
    Handler.drops["lda_000b21a_e.zip"] = 0  # the network is back: the next run resumes
    path, fetched = _fetch(server, "da", tmp_path)
    assert fetched and path.read_bytes() == GOOD
    assert Handler.requests[-1][1] is not None  # resumed, not restarted


def test_part_left_by_a_killed_run_is_resumed(server, tmp_path):
    third = len(GOOD) // 3
    (tmp_path / "lpr_000b21a_e.zip.part").write_bytes(GOOD[:third])  # what kill -9 leaves behind
    path, fetched = _fetch(server, "pr", tmp_path)
    assert fetched and path.read_bytes() == GOOD and not list(tmp_path.glob("*.part"))
    assert _ranges("lpr_000b21a_e.zip") == [f"bytes={third}-"]
    assert download.read_manifest(tmp_path)["lpr_000b21a_e.zip"]["size"] == len(GOOD)


def test_part_of_another_version_is_downloaded_again_from_the_start(server, tmp_path):
    (tmp_path / "lpr_000b21a_e.zip.part").write_bytes(b"an older file" * 100)
    path, fetched = _fetch(server, "pr", tmp_path)
    assert fetched and path.read_bytes() == GOOD
    assert _ranges("lpr_000b21a_e.zip") == ["bytes=1300-", None]  # resumed, failed its check, restarted once


def test_complete_part_is_checked_and_kept_without_downloading_it_again(server, tmp_path):
    (tmp_path / "lpr_000b21a_e.zip.part").write_bytes(GOOD)  # killed between the last byte and the rename
    path, fetched = _fetch(server, "pr", tmp_path)
    assert fetched and path.read_bytes() == GOOD and not list(tmp_path.glob("*.part"))
    assert _ranges("lpr_000b21a_e.zip") == [f"bytes={len(GOOD)}-"]  # answered 416 */N: nothing re-sent


def test_server_ignoring_range_restarts_cleanly(server, tmp_path):
    (tmp_path / "lcd_000b21a_e.zip.part").write_bytes(b"stale partial bytes")
    path, fetched = _fetch(server, "cd", tmp_path)
    assert fetched and path.read_bytes() == GOOD


def test_leftovers_are_cleaned_when_the_file_is_already_here(server, tmp_path):
    _fetch(server, "pr", tmp_path)
    (tmp_path / "lpr_000b21a_e.zip.part").write_bytes(b"junk")
    old = tmp_path / ".manifest.json.k1ll3d.part"  # a manifest write interrupted by kill -9
    fresh = tmp_path / ".manifest.json.wr1t1ng.part"  # another run writing right now
    old.write_text("{")
    fresh.write_text("{")
    an_hour_ago = time.time() - 3600
    os.utime(old, (an_hour_ago, an_hour_ago))
    _, fetched = _fetch(server, "pr", tmp_path)
    assert not fetched
    assert not (tmp_path / "lpr_000b21a_e.zip.part").exists() and not old.exists() and fresh.exists()


def test_truncated_zip_in_dest_from_an_earlier_run_is_downloaded_again(server, tmp_path):
    final = tmp_path / "lpr_000b21a_e.zip"
    final.write_bytes(GOOD[:5000])  # no manifest entry: e.g. copied by hand, or written by an older version
    path, fetched = _fetch(server, "pr", tmp_path)
    assert fetched and path.read_bytes() == GOOD
    final.write_bytes(GOOD[:-100])  # now truncated behind the manifest's back
    path, fetched = _fetch(server, "pr", tmp_path)
    assert fetched and path.read_bytes() == GOOD
    assert download.read_manifest(tmp_path)["lpr_000b21a_e.zip"]["sha256"] == download.sha256(path)


def test_damaged_file_in_dest_is_dropped_even_when_the_download_fails(tmp_path):
    final = tmp_path / "x.zip"
    final.write_bytes(GOOD[:5000])
    (tmp_path / "manifest.json").write_text(json.dumps({"x.zip": {"sha256": download.sha256(final), "size": 1}}))
    with pytest.raises(PlaybookError, match="cannot reach"):
        download.fetch(_target("http://127.0.0.1:9", "x.zip"), tmp_path, progress=False, timeout=2)
    assert not final.exists()  # a damaged copy never stays under the real name
    assert download.read_manifest(tmp_path) == {}  # nor in the manifest


def test_manifest_that_is_not_an_object_is_a_clear_error(server, tmp_path):
    (tmp_path / "manifest.json").write_text("[1, 2]")
    with pytest.raises(PlaybookError, match="manifest"):
        _fetch(server, "pr", tmp_path)


def test_missing_file_is_a_clear_error(server, tmp_path):
    target = download.Target("census", "2021", "x", f"{server}/nope.zip", "nope.zip")
    with pytest.raises(PlaybookError, match="HTTP 404"):
        download.fetch(target, tmp_path, progress=False)


def test_unreachable_server(tmp_path):
    target = download.Target("census", "2021", "x", "http://127.0.0.1:9/x.zip", "x.zip")
    with pytest.raises(PlaybookError, match="cannot reach"):
        download.fetch(target, tmp_path, progress=False, timeout=2)


@pytest.mark.parametrize("where", ["http server", "socket"])
def test_server_that_never_answers_is_a_clear_error_after_the_timeout(server, mute_server, tmp_path, where):
    url = server if where == "http server" else mute_server
    started = time.monotonic()
    with pytest.raises(PlaybookError) as info:
        download.fetch(_target(url, "silent.zip"), tmp_path, progress=False, timeout=0.3)
    elapsed = time.monotonic() - started
    assert "no answer from 127.0.0.1 after 0.3 s; check the connection or retry with --timeout" in str(info.value)
    assert 0.3 <= elapsed < 10  # the given timeout, not the default 60 s
    if where == "http server":
        assert _ranges("silent.zip") == [None]  # one wait, not one per retry
    assert not list(tmp_path.glob("silent.zip*")) and download.read_manifest(tmp_path) == {}


def test_cli_timeout_option(mute_server, tmp_path, capsys):
    cli.parser()  # import every command module first: only the download is timed
    started = time.monotonic()
    assert cli.main(["download", "boundaries", "--level", "pr", "--dest", str(tmp_path), "--base-url", mute_server,
                     "--timeout", "0.4", "--quiet"]) == 2
    assert time.monotonic() - started < 15  # not the default 60 s
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "\n" not in err and "Traceback" not in err
    assert "no answer from 127.0.0.1 after 0.4 s" in err and "--timeout" in err
    for bad in ("0", "-1", "nan", "soon"):
        with pytest.raises(SystemExit) as info:
            cli.main(["download", "boundaries", "--level", "pr", "--dest", str(tmp_path), "--timeout", bad])
        assert info.value.code == 2
        assert "--timeout" in capsys.readouterr().err


def test_expected_checksum_is_enforced(server, tmp_path):
    target = download.Target("boundaries", "2021", "pr", f"{server}/lpr_000b21a_e.zip", "lpr_000b21a_e.zip",
                             sha256="0" * 64)
    with pytest.raises(PlaybookError, match="SHA-256"):
        download.fetch(target, tmp_path, progress=False)
    assert not list(tmp_path.glob("lpr*"))


def test_cli_one_missing_region_does_not_stop_the_others(server, tmp_path, capsys):
    Handler.files[ONTARIO] = GOOD[:-5000]  # a bad zip
    Handler.silent.add(PRAIRIES)  # never answers; British Columbia and the Territories: 404
    dest = tmp_path / "raw"
    args = ["download", "census", "--year", "2021", "--level", "da", "--dest", str(dest), "--base-url", server,
            "--timeout", "0.5", "--quiet"]
    assert cli.main(args) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 5 and all(line.startswith("error: ") for line in lines)  # four failures, one summary
    assert ONTARIO in lines[0] and "not a readable zip" in lines[0]
    assert PRAIRIES in lines[1] and "no answer" in lines[1]
    assert "98-401-X2021006_BC_CB_eng_CSV.zip" in lines[2] and "HTTP 404" in lines[2]
    assert "98-401-X2021006_Territories_Territoires_eng_CSV.zip" in lines[3]
    assert lines[4].startswith(f"error: {dest}: 4 of 6 files not downloaded (") and "2 saved" in lines[4]
    assert set(download.read_manifest(dest)) == {ATLANTIC, QUEBEC}  # the manifest lists what arrived whole
    assert sorted(p.name for p in dest.iterdir()) == sorted([ATLANTIC, QUEBEC, "manifest.json"])  # no .part left
    # the network and the files are back: the next run fetches the missing ones, keeps the others
    Handler.silent.discard(PRAIRIES)
    for name in (ONTARIO, PRAIRIES, "98-401-X2021006_BC_CB_eng_CSV.zip",
                 "98-401-X2021006_Territories_Territoires_eng_CSV.zip"):
        Handler.files[name] = _zip_bytes(name.replace("_eng_CSV.zip", ".csv"), 1000)
    Handler.requests = []
    assert cli.main(args[:-1]) == 0
    assert {name for name, _ in Handler.requests} == {ONTARIO, PRAIRIES, "98-401-X2021006_BC_CB_eng_CSV.zip",
                                                     "98-401-X2021006_Territories_Territoires_eng_CSV.zip"}
    out = capsys.readouterr().out
    assert f"{ATLANTIC}: already downloaded and intact" in out and len(download.read_manifest(dest)) == 6


def test_cli_bad_level(server, tmp_path):
    assert cli.main(["download", "census", "--year", "2021", "--level", "da-", "--dest", str(tmp_path),
                     "--base-url", server, "--quiet"]) == 2  # no level named 'da-'


def test_cli_one_file_and_bad_choices(server, tmp_path, capsys):
    assert cli.main(["download", "boundaries", "--year", "2021", "--level", "pr", "--dest", str(tmp_path),
                     "--base-url", server]) == 0
    assert "lpr_000b21a_e.zip" in capsys.readouterr().out
    assert cli.main(["download", "boundaries", "--year", "2021", "--level", "csd", "--dest", str(tmp_path),
                     "--base-url", server]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "lcsd000b21a_e.zip" in err and "of 1 files" not in err  # one file: its own error only
    assert cli.main(["download", "boundaries", "--year", "1999", "--level", "pr", "--dest", str(tmp_path)]) == 2
    assert "2021" in capsys.readouterr().err


def test_url_table_has_every_required_file():
    files = {t.file for lvl in ("pr", "csd", "cma", "da") for t in download.targets("boundaries", 2021, lvl)}
    assert files == {"lpr_000b21a_e.zip", "lcsd000b21a_e.zip", "lcma000b21a_e.zip", "lda_000b21a_e.zip"}
    das = download.targets("census", 2021, "da")
    geono = {t.level: t.url.rpartition("GEONO=")[2] for t in das}
    assert geono == {"da-atlantic": "006_Atlantic_Atlantique", "da-quebec": "006_Quebec", "da-ontario": "006_Ontario",
                     "da-prairies": "006_Prairies", "da-britishcolumbia": "006_BC_CB",
                     "da-territories": "006_Territories_Territoires"}
    assert all(t.file == f"98-401-X2021{geono[t.level]}_eng_CSV.zip" for t in das)  # StatCan's own naming
    assert {t.level for t in das if t.status != "seen"} == {"da-territories"}  # its zip name was not seen spelt out
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
