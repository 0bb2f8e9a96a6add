import functools
import http.server
import threading
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"


@pytest.fixture
def root() -> Path:
    return ROOT


SKIP_DIRS = {"_static", "_sources", "_downloads", "_images"}
SKIP_PAGES = {"genindex.html", "search.html"}


def pages(edition: Path) -> set[str]:
    """The content pages of one edition of the built site (relative paths), without redirects."""
    return {
        p.relative_to(edition).as_posix()
        for p in edition.rglob("*.html")
        if not SKIP_DIRS & set(p.relative_to(edition).parts) and p.name not in SKIP_PAGES
        and "Refresh" not in p.read_text(encoding="utf-8")[:200]
    }


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The whole bilingual site, built once per test session as `make book` builds it (warnings are
    errors) but with every notebook executed afresh."""
    from playbook.book.build import build_book

    return build_book(path_output=tmp_path_factory.mktemp("book"), execute="force", strict=True)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        pass  # a browser that aborts a request (blocked route, navigation) is not an error


@pytest.fixture(scope="session")
def served_site(site):
    """The built site served over HTTP on 127.0.0.1 (a free port); yields the base URL."""
    server = _QuietServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


#: Debian's Chromium (installed by `make system-deps`), never a browser downloaded by Playwright.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def browser_context(tmp_path_factory):
    """One Chromium for the whole session (Playwright's sync API allows one at a time in a process),
    with a fresh profile folder."""
    playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is in requirements-dev.txt")
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: `make test` installs it with apt-get (make system-deps)")
    with playwright_api.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=str(CHROMIUM), headless=True,
            args=CHROMIUM_FLAGS, viewport={"width": 1280, "height": 900}, locale="en-CA",
        )
        yield context
        context.close()
