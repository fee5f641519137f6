"""Cross-cutting HTTP behaviour: security headers, no-store caching, structured request logs."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

from harbour.core.client_ip import client_address
from harbour.core.requestlocal import reset_current_ip, set_current_ip

log = logging.getLogger("harbour.request")

PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)


class ActiveDefaultsMiddleware:
    """Activates the service's one time zone and language for the whole request.

    Nothing changes in what a page shows: with none activated Django falls back to the same
    settings. But it looks the active ones up in a context-local for every date shown, every URL
    reversed and every translated string, and when none is set each look-up takes the slow path
    (an exception raised and caught inside asgiref): 10 to 20 µs each, several hundred per list
    page. With them set, each look-up is a few µs (issue #8).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.zone = timezone.get_default_timezone()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with timezone.override(self.zone), translation.override(settings.LANGUAGE_CODE):
            return self.get_response(request)


class SecurityHeadersMiddleware:
    """Every page that is not a static asset is ``no-store``: nothing lingers in a shared browser."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(settings.STATIC_URL):
            response["Cache-Control"] = "no-store, max-age=0"
            response["Pragma"] = "no-cache"
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        response.setdefault("X-Robots-Tag", "noindex, nofollow")
        return response


class RequestLogMiddleware:
    """One log line per request: route pattern (never the concrete path or query), status, time."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = set_current_ip(client_address(request))
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            reset_current_ip(token)
        if not request.path.startswith(settings.STATIC_URL):
            match = getattr(request, "resolver_match", None)
            user = getattr(request, "user", None)
            log.info(
                "request",
                extra={
                    "event": "request",
                    "method": request.method,
                    "route": match.route if match else "(unresolved)",
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": getattr(user, "pk", None),
                },
            )
        return response
