"""Browser tests: a real Harbour server (pytest-django ``live_server``) driven by Debian's Chromium.

Every test in this directory is marked ``browser``. Each test gets a fresh browser context (no
cookies, no storage) and a page that records what a reviewer cares about: console messages about the
Content Security Policy, uncaught script errors, and any request to a host other than the server.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

# Playwright's sync API keeps an asyncio event loop in this thread, which makes Django refuse
# database access from test code ("async unsafe"), in browser tests and in any test that runs in the
# same process after Chromium has started (pytest-xdist mixes them). No test code here is async.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright  # noqa: E402

from tests.access.routes import World  # noqa: E402
from tests.browser.pages import Site  # noqa: E402

CHROMIUM = os.environ.get("HARBOUR_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HERE = Path(__file__).parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.fspath)).is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"Chromium not found at {CHROMIUM}: `make browsers` installs it")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@dataclass
class Watch:
    """What the page did besides rendering: CSP reports, script errors, requests elsewhere."""

    origin: str
    csp: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)

    def on_console(self, message: Any) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.csp.append(message.text)

    def on_page_error(self, error: Any) -> None:
        self.errors.append(str(error))

    def on_request(self, request: Any) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob", "about"):
            return
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            self.foreign.append(request.url)

    def clear(self) -> None:
        self.csp.clear()
        self.errors.clear()
        self.foreign.clear()

    def problems(self) -> list[str]:
        return (
            [f"CSP: {m}" for m in self.csp]
            + [f"script error: {e}" for e in self.errors]
            + [f"request to another host: {u}" for u in self.foreign]
        )


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    made = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    made.set_default_timeout(10_000)
    yield made
    made.close()


@pytest.fixture
def site(live_server: Any, cast: dict[str, Any], orgs: dict[str, Any], case_a: Any) -> Site:
    world = World(cast=cast, orgs=orgs, extra={"case_a": case_a})
    return Site(url=live_server.url, world=world)


@pytest.fixture
def watch(site: Site) -> Watch:
    return Watch(origin=site.url)


@pytest.fixture
def page(context: BrowserContext, watch: Watch) -> Page:
    made = context.new_page()
    made.on("console", watch.on_console)
    made.on("pageerror", watch.on_page_error)
    made.on("request", watch.on_request)
    return made
