"""Session limits and enforced multi-factor sign-in for every staff URL."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.functional import LazyObject, empty
from django_otp.middleware import OTPMiddleware as DjangoOTPMiddleware
from django_otp.plugins.otp_totp.models import TOTPDevice

from harbour.accounts.mfa import is_verified
from harbour.accounts.models import User
from harbour.accounts.passkeys import has_passkey
from harbour.audit.log import record
from harbour.audit.verbs import AuditVerb
from harbour.core import policy
from harbour.core.precompiled import Precompiled

#: URL prefixes that need no staff sign-in: public pages, the API (token auth), sign-in itself.
PUBLIC_PREFIXES = (
    "/static/",
    "/accounts/sign-in/",
    "/accounts/sign-out/",
    "/accounts/signed-out/",
    "/healthz",
    "/health/",
    "/metrics",
    "/api/",
    "/public/",
    "/favicon",
)
PUBLIC_EXACT = {"/"}

#: Where someone who must choose a new password may still go (recovery codes are shown only once).
PASSWORD_CHANGE_PATH = "/accounts/security/password/"  # noqa: S105 (a path)
WHILE_CHANGING_PASSWORD = (PASSWORD_CHANGE_PATH, "/accounts/recovery-codes/", "/accounts/sign-out/")

#: Where someone who must register a passkey may still go.
PASSKEYS_PATH = "/accounts/passkeys/"
WHILE_ADDING_PASSKEY = (
    PASSKEYS_PATH,
    "/accounts/reauthenticate/",
    "/accounts/recovery-codes/",
    "/accounts/sign-out/",
)

SESSION_STARTED = "harbour_started_at"
SESSION_SEEN = "harbour_seen_at"
#: How often, at most, the activity stamp is written back (a write transaction per page otherwise).
SEEN_EVERY_SECONDS = 60


def is_public_path(path: str) -> bool:
    return path in PUBLIC_EXACT or path.startswith(PUBLIC_PREFIXES)


class SessionTimeoutMiddleware:
    """Ends a signed-in session after inactivity or an absolute age, whichever comes first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            now = time.time()
            started = request.session.get(SESSION_STARTED, now)
            seen = request.session.get(SESSION_SEEN, now)
            idle = settings.HARBOUR_SESSION_IDLE_MINUTES * 60
            absolute = settings.HARBOUR_SESSION_ABSOLUTE_MINUTES * 60
            if now - seen > idle or now - started > absolute:
                reason = "idle" if now - seen > idle else "absolute"
                record(actor=user, verb=AuditVerb.AUTH_SESSION_EXPIRED, payload={"reason": reason})
                logout(request)
                return redirect(f"{settings.LOGIN_URL_PATH}?expired=1")
            if SESSION_STARTED not in request.session:
                request.session[SESSION_STARTED] = started
            # Write the activity stamp at most once a minute to spare the session table (setting
            # any key marks the session changed, and a changed session is written back: a write
            # transaction on every request).
            if now - seen > SEEN_EVERY_SECONDS or SESSION_SEEN not in request.session:
                request.session[SESSION_SEEN] = now
        return self.get_response(request)


class RequireMFAMiddleware:
    """Every non-public URL, Django admin included, needs a user verified with a second factor."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_public_path(request.path):
            user = request.user
            if not is_verified(user):
                if user.is_authenticated:
                    logout(request)
                if request.method == "GET":
                    query = urlencode({"next": request.get_full_path()})
                    return redirect(f"{settings.LOGIN_URL_PATH}?{query}")
                return redirect(settings.LOGIN_URL_PATH)
            if getattr(user, "must_change_password", False) and not request.path.startswith(
                WHILE_CHANGING_PASSWORD
            ):
                # A password somebody else set (a temporary one, or after a second-factor reset)
                # opens nothing but the page to replace it.
                return redirect(PASSWORD_CHANGE_PATH)
            if (
                policy.passkey_required(user)
                and not request.path.startswith(WHILE_ADDING_PASSKEY)
                and isinstance(user, User)
                and not has_passkey(user)
            ):
                # The service requires a phishing-resistant second factor of this role: nothing
                # else opens until the person has registered a passkey.
                return redirect(PASSKEYS_PATH)
            # Verified: from here on the request carries the person themselves, not the two lazy
            # wrappers Django's and django-otp's middleware put round them. Each attribute read
            # through them cost two proxy calls, and a staff page reads the user about 700 times
            # (policy checks, templates): about half a millisecond a page (issue #8).
            request.user = unwrapped(user)
        return self.get_response(request)


def unwrapped(user: Any) -> Any:
    """The object inside ``user``'s lazy wrappers (already evaluated), or ``user`` itself."""
    while isinstance(user, LazyObject):
        lazy: Any = user  # django-stubs do not declare the wrapper's own attributes
        if lazy._wrapped is empty:
            lazy._setup()
        user = lazy._wrapped
    return user


#: An authenticator app's device by its key, as django-otp reads it (``Device.from_persistent_id``:
#: the first by key), compiled once per connection: every staff request reads it (issue #8).
_APP_DEVICE = Precompiled(lambda pk: TOTPDevice.objects.filter(id=pk).order_by("pk")[:1])


class OTPMiddleware(DjangoOTPMiddleware):  # type: ignore[misc]  # django-otp ships no type hints
    """django-otp's middleware, reading an authenticator app's device (the second factor of most
    sessions) by a query compiled once per connection. Other devices (recovery codes, passkeys)
    are read by django-otp itself."""

    def _device_from_persistent_id(self, persistent_id: str) -> Any:
        label, _, number = self._normalize_persistent_id(persistent_id).rpartition("/")
        if label != TOTPDevice.model_label():
            return super()._device_from_persistent_id(persistent_id)
        try:
            pk = int(number)  # as django-otp reads it; a malformed id is no device
        except ValueError:
            return None
        found = _APP_DEVICE(pk)
        return found[0] if found else None
