from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_safe

from harbour.operations import health, metrics
from harbour.operations.access import require_metrics_reader


@require_safe
def live(request: HttpRequest) -> JsonResponse:
    """The process answers. Nothing else is checked (a database outage must not restart it)."""
    return JsonResponse({"status": "live"})


@require_safe
def ready(request: HttpRequest) -> JsonResponse:
    failing = health.failing()
    if failing:
        return JsonResponse({"status": "not ready", "failing": failing}, status=503)
    return JsonResponse({"status": "ready"})


@require_safe
def prometheus(request: HttpRequest) -> HttpResponse:
    require_metrics_reader(request)
    body, content_type = metrics.exposition()
    return HttpResponse(body, content_type=content_type)
