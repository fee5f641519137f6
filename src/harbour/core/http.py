"""A typed request for staff views (as healthchecks' ``hc.accounts.http``).

Every staff URL sits behind ``RequireMFAMiddleware``, which lets through only a signed-in, active
member of staff who has completed the second factor; the views' first line (an access helper) then
decides what that person may see. So in a staff view ``request.user`` is a ``User``: annotating the
view with ``AuthenticatedHttpRequest`` says so once, instead of a cast or an assert in every view.
"""

from __future__ import annotations

from django.http import HttpRequest

from harbour.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User  # narrower than HttpRequest's User | AnonymousUser
