"""Fixtures of the web page tests: the real API served by uvicorn on loopback, and Chromium.

The API runs in a thread of the test process (so that the demo store's hashing text encoder is
used), on a socket bound to a free port of 127.0.0.1, over the module's copy of the demo store.
Chromium is the system's (`/usr/bin/chromium`, installed by `make browser`), driven by Playwright
with a fresh profile; the tests skip where either is missing.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import BrowserContext, Page, ViewportSize, sync_playwright

from config import Settings
from orchestrator.api.app import create_app
from tests.orchestrator.api.conftest import with_api
from tests.orchestrator.demo import NOW

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS_VARIABLE = "CONCIERGE_SCREENSHOTS"
WIDE = ViewportSize(width=1280, height=900)
NARROW = ViewportSize(width=375, height=812)
SMALLEST = ViewportSize(width=320, height=640)


def _initial_environment(name: str) -> str | None:
    """A variable of the environment the process started with.

    `tests/conftest.py` removes every `CONCIERGE_*` variable when it is imported (so that no
    setting leaks into a test); the screenshot folder is read from the start-up environment.
    """
    value = os.environ.get(name)
    start = Path("/proc/self/environ")
    if value is None and start.exists():
        for entry in start.read_bytes().split(b"\0"):
            key, sep, found = entry.decode(errors="replace").partition("=")
            if sep and key == name:
                return found
    return value


@dataclass(frozen=True)
class LiveApi:
    """The API served on loopback."""

    url: str


def moving_clock() -> Callable[[], datetime]:
    """A clock at the demo's `NOW` that then goes on as real time passes."""
    started = time.monotonic()
    return lambda: NOW + timedelta(seconds=time.monotonic() - started)


@pytest.fixture(scope="module")
def live_api(demo_settings: Settings) -> Iterator[LiveApi]:
    """The real API, served by uvicorn in a thread on 127.0.0.1 and a free port."""
    app = create_app(with_api(demo_settings), clock=moving_clock())
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, ws="none", log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the API did not start")
        time.sleep(0.02)
    try:
        yield LiveApi(url=f"http://127.0.0.1:{port}")
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


@pytest.fixture(scope="module")
def browser(
    demo_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BrowserContext]:
    """Chromium with a fresh profile, through Playwright.

    Started after the demo store: Playwright's sync API keeps an event loop running on this
    thread, and building the store runs one of its own.
    """
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: run `make browser`")
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport=WIDE,
            timezone_id="UTC",
            locale="en-US",
        )
        context.set_default_timeout(15_000)
        try:
            yield context
        finally:
            context.close()


class Screenshots:
    """PNG screenshots under pytest's tmp path, copied to `$CONCIERGE_SCREENSHOTS` if set."""

    def __init__(self, folder: Path, copy_to: Path | None) -> None:
        self.folder = folder
        self.copy_to = copy_to
        self.taken: list[Path] = []

    def take(self, page: Page, name: str) -> Path:
        """A full-page screenshot of `page`, named `name.png`."""
        path = self.folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        if self.copy_to is not None:
            self.copy_to.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, self.copy_to / path.name)
        self.taken.append(path)
        return path


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Screenshots:
    """Where the tests put their screenshots."""
    wanted = _initial_environment(SCREENSHOTS_VARIABLE)
    return Screenshots(tmp_path_factory.mktemp("screenshots"), Path(wanted) if wanted else None)
