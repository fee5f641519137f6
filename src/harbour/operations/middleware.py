"""Counts each request by URL name and status, and times it, for the Prometheus metrics."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from harbour.core import plaintexts
from harbour.operations import metrics


class MetricsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        plaintexts.start()
        started = time.perf_counter()
        response = self.get_response(request)
        if not request.path.startswith(settings.STATIC_URL):
            metrics.observe(request, response.status_code, time.perf_counter() - started)
        return response
