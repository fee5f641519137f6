"""Access helpers for coverage pages: the first line of every coverage view."""

from __future__ import annotations

from django.http import HttpRequest

from harbour.accounts.access import denied
from harbour.core import policy


def require_coverage_manager(request: HttpRequest) -> None:
    if not policy.can_manage_coverage(request.user):
        raise denied(request, "coverage.rules")


def require_unrouted_queue(request: HttpRequest) -> None:
    if not policy.can_view_unrouted(request.user):
        raise denied(request, "coverage.unrouted")
