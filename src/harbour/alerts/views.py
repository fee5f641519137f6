"""Each member of staff chooses which alerts they are e-mailed, and how often."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from harbour.alerts.access import get_own_alert_settings
from harbour.alerts.forms import AlertSettingsForm
from harbour.alerts.kinds import AlertKind
from harbour.audit.log import record
from harbour.audit.verbs import AuditVerb
from harbour.core import policy
from harbour.core.forms import posted
from harbour.core.http import AuthenticatedHttpRequest


@require_http_methods(["GET", "POST"])
def alert_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    settings = get_own_alert_settings(request)
    kinds = policy.alert_kinds_for(request.user, list(AlertKind.values))
    form = AlertSettingsForm(posted(request), settings=settings, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        address_changed = form.cleaned_data["email"] != settings.email
        with transaction.atomic():
            settings.email = form.cleaned_data["email"]
            settings.choices = form.choices()
            settings.updated_at = timezone.now()
            settings.save()
            record(
                actor=request.user,
                verb=AuditVerb.ALERT_SETTINGS_CHANGED,
                obj=request.user,
                request=request,
                payload={"choices": settings.choices, "address_changed": address_changed},
            )
        messages.success(request, "Your alert choices are saved.")
        return redirect("alerts:settings")
    return render(request, "alerts/settings.html", {"form": form})
