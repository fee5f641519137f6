"""Helpers that drive the real sign-in views (password, then a second factor)."""

from __future__ import annotations

import re

from django.http import HttpResponse
from django.test.client import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from harbour.accounts.models import User
from tests.conftest import PASSWORD

SIGN_IN = "/accounts/sign-in/"
VERIFY = "/accounts/sign-in/code/"
ENROL = "/accounts/sign-in/set-up/"


def totp_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def device_of(user: User) -> TOTPDevice:
    return TOTPDevice.objects.get(user=user, confirmed=True)


def submit_password(
    client: Client, username: str, password: str = PASSWORD, **extra: str
) -> HttpResponse:
    return client.post(SIGN_IN, {"username": username, "password": password}, **extra)


def sign_in(client: Client, user: User, code: str | None = None, **extra: str) -> None:
    """Password then TOTP through the views; fails the test if either step is refused."""
    response = submit_password(client, user.username, **extra)
    assert response.status_code == 302 and response["Location"] == VERIFY, response
    response = client.post(VERIFY, {"code": code or totp_code(device_of(user))}, **extra)
    assert response.status_code == 302 and not response["Location"].startswith(SIGN_IN), response


def comparable(html: bytes, *echoed: str) -> str:
    """A page with its per-request randomness (CSRF token, CSP nonce) and echoed input removed."""
    text = html.decode()
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", text)
    text = re.sub(r'nonce="[^"]+"', "NONCE", text)
    for value in echoed:
        text = text.replace(value, "ECHOED")
    return text
