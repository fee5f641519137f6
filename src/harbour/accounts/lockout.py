"""Guessing protection. Tier 1 (django-axes): a username *and* address pair is locked after
HARBOUR_LOCKOUT_FAILURES failures for HARBOUR_LOCKOUT_MINUTES, so a stalker elsewhere cannot lock an
advocate out. Tier 2 (here): an address that fails many times across any usernames in an hour is
refused for the rest of that hour, unless it is one of our own proxies' addresses (which would mean
everyone behind it). Both use ``core.client_ip.client_address``. Neither says whether an account
exists.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from axes.models import AccessFailureLog
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from harbour.core.client_ip import client_address, is_proxy_address

LOCKED_MESSAGE = (
    "Too many unsuccessful sign-in attempts from here. Wait 15 minutes and try again, "
    "or ask your organisation's administrator for help."
)


def address_is_throttled(request: HttpRequest) -> bool:
    address = client_address(request)
    if is_proxy_address(address):
        # Not a person's address but one of our own proxies (or the proxy set-up is missing):
        # limiting it would lock out everyone behind it.
        return False
    since = timezone.now() - timedelta(hours=1)
    failures = AccessFailureLog.objects.filter(
        ip_address=address, attempt_time__gte=since, locked_out=False
    ).count()
    return failures >= settings.HARBOUR_ADDRESS_FAILURE_LIMIT


def lockout_response(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    return render(
        request,
        "accounts/locked.html",
        {"message": LOCKED_MESSAGE},
        status=429,
    )
