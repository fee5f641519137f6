"""Registering passkeys (your account) and signing in with one (the second step of sign-in).

The ceremonies need the browser's WebAuthn API, so these pages use a small script
(``accounts/passkeys.js``); everything else about an account works without script, and an
authenticator app or a recovery code still signs anyone in whose service does not require passkeys.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from harbour.accounts import devices, mfa, passkeys
from harbour.accounts.access import get_own_passkey
from harbour.accounts.middleware import SESSION_STARTED
from harbour.accounts.stepup import (
    mark_reauthenticated,
    recently_reauthenticated,
    require_step_up,
)
from harbour.accounts.views import (
    MAX_CODE_FAILURES,
    NEXT,
    PENDING_FAILURES,
    _clear_pending,
    _complete_sign_in,
    _pending_user,
    _safe_next,
)
from harbour.audit.log import record
from harbour.audit.verbs import AuditVerb
from harbour.core import policy
from harbour.core.http import AuthenticatedHttpRequest

log = logging.getLogger("harbour.passkeys")


def _fresh(request: HttpRequest) -> bool:
    """Re-authenticated recently, or signed in (with both factors) just as recently."""
    if recently_reauthenticated(request):
        return True
    started = float(request.session.get(SESSION_STARTED, 0))
    return time.time() - started <= settings.HARBOUR_STEP_UP_MINUTES * 60


def _body(request: HttpRequest) -> dict[str, Any]:
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


@require_GET
def passkey_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/passkeys.html",
        {
            "passkeys": passkeys.passkeys_of(user),
            "fresh": _fresh(request),
            "required": policy.passkey_required(user),
        },
    )


@require_POST
def register_begin(request: AuthenticatedHttpRequest) -> JsonResponse:
    if not _fresh(request):
        return JsonResponse({"error": "Confirm it is you first."}, status=403)
    return JsonResponse(passkeys.begin_registration(request, request.user))


@require_POST
def register_complete(request: AuthenticatedHttpRequest) -> JsonResponse:
    user = request.user
    if not _fresh(request):
        return JsonResponse({"error": "Confirm it is you first."}, status=403)
    try:
        with transaction.atomic():
            device = passkeys.complete_registration(request, user, _body(request))
            record(
                actor=user,
                verb=AuditVerb.AUTH_PASSKEY_ADDED,
                obj=user,
                request=request,
                payload={"passkey": device.pk},
            )
    except Exception as exc:  # py_webauthn raises several kinds for a wrong response
        log.warning(
            "passkey not registered",
            extra={"event": "passkey_refused", "error": type(exc).__name__},
        )
        return JsonResponse({"error": "That passkey could not be added. Try again."}, status=400)
    messages.success(request, "Passkey added. You can use it to sign in.")
    return JsonResponse({"redirect": "/accounts/passkeys/"})


@require_POST
@require_step_up
def passkey_remove(request: AuthenticatedHttpRequest, passkey_id: int) -> HttpResponse:
    device = get_own_passkey(request, passkey_id)
    user = request.user
    with transaction.atomic():
        device.delete()
        record(
            actor=user,
            verb=AuditVerb.AUTH_PASSKEY_REMOVED,
            obj=user,
            request=request,
            payload={"passkey": passkey_id},
        )
    messages.success(request, "Passkey removed.")
    return redirect("accounts:passkeys")


@require_POST
@require_step_up
def authenticator_remove(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Passkeys instead of an authenticator app: remove the app once a passkey is registered, so a
    phished code can no longer sign in. Never leaves an account without a second factor."""
    user = request.user
    if not passkeys.has_passkey(user):
        messages.error(request, "Add a passkey before you remove your authenticator app.")
        return redirect("accounts:security")
    with transaction.atomic():
        removed = mfa.remove_authenticators(user)
        record(
            actor=user,
            verb=AuditVerb.AUTH_AUTHENTICATOR_REMOVED,
            obj=user,
            request=request,
            payload={"devices": removed},
        )
    messages.success(request, "Authenticator app removed: sign in with your passkey from now on.")
    return redirect("accounts:security")


@require_POST
def step_up_begin(request: AuthenticatedHttpRequest) -> JsonResponse:
    """Confirm it is you with a passkey: the authenticator's own check (PIN or biometric) stands in
    for the password, so the assertion must be user-verified."""
    if not passkeys.has_passkey(request.user):
        return JsonResponse(
            {"error": "You have no passkey: use your password and a code."}, status=400
        )
    return JsonResponse(
        passkeys.begin_authentication(request, request.user, user_verification=True)
    )


@require_POST
def step_up_complete(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    try:
        passkeys.complete_authentication(request, user, _body(request))
    except Exception as exc:  # a wrong, replayed, unverified or foreign assertion
        record(
            actor=user,
            verb=AuditVerb.AUTH_STEP_UP_FAILED,
            request=request,
            payload={"factor": "passkey", "error": type(exc).__name__},
        )
        return JsonResponse({"error": "That passkey did not work. Try again."}, status=400)
    mark_reauthenticated(request)
    record(actor=user, verb=AuditVerb.AUTH_STEP_UP, request=request, payload={"factor": "passkey"})
    return JsonResponse({"redirect": _safe_next(request, request.GET.get("next"))})


@require_POST
def sign_in_begin(request: HttpRequest) -> JsonResponse:
    user = _pending_user(request)
    if user is None or not passkeys.has_passkey(user):
        return JsonResponse({"error": "Sign in again."}, status=400)
    return JsonResponse(passkeys.begin_authentication(request, user))


@require_POST
def sign_in_complete(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        return JsonResponse(
            {"error": "Sign in again.", "redirect": "/accounts/sign-in/"}, status=400
        )
    try:
        device = passkeys.complete_authentication(request, user, _body(request))
    except Exception as exc:  # a wrong, replayed or foreign assertion
        failures = request.session.get(PENDING_FAILURES, 0) + 1
        request.session[PENDING_FAILURES] = failures
        record(
            actor=user,
            verb=AuditVerb.AUTH_MFA_FAILED,
            request=request,
            payload={"factor": "passkey", "error": type(exc).__name__},
        )
        if failures >= MAX_CODE_FAILURES:
            _clear_pending(request)
            return JsonResponse({"redirect": "/accounts/sign-in/"}, status=400)
        return JsonResponse({"error": "That passkey did not work. Try again."}, status=400)
    with transaction.atomic():
        _complete_sign_in(request, user, device)
    response = JsonResponse({"redirect": _safe_next(request, request.session.pop(NEXT, None))})
    devices.remember(response, user)
    return response
