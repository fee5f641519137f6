"""Signing in takes a password and then a second factor; nothing reveals whether an account exists."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient
from django_otp.plugins.otp_totp.models import TOTPDevice

from harbour.accounts import mfa
from harbour.accounts.models import User
from harbour.audit.models import AuditEvent
from tests.accounts.flow import (
    ENROL,
    SIGN_IN,
    VERIFY,
    comparable,
    device_of,
    sign_in,
    submit_password,
    totp_code,
)
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_password_then_a_code_signs_in_and_reaches_home(cast):
    client = HttpClient()
    response = submit_password(client, "alice")
    assert response.status_code == 302 and response["Location"] == VERIFY
    response = client.post(VERIFY, {"code": totp_code(device_of(cast["alice"]))})
    assert response.status_code == 302
    assert client.get("/home/").status_code == 200
    verbs = list(AuditEvent.objects.order_by("seq").values_list("verb", flat=True))
    assert verbs == ["auth.password_ok", "auth.signed_in"]


def test_a_password_alone_does_not_sign_in(cast):
    client = HttpClient()
    submit_password(client, "alice")
    response = client.get("/home/")
    assert response.status_code == 302
    assert response["Location"].startswith(SIGN_IN)


def test_sign_in_returns_to_the_page_asked_for(cast, case_a):
    client = HttpClient()
    wanted = f"/cases/{case_a.public_id}/"
    bounced = client.get(wanted)
    assert bounced.status_code == 302
    response = client.post(bounced["Location"], {"username": "alice", "password": PASSWORD})
    assert response["Location"] == VERIFY
    response = client.post(VERIFY, {"code": totp_code(device_of(cast["alice"]))})
    assert response["Location"] == wanted


def test_sign_in_never_redirects_to_another_site(cast):
    client = HttpClient()
    client.post(
        f"{SIGN_IN}?next=https://evil.example/", {"username": "alice", "password": PASSWORD}
    )
    response = client.post(VERIFY, {"code": totp_code(device_of(cast["alice"]))})
    assert response["Location"] == "/home/"


def test_wrong_password_and_unknown_user_give_identical_responses(cast):
    wrong_password = submit_password(HttpClient(), "alice", "not-her-password")
    unknown_user = submit_password(HttpClient(), "zz-nobody", "not-her-password")
    assert wrong_password.status_code == unknown_user.status_code == 200
    assert comparable(wrong_password.content, "alice") == comparable(
        unknown_user.content, "zz-nobody"
    )
    assert b"The username or password is not right." in wrong_password.content
    assert wrong_password.cookies.keys() == unknown_user.cookies.keys()


def test_a_disabled_account_with_the_right_password_looks_like_a_wrong_password(cast):
    cast["amir"].disable(by=cast["ada"])
    disabled = submit_password(HttpClient(), "amir")
    wrong = submit_password(HttpClient(), "alice", "not-her-password")
    assert comparable(disabled.content, "amir") == comparable(wrong.content, "alice")


def test_a_wrong_code_is_refused_and_recorded(cast):
    client = HttpClient()
    submit_password(client, "alice")
    good = totp_code(device_of(cast["alice"]))
    bad = f"{(int(good) + 1) % 1_000_000:06d}"
    response = client.post(VERIFY, {"code": bad})
    assert response.status_code == 200
    assert b"That code is not right" in response.content
    assert AuditEvent.objects.filter(verb="auth.mfa_failed").count() == 1
    assert client.get("/home/").status_code == 302


def test_five_wrong_codes_end_the_half_finished_sign_in(cast):
    client = HttpClient()
    submit_password(client, "alice")
    for _ in range(5):
        response = client.post(VERIFY, {"code": "000000"})
    assert response.status_code == 302 and response["Location"] == SIGN_IN
    assert client.get(VERIFY)["Location"] == SIGN_IN


def test_a_totp_code_cannot_be_used_twice(cast):
    alice = cast["alice"]
    code = totp_code(device_of(alice))
    first = HttpClient()
    sign_in(first, alice, code=code)

    second = HttpClient()
    submit_password(second, "alice")
    response = second.post(VERIFY, {"code": code})
    assert response.status_code == 200
    assert b"has been used already" in response.content
    assert second.get("/home/").status_code == 302


def test_a_recovery_code_signs_in_once_only(cast):
    alice = cast["alice"]
    codes = mfa.new_recovery_codes(alice)
    assert mfa.recovery_codes_left(alice) == 10
    typed = f"{codes[0][:5].upper()}-{codes[0][5:].upper()}"  # as somebody might type it

    client = HttpClient()
    submit_password(client, "alice")
    response = client.post(VERIFY, {"code": typed})
    assert response.status_code == 302
    assert client.get("/home/").status_code == 200
    assert mfa.recovery_codes_left(alice) == 9

    again = HttpClient()
    submit_password(again, "alice")
    response = again.post(VERIFY, {"code": codes[0]})
    assert response.status_code == 200
    assert again.get("/home/").status_code == 302
    assert mfa.recovery_codes_left(alice) == 9


def test_recovery_codes_are_stored_only_as_keyed_hashes(cast):
    from django_otp.plugins.otp_static.models import StaticToken

    codes = mfa.new_recovery_codes(cast["alice"])
    stored = set(StaticToken.objects.values_list("token", flat=True))
    assert not stored & set(codes)


def test_a_user_without_a_device_enrols_with_a_qr_code_then_is_signed_in(cast):
    alice = cast["alice"]
    TOTPDevice.objects.filter(user=alice).delete()
    client = HttpClient()
    response = submit_password(client, "alice")
    assert response["Location"] == ENROL

    page = client.get(ENROL)
    assert page.status_code == 200
    assert b'<svg role="img" aria-label="QR code for your authenticator app"' in page.content
    assert client.get("/home/").status_code == 302  # not signed in until the code is confirmed

    pending = TOTPDevice.objects.get(user=alice, confirmed=False)
    response = client.post(ENROL, {"code": totp_code(pending)})
    assert response.status_code == 302 and response["Location"] == "/accounts/recovery-codes/"
    codes_page = client.get("/accounts/recovery-codes/")
    assert codes_page.status_code == 200
    assert mfa.recovery_codes_left(alice) == 10
    assert TOTPDevice.objects.get(user=alice).confirmed
    assert client.get("/home/").status_code == 200
    assert AuditEvent.objects.filter(verb="auth.mfa_enrolled").count() == 1


def test_a_wrong_code_at_enrolment_does_not_confirm_the_device(cast):
    alice = cast["alice"]
    TOTPDevice.objects.filter(user=alice).delete()
    client = HttpClient()
    submit_password(client, "alice")
    client.get(ENROL)
    response = client.post(ENROL, {"code": "123456"})
    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=alice, confirmed=True).exists()
    assert client.get("/home/").status_code == 302


def test_somebody_with_only_the_password_cannot_enrol_a_new_device(cast):
    client = HttpClient()
    submit_password(client, "alice")  # alice already has an authenticator
    response = client.get(ENROL)
    assert response.status_code == 302 and response["Location"] == SIGN_IN
    response = client.post(ENROL, {"code": "123456"})
    assert response.status_code == 302
    assert TOTPDevice.objects.filter(user=cast["alice"]).count() == 1
    assert client.get("/home/").status_code == 302


def test_the_code_page_without_a_password_first_goes_back_to_sign_in(cast):
    response = HttpClient().get(VERIFY)
    assert response.status_code == 302 and response["Location"] == SIGN_IN


def test_signing_out_ends_the_session(cast):
    client = HttpClient()
    sign_in(client, cast["alice"])
    response = client.post("/accounts/sign-out/")
    assert response.status_code == 200
    assert client.get("/home/").status_code == 302
    assert not User.objects.get(pk=cast["alice"].pk).login_sessions.exists()
