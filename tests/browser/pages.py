"""Every page the accessibility sweep visits, as data. Add your app's pages to ``PAGES``.

A page is reached either by URL, as a signed-in person (``person``) or signed out (``None``), or by a
journey (``arrive``): a function that drives the browser to it, for pages that only exist in the
middle of a flow (the security-code page, enrolment, recovery codes).

    Page("cases-detail", "alice", lambda w: f"/cases/{w.case_a.public_id}/")

``Site.world`` holds the cast, their organisations and ``case_a`` (Alice's case at provider A).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import resolve, reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page as BrowserPage

from tests.access.routes import PEOPLE, World
from tests.conftest import PASSWORD, signed_in_client

#: The rule sets axe-core checks: WCAG 2.2 A and AA, and axe's best practices (landmarks, headings).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


@dataclass
class Site:
    url: str
    world: World

    def sign_in_quietly(self, browser_page: BrowserPage, person: str) -> None:
        """Give the browser a session made by the test client (no sign-in pages visited)."""
        from django.conf import settings

        cookie = signed_in_client(self.world.cast[person]).cookies[settings.SESSION_COOKIE_NAME]
        browser_page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": self.url}]
        )


# Codes ------------------------------------------------------------------------------------------


def current_code(device: TOTPDevice) -> str:
    """The code an authenticator app with this device's key shows now."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def key_from_secret(secret: str) -> bytes:
    """The key behind a base32 secret as shown on the enrolment page (spaces allowed)."""
    raw = secret.replace(" ", "").upper()
    return base64.b32decode(raw + "=" * (-len(raw) % 8))


def code_from_secret(secret: str, step: int = 30, digits: int = 6) -> str:
    """The code an authenticator app shows now for a base32 secret."""
    totp = TOTP(key_from_secret(secret), step=step, digits=digits)
    return f"{totp.token():0{digits}d}"


# Journeys ---------------------------------------------------------------------------------------


def enter_password(browser_page: BrowserPage, site: Site, username: str) -> None:
    browser_page.goto(f"{site.url}/accounts/sign-in/")
    browser_page.get_by_label("Username").fill(username)
    browser_page.get_by_label("Password").fill(PASSWORD)
    browser_page.get_by_role("button", name="Continue").click()


def to_code_page(browser_page: BrowserPage, site: Site) -> None:
    enter_password(browser_page, site, "alice")
    browser_page.wait_for_url("**/accounts/sign-in/code/")


def to_enrolment(browser_page: BrowserPage, site: Site) -> None:
    """Alice has lost her device: her administrator reset it, so she sets up a new one."""
    TOTPDevice.objects.filter(user=site.world.cast["alice"]).delete()
    enter_password(browser_page, site, "alice")
    browser_page.wait_for_url("**/accounts/sign-in/set-up/")


def read_manual_key(browser_page: BrowserPage) -> str:
    browser_page.get_by_text("I cannot scan the QR code").click()
    return browser_page.locator(".harbour-secret").inner_text()


def to_recovery_codes(browser_page: BrowserPage, site: Site) -> None:
    to_enrolment(browser_page, site)
    code = code_from_secret(read_manual_key(browser_page))
    browser_page.get_by_label("Security code from your app").fill(code)
    browser_page.get_by_role("button", name="Confirm and sign in").click()
    browser_page.wait_for_url("**/accounts/recovery-codes/")


def to_sign_in_error(browser_page: BrowserPage, site: Site) -> None:
    browser_page.goto(f"{site.url}/accounts/sign-in/")
    browser_page.get_by_label("Username").fill("alice")
    browser_page.get_by_label("Password").fill("not the password")
    browser_page.get_by_role("button", name="Continue").click()
    browser_page.locator(".govuk-error-summary").wait_for()


def to_new_user_errors(browser_page: BrowserPage, site: Site) -> None:
    site.sign_in_quietly(browser_page, "ada")
    browser_page.goto(f"{site.url}/accounts/users/new/")
    browser_page.get_by_role("button", name="Create account").click()
    browser_page.locator(".govuk-error-summary").wait_for()


