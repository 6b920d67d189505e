"""Fixtures for browser tests: the real platform served by gunicorn, driven by headless Chromium.

``live_platform`` builds a small demo city in a throwaway database (``core.testing``) and serves it
with ``xinyong serve`` on a free port; ``browser_page`` is a fresh Chromium page (its own cookies).
Registered for every app through ``xinyong/conftest.py``. Mark tests ``@pytest.mark.browser`` and
keep them in modules of their own: while a browser is open, Django refuses database calls in this
process (see ``chromium``), so a test using ``db`` cannot share a module with them.

Chromium is Debian's ``/usr/bin/chromium`` (``scripts/test.sh`` installs it), driven by Playwright
through ``executable_path``: ``playwright install`` downloads browser builds, which cannot be had here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright

from xinyong.core.testing import ThrowawayDatabase

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # tests run as root in CI, where Chromium's sandbox refuses to start
    "--disable-gpu",
    # No traffic but to the platform under test: no QUIC probes, updates, sync or first-run pings.
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_SUBJECTS = 300  # about 4 s to build; enough for lists, subject pages and every account kind
DEMO_PASSWORD = "browser-demo-password"  # of a throwaway database's accounts
STARTUP_SECONDS = 60


@dataclass(frozen=True)
class LivePlatform:
    url: str  # without a trailing slash: ``f"{platform.url}/accounts/login/"``
    password: str  # of every demo account (centre, scjg, swj, fy, sthj, rsj, fgw, qiye)
    log: Path  # the server's output, for a failing test to read


@pytest.fixture(scope="session")
def live_platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LivePlatform]:
    """The demo city served by ``xinyong serve`` (gunicorn, one worker) at ``LivePlatform.url``."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (scripts/test.sh installs Debian's chromium)")
    tmp = tmp_path_factory.mktemp("live-platform")
    database = ThrowawayDatabase(
        tmp,
        "browser",
        env={
            "XINYONG_DEMO_PASSWORD": DEMO_PASSWORD,
            # Every browser test comes from 127.0.0.1: with the public rate limit on, a long suite
            # would exhaust one shared allowance. The limit has its own tests (core/tests).
            "XINYONG_PUBLIC_REQUESTS_PER_MINUTE": "0",
            "XINYONG_SEARCH_REQUESTS_PER_MINUTE": "0",
        },
    )
    try:
        database.run("demo", "--no-serve", "--subjects", str(DEMO_SUBJECTS))
        log = tmp / "serve.log"
        with database.serve(log, startup_seconds=STARTUP_SECONDS) as url:
            yield LivePlatform(url=url, password=DEMO_PASSWORD, log=log)
    finally:
        database.drop()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    """One browser per test module. Not per session: Playwright's sync API keeps an event loop in
    this thread while it runs, and Django refuses database calls from tests that would follow."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (scripts/test.sh installs Debian's chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium: Browser) -> Iterator[Page]:
    """A page in a fresh browser context: no cookies, Chinese preferred, as a first-time visitor."""
    context = chromium.new_context(locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def console_messages(browser_page: Page) -> list[ConsoleMessage]:
    """What the page logs to the console (CSP violations appear here), collected from the start."""
    messages: list[ConsoleMessage] = []

    def collect(message: ConsoleMessage) -> None:  # Playwright cannot take a builtin like list.append
        messages.append(message)

    browser_page.on("console", collect)
    return messages
