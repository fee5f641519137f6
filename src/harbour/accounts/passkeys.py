"""Passkeys (WebAuthn) as a second factor, through django-otp-webauthn's credential model and its
helper around py_webauthn. Harbour drives the ceremonies from its own sign-in flow (the password is
checked first; the passkey is the second step), so the package's own views and script are unused.

The relying party is the host staff sign in at: ``HARBOUR_PASSKEY_RP_ID``, else the host of
``HARBOUR_SITE_URL`` in production, else the request's own host (development and tests: passkeys
work on ``localhost``, which browsers treat as a secure context; not on ``127.0.0.1``, because an IP
address cannot be a relying party ID).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.models import WebAuthnCredential

from harbour.accounts.models import User

REGISTRATION_STATE = "harbour_passkey_registration"
AUTHENTICATION_STATE = "harbour_passkey_authentication"


def rp_id(request: HttpRequest) -> str:
    if settings.HARBOUR_PASSKEY_RP_ID:
        return str(settings.HARBOUR_PASSKEY_RP_ID)
    if settings.PRODUCTION and settings.HARBOUR_SITE_URL:
        return urlsplit(settings.HARBOUR_SITE_URL).hostname or ""
    return request.get_host().rsplit(":", 1)[0].strip("[]")


class Helper(WebAuthnHelper):  # type: ignore[misc]  # the package ships no type hints
    def get_allowed_origins(self) -> list[str]:
        origins = list(settings.OTP_WEBAUTHN_ALLOWED_ORIGINS)
        if not settings.PRODUCTION:
            # Development and tests run on any port: the page's own origin.
            origins.append(f"{self.request.scheme}://{self.request.get_host()}")
        return origins

    def get_credential_display_name(self, user: Any) -> str:
        # The username, not the person's name: a passkey list on a shared device shows it.
        return str(user.get_username())


def passkeys_of(user: User) -> list[WebAuthnCredential]:
    return list(WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("pk"))


def has_passkey(user: User) -> bool:
    return bool(WebAuthnCredential.objects.filter(user=user, confirmed=True).exists())


def begin_registration(request: HttpRequest, user: User) -> dict[str, Any]:
    options, state = Helper(request).register_begin(user)
    request.session[REGISTRATION_STATE] = state
    return dict(options)


def complete_registration(request: HttpRequest, user: User, data: dict[str, Any]) -> Any:
    """The new credential (saved), or an exception from py_webauthn if the response is wrong."""
    state = request.session.pop(REGISTRATION_STATE, None)
    if state is None:
        raise ValueError("no registration in progress")
    with transaction.atomic():
        device = Helper(request).register_complete(user, state, data)
        number = WebAuthnCredential.objects.filter(user=user).count()
        device.name = f"Passkey {number}"
        device.save(update_fields=["name"])
    return device


def begin_authentication(
    request: HttpRequest, user: User, *, user_verification: bool = False
) -> dict[str, Any]:
    """Start a passkey assertion. ``user_verification``: the authenticator must check the person
    (PIN or biometric) too, as a step-up does, since no password is asked alongside it."""
    options, state = Helper(request).authenticate_begin(
        user, require_user_verification=user_verification
    )
    request.session[AUTHENTICATION_STATE] = state
    return dict(options)


def complete_authentication(request: HttpRequest, user: User, data: dict[str, Any]) -> Any:
    state = request.session.pop(AUTHENTICATION_STATE, None)
    if state is None:
        raise ValueError("no sign-in in progress")
    return Helper(request).authenticate_complete(user, state, data)