def to_signed_out(browser_page: BrowserPage, site: Site) -> None:
    site.sign_in_quietly(browser_page, "alice")
    browser_page.goto(f"{site.url}/home/")
    browser_page.get_by_role("button", name="Sign out").click()
    browser_page.wait_for_load_state()


# Pages ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    id: str
    person: str | None = None
    url: Callable[[World], str] | str | None = None
    status: int = 200
    arrive: Callable[[BrowserPage, Site], Any] | None = None

    def path(self, world: World) -> str:
        assert self.url is not None
        return self.url(world) if callable(self.url) else self.url


HOME_FOR_EACH_ROLE = [
    Page(f"home-{role}", person, "/home/")
    for role, person in (
        ("advocate", "alice"),
        ("manager", "mia"),
        ("trainer", "tariq"),
        ("admin", "ada"),
        ("police", "pete"),
        ("commissioner", "cora"),
        ("programme", "priya"),
    )
]

PAGES: list[Page] = [
    # Signed out
    Page("landing", None, "/"),
    Page("sign-in", None, "/accounts/sign-in/"),
    Page("sign-in-expired", None, "/accounts/sign-in/?expired=1"),
    Page("sign-in-error", arrive=to_sign_in_error),
    Page("code", arrive=to_code_page),
    Page("enrolment", arrive=to_enrolment),
    Page("recovery-codes", arrive=to_recovery_codes),
    Page("signed-out", arrive=to_signed_out),
    Page("signed-out-direct", None, "/accounts/signed-out/"),
    # Every role's home page
    *HOME_FOR_EACH_ROLE,
    # Cases
    Page("cases-list-advocate", "alice", "/cases/"),
    Page("cases-list-manager", "mia", "/cases/"),
    Page("cases-detail", "alice", lambda w: f"/cases/{w.case_a.public_id}/"),
    Page("cases-detail-manager", "mia", lambda w: f"/cases/{w.case_a.public_id}/"),
    Page("cases-access-log", "mia", lambda w: f"/cases/{w.case_a.public_id}/access-log/"),
    # Accounts
    Page("security", "alice", "/accounts/security/"),
    Page("reauthenticate", "alice", "/accounts/reauthenticate/"),
    Page("users-list", "ada", "/accounts/users/"),
    Page("users-detail", "ada", lambda w: f"/accounts/users/{w.cast['alice'].pk}/"),
    Page("users-new", "ada", "/accounts/users/new/"),
    Page("users-new-errors", arrive=to_new_user_errors),
    # Errors
    Page("not-found", "alice", "/no-such-page/", status=404),
    Page("not-found-case", "alice", "/cases/00000000-0000-0000-0000-000000000000/", status=404),
]


def covered_names(pages: list[Page], world: World) -> set[str]:
    """URL names the list above visits by URL (journeys are not counted)."""
    names = set()
    for target in pages:
        if target.url is not None:
            path = target.path(world).split("?")[0]
            try:
                names.add(resolve(path).view_name)
            except Exception:  # noqa: S112 - a 404 page resolves to nothing
                continue
    return names


def matrix_pages(listed: list[Any], world: World, covered: list[Page]) -> list[Page]:
    """Pages for the matrix's GET routes that answer 200 to someone, first such person each."""
    skip = covered_names(covered, world)
    pages, seen = [], set()
    for item in listed:
        route = item.route
        if route.method != "GET" or route.name in skip or route.name in seen:
            continue
        person = next((p for p in PEOPLE if route.expect.get(p) == 200), None)
        if person is None:
            continue
        seen.add(route.name)
        path = reverse(route.name, kwargs=route.kwargs(world))
        pages.append(Page(f"{route.name} as {person}", None if person == "anon" else person, path))
    return pages


def fill_date(page: Any, label: str, iso: str, *, exact: bool = False) -> None:
    """Fill a GOV.UK date input (day, month and year boxes) found by its legend; "" clears it."""
    group = page.get_by_role("group", name=label, exact=exact)
    year, month, day = iso.split("-") if iso else ("", "", "")
    day, month = day.lstrip("0"), month.lstrip("0")
    group.get_by_label("Day").fill(day)
    group.get_by_label("Month").fill(month)
    group.get_by_label("Year").fill(year)
