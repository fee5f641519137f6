"""Access helpers for staff accounts: the first line of every user-management view."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse

from harbour.accounts.models import RoleRequest, User
from harbour.audit.log import record
from harbour.audit.verbs import AuditVerb
from harbour.core import policy


def denied(request: HttpRequest, what: str, object_id: str = "") -> Http404:
    record(
        actor=request.user,
        verb=AuditVerb.ACCESS_DENIED,
        object_type=what,
        object_id=object_id,
        request=request,
        payload={"route": request.resolver_match.route if request.resolver_match else ""},
    )
    return Http404()


def get_user_for_admin(request: HttpRequest, user_id: int) -> User:
    target = User.objects.filter(pk=user_id).select_related("organisation").first()
    if target is None or not policy.can_manage_user(request.user, target):
        raise denied(request, "accounts.user", str(user_id))
    return target


def require_user_admin(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not policy.can_manage_users(request.user):
            raise denied(request, "accounts.user_admin")
        return view(request, *args, **kwargs)

    return wrapped


def require_role_reviewer(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not policy.can_review_role_requests(request.user):
            raise denied(request, "accounts.role_requests")
        return view(request, *args, **kwargs)

    return wrapped


def get_role_request_for_decision(request: HttpRequest, request_id: int) -> RoleRequest:
    """A pending request this manager may decide (never their own account, never one they asked)."""
    found = RoleRequest.objects.filter(pk=request_id, status=RoleRequest.Status.PENDING).first()
    if found is None or not policy.can_decide_role_request(request.user, found):
        raise denied(request, "accounts.rolerequest", str(request_id))
    return found


def get_own_passkey(request: HttpRequest, passkey_id: int) -> Any:
    """One of the signed-in person's own passkeys; anyone else's is "not found"."""
    from django_otp_webauthn.models import WebAuthnCredential

    device = WebAuthnCredential.objects.filter(pk=passkey_id, user_id=request.user.pk).first()
    if device is None:
        raise denied(request, "django_otp_webauthn.webauthncredential", str(passkey_id))
    return device
