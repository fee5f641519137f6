from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from harbour.accounts.mfa import is_verified
from harbour.core import policy

#: Pages that belong to a navigation item other than their app's first one.
_SECTION = {
    "accounts:password_change": "accounts:security",
    "accounts:regenerate_codes": "accounts:security",
    "accounts:recovery_codes": "accounts:security",
    "accounts:reauthenticate": "accounts:security",
    "accounts:role_request_decide": "accounts:role_requests",
    "alerts:settings": "accounts:security",
    "accounts:passkeys": "accounts:security",
}


def _active(items: list[tuple[str, str]], current: str) -> str | None:
    """The one navigation item a page belongs to: its own, its section's, else the first item of
    its app (never two at once)."""
    names = [name for name, _label in items]
    target = _SECTION.get(current, current)
    if target in names:
        return target
    app = current.split(":")[0]
    return next((n for n in names if n != "core:home" and n.split(":")[0] == app), None)


def harbour(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not is_verified(user):
        return {"harbour_nav": []}
    current = request.resolver_match.view_name if request.resolver_match else ""
    items = policy.navigation_for(user)
    active = _active(items, current) if current else None
    nav = [
        {"url": reverse(name), "label": label, "active": name == active} for name, label in items
    ]
    return {"harbour_nav": nav}
