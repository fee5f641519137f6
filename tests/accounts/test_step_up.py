"""Sensitive actions need the password and a second factor again, within the last few minutes."""

from __future__ import annotations

import time
from urllib.parse import quote

import pytest
from django.http import HttpResponse
from django.test import Client as HttpClient

from harbour.accounts import mfa
from harbour.accounts.stepup import REAUTH_AT, require_step_up
from harbour.audit.models import AuditEvent
from tests.accounts.flow import SIGN_IN, device_of, totp_code
from tests.conftest import PASSWORD, signed_in_client

pytestmark = pytest.mark.django_db

ACTION = "/accounts/security/recovery-codes/"  # make new recovery codes: behind step-up
PAGE = "/accounts/security/"
REAUTH = "/accounts/reauthenticate/"


def test_a_sensitive_action_first_asks_the_person_to_confirm_it_is_them(cast):
    client = signed_in_client(cast["alice"])
    response = client.post(ACTION, HTTP_REFERER=f"http://testserver{PAGE}")
    assert response.status_code == 302
    assert response["Location"] == f"{REAUTH}?next={quote(PAGE, safe='')}"
    assert mfa.recovery_codes_left(cast["alice"]) == 0


def test_after_confirming_the_action_goes_ahead(cast):
    alice = cast["alice"]
    client = signed_in_client(alice)
    to_reauth = client.post(ACTION, HTTP_REFERER=f"http://testserver{PAGE}")["Location"]
    assert client.get(to_reauth).status_code == 200
    response = client.post(to_reauth, {"password": PASSWORD, "code": totp_code(device_of(alice))})
    assert response.status_code == 302 and response["Location"] == PAGE
    assert AuditEvent.objects.filter(verb="auth.step_up").count() == 1

    response = client.post(ACTION)
    assert response.status_code == 302 and response["Location"] == "/accounts/recovery-codes/"
    assert client.get("/accounts/recovery-codes/").status_code == 200
    assert mfa.recovery_codes_left(alice) == 10


def test_a_protected_page_opened_with_get_returns_to_itself(rf):
    calls = []

    def export(request):
        calls.append(request)
        return HttpResponse("exported")

    request = rf.get("/cases/export/?format=csv")
    request.session = {}
    response = require_step_up(export)(request)
    assert response["Location"] == f"{REAUTH}?next={quote('/cases/export/?format=csv', safe='')}"
    assert not calls
    request.session = {REAUTH_AT: time.time()}
    assert require_step_up(export)(request).content == b"exported"


def test_the_return_address_is_never_another_site(cast):
    client = signed_in_client(cast["alice"])
    response = client.post(ACTION, HTTP_REFERER="https://evil.example/accounts/security/")
    assert response["Location"] == f"{REAUTH}?next={quote('/home/', safe='')}"


def test_the_password_alone_is_not_enough_to_confirm(cast):
    client = signed_in_client(cast["alice"])
    response = client.post(f"{REAUTH}?next={PAGE}", {"password": PASSWORD, "code": "000000"})
    assert response.status_code == 200
    assert b"Your password or security code is not right." in response.content
    assert client.post(ACTION).status_code == 302
    assert mfa.recovery_codes_left(cast["alice"]) == 0
    assert AuditEvent.objects.filter(verb="auth.step_up_failed").count() == 1


def test_a_wrong_password_with_a_right_code_is_not_enough(cast):
    alice = cast["alice"]
    client = signed_in_client(alice)
    code = totp_code(device_of(alice))
    response = client.post(REAUTH, {"password": "not the password", "code": code})
    assert response.status_code == 200
    assert client.post(ACTION)["Location"].startswith(REAUTH)


def test_repeated_failed_confirmations_end_the_session(cast):
    client = signed_in_client(cast["alice"])
    for _ in range(5):
        response = client.post(REAUTH, {"password": "guess", "code": "000000"})
    assert response.status_code == 302 and response["Location"] == SIGN_IN
    assert client.get("/home/")["Location"].startswith(SIGN_IN)
    assert AuditEvent.objects.filter(verb="auth.step_up_exhausted").count() == 1


def test_a_confirmation_lasts_only_a_few_minutes(cast, settings):
    client = signed_in_client(cast["alice"])
    session = client.session
    session[REAUTH_AT] = time.time() - settings.HARBOUR_STEP_UP_MINUTES * 60 - 1
    session.save()
    assert client.post(ACTION)["Location"].startswith(REAUTH)
    session = client.session
    session[REAUTH_AT] = time.time() - 30
    session.save()
    assert client.post(ACTION)["Location"] == "/accounts/recovery-codes/"


def test_step_up_needs_a_signed_in_session(cast):
    response = HttpClient().get(REAUTH)
    assert response.status_code == 302 and response["Location"].startswith(SIGN_IN)
