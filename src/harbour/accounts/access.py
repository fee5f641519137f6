"""Access helpers for staff accounts: the first line of every user-management view."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse

from harbour.accounts.models import User
from harbour.audit.log import record
from harbour.core import policy


def denied(request: HttpRequest, what: str, object_id: str = "") -> Http404:
    record(
        actor=request.user,
        verb="access.denied",
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
