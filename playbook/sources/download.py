"""Fetch the official files (Census Profile, boundaries, geographic attributes, service points).

Addresses live in ``specs/downloads.yml`` (kind -> year -> level -> url, file name). Each download:

* goes to ``DEST/<file>.part`` first and is renamed only when complete and checked, so ``DEST``
  never holds a half-written file under its real name. A ``.part`` is never a downloaded file: it
  is not returned, not listed in the manifest, and ``*.zip`` patterns do not match it;
* **resumes** a ``.part`` with an HTTP ``Range`` request, whether it was left by a dropped
  connection in this run (retried that way a few times) or by an earlier run that was killed
  (``kill -9``, a power cut): the next run picks it up. If the server ignores ``Range`` the partial
  file is discarded and the download starts over; if the resumed file then fails its check (the
  partial came from another version of the file), it is downloaded once more from the start. A
  ``.part`` that is already complete (the server answers 416 with the full length) is checked and
  kept. A file already downloaded and intact removes its own leftover ``.part``; leftovers of the
  manifest's atomic writes (``.manifest.json.*.part``, older than a minute) are removed;
* **refuses a corrupt zip** (``zipfile.testzip``): the file is deleted and an error says so;
* records its SHA-256, size, address and time in ``DEST/manifest.json``. A file in the manifest
  with the same size and checksum (and the checksum of ``specs/downloads.yml`` when it gives one)
  is not downloaded again (the local cache). A file in ``DEST`` that fails these checks (a
  truncated zip from an earlier run, a file copied by hand) loses its manifest entry and is
  downloaded again; when it is not even a readable zip it is deleted first;
* gives up on a server that sends nothing for ``timeout`` seconds with one clear
  :class:`~playbook.errors.PlaybookError` (``no answer from HOST after N s``), not a traceback; a
  body that stalls midway counts as a dropped connection (retried, resumed);
* shows a byte progress bar (tqdm).

:func:`fetch` raises for the one file it was given; the command line fetches every file of a level
(the six regional Dissemination-area files) even when some fail, and reports each failure.

Only the standard library's ``urllib`` is used, so nothing more needs installing.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from http.client import HTTPException
from pathlib import Path

import yaml
from tqdm.auto import tqdm

from playbook.errors import PlaybookError
from playbook.io import atomic_path
from playbook.paths import specs_dir

MANIFEST = "manifest.json"
_CHUNK = 1 << 16
USER_AGENT = "ddi-playbook-download/1 (+https://github.com/)"
#: Seconds after which a temporary file of a manifest write is a leftover of a killed run.
_STALE_TEMP_SECONDS = 60.0


@dataclass(frozen=True)
class Target:
    """One file to fetch."""

    kind: str
    year: str
    level: str
    url: str
    file: str
    zip: bool = True
    status: str = "seen"
    sha256: str | None = None


def catalogue(path: Path | None = None) -> dict:
    """The address table (``specs/downloads.yml``)."""
    path = path or specs_dir() / "downloads.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def targets(kind: str, year: str | int, level: str, *, base_url: str | None = None) -> list[Target]:
    """The files for ``kind``/``year``/``level``; ``level`` may be a prefix (``da`` = every ``da-*``).

    With ``base_url``, each file is fetched from ``<base_url>/<file>`` (a mirror or a test server).
    """
    table = catalogue()
    years = table.get(kind)
    if years is None:
        kinds = ", ".join(k for k in table if k != "version")
        raise PlaybookError(f"unknown kind '{kind}'", field="kind", expected=kinds)
    levels = years.get(year) or years.get(str(year)) or (years.get(int(year)) if str(year).isdigit() else None)
    if levels is None:
        raise PlaybookError(f"no {kind} files for year {year}", field="--year",
                            expected=", ".join(str(y) for y in years))
    chosen = {k: v for k, v in levels.items() if k == level or k.startswith(f"{level}-")}
    if not chosen:
        raise PlaybookError(f"no {kind} {year} file for level '{level}'", field="--level",
                            expected=", ".join(levels))
    out = []
    for name, entry in chosen.items():
        url = entry["url"] if base_url is None else f"{base_url.rstrip('/')}/{entry['file']}"
        out.append(Target(kind, str(year), name, url, entry["file"], entry.get("zip", True),
                          entry.get("status", "seen"), entry.get("sha256")))
    return out


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file, read in chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def read_manifest(dest: Path) -> dict:
    """``DEST/manifest.json`` (file name -> url, sha256, size, downloaded_at), or ``{}``."""
    path = Path(dest) / MANIFEST
    if not path.is_file():
        return {}
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        manifest = None
    if not isinstance(manifest, dict):
        raise PlaybookError("the manifest is not a JSON object of files", path=path,
                            expected="a manifest written by this command (delete it to start the cache afresh)")
    return manifest


def _write_manifest(dest: Path, manifest: dict) -> None:
    with atomic_path(dest / MANIFEST) as tmp:
        tmp.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def _remove_stale_temporaries(dest: Path) -> None:
    """Delete temporary files of manifest writes that a killed run left behind (hidden, never resumable)."""
    now = time.time()
    for tmp in dest.glob(f".{MANIFEST}.*.part"):
        try:
            if now - tmp.stat().st_mtime > _STALE_TEMP_SECONDS:
                tmp.unlink()
        except FileNotFoundError:  # another run finished its write meanwhile
            pass


def _check_zip(path: Path, url: str) -> None:
    try:
        with zipfile.ZipFile(path) as zf:
            bad = zf.testzip()
    except NotImplementedError:  # a compression method Python cannot expand: the directory was read, members unchecked
        return
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error, ValueError) as exc:
        raise PlaybookError(f"the downloaded file is not a readable zip ({exc})", path=url,
                            expected="an intact zip archive (download again, or check the address)") from None
    if bad is not None:
        raise PlaybookError(f"member '{bad}' of the downloaded zip is corrupt", path=url,
                            expected="an intact zip archive")


def _verify(path: Path, target: Target) -> str:
    """The SHA-256 of ``path`` once it passed the zip check and the catalogue's checksum; raises otherwise."""
    if target.zip:
        _check_zip(path, target.url)
    digest = sha256(path)
    if target.sha256 and digest != target.sha256:
        raise PlaybookError(f"SHA-256 is {digest}", path=target.url, expected=f"{target.sha256} (specs/downloads.yml)")
    return digest


