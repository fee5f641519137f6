"""Known devices: a browser that has completed sign-in (password and second factor) for a username
keeps a signed cookie, so a stalker's failed guesses elsewhere, even from the same address (an
office or home network), cannot lock that person out of the device they usually use.

The cookie names the account and a random device id, signed with the secret key; it proves nothing
about who is at the keyboard (the password and second factor are still needed) and only relaxes the
lockout for that one username. A known device that itself fails HARBOUR_LOCKOUT_FAILURES times
within HARBOUR_LOCKOUT_MINUTES loses the relaxation (its failures are in the audit trail).
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from harbour.accounts.models import User
from harbour.audit.models import AuditEvent
from harbour.audit.verbs import AuditVerb

COOKIE = "harbour_device"
SALT = "harbour.accounts.device"
MAX_AGE = 180 * 24 * 60 * 60
PATH = "/accounts/"


def remember(response: HttpResponse, user: Any) -> None:
    value = signing.dumps({"u": user.pk, "d": secrets.token_hex(8)}, salt=SALT)
    response.set_cookie(
        COOKIE,
        value,
        max_age=MAX_AGE,
        path=PATH,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _claim(request: HttpRequest) -> dict[str, Any] | None:
    raw = request.COOKIES.get(COOKIE)
    if not raw:
        return None
    try:
        value = signing.loads(raw, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    return value if isinstance(value, dict) and "u" in value and "d" in value else None


def device_id(request: HttpRequest) -> str | None:
    claim = _claim(request)
    return str(claim["d"]) if claim else None


def recent_failures(device: str) -> int:
    since = timezone.now() - timedelta(minutes=settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    return AuditEvent.objects.filter(
        verb=AuditVerb.AUTH_FAILED, at__gte=since, payload__device=device
    ).count()


def is_known_device_for(request: HttpRequest, username: str | None) -> bool:
    """This browser completed sign-in as ``username`` before and has not failed too often since."""

    claim = _claim(request)
    if claim is None or not username:
        return False
    if not User.objects.filter(pk=claim["u"], username__iexact=username.strip()).exists():
        return False
    return recent_failures(str(claim["d"])) < settings.AXES_FAILURE_LIMIT


def axes_whitelist(request: HttpRequest, credentials: dict[str, Any] | None) -> bool:
    """django-axes' AXES_WHITELIST_CALLABLE: a known device is not locked out by others' failures."""
    username = (credentials or {}).get("username")
    return is_known_device_for(request, username)


def has_failed_too_often(request: HttpRequest) -> bool:
    """A device's own failures are not counted by django-axes while it is known, so the sign-in
    view refuses it here once it has failed as often as the lockout allows."""
    device = device_id(request)
    return device is not None and recent_failures(device) >= settings.AXES_FAILURE_LIMIT
