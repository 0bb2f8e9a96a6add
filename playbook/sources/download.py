"""Fetch the official files (Census Profile, boundaries, geographic attributes, service points).

Addresses live in ``specs/downloads.yml`` (kind -> year -> level -> url, file name). Each download:

* goes to ``DEST/<file>.part`` first and is renamed only when complete and checked, so ``DEST``
  never holds a half-written file under its real name;
* **resumes** an interrupted ``.part`` with an HTTP ``Range`` request (a dropped connection is
  retried that way a few times); if the server ignores ``Range`` the partial file is discarded
  and the download starts over;
* **refuses a corrupt zip** (``zipfile.testzip``): the file is deleted and an error says so;
* records its SHA-256, size, address and time in ``DEST/manifest.json``; a file already in the
  manifest with the same checksum is not downloaded again (the local cache);
* shows a byte progress bar (tqdm).

Only the standard library's ``urllib`` is used, so nothing more needs installing.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import urllib.error
import urllib.request
import zipfile
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
    path = dest / MANIFEST
    if not path.is_file():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        raise PlaybookError("the manifest is not valid JSON", path=path,
                            expected="a manifest written by this command") from None


def _write_manifest(dest: Path, manifest: dict) -> None:
    with atomic_path(dest / MANIFEST) as tmp:
        tmp.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def _check_zip(path: Path, url: str) -> None:
    try:
        with zipfile.ZipFile(path) as zf:
            bad = zf.testzip()
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise PlaybookError(f"the downloaded file is not a readable zip ({exc})", path=url,
                            expected="an intact zip archive (download again, or check the address)") from None
    if bad is not None:
        raise PlaybookError(f"member '{bad}' of the downloaded zip is corrupt", path=url,
                            expected="an intact zip archive")


def _request(url: str, start: int, timeout: float):
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    if start:
        req.add_header("Range", f"bytes={start}-")
    return urllib.request.urlopen(req, timeout=timeout)  # noqa: S310 - addresses come from the YAML table


def _attempt(url: str, part: Path, timeout: float, bar: tqdm | None) -> bool:
    """One request, appending to ``part``; True when the body arrived whole."""
    start = part.stat().st_size if part.exists() else 0
    try:
        resp = _request(url, start, timeout)
    except urllib.error.HTTPError as exc:
        if exc.code == 416 and start:  # the range is past the end: the partial file is unusable
            part.unlink()
            return False
        raise PlaybookError(f"HTTP {exc.code} {exc.reason}", path=url,
                            expected="the file (check the address or --base-url)") from None
    with resp:
        if start and resp.status != 206:  # the server ignored Range: start over
            start = 0
        length = resp.headers.get("Content-Length")
        total = start + int(length) if length is not None else None
        if bar is not None:
            bar.reset(total=total)
            bar.update(start)
        received = start
        with open(part, "ab" if start else "wb") as out:
            try:
                while chunk := resp.read(_CHUNK):
                    out.write(chunk)
                    received += len(chunk)
                    if bar is not None:
                        bar.update(len(chunk))
            except (TimeoutError, HTTPException, OSError):
                return False
    return total is None or received == total


def fetch(target: Target, dest: str | os.PathLike, *, retries: int = 3, timeout: float = 60.0,
          progress: bool | None = None) -> tuple[Path, bool]:
    """Download ``target`` into ``dest``; return ``(path, fetched)`` (``fetched`` False when cached)."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    final, part = dest / target.file, dest / f"{target.file}.part"
    manifest = read_manifest(dest)
    known = manifest.get(target.file)
    if final.is_file() and known and sha256(final) == known.get("sha256"):
        return final, False
    bar = tqdm(unit="B", unit_scale=True, desc=target.file, leave=False, disable=progress is False)
    try:
        for attempt in range(retries + 1):
            try:
                done = _attempt(target.url, part, timeout, bar)
            except urllib.error.URLError as exc:
                raise PlaybookError(f"cannot reach the server ({exc.reason})", path=target.url,
                                    expected="a network connection, or --base-url pointing at a mirror") from None
            if done:
                break
            time.sleep(min(0.2 * 2**attempt, 2.0))
        else:
            size = part.stat().st_size if part.exists() else 0
            raise PlaybookError(f"the connection dropped {retries + 1} times ({size} bytes kept in {part.name}; "
                                "run the command again to resume)", path=target.url, expected="the complete file")
    finally:
        bar.close()
    try:
        if target.zip:
            _check_zip(part, target.url)
        digest = sha256(part)
        if target.sha256 and digest != target.sha256:
            raise PlaybookError(f"SHA-256 is {digest}", path=target.url,
                                expected=f"{target.sha256} (specs/downloads.yml)")
    except PlaybookError:
        part.unlink(missing_ok=True)
        raise
    os.replace(part, final)
    manifest[target.file] = {
        "url": target.url, "sha256": digest, "size": final.stat().st_size, "kind": target.kind,
        "year": target.year, "level": target.level,
        "downloaded_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    _write_manifest(dest, manifest)
    return final, True
