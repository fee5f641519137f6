"""Step-up re-authentication: sensitive actions (exports, revealing a safe address, new recovery
codes) need a password *and* second factor entered within the last few minutes."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

REAUTH_AT = "harbour_reauth_at"


def mark_reauthenticated(request: HttpRequest) -> None:
    request.session[REAUTH_AT] = time.time()


def recently_reauthenticated(request: HttpRequest) -> bool:
    stamp = request.session.get(REAUTH_AT)
    return stamp is not None and time.time() - stamp <= settings.HARBOUR_STEP_UP_MINUTES * 60


def require_step_up(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not recently_reauthenticated(request):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:reauthenticate')}?{query}")
        return view(request, *args, **kwargs)

    return wrapped