def _cached(final: Path, known, target: Target) -> bool:
    """True when ``final`` is the file the manifest recorded (size and checksum) and the catalogue expects."""
    if not final.is_file() or not isinstance(known, dict):
        return False
    if known.get("size") is not None and final.stat().st_size != known["size"]:
        return False
    digest = sha256(final)
    return digest == known.get("sha256") and (target.sha256 is None or digest == target.sha256)


def _no_answer(url: str, timeout: float) -> PlaybookError:
    host = urllib.parse.urlsplit(url).hostname or url
    return PlaybookError(f"no answer from {host} after {timeout:g} s; check the connection or retry with --timeout",
                         path=url)


def _request(url: str, start: int, timeout: float):
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    if start:
        req.add_header("Range", f"bytes={start}-")
    return urllib.request.urlopen(req, timeout=timeout)  # noqa: S310 - addresses come from the YAML table


def _complete_length(exc: urllib.error.HTTPError) -> int | None:
    """The full length a 416 answer gives in ``Content-Range: bytes */LENGTH``, if any."""
    value = (exc.headers or {}).get("Content-Range", "")
    _, _, length = value.rpartition("/")
    return int(length) if length.strip().isdigit() else None


def _attempt(url: str, part: Path, timeout: float, bar: tqdm | None) -> bool:
    """One request, appending to ``part``; True when the body arrived whole."""
    start = part.stat().st_size if part.exists() else 0
    try:
        resp = _request(url, start, timeout)
    except urllib.error.HTTPError as exc:
        if exc.code == 416 and start:  # the range starts at or past the end
            if _complete_length(exc) == start:  # the partial file is already whole (killed before the rename)
                return True
            part.unlink()  # unusable: start over
            return False
        raise PlaybookError(f"HTTP {exc.code} {exc.reason}", path=url,
                            expected="the file (check the address or --base-url)") from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):  # nothing answered the connection
            raise _no_answer(url, timeout) from None
        raise PlaybookError(f"cannot reach the server ({exc.reason})", path=url,
                            expected="a network connection, or --base-url pointing at a mirror") from None
    except TimeoutError:  # connected, request sent, no status line within the timeout
        raise _no_answer(url, timeout) from None
    except (HTTPException, ConnectionError):  # dropped before the headers: retry
        return False
    with resp:
        if start and resp.status != 206:  # the server ignored Range: start over
            start = 0
        length = resp.headers.get("Content-Length")
        total = start + int(length) if length is not None and length.isdigit() else None
        if bar is not None:
            bar.reset(total=total)
            bar.update(start)
        received = start
        with open(part, "ab" if start else "wb") as out:
            while True:
                try:
                    chunk = resp.read(_CHUNK)
                except (TimeoutError, HTTPException, OSError):  # stalled or dropped mid-body: resume later
                    return False
                if not chunk:
                    break
                out.write(chunk)  # a full disk raises here, as itself
                received += len(chunk)
                if bar is not None:
                    bar.update(len(chunk))
    return total is None or received == total


