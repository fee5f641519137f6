"""Access helpers for reporting pages: called on each view's first line."""

from __future__ import annotations

from harbour.accounts.access import denied
from harbour.accounts.models import Organisation
from harbour.core import policy
from harbour.core.http import AuthenticatedHttpRequest
from harbour.reporting.figures import Scope, scope_for


def require_dashboard(request: AuthenticatedHttpRequest) -> Scope:
    if not policy.can_view_dashboard(request.user):
        raise denied(request, "reporting.dashboard")
    return scope_for(request.user, policy.reporting_organisations(request.user))


def require_office(request: AuthenticatedHttpRequest) -> tuple[Organisation, Scope]:
    """A commissioner's office's own settings and quarterly return."""
    if not policy.can_configure_reporting(request.user):
        raise denied(request, "reporting.settings")
    office = request.user.organisation
    assert office is not None  # policy: a commissioner belongs to an office
    return office, scope_for(request.user, policy.reporting_organisations(request.user))
