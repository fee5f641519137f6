"""Passkeys without a browser: who may add and remove them, what the required setting changes, and
that recovery (recovery codes, the administrator's reset) still works. The WebAuthn ceremonies
themselves run in Chromium: tests/browser/test_passkeys.py."""

from __future__ import annotations

import time

import pytest
from django.core import mail
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from harbour.accounts import mfa
from harbour.accounts.middleware import SESSION_STARTED
from harbour.accounts.stepup import REAUTH_AT
from harbour.alerts.services import send_waiting
from harbour.audit.models import AuditEvent
from tests.alerts.conftest import choose
from tests.browser.pages import current_code
from tests.conftest import PASSWORD


def passkey_for(user, number: int = 1) -> WebAuthnCredential:
    return WebAuthnCredential.objects.create(
        user=user,
        name=f"Passkey {number}",
        confirmed=True,
        credential_id=bytes([number]) * 32,
        public_key=b"not a real key",
        sign_count=0,
        aaguid="00000000-0000-0000-0000-000000000000",
    )


def at_code_page(client, username: str) -> None:
    response = client.post("/accounts/sign-in/", {"username": username, "password": PASSWORD})
    assert response["Location"] == "/accounts/sign-in/code/"


def stepped_up(client) -> None:
    session = client.session
    session[REAUTH_AT] = time.time()
    session.save()


def test_someone_with_only_a_passkey_is_asked_for_it_not_sent_to_set_up_an_app(client, cast):
    mia = cast["mia"]
    TOTPDevice.objects.filter(user=mia).delete()
    passkey_for(mia)
    at_code_page(client, "mia")
    body = client.get("/accounts/sign-in/code/").content.decode()
    assert "Use your passkey" in body


def test_adding_a_passkey_needs_a_fresh_sign_in_or_step_up(as_user):
    client = as_user("alice")
    assert client.post("/accounts/passkeys/register/begin/").status_code == 200
    session = client.session
    session[SESSION_STARTED] = time.time() - 3600
    session.save()
    assert client.post("/accounts/passkeys/register/begin/").status_code == 403
    stepped_up(client)
    options = client.post("/accounts/passkeys/register/begin/").json()
    assert options["rp"] == {"id": "testserver", "name": "Harbour"}
    assert options["user"]["name"] == "alice"
    assert options["user"]["displayName"] == "alice"  # no staff name on a shared device


