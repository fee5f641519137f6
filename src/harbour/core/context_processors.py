from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from harbour.accounts.mfa import is_verified
from harbour.core import policy


def harbour(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not is_verified(user):
        return {"harbour_nav": []}
    current = request.resolver_match.view_name if request.resolver_match else ""
    nav = []
    for name, label in policy.navigation_for(user):
        app = name.split(":")[0]
        active = current == name or (name != "core:home" and current.startswith(f"{app}:"))
        nav.append({"url": reverse(name), "label": label, "active": active})
    return {"harbour_nav": nav}
