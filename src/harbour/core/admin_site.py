"""Django's admin is for platform operators only (superusers, signed in with a second factor).

Its own login page is replaced by Harbour's sign-in, so the admin cannot be used to bypass MFA.
Every change made through it is written to Harbour's hash-chained audit trail (``AuditedModelAdmin``),
because Django's own admin log is an ordinary table anyone with the database can edit.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib import admin
from django.contrib.admin import AdminSite
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from harbour.accounts.mfa import is_verified
from harbour.audit.log import record
from harbour.audit.verbs import AuditVerb
from harbour.core import policy


def protect_admin(site: AdminSite) -> None:
    def has_permission(request: HttpRequest) -> bool:
        return is_verified(request.user) and policy.can_use_django_admin(request.user)

    site.has_permission = has_permission  # type: ignore[method-assign]

    def login(request: HttpRequest, extra_context: object = None) -> HttpResponse:
        # Django's own password-only form would be a second, unaudited way in.
        return redirect(settings.LOGIN_URL_PATH)

    site.login = login  # type: ignore[method-assign]
    site.site_header = "Harbour operations"
    site.site_title = "Harbour operations"


def _what_changed(message: Any) -> list[dict[str, Any]]:
    """Django's change message, reduced to kinds and field names (never values or names)."""
    if isinstance(message, str):
        try:
            message = json.loads(message) if message else []
        except ValueError:
            return []
    summary: list[dict[str, Any]] = []
    for item in message or []:
        for kind, detail in item.items():
            entry: dict[str, Any] = {"kind": kind}
            if isinstance(detail, dict):
                if "fields" in detail:
                    entry["fields"] = list(detail["fields"])
                if "name" in detail:
                    entry["related"] = str(detail["name"])[:40]
            summary.append(entry)
    return summary


class AuditedModelAdmin(admin.ModelAdmin[Any]):
    """A ModelAdmin whose additions, changes and deletions are also Harbour audit events, written in
    the admin's own transaction."""

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        record(
            actor=request.user,
            verb=AuditVerb.ADMIN_ADDED,
            obj=obj,
            request=request,
            payload={"changes": _what_changed(message)},
        )
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        record(
            actor=request.user,
            verb=AuditVerb.ADMIN_CHANGED,
            obj=obj,
            request=request,
            payload={"changes": _what_changed(message)},
        )
        return super().log_change(request, obj, message)

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        for obj in queryset:
            record(actor=request.user, verb=AuditVerb.ADMIN_DELETED, obj=obj, request=request)
        return super().log_deletions(request, queryset)
