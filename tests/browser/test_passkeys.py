"""Passkeys in a real browser: Chromium's virtual authenticator (the DevTools protocol's WebAuthn
domain, through a Playwright CDP session) stands in for a phone or security key. Registration on
the Passkeys page, then signing in with it; with passkeys required of managers, an authenticator
code no longer signs one in, and a recovery code still does."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django_otp_webauthn.models import WebAuthnCredential
from playwright.sync_api import Page as BrowserPage
from playwright.sync_api import expect

from harbour.accounts import mfa
from harbour.audit.models import AuditEvent
from tests.browser.conftest import Watch
from tests.browser.pages import AXE_TAGS, Site, current_code, enter_password

AXE = Axe()


@pytest.fixture
def authenticator(page: BrowserPage) -> Any:
    """A platform authenticator that verifies its user and answers at once."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    made = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    yield cdp, made["authenticatorId"]
    cdp.send("WebAuthn.disable")


def axe_clean(page: BrowserPage) -> None:
    results = AXE.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert results.response["violations"] == [], results.response["violations"]


def add_passkey(page: BrowserPage, site: Site, person: str) -> None:
    site.sign_in_quietly(page, person)  # signed in just now: fresh enough to add a factor
    page.goto(f"{site.url}/accounts/passkeys/")
    page.get_by_role("button", name="Add a passkey").click()
    expect(page.get_by_role("cell", name="Passkey 1", exact=True)).to_be_visible()


def sign_out(page: BrowserPage) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/sign-out/")


def test_a_manager_adds_a_passkey_and_signs_in_with_it(
    site: Site, page: BrowserPage, watch: Watch, authenticator: Any
) -> None:
    mia = site.world.cast["mia"]
    add_passkey(page, site, "mia")
    assert WebAuthnCredential.objects.filter(user=mia, confirmed=True).count() == 1
    assert AuditEvent.objects.filter(verb="auth.passkey_added", object_id=str(mia.pk)).exists()
    axe_clean(page)
    sign_out(page)

    enter_password(page, site, "mia")
    page.wait_for_url("**/accounts/sign-in/code/")
    axe_clean(page)
    page.get_by_role("button", name="Use your passkey").click()
    page.wait_for_url("**/home/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Manager home")
    signed_in = AuditEvent.objects.filter(verb="auth.signed_in", actor_id=mia.pk).last()
    assert signed_in is not None and signed_in.payload == {"factor": "WebAuthnCredential"}
    assert not watch.problems(), watch.problems()


def test_with_passkeys_required_a_code_no_longer_signs_a_manager_in_but_a_recovery_code_does(
    site: Site, page: BrowserPage, authenticator: Any, settings: Any
) -> None:
    settings.HARBOUR_PASSKEYS_REQUIRED_FOR = ["manager", "admin"]
    mia = site.world.cast["mia"]
    add_passkey(page, site, "mia")
    [recovery] = mfa.new_recovery_codes(mia)[:1]
    sign_out(page)

    enter_password(page, site, "mia")
    page.wait_for_url("**/accounts/sign-in/code/")
    expect(page.get_by_text("Your service asks you to sign in with your passkey.")).to_be_visible()
    page.get_by_label("Security code").fill(current_code(mfa.confirmed_totp(mia)))
    page.get_by_role("button", name="Sign in with a code").click()
    expect(
        page.get_by_role("link", name="That code is not right, or has been used already.")
    ).to_be_visible()

    page.get_by_label("Security code").fill(recovery)
    page.get_by_role("button", name="Sign in with a code").click()
    page.wait_for_url("**/home/")


def test_with_passkeys_required_a_manager_without_one_must_add_one_first(
    site: Site, page: BrowserPage, authenticator: Any, settings: Any
) -> None:
    settings.HARBOUR_PASSKEYS_REQUIRED_FOR = ["manager"]
    site.sign_in_quietly(page, "mia")
    page.goto(f"{site.url}/cases/")
    page.wait_for_url("**/accounts/passkeys/")
    expect(page.get_by_text("Add one to carry on.")).to_be_visible()
    page.get_by_role("button", name="Add a passkey").click()
    expect(page.get_by_role("cell", name="Passkey 1", exact=True)).to_be_visible()
    page.goto(f"{site.url}/cases/")
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Passkeys")
    assert page.url.endswith("/cases/")


def test_a_manager_confirms_it_is_her_with_her_passkey_and_stops_using_the_app(
    site: Site, page: BrowserPage, watch: Watch, authenticator: Any
) -> None:
    mia = site.world.cast["mia"]
    add_passkey(page, site, "mia")
    page.goto(f"{site.url}/accounts/security/")
    page.get_by_role("button", name="Remove your authenticator app").click()
    # Removing a factor needs a step-up; the passkey (user-verified) is enough for it.
    page.wait_for_url("**/accounts/reauthenticate/**")
    axe_clean(page)
    page.get_by_role("button", name="Use your passkey").click()
    page.wait_for_url("**/accounts/security/")
    step_up = AuditEvent.objects.filter(verb="auth.step_up", actor_id=mia.pk).last()
    assert step_up is not None and step_up.payload == {"factor": "passkey"}
    page.get_by_role("button", name="Remove your authenticator app").click()
    expect(page.get_by_text("Authenticator app removed")).to_be_visible()
    assert mfa.confirmed_totp(mia) is None
    assert not watch.problems(), watch.problems()
