"""Browser fixtures: the app on a real HTTP server thread, Debian's Chromium, axe-core.

Without /usr/bin/chromium the browser tests skip with a reason, unless
``SURVEY_REQUIRE_BROWSER=1`` (set by ``.ci/run``) turns that into a failure.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from survey_app.app import create_app
from survey_app.cli.database import upgrade

CHROMIUM = Path(os.environ.get("SURVEY_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]


@dataclass
class LiveServer:
    """A running server: its app (for seeding data) and base URL."""

    app: Flask
    url: str


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """The app with CSRF on, on SQLite, served over HTTP on a free loopback port."""
    path = tmp_path_factory.mktemp("e2e") / "e2e.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    app = create_app("config.TestConfig", DATABASE_URL=url, WTF_CSRF_ENABLED=True)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    _wait_until_up(base)
    yield LiveServer(app, base)
    server.shutdown()
    app.extensions["sqlalchemy_engine"].dispose()


def _wait_until_up(base: str, deadline: float = 10.0) -> None:
    import urllib.request

    end = time.monotonic() + deadline
    while True:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > end:
                raise
        time.sleep(0.05)


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright."""
    if not CHROMIUM.exists():
        if os.environ.get("SURVEY_REQUIRE_BROWSER") == "1":
            pytest.fail(f"SURVEY_REQUIRE_BROWSER=1 but {CHROMIUM} is missing")
        pytest.skip(f"browser tests need Chromium at {CHROMIUM} (make browser)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh page (own cookies) per test; JavaScript on unless the test turns it off."""
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def page_without_js(browser):
    """A fresh page with JavaScript disabled."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


def assert_accessible(page) -> None:
    """Run axe-core on the page: zero violations, or the report in the failure."""
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page)
    assert result.violations_count == 0, result.generate_report()
