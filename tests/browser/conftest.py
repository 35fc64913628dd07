"""Browser tests: Playwright for Python driving Debian's Chromium against a real server.

The server is loopready's app under uvicorn on a free port of 127.0.0.1, in a thread of
the test process, with its own data folder. Tests can stop it and start it again on the
same port, as a user whose server went down would see. Screenshots go to
``test-artifacts/screenshots/``.

Without ``/usr/bin/chromium`` (Debian's package ``chromium``) the tests are skipped,
except under CI (``CI=true``), where that is a failure.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from loopready.store import Database, open_db

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 860}
PHONE = {"width": 390, "height": 844}

pytestmark = pytest.mark.browser


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = (
        f"{CHROMIUM} is missing: install Debian's package `chromium` "
        "(apt-get install chromium) to run the browser tests"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    """One Chromium for the browser tests, closed before the rest of the run.

    Playwright's sync API marks its event loop as running in the main thread while it is
    open; closing it with this package keeps that from leaking into later tests.
    """
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class LiveServer:
    """loopready's app served by uvicorn in a thread; stop() and start() like a real one."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._server: Any = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        import uvicorn

        from loopready.web import create_app

        config = uvicorn.Config(
            create_app(self.db),
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            ws="none",
            lifespan="on",
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 15
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)
        self._server = None
        self._thread = None

    def restart(self) -> None:
        self.stop()
        self.start()


@pytest.fixture
def server(loopready_home: Path) -> Iterator[LiveServer]:
    """A running server with a fresh database in this test's data folder."""
    with open_db() as db:
        live = LiveServer(db)
        live.start()
        try:
            yield live
        finally:
            live.stop()


@pytest.fixture
def page(browser: Any, server: LiveServer, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A desktop-sized page with the server's address as base URL."""
    context = browser.new_context(viewport=DESKTOP, base_url=server.url)
    context.set_default_timeout(15_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.js_errors = errors
    yield tab
    context.close()


class Shots:
    """Saves numbered screenshots named after the test."""

    def __init__(self, name: str) -> None:
        self.prefix = re.sub(r"[^A-Za-z0-9_.-]+", "-", name)
        self.count = 0
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for old in SCREENSHOTS.glob(f"{self.prefix}-[0-9][0-9]-*.png"):
            old.unlink()  # a rerun replaces the test's pictures, none left over

    def __call__(self, tab: Any, label: str, *, full_page: bool = True) -> Path:
        self.count += 1
        path = SCREENSHOTS / f"{self.prefix}-{self.count:02d}-{label}.png"
        if full_page:  # from the top, so sticky parts sit where a reader sees them
            tab.evaluate("window.scrollTo(0, 0)")
        tab.screenshot(path=str(path), full_page=full_page)
        return path


@pytest.fixture
def shot(request: pytest.FixtureRequest) -> Shots:
    """``shot(page, "label")`` saves a numbered full-page screenshot of *page*."""
    return Shots(request.node.name)


@pytest.fixture
def phone_page(browser: Any, server: LiveServer) -> Iterator[Any]:
    """A phone-sized (390 px) touch page on the server."""
    context = browser.new_context(viewport=PHONE, base_url=server.url, is_mobile=True)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()
