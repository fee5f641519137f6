"""Prometheus metrics: requests by route name and status, latency, the task queue, sign-in failures,
lockouts and audit rows written.

Labels hold only names from a fixed set (a URL pattern's name, a method, a status code, an audit
verb): never a path, a query, a reference or anything about a person. Counters live in each
process; with several server processes set ``PROMETHEUS_MULTIPROC_DIR`` (``harbour serve`` does)
so the figures are summed across them. Queue figures are read from the database at scrape time.
"""

from __future__ import annotations

import os
from typing import Any

from django.utils import timezone
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

REQUESTS = Counter(
    "harbour_http_requests_total",
    "HTTP requests by URL name, method and status.",
    ["route", "method", "status"],
)
LATENCY = Histogram(
    "harbour_http_request_duration_seconds",
    "Time to the response headers, by URL name.",
    ["route"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
AUDIT_ROWS = Counter(
    "harbour_audit_rows_written_total", "Audit trail rows written, by verb.", ["verb"]
)
SIGN_IN_FAILURES = Counter(
    "harbour_sign_in_failures_total",
    "Failed sign-ins: a wrong password, a wrong second-factor code, a failed step-up.",
    ["stage"],
)
LOCKOUTS = Counter("harbour_lockouts_total", "Sign-ins refused by a lockout, by tier.", ["tier"])

_FAILURE_STAGES = {
    "auth.failed": "password",
    "auth.mfa_failed": "second_factor",
    "auth.step_up_failed": "step_up",
}
_LOCKOUT_TIERS = {"auth.locked_out": "username_and_address", "auth.address_throttled": "address"}


def route_name(request: Any) -> str:
    """The URL pattern's name (``cases:detail``), never the path; "unmatched" for a 404 path."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return match.view_name or "unnamed"


def observe(request: Any, status: int, seconds: float) -> None:
    route = route_name(request)
    method = request.method if request.method in _METHODS else "other"
    REQUESTS.labels(route=route, method=method, status=str(status)).inc()
    LATENCY.labels(route=route).observe(seconds)


_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def on_audit_event(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if not created:
        return
    AUDIT_ROWS.labels(verb=instance.verb).inc()
    if instance.verb in _FAILURE_STAGES:
        SIGN_IN_FAILURES.labels(stage=_FAILURE_STAGES[instance.verb]).inc()
    elif instance.verb in _LOCKOUT_TIERS:
        LOCKOUTS.labels(tier=_LOCKOUT_TIERS[instance.verb]).inc()


class DatabaseCollector(Collector):
    """Figures read at scrape time: the task queue, the audit chain's length, live workers."""

    def collect(self) -> Any:
        from django.db.models import Count, Min
        from django_tasks_db.models import DBTaskResult

        from harbour.audit.models import AuditHead

        now = timezone.now()
        queued = GaugeMetricFamily(
            "harbour_tasks_queued", "Background tasks waiting to run, by queue.", labels=["queue"]
        )
        oldest = GaugeMetricFamily(
            "harbour_tasks_oldest_queued_seconds",
            "Age of the oldest task waiting to run, by queue.",
            labels=["queue"],
        )
        rows = (
            DBTaskResult.objects.filter(status="READY")
            .values("queue_name")
            .annotate(n=Count("id"), first=Min("enqueued_at"))
        )
        for row in rows:
            queued.add_metric([row["queue_name"]], row["n"])
            age = (now - row["first"]).total_seconds() if row["first"] else 0.0
            oldest.add_metric([row["queue_name"]], max(age, 0.0))
        yield queued
        yield oldest
        failed = GaugeMetricFamily(
            "harbour_tasks_failed", "Background tasks that ended in failure (all time)."
        )
        failed.add_metric([], DBTaskResult.objects.filter(status="FAILED").count())
        yield failed
        head = AuditHead.objects.filter(pk=1).values_list("seq", flat=True).first()
        chain = GaugeMetricFamily(
            "harbour_audit_chain_length", "Rows in the audit chain (its head's sequence number)."
        )
        chain.add_metric([], head or 0)
        yield chain


def exposition() -> tuple[bytes, str]:
    """The metrics in Prometheus's text format, and its content type."""
    from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY

    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        registry.register(DatabaseCollector())
        return generate_latest(registry), CONTENT_TYPE_LATEST
    registry.register(DatabaseCollector())
    return generate_latest(REGISTRY) + generate_latest(registry), CONTENT_TYPE_LATEST