def _download(target: Target, part: Path, retries: int, timeout: float, bar: tqdm) -> None:
    """Fill ``part`` with the whole body, resuming it across ``retries`` dropped connections."""
    for attempt in range(retries + 1):
        if _attempt(target.url, part, timeout, bar):
            return
        time.sleep(min(0.2 * 2**attempt, 2.0))
    size = part.stat().st_size if part.exists() else 0
    raise PlaybookError(f"the connection dropped {retries + 1} times ({size} bytes kept in {part.name}; "
                        "run the command again to resume)", path=target.url, expected="the complete file")


def fetch(target: Target, dest: str | os.PathLike, *, retries: int = 3, timeout: float = 60.0,
          progress: bool | None = None) -> tuple[Path, bool]:
    """Download ``target`` into ``dest``; return ``(path, fetched)`` (``fetched`` False when cached).

    ``timeout`` is how long (seconds) the server may stay silent; ``retries`` how many dropped
    connections are resumed. Raises :class:`PlaybookError` (the file is then not in the manifest).
    """
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(dest)
    final, part = dest / target.file, dest / f"{target.file}.part"
    manifest = read_manifest(dest)
    if _cached(final, manifest.get(target.file), target):
        part.unlink(missing_ok=True)  # a leftover partial of a file already here and intact
        return final, False
    if manifest.pop(target.file, None) is not None:  # listed but missing, changed or damaged: no longer downloaded
        _write_manifest(dest, manifest)
    if final.is_file() and target.zip:
        try:
            _check_zip(final, target.url)
        except PlaybookError:  # a damaged copy under the real name (a truncated zip from an earlier run)
            final.unlink()
    from_earlier_run = part.is_file() and part.stat().st_size > 0
    bar = tqdm(unit="B", unit_scale=True, desc=target.file, leave=False, disable=progress is False)
    try:
        while True:
            _download(target, part, retries, timeout, bar)
            try:
                digest = _verify(part, target)
                break
            except PlaybookError:
                part.unlink(missing_ok=True)
                if not from_earlier_run:
                    raise
                from_earlier_run = False  # the resumed partial was of another version: once more from the start
    finally:
        bar.close()
    os.replace(part, final)
    manifest[target.file] = {
        "url": target.url, "sha256": digest, "size": final.stat().st_size, "kind": target.kind,
        "year": target.year, "level": target.level,
        "downloaded_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    _write_manifest(dest, manifest)
    return final, True
