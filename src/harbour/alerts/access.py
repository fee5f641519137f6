"""Access helper for alert settings: a person's own, and nobody else's."""

from __future__ import annotations

from harbour.alerts.models import AlertSettings
from harbour.core.http import AuthenticatedHttpRequest


def get_own_alert_settings(request: AuthenticatedHttpRequest) -> AlertSettings:
    """The signed-in person's alert settings (unsaved defaults if they have never chosen)."""
    found = AlertSettings.objects.filter(user=request.user).first()
    return found or AlertSettings(user=request.user)
