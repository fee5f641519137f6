"""Django's admin is for platform operators only (superusers, signed in with a second factor).

Its own login page is replaced by Harbour's sign-in, so the admin cannot be used to bypass MFA.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.admin import AdminSite
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from harbour.accounts.mfa import is_verified
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