def test_removing_ones_own_passkey_is_audited_and_told_to_the_owner(
    as_user, cast, django_capture_on_commit_callbacks
):
    alice = cast["alice"]
    choose(alice, frequency="off", account_change="immediate")
    passkey = passkey_for(alice)
    client = as_user("alice")
    stepped_up(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/accounts/passkeys/{passkey.pk}/remove/")
    assert response.status_code == 302
    assert not WebAuthnCredential.objects.filter(pk=passkey.pk).exists()
    assert AuditEvent.objects.filter(verb="auth.passkey_removed", object_id=str(alice.pk)).exists()
    assert send_waiting(alice.pk) == "sent"
    assert mail.outbox[0].subject == "Harbour: your account changed"


def test_with_a_passkey_the_authenticator_app_can_be_removed_and_the_passkey_then_signs_in(
    as_user, client, cast, django_capture_on_commit_callbacks
):
    alice = cast["alice"]
    choose(alice, frequency="off", account_change="immediate")
    signed_in = as_user("alice")
    stepped_up(signed_in)
    # Without a passkey the app stays: the account is never left without a second factor.
    refused = signed_in.post("/accounts/authenticator/remove/", follow=True).content.decode()
    assert "Add a passkey before you remove your authenticator app" in refused
    assert mfa.confirmed_totp(alice) is not None
    passkey_for(alice)
    assert "Remove your authenticator app" in signed_in.get("/accounts/security/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post("/accounts/authenticator/remove/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=alice).exists()
    event = AuditEvent.objects.get(verb="auth.authenticator_removed")
    assert event.object_id == str(alice.pk)
    assert send_waiting(alice.pk) == "sent"
    assert mail.outbox[0].subject == "Harbour: your account changed"
    # Signing in now asks for the passkey, not a code or an app to set up.
    at_code_page(client, "alice")
    assert "Use your passkey" in client.get("/accounts/sign-in/code/").content.decode()


def test_removing_the_authenticator_app_needs_a_step_up(as_user, cast):
    passkey_for(cast["alice"])
    client = as_user("alice")
    response = client.post("/accounts/authenticator/remove/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")
    assert mfa.confirmed_totp(cast["alice"]) is not None


def test_someone_elses_passkey_is_not_found(as_user, cast):
    theirs = passkey_for(cast["mia"])
    client = as_user("alice")
    stepped_up(client)
    assert client.post(f"/accounts/passkeys/{theirs.pk}/remove/").status_code == 404
    assert WebAuthnCredential.objects.filter(pk=theirs.pk).exists()


def test_a_passkey_from_another_account_does_not_complete_sign_in(client, cast):
    passkey_for(cast["mia"])
    at_code_page(client, "mia")
    response = client.post(
        "/accounts/sign-in/passkey/complete/", "{}", content_type="application/json"
    )
    assert response.status_code == 400
    assert not client.session.get("_auth_user_id")


@pytest.fixture
def passkeys_required(settings):
    settings.HARBOUR_PASSKEYS_REQUIRED_FOR = ["manager", "admin"]


def test_with_passkeys_required_a_manager_without_one_can_open_nothing_else(
    passkeys_required, as_user
):
    client = as_user("mia")
    response = client.get("/cases/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/passkeys/"
    assert client.get("/accounts/passkeys/").status_code == 200
    # An advocate's role is not named: nothing changes for Alice.
    assert as_user("alice").get("/cases/").status_code == 200


def test_with_passkeys_required_an_app_code_is_refused_at_sign_in_but_a_recovery_code_works(
    passkeys_required, client, cast
):
    mia = cast["mia"]
    passkey_for(mia)
    [recovery, *_] = mfa.new_recovery_codes(mia)
    at_code_page(client, "mia")
    code = current_code(TOTPDevice.objects.get(user=mia))
    refused = client.post("/accounts/sign-in/code/", {"code": code})
    assert refused.status_code == 200
    assert "Your service asks you to sign in with your passkey" in refused.content.decode()
    accepted = client.post("/accounts/sign-in/code/", {"code": recovery})
    assert accepted.status_code == 302
    assert accepted["Location"] == "/home/"


def test_an_administrators_reset_removes_passkeys_with_the_other_factors(as_user, cast):
    alice = cast["alice"]
    passkey_for(alice)
    response = as_user("ada").post(f"/accounts/users/{alice.pk}/reset-mfa/", {"confirm": "yes"})
    assert response.status_code == 302
    assert not WebAuthnCredential.objects.filter(user=alice).exists()
    assert not mfa.has_second_factor(alice)


def test_a_passkey_step_up_asks_the_authenticator_to_verify_the_person_and_refuses_junk(
    as_user, cast
):
    client = as_user("mia")
    assert client.post("/accounts/reauthenticate/passkey/begin/").status_code == 400
    passkey_for(cast["mia"])
    options = client.post("/accounts/reauthenticate/passkey/begin/").json()
    assert options["userVerification"] == "required"
    junk = client.post(
        "/accounts/reauthenticate/passkey/complete/", {}, content_type="application/json"
    )
    assert junk.status_code == 400
    assert AuditEvent.objects.filter(verb="auth.step_up_failed", actor_id=cast["mia"].pk).exists()
    assert client.post("/accounts/authenticator/remove/").status_code == 302
    assert mfa.confirmed_totp(cast["mia"]) is not None  # still not stepped up


def test_with_passkeys_required_an_app_code_does_not_step_up_but_a_recovery_code_does(
    as_user, cast, passkeys_required
):
    mia = cast["mia"]
    passkey_for(mia)
    [recovery] = mfa.new_recovery_codes(mia)[:1]
    client = as_user("mia")
    page = client.get("/accounts/reauthenticate/").content.decode()
    assert "Use your passkey" in page
    refused = client.post(
        "/accounts/reauthenticate/",
        {"password": PASSWORD, "code": current_code(mfa.confirmed_totp(mia))},
    )
    assert "not right" in refused.content.decode()
    accepted = client.post("/accounts/reauthenticate/", {"password": PASSWORD, "code": recovery})
    assert accepted.status_code == 302
