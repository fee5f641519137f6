"""Step-up re-authentication: sensitive actions (exports, revealing a safe address, new recovery
codes) need a password *and* second factor entered within the last few minutes."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

REAUTH_AT = "harbour_reauth_at"


def mark_reauthenticated(request: HttpRequest) -> None:
    request.session[REAUTH_AT] = time.time()


def recently_reauthenticated(request: HttpRequest) -> bool:
    stamp = request.session.get(REAUTH_AT)
    return stamp is not None and time.time() - stamp <= settings.HARBOUR_STEP_UP_MINUTES * 60


def _return_to(request: HttpRequest) -> str:
    """Where to go after re-authenticating: the page itself for a GET; for a form post (which
    cannot be replayed by a redirect) the page the form was on, so the person can submit again."""
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(referer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return reverse("core:home")


def step_up_url(next_path: str) -> str:
    """Where a "Show" link goes: re-authenticate, then come back."""
    return f"{reverse('accounts:reauthenticate')}?{urlencode({'next': next_path})}"


def require_step_up(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not recently_reauthenticated(request):
            query = urlencode({"next": _return_to(request)})
            return redirect(f"{reverse('accounts:reauthenticate')}?{query}")
        return view(request, *args, **kwargs)

    return wrapped
